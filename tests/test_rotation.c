/*
 * test_rotation.c - teacher rotation (src/core/rotation.c) on a
 * hand-built registry, year 2021, default rules (6 years, 10%, 20%,
 * group HQs strong, 2 per destination).  Coordinates on latitude 32°,
 * where 0.1° of longitude is about 9.4 km:
 *
 *   0001 城小学 111 urban primary, lon 121.0:
 *        21 generic 在编 teachers G01..G21, G01 since 2001 (20 y), the
 *        rest since 2011..2015; K1 骨干教师 县级 since 2012 (9 y, 数学);
 *        K2 学科带头人 省级 since 2014 (7 y); K3 骨干教师 校级 since 2000
 *        (21 y, below 县级: not backbone); B6 since 2015 (6 y, eligible);
 *        B5 since 2016 (5 y, not); S1 代课 since 2000 (not 在编).
 *        Eligible 21 + 3 + 1 = 25; quota ceil(10% x 25 = 2.5) = 3;
 *        backbone K1, K2: quota ceil(20% x 3 = 0.6) = 1.
 *   0002 乡小学甲 220 rural primary, lon 121.1 (9.4 km from 0001)
 *   0003 乡小学乙 220 rural primary, lon 121.3 (28 km)
 *   0004 乡初中   220 rural junior,  lon 121.05
 *   0005 中心小学 121 rural primary, HQ of 一集团, lon 121.5: strong;
 *        E1 since 2010 (11 y): eligible 1, quota 1, backbone quota 0.
 *   0006 城初中   111 urban junior, lon 121.0: J1 since 2010, quota 1.
 *
 * Proposal without shortages: 0001 takes K1 (backbone first), then by
 * years K3 (21 y), G01 (20 y); K1 and K3 to the nearest, 0002, which is
 * then full (2), so G01 to 0003; E1 (0005) to the nearest other, 0003
 * (0.2° = 19 km; 0002 is 0.4°); J1 to the one rural junior, 0004.
 */
#include "testutil.h"

#include <math.h>

#include "indicator.h"
#include "rotation.h"
#include "rules.h"

static const char plan_text[] =
    TU_PLAN_HEAD("test-rotation")
    "  settings:\n"
    "    rotation_years: 6\n"
    "goals:\n"
    "  - id: teachers\n"
    "    clause: \"2.2\"\n"
    "    name: 队伍建设\n"
    "indicators:\n"
    "  - id: rotation-rate\n"
    "    clause: 3.4.3-T7\n"
    "    goal: teachers\n"
    "    name: 城区学校教师交流轮岗比例\n"
    "    kind: share\n"
    "    over: teachers\n"
    "    where: \"not school.rural and employment = '在编' and"
    " years_in_school >= setting.rotation_years\"\n"
    "    numerator: \"rotated\"\n"
    "    unit: \"%\"\n"
    "    direction: higher\n"
    "    target: 10\n"
    "    milestones: {2020: 10, 2021: 10, 2022: 10}\n"
    "    levels: [city]\n"
    "  - id: rotation-backbone\n"
    "    clause: 3.4.3-T7\n"
    "    goal: teachers\n"
    "    name: 交流轮岗教师中骨干教师占比\n"
    "    kind: share\n"
    "    over: teachers\n"
    "    where: \"not school.rural and employment = '在编' and"
    " years_in_school >= setting.rotation_years and rotated\"\n"
    "    numerator: \"role('骨干教师', '县级') or role('学科带头人', '县级')\"\n"
    "    unit: \"%\"\n"
    "    direction: higher\n"
    "    target: 20\n"
    "    milestones: {2020: 20, 2021: 20, 2022: 20}\n"
    "    levels: [city]\n";

static zx_db *db;
static zx_plan *plan;

static void fill(void)
{
    static const zx_school_rec schools[] = {
        { .code = "3206840001", .name = "城小学", .town = "甲镇",
          .type_code = 211, .urban_rural = 111, .owner = 21,
          .has_lonlat = 1, .lon = 121.0, .lat = 32.0 },
        { .code = "3206840002", .name = "乡小学甲", .town = "甲镇",
          .type_code = 211, .urban_rural = 220, .owner = 21,
          .has_lonlat = 1, .lon = 121.1, .lat = 32.0 },
        { .code = "3206840003", .name = "乡小学乙", .town = "甲镇",
          .type_code = 211, .urban_rural = 220, .owner = 21,
          .has_lonlat = 1, .lon = 121.3, .lat = 32.0 },
        { .code = "3206840004", .name = "乡初中", .town = "甲镇",
          .type_code = 311, .urban_rural = 220, .owner = 21,
          .has_lonlat = 1, .lon = 121.05, .lat = 32.0 },
        { .code = "3206840005", .name = "中心小学", .town = "甲镇",
          .group = "一集团", .group_hq = 1, .type_code = 211,
          .urban_rural = 121, .owner = 21, .has_lonlat = 1, .lon = 121.5,
          .lat = 32.0 },
        { .code = "3206840006", .name = "城初中", .town = "甲镇",
          .type_code = 311, .urban_rural = 111, .owner = 21,
          .has_lonlat = 1, .lon = 121.0, .lat = 32.0 },
    };
    static const zx_teacher_rec named[] = {
        { "K1", "骨干一", 1, "1980-01", "3206840001", 2, 14, 3, 1, 1, 2012, 0 },
        { "K2", "带头二", 2, "1978-01", "3206840001", 2, 13, 3, 1, 1, 2014, 0 },
        { "K3", "校骨三", 1, "1970-01", "3206840001", 2, 13, 3, 1, 1, 2000, 0 },
        { "B6", "满六年", 2, "1985-01", "3206840001", 2, 13, 3, 1, 1, 2015, 0 },
        { "B5", "满五年", 2, "1986-01", "3206840001", 2, 13, 3, 1, 1, 2016, 0 },
        { "S1", "代课一", 2, "1975-01", "3206840001", 2, 13, 3, 3, 1, 2000, 0 },
        { "E1", "集团一", 1, "1979-01", "3206840005", 2, 13, 3, 1, 1, 2010, 0 },
        { "J1", "初中一", 1, "1979-01", "3206840006", 3, 13, 3, 1, 1, 2010, 0 },
    };
    static const zx_role_rec roles[] = {
        { "K1", "骨干教师", "县级", 2018, 0 },
        { "K2", "学科带头人", "省级", 2019, 0 },
        { "K3", "骨干教师", "校级", 2015, 0 },
    };
    zx_teacher_rec generic[21];
    char no[21][4];
    size_t i;

    /* G01..G21 are B6 but for their years: G01 since 2001, the rest
     * since 2011..2015 */
    for (i = 0; i < TU_LEN(generic); i++) {
        generic[i] = named[3];
        snprintf(no[i], sizeof(no[i]), "G%02zu", i + 1);
        generic[i].teacher_no = no[i];
        generic[i].name = "普通";
        generic[i].since_year = i == 0 ? 2001 : 2011 + (int)((i + 1) % 5);
    }
    tu_registry_fill(db, &(tu_city){ .schools = TU_LIST(schools),
                                     .teachers = TU_LIST(named) });
    tu_registry_fill(db, &(tu_city){ .teachers = TU_LIST(generic),
                                     .roles = TU_LIST(roles) });
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

TestSuite(rotation, .init = setup, .fini = teardown);

static zx_rotation *compute(void)
{
    zx_rules *r;
    zx_rotation *rot = NULL;

    cr_assert_eq(zx_rules_load(db, "rotation", 2021, &r), ZX_OK);
    cr_assert_eq(zx_rotation_compute(db, plan, 2021, r, &rot), ZX_OK);
    zx_rules_free(r);
    return rot;
}

static int propose(void)
{
    zx_rules *r;
    int n = -1;

    cr_assert_eq(zx_rules_load(db, "rotation", 2021, &r), ZX_OK);
    cr_assert_eq(zx_rotation_propose(db, plan, 2021, r, "test", &n), ZX_OK);
    zx_rules_free(r);
    return n;
}

static const zx_rotation_school *school(const zx_rotation *r,
                                        const char *code)
{
    int i;

    for (i = 0; i < r->nschools; i++)
        if (strcmp(r->schools[i].code, code) == 0)
            return &r->schools[i];
    return NULL;
}

static const zx_rotation_teacher *teacher(const zx_rotation *r,
                                          const char *no)
{
    int i;

    for (i = 0; i < r->nteachers; i++)
        if (strcmp(r->teachers[i].no, no) == 0)
            return &r->teachers[i];
    return NULL;
}

/* The listed entries, "NO>TO_CODE_LAST_DIGIT:KIND:STATUS" joined. */
struct listed {
    char text[1024];
    int n;
    long long id_k1;
};

static int collect(void *ctx, const zx_rotation_entry *e)
{
    struct listed *l = ctx;
    size_t used = strlen(l->text);

    snprintf(l->text + used, sizeof(l->text) - used, "%s%s>%s:%s:%s",
             l->n ? " " : "", e->teacher_no,
             e->to_code + strlen(e->to_code) - 1, e->kind, e->status);
    if (strcmp(e->teacher_no, "K1") == 0)
        l->id_k1 = e->id;
    l->n++;
    return 0;
}

static struct listed list(void)
{
    struct listed l;

    memset(&l, 0, sizeof(l));
    cr_assert_eq(zx_rotation_list(db, 2021, collect, &l), ZX_OK);
    return l;
}

Test(rotation, eligibility_and_quotas)
{
    zx_rotation *r = compute();
    const zx_rotation_school *s = school(r, "3206840001");

    cr_assert_not_null(s);
    cr_assert_eq(s->eligible, 25, "21 generic + K1 K2 K3 + B6");
    cr_assert_eq(s->backbone, 2, "K1 县级, K2 省级; K3 校级 is not");
    cr_assert_eq(s->quota, 3, "ceil(10%% x 25 = 2.5)");
    cr_assert_eq(s->backbone_quota, 1, "ceil(20%% x 3 = 0.6)");
    cr_assert_eq(s->meets, 0);
    cr_assert_not_null(teacher(r, "B6"), "6 years: eligible");
    cr_assert_null(teacher(r, "B5"), "5 years: not eligible");
    cr_assert_null(teacher(r, "S1"), "代课: not eligible");
    cr_assert_eq(teacher(r, "K1")->backbone, 1);
    cr_assert_eq(teacher(r, "K3")->backbone, 0);
    cr_assert_eq(teacher(r, "K3")->years, 21);
    /* the HQ counts as strong; the rural non-HQ schools are no source */
    cr_assert_eq(school(r, "3206840005")->quota, 1);
    cr_assert_eq(school(r, "3206840005")->backbone_quota, 0,
                 "ceil(0.2) = 1 but it has no backbone teacher");
    cr_assert_null(school(r, "3206840002"));
    cr_assert_eq(r->nschools, 3);
    cr_assert_eq(r->eligible, 27, "25 + E1 + J1");
    cr_assert_eq(r->quota, 5, "3 + 1 + 1");
    zx_rotation_free(r);
}

Test(rotation, hq_not_strong_by_rule)
{
    zx_rotation *r;

    cr_assert_eq(zx_rules_set(db, "rotation", 2021, "hq_strong", 0, NULL,
                              "test"), ZX_OK);
    r = compute();
    cr_assert_null(school(r, "3206840005"));
    cr_assert_eq(r->eligible, 26);
    zx_rotation_free(r);
}

Test(rotation, quota_from_share_rule)
{
    zx_rotation *r;

    /* 30% of 25 = 7.5 -> 8; 20% of 8 = 1.6 -> 2 (K1, K2) */
    cr_assert_eq(zx_rules_set(db, "rotation", 2021, "share", 30, NULL,
                              "test"), ZX_OK);
    r = compute();
    cr_assert_eq(school(r, "3206840001")->quota, 8);
    cr_assert_eq(school(r, "3206840001")->backbone_quota, 2);
    zx_rotation_free(r);
}

Test(rotation, proposal_backbone_first_nearest)
{
    struct listed l;

    cr_assert_eq(propose(), 5);
    l = list();
    cr_assert_str_eq(l.text,
                     "G01>3:轮岗:proposed K1>2:轮岗:proposed "
                     "K3>2:轮岗:proposed E1>3:轮岗:proposed "
                     "J1>4:轮岗:proposed");
    cr_assert_eq(zx_db_int(db, "SELECT backbone FROM rotation_proposal p"
                               " JOIN teacher t ON t.id = p.teacher_id"
                               " WHERE t.teacher_no = 'K1'", NULL, -1), 1);
    cr_assert_eq(zx_db_int(db, "SELECT count(*) FROM rotation_proposal"
                               " WHERE reason LIKE '%乡小学甲（相距 9.4 公里）%'",
                           NULL, 0), 2);
    cr_assert_eq(zx_db_int(db, "SELECT count(*) FROM audit WHERE tbl ="
                               " 'rotation_proposal'", NULL, 0), 1);
}

Test(rotation, shortage_comes_first)
{
    struct listed l;

    /* 0003 lacks one 数学 teacher: K1 (数学) goes there, as 支教 */
    cr_assert_eq(zx_db_exec(db, "INSERT INTO staffing_subject(school_id,"
                                " year, subject, need, actual) SELECT id,"
                                " 2021, 14, 3, 2 FROM org_unit"
                                " WHERE code = '3206840003'"), ZX_OK);
    cr_assert_eq(propose(), 5);
    l = list();
    cr_assert_str_eq(l.text,
                     "G01>2:轮岗:proposed K1>3:支教:proposed "
                     "K3>2:轮岗:proposed E1>3:轮岗:proposed "
                     "J1>4:轮岗:proposed");
}

static int grab(void *ctx, const zx_result *res)
{
    *(double *)ctx = res->value;
    return 0;
}

static double city_value(const char *id)
{
    const zx_indicator *ind = zx_plan_indicator(plan, id);
    zx_engine *e;
    zx_diag *d = zx_diag_new();
    double v = -1;

    cr_assert_not_null(ind);
    cr_assert_eq(zx_engine_open(db, plan, &e, d), ZX_OK, "%s",
                 tu_diag_text(d, 1));
    cr_assert_eq(zx_engine_eval(e, ind, 2021, 1u << ZX_LEVEL_CITY, 0, grab,
                                &v), ZX_OK);
    zx_engine_close(e);
    zx_diag_free(d);
    return v;
}

Test(rotation, accept_moves_the_indicators)
{
    zx_rotation *r;
    int n = -1;

    cr_assert_eq(city_value("rotation-rate"), 0, "0 of 26 urban eligible");
    cr_assert(isnan(city_value("rotation-backbone")), "none rotated");
    cr_assert_eq(propose(), 5);
    cr_assert_eq(zx_rotation_accept(db, 2021, NULL, 0, "test", &n), ZX_OK);
    cr_assert_eq(n, 5);
    cr_assert_eq(zx_db_int(db, "SELECT count(*) FROM rotation WHERE year ="
                               " 2021", NULL, 0), 5);
    /* urban eligible 25 + J1 = 26 (E1's school is rural); rotated among
     * them K1, K3, G01, J1 = 4: 4 / 26 = 15.38%; backbone K1: 1 / 4 */
    cr_assert_float_eq(city_value("rotation-rate"), 400.0 / 26, 1e-6);
    cr_assert_float_eq(city_value("rotation-backbone"), 25, 1e-9);
    r = compute();
    cr_assert_eq(school(r, "3206840001")->done, 3);
    cr_assert_eq(school(r, "3206840001")->done_backbone, 1);
    cr_assert_eq(school(r, "3206840001")->meets, 1);
    cr_assert_eq(r->meeting, 3);
    zx_rotation_free(r);
    cr_assert_eq(zx_rotation_accept(db, 2021, (long long[]){ 1 }, 1, "test",
                                    &n), ZX_ENOTFOUND, "no longer open");
}

Test(rotation, replacing_keeps_accepted)
{
    struct listed l;
    int n;

    cr_assert_eq(propose(), 5);
    l = list();
    cr_assert_eq(zx_rotation_accept(db, 2021, &l.id_k1, 1, "test", &n),
                 ZX_OK);
    cr_assert_eq(n, 1);
    /* 0001 still owes 3 - 1 = 2, backbone 1 - 1 = 0: K3 and G01; 0002
     * took K1, so one more place there: K3; G01 to 0003 */
    cr_assert_eq(propose(), 4);
    l = list();
    cr_assert_str_eq(l.text,
                     "G01>3:轮岗:proposed K1>2:轮岗:accepted "
                     "K3>2:轮岗:proposed E1>3:轮岗:proposed "
                     "J1>4:轮岗:proposed");
    cr_assert_eq(zx_db_int(db, "SELECT count(*) FROM rotation", NULL, 0), 1);
}

Test(rotation, record_outside_a_proposal)
{
    struct listed l;
    zx_rotation *r;

    cr_assert_eq(propose(), 5);
    cr_assert_eq(zx_rotation_record(db, 2021, "K1", "3206840003", "挂职",
                                    "test"), ZX_OK);
    cr_assert_eq(zx_rotation_record(db, 2021, "K1", "3206840002", "轮岗",
                                    "test"), ZX_EEXIST);
    cr_assert_eq(zx_rotation_record(db, 2021, "B5", "3206840001", "轮岗",
                                    "test"), ZX_EINVAL, "own school");
    cr_assert_eq(zx_rotation_record(db, 2021, "B5", "3206840002", "调动",
                                    "test"), ZX_EINVAL, "unknown kind");
    cr_assert_eq(zx_rotation_record(db, 2021, "NOPE", "3206840002", "轮岗",
                                    "test"), ZX_ENOTFOUND);
    l = list();
    cr_assert_str_eq(l.text,
                     "G01>3:轮岗:proposed K1>3:挂职:recorded "
                     "K3>2:轮岗:proposed E1>3:轮岗:proposed "
                     "J1>4:轮岗:proposed", "K1's proposal gave way");
    r = compute();
    cr_assert_eq(teacher(r, "K1")->state, ZX_ROTATION_DONE);
    cr_assert_eq(school(r, "3206840001")->done_backbone, 1);
    zx_rotation_free(r);
    cr_assert_eq(zx_db_int(db, "SELECT count(*) FROM audit WHERE tbl ="
                               " 'rotation' AND action = 'insert'", NULL, 0),
                 1);
}

Test(rotation, recent_rotation_not_proposed_again)
{
    zx_rotation *r;
    struct listed l;

    /* G01 rotated in 2019, within 6 years: after K1 (backbone) and K3
     * (21 y) the longest left are G05 G10 G15 G20 (since 2011: 10 y),
     * G05 first by number */
    cr_assert_eq(zx_rotation_record(db, 2019, "G01", "3206840002", "轮岗",
                                    "test"), ZX_OK);
    r = compute();
    cr_assert_eq(teacher(r, "G01")->state, ZX_ROTATION_RECENT);
    zx_rotation_free(r);
    cr_assert_eq(propose(), 5);
    l = list();
    cr_assert(strstr(l.text, "G05>") != NULL, "%s", l.text);
    cr_assert(strstr(l.text, "G01>") == NULL, "%s", l.text);
}
