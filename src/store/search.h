/* search.h - full-text search over stories and articles (SQLite FTS5).
 *
 * Two indexes, kept in step with their tables by triggers of schema
 * migration 3: stories_fts (headline, summary) and articles_fts (title,
 * text), tokenized by unicode61 with diacritics removed (so "cafe" finds
 * "Café"), ranked by BM25 with the title weighing more than the text.
 *
 * Reader text never reaches MATCH as syntax: search_parse turns it into an
 * FTS5 expression made only of double-quoted strings (implicit AND), so
 * operators, column filters and stray quotes typed by a reader are plain
 * words or nothing. docs/search.md describes the query language. */
#ifndef SW_SEARCH_H
#define SW_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "../core/arena.h"
#include "../core/buf.h"
#include "../core/err.h"
#include "store.h"

/* Longest query text accepted, in bytes; callers refuse longer ones. */
#define SEARCH_QUERY_MAX 256
/* Terms (words, phrases, prefixes) kept from one query; the rest are ignored. */
#define SEARCH_TERMS_MAX 16

/* Bytes that snippets put around each matched word. Control characters,
 * which renderers drop from article text, so they cannot be confused with
 * anything shown to a reader. */
#define SEARCH_MARK_OPEN '\x01'
#define SEARCH_MARK_CLOSE '\x02'

/* Turns what a reader typed (len bytes of q) into a safe FTS5 expression,
 * appended to out: each word becomes "word", a word ending in '*' the
 * prefix "word"*, text in double quotes (straight or curly) the phrase
 * "w1 w2" (with a '*' after the closing quote, a phrase whose last word
 * is a prefix), and words joined by punctuation without spaces
 * ("covid-19", "don't") a phrase. Everything that is not a letter, digit
 * or mark separates words; the operators AND, OR, NOT and NEAR (upper
 * case) and a word before ':' (a column filter) are dropped. Invalid
 * UTF-8 separates words. Returns the number of terms written (at most
 * SEARCH_TERMS_MAX); 0 means the query has nothing to search for. */
int search_parse(const char *q, size_t len, Buf *out);

/* Bounds on the BM25 work of one search (BM25 costs about a microsecond
 * for every match it ranks). A query with at most SEARCH_RANK_WINDOW
 * matches (after the filters) is ranked whole. A broader one only has its
 * newest SEARCH_BROAD_WINDOW matches (by arrival) ranked and listed: it
 * matches so much that the best of the recent reporting is what a reader
 * can use, and ranking thousands of matches would cost milliseconds. */
#define SEARCH_RANK_WINDOW 2000
#define SEARCH_BROAD_WINDOW 500

/* What to look for. match comes from search_parse. The filters apply to
 * an article's published time (from and to inclusive, 0 = open end), its
 * outlet (source_id, 0 = any) and its language (lang, NULL = any). A story
 * passes when at least one of its articles passes every filter given.
 * rank_window: 0 = SEARCH_RANK_WINDOW, broad_window: 0 = SEARCH_BROAD_WINDOW
 * (other values are for tests and benchmarks; a broad window larger than
 * the rank window counts as the rank window). */
typedef struct SearchQuery {
    const char *match;
    int64_t from, to;
    int64_t source_id;
    const char *lang;
    size_t rank_window;
    size_t broad_window;
} SearchQuery;

enum { SEARCH_STORY = 1, SEARCH_ARTICLE = 2 };

/* One result. Strings live in the caller's arena. title and snippet
 * carry SEARCH_MARK_OPEN / SEARCH_MARK_CLOSE around the matched words;
 * snippet is a passage of the story summary or article text ("..." where
 * it is cut, U+2026). */
typedef struct SearchHit {
    int kind;            /* SEARCH_STORY or SEARCH_ARTICLE */
    int64_t id;          /* story id or article id */
    const char *title;   /* headline or article title, marked */
    const char *snippet; /* marked */
    const char *slug;    /* the story's slug, or the article's story's (NULL when it has no page) */
    const char *url;     /* article: its URL as stored (may be NULL or not http) */
    const char *outlet;  /* article: the outlet's name */
    const char *lang;    /* article: its language (may be NULL) */
    int64_t published;   /* article: published; story: last article published */
    int article_count;   /* story */
    int source_count;    /* story */
    double score;        /* BM25 as FTS5 reports it: more negative is better */
} SearchHit;

/* The matching stories with a page, best first (BM25 within the rank
 * window), skipping offset and at most limit; *hits is heap memory (free it), strings in a.
 * The same for articles; an article that is an exact duplicate of another
 * is not listed (its original is). */
int store_search_stories(Store *s, const SearchQuery *q, size_t limit, size_t offset, Arena *a,
                         SearchHit **hits, size_t *n, SwErr *err);
int store_search_articles(Store *s, const SearchQuery *q, size_t limit, size_t offset, Arena *a,
                          SearchHit **hits, size_t *n, SwErr *err);

/* How many stories store_search_stories would list in all (at most the
 * rank window; the broad window when more than the rank window match). */
int store_search_count_stories(Store *s, const SearchQuery *q, int64_t *n, SwErr *err);

/* The outlet a filter names: a decimal id of an existing source, or a
 * source name (case-insensitive for ASCII). 0, or STORE_NOT_FOUND. */
int store_search_source(Store *s, const char *name_or_id, int64_t *id, SwErr *err);

/* Checks both search indexes against their tables (FTS5's
 * 'integrity-check'; rebuild = 0) or builds them again from the rows
 * (FTS5's 'rebuild', in one transaction; rebuild = 1). They need
 * storywire's tokenizer, so other programs (the sqlite3 shell) cannot do
 * this. Returns 0, or -1 with err naming the table and what is wrong. */
int store_search_index(Store *s, int rebuild, SwErr *err);

#endif
