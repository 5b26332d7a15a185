/* fuzz_feed.c - libFuzzer target: any bytes through feed_parse (both the
 * XML and JSON readers, every encoding path), with and without a base URL
 * and an HTTP charset, then each item mapped to an Article and the feed
 * written as JSON; also feed discovery over the same bytes as HTML. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/buf.h"
#include "feeds/feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    Feed f;
    SwErr err;
    /* the first byte picks the context the feed is read in */
    static const char *const charsets[] = {NULL, "utf-8", "iso-8859-1", "utf-16", "shift_jis", "bogus"};
    const char *charset = size ? charsets[data[0] % 6] : NULL;
    const char *base = size && (data[0] & 0x80) ? "https://feeds.example/a/b/feed.xml?x=1" : NULL;
    if (feed_parse(s, size, base, charset, &f, &err) == 0) {
        Buf b = {0};
        feed_to_json(&f, &b);
        for (size_t i = 0; i < f.nitems; i++) {
            Article a;
            if (feed_item_article(&f, &f.items[i], &a) == 0 && !a.text && !a.title)
                __builtin_trap(); /* the contract: 0 means it has one of them */
            if (!f.items[i].id || !*f.items[i].id)
                __builtin_trap(); /* every item has an id */
        }
        buf_free(&b);
    }
    feed_free(&f);
    (void)feed_sniff(s, size);
    char **urls;
    size_t n;
    if (feed_discover(s, size, base, &urls, &n, &err) == 0)
        feed_urls_free(urls, n);
    return 0;
}
