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

check_fails "missing file fails" "$SW" eval summary "$T/nope.jsonl"
check_fails "no file is a usage error" "$SW" eval summary

# Multi-News, when the shared data is there
MN=../shared/data/summarization/multinews200/multi_news.jsonl
EXC=../shared/data/summarization/rouge155-sample-test/data/wordnet-2.0-exc.tsv
if [ -f "$MN" ] && [ -f "$EXC" ] && command -v python3 >/dev/null 2>&1; then
    python3 bench/multinews_to_jsonl.py "$MN" >"$T/mn.jsonl"
    check "multinews200 scored" "$SW" eval summary --wordnet-exc "$EXC" "$T/mn.jsonl"
    mr1=$(sed -E 's/.*"rouge_1": \{[^}]*"f": ([0-9.]+).*/\1/' "$T/last.out")
    check "multinews200 ROUGE-1 F1 above 0.40 ($mr1)" awk "BEGIN { exit !($mr1 > 0.40) }"
else
    echo "  (multinews200 part skipped: ../shared/data not present)"
fi

finish test_eval_summary
