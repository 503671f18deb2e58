/*
 * sessions.c - logins, sessions and CSRF tokens (see sessions.h).
 */
#include "sessions.h"
#include "accounts.h"
#include "zx.h"

#include <sodium.h>
#include <string.h>

const zx_session_policy zx_sessions_default_policy = {
    30 * 60, 12 * 60 * 60, 5, 15 * 60
};

static void random_hex(char out[ZX_SESSIONS_TOKEN_LEN + 1])
{
    unsigned char b[ZX_SESSIONS_TOKEN_LEN / 2];

    randombytes_buf(b, sizeof(b));
    sodium_bin2hex(out, ZX_SESSIONS_TOKEN_LEN + 1, b, sizeof(b));
}

static void token_hash(const char *token, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];

    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(out, 65, h, sizeof(h));
}

static long long failures(zx_db *db, const char *col, const char *v,
                          long long since)
{
    sqlite3_stmt *st = zx_db_prepare(
        db, strcmp(col, "name") == 0
                ? "SELECT count(*) FROM login_failure WHERE name = ?1"
                  " AND at > ?2"
                : "SELECT count(*) FROM login_failure WHERE addr = ?1"
                  " AND at > ?2");
    long long n = 0;

    if (!st)
        return 0;
    sqlite3_bind_text(st, 1, v, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, since);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return n;
}

int zx_sessions_verify(zx_db *db, const zx_session_policy *p,
                       const char *name, const char *password,
                       const char *addr, long long now, long long *id)
{
    sqlite3_stmt *st;
    int rc;

    if (sodium_init() < 0)
        return ZX_ENOMEM;
    if (failures(db, "name", name, now - p->window) >= p->max_failures ||
        failures(db, "addr", addr, now - p->window) >= p->max_failures)
        return ZX_EEXIST;
    rc = zx_accounts_check(db, name, password, id);
    if (rc != ZX_EINVAL)
        return rc;
    st = zx_db_prepare(db, "INSERT INTO login_failure(name, addr, at)"
                           " VALUES (?1, ?2, ?3)");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, addr, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now);
    return sqlite3_step(st) == SQLITE_DONE ? ZX_EINVAL : ZX_EDB;
}

int zx_sessions_login(zx_db *db, const zx_session_policy *p,
                      const char *name, const char *password,
                      const char *addr, long long now,
                      char token[ZX_SESSIONS_TOKEN_LEN + 1],
                      char csrf[ZX_SESSIONS_TOKEN_LEN + 1])
{
    sqlite3_stmt *st;
    char hash[65];
    long long id;
    int rc;

    if ((rc = zx_sessions_verify(db, p, name, password, addr, now, &id)))
        return rc;
    random_hex(token);
    random_hex(csrf);
    token_hash(token, hash);
    st = zx_db_prepare(db, "INSERT INTO session(token_hash, account_id,"
                           " csrf, addr, created_at, seen_at, expires_at)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, id);
    sqlite3_bind_text(st, 3, csrf, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, addr, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, now);
    sqlite3_bind_int64(st, 6, now + p->max_age);
    return sqlite3_step(st) == SQLITE_DONE ? ZX_OK : ZX_EDB;
}

long long zx_sessions_step(const zx_session_policy *p)
{
    return p->idle / 10 < ZX_SESSIONS_SEEN_STEP ? p->idle / 10
                                                : ZX_SESSIONS_SEEN_STEP;
}

int zx_sessions_check(zx_db *db, const zx_session_policy *p,
                      const char *token, long long now, zx_session *s)
{
    sqlite3_stmt *st;
    char hash[65];
    long long seen = 0;
    int found = 0;

    if (strlen(token) != ZX_SESSIONS_TOKEN_LEN)
        return ZX_ENOTFOUND;
    token_hash(token, hash);
    st = zx_db_prepare(db, "SELECT s.account_id, s.csrf, s.expires_at,"
                           " s.seen_at FROM session s JOIN account a"
                           " ON a.id = s.account_id"
                           " WHERE s.token_hash = ?1 AND a.disabled = 0"
                           " AND s.seen_at > ?2 AND s.expires_at > ?3");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now - p->idle);
    sqlite3_bind_int64(st, 3, now);
    if (sqlite3_step(st) == SQLITE_ROW) {
        s->account_id = sqlite3_column_int64(st, 0);
        snprintf(s->csrf, sizeof(s->csrf), "%s",
                 (const char *)sqlite3_column_text(st, 1));
        s->expires_at = sqlite3_column_int64(st, 2);
        seen = sqlite3_column_int64(st, 3);
        found = 1;
    }
    sqlite3_reset(st);
    if (!found)
        return ZX_ENOTFOUND;
    /* The idle clock moves on only when it is a step old (a tenth of the
     * idle limit, at most ZX_SESSIONS_SEEN_STEP): restarting it on every
     * request would make every read a write. */
    s->seen_at = seen;
    if (now - seen < zx_sessions_step(p))
        return ZX_OK;
    s->seen_at = now;
    st = zx_db_prepare(db, "UPDATE session SET seen_at = ?2"
                           " WHERE token_hash = ?1");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now);
    return sqlite3_step(st) == SQLITE_DONE ? ZX_OK : ZX_EDB;
}

int zx_sessions_logout(zx_db *db, const char *token)
{
    sqlite3_stmt *st = zx_db_prepare(db, "DELETE FROM session"
                                         " WHERE token_hash = ?1");
    char hash[65];

    if (!st)
        return ZX_EDB;
    token_hash(token, hash);
    sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
    return sqlite3_step(st) == SQLITE_DONE ? ZX_OK : ZX_EDB;
}

int zx_sessions_end_all(zx_db *db, long long account_id)
{
    sqlite3_stmt *st = zx_db_prepare(db, "DELETE FROM session"
                                         " WHERE account_id = ?1");

    if (!st)
        return ZX_EDB;
    sqlite3_bind_int64(st, 1, account_id);
    return sqlite3_step(st) == SQLITE_DONE ? ZX_OK : ZX_EDB;
}
