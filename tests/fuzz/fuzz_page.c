/* fuzz_page.c - libFuzzer target: reading a stored page back (the JSON a
 * damaged database might hold) and rendering it in every format. */
#include <stddef.h>
#include <stdint.h>

#include "render/render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Arena a = {0};
    Page p;
    SwErr err;
    if (page_from_json(&a, (const char *)data, size, &p, &err) == 0) {
        Buf b = {0};
        render_text(&p, &b);
        buf_reset(&b);
        render_markdown(&p, &b);
        buf_reset(&b);
        render_html_page(&p, &b);
        buf_reset(&b);
        page_to_json(&p, &b);
        buf_free(&b);
    }
    arena_free(&a);
    return 0;
}
