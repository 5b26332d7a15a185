/* html_text.c - HTML fragments from feeds (descriptions, content:encoded)
 * to plain text, written for throughput: text runs are copied whole
 * between '<' and '&', tag names are classified by a switch on their
 * length, and entities use the XML tokenizer's table (HTML's Latin-1 and
 * typographic names). Block elements become paragraph breaks, <br> a line
 * break; script, style and similar elements are dropped with their
 * content. Like the tokenizer it cannot fail on broken markup, only
 * degrade. The result still needs whitespace normalisation (feed.c).
 * It also tells whether the fragment has the tags of a whole page or of
 * its boilerplate, for fb_text to hand such content to the extractor. */
#include <string.h>
#include <strings.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "feed_internal.h"
#include "xml.h"

typedef enum { H_INLINE, H_BLOCK, H_BREAK, H_SKIP } HtmlClass;

/* Compares a tag name (any case) with a lower-case name of the same length. */
static int eq(const char *name, const char *lower, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((name[i] | 0x20) != lower[i])
            return 0;
    return 1;
}

/* By length first: this runs for every tag of every description. */
static HtmlClass classify(const char *name, size_t n)
{
    switch (n) {
    case 1:
        return (*name | 0x20) == 'p' ? H_BLOCK : H_INLINE;
    case 2:
        if (eq(name, "br", 2))
            return H_BREAK;
        if (eq(name, "li", 2) || eq(name, "ul", 2) || eq(name, "ol", 2) || eq(name, "tr", 2) ||
            eq(name, "dd", 2) || eq(name, "dt", 2) || eq(name, "hr", 2) ||
            ((name[0] | 0x20) == 'h' && name[1] >= '1' && name[1] <= '6'))
            return H_BLOCK;
        return H_INLINE;
    case 3:
        return eq(name, "div", 3) || eq(name, "pre", 3) ? H_BLOCK : eq(name, "svg", 3) ? H_SKIP : H_INLINE;
    case 4:
        return eq(name, "main", 4) ? H_BLOCK : eq(name, "form", 4) || eq(name, "head", 4) ? H_SKIP : H_INLINE;
    case 5:
        return eq(name, "table", 5) ? H_BLOCK : eq(name, "style", 5) || eq(name, "title", 5) ? H_SKIP : H_INLINE;
    case 6:
        if (eq(name, "figure", 6) || eq(name, "header", 6) || eq(name, "footer", 6))
            return H_BLOCK;
        return eq(name, "script", 6) || eq(name, "iframe", 6) || eq(name, "select", 6) ||
               eq(name, "button", 6) || eq(name, "object", 6) || eq(name, "canvas", 6) ? H_SKIP : H_INLINE;
    case 7:
        return eq(name, "section", 7) || eq(name, "article", 7) || eq(name, "address", 7) ||
               eq(name, "details", 7) || eq(name, "summary", 7) ? H_BLOCK : H_INLINE;
    case 8:
        return eq(name, "noscript", 8) || eq(name, "template", 8) ? H_SKIP : H_INLINE;
    case 10:
        return eq(name, "figcaption", 10) || eq(name, "blockquote", 10) ? H_BLOCK : H_INLINE;
    default:
        return H_INLINE;
    }
}

/* Tags of a whole page or of its boilerplate (navigation, sidebars,
 * footers, forms, menus): a fragment holding one goes through the
 * article extractor too (see fb_text). Checked for tags whose length
 * could match only. */
static int page_tag(const char *name, size_t n)
{
    switch (n) {
    case 3:
        return eq(name, "nav", 3);
    case 4:
        return eq(name, "html", 4) || eq(name, "body", 4) || eq(name, "head", 4) || eq(name, "form", 4) ||
               eq(name, "menu", 4);
    case 5:
        return eq(name, "aside", 5);
    case 6:
        return eq(name, "footer", 6);
    default:
        return 0;
    }
}

/* The first '<' or '&' at or after s, or end: sixteen bytes a step with
 * SSE2, else byte by byte. */
static const char *text_end(const char *s, const char *end)
{
#ifdef __SSE2__
    const __m128i lt = _mm_set1_epi8('<'), amp = _mm_set1_epi8('&');
    while (end - s >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
        int m = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, lt), _mm_cmpeq_epi8(v, amp)));
        if (m)
            return s + __builtin_ctz((unsigned)m);
        s += 16;
    }
#endif
    while (s < end && *s != '<' && *s != '&')
        s++;
    return s;
}

void fb_html_to_text(Buf *out, const char *s, size_t n, int *page)
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
        const char *p = text_end(s, end);
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
        if (!closing && name_len >= 3 && name_len <= 6 && page_tag(name, name_len))
            *page = 1;
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
