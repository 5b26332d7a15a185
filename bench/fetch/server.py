#!/usr/bin/python3
"""server.py - many slow news sites on loopback, for bench/fetch/run.sh.

Standard library only. Serves FEEDS feeds spread over HOSTS hosts: host h is
the address 127.0.0.(h+2), each with its own listening socket on a free
port (written to --port-file as "ADDR PORT" lines). Every response waits a
random 50-200 ms (--min-ms/--max-ms) before it is sent, like a distant
server. The feed /feed/N.xml is RSS 2.0 with ITEMS items and an ETag.

The server watches its own guests: per host it records when each request
arrived and when its response was fully sent, and at /_stats (on any
host) reports requests, the most requests in progress at once over all
hosts, and per-host politeness violations: a request arriving while
another to the same host is in progress, or sooner than --delay-ms after
the previous response to that host ended. Exits after --lifetime seconds.
"""
import argparse
import json
import os
import random
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
STATS = {"requests": 0, "in_progress": 0, "max_in_progress": 0, "overlaps": 0, "too_soon": 0,
         "min_gap_ms": None}
HOSTS = {}  # addr -> {"busy": n, "last_end": t}
ARGS = None


def feed_body(n, items):
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
           "<title>Bench feed %d</title><link>http://bench.test/%d/</link>" % (n, n)]
    for i in range(items):
        out.append("<item><guid>bench-%d-%d</guid><title>Bench story %d of feed %d</title>"
                   "<link>http://bench.test/%d/%d</link><description>Report %d from feed %d: the council met "
                   "on Monday to discuss the harbour budget and the new ferry timetable.</description>"
                   "<pubDate>Sun, 29 Nov 2026 %02d:%02d:00 GMT</pubDate></item>"
                   % (n, i, i, n, n, i, i, n, i % 24, n % 60))
    out.append("</channel></rss>\n")
    return "".join(out).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        host = self.server.server_address[0]
        now = time.time()
        with LOCK:
            h = HOSTS.setdefault(host, {"busy": 0, "last_end": None})
            if self.path != "/_stats":
                STATS["requests"] += 1
                if h["busy"]:
                    STATS["overlaps"] += 1
                if h["last_end"] is not None:
                    gap = (now - h["last_end"]) * 1000
                    if gap < ARGS.delay_ms:
                        STATS["too_soon"] += 1
                    if STATS["min_gap_ms"] is None or gap < STATS["min_gap_ms"]:
                        STATS["min_gap_ms"] = gap
                h["busy"] += 1
                STATS["in_progress"] += 1
                self._finished = False
                STATS["max_in_progress"] = max(STATS["max_in_progress"], STATS["in_progress"])
        if self.path == "/_stats":
            with LOCK:
                body = json.dumps(STATS).encode()
            return self.reply(200, body, "application/json")
        try:
            time.sleep(random.uniform(ARGS.min_ms, ARGS.max_ms) / 1000.0)
            if self.path.startswith("/feed/") and self.path.endswith(".xml"):
                try:
                    n = int(self.path[6:-4])
                except ValueError:
                    n = -1
                if 0 <= n < ARGS.feeds:
                    etag = '"b%d"' % n
                    if self.headers.get("If-None-Match") == etag:
                        return self.reply(304, b"", None, {"ETag": etag})
                    return self.reply(200, feed_body(n, ARGS.items), "application/rss+xml", {"ETag": etag})
            self.reply(404, b"not found\n", "text/plain")
        finally:
            self.finish_request()

    def finish_request(self):
        # Called just before the response is written (and again, harmlessly,
        # after): the client cannot see the end of a response before it is
        # written, so the gap measured from here is never longer than the
        # gap the client left, and a violation seen here is a real one.
        if getattr(self, "_finished", True):
            return
        self._finished = True
        host = self.server.server_address[0]
        with LOCK:
            h = HOSTS[host]
            h["busy"] -= 1
            h["last_end"] = time.time()
            STATS["in_progress"] -= 1

    def reply(self, status, body, ctype, headers=None):
        self.finish_request()
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--hosts", type=int, default=50)
    ap.add_argument("--feeds", type=int, default=1000)
    ap.add_argument("--items", type=int, default=10)
    ap.add_argument("--min-ms", type=float, default=50)
    ap.add_argument("--max-ms", type=float, default=200)
    ap.add_argument("--delay-ms", type=float, default=100)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--lifetime", type=float, default=600)
    ARGS = ap.parse_args()
    lines = []
    for h in range(ARGS.hosts):
        addr = "127.0.0.%d" % (h + 2)
        srv = ThreadingHTTPServer((addr, 0), Handler)
        srv.daemon_threads = True
        srv.request_queue_size = 128
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        lines.append("%s %d\n" % (addr, srv.server_address[1]))
    with open(ARGS.port_file + ".tmp", "w") as f:
        f.writelines(lines)
    os.rename(ARGS.port_file + ".tmp", ARGS.port_file)
    time.sleep(ARGS.lifetime)
    os._exit(0)


if __name__ == "__main__":
    main()
