/* test_extract.c - the article extractor on invented pages: metadata from
 * JSON-LD, OpenGraph, <meta>, <time> and <link>; charsets; boilerplate
 * left out and article structure kept; broken, binary, deep and large
 * input. */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/timeutil.h"
#include "extract/extract.h"
#include "extract/extract_internal.h"
#include "test.h"

static int extract_str(const char *html, const char *url, const char *cs, Extracted *x)
{
    SwErr err;
    int rc = extract_html(html, strlen(html), url, cs, x, &err);
    if (rc != 0)
        fprintf(stderr, "    extract_html: %s\n", err.msg);
    return rc;
}

static int contains(const char *hay, const char *needle)
{
    return hay && strstr(hay, needle) != NULL;
}

#define PARA1 "The council approved the new bridge on Monday after a debate that lasted four hours, with twelve votes in favour."
#define PARA2 "Construction will start in May, the mayor said, and the crossing should open to traffic, cyclists and walkers in 2028."
#define PARA3 "Residents who opposed the plan said they would appeal, arguing that the cost, the noise and the traffic were underestimated."

static void test_jsonld_graph_gives_metadata(void)
{
    const char *html =
        "<html><head><title>Site title</title>"
        "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@graph\":["
        "{\"@type\":\"WebSite\",\"name\":\"The Gazette\"},"
        "{\"@type\":[\"NewsArticle\"],\"headline\":\"Council approves bridge &amp; road\","
        "\"datePublished\":\"2026-03-04T10:20:00+01:00\",\"author\":[{\"@type\":\"Person\",\"name\":\"Ana Ruiz\"},"
        "{\"@type\":\"Person\",\"name\":\"Tom Berg\"}],\"image\":{\"@type\":\"ImageObject\",\"url\":\"/img/bridge.jpg\"},"
        "\"publisher\":{\"@type\":\"Organization\",\"name\":\"Gazette Media\"},\"description\":\"A vote.\"}]}"
        "</script></head><body><article><p>" PARA1 "</p><p>" PARA2 "</p></article></body></html>";
    Extracted x;
    CHECK(extract_str(html, "https://news.example/a/1.html", NULL, &x) == 0);
    CHECK_STR(x.title, "Council approves bridge & road");
    CHECK_STR(x.author, "Ana Ruiz, Tom Berg");
    CHECK_INT(x.published, 1772616000); /* 09:20 UTC */
    CHECK_STR(x.image, "https://news.example/img/bridge.jpg");
    CHECK_STR(x.site_name, "Gazette Media");
    CHECK_STR(x.description, "A vote.");
    CHECK_STR(x.url, "https://news.example/a/1.html");
    extracted_free(&x);
}

static void test_opengraph_and_meta_when_no_jsonld(void)
{
    const char *html =
        "<html lang=\"de-DE\"><head><meta property=\"og:title\" content=\"Brücke genehmigt\">"
        "<meta name=\"author\" content=\"Jan Weber\"><meta property=\"og:site_name\" content=\"Tagesblatt\">"
        "<meta property=\"article:published_time\" content=\"2026-03-04T08:00:00Z\">"
        "<meta name=\"twitter:image\" content=\"https://cdn.example/b.png\">"
        "<meta name=\"description\" content=\"Der Rat stimmt zu.\">"
        "<link rel=\"canonical\" href=\"/artikel/bruecke\"></head>"
        "<body><div class=\"content\"><p>" PARA1 "</p><p>" PARA2 "</p></div></body></html>";
    Extracted x;
    CHECK(extract_str(html, "https://tb.example/x?utm=1", NULL, &x) == 0);
    CHECK_STR(x.title, "Brücke genehmigt");
    CHECK_STR(x.author, "Jan Weber");
    CHECK_STR(x.site_name, "Tagesblatt");
    CHECK_INT(x.published, 1772611200);
    CHECK_STR(x.image, "https://cdn.example/b.png");
    CHECK_STR(x.description, "Der Rat stimmt zu.");
    CHECK_STR(x.url, "https://tb.example/artikel/bruecke");
    CHECK_STR(x.lang, "de-DE");
    extracted_free(&x);
}

static void test_time_element_and_h1_are_fallbacks(void)
{
    const char *html = "<html><body><h1>Bridge vote</h1><p>By staff, <time datetime=\"2026-03-04\">March 4</time></p>"
                       "<div><p>" PARA1 "</p><p>" PARA2 "</p></div></body></html>";
    Extracted x;
    CHECK(extract_str(html, NULL, NULL, &x) == 0);
    CHECK_STR(x.title, "Bridge vote");
    CHECK_INT(x.published, 1772582400);
    CHECK(x.url == NULL);
    CHECK(x.author == NULL);
    extracted_free(&x);
}

static void test_dates_in_news_formats(void)
{
    int64_t t = 0;
    CHECK(extract_parse_date("March 4, 2026", &t) == 0);
    CHECK_INT(t, 1772582400);
    CHECK(extract_parse_date("4 March 2026 10:20", &t) == 0);
    CHECK_INT(t, 1772619600);
    CHECK(extract_parse_date("Mar. 4, 2026, 10:20 AM EST", &t) == 0);
    CHECK_INT(t, 1772619600 + 5 * 3600);
    CHECK(extract_parse_date("Updated 2:05 p.m. Mar 4, 2026", &t) == 0);
    CHECK_INT(t, 1772582400 + 14 * 3600 + 5 * 60);
    CHECK(extract_parse_date("Wednesday, March 4th, 2026", &t) == 0);
    CHECK_INT(t, 1772582400);
    CHECK(extract_parse_date("2026/03/04", &t) == 0);
    CHECK_INT(t, 1772582400);
    CHECK(extract_parse_date("04.03.2026", &t) == 0);
    CHECK_INT(t, 1772582400);
    CHECK(extract_parse_date("2026-03-04T10:20:00Z", &t) == 0);
    CHECK_INT(t, 1772619600);
    CHECK(extract_parse_date("yesterday", &t) != 0);
    CHECK(extract_parse_date("March 4", &t) != 0);
    CHECK(extract_parse_date("", &t) != 0);
}

/* ---- charsets ---- */

static void test_windows_1252_declared_in_meta(void)
{
    const char *html = "<html><head><meta charset=\"windows-1252\"></head><body><p>"
                       "Caf\xe9 cr\xe8me costs \x80" "5 and the \x93" "best\x94 croissant in town is sold out by nine every morning.</p></body></html>";
    Extracted x;
    CHECK(extract_str(html, NULL, NULL, &x) == 0);
    CHECK(contains(x.text, "Café crème costs €5 and the “best” croissant"));
    extracted_free(&x);
}

static void test_http_charset_wins_over_meta(void)
{
    const char *html = "<html><head><meta charset=\"utf-8\"></head><body><p>"
                       "\xc1rvore do ver\xe3o: the longest sentence of this small test page has enough words.</p></body></html>";
    Extracted x;
    CHECK(extract_str(html, NULL, "ISO-8859-1", &x) == 0);
    CHECK(contains(x.text, "Árvore do verão"));
    extracted_free(&x);
}

static void test_wrong_declared_charset_is_overruled(void)
{
    /* declared latin-1, but the bytes are valid UTF-8 */
    const char *html = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">"
                       "</head><body><p>Zürich and Malmö signed the agreement on Tuesday after weeks of talks.</p></body></html>";
    Extracted x;
    CHECK(extract_str(html, NULL, NULL, &x) == 0);
    CHECK(contains(x.text, "Zürich and Malmö"));
    extracted_free(&x);
    /* declared UTF-8, but the bytes are windows-1252 */
    const char *h2 = "<html><head><meta charset=utf-8></head><body><p>Z\xfcrich and Malm\xf6 signed the "
                     "agreement on Tuesday after weeks of talks, both \xe9quipes said.</p></body></html>";
    CHECK(extract_str(h2, NULL, NULL, &x) == 0);
    CHECK(contains(x.text, "Zürich and Malmö"));
    extracted_free(&x);
}

static void test_byte_order_marks(void)
{
    const char *html = "\xef\xbb\xbf<html><head><meta charset=\"windows-1252\"></head><body><p>"
                       "Se\xc3\xb1or L\xc3\xb3pez said the harbour would reopen next week after the storm.</p></body></html>";
    Extracted x;
    CHECK(extract_str(html, NULL, NULL, &x) == 0);
    CHECK(contains(x.text, "Señor López said"));
    extracted_free(&x);
    /* UTF-16LE with a BOM */
    const char *ascii = "<html><body><p>Sixteen bits per character, and still the same story about the harbour.</p></body></html>";
    size_t n = strlen(ascii);
    char *u16 = malloc(2 + 2 * n);
    u16[0] = (char)0xFF;
    u16[1] = (char)0xFE;
    for (size_t i = 0; i < n; i++) {
        u16[2 + 2 * i] = ascii[i];
        u16[3 + 2 * i] = 0;
    }
    SwErr err;
    CHECK(extract_html(u16, 2 + 2 * n, NULL, NULL, &x, &err) == 0);
    CHECK(contains(x.text, "Sixteen bits per character"));
    extracted_free(&x);
    free(u16);
}

static void test_no_charset_guesses_and_never_fails_on_bad_bytes(void)
{
    Extracted x;
    /* no declaration, valid UTF-8 */
    CHECK(extract_str("<p>Tromsø and Kraków are twinned since the spring, the mayors announced.</p>", NULL, NULL, &x) == 0);
    CHECK(contains(x.text, "Tromsø and Kraków"));
    extracted_free(&x);
    /* no declaration, single-byte text: windows-1252 */
    CHECK(extract_str("<p>Troms\xf8 and Krak\xf3w are twinned since the spring, the mayors announced.</p>", NULL, NULL, &x) == 0);
    CHECK(contains(x.text, "Tromsø and Kraków"));
    extracted_free(&x);
    /* mostly UTF-8 with one stray byte: kept as UTF-8, the byte replaced */
    CHECK(extract_str("<p>Tromsø, Kraków, Malmö and Zürich\xff signed the charter of the twinned cities.</p>", NULL, NULL, &x) == 0);
    CHECK(contains(x.text, "Tromsø, Kraków, Malmö and Zürich\xef\xbf\xbd signed"));
    extracted_free(&x);
    /* an unknown label is ignored */
    CHECK(extract_str("<p>Plain words in a page that names a charset nobody knows about at all.</p>", NULL, "x-martian", &x) == 0);
    CHECK(contains(x.text, "Plain words"));
    extracted_free(&x);
}

/* ---- body ---- */

static const char *boilerplate_page =
    "<html><head><title>Bridge</title></head><body>"
    "<header class=\"site-header\"><a href=\"/\">Gazette</a><ul class=\"menu\"><li><a href=\"/w\">World</a></li>"
    "<li><a href=\"/s\">Sports</a></li></ul></header>"
    "<div id=\"cookie-banner\">We use cookies to improve your experience. Accept all cookies or manage your settings here.</div>"
    "<nav><a href=\"/a\">Politics</a> <a href=\"/b\">Business</a></nav>"
    "<main><article><h1>Council approves bridge</h1>"
    "<div class=\"byline\">By Ana Ruiz, March 4, 2026</div>"
    "<div class=\"share-buttons\"><a href=\"#\">Facebook</a> <a href=\"#\">Twitter</a> <a href=\"#\">Email</a></div>"
    "<p>" PARA1 "</p><p>" PARA2 "</p>"
    "<h2>What comes next</h2><p>" PARA3 "</p>"
    "<ul><li>Public hearings begin in April, in the town hall and online.</li>"
    "<li>A final design will be chosen in the autumn by an independent jury.</li></ul>"
    "<blockquote><p>This bridge will connect two halves of our city that have been apart for too long.</p></blockquote>"
    "<div class=\"advert\">Advertisement: buy a car today with zero percent financing, offer ends soon.</div>"
    "</article>"
    "<aside class=\"related\"><h3>Related stories</h3><ul><li><a href=\"/r1\">Old bridge closes for repairs after inspection</a></li>"
    "<li><a href=\"/r2\">Ferry prices rise again this winter season</a></li></ul></aside>"
    "<section id=\"comments\"><h3>12 comments</h3><p>Great news, finally! I have waited for this bridge for my whole life, honestly.</p></section>"
    "</main><footer><p>Copyright 2026 Gazette. All rights reserved. Contact us, privacy policy, terms of use.</p></footer>"
    "</body></html>";

static void test_boilerplate_is_left_out(void)
{
    Extracted x;
    CHECK(extract_str(boilerplate_page, NULL, NULL, &x) == 0);
    CHECK(contains(x.text, PARA1));
    CHECK(contains(x.text, PARA3));
    const char *junk[] = {"cookies", "Politics", "Sports", "Facebook", "Advertisement", "Related stories",
                          "Ferry prices", "Great news", "Copyright", "By Ana Ruiz"};
    for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++)
        if (contains(x.text, junk[i])) {
            fprintf(stderr, "    boilerplate kept: %s\n", junk[i]);
            CHECK(!contains(x.text, junk[i]));
        }
    extracted_free(&x);
}

static void test_headings_lists_and_quotes_are_kept_in_order(void)
{
    Extracted x;
    CHECK(extract_str(boilerplate_page, NULL, NULL, &x) == 0);
    const char *order[] = {PARA1, PARA2, "What comes next", PARA3, "Public hearings begin in April",
                           "A final design will be chosen", "This bridge will connect"};
    const char *at = x.text ? x.text : "";
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const char *p = strstr(at, order[i]);
        CHECK(p != NULL);
        if (p)
            at = p;
    }
    /* paragraphs are separated by one blank line, the title is not repeated */
    CHECK(contains(x.text, PARA1 "\n\n" PARA2));
    CHECK(!contains(x.text, "Council approves bridge\n"));
    extracted_free(&x);
}

static void test_article_split_over_sibling_blocks_is_joined(void)
{
    const char *html = "<html><body><div class=\"page\"><div class=\"chunks\">"
                       "<div class=\"grid\"><div class=\"body\"><p>" PARA1 "</p><p>" PARA2 "</p></div>"
                       "<div class=\"ad-rail\"></div></div>"
                       "<div class=\"grid\"><div class=\"body\"><p>" PARA3 "</p><p>" PARA1 "</p></div>"
                       "<div class=\"ad-rail\"></div></div></div></div></body></html>";
    Extracted x;
    CHECK(extract_str(html, NULL, NULL, &x) == 0);
    CHECK(contains(x.text, PARA2));
    CHECK(contains(x.text, PARA3));
    extracted_free(&x);
}

static void test_calls_to_action_and_closing_link_lists_are_trimmed(void)
{
    const char *html = "<html><body><div class=\"story\"><p>" PARA1 "</p><p>" PARA2 "</p>"
                       "<ul><li>Hearings start in <a href=\"/h\">April</a>, in the town hall.</li>"
                       "<li>The design is chosen in autumn.</li></ul><p>" PARA3 "</p>"
                       "<p>Follow us on Twitter for more local news.</p>"
                       "<div>More from the Gazette</div>"
                       "<ul><li>Read: <a href=\"/x\">Ferry prices rise again</a></li>"
                       "<li>Read: <a href=\"/y\">Old bridge closes</a></li>"
                       "<li>Read: <a href=\"/z\">Mayor re-elected</a></li></ul></div></body></html>";
    Extracted x;
    CHECK(extract_str(html, NULL, NULL, &x) == 0);
    CHECK(contains(x.text, "Hearings start in April"));
    CHECK(contains(x.text, PARA3));
    CHECK(!contains(x.text, "Follow us"));
    CHECK(!contains(x.text, "More from the Gazette"));
    CHECK(!contains(x.text, "Ferry prices"));
    extracted_free(&x);
}

/* ---- bad input ---- */

static void test_broken_and_truncated_html(void)
{
    Extracted x;
    const char *html = "<html><body><div><p>" PARA1 "<p>" PARA2 "<div><span><b>unclosed <i>tags</b> everywhere <p>" PARA3
                       "</div></div></div></span></table><p>and then cut in the mid<a href=\"x";
    CHECK(extract_str(html, NULL, NULL, &x) == 0);
    CHECK(contains(x.text, PARA1));
    CHECK(contains(x.text, PARA3));
    extracted_free(&x);
    CHECK(extract_str("<", NULL, NULL, &x) == 0);
    extracted_free(&x);
    CHECK(extract_str("<html><head><title>Only a title", NULL, NULL, &x) == 0);
    CHECK_STR(x.text, "");
    extracted_free(&x);
}

static void test_binary_and_empty_input_are_errors(void)
{
    Extracted x;
    SwErr err;
    const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0";
    CHECK(extract_html(png, sizeof png - 1, NULL, NULL, &x, &err) == -1);
    CHECK(contains(err.msg, "binary"));
    CHECK(x.text == NULL && x.title == NULL);
    CHECK(extract_html("", 0, NULL, NULL, &x, &err) == -1);
    CHECK(contains(err.msg, "empty"));
    CHECK(extract_html("just words, no markup at all", 28, NULL, NULL, &x, &err) == -1);
    CHECK(contains(err.msg, "not HTML"));
}

static void test_deep_nesting_does_not_exhaust_the_stack(void)
{
    Buf b = {0};
    for (int i = 0; i < 200000; i++)
        buf_puts(&b, "<div><span>");
    buf_puts(&b, "<p>" PARA1 "</p>");
    Extracted x;
    SwErr err;
    CHECK(extract_html(b.data, b.len, NULL, NULL, &x, &err) == 0);
    extracted_free(&x);
    buf_free(&b);
}

static void test_large_pages(void)
{
    /* 8 MB of paragraphs: extracted */
    Buf b = {0};
    buf_puts(&b, "<html><body><article>");
    while (b.len < 8u * 1024 * 1024)
        buf_puts(&b, "<p>" PARA1 "</p>\n");
    buf_puts(&b, "</article></body></html>");
    Extracted x;
    SwErr err;
    CHECK(extract_html(b.data, b.len, NULL, NULL, &x, &err) == 0);
    CHECK(x.text && strlen(x.text) > 7u * 1024 * 1024);
    extracted_free(&x);
    /* millions of tags: the tree stops at its cap, the text before it stays */
    buf_reset(&b);
    buf_puts(&b, "<p>" PARA1 "</p>");
    while (b.len < 6u * 1024 * 1024)
        buf_puts(&b, "<b></b>");
    CHECK(extract_html(b.data, b.len, NULL, NULL, &x, &err) == 0);
    CHECK(contains(x.text, PARA1));
    extracted_free(&x);
    /* above the limit: refused with the size in the message */
    buf_reserve(&b, EXTRACT_MAX_BYTES + 16);
    memset(b.data, ' ', EXTRACT_MAX_BYTES + 1);
    memcpy(b.data, "<html>", 6);
    CHECK(extract_html(b.data, EXTRACT_MAX_BYTES + 1, NULL, NULL, &x, &err) == -1);
    CHECK(contains(err.msg, "bytes"));
    buf_free(&b);
}

int main(void)
{
    RUN(test_jsonld_graph_gives_metadata);
    RUN(test_opengraph_and_meta_when_no_jsonld);
    RUN(test_time_element_and_h1_are_fallbacks);
    RUN(test_dates_in_news_formats);
    RUN(test_windows_1252_declared_in_meta);
    RUN(test_http_charset_wins_over_meta);
    RUN(test_wrong_declared_charset_is_overruled);
    RUN(test_byte_order_marks);
    RUN(test_no_charset_guesses_and_never_fails_on_bad_bytes);
    RUN(test_boilerplate_is_left_out);
    RUN(test_headings_lists_and_quotes_are_kept_in_order);
    RUN(test_article_split_over_sibling_blocks_is_joined);
    RUN(test_calls_to_action_and_closing_link_lists_are_trimmed);
    RUN(test_broken_and_truncated_html);
    RUN(test_binary_and_empty_input_are_errors);
    RUN(test_deep_nesting_does_not_exhaust_the_stack);
    RUN(test_large_pages);
    return test_summary("extract");
}
