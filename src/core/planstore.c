/*
 * planstore.c - plan versions in the database (see planstore.h).
 */
#include "planstore.h"
#include "audit.h"
#include "indicator.h"
#include "zx.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int zx_planstore_put(zx_db *db, const char *text, size_t len,
                     const char *name, const char *actor, zx_diag *diag)
{
    zx_plan *plan = NULL;
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[2 * crypto_hash_sha256_BYTES + 1], at[32], key[32];
    sqlite3_stmt *st;
    zx_audit_entry e;
    time_t now = time(NULL);
    struct tm tm;
    json_t *j = NULL;
    char *js = NULL;
    int rc;

    if ((rc = zx_plan_load_text(text, len, name, &plan, diag)))
        return rc;
    if ((rc = zx_indicator_check(plan, diag)))
        goto fail;
    crypto_hash_sha256(h, (const unsigned char *)text, len);
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    gmtime_r(&now, &tm);
    strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);

    if ((rc = zx_db_begin(db)))
        goto fail;
    rc = ZX_EDB;
    st = zx_db_prepare(db, "INSERT INTO plan_version(plan_id, name, file,"
                           " sha256, text, loaded_at, loaded_by)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!st)
        goto fail;
    sqlite3_bind_text(st, 1, zx_plan_id(plan), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, zx_plan_name(plan), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, hex, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, text, (int)len, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, at, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, actor, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        goto fail;
    snprintf(key, sizeof(key), "%lld",
             (long long)sqlite3_last_insert_rowid(zx_db_sqlite(db)));
    rc = ZX_ENOMEM;
    j = json_pack("{s:s, s:s, s:s}", "plan", zx_plan_id(plan), "file", name,
                  "sha256", hex);
    js = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    if (!js)
        goto fail;
    e.actor = actor;
    e.addr = "";
    e.action = "load";
    e.tbl = "plan_version";
    e.key = key;
    e.old = NULL;
    e.new_ = js;
    if ((rc = zx_audit_append(db, &e)) || (rc = zx_db_commit(db)))
        goto fail;
    rc = ZX_OK;

fail:
    if (rc)
        zx_db_rollback(db);
    free(js);
    json_decref(j);
    zx_plan_free(plan);
    return rc;
}

int zx_planstore_get(zx_db *db, zx_plan **out, zx_diag *diag)
{
    sqlite3_stmt *st;
    int rc;

    *out = NULL;
    st = zx_db_prepare(db, "SELECT text, file FROM plan_version"
                           " ORDER BY id DESC LIMIT 1");
    if (!st)
        return ZX_EDB;
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return ZX_ENOTFOUND;
    }
    rc = zx_plan_load_text((const char *)sqlite3_column_text(st, 0),
                           (size_t)sqlite3_column_bytes(st, 0),
                           (const char *)sqlite3_column_text(st, 1), out,
                           diag);
    sqlite3_reset(st);
    return rc;
}
