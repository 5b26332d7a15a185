#!/usr/bin/python3
"""Converts Reuters-21578 (SGML, Latin-1) to storywire article JSONL.

Usage: reuters_to_jsonl.py DIR OUT.jsonl
Reads DIR/reut2-*.sgm.gz; writes one article a line with title, text,
published (the document's DATE) and source "Reuters". Kept out of the repo's
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
            if not body:
                continue
            text = html.unescape(body.group(1)).replace("\x03", "").strip()
            text = re.sub(r"\n(?=\s{2,}\S)", "\n\n", text)  # indented lines start paragraphs
            rec = {"id": newid, "source": "Reuters",
                   "title": html.unescape(title.group(1)).strip() if title else None,
                   "text": text}
            if date:
                try:
                    t = datetime.strptime(date.group(1)[:20], "%d-%b-%Y %H:%M:%S")
                    rec["published"] = t.replace(tzinfo=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
                except ValueError:
                    pass
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
print(f"{n} articles written to {out}", file=sys.stderr)
