/*
 * audit.h - the audit log: who changed what, when, from where, with the
 * old and new values.
 *
 * Entries are appended in the same transaction as the change they record,
 * so a change and its record commit or vanish together.  Each entry's hash
 * covers the previous entry's hash and its own fields (SHA-256), so editing
 * or deleting any past entry breaks the chain at that point.
 */
#ifndef ZX_AUDIT_H
#define ZX_AUDIT_H

#include <jansson.h>

#include "db.h"

typedef struct zx_audit_entry {
    const char *actor;  /* "cli:root", "user:wang", ... */
    const char *addr;   /* client address, or "" for the CLI */
    const char *action; /* "insert", "update", "create", "import", ... */
    const char *tbl;    /* table or concept changed */
    const char *key;    /* key of the changed row, e.g. a teacher number */
    const char *old;    /* JSON of the old values, or NULL */
    const char *new_;   /* JSON of the new values, or NULL */
} zx_audit_entry;

/* Appends e to the log, inside the caller's transaction. */
int zx_audit_append(zx_db *db, const zx_audit_entry *e);

/* zx_audit_append for values held as JSON: old and new_ (NULL: none)
 * are written compactly, keys sorted, reals to 15 significant digits,
 * so that the same change always reads the same.  They stay the
 * caller's.  Returns ZX_OK, ZX_ENOMEM or ZX_EDB. */
int zx_audit_append_json(zx_db *db, const char *actor, const char *action,
                         const char *tbl, const char *key,
                         const json_t *old, const json_t *new_);

/* The entry of a mechanism's saved year whose rows replace the year's
 * old ones (funding, staffing, ...): table tbl, the year as the key,
 * action "insert" when old is NULL (no rows before) and "update"
 * otherwise.  old and new_ are borrowed: they stay the caller's.
 * Returns ZX_OK, ZX_ENOMEM or ZX_EDB. */
int zx_audit_year(zx_db *db, const char *actor, const char *tbl, int year,
                  const json_t *old, const json_t *new_);

/* Checks the whole chain, and that it ends at the head recorded with the
 * last append (so cutting off the newest entries shows too).  Returns
 * ZX_OK when intact; otherwise ZX_EDATA with the id of the first entry
 * that does not match, or the first one missing, in *bad_id. */
int zx_audit_verify(zx_db *db, long long *bad_id);

/* The address recorded with the changes this thread makes from now on,
 * for entries that give none (the core's writers know who acts, not
 * from where): the server sets it to the client's address before each
 * request it serves on the thread; "" for the command line. */
void zx_audit_set_origin(const char *addr);
/* This thread's origin (owned by the thread; "" when none), for a helper
 * thread to take over (regqueue.c). */
const char *zx_audit_origin(void);

/* Which entries zx_audit_list gives; NULL fields mean "all". */
typedef struct zx_audit_filter {
    const char *table;   /* tbl, e.g. "teacher", "data_value" */
    const char *actor;   /* e.g. "user:wang" */
    const char *unit;    /* a unit's code: the unit, its teachers, its
                            data values and, for a town, its schools */
    const char *since;   /* "YYYY-MM-DD..." inclusive */
    const char *until;   /* a date: the whole of that day is included */
} zx_audit_filter;

/* One entry as read; strings valid during the callback only, old and
 * new_ JSON text or NULL. */
typedef struct zx_audit_row {
    long long id;
    const char *at, *actor, *addr, *action, *tbl, *key, *old, *new_;
} zx_audit_row;

/* r as a JSON object {id, at, actor, addr, action, table, key, old,
 * new}, old and new parsed; NULL when memory is short.  The caller owns
 * it. */
json_t *zx_audit_row_json(const zx_audit_row *r);

/* Calls fn for the entries passing f, newest first, skipping offset and
 * at most limit of them; *total (when not NULL) receives how many pass in
 * all.  Returns ZX_OK, ZX_EDB or fn's non-zero return. */
int zx_audit_list(zx_db *db, const zx_audit_filter *f, long long offset,
                  long long limit, long long *total,
                  int (*fn)(void *ctx, const zx_audit_row *r), void *ctx);

/* The actor name for the command line: "cli:" and the login name. */
const char *zx_audit_cli_actor(void);

#endif
