/* fuzz_extract.c - libFuzzer target: the article extractor on arbitrary
 * bytes (charset detection, the SAX tree, metadata, JSON-LD, scoring).
 * The first byte picks an HTTP charset label so that the declared-charset
 * paths are reached too. */
#include <stddef.h>
#include <stdint.h>

#include "extract/extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const charsets[] = {NULL, "utf-8", "windows-1252", "iso-8859-1", "shift_jis",
                                           "utf-16", "x-no-such-charset", "koi8-r"};
    const char *cs = NULL;
    if (size > 0) {
        cs = charsets[data[0] % 8];
        data++;
        size--;
    }
    Extracted x;
    SwErr err;
    if (extract_html((const char *)data, size, "https://example.org/a/b.html", cs, &x, &err) == 0)
        extracted_free(&x);
    return 0;
}
