/* tokenize.h - splits text into words, numbers and punctuation.
 *
 * A word is a run of letters/digits/marks that may contain an inner
 * apostrophe (' or U+2019: "don't", "Putin's") or hyphen ("Mar-a-Lago"),
 * or periods between single letters ("U.S."). A number may contain inner
 * '.' or ',' between digits ("3.5", "14,000") and a trailing '%'. Every
 * other non-space character is its own PUNCT token (a multi-byte quote mark
 * is one token). Offsets are byte offsets into the input. */
#ifndef SW_TOKENIZE_H
#define SW_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>

#include "../core/arena.h"

typedef enum { TOK_WORD, TOK_NUMBER, TOK_PUNCT } TokenKind;

typedef struct Token {
    uint32_t start, len;
    uint8_t kind;     /* TokenKind */
    uint8_t upper;    /* word starts with an uppercase letter */
    uint8_t all_caps; /* word has 2+ letters, all uppercase ("NATO") */
} Token;

/* 1 for a character of a script written without spaces between words
 * (Han, kana): tokenize makes each one a word token of its own. */
int text_is_unspaced(uint32_t cp);

/* Tokenizes s; returns the count and sets *out to an array in the arena
 * (NULL when the count is 0). Reads only s[0..n); an invalid UTF-8 byte is
 * a one-byte PUNCT token. */
size_t tokenize(Arena *a, const char *s, size_t n, Token **out);

#endif
