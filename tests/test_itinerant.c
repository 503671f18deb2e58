/*
 * test_itinerant.c - itinerant teaching (src/core/itinerant.c,
 * itinstore.c, itinxlsx.c): pool fill, assignment, the week layout and
 * the coverage the indicator itinerant-cover reads, with the defaults of
 * rules.c (30 minutes one way at 30 km/h, 16 lessons a week, 6 a day,
 * 3 schools a week, 1 candidate per school and subject).
 *
 * The registry (all on meridian 121.0; 0.01 degree of latitude is
 * 6371.0088 x 0.01 x pi / 180 = 1.11195 km, 2.2239 minutes at 30 km/h):
 *   A 3206840001 城区小学 urban 111, lat 32.00: T1 音乐 24 (since 2000),
 *     T3 音乐 (since 2010), T2 美术 25, T4 数学 14, T7 音乐 代课
 *   B 3206840002 村小 220, lat 32.05: 11.12 min from A; T5 音乐
 *   C 3206840003 村小 220, lat 32.10: 22.24 min from A
 *   D 3206840004 村小 220, lat 32.20: 44.48 min from A (beyond 30)
 *   E 3206840005 镇小 121 at a town seat, lat 31.90: T6 体育 22
 * Needs 2021: B 音乐 8, B 美术 4, C 音乐 6, D 音乐 6: 24 in all.
 */
#include "testutil.h"

#include <jansson.h>
#include <math.h>

#include "audit.h"
#include "geo.h"
#include "indicator.h"
#include "itinerant.h"
#include "rules.h"

static const char plan_text[] =
    TU_PLAN_HEAD("test-itinerant")
    "  settings:\n"
    "    scarce_subjects: [24, 25, 22]\n"
    "goals:\n"
    "  - id: teachers\n"
    "    clause: \"3.4\"\n"
    "    name: 教师队伍\n"
    "indicators:\n"
    "  - id: itinerant-cover\n"
    "    clause: 3.4.3-T10\n"
    "    goal: teachers\n"
    "    name: 紧缺学科走教课时满足率\n"
    "    kind: ratio\n"
    "    over: schools\n"
    "    where: \"rural\"\n"
    "    numerator: \"itinerant_covered\"\n"
    "    denominator: \"itinerant_lacking\"\n"
    "    unit: \"%\"\n"
    "    direction: higher\n"
    "    target: 100\n"
    "    milestones: {2020: 100, 2021: 100, 2022: 100}\n"
    "    levels: [city, school]\n";

static zx_db *db;
static zx_plan *plan;

static void teacher(zx_registry *reg, const char *no, const char *school,
                    int subject, int employment, int since)
{
    zx_teacher_rec t = { no, no, 1, "1985-01", school, 2, subject, 3,
                         employment, 1, since, 0 };
    int put;

    cr_assert_eq(zx_registry_put_teacher(reg, &t, &put), ZX_OK);
}

static void fill(void)
{
    static const zx_school_rec schools[] = {
        { .code = "3206840001", .name = "城区小学", .town = "甲镇",
          .type_code = 211, .urban_rural = 111, .town_seat = 1, .owner = 21,
          .has_lonlat = 1, .lon = 121.0, .lat = 32.00 },
        { .code = "3206840002", .name = "乙村小", .town = "甲镇",
          .type_code = 211, .urban_rural = 220, .town_seat = 0, .owner = 21,
          .has_lonlat = 1, .lon = 121.0, .lat = 32.05 },
        { .code = "3206840003", .name = "丙村小", .town = "甲镇",
          .type_code = 211, .urban_rural = 220, .town_seat = 0, .owner = 21,
          .has_lonlat = 1, .lon = 121.0, .lat = 32.10 },
        { .code = "3206840004", .name = "丁村小", .town = "甲镇",
          .type_code = 211, .urban_rural = 220, .town_seat = 0, .owner = 21,
          .has_lonlat = 1, .lon = 121.0, .lat = 32.20 },
        { .code = "3206840005", .name = "戊镇小", .town = "甲镇",
          .type_code = 211, .urban_rural = 121, .town_seat = 1, .owner = 21,
          .has_lonlat = 1, .lon = 121.0, .lat = 31.90 },
    };
    zx_registry *reg;

    tu_registry_fill(db, &(tu_city){ .schools = TU_LIST(schools) });
    reg = tu_registry_begin(db);
    teacher(reg, "T1", "3206840001", 24, 1, 2000);
    teacher(reg, "T2", "3206840001", 25, 1, 2005);
    teacher(reg, "T3", "3206840001", 24, 1, 2010);
    teacher(reg, "T4", "3206840001", 14, 1, 2000);
    teacher(reg, "T5", "3206840002", 24, 1, 2000);
    teacher(reg, "T6", "3206840005", 22, 1, 2000);
    teacher(reg, "T7", "3206840001", 24, 3, 1990);
    tu_registry_end(db, reg);
    cr_assert_eq(zx_db_exec(db,
        "INSERT INTO itinerant_need(school_id, year, subject, hours_lacking)"
        " SELECT id, 2021, 24, 8 FROM org_unit WHERE code = '3206840002'"
        " UNION ALL SELECT id, 2021, 25, 4 FROM org_unit"
        "  WHERE code = '3206840002'"
        " UNION ALL SELECT id, 2021, 24, 6 FROM org_unit"
        "  WHERE code = '3206840003'"
        " UNION ALL SELECT id, 2021, 24, 6 FROM org_unit"
        "  WHERE code = '3206840004'"), ZX_OK);
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

TestSuite(itinerant, .init = setup, .fini = teardown);

static int pool_text(void *ctx, const zx_itinerant_pool_row *r)
{
    char *s = ctx;

    sprintf(s + strlen(s), "%s %d %g %g %d\n", r->no, r->subject,
            r->max_hours, r->assigned, r->schools);
    return 0;
}

static int slot_text(void *ctx, const zx_itinerant_slot_row *r)
{
    char *s = ctx;

    sprintf(s + strlen(s), "%s %d %s %d %g %.1f\n", r->teacher_no, r->day,
            r->school_code + 6, r->subject, r->hours, r->travel_min);
    return 0;
}

static int need_text(void *ctx, const zx_itinerant_need_row *r)
{
    char *s = ctx;

    sprintf(s + strlen(s), "%s %d %g %g\n", r->school_code + 6, r->subject,
            r->lacking, r->covered);
    return 0;
}

/* Scarce-subject teachers of A (urban) and E (a town seat), one per school
 * and subject, the longest-serving first, no substitute: T1 (not T3, not
 * T7 代课), T2, T6; not T4 (数学) nor T5 (a rural village school). */
Test(itinerant, pool_fill)
{
    char s[512] = "";
    int added = -1;

    cr_assert_eq(zx_itinerant_pool_fill(db, plan, 2021, "test", &added),
                 ZX_OK);
    cr_assert_eq(added, 3);
    cr_assert_eq(zx_itinerant_pool_list(db, 2021, pool_text, s), ZX_OK);
    cr_assert_str_eq(s, "T1 24 16 0 0\nT2 25 16 0 0\nT6 22 16 0 0\n");
    cr_assert_eq(zx_itinerant_pool_fill(db, plan, 2021, "test", &added),
                 ZX_OK);
    cr_assert_eq(added, 0);
    cr_assert_eq(zx_itinerant_pool_add(db, 2021, "T3", 10, "test"), ZX_OK);
    cr_assert_eq(zx_itinerant_pool_add(db, 2021, "nobody", 10, "test"),
                 ZX_ENOTFOUND);
    cr_assert_eq(zx_itinerant_pool_remove(db, 2021, "T6", "test"), ZX_OK);
    cr_assert_eq(zx_itinerant_pool_remove(db, 2021, "T6", "test"),
                 ZX_ENOTFOUND);
    s[0] = 0;
    cr_assert_eq(zx_itinerant_pool_list(db, 2021, pool_text, s), ZX_OK);
    cr_assert_str_eq(s, "T1 24 16 0 0\nT2 25 16 0 0\nT3 24 10 0 0\n");
    /* fill, add (T3), remove (T6): three entries */
    cr_assert_eq(zx_db_int(db, "SELECT count(*) FROM audit"
                               " WHERE tbl = 'itinerant_teacher'", NULL, -1),
                 3);
    {
        long long bad = 0;

        cr_assert_eq(zx_audit_verify(db, &bad), ZX_OK);
    }
}

static int city_value(void *ctx, const zx_result *r)
{
    double *v = ctx;

    if (r->level == ZX_LEVEL_CITY)
        *v = r->value;
    return 0;
}

/* itinerant-cover for the city, through the indicator engine. */
static double cover(int year)
{
    zx_engine *e = NULL;
    zx_diag *d = zx_diag_new();
    double v = NAN;

    cr_assert_eq(zx_engine_open(db, plan, &e, d), ZX_OK, "%s",
                 tu_diag_text(d, 1));
    zx_diag_free(d);
    cr_assert_eq(zx_engine_eval(e, zx_plan_indicator(plan, "itinerant-cover"),
                                year, 1u << ZX_LEVEL_CITY, 0, city_value, &v),
                 ZX_OK);
    zx_engine_close(e);
    return v;
}

/*
 * Pool T1 (音乐) and T2 (美术), both of A, 16 lessons each.
 *   T1: B 音乐 8 (11.12 min) and C 音乐 6 (22.24 min) are within 30
 *       minutes, D (44.48) is not: 14 lessons.  B takes ceil(8/6) = 2
 *       days of 4 and 4, C one day of 6.  Sequence B, C, B over 3 days
 *       -> days 1, 1 + 5/3 = 2, 1 + 10/3 = 4.
 *   T2: B 美术 4, one day: Monday.
 * Covered 8 + 4 + 6 = 18 of 24: itinerant-cover 18 / 24 = 75%.
 * Travel one way over the days: 2 x 11.12 + 22.24 + 11.12 = 55.6.
 */
Test(itinerant, plan_week_and_indicator)
{
    zx_itinerant *it = NULL;
    char s[1024] = "";

    cr_assert_eq(zx_itinerant_pool_add(db, 2021, "T1", 0, "test"), ZX_OK);
    cr_assert_eq(zx_itinerant_pool_add(db, 2021, "T2", 0, "test"), ZX_OK);
    /* before planning nothing is covered: 0 / 24 */
    cr_assert_float_eq(cover(2021), 0, 1e-9);
    cr_assert_eq(zx_itinerant_plan(db, 2021, "test", &it), ZX_OK);
    cr_assert_eq(it->nvisits, 3);
    cr_assert_float_eq(it->lacking, 24, 1e-9);
    cr_assert_float_eq(it->covered, 18, 1e-9);
    cr_assert_float_eq(it->travel_min, 4 * 11.1195 + 11.1195, 1e-2);
    cr_assert_eq(it->cut, 0);
    zx_itinerant_free(it);
    cr_assert_eq(zx_itinerant_slots_list(db, 2021, NULL, NULL, 0, slot_text,
                                         s), ZX_OK);
    cr_assert_str_eq(s, "T1 1 0002 24 4 11.1\n"
                        "T1 2 0003 24 6 22.2\n"
                        "T1 4 0002 24 4 11.1\n"
                        "T2 1 0002 25 4 11.1\n");
    s[0] = 0;
    cr_assert_eq(zx_itinerant_slots_list(db, 2021, NULL, "3206840002", 1,
                                         slot_text, s), ZX_OK);
    cr_assert_str_eq(s, "T1 1 0002 24 4 11.1\n"
                        "T2 1 0002 25 4 11.1\n"
                        "T1 4 0002 24 4 11.1\n");
    s[0] = 0;
    cr_assert_eq(zx_itinerant_needs_list(db, 2021, need_text, s), ZX_OK);
    cr_assert_str_eq(s, "0002 24 8 8\n0002 25 4 4\n0003 24 6 6\n"
                        "0004 24 6 0\n");
    s[0] = 0;
    cr_assert_eq(zx_itinerant_pool_list(db, 2021, pool_text, s), ZX_OK);
    cr_assert_str_eq(s, "T1 24 16 14 2\nT2 25 16 4 1\n");
    cr_assert_float_eq(cover(2021), 75, 1e-9);

    /* planning again replaces the week: T1 capped at 6 takes B alone
     * (6 lessons, one day, the nearer school), T2 as before: 10 / 24 */
    cr_assert_eq(zx_itinerant_pool_add(db, 2021, "T1", 6, "test"), ZX_OK);
    cr_assert_eq(zx_itinerant_plan(db, 2021, "test", NULL), ZX_OK);
    s[0] = 0;
    cr_assert_eq(zx_itinerant_slots_list(db, 2021, "T1", NULL, 0, slot_text,
                                         s), ZX_OK);
    cr_assert_str_eq(s, "T1 1 0002 24 6 11.1\n");
    cr_assert_float_eq(cover(2021), 1000.0 / 24, 1e-9);
    cr_assert_eq(zx_db_int(db, "SELECT count(*) FROM audit"
                               " WHERE tbl = 'itinerant'", NULL, -1), 2);
}

/* A travel-time rule of 20 minutes leaves only B (11.12) to T1: C (22.24)
 * drops out, so 8 + 4 = 12 of 24 are covered. */
Test(itinerant, travel_rule)
{
    zx_itinerant *it = NULL;

    cr_assert_eq(zx_rules_set(db, "itinerant", 2021, "travel.max_min", 20,
                              NULL, "test"), ZX_OK);
    cr_assert_eq(zx_itinerant_pool_add(db, 2021, "T1", 0, "test"), ZX_OK);
    cr_assert_eq(zx_itinerant_pool_add(db, 2021, "T2", 0, "test"), ZX_OK);
    cr_assert_eq(zx_itinerant_plan(db, 2021, "test", &it), ZX_OK);
    cr_assert_float_eq(it->covered, 12, 1e-9);
    cr_assert_eq(it->nvisits, 2);
    zx_itinerant_free(it);
    cr_assert_float_eq(cover(2021), 50, 1e-9);
}

Test(itinerant, xlsx)
{
    const char *dir = tu_tmpdir(), *path = tu_path(dir, "w.xlsx");
    tu_sheet sh;

    memset(&sh, 0, sizeof(sh));
    cr_assert_eq(zx_itinerant_pool_add(db, 2021, "T1", 0, "test"), ZX_OK);
    cr_assert_eq(zx_itinerant_plan(db, 2021, "test", NULL), ZX_OK);
    cr_assert_eq(zx_itinerant_write_xlsx(db, 2021, NULL, NULL, 0, NULL, NULL,
                                         NULL, path), ZX_OK);
    tu_read_table(path, 1, &sh);
    /* 总表: header and T1's three days */
    cr_assert_eq(sh.nrows, 4);
    cr_assert_str_eq(sh.cell[0][0], "星期");
    cr_assert_str_eq(sh.cell[1][0], "星期一");
    cr_assert_str_eq(sh.cell[1][4], "3206840002");
    cr_assert_str_eq(sh.cell[2][6], "音乐");
    cr_assert_str_eq(sh.cell[2][7], "6");
}

/* ---- solving by hand-built instances ----------------------------------- */

static zx_itinerant_limits limits(int week, int day, int schools)
{
    zx_itinerant_limits l = { 30, 30, week, day, schools, 1 };

    return l;
}

/* nt teachers of subject 24 at lat 32.00 with cap; needs of 24 at the
 * given latitudes (0.01 degree = 2.2239 minutes) and hours. */
static zx_itinerant *instance(int nt, int cap, int nn, const double *lat,
                              const double *hours)
{
    zx_itinerant *it = calloc(1, sizeof(*it));
    int i;

    cr_assert_not_null(it);
    it->year = 2021;
    it->nteachers = nt;
    it->nneeds = nn;
    it->teachers = calloc((size_t)nt, sizeof(*it->teachers));
    it->needs = calloc((size_t)nn, sizeof(*it->needs));
    cr_assert(it->teachers && it->needs);
    for (i = 0; i < nt; i++) {
        it->teachers[i].id = i + 1;
        it->teachers[i].school_id = 1;
        it->teachers[i].subject = 24;
        it->teachers[i].max_hours = cap;
        it->teachers[i].has_lonlat = 1;
        it->teachers[i].lon = 121;
        it->teachers[i].lat = 32;
    }
    for (i = 0; i < nn; i++) {
        it->needs[i].school_id = 100 + i;
        it->needs[i].subject = 24;
        it->needs[i].lacking = hours[i];
        it->needs[i].has_lonlat = 1;
        it->needs[i].lon = 121;
        it->needs[i].lat = lat[i];
    }
    return it;
}

/* Demand beyond capacity: one teacher (16 a week, 6 a day, 3 schools),
 * four schools lacking 10 each at 2.2, 4.4, 6.7, 8.9 minutes.  At most 16
 * lessons; least travel puts 10 at the nearest (2 days of 5) and 6 at the
 * next (1 day): 16 of 40 covered, partial. */
Test(itinerant, demand_beyond_capacity)
{
    const double lat[] = { 32.01, 32.02, 32.03, 32.04 };
    const double h[] = { 10, 10, 10, 10 };
    zx_itinerant *it = instance(1, 16, 4, lat, h);
    zx_itinerant_limits l = limits(16, 6, 3);

    cr_assert_eq(zx_itinerant_solve(it, &l), ZX_OK);
    cr_assert_float_eq(it->covered, 16, 1e-9);
    cr_assert_float_eq(it->lacking, 40, 1e-9);
    cr_assert_eq(it->nvisits, 2);
    cr_assert_eq(it->visits[0].need, 0);
    cr_assert_eq(it->visits[0].hours, 10);
    cr_assert_eq(it->visits[0].days, 2);
    cr_assert_eq(it->visits[1].need, 1);
    cr_assert_eq(it->visits[1].hours, 6);
    cr_assert_eq(it->visits[1].days, 1);
    cr_assert_float_eq(it->needs[2].covered, 0, 1e-9);
    zx_itinerant_free(it);
}

/* The week binds: 6 a day, three schools lacking 7 each (2.2, 4.4, 6.7
 * minutes), a cap of 21.  The flow gives 7 + 7 + 7 = 21, which takes
 * 2 + 2 + 2 = 6 days: the cut keeps 2 + 2 + 1 days, 7 + 7 + 6 = 20
 * lessons, the short visit at the farthest school.  The one lesson left
 * has no free day to go to: cut 1.  Layout: most days left first, never
 * the same school twice running: 0, 1, 0, 1, 2 on Monday to Friday, 7
 * lessons over 2 days as 4 and 3. */
Test(itinerant, week_binds)
{
    const double lat[] = { 32.01, 32.02, 32.03 };
    const double h[] = { 7, 7, 7 };
    static const int need[] = { 0, 1, 0, 1, 2 }, hours[] = { 4, 4, 3, 3, 6 };
    zx_itinerant *it = instance(1, 21, 3, lat, h);
    zx_itinerant_limits l = limits(21, 6, 3);
    int i;

    cr_assert_eq(zx_itinerant_solve(it, &l), ZX_OK);
    cr_assert_float_eq(it->covered, 20, 1e-9);
    cr_assert_eq(it->cut, 1);
    cr_assert_float_eq(it->needs[2].covered, 6, 1e-9);
    cr_assert_eq(it->nslots, 5);
    for (i = 0; i < 5; i++) {
        cr_assert_eq(it->slots[i].day, i + 1);
        cr_assert_eq(it->slots[i].need, need[i], "day %d", i + 1);
        cr_assert_eq(it->slots[i].hours, hours[i], "day %d", i + 1);
    }
    zx_itinerant_free(it);
}

/* The day cap alone: 3 a day x 5 days = 15 < 16, one school lacking 20:
 * 15 lessons, 3 every day. */
Test(itinerant, day_cap)
{
    const double lat[] = { 32.01 };
    const double h[] = { 20 };
    zx_itinerant *it = instance(1, 16, 1, lat, h);
    zx_itinerant_limits l = limits(16, 3, 3);
    int i;

    cr_assert_eq(zx_itinerant_solve(it, &l), ZX_OK);
    cr_assert_float_eq(it->covered, 15, 1e-9);
    cr_assert_eq(it->nslots, 5);
    for (i = 0; i < 5; i++) {
        cr_assert_eq(it->slots[i].day, i + 1);
        cr_assert_eq(it->slots[i].hours, 3);
    }
    zx_itinerant_free(it);
}

/* At most 2 schools a week, four schools lacking 4 each (2.2 .. 8.9
 * minutes).  One teacher keeps the two nearest: 8.  A second teacher
 * takes the other two when their demand is offered again: 16. */
Test(itinerant, max_schools_and_reoffer)
{
    const double lat[] = { 32.01, 32.02, 32.03, 32.04 };
    const double h[] = { 4, 4, 4, 4 };
    zx_itinerant_limits l = limits(16, 6, 2);
    zx_itinerant *it = instance(1, 16, 4, lat, h);

    cr_assert_eq(zx_itinerant_solve(it, &l), ZX_OK);
    cr_assert_float_eq(it->covered, 8, 1e-9);
    cr_assert_eq(it->nvisits, 2);
    cr_assert_eq(it->visits[0].need, 0);
    cr_assert_eq(it->visits[1].need, 1);
    zx_itinerant_free(it);
    it = instance(2, 16, 4, lat, h);
    cr_assert_eq(zx_itinerant_solve(it, &l), ZX_OK);
    cr_assert_float_eq(it->covered, 16, 1e-9);
    cr_assert_eq(it->nvisits, 4);
    zx_itinerant_free(it);
}

/* Subject match and own school: a 美术 teacher does not take a 音乐
 * need, and nobody teaches at their own school. */
Test(itinerant, subject_and_own_school)
{
    const double lat[] = { 32.01, 32.0 };
    const double h[] = { 4, 4 };
    zx_itinerant_limits l = limits(16, 6, 3);
    zx_itinerant *it = instance(1, 16, 2, lat, h);

    it->needs[1].school_id = 1;           /* the teacher's own school */
    it->teachers[0].subject = 25;
    cr_assert_eq(zx_itinerant_solve(it, &l), ZX_OK);
    cr_assert_float_eq(it->covered, 0, 1e-9);
    it->teachers[0].subject = 24;
    cr_assert_eq(zx_itinerant_solve(it, &l), ZX_OK);
    cr_assert_float_eq(it->covered, 4, 1e-9);
    cr_assert_eq(it->visits[0].need, 0);
    zx_itinerant_free(it);
}

/* A small deterministic generator for the random instances. */
static unsigned long long rng = 88172645463325252ull;

static int rnd(int n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (int)(rng % (unsigned long long)n);
}

/* The invariants of every solved week (see itinerant.h). */
static void check_week(const zx_itinerant *it, const zx_itinerant_limits *l)
{
    int i, j, k;

    for (i = 0; i < it->nteachers; i++) {
        int used[ZX_ITINERANT_DAYS + 1] = { 0 }, hours = 0, visits = 0;

        for (k = 0; k < it->nslots; k++) {
            const zx_itinerant_slot *s = &it->slots[k];

            if (s->teacher != i)
                continue;
            cr_assert(s->day >= 1 && s->day <= ZX_ITINERANT_DAYS);
            cr_assert_eq(used[s->day]++, 0, "teacher %d twice on day %d", i,
                         s->day);
            cr_assert(s->hours >= 1 && s->hours <= l->load_day);
            hours += s->hours;
        }
        for (k = 0; k < it->nvisits; k++) {
            const zx_itinerant_visit *v = &it->visits[k];
            const zx_itinerant_teacher *t = &it->teachers[i];
            const zx_itinerant_need *n = &it->needs[v->need];
            int sum = 0, days = 0, m;

            if (v->teacher != i)
                continue;
            visits++;
            cr_assert_eq(t->subject, n->subject);
            cr_assert_neq(t->school_id, n->school_id);
            cr_assert_leq(zx_geo_km(t->lon, t->lat, n->lon, n->lat) /
                          l->speed_kmh * 60, l->max_travel_min + 1e-9);
            for (m = 0; m < it->nslots; m++)
                if (it->slots[m].teacher == i &&
                    it->slots[m].need == v->need) {
                    sum += it->slots[m].hours;
                    days++;
                }
            cr_assert_eq(sum, v->hours);
            cr_assert_eq(days, v->days);
        }
        cr_assert_leq(hours, it->teachers[i].max_hours);
        cr_assert_eq(hours, it->teachers[i].hours);
        cr_assert_leq(visits, l->max_schools);
    }
    for (j = 0; j < it->nneeds; j++) {
        int sum = 0;

        for (k = 0; k < it->nvisits; k++)
            if (it->visits[k].need == j)
                sum += it->visits[k].hours;
        cr_assert_leq(sum, (int)ceil(it->needs[j].lacking));
        cr_assert_float_eq(it->needs[j].covered,
                           fmin(sum, it->needs[j].lacking), 1e-9);
    }
}

/* 200 random small instances: two subjects, teachers and schools spread
 * over 0.3 degrees, random caps; every week checked. */
Test(itinerant, random_weeks)
{
    int n, i, covered = 0;

    for (n = 0; n < 200; n++) {
        zx_itinerant_limits l = { 10 + rnd(30), 30, 4 + rnd(20),
                                  1 + rnd(6), 1 + rnd(5), 1 };
        int nt = 1 + rnd(6), nn = 1 + rnd(10);
        zx_itinerant *it = calloc(1, sizeof(*it));

        cr_assert_not_null(it);
        it->nteachers = nt;
        it->nneeds = nn;
        it->teachers = calloc((size_t)nt, sizeof(*it->teachers));
        it->needs = calloc((size_t)nn, sizeof(*it->needs));
        cr_assert(it->teachers && it->needs);
        for (i = 0; i < nt; i++) {
            zx_itinerant_teacher *t = &it->teachers[i];

            t->id = i + 1;
            t->school_id = 1 + rnd(4);
            t->subject = 24 + rnd(2);
            t->max_hours = 1 + rnd(24);
            t->has_lonlat = rnd(10) > 0;
            t->lon = 121 + 0.1 * (double)(t->school_id - 1);
            t->lat = 32;
        }
        for (i = 0; i < nn; i++) {
            zx_itinerant_need *d = &it->needs[i];

            d->school_id = 1 + rnd(12);
            d->subject = 24 + rnd(2);
            d->lacking = 0.5 * (1 + rnd(40));
            d->has_lonlat = 1;
            d->lon = 121 + 0.1 * (double)(d->school_id % 4) +
                     0.001 * rnd(100);
            d->lat = 32 + 0.002 * rnd(100);
        }
        cr_assert_eq(zx_itinerant_solve(it, &l), ZX_OK);
        check_week(it, &l);
        if (it->covered > 0)
            covered++;
        zx_itinerant_free(it);
    }
    /* most instances have something within reach */
    cr_assert_gt(covered, 100);
}
