/* fuzz_jsonl.c - libFuzzer target: one JSONL line through the JSON parser
 * and the article reader, then the article back out as JSON. */
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Arena a = {0};
    Article art;
    SwErr err;
    if (ingest_jsonl_line(&a, (const char *)data, size, &art, &err) == 0) {
        Buf b = {0};
        ingest_article_to_json(&art, &b);
        buf_free(&b);
    }
    arena_free(&a);
    return 0;
}
