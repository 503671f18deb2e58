/*
 * test_pairing.c - the pairing programmes: pools filled by their
 * definitions, required matches, weights moving the proposal the way they
 * should, pins and forbids, unequal pools, accepted pairs kept out of a
 * new proposal, explanations that add up, the weaker school first, edits,
 * activities and the programme's figures, and the audit trail.
 *
 * The registry (2021), schools at known places:
 *   3206840001 城区小学  111 urban, 东洲集团 (HQ)   121.17, 31.87
 *   3206840002 城区中学  111 urban                   121.18, 31.88
 *   3206840011 乡村一小  220 rural, 东洲集团         121.30, 31.90  (~12.7 km
 *                                                    from 城区小学)
 *   3206840012 乡村二小  220 rural                   121.19, 31.88  (~2.2 km)
 *   3206840013 乡村中学  220 rural                   no coordinates
 * Teachers:
 *   M1 城区小学 数学 小学  学科带头人 县级       (mentor)
 *   M2 城区小学 语文 小学  学科带头人 地市级     (mentor)
 *   M3 城区中学 数学 初中  学科带头人 省级       (mentor)
 *   X1 城区小学 英语 小学  学科带头人 区镇级     (below 县级: not a mentor)
 *   E1 乡村一小 数学 小学  born 1995             (mentee)
 *   E2 乡村二小 数学 小学  born 1996             (mentee)
 *   E3 乡村一小 语文 小学  born 1994             (mentee)
 *   E4 乡村中学 数学 初中  born 1993             (mentee)
 *   E5 乡村二小 音乐 小学  born 1995             (no mentor teaches 音乐)
 *   E6 乡村一小 数学 小学  born 1970             (over 35)
 *   S1, S2 乡村一小 种子教师 ×2 (so that only 乡村二小 is behind on the
 *   test plan's one school indicator)
 */
#include "testutil.h"

#include <jansson.h>
#include <math.h>

#include "audit.h"
#include "indicator.h"
#include "pairing.h"

static const char plan_text[] =
    TU_PLAN_HEAD("test-plan")
    "goals:\n"
    "  - id: teachers\n"
    "    clause: \"2.2\"\n"
    "    name: 队伍建设\n"
    "indicators:\n"
    "  - id: seed\n"
    "    clause: 3.5.3-N3\n"
    "    goal: teachers\n"
    "    name: 种子教师\n"
    "    kind: share\n"
    "    over: schools\n"
    "    where: \"rural\"\n"
    "    numerator: \"count(teachers, role('种子教师')) >= 2\"\n"
    "    unit: \"%\"\n"
    "    direction: higher\n"
    "    target: 100\n"
    "    milestones: {2020: 100, 2021: 100, 2022: 100}\n"
    "    levels: [city, school]\n"
    "  - id: pair-active\n"
    "    clause: \"4.2\"\n"
    "    goal: teachers\n"
    "    name: 已结对人员开展活动比例\n"
    "    kind: share\n"
    "    over: pairing_mentors\n"
    "    where: \"paired\"\n"
    "    numerator: \"active\"\n"
    "    unit: \"%\"\n"
    "    target: 100\n"
    "    levels: [city]\n";

static const char *dir;
static zx_db *db;
static zx_plan *plan;
static zx_diag *diag;

static void school(zx_registry *reg, const char *code, const char *name,
                   const char *group, int hq, int type, int ur, double lon,
                   double lat)
{
    zx_school_rec s = { code, name, ur == 111 ? "城区" : "乡镇", group, type,
                        ur, 0, 21, hq, lon != 0, lon, lat };
    int put;

    cr_assert_eq(zx_registry_put_school(reg, &s, &put), ZX_OK);
}

static void teacher(zx_registry *reg, const char *no, const char *school_code,
                    int stage, int subject, const char *birth)
{
    zx_teacher_rec t = { no, no, 1, birth, school_code, stage, subject, 3, 1,
                         1, 2015, 0 };
    int put;

    cr_assert_eq(zx_registry_put_teacher(reg, &t, &put), ZX_OK);
}

static void role(zx_registry *reg, const char *no, const char *title,
                 const char *level)
{
    zx_role_rec r = { no, title, level, 2019, 0 };
    int put;

    cr_assert_eq(zx_registry_put_role(reg, &r, &put), ZX_OK);
}

static void setup(void)
{
    zx_registry *reg;

    dir = tu_tmpdir();
    db = tu_db(dir);
    cr_assert_not_null(diag = zx_diag_new());
    reg = tu_registry_begin(db);
    school(reg, "3206840001", "城区小学", "东洲集团", 1, 211, 111, 121.17,
           31.87);
    school(reg, "3206840002", "城区中学", NULL, 0, 311, 111, 121.18, 31.88);
    school(reg, "3206840011", "乡村一小", "东洲集团", 0, 211, 220, 121.30,
           31.90);
    school(reg, "3206840012", "乡村二小", NULL, 0, 211, 220, 121.19, 31.88);
    school(reg, "3206840013", "乡村中学", NULL, 0, 311, 220, 0, 0);
    teacher(reg, "M1", "3206840001", 2, 14, "1975-01");
    teacher(reg, "M2", "3206840001", 2, 13, "1976-01");
    teacher(reg, "M3", "3206840002", 3, 14, "1977-01");
    teacher(reg, "X1", "3206840001", 2, 41, "1978-01");
    teacher(reg, "E1", "3206840011", 2, 14, "1995-03");
    teacher(reg, "E2", "3206840012", 2, 14, "1996-03");
    teacher(reg, "E3", "3206840011", 2, 13, "1994-03");
    teacher(reg, "E4", "3206840013", 3, 14, "1993-03");
    teacher(reg, "E5", "3206840012", 2, 24, "1995-03");
    teacher(reg, "E6", "3206840011", 2, 14, "1970-03");
    teacher(reg, "S1", "3206840011", 2, 15, "1980-03");
    teacher(reg, "S2", "3206840011", 2, 15, "1981-03");
    role(reg, "M1", "学科带头人", "县级");
    role(reg, "M2", "学科带头人", "地市级");
    role(reg, "M3", "学科带头人", "省级");
    role(reg, "X1", "学科带头人", "区镇级");
    role(reg, "S1", "种子教师", "");
    role(reg, "S2", "种子教师", "");
    tu_registry_end(db, reg);
    plan = tu_plan_stored(db, plan_text);
}

static void teardown(void)
{
    zx_plan_free(plan);
    zx_diag_free(diag);
    zx_db_close(db);
}

TestSuite(pairing, .init = setup, .fini = teardown);

static const char *said_all(void)
{
    return zx_diag_count(diag) ? zx_diag_get(diag, 0)->msg : "(nothing)";
}

static long long count(const char *sql)
{
    return zx_db_int(db, sql, NULL, -1);
}

/* What a proposal or a listing gave: "MENTOR:MENTEE" per pair, in order,
 * with the cost and the explanation of each. */
struct got {
    int n;
    char pair[16][32];
    double cost[16];
    char explain[16][512];
    long long id[16];
    int pinned[16];
};

static int collect(void *ctx, const zx_pairing_pair *p)
{
    struct got *g = ctx;
    double sum = 0;
    int i;

    cr_assert_lt(g->n, 16);
    /* every pair's cost is its terms, added in order */
    for (i = 0; i < p->nterms; i++)
        sum += p->terms[i].cost;
    cr_assert_eq(sum, p->cost, "%s: terms add to %g, cost %g", p->explain,
                 sum, p->cost);
    snprintf(g->pair[g->n], 32, "%s:%s", p->mentor.key, p->mentee.key);
    g->cost[g->n] = p->cost;
    snprintf(g->explain[g->n], 512, "%s", p->explain);
    g->id[g->n] = p->id;
    g->pinned[g->n] = p->pinned;
    g->n++;
    return 0;
}

/* The pair of mentor key m in g, or NULL. */
static const char *pair_of(const struct got *g, const char *m)
{
    size_t len = strlen(m);
    int i;

    for (i = 0; i < g->n; i++)
        if (strncmp(g->pair[i], m, len) == 0 && g->pair[i][len] == ':')
            return g->pair[i];
    return NULL;
}

static void fill(const char *programme)
{
    int added, removed;

    cr_assert_eq(zx_pairing_pool_fill(db, plan, programme, 2021, "test",
                                      &added, &removed, diag), ZX_OK, "%s",
                 said_all());
}

/* Sets one field of the programme's settings document. */
static void set(const char *programme, const char *path, json_t *v)
{
    json_t *doc;
    char obj[32];
    const char *dot = strchr(path, '.');

    cr_assert_eq(zx_pairing_settings_get(db, programme, &doc), ZX_OK);
    if (dot) {
        snprintf(obj, sizeof(obj), "%.*s", (int)(dot - path), path);
        json_object_set_new(json_object_get(doc, obj), dot + 1, v);
    } else {
        json_object_set_new(doc, path, v);
    }
    cr_assert_eq(zx_pairing_settings_put(db, programme, doc, "test", diag),
                 ZX_OK, "%s", said_all());
    json_decref(doc);
}

static void propose(struct got *g, zx_pairing_outcome *o)
{
    memset(g, 0, sizeof(*g));
    cr_assert_eq(zx_pairing_propose(db, NULL, "subject_leaders", 2021, "test",
                                    o, collect, g, diag), ZX_OK, "%s",
                 said_all());
}

/* ---- pools ---- */

Test(pairing, fill_by_definition)
{
    const char *want_mentors = "M1 M2 M3", *want_mentees = "E1 E2 E3 E4";
    char mentors[64] = "", mentees[64] = "";
    sqlite3_stmt *st;

    fill("subject_leaders");
    cr_assert_eq(sqlite3_prepare_v2(zx_db_sqlite(db),
                 "SELECT p.side, t.teacher_no FROM pairing_pool p JOIN teacher"
                 " t ON t.id = p.teacher_id ORDER BY p.side, t.teacher_no",
                 -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        char *to = strcmp((const char *)sqlite3_column_text(st, 0),
                          "mentor") == 0 ? mentors : mentees;

        if (*to)
            strcat(to, " ");
        strcat(to, (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    cr_assert_str_eq(mentors, want_mentors);
    cr_assert_str_eq(mentees, want_mentees);
    /* a second fill changes nothing */
    {
        int added = -1, removed = -1;

        cr_assert_eq(zx_pairing_pool_fill(db, plan, "subject_leaders", 2021,
                                          "test", &added, &removed, diag),
                     ZX_OK);
        cr_assert_eq(added, 0);
        cr_assert_eq(removed, 0);
    }
    cr_assert_eq(count("SELECT count(*) FROM audit WHERE tbl = 'pairing_pool'"
                       " AND action = 'fill'"), 2);
}

Test(pairing, schools_and_people)
{
    fill("studios");  /* nobody holds 名师工作室领衔人: no mentors */
    cr_assert_eq(count("SELECT count(*) FROM pairing_pool WHERE programme ="
                       " 'studios' AND side = 'mentor'"), 0);
    cr_assert_eq(count("SELECT count(*) FROM pairing_pool WHERE programme ="
                       " 'studios' AND side = 'mentee' AND school_id IS NOT"
                       " NULL"), 3);
    fill("leaders");
    cr_assert_eq(zx_pairing_pool_add(db, "leaders", 1, "王局长", 1, "test",
                                     diag), ZX_OK, "%s", said_all());
    cr_assert_eq(zx_pairing_pool_add(db, "leaders", 1, "王局长", 1, "test",
                                     diag), ZX_EEXIST);
    cr_assert_eq(zx_pairing_pool_add(db, "leaders", 0, "9999999999", 0,
                                     "test", diag), ZX_ENOTFOUND);
    /* a person stays when the pool is filled again */
    fill("leaders");
    cr_assert_eq(count("SELECT count(*) FROM pairing_pool WHERE programme ="
                       " 'leaders' AND name = '王局长'"), 1);
    cr_assert_eq(zx_pairing_pool_remove(db, "leaders", "王局长", "test",
                                        diag), ZX_OK);
    cr_assert_eq(zx_pairing_pool_remove(db, "leaders", "王局长", "test",
                                        diag), ZX_ENOTFOUND);
}

/* ---- settings ---- */

Test(pairing, settings_checked)
{
    json_t *doc;

    cr_assert_eq(zx_pairing_settings_get(db, "nope", &doc), ZX_ENOTFOUND);
    cr_assert_eq(zx_pairing_settings_get(db, "subject_leaders", &doc), ZX_OK);
    json_object_set_new(json_object_get(doc, "weights"), "speed",
                        json_integer(1));
    json_object_set_new(doc, "pins", json_pack("[[s,s],[s,s]]", "M1", "E1",
                                               "M1", "E2"));
    json_object_set_new(doc, "forbids", json_pack("[[s,s]]", "M1", "E1"));
    cr_assert_eq(zx_pairing_settings_put(db, "subject_leaders", doc, "test",
                                         diag), ZX_EDATA);
    cr_assert(strstr(tu_diag_text(diag, 1), "speed"));
    cr_assert(strstr(tu_diag_text(diag, 1), "两次"));
    cr_assert(strstr(tu_diag_text(diag, 1), "既被指定又被禁止"));
    json_decref(doc);
    cr_assert_eq(count("SELECT count(*) FROM meta WHERE key LIKE 'pairing:%'"),
                 0);
}

/* ---- proposals ---- */

Test(pairing, required_matches)
{
    struct got g;
    zx_pairing_outcome o;
    int i;

    fill("subject_leaders");
    propose(&g, &o);
    cr_assert_eq(o.pairs, 3);
    cr_assert_eq(o.mentees_left, 1);
    cr_assert_eq(o.mentors_left, 0);
    /* 语文 only with 语文, 初中 only with 初中 */
    cr_assert_str_eq(pair_of(&g, "M2"), "M2:E3");
    cr_assert_str_eq(pair_of(&g, "M3"), "M3:E4");
    for (i = 0; i < g.n; i++)
        cr_assert(strstr(g.explain[i], "同学科 ✓, 同学段 ✓"), "%s",
                  g.explain[i]);
    cr_assert_eq(count("SELECT count(*) FROM pairing WHERE status ="
                       " 'proposed'"), 3);
    /* with 乡村中学's only 初中 mentee gone, M3 stays alone rather than
     * cross a stage */
    cr_assert_eq(zx_pairing_pool_remove(db, "subject_leaders", "E4", "test",
                                        diag), ZX_OK);
    propose(&g, &o);
    cr_assert_eq(o.pairs, 2);
    cr_assert_eq(o.mentors_left, 1);
    cr_assert_null(pair_of(&g, "M3"));
}

Test(pairing, weights_move_the_proposal)
{
    struct got g;

    fill("subject_leaders");
    /* the same group weighs more than ~10 km: E1 at 乡村一小 */
    propose(&g, NULL);
    cr_assert_str_eq(pair_of(&g, "M1"), "M1:E1");
    cr_assert(strstr(g.explain[0], "同集团 −20"), "%s", g.explain[0]);
    cr_assert(strstr(g.explain[0], "距离 12.7 km +12.7"), "%s", g.explain[0]);
    cr_assert(fabs(g.cost[0] - (-20 + 12.7)) < 1e-9, "%g", g.cost[0]);
    /* distance dominates: the nearer E2 */
    set("subject_leaders", "weights.group", json_integer(5));
    propose(&g, NULL);
    cr_assert_str_eq(pair_of(&g, "M1"), "M1:E2");
    cr_assert(strstr(g.explain[0], "距离 2.2 km +2.2"), "%s", g.explain[0]);
    /* distance unknown at 乡村中学: said, and free */
    cr_assert(strstr(g.explain[2], "距离未知"), "%s", g.explain[2]);
}

Test(pairing, weaker_school_first)
{
    zx_engine *eng;
    struct got g;

    fill("subject_leaders");
    set("subject_leaders", "weights.weak", json_integer(30));
    cr_assert_eq(zx_engine_open(db, plan, &eng, diag), ZX_OK, "%s",
                 said_all());
    memset(&g, 0, sizeof(g));
    cr_assert_eq(zx_pairing_propose(db, eng, "subject_leaders", 2021, "test",
                                    NULL, collect, &g, diag), ZX_OK, "%s",
                 said_all());
    /* 乡村二小 is behind on the seed indicator, 乡村一小 is not */
    cr_assert_str_eq(pair_of(&g, "M1"), "M1:E2");
    cr_assert(strstr(g.explain[0], "薄弱学校（滞后 1 项） −30"), "%s",
              g.explain[0]);
    zx_engine_close(eng);
}

Test(pairing, pins_and_forbids)
{
    struct got g;

    fill("subject_leaders");
    set("subject_leaders", "forbids", json_pack("[[s,s]]", "M1", "E1"));
    propose(&g, NULL);
    cr_assert_str_eq(pair_of(&g, "M1"), "M1:E2");
    set("subject_leaders", "forbids", json_array());
    set("subject_leaders", "pins", json_pack("[[s,s]]", "M1", "E2"));
    propose(&g, NULL);
    cr_assert_str_eq(pair_of(&g, "M1"), "M1:E2");
    cr_assert(g.pinned[0]);
    /* a pin across subjects cannot be kept */
    set("subject_leaders", "pins", json_pack("[[s,s]]", "M2", "E1"));
    cr_assert_eq(zx_pairing_propose(db, NULL, "subject_leaders", 2021, "test",
                                    NULL, NULL, NULL, diag), ZX_EDATA);
    cr_assert(strstr(said_all(), "学科不同"), "%s", said_all());
    /* nothing changed: the earlier proposal stands */
    cr_assert_eq(count("SELECT count(*) FROM pairing WHERE status ="
                       " 'proposed'"), 3);
}

Test(pairing, more_mentors_than_mentees)
{
    struct got g;
    zx_pairing_outcome o;

    fill("subject_leaders");
    cr_assert_eq(zx_pairing_pool_remove(db, "subject_leaders", "E1", "test",
                                        diag), ZX_OK);
    cr_assert_eq(zx_pairing_pool_remove(db, "subject_leaders", "E3", "test",
                                        diag), ZX_OK);
    cr_assert_eq(zx_pairing_pool_remove(db, "subject_leaders", "E4", "test",
                                        diag), ZX_OK);
    propose(&g, &o);
    cr_assert_eq(o.pairs, 1);
    cr_assert_eq(o.mentors_left, 2);
    cr_assert_eq(o.mentees_left, 0);
    cr_assert_str_eq(g.pair[0], "M1:E2");
}

Test(pairing, accepted_pairs_kept)
{
    struct got g;
    zx_pairing_outcome o;
    long long id;
    int n;

    fill("subject_leaders");
    propose(&g, &o);
    id = g.id[0];
    cr_assert_str_eq(g.pair[0], "M1:E1");
    cr_assert_eq(zx_pairing_accept(db, "subject_leaders", &id, 1,
                                   "2021-03-01", "test", &n, diag), ZX_OK);
    cr_assert_eq(n, 1);
    cr_assert_eq(zx_pairing_accept(db, "subject_leaders", &id, 1,
                                   "2021-03-01", "test", &n, diag), ZX_EDATA);
    /* with weights that would now give M1 the nearer E2, the accepted
     * pair stays, and neither of its members is offered to anyone else */
    set("subject_leaders", "weights.group", json_integer(5));
    propose(&g, &o);
    cr_assert_eq(o.kept, 1);
    cr_assert_eq(o.pairs, 2);
    cr_assert_null(pair_of(&g, "M1"));
    cr_assert_eq(count("SELECT count(*) FROM pairing WHERE status ="
                       " 'accepted' AND accepted_on = '2021-03-01'"), 1);
    cr_assert_eq(count("SELECT count(*) FROM pairing p JOIN pairing_pool e"
                       " ON e.id = p.mentee_id JOIN teacher t ON t.id ="
                       " e.teacher_id WHERE t.teacher_no = 'E1'"), 1);
    /* a member of an accepted pair cannot leave the pool */
    cr_assert_eq(zx_pairing_pool_remove(db, "subject_leaders", "E1", "test",
                                        diag), ZX_EDATA);
    /* the listing shows accepted pairs first */
    memset(&g, 0, sizeof(g));
    cr_assert_eq(zx_pairing_list(db, NULL, "subject_leaders", 2021, collect,
                                 &g, diag), ZX_OK);
    cr_assert_eq(g.n, 3);
    cr_assert_str_eq(g.pair[0], "M1:E1");
}

Test(pairing, edit_rechecks)
{
    struct got g;

    fill("subject_leaders");
    propose(&g, NULL);
    cr_assert_str_eq(g.pair[0], "M1:E1");
    /* E3 teaches 语文 */
    cr_assert_eq(zx_pairing_edit(db, g.id[0], NULL, "E3", "test", diag),
                 ZX_EDATA);
    /* E4 is in another pair */
    zx_diag_clear(diag);
    cr_assert_eq(zx_pairing_edit(db, g.id[0], NULL, "E4", "test", diag),
                 ZX_EDATA);
    cr_assert(strstr(said_all(), "另一对"), "%s", said_all());
    cr_assert_eq(zx_pairing_edit(db, g.id[0], NULL, "E2", "test", diag),
                 ZX_OK, "%s", said_all());
    memset(&g, 0, sizeof(g));
    cr_assert_eq(zx_pairing_list(db, NULL, "subject_leaders", 2021, collect,
                                 &g, diag), ZX_OK);
    cr_assert_str_eq(pair_of(&g, "M1"), "M1:E2");
}

struct city_figure {
    double n, d;
};

static int city_figure(void *ctx, const zx_result *r)
{
    struct city_figure *f = ctx;

    f->n = r->numerator;
    f->d = r->denominator;
    return 0;
}

Test(pairing, activities_and_stats)
{
    zx_pairing_stats s;
    struct got g;
    long long act;

    fill("subject_leaders");
    propose(&g, NULL);
    cr_assert_eq(zx_pairing_activity_add(db, g.id[0], "visit", "2021-03-10",
                                         NULL, "test", &act, diag), ZX_EDATA);
    cr_assert_eq(zx_pairing_accept(db, "subject_leaders", NULL, 0,
                                   "2021-02-01", "test", NULL, diag), ZX_OK);
    cr_assert_eq(zx_pairing_activity_add(db, g.id[0], "fly", "2021-03-10",
                                         NULL, "test", &act, diag),
                 ZX_EINVAL);
    cr_assert_eq(zx_pairing_activity_add(db, g.id[0], "visit", "2021-02-30",
                                         NULL, "test", &act, diag),
                 ZX_EINVAL);
    cr_assert_eq(zx_pairing_activity_add(db, g.id[0], "visit", "2021-03-10",
                                         "送教下乡", "test", &act, diag),
                 ZX_OK);
    cr_assert_eq(zx_pairing_activity_add(db, g.id[0], "听评课", "2021-05-10",
                                         NULL, "test", &act, diag), ZX_OK);
    /* last term's activity does not count for this one */
    cr_assert_eq(zx_pairing_activity_add(db, g.id[1], "help", "2020-12-01",
                                         NULL, "test", &act, diag), ZX_OK);
    cr_assert_eq(count("SELECT count(*) FROM pairing_activity WHERE kind ="
                       " '走访' AND note = '送教下乡'"), 1);

    cr_assert_eq(zx_pairing_stats_get(db, "subject_leaders", "2021-06-30",
                                      &s), ZX_OK);
    cr_assert_str_eq(s.term_from, "2021-01-01");
    cr_assert_str_eq(s.term_to, "2021-06-30");
    cr_assert_eq(s.mentors, 3);
    cr_assert_eq(s.mentees, 4);
    cr_assert_eq(s.mentors_accepted, 3);
    cr_assert_eq(s.mentees_accepted, 3);
    cr_assert_eq(s.mentees_proposed, 0);
    cr_assert_eq(s.accepted, 3);
    cr_assert_eq(s.proposed, 0);
    cr_assert_eq(s.active, 1);
    cr_assert_eq(s.coverage, 0.75);
    cr_assert_eq(s.active_share, 1.0 / 3);
    cr_assert_eq(zx_pairing_stats_get(db, "subject_leaders", "2020-12-31",
                                      &s), ZX_OK);
    cr_assert_str_eq(s.term_from, "2020-07-01");
    cr_assert_eq(s.active, 1);
    cr_assert_eq(count("SELECT count(*) FROM audit WHERE tbl ="
                       " 'pairing_activity'"), 3);
    /* the plan's indicator of pairs at work reads the same activities,
     * by year: one of the three paired mentors was active in 2021 */
    {
        zx_engine *eng = NULL;
        struct city_figure f = { 0 };

        cr_assert_eq(zx_engine_open(db, plan, &eng, diag), ZX_OK);
        cr_assert_eq(zx_engine_eval(eng, zx_plan_indicator(plan, "pair-active"),
                                    2021, 1u << ZX_LEVEL_CITY, 0, city_figure,
                                    &f), ZX_OK);
        cr_assert_eq(f.n, 1);
        cr_assert_eq(f.d, 3);
        zx_engine_close(eng);
    }
    {
        long long bad = 0;

        cr_assert_eq(zx_audit_verify(db, &bad), ZX_OK);
    }
}
