/*
 * test_indicator.c - the engine on a hand-built city: exact numerators,
 * denominators, values and statuses for each kind of indicator (share,
 * count, sum, ratio, per-unit condition, lower-is-better, town-level
 * condition), roll-up to town, group and city, milestones from the
 * baseline, and plan errors found in expressions.
 *
 * The city: two towns, one group, four schools.
 *   A 3206840001 town 甲镇 urban (111) primary, 600 pupils, group HQ
 *   B 3206840002 town 甲镇 rural (220) primary, 499 pupils, group member
 *   C 3206840003 town 乙镇 rural (121) junior,  300 pupils
 *   D 3206840004 town 乙镇 rural (210) kindergarten, 100 pupils
 */
#include "testutil.h"

#include <math.h>

#include "indicator.h"
#include "plan.h"

static const char *dir;
static zx_db *db;

static void school(zx_registry *reg, const char *code, const char *name,
                   const char *town, int type, int ur, int hq, int students)
{
    zx_school_rec s = { code, name, town, hq >= 0 ? "东洲集团" : NULL, type,
                        ur, 1, 21, hq > 0, 0, 0, 0 };
    zx_enrol_rec e19 = { code, 2019, students, 10, 0, 0 };
    zx_enrol_rec e20 = { code, 2020, students, 10, 0, 0 };
    int put;

    cr_assert_eq(zx_registry_put_school(reg, &s, &put), ZX_OK);
    cr_assert_eq(zx_registry_put_enrolment(reg, &e19, &put), ZX_OK);
    cr_assert_eq(zx_registry_put_enrolment(reg, &e20, &put), ZX_OK);
}

static void teacher(zx_registry *reg, const char *no, const char *school_code,
                    int employment, const char *role, int role_from)
{
    zx_teacher_rec t = { no, "某老师", 2, "1990-05", school_code, 2, 13, 3,
                         employment, 1, 2015, 0 };
    zx_role_rec r = { no, role, "", role_from, 0 };
    int put;

    cr_assert_eq(zx_registry_put_teacher(reg, &t, &put), ZX_OK);
    if (role)
        cr_assert_eq(zx_registry_put_role(reg, &r, &put), ZX_OK);
}

static void value(const char *element, const char *unit_code, int year,
                  double num)
{
    sqlite3_stmt *st;

    cr_assert_eq(sqlite3_prepare_v2(zx_db_sqlite(db),
                                    "INSERT INTO data_value(element, unit_id,"
                                    " year, num, entered_by, entered_at)"
                                    " SELECT ?1, id, ?2, ?3, 'test', 'now'"
                                    " FROM org_unit WHERE code = ?4",
                                    -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, element, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, year);
    sqlite3_bind_double(st, 3, num);
    sqlite3_bind_text(st, 4, unit_code, -1, SQLITE_STATIC);
    cr_assert_eq(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

static void setup(void)
{
    zx_registry *reg;

    dir = tu_tmpdir();
    db = tu_db(dir);
    reg = tu_registry_begin(db);
    school(reg, "3206840001", "甲小学", "甲镇", 211, 111, 1, 600);
    school(reg, "3206840002", "乙小学", "甲镇", 211, 220, 0, 499);
    school(reg, "3206840003", "丙中学", "乙镇", 311, 121, -1, 300);
    school(reg, "3206840004", "丁幼儿园", "乙镇", 111, 210, -1, 100);
    /* B: two seed teachers (one since 2021), one substitute;
     * C: one seed teacher, two substitutes; D: none */
    teacher(reg, "T01", "3206840002", 1, "种子教师", 2019);
    teacher(reg, "T02", "3206840002", 1, "种子教师", 2021);
    teacher(reg, "T03", "3206840002", 3, NULL, 0);
    teacher(reg, "T04", "3206840003", 1, "种子教师", 2019);
    teacher(reg, "T05", "3206840003", 3, NULL, 0);
    teacher(reg, "T06", "3206840003", 3, NULL, 0);
    teacher(reg, "T07", "3206840001", 1, NULL, 0);
    tu_registry_end(db, reg);
    /* counselling rooms: B yes, C no, D not entered */
    value("counselling_room", "3206840002", 0, 1);
    value("counselling_room", "3206840003", 0, 0);
    value("resource_classroom", "3206840002", 2020, 1);
    value("resource_classroom", "3206840003", 2020, 1);
    value("accounts", "3206840002", 2020, 400);
    value("accounts", "3206840003", 2020, 300);
}

static void teardown(void)
{
    zx_db_close(db);
}

TestSuite(indicator, .init = setup, .fini = teardown);

static const char plan_head[] =
    TU_PLAN_HEAD("test-plan")
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
    "  - id: resource_classroom\n"
    "    name: 融合教育资源教室\n"
    "    type: bool\n"
    "    level: school\n"
    "    yearly: true\n"
    "  - id: accounts\n"
    "    name: 人人通账号数\n"
    "    type: int\n"
    "    level: school\n"
    "    yearly: true\n"
    "indicators:\n";

/* Results collected from one evaluation. */
struct row {
    char unit[32];
    int level;
    double n, d, v, ms;
    long long entities;
    enum zx_status status;
};

struct rows {
    struct row r[64];
    int n;
};

static int collect(void *ctx, const zx_result *r)
{
    struct rows *rs = ctx;
    struct row *x = &rs->r[rs->n++];

    cr_assert(rs->n <= 64);
    snprintf(x->unit, sizeof(x->unit), "%s", r->unit_code);
    x->level = r->level;
    x->n = r->numerator;
    x->d = r->denominator;
    x->v = r->value;
    x->ms = r->milestone;
    x->entities = r->entities;
    x->status = r->status;
    return 0;
}

static const struct row *find(const struct rows *rs, const char *unit)
{
    int i;

    for (i = 0; i < rs->n; i++)
        if (strcmp(rs->r[i].unit, unit) == 0)
            return &rs->r[i];
    cr_assert_fail("no result for %s", unit);
    return NULL;
}

/* Loads plan_head + indicators text and evaluates it for year at every
 * level. */
static void eval(const char *indicators, int year, struct rows *rs)
{
    char text[8192];
    zx_plan *plan = NULL;
    zx_engine *e = NULL;
    zx_diag *d = zx_diag_new();

    snprintf(text, sizeof(text), "%s%s", plan_head, indicators);
    cr_assert_eq(zx_plan_load_text(text, strlen(text), "t.yaml", &plan, d),
                 ZX_OK, "%s", zx_diag_count(d) ? zx_diag_get(d, 0)->msg : "");
    cr_assert_eq(zx_engine_open(db, plan, &e, d), ZX_OK, "%s",
                 zx_diag_count(d) ? zx_diag_get(d, 0)->msg : "");
    rs->n = 0;
    cr_assert_eq(zx_engine_eval(e, NULL, year, 0x1f, 0, collect, rs), ZX_OK);
    zx_engine_close(e);
    zx_plan_free(plan);
    zx_diag_free(d);
}

#define CITY "320684"
#define TOWN_A "320684T001"
#define TOWN_B "320684T002"
#define GROUP "320684G001"

Test(indicator, share_rolls_up_as_sums)
{
    struct rows rs;
    const struct row *r;

    eval("  - id: counselling-room\n"
         "    clause: 3.3.2-E3\n"
         "    goal: conditions\n"
         "    name: 乡村学校心理咨询室覆盖率\n"
         "    kind: share\n"
         "    over: schools\n"
         "    where: \"rural\"\n"
         "    numerator: \"counselling_room\"\n"
         "    unit: \"%\"\n"
         "    target: 100\n",
         2020, &rs);
    r = find(&rs, CITY);
    cr_assert_eq(r->n, 1);
    cr_assert_eq(r->d, 3, "B, C and D are rural");
    cr_assert_float_eq(r->v, 100.0 / 3, 1e-9);
    /* ramp from the 2019 value (the same 33.3%: not yearly) to 100 in
     * 2022: 55.6 due in 2020 */
    cr_assert_float_eq(r->ms, 100.0 / 3 + (100 - 100.0 / 3) / 3, 1e-9);
    cr_assert_eq(r->status, ZX_STATUS_BEHIND);
    r = find(&rs, TOWN_A);
    cr_assert_eq(r->d, 1);
    cr_assert_eq(r->status, ZX_STATUS_MET);
    r = find(&rs, TOWN_B);
    cr_assert_eq(r->n, 0);
    cr_assert_eq(r->d, 2, "the town's share is its own 0/2, not an average");
    r = find(&rs, GROUP);
    cr_assert_eq(r->d, 1, "only B of the group is rural");
    cr_assert_eq(r->status, ZX_STATUS_MET);
    r = find(&rs, "3206840004");
    cr_assert_eq(r->status, ZX_STATUS_NO_DATA, "D entered nothing");
}

Test(indicator, per_unit_condition_with_dated_roles)
{
    struct rows rs;
    const char *ind =
        "  - id: seed-teachers\n"
        "    clause: 3.5.3-N3\n"
        "    goal: conditions\n"
        "    name: 每所乡村学校 2-3 名种子教师\n"
        "    kind: share\n"
        "    over: schools\n"
        "    where: \"rural\"\n"
        "    numerator: \"count(teachers, role('种子教师')) >= 2\"\n"
        "    target: {min: 2, max: 3}\n";
    char text[2048];

    /* as a share of rural schools: in 2020 nobody has two seed teachers */
    snprintf(text, sizeof(text), "%s    unit: \"%%\"\n", ind);
    eval(text, 2020, &rs);
    cr_assert_eq(find(&rs, CITY)->n, 0);
    cr_assert_eq(find(&rs, CITY)->d, 3);
    /* in 2021 B's second seed teacher starts */
    eval(text, 2021, &rs);
    cr_assert_eq(find(&rs, CITY)->n, 1);
    cr_assert_eq(find(&rs, "3206840002")->v, 100);
    cr_assert_eq(find(&rs, "3206840003")->v, 0);
}

Test(indicator, count_lower_is_better_with_ramp_to)
{
    struct rows rs;
    const struct row *r;

    eval("  - id: substitutes\n"
         "    clause: 3.4.3-T9\n"
         "    goal: conditions\n"
         "    name: 代课教师人数\n"
         "    kind: count\n"
         "    over: teachers\n"
         "    numerator: \"employment = '代课'\"\n"
         "    unit: 人\n"
         "    direction: lower\n"
         "    target: 0\n"
         "    milestones: {ramp_to: 0, by: 2024}\n"
         "    levels: [city, town]\n",
         2020, &rs);
    r = find(&rs, CITY);
    cr_assert_eq(r->v, 3);
    /* baseline 3 (the same teachers in 2019), to 0 by 2024: 2.4 due in
     * 2020, so 3 is behind */
    cr_assert_float_eq(r->ms, 2.4, 1e-9);
    cr_assert_eq(r->status, ZX_STATUS_BEHIND);
    r = find(&rs, TOWN_B);
    cr_assert_eq(r->v, 2);
    cr_assert_eq(r->status, ZX_STATUS_INFO, "counts are judged at the city");
    cr_assert_eq(find(&rs, TOWN_A)->v, 1);
}

Test(indicator, ratio_of_sums)
{
    struct rows rs;
    const struct row *r;

    eval("  - id: renrentong\n"
         "    clause: 3.3.3-D2\n"
         "    goal: conditions\n"
         "    name: 人人通空间覆盖率\n"
         "    kind: ratio\n"
         "    over: schools\n"
         "    numerator: \"accounts\"\n"
         "    denominator: \"students + count(teachers)\"\n"
         "    unit: \"%\"\n"
         "    target: 90\n"
         "    milestones: {2020: 20, 2021: 60, 2022: 90}\n",
         2020, &rs);
    r = find(&rs, CITY);
    cr_assert_eq(r->n, 700);
    cr_assert_eq(r->d, 600 + 1 + 499 + 3 + 300 + 3 + 100 + 0);
    cr_assert_float_eq(r->v, 100.0 * 700 / 1506, 1e-9);
    cr_assert_eq(r->status, ZX_STATUS_ON_TRACK, "46.5%% >= the 20%% due");
}

Test(indicator, town_level_condition)
{
    struct rows rs;

    eval("  - id: resource-classrooms\n"
         "    clause: 3.3.1-I4\n"
         "    goal: conditions\n"
         "    name: 区镇融合教育资源教室\n"
         "    kind: share\n"
         "    over: towns\n"
         "    numerator: \"count(schools, primary and resource_classroom) >= 1"
         " and count(schools, junior and resource_classroom) >= 1\"\n"
         "    unit: \"%\"\n"
         "    target: 100\n"
         "    levels: [city, town]\n",
         2020, &rs);
    cr_assert_eq(find(&rs, CITY)->n, 0);
    cr_assert_eq(find(&rs, CITY)->d, 2);
    cr_assert_eq(find(&rs, TOWN_A)->v, 0, "甲镇 has no junior school");
    eval("  - id: resource-classrooms\n"
         "    clause: 3.3.1-I4\n"
         "    goal: conditions\n"
         "    name: 区镇融合教育资源教室\n"
         "    kind: share\n"
         "    over: towns\n"
         "    numerator: \"count(schools, resource_classroom) >= 1\"\n"
         "    unit: \"%\"\n"
         "    target: 100\n"
         "    levels: [city, town]\n",
         2020, &rs);
    cr_assert_eq(find(&rs, CITY)->n, 2);
    cr_assert_eq(find(&rs, CITY)->status, ZX_STATUS_MET);
}

Test(indicator, a_write_is_seen_at_the_next_read)
{
    struct rows rs;
    const char *ind = "  - id: counselling-room\n"
                      "    clause: 3.3.2-E3\n"
                      "    goal: conditions\n"
                      "    name: 心理咨询室\n"
                      "    kind: share\n"
                      "    over: schools\n"
                      "    where: \"rural\"\n"
                      "    numerator: \"counselling_room\"\n"
                      "    unit: \"%\"\n"
                      "    target: 100\n";

    eval(ind, 2020, &rs);
    cr_assert_eq(find(&rs, CITY)->n, 1);
    value("counselling_room", "3206840004", 0, 1);
    eval(ind, 2020, &rs);
    cr_assert_eq(find(&rs, CITY)->n, 2);
}

/* Errors in expressions are reported at their line and column. */
Test(indicator, expression_errors_have_positions)
{
    char text[4096];
    zx_plan *plan = NULL;
    zx_diag *d = zx_diag_new();
    const zx_diag_item *it;
    int line;

    snprintf(text, sizeof(text), "%s"
             "  - id: bad\n"
             "    clause: 3.3.2-E3\n"
             "    goal: conditions\n"
             "    name: 错误\n"
             "    kind: share\n"
             "    over: schools\n"
             "    numerator: \"rural and smart_campus\"\n"
             "    target: 100\n"
             "    unit: \"%%\"\n"
             "  - id: bad2\n"
             "    clause: 3.3.2-E3\n"
             "    goal: conditions\n"
             "    name: 错误2\n"
             "    kind: count\n"
             "    over: teachers\n"
             "    numerator: \"employment = '临时工'\"\n"
             "    target: 0\n"
             "    unit: 人\n", plan_head);
    cr_assert_eq(zx_plan_load_text(text, strlen(text), "t.yaml", &plan, d),
                 ZX_OK, "%s", zx_diag_count(d) ? zx_diag_get(d, 0)->msg : "");
    cr_assert_eq(zx_indicator_check(plan, d), ZX_EDATA);
    cr_assert_eq(zx_diag_count(d), 2);
    /* plan_head ends at the start of line `line` */
    line = 1;
    for (const char *p = plan_head; *p; p++)
        line += *p == '\n';
    it = zx_diag_get(d, 0);
    cr_assert_eq(it->row, line + 6, "%ld", it->row);
    /* 0-based column: the text starts past `    numerator: "` */
    cr_assert_eq(it->col, 16 + (int)strlen("rural and "), "%d", it->col);
    cr_assert(strstr(it->msg, "smart_campus"), "%s", it->msg);
    it = zx_diag_get(d, 1);
    cr_assert_eq(it->row, line + 15);
    cr_assert(strstr(it->msg, "“临时工”不是“用工类型”的取值"), "%s", it->msg);
    zx_plan_free(plan);
    zx_diag_free(d);
}

/* One engine kept open, as the server keeps it: cached totals are reused
 * only while nothing they read has changed, so every write shows at the
 * next read, whether it is a data value (stamped by a trigger) or the
 * registry (stamped by registry.c). */
Test(indicator, cached_results_see_every_write)
{
    char text[4096];
    zx_plan *plan = NULL;
    zx_engine *e = NULL;
    zx_diag *d = zx_diag_new();
    zx_registry *reg;
    struct rows rs;

    snprintf(text, sizeof(text), "%s"
             "  - id: counselling-room\n"
             "    clause: 3.3.2-E3\n"
             "    goal: conditions\n"
             "    name: 心理咨询室\n"
             "    kind: share\n"
             "    over: schools\n"
             "    where: \"rural\"\n"
             "    numerator: \"counselling_room\"\n"
             "    unit: \"%%\"\n"
             "    target: 100\n"
             "  - id: seed\n"
             "    clause: 3.5.3-N3\n"
             "    goal: conditions\n"
             "    name: 种子教师\n"
             "    kind: count\n"
             "    over: teachers\n"
             "    numerator: \"role('种子教师')\"\n"
             "    unit: 人\n"
             "    target: 10\n", plan_head);
    cr_assert_eq(zx_plan_load_text(text, strlen(text), "t.yaml", &plan, d),
                 ZX_OK);
    cr_assert_eq(zx_engine_open(db, plan, &e, d), ZX_OK);
    rs.n = 0;
    cr_assert_eq(zx_engine_eval(e, NULL, 2021, 1, 0, collect, &rs), ZX_OK);
    cr_assert_eq(rs.r[0].n, 1);
    cr_assert_eq(rs.r[1].n, 3);
    rs.n = 0;
    cr_assert_eq(zx_engine_eval(e, NULL, 2021, 1, 0, collect, &rs), ZX_OK);
    cr_assert_eq(rs.r[0].n, 1, "nothing changed: the same figures");

    value("counselling_room", "3206840004", 0, 1);
    rs.n = 0;
    cr_assert_eq(zx_engine_eval(e, NULL, 2021, 1, 0, collect, &rs), ZX_OK);
    cr_assert_eq(rs.r[0].n, 2, "a value written is counted");

    reg = tu_registry_begin(db);
    school(reg, "3206840005", "戊小学", "乙镇", 211, 220, -1, 50);
    teacher(reg, "T08", "3206840005", 1, "种子教师", 2020);
    tu_registry_end(db, reg);
    rs.n = 0;
    cr_assert_eq(zx_engine_eval(e, NULL, 2021, 1, 0, collect, &rs), ZX_OK);
    cr_assert_eq(rs.r[0].d, 4, "a school added is in scope");
    cr_assert_eq(rs.r[1].n, 4, "a role added is counted");
    zx_engine_close(e);
    zx_plan_free(plan);
    zx_diag_free(d);
}

Test(indicator, sum_and_max)
{
    struct rows rs;

    eval("  - id: accounts\n"
         "    clause: 3.3.3-D2\n"
         "    goal: conditions\n"
         "    name: 人人通账号总数\n"
         "    kind: sum\n"
         "    over: schools\n"
         "    numerator: \"accounts\"\n"
         "    unit: 个\n"
         "    target: 1000\n"
         "    levels: [city, town]\n",
         2020, &rs);
    cr_assert_eq(find(&rs, CITY)->v, 700);
    cr_assert_eq(find(&rs, CITY)->status, ZX_STATUS_BEHIND);
    cr_assert_eq(find(&rs, TOWN_A)->v, 400);
    cr_assert_eq(find(&rs, TOWN_A)->status, ZX_STATUS_INFO);
    eval("  - id: biggest\n"
         "    clause: 3.3.3-D2\n"
         "    goal: conditions\n"
         "    name: 最大在校生数\n"
         "    kind: max\n"
         "    over: schools\n"
         "    where: \"rural\"\n"
         "    numerator: \"students\"\n"
         "    unit: 人\n"
         "    target: 400\n"
         "    milestones: {2020: 400, 2021: 400, 2022: 400}\n"
         "    levels: [city, town]\n",
         2020, &rs);
    cr_assert_eq(find(&rs, CITY)->v, 499, "the largest rural school is B");
    cr_assert_eq(find(&rs, CITY)->status, ZX_STATUS_MET);
    cr_assert_eq(find(&rs, TOWN_B)->v, 300);
}
