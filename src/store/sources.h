/* sources.h - read-only queries about outlets (the sources table) for the
 * /sources pages and /api/sources. Part of the store: the SQL lives in
 * store_sources.c; conventions are those of store.h (0, -1 with err, or
 * STORE_NOT_FOUND; strings in the caller's Arena; arrays on the heap, the
 * caller frees them). Nothing here writes, so a read-only Store serves. */
#ifndef SW_STORE_SOURCES_H
#define SW_STORE_SOURCES_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* One outlet with what it has contributed. */
typedef struct SourceRow {
    int64_t id;
    const char *name;
    const char *host;          /* NULL when unknown */
    int64_t article_count;     /* every stored article, duplicates included */
    int64_t story_count;       /* distinct stories its articles belong to */
    int64_t last_published;    /* newest article's published time, 0 = unknown */
} SourceRow;

/* One article of an outlet. */
typedef struct SourceArticle {
    int64_t id;
    const char *title;
    const char *url;           /* NULL when the article has none */
    const char *story_slug;    /* slug of its story when that story has a page, else NULL */
    int64_t published;         /* 0 = unknown */
} SourceArticle;

/* Outlets by article count (most first), then name, then id; at most limit
 * rows from offset. */
int store_source_list(Store *s, size_t limit, size_t offset, Arena *a, SourceRow **rows, size_t *n, SwErr *err);

/* One outlet by id, or STORE_NOT_FOUND. */
int store_source_get(Store *s, int64_t id, Arena *a, SourceRow *out, SwErr *err);

/* An outlet's articles, newest published first (unknown dates last, then
 * by id, newest first); at most limit rows from offset. An unknown id gives
 * no rows (check it with store_source_get). */
int store_source_articles(Store *s, int64_t source_id, size_t limit, size_t offset, Arena *a,
                          SourceArticle **rows, size_t *n, SwErr *err);

#endif
