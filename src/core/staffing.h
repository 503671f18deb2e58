/*
 * staffing.h - staffing norms (编制, issue 7 item 3): how many staff each
 * school should have in a year, how many it has, overall and per subject,
 * and the year written to the tables the plan reads (staffing for the
 * indicator overstaffed, itinerant_need for itinerant-cover).
 *
 * Every figure is a rule of kind "staffing" or "curriculum" (rules.c,
 * keys in brackets); the plan's settings give the threshold of serious
 * over-staffing and the scarce subjects, which its indicators also read.
 *
 * Norm.  A school's students and classes are split between its stages by
 * years of schooling exactly as funding does (zx_funding_shares with the
 * staffing rules' [years.STAGE]): a 九年一贯制 school is 6/9 primary and
 * 3/9 junior.  Per stage s with students n_s and classes c_s:
 *   by students  n_s / [ratio.s]            (0 when the ratio is 0)
 *   by classes   c_s x [per_class.s], plus for kindergartens the boarding
 *                classes c_s x boarders / students x
 *                [boarding_class.kindergarten]
 *   norm_s = the class norm when the stage has no student ratio
 *            (kindergartens); else the larger of both when the school has
 *            fewer students than [small.students] (small schools are
 *            staffed by class count); else the student norm.
 * The norm is the sum over stages, to two decimals; 0 means no norm (a
 * special school under the defaults) and such a school has no status.
 *
 * Actual.  The school's teachers whose employment counts [employment.E]:
 * 在编 and 备案制 by default; 代课 are counted apart (substitutes), as are
 * other kinds.  Every post counts: the norm is of staff (教职工).
 * Status: 超编 actual > norm, 缺编 actual < norm, else 持平; 超编比较严重
 * when actual > norm x the plan setting overstaffed_ratio (none without
 * that setting), the indicator overstaffed's own test.
 *
 * Per subject.  For the stages with a teacher's weekly load [load.s] > 0
 * (primary, junior under the defaults): need = sum over those stages of
 * c_s x [lessons.s.SUBJECT] / [load.s]; actual = counted teachers of the
 * subject whose teaching stage is one of them.  Weekly hours lacking =
 * max(0, sum of c_s x lessons - sum over those teachers of their stage's
 * load).  A subject is listed when it has need or teachers.
 */
#ifndef ZX_STAFFING_H
#define ZX_STAFFING_H

#include <jansson.h>

#include "db.h"
#include "funding.h"
#include "plan.h"
#include "rules.h"

enum zx_staffing_status {
    ZX_STAFFING_NONE,        /* no norm */
    ZX_STAFFING_OVER,        /* 超编 */
    ZX_STAFFING_UNDER,       /* 缺编 */
    ZX_STAFFING_EVEN         /* 持平 */
};

/* "无标准", "超编", "缺编", "持平"; static. */
const char *zx_staffing_status_name(enum zx_staffing_status s);

typedef struct zx_staffing_subject {
    int subject;               /* code of codes.c's "subject" list */
    double need;               /* teachers, two decimals */
    long long actual;
    double diff;               /* actual - need: > 0 surplus, < 0 short */
    double lessons;            /* weekly lessons the classes take */
    double hours_lacking;      /* weekly lessons no teacher covers */
} zx_staffing_subject;

typedef struct zx_staffing_school {
    long long id;              /* org_unit id */
    char *code, *name, *town, *town_code;   /* town "" when none */
    int type_code, rural;
    double lon, lat;           /* NaN when unknown */
    long long students, classes, boarders;
    double ratio_norm, class_norm;   /* the two candidates, summed */
    int by_class;              /* some stage took its class norm */
    double norm, diff;         /* diff = actual - norm */
    long long actual, substitutes, others;
    enum zx_staffing_status status;
    int serious;               /* 超编比较严重 */
    zx_staffing_subject *subjects;   /* by subject code */
    int nsubjects;
} zx_staffing_school;

typedef struct zx_staffing_town {
    char *name;                /* "" for schools without a town */
    long long students, classes, actual, substitutes;
    double norm;
    int over, under, serious;  /* schools */
} zx_staffing_town;

/* One year's computation; owns every string and array. */
typedef struct zx_staffing {
    int year;
    double overstaffed_ratio;  /* the plan's; 0 when not set */
    zx_staffing_school *schools;     /* by town code, then school code */
    int nschools;
    zx_staffing_town *towns;   /* in the order of their schools */
    int ntowns;
    long long students, classes, actual, substitutes;
    double norm;
    int over, under, serious;
} zx_staffing;

/* Computes year with rules (kind "staffing") and curriculum (kind
 * "curriculum"), both from zx_rules_load, into *out (free with
 * zx_staffing_free).  Public schools (owner 21: private schools have no
 * 编制) with an enrolment row for the year take part.  Reads only.  Returns ZX_OK, ZX_EINVAL (rules of another kind),
 * ZX_EDB or ZX_ENOMEM. */
int zx_staffing_compute(zx_db *db, const zx_plan *plan, int year,
                        const zx_rules *rules, const zx_rules *curriculum,
                        zx_staffing **out);

void zx_staffing_free(zx_staffing *s);

/* The subject row of school sc, or NULL. */
const zx_staffing_subject *zx_staffing_subject_of(
    const zx_staffing_school *sc, int subject);

/* sc as JSON (English keys: code, name, town, students, norm, actual,
 * diff, status as its Chinese name, serious, ...), with its subjects
 * when with_subjects; the caller owns it; NULL when memory is short. */
json_t *zx_staffing_school_json(const zx_staffing_school *sc,
                                int with_subjects);

/* A subject row as JSON (subject code and name, need, actual, diff,
 * lessons, hours_lacking); NULL when memory is short. */
json_t *zx_staffing_subject_json(const zx_staffing_subject *x);

/* A town's totals as JSON; NULL when memory is short. */
json_t *zx_staffing_town_json(const zx_staffing_town *t);

/* Replaces the year's rows of staffing and staffing_subject with s, and
 * sets itinerant_need.hours_lacking of every rural school (zx_plan_rural)
 * for each scarce subject (plan setting scarce_subjects) to that subject's
 * hours lacking, keeping hours_covered (the itinerant module's); a row
 * of the year no longer lacking anything drops to 0, and is deleted when
 * nothing covers it either.  One transaction, one audit entry (table
 * staffing, key the year) with the old and new totals and the rules.
 * Returns ZX_OK, ZX_EDB or ZX_ENOMEM. */
int zx_staffing_save(zx_db *db, const zx_plan *plan, const zx_staffing *s,
                     const zx_rules *rules, const zx_rules *curriculum,
                     const char *actor);

/* Loads the year's "staffing" and "curriculum" rules (zx_rules_load);
 * both or neither are set.  Returns like zx_rules_load. */
int zx_staffing_rules(zx_db *db, int year, zx_rules **rules,
                      zx_rules **curriculum);

#endif
