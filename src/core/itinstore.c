/*
 * itinstore.c - the database side of itinerant teaching (itinerant.h):
 * loading a year's problem, saving its plan, the pool and the listings.
 */
#include "itinerant.h"

#include "audit.h"
#include "codes.h"
#include "zx.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);

    return strdup(t ? (const char *)t : "");
}

static const char *col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);

    return t ? (const char *)t : "";
}

int zx_itinerant_load(zx_db *db, int year, zx_itinerant **out)
{
    zx_itinerant *it = calloc(1, sizeof(*it));
    sqlite3_stmt *st = NULL;
    int step, cap = 0, rc = ZX_ENOMEM;

    *out = NULL;
    if (!it)
        return ZX_ENOMEM;
    it->year = year;
    rc = ZX_EDB;
    if (!(st = zx_db_prepare(db,
            "SELECT t.id, t.teacher_no, t.name, t.school_id, u.code, u.name,"
            "  t.subject, p.max_hours, s.lon, s.lat"
            " FROM itinerant_teacher p JOIN teacher t ON t.id = p.teacher_id"
            " JOIN school s ON s.unit_id = t.school_id"
            " JOIN org_unit u ON u.id = t.school_id"
            " WHERE p.year = ?1 ORDER BY t.teacher_no")))
        goto fail;
    sqlite3_bind_int(st, 1, year);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        zx_itinerant_teacher *t = zx_push((void **)&it->teachers,
                                          &it->nteachers, &cap, sizeof(*t));

        rc = ZX_ENOMEM;
        if (!t)
            goto fail;
        t->id = sqlite3_column_int64(st, 0);
        t->no = dup_col(st, 1);
        t->name = dup_col(st, 2);
        t->school_id = sqlite3_column_int64(st, 3);
        t->school_code = dup_col(st, 4);
        t->school_name = dup_col(st, 5);
        if (!t->no || !t->name || !t->school_code || !t->school_name)
            goto fail;
        t->subject = sqlite3_column_int(st, 6);
        t->max_hours = (int)floor(sqlite3_column_double(st, 7) + 1e-9);
        t->has_lonlat = sqlite3_column_type(st, 8) != SQLITE_NULL &&
                        sqlite3_column_type(st, 9) != SQLITE_NULL;
        t->lon = sqlite3_column_double(st, 8);
        t->lat = sqlite3_column_double(st, 9);
        rc = ZX_EDB;
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        goto fail;
    cap = 0;
    if (!(st = zx_db_prepare(db,
            "SELECT n.school_id, u.code, u.name, coalesce(w.name, ''),"
            "  n.subject, n.hours_lacking, s.lon, s.lat"
            " FROM itinerant_need n JOIN school s ON s.unit_id = n.school_id"
            " JOIN org_unit u ON u.id = n.school_id"
            " LEFT JOIN org_unit w ON w.id = u.parent_id AND w.kind = 'town'"
            " WHERE n.year = ?1 AND n.hours_lacking > 0"
            " ORDER BY u.code, n.subject")))
        goto fail;
    sqlite3_bind_int(st, 1, year);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        zx_itinerant_need *n = zx_push((void **)&it->needs, &it->nneeds, &cap,
                                       sizeof(*n));

        rc = ZX_ENOMEM;
        if (!n)
            goto fail;
        n->school_id = sqlite3_column_int64(st, 0);
        n->code = dup_col(st, 1);
        n->name = dup_col(st, 2);
        n->town = dup_col(st, 3);
        if (!n->code || !n->name || !n->town)
            goto fail;
        n->subject = sqlite3_column_int(st, 4);
        n->lacking = sqlite3_column_double(st, 5);
        n->has_lonlat = sqlite3_column_type(st, 6) != SQLITE_NULL &&
                        sqlite3_column_type(st, 7) != SQLITE_NULL;
        n->lon = sqlite3_column_double(st, 6);
        n->lat = sqlite3_column_double(st, 7);
        it->lacking += n->lacking;
        rc = ZX_EDB;
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        goto fail;
    *out = it;
    return ZX_OK;

fail:
    if (st)
        sqlite3_reset(st);
    zx_itinerant_free(it);
    return rc;
}

/* Runs a statement of the year alone (a DELETE or UPDATE). */
static int year_exec(zx_db *db, const char *sql, int year)
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

/* {"visits", "lessons", "covered"} of the year's saved plan, or NULL when
 * there is none; *err is set. */
static json_t *saved_summary(zx_db *db, int year, int *err)
{
    sqlite3_stmt *st = zx_db_prepare(db,
        "SELECT count(*), total(hours),"
        "  (SELECT total(hours_covered) FROM itinerant_need WHERE year = ?1)"
        " FROM itinerant_assignment WHERE year = ?1");
    json_t *j = NULL;

    *err = ZX_EDB;
    if (!st)
        return NULL;
    sqlite3_bind_int(st, 1, year);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *err = ZX_OK;
        if (sqlite3_column_int64(st, 0) > 0 &&
            !(j = json_pack("{s:I, s:f, s:f}", "visits",
                            (json_int_t)sqlite3_column_int64(st, 0),
                            "lessons", sqlite3_column_double(st, 1),
                            "covered", sqlite3_column_double(st, 2))))
            *err = ZX_ENOMEM;
    }
    sqlite3_reset(st);
    return j;
}

int zx_itinerant_save(zx_db *db, const zx_itinerant *it,
                      const zx_rules *rules, const char *actor)
{
    sqlite3_stmt *st;
    json_t *old = NULL, *new_ = NULL;
    int i, lessons = 0, rc = ZX_EDB;

    if (zx_db_begin(db) != ZX_OK)
        return ZX_EDB;
    old = saved_summary(db, it->year, &rc);
    if (rc)
        goto fail;
    if ((rc = year_exec(db, "DELETE FROM itinerant_slot WHERE year = ?1",
                        it->year)) ||
        (rc = year_exec(db, "DELETE FROM itinerant_assignment"
                            " WHERE year = ?1", it->year)) ||
        (rc = year_exec(db, "UPDATE itinerant_need SET hours_covered = 0"
                            " WHERE year = ?1 AND hours_covered <> 0",
                        it->year)))
        goto fail;
    rc = ZX_EDB;
    if (!(st = zx_db_prepare(db, "INSERT INTO itinerant_assignment(year,"
                                 " teacher_id, school_id, subject, hours,"
                                 " travel_min) VALUES (?1, ?2, ?3, ?4, ?5,"
                                 " ?6)")))
        goto fail;
    for (i = 0; i < it->nvisits; i++) {
        const zx_itinerant_visit *v = &it->visits[i];

        sqlite3_reset(st);
        sqlite3_bind_int(st, 1, it->year);
        sqlite3_bind_int64(st, 2, it->teachers[v->teacher].id);
        sqlite3_bind_int64(st, 3, it->needs[v->need].school_id);
        sqlite3_bind_int(st, 4, it->needs[v->need].subject);
        sqlite3_bind_double(st, 5, v->hours);
        sqlite3_bind_double(st, 6, round(v->travel_min * 10) / 10);
        lessons += v->hours;
        if (sqlite3_step(st) != SQLITE_DONE) {
            sqlite3_reset(st);
            goto fail;
        }
    }
    sqlite3_reset(st);
    if (!(st = zx_db_prepare(db, "INSERT INTO itinerant_slot(year,"
                                 " teacher_id, day, school_id, subject,"
                                 " hours) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")))
        goto fail;
    for (i = 0; i < it->nslots; i++) {
        const zx_itinerant_slot *s = &it->slots[i];

        sqlite3_reset(st);
        sqlite3_bind_int(st, 1, it->year);
        sqlite3_bind_int64(st, 2, it->teachers[s->teacher].id);
        sqlite3_bind_int(st, 3, s->day);
        sqlite3_bind_int64(st, 4, it->needs[s->need].school_id);
        sqlite3_bind_int(st, 5, it->needs[s->need].subject);
        sqlite3_bind_double(st, 6, s->hours);
        if (sqlite3_step(st) != SQLITE_DONE) {
            sqlite3_reset(st);
            goto fail;
        }
    }
    sqlite3_reset(st);
    if (!(st = zx_db_prepare(db, "UPDATE itinerant_need SET hours_covered ="
                                 " ?1 WHERE school_id = ?2 AND year = ?3"
                                 " AND subject = ?4")))
        goto fail;
    for (i = 0; i < it->nneeds; i++) {
        const zx_itinerant_need *n = &it->needs[i];

        if (n->covered <= 0)
            continue;
        sqlite3_reset(st);
        sqlite3_bind_double(st, 1, n->covered);
        sqlite3_bind_int64(st, 2, n->school_id);
        sqlite3_bind_int(st, 3, it->year);
        sqlite3_bind_int(st, 4, n->subject);
        if (sqlite3_step(st) != SQLITE_DONE) {
            sqlite3_reset(st);
            goto fail;
        }
    }
    sqlite3_reset(st);
    rc = ZX_ENOMEM;
    if (!(new_ = json_pack("{s:i, s:i, s:i, s:f, s:f, s:o}", "visits",
                           it->nvisits, "lessons", lessons, "teachers",
                           it->nteachers, "covered", it->covered, "lacking",
                           it->lacking, "rules",
                           rules ? zx_rules_json(rules) : json_null())))
        goto fail;
    if ((rc = zx_audit_year(db, actor, "itinerant", it->year, old, new_)))
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

int zx_itinerant_plan(zx_db *db, int year, const char *actor,
                      zx_itinerant **out)
{
    zx_rules *rules = NULL;
    zx_itinerant *it = NULL;
    zx_itinerant_limits lim;
    int rc;

    if (out)
        *out = NULL;
    if ((rc = zx_rules_load(db, "itinerant", year, &rules)) ||
        (rc = zx_itinerant_limits_of(rules, &lim)) ||
        (rc = zx_itinerant_load(db, year, &it)) ||
        (rc = zx_itinerant_solve(it, &lim)) ||
        (rc = zx_itinerant_save(db, it, rules, actor)))
        goto done;
    if (out) {
        *out = it;
        it = NULL;
    }

done:
    zx_itinerant_free(it);
    zx_rules_free(rules);
    return rc;
}

/* ---- the pool --------------------------------------------------------- */

static int in_list(const double *v, int n, int x)
{
    int i;

    for (i = 0; i < n; i++)
        if ((int)v[i] == x)
            return 1;
    return 0;
}

static int in_list_int(const int *v, int n, int x)
{
    int i;

    for (i = 0; i < n; i++)
        if (v[i] == x)
            return 1;
    return 0;
}

static int add_one(zx_db *db, int year, long long teacher, double max_hours)
{
    sqlite3_stmt *st = zx_db_prepare(db,
        "INSERT INTO itinerant_teacher(year, teacher_id, max_hours)"
        " VALUES (?1, ?2, ?3) ON CONFLICT(year, teacher_id)"
        " DO UPDATE SET max_hours = excluded.max_hours");
    int step;

    if (!st)
        return ZX_EDB;
    sqlite3_bind_int(st, 1, year);
    sqlite3_bind_int64(st, 2, teacher);
    sqlite3_bind_double(st, 3, max_hours);
    step = sqlite3_step(st);
    sqlite3_reset(st);
    return step == SQLITE_DONE ? ZX_OK : ZX_EDB;
}

static int default_cap(zx_db *db, int year, double *cap)
{
    int rc = zx_rules_get(db, "itinerant", year, "load.week", cap, NULL);

    return rc == ZX_ENOTFOUND ? ZX_EDB : rc;
}

int zx_itinerant_pool_fill(zx_db *db, const zx_plan *plan, int year,
                           const char *actor, int *added)
{
    const zx_setting *scarce = zx_plan_setting(plan, "scarce_subjects");
    const int *rural, *compulsory;
    sqlite3_stmt *st;
    json_t *list = NULL, *new_ = NULL;
    long long school = -1;
    double cap, per;
    int nrural, ncompulsory, subject = -1, taken = 0, n = 0, step, rc;

    if (added)
        *added = 0;
    if (!scarce || !scarce->is_list)
        return ZX_EDATA;
    rural = zx_plan_rural(plan, &nrural);
    compulsory = zx_codes_family("compulsory", &ncompulsory);
    if ((rc = default_cap(db, year, &cap)) ||
        (rc = zx_rules_get(db, "itinerant", year, "pool.per_school", &per,
                           NULL)))
        return rc == ZX_ENOTFOUND ? ZX_EDB : rc;
    if (zx_db_begin(db) != ZX_OK)
        return ZX_EDB;
    rc = ZX_ENOMEM;
    if (!(list = json_array()))
        goto fail;
    rc = ZX_EDB;
    /* in-pool teachers first in their school and subject, so that they
     * count toward pool.per_school */
    if (!(st = zx_db_prepare(db,
            "SELECT t.id, t.teacher_no, t.school_id, t.subject,"
            "  s.urban_rural, s.town_seat, s.group_hq, s.type_code,"
            "  EXISTS (SELECT 1 FROM itinerant_teacher p"
            "    WHERE p.year = ?1 AND p.teacher_id = t.id) AS in_pool"
            " FROM teacher t JOIN school s ON s.unit_id = t.school_id"
            " WHERE t.employment IN (1, 2)"
            " ORDER BY t.school_id, t.subject, in_pool DESC, t.since_year,"
            "  t.teacher_no")))
        goto fail;
    sqlite3_bind_int(st, 1, year);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        long long sid = sqlite3_column_int64(st, 2);
        int sub = sqlite3_column_int(st, 3);
        int urban = !in_list_int(rural, nrural, sqlite3_column_int(st, 4));

        if (!in_list(scarce->list, scarce->nlist, sub) ||
            !in_list_int(compulsory, ncompulsory, sqlite3_column_int(st, 7)) ||
            !(urban || sqlite3_column_int(st, 5) ||
              sqlite3_column_int(st, 6)))
            continue;
        if (sid != school || sub != subject) {
            school = sid;
            subject = sub;
            taken = 0;
        }
        if (taken >= per)
            continue;
        taken++;
        if (sqlite3_column_int(st, 8))
            continue;
        if ((rc = add_one(db, year, sqlite3_column_int64(st, 0), cap)))
            break;
        rc = ZX_ENOMEM;
        if (json_array_append_new(list, json_string(col(st, 1))))
            break;
        rc = ZX_EDB;
        n++;
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        goto fail;
    if (n) {
        char key[16];

        rc = ZX_ENOMEM;
        if (!(new_ = json_pack("{s:s, s:f, s:O}", "action", "fill",
                               "max_hours", cap, "teachers", list)))
            goto fail;
        snprintf(key, sizeof(key), "%d", year);
        if ((rc = zx_audit_append_json(db, actor, "insert",
                                       "itinerant_teacher", key, NULL, new_)))
            goto fail;
    }
    if (zx_db_commit(db) != ZX_OK) {
        rc = ZX_EDB;
        goto fail;
    }
    if (added)
        *added = n;
    json_decref(list);
    json_decref(new_);
    return ZX_OK;

fail:
    zx_db_rollback(db);
    json_decref(list);
    json_decref(new_);
    return rc;
}

/* The id of teacher no into *id and the cap of year's pool into *cap (0
 * when not in the pool).  ZX_ENOTFOUND when there is no such teacher. */
static int teacher_of(zx_db *db, int year, const char *no, long long *id,
                      double *cap)
{
    sqlite3_stmt *st = zx_db_prepare(db,
        "SELECT t.id, coalesce((SELECT max_hours FROM itinerant_teacher p"
        "  WHERE p.year = ?2 AND p.teacher_id = t.id), 0)"
        " FROM teacher t WHERE t.teacher_no = ?1");
    int step;

    if (!st)
        return ZX_EDB;
    sqlite3_bind_text(st, 1, no, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, year);
    step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        *cap = sqlite3_column_double(st, 1);
    }
    sqlite3_reset(st);
    return step == SQLITE_ROW ? ZX_OK : step == SQLITE_DONE ? ZX_ENOTFOUND
                                                              : ZX_EDB;
}

static int pool_audit(zx_db *db, int year, const char *no, double was,
                      double now, const char *actor)
{
    json_t *old = was > 0 ? json_pack("{s:s, s:f}", "teacher", no,
                                      "max_hours", was) : NULL;
    json_t *new_ = now > 0 ? json_pack("{s:s, s:f}", "teacher", no,
                                       "max_hours", now) : NULL;
    char key[96];
    int rc = ZX_ENOMEM;

    if ((was > 0 && !old) || (now > 0 && !new_))
        goto done;
    snprintf(key, sizeof(key), "%d/%s", year, no);
    rc = zx_audit_append_json(db, actor, !old ? "insert" : !new_ ? "delete"
                                                                 : "update",
                              "itinerant_teacher", key, old, new_);

done:
    json_decref(old);
    json_decref(new_);
    return rc;
}

int zx_itinerant_pool_add(zx_db *db, int year, const char *no,
                          double max_hours, const char *actor)
{
    long long id;
    double was;
    int rc;

    if (zx_db_begin(db) != ZX_OK)
        return ZX_EDB;
    if ((rc = teacher_of(db, year, no, &id, &was)) ||
        (max_hours <= 0 && (rc = default_cap(db, year, &max_hours))))
        goto fail;
    if (was != max_hours &&
        ((rc = add_one(db, year, id, max_hours)) ||
         (rc = pool_audit(db, year, no, was, max_hours, actor))))
        goto fail;
    if (zx_db_commit(db) != ZX_OK) {
        rc = ZX_EDB;
        goto fail;
    }
    return ZX_OK;

fail:
    zx_db_rollback(db);
    return rc;
}

int zx_itinerant_pool_remove(zx_db *db, int year, const char *no,
                             const char *actor)
{
    sqlite3_stmt *st;
    long long id;
    double was;
    int rc, step;

    if (zx_db_begin(db) != ZX_OK)
        return ZX_EDB;
    if ((rc = teacher_of(db, year, no, &id, &was)))
        goto fail;
    rc = ZX_ENOTFOUND;
    if (was <= 0)
        goto fail;
    rc = ZX_EDB;
    if (!(st = zx_db_prepare(db, "DELETE FROM itinerant_teacher"
                                 " WHERE year = ?1 AND teacher_id = ?2")))
        goto fail;
    sqlite3_bind_int(st, 1, year);
    sqlite3_bind_int64(st, 2, id);
    step = sqlite3_step(st);
    sqlite3_reset(st);
    if (step != SQLITE_DONE ||
        (rc = pool_audit(db, year, no, was, 0, actor)))
        goto fail;
    if (zx_db_commit(db) != ZX_OK) {
        rc = ZX_EDB;
        goto fail;
    }
    return ZX_OK;

fail:
    zx_db_rollback(db);
    return rc;
}

/* ---- listings --------------------------------------------------------- */

int zx_itinerant_pool_list(zx_db *db, int year,
                           int (*fn)(void *ctx,
                                     const zx_itinerant_pool_row *r),
                           void *ctx)
{
    sqlite3_stmt *st = zx_db_prepare(db,
        "SELECT t.teacher_no, t.name, u.code, u.name, t.subject, p.max_hours,"
        "  (SELECT total(hours) FROM itinerant_assignment a"
        "    WHERE a.year = p.year AND a.teacher_id = t.id),"
        "  (SELECT count(*) FROM itinerant_assignment a"
        "    WHERE a.year = p.year AND a.teacher_id = t.id)"
        " FROM itinerant_teacher p JOIN teacher t ON t.id = p.teacher_id"
        " JOIN org_unit u ON u.id = t.school_id"
        " WHERE p.year = ?1 ORDER BY t.teacher_no");
    int step, rc = ZX_OK;

    if (!st)
        return ZX_EDB;
    sqlite3_bind_int(st, 1, year);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        zx_itinerant_pool_row r;

        r.no = col(st, 0);
        r.name = col(st, 1);
        r.school_code = col(st, 2);
        r.school_name = col(st, 3);
        r.subject = sqlite3_column_int(st, 4);
        r.max_hours = sqlite3_column_double(st, 5);
        r.assigned = sqlite3_column_double(st, 6);
        r.schools = sqlite3_column_int(st, 7);
        if ((rc = fn(ctx, &r)))
            break;
    }
    sqlite3_reset(st);
    return rc ? rc : step == SQLITE_DONE ? ZX_OK : ZX_EDB;
}

int zx_itinerant_needs_list(zx_db *db, int year,
                            int (*fn)(void *ctx,
                                      const zx_itinerant_need_row *r),
                            void *ctx)
{
    sqlite3_stmt *st = zx_db_prepare(db,
        "SELECT u.code, u.name, coalesce(w.name, ''), n.subject,"
        "  n.hours_lacking, n.hours_covered"
        " FROM itinerant_need n JOIN org_unit u ON u.id = n.school_id"
        " LEFT JOIN org_unit w ON w.id = u.parent_id AND w.kind = 'town'"
        " WHERE n.year = ?1"
        " ORDER BY coalesce(w.code, ''), u.code, n.subject");
    int step, rc = ZX_OK;

    if (!st)
        return ZX_EDB;
    sqlite3_bind_int(st, 1, year);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        zx_itinerant_need_row r;

        r.school_code = col(st, 0);
        r.school_name = col(st, 1);
        r.town = col(st, 2);
        r.subject = sqlite3_column_int(st, 3);
        r.lacking = sqlite3_column_double(st, 4);
        r.covered = sqlite3_column_double(st, 5);
        if ((rc = fn(ctx, &r)))
            break;
    }
    sqlite3_reset(st);
    return rc ? rc : step == SQLITE_DONE ? ZX_OK : ZX_EDB;
}

int zx_itinerant_slots_list(zx_db *db, int year, const char *teacher,
                            const char *school, int by_school,
                            int (*fn)(void *ctx,
                                      const zx_itinerant_slot_row *r),
                            void *ctx)
{
    static const char *const sql[2] = {
#define SLOT_SQL(order)                                                     \
        "SELECT l.day, t.teacher_no, t.name, h.code, h.name, u.code,"      \
        "  u.name, l.subject, l.hours, a.travel_min"                       \
        " FROM itinerant_slot l JOIN teacher t ON t.id = l.teacher_id"     \
        " JOIN org_unit h ON h.id = t.school_id"                           \
        " JOIN org_unit u ON u.id = l.school_id"                           \
        " LEFT JOIN itinerant_assignment a ON a.year = l.year"             \
        "  AND a.teacher_id = l.teacher_id AND a.school_id = l.school_id"  \
        "  AND a.subject = l.subject"                                      \
        " WHERE l.year = ?1 AND (?2 IS NULL OR t.teacher_no = ?2)"         \
        "  AND (?3 IS NULL OR u.code = ?3)"                                \
        " ORDER BY " order
        SLOT_SQL("t.teacher_no, l.day"),
        SLOT_SQL("u.code, l.day, t.teacher_no"),
#undef SLOT_SQL
    };
    sqlite3_stmt *st = zx_db_prepare(db, sql[by_school ? 1 : 0]);
    int step, rc = ZX_OK;

    if (!st)
        return ZX_EDB;
    sqlite3_bind_int(st, 1, year);
    if (teacher)
        sqlite3_bind_text(st, 2, teacher, -1, SQLITE_STATIC);
    if (school)
        sqlite3_bind_text(st, 3, school, -1, SQLITE_STATIC);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        zx_itinerant_slot_row r;

        r.day = sqlite3_column_int(st, 0);
        r.teacher_no = col(st, 1);
        r.teacher_name = col(st, 2);
        r.home_code = col(st, 3);
        r.home_name = col(st, 4);
        r.school_code = col(st, 5);
        r.school_name = col(st, 6);
        r.subject = sqlite3_column_int(st, 7);
        r.hours = sqlite3_column_double(st, 8);
        r.travel_min = sqlite3_column_type(st, 9) == SQLITE_NULL
                           ? NAN : sqlite3_column_double(st, 9);
        if ((rc = fn(ctx, &r)))
            break;
    }
    sqlite3_reset(st);
    return rc ? rc : step == SQLITE_DONE ? ZX_OK : ZX_EDB;
}
