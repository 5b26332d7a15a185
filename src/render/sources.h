/* sources.h - the outlet pages (/sources, /source/<id>) as HTML and the
 * outlet objects of /api/sources as JSON. Renderers only read the rows
 * they are given; every string from the database is escaped for its
 * output and only http/https URLs are linked. */
#ifndef SW_RENDER_SOURCES_H
#define SW_RENDER_SOURCES_H

#include <stddef.h>

#include "../core/buf.h"
#include "../store/sources.h"

/* A complete HTML page listing outlets with their counts; page is 1-based,
 * has_next says whether a next page exists. */
void render_html_sources(const SourceRow *rows, size_t n, int page, int has_next, Buf *out);

/* A complete HTML page for one outlet: name, host, counts and the given
 * articles (newest first). Each article links to its story page when it
 * has one, else to its own URL when that is http(s). */
void render_html_source(const SourceRow *src, const SourceArticle *arts, size_t n, int page, int has_next,
                        Buf *out);

/* One outlet as a JSON object: id, name, host, article_count, story_count,
 * last_published (RFC 3339 or null). */
void render_json_source(const SourceRow *src, Buf *out);

/* One outlet with a page of its articles, as /api/sources/<id> answers:
 * the fields of render_json_source plus "articles" (an array of objects
 * id, title, url, published, story = slug or null), "limit", "offset" and
 * "has_more"; ends with a newline. */
void render_json_source_detail(const SourceRow *src, const SourceArticle *arts, size_t n, long limit,
                               long offset, int has_more, Buf *out);

#endif
