/*
 * test_subsidy.c - the rural teacher subsidy (src/core/subsidy.c) on a
 * hand-built registry, year 2021, with the year's amounts set as rules
 * (seat 1,200, town 2,400, village 3,600; +600 from 10 years, +1,200 from
 * 20 years of service):
 *
 *   甲镇 0001 甲小学 121, seat       T1 在编 since 2012 (9 y)  1,200
 *                                     T2 在编 since 2011 (10 y) 1,800
 *   甲镇 0002 乙中学 121, not seat   T3 备案制 2002 (19 y)      3,000
 *                                     T4 在编 2001 (20 y)        3,600
 *   乙镇 0003 丙小学 220, not seat   T5 代课 2015: not eligible     0
 *                                     T6 在编 2021 (0 y)         3,600
 *                                     T8 在编 2022: not there in 2021
 *   乙镇 0004 丁小学 111 (urban)     T7: not considered
 */
#include "testutil.h"

#include <math.h>

#include "rules.h"
#include "subsidy.h"

static const char plan_text[] =
    TU_PLAN_HEAD("test-subsidy")
    "goals:\n"
    "  - id: teachers\n"
    "    clause: \"2.2\"\n"
    "    name: 队伍建设\n"
    "indicators:\n"
    "  - id: subsidy-paid\n"
    "    clause: 3.3-F3\n"
    "    goal: teachers\n"
    "    name: 乡村教师补贴发放率\n"
    "    kind: share\n"
    "    over: teachers\n"
    "    where: \"subsidy_eligible\"\n"
    "    numerator: \"subsidy_paid\"\n"
    "    unit: \"%\"\n"
    "    direction: higher\n"
    "    target: 100\n"
    "    milestones: {2020: 100, 2021: 100, 2022: 100}\n"
    "    levels: [city, town, school]\n";

static zx_db *db;
static zx_plan *plan;

static void fill(void)
{
    static const zx_school_rec schools[] = {
        { .code = "3206840001", .name = "甲小学", .town = "甲镇",
          .type_code = 211, .urban_rural = 121, .town_seat = 1, .owner = 21 },
        { .code = "3206840002", .name = "乙中学", .town = "甲镇",
          .type_code = 311, .urban_rural = 121, .town_seat = 0, .owner = 21 },
        { .code = "3206840003", .name = "丙小学", .town = "乙镇",
          .type_code = 211, .urban_rural = 220, .town_seat = 0, .owner = 21 },
        { .code = "3206840004", .name = "丁小学", .town = "乙镇",
          .type_code = 211, .urban_rural = 111, .town_seat = 1, .owner = 21 },
    };
    static const zx_teacher_rec teachers[] = {
        { "T1", "张一", 1, "1985-03", "3206840001", 2, 14, 3, 1, 1, 2012, 0 },
        { "T2", "张二", 2, "1975-05", "3206840001", 2, 13, 2, 1, 1, 2011, 0 },
        { "T3", "李三", 2, "1980-01", "3206840002", 3, 13, 3, 2, 1, 2002, 0 },
        { "T4", "李四", 1, "1970-11", "3206840002", 3, 14, 4, 1, 1, 2001, 0 },
        { "T5", "王五", 2, "1992-02", "3206840003", 2, 16, 4, 3, 1, 2015, 0 },
        { "T6", "王六", 1, "1998-08", "3206840003", 2, 13, 3, 1, 1, 2021, 0 },
        { "T7", "赵七", 2, "1983-07", "3206840004", 2, 24, 3, 1, 1, 2011, 0 },
        { "T8", "赵八", 2, "1999-07", "3206840003", 2, 24, 3, 1, 1, 2022, 0 },
    };

    tu_registry_fill(db, &(tu_city){ .schools = TU_LIST(schools),
                                     .teachers = TU_LIST(teachers) });
}

static void set_amounts(void)
{
    static const struct { const char *key; double v; } r[] = {
        { "amount.seat", 1200 }, { "amount.town", 2400 },
        { "amount.village", 3600 }, { "service.extra1", 600 },
        { "service.extra2", 1200 },
    };
    size_t i;

    for (i = 0; i < sizeof(r) / sizeof(r[0]); i++)
        cr_assert_eq(zx_rules_set(db, "subsidy", 2021, r[i].key, r[i].v,
                                  NULL, "test"), ZX_OK);
}

static void setup(void)
{
    db = tu_db(tu_tmpdir());
    plan = tu_plan(plan_text);
    fill();
}

static void teardown(void)
{
    zx_plan_free(plan);
    zx_db_close(db);
}

TestSuite(subsidy, .init = setup, .fini = teardown);

static zx_subsidy *compute(int year)
{
    zx_rules *r;
    zx_subsidy *s = NULL;

    cr_assert_eq(zx_rules_load(db, "subsidy", year, &r), ZX_OK);
    cr_assert_eq(zx_subsidy_compute(db, plan, year, r, &s), ZX_OK);
    zx_rules_free(r);
    return s;
}

static const zx_subsidy_teacher *teacher(const zx_subsidy *s, const char *no)
{
    int i;

    for (i = 0; i < s->nteachers; i++)
        if (strcmp(s->teachers[i].no, no) == 0)
            return &s->teachers[i];
    return NULL;
}

static long long count(const char *sql)
{
    return zx_db_int(db, sql, NULL, -1);
}

#define WANT(s, no, elig, amt)                                             \
    do {                                                                   \
        const zx_subsidy_teacher *t_ = teacher(s, no);                     \
        cr_assert_not_null(t_, "%s missing", no);                          \
        cr_assert_eq(t_->eligible, elig, "%s eligible", no);              \
        cr_assert(fabs(t_->amount - (amt)) < 0.005, "%s amount %.2f", no,  \
                  t_->amount);                                             \
    } while (0)

Test(subsidy, tiers_and_service_boundaries)
{
    zx_subsidy *s;

    set_amounts();
    s = compute(2021);
    cr_assert_eq(s->nteachers, 6);
    cr_assert_null(teacher(s, "T7"));        /* urban */
    cr_assert_null(teacher(s, "T8"));        /* came in 2022 */
    WANT(s, "T1", 1, 1200);                  /* seat, 9 years */
    WANT(s, "T2", 1, 1800);                  /* seat, 10 years */
    WANT(s, "T3", 1, 3000);                  /* town, 19 years */
    WANT(s, "T4", 1, 3600);                  /* town, 20 years */
    WANT(s, "T5", 0, 0);                     /* 代课 */
    WANT(s, "T6", 1, 3600);                  /* village, 0 years */
    cr_assert_eq(teacher(s, "T1")->location, ZX_SUBSIDY_SEAT);
    cr_assert_eq(teacher(s, "T3")->location, ZX_SUBSIDY_TOWN);
    cr_assert_eq(teacher(s, "T6")->location, ZX_SUBSIDY_VILLAGE);
    cr_assert_eq(s->eligible, 5);
    cr_assert(fabs(s->total - 13200) < 0.005);
    cr_assert_eq(s->nschools, 3);
    cr_assert(fabs(s->schools[0].total - 3000) < 0.005);
    cr_assert(fabs(s->schools[1].total - 6600) < 0.005);
    cr_assert_eq(s->ntowns, 2);
    cr_assert(fabs(s->towns[0].total - 9600) < 0.005);
    cr_assert(fabs(s->towns[1].total - 3600) < 0.005);
    cr_assert_eq(s->towns[1].eligible, 1);
    zx_subsidy_free(s);
}

Test(subsidy, defaults_pay_nothing_until_set)
{
    zx_subsidy *s;
    double v;
    int set;

    set_amounts();
    cr_assert_eq(count("SELECT count(*) FROM audit WHERE tbl = 'rule'"), 5);
    s = compute(2022);                       /* no rules for 2022 */
    cr_assert_eq(s->eligible, 6);            /* T8 now counts */
    cr_assert(s->total == 0);
    zx_subsidy_free(s);
    cr_assert_eq(zx_rules_get(db, "subsidy", 2022, "service.years1", &v,
                              &set), ZX_OK);
    cr_assert(v == 10 && !set);
    cr_assert_eq(zx_rules_set(db, "subsidy", 2021, "employment.3", 2, NULL,
                              "t"), ZX_EINVAL);
}

Test(subsidy, save_keeps_paid_while_nothing_changes)
{
    zx_rules *r;
    zx_subsidy *s;

    set_amounts();
    s = compute(2021);
    cr_assert_eq(zx_rules_load(db, "subsidy", 2021, &r), ZX_OK);
    cr_assert_eq(zx_subsidy_save(db, s, r, 0, "test"), ZX_OK);
    cr_assert_eq(count("SELECT count(*) FROM subsidy WHERE year = 2021"), 6);
    cr_assert_eq(count("SELECT sum(eligible) FROM subsidy"), 5);
    cr_assert_eq(count("SELECT sum(paid) FROM subsidy"), 0);
    cr_assert_eq(zx_subsidy_save(db, s, r, 1, "test"), ZX_OK);
    cr_assert_eq(count("SELECT sum(paid) FROM subsidy"), 5);
    cr_assert_eq(zx_subsidy_save(db, s, r, 0, "test"), ZX_OK);
    cr_assert_eq(count("SELECT sum(paid) FROM subsidy"), 5);
    zx_subsidy_free(s);
    zx_rules_free(r);
    /* the seat amount changes: T1 and T2 are owed more, no longer paid */
    cr_assert_eq(zx_rules_set(db, "subsidy", 2021, "amount.seat", 1500, NULL,
                              "test"), ZX_OK);
    s = compute(2021);
    cr_assert_eq(zx_rules_load(db, "subsidy", 2021, &r), ZX_OK);
    cr_assert_eq(zx_subsidy_save(db, s, r, 0, "test"), ZX_OK);
    cr_assert_eq(count("SELECT sum(paid) FROM subsidy"), 3);
    cr_assert_eq(count("SELECT CAST(amount AS INTEGER) FROM subsidy s"
                       " JOIN teacher t ON t.id = s.teacher_id"
                       " WHERE t.teacher_no = 'T2'"), 2100);
    cr_assert_eq(count("SELECT count(*) FROM audit WHERE tbl = 'subsidy'"
                       " AND key = '2021'"), 4);
    cr_assert_eq(count("SELECT count(*) FROM audit WHERE tbl = 'subsidy'"
                       " AND action = 'update' AND old LIKE '%\"paid\":5%'"
                       " AND new LIKE '%\"paid\":3%'"), 1);
    zx_subsidy_free(s);
    zx_rules_free(r);
}
