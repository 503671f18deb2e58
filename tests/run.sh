#!/bin/sh
# Runs every unit-test binary of a build directory and prints one total.
# Usage: tests/run.sh BUILD_DIR
set -u
build=${1:-build}
failed=0
passed=0
for t in "$build"/tests/test_*; do
    [ -x "$t" ] || continue
    name=$(basename "$t")
    if "$t" --jobs 2 >"$build/tests/$name.log" 2>&1; then
        passed=$((passed + 1))
        tail -n 1 "$build/tests/$name.log"
    else
        failed=$((failed + 1))
        cat "$build/tests/$name.log"
        echo "FAILED: $name"
    fi
done
echo "unit test binaries: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
