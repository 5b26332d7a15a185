#!/usr/bin/python3
"""check-demo.py - validates storywire's demo corpus (data/demo/articles.jsonl).

The demo corpus is what a new user sees at `make run` and what the clustering
tests score against, so its shape is a contract: this script checks it. It is
not part of the build; run it after editing the corpus:

    /usr/bin/python3 scripts/check-demo.py [data/demo/articles.jsonl]

It prints one line per event and a summary, and exits non-zero on any error.
"""
import json
import re
import sys
from collections import defaultdict
from datetime import datetime, timezone

REQUIRED = ("url", "source", "title", "text", "published", "author", "event")
ALLOWED = set(REQUIRED) | {"image", "lang"}
URL_RE = re.compile(r"^https://([a-z0-9.-]+\.[a-z]{2,})/(\d{4})/(\d{2})/(\d{2})/[a-z0-9]+(?:-[a-z0-9]+)*$")
IMG_RE = re.compile(r"^https://img\.[a-z0-9.-]+/\S+\.(?:jpg|jpeg|png|webp)$")
TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
EVENT_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
QUOTE_RE = re.compile(r"[\"\u201c][^\"\u201c\u201d]{8,}[\"\u201d]")

MIN_ARTICLES, MIN_EVENTS = 85, 16
EVENT_MIN, EVENT_MAX = 3, 8
PARA_MIN, PARA_MAX = 5, 12
WORDS_MIN, WORDS_MAX = 250, 700
MAX_EVENT_SPAN_DAYS = 10
FIRST_DAY = datetime(2026, 10, 1, tzinfo=timezone.utc)
LAST_DAY = datetime(2026, 11, 21, tzinfo=timezone.utc)


def main(path):
    errors = []

    def err(line, msg):
        errors.append(f"{path}:{line}: {msg}")

    try:
        raw = open(path, "rb").read()
    except OSError as e:
        print(f"{path}: {e}", file=sys.stderr)
        return 2
    try:
        data = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        print(f"{path}: not UTF-8: {e}", file=sys.stderr)
        return 1
    if data and not data.endswith("\n"):
        err(data.count("\n") + 1, "file does not end with a newline")

    arts = []
    for n, line in enumerate(data.split("\n")[:-1] if data.endswith("\n") else data.split("\n"), 1):
        if not line.strip():
            err(n, "empty line")
            continue
        try:
            a = json.loads(line)
        except json.JSONDecodeError as e:
            err(n, f"invalid JSON: {e}")
            continue
        if not isinstance(a, dict):
            err(n, "line is not a JSON object")
            continue
        a["_line"] = n
        arts.append(a)

    urls, domains = {}, {}
    last_time = None
    by_event = defaultdict(list)
    curly_sources, straight_sources = set(), set()
    images = 0
    for a in arts:
        n = a["_line"]
        missing = [k for k in REQUIRED if not isinstance(a.get(k), str) or not a.get(k).strip()]
        if missing:
            err(n, f"missing or empty keys: {', '.join(missing)}")
            continue
        extra = set(a) - ALLOWED - {"_line"}
        if extra:
            err(n, f"unexpected keys: {', '.join(sorted(extra))}")
        if "lang" in a and a["lang"] != "en":
            err(n, f"lang is {a['lang']!r}, the corpus is English")

        # url: unique, https://<domain>/<yyyy>/<mm>/<dd>/<slug>, date = published date
        m = URL_RE.match(a["url"])
        if not m:
            err(n, f"url not of the form https://<domain>/<yyyy>/<mm>/<dd>/<slug>: {a['url']}")
        if a["url"] in urls:
            err(n, f"duplicate url (first on line {urls[a['url']]}): {a['url']}")
        urls.setdefault(a["url"], n)

        # published: RFC 3339 UTC, in range, lines sorted
        t = None
        if not TIME_RE.match(a["published"]):
            err(n, f"published not RFC 3339 with Z: {a['published']}")
        else:
            try:
                t = datetime.strptime(a["published"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
            except ValueError as e:
                err(n, f"published not a valid time: {e}")
        if t:
            if not FIRST_DAY <= t < LAST_DAY:
                err(n, f"published {a['published']} outside Oct 1 - Nov 20 2026")
            if last_time and t < last_time:
                err(n, "lines not ordered by published time")
            last_time = t
            if m and (m.group(2), m.group(3), m.group(4)) != (f"{t.year:04d}", f"{t.month:02d}", f"{t.day:02d}"):
                err(n, "url date differs from published date")

        # one domain per outlet
        if m:
            dom = m.group(1)
            if domains.setdefault(a["source"], dom) != dom:
                err(n, f"source {a['source']!r} uses domains {domains[a['source']]} and {dom}")

        if "image" in a:
            images += 1
            if not isinstance(a["image"], str) or not IMG_RE.match(a["image"]):
                err(n, f"image not an https://img.<domain>/...jpg URL: {a.get('image')}")

        if not EVENT_RE.match(a["event"]):
            err(n, f"event label not a short slug: {a['event']!r}")

        # text: plain paragraphs, counts in range, quotes present
        text = a["text"]
        if "<" in text and re.search(r"</?[a-zA-Z][^>]*>", text):
            err(n, "text contains HTML tags")
        paras = text.split("\n\n")
        if any(not p.strip() or p != p.strip() or "\n" in p for p in paras):
            err(n, "paragraphs must be non-empty, trimmed, separated by exactly one blank line")
        if not PARA_MIN <= len(paras) <= PARA_MAX:
            err(n, f"{len(paras)} paragraphs, want {PARA_MIN}-{PARA_MAX}")
        words = len(text.split())
        if not WORDS_MIN <= words <= WORDS_MAX:
            err(n, f"{words} words, want {WORDS_MIN}-{WORDS_MAX}")
        if not QUOTE_RE.search(text):
            err(n, "no direct quote in text")
        if "\u201c" in text:
            curly_sources.add(a["source"])
        if re.search(r'"[^"]{8,}"', text):
            straight_sources.add(a["source"])
        a["_time"], a["_words"] = t, words
        by_event[a["event"]].append(a)

    if len(arts) < MIN_ARTICLES:
        err(0, f"{len(arts)} articles, want at least {MIN_ARTICLES}")
    if len(by_event) < MIN_EVENTS:
        err(0, f"{len(by_event)} events, want at least {MIN_EVENTS}")

    print(f"{'event':<30} {'n':>2}  {'first':<16}  {'span':>6}  outlets")
    for ev, items in sorted(by_event.items(), key=lambda kv: min(a["_time"] or FIRST_DAY for a in kv[1])):
        srcs = [a["source"] for a in items]
        first = items[0]["_line"]
        if not EVENT_MIN <= len(items) <= EVENT_MAX:
            err(first, f"event {ev}: {len(items)} articles, want {EVENT_MIN}-{EVENT_MAX}")
        dup = sorted({s for s in srcs if srcs.count(s) > 1})
        if dup:
            err(first, f"event {ev}: outlet(s) used twice: {', '.join(dup)}")
        times = [a["_time"] for a in items if a["_time"]]
        span = (max(times) - min(times)).total_seconds() / 86400 if times else 0
        if span > MAX_EVENT_SPAN_DAYS:
            err(first, f"event {ev}: spans {span:.1f} days, want at most {MAX_EVENT_SPAN_DAYS}")
        print(f"{ev:<30} {len(items):>2}  {min(times).strftime('%Y-%m-%d %H:%M') if times else '?':<16}  "
              f"{span:5.1f}d  {len(set(srcs))} distinct")

    words = sorted(a["_words"] for a in arts if "_words" in a)
    print(f"\n{len(arts)} articles, {len(by_event)} events, {len(domains)} outlets, "
          f"{images} with image")
    if words:
        print(f"words per article: min {words[0]}, median {words[len(words) // 2]}, max {words[-1]}")
    print(f"outlets with curly quotes: {len(curly_sources)}, with straight quotes: {len(straight_sources)}")
    for e in errors:
        print(e, file=sys.stderr)
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "data/demo/articles.jsonl"))
