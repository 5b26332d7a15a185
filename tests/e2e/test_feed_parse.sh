# test_feed_parse.sh - feeds as article input: `parse` prints a feed's
# items as article JSONL (and the whole feed with --feed), `ingest` stores
# them once however often it is run, and broken feeds (HTML error page,
# empty, invalid, oversized) are refused with the file named while the
# other files go in.
. tests/e2e/lib.sh
DB=$T/feeds.db

cat >"$T/news.rss" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Harbour Times</title><link>https://harbour.example/</link><language>en</language>
<item><title>Council approves new harbour wall after storm damage</title>
<link>/2026/03/harbour-wall</link><guid>hw-1</guid><pubDate>Tue, 03 Mar 2026 10:20:00 GMT</pubDate>
<content:encoded><![CDATA[<p>The council voted on Tuesday to fund a new harbour wall.</p><p>Work starts in April.</p>]]></content:encoded></item>
<item><title>Ferry timetable changes for spring</title><link>https://harbour.example/2026/03/ferry</link>
<description>The ferry company published its spring timetable &amp; fares.</description>
<pubDate>Wed, 04 Mar 2026 08:00:00 GMT</pubDate></item>
</channel></rss>
XML
cat >"$T/news.atom" <<'XML'
<feed xmlns="http://www.w3.org/2005/Atom"><title>Coast Wire</title>
<entry><title>Storm damage survey finished</title><id>urn:coast:7</id>
<link href="https://coast.example/7"/><updated>2026-03-04T09:00:00Z</updated>
<summary>Engineers finished surveying the storm damage along the coast.</summary></entry></feed>
XML
printf '<!DOCTYPE html><html><head><title>503</title></head><body>Service unavailable</body></html>' >"$T/error.rss"
: >"$T/empty.rss"

# --- parse ---
check "parse rss" $SW parse "$T/news.rss"
check_eq "one line per item" "$(grep -c . "$T/last.out")" "2"
check_contains "link made absolute against the site link" "$(cat $T/last.out)" '"url":"https://harbour.example/2026/03/harbour-wall"'
check_contains "content as paragraphs" "$(cat $T/last.out)" 'harbour wall.\n\nWork starts in April.'
check_contains "source is the feed title" "$(cat $T/last.out)" '"source":"Harbour Times"'
check_contains "entities decoded" "$(cat $T/last.out)" 'timetable \u0026 fares'
check "parse --url base" $SW parse --url https://mirror.example/feed "$T/news.rss"
check_contains "the feed URL is the base" "$(cat $T/last.out)" 'https://mirror.example/2026/03/harbour-wall'
check "parse atom" $SW parse "$T/news.atom"
check_contains "atom entry" "$(cat $T/last.out)" '"title":"Storm damage survey finished"'
check "parse --feed" $SW parse --feed "$T/news.atom"
check_contains "feed JSON kind" "$(cat $T/last.out)" '"kind":"atom10"'
check_contains "feed JSON item id" "$(cat $T/last.out)" '"id":"urn:coast:7"'

gzip -c "$T/news.rss" >"$T/news.rss.gz"
check "parse gzipped feed" $SW parse "$T/news.rss.gz"
check_eq "gzipped feed items" "$(grep -c . "$T/last.out")" "2"

# --- bad feeds named, the rest read ---
check_fails "HTML error page refused" $SW parse "$T/error.rss" "$T/news.atom"
check_contains "error names the file" "$(cat $T/last.err)" "error.rss"
check_eq "good file still read" "$(grep -c . "$T/last.out")" "1"
check_fails "empty feed refused" $SW parse "$T/empty.rss"
check_contains "empty said" "$(cat $T/last.err)" "empty"
head -c 70000000 /dev/zero | tr '\0' ' ' >"$T/huge.rss"
printf '<rss><channel>' | dd of="$T/huge.rss" conv=notrunc 2>/dev/null
check_fails "oversized feed refused" $SW parse "$T/huge.rss"
check_contains "limit named" "$(cat $T/last.err)" "limit"
rm -f "$T/huge.rss"

# --- ingest: stored once ---
check "ingest feeds" $SW --db "$DB" ingest --no-update "$T/news.rss" "$T/news.atom"
check_eq "three articles stored" "$(sqlite3 "$DB" 'SELECT count(*) FROM articles')" "3"
check_eq "guid kept as ext_id" "$(sqlite3 "$DB" "SELECT ext_id FROM articles WHERE url LIKE '%harbour-wall'")" "hw-1"
check "ingest again" $SW --db "$DB" ingest --no-update "$T/news.rss" "$T/news.atom"
check_eq "no duplicates" "$(sqlite3 "$DB" 'SELECT count(*) FROM articles')" "3"
finish feed_parse
