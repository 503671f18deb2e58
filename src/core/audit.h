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

/* Checks the whole chain, and that it ends at the head recorded with the
 * last append (so cutting off the newest entries shows too).  Returns
 * ZX_OK when intact; otherwise ZX_EDATA with the id of the first entry
 * that does not match, or the first one missing, in *bad_id. */
int zx_audit_verify(zx_db *db, long long *bad_id);

/* The actor name for the command line: "cli:" and the login name. */
const char *zx_audit_cli_actor(void);

#endif
