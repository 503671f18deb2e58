/*
 * api_plan.c - the plan, its indicators and the values of its data
 * elements (/api/plan, /api/indicators and its workbook export,
 * /api/values).
 *
 * Indicator results are filtered by the caller's sight unit by unit, so
 * that an inspector sees the schools assigned and no aggregate of
 * anything else.  Values are read and written through values.h, exactly
 * as the command line does; only the scope check is added here.
 */
#include "api.h"
#include "planstore.h"
#include "sheetout.h"
#include "values.h"
#include "zx.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* ---- the plan ----------------------------------------------------------- */

static json_t *element_json(const zx_data_element *de)
{
    char says[512];

    zx_values_describe(de, says, sizeof(says));
    return json_pack("{s:s, s:s, s:s?, s:s?, s:s, s:s, s:b, s:o, s:o, s:o,"
                     " s:s}",
                     "id", de->id, "name", de->name, "clause", de->clause,
                     "help", de->help, "type", zx_de_type_name(de->type),
                     "level", zx_level_name(de->level), "yearly", de->yearly,
                     "min", de->has_min ? zx_result_figure_json(de->min) : json_null(),
                     "max", de->has_max ? zx_result_figure_json(de->max) : json_null(),
                     "options", zx_api_strings(de->options, de->noptions),
                     "accepts", says);
}

static json_t *indicator_json(const zx_plan *p, const zx_indicator *ind)
{
    json_t *levels = json_array(), *ms = json_object();
    const int *years;
    int i, n;

    for (i = 0; i < ZX_NLEVELS; i++)
        if (ind->levels & (1u << i))
            json_array_append_new(levels, json_string(zx_level_name(i)));
    years = zx_plan_years(p, &n);
    for (i = 0; i < n; i++) {
        char y[8];
        double m = zx_plan_milestone(p, ind, years[i], NAN);

        snprintf(y, sizeof(y), "%d", years[i]);
        json_object_set_new(ms, y, zx_result_figure_json(m));
    }
    return json_pack("{s:s, s:s, s:s?, s:s, s:s?, s:s?, s:s?, s:s, s:s,"
                     " s:b, s:o, s:o, s:o, s:o, s:o}",
                     "id", ind->id, "clause", ind->clause, "goal", ind->goal,
                     "name", ind->name, "unit", ind->unit, "section",
                     ind->section, "description", ind->description, "kind",
                     zx_ind_kind_name(ind->kind), "over",
                     zx_entity_name(ind->over), "lower_is_better",
                     ind->lower_is_better, "target", zx_result_figure_json(ind->target),
                     "target_max",
                     ind->target_is_range ? zx_result_figure_json(ind->target_max)
                                          : json_null(),
                     "milestones", ms, "levels", levels, "mechanism",
                     zx_api_strings(ind->mechanism, ind->nmechanism));
}

static void get_plan(zx_call *c)
{
    const zx_plan *p = c->plan;
    json_t *j, *goals, *sections, *elements, *inds, *tasks, *years;
    const zx_goal *g;
    const zx_section *s;
    const zx_data_element *de;
    const zx_indicator *in;
    const zx_task *t;
    const int *ys;
    int i, n;

    if (!zx_api_need_plan(c))
        return;
    goals = json_array();
    for (g = zx_plan_goals(p, &n), i = 0; i < n; i++)
        json_array_append_new(goals, json_pack("{s:s, s:s, s:s, s:s?}", "id",
                                               g[i].id, "clause", g[i].clause,
                                               "name", g[i].name, "text",
                                               g[i].text));
    sections = json_array();
    for (s = zx_plan_sections(p, &n), i = 0; i < n; i++)
        json_array_append_new(
            sections, json_pack("{s:s, s:s, s:s?, s:s?}", "id", s[i].id,
                                "name", s[i].name, "goal", s[i].goal,
                                "parent",
                                s[i].parent >= 0 ? s[s[i].parent].id : NULL));
    elements = json_array();
    for (de = zx_plan_elements(p, &n), i = 0; i < n; i++)
        json_array_append_new(elements, element_json(&de[i]));
    inds = json_array();
    for (in = zx_plan_indicators(p, &n), i = 0; i < n; i++)
        json_array_append_new(inds, indicator_json(p, &in[i]));
    tasks = json_array();
    for (t = zx_plan_tasks(p, &n), i = 0; i < n; i++)
        json_array_append_new(
            tasks, json_pack("{s:s, s:s, s:s?, s:s, s:s, s:o, s:s, s:s?,"
                             " s:o}",
                             "id", t[i].id, "clause", t[i].clause, "goal",
                             t[i].goal, "name", t[i].name, "lead", t[i].lead,
                             "responsible",
                             zx_api_strings(t[i].responsible, t[i].nresponsible),
                             "deadline", t[i].deadline, "evidence",
                             t[i].evidence, "indicators",
                             zx_api_strings(t[i].indicators, t[i].nindicators)));
    years = json_array();
    for (ys = zx_plan_years(p, &n), i = 0; i < n; i++)
        json_array_append_new(years, json_integer(ys[i]));
    j = json_pack("{s:s, s:s, s:s?, s:i, s:o, s:i, s:o, s:o, s:o, s:o, s:o}",
                  "id", zx_plan_id(p), "name", zx_plan_name(p), "issuer",
                  zx_plan_issuer(p), "baseline", zx_plan_baseline(p), "years",
                  years, "current_year", zx_values_current_year(p), "goals",
                  goals, "sections", sections, "elements", elements,
                  "indicators", inds, "tasks", tasks);
    zx_api_json(c, 200, j);
}

static void get_plan_text(zx_call *c)
{
    sqlite3_stmt *st = zx_db_prepare(c->db, "SELECT text FROM plan_version"
                                            " ORDER BY id DESC LIMIT 1");
    char *text;

    if (!st || sqlite3_step(st) != SQLITE_ROW) {
        if (st)
            sqlite3_reset(st);
        zx_api_not_found(c, "计划");
        return;
    }
    text = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    if (!text) {
        zx_api_fail(c, ZX_ENOMEM, NULL);
        return;
    }
    zx_api_bytes(c, text, strlen(text), "text/yaml; charset=utf-8", NULL);
}

static void put_plan(zx_call *c)
{
    zx_diag *d = zx_diag_new();
    const char *name = zx_http_query(c->req, "name");
    int rc;

    if (!d) {
        zx_api_fail(c, ZX_ENOMEM, NULL);
        return;
    }
    rc = zx_planstore_put(c->db, c->req->body, c->req->body_len,
                          name && *name ? name : "plan.yaml", c->actor, d);
    if (rc == ZX_EDATA)
        zx_api_json(c, 422, zx_api_diag_text_json("invalid_plan",
                                                  "计划文件有误，未载入", d));
    else if (rc)
        zx_api_fail(c, rc, d);
    else
        zx_api_ok(c);
    zx_diag_free(d);
}

/* ---- indicators --------------------------------------------------------- */

/* What a request for indicator results asks (?unit, ?id, ?year, ?level,
 * ?accepted).  GET /api/indicators and its export read it the same way
 * and evaluate it the same way, so that a table exported is the table
 * shown, down to what the caller may see. */
struct ind_query {
    const zx_indicator *ind;   /* ?id=, or NULL for every indicator */
    zx_engine *e;              /* all data, or only what the city accepted */
    int year;
    unsigned levels;           /* 1u << zx_level */
    long long within;          /* the unit asked for; 0: the whole tree */
    char name[256];            /* its name; "" for the whole tree */
};

/* ?level= as a bit set: one level name, several joined by commas, or
 * "all"; by default the unit's own level and the one below it. */
static int parse_levels(zx_call *c, const char *kind, unsigned *levels)
{
    const char *s = zx_http_query(c->req, "level");
    char buf[128], *tok, *save = NULL;
    int l;

    if (!s || !*s) {
        l = zx_level_parse(kind);
        *levels = 1u << l;
        if (l == ZX_LEVEL_CITY)
            *levels |= 1u << ZX_LEVEL_TOWN;
        else if (l == ZX_LEVEL_TOWN || l == ZX_LEVEL_GROUP)
            *levels |= 1u << ZX_LEVEL_SCHOOL;
        return 0;
    }
    if (strcmp(s, "all") == 0) {
        *levels = (1u << ZX_LEVEL_CITY) | (1u << ZX_LEVEL_TOWN) |
                  (1u << ZX_LEVEL_GROUP) | (1u << ZX_LEVEL_SCHOOL);
        return 0;
    }
    snprintf(buf, sizeof(buf), "%s", s);
    *levels = 0;
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        l = zx_level_parse(tok);
        if (l < 0 || l == ZX_LEVEL_TEACHER) {
            zx_api_error(c, 400, "bad_parameter",
                         "level 的值“%s”无效：应为 city、town、group、school"
                         " 或 all", tok);
            return -1;
        }
        *levels |= 1u << l;
    }
    return 0;
}

/* Reads the request into q.  Returns 0, or -1 after answering the
 * error. */
static int read_query(zx_call *c, struct ind_query *q)
{
    const char *code = zx_http_query(c->req, "unit");
    const char *id = zx_http_query(c->req, "id");
    const char *acc = zx_http_query(c->req, "accepted");
    char kind[16] = "city";
    sqlite3_stmt *st;
    int ok = 1, rc;

    memset(q, 0, sizeof(*q));
    if (!zx_api_need_plan(c))
        return -1;
    q->year = (int)zx_api_query_int(c, "year", zx_values_current_year(c->plan),
                                    1900, 2100, &ok);
    if (!ok)
        return -1;
    q->within = zx_scope_unit(c->scope);
    if (code && *code && zx_api_unit(c, code, &q->within, NULL))
        return -1;
    st = zx_db_prepare(c->db, "SELECT kind, name FROM org_unit WHERE id = ?1");
    if (st) {
        sqlite3_bind_int64(st, 1, q->within);
        if (sqlite3_step(st) == SQLITE_ROW) {
            snprintf(kind, sizeof(kind), "%s", sqlite3_column_text(st, 0));
            snprintf(q->name, sizeof(q->name), "%s",
                     sqlite3_column_text(st, 1));
        }
        sqlite3_reset(st);
    }
    /* an inspector's unit is the city, of which it sees only schools:
     * those assigned, wherever they are in the tree */
    if (c->role == ZX_ROLE_INSPECTOR && !(code && *code)) {
        snprintf(kind, sizeof(kind), "school");
        q->within = 0;
        q->name[0] = '\0';
    }
    if (parse_levels(c, kind, &q->levels))
        return -1;
    if (id && *id && !(q->ind = zx_plan_indicator(c->plan, id))) {
        zx_api_error(c, 404, "not_found", "计划中没有指标“%s”", id);
        return -1;
    }
    q->e = c->engine;
    if (acc && strcmp(acc, "1") == 0) {
        if (!c->accepted) {
            zx_diag *d = zx_diag_new();

            rc = zx_engine_open_mode(c->db, c->plan, ZX_ENGINE_ACCEPTED,
                                     &c->accepted, d);
            zx_diag_free(d);
            if (rc) {
                zx_api_fail(c, rc, NULL);
                return -1;
            }
        }
        q->e = c->accepted;
    }
    return 0;
}

struct sighted {
    const zx_scope *scope;
    zx_result_fn fn;
    void *ctx;
};

static int pass_sighted(void *ctx, const zx_result *r)
{
    struct sighted *s = ctx;

    /* an aggregate over units the caller does not see is not shown */
    return zx_scope_sees(s->scope, r->unit_id) ? s->fn(s->ctx, r) : 0;
}

/* Evaluates q, giving fn the results the caller sees, in the engine's
 * order (plan order, then city, towns, groups, schools, each by code). */
static int eval_query(zx_call *c, const struct ind_query *q, zx_result_fn fn,
                      void *ctx)
{
    struct sighted s = { c->scope, fn, ctx };

    return zx_engine_eval(q->e, q->ind, q->year, q->levels, q->within,
                          pass_sighted, &s);
}

struct results {
    json_t *items;             /* one object per indicator, in plan order */
    json_t *cur;               /* results array of the current indicator */
    const zx_indicator *ind;
};

static int add_result(void *ctx, const zx_result *r)
{
    struct results *rs = ctx;
    json_t *j;

    if (r->ind != rs->ind) {
        json_t *o = json_pack("{s:s, s:s, s:s, s:s?, s:b, s:[]}", "id",
                              r->ind->id, "clause", r->ind->clause, "name",
                              r->ind->name, "unit", r->ind->unit,
                              "lower_is_better", r->ind->lower_is_better,
                              "results");
        if (!o || json_array_append_new(rs->items, o))
            return ZX_ENOMEM;
        rs->cur = json_object_get(o, "results");
        rs->ind = r->ind;
    }
    j = json_pack("{s:s, s:s, s:s, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:s,"
                  " s:s, s:b}",
                  "level", zx_level_name(r->level), "code", r->unit_code,
                  "name", r->unit_name, "entities", (json_int_t)r->entities,
                  "numerator", zx_result_figure_json(r->numerator), "denominator",
                  zx_result_figure_json(r->denominator), "value", zx_result_figure_json(r->value),
                  "target", zx_result_figure_json(r->target), "milestone",
                  zx_result_figure_json(r->milestone), "baseline", zx_result_figure_json(r->baseline),
                  "status", zx_status_id(r->status), "status_name",
                  zx_status_name(r->status), "above_range", r->above_range);
    return j && json_array_append_new(rs->cur, j) == 0 ? 0 : ZX_ENOMEM;
}

static void get_indicators(zx_call *c)
{
    struct results rs = { 0 };
    struct ind_query q;
    int rc;

    if (read_query(c, &q))
        return;
    rs.items = json_array();
    rc = eval_query(c, &q, add_result, &rs);
    if (rc) {
        json_decref(rs.items);
        zx_api_fail(c, rc, NULL);
        return;
    }
    zx_api_json(c, 200, json_pack("{s:i, s:b, s:o}", "year", q.year,
                                  "accepted_only", q.e != c->engine,
                                  "indicators", rs.items));
}

/* ---- indicators as a workbook ------------------------------------------- */

/* The columns of the export, with their widths in Excel's units. */
enum { COL_ID, COL_CLAUSE, COL_NAME, COL_YEAR, COL_LEVEL, COL_CODE,
       COL_UNIT, COL_NUM, COL_DEN, COL_VALUE, COL_MEASURE, COL_MILESTONE,
       COL_TARGET, COL_BASELINE, COL_STATUS, NCOLS };

static const zx_sheetout_col sheet_cols[NCOLS] = {
    { "指标编号", ZX_SHEETOUT_TEXT, 22 }, { "条款", ZX_SHEETOUT_TEXT, 9 },
    { "指标", ZX_SHEETOUT_TEXT, 36 }, { "年度", ZX_SHEETOUT_NUM, 7 },
    { "层级", ZX_SHEETOUT_TEXT, 7 }, { "单位代码", ZX_SHEETOUT_TEXT, 13 },
    { "单位", ZX_SHEETOUT_TEXT, 30 }, { "分子", ZX_SHEETOUT_NUM, 10 },
    { "分母", ZX_SHEETOUT_NUM, 10 }, { "值", ZX_SHEETOUT_FIG, 10 },
    { "计量单位", ZX_SHEETOUT_TEXT, 9 }, { "阶段目标", ZX_SHEETOUT_FIG, 10 },
    { "最终目标", ZX_SHEETOUT_FIG, 10 }, { "基线值", ZX_SHEETOUT_FIG, 10 },
    { "状态", ZX_SHEETOUT_TEXT, 10 },
};

struct indx {
    zx_call *c;
    const struct ind_query *q;
    zx_sheetout *w;
};

static int add_row(void *ctx, const zx_result *r)
{
    zx_sheetout *w = ((struct indx *)ctx)->w;

    if (!zx_sheetout_row(w))
        return 0;
    zx_sheetout_text(w, COL_ID, r->ind->id);
    zx_sheetout_text(w, COL_CLAUSE, r->ind->clause);
    zx_sheetout_text(w, COL_NAME, r->ind->name);
    zx_sheetout_num(w, COL_YEAR, r->year);
    zx_sheetout_text(w, COL_LEVEL, zx_values_level_title(r->level));
    zx_sheetout_text(w, COL_CODE, r->unit_code);
    zx_sheetout_text(w, COL_UNIT, r->unit_name);
    zx_sheetout_num(w, COL_NUM, r->numerator);
    zx_sheetout_num(w, COL_DEN, r->denominator);
    zx_sheetout_num(w, COL_VALUE, r->value);
    zx_sheetout_text(w, COL_MEASURE, r->ind->unit);
    zx_sheetout_num(w, COL_MILESTONE, r->milestone);
    zx_sheetout_num(w, COL_TARGET, r->target);
    zx_sheetout_num(w, COL_BASELINE, r->baseline);
    zx_sheetout_text(w, COL_STATUS, zx_status_name(r->status));
    return zx_sheetout_status(w);
}

/* A column chart of the values of one indicator's rows, beside them. */
static void add_chart(zx_sheetout *w, const zx_indicator *ind, int year)
{
    lxw_chart *ch = workbook_add_chart(zx_sheetout_workbook(w),
                                       LXW_CHART_COLUMN);
    lxw_chart_options at = { .x_scale = 1.6, .y_scale = 1.4 };
    lxw_row_t last = (lxw_row_t)zx_sheetout_rows(w);
    lxw_chart_series *s;
    char title[512];

    if (!ch) {
        zx_sheetout_error(w, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    snprintf(title, sizeof(title), "%s（%d 年）", ind->name, year);
    chart_title_set_name(ch, title);
    chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
    s = chart_add_series(ch, NULL, NULL);
    if (!s) {
        zx_sheetout_error(w, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    chart_series_set_categories(s, "指标", 1, COL_UNIT, last, COL_UNIT);
    chart_series_set_values(s, "指标", 1, COL_VALUE, last, COL_VALUE);
    zx_sheetout_error(w, worksheet_insert_chart_opt(zx_sheetout_worksheet(w),
                                                    1, NCOLS + 1, ch, &at));
}

/* The rows of q, and the chart of one indicator's. */
static int fill_workbook(zx_sheetout *w, void *ctx)
{
    struct indx *x = ctx;
    int rc;

    x->w = w;
    if ((rc = eval_query(x->c, x->q, add_row, x)))
        return rc;
    if (x->q->ind && zx_sheetout_rows(w) > 0)
        add_chart(w, x->q->ind, x->q->year);
    return zx_sheetout_status(w);
}

/* GET /api/indicators/export: the results GET /api/indicators gives for
 * the same arguments, as a workbook of one row per unit and indicator,
 * with a chart of the values when it is one indicator (sheetout.h). */
static void export_indicators(zx_call *c)
{
    struct ind_query q;
    struct indx x = { c, &q, NULL };
    char filename[512];
    zx_sheetout_spec spec = { "指标", sheet_cols, NCOLS, filename };

    if (read_query(c, &q))
        return;
    snprintf(filename, sizeof(filename), "%s%s%s_%d年.xlsx", q.name,
             q.name[0] ? "_" : "", q.ind ? q.ind->name : "指标监测", q.year);
    zx_sheetout_answer(c, &spec, fill_workbook, &x, NULL);
}

/* ---- values ------------------------------------------------------------- */

/* The org unit whose data the values of `unit` are: the unit itself, or
 * a teacher's school.  *level receives the level of the values.  Returns
 * 0, or -1 after answering 404 (unknown, or out of the caller's sight). */
static int value_owner(zx_call *c, const char *unit, long long *owner,
                       enum zx_level *level)
{
    sqlite3_stmt *st;
    char kind[16];

    st = zx_db_prepare(c->db, "SELECT school_id FROM teacher"
                              " WHERE teacher_no = ?1");
    if (st && unit) {
        int found = 0;

        sqlite3_bind_text(st, 1, unit, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW) {
            *owner = sqlite3_column_int64(st, 0);
            found = 1;
        }
        sqlite3_reset(st);
        if (found) {
            if (!zx_scope_sees(c->scope, *owner)) {
                zx_api_error(c, 404, "not_found", "未找到单位“%s”", unit);
                return -1;
            }
            *level = ZX_LEVEL_TEACHER;
            return 0;
        }
    }
    if (zx_api_unit(c, unit, owner, kind))
        return -1;
    *level = (enum zx_level)zx_level_parse(kind);
    return 0;
}

static void get_values(zx_call *c)
{
    const char *unit = zx_http_query(c->req, "unit");
    const zx_data_element *de;
    enum zx_level level;
    long long owner;
    json_t *items;
    zx_value v;
    int ok = 1, year, i, n;

    if (!zx_api_need_plan(c))
        return;
    year = (int)zx_api_query_int(c, "year", zx_values_current_year(c->plan),
                                 1900, 2100, &ok);
    if (!ok)
        return;
    if (!unit || !*unit) {
        zx_api_error(c, 400, "bad_parameter", "请给出单位（unit）");
        return;
    }
    if (value_owner(c, unit, &owner, &level))
        return;
    items = json_array();
    for (de = zx_plan_elements(c->plan, &n), i = 0; i < n; i++) {
        json_t *e;

        if (de[i].level != level)
            continue;
        if (zx_values_get(c->db, c->plan, de[i].id, unit, year, &v, NULL)) {
            json_decref(items);
            zx_api_fail(c, ZX_EDB, NULL);
            return;
        }
        e = element_json(&de[i]);
        json_object_set_new(
            e, "value",
            v.present ? json_pack("{s:s, s:o, s:s, s:s}", "text", v.text,
                                  "num", zx_result_figure_json(v.num), "entered_by",
                                  v.entered_by, "entered_at", v.entered_at)
                      : json_null());
        json_array_append_new(items, e);
    }
    zx_api_json(c, 200, json_pack("{s:s, s:s, s:i, s:o}", "unit", unit,
                                  "level", zx_level_name(level), "year", year,
                                  "elements", items));
}

/* Body {"unit", "year", "values": {ELEMENT: "text" or null, ...}}: each
 * value is written by itself, so that one bad value does not cost the
 * others; the problems come back together, with "changes" saying what
 * was saved all the same. */
static void put_values(zx_call *c)
{
    json_t *b = zx_api_body(c), *vals, *v, *changed = NULL;
    zx_diag *d = zx_diag_new();
    const char *unit, *el;
    enum zx_level level;
    long long owner;
    int year, rc, change, failed = 0;

    if (!b || !d)
        goto out;
    if (!zx_api_need_plan(c))
        goto out;
    unit = zx_api_str(b, "unit");
    vals = json_object_get(b, "values");
    if (!unit || !json_is_object(vals)) {
        zx_api_error(c, 400, "invalid", "请求应含 unit 和 values");
        goto out;
    }
    if (zx_api_body_year(c, b, zx_values_current_year(c->plan), &year) ||
        value_owner(c, unit, &owner, &level) || !zx_api_may_write(c, owner))
        goto out;
    changed = json_object();
    json_object_foreach(vals, el, v) {
        const char *text = json_is_string(v) ? json_string_value(v) : NULL;
        char num[64];

        if (json_is_number(v)) {
            snprintf(num, sizeof(num), "%.15g", json_number_value(v));
            text = num;
        } else if (json_is_boolean(v)) {
            text = json_is_true(v) ? "是" : "否";
        } else if (!json_is_null(v) && !text) {
            zx_diag_add(d, "", 0, -1, "数据项“%s”的值应为文字、数字或 null",
                        el);
            failed++;
            continue;
        }
        rc = zx_values_set(c->db, c->plan, el, unit, year, text, c->actor, d,
                           &change);
        if (rc == ZX_EDB || rc == ZX_ENOMEM) {
            zx_api_fail(c, rc, NULL);
            goto out;
        }
        if (rc) {
            failed++;
            continue;
        }
        json_object_set_new(changed, el,
                            json_string(change == ZX_VALUES_INSERTED ? "inserted"
                                        : change == ZX_VALUES_UPDATED ? "updated"
                                        : change == ZX_VALUES_DELETED ? "deleted"
                                        : "unchanged"));
    }
    if (failed) {
        json_t *e = zx_api_diag_json("invalid_data", NULL, d);

        if (e)
            json_object_set(e, "changes", changed);
        zx_api_json(c, 422, e);
        goto out;
    }
    zx_api_json(c, 200, json_pack("{s:b, s:O}", "ok", 1, "changes", changed));
out:
    json_decref(changed);
    zx_diag_free(d);
    json_decref(b);
}

const zx_route zx_api_plan_routes[] = {
    { "GET", "/api/plan", ZX_ROLE_ANY, get_plan, ZX_ROUTE_CACHED },
    { "GET", "/api/plan/text", ZX_ROLE_ANY, get_plan_text, 0 },
    { "PUT", "/api/plan", ZX_ROLE_ADMIN, put_plan, 0 },
    { "GET", "/api/indicators", ZX_ROLE_ANY, get_indicators, ZX_ROUTE_CACHED },
    { "GET", "/api/indicators/export", ZX_ROLE_ANY, export_indicators, 0 },
    { "GET", "/api/values", ZX_ROLE_ANY, get_values, 0 },
    { "PUT", "/api/values", ZX_ROLE_ADMIN | ZX_ROLE_TOWN | ZX_ROLE_SCHOOL,
      put_values, 0 },
    { NULL, NULL, 0, NULL, 0 }
};
