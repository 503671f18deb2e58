/*
 * test_review.c - the approval workflow (src/core/review.c): the whole
 * cycle submit → return → submit → approve → accept → locked → reopen,
 * with its audit trail; every role refused where it should be, a unit
 * outside the scope refused as unknown; the locks on zx_values_set and
 * zx_values_import (yearly, not yearly, teachers, towns); a bulk action
 * with mixed outcomes; the listing; indicators on accepted data only,
 * by SQL and by columns alike, before and after an unaccepted change;
 * and `zhenxing review` and `indicators --accepted`.
 *
 * The city: two towns, three schools, three teachers.
 *   3206840001 甲小学, town 甲镇 (320684T001); teacher T01
 *   3206840002 乙小学, town 甲镇;              teacher T02
 *   3206840003 丙小学, town 乙镇 (320684T002); teacher T03
 * Accounts: office 管理员, town1 区镇 甲镇, town2 区镇 乙镇, clerk 学校
 * 甲小学, insp 督学 assigned 甲小学, lead 领导 of the city.
 */
#include "testutil.h"

#include <math.h>

#include "audit.h"
#include "indicator.h"
#include "review.h"
#include "scope.h"
#include "values.h"

static const char plan_text[] =
    TU_PLAN_HEAD("test-review")
    "goals:\n"
    "  - id: conditions\n"
    "    clause: \"2.1\"\n"
    "    name: 办学条件\n"
    "data_elements:\n"
    "  - id: counselling_room\n"
    "    name: 心理咨询室\n"
    "    type: bool\n"
    "    level: school\n"
    "    yearly: false\n"
    "  - id: accounts\n"
    "    name: 人人通账号数\n"
    "    type: int\n"
    "    level: school\n"
    "    yearly: true\n"
    "    min: 0\n"
    "  - id: town_budget\n"
    "    name: 区镇教育投入\n"
    "    type: decimal\n"
    "    level: town\n"
    "    yearly: true\n"
    "    min: 0\n"
    "  - id: promoted_year\n"
    "    name: 现任职务任职年份\n"
    "    type: int\n"
    "    level: teacher\n"
    "    yearly: false\n"
    "indicators:\n"
    "  - id: room-share\n"
    "    clause: 3.3.2-E3\n"
    "    goal: conditions\n"
    "    name: 心理咨询室覆盖率\n"
    "    kind: share\n"
    "    over: schools\n"
    "    numerator: \"counselling_room\"\n"
    "    unit: \"%\"\n"
    "    target: 100\n"
    "  - id: accounts-sum\n"
    "    clause: 3.3.2-E4\n"
    "    goal: conditions\n"
    "    name: 人人通账号总数\n"
    "    kind: sum\n"
    "    over: schools\n"
    "    numerator: \"accounts\"\n"
    "    unit: \"个\"\n"
    "    target: 1000\n"
    "  - id: promoted\n"
    "    clause: 3.1-P5\n"
    "    goal: conditions\n"
    "    name: 任职不久的干部\n"
    "    kind: count\n"
    "    over: teachers\n"
    "    numerator: \"promoted_year >= 2015\"\n"
    "    unit: \"人\"\n"
    "    target: 3\n"
    "  - id: town-budget\n"
    "    clause: 3.3-F2\n"
    "    goal: conditions\n"
    "    name: 区镇教育投入\n"
    "    kind: sum\n"
    "    over: towns\n"
    "    numerator: \"town_budget\"\n"
    "    unit: \"万元\"\n"
    "    target: 100\n";

static const char *dir;
static zx_db *db;
static zx_plan *plan;
static zx_diag *diag;
static int current;           /* zx_values_current_year */

#define A "3206840001"
#define B "3206840002"
#define C "3206840003"
#define T1 "320684T001"
#define T2 "320684T002"

static long long id_of(const char *code)
{
    return zx_db_int(db, "SELECT id FROM org_unit WHERE code = ?1", code, 0);
}

static void account(const char *name, const char *role, const char *code)
{
    sqlite3_stmt *st;

    /* straight into the table: the scope needs no password, and hashing
     * seven under the sanitizers would only slow the tests down */
    cr_assert_eq(sqlite3_prepare_v2(zx_db_sqlite(db),
                                    "INSERT INTO account(name, role, unit_id,"
                                    " pass_hash, created_at, changed_at)"
                                    " SELECT ?1, ?2, id, 'x', 'now', 'now'"
                                    " FROM org_unit WHERE code = ?3",
                                    -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, role, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, code, -1, SQLITE_STATIC);
    cr_assert_eq(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

static void setup(void)
{
    static const zx_school_rec schools[] = {
        { .code = A, .name = "甲小学", .town = "甲镇", .type_code = 211,
          .urban_rural = 220, .owner = 21 },
        { .code = B, .name = "乙小学", .town = "甲镇", .type_code = 211,
          .urban_rural = 121, .owner = 21 },
        { .code = C, .name = "丙小学", .town = "乙镇", .type_code = 211,
          .urban_rural = 220, .owner = 21 },
    };
    static const zx_teacher_rec teachers[] = {
        { "T01", "张三", 1, "1985-03", A, 2, 14, 3, 1, 1, 2015, 0 },
        { "T02", "李四", 2, "1990-11", B, 2, 13, 4, 1, 1, 2018, 0 },
        { "T03", "王五", 2, "1988-01", C, 2, 13, 4, 1, 1, 2012, 0 },
    };

    dir = tu_tmpdir();
    db = tu_db(dir);
    diag = zx_diag_new();
    tu_registry_fill(db, &(tu_city){ .schools = TU_LIST(schools),
                                     .teachers = TU_LIST(teachers) });
    /* in the database too, for the command line */
    plan = tu_plan_stored(db, plan_text);
    current = zx_values_current_year(plan);
    account("office", "管理员", "320684");
    account("town1", "区镇", T1);
    account("town2", "区镇", T2);
    account("clerk", "学校", A);
    account("insp", "督学", "320684");
    account("lead", "领导", "320684");
    cr_assert_eq(zx_db_exec(db, "INSERT INTO inspector_assignment VALUES"
                                " ((SELECT id FROM org_unit WHERE code ="
                                " '3206840001'), 'insp', '2020-09-01')"),
                 ZX_OK);
}

static void teardown(void)
{
    zx_plan_free(plan);
    zx_diag_free(diag);
    zx_db_close(db);
}

TestSuite(review, .init = setup, .fini = teardown);

/* ---- helpers ------------------------------------------------------------ */

static zx_scope *scope_of(const char *name)
{
    zx_scope *s = NULL;

    cr_assert_eq(zx_scope_load(db, zx_db_int(db, "SELECT id FROM account"
                                                 " WHERE name = ?1", name, 0),
                               &s), ZX_OK, "%s", name);
    return s;
}

/* The action as account `who` (NULL: the command line's 管理员). */
static int act(const char *who, enum zx_review_action a, const char *code,
               int year, const char *comment)
{
    zx_scope *s = who ? scope_of(who) : NULL;
    int rc;

    zx_diag_clear(diag);
    rc = zx_review_act(db, plan, s, a, id_of(code), year, comment,
                       who ? who : "test", diag);
    zx_scope_free(s);
    return rc;
}

static void act_ok(const char *who, enum zx_review_action a,
                   const char *code, int year, const char *comment)
{
    cr_assert_eq(act(who, a, code, year, comment), ZX_OK, "%s %s %s: %s",
                 who ? who : "cli", zx_review_action_name(a), code,
                 tu_diag_text(diag, 0));
}

/* Expects rc and msg among the diagnostics. */
static void act_bad(const char *who, enum zx_review_action a,
                    const char *code, int year, const char *comment, int rc,
                    const char *msg)
{
    cr_assert_eq(act(who, a, code, year, comment), rc, "%s %s %s: %s",
                 who ? who : "cli", zx_review_action_name(a), code,
                 tu_diag_text(diag, 0));
    cr_assert(strstr(tu_diag_text(diag, 0), msg), "%s %s %s: want “%s” in %s",
              who ? who : "cli", zx_review_action_name(a), code, msg,
              tu_diag_text(diag, 0));
}

static enum zx_review_state state(const char *code, int year)
{
    zx_review_item it;

    cr_assert_eq(zx_review_get(db, NULL, id_of(code), year, &it), ZX_OK);
    return it.state;
}

static int set(const char *element, const char *unit, int year,
               const char *value)
{
    zx_diag_clear(diag);
    return zx_values_set(db, plan, element, unit, year, value, "test", diag,
                         NULL);
}

static void set_ok(const char *element, const char *unit, int year,
                   const char *value)
{
    cr_assert_eq(set(element, unit, year, value), ZX_OK, "%s %s: %s",
                 element, unit, tu_diag_text(diag, 0));
}

static void set_locked(const char *element, const char *unit, int year,
                       const char *value, const char *msg)
{
    cr_assert_eq(set(element, unit, year, value), ZX_EDATA, "%s %s", element,
                 unit);
    cr_assert(strstr(tu_diag_text(diag, 0), msg), "want “%s” in %s", msg,
              tu_diag_text(diag, 0));
}

static long long count(const char *sql)
{
    return zx_db_int(db, sql, NULL, -1);
}

/* ---- the cycle ------------------------------------------------------------ */

Test(review, full_cycle)
{
    zx_review_item it;
    long long bad = -1;

    set_ok("accounts", A, 2021, "100");
    set_ok("counselling_room", A, 0, "是");
    set_ok("promoted_year", "T01", 0, "2018");
    cr_assert_eq(state(A, 2021), ZX_REVIEW_DRAFT, "no row is a draft");

    act_ok("clerk", ZX_REVIEW_SUBMIT, A, 2021, NULL);
    cr_assert_eq(state(A, 2021), ZX_REVIEW_SUBMITTED);
    set_locked("accounts", A, 2021, "120",
               "甲小学 2021 年度数据已上报，退回后才能修改");
    set_ok("accounts", A, 2021, "100"); /* the same value changes nothing */
    set_ok("accounts", A, 2022, "130"); /* another year is not submitted */
    set_ok("counselling_room", A, 0, "否"); /* year 0 follows the current
                                             year, not 2021 */
    set_ok("counselling_room", A, 0, "是");

    act_bad("town1", ZX_REVIEW_RETURN, A, 2021, "  ", ZX_EINVAL,
            "退回须写明原因");
    act_ok("town1", ZX_REVIEW_RETURN, A, 2021, "账号数与台账不符");
    cr_assert_eq(zx_review_get(db, NULL, id_of(A), 2021, &it), ZX_OK);
    cr_assert_eq(it.state, ZX_REVIEW_RETURNED);
    cr_assert_str_eq(it.comment, "账号数与台账不符");
    cr_assert_str_eq(it.updated_by, "town1");
    cr_assert_str_eq(it.town_name, "甲镇");
    set_ok("accounts", A, 2021, "120");

    act_ok("clerk", ZX_REVIEW_SUBMIT, A, 2021, "已更正");
    act_bad("office", ZX_REVIEW_ACCEPT, A, 2021, NULL, ZX_EINVAL,
            "学校数据须先经区镇审核");
    act_ok("town1", ZX_REVIEW_APPROVE, A, 2021, NULL);
    cr_assert_eq(state(A, 2021), ZX_REVIEW_APPROVED);
    act_bad("town1", ZX_REVIEW_RETURN, A, 2021, "再看看", ZX_EINVAL,
            "正等待市教育局确认");
    set_locked("accounts", A, 2021, "121", "2021 年度数据已审核");

    cr_assert_eq(count("SELECT count(*) FROM data_value_accepted"), 0);
    act_ok("office", ZX_REVIEW_ACCEPT, A, 2021, NULL);
    cr_assert_eq(state(A, 2021), ZX_REVIEW_ACCEPTED);
    set_locked("accounts", A, 2021, "1",
               "甲小学 2021 年度数据已确认，市教育局重新打开后才能修改");
    /* the copy: the year's value, the school's and its teacher's values
     * that are not yearly; the 2022 value is no part of it */
    cr_assert_eq(count("SELECT count(*) FROM data_value_accepted"), 3);
    cr_assert_eq(count("SELECT num FROM data_value_accepted WHERE"
                       " element = 'accounts' AND year = 2021"), 120);
    cr_assert_eq(count("SELECT num FROM data_value_accepted WHERE"
                       " element = 'promoted_year' AND year = 0"), 2018);
    act_bad("office", ZX_REVIEW_RETURN, A, 2021, "x", ZX_EINVAL,
            "已确认的数据须重新打开");

    act_bad("office", ZX_REVIEW_REOPEN, A, 2021, NULL, ZX_EINVAL,
            "重新打开须写明原因");
    act_ok("office", ZX_REVIEW_REOPEN, A, 2021, "发现漏报");
    cr_assert_eq(state(A, 2021), ZX_REVIEW_RETURNED);
    cr_assert_eq(count("SELECT count(*) FROM data_value_accepted"), 0);
    set_ok("accounts", A, 2021, "125");

    /* submit, return, submit, approve, accept, reopen */
    cr_assert_eq(count("SELECT count(*) FROM audit WHERE tbl = 'submission'"
                       " AND key = '3206840001/2021'"), 6);
    cr_assert_eq(count("SELECT count(*) FROM audit WHERE tbl = 'submission'"
                       " AND action = 'return' AND old IS NOT NULL AND new ="
                       " '{\"state\":\"已退回\",\"comment\":\"账号数与台账不符\"}'"),
                 1);
    cr_assert_eq(count("SELECT count(*) FROM audit WHERE tbl = 'submission'"
                       " AND action = 'submit' AND old IS NULL"), 1,
                 "a draft has no old state");
    cr_assert_eq(zx_audit_verify(db, &bad), ZX_OK);
}

Test(review, town_goes_straight_to_the_city)
{
    set_ok("town_budget", T1, 2021, "10");
    act_ok("town1", ZX_REVIEW_SUBMIT, T1, 2021, NULL);
    set_locked("town_budget", T1, 2021, "11",
               "甲镇 2021 年度数据已上报，退回后才能修改");
    act_bad("town1", ZX_REVIEW_APPROVE, T1, 2021, NULL, ZX_EINVAL,
            "区镇本级数据由市教育局审核");
    act_bad(NULL, ZX_REVIEW_APPROVE, T1, 2021, NULL, ZX_EINVAL,
            "区镇本级数据由市教育局直接确认，无需审核");
    act_ok(NULL, ZX_REVIEW_RETURN, T1, 2021, "请补充");
    act_ok("town1", ZX_REVIEW_SUBMIT, T1, 2021, NULL);
    act_ok(NULL, ZX_REVIEW_ACCEPT, T1, 2021, NULL);
    cr_assert_eq(state(T1, 2021), ZX_REVIEW_ACCEPTED);
    cr_assert_eq(count("SELECT num FROM data_value_accepted WHERE"
                       " element = 'town_budget'"), 10);
}

/* ---- who may do what ------------------------------------------------------ */

Test(review, every_role_refused_where_it_should_be)
{
    /* a school clerk: its own school, and only to submit */
    act_bad("clerk", ZX_REVIEW_SUBMIT, B, 2021, NULL, ZX_ENOTFOUND,
            "没有这个单位，或不在您的查看范围内");
    act_bad("clerk", ZX_REVIEW_SUBMIT, T1, 2021, NULL, ZX_ENOTFOUND,
            "不在您的查看范围内");
    act_ok("clerk", ZX_REVIEW_SUBMIT, A, 2021, NULL);
    act_bad("clerk", ZX_REVIEW_APPROVE, A, 2021, NULL, ZX_EINVAL,
            "学校账户不能审核");
    act_bad("clerk", ZX_REVIEW_RETURN, A, 2021, "x", ZX_EINVAL,
            "学校账户不能退回");
    act_bad("clerk", ZX_REVIEW_SUBMIT, A, 2021, NULL, ZX_EINVAL,
            "甲小学 2021 年度数据当前为已上报，不能上报");

    /* another town sees nothing of 甲镇 */
    act_bad("town2", ZX_REVIEW_APPROVE, A, 2021, NULL, ZX_ENOTFOUND,
            "不在您的查看范围内");
    act_bad("town2", ZX_REVIEW_SUBMIT, T1, 2021, NULL, ZX_ENOTFOUND,
            "不在您的查看范围内");
    /* its own town: submits for a school and for itself, never accepts */
    act_ok("town1", ZX_REVIEW_SUBMIT, B, 2021, "代乙小学上报");
    act_ok("town1", ZX_REVIEW_SUBMIT, T1, 2021, NULL);
    act_bad("town1", ZX_REVIEW_SUBMIT, C, 2021, NULL, ZX_ENOTFOUND,
            "不在您的查看范围内");
    act_ok("town1", ZX_REVIEW_APPROVE, A, 2021, NULL);
    act_bad("town1", ZX_REVIEW_ACCEPT, A, 2021, NULL, ZX_EINVAL,
            "只有市教育局（管理员）可以确认");
    act_bad("town1", ZX_REVIEW_REOPEN, A, 2021, "x", ZX_EINVAL,
            "只有市教育局（管理员）可以重新打开");

    /* inspector and leader: they see, and do nothing */
    act_bad("insp", ZX_REVIEW_APPROVE, B, 2021, NULL, ZX_ENOTFOUND,
            "不在您的查看范围内");
    act_bad("insp", ZX_REVIEW_RETURN, A, 2021, "x", ZX_EINVAL,
            "督学账户只能查看，不能退回");
    act_bad("lead", ZX_REVIEW_ACCEPT, A, 2021, NULL, ZX_EINVAL,
            "领导账户只能查看，不能确认");
    act_bad("lead", ZX_REVIEW_SUBMIT, C, 2021, NULL, ZX_EINVAL,
            "领导账户只能查看");

    /* the office may do anything that fits the state */
    act_ok("office", ZX_REVIEW_ACCEPT, A, 2021, NULL);
    act_ok("office", ZX_REVIEW_RETURN, B, 2021, "请补充");
    act_ok("office", ZX_REVIEW_SUBMIT, C, 2021, NULL);
    act_ok("office", ZX_REVIEW_APPROVE, C, 2021, NULL);
    act_bad("office", ZX_REVIEW_APPROVE, C, 2021, NULL, ZX_EINVAL,
            "当前为已审核，不能审核");

    /* what is no submission at all */
    zx_diag_clear(diag);
    cr_assert_eq(zx_review_act(db, plan, NULL, ZX_REVIEW_SUBMIT, 99999, 2021,
                               NULL, "test", diag), ZX_ENOTFOUND);
    act_bad(NULL, ZX_REVIEW_SUBMIT, "320684", 2021, NULL, ZX_EINVAL,
            "只有学校和区镇上报数据");
    act_bad(NULL, ZX_REVIEW_SUBMIT, C, 2030, NULL, ZX_EINVAL,
            "年度 2030 不在计划之内");
    cr_assert_eq(count("SELECT count(*) FROM submission WHERE year = 2030"),
                 0);
}

/* The codes a listing gave, in order. */
struct seen {
    int n;
    char codes[8][64];
};

static int collect(void *ctx, const zx_review_item *x)
{
    struct seen *seen = ctx;

    cr_assert(seen->n < 8);
    snprintf(seen->codes[seen->n++], sizeof(seen->codes[0]), "%s",
             x->unit_code);
    return 0;
}

Test(review, get_and_list_stay_inside_the_scope)
{
    struct seen seen;
    zx_scope *s = scope_of("town1");
    zx_review_item it;
    int i;

    act_ok(NULL, ZX_REVIEW_SUBMIT, B, 2021, NULL);
    act_ok(NULL, ZX_REVIEW_SUBMIT, C, 2021, NULL);
    cr_assert_eq(zx_review_get(db, s, id_of(C), 2021, &it), ZX_ENOTFOUND);
    cr_assert_eq(zx_review_get(db, s, id_of(B), 2021, &it), ZX_OK);
    cr_assert_eq(it.state, ZX_REVIEW_SUBMITTED);
    cr_assert_eq(zx_review_get(db, NULL, id_of("320684"), 2021, &it),
                 ZX_EINVAL);

    memset(&seen, 0, sizeof(seen));
    cr_assert_eq(zx_review_list(db, s, ZX_LEVEL_SCHOOL, 0, 2021, 0, collect,
                                &seen), ZX_OK);
    cr_assert_eq(seen.n, 2, "甲镇 has two schools");
    cr_assert_str_eq(seen.codes[0], A);
    cr_assert_str_eq(seen.codes[1], B);

    memset(&seen, 0, sizeof(seen));
    cr_assert_eq(zx_review_list(db, NULL, ZX_LEVEL_SCHOOL, 0, 2021,
                                1u << ZX_REVIEW_SUBMITTED, collect, &seen),
                 ZX_OK);
    cr_assert_eq(seen.n, 2);
    cr_assert_str_eq(seen.codes[0], B);
    cr_assert_str_eq(seen.codes[1], C);

    memset(&seen, 0, sizeof(seen));
    cr_assert_eq(zx_review_list(db, NULL, ZX_LEVEL_SCHOOL, id_of(T2), 2021,
                                0, collect, &seen), ZX_OK);
    cr_assert(seen.n == 1 && strcmp(seen.codes[0], C) == 0);
    memset(&seen, 0, sizeof(seen));
    cr_assert_eq(zx_review_list(db, NULL, ZX_LEVEL_SCHOOL, id_of("320684"),
                                2021, 1u << ZX_REVIEW_DRAFT, collect, &seen),
                 ZX_OK);
    cr_assert(seen.n == 1 && strcmp(seen.codes[0], A) == 0,
              "inside the city: every school; A is the only draft");

    memset(&seen, 0, sizeof(seen));
    cr_assert_eq(zx_review_list(db, NULL, ZX_LEVEL_TOWN, 0, 2021, 0, collect,
                                &seen), ZX_OK);
    cr_assert_eq(seen.n, 2);
    cr_assert_eq(zx_review_list(db, NULL, ZX_LEVEL_CITY, 0, 2021, 0, collect,
                                &seen), ZX_EINVAL);
    for (i = 0; i < ZX_REVIEW_NSTATES; i++)
        cr_assert(zx_review_state_parse(zx_review_state_name(i)) == i &&
                  zx_review_state_parse(zx_review_state_id(i)) == i);
    zx_scope_free(s);
}

/* ---- locks ----------------------------------------------------------------- */

Test(review, locks_on_set_follow_year_zero_and_teachers)
{
    set_ok("counselling_room", A, 0, "是");
    set_ok("promoted_year", "T01", 0, "2018");
    act_ok(NULL, ZX_REVIEW_SUBMIT, A, current, NULL);
    set_locked("counselling_room", A, 0, "否", "甲小学");
    set_locked("counselling_room", A, 0, "", "不按年度填报的数据随当前年度");
    set_locked("promoted_year", "T01", 0, "2019",
               "教师 T01 所在的甲小学");
    set_ok("promoted_year", "T02", 0, "2019"); /* 乙小学 is a draft */
    set_ok("counselling_room", B, 0, "是");
    act_ok(NULL, ZX_REVIEW_RETURN, A, current, "请修改");
    set_ok("counselling_room", A, 0, "否");
    set_ok("promoted_year", "T01", 0, "2019");
}

static int import_str(const char *fname, const char *text)
{
    zx_values_result res;

    tu_write_str(tu_path(dir, fname), text);
    zx_diag_clear(diag);
    return zx_values_import(db, plan, tu_path(dir, fname), fname, 0, "test",
                            NULL, NULL, diag, &res);
}

Test(review, locks_on_import_are_reported_per_row)
{
    char want[256];

    set_ok("accounts", A, 2021, "100");
    set_ok("counselling_room", A, 0, "是");
    act_ok(NULL, ZX_REVIEW_SUBMIT, A, 2021, NULL);
    act_ok(NULL, ZX_REVIEW_SUBMIT, A, current, NULL);
    cr_assert_eq(import_str("学校.csv",
                            "学校标识码,年度,人人通账号数,心理咨询室\n"
                            A ",2021,200,否\n"
                            B ",2021,50,是\n"),
                 ZX_EDATA);
    cr_assert(strstr(tu_diag_text(diag, 0),
                     "2:C: 甲小学 2021 年度数据已上报，退回后才能修改\n"),
              "%s", tu_diag_text(diag, 0));
    snprintf(want, sizeof(want), "2:D: 甲小学 %d 年度数据已上报", current);
    cr_assert(strstr(tu_diag_text(diag, 0), want), "%s",
              tu_diag_text(diag, 0));
    cr_assert_eq(zx_diag_count(diag), 2, "once per row and lock: %s",
                 tu_diag_text(diag, 0));
    cr_assert_eq(zx_diag_get(diag, 0)->row, 2);
    cr_assert_str_eq(zx_diag_get(diag, 0)->file, "学校.csv");
    cr_assert_eq(count("SELECT count(*) FROM data_value WHERE unit_id ="
                       " (SELECT id FROM org_unit WHERE code = '3206840002')"),
                 0, "all or nothing");

    /* the same values again change nothing, so they pass */
    cr_assert_eq(import_str("same.csv",
                            "学校标识码,年度,人人通账号数,心理咨询室\n"
                            A ",2021,100,是\n"
                            B ",2021,50,是\n"),
                 ZX_OK, "%s", tu_diag_text(diag, 0));

    /* teachers follow their school */
    cr_assert_eq(import_str("教师.csv", "教师编号,现任职务任职年份\n"
                                        "T01,2017\nT02,2016\n"), ZX_EDATA);
    cr_assert(strstr(tu_diag_text(diag, 0), "2:B: 教师 T01 所在的甲小学"),
              "%s", tu_diag_text(diag, 0));

    /* and a town's own data */
    act_ok(NULL, ZX_REVIEW_SUBMIT, T1, 2021, NULL);
    cr_assert_eq(import_str("区镇.csv", "区镇,年度,区镇教育投入\n"
                                        "甲镇,2021,5\n乙镇,2021,6\n"),
                 ZX_EDATA);
    cr_assert(strstr(tu_diag_text(diag, 0), "2:C: 甲镇 2021 年度数据已上报"),
              "%s", tu_diag_text(diag, 0));
}

/* ---- bulk ------------------------------------------------------------------- */

Test(review, bulk_reports_each_unit)
{
    long long ids[5];
    zx_review_outcome out[5];
    zx_scope *s = scope_of("town1");
    size_t done = 99;

    act_ok(NULL, ZX_REVIEW_SUBMIT, A, 2021, NULL);
    act_ok(NULL, ZX_REVIEW_SUBMIT, B, 2021, NULL);
    act_ok(NULL, ZX_REVIEW_SUBMIT, C, 2021, NULL);
    act_ok(NULL, ZX_REVIEW_APPROVE, B, 2021, NULL);
    ids[0] = id_of(A);   /* submitted: approved */
    ids[1] = id_of(B);   /* already approved */
    ids[2] = id_of(C);   /* another town's */
    ids[3] = 99999;      /* nobody */
    ids[4] = id_of(T1);  /* the town itself: the city reviews it */
    cr_assert_eq(zx_review_bulk(db, plan, s, ZX_REVIEW_APPROVE, ids, 5, 2021,
                                NULL, "town1", out, &done), ZX_OK);
    cr_assert_eq(done, 1);
    cr_assert(out[0].rc == ZX_OK && out[0].why == ZX_REVIEW_DONE &&
              out[0].from == ZX_REVIEW_SUBMITTED &&
              out[0].to == ZX_REVIEW_APPROVED && out[0].unit_id == ids[0]);
    cr_assert(out[1].rc == ZX_EINVAL && out[1].why == ZX_REVIEW_BAD_STATE &&
              out[1].from == ZX_REVIEW_APPROVED, "%s", out[1].msg);
    cr_assert(out[2].rc == ZX_ENOTFOUND && out[2].why == ZX_REVIEW_NO_UNIT);
    cr_assert(out[3].rc == ZX_ENOTFOUND && out[3].why == ZX_REVIEW_NO_UNIT);
    cr_assert_str_eq(out[2].msg, out[3].msg, "unseen and unknown alike");
    cr_assert(out[4].rc == ZX_EINVAL && out[4].why == ZX_REVIEW_FORBIDDEN,
              "%s", out[4].msg);
    cr_assert_eq(state(A, 2021), ZX_REVIEW_APPROVED);
    cr_assert_eq(state(C, 2021), ZX_REVIEW_SUBMITTED);

    /* the city accepts what is ready: two of three */
    ids[2] = id_of(C);
    cr_assert_eq(zx_review_bulk(db, plan, NULL, ZX_REVIEW_ACCEPT, ids, 3,
                                2021, NULL, "test", out, &done), ZX_OK);
    cr_assert_eq(done, 2);
    cr_assert(out[2].why == ZX_REVIEW_BAD_STATE);

    /* a comment too long refuses every unit alike */
    {
        char longc[2048];
        memset(longc, 'x', 600);
        longc[600] = '\0';
        cr_assert_eq(zx_review_bulk(db, plan, NULL, ZX_REVIEW_RETURN, ids + 2,
                                    1, 2021, longc, "test", out, &done),
                     ZX_OK);
        cr_assert(done == 0 && out[0].why == ZX_REVIEW_BAD_INPUT &&
                  strstr(out[0].msg, "说明过长"), "%s", out[0].msg);
    }
    zx_scope_free(s);
}

/* ---- indicators on accepted data -------------------------------------------- */

struct res {
    const zx_indicator *ind;
    int level;
    long long unit;
    double n, d, v;
    enum zx_status status;
};

struct all {
    struct res r[64];
    int n;
};

static int collect_all(void *ctx, const zx_result *r)
{
    struct all *a = ctx;
    struct res *x = &a->r[a->n++];

    cr_assert(a->n <= 64);
    x->ind = r->ind;
    x->level = r->level;
    x->unit = r->unit_id;
    x->n = r->numerator;
    x->d = r->denominator;
    x->v = r->value;
    x->status = r->status;
    return 0;
}

static int same(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

/* Every indicator at every level for 2021 by columns (fast) and by SQL
 * (ref) must agree; *c receives the city numerators. */
static void eval_both(zx_engine *fast, zx_engine *ref, double c[4])
{
    static struct all a, b;
    const zx_indicator *inds;
    int i, n;

    a.n = b.n = 0;
    cr_assert_eq(zx_engine_eval(fast, NULL, 2021, 0x1f, 0, collect_all, &a),
                 ZX_OK);
    cr_assert_eq(zx_engine_eval(ref, NULL, 2021, 0x1f, 0, collect_all, &b),
                 ZX_OK);
    cr_assert_eq(a.n, b.n);
    for (i = 0; i < a.n; i++)
        cr_assert(a.r[i].ind == b.r[i].ind && a.r[i].unit == b.r[i].unit &&
                  same(a.r[i].n, b.r[i].n) && same(a.r[i].d, b.r[i].d) &&
                  same(a.r[i].v, b.r[i].v) && a.r[i].status == b.r[i].status,
                  "%s unit %lld: n %g/%g v %g/%g", a.r[i].ind->id,
                  a.r[i].unit, a.r[i].n, b.r[i].n, a.r[i].v, b.r[i].v);
    inds = zx_plan_indicators(plan, &n);
    cr_assert_eq(n, 4);
    for (i = 0; i < a.n; i++)
        if (a.r[i].level == ZX_LEVEL_CITY)
            c[a.r[i].ind - inds] = a.r[i].n;
}

struct engines {
    zx_engine *all, *all_sql, *acc, *acc_sql;
};

static void open_engines(struct engines *e)
{
    const zx_indicator *inds;
    int i, n;

    cr_assert_eq(zx_engine_open(db, plan, &e->all, diag), ZX_OK);
    cr_assert_eq(zx_engine_open_mode(db, plan, 0, &e->all_sql, diag), ZX_OK);
    cr_assert_eq(zx_engine_open_mode(db, plan, ZX_ENGINE_ACCEPTED, &e->acc,
                                     diag), ZX_OK);
    cr_assert_eq(zx_engine_open_mode(db, plan, ZX_ENGINE_ACCEPTED,
                                     &e->acc_sql, diag), ZX_OK);
    zx_engine_sql_only(e->all_sql, 1);
    zx_engine_sql_only(e->acc_sql, 1);
    inds = zx_plan_indicators(plan, &n);
    for (i = 0; i < n; i++)
        cr_assert(zx_engine_columnar(e->acc, &inds[i]),
                  "%s is computed from the columns", inds[i].id);
}

static void close_engines(struct engines *e)
{
    zx_engine_close(e->all);
    zx_engine_close(e->all_sql);
    zx_engine_close(e->acc);
    zx_engine_close(e->acc_sql);
}

/* Expects city numerators: room-share, accounts-sum, promoted,
 * town-budget, on all data and on accepted data. */
static void expect(struct engines *e, const double all[4],
                   const double acc[4], const char *when)
{
    double c[4];
    int i;

    eval_both(e->all, e->all_sql, c);
    for (i = 0; i < 4; i++)
        cr_assert(same(c[i], all[i]), "%s: all data, indicator %d: %g, want"
                  " %g", when, i, c[i], all[i]);
    eval_both(e->acc, e->acc_sql, c);
    for (i = 0; i < 4; i++)
        cr_assert(same(c[i], acc[i]), "%s: accepted, indicator %d: %g, want"
                  " %g", when, i, c[i], acc[i]);
}

static void accept_school(const char *code)
{
    act_ok(NULL, ZX_REVIEW_SUBMIT, code, 2021, NULL);
    act_ok(NULL, ZX_REVIEW_APPROVE, code, 2021, NULL);
    act_ok(NULL, ZX_REVIEW_ACCEPT, code, 2021, NULL);
}

Test(review, accepted_indicators_by_sql_and_columns)
{
    struct engines e;

    set_ok("counselling_room", A, 0, "是");
    set_ok("counselling_room", B, 0, "否");
    set_ok("accounts", A, 2021, "100");
    set_ok("accounts", B, 2021, "50");
    set_ok("promoted_year", "T01", 0, "2018");
    set_ok("promoted_year", "T02", 0, "2016");
    set_ok("town_budget", T1, 2021, "10");
    open_engines(&e);

    expect(&e, (double[]){ 1, 150, 2, 10 }, (double[]){ 0, 0, 0, 0 },
           "nothing accepted");
    accept_school(A);
    accept_school(B);
    expect(&e, (double[]){ 1, 150, 2, 10 }, (double[]){ 1, 150, 2, 0 },
           "both schools accepted");
    act_ok(NULL, ZX_REVIEW_SUBMIT, T1, 2021, NULL);
    act_ok(NULL, ZX_REVIEW_ACCEPT, T1, 2021, NULL);
    expect(&e, (double[]){ 1, 150, 2, 10 }, (double[]){ 1, 150, 2, 10 },
           "the town accepted");

    /* reopened, B's accepted values are gone, and its change is not
     * counted until accepted again */
    act_ok(NULL, ZX_REVIEW_REOPEN, B, 2021, "账号数有误");
    expect(&e, (double[]){ 1, 150, 2, 10 }, (double[]){ 1, 100, 1, 10 },
           "B reopened");
    set_ok("accounts", B, 2021, "70");
    set_ok("counselling_room", B, 0, "是");
    expect(&e, (double[]){ 2, 170, 2, 10 }, (double[]){ 1, 100, 1, 10 },
           "B changed, not accepted");
    accept_school(B);
    expect(&e, (double[]){ 2, 170, 2, 10 }, (double[]){ 2, 170, 2, 10 },
           "B accepted again");
    close_engines(&e);
}

struct firsts {
    double baseline, milestone;
    enum zx_status status;
};

static int first_city(void *ctx, const zx_result *r)
{
    struct firsts *f = ctx;

    if (r->level != ZX_LEVEL_CITY)
        return 0;
    f->baseline = r->baseline;
    f->milestone = r->milestone;
    f->status = r->status;
    return 1;
}

/* The baseline year is history, never submitted: the accepted-only view
 * ramps its milestones from the same baseline as all data (it had none,
 * and judged accepted data 滞后 that live data judged 按期推进). */
Test(review, accepted_view_keeps_the_baseline)
{
    const zx_indicator *ind = zx_plan_indicator(plan, "accounts-sum");
    struct engines e;
    struct firsts all = { 0 }, acc = { 0 };

    set_ok("accounts", A, 2019, "40");
    set_ok("accounts", A, 2021, "100");
    open_engines(&e);
    accept_school(A);
    zx_engine_eval(e.all, ind, 2021, 1u << ZX_LEVEL_CITY, 0, first_city, &all);
    zx_engine_eval(e.acc, ind, 2021, 1u << ZX_LEVEL_CITY, 0, first_city, &acc);
    cr_assert(same(all.baseline, 40), "baseline %g", all.baseline);
    cr_assert(same(acc.baseline, all.baseline), "accepted baseline %g",
              acc.baseline);
    cr_assert(same(acc.milestone, all.milestone));
    cr_assert_eq(acc.status, all.status);
    close_engines(&e);
}

/* ---- the command line --------------------------------------------------------- */

static int run(const char *args, const char *out)
{
    char cmd[2048];

    snprintf(cmd, sizeof(cmd), "%s --db %s %s >%s 2>&1", ZX_BIN,
             tu_path(dir, "zx.db"), args, tu_path(dir, out));
    return tu_sh(cmd);
}

static char *slurp(const char *name)
{
    static char buf[16384];
    FILE *f = fopen(tu_path(dir, name), "r");
    size_t n;

    cr_assert_not_null(f);
    n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

Test(review, command_line)
{
    cr_assert_eq(run("review --help", "help.txt"), 0);
    cr_assert(strstr(slurp("help.txt"), "reopen"));
    cr_assert_eq(run("review submit --unit " A "," B " --year 2021",
                     "submit.txt"), 0, "%s", slurp("submit.txt"));
    cr_assert(strstr(slurp("submit.txt"), "甲小学 2021 年度：草稿 → 已上报"),
              "%s", slurp("submit.txt"));
    cr_assert_eq(run("review approve --unit " A " --year 2021 --as clerk",
                     "clerk.txt"), 1, "%s", slurp("clerk.txt"));
    cr_assert(strstr(slurp("clerk.txt"), "学校账户不能审核"));
    cr_assert_eq(run("review approve --unit " A "," C ",9999999999 --year 2021"
                     " --as town1", "bulk.txt"), 1, "%s", slurp("bulk.txt"));
    cr_assert(strstr(slurp("bulk.txt"), "共 3 个单位：审核 1 个，单位不存在 2 个"),
              "%s", slurp("bulk.txt"));
    cr_assert_eq(run("review return --unit " B " --year 2021", "ret.txt"), 1);
    cr_assert(strstr(slurp("ret.txt"), "退回须写明原因"));
    cr_assert_eq(run("review list --year 2021 --as town1", "list.txt"), 0);
    cr_assert(strstr(slurp("list.txt"), "甲小学") &&
              !strstr(slurp("list.txt"), "丙小学") &&
              strstr(slurp("list.txt"), "共 2 个学校：已上报 1，已审核 1"),
              "%s", slurp("list.txt"));
    cr_assert_eq(run("review list --year 2021 --state 草稿", "drafts.txt"), 0);
    cr_assert(strstr(slurp("drafts.txt"), "丙小学") &&
              !strstr(slurp("drafts.txt"), "甲小学"), "%s",
              slurp("drafts.txt"));
    cr_assert_eq(run("review accept --unit " A " --year 2021", "acc.txt"), 0,
                 "%s", slurp("acc.txt"));
    cr_assert_eq(run("values set accounts " A " 7 --year 2021", "set.txt"),
                 65);
    cr_assert(strstr(slurp("set.txt"), "甲小学 2021 年度数据已确认"), "%s",
              slurp("set.txt"));
    cr_assert_eq(run("review list --as nobody", "nobody.txt"), 66);
    cr_assert_eq(run("indicators --year 2021 --accepted", "ind.txt"), 0,
                 "%s", slurp("ind.txt"));
    cr_assert(strstr(slurp("ind.txt"), "仅计已确认的数据"));
    cr_assert_eq(count("SELECT count(*) FROM audit WHERE tbl = 'submission'"
                       " AND actor LIKE 'user:town1 via cli:%'"), 1);
}
