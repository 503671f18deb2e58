/*
 * funding.c - public funds per student per school and year (see
 * funding.h for the rule).  Every figure comes from the year's "funding"
 * rules; this file holds none.
 */
#include "funding.h"

#include "audit.h"
#include "codes.h"
#include "zx.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The stage families of codes.h behind each stage, and its rule keys.
 * Special schools have no years: their students are not split. */
static const struct stage {
    const char *family, *title, *level, *years;
} stages[ZX_FUNDING_NSTAGES] = {
    { "kindergarten", "学前", "per_student.kindergarten",
      "years.kindergarten" },
    { "primary", "小学", "per_student.primary", "years.primary" },
    { "junior", "初中", "per_student.junior", "years.junior" },
    { "senior", "高中", "per_student.senior", "years.senior" },
    { "vocational", "中职", "per_student.vocational", NULL },
    { "special", "特殊教育", "per_student.special", NULL },
};

const char *zx_funding_stage_title(enum zx_funding_stage s)
{
    return stages[s].title;
}

static int in_family(const char *family, int code)
{
    int i, n;
    const int *codes = zx_codes_family(family, &n);

    for (i = 0; codes && i < n; i++)
        if (codes[i] == code)
            return 1;
    return 0;
}

static int is_rural(const zx_plan *plan, int urban_rural)
{
    int i, n;
    const int *codes = zx_plan_rural(plan, &n);

    for (i = 0; i < n; i++)
        if (codes[i] == urban_rural)
            return 1;
    return 0;
}

static double fen(double yuan)
{
    return round(yuan * 100) / 100;
}

/* Only stages with years take part in a split; a vocational or special
 * school is wholly its own stage. */
void zx_funding_shares(const zx_rules *r, int code,
                       double share[ZX_FUNDING_NSTAGES])
{
    double sum = 0;
    int s, n = 0;

    for (s = 0; s < ZX_FUNDING_NSTAGES; s++) {
        share[s] = 0;
        if (in_family(stages[s].family, code)) {
            share[s] = stages[s].years ? zx_rules_value(r, stages[s].years)
                                       : 1;
            sum += share[s];
            n++;
        }
    }
    /* one stage takes all; years all 0 split evenly rather than divide
     * by zero */
    for (s = 0; s < ZX_FUNDING_NSTAGES; s++)
        if (in_family(stages[s].family, code))
            share[s] = n == 1 ? 1 : sum > 0 ? share[s] / sum : 1.0 / n;
}

static void compute_school(zx_funding_school *sc, const zx_rules *r)
{
    double share[ZX_FUNDING_NSTAGES], level = 0, floor_ =
        zx_rules_value(r, "floor");
    long long special = sc->special < sc->students ? sc->special
                                                   : sc->students;
    int s, special_school = in_family("special", sc->type_code);

    zx_funding_shares(r, sc->type_code, share);
    sc->funded = sc->students;
    if (sc->rural && !special_school &&
        in_family("compulsory", sc->type_code) &&
        (double)sc->students < floor_)
        sc->funded = llround(floor_);
    if (special_school) {
        special = sc->students;
    } else {
        for (s = 0; s < ZX_FUNDING_NSTAGES; s++)
            level += share[s] * zx_rules_value(r, stages[s].level);
    }
    sc->base = (double)(sc->funded - special) * level;
    sc->special_amount = (double)special *
                         zx_rules_value(r, "per_student.special");
    sc->boarding = (double)sc->boarders * zx_rules_value(r, "boarder");
    sc->coefficient = 1;
    if (!sc->town_seat)
        sc->coefficient *= zx_rules_value(r, "tilt.not_seat");
    if (sc->weak)
        sc->coefficient *= zx_rules_value(r, "tilt.weak");
    sc->total = fen((sc->base + sc->special_amount + sc->boarding) *
                    sc->coefficient);
    for (s = 0; s < ZX_FUNDING_NSTAGES; s++)
        sc->stage[s] = sc->total * share[s];
}

void zx_funding_free(zx_funding *f)
{
    int i;

    if (!f)
        return;
    for (i = 0; i < f->nschools; i++) {
        free(f->schools[i].code);
        free(f->schools[i].name);
        free(f->schools[i].town);
    }
    for (i = 0; i < f->ntowns; i++)
        free(f->towns[i].name);
    free(f->schools);
    free(f->towns);
    free(f);
}

/* Adds sc to the totals: its town's (a new one when the town changes:
 * schools come ordered by town) and the city's. */
static int add_totals(zx_funding *f, const zx_funding_school *sc)
{
    zx_funding_town *t;
    int s;

    if (!f->ntowns || strcmp(f->towns[f->ntowns - 1].name, sc->town)) {
        t = realloc(f->towns, (size_t)(f->ntowns + 1) * sizeof(*t));
        if (!t)
            return ZX_ENOMEM;
        f->towns = t;
        t = &f->towns[f->ntowns];
        memset(t, 0, sizeof(*t));
        if (!(t->name = strdup(sc->town)))
            return ZX_ENOMEM;
        f->ntowns++;
    }
    t = &f->towns[f->ntowns - 1];
    t->students += sc->students;
    t->funded += sc->funded;
    t->total += sc->total;
    f->students += sc->students;
    f->funded += sc->funded;
    f->total += sc->total;
    for (s = 0; s < ZX_FUNDING_NSTAGES; s++) {
        t->stage[s] += sc->stage[s];
        f->stage[s] += sc->stage[s];
    }
    return ZX_OK;
}

int zx_funding_keep(zx_funding *f,
                    int (*keep)(void *ctx, const zx_funding_school *sc),
                    void *ctx)
{
    int i, n = 0, s;

    for (i = 0; i < f->ntowns; i++)
        free(f->towns[i].name);
    free(f->towns);
    f->towns = NULL;
    f->ntowns = 0;
    f->students = f->funded = 0;
    f->total = 0;
    for (s = 0; s < ZX_FUNDING_NSTAGES; s++)
        f->stage[s] = 0;
    for (i = 0; i < f->nschools; i++) {
        zx_funding_school *sc = &f->schools[i];

        if (!keep(ctx, sc)) {
            free(sc->code);
            free(sc->name);
            free(sc->town);
            continue;
        }
        f->schools[n++] = *sc;
    }
    f->nschools = n;
    for (i = 0; i < n; i++)
        if (add_totals(f, &f->schools[i]))
            return ZX_ENOMEM;
    f->total = fen(f->total);
    return ZX_OK;
}

static char *dup_col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);

    return strdup(t ? (const char *)t : "");
}

int zx_funding_compute(zx_db *db, const zx_plan *plan, int year,
                       const zx_rules *rules, zx_funding **out)
{
    sqlite3_stmt *st;
    zx_funding *f;
    zx_funding_school *sc;
    int rc = ZX_EDB, step, cap = 0;

    *out = NULL;
    if (isnan(zx_rules_value(rules, "floor")))
        return ZX_EINVAL;
    if (!(f = calloc(1, sizeof(*f))))
        return ZX_ENOMEM;
    f->year = year;
    st = zx_db_prepare(db,
        "SELECT u.id, u.code, u.name, coalesce(w.name, ''), s.type_code,"
        "  s.urban_rural, s.town_seat, e.students, e.boarders, e.special,"
        "  coalesce((SELECT num FROM data_value WHERE element = 'weak_school'"
        "    AND unit_id = u.id AND year = ?1), 0)"
        " FROM school s JOIN org_unit u ON u.id = s.unit_id"
        " JOIN enrolment e ON e.school_id = s.unit_id AND e.year = ?1"
        " LEFT JOIN org_unit w ON w.id = u.parent_id AND w.kind = 'town'"
        " ORDER BY coalesce(w.code, ''), u.code");
    if (!st)
        goto fail;
    sqlite3_bind_int(st, 1, year);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (!(sc = zx_push((void **)&f->schools, &f->nschools, &cap,
                           sizeof(*sc)))) {
            rc = ZX_ENOMEM;
            goto fail;
        }
        sc->id = sqlite3_column_int64(st, 0);
        sc->code = dup_col(st, 1);
        sc->name = dup_col(st, 2);
        sc->town = dup_col(st, 3);
        if (!sc->code || !sc->name || !sc->town) {
            rc = ZX_ENOMEM;
            goto fail;
        }
        sc->type_code = sqlite3_column_int(st, 4);
        sc->rural = is_rural(plan, sqlite3_column_int(st, 5));
        sc->town_seat = sqlite3_column_int(st, 6);
        sc->students = sqlite3_column_int64(st, 7);
        sc->boarders = sqlite3_column_int64(st, 8);
        sc->special = sqlite3_column_int64(st, 9);
        sc->weak = sqlite3_column_double(st, 10) != 0;
        compute_school(sc, rules);
        if ((rc = add_totals(f, sc)))
            goto fail;
        rc = ZX_EDB;
    }
    if (step != SQLITE_DONE)
        goto fail;
    sqlite3_reset(st);
    f->total = fen(f->total);
    *out = f;
    return ZX_OK;

fail:
    if (st)
        sqlite3_reset(st);
    zx_funding_free(f);
    return rc;
}

/* {"schools": n, "total": t} of the year's stored rows, or NULL when
 * there are none; *err is set on failure. */
static json_t *stored_summary(zx_db *db, int year, int *err)
{
    sqlite3_stmt *st = zx_db_prepare(db, "SELECT count(*), total(total)"
                                         " FROM funding WHERE year = ?1");
    json_t *j = NULL;

    *err = ZX_EDB;
    if (!st)
        return NULL;
    sqlite3_bind_int(st, 1, year);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *err = ZX_OK;
        if (sqlite3_column_int64(st, 0) > 0 &&
            !(j = json_pack("{s:I, s:f}", "schools",
                            (json_int_t)sqlite3_column_int64(st, 0), "total",
                            sqlite3_column_double(st, 1))))
            *err = ZX_ENOMEM;
    }
    sqlite3_reset(st);
    return j;
}

int zx_funding_save(zx_db *db, const zx_funding *f, const zx_rules *rules,
                    const char *actor)
{
    sqlite3_stmt *st;
    json_t *old = NULL, *new_ = NULL;
    int i, rc = ZX_EDB;

    if (zx_db_begin(db) != ZX_OK)
        return ZX_EDB;
    old = stored_summary(db, f->year, &rc);
    if (rc)
        goto fail;
    rc = ZX_EDB;
    st = zx_db_prepare(db, "DELETE FROM funding WHERE year = ?1");
    if (!st)
        goto fail;
    sqlite3_bind_int(st, 1, f->year);
    i = sqlite3_step(st);
    sqlite3_reset(st);
    if (i != SQLITE_DONE)
        goto fail;
    st = zx_db_prepare(db, "INSERT INTO funding(school_id, year, students,"
                           " funded_students, total, base, boarding,"
                           " special, coefficient)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!st)
        goto fail;
    for (i = 0; i < f->nschools; i++) {
        const zx_funding_school *sc = &f->schools[i];

        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, sc->id);
        sqlite3_bind_int(st, 2, f->year);
        sqlite3_bind_int64(st, 3, sc->students);
        sqlite3_bind_int64(st, 4, sc->funded);
        sqlite3_bind_double(st, 5, sc->total);
        sqlite3_bind_double(st, 6, sc->base);
        sqlite3_bind_double(st, 7, sc->boarding);
        sqlite3_bind_double(st, 8, sc->special_amount);
        sqlite3_bind_double(st, 9, sc->coefficient);
        if (sqlite3_step(st) != SQLITE_DONE) {
            sqlite3_reset(st);
            goto fail;
        }
    }
    sqlite3_reset(st);
    rc = ZX_ENOMEM;
    if (!(new_ = json_pack("{s:i, s:f, s:o}", "schools", f->nschools,
                           "total", f->total, "rules", zx_rules_json(rules))))
        goto fail;
    if ((rc = zx_audit_year(db, actor, "funding", f->year, old, new_)))
        goto fail;
    if (zx_db_commit(db) != ZX_OK) {
        rc = ZX_EDB;
        goto fail;
    }
    json_decref(old);
    json_decref(new_);
    return ZX_OK;

fail:
    zx_db_rollback(db);
    json_decref(old);
    json_decref(new_);
    return rc;
}
