/* html_text.c - HTML fragments from feeds (descriptions, content:encoded)
 * to plain text, written for throughput: text runs are copied whole
 * between '<' and '&', tag names are classified by a switch on their
 * length, and entities use the XML tokenizer's table (HTML's Latin-1 and
 * typographic names). Block elements become paragraph breaks, <br> a line
 * break; script, style and similar elements are dropped with their
 * content. Like the tokenizer it cannot fail on broken markup, only
 * degrade. The result still needs whitespace normalisation (feed.c). */
#include <string.h>
#include <strings.h>

#include "feed_internal.h"
#include "xml.h"

typedef enum { H_INLINE, H_BLOCK, H_BREAK, H_SKIP } HtmlClass;

static int name_is(const char *name, size_t n, const char *want)
{
    return strlen(want) == n && strncasecmp(name, want, n) == 0;
}

static HtmlClass classify(const char *name, size_t n)
{
    static const char *const block[] = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5",
        "h6", "tr", "dd", "dt", "hr", "pre", "table", "section", "article", "header", "footer",
        "figure", "figcaption", "blockquote", "main", "address", "details", "summary", NULL};
    static const char *const skip[] = {"script", "style", "noscript", "template", "iframe", "svg",
        "select", "button", "form", "head", "title", "object", "canvas", NULL};
    if (n == 2 && strncasecmp(name, "br", 2) == 0)
        return H_BREAK;
    if (n == 1 && (*name | 0x20) != 'p')
        return H_INLINE; /* a, b, i, u, s, q */
    for (size_t i = 0; block[i]; i++)
        if (name_is(name, n, block[i]))
            return H_BLOCK;
    if (n >= 3)
        for (size_t i = 0; skip[i]; i++)
            if (name_is(name, n, skip[i]))
                return H_SKIP;
    return H_INLINE;
}

void fb_html_to_text(Buf *out, const char *s, size_t n)
{
    const char *end = s + n;
    buf_reserve(out, n);
    const char *skip_name = NULL; /* inside <script> etc.: until its end tag */
    size_t skip_len = 0;
    while (s < end) {
        if (skip_name) {
            /* find "</name" */
            const char *lt = s;
            for (;;) {
                lt = memchr(lt, '<', (size_t)(end - lt));
                if (!lt || (end - lt > (ptrdiff_t)(skip_len + 1) && lt[1] == '/' &&
                            strncasecmp(lt + 2, skip_name, skip_len) == 0))
                    break;
                lt++;
            }
            if (!lt)
                return;
            const char *gt = memchr(lt, '>', (size_t)(end - lt));
            s = gt ? gt + 1 : end;
            skip_name = NULL;
            continue;
        }
        const char *p = s;
        while (p < end && *p != '<' && *p != '&')
            p++;
        buf_append(out, s, (size_t)(p - s));
        if (p >= end)
            return;
        if (*p == '&') {
            size_t used = xml_entity(p, (size_t)(end - p), out);
            if (!used) {
                buf_putc(out, '&');
                used = 1;
            }
            s = p + used;
            continue;
        }
        /* a tag, comment or declaration at p */
        if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
            const char *e = memmem(p + 4, (size_t)(end - p - 4), "-->", 3);
            s = e ? e + 3 : end;
            continue;
        }
        const char *q = p + 1;
        int closing = q < end && *q == '/';
        if (closing)
            q++;
        const char *name = q;
        while (q < end && ((*q | 0x20) >= 'a' && (*q | 0x20) <= 'z' ? 1 : (*q >= '0' && *q <= '9')))
            q++;
        size_t name_len = (size_t)(q - name);
        if (!name_len && !(q < end && (*q == '!' || *q == '?'))) {
            buf_putc(out, '<'); /* "a < b": a character, not a tag */
            s = p + 1;
            continue;
        }
        /* the end of the tag, past quoted attribute values */
        char quote = 0;
        while (q < end && (quote || *q != '>')) {
            if (quote && *q == quote)
                quote = 0;
            else if (!quote && (*q == '"' || *q == '\''))
                quote = *q;
            q++;
        }
        s = q < end ? q + 1 : end;
        if (!name_len)
            continue;
        switch (classify(name, name_len)) {
        case H_BREAK:
            buf_putc(out, '\n');
            break;
        case H_BLOCK:
            buf_append(out, "\n\n", 2);
            break;
        case H_SKIP:
            if (!closing && q > p && q[-1] != '/') {
                skip_name = name;
                skip_len = name_len;
            }
            break;
        default:
            break;
        }
    }
}
