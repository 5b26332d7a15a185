/* fetch.c - the FetchEngine: a queue of jobs, a per-host politeness table
 * and a libcurl multi handle (the contract is in fetch.h).
 *
 * The loop: start every queued job whose host is idle and rested (in
 * queue order, up to max_in_flight), let curl work until something
 * finishes or the next host becomes ready, then hand finished jobs to the
 * callback, or queue them again at the redirect target. Scanning the queue
 * each turn costs O(queued) but keeps the order fair and the code plain;
 * a thousand feeds scan in microseconds. Redirects are followed here rather
 * than by libcurl so that each hop waits for its own host's turn and so that
 * we can tell a permanent move (every hop 301/308) from a temporary one. */
#include "fetch.h"

#include "curl_api.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/buf.h"
#include "../core/log.h"
#include "../core/map.h"

typedef struct Host {
    int busy;        /* a request to this host is in flight */
    double ready_at; /* monotonic seconds: no start before this */
    double last_end; /* when the last request to it ended; 0 = never */
    int64_t delay_ms; /* the host's own least pause (robots.txt Crawl-delay); 0 = host_delay */
} Host;

typedef struct Job {
    FetchRequest req;       /* strings owned by the job */
    char *url;              /* the current hop's URL */
    char host[256];
    int redirects;
    int all_permanent;
    double first_start;
    /* per hop */
    CURL *easy;
    struct curl_slist *headers;
    Buf body;
    size_t max_body;
    int too_big;
    char *content_type, *etag, *last_modified, *cache_control, *expires, *retry_after;
    char errbuf[CURL_ERROR_SIZE];
} Job;

struct FetchEngine {
    FetchConfig cfg;
    CURLM *multi;
    Job **queue; /* NULL slots are jobs already started */
    size_t q_len, q_cap, q_live;
    int in_flight;
    Job **active; /* the jobs in flight, in_flight of them */
    StrMap hosts;
    FetchStats stats;
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void curl_init(void)
{
    curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

FetchEngine *fetch_engine_new(const FetchConfig *c, SwErr *err)
{
    pthread_once(&curl_once, curl_init);
    if (curl_init_rc != CURLE_OK) {
        sw_err(err, "cannot start libcurl: %s", curl_easy_strerror(curl_init_rc));
        return NULL;
    }
    FetchEngine *e = xcalloc(1, sizeof *e);
    e->cfg = *c;
    e->multi = curl_multi_init();
    if (!e->multi) {
        free(e);
        sw_err(err, "cannot start libcurl: curl_multi_init failed");
        return NULL;
    }
    curl_multi_setopt(e->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 1L);
    e->stats.min_host_gap = -1;
    e->active = xcalloc((size_t)(c->max_in_flight > 0 ? c->max_in_flight : 1), sizeof *e->active);
    return e;
}

static void job_reset_hop(Job *j)
{
    if (j->easy)
        curl_easy_cleanup(j->easy);
    j->easy = NULL;
    curl_slist_free_all(j->headers);
    j->headers = NULL;
    buf_free(&j->body);
    j->too_big = 0;
    char **fields[] = {&j->content_type, &j->etag, &j->last_modified, &j->cache_control, &j->expires,
                       &j->retry_after};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        free(*fields[i]);
        *fields[i] = NULL;
    }
    j->errbuf[0] = '\0';
}

static void job_free(Job *j)
{
    if (!j)
        return;
    job_reset_hop(j);
    free((char *)j->req.url);
    free((char *)j->req.etag);
    free((char *)j->req.last_modified);
    free((char *)j->req.accept);
    free(j->url);
    free(j);
}

void fetch_engine_free(FetchEngine *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->q_len; i++)
        job_free(e->queue[i]);
    free(e->queue);
    free(e->active); /* jobs in flight only exist inside fetch_engine_run, which ends them all */
    STRMAP_FOREACH(&e->hosts, h)
    free(h->val.ptr);
    strmap_free(&e->hosts);
    curl_multi_cleanup(e->multi);
    free(e);
}

static void enqueue(FetchEngine *e, Job *j)
{
    if (e->q_len == e->q_cap) {
        /* compact the started slots away before growing */
        size_t w = 0;
        for (size_t i = 0; i < e->q_len; i++)
            if (e->queue[i])
                e->queue[w++] = e->queue[i];
        e->q_len = w;
        if (e->q_len == e->q_cap) {
            e->q_cap = e->q_cap ? e->q_cap * 2 : 64;
            e->queue = xrealloc(e->queue, e->q_cap * sizeof *e->queue);
        }
    }
    e->queue[e->q_len++] = j;
    e->q_live++;
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

void fetch_engine_add(FetchEngine *e, const FetchRequest *r)
{
    Job *j = xcalloc(1, sizeof *j);
    j->req = *r;
    j->req.url = xstrdup(r->url ? r->url : "");
    j->req.etag = dup_or_null(r->etag);
    j->req.last_modified = dup_or_null(r->last_modified);
    j->req.accept = dup_or_null(r->accept);
    j->url = xstrdup(j->req.url);
    j->all_permanent = 1;
    j->max_body = r->max_body ? r->max_body : e->cfg.max_body;
    if (fetch_url_host(j->url, j->host, sizeof j->host) != 0)
        j->host[0] = '\0'; /* reported as a bad URL when its turn comes */
    enqueue(e, j);
}

size_t fetch_engine_pending(const FetchEngine *e)
{
    return e->q_live + (size_t)e->in_flight;
}

FetchStats fetch_engine_stats(const FetchEngine *e)
{
    return e->stats;
}

void fetch_engine_reset_stats(FetchEngine *e)
{
    memset(&e->stats, 0, sizeof e->stats);
    e->stats.min_host_gap = -1;
}

static Host *host_of(FetchEngine *e, const char *name);

void fetch_engine_host_delay(FetchEngine *e, const char *host, int64_t delay_ms)
{
    Host *h = host_of(e, host);
    h->delay_ms = delay_ms > 0 ? delay_ms : 0;
    double ready = h->last_end + (double)h->delay_ms / 1000.0;
    if (h->last_end > 0 && ready > h->ready_at)
        h->ready_at = ready;
}

int64_t fetch_engine_host_delay_of(const FetchEngine *e, const char *host)
{
    const StrMapEntry *h = strmap_get(&e->hosts, host, strlen(host));
    const Host *x = h ? h->val.ptr : NULL;
    int64_t d = x && x->delay_ms > e->cfg.host_delay_ms ? x->delay_ms : e->cfg.host_delay_ms;
    return d;
}

int fetch_url_host(const char *url, char *out, size_t n)
{
    CURLU *u = curl_url();
    if (!u)
        return -1;
    int rc = -1;
    char *scheme = NULL, *host = NULL;
    if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        (strcasecmp(scheme, "http") == 0 || strcasecmp(scheme, "https") == 0) &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && *host && strlen(host) < n) {
        for (size_t i = 0; host[i]; i++)
            out[i] = (char)((host[i] >= 'A' && host[i] <= 'Z') ? host[i] + 32 : host[i]);
        out[strlen(host)] = '\0';
        rc = 0;
    }
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
    return rc;
}

char *fetch_url_path(const char *url)
{
    CURLU *u = curl_url();
    if (!u)
        return NULL;
    char *path = NULL, *query = NULL, *res = NULL;
    if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_PATH, &path, 0) == CURLUE_OK) {
        int has_query = curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK && query;
        size_t n = strlen(path) + (has_query ? strlen(query) + 1 : 0) + 2;
        res = xmalloc(n);
        snprintf(res, n, "%s%s%s", *path ? path : "/", has_query ? "?" : "", has_query ? query : "");
    }
    curl_free(path);
    curl_free(query);
    curl_url_cleanup(u);
    return res;
}

char *fetch_url_resolve(const char *base, const char *ref)
{
    if (!base || !ref)
        return NULL;
    CURLU *u = curl_url();
    if (!u)
        return NULL;
    char *out = NULL, *res = NULL;
    if (curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_URL, ref, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_URL, &out, 0) == CURLUE_OK)
        res = xstrdup(out);
    curl_free(out);
    curl_url_cleanup(u);
    return res;
}

/* ---- callbacks ---- */

static size_t on_body(char *data, size_t size, size_t nmemb, void *userp)
{
    Job *j = userp;
    size_t n = size * nmemb;
    if (j->body.len + n > j->max_body) {
        j->too_big = 1;
        return 0; /* aborts the transfer: CURLE_WRITE_ERROR */
    }
    buf_append(&j->body, data, n);
    return n;
}

static void keep_header(char **field, const char *v, size_t n)
{
    while (n && (v[n - 1] == '\r' || v[n - 1] == '\n' || v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    while (n && (*v == ' ' || *v == '\t')) {
        v++;
        n--;
    }
    free(*field);
    *field = xstrndup(v, n > 4096 ? 4096 : n);
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *userp)
{
    Job *j = userp;
    size_t n = size * nmemb;
    if (n >= 5 && strncmp(data, "HTTP/", 5) == 0) {
        /* a new response (e.g. after 100 Continue): forget the last one's headers */
        char **fields[] = {&j->content_type, &j->etag, &j->last_modified, &j->cache_control, &j->expires,
                           &j->retry_after};
        for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
            free(*fields[i]);
            *fields[i] = NULL;
        }
        return n;
    }
    const char *colon = memchr(data, ':', n);
    if (!colon)
        return n;
    size_t kn = (size_t)(colon - data);
    const char *v = colon + 1;
    size_t vn = n - kn - 1;
    static const struct {
        const char *name;
        size_t off;
    } keep[] = {
        {"content-type", offsetof(Job, content_type)}, {"etag", offsetof(Job, etag)},
        {"last-modified", offsetof(Job, last_modified)}, {"cache-control", offsetof(Job, cache_control)},
        {"expires", offsetof(Job, expires)}, {"retry-after", offsetof(Job, retry_after)},
    };
    for (size_t i = 0; i < sizeof keep / sizeof *keep; i++)
        if (strlen(keep[i].name) == kn && strncasecmp(data, keep[i].name, kn) == 0)
            keep_header((char **)((char *)j + keep[i].off), v, vn);
    return n;
}

/* ---- the loop ---- */

static Host *host_of(FetchEngine *e, const char *name)
{
    int created;
    StrMapEntry *h = strmap_put(&e->hosts, name, strlen(name), &created);
    if (created)
        h->val.ptr = xcalloc(1, sizeof(Host));
    return h->val.ptr;
}

static int start_job(FetchEngine *e, Job *j, SwErr *err)
{
    CURL *c = curl_easy_init();
    if (!c)
        return sw_err(err, "cannot start libcurl: curl_easy_init failed");
    j->easy = c;
    curl_easy_setopt(c, CURLOPT_URL, j->url);
    curl_easy_setopt(c, CURLOPT_PRIVATE, j);
    curl_easy_setopt(c, CURLOPT_USERAGENT, e->cfg.user_agent);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, ""); /* every encoding this libcurl decodes */
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)e->cfg.connect_timeout_ms);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)e->cfg.timeout_ms);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)j->max_body);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, j);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, j);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, j->errbuf);
    char line[4200];
    if (j->req.accept) {
        snprintf(line, sizeof line, "Accept: %s", j->req.accept);
        j->headers = curl_slist_append(j->headers, line);
    }
    /* validators belong to the feed's own URL; a redirect target gets none */
    if (j->redirects == 0 && j->req.etag && *j->req.etag && !strpbrk(j->req.etag, "\r\n")) {
        snprintf(line, sizeof line, "If-None-Match: %s", j->req.etag);
        j->headers = curl_slist_append(j->headers, line);
    }
    if (j->redirects == 0 && j->req.last_modified && *j->req.last_modified &&
        !strpbrk(j->req.last_modified, "\r\n")) {
        snprintf(line, sizeof line, "If-Modified-Since: %s", j->req.last_modified);
        j->headers = curl_slist_append(j->headers, line);
    }
    if (j->headers)
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, j->headers);
    CURLMcode mc = curl_multi_add_handle(e->multi, c);
    if (mc != CURLM_OK)
        return sw_err(err, "libcurl: %s", curl_multi_strerror(mc));
    double now = clock_seconds();
    if (j->first_start == 0)
        j->first_start = now;
    Host *h = host_of(e, j->host);
    if (h->busy || now + 1e-4 < h->ready_at)
        e->stats.host_violations++;
    if (h->last_end > 0) {
        double gap = now - h->last_end;
        if (e->stats.min_host_gap < 0 || gap < e->stats.min_host_gap)
            e->stats.min_host_gap = gap;
    }
    h->busy = 1;
    e->active[e->in_flight++] = j;
    if (e->in_flight > e->stats.max_in_flight)
        e->stats.max_in_flight = e->in_flight;
    e->stats.requests++;
    return 0;
}

static const char *status_text(long s)
{
    switch (s) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 410: return "Gone";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
    }
}

/* A readable sentence for a failed transfer. */
static void describe_failure(const FetchEngine *e, const Job *j, CURLcode rc, Buf *msg)
{
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
        buf_printf(msg, "could not resolve host '%s'", j->host);
        break;
    case CURLE_COULDNT_CONNECT:
        buf_printf(msg, "could not connect to %s", j->host);
        break;
    case CURLE_OPERATION_TIMEDOUT:
        buf_printf(msg, "timed out after %.1f s", (clock_seconds() - j->first_start));
        break;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
        buf_printf(msg, "TLS error with %s", j->host);
        break;
    case CURLE_WRITE_ERROR:
    case CURLE_FILESIZE_EXCEEDED:
        if (j->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
            buf_printf(msg, "body larger than the %zu-byte limit (max_body); gave up", j->max_body);
            return;
        }
        buf_puts(msg, "could not store the body");
        break;
    case CURLE_PARTIAL_FILE:
        buf_printf(msg, "truncated body: the connection closed after %zu bytes", j->body.len);
        break;
    case CURLE_BAD_CONTENT_ENCODING:
        buf_puts(msg, "the body's Content-Encoding could not be decoded");
        break;
    default:
        buf_puts(msg, curl_easy_strerror(rc));
        break;
    }
    if (j->errbuf[0])
        buf_printf(msg, " (%s)", j->errbuf);
}

static int is_redirect(long s)
{
    return s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
}

/* Handles a finished hop: requeues a redirect, else reports and frees. */
static void finish_job(FetchEngine *e, Job *j, CURLcode rc, FetchDoneFn done, void *ctx)
{
    long status = 0;
    curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
    double now = clock_seconds();
    Host *h = host_of(e, j->host);
    h->busy = 0;
    h->last_end = now;
    h->ready_at = now + (double)(h->delay_ms > e->cfg.host_delay_ms ? h->delay_ms : e->cfg.host_delay_ms) / 1000.0;
    for (int i = 0; i < e->in_flight; i++)
        if (e->active[i] == j) {
            e->active[i] = e->active[--e->in_flight];
            break;
        }

    Buf msg = {0};
    if (rc == CURLE_OK && is_redirect(status)) {
        char *loc = NULL;
        curl_easy_getinfo(j->easy, CURLINFO_REDIRECT_URL, &loc);
        if (!loc || !*loc) {
            buf_printf(&msg, "HTTP %ld redirect without a Location", status);
        } else if (j->redirects >= e->cfg.max_redirects) {
            buf_printf(&msg, "more than %d redirects (a loop?); the last pointed to %s", e->cfg.max_redirects, loc);
        } else {
            char host[256];
            if (fetch_url_host(loc, host, sizeof host) != 0) {
                buf_printf(&msg, "redirected to %s, which is not an http(s) URL", loc);
            } else {
                char *next = xstrdup(loc);
                job_reset_hop(j);
                free(j->url);
                j->url = next;
                snprintf(j->host, sizeof j->host, "%s", host);
                j->redirects++;
                j->all_permanent &= status == 301 || status == 308;
                enqueue(e, j);
                return;
            }
        }
    } else if (rc != CURLE_OK) {
        describe_failure(e, j, rc, &msg);
    } else if (status != 304 && (status < 200 || status > 299)) {
        const char *t = status_text(status);
        buf_printf(&msg, "HTTP %ld%s%s", status, *t ? " " : "", t);
    }
    FetchResult r = {
        .req = &j->req,
        .final_url = j->url,
        .moved_to = (j->redirects > 0 && j->all_permanent && !msg.len) ? j->url : NULL,
        .redirects = j->redirects,
        .status = status,
        .error = msg.len ? buf_cstr(&msg) : NULL,
        .content_type = j->content_type,
        .etag = j->etag,
        .last_modified = j->last_modified,
        .cache_control = j->cache_control,
        .expires = j->expires,
        .retry_after = j->retry_after,
        .body = (rc == CURLE_OK && status != 304) ? buf_cstr(&j->body) : "",
        .body_len = (rc == CURLE_OK && status != 304) ? j->body.len : 0,
        .seconds = now - j->first_start,
    };
    e->stats.completed++;
    done(ctx, &r);
    buf_free(&msg);
    job_free(j);
}

/* A job that cannot start (bad URL) is reported at once. */
static void reject_job(FetchEngine *e, Job *j, FetchDoneFn done, void *ctx)
{
    Buf msg = {0};
    buf_printf(&msg, "'%s' is not an http or https URL", j->url);
    FetchResult r = {.req = &j->req, .final_url = j->url, .error = buf_cstr(&msg), .body = ""};
    e->stats.completed++;
    done(ctx, &r);
    buf_free(&msg);
    job_free(j);
}

/* Starts what may start; returns seconds until the next queued job could
 * (its host rests), or -1 when none waits on a rest. */
static double start_ready(FetchEngine *e, FetchDoneFn done, void *ctx, int *failed, SwErr *err)
{
    double now = clock_seconds(), wait = -1;
    for (size_t i = 0; i < e->q_len && e->in_flight < e->cfg.max_in_flight; i++) {
        Job *j = e->queue[i];
        if (!j)
            continue;
        if (!j->host[0]) {
            e->queue[i] = NULL;
            e->q_live--;
            reject_job(e, j, done, ctx);
            continue;
        }
        Host *h = host_of(e, j->host);
        if (h->busy)
            continue;
        if (h->ready_at > now) {
            double w = h->ready_at - now;
            if (wait < 0 || w < wait)
                wait = w;
            continue;
        }
        e->queue[i] = NULL;
        e->q_live--;
        if (start_job(e, j, err) != 0) {
            job_free(j);
            *failed = 1;
            return -1;
        }
    }
    /* drop the started slots from the front so scans stay short */
    size_t head = 0;
    while (head < e->q_len && !e->queue[head])
        head++;
    if (head) {
        memmove(e->queue, e->queue + head, (e->q_len - head) * sizeof *e->queue);
        e->q_len -= head;
    }
    return wait;
}

int fetch_engine_run(FetchEngine *e, FetchDoneFn done, void *ctx, volatile sig_atomic_t *stop, SwErr *err)
{
    int failed = 0;
    while (e->in_flight > 0 || (e->q_live > 0 && !(stop && *stop))) {
        double wait = -1;
        if (!(stop && *stop)) {
            wait = start_ready(e, done, ctx, &failed, err);
            if (failed)
                break;
        }
        int running;
        CURLMcode mc = curl_multi_perform(e->multi, &running);
        if (mc != CURLM_OK) {
            failed = 1;
            sw_err(err, "libcurl: %s", curl_multi_strerror(mc));
            break;
        }
        CURLMsg *m;
        int left;
        int finished = 0;
        while ((m = curl_multi_info_read(e->multi, &left))) {
            if (m->msg != CURLMSG_DONE)
                continue;
            Job *j;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&j);
            CURLcode rc = m->data.result;
            curl_multi_remove_handle(e->multi, m->easy_handle);
            finish_job(e, j, rc, done, ctx);
            finished = 1;
        }
        if (finished)
            continue; /* hosts freed: start the next jobs before waiting */
        /* wait for network activity, at most until the next host is ready
         * and at most 200 ms so that a stop request is seen promptly */
        int timeout_ms = 200;
        if (wait >= 0 && wait * 1000 < timeout_ms)
            timeout_ms = (int)(wait * 1000) + 1;
        if (e->in_flight == 0 && e->q_live == 0)
            break;
        mc = curl_multi_poll(e->multi, NULL, 0, timeout_ms, NULL);
        if (mc != CURLM_OK) {
            failed = 1;
            sw_err(err, "libcurl: %s", curl_multi_strerror(mc));
            break;
        }
    }
    if (failed) {
        /* give back what is in flight: remove and free every easy handle */
        for (int i = 0; i < e->in_flight; i++) {
            curl_multi_remove_handle(e->multi, e->active[i]->easy);
            job_free(e->active[i]);
        }
        e->in_flight = 0;
        for (size_t i = 0; i < e->q_len; i++)
            job_free(e->queue[i]);
        e->q_len = e->q_live = 0;
        return -1;
    }
    /* stopped: drop what never started */
    for (size_t i = 0; i < e->q_len; i++)
        job_free(e->queue[i]);
    e->q_len = e->q_live = 0;
    return 0;
}
