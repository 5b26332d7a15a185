#!/usr/bin/python3
"""feedserver.py - the misbehaving web that tests/e2e/test_fetch.sh polls.

Standard library only. Binds 127.0.0.1 on a free port, writes the port to
--port-file (or stdout), and exits by itself after --lifetime seconds so a
test that dies never leaves it behind. Every fixture is written here.

Routes (all GET):
  /feed/news.xml      RSS 2.0 with ETag and Last-Modified; 304 when the
                      request's If-None-Match / If-Modified-Since match.
                      /_control/add?feed=news&n=K publishes K more items.
  /feed/atom.xml      Atom 1.0, ETag only.
  /feed/lm.xml        RSS with Last-Modified only (304 on If-Modified-Since)
  /feed/short.xml     RSS whose items have one-line descriptions and link to
                      /articles/N.html (allowed) and /private/N.html (robots)
  /feed/ttl.xml       RSS with <ttl>180</ttl> and Cache-Control: max-age=7200
  /redirect/301, /redirect/302, /redirect/308  -> /feed/moved301.xml etc.
  /redirect/301b      -> /feed/moved301.xml as well
  /redirect/loop      -> /redirect/loop2 -> /redirect/loop ... (endless)
  /status/429         429 with Retry-After: 3600
  /status/503         503 with Retry-After: 120
  /status/404         404
  /flaky              503 for the first 2 requests, then a feed
  /slow               waits 30 s before answering
  /truncated          promises more bytes than it sends, then hangs up
  /bomb               gzip that inflates to 64 MiB of spaces
  /gzip.xml           a gzip-encoded valid feed
  /wrongtype          a valid feed served as application/octet-stream
  /invalid.xml        broken XML
  /error.html         an HTML error page with status 200
  /page.html          an HTML page with <link rel="alternate"> to news.xml
  /empty              0 bytes
  /huge               a 100 MiB body, streamed
  /robots.txt         Disallow: /private/; asked as host "localhost" it also
                      has a Crawl-delay of 1 s (and an otherbot group with
                      100 s, which must not apply) and Cache-Control:
                      max-age=600
  /feed/crawl.xml     RSS with STATE["crawl"] short items (3 at first; more
                      with /_control/add?feed=crawl&n=K) linking to
                      /articles/cN.html on the host asked for
  /articles/N.html, /private/N.html   article pages
  /_log               the requests seen so far, as JSON lines
"""
import argparse
import gzip
import io
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs

LOCK = threading.Lock()
LOG = []
STATE = {"news": 3, "flaky": 0, "crawl": 3}
NEWS_MODIFIED = {"news": 1795953600}  # Last-Modified of the current version


def http_date(t):
    return time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(t))


def rss(title, items, extra=""):
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>',
           "<title>%s</title><link>http://news.test/</link>%s" % (title, extra)]
    for guid, t, link, desc, pub in items:
        out.append("<item><guid>%s</guid><title>%s</title><link>%s</link>"
                   "<description>%s</description><pubDate>%s</pubDate></item>"
                   % (guid, t, link, desc, http_date(pub)))
    out.append("</channel></rss>\n")
    return "".join(out).encode()


BODY = ("The harbour authority said on Tuesday that the northern pier would stay "
        "closed for repairs until the spring, after storm damage was found in the "
        "supporting piles. Ferry services will use the southern terminal meanwhile, "
        "and the authority expects delays of up to twenty minutes at peak times. ")


def news_items(n, base):
    return [("%s-item-%d" % (base, i),
             "Harbour story number %d" % i,
             "http://news.test/%s/%d" % (base, i),
             "Story %d. %s" % (i, BODY * 2),
             1795953600 - 3600 * (n - i)) for i in range(1, n + 1)]


def atom():
    entries = []
    for i in range(1, 3):
        entries.append(
            "<entry><id>urn:atom:%d</id><title>Atom entry %d</title>"
            '<link href="http://atom.test/e/%d"/><updated>2026-11-2%dT10:00:00Z</updated>'
            "<content type=\"html\">&lt;p&gt;Entry %d. %s&lt;/p&gt;</content></entry>"
            % (i, i, i, i, i, BODY))
    return ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            "<title>Atom Test</title><id>urn:atom</id><updated>2026-11-22T10:00:00Z</updated>"
            + "".join(entries) + "</feed>\n").encode()


def article_page(path):
    return ("<!DOCTYPE html><html lang=\"en\"><head><title>Full story %s</title></head><body>"
            "<nav><a href=\"/\">Home</a></nav><article><h1>Full story %s</h1>"
            "<p>%s</p><p>%s</p><p>%s</p></article><footer>(c) test</footer></body></html>"
            % (path, path, BODY, BODY, BODY)).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "feedserver/1"

    def log_message(self, fmt, *args):  # quiet
        pass

    def send(self, status, body=b"", ctype="application/rss+xml; charset=utf-8", headers=None):
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def conditional(self, etag, modified, body, ctype="application/rss+xml; charset=utf-8", extra=None):
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        headers = {"ETag": etag}
        if modified:
            headers["Last-Modified"] = http_date(modified)
        headers.update(extra or {})
        if inm is not None:
            if inm == etag:
                return self.send(304, b"", None, headers)
        elif ims is not None and modified and ims == http_date(modified):
            return self.send(304, b"", None, headers)
        self.send(200, body, ctype, headers)

    def do_GET(self):
        url = urlparse(self.path)
        path, q = url.path, parse_qs(url.query)
        with LOCK:
            LOG.append({"path": self.path, "ua": self.headers.get("User-Agent", ""),
                        "inm": self.headers.get("If-None-Match"),
                        "ims": self.headers.get("If-Modified-Since"),
                        "ae": self.headers.get("Accept-Encoding"), "t": time.time()})
        if path == "/_log":
            with LOCK:
                body = "".join(json.dumps(e) + "\n" for e in LOG).encode()
            return self.send(200, body, "application/x-ndjson")
        if path == "/_control/add":
            feed = q.get("feed", ["news"])[0]
            with LOCK:
                STATE[feed] = STATE.get(feed, 0) + int(q.get("n", ["1"])[0])
                NEWS_MODIFIED[feed] = NEWS_MODIFIED.get(feed, 1795953600) + 60
            return self.send(200, b"ok\n", "text/plain")
        if path == "/feed/news.xml":
            with LOCK:
                n, mod = STATE["news"], NEWS_MODIFIED["news"]
            return self.conditional('"news-%d"' % n, mod, rss("News Test", news_items(n, "news")))
        if path in ("/feed/moved301.xml", "/feed/moved302.xml", "/feed/moved308.xml"):
            base = path[len("/feed/"):-len(".xml")]
            return self.conditional('"%s"' % base, None, rss("Moved Test " + base, news_items(2, base)))
        if path == "/feed/lm.xml":
            # Last-Modified only, no ETag
            body = rss("LM Test", news_items(2, "lm"))
            if self.headers.get("If-Modified-Since") == http_date(1795950000):
                return self.send(304, b"", None, {"Last-Modified": http_date(1795950000)})
            return self.send(200, body, "application/rss+xml", {"Last-Modified": http_date(1795950000)})
        if path == "/feed/atom.xml":
            return self.conditional('"atom-1"', None, atom(), "application/atom+xml")
        if path == "/feed/ttl.xml":
            return self.conditional('"ttl"', None, rss("TTL Test", news_items(1, "ttl"), "<ttl>180</ttl>"),
                                    extra={"Cache-Control": "max-age=7200"})
        if path == "/feed/short.xml":
            host = self.headers.get("Host", "127.0.0.1")
            items = [("short-1", "Pier closes for repairs", "http://%s/articles/1.html" % host, "Pier shut.",
                      1795953600),
                     ("short-2", "Secret pier plans", "http://%s/private/2.html" % host, "Plans.", 1795953700)]
            return self.conditional('"short"', None, rss("Short Test", items))
        if path == "/feed/crawl.xml":
            host = self.headers.get("Host", "127.0.0.1")
            with LOCK:
                n = STATE["crawl"]
            items = [("crawl-%d" % k, "Crawl story %d" % k, "http://%s/articles/c%d.html" % (host, k), "Short.",
                      1795953600 + k) for k in range(1, n + 1)]
            return self.send(200, rss("Crawl Test", items))
        if path.startswith("/redirect/"):
            kind = path[len("/redirect/"):]
            if kind in ("301", "302", "308"):
                return self.send(int(kind), b"", "text/plain", {"Location": "/feed/moved%s.xml" % kind})
            if kind == "301b":  # a second subscription moving to the same feed
                return self.send(301, b"", "text/plain", {"Location": "/feed/moved301.xml"})
            if kind == "loop":
                return self.send(302, b"", "text/plain", {"Location": "/redirect/loop2"})
            if kind == "loop2":
                return self.send(301, b"", "text/plain", {"Location": "/redirect/loop"})
        if path == "/status/429":
            return self.send(429, b"slow down\n", "text/plain", {"Retry-After": "3600"})
        if path == "/status/503":
            return self.send(503, b"busy\n", "text/plain", {"Retry-After": "120"})
        if path == "/status/404":
            return self.send(404, b"<html><body>Not here</body></html>", "text/html")
        if path == "/flaky":
            with LOCK:
                STATE["flaky"] += 1
                k = STATE["flaky"]
            if k <= 2:
                return self.send(503, b"try later\n", "text/plain")
            return self.conditional('"flaky"', None, rss("Flaky Test", news_items(2, "flaky")))
        if path == "/slow":
            time.sleep(30)
            return self.send(200, rss("Slow", news_items(1, "slow")))
        if path == "/truncated":
            body = rss("Truncated", news_items(3, "trunc"))
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body) + 5000))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        if path == "/bomb":
            return self.send(200, BOMB, "application/rss+xml", {"Content-Encoding": "gzip"})
        if path == "/gzip.xml":
            return self.send(200, gzip.compress(rss("Gzip Test", news_items(2, "gz"))), "application/rss+xml",
                             {"Content-Encoding": "gzip"})
        if path == "/wrongtype":
            return self.send(200, rss("Wrong Type", news_items(2, "wrong")), "application/octet-stream")
        if path == "/invalid.xml":
            return self.send(200, b'<?xml version="1.0"?>\n<<rss version=2.0>>\x01\x02</></channel',
                             "application/rss+xml")
        if path == "/error.html":
            return self.send(200, b"<!DOCTYPE html><html><head><title>Error</title></head>"
                                  b"<body><h1>Internal error</h1><p>Please try again.</p></body></html>",
                             "text/html; charset=utf-8")
        if path == "/page.html":
            return self.send(200, b'<!DOCTYPE html><html><head><title>News Test site</title>'
                                  b'<link rel="alternate" type="application/rss+xml" title="News" '
                                  b'href="/feed/news.xml"></head><body><p>Welcome</p></body></html>',
                             "text/html; charset=utf-8")
        if path == "/empty":
            return self.send(200, b"", "application/rss+xml")
        if path == "/huge":
            size = 100 << 20
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            chunk = b" " * 65536
            try:
                for _ in range(size // len(chunk)):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
            return
        if path == "/robots.txt":
            if self.headers.get("Host", "").startswith("localhost"):
                return self.send(200, b"User-agent: otherbot\nCrawl-delay: 100\n\n"
                                 b"User-agent: *\nDisallow: /private/\nCrawl-delay: 1\n", "text/plain",
                                 {"Cache-Control": "max-age=600"})
            return self.send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        if path.startswith("/articles/") or path.startswith("/private/"):
            return self.send(200, article_page(path), "text/html; charset=utf-8")
        self.send(404, b"not found\n", "text/plain")


def make_bomb():
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9) as z:
        block = b" " * (1 << 20)
        for _ in range(64):
            z.write(block)
    return buf.getvalue()


BOMB = make_bomb()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port-file")
    ap.add_argument("--lifetime", type=float, default=300)
    args = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    port = srv.server_address[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.rename(tmp, args.port_file)
    else:
        print(port, flush=True)
    threading.Timer(args.lifetime, lambda: os._exit(0)).start()
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
