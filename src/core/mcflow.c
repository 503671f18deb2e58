/*
 * mcflow.c - the minimum-cost flow solver (see mcflow.h).
 *
 * The caller's graph is kept as plain arrays (nodes with supplies, arcs
 * with capacity and cost).  Each solve builds the residual network from
 * them: two more nodes, a source S with an arc to every node that gives
 * (capacity its supply) and a sink T with an arc from every node that
 * takes (capacity its demand), then every arc and its reverse as slots
 * in compressed rows by tail (first[v] .. first[v + 1]), each slot
 * holding its residual capacity, its cost (the reverse's is negated) and
 * its partner.  Both modes are then one problem: the maximum flow from S
 * to T of least cost; solve only checks afterwards that it shipped
 * everything.
 *
 * The algorithm, in two steps:
 *   1. Dinic's maximum flow from S to T (BFS levels, then an iterative
 *      DFS with current-arc pointers), costs ignored: it fixes the
 *      amount shipped, F, and gives a feasible flow to start from;
 *   2. Goldberg's cost scaling (push-relabel, FIFO), which turns that
 *      flow into one of least cost without changing what S sends and T
 *      receives, so the result is a maximum flow of least cost.  Costs
 *      are multiplied by N + 1; prices p keep every residual slot's
 *      reduced cost c(u, v) * (N + 1) + p(u) - p(v) >= -eps, and each
 *      refinement halves eps, from the largest scaled cost down to 1.
 *      A flow that is 1-optimal in the scaled costs is 1 / (N + 1) <
 *      1 / N optimal in the real ones, hence optimal (integer costs).
 * A negative cycle is looked for first (Bellman-Ford over the arcs with
 * capacity), since it would make "least cost" mean something else than
 * the caller expects; mcflow.h refuses it.
 *
 * Cost: step 1 O(N^2 M) at worst; step 2 O(N^2 M log(N C)) at worst,
 * C the largest |cost|, far less in practice (0.4 s for 12,900 nodes
 * and 225,000 arcs, bench/flow).  A halving of eps per refinement was
 * measured fastest on that instance (dividing by 4, 8, 16 took 0.46,
 * 0.67, 1.0 s).
 *
 * Bounds.  In one refinement a price falls by at most about 3 N eps, so
 * over all of them by about 6 N times the largest scaled cost, i.e.
 * 6 N (N + 1) C; limits() demands (N + 1)^2 C <= 2^59, which keeps
 * prices and reduced costs below 2^63.
 */
#include "mcflow.h"
#include "zx.h"

#include <stdlib.h>

#define INF INT64_MAX
#define SUPPLY_MAX (INT64_MAX / 4)

struct zx_mcflow {
    /* the caller's problem */
    int n, m;                 /* nodes and arcs */
    int ncap, mcap;           /* their allocated lengths */
    int64_t *supply;          /* n */
    int *from, *to;           /* m */
    int64_t *cap, *cost;      /* m */
    int solved;               /* the residual network holds the flows */

    /* the residual network of the last solve: N = n + 2 nodes, S = n,
     * T = n + 1, R slots; the lengths allocated are kept to reuse */
    int N, R;
    size_t Ncap, Rcap, scap;
    int *first;               /* N + 1: the slots of node v */
    int *head;                /* R: the slot's head */
    int *rev;                 /* R: its partner */
    int64_t *rcap;            /* R: residual capacity */
    int64_t *rcost;           /* R: cost (negated on a reverse slot) */
    int *slot;                /* m: each arc's forward slot */
    int64_t *pot, *excess;    /* N: prices, excesses (step 2) */
    int *level, *cur;         /* N: BFS level or in-queue flag, current
                                 slot */
    int *queue, *path;        /* N: BFS queue, the DFS's slots */
};

zx_mcflow *zx_mcflow_new(void)
{
    return calloc(1, sizeof(zx_mcflow));
}

void zx_mcflow_free(zx_mcflow *g)
{
    if (!g)
        return;
    free(g->supply);
    free(g->from);
    free(g->to);
    free(g->cap);
    free(g->cost);
    free(g->first);
    free(g->head);
    free(g->rev);
    free(g->rcap);
    free(g->rcost);
    free(g->slot);
    free(g->pot);
    free(g->excess);
    free(g->level);
    free(g->cur);
    free(g->queue);
    free(g->path);
    free(g);
}

/* Makes *p hold at least want items of size bytes; the old items are
 * kept.  Returns 0, or -1 with *p untouched. */
static int grow(void **p, size_t want, size_t size)
{
    void *q;

    if (want > SIZE_MAX / size)
        return -1;
    if (!(q = realloc(*p, want * size)))
        return -1;
    *p = q;
    return 0;
}

int zx_mcflow_add_node(zx_mcflow *g, int64_t supply, int *id)
{
    if (!g || supply > SUPPLY_MAX || supply < -SUPPLY_MAX ||
        g->n >= (1 << 30))
        return ZX_EINVAL;
    if (g->n == g->ncap) {
        int want = g->ncap ? 2 * g->ncap : 64;
        if (grow((void **)&g->supply, (size_t)want, sizeof(*g->supply)))
            return ZX_ENOMEM;
        g->ncap = want;
    }
    g->supply[g->n] = supply;
    if (id)
        *id = g->n;
    g->n++;
    g->solved = 0;
    return ZX_OK;
}

int zx_mcflow_set_supply(zx_mcflow *g, int node, int64_t supply)
{
    if (!g || node < 0 || node >= g->n || supply > SUPPLY_MAX ||
        supply < -SUPPLY_MAX)
        return ZX_EINVAL;
    g->supply[node] = supply;
    g->solved = 0;
    return ZX_OK;
}

int zx_mcflow_add_arc(zx_mcflow *g, int from, int to, int64_t cap,
                      int64_t cost, int *id)
{
    if (!g || from < 0 || from >= g->n || to < 0 || to >= g->n || cap < 0 ||
        cost > ZX_MCFLOW_COST_MAX || cost < -ZX_MCFLOW_COST_MAX ||
        g->m >= (1 << 29))
        return ZX_EINVAL;
    if (g->m == g->mcap) {
        size_t want = g->mcap ? 2 * (size_t)g->mcap : 256;
        /* each array is grown on its own; one failing leaves the others
         * longer than mcap, which is harmless */
        if (grow((void **)&g->from, want, sizeof(*g->from)) ||
            grow((void **)&g->to, want, sizeof(*g->to)) ||
            grow((void **)&g->cap, want, sizeof(*g->cap)) ||
            grow((void **)&g->cost, want, sizeof(*g->cost)))
            return ZX_ENOMEM;
        g->mcap = (int)want;
    }
    g->from[g->m] = from;
    g->to[g->m] = to;
    g->cap[g->m] = cap;
    g->cost[g->m] = cost;
    if (id)
        *id = g->m;
    g->m++;
    g->solved = 0;
    return ZX_OK;
}

int64_t zx_mcflow_flow(const zx_mcflow *g, int arc)
{
    if (!g || !g->solved || arc < 0 || arc >= g->m)
        return 0;
    return g->rcap[g->rev[g->slot[arc]]];
}

int zx_mcflow_nodes(const zx_mcflow *g)
{
    return g ? g->n : 0;
}

int zx_mcflow_arcs(const zx_mcflow *g)
{
    return g ? g->m : 0;
}

/* The checks promised in mcflow.h.  *give and *take get the totals of
 * supply and demand. */
static int limits(const zx_mcflow *g, int64_t *give, int64_t *take,
                  int64_t *maxcost)
{
    int64_t tg = 0, tt = 0, maxc = 0, acc = 0, c, e;
    int v, k;

    for (v = 0; v < g->n; v++) {
        int64_t s = g->supply[v];
        if (s > 0) {
            if (s > INT64_MAX / 2 - tg)
                return ZX_EINVAL;
            tg += s;
        } else if (s < 0) {
            if (-s > INT64_MAX / 2 - tt)
                return ZX_EINVAL;
            tt -= s;
        }
    }
    for (k = 0; k < g->m; k++) {
        c = g->cost[k] < 0 ? -g->cost[k] : g->cost[k];
        e = g->cap[k] < tg ? g->cap[k] : tg;
        if (c > maxc)
            maxc = c;
        if (c > 0 && e > (INT64_MAX - acc) / c)
            return ZX_EINVAL;
        acc += e * c;
    }
    if (maxc > 0 && ((int64_t)g->n + 3) * ((int64_t)g->n + 3) >
                        ((int64_t)1 << 59) / maxc)
        return ZX_EINVAL;
    *maxcost = maxc;
    *give = tg;
    *take = tt;
    return ZX_OK;
}

/* Allocates the residual network's arrays (reusing the last ones when
 * they are long enough) and fills it, every flow 0. */
static int build(zx_mcflow *g)
{
    const int N = g->n + 2, S = g->n, T = g->n + 1;
    size_t R = 2 * (size_t)g->m, want;
    int v, k, a, b;

    for (v = 0; v < g->n; v++)
        if (g->supply[v] != 0)
            R += 2;
    if ((size_t)N + 1 > g->Ncap) {
        want = (size_t)N + 1;
        if (grow((void **)&g->first, want, sizeof(*g->first)) ||
            grow((void **)&g->pot, want, sizeof(*g->pot)) ||
            grow((void **)&g->excess, want, sizeof(*g->excess)) ||
            grow((void **)&g->level, want, sizeof(*g->level)) ||
            grow((void **)&g->cur, want, sizeof(*g->cur)) ||
            grow((void **)&g->queue, want, sizeof(*g->queue)) ||
            grow((void **)&g->path, want, sizeof(*g->path)))
            return ZX_ENOMEM;
        g->Ncap = want;
    }
    if (R + 1 > g->Rcap) {
        want = R + 1;
        if (grow((void **)&g->head, want, sizeof(*g->head)) ||
            grow((void **)&g->rev, want, sizeof(*g->rev)) ||
            grow((void **)&g->rcap, want, sizeof(*g->rcap)) ||
            grow((void **)&g->rcost, want, sizeof(*g->rcost)))
            return ZX_ENOMEM;
        g->Rcap = want;
    }
    if ((size_t)g->m + 1 > g->scap) {
        if (grow((void **)&g->slot, (size_t)g->m + 1, sizeof(*g->slot)))
            return ZX_ENOMEM;
        g->scap = (size_t)g->m + 1;
    }
    g->N = N;
    g->R = (int)R;

    /* counting sort by tail; cur[v] is the next free slot of v */
    for (v = 0; v <= N; v++)
        g->first[v] = 0;
    for (k = 0; k < g->m; k++) {
        g->first[g->from[k] + 1]++;
        g->first[g->to[k] + 1]++;
    }
    for (v = 0; v < g->n; v++)
        if (g->supply[v] != 0) {
            g->first[v + 1]++;
            g->first[(g->supply[v] > 0 ? S : T) + 1]++;
        }
    for (v = 0; v < N; v++) {
        g->first[v + 1] += g->first[v];
        g->cur[v] = g->first[v];
    }
#define LINK(u, w, c, cost_)                                              \
    do {                                                                  \
        a = g->cur[u]++;                                                  \
        b = g->cur[w]++;                                                  \
        g->head[a] = (w);                                                 \
        g->rev[a] = b;                                                    \
        g->rcap[a] = (c);                                                 \
        g->rcost[a] = (cost_);                                            \
        g->head[b] = (u);                                                 \
        g->rev[b] = a;                                                    \
        g->rcap[b] = 0;                                                   \
        g->rcost[b] = -(cost_);                                           \
    } while (0)
    for (k = 0; k < g->m; k++) {
        LINK(g->from[k], g->to[k], g->cap[k], g->cost[k]);
        g->slot[k] = a;
    }
    for (v = 0; v < g->n; v++) {
        if (g->supply[v] > 0)
            LINK(S, v, g->supply[v], 0);
        else if (g->supply[v] < 0)
            LINK(v, T, -g->supply[v], 0);
    }
#undef LINK
    return ZX_OK;
}

/* Is there a negative cycle?  Nothing to do when no cost is negative;
 * else shortest distances (in pot, as scratch) from a virtual root
 * joined to every node at cost 0, by the queue-based Bellman-Ford.
 * level[v] is the number of slots on v's current path; reaching N means
 * a negative cycle (ZX_EINVAL). */
static int no_negative_cycle(zx_mcflow *g)
{
    const int N = g->N;
    int v, a, u, w, head = 0, count = N, negative = 0;
    int *inq = g->cur;

    for (v = 0; v < N; v++)
        g->pot[v] = 0;
    for (a = 0; a < g->R; a++)
        if (g->rcap[a] > 0 && g->rcost[a] < 0)
            negative = 1;
    if (!negative)
        return ZX_OK;
    for (v = 0; v < N; v++) {
        g->queue[v] = v;
        inq[v] = 1;
        g->level[v] = 0;
    }
    while (count > 0) {
        u = g->queue[head];
        head = head + 1 == N ? 0 : head + 1;
        count--;
        inq[u] = 0;
        for (a = g->first[u]; a < g->first[u + 1]; a++) {
            int64_t d;
            if (g->rcap[a] <= 0)
                continue;
            w = g->head[a];
            d = g->pot[u] + g->rcost[a];
            if (d >= g->pot[w])
                continue;
            g->pot[w] = d;
            if ((g->level[w] = g->level[u] + 1) >= N)
                return ZX_EINVAL;
            if (!inq[w]) {
                inq[w] = 1;
                g->queue[(head + count) % N] = w;
                count++;
            }
        }
    }
    return ZX_OK;
}

/* BFS levels from S over admissible slots; is T reached? */
static int levels(zx_mcflow *g)
{
    const int S = g->n, T = g->n + 1;
    int v, u, a, qh = 0, qt = 0;

    for (v = 0; v < g->N; v++)
        g->level[v] = -1;
    g->level[S] = 0;
    g->queue[qt++] = S;
    while (qh < qt) {
        u = g->queue[qh++];
        for (a = g->first[u]; a < g->first[u + 1]; a++) {
            v = g->head[a];
            if (g->level[v] < 0 && g->rcap[a] > 0) {
                g->level[v] = g->level[u] + 1;
                g->queue[qt++] = v;
            }
        }
    }
    return g->level[T] >= 0;
}

/* Step 1: one blocking flow along the levels, by an iterative DFS;
 * path[0, top) are the slots from S to u.  A node found to lead nowhere
 * gets level -1, so it is not entered again. */
static int64_t blocking(zx_mcflow *g)
{
    const int S = g->n, T = g->n + 1;
    int64_t pushed = 0, f;
    int u = S, top = 0, a, k, v;

    for (v = 0; v < g->N; v++)
        g->cur[v] = g->first[v];
    for (;;) {
        if (u == T) {
            f = INF;
            for (k = 0; k < top; k++)
                if (g->rcap[g->path[k]] < f)
                    f = g->rcap[g->path[k]];
            for (k = 0; k < top; k++) {
                g->rcap[g->path[k]] -= f;
                g->rcap[g->rev[g->path[k]]] += f;
            }
            pushed += f;
            /* back to the tail of the first slot saturated */
            for (k = 0; g->rcap[g->path[k]] > 0; k++)
                ;
            top = k;
            u = top ? g->head[g->path[top - 1]] : S;
            continue;
        }
        for (a = g->cur[u]; a < g->first[u + 1]; a++) {
            v = g->head[a];
            if (g->level[v] == g->level[u] + 1 && g->rcap[a] > 0)
                break;
        }
        g->cur[u] = a;
        if (a < g->first[u + 1]) {
            g->path[top++] = a;
            u = g->head[a];
            continue;
        }
        g->level[u] = -1;
        if (top == 0)
            break;
        a = g->path[--top];
        u = g->head[g->rev[a]];
        g->cur[u]++;
    }
    return pushed;
}

/* Pushes f along slot a from u. */
static void push(zx_mcflow *g, int u, int a, int64_t f)
{
    g->rcap[a] -= f;
    g->rcap[g->rev[a]] += f;
    g->excess[u] -= f;
    g->excess[g->head[a]] += f;
}

/* One refinement of cost scaling: makes the flow eps-optimal in the
 * scaled costs (every residual slot's reduced cost >= -eps) from a flow
 * that is 8 eps-optimal.  The slots of negative reduced cost are
 * saturated, then the nodes with excess are discharged in FIFO order:
 * push along admissible slots (residual, reduced cost < 0), or, when
 * there is none, relabel, i.e. lower the node's price just enough that
 * one appears.  A feasible flow exists (the maximum flow found first),
 * so every node with excess has a residual slot out. */
static void refine(zx_mcflow *g, int64_t scale, int64_t eps)
{
    const int N = g->N;
    int64_t *pot = g->pot, *ex = g->excess;
    int *inq = g->level, *q = g->queue;
    int u, v, a, end, qh = 0, qn = 0;

#define RC(u_, a_) (g->rcost[a_] * scale + pot[u_] - pot[g->head[a_]])
    for (u = 0; u < N; u++)
        for (a = g->first[u]; a < g->first[u + 1]; a++)
            if (g->rcap[a] > 0 && RC(u, a) < 0)
                push(g, u, a, g->rcap[a]);
    for (u = 0; u < N; u++) {
        g->cur[u] = g->first[u];
        if ((inq[u] = ex[u] > 0))
            q[qn++] = u;
    }
    while (qn > 0) {
        u = q[qh];
        qh = qh + 1 == N ? 0 : qh + 1;
        qn--;
        inq[u] = 0;
        end = g->first[u + 1];
        while (ex[u] > 0) {
            for (a = g->cur[u]; a < end; a++)
                if (g->rcap[a] > 0 && RC(u, a) < 0)
                    break;
            g->cur[u] = a;
            if (a < end) {
                v = g->head[a];
                push(g, u, a, ex[u] < g->rcap[a] ? ex[u] : g->rcap[a]);
                if (ex[v] > 0 && !inq[v]) {
                    inq[v] = 1;
                    q[(qh + qn++) % N] = v;
                }
                continue;
            }
            /* relabel: the highest price that leaves every residual slot
             * out of u at reduced cost >= -eps, one of them at -eps */
            {
                int64_t best = INT64_MIN, t;
                for (a = g->first[u]; a < end; a++)
                    if (g->rcap[a] > 0 &&
                        (t = pot[g->head[a]] - g->rcost[a] * scale) > best)
                        best = t;
                pot[u] = best - eps;
                g->cur[u] = g->first[u];
            }
        }
    }
#undef RC
}

/* The maximum flow from S to T of least cost; *flow and *cost get its
 * amount and cost.  On failure every flow reads 0. */
static int run(zx_mcflow *g, int64_t *flow, int64_t *cost, int64_t *give,
               int64_t *take)
{
    int64_t f = 0, c = 0, maxc, eps, scale = (int64_t)g->n + 3;
    int rc, k, v;

    g->solved = 0;
    if ((rc = limits(g, give, take, &maxc)) || (rc = build(g)) ||
        (rc = no_negative_cycle(g)))
        return rc;
    while (levels(g))
        f += blocking(g);
    /* cost scaling from eps = the largest scaled cost down to 1 */
    for (v = 0; v < g->N; v++) {
        g->pot[v] = 0;
        g->excess[v] = 0;
    }
    eps = maxc * scale;
    while (eps > 1) {
        eps = eps / 2 > 1 ? eps / 2 : 1;
        refine(g, scale, eps);
    }
    for (k = 0; k < g->m; k++)
        c += g->rcap[g->rev[g->slot[k]]] * g->cost[k];
    g->solved = 1;
    *flow = f;
    *cost = c;
    return ZX_OK;
}

int zx_mcflow_solve(zx_mcflow *g, int64_t *cost)
{
    int64_t f, c, give, take;
    int rc;

    if (!g)
        return ZX_EINVAL;
    if ((rc = run(g, &f, &c, &give, &take)))
        return rc;
    if (cost)
        *cost = c;
    return give == take && f == give ? ZX_OK : ZX_EDATA;
}

int zx_mcflow_solve_max(zx_mcflow *g, int64_t *flow, int64_t *cost)
{
    int64_t f, c, give, take;
    int rc;

    if (!g)
        return ZX_EINVAL;
    if ((rc = run(g, &f, &c, &give, &take)))
        return rc;
    if (flow)
        *flow = f;
    if (cost)
        *cost = c;
    return ZX_OK;
}
