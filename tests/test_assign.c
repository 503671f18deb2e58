/*
 * test_assign.c - the assignment solver against brute force on every
 * shape up to 8 x 8 (integer and real costs, forbidden pairs, pins), the
 * textbook Hungarian method on larger random matrices, known optima,
 * infeasible cases and the culprit they name, bad arguments, 0 sizes,
 * negative costs and ties.
 */
#include "testutil.h"

#include <math.h>
#include <stdint.h>

#include "assign.h"

#define MAXB 8 /* the brute force's largest side */

static uint64_t rng_state;

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* uniform in [0, 1) */
static double rnd01(void)
{
    return (double)(rnd() >> 11) / 9007199254740992.0;
}

/* ---- the brute-force reference ---- */

/* Every injection of the smaller side into the larger, pins kept and
 * forbidden pairs skipped; only the first `limit` items of the smaller
 * side are placed (all pins hold whatever the limit). */
struct bf {
    const double *c;
    const unsigned char *f;
    int n, m, small, large, limit;
    int pin[MAXB];       /* smaller side's item -> larger side's, or -1 */
    double best;
    int found;
};

static size_t bf_at(const struct bf *b, int a, int z)
{
    return b->n <= b->m ? (size_t)a * b->m + z : (size_t)z * b->m + a;
}

static int bf_ok(const struct bf *b, int a, int z)
{
    size_t k = bf_at(b, a, z);

    return !(b->f && b->f[k]) && b->c[k] != INFINITY;
}

static void bf_walk(struct bf *b, int a, unsigned used, double sum)
{
    int z;

    if (a == b->limit) {
        if (!b->found || sum < b->best)
            b->best = sum;
        b->found = 1;
        return;
    }
    if (b->pin[a] >= 0) {
        bf_walk(b, a + 1, used, sum + b->c[bf_at(b, a, b->pin[a])]);
        return;
    }
    for (z = 0; z < b->large; z++)
        if (!(used >> z & 1u) && bf_ok(b, a, z))
            bf_walk(b, a + 1, used | 1u << z, sum + b->c[bf_at(b, a, z)]);
}

/* The optimum (found = 0 when infeasible) and, when infeasible, the
 * first item of the smaller side that cannot be matched. */
static void brute(struct bf *b, const double *c, const unsigned char *f,
                  int n, int m, const int *pr, const int *pc, int np,
                  int *first_bad)
{
    unsigned used = 0;
    int p;

    memset(b, 0, sizeof(*b));
    b->c = c;
    b->f = f;
    b->n = n;
    b->m = m;
    b->small = n <= m ? n : m;
    b->large = n <= m ? m : n;
    memset(b->pin, -1, sizeof(b->pin));
    for (p = 0; p < np; p++) {
        int a = n <= m ? pr[p] : pc[p], z = n <= m ? pc[p] : pr[p];
        b->pin[a] = z;
        used |= 1u << z;
    }
    /* the last round, limit = small, leaves the optimum in b->best */
    *first_bad = -1;
    for (b->limit = 0; b->limit <= b->small; b->limit++) {
        b->found = 0;
        bf_walk(b, 0, used, 0);
        if (!b->found) {
            *first_bad = b->limit - 1;
            return;
        }
    }
}

/* ---- checking one answer ---- */

/* row_to_col is a valid answer: min(n, m) distinct pairs, no forbidden
 * one, every pin in it, and its cost (added in row order) is total. */
static void check_valid(const double *c, const unsigned char *f, int n,
                        int m, const int *pr, const int *pc, int np,
                        const int *r2c, double total, const char *what)
{
    char *seen = calloc((size_t)m + 1, 1);
    int i, p, pairs = 0;
    double sum = 0;

    cr_assert_not_null(seen);

    for (i = 0; i < n; i++) {
        int j = r2c[i];
        cr_assert(j >= -1 && j < m, "%s: row %d -> %d", what, i, j);
        if (j < 0) {
            cr_assert(n > m, "%s: row %d unassigned with n <= m", what, i);
            continue;
        }
        cr_assert(!seen[j], "%s: column %d used twice", what, j);
        seen[j] = 1;
        cr_assert(!(f && f[i * m + j]) && c[i * m + j] != INFINITY,
                  "%s: forbidden pair %d,%d used", what, i, j);
        sum += c[i * m + j];
        pairs++;
    }
    free(seen);
    cr_assert_eq(pairs, n < m ? n : m, "%s: %d pairs", what, pairs);
    for (p = 0; p < np; p++)
        cr_assert_eq(r2c[pr[p]], pc[p], "%s: pin %d lost", what, p);
    cr_assert(sum == total, "%s: total %.17g, pairs add to %.17g", what,
              total, sum);
}

/* Solves and compares with brute force: the same feasibility, the same
 * optimum (exactly, or within 1e-9 for real costs), the same culprit. */
static void versus_brute(const double *c, const unsigned char *f, int n,
                         int m, const int *pr, const int *pc, int np,
                         int exact, const char *what)
{
    int r2c[MAXB], bad = -2, first_bad, rc;
    double total = 0;
    struct bf b;

    rc = zx_assign_solve(c, n, m, f, pr, pc, np, r2c, &total, &bad);
    brute(&b, c, f, n, m, pr, pc, np, &first_bad);
    if (first_bad >= 0) {
        cr_assert_eq(rc, ZX_EDATA, "%s: infeasible, got %d", what, rc);
        cr_assert_eq(bad, first_bad, "%s: culprit %d, expected %d", what,
                     bad, first_bad);
        return;
    }
    cr_assert_eq(rc, ZX_OK, "%s: feasible, got %d", what, rc);
    cr_assert_eq(bad, -1, "%s", what);
    check_valid(c, f, n, m, pr, pc, np, r2c, total, what);
    if (exact)
        cr_assert(total == b.best, "%s: %.17g, optimum %.17g", what, total,
                  b.best);
    else
        cr_assert(fabs(total - b.best) <= 1e-9, "%s: %.17g, optimum %.17g",
                  what, total, b.best);
}

/* Random instances of every shape n, m <= 8.  kind 0: integers in
 * [-9, 9] (negatives, many ties); 1: integers in [0, 1000); 2: reals in
 * [-100, 100).  forbid: the chance of a forbidden pair, half of them
 * flagged and half +INFINITY; pins: how many pins at most. */
static void sweep(int kind, double forbid, int maxpins, int seeds)
{
    double c[MAXB * MAXB];
    unsigned char f[MAXB * MAXB];
    int pr[MAXB], pc[MAXB], n, m, s, k, np;
    char what[96];

    for (n = 0; n <= MAXB; n++)
        for (m = 0; m <= MAXB; m++)
            for (s = 0; s < seeds; s++) {
                int rows[MAXB], cols[MAXB], small = n < m ? n : m;
                rng_state = (uint64_t)(n * 100 + m) * 1000 + s;
                for (k = 0; k < n * m; k++) {
                    c[k] = kind == 0   ? (double)(rnd() % 19) - 9
                           : kind == 1 ? (double)(rnd() % 1000)
                                       : rnd01() * 200 - 100;
                    f[k] = 0;
                    if (rnd01() < forbid) {
                        if (rnd() & 1)
                            f[k] = 1;
                        else
                            c[k] = INFINITY;
                    }
                }
                /* distinct pinned rows and columns, on allowed pairs */
                for (k = 0; k < n; k++)
                    rows[k] = k;
                for (k = 0; k < m; k++)
                    cols[k] = k;
                np = maxpins && small ? (int)(rnd() % (maxpins + 1)) : 0;
                if (np > small)
                    np = small;
                for (k = 0; k < np; k++) {
                    int a = k + (int)(rnd() % (n - k)),
                        z = k + (int)(rnd() % (m - k)), t;
                    t = rows[k], rows[k] = rows[a], rows[a] = t;
                    t = cols[k], cols[k] = cols[z], cols[z] = t;
                    pr[k] = rows[k];
                    pc[k] = cols[k];
                    f[pr[k] * m + pc[k]] = 0;
                    if (c[pr[k] * m + pc[k]] == INFINITY)
                        c[pr[k] * m + pc[k]] = 5;
                }
                snprintf(what, sizeof(what),
                         "kind %d forbid %.1f %dx%d seed %d pins %d", kind,
                         forbid, n, m, s, np);
                versus_brute(c, forbid > 0 ? f : NULL, n, m, pr, pc, np,
                             kind != 2, what);
            }
}

Test(assign, brute_force_integer)
{
    sweep(0, 0, 0, 30);
    sweep(1, 0, 0, 30);
}

Test(assign, brute_force_real)
{
    sweep(2, 0, 0, 30);
}

Test(assign, brute_force_forbidden)
{
    sweep(0, 0.3, 0, 20);
    sweep(1, 0.6, 0, 20);
    sweep(2, 0.8, 0, 20);
}

Test(assign, brute_force_pins)
{
    sweep(0, 0, 3, 20);
    sweep(1, 0.4, 8, 20);
    sweep(2, 0.2, 2, 20);
}

/* ---- an independent oracle for larger sizes ---- */

/* The textbook O(n^2 m) Hungarian method (row by row, a Dijkstra over
 * every column each time, no initialisation), n <= m, nothing forbidden.
 * Returns the optimal total. */
static double hungarian(const double *a, int n, int m)
{
    double *u = calloc(n + 1, sizeof(double));
    double *v = calloc(m + 1, sizeof(double));
    double *minv = calloc(m + 1, sizeof(double)), total = 0;
    int *p = calloc(m + 1, sizeof(int)), *way = calloc(m + 1, sizeof(int));
    char *used = calloc(m + 1, 1);
    int i, j, j0, j1, i0;

    cr_assert(u && v && minv && p && way && used);
    for (i = 1; i <= n; i++) {
        p[0] = i;
        j0 = 0;
        for (j = 0; j <= m; j++) {
            minv[j] = INFINITY;
            used[j] = 0;
        }
        do {
            double delta = INFINITY;
            used[j0] = 1;
            i0 = p[j0];
            j1 = 0;
            for (j = 1; j <= m; j++)
                if (!used[j]) {
                    double cur = a[(i0 - 1) * m + j - 1] - u[i0] - v[j];
                    if (cur < minv[j]) {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if (minv[j] < delta) {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            for (j = 0; j <= m; j++)
                if (used[j]) {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            j0 = j1;
        } while (p[j0] != 0);
        do {
            j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
        } while (j0);
    }
    for (j = 1; j <= m; j++)
        if (p[j])
            total += a[(p[j] - 1) * m + j - 1];
    free(u);
    free(v);
    free(minv);
    free(p);
    free(way);
    free(used);
    return total;
}

/* n x m random costs: kind 0 integers in [0, 10) (ties everywhere), 1 in
 * [0, 10^6), 2 reals in [0, 1) (the row reduction's work cap is reached
 * on these). */
static double *random_matrix(int n, int m, int kind, uint64_t seed)
{
    double *c = malloc((size_t)n * m * sizeof(*c));
    int k;

    cr_assert_not_null(c);
    rng_state = seed;
    for (k = 0; k < n * m; k++)
        c[k] = kind == 0   ? (double)(rnd() % 10)
               : kind == 1 ? (double)(rnd() % 1000000)
                           : rnd01();
    return c;
}

Test(assign, larger_against_hungarian)
{
    static const int shape[][2] = { { 50, 50 },   { 100, 100 },
                                    { 300, 300 }, { 60, 150 },
                                    { 150, 60 },  { 199, 200 } };
    int s, kind, seed, i, j;

    for (s = 0; s < (int)(sizeof(shape) / sizeof(shape[0])); s++)
        for (kind = 0; kind < 3; kind++)
            for (seed = 0; seed < 2; seed++) {
                int n = shape[s][0], m = shape[s][1];
                double *c = random_matrix(n, m, kind, (uint64_t)seed + 7);
                double *t = malloc((size_t)n * m * sizeof(*t));
                int *r2c = malloc((size_t)n * sizeof(int));
                double total, want;
                char what[64];

                cr_assert(t && r2c);
                snprintf(what, sizeof(what), "%dx%d kind %d seed %d", n, m,
                         kind, seed);
                /* the oracle wants n <= m: transpose when not */
                for (i = 0; i < n; i++)
                    for (j = 0; j < m; j++)
                        t[j * n + i] = c[i * m + j];
                want = n <= m ? hungarian(c, n, m) : hungarian(t, m, n);
                cr_assert_eq(zx_assign_solve(c, n, m, NULL, NULL, NULL, 0,
                                             r2c, &total, NULL),
                             ZX_OK, "%s", what);
                if (kind == 2)
                    cr_assert(fabs(total - want) <= 1e-9, "%s: %.17g %.17g",
                              what, total, want);
                else
                    cr_assert(total == want, "%s: %.17g %.17g", what, total,
                              want);
                free(t);
                free(r2c);
                free(c);
            }
}

/* The paths inside the solver agree: the caller's matrix used as it is,
 * a copy (an all-zero flag array), the transpose, and a rectangular
 * problem against its square padding with zero rows (column reduction
 * against none). */
Test(assign, paths_agree)
{
    const int n = 120, m = 170;
    double *c = random_matrix(n, m, 1, 99), *t, *pad, a, b, tt, p;
    unsigned char *zero = calloc((size_t)n * m, 1);
    int *r2c = malloc((size_t)m * sizeof(int)), i, j;

    t = malloc((size_t)n * m * sizeof(*t));
    pad = calloc((size_t)m * m, sizeof(*pad));
    cr_assert(zero && r2c && t && pad);
    for (i = 0; i < n; i++)
        for (j = 0; j < m; j++) {
            t[j * n + i] = c[i * m + j];
            pad[i * m + j] = c[i * m + j];
        }
    cr_assert_eq(zx_assign_solve(c, n, m, NULL, NULL, NULL, 0, r2c, &a,
                                 NULL), ZX_OK);
    cr_assert_eq(zx_assign_solve(c, n, m, zero, NULL, NULL, 0, r2c, &b,
                                 NULL), ZX_OK);
    cr_assert_eq(zx_assign_solve(t, m, n, NULL, NULL, NULL, 0, r2c, &tt,
                                 NULL), ZX_OK);
    cr_assert_eq(zx_assign_solve(pad, m, m, NULL, NULL, NULL, 0, r2c, &p,
                                 NULL), ZX_OK);
    cr_assert(a == b && a == tt && a == p, "%.17g %.17g %.17g %.17g", a, b,
              tt, p);
    free(c);
    free(t);
    free(pad);
    free(zero);
    free(r2c);
}

/* ---- known optima ---- */

static void expect(const double *c, int n, int m, double want,
                   const int *want_r2c)
{
    int r2c[8], i;
    double total = -1;

    cr_assert_eq(zx_assign_solve(c, n, m, NULL, NULL, NULL, 0, r2c, &total,
                                 NULL), ZX_OK);
    cr_assert(total == want, "total %.17g, expected %.17g", total, want);
    check_valid(c, NULL, n, m, NULL, NULL, 0, r2c, total, "known");
    if (want_r2c)
        for (i = 0; i < n; i++)
            cr_assert_eq(r2c[i], want_r2c[i], "row %d", i);
}

Test(assign, textbook_instances)
{
    /* Wikipedia's "Hungarian algorithm": three workers, three chores */
    static const double chores[] = { 8, 4, 7, 5, 2, 3, 9, 4, 8 };
    static const int chores_r2c[] = { 0, 2, 1 };
    /* scipy.optimize.linear_sum_assignment's documentation */
    static const double scipy_doc[] = { 4, 1, 3, 2, 0, 5, 3, 2, 2 };
    static const int scipy_r2c[] = { 1, 0, 2 };
    /* the 4 x 4 of hungarianalgorithm.com's worked example */
    static const double four[] = { 82, 83, 69, 92, 77, 37, 49, 92,
                                   11, 69, 5,  86, 8,  9,  98, 23 };
    static const int four_r2c[] = { 2, 1, 0, 3 };

    expect(chores, 3, 3, 15, chores_r2c);
    expect(scipy_doc, 3, 3, 5, scipy_r2c);
    expect(four, 4, 4, 140, four_r2c);
}

Test(assign, rectangular_both_ways)
{
    static const double wide[] = { 1, 2, 3, 2, 4, 6 };   /* 2 x 3 */
    static const double tall[] = { 1, 2, 2, 4, 3, 6 };   /* its transpose */
    static const int wide_r2c[] = { 1, 0 };
    static const int tall_r2c[] = { 1, 0, -1 };
    /* one row, one column */
    static const double row[] = { 5, -2, 7, -2.5 };
    static const int row_r2c[] = { 3 };
    static const int col_r2c[] = { -1, -1, -1, 0 };

    expect(wide, 2, 3, 4, wide_r2c);
    expect(tall, 3, 2, 4, tall_r2c);
    expect(row, 1, 4, -2.5, row_r2c);
    expect(row, 4, 1, -2.5, col_r2c);
}

Test(assign, negative_costs)
{
    /* maximising 4 x 4 profits is minimising their negation */
    static const double neg[] = { -82, -83, -69, -92, -77, -37, -49, -92,
                                  -11, -69, -5,  -86, -8,  -9,  -98, -23 };
    static const int neg_r2c[] = { 1, 0, 3, 2 };
    static const double mixed[] = { -5, -1, 3, -2, -7, 0 }; /* 2 x 3 */
    static const int mixed_r2c[] = { 0, 1 };

    expect(neg, 4, 4, -83 - 77 - 86 - 98, neg_r2c);
    expect(mixed, 2, 3, -12, mixed_r2c);
}

Test(assign, ties)
{
    double same[36], zero_one[36];
    int r2c[6], again[6], k;
    double a, b;

    for (k = 0; k < 36; k++) {
        same[k] = 3;
        zero_one[k] = (k % 7) % 2;
    }
    expect(same, 6, 6, 18, NULL);
    expect(same, 4, 6, 12, NULL);
    expect(same, 6, 4, 12, NULL);
    expect(zero_one, 6, 6, 0, NULL);
    /* the same input gives the same answer */
    cr_assert_eq(zx_assign_solve(zero_one, 6, 6, NULL, NULL, NULL, 0, r2c,
                                 &a, NULL), ZX_OK);
    cr_assert_eq(zx_assign_solve(zero_one, 6, 6, NULL, NULL, NULL, 0, again,
                                 &b, NULL), ZX_OK);
    cr_assert(a == b && memcmp(r2c, again, sizeof(r2c)) == 0);
}

/* ---- forbidden pairs and infeasibility ---- */

static void expect_infeasible(const double *c, const unsigned char *f,
                              int n, int m, const int *pr, const int *pc,
                              int np, int want_bad)
{
    int r2c[8] = { 77, 77, 77, 77, 77, 77, 77, 77 }, bad = -2, k;
    double total = 77;

    cr_assert_eq(zx_assign_solve(c, n, m, f, pr, pc, np, r2c, &total,
                                 &bad), ZX_EDATA);
    cr_assert_eq(bad, want_bad, "culprit %d, expected %d", bad, want_bad);
    cr_assert(total == 77, "the total is left alone");
    for (k = 0; k < 8; k++)
        cr_assert_eq(r2c[k], 77, "row_to_col is left alone");
    /* unmatched may be NULL */
    cr_assert_eq(zx_assign_solve(c, n, m, f, pr, pc, np, r2c, &total,
                                 NULL), ZX_EDATA);
}

Test(assign, forbidden_pairs)
{
    static const double c[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
    static const unsigned char avoid_diag[] = { 1, 0, 0, 0, 1, 0, 0, 0, 1 };
    static const double inf_diag[] = { INFINITY, 2, 3, 4, INFINITY, 6,
                                       7, 8, INFINITY };
    int r2c[3], bad;
    double total;

    /* every permutation of c costs 15; two avoid the diagonal */
    cr_assert_eq(zx_assign_solve(c, 3, 3, avoid_diag, NULL, NULL, 0, r2c,
                                 &total, &bad), ZX_OK);
    cr_assert(total == 15);
    cr_assert_eq(bad, -1);
    check_valid(c, avoid_diag, 3, 3, NULL, NULL, 0, r2c, total, "flags");
    /* +INFINITY is the same as the flag */
    cr_assert_eq(zx_assign_solve(inf_diag, 3, 3, NULL, NULL, NULL, 0, r2c,
                                 &total, NULL), ZX_OK);
    cr_assert(total == 15);
    check_valid(inf_diag, NULL, 3, 3, NULL, NULL, 0, r2c, total, "inf");
}

Test(assign, a_forbidden_pair_costs_more)
{
    /* the free optimum takes (0,0); forbidding it moves to the next best */
    static const double c[] = { 0, 10, 10, 0 };
    static const unsigned char f[] = { 1, 0, 0, 0 };
    int r2c[2];
    double total;

    cr_assert_eq(zx_assign_solve(c, 2, 2, f, NULL, NULL, 0, r2c, &total,
                                 NULL), ZX_OK);
    cr_assert(total == 20 && r2c[0] == 1 && r2c[1] == 0);
}

Test(assign, infeasible_names_the_first_row)
{
    static const double c[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
    static const unsigned char row1[] = { 0, 0, 0, 1, 1, 1, 0, 0, 0 };
    /* rows 0 and 2 may only take column 0 */
    static const unsigned char hall[] = { 0, 1, 1, 0, 0, 0, 0, 1, 1 };
    static const unsigned char col2[] = { 0, 0, 1, 0, 0, 1, 0, 0, 1 };
    static const double inf_row0[] = { INFINITY, INFINITY, 1, 2 };
    static const unsigned char one[] = { 1 };

    expect_infeasible(c, row1, 3, 3, NULL, NULL, 0, 1);
    expect_infeasible(c, hall, 3, 3, NULL, NULL, 0, 2);
    expect_infeasible(c, col2, 3, 3, NULL, NULL, 0, 2);
    expect_infeasible(inf_row0, NULL, 2, 2, NULL, NULL, 0, 0);
    expect_infeasible(c, one, 1, 1, NULL, NULL, 0, 0);
}

Test(assign, infeasible_wide_and_tall)
{
    /* 2 x 3: row 1 may take nothing */
    static const double wide[] = { 1, 2, 3, INFINITY, INFINITY, INFINITY };
    /* 3 x 2 (every column must be assigned): nobody may take column 1 */
    static const double tall[] = { 1, INFINITY, 2, INFINITY, 3, INFINITY };
    /* 3 x 2: columns 0 and 1 may only take row 2 */
    static const unsigned char both[] = { 1, 1, 1, 1, 0, 0 };
    static const double c32[] = { 1, 2, 3, 4, 5, 6 };

    expect_infeasible(wide, NULL, 2, 3, NULL, NULL, 0, 1);
    expect_infeasible(tall, NULL, 3, 2, NULL, NULL, 0, 1);
    expect_infeasible(c32, both, 3, 2, NULL, NULL, 0, 1);
}

/* A larger infeasible case: the culprit is found past the first rows. */
Test(assign, infeasible_large)
{
    const int n = 200;
    double *c = random_matrix(n, n, 1, 5);
    unsigned char *f = calloc((size_t)n * n, 1);
    int *r2c = malloc((size_t)n * sizeof(int)), bad, i;
    double total;

    cr_assert(f && r2c);
    /* rows 150, 170 and 190 may only take columns 10 and 11: 150 and
     * 170 can have them, 190 is the first left without */
    for (i = 0; i < n; i++)
        if (i != 10 && i != 11)
            f[150 * n + i] = f[170 * n + i] = f[190 * n + i] = 1;
    cr_assert_eq(zx_assign_solve(c, n, n, f, NULL, NULL, 0, r2c, &total,
                                 &bad), ZX_EDATA);
    cr_assert_eq(bad, 190);
    /* with column 12 open to row 190 too, all are served */
    f[190 * n + 12] = 0;
    cr_assert_eq(zx_assign_solve(c, n, n, f, NULL, NULL, 0, r2c, &total,
                                 &bad), ZX_OK);
    cr_assert_eq(r2c[190], 12);
    check_valid(c, f, n, n, NULL, NULL, 0, r2c, total, "large");
    free(c);
    free(f);
    free(r2c);
}

/* ---- pins ---- */

Test(assign, pins)
{
    static const double four[] = { 82, 83, 69, 92, 77, 37, 49, 92,
                                   11, 69, 5,  86, 8,  9,  98, 23 };
    static const int pr[] = { 0 }, pc[] = { 0 };
    static const int pr2[] = { 3, 1 }, pc2[] = { 2, 0 };
    static const int all_r[] = { 0, 1, 2, 3 }, all_c[] = { 3, 2, 1, 0 };
    int r2c[4];
    double total;

    /* (0,0) pinned: the rest is rows 1-3 over columns 1-3, best 37 + 5
     * + 23 */
    cr_assert_eq(zx_assign_solve(four, 4, 4, NULL, pr, pc, 1, r2c, &total,
                                 NULL), ZX_OK);
    cr_assert(total == 82 + 37 + 5 + 23, "%g", total);
    check_valid(four, NULL, 4, 4, pr, pc, 1, r2c, total, "pin");
    /* two pins, the rest rows 0, 2 over columns 1, 3 */
    cr_assert_eq(zx_assign_solve(four, 4, 4, NULL, pr2, pc2, 2, r2c, &total,
                                 NULL), ZX_OK);
    cr_assert(total == 98 + 77 + 92 + 69, "%g", total);
    check_valid(four, NULL, 4, 4, pr2, pc2, 2, r2c, total, "pins");
    /* everything pinned */
    cr_assert_eq(zx_assign_solve(four, 4, 4, NULL, all_r, all_c, 4, r2c,
                                 &total, NULL), ZX_OK);
    cr_assert(total == 92 + 49 + 69 + 8, "%g", total);
}

Test(assign, pins_rectangular)
{
    static const double tall[] = { 1, 2, 2, 4, 3, 6 }; /* 3 x 2 */
    static const int pr[] = { 2 }, pc[] = { 1 };
    int r2c[3];
    double total;

    /* row 2 takes column 1; column 0 goes to the cheapest other row */
    cr_assert_eq(zx_assign_solve(tall, 3, 2, NULL, pr, pc, 1, r2c, &total,
                                 NULL), ZX_OK);
    cr_assert(total == 7 && r2c[0] == 0 && r2c[1] == -1 && r2c[2] == 1);
}

Test(assign, pins_make_it_infeasible)
{
    static const double c[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
    /* row 0 may only take column 0, which row 2's pin takes */
    static const unsigned char f[] = { 0, 1, 1, 0, 0, 0, 0, 0, 0 };
    static const int pr[] = { 2 }, pc[] = { 0 };
    static const double two[] = { 1, 2, 3, INFINITY };
    static const int pr1[] = { 0 }, pc1[] = { 0 };

    expect_infeasible(c, f, 3, 3, pr, pc, 1, 0);
    expect_infeasible(two, NULL, 2, 2, pr1, pc1, 1, 1);
}

/* ---- bad arguments ---- */

static void expect_einval(const double *c, int n, int m,
                          const unsigned char *f, const int *pr,
                          const int *pc, int np)
{
    int r2c[4] = { 77, 77, 77, 77 }, bad = -2, k;
    double total = 77;

    cr_assert_eq(zx_assign_solve(c, n, m, f, pr, pc, np, r2c, &total,
                                 &bad), ZX_EINVAL);
    cr_assert(total == 77);
    cr_assert_eq(bad, -1);
    for (k = 0; k < 4; k++)
        cr_assert_eq(r2c[k], 77);
}

Test(assign, bad_arguments)
{
    static const double c[] = { 1, 2, 3, 4 };
    static const unsigned char f01[] = { 0, 1, 0, 0 };
    static const int r0[] = { 0 }, c1[] = { 1 }, r00[] = { 0, 0 },
                     c01[] = { 0, 1 }, c00[] = { 0, 0 }, r01[] = { 0, 1 },
                     two[] = { 2 }, neg[] = { -1 };
    double nan_c[] = { 1, NAN, 3, 4 }, ninf[] = { 1, 2, -INFINITY, 4 };
    double big[] = { 1, 2, 3, 2e100 };
    int r2c[2];
    double total;

    expect_einval(c, -1, 2, NULL, NULL, NULL, 0);
    expect_einval(c, 2, -1, NULL, NULL, NULL, 0);
    expect_einval(c, 2, 2, NULL, NULL, NULL, -1);
    expect_einval(NULL, 2, 2, NULL, NULL, NULL, 0);
    expect_einval(c, 2, 2, NULL, NULL, c1, 1);
    expect_einval(c, 2, 2, NULL, r0, NULL, 1);
    cr_assert_eq(zx_assign_solve(c, 2, 2, NULL, NULL, NULL, 0, NULL, &total,
                                 NULL), ZX_EINVAL);
    cr_assert_eq(zx_assign_solve(c, 2, 2, NULL, NULL, NULL, 0, r2c, NULL,
                                 NULL), ZX_EINVAL);
    /* costs */
    expect_einval(nan_c, 2, 2, NULL, NULL, NULL, 0);
    expect_einval(ninf, 2, 2, NULL, NULL, NULL, 0);
    expect_einval(big, 2, 2, NULL, NULL, NULL, 0);
    /* a flagged pair's cost is never read, NaN or not */
    cr_assert_eq(zx_assign_solve(nan_c, 2, 2, f01, NULL, NULL, 0, r2c,
                                 &total, NULL), ZX_OK);
    cr_assert(total == 5 && r2c[0] == 0 && r2c[1] == 1);
    /* pins: out of range, sharing a row, sharing a column, forbidden */
    expect_einval(c, 2, 2, NULL, two, r0, 1);
    expect_einval(c, 2, 2, NULL, r0, two, 1);
    expect_einval(c, 2, 2, NULL, neg, r0, 1);
    expect_einval(c, 2, 2, NULL, r0, neg, 1);
    expect_einval(c, 2, 2, NULL, r00, c01, 2);
    expect_einval(c, 2, 2, NULL, r01, c00, 2);
    expect_einval(c, 2, 2, f01, r0, c1, 1);
    {
        double inf01[] = { 1, INFINITY, 3, 4 };
        expect_einval(inf01, 2, 2, NULL, r0, c1, 1);
    }
}

/* ---- sizes 0 ---- */

Test(assign, empty)
{
    static const double c[] = { 4, 5, 6 };
    int r2c[3] = { 7, 7, 7 };
    double total = 7;

    cr_assert_eq(zx_assign_solve(NULL, 0, 0, NULL, NULL, NULL, 0, NULL,
                                 &total, NULL), ZX_OK);
    cr_assert(total == 0);
    total = 7;
    cr_assert_eq(zx_assign_solve(NULL, 0, 5, NULL, NULL, NULL, 0, NULL,
                                 &total, NULL), ZX_OK);
    cr_assert(total == 0);
    total = 7;
    cr_assert_eq(zx_assign_solve(NULL, 3, 0, NULL, NULL, NULL, 0, r2c,
                                 &total, NULL), ZX_OK);
    cr_assert(total == 0 && r2c[0] == -1 && r2c[1] == -1 && r2c[2] == -1);
    /* a 3 x 1 whose single column goes to its cheapest row */
    cr_assert_eq(zx_assign_solve(c, 3, 1, NULL, NULL, NULL, 0, r2c, &total,
                                 NULL), ZX_OK);
    cr_assert(total == 4 && r2c[0] == 0 && r2c[1] == -1 && r2c[2] == -1);
}
