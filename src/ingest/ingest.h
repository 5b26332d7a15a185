/* ingest.h - readers: turn input files into Articles.
 *
 * A file's kind is decided by its content, not its name: article JSONL
 * (one JSON object a line; .gz read transparently) or the plain story-page
 * layout of shared/seed/story-page-example.txt. Readers never stop at a
 * bad record: they report it (file and line) through on_error and go on.
 * Library code: nothing is printed here. */
#ifndef SW_INGEST_H
#define SW_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "../core/arena.h"
#include "../core/article.h"
#include "../core/err.h"

typedef enum { INPUT_UNKNOWN, INPUT_EMPTY, INPUT_JSONL, INPUT_TEXTPAGE, INPUT_HTML, INPUT_BINARY } InputKind;

/* Decides the kind from the first bytes of a (decompressed) file. */
InputKind ingest_detect(const char *head, size_t n);
const char *ingest_kind_name(InputKind k);

/* Called for each article read; `where` is "file:line" (for messages).
 * The Article and its strings are valid only during the call. Return
 * non-zero to stop reading (e.g. a store error). */
typedef int (*IngestArticleFn)(void *ctx, const Article *a, const char *where);
/* Called for each record skipped, with a message naming file and line. */
typedef void (*IngestErrorFn)(void *ctx, const char *message);

typedef struct IngestOptions {
    const char *source;    /* outlet name for inputs that carry none */
    const char *url;       /* URL for single-article inputs (text pages) */
    int64_t fetched;       /* time stamp for Article.fetched; 0 = now */
} IngestOptions;

typedef struct IngestStats {
    size_t records;  /* lines or pages seen */
    size_t articles; /* articles produced */
    size_t skipped;  /* records reported through on_error */
} IngestStats;

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
struct Buf;
void ingest_article_to_json(const Article *a, struct Buf *out);

#endif
