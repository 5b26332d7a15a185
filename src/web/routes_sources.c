/* routes_sources.c - the outlet routes: /sources and /source/<id> (HTML),
 * /api/sources and /api/sources/<id> (JSON).
 *
 * Served through the routes_sources group hook of web_internal.h. Each
 * request reads the worker's read-only Store; lists ask for one row more
 * than they show, which tells whether a next page exists without a count
 * query. Ids are plain decimal numbers: anything else is a 404, like an
 * unknown id, since the address names nothing. */
#include "web_internal.h"

#include <stdlib.h>
#include <string.h>

#include "../render/sources.h"
#include "../store/sources.h"

#define SOURCES_PAGE_SIZE 100    /* outlets on a /sources page */
#define SOURCE_ARTICLES_PAGE 50  /* articles on a /source/<id> page */
#define API_SOURCES_DEFAULT 100
#define API_SOURCES_MAX 1000
#define API_ARTICLES_DEFAULT 50
#define API_ARTICLES_MAX 200
#define MAX_PAGE_NUMBER 100000

/* "123" -> 123; 0 for anything that is not 1-18 digits naming an id > 0. */
static int64_t parse_id(const char *s)
{
    size_t len = strlen(s);
    if (len == 0 || len > 18 || strspn(s, "0123456789") != len)
        return 0;
    return strtoll(s, NULL, 10);
}

static void ok_reply(Reply *r, int html)
{
    r->status = 200;
    r->content_type = html ? "text/html; charset=utf-8" : "application/json; charset=utf-8";
    r->cache = "public, max-age=60";
    r->html = html;
}

/* /sources (html = 1) and /api/sources (html = 0). */
static void route_list(Server *sv, struct MHD_Connection *c, int html, Reply *r)
{
    long limit, offset, page = 1;
    if (html) {
        if (query_number(c, "page", 1, MAX_PAGE_NUMBER, 1, &page) < 0) {
            reply_html_error(r, 400, "The page number must be a whole number from 1.");
            return;
        }
        limit = SOURCES_PAGE_SIZE;
        offset = (page - 1) * SOURCES_PAGE_SIZE;
    } else {
        if (query_number(c, "limit", 1, API_SOURCES_MAX, API_SOURCES_DEFAULT, &limit) < 0) {
            reply_json_error(r, 400, "limit must be a whole number from 1 to 1000");
            return;
        }
        if (query_number(c, "offset", 0, 999999999, 0, &offset) < 0) {
            reply_json_error(r, 400, "offset must be a whole number from 0");
            return;
        }
    }
    SwErr err;
    Store *s = server_store(sv, &err);
    if (!s) {
        reply_store_error(r, !html, &err);
        return;
    }
    Arena a = {0};
    SourceRow *rows = NULL;
    size_t n = 0;
    if (store_source_list(s, (size_t)limit + 1, (size_t)offset, &a, &rows, &n, &err) < 0) {
        reply_store_error(r, !html, &err);
        goto done;
    }
    int more = n > (size_t)limit;
    if (more)
        n = (size_t)limit;
    if (html) {
        if (n == 0 && page > 1) {
            reply_html_error(r, 404, "There are no outlets on this page.");
            goto done;
        }
        render_html_sources(rows, n, (int)page, more, &r->body);
    } else {
        buf_puts(&r->body, "{\"sources\":[");
        for (size_t i = 0; i < n; i++) {
            if (i)
                buf_putc(&r->body, ',');
            render_json_source(&rows[i], &r->body);
        }
        buf_printf(&r->body, "],\"limit\":%ld,\"offset\":%ld,\"has_more\":%s}\n", limit, offset,
                   more ? "true" : "false");
    }
    ok_reply(r, html);
done:
    free(rows);
    arena_free(&a);
}

/* /source/<id> (html = 1) and /api/sources/<id> (html = 0). */
static void route_one(Server *sv, struct MHD_Connection *c, const char *id_text, int html, Reply *r)
{
    int api = !html;
    int64_t id = parse_id(id_text);
    if (id <= 0) {
        reply_error(r, api, 404, "There is no outlet at this address.");
        return;
    }
    long limit, offset, page = 1;
    if (html) {
        if (query_number(c, "page", 1, MAX_PAGE_NUMBER, 1, &page) < 0) {
            reply_html_error(r, 400, "The page number must be a whole number from 1.");
            return;
        }
        limit = SOURCE_ARTICLES_PAGE;
        offset = (page - 1) * SOURCE_ARTICLES_PAGE;
    } else {
        if (query_number(c, "limit", 1, API_ARTICLES_MAX, API_ARTICLES_DEFAULT, &limit) < 0) {
            reply_json_error(r, 400, "limit must be a whole number from 1 to 200");
            return;
        }
        if (query_number(c, "offset", 0, 999999999, 0, &offset) < 0) {
            reply_json_error(r, 400, "offset must be a whole number from 0");
            return;
        }
    }
    SwErr err;
    Store *s = server_store(sv, &err);
    if (!s) {
        reply_store_error(r, api, &err);
        return;
    }
    Arena a = {0};
    SourceRow src;
    SourceArticle *arts = NULL;
    size_t n = 0;
    int rc = store_source_get(s, id, &a, &src, &err);
    if (rc == STORE_NOT_FOUND) {
        reply_error(r, api, 404, "There is no outlet at this address.");
        goto done;
    }
    if (rc < 0 || store_source_articles(s, id, (size_t)limit + 1, (size_t)offset, &a, &arts, &n, &err) < 0) {
        reply_store_error(r, api, &err);
        goto done;
    }
    int more = n > (size_t)limit;
    if (more)
        n = (size_t)limit;
    if (html) {
        if (n == 0 && page > 1) {
            reply_html_error(r, 404, "This outlet has no articles on this page.");
            goto done;
        }
        render_html_source(&src, arts, n, (int)page, more, &r->body);
    } else {
        render_json_source_detail(&src, arts, n, limit, offset, more, &r->body);
    }
    ok_reply(r, html);
done:
    free(arts);
    arena_free(&a);
}

int routes_sources(Server *sv, struct MHD_Connection *c, const char *url, Reply *r)
{
    if (strcmp(url, "/sources") == 0)
        route_list(sv, c, 1, r);
    else if (strcmp(url, "/api/sources") == 0)
        route_list(sv, c, 0, r);
    else if (strncmp(url, "/source/", 8) == 0)
        route_one(sv, c, url + 8, 1, r);
    else if (strncmp(url, "/api/sources/", 13) == 0)
        route_one(sv, c, url + 13, 0, r);
    else
        return 0;
    return 1;
}
