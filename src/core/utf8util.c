/* utf8util.c - strict UTF-8 decoding (RFC 3629). */
#include "utf8util.h"

#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "buf.h"

size_t utf8_decode(const char *str, size_t n, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    if (n == 0)
        return 0;
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2; v = c & 0x1F; min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3; v = c & 0x0F; min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4; v = c & 0x07; min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

size_t utf8_seq_len(const char *s, size_t n)
{
    uint32_t cp;
    return utf8_decode(s, n, &cp);
}

size_t utf8_encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

int utf8_valid(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
#ifdef __SSE2__
        /* ASCII fast path: 16 bytes a step, straight to the next byte of
         * 0x80 and above (most text is ASCII, with a sequence here and
         * there) */
        while (i + 16 <= n) {
            int m = _mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(const void *)(s + i)));
            if (m) {
                i += (size_t)__builtin_ctz((unsigned)m);
                break;
            }
            i += 16;
        }
        if (i >= n)
            break;
#else
        /* ASCII fast path, 32 bytes a step: most text is ASCII */
        if (i + 32 <= n) {
            uint64_t w[4];
            memcpy(w, s + i, 32);
            if (!((w[0] | w[1] | w[2] | w[3]) & 0x8080808080808080ULL)) {
                i += 32;
                continue;
            }
        }
#endif
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        size_t len = utf8_seq_len(s + i, n - i);
        if (!len)
            return 0;
        i += len;
    }
    return 1;
}

char *utf8_repair(const char *s, size_t n, size_t *repaired)
{
    Buf b = {0};
    size_t bad = 0, i = 0;
    buf_reserve(&b, n);
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0) {
            bad++;
            i++;
        } else if (c < 0x80) {
            buf_putc(&b, (char)c);
            i++;
        } else {
            size_t len = utf8_seq_len(s + i, n - i);
            if (!len) {
                buf_append(&b, "\xEF\xBF\xBD", 3);
                bad++;
                i++;
            } else {
                buf_append(&b, s + i, len);
                i += len;
            }
        }
    }
    if (repaired)
        *repaired = bad;
    return buf_detach(&b);
}
