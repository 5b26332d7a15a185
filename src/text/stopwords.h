/* stopwords.h - function words per language (en, de, es, fr, it, pt, nl,
 * ru, uk), compiled into the binary as sorted tables.
 *
 * Words are compared in folded form (see text_fold): lower case, no
 * diacritics. An unknown language (or NULL) uses the English list.
 * Thread-safe (the lookup index is built once, on first use). */
#ifndef SW_STOPWORDS_H
#define SW_STOPWORDS_H

#include <stddef.h>
#include <stdint.h>

int stopword_is(const char *lang, const char *folded, size_t n);

/* The same test split in two, for many words of one language: the bit of
 * lang's list (English's for unknown), and the lists holding a word (bit
 * i = stopword_languages[i]). stopword_is(lang, w, n) is
 * (stopword_langs(w, n) & stopword_lang_bit(lang)) != 0. */
unsigned stopword_lang_bit(const char *lang);
unsigned stopword_langs(const char *folded, size_t n);
/* stopword_langs for a word known to be plain ASCII, with its
 * text_word_hash (wordhash.h) already computed. */
unsigned stopword_langs_ascii(const char *folded, size_t n, uint64_t hash);

/* Number of stop words of lang found among the words of a text, used by
 * language identification of short texts. */
size_t stopword_count(const char *lang, const char *text, size_t n);

/* Same, for text already folded with text_fold (saves folding once per
 * language when several languages are counted). */
size_t stopword_count_folded(const char *lang, const char *folded, size_t n);

/* Counts the stop words of every language at once, in one pass over
 * folded text: counts[i] is for stopword_languages[i] (9 entries). */
void stopword_count_all(const char *folded, size_t n, size_t *counts);

/* The sorted folded list of lang (English for unknown) and its length, for
 * tests and tools. */
const char *const *stopword_list(const char *lang, size_t *n);

/* Languages with a list, NULL-terminated. */
extern const char *const stopword_languages[];

#endif
