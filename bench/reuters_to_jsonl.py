#!/usr/bin/python3
"""Converts Reuters-21578 (SGML, Latin-1) to storywire article JSONL.

Usage: reuters_to_jsonl.py DIR OUT.jsonl
Reads DIR/reut2-*.sgm.gz; writes every document (all 21,578) as one
article a line with title, text, published (the document's DATE) and
source "Reuters". The text is the BODY; documents without one (briefs,
unprocessed ones) get the rest of their TEXT element, which may be empty. Kept out of the repo's
data: the corpus is read from ../shared/data by path only."""
import glob, gzip, html, json, re, sys
from datetime import datetime, timezone

src, out = sys.argv[1], sys.argv[2]
n = 0
with open(out, "w", encoding="utf-8") as f:
    for path in sorted(glob.glob(f"{src}/reut2-*.sgm.gz")):
        raw = gzip.open(path).read().decode("latin-1")
        for doc in re.findall(r"<REUTERS(.*?)</REUTERS>", raw, re.S):
            newid = re.search(r'NEWID="(\d+)"', doc).group(1)
            title = re.search(r"<TITLE>(.*?)</TITLE>", doc, re.S)
            body = re.search(r"<BODY>(.*?)</BODY>", doc, re.S)
            date = re.search(r"<DATE>\s*(.*?)\s*</DATE>", doc, re.S)
            if body:
                raw_text = body.group(1)
            else:
                t = re.search(r"<TEXT[^>]*>(.*?)</TEXT>", doc, re.S)
                raw_text = re.sub(r"<(TITLE|DATELINE|AUTHOR)>.*?</\1>", "", t.group(1), flags=re.S) if t else ""
                raw_text = re.sub(r"<[^>]+>", "", raw_text)
            text = html.unescape(raw_text).replace("\x03", "").strip()
            text = re.sub(r"\n(?=\s{2,}\S)", "\n\n", text)  # indented lines start paragraphs
            rec = {"id": newid, "source": "Reuters",
                   "title": html.unescape(title.group(1)).strip() if title else None,
                   "text": text}
            if date:
                try:
                    # "26-FEB-1987 15:01:01.79", "1-MAR-1987 01:30:29.50"
                    t = datetime.strptime(date.group(1).split(".")[0].strip(), "%d-%b-%Y %H:%M:%S")
                    rec["published"] = t.replace(tzinfo=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
                except ValueError:
                    pass
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
print(f"{n} articles written to {out}", file=sys.stderr)
