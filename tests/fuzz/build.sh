#!/bin/sh
# build.sh - builds the libFuzzer targets with clang into build/fuzz/.
# Run one: build/fuzz/fuzz_jsonl -max_total_time=60 tests/fuzz/corpus/jsonl
set -eu
cd "$(dirname "$0")/../.."
OUT=build/fuzz
mkdir -p "$OUT"
PKGS="sqlite3 libutf8proc libmicrohttpd zlib libxml-2.0 libcurl"
CFLAGS="-std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined $(pkg-config --cflags $PKGS) -Isrc"
LIBS="$(pkg-config --libs $PKGS) -lstemmer -lpthread -lm"
SRC=$(find src -name '*.c' ! -path 'src/cli/*' | sort)
# one object set for all targets
mkdir -p "$OUT/obj"
OBJS=""
for f in $SRC; do
    o="$OUT/obj/$(echo "$f" | tr / _ | sed 's/\.c$/.o/')"
    if [ ! -f "$o" ] || [ "$f" -nt "$o" ]; then
        clang $(echo "$CFLAGS" | sed 's/-fsanitize=fuzzer,/-fsanitize=fuzzer-no-link,/') -c "$f" -o "$o"
    fi
    OBJS="$OBJS $o"
done
for t in tests/fuzz/fuzz_*.c; do
    name=$(basename "$t" .c)
    clang $CFLAGS "$t" $OBJS $LIBS -o "$OUT/$name"
    echo "built $OUT/$name"
done
