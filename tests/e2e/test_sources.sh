# test_sources.sh - the outlet pages and API end to end: ingest the demo
# corpus plus a few hostile articles, serve it on a free loopback port, and
# check /sources, /source/<id>, /api/sources and /api/sources/<id>: status
# codes, content types, counts equal to sqlite3's own count of the database,
# order, pagination, escaping of a hostile outlet name, and 404s.
. tests/e2e/lib.sh

DB=$T/db
DEMO=data/demo/articles.jsonl
PY=/usr/bin/python3

if [ ! -f "$DEMO" ]; then
    fail "demo corpus" "$DEMO is missing"
    finish test_sources
    exit 1
fi
if ! command -v sqlite3 >/dev/null 2>&1; then
    fail "sqlite3" "the sqlite3 shell is missing (scripts/install-deps.sh installs it)"
    finish test_sources
    exit 1
fi

fetch() { # URL [curl options...]: body in $T/body, headers in $T/headers, status in $code
    url=$1; shift
    rm -f "$T/body" "$T/headers"
    : >"$T/body"
    code=$(curl -s --max-time 5 -o "$T/body" -D "$T/headers" -w '%{http_code}' "$@" "$url")
    [ -n "$code" ] || code=000
}
header() {
    tr -d '\r' <"$T/headers" | sed -n "s/^$1: *//Ip" | head -n 1
}
q() { sqlite3 "$DB" "$1"; }

# a hostile outlet: markup and quotes in its name, a javascript: URL on one
# article and no URL on another
HOSTILE='<script>alert("x")</script> & '"'"'Quote'"'"' News'
cat >"$T/hostile.jsonl" <<'JSONL'
{"url": "https://hostile.example/a1", "source": "<script>alert(\"x\")</script> & 'Quote' News", "title": "Hostile <b>title</b> \"quoted\"", "text": "A plain sentence about nothing in particular at all.", "published": "2026-10-05T10:00:00Z"}
{"url": "javascript:alert(1)", "source": "<script>alert(\"x\")</script> & 'Quote' News", "title": "Script link <img src=x onerror=alert(1)>", "text": "Another sentence that stands alone in this file.", "published": "2026-10-04T10:00:00Z"}
JSONL

check "ingest demo" $SW --db "$DB" ingest "$DEMO"
# --no-update: the hostile articles stay outside any story, so the outlet
# page must link them by their own URL (only the http(s) one)
$SW --db "$DB" ingest --no-update "$T/hostile.jsonl" >"$T/ingest2.out" 2>&1
n_art=$(q "SELECT COUNT(*) FROM articles")
check "hostile articles stored" test "$n_art" -ge 91
HID=$(q "SELECT id FROM sources WHERE name LIKE '<script>%'")
check "hostile outlet stored" test -n "$HID"

PORT=$($PY -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
$SW --db "$DB" serve --listen "127.0.0.1:$PORT" >"$T/serve.out" 2>"$T/serve.err" &
PID=$!
up=0
i=0
while [ $i -lt 50 ]; do
    if curl -s --max-time 1 -o /dev/null "$BASE/healthz"; then up=1; break; fi
    kill -0 $PID 2>/dev/null || break
    sleep 0.2
    i=$((i + 1))
done
check_eq "server answers within 10 s" "$up" 1
if [ "$up" != 1 ]; then
    sed 's/^/    | /' "$T/serve.err" | head -n 20
    kill $PID 2>/dev/null
    finish test_sources
    exit 1
fi

# What the database says, one line per outlet: id|articles|stories|newest,
# in the order the pages must use (most articles, then name, then id).
q "SELECT s.id, COUNT(a.id), COUNT(DISTINCT a.story_id), COALESCE(MAX(a.published), 0)
   FROM sources s LEFT JOIN articles a ON a.source_id = s.id
   GROUP BY s.id ORDER BY COUNT(a.id) DESC, s.name, s.id" >"$T/want"
n_sources=$(q "SELECT COUNT(*) FROM sources")
check "there are outlets" test "$n_sources" -gt 1
TOP=$(head -n 1 "$T/want" | cut -d'|' -f1)

# --- /api/sources ---
fetch "$BASE/api/sources"
check_eq "api sources 200" "$code" 200
check_eq "api sources is JSON" "$(header Content-Type)" "application/json; charset=utf-8"
$PY - "$T/body" >"$T/got" 2>"$T/py.err" <<'PY'
import json, sys, datetime
d = json.load(open(sys.argv[1]))
assert d["limit"] == 100 and d["offset"] == 0 and d["has_more"] is False, d
for s in d["sources"]:
    assert set(s) == {"id", "name", "host", "article_count", "story_count", "last_published"}, s
    t = 0
    if s["last_published"] is not None:
        t = int(datetime.datetime.strptime(s["last_published"], "%Y-%m-%dT%H:%M:%SZ")
                .replace(tzinfo=datetime.timezone.utc).timestamp())
    print("%d|%d|%d|%d" % (s["id"], s["article_count"], s["story_count"], t))
PY
check_eq "api sources parses" "$?" 0
check_eq "api sources: ids, counts and order match sqlite3" "$(cat "$T/got")" "$(cat "$T/want")"
check_eq "hostile name survives JSON intact" \
    "$($PY -c 'import json,sys; d=json.load(open(sys.argv[1])); print([s["name"] for s in d["sources"] if s["id"]==int(sys.argv[2])][0])' "$T/body" "$HID")" \
    "$HOSTILE"
check_not_contains "JSON escapes <" "$(cat "$T/body")" "<script"

fetch "$BASE/api/sources?limit=2&offset=1"
check_eq "api sources limit/offset" \
    "$($PY -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["sources"]), d["has_more"], d["sources"][0]["id"])' "$T/body")" \
    "2 True $(sed -n 2p "$T/want" | cut -d'|' -f1)"
fetch "$BASE/api/sources?limit=0"
check_eq "api sources limit=0 is 400" "$code" 400
check_contains "api 400 is JSON" "$(header Content-Type)" "application/json"
fetch "$BASE/api/sources?offset=-1"
check_eq "api sources offset=-1 is 400" "$code" 400

# --- /api/sources/<id> ---
fetch "$BASE/api/sources/$TOP?limit=3"
check_eq "api source 200" "$code" 200
check_eq "api source is JSON" "$(header Content-Type)" "application/json; charset=utf-8"
q "SELECT a.id FROM articles a WHERE a.source_id = $TOP ORDER BY a.published DESC, a.id DESC LIMIT 3" >"$T/want_ids"
$PY - "$T/body" >"$T/got_ids" 2>"$T/py.err" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["limit"] == 3 and d["has_more"] is True, d
assert {"id", "name", "host", "article_count", "story_count", "last_published", "articles"} <= set(d)
for a in d["articles"]:
    assert set(a) == {"id", "title", "url", "published", "story"}, a
    print(a["id"])
PY
check_eq "api source articles: newest first, as sqlite3 orders them" "$(cat "$T/got_ids")" "$(cat "$T/want_ids")"
want_story=$(q "SELECT st.slug FROM articles a JOIN stories st ON st.id = a.story_id AND st.page_version > 0 WHERE a.id = $(head -n 1 "$T/want_ids")")
check_eq "api source article names its story" \
    "$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["articles"][0]["story"] or "")' "$T/body")" "$want_story"
fetch "$BASE/api/sources/$TOP?limit=500"
check_eq "api source limit=500 is 400" "$code" 400
fetch "$BASE/api/sources/999999"
check_eq "api unknown source 404" "$code" 404
check_contains "api 404 is JSON" "$(cat "$T/body")" '"error"'
fetch "$BASE/api/sources/abc"
check_eq "api non-numeric source 404" "$code" 404
fetch "$BASE/api/sources/0"
check_eq "api source 0 is 404" "$code" 404

# --- /sources ---
fetch "$BASE/sources"
check_eq "sources page 200" "$code" 200
check_eq "sources page is HTML" "$(header Content-Type)" "text/html; charset=utf-8"
check_contains "sources page has the CSP" "$(header Content-Security-Policy)" "default-src 'none'"
body=$(cat "$T/body")
check_contains "sources page uses the stylesheet" "$body" '<link rel="stylesheet" href="/static/style.css">'
check_contains "sources page has the site header" "$body" '<header class="site-header">'
check_contains "sources page has the footer" "$body" '<footer class="site-footer">'
check_contains "sources page has a heading" "$body" '<h1 class="page-title">Sources</h1>'
check_not_contains "sources page has no script tag" "$body" "<script"
check_contains "hostile name escaped in the list" "$body" \
    '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Quote&#39; News'
# the order of outlet links and the counts shown equal the database's
$PY - "$T/body" >"$T/got_html" 2>"$T/py.err" <<'PY'
import sys, re
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.rows = []; self.cls = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("class") == "outlet-name":
            self.rows.append([a["href"].rsplit("/", 1)[1]])
        self.cls = a.get("class") if tag == "span" else None
    def handle_data(self, data):
        if self.cls in ("article-count", "story-count") and self.rows:
            self.rows[-1].append(data.split()[0])
        self.cls = None
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
for r in p.rows:
    print("|".join(r))
PY
cut -d'|' -f1-3 "$T/want" >"$T/want3"
check_eq "sources page: order and counts match sqlite3" "$(cat "$T/got_html")" "$(cat "$T/want3")"
fetch "$BASE/sources?page=2"
check_eq "sources page past the end 404" "$code" 404
fetch "$BASE/sources?page=x"
check_eq "sources bad page 400" "$code" 400

# --- /source/<id> ---
fetch "$BASE/source/$TOP"
check_eq "source page 200" "$code" 200
check_eq "source page is HTML" "$(header Content-Type)" "text/html; charset=utf-8"
body=$(cat "$T/body")
top_name=$(q "SELECT name FROM sources WHERE id = $TOP")
top_host=$(q "SELECT host FROM sources WHERE id = $TOP")
top_n=$(q "SELECT COUNT(*) FROM articles WHERE source_id = $TOP")
check_contains "source page names the outlet" "$body" "<h1>$top_name</h1>"
check_contains "source page shows the host" "$body" "$top_host"
check_contains "source page counts articles" "$body" "<span class=\"article-count\">$top_n articles</span>"
check_contains "source page links story pages" "$body" 'href="/story/'
n_items=$(grep -c 'class="outlet-article"' "$T/body")
want_items=$top_n
[ "$want_items" -gt 50 ] && want_items=50
check_eq "source page lists its articles (at most 50)" "$n_items" "$want_items"

fetch "$BASE/source/$HID"
check_eq "hostile source page 200" "$code" 200
body=$(cat "$T/body")
check_not_contains "hostile source page has no script tag" "$body" "<script"
check_not_contains "hostile title not raw" "$body" "<b>title</b>"
check_not_contains "no javascript: link" "$body" 'href="javascript:'
check_not_contains "no raw img tag" "$body" "<img src=x"
check_contains "hostile name escaped in the heading" "$body" \
    '<h1>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Quote&#39; News</h1>'
check_contains "hostile title escaped" "$body" 'Hostile &lt;b&gt;title&lt;/b&gt; &quot;quoted&quot;'
check_contains "article outside a story links its http(s) URL" "$body" \
    '<a href="https://hostile.example/a1" rel="noopener nofollow">Hostile'
check_contains "hostile outlet belongs to no story" "$body" '<span class="story-count">0 stories</span>'

fetch "$BASE/source/$TOP?page=2"
if [ "$top_n" -gt 50 ]; then want=200; else want=404; fi
check_eq "source page 2 (200 when more than 50 articles, else 404)" "$code" "$want"
fetch "$BASE/source/999999"
check_eq "unknown source 404" "$code" 404
check_contains "404 is an HTML page" "$(header Content-Type)" "text/html"
fetch "$BASE/source/abc"
check_eq "non-numeric source 404" "$code" 404
fetch "$BASE/source/1x"
check_eq "source id with junk 404" "$code" 404
fetch "$BASE/source/"
check_eq "empty source id 404" "$code" 404
fetch "$BASE/source/-1"
check_eq "negative source id 404" "$code" 404
fetch "$BASE/source/99999999999999999999999"
check_eq "huge source id 404" "$code" 404
fetch "$BASE/sources" -X POST
check_eq "POST /sources is 405" "$code" 405
fetch "$BASE/sources" -I
check_eq "HEAD /sources is 200" "$code" 200

kill -INT $PID 2>/dev/null
i=0
while kill -0 $PID 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check "server stops on SIGINT" sh -c "! kill -0 $PID 2>/dev/null"
kill -9 $PID 2>/dev/null
wait $PID 2>/dev/null
finish test_sources
