#!/usr/bin/env python3
"""kb_from_wikipedia.py - builds a storywire knowledge-base file (JSONL, see
docs/knowledge-base.md) from a Wikipedia pages-articles XML dump.

    python3 scripts/kb_from_wikipedia.py enwiki-latest-pages-articles.xml.bz2 > wiki-kb.jsonl
    storywire --kb wiki-kb.jsonl update

One line per article about a person, place or organisation: those whose
first infobox names such a kind ("Infobox settlement", "Infobox officeholder",
"Infobox company", ...). The description is the lead's first sentence with
the wiki markup removed (templates, references, files, link targets, bold
and italics); aliases come from the dump's redirects to the article; the
country from the infobox's "country" field when it has one. The dump is read
as a stream (bz2, gz or plain XML), twice: redirects first (the only thing
kept in memory), then the articles, written as they come; --no-aliases reads
it once and keeps nothing.

Only the Python standard library is used. The output states its source as
"Wikipedia" with each article's URL, so pages credit and link it.
"""
import argparse
import bz2
import gzip
import json
import re
import sys
import urllib.parse
import xml.etree.ElementTree as ET

PERSON = ("person", "officeholder", "politician", "writer", "musical artist", "sportsperson",
          "football biography", "military person", "royalty", "scientist", "artist", "actor",
          "president", "prime minister", "monarch", "chess player", "tennis biography", "cricketer",
          "judge", "criminal", "journalist", "philosopher", "religious biography", "basketball biography",
          "ice hockey player", "baseball biography", "boxer", "economist", "engineer", "astronaut",
          "comedian", "model", "spy", "architect", "noble", "pope", "cardinal", "saint", "governor",
          "senator", "mayor", "ambassador", "minister", "celebrity")
PLACE = ("settlement", "country", "city", "town", "village", "province", "state", "region", "island",
         "river", "mountain", "lake", "u.s. state", "former country", "county", "district", "municipality",
         "capital", "territory", "uk place", "german location", "italian comune", "french commune",
         "indian state", "protected area", "body of water", "sea", "airport", "port", "volcano", "desert",
         "administrative division", "oblast", "raion")
ORG = ("company", "organization", "organisation", "political party", "university", "football club",
       "sports team", "government agency", "intergovernmental organization", "military unit", "newspaper",
       "broadcaster", "bank", "central bank", "legislature", "court", "militant organization", "union",
       "trade union", "school", "college", "hospital", "airline", "non-profit", "ngo", "public transit",
       "rail line", "stock exchange", "parliament", "government", "police", "armed forces", "record label",
       "publisher", "museum", "church", "religious organization", "think tank")

NS = "{http://www.mediawiki.org/xml/export-0.10/}"


def open_dump(path):
    if path == "-":
        return sys.stdin.buffer
    if path.endswith(".bz2"):
        return bz2.open(path, "rb")
    if path.endswith(".gz"):
        return gzip.open(path, "rb")
    return open(path, "rb")


def infobox_kind(text):
    m = re.search(r"\{\{\s*Infobox[ _]+([^|\n}<]+)", text, re.I)
    if not m:
        return None
    box = m.group(1).strip().lower().replace("_", " ")
    for kind, words in (("person", PERSON), ("place", PLACE), ("organisation", ORG)):
        if any(box == w or box.startswith(w + " ") or box.endswith(" " + w) for w in words):
            return kind
    return None


def infobox_field(text, name):
    m = re.search(r"\n\s*\|\s*" + re.escape(name) + r"\s*=\s*([^\n]*)", text)
    if not m:
        return None
    value = strip_markup(m.group(1)).strip(" ,;")
    return value if 0 < len(value) <= 60 and "{" not in value and "|" not in value else None


def drop_nested(text, open_s, close_s):
    """Removes every balanced open_s ... close_s span (templates, tables)."""
    out, depth, i = [], 0, 0
    while i < len(text):
        if text.startswith(open_s, i):
            depth += 1
            i += len(open_s)
        elif depth and text.startswith(close_s, i):
            depth -= 1
            i += len(close_s)
        else:
            if not depth:
                out.append(text[i])
            i += 1
    return "".join(out)


def strip_markup(text):
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"<ref[^>/]*/>", "", text)
    text = re.sub(r"<ref[^>]*>.*?</ref>", "", text, flags=re.S)
    text = drop_nested(text, "{{", "}}")
    text = drop_nested(text, "{|", "|}")
    text = re.sub(r"\[\[(?:File|Image|Category):[^\[\]]*(?:\[\[[^\]]*\]\][^\[\]]*)*\]\]", "", text, flags=re.I)
    text = re.sub(r"\[\[(?:[^|\]]*\|)?([^\]]*)\]\]", r"\1", text)
    text = re.sub(r"\[https?://[^\s\]]+\s*([^\]]*)\]", r"\1", text)
    text = re.sub(r"'{2,}", "", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = text.replace("&nbsp;", " ").replace("&ndash;", "\u2013").replace("&mdash;", "\u2014")
    text = re.sub(r"\(\s*[;,]?\s*\)", "", text)          # parentheses emptied by the removals
    text = re.sub(r"\(\s*[;,]\s*", "(", text)
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r" ([,.;:])", r"\1", text)
    return text.strip()


ABBREV = re.compile(r"(?:\b[A-Z]|\bSt|\bMr|\bMrs|\bDr|\bJr|\bSr|\bNo|\bc|\bca|\bU\.S|\bvs|\be\.g|\bi\.e)\.$")


def first_sentence(text):
    for para in text.split("\n"):
        para = para.strip()
        if not para or para[0] in "*#:;=|!{":
            continue
        for m in re.finditer(r"[.!?](?=\s+[A-Z0-9\"\u201c(]|\s*$)", para):
            s = para[: m.end()].strip()
            if ABBREV.search(s):
                continue
            return s if 20 <= len(s) <= 400 else None
        return None
    return None


def article_url(title):
    return "https://en.wikipedia.org/wiki/" + urllib.parse.quote(title.replace(" ", "_"), safe="()_,'-.:")


def pages(stream):
    title = text = redirect = None
    ns = "0"
    for event, el in ET.iterparse(stream, events=("end",)):
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "title":
            title = el.text or ""
        elif tag == "ns":
            ns = el.text or "0"
        elif tag == "redirect":
            redirect = el.get("title")
        elif tag == "text":
            text = el.text or ""
        elif tag == "page":
            if ns == "0" and title:
                yield title, redirect, text or ""
            title = text = redirect = None
            ns = "0"
            el.clear()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dump", help="pages-articles XML dump (.bz2, .gz, plain, or - for stdin)")
    ap.add_argument("--no-aliases", action="store_true",
                    help="do not collect redirects as aliases (one pass instead of two; less memory)")
    ap.add_argument("--limit", type=int, default=0, help="stop after this many entries (0: all)")
    args = ap.parse_args()

    # pass 1: redirects (the only thing held in memory)
    aliases = {}
    if not args.no_aliases:
        if args.dump == "-":
            sys.exit("kb_from_wikipedia: aliases need two passes over the dump; give a file or --no-aliases")
        with open_dump(args.dump) as stream:
            for title, redirect, _ in pages(stream):
                if redirect and len(title) <= 80:
                    aliases.setdefault(redirect, []).append(title)

    # pass 2: articles, written as they come
    written = 0
    with open_dump(args.dump) as stream:
        for title, redirect, text in pages(stream):
            if redirect:
                continue
            kind = infobox_kind(text)
            if not kind:
                continue
            lead = text.split("\n==", 1)[0]
            sentence = first_sentence(strip_markup(lead))
            if not sentence:
                continue
            name = re.sub(r" \([^)]*\)$", "", title)  # "Georgia (country)" -> "Georgia"
            entry = {"name": name, "kind": kind, "description": sentence, "source": "Wikipedia",
                     "url": article_url(title)}
            more = sorted(set(a for a in aliases.get(title, []) if a != name))[:20]
            if more:
                entry["aliases"] = more
            country = infobox_field(text, "country") if kind != "person" else None
            if country:
                entry["country"] = country
            sys.stdout.write(json.dumps(entry, ensure_ascii=False) + "\n")
            written += 1
            if args.limit and written >= args.limit:
                break
    print(f"kb_from_wikipedia: {written} entries", file=sys.stderr)


if __name__ == "__main__":
    main()
