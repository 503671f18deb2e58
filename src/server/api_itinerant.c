/*
 * api_itinerant.c - itinerant teaching over HTTP (/api/itinerant,
 * itinerant.h, clauses 3.4.3-T10 and 3.5.2-R4): the needs and their
 * coverage, the pool, planning the week, and the timetables.
 *
 * The rules are the core's; this file adds the caller's sight.  A need
 * is its school's; a pool teacher is their own school's.  A day of the
 * week joins two schools that may lie in different towns (the teacher's
 * own and the one visited): a caller sees the day when they see the
 * school visited, and of a teacher from a school out of sight only the
 * name, never the number nor the school, as api_pairing.c does.  A
 * teacher's week (?teacher=) is asked of the teacher's own school: out
 * of sight it answers 404 like a number that does not exist, and shows
 * only the days at schools in sight.
 */
#include "api.h"
#include "codes.h"
#include "export.h"
#include "demo.h"
#include "itinerant.h"
#include "map.h"
#include "sheetout.h"
#include "values.h"
#include "zx.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *subject_name(int code)
{
    const char *s = zx_codes_name_of(zx_codes_get("subject"), code);

    return s ? s : "";
}

/* ---- needs ---------------------------------------------------------------- */

enum { NX_CODE, NX_NAME, NX_TOWN, NX_SUBJECT, NX_LACKING, NX_COVERED,
       NX_NCOLS };

static const zx_sheetout_col need_cols[NX_NCOLS] = {
    { "学校标识码", ZX_SHEETOUT_TEXT, 0 },
    { "学校名称", ZX_SHEETOUT_TEXT, 0 },
    { "区镇", ZX_SHEETOUT_TEXT, 0 },
    { "学科", ZX_SHEETOUT_TEXT, 0 },
    { "每周缺口课时", ZX_SHEETOUT_NUM, 0 },
    { "已覆盖课时", ZX_SHEETOUT_NUM, 0 },
};

struct needs {
    zx_map *sight;
    json_t *items;
    zx_sheetout *w;
    double lacking, covered;
    int year;
    zx_call *c;
};

static int need_item(void *ctx, const zx_itinerant_need_row *r)
{
    struct needs *n = ctx;

    if (!zx_api_sight_has(n->sight, r->school_code))
        return 0;
    n->lacking += r->lacking;
    n->covered += r->covered;
    if (n->w) {
        if (!zx_sheetout_row(n->w))
            return 0;
        zx_sheetout_text(n->w, NX_CODE, r->school_code);
        zx_sheetout_text(n->w, NX_NAME, r->school_name);
        zx_sheetout_text(n->w, NX_TOWN, r->town);
        zx_sheetout_text(n->w, NX_SUBJECT, subject_name(r->subject));
        zx_sheetout_num(n->w, NX_LACKING, r->lacking);
        zx_sheetout_num(n->w, NX_COVERED, r->covered);
        return zx_sheetout_status(n->w);
    }
    return json_array_append_new(n->items, json_pack(
               "{s:s, s:s, s:s, s:i, s:s, s:f, s:f}", "school_code",
               r->school_code, "school_name", r->school_name, "town", r->town,
               "subject", r->subject, "subject_name",
               subject_name(r->subject), "lacking", r->lacking, "covered",
               r->covered)) ? ZX_ENOMEM : 0;
}

static int need_fill(zx_sheetout *w, void *ctx)
{
    struct needs *n = ctx;

    n->w = w;
    return zx_itinerant_needs_list(n->c->db, n->year, need_item, n);
}

/* GET /api/itinerant/needs?year=&format=: the needs of the schools in
 * sight with their coverage and totals. */
static void get_needs(zx_call *c)
{
    struct needs n;
    char filename[256];
    int xlsx, rc;

    memset(&n, 0, sizeof(n));
    n.c = c;
    if ((xlsx = zx_sheetout_wanted(c)) < 0 || !zx_api_need_plan(c) ||
        zx_api_year_param(c, zx_values_current_year(c->plan), &n.year) ||
        !(n.sight = zx_api_sight_load(c)))
        return;
    if (xlsx) {
        zx_sheetout_spec spec = { "走教需求", need_cols, NX_NCOLS, filename };

        zx_sheetout_filename(c, filename, sizeof(filename), NULL,
                             "紧缺学科走教需求_%d年.xlsx", n.year);
        zx_sheetout_answer(c, &spec, need_fill, &n, NULL);
        zx_map_free(n.sight);
        return;
    }
    if (!(n.items = json_array()))
        rc = ZX_ENOMEM;
    else
        rc = zx_itinerant_needs_list(c->db, n.year, need_item, &n);
    zx_map_free(n.sight);
    if (rc) {
        json_decref(n.items);
        zx_api_fail(c, rc, NULL);
        return;
    }
    zx_api_json(c, 200, json_pack("{s:i, s:o, s:f, s:f, s:o}", "year", n.year,
                                  "items", n.items, "lacking", n.lacking,
                                  "covered", n.covered, "share",
                                  zx_result_figure_json(
                                      n.lacking > 0 ? 100 * n.covered /
                                                          n.lacking
                                                    : NAN)));
}

/* ---- pool ----------------------------------------------------------------- */

struct pool {
    zx_map *sight;
    json_t *items;
};

static int pool_item(void *ctx, const zx_itinerant_pool_row *r)
{
    struct pool *p = ctx;

    if (!zx_api_sight_has(p->sight, r->school_code))
        return 0;
    return json_array_append_new(p->items, json_pack(
               "{s:s, s:s, s:s, s:s, s:i, s:s, s:f, s:f, s:i}", "teacher_no",
               r->no, "name", r->name, "school_code", r->school_code,
               "school_name", r->school_name, "subject", r->subject,
               "subject_name", subject_name(r->subject), "max_hours",
               r->max_hours, "assigned", r->assigned, "schools", r->schools))
               ? ZX_ENOMEM : 0;
}

/* GET /api/itinerant/pool?year=: the pool teachers of schools in sight. */
static void get_pool(zx_call *c)
{
    struct pool p;
    int year, rc;

    memset(&p, 0, sizeof(p));
    if (!zx_api_need_plan(c) ||
        zx_api_year_param(c, zx_values_current_year(c->plan), &year) ||
        !(p.sight = zx_api_sight_load(c)))
        return;
    if (!(p.items = json_array()))
        rc = ZX_ENOMEM;
    else
        rc = zx_itinerant_pool_list(c->db, year, pool_item, &p);
    zx_map_free(p.sight);
    if (rc) {
        json_decref(p.items);
        zx_api_fail(c, rc, NULL);
        return;
    }
    zx_api_json(c, 200, json_pack("{s:i, s:o}", "year", year, "items",
                                  p.items));
}

/* POST /api/itinerant/pool {action: fill|add|remove, teacher_no,
 * max_hours, year} (管理员). */
static void post_pool(zx_call *c)
{
    json_t *b;
    const char *action, *no = NULL;
    double hours = 0;
    int year, added = 0, rc;

    if (!zx_api_need_plan(c) || !(b = zx_api_body(c)))
        return;
    if (!(action = zx_api_need_str(c, b, "action")) ||
        zx_api_body_year(c, b, zx_values_current_year(c->plan), &year) ||
        zx_api_opt_str(c, b, "teacher_no", &no) ||
        zx_api_opt_num(c, b, "max_hours", &hours))
        goto done;
    if (strcmp(action, "fill") && strcmp(action, "add") &&
        strcmp(action, "remove")) {
        zx_api_error(c, 400, "bad_parameter", "action 的值“%s”无效：应为 "
                     "fill、add 或 remove", action);
        goto done;
    }
    if (strcmp(action, "fill") && (!no || !*no)) {
        zx_api_error(c, 400, "bad_parameter", "%s 需要 teacher_no（教师编号）",
                     action);
        goto done;
    }
    if (hours < 0 || hours > 40) {
        zx_api_error(c, 400, "bad_parameter", "max_hours 应在 0～40 之间");
        goto done;
    }
    if (strcmp(action, "fill") == 0)
        rc = zx_itinerant_pool_fill(c->db, c->plan, year, c->actor, &added);
    else if (strcmp(action, "add") == 0)
        rc = zx_itinerant_pool_add(c->db, year, no, hours, c->actor);
    else
        rc = zx_itinerant_pool_remove(c->db, year, no, c->actor);
    if (rc == ZX_ENOTFOUND)
        zx_api_error(c, 404, "not_found", strcmp(action, "add") == 0
                     ? "未找到教师：%s" : "教师 %s 不在当年走教名单中", no);
    else if (rc == ZX_EDATA)
        zx_api_error(c, 422, "invalid_data", "计划没有设定紧缺学科"
                     "（settings.scarce_subjects）");
    else if (rc)
        zx_api_fail(c, rc, NULL);
    else
        zx_api_json(c, 200, json_pack("{s:b, s:i, s:i}", "ok", 1, "year",
                                      year, "added", added));

done:
    json_decref(b);
}

/* ---- plan ----------------------------------------------------------------- */

/* POST /api/itinerant/plan {year} (管理员): plans and saves the week. */
static void post_plan(zx_call *c)
{
    zx_itinerant *it = NULL;
    json_t *b;
    int year, rc;

    if (!zx_api_need_plan(c) || !(b = zx_api_body(c)))
        return;
    if (zx_api_body_year(c, b, zx_values_current_year(c->plan), &year)) {
        json_decref(b);
        return;
    }
    json_decref(b);
    if ((rc = zx_itinerant_plan(c->db, year, c->actor, &it))) {
        zx_api_fail(c, rc, NULL);
        return;
    }
    zx_api_json(c, 200, json_pack("{s:i, s:i, s:i, s:i, s:f, s:f, s:o, s:i,"
                                  " s:f, s:i}", "year", year, "teachers",
                                  it->nteachers, "visits", it->nvisits,
                                  "days", it->nslots, "lacking", it->lacking,
                                  "covered", it->covered, "share",
                                  zx_result_figure_json(
                                      it->lacking > 0 ? 100 * it->covered /
                                                            it->lacking
                                                      : NAN),
                                  "cut", it->cut, "travel_min",
                                  round(it->travel_min * 10) / 10, "rounds",
                                  it->rounds));
    zx_itinerant_free(it);
}

/* ---- timetable ------------------------------------------------------------ */

struct tt {
    zx_map *sight;
    json_t *items;
};

/* The caller's view of a day: none when the school visited is out of
 * sight; the teacher's number and school blanked when theirs is. */
static int redact(void *ctx, zx_itinerant_slot_row *r)
{
    struct tt *t = ctx;

    if (!zx_api_sight_has(t->sight, r->school_code))
        return 0;
    if (!zx_api_sight_has(t->sight, r->home_code))
        r->teacher_no = r->home_code = r->home_name = "";
    return 1;
}

static json_t *str_or_null(const char *s)
{
    return *s ? json_string(s) : json_null();
}

static int slot_item(void *ctx, const zx_itinerant_slot_row *given)
{
    struct tt *t = ctx;
    zx_itinerant_slot_row r = *given;

    if (!redact(t, &r))
        return 0;
    return json_array_append_new(t->items, json_pack(
               "{s:i, s:s, s:o, s:s, s:o, s:o, s:s, s:s, s:i, s:s, s:f, s:o}",
               "day", r.day, "day_name", zx_itinerant_day_name(r.day),
               "teacher_no", str_or_null(r.teacher_no), "teacher_name",
               r.teacher_name, "home_code", str_or_null(r.home_code),
               "home_name", str_or_null(r.home_name), "school_code",
               r.school_code, "school_name", r.school_name, "subject",
               r.subject, "subject_name", subject_name(r.subject), "hours",
               r.hours, "travel_min",
               isnan(r.travel_min) ? json_null() : json_real(r.travel_min)))
               ? ZX_ENOMEM : 0;
}

/* Whether teacher no's own school is in sight (0 for no such teacher). */
static int teacher_seen(zx_call *c, const char *no, int *err)
{
    sqlite3_stmt *st = zx_db_prepare(c->db, "SELECT school_id FROM teacher"
                                            " WHERE teacher_no = ?1");
    int seen = 0, step;

    *err = ZX_EDB;
    if (!st)
        return 0;
    sqlite3_bind_text(st, 1, no, -1, SQLITE_TRANSIENT);
    step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        seen = zx_scope_sees(c->scope, sqlite3_column_int64(st, 0));
    sqlite3_reset(st);
    if (step == SQLITE_ROW || step == SQLITE_DONE)
        *err = ZX_OK;
    return seen;
}

/* GET /api/itinerant/timetable?year=&teacher=NO|school=CODE&format=: the
 * week of one teacher (by day), of one school (by day and teacher), or
 * with neither every day the caller sees (by school); as JSON or as the
 * workbook of itinxlsx.c. */
static void get_timetable(zx_call *c)
{
    struct tt t;
    const char *teacher = zx_http_query(c->req, "teacher"),
               *typed = zx_http_query(c->req, "school"), *school = NULL;
    char code[64], kind[16], filename[256];
    long long id;
    int year, xlsx, by_school, rc;

    memset(&t, 0, sizeof(t));
    if (teacher && !*teacher)
        teacher = NULL;
    if (typed && !*typed)
        typed = NULL;
    if ((xlsx = zx_sheetout_wanted(c)) < 0 || !zx_api_need_plan(c) ||
        zx_api_year_param(c, zx_values_current_year(c->plan), &year))
        return;
    if (teacher && typed) {
        zx_api_error(c, 400, "bad_parameter", "teacher 与 school 只能给一个");
        return;
    }
    if (typed) {
        if (zx_api_unit_code(c, typed, &id, code, kind))
            return;
        if (strcmp(kind, "school")) {
            zx_api_error(c, 400, "bad_parameter", "school 应为学校标识码");
            return;
        }
        school = code;
    }
    if (teacher) {
        int seen = teacher_seen(c, teacher, &rc);

        if (rc) {
            zx_api_fail(c, rc, NULL);
            return;
        }
        if (!seen) {
            zx_api_not_found(c, "教师");
            return;
        }
    }
    by_school = teacher == NULL;
    if (!(t.sight = zx_api_sight_load(c)))
        return;
    if (xlsx) {
        zx_api_scratch s;
        int synthetic = zx_export_synthetic(c->db);

        if (zx_api_scratch_open(c, &s, "timetable.xlsx")) {
            zx_map_free(t.sight);
            return;
        }
        rc = zx_itinerant_write_xlsx(c->db, year, teacher, school, by_school,
                                     redact, &t,
                                     synthetic ? zx_demo_banner : NULL,
                                     s.path);
        zx_map_free(t.sight);
        if (rc) {
            zx_api_scratch_close(&s);
            zx_api_fail(c, rc, NULL);
            return;
        }
        if (synthetic)
            zx_http_resp_header(c->resp, "X-Zhenxing-Synthetic", "1");
        zx_sheetout_filename(c, filename, sizeof(filename), school,
                             "%s%s走教课表_%d年.xlsx", teacher ? teacher : "",
                             teacher ? "_" : "", year);
        zx_api_answer_file(c, &s, "application/vnd.openxmlformats-"
                           "officedocument.spreadsheetml.sheet", filename);
        return;
    }
    if (!(t.items = json_array()))
        rc = ZX_ENOMEM;
    else
        rc = zx_itinerant_slots_list(c->db, year, teacher, school, by_school,
                                     slot_item, &t);
    zx_map_free(t.sight);
    if (rc) {
        json_decref(t.items);
        zx_api_fail(c, rc, NULL);
        return;
    }
    zx_api_json(c, 200, json_pack("{s:i, s:o, s:o, s:o}", "year", year,
                                  "teacher", teacher ? json_string(teacher)
                                                     : json_null(),
                                  "school", school ? json_string(school)
                                                   : json_null(),
                                  "items", t.items));
}

const zx_route zx_api_itinerant_routes[] = {
    { "GET", "/api/itinerant/needs", ZX_ROLE_ANY, get_needs,
      ZX_ROUTE_CACHED },
    { "GET", "/api/itinerant/pool", ZX_ROLE_ANY, get_pool, ZX_ROUTE_CACHED },
    { "POST", "/api/itinerant/pool", ZX_ROLE_ADMIN, post_pool, 0 },
    { "POST", "/api/itinerant/plan", ZX_ROLE_ADMIN, post_plan, 0 },
    { "GET", "/api/itinerant/timetable", ZX_ROLE_ANY, get_timetable,
      ZX_ROUTE_CACHED },
    { NULL, NULL, 0, NULL, 0 }
};
