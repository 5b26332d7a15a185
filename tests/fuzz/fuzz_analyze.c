/* fuzz_analyze.c - libFuzzer target: the whole analysis of an article
 * (cleaning, sentences, tokens, entities, quotes, terms, SimHash) on
 * arbitrary bytes as its body, the first line as its title. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "analyze/doc.h"
#include "text/unicode.h"

static DocAnalyzer *analyzer;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!analyzer)
        analyzer = doc_analyzer_new();
    Arena a = {0};
    const char *s = (const char *)data;
    const char *nl = memchr(s, '\n', size);
    size_t title_len = nl ? (size_t)(nl - s) : size;
    Article art = {0};
    art.title = text_clean_line(&a, s, title_len);
    art.text = text_clean(&a, s, size);
    art.lang = "en";
    Doc d;
    doc_analyze(analyzer, &a, &art, &d);
    arena_free(&a);
    return 0;
}
