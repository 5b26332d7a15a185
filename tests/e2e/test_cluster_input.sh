# test_cluster_input.sh - issue 5's bad input through ingest and
# clustering: articles with no title, no text, neither, no date, a date
# far in the future or at the Unix epoch, a 10 MB body, Cyrillic and
# Chinese text, and thirty identical copies. Each is placed sensibly or
# rejected with a reason naming its line; nothing crashes; no story
# swallows unrelated articles.
. tests/e2e/lib.sh
PY=/usr/bin/python3
DB=$T/db

$PY - "$T/bad.jsonl" <<'PYEOF'
import json, sys
base = ("Firefighters battled a large fire at the Norrvik paper mill on Monday night, and the plant "
        "manager Lena Holm said nobody was hurt. The fire started in a storage hall and spread to the "
        "roof before crews from three towns brought it under control by dawn.")
docs = [
    {"url": "https://a.example/notitle", "source": "A", "text": base, "published": "2026-11-02T08:00:00Z"},
    {"url": "https://m.example/moose", "source": "M", "published": "2026-11-04T08:00:00Z",
     "text": "A white moose was filmed crossing the road near Tarnby on Sunday, the third sighting this "
             "year. Wildlife officer Per Lund asked drivers to slow down on the forest road."},
    {"url": "https://a.example/notext", "source": "A", "title": "Norrvik paper mill fire brought under control",
     "published": "2026-11-02T09:00:00Z"},
    {"url": "https://a.example/nothing", "source": "A", "published": "2026-11-02T09:00:00Z"},
    {"url": "https://b.example/nodate", "source": "B", "title": "Paper mill fire in Norrvik", "text": base},
    {"url": "https://c.example/future", "source": "C", "title": "Fire at Norrvik mill",
     "text": base + " Crews stayed on site.", "published": "2999-01-01T00:00:00Z"},
    {"url": "https://d.example/epoch", "source": "D", "title": "Mill fire in Norrvik",
     "text": base + " The cause is unknown.", "published": "1970-01-01T00:00:00Z"},
    {"url": "https://e.example/big", "source": "E", "title": "Council debates harbour budget",
     "text": "The council met again to discuss the harbour budget and parking rules for the summer season. " * 110000,
     "published": "2026-11-02T10:00:00Z"},
    {"url": "https://f.example/ru", "source": "F", "title": "Пожар на бумажной фабрике в Норрвике",
     "text": "Пожарные всю ночь тушили пожар на бумажной фабрике в Норрвике. Директор завода Лена Хольм "
             "сообщила, что никто не пострадал.", "published": "2026-11-02T11:00:00Z"},
    {"url": "https://g.example/zh", "source": "G", "title": "诺尔维克造纸厂发生火灾",
     "text": "消防员周一晚上在诺尔维克造纸厂扑灭了一场大火。工厂经理霍尔姆表示，这场大火没有造成人员伤亡。",
     "published": "2026-11-02T11:00:00Z"},
    {"url": "https://h.example/zh2", "source": "H", "title": "诺尔维克造纸厂大火已被扑灭",
     "text": "诺尔维克造纸厂周一晚上发生大火，消防员连夜扑救。工厂经理霍尔姆说，大火没有造成人员伤亡。",
     "published": "2026-11-02T12:00:00Z"},
]
for i in range(30):
    docs.append({"url": f"https://copy{i}.example/storm", "source": f"Copy {i}",
                 "title": "Storm closes mountain pass",
                 "text": "A winter storm closed the Hallberg mountain pass on Tuesday, stranding dozens of trucks. "
                         "Road crews expect to reopen it on Thursday once the snow stops falling and avalanche "
                         "checks are done.", "published": f"2026-11-03T{i % 24:02d}:{i:02d}:00Z"})
with open(sys.argv[1], "w") as f:
    for d in docs:
        f.write(json.dumps(d, ensure_ascii=False) + "\n")
PYEOF

$SW --db "$DB" ingest "$T/bad.jsonl" >"$T/ingest.out" 2>"$T/ingest.err"
check_eq "ingest reports the skipped line (exit 2)" "$?" 2
err=$(cat "$T/ingest.err")
check_contains "the line without title or text is named" "$err" "bad.jsonl:4"
check_contains "with its reason" "$err" 'neither "title" nor "text"'
check_contains "the rest is read" "$err" "40 new"
check_contains "the copies are near-copies" "$err" "near-copies"

check "list the stories" $SW --db "$DB" stories --json
$PY - "$T/last.out" >"$T/stories.txt" <<'PYEOF'
import json, sys
for s in json.load(open(sys.argv[1])):
    print(s["article_count"], s["first_published"], s["slug"], s["headline"], "|", s["summary"], sep="\t")
PYEOF
stories=$(cat "$T/stories.txt")
n=$(wc -l <"$T/stories.txt")
check "between 5 and 9 stories (none swallows the rest)" test "$n" -ge 5 -a "$n" -le 9
check_contains "thirty copies: one story of 30 articles" "$stories" "30	2026-11-03T00:00:00Z	storm-mountain-pass"
storm=$(grep -c "storm" "$T/stories.txt")
check_eq "the storm is in one story only" "$storm" 1
check_not_contains "no story mixes the storm with the mill fire" "$(grep -i storm "$T/stories.txt")" "Norrvik"
check_contains "a 10 MB body is placed in a story of its own" "$stories" "1	2026-11-02T10:00:00Z	council-harbour-budget"
check_contains "an article with no title gets its lead sentence as headline" "$(cut -f4 "$T/stories.txt")" "A white moose was filmed crossing the road"
check_contains "and an address made from it" "$(grep 'white moose' "$T/stories.txt" | cut -f3)" "moose"
check_contains "Cyrillic: a transliterated address" "$stories" "pozhar-bumazhnoy-fabrike-norrvike"
check_contains "Chinese: two reports of one fire are one story" "$(grep '诺尔维克造纸厂' "$T/stories.txt" | cut -f1)" "2"
check_eq "Chinese: in one story, not two" "$(grep -c '诺尔维克造纸厂' "$T/stories.txt")" 1
check_contains "a headline without a body joins the story its words report" "$(grep 'Norrvik paper mill fire brought under control' "$T/stories.txt" | cut -f1)" "4"
check_contains "Chinese: its page has a summary" "$(grep '诺尔维克造纸厂' "$T/stories.txt" | cut -f6)" "诺尔维克造纸厂"
# dates: the far-future one is clamped to when it was read, the 1970 one
# counts as undated (also when it was read); neither is dated 2999 or 1970
check_not_contains "no story dated in 2999" "$stories" "2999-"
check_not_contains "no story dated in 1970" "$stories" "1970-"
check "every story page can be shown" sh -c "cut -f3 '$T/stories.txt' | while read -r s; do $SW --db '$DB' show \"\$s\" >/dev/null || exit 1; done"

# a second run adds nothing and loses nothing
check_fails "ingest again (line 3 still skipped)" $SW --db "$DB" ingest "$T/bad.jsonl"
check_contains "nothing new the second time" "$(cat "$T/last.err")" "0 new, 40 already stored"
check "list again" $SW --db "$DB" stories --json
check_eq "the same stories" "$($PY -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$T/last.out")" "$n"
finish cluster_input
