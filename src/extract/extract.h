/* extract.h - the article in a web page: title, body text and metadata.
 *
 * extract_html takes the raw bytes of one HTML page (any charset), finds the
 * article in it and fills an Extracted with UTF-8 strings. The charset is
 * taken from, in order: a byte-order mark, http_charset (the Content-Type
 * charset of the HTTP response, when known), <meta charset> or
 * <meta http-equiv=Content-Type>, and finally a guess (valid UTF-8, else
 * windows-1252). Invalid bytes are replaced, never fatal.
 *
 * Metadata comes from structured data first (JSON-LD NewsArticle/Article and
 * @graph arrays, OpenGraph, Twitter cards, <meta name=...>, <time datetime>,
 * <link rel=canonical>, <html lang>); the body from scoring the page's
 * blocks by text and link density, tag and class/id hints and position, so
 * that navigation, ads, cookie banners, comments, related links and share
 * buttons are left out while headings, lists and quotes of the article stay.
 *
 * Bounds: pages above EXTRACT_MAX_BYTES are refused with an error; the
 * parsed tree holds at most HTREE_MAX_ELEMENTS elements (a page with more
 * is read up to there) and every pass over it is iterative, so neither size
 * nor nesting depth can exhaust memory or the stack. Thread-safe: no
 * global state besides libxml2's own initialisation. */
#ifndef SW_EXTRACT_H
#define SW_EXTRACT_H

#include <stddef.h>
#include <stdint.h>

#include "../core/err.h"

/* Largest page extract_html accepts (bytes of raw HTML). */
#define EXTRACT_MAX_BYTES (32u * 1024 * 1024)

/* Every string is heap-allocated UTF-8 owned by the struct (free with
 * extracted_free), or NULL when the page does not say. */
typedef struct Extracted {
    char *title;
    char *text;        /* the article body: paragraphs separated by "\n\n" */
    char *author;      /* several authors joined by ", " */
    char *image;       /* lead image URL (absolute when page_url is known) */
    char *url;         /* canonical URL: <link rel=canonical>, og:url, else page_url */
    char *lang;        /* language tag as the page gives it ("en", "de-DE") */
    char *site_name;
    char *description;
    int64_t published; /* Unix seconds, 0 when unknown */
} Extracted;

/* Extracts the article from len bytes of HTML at data. page_url (or NULL) is
 * where the page was fetched from, used to resolve relative URLs and as the
 * fallback canonical URL; http_charset (or NULL) is the charset label of the
 * HTTP Content-Type header. On success returns 0 with *out filled (the
 * caller frees it with extracted_free; text may be "" when the page has no
 * article text). On failure (binary data, page too large, nothing
 * parseable) returns -1 with err set and *out zeroed. */
int extract_html(const char *data, size_t len, const char *page_url, const char *http_charset,
                 Extracted *out, SwErr *err);

/* Frees every string of x and zeroes it; x may be NULL. */
void extracted_free(Extracted *x);

#endif
