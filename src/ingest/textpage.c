/* textpage.c - reads the plain story-page layout (see
 * shared/seed/story-page-example.txt):
 *
 *   Title
 *   <blank>
 *   Summary paragraph
 *   <blank>
 *   slug-of-the-story
 *   Image for <Title>          (optional)
 *   <blank>
 *   Section heading            (a short line without closing punctuation)
 *   <blank>
 *   Paragraph ...
 *   ...
 *   You might also like        (ends the body; related headlines follow)
 *
 * The article's text is the summary followed by the paragraphs; headings
 * are layout, not sentences, and are left out. */
#include <string.h>

#include "../core/buf.h"
#include "../text/unicode.h"
#include "ingest.h"

typedef struct {
    const char *start;
    size_t len;
} Line;

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

static int is_slug(const char *s, size_t n)
{
    if (n < 3 || n > 120)
        return 0;
    int dashes = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '-') {
            if (i == 0 || i == n - 1 || s[i - 1] == '-')
                return 0;
            dashes++;
        } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
            return 0;
        }
    }
    return dashes >= 1;
}

static int starts_with(const char *s, size_t n, const char *prefix)
{
    size_t pl = strlen(prefix);
    return n >= pl && memcmp(s, prefix, pl) == 0;
}

/* A heading is one short line that does not end like a sentence. */
static int is_heading(const Line *lines, size_t n_lines)
{
    if (n_lines != 1)
        return 0;
    const char *s = lines[0].start;
    size_t n = lines[0].len;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    if (n == 0 || n > 160)
        return 0;
    unsigned char last = (unsigned char)s[n - 1];
    if (last == '.' || last == '!' || last == '?' || last == '"' || last == '\'' || last == ':')
        return 0;
    /* closing curly quotes (U+201D, U+2019) end sentences too */
    if (n >= 3 && (memcmp(s + n - 3, "\xE2\x80\x9D", 3) == 0 || memcmp(s + n - 3, "\xE2\x80\x99", 3) == 0))
        return 0;
    size_t words = 1;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ' ')
            words++;
    return words <= 16;
}

static void append_block(Buf *text, const Line *lines, size_t n_lines)
{
    if (text->len)
        buf_puts(text, "\n\n");
    for (size_t i = 0; i < n_lines; i++) {
        if (i)
            buf_putc(text, ' ');
        buf_append(text, lines[i].start, lines[i].len);
    }
}

int ingest_textpage(Arena *a, const char *src, size_t n, Article *out, SwErr *err)
{
    memset(out, 0, sizeof *out);
    char *clean = text_clean(a, src, n);
    size_t len = strlen(clean);

    /* split into lines */
    size_t cap = 64, n_lines = 0;
    Line *lines = ARENA_ARRAY(a, Line, cap);
    for (const char *p = clean, *end = clean + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (n_lines == cap) {
            lines = arena_grow(a, lines, cap, cap * 2, sizeof *lines);
            cap *= 2;
        }
        lines[n_lines++] = (Line){p, l};
        p += l + (nl ? 1 : 0);
    }

    Buf text = {0};
    const char *title = NULL, *slug = NULL;
    int have_summary = 0;
    size_t i = 0, paragraphs = 0;
    while (i < n_lines) {
        if (is_blank(lines[i].start, lines[i].len)) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n_lines && !is_blank(lines[j].start, lines[j].len))
            j++;
        /* block = lines[i..j) */
        if (starts_with(lines[i].start, lines[i].len, "You might also like"))
            break;
        if (!title) {
            title = arena_strndup(a, lines[i].start, lines[i].len);
            i++;
            if (i < j) { /* title and text without a blank line between them */
                append_block(&text, lines + i, j - i);
                have_summary = 1;
                paragraphs++;
            }
        } else if (is_slug(lines[i].start, lines[i].len) && !slug) {
            slug = arena_strndup(a, lines[i].start, lines[i].len);
            /* "Image for <title>" and anything else in the slug block is layout */
        } else if (starts_with(lines[i].start, lines[i].len, "Image for ") && j - i == 1) {
            /* a lone image caption line */
        } else if (!have_summary) {
            append_block(&text, lines + i, j - i);
            have_summary = 1;
            paragraphs++;
        } else if (!is_heading(lines + i, j - i)) {
            append_block(&text, lines + i, j - i);
            paragraphs++;
        }
        i = j;
    }
    if (!title) {
        buf_free(&text);
        return sw_err(err, "no title line");
    }
    if (!paragraphs) {
        buf_free(&text);
        return sw_err(err, "a title but no paragraphs");
    }
    out->title = title;
    out->text = arena_strndup(a, text.data, text.len);
    out->ext_id = slug;
    buf_free(&text);
    return 0;
}
