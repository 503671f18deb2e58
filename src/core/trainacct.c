/*
 * trainacct.c - the accounting of the training ledger (see training.h):
 * the hours of the rural teachers (or of one teacher) against the year's
 * milestone and the target (zx_training_teachers), and the counts per
 * unit (zx_training_units).
 *
 * Both read one scan (acct_scan): a query of the teachers in scope with
 * their hours summed by the database, counted only inside the plan's
 * window (zx_training_window) and up to the end of the year asked for.
 */
#include "trainint.h"
#include "map.h"
#include "text.h"
#include "zx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- accounting ------------------------------------------------------ */

/* The scan, per teacher: number, name, school code and name, town name,
 * rural, the school, its town, its group and the city (ids), then the
 * special hours counted (?2..?3), the other hours of the same days and the
 * special hours outside the window (?2..?4).  ?1 the rural codes, ?5 the
 * teacher or the unit. */
#define SCAN_SELECT                                                       \
    "SELECT t.teacher_no, t.name, sc.code, sc.name, tw.name, "            \
    ZX_TRAIN_RURAL("t", "s", "?1") ", s.unit_id, sc.parent_id,"           \
    " s.group_id, tw.parent_id,"                                          \
    " total(CASE WHEN r.special = 1 AND r.done_on BETWEEN ?2 AND ?3"      \
    "  THEN r.hours END),"                                                \
    " total(CASE WHEN r.special = 0 AND r.done_on BETWEEN ?2 AND ?3"      \
    "  THEN r.hours END),"                                                \
    " total(CASE WHEN r.special = 1 AND (r.done_on < ?2 OR r.done_on > ?4)" \
    "  THEN r.hours END)"                                                 \
    " FROM teacher t JOIN school s ON s.unit_id = t.school_id"            \
    " JOIN org_unit sc ON sc.id = s.unit_id"                              \
    " JOIN org_unit tw ON tw.id = sc.parent_id"                           \
    " LEFT JOIN training_record r ON r.teacher_id = t.id"
#define SCAN_END " GROUP BY t.id ORDER BY sc.code, t.teacher_no"

static int is_plan_year(const zx_plan *plan, int year)
{
    const int *years;
    int n, i;

    years = zx_plan_years(plan, &n);
    for (i = 0; i < n; i++)
        if (years[i] == year)
            return 1;
    return 0;
}

/* A scan's parameters, resolved from a query. */
struct acct {
    zx_db *db;
    int year;
    double target, milestone;
    char rural[128], first[11], upto[11], last[11];
    long long teacher_id;      /* or 0 */
    long long unit_id;         /* or 0: everything */
    enum zx_level scope;       /* the unit's level (the city when 0) */
};

static int acct_open(zx_db *db, const zx_plan *plan,
                     const zx_training_query *q, struct acct *a,
                     zx_diag *diag)
{
    char key[256], years[128];
    const int *ys;
    sqlite3_stmt *st;
    int n, i, rural, step;
    size_t o = 0;

    memset(a, 0, sizeof(*a));
    a->db = db;
    a->year = q->year ? q->year : zx_training_year(plan);
    if (!is_plan_year(plan, a->year)) {
        ys = zx_plan_years(plan, &n);
        years[0] = '\0';
        for (i = 0; i < n && o < sizeof(years); i++)
            o += (size_t)snprintf(years + o, sizeof(years) - o, "%s%d",
                                  i ? "、" : "", ys[i]);
        zx_diag_add(diag, "", 0, -1, "年度 %d 不是计划年度（%s）", a->year,
                    years);
        return ZX_EINVAL;
    }
    a->target = zx_training_target(plan);
    a->milestone = zx_training_milestone(plan, a->year);
    zx_train_rural_json(plan, a->rural, sizeof(a->rural));
    zx_training_window(plan, a->first, a->last);
    snprintf(a->upto, sizeof(a->upto), "%04d-12-31", a->year);
    a->scope = ZX_LEVEL_CITY;
    if (q->teacher) {
        int rc;
        if (zx_train_norm(q->teacher, key, sizeof(key),
                          ZX_NORM_PUNCT | ZX_NORM_SQUASH))
            key[0] = '\0';
        rc = zx_train_find_teacher(db, a->rural, key, &a->teacher_id,
                                   &rural, NULL, 0);
        if (rc == ZX_ENOTFOUND)
            zx_diag_add(diag, "", 0, -1, "教师编号“%s”不存在", key);
        return rc;
    }
    if (!q->unit)
        return ZX_OK;
    if (zx_train_norm(q->unit, key, sizeof(key),
                      ZX_NORM_PUNCT | ZX_NORM_SQUASH))
        key[0] = '\0';
    /* a code, or the name of a unit (towns and groups by their name key) */
    st = zx_db_prepare(db, "SELECT id, kind FROM org_unit WHERE code = ?1"
                           " OR name = ?1 OR name_key = ?1"
                           " ORDER BY code <> ?1 LIMIT 1");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if ((step = sqlite3_step(st)) == SQLITE_ROW) {
        a->unit_id = sqlite3_column_int64(st, 0);
        a->scope = (enum zx_level)zx_level_parse(
            (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_reset(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return ZX_EDB;
    if (!a->unit_id) {
        zx_diag_add(diag, "", 0, -1, "单位“%s”不存在（应为市、区镇、集团的"
                    "编码或名称，或学校标识码）", key);
        return ZX_ENOTFOUND;
    }
    if (a->scope == ZX_LEVEL_CITY)
        a->unit_id = 0; /* the city is everything */
    return ZX_OK;
}

/* What a scan hands on per teacher: the hours, and where they count. */
typedef int (*scan_fn)(void *ctx, const zx_training_hours *h,
                       const long long units[4]);

/* Scans the teachers of a: fn gets their hours and their school, town,
 * group (0 when none) and city. */
static int acct_scan(struct acct *a, scan_fn fn, void *ctx)
{
    sqlite3_stmt *st;
    zx_training_hours h;
    long long units[4];
    int rc = ZX_OK, step;

    st = zx_train_own_stmt(a->db,
                           a->teacher_id
                               ? SCAN_SELECT " WHERE t.id = ?5" SCAN_END
                               : SCAN_SELECT " WHERE "
                                 ZX_TRAIN_RURAL("t", "s", "?1")
                                 " AND (?5 = 0 OR s.unit_id = ?5"
                                 " OR sc.parent_id = ?5 OR s.group_id = ?5"
                                 " OR tw.parent_id = ?5)" SCAN_END);
    if (!st)
        return ZX_EDB;
    sqlite3_bind_text(st, 1, a->rural, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, a->first, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, a->upto, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, a->last, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, a->teacher_id ? a->teacher_id : a->unit_id);
    memset(&h, 0, sizeof(h));
    h.milestone = a->milestone;
    h.target = a->target;
    while (rc == ZX_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        h.teacher_no = (const char *)sqlite3_column_text(st, 0);
        h.name = (const char *)sqlite3_column_text(st, 1);
        h.school_code = (const char *)sqlite3_column_text(st, 2);
        h.school_name = (const char *)sqlite3_column_text(st, 3);
        h.town_name = (const char *)sqlite3_column_text(st, 4);
        h.rural = sqlite3_column_int(st, 5);
        units[ZX_LEVEL_SCHOOL] = sqlite3_column_int64(st, 6);
        units[ZX_LEVEL_TOWN] = sqlite3_column_int64(st, 7);
        units[ZX_LEVEL_GROUP] = sqlite3_column_int64(st, 8);
        units[ZX_LEVEL_CITY] = sqlite3_column_int64(st, 9);
        h.special = sqlite3_column_double(st, 10);
        h.continuing = sqlite3_column_double(st, 11);
        h.outside = sqlite3_column_double(st, 12);
        h.complete = h.special >= h.target - ZX_TRAIN_EPS;
        h.on_track = h.special >= h.milestone - ZX_TRAIN_EPS;
        h.shortfall = h.on_track ? 0 : h.milestone - h.special;
        rc = fn(ctx, &h, units);
    }
    if (rc == ZX_OK && step != SQLITE_DONE)
        rc = ZX_EDB;
    sqlite3_finalize(st);
    return rc;
}

struct teachers_ctx {
    int behind_only;
    int (*fn)(void *ctx, const zx_training_hours *h);
    void *ctx;
};

static int teacher_row(void *ctx, const zx_training_hours *h,
                       const long long units[4])
{
    struct teachers_ctx *t = ctx;

    ZX_UNUSED(units);
    if (t->behind_only && h->on_track)
        return 0;
    return t->fn(t->ctx, h);
}

int zx_training_teachers(zx_db *db, const zx_plan *plan,
                         const zx_training_query *q,
                         int (*fn)(void *ctx, const zx_training_hours *h),
                         void *ctx, zx_diag *diag)
{
    struct teachers_ctx t = { q->behind_only, fn, ctx };
    struct acct a;
    int rc;

    if ((rc = acct_open(db, plan, q, &a, diag)))
        return rc;
    return acct_scan(&a, teacher_row, &t);
}

/* A unit's counts as the scan adds them up. */
struct tally {
    long long id;
    enum zx_level level;
    long long teachers, complete, on_track;
    char *code, *name;
};

struct units_ctx {
    enum zx_level scope;
    zx_map *index;             /* unit id -> position in t */
    struct tally *t;
    size_t n, cap;
};

static int tally_add(struct units_ctx *u, enum zx_level level, long long id,
                     const zx_training_hours *h)
{
    char key[32];
    long long at;
    struct tally *t;

    snprintf(key, sizeof(key), "%lld", id);
    if (!zx_map_get(u->index, key, &at)) {
        if (u->n == u->cap) {
            size_t cap = u->cap ? u->cap * 2 : 64;
            struct tally *nt = realloc(u->t, cap * sizeof(*nt));
            if (!nt)
                return ZX_ENOMEM;
            u->t = nt;
            u->cap = cap;
        }
        at = (long long)u->n;
        if (zx_map_put(u->index, key, at))
            return ZX_ENOMEM;
        memset(&u->t[u->n], 0, sizeof(u->t[0]));
        u->t[u->n].id = id;
        u->t[u->n].level = level;
        u->n++;
    }
    t = &u->t[at];
    t->teachers++;
    t->complete += h->complete;
    t->on_track += h->on_track;
    return ZX_OK;
}

/* Adds a teacher to its school and, under the city, its town and group;
 * under a town its town, under a group its group. */
static int unit_row(void *ctx, const zx_training_hours *h,
                    const long long units[4])
{
    struct units_ctx *u = ctx;
    int rc, l;

    for (l = ZX_LEVEL_CITY; l <= ZX_LEVEL_SCHOOL; l++) {
        if (!units[l] || (l != ZX_LEVEL_SCHOOL && u->scope != ZX_LEVEL_CITY &&
                          (enum zx_level)l != u->scope))
            continue;
        if ((rc = tally_add(u, (enum zx_level)l, units[l], h)))
            return rc;
    }
    return ZX_OK;
}

static int by_level_code(const void *x, const void *y)
{
    const struct tally *a = x, *b = y;

    if (a->level != b->level)
        return a->level < b->level ? -1 : 1;
    return strcmp(a->code, b->code);
}

int zx_training_units(zx_db *db, const zx_plan *plan,
                      const zx_training_query *q,
                      int (*fn)(void *ctx, const zx_training_unit *u),
                      void *ctx, zx_diag *diag)
{
    struct units_ctx u;
    struct acct a;
    zx_training_query scoped = *q;
    zx_training_unit out;
    sqlite3_stmt *st;
    size_t i;
    int rc, step;

    memset(&u, 0, sizeof(u));
    scoped.teacher = NULL;
    if ((rc = acct_open(db, plan, &scoped, &a, diag)))
        return rc;
    u.scope = a.scope;
    if (!(u.index = zx_map_new()))
        return ZX_ENOMEM;
    if ((rc = acct_scan(&a, unit_row, &u)))
        goto fail;
    rc = ZX_EDB;
    if (!(st = zx_db_prepare(db, "SELECT code, name FROM org_unit"
                                 " WHERE id = ?1")))
        goto fail;
    for (i = 0; i < u.n; i++) {
        sqlite3_bind_int64(st, 1, u.t[i].id);
        step = sqlite3_step(st);
        if (step == SQLITE_ROW) {
            u.t[i].code = strdup((const char *)sqlite3_column_text(st, 0));
            u.t[i].name = strdup((const char *)sqlite3_column_text(st, 1));
        }
        sqlite3_reset(st);
        if (step != SQLITE_ROW)
            goto fail;
        if (!u.t[i].code || !u.t[i].name) {
            rc = ZX_ENOMEM;
            goto fail;
        }
    }
    qsort(u.t, u.n, sizeof(u.t[0]), by_level_code);
    rc = ZX_OK;
    for (i = 0; i < u.n && rc == ZX_OK; i++) {
        out.level = u.t[i].level;
        out.code = u.t[i].code;
        out.name = u.t[i].name;
        out.teachers = u.t[i].teachers;
        out.complete = u.t[i].complete;
        out.on_track = u.t[i].on_track;
        out.complete_share = 100.0 * (double)out.complete /
                             (double)out.teachers;
        out.on_track_share = 100.0 * (double)out.on_track /
                             (double)out.teachers;
        out.milestone = a.milestone;
        out.target = a.target;
        rc = fn(ctx, &out);
    }

fail:
    for (i = 0; i < u.n; i++) {
        free(u.t[i].code);
        free(u.t[i].name);
    }
    free(u.t);
    zx_map_free(u.index);
    return rc;
}
