/*
 * api_training.c - the teaching force over HTTP: the gap lists of the
 * development roles (/api/gaps, devroles.h) and the training ledger
 * (/api/training, training.h).
 *
 * The rules are the core's; this file adds the caller's sight.  The
 * core's listings are city-wide and name units by code, so a listing
 * first loads the codes of the units the caller sees (zx_api_sight_load)
 * and keeps only rows of those: no callback queries the database while a
 * core statement steps, and a row out of sight is left out of the page,
 * the total and the counts alike.  A unit or teacher out of sight asked
 * for by name is answered 404 exactly like one that does not exist.
 */
#include "api.h"
#include "codes.h"
#include "devroles.h"
#include "map.h"
#include "sheetout.h"
#include "training.h"
#include "values.h"
#include "zx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- GET /api/gaps ----------------------------------------------------------- */

/* "a,b" or "all" into a bit set; 0 after answering 400. */
static unsigned parse_checks(zx_call *c, const char *s)
{
    char buf[128], *tok, *save = NULL;
    unsigned bits = 0;
    int k;

    if (!s || !*s)
        return ZX_DEVROLES_ALL;
    snprintf(buf, sizeof(buf), "%s", s);
    for (tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        if (strcmp(tok, "all") == 0) {
            bits |= ZX_DEVROLES_ALL;
            continue;
        }
        if ((k = zx_devroles_check_parse(tok)) < 0) {
            zx_api_error(c, 400, "bad_parameter", "check 的值“%s”无效：应为 "
                         "seed、model、subject-leader、project、cadres、"
                         "mentor 或 all", tok);
            return 0;
        }
        bits |= 1u << k;
    }
    if (!bits)
        zx_api_error(c, 400, "bad_parameter", "check 需要至少一项检查");
    return bits;
}

struct gaps {
    const zx_map *sight;
    int year;
    json_t *items;
    zx_api_pager page;
    long long gap[ZX_DEVROLES_NCHECKS], over[ZX_DEVROLES_NCHECKS];
};

static int gap_row(void *ctx, const zx_devroles_row *r)
{
    struct gaps *g = ctx;
    json_t *j;

    if (!zx_api_sight_has(g->sight, r->unit_code))
        return 0;
    if (r->kind == ZX_DEVROLES_OVER)
        g->over[r->check]++;
    else
        g->gap[r->check]++;
    if (!zx_api_pager_take(&g->page))
        return 0;
    j = json_pack("{s:s, s:s, s:s?, s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:o,"
                  " s:s?, s:s?, s:s?, s:s, s:I, s:I}",
                  "check", zx_devroles_check_id(r->check), "check_name",
                  zx_devroles_check_title(r->check), "indicator",
                  r->indicator, "clause", zx_devroles_check_clause(r->check),
                  "year", g->year, "kind",
                  r->kind == ZX_DEVROLES_OVER ? "over" : "gap", "kind_name",
                  r->kind == ZX_DEVROLES_OVER ? "超出" : "缺口", "unit",
                  r->unit_code, "unit_name", r->unit_name, "town", r->town,
                  "subject",
                  r->subject ? json_integer(r->subject) : json_null(),
                  "subject_name", r->subject_name, "teacher_no",
                  r->teacher_no, "teacher_name", r->teacher_name, "what",
                  r->what, "have", (json_int_t)r->have, "need",
                  (json_int_t)r->need);
    return json_array_append_new(g->items, j) ? ZX_ENOMEM : 0;
}

/* ---- the gap rows as a workbook (?format=xlsx) ---- */

enum { GX_CHECK, GX_CLAUSE, GX_INDICATOR, GX_KIND, GX_YEAR, GX_TOWN,
       GX_CODE, GX_UNIT, GX_SUBJECT, GX_TEACHER_NO, GX_TEACHER, GX_HAVE,
       GX_NEED, GX_WHAT, GX_NCOLS };

static const zx_sheetout_col gap_cols[GX_NCOLS] = {
    { "检查项", ZX_SHEETOUT_TEXT, 0 }, { "条款", ZX_SHEETOUT_TEXT, 0 },
    { "指标", ZX_SHEETOUT_TEXT, 0 }, { "类别", ZX_SHEETOUT_TEXT, 0 },
    { "年度", ZX_SHEETOUT_NUM, 0 }, { "区镇", ZX_SHEETOUT_TEXT, 0 },
    { "学校代码", ZX_SHEETOUT_TEXT, 0 }, { "学校", ZX_SHEETOUT_TEXT, 0 },
    { "学科", ZX_SHEETOUT_TEXT, 0 }, { "教师编号", ZX_SHEETOUT_TEXT, 0 },
    { "教师", ZX_SHEETOUT_TEXT, 0 }, { "现有", ZX_SHEETOUT_NUM, 0 },
    { "应有", ZX_SHEETOUT_NUM, 0 }, { "说明", ZX_SHEETOUT_TEXT, 0 },
};

struct gapx {
    zx_call *c;
    const zx_map *sight;
    zx_sheetout *w;
    unsigned checks;
    int year;
    long long uid;
    zx_diag *d;
};

static int gap_cells(void *ctx, const zx_devroles_row *r)
{
    struct gapx *x = ctx;
    zx_sheetout *w = x->w;

    if (!zx_api_sight_has(x->sight, r->unit_code) || !zx_sheetout_row(w))
        return 0;
    zx_sheetout_text(w, GX_CHECK, zx_devroles_check_title(r->check));
    zx_sheetout_text(w, GX_CLAUSE, zx_devroles_check_clause(r->check));
    zx_sheetout_text(w, GX_INDICATOR, r->indicator);
    zx_sheetout_text(w, GX_KIND, r->kind == ZX_DEVROLES_OVER ? "超出" : "缺口");
    zx_sheetout_num(w, GX_YEAR, x->year);
    zx_sheetout_text(w, GX_TOWN, r->town);
    zx_sheetout_text(w, GX_CODE, r->unit_code);
    zx_sheetout_text(w, GX_UNIT, r->unit_name);
    zx_sheetout_text(w, GX_SUBJECT, r->subject_name);
    zx_sheetout_text(w, GX_TEACHER_NO, r->teacher_no);
    zx_sheetout_text(w, GX_TEACHER, r->teacher_name);
    zx_sheetout_num(w, GX_HAVE, (double)r->have);
    zx_sheetout_num(w, GX_NEED, (double)r->need);
    zx_sheetout_text(w, GX_WHAT, r->what);
    return zx_sheetout_status(w);
}

static int gap_fill(zx_sheetout *w, void *ctx)
{
    struct gapx *x = ctx;
    size_t i;
    int rc;

    x->w = w;
    rc = zx_devroles_gaps(x->c->db, x->c->plan, x->checks, x->year, x->uid,
                          gap_cells, x, x->d);
    for (i = 0; !rc && i < zx_diag_count(x->d); i++)
        zx_sheetout_note(w, "%s", zx_diag_get(x->d, i)->msg);
    return rc;
}

static void export_gaps(zx_call *c, struct gapx *x, const char *unit)
{
    char filename[512];
    zx_sheetout_spec spec = { "队伍建设缺口", gap_cols, GX_NCOLS, filename };

    zx_sheetout_filename(c, filename, sizeof(filename), unit,
                         "队伍建设缺口_%d年.xlsx", x->year);
    zx_sheetout_answer(c, &spec, gap_fill, x, x->d);
}

/* Rows of the checks asked, of the schools the caller sees (within
 * ?unit= when given), one page, with the counts per check of every row
 * in sight; notes are the checks the plan leaves out. */
static void list_gaps(zx_call *c)
{
    struct gaps g;
    unsigned checks;
    const char *unit = zx_http_query(c->req, "unit");
    char code[64], kind[16];
    long long uid = 0;
    zx_diag *d = NULL;
    zx_map *sight = NULL;
    json_t *counts = NULL, *notes = NULL, *j;
    size_t i;
    int rc, k, xlsx;

    memset(&g, 0, sizeof(g));
    if ((xlsx = zx_sheetout_wanted(c)) < 0 || !zx_api_need_plan(c) ||
        !(checks = parse_checks(c, zx_http_query(c->req, "check"))) ||
        zx_api_year_param(c, zx_values_current_year(c->plan), &g.year) ||
        zx_api_page(c, &g.page.offset, &g.page.limit))
        return;
    if (unit && *unit && zx_api_unit_code(c, unit, &uid, code, kind))
        return;
    if (!(sight = zx_api_sight_load(c)))
        return;
    g.sight = sight;
    rc = ZX_ENOMEM;
    if (xlsx) {
        struct gapx x = { c, sight, NULL, checks, g.year, uid, NULL };

        if ((x.d = zx_diag_new()))
            export_gaps(c, &x, uid ? code : NULL);
        else
            zx_api_fail(c, ZX_ENOMEM, NULL);
        zx_diag_free(x.d);
        zx_map_free(sight);
        return;
    }
    if (!(g.items = json_array()) || !(d = zx_diag_new()))
        goto fail;
    if ((rc = zx_devroles_gaps(c->db, c->plan, checks, g.year, uid, gap_row,
                               &g, d)))
        goto fail;
    rc = ZX_ENOMEM;
    if (!(counts = json_object()) || !(notes = json_array()))
        goto fail;
    for (k = 0; k < ZX_DEVROLES_NCHECKS; k++)
        if ((checks & 1u << k) &&
            json_object_set_new(counts, zx_devroles_check_id(k),
                                json_pack("{s:s, s:s, s:I, s:I}", "name",
                                          zx_devroles_check_title(k),
                                          "clause",
                                          zx_devroles_check_clause(k),
                                          "gap", (json_int_t)g.gap[k],
                                          "over", (json_int_t)g.over[k])))
            goto fail;
    for (i = 0; i < zx_diag_count(d); i++)
        if (json_array_append_new(notes,
                                  json_string(zx_diag_get(d, i)->msg)))
            goto fail;
    j = zx_api_list_json(g.items, g.page.total, g.page.offset, g.page.limit);
    g.items = NULL;
    if (j && json_object_update_new(j, json_pack("{s:i, s:o, s:o}", "year",
                                                 g.year, "counts", counts,
                                                 "notes", notes))) {
        json_decref(j);
        j = NULL;
    }
    zx_api_json(c, 200, j);
    zx_diag_free(d);
    zx_map_free(sight);
    return;

fail:
    json_decref(counts);
    json_decref(notes);
    json_decref(g.items);
    zx_api_fail(c, rc, d);
    zx_diag_free(d);
    zx_map_free(sight);
}

/* ---- training: accounting ------------------------------------------------------ */

/* The query of ?unit= and ?year=: a unit given must be in sight; without
 * one, the caller's own unit when it sees it (a town, a school), else
 * the whole city with only the rows in sight kept (an inspector, whose
 * unit is the city but who sees its schools only).  kind is the top
 * unit's kind, "" when there is none.  Returns 0, or -1 after
 * answering. */
static int training_query(zx_call *c, zx_training_query *q, char *code,
                          char *kind, int *year)
{
    const char *unit = zx_http_query(c->req, "unit");
    sqlite3_stmt *st;
    long long own = zx_scope_unit(c->scope), id;

    memset(q, 0, sizeof(*q));
    kind[0] = '\0';
    if (!zx_api_need_plan(c) || zx_api_year_param(c, zx_training_year(c->plan), year))
        return -1;
    q->year = *year;
    if (unit && *unit) {
        if (zx_api_unit_code(c, unit, &id, code, kind))
            return -1;
        q->unit = code;
        return 0;
    }
    if (!zx_scope_sees(c->scope, own))
        return 0;
    if (!(st = zx_db_prepare(c->db, "SELECT code, kind FROM org_unit"
                                    " WHERE id = ?1"))) {
        zx_api_fail(c, ZX_EDB, NULL);
        return -1;
    }
    sqlite3_bind_int64(st, 1, own);
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(code, 64, "%s", (const char *)sqlite3_column_text(st, 0));
        snprintf(kind, 16, "%s", (const char *)sqlite3_column_text(st, 1));
        q->unit = code;
    }
    sqlite3_reset(st);
    return 0;
}

struct tunits {
    const zx_map *sight;
    const char *top_kind;      /* "" when every row in sight is wanted */
    json_t *items;
};

static int unit_row(void *ctx, const zx_training_unit *u)
{
    struct tunits *t = ctx;

    if (!zx_api_sight_has(t->sight, u->code))
        return 0;
    /* the unit and the level below it: under the city its towns and
     * groups (the schools are a page of their own, asked by town) */
    if (strcmp(t->top_kind, "city") == 0 && u->level == ZX_LEVEL_SCHOOL)
        return 0;
    return json_array_append_new(
               t->items,
               json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:o, s:o, s:o,"
                         " s:o}",
                         "level", zx_level_name(u->level), "code", u->code,
                         "name", u->name, "teachers",
                         (json_int_t)u->teachers, "complete",
                         (json_int_t)u->complete, "on_track",
                         (json_int_t)u->on_track, "complete_share",
                         zx_result_figure_json(u->complete_share),
                         "on_track_share",
                         zx_result_figure_json(u->on_track_share),
                         "milestone", zx_result_figure_json(u->milestone),
                         "target", zx_result_figure_json(u->target)))
               ? ZX_ENOMEM : 0;
}

/* ---- the accounting as a workbook (?format=xlsx) ---- */

enum { UX_LEVEL, UX_CODE, UX_NAME, UX_TEACHERS, UX_COMPLETE, UX_COMPLETE_SHARE,
       UX_ON_TRACK, UX_ON_TRACK_SHARE, UX_MILESTONE, UX_TARGET, UX_NCOLS };

static const zx_sheetout_col unit_cols[UX_NCOLS] = {
    { "层级", ZX_SHEETOUT_TEXT, 0 }, { "单位代码", ZX_SHEETOUT_TEXT, 0 },
    { "单位", ZX_SHEETOUT_TEXT, 0 }, { "乡村教师", ZX_SHEETOUT_NUM, 0 },
    { "已完成目标", ZX_SHEETOUT_NUM, 0 }, { "完成率（%）", ZX_SHEETOUT_FIG, 0 },
    { "达到节点", ZX_SHEETOUT_NUM, 0 }, { "按期率（%）", ZX_SHEETOUT_FIG, 0 },
    { "当年节点学时", ZX_SHEETOUT_FIG, 0 }, { "目标学时", ZX_SHEETOUT_FIG, 0 },
};

/* What the fills of the training workbooks share with their rows. */
struct trainx {
    zx_call *c;
    const zx_map *sight;
    const char *top_kind;
    zx_training_query *q;
    zx_sheetout *w;
    zx_diag *d;
};

static int unit_cells(void *ctx, const zx_training_unit *u)
{
    struct trainx *x = ctx;
    zx_sheetout *w = x->w;

    if (!zx_api_sight_has(x->sight, u->code) ||
        (strcmp(x->top_kind, "city") == 0 && u->level == ZX_LEVEL_SCHOOL) ||
        !zx_sheetout_row(w))
        return 0;
    zx_sheetout_text(w, UX_LEVEL, zx_values_level_title(u->level));
    zx_sheetout_text(w, UX_CODE, u->code);
    zx_sheetout_text(w, UX_NAME, u->name);
    zx_sheetout_num(w, UX_TEACHERS, (double)u->teachers);
    zx_sheetout_num(w, UX_COMPLETE, (double)u->complete);
    zx_sheetout_num(w, UX_COMPLETE_SHARE, u->complete_share);
    zx_sheetout_num(w, UX_ON_TRACK, (double)u->on_track);
    zx_sheetout_num(w, UX_ON_TRACK_SHARE, u->on_track_share);
    zx_sheetout_num(w, UX_MILESTONE, u->milestone);
    zx_sheetout_num(w, UX_TARGET, u->target);
    return zx_sheetout_status(w);
}

static int unit_fill(zx_sheetout *w, void *ctx)
{
    struct trainx *x = ctx;

    x->w = w;
    return zx_training_units(x->c->db, x->c->plan, x->q, unit_cells, x,
                             x->d);
}

enum { TX_NO, TX_NAME, TX_SCHOOL_CODE, TX_SCHOOL, TX_TOWN, TX_SPECIAL,
       TX_CONTINUING, TX_OUTSIDE, TX_MILESTONE, TX_TARGET, TX_COMPLETE,
       TX_ON_TRACK, TX_SHORTFALL, TX_NCOLS };

static const zx_sheetout_col teacher_cols[TX_NCOLS] = {
    { "教师编号", ZX_SHEETOUT_TEXT, 0 }, { "姓名", ZX_SHEETOUT_TEXT, 0 },
    { "学校代码", ZX_SHEETOUT_TEXT, 0 }, { "学校", ZX_SHEETOUT_TEXT, 0 },
    { "区镇", ZX_SHEETOUT_TEXT, 0 }, { "专项学时", ZX_SHEETOUT_FIG, 0 },
    { "继续教育学时", ZX_SHEETOUT_FIG, 0 },
    { "窗口外专项学时", ZX_SHEETOUT_FIG, 0 },
    { "当年节点学时", ZX_SHEETOUT_FIG, 0 }, { "目标学时", ZX_SHEETOUT_FIG, 0 },
    { "已完成目标", ZX_SHEETOUT_TEXT, 0 }, { "达到节点", ZX_SHEETOUT_TEXT, 0 },
    { "差额学时", ZX_SHEETOUT_FIG, 0 },
};

static int teacher_cells(void *ctx, const zx_training_hours *h)
{
    struct trainx *x = ctx;
    zx_sheetout *w = x->w;

    if (!zx_api_sight_has(x->sight, h->school_code) || !zx_sheetout_row(w))
        return 0;
    zx_sheetout_text(w, TX_NO, h->teacher_no);
    zx_sheetout_text(w, TX_NAME, h->name);
    zx_sheetout_text(w, TX_SCHOOL_CODE, h->school_code);
    zx_sheetout_text(w, TX_SCHOOL, h->school_name);
    zx_sheetout_text(w, TX_TOWN, h->town_name);
    zx_sheetout_num(w, TX_SPECIAL, h->special);
    zx_sheetout_num(w, TX_CONTINUING, h->continuing);
    zx_sheetout_num(w, TX_OUTSIDE, h->outside);
    zx_sheetout_num(w, TX_MILESTONE, h->milestone);
    zx_sheetout_num(w, TX_TARGET, h->target);
    zx_sheetout_yes(w, TX_COMPLETE, h->complete);
    zx_sheetout_yes(w, TX_ON_TRACK, h->on_track);
    zx_sheetout_num(w, TX_SHORTFALL, h->shortfall);
    return zx_sheetout_status(w);
}

static int teacher_fill(zx_sheetout *w, void *ctx)
{
    struct trainx *x = ctx;

    x->w = w;
    return zx_training_teachers(x->c->db, x->c->plan, x->q, teacher_cells,
                                x, x->d);
}

/* The workbook of the accounting (teachers 0) or of the teachers: the
 * same rows as the JSON answer, every page. */
static void export_training(zx_call *c, zx_training_query *q,
                            const char *kind, int teachers)
{
    struct trainx x = { c, NULL, kind, q, NULL, NULL };
    zx_sheetout_spec spec = { NULL, NULL, 0, NULL };
    char filename[512];
    zx_map *sight;

    if (!(sight = zx_api_sight_load(c)))
        return;
    x.sight = sight;
    if (!(x.d = zx_diag_new())) {
        zx_api_fail(c, ZX_ENOMEM, NULL);
        zx_map_free(sight);
        return;
    }
    if (teachers) {
        spec = (zx_sheetout_spec){ q->behind_only ? "未达节点教师" : "教师学时",
                                   teacher_cols, TX_NCOLS, filename };
        zx_sheetout_filename(c, filename, sizeof(filename), q->unit,
                             "教师培训_%s_%d年.xlsx",
                             q->behind_only ? "未达节点教师" : "教师学时",
                             q->year);
    } else {
        spec = (zx_sheetout_spec){ "培训统计", unit_cols, UX_NCOLS,
                                   filename };
        zx_sheetout_filename(c, filename, sizeof(filename), q->unit,
                             "教师培训_%d年.xlsx", q->year);
    }
    zx_sheetout_answer(c, &spec, teachers ? teacher_fill : unit_fill, &x,
                       x.d);
    zx_diag_free(x.d);
    zx_map_free(sight);
}

static void training_units(zx_call *c)
{
    struct tunits t = { NULL, "", NULL };
    zx_training_query q;
    zx_diag *d = NULL;
    zx_map *sight;
    char code[64], kind[16];
    int year, rc = ZX_ENOMEM, xlsx;

    if ((xlsx = zx_sheetout_wanted(c)) < 0 ||
        training_query(c, &q, code, kind, &year))
        return;
    if (xlsx) {
        export_training(c, &q, kind, 0);
        return;
    }
    if (!(sight = zx_api_sight_load(c)))
        return;
    t.sight = sight;
    t.top_kind = kind;
    if (!(t.items = json_array()) || !(d = zx_diag_new()))
        goto out;
    if ((rc = zx_training_units(c->db, c->plan, &q, unit_row, &t, d)))
        goto out;
    zx_api_json(c, 200,
                json_pack("{s:i, s:o, s:o, s:s?, s:O}", "year", year,
                          "target",
                          zx_result_figure_json(zx_training_target(c->plan)),
                          "milestone",
                          zx_result_figure_json(
                              zx_training_milestone(c->plan, year)),
                          "unit", q.unit, "items", t.items));
out:
    if (rc)
        zx_api_fail(c, rc, d);
    json_decref(t.items);
    zx_diag_free(d);
    zx_map_free(sight);
}

static json_t *hours_json(const zx_training_hours *h)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:o, s:o, s:o, s:o,"
                     " s:o, s:b, s:b, s:o}",
                     "teacher_no", h->teacher_no, "name", h->name,
                     "school_code", h->school_code, "school_name",
                     h->school_name, "town", h->town_name, "rural", h->rural,
                     "special", zx_result_figure_json(h->special),
                     "continuing", zx_result_figure_json(h->continuing),
                     "outside", zx_result_figure_json(h->outside),
                     "milestone", zx_result_figure_json(h->milestone),
                     "target", zx_result_figure_json(h->target), "complete",
                     h->complete, "on_track", h->on_track, "shortfall",
                     zx_result_figure_json(h->shortfall));
}

struct tteachers {
    const zx_map *sight;
    json_t *items;
    zx_api_pager page;
};

static int teacher_row(void *ctx, const zx_training_hours *h)
{
    struct tteachers *t = ctx;

    if (!zx_api_sight_has(t->sight, h->school_code) || !zx_api_pager_take(&t->page))
        return 0;
    return json_array_append_new(t->items, hours_json(h)) ? ZX_ENOMEM : 0;
}

static void training_teachers(zx_call *c)
{
    struct tteachers t;
    zx_training_query q;
    zx_diag *d = NULL;
    zx_map *sight;
    char code[64], kind[16];
    json_t *j;
    int year, ok = 1, rc = ZX_ENOMEM, xlsx;

    memset(&t, 0, sizeof(t));
    if ((xlsx = zx_sheetout_wanted(c)) < 0 ||
        training_query(c, &q, code, kind, &year))
        return;
    q.behind_only = (int)zx_api_query_int(c, "behind", 0, 0, 1, &ok);
    if (!ok || zx_api_page(c, &t.page.offset, &t.page.limit))
        return;
    if (xlsx) {
        export_training(c, &q, kind, 1);
        return;
    }
    if (!(sight = zx_api_sight_load(c)))
        return;
    t.sight = sight;
    if (!(t.items = json_array()) || !(d = zx_diag_new()))
        goto out;
    if ((rc = zx_training_teachers(c->db, c->plan, &q, teacher_row, &t, d)))
        goto out;
    j = zx_api_list_json(t.items, t.page.total, t.page.offset, t.page.limit);
    t.items = NULL;
    if (j && json_object_update_new(
                 j, json_pack("{s:i, s:o, s:o}", "year", year, "target",
                              zx_result_figure_json(
                                  zx_training_target(c->plan)),
                              "milestone",
                              zx_result_figure_json(
                                  zx_training_milestone(c->plan, year))))) {
        json_decref(j);
        j = NULL;
    }
    zx_api_json(c, 200, j);
out:
    if (rc)
        zx_api_fail(c, rc, d);
    json_decref(t.items);
    zx_diag_free(d);
    zx_map_free(sight);
}

/* ---- training: the catalogue -------------------------------------------------- */

static json_t *course_json(const zx_course *k)
{
    return json_pack("{s:s, s:s, s:s?, s:o, s:i, s:s?, s:i, s:s?, s:b, s:I,"
                     " s:s, s:s, s:b, s:I, s:I, s:o}",
                     "code", k->code, "name", k->name, "base", k->base,
                     "hours", zx_result_figure_json(k->hours), "subject",
                     k->subject, "subject_name",
                     zx_api_code_name("subject", k->subject), "stage", k->stage,
                     "stage_name", zx_api_code_name("stage", k->stage), "required",
                     k->required, "capacity", (json_int_t)k->capacity,
                     "starts_on", k->starts_on, "ends_on", k->ends_on,
                     "special", k->special, "enrolled",
                     (json_int_t)k->enrolled, "completed",
                     (json_int_t)k->completed, "places_left",
                     k->capacity ? json_integer(k->capacity - k->enrolled)
                                 : json_null());
}

static int add_course(void *ctx, const zx_course *k)
{
    return json_array_append_new(ctx, course_json(k)) ? ZX_ENOMEM : 0;
}

struct bases {
    const zx_map *sight;
    json_t *items;
};

/* A base's school is named only to a caller who sees it; the base's own
 * name is the catalogue's public text, shown to every rural teacher. */
static int add_base(void *ctx, const zx_training_base *b)
{
    struct bases *s = ctx;
    int shown = zx_api_sight_has(s->sight, b->school_code);

    return json_array_append_new(
               s->items,
               json_pack("{s:s, s:s, s:s?, s:s?, s:i, s:s?, s:I}", "name",
                         b->name, "kind", b->kind, "school_code",
                         shown ? b->school_code : NULL, "school_name",
                         shown ? b->school_name : NULL, "subject",
                         b->subject, "subject_name",
                         zx_api_code_name("subject", b->subject), "courses",
                         (json_int_t)b->courses))
               ? ZX_ENOMEM : 0;
}

static void list_courses(zx_call *c)
{
    struct bases b = { NULL, NULL };
    json_t *courses = json_array();
    zx_map *sight = zx_api_sight_load(c);
    int rc = ZX_ENOMEM;

    if (!sight) {
        json_decref(courses);
        return;
    }
    b.sight = sight;
    if (courses && (b.items = json_array()) &&
        !(rc = zx_training_courses(c->db, NULL, add_course, courses)) &&
        !(rc = zx_training_bases(c->db, add_base, &b))) {
        zx_api_json(c, 200, json_pack("{s:O, s:O}", "courses", courses,
                                      "bases", b.items));
    } else {
        zx_api_fail(c, rc, NULL);
    }
    json_decref(courses);
    json_decref(b.items);
    zx_map_free(sight);
}

/* The course of code, answered as {"ok", extra..., "course"}. */
static void answer_course(zx_call *c, const char *code, json_t *extra)
{
    json_t *one = json_array(), *j = NULL;
    int rc = one ? zx_training_courses(c->db, code, add_course, one)
                 : ZX_ENOMEM;

    if (rc) {
        json_decref(one);
        json_decref(extra);
        zx_api_fail(c, rc, NULL);
        return;
    }
    if (extra && !json_object_set_new(extra, "ok", json_true()) &&
        !json_object_set(extra, "course", json_array_get(one, 0)))
        j = extra;
    else
        json_decref(extra);
    json_decref(one);
    zx_api_json(c, 200, j);
}

/* Body: the whole course {code, name, hours, starts_on, ends_on, base?,
 * subject?, stage? (codes; 0 any), required? (false), capacity? (0:
 * unlimited), special? (true)}; an existing code is updated under the
 * catalogue's rules. */
static void put_course(zx_call *c)
{
    static const char *const changes[] = { "unchanged", "inserted",
                                           "updated" };
    json_t *b = zx_api_body(c);
    zx_course k;
    zx_diag *d = NULL;
    long long subject = 0, stage = 0, capacity = 0;
    int rc, change;

    if (!b)
        return;
    memset(&k, 0, sizeof(k));
    k.special = 1;
    if (!(k.code = zx_api_need_str(c, b, "code")) ||
        !(k.name = zx_api_need_str(c, b, "name")) ||
        !(k.starts_on = zx_api_need_str(c, b, "starts_on")) ||
        !(k.ends_on = zx_api_need_str(c, b, "ends_on")) ||
        zx_api_opt_str(c, b, "base", &k.base) ||
        zx_api_opt_num(c, b, "hours", &k.hours) ||
        zx_api_opt_int(c, b, "subject", 0, 1000000, &subject) ||
        zx_api_opt_int(c, b, "stage", 0, 1000000, &stage) ||
        zx_api_opt_int(c, b, "capacity", 0, 1000000000, &capacity) ||
        zx_api_opt_bool(c, b, "required", &k.required) ||
        zx_api_opt_bool(c, b, "special", &k.special))
        goto out;
    if (k.base && !*k.base)
        k.base = NULL;
    k.subject = (int)subject;
    k.stage = (int)stage;
    k.capacity = (long)capacity;
    if (!(d = zx_diag_new())) {
        zx_api_fail(c, ZX_ENOMEM, NULL);
        goto out;
    }
    if ((rc = zx_training_course_put(c->db, &k, c->actor, d, &change)))
        zx_api_fail(c, rc, d);
    else
        answer_course(c, k.code,
                      json_pack("{s:s}", "change", changes[change]));
out:
    zx_diag_free(d);
    json_decref(b);
}

/* Body {course, teacher}: enrolment (withdraw 0) or withdrawal. */
static void enrolment(zx_call *c, int withdraw)
{
    json_t *b = zx_api_body(c);
    const char *course, *teacher;
    zx_diag *d = NULL;
    int rc;

    if (!b)
        return;
    if (!zx_api_need_plan(c) || !(course = zx_api_need_str(c, b, "course")) ||
        !(teacher = zx_api_need_str(c, b, "teacher")) ||
        zx_api_teacher_writable(c, teacher))
        goto out;
    if (!(d = zx_diag_new())) {
        zx_api_fail(c, ZX_ENOMEM, NULL);
        goto out;
    }
    rc = withdraw ? zx_training_withdraw(c->db, course, teacher, c->actor, d)
                  : zx_training_enrol(c->db, c->plan, course, teacher, NULL,
                                      c->actor, d);
    if (rc)
        zx_api_fail(c, rc, d);
    else
        answer_course(c, course, json_object());
out:
    zx_diag_free(d);
    json_decref(b);
}

static void enrol(zx_call *c)
{
    enrolment(c, 0);
}

static void withdraw(zx_call *c)
{
    enrolment(c, 1);
}

static int one_hours(void *ctx, const zx_training_hours *h)
{
    json_t **out = ctx;

    json_decref(*out);
    *out = hours_json(h);
    return *out ? 0 : ZX_ENOMEM;
}

/* Body {teacher, course? (a catalogue code), name? (training outside the
 * catalogue), hours?, date, special?}: one completion; answers the
 * teacher's hours after it. */
static void post_record(zx_call *c)
{
    json_t *b = zx_api_body(c), *hours = NULL;
    zx_training_completion k;
    zx_training_query q;
    zx_diag *d = NULL;
    int rc, special = -1;

    if (!b)
        return;
    memset(&k, 0, sizeof(k));
    if (!zx_api_need_plan(c) || !(k.teacher = zx_api_need_str(c, b, "teacher")) ||
        !(k.done_on = zx_api_need_str(c, b, "date")) ||
        zx_api_opt_str(c, b, "course", &k.course) ||
        zx_api_opt_str(c, b, "name", &k.name) ||
        zx_api_opt_num(c, b, "hours", &k.hours) ||
        zx_api_opt_bool(c, b, "special", &special) ||
        zx_api_teacher_writable(c, k.teacher))
        goto out;
    if (k.course && !*k.course)
        k.course = NULL;
    k.special = special;
    if (!(d = zx_diag_new())) {
        zx_api_fail(c, ZX_ENOMEM, NULL);
        goto out;
    }
    if ((rc = zx_training_record(c->db, c->plan, &k, NULL, c->actor, d))) {
        zx_api_fail(c, rc, d);
        goto out;
    }
    memset(&q, 0, sizeof(q));
    q.teacher = k.teacher;
    if ((rc = zx_training_teachers(c->db, c->plan, &q, one_hours, &hours,
                                   d))) {
        zx_api_fail(c, rc, d);
        goto out;
    }
    zx_api_json(c, 200, json_pack("{s:b, s:O}", "ok", 1, "hours",
                                  hours ? hours : json_null()));
out:
    json_decref(hours);
    zx_diag_free(d);
    json_decref(b);
}

const zx_route zx_api_training_routes[] = {
    { "GET", "/api/gaps", ZX_ROLE_ANY, list_gaps, ZX_ROUTE_CACHED },
    { "GET", "/api/training/units", ZX_ROLE_ANY, training_units,
      ZX_ROUTE_CACHED },
    { "GET", "/api/training/teachers", ZX_ROLE_ANY, training_teachers,
      ZX_ROUTE_CACHED },
    { "GET", "/api/training/courses", ZX_ROLE_ANY, list_courses,
      ZX_ROUTE_CACHED },
    { "POST", "/api/training/courses", ZX_ROLE_ADMIN, put_course, 0 },
    { "POST", "/api/training/enrol", ZX_ROLE_ADMIN | ZX_ROLE_TOWN |
      ZX_ROLE_SCHOOL, enrol, 0 },
    { "POST", "/api/training/withdraw", ZX_ROLE_ADMIN | ZX_ROLE_TOWN |
      ZX_ROLE_SCHOOL, withdraw, 0 },
    { "POST", "/api/training/records", ZX_ROLE_ADMIN | ZX_ROLE_TOWN |
      ZX_ROLE_SCHOOL, post_record, 0 },
    { NULL, NULL, 0, NULL, 0 }
};
