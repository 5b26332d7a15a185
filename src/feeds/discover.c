/* discover.c - the feeds a web page advertises with
 * <link rel="alternate" type="application/rss+xml" href="...">, resolved
 * against the page URL (or its <base href>). Uses the tolerant XML
 * tokenizer, which copes with HTML well enough for <head> links. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "feed.h"
#include "xml.h"

#define DISCOVER_MAX 64

typedef struct Discover {
    char **urls;
    size_t n;
    char *base;
    int base_seen;
    Buf scratch;
    XmlHandler *h;
} Discover;

static const XmlAttr *hattr(const XmlAttr *a, size_t na, const char *name)
{
    size_t l = strlen(name);
    for (size_t i = 0; i < na; i++)
        if (a[i].name_len == l && strncasecmp(a[i].name, name, l) == 0)
            return &a[i];
    return NULL;
}

static char *hattr_dup(Discover *d, const XmlAttr *a, size_t na, const char *name)
{
    const XmlAttr *x = hattr(a, na, name);
    if (!x)
        return NULL;
    buf_reset(&d->scratch);
    xml_decode(&d->scratch, x->value, x->value_len);
    return xstrdup(d->scratch.data ? d->scratch.data : "");
}

/* rel is a space-separated token list: "alternate" must be one of them. */
static int has_token(const char *list, const char *token)
{
    size_t tl = strlen(token);
    const char *p = list;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '\n')
            p++;
        const char *s = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n')
            p++;
        if ((size_t)(p - s) == tl && strncasecmp(s, token, tl) == 0)
            return 1;
    }
    return 0;
}

static int is_feed_type(const char *t)
{
    static const char *const types[] = {"application/rss+xml", "application/atom+xml",
        "application/feed+json", "application/json", "application/rdf+xml", "text/xml",
        "application/xml", "application/x.atom+xml", "application/x-atom+xml", NULL};
    while (*t == ' ')
        t++;
    size_t n = strcspn(t, " ;");
    for (size_t i = 0; types[i]; i++)
        if (strlen(types[i]) == n && strncasecmp(t, types[i], n) == 0)
            return 1;
    return 0;
}

static void on_start(void *ctx, const char *name, size_t name_len, const XmlAttr *a, size_t na,
                     const char *after)
{
    Discover *d = ctx;
    if (name_len == 4 && strncasecmp(name, "base", 4) == 0 && !d->base_seen) {
        d->base_seen = 1;
        char *href = hattr_dup(d, a, na, "href");
        if (href && *href) {
            char *abs = url_resolve(d->base, href);
            free(d->base);
            d->base = abs;
        }
        free(href);
        return;
    }
    if (name_len == 4 && strncasecmp(name, "body", 4) == 0) {
        d->h->stop = 1; /* feed links live in <head> */
        return;
    }
    if (!(name_len == 4 && strncasecmp(name, "link", 4) == 0) || d->n >= DISCOVER_MAX)
        return;
    char *rel = hattr_dup(d, a, na, "rel");
    char *type = hattr_dup(d, a, na, "type");
    char *href = hattr_dup(d, a, na, "href");
    if (rel && type && href && *href && has_token(rel, "alternate") && is_feed_type(type)) {
        char *abs = url_resolve(d->base, href);
        int dup = 0;
        for (size_t i = 0; i < d->n; i++)
            if (strcmp(d->urls[i], abs) == 0)
                dup = 1;
        if (dup) {
            free(abs);
        } else {
            d->urls = xrealloc(d->urls, (d->n + 1) * sizeof *d->urls);
            d->urls[d->n++] = abs;
        }
    }
    free(rel);
    free(type);
    free(href);
}

int feed_discover(const char *html, size_t len, const char *page_url, char ***urls, size_t *n,
                  SwErr *err)
{
    *urls = NULL;
    *n = 0;
    if (!html)
        return sw_err(err, "no page to search for feeds");
    Discover d = {0};
    d.base = page_url ? xstrdup(page_url) : NULL;
    XmlHandler h = {.start = on_start, .ctx = &d};
    d.h = &h;
    xml_scan(html, len, &h);
    free(d.base);
    buf_free(&d.scratch);
    *urls = d.urls;
    *n = d.n;
    return 0;
}

void feed_urls_free(char **urls, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(urls[i]);
    free(urls);
}
