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
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../store/store.h"

/* ---- request metrics ----
 * Every answered request is counted by route group and status, and its
 * handling time (from the answering call to the queued response: routing,
 * the database, rendering, compression) goes into a histogram per route
 * group. Relaxed atomics: counters only ever grow, and /metrics may read a
 * snapshot that is a few requests behind. */
enum {
    RG_INDEX, RG_STORY, RG_API_STORIES, RG_API_STORY, RG_API_ARTICLES, RG_HEALTH, RG_STATIC,
    RG_SEARCH, RG_SOURCES, RG_FEEDS, RG_METRICS, RG_OTHER,
    RG_N
};
/* statuses with their own counter; anything else counts as "other" */
#define METRIC_STATUSES {200, 304, 400, 404, 405, 414, 431, 500, 503}
#define MS_N 10
/* histogram upper bounds in seconds; a last bucket holds the rest (+Inf) */
#define METRIC_BOUNDS {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0}
#define MB_N 12

typedef struct HttpMetrics {
    _Atomic uint64_t requests[RG_N][MS_N];
    _Atomic uint64_t buckets[RG_N][MB_N]; /* per bucket, not cumulative */
    _Atomic uint64_t sum_ns[RG_N];
} HttpMetrics;

/* The label value of a route group ("index", "story", ...). */
const char *metrics_route_name(int group);
/* The status a counter index stands for (0 for "other"). */
int metrics_status_of(int index);

/* Rendered story pages kept in memory, keyed by story and page version:
 * a page version never changes, so an entry is valid until the story gets
 * a newer version (then it is replaced). One slot per story id modulo the
 * table size bounds memory; each slot has its own lock. */
#define PAGE_CACHE_SLOTS 1024
typedef struct PageCacheSlot {
    pthread_mutex_t lock;
    int64_t story_id; /* 0 = empty */
    int version;
    int html;         /* 1 = HTML page, 0 = JSON */
    char *body;
    size_t len;
} PageCacheSlot;

/* The first front pages, rendered at most once a second: the ranking
 * changes only when pages are written, and clients may cache the front
 * page for a minute anyway (Cache-Control), so a second of staleness
 * costs nothing and spares a query and a render per request. */
#define INDEX_CACHE_PAGES 8
typedef struct IndexCacheSlot {
    pthread_mutex_t lock;
    double rendered_at; /* clock_seconds(); 0 = empty */
    int64_t last_modified;
    char *body;
    size_t len;
} IndexCacheSlot;

typedef struct Server {
    const char *db_path;
    PageCacheSlot *page_cache; /* PAGE_CACHE_SLOTS * 2 (HTML and JSON) */
    IndexCacheSlot index_cache[INDEX_CACHE_PAGES];
    const char *base_url;   /* absolute site URL for feeds, or NULL: from Host */
    HttpMetrics metrics;
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
    int64_t last_modified;  /* Unix seconds for Last-Modified, 0 = none */
    int close;              /* add Connection: close (refused requests) */
    char location[512];     /* Location of a redirect; "" = none */
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
