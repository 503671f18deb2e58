/*
 * redistrib.h - redistribution of surplus teachers (clause 3.4.3-T8):
 * moves of teachers from over-staffed schools to schools short of their
 * subject, proposed as an exact min-cost flow (mcflow.h), then accepted
 * by the office.  Accepting a move records the decision only: the
 * teacher stays at the old school in the registry until the office
 * changes it through the normal edit or import, which staffing then sees.
 *
 * Who may move.  Surplus and shortage come from staffing.h, per subject,
 * for the year.  A school gives only when it is 超编 overall (超编比较严重
 * only, when the rule [serious_only] is 1), at most floor(actual - norm)
 * teachers in all and floor(surplus) in a subject; only 在编 teachers
 * move (备案制 and 代课 are hired for a post, not posted by the bureau).
 * A school short of a subject by x takes at most round(x) teachers of it
 * (half up), whatever its overall status.  A teacher moves at most once:
 * each is one unit of supply, and a teacher with an accepted move of the
 * year is out of the proposal (that move also uses up a unit of its
 * school's surplus and its target's shortage).
 *
 * Which teacher.  Within a school, subject and teaching stage the flow
 * says how many move; they are the ones with the fewest years at the
 * school (latest since_year), then the youngest, then by teacher number:
 * a documented order, never a random pick.
 *
 * Objective (costs in units of 100 m, integers).  A move costs its
 * distance (zx_geo_km; schools without coordinates are 0 km apart, and
 * [max_km] does not bar them) plus the fixed [move_km]; a shortage unit
 * left open costs [unfilled_km].  The flow minimises the total: a
 * shortage is filled whenever some teacher can reach it for less than
 * leaving it open (with the default 1,000 km, always: as many filled as
 * possible), by the nearest teachers, and a move is not made for nothing.
 * Constraints: [quota.total] moves in the year and [quota.school] from one
 * school (0: none); a move longer than [max_km] (0: any) or between a
 * forbidden pair of schools (the office's list, zx_redistrib_forbid) is
 * no arc; a teacher moves to a school teaching its stage, or across
 * primary and junior in the same subject when [cross_stage] is 1.
 *
 * The solver (zx_redistrib_solve) works on a plain instance so that the
 * tests can compare it with brute force; zx_redistrib_propose builds the
 * instance from the database.
 */
#ifndef ZX_REDISTRIB_H
#define ZX_REDISTRIB_H

#include <stdint.h>

#include "db.h"
#include "plan.h"
#include "rules.h"

/* ---- the solver on a plain instance --------------------------------- */

typedef struct zx_redistrib_site {   /* a school */
    double lon, lat;                 /* NaN when unknown */
    unsigned stages;                 /* bit 1 << code of the teaching
                                        stages (codes.c "stage") it has */
    int spare;                       /* teachers it may give in all */
} zx_redistrib_site;

typedef struct zx_redistrib_offer {  /* surplus of a school in a subject */
    int site, subject;
    int units;                       /* teachers it may give */
    int by_stage[8];                 /* movable teachers by stage code */
} zx_redistrib_offer;

typedef struct zx_redistrib_need {   /* shortage of a school in a subject */
    int site, subject;
    int units;                       /* teachers it takes */
} zx_redistrib_need;

typedef struct zx_redistrib_instance {
    const zx_redistrib_site *sites;
    int nsites;
    const zx_redistrib_offer *offers;
    int noffers;
    const zx_redistrib_need *needs;
    int nneeds;
    const int *forbidden;            /* pairs (from site, to site) */
    int nforbidden;
} zx_redistrib_instance;

typedef struct zx_redistrib_flow {   /* count teachers of one stage */
    int offer, stage, need, count;
    double km;
    int cross;                       /* the stage is not the target's */
} zx_redistrib_flow;

typedef struct zx_redistrib_solution {
    zx_redistrib_flow *flows;        /* owned; by offer, stage, need */
    int nflows;
    int moves, unfilled;             /* teachers moved, shortage left */
    int64_t cost;                    /* the objective, 100 m units */
    double km;                       /* total distance of the moves */
} zx_redistrib_solution;

/* The cost of one move over km, and of one unfilled unit, as the solver
 * counts them (100 m units) under rules r (kind "redistribution"). */
int64_t zx_redistrib_move_cost(const zx_rules *r, double km);
int64_t zx_redistrib_unfilled_cost(const zx_rules *r);

/* Whether a teacher of stage code `stage` may move to site to (cross
 * set when it crosses stages), under r. */
int zx_redistrib_stage_ok(const zx_rules *r, int stage,
                          const zx_redistrib_site *to, int *cross);

/* The distance in km between two sites (0 when either lacks
 * coordinates). */
double zx_redistrib_km(const zx_redistrib_site *a,
                       const zx_redistrib_site *b);

/* Solves in exactly under r into *out (zx_redistrib_solution_free).
 * Returns ZX_OK, ZX_EINVAL (bad instance or rules), ZX_ENOMEM. */
int zx_redistrib_solve(const zx_redistrib_instance *in, const zx_rules *r,
                       zx_redistrib_solution *out);

void zx_redistrib_solution_free(zx_redistrib_solution *s);

/* ---- proposals in the database -------------------------------------- */

typedef struct zx_redistrib_outcome {
    int moves, kept, unfilled;       /* kept: accepted moves of the year */
    double km;
} zx_redistrib_outcome;

/* Computes the year's staffing (staffing.h, the year's rules), solves,
 * and replaces the year's proposed moves with the new ones, keeping the
 * accepted; one transaction, one audit entry (table redistribution, key
 * the year).  Returns ZX_OK, ZX_EDB, ZX_ENOMEM or ZX_EINVAL. */
int zx_redistrib_propose(zx_db *db, const zx_plan *plan, int year,
                         const char *actor, zx_redistrib_outcome *out);

/* One stored move, as listed; strings valid during the callback. */
typedef struct zx_redistrib_move {
    long long id;
    int year;
    const char *teacher_no, *teacher;
    const char *from_code, *from_name, *from_town;
    const char *to_code, *to_name, *to_town;
    int subject, stage, cross_stage;
    double km;                       /* NaN when unknown */
    const char *reason, *status;     /* status "proposed" or "accepted" */
} zx_redistrib_move;

/* Calls fn for every move of the year by status (accepted first), then
 * source school code and teacher number; fn's non-zero return stops it
 * and is returned.  Returns ZX_OK or ZX_EDB. */
int zx_redistrib_list(zx_db *db, int year,
                      int (*fn)(void *ctx, const zx_redistrib_move *m),
                      void *ctx);

/* Marks the year's proposed moves of ids (all of them when n is 0 and
 * ids NULL) accepted, with one audit entry; *done gets how many changed.
 * An id that is not a proposed move of the year is ZX_ENOTFOUND and
 * nothing changes.  Returns ZX_OK, ZX_ENOTFOUND, ZX_EDB or ZX_ENOMEM. */
int zx_redistrib_accept(zx_db *db, int year, const long long *ids, int n,
                        const char *actor, int *done);

/* Adds (remove 0) or removes the forbidden move from school code from to
 * school code to, in the office's list (meta redistribution.forbidden, a
 * JSON array of [from, to]), audited.  Returns ZX_OK, ZX_ENOTFOUND (a
 * code that is no school), ZX_EDB or ZX_ENOMEM. */
int zx_redistrib_forbid(zx_db *db, const char *from, const char *to,
                        int remove, const char *actor);

#endif
