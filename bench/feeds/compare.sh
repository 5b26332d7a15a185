#!/bin/sh
# bench/feeds/compare.sh - two storywire binaries and sfeed, round by round
# on the set bench/feeds/run.sh prepared (run it first), so that all three
# meet the same load: per round the CPU milliseconds (perf stat task-clock)
# of `A parse`, `B parse` and `sfeed`, then the fastest and the median.
#
#   bench/feeds/compare.sh OLD_STORYWIRE NEW_STORYWIRE [ROUNDS]   (default 9)
#
# e.g. git worktree add /tmp/old d08ec19 && make -C /tmp/old -s, then
#   bench/feeds/compare.sh /tmp/old/storywire ./storywire 11
set -eu
cd "$(dirname "$0")/../.."
A=$1
B=$2
N=${3:-9}
SET=bench/out/feeds/set
[ -d "$SET" ] || { echo "bench/feeds/compare.sh: run bench/feeds/run.sh first" >&2; exit 1; }
ms() { perf stat -x, -e task-clock "$@" 2>&1 >/dev/null | grep task-clock | cut -d, -f1; }
i=0
while [ "$i" -lt "$N" ]; do
    a=$(ms "$A" --quiet parse "$SET"/*)
    b=$(ms "$B" --quiet parse "$SET"/*)
    s=$(perf stat -x, -e task-clock sfeed <bench/out/feeds/all.xml 2>&1 >/dev/null | grep task-clock | cut -d, -f1)
    echo "$a $b $s"
    i=$((i + 1))
done | /usr/bin/python3 -c '
import statistics, sys
rows = [list(map(float, l.split())) for l in sys.stdin if l.strip()]
print("round      A ms     B ms  sfeed ms")
for k, r in enumerate(rows, 1):
    print("%5d %8.1f %8.1f %9.1f" % (k, *r))
cols = list(zip(*rows))
print("fastest %6.1f %8.1f %9.1f" % tuple(min(c) for c in cols))
print("median  %6.1f %8.1f %9.1f" % tuple(statistics.median(c) for c in cols))
r = sorted(s / b for _, b, s in rows)
print("sfeed/B per round: %.2fx to %.2fx, median %.2fx" % (r[0], r[-1], statistics.median(r)))
'
