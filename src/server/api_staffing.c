/*
 * api_staffing.c - staffing norms (staffing.h) and the redistribution of
 * surplus teachers (redistrib.h, clause 3.4.3-T8) over HTTP.
 *
 * The rules are the core's; this file adds the caller's sight, as
 * api_training.c does.  Staffing is computed afresh for the year (the
 * route is cached until the data change) and only the schools in sight
 * are answered; town totals are summed over those schools alone, so a
 * school clerk never learns its neighbours' figures.  A move of teachers
 * joins two schools that may lie in different towns: a caller who sees
 * either sees the move, but of the other school neither code nor name
 * (its name in the reason reads 辖区外学校), and of a teacher from a
 * school out of sight not the number.
 */
#include "api.h"
#include "codes.h"
#include "map.h"
#include "redistrib.h"
#include "sheetout.h"
#include "staffing.h"
#include "values.h"
#include "zx.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUTSIDE "辖区外学校"

/* ---- staffing ----------------------------------------------------------- */

/* The schools a listing keeps: in sight, and within ?unit= when given
 * (a school, a town, a group or the city). */
struct keep {
    zx_map *sight;
    zx_map *group;             /* the schools of ?unit= when a group */
    char code[64], kind[16];
    int unit;                  /* ?unit= given */
};

static void keep_close(struct keep *k)
{
    zx_map_free(k->sight);
    zx_map_free(k->group);
}

/* Reads ?unit= and the caller's sight; 0, or -1 after answering. */
static int keep_open(zx_call *c, struct keep *k)
{
    const char *unit = zx_http_query(c->req, "unit");
    sqlite3_stmt *st;
    long long id;
    int step;

    memset(k, 0, sizeof(*k));
    if (unit && *unit) {
        if (zx_api_unit_code(c, unit, &id, k->code, k->kind))
            return -1;
        k->unit = strcmp(k->kind, "city") != 0;
    }
    if (k->unit && strcmp(k->kind, "group") == 0) {
        st = zx_db_prepare(c->db, "SELECT u.code, u.id FROM school s"
                                  " JOIN org_unit u ON u.id = s.unit_id"
                                  " WHERE s.group_id = ?1");
        if (!(k->group = zx_map_new()) || !st) {
            zx_api_fail(c, k->group ? ZX_EDB : ZX_ENOMEM, NULL);
            keep_close(k);
            return -1;
        }
        sqlite3_bind_int64(st, 1, id);
        while ((step = sqlite3_step(st)) == SQLITE_ROW)
            if (zx_map_put(k->group, (const char *)sqlite3_column_text(st, 0),
                           sqlite3_column_int64(st, 1)))
                break;
        sqlite3_reset(st);
        if (step != SQLITE_DONE) {
            zx_api_fail(c, ZX_EDB, NULL);
            keep_close(k);
            return -1;
        }
    }
    if (!(k->sight = zx_api_sight_load(c))) {
        keep_close(k);
        return -1;
    }
    return 0;
}

static int kept(const struct keep *k, const zx_staffing_school *sc)
{
    if (!zx_api_sight_has(k->sight, sc->code))
        return 0;
    if (!k->unit)
        return 1;
    if (k->group)
        return zx_api_sight_has(k->group, sc->code);
    return strcmp(sc->code, k->code) == 0 ||
           strcmp(sc->town_code, k->code) == 0;
}

/* The year's staffing into *out; 0, or -1 after answering. */
static int compute(zx_call *c, int year, zx_staffing **out)
{
    zx_rules *r = NULL, *cur = NULL;
    int rc;

    *out = NULL;
    if (!(rc = zx_staffing_rules(c->db, year, &r, &cur)))
        rc = zx_staffing_compute(c->db, c->plan, year, r, cur, out);
    zx_rules_free(r);
    zx_rules_free(cur);
    if (rc)
        zx_api_fail(c, rc, NULL);
    return rc ? -1 : 0;
}

/* ?year= and the computation, for the GETs; 0, or -1 after answering. */
static int open_year(zx_call *c, int *year, zx_staffing **s)
{
    if (!zx_api_need_plan(c) ||
        zx_api_year_param(c, zx_values_current_year(c->plan), year))
        return -1;
    return compute(c, *year, s);
}

static const char *status_text(const zx_staffing_school *sc)
{
    return sc->serious ? "超编（比较严重）"
                       : zx_staffing_status_name(sc->status);
}

enum { SC_CODE, SC_NAME, SC_TOWN, SC_RURAL, SC_STUDENTS, SC_CLASSES,
       SC_NORM, SC_ACTUAL, SC_DIFF, SC_STATUS, SC_BYCLASS, SC_SUBST,
       SC_NCOLS };

static const zx_sheetout_col school_cols[SC_NCOLS] = {
    { "学校标识码", ZX_SHEETOUT_TEXT, 0 }, { "学校名称", ZX_SHEETOUT_TEXT, 0 },
    { "区镇", ZX_SHEETOUT_TEXT, 0 }, { "乡村学校", ZX_SHEETOUT_TEXT, 0 },
    { "在校生数", ZX_SHEETOUT_NUM, 0 }, { "班级数", ZX_SHEETOUT_NUM, 0 },
    { "编制数", ZX_SHEETOUT_FIG, 0 }, { "实有数", ZX_SHEETOUT_NUM, 0 },
    { "差额", ZX_SHEETOUT_FIG, 0 }, { "状态", ZX_SHEETOUT_TEXT, 0 },
    { "按班核定", ZX_SHEETOUT_TEXT, 0 }, { "代课教师", ZX_SHEETOUT_NUM, 0 },
};

enum { SJ_CODE, SJ_NAME, SJ_TOWN, SJ_SUBJECT, SJ_NEED, SJ_ACTUAL, SJ_DIFF,
       SJ_HOURS, SJ_NCOLS };

static const zx_sheetout_col subject_cols[SJ_NCOLS] = {
    { "学校标识码", ZX_SHEETOUT_TEXT, 0 }, { "学校名称", ZX_SHEETOUT_TEXT, 0 },
    { "区镇", ZX_SHEETOUT_TEXT, 0 }, { "学科", ZX_SHEETOUT_TEXT, 0 },
    { "需求", ZX_SHEETOUT_FIG, 0 }, { "实有", ZX_SHEETOUT_NUM, 0 },
    { "余缺", ZX_SHEETOUT_FIG, 0 }, { "每周缺口课时", ZX_SHEETOUT_FIG, 0 },
};

struct sheet {
    const zx_staffing *s;
    const struct keep *k;
    int short_only;
};

static int school_fill(zx_sheetout *w, void *ctx)
{
    const struct sheet *x = ctx;
    int i;

    for (i = 0; i < x->s->nschools; i++) {
        const zx_staffing_school *sc = &x->s->schools[i];

        if (!kept(x->k, sc) || !zx_sheetout_row(w))
            continue;
        zx_sheetout_text(w, SC_CODE, sc->code);
        zx_sheetout_text(w, SC_NAME, sc->name);
        zx_sheetout_text(w, SC_TOWN, sc->town);
        zx_sheetout_yes(w, SC_RURAL, sc->rural);
        zx_sheetout_num(w, SC_STUDENTS, (double)sc->students);
        zx_sheetout_num(w, SC_CLASSES, (double)sc->classes);
        zx_sheetout_num(w, SC_NORM, sc->norm);
        zx_sheetout_num(w, SC_ACTUAL, (double)sc->actual);
        zx_sheetout_num(w, SC_DIFF, sc->diff);
        zx_sheetout_text(w, SC_STATUS, status_text(sc));
        zx_sheetout_yes(w, SC_BYCLASS, sc->by_class);
        zx_sheetout_num(w, SC_SUBST, (double)sc->substitutes);
    }
    return zx_sheetout_status(w);
}

static int subject_fill(zx_sheetout *w, void *ctx)
{
    const struct sheet *x = ctx;
    const zx_codelist *subjects = zx_codes_get("subject");
    int i, j;

    for (i = 0; i < x->s->nschools; i++) {
        const zx_staffing_school *sc = &x->s->schools[i];

        if (!kept(x->k, sc))
            continue;
        for (j = 0; j < sc->nsubjects; j++) {
            const zx_staffing_subject *y = &sc->subjects[j];

            if ((x->short_only && y->diff >= 0) || !zx_sheetout_row(w))
                continue;
            zx_sheetout_text(w, SJ_CODE, sc->code);
            zx_sheetout_text(w, SJ_NAME, sc->name);
            zx_sheetout_text(w, SJ_TOWN, sc->town);
            zx_sheetout_text(w, SJ_SUBJECT,
                             zx_codes_name_of(subjects, y->subject));
            zx_sheetout_num(w, SJ_NEED, y->need);
            zx_sheetout_num(w, SJ_ACTUAL, (double)y->actual);
            zx_sheetout_num(w, SJ_DIFF, y->diff);
            zx_sheetout_num(w, SJ_HOURS, y->hours_lacking);
        }
    }
    return zx_sheetout_status(w);
}

/* Adds sc to the totals of its town in towns (an object by town name)
 * and to tot. */
static int add_town(json_t *towns, json_t *tot, const zx_staffing_school *sc)
{
    json_t *t = json_object_get(towns, sc->town);
    json_t *both[2];
    int i;

    if (!t) {
        if (!(t = json_pack("{s:s, s:I, s:I, s:f, s:I, s:I, s:i, s:i, s:i}",
                            "town", sc->town, "students", (json_int_t)0,
                            "classes", (json_int_t)0, "norm", 0.0, "actual",
                            (json_int_t)0, "substitutes", (json_int_t)0,
                            "over", 0, "under", 0, "serious", 0)) ||
            json_object_set_new(towns, sc->town, t))
            return ZX_ENOMEM;
    }
    both[0] = t;
    both[1] = tot;
    for (i = 0; i < 2; i++) {
        json_t *o = both[i];

#define ADD(key, v) json_object_set_new(o, key, json_integer( \
        json_integer_value(json_object_get(o, key)) + (v)))
        if (ADD("students", sc->students) || ADD("classes", sc->classes) ||
            ADD("actual", sc->actual) ||
            ADD("substitutes", sc->substitutes) ||
            ADD("over", sc->status == ZX_STAFFING_OVER) ||
            ADD("under", sc->status == ZX_STAFFING_UNDER) ||
            ADD("serious", sc->serious) ||
            json_object_set_new(o, "norm", json_real(round((json_real_value(
                json_object_get(o, "norm")) + sc->norm) * 100) / 100)))
            return ZX_ENOMEM;
#undef ADD
    }
    return ZX_OK;
}

/* GET /api/staffing: the schools in sight (within ?unit=), their town
 * totals and the total; ?format=xlsx for the workbook. */
static void list_staffing(zx_call *c)
{
    struct keep k;
    zx_staffing *s = NULL;
    json_t *schools = NULL, *towns = NULL, *tot = NULL, *list = NULL;
    const char *key;
    json_t *t;
    char filename[256];
    int year, xlsx, i, rc = ZX_ENOMEM;

    if ((xlsx = zx_sheetout_wanted(c)) < 0 || open_year(c, &year, &s))
        goto out0;
    if (keep_open(c, &k))
        goto out0;
    if (xlsx) {
        struct sheet x = { s, &k, 0 };
        zx_sheetout_spec spec = { "编制核定", school_cols, SC_NCOLS,
                                  filename };

        zx_sheetout_filename(c, filename, sizeof(filename),
                             k.unit ? k.code : NULL, "编制核定_%d年.xlsx",
                             year);
        zx_sheetout_answer(c, &spec, school_fill, &x, NULL);
        goto out;
    }
    if (!(schools = json_array()) || !(towns = json_object()) ||
        !(list = json_array()) ||
        !(tot = json_pack("{s:I, s:I, s:f, s:I, s:I, s:i, s:i, s:i}",
                          "students", (json_int_t)0, "classes",
                          (json_int_t)0, "norm", 0.0, "actual",
                          (json_int_t)0, "substitutes", (json_int_t)0,
                          "over", 0, "under", 0, "serious", 0)))
        goto fail;
    for (i = 0; i < s->nschools; i++) {
        if (!kept(&k, &s->schools[i]))
            continue;
        if (json_array_append_new(schools, zx_staffing_school_json(
                                               &s->schools[i], 0)) ||
            add_town(towns, tot, &s->schools[i]))
            goto fail;
    }
    json_object_foreach(towns, key, t)
        if (json_array_append(list, t))
            goto fail;
    zx_api_json(c, 200, json_pack("{s:i, s:f, s:o, s:o, s:o}", "year", year,
                                  "overstaffed_ratio", s->overstaffed_ratio,
                                  "schools", schools, "towns", list,
                                  "totals", tot));
    schools = list = tot = NULL;
    rc = ZX_OK;
fail:
    if (rc)
        zx_api_fail(c, rc, NULL);
    json_decref(schools);
    json_decref(towns);
    json_decref(list);
    json_decref(tot);
out:
    keep_close(&k);
out0:
    zx_staffing_free(s);
}

/* GET /api/staffing/subjects: per school and subject, ?short=1 for the
 * shortages only, with the shortage per subject summed. */
static void list_subjects(zx_call *c)
{
    const zx_codelist *subjects = zx_codes_get("subject");
    struct keep k;
    zx_staffing *s = NULL;
    json_t *items = NULL, *sum = NULL, *o;
    const char *sh = zx_http_query(c->req, "short");
    char filename[256];
    int year, xlsx, i, j, short_only = sh && strcmp(sh, "1") == 0;
    int rc = ZX_ENOMEM;

    if ((xlsx = zx_sheetout_wanted(c)) < 0 || open_year(c, &year, &s))
        goto out0;
    if (keep_open(c, &k))
        goto out0;
    if (xlsx) {
        struct sheet x = { s, &k, short_only };
        zx_sheetout_spec spec = { "分学科编制", subject_cols, SJ_NCOLS,
                                  filename };

        zx_sheetout_filename(c, filename, sizeof(filename),
                             k.unit ? k.code : NULL,
                             "分学科编制_%d年.xlsx", year);
        zx_sheetout_answer(c, &spec, subject_fill, &x, NULL);
        goto out;
    }
    if (!(items = json_array()) || !(sum = json_array()))
        goto fail;
    for (j = 0; j < subjects->n; j++) {
        int code = atoi(subjects->items[j].code), n = 0;
        double lack = 0, hours = 0;

        for (i = 0; i < s->nschools; i++) {
            const zx_staffing_subject *y =
                zx_staffing_subject_of(&s->schools[i], code);

            if (!y || !kept(&k, &s->schools[i]) || y->diff >= 0)
                continue;
            n++;
            lack -= y->diff;
            hours += y->hours_lacking;
        }
        if (n && json_array_append_new(sum, json_pack(
                "{s:i, s:s, s:i, s:f, s:f}", "subject", code, "name",
                subjects->items[j].name, "schools", n, "short",
                round(lack * 100) / 100, "hours_lacking",
                round(hours * 100) / 100)))
            goto fail;
    }
    for (i = 0; i < s->nschools; i++) {
        const zx_staffing_school *sc = &s->schools[i];

        if (!kept(&k, sc))
            continue;
        for (j = 0; j < sc->nsubjects; j++) {
            if (short_only && sc->subjects[j].diff >= 0)
                continue;
            if (!(o = zx_staffing_subject_json(&sc->subjects[j])) ||
                json_object_update_new(o, json_pack(
                    "{s:s, s:s, s:s}", "code", sc->code, "school", sc->name,
                    "town", sc->town)) ||
                json_array_append_new(items, o))
                goto fail;
        }
    }
    zx_api_json(c, 200, json_pack("{s:i, s:o, s:o}", "year", year, "items",
                                  items, "subjects", sum));
    items = sum = NULL;
    rc = ZX_OK;
fail:
    if (rc)
        zx_api_fail(c, rc, NULL);
    json_decref(items);
    json_decref(sum);
out:
    keep_close(&k);
out0:
    zx_staffing_free(s);
}

/* The body's year (default the plan's current); 0, or -1 after
 * answering.  *b is the body to free. */
static int body_year(zx_call *c, json_t **b, int *year)
{
    *b = NULL;
    if (!zx_api_need_plan(c) || !(*b = zx_api_body(c)))
        return -1;
    return zx_api_body_year(c, *b, zx_values_current_year(c->plan), year);
}

/* POST /api/staffing/save {year}: the city's year into the tables the
 * indicators read (staffing.h). */
static void save_staffing(zx_call *c)
{
    zx_rules *r = NULL, *cur = NULL;
    zx_staffing *s = NULL;
    json_t *b;
    int year, rc;

    if (body_year(c, &b, &year))
        goto out;
    if ((rc = zx_staffing_rules(c->db, year, &r, &cur)) ||
        (rc = zx_staffing_compute(c->db, c->plan, year, r, cur, &s)) ||
        (rc = zx_staffing_save(c->db, c->plan, s, r, cur, c->actor))) {
        zx_api_fail(c, rc, NULL);
        goto out;
    }
    zx_api_json(c, 200, json_pack("{s:b, s:i, s:i, s:i, s:i, s:i}", "ok", 1,
                                  "year", year, "schools", s->nschools,
                                  "over", s->over, "under", s->under,
                                  "serious", s->serious));
out:
    json_decref(b);
    zx_staffing_free(s);
    zx_rules_free(r);
    zx_rules_free(cur);
}

/* ---- redistribution -------------------------------------------------------- */

/* s with every `name` replaced by OUTSIDE, malloc'd. */
static char *redact(const char *s, const char *name)
{
    size_t n = strlen(name), o = strlen(OUTSIDE), cap = strlen(s) + 1;
    const char *p;
    char *out, *q;

    for (p = s; n && (p = strstr(p, name)); p += n)
        cap += o;
    if (!(out = malloc(cap)))
        return NULL;
    for (q = out; n && (p = strstr(s, name)); s = p + n) {
        memcpy(q, s, (size_t)(p - s));
        q += p - s;
        memcpy(q, OUTSIDE, o);
        q += o;
    }
    strcpy(q, s);
    return out;
}

struct moves {
    zx_call *c;
    const zx_map *sight;
    const char *status;
    json_t *items;
    zx_sheetout *w;
    int year, proposed, accepted;
    double km;
};

enum { MV_ID, MV_STATUS, MV_TNO, MV_TEACHER, MV_SUBJECT, MV_STAGE,
       MV_FROM, MV_FROM_TOWN, MV_TO, MV_TO_TOWN, MV_KM, MV_CROSS, MV_REASON,
       MV_NCOLS };

static const zx_sheetout_col move_cols[MV_NCOLS] = {
    { "编号", ZX_SHEETOUT_NUM, 0 }, { "状态", ZX_SHEETOUT_TEXT, 0 },
    { "教师编号", ZX_SHEETOUT_TEXT, 0 }, { "教师", ZX_SHEETOUT_TEXT, 0 },
    { "学科", ZX_SHEETOUT_TEXT, 0 }, { "学段", ZX_SHEETOUT_TEXT, 0 },
    { "调出学校", ZX_SHEETOUT_TEXT, 0 }, { "调出区镇", ZX_SHEETOUT_TEXT, 0 },
    { "调入学校", ZX_SHEETOUT_TEXT, 0 }, { "调入区镇", ZX_SHEETOUT_TEXT, 0 },
    { "距离(km)", ZX_SHEETOUT_FIG, 0 }, { "跨学段", ZX_SHEETOUT_TEXT, 0 },
    { "理由", ZX_SHEETOUT_TEXT, 60 },
};

static int one_move(void *ctx, const zx_redistrib_move *m)
{
    struct moves *l = ctx;
    int from = zx_api_sight_has(l->sight, m->from_code);
    int to = zx_api_sight_has(l->sight, m->to_code);
    char *reason, *tmp;
    const char *subject = zx_api_code_name("subject", m->subject);
    const char *stage = zx_api_code_name("stage", m->stage);
    int rc = 0;

    if (!from && !to)
        return 0;
    if (strcmp(m->status, "accepted") == 0)
        l->accepted++;
    else
        l->proposed++;
    if (l->status && strcmp(m->status, l->status))
        return 0;
    if (!isnan(m->km))
        l->km += m->km;
    reason = redact(m->reason, from ? "" : m->from_name);
    if (reason && !to) {
        tmp = redact(reason, m->to_name);
        free(reason);
        reason = tmp;
    }
    if (!reason)
        return ZX_ENOMEM;
    if (l->w) {
        if (zx_sheetout_row(l->w)) {
            zx_sheetout_num(l->w, MV_ID, (double)m->id);
            zx_sheetout_text(l->w, MV_STATUS,
                             strcmp(m->status, "accepted") == 0 ? "已确认"
                                                                : "待确认");
            zx_sheetout_text(l->w, MV_TNO, from ? m->teacher_no : NULL);
            zx_sheetout_text(l->w, MV_TEACHER, m->teacher);
            zx_sheetout_text(l->w, MV_SUBJECT, subject);
            zx_sheetout_text(l->w, MV_STAGE, stage);
            zx_sheetout_text(l->w, MV_FROM, from ? m->from_name : OUTSIDE);
            zx_sheetout_text(l->w, MV_FROM_TOWN, from ? m->from_town : NULL);
            zx_sheetout_text(l->w, MV_TO, to ? m->to_name : OUTSIDE);
            zx_sheetout_text(l->w, MV_TO_TOWN, to ? m->to_town : NULL);
            zx_sheetout_num(l->w, MV_KM, m->km);
            zx_sheetout_yes(l->w, MV_CROSS, m->cross_stage);
            zx_sheetout_text(l->w, MV_REASON, reason);
        }
        rc = zx_sheetout_status(l->w);
    } else if (json_array_append_new(l->items, json_pack(
                   "{s:I, s:s, s:o, s:s, s:i, s:s, s:i, s:s,"
                   " s:{s:o, s:s, s:o}, s:{s:o, s:s, s:o}, s:o, s:b, s:s}",
                   "id", (json_int_t)m->id, "status", m->status,
                   "teacher_no", from ? json_string(m->teacher_no)
                                      : json_null(),
                   "teacher", m->teacher, "subject", m->subject,
                   "subject_name", subject ? subject : "", "stage",
                   m->stage, "stage_name", stage ? stage : "", "from",
                   "code", from ? json_string(m->from_code) : json_null(),
                   "name", from ? m->from_name : OUTSIDE, "town",
                   from ? json_string(m->from_town) : json_null(), "to",
                   "code", to ? json_string(m->to_code) : json_null(),
                   "name", to ? m->to_name : OUTSIDE, "town",
                   to ? json_string(m->to_town) : json_null(), "km",
                   isnan(m->km) ? json_null() : json_real(m->km),
                   "cross_stage", m->cross_stage, "reason", reason))) {
        rc = ZX_ENOMEM;
    }
    free(reason);
    return rc;
}

static int move_fill(zx_sheetout *w, void *ctx)
{
    struct moves *l = ctx;

    l->w = w;
    return zx_redistrib_list(l->c->db, l->year, one_move, l);
}

/* The moves of the year in sight as {year, counts, km, moves}, or NULL
 * after answering. */
static json_t *moves_json(zx_call *c, int year, const char *status)
{
    struct moves l;
    json_t *j = NULL;
    int rc;

    memset(&l, 0, sizeof(l));
    l.status = status;
    if (!(l.sight = zx_api_sight_load(c)))
        return NULL;
    if (!(l.items = json_array())) {
        zx_api_fail(c, ZX_ENOMEM, NULL);
        goto out;
    }
    if ((rc = zx_redistrib_list(c->db, year, one_move, &l))) {
        zx_api_fail(c, rc, NULL);
        goto out;
    }
    j = json_pack("{s:i, s:{s:i, s:i}, s:f, s:O}", "year", year, "counts",
                  "proposed", l.proposed, "accepted", l.accepted, "km",
                  round(l.km * 10) / 10, "moves", l.items);
    if (!j)
        zx_api_fail(c, ZX_ENOMEM, NULL);
out:
    json_decref(l.items);
    zx_map_free((zx_map *)l.sight);
    return j;
}

/* GET /api/redistribution: ?year=, ?status=proposed|accepted,
 * ?format=xlsx. */
static void list_moves(zx_call *c)
{
    const char *status = zx_http_query(c->req, "status");
    json_t *j;
    int year, xlsx;

    if ((xlsx = zx_sheetout_wanted(c)) < 0 || !zx_api_need_plan(c) ||
        zx_api_year_param(c, zx_values_current_year(c->plan), &year))
        return;
    if (status && !*status)
        status = NULL;
    if (status && strcmp(status, "proposed") && strcmp(status, "accepted")) {
        zx_api_error(c, 400, "bad_parameter", "status 的值“%s”无效：应为 "
                     "proposed 或 accepted", status);
        return;
    }
    if (xlsx) {
        struct moves l;
        char filename[256];
        zx_sheetout_spec spec = { "教师调配", move_cols, MV_NCOLS,
                                  filename };

        memset(&l, 0, sizeof(l));
        l.c = c;
        l.status = status;
        l.year = year;
        if (!(l.sight = zx_api_sight_load(c)))
            return;
        zx_sheetout_filename(c, filename, sizeof(filename), NULL,
                             "教师调配_%d年.xlsx", year);
        zx_sheetout_answer(c, &spec, move_fill, &l, NULL);
        zx_map_free((zx_map *)l.sight);
        return;
    }
    if ((j = moves_json(c, year, status)))
        zx_api_json(c, 200, j);
}

/* POST /api/redistribution/propose {year}: the outcome and the moves. */
static void propose(zx_call *c)
{
    zx_redistrib_outcome o;
    json_t *b, *j;
    int year, rc;

    if (body_year(c, &b, &year))
        goto out;
    if ((rc = zx_redistrib_propose(c->db, c->plan, year, c->actor, &o))) {
        zx_api_fail(c, rc, NULL);
        goto out;
    }
    if (!(j = moves_json(c, year, NULL)))
        goto out;
    if (json_object_set_new(j, "outcome", json_pack(
            "{s:i, s:i, s:i, s:f}", "moves", o.moves, "kept", o.kept,
            "unfilled", o.unfilled, "km", o.km))) {
        json_decref(j);
        zx_api_fail(c, ZX_ENOMEM, NULL);
        goto out;
    }
    zx_api_json(c, 200, j);
out:
    json_decref(b);
}

/* POST /api/redistribution/accept {year, ids: [...]} or {year, all:
 * true}. */
static void accept(zx_call *c)
{
    json_t *b, *ids;
    long long *v = NULL;
    size_t i, n;
    int year, all = 0, done, rc;

    if (body_year(c, &b, &year))
        goto out;
    ids = json_object_get(b, "ids");
    n = json_array_size(ids);
    if (zx_api_opt_bool(c, b, "all", &all))
        goto out;
    if (all == (n > 0) || (ids && !json_is_array(ids)) || n > 100000) {
        zx_api_error(c, 400, "invalid", "请给出要确认的调配编号数组 ids，或 "
                     "all: true 确认全部待确认调配（二者取一）");
        goto out;
    }
    if (n && !(v = calloc(n, sizeof(*v)))) {
        zx_api_fail(c, ZX_ENOMEM, NULL);
        goto out;
    }
    for (i = 0; i < n; i++) {
        if (!json_is_integer(json_array_get(ids, i))) {
            zx_api_error(c, 400, "invalid", "ids 中应为调配编号（整数）");
            goto out;
        }
        v[i] = json_integer_value(json_array_get(ids, i));
    }
    rc = zx_redistrib_accept(c->db, year, v, (int)n, c->actor, &done);
    if (rc == ZX_ENOTFOUND)
        zx_api_error(c, 404, "not_found", "有编号不是 %d 年待确认的调配，"
                     "未作任何确认", year);
    else if (rc)
        zx_api_fail(c, rc, NULL);
    else
        zx_api_json(c, 200, json_pack("{s:b, s:i, s:i, s:s}", "ok", 1,
                                      "year", year, "accepted", done,
                                      "note", "确认调配不改变教师名册，调动由"
                                      "办公室通过教师信息修改或导入办理"));
out:
    free(v);
    json_decref(b);
}

const zx_route zx_api_staffing_routes[] = {
    { "GET", "/api/staffing", ZX_ROLE_ANY, list_staffing, ZX_ROUTE_CACHED },
    { "GET", "/api/staffing/subjects", ZX_ROLE_ANY, list_subjects,
      ZX_ROUTE_CACHED },
    { "POST", "/api/staffing/save", ZX_ROLE_ADMIN, save_staffing, 0 },
    { "GET", "/api/redistribution", ZX_ROLE_ANY, list_moves,
      ZX_ROUTE_CACHED },
    { "POST", "/api/redistribution/propose", ZX_ROLE_ADMIN, propose, 0 },
    { "POST", "/api/redistribution/accept", ZX_ROLE_ADMIN, accept, 0 },
    { NULL, NULL, 0, NULL, 0 }
};
