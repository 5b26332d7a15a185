/* opml.c - OPML 1.0/2.0 subscription lists: reading (nested outlines
 * flattened, folder names kept as categories) and writing OPML 2.0.
 * Reading uses the same tolerant tokenizer as feeds, so a hand-edited
 * file with small errors still yields its subscriptions. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/timeutil.h"
#include "feed.h"
#include "xml.h"

#define OPML_MAX_DEPTH 64
#define OPML_MAX_OUTLINES 1000000

typedef struct OpmlParser {
    OpmlOutline *out;
    size_t n, cap;
    char *folders[OPML_MAX_DEPTH]; /* NULL for an outline that is not a folder */
    size_t depth, overflow;
    int root_seen, is_opml, in_body;
    Buf scratch;
    XmlHandler *h;
} OpmlParser;

static char *attr_dup(OpmlParser *p, const XmlAttr *a, size_t na, const char *name)
{
    size_t l = strlen(name);
    for (size_t i = 0; i < na; i++) {
        /* OPML files in the wild spell attributes in any case (xmlurl) */
        if (a[i].name_len == l && strncasecmp(a[i].name, name, l) == 0) {
            buf_reset(&p->scratch);
            xml_decode(&p->scratch, a[i].value, a[i].value_len);
            /* control characters are not text (and the writer could not
             * write them back): tabs and newlines become spaces, the
             * rest is dropped */
            size_t k = 0;
            for (size_t j = 0; j < p->scratch.len; j++) {
                unsigned char c = (unsigned char)p->scratch.data[j];
                if (c == '\t' || c == '\n' || c == '\r')
                    p->scratch.data[k++] = ' ';
                else if (c >= 0x20 && c != 0x7F)
                    p->scratch.data[k++] = (char)c;
            }
            const char *s = p->scratch.data ? p->scratch.data : "";
            size_t n = k;
            while (n && *s == ' ')
                s++, n--;
            while (n && s[n - 1] == ' ')
                n--;
            return n ? xstrndup(s, n) : NULL;
        }
    }
    return NULL;
}

static void on_start(void *ctx, const char *name, size_t name_len, const XmlAttr *a, size_t na,
                     const char *after)
{
    OpmlParser *p = ctx;
    size_t ll;
    const char *local = xml_local(name, name_len, &ll);
    if (!p->root_seen) {
        p->root_seen = 1;
        p->is_opml = ll == 4 && strncasecmp(local, "opml", 4) == 0;
        if (!p->is_opml)
            p->h->stop = 1;
        return;
    }
    if (!(ll == 7 && strncasecmp(local, "outline", 7) == 0))
        return;
    if (p->depth >= OPML_MAX_DEPTH) {
        p->overflow++;
        return;
    }
    char *xml_url = attr_dup(p, a, na, "xmlUrl");
    char *title = attr_dup(p, a, na, "title");
    char *text = attr_dup(p, a, na, "text");
    if (!title) {
        title = text;
        text = NULL;
    }
    free(text);
    if (!xml_url) {
        p->folders[p->depth++] = title; /* a folder (or an empty outline) */
        return;
    }
    p->folders[p->depth++] = NULL;
    if (p->n >= OPML_MAX_OUTLINES) {
        free(xml_url);
        free(title);
        return;
    }
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 16;
        p->out = xrealloc(p->out, p->cap * sizeof *p->out);
    }
    OpmlOutline *o = &p->out[p->n++];
    o->xml_url = xml_url;
    o->title = title;
    o->html_url = attr_dup(p, a, na, "htmlUrl");
    o->category = attr_dup(p, a, na, "category");
    if (!o->category) {
        Buf path = {0};
        for (size_t i = 0; i + 1 < p->depth; i++)
            if (p->folders[i]) {
                if (path.len)
                    buf_putc(&path, '/');
                buf_puts(&path, p->folders[i]);
            }
        o->category = path.len ? buf_detach(&path) : NULL;
        buf_free(&path);
    }
}

static void on_end(void *ctx, const char *name, size_t name_len, const char *at)
{
    OpmlParser *p = ctx;
    size_t ll;
    const char *local = xml_local(name, name_len, &ll);
    if (!(ll == 7 && strncasecmp(local, "outline", 7) == 0))
        return;
    if (p->overflow) {
        p->overflow--;
        return;
    }
    if (p->depth) {
        p->depth--;
        free(p->folders[p->depth]);
        p->folders[p->depth] = NULL;
    }
}

int opml_parse(const char *data, size_t len, OpmlOutline **out, size_t *n, SwErr *err)
{
    *out = NULL;
    *n = 0;
    if (!data || !len)
        return sw_err(err, "empty document (0 bytes), not OPML");
    if (len > FEED_MAX_BYTES)
        return sw_err(err, "document is %zu bytes, over the %u MB limit", len, FEED_MAX_BYTES >> 20);
    size_t skip = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    OpmlParser p = {0};
    XmlHandler h = {.start = on_start, .end = on_end, .ctx = &p};
    p.h = &h;
    xml_scan(data + skip, len - skip, &h);
    for (size_t i = 0; i < p.depth; i++)
        free(p.folders[i]);
    buf_free(&p.scratch);
    if (!p.is_opml) {
        opml_free(p.out, p.n);
        return sw_err(err, "not OPML: %s", p.root_seen ? "the root element is not <opml>" : "no XML element found");
    }
    *out = p.out;
    *n = p.n;
    return 0;
}

void opml_free(OpmlOutline *o, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(o[i].title);
        free(o[i].xml_url);
        free(o[i].html_url);
        free(o[i].category);
    }
    free(o);
}

static void put_attr(Buf *out, const char *name, const char *value)
{
    if (!value || !*value)
        return;
    buf_printf(out, " %s=\"", name);
    buf_html(out, value);
    buf_putc(out, '"');
}

void opml_write(const OpmlOutline *o, size_t n, const char *title, Buf *out)
{
    char date[40];
    time_format_http(time_now(), date, sizeof date);
    buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n<head>\n");
    buf_puts(out, "  <title>");
    buf_html(out, title ? title : "storywire subscriptions");
    buf_printf(out, "</title>\n  <dateCreated>%s</dateCreated>\n</head>\n<body>\n", date);
    for (size_t i = 0; i < n; i++) {
        buf_puts(out, "  <outline type=\"rss\"");
        const char *name = o[i].title ? o[i].title : o[i].xml_url;
        put_attr(out, "text", name);
        put_attr(out, "title", o[i].title);
        put_attr(out, "xmlUrl", o[i].xml_url);
        put_attr(out, "htmlUrl", o[i].html_url);
        put_attr(out, "category", o[i].category);
        buf_puts(out, "/>\n");
    }
    buf_puts(out, "</body>\n</opml>\n");
}
