#!/usr/bin/env python3
"""multinews_to_jsonl.py - converts the Multi-News subset in
../shared/data/summarization/multinews200 (LongBench's multi_news.jsonl:
"context" = "Passage 1:\n<article>\nPassage 2:\n...", "answers" = [reference])
into the cluster JSONL `storywire eval summary` reads:

  {"id": ..., "docs": [{"title": "", "text": ..., "source": "passage N"}], "refs": [...], "words": N}

Multi-News' "NEWLINE_CHAR" paragraph markers become blank lines. "words" is
the reference's length in words (the Multi-News convention: summaries as
long as the reference) unless --words N fixes one budget for all.

usage: bench/multinews_to_jsonl.py [--words N] [IN] > clusters.jsonl
"""
import json
import re
import sys

DEFAULT_IN = "../shared/data/summarization/multinews200/multi_news.jsonl"


def passages(context):
    parts = re.split(r"(?:^|\n)Passage \d+:\n", context)
    for p in parts:
        p = p.replace("NEWLINE_CHAR", "\n\n")
        p = re.sub(r"\n{3,}", "\n\n", p).strip()
        if p:
            yield p


def main(argv):
    words = None
    args = []
    i = 0
    while i < len(argv):
        if argv[i] == "--words" and i + 1 < len(argv):
            words = int(argv[i + 1])
            i += 2
            continue
        args.append(argv[i])
        i += 1
    path = args[0] if args else DEFAULT_IN
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            ex = json.loads(line)
            refs = [a.strip().lstrip("\u2013").strip() for a in ex.get("answers", []) if a.strip()]
            docs = [{"title": "", "text": p, "source": "passage %d" % (k + 1)}
                    for k, p in enumerate(passages(ex.get("context", "")))]
            if not docs or not refs:
                print("%s:%d: no passages or no reference, skipped" % (path, n), file=sys.stderr)
                continue
            out = {"id": ex.get("_id", str(n)), "docs": docs, "refs": refs,
                   "words": words if words else len(refs[0].split())}
            sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
