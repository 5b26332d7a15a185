/* server.h - the HTTP server (libmicrohttpd): story pages as HTML and JSON.
 *
 * Routes: / (top stories, ?page=N), /story/<slug>, /api/stories
 * (?limit=&offset=), /api/stories/<slug>, /healthz, /static/style.css.
 * Only GET and HEAD; other methods get 405. Each request opens its own
 * read-only view of the store through a per-thread connection. */
#ifndef SW_SERVER_H
#define SW_SERVER_H

#include <stdint.h>

#include "../core/err.h"

typedef struct ServerConfig {
    const char *db_path;
    const char *listen_addr; /* "127.0.0.1" by default */
    uint16_t port;           /* 8080 by default; 0 = pick a free port */
    unsigned threads;        /* worker threads, default 4 */
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
