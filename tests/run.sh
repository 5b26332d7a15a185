#!/bin/sh
# run.sh - runs every test: unit test binaries and end-to-end scripts, in
# the normal build and under AddressSanitizer + UndefinedBehaviorSanitizer.
# Each test prints "NAME: N passed, M failed"; this script adds them up and
# ends with the total line CI reads. Exit status is non-zero on any failure.
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=${TEST_OUT:-$ROOT/build/test-output}
rm -rf "$OUT"
mkdir -p "$OUT"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp:print_suppressions=0}

passed=0
failed=0
crashed=""

tally() { # $1 = log file, $2 = exit status, $3 = label
    line=$(grep -E '^[^ ].*: [0-9]+ passed, [0-9]+ failed$' "$1" | tail -n 1)
    if [ -n "$line" ]; then
        p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\1/')
        f=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\2/')
        passed=$((passed + p))
        failed=$((failed + f))
        echo "  $3 $(echo "$line" | sed -E 's/^[^:]*: //')"
    fi
    if [ "$2" != 0 ] && { [ -z "$line" ] || [ "$f" = 0 ]; }; then
        # crashed or failed without counting it: one failure, and show why
        failed=$((failed + 1))
        crashed="$crashed $3"
        echo "  $3 exited with status $2:"
        tail -n 30 "$1" | sed 's/^/    /'
    elif [ "$2" != 0 ]; then
        grep -E 'FAIL|ERROR|error' "$1" | head -n 40 | sed 's/^/    /'
    fi
}

for mode in release asan; do
    B=$ROOT/build/$mode
    [ -d "$B/tests" ] || { echo "missing $B/tests: run 'make test'" >&2; exit 1; }
    echo "== $mode: unit tests"
    for t in "$B"/tests/test_*; do
        [ -x "$t" ] || continue
        name=$(basename "$t")
        log=$OUT/$mode-$name.log
        (cd "$ROOT" && timeout 300 "$t") >"$log" 2>&1
        tally "$log" $? "$mode/$name"
    done
    echo "== $mode: end-to-end tests"
    if [ "$mode" = release ]; then bin=$ROOT/storywire; else bin=$B/storywire; fi
    for t in "$ROOT"/tests/e2e/test_*.sh; do
        [ -f "$t" ] || continue
        name=$(basename "$t" .sh)
        log=$OUT/$mode-$name.log
        (cd "$ROOT" && STORYWIRE_BIN=$bin TEST_TMP=$OUT/$mode-$name.d timeout 600 sh "$t") >"$log" 2>&1
        tally "$log" $? "$mode/$name"
    done
done

echo "logs in $OUT"
[ -n "$crashed" ] && echo "crashed or failed without a count:$crashed"
echo "$passed passed, $failed failed" | tee "$OUT/summary.txt"
[ "$failed" = 0 ]
