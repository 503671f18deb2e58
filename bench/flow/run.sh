#!/bin/sh
# bench/flow - the min-cost flow solver (src/core/mcflow.c) against
# networkx (Debian's python3-networkx: max_flow_min_cost, i.e. a
# preflow-push max flow then network_simplex) on the same province-scale
# teacher redistribution instance (see solve.c for the generator: 12,900
# schools, ~3,000 with surplus teachers, ~3,000 short, arcs within 30 km).
# solve.c makes the instance, writes it to a file and times
# zx_mcflow_solve_max; peer.py reads that file and times networkx.  The
# amounts moved and the optimal costs must be identical, then the times
# and the ratio networkx / zhenxing are printed (target: at least 50).
#
# Usage: bench/flow/run.sh [path/to/flow-solve] [SEED]
#   the program built from bench/flow/solve.c (build/bench/flow-solve by
#   default); zhenxing's time is its best of 3, networkx's of 1.
set -eu
SOLVE=${1:-build/bench/flow-solve}
SEED=${2:-1}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/zxflow.XXXXXX)
# ZX_KEEP=1 keeps the work directory (and the instance) to look into
trap '[ -n "${ZX_KEEP:-}" ] || rm -rf "$work"' EXIT

"$SOLVE" "$SEED" "$work/instance.txt" 3 > "$work/z.txt"
/usr/bin/python3 "$here/peer.py" "$work/instance.txt" 1 > "$work/p.txt"
get() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }
for k in flow cost; do
    if [ "$(get $k "$work/z.txt")" != "$(get $k "$work/p.txt")" ]; then
        echo "bench/flow: $k: zhenxing $(get $k "$work/z.txt")," \
             "networkx $(get $k "$work/p.txt")" >&2
        exit 1
    fi
done
printf '%-7s %-8s %-7s %-7s %-7s %10s %10s %10s %7s\n' \
    schools arcs supply demand moved "cost" zhenxing networkx ratio
awk -v n="$(get nodes "$work/z.txt")" -v m="$(get arcs "$work/z.txt")" \
    -v s="$(get supply "$work/z.txt")" -v d="$(get demand "$work/z.txt")" \
    -v f="$(get flow "$work/z.txt")" -v c="$(get cost "$work/z.txt")" \
    -v z="$(get seconds "$work/z.txt")" -v p="$(get seconds "$work/p.txt")" \
    'BEGIN { printf "%-7d %-8d %-7d %-7d %-7d %10d %8.3f s %8.3f s %7.1f\n",
             n, m, s, d, f, c, z, p, (z > 0 ? p / z : 0) }'
