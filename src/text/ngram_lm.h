/* ngram_lm.h - character n-gram language fingerprints (Cavnar & Trenkle
 * "out of place" ranking), reading libexttextcat's .lm files.
 *
 * A fingerprint file lists a language's most frequent n-grams, one a
 * line, most frequent first (anything after a space or tab is ignored).
 * All languages' fingerprints go into one hash table mapping an n-gram to
 * its rank in every language, so that a text is scored against all of
 * them in one pass over its own profile.
 *
 * A built NgramLm is read-only: ngram_lm_classify may run on it from any
 * number of threads at once. */
#ifndef SW_NGRAM_LM_H
#define SW_NGRAM_LM_H

#include <stddef.h>

#define NGRAM_LM_MAX_LANGS 32
#define NGRAM_LM_PROFILE 400  /* n-grams kept per profile (text or language) */
#define NGRAM_LM_MAX_CHARS 5  /* characters per n-gram */
#define NGRAM_LM_MAX_BYTES 20 /* bytes per n-gram in a fingerprint file */

typedef struct NgramLm NgramLm;

NgramLm *ngram_lm_new(void);
void ngram_lm_free(NgramLm *lm);

/* Adds a language from the text of a fingerprint file (data, n bytes).
 * code is kept as given (a static string). Returns 0, or -1 when the
 * table is full or out of memory. */
int ngram_lm_add(NgramLm *lm, const char *code, const char *data, size_t n);

/* Same, reading the file at path. Returns -1 when it cannot be read. */
int ngram_lm_add_file(NgramLm *lm, const char *code, const char *path);

size_t ngram_lm_count(const NgramLm *lm);

/* Ranks the languages for text (n bytes): fills codes[] with up to max
 * codes, best first, among the languages scoring within 3% of the best,
 * and returns how many; 0 when more than five are that close (unsure) or
 * the text has no n-grams. Scores, when not NULL, receives each language's
 * distance in the order added (lower is closer). */
size_t ngram_lm_classify(const NgramLm *lm, const char *text, size_t n, const char **codes, size_t max,
                         long *scores);

#endif
