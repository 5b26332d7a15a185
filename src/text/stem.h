/* stem.h - Snowball stemming through libstemmer.
 *
 * A Stemmer is for one language and one thread. Input is a folded word
 * (lower case). NULL, "" or "und" mean English; a language libstemmer lacks
 * (e.g. "uk", "pl") gets no stemming: stemmer_stem returns the word. */
#ifndef SW_STEM_H
#define SW_STEM_H

#include <stddef.h>

typedef struct Stemmer Stemmer;

Stemmer *stemmer_new(const char *lang); /* NULL lang = English; never NULL */
/* Returns the stem (valid until the next call on this stemmer) and its
 * length. */
const char *stemmer_stem(Stemmer *st, const char *word, size_t n, size_t *out_len);
void stemmer_free(Stemmer *st);

#endif
