# test_merge.sh - the clustering merge pass end to end: a story that a
# later batch's story grows into is absorbed (its articles move, the
# survivor's page is rewritten), and its slug keeps resolving: `show`
# follows it, the web page and the API answer 301 to the survivor.
# A hand-written model joins no article by score (threshold 5) and merges
# any two stories that are each other's best match (merge_threshold 0);
# the built-in model never merges (checked last).
. tests/e2e/lib.sh
PY=/usr/bin/python3
DB=$T/db

cat >"$T/x.jsonl" <<'JSON'
{"url":"https://a.example/quake-1","source":"Alpha Times","title":"Earthquake shakes Port Halden harbour district","text":"A strong earthquake shook the harbour district of Port Halden on Tuesday morning, cracking walls and sending residents into the streets.\n\nThe regional seismology office measured the tremor at magnitude 6.1 and placed its centre offshore near Kessel Point. Mayor Ines Varga said emergency crews were checking bridges and the old ferry terminal.","published":"2026-10-06T08:00:00Z"}
{"url":"https://a.example/budget","source":"Alpha Times","title":"Council approves library budget","text":"The Lindmark town council approved the library budget for next year after a long debate about opening hours.\n\nCouncillor Oskar Brandt said the reading rooms would open on Sundays from March, and the children's section would get new shelves.","published":"2026-10-06T10:00:00Z"}
JSON
# a near-copy pair (one story of two by SimHash) on the same earthquake
cat >"$T/y.jsonl" <<'JSON'
{"url":"https://b.example/halden-tremor","source":"Beta News","title":"Port Halden counts damage after magnitude 6.1 earthquake","text":"Residents of Port Halden spent Wednesday clearing rubble after the magnitude 6.1 earthquake that struck offshore near Kessel Point on Tuesday.\n\nMayor Ines Varga said the old ferry terminal would stay closed while engineers inspected it, and the seismology office recorded dozens of aftershocks overnight.","published":"2026-10-07T09:00:00Z"}
{"url":"https://c.example/halden-tremor-copy","source":"Gamma Daily","title":"Port Halden counts damage after magnitude 6.1 quake","text":"Residents of Port Halden spent Wednesday clearing rubble after the magnitude 6.1 earthquake that struck offshore near Kessel Point on Tuesday.\n\nMayor Ines Varga said the old ferry terminal would stay closed while engineers inspected it, and the seismology office recorded dozens of aftershocks overnight.","published":"2026-10-07T09:30:00Z"}
JSON
printf 'threshold = 5\nmerge_threshold = 0\n' >"$T/merge.model"

check "ingest the first story" $SW --db "$DB" --model "$T/merge.model" ingest "$T/x.jsonl"
check "list" $SW --db "$DB" stories --json
old=$($PY -c 'import json,sys
for l in open(sys.argv[1]):
    s = json.loads(l) if l.strip().startswith("{") else None
    if s and "arthquake" in s["headline"]: print(s["slug"])' "$T/last.out" 2>/dev/null)
if [ -z "$old" ]; then
    old=$($PY -c 'import json,sys
d = json.load(open(sys.argv[1])); d = d["stories"] if isinstance(d, dict) else d
print([s["slug"] for s in d if "arthquake" in s["headline"]][0])' "$T/last.out")
fi
check_contains "the earthquake has a story" "$old" "earthquake"

check "ingest the story it grows into" $SW --db "$DB" --model "$T/merge.model" ingest "$T/y.jsonl"
check_contains "the merge is reported" "$(cat "$T/last.err")" "merge pass: 1 story joined"
check "list after the merge" $SW --db "$DB" stories --json
counts=$($PY -c 'import json,sys
t = open(sys.argv[1]).read().strip()
try:
    d = json.loads(t); d = d["stories"] if isinstance(d, dict) else d
except ValueError:
    d = [json.loads(l) for l in t.splitlines()]
print(len(d), sorted(s["article_count"] for s in d))' "$T/last.out")
check_eq "two stories: the earthquake with 3 articles, the budget" "$counts" "2 [1, 3]"
check "show follows the old slug" $SW --db "$DB" show "$old"
check_contains "show says where it went" "$(cat "$T/last.err")" "was merged into"
check_contains "the survivor's page cites the absorbed article" "$(cat "$T/last.out")" "cracking walls"
new=$(sed -n "s/.*was merged into '\(.*\)'.*/\1/p" "$T/last.err")

PORT=$($PY -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
$SW --db "$DB" serve --listen "127.0.0.1:$PORT" >"$T/serve.out" 2>"$T/serve.err" &
PID=$!
i=0
while [ $i -lt 50 ] && ! curl -s --max-time 1 -o /dev/null "$BASE/healthz"; do
    sleep 0.2
    i=$((i + 1))
done
code=$(curl -s --max-time 5 -o /dev/null -D "$T/h" -w '%{http_code}' "$BASE/story/$old")
check_eq "old page address answers 301" "$code" 301
check_eq "to the survivor" "$(tr -d '\r' <"$T/h" | sed -n 's/^[Ll]ocation: *//p')" "/story/$new"
code=$(curl -s --max-time 5 -o /dev/null -D "$T/h" -w '%{http_code}' "$BASE/api/stories/$old")
check_eq "old API address answers 301" "$code" 301
check_eq "to the survivor's API address" "$(tr -d '\r' <"$T/h" | sed -n 's/^[Ll]ocation: *//p')" "/api/stories/$new"
code=$(curl -s --max-time 5 -o /dev/null -D "$T/h" -w '%{http_code}' "$BASE/story/$old.atom")
check_eq "old story feed answers 301" "$code" 301
check_eq "to the survivor's feed" "$(tr -d '\r' <"$T/h" | sed -n 's/^[Ll]ocation: *//p')" "/story/$new.atom"
code=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "$BASE/story/$new.atom")
check_eq "survivor's feed 200" "$code" 200
code=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "$BASE/story/no-such-story.atom")
check_eq "unknown story feed still 404" "$code" 404
code=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "$BASE/story/$new")
check_eq "survivor 200" "$code" 200
code=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "$BASE/story/no-such-story")
check_eq "unknown slug still 404" "$code" 404
# a survivor named in another script: the Location is percent-encoded
sqlite3 "$DB" "UPDATE stories SET slug = '地震-$new' WHERE slug = '$new'"
code=$(curl -s --max-time 5 -o /dev/null -D "$T/h" -w '%{http_code}' "$BASE/story/$old")
check_eq "old address, survivor with a UTF-8 slug: 301" "$code" 301
check_eq "its Location is percent-encoded" "$(tr -d '\r' <"$T/h" | sed -n 's/^[Ll]ocation: *//p')" \
    "/story/%E5%9C%B0%E9%9C%87-$new"
code=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "$BASE/story/%E5%9C%B0%E9%9C%87-$new")
check_eq "which answers 200" "$code" 200
kill -INT $PID 2>/dev/null
wait $PID 2>/dev/null

# the built-in model never merges
check "ingest with the built-in model" $SW --db "$T/db2" ingest "$T/x.jsonl" "$T/y.jsonl"
check_not_contains "no merge pass" "$(cat "$T/last.err")" "merge pass"
finish merge
