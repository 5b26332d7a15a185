#!/usr/bin/env python3
"""gen_warc.py - writes WARC archives of news pages for tests and benchmarks.

Every capture is a request, a response and a metadata record, as a crawler
writes them (Common Crawl's CC-NEWS layout). Two kinds of content:

  --sample        four hand-written articles on two events (for e2e tests),
                  plus a 404, an image and a page without an article
  --count N       N synthetic article pages (random but reproducible text,
                  --seed), about --page-kb KB of HTML each with navigation,
                  share buttons and comments around the article body

Compression: --compress member (one gzip member per record, the default),
stream (one gzip stream for the file) or none. Damage for tests:
--bad-length I (the I-th response record, from 0, claims 7 bytes too many),
--corrupt-member I (bytes of the I-th gzip member, from 0, overwritten),
--truncate N (the last N bytes cut off).

Writes to OUT ("-" for standard output) without holding the archive in
memory, so archives of any size can be generated.
"""
import argparse
import gzip
import random
import sys
import zlib

SAMPLE = [
    ("https://harbour-times.example/2026/03/bridge-reopens",
     "Harbour bridge reopens after six months of repairs", "Harbour Times", "2026-03-03T08:00:00Z",
     ["The harbour bridge reopened to traffic on Tuesday morning after six months of repairs to its steel cables, "
      "the city transport office said.",
      "Engineers replaced forty cables and repainted the main span. The mayor, Ana Duarte, crossed the bridge on "
      "foot with the repair crews at seven o'clock.",
      "\"The bridge is safer than it has been in thirty years,\" Duarte said. Commuters had faced detours of up to "
      "an hour while the harbour bridge was closed.",
      "The repairs cost 42 million euros, slightly below the budget approved by the city council last year."]),
    ("https://coastal-news.example/news/harbour-bridge-open-again",
     "Harbour bridge open again as cable repairs finish", "Coastal News", None,
     ["Traffic returned to the harbour bridge on Tuesday as the city finished six months of cable repairs.",
      "Mayor Ana Duarte walked across the bridge with repair crews before it reopened, and said the harbour bridge "
      "was safer than at any time in thirty years.",
      "Drivers had endured long detours since the bridge closed in September. The city said the repairs cost "
      "42 million euros, under the budget set by the council.",
      "Bus routes across the harbour return to their normal timetable from Wednesday."]),
    ("https://harbour-times.example/2026/03/council-library-vote",
     "Council votes to keep the old library open", "Harbour Times", "2026-03-04T17:30:00Z",
     ["The city council voted on Wednesday evening to keep the old library on Market Street open for at least "
      "five more years.",
      "Councillors rejected a plan to sell the library building by 31 votes to 12 after a petition signed by "
      "8,000 residents.",
      "The library will get new heating and a children's reading room, paid for from the culture budget, the "
      "council said after the vote.",
      "Librarians welcomed the decision and said visitor numbers had doubled since the petition began."]),
    ("https://coastal-news.example/news/library-saved-by-council",
     "Old library saved after council vote", "Coastal News", "2026-03-04T19:00:00Z",
     ["The old library on Market Street will stay open after the city council voted against selling the "
      "building on Wednesday.",
      "The vote, 31 to 12, followed a petition signed by 8,000 residents who asked the council to keep the "
      "library open.",
      "A children's reading room and new heating will be paid for from the culture budget, councillors said.",
      "Staff at the library said the number of visitors had doubled during the campaign."]),
]

BOILER_TOP = """<header class="site-header"><nav class="menu"><ul><li><a href="/">Home</a></li>
<li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li>
<li><a href="/contact">Contact</a></li></ul></nav></header>
<div class="cookie-banner">We use cookies to improve your experience. <a href="/privacy">Privacy policy</a></div>
"""
BOILER_BOTTOM = """<div class="share"><a href="#">Share on X</a> <a href="#">Share by email</a></div>
<aside class="related"><h3>Related</h3><ul><li><a href="/a">Weather warning for the weekend</a></li>
<li><a href="/b">Ferry timetable changes</a></li><li><a href="/c">Market day moves to Friday</a></li></ul></aside>
<footer><p>Copyright the publisher. All rights reserved.</p><a href="/about">About us</a></footer>
"""


def page_html(url, title, site, date, paras, extra=""):
    meta = '<meta property="og:site_name" content="%s">' % site
    if date:
        meta += '<meta property="article:published_time" content="%s">' % date
    body = "".join("<p>%s</p>\n" % p.replace("&", "&amp;") for p in paras)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s | %s</title>%s"
            "<link rel=\"canonical\" href=\"%s\"></head><body>%s<main><article><h1>%s</h1>\n%s</article></main>%s%s"
            "</body></html>\n" % (title, site, meta, url, BOILER_TOP, title, body, extra, BOILER_BOTTOM))


WORDS = ("harbour council bridge minister election river storm market police school hospital court vote "
         "budget train ferry festival museum library mayor strike factory energy price water road report "
         "city region government company union workers farmers village coast island airport bank weather "
         "the a of to in and on for with after before said says would could new old first last week year "
         "told reporters statement Tuesday Wednesday Monday morning evening officials residents plan").split()


def synthetic(rng, i, kb):
    topic = rng.sample(WORDS[:48], 3)
    title = "%s %s %s: story %d" % (topic[0].capitalize(), topic[1], topic[2], i)
    url = "https://outlet%d.example/news/%d-%s" % (i % 50, i, "-".join(topic))
    paras, size = [], 0
    while size < kb * 1024 * 0.6:
        n = rng.randint(25, 60)
        words = [rng.choice(WORDS) for _ in range(n)] + topic
        rng.shuffle(words)
        p = " ".join(words).capitalize() + "."
        paras.append(p)
        size += len(p) + 8
    comments = "<section class=\"comments\">%s</section>" % "".join(
        "<div class=\"comment\"><p>%s</p></div>" % " ".join(rng.choice(WORDS) for _ in range(12)) for _ in range(8))
    return url, page_html(url, title, "Outlet %d" % (i % 50), "2026-03-%02dT10:00:00Z" % (1 + i % 28), paras,
                          comments)


class Writer:
    def __init__(self, out, compress):
        self.out, self.compress, self.members, self.offset = out, compress, 0, 0
        self.stream = gzip.GzipFile(fileobj=out, mode="wb", compresslevel=1) if compress == "stream" else None
        self.damage = {}
        self.responses = 0

    def record(self, rtype, uri, date, ctype, block, bad_length=False):
        n = len(block) + (7 if bad_length else 0)
        head = "WARC/1.0\r\nWARC-Type: %s\r\n" % rtype
        if uri:
            head += "WARC-Target-URI: %s\r\n" % uri
        head += ("WARC-Date: %s\r\nWARC-Record-ID: <urn:uuid:%08d-0000-4000-8000-000000000000>\r\n"
                 "Content-Type: %s\r\nContent-Length: %d\r\n\r\n" % (date, self.members, ctype, n))
        data = head.encode() + block + b"\r\n\r\n"
        if self.compress == "member":
            data = gzip.compress(data, compresslevel=1)
            if self.members in self.damage:
                data = data[:20] + b"\xff" * 24 + data[44:]
        if self.stream:
            self.stream.write(data)
        else:
            self.out.write(data)
        self.members += 1
        self.offset += len(data)

    def capture(self, url, date, status, ctype, payload, encoding=None, chunked=False, bad_length=()):
        host = url.split("/")[2] if "://" in url else "example"
        path = "/" + url.split("/", 3)[3] if url.count("/") >= 3 else "/"
        req = "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: gen_warc\r\n\r\n" % (path, host)
        self.record("request", url, date, "application/http; msgtype=request", req.encode())
        headers = "HTTP/1.1 %d %s\r\nContent-Type: %s\r\n" % (status, "OK" if status == 200 else "Not Found", ctype)
        body = payload
        if encoding == "gzip":
            body = gzip.compress(body)
            headers += "Content-Encoding: gzip\r\n"
        if chunked:
            headers += "Transfer-Encoding: chunked\r\n"
            step, parts = 1000, []
            for k in range(0, len(body), step):
                parts.append(b"%x\r\n" % len(body[k:k + step]) + body[k:k + step] + b"\r\n")
            body = b"".join(parts) + b"0\r\n\r\n"
        else:
            headers += "Content-Length: %d\r\n" % len(body)
        self.record("response", url, date, "application/http; msgtype=response",
                    headers.encode() + b"\r\n" + body, self.responses in bad_length)
        self.responses += 1
        self.record("metadata", url, date, "application/warc-fields", b"fetchTimeMs: 212\r\n")

    def close(self):
        if self.stream:
            self.stream.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--sample", action="store_true")
    ap.add_argument("--count", type=int, default=0)
    ap.add_argument("--page-kb", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--compress", choices=["member", "stream", "none"], default="member")
    ap.add_argument("--bad-length", type=int, action="append", default=[])
    ap.add_argument("--corrupt-member", type=int, action="append", default=[])
    ap.add_argument("--truncate", type=int, default=0)
    a = ap.parse_args()
    out = sys.stdout.buffer if a.out == "-" else open(a.out, "wb")
    w = Writer(out, a.compress)
    w.damage = set(a.corrupt_member)
    w.record("warcinfo", None, "2026-03-05T00:00:00Z", "application/warc-fields",
             b"software: gen_warc.py\r\nformat: WARC File Format 1.0\r\n")
    if a.sample:
        for k, (url, title, site, date, paras) in enumerate(SAMPLE):
            html = page_html(url, title, site, date, paras).encode()
            # one page gzip-encoded, one chunked: both must decode
            w.capture(url, "2026-03-05T06:%02d:00Z" % k, 200, "text/html; charset=utf-8", html,
                      encoding="gzip" if k == 1 else None, chunked=(k == 2), bad_length=a.bad_length)
        w.capture("https://harbour-times.example/missing", "2026-03-05T07:00:00Z", 404, "text/html",
                  b"<html><head><title>Not found</title></head><body><p>Gone.</p></body></html>")
        w.capture("https://harbour-times.example/logo.png", "2026-03-05T07:01:00Z", 200, "image/png",
                  b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
        w.capture("https://harbour-times.example/", "2026-03-05T07:02:00Z", 200, "text/html",
                  b"<html><head><title>Harbour Times</title></head><body><nav><a href='/a'>A</a></nav></body></html>")
    rng = random.Random(a.seed)
    for i in range(a.count):
        url, html = synthetic(rng, i, a.page_kb)
        w.capture(url, "2026-03-%02dT12:00:00Z" % (1 + i % 28), 200, "text/html; charset=utf-8", html.encode(),
                  bad_length=a.bad_length)
    w.close()
    if a.out != "-":
        out.close()
        if a.truncate:
            with open(a.out, "r+b") as f:
                f.seek(0, 2)
                f.truncate(max(0, f.tell() - a.truncate))


if __name__ == "__main__":
    main()
