/* server.h - the HTTP server (libmicrohttpd): story pages as HTML and JSON.
 *
 * Routes: / (top stories, ranked, ?page=N), /story/<slug>,
 * /story/<slug>.atom, /api/stories (?limit=&cursor=&offset=&since=&until=
 * &source=&lang=), /api/stories/<slug>, /api/articles/<id>, /feed.atom,
 * /feed.json, /healthz, /metrics, /static/style.css, and the route groups
 * of src/web (search, sources). Only GET and HEAD; other methods get 405.
 * ETag / Last-Modified with 304s, gzip when accepted, 414 and 431 for
 * oversized requests (docs/http.md). Each worker thread keeps its own
 * read-only view of the store. */
#ifndef SW_SERVER_H
#define SW_SERVER_H

#include <stdint.h>

#include "../core/err.h"

#include <stddef.h>

#define SERVER_CACHE_OFF ((size_t)-1)

typedef struct ServerConfig {
    const char *db_path;
    const char *listen_addr; /* "127.0.0.1" by default */
    uint16_t port;           /* 8080 by default; 0 = pick a free port */
    unsigned threads;        /* worker threads, default 4 */
    /* bytes the page cache may hold: 0 = the default (64 MB),
     * SERVER_CACHE_OFF = keep nothing (docs/http.md, caching) */
    size_t cache_bytes;
    /* absolute URL of the site for feeds ("https://news.example"), or
     * NULL: http:// and the request's (validated) Host header */
    const char *base_url;
    /* called once listening, with the actual port (for "serving at URL") */
    void (*on_ready)(void *ctx, const char *addr, uint16_t port);
    void *ctx;
} ServerConfig;

/* Runs until SIGINT or SIGTERM, then stops cleanly and returns 0. Returns
 * -1 when the server cannot start (address in use, database missing). */
int server_run(const ServerConfig *cfg, SwErr *err);

/* Asks a running server to stop (async-signal-safe). */
void server_request_stop(void);

#endif
