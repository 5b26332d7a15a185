/* wordhash.h - the hash of a folded word that the analysis's own tables
 * share (the stop-word index, the stem cache, the entity sets): computed
 * once per token by an_tokenize and handed to each. Eight bytes a step (a
 * multiply each, not one a byte); the last 1 to 8 bytes as one piece read
 * without going past the word. Not a term id (term_id is that). */
#ifndef SW_WORDHASH_H
#define SW_WORDHASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../core/map.h"

static inline uint64_t word_hash_load64(const char *p)
{
    uint64_t v = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(&v, p, 8);
#else
    for (int i = 7; i >= 0; i--)
        v = v << 8 | (unsigned char)p[i];
#endif
    return v;
}

static inline uint64_t word_hash_load32(const char *p)
{
    return (uint64_t)(unsigned char)p[0] | (uint64_t)(unsigned char)p[1] << 8 |
           (uint64_t)(unsigned char)p[2] << 16 | (uint64_t)(unsigned char)p[3] << 24;
}

static inline uint64_t text_word_hash(const char *s, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ ((uint64_t)n * 0xC2B2AE3D27D4EB4Full);
    size_t i = 0;
    for (; i + 8 < n; i += 8)
        h = (h ^ word_hash_load64(s + i)) * 0xD6E8FEB86659FD93ull;
    size_t rest = n - i; /* 0 to 8 */
    uint64_t last = 0;
    if (rest >= 8) {
        last = word_hash_load64(s + i);
    } else if (n >= 8) {
        last = word_hash_load64(s + n - 8) >> (8 * (8 - rest)); /* the last rest bytes */
    } else if (n >= 4) { /* the whole word: two 4-byte loads that may overlap */
        last = word_hash_load32(s) | word_hash_load32(s + n - 4) << (8 * (n - 4));
    } else if (n > 0) { /* 1 to 3 bytes: first, middle, last */
        last = (uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[n / 2] << (8 * (n / 2)) |
               (uint64_t)(unsigned char)s[n - 1] << (8 * (n - 1));
    }
    h = (h ^ last) * 0xD6E8FEB86659FD93ull;
    return hash64_finish(h);
}

#endif
