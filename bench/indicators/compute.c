/*
 * bench/indicators/compute.c - zhenxing's compute step alone, to set
 * beside pandas' compute step (peer.py times its CSV reading apart):
 * every indicator of the plan in force, at every level, for one year.
 *
 * The first evaluation loads what the indicators read into memory
 * (columns, colvm.c) and computes; it is reported as "load+compute".
 * Then the cached totals are dropped (zx_engine_sql_only(e, 0) clears
 * them and keeps the columns) and the evaluation repeated: the best of
 * the rounds is the compute step, the work pandas does once its frames
 * are in memory.
 *
 * Usage: compute DB YEAR [ROUNDS]
 * Prints "load+compute SECONDS", "compute SECONDS" and "results N".
 */
#include "indicator.h"
#include "planstore.h"
#include "zx.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_s(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int count(void *ctx, const zx_result *r)
{
    (void)r;
    ++*(long *)ctx;
    return 0;
}

int main(int argc, char **argv)
{
    const unsigned all = (1u << ZX_LEVEL_CITY) | (1u << ZX_LEVEL_TOWN) |
                         (1u << ZX_LEVEL_GROUP) | (1u << ZX_LEVEL_SCHOOL);
    zx_db *db = NULL;
    zx_plan *plan = NULL;
    zx_engine *e = NULL;
    zx_diag *d = zx_diag_new();
    char err[256];
    int year = argc > 2 ? atoi(argv[2]) : 0;
    int rounds = argc > 3 ? atoi(argv[3]) : 5, i, rc = 1;
    long results = 0;
    double t0, first, best = 1e9;

    if (argc < 3 || zx_db_open(argv[1], 0, &db, err, sizeof(err)) ||
        zx_planstore_get(db, &plan, d) || zx_engine_open(db, plan, &e, d)) {
        fprintf(stderr, "compute: cannot open %s\n", argc > 1 ? argv[1] : "");
        goto out;
    }
    t0 = now_s();
    if (zx_engine_eval(e, NULL, year, all, 0, count, &results))
        goto out;
    first = now_s() - t0;
    for (i = 0; i < rounds; i++) {
        long n = 0;
        double t;

        zx_engine_sql_only(e, 0);
        t0 = now_s();
        if (zx_engine_eval(e, NULL, year, all, 0, count, &n))
            goto out;
        t = now_s() - t0;
        if (t < best)
            best = t;
    }
    printf("load+compute %.4f\ncompute %.4f\nresults %ld\n", first, best,
           results);
    rc = 0;
out:
    zx_engine_close(e);
    zx_plan_free(plan);
    zx_db_close(db);
    zx_diag_free(d);
    return rc;
}
