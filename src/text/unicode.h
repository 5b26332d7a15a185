/* unicode.h - Unicode-aware string work on UTF-8, through utf8proc.
 *
 * Input may be any bytes: invalid UTF-8 is replaced by U+FFFD first, so
 * these functions never fail. Results are written to a Buf or an arena. */
#ifndef SW_UNICODE_H
#define SW_UNICODE_H

#include <stddef.h>
#include <stdint.h>

#include "../core/arena.h"
#include "../core/buf.h"

/* NFC normalisation plus clean-up for storage: invalid bytes -> U+FFFD,
 * control characters (except \n and \t) removed, \r\n and \r -> \n, runs of
 * spaces/tabs collapsed to one space, trailing spaces on a line removed, 3+
 * newlines collapsed to 2 (paragraph break), leading/trailing blank space
 * removed. Unicode spaces (NBSP, thin space...) become ' '. */
char *text_clean(Arena *a, const char *s, size_t n);

/* Same as text_clean but also joins all lines: the result has no newlines.
 * For titles, names, one-line fields. */
char *text_clean_line(Arena *a, const char *s, size_t n);

/* Case folding + NFKC + removal of combining marks (diacritics), for
 * matching: "Zürich" -> "zurich", "ÉCOLE" -> "ecole", "straße" -> "strasse".
 * Cyrillic й and ї are kept (letters of their own, not и/і with a mark);
 * ё becomes е. Invalid bytes become U+FFFD, NUL bytes are dropped.
 * Appends to out (which is NUL-terminated afterwards, even for n = 0). */
void text_fold(Buf *out, const char *s, size_t n);

/* Unicode properties of a code point. */
int text_is_letter(uint32_t cp);
int text_is_digit(uint32_t cp);
int text_is_upper(uint32_t cp);   /* uppercase or titlecase letter */
int text_is_space(uint32_t cp);   /* any Unicode white space */
int text_is_punct(uint32_t cp);

#endif
