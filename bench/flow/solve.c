/*
 * bench/flow/solve.c - zx_mcflow_solve_max on a province-scale teacher
 * redistribution instance, timed; the instance is also written to a file
 * so that the peer (peer.py, networkx) solves exactly the same one.
 *
 * The instance, drawn from splitmix64 seeded with SEED: a province of
 * 12,900 schools, 100 counties on a 10 x 10 grid of 32 km squares
 * (320 km a side, about Jiangsu's area), 129 schools per county placed
 * uniformly in its square.  A school has surplus teachers with
 * probability 3,000 / 12,900 (1 to 12 of them, uniform) and is short of
 * teachers with the same probability (1 to 12), else is balanced; about
 * 3,000 schools each way and 19,500 teachers each way.  A surplus school
 * may send to every short school within 30 km (straight line), at most 3
 * teachers to one school (a quota per pair), at a cost of the distance
 * in units of 100 m, rounded, plus 20 per move (a fixed cost, 2 km's
 * worth).  Arcs go only from surplus to short schools, so each teacher
 * moves at most once.  Supply and demand balance only roughly and the
 * radius leaves some schools out of reach, so the question is the
 * maximum number of moves and, among those, the least total cost: the
 * max-flow-first mode.
 *
 * The file, text: a line "p NODES ARCS", one line "n ID SUPPLY" per
 * school with a nonzero supply (negative: short), then one line
 * "a FROM TO CAP COST" per arc, in arc id order.
 *
 * Usage: solve SEED FILE [ROUNDS]
 * Prints "nodes N", "arcs M", "supply S", "demand D", "flow F",
 * "cost C" and "seconds BEST" (the best of ROUNDS solves, default 3;
 * the graph is built before the clock starts).
 */
#include "mcflow.h"
#include "zx.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define SCHOOLS 12900
#define GRID 10          /* counties per side */
#define CELL_KM 32.0
#define RADIUS_KM 30.0
#define PAIR_QUOTA 3
#define MOVE_COST 20

static double now_s(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double unit(uint64_t *state)
{
    return (double)(splitmix64(state) >> 11) / 9007199254740992.0;
}

int main(int argc, char **argv)
{
    uint64_t state = argc > 2 ? strtoull(argv[1], NULL, 10) : 0;
    int rounds = argc > 3 ? atoi(argv[3]) : 3, rc = 1, i, j, r, county;
    static double x[SCHOOLS], y[SCHOOLS];
    static int64_t supply[SCHOOLS];
    int64_t give = 0, take = 0, flow = 0, cost = 0;
    double t0, best = 1e300;
    zx_mcflow *g = NULL;
    FILE *f = NULL;

    if (argc < 3 || rounds <= 0) {
        fprintf(stderr, "usage: solve SEED FILE [ROUNDS]\n");
        return 64;
    }
    for (i = 0; i < SCHOOLS; i++) {
        uint64_t kind = splitmix64(&state) % SCHOOLS;
        county = i / (SCHOOLS / (GRID * GRID));
        x[i] = (county % GRID + unit(&state)) * CELL_KM;
        y[i] = (county / GRID + unit(&state)) * CELL_KM;
        supply[i] = 0;
        if (kind < 3000)
            give += supply[i] = 1 + (int64_t)(splitmix64(&state) % 12);
        else if (kind < 6000)
            take -= supply[i] = -1 - (int64_t)(splitmix64(&state) % 12);
    }
    if (!(g = zx_mcflow_new()) || !(f = fopen(argv[2], "w"))) {
        fprintf(stderr, "solve: cannot start (memory or %s)\n", argv[2]);
        goto out;
    }
    for (i = 0; i < SCHOOLS; i++)
        if (zx_mcflow_add_node(g, supply[i], NULL) != ZX_OK)
            goto nomem;
    for (i = 0; i < SCHOOLS; i++) {
        if (supply[i] <= 0)
            continue;
        for (j = 0; j < SCHOOLS; j++) {
            double dx = x[i] - x[j], dy = y[i] - y[j], d;
            int64_t cap = PAIR_QUOTA;
            if (supply[j] >= 0)
                continue;
            if ((d = sqrt(dx * dx + dy * dy)) > RADIUS_KM)
                continue;
            if (cap > supply[i])
                cap = supply[i];
            if (cap > -supply[j])
                cap = -supply[j];
            if (zx_mcflow_add_arc(g, i, j, cap, lround(d * 10) + MOVE_COST,
                                  NULL) != ZX_OK)
                goto nomem;
        }
    }
    fprintf(f, "p %d %d\n", SCHOOLS, zx_mcflow_arcs(g));
    for (i = 0; i < SCHOOLS; i++)
        if (supply[i])
            fprintf(f, "n %d %lld\n", i, (long long)supply[i]);
    /* the arcs again, in the order they were added (ids 0, 1, ...) */
    for (i = 0; i < SCHOOLS; i++) {
        if (supply[i] <= 0)
            continue;
        for (j = 0; j < SCHOOLS; j++) {
            double dx = x[i] - x[j], dy = y[i] - y[j], d;
            int64_t cap = PAIR_QUOTA;
            if (supply[j] >= 0 || (d = sqrt(dx * dx + dy * dy)) > RADIUS_KM)
                continue;
            if (cap > supply[i])
                cap = supply[i];
            if (cap > -supply[j])
                cap = -supply[j];
            fprintf(f, "a %d %d %lld %ld\n", i, j, (long long)cap,
                    lround(d * 10) + MOVE_COST);
        }
    }
    if (fclose(f) != 0) {
        f = NULL;
        fprintf(stderr, "solve: cannot write %s\n", argv[2]);
        goto out;
    }
    f = NULL;
    for (r = 0; r < rounds; r++) {
        t0 = now_s();
        if (zx_mcflow_solve_max(g, &flow, &cost) != ZX_OK) {
            fprintf(stderr, "solve: zx_mcflow_solve_max failed\n");
            goto out;
        }
        t0 = now_s() - t0;
        if (t0 < best)
            best = t0;
    }
    printf("nodes %d\narcs %d\nsupply %lld\ndemand %lld\nflow %lld\n"
           "cost %lld\nseconds %.3f\n", zx_mcflow_nodes(g),
           zx_mcflow_arcs(g), (long long)give, (long long)take,
           (long long)flow, (long long)cost, best);
    rc = 0;
    goto out;
nomem:
    fprintf(stderr, "solve: out of memory\n");
out:
    if (f)
        fclose(f);
    zx_mcflow_free(g);
    return rc;
}
