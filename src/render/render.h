/* render.h - a Page (and lists of stories) to text, Markdown, HTML, JSON.
 *
 * Renderers only read the Page; they never touch storage. Every string from
 * an article is escaped for its output (HTML text, attributes, URLs, JSON).
 * URLs are only linked when their scheme is http or https. */
#ifndef SW_RENDER_H
#define SW_RENDER_H

#include <stddef.h>

#include "../core/buf.h"
#include "../store/store.h"
#include "../store/web.h"
#include "../story/page.h"

/* Plain text in the layout of shared/seed/story-page-example.txt:
 * headline, blank, summary, blank, slug, "Image for <headline>", sections
 * (heading line, blank, paragraphs separated by blank lines), quotes,
 * "Background" ("According to SOURCE, ..." lines), "Timeline" (dated
 * events, cited), "You might also like" with related headlines, then the
 * numbered sources.
 * Citations appear as [n]. */
void render_text(const Page *p, Buf *out);
void render_markdown(const Page *p, Buf *out);
/* A complete HTML5 document for the story. */
void render_html_page(const Page *p, Buf *out);
/* The same with the page's update history: versions (newest first, as
 * store_web_page_versions gives them) listed with dates and change notes.
 * Both also show the background lines (the source named, linked when it
 * has a URL), the timeline of dated events and the coverage: the cited
 * articles, oldest first. */
void render_html_page_history(const Page *p, const WebPageVersion *versions, size_t n_versions, Buf *out);
/* The front page: a list of story cards; page is 1-based for pagination,
 * has_next says whether a next page exists. */
void render_html_index(const StoryRow *rows, size_t n, int page, int has_next, Buf *out);
/* A complete HTML error page (404, 405, 500...). */
void render_html_error(int status, const char *message, Buf *out);
/* JSON array of story summaries: slug, headline, summary, image,
 * article_count, source_count, first_published, updated (RFC 3339). */
void render_json_story_list(const StoryRow *rows, size_t n, Buf *out);

/* The site's stylesheet, served at /static/style.css. */
extern const char render_stylesheet[];

#endif
