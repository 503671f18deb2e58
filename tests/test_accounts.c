/*
 * test_accounts.c - accounts: roles tied to the right kind of unit,
 * argon2id passwords checked and changed, disabling, the audit trail that
 * never holds a password, and the user command reading the password from
 * standard input.
 */
#include "testutil.h"

#include "accounts.h"

static const char *dir;
static zx_db *db;
static zx_diag *diag;

static void setup(void)
{
    static const zx_school_rec s = { "3206840001", "甲小学", "常乐镇", NULL,
                                     211, 121, 1, 21, 0, 0, 0, 0 };

    dir = tu_tmpdir();
    db = tu_db(dir);
    diag = zx_diag_new();
    tu_registry_fill(db, &(tu_city){ .schools = { &s, 1 } });
}

static void teardown(void)
{
    zx_diag_free(diag);
    zx_db_close(db);
}

TestSuite(accounts, .init = setup, .fini = teardown);

Test(accounts, roles_and_units)
{
    cr_assert_eq(zx_accounts_add(db, "office", "管理员", "320684",
                                 "long enough", "test", diag), ZX_OK);
    cr_assert_eq(zx_accounts_add(db, "clerk", "学校", "3206840001",
                                 "long enough", "test", diag), ZX_OK);
    cr_assert_eq(zx_accounts_add(db, "town", "区镇", "320684T001",
                                 "long enough", "test", diag), ZX_OK);
    cr_assert_eq(zx_accounts_add(db, "bad", "学校", "320684",
                                 "long enough", "test", diag), ZX_EINVAL,
                 "a school clerk's unit is a school");
    cr_assert(strstr(tu_diag_text(diag, 0), "角色“学校”的单位应为学校"), "%s",
              tu_diag_text(diag, 0));
    cr_assert_eq(zx_accounts_add(db, "bad", "校长", "320684", "long enough",
                                 "test", diag), ZX_EINVAL);
    cr_assert_eq(zx_accounts_add(db, "bad", "管理员", "999", "long enough",
                                 "test", diag), ZX_ENOTFOUND);
    cr_assert_eq(zx_accounts_add(db, "office", "管理员", "320684",
                                 "long enough", "test", diag), ZX_EEXIST);
    cr_assert_eq(zx_accounts_add(db, "short", "管理员", "320684", "1234567",
                                 "test", diag), ZX_EINVAL);
    cr_assert_eq(zx_db_int(db, "SELECT count(*) FROM account", NULL, 0), 3);
}

Test(accounts, passwords_are_hashed_checked_and_changed)
{
    long long id;

    cr_assert_eq(zx_accounts_add(db, "office", "管理员", "320684",
                                 "correct horse", "test", diag), ZX_OK);
    cr_assert_eq(zx_db_int(db, "SELECT count(*) FROM account WHERE"
                               " pass_hash LIKE '$argon2id$%'", NULL, 0), 1);
    cr_assert_eq(zx_accounts_check(db, "office", "correct horse", &id),
                 ZX_OK);
    cr_assert(id > 0);
    cr_assert_eq(zx_accounts_check(db, "office", "wrong horse", &id),
                 ZX_EINVAL);
    cr_assert_eq(zx_accounts_check(db, "nobody", "correct horse", &id),
                 ZX_EINVAL);
    cr_assert_eq(zx_accounts_set_password(db, "office", "battery staple",
                                          "test", diag), ZX_OK);
    cr_assert_eq(zx_accounts_check(db, "office", "correct horse", &id),
                 ZX_EINVAL);
    cr_assert_eq(zx_accounts_check(db, "office", "battery staple", &id),
                 ZX_OK);
    cr_assert_eq(zx_accounts_set_disabled(db, "office", 1, "test"), ZX_OK);
    cr_assert_eq(zx_accounts_check(db, "office", "battery staple", &id),
                 ZX_EINVAL, "a disabled account cannot log in");
    cr_assert_eq(zx_accounts_set_disabled(db, "nobody", 1, "test"),
                 ZX_ENOTFOUND);
    /* every change is audited, no password or hash in the log */
    cr_assert_eq(zx_db_int(db, "SELECT count(*) FROM audit WHERE"
                               " tbl = 'account'", NULL, 0), 3);
    cr_assert_eq(zx_db_int(db, "SELECT count(*) FROM audit WHERE"
                               " new LIKE '%horse%' OR new LIKE '%staple%'"
                               " OR new LIKE '%argon2%'", NULL, 0), 0);
}

Test(accounts, cli_reads_the_password_from_stdin)
{
    char cmd[1024];
    const char *p = tu_path(dir, "zx.db");

    zx_db_close(db);
    db = NULL;
    snprintf(cmd, sizeof(cmd), "echo 'secret pass' | %s --db %s user add"
             " 王老师 --role 学校 --unit 3206840001 >/dev/null", ZX_BIN, p);
    cr_assert_eq(tu_sh(cmd), 0);
    snprintf(cmd, sizeof(cmd), "%s --db %s user list | grep -q 王老师",
             ZX_BIN, p);
    cr_assert_eq(tu_sh(cmd), 0);
    snprintf(cmd, sizeof(cmd), "echo short | %s --db %s user passwd 王老师"
             " 2>/dev/null", ZX_BIN, p);
    cr_assert_eq(tu_sh(cmd), 65);
    snprintf(cmd, sizeof(cmd), "%s --db %s user disable 王老师 >/dev/null",
             ZX_BIN, p);
    cr_assert_eq(tu_sh(cmd), 0);
    snprintf(cmd, sizeof(cmd), "%s --db %s user list | grep -q 已停用",
             ZX_BIN, p);
    cr_assert_eq(tu_sh(cmd), 0);
    cr_assert_eq(zx_db_open(p, 0, &db, NULL, 0), ZX_OK);
}

/* The server passes fields missing from a request as NULL (this crashed
 * the server's POST /api/users). */
Test(accounts, missing_fields_are_refused_not_crashed_on)
{
    cr_assert_eq(zx_accounts_add(db, "a", NULL, "320684", "long enough",
                                 "test", diag), ZX_EINVAL);
    cr_assert_eq(zx_accounts_add(db, "b", "管理员", NULL, "long enough",
                                 "test", diag), ZX_EINVAL);
    cr_assert_eq(zx_accounts_add(db, NULL, "管理员", "320684", "long enough",
                                 "test", diag), ZX_EINVAL);
    cr_assert_eq(zx_accounts_add(db, "c", "管理员", "320684", NULL, "test",
                                 diag), ZX_EINVAL);
    cr_assert_eq(zx_db_int(db, "SELECT count(*) FROM account", NULL, -1), 0);
}

/* First start: one admin with a random password, and only once. */
Test(accounts, bootstrap_creates_one_admin_once)
{
    char pw[ZX_ACCOUNTS_RANDOM_LEN + 1], pw2[ZX_ACCOUNTS_RANDOM_LEN + 1];
    long long id;

    cr_assert_eq(zx_accounts_bootstrap(db, pw), ZX_OK);
    cr_assert_eq(strlen(pw), ZX_ACCOUNTS_RANDOM_LEN);
    cr_assert_eq(zx_accounts_check(db, "admin", pw, &id), ZX_OK);
    cr_assert_eq(zx_accounts_bootstrap(db, pw2), ZX_EEXIST);
    zx_accounts_random_password(pw2);
    cr_assert_str_neq(pw, pw2);
}
