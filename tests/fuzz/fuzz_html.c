/* fuzz_html.c - libFuzzer target: HTML bodies to text. */
#include <stddef.h>
#include <stdint.h>

#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Arena a = {0};
    ingest_html_to_text(&a, (const char *)data, size);
    arena_free(&a);
    return 0;
}
