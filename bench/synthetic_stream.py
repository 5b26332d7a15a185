#!/usr/bin/python3
"""Writes a synthetic labelled news stream as article JSONL.

Usage: synthetic_stream.py N OUT.jsonl [SEED]

Events arrive over time (about 40 alive at a time) and each lives a few days; an
article reports one live event: a few event words and names drawn from
the event's own vocabulary, mixed with common words. The stream is in
publication order and carries the gold label "event", so the same file
measures speed and quality. Written for storywire's benchmarks."""
import json, random, sys

n, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
syll = ["ka", "lo", "mi", "ter", "ra", "son", "vel", "di", "an", "or", "bel", "cus", "pra", "ni", "tos", "mer"]
def word(k): return "".join(rng.choice(syll) for _ in range(k))
common = [word(2) for _ in range(3000)]
fill = ["the", "a", "of", "in", "on", "and", "to", "said", "was", "with", "for", "after", "by"]
outlets = [f"Outlet {i}" for i in range(40)]
# the stream ends about 2026-01-01 (articles come every 1,005 s on average):
# ingest takes a date more than a day in the future as "now", which would
# give every later article of a long stream the same time
t0 = 1767225600 - n * 1005
events, next_event, t = [], 0, t0
with open(out, "w") as f:
    for i in range(n):
        t += rng.randint(10, 2000)
        while len(events) < 40 or rng.random() < 0.004:
            words = [word(3) for _ in range(25)]
            names = [word(2).capitalize() + " " + word(3).capitalize() for _ in range(4)]
            events.append((next_event, words, names, t, t + rng.randint(1, 6) * 86400))
            next_event += 1
        events = [e for e in events if e[4] > t] or events[-1:]
        ev = rng.choice(events)
        def sentence():
            parts = [rng.choice(ev[1]) if rng.random() < 0.35 else rng.choice(common) for _ in range(14)]
            parts.insert(rng.randint(0, 10), rng.choice(ev[2]))
            out_words = []
            for p in parts:
                out_words.append(p)
                if rng.random() < 0.3:
                    out_words.append(rng.choice(fill))
            s = " ".join(out_words)
            return s[0].upper() + s[1:] + "."
        text = "\n\n".join(" ".join(sentence() for _ in range(3)) for _ in range(4))
        title = " ".join(rng.choice(ev[1]) for _ in range(3)).capitalize() + " " + rng.choice(ev[2])
        f.write(json.dumps({"id": str(i), "url": f"https://synthetic.example/{i}", "title": title, "text": text,
                            "source": rng.choice(outlets), "lang": "en",
                            "published": t, "event": f"e{ev[0]}"}) + "\n")
print(f"{n} articles, {next_event} events written to {out}", file=sys.stderr)
