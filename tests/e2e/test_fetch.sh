# test_fetch.sh - feeds and fetching end to end against tests/e2e/feedserver.py
# on 127.0.0.1: subscribing (feeds, pages naming a feed, OPML), polling with
# conditional requests, redirects (permanent ones move the feed), every kind
# of failure (a readable error, a backoff retry, the others go on), Retry-After,
# poll intervals from the feed, full articles under robots.txt, per-host
# pacing, no loss and no duplicates across repeated polls, a kill and
# restarts, the config file, and `run` stopping cleanly on SIGTERM.
. tests/e2e/lib.sh

PY=/usr/bin/python3
DB=$T/db
FAST="--host-delay 0 --timeout 3s --connect-timeout 2s --max-body 1M --backoff-base 60 --min-interval 60"

$PY tests/e2e/feedserver.py --port-file "$T/port" --lifetime 300 >"$T/server.out" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null' EXIT
i=0
while [ ! -s "$T/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
if [ ! -s "$T/port" ]; then
    fail "feedserver starts" "no port after 5 s"
    finish test_fetch
    exit 1
fi
P=$(cat "$T/port")
B=http://127.0.0.1:$P

# q SQL: rows of a query on the database, '|'-separated
q() {
    $PY -c 'import sqlite3,sys
c = sqlite3.connect(sys.argv[1])
for r in c.execute(sys.argv[2]): print("|".join("" if v is None else str(v) for v in r))
c.commit()' "$DB" "$1"
}
# hits PATH: how many requests the server saw for a path
hits() {
    curl -s "$B/_log" | $PY -c 'import json,sys
p = sys.argv[1]
print(sum(1 for l in sys.stdin if json.loads(l)["path"] == p))' "$1"
}
feed_id() { q "SELECT id FROM feeds WHERE url = '$1'"; }

# ---- help ----
for c in "feeds --help" "fetch --help" "run --help" "feeds add --help"; do
    check "$c" $SW $c
    check_contains "$c shows usage" "$(cat "$T/last.out")" "Usage: storywire"
done
check_contains "fetch --help lists settings" "$($SW fetch --help)" "--host-delay"

# ---- subscribing ----
check "feeds add a feed" $SW --db "$DB" feeds add "$B/feed/news.xml" $FAST
check_contains "added with the feed's title" "$(cat "$T/last.out")" "News Test"
check "feeds add a page finds its feed" $SW --db "$DB" feeds add "$B/page.html" $FAST
check_contains "the page names the same feed" "$(cat "$T/last.out")" "already subscribed"
check_eq "one feed so far" "$(q 'SELECT count(*) FROM feeds')" 1
check_fails "feeds add an HTML page without a feed" $SW --db "$DB" feeds add "$B/error.html" $FAST
check_contains "says why" "$(cat "$T/last.err")" "neither a feed"
check_fails "feeds add a non-http URL" $SW --db "$DB" feeds add "ftp://example.com/rss"
check_fails "feeds add with a bad setting" $SW --db "$DB" feeds add "$B/feed/news.xml" --host-delay soon
check_contains "bad setting named" "$(cat "$T/last.err")" "host_delay"

BAD="redirect/301 redirect/301b redirect/302 redirect/308 redirect/loop status/429 status/503 status/404 slow truncated
bomb gzip.xml wrongtype invalid.xml error.html empty huge flaky feed/atom.xml feed/ttl.xml"
for p in $BAD; do
    $SW --db "$DB" feeds add "$B/$p" --no-check >/dev/null 2>&1 || fail "feeds add --no-check $p"
done
$SW --db "$DB" feeds add "http://feeds.invalid/rss.xml" --no-check >/dev/null 2>&1
$SW --db "$DB" feeds add "https://127.0.0.1:$P/feed/news.xml" --no-check >/dev/null 2>&1
check_eq "all subscribed" "$(q 'SELECT count(*) FROM feeds')" 23

# ---- the first poll ----
id301=$(feed_id "$B/redirect/301")
$SW --db "$DB" fetch $FAST >"$T/fetch1.out" 2>"$T/fetch1.err"
check_eq "fetch with failing feeds exits 2" "$?" 2
check_contains "fetch reports" "$(cat "$T/fetch1.err")" "polled 23 feeds"
check_eq "news items stored" "$(q "SELECT count(*) FROM articles WHERE url LIKE 'http://news.test/news/%'")" 3
check "stories were written" test "$(q 'SELECT count(*) FROM stories WHERE page_version > 0')" -gt 0
check_eq "gzip feed read" "$(q "SELECT status FROM feeds WHERE url = '$B/gzip.xml'")" ok
check_eq "feed served as octet-stream still read" "$(q "SELECT status FROM feeds WHERE url = '$B/wrongtype'")" ok
check_eq "atom read" "$(q "SELECT items_total FROM feeds WHERE url = '$B/feed/atom.xml'")" 2

err_of() { q "SELECT last_error FROM feeds WHERE url = '$1'"; }
check_contains "DNS failure" "$(err_of http://feeds.invalid/rss.xml)" "could not resolve host 'feeds.invalid'"
check_contains "TLS error" "$(err_of "https://127.0.0.1:$P/feed/news.xml")" "TLS error"
check_contains "redirect loop" "$(err_of "$B/redirect/loop")" "more than 5 redirects"
check_contains "429" "$(err_of "$B/status/429")" "HTTP 429 Too Many Requests"
check_contains "503" "$(err_of "$B/status/503")" "HTTP 503"
check_contains "404" "$(err_of "$B/status/404")" "HTTP 404 Not Found"
check_contains "slow response times out" "$(err_of "$B/slow")" "timed out"
check_contains "truncated body" "$(err_of "$B/truncated")" "truncated body"
check_contains "gzip bomb stopped" "$(err_of "$B/bomb")" "larger than the 1048576-byte limit"
check_contains "huge body stopped" "$(err_of "$B/huge")" "larger than"
check_contains "0 bytes" "$(err_of "$B/empty")" "empty response"
check_contains "invalid XML" "$(err_of "$B/invalid.xml")" "not a readable feed"
check_contains "HTML error page" "$(err_of "$B/error.html")" "not a readable feed"
check_eq "failures counted" "$(q "SELECT error_count, status FROM feeds WHERE url = '$B/status/503'")" "1|error"
list=$($SW --db "$DB" feeds list)
check_contains "feeds list shows the error" "$list" "last error"
check_contains "feeds list shows a status" "$list" "error"

# redirects: permanent ones move the feed, temporary ones do not
check_eq "301 moved the feed" "$(feed_id "$B/feed/moved301.xml")" "$id301"
check "301 feed has its new URL" test -n "$(feed_id "$B/feed/moved301.xml")"
check "308 feed has its new URL" test -n "$(feed_id "$B/feed/moved308.xml")"
check "302 feed keeps its URL" test -n "$(feed_id "$B/redirect/302")"
check "a second feed moving to a subscribed URL keeps its own" test -n "$(feed_id "$B/redirect/301b")"
check_eq "and is read" "$(q "SELECT status FROM feeds WHERE url = '$B/redirect/301b'")" ok
check_eq "302 feed read" "$(q "SELECT status FROM feeds WHERE url = '$B/redirect/302'")" ok

# Retry-After and backoff
wait_of() { q "SELECT next_poll - last_attempt FROM feeds WHERE url = '$1'"; }
check "429 waits Retry-After (3600 s)" test "$(wait_of "$B/status/429")" -ge 3600
check "503 waits Retry-After (120 s)" test "$(wait_of "$B/status/503")" -ge 120
check_eq "404 backs off backoff_base" "$(wait_of "$B/status/404")" 60
# intervals: ttl 180 minutes beats max-age 7200 and the default
check_eq "ttl sets the interval" "$(q "SELECT interval FROM feeds WHERE url = '$B/feed/ttl.xml'")" 10800

# the requests themselves
log=$(curl -s "$B/_log")
check_contains "User-Agent names storywire" "$log" '"ua": "storywire/0.1 (+'
check_contains "compression accepted" "$log" 'gzip'

# ---- polling again: conditional, nothing twice ----
n_articles=$(q 'SELECT count(*) FROM articles')
check "fetch --all again" sh -c "$SW --db '$DB' fetch --all $FAST >/dev/null 2>&1; test \$? -le 2"
check_eq "no article twice" "$(q 'SELECT count(*) FROM articles')" "$n_articles"
check_contains "the second poll was conditional" "$(curl -s "$B/_log" | grep '/feed/news.xml' | tail -n 1)" '"inm": "\"news-3\""'
check_eq "304 keeps the feed ok" "$(q "SELECT status, items_new FROM feeds WHERE url = '$B/feed/news.xml'")" "ok|0"
check_eq "the 301 feed is now polled at its new URL" "$(hits /redirect/301)" 1

# a plain fetch polls only what is due: the failed feeds wait for their retry
before=$(hits /status/503)
$SW --db "$DB" fetch $FAST >/dev/null 2>&1
check_eq "a failed feed is not polled before its retry" "$(hits /status/503)" "$before"

# new items arrive: exactly they are added
curl -s "$B/_control/add?feed=news&n=2" >/dev/null
$SW --db "$DB" fetch --all $FAST >/dev/null 2>&1
check_eq "two new items" "$(q "SELECT count(*) FROM articles WHERE url LIKE 'http://news.test/news/%'")" 5
check_eq "feed counts them" "$(q "SELECT items_new, items_total FROM feeds WHERE url = '$B/feed/news.xml'")" "2|5"
check_eq "item keys match" "$(q "SELECT count(*) FROM feed_items WHERE feed_id = $(feed_id "$B/feed/news.xml")")" 5

# flaky: fails twice, then recovers and its error is cleared
$SW --db "$DB" fetch --all $FAST >/dev/null 2>&1
check_eq "flaky recovers" "$(q "SELECT status, error_count, last_error IS NULL FROM feeds WHERE url = '$B/flaky'")" "ok|0|1"

# a kill in the middle of a poll loses nothing and duplicates nothing
curl -s "$B/_control/add?feed=news&n=3" >/dev/null
$SW --db "$DB" fetch --all $FAST >/dev/null 2>&1 &
FPID=$!
sleep 1.2
kill -9 $FPID 2>/dev/null
wait $FPID 2>/dev/null
for k in 1 2; do $SW --db "$DB" fetch --all $FAST >/dev/null 2>&1; done
check_eq "after a kill and two restarts: every item once" \
    "$(q "SELECT count(*), count(DISTINCT url) FROM articles WHERE url LIKE 'http://news.test/news/%'")" "8|8"
check_eq "no orphan item keys" "$(q 'SELECT count(*) FROM feed_items i LEFT JOIN articles a ON a.id = i.article_id WHERE i.article_id IS NOT NULL AND a.id IS NULL')" 0

# Last-Modified alone makes a conditional request too
DBL=$T/lm.db
$SW --db "$DBL" feeds add "$B/feed/lm.xml" --no-check >/dev/null 2>&1
$SW --db "$DBL" fetch --no-update $FAST >/dev/null 2>&1
$SW --db "$DBL" fetch --all --no-update $FAST >"$T/lm.out" 2>"$T/lm.err"
check_contains "If-Modified-Since sent" "$(curl -s "$B/_log" | grep '/feed/lm.xml' | tail -n 1)" '"ims": "Sun, 29 Nov 2026 11:00:00 GMT"'
check_contains "and answered 304" "$(cat "$T/lm.err")" "1 unchanged (304)"
if curl -V 2>/dev/null | grep -q brotli; then
    check_contains "brotli accepted" "$(curl -s "$B/_log" | grep '/feed/lm.xml' | tail -n 1)" 'br'
fi

# ---- per-host pacing ----
DB2=$T/pace.db
for n in 301 302 308; do $SW --db "$DB2" feeds add "$B/feed/moved$n.xml" --no-check >/dev/null 2>&1; done
$SW --db "$DB2" feeds add "$B/feed/atom.xml" --no-check >/dev/null 2>&1
t0=$($PY -c 'import time; print(time.time())')
$SW --db "$DB2" fetch --no-update --host-delay 300ms >/dev/null 2>"$T/pace.err"
gaps=$(curl -s "$B/_log" | $PY -c 'import json,sys
t0 = float(sys.argv[1])
ts = sorted(e["t"] for e in map(json.loads, sys.stdin) if e["t"] >= t0 and not e["path"].startswith("/_"))
print(min(b - a for a, b in zip(ts, ts[1:])) >= 0.3 if len(ts) == 4 else "requests: %d" % len(ts))' "$t0")
check_eq "one host: requests at least host_delay apart" "$gaps" True
check_contains "no per-host violations" "$(cat "$T/pace.err")" "0 per-host violations"

# ---- full articles and robots.txt ----
DB3=$T/full.db
$SW --db "$DB3" feeds add "$B/feed/short.xml" --no-check >/dev/null 2>&1
robots_before=$(hits /robots.txt)
check "fetch with full articles" $SW --db "$DB3" fetch --no-update --full-articles on --short-item 200 --host-delay 0
check_eq "robots.txt read once" "$(( $(hits /robots.txt) - robots_before ))" 1
check_eq "allowed page fetched" "$(hits /articles/1.html)" 1
check_eq "disallowed page not fetched" "$(hits /private/2.html)" 0
DB=$DB3
check_contains "the page's text replaced the one-line summary" \
    "$(q "SELECT text FROM articles WHERE url LIKE '%/articles/1.html'")" "harbour authority"
check_eq "the disallowed item keeps the feed's text" "$(q "SELECT text FROM articles WHERE url LIKE '%/private/2.html'")" "Plans."
check_eq "robots.txt stored for a day (no caching headers)" "$(q "SELECT host, kind, expires - fetched FROM robots")" "127.0.0.1|0|86400"
DB=$T/db

# ---- robots.txt Crawl-delay, and robots.txt kept in the store ----
# "localhost" is another host to the engine (its robots.txt has a Crawl-delay
# of 1 s for '*' and 100 s for another bot, and max-age=600)
DB5=$T/crawl.db
$SW --db "$DB5" feeds add "http://localhost:$P/feed/crawl.xml" --no-check >/dev/null 2>&1
# article_gaps T0: the least pause between article requests since T0, or
# "requests: N" when fewer than two
article_gaps() {
    curl -s "$B/_log" | $PY -c 'import json,sys
t0 = float(sys.argv[1])
ts = sorted(e["t"] for e in map(json.loads, sys.stdin) if e["t"] >= t0 and e["path"].startswith("/articles/c"))
print("%.2f" % min(b - a for a, b in zip(ts, ts[1:])) if len(ts) > 1 else "requests: %d" % len(ts))' "$1"
}
now() { $PY -c 'import time; print(time.time())'; }
# in_range X LO HI: True when X is a number in [LO, HI)
in_range() { $PY -c 'import sys
try: print(float(sys.argv[2]) <= float(sys.argv[1]) < float(sys.argv[3]))
except ValueError: print(False)' "$1" "$2" "$3"; }
robots_before=$(hits /robots.txt)
t0=$(now)
check "fetch honouring Crawl-delay" $SW --db "$DB5" fetch --no-update --full-articles on --short-item 200 --host-delay 0
check_eq "its robots.txt read once" "$(( $(hits /robots.txt) - robots_before ))" 1
gap=$(article_gaps "$t0")
check_eq "article pages at least the Crawl-delay (1 s) apart, host_delay 0: $gap" \
    "$(in_range "$gap" 0.95 50)" True
DB=$DB5
check_eq "robots.txt stored with max-age=600 as its lifetime" "$(q "SELECT host, expires - fetched FROM robots")" "localhost|600"
curl -s "$B/_control/add?feed=crawl&n=2" >/dev/null
t0=$(now)
check "a second process polls new items" $SW --db "$DB5" fetch --all --no-update --full-articles on --short-item 200 --host-delay 0
check_eq "robots.txt not asked again: the stored copy is used" "$(( $(hits /robots.txt) - robots_before ))" 1
check_contains "the poll says so" "$(cat "$T/last.err")" "robots.txt: 0 fetched, 1 from the store"
gap=$(article_gaps "$t0")
check_eq "the stored Crawl-delay still spaces the pages: $gap" \
    "$(in_range "$gap" 0.95 50)" True
q "UPDATE robots SET expires = fetched" >/dev/null
curl -s "$B/_control/add?feed=crawl&n=2" >/dev/null
t0=$(now)
check "an expired robots.txt" $SW --db "$DB5" fetch --all --no-update --full-articles on --short-item 200 --host-delay 0 --crawl-delay-max 100ms
check_eq "is fetched again" "$(( $(hits /robots.txt) - robots_before ))" 2
gap=$(article_gaps "$t0")
check_eq "crawl_delay_max caps the Crawl-delay: $gap" \
    "$(in_range "$gap" 0.09 0.9)" True
DB=$T/db

# ---- OPML ----
check "feeds export" $SW --db "$DB" feeds export
cp "$T/last.out" "$T/export.opml"
check_contains "export is OPML 2.0" "$(cat "$T/export.opml")" '<opml version="2.0"'
check_contains "export lists the feed" "$(cat "$T/export.opml")" "$B/feed/news.xml"
DB4=$T/import.db
check "feeds import" $SW --db "$DB4" feeds import "$T/export.opml"
DB=$DB4
check_eq "import restores every feed" "$(q 'SELECT count(*) FROM feeds')" "$(DB=$T/db q 'SELECT count(*) FROM feeds')"
DB=$T/db
printf '<?xml version="1.0"?>\n<opml version="2.0"><body><outline text="x" xmlUrl="javascript:alert(1)"/><outline text="y" xmlUrl="%s"/></body></opml>\n' "$B/feed/atom.xml" >"$T/bad.opml"
$SW --db "$T/bad.db" feeds import "$T/bad.opml" >/dev/null 2>"$T/bad.err"
check_eq "a bad outline is skipped (exit 2)" "$?" 2
check_contains "and named" "$(cat "$T/bad.err")" "outline 1"
check_fails "import of a non-OPML file" $SW --db "$T/bad.db" feeds import tests/e2e/lib.sh

# ---- remove ----
id=$(feed_id "$B/feed/atom.xml")
n_articles=$(q 'SELECT count(*) FROM articles')
check "feeds remove" $SW --db "$DB" feeds remove "$id"
check_eq "feed gone" "$(feed_id "$B/feed/atom.xml")" ""
check_eq "its articles stay" "$(q 'SELECT count(*) FROM articles')" "$n_articles"
check_fails "remove an unknown feed" $SW --db "$DB" feeds remove 9999

# ---- config file ----
printf '# test settings\nuser_agent = storywire-test/1 (+http://example.invalid/)\nhost_delay = 0\n' >"$T/good.conf"
DB5=$T/conf.db
$SW --db "$DB5" feeds add "$B/feed/moved302.xml" --no-check >/dev/null 2>&1
check "fetch --config" $SW --db "$DB5" fetch --no-update --config "$T/good.conf"
check_contains "config user_agent used" "$(curl -s "$B/_log" | tail -n 3)" "storywire-test/1"
printf 'host_delay = 1s\nmax_in_flight = lots\n' >"$T/bad.conf"
check_fails "a bad config file" $SW --db "$DB5" fetch --config "$T/bad.conf"
check_contains "names file and line" "$(cat "$T/last.err")" "bad.conf:2"
SW_ABS=$(cd "$(dirname "$SW")" && pwd)/$(basename "$SW")
(cd "$T" && STORYWIRE_CONF=bad.conf "$SW_ABS" --db "$DB5" fetch >/dev/null 2>"$T/env.err")
check_contains "STORYWIRE_CONF is read" "$(cat "$T/env.err")" "bad.conf:2"

# ---- run: polls, serves, stops on SIGTERM ----
DB6=$T/run.db
$SW --db "$DB6" feeds add "$B/feed/news.xml" --no-check >/dev/null 2>&1
RPORT=$($PY -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
$SW --db "$DB6" run --listen "127.0.0.1:$RPORT" --host-delay 0 --update-every 1 >"$T/run.out" 2>"$T/run.err" &
RPID=$!
up=0
i=0
while [ $i -lt 100 ]; do
    if [ "$(DB=$DB6 q 'SELECT count(*) FROM stories WHERE page_version > 0' 2>/dev/null)" -gt 0 ] 2>/dev/null &&
        curl -s --max-time 1 -o /dev/null "http://127.0.0.1:$RPORT/healthz"; then
        up=1
        break
    fi
    sleep 0.2
    i=$((i + 1))
done
check_eq "run polls, updates and serves" "$up" 1
check_contains "run serves the stories" "$(curl -s "http://127.0.0.1:$RPORT/api/stories")" "Harbour"
kill -TERM $RPID
i=0
while kill -0 $RPID 2>/dev/null && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
if kill -0 $RPID 2>/dev/null; then
    fail "run stops within 10 s of SIGTERM"
    kill -9 $RPID
else
    wait $RPID
    check_eq "run exits 0 on SIGTERM" "$?" 0
fi
check_contains "run says it stopped" "$(cat "$T/run.err")" "stopped"

finish test_fetch
