/* sentence.h - splits text into sentences.
 *
 * Handles abbreviations (Mr., Dr., Jan., Gov., U.S., e.g., etc. - English,
 * plus common ones of de/es/fr/it/pt/nl), initials ("John F. Kennedy"),
 * decimals and numbers ("3.5", "No. 4"), ellipses, closing quotes and
 * brackets after the terminator ('... he said." Next'), "?!" runs, and
 * paragraph breaks (a blank line always ends a sentence; a single newline
 * ends one when the line looks like a heading, i.e. has no terminator and
 * the next line starts uppercase, a digit, a quote or a bullet - unless the
 * line ends in ',' or a lower-case function word, as wrapped text does).
 * A list marker opening a sentence ("1. First", "A. Item") stays with it.
 * Spans exclude surrounding whitespace. */
#ifndef SW_SENTENCE_H
#define SW_SENTENCE_H

#include <stddef.h>
#include <stdint.h>

#include "../core/arena.h"

typedef struct SentenceSpan {
    uint32_t start, len;  /* byte offsets into the text */
    uint32_t paragraph;   /* 0-based paragraph index */
} SentenceSpan;

/* lang may be NULL (English rules). Returns the count; *out in the arena
 * (NULL when the count is 0). Reads only s[0..n). */
size_t sentence_split(Arena *a, const char *s, size_t n, const char *lang, SentenceSpan **out);

#endif
