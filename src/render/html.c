/* html.c - story pages, the front page and error pages as HTML5.
 *
 * Pages are complete documents rendered on the server and need no
 * JavaScript. The rules that keep them safe are applied in one place each:
 * every article string goes through buf_html (text and attribute values,
 * always double-quoted), a URL becomes an href or an image source only when
 * render_url_ok accepts it (http/https), and slugs are percent-encoded into
 * paths by render_story_path. Accessibility: a lang attribute, a skip link,
 * header/nav/main/footer landmarks, headings in order (h1 then h2), alt text
 * on images and link texts that say where they go. */
#include "render.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../core/timeutil.h"
#include "render_util.h"

#define SITE_NAME RENDER_SITE_NAME

/* A BCP 47-looking language tag, or "en": the tag lands in an attribute. */
static const char *html_lang(const char *lang)
{
    if (!lang || !isalpha((unsigned char)lang[0]) || strlen(lang) > 35)
        return "en";
    for (const char *c = lang; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '-')
            return "en";
    return lang;
}

static void html_open(Buf *b, const char *lang, const char *title, const char *description,
                      const char *alternate_json)
{
    render_page_open(b, html_lang(lang), title, description, alternate_json);
}

static void html_close(Buf *b)
{
    render_page_close(b);
}

static void html_time(Buf *b, int64_t t)
{
    render_html_time(b, t);
}

static void html_plural(Buf *b, int n, const char *one, const char *many)
{
    buf_printf(b, "%d %s", n, n == 1 ? one : many);
}

/* The superscript [n] after a sentence, pointing at the source list. */
static void html_cite(Buf *b, const Page *p, int source)
{
    const PageSource *s = render_source(p, source);
    if (!s)
        return;
    /* U+2060 WORD JOINER keeps the [n] on the line of the sentence it cites */
    buf_printf(b, "\xE2\x81\xA0<sup class=\"cite\"><a href=\"#src-%d\" aria-label=\"Source %d", source + 1,
               source + 1);
    if (s->outlet && *s->outlet) {
        buf_puts(b, ": ");
        buf_html(b, s->outlet);
    }
    buf_printf(b, "\">[%d]</a></sup>", source + 1);
}

static void html_sentences(Buf *b, const Page *p, const PageSentence *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_putc(b, ' ');
        buf_html(b, s[i].text);
        html_cite(b, p, s[i].source);
    }
}

/* The summary as one plain string for <meta name="description">. */
static void summary_plain(Buf *b, const PageSentence *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_putc(b, ' ');
        render_plain(b, s[i].text);
    }
}

static void html_quote(Buf *b, const Page *p, const PageQuote *q)
{
    buf_puts(b, "<blockquote class=\"quote\"><p>\xE2\x80\x9C");
    buf_html(b, q->text);
    buf_puts(b, "\xE2\x80\x9D</p><footer>\xE2\x80\x94 ");
    if (q->speaker && *q->speaker) {
        buf_puts(b, "<cite class=\"speaker\">");
        buf_html(b, q->speaker);
        buf_puts(b, "</cite>");
        if (q->verb && *q->verb) {
            buf_puts(b, ", ");
            buf_html(b, q->verb);
        }
    } else {
        buf_puts(b, "unnamed speaker");
    }
    html_cite(b, p, q->source);
    buf_puts(b, "</footer></blockquote>\n");
}

static void html_source(Buf *b, size_t i, const PageSource *s)
{
    buf_printf(b, "<li id=\"src-%zu\">", i + 1);
    if (s->outlet && *s->outlet) {
        buf_puts(b, "<span class=\"outlet\">");
        buf_html(b, s->outlet);
        buf_puts(b, "</span> ");
    }
    const char *title = s->title && *s->title ? s->title : "Untitled article";
    if (render_url_ok(s->url)) {
        buf_puts(b, "<a class=\"source-title\" href=\"");
        buf_html(b, s->url);
        buf_puts(b, "\" rel=\"noopener nofollow\">");
        buf_html(b, title);
        buf_puts(b, "</a>");
    } else {
        buf_puts(b, "<span class=\"source-title\">");
        buf_html(b, title);
        buf_puts(b, "</span>");
    }
    if (s->published) {
        buf_puts(b, " <span class=\"source-date\">");
        html_time(b, s->published);
        buf_puts(b, "</span>");
    }
    for (size_t k = 0; k < s->n_also; k++) {
        buf_puts(b, k ? ", " : " <span class=\"also\">also reported by ");
        buf_html(b, s->also[k]);
    }
    if (s->n_also)
        buf_puts(b, "</span>");
    buf_puts(b, "</li>\n");
}

/* The cited articles oldest first (unknown times last, then in citation
 * order), each linking to its entry in the source list. */
static int timeline_cmp(const void *pa, const void *pb, void *ctx)
{
    const Page *p = ctx;
    const PageSource *a = &p->sources[*(const size_t *)pa], *b = &p->sources[*(const size_t *)pb];
    if ((a->published == 0) != (b->published == 0))
        return a->published == 0 ? 1 : -1;
    if (a->published != b->published)
        return a->published < b->published ? -1 : 1;
    return *(const size_t *)pa < *(const size_t *)pb ? -1 : 1;
}

static void html_timeline(Buf *b, const Page *p)
{
    if (p->n_sources < 2)
        return; /* one article makes no timeline */
    size_t *order = xmalloc(p->n_sources * sizeof *order);
    for (size_t i = 0; i < p->n_sources; i++)
        order[i] = i;
    qsort_r(order, p->n_sources, sizeof *order, timeline_cmp, (void *)p);
    buf_puts(b, "<section class=\"timeline coverage\" aria-labelledby=\"coverage-heading\">\n"
                "<h2 id=\"coverage-heading\">Coverage</h2>\n<ol>\n");
    for (size_t k = 0; k < p->n_sources; k++) {
        const PageSource *s = &p->sources[order[k]];
        buf_puts(b, "<li>");
        if (s->published)
            html_time(b, s->published);
        else
            buf_puts(b, "<span class=\"unknown-time\">Time unknown</span>");
        buf_puts(b, " <span class=\"outlet\">");
        buf_html(b, s->outlet && *s->outlet ? s->outlet : "Unknown outlet");
        buf_printf(b, "</span> <a href=\"#src-%zu\">", order[k] + 1);
        buf_html(b, s->title && *s->title ? s->title : "Untitled article");
        buf_puts(b, "</a></li>\n");
    }
    buf_puts(b, "</ol>\n</section>\n");
    free(order);
}

/* "According to <a>WordNet</a>, Kyiv is ...": the source named, and
 * linked when it has an http(s) URL. */
static void html_background(Buf *b, const Page *p)
{
    if (!p->n_background)
        return;
    buf_puts(b, "<section class=\"background\" aria-labelledby=\"background-heading\">\n"
                "<h2 id=\"background-heading\">Background</h2>\n<ul>\n");
    for (size_t i = 0; i < p->n_background; i++) {
        const PageBackground *bg = &p->background[i];
        Buf body = {0};
        render_background_body(&body, bg);
        buf_puts(b, "<li>According to ");
        if (render_url_ok(bg->url)) {
            buf_puts(b, "<a class=\"kb-source\" href=\"");
            buf_html(b, bg->url);
            buf_puts(b, "\" rel=\"noopener nofollow\">");
            buf_html(b, bg->attribution);
            buf_puts(b, "</a>");
        } else {
            buf_puts(b, "<span class=\"kb-source\">");
            buf_html(b, bg->attribution);
            buf_puts(b, "</span>");
        }
        buf_puts(b, ", ");
        buf_html(b, buf_cstr(&body));
        buf_puts(b, "</li>\n");
        buf_free(&body);
    }
    buf_puts(b, "</ul>\n</section>\n");
}

/* The dated events, oldest first, each cited. */
static void html_events(Buf *b, const Page *p)
{
    if (!p->n_timeline)
        return;
    buf_puts(b, "<section class=\"timeline events\" aria-labelledby=\"timeline-heading\">\n"
                "<h2 id=\"timeline-heading\">Timeline</h2>\n<ol>\n");
    for (size_t i = 0; i < p->n_timeline; i++) {
        const PageEvent *ev = &p->timeline[i];
        Buf when = {0};
        render_event_date(&when, ev->date);
        buf_puts(b, "<li><time datetime=\"");
        buf_html(b, ev->date ? ev->date : "");
        buf_puts(b, "\">");
        buf_html(b, buf_cstr(&when));
        buf_puts(b, "</time> ");
        buf_html(b, ev->text);
        html_cite(b, p, ev->source);
        buf_puts(b, "</li>\n");
        buf_free(&when);
    }
    buf_puts(b, "</ol>\n</section>\n");
}

static void html_history(Buf *b, const WebPageVersion *v, size_t n)
{
    if (!n)
        return;
    buf_puts(b, "<section class=\"history\" aria-labelledby=\"history-heading\">\n"
                "<h2 id=\"history-heading\">Update history</h2>\n<ol reversed>\n");
    for (size_t i = 0; i < n; i++) {
        buf_printf(b, "<li><span class=\"version\">Version %d</span> ", v[i].version);
        if (v[i].created)
            html_time(b, v[i].created);
        buf_puts(b, ": ");
        if (v[i].change_note && *v[i].change_note)
            buf_html(b, v[i].change_note);
        else
            buf_puts(b, v[i].version == 1 ? "First version." : "Rewritten.");
        buf_puts(b, "</li>\n");
    }
    buf_puts(b, "</ol>\n</section>\n");
}

void render_html_page(const Page *p, Buf *out)
{
    render_html_page_history(p, NULL, 0, out);
}

void render_html_page_history(const Page *p, const WebPageVersion *versions, size_t n_versions, Buf *out)
{
    const char *headline = p->headline && *p->headline ? p->headline : "Untitled story";
    Buf title = {0}, desc = {0}, alt = {0};
    render_plain(&title, headline);
    buf_puts(&title, " \xE2\x80\x94 " SITE_NAME);
    summary_plain(&desc, p->summary, p->n_summary);
    if (p->slug && *p->slug) {
        buf_puts(&alt, "<link rel=\"alternate\" type=\"application/json\" href=\"/api/stories/");
        render_slug(&alt, p->slug);
        buf_puts(&alt, "\">\n");
    }
    html_open(out, p->lang, buf_cstr(&title), buf_cstr(&desc), alt.len ? buf_cstr(&alt) : NULL);
    buf_free(&title);
    buf_free(&desc);
    buf_free(&alt);

    buf_puts(out, "<article class=\"story\">\n<header class=\"story-header\">\n<h1>");
    buf_html(out, headline);
    buf_puts(out, "</h1>\n<p class=\"meta\">");
    html_plural(out, p->article_count, "article", "articles");
    buf_puts(out, " from ");
    html_plural(out, p->source_count, "outlet", "outlets");
    /* readers want the news's date (the latest report), not when the page
     * was last written; the update history below has the latter */
    int64_t shown = p->last_published ? p->last_published : p->updated;
    if (shown) {
        buf_puts(out, " \xC2\xB7 Updated ");
        html_time(out, shown);
    }
    if (p->version > 1)
        buf_printf(out, " \xC2\xB7 Version %d", p->version);
    buf_puts(out, "</p>\n");
    if (p->change_note && *p->change_note) {
        buf_puts(out, "<p class=\"change-note\">What changed: ");
        buf_html(out, p->change_note);
        buf_puts(out, "</p>\n");
    }
    buf_puts(out, "</header>\n");

    if (p->n_summary) {
        buf_puts(out, "<p class=\"lead\">");
        html_sentences(out, p, p->summary, p->n_summary);
        buf_puts(out, "</p>\n");
    }

    if (render_url_ok(p->image)) {
        buf_puts(out, "<figure class=\"lead-image\"><img src=\"");
        buf_html(out, p->image);
        buf_puts(out, "\" alt=\"Image for ");
        buf_html(out, headline);
        buf_puts(out, "\" width=\"1200\" height=\"675\" loading=\"lazy\" decoding=\"async\">");
        const PageSource *credit = render_source(p, p->image_source);
        if (credit && credit->outlet && *credit->outlet) {
            buf_puts(out, "<figcaption>Image: ");
            buf_html(out, credit->outlet);
            buf_puts(out, "</figcaption>");
        }
        buf_puts(out, "</figure>\n");
    }

    for (size_t i = 0; i < p->n_sections; i++) {
        const PageSection *sec = &p->sections[i];
        buf_printf(out, "<section class=\"story-section\" aria-labelledby=\"sec-%zu\">\n<h2 id=\"sec-%zu\">",
                   i + 1, i + 1);
        buf_html(out, sec->heading && *sec->heading ? sec->heading : "More on this story");
        buf_puts(out, "</h2>\n");
        for (size_t j = 0; j < sec->n_paragraphs; j++) {
            if (!sec->paragraphs[j].n_sentences)
                continue;
            buf_puts(out, "<p>");
            html_sentences(out, p, sec->paragraphs[j].sentences, sec->paragraphs[j].n_sentences);
            buf_puts(out, "</p>\n");
        }
        buf_puts(out, "</section>\n");
    }

    if (p->n_quotes) {
        buf_puts(out, "<section class=\"quotes\" aria-labelledby=\"quotes-heading\">\n"
                      "<h2 id=\"quotes-heading\">In their words</h2>\n");
        for (size_t i = 0; i < p->n_quotes; i++)
            html_quote(out, p, &p->quotes[i]);
        buf_puts(out, "</section>\n");
    }

    html_background(out, p);
    html_events(out, p);
    html_timeline(out, p);

    if (p->n_sources) {
        buf_puts(out, "<section class=\"sources\" aria-labelledby=\"sources-heading\">\n"
                      "<h2 id=\"sources-heading\">Sources</h2>\n<ol>\n");
        for (size_t i = 0; i < p->n_sources; i++)
            html_source(out, i, &p->sources[i]);
        buf_puts(out, "</ol>\n</section>\n");
    }
    html_history(out, versions, n_versions);
    buf_puts(out, "</article>\n");

    if (p->n_related) {
        buf_puts(out, "<nav class=\"related\" aria-labelledby=\"related-heading\">\n"
                      "<h2 id=\"related-heading\">You might also like</h2>\n<ul>\n");
        for (size_t i = 0; i < p->n_related; i++) {
            buf_puts(out, "<li><a href=\"");
            render_story_path(out, p->related[i].slug);
            buf_puts(out, "\">");
            buf_html(out, p->related[i].headline && *p->related[i].headline ? p->related[i].headline
                                                                             : "Untitled story");
            buf_puts(out, "</a></li>\n");
        }
        buf_puts(out, "</ul>\n</nav>\n");
    }
    html_close(out);
}

/* ---- the front page ---- */

static void html_card(Buf *b, const StoryRow *r)
{
    const char *headline = r->headline && *r->headline ? r->headline : "Untitled story";
    buf_puts(b, "<li class=\"card\"><article>\n<h2 class=\"card-title\">");
    if (r->slug && *r->slug) {
        buf_puts(b, "<a href=\"");
        render_story_path(b, r->slug);
        buf_puts(b, "\">");
        buf_html(b, headline);
        buf_puts(b, "</a>");
    } else {
        buf_html(b, headline);
    }
    buf_puts(b, "</h2>\n");
    if (render_url_ok(r->image)) {
        buf_puts(b, "<img class=\"thumb\" src=\"");
        buf_html(b, r->image);
        buf_puts(b, "\" alt=\"Image for ");
        buf_html(b, headline);
        buf_puts(b, "\" width=\"160\" height=\"90\" loading=\"lazy\" decoding=\"async\">\n");
    }
    if (r->summary && *r->summary) {
        buf_puts(b, "<p class=\"card-summary\">");
        buf_html(b, r->summary);
        buf_puts(b, "</p>\n");
    }
    buf_puts(b, "<p class=\"meta\">");
    html_plural(b, r->article_count, "article", "articles");
    buf_puts(b, " \xC2\xB7 ");
    html_plural(b, r->source_count, "outlet", "outlets");
    /* the last update of a story is its newest article, not the time
     * storywire last rewrote the page */
    int64_t last = r->last_published ? r->last_published : r->updated;
    if (last) {
        buf_puts(b, " \xC2\xB7 updated ");
        html_time(b, last);
    }
    buf_puts(b, "</p>\n</article></li>\n");
}

void render_html_index(const StoryRow *rows, size_t n, int page, int has_next, Buf *out)
{
    if (page < 1)
        page = 1;
    Buf title = {0};
    if (page > 1)
        buf_printf(&title, "Top stories, page %d \xE2\x80\x94 " SITE_NAME, page);
    else
        buf_puts(&title, "Top stories \xE2\x80\x94 " SITE_NAME);
    html_open(out, "en", buf_cstr(&title), "News stories written from many outlets, every sentence cited.",
              NULL);
    buf_free(&title);

    if (page > 1)
        buf_printf(out, "<h1 class=\"page-title\">Top stories <span class=\"page-number\">page %d</span></h1>\n",
                   page);
    else
        buf_puts(out, "<h1 class=\"page-title\">Top stories</h1>\n");

    if (n == 0) {
        buf_puts(out, page > 1 ? "<p class=\"empty\">There are no more stories.</p>\n"
                               : "<p class=\"empty\">No stories yet. Ingest some articles with "
                                 "<code>storywire ingest</code> and they will appear here.</p>\n");
    } else {
        buf_puts(out, "<ol class=\"story-list\">\n");
        for (size_t i = 0; i < n; i++)
            html_card(out, &rows[i]);
        buf_puts(out, "</ol>\n");
    }

    if (page > 1 || has_next) {
        buf_puts(out, "<nav class=\"pager\" aria-label=\"More stories\">\n");
        if (page > 1)
            buf_printf(out, "<a rel=\"prev\" href=\"/?page=%d\">\xE2\x86\x90 Newer stories</a>\n", page - 1);
        if (has_next)
            buf_printf(out, "<a rel=\"next\" href=\"/?page=%d\">Older stories \xE2\x86\x92</a>\n", page + 1);
        buf_puts(out, "</nav>\n");
    }
    html_close(out);
}

/* ---- errors ---- */

static const char *status_reason(int status)
{
    switch (status) {
    case 400: return "Bad request";
    case 403: return "Forbidden";
    case 404: return "Not found";
    case 405: return "Method not allowed";
    case 413: return "Request too large";
    case 414: return "Address too long";
    case 431: return "Request headers too large";
    case 500: return "Server error";
    case 503: return "Service unavailable";
    default: return status >= 500 ? "Server error" : "Error";
    }
}

void render_html_error(int status, const char *message, Buf *out)
{
    Buf title = {0};
    buf_printf(&title, "%d %s \xE2\x80\x94 " SITE_NAME, status, status_reason(status));
    html_open(out, "en", buf_cstr(&title), NULL, NULL);
    buf_free(&title);
    buf_printf(out, "<div class=\"error\">\n<h1>%d \xC2\xB7 %s</h1>\n", status, status_reason(status));
    if (message && *message) {
        buf_puts(out, "<p>");
        buf_html(out, message);
        buf_puts(out, "</p>\n");
    }
    buf_puts(out, "<p><a href=\"/\">Back to the top stories</a></p>\n</div>\n");
    html_close(out);
}
