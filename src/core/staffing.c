/*
 * staffing.c - staffing norms and actual staff per school and subject
 * (see staffing.h for the rule).  Every figure comes from the year's
 * "staffing" and "curriculum" rules; this file holds none.
 */
#include "staffing.h"

#include "audit.h"
#include "codes.h"
#include "zx.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rule key parts per stage of funding.h's enum; the teaching stage code
 * of codes.c's "stage" list is the index + 1. */
static const char *const stage_key[ZX_FUNDING_NSTAGES] = {
    "kindergarten", "primary", "junior", "senior", "vocational", "special"
};

static const char *const status_names[] = { "无标准", "超编", "缺编",
                                            "持平" };

const char *zx_staffing_status_name(enum zx_staffing_status s)
{
    return status_names[s];
}

/* The value of "PREFIX.STAGE" (or "PREFIX.STAGE.SUBJECT" when subject >
 * 0) in r; 0 for a key the kind lacks (no curriculum for that stage). */
static double stage_rule(const zx_rules *r, const char *prefix, int s,
                         int subject)
{
    char key[64];
    double v;

    if (subject > 0)
        snprintf(key, sizeof(key), "%s.%s.%d", prefix, stage_key[s],
                 subject);
    else
        snprintf(key, sizeof(key), "%s.%s", prefix, stage_key[s]);
    v = zx_rules_value(r, key);
    return isnan(v) ? 0 : v;
}

static double cent(double v)
{
    return round(v * 100) / 100;
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

const zx_staffing_subject *zx_staffing_subject_of(
    const zx_staffing_school *sc, int subject)
{
    int i;

    for (i = 0; i < sc->nsubjects; i++)
        if (sc->subjects[i].subject == subject)
            return &sc->subjects[i];
    return NULL;
}

/* The norm of sc from its enrolment (see staffing.h). */
static void norm_school(zx_staffing_school *sc, const zx_rules *r,
                        const double share[])
{
    double small = zx_rules_value(r, "small.students");
    int s;

    sc->norm = sc->ratio_norm = sc->class_norm = 0;
    for (s = 0; s < ZX_FUNDING_NSTAGES; s++) {
        double ratio = stage_rule(r, "ratio", s, 0), by_n = 0, by_c, c;

        if (share[s] <= 0)
            continue;
        c = share[s] * (double)sc->classes;
        if (ratio > 0)
            by_n = share[s] * (double)sc->students / ratio;
        by_c = c * stage_rule(r, "per_class", s, 0);
        if (s == ZX_FUNDING_KINDERGARTEN && sc->students > 0)
            by_c += c * (double)sc->boarders / (double)sc->students *
                    zx_rules_value(r, "boarding_class.kindergarten");
        sc->ratio_norm += by_n;
        sc->class_norm += by_c;
        if (ratio <= 0 ||
            ((double)sc->students < small && by_c > by_n)) {
            sc->norm += by_c;
            sc->by_class |= by_c > 0;
        } else {
            sc->norm += by_n;
        }
    }
    sc->norm = cent(sc->norm);
    sc->ratio_norm = cent(sc->ratio_norm);
    sc->class_norm = cent(sc->class_norm);
}

/* Counts sc's teachers: overall (counted, substitutes, others) and per
 * subject for the stages with a curriculum, whose needs it adds. */
static int count_school(zx_db *db, zx_staffing_school *sc,
                        const zx_rules *r, const zx_rules *cur,
                        const double share[])
{
    const zx_codelist *subjects = zx_codes_get("subject");
    double need[64] = { 0 }, lessons[64] = { 0 }, hours[64] = { 0 };
    long long actual[64] = { 0 };
    sqlite3_stmt *st;
    int i, s, n = 0, step;

    for (i = 0; i < subjects->n && i < 64; i++)
        for (s = 0; s < ZX_FUNDING_NSTAGES; s++) {
            double load = stage_rule(cur, "load", s, 0), l;

            if (share[s] <= 0 || load <= 0)
                continue;
            l = share[s] * (double)sc->classes *
                stage_rule(cur, "lessons", s, atoi(subjects->items[i].code));
            lessons[i] += l;
            need[i] += l / load;
        }
    st = zx_db_prepare(db, "SELECT stage, subject, employment, count(*)"
                           " FROM teacher WHERE school_id = ?1"
                           " GROUP BY 1, 2, 3");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_int64(st, 1, sc->id);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        int stage = sqlite3_column_int(st, 0) - 1;
        int subject = sqlite3_column_int(st, 1);
        int emp = sqlite3_column_int(st, 2);
        long long k = sqlite3_column_int64(st, 3);
        char key[32];
        double counts;

        snprintf(key, sizeof(key), "employment.%d", emp);
        counts = zx_rules_value(r, key);
        if (isnan(counts) || counts == 0) {
            if (emp == 3)
                sc->substitutes += k;
            else
                sc->others += k;
            continue;
        }
        sc->actual += k;
        if (stage < 0 || stage >= ZX_FUNDING_NSTAGES || share[stage] <= 0 ||
            stage_rule(cur, "load", stage, 0) <= 0)
            continue;
        for (i = 0; i < subjects->n && i < 64; i++)
            if (atoi(subjects->items[i].code) == subject) {
                actual[i] += k;
                hours[i] += (double)k * stage_rule(cur, "load", stage, 0);
            }
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        return ZX_EDB;
    for (i = 0; i < subjects->n && i < 64; i++)
        n += need[i] > 0 || actual[i] > 0;
    if (n && !(sc->subjects = calloc((size_t)n, sizeof(*sc->subjects))))
        return ZX_ENOMEM;
    for (i = 0; i < subjects->n && i < 64; i++) {
        zx_staffing_subject *x;

        if (need[i] <= 0 && actual[i] <= 0)
            continue;
        x = &sc->subjects[sc->nsubjects++];
        x->subject = atoi(subjects->items[i].code);
        x->need = cent(need[i]);
        x->actual = actual[i];
        x->diff = cent((double)actual[i] - x->need);
        x->lessons = cent(lessons[i]);
        x->hours_lacking = lessons[i] > hours[i] ? cent(lessons[i] - hours[i])
                                                 : 0;
    }
    return ZX_OK;
}

static void judge(zx_staffing_school *sc, double serious_ratio)
{
    sc->diff = cent((double)sc->actual - sc->norm);
    if (sc->norm <= 0)
        sc->status = ZX_STAFFING_NONE;
    else if ((double)sc->actual > sc->norm)
        sc->status = ZX_STAFFING_OVER;
    else if ((double)sc->actual < sc->norm)
        sc->status = ZX_STAFFING_UNDER;
    else
        sc->status = ZX_STAFFING_EVEN;
    sc->serious = sc->status == ZX_STAFFING_OVER && serious_ratio > 0 &&
                  (double)sc->actual > sc->norm * serious_ratio;
}

void zx_staffing_free(zx_staffing *s)
{
    int i;

    if (!s)
        return;
    for (i = 0; i < s->nschools; i++) {
        free(s->schools[i].code);
        free(s->schools[i].name);
        free(s->schools[i].town);
        free(s->schools[i].town_code);
        free(s->schools[i].subjects);
    }
    for (i = 0; i < s->ntowns; i++)
        free(s->towns[i].name);
    free(s->schools);
    free(s->towns);
    free(s);
}

/* Adds sc to its town's totals (a new town when it changes: schools come
 * ordered by town) and the city's. */
static int add_totals(zx_staffing *f, const zx_staffing_school *sc)
{
    zx_staffing_town *t;

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
    t->classes += sc->classes;
    t->actual += sc->actual;
    t->substitutes += sc->substitutes;
    t->norm += sc->norm;
    t->over += sc->status == ZX_STAFFING_OVER;
    t->under += sc->status == ZX_STAFFING_UNDER;
    t->serious += sc->serious;
    f->students += sc->students;
    f->classes += sc->classes;
    f->actual += sc->actual;
    f->substitutes += sc->substitutes;
    f->norm += sc->norm;
    f->over += sc->status == ZX_STAFFING_OVER;
    f->under += sc->status == ZX_STAFFING_UNDER;
    f->serious += sc->serious;
    return ZX_OK;
}

static char *dup_col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);

    return strdup(t ? (const char *)t : "");
}

int zx_staffing_compute(zx_db *db, const zx_plan *plan, int year,
                        const zx_rules *rules, const zx_rules *curriculum,
                        zx_staffing **out)
{
    const zx_setting *ratio = zx_plan_setting(plan, "overstaffed_ratio");
    sqlite3_stmt *st;
    zx_staffing *f;
    zx_staffing_school *sc;
    double share[ZX_FUNDING_NSTAGES];
    int rc = ZX_EDB, step, cap = 0, i;

    *out = NULL;
    if (isnan(zx_rules_value(rules, "small.students")) ||
        isnan(zx_rules_value(curriculum, "load.primary")))
        return ZX_EINVAL;
    if (!(f = calloc(1, sizeof(*f))))
        return ZX_ENOMEM;
    f->year = year;
    f->overstaffed_ratio = ratio && !ratio->is_list ? ratio->value : 0;
    st = zx_db_prepare(db,
        "SELECT u.id, u.code, u.name, coalesce(w.name, ''),"
        "  coalesce(w.code, ''), s.type_code, s.urban_rural, s.lon, s.lat,"
        "  e.students, e.classes, e.boarders"
        " FROM school s JOIN org_unit u ON u.id = s.unit_id"
        " JOIN enrolment e ON e.school_id = s.unit_id AND e.year = ?1"
        " LEFT JOIN org_unit w ON w.id = u.parent_id AND w.kind = 'town'"
        " WHERE s.owner = 21"
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
        sc->town_code = dup_col(st, 4);
        if (!sc->code || !sc->name || !sc->town || !sc->town_code) {
            rc = ZX_ENOMEM;
            goto fail;
        }
        sc->type_code = sqlite3_column_int(st, 5);
        sc->rural = is_rural(plan, sqlite3_column_int(st, 6));
        sc->lon = sqlite3_column_type(st, 7) == SQLITE_NULL
                      ? NAN : sqlite3_column_double(st, 7);
        sc->lat = sqlite3_column_type(st, 8) == SQLITE_NULL
                      ? NAN : sqlite3_column_double(st, 8);
        sc->students = sqlite3_column_int64(st, 9);
        sc->classes = sqlite3_column_int64(st, 10);
        sc->boarders = sqlite3_column_int64(st, 11);
    }
    if (step != SQLITE_DONE)
        goto fail;
    sqlite3_reset(st);
    st = NULL;
    for (i = 0; i < f->nschools; i++) {
        sc = &f->schools[i];
        zx_funding_shares(rules, sc->type_code, share);
        norm_school(sc, rules, share);
        if ((rc = count_school(db, sc, rules, curriculum, share)))
            goto fail;
        judge(sc, f->overstaffed_ratio);
        if ((rc = add_totals(f, sc)))
            goto fail;
    }
    f->norm = cent(f->norm);
    for (i = 0; i < f->ntowns; i++)
        f->towns[i].norm = cent(f->towns[i].norm);
    *out = f;
    return ZX_OK;

fail:
    if (st)
        sqlite3_reset(st);
    zx_staffing_free(f);
    return rc;
}

int zx_staffing_rules(zx_db *db, int year, zx_rules **rules,
                      zx_rules **curriculum)
{
    int rc;

    *curriculum = NULL;
    if ((rc = zx_rules_load(db, "staffing", year, rules)))
        return rc;
    if ((rc = zx_rules_load(db, "curriculum", year, curriculum))) {
        zx_rules_free(*rules);
        *rules = NULL;
    }
    return rc;
}

/* ---- as JSON ---------------------------------------------------------- */

json_t *zx_staffing_subject_json(const zx_staffing_subject *x)
{
    const char *name = zx_codes_name_of(zx_codes_get("subject"), x->subject);

    return json_pack("{s:i, s:s, s:f, s:I, s:f, s:f, s:f}", "subject",
                     x->subject, "name", name ? name : "", "need", x->need,
                     "actual", (json_int_t)x->actual, "diff", x->diff,
                     "lessons", x->lessons, "hours_lacking",
                     x->hours_lacking);
}

json_t *zx_staffing_school_json(const zx_staffing_school *sc,
                                int with_subjects)
{
    json_t *j = json_pack("{s:s, s:s, s:s, s:i, s:b, s:I, s:I, s:I, s:f,"
                          " s:f, s:f, s:b, s:I, s:I, s:I, s:f, s:s, s:b}",
                          "code", sc->code, "name", sc->name, "town",
                          sc->town, "type_code", sc->type_code, "rural",
                          sc->rural, "students", (json_int_t)sc->students,
                          "classes", (json_int_t)sc->classes, "boarders",
                          (json_int_t)sc->boarders, "norm", sc->norm,
                          "ratio_norm", sc->ratio_norm, "class_norm",
                          sc->class_norm, "by_class", sc->by_class,
                          "actual", (json_int_t)sc->actual, "substitutes",
                          (json_int_t)sc->substitutes, "others",
                          (json_int_t)sc->others, "diff", sc->diff,
                          "status", zx_staffing_status_name(sc->status),
                          "serious", sc->serious);
    json_t *a;
    int i;

    if (!j || !with_subjects)
        return j;
    if (!(a = json_array()) || json_object_set_new(j, "subjects", a)) {
        json_decref(j);
        return NULL;
    }
    for (i = 0; i < sc->nsubjects; i++)
        if (json_array_append_new(a, zx_staffing_subject_json(
                                         &sc->subjects[i]))) {
            json_decref(j);
            return NULL;
        }
    return j;
}

json_t *zx_staffing_town_json(const zx_staffing_town *t)
{
    return json_pack("{s:s, s:I, s:I, s:f, s:I, s:I, s:f, s:i, s:i, s:i}",
                     "town", t->name, "students", (json_int_t)t->students,
                     "classes", (json_int_t)t->classes, "norm", t->norm,
                     "actual", (json_int_t)t->actual, "substitutes",
                     (json_int_t)t->substitutes, "diff",
                     cent((double)t->actual - t->norm), "over", t->over,
                     "under", t->under, "serious", t->serious);
}

/* ---- saving ---------------------------------------------------------- */

/* {"schools": n, "norm": x, "actual": y} of the year's stored rows, or
 * NULL when there are none; *err is set on failure. */
static json_t *stored_summary(zx_db *db, int year, int *err)
{
    sqlite3_stmt *st = zx_db_prepare(db, "SELECT count(*), total(norm),"
                                         " total(actual) FROM staffing"
                                         " WHERE year = ?1");
    json_t *j = NULL;

    *err = ZX_EDB;
    if (!st)
        return NULL;
    sqlite3_bind_int(st, 1, year);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *err = ZX_OK;
        if (sqlite3_column_int64(st, 0) > 0 &&
            !(j = json_pack("{s:I, s:f, s:f}", "schools",
                            (json_int_t)sqlite3_column_int64(st, 0), "norm",
                            sqlite3_column_double(st, 1), "actual",
                            sqlite3_column_double(st, 2))))
            *err = ZX_ENOMEM;
    }
    sqlite3_reset(st);
    return j;
}

/* Runs sql (no result rows) with ?1 bound to year. */
static int exec_year(zx_db *db, const char *sql, int year)
{
    sqlite3_stmt *st = zx_db_prepare(db, sql);
    int step;

    if (!st)
        return ZX_EDB;
    sqlite3_bind_int(st, 1, year);
    step = sqlite3_step(st);
    sqlite3_reset(st);
    return step == SQLITE_DONE ? ZX_OK : ZX_EDB;
}

static int is_scarce(const zx_setting *scarce, int subject)
{
    int i;

    for (i = 0; scarce && scarce->is_list && i < scarce->nlist; i++)
        if ((int)scarce->list[i] == subject)
            return 1;
    return 0;
}

/* The rows of one school: staffing, staffing_subject, and the hours
 * lacking of its scarce subjects when rural. */
static int save_school(zx_db *db, const zx_staffing *s,
                       const zx_staffing_school *sc,
                       const zx_setting *scarce)
{
    sqlite3_stmt *st;
    int i;

    st = zx_db_prepare(db, "INSERT INTO staffing(school_id, year, norm,"
                           " actual) VALUES (?1, ?2, ?3, ?4)");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_int64(st, 1, sc->id);
    sqlite3_bind_int(st, 2, s->year);
    sqlite3_bind_double(st, 3, sc->norm);
    sqlite3_bind_int64(st, 4, sc->actual);
    i = sqlite3_step(st);
    sqlite3_reset(st);
    if (i != SQLITE_DONE)
        return ZX_EDB;
    for (i = 0; i < sc->nsubjects; i++) {
        const zx_staffing_subject *x = &sc->subjects[i];
        int step;

        st = zx_db_prepare(db, "INSERT INTO staffing_subject(school_id, year,"
                               " subject, need, actual)"
                               " VALUES (?1, ?2, ?3, ?4, ?5)");
        if (!st)
            return ZX_EDB;
        sqlite3_bind_int64(st, 1, sc->id);
        sqlite3_bind_int(st, 2, s->year);
        sqlite3_bind_int(st, 3, x->subject);
        sqlite3_bind_double(st, 4, x->need);
        sqlite3_bind_int64(st, 5, x->actual);
        step = sqlite3_step(st);
        sqlite3_reset(st);
        if (step != SQLITE_DONE)
            return ZX_EDB;
        if (!sc->rural || !is_scarce(scarce, x->subject) ||
            x->hours_lacking <= 0)
            continue;
        st = zx_db_prepare(db, "INSERT INTO itinerant_need(school_id, year,"
                               " subject, hours_lacking)"
                               " VALUES (?1, ?2, ?3, ?4)"
                               " ON CONFLICT(school_id, year, subject)"
                               " DO UPDATE SET hours_lacking = ?4");
        if (!st)
            return ZX_EDB;
        sqlite3_bind_int64(st, 1, sc->id);
        sqlite3_bind_int(st, 2, s->year);
        sqlite3_bind_int(st, 3, x->subject);
        sqlite3_bind_double(st, 4, x->hours_lacking);
        step = sqlite3_step(st);
        sqlite3_reset(st);
        if (step != SQLITE_DONE)
            return ZX_EDB;
    }
    return ZX_OK;
}

int zx_staffing_save(zx_db *db, const zx_plan *plan, const zx_staffing *s,
                     const zx_rules *rules, const zx_rules *curriculum,
                     const char *actor)
{
    const zx_setting *scarce = zx_plan_setting(plan, "scarce_subjects");
    json_t *old = NULL, *new_ = NULL;
    double lacking = 0;
    int i, k, rc = ZX_EDB;

    if (zx_db_begin(db) != ZX_OK)
        return ZX_EDB;
    old = stored_summary(db, s->year, &rc);
    if (rc)
        goto fail;
    /* hours_covered is the itinerant module's: the year's needs drop to 0
     * and are set again, and only rows nobody covers are removed */
    if ((rc = exec_year(db, "DELETE FROM staffing WHERE year = ?1",
                        s->year)) ||
        (rc = exec_year(db, "DELETE FROM staffing_subject WHERE year = ?1",
                        s->year)) ||
        (rc = exec_year(db, "UPDATE itinerant_need SET hours_lacking = 0"
                            " WHERE year = ?1", s->year)))
        goto fail;
    for (i = 0; i < s->nschools; i++) {
        if ((rc = save_school(db, s, &s->schools[i], scarce)))
            goto fail;
        for (k = 0; k < s->schools[i].nsubjects; k++)
            if (s->schools[i].rural &&
                is_scarce(scarce, s->schools[i].subjects[k].subject))
                lacking += s->schools[i].subjects[k].hours_lacking;
    }
    if ((rc = exec_year(db, "DELETE FROM itinerant_need WHERE year = ?1"
                            " AND hours_lacking = 0 AND hours_covered = 0",
                        s->year)))
        goto fail;
    rc = ZX_ENOMEM;
    if (!(new_ = json_pack("{s:i, s:f, s:I, s:i, s:i, s:i, s:f, s:o, s:o}",
                           "schools", s->nschools, "norm", s->norm, "actual",
                           (json_int_t)s->actual, "over", s->over, "under",
                           s->under, "serious", s->serious,
                           "itinerant_hours_lacking", lacking, "rules",
                           zx_rules_json(rules), "curriculum",
                           zx_rules_json(curriculum))))
        goto fail;
    if ((rc = zx_audit_year(db, actor, "staffing", s->year, old, new_)))
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
