/*
 * devroles.c - development roles and their gap lists (see devroles.h).
 *
 * Each check is one query over the registry, grouped by school (or by
 * school and subject, or one row per teacher), that returns what a school
 * has; C compares it with what the plan asks and words the row.  The
 * listings call back while their query is still stepping, so each query
 * is prepared and finalized here rather than taken from zx_db_prepare's
 * shared cache: a callback that lists again must not find the statement
 * reset under it.  The plan's rural codes are bound as one JSON array
 * (json_each), so the statement text never depends on the plan.
 *
 * The count of 80后 cadres promoted is not recomputed: the plan's
 * indicator promoted-80s defines it (who counts as promoted, since when,
 * the target and its ramp), so the engine evaluates it and the list only
 * reports where it stands.
 */
#include "devroles.h"
#include "codes.h"
#include "indicator.h"
#include "zx.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct check {
    const char *id, *title, *clause;
} defs[ZX_DEVROLES_NCHECKS] = {
    { "seed", "种子教师", "3.5.3-N3" },
    { "model", "榜样教师", "3.5.3-N2" },
    { "subject-leader", "学科带头人", "3.4.2-T6" },
    { "project", "课题研究", "3.4.2-T6" },
    { "cadres", "青年后备干部", "3.1-P5" },
    { "mentor", "青蓝结对", "3.4.2-T4" },
};

const char *zx_devroles_check_id(enum zx_devroles_check c)
{
    return (unsigned)c < ZX_DEVROLES_NCHECKS ? defs[c].id : "";
}

int zx_devroles_check_parse(const char *s)
{
    int i;

    for (i = 0; i < ZX_DEVROLES_NCHECKS; i++)
        if (strcmp(s, defs[i].id) == 0)
            return i;
    return -1;
}

const char *zx_devroles_check_title(enum zx_devroles_check c)
{
    return (unsigned)c < ZX_DEVROLES_NCHECKS ? defs[c].title : "";
}

const char *zx_devroles_check_clause(enum zx_devroles_check c)
{
    return (unsigned)c < ZX_DEVROLES_NCHECKS ? defs[c].clause : "";
}

/* ---- the plan's settings ---- */

/* What the plan configures; a zero `has` leaves the check (or the part of
 * it) out. */
struct config {
    int has_seed, has_model, has_decade, has_young;
    long long seed_lo, seed_hi, model_lo, model_hi, decade, young;
    const zx_data_element *project;   /* research_project, or NULL */
    const zx_indicator *promoted;     /* promoted-80s, or NULL */
};

static void bad_setting(const zx_plan *plan, const zx_setting *s,
                        const char *want, zx_diag *diag)
{
    zx_diag_add(diag, zx_plan_file(plan), s->pos.line, -1,
                "设置 %s 的取值不对：应为%s", s->name, want);
}

static int whole(double v)
{
    return v == floor(v) && fabs(v) < 1e9;
}

/* settings.name as a range [lo, hi] of whole numbers, 0 <= lo <= hi.
 * Returns 1 when set, 0 when the plan has no such setting, -1 after
 * reporting a setting of another shape. */
static int range_setting(const zx_plan *plan, const char *name,
                         long long *lo, long long *hi, zx_diag *diag)
{
    const zx_setting *s = zx_plan_setting(plan, name);

    if (!s)
        return 0;
    if (!s->is_list || s->nlist != 2 || !whole(s->list[0]) ||
        !whole(s->list[1]) || s->list[0] < 0 || s->list[0] > s->list[1]) {
        bad_setting(plan, s, "[下限, 上限]，两个不小于 0 的整数，下限不大于"
                             "上限，如 [2, 3]", diag);
        return -1;
    }
    *lo = (long long)s->list[0];
    *hi = (long long)s->list[1];
    return 1;
}

/* settings.name as one whole number in [min, max] (a multiple of `step`).
 * Returns like range_setting. */
static int number_setting(const zx_plan *plan, const char *name, int min,
                          int max, int step, const char *want,
                          long long *v, zx_diag *diag)
{
    const zx_setting *s = zx_plan_setting(plan, name);

    if (!s)
        return 0;
    if (s->is_list || !whole(s->value) || s->value < min ||
        s->value > max || (long long)s->value % step != 0) {
        bad_setting(plan, s, want, diag);
        return -1;
    }
    *v = (long long)s->value;
    return 1;
}

/* Reads what the checks need; every setting of the wrong shape is
 * reported.  Returns ZX_OK or ZX_EDATA. */
static int read_config(const zx_plan *plan, struct config *cf,
                       zx_diag *diag)
{
    int bad = 0, r;

    memset(cf, 0, sizeof(*cf));
    /* 3.5.3-N3 and 3.5.3-N2: 2-3 seed and 1-2 model teachers */
    r = range_setting(plan, "seed_teachers", &cf->seed_lo, &cf->seed_hi,
                      diag);
    cf->has_seed = r > 0;
    bad |= r < 0;
    r = range_setting(plan, "model_teachers", &cf->model_lo, &cf->model_hi,
                      diag);
    cf->has_model = r > 0;
    bad |= r < 0;
    /* 3.1-P5: the decade whose cadres are recommended (90后) */
    r = number_setting(plan, "reserve_cadre_decade", 1900, 2090, 10,
                       "出生年代，整十的年份，如 1990", &cf->decade, diag);
    cf->has_decade = r > 0;
    bad |= r < 0;
    /* 3.4.2-T4: who is a young teacher to be paired */
    r = number_setting(plan, "young_teacher_age", 18, 70, 1,
                       "18～70 的整数（周岁），如 35", &cf->young, diag);
    cf->has_young = r > 0;
    bad |= r < 0;
    cf->project = zx_plan_element(plan, "research_project");
    if (cf->project && cf->project->level != ZX_LEVEL_TEACHER) {
        zx_diag_add(diag, zx_plan_file(plan), cf->project->pos.line, -1,
                    "数据项 research_project 应为教师数据项（level: "
                    "teacher）：课题按任教学科归入学校的学科");
        bad = 1;
    }
    cf->promoted = zx_plan_indicator(plan, "promoted-80s");
    return bad ? ZX_EDATA : ZX_OK;
}

/* ---- the listings ---- */

struct run {
    zx_db *db;
    const zx_plan *plan;
    int year;
    long long unit;            /* a town, group or school; 0: everything */
    enum zx_level level;       /* of unit (the city when 0) */
    char *rural;               /* the plan's rural codes as a JSON array */
    zx_devroles_fn fn;
    void *ctx;
};

/* The schools a listing covers: rural by the plan (?2), inside the unit
 * (?4), with their town. */
#define SCHOOLS                                                            \
    " JOIN org_unit u ON u.id = s.unit_id"                                 \
    " JOIN org_unit w ON w.id = u.parent_id"                               \
    " WHERE s.urban_rural IN (SELECT value FROM json_each(?2))"            \
    " AND (?4 = 0 OR s.unit_id = ?4 OR u.parent_id = ?4"                   \
    " OR s.group_id = ?4)"

/* teacher_role r held in the year ?1 */
#define HELD                                                               \
    " AND r.start_year <= ?1 AND (r.end_year IS NULL OR r.end_year >= ?1)"

/* Per school: the teachers holding title ?3 in the year and born in
 * ?5..?6. */
static const char sql_holders[] =
    "SELECT u.code, u.name, w.name,"
    " (SELECT count(DISTINCT t.id) FROM teacher t JOIN teacher_role r"
    "  ON r.teacher_id = t.id WHERE t.school_id = s.unit_id"
    "  AND r.title = ?3" HELD
    "  AND CAST(substr(t.birth, 1, 4) AS INTEGER) BETWEEN ?5 AND ?6)"
    " FROM school s" SCHOOLS " ORDER BY w.code, u.code";

/* Per school and subject taught: the teachers of it holding title ?3. */
static const char sql_leaders[] =
    "SELECT u.code, u.name, w.name, t.subject,"
    " sum(EXISTS (SELECT 1 FROM teacher_role r WHERE r.teacher_id = t.id"
    "  AND r.title = ?3" HELD "))"
    " FROM school s JOIN teacher t ON t.school_id = s.unit_id" SCHOOLS
    " GROUP BY s.unit_id, t.subject ORDER BY w.code, u.code, t.subject";

/* Per school and subject taught: the teachers of it with a value of
 * element ?3 for year ?5 (0 for an element that is not yearly). */
static const char sql_projects[] =
    "SELECT u.code, u.name, w.name, t.subject,"
    " sum(EXISTS (SELECT 1 FROM data_value d WHERE d.element = ?3"
    "  AND d.unit_id = t.id AND d.year = ?5))"
    " FROM school s JOIN teacher t ON t.school_id = s.unit_id" SCHOOLS
    " GROUP BY s.unit_id, t.subject ORDER BY w.code, u.code, t.subject";

/* Teachers born ?5 years or less before the year, not holding title ?3
 * (a young subject leader is a mentor's peer, and the pairing programme
 * leaves them out of its mentee pool), who are no mentee of an accepted
 * pairing, in any programme, accepted by the year.  NOT IN over an
 * uncorrelated list is built once, where a correlated NOT EXISTS would
 * scan the pools per teacher (pairing has no index on mentee_id). */
static const char sql_unmentored[] =
    "SELECT u.code, u.name, w.name, t.subject, t.teacher_no, t.name,"
    " CAST(substr(t.birth, 1, 4) AS INTEGER)"
    " FROM teacher t JOIN school s ON s.unit_id = t.school_id" SCHOOLS
    " AND CAST(substr(t.birth, 1, 4) AS INTEGER) >= ?1 - ?5"
    " AND NOT EXISTS (SELECT 1 FROM teacher_role r"
    "  WHERE r.teacher_id = t.id AND r.title = ?3" HELD ")"
    " AND t.id NOT IN (SELECT m.teacher_id FROM pairing p"
    "  JOIN pairing_pool m ON m.id = p.mentee_id"
    "  WHERE m.teacher_id IS NOT NULL AND p.status = 'accepted'"
    "  AND (p.accepted_on IS NULL"
    "   OR CAST(substr(p.accepted_on, 1, 4) AS INTEGER) <= ?1))"
    " ORDER BY w.code, u.code, t.teacher_no";

/* Prepares sql with the parameters every listing shares bound: ?1 the
 * year, ?2 the rural codes, ?4 the unit. */
static int prepare(struct run *g, const char *sql, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(zx_db_sqlite(g->db), sql, -1, st, NULL) !=
        SQLITE_OK)
        return ZX_EDB;
    sqlite3_bind_int(*st, 1, g->year);
    sqlite3_bind_text(*st, 2, g->rural, -1, SQLITE_STATIC);
    sqlite3_bind_int64(*st, 4, g->unit);
    return ZX_OK;
}

/* The indicator id when the plan has it, else NULL. */
static const char *indicator(const struct run *g, const char *id)
{
    return zx_plan_indicator(g->plan, id) ? id : NULL;
}

/* A row of school st's first three columns (code, name, town). */
static void school_row(zx_devroles_row *r, enum zx_devroles_check c,
                       const char *ind, sqlite3_stmt *st)
{
    memset(r, 0, sizeof(*r));
    r->check = c;
    r->kind = ZX_DEVROLES_GAP;
    r->indicator = ind;
    r->unit_code = (const char *)sqlite3_column_text(st, 0);
    r->unit_name = (const char *)sqlite3_column_text(st, 1);
    r->town = (const char *)sqlite3_column_text(st, 2);
}

/* Holders of `title` per school against [lo, hi]; hi < 0: no top.  born
 * restricts them to a decade (0: any).  `who` names them in the rows. */
static int list_holders(struct run *g, enum zx_devroles_check c,
                        const char *ind, const char *title, long long born,
                        const char *who, long long lo, long long hi)
{
    sqlite3_stmt *st = NULL;
    zx_devroles_row r;
    char what[256];
    int rc, step;

    if ((rc = prepare(g, sql_holders, &st)))
        goto fail;
    sqlite3_bind_text(st, 3, title, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, born ? born : 0);
    sqlite3_bind_int64(st, 6, born ? born + 9 : 9999);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        long long have = sqlite3_column_int64(st, 3);

        school_row(&r, c, ind, st);
        r.have = have;
        if (have < lo) {
            r.need = lo;
            if (have == 0)
                snprintf(what, sizeof(what), "没有%s，应至少 %lld 名", who,
                         lo);
            else
                snprintf(what, sizeof(what), "%s %lld 名，少于 %lld 名", who,
                         have, lo);
        } else if (hi >= 0 && have > hi) {
            r.kind = ZX_DEVROLES_OVER;
            r.need = hi;
            snprintf(what, sizeof(what), "%s %lld 名，多于 %lld 名（可与其他"
                     "学校共享）", who, have, hi);
        } else {
            continue;
        }
        r.what = what;
        if ((rc = g->fn(g->ctx, &r)))
            goto fail;
    }
    rc = step == SQLITE_DONE ? ZX_OK : ZX_EDB;

fail:
    sqlite3_finalize(st);
    return rc;
}

/* Subjects of each school without a subject leader (project == NULL) or
 * without a research project (the element project). */
static int list_subjects(struct run *g, const zx_data_element *project)
{
    const zx_codelist *subjects = zx_codes_get("subject");
    const char *ind = indicator(g, "subject-leaders");
    enum zx_devroles_check c = project ? ZX_DEVROLES_PROJECT
                                       : ZX_DEVROLES_SUBJECT_LEADER;
    sqlite3_stmt *st = NULL;
    zx_devroles_row r;
    char what[256];
    int rc, step;

    if ((rc = prepare(g, project ? sql_projects : sql_leaders, &st)))
        goto fail;
    if (project) {
        sqlite3_bind_text(st, 3, project->id, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 5, project->yearly ? g->year : 0);
    } else {
        sqlite3_bind_text(st, 3, "学科带头人", -1, SQLITE_STATIC);
    }
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_int64(st, 4) > 0)
            continue;
        school_row(&r, c, ind, st);
        r.subject = sqlite3_column_int(st, 3);
        r.subject_name = zx_codes_name_of(subjects, r.subject);
        if (!r.subject_name)
            r.subject_name = "未知学科";
        r.need = 1;
        snprintf(what, sizeof(what), project ? "%s学科没有在研课题"
                                             : "没有%s学科带头人",
                 r.subject_name);
        r.what = what;
        if ((rc = g->fn(g->ctx, &r)))
            goto fail;
    }
    rc = step == SQLITE_DONE ? ZX_OK : ZX_EDB;

fail:
    sqlite3_finalize(st);
    return rc;
}

/* Young teachers of each school who have no mentor. */
static int list_unmentored(struct run *g, long long young)
{
    const zx_codelist *subjects = zx_codes_get("subject");
    const char *ind = indicator(g, "pair-subject-leaders");
    sqlite3_stmt *st = NULL;
    zx_devroles_row r;
    char what[256];
    int rc, step;

    if ((rc = prepare(g, sql_unmentored, &st)))
        goto fail;
    sqlite3_bind_text(st, 3, "学科带头人", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, young);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        school_row(&r, ZX_DEVROLES_MENTOR, ind, st);
        r.subject = sqlite3_column_int(st, 3);
        r.subject_name = zx_codes_name_of(subjects, r.subject);
        r.teacher_no = (const char *)sqlite3_column_text(st, 4);
        r.teacher_name = (const char *)sqlite3_column_text(st, 5);
        r.need = 1;
        snprintf(what, sizeof(what), "青年教师%s（%d 年出生）没有青蓝结对的"
                 "师傅", r.teacher_name, sqlite3_column_int(st, 6));
        r.what = what;
        if ((rc = g->fn(g->ctx, &r)))
            goto fail;
    }
    rc = step == SQLITE_DONE ? ZX_OK : ZX_EDB;

fail:
    sqlite3_finalize(st);
    return rc;
}

/* The plan's count of cadres promoted, where it is judged and behind;
 * ctx is the run. */
static int promoted_result(void *ctx, const zx_result *res)
{
    struct run *g = ctx;
    const char *unit = res->ind->unit ? res->ind->unit : "";
    double need = isnan(res->milestone) ? res->target : res->milestone;
    zx_devroles_row r;
    char what[512];

    if (res->status != ZX_STATUS_BEHIND && res->status != ZX_STATUS_NO_DATA)
        return 0;
    memset(&r, 0, sizeof(r));
    r.check = ZX_DEVROLES_CADRES;
    r.kind = ZX_DEVROLES_GAP;
    r.indicator = res->ind->id;
    r.unit_code = res->unit_code;
    r.unit_name = res->unit_name;
    r.town = "";
    r.have = isnan(res->numerator) ? 0 : (long long)res->numerator;
    /* a milestone on a ramp may be fractional; people come whole */
    r.need = (long long)ceil(need);
    if (res->status == ZX_STATUS_NO_DATA)
        snprintf(what, sizeof(what), "%s：%d 年无数据（所需数据尚未填报）",
                 res->ind->name, res->year);
    else
        snprintf(what, sizeof(what), "%s %lld %s，未达到 %d 年节点 %lld %s",
                 res->ind->name, r.have, unit, res->year, r.need, unit);
    r.what = what;
    return g->fn(g->ctx, &r);
}

static int list_cadres(struct run *g, const struct config *cf,
                       zx_diag *diag)
{
    zx_engine *e = NULL;
    char who[64];
    int rc = ZX_OK;

    /* the plan sets the count's target for the city alone: below it the
     * figure is for reference, so a town's list has no row of it */
    if (cf->promoted && g->level == ZX_LEVEL_CITY) {
        if ((rc = zx_engine_open(g->db, g->plan, &e, diag)) ||
            (rc = zx_engine_eval(e, cf->promoted, g->year,
                                 1u << ZX_LEVEL_CITY, 0, promoted_result,
                                 g)))
            goto fail;
    }
    if (cf->has_decade) {
        snprintf(who, sizeof(who), "%02lld后青年后备干部", cf->decade % 100);
        rc = list_holders(g, ZX_DEVROLES_CADRES,
                          indicator(g, "reserve-cadre-90s"), "后备干部",
                          cf->decade, who, 1, -1);
    }

fail:
    zx_engine_close(e);
    return rc;
}

/* Notes a check (or part) the plan does not configure. */
static void skipped(const char *title, const char *missing, zx_diag *diag)
{
    zx_diag_add(diag, "", 0, -1, "计划中没有%s，未检查%s", missing, title);
}

/* The level of unit, or ZX_ENOTFOUND. */
static int unit_level(zx_db *db, long long unit, enum zx_level *level)
{
    sqlite3_stmt *st = NULL;
    int rc = ZX_EDB, step, l;

    if (sqlite3_prepare_v2(zx_db_sqlite(db),
                           "SELECT kind FROM org_unit WHERE id = ?1", -1, &st,
                           NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, unit);
    step = sqlite3_step(st);
    if (step == SQLITE_DONE)
        rc = ZX_ENOTFOUND;
    if (step != SQLITE_ROW)
        goto fail;
    l = zx_level_parse((const char *)sqlite3_column_text(st, 0));
    *level = l < 0 ? ZX_LEVEL_CITY : (enum zx_level)l;
    rc = ZX_OK;

fail:
    sqlite3_finalize(st);
    return rc;
}

/* The plan's rural codes as "[121,122,...]"; malloc'd. */
static char *rural_json(const zx_plan *plan)
{
    const int *codes;
    int n, i;
    size_t cap, used = 0;
    char *s;

    codes = zx_plan_rural(plan, &n);
    cap = (size_t)n * 12 + 3;
    if (!(s = malloc(cap)))
        return NULL;
    s[used++] = '[';
    for (i = 0; i < n; i++)
        used += (size_t)snprintf(s + used, cap - used, "%s%d", i ? "," : "",
                                 codes[i]);
    snprintf(s + used, cap - used, "]");
    return s;
}

int zx_devroles_gaps(zx_db *db, const zx_plan *plan, unsigned checks,
                     int year, long long unit, zx_devroles_fn fn, void *ctx,
                     zx_diag *diag)
{
    struct config cf;
    struct run g;
    int rc;

    memset(&g, 0, sizeof(g));
    if (!fn || (checks & ~ZX_DEVROLES_ALL)) {
        rc = ZX_EINVAL;
        goto fail;
    }
    if ((rc = read_config(plan, &cf, diag)))
        goto fail;
    g.db = db;
    g.plan = plan;
    g.year = year;
    g.level = ZX_LEVEL_CITY;
    g.fn = fn;
    g.ctx = ctx;
    if (unit && (rc = unit_level(db, unit, &g.level)))
        goto fail;
    /* the city holds every school: no filter */
    g.unit = g.level == ZX_LEVEL_CITY ? 0 : unit;
    if (!(g.rural = rural_json(plan))) {
        rc = ZX_ENOMEM;
        goto fail;
    }

#define ASKED(c) (checks & 1u << (c))
    if (ASKED(ZX_DEVROLES_SEED)) {
        if (!cf.has_seed)
            skipped("种子教师", "设置 seed_teachers", diag);
        else if ((rc = list_holders(&g, ZX_DEVROLES_SEED,
                                    indicator(&g, "seed-teachers"),
                                    "种子教师", 0, "种子教师", cf.seed_lo,
                                    cf.seed_hi)))
            goto fail;
    }
    if (ASKED(ZX_DEVROLES_MODEL)) {
        if (!cf.has_model)
            skipped("榜样教师", "设置 model_teachers", diag);
        else if ((rc = list_holders(&g, ZX_DEVROLES_MODEL,
                                    indicator(&g, "model-teachers"),
                                    "榜样教师", 0, "榜样教师", cf.model_lo,
                                    cf.model_hi)))
            goto fail;
    }
    if (ASKED(ZX_DEVROLES_SUBJECT_LEADER) && (rc = list_subjects(&g, NULL)))
        goto fail;
    if (ASKED(ZX_DEVROLES_PROJECT)) {
        if (!cf.project)
            skipped("课题研究", "教师数据项 research_project（在研课题）",
                    diag);
        else if ((rc = list_subjects(&g, cf.project)))
            goto fail;
    }
    if (ASKED(ZX_DEVROLES_CADRES)) {
        if (!cf.promoted)
            skipped("提拔任用的青年后备干部人数", "指标 promoted-80s", diag);
        if (!cf.has_decade)
            skipped("各乡村学校的青年后备干部", "设置 reserve_cadre_decade",
                    diag);
        if ((rc = list_cadres(&g, &cf, diag)))
            goto fail;
    }
    if (ASKED(ZX_DEVROLES_MENTOR)) {
        if (!cf.has_young)
            skipped("青蓝结对", "设置 young_teacher_age", diag);
        else if ((rc = list_unmentored(&g, cf.young)))
            goto fail;
    }
#undef ASKED

fail:
    free(g.rural);
    return rc;
}
