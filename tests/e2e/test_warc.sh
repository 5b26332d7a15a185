# test_warc.sh - web archives and HTML pages end to end: a generated
# CC-NEWS-style WARC (request, response, metadata records; gzip-encoded
# and chunked payloads; a 404, an image, an index page) and two HTML pages
# are ingested, and their stories appear; damaged archives (a corrupt gzip
# member, a wrong Content-Length, a cut file) are reported with file and
# offset while their good records still go in; parse prints the articles.
. tests/e2e/lib.sh

GEN=bench/warc/gen_warc.py
DB=$T/news.db
python3 "$GEN" --sample "$T/news.warc.gz"
python3 "$GEN" --sample --compress none "$T/news.warc"

# two HTML pages on the bridge story from a third outlet; one without a
# canonical URL (given with --url), one gzipped
python3 - "$T" <<'PY'
import sys
sys.path.insert(0, "bench/warc")
import gen_warc as g
d = sys.argv[1]
paras = ["The harbour bridge is open to traffic again after six months of cable repairs, the city said on Tuesday.",
         "Mayor Ana Duarte walked across the bridge with the repair crews before the first cars crossed the harbour.",
         "The repairs to the bridge cost 42 million euros, the transport office said, below the council budget."]
open(d + "/bridge.html", "w").write(g.page_html("https://bay-radio.example/bridge", "Cars cross the harbour bridge again",
                                                "Bay Radio", "2026-03-03T09:00:00Z", paras))
page = g.page_html("", "Harbour bridge: what the repairs changed", "Bay Radio", "2026-03-03T12:00:00Z",
                   paras[::-1]).replace('<link rel="canonical" href="">', "")
import gzip
open(d + "/bridge2.html.gz", "wb").write(gzip.compress(page.encode()))
open(d + "/index.html", "w").write("<html><head><title>Bay Radio</title></head><body><nav><a href='/'>Home</a></nav></body></html>")
PY

# --- parse: the four articles of the archive, as JSONL ---
check "parse warc.gz" $SW parse "$T/news.warc.gz"
check_eq "four articles parsed" "$(grep -c '"url"' "$T/last.out")" "4"
check_contains "gzip-encoded page decoded" "$(cat "$T/last.out")" "Harbour bridge open again as cable repairs finish"
check_contains "chunked page decoded" "$(cat "$T/last.out")" "Council votes to keep the old library open"
check_contains "records without an article counted" "$(cat "$T/last.err")" "HTTP status not 2xx 1"
check_contains "image counted" "$(cat "$T/last.err")" "not HTML 1"
check_not_contains "no warnings for sound records" "$(cat "$T/last.err")" "warning"
check "parse plain warc" $SW parse "$T/news.warc"
check_eq "same articles from the plain archive" "$(grep -c '"url"' "$T/last.out")" "4"
check "parse html page with --url" $SW parse --url https://bay-radio.example/what-changed "$T/bridge2.html.gz"
check_contains "--url is the page URL without a canonical link" "$(cat "$T/last.out")" '"url":"https://bay-radio.example/what-changed"'

# --- ingest: archive and pages into one database ---
check "ingest warc and html" $SW --db "$DB" ingest "$T/news.warc.gz" "$T/bridge.html" \
    --url https://bay-radio.example/what-changed "$T/bridge2.html.gz"
check_eq "six articles stored" "$(sqlite3 "$DB" 'SELECT count(*) FROM articles')" "6"
check_eq "crawl date as publication when the page has none" \
    "$(sqlite3 "$DB" "SELECT published FROM articles WHERE url LIKE '%harbour-bridge-open-again'")" "1772690460"
$SW --db "$DB" stories >"$T/stories.txt" 2>&1
check_contains "bridge story listed" "$(cat "$T/stories.txt")" "bridge"
check_contains "library story listed" "$(cat "$T/stories.txt")" "ibrary"
bridge=$(sqlite3 "$DB" "SELECT count(DISTINCT story_id) FROM articles WHERE title LIKE '%bridge%'")
check_eq "the bridge reports form one story" "$bridge" "1"
check_eq "bridge story has all four reports" \
    "$(sqlite3 "$DB" "SELECT count(*) FROM articles WHERE story_id = (SELECT story_id FROM articles WHERE title LIKE '%Cars cross%')")" "4"
check "re-ingest adds nothing" $SW --db "$DB" ingest "$T/news.warc.gz"
check_contains "nothing new" "$(cat "$T/last.err")" "0 new, 4 already stored"

# --- a page without an article: a reasoned skip, exit 2 ---
$SW --db "$DB" ingest --no-update "$T/index.html" >"$T/idx.out" 2>"$T/idx.err"
check_eq "page without article exits 2" "$?" "2"
check_contains "page without article says why" "$(cat "$T/idx.err")" "index.html: no article in the page"

# --- damaged archives: good records still go in ---
python3 "$GEN" --sample --corrupt-member 5 --bad-length 2 "$T/damaged.warc.gz"
$SW --db "$T/damaged.db" ingest "$T/damaged.warc.gz" >"$T/dmg.out" 2>"$T/dmg.err"
check_eq "damaged archive exits 2" "$?" "2"
check_contains "corrupt member named with its offset" "$(cat "$T/dmg.err")" "damaged.warc.gz: corrupt gzip member at offset "
check_contains "bad length named with the record offset" "$(cat "$T/dmg.err")" "damaged.warc.gz: record at offset "
check_contains "bad length reason" "$(cat "$T/dmg.err")" "bad Content-Length"
check_eq "the two sound articles stored" "$(sqlite3 "$T/damaged.db" 'SELECT count(*) FROM articles')" "2"

python3 "$GEN" --sample --compress stream --truncate 400 "$T/cut.warc.gz"
$SW parse "$T/cut.warc.gz" >"$T/cut.out" 2>"$T/cut.err"
check_eq "cut archive exits 2" "$?" "2"
check_contains "cut archive reported" "$(cat "$T/cut.err")" "truncated: the file ends inside the gzip member at offset 0"
check_eq "cut archive: the articles before the cut" "$(grep -c '"url"' "$T/cut.out")" "4"

printf 'WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 12x\r\n\r\nnonsense\r\n\r\nmore garbage' >"$T/junk.warc"
$SW parse "$T/junk.warc" >"$T/junk.out" 2>"$T/junk.err"
check_eq "junk archive exits 2" "$?" "2"
check_contains "junk archive: bad length named" "$(cat "$T/junk.err")" 'junk.warc: record at offset 0: bad Content-Length "12x"'

finish warc
