/*
 * registry.c - keyed upserts of the registry (see registry.h).
 *
 * Lookups that every row needs (school code -> id, teacher number -> id,
 * town and group names -> id) are loaded once into hash maps, so a put is
 * one INSERT for a new key, or one SELECT by rowid plus, when something
 * changed, one UPDATE and one audit entry.
 */
#include "registry.h"
#include "audit.h"
#include "map.h"
#include "stamp.h"
#include "text.h"
#include "zx.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct created {
    char *kind, *name, *code;
};

struct zx_registry {
    zx_db *db;
    unsigned stamped;   /* bit per stamp key raised in this session */
    char *actor;
    long long city_id;
    char city_code[32];
    zx_map *towns, *groups, *schools, *teachers; /* key -> id */
    struct created *created;
    int ncreated, capcreated;
};

static int load_map(zx_db *db, zx_map *m, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int rc = ZX_OK, step;

    if (sqlite3_prepare_v2(zx_db_sqlite(db), sql, -1, &st, NULL) != SQLITE_OK)
        return ZX_EDB;
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        if (zx_map_put(m, (const char *)sqlite3_column_text(st, 0),
                       sqlite3_column_int64(st, 1)) != 0) {
            rc = ZX_ENOMEM;
            break;
        }
    if (rc == ZX_OK && step != SQLITE_DONE)
        rc = ZX_EDB;
    sqlite3_finalize(st);
    return rc;
}

int zx_registry_init_city(zx_db *db, const char *code, const char *name)
{
    sqlite3_stmt *st;
    char key[256];

    if (zx_db_int(db, "SELECT count(*) FROM org_unit WHERE kind = 'city'",
                  NULL, 0) > 0)
        return ZX_OK;
    if (strlen(name) >= sizeof(key))
        return ZX_EINVAL;
    zx_text_norm(name, key, ZX_NORM_PUNCT | ZX_NORM_SQUASH);
    st = zx_db_prepare(db, "INSERT INTO org_unit(code, name, name_key, kind)"
                           " VALUES (?1, ?2, ?3, 'city')");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
    return sqlite3_step(st) == SQLITE_DONE ? ZX_OK : ZX_EDB;
}

int zx_registry_open(zx_db *db, const char *actor, zx_registry **out)
{
    zx_registry *reg;
    sqlite3_stmt *st;
    int rc = ZX_ENOMEM;

    *out = NULL;
    reg = calloc(1, sizeof(*reg));
    if (!reg)
        return ZX_ENOMEM;
    reg->db = db;
    reg->actor = strdup(actor);
    reg->towns = zx_map_new();
    reg->groups = zx_map_new();
    reg->schools = zx_map_new();
    reg->teachers = zx_map_new();
    if (!reg->actor || !reg->towns || !reg->groups || !reg->schools ||
        !reg->teachers)
        goto fail;

    rc = ZX_EDB;
    st = zx_db_prepare(db, "SELECT id, code FROM org_unit WHERE kind = 'city'"
                           " ORDER BY id LIMIT 1");
    if (!st)
        goto fail;
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = ZX_ENOTFOUND;
        goto fail;
    }
    reg->city_id = sqlite3_column_int64(st, 0);
    snprintf(reg->city_code, sizeof(reg->city_code), "%s",
             (const char *)sqlite3_column_text(st, 1));
    sqlite3_reset(st);

    if ((rc = load_map(db, reg->towns, "SELECT name_key, id FROM org_unit"
                                       " WHERE kind = 'town'")) ||
        (rc = load_map(db, reg->groups, "SELECT name_key, id FROM org_unit"
                                        " WHERE kind = 'group'")) ||
        (rc = load_map(db, reg->schools, "SELECT code, id FROM org_unit"
                                         " WHERE kind = 'school'")) ||
        (rc = load_map(db, reg->teachers,
                       "SELECT teacher_no, id FROM teacher")))
        goto fail;
    *out = reg;
    return ZX_OK;

fail:
    zx_registry_close(reg);
    return rc;
}

void zx_registry_close(zx_registry *reg)
{
    int i;

    if (!reg)
        return;
    for (i = 0; i < reg->ncreated; i++) {
        free(reg->created[i].kind);
        free(reg->created[i].name);
        free(reg->created[i].code);
    }
    free(reg->created);
    zx_map_free(reg->towns);
    zx_map_free(reg->groups);
    zx_map_free(reg->schools);
    zx_map_free(reg->teachers);
    free(reg->actor);
    free(reg);
}

int zx_registry_created_count(const zx_registry *reg)
{
    return reg->ncreated;
}

void zx_registry_created(const zx_registry *reg, int i, const char **kind,
                         const char **name, const char **code)
{
    *kind = reg->created[i].kind;
    *name = reg->created[i].name;
    *code = reg->created[i].code;
}

int zx_registry_has_school(zx_registry *reg, const char *code)
{
    long long id;

    return zx_map_get(reg->schools, code, &id);
}

int zx_registry_has_teacher(zx_registry *reg, const char *teacher_no)
{
    long long id;

    return zx_map_get(reg->teachers, teacher_no, &id);
}

static int audit(zx_registry *reg, const char *action, const char *tbl,
                 const char *key, json_t *old, json_t *new_)
{
    return zx_audit_append_json(reg->db, reg->actor, action, tbl, key, old,
                                new_);
}

/* Finds the town or group named `name`, creating it under the city. */
static int named_unit(zx_registry *reg, const char *kind, const char *name,
                      long long *id)
{
    zx_map *m = strcmp(kind, "town") == 0 ? reg->towns : reg->groups;
    char key[256], code[64];
    struct created *c;
    sqlite3_stmt *st;
    json_t *j;
    int rc;

    if (strlen(name) >= sizeof(key))
        return ZX_EINVAL;
    zx_text_norm(name, key, ZX_NORM_PUNCT | ZX_NORM_SQUASH);
    if (zx_map_get(m, key, id))
        return ZX_OK;

    /* Codes: the city's code, T or G, and a sequence number. */
    snprintf(code, sizeof(code), "%s%c%03zu", reg->city_code,
             m == reg->towns ? 'T' : 'G', zx_map_size(m) + 1);
    st = zx_db_prepare(reg->db,
                       "INSERT INTO org_unit(code, name, name_key, kind,"
                       " parent_id, group_type) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, reg->city_id);
    if (m == reg->groups)
        sqlite3_bind_text(st, 6, strstr(name, "联盟")     ? "联盟"
                                 : strstr(name, "共同体") ? "共同体"
                                                          : "集团",
                          -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        return ZX_EDB;
    *id = sqlite3_last_insert_rowid(zx_db_sqlite(reg->db));
    if (zx_map_put(m, key, *id) != 0)
        return ZX_ENOMEM;

    if (reg->ncreated == reg->capcreated) {
        int cap = reg->capcreated ? reg->capcreated * 2 : 8;
        struct created *a = realloc(reg->created, (size_t)cap * sizeof(*a));
        if (!a)
            return ZX_ENOMEM;
        reg->created = a;
        reg->capcreated = cap;
    }
    c = &reg->created[reg->ncreated];
    c->kind = strdup(kind);
    c->name = strdup(name);
    c->code = strdup(code);
    if (!c->kind || !c->name || !c->code) {
        free(c->kind);
        free(c->name);
        free(c->code);
        return ZX_ENOMEM;
    }
    reg->ncreated++;

    j = json_pack("{s:s, s:s}", "kind", kind, "name", name);
    rc = audit(reg, "create", "org_unit", code, NULL, j);
    json_decref(j);
    return rc;
}

/* Adds field to the old/new diff objects when the values differ. */
static void diff_str(json_t *old, json_t *new_, const char *field,
                     const char *a, const char *b)
{
    if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0)) {
        json_object_set_new(old, field, a ? json_string(a) : json_null());
        json_object_set_new(new_, field, b ? json_string(b) : json_null());
    }
}

static void diff_int(json_t *old, json_t *new_, const char *field,
                     long long a, long long b)
{
    if (a != b) {
        json_object_set_new(old, field, json_integer(a));
        json_object_set_new(new_, field, json_integer(b));
    }
}

static void diff_real(json_t *old, json_t *new_, const char *field,
                      int has_a, double a, int has_b, double b)
{
    if (has_a != has_b || (has_a && a != b)) {
        json_object_set_new(old, field, has_a ? json_real(a) : json_null());
        json_object_set_new(new_, field, has_b ? json_real(b) : json_null());
    }
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

/* Steps st, bound by the caller, to the current row of the record being
 * put and makes the empty old/new objects the diff fills.  The caller
 * resets st once it has read the row: a statement left on a row keeps its
 * read snapshot, and a connection that outlives the transaction (the
 * server's) would go on reading old data and fail its next write. */
static int begin_diff(sqlite3_stmt *st, json_t **old, json_t **new_)
{
    if (sqlite3_step(st) != SQLITE_ROW)
        return ZX_EDB;
    *old = json_object();
    *new_ = json_object();
    if (*old && *new_)
        return ZX_OK;
    sqlite3_reset(st);
    return ZX_ENOMEM;
}

/* Records an update: audit entry with the changed fields. */
static int record_update(zx_registry *reg, const char *tbl, const char *key,
                         json_t *old, json_t *new_, int *put)
{
    int rc = audit(reg, "update", tbl, key, old, new_);

    *put = ZX_PUT_UPDATED;
    return rc;
}

/* Raises a registry stamp once per session (stamp.h): the engine's cached
 * results then know the registry changed. */
static int stamp(zx_registry *reg, unsigned bit, const char *key)
{
    int rc;

    if (reg->stamped & bit)
        return ZX_OK;
    if ((rc = zx_stamp_bump(reg->db, key)))
        return rc;
    reg->stamped |= bit;
    return ZX_OK;
}

int zx_registry_put_school(zx_registry *reg, const zx_school_rec *r, int *put)
{
    long long town_id, group_id = 0, id;
    int has_group = r->group && *r->group, rc;
    sqlite3_stmt *st;
    json_t *old = NULL, *new_ = NULL;
    char key[256];

    *put = ZX_PUT_UNCHANGED;
    if ((rc = stamp(reg, 1u, "registry:school")))
        return rc;
    if ((rc = named_unit(reg, "town", r->town, &town_id)))
        return rc;
    if (has_group && (rc = named_unit(reg, "group", r->group, &group_id)))
        return rc;
    if (strlen(r->name) >= sizeof(key))
        return ZX_EINVAL;
    zx_text_norm(r->name, key, ZX_NORM_PUNCT | ZX_NORM_SQUASH);

    if (!zx_map_get(reg->schools, r->code, &id)) {
        st = zx_db_prepare(reg->db,
                           "INSERT INTO org_unit(code, name, name_key, kind,"
                           " parent_id) VALUES (?1, ?2, ?3, 'school', ?4)");
        if (!st)
            return ZX_EDB;
        sqlite3_bind_text(st, 1, r->code, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, r->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, town_id);
        if (sqlite3_step(st) != SQLITE_DONE)
            return ZX_EDB;
        id = sqlite3_last_insert_rowid(zx_db_sqlite(reg->db));
        if (zx_map_put(reg->schools, r->code, id) != 0)
            return ZX_ENOMEM;
        *put = ZX_PUT_INSERTED;
    } else {
        st = zx_db_prepare(reg->db,
                           "SELECT u.name, t.name, g.name, s.type_code,"
                           " s.urban_rural, s.town_seat, s.owner, s.group_hq,"
                           " s.lon, s.lat, u.parent_id, s.group_id"
                           " FROM org_unit u JOIN school s ON s.unit_id = u.id"
                           " JOIN org_unit t ON t.id = u.parent_id"
                           " LEFT JOIN org_unit g ON g.id = s.group_id"
                           " WHERE u.id = ?1");
        if (!st)
            return ZX_EDB;
        sqlite3_bind_int64(st, 1, id);
        if ((rc = begin_diff(st, &old, &new_)))
            goto done;
        diff_str(old, new_, "name", col_text(st, 0), r->name);
        /* units are compared by id, i.e. by normalised name, so that a
         * width or spacing variant of the same town is not a move */
        if (sqlite3_column_int64(st, 10) != town_id)
            diff_str(old, new_, "town", col_text(st, 1), r->town);
        if (sqlite3_column_int64(st, 11) != group_id)
            diff_str(old, new_, "group", col_text(st, 2),
                     has_group ? r->group : NULL);
        diff_int(old, new_, "school_type", sqlite3_column_int(st, 3),
                 r->type_code);
        diff_int(old, new_, "urban_rural", sqlite3_column_int(st, 4),
                 r->urban_rural);
        diff_int(old, new_, "town_seat", sqlite3_column_int(st, 5),
                 r->town_seat);
        diff_int(old, new_, "owner", sqlite3_column_int(st, 6), r->owner);
        diff_int(old, new_, "group_hq", sqlite3_column_int(st, 7),
                 r->group_hq);
        diff_real(old, new_, "lon", sqlite3_column_type(st, 8) != SQLITE_NULL,
                  sqlite3_column_double(st, 8), r->has_lonlat, r->lon);
        diff_real(old, new_, "lat", sqlite3_column_type(st, 9) != SQLITE_NULL,
                  sqlite3_column_double(st, 9), r->has_lonlat, r->lat);
        sqlite3_reset(st);
        if (json_object_size(new_) == 0) {
            rc = ZX_OK;
            goto done;
        }
        st = zx_db_prepare(reg->db, "UPDATE org_unit SET name = ?2,"
                                    " name_key = ?3, parent_id = ?4"
                                    " WHERE id = ?1");
        if (!st) {
            rc = ZX_EDB;
            goto done;
        }
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, r->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, town_id);
        if (sqlite3_step(st) != SQLITE_DONE) {
            rc = ZX_EDB;
            goto done;
        }
    }

    st = zx_db_prepare(reg->db,
                       "INSERT INTO school(unit_id, type_code, urban_rural,"
                       " town_seat, owner, group_id, group_hq, lon, lat)"
                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                       " ON CONFLICT(unit_id) DO UPDATE SET"
                       " type_code = ?2, urban_rural = ?3, town_seat = ?4,"
                       " owner = ?5, group_id = ?6, group_hq = ?7,"
                       " lon = ?8, lat = ?9");
    if (!st) {
        rc = ZX_EDB;
        goto done;
    }
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, r->type_code);
    sqlite3_bind_int(st, 3, r->urban_rural);
    sqlite3_bind_int(st, 4, r->town_seat);
    sqlite3_bind_int(st, 5, r->owner);
    if (has_group)
        sqlite3_bind_int64(st, 6, group_id);
    sqlite3_bind_int(st, 7, has_group && r->group_hq);
    if (r->has_lonlat) {
        sqlite3_bind_double(st, 8, r->lon);
        sqlite3_bind_double(st, 9, r->lat);
    }
    if (sqlite3_step(st) != SQLITE_DONE) {
        rc = ZX_EDB;
        goto done;
    }
    rc = old ? record_update(reg, "school", r->code, old, new_, put) : ZX_OK;

done:
    json_decref(old);
    json_decref(new_);
    return rc;
}

int zx_registry_put_enrolment(zx_registry *reg, const zx_enrol_rec *r,
                              int *put)
{
    long long sid;
    sqlite3_stmt *st;
    json_t *old, *new_;
    char key[64];
    int rc;

    *put = ZX_PUT_UNCHANGED;
    if ((rc = stamp(reg, 2u, "registry:enrolment")))
        return rc;
    if (!zx_map_get(reg->schools, r->school_code, &sid))
        return ZX_ENOTFOUND;
    st = zx_db_prepare(reg->db, "SELECT students, classes, boarders, special"
                                " FROM enrolment"
                                " WHERE school_id = ?1 AND year = ?2");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_int64(st, 1, sid);
    sqlite3_bind_int(st, 2, r->year);
    if (sqlite3_step(st) != SQLITE_ROW) {
        st = zx_db_prepare(reg->db, "INSERT INTO enrolment(school_id, year,"
                                    " students, classes, boarders, special)"
                                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        if (!st)
            return ZX_EDB;
        sqlite3_bind_int64(st, 1, sid);
        sqlite3_bind_int(st, 2, r->year);
        sqlite3_bind_int(st, 3, r->students);
        sqlite3_bind_int(st, 4, r->classes);
        sqlite3_bind_int(st, 5, r->boarders);
        sqlite3_bind_int(st, 6, r->special);
        if (sqlite3_step(st) != SQLITE_DONE)
            return ZX_EDB;
        *put = ZX_PUT_INSERTED;
        return ZX_OK;
    }
    old = json_object();
    new_ = json_object();
    if (!old || !new_) {
        sqlite3_reset(st);
        rc = ZX_ENOMEM;
        goto done;
    }
    diff_int(old, new_, "students", sqlite3_column_int(st, 0), r->students);
    diff_int(old, new_, "classes", sqlite3_column_int(st, 1), r->classes);
    diff_int(old, new_, "boarders", sqlite3_column_int(st, 2), r->boarders);
    diff_int(old, new_, "special", sqlite3_column_int(st, 3), r->special);
    sqlite3_reset(st);
    rc = ZX_OK;
    if (json_object_size(new_) == 0)
        goto done;
    st = zx_db_prepare(reg->db, "UPDATE enrolment SET students = ?3,"
                                " classes = ?4, boarders = ?5, special = ?6"
                                " WHERE school_id = ?1 AND year = ?2");
    if (!st) {
        rc = ZX_EDB;
        goto done;
    }
    sqlite3_bind_int64(st, 1, sid);
    sqlite3_bind_int(st, 2, r->year);
    sqlite3_bind_int(st, 3, r->students);
    sqlite3_bind_int(st, 4, r->classes);
    sqlite3_bind_int(st, 5, r->boarders);
    sqlite3_bind_int(st, 6, r->special);
    if (sqlite3_step(st) != SQLITE_DONE) {
        rc = ZX_EDB;
        goto done;
    }
    snprintf(key, sizeof(key), "%s/%d", r->school_code, r->year);
    rc = record_update(reg, "enrolment", key, old, new_, put);

done:
    json_decref(old);
    json_decref(new_);
    return rc;
}

static void bind_teacher(sqlite3_stmt *st, const zx_teacher_rec *r,
                         long long sid)
{
    sqlite3_bind_text(st, 2, r->name, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, r->gender);
    sqlite3_bind_text(st, 4, r->birth, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, sid);
    sqlite3_bind_int(st, 6, r->stage);
    sqlite3_bind_int(st, 7, r->subject);
    sqlite3_bind_int(st, 8, r->title);
    sqlite3_bind_int(st, 9, r->employment);
    sqlite3_bind_int(st, 10, r->post);
    sqlite3_bind_int(st, 11, r->since_year);
    if (r->political)
        sqlite3_bind_int(st, 12, r->political);
}

int zx_registry_put_teacher(zx_registry *reg, const zx_teacher_rec *r,
                            int *put)
{
    long long sid, id;
    sqlite3_stmt *st;
    json_t *old = NULL, *new_ = NULL;
    int rc;

    *put = ZX_PUT_UNCHANGED;
    if ((rc = stamp(reg, 4u, "registry:teacher")))
        return rc;
    if (!zx_map_get(reg->schools, r->school_code, &sid))
        return ZX_ENOTFOUND;
    if (!zx_map_get(reg->teachers, r->teacher_no, &id)) {
        st = zx_db_prepare(reg->db,
                           "INSERT INTO teacher(teacher_no, name, gender,"
                           " birth, school_id, stage, subject, title,"
                           " employment, post, since_year, political)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
                           " ?10, ?11, ?12)");
        if (!st)
            return ZX_EDB;
        sqlite3_bind_text(st, 1, r->teacher_no, -1, SQLITE_STATIC);
        bind_teacher(st, r, sid);
        if (sqlite3_step(st) != SQLITE_DONE)
            return ZX_EDB;
        if (zx_map_put(reg->teachers, r->teacher_no,
                       sqlite3_last_insert_rowid(zx_db_sqlite(reg->db))))
            return ZX_ENOMEM;
        *put = ZX_PUT_INSERTED;
        return ZX_OK;
    }

    st = zx_db_prepare(reg->db,
                       "SELECT t.name, t.gender, t.birth, t.school_id,"
                       " t.stage, t.subject, t.title, t.employment, t.post,"
                       " t.since_year, t.political, u.code"
                       " FROM teacher t JOIN org_unit u ON u.id = t.school_id"
                       " WHERE t.id = ?1");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_int64(st, 1, id);
    if ((rc = begin_diff(st, &old, &new_)))
        goto done;
    diff_str(old, new_, "name", col_text(st, 0), r->name);
    diff_int(old, new_, "gender", sqlite3_column_int(st, 1), r->gender);
    diff_str(old, new_, "birth", col_text(st, 2), r->birth);
    /* a move to another school is recorded by school code */
    if (sqlite3_column_int64(st, 3) != sid)
        diff_str(old, new_, "school_code", col_text(st, 11), r->school_code);
    diff_int(old, new_, "stage", sqlite3_column_int(st, 4), r->stage);
    diff_int(old, new_, "subject", sqlite3_column_int(st, 5), r->subject);
    diff_int(old, new_, "title", sqlite3_column_int(st, 6), r->title);
    diff_int(old, new_, "employment", sqlite3_column_int(st, 7),
             r->employment);
    diff_int(old, new_, "post", sqlite3_column_int(st, 8), r->post);
    diff_int(old, new_, "since_year", sqlite3_column_int(st, 9),
             r->since_year);
    diff_int(old, new_, "political", sqlite3_column_int(st, 10),
             r->political);
    sqlite3_reset(st);
    rc = ZX_OK;
    if (json_object_size(new_) == 0)
        goto done;
    st = zx_db_prepare(reg->db,
                       "UPDATE teacher SET name = ?2, gender = ?3, birth = ?4,"
                       " school_id = ?5, stage = ?6, subject = ?7,"
                       " title = ?8, employment = ?9, post = ?10,"
                       " since_year = ?11, political = ?12 WHERE id = ?1");
    if (!st) {
        rc = ZX_EDB;
        goto done;
    }
    sqlite3_bind_int64(st, 1, id);
    bind_teacher(st, r, sid);
    if (sqlite3_step(st) != SQLITE_DONE) {
        rc = ZX_EDB;
        goto done;
    }
    rc = record_update(reg, "teacher", r->teacher_no, old, new_, put);

done:
    json_decref(old);
    json_decref(new_);
    return rc;
}

int zx_registry_put_role(zx_registry *reg, const zx_role_rec *r, int *put)
{
    long long tid, rid;
    sqlite3_stmt *st;
    char key[256];
    json_t *old = NULL, *new_ = NULL;
    int rc, cur_end;

    *put = ZX_PUT_UNCHANGED;
    if ((rc = stamp(reg, 8u, "registry:role")))
        return rc;
    if (!zx_map_get(reg->teachers, r->teacher_no, &tid))
        return ZX_ENOTFOUND;
    st = zx_db_prepare(reg->db, "SELECT id, end_year FROM teacher_role"
                                " WHERE teacher_id = ?1 AND title = ?2"
                                " AND level = ?3 AND start_year = ?4");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_int64(st, 1, tid);
    sqlite3_bind_text(st, 2, r->title, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->level, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, r->start_year);
    if (sqlite3_step(st) != SQLITE_ROW) {
        st = zx_db_prepare(reg->db, "INSERT INTO teacher_role(teacher_id,"
                                    " title, level, start_year, end_year)"
                                    " VALUES (?1, ?2, ?3, ?4, ?5)");
        if (!st)
            return ZX_EDB;
        sqlite3_bind_int64(st, 1, tid);
        sqlite3_bind_text(st, 2, r->title, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, r->level, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 4, r->start_year);
        if (r->end_year)
            sqlite3_bind_int(st, 5, r->end_year);
        if (sqlite3_step(st) != SQLITE_DONE)
            return ZX_EDB;
        *put = ZX_PUT_INSERTED;
        return ZX_OK;
    }
    rid = sqlite3_column_int64(st, 0);
    cur_end = sqlite3_column_int(st, 1); /* NULL reads as 0 */
    sqlite3_reset(st);
    if (cur_end == r->end_year)
        return ZX_OK;
    st = zx_db_prepare(reg->db, "UPDATE teacher_role SET end_year = ?2"
                                " WHERE id = ?1");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_int64(st, 1, rid);
    if (r->end_year)
        sqlite3_bind_int(st, 2, r->end_year);
    if (sqlite3_step(st) != SQLITE_DONE)
        return ZX_EDB;
    old = cur_end ? json_pack("{s:i}", "end_year", cur_end)
                  : json_pack("{s:n}", "end_year");
    new_ = r->end_year ? json_pack("{s:i}", "end_year", r->end_year)
                       : json_pack("{s:n}", "end_year");
    snprintf(key, sizeof(key), "%s/%s/%s/%d", r->teacher_no, r->title,
             r->level, r->start_year);
    rc = old && new_ ? record_update(reg, "teacher_role", key, old, new_, put)
                     : ZX_ENOMEM;
    json_decref(old);
    json_decref(new_);
    return rc;
}

int zx_registry_hq_conflicts(zx_registry *reg,
                             void (*fn)(void *ctx, const char *group,
                                        const char *schools),
                             void *ctx)
{
    sqlite3_stmt *st;
    int step;

    st = zx_db_prepare(reg->db,
                       "SELECT g.name, group_concat(u.code, '、')"
                       " FROM school s JOIN org_unit g ON g.id = s.group_id"
                       " JOIN org_unit u ON u.id = s.unit_id"
                       " WHERE s.group_hq = 1 GROUP BY s.group_id"
                       " HAVING count(*) > 1");
    if (!st)
        return ZX_EDB;
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        fn(ctx, col_text(st, 0), col_text(st, 1));
    sqlite3_reset(st);
    return step == SQLITE_DONE ? ZX_OK : ZX_EDB;
}
