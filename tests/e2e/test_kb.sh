# test_kb.sh - background lines and timelines on the demo corpus's pages:
# with the demo's own knowledge base (data/demo/kb.tsv) most stories get
# background lines, each naming its source; the invented places never get
# a real place's WordNet facts (with or without that file); timeline
# entries carry a date and quote their cited article verbatim; a
# malformed --kb file is reported with file and line and the rest works.
. tests/e2e/lib.sh

DEMO=data/demo/articles.jsonl
KB=data/demo/kb.tsv

check "kb --help" $SW kb --help
check_contains "kb help has usage" "$(cat "$T/last.out")" "Usage: storywire [--kb FILE] kb"
check_fails "kb without a name" $SW kb
check "ingest demo with its knowledge base" $SW --db "$T/kb.db" --kb "$KB" ingest "$DEMO"
check "ingest demo with the built-in sources only" $SW --db "$T/plain.db" ingest "$DEMO"

# every page as JSON, one file per story
dump() { # DB OUT
    $SW --db "$1" stories | awk 'NR > 1 && $1 ~ /^20/ {print $4}' >"$T/slugs"
    : >"$2"
    while read -r slug; do
        $SW --db "$1" show --format json "$slug" >>"$2" && echo >>"$2"
    done <"$T/slugs"
}
dump "$T/kb.db" "$T/kb.jsonl"
dump "$T/plain.db" "$T/plain.jsonl"

/usr/bin/python3 - "$T/kb.jsonl" "$T/plain.jsonl" "$DEMO" >"$T/check.txt" 2>&1 <<'PY'
import json, re, sys
kb_pages = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
plain_pages = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
texts = {}
for line in open(sys.argv[3], encoding="utf-8"):
    if line.strip():
        a = json.loads(line)
        texts[a["url"]] = a["text"]
problems = []
# facts about real places that an invented "Riverside", "Union", "Capital", "Green Line" or "Green" would get
wrong = ["California", "Israel", "Wyoming", "Civil War", "federal government of the United States"]
with_bg = 0
for pages, name in ((kb_pages, "with kb.tsv"), (plain_pages, "built-in only")):
    for p in pages:
        for b in p.get("background", []):
            if not b.get("attribution") or not b.get("text") or not b.get("name"):
                problems.append(f"{name}: {p['slug']}: background line without source, text or name: {b}")
            for w in wrong:
                if w in b["text"]:
                    problems.append(f"{name}: {p['slug']}: wrong background line: {b['text']}")
        for ev in p.get("timeline", []):
            if not re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", ev["date"]):
                problems.append(f"{name}: {p['slug']}: bad date {ev['date']}")
            src = p["sources"][ev["source"]]
            if ev["text"] not in texts.get(src["url"], ""):
                problems.append(f"{name}: {p['slug']}: timeline sentence not in its cited article: {ev['text'][:80]}")
        dates = [ev["date"] for ev in p.get("timeline", [])]
        if dates != sorted(dates):
            problems.append(f"{name}: {p['slug']}: timeline not oldest first: {dates}")
for p in kb_pages:
    if p.get("background"):
        with_bg += 1
    if len(p.get("background", [])) > 5:
        problems.append(f"{p['slug']}: more than 5 background lines")
print("pages", len(kb_pages))
print("with_background", with_bg)
print("with_timeline", sum(1 for p in kb_pages if p.get("timeline")))
print("demo_kb_lines", sum(1 for p in kb_pages for b in p.get("background", []) if b["attribution"] == "the storywire demo knowledge base"))
for x in problems:
    print("PROBLEM", x)
PY
check_eq "the check ran" "$?" "0"
check_eq "no wrong or malformed background or timeline entries" "$(grep -c PROBLEM "$T/check.txt")" "0"
grep PROBLEM "$T/check.txt" | head -n 10
pages=$(awk '/^pages/ {print $2}' "$T/check.txt")
with_bg=$(awk '/^with_background/ {print $2}' "$T/check.txt")
with_tl=$(awk '/^with_timeline/ {print $2}' "$T/check.txt")
check "most demo pages have background lines ($with_bg of $pages)" test "${with_bg:-0}" -ge $(( ${pages:-99} * 2 / 3 ))
check "most demo pages have a timeline ($with_tl of $pages)" test "${with_tl:-0}" -ge $(( ${pages:-99} * 2 / 3 ))

# the page formats show them with the source named
slug=$($SW --db "$T/kb.db" stories | awk 'NR > 1 && $4 ~ /storm-delphine|tamsin/ {print $4; exit}')
check "show text" $SW --db "$T/kb.db" show "$slug"
text=$(cat "$T/last.out")
check_contains "text has a Background block" "$text" "
Background

According to the storywire demo knowledge base, Carrow is a town in the Westmere region"
check_contains "text has a Timeline" "$text" "
Timeline

"
check "show html" $SW --db "$T/kb.db" show --format html "$slug"
html=$(cat "$T/last.out")
check_contains "html background block" "$html" "<section class=\"background\""
check_contains "html names the source" "$html" "According to <span class=\"kb-source\">the storywire demo knowledge base</span>"
check_contains "html timeline" "$html" "<h2 id=\"timeline-heading\">Timeline</h2>"
check_contains "html coverage" "$html" "<h2 id=\"coverage-heading\">Coverage</h2>"
check "show md" $SW --db "$T/kb.db" show --format md "$slug"
check_contains "markdown background" "$(cat "$T/last.out")" "## Background"

# a malformed knowledge-base file: warnings name file and line, the rest loads
printf 'name\taliases\tkind\tdescription\tsource\nCarrow\t\tplace\tCarrow is a river town.\tTest KB\nbroken line\nKelby\t\tvillage\tKelby is.\tTest KB\n' >"$T/bad.tsv"
check "ingest with a malformed --kb file" $SW --db "$T/bad.db" --kb "$T/bad.tsv" ingest "$DEMO"
check_contains "bad field count reported with file:line" "$(cat "$T/last.err")" "$T/bad.tsv:3: expected 5 to 7"
check_contains "bad kind reported with file:line" "$(cat "$T/last.err")" "$T/bad.tsv:4: unknown kind 'village'"
check "show with the user's line" $SW --db "$T/bad.db" show "$slug"
check_contains "the user's entry is used" "$(cat "$T/last.out")" "According to Test KB, Carrow is a river town."
check "a missing --kb file is a warning" $SW --db "$T/missing.db" --kb "$T/no-such.tsv" ingest "$DEMO"
check_contains "missing file named" "$(cat "$T/last.err")" "no-such.tsv"

# a user file built from a (tiny, hand-written) Wikipedia dump
cat >"$T/dump.xml" <<'XML'
<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/" version="0.10" xml:lang="en">
  <page><title>Carrow</title><ns>0</ns><id>1</id><revision><text xml:space="preserve">{{Infobox settlement
| name = Carrow
}}
'''Carrow'''&lt;ref&gt;{{cite web|url=x}}&lt;/ref&gt; ({{IPA|ka-ro}}) is a [[market town|town]] on the [[River Tamsin]]. It floods.</text></revision></page>
  <page><title>Carrow-on-Tamsin</title><ns>0</ns><id>2</id><redirect title="Carrow" /><revision><text>#REDIRECT [[Carrow]]</text></revision></page>
  <page><title>Photosynthesis</title><ns>0</ns><id>3</id><revision><text xml:space="preserve">'''Photosynthesis''' is a process.</text></revision></page>
</mediawiki>
XML
check "convert a Wikipedia dump" /usr/bin/python3 scripts/kb_from_wikipedia.py "$T/dump.xml"
cp "$T/last.out" "$T/wiki.jsonl"
check_eq "one entry (the article without an infobox is left out)" "$(grep -c . "$T/wiki.jsonl")" "1"
check "kb lookup through an alias" $SW --kb "$T/wiki.jsonl" kb Carrow-on-Tamsin
check_eq "the converted line" "$(cat "$T/last.out")" \
    "According to Wikipedia, Carrow is a town on the River Tamsin. <https://en.wikipedia.org/wiki/Carrow>"
check_fails "kb lookup of an unknown name fails" $SW --kb "$T/wiki.jsonl" kb "Nowhere Special"
check_contains "and says why" "$(cat "$T/last.out")" "not in the knowledge base"

finish kb
