/*
 * subsidy.h - the rural teacher subsidy (乡村教师补贴, clause 3.3-F3):
 * who is eligible in a year, how much each is due, the totals per school
 * and town, and the year's roster written to the subsidy table that the
 * plan's indicator subsidy-paid reads (eligible, paid).
 *
 * Teachers of rural schools (the plan's rural urban-rural codes) who were
 * at the school in the year (since_year <= year) are considered; the
 * year's "subsidy" rules (rules.h) decide the rest, their keys in
 * brackets:
 *
 *   eligible  when their employment is covered [employment.CODE, 1 for
 *             在编 and 备案制, 0 otherwise].
 *   location  the school's tier: at an incorporated town's seat
 *             (town_seat = 1) [amount.seat]; else a 乡村-class school
 *             (urban-rural codes 2xx: 210 乡中心区, 220 村庄)
 *             [amount.village]; else a 镇区-class one [amount.town].
 *   service   years of rural service = year - since_year: the registry
 *             knows when a teacher came to the present school, not their
 *             earlier rural posts, so service counts from there.  At
 *             [service.years2] years or more [service.extra2] is added,
 *             else at [service.years1] or more [service.extra1].
 *   amount    location amount + service extra, for an eligible teacher;
 *             0 otherwise.
 *
 * Saving writes one row per considered teacher (eligible 0 or 1, amount)
 * and removes the year's rows of anyone else.  paid is the bureau's word
 * that the amount was paid in full: saving keeps a row's paid when its
 * eligibility and amount are unchanged, else clears it; saving with
 * mark_paid records the whole roster as paid.
 */
#ifndef ZX_SUBSIDY_H
#define ZX_SUBSIDY_H

#include "db.h"
#include "plan.h"
#include "rules.h"

enum zx_subsidy_location {
    ZX_SUBSIDY_SEAT, ZX_SUBSIDY_TOWN, ZX_SUBSIDY_VILLAGE
};

/* "建制镇所在地", "镇区", "乡村"; static. */
const char *zx_subsidy_location_title(enum zx_subsidy_location l);

typedef struct zx_subsidy_teacher {
    long long id;                      /* teacher id */
    char *no, *name;
    int school;                        /* index into schools */
    int employment, years, eligible;
    enum zx_subsidy_location location;
    double amount;
} zx_subsidy_teacher;

typedef struct zx_subsidy_unit {
    char *code, *name;                 /* a town: code and name "" when none */
    int town;                          /* a school: index into towns */
    long long teachers, eligible;
    double total;
} zx_subsidy_unit;

/* One year's computation; owns every string and array.  Teachers are
 * ordered by town, school code and teacher number. */
typedef struct zx_subsidy {
    int year;
    zx_subsidy_teacher *teachers;
    int nteachers;
    zx_subsidy_unit *schools, *towns;
    int nschools, ntowns;
    long long eligible;
    double total;
} zx_subsidy;

/* Computes year with rules (kind "subsidy") into *out, to free with
 * zx_subsidy_free.  Reads only.  Returns ZX_OK, ZX_EINVAL (rules of
 * another kind), ZX_EDB or ZX_ENOMEM. */
int zx_subsidy_compute(zx_db *db, const zx_plan *plan, int year,
                       const zx_rules *rules, zx_subsidy **out);

void zx_subsidy_free(zx_subsidy *s);

/* Writes the year's roster (see above) in one transaction with one audit
 * entry (table subsidy, key the year: old and new counts of eligible and
 * paid teachers and total, and the rule values used).  Returns ZX_OK,
 * ZX_EDB or ZX_ENOMEM. */
int zx_subsidy_save(zx_db *db, const zx_subsidy *s, const zx_rules *rules,
                    int mark_paid, const char *actor);

#endif
