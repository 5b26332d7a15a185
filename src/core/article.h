/* article.h - the article as it moves from readers to the store.
 *
 * Readers fill it (strings owned by the reader's arena); the store copies
 * what it keeps. `text` is plain text, paragraphs separated by blank lines
 * ("\n\n"). Times are Unix seconds, 0 when unknown. */
#ifndef SW_ARTICLE_H
#define SW_ARTICLE_H

#include <stdint.h>

typedef struct Article {
    int64_t id;        /* store id, 0 before it is stored */
    const char *url;   /* canonical URL, or NULL */
    const char *source;/* outlet name, e.g. "Harbour Times"; NULL = derived from URL host */
    const char *title;
    const char *text;  /* plain text body, paragraphs separated by "\n\n" */
    const char *image; /* lead image URL or NULL */
    const char *lang;  /* ISO 639-1 code, or NULL = detect */
    const char *author;
    const char *ext_id;/* the input's own id ("id" key), or NULL */
    int64_t published; /* Unix seconds, 0 = unknown */
    int64_t fetched;   /* when we read it */
} Article;

#endif
