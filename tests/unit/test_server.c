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
#include <zlib.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/json.h"
#include "story/page.h"
#include "store/store.h"
#include "store/web.h"
#include "test.h"
#include "web/server.h"
#include "web/web_internal.h"
#include "web/web_internal.h"

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

    PageSource src = {article_id, "Harbour Times", "Ferry runs aground", "https://ht.example/aurora", 1790000000, NULL, 0};
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
static int server_start_cache(Running *r, const char *path, size_t cache_bytes)
{
    memset(r, 0, sizeof *r);
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->cond, NULL);
    r->cfg = (ServerConfig){.db_path = path, .listen_addr = "127.0.0.1", .port = 0, .threads = 2,
                            .cache_bytes = cache_bytes, .on_ready = on_ready, .ctx = r};
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

static int server_start(Running *r, const char *path)
{
    return server_start_cache(r, path, 0);
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

/* Slugs are what page_slug makes: ASCII lower case, digits, '-', and the
 * letters of other scripts as UTF-8; nothing else reaches the store. */
static void test_slugs_of_other_scripts_are_valid(void)
{
    CHECK(slug_valid("aurora-ferry-aground"));
    CHECK(slug_valid("台风过后上海港口重新开放"));
    CHECK(slug_valid("서울-지하철-파업-사흘째"));
    CHECK(slug_valid("إضراب-في-القاهرة"));
    CHECK(slug_valid("हिन्दी-समाचार")); /* vowel signs are marks */
    CHECK(!slug_valid("Aurora"));
    CHECK(!slug_valid("港口 恢复"));       /* space */
    CHECK(!slug_valid("港口，恢复"));      /* CJK punctuation */
    CHECK(!slug_valid("\xE5\x8F"));        /* cut UTF-8 */
    CHECK(!slug_valid("\xC0\xAF"));        /* overlong '/' */
    CHECK(!slug_valid("a\xE2\x80\xAE" "b")); /* right-to-left override */
    CHECK(!slug_valid(""));
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
    char v[256];
    http_raw(port, req.data, req.len, &r);
    CHECK_INT(r.status, 431);
    CHECK_STR(header(&r, "Content-Type", v, sizeof v), "text/html; charset=utf-8");
    CHECK(body_has(&r, "431"));
    buf_free(&r.raw);
    /* far past the limit MHD itself refuses: an error or a closed connection, never a page */
    buf_reset(&req);
    buf_puts(&req, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Big: ");
    for (int i = 0; i < 65536; i++)
        buf_putc(&req, 'x');
    buf_puts(&req, "\r\n\r\n");
    http_raw(port, req.data, req.len, &r);
    CHECK(r.status == 0 || r.status >= 400);
    buf_free(&r.raw);
    buf_free(&req);
    http(port, "GET", "/healthz", NULL, &r);
    CHECK_INT(r.status, 200);
    buf_free(&r.raw);
}

static void test_story_page_has_last_modified_and_honours_if_modified_since(void)
{
    Response r;
    char v[256], extra[256];
    http(port, "GET", "/story/aurora-ferry-aground", NULL, &r);
    /* the page's updated time, 1790007200 */
    CHECK_STR(header(&r, "Last-Modified", v, sizeof v), "Mon, 21 Sep 2026 16:13:20 GMT");
    buf_free(&r.raw);
    http(port, "GET", "/story/aurora-ferry-aground", "If-Modified-Since: Mon, 21 Sep 2026 16:13:20 GMT\r\n", &r);
    CHECK_INT(r.status, 304);
    CHECK_INT(r.body_len, 0);
    CHECK(header(&r, "Last-Modified", v, sizeof v) != NULL);
    buf_free(&r.raw);
    http(port, "GET", "/story/aurora-ferry-aground", "If-Modified-Since: Mon, 21 Sep 2026 16:13:19 GMT\r\n", &r);
    CHECK_INT(r.status, 200);
    buf_free(&r.raw);
    /* If-None-Match decides when present: a stale tag beats a fresh date */
    snprintf(extra, sizeof extra, "If-None-Match: \"1-0\"\r\nIf-Modified-Since: Mon, 21 Sep 2026 16:13:20 GMT\r\n");
    http(port, "GET", "/story/aurora-ferry-aground", extra, &r);
    CHECK_INT(r.status, 200);
    buf_free(&r.raw);
}

static void test_front_page_is_last_modified_at_the_newest_update(void)
{
    Response r;
    char v[256];
    http(port, "GET", "/", NULL, &r);
    CHECK_STR(header(&r, "Last-Modified", v, sizeof v), "Mon, 21 Sep 2026 16:13:20 GMT");
    buf_free(&r.raw);
    http(port, "GET", "/", "If-Modified-Since: Thu, 22 Sep 2026 00:00:00 GMT\r\n", &r);
    CHECK_INT(r.status, 304);
    buf_free(&r.raw);
}

/* The body of a gzip response inflated, or -1. */
static int gunzip(const char *data, size_t len, Buf *out)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 15 + 16) != Z_OK)
        return -1;
    zs.next_in = (Bytef *)(uintptr_t)data;
    zs.avail_in = (uInt)len;
    int rc;
    do {
        buf_reserve(out, 4096);
        zs.next_out = (Bytef *)out->data + out->len;
        zs.avail_out = 4096;
        rc = inflate(&zs, Z_NO_FLUSH);
        out->len = (size_t)zs.total_out;
    } while (rc == Z_OK);
    inflateEnd(&zs);
    return rc == Z_STREAM_END ? 0 : -1;
}

static void test_gzip_when_accepted_decompresses_to_the_same_page(void)
{
    const char *paths[] = {"/", "/story/aurora-ferry-aground", "/static/style.css"};
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        Response plain, gz;
        char v[256], len[32];
        http(port, "GET", paths[i], NULL, &plain);
        http(port, "GET", paths[i], "Accept-Encoding: br, gzip;q=0.8\r\n", &gz);
        CHECK_INT(gz.status, 200);
        CHECK(plain.body_len > 1024);
        CHECK(header(&plain, "Content-Encoding", v, sizeof v) == NULL);
        CHECK_STR(header(&gz, "Content-Encoding", v, sizeof v), "gzip");
        CHECK_STR(header(&gz, "Vary", v, sizeof v), "Accept-Encoding");
        CHECK_STR(header(&plain, "Vary", v, sizeof v), "Accept-Encoding");
        CHECK(header(&gz, "Content-Length", len, sizeof len) && (size_t)atol(len) == gz.body_len);
        CHECK(gz.body_len < plain.body_len);
        Buf out = {0};
        CHECK_INT(gz.body ? gunzip(gz.body, gz.body_len, &out) : -1, 0);
        CHECK_INT(out.len, plain.body_len);
        CHECK(out.len == plain.body_len && memcmp(out.data, plain.body, out.len) == 0);
        buf_free(&out);
        buf_free(&plain.raw);
        buf_free(&gz.raw);
    }
    /* the gzip variant has its own tag, and that tag revalidates too */
    Response r;
    char v[256], want[64], extra[128];
    http(port, "GET", "/story/aurora-ferry-aground", "Accept-Encoding: gzip\r\n", &r);
    snprintf(want, sizeof want, "\"%lld-1-gz\"", (long long)story_id);
    CHECK_STR(header(&r, "ETag", v, sizeof v), want);
    buf_free(&r.raw);
    snprintf(extra, sizeof extra, "Accept-Encoding: gzip\r\nIf-None-Match: %s\r\n", want);
    http(port, "GET", "/story/aurora-ferry-aground", extra, &r);
    CHECK_INT(r.status, 304);
    buf_free(&r.raw);
    /* q=0 refuses gzip; small bodies are never compressed */
    http(port, "GET", "/", "Accept-Encoding: gzip;q=0, identity\r\n", &r);
    CHECK(header(&r, "Content-Encoding", v, sizeof v) == NULL);
    buf_free(&r.raw);
    http(port, "GET", "/healthz", "Accept-Encoding: gzip\r\n", &r);
    CHECK(header(&r, "Content-Encoding", v, sizeof v) == NULL);
    CHECK(body_has(&r, "\"status\":\"ok\""));
    buf_free(&r.raw);
}

static void test_head_has_the_same_headers_as_get(void)
{
    const char *extras[] = {NULL, "Accept-Encoding: gzip\r\n"};
    const char *names[] = {"Content-Length", "Content-Type", "Content-Encoding", "ETag", "Last-Modified",
                           "Cache-Control", "Vary"};
    for (size_t i = 0; i < 2; i++) {
        Response g, h;
        http(port, "GET", "/story/aurora-ferry-aground", extras[i], &g);
        http(port, "HEAD", "/story/aurora-ferry-aground", extras[i], &h);
        CHECK_INT(h.status, 200);
        CHECK_INT(h.body_len, 0);
        for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
            char a[256], b[256];
            const char *va = header(&g, names[k], a, sizeof a), *vb = header(&h, names[k], b, sizeof b);
            CHECK((va == NULL) == (vb == NULL));
            if (va && vb)
                CHECK_STR(vb, va);
        }
        buf_free(&g.raw);
        buf_free(&h.raw);
    }
}

static void test_too_long_address_is_414_with_a_page(void)
{
    Buf path = {0};
    buf_puts(&path, "/story/");
    for (int i = 0; i < 3000; i++)
        buf_putc(&path, 'a');
    Response r;
    char v[256];
    http(port, "GET", path.data, NULL, &r);
    CHECK_INT(r.status, 414);
    CHECK_STR(header(&r, "Content-Type", v, sizeof v), "text/html; charset=utf-8");
    CHECK(body_has(&r, "414"));
    buf_free(&r.raw);
    /* a long query counts too, and API errors are JSON */
    buf_reset(&path);
    buf_puts(&path, "/api/stories?x=");
    for (int i = 0; i < 3000; i++)
        buf_putc(&path, 'b');
    http(port, "GET", path.data, NULL, &r);
    CHECK_INT(r.status, 414);
    CHECK(body_has(&r, "{\"error\":"));
    buf_free(&r.raw);
    buf_free(&path);
    /* just under the limit is answered */
    char ok[2100] = "/story/";
    memset(ok + 7, 'a', 2000);
    ok[2007] = '\0';
    http(port, "GET", ok, NULL, &r);
    CHECK_INT(r.status, 404);
    buf_free(&r.raw);
}

/* The value of one series line ("name{labels} value") in a /metrics
 * body, or -1 when absent. */
static double metric_value(const Response *r, const char *series)
{
    Buf line = {0};
    buf_printf(&line, "\n%s ", series);
    const char *p = r->body ? strstr(r->body - 1, line.data) : NULL;
    double v = p ? atof(p + line.len) : -1;
    buf_free(&line);
    return v;
}

static void test_metrics_count_requests_by_route_and_status(void)
{
    Response r;
    char v[256];
    http(port, "GET", "/metrics", NULL, &r);
    CHECK_INT(r.status, 200);
    CHECK_STR(header(&r, "Content-Type", v, sizeof v), "text/plain; version=0.0.4; charset=utf-8");
    double health = metric_value(&r, "storywire_http_requests_total{route=\"healthz\",status=\"200\"}");
    double missing = metric_value(&r, "storywire_http_requests_total{route=\"story\",status=\"404\"}");
    double hist = metric_value(&r, "storywire_http_request_duration_seconds_count{route=\"healthz\"}");
    CHECK(health >= 1);
    CHECK(missing >= 1);
    CHECK(hist == health); /* only 200s were asked of /healthz so far */
    CHECK(body_has(&r, "# TYPE storywire_http_requests_total counter\n"));
    CHECK(body_has(&r, "# TYPE storywire_http_request_duration_seconds histogram\n"));
    CHECK(body_has(&r, "storywire_http_request_duration_seconds_bucket{route=\"healthz\",le=\"0.0005\"} "));
    CHECK(metric_value(&r, "storywire_http_request_duration_seconds_bucket{route=\"healthz\",le=\"+Inf\"}") ==
          hist);
    CHECK(metric_value(&r, "storywire_articles") == 1);
    CHECK(metric_value(&r, "storywire_stories") == 1);
    CHECK(metric_value(&r, "storywire_sources") == 1);
    CHECK(metric_value(&r, "storywire_fetch_errors_total") == 0);
    CHECK(body_has(&r, "# HELP storywire_articles "));
    buf_free(&r.raw);

    /* one more request shows up as exactly one more */
    http(port, "GET", "/healthz", NULL, &r);
    buf_free(&r.raw);
    http(port, "GET", "/metrics", NULL, &r);
    CHECK(metric_value(&r, "storywire_http_requests_total{route=\"healthz\",status=\"200\"}") == health + 1);
    CHECK(metric_value(&r, "storywire_http_requests_total{route=\"metrics\",status=\"200\"}") >= 1);
    buf_free(&r.raw);
}

/* ---- the page cache ---- */

/* Writes version `version` of the test story's page with a new headline
 * through a store connection of its own, as another process would. */
static int rewrite_page(int version, const char *headline, int64_t updated)
{
    SwErr err;
    Store *s;
    if (store_open(db_path, 0, &s, &err) < 0)
        return -1;
    Arena a = {0};
    Page page;
    int rc = page_from_json(&a, stored_json.data, stored_json.len, &page, &err);
    Buf json = {0};
    int got = 0;
    if (rc == 0) {
        page.version = version;
        page.headline = headline;
        page.updated = updated;
        page_to_json(&page, &json);
        StoryRow row = {.id = story_id, .slug = page.slug, .headline = page.headline,
                        .summary = page.summary[0].text, .first_published = 1790000000,
                        .last_published = 1790000000, .updated = page.updated, .article_count = 1,
                        .source_count = 1};
        rc = store_page_put(s, &row, json.data, json.len, &got, &err);
    }
    store_close(s);
    buf_free(&json);
    arena_free(&a);
    return rc == 0 && got == version ? 0 : -1;
}

/* A page written by another connection (as `storywire update` would from
 * another process) is served at once: new body, new tags, 304 only for
 * the new tags, on every cached variant (HTML, gzip, JSON, front page). */
static void test_page_rewritten_elsewhere_is_served_fresh(void)
{
    const char *slug_path = "/story/aurora-ferry-aground";
    char old_tag[64], old_gz[64], new_tag[64], new_gz[64], extra[256], v[256];
    snprintf(old_tag, sizeof old_tag, "\"%lld-1\"", (long long)story_id);
    snprintf(old_gz, sizeof old_gz, "\"%lld-1-gz\"", (long long)story_id);
    snprintf(new_tag, sizeof new_tag, "\"%lld-2\"", (long long)story_id);
    snprintf(new_gz, sizeof new_gz, "\"%lld-2-gz\"", (long long)story_id);
    Response r;
    /* warm every variant */
    http(port, "GET", slug_path, NULL, &r);
    CHECK_STR(header(&r, "ETag", v, sizeof v), old_tag);
    buf_free(&r.raw);
    http(port, "GET", slug_path, "Accept-Encoding: gzip\r\n", &r);
    buf_free(&r.raw);
    http(port, "GET", "/api/stories/aurora-ferry-aground", NULL, &r);
    buf_free(&r.raw);
    http(port, "GET", "/", NULL, &r);
    CHECK(body_has(&r, "Ferry Aurora runs aground"));
    buf_free(&r.raw);

    /* version 2, written through a connection of its own */
    CHECK_INT(rewrite_page(2, "Ferry Aurora refloated", 1790010800), 0);

    http(port, "GET", slug_path, NULL, &r);
    CHECK_INT(r.status, 200);
    CHECK_STR(header(&r, "ETag", v, sizeof v), new_tag);
    CHECK_STR(header(&r, "Last-Modified", v, sizeof v), "Mon, 21 Sep 2026 17:13:20 GMT");
    CHECK(body_has(&r, "<h1>Ferry Aurora refloated</h1>"));
    buf_free(&r.raw);
    http(port, "GET", slug_path, "Accept-Encoding: gzip\r\n", &r);
    CHECK_STR(header(&r, "ETag", v, sizeof v), new_gz);
    Buf out = {0};
    CHECK_INT(r.body ? gunzip(r.body, r.body_len, &out) : -1, 0);
    buf_putc(&out, '\0');
    CHECK(out.data && strstr(out.data, "<h1>Ferry Aurora refloated</h1>") != NULL);
    buf_free(&out);
    buf_free(&r.raw);
    http(port, "GET", "/api/stories/aurora-ferry-aground", NULL, &r);
    CHECK(body_has(&r, "\"headline\":\"Ferry Aurora refloated\""));
    CHECK(body_has(&r, "\"version\":2"));
    buf_free(&r.raw);
    http(port, "GET", "/", NULL, &r);
    CHECK(body_has(&r, "Ferry Aurora refloated"));
    CHECK_STR(header(&r, "Last-Modified", v, sizeof v), "Mon, 21 Sep 2026 17:13:20 GMT");
    buf_free(&r.raw);

    /* the old tags no longer match; the new ones do, with the new tag on
     * the 304 (the gzip one for a client that takes gzip) */
    snprintf(extra, sizeof extra, "If-None-Match: %s\r\n", old_tag);
    http(port, "GET", slug_path, extra, &r);
    CHECK_INT(r.status, 200);
    buf_free(&r.raw);
    snprintf(extra, sizeof extra, "Accept-Encoding: gzip\r\nIf-None-Match: %s\r\n", old_gz);
    http(port, "GET", slug_path, extra, &r);
    CHECK_INT(r.status, 200);
    buf_free(&r.raw);
    snprintf(extra, sizeof extra, "If-None-Match: %s\r\n", new_tag);
    http(port, "GET", slug_path, extra, &r);
    CHECK_INT(r.status, 304);
    CHECK_INT(r.body_len, 0);
    CHECK_STR(header(&r, "ETag", v, sizeof v), new_tag);
    buf_free(&r.raw);
    snprintf(extra, sizeof extra, "Accept-Encoding: gzip\r\nIf-None-Match: %s\r\n", new_gz);
    http(port, "GET", slug_path, extra, &r);
    CHECK_INT(r.status, 304);
    CHECK_STR(header(&r, "ETag", v, sizeof v), new_gz);
    CHECK_STR(header(&r, "Vary", v, sizeof v), "Accept-Encoding");
    buf_free(&r.raw);
    /* a client holding the plain copy that now takes gzip: its tag */
    snprintf(extra, sizeof extra, "Accept-Encoding: gzip\r\nIf-None-Match: %s\r\n", new_tag);
    http(port, "GET", slug_path, extra, &r);
    CHECK_INT(r.status, 304);
    CHECK_STR(header(&r, "ETag", v, sizeof v), new_tag);
    buf_free(&r.raw);
    /* the page was rendered once more, then served from memory */
    http(port, "GET", "/metrics", NULL, &r);
    CHECK(metric_value(&r, "storywire_page_cache_lookups_total{result=\"hit\"}") > 0);
    CHECK(metric_value(&r, "storywire_page_cache_lookups_total{result=\"stale\"}") > 0);
    buf_free(&r.raw);
}

/* With the database idle for a while, workers skip the data version check
 * while the WAL file is unchanged; a write must still be seen at once. */
static void test_page_rewritten_after_a_quiet_spell_is_served_fresh(void)
{
    struct timespec quiet = {2, 300000000};
    nanosleep(&quiet, NULL);
    /* let every worker see the settled WAL */
    for (int i = 0; i < 8; i++) {
        Response r;
        http(port, "GET", "/story/aurora-ferry-aground", NULL, &r);
        CHECK(body_has(&r, "<h1>Ferry Aurora refloated</h1>"));
        buf_free(&r.raw);
    }
    CHECK_INT(rewrite_page(3, "Ferry Aurora towed to port", 1790014400), 0);
    for (int i = 0; i < 4; i++) {
        Response r;
        char v[256], want[64];
        http(port, "GET", "/story/aurora-ferry-aground", NULL, &r);
        snprintf(want, sizeof want, "\"%lld-3\"", (long long)story_id);
        CHECK_STR(header(&r, "ETag", v, sizeof v), want);
        CHECK(body_has(&r, "<h1>Ferry Aurora towed to port</h1>"));
        buf_free(&r.raw);
    }
}

/* One entry's accounted size: what the test says it holds plus the
 * cache's own bookkeeping for a 3-byte key. */
#define ENTRY_BYTES(body) ((size_t)(body) + sizeof(CachedPage) + 4)

static CachedPage *test_entry(int64_t id, int version, size_t body)
{
    CachedPage *p = calloc(1, sizeof *p);
    p->story_id = id;
    p->version = version;
    p->bytes = body;
    return p;
}

static int cached_version(PageCache *pc, const char *key)
{
    int fresh;
    CachedPage *p = page_cache_get(pc, key, 1, &fresh);
    int v = p ? p->version : -1;
    page_cache_release(pc, p);
    return v;
}

/* The cache on its own: least recently used goes first, the byte count
 * never passes the cap, an entry over the cap is served but not kept, an
 * older version does not replace a newer one, a page still being sent
 * outlives its eviction, and the epoch decides freshness. */
static void test_page_cache_is_lru_under_its_cap(void)
{
    PageCache pc;
    page_cache_init(&pc, 3 * ENTRY_BYTES(100));
    page_cache_release(&pc, page_cache_put(&pc, "k/1", test_entry(1, 1, 100), 1));
    page_cache_release(&pc, page_cache_put(&pc, "k/2", test_entry(2, 1, 100), 1));
    page_cache_release(&pc, page_cache_put(&pc, "k/3", test_entry(3, 1, 100), 1));
    PageCacheStats st;
    page_cache_stats(&pc, &st);
    CHECK_INT(st.entries, 3);
    CHECK_INT(st.bytes, 3 * ENTRY_BYTES(100));
    CHECK_INT(cached_version(&pc, "k/1"), 1); /* k/1 is now the most recent */
    page_cache_release(&pc, page_cache_put(&pc, "k/4", test_entry(4, 1, 100), 1));
    CHECK_INT(cached_version(&pc, "k/2"), -1); /* the least recent went */
    CHECK_INT(cached_version(&pc, "k/1"), 1);
    CHECK_INT(cached_version(&pc, "k/3"), 1);
    CHECK_INT(cached_version(&pc, "k/4"), 1);
    page_cache_stats(&pc, &st);
    CHECK_INT(st.entries, 3);
    CHECK(st.bytes <= st.cap);
    CHECK_INT(st.evictions, 1);

    /* bigger than the whole cap: handed back, not kept, nothing evicted */
    CachedPage *big = page_cache_put(&pc, "k/5", test_entry(5, 1, 4 * ENTRY_BYTES(100)), 1);
    CHECK(big != NULL);
    page_cache_release(&pc, big);
    CHECK_INT(cached_version(&pc, "k/5"), -1);
    page_cache_stats(&pc, &st);
    CHECK_INT(st.entries, 3);

    /* a newer version replaces, an older one does not */
    page_cache_release(&pc, page_cache_put(&pc, "k/3", test_entry(3, 3, 100), 1));
    CHECK_INT(cached_version(&pc, "k/3"), 3);
    page_cache_release(&pc, page_cache_put(&pc, "k/3", test_entry(3, 2, 100), 1));
    CHECK_INT(cached_version(&pc, "k/3"), 3);

    /* held while evicted: still readable until released (ASan checks) */
    int fresh;
    CachedPage *held = page_cache_get(&pc, "k/4", 1, &fresh);
    CHECK(held != NULL && fresh);
    for (int i = 0; i < 3; i++) {
        char key[16];
        snprintf(key, sizeof key, "x/%d", i);
        page_cache_release(&pc, page_cache_put(&pc, key, test_entry(10 + i, 1, 100), 1));
    }
    CHECK_INT(cached_version(&pc, "k/4"), -1);
    CHECK_INT(held ? held->version : -1, 1);
    page_cache_release(&pc, held);

    /* fresh only at the epoch it was validated at */
    CachedPage *p = page_cache_get(&pc, "x/2", 2, &fresh);
    CHECK(p != NULL && !fresh);
    if (p)
        page_cache_mark_fresh(&pc, p, 2);
    page_cache_release(&pc, p);
    p = page_cache_get(&pc, "x/2", 2, &fresh);
    CHECK(p != NULL && fresh);
    page_cache_release(&pc, p);
    page_cache_stats(&pc, &st);
    CHECK(st.bytes <= st.cap);
    page_cache_free(&pc);
}

/* Adds a story with a page: slug, last activity, members and outlets. */
static int add_ranked_story(Store *s, const char *slug, int64_t last, int articles, int outlets)
{
    SwErr err;
    int64_t id;
    char blob[1] = {0};
    int version;
    if (store_story_new(s, &id, &err) < 0 ||
        store_story_set_state(s, id, blob, 1, last - 3600, last, articles, outlets, &err) < 0)
        return -1;
    StoryRow row = {.id = id, .slug = slug, .headline = slug, .summary = "", .first_published = last - 3600,
                    .last_published = last, .updated = last, .article_count = articles, .source_count = outlets};
    return store_page_put(s, &row, "{}", 2, &version, &err);
}

/* Builds a database of four stories around time t and returns the slugs
 * of the front page order, joined by spaces. */
static void ranked_order(const char *name, int64_t t, size_t limit, size_t offset, Buf *order)
{
    char path[300];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    SwErr err;
    Store *s;
    if (store_open(path, 0, &s, &err) < 0)
        return;
    /* A: the newest, but one article from one outlet; B: half a day
     * older, 10 articles from 5 outlets; C: ten days old, big; D: an
     * hour old, 2 articles from 2 outlets. */
    if (add_ranked_story(s, "a", t, 1, 1) < 0 || add_ranked_story(s, "b", t - 12 * 3600, 10, 5) < 0 ||
        add_ranked_story(s, "c", t - 10 * 86400, 20, 10) < 0 || add_ranked_story(s, "d", t - 3600, 2, 2) < 0) {
        store_close(s);
        return;
    }
    Arena a = {0};
    StoryRow *rows = NULL;
    size_t n = 0;
    if (store_web_top_stories(s, limit, offset, &a, &rows, &n, &err) == 0)
        for (size_t i = 0; i < n; i++)
            buf_printf(order, "%s%s", i ? " " : "", rows[i].slug);
    free(rows);
    arena_free(&a);
    store_close(s);
}

static void test_front_page_ranks_freshness_articles_and_outlets(void)
{
    Buf order = {0};
    ranked_order("rank-now.db", 1790000000, 10, 0, &order);
    /* by activity alone it would be "a d b c" */
    CHECK_STR(buf_cstr(&order), "b d a c");
    buf_free(&order);
    /* the same corpus 25 years earlier ranks the same: freshness is
     * measured from the newest story, not from the wall clock */
    ranked_order("rank-old.db", 1000000000, 10, 0, &order);
    CHECK_STR(buf_cstr(&order), "b d a c");
    buf_free(&order);
    /* pages continue the same order */
    ranked_order("rank-page.db", 1790000000, 2, 2, &order);
    CHECK_STR(buf_cstr(&order), "a c");
    buf_free(&order);
    StoryRow one = {.last_published = 100, .article_count = 1, .source_count = 1};
    CHECK(web_rank_score(100, &one) == 1.0);
    CHECK(web_rank_score(100 + RANK_HALF_LIFE_S, &one) == 0.5);
}

/* ---- the API over a database of seven stories ----
 * Story i: last activity 1790000000 - (i / 2) hours (so pairs tie on
 * time and the id breaks the tie), one article from "Outlet <i % 3>",
 * page language "fr" for odd i, "en" otherwise. */
#define API_STORIES 7
static int64_t api_article_ids[API_STORIES];

static int make_api_database(const char *path)
{
    SwErr err;
    Store *s;
    if (store_open(path, 0, &s, &err) < 0)
        return -1;
    int rc = 0;
    for (int i = 0; i < API_STORIES && rc == 0; i++) {
        int64_t last = 1790000000 - (i / 2) * 3600, sid, aid;
        char url[64], outlet[32], slug[32], json[64];
        snprintf(url, sizeof url, "https://o%d.example/%d", i % 3, i);
        snprintf(outlet, sizeof outlet, "Outlet %d", i % 3);
        snprintf(slug, sizeof slug, "story-%d", i);
        snprintf(json, sizeof json, "{\"lang\":\"%s\"}", i % 2 ? "fr" : "en");
        Article art = {.url = url, .source = outlet, .title = slug, .text = "Body.", .lang = "en",
                       .published = last};
        int added, version;
        char blob[1] = {0};
        StoryRow row = {.slug = slug, .headline = slug, .summary = "", .first_published = last,
                        .last_published = last, .updated = last, .article_count = 1, .source_count = 1};
        if (store_put_article(s, &art, &aid, &added, &err) < 0 || store_story_new(s, &sid, &err) < 0 ||
            store_article_set_story(s, aid, sid, 1.0, &err) < 0 ||
            store_story_set_state(s, sid, blob, 1, last, last, 1, 1, &err) < 0) {
            rc = -1;
            break;
        }
        row.id = sid;
        api_article_ids[i] = aid;
        rc = store_page_put(s, &row, json, strlen(json), &version, &err);
    }
    store_close(s);
    return rc;
}

/* GETs path and parses the JSON body into a (root returned, NULL when
 * the status is not 200 or the body does not parse). */
static const JsonValue *api_get(uint16_t p, const char *path, Arena *a, int *status)
{
    Response r;
    SwErr err;
    http(p, "GET", path, NULL, &r);
    *status = r.status;
    const JsonValue *root = r.status == 200 && r.body ? json_parse(a, r.body, r.body_len, &err) : NULL;
    buf_free(&r.raw);
    return root;
}

/* The slugs of /api/stories?<query>, space-separated, following
 * next_cursor page by page. */
static void api_walk(uint16_t p, const char *query, Buf *slugs, int *pages)
{
    char cursor[64] = "";
    *pages = 0;
    for (int guard = 0; guard < 20; guard++) {
        char path[256];
        snprintf(path, sizeof path, "/api/stories?%s%s%s", query, cursor[0] ? "&cursor=" : "", cursor);
        Arena a = {0};
        int status;
        const JsonValue *root = api_get(p, path, &a, &status);
        const JsonValue *list = root ? json_get(root, "stories") : NULL;
        if (!list || list->type != JSON_ARRAY) {
            buf_puts(slugs, " ERROR");
            arena_free(&a);
            return;
        }
        (*pages)++;
        for (size_t i = 0; i < list->u.arr.n; i++)
            buf_printf(slugs, "%s%s", slugs->len ? " " : "", json_get_str(list->u.arr.items[i], "slug"));
        const char *next = json_get_str(root, "next_cursor");
        const JsonValue *nv = json_get(root, "next_cursor");
        int at_end = nv && nv->type == JSON_NULL;
        snprintf(cursor, sizeof cursor, "%s", next ? next : "");
        arena_free(&a);
        if (at_end || !next)
            return;
    }
}

static Running api_srv;

static void test_api_cursor_walks_every_story_exactly_once(void)
{
    Buf all = {0}, walked = {0};
    int pages;
    api_walk(api_srv.port, "limit=100", &all, &pages);
    CHECK_INT(pages, 1);
    /* newest first; ties on time by higher id first */
    CHECK_STR(buf_cstr(&all), "story-1 story-0 story-3 story-2 story-5 story-4 story-6");
    api_walk(api_srv.port, "limit=2", &walked, &pages);
    CHECK_STR(buf_cstr(&walked), buf_cstr(&all));
    CHECK_INT(pages, 4);
    buf_reset(&walked);
    api_walk(api_srv.port, "limit=1", &walked, &pages);
    CHECK_STR(buf_cstr(&walked), buf_cstr(&all));
    CHECK_INT(pages, 7);
    buf_free(&all);
    buf_free(&walked);
}

static void test_api_filters_by_time_outlet_and_language(void)
{
    Buf got = {0};
    int pages;
    /* 1790000000 is 2026-09-21T14:13:20Z; one hour earlier holds stories 2 and 3 */
    api_walk(api_srv.port, "since=2026-09-21T13:13:20Z", &got, &pages);
    CHECK_STR(buf_cstr(&got), "story-1 story-0 story-3 story-2");
    buf_reset(&got);
    api_walk(api_srv.port, "until=2026-09-21T13:13:20Z&limit=2", &got, &pages);
    CHECK_STR(buf_cstr(&got), "story-3 story-2 story-5 story-4 story-6");
    buf_reset(&got);
    api_walk(api_srv.port, "since=2026-09-21&until=2026-09-21", &got, &pages);
    CHECK_STR(buf_cstr(&got), "story-1 story-0 story-3 story-2 story-5 story-4 story-6");
    buf_reset(&got);
    api_walk(api_srv.port, "until=2026-09-20", &got, &pages);
    CHECK_STR(buf_cstr(&got), "");
    buf_reset(&got);
    api_walk(api_srv.port, "source=outlet%201", &got, &pages);
    CHECK_STR(buf_cstr(&got), "story-1 story-4");
    buf_reset(&got);
    api_walk(api_srv.port, "lang=fr&limit=1", &got, &pages);
    CHECK_STR(buf_cstr(&got), "story-1 story-3 story-5");
    buf_reset(&got);
    api_walk(api_srv.port, "lang=fr&source=Outlet%200", &got, &pages);
    CHECK_STR(buf_cstr(&got), "story-3");
    buf_free(&got);
    /* offset still works, alone and after a filter */
    Arena a = {0};
    int status;
    const JsonValue *root = api_get(api_srv.port, "/api/stories?limit=2&offset=5", &a, &status);
    const JsonValue *list = root ? json_get(root, "stories") : NULL;
    CHECK(list && list->type == JSON_ARRAY && list->u.arr.n == 2);
    if (list && list->u.arr.n == 2)
        CHECK_STR(json_get_str(list->u.arr.items[1], "slug"), "story-6");
    arena_free(&a);
}

static void test_api_refuses_bad_filters_and_cursors(void)
{
    const char *bad[] = {"/api/stories?cursor=abc", "/api/stories?cursor=", "/api/stories?since=yesterday",
                         "/api/stories?until=1790000000", "/api/stories?lang=e%20n", "/api/stories?source=",
                         "/api/stories?source=a%01b"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        Response r;
        http(api_srv.port, "GET", bad[i], NULL, &r);
        CHECK_INT(r.status, 400);
        CHECK(body_has(&r, "{\"error\":"));
        buf_free(&r.raw);
    }
}

static void test_api_article_has_its_fields_and_story(void)
{
    char path[64];
    snprintf(path, sizeof path, "/api/articles/%lld", (long long)api_article_ids[4]);
    Arena a = {0};
    int status;
    const JsonValue *root = api_get(api_srv.port, path, &a, &status);
    CHECK_INT(status, 200);
    CHECK(root != NULL);
    if (root) {
        CHECK_INT(json_get_int(root, "id", -1), api_article_ids[4]);
        CHECK_STR(json_get_str(root, "url"), "https://o1.example/4");
        CHECK_STR(json_get_str(root, "outlet"), "Outlet 1");
        CHECK_STR(json_get_str(root, "title"), "story-4");
        CHECK_STR(json_get_str(root, "text"), "Body.");
        CHECK_STR(json_get_str(root, "published"), "2026-09-21T12:13:20Z");
        CHECK_STR(json_get_str(root, "lang"), "en");
        CHECK_STR(json_get_str(root, "story"), "story-4");
    }
    arena_free(&a);
    const char *missing[] = {"/api/articles/999999", "/api/articles/abc", "/api/articles/", "/api/articles/-1"};
    for (size_t i = 0; i < sizeof missing / sizeof *missing; i++) {
        Response r;
        char v[128];
        http(api_srv.port, "GET", missing[i], NULL, &r);
        CHECK_INT(r.status, 404);
        CHECK_STR(header(&r, "Content-Type", v, sizeof v), "application/json; charset=utf-8");
        buf_free(&r.raw);
    }
}

/* The API server runs with a cache of API_CACHE_BYTES: room for about
 * three of its pages. Asking for every story twice keeps the cache under
 * its cap, evicts, and still answers every page right. */
#define API_CACHE_BYTES 7000
static void test_cache_stays_under_its_cap(void)
{
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < API_STORIES; i++) {
            Response r;
            char path[64];
            snprintf(path, sizeof path, "/api/stories/story-%d", i);
            http(api_srv.port, "GET", path, NULL, &r);
            CHECK_INT(r.status, 200);
            CHECK(body_has(&r, i % 2 ? "\"lang\":\"fr\"" : "\"lang\":\"en\""));
            buf_free(&r.raw);
        }
    Response r;
    http(api_srv.port, "GET", "/metrics", NULL, &r);
    double bytes = metric_value(&r, "storywire_page_cache_bytes");
    CHECK(bytes > 0 && bytes <= API_CACHE_BYTES);
    CHECK(metric_value(&r, "storywire_page_cache_limit_bytes") == API_CACHE_BYTES);
    CHECK(metric_value(&r, "storywire_page_cache_entries") >= 1);
    CHECK(metric_value(&r, "storywire_page_cache_entries") < API_STORIES);
    CHECK(metric_value(&r, "storywire_page_cache_evictions_total") >= API_STORIES);
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
    RUN(test_slugs_of_other_scripts_are_valid);
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
    RUN(test_story_page_has_last_modified_and_honours_if_modified_since);
    RUN(test_front_page_is_last_modified_at_the_newest_update);
    RUN(test_gzip_when_accepted_decompresses_to_the_same_page);
    RUN(test_head_has_the_same_headers_as_get);
    RUN(test_too_long_address_is_414_with_a_page);
    RUN(test_metrics_count_requests_by_route_and_status);
    RUN(test_front_page_ranks_freshness_articles_and_outlets);
    RUN(test_page_rewritten_elsewhere_is_served_fresh);
    RUN(test_page_rewritten_after_a_quiet_spell_is_served_fresh);
    RUN(test_page_cache_is_lru_under_its_cap);
    RUN(test_stop_request_ends_the_server);
    /* one server at a time: the stop request is process-wide */
    char api_db[300];
    snprintf(api_db, sizeof api_db, "%s/api.db", tmpdir);
    if (make_api_database(api_db) == 0 && server_start_cache(&api_srv, api_db, API_CACHE_BYTES) == 0) {
        RUN(test_api_cursor_walks_every_story_exactly_once);
        RUN(test_api_filters_by_time_outlet_and_language);
        RUN(test_api_refuses_bad_filters_and_cursors);
        RUN(test_api_article_has_its_fields_and_story);
        RUN(test_cache_stays_under_its_cap);
        server_request_stop();
        CHECK_INT(server_wait(&api_srv), 0);
    } else {
        fprintf(stderr, "test_server: the API test server did not start\n");
        test_failed++;
    }
    RUN(test_sigterm_stops_the_server_cleanly);
    RUN(test_missing_database_is_an_error);
    RUN(test_not_a_database_is_an_error);
    RUN(test_address_in_use_is_an_error);
    RUN(test_bad_address_is_an_error);
    buf_free(&stored_json);
    cleanup();
    return test_summary("test_server");
}
