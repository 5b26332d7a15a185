# test_extract.sh - `storywire extract` end to end: text and JSON output,
# metadata fields, --url resolving links, gzip pages, several pages as
# JSON lines, and bad files named on stderr while the others go on.
. tests/e2e/lib.sh

cat >"$T/page.html" <<'HTML'
<!DOCTYPE html>
<html lang="en"><head><meta charset="windows-1252">
<title>Harbour reopens | Coast Courier</title>
<meta property="og:site_name" content="Coast Courier">
<meta property="og:image" content="/img/harbour.jpg">
<meta name="description" content="Boats are back.">
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Harbour reopens after storm",
 "datePublished":"2026-03-04T10:20:00Z","author":{"@type":"Person","name":"Lena Frost"}}</script>
</head><body>
<nav><a href="/">Home</a> <a href="/sport">Sport</a></nav>
<article><h1>Harbour reopens after storm</h1>
<p>The harbour reopened on Tuesday, three weeks after the storm broke the outer wall, and the first boats sailed at dawn.</p>
<p>Repairs cost four million euros, the port authority said, and were finished ahead of the fishing season.</p>
<div class="share-tools"><a href="#">Share on Facebook</a> <a href="#">Share on X</a></div>
</article>
<footer>Copyright Coast Courier</footer>
</body></html>
HTML

check "extract --help" $SW extract --help
check_contains "help has usage" "$(cat $T/last.out)" "Usage: storywire extract"
check "extract as text" $SW extract "$T/page.html"
out=$(cat "$T/last.out")
check_contains "title" "$out" "Title: Harbour reopens after storm"
check_contains "author" "$out" "Author: Lena Frost"
check_contains "published" "$out" "Published: 2026-03-04T10:20:00Z"
check_contains "body" "$out" "The harbour reopened on Tuesday"
check_contains "second paragraph after a blank line" "$out" "first boats sailed at dawn.

Repairs cost four million euros"
case "$out" in *"Share on Facebook"*|*"Sport"*|*"Copyright"*) fail "boilerplate left out" "$out" ;; *) pass ;; esac

check "extract as JSON with --url" $SW extract --format json --url https://courier.example/news/1 "$T/page.html"
json=$(cat "$T/last.out")
field() { /usr/bin/python3 -c 'import json,sys; v=json.loads(sys.stdin.read())[sys.argv[1]]; print("null" if v is None else v)' "$1"; }
check_eq "json file" "$(printf '%s' "$json" | field file)" "$T/page.html"
check_eq "json image resolved against --url" "$(printf '%s' "$json" | field image)" "https://courier.example/img/harbour.jpg"
check_eq "json url falls back to --url" "$(printf '%s' "$json" | field url)" "https://courier.example/news/1"
check_eq "json lang" "$(printf '%s' "$json" | field lang)" "en"
check_eq "json site_name" "$(printf '%s' "$json" | field site_name)" "Coast Courier"
check_eq "json description" "$(printf '%s' "$json" | field description)" "Boats are back."
check_eq "json published" "$(printf '%s' "$json" | field published)" "2026-03-04T10:20:00Z"

# gzip, several pages, and bad files in between
gzip -c "$T/page.html" >"$T/page2.html.gz"
head -c 3000 /dev/urandom >"$T/binary.html"
: >"$T/empty.html"
$SW extract --format json "$T/page.html" "$T/binary.html" "$T/missing.html" "$T/empty.html" "$T/page2.html.gz" \
    >"$T/multi.out" 2>"$T/multi.err"
check_eq "bad files give exit status 2" "$?" "2"
check_eq "one JSON line per good page" "$(grep -c . "$T/multi.out")" "2"
check_contains "gzip page read" "$(cat "$T/multi.out")" "\"file\":\"$T/page2.html.gz\""
err=$(cat "$T/multi.err")
check_contains "binary file named" "$err" "binary.html: not HTML"
check_contains "missing file named" "$err" "missing.html: cannot open"
check_contains "empty file named" "$err" "empty.html: page is empty"
check_fails "only bad files" $SW extract "$T/missing.html"
check_fails "no file" $SW extract
check_fails "bad format" $SW extract --format xml "$T/page.html"
finish extract
