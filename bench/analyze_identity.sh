#!/bin/sh
# bench/analyze_identity.sh - is the analysis output of this tree the same
# as a reference tree's? Builds both trees' release objects and
# analyze_driver, digests every FILE (JSONL) with each (everything
# doc_analyze produced, one line an article) and compares them with cmp.
# With ASSIGN=1 it also compares the engine's assignments
# (cluster_driver ... OUT.tsv) of every FILE.
#
#   bench/analyze_identity.sh REF_DIR FILE.jsonl...
#
# REF_DIR is another checkout of storywire, for example made with
#   mkdir /tmp/ref && git archive main | tar -x -C /tmp/ref
# Exit status 1 when any output differs.
set -eu
[ $# -ge 2 ] || { echo "usage: bench/analyze_identity.sh REF_DIR FILE.jsonl..." >&2; exit 2; }
REF=$(cd "$1" && pwd)
shift
HERE=$(cd "$(dirname "$0")/.." && pwd)
OUT=$(mktemp -d "${TMPDIR:-/tmp}/analyze_identity.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
PKGS="sqlite3 libutf8proc libmicrohttpd zlib libxml-2.0 libcurl"
for side in ref here; do
    dir=$REF
    [ $side = here ] && dir=$HERE
    (cd "$dir" && make -s build >/dev/null)
    objs=$(find "$dir/build/release/src" -name '*.o' ! -path '*/cli/*' | sort)
    for d in analyze cluster; do
        cc -std=c11 -O2 -D_GNU_SOURCE -I"$dir/src" $(pkg-config --cflags $PKGS) -o "$OUT/$side-$d" \
            "$dir/bench/${d}_driver.c" $objs $(pkg-config --libs $PKGS) -lstemmer -lpthread -lm -ldl
    done
done
status=0
for f in "$@"; do
    name=$(basename "$f")
    for side in ref here; do
        "$OUT/$side-analyze" "$f" 1 "$OUT/$side.dig" >/dev/null
    done
    if cmp -s "$OUT/ref.dig" "$OUT/here.dig"; then
        echo "$name: analysis identical ($(wc -l <"$OUT/here.dig") articles)"
    else
        echo "$name: analysis DIFFERS"
        status=1
    fi
    if [ "${ASSIGN:-0}" = 1 ]; then
        for side in ref here; do
            "$OUT/$side-cluster" "$f" 100000 "$OUT/$side.tsv" >/dev/null
        done
        if cmp -s "$OUT/ref.tsv" "$OUT/here.tsv"; then
            echo "$name: assignments identical"
        else
            echo "$name: assignments DIFFER"
            status=1
        fi
    fi
done
exit $status
