# test_eval.sh - `eval cluster` end to end: the scores of the demo corpus
# (whose articles carry their event), the --out assignment file, bad lines
# reported with their line number while the rest is scored, the throw-away
# database removed, and - when ../shared/data is present - ECB+ figures.
. tests/e2e/lib.sh

DEMO=data/demo/articles.jsonl
ECB=../shared/data/clustering/ecbplus/docs.jsonl.gz

if ! $SW eval cluster --help >/dev/null 2>&1; then
    echo "skip: this storywire has no 'eval cluster' command yet"
    finish test_eval
    exit $?
fi

check "eval cluster --help" $SW eval cluster --help
check_contains "help has usage" "$(cat $T/last.out)" "Usage: storywire"
check_fails "no input file" $SW eval cluster
check_fails "unknown option" $SW eval cluster --bogus "$DEMO"

# scores one JSON object on stdout; the named fields must all be there
json_fields() { # FILE -> prints "ok" or what is missing
    /usr/bin/python3 - "$1" <<'PY'
import json, sys
o = json.load(open(sys.argv[1]))
want = ["docs", "gold_clusters", "clusters", "bcubed_p", "bcubed_r", "bcubed_f1", "pairwise_p",
        "pairwise_r", "pairwise_f1", "ari", "nmi", "docs_per_sec", "secs", "cpu_secs"]
missing = [k for k in want if not isinstance(o.get(k), (int, float))]
print("ok" if not missing else "missing: " + " ".join(missing))
PY
}
field() { # FILE KEY
    /usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}

# --- the demo: every event one story ---
mkdir -p "$T/tmp"
check "eval demo" env TMPDIR="$T/tmp" $SW eval cluster --id url --out "$T/demo.tsv" "$DEMO"
cp "$T/last.out" "$T/demo.json"
echo "demo: $(cat "$T/demo.json")"
check_eq "demo output is one JSON object with every field" "$(json_fields "$T/demo.json")" "ok"
check_eq "demo docs" "$(field "$T/demo.json" docs)" "$(grep -c . "$DEMO")"
f1=$(field "$T/demo.json" bcubed_f1)
check_eq "demo BCubed F1 >= 0.95 (got $f1)" "$(/usr/bin/python3 -c "print($f1 >= 0.95)")" "True"
check_eq "--out writes one line per article" "$(wc -l <"$T/demo.tsv" | tr -d ' ')" "90"
first_url=$(head -n 1 "$DEMO" | /usr/bin/python3 -c 'import json, sys; print(json.loads(sys.stdin.readline())["url"])')
check_contains "--out lines are ID<TAB>STORY" "$(head -n 1 "$T/demo.tsv")" "$first_url	"
check_eq "throw-away database removed" "$(ls -A "$T/tmp" | wc -l | tr -d ' ')" "0"

# --- bad lines: reported with their line number, skipped, exit 2 ---
{
    head -n 2 "$DEMO"
    echo '{"url": "https://x.example/1", "title": "broken'
    sed -n 3p "$DEMO" | /usr/bin/python3 -c 'import json, sys; a = json.loads(sys.stdin.readline()); del a["event"]; print(json.dumps(a))'
    tail -n +4 "$DEMO"
} >"$T/bad.jsonl"
env TMPDIR="$T/tmp" $SW eval cluster --id url "$T/bad.jsonl" >"$T/bad.out" 2>"$T/bad.err"
check_eq "skipped lines give exit status 2" "$?" "2"
check_contains "malformed line reported with its number" "$(cat "$T/bad.err")" "bad.jsonl:3:"
check_contains "line without the label reported" "$(cat "$T/bad.err")" "bad.jsonl:4:"
check_eq "the rest is scored" "$(json_fields "$T/bad.out")" "ok"
check_eq "scored docs exclude the bad lines" "$(field "$T/bad.out" docs)" "$(($(grep -c . "$DEMO") - 1))"
check_eq "throw-away database removed after skips" "$(ls -A "$T/tmp" | wc -l | tr -d ' ')" "0"

# --- a label given as a number, and a missing file ---
printf '%s\n' '{"id": 1, "ev": 7, "title": "Parliament passes the budget", "text": "Parliament passed the budget on Tuesday."}' \
    '{"id": 2, "ev": 8, "title": "Storm closes the port", "text": "A storm closed the port of Halden on Monday."}' >"$T/num.jsonl"
check "numeric ids and labels" $SW eval cluster --label ev "$T/num.jsonl"
check_eq "numeric labels: two docs" "$(field "$T/last.out" docs)" "2"
check_fails "missing file" $SW eval cluster "$T/nope.jsonl"

# --- ECB+ (figures only; the goal is tracked in docs/clustering.md) ---
if [ -f "$ECB" ]; then
    check "eval ECB+" $SW eval cluster --label gold_cluster --id doc "$ECB"
    echo "ECB+ all topics: $(cat "$T/last.out")"
    check_eq "ECB+ output has every field" "$(json_fields "$T/last.out")" "ok"
else
    echo "skip: $ECB not found, no ECB+ figures"
fi

finish test_eval
