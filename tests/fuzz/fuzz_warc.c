/* fuzz_warc.c - libFuzzer target: the WARC reader and HTTP payload decoding.
 *
 * The input is read as a whole archive (plain or gzip, chosen by content)
 * with a small record limit, so that oversized records, bad lengths,
 * corrupt members and resynchronisation are all reached; every response
 * record's HTTP message is parsed and its payload decoded. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ingest/warc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    WarcReader *r = warc_open_mem("fuzz.warc", data, size, 8192);
    WarcRecord rec;
    SwErr err;
    Buf payload = {0};
    int rc;
    while ((rc = warc_next(r, &rec, &err)) != WARC_END && rc >= 0) {
        if (rc != WARC_RECORD)
            continue;
        (void)warc_field(&rec, "WARC-Payload-Digest");
        WarcHttp h;
        if (warc_http_parse(rec.block, rec.block_len, &h, &err) == 0 &&
            warc_http_payload(&h, 1u << 20, &payload, &err) == 0)
            (void)warc_http_is_html(&h, buf_cstr(&payload), payload.len);
    }
    buf_free(&payload);
    warc_close(r);
    return 0;
}
