#!/usr/bin/python3
"""search_corpus.py - a synthetic news corpus and query set for bench/search.

    search_corpus.py N ARTICLES.jsonl QUERIES.txt

Writes N articles as storywire article JSONL and a few hundred queries,
one a line as "KIND<TAB>QUERY" (KIND: word1, word2, word3, phrase, prefix).
Deterministic (fixed seed), so runs compare.

The text is random but shaped like news: a vocabulary of made-up words with
Zipf-distributed frequencies under a head of real English function words,
articles about one of many topics whose words recur in them, sentences of
10-30 words in paragraphs, titles of 6-12 words; 12 outlets, four language
labels and publication times spread over one year. Queries use words that
occur in the corpus (mid-frequency ones, as people search for distinctive
words), phrases copied from article text, and 3-5 letter prefixes.
"""
import json
import random
import sys
import time

SEED = 20261129
FUNCTION_WORDS = (
    "the of and to in a is that for on was with said as by at it from his be has "
    "have are an were which its not but they had after this who their been also "
    "more will one would about up out than into over two new"
).split()
FUNCTION_SET = set(FUNCTION_WORDS)
ONSETS = "b c d f g h j k l m n p r s t v w z br cr dr fr gr pr tr st sl sp ch sh th pl cl bl".split()
VOWELS = "a e i o u ai ea ou io ia".split()
CODAS = ["", "", "n", "r", "s", "l", "t", "m", "nd", "rt", "st", "x", "ck"]
OUTLETS = [
    "Meridian Wire", "Harbour Times", "Pacific Observer", "Northern Ledger", "Capital Courier",
    "Daily Lantern", "Valley Gazette", "Coastal Record", "Metro Sentinel", "Union Herald",
    "Evening Compass", "Highland Post",
]
LANGS = ["en"] * 7 + ["de", "fr", "es"]
VOCAB_SIZE = 30000
TOPICS = 800
TOPIC_WORDS = 25
YEAR_START = 1735689600  # 2025-01-01T00:00:00Z


def make_vocab(rng):
    seen = set(FUNCTION_WORDS)
    words = list(FUNCTION_WORDS)
    while len(words) < VOCAB_SIZE:
        n = rng.choice((1, 2, 2, 3, 3, 4))
        w = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) for _ in range(n)) + rng.choice(CODAS)
        if w not in seen and len(w) > 2:
            seen.add(w)
            words.append(w)
    return words


def main():
    n_articles, out_path, queries_path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    rng = random.Random(SEED)
    vocab = make_vocab(rng)
    weights = [1.0 / (r + 1) ** 1.05 for r in range(len(vocab))]
    cum = []
    total = 0.0
    for w in weights:
        total += w
        cum.append(total)
    # topic words come from the middle of the vocabulary: names and subjects
    topics = [rng.sample(vocab[300:12000], TOPIC_WORDS) for _ in range(TOPICS)]
    phrases = []

    def sentence(topic, lo, hi):
        n = rng.randint(lo, hi)
        words = rng.choices(vocab, cum_weights=cum, k=n)
        for i in range(n):
            if rng.random() < 0.18:
                words[i] = rng.choice(topic)
        return words

    with open(out_path, "w", encoding="utf-8") as f:
        for i in range(n_articles):
            topic = topics[rng.randrange(TOPICS)]
            title = sentence(topic, 6, 12)
            title[0] = title[0].capitalize()
            paragraphs = []
            for _ in range(rng.randint(3, 6)):
                sents = []
                for _ in range(rng.randint(1, 3)):
                    s = sentence(topic, 10, 30)
                    if len(phrases) < 5000 and rng.random() < 0.01:
                        k = rng.randrange(len(s) - 2)
                        words = s[k:k + rng.choice((2, 2, 3))]
                        # people quote names and terms, not runs of "of the"
                        if any(w not in FUNCTION_SET for w in words):
                            phrases.append(" ".join(words))
                    sents.append(s[0].capitalize() + " " + " ".join(s[1:]) + ".")
                paragraphs.append(" ".join(sents))
            t = YEAR_START + rng.randrange(365 * 86400)
            outlet = OUTLETS[rng.randrange(len(OUTLETS))]
            row = {
                "url": "https://%s.example/%d" % (outlet.replace(" ", "").lower(), i),
                "source": outlet,
                "title": " ".join(title),
                "text": "\n\n".join(paragraphs),
                "published": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t)),
                "lang": rng.choice(LANGS),
            }
            f.write(json.dumps(row) + "\n")

    mid = vocab[100:5000]
    with open(queries_path, "w", encoding="utf-8") as f:
        for kind, count in (("word1", 100), ("word2", 100), ("word3", 60), ("phrase", 80), ("prefix", 80)):
            for _ in range(count):
                if kind.startswith("word"):
                    q = " ".join(rng.sample(mid, int(kind[-1])))
                elif kind == "phrase":
                    q = '"%s"' % rng.choice(phrases)
                else:
                    q = rng.choice(vocab[50:3000])[: rng.randint(3, 5)] + "*"
                f.write("%s\t%s\n" % (kind, q))


if __name__ == "__main__":
    main()
