#!/usr/bin/python3
"""score.py - scores extractor outputs the way the Scrapinghub article
extraction benchmark's evaluate.py does (re-implemented from its README and
the published description, not copied): tokens are regex \\w+ matches; each
text becomes the multiset of its 4-token shingles (a text shorter than 4
tokens is one shorter shingle); per page tp/fp/fn are the multiset
intersection and differences, normalised by tp+fp+fn; precision is the mean
over pages with tp+fp > 0 and recall the mean over pages with tp+fn > 0
(a page with fp == fn == 0 scores 1, one with nothing right 0); F1 is
2PR/(P+R) of those means.

    score.py GROUND_TRUTH.json OUTPUT.json [--ids FILE] [--per-page]

--ids limits the pages to the ids listed in FILE (one a line), for the
tuning/held-out halves. Prints "f1 P precision R recall N pages".
"""
import json
import re
import sys
from collections import Counter

TOKEN = re.compile(r'\w+', re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)


def shingles(text, n=4):
    toks = TOKEN.findall(text or '')
    out = []
    for i in range(0, max(1, len(toks) - n + 1)):
        sh = tuple(toks[i:i + n])
        if sh:
            out.append(sh)
    return Counter(out)


def tp_fp_fn(true, pred):
    t, p = shingles(true), shingles(pred)
    tp = fp = fn = 0.0
    for k in set(t) | set(p):
        a, b = t.get(k, 0), p.get(k, 0)
        tp += min(a, b)
        fp += max(0, b - a)
        fn += max(0, a - b)
    s = tp + fp + fn
    if s > 0:
        tp, fp, fn = tp / s, fp / s, fn / s
    return tp, fp, fn


def prec(tp, fp, fn):
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def rec(tp, fp, fn):
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def load(path):
    with open(path, encoding='utf8') as f:
        d = json.load(f)
    if isinstance(d, dict) and 'output' in d and isinstance(d['output'], dict):
        d = d['output']
    return d


def score(truth, pred, ids):
    rows = []
    for k in ids:
        body = (pred.get(k) or {}).get('articleBody', '') or ''
        rows.append((k, tp_fp_fn(truth[k].get('articleBody', ''), body)))
    ps = [prec(*r) for _, r in rows if r[0] + r[1] > 0]
    rs = [rec(*r) for _, r in rows if r[0] + r[2] > 0]
    p = sum(ps) / len(ps) if ps else 0.0
    r = sum(rs) / len(rs) if rs else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f, p, r, rows


def main():
    args = sys.argv[1:]
    per_page = '--per-page' in args
    args = [a for a in args if a != '--per-page']
    ids_file = None
    if '--ids' in args:
        i = args.index('--ids')
        ids_file = args[i + 1]
        del args[i:i + 2]
    truth, pred = load(args[0]), load(args[1])
    ids = sorted(truth)
    if ids_file:
        with open(ids_file) as f:
            wanted = {line.strip() for line in f if line.strip()}
        ids = [k for k in ids if k in wanted]
    f, p, r, rows = score(truth, pred, ids)
    if per_page:
        for k, (tp, fp, fn) in sorted(rows, key=lambda x: x[1][0]):
            print(f'{k[:12]} tp={tp:.3f} P={prec(tp, fp, fn):.3f} R={rec(tp, fp, fn):.3f}')
    print(f'f1 {f:.3f} P {p:.3f} R {r:.3f} N {len(ids)}')


if __name__ == '__main__':
    main()
