#!/usr/bin/env python3
"""summary_baselines.py - the classic extractive multi-document summarisers,
written plainly so that bench/summary can score them next to storywire
through the same ROUGE (`storywire eval summary --score FILE`).

Reads clusters in the `storywire eval summary` format (one JSON object a
line: "id", "docs" [{"text", ...}], "refs", optional "words") and writes,
for each system, OUTDIR/SYSTEM.jsonl with {"id", "summary": [sentences]}.
Each system takes whole sentences in its own order until the cluster's
word budget ("words", else --words) is reached; ROUGE's -l cuts the last.

Systems (all share one sentence splitter, tokenizer and stop list):
  lead      the first sentence of every article in turn, then the second
            of every article, ... (the "lead" of multi-document news).
  centroid  Radev et al. 2004: cosine of each sentence's TF-IDF vector with
            the cluster centroid (sum of the articles' TF-IDF vectors).
  lexrank   Erkan & Radev 2004: PageRank (damping 0.85) over the graph of
            sentences whose TF-IDF cosine exceeds 0.1.
  textrank  Mihalcea & Tarau 2004: weighted PageRank (0.85) with edge
            weight |common words| / (log|s1| + log|s2|).
The three ranked systems skip a sentence whose cosine with one already
chosen exceeds 0.5 (their papers' redundancy filter), and, like the
published runs, ignore sentences under 5 words. IDF comes from all
articles of the file, as storywire's does.

usage: bench/summary_baselines.py [--words N] CLUSTERS.jsonl OUTDIR
"""
import json
import math
import os
import re
import sys

STOP = set("""a about above after again against all am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from further
had has have having he her here hers herself him himself his how i if in into is it its itself just
me more most my myself no nor not now of off on once only or other our ours ourselves out over own
same she should so some such than that the their theirs them themselves then there these they this
those through to too under until up very was we were what when where which while who whom why will
with would you your yours yourself yourselves said says also one two new""".split())

SENT_END = re.compile(r'(?<=[.!?])["\u201d\u2019)]*\s+(?=["\u201c\u2018(]?[A-Z0-9])')
WORD = re.compile(r"[a-z0-9]+")
REDUNDANT = 0.5
MIN_WORDS = 5


def stem(w):
    """A light suffix stripper (plural, -ing, -ed, -ly): enough to join
    inflections for these baselines."""
    for suf, keep in (("ational", 5), ("ies", 3), ("ing", 4), ("edly", 4), ("ed", 4), ("ly", 4),
                      ("es", 4), ("s", 3)):
        if w.endswith(suf) and len(w) - len(suf) >= keep - 1 and not w.endswith("ss"):
            return w[: len(w) - len(suf)]
    return w


def terms(text):
    return [stem(w) for w in WORD.findall(text.lower()) if w not in STOP and len(w) > 1]


def split_sentences(text):
    out = []
    for para in re.split(r"\n\s*\n", text):
        para = " ".join(para.split())
        if not para:
            continue
        for s in SENT_END.split(para):
            s = s.strip()
            if s:
                out.append(s)
    return out


class Sentence:
    def __init__(self, text, doc, pos):
        self.text = text
        self.doc = doc
        self.pos = pos
        self.words = len(text.split())
        self.terms = terms(text)
        self.vec = {}


def unit(vec):
    n = math.sqrt(sum(v * v for v in vec.values()))
    return {k: v / n for k, v in vec.items()} if n > 0 else {}


def dot(a, b):
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


def tfidf(tokens, idf):
    tf = {}
    for t in tokens:
        tf[t] = tf.get(t, 0) + 1
    return unit({t: (1 + math.log(c)) * idf.get(t, 1.0) for t, c in tf.items()})


def pagerank(weights, n, damping=0.85, iters=100, tol=1e-6):
    """weights: list of dicts j -> w for each i (symmetric)."""
    out_sum = [sum(w.values()) for w in weights]
    r = [1.0 / n] * n
    for _ in range(iters):
        nr = [(1 - damping) / n] * n
        for i in range(n):
            if out_sum[i] == 0:
                share = damping * r[i] / n
                for j in range(n):
                    nr[j] += share
                continue
            for j, w in weights[i].items():
                nr[j] += damping * r[i] * w / out_sum[i]
        delta = sum(abs(a - b) for a, b in zip(nr, r))
        r = nr
        if delta < tol:
            break
    return r


def greedy(sents, order, budget, redundancy=True):
    chosen, words = [], 0
    for i in order:
        if words >= budget:
            break
        s = sents[i]
        if redundancy and any(dot(s.vec, c.vec) > REDUNDANT for c in chosen):
            continue
        chosen.append(s)
        words += s.words
    return [c.text for c in chosen]


def lead(docs_sents, budget):
    chosen, words, k = [], 0, 0
    longest = max((len(d) for d in docs_sents), default=0)
    while words < budget and k < longest:
        for d in docs_sents:
            if k < len(d) and words < budget:
                chosen.append(d[k])
                words += len(d[k].split())
        k += 1
    return chosen


def summarise(cluster, idf, default_words):
    budget = cluster.get("words") or default_words
    docs_sents = [split_sentences(d.get("text", "")) for d in cluster["docs"]]
    sents = [Sentence(t, di, si) for di, ss in enumerate(docs_sents) for si, t in enumerate(ss)
             if len(t.split()) >= MIN_WORDS]
    out = {"lead": lead(docs_sents, budget)}
    if not sents:
        return {k: out["lead"] for k in ("lead", "centroid", "lexrank", "textrank")}
    for s in sents:
        s.vec = tfidf(s.terms, idf)
    n = len(sents)

    centroid = {}
    for d in cluster["docs"]:
        for t, v in tfidf(terms(d.get("text", "")), idf).items():
            centroid[t] = centroid.get(t, 0.0) + v
    centroid = unit(centroid)
    cen = [dot(s.vec, centroid) for s in sents]
    out["centroid"] = greedy(sents, sorted(range(n), key=lambda i: -cen[i]), budget)

    lex = [dict() for _ in range(n)]
    tr = [dict() for _ in range(n)]
    sets = [set(s.terms) for s in sents]
    for i in range(n):
        for j in range(i + 1, n):
            c = dot(sents[i].vec, sents[j].vec)
            if c > 0.1:
                lex[i][j] = lex[j][i] = 1.0
            common = len(sets[i] & sets[j])
            if common:
                denom = math.log(len(sents[i].terms) + 1) + math.log(len(sents[j].terms) + 1)
                if denom > 0:
                    tr[i][j] = tr[j][i] = common / denom
    lr = pagerank(lex, n)
    out["lexrank"] = greedy(sents, sorted(range(n), key=lambda i: -lr[i]), budget)
    trr = pagerank(tr, n)
    out["textrank"] = greedy(sents, sorted(range(n), key=lambda i: -trr[i]), budget)
    return out


def main(argv):
    words = 100
    args = []
    i = 0
    while i < len(argv):
        if argv[i] == "--words" and i + 1 < len(argv):
            words = int(argv[i + 1])
            i += 2
            continue
        args.append(argv[i])
        i += 1
    if len(args) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    path, outdir = args
    clusters = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                c = json.loads(line)
            except ValueError as e:
                print("%s:%d: %s, skipped" % (path, n, e), file=sys.stderr)
                continue
            if isinstance(c, dict) and c.get("docs") and c.get("id") is not None:
                clusters.append(c)
    df, n_docs = {}, 0
    for c in clusters:
        for d in c["docs"]:
            n_docs += 1
            for t in set(terms(d.get("text", ""))):
                df[t] = df.get(t, 0) + 1
    idf = {t: math.log((n_docs + 1) / (v + 1)) + 1 for t, v in df.items()}
    os.makedirs(outdir, exist_ok=True)
    systems = ("lead", "centroid", "lexrank", "textrank")
    files = {s: open(os.path.join(outdir, s + ".jsonl"), "w", encoding="utf-8") for s in systems}
    for c in clusters:
        res = summarise(c, idf, words)
        for s in systems:
            files[s].write(json.dumps({"id": c["id"], "summary": res[s]}, ensure_ascii=False) + "\n")
    for f in files.values():
        f.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
