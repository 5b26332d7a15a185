/* search.h - the search results page (/search) as HTML and the results of
 * /api/search as JSON.
 *
 * Results come from the store (store/search.h) with SEARCH_MARK_OPEN and
 * SEARCH_MARK_CLOSE around matched words; HTML turns them into <mark>,
 * JSON into a plain string plus highlight ranges. Everything from the
 * database or the request is escaped for its output, and an article's own
 * URL is linked only when it is http(s). docs/search.md has the JSON
 * fields. */
#ifndef SW_RENDER_SEARCH_H
#define SW_RENDER_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../store/search.h"

/* One page of results and the request that asked for it. Strings are as
 * the reader typed them (they are escaped here); NULL or "" = absent. */
typedef struct SearchView {
    const char *q;
    const char *from, *to, *source, *lang;
    const char *notice;         /* a sentence above the results, or NULL */
    int no_terms;               /* the query has nothing to search for */
    const SearchHit *stories;   /* this page's stories, best first */
    size_t n_stories;
    const SearchHit *articles;  /* then this page's articles */
    size_t n_articles;
    int page;                   /* HTML: 1-based page number */
    int has_next;               /* HTML: a next page exists */
} SearchView;

/* A complete HTML5 page: the search form (query and filters filled in),
 * then stories and articles found, and links to the previous and next
 * pages that keep the query and filters. */
void render_search_html(const SearchView *v, Buf *out);

/* The /api/search object: query, filters, results (stories, then
 * articles), next_cursor (a JSON string, or null when next_cursor is
 * NULL) and notice when there is one; ends with a newline. from and to
 * are written from from_t / to_t (0 = absent), source as source_id. */
void render_search_json(const SearchView *v, int64_t from_t, int64_t to_t, int64_t source_id,
                        const char *next_cursor, Buf *out);

/* Appends marked text (SEARCH_MARK_OPEN / _CLOSE around matches) as HTML:
 * the text escaped, each match in <mark>, white space runs as one space. */
void render_marked_html(Buf *b, const char *marked);

/* Appends marked text to b as a JSON string without the marks, then
 * ",\"<ranges_key>\":" and an array of [start, end) pairs: where each
 * match is in the string, counted in Unicode code points. Invalid UTF-8
 * becomes U+FFFD (one code point); white space runs become one space. */
void render_marked_json(Buf *b, const char *marked, const char *ranges_key);

#endif
