/* sources.c - the outlet pages as HTML and outlet objects as JSON.
 *
 * The pages are complete documents in the site's look: the document head,
 * the header and the footer below reproduce what html.c writes for the
 * front page (html.c keeps its helpers private; a shared page head/foot
 * helper in render_util would let both files use one copy). Safety rules
 * are the same as in html.c: every database string goes through buf_html,
 * attribute values are double-quoted, a URL is linked only when
 * render_url_ok accepts it (http/https), and slugs are percent-encoded by
 * render_story_path. */
#include "sources.h"

#include <inttypes.h>
#include <string.h>

#include "../core/timeutil.h"
#include "render_util.h"


static void page_open(Buf *b, const char *title, const char *description)
{
    render_page_open(b, "en", title, description, NULL);
}

static void page_close(Buf *b)
{
    render_page_close(b);
}

/* <time datetime="...">4 March 2026, 10:20 UTC</time>, or "unknown". */
static void html_time(Buf *b, int64_t t)
{
    if (!t) {
        buf_puts(b, "unknown");
        return;
    }
    render_html_time(b, t);
}

static void html_count(Buf *b, int64_t n, const char *one, const char *many)
{
    buf_printf(b, "%" PRId64 " %s", n, n == 1 ? one : many);
}

static const char *source_name(const SourceRow *s)
{
    return s->name && *s->name ? s->name : "Unnamed outlet";
}

/* ---- /sources ---- */

void render_html_sources(const SourceRow *rows, size_t n, int page, int has_next, Buf *out)
{
    if (page < 1)
        page = 1;
    Buf title = {0};
    if (page > 1)
        buf_printf(&title, "Sources, page %d \xE2\x80\x94 " RENDER_SITE_NAME, page);
    else
        buf_puts(&title, "Sources \xE2\x80\x94 " RENDER_SITE_NAME);
    page_open(out, buf_cstr(&title), "The outlets whose articles the stories are written from.");
    buf_free(&title);

    buf_puts(out, "<h1 class=\"page-title\">Sources");
    if (page > 1)
        buf_printf(out, " <span class=\"page-number\">page %d</span>", page);
    buf_puts(out, "</h1>\n");
    if (n == 0) {
        buf_puts(out, page > 1 ? "<p class=\"empty\">There are no more outlets.</p>\n"
                               : "<p class=\"empty\">No outlets yet: they appear when articles are "
                                 "ingested.</p>\n");
    } else {
        buf_puts(out, "<ol class=\"outlet-list\">\n");
        for (size_t i = 0; i < n; i++) {
            const SourceRow *s = &rows[i];
            buf_printf(out, "<li class=\"outlet-item\"><a class=\"outlet-name\" href=\"/source/%" PRId64 "\">",
                       s->id);
            buf_html(out, source_name(s));
            buf_puts(out, "</a>");
            if (s->host && *s->host) {
                buf_puts(out, " <span class=\"outlet-host\">");
                buf_html(out, s->host);
                buf_puts(out, "</span>");
            }
            buf_puts(out, "\n<p class=\"meta\"><span class=\"article-count\">");
            html_count(out, s->article_count, "article", "articles");
            buf_puts(out, "</span> \xC2\xB7 <span class=\"story-count\">");
            html_count(out, s->story_count, "story", "stories");
            buf_puts(out, "</span> \xC2\xB7 last published ");
            html_time(out, s->last_published);
            buf_puts(out, "</p></li>\n");
        }
        buf_puts(out, "</ol>\n");
    }
    if (page > 1 || has_next) {
        buf_puts(out, "<nav class=\"pager\" aria-label=\"More outlets\">\n");
        if (page > 1)
            buf_printf(out, "<a rel=\"prev\" href=\"/sources?page=%d\">\xE2\x86\x90 Previous</a>\n", page - 1);
        if (has_next)
            buf_printf(out, "<a rel=\"next\" href=\"/sources?page=%d\">Next \xE2\x86\x92</a>\n", page + 1);
        buf_puts(out, "</nav>\n");
    }
    page_close(out);
}

/* ---- /source/<id> ---- */

static void html_article(Buf *b, const SourceArticle *a)
{
    const char *title = a->title && *a->title ? a->title : "Untitled article";
    buf_puts(b, "<li class=\"outlet-article\">");
    if (a->story_slug && *a->story_slug) {
        buf_puts(b, "<a href=\"");
        render_story_path(b, a->story_slug);
        buf_puts(b, "\">");
        buf_html(b, title);
        buf_puts(b, "</a>");
    } else if (render_url_ok(a->url)) {
        buf_puts(b, "<a href=\"");
        buf_html(b, a->url);
        buf_puts(b, "\" rel=\"noopener nofollow\">");
        buf_html(b, title);
        buf_puts(b, "</a>");
    } else {
        buf_puts(b, "<span>");
        buf_html(b, title);
        buf_puts(b, "</span>");
    }
    buf_puts(b, " <span class=\"meta\">");
    html_time(b, a->published);
    buf_puts(b, "</span></li>\n");
}

void render_html_source(const SourceRow *src, const SourceArticle *arts, size_t n, int page, int has_next,
                        Buf *out)
{
    if (page < 1)
        page = 1;
    const char *name = source_name(src);
    Buf title = {0};
    render_plain(&title, name);
    if (page > 1)
        buf_printf(&title, ", page %d", page);
    buf_puts(&title, " \xE2\x80\x94 " RENDER_SITE_NAME);
    page_open(out, buf_cstr(&title), NULL);
    buf_free(&title);

    buf_puts(out, "<article class=\"outlet\">\n<header>\n<h1>");
    buf_html(out, name);
    buf_puts(out, "</h1>\n<p class=\"meta\">");
    if (src->host && *src->host) {
        buf_puts(out, "<span class=\"outlet-host\">");
        buf_html(out, src->host);
        buf_puts(out, "</span> \xC2\xB7 ");
    }
    buf_puts(out, "<span class=\"article-count\">");
    html_count(out, src->article_count, "article", "articles");
    buf_puts(out, "</span> \xC2\xB7 <span class=\"story-count\">");
    html_count(out, src->story_count, "story", "stories");
    buf_puts(out, "</span> \xC2\xB7 last published ");
    html_time(out, src->last_published);
    buf_puts(out, "</p>\n</header>\n<section aria-labelledby=\"articles-heading\">\n"
                  "<h2 id=\"articles-heading\">Latest articles</h2>\n");
    if (n == 0) {
        buf_puts(out, "<p class=\"empty\">No articles on this page.</p>\n");
    } else {
        buf_puts(out, "<ol class=\"outlet-articles\">\n");
        for (size_t i = 0; i < n; i++)
            html_article(out, &arts[i]);
        buf_puts(out, "</ol>\n");
    }
    buf_puts(out, "</section>\n</article>\n");
    if (page > 1 || has_next) {
        buf_puts(out, "<nav class=\"pager\" aria-label=\"More articles\">\n");
        if (page > 1)
            buf_printf(out, "<a rel=\"prev\" href=\"/source/%" PRId64 "?page=%d\">\xE2\x86\x90 Newer articles</a>\n",
                       src->id, page - 1);
        if (has_next)
            buf_printf(out, "<a rel=\"next\" href=\"/source/%" PRId64 "?page=%d\">Older articles \xE2\x86\x92</a>\n",
                       src->id, page + 1);
        buf_puts(out, "</nav>\n");
    }
    buf_puts(out, "<p><a href=\"/sources\">All sources</a></p>\n");
    page_close(out);
}

/* ---- JSON ---- */

static void json_source_fields(const SourceRow *src, Buf *out)
{
    buf_printf(out, "\"id\":%" PRId64 ",\"name\":", src->id);
    buf_json_cstr(out, src->name ? src->name : "");
    buf_puts(out, ",\"host\":");
    buf_json_cstr(out, src->host && *src->host ? src->host : NULL);
    buf_printf(out, ",\"article_count\":%" PRId64 ",\"story_count\":%" PRId64 ",\"last_published\":",
               src->article_count, src->story_count);
    buf_json_time(out, src->last_published);
}

void render_json_source(const SourceRow *src, Buf *out)
{
    buf_putc(out, '{');
    json_source_fields(src, out);
    buf_putc(out, '}');
}

void render_json_source_detail(const SourceRow *src, const SourceArticle *arts, size_t n, long limit,
                               long offset, int has_more, Buf *out)
{
    buf_putc(out, '{');
    json_source_fields(src, out);
    buf_puts(out, ",\"articles\":[");
    for (size_t i = 0; i < n; i++) {
        const SourceArticle *a = &arts[i];
        if (i)
            buf_putc(out, ',');
        buf_printf(out, "{\"id\":%" PRId64 ",\"title\":", a->id);
        buf_json_cstr(out, a->title ? a->title : "");
        buf_puts(out, ",\"url\":");
        buf_json_cstr(out, a->url);
        buf_puts(out, ",\"published\":");
        buf_json_time(out, a->published);
        buf_puts(out, ",\"story\":");
        buf_json_cstr(out, a->story_slug);
        buf_putc(out, '}');
    }
    buf_printf(out, "],\"limit\":%ld,\"offset\":%ld,\"has_more\":%s}\n", limit, offset,
               has_more ? "true" : "false");
}
