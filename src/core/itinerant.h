/*
 * itinerant.h - itinerant teaching of scarce subjects (走教制, clauses
 * 3.4.3-T10 and 3.5.2-R4): a year's pool of itinerant teachers, their
 * assignment to the rural schools' weekly shortfalls, and each teacher's
 * week laid out one school per day.
 *
 * Input.  itinerant_need(school, year, subject, hours_lacking) says how
 * many lessons a week each school lacks in a subject (the staffing
 * mechanism writes it); itinerant_teacher(year, teacher, max_hours) is
 * the pool.  The figures are the year's "itinerant" rules (rules.c):
 *   travel.max_min    one-way travel time limit in minutes;
 *   travel.speed_kmh  speed turning the great-circle distance between
 *                     the teacher's own school and the school visited
 *                     (geo.h) into minutes;
 *   load.week         a pool teacher's weekly cap, the default of
 *                     max_hours;
 *   load.day          lessons a day at one school at most;
 *   schools.max       schools visited a week at most;
 *   pool.per_school   candidates `pool fill` takes per school and
 *                     subject.
 * The week has 5 working days: itinerant_slot's key (year, teacher, day)
 * allows one school per teacher per day.
 *
 * Pool fill.  Candidates are teachers of a scarce subject (the plan's
 * setting scarce_subjects), 在编 or 备案制 (employment 1, 2: not
 * substitutes), at compulsory schools (codes.h family "compulsory") that
 * are urban (not rural in the plan's sense), at an incorporated town's
 * seat, or the HQ of an education group: the schools the plan expects to
 * share teachers with rural ones (3.5.2-R4).  Per such school and subject at most pool.per_school are
 * taken, those longest at the school first (since_year, then number), so
 * that a school keeps its other teachers of the subject.
 *
 * Assignment.  A teacher teaches only their own subject, never at their
 * own school, only where the one-way travel time is within the limit
 * (a school without coordinates is out of reach), at most max_hours
 * (whole lessons) a week.  Each need of h hours (rounded up to whole
 * lessons) is offered to the teachers as a min-cost flow (mcflow.h),
 * max flow first: as many lessons as the caps and the travel limit
 * allow, then the least travel, a lesson weighted by its school's
 * one-way minutes.  The flow knows nothing of days, so each teacher's
 * share is then cut to what fits the week: an exact small dynamic
 * programme chooses per school a number of days d (sum of d <= 5, at most
 * schools.max schools) keeping min(h, d x load.day) lessons, most lessons
 * first, then least travel.  The demand so freed is offered again, as a
 * flow over the teachers' remaining days and load, until a round adds
 * nothing; the result never lays out an infeasible week.
 *
 * Week layout.  A visit of h lessons takes ceil(h / load.day) days, the
 * lessons split as evenly as they go.  Each teacher's visits are put in
 * a sequence where the same school does not follow itself when another
 * can, and the sequence of D days is spread over Monday to Friday (day
 * 1 + floor(i x 5 / D)), so that two days at one school fall apart when
 * the week allows.
 *
 * Saving replaces the year's itinerant_assignment and itinerant_slot rows
 * and sets itinerant_need.hours_covered (what the plan's indicator
 * itinerant-cover reads) to the lessons assigned, at most the hours
 * lacking, in one transaction with one audit entry.
 */
#ifndef ZX_ITINERANT_H
#define ZX_ITINERANT_H

#include "db.h"
#include "plan.h"
#include "rules.h"

#define ZX_ITINERANT_DAYS 5

/* The year's rules, read from kind "itinerant". */
typedef struct zx_itinerant_limits {
    double max_travel_min, speed_kmh;
    int load_week, load_day, max_schools, per_school;
} zx_itinerant_limits;

/* Fills *out from rules.  ZX_EINVAL for rules of another kind. */
int zx_itinerant_limits_of(const zx_rules *rules, zx_itinerant_limits *out);

typedef struct zx_itinerant_teacher {
    long long id, school_id;
    char *no, *name, *school_code, *school_name;   /* may be NULL */
    int subject;
    int max_hours;                 /* whole lessons a week */
    int has_lonlat;
    double lon, lat;               /* of the teacher's own school */
    int hours;                     /* solved: lessons assigned */
} zx_itinerant_teacher;

typedef struct zx_itinerant_need {
    long long school_id;
    char *code, *name, *town;      /* may be NULL */
    int subject;
    double lacking;                /* hours a week */
    int has_lonlat;
    double lon, lat;
    double covered;                /* solved: min(lessons assigned, lacking) */
} zx_itinerant_need;

/* A teacher's lessons at one need for the week. */
typedef struct zx_itinerant_visit {
    int teacher, need;             /* indices */
    int hours, days;
    double travel_min;             /* one way */
} zx_itinerant_visit;

/* One day of a teacher's week. */
typedef struct zx_itinerant_slot {
    int teacher, need;             /* indices */
    int day;                       /* 1..5, Monday to Friday */
    int hours;
} zx_itinerant_slot;

/* A year's problem and, once solved, its plan.  Every array and string is
 * malloc'd and owned by it (a caller building one by hand may leave the
 * strings NULL); zx_itinerant_free releases all. */
typedef struct zx_itinerant {
    int year;
    zx_itinerant_teacher *teachers;
    int nteachers;
    zx_itinerant_need *needs;      /* by school code, then subject */
    int nneeds;
    zx_itinerant_visit *visits;    /* by teacher, then need */
    int nvisits;
    zx_itinerant_slot *slots;      /* by teacher, then day */
    int nslots;
    double lacking, covered;       /* totals over the needs */
    double travel_min;             /* one-way minutes over all days */
    int cut;                       /* lessons the flow gave that no week
                                      could hold (before re-offering) */
    int rounds;                    /* flow rounds run */
} zx_itinerant;

void zx_itinerant_free(zx_itinerant *it);

/* The year's pool and needs (hours_lacking > 0) into *out, unsolved.
 * Returns ZX_OK, ZX_EDB or ZX_ENOMEM. */
int zx_itinerant_load(zx_db *db, int year, zx_itinerant **out);

/* Assigns and lays out it with lim (see above), replacing any earlier
 * solution in it.  Returns ZX_OK, ZX_EINVAL (limits out of range) or
 * ZX_ENOMEM. */
int zx_itinerant_solve(zx_itinerant *it, const zx_itinerant_limits *lim);

/* Replaces the year's plan in the database with it (see above), audited
 * as table itinerant, key the year, with rules' values.  Returns ZX_OK,
 * ZX_EDB or ZX_ENOMEM. */
int zx_itinerant_save(zx_db *db, const zx_itinerant *it,
                      const zx_rules *rules, const char *actor);

/* Load, solve with the year's rules, save: `itinerant plan`.  *out (may
 * be NULL) receives the solved plan to free.  Returns as the steps do. */
int zx_itinerant_plan(zx_db *db, int year, const char *actor,
                      zx_itinerant **out);

/* Adds the candidates of the pool-fill rule for year that are not in the
 * pool yet, each with the load.week cap; *added (may be NULL) gets their
 * count.  One transaction, one audit entry (table itinerant_teacher, key
 * the year) when any is added.  Returns ZX_OK, ZX_EDATA (the plan has no
 * scarce_subjects list), ZX_EDB or ZX_ENOMEM. */
int zx_itinerant_pool_fill(zx_db *db, const zx_plan *plan, int year,
                           const char *actor, int *added);

/* Puts teacher no in year's pool with max_hours (<= 0: load.week), or
 * changes the cap of one already there; audited.  Returns ZX_OK,
 * ZX_ENOTFOUND (no such teacher), ZX_EDB. */
int zx_itinerant_pool_add(zx_db *db, int year, const char *no,
                          double max_hours, const char *actor);

/* Takes teacher no out of year's pool; audited.  The year's plan stays
 * until planned again.  Returns ZX_OK, ZX_ENOTFOUND (not in the pool),
 * ZX_EDB. */
int zx_itinerant_pool_remove(zx_db *db, int year, const char *no,
                             const char *actor);

/* Rows of the listings; strings valid during the callback only.  A
 * callback's non-zero return stops the listing and is returned. */
typedef struct zx_itinerant_pool_row {
    const char *no, *name, *school_code, *school_name;
    int subject;
    double max_hours, assigned;    /* assigned: the saved plan's lessons */
    int schools;                   /* schools visited in the saved plan */
} zx_itinerant_pool_row;

int zx_itinerant_pool_list(zx_db *db, int year,
                           int (*fn)(void *ctx,
                                     const zx_itinerant_pool_row *r),
                           void *ctx);

typedef struct zx_itinerant_need_row {
    const char *school_code, *school_name, *town;  /* town "" when none */
    int subject;
    double lacking, covered;
} zx_itinerant_need_row;

/* The year's needs by town, school code, subject. */
int zx_itinerant_needs_list(zx_db *db, int year,
                            int (*fn)(void *ctx,
                                      const zx_itinerant_need_row *r),
                            void *ctx);

typedef struct zx_itinerant_slot_row {
    int day;                       /* 1..5 */
    const char *teacher_no, *teacher_name;
    const char *home_code, *home_name;      /* the teacher's own school */
    const char *school_code, *school_name;  /* the school visited */
    int subject;
    double hours;
    double travel_min;             /* one way; NaN when unknown */
} zx_itinerant_slot_row;

/* The saved week of year: only teacher no's days when teacher is not
 * NULL, only the days at school code when school is not NULL.  Ordered
 * by teacher number then day, or with by_school by school code, day,
 * teacher number. */
int zx_itinerant_slots_list(zx_db *db, int year, const char *teacher,
                            const char *school, int by_school,
                            int (*fn)(void *ctx,
                                      const zx_itinerant_slot_row *r),
                            void *ctx);

/* "星期一" .. "星期五" for day 1..5; static. */
const char *zx_itinerant_day_name(int day);

/* The timetables as a workbook at path: one sheet per teacher (or, with
 * by_school, per school) of the rows zx_itinerant_slots_list gives for
 * the same filters, each a grid of the five days, after a sheet 总表 of
 * them all.  When keep is not NULL only the rows it accepts are written,
 * as it leaves them: it may point a row's strings at other text (a
 * caller's sight, which must not name a unit it does not see).  A sheet
 * 说明 carries banner when not NULL.  Returns ZX_OK, ZX_EDB, ZX_ENOMEM or
 * ZX_EIO. */
int zx_itinerant_write_xlsx(zx_db *db, int year, const char *teacher,
                            const char *school, int by_school,
                            int (*keep)(void *ctx, zx_itinerant_slot_row *r),
                            void *kctx, const char *banner,
                            const char *path);

#endif
