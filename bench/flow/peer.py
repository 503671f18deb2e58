"""bench/flow peer: networkx (Debian's python3-networkx) on the
redistribution instance bench/flow/solve.c wrote, in the same
max-flow-first sense: networkx.max_flow_min_cost from a super source to
a super sink (arcs source -> surplus school, capacity its surplus;
short school -> sink, capacity its shortage), which finds the maximum
flow value (preflow-push) and then a least-cost flow of that value with
networkx.min_cost_flow, i.e. networkx.network_simplex.

Only the solve is timed, the DiGraph already built (as solve.c times
only zx_mcflow_solve_max).

Usage: /usr/bin/python3 peer.py FILE [ROUNDS]
Prints "flow F", "cost C" and "seconds BEST" (the best of ROUNDS,
default 1: one solve takes long enough), as solve.c does.
"""
import sys
import time

import networkx as nx

path = sys.argv[1]
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 1

G = nx.DiGraph()
with open(path) as f:
    for line in f:
        w = line.split()
        if w[0] == "n":
            v, s = int(w[1]), int(w[2])
            if s > 0:
                G.add_edge("source", v, capacity=s, weight=0)
            else:
                G.add_edge(v, "sink", capacity=-s, weight=0)
        elif w[0] == "a":
            G.add_edge(int(w[1]), int(w[2]), capacity=int(w[3]),
                       weight=int(w[4]))

best = None
for _ in range(rounds):
    t0 = time.perf_counter()
    flow = nx.max_flow_min_cost(G, "source", "sink")
    t = time.perf_counter() - t0
    best = t if best is None or t < best else best

print(f"flow {sum(flow['source'].values())}")
print(f"cost {nx.cost_of_flow(G, flow)}")
print(f"seconds {best:.3f}")
