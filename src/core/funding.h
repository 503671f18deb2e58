/*
 * funding.h - public funds per student (生均公用经费, clauses 3.3-F1 and
 * 3.3-F2): what each school is due in a year, from the registry and the
 * year's "funding" rules (rules.h), and the year written to the funding
 * table that the plan's indicator funds-floor reads.
 *
 * Per school with an enrolment row for the year (in yuan; the rule keys
 * in brackets):
 *
 *   funded   = the floor [floor, 500] when the school is rural (the
 *              plan's rural urban-rural codes, zx_plan_rural) and of the
 *              compulsory family (as the indicator's "rural and
 *              compulsory") and has fewer students than the floor; else
 *              its students.  Urban schools get no floor.
 *   base     = (funded - special students) x the stage's level
 *              [per_student.STAGE]; a school spanning stages (九年一贯制,
 *              完全中学, 十二年一贯制) has no per-stage enrolment in the
 *              registry, so its students are split between its stages in
 *              proportion to their years of schooling [years.STAGE: 6, 3,
 *              3], e.g. 6/9 primary and 3/9 junior.  A special-education
 *              school has no stage level: all its students are funded at
 *              the special rate below (and it gets no floor).
 *   special  = special students x [per_student.special, 6,000]: disabled
 *              students are funded at the special rate instead of their
 *              stage's level.
 *   boarding = boarders x [boarder, 200], on top.
 *   coefficient = [tilt.not_seat] when the school is not at an
 *              incorporated town's seat (town_seat = 0), times [tilt.weak]
 *              when it is weak: the school-level data element weak_school
 *              (薄弱学校, yes/no, yearly) is 1 for the year.  A plan that
 *              wants the tilt declares that element; the registry has no
 *              other judgement of weakness that funding could use without
 *              reading the plan's own results back.
 *   total    = (base + special + boarding) x coefficient, in yuan to the
 *              fen.
 *
 * Stage totals split a school's total by the same shares.  A what-if
 * computes with rule values overridden in memory (zx_rules_override) and
 * reports each school's change; nothing is written unless saved.
 */
#ifndef ZX_FUNDING_H
#define ZX_FUNDING_H

#include "db.h"
#include "plan.h"
#include "rules.h"

enum zx_funding_stage {
    ZX_FUNDING_KINDERGARTEN, ZX_FUNDING_PRIMARY, ZX_FUNDING_JUNIOR,
    ZX_FUNDING_SENIOR, ZX_FUNDING_VOCATIONAL, ZX_FUNDING_SPECIAL
};
#define ZX_FUNDING_NSTAGES 6

/* "学前", "小学", "初中", "高中", "中职", "特殊教育"; static. */
const char *zx_funding_stage_title(enum zx_funding_stage s);

typedef struct zx_funding_school {
    long long id;                      /* org_unit id */
    char *code, *name, *town;          /* town "" when none */
    int type_code, rural, town_seat, weak;
    long long students, funded, boarders, special;
    double base, boarding, special_amount, coefficient, total;
    double stage[ZX_FUNDING_NSTAGES];  /* total split by stage */
} zx_funding_school;

typedef struct zx_funding_town {
    char *name;                        /* "" for schools without a town */
    long long students, funded;
    double stage[ZX_FUNDING_NSTAGES], total;
} zx_funding_town;

/* The share of each stage in a school of type code, summing to 1 (all 0
 * for a type of no stage): a school spanning stages splits by the years
 * of schooling [years.STAGE] of r, which may be rules of any kind that
 * has those keys (funding's, staffing's).  Staffing splits students and
 * classes the same way (staffing.h). */
void zx_funding_shares(const zx_rules *r, int type_code,
                       double share[ZX_FUNDING_NSTAGES]);

/* One year's computation; owns every string and array. */
typedef struct zx_funding {
    int year;
    zx_funding_school *schools;        /* by town, then school code */
    int nschools;
    zx_funding_town *towns;            /* in the order of their schools */
    int ntowns;
    long long students, funded;
    double stage[ZX_FUNDING_NSTAGES], total;
} zx_funding;

/* Computes year with rules (kind "funding", from zx_rules_load, perhaps
 * overridden) into *out, to free with zx_funding_free.  Reads only.
 * Returns ZX_OK, ZX_EINVAL (rules of another kind), ZX_EDB or
 * ZX_ENOMEM. */
int zx_funding_compute(zx_db *db, const zx_plan *plan, int year,
                       const zx_rules *rules, zx_funding **out);

void zx_funding_free(zx_funding *f);

/* Keeps only the schools keep(ctx, school) is non-zero for, in their
 * order, and sums the towns and the city again over them: a caller that
 * may see only some schools gets totals of those alone.  Returns ZX_OK,
 * or ZX_ENOMEM (f then has its schools but partial totals). */
int zx_funding_keep(zx_funding *f,
                    int (*keep)(void *ctx, const zx_funding_school *sc),
                    void *ctx);

/* Replaces the year's rows of the funding table with f, in one
 * transaction, with one audit entry (table funding, key the year): the
 * old and new school count and total, and the rule values used.
 * Returns ZX_OK, ZX_EDB or ZX_ENOMEM. */
int zx_funding_save(zx_db *db, const zx_funding *f, const zx_rules *rules,
                    const char *actor);

#endif
