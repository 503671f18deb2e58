/*
 * test_funding.c - rules (src/core/rules.c) and public funds per student
 * (src/core/funding.c) on a hand-built registry, every figure worked out
 * by hand from the defaults of rules.c (primary 650, junior 850, special
 * 6,000, boarder 200, floor 500):
 *
 *   甲镇
 *     0001 甲小学 211 村庄 220, seat, 499 students  -> 500 x 650 = 325,000
 *     0002 乙小学 211 乡中心区 210, seat, 500       -> 500 x 650 = 325,000
 *     0003 丙小学 211 镇中心区 121, seat, 501       -> 501 x 650 = 325,650
 *     0004 丁小学 211 主城区 111 (urban), seat, 300 -> 300 x 650 = 195,000
 *   乙镇
 *     0005 戊中学 311 121, seat, 600, 100 boarders, 4 special
 *          -> 596 x 850 + 4 x 6,000 + 100 x 200 = 506,600 + 24,000 +
 *             20,000 = 550,600
 *     0006 己学校 312 九年一贯制 220, not at a seat, weak, 900
 *          -> 900 x (6/9 x 650 + 3/9 x 850) = 645,000, x tilts
 *     0007 庚特校 514 special, 111, seat, 40, 10 boarders
 *          -> 40 x 6,000 + 10 x 200 = 242,000 (no floor, no stage level)
 *     0008 辛小学 211 220, not at a seat, 300, 2 special
 *          -> 498 x 650 + 2 x 6,000 = 335,700, x tilts
 */
#include "testutil.h"

#include <jansson.h>
#include <math.h>

#include "audit.h"
#include "funding.h"
#include "rules.h"

static const char plan_text[] =
    TU_PLAN_HEAD("test-funding")
    "goals:\n"
    "  - id: conditions\n"
    "    clause: \"2.1\"\n"
    "    name: 办学条件\n"
    "indicators:\n"
    "  - id: funds-floor\n"
    "    clause: 3.3-F2\n"
    "    goal: conditions\n"
    "    name: 不足500人乡村义务教育学校按500人拨付公用经费落实率\n"
    "    kind: share\n"
    "    over: schools\n"
    "    where: \"rural and compulsory and students < 500\"\n"
    "    numerator: \"funded_students >= 500\"\n"
    "    unit: \"%\"\n"
    "    direction: higher\n"
    "    target: 100\n"
    "    milestones: {2020: 100, 2021: 100, 2022: 100}\n"
    "    levels: [city, town]\n";

static zx_db *db;
static zx_plan *plan;

static void fill(void)
{
    static const zx_school_rec schools[] = {
        { .code = "3206840001", .name = "甲小学", .town = "甲镇",
          .type_code = 211, .urban_rural = 220, .town_seat = 1, .owner = 21 },
        { .code = "3206840002", .name = "乙小学", .town = "甲镇",
          .type_code = 211, .urban_rural = 210, .town_seat = 1, .owner = 21 },
        { .code = "3206840003", .name = "丙小学", .town = "甲镇",
          .type_code = 211, .urban_rural = 121, .town_seat = 1, .owner = 21 },
        { .code = "3206840004", .name = "丁小学", .town = "甲镇",
          .type_code = 211, .urban_rural = 111, .town_seat = 1, .owner = 21 },
        { .code = "3206840005", .name = "戊中学", .town = "乙镇",
          .type_code = 311, .urban_rural = 121, .town_seat = 1, .owner = 21 },
        { .code = "3206840006", .name = "己学校", .town = "乙镇",
          .type_code = 312, .urban_rural = 220, .town_seat = 0, .owner = 21 },
        { .code = "3206840007", .name = "庚特校", .town = "乙镇",
          .type_code = 514, .urban_rural = 111, .town_seat = 1, .owner = 21 },
        { .code = "3206840008", .name = "辛小学", .town = "乙镇",
          .type_code = 211, .urban_rural = 220, .town_seat = 0, .owner = 21 },
    };
    static const zx_enrol_rec enrol[] = {
        { "3206840001", 2021, 499, 12, 0, 0 },
        { "3206840002", 2021, 500, 12, 0, 0 },
        { "3206840003", 2021, 501, 12, 0, 0 },
        { "3206840004", 2021, 300, 8, 0, 0 },
        { "3206840005", 2021, 600, 15, 100, 4 },
        { "3206840006", 2021, 900, 24, 0, 0 },
        { "3206840007", 2021, 40, 6, 10, 0 },
        { "3206840008", 2021, 300, 9, 0, 2 },
    };

    tu_registry_fill(db, &(tu_city){ .schools = TU_LIST(schools),
                                     .enrol = TU_LIST(enrol) });
    cr_assert_eq(zx_db_exec(db, "INSERT INTO data_value SELECT 'weak_school',"
                                " id, 2021, 1, NULL, 'test', '2021-01-01'"
                                " FROM org_unit WHERE code = '3206840006'"),
                 ZX_OK);
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

TestSuite(funding, .init = setup, .fini = teardown);

static zx_funding *compute(const zx_rules *r)
{
    zx_funding *f = NULL;

    cr_assert_eq(zx_funding_compute(db, plan, 2021, r, &f), ZX_OK);
    cr_assert_eq(f->nschools, 8);
    return f;
}

static const zx_funding_school *school(const zx_funding *f, const char *c)
{
    int i;

    for (i = 0; i < f->nschools; i++)
        if (strcmp(f->schools[i].code, c) == 0)
            return &f->schools[i];
    cr_assert_fail("no school %s", c);
    return NULL;
}

#define NEAR(a, b) (fabs((a) - (b)) < 0.005)
#define WANT(f, code, funded_, total_)                                     \
    do {                                                                   \
        const zx_funding_school *s_ = school(f, code);                     \
        cr_assert_eq(s_->funded, funded_, "%s funded %lld", code,         \
                     s_->funded);                                          \
        cr_assert(NEAR(s_->total, total_), "%s total %.2f, want %.2f",    \
                  code, s_->total, (double)(total_));                      \
    } while (0)

static long long count(const char *sql)
{
    return zx_db_int(db, sql, NULL, -1);
}

Test(funding, defaults_floor_boundaries_and_addons)
{
    zx_rules *r;
    zx_funding *f;
    const zx_funding_school *s;

    cr_assert_eq(zx_rules_load(db, "funding", 2021, &r), ZX_OK);
    f = compute(r);
    WANT(f, "3206840001", 500, 325000);      /* 499: floored */
    WANT(f, "3206840002", 500, 325000);      /* 500: as it is */
    WANT(f, "3206840003", 501, 325650);      /* 501: as it is */
    WANT(f, "3206840004", 300, 195000);      /* urban: no floor */
    WANT(f, "3206840005", 600, 550600);
    WANT(f, "3206840006", 900, 645000);      /* tilts 1 by default */
    WANT(f, "3206840007", 40, 242000);       /* special school: no floor */
    WANT(f, "3206840008", 500, 335700);
    s = school(f, "3206840005");
    cr_assert(NEAR(s->base, 506600) && NEAR(s->special_amount, 24000) &&
              NEAR(s->boarding, 20000) && s->coefficient == 1);
    s = school(f, "3206840006");
    cr_assert(s->weak && !s->town_seat && s->rural);
    cr_assert(NEAR(s->stage[ZX_FUNDING_PRIMARY], 430000) &&
              NEAR(s->stage[ZX_FUNDING_JUNIOR], 215000));
    cr_assert(NEAR(f->total, 2943950), "%.2f", f->total);
    cr_assert_eq(f->ntowns, 2);
    cr_assert(NEAR(f->towns[0].total + f->towns[1].total, f->total));
    cr_assert(NEAR(f->stage[ZX_FUNDING_PRIMARY],
                   325000 + 325000 + 325650 + 195000 + 430000 + 335700));
    cr_assert(NEAR(f->stage[ZX_FUNDING_JUNIOR], 550600 + 215000));
    cr_assert(NEAR(f->stage[ZX_FUNDING_SPECIAL], 242000));
    cr_assert_eq(f->funded, 500 + 500 + 501 + 300 + 600 + 900 + 40 + 500);
    zx_funding_free(f);
    zx_rules_free(r);
}

Test(funding, rules_per_year_with_audit_and_tilts)
{
    zx_rules *r;
    zx_funding *f;
    long long bad = 0;
    double v;
    int set;

    cr_assert_eq(zx_rules_get(db, "funding", 2021, "tilt.weak", &v, &set),
                 ZX_OK);
    cr_assert(v == 1 && !set);
    cr_assert_eq(zx_rules_set(db, "funding", 2021, "tilt.not_seat", 1.1,
                              "海教〔2021〕1号", "test"), ZX_OK);
    cr_assert_eq(zx_rules_set(db, "funding", 2021, "tilt.weak", 1.2, NULL,
                              "test"), ZX_OK);
    /* the same value again is no change and records nothing */
    cr_assert_eq(zx_rules_set(db, "funding", 2021, "tilt.weak", 1.2, NULL,
                              "test"), ZX_OK);
    cr_assert_eq(count("SELECT count(*) FROM audit WHERE tbl = 'rule'"), 2);
    cr_assert_eq(count("SELECT count(*) FROM audit WHERE tbl = 'rule'"
                       " AND key = 'funding/2021/tilt.not_seat'"
                       " AND action = 'insert'"
                       " AND old LIKE '%\"default\":true%'"
                       " AND new LIKE '%海教〔2021〕1号%'"), 1);
    cr_assert_eq(zx_rules_set(db, "funding", 2021, "tilt.weak", 1.25, NULL,
                              "test"), ZX_OK);
    cr_assert_eq(count("SELECT count(*) FROM audit WHERE tbl = 'rule'"
                       " AND action = 'update' AND old LIKE '%1.2%'"
                       " AND new LIKE '%1.25%'"), 1);
    cr_assert_eq(zx_rules_set(db, "funding", 2021, "tilt.weak", 1.2, NULL,
                              "test"), ZX_OK);
    /* another year keeps the default */
    cr_assert_eq(zx_rules_get(db, "funding", 2022, "tilt.weak", &v, &set),
                 ZX_OK);
    cr_assert(v == 1 && !set);
    cr_assert_eq(zx_rules_get(db, "funding", 2021, "tilt.weak", &v, &set),
                 ZX_OK);
    cr_assert(v == 1.2 && set);
    /* refused: out of range, unknown key or kind; nothing recorded */
    cr_assert_eq(zx_rules_set(db, "funding", 2021, "floor", -1, NULL, "t"),
                 ZX_EINVAL);
    cr_assert_eq(zx_rules_set(db, "funding", 2021, "flor", 1, NULL, "t"),
                 ZX_ENOTFOUND);
    cr_assert_eq(zx_rules_set(db, "nope", 2021, "floor", 1, NULL, "t"),
                 ZX_ENOTFOUND);
    cr_assert_eq(count("SELECT count(*) FROM audit WHERE tbl = 'rule'"), 4);
    cr_assert_eq(zx_audit_verify(db, &bad), ZX_OK);

    cr_assert_eq(zx_rules_load(db, "funding", 2021, &r), ZX_OK);
    f = compute(r);
    WANT(f, "3206840006", 900, 851400);      /* 645,000 x 1.1 x 1.2 */
    WANT(f, "3206840008", 500, 369270);      /* 335,700 x 1.1 */
    WANT(f, "3206840001", 500, 325000);      /* at a seat, not weak */
    cr_assert(fabs(school(f, "3206840006")->coefficient - 1.32) < 1e-12);
    zx_funding_free(f);
    zx_rules_free(r);
}

Test(funding, what_if_changes_each_school)
{
    zx_rules *r, *alt;
    zx_funding *f0, *f1;

    cr_assert_eq(zx_rules_load(db, "funding", 2021, &r), ZX_OK);
    cr_assert_not_null(alt = zx_rules_copy(r));
    cr_assert_eq(zx_rules_override(alt, "floor", 600), ZX_OK);
    cr_assert_eq(zx_rules_override(alt, "nope", 600), ZX_ENOTFOUND);
    cr_assert_eq(zx_rules_override(alt, "boarder", -5), ZX_EINVAL);
    f0 = compute(r);
    f1 = compute(alt);
    WANT(f1, "3206840001", 600, 390000);
    WANT(f1, "3206840002", 600, 390000);
    WANT(f1, "3206840003", 600, 390000);
    WANT(f1, "3206840004", 300, 195000);     /* urban: still no floor */
    WANT(f1, "3206840005", 600, 550600);
    WANT(f1, "3206840008", 600, 400700);     /* 598 x 650 + 12,000 */
    cr_assert(NEAR(f1->total - f0->total, 65000 + 65000 + 64350 + 65000));
    /* nothing written, and the original values stay */
    cr_assert(zx_rules_value(r, "floor") == 500);
    cr_assert_eq(count("SELECT count(*) FROM rule"), 0);
    zx_funding_free(f0);
    zx_funding_free(f1);
    zx_rules_free(alt);
    zx_rules_free(r);
}

Test(funding, save_writes_the_year_in_one_audited_step)
{
    zx_rules *r;
    zx_funding *f;

    cr_assert_eq(zx_rules_load(db, "funding", 2021, &r), ZX_OK);
    f = compute(r);
    cr_assert_eq(zx_funding_save(db, f, r, "test"), ZX_OK);
    cr_assert_eq(count("SELECT count(*) FROM funding WHERE year = 2021"), 8);
    cr_assert_eq(count("SELECT funded_students FROM funding f"
                       " JOIN org_unit u ON u.id = f.school_id"
                       " WHERE u.code = '3206840001'"), 500);
    cr_assert_eq(count("SELECT CAST(sum(total) AS INTEGER) FROM funding"),
                 2943950);
    cr_assert_eq(count("SELECT count(*) FROM audit WHERE tbl = 'funding'"
                       " AND key = '2021' AND action = 'insert'"
                       " AND new LIKE '%\"floor\":500%'"), 1);
    cr_assert_eq(zx_funding_save(db, f, r, "test"), ZX_OK);
    cr_assert_eq(count("SELECT count(*) FROM funding"), 8);
    cr_assert_eq(count("SELECT count(*) FROM audit WHERE tbl = 'funding'"
                       " AND action = 'update'"), 1);
    cr_assert_eq(count("SELECT version FROM stamp"
                       " WHERE key = 'table:funding'") > 0, 1);
    zx_funding_free(f);
    zx_rules_free(r);
}

Test(funding, rules_list_shows_defaults_and_sources)
{
    int n = 0;

    cr_assert_eq(zx_rules_set(db, "funding", 2021, "floor", 400, NULL, "t"),
                 ZX_OK);
    int fn(void *ctx, const zx_rule_row *row);
    cr_assert_eq(zx_rules_list(db, "funding", 2021, fn, &n), ZX_OK);
    cr_assert_eq(n, 14);
    cr_assert_eq(zx_rules_list(db, "nope", 2021, fn, &n), ZX_ENOTFOUND);
}

int fn(void *ctx, const zx_rule_row *row)
{
    (*(int *)ctx)++;
    cr_assert(*row->source && *row->title);
    if (strcmp(row->key, "floor") == 0)
        cr_assert(row->is_set && row->value == 400 && row->def == 500);
    if (strcmp(row->key, "per_student.primary") == 0)
        cr_assert(!row->is_set && row->value == 650);
    return 0;
}

Test(funding, cli_rules_and_funding)
{
    const char *d = tu_tmpdir();
    char cmd[1024];

    snprintf(cmd, sizeof(cmd), "cd %s && %s --db z.db init >/dev/null &&"
             " %s --db z.db rules set funding floor 450 --year 2021"
             " >/dev/null && %s --db z.db rules list funding --year 2021"
             " | grep -q '^floor.*450.*已设' &&"
             " %s --db z.db rules set funding floor -3 --year 2021"
             " 2>/dev/null; test $? = 65 &&"
             " %s --db z.db funding --year 2021 --format csv | head -1"
             " | grep -q 学校标识码,学校名称 &&"
             " %s --db z.db funding --year 2021 --format xlsx --out f.xlsx &&"
             " test -s f.xlsx &&"
             " %s --db z.db funding --year 2021 --what-if floor=600 --save"
             " 2>/dev/null; test $? = 64", d, ZX_BIN, ZX_BIN, ZX_BIN, ZX_BIN,
             ZX_BIN, ZX_BIN, ZX_BIN);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
}
