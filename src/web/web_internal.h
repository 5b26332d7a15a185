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

#include "mhd_api.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

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

/* ---- the page cache (page_cache.c) ----
 * Story pages (HTML and JSON) and front pages, rendered once and kept as
 * ready-made MHD responses: the body as it is and gzip-compressed, each
 * with its headers, plus the two 304 answers. An entry is fresh while the
 * database has not changed since it was last checked (its epoch equals the
 * server's, see server_epoch); a story entry that is not fresh is checked
 * against the story's current page version, one indexed row, and either
 * marked fresh again or rendered anew. The table holds at most `cap` bytes
 * (bodies, compressed bodies and bookkeeping), dropping the least recently
 * used entries first; an entry bigger than the whole cap is served but not
 * kept. Thread-safe: one mutex, never held while rendering. */
typedef struct CachedPage {
    /* set before page_cache_put, read-only after */
    int64_t story_id;            /* 0 for front pages */
    int version;                 /* page version (story pages) */
    int64_t last_modified;       /* Unix seconds, 0 = none */
    char etag[64];               /* the identity tag, "" = none */
    int html;                    /* a document (takes the CSP header) */
    const char *content_type;
    const char *cache_control;
    struct MHD_Response *resp[2];    /* 200: [0] as it is, [1] gzip (NULL when not smaller) */
    struct MHD_Response *resp304[2]; /* 304 with the tag of [0] / [1] */
    size_t bytes;                /* what the entry holds (bodies, headers) */
    /* the cache's, under its lock */
    uint64_t epoch;
    int refs;
    int in_table;
    uint64_t hash;
    char *key;
    struct CachedPage *hnext, *prev, *next;
} CachedPage;

typedef struct PageCacheStats {
    size_t entries, bytes, cap;
    uint64_t hits, stale, misses, evictions;
} PageCacheStats;

typedef struct PageCache {
    pthread_mutex_t lock;
    CachedPage **buckets;        /* chains; a power of two, grows */
    size_t n_buckets;
    CachedPage lru;              /* sentinel: lru.next is the most recent */
    size_t entries, bytes, cap;
    uint64_t hits, stale, misses, evictions;
} PageCache;

void page_cache_init(PageCache *pc, size_t cap_bytes);
void page_cache_free(PageCache *pc);
/* The entry for key with a reference taken (NULL when absent); *fresh = 1
 * when it was last validated at epoch. */
CachedPage *page_cache_get(PageCache *pc, const char *key, uint64_t epoch, int *fresh);
/* A revalidated entry is fresh at epoch. */
void page_cache_mark_fresh(PageCache *pc, CachedPage *p, uint64_t epoch);
/* Hands p (heap, its fields and responses set) to the cache, fresh at
 * epoch, replacing key's entry unless that holds a newer version of the
 * same story; returns p with a reference for the caller. */
CachedPage *page_cache_put(PageCache *pc, const char *key, CachedPage *p, uint64_t epoch);
/* Drops a reference from page_cache_get or page_cache_put. */
void page_cache_release(PageCache *pc, CachedPage *p);
/* Frees an entry that never went to page_cache_put. */
void page_cache_discard(CachedPage *p);
void page_cache_stats(PageCache *pc, PageCacheStats *out);

/* Default cap of the page cache (ServerConfig.cache_bytes 0). */
#define PAGE_CACHE_DEFAULT_BYTES ((size_t)64 << 20)

/* What each worker thread keeps: its read-only store, the data version
 * its connection last reported, and the state of the database's WAL file
 * at that check (see server_epoch). */
typedef struct Worker {
    Store *store;
    int64_t data_version;
    int have_version;
    int settled;          /* the WAL was untouched for a while at the last check */
    uint64_t checked_at;  /* CLOCK_MONOTONIC ns of the last data version check */
    struct stat wal;      /* the WAL file then */
} Worker;

typedef struct Server {
    const char *db_path;
    char *wal_path;         /* db_path + "-wal" */
    PageCache cache;
    /* Bumped whenever a worker's connection sees a commit by someone
     * else (PRAGMA data_version changed): cache entries validated at an
     * older epoch are checked again before use. */
    _Atomic uint64_t epoch;
    const char *base_url;   /* absolute site URL for feeds, or NULL: from Host */
    HttpMetrics metrics;
    pthread_key_t worker_key;
    pthread_mutex_t lock; /* guards workers */
    Worker **workers;     /* every worker state made, freed at stop */
    size_t n_workers, cap_workers;
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
    CachedPage *page;       /* answer with this cache entry's responses (a reference) */
    char location[512];     /* Location of a redirect; "" = none */
} Reply;

/* The read-only store of the calling worker thread (opened on first use,
 * closed when the server stops), or NULL with err. */
Store *server_store(Server *sv, SwErr *err);
/* The database epoch as this worker sees it (checks PRAGMA data_version
 * of its connection): 0 with *epoch, or -1 with err. */
int server_epoch(Server *sv, uint64_t *epoch, SwErr *err);

/* Error replies: an HTML page, a JSON {"error": ...} object, or whichever
 * fits (api = 1 under /api/). reply_store_error answers 503. */
void reply_html_error(Reply *r, int status, const char *message);
void reply_json_error(Reply *r, int status, const char *message);
void reply_error(Reply *r, int api, int status, const char *message);
void reply_store_error(Reply *r, int api, const SwErr *err);

/* A story absorbed by another in the clustering merge pass: answers 301
 * to prefix + the surviving story's slug + suffix and returns 1 (also
 * when it answered a store error, 503); 0 when slug names no absorbed
 * story. api as for reply_error. */
int reply_moved(Store *s, const char *slug, const char *prefix, const char *suffix, int api, Reply *r,
                SwErr *err);

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
