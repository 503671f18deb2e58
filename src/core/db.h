/*
 * db.h - the embedded SQLite database: opening, schema migrations,
 * transactions and small key/value settings.
 *
 * One file holds everything.  It is opened in WAL mode with foreign keys
 * on; the schema is a numbered list of migrations applied in order and
 * recorded in PRAGMA user_version, so any older database is upgraded on
 * open and a newer one is refused.  Modules prepare their own statements
 * on the handle from zx_db_sqlite(); values are always bound, never
 * spliced into SQL text.
 */
#ifndef ZX_DB_H
#define ZX_DB_H

#include <sqlite3.h>
#include <stddef.h>

typedef struct zx_db zx_db;

enum {
    ZX_DB_CREATE = 1 /* create the file if it does not exist */
};

/* Opens (and with ZX_DB_CREATE creates) the database at path, applying any
 * pending migrations.  On success *out is a handle to free with
 * zx_db_close.  On failure *out is NULL and, when errbuf is not NULL, a
 * Chinese message is written there. */
int zx_db_open(const char *path, int flags, zx_db **out, char *errbuf,
               size_t errlen);
void zx_db_close(zx_db *db);

/* The underlying connection; owned by db. */
sqlite3 *zx_db_sqlite(zx_db *db);

/* The schema version this build writes. */
int zx_db_schema_version(void);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK.  Return ZX_OK or ZX_EDB. */
int zx_db_begin(zx_db *db);
int zx_db_commit(zx_db *db);
int zx_db_rollback(zx_db *db);

/* Runs SQL without results (no parameters: for fixed statements only). */
int zx_db_exec(zx_db *db, const char *sql);

/* Settings in the meta table.  zx_db_meta_get returns a malloc'd copy the
 * caller frees, or NULL when the key is absent. */
char *zx_db_meta_get(zx_db *db, const char *key);
int zx_db_meta_set(zx_db *db, const char *key, const char *value);

/* Runs a query returning one integer (first column of the first row), with
 * an optional text parameter ?1; returns def when there is no row. */
long long zx_db_int(zx_db *db, const char *sql, const char *param,
                    long long def);

/* The statement for sql, prepared on first use and kept on the connection
 * until zx_db_close; on every later call it comes back reset with its
 * bindings cleared.  Owned by db: do not finalize.  NULL on a SQL error.
 * The text is copied, so it may come from a buffer; a literal passed
 * every time is found fastest.
 * Keeps hot statements prepared across calls without each module holding
 * its own set. */
sqlite3_stmt *zx_db_prepare(zx_db *db, const char *sql);

/* Writes a consistent copy of the database to path while others go on
 * reading and writing (SQLite's online backup, in steps, restarting when
 * a writer changes a page already copied).  The copy is written to
 * path + ".part" and renamed into place only when complete.  Returns
 * ZX_OK, ZX_EIO (path not writable) or ZX_EDB. */
int zx_db_backup(zx_db *db, const char *path);

/* The last SQLite error message of the connection. */
const char *zx_db_errmsg(zx_db *db);

#endif
