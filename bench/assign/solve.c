/*
 * bench/assign/solve.c - zx_assign_solve on a random dense square
 * instance, timed; the instance is also written to a file so that the
 * peer (peer.py, scipy) solves exactly the same one.
 *
 * The instance: n * n integer costs in [0, 10^6), stored as doubles,
 * row-major, drawn from splitmix64 seeded with SEED (state += golden
 * gamma, then the usual two xor-shift-multiply rounds; cost = the 64-bit
 * output mod 10^6, whose bias of < 10^-13 does not matter here).  Integer
 * costs keep every sum exact, so both solvers must report the same total
 * to the unit.  The file is the raw doubles in this machine's byte order,
 * which numpy.fromfile(path, dtype=numpy.float64) reads back.
 *
 * Usage: solve N SEED FILE [ROUNDS]
 * Prints "cost TOTAL" and "seconds BEST" (the best of ROUNDS solves,
 * default 3; the matrix is in memory before the clock starts).
 */
#include "assign.h"
#include "zx.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

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

int main(int argc, char **argv)
{
    int n = argc > 3 ? atoi(argv[1]) : 0;
    uint64_t state = argc > 3 ? strtoull(argv[2], NULL, 10) : 0;
    int rounds = argc > 4 ? atoi(argv[4]) : 3, r, rc = 1;
    size_t k, nn = (size_t)n * (size_t)n;
    double *cost = NULL, total = 0, t0, best = 1e300;
    int *row_to_col = NULL;
    FILE *f;

    if (n <= 0 || rounds <= 0) {
        fprintf(stderr, "usage: solve N SEED FILE [ROUNDS]\n");
        return 64;
    }
    cost = malloc(nn * sizeof(*cost));
    row_to_col = malloc((size_t)n * sizeof(*row_to_col));
    if (!cost || !row_to_col) {
        fprintf(stderr, "solve: out of memory\n");
        goto out;
    }
    for (k = 0; k < nn; k++)
        cost[k] = (double)(splitmix64(&state) % 1000000);
    if (!(f = fopen(argv[3], "wb"))) {
        fprintf(stderr, "solve: cannot write %s\n", argv[3]);
        goto out;
    }
    k = fwrite(cost, sizeof(*cost), nn, f);
    if (fclose(f) != 0 || k != nn) {
        fprintf(stderr, "solve: cannot write %s\n", argv[3]);
        goto out;
    }
    for (r = 0; r < rounds; r++) {
        t0 = now_s();
        if (zx_assign_solve(cost, n, n, NULL, NULL, NULL, 0, row_to_col,
                            &total, NULL) != ZX_OK) {
            fprintf(stderr, "solve: zx_assign_solve failed\n");
            goto out;
        }
        t0 = now_s() - t0;
        if (t0 < best)
            best = t0;
    }
    printf("cost %.0f\n", total);
    printf("seconds %.3f\n", best);
    rc = 0;
out:
    free(cost);
    free(row_to_col);
    return rc;
}
