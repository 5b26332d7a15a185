/* test_core.c - buffers, arena, maps, JSON, dates, UTF-8, file input. */
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#if defined(__SANITIZE_ADDRESS__)
#define TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_ASAN 1
#endif
#endif
#ifdef TEST_ASAN
#include <sanitizer/asan_interface.h>
#endif

#include "core/arena.h"
#include "core/bits.h"
#include "core/buf.h"
#include "core/fileio.h"
#include "core/json.h"
#include "core/map.h"
#include "core/timeutil.h"
#include "core/utf8util.h"
#include "test.h"

static void test_buf_grows_and_formats(void)
{
    Buf b = {0};
    CHECK_STR(buf_cstr(&b), "");
    for (int i = 0; i < 1000; i++)
        buf_printf(&b, "%d,", i);
    CHECK(b.len > 3000);
    CHECK(strncmp(b.data, "0,1,2,", 6) == 0);
    buf_reset(&b);
    CHECK_INT(b.len, 0);
    buf_free(&b);
}

static void test_json_escaping_is_html_safe(void)
{
    Buf b = {0};
    buf_json_cstr(&b, "a\"b</script>\n\x01");
    CHECK_STR(b.data, "\"a\\\"b\\u003c/script\\u003e\\n\\u0001\"");
    buf_reset(&b);
    buf_json_str(&b, "ok\xff!", 4); /* invalid UTF-8 becomes U+FFFD */
    CHECK_STR(b.data, "\"ok\xEF\xBF\xBD!\"");
    /* long runs (copied sixteen bytes at a time) with every escape after
     * them, at each position of a 16-byte block, and UTF-8 across blocks */
    for (size_t pad = 0; pad < 20; pad++) {
        char in[128], want[256];
        memset(in, 'x', pad);
        strcpy(in + pad, "caf\xC3\xA9 \xE2\x80\x94 ends\"\\<>&\x7f\t\xC3(z\xF0\x9F\x98\x80");
        memset(want, 'x', pad);
        strcpy(want + pad, "caf\xC3\xA9 \xE2\x80\x94 ends\\\"\\\\\\u003c\\u003e\\u0026\\u007f\\t\xEF\xBF\xBD(z\xF0\x9F\x98\x80\"");
        buf_reset(&b);
        buf_json_cstr(&b, in);
        CHECK_STR(b.data + 1, want);
    }
    buf_free(&b);
}

static void test_html_escaping(void)
{
    Buf b = {0};
    buf_html(&b, "<a href='x'>&\"\x07");
    CHECK_STR(b.data, "&lt;a href=&#39;x&#39;&gt;&amp;&quot;");
    buf_free(&b);
}

/* arena_reset keeps normal blocks for reuse: memory handed out again is
 * zeroed, big blocks are released, and the kept ones are bounded. */
static void test_arena_reset_reuses_blocks(void)
{
    Arena a = {0};
    for (int round = 0; round < 3; round++) {
        unsigned char *last = NULL;
        for (int i = 0; i < 100; i++) {
            unsigned char *p = arena_alloc(&a, 1000);
            int zero = 1;
            for (int k = 0; k < 1000; k++)
                zero &= p[k] == 0;
            CHECK(zero);
            memset(p, 0xAB, 1000);
            last = p; /* in the newest normal block: the one kept */
        }
        char *big = arena_alloc(&a, 300000);
        big[299999] = 'x';
        CHECK(a.total >= 100 * 1000 + 300000);
        arena_reset(&a, 1);
        CHECK(a.head == NULL && a.total == 0);
        CHECK(a.n_spare == 1 && a.spare != NULL);
#ifdef TEST_ASAN
        /* a kept block is poisoned until handed out again: a pointer kept
         * past the reset is reported */
        CHECK(__asan_address_is_poisoned(last));
#endif
        (void)last;
    }
    arena_reset(&a, 0);
    CHECK(a.n_spare == 1); /* kept blocks stay until arena_free */
    arena_free(&a);
    CHECK(a.spare == NULL && a.n_spare == 0 && a.head == NULL);
}

/* arena_alloc_raw hands out aligned room without zeroing it (it may hold
 * a reset's old bytes); arena_grow still zeroes the part it adds. */
static void test_arena_raw_and_grow(void)
{
    Arena a = {0};
    for (size_t n = 0; n < 100; n++) {
        unsigned char *p = arena_alloc_raw(&a, n);
        CHECK(((uintptr_t)p & 15) == 0);
        memset(p, 0xAB, n); /* writable to its length */
    }
    unsigned *v = arena_alloc(&a, 4 * sizeof *v);
    for (unsigned i = 0; i < 4; i++)
        v[i] = i + 1;
    unsigned *w = arena_grow(&a, v, 4, 40, sizeof *v);
    int ok = 1;
    for (unsigned i = 0; i < 40; i++)
        ok &= w[i] == (i < 4 ? i + 1 : 0);
    CHECK(ok);
    arena_reset(&a, 2);
    unsigned char *z = arena_alloc(&a, 200); /* a kept block: zeroed again */
    ok = 1;
    for (size_t i = 0; i < 200; i++)
        ok &= z[i] == 0;
    CHECK(ok);
    arena_free(&a);
}

/* bits_popcount64/32 against counting bit by bit. */
static void test_popcount(void)
{
    uint64_t x = 0x9E3779B97F4A7C15ull;
    int ok = 1;
    for (int i = 0; i < 2000; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t v = i < 64 ? (uint64_t)1 << i : i < 128 ? ~0ull >> (i - 64) : x;
        unsigned want = 0;
        for (int b = 0; b < 64; b++)
            want += (unsigned)(v >> b) & 1;
        ok &= bits_popcount64(v) == want;
        unsigned want32 = 0;
        for (int b = 0; b < 32; b++)
            want32 += (unsigned)(v >> b) & 1;
        ok &= bits_popcount32((uint32_t)v) == want32;
    }
    CHECK(ok);
    CHECK(bits_popcount64(0) == 0 && bits_popcount64(~0ull) == 64 && bits_popcount32(~0u) == 32);
}

static void test_arena_strings(void)
{
    Arena a = {0};
    char *s = arena_strdup(&a, "hello");
    char *big = arena_alloc(&a, 200000);
    big[199999] = 'x';
    CHECK_STR(s, "hello");
    CHECK_STR(arena_printf(&a, "%s-%d", "n", 5), "n-5");
    CHECK(arena_strdup(&a, NULL) == NULL);
    arena_free(&a);
}

static void test_strmap_and_intmap(void)
{
    StrMap m = {0};
    char key[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "k%d", i);
        strmap_put(&m, key, strlen(key), NULL)->val.num = i;
    }
    CHECK_INT(m.count, 5000);
    CHECK_INT(strmap_get(&m, "k4321", 5)->val.num, 4321);
    CHECK(strmap_get(&m, "nope", 4) == NULL);
    strmap_free(&m);
    IntMap im = {0};
    for (uint64_t i = 0; i < 3000; i++)
        *intmap_put(&im, i * 7919, NULL) = (int64_t)i;
    CHECK_INT(*intmap_get(&im, 7919 * 42), 42);
    CHECK(intmap_get(&im, 1) == NULL);
    intmap_free(&im);
}

static void test_json_parses_values(void)
{
    Arena a = {0};
    SwErr err;
    const char *src = "{\"t\":\"caf\\u00e9 \\ud83d\\ude00\",\"n\":-1.5e2,\"b\":true,\"z\":null,\"a\":[1,[2]]}";
    JsonValue *v = json_parse(&a, src, strlen(src), &err);
    CHECK(v != NULL);
    CHECK_STR(json_get_str(v, "t"), "caf\xC3\xA9 \xF0\x9F\x98\x80");
    CHECK(json_get_num(v, "n", 0) == -150.0);
    CHECK(json_get(v, "b")->u.boolean == 1);
    CHECK(json_get(v, "z")->type == JSON_NULL);
    CHECK_INT(json_get(v, "a")->u.arr.n, 2);
    /* a lone high surrogate becomes U+FFFD and the escape after it stays */
    const char *lone = "\"A\\ud800\\u0041B\"";
    v = json_parse(&a, lone, strlen(lone), &err);
    CHECK(v != NULL);
    CHECK_STR(v ? v->u.str.s : NULL, "A\xEF\xBF\xBD" "AB");
    arena_free(&a);
}

static void test_json_rejects_malformed_with_column(void)
{
    Arena a = {0};
    SwErr err;
    const char *bad[] = {"{\"a\":1,}", "{\"a\" 1}", "[1,2", "\"abc", "{\"a\":\"\xff\"}", "01", "{} x", "", "nul"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        CHECK(json_parse(&a, bad[i], strlen(bad[i]), &err) == NULL);
        CHECK(strncmp(err.msg, "column ", 7) == 0);
    }
    char deep[200];
    memset(deep, '[', sizeof deep);
    CHECK(json_parse(&a, deep, sizeof deep, &err) == NULL);
    CHECK(strstr(err.msg, "nested too deeply") != NULL);
    arena_free(&a);
}

/* 2014-07-06T12:56:00Z, written the ways feeds in the wild write it */
static void test_time_parses_broken_feed_dates(void)
{
    static const char *const same[] = {
        "Sun, 06 Jul 2014 12:56:00 GMT",
        "Sun, 06 Jul 2014 12:56:00 +0000 (UTC)",
        "Sunday, 06 July 2014 12:56:00 GMT",
        "sun, 6 jul 2014 12:56:00 gmt",
        "Sun,06 Jul 2014 12:56:00 Z",
        "06 Jul 2014 12:56 GMT",
        "Sun, 06 Jul 2014 14:56:00 GMT+2",
        "Sun, 06 Jul 2014 18:26:00 +05:30",
        "Sun, 06 Jul 2014 08:56:00 EDT",
        "Sunday, 06-Jul-14 12:56:00 GMT",
        "Jul 6, 2014 12:56:00 PM GMT",
        "July 06 2014 12:56 pm",
        "Sun Jul  6 12:56:00 2014",
        "Sun Jul 06 2014 14:56:00 GMT+0200 (Central European Summer Time)",
        "Sun, 06 Jul 2014 12:56:00.000 GMT",
        "So, 06 Jul 2014 14:56:00 CEST",
        "2014-07-06 12:56:00 UTC",
        "2014-07-06T12:56:00+0000",
        "2014-07-06T12:56:00.123456+00:00",
        "1404651360000",
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        int64_t t = 0;
        int rc = time_parse(same[i], &t);
        if (rc != 0 || t != 1404651360)
            fprintf(stderr, "    date %zu: \"%s\" -> rc %d, %lld\n", i, same[i], rc, (long long)t);
        CHECK(rc == 0 && t == 1404651360);
    }
    int64_t t;
    CHECK(time_parse("06. Dez 2014 10:00:00 +0100", &t) == 0);
    CHECK_INT(t, 1417856400);
    CHECK(time_parse("6 d\xC3\xA9" "c. 2014 09:00:00 GMT", &t) == 0);
    CHECK_INT(t, 1417856400);
    /* still not dates */
    CHECK(time_parse("Sun, 06 Foo 2014 12:56:00 GMT", &t) != 0);
    CHECK(time_parse("last Sunday at noon", &t) != 0);
    CHECK(time_parse("Sun, 06 Jul 2014 25:56:00 GMT", &t) != 0);
    CHECK(time_parse("Jul 2014", &t) != 0);
    CHECK(time_parse("13:00 PM, 6 Jul 2014", &t) != 0);
}

static void test_time_parses_news_formats(void)
{
    int64_t t;
    CHECK(time_parse("2026-10-03T08:15:00Z", &t) == 0);
    CHECK_INT(t, 1791015300);
    CHECK(time_parse("2026-10-03T10:15:00+02:00", &t) == 0);
    CHECK_INT(t, 1791015300);
    CHECK(time_parse("2026-10-03T08:15:00.123Z", &t) == 0);
    CHECK_INT(t, 1791015300);
    CHECK(time_parse("Sat, 03 Oct 2026 08:15:00 GMT", &t) == 0);
    CHECK_INT(t, 1791015300);
    CHECK(time_parse("Sat, 3 Oct 2026 04:15:00 -0400", &t) == 0);
    CHECK_INT(t, 1791015300);
    CHECK(time_parse("03 Oct 26 08:15 UT", &t) == 0);
    CHECK_INT(t, 1791015300);
    CHECK(time_parse("1791015300", &t) == 0);
    CHECK_INT(t, 1791015300);
    CHECK(time_parse("2026-10-03", &t) == 0);
    CHECK_INT(t, 1790985600);
    CHECK(time_parse("yesterday", &t) != 0);
    CHECK(time_parse("2026-13-03", &t) != 0);
    CHECK(time_parse("2026-02-30T00:00:00Z", &t) != 0);
    CHECK(time_parse("", &t) != 0);
    /* Unix seconds past the year 9999 cannot be written back as RFC 3339 */
    CHECK(time_parse("999999999999", &t) != 0);
    CHECK(time_parse("253402300799", &t) == 0);
}

static void test_time_formats(void)
{
    char s[64];
    time_format_rfc3339(1791015300, s, sizeof s);
    CHECK_STR(s, "2026-10-03T08:15:00Z");
    time_format_http(1791015300, s, sizeof s);
    CHECK_STR(s, "Sat, 03 Oct 2026 08:15:00 GMT");
    time_format_human(1791015300, s, sizeof s);
    CHECK_STR(s, "3 October 2026, 08:15 UTC");
}

static void test_utf8_validation_and_repair(void)
{
    CHECK(utf8_valid("caf\xC3\xA9", 5));
    CHECK(!utf8_valid("\xC0\xAF", 2));         /* overlong */
    CHECK(!utf8_valid("\xED\xA0\x80", 3));     /* surrogate */
    CHECK(!utf8_valid("\xE2\x82", 2));         /* truncated */
    /* long text (16 bytes a step): a bad byte or a sequence cut by the end
     * is found at every position; sequences across blocks are fine */
    for (size_t pos = 0; pos < 40; pos++) {
        char t[64];
        memset(t, 'a', sizeof t);
        memcpy(t + pos, "\xE2\x80\x94", 3);
        CHECK(utf8_valid(t, sizeof t));
        t[pos + 1] = 'b';
        CHECK(!utf8_valid(t, sizeof t));
        memset(t, 'a', sizeof t);
        t[pos] = (char)0xF0;
        CHECK(!utf8_valid(t, pos + 1));
    }
    size_t fixed;
    char *r = utf8_repair("a\xffz\0q", 5, &fixed);
    CHECK_STR(r, "a\xEF\xBF\xBDzq");
    CHECK_INT(fixed, 2);
    free(r);
    /* nothing left after repair is still a C string (found by fuzzing) */
    r = utf8_repair("\0\0\0", 3, &fixed);
    CHECK_STR(r, "");
    free(r);
    Buf b = {0};
    buf_reserve(&b, 100);
    CHECK_STR(b.data, "");
    buf_free(&b);
}

static void test_lines_reads_plain_and_gzip(void)
{
    char dir[] = "/tmp/sw-core-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char plain[128], gz[128];
    snprintf(plain, sizeof plain, "%s/a.txt", dir);
    snprintf(gz, sizeof gz, "%s/a.txt.gz", dir);
    FILE *f = fopen(plain, "w");
    fputs("one\r\ntwo\n\nthree", f);
    fclose(f);
    gzFile g = gzopen(gz, "wb");
    gzputs(g, "one\r\ntwo\n\nthree");
    gzclose(g);
    const char *paths[] = {plain, gz};
    for (int k = 0; k < 2; k++) {
        SwErr err;
        LineReader *r = lines_open(paths[k], &err);
        CHECK(r != NULL);
        Buf line = {0};
        const char *want[] = {"one", "two", "", "three"};
        int i = 0;
        while (r && lines_next(r, &line, &err) == 1 && i < 4) {
            CHECK_STR(buf_cstr(&line), want[i]);
            i++;
        }
        CHECK_INT(i, 4);
        CHECK_INT(lines_number(r), 4);
        lines_close(r);
        buf_free(&line);
    }
    /* a truncated gzip stream is an error, not a silent end */
    Buf all = {0};
    SwErr err;
    CHECK(file_read_all(gz, 1 << 20, &all, &err) == 0);
    CHECK_STR(buf_cstr(&all), "one\r\ntwo\n\nthree");
    buf_free(&all);
    f = fopen(gz, "r+b");
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fclose(f);
    CHECK(truncate(gz, size - 6) == 0);
    CHECK(file_read_all(gz, 1 << 20, &all, &err) != 0);
    CHECK(strstr(err.msg, "a.txt.gz") != NULL);
    buf_free(&all);
    /* a line over the limit is cut, its rest skipped, the next line whole */
    f = fopen(plain, "w");
    for (int i = 0; i < 100000; i++)
        fputc('x', f);
    fputs("\nnext\n", f);
    fclose(f);
    LineReader *lr = lines_open(plain, &err);
    Buf line = {0};
    lines_set_limit(lr, 1000);
    CHECK_INT(lines_next(lr, &line, &err), LINES_TOO_LONG);
    CHECK_INT(line.len, 1000);
    CHECK_INT(lines_next(lr, &line, &err), 1);
    CHECK_STR(buf_cstr(&line), "next");
    CHECK_INT(lines_number(lr), 2);
    lines_close(lr);
    buf_free(&line);
    CHECK(lines_open("/nonexistent/file.jsonl", &err) == NULL);
    CHECK(strstr(err.msg, "/nonexistent/file.jsonl: cannot open") != NULL);
    unlink(plain);
    unlink(gz);
    rmdir(dir);
}

int main(void)
{
    RUN(test_buf_grows_and_formats);
    RUN(test_json_escaping_is_html_safe);
    RUN(test_html_escaping);
    RUN(test_arena_strings);
    RUN(test_arena_raw_and_grow);
    RUN(test_popcount);
    RUN(test_arena_reset_reuses_blocks);
    RUN(test_strmap_and_intmap);
    RUN(test_json_parses_values);
    RUN(test_json_rejects_malformed_with_column);
    RUN(test_time_parses_news_formats);
    RUN(test_time_parses_broken_feed_dates);
    RUN(test_time_formats);
    RUN(test_utf8_validation_and_repair);
    RUN(test_lines_reads_plain_and_gzip);
    return test_summary("core");
}
