/* langid.h - language identification with libexttextcat (character
 * n-gram fingerprints, Cavnar & Trenkle), restricted to the languages
 * storywire handles, with a stop-word vote for short texts.
 *
 * Thread-safe (one shared classifier behind a mutex). */
#ifndef SW_LANGID_H
#define SW_LANGID_H

#include <stddef.h>

/* Returns an ISO 639-1 code ("en", "de", "es", "fr", "it", "pt", "nl",
 * "ru", "uk", and others exttextcat knows) or "und" when unsure. Never
 * NULL; the string is static. */
const char *langid_detect(const char *text, size_t n);

/* Releases the classifier (for leak-free exits). */
void langid_shutdown(void);

#endif
