/*
 * test_sessions.c - logging in: sessions that expire when idle and in
 * all, logout, rate limiting per account and per address, and sessions
 * ended by a password change or a disabled account.
 */
#include "testutil.h"

#include "accounts.h"
#include "sessions.h"

#include <time.h>

static zx_db *db;
static const zx_session_policy P = { 100, 1000, 3, 60 };

static void setup(void)
{
    zx_diag *d = zx_diag_new();

    db = tu_db(tu_tmpdir());
    cr_assert_eq(zx_accounts_add(db, "office", "管理员", "320684",
                                 "correct horse", "test", d), ZX_OK);
    zx_diag_free(d);
}

static void teardown(void)
{
    zx_db_close(db);
}

TestSuite(sessions, .init = setup, .fini = teardown);

Test(sessions, login_check_expire_logout)
{
    char tok[ZX_SESSIONS_TOKEN_LEN + 1], csrf[ZX_SESSIONS_TOKEN_LEN + 1];
    char tok2[ZX_SESSIONS_TOKEN_LEN + 1];
    zx_session s;

    cr_assert_eq(zx_sessions_login(db, &P, "office", "correct horse",
                                   "127.0.0.1", 1000, tok, csrf), ZX_OK);
    cr_assert_eq(strlen(tok), ZX_SESSIONS_TOKEN_LEN);
    cr_assert_str_neq(tok, csrf);
    cr_assert_eq(zx_db_int(db, "SELECT count(*) FROM session WHERE"
                               " token_hash = ?1", tok, -1), 0,
                 "only the token's hash is stored");
    cr_assert_eq(zx_sessions_check(db, &P, tok, 1050, &s), ZX_OK);
    cr_assert_str_eq(s.csrf, csrf);
    /* used at 1050: still alive at 1149, idle-expired at 1151 */
    cr_assert_eq(zx_sessions_check(db, &P, tok, 1149, &s), ZX_OK);
    cr_assert_eq(zx_sessions_check(db, &P, tok, 1250, &s), ZX_ENOTFOUND);
    /* max age: used often, still ends after 1000 s */
    cr_assert_eq(zx_sessions_login(db, &P, "office", "correct horse",
                                   "127.0.0.1", 2000, tok2, csrf), ZX_OK);
    for (long long t = 2050; t < 3000; t += 50)
        cr_assert_eq(zx_sessions_check(db, &P, tok2, t, &s), ZX_OK);
    cr_assert_eq(zx_sessions_check(db, &P, tok2, 3001, &s), ZX_ENOTFOUND);
    cr_assert_eq(zx_sessions_login(db, &P, "office", "correct horse",
                                   "127.0.0.1", 4000, tok, csrf), ZX_OK);
    cr_assert_eq(zx_sessions_logout(db, tok), ZX_OK);
    cr_assert_eq(zx_sessions_check(db, &P, tok, 4001, &s), ZX_ENOTFOUND);
    cr_assert_eq(zx_sessions_check(db, &P, "not a token", 4001, &s),
                 ZX_ENOTFOUND);
}

Test(sessions, rate_limited_per_account_and_address)
{
    char tok[ZX_SESSIONS_TOKEN_LEN + 1], csrf[ZX_SESSIONS_TOKEN_LEN + 1];
    int i;

    for (i = 0; i < 3; i++)
        cr_assert_eq(zx_sessions_login(db, &P, "office", "wrong",
                                       "10.0.0.1", 100 + i, tok, csrf),
                     ZX_EINVAL);
    /* the right password is refused too while limited, from anywhere */
    cr_assert_eq(zx_sessions_login(db, &P, "office", "correct horse",
                                   "10.0.0.2", 110, tok, csrf), ZX_EEXIST);
    /* the address is limited for other names as well */
    cr_assert_eq(zx_sessions_login(db, &P, "nobody", "x", "10.0.0.1", 110,
                                   tok, csrf), ZX_EEXIST);
    /* once the window has passed */
    cr_assert_eq(zx_sessions_login(db, &P, "office", "correct horse",
                                   "10.0.0.2", 200, tok, csrf), ZX_OK);
}

Test(sessions, password_change_and_disable_end_sessions)
{
    char tok[ZX_SESSIONS_TOKEN_LEN + 1], csrf[ZX_SESSIONS_TOKEN_LEN + 1];
    zx_session s;
    zx_diag *d = zx_diag_new();
    time_t now = time(NULL);

    cr_assert_eq(zx_sessions_login(db, &P, "office", "correct horse", "a",
                                   now, tok, csrf), ZX_OK);
    cr_assert_eq(zx_accounts_set_password(db, "office", "battery staple",
                                          "test", d), ZX_OK);
    cr_assert_eq(zx_sessions_check(db, &P, tok, now, &s), ZX_ENOTFOUND);
    cr_assert_eq(zx_sessions_login(db, &P, "office", "battery staple", "a",
                                   now, tok, csrf), ZX_OK);
    cr_assert_eq(zx_accounts_set_disabled(db, "office", 1, "test"), ZX_OK);
    cr_assert_eq(zx_sessions_check(db, &P, tok, now, &s), ZX_ENOTFOUND);
    zx_diag_free(d);
}

/* Asking for the password again (before a change) is limited like a
 * login: otherwise a borrowed session could guess it freely. */
Test(sessions, verify_counts_failures_like_a_login)
{
    char tok[ZX_SESSIONS_TOKEN_LEN + 1], csrf[ZX_SESSIONS_TOKEN_LEN + 1];
    long long id = 0;
    int i;

    cr_assert_eq(zx_sessions_verify(db, &P, "office", "correct horse",
                                    "10.0.0.9", 100, &id), ZX_OK);
    cr_assert(id > 0);
    for (i = 0; i < 3; i++)
        cr_assert_eq(zx_sessions_verify(db, &P, "office", "guess",
                                        "10.0.0.9", 101 + i, &id), ZX_EINVAL);
    cr_assert_eq(zx_sessions_verify(db, &P, "office", "correct horse",
                                    "10.0.0.9", 110, &id), ZX_EEXIST);
    cr_assert_eq(zx_sessions_login(db, &P, "office", "correct horse",
                                   "10.0.0.3", 110, tok, csrf), ZX_EEXIST);
}
