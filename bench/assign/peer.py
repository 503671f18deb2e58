"""bench/assign peer: scipy.optimize.linear_sum_assignment (Debian's
python3-scipy, a C++ shortest augmenting path after Crouse, 2016) on the
instance bench/assign/solve.c wrote: N * N float64, row-major, in this
machine's byte order, which numpy.fromfile reads as it is.

Only the solve is timed, the matrix already in memory as a C-contiguous
float64 array (what scipy works on, so it makes no copy of its own).

Usage: /usr/bin/python3 peer.py N FILE [ROUNDS]
Prints "cost TOTAL" and "seconds BEST" (the best of ROUNDS, default 3),
as solve.c does.
"""
import sys
import time

import numpy as np
from scipy.optimize import linear_sum_assignment

n, path = int(sys.argv[1]), sys.argv[2]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
cost = np.fromfile(path, dtype=np.float64).reshape(n, n)

best = None
for _ in range(rounds):
    t0 = time.perf_counter()
    rows, cols = linear_sum_assignment(cost)
    t = time.perf_counter() - t0
    best = t if best is None or t < best else best

# integer costs: the sum is exact, and printed as an integer like solve.c
print(f"cost {cost[rows, cols].sum():.0f}")
print(f"seconds {best:.3f}")
