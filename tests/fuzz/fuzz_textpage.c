/* fuzz_textpage.c - libFuzzer target: the text page reader and kind
 * detection on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Arena a = {0};
    Article art;
    SwErr err;
    ingest_detect((const char *)data, size);
    ingest_textpage(&a, (const char *)data, size, &art, &err);
    arena_free(&a);
    return 0;
}
