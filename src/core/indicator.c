/*
 * indicator.c - the evaluation engine (see indicator.h).
 *
 * The org units are read once per evaluation into an array in output
 * order; each entity row of an indicator's query adds its contribution to
 * the accumulators of its school, town, group and the city.  Ramped
 * milestones start from the unit's own baseline-year value, so the same
 * query runs a second time for the baseline year when needed.  An
 * indicator the columns (colvm.h) can evaluate is computed there, from
 * the registry in memory, and its query runs only when they decline.
 */
#include "indicator.h"
#include "colvm.h"
#include "compile.h"
#include "stamp.h"
#include "zx.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct acc {
    double n, d, mn, mx;
    long long entities, has, notok, nvals;
};

/* The registry stamps every query depends on (stamp.h). */
static const char *const registry_keys[] = {
    "registry:school", "registry:enrolment", "registry:teacher",
    "registry:role"
};
#define NREG 4

/* An indicator's totals per unit for one year, with the stamp versions of
 * what they were computed from: reused while those versions hold. */
struct slot {
    int year;                    /* 0: empty */
    long long *versions;         /* registry_keys, then sql.deps */
    struct acc *acc;             /* per unit, in units order */
};

/* Two slots per indicator: the year asked for and its baseline year. */
#define NSLOTS 2

struct compiled {
    zx_sql sql;
    sqlite3_stmt *st;
    zx_colvm_prog *prog;         /* NULL: the columns decline it */
    struct slot slot[NSLOTS];
};

struct unit {
    long long id, parent, group;
    enum zx_level level;
    char *code, *name;
};

struct units {
    struct unit *v;
    int n;
    int *idx;                    /* org_unit id -> index in v, or -1 */
    long long maxid;
    int city;                    /* index of the city */
};

struct zx_engine {
    zx_db *db;
    const zx_plan *plan;
    const zx_indicator *inds;    /* the plan's, in plan order */
    struct compiled *ind;        /* per indicator, in plan order */
    int n;
    char first_day[16];          /* "YYYY-01-01" of the first plan year */
    struct units units;          /* loaded at registry:school units_version */
    long long units_version;
    int have_units;
    unsigned flags;              /* ZX_ENGINE_* */
    /* With ZX_ENGINE_ACCEPTED: an engine over all data, which the
     * baseline year is read through.  The baseline is history, never
     * submitted nor accepted, yet the milestones ramp from it. */
    zx_engine *history;
    zx_colvm *vm;                /* the registry as columns */
    int sql_only;                /* zx_engine_sql_only */
};

const char *zx_status_name(enum zx_status s)
{
    switch (s) {
    case ZX_STATUS_MET:      return "达标";
    case ZX_STATUS_ON_TRACK: return "按期推进";
    case ZX_STATUS_BEHIND:   return "滞后";
    case ZX_STATUS_NO_DATA:  return "无数据";
    case ZX_STATUS_INFO:     return "仅供参考";
    }
    return "?";
}

const char *zx_status_id(enum zx_status s)
{
    switch (s) {
    case ZX_STATUS_MET:      return "met";
    case ZX_STATUS_ON_TRACK: return "on_track";
    case ZX_STATUS_BEHIND:   return "behind";
    case ZX_STATUS_NO_DATA:  return "no_data";
    case ZX_STATUS_INFO:     return "info";
    }
    return "?";
}

static void free_units(struct units *u);

static void clear_slot(struct slot *s)
{
    free(s->versions);
    free(s->acc);
    memset(s, 0, sizeof(*s));
}

static void free_compiled(zx_engine *e)
{
    int i, j;

    for (i = 0; i < e->n; i++) {
        sqlite3_finalize(e->ind[i].st);
        zx_sql_free(&e->ind[i].sql);
        zx_colvm_prog_free(e->ind[i].prog);
        for (j = 0; j < NSLOTS; j++)
            clear_slot(&e->ind[i].slot[j]);
    }
    free(e->ind);
    e->ind = NULL;
    e->n = 0;
}

/* Compiles and prepares every indicator; reports every problem. */
static int compile_all(zx_engine *e, zx_diag *diag)
{
    const zx_indicator *inds;
    int n, i, rc = ZX_OK;

    inds = e->inds = zx_plan_indicators(e->plan, &n);
    e->ind = calloc((size_t)(n ? n : 1), sizeof(*e->ind));
    if (!e->ind)
        return ZX_ENOMEM;
    e->n = n;
    for (i = 0; i < n; i++) {
        struct compiled *c = &e->ind[i];
        int r = zx_compile_indicator(e->plan, &inds[i],
                                     e->flags & ZX_ENGINE_ACCEPTED
                                         ? ZX_COMPILE_ACCEPTED : 0,
                                     &c->sql, diag);
        if (r == ZX_ENOMEM)
            return r;
        if (r) {
            rc = ZX_EDATA;
            continue;
        }
        if (zx_colvm_prepare(e->plan, &inds[i], &c->prog) == ZX_ENOMEM)
            return ZX_ENOMEM;
        if (c->prog)
            zx_colvm_expect(e->vm, c->prog);
        if (sqlite3_prepare_v3(zx_db_sqlite(e->db), c->sql.text, -1,
                               SQLITE_PREPARE_PERSISTENT, &c->st,
                               NULL) != SQLITE_OK) {
            /* a compiler bug, not the plan's fault: say so plainly */
            zx_diag_add(diag, zx_plan_file(e->plan), inds[i].pos.line,
                        inds[i].pos.col - 1,
                        "指标 %s 无法生成查询（程序错误）：%s", inds[i].id,
                        zx_db_errmsg(e->db));
            rc = ZX_EDATA;
        }
    }
    return rc;
}

int zx_engine_open(zx_db *db, const zx_plan *plan, zx_engine **out,
                   zx_diag *diag)
{
    return zx_engine_open_mode(db, plan, 0, out, diag);
}

int zx_engine_open_mode(zx_db *db, const zx_plan *plan, unsigned flags,
                        zx_engine **out, zx_diag *diag)
{
    zx_engine *e = calloc(1, sizeof(*e));
    const int *years;
    int n, rc;

    *out = NULL;
    if (!e)
        return ZX_ENOMEM;
    e->db = db;
    e->plan = plan;
    e->flags = flags;
    years = zx_plan_years(plan, &n);
    snprintf(e->first_day, sizeof(e->first_day), "%04d-01-01",
             n ? years[0] : zx_plan_baseline(plan) + 1);
    rc = zx_colvm_open(db, plan, (flags & ZX_ENGINE_ACCEPTED) != 0, &e->vm);
    if (!rc)
        rc = compile_all(e, diag);
    if (!rc && (flags & ZX_ENGINE_ACCEPTED))
        rc = zx_engine_open_mode(db, plan, 0, &e->history, diag);
    if (rc) {
        zx_engine_close(e);
        return rc;
    }
    *out = e;
    return ZX_OK;
}

json_t *zx_result_figure_json(double v)
{
    if (isnan(v))
        return json_null();
    if (v == floor(v) && fabs(v) < 1e15)
        return json_integer((json_int_t)v);
    return json_real(round(v * 1e4) / 1e4);
}

void zx_engine_close(zx_engine *e)
{
    if (!e)
        return;
    zx_engine_close(e->history);
    free_compiled(e);
    free_units(&e->units);
    zx_colvm_close(e->vm);
    free(e);
}

int zx_indicator_check(const zx_plan *plan, zx_diag *diag)
{
    zx_db *db = NULL;
    zx_engine *e = NULL;
    char err[256];
    int rc;

    rc = zx_db_open(":memory:", ZX_DB_CREATE, &db, err, sizeof(err));
    if (rc) {
        zx_diag_add(diag, "", 0, -1, "%s", err);
        return rc;
    }
    rc = zx_engine_open(db, plan, &e, diag);
    zx_engine_close(e);
    zx_db_close(db);
    return rc;
}

/* ---- org units ---------------------------------------------------------- */

static void free_units(struct units *u)
{
    int i;

    for (i = 0; i < u->n; i++) {
        free(u->v[i].code);
        free(u->v[i].name);
    }
    free(u->v);
    free(u->idx);
    memset(u, 0, sizeof(*u));
}

static int load_units(zx_db *db, struct units *u)
{
    sqlite3_stmt *st;
    long long i;
    int cap = 0, step;

    memset(u, 0, sizeof(*u));
    u->city = -1;
    u->maxid = zx_db_int(db, "SELECT max(id) FROM org_unit", NULL, 0);
    u->idx = malloc((size_t)(u->maxid + 1) * sizeof(int));
    if (!u->idx)
        return ZX_ENOMEM;
    for (i = 0; i <= u->maxid; i++)
        u->idx[i] = -1;
    st = zx_db_prepare(db, "SELECT u.id, u.kind, u.parent_id, s.group_id,"
                           " u.code, u.name FROM org_unit u"
                           " LEFT JOIN school s ON s.unit_id = u.id"
                           " ORDER BY CASE u.kind WHEN 'city' THEN 0"
                           " WHEN 'town' THEN 1 WHEN 'group' THEN 2"
                           " ELSE 3 END, u.code");
    if (!st)
        return ZX_EDB;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        struct unit *x;
        const char *kind = (const char *)sqlite3_column_text(st, 1);
        if (u->n == cap) {
            int c2 = cap ? cap * 2 : 256;
            struct unit *v = realloc(u->v, (size_t)c2 * sizeof(*v));
            if (!v)
                return ZX_ENOMEM;
            u->v = v;
            cap = c2;
        }
        x = &u->v[u->n];
        x->id = sqlite3_column_int64(st, 0);
        x->level = kind[0] == 'c' ? ZX_LEVEL_CITY
                   : kind[0] == 't' ? ZX_LEVEL_TOWN
                   : kind[0] == 'g' ? ZX_LEVEL_GROUP
                                    : ZX_LEVEL_SCHOOL;
        x->parent = sqlite3_column_int64(st, 2);
        x->group = sqlite3_column_int64(st, 3);
        x->code = strdup((const char *)sqlite3_column_text(st, 4));
        x->name = strdup((const char *)sqlite3_column_text(st, 5));
        if (!x->code || !x->name) {
            free(x->code);
            free(x->name);
            return ZX_ENOMEM;
        }
        if (x->id >= 0 && x->id <= u->maxid)
            u->idx[x->id] = u->n;
        if (x->level == ZX_LEVEL_CITY && u->city < 0)
            u->city = u->n;
        u->n++;
    }
    sqlite3_reset(st);
    return step == SQLITE_DONE && u->city >= 0 ? ZX_OK : ZX_EDB;
}

static int index_of(const struct units *u, long long id)
{
    return id > 0 && id <= u->maxid ? u->idx[id] : -1;
}

/* Whether unit x lies inside the unit with index w (-1: everywhere). */
static int inside(const struct units *u, const struct unit *x, int w)
{
    const struct unit *wu;

    if (w < 0 || w == u->city || x == &u->v[w])
        return 1;
    wu = &u->v[w];
    switch (wu->level) {
    case ZX_LEVEL_TOWN:
        return x->level == ZX_LEVEL_SCHOOL && x->parent == wu->id;
    case ZX_LEVEL_GROUP:
        return x->level == ZX_LEVEL_SCHOOL && x->group == wu->id;
    default:
        return 0;
    }
}

/* ---- evaluation ----------------------------------------------------------- */

/* Adds a group row of the query (see compile.h) to a unit's totals. */
static void add_to(struct acc *a, const struct acc *g)
{
    a->entities += g->entities;
    a->has += g->has;
    a->notok += g->notok;
    a->n += g->n;
    a->d += g->d;
    if (g->nvals) {
        if (a->nvals == 0 || g->mn < a->mn)
            a->mn = g->mn;
        if (a->nvals == 0 || g->mx > a->mx)
            a->mx = g->mx;
        a->nvals += g->nvals;
    }
}

/* Adds a group row to its school, town, group and the city. */
static void add_row(const struct units *u, struct acc *acc,
                    const long long ids[3], const struct acc *g)
{
    int t, x;

    for (t = 0; t < 3; t++)
        if ((x = index_of(u, ids[t])) >= 0)
            add_to(&acc[x], g);
    add_to(&acc[u->city], g);
}

struct row_ctx {
    const struct units *u;
    struct acc *acc;
};

static void add_colvm_row(void *ctx, const zx_colvm_row *r)
{
    struct row_ctx *rc = ctx;
    long long ids[3] = { r->school_id, r->town_id, r->group_id };
    struct acc g;

    g.entities = r->entities;
    g.n = r->n;
    g.d = r->d;
    g.mn = r->mn;
    g.mx = r->mx;
    g.nvals = r->nvals;
    g.notok = r->notok;
    g.has = r->has;
    add_row(rc->u, rc->acc, ids, &g);
}

/* Computes indicator k for year per unit: from the columns when they can,
 * else by its query. */
static int accumulate(zx_engine *e, int k, int year, const zx_map *snap,
                      const struct units *u, struct acc *acc)
{
    struct compiled *c = &e->ind[k];
    int i, step;

    memset(acc, 0, (size_t)u->n * sizeof(*acc));
    if (c->prog && !e->sql_only) {
        struct row_ctx rc = { u, acc };
        int r = zx_colvm_run(e->vm, c->prog, year, snap, add_colvm_row, &rc);
        if (r != ZX_ENOTFOUND)
            return r;
        /* declined at run time: the query from a clean slate */
        memset(acc, 0, (size_t)u->n * sizeof(*acc));
    }
    sqlite3_reset(c->st);
    sqlite3_clear_bindings(c->st);
    sqlite3_bind_int(c->st, 1, year);
    sqlite3_bind_text(c->st, 2, e->first_day, -1, SQLITE_STATIC);
    for (i = 0; i < c->sql.nparams; i++) {
        const zx_param *p = &c->sql.params[i];
        if (p->type == ZX_PARAM_INT)
            sqlite3_bind_int64(c->st, i + 3, p->i);
        else if (p->type == ZX_PARAM_REAL)
            sqlite3_bind_double(c->st, i + 3, p->d);
        else
            sqlite3_bind_text(c->st, i + 3, p->text, -1, SQLITE_STATIC);
    }
    while ((step = sqlite3_step(c->st)) == SQLITE_ROW) {
        struct acc g;
        long long ids[3];

        g.entities = sqlite3_column_int64(c->st, 3);
        g.n = sqlite3_column_double(c->st, 4);
        g.d = sqlite3_column_double(c->st, 5);
        g.mn = sqlite3_column_double(c->st, 6);
        g.mx = sqlite3_column_double(c->st, 7);
        g.nvals = sqlite3_column_int64(c->st, 8);
        g.notok = sqlite3_column_int64(c->st, 9);
        g.has = sqlite3_column_int64(c->st, 10);
        for (i = 0; i < 3; i++)
            ids[i] = sqlite3_column_int64(c->st, i);
        add_row(u, acc, ids, &g);
    }
    sqlite3_reset(c->st);
    return step == SQLITE_DONE ? ZX_OK : ZX_EDB;
}

static double value_of(const zx_indicator *ind, const struct acc *a)
{
    if (a->entities == 0)
        return NAN;
    switch (ind->kind) {
    case ZX_IND_SHARE:
    case ZX_IND_RATIO:
        return a->d > 0 ? 100.0 * a->n / a->d : NAN;
    case ZX_IND_COUNT:
    case ZX_IND_SUM:
        return a->n;
    case ZX_IND_MIN:
        return a->nvals ? a->mn : NAN;
    case ZX_IND_MAX:
        return a->nvals ? a->mx : NAN;
    }
    return NAN;
}

/* a reaches b in the indicator's direction (with a little slack for
 * floating point: 99.99999 is 100%) */
static int reaches(const zx_indicator *ind, double a, double b)
{
    const double eps = 1e-9;

    return ind->lower_is_better ? a <= b + eps : a >= b - eps;
}

static void judge(const zx_engine *e, const zx_indicator *ind,
                  const struct acc *a, zx_result *r)
{
    int absolute = ind->kind == ZX_IND_COUNT || ind->kind == ZX_IND_SUM ||
                   ind->kind == ZX_IND_MIN || ind->kind == ZX_IND_MAX;

    r->target = ind->target_is_range ? ind->target_min : ind->target;
    r->above_range = ind->target_is_range && !isnan(r->value) &&
                     r->value > ind->target_max;
    r->milestone = zx_plan_milestone(e->plan, ind, r->year, r->baseline);
    if (isnan(r->value) || a->entities == 0 ||
        (e->ind[ind - e->inds].sql.reads_data && a->has == 0))
        r->status = ZX_STATUS_NO_DATA;
    else if (absolute && r->level != ZX_LEVEL_CITY)
        r->status = ZX_STATUS_INFO;
    else if (reaches(ind, r->value, r->target))
        r->status = ZX_STATUS_MET;
    else if (ind->on_track.text ? a->notok == 0
                                : !isnan(r->milestone) &&
                                      reaches(ind, r->value, r->milestone))
        r->status = ZX_STATUS_ON_TRACK;
    else
        r->status = ZX_STATUS_BEHIND;
}

/* The versions now of what indicator k reads, into v (NREG + ndeps). */
static void versions_now(const zx_engine *e, int k, const zx_map *snap,
                         long long *v)
{
    const zx_sql *sql = &e->ind[k].sql;
    int i;

    for (i = 0; i < NREG; i++)
        v[i] = zx_stamp_version(snap, registry_keys[i]);
    for (i = 0; i < sql->ndeps; i++)
        v[NREG + i] = zx_stamp_version(snap, sql->deps[i]);
}

/* Indicator k's totals for year: from a slot whose versions still hold,
 * else computed into a slot other than `keep`.  *out points into the
 * slot, valid until the next call for k. */
static int totals(zx_engine *e, int k, int year, const zx_map *snap,
                  const struct acc *keep, const struct acc **out)
{
    struct compiled *c = &e->ind[k];
    size_t vsize = (size_t)(NREG + c->sql.ndeps) * sizeof(long long);
    long long *v = malloc(vsize);
    struct slot *s = NULL;
    int i, rc = ZX_OK;

    if (!v)
        return ZX_ENOMEM;
    versions_now(e, k, snap, v);
    for (i = 0; i < NSLOTS; i++)
        if (c->slot[i].year == year &&
            memcmp(c->slot[i].versions, v, vsize) == 0) {
            *out = c->slot[i].acc;
            free(v);
            return ZX_OK;
        }
    /* an empty slot, else any but the one the caller still reads */
    for (i = 0; i < NSLOTS && !s; i++)
        if (!c->slot[i].acc)
            s = &c->slot[i];
    for (i = 0; i < NSLOTS && !s; i++)
        if (c->slot[i].acc != keep)
            s = &c->slot[i];
    clear_slot(s);
    s->acc = malloc((size_t)(e->units.n ? e->units.n : 1) * sizeof(*s->acc));
    if (!s->acc)
        rc = ZX_ENOMEM;
    else
        rc = accumulate(e, k, year, snap, &e->units, s->acc);
    if (rc) {
        clear_slot(s);
        free(v);
        return rc;
    }
    s->versions = v;
    s->year = year;
    *out = s->acc;
    return ZX_OK;
}

static int eval_one(zx_engine *e, int k, int year, unsigned levels,
                    const zx_map *snap, int w, zx_result_fn fn, void *ctx)
{
    const zx_indicator *ind = &e->inds[k];
    const struct units *u = &e->units;
    const struct acc *acc = NULL, *base = NULL;
    int need_base = ind->milestones.kind != ZX_MS_EXPLICIT &&
                    year > zx_plan_baseline(e->plan);
    int i, rc;

    levels &= ind->levels;
    if (!levels)
        return ZX_OK;
    if ((rc = totals(e, k, year, snap, NULL, &acc)))
        return rc;
    if (need_base &&
        (rc = e->history
                  ? totals(e->history, k, zx_plan_baseline(e->plan), snap,
                           NULL, &base)
                  : totals(e, k, zx_plan_baseline(e->plan), snap, acc,
                           &base)))
        return rc;
    for (i = 0; i < u->n; i++) {
        const struct unit *x = &u->v[i];
        const struct acc *a = &acc[i];
        zx_result r;

        if (!(levels & (1u << x->level)) || !inside(u, x, w))
            continue;
        /* a unit with nothing in scope under it has no result: a share
         * of rural schools says nothing of an urban school */
        if (x->level != ZX_LEVEL_CITY && a->entities == 0)
            continue;
        memset(&r, 0, sizeof(r));
        r.ind = ind;
        r.year = year;
        r.level = x->level;
        r.unit_id = x->id;
        r.unit_code = x->code;
        r.unit_name = x->name;
        r.entities = a->entities;
        r.numerator = ind->kind == ZX_IND_MIN || ind->kind == ZX_IND_MAX
                          ? NAN : a->n;
        r.denominator = ind->kind == ZX_IND_SHARE ||
                                ind->kind == ZX_IND_RATIO
                            ? a->d : NAN;
        r.value = value_of(ind, a);
        /* a baseline nobody entered data for is unknown, not zero: a ramp
         * cannot start from it */
        r.baseline = need_base ? (e->ind[k].sql.reads_data &&
                                          base[i].has == 0
                                      ? NAN
                                      : value_of(ind, &base[i]))
                     : year <= zx_plan_baseline(e->plan) ? r.value : NAN;
        judge(e, ind, a, &r);
        /* nobody entered the data: the figure is unknown, not zero */
        if (r.status == ZX_STATUS_NO_DATA)
            r.value = NAN;
        if ((rc = fn(ctx, &r)))
            return rc;
    }
    return ZX_OK;
}

/* Reloads the org units when the registry's schools or units changed;
 * every cached total is then void, since totals are kept per unit. */
static int refresh_units(zx_engine *e, const zx_map *snap)
{
    long long v = zx_stamp_version(snap, "registry:school");
    int k, j, rc;

    if (e->have_units && v == e->units_version)
        return ZX_OK;
    for (k = 0; k < e->n; k++)
        for (j = 0; j < NSLOTS; j++)
            clear_slot(&e->ind[k].slot[j]);
    free_units(&e->units);
    e->have_units = 0;
    if ((rc = load_units(e->db, &e->units)))
        return rc;
    e->units_version = v;
    e->have_units = 1;
    return ZX_OK;
}

int zx_engine_eval(zx_engine *e, const zx_indicator *ind, int year,
                   unsigned levels, long long within, zx_result_fn fn,
                   void *ctx)
{
    zx_map *snap = NULL;
    int k, w = -1, rc;

    if ((rc = zx_stamp_snapshot(e->db, &snap)) ||
        (rc = refresh_units(e, snap)) ||
        (e->history && (rc = refresh_units(e->history, snap))))
        goto fail;
    if (within) {
        w = index_of(&e->units, within);
        if (w < 0) {
            rc = ZX_ENOTFOUND;
            goto fail;
        }
    }
    for (k = 0; k < e->n && rc == ZX_OK; k++)
        if (!ind || ind == &e->inds[k])
            rc = eval_one(e, k, year, levels, snap, w, fn, ctx);

fail:
    zx_map_free(snap);
    return rc;
}

void zx_engine_sql_only(zx_engine *e, int on)
{
    int k, j;

    e->sql_only = on;
    for (k = 0; k < e->n; k++)
        for (j = 0; j < NSLOTS; j++)
            clear_slot(&e->ind[k].slot[j]);
    if (e->history)
        zx_engine_sql_only(e->history, on);
}

int zx_engine_columnar(const zx_engine *e, const zx_indicator *ind)
{
    int k;

    for (k = 0; k < e->n; k++)
        if (ind == &e->inds[k])
            return e->ind[k].prog != NULL;
    return 0;
}
