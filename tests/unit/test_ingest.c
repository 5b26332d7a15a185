/* test_ingest.c - readers: JSONL lines, text pages, HTML bodies, kind
 * detection, and whole files with bad records. */
#include <stdlib.h>
#include <fcntl.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/fileio.h"
#include "ingest/ingest.h"
#include "test.h"

static void test_jsonl_line_reads_known_keys(void)
{
    Arena a = {0};
    SwErr err;
    Article art;
    const char *line = "{\"url\":\"https://ex.org/a\",\"title\":\"  Storm  hits\\tcoast \",\"text\":\"One.\\r\\n\\r\\n\\r\\nTwo.\","
                       "\"published\":\"2026-10-03T08:15:00Z\",\"source\":\"Ex News\",\"lang\":\"en-GB\","
                       "\"id\":42,\"extra\":{\"nested\":[1,2]}}";
    CHECK(ingest_jsonl_line(&a, line, strlen(line), &art, &err) == 0);
    CHECK_STR(art.url, "https://ex.org/a");
    CHECK_STR(art.title, "Storm hits coast");
    CHECK_STR(art.text, "One.\n\nTwo.");
    CHECK_INT(art.published, 1791015300);
    CHECK_STR(art.source, "Ex News");
    CHECK_STR(art.lang, "en");
    CHECK_STR(art.ext_id, "42");
    arena_free(&a);
}

static void test_jsonl_line_accepts_unix_and_rfc822_dates(void)
{
    Arena a = {0};
    SwErr err;
    Article art;
    const char *l1 = "{\"title\":\"t\",\"published\":1791015300}";
    CHECK(ingest_jsonl_line(&a, l1, strlen(l1), &art, &err) == 0);
    CHECK_INT(art.published, 1791015300);
    const char *l2 = "{\"title\":\"t\",\"published\":\"Sat, 03 Oct 2026 08:15:00 GMT\"}";
    CHECK(ingest_jsonl_line(&a, l2, strlen(l2), &art, &err) == 0);
    CHECK_INT(art.published, 1791015300);
    arena_free(&a);
}

static void test_jsonl_line_errors_say_what_is_wrong(void)
{
    Arena a = {0};
    SwErr err;
    Article art;
    struct { const char *line, *msg; } cases[] = {
        {"{\"title\": \"x\"", "unterminated object"},
        {"[1,2]", "expected a JSON object"},
        {"{\"url\":\"https://x\"}", "neither \"title\" nor \"text\""},
        {"{\"title\":\"x\",\"published\":\"soon\"}", "\"published\" is not a date"},
        {"{\"title\":5}", "\"title\" must be a string"},
        {"{\"title\":\"x\",\"published\":1.7e28}", "\"published\" is out of range"},
        {"{\"title\":\"x\",\"published\":-5}", "\"published\" is out of range"},
        {"{\"title\":\"caf\xff\"}", "invalid UTF-8"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        CHECK(ingest_jsonl_line(&a, cases[i].line, strlen(cases[i].line), &art, &err) != 0);
        if (!strstr(err.msg, cases[i].msg))
            fprintf(stderr, "    case %zu: %s\n", i, err.msg);
        CHECK(strstr(err.msg, cases[i].msg) != NULL);
    }
    arena_free(&a);
}

static void test_error_messages_do_not_carry_control_characters(void)
{
    Arena a = {0};
    SwErr err;
    Article art;
    const char *line = "{\"title\":\"x\",\"published\":\"\\u001b[31mRED\\u0007\"}";
    CHECK(ingest_jsonl_line(&a, line, strlen(line), &art, &err) != 0);
    CHECK(strchr(err.msg, 0x1b) == NULL);
    CHECK(strchr(err.msg, 0x07) == NULL);
    CHECK(strstr(err.msg, "not a date") != NULL);
    arena_free(&a);
}

static void test_html_body_becomes_paragraphs(void)
{
    Arena a = {0};
    const char *html = "<div><p>First &amp; foremost.</p><script>var x='<p>';</script>"
                       "<nav><a>Home</a></nav><p>Second&nbsp;one &#8212; &#x2019;ok&rsquo;</p><!-- c --></div>";
    char *t = ingest_html_to_text(&a, html, strlen(html));
    CHECK(strstr(t, "First & foremost.") != NULL);
    CHECK(strstr(t, "Second\xC2\xA0one \xE2\x80\x94 \xE2\x80\x99ok\xE2\x80\x99") != NULL);
    CHECK(strstr(t, "var x") == NULL);
    CHECK(strstr(t, "Home") == NULL);
    CHECK(strstr(t, "\n\n") != NULL);
    /* broken markup degrades, never fails */
    const char *broken = "<p>open <b>bold <i attr=\"unterminated";
    t = ingest_html_to_text(&a, broken, strlen(broken));
    CHECK(strstr(t, "open bold") != NULL);
    arena_free(&a);
}

static void test_textpage_layout(void)
{
    Arena a = {0};
    Buf file = {0};
    SwErr err;
    CHECK(file_read_all("tests/fixtures/textpage.txt", 1 << 20, &file, &err) == 0);
    Article art;
    CHECK(ingest_textpage(&a, file.data, file.len, &art, &err) == 0);
    CHECK_STR(art.title, "Port Halden Reopens Harbour After Storm Repairs Finish Early");
    CHECK_STR(art.ext_id, "port-halden-harbour-reopens");
    CHECK(strncmp(art.text, "Port Halden's harbour reopened on Thursday", 42) == 0);
    /* headings, the image line and related headlines are layout, not text */
    CHECK(strstr(art.text, "Repairs Finished Ahead of Schedule") == NULL);
    CHECK(strstr(art.text, "Image for") == NULL);
    CHECK(strstr(art.text, "Norrvik ferry operator") == NULL);
    CHECK(strstr(art.text, "The first ferry from Norrvik docked") != NULL);
    /* summary + 2 paragraphs = 3 paragraphs */
    int breaks = 0;
    for (const char *p = art.text; (p = strstr(p, "\n\n")); p += 2)
        breaks++;
    CHECK_INT(breaks, 2);
    buf_free(&file);
    arena_free(&a);
}

static void test_detect_by_content(void)
{
    CHECK(ingest_detect("{\"a\":1}\n", 8) == INPUT_JSONL);
    CHECK(ingest_detect("\xEF\xBB\xBF  {\"a\":1}", 12) == INPUT_JSONL);
    CHECK(ingest_detect("Title\n\nBody text.\n", 18) == INPUT_TEXTPAGE);
    CHECK(ingest_detect("<!DOCTYPE html><html>", 21) == INPUT_HTML);
    CHECK(ingest_detect(" \n\t\n", 4) == INPUT_EMPTY);
    CHECK(ingest_detect("", 0) == INPUT_EMPTY);
    CHECK(ingest_detect("abc\0def\n\nx", 10) == INPUT_BINARY);
    CHECK(ingest_detect("just one line of text without a blank line after it\nmore\n", 57) == INPUT_UNKNOWN);
}

typedef struct Collected {
    int articles, errors;
    int64_t published;
    char last_error[512];
    char first_where[256];
} Collected;

static int collect(void *ctx, const Article *a, const char *where)
{
    Collected *c = ctx;
    if (!c->articles)
        snprintf(c->first_where, sizeof c->first_where, "%s", where);
    c->articles++;
    c->published = a->published;
    return 0;
}

static void collect_error(void *ctx, const char *msg)
{
    Collected *c = ctx;
    c->errors++;
    snprintf(c->last_error, sizeof c->last_error, "%s", msg);
}

static void test_future_dates_are_clamped_to_when_read(void)
{
    char path[] = "/tmp/sw-ingest-XXXXXX";
    int fd = mkstemp(path);
    const char *content = "{\"title\":\"From the future\",\"published\":\"2999-01-01T00:00:00Z\"}\n";
    CHECK(write(fd, content, strlen(content)) == (ssize_t)strlen(content));
    close(fd);
    Collected c = {0};
    SwErr err;
    IngestOptions opt = {.fetched = 1791015300};
    CHECK(ingest_file(path, &opt, collect, collect_error, &c, NULL, &err) == 0);
    CHECK_INT(c.articles, 1);
    CHECK_INT(c.published, 1791015300);
    unlink(path);
}

/* A one-line JSON Feed whose "version" comes after the 4 KB the kind is
 * sniffed from is still read as a feed (one article per item), while a
 * JSONL article with a long first line that merely quotes the pattern in
 * its text stays an article. */
static void test_late_json_feed_version_is_found(void)
{
    Buf b = {0};
    buf_puts(&b, "{\"title\":\"Late\",\"items\":[");
    for (int i = 0; i < 40; i++)
        buf_printf(&b, "%s{\"id\":\"%d\",\"title\":\"Item %d\",\"content_text\":\"%0200d\"}", i ? "," : "", i, i,
                   0);
    buf_puts(&b, "],\"version\" : \"https://jsonfeed.org/version/1.1\"}");
    CHECK(b.len > 8192);
    char path[] = "/tmp/sw-ingest-XXXXXX";
    int fd = mkstemp(path);
    CHECK(write(fd, b.data, b.len) == (ssize_t)b.len);
    close(fd);
    Collected c = {0};
    SwErr err;
    CHECK(ingest_file(path, NULL, collect, collect_error, &c, NULL, &err) == 0);
    CHECK_INT(c.articles, 40);
    CHECK_INT(c.errors, 0);
    unlink(path);

    buf_reset(&b);
    buf_puts(&b, "{\"title\":\"About JSON Feed\",\"text\":\"");
    for (int i = 0; i < 60; i++)
        buf_puts(&b, "A feed says \\\"version\\\": \\\"https://jsonfeed.org/version/1\\\" at its top. ");
    buf_puts(&b, "\"}\n");
    CHECK(b.len > 4096);
    char path2[] = "/tmp/sw-ingest-XXXXXX";
    fd = mkstemp(path2);
    CHECK(write(fd, b.data, b.len) == (ssize_t)b.len);
    close(fd);
    Collected c2 = {0};
    CHECK(ingest_file(path2, NULL, collect, collect_error, &c2, NULL, &err) == 0);
    CHECK_INT(c2.articles, 1);
    unlink(path2);
    buf_free(&b);
}

static void test_file_with_bad_lines_reads_the_rest(void)
{
    char path[] = "/tmp/sw-ingest-XXXXXX";
    int fd = mkstemp(path);
    const char *content = "{\"title\":\"A\",\"text\":\"a\"}\n"
                          "not json\n"
                          "\n"
                          "{\"title\":\"B\",\"text\":\"b\"}\n"
                          "{\"title\":\"C\xff\"}\n"
                          "{\"title\":\"D\",\"text\":\"d\"}";
    CHECK(write(fd, content, strlen(content)) == (ssize_t)strlen(content));
    close(fd);
    Collected c = {0};
    IngestStats st = {0};
    SwErr err;
    IngestOptions opt = {.source = "Fallback"};
    CHECK(ingest_file(path, &opt, collect, collect_error, &c, &st, &err) == 0);
    CHECK_INT(c.articles, 3);
    CHECK_INT(c.errors, 2);
    CHECK_INT(st.skipped, 2);
    CHECK_INT(st.records, 5);
    char want[64];
    snprintf(want, sizeof want, "%s:5: ", path);
    CHECK(strstr(c.last_error, want) != NULL);
    snprintf(want, sizeof want, "%s:1", path);
    CHECK_STR(c.first_where, want);
    unlink(path);
}

static void test_unreadable_inputs_fail_with_the_file_name(void)
{
    Collected c = {0};
    SwErr err;
    CHECK(ingest_file("/nonexistent/x.jsonl", NULL, collect, collect_error, &c, NULL, &err) != 0);
    CHECK(strstr(err.msg, "/nonexistent/x.jsonl") != NULL);
    char path[] = "/tmp/sw-ingest-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    CHECK(ingest_file(path, NULL, collect, collect_error, &c, NULL, &err) != 0);
    CHECK(strstr(err.msg, "empty file") != NULL);
    fd = open(path, O_WRONLY | O_TRUNC);
    CHECK(write(fd, "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) == 16);
    close(fd);
    CHECK(ingest_file(path, NULL, collect, collect_error, &c, NULL, &err) != 0);
    CHECK(strstr(err.msg, "binary data") != NULL);
    CHECK_INT(c.articles, 0);
    unlink(path);
}

static void test_article_json_round_trip(void)
{
    Arena a = {0};
    Article art = {.url = "https://ex.org/<x>", .source = "S", .title = "T \"q\"", .text = "P1.\n\nP2.",
                   .published = 1791015300, .lang = "en"};
    Buf b = {0};
    ingest_article_to_json(&art, &b);
    Article back;
    SwErr err;
    CHECK(ingest_jsonl_line(&a, b.data, b.len, &back, &err) == 0);
    CHECK_STR(back.url, art.url);
    CHECK_STR(back.title, art.title);
    CHECK_STR(back.text, art.text);
    CHECK_INT(back.published, art.published);
    buf_free(&b);
    arena_free(&a);
}

int main(void)
{
    RUN(test_jsonl_line_reads_known_keys);
    RUN(test_jsonl_line_accepts_unix_and_rfc822_dates);
    RUN(test_jsonl_line_errors_say_what_is_wrong);
    RUN(test_error_messages_do_not_carry_control_characters);
    RUN(test_future_dates_are_clamped_to_when_read);
    RUN(test_late_json_feed_version_is_found);
    RUN(test_html_body_becomes_paragraphs);
    RUN(test_textpage_layout);
    RUN(test_detect_by_content);
    RUN(test_file_with_bad_lines_reads_the_rest);
    RUN(test_unreadable_inputs_fail_with_the_file_name);
    RUN(test_article_json_round_trip);
    return test_summary("ingest");
}
