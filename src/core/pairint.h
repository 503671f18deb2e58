/*
 * pairint.h - what the three files of the pairing module share among
 * themselves: pairing.c (programmes, settings, pools), pairprop.c (the
 * cost of a pair, propose, accept, edit, list) and pairact.c (activities,
 * statistics).  Internal: other modules use pairing.h.
 */
#ifndef ZX_PAIRINT_H
#define ZX_PAIRINT_H

#include "pairing.h"

/* A pool's definition, pointing into the settings document; member and
 * where are pairing.c's enum member_kind and enum where. */
struct zx_pair_def {
    int member, where;
    const char *role, *not_role, *suffix;
    int max_age;               /* 0: any age */
    int same_subjects;
    char levels[160];          /* JSON array of the levels >= min_level,
                                  or "" for any level */
    char posts[64];            /* JSON array of post codes, or "" */
};

/* A programme's settings, checked, pointing into the settings document. */
struct zx_pair_settings {
    struct zx_pair_def side[2];  /* [0] mentees, [1] mentors */
    int req_subject, req_stage;
    double w_group, w_distance, w_weak;
    const json_t *pins, *forbids;  /* arrays of [mentor, mentee] */
};

/* The key of a pool row p: teacher number, school code or name. */
#define ZX_PAIR_MEMBER_KEY "COALESCE(t.teacher_no, su.code, p.name)"
/* The joins ZX_PAIR_MEMBER_KEY reads. */
#define ZX_PAIR_MEMBER_JOINS                                               \
    " LEFT JOIN teacher t ON t.id = p.teacher_id"                          \
    " LEFT JOIN org_unit su ON su.id = p.school_id AND p.teacher_id IS NULL"

/* Appends an audit entry inside the caller's transaction; takes the
 * references of old and new_.  Costs are written with 12 significant
 * digits, so that 3.9 reads 3.9 and not its binary neighbour. */
int zx_pair_audit(zx_db *db, const char *actor, const char *action,
                  const char *tbl, const char *key, json_t *old,
                  json_t *new_);

/* Steps a prepared write to its end. */
int zx_pair_step_done(sqlite3_stmt *st);

/* Checks a "YYYY-MM-DD" date that exists, writing it normalised to out. */
int zx_pair_check_date(const char *s, char out[11]);

/* The settings of programme p, read and checked into s; *doc holds them
 * (the caller frees it). */
int zx_pair_load_settings(zx_db *db, int p, json_t **doc,
                          struct zx_pair_settings *s, zx_diag *diag);

/* The programme of pair id, or -1 (not found) / -2 (database); *accepted
 * tells whether the pair is accepted. */
int zx_pair_programme_of(zx_db *db, long long id, int *accepted);

#endif
