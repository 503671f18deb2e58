/*
 * test_devroles.c - the gap lists of the development roles on a
 * hand-built city, row by row: seed and model teachers against their
 * ranges, subject leaders and research projects per subject taught,
 * young reserve cadres and the plan's count of cadres promoted, young
 * teachers without a mentor; the year a role starts and ends, urban
 * schools left out, the unit filter, settings a plan lacks or gets
 * wrong, and `zhenxing gaps`.
 *
 * The city (rural = 121..220):
 *   A 3206840001 甲小学   甲镇 (T001) urban 111, HQ of 东洲集团
 *   B 3206840002 乙小学   甲镇 (T001) rural 220, member of 东洲集团
 *   C 3206840003 丙中学   乙镇 (T002) rural 121
 *   D 3206840004 丁幼儿园 乙镇 (T002) rural 210
 *
 * Teachers (birth, subject; roles with their years):
 *   A1 1999 语文 学科带头人 2018-   (urban: never listed)
 *   B1 1985 语文 种子教师 2019-, 学科带头人(校级) 2019-; 课题 2021
 *   B2 1995 数学 后备干部 2020-; 课题 2020 only; mentee, accepted 2020
 *   B3 1970 英语 种子教师 2015-2020, 学科带头人 2016-2020
 *   B4 1980 数学 榜样教师 2021-
 *   C1 1990 语文 种子教师 2019-; pairing only proposed
 *   C2 1975 物理 种子教师 2019-, 学科带头人(县级) 2018-; 课题 2021
 *   C3 1986 语文 种子教师 2019-, 后备干部 2019-, 副校长 promoted 2021
 *   C4 1992 物理 种子教师 2019-, 后备干部 2018-2020; mentee, accepted 2022
 *   C5 1994 物理 学科带头人(校级) 2021-
 *   D1 1965 学前教育 榜样教师 2019-2021
 *   D2 1996 学前教育; 课题 2021; mentee, accepted (no date)
 */
#include "testutil.h"

#include "devroles.h"
#include "plan.h"
#include "planstore.h"

static const char *dir;
static zx_db *db;

#define CITY "320684"
#define TOWN_A "320684T001"
#define GROUP "320684G001"
#define A "3206840001"
#define B "3206840002"
#define C "3206840003"
#define D "3206840004"

static void school(zx_registry *reg, const char *code, const char *name,
                   const char *town, int type, int ur, int hq)
{
    zx_school_rec s = { code, name, town, hq >= 0 ? "东洲集团" : NULL, type,
                        ur, 1, 21, hq > 0, 0, 0, 0 };
    int put;

    cr_assert_eq(zx_registry_put_school(reg, &s, &put), ZX_OK);
}

static void teacher(zx_registry *reg, const char *no, const char *name,
                    const char *birth, const char *school_code, int subject,
                    int post)
{
    zx_teacher_rec t = { no, name, 2, birth, school_code, 2, subject, 3, 1,
                         post, 2015, 0 };
    int put;

    cr_assert_eq(zx_registry_put_teacher(reg, &t, &put), ZX_OK);
}

static void role(zx_registry *reg, const char *no, const char *title,
                 const char *level, int from, int to)
{
    zx_role_rec r = { no, title, level, from, to };
    int put;

    cr_assert_eq(zx_registry_put_role(reg, &r, &put), ZX_OK);
}

/* Runs sql with text parameters ?1..?n (NULL binds NULL). */
static void run_sql(const char *sql, int n, const char *const *params)
{
    sqlite3_stmt *st;
    int i;

    cr_assert_eq(sqlite3_prepare_v2(zx_db_sqlite(db), sql, -1, &st, NULL),
                 SQLITE_OK, "%s", sqlite3_errmsg(zx_db_sqlite(db)));
    for (i = 0; i < n; i++)
        if (params[i])
            sqlite3_bind_text(st, i + 1, params[i], -1, SQLITE_STATIC);
    cr_assert_eq(sqlite3_step(st), SQLITE_DONE, "%s",
                 sqlite3_errmsg(zx_db_sqlite(db)));
    sqlite3_finalize(st);
}

/* A teacher's value of element for year ("0": not yearly): the text of
 * research_project, the number of the others. */
static void value(const char *element, const char *teacher_no,
                  const char *year, const char *v)
{
    const char *p[] = { element, teacher_no, year, v };

    run_sql("INSERT INTO data_value(element, unit_id, year, num, text,"
            " entered_by, entered_at)"
            " SELECT ?1, id, CAST(?3 AS INTEGER),"
            " CASE WHEN ?1 = 'research_project' THEN NULL"
            " ELSE CAST(?4 AS INTEGER) END,"
            " CASE WHEN ?1 = 'research_project' THEN ?4 END, 'test', 'now'"
            " FROM teacher WHERE teacher_no = ?2", 4, p);
}

/* The mentee teacher `no` paired with A1 in programme subject_leaders
 * (A1 joins the mentor pool once). */
static void pairing(const char *no, const char *status,
                    const char *accepted_on)
{
    const char *p[] = { no, status, accepted_on };

    if (!zx_db_int(db, "SELECT count(*) FROM pairing_pool"
                       " WHERE side = 'mentor'", NULL, 0))
        run_sql("INSERT INTO pairing_pool(programme, side, name, teacher_id,"
                " school_id, unit_id) SELECT 'subject_leaders', 'mentor',"
                " name, id, school_id, school_id FROM teacher"
                " WHERE teacher_no = 'A1'", 0, p);
    run_sql("INSERT INTO pairing_pool(programme, side, name, teacher_id,"
            " school_id, unit_id) SELECT 'subject_leaders', 'mentee', name,"
            " id, school_id, school_id FROM teacher WHERE teacher_no = ?1",
            1, p);
    run_sql("INSERT INTO pairing(programme, mentor_id, mentee_id, status,"
            " accepted_on) VALUES ('subject_leaders', (SELECT min(id) FROM"
            " pairing_pool WHERE side = 'mentor'), (SELECT max(id) FROM"
            " pairing_pool WHERE side = 'mentee'), ?2, ?3)", 3, p);
}

static void setup(void)
{
    zx_registry *reg;

    dir = tu_tmpdir();
    db = tu_db(dir);
    reg = tu_registry_begin(db);
    school(reg, A, "甲小学", "甲镇", 211, 111, 1);
    school(reg, B, "乙小学", "甲镇", 211, 220, 0);
    school(reg, C, "丙中学", "乙镇", 311, 121, -1);
    school(reg, D, "丁幼儿园", "乙镇", 111, 210, -1);
    /* subjects: 13 语文, 14 数学, 16 物理, 41 英语, 90 学前教育;
     * posts: 1 专任教师, 3 副校长 */
    teacher(reg, "A1", "甲一", "1999-01", A, 13, 1);
    role(reg, "A1", "学科带头人", "县级", 2018, 0);
    teacher(reg, "B1", "乙一", "1985-03", B, 13, 1);
    role(reg, "B1", "种子教师", "", 2019, 0);
    role(reg, "B1", "学科带头人", "校级", 2019, 0);
    teacher(reg, "B2", "乙二", "1995-07", B, 14, 1);
    role(reg, "B2", "后备干部", "", 2020, 0);
    teacher(reg, "B3", "乙三", "1970-11", B, 41, 1);
    role(reg, "B3", "种子教师", "", 2015, 2020);
    role(reg, "B3", "学科带头人", "县级", 2016, 2020);
    teacher(reg, "B4", "乙四", "1980-01", B, 14, 1);
    role(reg, "B4", "榜样教师", "", 2021, 0);
    teacher(reg, "C1", "丙一", "1990-02", C, 13, 1);
    role(reg, "C1", "种子教师", "", 2019, 0);
    teacher(reg, "C2", "丙二", "1975-05", C, 16, 1);
    role(reg, "C2", "种子教师", "", 2019, 0);
    role(reg, "C2", "学科带头人", "县级", 2018, 0);
    teacher(reg, "C3", "丙三", "1986-04", C, 13, 3);
    role(reg, "C3", "种子教师", "", 2019, 0);
    role(reg, "C3", "后备干部", "", 2019, 0);
    teacher(reg, "C4", "丙四", "1992-09", C, 16, 1);
    role(reg, "C4", "种子教师", "", 2019, 0);
    role(reg, "C4", "后备干部", "", 2018, 2020);
    teacher(reg, "C5", "丙五", "1994-10", C, 16, 1);
    role(reg, "C5", "学科带头人", "校级", 2021, 0);
    teacher(reg, "D1", "丁一", "1965-06", D, 90, 1);
    role(reg, "D1", "榜样教师", "", 2019, 2021);
    teacher(reg, "D2", "丁二", "1996-12", D, 90, 1);
    tu_registry_end(db, reg);

    value("research_project", "B1", "2021", "小学语文整本书阅读研究");
    value("research_project", "B2", "2020", "小学数学说理课堂研究");
    value("research_project", "C2", "2021", "初中物理实验教学研究");
    value("research_project", "D2", "2021", "幼儿园户外游戏研究");
    value("promoted_year", "C3", "0", "2021");
    pairing("B2", "accepted", "2020-09-01");
    pairing("C1", "proposed", NULL);
    pairing("C4", "accepted", "2022-03-01");
    pairing("D2", "accepted", NULL);
}

static void teardown(void)
{
    zx_db_close(db);
}

TestSuite(devroles, .init = setup, .fini = teardown);

static const char plan_head[] = TU_PLAN_HEAD("test-plan");

static const char plan_settings[] =
    "  settings:\n"
    "    seed_teachers: [2, 3]\n"
    "    model_teachers: [1, 2]\n"
    "    reserve_cadre_decade: 1990\n"
    "    young_teacher_age: 35\n";

static const char plan_body[] =
    "goals:\n"
    "  - id: teachers\n"
    "    clause: \"2.2\"\n"
    "    name: 队伍建设\n"
    "data_elements:\n"
    "  - id: promoted_year\n"
    "    name: 现任领导职务任职年份\n"
    "    type: int\n"
    "    level: teacher\n"
    "    yearly: false\n"
    "  - id: research_project\n"
    "    name: 在研课题\n"
    "    type: text\n"
    "    level: teacher\n"
    "    yearly: true\n"
    "indicators:\n"
    "  - id: seed-teachers\n"
    "    clause: 3.5.3-N3\n"
    "    goal: teachers\n"
    "    name: 乡村学校种子教师配备率\n"
    "    kind: share\n"
    "    over: schools\n"
    "    where: \"rural\"\n"
    "    numerator: \"count(teachers, role('种子教师')) >= 2\"\n"
    "    unit: \"%\"\n"
    "    target: 100\n"
    "  - id: model-teachers\n"
    "    clause: 3.5.3-N2\n"
    "    goal: teachers\n"
    "    name: 乡村学校榜样教师配备率\n"
    "    kind: share\n"
    "    over: schools\n"
    "    where: \"rural\"\n"
    "    numerator: \"count(teachers, role('榜样教师')) >= 1\"\n"
    "    unit: \"%\"\n"
    "    target: 100\n"
    "  - id: reserve-cadre-90s\n"
    "    clause: 3.1-P5\n"
    "    goal: teachers\n"
    "    name: 乡村学校90后青年后备干部配备率\n"
    "    kind: share\n"
    "    over: schools\n"
    "    where: \"rural\"\n"
    "    numerator: \"count(teachers, (birth_year between 1990 and 1999)"
    " and role('后备干部')) >= 1\"\n"
    "    unit: \"%\"\n"
    "    target: 100\n"
    "  - id: promoted-80s\n"
    "    clause: 3.1-P5\n"
    "    goal: teachers\n"
    "    name: 乡村学校提拔任用80后青年后备干部人数\n"
    "    kind: count\n"
    "    over: teachers\n"
    "    where: \"school.rural and (birth_year between 1980 and 1989)\"\n"
    "    numerator: \"(post = '校长' or post = '副校长' or post = '中层干部')"
    " and (promoted_year between 2020 and year)"
    " and role_since('后备干部') <= promoted_year\"\n"
    "    unit: 人\n"
    "    target: 3\n"
    "    milestones: {2020: 1, 2021: 2, 2022: 3}\n"
    "    levels: [city, town]\n"
    "  - id: pair-subject-leaders\n"
    "    clause: 4.2-K3\n"
    "    goal: teachers\n"
    "    name: 城区学科带头人一对一帮扶乡村教师落实率\n"
    "    kind: share\n"
    "    over: pairing_mentors\n"
    "    where: \"programme = 'subject_leaders'\"\n"
    "    numerator: \"paired\"\n"
    "    unit: \"%\"\n"
    "    target: 100\n"
    "    levels: [city]\n";

static zx_plan *load(const char *settings, const char *body)
{
    char text[16384];

    snprintf(text, sizeof(text), "%s%s%s", plan_head, settings, body);
    return tu_plan(text);
}

/* The rows of a listing, one line each:
 * check|kind|indicator|unit|town|subject|teacher|have|need|what */
struct rows {
    char line[64][320];
    int n;
};

static int collect(void *ctx, const zx_devroles_row *r)
{
    struct rows *rs = ctx;

    cr_assert_lt(rs->n, 64);
    snprintf(rs->line[rs->n++], sizeof(rs->line[0]),
             "%s|%s|%s|%s|%s|%s|%s|%lld|%lld|%s",
             zx_devroles_check_id(r->check),
             r->kind == ZX_DEVROLES_OVER ? "over" : "gap",
             r->indicator ? r->indicator : "-", r->unit_code, r->town,
             r->subject_name ? r->subject_name : "-",
             r->teacher_no ? r->teacher_no : "-", r->have, r->need, r->what);
    return 0;
}

/* The id of the unit with code. */
static long long unit(const char *code)
{
    long long id = zx_db_int(db, "SELECT id FROM org_unit WHERE code = ?1",
                             code, 0);

    cr_assert_neq(id, 0, "no unit %s", code);
    return id;
}

/* Lists `checks` for year within unit_code (NULL: everything) with the
 * full test plan, expecting no notes. */
static void list(unsigned checks, int year, const char *unit_code,
                 struct rows *rs)
{
    zx_plan *plan = load(plan_settings, plan_body);
    zx_diag *d = zx_diag_new();

    rs->n = 0;
    cr_assert_eq(zx_devroles_gaps(db, plan, checks, year,
                                  unit_code ? unit(unit_code) : 0, collect,
                                  rs, d),
                 ZX_OK, "%s", tu_diag_text(d, 1));
    cr_assert_eq(zx_diag_count(d), 0, "%s", tu_diag_text(d, 1));
    zx_diag_free(d);
    zx_plan_free(plan);
}

static void expect_rows(const struct rows *rs, const char *const *want,
                        int n)
{
    int i;

    for (i = 0; i < n && i < rs->n; i++)
        cr_expect_str_eq(rs->line[i], want[i], "row %d: %s", i, rs->line[i]);
    for (i = n; i < rs->n; i++)
        cr_expect_fail("unexpected row %s", rs->line[i]);
    for (i = rs->n; i < n; i++)
        cr_expect_fail("missing row %s", want[i]);
}

#define EXPECT(rs, ...)                                                    \
    do {                                                                   \
        static const char *const want_[] = { __VA_ARGS__ };                \
        expect_rows(rs, want_, (int)(sizeof(want_) / sizeof(want_[0])));  \
    } while (0)

#define BIT(c) (1u << (c))

Test(devroles, check_names)
{
    int c;

    for (c = 0; c < ZX_DEVROLES_NCHECKS; c++)
        cr_assert_eq(zx_devroles_check_parse(
                         zx_devroles_check_id((enum zx_devroles_check)c)),
                     c);
    cr_assert_eq(zx_devroles_check_parse("subject-leader"),
                 ZX_DEVROLES_SUBJECT_LEADER);
    cr_assert_eq(zx_devroles_check_parse("all"), -1);
    cr_assert_str_eq(zx_devroles_check_title(ZX_DEVROLES_MODEL), "榜样教师");
    cr_assert_str_eq(zx_devroles_check_clause(ZX_DEVROLES_MENTOR),
                     "3.4.2-T4");
}

Test(devroles, every_gap_list_2021)
{
    struct rows rs;

    list(ZX_DEVROLES_ALL, 2021, NULL, &rs);
    EXPECT(&rs,
           /* B: B3's seed role ended in 2020; C is over the norm */
           "seed|gap|seed-teachers|" B "|甲镇|-|-|1|2|种子教师 1 名，少于 2 名",
           "seed|over|seed-teachers|" C "|乙镇|-|-|4|3|种子教师 4 名，多于 3 名"
           "（可与其他学校共享）",
           "seed|gap|seed-teachers|" D "|乙镇|-|-|0|2|没有种子教师，应至少 2 名",
           /* B4 starts in 2021; D1 ends in 2021, so still counts */
           "model|gap|model-teachers|" C "|乙镇|-|-|0|1|没有榜样教师，应至少 1 名",
           /* the plan has no subject-leaders indicator: none named; B3
            * led 英语 until 2020; A1 leads 语文 in another school */
           "subject-leader|gap|-|" B "|甲镇|数学|-|0|1|没有数学学科带头人",
           "subject-leader|gap|-|" B "|甲镇|英语|-|0|1|没有英语学科带头人",
           "subject-leader|gap|-|" C "|乙镇|语文|-|0|1|没有语文学科带头人",
           "subject-leader|gap|-|" D "|乙镇|学前教育|-|0|1|没有学前教育学科带头人",
           /* B2's project was 2020's */
           "project|gap|-|" B "|甲镇|数学|-|0|1|数学学科没有在研课题",
           "project|gap|-|" B "|甲镇|英语|-|0|1|英语学科没有在研课题",
           "project|gap|-|" C "|乙镇|语文|-|0|1|语文学科没有在研课题",
           /* the plan's count: C3 promoted in 2021, 1 of 2 due; C4's 90后
            * role ended in 2020, C3 is 80后, D2 has none */
           "cadres|gap|promoted-80s|" CITY "||-|-|1|2|乡村学校提拔任用80后"
           "青年后备干部人数 1 人，未达到 2021 年节点 2 人",
           "cadres|gap|reserve-cadre-90s|" C "|乙镇|-|-|0|1|没有90后青年后备干部，"
           "应至少 1 名",
           "cadres|gap|reserve-cadre-90s|" D "|乙镇|-|-|0|1|没有90后青年后备干部，"
           "应至少 1 名",
           /* C1's pairing is only proposed; C3 (35 this year) has none;
            * C4's is accepted in 2022; B2 and D2 have mentors; C5 leads
            * a subject */
           "mentor|gap|pair-subject-leaders|" C "|乙镇|语文|C1|0|1|青年教师丙一"
           "（1990 年出生）没有青蓝结对的师傅",
           "mentor|gap|pair-subject-leaders|" C "|乙镇|语文|C3|0|1|青年教师丙三"
           "（1986 年出生）没有青蓝结对的师傅",
           "mentor|gap|pair-subject-leaders|" C "|乙镇|物理|C4|0|1|青年教师丙四"
           "（1992 年出生）没有青蓝结对的师傅");
}

Test(devroles, year_boundaries)
{
    struct rows rs;

    /* 2020: B3's seed and leader roles are still held, B4's model role
     * not yet; C4's 90后 role still held; nobody promoted yet */
    list(BIT(ZX_DEVROLES_SEED) | BIT(ZX_DEVROLES_MODEL) |
         BIT(ZX_DEVROLES_SUBJECT_LEADER) | BIT(ZX_DEVROLES_CADRES),
         2020, NULL, &rs);
    EXPECT(&rs,
           "seed|over|seed-teachers|" C "|乙镇|-|-|4|3|种子教师 4 名，多于 3 名"
           "（可与其他学校共享）",
           "seed|gap|seed-teachers|" D "|乙镇|-|-|0|2|没有种子教师，应至少 2 名",
           "model|gap|model-teachers|" B "|甲镇|-|-|0|1|没有榜样教师，应至少 1 名",
           "model|gap|model-teachers|" C "|乙镇|-|-|0|1|没有榜样教师，应至少 1 名",
           "subject-leader|gap|-|" B "|甲镇|数学|-|0|1|没有数学学科带头人",
           "subject-leader|gap|-|" C "|乙镇|语文|-|0|1|没有语文学科带头人",
           "subject-leader|gap|-|" D "|乙镇|学前教育|-|0|1|没有学前教育学科带头人",
           "cadres|gap|promoted-80s|" CITY "||-|-|0|1|乡村学校提拔任用80后"
           "青年后备干部人数 0 人，未达到 2020 年节点 1 人",
           "cadres|gap|reserve-cadre-90s|" D "|乙镇|-|-|0|1|没有90后青年后备干部，"
           "应至少 1 名");

    /* the projects of 2020: only B2's */
    list(BIT(ZX_DEVROLES_PROJECT), 2020, NULL, &rs);
    EXPECT(&rs,
           "project|gap|-|" B "|甲镇|语文|-|0|1|语文学科没有在研课题",
           "project|gap|-|" B "|甲镇|英语|-|0|1|英语学科没有在研课题",
           "project|gap|-|" C "|乙镇|语文|-|0|1|语文学科没有在研课题",
           "project|gap|-|" C "|乙镇|物理|-|0|1|物理学科没有在研课题",
           "project|gap|-|" D "|乙镇|学前教育|-|0|1|学前教育学科没有在研课题");

    /* the young of 2020: B1 (35) leads a subject, C5 not yet */
    list(BIT(ZX_DEVROLES_MENTOR), 2020, NULL, &rs);
    EXPECT(&rs,
           "mentor|gap|pair-subject-leaders|" C "|乙镇|语文|C1|0|1|青年教师丙一"
           "（1990 年出生）没有青蓝结对的师傅",
           "mentor|gap|pair-subject-leaders|" C "|乙镇|语文|C3|0|1|青年教师丙三"
           "（1986 年出生）没有青蓝结对的师傅",
           "mentor|gap|pair-subject-leaders|" C "|乙镇|物理|C4|0|1|青年教师丙四"
           "（1992 年出生）没有青蓝结对的师傅",
           "mentor|gap|pair-subject-leaders|" C "|乙镇|物理|C5|0|1|青年教师丙五"
           "（1994 年出生）没有青蓝结对的师傅");

    /* 2022: D1's model role ended in 2021; C3 is 36 and no longer
     * young; C4's pairing is accepted */
    list(BIT(ZX_DEVROLES_MODEL) | BIT(ZX_DEVROLES_MENTOR), 2022, NULL, &rs);
    EXPECT(&rs,
           "model|gap|model-teachers|" C "|乙镇|-|-|0|1|没有榜样教师，应至少 1 名",
           "model|gap|model-teachers|" D "|乙镇|-|-|0|1|没有榜样教师，应至少 1 名",
           "mentor|gap|pair-subject-leaders|" C "|乙镇|语文|C1|0|1|青年教师丙一"
           "（1990 年出生）没有青蓝结对的师傅");
}

Test(devroles, unit_filter)
{
    struct rows all, rs;
    int i;

    /* a town and a group: B's rows only (A is urban); the count of
     * cadres promoted is judged at the city, so no row below it */
    list(ZX_DEVROLES_ALL, 2021, TOWN_A, &rs);
    EXPECT(&rs,
           "seed|gap|seed-teachers|" B "|甲镇|-|-|1|2|种子教师 1 名，少于 2 名",
           "subject-leader|gap|-|" B "|甲镇|数学|-|0|1|没有数学学科带头人",
           "subject-leader|gap|-|" B "|甲镇|英语|-|0|1|没有英语学科带头人",
           "project|gap|-|" B "|甲镇|数学|-|0|1|数学学科没有在研课题",
           "project|gap|-|" B "|甲镇|英语|-|0|1|英语学科没有在研课题");
    list(ZX_DEVROLES_ALL, 2021, GROUP, &all);
    cr_assert_eq(all.n, rs.n);
    for (i = 0; i < rs.n; i++)
        cr_expect_str_eq(all.line[i], rs.line[i]);

    /* one school */
    list(BIT(ZX_DEVROLES_SEED) | BIT(ZX_DEVROLES_CADRES), 2021, D, &rs);
    EXPECT(&rs,
           "seed|gap|seed-teachers|" D "|乙镇|-|-|0|2|没有种子教师，应至少 2 名",
           "cadres|gap|reserve-cadre-90s|" D "|乙镇|-|-|0|1|没有90后青年后备干部，"
           "应至少 1 名");

    /* an urban school has no gaps, whatever it lacks */
    list(ZX_DEVROLES_ALL, 2021, A, &rs);
    cr_assert_eq(rs.n, 0, "%s", rs.n ? rs.line[0] : "");

    /* the city is everything */
    list(ZX_DEVROLES_ALL, 2021, NULL, &all);
    list(ZX_DEVROLES_ALL, 2021, CITY, &rs);
    cr_assert_eq(all.n, 17);
    cr_assert_eq(rs.n, all.n);
    for (i = 0; i < rs.n; i++)
        cr_expect_str_eq(rs.line[i], all.line[i]);
}

Test(devroles, unknown_unit)
{
    zx_plan *plan = load(plan_settings, plan_body);
    zx_diag *d = zx_diag_new();
    struct rows rs = { .n = 0 };

    cr_assert_eq(zx_devroles_gaps(db, plan, ZX_DEVROLES_ALL, 2021, 99999,
                                  collect, &rs, d), ZX_ENOTFOUND);
    cr_assert_eq(rs.n, 0);
    cr_assert_eq(zx_devroles_gaps(db, plan, 1u << ZX_DEVROLES_NCHECKS, 2021,
                                  0, collect, &rs, d), ZX_EINVAL);
    zx_diag_free(d);
    zx_plan_free(plan);
}

Test(devroles, checks_the_plan_leaves_out)
{
    /* no settings, no research_project, no promoted-80s: only subject
     * leaders are listed, and each check left out says why */
    static const char body[] =
        "goals:\n"
        "  - id: teachers\n"
        "    clause: \"2.2\"\n"
        "    name: 队伍建设\n"
        "indicators:\n"
        "  - id: substitutes\n"
        "    clause: 3.4.3-T9\n"
        "    goal: teachers\n"
        "    name: 代课教师人数\n"
        "    kind: count\n"
        "    over: teachers\n"
        "    numerator: \"employment = '代课'\"\n"
        "    unit: 人\n"
        "    target: 0\n";
    zx_plan *plan = load("", body);
    zx_diag *d = zx_diag_new();
    struct rows rs = { .n = 0 };
    const char *notes;

    cr_assert_eq(zx_devroles_gaps(db, plan, ZX_DEVROLES_ALL, 2021, 0,
                                  collect, &rs, d), ZX_OK);
    cr_assert_eq(rs.n, 4);
    cr_expect_str_eq(rs.line[0], "subject-leader|gap|-|" B "|甲镇|数学|-|0|1|"
                                 "没有数学学科带头人");
    notes = tu_diag_text(d, 1);
    cr_assert_eq(zx_diag_count(d), 6, "%s", notes);
    cr_expect(strstr(notes, "计划中没有设置 seed_teachers，未检查种子教师"),
              "%s", notes);
    cr_expect(strstr(notes, "计划中没有设置 model_teachers，未检查榜样教师"),
              "%s", notes);
    cr_expect(strstr(notes, "research_project"), "%s", notes);
    cr_expect(strstr(notes, "计划中没有指标 promoted-80s"), "%s", notes);
    cr_expect(strstr(notes, "reserve_cadre_decade"), "%s", notes);
    cr_expect(strstr(notes, "young_teacher_age"), "%s", notes);
    zx_diag_free(d);
    zx_plan_free(plan);
}

Test(devroles, settings_of_the_wrong_shape)
{
    /* line 8 and 10 of the plan text */
    zx_plan *plan = load("  settings:\n"
                         "    seed_teachers: 2\n"
                         "    model_teachers: [1, 2]\n"
                         "    reserve_cadre_decade: 1995\n"
                         "    young_teacher_age: 35\n",
                         plan_body);
    zx_diag *d = zx_diag_new();
    struct rows rs = { .n = 0 };
    const char *text;

    cr_assert_eq(zx_devroles_gaps(db, plan, ZX_DEVROLES_ALL, 2021, 0,
                                  collect, &rs, d), ZX_EDATA);
    cr_assert_eq(rs.n, 0, "nothing is listed");
    text = tu_diag_text(d, 1);
    cr_assert_eq(zx_diag_count(d), 2, "%s", text);
    cr_expect_eq(zx_diag_get(d, 0)->row, 8);
    cr_expect(strstr(zx_diag_get(d, 0)->msg, "设置 seed_teachers 的取值不对"),
              "%s", text);
    cr_expect_eq(zx_diag_get(d, 1)->row, 10);
    cr_expect(strstr(zx_diag_get(d, 1)->msg, "reserve_cadre_decade"), "%s",
              text);
    zx_diag_free(d);
    zx_plan_free(plan);
}

Test(devroles, built_in_plan_configures_every_check)
{
    zx_plan *plan = NULL;
    zx_diag *d = zx_diag_new();
    struct rows rs = { .n = 0 };

    cr_assert_eq(zx_plan_load_text(zx_builtin_plan, zx_builtin_plan_len,
                                   "haimen.yaml", &plan, d), ZX_OK);
    cr_assert_eq(zx_devroles_gaps(db, plan, ZX_DEVROLES_ALL, 2021, 0,
                                  collect, &rs, d), ZX_OK);
    cr_assert_eq(zx_diag_count(d), 0, "%s", tu_diag_text(d, 1));
    cr_assert_gt(rs.n, 0);
    zx_diag_free(d);
    zx_plan_free(plan);
}

Test(devroles, command_line)
{
    char cmd[1024], *out;
    const char *path = tu_path(dir, "gaps.csv");
    char text[16384];
    zx_diag *d = zx_diag_new();
    FILE *f;
    long n;

    if (access(ZX_BIN, X_OK) != 0)
        cr_skip_test("%s is not built", ZX_BIN);
    snprintf(text, sizeof(text), "%s%s%s", plan_head, plan_settings,
             plan_body);
    cr_assert_eq(zx_planstore_put(db, text, strlen(text), "t.yaml", "test",
                                  d), ZX_OK, "%s", tu_diag_text(d, 1));
    zx_diag_free(d);
    snprintf(cmd, sizeof(cmd), "%s --db %s gaps --check seed,model --unit %s"
             " --year 2021 --format csv > %s", ZX_BIN, tu_path(dir, "zx.db"),
             TOWN_A, path);
    cr_assert_eq(tu_sh(cmd), 0);
    f = fopen(path, "rb");
    cr_assert_not_null(f);
    out = calloc(1, 4096);
    n = (long)fread(out, 1, 4095, f);
    fclose(f);
    cr_assert_gt(n, 0);
    cr_expect_str_eq(out,
                     "\xef\xbb\xbf" "检查,检查编号,指标,条款,类型,单位编码,单位,"
                     "区镇,学科代码,学科,教师编号,教师,说明,现有,要求\r\n"
                     "种子教师,seed,seed-teachers,3.5.3-N3,缺口," B ",乙小学,"
                     "甲镇,,,,,种子教师 1 名，少于 2 名,1,2\r\n");
    free(out);
    snprintf(cmd, sizeof(cmd), "%s --db %s gaps --check nothing 2>/dev/null",
             ZX_BIN, tu_path(dir, "zx.db"));
    cr_expect_eq(tu_sh(cmd), 64);
    snprintf(cmd, sizeof(cmd), "%s --db %s gaps --unit 9999 2>/dev/null",
             ZX_BIN, tu_path(dir, "zx.db"));
    cr_expect_eq(tu_sh(cmd), 66);
}
