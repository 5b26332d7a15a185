/* web_internal.h - what the files of src/web share: the server, a reply
 * being built, and the helpers routes use. Not part of server.h.
 *
 * Route groups: a file of src/web that serves a set of URLs (search,
 * feeds, sources, metrics) defines one of the RouteGroupFn functions
 * declared below; server.c tries each defined group before answering 404.
 * They are weak declarations, so a group is served exactly when its file
 * is built in. */
#ifndef SW_WEB_INTERNAL_H
#define SW_WEB_INTERNAL_H

#include <microhttpd.h>
#include <pthread.h>
#include <stddef.h>

#include "../core/buf.h"
#include "../store/store.h"

typedef struct Server {
    const char *db_path;
    pthread_key_t store_key;
    pthread_mutex_t lock; /* guards stores */
    Store **stores;       /* every Store a worker opened, closed at stop */
    size_t n_stores, cap_stores;
} Server;

/* What a route answers; send_reply turns it into an MHD response. */
typedef struct Reply {
    int status;
    const char *content_type;
    const char *cache;      /* Cache-Control */
    Buf body;
    const char *fixed_body; /* static memory instead of body (the stylesheet) */
    size_t fixed_len;
    char etag[64];          /* "" = none */
    int allow;              /* add Allow: GET, HEAD */
    int html;               /* add the Content-Security-Policy for documents */
} Reply;

/* The read-only store of the calling worker thread (opened on first use,
 * closed when the server stops), or NULL with err. */
Store *server_store(Server *sv, SwErr *err);

/* Error replies: an HTML page, a JSON {"error": ...} object, or whichever
 * fits (api = 1 under /api/). reply_store_error answers 503. */
void reply_html_error(Reply *r, int status, const char *message);
void reply_json_error(Reply *r, int status, const char *message);
void reply_error(Reply *r, int api, int status, const char *message);
void reply_store_error(Reply *r, int api, const SwErr *err);

/* 1 when slug is 1-200 bytes of [a-z0-9-]. */
int slug_valid(const char *slug);
/* Reads query parameter key as a whole number in [lo, hi]: 0 with *out set
 * (to def when absent), -1 when present but invalid. */
int query_number(struct MHD_Connection *c, const char *key, long lo, long hi, long def, long *out);
/* 1 when the request's If-None-Match names etag. */
int etag_matches(struct MHD_Connection *c, const char *etag);

/* Answers url and returns 1, or returns 0 when the URL is not the group's. */
typedef int (*RouteGroupFn)(Server *sv, struct MHD_Connection *c, const char *url, Reply *r);
int routes_search(Server *sv, struct MHD_Connection *c, const char *url, Reply *r) __attribute__((weak));
int routes_feeds(Server *sv, struct MHD_Connection *c, const char *url, Reply *r) __attribute__((weak));
int routes_sources(Server *sv, struct MHD_Connection *c, const char *url, Reply *r) __attribute__((weak));
int routes_metrics(Server *sv, struct MHD_Connection *c, const char *url, Reply *r) __attribute__((weak));

#endif
