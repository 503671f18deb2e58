/*
 * test_redistrib.c - redistribution of surplus teachers
 * (src/core/redistrib.c): the flow against brute force on small random
 * instances, then proposals on a hand-built registry (defaults of
 * rules.c: primary 1:19, junior 1:13.5, small schools 2 / 3 per class;
 * 数学 4.5 lessons a week per primary class, 5 per junior class, load 14
 * and 12; move_km 5, unfilled_km 1,000):
 *
 *   甲小学 211 村庄 (121.00, 32.00): 950 students, 30 classes, norm 50;
 *     48 语文 + 12 数学 (one 备案制) = 60 -> 超编比较严重 (60 > 55)
 *     数学 need 30 x 4.5 / 14 = 9.64, surplus 2.36 -> 2 may move
 *   乙小学 211 (121.10, 32.00), 9.4 km away: 380 students, 12 classes,
 *     small: norm max(20, 24) = 24; 20 语文 + 2 数学 = 22 -> 缺编
 *     数学 need 12 x 4.5 / 14 = 3.86, short 1.86 -> takes 2
 *   丙中学 311 (121.05, 32.00), 4.7 km away: 270 students, 9 classes,
 *     small: norm max(20, 27) = 27; 20 语文 + 1 数学 = 21 -> 缺编
 *     数学 need 9 x 5 / 12 = 3.75, short 2.75 -> takes 3
 * 0.05 degrees of longitude at 32 N: 111.19 x cos 32 x 0.05 = 4.71 km.
 */
#include "testutil.h"

#include <math.h>

#include "geo.h"
#include "redistrib.h"
#include "rules.h"

static zx_db *db;

/* ---- brute force ------------------------------------------------------ */

static unsigned rng_state;

static int rnd(int n)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return (int)((rng_state >> 16) % (unsigned)n);
}

/* One movable teacher of the instance: its offer and stage. */
struct unit {
    int offer, stage;
};

struct brute {
    const zx_redistrib_instance *in;
    const zx_rules *r;
    struct unit u[8];
    int nu, pick[8];
    int64_t best;
};

static int allowed(const struct brute *b, const struct unit *u, int j,
                   double *km)
{
    const zx_redistrib_instance *in = b->in;
    const zx_redistrib_offer *o = &in->offers[u->offer];
    const zx_redistrib_need *d = &in->needs[j];
    double max_km = zx_rules_value(b->r, "max_km");
    int cross, i;

    if (d->subject != o->subject || d->site == o->site)
        return 0;
    for (i = 0; i < in->nforbidden; i++)
        if (in->forbidden[2 * i] == o->site &&
            in->forbidden[2 * i + 1] == d->site)
            return 0;
    if (!zx_redistrib_stage_ok(b->r, u->stage, &in->sites[d->site], &cross))
        return 0;
    *km = zx_redistrib_km(&in->sites[o->site], &in->sites[d->site]);
    return !(max_km > 0 && *km > max_km);
}

/* The cost of b->pick (-1: stays), or -1 when it breaks a constraint. */
static int64_t cost_of(const struct brute *b)
{
    const zx_redistrib_instance *in = b->in;
    int off[16] = { 0 }, site[16] = { 0 }, need[16] = { 0 }, total = 0;
    int64_t quota = (int64_t)zx_rules_value(b->r, "quota.total");
    int64_t per = (int64_t)zx_rules_value(b->r, "quota.school");
    int64_t cost = 0;
    int i, j, filled = 0, units = 0;
    double km;

    for (i = 0; i < b->nu; i++) {
        if ((j = b->pick[i]) < 0)
            continue;
        if (!allowed(b, &b->u[i], j, &km))
            return -1;
        off[b->u[i].offer]++;
        site[in->offers[b->u[i].offer].site]++;
        need[j]++;
        total++;
        cost += zx_redistrib_move_cost(b->r, km);
    }
    if (quota > 0 && total > quota)
        return -1;
    for (i = 0; i < in->noffers; i++)
        if (off[i] > in->offers[i].units)
            return -1;
    for (i = 0; i < in->nsites; i++)
        if (site[i] > in->sites[i].spare || (per > 0 && site[i] > per))
            return -1;
    for (j = 0; j < in->nneeds; j++) {
        if (need[j] > in->needs[j].units)
            return -1;
        filled += need[j];
        units += in->needs[j].units;
    }
    return cost + (int64_t)(units - filled) *
                      zx_redistrib_unfilled_cost(b->r);
}

static void enumerate(struct brute *b, int i)
{
    int64_t c;
    int j;

    if (i == b->nu) {
        if ((c = cost_of(b)) >= 0 && (b->best < 0 || c < b->best))
            b->best = c;
        return;
    }
    for (j = -1; j < b->in->nneeds; j++) {
        b->pick[i] = j;
        enumerate(b, i + 1);
    }
}

/* The solution's flows recomputed: within every capacity, and of the
 * cost the solver reports. */
static void check_solution(const zx_redistrib_instance *in,
                           const zx_rules *r,
                           const zx_redistrib_solution *s)
{
    int off[16] = { 0 }, stage[16][8], need[16] = { 0 }, i, moves = 0;
    int64_t cost = 0;
    int units = 0;

    memset(stage, 0, sizeof(stage));
    for (i = 0; i < s->nflows; i++) {
        const zx_redistrib_flow *f = &s->flows[i];

        cr_assert_gt(f->count, 0);
        off[f->offer] += f->count;
        stage[f->offer][f->stage] += f->count;
        need[f->need] += f->count;
        moves += f->count;
        cost += f->count * zx_redistrib_move_cost(r, f->km);
    }
    for (i = 0; i < in->noffers; i++) {
        int st;

        cr_assert_leq(off[i], in->offers[i].units);
        for (st = 0; st < 8; st++)
            cr_assert_leq(stage[i][st], in->offers[i].by_stage[st],
                          "a teacher moves at most once");
    }
    for (i = 0; i < in->nneeds; i++) {
        cr_assert_leq(need[i], in->needs[i].units);
        units += in->needs[i].units;
    }
    cr_assert_eq(moves, s->moves);
    cr_assert_eq(units - moves, s->unfilled);
    cr_assert_eq(cost + (int64_t)s->unfilled * zx_redistrib_unfilled_cost(r),
                 s->cost);
}

static void setup_db(void)
{
    db = tu_db(tu_tmpdir());
}

static void teardown_db(void)
{
    zx_db_close(db);
}

Test(redistrib, flow_matches_brute_force, .init = setup_db,
     .fini = teardown_db)
{
    static const int subjects[] = { 14, 24 };
    int trial, nonzero = 0, unfilled_seen = 0;

    rng_state = 7;
    for (trial = 0; trial < 400; trial++) {
        zx_redistrib_site sites[4];
        zx_redistrib_offer offers[3];
        zx_redistrib_need needs[4];
        int forb[4], i, teachers = 0;
        zx_redistrib_instance in;
        zx_redistrib_solution sol;
        struct brute b;
        zx_rules *r = NULL;

        cr_assert_eq(zx_rules_load(db, "redistribution", 2021, &r), ZX_OK);
        cr_assert_eq(zx_rules_override(r, "move_km", rnd(3) * 4), ZX_OK);
        cr_assert_eq(zx_rules_override(r, "unfilled_km",
                                       rnd(2) ? 1000 : 4 + rnd(12)), ZX_OK);
        cr_assert_eq(zx_rules_override(r, "quota.total", rnd(4)), ZX_OK);
        cr_assert_eq(zx_rules_override(r, "quota.school", rnd(3)), ZX_OK);
        cr_assert_eq(zx_rules_override(r, "max_km", rnd(2) ? 0 : 15),
                     ZX_OK);
        cr_assert_eq(zx_rules_override(r, "cross_stage", rnd(2)), ZX_OK);
        memset(&in, 0, sizeof(in));
        for (i = 0; i < 4; i++) {
            sites[i].lon = 121.0 + rnd(30) / 100.0;
            sites[i].lat = 31.8 + rnd(20) / 100.0;
            sites[i].stages = rnd(3) == 0 ? 1u << 2 | 1u << 3
                              : rnd(2) ? 1u << 2 : 1u << 3;
            sites[i].spare = 1 + rnd(3);
        }
        in.nsites = 4;
        in.noffers = 1 + rnd(3);
        for (i = 0; i < in.noffers; i++) {
            memset(&offers[i], 0, sizeof(offers[i]));
            offers[i].site = rnd(4);
            offers[i].subject = subjects[rnd(2)];
            offers[i].by_stage[2] = rnd(3);
            if (teachers + offers[i].by_stage[2] > 6)
                offers[i].by_stage[2] = 6 - teachers;
            teachers += offers[i].by_stage[2];
            offers[i].by_stage[3] = rnd(7 - teachers);
            teachers += offers[i].by_stage[3];
            offers[i].units = 1 + rnd(3);
        }
        in.nneeds = 1 + rnd(4);
        for (i = 0; i < in.nneeds; i++) {
            needs[i].site = rnd(4);
            needs[i].subject = subjects[rnd(2)];
            needs[i].units = 1 + rnd(2);
        }
        in.nforbidden = rnd(3);
        for (i = 0; i < in.nforbidden; i++) {
            forb[2 * i] = rnd(4);
            forb[2 * i + 1] = rnd(4);
        }
        in.sites = sites;
        in.offers = offers;
        in.needs = needs;
        in.forbidden = forb;

        memset(&b, 0, sizeof(b));
        b.in = &in;
        b.r = r;
        b.best = -1;
        for (i = 0; i < in.noffers; i++) {
            int st, k;

            for (st = 0; st < 8; st++)
                for (k = 0; k < offers[i].by_stage[st]; k++) {
                    b.u[b.nu].offer = i;
                    b.u[b.nu++].stage = st;
                }
        }
        cr_assert_leq(b.nu, 6);
        enumerate(&b, 0);
        cr_assert_eq(zx_redistrib_solve(&in, r, &sol), ZX_OK);
        cr_assert_eq(sol.cost, b.best, "trial %d: flow %lld, brute force %lld",
                     trial, (long long)sol.cost, (long long)b.best);
        check_solution(&in, r, &sol);
        nonzero += sol.moves > 0;
        unfilled_seen += sol.moves > 0 && sol.unfilled > 0;
        zx_redistrib_solution_free(&sol);
        zx_rules_free(r);
    }
    /* the instances are not all trivial */
    cr_assert_gt(nonzero, 100, "%d", nonzero);
    cr_assert_gt(unfilled_seen, 20, "%d", unfilled_seen);
}

/* A move dearer than leaving the shortage open is not made. */
Test(redistrib, no_move_costs_more_than_the_gap, .init = setup_db,
     .fini = teardown_db)
{
    zx_redistrib_site sites[2] = {
        { 121.0, 32.0, 1u << 2, 5 }, { 121.1, 32.0, 1u << 2, 0 },
    };
    zx_redistrib_offer offer = { 0, 14, 2, { 0, 0, 2 } };
    zx_redistrib_need need = { 1, 14, 1 };
    zx_redistrib_instance in = { sites, 2, &offer, 1, &need, 1, NULL, 0 };
    zx_redistrib_solution sol;
    zx_rules *r = NULL;

    cr_assert_eq(zx_rules_load(db, "redistribution", 2021, &r), ZX_OK);
    cr_assert_eq(zx_redistrib_solve(&in, r, &sol), ZX_OK);
    /* 9.4 km + 5 < 1,000 km: one move, 144 tenths of a km */
    cr_assert_eq(sol.moves, 1);
    cr_assert_eq(sol.cost, 94 + 50);
    zx_redistrib_solution_free(&sol);
    /* unfilled at 14 km: 9.4 + 5 = 14.4 is dearer, nobody moves */
    cr_assert_eq(zx_rules_override(r, "unfilled_km", 14), ZX_OK);
    cr_assert_eq(zx_redistrib_solve(&in, r, &sol), ZX_OK);
    cr_assert_eq(sol.moves, 0);
    cr_assert_eq(sol.unfilled, 1);
    zx_redistrib_solution_free(&sol);
    zx_rules_free(r);
}

/* ---- proposals in the database ------------------------------------------ */

static const char plan_text[] =
    TU_PLAN_HEAD("test-redistrib")
    "  settings:\n"
    "    overstaffed_ratio: 1.1\n"
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
    "    milestones: {2020: 0, 2021: 0, 2022: 0}\n";

static zx_plan *plan;
static int next_no;

/* n 在编 teachers of school, stage and subject, since 2010. */
static void many(const char *school, int n, int stage, int subject)
{
    const zx_teacher_rec t = { NULL, "教师", 1, "1980-01", school, stage,
                               subject, 3, 1, 1, 2010, 0 };

    tu_put_numbered(db, &t, n, "X", &next_no);
}

static void setup(void)
{
    static const zx_school_rec schools[] = {
        { .code = "3206840001", .name = "甲小学", .town = "甲镇",
          .type_code = 211, .urban_rural = 220, .town_seat = 1, .owner = 21,
          .has_lonlat = 1, .lon = 121.0, .lat = 32.0 },
        { .code = "3206840002", .name = "乙小学", .town = "乙镇",
          .type_code = 211, .urban_rural = 220, .town_seat = 1, .owner = 21,
          .has_lonlat = 1, .lon = 121.1, .lat = 32.0 },
        { .code = "3206840003", .name = "丙中学", .town = "乙镇",
          .type_code = 311, .urban_rural = 220, .town_seat = 1, .owner = 21,
          .has_lonlat = 1, .lon = 121.05, .lat = 32.0 },
    };
    static const zx_enrol_rec enrol[] = {
        { "3206840001", 2021, 950, 30, 0, 0 },
        { "3206840002", 2021, 380, 12, 0, 0 },
        { "3206840003", 2021, 270, 9, 0, 0 },
    };
    /* who moves first: fewest years at the school, then the youngest;
     * T4 arrived last but is 备案制 and does not move */
    static const zx_teacher_rec movers[] = {
        { "T1", "T1", 1, "1990-01", "3206840001", 2, 14, 3, 1, 1, 2020, 0 },
        { "T2", "T2", 1, "1995-01", "3206840001", 2, 14, 3, 1, 1, 2020, 0 },
        { "T3", "T3", 1, "1999-01", "3206840001", 2, 14, 3, 1, 1, 2019, 0 },
        { "T4", "T4", 1, "1999-01", "3206840001", 2, 14, 3, 2, 1, 2021, 0 },
    };

    next_no = 0;
    setup_db();
    plan = tu_plan(plan_text);
    tu_registry_fill(db, &(tu_city){ .schools = TU_LIST(schools),
                                     .enrol = TU_LIST(enrol) });
    many("3206840001", 48, 2, 13);
    many("3206840001", 8, 2, 14);
    tu_registry_fill(db, &(tu_city){ .teachers = TU_LIST(movers) });
    many("3206840002", 20, 2, 13);
    many("3206840002", 2, 2, 14);
    many("3206840003", 20, 3, 13);
    many("3206840003", 1, 3, 14);
}

static void teardown(void)
{
    zx_plan_free(plan);
    teardown_db();
}

struct moves {
    char text[4096];
    long long ids[16];
    int n;
};

static int add_move(void *ctx, const zx_redistrib_move *m)
{
    struct moves *l = ctx;

    snprintf(l->text + strlen(l->text), sizeof(l->text) - strlen(l->text),
             "%s %s %s->%s %d %s\n", m->status, m->teacher_no, m->from_code,
             m->to_code, m->cross_stage, m->reason);
    l->ids[l->n++] = m->id;
    return 0;
}

static void list(struct moves *l)
{
    memset(l, 0, sizeof(*l));
    cr_assert_eq(zx_redistrib_list(db, 2021, add_move, l), ZX_OK);
}

static void set(const char *key, double v)
{
    cr_assert_eq(zx_rules_set(db, "redistribution", 2021, key, v, NULL,
                              "test"), ZX_OK);
}

TestSuite(proposal, .init = setup, .fini = teardown);

Test(proposal, nearest_shortage_across_stages_with_reasons)
{
    zx_redistrib_outcome o;
    struct moves l;

    cr_assert_eq(zx_redistrib_propose(db, plan, 2021, "test", &o), ZX_OK);
    /* 2 teachers may move, across stages to 丙中学, nearer than 乙小学 */
    cr_assert_eq(o.moves, 2);
    cr_assert_eq(o.kept, 0);
    cr_assert_eq(o.km, 9.4);
    list(&l);
    cr_assert_str_eq(l.text,
        "proposed T1 3206840001->3206840003 1 超编比较严重学校 甲小学 数学超"
        " 2.36 人 → 丙中学 数学缺 2.75 人，距离 4.7 km（跨学段：小学→初中）\n"
        "proposed T2 3206840001->3206840003 1 超编比较严重学校 甲小学 数学超"
        " 2.36 人 → 丙中学 数学缺 2.75 人，距离 4.7 km（跨学段：小学→初中）\n");
}

Test(proposal, same_stage_only_without_the_flag)
{
    zx_redistrib_outcome o;
    struct moves l;

    set("cross_stage", 0);
    cr_assert_eq(zx_redistrib_propose(db, plan, 2021, "test", &o), ZX_OK);
    list(&l);
    cr_assert_str_eq(l.text,
        "proposed T1 3206840001->3206840002 0 超编比较严重学校 甲小学 数学超"
        " 2.36 人 → 乙小学 数学缺 1.86 人，距离 9.4 km\n"
        "proposed T2 3206840001->3206840002 0 超编比较严重学校 甲小学 数学超"
        " 2.36 人 → 乙小学 数学缺 1.86 人，距离 9.4 km\n");
}

Test(proposal, quotas_and_forbidden_moves)
{
    zx_redistrib_outcome o;
    struct moves l;

    /* one move in the year: the first in order, T2, to the nearest */
    set("quota.total", 1);
    cr_assert_eq(zx_redistrib_propose(db, plan, 2021, "test", &o), ZX_OK);
    cr_assert_eq(o.moves, 1);
    list(&l);
    cr_assert(strstr(l.text, "proposed T2 3206840001->3206840003"), "%s",
              l.text);
    /* 甲 -> 丙 forbidden: both go to 乙 */
    set("quota.total", 0);
    cr_assert_eq(zx_redistrib_forbid(db, "3206840001", "3206840003", 0,
                                     "test"), ZX_OK);
    cr_assert_eq(zx_redistrib_propose(db, plan, 2021, "test", &o), ZX_OK);
    list(&l);
    cr_assert_eq(l.n, 2);
    cr_assert(strstr(l.text, "T1 3206840001->3206840002"), "%s", l.text);
    cr_assert(strstr(l.text, "T2 3206840001->3206840002"), "%s", l.text);
    /* farther than 5 km: nobody moves */
    set("max_km", 5);
    cr_assert_eq(zx_redistrib_propose(db, plan, 2021, "test", &o), ZX_OK);
    cr_assert_eq(o.moves, 0);
    list(&l);
    cr_assert_eq(l.n, 0);
    /* the forbidden pair removed: 丙 is within 5 km again */
    cr_assert_eq(zx_redistrib_forbid(db, "3206840001", "3206840003", 1,
                                     "test"), ZX_OK);
    cr_assert_eq(zx_redistrib_propose(db, plan, 2021, "test", &o), ZX_OK);
    cr_assert_eq(o.moves, 2);
    cr_assert_eq(zx_redistrib_forbid(db, "3206840001", "9999999999", 0,
                                     "test"), ZX_ENOTFOUND);
}

Test(proposal, accepted_moves_are_kept_and_teachers_move_once)
{
    zx_redistrib_outcome o;
    struct moves l;
    long long bad = 999;
    int done;

    set("quota.total", 1);
    cr_assert_eq(zx_redistrib_propose(db, plan, 2021, "test", &o), ZX_OK);
    list(&l);
    cr_assert_eq(l.n, 1);
    cr_assert_eq(zx_redistrib_accept(db, 2021, &bad, 1, "test", &done),
                 ZX_ENOTFOUND);
    cr_assert_eq(zx_redistrib_accept(db, 2021, l.ids, 1, "test", &done),
                 ZX_OK);
    cr_assert_eq(done, 1);
    /* accepted again: no longer a proposal */
    cr_assert_eq(zx_redistrib_accept(db, 2021, l.ids, 1, "test", &done),
                 ZX_ENOTFOUND);
    /* the accepted T2 used one unit of 甲's surplus and of 丙's need:
     * one more move (T1), T2 never proposed twice */
    set("quota.total", 0);
    cr_assert_eq(zx_redistrib_propose(db, plan, 2021, "test", &o), ZX_OK);
    cr_assert_eq(o.moves, 1);
    cr_assert_eq(o.kept, 1);
    list(&l);
    cr_assert_eq(l.n, 2);
    cr_assert(strncmp(l.text, "accepted T2 3206840001->3206840003", 34) == 0,
              "%s", l.text);
    cr_assert(strstr(l.text, "proposed T1 3206840001->3206840003"), "%s",
              l.text);
    /* accepting does not move the teacher in the registry */
    cr_assert_eq(zx_db_int(db, "SELECT count(*) FROM teacher t JOIN org_unit"
                               " u ON u.id = t.school_id WHERE t.teacher_no"
                               " = 'T2' AND u.code = ?1", "3206840001", -1),
                 1);
    cr_assert_eq(zx_redistrib_accept(db, 2021, NULL, 0, "test", &done),
                 ZX_OK);
    cr_assert_eq(done, 1);
    cr_assert_eq(zx_db_int(db, "SELECT count(*) FROM audit WHERE tbl ="
                               " 'redistribution' AND action = ?1", "accept",
                           -1), 2);
}
