/* langid.c - which language a text is in.
 *
 * Three sources of evidence, strongest first for the case at hand:
 *   - the script: Greek, Hebrew, Hangul, kana, Han, Thai... each belong to
 *     one language (or one we return), and Ukrainian and Russian are told
 *     apart by letters only one of them uses (і ї є ґ / ы э ъ ё);
 *   - character n-gram fingerprints (Cavnar & Trenkle; libexttextcat's
 *     .lm files, ranked by ngram_lm.c),
 *     reliable from a couple of hundred bytes on, restricted to a set of
 *     European languages so that rare ones do not steal near-ties;
 *   - a stop-word vote over the languages with lists (stopwords.h), which
 *     is what works for a title or a one-line summary.
 * Unsure means "und": a wrong tag costs more than a missing one.
 *
 * The fingerprints load lazily on first use into one read-only table
 * (under a mutex, once); classifying needs no lock. langid_shutdown frees
 * the table: it must not run while another thread detects. */
#include "langid.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "../core/bits.h"
#include "../core/buf.h"
#include "../core/utf8util.h"
#include "ngram_lm.h"
#include "stopwords.h"
#include "unicode.h"

/* Fingerprints loaded, and the code each is reported as. The first nine
 * have stop-word lists; the others are there so that their texts are
 * recognised rather than forced into one of the nine. */
static const struct {
    const char *file, *code;
} models[] = {
    {"en.lm", "en"}, {"de.lm", "de"}, {"es.lm", "es"}, {"fr.lm", "fr"}, {"it.lm", "it"},
    {"pt.lm", "pt"}, {"nl.lm", "nl"}, {"ru.lm", "ru"}, {"uk.lm", "uk"}, {"pl.lm", "pl"},
    {"sv.lm", "sv"}, {"da.lm", "da"}, {"nb.lm", "nb"}, {"fi.lm", "fi"}, {"cs.lm", "cs"},
    {"sk.lm", "sk"}, {"ro.lm", "ro"}, {"hu.lm", "hu"}, {"tr.lm", "tr"}, {"hr.lm", "hr"},
    {"bg.lm", "bg"}, {"sr-Cyrl.lm", "sr"}, {"id.lm", "id"}, {"ar.lm", "ar"}, {"fa.lm", "fa"},
};
#define N_MODELS (sizeof models / sizeof models[0])
#define N_STOP 9 /* models[0..8] have stop-word lists, in stopword_languages order */

static const char *const fingerprint_dirs[] = {
    "/usr/share/libexttextcat/",
    "/usr/local/share/libexttextcat/",
};

/* Below this many bytes n-grams are unreliable and stop words decide. */
#define SHORT_TEXT 200
/* Enough text for any decision; the rest only costs time. The n-gram
 * comparison is the costly part (about 1 ms per KB with 25 models), and a
 * thousand bytes are plenty for it. */
#define SAMPLE_MAX 2048
#define NGRAM_SAMPLE_MAX 1024

/* The longest prefix of s, at most max bytes, that ends on a character
 * boundary. */
static size_t prefix_len(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    size_t len = max;
    while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
        len--;
    return len;
}

static pthread_mutex_t classifier_lock = PTHREAD_MUTEX_INITIALIZER;
static NgramLm *_Atomic classifier;
static int classifier_tried; /* under the lock */

/* Reads the fingerprints present into one table. Called with the lock
 * held. A failure leaves classifier NULL and the stop-word vote alone
 * decides. */
static void classifier_load(void)
{
    classifier_tried = 1;
    const char *dir = NULL;
    char path[512];
    for (size_t i = 0; i < sizeof fingerprint_dirs / sizeof fingerprint_dirs[0]; i++) {
        snprintf(path, sizeof path, "%sen.lm", fingerprint_dirs[i]);
        if (access(path, R_OK) == 0) {
            dir = fingerprint_dirs[i];
            break;
        }
    }
    if (!dir)
        return;
    NgramLm *lm = ngram_lm_new();
    if (!lm)
        return;
    for (size_t i = 0; i < N_MODELS; i++) {
        snprintf(path, sizeof path, "%s%s", dir, models[i].file);
        ngram_lm_add_file(lm, models[i].code, path); /* a missing file is a language less */
    }
    if (ngram_lm_count(lm) == 0) {
        ngram_lm_free(lm);
        return;
    }
    atomic_store(&classifier, lm);
}

/* The n-gram ranking of text: fills codes[] with up to max static codes,
 * best first, and returns how many (0 when unsure or no fingerprints).
 * Only the first call takes the lock; the table is read-only after. */
static size_t classify(const char *text, size_t n, const char **codes, size_t max)
{
    NgramLm *lm = atomic_load(&classifier);
    if (!lm) {
        pthread_mutex_lock(&classifier_lock);
        if (!classifier_tried)
            classifier_load();
        lm = atomic_load(&classifier);
        pthread_mutex_unlock(&classifier_lock);
        if (!lm)
            return 0;
    }
    return ngram_lm_classify(lm, text, n, codes, max, NULL);
}

void langid_shutdown(void)
{
    pthread_mutex_lock(&classifier_lock);
    ngram_lm_free(atomic_exchange(&classifier, NULL));
    classifier_tried = 0;
    pthread_mutex_unlock(&classifier_lock);
}

/* Letter counts by script, over the sample. */
typedef struct Scripts {
    size_t letters, latin, cyrillic, greek, hebrew, arabic, hangul, kana, han, thai, devanagari,
        georgian, armenian;
    size_t uk_only, ru_only; /* і ї є ґ / ы э ъ ё, either case */
} Scripts;

#ifdef __SSE2__
/* The ASCII letters among 16 bytes, one bit each; -1 when a byte is not
 * ASCII. */
static int ascii_letters16(const char *s)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
    if (_mm_movemask_epi8(v))
        return -1;
    __m128i lv = _mm_or_si128(v, _mm_set1_epi8(0x20));
    return _mm_movemask_epi8(
        _mm_and_si128(_mm_cmpgt_epi8(lv, _mm_set1_epi8('a' - 1)), _mm_cmplt_epi8(lv, _mm_set1_epi8('z' + 1))));
}
#endif

static void count_scripts(const char *s, size_t n, Scripts *sc)
{
    memset(sc, 0, sizeof *sc);
    size_t i = 0;
    while (i < n) {
#ifdef __SSE2__
        int m;
        while (i + 16 <= n && (m = ascii_letters16(s + i)) >= 0) {
            size_t k = (size_t)bits_popcount32((uint32_t)m);
            sc->letters += k;
            sc->latin += k;
            i += 16;
        }
        if (i >= n)
            break;
#endif
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) { /* ASCII: a Latin letter or nothing */
            if ((c | 32u) - 'a' < 26u)
                sc->letters++, sc->latin++;
            i++;
            continue;
        }
        uint32_t cp;
        size_t l = utf8_decode(s + i, n - i, &cp);
        if (!l) {
            i++;
            continue;
        }
        i += l;
        if (!text_is_letter(cp))
            continue;
        sc->letters++;
        if (cp < 0x250 || (cp >= 0x1E00 && cp < 0x1F00))
            sc->latin++;
        else if (cp >= 0x400 && cp < 0x530) {
            sc->cyrillic++;
            if (cp == 0x456 || cp == 0x406 || cp == 0x457 || cp == 0x407 || cp == 0x454 ||
                cp == 0x404 || cp == 0x491 || cp == 0x490)
                sc->uk_only++;
            else if (cp == 0x44B || cp == 0x42B || cp == 0x44D || cp == 0x42D || cp == 0x44A ||
                     cp == 0x42A || cp == 0x451 || cp == 0x401)
                sc->ru_only++;
        } else if (cp >= 0x370 && cp < 0x400)
            sc->greek++;
        else if (cp >= 0x590 && cp < 0x600)
            sc->hebrew++;
        else if ((cp >= 0x600 && cp < 0x700) || (cp >= 0xFB50 && cp < 0xFE00) || (cp >= 0xFE70 && cp < 0xFF00))
            sc->arabic++;
        else if ((cp >= 0xAC00 && cp < 0xD7B0) || (cp >= 0x1100 && cp < 0x1200) || (cp >= 0x3130 && cp < 0x3190))
            sc->hangul++;
        else if (cp >= 0x3040 && cp < 0x3100)
            sc->kana++;
        else if ((cp >= 0x4E00 && cp < 0xA000) || (cp >= 0x3400 && cp < 0x4DC0))
            sc->han++;
        else if (cp >= 0xE00 && cp < 0xE80)
            sc->thai++;
        else if (cp >= 0x900 && cp < 0x980)
            sc->devanagari++;
        else if (cp >= 0x10A0 && cp < 0x1100)
            sc->georgian++;
        else if (cp >= 0x530 && cp < 0x590)
            sc->armenian++;
    }
}

/* A script that names its language outright, or NULL. */
static const char *script_language(const Scripts *sc)
{
    size_t half = sc->letters / 2;
    if (sc->kana > 0 && sc->kana + sc->han > half)
        return "ja"; /* Japanese mixes kana into its Han */
    if (sc->hangul > half)
        return "ko";
    if (sc->han > half)
        return "zh";
    if (sc->greek > half)
        return "el";
    if (sc->hebrew > half)
        return "he";
    if (sc->thai > half)
        return "th";
    if (sc->devanagari > half)
        return "hi";
    if (sc->georgian > half)
        return "ka";
    if (sc->armenian > half)
        return "hy";
    return NULL;
}

static int has_stop_list(const char *code)
{
    for (size_t i = 0; i < N_STOP; i++)
        if (code == models[i].code)
            return 1;
    return 0;
}

static size_t count_words(const char *s, size_t n)
{
    size_t words = 0, i = 0;
    int in_word = 0;
    while (i < n) {
#ifdef __SSE2__
        int m;
        while (i + 16 <= n && (m = ascii_letters16(s + i)) >= 0) {
            /* a word starts at a letter not preceded by one */
            unsigned u = (unsigned)m;
            words += (size_t)bits_popcount32(u & ~((u << 1) | (unsigned)in_word));
            in_word = (int)((u >> 15) & 1);
            i += 16;
        }
        if (i >= n)
            break;
#endif
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            int letter = (c | 32u) - 'a' < 26u;
            words += letter && !in_word;
            in_word = letter;
            i++;
            continue;
        }
        uint32_t cp;
        size_t l = utf8_decode(s + i, n - i, &cp);
        if (!l) {
            l = 1;
            cp = 0xFFFD;
        }
        int letter = text_is_letter(cp);
        words += letter && !in_word;
        in_word = letter;
        i += l;
    }
    return words;
}

static int is_one_of(const char *code, const char **codes, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (codes[i] == code)
            return 1;
    return 0;
}

/* Cyrillic text: Ukrainian and Russian letters decide when one side
 * clearly dominates (a Russian text may name "Київ"); otherwise stop
 * words, then n-grams; Russian is the fallback, since Ukrainian text of
 * any length nearly always shows one of its own letters. */
static const char *cyrillic_language(const Scripts *sc, const size_t *stops, const char **ranked,
                                     size_t nranked, size_t n)
{
    if (sc->uk_only >= 1 && sc->uk_only > 2 * sc->ru_only)
        return "uk";
    if (sc->ru_only >= 1 && sc->ru_only > 2 * sc->uk_only)
        return "ru";
    if (stops[8] > stops[7])
        return "uk";
    if (stops[7] > stops[8])
        return "ru";
    if (nranked && n >= SHORT_TEXT)
        return ranked[0];
    return sc->cyrillic >= 3 ? "ru" : "und";
}

const char *langid_detect(const char *text, size_t n)
{
    Buf folded = {0};
    const char *lang = langid_detect_buf(text, n, &folded);
    buf_free(&folded);
    return lang;
}

const char *langid_detect_buf(const char *text, size_t n, Buf *scratch)
{
    if (!text || n == 0)
        return "und";
    size_t len = prefix_len(text, n, SAMPLE_MAX);
    Scripts sc;
    count_scripts(text, len, &sc);
    if (sc.letters < 2)
        return "und";
    const char *by_script = script_language(&sc);
    if (by_script)
        return by_script;

    buf_reset(scratch);
    text_fold(scratch, text, len);
    size_t stops[N_STOP], best_stop = 0;
    stopword_count_all(scratch->data, scratch->len, stops);
    for (size_t i = 0; i < N_STOP; i++)
        if (stops[i] > best_stop)
            best_stop = stops[i];
    size_t words = count_words(scratch->data, scratch->len);

    /* A long Latin-script text where one language's function words are
     * a quarter of all words and three times any rival's needs no n-grams
     * (they cost more than everything else here together). */
    if (len >= SHORT_TEXT && sc.latin > sc.letters / 2 && best_stop >= 10 && best_stop * 4 >= words) {
        size_t second = 0, winner = 0;
        for (size_t i = 0; i < N_STOP; i++) {
            if (stops[i] == best_stop && !winner)
                winner = i + 1;
            else if (stops[i] > second)
                second = stops[i];
        }
        if (best_stop >= 3 * second)
            return models[winner - 1].code;
    }

    /* A short text's answer often cannot depend on the n-grams (below):
     * then they are not computed, which is most of the cost of short
     * texts. The rules are those applied after the ranking, read with
     * the ranking unknown. */
    if (len < SHORT_TEXT && sc.arabic <= sc.letters / 2) {
        if (sc.cyrillic > sc.letters / 2)
            return cyrillic_language(&sc, stops, NULL, 0, len); /* n-grams only from SHORT_TEXT on */
        if (best_stop == 0 && sc.letters < 40)
            return "und";
        if (best_stop > 0 && (sc.letters < 40 || best_stop * 4 >= words)) {
            size_t ntied = 0, first = 0;
            for (size_t i = 0; i < N_STOP; i++)
                if (stops[i] == best_stop && ntied++ == 0)
                    first = i;
            if (ntied == 1)
                return models[first].code;
        }
    }

    const char *ranked[8];
    size_t nranked = classify(text, prefix_len(text, len, NGRAM_SAMPLE_MAX), ranked, 8);

    if (sc.cyrillic > sc.letters / 2) {
        const char *c = cyrillic_language(&sc, stops, ranked, nranked, len);
        /* Bulgarian, Serbian: trust n-grams over the ru/uk fallback. */
        if (nranked && len >= SHORT_TEXT && ranked[0] != models[7].code && ranked[0] != models[8].code &&
            sc.uk_only == 0)
            return ranked[0];
        return c;
    }
    if (sc.arabic > sc.letters / 2)
        return nranked ? ranked[0] : "ar";

    if (len >= SHORT_TEXT && nranked) {
        /* Near-ties among the n-gram candidates go to the stop words. */
        const char *best = ranked[0];
        size_t best_count = 0;
        for (size_t r = 0; r < nranked; r++)
            for (size_t i = 0; i < N_STOP; i++)
                if (ranked[r] == models[i].code && stops[i] > best_count) {
                    best = ranked[r];
                    best_count = stops[i];
                }
        return best;
    }

    /* Short text, or n-grams unsure: the stop-word vote. But the vote only
     * knows nine languages: when the n-grams are sure of another one and
     * function words are rare (Swedish "for", "i" are English stop words
     * after folding), the n-grams win. */
    if (nranked == 1 && sc.letters >= 40 && !has_stop_list(ranked[0]) && best_stop * 4 < words)
        return ranked[0];
    if (best_stop == 0)
        return (nranked == 1 && sc.letters >= 40) ? ranked[0] : "und";
    const char *tied[N_STOP];
    size_t ntied = 0;
    for (size_t i = 0; i < N_STOP; i++)
        if (stops[i] == best_stop)
            tied[ntied++] = models[i].code;
    if (ntied == 1)
        return tied[0];
    /* A tie on words shared by several languages ("in", "a"): the n-grams
     * break it only when they are sure, or when the tie is on more than one
     * word; "Meloni incontra Zelensky a Roma" stays "und" rather than "es". */
    if (nranked && is_one_of(ranked[0], tied, ntied) && (nranked == 1 || best_stop >= 2))
        return ranked[0];
    return "und";
}
