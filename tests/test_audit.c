/*
 * test_audit.c - the hash-chained audit log: an intact chain verifies;
 * editing, deleting or inserting an entry behind the program's back is
 * found at that entry.
 */
#include "testutil.h"

#include "audit.h"

static zx_db *filled(const char *dir)
{
    zx_db *db = tu_db(dir);
    int i;

    cr_assert_eq(zx_db_begin(db), ZX_OK);
    for (i = 0; i < 5; i++) {
        char key[8];
        zx_audit_entry e = { "test", "", "update", "teacher", key,
                             "{\"school_code\":\"3206840001\"}",
                             "{\"school_code\":\"3206840002\"}" };
        snprintf(key, sizeof(key), "T%d", i);
        cr_assert_eq(zx_audit_append(db, &e), ZX_OK);
    }
    cr_assert_eq(zx_db_commit(db), ZX_OK);
    return db;
}

Test(audit, intact_chain_verifies)
{
    zx_db *db = filled(tu_tmpdir());
    long long bad = -1;

    cr_assert_eq(zx_audit_verify(db, &bad), ZX_OK);
    cr_assert_eq(bad, 0);
    zx_db_close(db);
}

Test(audit, edited_entry_is_found)
{
    zx_db *db = filled(tu_tmpdir());
    long long bad;

    cr_assert_eq(zx_db_exec(db, "UPDATE audit SET new ="
                                " '{\"school_code\":\"3206849999\"}'"
                                " WHERE id = 3"), ZX_OK);
    cr_assert_eq(zx_audit_verify(db, &bad), ZX_EDATA);
    cr_assert_eq(bad, 3);
    zx_db_close(db);
}

Test(audit, deleted_entry_is_found)
{
    zx_db *db = filled(tu_tmpdir());
    long long bad;

    cr_assert_eq(zx_db_exec(db, "DELETE FROM audit WHERE id = 2"), ZX_OK);
    cr_assert_eq(zx_audit_verify(db, &bad), ZX_EDATA);
    cr_assert_eq(bad, 3);
    zx_db_close(db);
}

Test(audit, replaced_hash_is_found)
{
    zx_db *db = filled(tu_tmpdir());
    long long bad;

    /* without the chain's history a forger cannot produce the hash */
    cr_assert_eq(zx_db_exec(db, "UPDATE audit SET actor = 'forger',"
                                " hash = randomblob(32) WHERE id = 2"),
                 ZX_OK);
    cr_assert_eq(zx_audit_verify(db, &bad), ZX_EDATA);
    cr_assert_eq(bad, 2);
    zx_db_close(db);
}

Test(audit, cut_off_newest_entries_are_found)
{
    zx_db *db = filled(tu_tmpdir());
    long long bad;

    cr_assert_eq(zx_db_exec(db, "DELETE FROM audit WHERE id >= 4"), ZX_OK);
    cr_assert_eq(zx_audit_verify(db, &bad), ZX_EDATA);
    cr_assert_eq(bad, 4, "the first entry missing");
    zx_db_close(db);
}

Test(audit, an_empty_log_verifies)
{
    zx_db *db = tu_db(tu_tmpdir());
    long long bad;

    cr_assert_eq(zx_audit_verify(db, &bad), ZX_OK);
    zx_db_close(db);
}

/* zhenxing audit verify: exit 0 on an intact log, 1 with the entry named
 * once a row was edited behind the program's back. */
Test(audit, cli_verify_and_list)
{
    const char *dir = tu_tmpdir();
    zx_db *db = filled(dir);
    char cmd[1024];

    zx_db_close(db);
    snprintf(cmd, sizeof(cmd), "%s --db %s audit verify >/dev/null", ZX_BIN,
             tu_path(dir, "zx.db"));
    cr_assert_eq(tu_sh(cmd), 0);
    snprintf(cmd, sizeof(cmd), "%s --db %s audit --table teacher --limit 2"
             " | grep -c T4 >/dev/null", ZX_BIN, tu_path(dir, "zx.db"));
    cr_assert_eq(tu_sh(cmd), 0, "the newest entry is listed");
    snprintf(cmd, sizeof(cmd), "sqlite3 %s \"UPDATE audit SET key = 'T9'"
             " WHERE id = 3\"", tu_path(dir, "zx.db"));
    cr_assert_eq(tu_sh(cmd), 0);
    snprintf(cmd, sizeof(cmd), "%s --db %s audit verify 2>&1 | grep -q"
             " '第 3 条'", ZX_BIN, tu_path(dir, "zx.db"));
    cr_assert_eq(tu_sh(cmd), 0);
    snprintf(cmd, sizeof(cmd), "%s --db %s audit verify 2>/dev/null", ZX_BIN,
             tu_path(dir, "zx.db"));
    cr_assert_eq(tu_sh(cmd), 1);
}
