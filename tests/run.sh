#!/bin/sh
# Runs every unit-test binary of a build directory and prints one total:
# the tests passed and failed over all binaries (a crashed or failing
# binary counts its unfinished tests as failed).
# Usage: tests/run.sh BUILD_DIR
set -u
build=${1:-build}
status=0
passed=0
failed=0
for t in "$build"/tests/test_*; do
    case "$t" in *.log) continue ;; esac
    [ -x "$t" ] || continue
    name=$(basename "$t")
    log="$build/tests/$name.log"
    # Criterion counts a test that leaks as passed: the sanitizers' own
    # reports decide too
    if "$t" --jobs 2 >"$log" 2>&1 &&
        ! grep -qE "ERROR: (Leak|Address)Sanitizer|runtime error:" "$log"; then
        tail -n 1 "$log"
    else
        status=1
        cat "$log"
        echo "FAILED: $name"
    fi
    # "[====] Synthesis: Tested: 9 | Passing: 9 | Failing: 0 | Crashing: 0"
    line=$(grep "Synthesis:" "$log" | tail -n 1)
    if [ -n "$line" ]; then
        p=$(echo "$line" | sed 's/.*Passing: \([0-9]*\).*/\1/')
        n=$(echo "$line" | sed 's/.*Tested: \([0-9]*\).*/\1/')
        passed=$((passed + p))
        failed=$((failed + n - p))
    else
        failed=$((failed + 1))
    fi
done
[ "$status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1
echo "tests: $passed passed, $failed failed"
exit "$status"
