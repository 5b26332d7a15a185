/* html_text.c - HTML to plain text for article bodies that arrive as HTML
 * inside JSONL ("html" key). Block elements become paragraph breaks,
 * script/style/navigation-like elements are dropped with their content,
 * entities are decoded. This is deliberately a tokenizer, not a DOM
 * parser: it cannot fail on broken markup, only degrade. */
#include <string.h>
#include <strings.h>

#include "../core/buf.h"
#include "../core/utf8util.h"
#include "ingest.h"

static const struct { const char *name; unsigned cp; } entities[] = {
    {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}, {"nbsp", 0xA0},
    {"ndash", 0x2013}, {"mdash", 0x2014}, {"hellip", 0x2026}, {"lsquo", 0x2018}, {"rsquo", 0x2019},
    {"ldquo", 0x201C}, {"rdquo", 0x201D}, {"laquo", 0xAB}, {"raquo", 0xBB}, {"copy", 0xA9},
    {"reg", 0xAE}, {"trade", 0x2122}, {"euro", 0x20AC}, {"pound", 0xA3}, {"deg", 0xB0},
    {"eacute", 0xE9}, {"egrave", 0xE8}, {"aacute", 0xE1}, {"agrave", 0xE0}, {"oacute", 0xF3},
    {"uacute", 0xFA}, {"iacute", 0xED}, {"ntilde", 0xF1}, {"ccedil", 0xE7}, {"uuml", 0xFC},
    {"ouml", 0xF6}, {"auml", 0xE4}, {"szlig", 0xDF}, {"middot", 0xB7}, {"bull", 0x2022},
};

/* Decodes the entity at s ('&' ... ';'); returns bytes consumed or 0. */
static size_t decode_entity(const char *s, size_t n, Buf *out)
{
    size_t end = 1;
    while (end < n && end < 12 && s[end] != ';' && s[end] != '&' && s[end] != ' ')
        end++;
    if (end >= n || s[end] != ';')
        return 0;
    unsigned long cp = 0;
    if (s[1] == '#') {
        int hex = end > 2 && (s[2] == 'x' || s[2] == 'X');
        size_t k = hex ? 3 : 2;
        if (k >= end)
            return 0;
        for (; k < end; k++) {
            char c = s[k];
            int d;
            if (c >= '0' && c <= '9') d = c - '0';
            else if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
            else if (hex && c >= 'A' && c <= 'F') d = c - 'A' + 10;
            else return 0;
            cp = cp * (hex ? 16 : 10) + (unsigned long)d;
            if (cp > 0x10FFFF)
                return 0;
        }
        if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF))
            cp = 0xFFFD;
    } else {
        size_t len = end - 1;
        for (size_t i = 0; i < sizeof entities / sizeof *entities; i++)
            if (strlen(entities[i].name) == len && memcmp(entities[i].name, s + 1, len) == 0)
                cp = entities[i].cp;
        if (!cp)
            return 0;
    }
    char enc[4];
    buf_append(out, enc, utf8_encode((uint32_t)cp, enc));
    return end + 1;
}

static int tag_is(const char *name, size_t len, const char *const *list)
{
    for (; *list; list++)
        if (strlen(*list) == len && strncasecmp(*list, name, len) == 0)
            return 1;
    return 0;
}

static const char *const block_tags[] = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li",
    "ul", "ol", "blockquote", "section", "article", "header", "footer", "table", "tr", "pre",
    "figure", "figcaption", "hr", "dd", "dt", NULL};
static const char *const skip_tags[] = {"script", "style", "noscript", "nav", "aside", "form",
    "button", "svg", "iframe", "template", "select", "head", NULL};

char *ingest_html_to_text(Arena *a, const char *s, size_t n)
{
    Buf out = {0};
    size_t i = 0;
    const char *skip_until = NULL; /* name of the element whose content we drop */
    size_t skip_len = 0;
    int depth = 0;
    while (i < n) {
        char c = s[i];
        if (c == '<') {
            /* comment */
            if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
                const char *e = memmem(s + i + 4, n - i - 4, "-->", 3);
                i = e ? (size_t)(e - s) + 3 : n;
                continue;
            }
            size_t j = i + 1;
            int closing = 0;
            if (j < n && s[j] == '/') {
                closing = 1;
                j++;
            }
            size_t name_start = j;
            while (j < n && ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z') ||
                             (s[j] >= '0' && s[j] <= '9')))
                j++;
            size_t name_len = j - name_start;
            /* find the end of the tag, respecting quoted attribute values */
            char quote = 0;
            while (j < n && (quote || s[j] != '>')) {
                if (quote && s[j] == quote)
                    quote = 0;
                else if (!quote && (s[j] == '"' || s[j] == '\''))
                    quote = s[j];
                j++;
            }
            int self_closing = j > 0 && j < n && s[j - 1] == '/';
            i = j < n ? j + 1 : n;
            if (name_len == 0)
                continue; /* <!DOCTYPE>, stray '<' */
            const char *name = s + name_start;
            if (skip_until) {
                if (name_len == skip_len && strncasecmp(name, skip_until, skip_len) == 0) {
                    if (closing && --depth == 0)
                        skip_until = NULL;
                    else if (!closing && !self_closing)
                        depth++;
                }
                continue;
            }
            if (!closing && !self_closing && tag_is(name, name_len, skip_tags)) {
                skip_until = name;
                skip_len = name_len;
                depth = 1;
                continue;
            }
            if (tag_is(name, name_len, block_tags)) {
                if (name_len == 2 && strncasecmp(name, "br", 2) == 0)
                    buf_putc(&out, '\n');
                else
                    buf_puts(&out, "\n\n");
            }
            continue;
        }
        if (skip_until) {
            i++;
            continue;
        }
        if (c == '&') {
            size_t used = decode_entity(s + i, n - i, &out);
            if (used) {
                i += used;
                continue;
            }
        }
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
        buf_putc(&out, c);
        i++;
    }
    char *r = arena_strndup(a, out.data ? out.data : "", out.len);
    buf_free(&out);
    return r;
}
