/*
 * rotation.h - teacher rotation (交流轮岗, clause 3.4.3-T7): who is
 * eligible in a year, each source school's quota, a proposal of who
 * goes where, and the record of rotations done, which the plan's
 * indicators rotation-rate and rotation-backbone read (table rotation).
 *
 * Figures come from the year's "rotation" rules (rules.h), keys in
 * brackets.  The plan's settings rotation_years, rotation_share and
 * backbone_share are the measure its indicators hold the city to; the
 * rules are the mechanism's own figures of the year, defaulting to the
 * same numbers, so that the office may ask more of a year (say 12%)
 * than the plan measures without editing the plan.
 *
 *   source    an urban school (urban-rural code not in the plan's rural
 *             list) or, with [hq_strong] = 1, the HQ of an education
 *             group (group_hq = 1), the one "strong" school the registry
 *             can tell.  A rural HQ's teachers rotate under the mechanism
 *             but fall outside the indicators, which count urban schools.
 *   eligible  a 在编 teacher of a source school with year - since_year >=
 *             [years], exactly the indicator rotation-rate's
 *             `employment = '在编' and years_in_school >= ...`.
 *   backbone  holds 骨干教师 or 学科带头人 at 县级 or above in the year,
 *             as the indicator rotation-backbone's role(...) calls.
 *   quota     per source school ceil([share]% x eligible); of them
 *             ceil([backbone_share]% x quota) backbone, capped by the
 *             backbone teachers it has.
 *   done      eligible teachers of the school with a rotation row of the
 *             year: what the indicator counts.  A school meets its quota
 *             when done >= quota and backbone done >= backbone quota.
 *
 * The proposal fills each source school's quota less what is done or
 * accepted: backbone teachers first up to the backbone quota still
 * open, then the rest, each by years in school (longest first), then
 * teacher number.  A teacher rotated in the [years] years before is not
 * proposed again: the clock restarts at a rotation.  Destinations are
 * rural schools serving the teacher's stage, each taking at most
 * [dest_max] a year (accepted ones included); a school short of
 * teachers in the teacher's subject in staffing_subject for the year
 * (need > actual) comes first, then the nearest by zx_geo_km (schools
 * without coordinates last, by code).  Kind: 挂职 for a school leader
 * (post 校长, 副校长, 中层干部), 支教 when the destination is short of
 * the subject, 轮岗 otherwise.
 */
#ifndef ZX_ROTATION_H
#define ZX_ROTATION_H

#include <jansson.h>

#include "db.h"
#include "plan.h"
#include "rules.h"

typedef struct zx_rotation_school {
    long long id;
    char *code, *name, *town;          /* town "" when none */
    int rural, hq;
    int located;                       /* lon, lat known */
    double lon, lat;
    long long eligible, backbone;      /* eligible, backbone among them */
    long long quota, backbone_quota;
    long long proposed, proposed_backbone; /* proposals still open */
    long long done, done_backbone;     /* rotated this year (indicator) */
    int meets;
} zx_rotation_school;

enum zx_rotation_state {
    ZX_ROTATION_OPEN,                  /* may be proposed */
    ZX_ROTATION_PROPOSED,              /* an open proposal */
    ZX_ROTATION_DONE,                  /* rotated this year */
    ZX_ROTATION_RECENT                 /* rotated in the years before */
};

/* "待交流", "已提议", "已交流", "近年已交流"; static. */
const char *zx_rotation_state_title(enum zx_rotation_state s);

typedef struct zx_rotation_teacher {
    long long id;
    char *no, *name;
    int school;                        /* index into schools */
    int stage, subject, post, years, backbone;
    enum zx_rotation_state state;
} zx_rotation_teacher;

/* One year's eligibility and quotas; owns every string and array.
 * Schools are the source schools with eligible teachers, by town and
 * code; teachers by school, then years in school (longest first) and
 * number. */
typedef struct zx_rotation {
    int year;
    zx_rotation_school *schools;
    int nschools;
    zx_rotation_teacher *teachers;
    int nteachers;
    long long eligible, backbone, quota, backbone_quota, done,
        done_backbone, proposed;
    int meeting;                       /* schools meeting their quota */
} zx_rotation;

/* Computes year with rules (kind "rotation") into *out, to free with
 * zx_rotation_free.  Reads only.  Returns ZX_OK, ZX_EINVAL (rules of
 * another kind), ZX_EDB or ZX_ENOMEM. */
int zx_rotation_compute(zx_db *db, const zx_plan *plan, int year,
                        const zx_rules *rules, zx_rotation **out);

void zx_rotation_free(zx_rotation *r);

/* The i-th school (quota report) and the i-th eligible teacher as JSON
 * objects; the caller owns them; NULL when memory
 * is short. */
json_t *zx_rotation_school_json(const zx_rotation *r, int i);
json_t *zx_rotation_teacher_json(const zx_rotation *r, int i);

/* Proposes the year's rotations (see above): removes the year's open
 * proposals, keeps accepted ones, writes the new ones as 'proposed'
 * with a reason in Chinese, in one transaction with one audit entry
 * (table rotation_proposal, key the year).  *n (may be NULL) gets the
 * number proposed.  Returns ZX_OK, ZX_EINVAL, ZX_EDB or ZX_ENOMEM. */
int zx_rotation_propose(zx_db *db, const zx_plan *plan, int year,
                        const zx_rules *rules, const char *actor, int *n);

/* One proposal or record, as listed. */
typedef struct zx_rotation_entry {
    long long id;                      /* proposal id; 0 for a record */
    long long record_id;               /* rotation row id; 0 if none */
    const char *status;                /* "proposed", "accepted", "recorded" */
    const char *teacher_no, *teacher_name;
    const char *from_code, *from_name, *to_code, *to_name;
    const char *from_town, *to_town;   /* "" when none */
    const char *kind, *reason;
    int backbone;
    double km;                         /* NaN without coordinates */
} zx_rotation_entry;

/* Calls fn for the year's proposals (open and accepted) and the
 * rotations recorded without a proposal, by source school code and
 * teacher number; strings valid during the call.  Returns ZX_OK, ZX_EDB
 * or fn's non-zero return. */
int zx_rotation_list(zx_db *db, int year,
                     int (*fn)(void *ctx, const zx_rotation_entry *e),
                     void *ctx);

/* A listed entry as a JSON object; the caller owns it; NULL when memory
 * is short. */
json_t *zx_rotation_entry_json(const zx_rotation_entry *e);

/* Accepts the year's open proposals with the given ids (all open ones
 * when n is 0): each becomes 'accepted' and its rotation row is
 * written.  One transaction, one audit entry (table rotation, key the
 * year, the ids accepted).  *accepted (may be NULL) gets the count.
 * Returns ZX_OK, ZX_ENOTFOUND (an id that is not an open proposal of
 * the year: nothing accepted), ZX_EDB or ZX_ENOMEM. */
int zx_rotation_accept(zx_db *db, int year, const long long *ids, int n,
                       const char *actor, int *accepted);

/* Records a rotation done outside a proposal: teacher_no from their
 * school to the school of code to_code, kind 轮岗, 支教 or 挂职.  An
 * open proposal of the teacher for the year gives way to it.  Audited
 * (table rotation, key the new row's id).  Returns ZX_OK, ZX_ENOTFOUND
 * (teacher or school unknown), ZX_EINVAL (kind unknown, or the
 * teacher's own school), ZX_EEXIST (already rotated that year), ZX_EDB
 * or ZX_ENOMEM. */
int zx_rotation_record(zx_db *db, int year, const char *teacher_no,
                       const char *to_code, const char *kind,
                       const char *actor);

#endif
