/* url.c - RFC 3986 reference resolution (section 5.2), for the relative
 * links feeds are full of (xml:base, the feed URL). Strings only: no
 * percent-decoding or normalisation beyond removing dot segments. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "feed.h"

typedef struct Uri {
    const char *scheme, *auth, *path, *query, *frag;
    size_t scheme_n, auth_n, path_n, query_n, frag_n;
    int has_scheme, has_auth, has_query, has_frag;
} Uri;

static void uri_split(const char *s, Uri *u)
{
    memset(u, 0, sizeof *u);
    const char *p = s;
    if (isalpha((unsigned char)*p)) {
        const char *q = p + 1;
        while (isalnum((unsigned char)*q) || *q == '+' || *q == '-' || *q == '.')
            q++;
        if (*q == ':') {
            u->scheme = p;
            u->scheme_n = (size_t)(q - p);
            u->has_scheme = 1;
            p = q + 1;
        }
    }
    if (p[0] == '/' && p[1] == '/') {
        p += 2;
        u->auth = p;
        while (*p && *p != '/' && *p != '?' && *p != '#')
            p++;
        u->auth_n = (size_t)(p - u->auth);
        u->has_auth = 1;
    }
    u->path = p;
    while (*p && *p != '?' && *p != '#')
        p++;
    u->path_n = (size_t)(p - u->path);
    if (*p == '?') {
        u->query = ++p;
        while (*p && *p != '#')
            p++;
        u->query_n = (size_t)(p - u->query);
        u->has_query = 1;
    }
    if (*p == '#') {
        u->frag = ++p;
        u->frag_n = strlen(p);
        u->has_frag = 1;
    }
}

/* Section 5.2.4, applied to path (n bytes), appended to out. */
static void remove_dots(const char *path, size_t n, Buf *out)
{
    size_t start = out->len;
    size_t i = 0;
    while (i < n) {
        const char *p = path + i;
        size_t left = n - i;
        if (left >= 3 && memcmp(p, "../", 3) == 0) {
            i += 3;
        } else if (left >= 2 && memcmp(p, "./", 2) == 0) {
            i += 2;
        } else if (left >= 3 && memcmp(p, "/./", 3) == 0) {
            i += 2;
        } else if (left == 2 && memcmp(p, "/.", 2) == 0) {
            buf_putc(out, '/');
            i += 2;
        } else if ((left >= 4 && memcmp(p, "/../", 4) == 0) || (left == 3 && memcmp(p, "/..", 3) == 0)) {
            /* drop the last segment written */
            while (out->len > start && out->data[out->len - 1] != '/')
                out->len--;
            if (out->len > start)
                out->len--;
            if (out->data) /* nothing written yet: an empty Buf has no data */
                out->data[out->len] = 0;
            if (left == 3)
                buf_putc(out, '/'); /* "/.." at the end stands for "/" */
            i += 3;
        } else if ((left == 1 && p[0] == '.') || (left == 2 && memcmp(p, "..", 2) == 0)) {
            i = n;
        } else {
            size_t k = i + (p[0] == '/' ? 1 : 0);
            while (k < n && path[k] != '/')
                k++;
            buf_append(out, p, k - i);
            i = k;
        }
    }
}

char *url_resolve(const char *base, const char *ref)
{
    if (!ref)
        return NULL;
    while (*ref == ' ' || *ref == '\t' || *ref == '\n' || *ref == '\r')
        ref++;
    size_t rn = strlen(ref);
    while (rn && (ref[rn - 1] == ' ' || ref[rn - 1] == '\t' || ref[rn - 1] == '\n' || ref[rn - 1] == '\r'))
        rn--;
    char *r0 = xstrndup(ref, rn);
    Uri r, b;
    uri_split(r0, &r);
    if (r.has_scheme || !base || !*base) {
        if (!r.has_scheme)
            return r0;
        Buf out = {0};
        buf_append(&out, r.scheme, r.scheme_n + 1);
        if (r.has_auth) {
            buf_puts(&out, "//");
            buf_append(&out, r.auth, r.auth_n);
        }
        remove_dots(r.path, r.path_n, &out);
        if (r.has_query) {
            buf_putc(&out, '?');
            buf_append(&out, r.query, r.query_n);
        }
        if (r.has_frag) {
            buf_putc(&out, '#');
            buf_append(&out, r.frag, r.frag_n);
        }
        free(r0);
        return buf_detach(&out);
    }
    uri_split(base, &b);
    Buf out = {0};
    if (b.has_scheme)
        buf_append(&out, b.scheme, b.scheme_n + 1);
    if (r.has_auth) {
        buf_puts(&out, "//");
        buf_append(&out, r.auth, r.auth_n);
        remove_dots(r.path, r.path_n, &out);
        if (r.has_query) {
            buf_putc(&out, '?');
            buf_append(&out, r.query, r.query_n);
        }
    } else {
        if (b.has_auth) {
            buf_puts(&out, "//");
            buf_append(&out, b.auth, b.auth_n);
        }
        if (r.path_n == 0) {
            buf_append(&out, b.path, b.path_n);
            if (r.has_query) {
                buf_putc(&out, '?');
                buf_append(&out, r.query, r.query_n);
            } else if (b.has_query) {
                buf_putc(&out, '?');
                buf_append(&out, b.query, b.query_n);
            }
        } else {
            Buf merged = {0};
            if (r.path[0] == '/') {
                buf_append(&merged, r.path, r.path_n);
            } else {
                /* section 5.2.3: base path up to its last '/', then ref */
                if (b.has_auth && b.path_n == 0) {
                    buf_putc(&merged, '/');
                } else {
                    size_t k = b.path_n;
                    while (k > 0 && b.path[k - 1] != '/')
                        k--;
                    buf_append(&merged, b.path, k);
                }
                buf_append(&merged, r.path, r.path_n);
            }
            remove_dots(merged.data, merged.len, &out);
            buf_free(&merged);
            if (r.has_query) {
                buf_putc(&out, '?');
                buf_append(&out, r.query, r.query_n);
            }
        }
    }
    if (r.has_frag) {
        buf_putc(&out, '#');
        buf_append(&out, r.frag, r.frag_n);
    }
    free(r0);
    if (!out.data)
        buf_puts(&out, "");
    return buf_detach(&out);
}
