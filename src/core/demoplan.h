/*
 * demoplan.h - a synthetic plan in motion: values of the plan's data
 * elements for the baseline and the first plan years, the progress of its
 * tasks, and the training ledger (training.h: bases, a course catalogue,
 * the rural teachers' electives and completions), on a database filled by
 * zhenxing demo.
 *
 * Values rise year on year, faster in town schools than in village ones,
 * and each element has its own difficulty, so the demo shows some targets
 * met, some on track and some behind, as a real plan would.  The values
 * of the built-in plan's counting elements (人人通 accounts, subjects,
 * nutrition places ...) are drawn from the registry they depend on; any
 * other element gets a value by its type, so a different plan is filled
 * too.  Deterministic for a seed.
 */
#ifndef ZX_DEMOPLAN_H
#define ZX_DEMOPLAN_H

#include "db.h"
#include "plan.h"

typedef struct zx_demoplan_stats {
    long long values;          /* data values written */
    long long task_rows;       /* (task, unit) progress rows written */
    long long notes;
    long long pool_members;    /* pairing: candidates in the pools */
} zx_demoplan_stats;

/* Fills db's data values for every year from the plan's baseline to
 * last_year, and task progress and training as they stood at the end of
 * last_year, in one transaction; then the pairing programmes' candidate
 * pools (pairing.h, in transactions of their own), and staffing for
 * every year with a redistribution proposed for last_year (staffing.h,
 * redistrib.h).  Refuses (ZX_EEXIST) a database that already has data
 * values or task progress.  Returns ZX_OK, ZX_EEXIST, ZX_EDB or
 * ZX_ENOMEM; fills *st when not NULL. */
int zx_demoplan_fill(zx_db *db, const zx_plan *plan, unsigned long long seed,
                     int last_year, zx_demoplan_stats *st);

#endif
