/* fuzz_opml.c - libFuzzer target: any bytes through opml_parse; what it
 * reads is written back as OPML 2.0 and must read back to as many
 * outlines with the same feed URLs (the writer's escaping round-trips). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/buf.h"
#include "core/utf8util.h"
#include "feeds/feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    OpmlOutline *o;
    size_t n;
    SwErr err;
    if (opml_parse((const char *)data, size, &o, &n, &err) != 0)
        return 0;
    Buf b = {0};
    opml_write(o, n, "fuzz", &b);
    OpmlOutline *back;
    size_t nb;
    if (opml_parse(b.data, b.len, &back, &nb, &err) != 0)
        __builtin_trap();
    /* URLs that are valid UTF-8 without control characters survive exactly */
    for (size_t i = 0; i < n && i < nb; i++) {
        const char *u = o[i].xml_url;
        int clean = utf8_valid(u, strlen(u));
        for (const char *p = u; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7F)
                clean = 0;
        if (clean && strcmp(u, back[i].xml_url) != 0)
            __builtin_trap();
    }
    if (nb != n)
        __builtin_trap();
    opml_free(back, nb);
    opml_free(o, n);
    buf_free(&b);
    return 0;
}
