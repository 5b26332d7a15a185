# test_tune.sh - `tune cluster` learns a model file that `--model` reads,
# and scores the same with the in-memory clustering as `eval cluster`
# does through the database.
. tests/e2e/lib.sh
DEMO=data/demo/articles.jsonl

check "tune --help" $SW tune cluster --help
check_contains "tune help has usage" "$(cat $T/last.out)" "Usage: storywire tune cluster"
check "tune on the demo" $SW tune cluster --test "$DEMO" --out "$T/demo.model" "$DEMO"
out=$(cat "$T/last.out")
check_contains "prints the model" "$out" "model: w_body"
check_contains "prints the training scores" "$out" "train: 90 articles, 18 gold stories"
check_contains "prints the test scores" "$out" "test: 90 articles"
for key in w_body w_title w_entity w_time w_body_max w_title_max w_entity_max w_body_top3 w_rare \
    w_year_agree w_year_conflict w_person_agree w_person_conflict w_number_agree w_number_conflict \
    w_date_agree w_date_conflict w_date_near w_lead w_lead_body w_year_oneside w_date_oneside \
    bias threshold merge_threshold; do
    check_contains "model file has $key" "$(cat "$T/demo.model")" "$key = "
done
check "eval with the tuned model" $SW --model "$T/demo.model" eval cluster --id url "$DEMO"
cp "$T/last.out" "$T/tuned_eval.json"
f1=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bcubed_f1"])' "$T/last.out")
check_eq "tuned model separates the demo events (BCubed F1 >= 0.9)" \
    "$(/usr/bin/python3 -c 'import sys; print(float(sys.argv[1]) >= 0.9)' "$f1")" "True"
# the in-memory test score equals what eval measures through the database
tune_f1=$(sed -n 's/^test: .*F1 \([0-9.]*\); pairwise.*/\1/p' <<EOF2
$out
EOF2
)
check_eq "tune's test score equals eval's" "$(printf '%.3f' "$tune_f1")" "$(printf '%.3f' "$f1")"

# --trace: one JSON line per test article, with its candidates' features
# and the decision; the trace's decisions are the scored ones
check "tune with --trace" $SW tune cluster --test "$DEMO" --trace "$T/trace.jsonl" "$DEMO"
check_eq "one trace line per article" "$(wc -l <"$T/trace.jsonl" | tr -d ' ')" "90"
check_eq "trace lines are JSON with the decision and features" "$(/usr/bin/python3 - "$T/trace.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
ok = rows[0]["new_story"] and rows[0]["candidates"] == [] and rows[0]["best_score"] is None
stories = set()
for r in rows:
    cands = r["candidates"]
    ok = ok and (r["new_story"] == (r["story"] not in stories))
    if cands and not r["new_story"] and not r["near_copy"]:
        best = max(cands, key=lambda c: c["score"])
        ok = ok and best["story"] == r["story"] and abs(best["score"] - r["best_score"]) < 1e-3
    ok = ok and all(set(c["features"]) >= {"body", "entity", "year_conflict"} for c in cands)
    stories.add(r["story"])
print(ok and len(stories) > 1)
PY
)" "True"
check_fails "--trace to an unwritable path" $SW tune cluster --trace /nonexistent/dir/t.jsonl "$DEMO"

# cross-validation over groups of articles
check "tune with 3 folds over outlets" $SW tune cluster --folds 3 --group source "$DEMO"
check_contains "three folds reported" "$(cat $T/last.out)" "fold 3/3:"
check_contains "cross-validation mean" "$(cat $T/last.out)" "cross-validation: mean held-out BCubed F1"
check_fails "--folds needs --group" $SW tune cluster --folds 3 "$DEMO"

# bad input: a line without the label is skipped with its line number
{ head -n 3 "$DEMO"; echo '{"title":"no label here","text":"x"}'; } >"$T/nolabel.jsonl"
$SW tune cluster "$T/nolabel.jsonl" >"$T/out" 2>"$T/err"
check_eq "skipped lines give exit status 2" "$?" "2"
check_contains "the line is named" "$(cat $T/err)" "nolabel.jsonl:4: no gold label"
check_fails "missing file" $SW tune cluster "$T/nope.jsonl"
check_fails "no file" $SW tune cluster
# a model that merges whatever is each other's best match: eval runs the
# merge pass through the database; stories can only become fewer
clusters=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["clusters"])' "$T/tuned_eval.json")
sed 's/^merge_threshold = .*/merge_threshold = -100/' "$T/demo.model" >"$T/merging.model"
check "eval with a merging model" $SW --model "$T/merging.model" eval cluster --id url "$DEMO"
merged=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["clusters"])' "$T/last.out")
check_eq "the merge pass joined stories" "$([ "$merged" -lt "$clusters" ] && echo yes)" "yes"
# a model file written before the date features (no w_date_* keys) loads,
# their weights 0: the same decisions as the file with them set to 0
grep -v '^w_date_' "$T/demo.model" >"$T/old.model"
sed 's/^\(w_date_[a-z]*\) = .*/\1 = 0/' "$T/demo.model" >"$T/zero.model"
check "eval with a model file without the date keys" $SW --model "$T/old.model" eval cluster --id url \
    --out "$T/old.tsv" "$DEMO"
check "eval with the date weights 0" $SW --model "$T/zero.model" eval cluster --id url --out "$T/zero.tsv" "$DEMO"
check_eq "a model without the date keys weighs dates 0" "$(cmp -s "$T/old.tsv" "$T/zero.tsv" && echo same)" "same"
printf 'threshold = nan\n' >"$T/bad.model"
check_fails "a bad base model is refused" $SW --model "$T/bad.model" tune cluster "$DEMO"
# --loss listwise and --bags: other fits of the weights; each gives a model
# that separates the demo events, --bags the same model run after run
check "tune with the listwise loss" $SW tune cluster --loss listwise --test "$DEMO" --out "$T/lw.model" "$DEMO"
lw_f1=$(sed -n 's/^test: .*F1 \([0-9.]*\); pairwise.*/\1/p' "$T/last.out")
check_eq "the listwise model separates the demo events (F1 >= 0.9)" \
    "$(/usr/bin/python3 -c 'import sys; print(float(sys.argv[1]) >= 0.9)' "$lw_f1")" "True"
check_eq "the listwise model differs from the logistic one" \
    "$(cmp -s "$T/lw.model" "$T/demo.model" && echo same || echo differs)" "differs"
check "tune with 5 bags" $SW tune cluster --bags 5 --test "$DEMO" --out "$T/bag1.model" "$DEMO"
bag_f1=$(sed -n 's/^test: .*F1 \([0-9.]*\); pairwise.*/\1/p' "$T/last.out")
check_eq "the bagged model separates the demo events (F1 >= 0.9)" \
    "$(/usr/bin/python3 -c 'import sys; print(float(sys.argv[1]) >= 0.9)' "$bag_f1")" "True"
check "tune with 5 bags again" $SW tune cluster --bags 5 --out "$T/bag2.model" "$DEMO"
check_eq "bagging is repeatable" "$(grep -v '^#' "$T/bag1.model" | md5sum)" "$(grep -v '^#' "$T/bag2.model" | md5sum)"
check_fails "an unknown --loss" $SW tune cluster --loss hinge "$DEMO"
check_fails "a negative --bags" $SW tune cluster --bags -1 "$DEMO"
finish tune
