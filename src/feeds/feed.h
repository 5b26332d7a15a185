/* feed.h - reading syndication feeds and subscription lists.
 *
 * feed_parse turns the bytes of one feed document into a Feed: RSS
 * 0.90/0.91/0.92/2.0, RSS 1.0 (RDF), Atom 0.3/1.0 and JSON Feed 1.0/1.1,
 * with Dublin Core, content:encoded, Media RSS, enclosures and iTunes
 * basics. The result is normalised so callers need not know the format:
 *   - every string is valid UTF-8 (declared/HTTP/BOM encodings converted);
 *   - title, author, summary and content are plain text (HTML and entities
 *     decoded); content_html keeps the item's HTML when the feed had some;
 *   - links are absolute (xml:base, then the feed URL, RFC 3986);
 *   - dates are Unix seconds UTC, 0 when absent or unreadable;
 *   - every item has a non-empty id: guid/id, else link, else a hash of
 *     title, summary, content, enclosure and date ("hash:<16 hex>").
 * All memory of a Feed lives in its arena; feed_free releases it.
 *
 * Hostile input is bounded: documents over FEED_MAX_BYTES are refused,
 * no network or external entities are ever loaded, entity expansion is
 * not performed beyond the predefined/character references. */
#ifndef SW_FEED_H
#define SW_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "../core/arena.h"
#include "../core/article.h"
#include "../core/buf.h"
#include "../core/err.h"

/* Largest feed document feed_parse accepts (bytes). */
#define FEED_MAX_BYTES (64u * 1024u * 1024u)
/* At most this many items are kept from one feed (the rest are dropped). */
#define FEED_MAX_ITEMS 100000u

typedef struct FeedItem {
    const char *id;            /* never NULL or empty */
    const char *title;         /* plain text, may be NULL */
    const char *link;          /* absolute URL, may be NULL */
    const char *author;        /* plain text name (or email), may be NULL */
    const char *summary;       /* plain text, may be NULL */
    const char *content;       /* plain text of the fullest body, may be NULL */
    const char *content_html;  /* the body as HTML when the feed gave HTML, may be NULL */
    const char *image;         /* absolute URL (media thumbnail/content, itunes:image, enclosure image), may be NULL */
    const char *enclosure_url; /* absolute URL, may be NULL */
    const char *enclosure_type;/* MIME type, may be NULL */
    int64_t enclosure_length;  /* bytes, 0 when unknown */
    const char **categories;   /* ncategories plain-text terms */
    size_t ncategories;
    int64_t published;         /* Unix seconds, 0 = unknown */
    int64_t updated;           /* Unix seconds, 0 = unknown */
} FeedItem;

typedef struct Feed {
    const char *title;         /* plain text, may be NULL */
    const char *link;          /* the site (alternate) link, absolute, may be NULL */
    const char *self_link;     /* the feed's own URL as it states it, may be NULL */
    const char *description;   /* plain text, may be NULL */
    const char *lang;          /* e.g. "en-us", may be NULL */
    const char *image;         /* absolute URL, may be NULL */
    const char *author;        /* plain text, may be NULL */
    int64_t updated;           /* Unix seconds, 0 = unknown */
    int ttl_minutes;           /* RSS <ttl> or sy:updatePeriod/Frequency, 0 = none */
    const char *kind;          /* "rss090","rss091","rss092","rss2","rss1","atom03","atom10","jsonfeed10","jsonfeed11" */
    FeedItem *items;
    size_t nitems;
    Arena arena;               /* owns every string and array above */
} Feed;

/* Parses one feed document. feed_url (may be NULL) is the base for relative
 * links; http_charset (may be NULL) is the charset from the HTTP
 * Content-Type, which wins over the document's own declaration as RFC 7303
 * says, unless the bytes start with a BOM. On success returns 0 and fills
 * *out (call feed_free later). On failure returns -1, leaves *out empty
 * (feed_free is still safe) and err says why: not a feed (e.g. an HTML
 * page), empty, too large, broken beyond recovery. A feed with zero items
 * is a success. */
int feed_parse(const char *data, size_t len, const char *feed_url,
               const char *http_charset, Feed *out, SwErr *err);
void feed_free(Feed *f);

/* Fills an Article from one item of f (strings point into f's arena or
 * the item; valid while f is): url = link, source = feed title, text =
 * the longer of content and summary, lang = the feed language's two-letter
 * code, ext_id = item id, published = published else updated. fetched is
 * left 0. Returns 0, or -1 when the item has neither title nor text (an
 * article needs one). */
int feed_item_article(Feed *f, const FeedItem *it, Article *out);

/* Appends the whole Feed as one JSON object (feed fields and an "items"
 * array with every FeedItem field; times as RFC 3339), for inspection and
 * conformance tests. */
void feed_to_json(const Feed *f, Buf *out);

/* Cheap content sniff: 1 when the bytes look like a feed document (XML with
 * an rss/rdf:RDF/feed root, or JSON with a "version" key naming a
 * jsonfeed.org version in its first 8 KB). */
int feed_sniff(const char *data, size_t len);
/* 1 when JSON text holds a "version" key whose value is a jsonfeed.org
 * version URL anywhere in it (feed_sniff looks at the first 8 KB only):
 * for one-line JSON Feeds whose version comes late. A quote inside a JSON
 * string is escaped, so article text quoting the pattern does not match. */
int feed_sniff_json_version(const char *data, size_t len);

/* Finds the feeds a web page advertises (<link rel="alternate"
 * type="application/rss+xml|atom+xml|feed+json|..." href>). Returns 0 with
 * *urls a heap array of *n absolute heap strings (free with
 * feed_urls_free), possibly empty; -1 on error. */
int feed_discover(const char *html, size_t len, const char *page_url,
                  char ***urls, size_t *n, SwErr *err);
void feed_urls_free(char **urls, size_t n);

/* Resolves reference ref against base per RFC 3986 section 5.2 (with
 * dot-segment removal). Returns a heap string (caller frees); when base is
 * NULL/empty or ref is already absolute, a copy of ref. */
char *url_resolve(const char *base, const char *ref);

/* ---- OPML subscription lists ---- */

typedef struct OpmlOutline {
    char *title;     /* title, else text; may be NULL */
    char *xml_url;   /* the feed URL; NULL for a folder outline */
    char *html_url;  /* the site URL, may be NULL */
    char *category;  /* "category" attribute, else the enclosing folder
                        path joined with '/', may be NULL */
} OpmlOutline;

/* Parses OPML 1.0/2.0. Nested outlines are flattened: one OpmlOutline per
 * outline that has an xmlUrl, with the folder names above it as category
 * when it has none. Returns 0 with a heap array (free with opml_free), -1
 * with err set when the document is not OPML. */
int opml_parse(const char *data, size_t len, OpmlOutline **out, size_t *n, SwErr *err);
void opml_free(OpmlOutline *o, size_t n);

/* Appends an OPML 2.0 document listing the outlines (attributes escaped;
 * title is the document title, may be NULL). */
void opml_write(const OpmlOutline *o, size_t n, const char *title, Buf *out);

#endif
