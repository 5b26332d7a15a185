# test_serve.sh - the HTTP server end to end: ingest the demo corpus, serve
# it on a free port, check every route (HTML, JSON, status codes, conditional
# GET, HEAD, 404s, 405), render every story page the writer produced, then
# stop with SIGINT and expect a clean exit within 5 seconds.
. tests/e2e/lib.sh

DB=$T/db
DEMO=data/demo/articles.jsonl
PY=/usr/bin/python3

if [ ! -f "$DEMO" ]; then
    fail "demo corpus" "$DEMO is missing"
    finish test_serve
    exit 1
fi

# fetch NAME URL [curl options...]: body in $T/body, headers in $T/headers,
# status code in $code
fetch() {
    name=$1; url=$2; shift 2
    rm -f "$T/body" "$T/headers"
    : >"$T/body"
    code=$(curl -s --max-time 5 -o "$T/body" -D "$T/headers" -w '%{http_code}' "$@" "$url")
    [ -n "$code" ] || code=000
}
# header NAME: the value of a response header of the last fetch
header() {
    tr -d '\r' <"$T/headers" | sed -n "s/^$1: *//Ip" | head -n 1
}

check "ingest demo" $SW --db "$DB" ingest "$DEMO"

PORT=$($PY -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
$SW --db "$DB" serve --listen "127.0.0.1:$PORT" >"$T/serve.out" 2>"$T/serve.err" &
PID=$!

# wait until /healthz answers, at most 10 s
up=0
i=0
while [ $i -lt 50 ]; do
    if curl -s --max-time 1 -o /dev/null "$BASE/healthz"; then
        up=1
        break
    fi
    kill -0 $PID 2>/dev/null || break
    sleep 0.2
    i=$((i + 1))
done
check_eq "server answers within 10 s" "$up" 1
if [ "$up" != 1 ]; then
    sed 's/^/    | /' "$T/serve.err" | head -n 20
    kill $PID 2>/dev/null
    finish test_serve
    exit 1
fi
check_contains "serve says where it listens" "$(cat "$T/serve.out")" "http://127.0.0.1:$PORT/"

# --- /healthz ---
fetch healthz "$BASE/healthz"
check_eq "healthz 200" "$code" 200
check_contains "healthz is JSON" "$(header Content-Type)" "application/json"
n_lines=$(grep -c . "$DEMO")
articles=$($PY -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["status"], d["articles"], d["stories"] > 0)' "$T/body" 2>&1)
check_eq "healthz counts every article" "$articles" "ok $n_lines True"

# --- the front page ---
fetch index "$BASE/"
check_eq "front page 200" "$code" 200
check_eq "front page is HTML" "$(header Content-Type)" "text/html; charset=utf-8"
check_eq "front page cache" "$(header Cache-Control)" "public, max-age=60"
body=$(cat "$T/body")
check_contains "front page has a title" "$body" "<h1"
check_contains "front page links stories" "$body" "href=\"/story/"
check_not_contains "front page has no script" "$body" "<script"

# --- /api/stories ---
fetch api "$BASE/api/stories?limit=100"
check_eq "api list 200" "$code" 200
check_eq "api list is JSON" "$(header Content-Type)" "application/json; charset=utf-8"
$PY -c 'import json,sys
d = json.load(open(sys.argv[1]))
assert d["limit"] == 100 and d["offset"] == 0, d
for s in d["stories"]:
    print(s["slug"])' "$T/body" >"$T/slugs" 2>"$T/py.err"
check_eq "api list parses" "$?" 0
n_stories=$(grep -c . "$T/slugs")
check "api lists stories" test "$n_stories" -gt 0
SLUG=$(head -n 1 "$T/slugs")

fetch api-limit "$BASE/api/stories?limit=1"
check_eq "api limit=1 gives one story" \
    "$($PY -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["stories"]))' "$T/body")" 1
fetch api-bad-limit "$BASE/api/stories?limit=1000"
check_eq "api limit=1000 is 400" "$code" 400

# --- one story ---
fetch story "$BASE/story/$SLUG"
check_eq "story page 200" "$code" 200
check_eq "story page is HTML" "$(header Content-Type)" "text/html; charset=utf-8"
body=$(cat "$T/body")
check_contains "story page has a headline" "$body" "<h1>"
check_contains "story page cites" "$body" "href=\"#src-1\""
check_contains "story page lists sources" "$body" "id=\"src-1\""
check_contains "story page has its update history" "$body" "<h2 id=\"history-heading\">Update history</h2>"
check_contains "story page names version 1" "$body" "Version 1</span>"
ETAG=$(header ETag)
check_contains "story page has an ETag" "$ETAG" '"'

fetch story-304 "$BASE/story/$SLUG" -H "If-None-Match: $ETAG"
check_eq "matching ETag gives 304" "$code" 304
check_eq "304 has no body" "$(wc -c <"$T/body" | tr -d ' ')" 0

# HEAD over a raw socket: the status line and headers, then nothing
head_reply=$($PY - "$PORT" "/story/$SLUG" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.sendall(("HEAD %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % sys.argv[2]).encode())
data = b""
while True:
    chunk = s.recv(65536)
    if not chunk:
        break
    data += chunk
head, _, rest = data.partition(b"\r\n\r\n")
print(head.split(b"\r\n")[0].decode(), len(rest))
PY
)
check_eq "HEAD is 200 with no body" "$head_reply" "HTTP/1.1 200 OK 0"

fetch story-json "$BASE/api/stories/$SLUG"
check_eq "story JSON 200" "$code" 200
check_eq "story JSON slug" "$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["slug"])' "$T/body" 2>&1)" "$SLUG"

# --- every story the writer produced renders, as HTML and as JSON ---
bad=""
while read -r s; do
    fetch "page $s" "$BASE/story/$s"
    [ "$code" = 200 ] || bad="$bad html:$s:$code"
    fetch "json $s" "$BASE/api/stories/$s"
    if [ "$code" != 200 ] || ! $PY -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/body" 2>/dev/null; then
        bad="$bad json:$s:$code"
    fi
done <"$T/slugs"
check_eq "every story renders" "$bad" ""

# --- errors ---
fetch missing "$BASE/story/no-such-story-at-all"
check_eq "unknown slug 404" "$code" 404
check_contains "404 page links home" "$(cat "$T/body")" 'href="/"'
fetch bad-slug "$BASE/story/Not_A_Slug"
check_eq "invalid slug 404" "$code" 404
fetch nowhere "$BASE/no/such/page"
check_eq "unknown path 404" "$code" 404
fetch api-missing "$BASE/api/stories/no-such-story-at-all"
check_eq "unknown API slug 404" "$code" 404
check_contains "API 404 is JSON" "$(header Content-Type)" "application/json"
fetch post "$BASE/" -X POST -d 'x=1'
check_eq "POST is 405" "$code" 405
check_eq "405 says what is allowed" "$(header Allow)" "GET, HEAD"
fetch css "$BASE/static/style.css"
check_eq "stylesheet 200" "$code" 200
check_eq "stylesheet is CSS" "$(header Content-Type)" "text/css; charset=utf-8"

# --- HTTP: Last-Modified, gzip, limits ---
fetch story-lm "$BASE/story/$SLUG"
LM=$(header Last-Modified)
check "story page has Last-Modified" test -n "$LM"
fetch story-ims "$BASE/story/$SLUG" -H "If-Modified-Since: $LM"
check_eq "If-Modified-Since at Last-Modified gives 304" "$code" 304
fetch index-lm "$BASE/"
fetch index-ims "$BASE/" -H "If-Modified-Since: $(header Last-Modified)"
check_eq "front page If-Modified-Since gives 304" "$code" 304
fetch story-plain "$BASE/story/$SLUG"
cp "$T/body" "$T/plain.html"
fetch story-gz "$BASE/story/$SLUG" --compressed
check_eq "story page gzip when accepted" "$(header Content-Encoding)" "gzip"
check_eq "gzip varies on Accept-Encoding" "$(header Vary)" "Accept-Encoding"
check "gzip page decompresses to the same page" cmp "$T/body" "$T/plain.html"
long=$($PY -c 'print("a" * 3000)')
fetch long-url "$BASE/story/$long"
check_eq "URL over 2 KB is 414" "$code" 414
check_contains "414 is a page" "$(cat "$T/body")" "<h1>414"
big=$($PY -c 'print("x" * 9000)')
fetch big-header "$BASE/" -H "X-Big: $big"
check_eq "headers over 8 KB are 431" "$code" 431
check_contains "431 is a page" "$(cat "$T/body")" "<h1>431"
fetch after-limits "$BASE/healthz"
check_eq "server lives on after refusals" "$code" 200

# --- /api/stories: cursor pagination and filters; /api/articles/<id> ---
$PY - "$BASE" <<'PY' >"$T/walk.out" 2>&1
import json, sys, urllib.request
base = sys.argv[1]
def get(q):
    with urllib.request.urlopen(base + "/api/stories?" + q, timeout=5) as r:
        return json.load(r)
full = [s["slug"] for s in get("limit=100")["stories"]]
seen, cursor, pages = [], None, 0
while True:
    d = get("limit=3" + ("&cursor=" + cursor if cursor else ""))
    pages += 1
    seen += [s["slug"] for s in d["stories"]]
    cursor = d["next_cursor"]
    assert (cursor is None) == (not d["has_more"])
    if cursor is None:
        break
assert seen == full, (seen, full)
assert len(set(seen)) == len(seen)
assert pages == (len(full) + 2) // 3
# since/until on last_published
mid = sorted(s["last_published"] for s in get("limit=100")["stories"])[len(full) // 2]
later = get("limit=100&since=" + mid)["stories"]
earlier = get("limit=100&until=" + mid)["stories"]
assert later and all(s["last_published"] >= mid for s in later)
assert earlier and all(s["last_published"] <= mid for s in earlier)
assert len(later) + len(earlier) >= len(full)
# source=: every story listed has an article from that outlet
page = json.load(urllib.request.urlopen(base + "/api/stories/" + full[0], timeout=5))
outlet = page["sources"][0]["outlet"]
listed = get("limit=100&source=" + urllib.parse.quote(outlet))["stories"]
assert full[0] in [s["slug"] for s in listed]
for s in listed:
    p = json.load(urllib.request.urlopen(base + "/api/stories/" + s["slug"], timeout=5))
    assert outlet in [x["outlet"] for x in p["sources"]] or s["article_count"] > len(p["sources"]), s["slug"]
assert get("limit=100&lang=en")["stories"]
assert get("limit=100&lang=xx")["stories"] == []
# the article API
src = page["sources"][0]
art = json.load(urllib.request.urlopen(base + "/api/articles/%d" % src["article_id"], timeout=5))
assert art["id"] == src["article_id"] and art["outlet"] == src["outlet"] and art["title"] == src["title"]
assert art["story"] == full[0] and art["text"] and art["published"]
print("ok", len(full), pages)
PY
walk_rc=$?
check_eq "cursor walk, filters and article API" "$walk_rc" 0
[ "$walk_rc" = 0 ] || sed 's/^/    | /' "$T/walk.out" | tail -n 5
fetch bad-cursor "$BASE/api/stories?cursor=nonsense"
check_eq "bad cursor is 400" "$code" 400
fetch missing-article "$BASE/api/articles/999999999"
check_eq "unknown article is 404" "$code" 404

# --- /metrics counts what was asked ---
fetch metrics "$BASE/metrics"
check_eq "metrics 200" "$code" 200
check_eq "metrics content type" "$(header Content-Type)" "text/plain; version=0.0.4; charset=utf-8"
m=$(cat "$T/body")
check_contains "metrics count story 404s" "$m" 'storywire_http_requests_total{route="story",status="404"}'
check_contains "metrics count 414s" "$m" 'storywire_http_requests_total{route="story",status="414"} 1'
check_contains "metrics have a histogram" "$m" 'storywire_http_request_duration_seconds_bucket{route="index",le="+Inf"}'
check_contains "metrics count articles" "$m" "storywire_articles $n_lines"
check_contains "metrics have fetch errors" "$m" "storywire_fetch_errors_total 0"

# --- stop with SIGINT: exit 0 within 5 s ---
# --- a page cached in memory gives way to the story's next version ---
first_url=$($PY -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["url"])' "$DEMO")
grow_slug=$(sqlite3 "$DB" "SELECT s.slug FROM stories s JOIN articles a ON a.story_id = s.id WHERE a.url = '$first_url'")
fetch cached-v1 "$BASE/story/$grow_slug"
etag_v1=$(header ETag)
fetch cached-v1-again "$BASE/story/$grow_slug"
check_eq "same page twice (cached)" "$(header ETag)" "$etag_v1"
$PY -c '
import json, sys
a = json.loads(open(sys.argv[1]).readline())
a["url"] = a["url"] + "-republished"
a["source"] = "Test Republisher"
a["title"] = a["title"] + " (update)"
print(json.dumps(a))' "$DEMO" >"$T/copy.jsonl"
check "ingest a copy while serving" $SW --db "$DB" ingest "$T/copy.jsonl"
fetch cached-v2 "$BASE/story/$grow_slug"
check_eq "new version served after the story grew" "$code" 200
check_not_contains "ETag changed with the version" "$(header ETag)" "$etag_v1"
check_contains "the page counts the new outlet" "$(cat "$T/body")" "Test Republisher"
etag_v2=$(header ETag)
fetch cached-old-tag "$BASE/story/$grow_slug" -H "If-None-Match: $etag_v1"
check_eq "the old ETag no longer gives 304" "$code" 200
fetch cached-new-tag "$BASE/story/$grow_slug" -H "If-None-Match: $etag_v2"
check_eq "the new ETag gives 304" "$code" 304
check_eq "the 304 names the new ETag" "$(header ETag)" "$etag_v2"
gz_v2=$(printf '%s' "$etag_v2" | sed 's/"$/-gz"/')
fetch cached-gz "$BASE/story/$grow_slug" -H "Accept-Encoding: gzip"
check_eq "the gzip variant is the new version" "$(header ETag)" "$gz_v2"
check_contains "the gzip variant counts the new outlet" "$(gzip -dc <"$T/body")" "Test Republisher"
fetch cached-gz-304 "$BASE/story/$grow_slug" -H "Accept-Encoding: gzip" -H "If-None-Match: $gz_v2"
check_eq "the new gzip ETag gives 304" "$code" 304
fetch cached-api "$BASE/api/stories/$grow_slug"
check_contains "the API page is the new version too" "$(cat "$T/body")" "Test Republisher"

# --- the page cache stays under --cache-size ---
PORT2=$($PY -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
BASE2=http://127.0.0.1:$PORT2
$SW --db "$DB" serve --listen "127.0.0.1:$PORT2" --cache-size 48K >"$T/serve2.out" 2>"$T/serve2.err" &
PID2=$!
i=0
while [ $i -lt 50 ] && ! curl -s --max-time 1 -o /dev/null "$BASE2/healthz"; do
    sleep 0.2
    i=$((i + 1))
done
bad=0
for round in 1 2; do
    while read -r s; do
        for path in "/story/$s" "/api/stories/$s"; do
            a=$(curl -s --max-time 5 -H "Accept-Encoding: gzip" -o /dev/null -w '%{http_code}' "$BASE2$path")
            [ "$a" = 200 ] || bad=$((bad + 1))
        done
    done <"$T/slugs"
done
check_eq "every page served with a small cache" "$bad" 0
fetch small-cache-story "$BASE2/story/$grow_slug"
cp "$T/body" "$T/small-cache.html"
fetch big-cache-story "$BASE/story/$grow_slug"
check "a page evicted and rendered again is the same page" cmp -s "$T/body" "$T/small-cache.html"
fetch small-cache-metrics "$BASE2/metrics"
cache_bytes=$(sed -n 's/^storywire_page_cache_bytes //p' "$T/body")
evictions=$(sed -n 's/^storywire_page_cache_evictions_total //p' "$T/body")
check "cache bytes under --cache-size 48K ($cache_bytes)" test "${cache_bytes:-999999}" -le 49152
check "pages were evicted to stay under it ($evictions)" test "${evictions:-0}" -gt 0
kill -INT $PID2 2>/dev/null
wait $PID2 2>/dev/null

kill -INT $PID
i=0
while kill -0 $PID 2>/dev/null && [ $i -lt 25 ]; do
    sleep 0.2
    i=$((i + 1))
done
if kill -0 $PID 2>/dev/null; then
    fail "server stops on SIGINT within 5 s"
    kill -KILL $PID 2>/dev/null
    wait $PID 2>/dev/null
else
    wait $PID
    check_eq "server exits 0 on SIGINT" "$?" 0
fi
fetch after-stop "$BASE/healthz"
check_eq "nothing listens after stop" "$code" 000

finish test_serve
