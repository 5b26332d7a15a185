/* langid.h - language identification: the script, character n-gram
 * ranking (Cavnar & Trenkle, ngram_lm.h) over libexttextcat-data's
 * fingerprints, restricted to the languages storywire handles, and a
 * stop-word vote for short texts.
 *
 * Thread-safe (the fingerprints load once, behind a mutex; ranking then
 * reads them without a lock). */
#ifndef SW_LANGID_H
#define SW_LANGID_H

#include <stddef.h>

/* Returns an ISO 639-1 code ("en", "de", "es", "fr", "it", "pt", "nl",
 * "ru", "uk", and others with a fingerprint) or "und" when unsure. Never
 * NULL; the string is static. */
const char *langid_detect(const char *text, size_t n);

/* The same, folding the text into scratch (emptied first; its memory kept
 * for the next call), for callers that detect many texts. */
struct Buf;
const char *langid_detect_buf(const char *text, size_t n, struct Buf *scratch);

/* Releases the classifier (for leak-free exits). */
void langid_shutdown(void);

#endif
