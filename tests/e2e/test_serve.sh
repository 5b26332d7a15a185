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

# --- stop with SIGINT: exit 0 within 5 s ---
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
