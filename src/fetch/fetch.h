/* fetch.h - polite HTTP fetching with libcurl's multi interface.
 *
 * A FetchEngine runs a queue of GET requests on one thread:
 *   - at most max_in_flight requests at once, and at most one per host,
 *     with host_delay between the end of one request to a host and the
 *     start of the next (a host is the URL's host name, so 127.0.0.2 and
 *     127.0.0.3 are two hosts and two ports of one name are one);
 *   - conditional GET: If-None-Match / If-Modified-Since from the request;
 *     304 is a success with no body;
 *   - gzip, deflate and brotli (what this libcurl supports) are accepted and
 *     decoded; the decoded body is capped at max_body and the transfer is
 *     aborted in the write callback past it (so a gzip bomb stops there);
 *   - redirects are followed by the engine itself, at most max_redirects,
 *     each hop queued under its own host's politeness; when every hop was
 *     permanent (301, 308) the result names the new URL to remember;
 *   - connect and total timeouts; only http and https.
 * Completed requests are handed to a callback in completion order. The
 * engine reports its own bookkeeping (requests, most in flight at once,
 * starts that broke the per-host rules, which must stay 0).
 *
 * Memory: the engine copies requests; a FetchResult and everything it
 * points to lives only during the callback. */
#ifndef SW_FETCH_H
#define SW_FETCH_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/err.h"
#include "fetch_config.h"

typedef struct FetchRequest {
    const char *url;
    const char *etag;          /* sent as If-None-Match; NULL = none */
    const char *last_modified; /* sent as If-Modified-Since; NULL = none */
    const char *accept;        /* Accept header; NULL = any */
    size_t max_body;           /* 0 = the config's max_body */
    int64_t tag;               /* the caller's own, returned in the result */
    void *user;                /* likewise */
} FetchRequest;

typedef struct FetchResult {
    const FetchRequest *req;   /* as added (url is the first URL asked for) */
    const char *final_url;     /* after redirects */
    const char *moved_to;      /* the new permanent address, or NULL (see above) */
    int redirects;
    long status;               /* the last HTTP status; 0 when no response */
    /* NULL when the request succeeded (2xx or 304); else a readable
     * sentence: "could not resolve host 'x.invalid'", "HTTP 503 Service
     * Unavailable", "more than 5 redirects", "body larger than 10 MiB". */
    const char *error;
    const char *content_type;  /* response headers, or NULL */
    const char *etag;
    const char *last_modified;
    const char *cache_control;
    const char *expires;
    const char *retry_after;
    const char *body;          /* decoded, NUL-terminated; "" for none */
    size_t body_len;
    double seconds;            /* from the first start to the end */
} FetchResult;

typedef void (*FetchDoneFn)(void *ctx, const FetchResult *res);

typedef struct FetchStats {
    size_t requests;           /* HTTP requests started (each redirect hop counts) */
    size_t completed;          /* requests handed to the callback */
    int max_in_flight;         /* most requests at once */
    size_t host_violations;    /* starts that broke one-per-host or host_delay: always 0 */
    double min_host_gap;       /* shortest seen pause between two requests to one host (s); -1 = none */
} FetchStats;

typedef struct FetchEngine FetchEngine;

/* A new engine (curl_global_init is done once per process). The config is
 * copied. NULL with err when libcurl cannot start. */
FetchEngine *fetch_engine_new(const FetchConfig *c, SwErr *err);
void fetch_engine_free(FetchEngine *e);

/* Queues a request (copied). */
void fetch_engine_add(FetchEngine *e, const FetchRequest *r);
/* Requests queued but not finished. */
size_t fetch_engine_pending(const FetchEngine *e);

/* Runs until every queued request is done, calling done for each. When
 * *stop becomes non-zero (a signal handler), no new request starts, those
 * in flight finish and are reported, and the rest are dropped unreported.
 * Requests may be added from the callback. Returns 0, or -1 with err when
 * libcurl itself fails. */
int fetch_engine_run(FetchEngine *e, FetchDoneFn done, void *ctx, volatile sig_atomic_t *stop, SwErr *err);

FetchStats fetch_engine_stats(const FetchEngine *e);
/* Zeroes the figures (e.g. between polling rounds); the hosts' pacing
 * state is kept. */
void fetch_engine_reset_stats(FetchEngine *e);

/* Sets host's own least pause between two requests (robots.txt
 * Crawl-delay, already capped by the caller), in force when longer than
 * host_delay; 0 goes back to host_delay. It applies from now on,
 * counted from the end of the host's last request, and is kept for the
 * engine's life. host is as fetch_url_host gives it. */
void fetch_engine_host_delay(FetchEngine *e, const char *host, int64_t delay_ms);
/* The pause now in force for host, in ms. */
int64_t fetch_engine_host_delay_of(const FetchEngine *e, const char *host);

/* The lower-cased host of an http(s) URL into out; -1 when the URL is not
 * an absolute http or https URL. */
int fetch_url_host(const char *url, char *out, size_t n);

/* The path and query of an http(s) URL ("/a/b?c=1"; "/" when empty) as a
 * heap string, or NULL when the URL is malformed. */
char *fetch_url_path(const char *url);

/* Resolves ref against base (RFC 3986) into a heap string; NULL when either
 * is malformed. */
char *fetch_url_resolve(const char *base, const char *ref);

#endif
