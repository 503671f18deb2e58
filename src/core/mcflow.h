/*
 * mcflow.h - exact minimum-cost flow on a directed graph with integer
 * capacities and 64-bit integer costs.
 *
 * Teacher redistribution (3.4.3-T8) moves surplus teachers to schools
 * short of them at the least total distance, within quotas, without
 * forbidden moves: a transportation problem, which is a min-cost flow.
 * This module owns the flow problem only; callers build the graph from
 * whatever they know (schools, distances, quotas) and read the flows
 * back, as with assign.h.  A surplus school is a node with supply, a
 * short school a node with demand, an allowed move an arc whose cost is
 * the distance plus a fixed cost per move and whose capacity is the
 * quota for that pair; a forbidden move is no arc.  With arcs only from
 * surplus to short schools every unit of flow is one teacher moving
 * once.  A quota on a school as a whole is a node split (in -> out with
 * the quota as capacity).
 *
 * The problem.  Nodes 0..n-1 each have a supply (> 0: gives that much,
 * < 0: takes that much, 0: transit only).  Arcs 0..m-1 go from one node
 * to another with a capacity >= 0 and a cost per unit; parallel arcs
 * and arcs of capacity 0 are allowed.  Costs may be negative provided no
 * cycle of arcs with positive capacity has a negative total (such a cycle
 * is refused, see zx_mcflow_solve).  A solution gives each arc an
 * integral flow in [0, capacity] such that every node sends out its
 * supply net of what it receives (solve), or as much as possible of it
 * (solve_max), at the least total cost.  Among several optima one is
 * returned, the same one for the same input.
 *
 * Ownership: a zx_mcflow is made by zx_mcflow_new and owns all of its
 * memory; zx_mcflow_free releases it.  Node and arc ids are consecutive
 * from 0 in order of creation.  Not thread-safe per object; distinct
 * objects are independent.
 */
#ifndef ZX_MCFLOW_H
#define ZX_MCFLOW_H

#include <stdint.h>

/* The largest |cost| of an arc.  Solving also checks that the sums it
 * forms cannot overflow (see zx_mcflow_solve): with costs below 10^4 any
 * graph of up to 7 million nodes passes, with costs up to this bound
 * 10,000 nodes. */
#define ZX_MCFLOW_COST_MAX ((int64_t)1 << 31)

typedef struct zx_mcflow zx_mcflow;

/* An empty problem, or NULL when out of memory. */
zx_mcflow *zx_mcflow_new(void);

/* Releases g and everything it holds; g may be NULL. */
void zx_mcflow_free(zx_mcflow *g);

/* Adds a node with the given supply (> 0 gives, < 0 takes); its id, the
 * number of nodes before the call, goes to *id when id is not NULL.
 * ZX_EINVAL when |supply| > INT64_MAX / 4, ZX_ENOMEM. */
int zx_mcflow_add_node(zx_mcflow *g, int64_t supply, int *id);

/* Changes node's supply.  ZX_EINVAL on a bad node or supply. */
int zx_mcflow_set_supply(zx_mcflow *g, int node, int64_t supply);

/* Adds the arc from -> to; its id, the number of arcs before the call,
 * goes to *id when id is not NULL.  ZX_EINVAL when a node does not exist,
 * cap < 0 or |cost| > ZX_MCFLOW_COST_MAX; ZX_ENOMEM. */
int zx_mcflow_add_arc(zx_mcflow *g, int from, int to, int64_t cap,
                      int64_t cost, int *id);

/*
 * Finds a flow that ships every supply and meets every demand, of least
 * cost.  *cost (may be NULL) gets its total cost.
 *
 * Returns
 *   ZX_OK      every arc's flow (zx_mcflow_flow) is an optimal solution;
 *   ZX_EDATA   no flow ships everything: the supplies and demands do not
 *              balance, or the arcs cannot carry them.  The flows and
 *              *cost are then those zx_mcflow_solve_max gives (as much
 *              as can be shipped, at least cost), so the caller can see
 *              which supplies stayed and which demands went unmet;
 *   ZX_EINVAL  a cycle of arcs with positive capacity has a negative
 *              cost, or the problem is so large that a sum of costs or
 *              capacities could overflow: (nodes + 3)^2 * max|cost| must
 *              stay below 2^59 and the sum over arcs of
 *              min(cap, total supply) * |cost| below 2^63;
 *   ZX_ENOMEM  out of memory.
 * On ZX_EINVAL and ZX_ENOMEM every flow reads 0 and *cost is unchanged.
 *
 * The method (mcflow.c says more): Dinic's maximum flow from the
 * supplies to the demands, then Goldberg's cost scaling (push-relabel
 * with eps halved from the largest cost, costs scaled by nodes + 3) to
 * make that flow one of least cost.  Time O(n^2 m log(n C)) at worst,
 * C = max|cost|; in practice far less (bench/flow: 12,900 nodes and
 * 225,000 arcs in 0.4 s).  Memory O(n + m).  The buffers are kept for
 * the next solve; nothing is allocated inside the loops.
 */
int zx_mcflow_solve(zx_mcflow *g, int64_t *cost);

/*
 * Ships as much of the supplies to the demands as the arcs allow (the
 * maximum flow from all supplies to all demands, each node giving at most
 * its supply and taking at most its demand), and among such flows one of
 * least cost.  *flow and *cost (either may be NULL) get the amount
 * shipped and its total cost.  Returns ZX_OK, or ZX_EINVAL / ZX_ENOMEM as
 * zx_mcflow_solve does; same method and bounds.  The max-flow-first
 * objective suits redistribution: as many moves as the radius and the
 * quotas allow, then the least distance.
 */
int zx_mcflow_solve_max(zx_mcflow *g, int64_t *flow, int64_t *cost);

/* The flow on arc after the last solve (0 before any, after a failed one,
 * or when arc is not an arc id). Adding arcs or nodes or changing a supply
 * clears every flow. */
int64_t zx_mcflow_flow(const zx_mcflow *g, int arc);

/* The number of nodes and of arcs. */
int zx_mcflow_nodes(const zx_mcflow *g);
int zx_mcflow_arcs(const zx_mcflow *g);

#endif
