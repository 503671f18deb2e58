/*
 * bench/indicators/latency.c - how long a city-level dashboard read takes
 * right after a single value is written, the way the server will do it:
 * one engine kept open over the database, a value set through the values
 * module (its own transaction), then every indicator of the plan in force
 * evaluated at the city level.  Prints p50, p95 and the maximum over the
 * rounds.  Target: p95 under 100 ms at province scale.
 *
 * Usage: latency DB [ROUNDS]
 */
#include "indicator.h"
#include "planstore.h"
#include "values.h"
#include "zx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int count(void *ctx, const zx_result *r)
{
    (void)r;
    ++*(int *)ctx;
    return 0;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    zx_db *db = NULL;
    zx_plan *plan = NULL;
    zx_engine *e = NULL;
    zx_diag *d = zx_diag_new();
    const zx_data_element *des;
    char err[256] = "", code[32];
    int rounds = argc > 2 ? atoi(argv[2]) : 50, i, j = 0, ndes, results;
    int year;
    long long schools;
    double *t, t0, cold;

    if (argc < 2 || zx_db_open(argv[1], 0, &db, err, sizeof(err)) ||
        zx_planstore_get(db, &plan, d) ||
        zx_engine_open(db, plan, &e, d) || !(t = malloc(sizeof(double) *
                                                        (size_t)rounds))) {
        fprintf(stderr, "latency: cannot open %s: %s\n",
                argc > 1 ? argv[1] : "",
                zx_diag_count(d) ? zx_diag_get(d, 0)->msg : err);
        return 1;
    }
    des = zx_plan_elements(plan, &ndes);
    year = zx_values_current_year(plan);
    schools = zx_db_int(db, "SELECT count(*) FROM school", NULL, 0);
    t0 = now_ms();
    results = 0;
    zx_engine_eval(e, NULL, year, 1u << ZX_LEVEL_CITY, 0, count, &results);
    cold = now_ms() - t0;
    for (i = 0; i < rounds; i++) {
        const zx_data_element *de;
        sqlite3_stmt *st;
        int change;

        /* the next yes/no element of a school: a clerk ticking a box */
        do
            de = &des[j++ % ndes];
        while (de->level != ZX_LEVEL_SCHOOL || de->type != ZX_DE_BOOL);
        st = zx_db_prepare(db, "SELECT code FROM org_unit WHERE kind ="
                               " 'school' ORDER BY id LIMIT 1 OFFSET ?1");
        sqlite3_bind_int64(st, 1, (i * 7919) % schools);
        sqlite3_step(st);
        snprintf(code, sizeof(code), "%s", sqlite3_column_text(st, 0));
        sqlite3_reset(st);
        zx_diag_clear(d);
        if (zx_values_set(db, plan, de->id, code, year, i % 2 ? "是" : "否",
                          "bench", d, &change)) {
            fprintf(stderr, "latency: write failed: %s\n",
                    zx_diag_count(d) ? zx_diag_get(d, 0)->msg : "");
            return 1;
        }
        t0 = now_ms();
        results = 0;
        zx_engine_eval(e, NULL, year, 1u << ZX_LEVEL_CITY, 0, count, &results);
        t[i] = now_ms() - t0;
    }
    qsort(t, (size_t)rounds, sizeof(*t), cmp);
    printf("dashboard read after a write  p50 %.1f ms  p95 %.1f ms  max %.1f ms"
           "  (%d rounds, %d indicators; first, cold read %.0f ms)\n",
           t[rounds / 2], t[(rounds * 95) / 100], t[rounds - 1], rounds,
           results, cold);
    free(t);
    zx_engine_close(e);
    zx_plan_free(plan);
    zx_diag_free(d);
    zx_db_close(db);
    return 0;
}
