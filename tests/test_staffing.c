/*
 * test_staffing.c - staffing norms (src/core/staffing.c) on a hand-built
 * registry, every figure worked out by hand from the defaults of rules.c
 * (primary 1:19, junior 1:13.5; kindergarten 3 per class, +2 per
 * boarding class; small schools under 500 students: 2 per primary class,
 * 3 per junior class; lessons per class and week: primary 语文 7, 数学
 * 4.5, 体育 3.3, 音乐 2, 美术 2, 心理健康 0.5, junior 数学 5, 音乐 1,
 * 心理健康 0.5; weekly load primary 14, junior 12), plan setting
 * overstaffed_ratio 1.1, scarce subjects 音乐 24 and 心理健康 91:
 *
 *   甲镇
 *     0001 幼儿园 111, 村庄 220: 100 children, 4 classes, 25 boarders
 *          norm 4 x 3 + 4 x 25/100 x 2 = 14 (by class); 12 teachers
 *          -> 缺编 -2
 *     0002 小学 211, 220, small: 120 students, 6 classes
 *          by students 120/19 = 6.32, by class 6 x 2 = 12 -> 12
 *          14 在编 (6 语文, 5 数学, 2 美术, 1 体育) + 1 代课
 *          -> 超编 +2, serious (14 > 12 x 1.1 = 13.2)
 *          数学 need 6 x 4.5/14 = 1.93, has 5 -> +3.07
 *          音乐 need 6 x 2/14 = 0.86, has 0 -> -0.86, lacking 12 lessons
 *          心理健康 need 6 x 0.5/14 = 0.21, lacking 3
 *          体育 need 6 x 3.3/14 = 1.41, has 1 -> -0.41, lacking 19.8 - 14
 *          = 5.8
 *   乙镇
 *     0003 小学 211, 主城区 111 (urban): 950 students, 30 classes
 *          by students 50, by class 60, not small -> 50; 55 teachers
 *          -> 超编 +5, not serious (55 is not above 55)
 *     0004 九年一贯制 312, 乡中心区 210: 900 students, 18 classes
 *          primary 6/9: 600 students, 12 classes -> 600/19 = 31.5789
 *          junior 3/9: 300 students, 6 classes -> 300/13.5 = 22.2222
 *          norm 53.80; 40 teachers -> 缺编 -13.80
 *          数学 need 12 x 4.5/14 + 6 x 5/12 = 3.857 + 2.5 = 6.36;
 *          has 2 primary + 2 junior -> -2.36
 *          音乐 lacking 12 x 2 + 6 x 1 = 30, 心理健康 12 x 0.5 + 6 x 0.5 = 9
 *     0005 民办 (private) 小学: no 编制, left out
 */
#include "testutil.h"

#include <jansson.h>
#include <math.h>

#include "audit.h"
#include "indicator.h"
#include "rules.h"
#include "staffing.h"

static const char plan_text[] =
    TU_PLAN_HEAD("test-staffing")
    "  settings:\n"
    "    overstaffed_ratio: 1.1\n"
    "    scarce_subjects: [24, 91]\n"
    "goals:\n"
    "  - id: teachers\n"
    "    clause: \"3.4\"\n"
    "    name: 队伍建设\n"
    "indicators:\n"
    "  - id: overstaffed\n"
    "    clause: 3.4.3-T8\n"
    "    goal: teachers\n"
    "    name: 超编比较严重的乡村学校数\n"
    "    kind: count\n"
    "    over: schools\n"
    "    where: \"rural and staff_norm > 0\"\n"
    "    numerator: \"staff_actual > staff_norm * setting.overstaffed_ratio\"\n"
    "    unit: 所\n"
    "    direction: lower\n"
    "    target: 0\n"
    "    milestones: {2020: 0, 2021: 0, 2022: 0}\n"
    "    levels: [city, town]\n";

static zx_db *db;
static zx_plan *plan;
static int next_no;

/* n teachers of school code, stage, subject and employment. */
static void teachers(const char *school, int n, int stage, int subject,
                     int emp)
{
    const zx_teacher_rec t = { NULL, "教师", 2, "1990-01", school, stage,
                               subject, 3, emp, 1, 2015, 0 };

    tu_put_numbered(db, &t, n, "T", &next_no);
}

static void fill(void)
{
    static const zx_school_rec schools[] = {
        { .code = "3206840001", .name = "甲幼儿园", .town = "甲镇",
          .type_code = 111, .urban_rural = 220, .town_seat = 1, .owner = 21 },
        { .code = "3206840002", .name = "甲小学", .town = "甲镇",
          .type_code = 211, .urban_rural = 220, .town_seat = 1, .owner = 21 },
        { .code = "3206840003", .name = "乙小学", .town = "乙镇",
          .type_code = 211, .urban_rural = 111, .town_seat = 1, .owner = 21 },
        { .code = "3206840004", .name = "乙学校", .town = "乙镇",
          .type_code = 312, .urban_rural = 210, .town_seat = 0, .owner = 21 },
        { .code = "3206840005", .name = "民办小学", .town = "乙镇",
          .type_code = 211, .urban_rural = 210, .town_seat = 0, .owner = 22 },
    };
    static const zx_enrol_rec enrol[] = {
        { "3206840001", 2021, 100, 4, 25, 0 },
        { "3206840002", 2021, 120, 6, 0, 0 },
        { "3206840003", 2020, 950, 30, 0, 0 },
        { "3206840003", 2021, 950, 30, 0, 0 },
        { "3206840004", 2021, 900, 18, 0, 0 },
        { "3206840005", 2021, 300, 6, 0, 0 },
    };

    tu_registry_fill(db, &(tu_city){ .schools = TU_LIST(schools),
                                     .enrol = TU_LIST(enrol) });
    teachers("3206840001", 12, 1, 90, 1);
    teachers("3206840002", 6, 2, 13, 1);
    teachers("3206840002", 5, 2, 14, 1);
    teachers("3206840002", 2, 2, 25, 2);
    teachers("3206840002", 1, 2, 22, 1);
    teachers("3206840002", 1, 2, 13, 3);
    teachers("3206840003", 55, 2, 13, 1);
    teachers("3206840004", 2, 2, 14, 1);
    teachers("3206840004", 2, 3, 14, 1);
    teachers("3206840004", 36, 2, 13, 1);
    teachers("3206840005", 20, 2, 13, 1);
}

static void setup(void)
{
    next_no = 0;
    db = tu_db(tu_tmpdir());
    plan = tu_plan(plan_text);
    fill();
}

static void teardown(void)
{
    zx_plan_free(plan);
    zx_db_close(db);
}

TestSuite(staffing, .init = setup, .fini = teardown);

static zx_staffing *compute(int year)
{
    zx_rules *r = NULL, *c = NULL;
    zx_staffing *s = NULL;

    cr_assert_eq(zx_staffing_rules(db, year, &r, &c), ZX_OK);
    cr_assert_eq(zx_staffing_compute(db, plan, year, r, c, &s), ZX_OK);
    zx_rules_free(r);
    zx_rules_free(c);
    return s;
}

static const zx_staffing_school *school(const zx_staffing *s, const char *c)
{
    int i;

    for (i = 0; i < s->nschools; i++)
        if (strcmp(s->schools[i].code, c) == 0)
            return &s->schools[i];
    cr_assert_fail("no school %s", c);
    return NULL;
}

static void near(double got, double want)
{
    cr_assert(fabs(got - want) < 1e-9, "got %.6f, want %.6f", got, want);
}

Test(staffing, kindergarten_by_class_with_boarding_classes)
{
    zx_staffing *s = compute(2021);
    const zx_staffing_school *k = school(s, "3206840001");

    near(k->norm, 14);
    cr_assert_eq(k->actual, 12);
    near(k->diff, -2);
    cr_assert_eq(k->status, ZX_STAFFING_UNDER);
    cr_assert(k->by_class);
    /* a kindergarten has no curriculum: no subject rows */
    cr_assert_eq(k->nsubjects, 0);
    zx_staffing_free(s);
}

Test(staffing, small_rural_school_takes_the_class_norm)
{
    zx_staffing *s = compute(2021);
    const zx_staffing_school *p = school(s, "3206840002");

    near(p->ratio_norm, 6.32);
    near(p->class_norm, 12);
    near(p->norm, 12);
    cr_assert(p->by_class);
    cr_assert_eq(p->actual, 14);
    cr_assert_eq(p->substitutes, 1);
    cr_assert_eq(p->status, ZX_STAFFING_OVER);
    cr_assert(p->serious);
    cr_assert_str_eq(zx_staffing_status_name(p->status), "超编");
    zx_staffing_free(s);
}

Test(staffing, large_primary_takes_the_student_ratio)
{
    zx_staffing *s = compute(2021);
    const zx_staffing_school *p = school(s, "3206840003");

    near(p->ratio_norm, 50);
    near(p->class_norm, 60);
    near(p->norm, 50);
    cr_assert_not(p->by_class);
    cr_assert_eq(p->actual, 55);
    cr_assert_eq(p->status, ZX_STAFFING_OVER);
    cr_assert_not(p->serious, "55 is not above 50 x 1.1");
    zx_staffing_free(s);
}

Test(staffing, nine_year_school_splits_by_years)
{
    zx_staffing *s = compute(2021);
    const zx_staffing_school *n = school(s, "3206840004");
    const zx_staffing_subject *m = zx_staffing_subject_of(n, 14);
    const zx_staffing_subject *mu = zx_staffing_subject_of(n, 24);
    const zx_staffing_subject *psy = zx_staffing_subject_of(n, 91);

    near(n->norm, 53.80);
    cr_assert_eq(n->actual, 40);
    near(n->diff, -13.80);
    cr_assert_eq(n->status, ZX_STAFFING_UNDER);
    cr_assert_not_null(m);
    near(m->need, 6.36);
    cr_assert_eq(m->actual, 4);
    near(m->diff, -2.36);
    near(mu->hours_lacking, 30);
    near(psy->hours_lacking, 9);
    zx_staffing_free(s);
}

Test(staffing, private_schools_have_no_norm)
{
    zx_staffing *s = compute(2021);
    int i;

    cr_assert_eq(s->nschools, 4);
    for (i = 0; i < s->nschools; i++)
        cr_assert_str_neq(s->schools[i].code, "3206840005");
    zx_staffing_free(s);
}

Test(staffing, per_subject_need_and_shortage)
{
    zx_staffing *s = compute(2021);
    const zx_staffing_school *p = school(s, "3206840002");
    const zx_staffing_subject *x;

    x = zx_staffing_subject_of(p, 14);
    near(x->need, 1.93);
    cr_assert_eq(x->actual, 5);
    near(x->diff, 3.07);
    near(x->hours_lacking, 0);
    x = zx_staffing_subject_of(p, 24);
    near(x->need, 0.86);
    cr_assert_eq(x->actual, 0);
    near(x->diff, -0.86);
    near(x->hours_lacking, 12);
    x = zx_staffing_subject_of(p, 22);
    near(x->need, 1.41);
    near(x->hours_lacking, 5.8);
    x = zx_staffing_subject_of(p, 25);
    cr_assert_eq(x->actual, 2, "备案制 teachers count");
    /* the substitute teaches 语文 but is not counted: 6 of 语文 */
    cr_assert_eq(zx_staffing_subject_of(p, 13)->actual, 6);
    /* a subject nobody teaches and no class takes is not listed */
    cr_assert_null(zx_staffing_subject_of(p, 16));
    zx_staffing_free(s);
}

Test(staffing, over_under_even_and_serious_boundaries)
{
    zx_rules *r = NULL, *c = NULL;
    zx_staffing *s;

    /* 乙小学: 56 > 55 is serious */
    teachers("3206840003", 1, 2, 13, 1);
    s = compute(2021);
    cr_assert(school(s, "3206840003")->serious);
    zx_staffing_free(s);
    /* 甲幼儿园 without the boarding add-on: 12 = 12, 持平 */
    cr_assert_eq(zx_staffing_rules(db, 2021, &r, &c), ZX_OK);
    cr_assert_eq(zx_rules_override(r, "boarding_class.kindergarten", 0),
                 ZX_OK);
    cr_assert_eq(zx_staffing_compute(db, plan, 2021, r, c, &s), ZX_OK);
    cr_assert_eq(school(s, "3206840001")->status, ZX_STAFFING_EVEN);
    near(school(s, "3206840001")->diff, 0);
    /* totals: 1 under (乙学校), over 甲小学 and 乙小学, both serious */
    cr_assert_eq(s->under, 1);
    cr_assert_eq(s->over, 2);
    cr_assert_eq(s->serious, 2);
    cr_assert_eq(s->ntowns, 2);
    cr_assert_eq(s->towns[0].over, 1);
    zx_staffing_free(s);
    /* the 乙小学 treated as small: the class norm 60 wins, 缺编 -4 */
    cr_assert_eq(zx_rules_override(r, "small.students", 1000), ZX_OK);
    cr_assert_eq(zx_staffing_compute(db, plan, 2021, r, c, &s), ZX_OK);
    near(school(s, "3206840003")->norm, 60);
    cr_assert_eq(school(s, "3206840003")->status, ZX_STAFFING_UNDER);
    zx_staffing_free(s);
    zx_rules_free(r);
    zx_rules_free(c);
}

Test(staffing, rules_change_per_year)
{
    zx_staffing *s;

    cr_assert_eq(zx_rules_set(db, "staffing", 2021, "ratio.primary", 25,
                              "测试", "test"), ZX_OK);
    cr_assert_eq(zx_rules_set(db, "curriculum", 2021, "lessons.primary.24",
                              3.5, NULL, "test"), ZX_OK);
    s = compute(2021);
    near(school(s, "3206840003")->norm, 38);          /* 950 / 25 */
    near(zx_staffing_subject_of(school(s, "3206840002"), 24)->need, 1.5);
    zx_staffing_free(s);
    s = compute(2020);
    near(school(s, "3206840003")->norm, 50);          /* still 950 / 19 */
    cr_assert_eq(s->nschools, 1);
    zx_staffing_free(s);
}

static int count_result(void *ctx, const zx_result *r)
{
    if (r->level == ZX_LEVEL_CITY)
        *(double *)ctx = r->numerator;
    return 0;
}

static double stored(const char *sql)
{
    sqlite3_stmt *st = zx_db_prepare(db, sql);
    double v;

    cr_assert_not_null(st);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s", sql);
    v = sqlite3_column_double(st, 0);
    sqlite3_reset(st);
    return v;
}

Test(staffing, save_feeds_the_indicator_and_itinerant_needs)
{
    zx_rules *r = NULL, *c = NULL;
    zx_staffing *s = NULL;
    zx_engine *e = NULL;
    zx_diag *d = zx_diag_new();
    double city = -1;

    /* a need the itinerant module covered, a stale urban row and a stale
     * covered row of a subject no longer lacking */
    cr_assert_eq(zx_db_exec(db,
        "INSERT INTO itinerant_need SELECT id, 2021, 24, 5, 4 FROM org_unit"
        " WHERE code = '3206840002';"
        "INSERT INTO itinerant_need SELECT id, 2021, 24, 3, 0 FROM org_unit"
        " WHERE code = '3206840003';"
        "INSERT INTO itinerant_need SELECT id, 2021, 22, 7, 2 FROM org_unit"
        " WHERE code = '3206840002';"), ZX_OK);
    cr_assert_eq(zx_engine_open(db, plan, &e, d), ZX_OK);
    cr_assert_eq(zx_engine_eval(e, zx_plan_indicator(plan, "overstaffed"),
                                2021, 1u << ZX_LEVEL_CITY, 0, count_result,
                                &city), ZX_OK);
    near(city, 0);
    cr_assert_eq(zx_staffing_rules(db, 2021, &r, &c), ZX_OK);
    cr_assert_eq(zx_staffing_compute(db, plan, 2021, r, c, &s), ZX_OK);
    cr_assert_eq(zx_staffing_save(db, plan, s, r, c, "test"), ZX_OK);
    /* rural schools with a norm: 甲幼儿园 12 of 14, 甲小学 14 > 13.2,
     * 乙学校 40 of 53.8: one seriously over-staffed */
    cr_assert_eq(zx_engine_eval(e, zx_plan_indicator(plan, "overstaffed"),
                                2021, 1u << ZX_LEVEL_CITY, 0, count_result,
                                &city), ZX_OK);
    near(city, 1);
    near(stored("SELECT norm FROM staffing s JOIN org_unit u"
                " ON u.id = s.school_id WHERE u.code = '3206840004'"),
         53.80);
    near(stored("SELECT count(*) FROM staffing WHERE year = 2021"), 4);
    near(stored("SELECT need FROM staffing_subject s JOIN org_unit u"
                " ON u.id = s.school_id WHERE u.code = '3206840004'"
                " AND subject = 14"), 6.36);
    /* 甲小学 音乐: lacking 12, covered 4 kept; 心理健康 3 */
    near(stored("SELECT hours_lacking FROM itinerant_need n JOIN org_unit u"
                " ON u.id = n.school_id WHERE u.code = '3206840002'"
                " AND subject = 24"), 12);
    near(stored("SELECT hours_covered FROM itinerant_need n JOIN org_unit u"
                " ON u.id = n.school_id WHERE u.code = '3206840002'"
                " AND subject = 24"), 4);
    near(stored("SELECT hours_lacking FROM itinerant_need n JOIN org_unit u"
                " ON u.id = n.school_id WHERE u.code = '3206840002'"
                " AND subject = 91"), 3);
    /* 体育 is not scarce in this plan: the stale row drops to 0, its
     * covered hours stay; the urban school's row is gone */
    near(stored("SELECT hours_lacking + 10 * hours_covered FROM"
                " itinerant_need n JOIN org_unit u ON u.id = n.school_id"
                " WHERE u.code = '3206840002' AND subject = 22"), 20);
    near(stored("SELECT count(*) FROM itinerant_need n JOIN org_unit u"
                " ON u.id = n.school_id WHERE u.code = '3206840003'"), 0);
    /* 乙学校: 音乐 30, 心理健康 9 */
    near(stored("SELECT sum(hours_lacking) FROM itinerant_need n JOIN"
                " org_unit u ON u.id = n.school_id"
                " WHERE u.code = '3206840004'"), 39);
    near(stored("SELECT count(*) FROM audit WHERE tbl = 'staffing'"
                " AND key = '2021'"), 1);
    /* saving again replaces, and is audited again */
    cr_assert_eq(zx_staffing_save(db, plan, s, r, c, "test"), ZX_OK);
    near(stored("SELECT count(*) FROM staffing WHERE year = 2021"), 4);
    near(stored("SELECT count(*) FROM audit WHERE tbl = 'staffing'"
                " AND action = 'update'"), 1);
    zx_engine_close(e);
    zx_staffing_free(s);
    zx_rules_free(r);
    zx_rules_free(c);
    zx_diag_free(d);
}
