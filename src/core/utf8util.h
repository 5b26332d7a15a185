/* utf8util.h - byte-level UTF-8 checks that the core needs before any
 * Unicode library is involved (escaping, validation, repair). Unicode-aware
 * work (normalisation, case folding, categories) lives in src/text/. */
#ifndef SW_UTF8UTIL_H
#define SW_UTF8UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Length (1-4) of the valid UTF-8 sequence at s (n bytes available), or 0
 * when the bytes there are not valid UTF-8 (overlongs and surrogates too). */
size_t utf8_seq_len(const char *s, size_t n);

/* Decodes the sequence at s; returns its length and sets *cp, or returns 0. */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Encodes cp into out (4 bytes room); returns the length. */
size_t utf8_encode(uint32_t cp, char *out);

/* 1 when all n bytes are valid UTF-8. */
int utf8_valid(const char *s, size_t n);

/* 1 for a code point of the scripts written without spaces between words
 * (Han, kana), each character of which the analyzer and the search index
 * take as a word of its own: nothing here can split them into words. */
static inline int utf8_is_unspaced(uint32_t cp)
{
    if (cp < 0x3040)
        return 0;
    return (cp < 0x3100) ||                   /* hiragana, katakana */
           (cp >= 0x3400 && cp < 0x4DC0) ||  /* CJK extension A */
           (cp >= 0x4E00 && cp < 0xA000) ||  /* CJK unified ideographs */
           (cp >= 0xF900 && cp < 0xFB00) ||  /* compatibility ideographs */
           (cp >= 0xFF66 && cp < 0xFFA0) ||  /* half-width katakana */
           (cp >= 0x20000 && cp < 0x32000); /* extensions B-H */
}

/* Returns a heap copy with every invalid byte replaced by U+FFFD and NUL
 * bytes removed; *repaired (if not NULL) counts the replacements. */
char *utf8_repair(const char *s, size_t n, size_t *repaired);

#endif
