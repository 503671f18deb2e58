/*
 * compile.h - turns an indicator of a plan into one SQL query.
 *
 * The query returns one row per smallest unit the entities in scope roll
 * up to (a school for schools and teachers, a town, a group), summing the
 * entities' contributions:
 *
 *   0 school_id   1 town_id   2 group_id   (NULL where not applicable)
 *   3 entities    how many entities are in scope
 *   4 n           sum of numerator contributions (1/0 for a condition)
 *   5 d           sum of denominator contributions (NULL: kind has none)
 *   6 min n       7 max n     8 count of non-NULL n  (for min and max)
 *   9 not ok      entities failing the on_track condition (0 if none)
 *   10 has data   entities with a value for the data their numerator
 *                 reads (data elements, mechanism tables)
 *
 * Names in expressions resolve to registry columns, data elements and the
 * mechanisms' tables (docs/plan-format.md lists them); every literal of
 * the plan becomes a bound parameter, never SQL text.  Parameter 1 is the
 * year evaluated, parameter 2 the first day of the plan's first year; the
 * others are listed in the result.  Problems are reported at the line and
 * column of the offending character in the plan file.
 */
#ifndef ZX_COMPILE_H
#define ZX_COMPILE_H

#include "diag.h"
#include "plan.h"

enum zx_param_type { ZX_PARAM_INT, ZX_PARAM_REAL, ZX_PARAM_TEXT };

typedef struct zx_param {
    enum zx_param_type type;
    long long i;
    double d;
    char *text;           /* ZX_PARAM_TEXT: a copy owned by the zx_sql */
} zx_param;

typedef struct zx_sql {
    char *text;           /* the query; malloc'd */
    zx_param *params;     /* ?3, ?4, ...: params[0] is ?3 */
    int nparams;
    int reads_data;       /* the numerator reads data elements or
                             mechanism tables */
    char **deps;          /* stamp keys (stamp.h) of the data read besides
                             the registry: "value:X", "table:T" */
    int ndeps;
} zx_sql;

/* Flags of zx_compile_indicator. */
enum {
    /* read data elements from data_value_accepted, the values the city
     * accepted (review.h), instead of data_value, the values as entered */
    ZX_COMPILE_ACCEPTED = 1
};

/* Compiles ind of plan into *out (free with zx_sql_free); flags are
 * ZX_COMPILE_* bits.  Returns ZX_OK, ZX_EDATA with every problem in diag,
 * or ZX_ENOMEM. */
int zx_compile_indicator(const zx_plan *plan, const zx_indicator *ind,
                         unsigned flags, zx_sql *out, zx_diag *diag);

void zx_sql_free(zx_sql *sql);

#endif
