/* doc.c - turns an Article into a Doc: language, a cleaned title, the
 * sentences with their quality flags, term vectors, and a SimHash; names
 * and quotations are found by entities.c and quotes.c over the same
 * tokenized sentences.
 *
 * The work of one article happens in a scratch arena (tokens, folded
 * words) that is emptied at the end (its blocks kept for the next
 * article); what the Doc keeps goes into the caller's arena. Rules are
 * kept general (no rules for one site): a sentence is boilerplate by its
 * shape (bylines, "Read more", copyright lines, fragments), not by the
 * outlet it came from. */
#include "doc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "../core/buf.h"
#include "../core/err.h"
#include "../core/map.h"
#include "../core/utf8util.h"
#include "../text/langid.h"
#include "../text/sentence.h"
#include "../text/stopwords.h"
#include "../text/tokenize.h"
#include "../text/unicode.h"
#include "../text/wordhash.h"
#include "docparts.h"

#define MAX_STEMMERS 16

/* The term ids of words already stemmed: most words of an article were
 * seen in earlier ones, and a table lookup is far cheaper than a Snowball
 * stemmer. Keyed by the stemmer's slot and the folded word; emptied when
 * full (it stays a few MB at most) and when a stemmer slot is reused. */
#define STEM_CACHE_SLOTS (1u << 16)
#define STEM_CACHE_MAX_WORD 64
#define STEM_INLINE 16 /* words this long or shorter live in their entry */

/* One entry is 32 bytes, aligned, so a probe reads one cache line and a
 * short word is compared without a second, random read of the pool. */
typedef struct StemEntry {
    uint64_t hash;   /* 0: empty */
    uint32_t id;     /* term_id of its stem */
    uint16_t len;
    uint8_t slot;    /* stemmer slot */
    uint8_t pad;
    union {
        uint64_t k[2];       /* len <= STEM_INLINE: the word, zero-padded (word_key16) */
        uint32_t off;        /* else: the word in the cache's pool */
    } u;
} StemEntry;

_Static_assert(sizeof(StemEntry) == 32, "a stem cache entry is half a cache line");

typedef struct StemCache {
    StemEntry *e;    /* STEM_CACHE_SLOTS entries, made on first use */
    size_t used;
    Buf pool;
} StemCache;

struct DocAnalyzer {
    struct {
        char lang[8];
        Stemmer *stemmer;
    } stemmers[MAX_STEMMERS];
    int n_stemmers;
    Buf fold;
    Buf sample; /* language ID's sample of an article */
    Arena scratch;
    StemCache stems;
};

uint32_t term_id(const char *s, size_t n)
{
    uint64_t h = hash64(s, n);
    return (uint32_t)(h ^ (h >> 32));
}

DocAnalyzer *doc_analyzer_new(void)
{
    return xcalloc(1, sizeof(DocAnalyzer));
}

void doc_analyzer_free(DocAnalyzer *da)
{
    if (!da)
        return;
    for (int i = 0; i < da->n_stemmers; i++)
        stemmer_free(da->stemmers[i].stemmer);
    free(da->stems.e);
    buf_free(&da->stems.pool);
    buf_free(&da->fold);
    buf_free(&da->sample);
    arena_free(&da->scratch);
    free(da);
}

static void stem_cache_clear(StemCache *c)
{
    if (c->e)
        memset(c->e, 0, STEM_CACHE_SLOTS * sizeof *c->e);
    c->used = 0;
    buf_reset(&c->pool);
}

/* The stemmer of one language and its slot, for the stem cache. */
typedef struct StemCtx {
    DocAnalyzer *da;
    Stemmer *st;
    int slot;
} StemCtx;

/* One Stemmer per language, made on first use; past MAX_STEMMERS
 * languages the last slot is reused (rare: storywire handles a dozen). */
static StemCtx analyzer_stemmer(DocAnalyzer *da, const char *lang)
{
    for (int i = 0; i < da->n_stemmers; i++)
        if (strcmp(da->stemmers[i].lang, lang) == 0)
            return (StemCtx){da, da->stemmers[i].stemmer, i};
    int slot = da->n_stemmers < MAX_STEMMERS ? da->n_stemmers++ : MAX_STEMMERS - 1;
    if (da->stemmers[slot].stemmer) {
        stemmer_free(da->stemmers[slot].stemmer);
        stem_cache_clear(&da->stems); /* its entries were another language's */
    }
    snprintf(da->stemmers[slot].lang, sizeof da->stemmers[slot].lang, "%s", lang);
    da->stemmers[slot].stemmer = stemmer_new(lang);
    return (StemCtx){da, da->stemmers[slot].stemmer, slot};
}

static uint64_t load_le64(const char *p)
{
    return word_hash_load64(p);
}

uint64_t an_word_hash(const char *s, size_t n)
{
    return text_word_hash(s, n);
}

static uint64_t load_le32(const char *p)
{
    return (uint64_t)(unsigned char)p[0] | (uint64_t)(unsigned char)p[1] << 8 |
           (uint64_t)(unsigned char)p[2] << 16 | (uint64_t)(unsigned char)p[3] << 24;
}

/* The n <= 16 bytes at w as two zero-padded 8-byte pieces, read with a
 * few loads that stay inside the word (the last ones overlap). */
static void word_key16(const char *w, size_t n, uint64_t *k)
{
    k[0] = k[1] = 0;
    if (n >= 8) {
        k[0] = load_le64(w);
        if (n > 8)
            k[1] = load_le64(w + n - 8) >> (8 * (16 - n));
    } else if (n >= 4) {
        k[0] = load_le32(w) | load_le32(w + n - 4) << (8 * (n - 4));
    } else if (n > 0) {
        k[0] = (uint64_t)(unsigned char)w[0] | (uint64_t)(unsigned char)w[n / 2] << (8 * (n / 2)) |
               (uint64_t)(unsigned char)w[n - 1] << (8 * (n - 1));
    }
}

/* The stem cache's key of a folded word with an_word_hash h for a stemmer
 * slot; never 0. */
static uint64_t stem_key(uint64_t h, int slot)
{
    return (h + (uint64_t)slot) | 1;
}

static uint64_t stem_hash(const char *w, size_t n, int slot)
{
    return stem_key(an_word_hash(w, n), slot);
}

static void stem_cache_alloc(StemCache *c)
{
    if (c->e)
        return;
    size_t bytes = STEM_CACHE_SLOTS * sizeof *c->e;
    /* 2 MB, read at random (a word a probe): on a huge page where the
     * system gives one, so that probes and prefetches do not miss the TLB */
    void *p = NULL;
    if (posix_memalign(&p, (size_t)2 << 20, bytes) == 0) {
#ifdef MADV_HUGEPAGE
        (void)madvise(p, bytes, MADV_HUGEPAGE);
#endif
        c->e = p;
    } else {
        c->e = xmalloc(bytes);
    }
    memset(c->e, 0, bytes);
}

/* term_id of the stem of the folded word w (n bytes), through the cache;
 * h is its stem_hash when already known (an_tokenize computes it to
 * prefetch the entry), else 0. */
static uint32_t stem_id(StemCtx *sc, const char *w, size_t n, uint64_t h)
{
    StemCache *c = &sc->da->stems;
    StemEntry *e = NULL;
    if (n <= STEM_CACHE_MAX_WORD) {
        stem_cache_alloc(c);
        if (!h)
            h = stem_hash(w, n, sc->slot);
        uint64_t key[2] = {0, 0};
        if (n <= STEM_INLINE)
            word_key16(w, n, key);
        size_t i = (size_t)h & (STEM_CACHE_SLOTS - 1);
        for (;; i = (i + 1) & (STEM_CACHE_SLOTS - 1)) {
            e = &c->e[i];
            if (!e->hash)
                break;
            if (e->hash == h && e->len == n && e->slot == sc->slot &&
                (n <= STEM_INLINE ? e->u.k[0] == key[0] && e->u.k[1] == key[1]
                                  : memcmp(c->pool.data + e->u.off, w, n) == 0))
                return e->id;
        }
    }
    size_t sl;
    const char *stem = stemmer_stem(sc->st, w, n, &sl);
    if (!stem || sl == 0) {
        stem = w;
        sl = n;
    }
    uint32_t id = term_id(stem, sl);
    if (e) {
        if (c->used >= STEM_CACHE_SLOTS / 4 * 3) {
            stem_cache_clear(c);
            size_t i = (size_t)h & (STEM_CACHE_SLOTS - 1);
            e = &c->e[i];
        }
        *e = (StemEntry){.hash = h, .id = id, .len = (uint16_t)n, .slot = (uint8_t)sc->slot};
        if (n <= STEM_INLINE) {
            word_key16(w, n, e->u.k);
        } else {
            e->u.off = (uint32_t)c->pool.len;
            buf_append(&c->pool, w, n);
        }
        c->used++;
    }
    return id;
}

/* Lower-cases the w (4 or 8) bytes of x in place and returns 1, or 0 when
 * one of them is NUL or not ASCII. */
static inline int fold_ascii_word(uint64_t *x, size_t w)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t v = *x, lanes = w == 8 ? ~0ull : 0xFFFFFFFFull;
    /* a high bit set: not ASCII; a zero byte: (v - 1) borrows into it */
    if (((v & highs) | ((v - ones) & ~v & highs)) & lanes)
        return 0;
    /* all bytes below 0x80: adding 0x3F sets the high bit from 'A' on,
     * adding 0x25 from '[' on, with no carry between bytes */
    uint64_t upper = ((v + 0x3F3F3F3F3F3F3F3Full) & ~(v + 0x2525252525252525ull)) & highs;
    *x = v | (upper >> 2);
    return 1;
}

static inline void store_le(char *d, uint64_t x, size_t w)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (w == 8) { /* sizes the compiler sees: a plain store, not a call */
        memcpy(d, &x, 8);
    } else {
        uint32_t y = (uint32_t)x;
        memcpy(d, &y, 4);
    }
#else
    for (size_t k = 0; k < w; k++)
        d[k] = (char)(x >> (8 * k));
#endif
}

/* Plain ASCII (most words) folds to its lower case: copies s into d
 * lower-cased and returns 1, or gives up at the first byte that is NUL
 * or not ASCII and returns 0 (d then holds a part). */
static int fold_ascii(const char *s, size_t n, char *d)
{
    size_t i = 0;
#ifdef __SSE2__
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        if (_mm_movemask_epi8(v) | _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_setzero_si128())))
            return 0;
        __m128i up = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('A' - 1)),
                                   _mm_cmplt_epi8(v, _mm_set1_epi8('Z' + 1)));
        _mm_storeu_si128((__m128i *)(void *)(d + i), _mm_add_epi8(v, _mm_and_si128(up, _mm_set1_epi8(32))));
    }
#endif
    /* (without SSE2: eight bytes at a time until at most 15 are left) */
    for (; n - i > 15; i += 8) {
        uint64_t x = load_le64(s + i);
        if (!fold_ascii_word(&x, 8))
            return 0;
        store_le(d + i, x, 8);
    }
    if (n - i >= 4) {
        /* the 4 to 15 bytes left as two pieces of eight (or four) bytes,
         * the second one ending at the word's end (they may overlap), each
         * folded eight bytes at a time in a register */
        size_t w = n - i >= 8 ? 8 : 4;
        uint64_t a = w == 8 ? load_le64(s + i) : load_le32(s + i);
        uint64_t b = w == 8 ? load_le64(s + n - 8) : load_le32(s + n - 4);
        if (!fold_ascii_word(&a, w) || !fold_ascii_word(&b, w))
            return 0;
        store_le(d + i, a, w);
        store_le(d + n - w, b, w);
        return 1;
    }
    for (; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c - 1u >= 0x7Fu)
            return 0; /* NUL or not ASCII */
        d[i] = (char)((unsigned)c - 'A' < 26u ? c + 32 : c);
    }
    return 1;
}

/* The fold of s into d (room for n + 1 bytes) when s is plain ASCII, else
 * text_fold's into the scratch arena. */
static const char *fold_to(AnDoc *ad, const char *s, size_t n, char *d, uint32_t *len)
{
    if (fold_ascii(s, n, d)) {
        d[n] = '\0';
        *len = (uint32_t)n;
        return d;
    }
    buf_reset(ad->fold);
    text_fold(ad->fold, s, n);
    *len = (uint32_t)ad->fold->len;
    return arena_strndup(ad->scratch, buf_cstr(ad->fold), ad->fold->len);
}

const char *an_fold(AnDoc *ad, const char *s, size_t n, uint32_t *len)
{
    return fold_to(ad, s, n, arena_alloc_raw(ad->scratch, n + 1), len);
}

/* ---- terms ---- */

/* Whether s holds at least two code points (bytes that do not continue
 * a UTF-8 sequence): read only as far as the second one, the second byte
 * of an ASCII word. */
static int two_codepoints(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && ++k == 2)
            return 1;
    return 0;
}

/* The length of a folded word without a possessive ending: "putin's"
 * and "putin’s" are the same term as "putin". */
static size_t stem_len(const char *fold, size_t n)
{
    /* the final 's' first: one branch on what most words are not, rather
     * than one on the word's length */
    if (n > 2 && fold[n - 1] == 's') {
        if (fold[n - 2] == '\'')
            return n - 2;
        if (n > 4 && memcmp(fold + n - 4, "\xE2\x80\x99s", 4) == 0)
            return n - 4;
    }
    return n;
}

/* The term of one token, or 0 when it carries no meaning for matching:
 * stop words, single characters, punctuation and one-digit numbers. */
static int token_term(StemCtx *sc, const AnToken *t, const char *src, uint32_t *id)
{
    if (t->kind == TOK_PUNCT)
        return 0;
    if (t->kind == TOK_NUMBER) {
        /* "14,000" -> "14000"; one-digit counts are too common to tell
         * stories apart, larger figures ("37 dead", "14,000") and years
         * ("2008" against "2013") do; a year every article writes gets
         * little weight from its IDF. */
        char digits[32];
        size_t k = 0;
        for (uint32_t i = 0; i < t->len && k < sizeof digits - 1; i++)
            if (src[t->start + i] >= '0' && src[t->start + i] <= '9')
                digits[k++] = src[t->start + i];
        if (k < 2)
            return 0;
        *id = term_id(digits, k);
        return 1;
    }
    if (t->stop || !two_codepoints(t->fold, t->fold_len))
        return 0;
    *id = stem_id(sc, t->fold, stem_len(t->fold, t->fold_len), t->stem_hash);
    return 1;
}

static void insertion_sort_ids(uint32_t *ids, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint32_t v = ids[i];
        size_t j = i;
        for (; j > 0 && ids[j - 1] > v; j--)
            ids[j] = ids[j - 1];
        ids[j] = v;
    }
}

/* A least-significant-digit radix sort (four byte passes, one skipped
 * when all ids share that byte) through a temporary array. */
static void radix_sort_ids(uint32_t *ids, size_t n)
{
    uint32_t stack[1024];
    uint32_t *tmp = n <= sizeof stack / sizeof stack[0] ? stack : xmalloc(n * sizeof *tmp);
    uint32_t count[4][256];
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++)
        for (int d = 0; d < 4; d++)
            count[d][(ids[i] >> (8 * d)) & 0xFF]++;
    uint32_t *from = ids, *to = tmp;
    for (int d = 0; d < 4; d++) {
        if (count[d][(ids[0] >> (8 * d)) & 0xFF] == n)
            continue; /* every id has this byte */
        uint32_t pos = 0;
        for (int b = 0; b < 256; b++) {
            uint32_t c = count[d][b];
            count[d][b] = pos;
            pos += c;
        }
        for (size_t i = 0; i < n; i++)
            to[count[d][(from[i] >> (8 * d)) & 0xFF]++] = from[i];
        uint32_t *t = from;
        from = to;
        to = t;
    }
    if (from != ids)
        memcpy(ids, from, n * sizeof *ids);
    if (tmp != stack)
        free(tmp);
}

/* Sorts ids ascending: insertion sort for the few ids of a sentence or a
 * title (up to 64: below that it costs fewer instructions than anything
 * with counters, measured with callgrind on Reuters). More ids are spread
 * by their top bits over about n / 4 buckets (term ids are hashes, so
 * evenly), each then sorted by insertion, or by a radix sort when it got
 * more than 64 (ids that are not spread: no quadratic case). Equal ids are
 * alike, so the order is the same whatever sort produced it. */
static void sort_ids(uint32_t *ids, size_t n)
{
    if (n <= 64) {
        insertion_sort_ids(ids, n);
        return;
    }
    unsigned bits = 4;
    while (bits < 16 && ((size_t)1 << bits) < n / 4)
        bits++;
    size_t nb = (size_t)1 << bits;
    uint32_t stack[1024], cstack[1025];
    uint32_t *tmp = n <= sizeof stack / sizeof stack[0] ? stack : xmalloc(n * sizeof *tmp);
    uint32_t *start = nb < sizeof cstack / sizeof cstack[0] ? cstack : xmalloc((nb + 1) * sizeof *start);
    memset(start, 0, (nb + 1) * sizeof *start);
    unsigned shift = 32 - bits;
    for (size_t i = 0; i < n; i++)
        start[(ids[i] >> shift) + 1]++;
    for (size_t b = 1; b <= nb; b++)
        start[b] += start[b - 1];
    for (size_t i = 0; i < n; i++)
        tmp[start[ids[i] >> shift]++] = ids[i];
    /* start[b] is now the end of bucket b, the start of bucket b + 1 */
    size_t from = 0;
    for (size_t b = 0; b < nb; b++) {
        size_t to = start[b], len = to - from;
        if (len > 64)
            radix_sort_ids(tmp + from, len);
        else if (len > 1)
            insertion_sort_ids(tmp + from, len);
        from = to;
    }
    memcpy(ids, tmp, n * sizeof *ids);
    if (start != cstack)
        free(start);
    if (tmp != stack)
        free(tmp);
}

/* Sorts ids and counts runs into a TermVec in arena a. ids is reordered. */
static TermVec termvec_from_ids(Arena *a, uint32_t *ids, size_t n)
{
    TermVec v = {0};
    if (n == 0)
        return v;
    sort_ids(ids, n);
    size_t distinct = 1;
    for (size_t i = 1; i < n; i++)
        distinct += ids[i] != ids[i - 1];
    v.terms = ARENA_ARRAY(a, Term, distinct);
    for (size_t i = 0; i < n; i++) {
        if (v.n > 0 && v.terms[v.n - 1].id == ids[i])
            v.terms[v.n - 1].weight += 1.0f;
        else
            v.terms[v.n++] = (Term){ids[i], 1.0f};
    }
    return v;
}

AnToken *an_tokenize(AnDoc *ad, const char *s, size_t n, size_t *count)
{
    Token *toks;
    size_t nt = tokenize(ad->scratch, s, n, &toks);
    AnToken *out = ARENA_ARRAY(ad->scratch, AnToken, nt ? nt : 1);
    unsigned stop_bit = stopword_lang_bit(ad->lang);
    /* the folds of plain ASCII words, one after another, each with its NUL */
    char *pool = arena_alloc_raw(ad->scratch, n + nt + 1); /* each fold written with its NUL */
    size_t used = 0;
    for (size_t i = 0; i < nt; i++) {
        AnToken *t = &out[i];
        t->start = toks[i].start;
        t->len = toks[i].len;
        t->kind = toks[i].kind;
        t->upper = toks[i].upper;
        t->all_caps = toks[i].all_caps;
        if (t->kind == TOK_PUNCT) {
            t->fold = "";
            continue;
        }
        t->fold = fold_to(ad, s + t->start, t->len, pool + used, &t->fold_len);
        int ascii = t->fold == pool + used;
        if (ascii)
            used += t->len + 1;
        if (t->kind != TOK_WORD)
            continue;
        /* one hash of the word for the stop-word index, the entity sets
         * and the stem cache */
        t->fold_hash = an_word_hash(t->fold, t->fold_len);
        unsigned langs = ascii ? stopword_langs_ascii(t->fold, t->fold_len, t->fold_hash)
                               : stopword_langs(t->fold, t->fold_len);
        t->stop = (langs & stop_bit) != 0;
        if (!ad->stems)
            continue;
        if (!t->stop && two_codepoints(t->fold, t->fold_len)) {
            /* the stem cache entry this word will need: fetched now, while
             * the rest of the sentence is read, not when its terms are */
            size_t sn = stem_len(t->fold, t->fold_len);
            if (sn <= STEM_CACHE_MAX_WORD) {
                t->stem_hash = sn == t->fold_len ? stem_key(t->fold_hash, ad->stem_slot)
                                                 : stem_hash(t->fold, sn, ad->stem_slot);
                __builtin_prefetch(&ad->stems->e[t->stem_hash & (STEM_CACHE_SLOTS - 1)]);
            }
        }
    }
    *count = nt;
    return out;
}

typedef struct FactList {
    uint32_t *id;
    size_t n, cap;
} FactList;

static void fact_add(AnDoc *ad, FactList *fl, uint32_t id)
{
    if (fl->n == fl->cap) {
        size_t nc = fl->cap ? fl->cap * 2 : 16;
        fl->id = arena_grow(ad->scratch, fl->id, fl->n, nc, sizeof *fl->id);
        fl->cap = nc;
    }
    fl->id[fl->n++] = id;
}

/* Adds the years and calendar dates written in toks to the facts and,
 * with figures set, the other numbers of two or more digits ("37",
 * "14,000", "6.1"; a date's day too: leaving it out did worse on ECB+,
 * docs/clustering.md). */
static void collect_facts(AnDoc *ad, const char *src, const AnToken *toks, size_t nt, int figures,
                          FactList *fl)
{
    AnDate dates[64];
    size_t nd = an_find_dates(src, toks, nt, ad->lang, dates, sizeof dates / sizeof *dates);
    for (size_t k = 0; k < nd; k++)
        fact_add(ad, fl, DOC_FACT_ID(DOC_FACT_DATE, DOC_DATE_VALUE(dates[k].year, dates[k].month,
                                                                   dates[k].day)));
    for (size_t i = 0; i < nt; i++) {
        if (toks[i].kind != TOK_NUMBER)
            continue;
        uint32_t y = an_token_year(src, &toks[i]);
        if (y) {
            fact_add(ad, fl, DOC_FACT_ID(DOC_FACT_YEAR, y));
            continue;
        }
        if (!figures)
            continue;
        char digits[32];
        size_t k = 0;
        for (uint32_t j = 0; j < toks[i].len && k < sizeof digits; j++)
            if (src[toks[i].start + j] >= '0' && src[toks[i].start + j] <= '9')
                digits[k++] = src[toks[i].start + j];
        if (k >= 2)
            fact_add(ad, fl, DOC_FACT_ID(DOC_FACT_NUMBER, term_id(digits, k)));
    }
}

/* Collects the term ids of tokens into ids (grown in the scratch arena). */
/* 1 when t is one character of a script written without spaces. */
static int unspaced_token(const char *src, const AnToken *t)
{
    if (t->kind != TOK_WORD || (unsigned char)src[t->start] < 0xE3 || t->fold_len == 0)
        return 0;
    uint32_t cp;
    size_t l = utf8_decode(src + t->start, t->len, &cp);
    return l == t->len && text_is_unspaced(cp);
}

static void collect_terms(AnDoc *ad, StemCtx *sc, const char *src, const AnToken *toks,
                          size_t nt, uint32_t **ids, size_t *n, size_t *cap)
{
    int joined = 0; /* toks[i] ends the bigram the token before began */
    for (size_t i = 0; i < nt; i++) {
        uint32_t id;
        int prev = joined;
        joined = 0;
        if (prev || unspaced_token(src, &toks[i])) {
            /* Han and kana: character bigrams, as a word is most often
             * two characters ("造纸" paper-making, "火灾" fire); a
             * character standing alone is a term by itself */
            joined = i + 1 < nt && toks[i + 1].start == toks[i].start + toks[i].len &&
                     unspaced_token(src, &toks[i + 1]);
            if (joined) {
                char pair[16];
                size_t l1 = toks[i].fold_len, l2 = toks[i + 1].fold_len;
                if (l1 + l2 > sizeof pair)
                    continue;
                memcpy(pair, toks[i].fold, l1);
                memcpy(pair + l1, toks[i + 1].fold, l2);
                id = term_id(pair, l1 + l2);
            } else if (!prev) {
                id = term_id(toks[i].fold, toks[i].fold_len);
            } else {
                continue; /* the end of the last bigram */
            }
        } else if (!token_term(sc, &toks[i], src, &id)) {
            continue;
        }
        if (*n == *cap) {
            size_t nc = *cap ? *cap * 2 : 64;
            *ids = arena_grow(ad->scratch, *ids, *n, nc, sizeof **ids);
            *cap = nc;
        }
        (*ids)[(*n)++] = id;
    }
}

TermVec doc_text_terms(DocAnalyzer *da, Arena *a, const char *text, size_t n, const char *lang)
{
    Arena scratch = {0};
    const char *plang = (!lang || !*lang || strcmp(lang, "und") == 0) ? "en" : lang;
    AnDoc ad = {.out = a, .scratch = &scratch, .fold = &da->fold, .lang = plang};
    size_t nt;
    AnToken *toks = an_tokenize(&ad, text, n, &nt);
    uint32_t *ids = NULL;
    size_t nids = 0, cap = 0;
    StemCtx sc = analyzer_stemmer(da, plang);
    collect_terms(&ad, &sc, text, toks, nt, &ids, &nids, &cap);
    TermVec v = termvec_from_ids(a, ids, nids);
    arena_free(&scratch);
    return v;
}

/* ---- sentence flags ---- */

static int fold_in(const char *fold, size_t n, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (list[i][0] == fold[0] && strncmp(list[i], fold, n) == 0 && list[i][n] == '\0')
            return 1;
    return 0;
}

static const char *const dangling_openers[] = {
    "he", "she", "it", "they", "this", "that", "these", "those", "his", "her", "their",
    "its", "we", "however", "but", "and", "also", "meanwhile", "still", "yet", "so", "thus",
    "therefore", "additionally", "moreover", "furthermore", "instead", "then", "or",
    "nor", "nevertheless", "nonetheless", "otherwise", "likewise", "similarly", "hence",
    "besides", "there", "such", "both", "him", "them", NULL};

/* Phrases that mark page furniture rather than reporting, matched on the
 * folded sentence start. */
#define PHRASE(s) {s, sizeof s - 1}
static const struct {
    const char *s;
    size_t len;
} boiler_prefixes[] = {
    PHRASE("read more"), PHRASE("read also"), PHRASE("see also"), PHRASE("related:"),
    PHRASE("related coverage"), PHRASE("advertisement"), PHRASE("sign up"), PHRASE("click here"),
    PHRASE("follow us"), PHRASE("subscribe"), PHRASE("share this"), PHRASE("copyright"), PHRASE("(c) "),
    PHRASE("\xC2\xA9"), PHRASE("(reporting by"), PHRASE("reporting by"), PHRASE("editing by"),
    PHRASE("writing by"), PHRASE("additional reporting"), PHRASE("compiled by"), PHRASE("photo:"),
    PHRASE("image:"), PHRASE("caption:"), PHRASE("watch:"), PHRASE("listen:"), PHRASE("last updated"),
    PHRASE("updated:"), PHRASE("published:"), PHRASE("this story has been"), PHRASE("this article was"),
    PHRASE("sign in"), PHRASE("log in"), PHRASE("download the"), PHRASE("get the latest"),
    PHRASE("we use cookies"), PHRASE("contact us")};
#undef PHRASE

/* (has_boiler_inside tests the first two bytes of each: keep its list of
 * heads in step with this one) */
#define PHRASE(s) {s, sizeof s - 1}
static const struct {
    const char *s;
    size_t len;
} boiler_inside[] = {
    PHRASE("all rights reserved"), PHRASE("(reporting by"), PHRASE("editing by"), PHRASE("click here"),
    PHRASE("sign up for"), PHRASE("http://"), PHRASE("https://"), PHRASE("www."), PHRASE("cookie")};
#undef PHRASE
#define N_BOILER_INSIDE (sizeof boiler_inside / sizeof boiler_inside[0])

/* 1 when one of boiler_inside occurs in s (n bytes) at i, given that
 * s[i + 1] exists. */
static int boiler_at(const char *s, size_t n, size_t i)
{
    for (size_t k = 0; k < N_BOILER_INSIDE; k++) {
        const char *p = boiler_inside[k].s;
        if (s[i] == p[0] && s[i + 1] == p[1] && i + boiler_inside[k].len <= n &&
            memcmp(s + i, p, boiler_inside[k].len) == 0)
            return 1;
    }
    return 0;
}

#ifdef __SSE2__
/* Positions among the 16 at s (17 bytes readable) where a boiler_inside
 * phrase's first two bytes are: "al" "(r" "ed" "cl" "si" "ht" "ww" "co". */
static unsigned boiler_heads16(const char *s)
{
    __m128i a = _mm_loadu_si128((const __m128i *)(const void *)s);
    __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(s + 1));
#define HEAD(x, y) _mm_and_si128(_mm_cmpeq_epi8(a, _mm_set1_epi8(x)), _mm_cmpeq_epi8(b, _mm_set1_epi8(y)))
    __m128i c = _mm_or_si128(
        _mm_or_si128(_mm_or_si128(HEAD('a', 'l'), HEAD('(', 'r')), _mm_or_si128(HEAD('e', 'd'), HEAD('c', 'l'))),
        _mm_or_si128(_mm_or_si128(HEAD('s', 'i'), HEAD('h', 't')), _mm_or_si128(HEAD('w', 'w'), HEAD('c', 'o'))));
#undef HEAD
    return (unsigned)_mm_movemask_epi8(c);
}
#endif

/* 1 when one of boiler_inside occurs in the folded sentence s (n bytes):
 * what strstr with each phrase in turn says, in one pass that tests the
 * first two bytes of every phrase at once (sixteen positions at a time)
 * and compares a whole phrase only where they match. */
static int has_boiler_inside(const char *s, size_t n)
{
    if (n < 2)
        return 0;
#ifdef __SSE2__
    for (size_t i = 0; i + 1 < n; i += 16) {
        unsigned m;
        if (i + 17 <= n) {
            m = boiler_heads16(s + i);
        } else {
            char tail[17 + 16] = {0}; /* the last positions, zero-padded */
            memcpy(tail, s + i, n - i);
            m = boiler_heads16(tail);
        }
        for (; m; m &= m - 1)
            if (boiler_at(s, n, i + (size_t)__builtin_ctz(m)))
                return 1;
    }
    return 0;
#else
    for (size_t i = 0; i + 1 < n; i++)
        if (boiler_at(s, n, i))
            return 1;
    return 0;
#endif
}

static int starts_with_lower_letter(const char *s, size_t n)
{
    uint32_t cp;
    size_t l = utf8_decode(s, n, &cp);
    return l && text_is_letter(cp) && !text_is_upper(cp) && !text_is_digit(cp);
}

/* Capitalised words that name no one: a name before a relative clause
 * must be more than a date. */
static const char *const calendar_words[] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", NULL};

/* 1 when the folded word is one of calendar_words: their first letters
 * (a d f j m n o s t w) and lengths (3 to 9) rule out most words first. */
static int is_calendar_word(const char *fold, size_t n)
{
#define LBIT(c) (1u << ((c) - 'a'))
    static const uint32_t first = LBIT('a') | LBIT('d') | LBIT('f') | LBIT('j') | LBIT('m') | LBIT('n') |
                                  LBIT('o') | LBIT('s') | LBIT('t') | LBIT('w');
#undef LBIT
    unsigned c = (unsigned char)fold[0] - 'a';
    if (n < 3 || n > 9 || c >= 26 || !(first >> c & 1))
        return 0;
    return fold_in(fold, n, calendar_words);
}

/* 1 when an object pronoun sits in a relative clause ("the painting that
 * once filled it", "the man who shot him"): it cannot stand for the
 * clause's own head, so it points before it, and when no name (a
 * capitalised word mid-sentence that is not a day or month) comes before
 * the head, it points to an earlier sentence. Quoted words are skipped. */
static int relative_pronoun_leans_back(const AnSentence *s)
{
    int quoted = 0;
    int named = 0; /* a name seen so far, outside quotes */
    for (size_t i = 0; i < s->n_toks; i++) {
        const AnToken *t = &s->toks[i];
        if (t->kind == TOK_PUNCT) {
            unsigned char c = (unsigned char)s->text[t->start];
            if (c == '"' || c == 0xE2 || c == 0xC2)
                quoted = !quoted;
            continue;
        }
        if (quoted || t->kind != TOK_WORD)
            continue;
        if (i > 0 && (t->upper || t->all_caps) && !is_calendar_word(t->fold, t->fold_len)) {
            named = 1;
            continue;
        }
        int rel = (t->fold_len == 4 && memcmp(t->fold, "that", 4) == 0) ||
                  (t->fold_len == 5 && memcmp(t->fold, "which", 5) == 0) ||
                  (t->fold_len == 3 && memcmp(t->fold, "who", 3) == 0);
        /* a relative clause follows a noun: "learned that" is a complement */
        if (!rel || named || i < 2 || s->toks[i - 1].kind != TOK_WORD || s->toks[i - 1].stop ||
            s->toks[i - 2].kind != TOK_WORD || !s->toks[i - 2].stop)
            continue;
        for (size_t k = i + 1, words = 0; k < s->n_toks && words < 5; k++) {
            const AnToken *u = &s->toks[k];
            if (u->kind != TOK_WORD)
                break;
            words++;
            if ((u->fold_len == 2 && memcmp(u->fold, "it", 2) == 0) ||
                (u->fold_len == 3 && (memcmp(u->fold, "him", 3) == 0 || memcmp(u->fold, "her", 3) == 0)) ||
                (u->fold_len == 4 && memcmp(u->fold, "them", 4) == 0))
                return 1;
        }
    }
    return 0;
}

/* Flags of one sentence from its tokens; SENT_QUOTE comes from quotes.c. */
static uint32_t sentence_flags(const AnDoc *ad, const AnSentence *s, const char *folded,
                               uint32_t n_words)
{
    uint32_t flags = 0;
    int english = strcmp(ad->lang, "en") == 0;

    /* question: last character before closing quotes/brackets is '?' */
    size_t e = s->len;
    while (e > 0) {
        unsigned char c = (unsigned char)s->text[e - 1];
        if (c == '"' || c == '\'' || c == ')' || c == ']' || c == ' ') {
            e--;
        } else if (e >= 3 && c >= 0x80 && (unsigned char)s->text[e - 3] == 0xE2) {
            e -= 3; /* ” ’ » and the like */
        } else if (e >= 2 && (unsigned char)s->text[e - 2] == 0xC2) {
            e -= 2; /* » */
        } else {
            break;
        }
    }
    if (e > 0 && (s->text[e - 1] == '?'))
        flags |= SENT_QUESTION;

    /* dangling: the first word leans on what came before. Inside an
     * opening quotation "We" or "It" is the speaker's, named in the
     * attribution, so only the lower-case test applies there. */
    int quoted = 0;
    for (size_t i = 0; i < s->n_toks; i++) {
        const AnToken *t = &s->toks[i];
        if (t->kind == TOK_PUNCT) {
            unsigned char c = (unsigned char)s->text[t->start];
            if (c == '"' || c == 0xE2 || c == 0xC2)
                quoted = 1;
            continue;
        }
        if (t->kind == TOK_WORD) {
            if (english && !quoted && fold_in(t->fold, t->fold_len, dangling_openers))
                flags |= SENT_DANGLING;
            else if (starts_with_lower_letter(s->text + t->start, t->len))
                flags |= SENT_DANGLING;
        }
        break;
    }
    if (english && relative_pronoun_leans_back(s))
        flags |= SENT_DANGLING;

    /* boilerplate by shape */
    size_t fl = strlen(folded);
    for (size_t i = 0; i < sizeof boiler_prefixes / sizeof boiler_prefixes[0]; i++)
        if (folded[0] == boiler_prefixes[i].s[0] && fl >= boiler_prefixes[i].len &&
            memcmp(folded, boiler_prefixes[i].s, boiler_prefixes[i].len) == 0)
            flags |= SENT_BOILERPLATE;
    if (n_words < 4 || n_words > 80)
        flags |= SENT_BOILERPLATE;
    if (!(flags & SENT_BOILERPLATE) && has_boiler_inside(folded, fl))
        flags |= SENT_BOILERPLATE;
    /* "[Related: ...]", "(Photo: ...)": a link or caption in brackets */
    if (s->len >= 2 && ((s->text[0] == '[' && s->text[s->len - 1] == ']') ||
                        (s->text[0] == '(' && s->text[s->len - 1] == ')')))
        flags |= SENT_BOILERPLATE;
    /* byline: "By Jane Doe" / "By Jane Doe and John Roe, Harbour Times" */
    if (n_words <= 8 && fl > 3 && memcmp(folded, "by ", 3) == 0)
        flags |= SENT_BOILERPLATE;
    /* a heading or a list of names has hardly a lower-case word */
    uint32_t lower = 0, letters = 0;
    for (size_t i = 0; i < s->n_toks; i++) {
        const AnToken *t = &s->toks[i];
        if (t->kind != TOK_WORD)
            continue;
        unsigned char c = (unsigned char)s->text[t->start];
        int upper;
        if (c < 0x80) { /* (text_is_letter and text_is_upper read ASCII so) */
            if ((c | 32u) - 'a' >= 26u)
                continue;
            upper = (unsigned)c - 'A' < 26u;
        } else {
            uint32_t cp;
            if (!utf8_decode(s->text + t->start, t->len, &cp) || !text_is_letter(cp))
                continue;
            upper = text_is_upper(cp);
        }
        letters++;
        if (!upper && t->fold_len >= 2)
            lower++;
    }
    if (letters >= 3 && lower < 2)
        flags |= SENT_BOILERPLATE;
    return flags;
}

/* ---- datelines ---- */

static int tok_is(const char *text, const AnToken *t, const char *s)
{
    return t->len == strlen(s) && memcmp(text + t->start, s, t->len) == 0;
}

static int tok_is_dash(const char *text, const AnToken *t)
{
    return tok_is(text, t, "-") || tok_is(text, t, "\xE2\x80\x93") ||
           tok_is(text, t, "\xE2\x80\x94") || tok_is(text, t, "\xE2\x80\x95");
}

/* Length of a dateline prefix ("HALDEN, Oct 3 (Meridian Wire) - ",
 * "LONDON (AP) — ", "PORT HALDEN — ") at the start of a sentence, or 0:
 * one or more upper-case place words, then an optional date after a
 * comma, an optional (Outlet), then a dash. */
static size_t dateline_length(const char *text, const AnToken *t, size_t nt)
{
    size_t i = 0;
    while (i < nt && t[i].kind == TOK_WORD && t[i].all_caps)
        i++;
    if (i == 0 || i > 5)
        return 0;
    if (i < nt && tok_is(text, &t[i], ",")) {
        /* a date or a region: a few words and numbers, commas allowed */
        size_t j = i + 1, words = 0;
        while (j < nt && words < 6 && t[j].kind != TOK_PUNCT) {
            j++, words++;
            if (j < nt && tok_is(text, &t[j], ","))
                j++;
        }
        if (words == 0)
            return 0;
        i = j;
    }
    if (i < nt && tok_is(text, &t[i], "(")) {
        size_t j = i + 1;
        while (j < nt && j < i + 8 && !tok_is(text, &t[j], ")"))
            j++;
        if (j >= nt || !tok_is(text, &t[j], ")"))
            return 0;
        i = j + 1;
    }
    if (i >= nt || !tok_is_dash(text, &t[i]))
        return 0;
    /* "--" is two tokens */
    size_t end = t[i].start + t[i].len;
    if (i + 1 < nt && tok_is(text, &t[i + 1], "-") && t[i + 1].start == end)
        end += t[i + 1].len;
    while (text[end] == ' ')
        end++;
    return end;
}

/* Copies a sentence span, turning line breaks and runs of spaces inside
 * it into single spaces (a sentence is displayed on one line). */
static char *copy_sentence(Arena *a, const char *s, size_t n, size_t *out_len)
{
    char *d = arena_alloc_raw(a, n + 1); /* written up to its NUL */
    size_t k = 0, i = 0;
    while (i < n) {
#ifdef __SSE2__
        /* sixteen bytes with no line break or tab and no space after a
         * space (nor a leading one) are copied as they are (k <= i, so
         * the store stays inside d) */
        while (i + 16 <= n) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            __m128i ws = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
                                      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\t')),
                                                   _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))));
            unsigned sp = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')));
            unsigned before = k == 0 || d[k - 1] == ' ';
            if (_mm_movemask_epi8(ws) || (sp & ((sp << 1) | before)))
                break;
            _mm_storeu_si128((__m128i *)(void *)(d + k), v);
            k += 16;
            i += 16;
        }
        /* then byte by byte, up to the next 16-byte boundary of s */
        size_t stop = (i + 16) & ~(size_t)15;
        if (stop > n)
            stop = n;
#else
        size_t stop = n;
#endif
        for (; i < stop; i++) {
            char c = s[i];
            if (c == '\n' || c == '\t' || c == '\r')
                c = ' ';
            if (c == ' ' && (k == 0 || d[k - 1] == ' '))
                continue;
            d[k++] = c;
        }
    }
    while (k > 0 && d[k - 1] == ' ')
        k--;
    d[k] = '\0';
    *out_len = k;
    return d;
}

/* ---- SimHash ---- */

/* Per-bit counts of the shingle hashes, eight bits to a 64-bit lane
 * (lane j, byte k counts bit 8k + j), flushed into 32-bit totals before
 * a byte can overflow. */
typedef struct BitTally {
    _Alignas(16) uint64_t lane[8];
    uint32_t total[64];
    uint32_t pending, n;
} BitTally;

static void tally_flush(BitTally *t)
{
    for (int j = 0; j < 8; j++) {
        for (int k = 0; k < 8; k++)
            t->total[8 * k + j] += (uint32_t)((t->lane[j] >> (8 * k)) & 0xFF);
        t->lane[j] = 0;
    }
    t->pending = 0;
}

static void tally_add(BitTally *t, uint64_t h)
{
#ifdef __SSE2__
    /* two lanes a step: (h, h >> 1) shifted by 0, 2, 4, 6 gives lanes
     * (0, 1), (2, 3), (4, 5), (6, 7) */
    __m128i v = _mm_set_epi64x((long long)(h >> 1), (long long)h), one = _mm_set1_epi8(1);
    __m128i *lane = (__m128i *)(void *)t->lane;
    lane[0] = _mm_add_epi64(lane[0], _mm_and_si128(v, one));
    lane[1] = _mm_add_epi64(lane[1], _mm_and_si128(_mm_srli_epi64(v, 2), one));
    lane[2] = _mm_add_epi64(lane[2], _mm_and_si128(_mm_srli_epi64(v, 4), one));
    lane[3] = _mm_add_epi64(lane[3], _mm_and_si128(_mm_srli_epi64(v, 6), one));
#else
    for (int j = 0; j < 8; j++)
        t->lane[j] += (h >> j) & 0x0101010101010101ULL;
#endif
    t->n++;
    if (++t->pending == 255)
        tally_flush(t);
}

/* FNV-1a (hash64's steps) of four byte ranges of one buffer at once:
 * each range is a dependency chain of multiplies, and four side by side
 * keep the multiplier busy. A range that has ended keeps its value while
 * the others go on; each range is read as far as the longest one is
 * long, so the buffer must hold those bytes. */
static void fnv4(const unsigned char *buf, const uint32_t *from, const uint32_t *to, uint64_t *out)
{
    uint64_t h0 = 1469598103934665603ULL, h1 = h0, h2 = h0, h3 = h0;
    uint32_t n0 = to[0] - from[0], n1 = to[1] - from[1], n2 = to[2] - from[2], n3 = to[3] - from[3];
    uint32_t most = n0 > n1 ? n0 : n1;
    most = most > n2 ? most : n2;
    most = most > n3 ? most : n3;
    uint32_t least = n0 < n1 ? n0 : n1;
    least = least < n2 ? least : n2;
    least = least < n3 ? least : n3;
    const unsigned char *p0 = buf + from[0], *p1 = buf + from[1], *p2 = buf + from[2], *p3 = buf + from[3];
    uint32_t i = 0;
    for (; i < least; i++) { /* all four go on: no selects */
        h0 = (h0 ^ p0[i]) * 1099511628211ULL;
        h1 = (h1 ^ p1[i]) * 1099511628211ULL;
        h2 = (h2 ^ p2[i]) * 1099511628211ULL;
        h3 = (h3 ^ p3[i]) * 1099511628211ULL;
    }
    for (; i < most; i++) {
        uint64_t g0 = (h0 ^ p0[i]) * 1099511628211ULL, g1 = (h1 ^ p1[i]) * 1099511628211ULL;
        uint64_t g2 = (h2 ^ p2[i]) * 1099511628211ULL, g3 = (h3 ^ p3[i]) * 1099511628211ULL;
        h0 = i < n0 ? g0 : h0;
        h1 = i < n1 ? g1 : h1;
        h2 = i < n2 ? g2 : h2;
        h3 = i < n3 ? g3 : h3;
    }
    out[0] = hash64_finish(h0);
    out[1] = hash64_finish(h1);
    out[2] = hash64_finish(h2);
    out[3] = hash64_finish(h3);
}

static uint64_t simhash_of(AnDoc *ad)
{
    BitTally tally = {0};
    /* the words, each followed by a space, in one buffer: shingle k
     * ("w_k w_k+1 w_k+2 ") is the bytes from start[k] to start[k + 3] */
    size_t nw = 0, bytes = 0;
    for (size_t s = 0; s < ad->n_sents; s++)
        for (size_t i = 0; i < ad->sents[s].n_toks; i++) {
            const AnToken *t = &ad->sents[s].toks[i];
            if (t->kind != TOK_PUNCT && t->fold_len > 0)
                nw++, bytes += t->fold_len + 1;
        }
    if (nw == 0)
        return 0;
    unsigned char *buf = arena_alloc(ad->scratch, bytes + 64);
    uint32_t *start = ARENA_ARRAY(ad->scratch, uint32_t, nw + 1);
    size_t k = 0, at = 0;
    for (size_t s = 0; s < ad->n_sents; s++)
        for (size_t i = 0; i < ad->sents[s].n_toks; i++) {
            const AnToken *t = &ad->sents[s].toks[i];
            if (t->kind == TOK_PUNCT || t->fold_len == 0)
                continue;
            start[k++] = (uint32_t)at;
            memcpy(buf + at, t->fold, t->fold_len);
            at += t->fold_len;
            buf[at++] = ' ';
        }
    start[nw] = (uint32_t)at;
    if (nw < 3) {
        /* a text of one or two words: hash what there is */
        tally_add(&tally, hash64(buf, at));
    } else {
        size_t nsh = nw - 2, i = 0;
        uint64_t h[4];
        for (; i + 4 <= nsh; i += 4) {
            /* fnv4 reads up to the longest shingle's length from the last
             * one's start: within the buffer and its padding, or each
             * shingle alone (a very long word near the end) */
            uint32_t most = 0;
            for (int j = 0; j < 4; j++)
                if (start[i + j + 3] - start[i + j] > most)
                    most = start[i + j + 3] - start[i + j];
            if ((size_t)start[i + 3] + most <= bytes + 64) {
                fnv4(buf, start + i, start + i + 3, h);
            } else {
                for (int j = 0; j < 4; j++)
                    h[j] = hash64(buf + start[i + j], start[i + j + 3] - start[i + j]);
            }
            for (int j = 0; j < 4; j++)
                tally_add(&tally, h[j]);
        }
        for (; i < nsh; i++)
            tally_add(&tally, hash64(buf + start[i], start[i + 3] - start[i]));
    }
    tally_flush(&tally);
    /* bit b is set when more shingles have it than not */
    uint64_t out = 0;
    for (int b = 0; b < 64; b++)
        if (2 * tally.total[b] > tally.n)
            out |= 1ULL << b;
    return out;
}

/* ---- language ---- */

static const char *pick_lang(DocAnalyzer *da, Arena *a, const Article *art, const char *text, size_t tn)
{
    if (art->lang && art->lang[0]) {
        char code[8];
        size_t k = 0;
        for (const char *p = art->lang; *p && *p != '-' && *p != '_' && k < sizeof code - 1; p++)
            code[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
        code[k] = '\0';
        if (k > 0)
            return arena_strdup(a, code);
    }
    Buf *sample = &da->sample;
    buf_reset(sample);
    if (art->title) {
        buf_puts(sample, art->title);
        buf_putc(sample, '\n');
    }
    size_t take = tn < 1000 ? tn : 1000;
    while (take < tn && ((unsigned char)text[take] & 0xC0) == 0x80)
        take++; /* do not cut a character in half */
    buf_append(sample, text, take);
    const char *lang = langid_detect_buf(buf_cstr(sample), sample->len, &da->fold);
    return arena_strdup(a, lang ? lang : "und");
}

/* ---- the analysis ---- */

/* Bytes of an article's text that are analysed. */
#define DOC_TEXT_MAX (256u << 10)

void doc_analyze(DocAnalyzer *da, Arena *a, const Article *art, Doc *out)
{
    memset(out, 0, sizeof *out);
    out->article = art;
    const char *text = art->text ? art->text : "";
    size_t tn = strlen(text);
    if (tn > DOC_TEXT_MAX) {
        /* A news article is far shorter; a longer body is a dump or a
         * document collection, and its opening says what it is about. Cut
         * at a paragraph (else sentence, else word) break before the limit
         * so that analysis time and memory stay bounded. */
        size_t cut = DOC_TEXT_MAX;
        const char *para = NULL;
        for (size_t i = DOC_TEXT_MAX; i > DOC_TEXT_MAX / 2 && !para; i--)
            if (text[i - 1] == '\n' && text[i] == '\n')
                para = text + i;
        if (para) {
            cut = (size_t)(para - text);
        } else {
            while (cut > DOC_TEXT_MAX / 2 && text[cut] != ' ')
                cut--;
        }
        text = arena_strndup(a, text, cut);
        tn = cut;
    }

    out->lang = pick_lang(da, a, art, text, tn);
    const char *plang = strcmp(out->lang, "und") == 0 ? "en" : out->lang;
    out->title = doc_clean_title(a, art->title ? art->title : "", art->source);

    AnDoc ad = {.out = a, .scratch = &da->scratch, .fold = &da->fold, .lang = plang};
    StemCtx st = analyzer_stemmer(da, plang);
    stem_cache_alloc(&da->stems);
    ad.stems = &da->stems;
    ad.stem_slot = st.slot;

    /* years: from the title and every line of the body, datelines and
     * date lines included (they are what tells two like events apart) */
    FactList facts = {0};

    /* title terms */
    {
        size_t nt;
        AnToken *toks = an_tokenize(&ad, out->title, strlen(out->title), &nt);
        uint32_t *ids = NULL;
        size_t n = 0, cap = 0;
        collect_terms(&ad, &st, out->title, toks, nt, &ids, &n, &cap);
        out->title_terms = termvec_from_ids(a, ids, n);
        collect_facts(&ad, out->title, toks, nt, 1, &facts);
    }

    SentenceSpan *spans = NULL;
    size_t ns = sentence_split(ad.scratch, text, tn, plang, &spans);
    out->sentences = ARENA_ARRAY(a, DocSentence, ns ? ns : 1);
    ad.sents = ARENA_ARRAY(ad.scratch, AnSentence, ns ? ns : 1);

    uint32_t *body_ids = NULL;
    size_t n_body = 0, cap_body = 0;
    size_t n_lead_ids = 0;
    int lead_left = DOC_LEAD_SENTENCES;
    uint32_t prev_para = UINT32_MAX;
    for (size_t i = 0; i < ns; i++) {
        size_t len;
        char *copy = copy_sentence(a, text + spans[i].start, spans[i].len, &len);
        if (len == 0)
            continue;
        AnSentence *as = &ad.sents[ad.n_sents];
        size_t nt;
        AnToken *toks = an_tokenize(&ad, copy, len, &nt);
        int dateline_only = 0;
        if (spans[i].paragraph != prev_para) {
            size_t dl = dateline_length(copy, toks, nt);
            if (dl > 0 && dl < len) {
                size_t in_dl = 0; /* the dateline's year ("HALDEN, Oct 3, 2026 -") */
                while (in_dl < nt && toks[in_dl].start < dl)
                    in_dl++;
                collect_facts(&ad, copy, toks, in_dl, 0, &facts);
                copy += dl;
                len -= dl;
                toks = an_tokenize(&ad, copy, len, &nt);
            } else if (dl > 0) {
                dateline_only = 1;
            }
        }
        prev_para = spans[i].paragraph;
        as->text = copy;
        as->len = len;
        as->toks = toks;
        as->n_toks = nt;
        as->paragraph = spans[i].paragraph;

        DocSentence *ds = &out->sentences[ad.n_sents];
        ds->text = copy;
        ds->paragraph = spans[i].paragraph;
        ds->index = (uint32_t)ad.n_sents;
        for (size_t k = 0; k < nt; k++)
            ds->n_words += toks[k].kind != TOK_PUNCT;
        uint32_t fl;
        const char *folded = an_fold(&ad, copy, len, &fl);
        ds->flags = sentence_flags(&ad, as, folded, ds->n_words);
        if (dateline_only)
            ds->flags |= SENT_BOILERPLATE;

        uint32_t *ids = NULL;
        size_t n = 0, cap = 0;
        collect_terms(&ad, &st, copy, toks, nt, &ids, &n, &cap);
        /* years from every line; other figures from the text proper */
        collect_facts(&ad, copy, toks, nt, !(ds->flags & SENT_BOILERPLATE), &facts);
        if (!(ds->flags & SENT_BOILERPLATE)) {
            for (size_t k = 0; k < n; k++) {
                if (n_body == cap_body) {
                    size_t nc = cap_body ? cap_body * 2 : 256;
                    body_ids = arena_grow(ad.scratch, body_ids, n_body, nc, sizeof *body_ids);
                    cap_body = nc;
                }
                body_ids[n_body++] = ids[k];
            }
            /* the lead: the body terms of its first sentences */
            if (lead_left > 0 && n > 0) {
                lead_left--;
                n_lead_ids = n_body;
            }
            out->n_words += ds->n_words;
        }
        ds->terms = termvec_from_ids(a, ids, n);
        ad.n_sents++;
    }
    out->n_sentences = ad.n_sents;
    out->lead_terms = termvec_from_ids(a, body_ids, n_lead_ids); /* (copied: sorts) */
    out->body_terms = termvec_from_ids(a, body_ids, n_body);
    /* a headline with no text at all (a feed item, a wire alert): its words
     * stand in for the body, so that it can match a story's text */
    if (tn == 0)
        out->body_terms = out->title_terms;

    entities_find(&ad);
    quotes_find(&ad, out);
    entities_emit(&ad, out);
    out->simhash = simhash_of(&ad);
    for (size_t k = 0; k < out->n_entities; k++)
        for (uint32_t c = 0; out->entities[k].person && c < out->entities[k].count; c++)
            fact_add(&ad, &facts, DOC_FACT_ID(DOC_FACT_PERSON, out->entities[k].id));
    out->facts = termvec_from_ids(a, facts.id, facts.n);

    free(ad.entities);
    free(ad.mentions);
    /* its blocks serve the next article (up to 4 MB kept) */
    arena_reset(&da->scratch, 64);
}

/* ---- titles ---- */

static int is_space_byte(char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

static size_t count_words(const char *s, size_t n)
{
    size_t w = 0;
    int in = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_space_byte(s[i]))
            in = 0;
        else if (!in)
            in = 1, w++;
    }
    return w;
}

/* 1 when every word of s starts with an upper-case letter or a digit
 * (small connectors allowed): "BBC News", "The Harbour Times". */
static int looks_like_name(const char *s, size_t n)
{
    size_t i = 0;
    int words = 0;
    while (i < n) {
        while (i < n && is_space_byte(s[i]))
            i++;
        if (i >= n)
            break;
        size_t j = i;
        while (j < n && !is_space_byte(s[j]))
            j++;
        uint32_t cp;
        size_t l = utf8_decode(s + i, j - i, &cp);
        int ok = l && (text_is_upper(cp) || text_is_digit(cp));
        if (!ok) {
            static const char *const small[] = {"of", "the", "and", "de", "la", "del", "&", "on", "for", NULL};
            int smallword = 0;
            for (int k = 0; small[k]; k++)
                if (strlen(small[k]) == j - i && memcmp(small[k], s + i, j - i) == 0)
                    smallword = 1;
            if (!smallword || words == 0)
                return 0;
        }
        words++;
        i = j;
    }
    return words > 0;
}

static int fold_equal(const char *a, size_t an, const char *b, size_t bn)
{
    Buf fa = {0}, fb = {0};
    text_fold(&fa, a, an);
    text_fold(&fb, b, bn);
    int eq = fa.len == fb.len && memcmp(buf_cstr(&fa), buf_cstr(&fb), fa.len) == 0;
    buf_free(&fa);
    buf_free(&fb);
    return eq;
}

const char *doc_clean_title(Arena *a, const char *title, const char *outlet)
{
    if (!title)
        return arena_strdup(a, "");
    char *t = text_clean_line(a, title, strlen(title));
    size_t n = strlen(t);
    static const char *const seps[] = {" - ", " | ", " \xE2\x80\x94 ", " \xE2\x80\x93 ", " :: ",
                                       " \xC2\xB7 ", " \xE2\x80\xA2 ", NULL};
    for (int round = 0; round < 2; round++) {
        /* the last separator in the title */
        size_t best = 0, best_len = 0;
        for (int k = 0; seps[k]; k++) {
            size_t sl = strlen(seps[k]);
            for (size_t i = 1; i + sl <= n; i++) /* every separator starts with a space */
                if (t[i] == ' ' && t[i + 1] == seps[k][1] && memcmp(t + i, seps[k], sl) == 0 && i > best)
                    best = i, best_len = sl;
        }
        if (best == 0)
            break;
        const char *tail = t + best + best_len;
        size_t tail_n = n - best - best_len;
        while (tail_n > 0 && is_space_byte(*tail))
            tail++, tail_n--;
        int drop = 0;
        if (outlet && *outlet && fold_equal(tail, tail_n, outlet, strlen(outlet)))
            drop = 1;
        else if (tail_n > 0 && count_words(tail, tail_n) <= 4 && looks_like_name(tail, tail_n) &&
                 count_words(t, best) >= 4)
            drop = 1;
        if (!drop)
            break;
        n = best;
        while (n > 0 && is_space_byte(t[n - 1]))
            n--;
        t[n] = '\0';
    }
    return t;
}

/* ---- vectors ---- */

double termvec_dot(const TermVec *a, const TermVec *b)
{
    double s = 0;
    uint32_t i = 0, j = 0;
    while (i < a->n && j < b->n) {
        if (a->terms[i].id == b->terms[j].id)
            s += (double)a->terms[i++].weight * b->terms[j++].weight;
        else if (a->terms[i].id < b->terms[j].id)
            i++;
        else
            j++;
    }
    return s;
}

double termvec_norm(const TermVec *v)
{
    double s = 0;
    for (uint32_t i = 0; i < v->n; i++)
        s += (double)v->terms[i].weight * v->terms[i].weight;
    return sqrt(s);
}

double termvec_cosine(const TermVec *a, const TermVec *b)
{
    double na = termvec_norm(a), nb = termvec_norm(b);
    if (na == 0 || nb == 0)
        return 0;
    return termvec_dot(a, b) / (na * nb);
}
