#!/bin/sh
# test_eval_summary.sh - `storywire eval summary`: writes a summary per
# cluster with the page writer's selection and scores it with ROUGE.
. "$(dirname "$0")/lib.sh"

cat >"$T/clusters.jsonl" <<'JSON'
{"id": "storm", "words": 30, "refs": ["Storm Ilse hit Port Halden on Friday. Thousands of homes lost power."], "docs": [{"title": "Storm Ilse batters Port Halden", "source": "Harbour Times", "published": "2026-10-03T08:00:00Z", "text": "Storm Ilse hit Port Halden on Friday with winds of 140 km/h, cutting power to thousands of homes.\n\nThe harbour was closed and ferries were cancelled until Saturday morning.\n\nEmergency crews worked through the night to clear fallen trees from the main roads."}, {"title": "Thousands without power after Storm Ilse", "source": "Coastal Post", "published": "2026-10-03T09:00:00Z", "text": "Thousands of homes in Port Halden lost power on Friday as Storm Ilse brought winds of up to 140 km/h.\n\nThe city council said schools would stay closed on Monday while engineers check the buildings."}]}
not json
{"id": "norefs", "docs": [{"title": "x", "text": "y"}]}
JSON

check "eval summary --help" "$SW" eval summary --help
check_contains "help names the budget option" "$(cat "$T/last.out")" "--words"

"$SW" eval summary --out "$T/sum.jsonl" "$T/clusters.jsonl" >"$T/out.json" 2>"$T/err.txt"
check_eq "bad lines skipped: exit 2" "$?" "2"
out=$(cat "$T/out.json")
check_contains "prints ROUGE-1" "$out" '"rouge_1": {"r": '
check_contains "prints ROUGE-2" "$out" '"rouge_2"'
check_contains "prints ROUGE-L" "$out" '"rouge_l"'
check_contains "prints ROUGE-SU4" "$out" '"rouge_su4"'
check_contains "one cluster scored" "$out" '"clusters": 1,'
check_contains "speed reported" "$out" '"clusters_per_sec"'
check_contains "bad line named with its number" "$(cat "$T/err.txt")" "clusters.jsonl:2:"
check_contains "cluster without refs named" "$(cat "$T/err.txt")" "clusters.jsonl:3:"
sum=$(cat "$T/sum.jsonl")
check_contains "summary written with its id" "$sum" '{"id": "storm", "summary": ["'
# the writer's lead sentence overlaps the reference: ROUGE-1 recall is high
r1=$(sed -E 's/.*"rouge_1": \{"r": ([0-9.]+).*/\1/' "$T/out.json")
check "ROUGE-1 recall above 0.5 ($r1)" awk "BEGIN { exit !($r1 > 0.5) }"

# --score: another system's summaries through the same ROUGE. The
# writer's own summaries score exactly as before; a summary equal to the
# reference scores 1; a cluster with no summary is named and skipped.
"$SW" eval summary --score "$T/sum.jsonl" "$T/clusters.jsonl" >"$T/again.json" 2>/dev/null
check_eq "writer's summaries rescored alike" \
    "$(sed -E 's/"clusters_per_sec": [0-9.]+, //; s/"idf": [a-z]+//' "$T/again.json")" \
    "$(sed -E 's/"clusters_per_sec": [0-9.]+, //; s/"idf": [a-z]+//' "$T/out.json")"
printf '%s\n' '{"id": "storm", "summary": ["Storm Ilse hit Port Halden on Friday.", "Thousands of homes lost power."]}' >"$T/perfect.jsonl"
"$SW" eval summary --score "$T/perfect.jsonl" "$T/clusters.jsonl" >"$T/perfect.json" 2>"$T/perr.txt"
check_contains "the reference itself scores 1" "$(cat "$T/perfect.json")" '"rouge_2": {"r": 1.00000, "p": 1.00000, "f": 1.00000}'
printf '%s\n' '{"id": "other", "summary": ["x"]}' >"$T/other.jsonl"
"$SW" eval summary --score "$T/other.jsonl" "$T/clusters.jsonl" >/dev/null 2>"$T/oerr.txt"
check_eq "no cluster scored: exit 1" "$?" "1"
check_contains "missing summary named" "$(cat "$T/oerr.txt")" "no summary for cluster storm"
printf 'not json\n' >"$T/bad.jsonl"
check_fails "malformed summaries file fails" "$SW" eval summary --score "$T/bad.jsonl" "$T/clusters.jsonl"
check_contains "malformed line named" "$(cat "$T/last.err")" "bad.jsonl:1:"

check_fails "missing file fails" "$SW" eval summary "$T/nope.jsonl"
check_fails "no file is a usage error" "$SW" eval summary

# Multi-News, when the shared data is there
MN=../shared/data/summarization/multinews200/multi_news.jsonl
EXC=../shared/data/summarization/rouge155-sample-test/data/wordnet-2.0-exc.tsv
if [ -f "$MN" ] && [ -f "$EXC" ] && command -v python3 >/dev/null 2>&1; then
    python3 bench/multinews_to_jsonl.py "$MN" >"$T/mn.jsonl"
    check "multinews200 scored" "$SW" eval summary --wordnet-exc "$EXC" "$T/mn.jsonl"
    mr1=$(sed -E 's/.*"rouge_1": \{[^}]*"f": ([0-9.]+).*/\1/' "$T/last.out")
    mr2=$(sed -E 's/.*"rouge_2": \{[^}]*"f": ([0-9.]+).*/\1/' "$T/last.out")
    # the goals of issue 6 (bench/summary prints the full table)
    check "multinews200 ROUGE-1 F1 at least 0.46 ($mr1)" awk "BEGIN { exit !($mr1 >= 0.46) }"
    check "multinews200 ROUGE-2 F1 at least 0.145 ($mr2)" awk "BEGIN { exit !($mr2 >= 0.145) }"
else
    echo "  (multinews200 part skipped: ../shared/data not present)"
fi

finish test_eval_summary
