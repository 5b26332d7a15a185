/* test_server.c - the HTTP server against a real database: every route,
 * status codes, content types, conditional GET, HEAD, oversized headers,
 * clean stop from code and from SIGTERM, and start-up errors.
 *
 * The database is built through the store API in a temporary directory;
 * requests are made with a tiny HTTP/1.1 client over plain sockets so the
 * test sees exactly the bytes the server sends. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/json.h"
#include "story/page.h"
#include "store/store.h"
#include "test.h"
#include "web/server.h"

static char tmpdir[] = "/tmp/sw-test-server-XXXXXX";
static char db_path[256];
static int64_t story_id;
static Buf stored_json;

/* ---- the database ---- */

static int make_database(void)
{
    snprintf(db_path, sizeof db_path, "%s/stories.db", tmpdir);
    SwErr err;
    Store *s;
    if (store_open(db_path, 0, &s, &err) < 0) {
        fprintf(stderr, "store_open: %s\n", err.msg);
        return -1;
    }
    Article art = {.url = "https://ht.example/aurora",
                   .source = "Harbour Times",
                   .title = "Ferry runs aground",
                   .text = "The ferry Aurora ran aground off the cape on Monday.\n\nTugs arrived at dawn.",
                   .lang = "en",
                   .published = 1790000000};
    int64_t article_id;
    int added;
    char blob[4] = {0};
    if (store_put_article(s, &art, &article_id, &added, &err) < 0 || store_story_new(s, &story_id, &err) < 0 ||
        store_article_set_story(s, article_id, story_id, 1.0, &err) < 0 ||
        store_story_set_state(s, story_id, blob, sizeof blob, 1790000000, 1790000000, 1, 1, &err) < 0) {
        fprintf(stderr, "store: %s\n", err.msg);
        store_close(s);
        return -1;
    }

    PageSource src = {article_id, "Harbour Times", "Ferry runs aground", "https://ht.example/aurora", 1790000000};
    PageSentence summary = {"The ferry Aurora ran aground off the cape on Monday.", 0};
    PageSentence body = {"Tugs arrived at dawn.", 0};
    PageParagraph para = {&body, 1};
    PageSection sec = {"Rescue at dawn", &para, 1};
    Page page = {.story_id = story_id,
                 .version = 1,
                 .slug = "aurora-ferry-aground",
                 .headline = "Ferry Aurora runs aground",
                 .headline_source = 0,
                 .summary = &summary,
                 .n_summary = 1,
                 .image_source = -1,
                 .sections = &sec,
                 .n_sections = 1,
                 .sources = &src,
                 .n_sources = 1,
                 .lang = "en",
                 .article_count = 1,
                 .source_count = 1,
                 .first_published = 1790000000,
                 .last_published = 1790000000,
                 .updated = 1790007200};
    page_to_json(&page, &stored_json);
    StoryRow row = {.id = story_id,
                    .slug = page.slug,
                    .headline = page.headline,
                    .summary = summary.text,
                    .first_published = 1790000000,
                    .last_published = 1790000000,
                    .updated = 1790007200,
                    .article_count = 1,
                    .source_count = 1};
    int version;
    if (store_page_put(s, &row, stored_json.data, stored_json.len, &version, &err) < 0) {
        fprintf(stderr, "store_page_put: %s\n", err.msg);
        store_close(s);
        return -1;
    }
    store_close(s);
    return 0;
}

/* ---- the server in a thread ---- */

typedef struct Running {
    pthread_t thread;
    ServerConfig cfg;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int ready, finished, rc;
    uint16_t port;
    SwErr err;
} Running;

static void on_ready(void *ctx, const char *addr, uint16_t port)
{
    Running *r = ctx;
    pthread_mutex_lock(&r->lock);
    r->port = port;
    r->ready = 1;
    pthread_cond_signal(&r->cond);
    pthread_mutex_unlock(&r->lock);
}

static void *server_thread(void *arg)
{
    Running *r = arg;
    int rc = server_run(&r->cfg, &r->err);
    pthread_mutex_lock(&r->lock);
    r->rc = rc;
    r->finished = 1;
    pthread_cond_signal(&r->cond);
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

/* Starts the server on 127.0.0.1, a free port; 0 once it listens. */
static int server_start(Running *r, const char *path)
{
    memset(r, 0, sizeof *r);
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->cond, NULL);
    r->cfg = (ServerConfig){.db_path = path, .listen_addr = "127.0.0.1", .port = 0, .threads = 2,
                            .on_ready = on_ready, .ctx = r};
    if (pthread_create(&r->thread, NULL, server_thread, r) != 0)
        return -1;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 10;
    pthread_mutex_lock(&r->lock);
    while (!r->ready && !r->finished)
        if (pthread_cond_timedwait(&r->cond, &r->lock, &until) == ETIMEDOUT)
            break;
    int ok = r->ready;
    pthread_mutex_unlock(&r->lock);
    return ok ? 0 : -1;
}

/* Waits for server_run to return; its return code, or -2 on timeout. */
static int server_wait(Running *r)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 10;
    pthread_mutex_lock(&r->lock);
    while (!r->finished)
        if (pthread_cond_timedwait(&r->cond, &r->lock, &until) == ETIMEDOUT)
            break;
    int done = r->finished, rc = r->rc;
    pthread_mutex_unlock(&r->lock);
    if (!done)
        return -2;
    pthread_join(r->thread, NULL);
    pthread_mutex_destroy(&r->lock);
    pthread_cond_destroy(&r->cond);
    return rc;
}

/* ---- a tiny HTTP client ---- */

typedef struct Response {
    int status;          /* 0 when no status line came back */
    Buf raw;             /* everything received */
    const char *body;    /* into raw */
    size_t body_len;
} Response;

static int connect_to(uint16_t port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    struct timeval tv = {10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Sends request as is and reads until the server closes. */
static void http_raw(uint16_t port, const char *request, size_t len, Response *out)
{
    memset(out, 0, sizeof *out);
    int fd = connect_to(port);
    if (fd < 0)
        return;
    size_t sent = 0;
    while (sent < len) {
        ssize_t n = send(fd, request + sent, len - sent, MSG_NOSIGNAL);
        if (n <= 0)
            break;
        sent += (size_t)n;
    }
    char chunk[4096];
    ssize_t n;
    while ((n = recv(fd, chunk, sizeof chunk, 0)) > 0)
        buf_append(&out->raw, chunk, (size_t)n);
    close(fd);
    const char *raw = buf_cstr(&out->raw);
    if (strncmp(raw, "HTTP/1.", 7) == 0 && strlen(raw) > 12)
        out->status = atoi(raw + 9);
    const char *end = strstr(raw, "\r\n\r\n");
    if (end) {
        out->body = end + 4;
        out->body_len = out->raw.len - (size_t)(out->body - raw);
    }
}

/* METHOD path with optional extra header lines ("Name: value\r\n"...). */
static void http(uint16_t port, const char *method, const char *path, const char *extra, Response *out)
{
    Buf req = {0};
    buf_printf(&req, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s\r\n", method, path,
               extra ? extra : "");
    http_raw(port, req.data, req.len, out);
    buf_free(&req);
}

/* A response header's value (case-insensitive name) copied into out, or
 * NULL when absent. */
static const char *header(const Response *r, const char *name, char *out, size_t n)
{
    const char *p = r->raw.data ? strstr(r->raw.data, "\r\n") : NULL;
    size_t nlen = strlen(name);
    while (p && p + 2 < (r->body ? r->body : p + 3)) {
        p += 2;
        if (strncasecmp(p, name, nlen) == 0 && p[nlen] == ':') {
            const char *v = p + nlen + 1;
            while (*v == ' ')
                v++;
            size_t len = strcspn(v, "\r\n");
            if (len >= n)
                len = n - 1;
            memcpy(out, v, len);
            out[len] = '\0';
            return out;
        }
        p = strstr(p, "\r\n");
    }
    return NULL;
}

static int body_has(const Response *r, const char *needle)
{
    return r->body && strstr(r->body, needle) != NULL;
}

static Running srv;
static uint16_t port;

/* ---- tests ---- */

static void test_front_page_lists_the_story(void)
{
    Response r;
    char v[256];
    http(port, "GET", "/", NULL, &r);
    CHECK_INT(r.status, 200);
    CHECK_STR(header(&r, "Content-Type", v, sizeof v), "text/html; charset=utf-8");
    CHECK_STR(header(&r, "Cache-Control", v, sizeof v), "public, max-age=60");
    CHECK(body_has(&r, "<!DOCTYPE html>"));
    CHECK(body_has(&r, "<a href=\"/story/aurora-ferry-aground\">Ferry Aurora runs aground</a>"));
    buf_free(&r.raw);
}

static void test_front_page_beyond_the_last_page_is_404(void)
{
    Response r;
    http(port, "GET", "/?page=2", NULL, &r);
    CHECK_INT(r.status, 404);
    buf_free(&r.raw);
    http(port, "GET", "/?page=abc", NULL, &r);
    CHECK_INT(r.status, 400);
    buf_free(&r.raw);
}

static void test_story_page_is_html_with_an_etag(void)
{
    Response r;
    char v[256], want[64];
    http(port, "GET", "/story/aurora-ferry-aground", NULL, &r);
    CHECK_INT(r.status, 200);
    CHECK_STR(header(&r, "Content-Type", v, sizeof v), "text/html; charset=utf-8");
    snprintf(want, sizeof want, "\"%lld-1\"", (long long)story_id);
    CHECK_STR(header(&r, "ETag", v, sizeof v), want);
    CHECK_STR(header(&r, "Cache-Control", v, sizeof v), "public, max-age=60");
    CHECK(header(&r, "Content-Security-Policy", v, sizeof v) != NULL);
    CHECK(body_has(&r, "<h1>Ferry Aurora runs aground</h1>"));
    CHECK(body_has(&r, "Tugs arrived at dawn.\xE2\x81\xA0<sup class=\"cite\"><a href=\"#src-1\""));
    CHECK(body_has(&r, "</html>"));
    buf_free(&r.raw);
}

static void test_story_page_with_matching_etag_is_304(void)
{
    Response r;
    char extra[128];
    snprintf(extra, sizeof extra, "If-None-Match: \"other\", \"%lld-1\"\r\n", (long long)story_id);
    http(port, "GET", "/story/aurora-ferry-aground", extra, &r);
    CHECK_INT(r.status, 304);
    CHECK_INT(r.body_len, 0);
    buf_free(&r.raw);
    /* a stale tag gets the page */
    http(port, "GET", "/story/aurora-ferry-aground", "If-None-Match: \"1-0\"\r\n", &r);
    CHECK_INT(r.status, 200);
    buf_free(&r.raw);
}

static void test_head_has_headers_and_no_body(void)
{
    Response r;
    char v[256];
    http(port, "HEAD", "/story/aurora-ferry-aground", NULL, &r);
    CHECK_INT(r.status, 200);
    CHECK_STR(header(&r, "Content-Type", v, sizeof v), "text/html; charset=utf-8");
    CHECK(header(&r, "Content-Length", v, sizeof v) != NULL && atoi(v) > 0);
    CHECK_INT(r.body_len, 0);
    buf_free(&r.raw);
}

static void test_unknown_and_invalid_slugs_are_404(void)
{
    Response r;
    char v[256];
    http(port, "GET", "/story/no-such-story", NULL, &r);
    CHECK_INT(r.status, 404);
    CHECK_STR(header(&r, "Content-Type", v, sizeof v), "text/html; charset=utf-8");
    CHECK(body_has(&r, "href=\"/\""));
    buf_free(&r.raw);
    http(port, "GET", "/story/Aurora_Ferry", NULL, &r);
    CHECK_INT(r.status, 404);
    buf_free(&r.raw);
    http(port, "GET", "/story/%3Cscript%3E", NULL, &r);
    CHECK_INT(r.status, 404);
    CHECK(!body_has(&r, "<script>"));
    buf_free(&r.raw);
    char path[300] = "/story/";
    memset(path + 7, 'a', 201);
    path[208] = '\0';
    http(port, "GET", path, NULL, &r);
    CHECK_INT(r.status, 404);
    buf_free(&r.raw);
    http(port, "GET", "/story/", NULL, &r);
    CHECK_INT(r.status, 404);
    buf_free(&r.raw);
}

static void test_unknown_path_is_404(void)
{
    Response r;
    char v[256];
    http(port, "GET", "/nothing/here", NULL, &r);
    CHECK_INT(r.status, 404);
    CHECK_STR(header(&r, "Content-Type", v, sizeof v), "text/html; charset=utf-8");
    buf_free(&r.raw);
    http(port, "GET", "/api/nothing", NULL, &r);
    CHECK_INT(r.status, 404);
    CHECK_STR(header(&r, "Content-Type", v, sizeof v), "application/json; charset=utf-8");
    CHECK(body_has(&r, "{\"error\":"));
    buf_free(&r.raw);
}

static void test_api_lists_stories_as_json(void)
{
    Response r;
    char v[256];
    http(port, "GET", "/api/stories", NULL, &r);
    CHECK_INT(r.status, 200);
    CHECK_STR(header(&r, "Content-Type", v, sizeof v), "application/json; charset=utf-8");
    Arena a = {0};
    SwErr err;
    JsonValue *root = r.body ? json_parse(&a, r.body, r.body_len, &err) : NULL;
    CHECK(root != NULL);
    if (root) {
        const JsonValue *stories = json_get(root, "stories");
        CHECK(stories && stories->type == JSON_ARRAY && stories->u.arr.n == 1);
        if (stories && stories->type == JSON_ARRAY && stories->u.arr.n == 1)
            CHECK_STR(json_get_str(stories->u.arr.items[0], "slug"), "aurora-ferry-aground");
        CHECK_INT(json_get_int(root, "limit", -1), 20);
        CHECK_INT(json_get_int(root, "offset", -1), 0);
    }
    arena_free(&a);
    buf_free(&r.raw);

    http(port, "GET", "/api/stories?limit=1&offset=1", NULL, &r);
    CHECK_INT(r.status, 200);
    CHECK(body_has(&r, "{\"stories\":[],\"limit\":1,\"offset\":1"));
    buf_free(&r.raw);
}

static void test_api_refuses_bad_limits(void)
{
    Response r;
    http(port, "GET", "/api/stories?limit=0", NULL, &r);
    CHECK_INT(r.status, 400);
    CHECK(body_has(&r, "\"error\""));
    buf_free(&r.raw);
    http(port, "GET", "/api/stories?limit=101", NULL, &r);
    CHECK_INT(r.status, 400);
    buf_free(&r.raw);
    http(port, "GET", "/api/stories?offset=-1", NULL, &r);
    CHECK_INT(r.status, 400);
    buf_free(&r.raw);
}

static void test_api_story_is_the_stored_page_json(void)
{
    Response r;
    char v[256];
    http(port, "GET", "/api/stories/aurora-ferry-aground", NULL, &r);
    CHECK_INT(r.status, 200);
    CHECK_STR(header(&r, "Content-Type", v, sizeof v), "application/json; charset=utf-8");
    CHECK_INT(r.body_len, stored_json.len);
    CHECK(r.body && memcmp(r.body, stored_json.data, stored_json.len) == 0);
    buf_free(&r.raw);
    http(port, "GET", "/api/stories/no-such-story", NULL, &r);
    CHECK_INT(r.status, 404);
    CHECK(body_has(&r, "{\"error\":"));
    buf_free(&r.raw);
}

static void test_healthz_reports_counts(void)
{
    Response r;
    char v[256];
    http(port, "GET", "/healthz", NULL, &r);
    CHECK_INT(r.status, 200);
    CHECK_STR(header(&r, "Content-Type", v, sizeof v), "application/json; charset=utf-8");
    CHECK(body_has(&r, "{\"status\":\"ok\",\"articles\":1,\"stories\":1}"));
    buf_free(&r.raw);
}

static void test_stylesheet_is_served_as_css(void)
{
    Response r;
    char v[256];
    http(port, "GET", "/static/style.css", NULL, &r);
    CHECK_INT(r.status, 200);
    CHECK_STR(header(&r, "Content-Type", v, sizeof v), "text/css; charset=utf-8");
    CHECK(body_has(&r, "prefers-color-scheme"));
    buf_free(&r.raw);
}

static void test_other_methods_are_405_with_allow(void)
{
    Response r;
    char v[256];
    http(port, "POST", "/", "Content-Length: 5\r\nContent-Type: text/plain\r\n", &r);
    CHECK_INT(r.status, 405);
    CHECK_STR(header(&r, "Allow", v, sizeof v), "GET, HEAD");
    buf_free(&r.raw);
    http(port, "DELETE", "/story/aurora-ferry-aground", NULL, &r);
    CHECK_INT(r.status, 405);
    CHECK_STR(header(&r, "Allow", v, sizeof v), "GET, HEAD");
    buf_free(&r.raw);
    http(port, "PUT", "/api/stories", NULL, &r);
    CHECK_INT(r.status, 405);
    CHECK(body_has(&r, "{\"error\":"));
    buf_free(&r.raw);
}

static void test_connection_is_kept_alive_between_requests(void)
{
    const char *two = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                      "GET /static/style.css HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    Response r;
    http_raw(port, two, strlen(two), &r);
    CHECK_INT(r.status, 200);
    CHECK(strstr(buf_cstr(&r.raw), "\"status\":\"ok\"") != NULL);
    CHECK(strstr(buf_cstr(&r.raw), "Content-Type: text/css; charset=utf-8") != NULL);
    buf_free(&r.raw);
}

static void test_get_with_a_body_is_still_answered(void)
{
    const char *req = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                      "Content-Length: 11\r\n\r\nhello world";
    Response r;
    http_raw(port, req, strlen(req), &r);
    CHECK_INT(r.status, 200);
    buf_free(&r.raw);
}

static void test_oversized_header_is_refused_and_server_lives_on(void)
{
    Buf req = {0};
    buf_puts(&req, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Big: ");
    for (int i = 0; i < 8192; i++)
        buf_putc(&req, 'x');
    buf_puts(&req, "\r\n\r\n");
    Response r;
    http_raw(port, req.data, req.len, &r);
    /* either an error status or a closed connection; never a page */
    CHECK(r.status == 0 || r.status >= 400);
    buf_free(&r.raw);
    buf_free(&req);
    http(port, "GET", "/healthz", NULL, &r);
    CHECK_INT(r.status, 200);
    buf_free(&r.raw);
}

static void test_stop_request_ends_the_server(void)
{
    server_request_stop();
    CHECK_INT(server_wait(&srv), 0);
    /* the port is closed */
    int fd = connect_to(port);
    CHECK(fd < 0);
    if (fd >= 0)
        close(fd);
}

static void test_sigterm_stops_the_server_cleanly(void)
{
    Running r;
    CHECK_INT(server_start(&r, db_path), 0);
    if (!r.ready)
        return;
    Response resp;
    http(r.port, "GET", "/healthz", NULL, &resp);
    CHECK_INT(resp.status, 200);
    buf_free(&resp.raw);
    kill(getpid(), SIGTERM);
    CHECK_INT(server_wait(&r), 0);
}

static void test_missing_database_is_an_error(void)
{
    char path[300];
    snprintf(path, sizeof path, "%s/missing.db", tmpdir);
    ServerConfig cfg = {.db_path = path, .listen_addr = "127.0.0.1", .port = 0};
    SwErr err = {{0}};
    CHECK_INT(server_run(&cfg, &err), -1);
    CHECK(strstr(err.msg, "missing.db") != NULL);
}

static void test_not_a_database_is_an_error(void)
{
    char path[300];
    snprintf(path, sizeof path, "%s/notes.txt", tmpdir);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs("these are not the stories you are looking for\n", f);
        fclose(f);
    }
    ServerConfig cfg = {.db_path = path, .listen_addr = "127.0.0.1", .port = 0};
    SwErr err = {{0}};
    CHECK_INT(server_run(&cfg, &err), -1);
    CHECK(err.msg[0] != '\0');
}

static void test_address_in_use_is_an_error(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    socklen_t len = sizeof sa;
    CHECK(bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 && listen(fd, 1) == 0);
    getsockname(fd, (struct sockaddr *)&sa, &len);
    ServerConfig cfg = {.db_path = db_path, .listen_addr = "127.0.0.1", .port = ntohs(sa.sin_port)};
    SwErr err = {{0}};
    CHECK_INT(server_run(&cfg, &err), -1);
    CHECK(strstr(err.msg, "in use") != NULL);
    close(fd);
}

static void test_bad_address_is_an_error(void)
{
    ServerConfig cfg = {.db_path = db_path, .listen_addr = "999.1.2.3", .port = 0};
    SwErr err = {{0}};
    CHECK_INT(server_run(&cfg, &err), -1);
    CHECK(strstr(err.msg, "999.1.2.3") != NULL);
}

static void cleanup(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
}

int main(void)
{
    alarm(60);
    signal(SIGPIPE, SIG_IGN);
    if (!mkdtemp(tmpdir) || make_database() < 0) {
        fprintf(stderr, "test_server: cannot build the test database\n");
        return 1;
    }
    if (server_start(&srv, db_path) < 0) {
        fprintf(stderr, "test_server: server did not start: %s\n", srv.err.msg);
        cleanup();
        return 1;
    }
    port = srv.port;
    RUN(test_front_page_lists_the_story);
    RUN(test_front_page_beyond_the_last_page_is_404);
    RUN(test_story_page_is_html_with_an_etag);
    RUN(test_story_page_with_matching_etag_is_304);
    RUN(test_head_has_headers_and_no_body);
    RUN(test_unknown_and_invalid_slugs_are_404);
    RUN(test_unknown_path_is_404);
    RUN(test_api_lists_stories_as_json);
    RUN(test_api_refuses_bad_limits);
    RUN(test_api_story_is_the_stored_page_json);
    RUN(test_healthz_reports_counts);
    RUN(test_stylesheet_is_served_as_css);
    RUN(test_other_methods_are_405_with_allow);
    RUN(test_connection_is_kept_alive_between_requests);
    RUN(test_get_with_a_body_is_still_answered);
    RUN(test_oversized_header_is_refused_and_server_lives_on);
    RUN(test_stop_request_ends_the_server);
    RUN(test_sigterm_stops_the_server_cleanly);
    RUN(test_missing_database_is_an_error);
    RUN(test_not_a_database_is_an_error);
    RUN(test_address_in_use_is_an_error);
    RUN(test_bad_address_is_an_error);
    buf_free(&stored_json);
    cleanup();
    return test_summary("test_server");
}
