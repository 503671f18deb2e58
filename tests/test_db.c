/*
 * test_db.c - the database handle: migrations applied once and recorded,
 * a newer database refused, settings, and the online backup.
 */
#include "testutil.h"

Test(db, migrations_once_and_recorded)
{
    const char *dir = tu_tmpdir();
    zx_db *db = tu_db(dir);

    cr_assert_eq(zx_db_int(db, "PRAGMA user_version", NULL, -1),
                 zx_db_schema_version());
    cr_assert_eq(zx_db_int(db, "PRAGMA journal_mode = WAL", NULL, 0), 0,
                 "WAL (the pragma answers a text)");
    cr_assert_eq(zx_db_int(db, "PRAGMA foreign_keys", NULL, 0), 1);
    zx_db_close(db);
    /* reopening changes nothing */
    cr_assert_eq(zx_db_open(tu_path(dir, "zx.db"), 0, &db, NULL, 0), ZX_OK);
    cr_assert_eq(zx_db_int(db, "SELECT count(*) FROM org_unit", NULL, 0), 1);
    zx_db_close(db);
}

Test(db, a_newer_database_is_refused)
{
    const char *dir = tu_tmpdir();
    zx_db *db = tu_db(dir);
    char err[256], sql[64];

    snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
             zx_db_schema_version() + 1);
    cr_assert_eq(zx_db_exec(db, sql), ZX_OK);
    zx_db_close(db);
    cr_assert_eq(zx_db_open(tu_path(dir, "zx.db"), 0, &db, err, sizeof(err)),
                 ZX_EDB);
    cr_assert(strstr(err, "请升级 zhenxing"), "%s", err);
}

Test(db, a_missing_file_is_not_created_without_asking)
{
    zx_db *db = NULL;
    char err[256];

    cr_assert_eq(zx_db_open(tu_path(tu_tmpdir(), "none.db"), 0, &db, err,
                            sizeof(err)), ZX_EDB);
    cr_assert(strstr(err, "zhenxing init"), "%s", err);
}

Test(db, meta_settings)
{
    zx_db *db = tu_db(tu_tmpdir());
    char *v;

    cr_assert_null(zx_db_meta_get(db, "k"));
    cr_assert_eq(zx_db_meta_set(db, "k", "一"), ZX_OK);
    cr_assert_eq(zx_db_meta_set(db, "k", "二"), ZX_OK);
    v = zx_db_meta_get(db, "k");
    cr_assert_str_eq(v, "二");
    free(v);
    zx_db_close(db);
}

/* The backup is a consistent copy even with a writer at work: every
 * committed transaction is in it whole or not at all. */
Test(db, backup_is_consistent_while_written)
{
    const char *dir = tu_tmpdir();
    zx_db *db = tu_db(dir), *w = NULL, *copy = NULL;
    int i;

    cr_assert_eq(zx_db_exec(db, "CREATE TABLE pair (a INTEGER, b INTEGER)"),
                 ZX_OK);
    for (i = 0; i < 2000; i++) {
        char sql[96];
        snprintf(sql, sizeof(sql), "INSERT INTO pair VALUES (%d, %d)", i, i);
        cr_assert_eq(zx_db_exec(db, sql), ZX_OK);
    }
    cr_assert_eq(zx_db_open(tu_path(dir, "zx.db"), 0, &w, NULL, 0), ZX_OK);
    /* a writer on another connection between backup steps */
    cr_assert_eq(zx_db_exec(w, "BEGIN; UPDATE pair SET a = a + 1, b = b + 1;"
                               " COMMIT"), ZX_OK);
    cr_assert_eq(zx_db_backup(db, tu_path(dir, "copy.db")), ZX_OK);
    cr_assert_eq(tu_entries(dir), 4, "zx.db, -wal, -shm and copy.db only");
    cr_assert_eq(zx_db_exec(w, "UPDATE pair SET a = a + 1"), ZX_OK);
    cr_assert_eq(zx_db_open(tu_path(dir, "copy.db"), 0, &copy, NULL, 0),
                 ZX_OK);
    cr_assert_eq(zx_db_int(copy, "SELECT count(*) FROM pair WHERE a != b",
                           NULL, -1), 0, "no half transaction in the copy");
    cr_assert_eq(zx_db_int(copy, "SELECT count(*) FROM pair", NULL, -1),
                 2000);
    zx_db_close(copy);
    zx_db_close(w);
    zx_db_close(db);
}
