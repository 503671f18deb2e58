#!/bin/sh
# Installs what zhenxing needs to build, test and run, and only what is
# missing, so it is cheap to run before every `make run` / `make test`.
# Debian 12, as root (or through sudo when available).
set -eu

# Build and test dependencies, by Debian package name.  With --bench, also
# the peers the benchmarks measure against.
PKGS="build-essential pkg-config sqlite3 libsqlite3-dev libjansson-dev
libsodium-dev libcsv-dev libxlsxwriter-dev libzip-dev libexpat1-dev
libcriterion-dev libyaml-dev"

[ "${1:-}" = "--bench" ] && PKGS="$PKGS python3-pandas"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $p"
    fi
done

if [ -n "$missing" ]; then
    echo "deps: installing$missing"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
