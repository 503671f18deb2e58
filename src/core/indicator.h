/*
 * indicator.h - the engine: a plan's indicators evaluated on the live
 * database for any year, at every level (city, town, group, school).
 *
 * Opening an engine compiles every indicator to one prepared query
 * (compile.h).  Evaluating runs that query for the year and rolls the
 * per-entity rows up the org tree in one pass: a town's share is the
 * town's numerator over the town's denominator, never an average of its
 * schools' shares.  There is no batch step: each evaluation reads the
 * data as they are, so a value written a moment ago is counted.
 *
 * Status of a result for year Y (docs/plan-format.md):
 *   达标 met        the final target is reached (a range: its bottom);
 *   按期推进 on track  not met, but Y's milestone is reached, or, when the
 *                   indicator has an on_track condition, every entity in
 *                   scope meets it;
 *   滞后 behind      neither;
 *   无数据 no data   nothing in scope, or the indicator reads data that no
 *                   entity in scope has entered;
 *   仅供参考 info    an absolute count or sum shown below the city level,
 *                   where the plan sets no target.
 */
#ifndef ZX_INDICATOR_H
#define ZX_INDICATOR_H

#include <jansson.h>

#include "db.h"
#include "diag.h"
#include "plan.h"

enum zx_status {
    ZX_STATUS_MET, ZX_STATUS_ON_TRACK, ZX_STATUS_BEHIND, ZX_STATUS_NO_DATA,
    ZX_STATUS_INFO
};

/* "达标", "按期推进", ... (static). */
const char *zx_status_name(enum zx_status s);
/* "met", "on_track", "behind", "no_data", "info" (static). */
const char *zx_status_id(enum zx_status s);

typedef struct zx_engine zx_engine;

typedef struct zx_result {
    const zx_indicator *ind;
    int year;
    enum zx_level level;
    long long unit_id;
    const char *unit_code, *unit_name;  /* valid during the callback */
    long long entities;       /* entities in scope under the unit */
    double numerator;         /* NaN when the kind has none */
    double denominator;       /* NaN when the kind has none */
    double value;             /* NaN when there is no value */
    double target;            /* the final target (a range: its bottom) */
    double milestone;         /* for the year; NaN when unknown */
    double baseline;          /* the value in the plan's baseline year */
    enum zx_status status;
    int above_range;          /* range target and value above its top */
} zx_result;

/* Called per result; a non-zero return stops the evaluation and is
 * returned by it. */
typedef int (*zx_result_fn)(void *ctx, const zx_result *r);

/* A figure of a result as JSON, the same in every output: null for NaN,
 * an integer when whole, else rounded to 4 decimals.  NULL when memory
 * is short; the caller owns it. */
json_t *zx_result_figure_json(double v);

/* Compiles and prepares every indicator of plan against an empty
 * database of the current schema, reporting every problem.  Returns ZX_OK
 * or ZX_EDATA. */
int zx_indicator_check(const zx_plan *plan, zx_diag *diag);

/* Flags of zx_engine_open_mode. */
enum {
    /* Data element values as the city accepted them (review.h: the
     * snapshot taken when a unit's year is 已确认) instead of as entered;
     * a unit whose year is not accepted has no values then.  The
     * registry and the mechanisms' tables are read as they are. */
    ZX_ENGINE_ACCEPTED = 1
};

/* An engine for plan over db; both must outlive it.  flags are
 * ZX_ENGINE_* bits, fixed for the engine's life; both the compiled
 * queries and the columns honour them.  Problems in the plan go to diag
 * (ZX_EDATA). */
int zx_engine_open_mode(zx_db *db, const zx_plan *plan, unsigned flags,
                        zx_engine **out, zx_diag *diag);

/* zx_engine_open_mode with no flags: every value as entered. */
int zx_engine_open(zx_db *db, const zx_plan *plan, zx_engine **out,
                   zx_diag *diag);
void zx_engine_close(zx_engine *e);

/* Evaluates ind (every indicator when NULL) for year at the levels in
 * the bit set `levels` (1u << zx_level; each indicator contributes only
 * its own levels) for the units inside org unit `within` (0: all).
 * Results come in plan order, then city, towns, groups, schools, each by
 * code. */
int zx_engine_eval(zx_engine *e, const zx_indicator *ind, int year,
                   unsigned levels, long long within, zx_result_fn fn,
                   void *ctx);

/* With on, every indicator is computed by its SQL query, never from the
 * columns (colvm.h); the cached totals are dropped.  The SQL is the
 * reference the columns are tested against. */
void zx_engine_sql_only(zx_engine *e, int on);

/* Whether ind of the engine's plan is computed from the columns (it may
 * still fall back to SQL for a type met only at run time). */
int zx_engine_columnar(const zx_engine *e, const zx_indicator *ind);

#endif
