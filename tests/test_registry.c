/*
 * test_registry.c - the registry's keyed upserts, as a long-lived
 * connection (the server's) sees them.
 */
#include "testutil.h"

/* Nothing of a put may stay open once its transaction ends: a statement
 * left on a row keeps its read snapshot, and a server thread reusing the
 * connection read old data and failed its next write as busy. */
Test(registry, puts_leave_no_statement_open)
{
    const char *dir = tu_tmpdir();
    zx_db *db = tu_db(dir);
    zx_registry *reg;
    zx_school_rec s = { "3206840001", "甲小学", "常乐镇", NULL, 211, 121, 1,
                        21, 0, 0, 0, 0 };
    zx_enrol_rec e = { "3206840001", 2021, 300, 10, 0, 1 };
    zx_teacher_rec t = { "T1", "张三", 1, "1985-01", "3206840001", 2, 1, 3,
                         1, 1, 2010, 0 };
    zx_role_rec r = { "T1", "骨干教师", "市级", 2020, 0 };
    sqlite3_stmt *st = NULL;
    int put, pass;

    /* the second pass updates every record: the path that read the
     * current row */
    for (pass = 0; pass < 2; pass++) {
        s.name = pass ? "甲小学（新）" : "甲小学";
        e.students = 300 + pass;
        t.name = pass ? "张三丰" : "张三";
        r.end_year = pass ? 2022 : 0;
        cr_assert_eq(zx_db_begin(db), ZX_OK);
        cr_assert_eq(zx_registry_open(db, "test", &reg), ZX_OK);
        cr_assert_eq(zx_registry_put_school(reg, &s, &put), ZX_OK);
        cr_assert_eq(zx_registry_put_enrolment(reg, &e, &put), ZX_OK);
        cr_assert_eq(zx_registry_put_teacher(reg, &t, &put), ZX_OK);
        cr_assert_eq(zx_registry_put_role(reg, &r, &put), ZX_OK);
        cr_assert_eq(put, pass ? ZX_PUT_UPDATED : ZX_PUT_INSERTED);
        zx_registry_close(reg);
        cr_assert_eq(zx_db_commit(db), ZX_OK);
        while ((st = sqlite3_next_stmt(zx_db_sqlite(db), st)))
            cr_assert(!sqlite3_stmt_busy(st), "left open: %s",
                      sqlite3_sql(st));
    }
    zx_db_close(db);
}
