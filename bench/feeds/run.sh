#!/bin/sh
# bench/feeds/run.sh - feed parsing speed: storywire next to sfeed (C) and
# python3-feedparser on the same real-world feeds.
#
#   bench/feeds/run.sh                 (needs ../shared/data/feeds/rss-parser)
#   COPIES=20 REPEAT=3 bench/feeds/run.sh
#
# The set: the 31 real feeds of rss-parser (RSS 0.92/1.0/2.0, Atom,
# podcasts, Latin-1; 3 MB), copied COPIES times (default 10) into
# bench/out/feeds/. Each tool reads the whole set in ONE process:
#   storywire  `storywire parse FILE...`: every item to article JSONL
#              (HTML reduced to text, links resolved, dates parsed)
#   feed_parse bench/feeds/feed_driver.c: the files read into memory
#              first, then feed_parse alone timed in the process (no
#              output), like feedparser below
#   sfeed      `sfeed < all.xml`: the same bytes as one stream, one TSV
#              line per item (sfeed reads one stream; the files are
#              concatenated for it)
#   feedparser feedparser.parse(bytes) per file inside one python3
#              process, timed in the process (interpreter start excluded)
# Each is run REPEAT times (default 3) and the fastest run kept; storywire
# parse and sfeed alternate run by run, and the range of their per-round
# CPU ratio is printed too (bench/feeds/compare.sh does the same for two
# storywire binaries, e.g. before and after a change). Rates are
# per CPU second (user+sys) because the machine is shared; wall seconds are
# printed too. Peers are installed by bench/feeds/install-bench-deps.sh.
set -eu
cd "$(dirname "$0")/../.."
DATA=${STORYWIRE_DATA:-../shared/data}
SRC=$DATA/feeds/rss-parser/input
if [ ! -d "$SRC" ]; then
    echo "bench/feeds: skipped: $SRC not found (set STORYWIRE_DATA)" >&2
    exit 0
fi
[ -x ./storywire ] || make -s
bench/feeds/install-bench-deps.sh
COPIES=${COPIES:-10}
REPEAT=${REPEAT:-3}
OUT=bench/out/feeds
rm -rf "$OUT"
mkdir -p "$OUT/set"
i=1
while [ "$i" -le "$COPIES" ]; do
    for f in "$SRC"/*; do
        cp "$f" "$OUT/set/$i-$(basename "$f")"
    done
    i=$((i + 1))
done
cat "$OUT"/set/* >"$OUT/all.xml"
PKGS="sqlite3 libutf8proc libexttextcat libmicrohttpd zlib libxml-2.0 libcurl"
cc -std=c11 -Wall -Wextra -Werror -O2 -D_GNU_SOURCE -Isrc $(pkg-config --cflags $PKGS) -o "$OUT/feed_driver" \
    bench/feeds/feed_driver.c $(find build/release/src -name '*.o' ! -path '*/cli/*' | sort) \
    $(pkg-config --libs $PKGS) -lstemmer -lpthread -lm
exec /usr/bin/python3 bench/feeds/bench.py "$OUT" "$REPEAT"
