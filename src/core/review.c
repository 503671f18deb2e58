/*
 * review.c - the approval workflow (see review.h): who may move a unit's
 * year from which state to which, the accepted copy of its values, and
 * the lock that keeps submitted values still.
 *
 * Every check of an action runs inside the action's own transaction
 * (BEGIN IMMEDIATE), so two reviewers acting on the same unit at once
 * cannot both see the state they expect.  The rules are a table of
 * transitions plus a function of the actor's role; neither the server
 * nor the command line decides anything of its own.
 */
#include "review.h"
#include "audit.h"
#include "text.h"
#include "values.h"
#include "zx.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const state_names[ZX_REVIEW_NSTATES] = {
    "草稿", "已上报", "已审核", "已退回", "已确认"
};
static const char *const state_ids[ZX_REVIEW_NSTATES] = {
    "draft", "submitted", "approved", "returned", "accepted"
};
static const char *const action_names[ZX_REVIEW_NACTIONS] = {
    "上报", "审核", "退回", "确认", "重新打开"
};
static const char *const action_ids[ZX_REVIEW_NACTIONS] = {
    "submit", "approve", "return", "accept", "reopen"
};
static const char *const why_names[ZX_REVIEW_NWHY] = {
    "完成", "状态不符", "无权操作", "单位不存在", "输入有误", "写入失败"
};

/* What a refusal of an unknown or unseen unit says: the same words for
 * both, so that trying ids tells nothing about units outside the scope. */
#define NO_UNIT_MSG "没有这个单位，或不在您的查看范围内"

const char *zx_review_state_name(enum zx_review_state s)
{
    return (unsigned)s < ZX_REVIEW_NSTATES ? state_names[s] : "?";
}

const char *zx_review_state_id(enum zx_review_state s)
{
    return (unsigned)s < ZX_REVIEW_NSTATES ? state_ids[s] : "?";
}

int zx_review_state_parse(const char *s)
{
    int i;

    for (i = 0; s && i < ZX_REVIEW_NSTATES; i++)
        if (strcmp(s, state_names[i]) == 0 || strcmp(s, state_ids[i]) == 0)
            return i;
    return -1;
}

const char *zx_review_action_name(enum zx_review_action a)
{
    return (unsigned)a < ZX_REVIEW_NACTIONS ? action_names[a] : "?";
}

int zx_review_action_parse(const char *s)
{
    int i;

    for (i = 0; s && i < ZX_REVIEW_NACTIONS; i++)
        if (strcmp(s, action_names[i]) == 0 || strcmp(s, action_ids[i]) == 0)
            return i;
    return -1;
}

const char *zx_review_why_name(enum zx_review_why w)
{
    return (unsigned)w < ZX_REVIEW_NWHY ? why_names[w] : "?";
}

/* ---- units and their submissions --------------------------------------- */

/* The columns fill_item reads, then the WHERE clause of the caller.  A
 * school's town comes from its parent; a town's parent is the city, whose
 * name is not wanted. */
#define ITEM_SELECT                                                        \
    "SELECT u.id, u.kind, u.code, u.name, coalesce(p.name, ''), s.state,"  \
    " coalesce(s.comment, ''), coalesce(s.updated_by, ''),"                \
    " coalesce(s.updated_at, ''), coalesce(u.parent_id, 0)"                \
    " FROM org_unit u"                                                     \
    " LEFT JOIN org_unit p ON p.id = u.parent_id AND u.kind = 'school'"    \
    " LEFT JOIN submission s ON s.unit_id = u.id AND s.year = ?2"

static void fill_item(sqlite3_stmt *st, int year, zx_review_item *it,
                      long long *parent)
{
    memset(it, 0, sizeof(*it));
    it->unit_id = sqlite3_column_int64(st, 0);
    it->level = (enum zx_level)zx_level_parse(
        (const char *)sqlite3_column_text(st, 1));
    snprintf(it->unit_code, sizeof(it->unit_code), "%s",
             sqlite3_column_text(st, 2));
    snprintf(it->unit_name, sizeof(it->unit_name), "%s",
             sqlite3_column_text(st, 3));
    snprintf(it->town_name, sizeof(it->town_name), "%s",
             sqlite3_column_text(st, 4));
    it->year = year;
    it->state = sqlite3_column_type(st, 5) == SQLITE_NULL
                    ? ZX_REVIEW_DRAFT
                    : (enum zx_review_state)sqlite3_column_int(st, 5);
    snprintf(it->comment, sizeof(it->comment), "%s",
             sqlite3_column_text(st, 6));
    snprintf(it->updated_by, sizeof(it->updated_by), "%s",
             sqlite3_column_text(st, 7));
    snprintf(it->updated_at, sizeof(it->updated_at), "%s",
             sqlite3_column_text(st, 8));
    if (parent)
        *parent = sqlite3_column_int64(st, 9);
}

/* Unit id with its submission for year into *it (and its parent's id).
 * Returns ZX_OK, ZX_ENOTFOUND or ZX_EDB; the level is not checked. */
static int read_item(zx_db *db, long long unit_id, int year,
                     zx_review_item *it, long long *parent)
{
    sqlite3_stmt *st = zx_db_prepare(db, ITEM_SELECT " WHERE u.id = ?1");
    int step;

    if (!st)
        return ZX_EDB;
    sqlite3_bind_int64(st, 1, unit_id);
    sqlite3_bind_int(st, 2, year);
    step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        fill_item(st, year, it, parent);
    sqlite3_reset(st);
    return step == SQLITE_ROW ? ZX_OK
           : step == SQLITE_DONE ? ZX_ENOTFOUND
                                 : ZX_EDB;
}

static int submits(enum zx_level level)
{
    return level == ZX_LEVEL_SCHOOL || level == ZX_LEVEL_TOWN;
}

int zx_review_get(zx_db *db, const zx_scope *scope, long long unit_id,
                  int year, zx_review_item *out)
{
    int rc;

    if (scope && !zx_scope_sees(scope, unit_id))
        return ZX_ENOTFOUND;
    if ((rc = read_item(db, unit_id, year, out, NULL)))
        return rc;
    return submits(out->level) ? ZX_OK : ZX_EINVAL;
}

int zx_review_list(zx_db *db, const zx_scope *scope, enum zx_level level,
                   long long within, int year, unsigned states,
                   zx_review_fn fn, void *ctx)
{
    sqlite3_stmt *st = NULL;
    zx_review_item *it = NULL;
    int step, rc;

    if (!submits(level))
        return ZX_EINVAL;
    rc = ZX_ENOMEM;
    if (!(it = malloc(sizeof(*it))))
        goto fail;
    /* a statement of its own: fn may call back into this module.  Inside
     * the city is everything: a town's parent is the city, and so is a
     * school's town's (p, joined for schools only). */
    rc = ZX_EDB;
    if (sqlite3_prepare_v2(zx_db_sqlite(db), ITEM_SELECT
                           " LEFT JOIN school sc ON sc.unit_id = u.id"
                           " WHERE u.kind = ?1 AND (?3 = 0 OR u.id = ?3"
                           " OR u.parent_id = ?3 OR p.parent_id = ?3"
                           " OR sc.group_id = ?3)"
                           " ORDER BY u.code", -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_text(st, 1, zx_level_name(level), -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, year);
    sqlite3_bind_int64(st, 3, within);
    rc = ZX_OK;
    while (rc == ZX_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        fill_item(st, year, it, NULL);
        if (scope && !zx_scope_sees(scope, it->unit_id))
            continue;
        if (states && !(states & (1u << it->state)))
            continue;
        rc = fn(ctx, it);
    }
    if (rc == ZX_OK && step != SQLITE_DONE)
        rc = ZX_EDB;

fail:
    sqlite3_finalize(st);
    free(it);
    return rc;
}

/* ---- the rules ----------------------------------------------------------- */

/* The states an action starts from, as a bit set, for the unit's level:
 * a town's own submission has no town review. */
static unsigned from_states(enum zx_review_action a, enum zx_level level)
{
    int school = level == ZX_LEVEL_SCHOOL;

    switch (a) {
    case ZX_REVIEW_SUBMIT:
        return 1u << ZX_REVIEW_DRAFT | 1u << ZX_REVIEW_RETURNED;
    case ZX_REVIEW_APPROVE:
        return school ? 1u << ZX_REVIEW_SUBMITTED : 0;
    case ZX_REVIEW_RETURN:
        return 1u << ZX_REVIEW_SUBMITTED |
               (school ? 1u << ZX_REVIEW_APPROVED : 0);
    case ZX_REVIEW_ACCEPT:
        return school ? 1u << ZX_REVIEW_APPROVED : 1u << ZX_REVIEW_SUBMITTED;
    case ZX_REVIEW_REOPEN:
        return 1u << ZX_REVIEW_ACCEPTED;
    }
    return 0;
}

static enum zx_review_state to_state(enum zx_review_action a)
{
    switch (a) {
    case ZX_REVIEW_SUBMIT:  return ZX_REVIEW_SUBMITTED;
    case ZX_REVIEW_APPROVE: return ZX_REVIEW_APPROVED;
    case ZX_REVIEW_ACCEPT:  return ZX_REVIEW_ACCEPTED;
    case ZX_REVIEW_RETURN:
    case ZX_REVIEW_REOPEN:  break;
    }
    return ZX_REVIEW_RETURNED;
}

/* What the state must be instead, for the message of a wrong state. */
static const char *state_hint(enum zx_review_action a, enum zx_level level)
{
    int school = level == ZX_LEVEL_SCHOOL;

    switch (a) {
    case ZX_REVIEW_SUBMIT:
        return "只有草稿或已退回的数据可以上报";
    case ZX_REVIEW_APPROVE:
        return "只有已上报的数据可以审核";
    case ZX_REVIEW_RETURN:
        return school ? "只有已上报或已审核的数据可以退回；已确认的数据须"
                        "重新打开"
                      : "只有已上报的数据可以退回；已确认的数据须重新打开";
    case ZX_REVIEW_ACCEPT:
        return school ? "学校数据须先经区镇审核，才能确认"
                      : "只有已上报的数据可以确认";
    case ZX_REVIEW_REOPEN:
        return "只有已确认的数据可以重新打开";
    }
    return "";
}

/* Whether the holder of scope (NULL: 管理员) may apply a to unit it
 * (whose parent is parent) in its present state.  0, or
 * ZX_REVIEW_FORBIDDEN or ZX_REVIEW_BAD_STATE with the reason in msg.
 * The scope is known to see the unit. */
static int permitted(const zx_scope *scope, enum zx_review_action a,
                     const zx_review_item *it, long long parent, char *msg,
                     size_t cap)
{
    const char *role = scope ? zx_scope_role(scope) : "管理员";
    long long own = scope ? zx_scope_unit(scope) : 0;

    if (strcmp(role, "管理员") == 0)
        return 0;
    if (strcmp(role, "督学") == 0 || strcmp(role, "领导") == 0) {
        snprintf(msg, cap, "%s账户只能查看，不能%s", role,
                 action_names[a]);
        return ZX_REVIEW_FORBIDDEN;
    }
    if (a == ZX_REVIEW_ACCEPT || a == ZX_REVIEW_REOPEN) {
        snprintf(msg, cap, "只有市教育局（管理员）可以%s数据",
                 action_names[a]);
        return ZX_REVIEW_FORBIDDEN;
    }
    if (strcmp(role, "学校") == 0) {
        if (a == ZX_REVIEW_SUBMIT && it->unit_id == own)
            return 0;
        if (a == ZX_REVIEW_SUBMIT)
            snprintf(msg, cap, "学校账户只能上报本校的数据");
        else
            snprintf(msg, cap, "学校账户不能%s：学校数据由区镇审核",
                     action_names[a]);
        return ZX_REVIEW_FORBIDDEN;
    }
    if (strcmp(role, "区镇") == 0) {
        int own_school = it->level == ZX_LEVEL_SCHOOL && parent == own;
        if (a == ZX_REVIEW_SUBMIT && (it->unit_id == own || own_school))
            return 0;
        if (a == ZX_REVIEW_SUBMIT) {
            snprintf(msg, cap, "区镇账户只能上报本区镇及其学校的数据");
            return ZX_REVIEW_FORBIDDEN;
        }
        if (!own_school) {
            snprintf(msg, cap, "区镇账户只能%s本区镇学校的数据；区镇本级"
                     "数据由市教育局审核", action_names[a]);
            return ZX_REVIEW_FORBIDDEN;
        }
        /* the city's to undo what the town approved */
        if (it->state == ZX_REVIEW_APPROVED && a == ZX_REVIEW_RETURN) {
            snprintf(msg, cap, "%s %d 年度数据已审核，正等待市教育局确认；"
                     "如需修改，请市教育局退回", it->unit_name, it->year);
            return ZX_REVIEW_BAD_STATE;
        }
        return 0;
    }
    snprintf(msg, cap, "“%s”角色不能%s数据", role, action_names[a]);
    return ZX_REVIEW_FORBIDDEN;
}

/* Whether year is the plan's baseline or one of its years. */
static int plan_year(const zx_plan *plan, int year, char *msg, size_t cap)
{
    const int *years;
    int n, i;
    size_t used;

    years = zx_plan_years(plan, &n);
    if (year == zx_plan_baseline(plan))
        return 1;
    for (i = 0; i < n; i++)
        if (years[i] == year)
            return 1;
    used = (size_t)snprintf(msg, cap, "年度 %d 不在计划之内，应为 %d（基线）",
                            year, zx_plan_baseline(plan));
    for (i = 0; i < n && used < cap; i++)
        used += (size_t)snprintf(msg + used, cap - used, "、%d", years[i]);
    return 0;
}

/* ---- writing --------------------------------------------------------------- */

static void now_text(char *buf, size_t cap)
{
    time_t now = time(NULL);
    struct tm tm;

    gmtime_r(&now, &tm);
    strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* data_value's columns, in data_value_accepted's order (migration 7). */
#define VALUE_COLUMNS                                                      \
    "element, unit_id, year, num, text, entered_by, entered_at"

/* Runs one of the fixed statements of the accepted copy for an element,
 * a unit (a school for the teacher statements) and a year. */
static int run3(zx_db *db, const char *sql, const char *element,
                long long unit_id, int year)
{
    sqlite3_stmt *st = zx_db_prepare(db, sql);
    int step;

    if (!st)
        return ZX_EDB;
    sqlite3_bind_text(st, 1, element, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, unit_id);
    sqlite3_bind_int(st, 3, year);
    step = sqlite3_step(st);
    sqlite3_reset(st);
    return step == SQLITE_DONE ? ZX_OK : ZX_EDB;
}

/* Replaces (copy set) or removes the accepted values of the submission
 * of unit it for its year: a school's school-level values and its
 * teachers', a town's town-level values; each element's year, or 0 when
 * it is not yearly.  Values that are not yearly belong to every year's
 * submission: an accept replaces them, a reopen removes them only when
 * no other year of the unit stays accepted. */
static int set_accepted(zx_db *db, const zx_plan *plan,
                        const zx_review_item *it, int copy)
{
    const zx_data_element *des;
    long long others = 0;
    int n, i, rc;

    if (!copy) {
        sqlite3_stmt *st = zx_db_prepare(db, "SELECT count(*)"
                                             " FROM submission"
                                             " WHERE unit_id = ?1"
                                             " AND year <> ?2 AND state = ?3");
        if (!st)
            return ZX_EDB;
        sqlite3_bind_int64(st, 1, it->unit_id);
        sqlite3_bind_int(st, 2, it->year);
        sqlite3_bind_int(st, 3, ZX_REVIEW_ACCEPTED);
        rc = sqlite3_step(st) == SQLITE_ROW ? ZX_OK : ZX_EDB;
        others = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        if (rc)
            return rc;
    }
    des = zx_plan_elements(plan, &n);
    for (i = 0; i < n; i++) {
        const zx_data_element *de = &des[i];
        int teacher = de->level == ZX_LEVEL_TEACHER;
        int y = de->yearly ? it->year : 0;

        if (it->level == ZX_LEVEL_SCHOOL
                ? de->level != ZX_LEVEL_SCHOOL && !teacher
                : de->level != ZX_LEVEL_TOWN)
            continue;
        if (!copy && !de->yearly && others > 0)
            continue;
        rc = run3(db, teacher ? "DELETE FROM data_value_accepted"
                                " WHERE element = ?1 AND year = ?3"
                                " AND unit_id IN (SELECT id FROM teacher"
                                " WHERE school_id = ?2)"
                              : "DELETE FROM data_value_accepted"
                                " WHERE element = ?1 AND unit_id = ?2"
                                " AND year = ?3",
                  de->id, it->unit_id, y);
        if (!rc && copy)
            rc = run3(db, teacher ? "INSERT INTO data_value_accepted"
                                    " SELECT " VALUE_COLUMNS
                                    " FROM data_value"
                                    " WHERE element = ?1 AND year = ?3"
                                    " AND unit_id IN (SELECT id FROM teacher"
                                    " WHERE school_id = ?2)"
                                  : "INSERT INTO data_value_accepted"
                                    " SELECT " VALUE_COLUMNS
                                    " FROM data_value"
                                    " WHERE element = ?1 AND unit_id = ?2"
                                    " AND year = ?3",
                      de->id, it->unit_id, y);
        if (rc)
            return rc;
    }
    return ZX_OK;
}

/* {"state": "已上报", "comment": "..." or null}; malloc'd, NULL when out
 * of memory. */
static char *state_json(enum zx_review_state s, const char *comment)
{
    json_t *j = json_pack("{s:s, s:o}", "state", state_names[s], "comment",
                          comment && *comment ? json_string(comment)
                                              : json_null());
    char *t = j ? json_dumps(j, JSON_COMPACT) : NULL;

    json_decref(j);
    return t;
}

/* Stores the new state of it with its audit entry, inside the caller's
 * transaction. */
static int write_state(zx_db *db, const zx_review_item *it,
                       enum zx_review_action a, enum zx_review_state to,
                       const char *comment, const char *actor)
{
    sqlite3_stmt *st;
    zx_audit_entry e;
    char key[160], at[32], *jo = NULL, *jn = NULL;
    int rc = ZX_EDB;

    now_text(at, sizeof(at));
    st = zx_db_prepare(db, "INSERT INTO submission(unit_id, year, state,"
                           " comment, updated_by, updated_at)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                           " ON CONFLICT(unit_id, year) DO UPDATE"
                           " SET state = excluded.state,"
                           " comment = excluded.comment,"
                           " updated_by = excluded.updated_by,"
                           " updated_at = excluded.updated_at");
    if (!st)
        goto fail;
    sqlite3_bind_int64(st, 1, it->unit_id);
    sqlite3_bind_int(st, 2, it->year);
    sqlite3_bind_int(st, 3, (int)to);
    if (*comment)
        sqlite3_bind_text(st, 4, comment, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, at, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
        sqlite3_reset(st);
        goto fail;
    }
    sqlite3_reset(st);

    rc = ZX_ENOMEM;
    if ((it->state != ZX_REVIEW_DRAFT &&
         !(jo = state_json(it->state, it->comment))) ||
        !(jn = state_json(to, comment)))
        goto fail;
    snprintf(key, sizeof(key), "%s/%d", it->unit_code, it->year);
    e.actor = actor;
    e.addr = "";
    e.action = action_ids[a];
    e.tbl = "submission";
    e.key = key;
    e.old = jo;
    e.new_ = jn;
    rc = zx_audit_append(db, &e);

fail:
    free(jo);
    free(jn);
    return rc;
}

/* One action on one unit, in its own transaction, into *out.  comment is
 * normalised already; comment_err, when not empty, is why it cannot be
 * used. */
static int act_one(zx_db *db, const zx_plan *plan, const zx_scope *scope,
                   enum zx_review_action a, long long unit_id, int year,
                   const char *comment, const char *comment_err,
                   const char *actor, zx_review_outcome *out)
{
    zx_review_item *it = malloc(sizeof(*it));
    long long parent = 0;
    int rc, why = ZX_REVIEW_DONE, began = 0;

    memset(out, 0, sizeof(*out));
    out->unit_id = unit_id;
    rc = ZX_ENOMEM;
    if (!it)
        goto fail;
    if ((rc = zx_db_begin(db)))
        goto fail;
    began = 1;
    rc = scope && !zx_scope_sees(scope, unit_id)
             ? ZX_ENOTFOUND
             : read_item(db, unit_id, year, it, &parent);
    if (rc == ZX_ENOTFOUND) {
        why = ZX_REVIEW_NO_UNIT;
        snprintf(out->msg, sizeof(out->msg), NO_UNIT_MSG);
        goto fail;
    }
    if (rc)
        goto fail;
    out->from = out->to = it->state;
    rc = ZX_EINVAL;
    why = ZX_REVIEW_BAD_INPUT;
    if (!submits(it->level)) {
        snprintf(out->msg, sizeof(out->msg), "只有学校和区镇上报数据，“%s”"
                 "是%s", it->unit_name, it->level == ZX_LEVEL_CITY
                                             ? "全市" : "教育集团");
        goto fail;
    }
    if (!plan_year(plan, year, out->msg, sizeof(out->msg)))
        goto fail;
    if ((why = permitted(scope, a, it, parent, out->msg,
                         sizeof(out->msg))))
        goto fail;
    why = ZX_REVIEW_BAD_INPUT;
    if (!from_states(a, it->level)) {
        snprintf(out->msg, sizeof(out->msg), "区镇本级数据由市教育局直接"
                 "确认，无需%s", action_names[a]);
        goto fail;
    }
    why = ZX_REVIEW_BAD_STATE;
    if (!(from_states(a, it->level) & (1u << it->state))) {
        snprintf(out->msg, sizeof(out->msg), "%s %d 年度数据当前为%s，不能"
                 "%s：%s", it->unit_name, year, state_names[it->state],
                 action_names[a], state_hint(a, it->level));
        goto fail;
    }
    why = ZX_REVIEW_BAD_INPUT;
    if (*comment_err) {
        snprintf(out->msg, sizeof(out->msg), "%s", comment_err);
        goto fail;
    }
    if ((a == ZX_REVIEW_RETURN || a == ZX_REVIEW_REOPEN) && !*comment) {
        snprintf(out->msg, sizeof(out->msg), "%s须写明原因（说明），以便"
                 "%s修改", action_names[a], it->unit_name);
        goto fail;
    }

    if ((rc = write_state(db, it, a, to_state(a), comment, actor)))
        goto fail;
    if ((a == ZX_REVIEW_ACCEPT || a == ZX_REVIEW_REOPEN) &&
        (rc = set_accepted(db, plan, it, a == ZX_REVIEW_ACCEPT)))
        goto fail;
    if ((rc = zx_db_commit(db)))
        goto fail;
    began = 0;
    why = ZX_REVIEW_DONE;
    out->to = to_state(a);

fail:
    if (began)
        zx_db_rollback(db);
    if (rc == ZX_EDB || rc == ZX_ENOMEM) {
        why = ZX_REVIEW_FAILED;
        snprintf(out->msg, sizeof(out->msg), "数据库写入失败：%s",
                 rc == ZX_EDB ? zx_db_errmsg(db) : zx_strerror(rc));
    }
    out->rc = rc;
    out->why = (enum zx_review_why)why;
    free(it);
    return rc;
}

/* The comment as stored into *out (malloc'd): spaces normalised, "" for
 * none; err (cap bytes) receives why it cannot be used, or "". */
static int prep_comment(const char *in, char **out, char *err, size_t cap)
{
    err[0] = '\0';
    if (!in)
        in = "";
    if (!(*out = malloc(strlen(in) + 1)))
        return ZX_ENOMEM;
    if (!zx_utf8_valid(in, strlen(in))) {
        (*out)[0] = '\0';
        snprintf(err, cap, "说明不是有效的 UTF-8 文本");
        return ZX_OK;
    }
    zx_text_norm(in, *out, 0);
    if (zx_text_chars(*out) > ZX_REVIEW_MAXCOMMENT)
        snprintf(err, cap, "说明过长（%zu 个字），最多 %d 个字",
                 zx_text_chars(*out), ZX_REVIEW_MAXCOMMENT);
    return ZX_OK;
}

int zx_review_bulk(zx_db *db, const zx_plan *plan, const zx_scope *scope,
                   enum zx_review_action action, const long long *units,
                   size_t n, int year, const char *comment,
                   const char *actor, zx_review_outcome *out, size_t *done)
{
    char err[128], *c = NULL;
    size_t i = 0, ok = 0;
    int rc;

    if ((rc = prep_comment(comment, &c, err, sizeof(err))))
        goto fail;
    for (; i < n; i++) {
        rc = act_one(db, plan, scope, action, units[i], year, c, err, actor,
                     &out[i]);
        if (rc == ZX_EDB || rc == ZX_ENOMEM) {
            i++;
            goto fail;
        }
        ok += rc == ZX_OK;
    }
    rc = ZX_OK;

fail:
    /* after a failure of the database the rest is not tried */
    for (; i < n; i++) {
        memset(&out[i], 0, sizeof(out[i]));
        out[i].unit_id = units[i];
        out[i].rc = rc;
        out[i].why = ZX_REVIEW_FAILED;
        snprintf(out[i].msg, sizeof(out[i].msg), "未处理：%s",
                 zx_strerror(rc));
    }
    if (done)
        *done = ok;
    free(c);
    return rc;
}

int zx_review_act(zx_db *db, const zx_plan *plan, const zx_scope *scope,
                  enum zx_review_action action, long long unit_id, int year,
                  const char *comment, const char *actor, zx_diag *diag)
{
    zx_review_outcome o;
    int rc;

    rc = zx_review_bulk(db, plan, scope, action, &unit_id, 1, year, comment,
                        actor, &o, NULL);
    if (rc == ZX_OK)
        rc = o.rc;
    if (rc)
        zx_diag_add(diag, "", 0, -1, "%s", o.msg);
    return rc;
}

/* ---- the lock --------------------------------------------------------------- */

int zx_review_lock(zx_db *db, const zx_plan *plan, enum zx_level level,
                   long long unit_id, int year, char *msg, size_t cap)
{
    sqlite3_stmt *st;
    char who[320];
    int y = year ? year : zx_values_current_year(plan), step, state = 0;

    if (!submits(level) && level != ZX_LEVEL_TEACHER)
        return ZX_OK;
    /* a teacher's values are part of the school's submission */
    st = zx_db_prepare(db, level == ZX_LEVEL_TEACHER
                               ? "SELECT s.state, u.name, t.teacher_no"
                                 " FROM teacher t JOIN submission s"
                                 " ON s.unit_id = t.school_id"
                                 " AND s.year = ?2"
                                 " JOIN org_unit u ON u.id = t.school_id"
                                 " WHERE t.id = ?1 AND s.state <> ?3"
                               : "SELECT s.state, u.name, NULL"
                                 " FROM submission s JOIN org_unit u"
                                 " ON u.id = s.unit_id"
                                 " WHERE s.unit_id = ?1 AND s.year = ?2"
                                 " AND s.state <> ?3");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_int64(st, 1, unit_id);
    sqlite3_bind_int(st, 2, y);
    /* a draft has no row; every stored state but 已退回 locks */
    sqlite3_bind_int(st, 3, ZX_REVIEW_RETURNED);
    step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        state = sqlite3_column_int(st, 0);
        if (sqlite3_column_type(st, 2) != SQLITE_NULL)
            snprintf(who, sizeof(who), "教师 %s 所在的%s",
                     sqlite3_column_text(st, 2), sqlite3_column_text(st, 1));
        else
            snprintf(who, sizeof(who), "%s", sqlite3_column_text(st, 1));
    }
    sqlite3_reset(st);
    if (step == SQLITE_DONE)
        return ZX_OK;
    if (step != SQLITE_ROW)
        return ZX_EDB;
    snprintf(msg, cap, "%s %d 年度数据%s，%s后才能修改%s", who, y,
             zx_review_state_name((enum zx_review_state)state),
             state == ZX_REVIEW_ACCEPTED ? "市教育局重新打开" : "退回",
             year ? "" : "（不按年度填报的数据随当前年度一并上报）");
    return ZX_EDATA;
}
