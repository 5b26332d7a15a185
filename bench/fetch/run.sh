#!/bin/sh
# bench/fetch/run.sh - polls 1,000 feeds on 50 simulated hosts (127.0.0.2
# .. 127.0.0.51, each response 50-200 ms late) with `storywire fetch`, and
# prints wall time, requests per second, the most requests in flight and
# per-host politeness violations, as storywire counts them and as the
# server saw them (both must be 0). A second, conditional round follows
# (every feed answers 304).
#
#   bench/fetch/run.sh
#   FEEDS=2000 HOSTS=100 IN_FLIGHT=32 DELAY=100ms bench/fetch/run.sh
set -eu
cd "$(dirname "$0")/../.."
FEEDS=${FEEDS:-1000}
HOSTS=${HOSTS:-50}
IN_FLIGHT=${IN_FLIGHT:-32}
DELAY=${DELAY:-100ms}
case "$DELAY" in
*ms) DELAY_MS=${DELAY%ms} ;;
*s) DELAY_MS=$(awk "BEGIN { print int(${DELAY%s} * 1000) }") ;;
*) DELAY_MS=$(awk "BEGIN { print int($DELAY * 1000) }") ;;
esac
SW=${STORYWIRE_BIN:-./storywire}
[ -x "$SW" ] || make >/dev/null
OUT=bench/out/fetch
rm -rf "$OUT"
mkdir -p "$OUT"

/usr/bin/python3 bench/fetch/server.py --hosts "$HOSTS" --feeds "$FEEDS" --delay-ms "$DELAY_MS" \
    --port-file "$OUT/ports" --lifetime 900 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null' EXIT INT TERM
i=0
while [ ! -s "$OUT/ports" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$OUT/ports" ] || { echo "bench/fetch: the server did not start" >&2; exit 1; }

# an OPML list: feed n lives on host n mod HOSTS
/usr/bin/python3 - "$OUT/ports" "$FEEDS" >"$OUT/feeds.opml" <<'EOF'
import sys
hosts = [l.split() for l in open(sys.argv[1])]
print('<?xml version="1.0"?><opml version="2.0"><head><title>bench</title></head><body>')
for n in range(int(sys.argv[2])):
    a, p = hosts[n % len(hosts)]
    print('<outline type="rss" text="Bench %d" xmlUrl="http://%s:%s/feed/%d.xml"/>' % (n, a, p, n))
print('</body></opml>')
EOF

DB=$OUT/bench.db
"$SW" --db "$DB" feeds import "$OUT/feeds.opml" >/dev/null 2>&1

round() { # LABEL
    start=$(date +%s.%N)
    "$SW" --db "$DB" fetch --all --no-update --max-in-flight "$IN_FLIGHT" --host-delay "$DELAY" \
        --timeout 30s >"$OUT/$1.out" 2>"$OUT/$1.err" || true
    end=$(date +%s.%N)
    wall=$(awk "BEGIN { print $end - $start }")
    http=$(grep -E 'http: ' "$OUT/$1.err" | tail -n 1)
    req=$(echo "$http" | sed -E 's/.*http: ([0-9]+) requests.*/\1/')
    inflight=$(echo "$http" | sed -E 's/.* at most ([0-9]+) in flight.*/\1/')
    viol=$(echo "$http" | sed -E 's/.* ([0-9]+) per-host violations.*/\1/')
    polled=$(grep -E 'polled ' "$OUT/$1.err" | tail -n 1 | sed -E 's/.*polled //')
    printf '%-12s wall %6.2f s  %5s requests  %7.1f req/s  max in flight %3s  storywire-counted violations %s\n' \
        "$1" "$wall" "$req" "$(awk "BEGIN { print $req / $wall }")" "$inflight" "$viol"
    echo "             $polled"
}

echo "bench/fetch: $FEEDS feeds on $HOSTS hosts, 50-200 ms per response, max_in_flight $IN_FLIGHT, host_delay $DELAY"
# the floor: each host serves FEEDS/HOSTS feeds one at a time, each taking
# its latency (125 ms on average) plus the delay
echo "politeness floor: about $(awk "BEGIN { printf \"%.1f\", ($FEEDS / $HOSTS) * (0.125 + $DELAY_MS / 1000) }") s per host (hosts in parallel)"
round first
round conditional
stats=$(curl -s "http://$(head -n 1 "$OUT/ports" | tr ' ' ':')/_stats")
echo "server saw: $stats"
echo "  (overlaps = a request while another to the same host was in progress;"
echo "   too_soon = a request less than host_delay after the previous response ended; both must be 0)"
new=$(grep -E 'polled ' "$OUT/first.err" | tail -n 1 | sed -E 's/.* ([0-9]+) new articles?.*/\1/')
echo "articles stored by the first round: $new (want $((FEEDS * 10)))"
