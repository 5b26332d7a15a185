# test_feed_conformance.sh - the feed reader against public fixtures in
# ../shared/data/feeds (read-only): gofeed's ~1,100 conformance cases (pass
# rate printed; at least 95% of the cases that hold fields we keep) and
# the 31 real feeds of rss-parser (each read with the reference's item
# count, or refused when it is no feed). Skipped when the data or python3
# is absent. Figures: tests/e2e/feed_conformance.py.
. tests/e2e/lib.sh
DATA=${FEED_DATA:-../shared/data/feeds}
if [ ! -d "$DATA/gofeed" ] || [ ! -d "$DATA/rss-parser" ]; then
    echo "feed conformance: skipped: $DATA/gofeed and $DATA/rss-parser not found (shared evaluation data absent)"
    finish feed_conformance
    exit 0
fi
PY=$(command -v python3 || true)
if [ -z "$PY" ]; then
    echo "feed conformance: skipped: python3 not found (the comparison script needs it)"
    finish feed_conformance
    exit 0
fi
if "$PY" tests/e2e/feed_conformance.py "$SW" "$DATA" 95 >"$T/conf.out" 2>&1; then
    pass
else
    fail "feed conformance" "below 95% or a real feed not read as expected"
fi
cat "$T/conf.out"
finish feed_conformance
