/*
 * registry.h - the registry of org units, schools, enrolment, teachers and
 * teachers' roles: keyed upserts that record what they change.
 *
 * Org units form a tree, city -> town (区镇) -> school; education groups
 * (集团/联盟/共同体) hang off the city and schools point at them.  Writers
 * (the importer, the demo generator, later the server) go through the put
 * functions, which insert a new key, update a changed one (appending the
 * old and new values to the audit log) or leave an identical one alone, so
 * that loading the same data twice changes nothing.  Towns and groups named
 * for the first time are created and remembered for the caller to list.
 *
 * The caller owns the transaction: puts are meant to run by the million
 * inside one, so a registry keeps its lookups in memory.
 */
#ifndef ZX_REGISTRY_H
#define ZX_REGISTRY_H

#include "db.h"

typedef struct zx_registry zx_registry;

enum zx_put { ZX_PUT_UNCHANGED = 0, ZX_PUT_INSERTED, ZX_PUT_UPDATED };

typedef struct zx_school_rec {
    const char *code;     /* 学校标识码, 10 digits */
    const char *name;
    const char *town;     /* 区镇 name */
    const char *group;    /* education group name, or NULL / "" */
    int type_code;        /* 办学类型 code */
    int urban_rural;      /* 城乡类型 code */
    int town_seat;        /* 1 = at an incorporated town's seat */
    int owner;            /* 21 public, 22 private */
    int group_hq;         /* 1 = HQ of its group */
    int has_lonlat;
    double lon, lat;
} zx_school_rec;

typedef struct zx_enrol_rec {
    const char *school_code;
    int year, students, classes, boarders, special;
} zx_enrol_rec;

/* Coded fields hold the codes of codes.h's lists of the same name. */
typedef struct zx_teacher_rec {
    const char *teacher_no, *name;
    int gender;
    const char *birth;    /* "YYYY-MM" */
    const char *school_code;
    int stage, subject, title, employment, post;
    int since_year;
    int political;        /* 0 when not given */
} zx_teacher_rec;

typedef struct zx_role_rec {
    const char *teacher_no, *title;
    const char *level;    /* "" when the title has no level */
    int start_year;
    int end_year;         /* 0 = still held */
} zx_role_rec;

/* Opens a registry writer over db; actor names who writes, for the audit
 * log (copied).  Fails with ZX_ENOTFOUND when the database has no city
 * (zhenxing init not run).  Free with zx_registry_close. */
int zx_registry_open(zx_db *db, const char *actor, zx_registry **out);
void zx_registry_close(zx_registry *reg);

/* Creates the root unit (the city) if the database has none. */
int zx_registry_init_city(zx_db *db, const char *code, const char *name);

/* Each returns ZX_OK and sets *put, ZX_ENOTFOUND when the record refers to
 * an unknown school or teacher, or ZX_EDB. */
int zx_registry_put_school(zx_registry *reg, const zx_school_rec *r, int *put);
int zx_registry_put_enrolment(zx_registry *reg, const zx_enrol_rec *r,
                              int *put);
int zx_registry_put_teacher(zx_registry *reg, const zx_teacher_rec *r,
                            int *put);
int zx_registry_put_role(zx_registry *reg, const zx_role_rec *r, int *put);

/* Non-zero when a school / teacher with that key exists (including ones
 * put through this registry in the current transaction). */
int zx_registry_has_school(zx_registry *reg, const char *code);
int zx_registry_has_teacher(zx_registry *reg, const char *teacher_no);

/* Units created through this registry: kind ("town" or "group"), name and
 * code of the i-th, 0 <= i < zx_registry_created_count.  Strings owned by
 * reg. */
int zx_registry_created_count(const zx_registry *reg);
void zx_registry_created(const zx_registry *reg, int i, const char **kind,
                         const char **name, const char **code);

/* Calls fn for every education group that has more than one HQ school,
 * with the group's name and the codes of its HQ schools ("a、b"). */
int zx_registry_hq_conflicts(zx_registry *reg,
                             void (*fn)(void *ctx, const char *group,
                                        const char *schools),
                             void *ctx);

#endif
