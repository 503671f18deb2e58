/*
 * demo.h - the synthetic data generator: a plausible Haimen-sized city of
 * schools, enrolment, teachers and teachers' roles, for demonstrations,
 * tests and benchmarks.
 *
 * The data go in through the registry (registry.h), exactly as imported
 * data would, so they obey the same rules and leave the same traces.  The
 * city follows ../shared/domain.md: the 12 towns of Haimen, about 130
 * schools, 7,000-9,000 teachers, 90,000-110,000 students a year over
 * 2019-2022, with the unevenness the plan sets out to fix (small rural
 * schools, scarce subjects missing in the countryside, substitute teachers,
 * too few seed and model teachers).  A larger scale repeats the city as
 * synthetic counties with their own town names, for benchmarks.
 *
 * Output depends only on the options: the generator has its own PRNG, so
 * the same seed gives byte-identical tables on any machine with IEEE
 * doubles.  Nothing here describes a real school or teacher; the database
 * is marked with meta key "synthetic" = "1" (and "synthetic_seed",
 * "synthetic_scale"), and every output should carry zx_demo_banner.
 */
#ifndef ZX_DEMO_H
#define ZX_DEMO_H

#include "db.h"
#include "table.h"

/* Enrolment is generated for ZX_DEMO_NYEARS years from ZX_DEMO_FIRST_YEAR:
 * the plan's baseline 2019 and its years 2020-2022. */
#define ZX_DEMO_FIRST_YEAR 2019
#define ZX_DEMO_NYEARS 4

/* Largest scale: teacher numbers ("T" + 7 digits) and county codes run
 * out beyond it. */
#define ZX_DEMO_MAX_SCALE 1000

/* --scale province: about a province's worth of schools and teachers. */
#define ZX_DEMO_PROVINCE 100

typedef struct zx_demo_opts {
    int scale;                /* number of city-sized counties, 1..MAX */
    unsigned long long seed;  /* any value; same seed, same data */
    const char *actor;        /* for the audit log; NULL = "demo" */
} zx_demo_opts;

typedef struct zx_demo_stats {
    long long towns, groups, schools, teachers, roles;
    long long substitutes;                /* employment 代课 */
    long long students[ZX_DEMO_NYEARS];   /* per year, from FIRST_YEAR */
} zx_demo_stats;

/* "（合成数据：仅供演示和测试，不代表任何真实学校或教师）" */
extern const char zx_demo_banner[];

/* Fills db, which must have its city (zhenxing init) and no school yet,
 * inside one transaction that is rolled back on any failure.  progress,
 * when not NULL, is called with schools done and schools in total.
 * Returns ZX_OK and fills *stats (may be NULL); ZX_EINVAL for a scale out
 * of range; ZX_ENOTFOUND when the database has no city; ZX_EEXIST when it
 * already has schools (nothing is written); ZX_EDB or ZX_ENOMEM. */
int zx_demo_generate(zx_db *db, const zx_demo_opts *o,
                     zx_progress_fn progress, void *pctx,
                     zx_demo_stats *stats);

#endif
