/* test_warc.c - the streaming WARC reader and HTTP payload decoding.
 *
 * Every fixture is built here: records are written as text, compressed
 * per record (one gzip member each) or as one stream, and damaged on
 * purpose (wrong lengths, cut files, corrupt members, garbage). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "core/buf.h"
#include "ingest/ingest.h"
#include "ingest/warc.h"
#include "test.h"

/* ---- fixtures ---- */

static void add_record(Buf *b, const char *type, const char *uri, const char *ctype, const char *block, size_t n)
{
    static int serial;
    buf_printf(b, "WARC/1.0\r\nWARC-Type: %s\r\n", type);
    if (uri)
        buf_printf(b, "WARC-Target-URI: %s\r\n", uri);
    buf_printf(b, "WARC-Date: 2026-03-04T10:20:%02dZ\r\nWARC-Record-ID: <urn:uuid:0000-%04d>\r\n", serial % 60,
               serial);
    serial++;
    if (ctype)
        buf_printf(b, "Content-Type: %s\r\n", ctype);
    buf_printf(b, "Content-Length: %zu\r\n\r\n", n);
    buf_append(b, block, n);
    buf_puts(b, "\r\n\r\n");
}

static void add_response(Buf *b, const char *uri, const char *http)
{
    add_record(b, "response", uri, "application/http; msgtype=response", http, strlen(http));
}

/* Appends data as one gzip member. */
static void gzip_member(Buf *out, const char *data, size_t n)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    size_t cap = deflateBound(&z, (uLong)n) + 64;
    buf_reserve(out, cap);
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)n;
    z.next_out = (Bytef *)out->data + out->len;
    z.avail_out = (uInt)cap;
    deflate(&z, Z_FINISH);
    out->len += cap - z.avail_out;
    deflateEnd(&z);
}

/* Splits a plain WARC at record starts and compresses each record alone;
 * offsets[i] gets the file offset of member i. Returns the member count. */
static size_t gzip_per_record(const Buf *plain, Buf *out, size_t *offsets, size_t max)
{
    size_t n = 0, start = 0;
    const char *s = plain->data;
    for (size_t i = 1; i <= plain->len; i++) {
        if (i == plain->len || (i >= 4 && memcmp(s + i - 4, "\r\n\r\n", 4) == 0 && plain->len - i >= 8 &&
                                memcmp(s + i, "WARC/1.0\r\n", 10) == 0)) {
            if (n < max)
                offsets[n] = out->len;
            gzip_member(out, s + start, i - start);
            n++;
            start = i;
        }
    }
    return n;
}

static const char page_html[] = "<html><head><title>Harbour reopens</title></head><body><p>The harbour reopened "
                                "on Tuesday after repairs.</p></body></html>";

static void http_ok(Buf *b, const char *ctype, const char *body)
{
    buf_printf(b, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %zu\r\n\r\n%s", ctype, strlen(body), body);
}

/* The four records of a typical crawl capture: warcinfo, request, response
 * (HTML), metadata. */
static void sample_archive(Buf *b)
{
    const char info[] = "software: test\r\nformat: WARC File Format 1.0\r\n";
    add_record(b, "warcinfo", NULL, "application/warc-fields", info, strlen(info));
    const char req[] = "GET /news/1 HTTP/1.1\r\nHost: example.org\r\n\r\n";
    add_record(b, "request", "http://example.org/news/1", "application/http; msgtype=request", req, strlen(req));
    Buf http = {0};
    http_ok(&http, "text/html; charset=ISO-8859-1", page_html);
    add_response(b, "http://example.org/news/1", http.data);
    buf_free(&http);
    const char meta[] = "fetchTimeMs: 120\r\n";
    add_record(b, "metadata", "http://example.org/news/1", "application/warc-fields", meta, strlen(meta));
}

/* Rewrites the Content-Length of the first record of the given type. */
static void set_length(Buf *b, const char *type, const char *value)
{
    char tag[64];
    snprintf(tag, sizeof tag, "WARC-Type: %s\r\n", type);
    const char *rec = strstr(b->data, tag);
    const char *cl = rec ? strstr(rec, "Content-Length: ") : NULL;
    if (!cl)
        return;
    const char *end = strstr(cl, "\r\n");
    Buf out = {0};
    buf_append(&out, b->data, (size_t)(cl - b->data));
    buf_printf(&out, "Content-Length: %s", value);
    buf_append(&out, end, b->len - (size_t)(end - b->data));
    buf_free(b);
    *b = out;
}

/* Reads everything; the log holds one line per result:
 * "R type uri offset" for a record, "S message" for a skip. */
static int read_all_(const char *name, const Buf *data, size_t record_max, Buf *log)
{
    WarcReader *r = warc_open_mem(name, data->data, data->len, record_max);
    WarcRecord rec;
    SwErr err;
    int rc, records = 0;
    buf_reset(log);
    while ((rc = warc_next(r, &rec, &err)) != WARC_END) {
        if (rc == WARC_RECORD) {
            records++;
            buf_printf(log, "R %s %s %llu\n", rec.type, rec.target_uri ? rec.target_uri : "-",
                       (unsigned long long)rec.offset);
        } else if (rc == WARC_SKIPPED) {
            buf_printf(log, "S %s\n", err.msg);
        } else {
            buf_printf(log, "E %s\n", err.msg);
            break;
        }
    }
    warc_close(r);
    return records;
}

static int read_all(const char *name, const Buf *data, size_t record_max, Buf *log)
{
    int n = read_all_(name, data, record_max, log);
    if (getenv("WARC_TEST_VERBOSE"))
        fprintf(stderr, "--- %s\n%s", name, buf_cstr(log));
    return n;
}

static int count_lines(const char *s, const char *prefix)
{
    int n = 0;
    size_t pl = strlen(prefix);
    for (const char *p = s; p && *p;) {
        if (strncmp(p, prefix, pl) == 0)
            n++;
        const char *nl = strchr(p, '\n');
        p = nl ? nl + 1 : NULL;
    }
    return n;
}

/* ---- plain and compressed archives ---- */

static void test_plain_records_and_fields(void)
{
    Buf b = {0};
    sample_archive(&b);
    WarcReader *r = warc_open_mem("a.warc", b.data, b.len, 0);
    WarcRecord rec;
    SwErr err;
    CHECK_INT(warc_next(r, &rec, &err), WARC_RECORD);
    CHECK_STR(rec.type, "warcinfo");
    CHECK(rec.target_uri == NULL);
    CHECK_INT(rec.offset, 0);
    CHECK_STR(rec.version, "WARC/1.0");
    CHECK_INT(warc_next(r, &rec, &err), WARC_RECORD);
    CHECK_STR(rec.type, "request");
    CHECK_INT(warc_next(r, &rec, &err), WARC_RECORD);
    CHECK_STR(rec.type, "response");
    CHECK_STR(rec.target_uri, "http://example.org/news/1");
    CHECK_STR(rec.date, "2026-03-04T10:20:02Z");
    CHECK_INT(rec.date_unix, 1772619602);
    CHECK_STR(rec.record_id, "<urn:uuid:0000-0002>");
    CHECK_STR(rec.content_type, "application/http; msgtype=response");
    CHECK(warc_field(&rec, "content-length") && atoi(warc_field(&rec, "content-length")) == (int)rec.block_len);
    CHECK(rec.block_len > 0 && memcmp(rec.block, "HTTP/1.1 200", 12) == 0);
    CHECK(strstr(rec.where, "a.warc: record at offset ") == rec.where);
    CHECK(memcmp(b.data + rec.offset, "WARC/1.0", 8) == 0);
    CHECK_INT(warc_next(r, &rec, &err), WARC_RECORD);
    CHECK_STR(rec.type, "metadata");
    CHECK_INT(warc_next(r, &rec, &err), WARC_END);
    CHECK_INT(warc_is_gzip(r), 0);
    CHECK_INT(warc_bytes_read(r), b.len);
    warc_close(r);
    buf_free(&b);
}

static void test_gzip_member_per_record(void)
{
    Buf plain = {0}, gz = {0}, log = {0};
    sample_archive(&plain);
    size_t off[8];
    size_t members = gzip_per_record(&plain, &gz, off, 8);
    CHECK_INT(members, 4);
    CHECK_INT(read_all("a.warc.gz", &gz, 0, &log), 4);
    char want[400];
    snprintf(want, sizeof want,
             "R warcinfo - 0\nR request http://example.org/news/1 %zu\nR response http://example.org/news/1 %zu\n"
             "R metadata http://example.org/news/1 %zu\n",
             off[1], off[2], off[3]);
    CHECK_STR(log.data, want);
    buf_free(&plain);
    buf_free(&gz);
    buf_free(&log);
}

static void test_whole_file_gzip_stream(void)
{
    Buf plain = {0}, gz = {0}, log = {0};
    sample_archive(&plain);
    gzip_member(&gz, plain.data, plain.len);
    CHECK_INT(read_all("a.warc.gz", &gz, 0, &log), 4);
    CHECK_INT(count_lines(log.data, "R "), 4);
    /* every record lives in the one member at offset 0 */
    CHECK_INT(count_lines(log.data, "R response http://example.org/news/1 0"), 1);
    buf_free(&plain);
    buf_free(&gz);
    buf_free(&log);
}

static void test_warc_1_1_and_bare_lf(void)
{
    Buf b = {0}, log = {0};
    buf_puts(&b, "WARC/1.1\nWARC-Type: resource\nWARC-Target-URI: <http://example.org/a>\nContent-Length: 5\n\nhello\n\n");
    buf_puts(&b, "WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: 0\r\n\r\n\r\n\r\n");
    CHECK_INT(read_all("b.warc", &b, 0, &log), 2);
    CHECK_STR(log.data, "R resource http://example.org/a 0\nR resource - 95\n");
    buf_free(&b);
    buf_free(&log);
}

static void test_continuation_lines_are_joined(void)
{
    Buf b = {0};
    buf_puts(&b, "WARC/1.0\r\nWARC-Type: resource\r\nX-Note: first\r\n  second\r\nContent-Length: 2\r\n\r\nok\r\n\r\n");
    WarcReader *r = warc_open_mem("c.warc", b.data, b.len, 0);
    WarcRecord rec;
    SwErr err;
    CHECK_INT(warc_next(r, &rec, &err), WARC_RECORD);
    CHECK_STR(warc_field(&rec, "X-Note"), "first second");
    CHECK_INT(rec.block_len, 2);
    warc_close(r);
    buf_free(&b);
}

/* ---- damage ---- */

static void test_bad_length_short_loses_one_record(void)
{
    Buf b = {0}, log = {0};
    sample_archive(&b);
    /* the request's block is 43 bytes; claim 30 */
    set_length(&b, "request", "30");
    CHECK_INT(read_all("d.warc", &b, 0, &log), 3);
    CHECK(strstr(log.data, "S d.warc: record at offset ") != NULL);
    CHECK(strstr(log.data, "bad Content-Length 30: the record does not end there; skipped") != NULL);
    CHECK(strstr(log.data, "R response http://example.org/news/1") != NULL);
    CHECK(strstr(log.data, "R metadata") != NULL);
    buf_free(&b);
    buf_free(&log);
}

static void test_bad_length_long_in_the_middle(void)
{
    Buf b = {0}, log = {0};
    sample_archive(&b);
    set_length(&b, "request", "99"); /* runs into the response */
    CHECK_INT(read_all("e.warc", &b, 0, &log), 3);
    CHECK(strstr(log.data, "bad Content-Length 99") != NULL);
    CHECK(strstr(log.data, "R response") != NULL && strstr(log.data, "R metadata") != NULL);
    /* the same past the end of the file: the later records are still found */
    set_length(&b, "request", "99999");
    CHECK_INT(read_all("e.warc", &b, 0, &log), 3);
    CHECK(strstr(log.data, "truncated: Content-Length is 99999 but the file ends after") != NULL);
    CHECK(strstr(log.data, "R response") != NULL && strstr(log.data, "R metadata") != NULL);
    buf_free(&b);
    buf_free(&log);
}

static void test_unreadable_length(void)
{
    Buf b = {0}, log = {0};
    sample_archive(&b);
    set_length(&b, "request", "4x");
    CHECK_INT(read_all("f.warc", &b, 0, &log), 3);
    CHECK(strstr(log.data, "bad Content-Length \"4x\"; skipped") != NULL);
    buf_free(&b);
    buf_free(&log);
}

static void test_truncated_last_record(void)
{
    Buf b = {0}, log = {0}, gz = {0};
    sample_archive(&b);
    size_t full = b.len;
    b.len -= 10; /* cut inside the metadata block */
    CHECK_INT(read_all("g.warc", &b, 0, &log), 3);
    CHECK(strstr(log.data, "truncated: Content-Length is 18 but the file ends after 12 bytes of the block") != NULL);
    CHECK_INT(count_lines(log.data, "S "), 1);
    /* cut inside the last gzip member */
    b.len = full;
    size_t off[8];
    gzip_per_record(&b, &gz, off, 8);
    gz.len -= 5; /* only the gzip trailer: the record is whole */
    CHECK_INT(read_all("g.warc.gz", &gz, 0, &log), 4);
    CHECK(strstr(log.data, "S g.warc.gz: truncated: the file ends inside the gzip member at offset") != NULL);
    gz.len -= 30;
    CHECK_INT(read_all("g.warc.gz", &gz, 0, &log), 3);
    char want[200];
    snprintf(want, sizeof want, "S g.warc.gz: record at offset %zu: truncated: the file ends inside the gzip member at offset %zu\n",
             off[3], off[3]);
    CHECK(strstr(log.data, want) != NULL);
    /* cut only in the final CRLF CRLF: the block is whole, the record read */
    b.len = full - 3;
    CHECK_INT(read_all("g.warc", &b, 0, &log), 4);
    CHECK_INT(count_lines(log.data, "S "), 0);
    buf_free(&b);
    buf_free(&gz);
    buf_free(&log);
}

static void test_corrupt_gzip_member_in_the_middle(void)
{
    Buf plain = {0}, gz = {0}, log = {0};
    sample_archive(&plain);
    size_t off[8];
    gzip_per_record(&plain, &gz, off, 8);
    /* ruin the deflate data of the request's member (past its 10-byte header) */
    for (size_t i = off[1] + 12; i < off[1] + 30; i++)
        gz.data[i] = (char)0xff;
    CHECK_INT(read_all("h.warc.gz", &gz, 0, &log), 3);
    char want[200];
    snprintf(want, sizeof want, "S h.warc.gz: corrupt gzip member at offset %zu (", off[1]);
    CHECK(strstr(log.data, want) != NULL);
    CHECK(strstr(log.data, "R warcinfo") && strstr(log.data, "R response") && strstr(log.data, "R metadata"));
    buf_free(&plain);
    buf_free(&gz);
    buf_free(&log);
}

static void test_corrupt_whole_file_stream_keeps_what_came_before(void)
{
    Buf plain = {0}, gz = {0}, log = {0};
    sample_archive(&plain);
    /* 200 copies (260 KB) in one gzip stream, damaged two thirds of the
     * way in: what was read before the damage was found still counts, the
     * rest of the stream is lost (a stream has no later entry point) */
    Buf many = {0};
    for (int i = 0; i < 200; i++)
        buf_append(&many, plain.data, plain.len);
    gzip_member(&gz, many.data, many.len);
    for (size_t i = gz.len * 2 / 3; i < gz.len * 2 / 3 + 16; i++)
        gz.data[i] ^= 0x5a;
    int n = read_all("s.warc.gz", &gz, 0, &log);
    CHECK(n >= 100 && n < 800);
    CHECK(strstr(log.data, "corrupt gzip member at offset 0 (") != NULL ||
          strstr(log.data, "(gzip member at offset 0)") != NULL);
    CHECK_INT(count_lines(log.data, "E "), 0);
    buf_free(&many);
    buf_free(&plain);
    buf_free(&gz);
    buf_free(&log);
}

static void test_detect_file_with_later_damage(void)
{
    char path[] = "/tmp/test_warc_detect_XXXXXX";
    int fd = mkstemp(path);
    Buf plain = {0}, gz = {0};
    sample_archive(&plain);
    size_t off[8];
    gzip_per_record(&plain, &gz, off, 8);
    for (size_t i = off[1] + 12; i < off[1] + 30; i++)
        gz.data[i] = (char)0xff;
    CHECK(write(fd, gz.data, gz.len) == (ssize_t)gz.len);
    close(fd);
    CHECK_INT(warc_file_detect(path), 1);
    fd = open(path, O_WRONLY | O_TRUNC);
    CHECK(write(fd, "<html></html>", 13) == 13);
    close(fd);
    CHECK_INT(warc_file_detect(path), 0);
    unlink(path);
    CHECK_INT(warc_file_detect("/nonexistent/x.warc"), 0);
    buf_free(&plain);
    buf_free(&gz);
}

static void test_garbage_between_records(void)
{
    Buf plain = {0}, b = {0}, log = {0}, gz = {0};
    sample_archive(&plain);
    const char *resp = strstr(plain.data, "WARC/1.0\r\nWARC-Type: response");
    size_t cut = (size_t)(resp - plain.data);
    buf_append(&b, plain.data, cut);
    buf_puts(&b, "this line is not part of any record\n");
    buf_append(&b, resp, plain.len - cut);
    CHECK_INT(read_all("i.warc", &b, 0, &log), 4);
    char want[200];
    snprintf(want, sizeof want, "S i.warc: offset %zu: 36 bytes of garbage (not a WARC record), skipped\n", cut);
    CHECK(strstr(log.data, want) != NULL);
    /* and between gzip members */
    size_t off[8];
    size_t n = gzip_per_record(&plain, &gz, off, 8);
    CHECK_INT(n, 4);
    Buf mixed = {0};
    buf_append(&mixed, gz.data, off[2]);
    buf_puts(&mixed, "GARBAGE");
    buf_append(&mixed, gz.data + off[2], gz.len - off[2]);
    CHECK_INT(read_all("i.warc.gz", &mixed, 0, &log), 4);
    snprintf(want, sizeof want, "S i.warc.gz: 7 bytes of garbage at offset %zu (not a gzip member), skipped\n", off[2]);
    CHECK(strstr(log.data, want) != NULL);
    buf_free(&mixed);
    buf_free(&plain);
    buf_free(&b);
    buf_free(&gz);
    buf_free(&log);
}

static void test_oversized_record_streamed_over(void)
{
    Buf b = {0}, log = {0};
    char *big = malloc(300000);
    memset(big, 'x', 300000);
    add_record(&b, "resource", "http://example.org/big", "text/plain", big, 300000);
    sample_archive(&b);
    CHECK_INT(read_all("j.warc", &b, 100000, &log), 4);
    CHECK(strstr(log.data, "S j.warc: record at offset 0: 300000-byte block is larger than the limit of 100000 bytes; skipped") != NULL);
    /* an oversized claim that is really a wrong length stops at the next record */
    Buf fixed = {0};
    add_record(&fixed, "resource", "http://example.org/lie", "text/plain", "short", 5);
    set_length(&fixed, "resource", "5000000");
    sample_archive(&fixed);
    CHECK_INT(read_all("k.warc", &fixed, 100000, &log), 4);
    CHECK(strstr(log.data, "bad Content-Length 5000000: another record starts inside the block; skipped") != NULL);
    free(big);
    buf_free(&fixed);
    buf_free(&b);
    buf_free(&log);
}

static void test_not_a_warc_at_all(void)
{
    Buf b = {0}, log = {0};
    buf_puts(&b, "just some text\nwith lines\n");
    CHECK_INT(read_all("l.warc", &b, 0, &log), 0);
    CHECK_STR(log.data, "S l.warc: offset 0: 26 bytes of garbage (not a WARC record), skipped\n");
    buf_free(&b);
    buf_free(&log);
}

static void test_open_from_file(void)
{
    char path[] = "/tmp/test_warc_XXXXXX";
    int fd = mkstemp(path);
    Buf plain = {0}, gz = {0};
    sample_archive(&plain);
    size_t off[8];
    gzip_per_record(&plain, &gz, off, 8);
    CHECK(write(fd, gz.data, gz.len) == (ssize_t)gz.len);
    close(fd);
    SwErr err;
    WarcReader *r = warc_open(path, 0, &err);
    CHECK(r != NULL);
    WarcRecord rec;
    int n = 0, rc;
    while (r && (rc = warc_next(r, &rec, &err)) == WARC_RECORD)
        n++;
    CHECK_INT(n, 4);
    CHECK_INT(warc_file_size(r), gz.len);
    CHECK_INT(warc_bytes_read(r), gz.len);
    CHECK_INT(warc_is_gzip(r), 1);
    warc_close(r);
    unlink(path);
    CHECK(warc_open("/nonexistent/x.warc", 0, &err) == NULL);
    CHECK(strstr(err.msg, "/nonexistent/x.warc: cannot open") != NULL);
    buf_free(&plain);
    buf_free(&gz);
}

static void test_detect(void)
{
    CHECK_INT(warc_detect("WARC/1.0\r\n", 10), 1);
    CHECK_INT(warc_detect("\r\nWARC/1.1\r\n", 12), 1);
    CHECK_INT(warc_detect("<html>", 6), 0);
    CHECK_INT(warc_detect("WARC/0.17\r\n", 11), 0);
}

/* ---- HTTP ---- */

static void test_http_headers(void)
{
    const char blk[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html; Charset=\"Windows-1252\"\r\nContent-Encoding: "
                       "GZIP\r\nServer: x\r\n\r\nbody";
    WarcHttp h;
    SwErr err;
    CHECK_INT(warc_http_parse(blk, strlen(blk), &h, &err), 0);
    CHECK_INT(h.status, 200);
    CHECK_STR(h.media_type, "text/html");
    CHECK_STR(h.charset, "windows-1252");
    CHECK_STR(h.content_encoding, "gzip");
    CHECK_INT(h.chunked, 0);
    CHECK_INT(h.body_len, 4);
    CHECK(memcmp(h.body, "body", 4) == 0);
    CHECK_INT(warc_http_parse("GET / HTTP/1.1\r\n\r\n", 18, &h, &err), -1);
    CHECK_STR(err.msg, "not an HTTP response");
    CHECK_INT(warc_http_parse("HTTP/2 404\r\n\r\n", 14, &h, &err), 0);
    CHECK_INT(h.status, 404);
    CHECK_INT(warc_http_parse("HTTP/1.1 2x0 OK\r\n\r\n", 19, &h, &err), -1);
}

static void test_http_chunked_payload(void)
{
    const char blk[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/html\r\n\r\n"
                       "6\r\n<html>\r\n7;ext=1\r\n<p>hi</\r\n3\r\np>\n\r\n0\r\n\r\n";
    WarcHttp h;
    SwErr err;
    Buf out = {0};
    CHECK_INT(warc_http_parse(blk, strlen(blk), &h, &err), 0);
    CHECK_INT(h.chunked, 1);
    CHECK_INT(warc_http_payload(&h, 1000, &out, &err), 0);
    CHECK_STR(buf_cstr(&out), "<html><p>hi</p>\n");
    /* stored de-chunked under the original header: passed through */
    const char done[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n<html>x</html>";
    CHECK_INT(warc_http_parse(done, strlen(done), &h, &err), 0);
    CHECK_INT(warc_http_payload(&h, 1000, &out, &err), 0);
    CHECK_STR(buf_cstr(&out), "<html>x</html>");
    /* bad framing after a good chunk */
    const char bad[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\n";
    CHECK_INT(warc_http_parse(bad, strlen(bad), &h, &err), 0);
    CHECK_INT(warc_http_payload(&h, 1000, &out, &err), -1);
    CHECK(strstr(err.msg, "bad chunk size") != NULL);
    buf_free(&out);
}

static void test_http_gzip_payload(void)
{
    Buf blk = {0}, body = {0}, out = {0};
    gzip_member(&body, page_html, strlen(page_html));
    buf_puts(&blk, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n");
    buf_append(&blk, body.data, body.len);
    WarcHttp h;
    SwErr err;
    CHECK_INT(warc_http_parse(blk.data, blk.len, &h, &err), 0);
    CHECK_INT(warc_http_payload(&h, 10000, &out, &err), 0);
    CHECK_STR(buf_cstr(&out), page_html);
    /* above the limit */
    CHECK_INT(warc_http_payload(&h, 20, &out, &err), -1);
    CHECK(strstr(err.msg, "larger than 20 bytes") != NULL);
    /* cut short: what was decoded is kept */
    h.body_len -= 12;
    CHECK_INT(warc_http_payload(&h, 10000, &out, &err), 0);
    CHECK(out.len > 0 && out.len <= strlen(page_html));
    /* gzip and chunked together */
    Buf both = {0};
    buf_printf(&both, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n%zx\r\n", body.len);
    buf_append(&both, body.data, body.len);
    buf_puts(&both, "\r\n0\r\n\r\n");
    CHECK_INT(warc_http_parse(both.data, both.len, &h, &err), 0);
    CHECK_INT(warc_http_payload(&h, 10000, &out, &err), 0);
    CHECK_STR(buf_cstr(&out), page_html);
    /* corrupt */
    body.data[body.len / 2] ^= 0x55;
    body.data[body.len / 2 + 1] ^= 0x55;
    buf_reset(&blk);
    buf_puts(&blk, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n");
    buf_append(&blk, body.data, body.len);
    CHECK_INT(warc_http_parse(blk.data, blk.len, &h, &err), 0);
    int rc = warc_http_payload(&h, 10000, &out, &err);
    CHECK(rc == -1 || strcmp(buf_cstr(&out), page_html) != 0);
    /* stored decoded under "Content-Encoding: gzip" */
    const char plain[] = "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n<html>ok</html>";
    CHECK_INT(warc_http_parse(plain, strlen(plain), &h, &err), 0);
    CHECK_INT(warc_http_payload(&h, 10000, &out, &err), 0);
    CHECK_STR(buf_cstr(&out), "<html>ok</html>");
    /* an unknown coding is refused */
    const char br[] = "HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\n\x1b\x03";
    CHECK_INT(warc_http_parse(br, strlen(br), &h, &err), 0);
    CHECK_INT(warc_http_payload(&h, 10000, &out, &err), -1);
    CHECK_STR(err.msg, "Content-Encoding \"br\" is not supported");
    buf_free(&both);
    buf_free(&blk);
    buf_free(&body);
    buf_free(&out);
}

static void test_http_deflate_payload(void)
{
    Buf blk = {0}, out = {0};
    uLongf n = compressBound(sizeof page_html);
    unsigned char *z = malloc(n);
    compress(z, &n, (const Bytef *)page_html, strlen(page_html));
    buf_puts(&blk, "HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\n\r\n");
    buf_append(&blk, z, n);
    WarcHttp h;
    SwErr err;
    CHECK_INT(warc_http_parse(blk.data, blk.len, &h, &err), 0);
    CHECK_INT(warc_http_payload(&h, 10000, &out, &err), 0);
    CHECK_STR(buf_cstr(&out), page_html);
    free(z);
    buf_free(&blk);
    buf_free(&out);
}

static void test_http_is_html(void)
{
    WarcHttp h;
    memset(&h, 0, sizeof h);
    strcpy(h.media_type, "text/html");
    CHECK_INT(warc_http_is_html(&h, "x", 1), 1);
    strcpy(h.media_type, "image/png");
    CHECK_INT(warc_http_is_html(&h, "<html>", 6), 0);
    strcpy(h.media_type, "");
    CHECK_INT(warc_http_is_html(&h, "\xEF\xBB\xBF  <!DOCTYPE html><html>", 26), 1);
    CHECK_INT(warc_http_is_html(&h, "{\"a\":1}", 7), 0);
    strcpy(h.media_type, "application/xhtml+xml");
    CHECK_INT(warc_http_is_html(&h, "", 0), 1);
}

/* ---- records to articles (through the extractor) ---- */

static const char article_body[] =
    "<p>The harbour bridge reopened to traffic on Tuesday morning after six months of repairs to its steel "
    "cables, the city transport office said in a statement.</p><p>Engineers replaced forty cables and "
    "repainted the main span. The mayor crossed the bridge on foot with the repair crews at seven.</p>"
    "<p>Commuters had faced detours of up to an hour while the bridge was closed for the work.</p>";

static void article_page(Buf *b, const char *title, const char *published)
{
    buf_printf(b, "<!DOCTYPE html><html lang=\"en-GB\"><head><title>%s</title>", title);
    if (published)
        buf_printf(b, "<meta property=\"article:published_time\" content=\"%s\">", published);
    buf_printf(b, "</head><body><nav><a href=\"/\">Home</a></nav><article><h1>%s</h1>%s</article></body></html>",
               title, article_body);
}

static void capture(Buf *warc, const char *uri, const char *http_head, const char *body, size_t n)
{
    const char req[] = "GET / HTTP/1.1\r\nHost: example.org\r\n\r\n";
    add_record(warc, "request", uri, "application/http; msgtype=request", req, strlen(req));
    Buf http = {0};
    buf_puts(&http, http_head);
    buf_append(&http, body, n);
    add_record(warc, "response", uri, "application/http; msgtype=response", http.data, http.len);
    buf_free(&http);
    add_record(warc, "metadata", uri, "application/warc-fields", "a: b\r\n", 6);
}

/* An archive with one page of each kind: plain, gzip-encoded, chunked,
 * a 404, an image, a page too short to be an article. */
static void mixed_archive(Buf *warc)
{
    Buf page = {0};
    article_page(&page, "Bridge reopens", "2026-03-03T08:00:00Z");
    capture(warc, "http://example.org/plain", "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n",
            page.data, page.len);
    Buf gz = {0};
    buf_reset(&page);
    article_page(&page, "Bridge reopens, gzip", NULL);
    gzip_member(&gz, page.data, page.len);
    capture(warc, "http://example.org/gzip", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n",
            gz.data, gz.len);
    buf_reset(&page);
    article_page(&page, "Bridge reopens, chunked", NULL);
    Buf chunked = {0};
    size_t half = page.len / 2;
    buf_printf(&chunked, "%zx\r\n", half);
    buf_append(&chunked, page.data, half);
    buf_printf(&chunked, "\r\n%zx\r\n", page.len - half);
    buf_append(&chunked, page.data + half, page.len - half);
    buf_puts(&chunked, "\r\n0\r\n\r\n");
    capture(warc, "http://example.org/chunked", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n",
            chunked.data, chunked.len);
    buf_reset(&page);
    article_page(&page, "Not found", NULL);
    capture(warc, "http://example.org/404", "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n", page.data,
            page.len);
    capture(warc, "http://example.org/logo.png", "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n", "\x89PNG\r\n",
            6);
    const char tiny[] = "<html><head><title>Home</title></head><body><p>Welcome.</p></body></html>";
    capture(warc, "http://example.org/", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n", tiny, strlen(tiny));
    buf_free(&page);
    buf_free(&gz);
    buf_free(&chunked);
}

typedef struct Seen {
    Buf urls, errors;
    int64_t published[8], fetched[8];
    char lang[8][8];
    int n;
} Seen;

static int seen_article(void *ctx, const Article *a, const char *where)
{
    Seen *s = ctx;
    buf_printf(&s->urls, "%s|%s\n", a->url ? a->url : "-", a->title ? a->title : "-");
    if (s->n < 8) {
        s->published[s->n] = a->published;
        s->fetched[s->n] = a->fetched;
        snprintf(s->lang[s->n], sizeof s->lang[s->n], "%s", a->lang ? a->lang : "-");
    }
    s->n++;
    return 0;
}

static void seen_error(void *ctx, const char *msg)
{
    Seen *s = ctx;
    buf_printf(&s->errors, "%s\n", msg);
}

static int ingest_bytes(const Buf *data, Seen *seen, IngestStats *st)
{
    char path[] = "/tmp/test_warc_ingest_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, data->data, data->len) != (ssize_t)data->len)
        return -2;
    close(fd);
    memset(seen, 0, sizeof *seen);
    memset(st, 0, sizeof *st);
    SwErr err;
    int rc = ingest_file(path, NULL, seen_article, seen_error, seen, st, &err);
    unlink(path);
    return rc;
}

static void test_which_records_become_articles(void)
{
    Buf warc = {0};
    mixed_archive(&warc);
    Seen seen;
    IngestStats st;
    CHECK_INT(ingest_bytes(&warc, &seen, &st), 0);
    CHECK_STR(buf_cstr(&seen.urls), "http://example.org/plain|Bridge reopens\nhttp://example.org/gzip|Bridge reopens, gzip\n"
                                    "http://example.org/chunked|Bridge reopens, chunked\n");
    CHECK_STR(buf_cstr(&seen.errors), "");
    CHECK_INT(st.records, 18);
    CHECK_INT(st.articles, 3);
    CHECK_INT(st.skipped, 0);
    CHECK_INT(st.passed[INGEST_PASS_NOT_RESPONSE], 12);
    CHECK_INT(st.passed[INGEST_PASS_STATUS], 1);
    CHECK_INT(st.passed[INGEST_PASS_NOT_HTML], 1);
    CHECK_INT(st.passed[INGEST_PASS_SHORT], 1);
    /* the page's date when it has one, else the crawl date; fetched = crawl date */
    CHECK_INT(seen.published[0], 1772524800);
    CHECK(seen.fetched[0] >= 1772619600 && seen.fetched[0] < 1772619660); /* 2026-03-04T10:20:xxZ */
    CHECK_INT(seen.published[1], seen.fetched[1]);
    CHECK_STR(seen.lang[0], "en");
    buf_free(&seen.urls);
    buf_free(&seen.errors);
    buf_free(&warc);
}

static void test_damaged_archive_still_ingests_good_records(void)
{
    Buf plain = {0}, gz = {0};
    mixed_archive(&plain);
    size_t off[32];
    size_t n = gzip_per_record(&plain, &gz, off, 32);
    CHECK_INT(n, 18);
    /* member 4 is the gzip page's response */
    for (size_t i = off[4] + 12; i < off[4] + 40; i++)
        gz.data[i] = (char)0xff;
    /* and the file ends inside the last member */
    gz.len -= 20;
    Seen seen;
    IngestStats st;
    CHECK_INT(ingest_bytes(&gz, &seen, &st), 0);
    CHECK_STR(buf_cstr(&seen.urls), "http://example.org/plain|Bridge reopens\nhttp://example.org/chunked|Bridge reopens, chunked\n");
    char want[300];
    snprintf(want, sizeof want, ": corrupt gzip member at offset %zu (", off[4]);
    CHECK(strstr(buf_cstr(&seen.errors), want) != NULL);
    snprintf(want, sizeof want, ": record at offset %zu: truncated: the file ends inside the gzip member at offset %zu\n", off[17],
             off[17]);
    CHECK(strstr(buf_cstr(&seen.errors), want) != NULL);
    CHECK_INT(st.skipped, 2);
    CHECK_INT(st.articles, 2);
    buf_free(&seen.urls);
    buf_free(&seen.errors);
    buf_free(&plain);
    buf_free(&gz);
}

int main(void)
{
    RUN(test_plain_records_and_fields);
    RUN(test_gzip_member_per_record);
    RUN(test_whole_file_gzip_stream);
    RUN(test_warc_1_1_and_bare_lf);
    RUN(test_continuation_lines_are_joined);
    RUN(test_bad_length_short_loses_one_record);
    RUN(test_bad_length_long_in_the_middle);
    RUN(test_unreadable_length);
    RUN(test_truncated_last_record);
    RUN(test_corrupt_gzip_member_in_the_middle);
    RUN(test_corrupt_whole_file_stream_keeps_what_came_before);
    RUN(test_detect_file_with_later_damage);
    RUN(test_garbage_between_records);
    RUN(test_oversized_record_streamed_over);
    RUN(test_not_a_warc_at_all);
    RUN(test_open_from_file);
    RUN(test_detect);
    RUN(test_http_headers);
    RUN(test_http_chunked_payload);
    RUN(test_http_gzip_payload);
    RUN(test_http_deflate_payload);
    RUN(test_http_is_html);
    RUN(test_which_records_become_articles);
    RUN(test_damaged_archive_still_ingests_good_records);
    return test_summary("warc");
}
