/* extract_internal.h - the parts of the extractor that its files share:
 * charset detection, loose dates, metadata and body passes over one DOM. */
#ifndef SW_EXTRACT_INTERNAL_H
#define SW_EXTRACT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "extract.h"
#include "htree.h"

/* charset.c: the len bytes of a page as UTF-8 (NUL-free, valid), the
 * charset chosen from a BOM, http_charset, the page's own <meta>
 * declaration, then a guess. Returns data itself when it is clean UTF-8
 * already, else the converted text in out; *out_len is its length. Writes
 * the charset used into used (at least 32 bytes). Never fails: unknown
 * labels fall back to the guess and bytes that do not decode become
 * U+FFFD. */
const char *extract_to_utf8(const char *data, size_t len, const char *http_charset, Buf *out,
                            size_t *out_len, char *used, size_t used_n);

/* dates.c: parses the date formats news pages print, on top of
 * time_parse (RFC 3339, RFC 822): "March 4, 2026", "4 March 2026 10:20",
 * "Mar. 4, 2026, 10:20 AM EST", "2026/03/04", "04.03.2026". 0 on success. */
int extract_parse_date(const char *s, int64_t *out);

/* meta.c: fills the metadata fields of out (everything but text) from
 * JSON-LD, OpenGraph, Twitter, <meta>, <time>, <link rel=canonical> and
 * <html lang>. *article_body receives the JSON-LD articleBody (heap, or
 * NULL) for the body pass to check its choice against. */
void extract_meta(const HTree *doc, const char *page_url, Extracted *out, char **article_body);

/* body.c: the article text of doc, paragraphs separated by "\n\n" (heap,
 * never NULL). title (or NULL) is left out when it heads the text;
 * article_body (or NULL) is the page's own JSON-LD body, used as evidence
 * when choosing between candidate containers. */
char *extract_body(HTree *doc, const char *title, const char *article_body);

/* Small helpers shared by meta.c and body.c. */
/* The <html> element (or the document node when there is none). */
HNode *ex_html(const HTree *doc);
/* Collapses runs of white space to one space and trims; returns a heap
 * string or NULL when nothing is left. */
char *ex_clean_text(const char *s, size_t n);

#endif
