#!/bin/sh
# Installs what zhenxing needs to build, test and run, and only what is
# missing, so it is cheap to run before every `make run` / `make test`.
# Debian 12, as root (or through sudo when available).
set -eu

# Build and test dependencies, by Debian package name.  Chromium and a
# CJK font are for the browser tests (without the font Chinese text is
# drawn as empty boxes).  With --bench, also the peers the benchmarks
# measure against.
PKGS="build-essential pkg-config sqlite3 libsqlite3-dev libjansson-dev
libsodium-dev libcsv-dev libxlsxwriter-dev libzip-dev libexpat1-dev
libcriterion-dev libyaml-dev libmicrohttpd-dev chromium
fonts-wqy-microhei"

[ "${1:-}" = "--bench" ] &&
    PKGS="$PKGS python3-pandas python3-scipy python3-networkx wrk nginx-light"

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
updated=""
apt_install() {
    if [ -z "$updated" ]; then
        $SUDO apt-get update -qq
        updated=1
    fi
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends "$@"
}

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $p"
    fi
done

if [ -n "$missing" ]; then
    echo "deps: installing$missing"
    # shellcheck disable=SC2086
    apt_install $missing
fi

# Node runs the API and browser tests; any node >= 18 will do, so one
# already installed (from Debian or elsewhere) is kept.
if ! command -v node >/dev/null 2>&1; then
    echo "deps: installing nodejs"
    apt_install nodejs
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "deps: installing npm"
    apt_install npm
fi

# npm packages (ECharts for the UI, playwright-core for the browser
# tests), pinned in package-lock.json; installed again only when the lock
# file is newer than what was installed from it.
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] ||
   [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "deps: installing npm packages"
    npm ci --no-audit --no-fund --loglevel=error
fi
