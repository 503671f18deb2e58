/*
 * review.h - the approval workflow (审核流程) of a year's data: a school
 * submits (上报), its town reviews (审核) or returns it with a reason
 * (退回), the city accepts (确认) and may reopen what it accepted.
 *
 * What a submission covers: for a school, its school-level data element
 * values and those of its teachers; for a town, its town-level values;
 * each for the year and, for elements that are not yearly, year 0.  A
 * town's own submission goes straight to the city.  States per (unit,
 * year):
 *
 *   草稿 draft      no row yet: the unit is still entering its data;
 *   已上报 submitted  waiting for the town (a school) or the city (a town);
 *   已审核 approved   a school the town approved, waiting for the city;
 *   已退回 returned   sent back with a comment; editable, to submit again;
 *   已确认 accepted   accepted by the city: its values are copied into
 *                   data_value_accepted, which the engine reads in its
 *                   accepted-only mode (indicator.h, ZX_ENGINE_ACCEPTED).
 *
 * While a (unit, year) is 已上报, 已审核 or 已确认 its values cannot change
 * (zx_review_lock, which values.c asks before every write); values that
 * are not yearly follow the current plan year (zx_values_current_year);
 * teachers' values follow their school.
 *
 * Who may do what is decided here, against the actor's scope (scope.h),
 * so that the server stays thin:
 *
 *   submit   学校 its own school; 区镇 its town, or a school of its town;
 *   approve  区镇 a school of its town (已上报 → 已审核);
 *   return   区镇 a school of its town (已上报 → 已退回); the city a school
 *            已上报 or 已审核, or a town 已上报;
 *   accept   the city: a school 已审核, a town 已上报 (→ 已确认);
 *   reopen   the city: 已确认 → 已退回, dropping the accepted copy.
 *
 * 管理员 may do all of it; 督学 and 领导 none.  A return and a reopen need
 * a comment.  A unit outside the scope's sight is refused as if it did
 * not exist (ZX_ENOTFOUND), so that probing ids reveals nothing; any
 * other refusal is ZX_EINVAL; both with a Chinese message.  Every action
 * is one transaction with its audit entry (tbl "submission", key
 * "UNITCODE/YEAR", old and new {"state": "已上报", "comment": ...}; old
 * is null for a draft).
 */
#ifndef ZX_REVIEW_H
#define ZX_REVIEW_H

#include <stddef.h>

#include "db.h"
#include "diag.h"
#include "plan.h"
#include "scope.h"

/* Stored in submission.state; a draft has no row. */
enum zx_review_state {
    ZX_REVIEW_DRAFT = 0, ZX_REVIEW_SUBMITTED, ZX_REVIEW_APPROVED,
    ZX_REVIEW_RETURNED, ZX_REVIEW_ACCEPTED
};
#define ZX_REVIEW_NSTATES 5

enum zx_review_action {
    ZX_REVIEW_SUBMIT, ZX_REVIEW_APPROVE, ZX_REVIEW_RETURN, ZX_REVIEW_ACCEPT,
    ZX_REVIEW_REOPEN
};
#define ZX_REVIEW_NACTIONS 5

/* Why an action on one unit was refused (for counts such as "10 个已确认，
 * 2 个状态不符"). */
enum zx_review_why {
    ZX_REVIEW_DONE = 0,      /* not refused */
    ZX_REVIEW_BAD_STATE,     /* 状态不符 (ZX_EINVAL) */
    ZX_REVIEW_FORBIDDEN,     /* 无权操作 (ZX_EINVAL) */
    ZX_REVIEW_NO_UNIT,       /* 单位不存在 (ZX_ENOTFOUND) */
    ZX_REVIEW_BAD_INPUT,     /* 缺少说明, a year outside the plan, a unit
                                that does not submit (ZX_EINVAL) */
    ZX_REVIEW_FAILED         /* the database failed (ZX_EDB, ZX_ENOMEM) */
};
#define ZX_REVIEW_NWHY 6

/* Longest comment, in characters. */
#define ZX_REVIEW_MAXCOMMENT 500

/* "草稿", "已上报", ... (static). */
const char *zx_review_state_name(enum zx_review_state s);
/* "draft", "submitted", "approved", "returned", "accepted" (static). */
const char *zx_review_state_id(enum zx_review_state s);
/* A state from its Chinese name or id; -1 when none. */
int zx_review_state_parse(const char *s);

/* "上报", "审核", "退回", "确认", "重新打开" (static). */
const char *zx_review_action_name(enum zx_review_action a);
/* An action from "submit", "approve", "return", "accept", "reopen" or the
 * Chinese name; -1 when none. */
int zx_review_action_parse(const char *s);

/* "完成", "状态不符", "无权操作", "单位不存在", "输入有误", "写入失败"
 * (static). */
const char *zx_review_why_name(enum zx_review_why w);

/* One unit's submission for a year. */
typedef struct zx_review_item {
    long long unit_id;
    enum zx_level level;             /* ZX_LEVEL_SCHOOL or ZX_LEVEL_TOWN */
    char unit_code[64], unit_name[256];
    char town_name[256];             /* a school's town; "" for a town */
    int year;
    enum zx_review_state state;
    char comment[ZX_REVIEW_MAXCOMMENT * 4 + 1]; /* of the last action */
    char updated_by[128];            /* "" for a draft */
    char updated_at[32];             /* "YYYY-MM-DDTHH:MM:SSZ"; "" */
} zx_review_item;

/* Applies action to (unit_id, year) as the holder of scope (NULL: as
 * 管理员, the operator of the command line) in one transaction (so not
 * inside an open one).  comment is required for a return and a reopen,
 * optional otherwise (NULL or ""); at most ZX_REVIEW_MAXCOMMENT
 * characters.  plan gives the years and, for an accept or reopen, the
 * data elements a submission covers.  actor goes to the audit log and
 * updated_by.  Returns ZX_OK; ZX_ENOTFOUND (no such unit, or outside the
 * scope's sight); ZX_EINVAL (not permitted, wrong state, missing comment,
 * a unit other than a school or town, a year outside the plan); ZX_EDB;
 * ZX_ENOMEM.  Every refusal is explained in diag, in Chinese. */
int zx_review_act(zx_db *db, const zx_plan *plan, const zx_scope *scope,
                  enum zx_review_action action, long long unit_id, int year,
                  const char *comment, const char *actor, zx_diag *diag);

/* The outcome of an action on one unit of a bulk call. */
typedef struct zx_review_outcome {
    long long unit_id;
    int rc;                          /* as zx_review_act returns */
    enum zx_review_why why;
    enum zx_review_state from;       /* the state found (draft if none) */
    enum zx_review_state to;         /* the state now */
    char msg[512];                   /* the refusal, in Chinese; "" */
} zx_review_outcome;

/* Applies action to each of units[0..n) for year, as zx_review_act does,
 * each in its own transaction, so that one refusal does not hold back
 * the others; out (n entries, the caller's) receives each unit's outcome
 * in order.  *done (may be NULL) receives how many succeeded.  Returns
 * ZX_OK when every unit was tried (refused or not: see out); ZX_EDB or
 * ZX_ENOMEM when the database failed, after which the remaining units
 * are marked ZX_REVIEW_FAILED and left alone. */
int zx_review_bulk(zx_db *db, const zx_plan *plan, const zx_scope *scope,
                   enum zx_review_action action, const long long *units,
                   size_t n, int year, const char *comment,
                   const char *actor, zx_review_outcome *out, size_t *done);

/* Fills *out with the submission of (unit_id, year), a draft when none.
 * scope NULL sees everything.  Returns ZX_OK; ZX_ENOTFOUND (no such
 * unit, or outside the scope's sight); ZX_EINVAL (neither a school nor
 * a town); ZX_EDB. */
int zx_review_get(zx_db *db, const zx_scope *scope, long long unit_id,
                  int year, zx_review_item *out);

/* Called per unit; a non-zero return stops the listing and is returned
 * by it.  The item lives for the call.  The listing's statement is its
 * own, so fn may call other functions of this module. */
typedef int (*zx_review_fn)(void *ctx, const zx_review_item *it);

/* Calls fn for every unit of level (ZX_LEVEL_SCHOOL or ZX_LEVEL_TOWN)
 * that scope sees (NULL: every unit), inside unit `within` (0: the whole
 * city; a town: the town and its schools; a group: its schools; a
 * school: itself), with its submission for year, drafts included,
 * keeping only the states in the bit set `states` (1u << state; 0: all),
 * by code.  Returns ZX_OK, ZX_EINVAL (another level), ZX_EDB, ZX_ENOMEM
 * or fn's return. */
int zx_review_list(zx_db *db, const zx_scope *scope, enum zx_level level,
                   long long within, int year, unsigned states,
                   zx_review_fn fn, void *ctx);

/* Whether the values of a data element of level kept for unit_id (an org
 * unit; a teacher id at teacher level) under year (0: an element that is
 * not yearly) may change now.  Returns ZX_OK when they may; ZX_EDATA when
 * the workflow locks them, with the reason in msg (cap bytes), e.g.
 * "甲小学 2021 年度数据已上报，退回后才能修改"; ZX_EDB.  City and group
 * values are never locked. */
int zx_review_lock(zx_db *db, const zx_plan *plan, enum zx_level level,
                   long long unit_id, int year, char *msg, size_t cap);

#endif
