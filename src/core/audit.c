/*
 * audit.c - hash-chained audit log (see audit.h).
 *
 * The hashed text is the fields joined with a separator byte that cannot
 * occur in UTF-8 text (0xFF), so no two different entries hash alike by
 * shifting text between fields.
 */
#include "audit.h"
#include "zx.h"

#include <pwd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Where the changes of this thread come from (see zx_audit_set_origin):
 * the server serves one request at a time per thread. */
static _Thread_local char origin[64];

void zx_audit_set_origin(const char *addr)
{
    snprintf(origin, sizeof(origin), "%s", addr ? addr : "");
}

const char *zx_audit_origin(void)
{
    return origin;
}

static void hash_entry(const unsigned char *prev, int prevlen,
                       const char *const f[8], unsigned char out[32])
{
    crypto_hash_sha256_state st;
    static const unsigned char sep = 0xFF;
    int i;

    crypto_hash_sha256_init(&st);
    if (prevlen > 0)
        crypto_hash_sha256_update(&st, prev, (unsigned long long)prevlen);
    for (i = 0; i < 8; i++) {
        crypto_hash_sha256_update(&st, &sep, 1);
        if (f[i])
            crypto_hash_sha256_update(&st, (const unsigned char *)f[i],
                                      strlen(f[i]));
    }
    crypto_hash_sha256_final(&st, out);
}

int zx_audit_append_json(zx_db *db, const char *actor, const char *action,
                         const char *tbl, const char *key,
                         const json_t *old, const json_t *new_)
{
    const size_t flags = JSON_COMPACT | JSON_SORT_KEYS |
                         JSON_REAL_PRECISION(15);
    char *o = old ? json_dumps(old, flags) : NULL;
    char *n = new_ ? json_dumps(new_, flags) : NULL;
    zx_audit_entry e = { actor, "", action, tbl, key, o, n };
    int rc = (old && !o) || (new_ && !n) ? ZX_ENOMEM
                                          : zx_audit_append(db, &e);

    free(o);
    free(n);
    return rc;
}

int zx_audit_year(zx_db *db, const char *actor, const char *tbl, int year,
                  const json_t *old, const json_t *new_)
{
    char key[16];

    snprintf(key, sizeof(key), "%d", year);
    return zx_audit_append_json(db, actor, old ? "update" : "insert", tbl,
                                key, old, new_);
}

/* The chain alone cannot tell its newest entries were cut off: the id
 * and hash of the head are kept in meta too, in the same transaction. */
static int set_head(zx_db *db, long long id, const unsigned char hash[32])
{
    char head[96], hex[65];

    sodium_bin2hex(hex, sizeof(hex), hash, 32);
    snprintf(head, sizeof(head), "%lld:%s", id, hex);
    return zx_db_meta_set(db, "audit_head", head);
}

int zx_audit_append(zx_db *db, const zx_audit_entry *e)
{
    sqlite3_stmt *last, *ins;
    unsigned char prev[32], hash[32];
    int prevlen = 0;
    char at[64];
    struct timespec ts;
    struct tm tm;
    const char *f[8];

    last = zx_db_prepare(db, "SELECT hash FROM audit ORDER BY id DESC LIMIT 1");
    if (!last)
        return ZX_EDB;
    if (sqlite3_step(last) == SQLITE_ROW &&
        sqlite3_column_bytes(last, 0) == 32) {
        memcpy(prev, sqlite3_column_blob(last, 0), 32);
        prevlen = 32;
    }
    sqlite3_reset(last);

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    snprintf(at, sizeof(at), "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
    f[0] = at;
    f[1] = e->actor;
    f[2] = e->addr && *e->addr ? e->addr : origin;
    f[3] = e->action;
    f[4] = e->tbl;
    f[5] = e->key;
    f[6] = e->old;
    f[7] = e->new_;
    hash_entry(prev, prevlen, f, hash);

    ins = zx_db_prepare(db, "INSERT INTO audit(at, actor, addr, action, tbl,"
                            " key, old, new, hash)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!ins)
        return ZX_EDB;
    sqlite3_bind_text(ins, 1, f[0], -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 2, f[1], -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 3, f[2], -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 4, f[3], -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 5, f[4], -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 6, f[5], -1, SQLITE_STATIC);
    if (f[6])
        sqlite3_bind_text(ins, 7, f[6], -1, SQLITE_STATIC);
    if (f[7])
        sqlite3_bind_text(ins, 8, f[7], -1, SQLITE_STATIC);
    sqlite3_bind_blob(ins, 9, hash, 32, SQLITE_STATIC);
    if (sqlite3_step(ins) != SQLITE_DONE)
        return ZX_EDB;
    return set_head(db, sqlite3_last_insert_rowid(zx_db_sqlite(db)), hash);
}

/* The intact chain ends at `last` (0: empty) with hash `h`; it must be
 * the head recorded in meta, else entries after it were removed. */
static int check_head(zx_db *db, long long last, const unsigned char *h,
                      long long *bad_id)
{
    char *head = zx_db_meta_get(db, "audit_head"), hex[65] = "";
    long long id;
    int rc = ZX_OK;

    if (!head) {
        /* no head with entries present: the record of the head is gone */
        if (last == 0)
            return ZX_OK;
        *bad_id = last + 1;
        return ZX_EDATA;
    }
    if (h)
        sodium_bin2hex(hex, sizeof(hex), h, 32);
    id = atoll(head);
    if (id != last || !strchr(head, ':') || strcmp(strchr(head, ':') + 1,
                                                   hex) != 0) {
        *bad_id = last + 1;
        rc = ZX_EDATA;
    }
    free(head);
    return rc;
}

int zx_audit_verify(zx_db *db, long long *bad_id)
{
    sqlite3_stmt *st = NULL;
    unsigned char prev[32], hash[32];
    int prevlen = 0, rc = ZX_OK, step;
    long long expect_id = 1;

    *bad_id = 0;
    if (sqlite3_prepare_v2(zx_db_sqlite(db),
                           "SELECT id, at, actor, addr, action, tbl, key, old,"
                           " new, hash FROM audit ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return ZX_EDB;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *f[8];
        long long id = sqlite3_column_int64(st, 0);
        int i;

        for (i = 0; i < 8; i++)
            f[i] = (const char *)sqlite3_column_text(st, i + 1);
        hash_entry(prev, prevlen, f, hash);
        /* a gap in ids is a deleted entry */
        if (id != expect_id || sqlite3_column_bytes(st, 9) != 32 ||
            memcmp(hash, sqlite3_column_blob(st, 9), 32) != 0) {
            *bad_id = id;
            rc = ZX_EDATA;
            break;
        }
        memcpy(prev, sqlite3_column_blob(st, 9), 32);
        prevlen = 32;
        expect_id = id + 1;
    }
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        rc = ZX_EDB;
    sqlite3_finalize(st);
    if (rc == ZX_OK)
        rc = check_head(db, expect_id - 1, prevlen ? prev : NULL, bad_id);
    return rc;
}

const char *zx_audit_cli_actor(void)
{
    static char buf[96];
    struct passwd *pw = getpwuid(getuid());

    snprintf(buf, sizeof(buf), "cli:%s", pw ? pw->pw_name : "unknown");
    return buf;
}

json_t *zx_audit_row_json(const zx_audit_row *r)
{
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
                          (json_int_t)r->id, "at", r->at, "actor", r->actor,
                          "addr", r->addr, "action", r->action, "table",
                          r->tbl, "key", r->key);

    if (!o)
        return NULL;
    json_object_set_new(o, "old", r->old ? json_loads(r->old, 0, NULL)
                                         : json_null());
    json_object_set_new(o, "new", r->new_ ? json_loads(r->new_, 0, NULL)
                                          : json_null());
    return o;
}

int zx_audit_list(zx_db *db, const zx_audit_filter *f, long long offset,
                  long long limit, long long *total,
                  int (*fn)(void *ctx, const zx_audit_row *r), void *ctx)
{
    /* ?5, a unit code, reaches the keys of the unit, of the units under
     * it (a town's schools) and of the teachers of those schools: a key
     * that is one of them, starts with one (enrolment: SCHOOL/YEAR) or
     * has one as its middle part (data values: ELEMENT/UNIT/YEAR) */
    static const char where[] =
        " FROM audit WHERE (?1 IS NULL OR tbl = ?1)"
        " AND (?2 IS NULL OR actor = ?2)"
        " AND (?3 IS NULL OR at >= ?3) AND (?4 IS NULL OR at <= ?4)"
        " AND (?5 IS NULL OR EXISTS (SELECT 1 FROM ("
        "   SELECT ?5 AS k"
        "   UNION SELECT u.code FROM org_unit u WHERE u.parent_id ="
        "    (SELECT id FROM org_unit WHERE code = ?5)"
        "   UNION SELECT t.teacher_no FROM teacher t"
        "    JOIN org_unit u ON u.id = t.school_id"
        "    WHERE u.code = ?5 OR u.parent_id ="
        "    (SELECT id FROM org_unit WHERE code = ?5))"
        "  WHERE audit.key = k OR audit.key LIKE k || '/%'"
        "  OR audit.key LIKE '%/' || k || '/%'))";
    char until_end[40], sql[sizeof(where) + 128];
    sqlite3_stmt *st = NULL;
    int pass, step = SQLITE_DONE, rc = ZX_OK;

    /* "until 2021-09-30" means the whole of that day */
    snprintf(until_end, sizeof(until_end), "%s~", f->until ? f->until : "");
    for (pass = 0; pass < 2 && rc == ZX_OK; pass++) {
        if (pass == 0 && !total)
            continue;
        snprintf(sql, sizeof(sql), "%s%s%s",
                 pass ? "SELECT id, at, actor, addr, action, tbl, key, old,"
                        " new"
                      : "SELECT count(*)",
                 where, pass ? " ORDER BY id DESC LIMIT ?6 OFFSET ?7" : "");
        if (sqlite3_prepare_v2(zx_db_sqlite(db), sql, -1, &st, NULL) !=
            SQLITE_OK)
            return ZX_EDB;
        if (f->table)
            sqlite3_bind_text(st, 1, f->table, -1, SQLITE_STATIC);
        if (f->actor)
            sqlite3_bind_text(st, 2, f->actor, -1, SQLITE_STATIC);
        if (f->since)
            sqlite3_bind_text(st, 3, f->since, -1, SQLITE_STATIC);
        if (f->until)
            sqlite3_bind_text(st, 4, until_end, -1, SQLITE_STATIC);
        if (f->unit)
            sqlite3_bind_text(st, 5, f->unit, -1, SQLITE_STATIC);
        if (pass) {
            sqlite3_bind_int64(st, 6, limit);
            sqlite3_bind_int64(st, 7, offset);
        }
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            zx_audit_row r;

            if (!pass) {
                *total = sqlite3_column_int64(st, 0);
                continue;
            }
            r.id = sqlite3_column_int64(st, 0);
            r.at = (const char *)sqlite3_column_text(st, 1);
            r.actor = (const char *)sqlite3_column_text(st, 2);
            r.addr = (const char *)sqlite3_column_text(st, 3);
            r.action = (const char *)sqlite3_column_text(st, 4);
            r.tbl = (const char *)sqlite3_column_text(st, 5);
            r.key = (const char *)sqlite3_column_text(st, 6);
            r.old = (const char *)sqlite3_column_text(st, 7);
            r.new_ = (const char *)sqlite3_column_text(st, 8);
            if ((rc = fn(ctx, &r)))
                break;
        }
        if (rc == ZX_OK && step != SQLITE_DONE)
            rc = ZX_EDB;
        sqlite3_finalize(st);
    }
    return rc;
}
