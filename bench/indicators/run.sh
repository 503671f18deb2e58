#!/bin/sh
# bench/indicators - every indicator of bench/indicators/plan.yaml at every
# level (school, town, group, city) for one year, computed by zhenxing and
# by pandas (Debian's python3-pandas) from the same data exported to CSV,
# in the same run.  The two sets of numerators and denominators must be
# identical; then the times and their ratio are printed (target: zhenxing
# at least 10 times faster than pandas' compute step).
#
# zhenxing is timed twice: the whole `zhenxing indicators` command (a
# fresh process opening the database, loading what it reads and
# computing), and its compute step alone (bench/indicators/compute.c:
# the same evaluation repeated in one process with the results dropped
# and the columns kept), the counterpart of pandas' compute step.
#
# Then, with the built-in plan in force again, the latency of a city-level
# dashboard read right after a single value write (bench/indicators/
# latency.c; target p95 under 100 ms).
#
# Usage: bench/indicators/run.sh [path/to/zhenxing] [scale] [programs]
#   scale: province by default, or city or a number; programs: the
#   directory of the built compute and latency programs (build/bench;
#   both skipped when not given)
set -eu
BIN=${1:-build/zhenxing}
SCALE=${2:-province}
PROGS=${3:-}
YEAR=2021
here=$(cd "$(dirname "$0")" && pwd)
case "$BIN" in /*) ;; *) BIN="$(pwd)/$BIN" ;; esac
case "$PROGS" in /*|"") ;; *) PROGS="$(pwd)/$PROGS" ;; esac
work=$(mktemp -d /tmp/zxbench.XXXXXX)
# ZX_KEEP=1 keeps the work directory, to look into a run
trap '[ -n "${ZX_KEEP:-}" ] || rm -rf "$work"' EXIT
cd "$work"

"$BIN" --db zx.db init >/dev/null
"$BIN" --db zx.db demo --scale "$SCALE" >/dev/null
"$BIN" --db zx.db plan load "$here/plan.yaml" >/dev/null
# synthetic answers to the plan's data elements for the year
sqlite3 zx.db "
INSERT OR REPLACE INTO data_value(element, unit_id, year, num, entered_by, entered_at)
SELECT 'counselling_room', unit_id, $YEAR, abs(random()) % 2, 'bench', 'now'
  FROM school;
INSERT OR REPLACE INTO data_value(element, unit_id, year, num, entered_by, entered_at)
SELECT 'resource_classroom', unit_id, $YEAR, abs(random()) % 3 = 0, 'bench',
       'now' FROM school;
INSERT OR REPLACE INTO data_value(element, unit_id, year, num, entered_by, entered_at)
SELECT 'renrentong_accounts', unit_id, $YEAR, abs(random()) % 1500, 'bench',
       'now' FROM school;"

now() { date +%s.%N; }
best=""
for i in 1 2 3; do
    t0=$(now)
    "$BIN" --db zx.db indicators --year $YEAR --level all --format csv > z.csv
    t1=$(now)
    best=$(awk -v a="$best" -v t0="$t0" -v t1="$t1" \
        'BEGIN { d = t1 - t0; print (a == "" || d < a) ? d : a }')
done

sqlite3 -csv -header zx.db "SELECT u.id, u.kind, u.code, u.parent_id,
    s.group_id, s.type_code, s.urban_rural FROM org_unit u
    LEFT JOIN school s ON s.unit_id = u.id" > units.csv
sqlite3 -csv -header zx.db "SELECT school_id, year, students FROM enrolment" \
    > enrolment.csv
sqlite3 -csv -header zx.db "SELECT id, school_id, employment, birth
    FROM teacher" > teachers.csv
sqlite3 -csv -header zx.db "SELECT teacher_id, title, start_year, end_year
    FROM teacher_role" > roles.csv
sqlite3 -csv -header zx.db "SELECT element, unit_id, year, num
    FROM data_value" > values.csv
/usr/bin/python3 "$here/peer.py" . $YEAR p.csv > peer.txt

# zhenxing's CSV: BOM, Chinese header; keep id,level,unit,n,d
sed '1d' z.csv | awk -F, '{ d = ($9 == "-") ? 0 : $9
    printf "%s,%s,%s,%.1f,%.1f\n", $1, $5, $6, $8, d }' | sort > z.cmp
sed '1d' p.csv | awk -F, '{ printf "%s,%s,%s,%.1f,%.1f\n", $1, $2, $3, $4, $5 }' \
    | sort > p.cmp
if ! cmp -s z.cmp p.cmp; then
    echo "bench/indicators: zhenxing and pandas disagree:" >&2
    diff z.cmp p.cmp | head -20 >&2
    exit 1
fi

comp_z=""
if [ -n "$PROGS" ]; then
    "$PROGS/compute" zx.db $YEAR 5 > compute.txt
    comp_z=$(awk '$1 == "compute" { print $2 }' compute.txt)
fi

awk -v z="$best" -v zc="$comp_z" -v rows="$(wc -l < z.cmp)" \
    -v load="$(awk '/^load/ { print $2 }' peer.txt)" \
    -v comp="$(awk '/^compute/ { print $2 }' peer.txt)" \
    -v teachers="$(sqlite3 zx.db 'SELECT count(*) FROM teacher')" \
    -v schools="$(sqlite3 zx.db 'SELECT count(*) FROM school')" 'BEGIN {
    printf "data                         %d schools, %d teachers\n", schools, teachers
    printf "results (identical in both)  %d\n", rows
    printf "zhenxing indicators          %6.2f s  (whole command, best of 3)\n", z
    if (zc != "")
        printf "zhenxing compute             %6.3f s  (in memory, best of 5)\n", zc
    printf "pandas compute               %6.2f s  (+ %.2f s reading the CSV)\n", comp, load
    if (zc != "")
        printf "ratio pandas/zhenxing        %6.1f   (compute step against compute step; target >= 10)\n", comp / zc
    printf "ratio, whole command         %6.1f   (pandas compute only against zhenxing whole command)\n", comp / z
    printf "ratio with pandas reading    %6.1f   (pandas reads the CSV, zhenxing its database)\n", (comp + load) / z
}'

if [ -n "$PROGS" ]; then
    "$BIN" --db zx.db plan load "$here/../../plans/haimen-2020-2022.yaml" \
        >/dev/null
    "$PROGS/latency" zx.db 100
fi
