/* xml.c - the tolerant XML tokenizer (see xml.h).
 *
 * Shaped after sfeed's xml.c: one pass over the buffer, memchr to jump to
 * the next '<', names and raw attribute values handed out as pointer plus
 * length. Markup constructs that cannot affect a feed's content (comments,
 * processing instructions, DOCTYPE with its internal subset) are skipped
 * without interpretation, which is also what makes entity attacks void. */
#include "xml.h"

#include <stdint.h>
#include <string.h>

#include "../core/utf8util.h"

/* HTML's Latin-1 entities, in code point order from U+00A0. */
static const char *const latin1[96] = {
    "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf",
    "laquo", "not", "shy", "reg", "macr", "deg", "plusmn", "sup2", "sup3", "acute", "micro",
    "para", "middot", "cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
    "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil", "Egrave",
    "Eacute", "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml", "ETH", "Ntilde", "Ograve",
    "Oacute", "Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml",
    "Yacute", "THORN", "szlig", "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig",
    "ccedil", "egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml", "eth",
    "ntilde", "ograve", "oacute", "ocirc", "otilde", "ouml", "divide", "oslash", "ugrave",
    "uacute", "ucirc", "uuml", "yacute", "thorn", "yuml",
};

static const struct { const char *name; uint32_t cp; } named[] = {
    {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''},
    {"OElig", 0x152}, {"oelig", 0x153}, {"Scaron", 0x160}, {"scaron", 0x161}, {"Yuml", 0x178},
    {"fnof", 0x192}, {"circ", 0x2C6}, {"tilde", 0x2DC}, {"ensp", 0x2002}, {"emsp", 0x2003},
    {"thinsp", 0x2009}, {"zwnj", 0x200C}, {"zwj", 0x200D}, {"lrm", 0x200E}, {"rlm", 0x200F},
    {"ndash", 0x2013}, {"mdash", 0x2014}, {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"sbquo", 0x201A},
    {"ldquo", 0x201C}, {"rdquo", 0x201D}, {"bdquo", 0x201E}, {"dagger", 0x2020}, {"Dagger", 0x2021},
    {"bull", 0x2022}, {"hellip", 0x2026}, {"permil", 0x2030}, {"prime", 0x2032}, {"Prime", 0x2033},
    {"lsaquo", 0x2039}, {"rsaquo", 0x203A}, {"oline", 0x203E}, {"frasl", 0x2044}, {"euro", 0x20AC},
    {"trade", 0x2122}, {"larr", 0x2190}, {"uarr", 0x2191}, {"rarr", 0x2192}, {"darr", 0x2193},
    {"harr", 0x2194}, {"minus", 0x2212}, {"le", 0x2264}, {"ge", 0x2265}, {"ne", 0x2260},
};

static void put_cp(Buf *out, uint32_t cp)
{
    char enc[4];
    buf_append(out, enc, utf8_encode(cp, enc));
}

size_t xml_entity(const char *s, size_t n, Buf *out)
{
    size_t end = 1;
    while (end < n && end < 34 && s[end] != ';' && s[end] != '&' && s[end] != '<' && s[end] != ' ')
        end++;
    if (end >= n || s[end] != ';' || end < 2)
        return 0;
    if (s[1] == '#') {
        int hex = s[2] == 'x' || s[2] == 'X';
        size_t k = hex ? 3 : 2;
        if (k >= end)
            return 0;
        uint32_t cp = 0;
        for (; k < end; k++) {
            char c = s[k];
            uint32_t d;
            if (c >= '0' && c <= '9') d = (uint32_t)(c - '0');
            else if (hex && c >= 'a' && c <= 'f') d = (uint32_t)(c - 'a' + 10);
            else if (hex && c >= 'A' && c <= 'F') d = (uint32_t)(c - 'A' + 10);
            else return 0;
            cp = cp * (hex ? 16 : 10) + d;
            if (cp > 0x10FFFF)
                cp = 0x110000; /* keep reading digits, then replace */
        }
        if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            cp = 0xFFFD;
        else if (cp >= 0x80 && cp <= 0x9F) {
            /* feeds written through Windows-1252 say &#146; and mean U+2019 */
            static const uint16_t w1252[32] = {
                0x20AC, 0x81, 0x201A, 0x192, 0x201E, 0x2026, 0x2020, 0x2021, 0x2C6, 0x2030, 0x160,
                0x2039, 0x152, 0x8D, 0x17D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
                0x2013, 0x2014, 0x2DC, 0x2122, 0x161, 0x203A, 0x153, 0x9D, 0x17E, 0x178};
            cp = w1252[cp - 0x80];
        }
        put_cp(out, cp);
        return end + 1;
    }
    size_t len = end - 1;
    const char *name = s + 1;
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (strlen(named[i].name) == len && memcmp(named[i].name, name, len) == 0) {
            put_cp(out, named[i].cp);
            return end + 1;
        }
    for (size_t i = 0; i < 96; i++)
        if (strlen(latin1[i]) == len && memcmp(latin1[i], name, len) == 0) {
            put_cp(out, 0xA0 + (uint32_t)i);
            return end + 1;
        }
    return 0;
}

void xml_decode(Buf *out, const char *s, size_t n)
{
    buf_reserve(out, n);
    const char *end = s + n;
    while (s < end) {
        const char *amp = memchr(s, '&', (size_t)(end - s));
        if (!amp) {
            buf_append(out, s, (size_t)(end - s));
            return;
        }
        buf_append(out, s, (size_t)(amp - s));
        size_t used = xml_entity(amp, (size_t)(end - amp), out);
        if (used) {
            s = amp + used;
        } else {
            buf_putc(out, '&');
            s = amp + 1;
        }
    }
}

/* memmem for the short terminators ("]]>", "-->", "?>"): memchr to the
 * first byte, then compare; faster than the general algorithm here. */
static const char *find(const char *s, const char *end, const char *needle, size_t nlen)
{
    while ((size_t)(end - s) >= nlen) {
        const char *c = memchr(s, needle[0], (size_t)(end - s) - nlen + 1);
        if (!c)
            return NULL;
        if (memcmp(c, needle, nlen) == 0)
            return c;
        s = c + 1;
    }
    return NULL;
}

void xml_inner_value(Buf *out, const char *s, size_t n)
{
    const char *end = s + n;
    while (s < end) {
        const char *lt = memchr(s, '<', (size_t)(end - s));
        if (!lt) {
            xml_decode(out, s, (size_t)(end - s));
            return;
        }
        xml_decode(out, s, (size_t)(lt - s));
        if (end - lt >= 9 && memcmp(lt, "<![CDATA[", 9) == 0) {
            const char *e = find(lt + 9, end, "]]>", 3);
            buf_append(out, lt + 9, (size_t)((e ? e : end) - (lt + 9)));
            s = e ? e + 3 : end;
        } else if (end - lt >= 4 && memcmp(lt, "<!--", 4) == 0) {
            const char *e = find(lt + 4, end, "-->", 3);
            s = e ? e + 3 : end;
        } else if (end - lt >= 2 && lt[1] == '?') {
            const char *e = find(lt + 2, end, "?>", 2);
            s = e ? e + 2 : end;
        } else {
            const char *gt = memchr(lt, '>', (size_t)(end - lt));
            const char *stop = gt ? gt + 1 : end;
            buf_append(out, lt, (size_t)(stop - lt));
            s = stop;
        }
    }
}

const char *xml_local(const char *name, size_t len, size_t *local_len)
{
    const char *colon = memchr(name, ':', len);
    if (!colon) {
        *local_len = len;
        return name;
    }
    *local_len = len - (size_t)(colon + 1 - name);
    return colon + 1;
}

static int is_space(char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

static int is_name_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || c >= 0x80;
}

/* Every byte but whitespace and / > = < " ' may be part of a name. */
static const unsigned char name_stop[256] = {
    [' '] = 1, ['\n'] = 1, ['\t'] = 1, ['\r'] = 1, ['/'] = 1, ['>'] = 1, ['='] = 1, ['<'] = 1,
    ['"'] = 1, ['\''] = 1,
};

static inline int is_name_char(char c)
{
    return !name_stop[(unsigned char)c];
}

/* Skips <!DOCTYPE ...> (with an internal subset in [...]) or any other
 * <!...> declaration; returns the position after it. */
static size_t skip_decl(const char *s, size_t n, size_t i)
{
    int bracket = 0;
    char quote = 0;
    for (i += 2; i < n; i++) {
        char c = s[i];
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '[') {
            bracket++;
        } else if (c == ']') {
            if (bracket)
                bracket--;
        } else if (c == '>' && !bracket) {
            return i + 1;
        }
    }
    return n;
}

void xml_scan(const char *s, size_t n, XmlHandler *h)
{
    size_t i = 0;
    XmlAttr attrs[XML_MAX_ATTRS];
    while (i < n && !h->stop) {
        const char *lt = memchr(s + i, '<', n - i);
        size_t j = lt ? (size_t)(lt - s) : n;
        if (j > i && h->text)
            h->text(h->ctx, s + i, j - i, 0);
        if (!lt)
            return;
        i = j;
        const char *p = s + i;
        size_t left = n - i;
        if (left >= 4 && memcmp(p, "<!--", 4) == 0) {
            const char *e = find(p + 4, s + n, "-->", 3);
            i = e ? (size_t)(e - s) + 3 : n;
            continue;
        }
        if (left >= 9 && memcmp(p, "<![CDATA[", 9) == 0) {
            const char *e = find(p + 9, s + n, "]]>", 3);
            size_t stop = e ? (size_t)(e - s) : n;
            if (h->text && stop > i + 9)
                h->text(h->ctx, p + 9, stop - i - 9, 1);
            i = e ? stop + 3 : n;
            continue;
        }
        if (left >= 2 && p[1] == '!') {
            i = skip_decl(s, n, i);
            continue;
        }
        if (left >= 2 && p[1] == '?') {
            const char *e = find(p + 2, s + n, "?>", 2);
            i = e ? (size_t)(e - s) + 2 : n;
            continue;
        }
        if (left >= 2 && p[1] == '/') {
            size_t k = i + 2;
            while (k < n && is_space(s[k]))
                k++;
            size_t name = k;
            while (k < n && is_name_char(s[k]))
                k++;
            size_t name_len = k - name;
            const char *gt = memchr(s + k, '>', n - k);
            size_t next = gt ? (size_t)(gt - s) + 1 : n;
            if (name_len && h->end)
                h->end(h->ctx, s + name, name_len, p);
            i = next;
            continue;
        }
        if (left < 2 || !is_name_start((unsigned char)p[1])) {
            /* a stray '<' in text */
            if (h->text)
                h->text(h->ctx, p, 1, 0);
            i++;
            continue;
        }
        size_t k = i + 1, name = k;
        while (k < n && is_name_char(s[k]))
            k++;
        size_t name_len = k - name;
        size_t nattrs = 0;
        int self_close = 0, closed = 0;
        while (k < n) {
            char c = s[k];
            if (is_space(c)) {
                k++;
            } else if (c == '>') {
                k++;
                closed = 1;
                break;
            } else if (c == '/') {
                k++;
                if (k < n && s[k] == '>') {
                    self_close = 1;
                    closed = 1;
                    k++;
                    break;
                }
            } else if (c == '<') {
                break; /* an unclosed tag: let the next tag start here */
            } else if (!is_name_char(c)) {
                k++; /* stray '=' or quote */
            } else {
                size_t an = k;
                while (k < n && is_name_char(s[k]))
                    k++;
                size_t an_len = k - an;
                while (k < n && is_space(s[k]))
                    k++;
                const char *val = s + k;
                size_t val_len = 0;
                if (k < n && s[k] == '=') {
                    k++;
                    while (k < n && is_space(s[k]))
                        k++;
                    if (k < n && (s[k] == '"' || s[k] == '\'')) {
                        char q = s[k++];
                        const char *e = memchr(s + k, q, n - k);
                        size_t stop = e ? (size_t)(e - s) : n;
                        val = s + k;
                        val_len = stop - k;
                        k = e ? stop + 1 : n;
                    } else {
                        val = s + k;
                        while (k < n && !is_space(s[k]) && s[k] != '>')
                            k++;
                        val_len = (size_t)(s + k - val);
                    }
                }
                if (nattrs < XML_MAX_ATTRS)
                    attrs[nattrs++] = (XmlAttr){s + an, an_len, val, val_len};
            }
        }
        (void)closed;
        if (h->start)
            h->start(h->ctx, s + name, name_len, attrs, nattrs, s + k);
        if (self_close && h->end && !h->stop)
            h->end(h->ctx, s + name, name_len, s + k);
        i = k;
    }
}
