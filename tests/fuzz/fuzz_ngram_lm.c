/* fuzz_ngram_lm.c - libFuzzer target: the input split at its first NUL
 * (or in half) into two fingerprint files, then each part, and the whole
 * input, ranked against them; and the input as text against the real
 * fingerprints when they are installed. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "text/langid.h"
#include "text/ngram_lm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    const char *nul = memchr(s, '\0', size);
    size_t cut = nul ? (size_t)(nul - s) : size / 2;
    NgramLm *lm = ngram_lm_new();
    if (!lm)
        return 0;
    ngram_lm_add(lm, "a", s, cut);
    ngram_lm_add(lm, "b", s + cut, size - cut);
    const char *codes[4];
    long scores[NGRAM_LM_MAX_LANGS];
    (void)ngram_lm_classify(lm, s, cut, codes, 4, scores);
    (void)ngram_lm_classify(lm, s + cut, size - cut, codes, 4, scores);
    (void)ngram_lm_classify(lm, s, size, codes, 4, NULL);
    ngram_lm_free(lm);
    (void)langid_detect(s, size);
    return 0;
}
