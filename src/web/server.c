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
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../core/arena.h"
#include "../core/buf.h"
#include "../core/log.h"
#include "../render/render.h"
#include "../store/store.h"

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
/* Bounds what one connection may hold (request line and headers included):
 * a request with more than about 8 KB of headers is refused. */
#define CONNECTION_MEMORY 8192
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

Store *server_store(Server *sv, SwErr *err)
{
    Store *s = pthread_getspecific(sv->store_key);
    if (s)
        return s;
    if (store_open(sv->db_path, 1, &s, err) < 0)
        return NULL;
    pthread_mutex_lock(&sv->lock);
    if (sv->n_stores == sv->cap_stores) {
        sv->cap_stores = sv->cap_stores ? sv->cap_stores * 2 : 8;
        sv->stores = xrealloc(sv->stores, sv->cap_stores * sizeof *sv->stores);
    }
    sv->stores[sv->n_stores++] = s;
    pthread_mutex_unlock(&sv->lock);
    pthread_setspecific(sv->store_key, s);
    return s;
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

int slug_valid(const char *slug)
{
    size_t n = strlen(slug);
    if (n == 0 || n > SLUG_MAX)
        return 0;
    for (const char *c = slug; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-'))
            return 0;
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
    }
    return 0;
}

/* ---- routes ---- */

static void route_index(Server *sv, struct MHD_Connection *c, Reply *r)
{
    long page;
    if (query_number(c, "page", 1, MAX_PAGE_NUMBER, 1, &page) < 0) {
        reply_html_error(r, 400, "The page number must be a whole number from 1.");
        return;
    }
    SwErr err;
    Store *s = server_store(sv, &err);
    if (!s) {
        reply_store_error(r, 0, &err);
        return;
    }
    Arena a = {0};
    StoryRow *rows = NULL;
    size_t n = 0;
    /* one more than a page tells whether a next page exists */
    if (store_story_list(s, INDEX_PAGE_SIZE + 1, (size_t)(page - 1) * INDEX_PAGE_SIZE, &a, &rows, &n, &err) < 0) {
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
    }
    free(rows);
    arena_free(&a);
}

/* /story/<slug> (html = 1) and /api/stories/<slug> (html = 0). */
static void route_story(Server *sv, struct MHD_Connection *c, const char *slug, int html, Reply *r)
{
    int api = !html;
    if (!slug_valid(slug)) {
        reply_error(r, api, 404, "There is no story at this address.");
        return;
    }
    SwErr err;
    Store *s = server_store(sv, &err);
    if (!s) {
        reply_store_error(r, api, &err);
        return;
    }
    Arena a = {0};
    Buf json = {0};
    StoryRow row;
    int version = 0;
    int rc = store_story_by_slug(s, slug, &a, &row, &err);
    if (rc == 0)
        rc = store_page_get(s, row.id, 0, &json, &version, &err);
    if (rc == STORE_NOT_FOUND) {
        reply_error(r, api, 404, "There is no story at this address.");
        goto done;
    }
    if (rc < 0) {
        reply_store_error(r, api, &err);
        goto done;
    }
    snprintf(r->etag, sizeof r->etag, html ? "\"%lld-%d\"" : "\"%lld-%d-json\"", (long long)row.id, version);
    r->cache = "public, max-age=60";
    if (etag_matches(c, r->etag)) {
        r->status = 304;
        goto done;
    }
    if (html) {
        Page page;
        if (page_from_json(&a, json.data, json.len, &page, &err) < 0) {
            log_warn("serve: story %lld: %s", (long long)row.id, err.msg);
            r->etag[0] = '\0';
            reply_html_error(r, 500, "This story's page could not be read.");
            goto done;
        }
        render_html_page(&page, &r->body);
        r->content_type = "text/html; charset=utf-8";
        r->html = 1;
    } else {
        buf_append(&r->body, json.data ? json.data : "", json.len);
        r->content_type = "application/json; charset=utf-8";
    }
    r->status = 200;
done:
    buf_free(&json);
    arena_free(&a);
}

static void route_api_list(Server *sv, struct MHD_Connection *c, Reply *r)
{
    long limit, offset;
    if (query_number(c, "limit", 1, API_LIMIT_MAX, API_LIMIT_DEFAULT, &limit) < 0) {
        reply_json_error(r, 400, "limit must be a whole number from 1 to 100");
        return;
    }
    if (query_number(c, "offset", 0, 999999999, 0, &offset) < 0) {
        reply_json_error(r, 400, "offset must be a whole number from 0");
        return;
    }
    SwErr err;
    Store *s = server_store(sv, &err);
    if (!s) {
        reply_store_error(r, 1, &err);
        return;
    }
    Arena a = {0};
    StoryRow *rows = NULL;
    size_t n = 0;
    if (store_story_list(s, (size_t)limit + 1, (size_t)offset, &a, &rows, &n, &err) < 0) {
        reply_store_error(r, 1, &err);
    } else {
        int more = n > (size_t)limit;
        buf_puts(&r->body, "{\"stories\":");
        render_json_story_list(rows, more ? (size_t)limit : n, &r->body);
        buf_printf(&r->body, ",\"limit\":%ld,\"offset\":%ld,\"has_more\":%s}\n", limit, offset,
                   more ? "true" : "false");
        r->status = 200;
        r->content_type = "application/json; charset=utf-8";
        r->cache = "public, max-age=60";
    }
    free(rows);
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
    else if (strncmp(url, "/story/", 7) == 0)
        route_story(sv, c, url + 7, 1, r);
    else if (strcmp(url, "/api/stories") == 0)
        route_api_list(sv, c, r);
    else if (strncmp(url, "/api/stories/", 13) == 0)
        route_story(sv, c, url + 13, 0, r);
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

static MhdResult send_reply(struct MHD_Connection *c, Reply *r)
{
    struct MHD_Response *resp;
    if (r->status == 304) {
        resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    } else if (r->fixed_body) {
        resp = MHD_create_response_from_buffer(r->fixed_len, (void *)r->fixed_body, MHD_RESPMEM_PERSISTENT);
    } else {
        size_t len = r->body.len;
        resp = MHD_create_response_from_buffer(len, buf_detach(&r->body), MHD_RESPMEM_MUST_FREE);
    }
    if (!resp)
        return MHD_NO;
    if (r->content_type && r->status != 304)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
    if (r->cache)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, r->cache);
    if (r->etag[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, r->etag);
    if (r->allow)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "strict-origin-when-cross-origin");
    if (r->html)
        /* Pages need no script at all; saying so stops any that slipped in. */
        MHD_add_response_header(resp, "Content-Security-Policy",
                                "default-src 'none'; style-src 'self'; img-src http: https: data:; "
                                "base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    MhdResult ret = MHD_queue_response(c, (unsigned int)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* MHD calls this at least twice per request: once when the headers are in,
 * then with the body (if any) and finally with nothing left. GET and HEAD
 * are answered on the last call, which lets MHD keep the connection alive;
 * any other method is refused at once (MHD then closes the connection
 * rather than read a body nobody wants). */
static MhdResult on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                            const char *version, const char *upload_data, size_t *upload_data_size,
                            void **con_cls)
{
    static int headers_seen; /* its address marks a request past its first call */
    Server *sv = cls;
    Reply r = {0};
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
        int api = strncmp(url, "/api/", 5) == 0;
        reply_error(&r, api, 405, "Only GET and HEAD requests are answered here.");
        r.allow = 1;
    } else if (*con_cls == NULL) {
        *con_cls = &headers_seen;
        return MHD_YES;
    } else if (*upload_data_size) {
        *upload_data_size = 0; /* a GET body means nothing here */
        return MHD_YES;
    } else {
        route(sv, c, url, &r);
    }
    MhdResult ret = send_reply(c, &r);
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

    Server sv = {.db_path = cfg->db_path};
    pthread_mutex_init(&sv.lock, NULL);
    if (pthread_key_create(&sv.store_key, NULL) != 0) {
        close(listen_fd);
        close(pipefd[0]);
        close(pipefd[1]);
        pthread_mutex_destroy(&sv.lock);
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
        MHD_OPTION_END);
    if (!d) {
        close(listen_fd);
        close(pipefd[0]);
        close(pipefd[1]);
        pthread_key_delete(sv.store_key);
        pthread_mutex_destroy(&sv.lock);
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

    for (size_t i = 0; i < sv.n_stores; i++)
        store_close(sv.stores[i]);
    free(sv.stores);
    pthread_key_delete(sv.store_key);
    pthread_mutex_destroy(&sv.lock);
    return 0;
}
