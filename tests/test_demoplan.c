/*
 * test_demoplan.c - the built-in plan set in motion on the demo city:
 * values and task progress written, deterministic for a seed, a mix of
 * statuses, and refused on a database that already has progress.
 */
#include "testutil.h"

#include "demo.h"
#include "demoplan.h"
#include "indicator.h"
#include "planstore.h"

static zx_db *db;
static zx_plan *plan;

static zx_db *city(unsigned long long seed)
{
    zx_db *d = tu_db(tu_tmpdir());
    zx_demo_opts o = { 1, seed, "test" };
    zx_diag *diag = zx_diag_new();

    cr_assert_eq(zx_demo_generate(d, &o, NULL, NULL, NULL), ZX_OK);
    if (!plan)
        cr_assert_eq(zx_plan_load_text(zx_builtin_plan, zx_builtin_plan_len,
                                       "builtin", &plan, diag), ZX_OK);
    zx_diag_free(diag);
    return d;
}

static void teardown(void)
{
    zx_db_close(db);
    zx_plan_free(plan);
    plan = NULL;
}

TestSuite(demoplan, .fini = teardown);

static int count_status(void *ctx, const zx_result *r)
{
    int *seen = ctx;

    if (r->level == ZX_LEVEL_CITY)
        seen[r->status]++;
    return 0;
}

Test(demoplan, fills_values_and_progress)
{
    zx_demoplan_stats st;
    zx_engine *e = NULL;
    zx_diag *diag = zx_diag_new();
    int seen[5] = { 0 };

    db = city(1);
    cr_assert_eq(zx_demoplan_fill(db, plan, 1, 2021, &st), ZX_OK);
    cr_assert(st.values > 10000, "%lld", st.values);
    cr_assert(st.task_rows > 1000);
    cr_assert_eq(zx_db_int(db, "SELECT count(*) FROM data_value", NULL, 0),
                 st.values);
    cr_assert_eq(zx_db_int(db, "SELECT count(DISTINCT status) FROM"
                               " task_progress", NULL, 0), 2,
                 "推进中 and 已完成 (未启动 is not stored)");
    cr_assert_eq(zx_db_int(db, "SELECT max(year) FROM data_value", NULL, 0),
                 2021);
    cr_assert_eq(zx_db_int(db, "SELECT count(*) FROM audit WHERE action ="
                               " 'demo' AND tbl = 'data_value'", NULL, 0), 1);
    /* the pairing programmes' candidates are there to propose from */
    cr_assert(st.pool_members > 0);
    cr_assert_eq(zx_db_int(db, "SELECT count(*) FROM pairing_pool", NULL, 0),
                 st.pool_members);
    cr_assert_eq(zx_db_int(db, "SELECT count(DISTINCT programme) FROM"
                               " pairing_pool WHERE side = 'mentee'", NULL, 0),
                 4);
    cr_assert_eq(zx_db_int(db, "SELECT count(*) FROM pairing", NULL, 0), 0,
                 "pairs are the office's to propose");
    /* a plan in motion: some targets met, some behind */
    cr_assert_eq(zx_engine_open(db, plan, &e, diag), ZX_OK);
    cr_assert_eq(zx_engine_eval(e, NULL, 2021, 1u << ZX_LEVEL_CITY, 0,
                                count_status, seen), ZX_OK);
    cr_assert(seen[ZX_STATUS_MET] > 0);
    cr_assert(seen[ZX_STATUS_BEHIND] > 0);
    zx_engine_close(e);
    zx_diag_free(diag);
    cr_assert_eq(zx_demoplan_fill(db, plan, 1, 2021, &st), ZX_EEXIST,
                 "a second fill is refused");
}

Test(demoplan, deterministic_for_a_seed)
{
    const char *sum = "SELECT total(num * (unit_id % 97 + 1) * (year % 7 + 1))"
                      " FROM data_value";
    zx_db *other;
    long long a, b, c;

    db = city(5);
    cr_assert_eq(zx_demoplan_fill(db, plan, 5, 2021, NULL), ZX_OK);
    a = zx_db_int(db, sum, NULL, 0);
    other = city(5);
    cr_assert_eq(zx_demoplan_fill(other, plan, 5, 2021, NULL), ZX_OK);
    b = zx_db_int(other, sum, NULL, 0);
    zx_db_close(other);
    other = city(5);
    cr_assert_eq(zx_demoplan_fill(other, plan, 6, 2021, NULL), ZX_OK);
    c = zx_db_int(other, sum, NULL, 0);
    zx_db_close(other);
    cr_assert_eq(a, b);
    cr_assert_neq(a, c);
}

/* The demo leaves staffing gaps and a redistribution proposal for make
 * run to show: over- and under-staffed schools every year from the
 * baseline, shortages of scarce subjects at rural schools, and moves of
 * the last year proposed, none accepted. */
Test(demoplan, staffing_and_redistribution)
{
    db = city(1);
    cr_assert_eq(zx_demoplan_fill(db, plan, 1, 2021, NULL), ZX_OK);
    cr_assert_eq(zx_db_int(db, "SELECT count(DISTINCT year) FROM staffing"
                               " WHERE year BETWEEN 2019 AND 2021", NULL, 0),
                 3);
    cr_assert_gt(zx_db_int(db, "SELECT count(*) FROM staffing WHERE year ="
                               " 2021 AND actual > norm", NULL, 0), 0);
    cr_assert_gt(zx_db_int(db, "SELECT count(*) FROM staffing WHERE year ="
                               " 2021 AND actual < norm", NULL, 0), 0);
    cr_assert_gt(zx_db_int(db, "SELECT count(*) FROM itinerant_need WHERE"
                               " year = 2021 AND hours_lacking > 0", NULL, 0),
                 0);
    cr_assert_gt(zx_db_int(db, "SELECT count(*) FROM redistribution WHERE"
                               " year = 2021 AND status = 'proposed'", NULL,
                           0), 0);
    cr_assert_eq(zx_db_int(db, "SELECT count(*) FROM redistribution WHERE"
                               " status = 'accepted'", NULL, 0), 0);
}
