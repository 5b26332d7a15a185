/* routes_feeds.c - /feed.atom and /feed.json (the top stories, in front
 * page order) and /story/<slug>.atom (one story's page versions).
 *
 * Feeds need absolute URLs. The site's address is the server's base_url
 * when one was configured, else "http://" and the request's Host header,
 * accepted only when it is a plain host[:port] (letters, digits, dots,
 * dashes, an IPv6 literal in brackets, a numeric port), so a hostile Host
 * cannot inject markup or point links elsewhere than a name. */
#include <stdlib.h>
#include <string.h>

#include "../render/feeds.h"
#include "../store/web.h"
#include "web_internal.h"

#define FEED_STORIES 20
#define FEED_OUTLETS 20
#define STORY_FEED_VERSIONS 50

/* 1 when host is host[:port] as described above. */
static int host_ok(const char *host)
{
    size_t n = strlen(host);
    if (n == 0 || n > 255)
        return 0;
    const char *p = host;
    if (*p == '[') {
        size_t len = strspn(p + 1, "0123456789abcdefABCDEF:.");
        if (len == 0 || p[1 + len] != ']')
            return 0;
        p += len + 2;
    } else {
        size_t len = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-");
        if (len == 0)
            return 0;
        p += len;
    }
    if (*p == ':') {
        size_t len = strspn(p + 1, "0123456789");
        if (len == 0 || len > 5)
            return 0;
        p += len + 1;
    }
    return *p == '\0';
}

/* The site's absolute URL without a trailing slash, or -1. */
static int feed_base(Server *sv, struct MHD_Connection *c, Buf *out)
{
    if (sv->base_url && *sv->base_url) {
        size_t n = strlen(sv->base_url);
        while (n > 0 && sv->base_url[n - 1] == '/')
            n--;
        buf_append(out, sv->base_url, n);
        return 0;
    }
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    if (!host || !host_ok(host))
        return -1;
    buf_printf(out, "http://%s", host);
    return 0;
}

static void top_feed(Server *sv, const char *base, int json, Reply *r)
{
    SwErr err;
    Store *s = server_store(sv, &err);
    if (!s) {
        reply_store_error(r, 0, &err);
        return;
    }
    Arena a = {0};
    StoryRow *rows = NULL;
    size_t n = 0;
    FeedStory stories[FEED_STORIES];
    const char **outlets[FEED_STORIES] = {0};
    if (store_web_top_stories(s, FEED_STORIES, 0, &a, &rows, &n, &err) < 0)
        goto fail;
    int64_t newest = 0;
    for (size_t i = 0; i < n; i++) {
        stories[i] = (FeedStory){.row = &rows[i]};
        if (store_web_story_outlets(s, rows[i].id, FEED_OUTLETS, &a, &outlets[i], &stories[i].n_outlets, &err) < 0)
            goto fail;
        stories[i].outlets = outlets[i];
        if (rows[i].updated > newest)
            newest = rows[i].updated;
    }
    if (json) {
        render_feed_json(base, stories, n, &r->body);
        r->content_type = "application/feed+json; charset=utf-8";
    } else {
        render_feed_atom(base, stories, n, &r->body);
        r->content_type = "application/atom+xml; charset=utf-8";
    }
    r->status = 200;
    r->cache = "public, max-age=300";
    r->last_modified = newest;
    goto done;
fail:
    reply_store_error(r, 0, &err);
done:
    for (size_t i = 0; i < FEED_STORIES; i++)
        free(outlets[i]);
    free(rows);
    arena_free(&a);
}

static void story_feed(Server *sv, const char *base, const char *slug, Reply *r)
{
    if (!slug_valid(slug)) {
        reply_html_error(r, 404, "There is no story at this address.");
        return;
    }
    SwErr err;
    Store *s = server_store(sv, &err);
    if (!s) {
        reply_store_error(r, 0, &err);
        return;
    }
    Arena a = {0};
    StoryRow row;
    WebPageVersion *versions = NULL;
    size_t n = 0;
    int rc = store_story_by_slug(s, slug, &a, &row, &err);
    if (rc == 0 && row.page_version == 0)
        rc = STORE_NOT_FOUND;
    if (rc == 0)
        rc = store_web_page_versions(s, row.id, STORY_FEED_VERSIONS, &a, &versions, &n, &err);
    if (rc == STORE_NOT_FOUND && reply_moved(s, slug, "/story/", ".atom", 0, r, &err)) {
        /* merged into another story: its feed continues there */
    } else if (rc == STORE_NOT_FOUND) {
        reply_html_error(r, 404, "There is no story at this address.");
    } else if (rc < 0) {
        reply_store_error(r, 0, &err);
    } else {
        render_story_atom(base, &row, versions, n, &r->body);
        r->status = 200;
        r->content_type = "application/atom+xml; charset=utf-8";
        r->cache = "public, max-age=300";
        r->last_modified = row.updated;
    }
    free(versions);
    arena_free(&a);
}

int routes_feeds(Server *sv, struct MHD_Connection *c, const char *url, Reply *r)
{
    int top_atom = strcmp(url, "/feed.atom") == 0, top_json = strcmp(url, "/feed.json") == 0;
    size_t len = strlen(url);
    int story = strncmp(url, "/story/", 7) == 0 && len > 12 && strcmp(url + len - 5, ".atom") == 0;
    if (!top_atom && !top_json && !story)
        return 0;
    Buf base = {0};
    if (feed_base(sv, c, &base) < 0) {
        reply_html_error(r, 400, "Feeds need a valid Host header (host or host:port).");
        buf_free(&base);
        return 1;
    }
    if (story) {
        char slug[256];
        size_t n = len - 7 - 5;
        if (n >= sizeof slug)
            n = sizeof slug - 1; /* slug_valid refuses it: over 200 bytes */
        memcpy(slug, url + 7, n);
        slug[n] = '\0';
        story_feed(sv, buf_cstr(&base), slug, r);
    } else {
        top_feed(sv, buf_cstr(&base), top_json, r);
    }
    buf_free(&base);
    return 1;
}
