/* text.c - a Page as plain text and as Markdown.
 *
 * The plain text follows the layout of the published example page line for
 * line (headline, blank, summary, blank, slug, "Image for ...", sections),
 * then adds what the example leaves implicit: a quotes section, background
 * lines ("According to WordNet, ..." as the example's closing section has
 * them), the timeline of dated events, the related stories under "You
 * might also like", and the numbered sources every [n] refers to. Every line is one logical line: article strings have their
 * line breaks folded to spaces so no article can forge page structure.
 *
 * The Markdown carries the same content; article text is escaped so that
 * it cannot turn into links, emphasis or raw HTML, and only http(s) URLs
 * become links. */
#include "render.h"

#include <string.h>

#include "render_util.h"

/* ---- plain text ---- */

static void text_sentences(Buf *b, const Page *p, const PageSentence *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_putc(b, ' ');
        render_plain(b, s[i].text);
        if (render_source(p, s[i].source))
            buf_printf(b, " [%d]", s[i].source + 1);
    }
}

static void text_quote(Buf *b, const Page *p, const PageQuote *q)
{
    size_t len;
    const char *close = render_quote_close(q->text ? q->text : "", &len);
    buf_puts(b, "\xE2\x80\x9C"); /* “ */
    render_plain_n(b, q->text ? q->text : "", len);
    buf_puts(b, close);
    buf_puts(b, "\xE2\x80\x9D"); /* ” */
    if (q->speaker && *q->speaker) {
        buf_putc(b, ' ');
        render_plain(b, q->speaker);
        buf_putc(b, ' ');
        render_plain(b, q->verb && *q->verb ? q->verb : "said");
        buf_putc(b, '.');
    }
    if (render_source(p, q->source))
        buf_printf(b, " [%d]", q->source + 1);
    buf_putc(b, '\n');
}

/* "[1] Outlet — Title — URL — 2026-10-03T08:15:00Z", leaving out what is
 * unknown. */
static void text_source(Buf *b, size_t i, const PageSource *s)
{
    buf_printf(b, "[%zu]", i + 1);
    const char *sep = " ";
    if (s->outlet && *s->outlet) {
        buf_puts(b, sep);
        render_plain(b, s->outlet);
        sep = " \xE2\x80\x94 ";
    }
    if (s->title && *s->title) {
        buf_puts(b, sep);
        render_plain(b, s->title);
        sep = " \xE2\x80\x94 ";
    }
    if (s->url && *s->url) {
        buf_puts(b, sep);
        render_plain(b, s->url);
        sep = " \xE2\x80\x94 ";
    }
    if (s->published) {
        char when[32];
        render_rfc3339(s->published, when, sizeof when);
        buf_puts(b, sep);
        buf_puts(b, when);
    }
    for (size_t k = 0; k < s->n_also; k++) {
        buf_puts(b, k ? ", " : " (also reported by ");
        render_plain(b, s->also[k]);
    }
    if (s->n_also)
        buf_putc(b, ')');
    buf_putc(b, '\n');
}

void render_text(const Page *p, Buf *out)
{
    render_plain(out, p->headline);
    buf_puts(out, "\n\n");
    text_sentences(out, p, p->summary, p->n_summary);
    buf_puts(out, "\n\n");

    int has_slug = p->slug && *p->slug, has_image = p->image && *p->image;
    if (has_slug) {
        render_plain(out, p->slug);
        buf_putc(out, '\n');
    }
    if (has_image) {
        buf_puts(out, "Image for ");
        render_plain(out, p->headline);
        buf_putc(out, '\n');
    }
    if (has_slug || has_image)
        buf_putc(out, '\n');

    for (size_t i = 0; i < p->n_sections; i++) {
        const PageSection *sec = &p->sections[i];
        render_plain(out, sec->heading);
        buf_puts(out, "\n\n");
        for (size_t j = 0; j < sec->n_paragraphs; j++) {
            if (!sec->paragraphs[j].n_sentences)
                continue;
            text_sentences(out, p, sec->paragraphs[j].sentences, sec->paragraphs[j].n_sentences);
            buf_puts(out, "\n\n");
        }
    }

    if (p->n_quotes) {
        buf_puts(out, "In their words\n\n");
        for (size_t i = 0; i < p->n_quotes; i++)
            text_quote(out, p, &p->quotes[i]);
        buf_putc(out, '\n');
    }

    if (p->n_background) {
        buf_puts(out, "Background\n\n");
        for (size_t i = 0; i < p->n_background; i++) {
            Buf body = {0};
            render_background_body(&body, &p->background[i]);
            buf_puts(out, "According to ");
            render_plain(out, p->background[i].attribution);
            buf_puts(out, ", ");
            render_plain(out, buf_cstr(&body));
            buf_putc(out, '\n');
            buf_free(&body);
        }
        buf_putc(out, '\n');
    }

    if (p->n_timeline) {
        buf_puts(out, "Timeline\n\n");
        for (size_t i = 0; i < p->n_timeline; i++) {
            const PageEvent *ev = &p->timeline[i];
            Buf when = {0};
            render_event_date(&when, ev->date);
            render_plain(out, buf_cstr(&when));
            buf_puts(out, ": ");
            render_plain(out, ev->text);
            if (render_source(p, ev->source))
                buf_printf(out, " [%d]", ev->source + 1);
            buf_putc(out, '\n');
            buf_free(&when);
        }
        buf_putc(out, '\n');
    }

    /* The heading is written even without related stories, as on the
     * example page: it marks where the story itself ends. */
    buf_puts(out, "You might also like\n");
    for (size_t i = 0; i < p->n_related; i++) {
        render_plain(out, p->related[i].headline);
        buf_putc(out, '\n');
    }

    if (p->n_sources) {
        buf_puts(out, "\nSources\n");
        for (size_t i = 0; i < p->n_sources; i++)
            text_source(out, i, &p->sources[i]);
    }
}

/* ---- Markdown ---- */

/* Appends article text with Markdown's active characters escaped; at the
 * start of a block, characters that would open a heading, list or quote
 * are escaped too. */
static void md_text(Buf *b, const char *s, int block_start)
{
    Buf plain = {0};
    render_plain(&plain, s);
    const char *t = buf_cstr(&plain);
    if (block_start) {
        while (*t == ' ')
            t++;
        size_t digits = strspn(t, "0123456789");
        if (*t && strchr("-+=>#", *t))
            buf_putc(b, '\\');
        else if (digits && (t[digits] == '.' || t[digits] == ')')) {
            buf_append(b, t, digits);
            buf_putc(b, '\\');
            t += digits;
        }
    }
    for (; *t; t++) {
        if (strchr("\\`*_[]<>|~&", *t))
            buf_putc(b, '\\');
        buf_putc(b, *t);
    }
    buf_free(&plain);
}

/* A URL inside (...) of a Markdown link: only called for render_url_ok
 * URLs (no spaces or controls); brackets and parentheses are encoded. */
static void md_url(Buf *b, const char *url)
{
    for (const char *c = url; *c; c++) {
        switch (*c) {
        case '(': buf_puts(b, "%28"); break;
        case ')': buf_puts(b, "%29"); break;
        case '<': buf_puts(b, "%3C"); break;
        case '>': buf_puts(b, "%3E"); break;
        case '[': buf_puts(b, "%5B"); break;
        case ']': buf_puts(b, "%5D"); break;
        case '\\': buf_puts(b, "%5C"); break;
        default: buf_putc(b, *c);
        }
    }
}

static void md_cite(Buf *b, const Page *p, int source)
{
    const PageSource *s = render_source(p, source);
    if (!s)
        return;
    if (render_url_ok(s->url)) {
        buf_printf(b, " [%d](", source + 1);
        md_url(b, s->url);
        buf_putc(b, ')');
    } else {
        buf_printf(b, " \\[%d\\]", source + 1);
    }
}

static void md_sentences(Buf *b, const Page *p, const PageSentence *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_putc(b, ' ');
        md_text(b, s[i].text, i == 0);
        md_cite(b, p, s[i].source);
    }
}

void render_markdown(const Page *p, Buf *out)
{
    buf_puts(out, "# ");
    md_text(out, p->headline, 0);
    buf_puts(out, "\n\n");

    char updated[32];
    render_rfc3339(p->updated, updated, sizeof updated);
    buf_putc(out, '*');
    if (p->slug && *p->slug) {
        md_text(out, p->slug, 0);
        buf_puts(out, " \xC2\xB7 ");
    }
    buf_printf(out, "%d article%s from %d outlet%s", p->article_count, p->article_count == 1 ? "" : "s",
               p->source_count, p->source_count == 1 ? "" : "s");
    if (*updated)
        buf_printf(out, " \xC2\xB7 updated %s", updated);
    buf_puts(out, "*\n\n");

    if (p->n_summary) {
        md_sentences(out, p, p->summary, p->n_summary);
        buf_puts(out, "\n\n");
    }
    if (render_url_ok(p->image)) {
        buf_puts(out, "![Image for ");
        md_text(out, p->headline, 0);
        buf_puts(out, "](");
        md_url(out, p->image);
        buf_puts(out, ")\n\n");
    }

    for (size_t i = 0; i < p->n_sections; i++) {
        const PageSection *sec = &p->sections[i];
        buf_puts(out, "## ");
        md_text(out, sec->heading, 0);
        buf_puts(out, "\n\n");
        for (size_t j = 0; j < sec->n_paragraphs; j++) {
            if (!sec->paragraphs[j].n_sentences)
                continue;
            md_sentences(out, p, sec->paragraphs[j].sentences, sec->paragraphs[j].n_sentences);
            buf_puts(out, "\n\n");
        }
    }

    if (p->n_quotes) {
        buf_puts(out, "## In their words\n\n");
        for (size_t i = 0; i < p->n_quotes; i++) {
            const PageQuote *q = &p->quotes[i];
            buf_puts(out, "> \xE2\x80\x9C");
            md_text(out, q->text, 0);
            buf_puts(out, "\xE2\x80\x9D\n>\n> \xE2\x80\x94 ");
            if (q->speaker && *q->speaker) {
                md_text(out, q->speaker, 0);
                if (q->verb && *q->verb) {
                    buf_puts(out, ", ");
                    md_text(out, q->verb, 0);
                }
            } else {
                buf_puts(out, "Unnamed speaker");
            }
            md_cite(out, p, q->source);
            buf_puts(out, "\n\n");
        }
    }

    if (p->n_background) {
        buf_puts(out, "## Background\n\n");
        for (size_t i = 0; i < p->n_background; i++) {
            const PageBackground *bg = &p->background[i];
            Buf body = {0};
            render_background_body(&body, bg);
            buf_puts(out, "- According to ");
            if (render_url_ok(bg->url)) {
                buf_putc(out, '[');
                md_text(out, bg->attribution, 0);
                buf_puts(out, "](");
                md_url(out, bg->url);
                buf_putc(out, ')');
            } else {
                md_text(out, bg->attribution, 0);
            }
            buf_puts(out, ", ");
            md_text(out, buf_cstr(&body), 0);
            buf_putc(out, '\n');
            buf_free(&body);
        }
        buf_putc(out, '\n');
    }

    if (p->n_timeline) {
        buf_puts(out, "## Timeline\n\n");
        for (size_t i = 0; i < p->n_timeline; i++) {
            const PageEvent *ev = &p->timeline[i];
            Buf when = {0};
            render_event_date(&when, ev->date);
            buf_puts(out, "- **");
            md_text(out, buf_cstr(&when), 0);
            buf_puts(out, "**: ");
            md_text(out, ev->text, 0);
            md_cite(out, p, ev->source);
            buf_putc(out, '\n');
            buf_free(&when);
        }
        buf_putc(out, '\n');
    }

    if (p->n_related) {
        buf_puts(out, "## You might also like\n\n");
        for (size_t i = 0; i < p->n_related; i++) {
            buf_puts(out, "- [");
            md_text(out, p->related[i].headline, 0);
            buf_puts(out, "](");
            render_story_path(out, p->related[i].slug);
            buf_puts(out, ")\n");
        }
        buf_putc(out, '\n');
    }

    if (p->n_sources) {
        buf_puts(out, "## Sources\n\n");
        for (size_t i = 0; i < p->n_sources; i++) {
            const PageSource *s = &p->sources[i];
            buf_printf(out, "%zu. ", i + 1);
            if (s->outlet && *s->outlet) {
                md_text(out, s->outlet, 0);
                buf_puts(out, " \xE2\x80\x94 ");
            }
            const char *title = s->title && *s->title ? s->title : "Untitled article";
            if (render_url_ok(s->url)) {
                buf_putc(out, '[');
                md_text(out, title, 0);
                buf_puts(out, "](");
                md_url(out, s->url);
                buf_putc(out, ')');
            } else {
                md_text(out, title, 0);
            }
            if (s->published) {
                char when[32];
                render_rfc3339(s->published, when, sizeof when);
                buf_printf(out, " \xE2\x80\x94 %s", when);
            }
            for (size_t k = 0; k < s->n_also; k++) {
                buf_puts(out, k ? ", " : " (also reported by ");
                md_text(out, s->also[k], 0);
            }
            if (s->n_also)
                buf_putc(out, ')');
            buf_putc(out, '\n');
        }
    }
}
