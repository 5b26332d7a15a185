/* stem.c - Snowball stemmers (libstemmer) behind ISO 639-1 codes.
 *
 * A Stemmer wraps one sb_stemmer, which keeps its result in its own buffer:
 * hence one stemmer per thread. A language libstemmer lacks (Ukrainian in
 * 2.2, Polish...) gets an identity stemmer rather than English: English
 * suffix rules on Cyrillic or Polish words would only merge unrelated
 * words. No language at all (NULL, "", "und") means English, the most
 * likely language of untagged text. */
#include "stem.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "../core/utf8util.h"

struct Stemmer {
    struct sb_stemmer *sb; /* NULL: identity */
};

/* ISO 639-1 code -> Snowball algorithm name (libstemmer 2.2). */
static const struct {
    const char *code, *name;
} algorithms[] = {
    {"ar", "arabic"},     {"ca", "catalan"},   {"da", "danish"},    {"de", "german"},
    {"el", "greek"},      {"en", "english"},   {"es", "spanish"},   {"eu", "basque"},
    {"fi", "finnish"},    {"fr", "french"},    {"ga", "irish"},     {"hi", "hindi"},
    {"hu", "hungarian"},  {"hy", "armenian"},  {"id", "indonesian"}, {"it", "italian"},
    {"lt", "lithuanian"}, {"nb", "norwegian"}, {"ne", "nepali"},    {"nl", "dutch"},
    {"nn", "norwegian"},  {"no", "norwegian"}, {"pt", "portuguese"}, {"ro", "romanian"},
    {"ru", "russian"},    {"sr", "serbian"},   {"sv", "swedish"},   {"ta", "tamil"},
    {"tr", "turkish"},    {"yi", "yiddish"},
};

/* Words longer than this are URLs, hashes or glued text: not worth
 * stemming, and they would only grow the stemmer's buffer. */
#define STEM_MAX_WORD 64

Stemmer *stemmer_new(const char *lang)
{
    Stemmer *st = xcalloc(1, sizeof *st);
    const char *name = NULL;
    if (!lang || !lang[0] || strcmp(lang, "und") == 0) {
        name = "english";
    } else {
        char code[3] = {(char)(lang[0] | 32), lang[1] ? (char)(lang[1] | 32) : 0, 0};
        for (size_t i = 0; i < sizeof algorithms / sizeof algorithms[0]; i++)
            if (strcmp(algorithms[i].code, code) == 0)
                name = algorithms[i].name;
    }
    if (name)
        st->sb = sb_stemmer_new(name, "UTF_8"); /* NULL if this build lacks it */
    return st;
}

const char *stemmer_stem(Stemmer *st, const char *word, size_t n, size_t *out_len)
{
    *out_len = n;
    if (!st || !st->sb || n == 0 || n > STEM_MAX_WORD || !utf8_valid(word, n))
        return word;
    const sb_symbol *r = sb_stemmer_stem(st->sb, (const sb_symbol *)word, (int)n);
    if (!r) /* out of memory inside libstemmer: the word itself is a fine stem */
        return word;
    *out_len = (size_t)sb_stemmer_length(st->sb);
    return (const char *)r;
}

void stemmer_free(Stemmer *st)
{
    if (!st)
        return;
    if (st->sb)
        sb_stemmer_delete(st->sb);
    free(st);
}
