/*
 * test_training.c - the training ledger (src/core/training.c): the plan's
 * figures, bases and courses, enrolment within capacity and only for
 * rural teachers, completions and their hours accounting (electives,
 * duplicates, the window, special against continuing education), the
 * import all or nothing with every row's problems, the shares per school,
 * town, group and city and the list of teachers behind on a hand-built
 * data set with exact numbers, checked against the plan's own training-180
 * indicator; then `zhenxing training` from the shell.
 *
 * The registry:
 *   甲镇 (320684T001)
 *     3206840001 甲小学, 村庄 (rural), group 东洲集团:
 *       T01 专任教师, T02 校长, T03 其他 (not counted: post 其他)
 *     3206840002 乙中学, 镇中心区 (rural): T04, T05
 *   乙镇 (320684T002)
 *     3206840003 丙小学, 主城区 (urban): T06
 *     3206840004 丁小学, 乡中心区 (rural): T07
 * The catalogue (set up by fill_catalogue):
 *   R1 必修 专项 30 学时, 2020-03-01..2020-06-30
 *   E1 选修 专项 60 学时, 2 places, 2021-03-01..2021-06-30
 *   E2 选修 继续教育 20 学时, 2020-09-01..2020-12-31
 *   E3 选修 专项 90 学时, 2022-03-01..2022-06-30
 */
#include "testutil.h"

#include <jansson.h>
#include <math.h>
#include <xlsxwriter.h>

#include "audit.h"
#include "demo.h"
#include "demoplan.h"
#include "indicator.h"
#include "planstore.h"
#include "training.h"

static const char plan_head[] =
    TU_PLAN_HEAD("test-training")
    "  settings:\n"
    "    training_hours: 180\n";

static const char plan_tail[] =
    "goals:\n"
    "  - id: teachers\n"
    "    clause: \"2.2\"\n"
    "    name: 队伍建设\n"
    "indicators:\n"
    "  - id: training-180\n"
    "    clause: 3.4.2-T3\n"
    "    goal: teachers\n"
    "    name: 乡村教师校长180学时专项培训完成率\n"
    "    kind: share\n"
    "    over: teachers\n"
    "    where: \"school.rural and (post = '专任教师' or post = '校长' or"
    " post = '副校长' or post = '中层干部')\"\n"
    "    numerator: \"training_hours >= setting.training_hours\"\n"
    "    unit: \"%\"\n"
    "    direction: higher\n"
    "    target: 100\n"
    "    milestones: ramp\n"
    "    on_track: \"training_hours >= 60 * (year - 2019)\"\n"
    "    levels: [city, town, group, school]\n";

static const char *dir;
static zx_db *db;
static zx_plan *plan;
static zx_diag *diag;
static zx_training_import_result res;

/* A plan with extra settings lines (or "") after training_hours. */
static zx_plan *make_plan(const char *settings)
{
    char text[4096];

    snprintf(text, sizeof(text), "%s%s%s", plan_head, settings, plan_tail);
    return tu_plan(text);
}

static void fill(void)
{
    static const zx_school_rec schools[] = {
        { .code = "3206840001", .name = "甲小学", .town = "甲镇",
          .group = "东洲集团", .type_code = 211, .urban_rural = 220,
          .owner = 21, .group_hq = 1 },
        { .code = "3206840002", .name = "乙中学", .town = "甲镇",
          .type_code = 311, .urban_rural = 121, .owner = 21 },
        { .code = "3206840003", .name = "丙小学", .town = "乙镇",
          .type_code = 211, .urban_rural = 111, .owner = 21 },
        { .code = "3206840004", .name = "丁小学", .town = "乙镇",
          .type_code = 211, .urban_rural = 210, .owner = 21 },
    };
    static const zx_teacher_rec teachers[] = {
        { "T01", "张一", 1, "1985-03", "3206840001", 2, 14, 3, 1, 1, 2015, 0 },
        { "T02", "张二", 2, "1975-05", "3206840001", 2, 13, 2, 1, 2, 2010, 0 },
        { "T03", "张三", 2, "1980-01", "3206840001", 2, 13, 9, 9, 9, 2012, 0 },
        { "T04", "李四", 1, "1990-11", "3206840002", 3, 14, 4, 1, 1, 2018, 0 },
        { "T05", "李五", 2, "1992-02", "3206840002", 3, 16, 4, 1, 4, 2019, 0 },
        { "T06", "王六", 1, "1988-08", "3206840003", 2, 13, 3, 1, 1, 2016, 0 },
        { "T07", "赵七", 2, "1983-07", "3206840004", 2, 24, 3, 1, 1, 2011, 0 },
    };

    tu_registry_fill(db, &(tu_city){ .schools = TU_LIST(schools),
                                     .teachers = TU_LIST(teachers) });
}

static void setup(void)
{
    dir = tu_tmpdir();
    db = tu_db(dir);
    diag = zx_diag_new();
    plan = make_plan("");
    fill();
}

static void teardown(void)
{
    zx_plan_free(plan);
    zx_diag_free(diag);
    zx_db_close(db);
}

TestSuite(training, .init = setup, .fini = teardown);

/* ---- helpers ------------------------------------------------------- */

static long long count(const char *sql)
{
    return zx_db_int(db, sql, NULL, -1);
}

static void want_msg(const char *msg)
{
    cr_assert(strstr(tu_diag_text(diag, 0), msg), "want “%s” in:\n%s", msg,
              tu_diag_text(diag, 0));
}

static int course(const char *code, const char *name, double hours,
                  int required, long capacity, const char *from,
                  const char *to, int special)
{
    zx_course c;
    int change;

    memset(&c, 0, sizeof(c));
    c.code = code;
    c.name = name;
    c.hours = hours;
    c.required = required;
    c.capacity = capacity;
    c.starts_on = from;
    c.ends_on = to;
    c.special = special;
    zx_diag_clear(diag);
    return zx_training_course_put(db, &c, "test", diag, &change);
}

static void fill_catalogue(void)
{
    cr_assert_eq(course("R1", "师德专题", 30, 1, 0, "2020-03-01",
                        "2020-06-30", 1), ZX_OK, "%s", tu_diag_text(diag, 0));
    cr_assert_eq(course("E1", "课堂教学", 60, 0, 2, "2021-03-01",
                        "2021-06-30", 1), ZX_OK);
    cr_assert_eq(course("E2", "信息技术", 20, 0, 0, "2020-09-01",
                        "2020-12-31", 0), ZX_OK);
    cr_assert_eq(course("E3", "课题研究", 90, 0, 0, "2022-03-01",
                        "2022-06-30", 1), ZX_OK);
}

static int enrol(const char *teacher, const char *code, const char *today)
{
    zx_diag_clear(diag);
    return zx_training_enrol(db, plan, code, teacher, today, "test", diag);
}

/* Records a completion; name NULL with a code; hours 0 for the course's;
 * special -1 for the course's.  Today is 2026-01-01. */
static int rec(const char *teacher, const char *code, const char *name,
               double hours, const char *day, int special)
{
    zx_training_completion c = { teacher, code, name, hours, day, special };

    zx_diag_clear(diag);
    return zx_training_record(db, plan, &c, "2026-01-01", "test", diag);
}

#define REC_OK(...)                                                       \
    cr_assert_eq(rec(__VA_ARGS__), ZX_OK, "%s", tu_diag_text(diag, 0))

/* The hand-built ledger the accounting tests read:
 *   T01: R1 30 (2020), E2 20 continuing (2020), E1 60 (2021), 2019 summer
 *        40 special outside the window, 60 special (2022)
 *        -> special 30 / 90 / 150 by 2020 / 2021 / 2022
 *   T02: R1 30 (2020), E1 60 (2021), 90 special (2022) -> 30 / 90 / 180
 *   T03 (其他): 180 special (2020): not a rural teacher
 *   T04: 60 (2020), 60 (2021) -> 60 / 120 / 120
 *   T05: nothing
 *   T06 (urban): 100 special (2020)
 *   T07: 200 special (2020) -> complete from 2020 */
static void fill_ledger(void)
{
    fill_catalogue();
    cr_assert_eq(enrol("T01", "E1", "2021-01-15"), ZX_OK);
    cr_assert_eq(enrol("T02", "E1", "2021-01-15"), ZX_OK);
    cr_assert_eq(enrol("T01", "E2", "2020-08-01"), ZX_OK);
    REC_OK("T01", "R1", NULL, 0, "2020-06-30", -1);
    REC_OK("T01", "E2", NULL, 0, "2020-12-31", -1);
    REC_OK("T01", "E1", NULL, 0, "2021-06-30", -1);
    REC_OK("T01", NULL, "暑期集中培训", 40, "2019-08-01", 1);
    REC_OK("T01", NULL, "课程开发研修", 60, "2022-07-01", 1);
    REC_OK("T02", "R1", NULL, 0, "2020-05-01", -1);
    REC_OK("T02", "E1", NULL, 0, "2021-05-01", -1);
    REC_OK("T02", NULL, "校长任职培训", 90, "2022-01-10", 1);
    REC_OK("T03", NULL, "后勤管理", 180, "2020-10-01", 1);
    REC_OK("T04", NULL, "新教师培训", 60, "2020-12-01", 1);
    REC_OK("T04", NULL, "青年教师研修", 60, "2021-12-01", 1);
    REC_OK("T06", NULL, "城区研修", 100, "2020-10-01", 1);
    REC_OK("T07", NULL, "骨干教师高级研修", 200, "2020-11-11", 1);
}

/* ---- the plan's figures ------------------------------------------- */

Test(training, target_milestones_and_window_from_the_plan)
{
    zx_plan *p;
    char first[11], last[11];

    cr_assert_eq(zx_training_target(plan), 180);
    cr_assert_eq(zx_training_milestone(plan, 2019), 0);
    cr_assert_eq(zx_training_milestone(plan, 2020), 60);
    cr_assert_eq(zx_training_milestone(plan, 2021), 120);
    cr_assert_eq(zx_training_milestone(plan, 2022), 180);
    cr_assert_eq(zx_training_milestone(plan, 2030), 180);
    zx_training_window(plan, first, last);
    cr_assert_str_eq(first, "2020-01-01");
    cr_assert_str_eq(last, "2022-12-31");

    /* the milestones as data */
    p = make_plan("    training_milestones: [50, 100, 180]\n");
    cr_assert_eq(zx_training_milestone(p, 2020), 50);
    cr_assert_eq(zx_training_milestone(p, 2021), 100);
    cr_assert_eq(zx_training_milestone(p, 2022), 180);
    zx_plan_free(p);
    /* a list that is not one figure per year is not read: the ramp */
    p = make_plan("    training_milestones: [50, 100]\n");
    cr_assert_eq(zx_training_milestone(p, 2021), 120);
    zx_plan_free(p);
    /* another target ramps too */
    p = make_plan("    online: 2\n");
    cr_assert_eq(zx_training_target(p), 180);
    zx_plan_free(p);
}

/* ---- bases and courses --------------------------------------------- */

Test(training, bases_keyed_by_name_and_checked)
{
    zx_training_base b = { "东洲小学基地", "学校基地", "3206840003", 0, NULL,
                           0 };
    int change = -1;

    cr_assert_eq(zx_training_base_put(db, &b, "test", diag, &change), ZX_OK,
                 "%s", tu_diag_text(diag, 0));
    cr_assert_eq(change, ZX_TRAINING_INSERTED);
    cr_assert_eq(zx_training_base_put(db, &b, "test", diag, &change), ZX_OK);
    cr_assert_eq(change, ZX_TRAINING_UNCHANGED);
    b.kind = "学科基地";
    b.subject = 14;
    cr_assert_eq(zx_training_base_put(db, &b, "test", diag, &change), ZX_OK);
    cr_assert_eq(change, ZX_TRAINING_UPDATED);
    cr_assert_eq(count("SELECT subject FROM training_base"), 14);
    cr_assert_eq(count("SELECT count(*) FROM audit WHERE tbl ="
                       " 'training_base'"), 2);

    /* a training institution has no school; a school base needs one */
    b.name = "教师发展中心";
    b.kind = "培训机构";
    b.subject = 0;
    zx_diag_clear(diag);
    cr_assert_eq(zx_training_base_put(db, &b, "test", diag, NULL), ZX_EDATA);
    want_msg("培训机构不属于学校");
    b.school_code = NULL;
    cr_assert_eq(zx_training_base_put(db, &b, "test", diag, NULL), ZX_OK);
    b.name = "无名基地";
    b.kind = "学校基地";
    b.school_code = "3206849999";
    zx_diag_clear(diag);
    cr_assert_eq(zx_training_base_put(db, &b, "test", diag, NULL),
                 ZX_ENOTFOUND);
    want_msg("学校标识码“3206849999”不存在");
    b.kind = "基地";
    zx_diag_clear(diag);
    cr_assert_eq(zx_training_base_put(db, &b, "test", diag, NULL), ZX_EDATA);
    want_msg("基地类型“基地”无效");
    cr_assert_eq(count("SELECT count(*) FROM training_base"), 2);
}

static int list_course(void *ctx, const zx_course *c)
{
    char *out = ctx;

    sprintf(out + strlen(out), "%s %s %g %s %d/%ld %ld %s..%s %d\n", c->code,
            c->name, c->hours, c->base ? c->base : "-", (int)c->enrolled,
            c->capacity, c->completed, c->starts_on, c->ends_on, c->special);
    return 0;
}

Test(training, courses_keyed_by_code_with_their_rules)
{
    zx_training_base b = { "教师发展中心", "培训机构", NULL, 0, NULL, 0 };
    zx_course c;
    char out[1024] = "";
    int change = -1;

    cr_assert_eq(zx_training_base_put(db, &b, "test", diag, NULL), ZX_OK);
    memset(&c, 0, sizeof(c));
    c.code = "E1";
    c.name = "课堂 教学";
    c.base = "教师发展中心";
    c.hours = 60;
    c.capacity = 2;
    c.starts_on = "2021年3月1日";
    c.ends_on = "2021/6/30";
    c.special = 1;
    cr_assert_eq(zx_training_course_put(db, &c, "test", diag, &change), ZX_OK,
                 "%s", tu_diag_text(diag, 0));
    cr_assert_eq(change, ZX_TRAINING_INSERTED);
    cr_assert_eq(zx_training_course_put(db, &c, "test", diag, &change), ZX_OK);
    cr_assert_eq(change, ZX_TRAINING_UNCHANGED);
    cr_assert_eq(zx_training_courses(db, "E1", list_course, out), ZX_OK);
    cr_assert_str_eq(out, "E1 课堂 教学 60 教师发展中心 0/2 0 "
                          "2021-03-01..2021-06-30 1\n");
    cr_assert_eq(zx_training_courses(db, "E9", list_course, out),
                 ZX_ENOTFOUND);

    /* every problem at once */
    c.code = "E 1!";
    c.hours = 400;
    c.starts_on = "2021-07-01";
    zx_diag_clear(diag);
    cr_assert_eq(zx_training_course_put(db, &c, "test", diag, NULL), ZX_EDATA);
    want_msg("课程编号须为");
    want_msg("学时须大于 0，且不超过 360");
    want_msg("结课日期 2021-06-30 早于开课日期 2021-07-01");
    c.code = "E2";
    c.hours = 20;
    c.starts_on = "2021-03-01";
    c.required = 1;
    zx_diag_clear(diag);
    cr_assert_eq(zx_training_course_put(db, &c, "test", diag, NULL), ZX_EDATA);
    want_msg("必修课程全体乡村教师都参加，不设名额");
    c.required = 0;
    c.base = "无此基地";
    zx_diag_clear(diag);
    cr_assert_eq(zx_training_course_put(db, &c, "test", diag, NULL),
                 ZX_ENOTFOUND);
    want_msg("培训基地“无此基地”不存在");

    /* once enrolled and completed: places and hours hold */
    cr_assert_eq(enrol("T01", "E1", "2021-01-01"), ZX_OK);
    cr_assert_eq(enrol("T02", "E1", "2021-01-01"), ZX_OK);
    c.code = "E1";
    c.base = NULL;
    c.hours = 60;
    c.capacity = 1;
    zx_diag_clear(diag);
    cr_assert_eq(zx_training_course_put(db, &c, "test", diag, NULL), ZX_EDATA);
    want_msg("已有 2 人选修，名额不能少于此数");
    REC_OK("T01", "E1", NULL, 0, "2021-06-30", -1);
    c.capacity = 2;
    c.hours = 50;
    zx_diag_clear(diag);
    cr_assert_eq(zx_training_course_put(db, &c, "test", diag, NULL), ZX_EDATA);
    want_msg("已有 1 条结业记录，学时和是否专项培训不能再改");
    c.hours = 60;
    c.special = 0;
    zx_diag_clear(diag);
    cr_assert_eq(zx_training_course_put(db, &c, "test", diag, NULL), ZX_EDATA);
    /* a new name and end date are fine */
    c.special = 1;
    c.name = "课堂教学改革";
    c.ends_on = "2021-07-15";
    cr_assert_eq(zx_training_course_put(db, &c, "test", diag, &change), ZX_OK,
                 "%s", tu_diag_text(diag, 0));
    cr_assert_eq(change, ZX_TRAINING_UPDATED);
    cr_assert_eq(count("SELECT count(*) FROM audit WHERE tbl = 'course'"
                       " AND action = 'update'"), 1);
    out[0] = '\0';
    cr_assert_eq(zx_training_courses(db, NULL, list_course, out), ZX_OK);
    cr_assert_str_eq(out, "E1 课堂教学改革 60 - 2/2 1 "
                          "2021-03-01..2021-07-15 1\n");
}

/* ---- enrolment ------------------------------------------------------- */

Test(training, enrolment_within_capacity_for_rural_teachers_only)
{
    fill_catalogue();
    cr_assert_eq(enrol("T01", "E1", "2021-01-15"), ZX_OK);
    cr_assert_eq(enrol(" t01 ", "E1", "2021-01-15"), ZX_ENOTFOUND,
                 "teacher numbers are exact");
    cr_assert_eq(enrol("T01", "E1", "2021-01-15"), ZX_EEXIST);
    want_msg("已选修课程 E1");
    /* enrolment closes at the end of the first day */
    cr_assert_eq(enrol("T02", "E1", "2021-03-02"), ZX_EDATA);
    want_msg("课程 E1 已于 2021-03-01 开课，选课已截止");
    cr_assert_eq(enrol("T02", "E1", "2021-03-01"), ZX_OK);
    /* two places */
    cr_assert_eq(enrol("T04", "E1", "2021-01-15"), ZX_EDATA);
    want_msg("课程 E1 名额已满（2 人）");
    /* required courses need no enrolment */
    cr_assert_eq(enrol("T04", "R1", "2020-01-15"), ZX_EDATA);
    want_msg("是必修课程，全体乡村教师都参加，无需选课");
    /* only rural teachers: not the urban school's, not post 其他 */
    cr_assert_eq(enrol("T06", "E2", "2020-08-01"), ZX_EDATA);
    want_msg("教师 T06（王六）不是乡村教师");
    cr_assert_eq(enrol("T03", "E2", "2020-08-01"), ZX_EDATA);
    cr_assert_eq(enrol("T07", "E2", "2020-08-01"), ZX_OK);
    cr_assert_eq(enrol("T99", "E9", "2020-08-01"), ZX_ENOTFOUND);
    want_msg("课程编号“E9”不在课程目录中");
    want_msg("教师编号“T99”不存在");
    cr_assert_eq(count("SELECT count(*) FROM course_enrolment"), 3);
    cr_assert_eq(count("SELECT count(*) FROM audit WHERE tbl ="
                       " 'course_enrolment' AND action = 'insert'"), 3);

    /* withdrawing frees the place, unless the course is completed */
    zx_diag_clear(diag);
    cr_assert_eq(zx_training_withdraw(db, "E1", "T02", "test", diag), ZX_OK);
    cr_assert_eq(enrol("T04", "E1", "2021-01-15"), ZX_OK);
    zx_diag_clear(diag);
    cr_assert_eq(zx_training_withdraw(db, "E1", "T02", "test", diag),
                 ZX_ENOTFOUND);
    want_msg("没有选修课程 E1");
    REC_OK("T01", "E1", NULL, 0, "2021-06-30", -1);
    zx_diag_clear(diag);
    cr_assert_eq(zx_training_withdraw(db, "E1", "T01", "test", diag),
                 ZX_EDATA);
    want_msg("已有课程 E1 的结业记录，不能退选");
    cr_assert_eq(count("SELECT count(*) FROM audit WHERE tbl ="
                       " 'course_enrolment' AND action = 'delete'"), 1);
}

/* ---- completions ----------------------------------------------------- */

Test(training, completions_follow_the_rules)
{
    fill_catalogue();
    cr_assert_eq(enrol("T01", "E1", "2021-01-15"), ZX_OK);

    /* a required course: its hours, flag and name by default */
    REC_OK("T01", "R1", NULL, 0, "2020年6月30日", -1);
    cr_assert_eq(count("SELECT count(*) FROM training_record r JOIN course c"
                       " ON c.id = r.course_id WHERE r.course = '师德专题'"
                       " AND r.hours = 30 AND r.special = 1"
                       " AND r.done_on = '2020-06-30'"), 1);
    /* the same teacher, course and day is one record */
    cr_assert_eq(rec("T01", "R1", NULL, 0, "2020-06-30", -1), ZX_EEXIST);
    want_msg("已有教师 T01 在 2020-06-30 完成“师德专题”的记录（30 学时）");
    /* never more than the course's hours, however many records */
    cr_assert_eq(rec("T01", "R1", NULL, 5, "2020-06-29", -1), ZX_EDATA);
    want_msg("教师 T01 在课程 R1 已记 30 学时，加上本条 5 学时超过课程的 30 "
             "学时");
    cr_assert_eq(rec("T02", "R1", NULL, 40, "2020-06-29", -1), ZX_EDATA);
    want_msg("学时 40 超过课程 R1 的 30 学时");
    /* two parts of one course are fine */
    REC_OK("T02", "R1", NULL, 10, "2020-04-01", -1);
    REC_OK("T02", "R1", NULL, 20, "2020-05-01", -1);
    /* an elective needs the enrolment */
    cr_assert_eq(rec("T02", "E1", NULL, 0, "2021-06-30", -1), ZX_EDATA);
    want_msg("教师 T02 没有选修课程 E1");
    REC_OK("T01", "E1", NULL, 0, "2021-06-30", -1);
    /* the course's flag and name stand */
    cr_assert_eq(rec("T04", "R1", "别的名字", 0, "2020-06-30", 0), ZX_EDATA);
    want_msg("课程名称“别的名字”与课程编号 R1 的名称“师德专题”不符");
    want_msg("课程 R1 是专项培训，“专项培训”应为“是”或留空");
    REC_OK("T04", "R1", "师德专题", 0, "2020-06-30", 1);
    /* not before the course starts, not after today */
    cr_assert_eq(rec("T05", "R1", NULL, 0, "2020-02-28", -1), ZX_EDATA);
    want_msg("完成日期 2020-02-28 早于课程 R1 的开课日期 2020-03-01");
    cr_assert_eq(rec("T05", NULL, "研修", 10, "2026-01-02", 1), ZX_EDATA);
    want_msg("“完成日期”为 2026-01-02，晚于今天（2026-01-01）");
    cr_assert_eq(rec("T05", NULL, "研修", 10, "2020-02-30", 1), ZX_EDATA);
    want_msg("“完成日期”无法识别“2020-02-30”");
    /* outside the catalogue: name, hours and the flag are needed */
    cr_assert_eq(rec("T05", NULL, "研修", 0, "2020-10-01", -1), ZX_EDATA);
    want_msg("目录外的培训须填写“学时”");
    want_msg("目录外的培训须填写“专项培训”（是/否）");
    cr_assert_eq(rec("T05", NULL, "研修", 361, "2020-10-01", 1), ZX_EDATA);
    want_msg("学时 361 超过单条记录的上限 360");
    cr_assert_eq(rec("T05", NULL, "研修", -2, "2020-10-01", 1), ZX_EDATA);
    want_msg("“学时”须大于 0");
    cr_assert_eq(rec("T99", "X9", NULL, 0, "2020-10-01", -1), ZX_ENOTFOUND);
    want_msg("教师编号“T99”不存在");
    want_msg("课程编号“X9”不在课程目录中");
    /* a free course of the same name another day is another record; the
     * same day is the same record */
    REC_OK("T05", NULL, "研修", 10, "2020-10-01", 1);
    REC_OK("T05", NULL, "研修", 10, "2020-10-02", 1);
    cr_assert_eq(rec("T05", NULL, " 研修 ", 12, "2020-10-02", 0), ZX_EEXIST);

    cr_assert_eq(count("SELECT count(*) FROM training_record"), 7);
    cr_assert_eq(count("SELECT count(*) FROM audit WHERE tbl ="
                       " 'training_record' AND action = 'insert'"), 7);
    cr_assert_eq(count("SELECT count(*) FROM training_record"
                       " WHERE course_id IS NULL"), 2);
}

/* ---- accounting ------------------------------------------------------ */

struct got {
    char text[4096];
};

static int got_teacher(void *ctx, const zx_training_hours *h)
{
    struct got *g = ctx;

    sprintf(g->text + strlen(g->text), "%s %s %g/%g/%g %d%d %g\n",
            h->teacher_no, h->school_code, h->special, h->continuing,
            h->outside, h->complete, h->on_track, h->shortfall);
    return 0;
}

static int got_unit(void *ctx, const zx_training_unit *u)
{
    struct got *g = ctx;

    sprintf(g->text + strlen(g->text), "%s %s %lld %lld %lld %.1f %.1f\n",
            zx_level_name(u->level), u->code, u->teachers, u->complete,
            u->on_track, u->complete_share, u->on_track_share);
    return 0;
}

static const char *teachers(int year, const char *unit, const char *teacher,
                            int behind)
{
    static struct got g;
    zx_training_query q = { year, unit, teacher, behind };

    g.text[0] = '\0';
    zx_diag_clear(diag);
    cr_assert_eq(zx_training_teachers(db, plan, &q, got_teacher, &g, diag),
                 ZX_OK, "%s", tu_diag_text(diag, 0));
    return g.text;
}

static const char *units(int year, const char *unit)
{
    static struct got g;
    zx_training_query q = { year, unit, NULL, 0 };

    g.text[0] = '\0';
    zx_diag_clear(diag);
    cr_assert_eq(zx_training_units(db, plan, &q, got_unit, &g, diag), ZX_OK,
                 "%s", tu_diag_text(diag, 0));
    return g.text;
}

Test(training, hours_special_continuing_and_outside_the_window)
{
    fill_ledger();
    /* T01: continuing hours apart, 2019 outside, 2022's only from 2022 */
    cr_assert_str_eq(teachers(2020, NULL, "T01", 0),
                     "T01 3206840001 30/20/40 00 30\n");
    cr_assert_str_eq(teachers(2021, NULL, "T01", 0),
                     "T01 3206840001 90/20/40 00 30\n");
    cr_assert_str_eq(teachers(2022, NULL, "T01", 0),
                     "T01 3206840001 150/20/40 00 30\n");
    /* an urban teacher has hours, just not in the rural accounting */
    cr_assert_str_eq(teachers(2022, NULL, "T06", 0),
                     "T06 3206840003 100/0/0 00 80\n");
    cr_assert_str_eq(teachers(2020, NULL, NULL, 0),
                     "T01 3206840001 30/20/40 00 30\n"
                     "T02 3206840001 30/0/0 00 30\n"
                     "T04 3206840002 60/0/0 01 0\n"
                     "T05 3206840002 0/0/0 00 60\n"
                     "T07 3206840004 200/0/0 11 0\n");
}

Test(training, shares_per_unit_and_the_teachers_behind)
{
    fill_ledger();
    /* 2020, milestone 60: T04 on track, T07 complete */
    cr_assert_str_eq(units(2020, NULL),
                     "city 320684 5 1 2 20.0 40.0\n"
                     "town 320684T001 4 0 1 0.0 25.0\n"
                     "town 320684T002 1 1 1 100.0 100.0\n"
                     "group 320684G001 2 0 0 0.0 0.0\n"
                     "school 3206840001 2 0 0 0.0 0.0\n"
                     "school 3206840002 2 0 1 0.0 50.0\n"
                     "school 3206840004 1 1 1 100.0 100.0\n");
    /* 2021, milestone 120: T04 still on track */
    cr_assert_str_eq(units(2021, "320684T001"),
                     "town 320684T001 4 0 1 0.0 25.0\n"
                     "school 3206840001 2 0 0 0.0 0.0\n"
                     "school 3206840002 2 0 1 0.0 50.0\n");
    /* 2022, milestone 180: T02 and T07 complete */
    cr_assert_str_eq(units(2022, "甲镇"),
                     "town 320684T001 4 1 1 25.0 25.0\n"
                     "school 3206840001 2 1 1 50.0 50.0\n"
                     "school 3206840002 2 0 0 0.0 0.0\n");
    cr_assert_str_eq(units(2022, "东洲集团"),
                     "group 320684G001 2 1 1 50.0 50.0\n"
                     "school 3206840001 2 1 1 50.0 50.0\n");
    cr_assert_str_eq(units(2022, "3206840004"),
                     "school 3206840004 1 1 1 100.0 100.0\n");
    cr_assert_str_eq(units(2022, "320684"),
                     "city 320684 5 2 2 40.0 40.0\n"
                     "town 320684T001 4 1 1 25.0 25.0\n"
                     "town 320684T002 1 1 1 100.0 100.0\n"
                     "group 320684G001 2 1 1 50.0 50.0\n"
                     "school 3206840001 2 1 1 50.0 50.0\n"
                     "school 3206840002 2 0 0 0.0 0.0\n"
                     "school 3206840004 1 1 1 100.0 100.0\n");
    /* who is behind, and by how much */
    cr_assert_str_eq(teachers(2022, NULL, NULL, 1),
                     "T01 3206840001 150/20/40 00 30\n"
                     "T04 3206840002 120/0/0 00 60\n"
                     "T05 3206840002 0/0/0 00 180\n");
    cr_assert_str_eq(teachers(2021, "乙镇", NULL, 1), "");
    cr_assert_str_eq(teachers(2021, "320684T001", NULL, 1),
                     "T01 3206840001 90/20/40 00 30\n"
                     "T02 3206840001 90/0/0 00 30\n"
                     "T05 3206840002 0/0/0 00 120\n");
}

Test(training, refuses_a_year_outside_the_plan_and_unknown_units)
{
    zx_training_query q = { 2019, NULL, NULL, 0 };
    struct got g;

    cr_assert_eq(zx_training_units(db, plan, &q, got_unit, &g, diag),
                 ZX_EINVAL);
    want_msg("年度 2019 不是计划年度（2020、2021、2022）");
    q.year = 2020;
    q.unit = "无此镇";
    zx_diag_clear(diag);
    cr_assert_eq(zx_training_units(db, plan, &q, got_unit, &g, diag),
                 ZX_ENOTFOUND);
    want_msg("单位“无此镇”不存在");
    q.unit = NULL;
    q.teacher = "T99";
    zx_diag_clear(diag);
    cr_assert_eq(zx_training_teachers(db, plan, &q, got_teacher, &g, diag),
                 ZX_ENOTFOUND);
}

/* The ledger and the plan's indicator count the same people the same way:
 * its numerator and denominator per school are the ledger's complete and
 * teachers, every year. */
struct ind_rows {
    char text[2048];
};

static int got_result(void *ctx, const zx_result *r)
{
    struct ind_rows *g = ctx;

    if ((r->level == ZX_LEVEL_SCHOOL || r->level == ZX_LEVEL_CITY) &&
        r->denominator > 0)
        sprintf(g->text + strlen(g->text), "%s %s %g/%g\n",
                zx_level_name(r->level), r->unit_code, r->numerator,
                r->denominator);
    return 0;
}

Test(training, agrees_with_the_training_180_indicator)
{
    zx_engine *e = NULL;
    struct ind_rows g;
    int year;

    fill_ledger();
    cr_assert_eq(zx_engine_open(db, plan, &e, diag), ZX_OK, "%s",
                 tu_diag_text(diag, 0));
    for (year = 2020; year <= 2022; year++) {
        char want[2048] = "";
        const char *u = units(year, NULL), *line;

        g.text[0] = '\0';
        cr_assert_eq(zx_engine_eval(e, zx_plan_indicator(plan, "training-180"),
                                    year, 1u << ZX_LEVEL_CITY |
                                              1u << ZX_LEVEL_SCHOOL,
                                    0, got_result, &g), ZX_OK);
        /* "level code teachers complete ..." -> "level code complete/teachers" */
        for (line = u; *line; line = strchr(line, '\n') + 1) {
            char level[16], code[32];
            long long n, done, on;
            cr_assert_eq(sscanf(line, "%15s %31s %lld %lld %lld", level, code,
                                &n, &done, &on), 5);
            if (strcmp(level, "city") == 0 || strcmp(level, "school") == 0)
                sprintf(want + strlen(want), "%s %s %lld/%lld\n", level, code,
                        done, n);
        }
        cr_assert_str_eq(g.text, want, "%d", year);
    }
    zx_engine_close(e);
}

/* ---- the import ------------------------------------------------------ */

static int import_str(const char *fname, const char *text, int dry)
{
    tu_write_str(tu_path(dir, fname), text);
    zx_diag_clear(diag);
    return zx_training_import(db, plan, tu_path(dir, fname), fname, dry,
                              "2026-01-01", "test", NULL, NULL, diag, &res);
}

static const char good_csv[] =
    "教师编号,课程编号,课程名称,学时,完成日期,专项培训\n"
    "T01,R1,,,2020-06-30,\n"
    "T01,,暑期集中培训,40,2019年8月1日,是\n"
    "T02,R1,师德专题,30,2020/5/1,是\n"
    "T04,,网络研修,12,2021-03-20,否\n";

Test(training, import_writes_a_clean_file_once)
{
    fill_catalogue();
    cr_assert_eq(import_str("t.csv", good_csv, 1), ZX_OK, "%s",
                 tu_diag_text(diag, 0));
    cr_assert_eq(res.rows, 4);
    cr_assert_eq(res.inserted, 4);
    cr_assert_eq(count("SELECT count(*) FROM training_record"), 0,
                 "a dry run writes nothing");
    cr_assert_eq(import_str("t.csv", good_csv, 0), ZX_OK);
    cr_assert_eq(count("SELECT count(*) FROM training_record"), 4);
    cr_assert_eq(count("SELECT total(hours) FROM training_record"), 112);
    cr_assert_eq(count("SELECT count(*) FROM import_batch"
                       " WHERE kind = 'training_record'"), 1);
    /* the same file again changes nothing; a changed row is updated */
    cr_assert_eq(import_str("t.csv", good_csv, 0), ZX_OK);
    cr_assert_eq(res.unchanged, 4);
    cr_assert_eq(res.inserted + res.updated, 0);
    cr_assert_eq(import_str("t2.csv",
                            "teacher_no,course_name,hours,done_on,special\n"
                            "T04,网络研修,16,2021-03-20,N\n", 0), ZX_OK,
                 "%s", tu_diag_text(diag, 0));
    cr_assert_eq(res.updated, 1);
    cr_assert_eq(count("SELECT hours FROM training_record"
                       " WHERE course = '网络研修'"), 16);
    cr_assert_eq(count("SELECT count(*) FROM audit WHERE tbl ="
                       " 'training_record' AND action = 'update'"
                       " AND key = 'T04/网络研修/2021-03-20'"), 1);
    cr_assert_eq(count("SELECT count(*) FROM audit WHERE tbl ="
                       " 'training_record' AND action = 'import'"), 3);
}

Test(training, import_is_all_or_nothing_with_every_problem)
{
    fill_catalogue();
    cr_assert_eq(import_str("bad.csv",
                            "教师编号,课程编号,课程名称,学时,完成日期,专项培训\n"
                            "T01,R1,,,2020-06-30,\n"          /* 2: fine */
                            "T99,R1,,,2020-06-30,\n"          /* 3 */
                            "T05,R1,,20,2020-06-01,\n"        /* 4: fine */
                            "T05,R1,,20,2020-06-02,\n"        /* 5: 40 > 30 */
                            "T02,E1,,,2021-06-30,\n"          /* 6 */
                            "T02,,研修,,2020-13-01,是\n"      /* 7 */
                            "   ,  ,,,,\n"                    /* blank */
                            "T01,R1,,,2020-06-30,\n"          /* 9: row 2 */
                            "T04,,研修,400,2020-10-01,也许\n" /* 10 */
                            "T06,Q1,,10,2020-10-01,\n"        /* 11 */
                            , 0), ZX_EDATA);
    cr_assert_eq(count("SELECT count(*) FROM training_record"), 0);
    cr_assert_eq(count("SELECT count(*) FROM import_batch"), 0);
    cr_assert_eq(res.rows, 9);
    cr_assert_str_eq(tu_diag_text(diag, 0),
                     "3:A: 教师编号“T99”不存在，请先导入该教师\n"
                     "5:D: 教师 T05 在课程 R1 已记 20 学时，加上本条 20 学时"
                     "超过课程的 30 学时\n"
                     "6:B: 教师 T02 没有选修课程 E1：选修课程须先选课"
                     "（zhenxing training enrol）\n"
                     "7:E: “完成日期”无法识别“2020-13-01”，请写成 2020-09-01 或 "
                     "2020年9月1日\n"
                     "7:D: 目录外的培训须填写“学时”\n"
                     "9:E: 与第 2 行重复：同一教师、课程和完成日期只能填写一次\n"
                     "10:D: “学时”为 400，超出允许范围 0～360\n"
                     "10:F: “专项培训”的值“也许”无效，应为：是、否\n"
                     "11:B: 课程编号“Q1”不在课程目录中（zhenxing training "
                     "courses 列出全部课程）\n");

    /* the header */
    cr_assert_eq(import_str("h.csv", "教师编号,学时,备注\nT01,3,x\n", 0),
                 ZX_EDATA);
    cr_assert_str_eq(tu_diag_text(diag, 0),
                     "1:C: 未知的表头“备注”：培训记录表不认识这一列（应为 "
                     "教师编号、课程编号、课程名称、学时、完成日期、专项培训）\n"
                     "1:: 缺少必需的表头“完成日期”\n"
                     "1:: 缺少表头“课程编号”或“课程名称”：至少要有其中一列\n");
    cr_assert_eq(import_str("e.csv", "", 0), ZX_EDATA);
    want_msg("文件是空的");
    cr_assert_eq(count("SELECT count(*) FROM audit WHERE tbl ="
                       " 'training_record'"), 0);
}

Test(training, import_reads_xlsx_dates_and_numbers)
{
    const char *p = tu_path(dir, "t.xlsx");
    lxw_workbook *wb = workbook_new(p);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "培训记录");
    lxw_format *datefmt = workbook_add_format(wb);
    lxw_datetime day = { 2020, 6, 30, 0, 0, 0 };
    static const char *const heads[] = { "教师编号", "课程编号", "学时",
                                         "完成日期", "专项培训",
                                         "课程名称" };
    int i;

    fill_catalogue();
    format_set_num_format(datefmt, "yyyy-mm-dd");
    for (i = 0; i < 6; i++)
        worksheet_write_string(ws, 0, (lxw_col_t)i, heads[i], NULL);
    worksheet_write_string(ws, 1, 0, "T01", NULL);
    worksheet_write_string(ws, 1, 1, "R1", NULL);
    worksheet_write_datetime(ws, 1, 3, &day, datefmt);
    worksheet_write_string(ws, 2, 0, "T07", NULL);
    worksheet_write_number(ws, 2, 2, 12.5, NULL);
    /* a date typed as a bare serial number */
    worksheet_write_number(ws, 2, 3, 44197, NULL); /* 2021-01-01 */
    worksheet_write_boolean(ws, 2, 4, 1, NULL);
    worksheet_write_string(ws, 2, 5, "读书会", NULL);
    cr_assert_eq(workbook_close(wb), LXW_NO_ERROR);

    zx_diag_clear(diag);
    cr_assert_eq(zx_training_import(db, plan, p, "t.xlsx", 0, "2026-01-01",
                                    "test", NULL, NULL, diag, &res), ZX_OK,
                 "%s", tu_diag_text(diag, 0));
    cr_assert_str_eq(res.format, "XLSX");
    cr_assert_eq(res.inserted, 2);
    cr_assert_eq(count("SELECT count(*) FROM training_record"
                       " WHERE done_on = '2020-06-30' AND hours = 30"), 1);
    cr_assert_eq(count("SELECT count(*) FROM training_record WHERE"
                       " done_on = '2021-01-01' AND hours = 12.5"
                       " AND special = 1 AND course = '读书会'"), 1);
}

/* ---- the demo ---------------------------------------------------------- */

/* The demo's ledger keeps the rules the module enforces, and moves the
 * indicator off zero. */
Test(training, demo_ledger_keeps_the_rules)
{
    zx_db *d = tu_db(tu_tmpdir()), *keep = db;
    zx_demo_opts o = { 1, 3, "test" };
    zx_plan *builtin = NULL;
    zx_diag *dg = zx_diag_new();
    struct got g;
    zx_training_query q = { 2021, NULL, NULL, 0 };

    cr_assert_eq(zx_demo_generate(d, &o, NULL, NULL, NULL), ZX_OK);
    cr_assert_eq(zx_plan_load_text(zx_builtin_plan, zx_builtin_plan_len,
                                   "builtin", &builtin, dg), ZX_OK);
    cr_assert_eq(zx_demoplan_fill(d, builtin, 3, 2021, NULL), ZX_OK);
    db = d;
    cr_assert_eq(count("SELECT count(*) FROM training_base"), 3);
    cr_assert_eq(count("SELECT count(*) FROM course"), 10);
    cr_assert(count("SELECT count(*) FROM training_record") > 5000);
    cr_assert(count("SELECT count(*) FROM course_enrolment") > 1000);
    /* nothing after the year the demo stands at */
    cr_assert_eq(count("SELECT count(*) FROM training_record"
                       " WHERE done_on > '2021-12-31'"), 0);
    /* electives: only rural teachers, enrolled before the start, within
     * the places; completed only when enrolled */
    cr_assert_eq(count("SELECT count(*) FROM course_enrolment e"
                       " JOIN course c ON c.id = e.course_id"
                       " JOIN teacher t ON t.id = e.teacher_id"
                       " JOIN school s ON s.unit_id = t.school_id"
                       " WHERE c.required = 1 OR t.post = 9"
                       " OR s.urban_rural IN (111, 112)"
                       " OR substr(e.enrolled_at, 1, 10) > c.starts_on"), 0);
    cr_assert_eq(count("SELECT count(*) FROM course c WHERE c.capacity <"
                       " (SELECT count(*) FROM course_enrolment e"
                       "  WHERE e.course_id = c.id)"), 0);
    cr_assert_eq(count("SELECT count(*) FROM training_record r"
                       " JOIN course c ON c.id = r.course_id"
                       " WHERE c.required = 0 AND NOT EXISTS (SELECT 1"
                       " FROM course_enrolment e WHERE e.course_id = c.id"
                       " AND e.teacher_id = r.teacher_id)"), 0);
    /* a course's hours at most once, its flag, inside its dates */
    cr_assert_eq(count("SELECT count(*) FROM (SELECT 1 FROM training_record r"
                       " JOIN course c ON c.id = r.course_id"
                       " GROUP BY r.teacher_id, c.id"
                       " HAVING sum(r.hours) > max(c.hours))"), 0);
    cr_assert_eq(count("SELECT count(*) FROM training_record r"
                       " JOIN course c ON c.id = r.course_id"
                       " WHERE r.special <> c.special OR r.course <> c.name"
                       " OR r.done_on < c.starts_on"), 0);
    cr_assert_eq(count("SELECT count(*) FROM audit WHERE action = 'demo'"
                       " AND tbl = 'training_record'"), 1);
    /* a plan in motion by 2021: a few teachers done, about half on track */
    g.text[0] = '\0';
    cr_assert_eq(zx_training_units(d, builtin, &q, got_unit, &g, dg), ZX_OK);
    {
        long long n, done, on;
        double ds, os;
        cr_assert_eq(sscanf(g.text, "city 320684 %lld %lld %lld %lf %lf", &n,
                            &done, &on, &ds, &os), 5, "%.200s", g.text);
        cr_assert(n > 2000 && ds > 1 && ds < 30 && os > 30 && os < 80,
                  "%.200s", g.text);
    }
    db = keep;
    zx_plan_free(builtin);
    zx_diag_free(dg);
    zx_db_close(d);
}

/* ---- the command line ------------------------------------------------ */

static int zx(const char *args)
{
    char cmd[2048];

    snprintf(cmd, sizeof(cmd), "cd %s && %s --db %s/zx.db %s >out 2>&1", dir,
             ZX_BIN, dir, args);
    return tu_sh(cmd);
}

static const char *out(void)
{
    static char buf[16384];
    FILE *f = fopen(tu_path(dir, "out"), "rb");
    size_t n;

    cr_assert_not_null(f);
    n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

#define WANT_OUT(s) cr_assert(strstr(out(), s), "want “%s” in:\n%s", s, out())

Test(training, command_line)
{
    zx_diag *d = zx_diag_new();

    /* the CLI reads the plan in force */
    cr_assert_eq(zx_planstore_put(db, zx_builtin_plan, zx_builtin_plan_len,
                                  "haimen.yaml", "test", d), ZX_OK);
    zx_diag_free(d);
    cr_assert_eq(zx("training --help"), 0);
    WANT_OUT("乡村教师培训台账");
    cr_assert_eq(zx("training base add 教师发展中心 --kind 培训机构"), 0,
                 "%s", out());
    cr_assert_eq(zx("training course add C1 --name 师德专题 --hours 30"
                    " --from 2020-03-01 --to 2020-06-30 --required"
                    " --base 教师发展中心"), 0, "%s", out());
    cr_assert_eq(zx("training course add C2 --name 课堂教学 --hours 60"
                    " --from 2021-03-01 --to 2021-06-30"), 0, "%s", out());
    cr_assert_eq(zx("training course add C3 --hours 10"), 64,
                 "a new course needs its name and dates");
    cr_assert_eq(zx("training courses --format csv"), 0);
    WANT_OUT("C1,师德专题,教师发展中心,30,,,必修,专项培训,,0,0,2020-03-01,"
             "2020-06-30");
    /* the course has started: refused, nothing written, exit 65 */
    cr_assert_eq(zx("training enrol T01 C2"), 65);
    WANT_OUT("选课已截止");
    cr_assert_eq(zx("training record T01 --course C1 --date 2020-06-30"), 0,
                 "%s", out());
    cr_assert_eq(zx("training record T01 --course C1 --date 2020-06-30"), 65);
    cr_assert_eq(zx("training record T07 --name 骨干研修 --hours 200"
                    " --date 2020-11-11 --special"), 0, "%s", out());
    tu_write_str(tu_path(dir, "r.csv"),
                 "教师编号,课程名称,学时,完成日期,专项培训\n"
                 "T04,新教师培训,60,2020-12-01,是\n"
                 "T99,新教师培训,60,2020-12-01,是\n");
    cr_assert_eq(zx("training import r.csv"), 65);
    WANT_OUT("r.csv:3:A: 教师编号“T99”不存在");
    cr_assert_eq(zx("training hours --year 2020 --format csv"), 0, "%s",
                 out());
    WANT_OUT("全市,320684,海门市,5,1,20.0,1,20.0\r\n");
    WANT_OUT("学校,3206840004,丁小学,1,1,100.0,1,100.0\r\n");
    cr_assert_eq(zx("training hours --year 2020 --behind --unit 甲镇"), 0);
    WANT_OUT("共 4 名乡村教师未达到当年进度节点");
    cr_assert_eq(zx("training hours --teacher T01 --format json"), 0);
    WANT_OUT("\"special\": 30");
    cr_assert_eq(zx("training hours --year 2019"), 64);
    WANT_OUT("年度 2019 不是计划年度");
    cr_assert_eq(zx("training nonsense"), 64);
    cr_assert_eq(zx("audit verify"), 0, "%s", out());
}
