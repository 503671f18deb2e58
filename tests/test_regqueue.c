/*
 * test_regqueue.c - the registry write queue: order, counts across many
 * batches, and a failing put reported with its tag while the rest is
 * drained.
 */
#include "testutil.h"

#include "regqueue.h"

static void school(zx_registry *reg, const char *code)
{
    zx_school_rec r = { code, "甲小学", "海门街道", NULL, 211, 111, 1, 21, 0,
                        0, 0, 0 };
    int put;

    cr_assert_eq(zx_registry_put_school(reg, &r, &put), ZX_OK);
}

Test(regqueue, applies_in_order_across_batches)
{
    const char *dir = tu_tmpdir();
    zx_db *db = tu_db(dir);
    zx_registry *reg;
    zx_regqueue *q;
    zx_regqueue_result res;
    char no[16], name[16];
    int i;

    cr_assert_eq(zx_db_begin(db), ZX_OK);
    cr_assert_eq(zx_registry_open(db, "test", &reg), ZX_OK);
    school(reg, "3206840001");
    cr_assert_eq(zx_regqueue_start(reg, ZX_REC_TEACHER, &q), ZX_OK);
    /* 10,000 teachers, then the first one again with a new name: the
     * later put must win, so order is kept across batch boundaries */
    for (i = 0; i <= 10000; i++) {
        zx_teacher_rec t = { no, name, 1, "1980-01", "3206840001", 2, 13,
                             3, 1, 1, 2010, 0 };
        snprintf(no, sizeof(no), "T%07d", i % 10000);
        snprintf(name, sizeof(name), "%s", i == 10000 ? "后来" : "先前");
        cr_assert_eq(zx_regqueue_put(q, &t, i + 2), ZX_OK);
    }
    zx_regqueue_finish(q, &res);
    cr_assert_eq(res.rc, ZX_OK);
    cr_assert_eq(res.inserted, 10000);
    cr_assert_eq(res.updated, 1);
    cr_assert_eq(zx_db_int(db, "SELECT count(*) FROM teacher WHERE name ="
                               " '后来' AND teacher_no = 'T0000000'", NULL,
                           0), 1);
    zx_registry_close(reg);
    zx_db_rollback(db);
    zx_db_close(db);
}

Test(regqueue, a_failed_put_is_reported_with_its_tag)
{
    const char *dir = tu_tmpdir();
    zx_db *db = tu_db(dir);
    zx_registry *reg;
    zx_regqueue *q;
    zx_regqueue_result res;
    int i, rc = ZX_OK;

    cr_assert_eq(zx_db_begin(db), ZX_OK);
    cr_assert_eq(zx_registry_open(db, "test", &reg), ZX_OK);
    school(reg, "3206840001");
    cr_assert_eq(zx_regqueue_start(reg, ZX_REC_ENROL, &q), ZX_OK);
    for (i = 0; i < 20000 && rc == ZX_OK; i++) {
        /* row 7 names a school that does not exist */
        zx_enrol_rec e = { i == 5 ? "3206849999" : "3206840001",
                           2000 + i % 100, 100, 4, 0, 0 };
        rc = zx_regqueue_put(q, &e, i + 2);
    }
    zx_regqueue_finish(q, &res);
    cr_assert_eq(res.rc, ZX_ENOTFOUND);
    cr_assert_eq(res.fail_tag, 7);
    cr_assert_eq(res.inserted, 5, "rows before the failure were applied");
    zx_registry_close(reg);
    zx_db_rollback(db);
    zx_db_close(db);
}
