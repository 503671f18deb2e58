/*
 * devroles.h - the development roles the plan asks of every rural school,
 * and their gap lists: which school lacks what, in a given year.
 *
 * The indicators (indicator.h) say how far the city is; a supervisor also
 * needs to know where to act: "乙小学 has 1 seed teacher of 2", "丙中学
 * has no 英语 subject leader".  Each check below lists exactly that, one
 * row per school (per school and subject, per teacher) that falls short,
 * beside the plan indicator it feeds.  Only rural schools count (the
 * plan's rural urban-rural codes); a role counts in year Y when it is
 * held in Y: start_year <= Y and (end_year IS NULL or end_year >= Y).
 *
 *   seed    种子教师 per rural school, settings.seed_teachers [min, max]
 *           (clause 3.5.3-N3, 2-3; indicator seed-teachers): fewer than
 *           min is a gap, more than max a note (over the norm, could be
 *           shared with other schools).
 *   model   榜样教师 per rural school, settings.model_teachers [min, max]
 *           (3.5.3-N2, 1-2; indicator model-teachers), the same way.  The
 *           plan's own word: the role list also has 骨干教师 and
 *           名师工作室领衔人, which are other programmes.
 *   subject-leader  for every subject taught in a rural school (the
 *           subjects of its teachers), a teacher of that subject there
 *           holding 学科带头人 at any level, 校级 included (3.4.2-T6:
 *           学科领军人物; indicator subject-leaders).
 *   project for every subject taught, a teacher of that subject there
 *           with a research project (课题) in the year: a value of the
 *           teacher-level data element research_project (3.4.2-T6).
 *   cadres  every rural school has at least one reserve cadre (后备干部)
 *           born in the decade settings.reserve_cadre_decade (3.1-P5:
 *           90后 recommended; indicators.md reads "a batch" as >= 1 per
 *           school; indicator reserve-cadre-90s); and the count of 80后
 *           cadres promoted, which the plan judges at the city only, is
 *           taken from the plan's indicator promoted-80s itself and
 *           listed when it is behind its milestone or has no data (one
 *           row for the city; none below it, where the plan sets no
 *           target).
 *   mentor  young teachers of rural schools (born no more than
 *           settings.young_teacher_age years before Y; not themselves
 *           学科带头人 in Y, whom the pairing programme does not take as
 *           mentees) without a mentor: no accepted pairing (pairing tables, any programme; the plan
 *           runs 青蓝结对 as programme subject_leaders, indicator
 *           pair-subject-leaders, mechanism 3.4.2-T4) in which they are
 *           the mentee, accepted in Y or before.
 *
 * The thresholds are the plan's settings, so another county's plan sets
 * its own; a check whose setting or data element its plan lacks is
 * skipped, and says so.  Reads only, through prepared statements.
 */
#ifndef ZX_DEVROLES_H
#define ZX_DEVROLES_H

#include "db.h"
#include "diag.h"
#include "plan.h"

enum zx_devroles_check {
    ZX_DEVROLES_SEED, ZX_DEVROLES_MODEL, ZX_DEVROLES_SUBJECT_LEADER,
    ZX_DEVROLES_PROJECT, ZX_DEVROLES_CADRES, ZX_DEVROLES_MENTOR
};
#define ZX_DEVROLES_NCHECKS 6
/* Every check, as a bit set (1u << check). */
#define ZX_DEVROLES_ALL ((1u << ZX_DEVROLES_NCHECKS) - 1)

/* "seed", "model", "subject-leader", "project", "cadres", "mentor" and
 * back; -1 for an unknown name.  Static. */
const char *zx_devroles_check_id(enum zx_devroles_check c);
int zx_devroles_check_parse(const char *s);
/* The Chinese title ("种子教师", ...) and the clause the check comes
 * from; static. */
const char *zx_devroles_check_title(enum zx_devroles_check c);
const char *zx_devroles_check_clause(enum zx_devroles_check c);

enum zx_devroles_kind {
    ZX_DEVROLES_GAP,           /* fewer than the plan asks */
    ZX_DEVROLES_OVER           /* more than the norm's top: a note */
};

/* One row of a gap list.  Strings are valid during the callback only. */
typedef struct zx_devroles_row {
    enum zx_devroles_check check;
    enum zx_devroles_kind kind;
    const char *indicator;     /* id of the plan indicator the row feeds,
                                  or NULL when the plan has none such */
    /* the school; for the city-level count of the cadres check, the city */
    const char *unit_code, *unit_name;
    const char *town;          /* the school's 区镇; "" for the city */
    int subject;               /* subject code (subject-leader, project,
                                  mentor: the teacher's); 0 when none */
    const char *subject_name;  /* or NULL */
    const char *teacher_no, *teacher_name;  /* mentor only; else NULL */
    const char *what;          /* what is missing, in Chinese */
    long long have, need;      /* OVER: need is the norm's top */
} zx_devroles_row;

/* Called per row; a non-zero return stops the listing and is returned. */
typedef int (*zx_devroles_fn)(void *ctx, const zx_devroles_row *r);

/* Lists the gaps of the checks in the bit set `checks` for year, among
 * the schools inside org unit `unit` (the city, a town, a group or a
 * school; 0: all).  Rows come check by check in enum order, then (the
 * city's row first) by town code, school code, subject and teacher
 * number.  A check the plan does not configure (its setting, data
 * element or indicator is absent) is skipped with a note in diag, and
 * ZX_OK is still returned.  Returns ZX_OK; ZX_EINVAL (no fn, or a bit
 * beyond ZX_DEVROLES_ALL); ZX_ENOTFOUND (no such unit); ZX_EDATA (a
 * setting or the element research_project of the plan has the wrong
 * shape, explained in diag at its line; nothing is listed); ZX_EDB;
 * ZX_ENOMEM; or fn's non-zero return. */
int zx_devroles_gaps(zx_db *db, const zx_plan *plan, unsigned checks,
                     int year, long long unit, zx_devroles_fn fn, void *ctx,
                     zx_diag *diag);

#endif
