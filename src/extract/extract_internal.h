/* extract_internal.h - the parts of the extractor that its files share:
 * charset detection, loose dates, metadata and body passes over one DOM. */
#ifndef SW_EXTRACT_INTERNAL_H
#define SW_EXTRACT_INTERNAL_H

#include <libxml/HTMLparser.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "extract.h"

/* charset.c: converts len bytes of a page to UTF-8 into out (NUL-free,
 * valid UTF-8) choosing the charset from a BOM, http_charset, the page's
 * own <meta> declaration, then a guess. Writes the charset used into
 * used (at least 32 bytes). Never fails: unknown labels fall back to the
 * guess and bytes that do not decode become U+FFFD. */
void extract_to_utf8(const char *data, size_t len, const char *http_charset, Buf *out,
                     char *used, size_t used_n);

/* dates.c: parses the date formats news pages print, on top of
 * time_parse (RFC 3339, RFC 822): "March 4, 2026", "4 March 2026 10:20",
 * "Mar. 4, 2026, 10:20 AM EST", "2026/03/04", "04.03.2026". 0 on success. */
int extract_parse_date(const char *s, int64_t *out);

/* meta.c: fills the metadata fields of out (everything but text) from
 * JSON-LD, OpenGraph, Twitter, <meta>, <time>, <link rel=canonical> and
 * <html lang>. *article_body receives the JSON-LD articleBody (heap, or
 * NULL) for the body pass to check its choice against. */
void extract_meta(htmlDocPtr doc, const char *page_url, Extracted *out, char **article_body);

/* body.c: the article text of doc, paragraphs separated by "\n\n" (heap,
 * never NULL). title (or NULL) is left out when it heads the text;
 * article_body (or NULL) is the page's own JSON-LD body, used as evidence
 * when choosing between candidate containers. */
char *extract_body(htmlDocPtr doc, const char *title, const char *article_body);

/* Small helpers shared by meta.c and body.c. */
int ex_name_is(xmlNodePtr n, const char *name);
/* Attribute value (libxml2-owned, do not free) or NULL. */
const char *ex_attr(xmlNodePtr n, const char *name);
/* Collapses runs of white space to one space and trims; returns a heap
 * string or NULL when nothing is left. */
char *ex_clean_text(const char *s, size_t n);

#endif
