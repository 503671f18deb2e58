/*
 * colvm.h - the columnar fast path of the indicator engine.
 *
 * SQLite's row store is the floor of a cold evaluation: reading 800,000
 * teacher rows costs more than all the arithmetic of a plan.  This module
 * owns a copy of the registry in memory as columns (schools, towns,
 * groups, teachers, roles grouped by title, enrolment per year, data
 * values per element and year), loaded once per version of the stamps
 * that cover them (stamp.h), and evaluates an indicator's expressions over
 * those columns in plain C loops: vectors of doubles with NaN as SQL NULL,
 * so that three-valued logic, coalesce and count follow the SQL the
 * compiler (compile.c) writes, which stays the reference.
 *
 * It produces the same group rows as the compiled query (compile.h): one
 * per smallest unit an entity rolls up to, with the same sums.  What it
 * does not know (the mechanisms' tables, the sets pairing_mentors and
 * rectifications, texts of teachers) it declines, and the engine runs the
 * SQL for that indicator instead.
 */
#ifndef ZX_COLVM_H
#define ZX_COLVM_H

#include "db.h"
#include "map.h"
#include "plan.h"

/* The columns of one registry, owned by the caller of zx_colvm_open. */
typedef struct zx_colvm zx_colvm;

/* An indicator prepared for the columns: its parsed expressions. */
typedef struct zx_colvm_prog zx_colvm_prog;

/* One group row, as the compiled query's columns 0-10 (compile.h): ids
 * are 0 where the query has NULL. */
typedef struct zx_colvm_row {
    long long school_id, town_id, group_id;
    long long entities, nvals, notok, has;
    double n, d, mn, mx;
} zx_colvm_row;

typedef void (*zx_colvm_row_fn)(void *ctx, const zx_colvm_row *row);

/* Columns of db for plan; both must outlive *out.  With accepted set the
 * data values are those the city accepted (data_value_accepted, see
 * review.h), as the compiler's ZX_COMPILE_ACCEPTED reads them; otherwise
 * the values as entered.  Nothing is read until a program runs.  Returns
 * ZX_OK or ZX_ENOMEM. */
int zx_colvm_open(zx_db *db, const zx_plan *plan, int accepted,
                  zx_colvm **out);
void zx_colvm_close(zx_colvm *vm);

/* Prepares ind, which must have compiled to SQL without error.  *out is
 * NULL when the columns cannot evaluate it (the caller keeps the SQL).
 * Returns ZX_OK or ZX_ENOMEM. */
int zx_colvm_prepare(const zx_plan *plan, const zx_indicator *ind,
                     zx_colvm_prog **out);
void zx_colvm_prog_free(zx_colvm_prog *p);

/* Tells vm that p will run: the registry's columns p reads are then read
 * in the same scan as the others, the first time any program needs the
 * table (a scan of the teachers costs the same for one column or five). */
void zx_colvm_expect(zx_colvm *vm, const zx_colvm_prog *p);

/* Evaluates p for year, reloading what the stamp snapshot says changed,
 * and calls fn per group row in ascending order of the group's id. */
int zx_colvm_run(zx_colvm *vm, const zx_colvm_prog *p, int year,
                 const zx_map *snap, zx_colvm_row_fn fn, void *ctx);

#endif
