# test_fuzz.sh - a bounded libFuzzer run of every parser target (clang,
# ASan+UBSan built in). Each target runs FUZZ_SECONDS (default 15) from the
# seed corpus in tests/fuzz/corpus/; any crash, leak or UB report fails.
# The fuzzers carry their own sanitizers, so this runs once, in the release
# pass only.
. tests/e2e/lib.sh
case "$SW" in
*asan*)
    echo "fuzz: skipped in the asan pass (the fuzzers are sanitized builds already)"
    finish fuzz
    exit 0
    ;;
esac
if ! command -v clang >/dev/null 2>&1; then
    echo "fuzz: skipped: clang is not installed (scripts/install-deps.sh installs it)"
    finish fuzz
    exit 0
fi
SECS=${FUZZ_SECONDS:-15}
if ! ./tests/fuzz/build.sh >"$T/build.log" 2>&1; then
    fail "fuzz targets build" "$(tail -n 20 "$T/build.log")"
    finish fuzz
    exit 1
fi
pass
for f in build/fuzz/fuzz_*; do
    [ -x "$f" ] || continue
    name=$(basename "$f")
    seeds=tests/fuzz/corpus/${name#fuzz_}
    work=$T/corpus-$name
    mkdir -p "$work"
    [ -d "$seeds" ] && cp "$seeds"/* "$work"/ 2>/dev/null
    if "$f" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -artifact_prefix="$T/$name-" \
        -print_final_stats=1 "$work" >"$T/$name.log" 2>&1; then
        pass
        echo "  $name: $(grep -E '^stat::number_of_executed_units' "$T/$name.log" | awk '{print $2}') inputs, no crash"
    else
        fail "$name" "crashed; see $T/$name.log"
        grep -E 'ERROR|SUMMARY|runtime error' "$T/$name.log" | head -n 10
    fi
done
finish fuzz
