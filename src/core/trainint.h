/*
 * trainint.h - what training.c shares with the two other parts of the
 * training ledger, trainrec.c (the completions) and trainacct.c (the
 * accounting of the hours).  Internal: other modules use training.h.
 *
 * The helpers live in training.c, so that the catalogue, the completions
 * and the accounting read days, teachers and courses and write the audit
 * log the same way: a rural teacher is ZX_TRAIN_RURAL everywhere, and a
 * course is looked up by zx_train_find_course whether one enrols in it or
 * completes it.
 */
#ifndef ZX_TRAININT_H
#define ZX_TRAININT_H

#include <stddef.h>

#include <jansson.h>

#include "training.h"

/* Hours are decimals; sums are compared with this much slack so that
 * 0.1 + 0.2 does not exceed 0.3. */
#define ZX_TRAIN_EPS 1e-6

/* A rural teacher (training.h) in SQL: t a teacher, s its school, p the
 * parameter holding the plan's rural codes as a JSON array
 * (zx_train_rural_json).  Post 9 is 其他, staff outside teaching and
 * school leadership. */
#define ZX_TRAIN_RURAL(t, s, p)                                           \
    "(" s ".urban_rural IN (SELECT value FROM json_each(" p "))"          \
    " AND " t ".post <> 9)"

/* A catalogue course as the checks need it. */
struct zx_train_course {
    long long id;
    char code[64], name[512], starts_on[11];
    double hours;
    int required, special;
    long capacity;             /* 0: unlimited */
};

/* Today, local time, as "YYYY-MM-DD". */
void zx_train_today(char out[11]);

/* The plan's rural codes as a JSON array, for ZX_TRAIN_RURAL(). */
void zx_train_rural_json(const zx_plan *plan, char *buf, size_t cap);

/* in normalised (zx_text_norm with flags) into out of cap bytes; -1 when
 * it does not fit. */
int zx_train_norm(const char *in, char *out, size_t cap, int flags);

/* raw, a day as typed (or an XLSX cell of the given zx_cell_kind), as
 * "YYYY-MM-DD"; -1 when it is not a day. */
int zx_train_parse_day(const char *raw, int kind, char out[11]);

/* Appends an audit entry inside the caller's transaction: action
 * "insert" (new_ only), "update" (both) or "delete" (old only).  old and
 * new_ come straight from json_pack and are released here; a missing one
 * the action needs is json_pack's failure: out of memory. */
int zx_train_audit(zx_db *db, const char *actor, const char *action,
                   const char *tbl, const char *key, json_t *old,
                   json_t *new_);

/* Runs a prepared write; ZX_OK or ZX_EDB. */
int zx_train_step_done(sqlite3_stmt *st);

/* A statement of its own, for a listing: the listing's callback may call
 * back into this module (list again), which would reset a statement of
 * the shared cache under it.  The caller finalizes it; NULL on error. */
sqlite3_stmt *zx_train_own_stmt(zx_db *db, const char *sql);

/* The catalogue course of that (normalised) code into *c: ZX_OK,
 * ZX_ENOTFOUND or ZX_EDB. */
int zx_train_find_course(zx_db *db, const char *code,
                         struct zx_train_course *c);

/* The teacher with that number: id, whether rural under the codes rural
 * (zx_train_rural_json) and, when name is not NULL, the name.  ZX_OK,
 * ZX_ENOTFOUND or ZX_EDB. */
int zx_train_find_teacher(zx_db *db, const char *rural, const char *no,
                          long long *id, int *is_rural, char *name,
                          size_t namecap);

/* Whether the teacher is enrolled in the course (ids) into *yes: ZX_OK or
 * ZX_EDB. */
int zx_train_is_enrolled(zx_db *db, long long course, long long teacher,
                         int *yes);

#endif
