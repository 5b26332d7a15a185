/* tokenize.c - words, numbers and punctuation out of UTF-8 text.
 *
 * One left-to-right pass over code points. A token starts at a letter,
 * digit or mark and grows while the text continues it: more letters,
 * digits and marks, or one joiner character that is followed by more of
 * the word (an apostrophe or hyphen inside a word, '.' or ',' inside a
 * number). Dotted acronyms ("U.S.", "e.g.") are matched before that so the
 * periods between their letters stay in the token. Anything else that is
 * not white space is a one-character PUNCT token; an invalid byte is a
 * one-byte PUNCT token, so offsets always cover the input exactly. */
#include "tokenize.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "../core/err.h"
#include "../core/utf8util.h"
#include "unicode.h"

/* Decodes the code point at s[i]; an invalid byte reads as U+FFFD, length 1.
 * At the end of input returns 0 with cp 0. */
static size_t cp_at(const char *s, size_t n, size_t i, uint32_t *cp)
{
    if (i >= n) {
        *cp = 0;
        return 0;
    }
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t l = utf8_decode(s + i, n - i, cp);
    if (!l) {
        *cp = 0xFFFD;
        return 1;
    }
    return l;
}

static int is_mark(uint32_t cp)
{
    if (cp < 0x300)
        return 0;
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_ME;
}

/* Classes of ASCII bytes, one lookup for the loops over plain words. */
enum { AC_LETTER = 1, AC_UPPER = 2, AC_DIGIT = 4 };
#define AC_ROW(c) ((c) >= 'A' && (c) <= 'Z' ? AC_LETTER | AC_UPPER : (c) >= 'a' && (c) <= 'z' ? AC_LETTER : (c) >= '0' && (c) <= '9' ? AC_DIGIT : 0)
#define AC4(c) AC_ROW(c), AC_ROW((c) + 1), AC_ROW((c) + 2), AC_ROW((c) + 3)
#define AC16(c) AC4(c), AC4((c) + 4), AC4((c) + 8), AC4((c) + 12)
static const uint8_t ascii_class[128] = {AC16(0),  AC16(16), AC16(32), AC16(48),
                                         AC16(64), AC16(80), AC16(96), AC16(112)};
#undef AC16
#undef AC4
#undef AC_ROW

static inline int ascii_alnum(uint32_t cp)
{
    return (cp | 32) - 'a' < 26u || cp - '0' < 10u;
}

static inline int is_wordchar(uint32_t cp)
{
    if (cp < 0x80)
        return ascii_alnum(cp);
    return text_is_letter(cp) || text_is_digit(cp) || is_mark(cp);
}

static inline int is_letter(uint32_t cp)
{
    return cp < 0x80 ? (cp | 32) - 'a' < 26u : text_is_letter(cp);
}

static inline int is_digit(uint32_t cp)
{
    return cp < 0x80 ? cp - '0' < 10u : text_is_digit(cp);
}

static int is_apostrophe(uint32_t cp)
{
    return cp == '\'' || cp == 0x2019;
}

static int is_hyphen(uint32_t cp)
{
    return cp == '-' || cp == 0x2010 || cp == 0x2011;
}

/* Scripts written without spaces between words (Han, kana): each of
 * their characters is a word token of its own, a morpheme or syllable,
 * since nothing here can split them into words. Without this a whole
 * Chinese or Japanese sentence was one "word": no sentence reached a
 * summary's least length and articles shared no terms. */
static inline int is_unspaced(uint32_t cp)
{
    return utf8_is_unspaced(cp);
}

int text_is_unspaced(uint32_t cp)
{
    return is_unspaced(cp);
}

/* Length of a dotted acronym at s[i] ("U.S.", "e.g.", "U.S"): two or more
 * single letters each followed by '.', the last '.' optional. 0 if none. */
static size_t acronym_len(const char *s, size_t n, size_t i)
{
    size_t p = i, letters = 0, end = 0;
    for (;;) {
        uint32_t cp, next;
        size_t l = cp_at(s, n, p, &cp);
        if (!l || !is_letter(cp))
            break;
        size_t l2 = cp_at(s, n, p + l, &next);
        if (l2 && next == '.') {
            letters++;
            p += l + 1;
            end = p;
            continue;
        }
        if (l2 && (is_wordchar(next) || is_apostrophe(next) || is_hyphen(next)))
            break; /* "U.Sa": the letter starts a longer word */
        if (letters >= 1) { /* final letter without its period: "U.S" */
            letters++;
            end = p + l;
        }
        break;
    }
    return letters >= 2 ? end - i : 0;
}

/* Scans the word or number starting at s[i]; returns its end. */
static size_t word_end(const char *s, size_t n, size_t i, int *only_digits)
{
    size_t p = i;
    uint32_t cp, prev = 0;
    *only_digits = 1;
    for (;;) {
        /* a run of ASCII letters and digits in one step */
        unsigned seen = AC_DIGIT; /* AND of the classes of the run */
        size_t run = p;
#ifdef __SSE2__
        /* sixteen bytes at a time while they are all in the run */
        while (p + 16 <= n) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + p));
            __m128i lv = _mm_or_si128(v, _mm_set1_epi8(0x20));
            __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(lv, _mm_set1_epi8('a' - 1)),
                                           _mm_cmplt_epi8(lv, _mm_set1_epi8('z' + 1)));
            __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                          _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
            unsigned dm = (unsigned)_mm_movemask_epi8(digit);
            unsigned in = (unsigned)_mm_movemask_epi8(letter) | dm;
            unsigned k = in == 0xFFFFu ? 16 : (unsigned)__builtin_ctz(~in);
            unsigned part = k == 16 ? 0xFFFFu : (1u << k) - 1;
            if ((dm & part) != part)
                seen &= (unsigned)~AC_DIGIT;
            p += k;
            if (k < 16)
                break;
        }
#endif
        while (p < n && (unsigned char)s[p] < 0x80 && ascii_class[(unsigned char)s[p]]) {
            seen &= ascii_class[(unsigned char)s[p]];
            p++;
        }
        if (p > run) {
            if (!(seen & AC_DIGIT))
                *only_digits = 0;
            prev = (unsigned char)s[p - 1];
        }
        size_t l = cp_at(s, n, p, &cp);
        if (!l)
            break;
        if (is_wordchar(cp)) {
            if (is_unspaced(cp))
                break; /* "iPhone发布": the Latin word ends here */
            if (!is_digit(cp))
                *only_digits = 0;
            prev = cp;
            p += l;
            continue;
        }
        uint32_t next;
        size_t l2 = cp_at(s, n, p + l, &next);
        if (!l2)
            break;
        int join = 0;
        if (is_apostrophe(cp))
            join = is_letter(next);
        else if (is_hyphen(cp))
            join = is_wordchar(next) && !(is_digit(prev) && is_digit(next));
        else if (cp == '.' || cp == ',')
            join = *only_digits && is_digit(prev) && is_digit(next);
        if (!join)
            break;
        if (!(cp == '.' || cp == ','))
            *only_digits = 0;
        prev = cp;
        p += l;
    }
    return p;
}

size_t tokenize(Arena *a, const char *s, size_t n, Token **out)
{
    *out = NULL;
    if (!s || n == 0)
        return 0;
    if (n > UINT32_MAX)
        n = UINT32_MAX; /* offsets are 32-bit; nothing real is this long */
    /* tokens gather on the stack (a sentence's worth), then the heap */
    Token stack[256];
    size_t count = 0, cap = sizeof stack / sizeof stack[0];
    Token *toks = stack;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t l = cp_at(s, n, i, &cp);
        if ((cp < 0x80 ? cp == ' ' || cp - '\t' < 5u : text_is_space(cp)) || cp == 0x200B || cp == 0xFEFF || cp == 0x00AD) {
            i += l;
            continue;
        }
        Token t = {.start = (uint32_t)i, .kind = TOK_PUNCT};
        size_t end = i + l;
        if (is_wordchar(cp) && !is_mark(cp)) {
            /* an acronym's first letter is followed by '.' */
            size_t acr = i + l < n && s[i + l] == '.' ? acronym_len(s, n, i) : 0;
            int digits_only = 0;
            if (is_unspaced(cp)) {
                end = i + l;
            } else if (acr) {
                end = i + acr;
            } else {
                end = word_end(s, n, i, &digits_only);
            }
            t.kind = digits_only ? TOK_NUMBER : TOK_WORD;
            if (digits_only && end < n && s[end] == '%')
                end++;
            if (t.kind == TOK_WORD) {
                /* all capitals: two or more letters, none in lower case
                 * (read up to the first lower-case one) */
                size_t letters = 0, p = i;
                int lower = 0;
                t.upper = (uint8_t)(cp < 0x80 ? cp - 'A' < 26u : text_is_upper(cp));
                while (p < end && !lower) {
                    unsigned b = (unsigned char)s[p];
                    if (b < 0x80) { /* ASCII letters, digits and joiners */
                        unsigned k = ascii_class[b];
                        letters += k & AC_LETTER;
                        lower = (k & (AC_LETTER | AC_UPPER)) == AC_LETTER;
                        p++;
                        continue;
                    }
                    uint32_t c;
                    p += cp_at(s, n, p, &c);
                    if (is_letter(c)) {
                        letters++;
                        lower = !text_is_upper(c);
                    }
                }
                t.all_caps = letters >= 2 && !lower;
            }
        }
        t.len = (uint32_t)(end - i);
        if (count == cap) {
            cap *= 2;
            if (toks == stack) {
                toks = xmalloc(cap * sizeof *toks);
                memcpy(toks, stack, sizeof stack);
            } else {
                toks = xrealloc(toks, cap * sizeof *toks);
            }
        }
        toks[count++] = t;
        i = end;
    }
    if (count) {
        *out = arena_alloc_raw(a, count * sizeof *toks); /* all of it copied over */
        memcpy(*out, toks, count * sizeof *toks);
    }
    if (toks != stack)
        free(toks);
    return count;
}
