/* ngram_lm.c - Cavnar & Trenkle n-gram language ranking over
 * libexttextcat's fingerprint files, all languages in one table.
 *
 * The text's profile follows textcat's conventions so that its .lm files
 * mean the same thing here:
 *   - runs of ASCII white space, digits and '_' become one '_', and the text is
 *     padded with '_' on both sides ("_the_cat_");
 *   - n-grams are 1 to 5 UTF-8 characters; an '_' may only start or end
 *     one ("_cat", "at_", never "t_c");
 *   - the 400 most frequent n-grams are ranked (ties: first seen first);
 *   - a language's distance is the sum over the text's ranked n-grams of
 *     |rank in text - rank in language|, or 400 when the language's
 *     fingerprint lacks the n-gram;
 *   - languages within 3% of the best are candidates, and more than five
 *     candidates means "unsure".
 * What differs from textcat is the order of equally frequent n-grams in
 * the text's profile (textcat's follows its hash table and heap), so a
 * distance may differ by a little when several n-grams tie at the cut. */
#include "ngram_lm.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_RANK UINT16_MAX

typedef struct Gram {
    uint64_t key; /* its first eight bytes, little-endian, zero-padded: compared
                   * instead of the bytes when len <= 8 */
    uint32_t hash;
    uint8_t len;
    char s[NGRAM_LM_MAX_BYTES];
} Gram;

/* The first (up to) eight bytes of s as a Gram or TextGram key. */
static uint64_t gram_key(const char *s, size_t n)
{
    uint64_t key = 0;
    for (size_t i = 0; i < n && i < 8; i++)
        key |= (uint64_t)(unsigned char)s[i] << (8 * i);
    return key;
}

struct NgramLm {
    const char *codes[NGRAM_LM_MAX_LANGS];
    size_t nlangs;
    Gram *grams;     /* distinct n-grams over all languages */
    uint16_t *ranks; /* grams[i]'s rank in language l: ranks[i * NGRAM_LM_MAX_LANGS + l] */
    size_t ngrams, gram_cap;
    uint32_t *slots; /* open addressing: index + 1 into grams, 0 = empty */
    size_t slot_mask;
};

static uint32_t hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

NgramLm *ngram_lm_new(void)
{
    NgramLm *lm = calloc(1, sizeof *lm);
    if (!lm)
        return NULL;
    lm->slot_mask = 4095;
    lm->slots = calloc(lm->slot_mask + 1, sizeof *lm->slots);
    if (!lm->slots) {
        free(lm);
        return NULL;
    }
    return lm;
}

void ngram_lm_free(NgramLm *lm)
{
    if (!lm)
        return;
    free(lm->grams);
    free(lm->ranks);
    free(lm->slots);
    free(lm);
}

size_t ngram_lm_count(const NgramLm *lm)
{
    return lm ? lm->nlangs : 0;
}

/* The index of n-gram s (n bytes) or -1. */
static long find_gram(const NgramLm *lm, const char *s, size_t n, uint32_t h, uint64_t key)
{
    for (size_t i = h & lm->slot_mask;; i = (i + 1) & lm->slot_mask) {
        uint32_t v = lm->slots[i];
        if (!v)
            return -1;
        const Gram *g = &lm->grams[v - 1];
        if (g->hash == h && g->len == n && (n <= 8 ? g->key == key : memcmp(g->s, s, n) == 0))
            return (long)(v - 1);
    }
}

static int grow_slots(NgramLm *lm)
{
    size_t cap = (lm->slot_mask + 1) * 2;
    uint32_t *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t g = 0; g < lm->ngrams; g++) {
        size_t i = lm->grams[g].hash & (cap - 1);
        while (slots[i])
            i = (i + 1) & (cap - 1);
        slots[i] = (uint32_t)(g + 1);
    }
    free(lm->slots);
    lm->slots = slots;
    lm->slot_mask = cap - 1;
    return 0;
}

/* The index of n-gram s, added (absent from every language) if new. */
static long intern_gram(NgramLm *lm, const char *s, size_t n)
{
    uint32_t h = hash_bytes(s, n);
    long found = find_gram(lm, s, n, h, gram_key(s, n));
    if (found >= 0)
        return found;
    if ((lm->ngrams + 1) * 2 > lm->slot_mask + 1 && grow_slots(lm) != 0)
        return -1;
    if (lm->ngrams == lm->gram_cap) {
        size_t cap = lm->gram_cap ? lm->gram_cap * 2 : 1024;
        Gram *grams = realloc(lm->grams, cap * sizeof *grams);
        if (!grams)
            return -1;
        lm->grams = grams;
        uint16_t *ranks = realloc(lm->ranks, cap * NGRAM_LM_MAX_LANGS * sizeof *ranks);
        if (!ranks)
            return -1;
        lm->ranks = ranks;
        lm->gram_cap = cap;
    }
    Gram *g = &lm->grams[lm->ngrams];
    g->hash = h;
    g->len = (uint8_t)n;
    memcpy(g->s, s, n);
    g->key = gram_key(s, n);
    uint16_t *r = &lm->ranks[lm->ngrams * NGRAM_LM_MAX_LANGS];
    for (size_t l = 0; l < NGRAM_LM_MAX_LANGS; l++)
        r[l] = NO_RANK;
    size_t i = h & lm->slot_mask;
    while (lm->slots[i])
        i = (i + 1) & lm->slot_mask;
    lm->slots[i] = (uint32_t)(lm->ngrams + 1);
    return (long)lm->ngrams++;
}

static int is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

int ngram_lm_add(NgramLm *lm, const char *code, const char *data, size_t n)
{
    if (!lm || !code || lm->nlangs >= NGRAM_LM_MAX_LANGS)
        return -1;
    size_t l = lm->nlangs;
    unsigned rank = 0;
    size_t i = 0;
    while (i < n && rank < NGRAM_LM_PROFILE) {
        size_t end = i;
        while (end < n && data[end] != '\n')
            end++;
        size_t next = end < n ? end + 1 : end;
        /* The n-gram is the line's first field, white space trimmed. */
        while (i < end && is_blank((unsigned char)data[i]))
            i++;
        size_t stop = i;
        while (stop < end && data[stop] != ' ' && data[stop] != '\t' && data[stop] != '\r' && data[stop] != '\0')
            stop++;
        size_t len = stop - i;
        if (len > NGRAM_LM_MAX_BYTES) { /* too long to be one: skipped, no rank used */
            i = next;
            continue;
        }
        if (len > 0) {
            long g = intern_gram(lm, data + i, len);
            if (g < 0)
                return -1;
            uint16_t *r = &lm->ranks[(size_t)g * NGRAM_LM_MAX_LANGS + l];
            if (*r == NO_RANK) /* a repeated line keeps its first rank */
                *r = (uint16_t)rank;
        }
        rank++; /* an empty line takes a rank and matches nothing */
        i = next;
    }
    lm->codes[l] = code;
    lm->nlangs++;
    return 0;
}

int ngram_lm_add_file(NgramLm *lm, const char *code, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char *data = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 16384;
            if (cap > (64u << 20)) /* no fingerprint is this large */
                break;
            char *p = realloc(data, cap);
            if (!p)
                break;
            data = p;
        }
        size_t got = fread(data + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    int err = ferror(f);
    fclose(f);
    int r = err || !data ? -1 : ngram_lm_add(lm, code, data, len);
    free(data);
    return r;
}

/* One distinct n-gram of the text: where it first occurs in the padded
 * text, and how often. */
typedef struct TextGram {
    uint32_t off, count;
    uint8_t len;
    uint32_t hash;
    uint64_t key; /* its bytes when len <= 8 (little-endian), compared instead of memcmp */
} TextGram;

typedef struct Profile {
    char *buf; /* the padded text */
    TextGram *grams;
    size_t ngrams;
    uint32_t *slots; /* index + 1 into grams */
    size_t mask;
} Profile;

/* Doubles the slot table (kept at most half full); 0 or -1 when out of
 * memory. */
static int grow_profile(Profile *p)
{
    size_t cap = (p->mask + 1) * 2;
    uint32_t *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t g = 0; g < p->ngrams; g++) {
        size_t i = p->grams[g].hash & (cap - 1);
        while (slots[i])
            i = (i + 1) & (cap - 1);
        slots[i] = (uint32_t)(g + 1);
    }
    free(p->slots);
    p->slots = slots;
    p->mask = cap - 1;
    return 0;
}

/* Counts one n-gram of the text; the slot table has room (the caller
 * grows it). */
static inline __attribute__((always_inline)) void count_gram(Profile *p, size_t off, size_t len,
                                                             uint32_t h, uint64_t key)
{
    size_t i = h & p->mask;
    for (;; i = (i + 1) & p->mask) {
        uint32_t v = p->slots[i];
        if (!v)
            break;
        TextGram *g = &p->grams[v - 1];
        if (g->hash == h && g->len == len &&
            (len <= 8 ? g->key == key : memcmp(p->buf + g->off, p->buf + off, len) == 0)) {
            g->count++;
            return;
        }
    }
    TextGram *g = &p->grams[p->ngrams];
    g->off = (uint32_t)off;
    g->len = (uint8_t)len;
    g->count = 1;
    g->hash = h;
    g->key = key;
    p->slots[i] = (uint32_t)++p->ngrams;
}

static int is_separator(unsigned char c)
{
    return is_blank(c) || (c >= '0' && c <= '9');
}

size_t ngram_lm_classify(const NgramLm *lm, const char *text, size_t n, const char **codes, size_t max,
                         long *scores)
{
    if (!lm || lm->nlangs == 0 || !text || n == 0 || n > (1u << 24))
        return 0;
    size_t nl = lm->nlangs;
    /* Padded text: separators collapsed into '_'. */
    char *buf = malloc(n + 2);
    uint32_t *starts = malloc((n + 3) * sizeof *starts); /* character starts, then the end */
    if (!buf || !starts) {
        free(buf);
        free(starts);
        return 0;
    }
    size_t len = 0, nchars = 0;
    unsigned high = 0; /* the OR of all bytes: below 0x80 when all are ASCII */
    buf[len++] = '_';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        if (is_separator(c) || c == '_') { /* a literal '_' would read as a border */
            if (buf[len - 1] != '_')
                buf[len++] = '_';
        } else {
            buf[len++] = (char)c;
            high |= c;
        }
    }
    if (buf[len - 1] != '_')
        buf[len++] = '_';
    int ascii = high < 0x80;
    for (size_t i = 0; i < len && !ascii; i++) {
        unsigned char c = (unsigned char)buf[i];
        /* A continuation byte belongs to the character before it, unless
         * that is ASCII (a stray byte is a character of its own). */
        if ((c & 0xC0) != 0x80 || i == 0 || (unsigned char)buf[i - 1] < 0x80)
            starts[nchars++] = (uint32_t)i;
    }
    if (ascii)
        nchars = len; /* a character a byte: starts[] is not needed */
    else
        starts[nchars] = (uint32_t)len;

    /* Count every n-gram: at most NGRAM_LM_MAX_CHARS per character. */
    /* the slot table starts small and doubles as distinct n-grams come
     * (distinct n-grams are far fewer than five per character) */
    size_t max_grams = nchars * NGRAM_LM_MAX_CHARS + 1, cap = 64;
    while (cap < max_grams * 2 && cap < 4096)
        cap *= 2;
    Profile p = {.buf = buf, .mask = cap - 1};
    p.grams = malloc(max_grams * sizeof *p.grams);
    p.slots = calloc(cap, sizeof *p.slots);
    size_t *bucket = NULL, bucket_stack[256];
    size_t order[NGRAM_LM_PROFILE];
    size_t count = 0;
    if (!p.grams || !p.slots)
        goto done;
    /* plain ASCII: the loop below with a character a byte. (The slot table
     * is grown, when needed, before the up to NGRAM_LM_MAX_CHARS n-grams
     * starting at a character are counted: the ranking does not depend on
     * where in it an n-gram sits.) */
    for (size_t k = 0; ascii && k < len; k++) {
        if ((p.ngrams + NGRAM_LM_MAX_CHARS) * 2 > p.mask + 1 && grow_profile(&p) != 0)
            goto done;
        uint32_t h = 2166136261u;
        uint64_t key = 0;
        size_t cmax = len - k < NGRAM_LM_MAX_CHARS ? len - k : NGRAM_LM_MAX_CHARS;
        for (size_t c = 1; c <= cmax; c++) {
            unsigned char b = (unsigned char)buf[k + c - 1];
            h = (h ^ b) * 16777619u;
            key |= (uint64_t)b << (8 * (c - 1));
            count_gram(&p, k, c, h, key);
            if (c > 1 && b == '_')
                break;
        }
    }
    for (size_t k = 0; !ascii && k < nchars; k++) {
        if ((p.ngrams + NGRAM_LM_MAX_CHARS) * 2 > p.mask + 1 && grow_profile(&p) != 0)
            goto done;
        size_t from = starts[k];
        uint32_t h = 2166136261u; /* hash_bytes, extended a character at a time */
        uint64_t key = 0;         /* the first eight bytes */
        for (size_t c = 1; c <= NGRAM_LM_MAX_CHARS && k + c <= nchars; c++) {
            size_t to = starts[k + c];
            if (to - from > NGRAM_LM_MAX_BYTES)
                break;
            for (size_t i = starts[k + c - 1]; i < to; i++) {
                h = (h ^ (unsigned char)buf[i]) * 16777619u;
                if (i - from < 8)
                    key |= (uint64_t)(unsigned char)buf[i] << (8 * (i - from));
            }
            count_gram(&p, from, to - from, h, key);
            /* '_' ends an n-gram that has more than it */
            if (c > 1 && buf[starts[k + c - 1]] == '_')
                break;
        }
    }

    /* Rank by count, most frequent first, ties in order of first sight
     * (a stable counting sort; grams[] is already in that order), as far
     * as the profile's length: the n-grams counted fewer times than the
     * one at its last rank cannot be in it, and are not placed. */
    uint32_t top = 0;
    for (size_t i = 0; i < p.ngrams; i++)
        if (p.grams[i].count > top)
            top = p.grams[i].count;
    bucket = (size_t)top + 2 <= sizeof bucket_stack / sizeof bucket_stack[0]
                 ? memset(bucket_stack, 0, ((size_t)top + 2) * sizeof *bucket)
                 : calloc((size_t)top + 2, sizeof *bucket);
    if (!bucket)
        goto done;
    for (size_t i = 0; i < p.ngrams; i++)
        bucket[top - p.grams[i].count + 1]++;
    for (size_t c = 1; c <= (size_t)top + 1; c++)
        bucket[c] += bucket[c - 1];
    size_t profile = p.ngrams < NGRAM_LM_PROFILE ? p.ngrams : NGRAM_LM_PROFILE;
    /* the least count that still starts within the profile */
    uint32_t least = top;
    while (least > 1 && bucket[top - least + 1] < profile)
        least--;
    for (size_t i = 0; i < p.ngrams; i++) {
        uint32_t c = p.grams[i].count;
        if (c < least)
            continue;
        size_t at = bucket[top - c]++;
        if (at < profile)
            order[at] = i;
    }

    /* Every language at once: start from "all missing" and take back the
     * penalty, less the rank difference, for each n-gram a language has. */
    /* (at most 400 * 400 per language: int32 is enough, and the 32
     * lanes of a row are updated without branches, which the compiler
     * can vectorise; a language not loaded has NO_RANK everywhere) */
    int32_t dist32[NGRAM_LM_MAX_LANGS];
    for (size_t l = 0; l < NGRAM_LM_MAX_LANGS; l++)
        dist32[l] = (int32_t)profile * NGRAM_LM_PROFILE;
    for (size_t r = 0; r < profile; r++) {
        /* the table is larger than the first-level caches: the slot of a
         * later n-gram, and the row of a nearer one, are fetched ahead */
        if (r + 12 < profile)
            __builtin_prefetch(&lm->slots[p.grams[order[r + 12]].hash & lm->slot_mask]);
        if (r + 4 < profile) {
            uint32_t v = lm->slots[p.grams[order[r + 4]].hash & lm->slot_mask];
            if (v) {
                __builtin_prefetch(&lm->grams[v - 1]);
                __builtin_prefetch(&lm->ranks[(size_t)(v - 1) * NGRAM_LM_MAX_LANGS]);
            }
        }
        const TextGram *g = &p.grams[order[r]];
        long gi = find_gram(lm, buf + g->off, g->len, g->hash, g->key);
        if (gi < 0)
            continue;
        const uint16_t *ranks = &lm->ranks[(size_t)gi * NGRAM_LM_MAX_LANGS];
        int32_t rr = (int32_t)r;
        for (size_t l = 0; l < NGRAM_LM_MAX_LANGS; l++) {
            int32_t v = ranks[l];
            int32_t d = v - rr;
            d = d < 0 ? -d : d;
            dist32[l] -= v != NO_RANK ? NGRAM_LM_PROFILE - d : 0;
        }
    }
    long dist[NGRAM_LM_MAX_LANGS];
    for (size_t l = 0; l < nl; l++)
        dist[l] = dist32[l];
    if (scores)
        memcpy(scores, dist, nl * sizeof *dist);

    /* Candidates: the best, and those strictly below 103% of its
     * distance (compared unrounded: a small best distance rounded down
     * would leave out the best itself). */
    long best = dist[0];
    for (size_t l = 1; l < nl; l++)
        if (dist[l] < best)
            best = dist[l];
    double threshold = (double)best * 1.03;
    size_t cand[NGRAM_LM_MAX_LANGS], ncand = 0;
    for (size_t l = 0; l < nl; l++)
        if (dist[l] == best || (double)dist[l] < threshold)
            cand[ncand++] = l;
    if (ncand > 5)
        goto done;
    for (size_t i = 1; i < ncand; i++) /* stable: equal distances keep the order added */
        for (size_t j = i; j > 0 && dist[cand[j]] < dist[cand[j - 1]]; j--) {
            size_t t = cand[j];
            cand[j] = cand[j - 1];
            cand[j - 1] = t;
        }
    for (size_t i = 0; i < ncand && count < max; i++)
        codes[count++] = lm->codes[cand[i]];
done:
    if (bucket != bucket_stack)
        free(bucket);
    free(p.grams);
    free(p.slots);
    free(starts);
    free(buf);
    return count;
}
