#!/bin/sh
# bench/assign - the assignment solver (src/core/assign.c) against
# scipy.optimize.linear_sum_assignment on the same random dense square
# instances, n = 1000, 2000 and 4000, integer costs in [0, 10^6) (see
# solve.c for the generator).  solve.c makes each instance, writes it to
# a file and times zx_assign_solve; peer.py reads that file and times
# scipy.  The two optimal totals must be identical (integer costs make
# them exact), then the times and the ratio scipy / zhenxing are printed
# (target: at least 1 at n = 4000).
#
# Usage: bench/assign/run.sh [path/to/assign-solve] [ROUNDS] [SEED]
#   the program built from bench/assign/solve.c (build/bench/assign-solve
#   by default); each side's time is its best of ROUNDS (default 3).
set -eu
SOLVE=${1:-build/bench/assign-solve}
ROUNDS=${2:-3}
SEED=${3:-1}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/zxassign.XXXXXX)
# ZX_KEEP=1 keeps the work directory (and the instances) to look into
trap '[ -n "${ZX_KEEP:-}" ] || rm -rf "$work"' EXIT

printf '%-6s %14s %12s %12s %8s\n' n "optimal cost" zhenxing scipy ratio
for n in 1000 2000 4000; do
    "$SOLVE" "$n" "$SEED" "$work/$n.bin" "$ROUNDS" > "$work/z$n.txt"
    /usr/bin/python3 "$here/peer.py" "$n" "$work/$n.bin" "$ROUNDS" \
        > "$work/p$n.txt"
    rm -f "$work/$n.bin"
    zc=$(awk '$1 == "cost" { print $2 }' "$work/z$n.txt")
    pc=$(awk '$1 == "cost" { print $2 }' "$work/p$n.txt")
    if [ "$zc" != "$pc" ]; then
        echo "bench/assign: n = $n: zhenxing's optimum $zc, scipy's $pc" >&2
        exit 1
    fi
    awk -v n="$n" -v c="$zc" \
        -v z="$(awk '$1 == "seconds" { print $2 }' "$work/z$n.txt")" \
        -v p="$(awk '$1 == "seconds" { print $2 }' "$work/p$n.txt")" \
        'BEGIN { printf "%-6d %14s %10.3f s %10.3f s %8.1f\n", n, c, z, p,
                 (z > 0 ? p / z : 0) }'
done
