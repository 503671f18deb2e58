/*
 * stamp.c - change stamps (see stamp.h).
 */
#include "stamp.h"
#include "zx.h"

int zx_stamp_bump(zx_db *db, const char *key)
{
    sqlite3_stmt *st = zx_db_prepare(db, "INSERT INTO stamp VALUES (?1, 1)"
                                         " ON CONFLICT(key) DO UPDATE"
                                         " SET version = version + 1");

    if (!st)
        return ZX_EDB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    return sqlite3_step(st) == SQLITE_DONE ? ZX_OK : ZX_EDB;
}

int zx_stamp_snapshot(zx_db *db, zx_map **out)
{
    sqlite3_stmt *st = zx_db_prepare(db, "SELECT key, version FROM stamp");
    zx_map *m;
    int step;

    *out = NULL;
    if (!st)
        return ZX_EDB;
    m = zx_map_new();
    if (!m)
        return ZX_ENOMEM;
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        if (zx_map_put(m, (const char *)sqlite3_column_text(st, 0),
                       sqlite3_column_int64(st, 1)) != 0) {
            sqlite3_reset(st);
            zx_map_free(m);
            return ZX_ENOMEM;
        }
    sqlite3_reset(st);
    if (step != SQLITE_DONE) {
        zx_map_free(m);
        return ZX_EDB;
    }
    *out = m;
    return ZX_OK;
}

long long zx_stamp_version(const zx_map *snap, const char *key)
{
    long long v;

    return zx_map_get(snap, key, &v) ? v : 0;
}
