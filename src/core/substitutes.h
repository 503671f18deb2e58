/*
 * substitutes.h - eliminating substitute teachers (代课教师, clause
 * 3.4.3-T9): the yearly head count per school (table substitute_count,
 * since the teacher table holds only the present), and the trajectory
 * from the baseline year's count to zero.
 *
 * The year's "substitutes" rules give the baseline year B [baseline_year]
 * and the year T the count reaches zero [target_year]; the plan's
 * indicator substitutes ramps the same way ({ramp_to: 0, by: 2024}).
 * In year Y the allowance is baseline x (T - Y) / (T - B), held between
 * 0 and the baseline: for the city as it is (10 in 2019 gives 8 in 2020),
 * for a school rounded up, since a head count is whole and a school is
 * not to be called behind for a fraction (3 in 2021: 1.8, so 2).  A
 * school is behind when its count of the year exceeds its allowance,
 * the difference being the number to shed.  A school with no count of
 * the baseline year has baseline 0: a school that had none is to hire
 * none.
 *
 * Counts come from a snapshot of the registry (teachers whose employment
 * is 代课, written for a year), one school's count set by hand, or an
 * import of a sheet 学校标识码, 年度, 代课教师数.  Each is audited.
 */
#ifndef ZX_SUBSTITUTES_H
#define ZX_SUBSTITUTES_H

#include <jansson.h>

#include "db.h"
#include "diag.h"
#include "rules.h"
#include "table.h"

/* One year of the city's trajectory. */
typedef struct zx_subst_point {
    int year;
    double allowance;                  /* the city's, unrounded */
    long long actual;                  /* sum of the year's counts */
    int has_actual;                    /* some school has a count */
} zx_subst_point;

typedef struct zx_subst_school {
    long long id;
    char *code, *name;
    int town;                          /* index into towns */
    long long baseline, allowance;
    long long actual;                  /* of the year; -1 when none */
    long long shed;                    /* actual - allowance when behind */
    int behind;
} zx_subst_school;

typedef struct zx_subst_town {
    char *code, *name;                 /* "" when none */
    long long baseline, allowance, actual, shed;
    int behind;                        /* schools behind */
} zx_subst_town;

/* The trajectory and the year's schools; owns every string and array.
 * Schools with a count of the baseline year or of the year, by town and
 * code; points from the baseline year to the later of the target year
 * and the year. */
typedef struct zx_substitutes {
    int year, baseline_year, target_year;
    double factor;                     /* (T - Y) / (T - B), in [0, 1] */
    long long baseline;                /* the city's */
    double allowance;                  /* the city's, unrounded */
    long long actual;                  /* -1 when no count of the year */
    zx_subst_point *points;
    int npoints;
    zx_subst_school *schools;
    int nschools;
    zx_subst_town *towns;
    int ntowns;
    int behind;
    long long shed;
} zx_substitutes;

/* A school's allowance: ceil(baseline x (T - Y) / (T - B)) in whole
 * numbers, baseline before B, 0 from T on. */
long long zx_substitutes_allowance(long long baseline, int baseline_year,
                                   int target_year, int year);

/* Says whether a school (by id) is to be counted: a caller's sight. */
typedef int (*zx_subst_keep_fn)(void *ctx, long long school_id);

/* Computes year with rules (kind "substitutes") into *out, to free with
 * zx_substitutes_free, over the schools keep accepts (every school when
 * keep is NULL): the trajectory and totals are theirs only.  Reads only.
 * Returns ZX_OK, ZX_EINVAL (rules of another kind, or a target year not
 * after the baseline year), ZX_EDB or ZX_ENOMEM. */
int zx_substitutes_compute(zx_db *db, int year, const zx_rules *rules,
                           zx_subst_keep_fn keep, void *kctx,
                           zx_substitutes **out);

/* s as JSON (year, rules' years, factor, city figures, points, towns,
 * schools; null for a count not known); the caller owns it; NULL when
 * memory is short. */
json_t *zx_substitutes_json(const zx_substitutes *s);

void zx_substitutes_free(zx_substitutes *s);

/* Writes every school's present count of 代课 teachers as its count of
 * year (0 included), in one transaction with one audit entry (table
 * substitute_count, key the year, old and new totals).  *schools and
 * *total (may be NULL) get what was written.  Returns ZX_OK, ZX_EDB or
 * ZX_ENOMEM. */
int zx_substitutes_snapshot(zx_db *db, int year, const char *actor,
                            int *schools, long long *total);

/* Sets the count of the school of code for year, audited (key
 * "CODE/YEAR").  Returns ZX_OK, ZX_ENOTFOUND (no such school), ZX_EINVAL
 * (count < 0), ZX_EDB or ZX_ENOMEM. */
int zx_substitutes_set(zx_db *db, const char *code, int year,
                       long long count, const char *actor);

typedef struct zx_subst_import_result {
    long rows, inserted, updated, unchanged;
    char format[8];                    /* "CSV" or "XLSX" */
} zx_subst_import_result;

/* Imports the sheet at path (CSV or XLSX; name as shown in diagnostics):
 * columns 学校标识码, 年度, 代课教师数.  All or nothing: every problem goes
 * to diag with its row and column and nothing is written; with dry_run
 * nothing is written either.  A committed import is recorded by
 * zx_ingest_record (kind substitute_count).  Returns ZX_OK, ZX_EDATA
 * (see diag), ZX_EFORMAT, ZX_EIO, ZX_EDB or ZX_ENOMEM. */
int zx_substitutes_import(zx_db *db, const char *path, const char *name,
                          int dry_run, const char *actor,
                          zx_progress_fn progress, void *pctx, zx_diag *diag,
                          zx_subst_import_result *res);

#endif
