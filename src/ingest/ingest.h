/* ingest.h - readers: turn input files into Articles.
 *
 * A file's kind is decided by its content, not its name: article JSONL
 * (one JSON object a line; .gz read transparently), the plain story-page
 * layout of shared/seed/story-page-example.txt, an HTML page (.html.gz
 * too), or a WARC web archive (.warc, .warc.gz), whose HTML responses go
 * through the article extractor. Readers never stop at a bad record: they
 * report it (file and line, or file and byte offset) through on_error and
 * go on. Library code: nothing is printed here. */
#ifndef SW_INGEST_H
#define SW_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "../core/arena.h"
#include "../core/article.h"
#include "../core/err.h"

struct Buf;

typedef enum { INPUT_UNKNOWN, INPUT_EMPTY, INPUT_JSONL, INPUT_TEXTPAGE, INPUT_HTML, INPUT_BINARY, INPUT_WARC } InputKind;

/* Decides the kind from the first bytes of a (decompressed) file. */
InputKind ingest_detect(const char *head, size_t n);
const char *ingest_kind_name(InputKind k);

/* Called for each article read; `where` is "file:line" (for messages).
 * The Article and its strings are valid only during the call. Return
 * non-zero to stop reading (e.g. a store error). */
typedef int (*IngestArticleFn)(void *ctx, const Article *a, const char *where);
/* Called for each record skipped, with a message naming file and line. */
typedef void (*IngestErrorFn)(void *ctx, const char *message);

/* Called now and then while a large file (a WARC archive) is read, with
 * the bytes of the file read so far and its size (0 when unknown). */
typedef void (*IngestProgressFn)(void *ctx, uint64_t done, uint64_t total);

typedef struct IngestOptions {
    const char *source;    /* outlet name for inputs that carry none */
    const char *url;       /* URL for single-article inputs (text and HTML
                              pages: where the page came from, used when it
                              names no canonical URL) */
    int64_t fetched;       /* time stamp for Article.fetched; 0 = now */
    IngestProgressFn on_progress; /* or NULL; gets the ctx of ingest_file */
} IngestOptions;

/* A page shorter than this (bytes of extracted body text) holds no usable
 * article: index pages, error pages, paywall stubs. */
#define INGEST_MIN_TEXT 250

/* Why a sound WARC record or page gave no article. These are counted, not
 * reported one by one: an archive holds thousands of them. */
typedef enum {
    INGEST_PASS_NOT_RESPONSE, /* request, metadata, warcinfo, revisit... records */
    INGEST_PASS_NOT_HTTP,     /* a response that is not HTTP (dns:, ftp:) */
    INGEST_PASS_STATUS,       /* HTTP status other than 2xx */
    INGEST_PASS_NOT_HTML,     /* images, feeds, JSON, PDF... */
    INGEST_PASS_NO_TITLE,     /* HTML without a title */
    INGEST_PASS_SHORT,        /* body text under INGEST_MIN_TEXT */
    INGEST_PASS_N
} IngestPass;

typedef struct IngestStats {
    size_t records;  /* lines, pages or WARC records seen */
    size_t articles; /* articles produced */
    size_t skipped;  /* records reported through on_error */
    size_t passed[INGEST_PASS_N]; /* sound records without an article, by reason */
} IngestStats;

/* "request, metadata and other records" etc., for summaries. */
const char *ingest_pass_name(IngestPass p);
/* Appends "N reason, N reason" for the non-zero passed counts; returns
 * their sum. */
size_t ingest_passed_describe(const IngestStats *st, struct Buf *out);

/* Reads path (or "-" for stdin). Returns 0 when the file was read to its
 * end (records may still have been skipped: see stats), -1 when it could
 * not be read at all or reading stopped (unknown type, I/O error, truncated
 * gzip, fn asked to stop) with err filled. */
int ingest_file(const char *path, const IngestOptions *opt, IngestArticleFn fn,
                IngestErrorFn on_error, void *ctx, IngestStats *stats, SwErr *err);

/* Reads a feed file (RSS, Atom, JSON Feed; see feeds/feed.h), one
 * Article per item, with the same contract as ingest_file. ingest_file
 * calls it for files that look like feeds (feed_sniff). */
int ingest_feed_file(const char *path, const IngestOptions *opt, IngestArticleFn fn,
                     IngestErrorFn on_error, void *ctx, IngestStats *stats, SwErr *err);

/* What every reader does to an article it produced: the default source,
 * the time it was read (opt->fetched, else now) and a publication date
 * more than a day after that taken as that time. For callers that parse
 * lines themselves (eval, tune) so that they read exactly as ingest does. */
void ingest_article_finish(Article *a, const IngestOptions *opt, int64_t now);

/* Reads an HTML page (a whole file, gzip or plain) through the article
 * extractor: one article, or a page reported through on_error when it
 * holds none. Returns -1 when the file cannot be read. */
int ingest_html_file(const char *path, const IngestOptions *opt, IngestArticleFn fn, IngestErrorFn on_error,
                     void *ctx, IngestStats *st, SwErr *err);

/* Reads a WARC archive record by record: every 2xx HTML `response` record
 * becomes an article (WARC-Target-URI as the page URL, WARC-Date as the
 * fetch time and as the publication time when the page gives none, the
 * HTTP charset passed to the extractor). Damaged records are reported
 * through on_error with the file and byte offset and reading goes on.
 * Returns -1 only when the file cannot be opened or read, or fn stops. */
int ingest_warc_file(const char *path, const IngestOptions *opt, IngestArticleFn fn, IngestErrorFn on_error,
                     void *ctx, IngestStats *st, SwErr *err);

/* Parses one JSONL line into an Article (strings in the arena). Returns 0,
 * or -1 with err saying what is wrong (without file/line). */
int ingest_jsonl_line(Arena *a, const char *line, size_t n, Article *out, SwErr *err);

/* Parses a whole text page (the story-page layout) into an Article. */
int ingest_textpage(Arena *a, const char *text, size_t n, Article *out, SwErr *err);

/* Reduces HTML to plain text: drops script/style/nav-like elements,
 * turns block elements into paragraph breaks, decodes entities. A first
 * version; full article extraction is a later stage. */
char *ingest_html_to_text(Arena *a, const char *html, size_t n);

/* Writes an Article as one JSONL line (no trailing newline) - the format
 * ingest_jsonl_line reads. */
void ingest_article_to_json(const Article *a, struct Buf *out);

#endif
