/*
 * assign.h - exact optimal one-to-one assignment (the linear assignment
 * problem): pair the rows of a cost matrix (mentors, say) with its columns
 * (mentees) at the least total cost.
 *
 * The pairing mechanisms of the plan need the optimum, not a greedy guess,
 * and at the size of a city's teacher body (thousands a side), so this is
 * a shortest-augmenting-path solver in the Jonker-Volgenant style over
 * doubles (assign.c says how).  It is one function over plain arrays:
 * callers build the matrix from whatever they score (distance, subject,
 * seniority) and this module knows nothing of teachers or the database.
 *
 * The problem.  cost is n rows by m columns, row-major (cost[i * m + j]),
 * n and m may differ.  min(n, m) pairs are made: every row is assigned
 * when n <= m, every column when n > m; each row and each column is used
 * at most once.  A pair is forbidden when forbidden[i * m + j] is nonzero
 * (forbidden may be NULL) or when its cost is +INFINITY.  A pinned pair
 * (pin_row[k], pin_col[k]) is in the solution whatever it costs; the rest
 * is solved optimally around the pins.  Costs may be negative.  Among
 * several optima one is returned, the same one for the same input.
 */
#ifndef ZX_ASSIGN_H
#define ZX_ASSIGN_H

/* The largest finite |cost| accepted.  It keeps every sum the algorithm
 * forms far from overflow, so that +INFINITY means only "forbidden".
 * Every value the algorithm forms is a signed sum of the costs along an
 * alternating path, so integer costs give exact results while about
 * 4 * min(n, m) * max|cost| < 2^53 (costs below 10^6: any n < 10^9). */
#define ZX_ASSIGN_COST_MAX 1e100

/*
 * Solves the problem above.  The caller owns every array; nothing is kept.
 *
 *   cost        n * m costs, row-major; may be NULL when n * m == 0
 *   forbidden   n * m flags (nonzero: the pair may not be made), or NULL
 *   pin_row, pin_col, npins
 *               npins pairs that must be in the solution (both arrays
 *               may be NULL when npins == 0)
 *   row_to_col  out, n entries: row i's column, or -1 (only when n > m)
 *   total       out: the sum of the chosen pairs' costs, pins included,
 *               added in row order
 *   unmatched   out, may be NULL: on ZX_EDATA, see below; else -1
 *
 * Returns
 *   ZX_OK      row_to_col and *total hold an optimal assignment;
 *   ZX_EDATA   the forbidden pairs (with the pins) leave no assignment of
 *              min(n, m) pairs.  *unmatched names the culprit: when
 *              n <= m, the first row that cannot be matched, i.e. the
 *              smallest k such that the pins and rows 0..k cannot all be
 *              assigned at once (never a pinned row); when n > m, the
 *              first column in the same sense;
 *   ZX_EINVAL  n or m negative, a required array NULL, a cost that is NaN,
 *              -INFINITY or beyond ZX_ASSIGN_COST_MAX in magnitude (unless
 *              the pair is forbidden by its flag: its cost is never read),
 *              a pin out of range, two pins sharing a row or a column, or
 *              a pin on a forbidden pair;
 *   ZX_ENOMEM  out of memory.
 * On any error row_to_col and *total are left as they were.
 *
 * Time O(k^2 * max(n, m)) in the worst case, k = min(n, m); on random
 * dense matrices far less.  Memory: O(n + m), plus a copy of the matrix
 * when there are pins or forbidden flags or n > m.
 */
int zx_assign_solve(const double *cost, int n, int m,
                    const unsigned char *forbidden, const int *pin_row,
                    const int *pin_col, int npins, int *row_to_col,
                    double *total, int *unmatched);

#endif
