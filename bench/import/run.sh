#!/bin/sh
# bench/import - teachers import speed against the sqlite3 shell.
#
# Builds a 1,000,000-row teachers CSV (UTF-8, 12 columns) over 2,000
# schools, then times, in the same run on the same file:
#   zhenxing import teachers   (parse, normalise, validate every cell,
#                               check keys and schools, upsert, index)
#   sqlite3 .import --csv      (parse and insert into a bare table: no
#                               validation, no index, no constraint)
# and prints rows per second for each and their ratio (target >= 0.5),
# then the time to import the same file again (every row unchanged).
#
# Usage: bench/import/run.sh [path/to/zhenxing] [rows]
set -eu
BIN=${1:-build/zhenxing}
ROWS=${2:-1000000}
case "$BIN" in /*) ;; *) BIN="$(pwd)/$BIN" ;; esac
work=$(mktemp -d /tmp/zxbench.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"

now() { date +%s.%N; }

awk 'BEGIN {
    print "学校标识码,学校名称,区镇,办学类型,城乡类型,建制镇所在地,办学性质"
    for (i = 1; i <= 2000; i++)
        printf "32%08d,基准学校%d,基准镇%d,211,%d,是,公办\n", i, i, i % 40, (i % 3 ? 121 : 220)
}' > schools.csv

awk -v n="$ROWS" 'BEGIN {
    split("语文 数学 英语 科学 音乐 美术 体育与健康 道德与法治", subj, " ")
    split("一级教师 二级教师 高级教师 未定职级", title, " ")
    print "教师编号,姓名,性别,出生年月,学校标识码,任教学段,任教学科,职称,用工类型,岗位,本校任职起始年份,政治面貌"
    for (i = 1; i <= n; i++)
        printf "T%09d,教师%d,%s,%d-%02d,32%08d,小学,%s,%s,在编,专任教师,%d,群众\n",
            i, i, (i % 3 ? "女" : "男"), 1965 + i % 30, 1 + i % 12,
            1 + i % 2000, subj[1 + i % 8], title[1 + i % 4], 2010 + i % 12
}' > teachers.csv

"$BIN" --db zx.db init >/dev/null
"$BIN" --db zx.db import schools schools.csv >/dev/null

t0=$(now)
"$BIN" --db zx.db import teachers teachers.csv >/dev/null
t1=$(now)
sqlite3 bare.db ".import --csv teachers.csv teachers"
t2=$(now)
"$BIN" --db zx.db import teachers teachers.csv >/dev/null
t3=$(now)

imported=$(sqlite3 zx.db "SELECT count(*) FROM teacher")
raw=$(sqlite3 bare.db "SELECT count(*) FROM teachers")
[ "$imported" -eq "$ROWS" ] && [ "$raw" -eq "$ROWS" ] || {
    echo "bench/import: row counts differ ($imported, $raw)" >&2
    exit 1
}

mb=$(du -m teachers.csv | cut -f1)
awk -v r="$ROWS" -v mb="$mb" -v t0="$t0" -v t1="$t1" -v t2="$t2" -v t3="$t3" 'BEGIN {
    z = t1 - t0; s = t2 - t1; u = t3 - t2
    printf "rows                       %d (%d MB CSV)\n", r, mb
    printf "zhenxing import teachers   %6.2f s  %9.0f rows/s\n", z, r / z
    printf "sqlite3 .import (bare)     %6.2f s  %9.0f rows/s\n", s, r / s
    printf "ratio zhenxing/sqlite3     %6.2f  (target >= 0.50)\n", s / z
    printf "same file again, unchanged %6.2f s  %9.0f rows/s\n", u, r / u
}'
