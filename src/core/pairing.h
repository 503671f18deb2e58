/*
 * pairing.h - the pairing programmes of the plan (结对帮扶, clause 4.2 and
 * 青蓝结对 of 3.4.2-T4): who may be paired, the proposal of one-to-one
 * pairs at least total cost, the office's acceptance and edits, and the
 * activities that show a pair at work.
 *
 * The programmes are fixed by the plan, whose indicators pair-leaders,
 * pair-studios, pair-subject-leaders, pair-cadres and pair-all read the
 * mentor pools by these names (a mentor counts as paired when one of its
 * pairs is accepted):
 *
 *   leaders          4.2-K1  leadership-group members (people added by
 *                            name) -> rural schools, the weakest first
 *   studios          4.2-K2  city-level master-teacher studios (a teacher
 *                            holding 名师工作室领衔人 at 县级 or above in the
 *                            year stands for the studio) -> rural schools
 *   subject_leaders  4.2-K3  urban teachers holding 学科带头人 at 县级 (Haimen
 *                            city) or above in the year -> young rural
 *                            teachers (at most 35 in the year, not subject
 *                            leaders themselves) of the mentors' subjects
 *   cadres           4.2-K4  group-HQ principals and vice principals (and
 *                            bureau cadres added by name) -> rural schools
 *
 * A programme's settings are one JSON document kept in the meta table
 * under "pairing:PROGRAMME" (defaults above until the office changes
 * them; zx_pairing_settings_get shows the shape):
 *
 *   mentors, mentees  the pools' definitions: member teacher|school|person,
 *                     where all|urban|rural|group_hq (rural as the plan
 *                     defines it), role and min_level (a title held in the
 *                     year, at that level or above), posts (岗位 names),
 *                     max_age (in the year), not_role, same_subjects (a
 *                     teacher mentee teaches a subject of some mentor),
 *                     name_suffix (appended to a teacher's name: a studio)
 *   require           {subject, stage}: a pair across subjects or across
 *                     stage families (学前, 小学, 中学 = 初中/高中/中职, 特教) is
 *                     impossible; a school side matches the subjects and
 *                     stages its teachers teach; a person matches anything
 *   weights           group (cost taken off a same-group pair), distance
 *                     (cost per km between the two schools, haversine),
 *                     weak (cost taken off per indicator of the mentee's
 *                     school judged 滞后 at school level in the year)
 *   pins, forbids     [[MENTOR, MENTEE], ...] by member key
 *
 * A member's key is its teacher number, its school's code, or for a
 * person the name.  Every pair's cost is the sum of its terms, each kept
 * with a Chinese label, so that a proposal explains itself:
 * "同学科 ✓, 同学段 ✓, 同集团 −20, 距离 12.4 km +12.4, 薄弱学校（滞后 9 项）−45".
 *
 * Every write is one transaction with its audit entry.  Strings handed to
 * callbacks are valid during the callback only.
 *
 * This is the one public header of the module, which is three files:
 * pairing.c (the programmes, their settings and pools), pairprop.c (the
 * cost of a pair, propose, accept, edit and the listings) and pairact.c
 * (activities and statistics); what they share among themselves is in
 * pairint.h.
 */
#ifndef ZX_PAIRING_H
#define ZX_PAIRING_H

#include <jansson.h>

#include "db.h"
#include "diag.h"
#include "indicator.h"
#include "plan.h"

#define ZX_PAIRING_NPROGRAMMES 4

/* "leaders", "studios", "subject_leaders", "cadres" by index, and back
 * (-1 when unknown); the Chinese title and the clause.  Static. */
const char *zx_pairing_programme_id(int p);
int zx_pairing_programme_parse(const char *s);
const char *zx_pairing_programme_title(int p);
const char *zx_pairing_programme_clause(int p);

/* ---- settings ---- */

/* The programme's settings document (the defaults when never set); a new
 * reference the caller owns.  ZX_OK, ZX_ENOTFOUND (no such programme),
 * ZX_EDATA (the stored text is not JSON), ZX_ENOMEM. */
int zx_pairing_settings_get(zx_db *db, const char *programme, json_t **out);

/* Checks doc in full (every problem to diag: unknown fields, wrong types,
 * a weight that is not a finite number, a member pinned twice, a pair
 * both pinned and forbidden) and stores it with an audit entry of the old
 * and new documents; storing the same document again changes nothing.
 * ZX_OK, ZX_ENOTFOUND, ZX_EDATA, ZX_EDB, ZX_ENOMEM. */
int zx_pairing_settings_put(zx_db *db, const char *programme,
                            const json_t *doc, const char *actor,
                            zx_diag *diag);

/* ---- pools ---- */

enum zx_pairing_kind { ZX_PAIRING_TEACHER, ZX_PAIRING_SCHOOL,
                       ZX_PAIRING_PERSON };

typedef struct zx_pairing_member {
    long long id;              /* pairing_pool.id */
    int mentor;                /* 1 mentor side, 0 mentee side */
    enum zx_pairing_kind kind;
    const char *key;           /* teacher number, school code or name */
    const char *name;          /* as shown: teacher, studio, school, person */
    const char *school;        /* the member's school name, or "" */
    int subject;               /* a teacher's subject code, else 0 */
    int stage;                 /* a teacher's stage code, else 0 */
    const char *status;        /* "accepted", "proposed" or "" (unpaired) */
} zx_pairing_member;

typedef int (*zx_pairing_member_fn)(void *ctx, const zx_pairing_member *m);

/* Fills both pools of the programme from the registry for year, by the
 * settings' definitions (mentors first, since mentees may follow their
 * subjects).  Members the definition no longer gives are removed, with
 * their proposed pairs, except those in an accepted pair, which stay;
 * people added by name stay.  One audit entry lists the keys added and
 * removed.  The counts go to added / removed (each may be NULL).
 * ZX_OK, ZX_ENOTFOUND, ZX_EDATA (settings), ZX_EDB, ZX_ENOMEM. */
int zx_pairing_pool_fill(zx_db *db, const zx_plan *plan,
                         const char *programme, int year, const char *actor,
                         int *added, int *removed, zx_diag *diag);

/* Adds one member to a side (mentor non-zero: the mentor pool): with
 * person set, a person of that name; else key is a teacher number or a
 * school code.  ZX_OK, ZX_ENOTFOUND (no such programme, teacher or
 * school), ZX_EEXIST (already in the pool), ZX_EDB, ZX_ENOMEM. */
int zx_pairing_pool_add(zx_db *db, const char *programme, int mentor,
                        const char *key, int person, const char *actor,
                        zx_diag *diag);

/* Removes the member with that key (either side) and its proposed pairs.
 * ZX_OK, ZX_ENOTFOUND, ZX_EDATA (it is in an accepted pair), ZX_EDB. */
int zx_pairing_pool_remove(zx_db *db, const char *programme,
                           const char *key, const char *actor,
                           zx_diag *diag);

/* Calls fn for every member, mentors first, each side by key. */
int zx_pairing_pool_list(zx_db *db, const char *programme,
                         zx_pairing_member_fn fn, void *ctx);

/* ---- pairs ---- */

typedef struct zx_pairing_term {
    const char *id;            /* "subject", "stage", "group", "distance",
                                  "weak" */
    const char *label;         /* "同学科 ✓", "距离 12.4 km", ... */
    double cost;               /* what it adds to the pair's cost */
} zx_pairing_term;

typedef struct zx_pairing_pair {
    long long id;              /* pairing.id */
    const char *status;        /* "proposed" or "accepted" */
    const char *accepted_on;   /* "YYYY-MM-DD" or NULL */
    zx_pairing_member mentor, mentee;
    int pinned;                /* the settings pin this pair */
    const zx_pairing_term *terms;
    int nterms;
    double cost;               /* the terms' sum, added in order */
    const char *explain;       /* the terms' labels and costs, one line */
    int activities;            /* activities logged */
    const char *last_activity; /* date of the latest, or NULL */
} zx_pairing_pair;

typedef int (*zx_pairing_pair_fn)(void *ctx, const zx_pairing_pair *p);

typedef struct zx_pairing_outcome {
    int pairs;                 /* proposed now */
    int kept;                  /* accepted pairs left as they were */
    int mentors_left, mentees_left;  /* unpaired after the proposal */
    double total;              /* the proposed pairs' total cost */
} zx_pairing_outcome;

/* Proposes pairs for the members not in an accepted pair: the cost of
 * every (mentor, mentee) pair, impossible ones and forbidden ones left
 * out, pins kept, solved exactly (assign.h) for the most pairs possible
 * and, among those, the least total cost.  The earlier proposals of the
 * programme are replaced; one audit entry lists the new pairs.  eng (may
 * be NULL: no weakness term) judges the mentee schools' indicators for
 * year.  fn (may be NULL) is called for each new pair.  ZX_OK;
 * ZX_ENOTFOUND; ZX_EDATA (a pin names a member not in the pool, already
 * paired, or an impossible pair: in diag; nothing changed); ZX_EDB;
 * ZX_ENOMEM. */
int zx_pairing_propose(zx_db *db, zx_engine *eng, const char *programme,
                       int year, const char *actor, zx_pairing_outcome *out,
                       zx_pairing_pair_fn fn, void *ctx, zx_diag *diag);

/* Accepts the proposed pairs ids[0..n) of the programme, or every
 * proposed pair when n == 0, on date today ("YYYY-MM-DD").  *accepted
 * (may be NULL) receives how many.  ZX_OK; ZX_ENOTFOUND (an id not of the
 * programme); ZX_EDATA (already accepted); ZX_EDB. */
int zx_pairing_accept(zx_db *db, const char *programme, const long long *ids,
                      int n, const char *today, const char *actor,
                      int *accepted, zx_diag *diag);

/* Replaces the mentor and/or the mentee (key, NULL to keep) of proposed
 * pair id.  The new member must be in the programme's pool, in no other
 * pair, and the pair must meet the required matches.  ZX_OK;
 * ZX_ENOTFOUND; ZX_EDATA (explained in diag); ZX_EDB. */
int zx_pairing_edit(zx_db *db, long long id, const char *mentor_key,
                    const char *mentee_key, const char *actor,
                    zx_diag *diag);

/* Calls fn for every pair of the programme (accepted first, then by
 * mentor key), with its terms computed from today's data and weights;
 * eng and year as for zx_pairing_propose. */
int zx_pairing_list(zx_db *db, zx_engine *eng, const char *programme,
                    int year, zx_pairing_pair_fn fn, void *ctx,
                    zx_diag *diag);

/* ---- activities ---- */

/* "visit", "lesson", "help" and their Chinese names (走访, 听评课,
 * 帮扶事项), which are stored; -1 / NULL when unknown. */
int zx_pairing_kind_parse(const char *s);
const char *zx_pairing_kind_name(int k);

/* Logs an activity of accepted pair id on date ("YYYY-MM-DD", a real
 * date), with an optional note of at most 2000 characters.  *out_id (may
 * be NULL) receives its id.  ZX_OK; ZX_ENOTFOUND; ZX_EINVAL (kind, date
 * or note; in diag); ZX_EDATA (the pair is only proposed); ZX_EDB. */
int zx_pairing_activity_add(zx_db *db, long long pair, const char *kind,
                            const char *date, const char *note,
                            const char *actor, long long *out_id,
                            zx_diag *diag);

/* ---- statistics ---- */

typedef struct zx_pairing_stats {
    int mentors, mentees;          /* pool sizes */
    int mentors_accepted;          /* in an accepted pair */
    int mentees_accepted, mentees_proposed;
    int accepted, proposed;        /* pairs */
    int active;                    /* accepted pairs with an activity in
                                      the term */
    char term_from[11], term_to[11];  /* the half year of the date */
    double coverage;               /* mentees_accepted / mentees, NaN
                                      when no mentee */
    double active_share;           /* active / accepted, NaN when none */
} zx_pairing_stats;

/* The programme's figures on date ("YYYY-MM-DD"): a term is the half
 * year holding it (1 January - 30 June, 1 July - 31 December).
 * ZX_OK, ZX_ENOTFOUND, ZX_EINVAL (date), ZX_EDB. */
int zx_pairing_stats_get(zx_db *db, const char *programme, const char *date,
                         zx_pairing_stats *out);

#endif
