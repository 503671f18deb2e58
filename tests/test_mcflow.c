/*
 * test_mcflow.c - the min-cost flow solver against brute force (every
 * integral flow of tiny random graphs, negative costs included, and
 * negative cycles refused), against an independent reference on larger
 * random graphs (Edmonds-Karp max flow, then Bellman-Ford cycle
 * cancelling), against the assignment solver, known optima, infeasible
 * cases, parallel, zero-cost and zero-capacity arcs, the max-flow-first
 * mode, re-solving and bad arguments.
 */
#include "testutil.h"

#include <stdint.h>

#include "assign.h"
#include "mcflow.h"

static uint64_t rng_state;

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int64_t rndin(int64_t lo, int64_t hi)
{
    return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1));
}

/* ---- a random problem, kept in plain arrays for the references ---- */

#define MAXN 40
#define MAXM 400

struct prob {
    int n, m;
    int64_t sup[MAXN];
    int from[MAXM], to[MAXM];
    int64_t cap[MAXM], cost[MAXM];
};

static zx_mcflow *load(const struct prob *p)
{
    zx_mcflow *g = zx_mcflow_new();
    int v, k, id;

    cr_assert_not_null(g);
    for (v = 0; v < p->n; v++) {
        cr_assert_eq(zx_mcflow_add_node(g, p->sup[v], &id), ZX_OK);
        cr_assert_eq(id, v);
    }
    for (k = 0; k < p->m; k++) {
        cr_assert_eq(zx_mcflow_add_arc(g, p->from[k], p->to[k], p->cap[k],
                                       p->cost[k], &id), ZX_OK);
        cr_assert_eq(id, k);
    }
    return g;
}

/* Checks g's flows: within capacity, each node sending out exactly its
 * supply (exact) or between 0 and it (max mode); returns the amount
 * shipped and puts the cost in *cost. */
static int64_t check_flows(const zx_mcflow *g, const struct prob *p,
                           int exact, int64_t *cost)
{
    int64_t net[MAXN] = { 0 }, shipped = 0, c = 0, f;
    int v, k;

    for (k = 0; k < p->m; k++) {
        f = zx_mcflow_flow(g, k);
        cr_assert(f >= 0 && f <= p->cap[k], "arc %d flow %lld", k,
                  (long long)f);
        net[p->from[k]] += f;
        net[p->to[k]] -= f;
        c += f * p->cost[k];
    }
    for (v = 0; v < p->n; v++) {
        if (exact)
            cr_assert_eq(net[v], p->sup[v], "node %d", v);
        else if (p->sup[v] >= 0)
            cr_assert(net[v] >= 0 && net[v] <= p->sup[v], "node %d", v);
        else
            cr_assert(net[v] <= 0 && net[v] >= p->sup[v], "node %d", v);
        if (net[v] > 0)
            shipped += net[v];
    }
    *cost = c;
    return shipped;
}

/* Is there a cycle of arcs with positive capacity and negative cost?
 * (Floyd-Warshall.) */
static int negative_cycle(const struct prob *p)
{
    int64_t d[MAXN][MAXN];
    const int64_t inf = INT64_MAX / 4;
    int i, j, k;

    for (i = 0; i < p->n; i++)
        for (j = 0; j < p->n; j++)
            d[i][j] = inf;
    for (k = 0; k < p->m; k++)
        if (p->cap[k] > 0 && p->cost[k] < d[p->from[k]][p->to[k]])
            d[p->from[k]][p->to[k]] = p->cost[k];
    for (k = 0; k < p->n; k++)
        for (i = 0; i < p->n; i++)
            for (j = 0; j < p->n; j++)
                if (d[i][k] < inf && d[k][j] < inf &&
                    d[i][k] + d[k][j] < d[i][j])
                    d[i][j] = d[i][k] + d[k][j];
    for (i = 0; i < p->n; i++)
        if (d[i][i] < 0)
            return 1;
    return 0;
}

/* ---- brute force: every integral flow of a tiny graph ---- */

struct bf {
    const struct prob *p;
    int64_t x[MAXM];
    int found_exact, found_max;
    int64_t exact_cost, max_amount, max_cost;
};

static void bf_walk(struct bf *b, int k)
{
    const struct prob *p = b->p;
    int64_t net[MAXN] = { 0 }, c = 0, shipped = 0;
    int v, ok = 1, exact = 1;

    if (k < p->m) {
        for (b->x[k] = 0; b->x[k] <= p->cap[k]; b->x[k]++)
            bf_walk(b, k + 1);
        return;
    }
    for (k = 0; k < p->m; k++) {
        net[p->from[k]] += b->x[k];
        net[p->to[k]] -= b->x[k];
        c += b->x[k] * p->cost[k];
    }
    for (v = 0; v < p->n; v++) {
        if (net[v] != p->sup[v])
            exact = 0;
        if (p->sup[v] >= 0 ? net[v] < 0 || net[v] > p->sup[v]
                           : net[v] > 0 || net[v] < p->sup[v])
            ok = 0;
        if (net[v] > 0)
            shipped += net[v];
    }
    if (exact && (!b->found_exact || c < b->exact_cost)) {
        b->found_exact = 1;
        b->exact_cost = c;
    }
    if (ok && (!b->found_max || shipped > b->max_amount ||
               (shipped == b->max_amount && c < b->max_cost))) {
        b->found_max = 1;
        b->max_amount = shipped;
        b->max_cost = c;
    }
}

static void random_prob(struct prob *p, int n, int m, int64_t maxcap,
                        int64_t lo, int64_t hi)
{
    int v, k;

    p->n = n;
    p->m = m;
    for (v = 0; v < n; v++)
        p->sup[v] = 0;
    for (k = 0; k < m; k++) {
        p->from[k] = (int)rndin(0, n - 1);
        p->to[k] = (int)rndin(0, n - 1);
        p->cap[k] = rndin(0, maxcap);
        p->cost[k] = rndin(lo, hi);
    }
    /* a few units moved between random nodes: supplies that balance */
    for (k = (int)rndin(0, 4); k > 0; k--) {
        p->sup[rndin(0, n - 1)]++;
        p->sup[rndin(0, n - 1)]--;
    }
    /* and sometimes an unbalanced one, for the max mode */
    if (rnd() % 4 == 0)
        p->sup[rndin(0, n - 1)] += rnd() % 2 ? 1 : -1;
}

Test(mcflow, brute_force)
{
    struct prob p;
    struct bf b;
    int t, rc, cycles = 0, exact = 0, infeasible = 0;
    int64_t cost, flow, c2;

    rng_state = 1;
    for (t = 0; t < 3000; t++) {
        zx_mcflow *g;
        random_prob(&p, (int)rndin(1, 5), (int)rndin(0, 6), 3,
                    t % 2 ? -4 : 0, 9);
        memset(&b, 0, sizeof(b));
        b.p = &p;
        bf_walk(&b, 0);
        g = load(&p);
        rc = zx_mcflow_solve(g, &cost);
        if (negative_cycle(&p)) {
            cr_assert_eq(rc, ZX_EINVAL, "case %d", t);
            cr_assert_eq(zx_mcflow_solve_max(g, &flow, &cost), ZX_EINVAL);
            cr_assert_eq(zx_mcflow_flow(g, 0), 0);
            cycles++;
            zx_mcflow_free(g);
            continue;
        }
        if (b.found_exact) {
            cr_assert_eq(rc, ZX_OK, "case %d", t);
            cr_assert_eq(cost, b.exact_cost, "case %d: %lld, brute %lld", t,
                         (long long)cost, (long long)b.exact_cost);
            check_flows(g, &p, 1, &c2);
            cr_assert_eq(c2, cost);
            exact++;
        } else {
            /* infeasible: the flows are the max mode's */
            cr_assert_eq(rc, ZX_EDATA, "case %d", t);
            cr_assert_eq(check_flows(g, &p, 0, &c2), b.max_amount);
            cr_assert_eq(c2, b.max_cost);
            cr_assert_eq(cost, c2);
            infeasible++;
        }
        cr_assert_eq(zx_mcflow_solve_max(g, &flow, &cost), ZX_OK);
        cr_assert_eq(flow, b.max_amount, "case %d", t);
        cr_assert_eq(cost, b.max_cost, "case %d: %lld, brute %lld", t,
                     (long long)cost, (long long)b.max_cost);
        cr_assert_eq(check_flows(g, &p, 0, &c2), flow);
        cr_assert_eq(c2, cost);
        zx_mcflow_free(g);
    }
    /* every branch was taken often */
    cr_assert(cycles > 100 && exact > 500 && infeasible > 100,
              "%d %d %d", cycles, exact, infeasible);
}

/* ---- reference: Edmonds-Karp, then cycle cancelling ---- */

#define RN (MAXN + 2)
#define RA (2 * (MAXM + MAXN))

struct ref {
    int n, na;
    int to[RA];
    int64_t cap[RA], cost[RA];
};

static void ref_arc(struct ref *r, int u, int v, int64_t cap, int64_t cost)
{
    r->to[r->na] = v;
    r->cap[r->na] = cap;
    r->cost[r->na++] = cost;
    r->to[r->na] = u;
    r->cap[r->na] = 0;
    r->cost[r->na++] = -cost;
}

static int ref_tail(const struct ref *r, int a)
{
    return r->to[a ^ 1];
}

/* The max flow S -> T of least cost; *cost gets the cost. */
static int64_t ref_solve(const struct prob *p, int64_t *cost)
{
    static struct ref r;
    int S = p->n, T = p->n + 1, v, k, a, it, x = -1;
    int pred[RN], queue[RN], qh, qt;
    int64_t flow = 0, f, d[RN], c = 0;

    r.n = p->n + 2;
    r.na = 0;
    for (k = 0; k < p->m; k++)
        ref_arc(&r, p->from[k], p->to[k], p->cap[k], p->cost[k]);
    for (v = 0; v < p->n; v++) {
        if (p->sup[v] > 0)
            ref_arc(&r, S, v, p->sup[v], 0);
        else if (p->sup[v] < 0)
            ref_arc(&r, v, T, -p->sup[v], 0);
    }
    for (;;) { /* Edmonds-Karp */
        for (v = 0; v < r.n; v++)
            pred[v] = -1;
        qh = qt = 0;
        queue[qt++] = S;
        pred[S] = -2;
        while (qh < qt && pred[T] == -1) {
            int u = queue[qh++];
            for (a = 0; a < r.na; a++)
                if (ref_tail(&r, a) == u && r.cap[a] > 0 &&
                    pred[r.to[a]] == -1) {
                    pred[r.to[a]] = a;
                    queue[qt++] = r.to[a];
                }
        }
        if (pred[T] == -1)
            break;
        f = INT64_MAX;
        for (v = T; v != S; v = ref_tail(&r, pred[v]))
            if (r.cap[pred[v]] < f)
                f = r.cap[pred[v]];
        for (v = T; v != S; v = ref_tail(&r, pred[v])) {
            r.cap[pred[v]] -= f;
            r.cap[pred[v] ^ 1] += f;
        }
        flow += f;
    }
    for (;;) { /* cancel negative residual cycles, Bellman-Ford */
        for (v = 0; v < r.n; v++) {
            d[v] = 0;
            pred[v] = -1;
        }
        for (it = 0; it < r.n; it++) {
            x = -1;
            for (a = 0; a < r.na; a++) {
                int u = ref_tail(&r, a);
                if (r.cap[a] > 0 && d[u] + r.cost[a] < d[r.to[a]]) {
                    d[r.to[a]] = d[u] + r.cost[a];
                    pred[r.to[a]] = a;
                    x = r.to[a];
                }
            }
            if (x < 0)
                break;
        }
        if (x < 0)
            break;
        for (it = 0; it < r.n; it++) /* into the cycle */
            x = ref_tail(&r, pred[x]);
        f = INT64_MAX;
        v = x;
        do {
            if (r.cap[pred[v]] < f)
                f = r.cap[pred[v]];
            v = ref_tail(&r, pred[v]);
        } while (v != x);
        do {
            r.cap[pred[v]] -= f;
            r.cap[pred[v] ^ 1] += f;
            v = ref_tail(&r, pred[v]);
        } while (v != x);
    }
    for (k = 0; k < p->m; k++)
        c += r.cap[2 * k + 1] * p->cost[k];
    *cost = c;
    return flow;
}

Test(mcflow, against_cycle_cancelling)
{
    struct prob p;
    int t, v;
    int64_t flow, cost, rflow, rcost, c2;

    rng_state = 2;
    for (t = 0; t < 300; t++) {
        zx_mcflow *g;
        int n = (int)rndin(2, MAXN), m = (int)rndin(0, 8 * n);
        /* nonnegative costs (any graph), or a DAG by node order with
         * negative ones */
        random_prob(&p, n, m, rndin(0, 30), t % 3 ? 0 : -50, 100);
        for (v = 0; v < m && t % 3 == 0; v++) {
            if (p.from[v] > p.to[v]) {
                int w = p.from[v];
                p.from[v] = p.to[v];
                p.to[v] = w;
            } else if (p.from[v] == p.to[v]) {
                p.cost[v] = 0;
            }
        }
        for (v = 0; v < n; v++)
            if (rnd() % 3 == 0)
                p.sup[v] += rndin(-20, 20);
        rflow = ref_solve(&p, &rcost);
        g = load(&p);
        cr_assert_eq(zx_mcflow_solve_max(g, &flow, &cost), ZX_OK);
        cr_assert_eq(flow, rflow, "case %d", t);
        cr_assert_eq(cost, rcost, "case %d: %lld, reference %lld", t,
                     (long long)cost, (long long)rcost);
        cr_assert_eq(check_flows(g, &p, 0, &c2), flow);
        cr_assert_eq(c2, cost);
        zx_mcflow_free(g);
    }
}

/* Assignment as flow: the same optimum as the assignment solver. */
Test(mcflow, assignment_as_flow)
{
    enum { N = 30 };
    static double c[N * N];
    int row_to_col[N], i, j, t;
    double total;
    int64_t cost;

    rng_state = 3;
    for (t = 0; t < 20; t++) {
        zx_mcflow *g = zx_mcflow_new();
        cr_assert_not_null(g);
        for (i = 0; i < N; i++)
            cr_assert_eq(zx_mcflow_add_node(g, 1, NULL), ZX_OK);
        for (j = 0; j < N; j++)
            cr_assert_eq(zx_mcflow_add_node(g, -1, NULL), ZX_OK);
        for (i = 0; i < N; i++)
            for (j = 0; j < N; j++) {
                c[i * N + j] = (double)rndin(0, t % 2 ? 10 : 1000000);
                cr_assert_eq(zx_mcflow_add_arc(g, i, N + j, 1,
                                               (int64_t)c[i * N + j], NULL),
                             ZX_OK);
            }
        cr_assert_eq(zx_assign_solve(c, N, N, NULL, NULL, NULL, 0,
                                     row_to_col, &total, NULL), ZX_OK);
        cr_assert_eq(zx_mcflow_solve(g, &cost), ZX_OK);
        cr_assert_eq((double)cost, total);
        zx_mcflow_free(g);
    }
}

/* A transportation problem: supplies 20, 30, 25 to demands 10, 35, 30
 * with the costs below. */
Test(mcflow, transportation)
{
    static const int64_t c[3][3] = { { 8, 6, 10 }, { 9, 12, 13 },
                                     { 14, 9, 16 } };
    static const int64_t s[3] = { 20, 30, 25 }, d[3] = { 10, 35, 30 };
    zx_mcflow *g = zx_mcflow_new();
    int i, j;
    int64_t cost, flow;

    for (i = 0; i < 3; i++)
        cr_assert_eq(zx_mcflow_add_node(g, s[i], NULL), ZX_OK);
    for (j = 0; j < 3; j++)
        cr_assert_eq(zx_mcflow_add_node(g, -d[j], NULL), ZX_OK);
    for (i = 0; i < 3; i++)
        for (j = 0; j < 3; j++)
            cr_assert_eq(zx_mcflow_add_arc(g, i, 3 + j, 100, c[i][j], NULL),
                         ZX_OK);
    cr_assert_eq(zx_mcflow_solve(g, &cost), ZX_OK);
    /* 0->4 10 (60), 0->5 10 (100), 1->3 10 (90), 1->5 20 (260),
     * 2->4 25 (225); networkx agrees */
    cr_assert_eq(cost, 735);
    cr_assert_eq(zx_mcflow_flow(g, 1), 10);
    cr_assert_eq(zx_mcflow_flow(g, 8), 0);
    /* one more unit of demand: infeasible, the max mode ships 75 */
    cr_assert_eq(zx_mcflow_set_supply(g, 5, -31), ZX_OK);
    cr_assert_eq(zx_mcflow_flow(g, 0), 0, "a supply change clears flows");
    cr_assert_eq(zx_mcflow_solve(g, &cost), ZX_EDATA);
    cr_assert_eq(zx_mcflow_solve_max(g, &flow, &cost), ZX_OK);
    cr_assert_eq(flow, 75);
    cr_assert_eq(cost, 735);
    zx_mcflow_free(g);
}

/* Parallel arcs (the cheaper is filled first), capacity 0, zero costs,
 * a transit node, a self-loop. */
Test(mcflow, small_cases)
{
    zx_mcflow *g = zx_mcflow_new();
    int a0, a1, a2, a3, a4, a5;
    int64_t cost, flow;

    cr_assert_eq(zx_mcflow_add_node(g, 5, NULL), ZX_OK);  /* 0 */
    cr_assert_eq(zx_mcflow_add_node(g, 0, NULL), ZX_OK);  /* 1 transit */
    cr_assert_eq(zx_mcflow_add_node(g, -5, NULL), ZX_OK); /* 2 */
    cr_assert_eq(zx_mcflow_add_arc(g, 0, 2, 2, 7, &a0), ZX_OK);
    cr_assert_eq(zx_mcflow_add_arc(g, 0, 2, 2, 3, &a1), ZX_OK);
    cr_assert_eq(zx_mcflow_add_arc(g, 0, 2, 0, -100, &a2), ZX_OK);
    cr_assert_eq(zx_mcflow_add_arc(g, 0, 1, 9, 0, &a3), ZX_OK);
    cr_assert_eq(zx_mcflow_add_arc(g, 1, 2, 1, 0, &a4), ZX_OK);
    cr_assert_eq(zx_mcflow_add_arc(g, 1, 1, 9, 1, &a5), ZX_OK);
    cr_assert_eq(zx_mcflow_solve(g, &cost), ZX_OK);
    cr_assert_eq(cost, 2 * 3 + 2 * 7);
    cr_assert_eq(zx_mcflow_flow(g, a0), 2);
    cr_assert_eq(zx_mcflow_flow(g, a1), 2);
    cr_assert_eq(zx_mcflow_flow(g, a2), 0);
    cr_assert_eq(zx_mcflow_flow(g, a3), 1);
    cr_assert_eq(zx_mcflow_flow(g, a4), 1);
    cr_assert_eq(zx_mcflow_flow(g, a5), 0);
    cr_assert_eq(zx_mcflow_flow(g, 99), 0);
    cr_assert_eq(zx_mcflow_flow(g, -1), 0);
    /* a new arc clears the flows; the next solve uses it */
    cr_assert_eq(zx_mcflow_add_arc(g, 0, 2, 5, 1, NULL), ZX_OK);
    cr_assert_eq(zx_mcflow_flow(g, a0), 0);
    cr_assert_eq(zx_mcflow_solve_max(g, &flow, &cost), ZX_OK);
    cr_assert_eq(flow, 5);
    cr_assert_eq(cost, 4); /* 1 unit through node 1 free, 4 at cost 1 */
    zx_mcflow_free(g);

    /* empty problems */
    g = zx_mcflow_new();
    cr_assert_eq(zx_mcflow_solve(g, &cost), ZX_OK);
    cr_assert_eq(cost, 0);
    cr_assert_eq(zx_mcflow_add_node(g, 3, NULL), ZX_OK);
    cr_assert_eq(zx_mcflow_solve(g, &cost), ZX_EDATA);
    cr_assert_eq(zx_mcflow_solve_max(g, &flow, NULL), ZX_OK);
    cr_assert_eq(flow, 0);
    zx_mcflow_free(g);
    zx_mcflow_free(NULL);
}

/* Negative costs on a DAG are fine; a negative cycle is refused even
 * where no supply reaches it. */
Test(mcflow, negative_costs)
{
    zx_mcflow *g = zx_mcflow_new();
    int64_t cost;

    cr_assert_eq(zx_mcflow_add_node(g, 2, NULL), ZX_OK);
    cr_assert_eq(zx_mcflow_add_node(g, 0, NULL), ZX_OK);
    cr_assert_eq(zx_mcflow_add_node(g, -2, NULL), ZX_OK);
    cr_assert_eq(zx_mcflow_add_node(g, 0, NULL), ZX_OK);
    cr_assert_eq(zx_mcflow_add_node(g, 0, NULL), ZX_OK);
    cr_assert_eq(zx_mcflow_add_arc(g, 0, 1, 2, -5, NULL), ZX_OK);
    cr_assert_eq(zx_mcflow_add_arc(g, 1, 2, 2, 1, NULL), ZX_OK);
    cr_assert_eq(zx_mcflow_add_arc(g, 0, 2, 2, -3, NULL), ZX_OK);
    cr_assert_eq(zx_mcflow_solve(g, &cost), ZX_OK);
    cr_assert_eq(cost, -8);
    cr_assert_eq(zx_mcflow_add_arc(g, 3, 4, 1, -1, NULL), ZX_OK);
    cr_assert_eq(zx_mcflow_add_arc(g, 4, 3, 0, -1, NULL), ZX_OK);
    cr_assert_eq(zx_mcflow_solve(g, &cost), ZX_OK, "capacity 0: no cycle");
    cr_assert_eq(zx_mcflow_add_arc(g, 4, 3, 1, 0, NULL), ZX_OK);
    cost = 42;
    cr_assert_eq(zx_mcflow_solve(g, &cost), ZX_EINVAL);
    cr_assert_eq(cost, 42);
    zx_mcflow_free(g);
}

Test(mcflow, bad_arguments)
{
    zx_mcflow *g = zx_mcflow_new();
    int64_t cost;

    cr_assert_eq(zx_mcflow_add_node(NULL, 0, NULL), ZX_EINVAL);
    cr_assert_eq(zx_mcflow_add_node(g, INT64_MAX, NULL), ZX_EINVAL);
    cr_assert_eq(zx_mcflow_add_node(g, 1, NULL), ZX_OK);
    cr_assert_eq(zx_mcflow_add_node(g, -1, NULL), ZX_OK);
    cr_assert_eq(zx_mcflow_add_arc(g, 0, 2, 1, 0, NULL), ZX_EINVAL);
    cr_assert_eq(zx_mcflow_add_arc(g, -1, 1, 1, 0, NULL), ZX_EINVAL);
    cr_assert_eq(zx_mcflow_add_arc(g, 0, 1, -1, 0, NULL), ZX_EINVAL);
    cr_assert_eq(zx_mcflow_add_arc(g, 0, 1, 1, ZX_MCFLOW_COST_MAX + 1,
                                   NULL), ZX_EINVAL);
    cr_assert_eq(zx_mcflow_set_supply(g, 2, 0), ZX_EINVAL);
    cr_assert_eq(zx_mcflow_solve(NULL, &cost), ZX_EINVAL);
    cr_assert_eq(zx_mcflow_solve_max(NULL, NULL, NULL), ZX_EINVAL);
    cr_assert_eq(zx_mcflow_nodes(g), 2);
    cr_assert_eq(zx_mcflow_arcs(g), 0);
    /* sums that could overflow are refused */
    cr_assert_eq(zx_mcflow_set_supply(g, 0, INT64_MAX / 4), ZX_OK);
    cr_assert_eq(zx_mcflow_set_supply(g, 1, -(INT64_MAX / 4)), ZX_OK);
    cr_assert_eq(zx_mcflow_add_arc(g, 0, 1, INT64_MAX, ZX_MCFLOW_COST_MAX,
                                   NULL), ZX_OK);
    cr_assert_eq(zx_mcflow_solve(g, &cost), ZX_EINVAL);
    /* unbounded capacity is fine when the supply bounds the flow */
    cr_assert_eq(zx_mcflow_set_supply(g, 0, 1000), ZX_OK);
    cr_assert_eq(zx_mcflow_set_supply(g, 1, -1000), ZX_OK);
    cr_assert_eq(zx_mcflow_solve(g, &cost), ZX_OK);
    cr_assert_eq(cost, 1000 * ZX_MCFLOW_COST_MAX);
    zx_mcflow_free(g);
}
