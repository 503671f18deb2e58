/*
 * subsidy.c - the rural teacher subsidy per teacher, school and town
 * (see subsidy.h for the rule).  Every figure comes from the year's
 * "subsidy" rules; this file holds none.
 */
#include "subsidy.h"

#include "audit.h"
#include "zx.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const location_titles[] = { "建制镇所在地", "镇区",
                                               "乡村" };
static const char *const location_keys[] = { "amount.seat", "amount.town",
                                             "amount.village" };

const char *zx_subsidy_location_title(enum zx_subsidy_location l)
{
    return location_titles[l];
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

void zx_subsidy_free(zx_subsidy *s)
{
    int i;

    if (!s)
        return;
    for (i = 0; i < s->nteachers; i++) {
        free(s->teachers[i].no);
        free(s->teachers[i].name);
    }
    for (i = 0; i < s->nschools; i++) {
        free(s->schools[i].code);
        free(s->schools[i].name);
    }
    for (i = 0; i < s->ntowns; i++) {
        free(s->towns[i].code);
        free(s->towns[i].name);
    }
    free(s->teachers);
    free(s->schools);
    free(s->towns);
    free(s);
}

/* Appends a unit named code/name to *arr unless the last one is it;
 * returns its index, or -1 when memory is short. */
static int unit_for(zx_subsidy_unit **arr, int *n, const char *code,
                    const char *name)
{
    zx_subsidy_unit *u;

    if (*n && strcmp((*arr)[*n - 1].code, code) == 0)
        return *n - 1;
    if (!(u = realloc(*arr, (size_t)(*n + 1) * sizeof(*u))))
        return -1;
    *arr = u;
    u = &u[*n];
    memset(u, 0, sizeof(*u));
    u->code = strdup(code);
    u->name = strdup(name);
    (*n)++;
    return u->code && u->name ? *n - 1 : -1;
}

static const char *col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);

    return t ? (const char *)t : "";
}

/* The amount an eligible teacher is due in location after years. */
static double amount_of(const zx_rules *r, enum zx_subsidy_location loc,
                        int years)
{
    double a = zx_rules_value(r, location_keys[loc]);

    if (years >= zx_rules_value(r, "service.years2"))
        return a + zx_rules_value(r, "service.extra2");
    if (years >= zx_rules_value(r, "service.years1"))
        return a + zx_rules_value(r, "service.extra1");
    return a;
}

int zx_subsidy_compute(zx_db *db, const zx_plan *plan, int year,
                       const zx_rules *rules, zx_subsidy **out)
{
    sqlite3_stmt *st;
    zx_subsidy *s;
    zx_subsidy_teacher *t;
    char key[32];
    double cover;
    int rc = ZX_EDB, step, cap = 0, town, school;

    *out = NULL;
    if (isnan(zx_rules_value(rules, "amount.seat")))
        return ZX_EINVAL;
    if (!(s = calloc(1, sizeof(*s))))
        return ZX_ENOMEM;
    s->year = year;
    st = zx_db_prepare(db,
        "SELECT t.id, t.teacher_no, t.name, t.employment, t.since_year,"
        "  s.urban_rural, s.town_seat, u.code, u.name,"
        "  coalesce(w.code, ''), coalesce(w.name, '')"
        " FROM teacher t JOIN school s ON s.unit_id = t.school_id"
        " JOIN org_unit u ON u.id = s.unit_id"
        " LEFT JOIN org_unit w ON w.id = u.parent_id AND w.kind = 'town'"
        " WHERE t.since_year <= ?1"
        " ORDER BY coalesce(w.code, ''), u.code, t.teacher_no");
    if (!st)
        goto fail;
    sqlite3_bind_int(st, 1, year);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        int ur = sqlite3_column_int(st, 5);

        if (!is_rural(plan, ur))
            continue;
        rc = ZX_ENOMEM;
        if (!(t = zx_push((void **)&s->teachers, &s->nteachers, &cap,
                          sizeof(*t))) ||
            (town = unit_for(&s->towns, &s->ntowns, col(st, 9),
                             col(st, 10))) < 0 ||
            (school = unit_for(&s->schools, &s->nschools, col(st, 7),
                               col(st, 8))) < 0 ||
            !(t->no = strdup(col(st, 1))) || !(t->name = strdup(col(st, 2))))
            goto fail;
        t->id = sqlite3_column_int64(st, 0);
        t->school = school;
        s->schools[school].town = town;
        t->employment = sqlite3_column_int(st, 3);
        t->years = year - sqlite3_column_int(st, 4);
        t->location = sqlite3_column_int(st, 6) ? ZX_SUBSIDY_SEAT
                      : ur / 100 == 2           ? ZX_SUBSIDY_VILLAGE
                                                : ZX_SUBSIDY_TOWN;
        /* an employment code without a rule is not covered */
        snprintf(key, sizeof(key), "employment.%d", t->employment);
        cover = zx_rules_value(rules, key);
        t->eligible = !isnan(cover) && cover != 0;
        t->amount = t->eligible ? amount_of(rules, t->location, t->years) : 0;
        s->schools[school].teachers++;
        s->towns[town].teachers++;
        s->schools[school].eligible += t->eligible;
        s->towns[town].eligible += t->eligible;
        s->eligible += t->eligible;
        s->schools[school].total += t->amount;
        s->towns[town].total += t->amount;
        s->total += t->amount;
        rc = ZX_EDB;
    }
    if (step != SQLITE_DONE)
        goto fail;
    sqlite3_reset(st);
    *out = s;
    return ZX_OK;

fail:
    if (st)
        sqlite3_reset(st);
    zx_subsidy_free(s);
    return rc;
}

/* The year's stored rows, ordered by teacher id, to keep paid where
 * nothing changed. */
struct old_row {
    long long id;
    int eligible, paid;
    double amount;
};

static int by_id(const void *a, const void *b)
{
    long long x = ((const struct old_row *)a)->id,
              y = ((const struct old_row *)b)->id;

    return x < y ? -1 : x > y;
}

/* Reads the year's rows into *rows (malloc'd) and their summary into
 * *summary (NULL when there are none). */
static int read_old(zx_db *db, int year, struct old_row **rows, int *n,
                    json_t **summary)
{
    sqlite3_stmt *st = zx_db_prepare(db, "SELECT teacher_id, eligible,"
                                         " paid, amount FROM subsidy"
                                         " WHERE year = ?1");
    struct old_row *r;
    long long eligible = 0, paid = 0;
    double total = 0;
    int cap = 0, step;

    *rows = NULL;
    *n = 0;
    *summary = NULL;
    if (!st)
        return ZX_EDB;
    sqlite3_bind_int(st, 1, year);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (!(r = zx_push((void **)rows, n, &cap, sizeof(*r)))) {
            sqlite3_reset(st);
            return ZX_ENOMEM;
        }
        r->id = sqlite3_column_int64(st, 0);
        r->eligible = sqlite3_column_int(st, 1);
        r->paid = sqlite3_column_int(st, 2);
        r->amount = sqlite3_column_double(st, 3);
        eligible += r->eligible;
        paid += r->paid;
        total += r->amount;
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        return ZX_EDB;
    if (*n) {
        qsort(*rows, (size_t)*n, sizeof(**rows), by_id);
        if (!(*summary = json_pack("{s:i, s:I, s:I, s:f}", "teachers", *n,
                                   "eligible", (json_int_t)eligible, "paid",
                                   (json_int_t)paid, "total", total)))
            return ZX_ENOMEM;
    }
    return ZX_OK;
}

int zx_subsidy_save(zx_db *db, const zx_subsidy *s, const zx_rules *rules,
                    int mark_paid, const char *actor)
{
    sqlite3_stmt *st;
    struct old_row *old_rows = NULL, *o, probe;
    json_t *old = NULL, *new_ = NULL;
    long long paid_n = 0;
    int i, nold, paid, rc;

    if (zx_db_begin(db) != ZX_OK)
        return ZX_EDB;
    if ((rc = read_old(db, s->year, &old_rows, &nold, &old)))
        goto fail;
    rc = ZX_EDB;
    st = zx_db_prepare(db, "DELETE FROM subsidy WHERE year = ?1");
    if (!st)
        goto fail;
    sqlite3_bind_int(st, 1, s->year);
    i = sqlite3_step(st);
    sqlite3_reset(st);
    if (i != SQLITE_DONE)
        goto fail;
    st = zx_db_prepare(db, "INSERT INTO subsidy(teacher_id, year, eligible,"
                           " paid, amount) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st)
        goto fail;
    for (i = 0; i < s->nteachers; i++) {
        const zx_subsidy_teacher *t = &s->teachers[i];

        probe.id = t->id;
        o = nold ? bsearch(&probe, old_rows, (size_t)nold, sizeof(*o), by_id)
                 : NULL;
        paid = t->eligible &&
               (mark_paid || (o && o->paid && o->eligible &&
                              o->amount == t->amount));
        paid_n += paid;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, t->id);
        sqlite3_bind_int(st, 2, s->year);
        sqlite3_bind_int(st, 3, t->eligible);
        sqlite3_bind_int(st, 4, paid);
        sqlite3_bind_double(st, 5, t->amount);
        if (sqlite3_step(st) != SQLITE_DONE) {
            sqlite3_reset(st);
            goto fail;
        }
    }
    sqlite3_reset(st);
    rc = ZX_ENOMEM;
    if (!(new_ = json_pack("{s:i, s:I, s:I, s:f, s:o}", "teachers",
                           s->nteachers, "eligible", (json_int_t)s->eligible,
                           "paid", (json_int_t)paid_n, "total", s->total,
                           "rules", zx_rules_json(rules))))
        goto fail;
    if ((rc = zx_audit_year(db, actor, "subsidy", s->year, old, new_)))
        goto fail;
    if (zx_db_commit(db) != ZX_OK) {
        rc = ZX_EDB;
        goto fail;
    }
    free(old_rows);
    json_decref(old);
    json_decref(new_);
    return ZX_OK;

fail:
    zx_db_rollback(db);
    free(old_rows);
    json_decref(old);
    json_decref(new_);
    return rc;
}
