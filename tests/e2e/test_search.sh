# test_search.sh - /search and /api/search end to end: ingest the demo
# corpus plus hostile articles, serve it on a free loopback port, then
# check status codes, content types, escaping of a hostile title and of the
# query echoed back, highlighting, filters, pagination by page= and by
# cursor, the empty-query page, the length limit, and the API's JSON shape
# (parsed with python3). Stops the server by its PID.
. tests/e2e/lib.sh

DB=$T/db
DEMO=data/demo/articles.jsonl
PY=/usr/bin/python3

if [ ! -f "$DEMO" ]; then
    fail "demo corpus" "$DEMO is missing"
    finish test_search
    exit 1
fi

# hostile articles: markup in the title and text, a javascript: URL, and
# twelve articles that share a rare word, for pagination
$PY - "$T/hostile.jsonl" <<'EOF'
import json, sys
rows = [
    {"url": "javascript:alert(1)", "source": "Evil <b>Outlet</b>",
     "title": "Zanzibarite <script>alert(1)</script> \"quoted\" & 'single'",
     "text": "The zanzibarite report <img src=x onerror=alert(2)> ends here.",
     "published": "2026-11-02T10:00:00Z", "lang": "en"},
]
rows.append({"url": "https://zh.example/port", "source": "Zhongwen Daily",
             "title": "上海港口恢复运营", "text": "台风过后，上海港口今天恢复运营，数百艘船只进港。",
             "published": "2026-11-03T09:00:00Z", "lang": "zh"})
for i in range(12):
    rows.append({"url": "https://paging.example/%d" % i, "source": "Paging Post" if i % 2 else "Other Daily",
                 "title": "Quillwort survey number %d" % i,
                 "text": "Botanists counted quillwort plants in lake %d this season." % i,
                 "published": "2026-11-%02dT08:00:00Z" % (i + 1), "lang": "de" if i == 3 else "en"})
with open(sys.argv[1], "w") as f:
    for r in rows:
        f.write(json.dumps(r) + "\n")
EOF

check "ingest demo" $SW --db "$DB" ingest "$DEMO"
# --no-update: they stay articles, outside any story
check "ingest hostile" $SW --db "$DB" ingest --no-update "$T/hostile.jsonl"

PORT=$($PY -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
$SW --db "$DB" serve --listen "127.0.0.1:$PORT" >"$T/serve.out" 2>"$T/serve.err" &
PID=$!

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
    finish test_search
    exit 1
fi

# fetch URL: body in $T/body, headers in $T/headers, status in $code
fetch() {
    rm -f "$T/body" "$T/headers"
    : >"$T/body"
    code=$(curl -s --max-time 5 -o "$T/body" -D "$T/headers" -w '%{http_code}' "$@")
    [ -n "$code" ] || code=000
}
header() {
    tr -d '\r' <"$T/headers" | sed -n "s/^$1: *//Ip" | head -n 1
}
# py EXPR: evaluates EXPR with d = the JSON body of the last fetch
py() {
    $PY -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$T/body" 2>&1
}

# --- the HTML page ---
fetch "$BASE/search?q=storm+corvin"
check_eq "search page 200" "$code" 200
check_eq "search page is HTML" "$(header Content-Type)" "text/html; charset=utf-8"
body=$(cat "$T/body")
check_contains "search page is a whole document" "$body" "</html>"
check_contains "search page has the site header" "$body" 'class="site-header"'
check_contains "stories come first" "$(printf '%s' "$body" | grep -o 'id="stories-found"\|id="articles-found"' | head -n 1)" "stories-found"
check_contains "a story links to its page" "$body" 'href="/story/'
check_contains "matched words are marked" "$body" "<mark>Storm</mark> <mark>Corvin</mark>"
check_contains "the query is in the search box" "$body" 'value="storm corvin"'
check_not_contains "no script on the page" "$body" "<script"

# --- escaping ---
fetch "$BASE/search?q=zanzibarite"
body=$(cat "$T/body")
check_eq "hostile search 200" "$code" 200
check_not_contains "hostile title is escaped" "$body" "<script>alert"
check_contains "hostile title shows as text" "$body" "&lt;script&gt;alert(1)&lt;/script&gt;"
check_not_contains "hostile text is escaped" "$body" "<img src=x"
check_not_contains "hostile outlet is escaped" "$body" "<b>Outlet"
check_not_contains "javascript: URL is never linked" "$body" 'href="javascript:'

fetch "$BASE/search?q=%3Cscript%3Ealert(1)%3C/script%3E%22%3E%3Cb%3E"
body=$(cat "$T/body")
check_eq "hostile query 200" "$code" 200
check_not_contains "echoed query is escaped" "$body" "<script>"
check_not_contains "echoed query cannot leave the attribute" "$body" '"><b>'
check_contains "echoed query shows as text" "$body" "&lt;script&gt;"

fetch "$BASE/search?q=%22%20OR%20*%20NEAR(%20col:x%20AND%20-"
check_eq "FTS5 syntax in the query is harmless" "$code" 200
fetch "$BASE/api/search?q=title:zanzibarite%20OR%20NOT%20*"
check_eq "FTS5 syntax in an API query is harmless" "$code" 200
check_eq "column filter is dropped, word kept" "$(py 'len(d["results"])')" 1

# --- Chinese: a word inside a run of characters (no spaces) ---
fetch "$BASE/api/search?q=%E6%B8%AF%E5%8F%A3"
check_eq "Chinese word inside a run is found" "$(py 'len(d["results"])')" 1
check_contains "Chinese hit is the port article" "$(py 'd["results"][0]["url"]')" "zh.example/port"
fetch "$BASE/search?q=%E6%B8%AF%E5%8F%A3"
check_contains "Chinese word is marked in the page" "$(cat "$T/body")" "上海<mark>港口</mark>恢复运营"

# --- empty and long queries ---
fetch "$BASE/search"
check_eq "no query 200" "$code" 200
check_contains "no query asks for words" "$(cat "$T/body")" "Type something to search"
fetch "$BASE/search?q=%22%20*%20-%20(%20)"
check_eq "punctuation-only query 200" "$code" 200
check_contains "punctuation-only asks for words" "$(cat "$T/body")" "Type something to search"
long=$($PY -c 'print("a" * 257)')
fetch "$BASE/search?q=$long"
check_eq "257-byte query is 414" "$code" 414
fetch "$BASE/api/search?q=$long"
check_eq "257-byte API query is 414" "$code" 414
check_contains "414 from the API is JSON" "$(header Content-Type)" "application/json"
ok=$($PY -c 'print("a" * 256)')
fetch "$BASE/search?q=$ok"
check_eq "256-byte query is served" "$code" 200

# --- filters and bad arguments ---
fetch "$BASE/api/search?q=quillwort&limit=50"
check_eq "quillwort finds all twelve" "$(py 'len(d["results"])')" 12
fetch "$BASE/api/search?q=quillwort&limit=50&from=2026-11-03&to=2026-11-05"
check_eq "date range keeps days 3 to 5" "$(py 'sorted(r["published"][:10] for r in d["results"])')" \
    "['2026-11-03', '2026-11-04', '2026-11-05']"
fetch "$BASE/api/search?q=quillwort&limit=50&from=2026-11-03T08:00:00Z&to=2026-11-03T08:00:00Z"
check_eq "RFC 3339 bounds are inclusive" "$(py 'len(d["results"])')" 1
fetch "$BASE/api/search?q=quillwort&limit=50&source=paging%20post"
check_eq "outlet by name" "$(py 'sorted(set(r["outlet"] for r in d["results"]))')" "['Paging Post']"
src_id=$(py 'd["filters"]["source"]')
fetch "$BASE/api/search?q=quillwort&limit=50&source=$src_id"
check_eq "outlet by id" "$(py 'len(d["results"])')" 6
fetch "$BASE/api/search?q=quillwort&source=Nobody%20Daily"
check_eq "unknown outlet 200" "$code" 200
check_eq "unknown outlet finds nothing" "$(py 'len(d["results"]), "notice" in d')" "0 True"
fetch "$BASE/api/search?q=quillwort&limit=50&lang=de"
check_eq "language filter" "$(py '[r["title"] for r in d["results"]]')" "['Quillwort survey number 3']"
fetch "$BASE/search?q=storm&from=yesterday"
check_eq "bad date is 400" "$code" 400
fetch "$BASE/api/search?q=storm&to=2026-13-45x"
check_eq "bad API date is 400" "$code" 400
fetch "$BASE/api/search?q=storm&lang=%3Cx%3E"
check_eq "bad language is 400" "$code" 400
fetch "$BASE/api/search?q=storm&limit=51"
check_eq "limit over 50 is 400" "$code" 400
fetch "$BASE/search?q=storm&page=0"
check_eq "page 0 is 400" "$code" 400

# --- HTML pagination ---
fetch "$BASE/search?q=quillwort"
body=$(cat "$T/body")
check_eq "page 1 lists ten" "$(printf '%s' "$body" | grep -c '<li class="card result">')" 10
check_contains "page 1 links page 2" "$body" 'href="/search?q=quillwort&amp;page=2"'
fetch "$BASE/search?q=quillwort&page=2"
body=$(cat "$T/body")
check_eq "page 2 lists the other two" "$(printf '%s' "$body" | grep -c '<li class="card result">')" 2
check_contains "page 2 links back" "$body" 'rel="prev"'
check_not_contains "page 2 is the last" "$body" 'rel="next"'
fetch "$BASE/search?q=quillwort&page=3"
check_eq "past the last page is 404" "$code" 404
fetch "$BASE/search?q=quillwort&lang=en"
check_contains "pager keeps the filters" "$(cat "$T/body")" 'href="/search?q=quillwort&amp;lang=en&amp;page=2"'
# the two pages together list each survey once
p1=$(curl -s "$BASE/search?q=quillwort" | grep -o 'survey number [0-9]*' | sort)
p2=$(curl -s "$BASE/search?q=quillwort&page=2" | grep -o 'survey number [0-9]*' | sort)
check_eq "pages do not overlap" "$(printf '%s\n%s\n' "$p1" "$p2" | sort | uniq | wc -l | tr -d ' ')" 12

# --- the API: shape and cursor pagination ---
fetch "$BASE/api/search?q=storm&limit=3"
check_eq "api 200" "$code" 200
check_eq "api is JSON" "$(header Content-Type)" "application/json; charset=utf-8"
shape=$(py '(sorted(d), sorted(d["filters"]), d["query"], type(d["next_cursor"]).__name__, len(d["results"]))')
check_eq "api shape" "$shape" "(['filters', 'next_cursor', 'query', 'results'], ['from', 'lang', 'source', 'to'], 'storm', 'str', 3)"
kinds=$(py '[r["type"] for r in d["results"]]')
check_contains "api lists a story first" "$kinds" "['story'"
story_keys=$(py 'sorted(d["results"][0])')
check_eq "api story fields" "$story_keys" \
    "['article_count', 'headline', 'headline_highlights', 'highlights', 'id', 'score', 'slug', 'snippet', 'source_count', 'type', 'updated', 'url']"
hl=$(py '[d["results"][0]["headline"][a:b].lower() for a, b in d["results"][0]["headline_highlights"]]')
check_contains "highlight ranges point at the match" "$hl" "'storm'"

# walk every page by cursor: no result twice, and all of them
all=$($PY - "$BASE" <<'EOF'
import json, sys, urllib.request, urllib.parse
base = sys.argv[1]
seen, cursor, pages = [], None, 0
while True:
    url = base + "/api/search?q=quillwort&limit=5" + ("&cursor=" + urllib.parse.quote(cursor) if cursor else "")
    d = json.load(urllib.request.urlopen(url))
    seen += [(r["type"], r["id"]) for r in d["results"]]
    pages += 1
    cursor = d["next_cursor"]
    if not cursor or pages > 10:
        break
print(pages, len(seen), len(set(seen)))
EOF
)
check_eq "cursor walks 12 results in 3 pages" "$all" "3 12 12"
fetch "$BASE/api/search?q=quillwort&limit=5"
cur=$(py 'd["next_cursor"]')
fetch "$BASE/api/search?q=storm&limit=5&cursor=$cur"
check_eq "cursor of another query is 400" "$code" 400
fetch "$BASE/api/search?q=quillwort&cursor=not-a-cursor"
check_eq "made-up cursor is 400" "$code" 400

art=$(curl -s "$BASE/api/search?q=zanzibarite")
printf '%s' "$art" >"$T/body"
check_eq "hostile article in JSON" "$(py '(d["results"][0]["type"], "<script>" in d["results"][0]["title"], d["results"][0]["url"])')" \
    "('article', True, None)"
check_not_contains "JSON escapes < for HTML embedding" "$art" "<script>"
fetch "$BASE/api/search?q=***"
check_eq "empty API query 200" "$code" 200
check_eq "empty API query has no results" "$(py '(d["results"], d["next_cursor"], d["notice"])')" \
    "([], None, 'Type something to search.')"

# --- HEAD and methods ---
code=$(curl -s -o /dev/null -w '%{http_code}' -I "$BASE/search?q=storm")
check_eq "HEAD search 200" "$code" 200
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$BASE/api/search?q=storm")
check_eq "POST search 405" "$code" 405

kill -INT $PID 2>/dev/null
i=0
while kill -0 $PID 2>/dev/null && [ $i -lt 50 ]; do
    sleep 0.1
    i=$((i + 1))
done
if kill -0 $PID 2>/dev/null; then
    fail "server stops on SIGINT"
    kill -KILL $PID 2>/dev/null
else
    pass
fi
wait $PID 2>/dev/null
check_eq "server wrote no errors" "$(grep -ci 'error\|runtime' "$T/serve.err")" 0

# --- checking and repairing the indexes (the sqlite3 shell cannot: storywire's tokenizer) ---
check "search-index check on a sound database" $SW --db "$DB" search-index check
sqlite3 "$DB" "DELETE FROM articles_fts_data WHERE rowid IN (SELECT rowid FROM articles_fts_data WHERE id > 10 LIMIT 3)"
check_fails "search-index check finds a damaged index" $SW --db "$DB" search-index check
check_contains "and names it" "$(cat "$T/last.err")" "articles_fts"
check "search-index rebuild" $SW --db "$DB" search-index rebuild
check "search-index check after the rebuild" $SW --db "$DB" search-index check
check_fails "search-index without a mode" $SW --db "$DB" search-index
check_fails "search-index with an unknown mode" $SW --db "$DB" search-index repair

finish test_search
