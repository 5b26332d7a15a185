/* server.c - the HTTP server: routes requests to the store and renderers.
 *
 * libmicrohttpd runs a fixed pool of worker threads (cfg->threads), each
 * polling its share of connections. A worker opens its own read-only Store
 * the first time it needs one and keeps it in a thread-specific slot, so a
 * request costs no database open and no lock; every Store opened is also
 * listed in the Server so that all of them are closed after the daemon has
 * joined its threads.
 *
 * We create and bind the listening socket ourselves (and hand it to MHD)
 * because that is the only way to tell the user precisely why listening
 * failed ("Address already in use") and to learn the port picked for port 0.
 *
 * server_run blocks on a self-pipe: the SIGINT/SIGTERM handlers and
 * server_request_stop write one byte to it, which is async-signal-safe. */
#include "server.h"
#include "web_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include "mhd_api.h"
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utf8proc.h>
#include <zlib.h>

#include "../core/arena.h"
#include "../core/buf.h"
#include "../core/log.h"
#include "../core/timeutil.h"
#include "../core/utf8util.h"
#include "../render/render.h"
#include "../render/render_util.h"
#include "../store/store.h"
#include "../store/web.h"

#if MHD_VERSION >= 0x00097002
typedef enum MHD_Result MhdResult;
#else
typedef int MhdResult;
#endif

#define INDEX_PAGE_SIZE 20
#define API_LIMIT_DEFAULT 20
#define API_LIMIT_MAX 100
#define SLUG_MAX 200
#define MAX_PAGE_NUMBER 100000
#define STORY_HISTORY_MAX 50
/* Limits on a request: a request line (URL with its query) over URL_MAX
 * bytes is answered 414 and headers over HEADERS_MAX bytes 431, with our
 * own pages. CONNECTION_MEMORY (what MHD lets one connection hold) is set
 * well above both so that such requests reach us; past it MHD refuses
 * them itself. */
#define URL_MAX 2048
#define HEADERS_MAX 8192
#define CONNECTION_MEMORY 32768
/* Bodies smaller than this are sent as they are: gzip would save little
 * and cost a deflate per request. */
#define GZIP_MIN 1024
#define CONNECTION_LIMIT 1000
#define CONNECTION_TIMEOUT_S 30

/* Stop signalling: written by signal handlers, so only sig_atomic_t and a
 * write(2) on a pipe. */
static volatile sig_atomic_t stop_pipe_w = -1;
static volatile sig_atomic_t stop_requested;

void server_request_stop(void)
{
    int saved = errno;
    stop_requested = 1;
    int fd = stop_pipe_w;
    if (fd >= 0) {
        char byte = 1;
        ssize_t n = write(fd, &byte, 1);
        (void)n; /* a full pipe already holds a wake-up */
    }
    errno = saved;
}

static void on_signal(int sig)
{
    (void)sig;
    server_request_stop();
}

/* ---- per-thread stores ---- */

static Worker *server_worker(Server *sv, SwErr *err)
{
    Worker *w = pthread_getspecific(sv->worker_key);
    if (w)
        return w;
    Store *s;
    if (store_open(sv->db_path, 1, &s, err) < 0)
        return NULL;
    w = xcalloc(1, sizeof *w);
    w->store = s;
    pthread_mutex_lock(&sv->lock);
    if (sv->n_workers == sv->cap_workers) {
        sv->cap_workers = sv->cap_workers ? sv->cap_workers * 2 : 8;
        sv->workers = xrealloc(sv->workers, sv->cap_workers * sizeof *sv->workers);
    }
    sv->workers[sv->n_workers++] = w;
    pthread_mutex_unlock(&sv->lock);
    pthread_setspecific(sv->worker_key, w);
    return w;
}

Store *server_store(Server *sv, SwErr *err)
{
    Worker *w = server_worker(sv, err);
    return w ? w->store : NULL;
}

/* Two rules let a worker skip the data version check: the WAL file is
 * exactly as it was at its last check (device, inode, size, modification
 * and change times), and at that check it had not been modified for
 * WAL_SETTLED_NS; and that check is less than RECHECK_NS old. Every commit
 * writes the WAL, and a write after a settled check stamps a modification
 * time that cannot equal the old one, so a commit is never skipped; a WAL
 * written recently (a commit may be between its write and its end) is not
 * trusted. The re-check bounds staleness at a second even for a writer
 * that stalls mid-commit for longer than WAL_SETTLED_NS. Without a WAL
 * file (not in WAL mode) every request checks. */
#define WAL_SETTLED_NS 2000000000LL
#define RECHECK_NS 1000000000ull

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int64_t ts_ns(struct timespec t)
{
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int same_file_state(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           ts_ns(a->st_mtim) == ts_ns(b->st_mtim) && ts_ns(a->st_ctim) == ts_ns(b->st_ctim);
}

/* Why this is enough for a page written by another process to be served
 * fresh: a worker bumps the epoch the first time its connection reports a
 * new data version after a commit, and reads the epoch only after its own
 * check. So a request that starts after a commit either bumps the epoch
 * itself or finds it already bumped since the commit by its own worker;
 * and an entry is marked fresh at epoch e only by a worker that read e
 * before reading the story row it checked, so no entry is fresh at an
 * epoch later than the data it was checked against. The WAL shortcut
 * above skips only checks that could not have found a change. */
int server_epoch(Server *sv, uint64_t *epoch, SwErr *err)
{
    Worker *w = server_worker(sv, err);
    if (!w)
        return -1;
    struct stat st;
    uint64_t now = now_ns();
    /* the stat comes first: a write after it shows at the next request */
    int have_wal = stat(sv->wal_path, &st) == 0;
    if (have_wal && w->settled && now - w->checked_at < RECHECK_NS && same_file_state(&st, &w->wal)) {
        *epoch = atomic_load(&sv->epoch);
        return 0;
    }
    int64_t dv;
    if (store_web_data_version(w->store, &dv, err) < 0)
        return -1;
    if (!w->have_version || dv != w->data_version) {
        w->data_version = dv;
        w->have_version = 1;
        *epoch = atomic_fetch_add(&sv->epoch, 1) + 1;
    } else {
        *epoch = atomic_load(&sv->epoch);
    }
    w->checked_at = now;
    w->settled = 0;
    if (have_wal) {
        struct timespec real;
        clock_gettime(CLOCK_REALTIME, &real);
        /* the modification time: every write stamps it (the change time
         * also moves when a connection opening the WAL as root chowns it) */
        w->settled = ts_ns(real) - ts_ns(st.st_mtim) > WAL_SETTLED_NS;
        w->wal = st;
    }
    return 0;
}

/* ---- replies ---- */

void reply_html_error(Reply *r, int status, const char *message)
{
    r->status = status;
    r->content_type = "text/html; charset=utf-8";
    r->cache = "no-store";
    r->html = 1;
    buf_reset(&r->body);
    render_html_error(status, message, &r->body);
}

void reply_json_error(Reply *r, int status, const char *message)
{
    r->status = status;
    r->content_type = "application/json; charset=utf-8";
    r->cache = "no-store";
    buf_reset(&r->body);
    buf_puts(&r->body, "{\"error\":");
    buf_json_cstr(&r->body, message);
    buf_puts(&r->body, "}\n");
}

void reply_error(Reply *r, int api, int status, const char *message)
{
    if (api)
        reply_json_error(r, status, message);
    else
        reply_html_error(r, status, message);
}

/* A store failure: logged with its detail for the operator, answered with
 * a plain sentence for the reader. */
void reply_store_error(Reply *r, int api, const SwErr *err)
{
    log_warn("serve: %s", err->msg);
    reply_error(r, api, 503, "The story database cannot be read right now. Please try again shortly.");
}

/* ---- request helpers ---- */

/* What page_slug makes: lower-case ASCII letters, digits and '-', and, in
 * headlines of other scripts, their letters, marks and digits as UTF-8
 * (the server gets the path percent-decoded). */
int slug_valid(const char *slug)
{
    size_t n = strlen(slug);
    if (n == 0 || n > SLUG_MAX)
        return 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)slug[i];
        if (c < 0x80) {
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
                return 0;
            i++;
            continue;
        }
        uint32_t cp;
        size_t l = utf8_decode(slug + i, n - i, &cp);
        if (!l)
            return 0;
        utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)cp);
        if (!((cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_MC) || cat == UTF8PROC_CATEGORY_ND))
            return 0;
        i += l;
    }
    return 1;
}

/* A query argument as a whole number in [lo, hi]; absent gives def.
 * Returns -1 when present but not such a number. */
int query_number(struct MHD_Connection *c, const char *key, long lo, long hi, long def, long *out)
{
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, key);
    *out = def;
    if (!v)
        return 0;
    if (!*v || strlen(v) > 9 || strspn(v, "0123456789") != strlen(v))
        return -1;
    long n = strtol(v, NULL, 10);
    if (n < lo || n > hi)
        return -1;
    *out = n;
    return 0;
}

/* 1 when the request's If-None-Match lists etag (or "*"); weak
 * validators compare equal, as RFC 9110 asks for GET. */
int etag_matches(struct MHD_Connection *c, const char *etag)
{
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    if (!h)
        return 0;
    size_t elen = strlen(etag);
    const char *p = h;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (!*p)
            break;
        const char *start = p;
        while (*p && *p != ',')
            p++;
        const char *end = p;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        if (end - start >= 2 && strncmp(start, "W/", 2) == 0)
            start += 2;
        size_t len = (size_t)(end - start);
        if ((len == 1 && *start == '*') || (len == elen && memcmp(start, etag, len) == 0))
            return 1;
        /* the tag of the gzip variant: "<tag>-gz" (see send_reply) */
        if (elen >= 2 && len == elen + 3 && memcmp(start, etag, elen - 1) == 0 &&
            memcmp(start + elen - 1, "-gz\"", 4) == 0)
            return 1;
    }
    return 0;
}

/* The conditional request rules of RFC 9110 section 13.2.2 for GET/HEAD:
 * If-None-Match decides when present (If-Modified-Since is then ignored);
 * otherwise If-Modified-Since at or after the Last-Modified time means
 * not modified. */
static int not_modified(struct MHD_Connection *c, const Reply *r)
{
    if (MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH))
        return r->etag[0] && etag_matches(c, r->etag);
    const char *ims = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_MODIFIED_SINCE);
    int64_t t;
    if (!ims || !r->last_modified || time_parse(ims, &t) < 0)
        return 0;
    return r->last_modified <= t;
}

/* 1 when Accept-Encoding allows gzip: "gzip", "x-gzip" or "*" with a
 * q-value above 0. */
static int accepts_gzip(struct MHD_Connection *c)
{
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING);
    if (!h)
        return 0;
    const char *p = h;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        const char *tok = p;
        while (*p && *p != ',' && *p != ';' && *p != ' ' && *p != '\t')
            p++;
        size_t tlen = (size_t)(p - tok);
        double q = 1.0;
        while (*p && *p != ',') {
            if (*p == ';') {
                p++;
                while (*p == ' ' || *p == '\t')
                    p++;
                if ((p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
                    q = strtod(p + 2, NULL);
            } else {
                p++;
            }
        }
        if (((tlen == 4 && strncasecmp(tok, "gzip", 4) == 0) || (tlen == 6 && strncasecmp(tok, "x-gzip", 6) == 0) ||
             (tlen == 1 && *tok == '*')) &&
            q > 0)
            return 1;
    }
    return 0;
}

/* data compressed as one gzip member into out; -1 when zlib fails (the
 * body is then sent as it is). */
static int gzip_body(const char *data, size_t len, int level, Buf *out)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    /* 15 + 16: a 32 KB window with the gzip wrapper */
    if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    uLong bound = deflateBound(&zs, (uLong)len);
    buf_reset(out);
    buf_reserve(out, (size_t)bound + 1);
    zs.next_in = (Bytef *)(uintptr_t)data;
    zs.avail_in = (uInt)len;
    zs.next_out = (Bytef *)out->data;
    zs.avail_out = (uInt)bound;
    int rc = deflate(&zs, Z_FINISH);
    size_t got = (size_t)zs.total_out;
    deflateEnd(&zs);
    if (rc != Z_STREAM_END)
        return -1;
    out->len = got;
    return 0;
}

/* ---- metrics ---- */

static const char *const route_names[RG_N] = {
    [RG_INDEX] = "index",   [RG_STORY] = "story",     [RG_API_STORIES] = "api_stories",
    [RG_API_STORY] = "api_story", [RG_API_ARTICLES] = "api_articles", [RG_HEALTH] = "healthz",
    [RG_STATIC] = "static", [RG_SEARCH] = "search",   [RG_SOURCES] = "sources",
    [RG_FEEDS] = "feeds",   [RG_METRICS] = "metrics", [RG_OTHER] = "other",
};
static const int metric_statuses[MS_N - 1] = METRIC_STATUSES;
static const double metric_bounds[MB_N - 1] = METRIC_BOUNDS;

const char *metrics_route_name(int group)
{
    return group >= 0 && group < RG_N ? route_names[group] : "other";
}

int metrics_status_of(int index)
{
    return index >= 0 && index < MS_N - 1 ? metric_statuses[index] : 0;
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The route group a URL belongs to: a small fixed set, so that a scan of
 * random URLs cannot grow the label space. */
static int route_group(const char *url)
{
    if (strcmp(url, "/") == 0)
        return RG_INDEX;
    if (strncmp(url, "/feed.", 6) == 0 || (strncmp(url, "/story/", 7) == 0 && has_suffix(url, ".atom")))
        return RG_FEEDS;
    if (strncmp(url, "/story/", 7) == 0)
        return RG_STORY;
    if (strcmp(url, "/api/stories") == 0)
        return RG_API_STORIES;
    if (strncmp(url, "/api/stories/", 13) == 0)
        return RG_API_STORY;
    if (strncmp(url, "/api/articles/", 14) == 0)
        return RG_API_ARTICLES;
    if (strcmp(url, "/healthz") == 0)
        return RG_HEALTH;
    if (strcmp(url, "/metrics") == 0)
        return RG_METRICS;
    if (strncmp(url, "/static/", 8) == 0)
        return RG_STATIC;
    if (strcmp(url, "/search") == 0 || strcmp(url, "/api/search") == 0)
        return RG_SEARCH;
    if (strcmp(url, "/sources") == 0 || strncmp(url, "/source/", 8) == 0 || strcmp(url, "/api/sources") == 0 ||
        strncmp(url, "/api/sources/", 13) == 0)
        return RG_SOURCES;
    return RG_OTHER;
}

static void metrics_record(HttpMetrics *m, int group, int status, uint64_t ns)
{
    int si = MS_N - 1;
    for (int i = 0; i < MS_N - 1; i++)
        if (metric_statuses[i] == status)
            si = i;
    int bi = MB_N - 1;
    double secs = (double)ns / 1e9;
    for (int i = 0; i < MB_N - 1; i++)
        if (secs <= metric_bounds[i]) {
            bi = i;
            break;
        }
    atomic_fetch_add_explicit(&m->requests[group][si], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->buckets[group][bi], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->sum_ns[group], ns, memory_order_relaxed);
}

/* ---- routes ---- */

/* ---- responses ---- */

/* The headers of a reply: validators, caching, content type and the
 * security headers. gzipped: the body is the gzip variant (its strong tag
 * is "<tag>-gz"); varies: the representation depends on Accept-Encoding. */
static void add_headers(struct MHD_Response *resp, const Reply *r, int status, int gzipped, int varies)
{
    if (r->content_type && status != 304)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
    if (gzipped && status != 304)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
    if (varies)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
    if (r->cache)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, r->cache);
    if (r->etag[0]) {
        /* a strong validator names one exact byte sequence, so the gzip
         * variant has a tag of its own: "<tag>-gz" */
        char tag[72];
        size_t tl = strlen(r->etag);
        if (gzipped && tl >= 2 && r->etag[tl - 1] == '"')
            snprintf(tag, sizeof tag, "%.*s-gz\"", (int)(tl - 1), r->etag);
        else
            snprintf(tag, sizeof tag, "%s", r->etag);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, tag);
    }
    if (r->last_modified > 0) {
        char date[40];
        time_format_http(r->last_modified, date, sizeof date);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_LAST_MODIFIED, date);
    }
    if (r->allow)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    if (r->close)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    if (r->location[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, r->location);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "strict-origin-when-cross-origin");
    if (r->html)
        /* Pages need no script at all; saying so stops any that slipped in. */
        MHD_add_response_header(resp, "Content-Security-Policy",
                                "default-src 'none'; style-src 'self'; img-src http: https: data:; "
                                "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
}

/* A cache entry for the 200 reply r (its body, validators and headers):
 * the responses are made once here, with the body compressed once at
 * level 9, and then queued for every request that finds the entry. NULL
 * when MHD cannot make a response (out of memory). */
static CachedPage *page_make(const Reply *r, int64_t story_id, int version)
{
    CachedPage *p = xcalloc(1, sizeof *p);
    p->story_id = story_id;
    p->version = version;
    p->last_modified = r->last_modified;
    snprintf(p->etag, sizeof p->etag, "%s", r->etag);
    p->html = r->html;
    p->content_type = r->content_type;
    p->cache_control = r->cache;
    size_t len = r->body.len;
    Buf gz = {0};
    int gzipped = len >= GZIP_MIN && gzip_body(r->body.data, len, 9, &gz) == 0 && gz.len < len;
    int varies = len >= GZIP_MIN;
    char *copy = xmalloc(len + 1);
    memcpy(copy, r->body.data ? r->body.data : "", len);
    p->resp[0] = MHD_create_response_from_buffer(len, copy, MHD_RESPMEM_MUST_FREE);
    if (!p->resp[0])
        free(copy);
    p->bytes = len;
    if (gzipped) {
        size_t glen = gz.len;
        char *g = buf_detach(&gz);
        p->resp[1] = MHD_create_response_from_buffer(glen, g, MHD_RESPMEM_MUST_FREE);
        if (!p->resp[1])
            free(g);
        p->bytes += glen;
    }
    buf_free(&gz);
    for (int i = 0; i < 2; i++)
        if (i == 0 || p->resp[1])
            p->resp304[i] = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!p->resp[0] || (gzipped && !p->resp[1]) || !p->resp304[0] || (p->resp[1] && !p->resp304[1])) {
        page_cache_discard(p);
        return NULL;
    }
    for (int i = 0; i < 2; i++) {
        if (!p->resp[i])
            continue;
        add_headers(p->resp[i], r, 200, i, varies);
        add_headers(p->resp304[i], r, 304, i, 1);
    }
    /* headers and MHD's own bookkeeping, roughly */
    p->bytes += 2048;
    return p;
}

/* Answers r from cache entry p (whose reference r takes over). */
static void reply_from_page(Reply *r, CachedPage *p)
{
    r->status = 200;
    r->content_type = p->content_type;
    r->cache = p->cache_control;
    r->html = p->html;
    r->last_modified = p->last_modified;
    memcpy(r->etag, p->etag, sizeof r->etag);
    buf_reset(&r->body);
    r->page = p;
}

/* Renders and caches the 200 reply r under key (fresh at epoch); r then
 * answers from the entry. Without memory for an entry r stays as it is. */
static void cache_reply(Server *sv, Reply *r, const char *key, int64_t story_id, int version, uint64_t epoch)
{
    CachedPage *p = page_make(r, story_id, version);
    if (p)
        reply_from_page(r, page_cache_put(&sv->cache, key, p, epoch));
}

/* ---- routes ---- */

static void route_index(Server *sv, struct MHD_Connection *c, Reply *r)
{
    long page;
    if (query_number(c, "page", 1, MAX_PAGE_NUMBER, 1, &page) < 0) {
        reply_html_error(r, 400, "The page number must be a whole number from 1.");
        return;
    }
    /* The front pages depend on nothing but the database (the ranking
     * measures age from the newest story, not the clock): an entry is
     * good while the database is unchanged. */
    SwErr err;
    uint64_t epoch;
    if (server_epoch(sv, &epoch, &err) < 0) {
        reply_store_error(r, 0, &err);
        return;
    }
    char key[32];
    snprintf(key, sizeof key, "i/%ld", page);
    int fresh;
    CachedPage *p = page_cache_get(&sv->cache, key, epoch, &fresh);
    if (p && fresh) {
        reply_from_page(r, p);
        return;
    }
    page_cache_release(&sv->cache, p);
    Store *s = server_store(sv, &err);
    if (!s) {
        reply_store_error(r, 0, &err);
        return;
    }
    Arena a = {0};
    StoryRow *rows = NULL;
    size_t n = 0;
    /* one more than a page tells whether a next page exists */
    int64_t last = 0;
    if (store_web_last_update(s, &last, &err) < 0 ||
        store_web_top_stories(s, INDEX_PAGE_SIZE + 1, (size_t)(page - 1) * INDEX_PAGE_SIZE, &a, &rows, &n,
                              &err) < 0) {
        reply_store_error(r, 0, &err);
    } else if (n == 0 && page > 1) {
        reply_html_error(r, 404, "There are no stories on this page.");
    } else {
        int has_next = n > INDEX_PAGE_SIZE;
        render_html_index(rows, has_next ? INDEX_PAGE_SIZE : n, (int)page, has_next, &r->body);
        r->status = 200;
        r->content_type = "text/html; charset=utf-8";
        r->cache = "public, max-age=60";
        r->html = 1;
        r->last_modified = last;
        cache_reply(sv, r, key, 0, 0, epoch);
    }
    free(rows);
    arena_free(&a);
}

int reply_moved(Store *s, const char *slug, const char *prefix, const char *suffix, int api, Reply *r,
                SwErr *err)
{
    Arena a = {0};
    StoryRow row;
    int rc = store_story_redirect(s, slug, &a, &row, err);
    if (rc < 0) {
        reply_store_error(r, api, err);
        arena_free(&a);
        return 1;
    }
    /* the slug percent-encoded: a Location is a URI, and slugs of other
     * scripts are UTF-8 */
    Buf loc = {0};
    if (rc == 0 && row.slug) {
        buf_puts(&loc, prefix);
        render_slug(&loc, row.slug);
        buf_puts(&loc, suffix);
    }
    int moved = rc == 0 && row.slug && row.page_version > 0 &&
                (size_t)snprintf(r->location, sizeof r->location, "%s", buf_cstr(&loc)) < sizeof r->location;
    buf_free(&loc);
    if (moved) {
        r->status = 301;
        r->cache = "public, max-age=3600";
        r->content_type = "text/plain; charset=utf-8";
        buf_printf(&r->body, "Moved to %s\n", r->location);
    } else {
        r->location[0] = '\0';
    }
    arena_free(&a);
    return moved;
}

/* /story/<slug> (html = 1) and /api/stories/<slug> (html = 0). A fresh
 * cache entry answers with no database read but the data version; one
 * that is not fresh is checked against the story row, the page is read
 * and rendered only when the row names a version the cache lacks. */
static void route_story(Server *sv, struct MHD_Connection *c, const char *slug, int html, Reply *r)
{
    int api = !html;
    if (!slug_valid(slug)) {
        reply_error(r, api, 404, "There is no story at this address.");
        return;
    }
    SwErr err;
    uint64_t epoch;
    if (server_epoch(sv, &epoch, &err) < 0) {
        reply_store_error(r, api, &err);
        return;
    }
    char key[SLUG_MAX + 3];
    key[0] = html ? 's' : 'j';
    key[1] = '/';
    memcpy(key + 2, slug, strlen(slug) + 1); /* slug_valid: at most SLUG_MAX bytes */
    int fresh;
    CachedPage *p = page_cache_get(&sv->cache, key, epoch, &fresh);
    if (p && fresh) {
        reply_from_page(r, p);
        return;
    }
    Store *s = server_store(sv, &err);
    if (!s) {
        page_cache_release(&sv->cache, p);
        reply_store_error(r, api, &err);
        return;
    }
    Arena a = {0};
    Buf json = {0};
    StoryRow row;
    int version = 0;
    int rc = store_story_by_slug(s, slug, &a, &row, &err);
    if (rc == 0 && row.page_version == 0)
        rc = STORE_NOT_FOUND;
    if (rc == 0 && p && p->story_id == row.id && p->version == row.page_version &&
        p->last_modified == row.updated) {
        /* the cached version is still the latest */
        page_cache_mark_fresh(&sv->cache, p, epoch);
        reply_from_page(r, p);
        goto done;
    }
    page_cache_release(&sv->cache, p);
    if (rc == 0) {
        version = row.page_version;
        snprintf(r->etag, sizeof r->etag, html ? "\"%lld-%d\"" : "\"%lld-%d-json\"", (long long)row.id,
                 version);
        r->cache = "public, max-age=60";
        r->last_modified = row.updated;
        if (not_modified(c, r)) {
            r->status = 304;
            goto done;
        }
        rc = store_page_get(s, row.id, 0, &json, &version, &err);
    }
    if (rc == STORE_NOT_FOUND && reply_moved(s, slug, html ? "/story/" : "/api/stories/", "", api, r, &err) != 0)
        goto done;
    if (rc == STORE_NOT_FOUND) {
        reply_error(r, api, 404, "There is no story at this address.");
        goto done;
    }
    if (rc < 0) {
        reply_store_error(r, api, &err);
        goto done;
    }
    /* a version written since the story row was read: name it */
    snprintf(r->etag, sizeof r->etag, html ? "\"%lld-%d\"" : "\"%lld-%d-json\"", (long long)row.id, version);
    if (html) {
        Page page;
        if (page_from_json(&a, json.data, json.len, &page, &err) < 0) {
            log_warn("serve: story %lld: %s", (long long)row.id, err.msg);
            r->etag[0] = '\0';
            reply_html_error(r, 500, "This story's page could not be read.");
            goto done;
        }
        WebPageVersion *versions = NULL;
        size_t n_versions = 0;
        if (store_web_page_versions(s, row.id, STORY_HISTORY_MAX, &a, &versions, &n_versions, &err) < 0) {
            /* the history is an extra: the page is still worth serving */
            log_warn("serve: story %lld: %s", (long long)row.id, err.msg);
        }
        render_html_page_history(&page, versions, n_versions, &r->body);
        free(versions);
        r->content_type = "text/html; charset=utf-8";
        r->html = 1;
    } else {
        buf_append(&r->body, json.data ? json.data : "", json.len);
        r->content_type = "application/json; charset=utf-8";
    }
    r->status = 200;
    /* the row and the page agree: the rendering stands for the row's
     * version (a newer page is served but not kept; the next request
     * reads the newer row) */
    if (version == row.page_version)
        cache_reply(sv, r, key, row.id, version, epoch);
done:
    buf_free(&json);
    arena_free(&a);
}

/* A cursor names the last story of a page by its sort key (last_published,
 * id) as 32 hex digits: opaque to clients, cheap to check. */
static void cursor_encode(const StoryRow *r, char out[33])
{
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)r->last_published, (unsigned long long)r->id);
}

static int cursor_decode(const char *v, int64_t *time, int64_t *id)
{
    if (strlen(v) != 32 || strspn(v, "0123456789abcdef") != 32)
        return -1;
    char half[17];
    memcpy(half, v, 16);
    half[16] = '\0';
    *time = (int64_t)strtoull(half, NULL, 16);
    *id = (int64_t)strtoull(v + 16, NULL, 16);
    return *time >= 0 && *id >= 0 ? 0 : -1;
}

/* since= / until=: RFC 3339 or YYYY-MM-DD (until a date means the end of
 * that day). 0 with *out = 0 when absent, -1 when not a date. */
static int query_time(struct MHD_Connection *c, const char *key, int end_of_day, int64_t *out)
{
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, key);
    *out = 0;
    if (!v)
        return 0;
    size_t n = strlen(v);
    /* only dates: not the bare Unix seconds time_parse also takes */
    if (n < 10 || n > 40 || v[4] != '-' || time_parse(v, out) < 0)
        return -1;
    if (end_of_day && n == 10)
        *out += 86399;
    return 0;
}

/* A short query argument of printable bytes (outlet names, language
 * tags): 0 with *out (NULL when absent), -1 when empty, too long or
 * holding control characters. */
static int query_text(struct MHD_Connection *c, const char *key, size_t max, const char **out)
{
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, key);
    *out = v;
    if (!v)
        return 0;
    size_t n = strlen(v);
    if (n == 0 || n > max)
        return -1;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return -1;
    return 0;
}

static void route_api_list(Server *sv, struct MHD_Connection *c, Reply *r)
{
    long limit, offset;
    WebStoryQuery q = {0};
    const char *cursor = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "cursor");
    if (query_number(c, "limit", 1, API_LIMIT_MAX, API_LIMIT_DEFAULT, &limit) < 0) {
        reply_json_error(r, 400, "limit must be a whole number from 1 to 100");
        return;
    }
    if (query_number(c, "offset", 0, 999999999, 0, &offset) < 0) {
        reply_json_error(r, 400, "offset must be a whole number from 0");
        return;
    }
    if (cursor && cursor_decode(cursor, &q.cursor_time, &q.cursor_id) < 0) {
        reply_json_error(r, 400, "cursor must be a next_cursor value from an earlier response");
        return;
    }
    if (query_time(c, "since", 0, &q.since) < 0 || query_time(c, "until", 1, &q.until) < 0) {
        reply_json_error(r, 400, "since and until must be dates: YYYY-MM-DD or RFC 3339");
        return;
    }
    if (query_text(c, "source", 200, &q.source) < 0) {
        reply_json_error(r, 400, "source must be an outlet name of 1 to 200 bytes");
        return;
    }
    if (query_text(c, "lang", 35, &q.lang) < 0 || (q.lang && strspn(q.lang, "abcdefghijklmnopqrstuvwxyz"
                                                                           "ABCDEFGHIJKLMNOPQRSTUVWXYZ-") !=
                                                                   strlen(q.lang))) {
        reply_json_error(r, 400, "lang must be a language code such as en");
        return;
    }
    q.has_cursor = cursor != NULL;
    q.limit = (size_t)limit + 1; /* one more tells whether more exist */
    q.offset = (size_t)offset;
    SwErr err;
    Store *s = server_store(sv, &err);
    if (!s) {
        reply_store_error(r, 1, &err);
        return;
    }
    Arena a = {0};
    StoryRow *rows = NULL;
    size_t n = 0;
    if (store_web_stories(s, &q, &a, &rows, &n, &err) < 0) {
        reply_store_error(r, 1, &err);
    } else {
        int more = n > (size_t)limit;
        size_t shown = more ? (size_t)limit : n;
        buf_puts(&r->body, "{\"stories\":");
        render_json_story_list(rows, shown, &r->body);
        buf_printf(&r->body, ",\"limit\":%ld,\"offset\":%ld,\"has_more\":%s,\"next_cursor\":", limit, offset,
                   more ? "true" : "false");
        if (more) {
            char next[33];
            cursor_encode(&rows[shown - 1], next);
            buf_printf(&r->body, "\"%s\"", next);
        } else {
            buf_puts(&r->body, "null");
        }
        buf_puts(&r->body, "}\n");
        r->status = 200;
        r->content_type = "application/json; charset=utf-8";
        r->cache = "public, max-age=60";
    }
    free(rows);
    arena_free(&a);
}

/* /api/articles/<id>: one stored article with its story's slug. */
static void route_api_article(Server *sv, const char *id_text, Reply *r)
{
    size_t len = strlen(id_text);
    if (len == 0 || len > 18 || strspn(id_text, "0123456789") != len) {
        reply_json_error(r, 404, "There is no article at this address.");
        return;
    }
    int64_t id = (int64_t)strtoll(id_text, NULL, 10);
    SwErr err;
    Store *s = server_store(sv, &err);
    if (!s) {
        reply_store_error(r, 1, &err);
        return;
    }
    Arena a = {0};
    WebArticle art;
    int rc = store_web_article(s, id, &a, &art, &err);
    if (rc == STORE_NOT_FOUND) {
        reply_json_error(r, 404, "There is no article at this address.");
    } else if (rc < 0) {
        reply_store_error(r, 1, &err);
    } else {
        Buf *b = &r->body;
        buf_printf(b, "{\"id\":%lld,\"url\":", (long long)art.id);
        buf_json_cstr(b, art.url);
        buf_puts(b, ",\"outlet\":");
        buf_json_cstr(b, art.outlet);
        buf_puts(b, ",\"title\":");
        buf_json_cstr(b, art.title);
        buf_puts(b, ",\"text\":");
        buf_json_cstr(b, art.text);
        buf_puts(b, ",\"published\":");
        buf_json_time(b, art.published);
        buf_puts(b, ",\"lang\":");
        buf_json_cstr(b, art.lang);
        buf_puts(b, ",\"author\":");
        buf_json_cstr(b, art.author);
        buf_puts(b, ",\"image\":");
        buf_json_cstr(b, art.image);
        buf_puts(b, ",\"story\":");
        buf_json_cstr(b, art.story_slug);
        buf_puts(b, "}\n");
        r->status = 200;
        r->content_type = "application/json; charset=utf-8";
        r->cache = "public, max-age=300";
    }
    arena_free(&a);
}

static void route_health(Server *sv, Reply *r)
{
    SwErr err;
    StoreCounts counts;
    Store *s = server_store(sv, &err);
    r->content_type = "application/json; charset=utf-8";
    r->cache = "no-store";
    if (!s || store_counts(s, &counts, &err) < 0) {
        log_warn("serve: health check: %s", err.msg);
        r->status = 503;
        buf_puts(&r->body, "{\"status\":\"error\",\"error\":\"the database cannot be read\"}\n");
        return;
    }
    r->status = 200;
    buf_printf(&r->body, "{\"status\":\"ok\",\"articles\":%lld,\"stories\":%lld}\n", (long long)counts.articles,
               (long long)counts.stories);
}

/* Route groups of the other files of src/web (search, feeds, sources...).
 * Each is declared weak in web_internal.h, so a group is served when its
 * file is part of the build. Returns 1 when a group answered. */
static int route_groups(Server *sv, struct MHD_Connection *c, const char *url, Reply *r)
{
    RouteGroupFn groups[] = {routes_search, routes_feeds, routes_sources, routes_metrics};
    for (size_t i = 0; i < sizeof groups / sizeof *groups; i++)
        if (groups[i] && groups[i](sv, c, url, r))
            return 1;
    return 0;
}

static void route(Server *sv, struct MHD_Connection *c, const char *url, Reply *r)
{
    int api = strncmp(url, "/api/", 5) == 0 || strcmp(url, "/api") == 0;
    if (strcmp(url, "/") == 0)
        route_index(sv, c, r);
    else if (strncmp(url, "/story/", 7) == 0 && !has_suffix(url, ".atom")) /* .atom: routes_feeds */
        route_story(sv, c, url + 7, 1, r);
    else if (strcmp(url, "/api/stories") == 0)
        route_api_list(sv, c, r);
    else if (strncmp(url, "/api/stories/", 13) == 0)
        route_story(sv, c, url + 13, 0, r);
    else if (strncmp(url, "/api/articles/", 14) == 0)
        route_api_article(sv, url + 14, r);
    else if (strcmp(url, "/healthz") == 0)
        route_health(sv, r);
    else if (route_groups(sv, c, url, r))
        ;
    else if (strcmp(url, "/static/style.css") == 0) {
        r->status = 200;
        r->content_type = "text/css; charset=utf-8";
        r->cache = "public, max-age=3600";
        r->fixed_body = render_stylesheet;
        r->fixed_len = strlen(render_stylesheet);
    } else
        reply_error(r, api, 404, "There is nothing at this address.");
}

/* For a 304 to a client that takes gzip: 1 when the copy it revalidates
 * is the gzip one (its If-None-Match names a "-gz" tag, or it sent only
 * If-Modified-Since), so that the 304 names the tag of the copy it has. */
static int holds_gzip_copy(struct MHD_Connection *c)
{
    const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    return !inm || strstr(inm, "-gz\"") != NULL;
}

/* Turns the Reply into an MHD response: gzip when the client accepts it
 * and the body is worth it, validators, caching and security headers.
 * HEAD gets the same headers as GET (Content-Length included: MHD takes
 * it from the response and leaves the body out). A reply from the page
 * cache queues the entry's ready-made response: the 304 or 200 of the
 * variant the client accepts. */
static MhdResult send_reply(struct MHD_Connection *c, Reply *r)
{
    if (r->page && (r->status == 200 || r->status == 304)) {
        int gz = r->page->resp[1] && accepts_gzip(c) && (r->status == 200 || holds_gzip_copy(c));
        return MHD_queue_response(c, (unsigned int)r->status,
                                  r->status == 304 ? r->page->resp304[gz] : r->page->resp[gz]);
    }
    const char *data = "";
    size_t len = 0;
    if (r->status == 304) {
        len = 0;
    } else if (r->fixed_body) {
        data = r->fixed_body;
        len = r->fixed_len;
    } else if (r->body.data) {
        data = r->body.data;
        len = r->body.len;
    }
    /* whether this URL's representation depends on Accept-Encoding: the
     * same answer for a 304 as for the 200 it stands for */
    int varies = r->status == 304 || len >= GZIP_MIN;
    Buf gz = {0};
    int gzipped = len >= GZIP_MIN && accepts_gzip(c) && gzip_body(data, len, 5, &gz) == 0 && gz.len < len;

    struct MHD_Response *resp;
    if (gzipped) {
        size_t glen = gz.len;
        resp = MHD_create_response_from_buffer(glen, buf_detach(&gz), MHD_RESPMEM_MUST_FREE);
    } else if (r->status == 304 || r->fixed_body) {
        resp = MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_PERSISTENT);
    } else {
        resp = MHD_create_response_from_buffer(len, buf_detach(&r->body), MHD_RESPMEM_MUST_FREE);
    }
    buf_free(&gz);
    if (!resp)
        return MHD_NO;
    /* a 304 names the gzip tag only when the client's own tag is one: the
     * size of the body it stands for is not known here */
    int gz_tag = r->status == 304 && accepts_gzip(c) &&
                 MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH) &&
                 holds_gzip_copy(c);
    add_headers(resp, r, r->status, gzipped || gz_tag, varies);
    MhdResult ret = MHD_queue_response(c, (unsigned int)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* Markers MHD keeps for a request in *con_cls. uri_checked: the request
 * line was seen and is within URL_MAX; uri_too_long: it is not; and
 * headers_seen: the first call to on_request is past. */
static int uri_checked, uri_too_long, headers_seen;

/* MHD_OPTION_URI_LOG_CALLBACK: called with the raw request target (path
 * and query, before decoding) as soon as the request line is read; its
 * return value becomes the request's *con_cls. No allocation, so nothing
 * to free when MHD drops the request early. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    return strlen(uri) > URL_MAX ? &uri_too_long : &uri_checked;
}

static MhdResult add_header_size(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    size_t *total = cls;
    *total += strlen(key) + (value ? strlen(value) : 0) + 4; /* ": " and CRLF */
    return MHD_YES;
}

/* MHD calls this at least twice per request: once when the headers are in,
 * then with the body (if any) and finally with nothing left. GET and HEAD
 * are answered on the last call, which lets MHD keep the connection alive;
 * any other method, and a request over our limits, is refused at once (MHD
 * then closes the connection rather than read a body nobody wants). */
static MhdResult on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                            const char *version, const char *upload_data, size_t *upload_data_size,
                            void **con_cls)
{
    Server *sv = cls;
    Reply r = {0};
    int api = strncmp(url, "/api/", 5) == 0 || strcmp(url, "/api") == 0;
    size_t header_bytes = 0;
    if (*con_cls != &headers_seen)
        MHD_get_connection_values(c, MHD_HEADER_KIND, add_header_size, &header_bytes);
    if (*con_cls == &uri_too_long) {
        reply_error(&r, api, 414, "The address is too long: at most 2048 bytes are read.");
        r.close = 1;
    } else if (header_bytes > HEADERS_MAX) {
        reply_error(&r, api, 431, "The request headers are too large: at most 8192 bytes are read.");
        r.close = 1;
    } else if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
        reply_error(&r, api, 405, "Only GET and HEAD requests are answered here.");
        r.allow = 1;
    } else if (*con_cls != &headers_seen) {
        *con_cls = &headers_seen;
        return MHD_YES;
    } else if (*upload_data_size) {
        *upload_data_size = 0; /* a GET body means nothing here */
        return MHD_YES;
    }
    uint64_t t0 = now_ns();
    if (r.status == 0) {
        route(sv, c, url, &r);
        if (r.status == 200 && not_modified(c, &r)) {
            r.status = 304;
            buf_reset(&r.body);
        }
    }
    MhdResult ret = send_reply(c, &r);
    metrics_record(&sv->metrics, route_group(url), r.status, now_ns() - t0);
    page_cache_release(&sv->cache, r.page);
    buf_free(&r.body);
    return ret;
}

/* ---- listening ---- */

/* Binds and listens on addr:port; returns the socket or -1 with err. */
static int listen_on(const char *addr, uint16_t port, uint16_t *bound, SwErr *err)
{
    struct sockaddr_storage ss;
    socklen_t sslen;
    memset(&ss, 0, sizeof ss);
    char host[64];
    if (!addr || !*addr || strcmp(addr, "localhost") == 0)
        addr = "127.0.0.1";
    /* "[::1]" -> "::1" */
    size_t alen = strlen(addr);
    if (alen >= 2 && addr[0] == '[' && addr[alen - 1] == ']' && alen - 2 < sizeof host) {
        memcpy(host, addr + 1, alen - 2);
        host[alen - 2] = '\0';
    } else {
        snprintf(host, sizeof host, "%s", addr);
    }
    struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        sslen = sizeof *v4;
    } else if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        sslen = sizeof *v6;
    } else {
        return sw_err(err, "cannot listen on '%s': not an IPv4 or IPv6 address", addr);
    }
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return sw_err(err, "cannot listen on %s port %u: %s", addr, (unsigned)port, strerror(errno));
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&ss, sslen) < 0 || listen(fd, 128) < 0) {
        int e = errno;
        close(fd);
        return sw_err(err, "cannot listen on %s port %u: %s", addr, (unsigned)port, strerror(e));
    }
    struct sockaddr_storage got;
    socklen_t glen = sizeof got;
    if (getsockname(fd, (struct sockaddr *)&got, &glen) == 0)
        *bound = ntohs(got.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&got)->sin6_port
                                                 : ((struct sockaddr_in *)&got)->sin_port);
    else
        *bound = port;
    return fd;
}

/* Opens the database once before serving, so that a missing file or one
 * that is not a storywire database is reported at start, not per request. */
static int check_database(const char *path, SwErr *err)
{
    Store *s;
    StoreCounts counts;
    if (store_open(path, 1, &s, err) < 0) {
        sw_err_prefix(err, "cannot serve");
        return -1;
    }
    int rc = store_counts(s, &counts, err);
    store_close(s);
    if (rc < 0) {
        sw_err_prefix(err, "cannot serve %s: not a readable storywire database", path);
        return -1;
    }
    return 0;
}

int server_run(const ServerConfig *cfg, SwErr *err)
{
    if (!cfg || !cfg->db_path)
        return sw_err(err, "cannot serve: no database path given");
    if (check_database(cfg->db_path, err) < 0)
        return -1;

    const char *addr = cfg->listen_addr && *cfg->listen_addr ? cfg->listen_addr : "127.0.0.1";
    uint16_t port = 0;
    int listen_fd = listen_on(addr, cfg->port, &port, err);
    if (listen_fd < 0)
        return -1;

    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC | O_NONBLOCK) < 0) {
        close(listen_fd);
        return sw_err(err, "cannot serve: pipe: %s", strerror(errno));
    }

    Server sv = {.db_path = cfg->db_path, .base_url = cfg->base_url};
    size_t plen = strlen(cfg->db_path);
    sv.wal_path = xmalloc(plen + 5);
    memcpy(sv.wal_path, cfg->db_path, plen);
    memcpy(sv.wal_path + plen, "-wal", 5);
    pthread_mutex_init(&sv.lock, NULL);
    page_cache_init(&sv.cache, cfg->cache_bytes == SERVER_CACHE_OFF ? 0
                               : cfg->cache_bytes ? cfg->cache_bytes
                                                  : PAGE_CACHE_DEFAULT_BYTES);
    if (pthread_key_create(&sv.worker_key, NULL) != 0) {
        close(listen_fd);
        close(pipefd[0]);
        close(pipefd[1]);
        pthread_mutex_destroy(&sv.lock);
        page_cache_free(&sv.cache);
        free(sv.wal_path);
        return sw_err(err, "cannot serve: out of thread-specific keys");
    }

    unsigned threads = cfg->threads ? cfg->threads : 4;
    if (threads > 256)
        threads = 256;
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_AUTO_INTERNAL_THREAD, port, NULL, NULL, on_request, &sv,
        MHD_OPTION_LISTEN_SOCKET, (MHD_socket)listen_fd,
        MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)CONNECTION_LIMIT,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)CONNECTION_TIMEOUT_S,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
        MHD_OPTION_END);
    if (!d) {
        close(listen_fd);
        close(pipefd[0]);
        close(pipefd[1]);
        pthread_key_delete(sv.worker_key);
        pthread_mutex_destroy(&sv.lock);
        page_cache_free(&sv.cache);
        free(sv.wal_path);
        return sw_err(err, "cannot serve on %s port %u: the HTTP server did not start", addr, (unsigned)port);
    }

    stop_requested = 0;
    stop_pipe_w = pipefd[1];
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);

    if (cfg->on_ready)
        cfg->on_ready(cfg->ctx, addr, port);

    while (!stop_requested) {
        struct pollfd pfd = {.fd = pipefd[0], .events = POLLIN};
        if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
            break;
        char drain[16];
        while (read(pipefd[0], drain, sizeof drain) > 0) {
        }
    }

    MHD_stop_daemon(d); /* joins the workers and closes listen_fd */
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    stop_pipe_w = -1;
    close(pipefd[0]);
    close(pipefd[1]);

    for (size_t i = 0; i < sv.n_workers; i++) {
        store_close(sv.workers[i]->store);
        free(sv.workers[i]);
    }
    free(sv.workers);
    page_cache_free(&sv.cache);
    free(sv.wal_path);
    pthread_key_delete(sv.worker_key);
    pthread_mutex_destroy(&sv.lock);
    return 0;
}
