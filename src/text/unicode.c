/* unicode.c - normalisation, clean-up and case folding of UTF-8 text.
 *
 * Everything goes through utf8proc, after core's utf8_repair has turned any
 * invalid byte into U+FFFD, so no function here can fail on bad input.
 * text_clean shapes text for storage (NFC, one space between words, at
 * most one blank line between paragraphs); text_fold shapes a string for
 * matching (case folded, compatibility forms, no diacritics). Both have a
 * fast path for plain ASCII, which is most of what they see. */
#include "unicode.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "../core/err.h"
#include "../core/utf8util.h"

/* Code points that are NFC on their own and never combine with their
 * neighbours (no canonical decomposition to undo, no combining class, not
 * the second half of a composition): Latin-1 and the Latin extensions,
 * Cyrillic without its combining marks, general punctuation, currency
 * signs, CJK ideographs, Hangul syllables, emoji. Text made only of these
 * (nearly all news) skips utf8proc's NFC pass, which runs at ~10 MB/s. */
static int nfc_inert(uint32_t cp)
{
    return cp < 0x300 || (cp >= 0x400 && cp <= 0x482) || (cp >= 0x48A && cp <= 0x52F) ||
           (cp >= 0x2002 && cp <= 0x206F) || (cp >= 0x20A0 && cp <= 0x20C0) ||
           (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
           (cp >= 0x1F300 && cp <= 0x1FAFF);
}

/* 1 when s needs neither repair nor NFC: no NUL byte, valid UTF-8, and
 * only nfc_inert code points. With SSE2, ASCII is skipped sixteen bytes
 * at a time. */
static int is_clean_input(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
#ifdef __SSE2__
        const __m128i zero = _mm_setzero_si128();
        while (i + 16 <= n) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            int m = _mm_movemask_epi8(v) | _mm_movemask_epi8(_mm_cmpeq_epi8(v, zero));
            if (m) {
                i += (size_t)__builtin_ctz((unsigned)m);
                break;
            }
            i += 16;
        }
        if (i >= n)
            break;
#endif
        unsigned char c = (unsigned char)s[i];
        if (c == 0)
            return 0;
        if (c < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t l = utf8_decode(s + i, n - i, &cp);
        if (!l || !nfc_inert(cp))
            return 0;
        i += l;
    }
    return 1;
}

/* utf8_repair, and the repaired length (it drops NUL bytes). Input made
 * only of NUL bytes is handled here: utf8_repair then returns a buffer
 * with no terminator (nothing was appended to its Buf). */
static char *repair(const char *s, size_t n, size_t *len)
{
    size_t i = 0;
    while (i < n && s[i] == '\0')
        i++;
    if (i == n) {
        *len = 0;
        return xstrdup("");
    }
    char *fixed = utf8_repair(s, n, NULL);
    *len = strlen(fixed);
    return fixed;
}

/* Returns a heap NFC copy of s (n bytes of any content) and its length. */
static char *nfc_copy(const char *s, size_t n, size_t *out_len)
{
    size_t len;
    char *fixed = repair(s, n, &len);
    if (is_clean_input(fixed, len)) { /* repaired: no NUL byte is left */
        *out_len = len;
        return fixed;
    }
    utf8proc_uint8_t *nfc = NULL;
    utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)fixed, (utf8proc_ssize_t)len, &nfc,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (r < 0) { /* cannot happen on repaired input; keep the text as it is */
        *out_len = len;
        return fixed;
    }
    free(fixed);
    *out_len = (size_t)r;
    return (char *)nfc;
}

/* Characters that carry nothing when stored: soft hyphen, zero-width space,
 * word joiner, byte order mark. (Zero-width joiners stay: emoji need them.) */
static int is_invisible(uint32_t cp)
{
    /* and the bidirectional embeddings, overrides and isolates (U+202A-202E,
     * U+2066-2069), which can make a headline display as something other
     * than what it says; the plain marks LRM/RLM stay */
    return cp == 0x00AD || cp == 0x200B || cp == 0x2060 || cp == 0xFEFF ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Writes the white space pending before the next visible character (a
 * paragraph break, a line break or one space; nothing at the start) and
 * clears it; returns the new length of out. */
static inline size_t put_separator(char *out, size_t k, int *pending_space, int *pending_newlines)
{
    if (k > 0) {
        if (*pending_newlines) {
            out[k++] = '\n';
            if (*pending_newlines >= 2)
                out[k++] = '\n';
        } else if (*pending_space) {
            out[k++] = ' ';
        }
    }
    *pending_space = *pending_newlines = 0;
    return k;
}

/* The clean-up pass shared by text_clean and text_clean_line. Whitespace is
 * not copied when seen but remembered as "pending" and written only when
 * the next visible character arrives; that one rule removes leading,
 * trailing and repeated blanks alike. */
static char *clean(Arena *a, const char *s, size_t n, int one_line)
{
    if (!s || n == 0)
        return arena_strndup(a, "", 0);
    /* text that is already valid NFC (nearly all of it) is read in place */
    size_t len = n;
    char *heap = NULL;
    const char *text = s;
    if (!is_clean_input(s, n)) {
        heap = nfc_copy(s, n, &len);
        text = heap;
    }
    /* the output is never longer than the input: every character is
     * copied as it is or dropped, and each separator written stands for
     * at least as many bytes of white space */
    char *out = arena_alloc_raw(a, len + 1); /* written up to its NUL */
    size_t k = 0;
    int pending_space = 0, pending_newlines = 0;
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)text[i];
        if (c > 0x20 && c < 0x7F) { /* visible ASCII: the whole run of it */
            k = put_separator(out, k, &pending_space, &pending_newlines);
            out[k++] = (char)c;
            i++;
#ifdef __SSE2__
            /* sixteen bytes at a time: stored whole (k <= i, so the store
             * stays inside out), kept up to the first byte that is not */
            while (i + 16 <= len) {
                __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(text + i));
                unsigned m = (unsigned)_mm_movemask_epi8(_mm_and_si128(
                    _mm_cmpgt_epi8(v, _mm_set1_epi8(0x20)), _mm_cmplt_epi8(v, _mm_set1_epi8(0x7F))));
                _mm_storeu_si128((__m128i *)(void *)(out + k), v);
                unsigned run = m == 0xFFFFu ? 16u : (unsigned)__builtin_ctz(~m);
                k += run;
                i += run;
                if (run < 16)
                    break;
            }
#endif
            while (i < len && (unsigned char)text[i] > 0x20 && (unsigned char)text[i] < 0x7F)
                out[k++] = text[i++];
            continue;
        }
        if (c == ' ') {
            pending_space = 1;
            i++;
            continue;
        }
        uint32_t cp;
        size_t l = utf8_decode(text + i, len - i, &cp);
        if (!l) { /* unreachable after repair, but never loop forever */
            cp = 0xFFFD;
            l = 1;
        }
        i += l;
        if (cp == '\r') {
            if (i < len && text[i] == '\n')
                i++;
            cp = '\n';
        }
        if (cp == '\n' || cp == 0x2028 || cp == 0x2029 || cp == 0x85) {
            if (one_line)
                pending_space = 1;
            else
                pending_newlines += cp == 0x2029 ? 2 : 1;
            continue;
        }
        if (cp == '\t' || text_is_space(cp)) {
            pending_space = 1;
            continue;
        }
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || is_invisible(cp))
            continue;
        k = put_separator(out, k, &pending_space, &pending_newlines);
        memcpy(out + k, text + i - l, l);
        k += l;
    }
    out[k] = '\0';
    free(heap);
    return out;
}

char *text_clean(Arena *a, const char *s, size_t n)
{
    return clean(a, s, n, 0);
}

char *text_clean_line(Arena *a, const char *s, size_t n)
{
    return clean(a, s, n, 1);
}

/* Folds one non-ASCII code point. utf8proc_decompose_char applies case
 * folding, compatibility mapping and mark stripping to one code point at a
 * time; once marks are gone, recomposition could only matter for Hangul,
 * whose syllables are copied as they are. Doing this per code point keeps
 * ASCII (most of any text) out of utf8proc and is several times faster
 * than utf8proc_map over the whole string, with the same result.
 *
 * Cyrillic й and Ukrainian ї would decompose to и/і plus a mark and lose
 * it; they are letters of their own (and the Russian stemmer needs й to see
 * adjective endings), so they are kept. */
static void fold_cp(Buf *out, uint32_t cp)
{
    char enc[4];
    if (cp == 0x0419 || cp == 0x0439) {
        buf_append(out, "\xD0\xB9", 2); /* й */
        return;
    }
    if (cp == 0x0407 || cp == 0x0457) {
        buf_append(out, "\xD1\x97", 2); /* ї */
        return;
    }
    if (cp >= 0xAC00 && cp <= 0xD7A3) {
        buf_append(out, enc, utf8_encode(cp, enc));
        return;
    }
    utf8proc_int32_t parts[24];
    int boundclass = UTF8PROC_BOUNDCLASS_START;
    utf8proc_ssize_t r = utf8proc_decompose_char(
        (utf8proc_int32_t)cp, parts, 24,
        UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE,
        &boundclass);
    if (r < 0 || r > 24) { /* no such code point, or a decomposition longer than any known */
        buf_append(out, enc, utf8_encode(cp, enc));
        return;
    }
    for (utf8proc_ssize_t i = 0; i < r; i++)
        buf_append(out, enc, utf8_encode((uint32_t)parts[i], enc));
}

/* Hangul jamo, and characters that decompose into them, recompose into
 * syllables after folding: the per-code-point path cannot do that. */
static int hangul_parts(uint32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x3130 && cp <= 0x318F) ||
           (cp >= 0x3200 && cp <= 0x327F) || (cp >= 0xA960 && cp <= 0xA97F) ||
           (cp >= 0xD7B0 && cp <= 0xD7FF) || (cp >= 0xFFA0 && cp <= 0xFFDC);
}

#define PARK_SHORT_I 0xF0439u
#define PARK_YI 0xF0457u

/* The slow path: utf8proc_map over the whole (valid) string, with й and ї
 * parked on private-use code points so that STRIPMARK leaves them be. */
static utf8proc_int32_t park_letters(utf8proc_int32_t cp, void *data)
{
    if (cp == 0x0439 || cp == 0x0419)
        return PARK_SHORT_I;
    if (cp == 0x0457 || cp == 0x0407)
        return PARK_YI;
    return cp;
}

static void fold_whole(Buf *out, const char *s, size_t n)
{
    size_t len;
    char *fixed = repair(s, n, &len);
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t r = utf8proc_map_custom(
        (const utf8proc_uint8_t *)fixed, (utf8proc_ssize_t)len, &folded,
        UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE,
        park_letters, NULL);
    const char *f = r < 0 ? fixed : (const char *)folded;
    size_t m = r < 0 ? len : (size_t)r, i = 0;
    while (i < m) {
        uint32_t cp;
        size_t l = utf8_decode(f + i, m - i, &cp);
        if (!l)
            l = 1, cp = 0xFFFD;
        if (cp == PARK_SHORT_I)
            buf_append(out, "\xD0\xB9", 2);
        else if (cp == PARK_YI)
            buf_append(out, "\xD1\x97", 2);
        else
            buf_append(out, f + i, l);
        i += l;
    }
    free(folded);
    free(fixed);
}

void text_fold(Buf *out, const char *s, size_t n)
{
    size_t start_len = out->len;
    buf_reserve(out, n);
    out->data[out->len] = '\0';
    if (!s)
        return;
    size_t i = 0;
    while (i < n) {
#ifdef __SSE2__
        /* sixteen ASCII bytes without NUL at a time: A-Z lowered (room for
         * n - i more bytes is reserved, and 16 <= n - i) */
        while (i + 16 <= n) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            if (_mm_movemask_epi8(v) | _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_setzero_si128())))
                break;
            __m128i up = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('A' - 1)),
                                       _mm_cmplt_epi8(v, _mm_set1_epi8('Z' + 1)));
            v = _mm_add_epi8(v, _mm_and_si128(up, _mm_set1_epi8(32)));
            _mm_storeu_si128((__m128i *)(void *)(out->data + out->len), v);
            out->len += 16;
            i += 16;
        }
        if (i >= n)
            break;
#endif
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if (c) /* NUL bytes are dropped, as utf8_repair does */
                out->data[out->len++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : (char)c;
            i++;
            continue;
        }
        uint32_t cp;
        size_t l = utf8_decode(s + i, n - i, &cp);
        if (!l) {
            cp = 0xFFFD;
            l = 1;
        }
        if (hangul_parts(cp)) {
            out->len = start_len;
            fold_whole(out, s, n);
            return;
        }
        out->data[out->len] = '\0';
        fold_cp(out, cp);
        buf_reserve(out, n - i);
        i += l;
    }
    out->data[out->len] = '\0';
}

int text_is_letter(uint32_t cp)
{
    if (cp < 0x80)
        return (cp | 32) >= 'a' && (cp | 32) <= 'z';
    switch (utf8proc_category((utf8proc_int32_t)cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
        return 1;
    default:
        return 0;
    }
}

int text_is_digit(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= '0' && cp <= '9';
    return utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_ND;
}

int text_is_upper(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z';
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

int text_is_space(uint32_t cp)
{
    if (cp < 0x80)
        return cp == ' ' || (cp >= '\t' && cp <= '\r');
    if (cp == 0x85)
        return 1;
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    return c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_ZL || c == UTF8PROC_CATEGORY_ZP;
}

int text_is_punct(uint32_t cp)
{
    switch (utf8proc_category((utf8proc_int32_t)cp)) {
    case UTF8PROC_CATEGORY_PC:
    case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI:
    case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO:
        return 1;
    default:
        return 0;
    }
}
