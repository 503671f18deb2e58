#!/bin/sh
# bench/http - the server under load, on loopback, in one run:
#
# 1. Reads: requests per second and p99 latency of a logged-in city-level
#    indicator read (GET /api/indicators?year=2021&level=city) at
#    `demo --scale province`, measured with wrk, next to nginx (Debian)
#    serving a static file holding the same response body, also with wrk.
#    Target: zhenxing at least 0.5 of nginx's requests per second.
# 2. Writes: 200 concurrent clients submitting data values for 30 s
#    (burst.mjs); then every answered write is counted back from the
#    database.  Target: zero errors, zero lost writes.
#
# Usage: bench/http/run.sh [path/to/zhenxing] [scale] [seconds]
set -eu
BIN=${1:-build/zhenxing}
SCALE=${2:-province}
SECS=${3:-10}
here=$(cd "$(dirname "$0")" && pwd)
case "$BIN" in /*) ;; *) BIN="$(pwd)/$BIN" ;; esac
work=$(mktemp -d /tmp/zxhttp.XXXXXX)
# nginx's workers run as another user: they must be able to read the file
chmod 755 "$work"
srv=""
ngx=""
cleanup() {
    [ -n "$srv" ] && kill "$srv" 2>/dev/null && wait "$srv" 2>/dev/null
    [ -n "$ngx" ] && kill "$ngx" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
cd "$work"

echo "building the database (demo --scale $SCALE) ..."
"$BIN" --db zx.db init >/dev/null
"$BIN" --db zx.db demo --scale "$SCALE" >/dev/null 2>&1
"$BIN" --db zx.db serve --listen 127.0.0.1:0 --port-file port >serve.out 2>&1 &
srv=$!
while [ ! -s port ]; do sleep 0.1; done
PORT=$(cat port)
PW=$(sed -n 's/.*初始密码 \([A-Za-z0-9]*\).*/\1/p' serve.out)
URL="http://127.0.0.1:$PORT"
curl -sf -c cookies -H 'Content-Type: application/json' \
    -d "{\"name\":\"admin\",\"password\":\"$PW\"}" "$URL/api/login" >login.json
TOKEN=$(awk '$6 == "zx_session" { print $7 }' cookies)
PATHQ="/api/indicators?year=2021&level=city"
curl -sf -b cookies "$URL$PATHQ" >body.json
echo "response body: $(wc -c <body.json) bytes"

mkdir -p www/api
cp body.json www/api/indicators
NPORT=$((PORT + 1))
sed -e "s|@ROOT@|$work/www|" -e "s|@PORT@|$NPORT|" -e "s|@DIR@|$work|" \
    "$here/nginx.conf" >nginx.conf
nginx -c "$work/nginx.conf" -p "$work" &
ngx=$!
sleep 0.5

# wrk prints "Requests/sec:" and, with --latency, a "99%" line
measure() { # name url [cookie]
    if [ -n "${3:-}" ]; then
        wrk -t2 -c64 -d"${SECS}s" --latency -H "Cookie: zx_session=$3" \
            "$2" >"$1.wrk"
    else
        wrk -t2 -c64 -d"${SECS}s" --latency "$2" >"$1.wrk"
    fi
    rps=$(awk '/Requests\/sec/ { print $2 }' "$1.wrk")
    p99=$(awk '$1 == "99%" { print $2 }' "$1.wrk")
    non2xx=$(awk '/Non-2xx/ { print $5 }' "$1.wrk")
    errs=$(awk '/Socket errors/ { print }' "$1.wrk")
    echo "$1: $rps requests/s, p99 $p99${non2xx:+, $non2xx non-2xx answers}${errs:+, $errs}"
    if [ -n "$non2xx" ]; then
        echo "$1 did not answer 200: the figures do not count"
        exit 1
    fi
}
# every server thread computes the indicators once (about 2 s each at
# province scale, the threads sharing two cores), then answers from what
# it keeps until the data change: warm them all first
wrk -t2 -c64 -d10s -H "Cookie: zx_session=$TOKEN" "$URL$PATHQ" >/dev/null
echo "reads, wrk -t2 -c64 -d${SECS}s, same machine:"
measure zhenxing "$URL$PATHQ" "$TOKEN"
zx_rps=$rps
measure nginx "http://127.0.0.1:$NPORT/api/indicators"
awk -v a="$zx_rps" -v b="$rps" \
    'BEGIN { printf "ratio zhenxing / nginx: %.2f (target >= 0.5)\n", a / b }'
kill "$ngx" 2>/dev/null || true
ngx=""

echo "writes: 200 clients for 30 s ..."
CSRF=$(sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p' login.json)
sqlite3 zx.db "SELECT code FROM org_unit WHERE kind = 'school'
    ORDER BY code LIMIT 200" >schools.txt
node "$here/burst.mjs" "$URL" "$TOKEN" "$CSRF" 200 30 schools.txt >burst.json
cat burst.json
kill "$srv"
wait "$srv" 2>/dev/null || true
srv=""
sent=$(sed -n 's/.*"ok":\([0-9]*\).*/\1/p' burst.json)
errors=$(sed -n 's/.*"errors":\([0-9]*\).*/\1/p' burst.json)
stored=$(sqlite3 zx.db "SELECT count(*) FROM audit WHERE actor = 'user:admin'
    AND tbl = 'data_value' AND key LIKE 'renrentong_accounts/%'")
echo "writes answered ok: $sent, errors: $errors, audit entries: $stored"
if [ "$errors" -eq 0 ] && [ "$sent" -eq "$stored" ]; then
    echo "write burst: zero errors, zero lost writes"
else
    echo "write burst: FAILED"
    exit 1
fi
