/* read_driver.c - the WARC reader alone, for bench/warc/run: reads every
 * record of each archive (and, for responses, parses the HTTP message and
 * decodes the payload) without extracting articles. Prints
 * "records responses skipped file_bytes payload_bytes seconds". */
#include <stdio.h>
#include <time.h>

#include "ingest/warc.h"

int main(int argc, char **argv)
{
    unsigned long long records = 0, responses = 0, skipped = 0, bytes = 0, payload_bytes = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    Buf payload = {0};
    for (int i = 1; i < argc; i++) {
        SwErr err;
        WarcReader *r = warc_open(argv[i], 0, &err);
        if (!r) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        WarcRecord rec;
        int rc;
        while ((rc = warc_next(r, &rec, &err)) != WARC_END) {
            if (rc < 0) {
                fprintf(stderr, "%s\n", err.msg);
                return 1;
            }
            if (rc == WARC_SKIPPED) {
                skipped++;
                continue;
            }
            records++;
            WarcHttp h;
            if (rec.type[0] == 'r' && warc_http_parse(rec.block, rec.block_len, &h, &err) == 0 &&
                warc_http_payload(&h, WARC_RECORD_MAX * 4, &payload, &err) == 0) {
                responses++;
                payload_bytes += payload.len;
            }
        }
        bytes += warc_bytes_read(r);
        warc_close(r);
    }
    buf_free(&payload);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%llu %llu %llu %llu %llu %.3f\n", records, responses, skipped, bytes, payload_bytes, s);
    return 0;
}
