# test_cli.sh - the command line end to end: help, ingest of the demo
# corpus, the stories found, a page's layout, idempotent re-ingest, and
# bad input (malformed lines, invalid UTF-8, empty, unknown and missing
# files, an unopenable database) reported with file and line while the
# rest goes in and nothing stored is lost.
. tests/e2e/lib.sh

DB=$T/news.db
DEMO=data/demo/articles.jsonl

# --- help ---
check "top-level help" $SW --help
check_contains "help lists commands" "$(cat $T/last.out)" "ingest"
for c in ingest parse update stories show serve demo eval; do
    check "$c --help" $SW $c --help
    check_contains "$c help has usage" "$(cat $T/last.out)" "Usage: storywire"
done
check_fails "unknown command" $SW frobnicate
check_contains "unknown command named" "$(cat $T/last.err)" "frobnicate"
check_fails "unknown option" $SW --db "$DB" stories --bogus
check_contains "unknown option named" "$(cat $T/last.err)" "--bogus"

# --- ingest the demo ---
check "ingest demo" $SW --db "$DB" ingest "$DEMO"
n_lines=$(grep -c . "$DEMO")
n_db=$(sqlite3 "$DB" "SELECT count(*) FROM articles")
check_eq "every demo article stored" "$n_db" "$n_lines"
pending=$(sqlite3 "$DB" "SELECT count(*) FROM articles WHERE status = 0")
check_eq "nothing left pending" "$pending" "0"

# --- the stories found match the demo's events ---
/usr/bin/python3 - "$DB" "$DEMO" >"$T/eval.txt" 2>&1 <<'PY'
import json, sqlite3, sys, collections
db, demo = sys.argv[1], sys.argv[2]
gold = {}
for line in open(demo, encoding="utf-8"):
    if line.strip():
        a = json.loads(line)
        gold[a["url"]] = a["event"]
con = sqlite3.connect(db)
story = {url: sid for url, sid in con.execute("SELECT url, story_id FROM articles")}
events = collections.defaultdict(set)
stories = collections.defaultdict(set)
for url, ev in gold.items():
    events[ev].add(story.get(url))
    stories[story.get(url)].add(ev)
split = [e for e, s in events.items() if len(s) != 1]
mixed = [s for s, e in stories.items() if len(e) != 1]
# BCubed F1 over articles
p = r = 0.0
for url, ev in gold.items():
    same_story = [u for u in gold if story.get(u) == story.get(url)]
    same_event = [u for u in gold if gold[u] == ev]
    both = [u for u in same_story if gold[u] == ev]
    p += len(both) / len(same_story)
    r += len(both) / len(same_event)
n = len(gold)
p, r = p / n, r / n
f = 2 * p * r / (p + r)
print(f"events={len(events)} stories={len(stories)} split={split} mixed={len(mixed)} bcubed_p={p:.3f} bcubed_r={r:.3f} bcubed_f1={f:.3f}")
sys.exit(0 if f >= 0.95 and not mixed else 1)
PY
rc=$?
cat "$T/eval.txt"
check_eq "demo events found as stories (BCubed F1 >= 0.95, no mixed story)" "$rc" "0"

# --- stories listing ---
check "stories" $SW --db "$DB" stories --limit 5
check "stories --json" $SW --db "$DB" stories --json --limit 100
cp "$T/last.out" "$T/stories.json"
/usr/bin/python3 - "$T/stories.json" <<'PY' >"$T/json-check.txt" 2>&1
import json, sys, re
rows = json.load(open(sys.argv[1]))
assert isinstance(rows, list) and len(rows) >= 15, len(rows)
for r in rows:
    for k in ("slug", "headline", "article_count", "source_count", "updated"):
        assert k in r, k
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+){1,8}", r["slug"]), r["slug"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", r["updated"]), r["updated"]
slugs = [r["slug"] for r in rows]
assert len(set(slugs)) == len(slugs), "slugs not unique"
print("ok", len(rows))
PY
check_eq "stories --json fields" "$?" "0"
cat "$T/json-check.txt"
slug=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["slug"])' "$T/stories.json")

# --- a page in the example's layout ---
check "show text" $SW --db "$DB" show "$slug"
cp "$T/last.out" "$T/page.txt"
headline=$(sed -n 1p "$T/page.txt")
check_eq "line 2 is blank" "$(sed -n 2p "$T/page.txt")" ""
check_contains "line 3 is the summary with a citation" "$(sed -n 3p "$T/page.txt")" "["
check_eq "line 4 is blank" "$(sed -n 4p "$T/page.txt")" ""
check_eq "line 5 is the slug" "$(sed -n 5p "$T/page.txt")" "$slug"
check_contains "related heading" "$(cat "$T/page.txt")" "You might also like"
check_contains "sources listed" "$(cat "$T/page.txt")" "[1] "
check "show md" $SW --db "$DB" show "$slug" --format md
check_contains "markdown headline" "$(head -n 1 "$T/last.out")" "# $headline"
check "show html" $SW --db "$DB" show "$slug" --format html
check_contains "html document" "$(cat "$T/last.out")" "<!DOCTYPE html>"
check "show json" $SW --db "$DB" show "$slug" --format json
cp "$T/last.out" "$T/page.json"
/usr/bin/python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); assert p["slug"]==sys.argv[2] and p["sections"] and p["sources"]' "$T/page.json" "$slug"
check_eq "show json parses" "$?" "0"
check_fails "show unknown slug" $SW --db "$DB" show no-such-story
check_contains "unknown slug named" "$(cat $T/last.err)" "no-such-story"
check_fails "show bad format" $SW --db "$DB" show "$slug" --format pdf

# --- every sentence of every page is cited and comes from its source ---
/usr/bin/python3 - "$DB" <<'PY' >"$T/cite.txt" 2>&1
import json, sqlite3, sys
con = sqlite3.connect(sys.argv[1])
pages = con.execute("SELECT json FROM pages p WHERE version = (SELECT max(version) FROM pages q WHERE q.story_id = p.story_id)").fetchall()
total = bad = 0
for (js,) in pages:
    page = json.loads(js)
    sents = list(page["summary"])
    for sec in page["sections"]:
        for para in sec["paragraphs"]:
            sents.extend(para)
    sents.extend(page["quotes"])
    for s in sents:
        total += 1
        src = page["sources"][s["source"]]
        (text,) = con.execute("SELECT text FROM articles WHERE id = ?", (src["article_id"],)).fetchone()
        if s["text"] not in text:
            bad += 1
            print("not in its source:", s["text"][:80])
print(f"{len(pages)} pages, {total} sentences and quotes, {bad} not found in their cited article")
sys.exit(1 if bad or not total else 0)
PY
check_eq "sentences verbatim in cited articles" "$?" "0"
cat "$T/cite.txt"

# --- re-ingest adds nothing ---
before=$(sqlite3 "$DB" "SELECT count(*) || '/' || (SELECT count(*) FROM stories) || '/' || (SELECT count(*) FROM pages) FROM articles")
check "re-ingest demo" $SW --db "$DB" ingest "$DEMO"
after=$(sqlite3 "$DB" "SELECT count(*) || '/' || (SELECT count(*) FROM stories) || '/' || (SELECT count(*) FROM pages) FROM articles")
check_eq "re-ingest adds nothing" "$after" "$before"

# --- stories grow: a later ingest rewrites a page as a new version ---
DB2=$T/grow.db
/usr/bin/python3 - "$DEMO" "$T/part1.jsonl" "$T/part2.jsonl" <<'PY'
import json, sys
lines = [l for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
with open(sys.argv[2], "w") as a, open(sys.argv[3], "w") as b:
    for l in lines:
        (a if json.loads(l)["published"] < "2026-10-25" else b).write(l)
PY
check "ingest first half" $SW --db "$DB2" ingest "$T/part1.jsonl"
check "ingest second half" $SW --db "$DB2" ingest "$T/part2.jsonl"
grown=$(sqlite3 "$DB2" "SELECT slug FROM stories WHERE page_version = 2 LIMIT 1")
check_contains "a story that spans the split has version 2" "$grown" "-"
n_events=$(/usr/bin/python3 -c 'import json,sys; print(len({json.loads(l)["event"] for l in open(sys.argv[1]) if l.strip()}))' "$DEMO")
check_eq "as many stories as events, in two steps" "$(sqlite3 "$DB2" 'SELECT count(*) FROM stories')" "$n_events"
check "show the latest version" $SW --db "$DB2" show "$grown" --format json
check_contains "change noted" "$(cat $T/last.out)" '"change_note":"'
check_contains "change counts the new articles" "$(cat $T/last.out)" " new article"
check "show version 1" $SW --db "$DB2" show "$grown" --version 1 --format json
check_contains "version 1 kept" "$(cat $T/last.out)" '"version":1'
check_fails "show a version that does not exist" $SW --db "$DB2" show "$grown" --version 9
check_eq "no page left out of date" "$(sqlite3 "$DB2" 'SELECT count(*) FROM stories WHERE page_stale = 1')" "0"

# --- many stories proposing the same slug all get pages ---
/usr/bin/python3 - "$T/same-title.jsonl" <<'PY'
import json, sys
topics = ["harbour dredging", "library opening hours", "tram timetable", "school meals",
          "bridge repainting", "park lighting", "market licences", "river cleanup",
          "museum roof", "cycle lanes", "water meters", "street names"]
with open(sys.argv[1], "w") as f:
    for i, t in enumerate(topics):
        f.write(json.dumps({"url": f"https://council.example/{i}", "source": "Council Notes",
            "title": "Council meeting notes",
            "published": f"2025-{i + 1:02d}-05T10:00:00Z",
            "text": f"The council discussed {t} on Tuesday. Members agreed to review the {t} plan next month."}) + "\n")
PY
DB3=$T/slugs.db
check "ingest twelve stories with one title" $SW --db "$DB3" ingest "$T/same-title.jsonl"
check_eq "twelve stories" "$(sqlite3 "$DB3" 'SELECT count(*) FROM stories')" "12"
check_eq "twelve pages, distinct slugs" "$(sqlite3 "$DB3" 'SELECT count(DISTINCT slug) FROM stories WHERE page_version > 0')" "12"

# --- gzip is read transparently ---
gzip -c "$DEMO" >"$T/demo.jsonl.gz"
check "parse gz" $SW parse "$T/demo.jsonl.gz"
check_eq "parse gz prints every article" "$(grep -c . "$T/last.out")" "$n_lines"

# --- text page ---
check "parse text page" $SW parse --source "Test Desk" tests/fixtures/textpage.txt
check_contains "text page title" "$(cat $T/last.out)" "Port Halden Reopens Harbour"
check "ingest text page" $SW --db "$DB" ingest --source "Test Desk" tests/fixtures/textpage.txt

# --- bad input ---
{
    printf '%s\n' '{"url":"https://bad.example/1","title":"Good one","text":"A fine first article about ferries.","source":"Bad Input Test"}'
    printf '%s\n' '{"title": "broken'
    printf '{"url":"https://bad.example/2","title":"Caf\351 bad bytes","text":"x"}\n'
    printf '\n'
    printf '%s\n' '{"url":"https://bad.example/3","title":"Good two","text":"A second fine article about ferries.","source":"Bad Input Test"}'
} >"$T/bad.jsonl"
stored_before=$(sqlite3 "$DB" "SELECT count(*) FROM articles")
$SW --db "$DB" ingest "$T/bad.jsonl" >"$T/out" 2>"$T/err"
rc=$?
check_eq "skipped lines give exit status 2" "$rc" "2"
check_contains "malformed line named" "$(cat $T/err)" "bad.jsonl:2:"
check_contains "invalid UTF-8 line named" "$(cat $T/err)" "bad.jsonl:3:"
check_contains "invalid UTF-8 said" "$(cat $T/err)" "invalid UTF-8"
stored_after=$(sqlite3 "$DB" "SELECT count(*) FROM articles")
check_eq "good lines of a bad file stored" "$stored_after" "$((stored_before + 2))"
: >"$T/empty.jsonl"
check_fails "empty file" $SW --db "$DB" ingest "$T/empty.jsonl"
check_contains "empty file named" "$(cat $T/last.err)" "empty.jsonl: empty file"
head -c 3000 /dev/urandom >"$T/random.bin"
check_fails "binary file" $SW --db "$DB" ingest "$T/random.bin"
check_contains "binary file named" "$(cat $T/last.err)" "random.bin"
check_fails "missing file" $SW --db "$DB" ingest "$T/nope.jsonl"
check_contains "missing file named" "$(cat $T/last.err)" "nope.jsonl: cannot open"
$SW --db "$DB" ingest "$T/nope.jsonl" "$T/bad.jsonl" >"$T/out" 2>"$T/err"
check_eq "a missing file among good ones fails the run" "$?" "1"
check_fails "unopenable database" $SW --db "$T/no/such/dir/x.db" ingest "$DEMO"
check_contains "database path named" "$(cat $T/last.err)" "$T/no/such/dir/x.db"
mkdir -p "$T/dir.db"
check_fails "database that is a directory" $SW --db "$T/dir.db" stories
echo "this is not a database, just text" >"$T/text.db"
check_fails "database that is not a database" $SW --db "$T/text.db" stories
check_contains "not a database said" "$(cat $T/last.err)" "text.db"
final=$(sqlite3 "$DB" "SELECT count(*) FROM articles")
check_eq "nothing stored was lost" "$final" "$stored_after"

finish cli
