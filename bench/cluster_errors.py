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

A model with a revision pass (revise_rounds) moves articles after each
batch; the trace then also holds the merges ({"merge": ...}) and the moves
({"revise": ...}), and the moves are sorted too, by the gold label of the
first article (as placed, or as moved) of the story left and of the story
joined: into its own event's story from elsewhere, out of it, between
stories of other events, or to a story of its own (alone). Then the
final assignments are sorted as the decisions above are, each article
by the story it ends in.
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
    members = {}     # story -> [(line, gold)], in order of placing or moving in
    where = {}       # line -> story
    gold_of = {}     # line -> gold
    moves = Counter()
    order, rank = [], {}  # lines in placing order
    with open(argv[1]) as f:
        for line in f:
            r = json.loads(line)
            if "merge" in r:
                a, b = r["merge"]["from"], r["merge"]["into"]
                for ln, g in members.pop(a, []):
                    members.setdefault(b, []).append((ln, g))
                    where[ln] = b
                continue
            if "revise" in r:
                mv = r["revise"]
                ln, src, dst = mv["line"], mv["from"], mv["to"]
                g = gold_of[ln]
                left = [m for m in members.get(src, []) if m[0] != ln]
                members[src] = left
                dest = members.setdefault(dst, [])
                was_right = bool(left) and left[0][1] == g
                if not dest:
                    kind = "to a story of its own"
                elif dest[0][1] == g:
                    kind = "into its event's story" + (" (out of another's)" if left else " (was alone)")
                elif was_right:
                    kind = "out of its event's story, into another's"
                else:
                    kind = "between other events' stories"
                moves[kind] += 1
                dest.append((ln, g))
                where[ln] = dst
                continue
            gold = r["gold"]
            members.setdefault(r["story"], []).append((r["line"], gold))
            where[r["line"]] = r["story"]
            gold_of[r["line"]] = gold
            rank[r["line"]] = len(order)
            order.append(r["line"])
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
    if moves:
        print(f"\nrevision pass: {sum(moves.values())} moves")
        for kind, n in sorted(moves.items()):
            print(f"  {kind:50s} {n:5d}")
        # the final stories, each named after the gold of its first member
        # (in placing order); an event's first article is its first placed
        first_of = {}
        for ln in order:
            first_of.setdefault(gold_of[ln], ln)
        final = Counter()
        for ms in members.values():
            ordered = sorted(ms, key=lambda m: rank[m[0]])
            for k, (ln, g) in enumerate(ordered):
                first_of_event = first_of[g] == ln
                if g == ordered[0][1] and k == 0:
                    final["new, right" if first_of_event else "split"] += 1
                elif g == ordered[0][1]:
                    final["join, right"] += 1
                else:
                    final["join, wrong (first of its event)" if first_of_event else "join, wrong (later article)"] += 1
        print("after the revision pass (each article by the story it ends in):")
        for kind, n in sorted(final.items()):
            print(f"  {kind:45s} {n:5d}  {100.0 * n / total:5.1f}%")
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
