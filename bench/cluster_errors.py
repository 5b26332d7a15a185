#!/usr/bin/env python3
"""cluster_errors.py - sorts the decisions of a `storywire tune cluster
--trace FILE` run into right and wrong ones, to see where a model loses.

Usage: bench/cluster_errors.py TRACE.jsonl [--show N]

A story is named after the gold label of its first article. Each article
is then one of:
  new, right        it started a story and is the first of its gold event
  join, right       it joined a story of its own event
  split             it started a story although an earlier article of its
                    event had been placed: that article's story was among its
                    candidates, or was not (or is another event's story, the
                    earlier article having joined it)
  join, wrong       it joined a story of another event: as the first article
                    of its event (the event is then mixed from the start) or
                    later (it followed its event's earlier articles, or strayed)
--show N prints the N wrong decisions of each kind with the best candidates'
scores and the features that differ most between them.
"""
import json
import sys
from collections import Counter


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(argv) >= 2 else 2
    show = int(argv[argv.index("--show") + 1]) if "--show" in argv else 0
    seen, kinds, examples = set(), Counter(), {}
    first_gold = {}
    with open(argv[1]) as f:
        for line in f:
            r = json.loads(line)
            gold = r["gold"]
            first = gold not in seen
            seen.add(gold)
            if r["new_story"]:
                first_gold[r["story"]] = gold
                if first:
                    kind = "new, right"
                elif any(c["gold_match"] for c in r["candidates"]):
                    kind = "split (own event's story a candidate)"
                else:
                    kind = "split (no story of its event a candidate)"
            elif first_gold.get(r["story"]) == gold:
                kind = "join, right"
            else:
                kind = "join, wrong (first of its event)" if first else "join, wrong (later article)"
            kinds[kind] += 1
            if "right" not in kind:
                examples.setdefault(kind, []).append(r)
    total = sum(kinds.values())
    for kind, n in sorted(kinds.items()):
        print(f"{kind:45s} {n:5d}  {100.0 * n / total:5.1f}%")
    for kind, rows in sorted(examples.items()):
        for r in rows[:show]:
            print(f"\n{kind}: line {r['line']} (gold {r['gold']}) -> story {r['story']}")
            for c in sorted(r["candidates"], key=lambda c: -c["score"])[:3]:
                feats = " ".join(f"{k}={v:.2f}" for k, v in c["features"].items() if v)
                mark = "*" if c["gold_match"] else " "
                print(f"  {mark} story {c['story']} ({c['first_gold']}, {c['size']} articles) "
                      f"score {c['score']:.2f}: {feats}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
