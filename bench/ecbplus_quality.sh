#!/bin/sh
# ecbplus_quality.sh - the clustering quality figures of docs/clustering.md
# on ECB+: tune on topics 1-20, score on 21-45 (through eval cluster, i.e.
# the database), and 5-fold cross-validation over topics.
# Usage: bench/ecbplus_quality.sh [STORYWIRE_BIN] [DATA_DIR]
# DATA_DIR defaults to ../shared/data; skips (exit 0) when ECB+ is absent.
SW=${1:-./storywire}
DATA=${2:-${STORYWIRE_DATA:-../shared/data}}
DOCS=$DATA/clustering/ecbplus/docs.jsonl.gz
if [ ! -f "$DOCS" ]; then
    echo "ecbplus_quality: $DOCS not found; skipped"
    exit 0
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
/usr/bin/python3 - "$DOCS" "$T" <<'PY'
import gzip, json, sys
docs, out = sys.argv[1], sys.argv[2]
with open(f"{out}/ecb-1-20.jsonl", "w") as a, open(f"{out}/ecb-21-45.jsonl", "w") as b:
    for line in gzip.open(docs, "rt"):
        (a if json.loads(line)["topic"] <= 20 else b).write(line.rstrip("\n") + "\n")
PY
echo "load: $(uptime)"
"$SW" tune cluster --label gold_cluster --test "$T/ecb-21-45.jsonl" --out "$T/ecb.model" \
    --trace "$T/trace.jsonl" "$T/ecb-1-20.jsonl"
echo "decisions on topics 21-45 (bench/cluster_errors.py on the --trace):"
/usr/bin/python3 "$(dirname "$0")/cluster_errors.py" "$T/trace.jsonl"
# ECB+ gold labels are TOPIC_ecb / TOPIC_ecbplus: a join into a story whose
# first article is of another topic shares no event with it at all
/usr/bin/python3 - "$T/trace.jsonl" <<'PY'
import json, sys
first, n = {}, 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    if "gold" not in r or "story" not in r:
        continue
    if r.get("new_story"):
        first[r["story"]] = r["gold"]
    elif r["story"] in first and first[r["story"]].split("_")[0] != r["gold"].split("_")[0]:
        n += 1
print(f"joins into a story of another topic (placing, before the merge and revision passes): {n}")
PY
echo "eval cluster on topics 21-45 with the tuned model:"
"$SW" --model "$T/ecb.model" eval cluster --label gold_cluster --id doc "$T/ecb-21-45.jsonl"
echo "5-fold cross-validation over topics:"
"$SW" tune cluster --label gold_cluster --folds 5 --group topic "$DOCS"
echo "load: $(uptime)"
