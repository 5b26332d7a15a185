/* feed_internal.h - what the feed readers (XML, JSON) share: building a
 * Feed in its arena with normalised strings. Not part of the public API. */
#ifndef SW_FEED_INTERNAL_H
#define SW_FEED_INTERNAL_H

#include "../core/buf.h"
#include "feed.h"

/* Converts a document to UTF-8 (see feed_enc.c). On success *out_s and *out_n
 * point at UTF-8 text: either into data itself or into conv (which the
 * caller frees). Never fails: undecodable bytes become U+FFFD. *charset
 * names what was used (static string). */
void feed_to_utf8(const char *data, size_t len, const char *http_charset, Buf *conv,
                  const char **out_s, size_t *out_n, const char **charset);

/* Readers of a UTF-8 document into f (whose arena is ready). */
int feed_parse_xml(const char *s, size_t n, const char *feed_url, Feed *f, SwErr *err);
int feed_parse_json(const char *s, size_t n, const char *feed_url, Feed *f, SwErr *err);

/* Appends the text of an HTML fragment (see html_text.c); sets *page to 1
 * when it holds <html>, <body>, <head>, <nav>, <aside>, <footer>, <form>
 * or <menu> (a page, or boilerplate around the article). */
void fb_html_to_text(Buf *out, const char *s, size_t n, int *page);

/* Plain text from a field value: HTML (when it looks like HTML) reduced
 * to text, entities decoded, whitespace normalised. one_line folds all
 * whitespace into single spaces (titles, names). NULL when empty.
 * Multi-line HTML (content, descriptions) that is a whole page or carries
 * boilerplate (see fb_html_to_text) goes through the article extractor
 * (src/extract), whose body text is taken when it kept enough of it. */
const char *fb_text(Feed *f, const char *s, size_t n, int one_line);
/* The same for a value known to be plain text (Atom type="text"): a '<'
 * in it is a character, not markup. */
const char *fb_plain(Feed *f, const char *s, size_t n, int one_line);
/* An absolute URL from a (trimmed) reference against base; NULL when empty. */
const char *fb_url(Feed *f, const char *base, const char *s, size_t n);
/* A trimmed copy; NULL when empty. */
const char *fb_str(Feed *f, const char *s, size_t n);
/* A date; 0 when absent or unreadable. */
int64_t fb_date(const char *s, size_t n);
/* A new zeroed item at the end of f->items (NULL past FEED_MAX_ITEMS). */
FeedItem *fb_item(Feed *f, size_t *cap);
void fb_category(Feed *f, FeedItem *it, const char *s, size_t n);
/* The name in "mail@example.com (Name)" or "Name <mail@example.com>". */
const char *fb_person(Feed *f, const char *s, size_t n);
/* Fills each item's id (guid, link or content hash). */
void fb_finish(Feed *f);

#endif
