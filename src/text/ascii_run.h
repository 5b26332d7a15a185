/* ascii_run.h - skipping a run of ASCII letters and digits sixteen bytes
 * at a time (SSE2), for the scanners that treat such runs alike. */
#ifndef SW_ASCII_RUN_H
#define SW_ASCII_RUN_H

#include <stddef.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* From s[i], passes whole 16-byte blocks of ASCII letters and digits and,
 * in the block where the run ends, the run's part of it; returns the new
 * position (the first byte not in the run, or where fewer than 16 bytes
 * are left to check). Never reads at or past s[n]. Without SSE2 it
 * returns i: callers finish the run byte by byte either way. */
static inline size_t ascii_alnum_run16(const char *s, size_t i, size_t n)
{
#ifdef __SSE2__
    while (i + 16 <= n) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i lv = _mm_or_si128(v, _mm_set1_epi8(0x20));
        __m128i in = _mm_or_si128(
            _mm_and_si128(_mm_cmpgt_epi8(lv, _mm_set1_epi8('a' - 1)), _mm_cmplt_epi8(lv, _mm_set1_epi8('z' + 1))),
            _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)), _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1))));
        unsigned m = (unsigned)_mm_movemask_epi8(in);
        if (m != 0xFFFFu)
            return i + (unsigned)__builtin_ctz(~m);
        i += 16;
    }
#endif
    (void)s;
    (void)n;
    return i;
}

#endif
