# test_feeds.sh - the feeds end to end on the demo corpus: /feed.atom and
# /story/<slug>.atom parse as XML and carry what RFC 4287 requires,
# /feed.json carries the JSON Feed 1.1 fields, links point at pages that
# answer, and a hostile Host header is refused.
. tests/e2e/lib.sh

DB=$T/db
DEMO=data/demo/articles.jsonl
PY=/usr/bin/python3

if [ ! -f "$DEMO" ]; then
    fail "demo corpus" "$DEMO is missing"
    finish test_feeds
    exit 1
fi

fetch() {
    name=$1; url=$2; shift 2
    rm -f "$T/body" "$T/headers"
    : >"$T/body"
    code=$(curl -s --max-time 5 -o "$T/body" -D "$T/headers" -w '%{http_code}' "$@" "$url")
    [ -n "$code" ] || code=000
}
header() {
    tr -d '\r' <"$T/headers" | sed -n "s/^$1: *//Ip" | head -n 1
}

check "ingest demo" $SW --db "$DB" ingest "$DEMO"
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
    kill $PID 2>/dev/null
    finish test_feeds
    exit 1
fi

fetch stories "$BASE/api/stories?limit=100"
n_stories=$($PY -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["stories"]))' "$T/body")
want_entries=$n_stories
[ "$n_stories" -gt 20 ] && want_entries=20

# --- /feed.atom ---
fetch atom "$BASE/feed.atom"
check_eq "feed.atom 200" "$code" 200
check_eq "feed.atom type" "$(header Content-Type)" "application/atom+xml; charset=utf-8"
check "feed.atom has Last-Modified" test -n "$(header Last-Modified)"
cp "$T/body" "$T/feed.atom"
$PY - "$T/feed.atom" "$BASE" >"$T/atom.out" 2>&1 <<'PY'
import re, sys, xml.etree.ElementTree as ET
A = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
root = ET.parse(sys.argv[1]).getroot()
base = sys.argv[2]
assert root.tag == A + "feed", root.tag
for el in ("id", "title", "updated"):
    assert root.find(A + el) is not None and root.find(A + el).text, "feed lacks " + el
assert RFC3339.match(root.find(A + "updated").text)
rels = {l.get("rel"): l.get("href") for l in root.findall(A + "link")}
assert rels.get("self") == base + "/feed.atom", rels
assert rels.get("alternate") == base + "/", rels
feed_author = root.find(A + "author") is not None
ids = set()
for e in root.findall(A + "entry"):
    for el in ("id", "title", "updated"):
        assert e.find(A + el) is not None and e.find(A + el).text, "entry lacks " + el
    assert RFC3339.match(e.find(A + "updated").text)
    if e.find(A + "published") is not None:
        assert RFC3339.match(e.find(A + "published").text)
    link = e.find(A + "link")
    assert link is not None and link.get("href", "").startswith(base + "/story/")
    assert feed_author or e.find(A + "author") is not None
    assert e.find(A + "author/" + A + "name") is not None, "entry has no outlet as author"
    ids.add(e.find(A + "id").text)
    print(link.get("href"))
assert len(ids) == len(root.findall(A + "entry")), "entry ids repeat"
PY
check_eq "feed.atom is valid Atom" "$?" 0
sed 's/^/    | /' "$T/atom.out" | grep -v "^    | http" | head -n 10
check_eq "feed.atom has the top stories" "$(grep -c '^http' "$T/atom.out")" "$want_entries"
bad=""
for u in $(head -n 3 "$T/atom.out"); do
    c=$(curl -s -o /dev/null -w '%{http_code}' "$u")
    [ "$c" = 200 ] || bad="$bad $u:$c"
done
check_eq "feed.atom links answer" "$bad" ""

# --- /feed.json ---
fetch json "$BASE/feed.json"
check_eq "feed.json 200" "$code" 200
check_eq "feed.json type" "$(header Content-Type)" "application/feed+json; charset=utf-8"
$PY - "$T/body" "$BASE" "$want_entries" >"$T/json.out" 2>&1 <<'PY'
import json, re, sys
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
d = json.load(open(sys.argv[1]))
base = sys.argv[2]
assert d["version"] == "https://jsonfeed.org/version/1.1"
assert d["title"]
assert d["home_page_url"] == base + "/"
assert d["feed_url"] == base + "/feed.json"
assert len(d["items"]) == int(sys.argv[3]), len(d["items"])
for it in d["items"]:
    assert isinstance(it["id"], str) and it["id"]
    assert it["url"].startswith(base + "/story/")
    assert it["title"]
    assert "content_text" in it
    assert RFC3339.match(it["date_modified"])
    if "date_published" in it:
        assert RFC3339.match(it["date_published"])
    assert it["authors"] and all(a["name"] for a in it["authors"])
print(d["items"][0]["url"])
PY
check_eq "feed.json has the JSON Feed 1.1 fields" "$?" 0
sed 's/^/    | /' "$T/json.out" | grep -v "^    | http" | head -n 10
check_eq "feed.json links answer" "$(curl -s -o /dev/null -w '%{http_code}' "$(head -n 1 "$T/json.out")")" 200

# --- one story's updates ---
SLUG=$(head -n 1 "$T/atom.out" | sed 's|.*/story/||')
fetch story-atom "$BASE/story/$SLUG.atom"
check_eq "story .atom 200" "$code" 200
check_eq "story .atom type" "$(header Content-Type)" "application/atom+xml; charset=utf-8"
$PY - "$T/body" "$BASE" "$SLUG" <<'PY' >"$T/story.out" 2>&1
import sys, xml.etree.ElementTree as ET
A = "{http://www.w3.org/2005/Atom}"
root = ET.parse(sys.argv[1]).getroot()
base, slug = sys.argv[2], sys.argv[3]
assert root.tag == A + "feed"
rels = {l.get("rel"): l.get("href") for l in root.findall(A + "link")}
assert rels["self"] == "%s/story/%s.atom" % (base, slug), rels
assert rels["alternate"] == "%s/story/%s" % (base, slug), rels
entries = root.findall(A + "entry")
assert entries, "no versions"
for e in entries:
    assert e.find(A + "id").text.startswith("%s/story/%s#v" % (base, slug))
    assert e.find(A + "updated").text and e.find(A + "summary").text
PY
check_eq "story .atom is valid Atom with versions" "$?" 0
sed 's/^/    | /' "$T/story.out" | head -n 10
fetch story-atom-missing "$BASE/story/no-such-story.atom"
check_eq "unknown story .atom 404" "$code" 404
fetch story-atom-bad "$BASE/story/Bad_Slug.atom"
check_eq "invalid story .atom 404" "$code" 404

# --- Host handling, compression, HEAD ---
fetch evil-host "$BASE/feed.atom" -H 'Host: evil"><script>'
check_eq "hostile Host is 400" "$code" 400
check_not_contains "hostile Host not echoed" "$(cat "$T/body")" "<script>"
fetch named-host "$BASE/feed.json" -H 'Host: news.example:8443'
check_contains "feed URLs use the Host" "$(cat "$T/body")" '"feed_url":"http://news.example:8443/feed.json"'
fetch gz "$BASE/feed.atom" --compressed
check_eq "feed.atom gzip" "$(header Content-Encoding)" "gzip"
check "gzip feed.atom is the same document" cmp "$T/body" "$T/feed.atom"
check_eq "HEAD feed.atom: 200, no body" \
    "$(curl -s -I --max-time 5 -o /dev/null -w '%{http_code} %{size_download}' "$BASE/feed.atom")" "200 0"

kill -INT $PID
wait $PID
check_eq "server exits 0" "$?" 0
finish test_feeds
