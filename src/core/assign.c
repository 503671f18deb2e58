/*
 * assign.c - the linear assignment solver (see assign.h).
 *
 * zx_assign_solve checks its input, sets the pins aside and reduces what
 * is left to a problem of `rows` <= `cols` in which every row must be
 * assigned (transposing when n > m), with forbidden pairs as +INFINITY.
 * That problem is solved by the algorithm of Jonker and Volgenant (1987,
 * "LAPJV"): dual potentials v on the columns, and for each row the
 * implicit potential u[i] = min_j (c[i][j] - v[j]).
 *
 * The invariant, kept by every phase: each assigned row's column attains
 * that minimum (its reduced cost c - u - v is 0, and no reduced cost is
 * negative), and, when rows < cols, every free column has v = 0 and no
 * column has v > 0.  When every row is assigned, u and v are then a
 * feasible dual solution with complementary slackness, which proves the
 * assignment optimal: for square problems this is the textbook argument,
 * and for rectangular ones v <= 0 is the dual of "each column at most
 * once", tight (v = 0) on the columns left over.
 *
 * The phases (square problems take all three, rectangular ones the last
 * two, since column reduction gives free columns unequal potentials):
 *   1. column reduction: v[j] = the least cost of column j, and column j
 *      goes to the row where that is reached if the row has none yet;
 *      then "reduction transfer" lowers the v of each row's only column
 *      by the gap to the row's next best, so that later phases find the
 *      row less attached to it;
 *   2. augmenting row reduction: a free row takes its best column at the
 *      price of its second best (lowering that column's v by the
 *      difference), evicting the column's holder, which tries again at
 *      once; an auction without bidding increment, two rounds, which
 *      assigns most rows of a random matrix for O(n) scans;
 *   3. augmentation: for each row still free, Dijkstra's shortest path
 *      over reduced costs from the row to the nearest free column, taking
 *      all the columns at the current least distance at once and stopping
 *      at the first free one found; then the potentials of the columns
 *      scanned are moved by their distances so that the invariant holds
 *      again, and the path is flipped.
 * Phase 3 alone is correct; 1 and 2 only make it start closer.  The cost
 * of the whole is dominated by the last few augmentations of phase 3.
 */
#include "assign.h"
#include "zx.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* The reduced problem.  The int arrays pred and col are phase 3's but
 * serve phase 1 as scratch. */
struct lap {
    const double *c;   /* rows * cols, row-major; +INFINITY: forbidden */
    int rows, cols;    /* rows <= cols; every row is to be assigned */
    double *v;         /* cols: column potentials */
    double *d;         /* cols: distances from the row being augmented */
    int *x;            /* rows: row -> column, -1 while free */
    int *y;            /* cols: column -> row, -1 while free */
    int *pred;         /* cols: the row a column was reached from */
    int *col;          /* cols: scanned | at the least distance | rest */
    int *free;         /* rows: the rows still free, nfree of them */
    int nfree;
};

/* Phase 1, square problems only.  Returns ZX_EDATA when a column has no
 * allowed row (no complete assignment exists). */
static int column_reduction(struct lap *s)
{
    const int n = s->rows;
    int *arg = s->col, *matches = s->pred;
    int i, j, j1;

    /* Row by row rather than column by column: the matrix is read in
     * memory order.  Ties go to the first row. */
    for (j = 0; j < n; j++) {
        s->v[j] = INFINITY;
        arg[j] = -1;
    }
    for (i = 0; i < n; i++) {
        const double *row = s->c + (size_t)i * n;
        matches[i] = 0;
        s->x[i] = -1;
        for (j = 0; j < n; j++)
            if (row[j] < s->v[j]) {
                s->v[j] = row[j];
                arg[j] = i;
            }
    }
    for (j = 0; j < n; j++) {
        if (arg[j] < 0)
            return ZX_EDATA;
        i = arg[j];
        if (matches[i]++ == 0) {
            s->x[i] = j;
            s->y[j] = i;
        } else {
            s->y[j] = -1;
        }
    }
    /* Reduction transfer, for rows that got exactly one column: every
     * reduced cost is >= 0 here, so the row's next best mu is too, and
     * lowering v[j1] by mu keeps j1 a best column of the row.  A row with
     * a single allowed column has no next best and keeps its v. */
    s->nfree = 0;
    for (i = 0; i < n; i++) {
        const double *row = s->c + (size_t)i * n;
        double mu = INFINITY;
        if (matches[i] == 0) {
            s->free[s->nfree++] = i;
            continue;
        }
        if (matches[i] > 1)
            continue;
        j1 = s->x[i];
        for (j = 0; j < n; j++)
            if (j != j1 && row[j] - s->v[j] < mu)
                mu = row[j] - s->v[j];
        if (mu < INFINITY)
            s->v[j1] -= mu;
    }
    return ZX_OK;
}

/* Phase 2: two rounds over the free rows.  A row whose best column is
 * strictly better than its second takes it and lowers its v to make the
 * two equal; the evicted holder is tried again at once (its old column
 * now costs it more, so the prices only move one way).  On a tie the row
 * takes a free one of the two if there is one, and the evicted holder
 * waits for the next round, since no price moved.  A row with fewer than
 * two allowed columns is left to phase 3, which alone can prove that it
 * cannot be matched.  The rows still free at the end are in s->free.
 *
 * An auction without increment can fight a long price war over a few
 * columns (tiny real differences); the work is capped, and what is left
 * goes to phase 3, which handles any state the invariant allows.  On
 * random real costs at n = 4000 the uncapped phase took 143 n steps and
 * 1.5 s, capped at 8 n it leaves 49 rows to phase 3 and the whole solve
 * takes 0.4 s; integer costs need about 4 n steps and never reach it. */
static void row_reduction(struct lap *s)
{
    const int n = s->cols;
    long budget = 8L * s->rows + 64;
    int round, k, prev, i, i0, j, j1, j2;

    for (round = 0; round < 2; round++) {
        prev = s->nfree;
        s->nfree = 0;
        k = 0;
        while (k < prev) {
            const double *row;
            double u1, u2, h;
            i = s->free[k++];
            if (budget-- <= 0) {
                s->free[s->nfree++] = i;
                continue;
            }
            row = s->c + (size_t)i * n;
            u1 = row[0] - s->v[0];
            u2 = INFINITY;
            j1 = 0;
            j2 = -1;
            for (j = 1; j < n; j++) {
                h = row[j] - s->v[j];
                if (h < u2) {
                    if (h >= u1) {
                        u2 = h;
                        j2 = j;
                    } else {
                        u2 = u1;
                        u1 = h;
                        j2 = j1;
                        j1 = j;
                    }
                }
            }
            if (u2 == INFINITY) {
                s->free[s->nfree++] = i;
                continue;
            }
            i0 = s->y[j1];
            if (u1 < u2) {
                s->v[j1] -= u2 - u1;
            } else if (i0 >= 0) {
                j1 = j2;
                i0 = s->y[j2];
            }
            s->x[i] = j1;
            s->y[j1] = i;
            if (i0 >= 0) {
                s->x[i0] = -1;
                /* k > s->nfree here, so either slot has been read */
                if (u1 < u2)
                    s->free[--k] = i0;
                else
                    s->free[s->nfree++] = i0;
            }
        }
    }
}

/* Phase 3 for free row f.  col[0, low) are the columns scanned (their
 * distance final), col[low, up) those at the current least distance dmin
 * waiting to be scanned, col[up, cols) the rest.  Returns ZX_EDATA when
 * no free column can be reached through allowed pairs. */
static int augment(struct lap *s, int f)
{
    const int n = s->cols;
    const double *row = s->c + (size_t)f * n;
    double *d = s->d, *v = s->v, dmin = 0, h, dj;
    int *col = s->col;
    int low = 0, up = 0, last = 0, end = -1, i, j, k;

    for (j = 0; j < n; j++) {
        d[j] = row[j] - v[j];
        s->pred[j] = f;
        col[j] = j;
    }
    for (;;) {
        if (up == low) {
            /* Gather the columns at the new least distance.  up < n: the
             * columns scanned are all assigned and a free one exists. */
            last = low;
            dmin = d[col[up++]];
            for (k = up; k < n; k++) {
                j = col[k];
                dj = d[j];
                if (dj <= dmin) {
                    if (dj < dmin) {
                        up = low;
                        dmin = dj;
                    }
                    col[k] = col[up];
                    col[up++] = j;
                }
            }
            if (dmin == INFINITY)
                return ZX_EDATA;
            for (k = low; k < up; k++)
                if (s->y[col[k]] < 0) {
                    end = col[k];
                    goto found;
                }
        }
        /* Scan one column: reach the others through its row i.  h is u[i]
         * shifted by dmin, so that v2 is the distance through i. */
        j = col[low++];
        i = s->y[j];
        row = s->c + (size_t)i * n;
        h = row[j] - v[j] - dmin;
        for (k = up; k < n; k++) {
            double v2;
            j = col[k];
            v2 = row[j] - v[j] - h;
            if (v2 < d[j]) {
                s->pred[j] = i;
                if (v2 == dmin) {
                    if (s->y[j] < 0) {
                        end = j;
                        goto found;
                    }
                    col[k] = col[up];
                    col[up++] = j;
                }
                d[j] = v2;
            }
        }
    }
found:
    /* Columns scanned before the last gathering are closer than dmin;
     * those scanned since are at dmin and keep their v. */
    for (k = 0; k < last; k++) {
        j = col[k];
        v[j] += d[j] - dmin;
    }
    do {
        i = s->pred[end];
        s->y[end] = i;
        k = s->x[i];
        s->x[i] = end;
        end = k;
    } while (i != f);
    return ZX_OK;
}

static int lap_solve(struct lap *s)
{
    int i, j, rc;

    for (j = 0; j < s->cols; j++)
        s->y[j] = -1;
    if (s->rows == s->cols) {
        if ((rc = column_reduction(s)))
            return rc;
    } else {
        for (j = 0; j < s->cols; j++)
            s->v[j] = 0;
        for (i = 0; i < s->rows; i++) {
            s->x[i] = -1;
            s->free[i] = i;
        }
        s->nfree = s->rows;
    }
    row_reduction(s);
    for (i = 0; i < s->nfree; i++)
        if ((rc = augment(s, s->free[i])))
            return rc;
    return ZX_OK;
}

/* After lap_solve found no complete assignment: the first row k such that
 * rows 0..k cannot all be matched.  Rows are matched in order, each by a
 * breadth-first search for an augmenting path over the allowed pairs
 * (costs ignored); a matching of rows 0..k-1 has an augmenting path from
 * row k exactly when rows 0..k can all be matched, so the first row
 * without one is the answer.  It cannot be beyond the last row. */
static int first_unmatchable(struct lap *s)
{
    const int n = s->cols;
    int *seen = s->col, *queue = s->free;
    int i, j, k, r, head, tail, end;

    for (i = 0; i < s->rows; i++)
        s->x[i] = -1;
    for (j = 0; j < n; j++) {
        s->y[j] = -1;
        seen[j] = -1;
    }
    for (i = 0; i < s->rows - 1; i++) {
        queue[0] = i;
        head = 0;
        tail = 1;
        end = -1;
        while (head < tail && end < 0) {
            const double *row = s->c + (size_t)queue[head++] * n;
            for (j = 0; j < n; j++) {
                if (row[j] == INFINITY || seen[j] == i)
                    continue;
                seen[j] = i;
                s->pred[j] = queue[head - 1];
                if (s->y[j] < 0) {
                    end = j;
                    break;
                }
                queue[tail++] = s->y[j];
            }
        }
        if (end < 0)
            return i;
        do {
            r = s->pred[end];
            s->y[end] = r;
            k = s->x[r];
            s->x[r] = end;
            end = k;
        } while (r != i);
    }
    return s->rows - 1;
}

/* Are the arguments well formed?  Fills rpin (n: row's pinned column or
 * -1) and cpin (m: 1 if the column is pinned). */
static int check(const double *cost, int n, int m,
                 const unsigned char *forbidden, const int *pin_row,
                 const int *pin_col, int npins, int *rpin, int *cpin)
{
    size_t k, nm = (size_t)n * (size_t)m;
    int p, i, j;

    for (k = 0; k < nm; k++) {
        double c = cost[k];
        /* written so that NaN fails too; the flag, seldom needed, last */
        if (!(c >= -ZX_ASSIGN_COST_MAX &&
              (c <= ZX_ASSIGN_COST_MAX || c == INFINITY)) &&
            !(forbidden && forbidden[k]))
            return ZX_EINVAL;
    }
    for (i = 0; i < n; i++)
        rpin[i] = -1;
    for (j = 0; j < m; j++)
        cpin[j] = 0;
    for (p = 0; p < npins; p++) {
        i = pin_row[p];
        j = pin_col[p];
        if (i < 0 || i >= n || j < 0 || j >= m || rpin[i] >= 0 || cpin[j])
            return ZX_EINVAL;
        k = (size_t)i * (size_t)m + (size_t)j;
        if ((forbidden && forbidden[k]) || cost[k] == INFINITY)
            return ZX_EINVAL;
        rpin[i] = j;
        cpin[j] = 1;
    }
    return ZX_OK;
}

int zx_assign_solve(const double *cost, int n, int m,
                    const unsigned char *forbidden, const int *pin_row,
                    const int *pin_col, int npins, int *row_to_col,
                    double *total, int *unmatched)
{
    struct lap s = { 0 };
    double *copy = NULL, sum = 0;
    int *rpin = NULL, *cpin = NULL, *rmap = NULL, *cmap = NULL;
    int rc, flip = n > m, nr, nc, i, j, r;
    size_t big;

    if (unmatched)
        *unmatched = -1;
    if (n < 0 || m < 0 || npins < 0 ||
        (n > 0 && m > 0 && !cost) || (n > 0 && !row_to_col) || !total ||
        (npins > 0 && (!pin_row || !pin_col)))
        return ZX_EINVAL;
    if ((size_t)n * (size_t)m > SIZE_MAX / sizeof(double))
        return ZX_ENOMEM;
    /* Every array at the larger side's length (the reduced problem is no
     * larger), plus one: malloc(0) may return NULL. */
    big = (size_t)(flip ? n : m) + 1;
    rc = ZX_ENOMEM;
    rpin = malloc(big * sizeof(*rpin));
    cpin = malloc(big * sizeof(*cpin));
    rmap = malloc(big * sizeof(*rmap));
    cmap = malloc(big * sizeof(*cmap));
    s.v = malloc(big * sizeof(*s.v));
    s.d = malloc(big * sizeof(*s.d));
    s.x = malloc(big * sizeof(*s.x));
    s.y = malloc(big * sizeof(*s.y));
    s.pred = malloc(big * sizeof(*s.pred));
    s.col = malloc(big * sizeof(*s.col));
    s.free = malloc(big * sizeof(*s.free));
    if (!rpin || !cpin || !rmap || !cmap || !s.v || !s.d || !s.x || !s.y ||
        !s.pred || !s.col || !s.free)
        goto fail;
    if ((rc = check(cost, n, m, forbidden, pin_row, pin_col, npins, rpin,
                    cpin)))
        goto fail;

    /* What the pins leave: rmap[0, nr) and cmap[0, nc) are the original
     * indices of the rows and columns still to be paired. */
    for (nr = 0, i = 0; i < n; i++)
        if (rpin[i] < 0)
            rmap[nr++] = i;
    for (nc = 0, j = 0; j < m; j++)
        if (!cpin[j])
            cmap[nc++] = j;
    s.rows = flip ? nc : nr;
    s.cols = flip ? nr : nc;
    if (!flip && !npins && !forbidden) {
        s.c = cost;
    } else {
        copy = malloc(((size_t)s.rows * (size_t)s.cols + 1) *
                      sizeof(*copy));
        if (!copy) {
            rc = ZX_ENOMEM;
            goto fail;
        }
        for (i = 0; i < nr; i++)
            for (j = 0; j < nc; j++) {
                size_t k = (size_t)rmap[i] * (size_t)m + (size_t)cmap[j];
                double c = forbidden && forbidden[k] ? INFINITY : cost[k];
                if (flip)
                    copy[(size_t)j * (size_t)nr + (size_t)i] = c;
                else
                    copy[(size_t)i * (size_t)nc + (size_t)j] = c;
            }
        s.c = copy;
    }

    if ((rc = lap_solve(&s))) {
        if (unmatched) {
            r = first_unmatchable(&s);
            *unmatched = flip ? cmap[r] : rmap[r];
        }
        goto fail;
    }
    for (i = 0; i < n; i++)
        row_to_col[i] = rpin[i];
    for (r = 0; r < s.rows; r++) {
        if (flip)
            row_to_col[rmap[s.x[r]]] = cmap[r];
        else
            row_to_col[rmap[r]] = cmap[s.x[r]];
    }
    for (i = 0; i < n; i++)
        if (row_to_col[i] >= 0)
            sum += cost[(size_t)i * (size_t)m + (size_t)row_to_col[i]];
    *total = sum;
fail:
    free(s.v);
    free(s.d);
    free(s.x);
    free(s.y);
    free(s.pred);
    free(s.col);
    free(s.free);
    free(copy);
    free(rpin);
    free(cpin);
    free(rmap);
    free(cmap);
    return rc;
}
