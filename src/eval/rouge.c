/* rouge.c - ROUGE-N, ROUGE-L and ROUGE-S/SU as ROUGE-1.5.5.pl computes
 * them (see rouge.h for what is reproduced).
 *
 * The Perl program's quirks are kept on purpose, because the point is to
 * give the same numbers: the word limit counts raw whitespace-separated
 * words before punctuation is removed; the byte limit for ROUGE-L's
 * per-sentence text never accumulates (each sentence is checked alone);
 * ROUGE-SU's unigram extension leaves out the last token; ROUGE-L's hits
 * are clipped by the unigram counts of the (limited) texts. Tokens are
 * interned to small ids per evaluation so the LCS tables compare ints. */
#include "rouge.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/arena.h"
#include "../core/buf.h"
#include "../core/fileio.h"
#include "../core/map.h"

struct Rouge {
    RougeOptions o;
    StrMap stop;  /* val.num = 1 */
    StrMap exc;   /* val.ptr = heap copy of the base form */
    char *stem_out;
    size_t stem_cap;
};

void rouge_options_default(RougeOptions *o)
{
    memset(o, 0, sizeof *o);
    o->max_n = 2;
    o->stem = 1;
    o->skip = 1;
    o->skip_distance = 4;
    o->skip_unigrams = 1;
    o->alpha = 0.5;
}

Rouge *rouge_new(const RougeOptions *o)
{
    Rouge *r = xcalloc(1, sizeof *r);
    r->o = *o;
    if (r->o.max_n < 1)
        r->o.max_n = 1;
    if (r->o.max_n > ROUGE_MAX_N)
        r->o.max_n = ROUGE_MAX_N;
    for (size_t i = 0; i < rouge_smart_stopwords_n; i++)
        strmap_put(&r->stop, rouge_smart_stopwords[i], strlen(rouge_smart_stopwords[i]), NULL)->val.num = 1;
    return r;
}

void rouge_free(Rouge *r)
{
    if (!r)
        return;
    strmap_free(&r->stop);
    STRMAP_FOREACH(&r->exc, e)
    free(e->val.ptr);
    strmap_free(&r->exc);
    free(r->stem_out);
    free(r);
}

void rouge_set_limits(Rouge *r, size_t word_limit, size_t byte_limit)
{
    r->o.word_limit = word_limit;
    r->o.byte_limit = byte_limit;
}

void rouge_add_exception(Rouge *r, const char *word, const char *base)
{
    int created = 0;
    StrMapEntry *e = strmap_put(&r->exc, word, strlen(word), &created);
    if (created)
        e->val.ptr = xstrdup(base);
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

int rouge_load_exceptions(Rouge *r, const char *path, SwErr *err)
{
    LineReader *lr = lines_open(path, err);
    if (!lr)
        return -1;
    Buf line = {0};
    int rc;
    while ((rc = lines_next(lr, &line, err)) > 0) {
        /* "word<TAB>base" or "word base [base2 ...]": the first two fields */
        const char *s = buf_cstr(&line), *f[2] = {0};
        size_t fl[2] = {0}, k = 0;
        while (*s && k < 2) {
            while (*s && is_space(*s))
                s++;
            if (!*s)
                break;
            f[k] = s;
            while (*s && !is_space(*s))
                s++;
            fl[k] = (size_t)(s - f[k]);
            k++;
        }
        if (k < 2)
            continue;
        char *w = xstrndup(f[0], fl[0]), *b = xstrndup(f[1], fl[1]);
        for (char *p = w; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
        rouge_add_exception(r, w, b);
        free(w);
        free(b);
    }
    buf_free(&line);
    lines_close(lr);
    return rc < 0 ? -1 : 0;
}

int rouge_load_stopwords(Rouge *r, const char *path, SwErr *err)
{
    LineReader *lr = lines_open(path, err);
    if (!lr)
        return -1;
    StrMap fresh = {0};
    Buf line = {0};
    int rc;
    while ((rc = lines_next(lr, &line, err)) > 0) {
        const char *s = buf_cstr(&line);
        size_t n = strlen(s);
        while (n > 0 && is_space(s[n - 1]))
            n--;
        if (n > 0)
            strmap_put(&fresh, s, n, NULL)->val.num = 1;
    }
    buf_free(&line);
    lines_close(lr);
    if (rc < 0) {
        strmap_free(&fresh);
        return -1;
    }
    strmap_free(&r->stop);
    r->stop = fresh;
    return 0;
}


/* ---- ROUGE's Porter stemmer ----
 *
 * ROUGE-1.5.5 stems with Martin Porter's Perl version of his algorithm,
 * which departs from the 1980 paper ("bli" -> "ble" and "logi" -> "log"
 * in step 2) and was changed by ROUGE's author in step 4 (-ement is
 * tried before, and -ment and -ent after, the other suffixes). libstemmer's
 * "porter" follows the paper, so the Perl version's tests are written out
 * here: its regular expressions over consonant (C) and vowel (V) runs. */

typedef struct RxEl {
    const char *set; /* characters of the class */
    int neg;         /* class is everything but set */
    int star;        /* 0 = exactly once, 1 = any number */
} RxEl;

static int rx_in(const RxEl *e, char ch)
{
    int in = ch && strchr(e->set, ch) != NULL;
    return e->neg ? !in : in;
}

/* Backtracking match of p[0..np) at s; anchored at the end when `end`. */
static int rx_match(const char *s, const RxEl *p, int np, int end)
{
    if (np == 0)
        return !end || *s == '\0';
    if (!p->star)
        return *s && rx_in(p, *s) && rx_match(s + 1, p + 1, np - 1, end);
    size_t k = 0;
    while (s[k] && rx_in(p, s[k]))
        k++;
    for (;; k--) {
        if (rx_match(s + k, p + 1, np - 1, end))
            return 1;
        if (k == 0)
            return 0;
    }
}

#define RX_C {"aeiou", 1, 0}, {"aeiouy", 1, 1}
#define RX_V {"aeiouy", 0, 0}, {"aeiou", 0, 1}

/* ^(C)?VC : m > 0 */
static int m_gt0(const char *s)
{
    static const RxEl a[] = {RX_C, RX_V, RX_C}, b[] = {RX_V, RX_C};
    return rx_match(s, a, 6, 0) || rx_match(s, b, 4, 0);
}

/* ^(C)?VCVC : m > 1 */
static int m_gt1(const char *s)
{
    static const RxEl a[] = {RX_C, RX_V, RX_C, RX_V, RX_C}, b[] = {RX_V, RX_C, RX_V, RX_C};
    return rx_match(s, a, 10, 0) || rx_match(s, b, 8, 0);
}

/* ^(C)?VC(V)?$ : m = 1 */
static int m_eq1(const char *s)
{
    static const RxEl a[] = {RX_C, RX_V, RX_C, RX_V}, b[] = {RX_V, RX_C, RX_V};
    return rx_match(s, a, 6, 1) || rx_match(s, a, 8, 1) || rx_match(s, b, 4, 1) || rx_match(s, b, 6, 1);
}

/* ^(C)?v : a vowel in the stem */
static int has_vowel(const char *s)
{
    static const RxEl a[] = {RX_C, {"aeiouy", 0, 0}}, b[] = {{"aeiouy", 0, 0}};
    return rx_match(s, a, 3, 0) || rx_match(s, b, 1, 0);
}

/* ^Cv[^aeiouwxy]$ */
static int cvc(const char *s)
{
    static const RxEl a[] = {RX_C, {"aeiouy", 0, 0}, {"aeiouwxy", 1, 0}};
    return rx_match(s, a, 4, 1);
}

static int ends(const char *w, size_t n, const char *suf)
{
    size_t k = strlen(suf);
    return n >= k && memcmp(w + n - k, suf, k) == 0;
}

/* The longest suffix of w in list (list[i][0]), or -1. */
static int longest_suffix(const char *w, size_t n, const char *const (*list)[2], size_t nl)
{
    int best = -1;
    size_t best_len = 0;
    for (size_t i = 0; i < nl; i++) {
        size_t k = strlen(list[i][0]);
        if (k > best_len && ends(w, n, list[i][0]))
            best = (int)i, best_len = k;
    }
    return best;
}

/* Replaces the last `cut` bytes of w (length *n) by rep. */
static void replace_end(char *w, size_t *n, size_t cut, const char *rep)
{
    *n -= cut;
    strcpy(w + *n, rep);
    *n += strlen(rep);
}

/* Tries stem + replacement when the stem passes test. */
static void try_suffix(char *w, size_t *n, size_t cut, const char *rep, int (*test)(const char *))
{
    char save = w[*n - cut];
    w[*n - cut] = '\0';
    int ok = test(w);
    w[*n - cut] = save;
    if (ok)
        replace_end(w, n, cut, rep);
}

static const char *const step2[][2] = {
    {"ational", "ate"}, {"tional", "tion"}, {"enci", "ence"}, {"anci", "ance"}, {"izer", "ize"},
    {"bli", "ble"}, {"alli", "al"}, {"entli", "ent"}, {"eli", "e"}, {"ousli", "ous"},
    {"ization", "ize"}, {"ation", "ate"}, {"ator", "ate"}, {"alism", "al"}, {"iveness", "ive"},
    {"fulness", "ful"}, {"ousness", "ous"}, {"aliti", "al"}, {"iviti", "ive"}, {"biliti", "ble"},
    {"logi", "log"},
};
static const char *const step3[][2] = {
    {"icate", "ic"}, {"ative", ""}, {"alize", "al"}, {"iciti", "ic"}, {"ical", "ic"}, {"ful", ""}, {"ness", ""},
};
static const char *const step4[][2] = {
    {"al", ""}, {"ance", ""}, {"ence", ""}, {"er", ""}, {"ic", ""}, {"able", ""}, {"ible", ""}, {"ant", ""},
    {"ement", ""}, {"ou", ""}, {"ism", ""}, {"ate", ""}, {"iti", ""}, {"ous", ""}, {"ive", ""}, {"ize", ""},
};

/* Stems w in place (w has room for 2 more bytes); returns its length. */
static size_t porter_rouge(char *w, size_t n)
{
    if (n < 3)
        return n;
    int first_y = w[0] == 'y';
    if (first_y)
        w[0] = 'Y';
    /* step 1a */
    if (ends(w, n, "sses") || ends(w, n, "ies"))
        replace_end(w, &n, 2, "");
    else if (n >= 2 && w[n - 1] == 's' && w[n - 2] != 's')
        replace_end(w, &n, 1, "");
    /* step 1b */
    if (ends(w, n, "eed")) {
        /* "eed" -> "ee" when the stem before "eed" has m > 0 */
        char save = w[n - 3];
        w[n - 3] = '\0';
        int ok = m_gt0(w);
        w[n - 3] = save;
        if (ok)
            replace_end(w, &n, 1, "");
    } else if (ends(w, n, "ed") || ends(w, n, "ing")) {
        size_t cut = ends(w, n, "ed") ? 2 : 3;
        char save = w[n - cut];
        w[n - cut] = '\0';
        if (has_vowel(w)) {
            n -= cut;
            if (ends(w, n, "at") || ends(w, n, "bl") || ends(w, n, "iz"))
                replace_end(w, &n, 0, "e");
            else if (n >= 2 && w[n - 1] == w[n - 2] && !strchr("aeiouylsz", w[n - 1]))
                replace_end(w, &n, 1, "");
            else if (cvc(w))
                replace_end(w, &n, 0, "e");
        } else {
            w[n - cut] = save;
        }
    }
    /* step 1c */
    if (n > 0 && w[n - 1] == 'y') {
        w[n - 1] = '\0';
        int v = has_vowel(w);
        w[n - 1] = v ? 'i' : 'y';
    }
    int k;
    if ((k = longest_suffix(w, n, step2, sizeof step2 / sizeof *step2)) >= 0)
        try_suffix(w, &n, strlen(step2[k][0]), step2[k][1], m_gt0);
    if ((k = longest_suffix(w, n, step3, sizeof step3 / sizeof *step3)) >= 0)
        try_suffix(w, &n, strlen(step3[k][0]), step3[k][1], m_gt0);
    /* step 4, as modified in ROUGE */
    if ((k = longest_suffix(w, n, step4, sizeof step4 / sizeof *step4)) >= 0)
        try_suffix(w, &n, strlen(step4[k][0]), "", m_gt1);
    if (ends(w, n, "ment"))
        try_suffix(w, &n, 4, "", m_gt1);
    if (ends(w, n, "ent"))
        try_suffix(w, &n, 3, "", m_gt1);
    else if (ends(w, n, "sion") || ends(w, n, "tion"))
        try_suffix(w, &n, 3, "", m_gt1);
    /* step 5 */
    if (n > 0 && w[n - 1] == 'e') {
        w[n - 1] = '\0';
        int drop = m_gt1(w) || (m_eq1(w) && !cvc(w));
        w[n - 1] = 'e';
        if (drop)
            replace_end(w, &n, 1, "");
    }
    if (ends(w, n, "ll") && m_gt1(w))
        replace_end(w, &n, 1, "");
    if (first_y)
        w[0] = 'y';
    return n;
}

const char *rouge_stem(Rouge *r, const char *token)
{
    size_t n = strlen(token);
    if (n <= 3)
        return token;
    StrMapEntry *e = strmap_get(&r->exc, token, n);
    if (e)
        return e->val.ptr;
    if (n + 3 > r->stem_cap) {
        r->stem_cap = n + 32;
        r->stem_out = xrealloc(r->stem_out, r->stem_cap);
    }
    memcpy(r->stem_out, token, n + 1);
    porter_rouge(r->stem_out, n);
    return r->stem_out;
}

/* ---- reading a summary (ROUGE's readText / readText_LCS) ---- */

/* ASCII lower case copy (Perl's tr/A-Z/a-z/). */
static char *lower_copy(Arena *a, const char *s, size_t n)
{
    char *o = arena_strndup(a, s, n);
    for (size_t i = 0; i < n; i++)
        if (o[i] >= 'A' && o[i] <= 'Z')
            o[i] = (char)(o[i] - 'A' + 'a');
    return o;
}

/* Perl's split(/\s+/, s): the fields, with an empty first field when s
 * opens with whitespace, none when s is all whitespace. */
static size_t ws_fields(Arena *a, const char *s, const char ***out)
{
    size_t n = strlen(s), runs = 0;
    for (size_t i = 0; i < n; i++)
        if (!is_space(s[i]) && (i == 0 || is_space(s[i - 1])))
            runs++;
    if (runs == 0) {
        *out = NULL;
        return 0;
    }
    int lead = is_space(s[0]);
    const char **f = ARENA_ARRAY(a, const char *, runs + 1);
    size_t k = 0;
    if (lead)
        f[k++] = "";
    for (size_t i = 0; i < n;) {
        while (i < n && is_space(s[i]))
            i++;
        if (i >= n)
            break;
        size_t st = i;
        while (i < n && !is_space(s[i]))
            i++;
        f[k++] = arena_strndup(a, s + st, i - st);
    }
    *out = f;
    return k;
}

/* join(" ", first k fields); fields past the end are empty, as in Perl. */
static void join_first(Buf *b, const char **f, size_t nf, size_t k)
{
    for (size_t i = 0; i < k; i++) {
        if (i)
            buf_putc(b, ' ');
        if (i < nf)
            buf_puts(b, f[i]);
    }
}

/* The non-empty units, lower-cased (ROUGE reads only non-empty lines). */
static size_t units_of(Arena *a, const RougeText *t, char ***out)
{
    char **u = ARENA_ARRAY(a, char *, t->n ? t->n : 1);
    size_t k = 0;
    for (size_t i = 0; i < t->n; i++)
        if (t->units[i] && t->units[i][0])
            u[k++] = lower_copy(a, t->units[i], strlen(t->units[i]));
    *out = u;
    return k;
}

/* readText: the whole summary as one string under the limits; NULL when
 * nothing was read. */
static char *read_text(Arena *a, const RougeOptions *o, const RougeText *t)
{
    char **u;
    size_t n = units_of(a, t, &u);
    Buf b = {0};
    int defined = 0;
    if (o->word_limit == 0 && o->byte_limit == 0) {
        for (size_t i = 0; i < n; i++) {
            if (i)
                buf_putc(&b, ' ');
            buf_puts(&b, u[i]);
        }
        defined = 1;
    } else if (o->word_limit) {
        size_t len = 0;
        for (size_t i = 0; i < n; i++) {
            const char **f;
            size_t nf = ws_fields(a, u[i], &f);
            if (len + nf < o->word_limit) {
                if (len != 0)
                    buf_putc(&b, ' ');
                buf_puts(&b, u[i]);
                len += nf;
            } else {
                if (len > 0)
                    buf_putc(&b, ' ');
                join_first(&b, f, nf, o->word_limit - len);
                break;
            }
        }
        defined = b.len > 0;
    } else {
        size_t len = 0;
        for (size_t i = 0; i < n; i++) {
            size_t sl = strlen(u[i]);
            if (len + sl < o->byte_limit) {
                if (len != 0)
                    buf_putc(&b, ' ');
                buf_puts(&b, u[i]);
                len += sl;
            } else {
                if (len > 0)
                    buf_putc(&b, ' ');
                buf_append(&b, u[i], o->byte_limit - len);
                break;
            }
        }
        defined = b.len > 0;
    }
    char *s = defined ? arena_strndup(a, buf_cstr(&b), b.len) : NULL;
    buf_free(&b);
    return s;
}

/* readText_LCS: the units under the limits (the byte limit applies to
 * each unit alone, as in ROUGE-1.5.5). */
static size_t read_text_lcs(Arena *a, const RougeOptions *o, const RougeText *t, char ***out)
{
    char **u;
    size_t n = units_of(a, t, &u);
    if (o->word_limit == 0 && o->byte_limit == 0) {
        *out = u;
        return n;
    }
    char **r = ARENA_ARRAY(a, char *, n ? n : 1);
    size_t k = 0;
    if (o->word_limit) {
        size_t len = 0;
        for (size_t i = 0; i < n; i++) {
            const char **f;
            size_t nf = ws_fields(a, u[i], &f);
            if (len + nf < o->word_limit) {
                len += nf;
                r[k++] = u[i];
            } else {
                Buf b = {0};
                join_first(&b, f, nf, o->word_limit - len);
                r[k++] = arena_strndup(a, buf_cstr(&b), b.len);
                buf_free(&b);
                break;
            }
        }
    } else {
        for (size_t i = 0; i < n; i++) {
            size_t sl = strlen(u[i]);
            if (sl < o->byte_limit) {
                r[k++] = u[i];
            } else {
                r[k++] = arena_strndup(a, u[i], o->byte_limit);
                break;
            }
        }
    }
    *out = r;
    return k;
}

/* ---- tokens ---- */

typedef struct Toks {
    uint32_t *id;
    size_t n;
} Toks;

typedef struct Vocab {
    StrMap ids;   /* token -> id */
    char **words; /* id -> token (map-owned keys) */
    size_t n, cap;
} Vocab;

static uint32_t vocab_id(Vocab *v, const char *w)
{
    int created = 0;
    StrMapEntry *e = strmap_put(&v->ids, w, strlen(w), &created);
    if (created) {
        if (v->n == v->cap) {
            v->cap = v->cap ? v->cap * 2 : 256;
            v->words = xrealloc(v->words, v->cap * sizeof *v->words);
        }
        e->val.num = (int64_t)v->n;
        v->words[v->n++] = e->key;
    }
    return (uint32_t)e->val.num;
}

/* Normalises text (ROUGE: '-' -> " - ", anything not [A-Za-z0-9-] ->
 * space), splits it and keeps what createNGram keeps: no stop words (-s),
 * only tokens opening with [a-z0-9], stemmed (-m). */
static Toks tokenize(Rouge *r, Arena *a, Vocab *v, const char *text)
{
    Toks t = {0};
    if (!text)
        return t;
    size_t n = strlen(text);
    t.id = ARENA_ARRAY(a, uint32_t, n / 2 + 2);
    char *word = ARENA_ARRAY(a, char, n + 1);
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)text[i];
        int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (c == '-') {
            /* a token of its own, which never opens with [a-z0-9]: it can
             * only matter as a stop word, and "-" is none */
            i++;
            continue;
        }
        if (!alnum) {
            i++;
            continue;
        }
        size_t k = 0;
        while (i < n) {
            c = (unsigned char)text[i];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
                break;
            word[k++] = (char)((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
            i++;
        }
        word[k] = '\0';
        if (r->o.remove_stopwords && strmap_get(&r->stop, word, k))
            continue;
        const char *w = r->o.stem ? rouge_stem(r, word) : word;
        t.id[t.n++] = vocab_id(v, w);
    }
    return t;
}

/* ---- counting ---- */

static double round5(double x)
{
    char s[64];
    snprintf(s, sizeof s, "%.5f", x);
    return strtod(s, NULL);
}

static RougePRF prf(double hit, double count, double peer_count, double alpha)
{
    RougePRF o;
    o.r = count != 0 ? round5(hit / count) : 0;
    o.p = peer_count != 0 ? round5(hit / peer_count) : 0;
    double d = (1 - alpha) * o.p + alpha * o.r;
    o.f = d > 0 ? round5(o.p * o.r / d) : 0;
    return o;
}

/* Gram counts keyed by the ids' bytes. */
static void count_grams(StrMap *m, const uint32_t *ids, size_t k, size_t *count)
{
    strmap_put(m, (const char *)ids, k * sizeof *ids, NULL)->val.num++;
    (*count)++;
}

static size_t ngrams(StrMap *m, const Toks *t, int n)
{
    size_t count = 0;
    for (size_t i = 0; i + (size_t)n <= t->n; i++)
        count_grams(m, t->id + i, (size_t)n, &count);
    return count;
}

static size_t skip_bigrams(StrMap *m, const Toks *t, int dist, int unigrams)
{
    size_t count = 0;
    /* as in ROUGE-1.5.5: i stops before the last token, so with -u the
     * last token's unigram is not counted */
    for (size_t i = 0; i + 1 < t->n; i++) {
        if (unigrams) {
            /* a unigram key is 4 bytes, a pair 8: they never collide */
            count_grams(m, t->id + i, 1, &count);
        }
        for (size_t j = i + 1; j < t->n && (dist < 0 || j <= i + (size_t)dist + 1); j++) {
            uint32_t pair[2] = {t->id[i], t->id[j]};
            count_grams(m, pair, 2, &count);
        }
    }
    return count;
}

static double hits(const StrMap *model, const StrMap *peer)
{
    double h = 0;
    STRMAP_FOREACH(model, e)
    {
        StrMapEntry *p = strmap_get(peer, e->key, e->key_len);
        if (p)
            h += (double)(p->val.num < e->val.num ? p->val.num : e->val.num);
    }
    return h;
}

typedef struct Tally {
    double hit, count, peer_count, best;
    int any;
} Tally;

/* Pools one reference's numbers (-f A) or keeps the best reference's. */
static void tally_add(Tally *t, const RougeOptions *o, double hit, double count, double peer_count,
                      double score)
{
    if (o->best_model) {
        if (!t->any || score > t->best) {
            t->best = score;
            t->hit = hit, t->count = count, t->peer_count = peer_count;
        }
    } else {
        t->hit += hit, t->count += count, t->peer_count += peer_count;
    }
    t->any = 1;
}

/* Marks in mask the model positions of one LCS of model and peer, with
 * ROUGE's tie-breaking (prefer "up" when the two neighbours tie). */
static void lcs_mark(const Toks *m, const Toks *p, unsigned char *mask)
{
    if (m->n == 0)
        return;
    size_t rows = m->n + 1, cols = p->n + 1;
    uint32_t *c = xcalloc(rows * cols, sizeof *c);
    unsigned char *b = xcalloc(rows * cols, 1);
    for (size_t i = 1; i < rows; i++)
        for (size_t j = 1; j < cols; j++) {
            if (m->id[i - 1] == p->id[j - 1]) {
                c[i * cols + j] = c[(i - 1) * cols + j - 1] + 1;
                b[i * cols + j] = 'd';
            } else if (c[(i - 1) * cols + j] >= c[i * cols + j - 1]) {
                c[i * cols + j] = c[(i - 1) * cols + j];
                b[i * cols + j] = 'u';
            } else {
                c[i * cols + j] = c[i * cols + j - 1];
                b[i * cols + j] = 'l';
            }
        }
    size_t i = m->n, j = p->n;
    while (i != 0 && j != 0) {
        unsigned char d = b[i * cols + j];
        if (d == 'd') {
            i--, j--;
            mask[i] = 1;
        } else if (d == 'u') {
            i--;
        } else {
            j--;
        }
    }
    free(c);
    free(b);
}

void rouge_score(Rouge *r, const RougeText *peer, const RougeText *models, size_t n_models,
                 RougeScores *out)
{
    const RougeOptions *o = &r->o;
    memset(out, 0, sizeof *out);
    Arena a = {0};
    Vocab v = {0};

    /* peer: the whole text (N, S, unigram clipping) and its units (L) */
    Toks pt = tokenize(r, &a, &v, read_text(&a, o, peer));
    char **pu;
    size_t npu = read_text_lcs(&a, o, peer, &pu);
    Toks *pl = ARENA_ARRAY(&a, Toks, npu ? npu : 1);
    for (size_t i = 0; i < npu; i++)
        pl[i] = tokenize(r, &a, &v, pu[i]);

    Toks *mt = ARENA_ARRAY(&a, Toks, n_models ? n_models : 1);
    Toks **ml = ARENA_ARRAY(&a, Toks *, n_models ? n_models : 1);
    size_t *nml = ARENA_ARRAY(&a, size_t, n_models ? n_models : 1);
    for (size_t m = 0; m < n_models; m++) {
        mt[m] = tokenize(r, &a, &v, read_text(&a, o, &models[m]));
        char **mu;
        nml[m] = read_text_lcs(&a, o, &models[m], &mu);
        ml[m] = ARENA_ARRAY(&a, Toks, nml[m] ? nml[m] : 1);
        for (size_t i = 0; i < nml[m]; i++)
            ml[m][i] = tokenize(r, &a, &v, mu[i]);
    }

    /* ROUGE-N */
    for (int n = 1; n <= o->max_n; n++) {
        StrMap pg = {0};
        size_t pc = ngrams(&pg, &pt, n);
        Tally t = {0};
        for (size_t m = 0; m < n_models; m++) {
            StrMap mg = {0};
            size_t mc = ngrams(&mg, &mt[m], n);
            double h = hits(&mg, &pg);
            tally_add(&t, o, h, (double)mc, (double)pc, mc ? round5(h / (double)mc) : 0);
            strmap_free(&mg);
        }
        out->n[n - 1] = prf(t.hit, t.count, t.peer_count, o->alpha);
        strmap_free(&pg);
    }

    /* ROUGE-S / SU */
    if (o->skip) {
        StrMap pg = {0};
        size_t pc = skip_bigrams(&pg, &pt, o->skip_distance, o->skip_unigrams);
        Tally t = {0};
        for (size_t m = 0; m < n_models; m++) {
            StrMap mg = {0};
            size_t mc = skip_bigrams(&mg, &mt[m], o->skip_distance, o->skip_unigrams);
            double h = hits(&mg, &pg);
            tally_add(&t, o, h, (double)mc, (double)pc, mc ? round5(h / (double)mc) : 0);
            strmap_free(&mg);
        }
        out->s = prf(t.hit, t.count, t.peer_count, o->alpha);
        strmap_free(&pg);
    }

    /* ROUGE-L: for each reference unit the union of its LCS with every
     * peer unit; a hit counts only while the word is left in both texts'
     * unigram counts, so no word is credited twice */
    {
        size_t nv = v.n ? v.n : 1;
        int64_t *peer_cnt = ARENA_ARRAY(&a, int64_t, nv);
        int64_t *pc_left = ARENA_ARRAY(&a, int64_t, nv);
        int64_t *mc_left = ARENA_ARRAY(&a, int64_t, nv);
        for (size_t i = 0; i < pt.n; i++)
            peer_cnt[pt.id[i]]++;
        Tally t = {0};
        for (size_t m = 0; m < n_models; m++) {
            memcpy(pc_left, peer_cnt, nv * sizeof *pc_left);
            memset(mc_left, 0, nv * sizeof *mc_left);
            for (size_t i = 0; i < mt[m].n; i++)
                mc_left[mt[m].id[i]]++;
            double hit = 0, base = 0;
            for (size_t s = 0; s < nml[m]; s++) {
                const Toks *ms = &ml[m][s];
                base += (double)ms->n;
                if (ms->n == 0)
                    continue;
                unsigned char *mask = xcalloc(ms->n, 1);
                for (size_t q = 0; q < npu; q++)
                    lcs_mark(ms, &pl[q], mask);
                for (size_t j = 0; j < ms->n; j++) {
                    uint32_t w = ms->id[j];
                    if (mask[j] && mc_left[w] > 0 && pc_left[w] > 0) {
                        hit++;
                        mc_left[w]--;
                        pc_left[w]--;
                    }
                }
                free(mask);
            }
            tally_add(&t, o, hit, base, (double)pt.n, base > 0 ? hit / base : 0);
        }
        out->l = prf(t.hit, t.count, t.peer_count, o->alpha);
    }

    strmap_free(&v.ids);
    free(v.words);
    arena_free(&a);
}

/* ---- averages ---- */

static void prf_add(RougePRF *s, const RougePRF *x)
{
    s->r += x->r, s->p += x->p, s->f += x->f;
}

static void prf_div(RougePRF *s, double n)
{
    s->r /= n, s->p /= n, s->f /= n;
}

void rouge_mean_add(RougeMean *m, const RougeScores *s)
{
    for (int i = 0; i < ROUGE_MAX_N; i++)
        prf_add(&m->sum.n[i], &s->n[i]);
    prf_add(&m->sum.l, &s->l);
    prf_add(&m->sum.s, &s->s);
    m->n++;
}

void rouge_mean_get(const RougeMean *m, RougeScores *out)
{
    *out = m->sum;
    if (m->n == 0)
        return;
    for (int i = 0; i < ROUGE_MAX_N; i++)
        prf_div(&out->n[i], (double)m->n);
    prf_div(&out->l, (double)m->n);
    prf_div(&out->s, (double)m->n);
}

/* drand48: X' = (0x5DEECE66D X + 0xB) mod 2^48; srand48(s) sets X to
 * (s << 16) | 0x330E. Perl's rand on the systems ROUGE was run on. */
double rouge_bootstrap_mean(const double *v, size_t n, int resamples)
{
    if (n == 0 || resamples <= 0)
        return 0;
    const uint64_t mask = (1ULL << 48) - 1;
    double *means = xmalloc((size_t)resamples * sizeof *means);
    for (int i = 0; i < resamples; i++) {
        uint64_t x = (((uint64_t)(uint32_t)i) << 16) | 0x330EULL;
        double s = 0;
        for (size_t k = 0; k < n; k++) {
            x = (0x5DEECE66DULL * x + 0xBULL) & mask;
            double u = ldexp((double)x, -48);
            size_t idx = (size_t)(u * (double)n);
            if (idx >= n)
                idx = n - 1;
            s += v[idx];
        }
        means[i] = s / (double)n;
    }
    /* ROUGE sums the sorted sample means */
    for (int i = 1; i < resamples; i++) {
        double x = means[i];
        int j = i - 1;
        while (j >= 0 && means[j] > x) {
            means[j + 1] = means[j];
            j--;
        }
        means[j + 1] = x;
    }
    double total = 0;
    for (int i = 0; i < resamples; i++)
        total += means[i];
    free(means);
    return round5(total / resamples);
}
