/*
 * sessions.h - logging in: password check with rate limiting, sessions
 * with expiry, and the CSRF token of each session.
 *
 * The server hands the session token to the browser in an HttpOnly,
 * SameSite=Strict cookie and the CSRF token in the page; every
 * state-changing request must bring both.  Tokens are 32 random bytes
 * (libsodium) in hex; the database keeps only the token's SHA-256.  A
 * session ends after `idle` seconds without use or `max_age` seconds in
 * all.  Logins are refused for a while after too many failures for the
 * same account or from the same address, whichever limit is hit first;
 * the refusal does not tell whether the password would have been right.
 * Times are seconds since the epoch, passed in so tests control the clock.
 */
#ifndef ZX_SESSIONS_H
#define ZX_SESSIONS_H

#include "db.h"

#define ZX_SESSIONS_TOKEN_LEN 64          /* hex characters */
#define ZX_SESSIONS_SEEN_STEP 60          /* seconds: see zx_sessions_check */

typedef struct zx_session_policy {
    long long idle;              /* seconds without use before expiry */
    long long max_age;           /* seconds in all */
    int max_failures;            /* failed logins allowed ... */
    long long window;            /* ... within this many seconds */
} zx_session_policy;

/* 30 minutes idle, 12 hours in all, 5 failures per 15 minutes. */
extern const zx_session_policy zx_sessions_default_policy;

typedef struct zx_session {
    long long account_id;
    char csrf[ZX_SESSIONS_TOKEN_LEN + 1];
    long long expires_at;
    long long seen_at;           /* the last use on record */
} zx_session;

/* How long after s->seen_at the next zx_sessions_check under p would
 * record a use again: until then, while nothing in the database changes,
 * a caller may take the session as valid (before s->expires_at) without
 * asking the database. */
long long zx_sessions_step(const zx_session_policy *p);

/* Checks name and password (accounts.h) unless the account or addr has
 * had too many failures within the policy's window.  On success creates
 * a session and writes its token and CSRF token (NUL-terminated, hex).
 * Returns ZX_OK; ZX_EINVAL (wrong name or password, a failure recorded);
 * ZX_EEXIST when rate-limited (nothing checked); ZX_EDB. */
int zx_sessions_login(zx_db *db, const zx_session_policy *p,
                      const char *name, const char *password,
                      const char *addr, long long now,
                      char token[ZX_SESSIONS_TOKEN_LEN + 1],
                      char csrf[ZX_SESSIONS_TOKEN_LEN + 1]);

/* The password check of zx_sessions_login without the session: for
 * asking the password again (before changing it), under the same limits,
 * a failure counting as a failed login.  Returns ZX_OK (*id the
 * account's), ZX_EINVAL, ZX_EEXIST when rate-limited, or ZX_EDB. */
int zx_sessions_verify(zx_db *db, const zx_session_policy *p,
                       const char *name, const char *password,
                       const char *addr, long long now, long long *id);

/* The session of token, if it exists, has not expired, and its account
 * is enabled; its idle clock restarts (to a tenth of the idle limit or
 * ZX_SESSIONS_SEEN_STEP seconds, whichever is less, so that most checks
 * only read).  Returns ZX_OK (filling *s) or
 * ZX_ENOTFOUND. */
int zx_sessions_check(zx_db *db, const zx_session_policy *p,
                      const char *token, long long now, zx_session *s);

/* Ends the session of token (log out).  ZX_OK even when it was gone. */
int zx_sessions_logout(zx_db *db, const char *token);

/* Ends every session of an account (after a password change or when it
 * is disabled). */
int zx_sessions_end_all(zx_db *db, long long account_id);

#endif
