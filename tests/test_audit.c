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
