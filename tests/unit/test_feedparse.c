/* test_feedparse.c - the feed reader (src/feeds): every format by a
 * hand-written feed, the normalisation feed.h promises (plain text,
 * absolute links, dates, ids, UTF-8), hostile and broken input, the
 * RFC 3986 resolver, OPML and feed discovery. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "feeds/feed.h"
#include "test.h"

static int parse(const char *xml, const char *url, Feed *f)
{
    SwErr err;
    int rc = feed_parse(xml, strlen(xml), url, NULL, f, &err);
    if (rc != 0)
        fprintf(stderr, "    feed_parse: %s\n", err.msg);
    return rc;
}

static const char rss2[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"\n"
    "     xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:media=\"http://search.yahoo.com/mrss/\">\n"
    "<channel><title>Harbour &amp; Times</title><link>https://harbour.example/</link>\n"
    "<description>Local &lt;b&gt;news&lt;/b&gt;</description><language>en-GB</language><ttl>30</ttl>\n"
    "<item><title>Port &amp; council agree &#8216;deal&#8217;</title>\n"
    "  <link>/news/port-deal</link><guid isPermaLink=\"false\">tag:harbour,2026:1</guid>\n"
    "  <pubDate>Tue, 03 Mar 2026 10:20:00 +0100</pubDate><dc:creator>Ann Lee</dc:creator>\n"
    "  <category>Politics</category><category>Port</category>\n"
    "  <description><![CDATA[<p>Short <i>summary</i>.</p>]]></description>\n"
    "  <content:encoded><![CDATA[<p>First paragraph.</p><p>Second &amp; last.</p><script>x()</script>]]></content:encoded>\n"
    "  <enclosure url=\"https://cdn.example/a.mp3\" type=\"audio/mpeg\" length=\"1234\"/>\n"
    "  <media:thumbnail url=\"thumb.jpg\"/>\n"
    "</item>\n"
    "<item><title>Second</title><link>https://harbour.example/2</link></item>\n"
    "</channel></rss>\n";

static void test_rss2_item_fields(void)
{
    Feed f;
    CHECK(parse(rss2, "https://harbour.example/feed.xml", &f) == 0);
    CHECK_STR(f.kind, "rss2");
    CHECK_STR(f.title, "Harbour & Times");
    CHECK_STR(f.link, "https://harbour.example/");
    CHECK_STR(f.description, "Local news");
    CHECK_STR(f.lang, "en-GB");
    CHECK_INT(f.ttl_minutes, 30);
    CHECK_INT(f.nitems, 2);
    if (f.nitems == 2) {
        const FeedItem *it = &f.items[0];
        CHECK_STR(it->title, "Port & council agree \xE2\x80\x98" "deal\xE2\x80\x99");
        CHECK_STR(it->link, "https://harbour.example/news/port-deal");
        CHECK_STR(it->id, "tag:harbour,2026:1");
        CHECK_INT(it->published, 1772529600); /* 2026-03-03T09:20:00Z */
        CHECK_STR(it->author, "Ann Lee");
        CHECK_INT(it->ncategories, 2);
        CHECK_STR(it->summary, "Short summary.");
        CHECK_STR(it->content, "First paragraph.\n\nSecond & last.");
        CHECK(it->content_html && strstr(it->content_html, "<p>First paragraph.</p>"));
        CHECK_STR(it->enclosure_url, "https://cdn.example/a.mp3");
        CHECK_STR(it->enclosure_type, "audio/mpeg");
        CHECK_INT(it->enclosure_length, 1234);
        CHECK_STR(it->image, "https://harbour.example/thumb.jpg");
        CHECK_STR(f.items[1].id, "https://harbour.example/2"); /* no guid: the link */
    }
    feed_free(&f);
}

static void test_rss_versions_detected(void)
{
    Feed f;
    CHECK(parse("<rss version=\"0.91\"><channel><title>t</title><item><title>a</title></item></channel></rss>", NULL, &f) == 0);
    CHECK_STR(f.kind, "rss091");
    CHECK_INT(f.nitems, 1);
    feed_free(&f);
    CHECK(parse("<rss version=\"0.92\"><channel><item><description>only a description</description></item></channel></rss>", NULL, &f) == 0);
    CHECK_STR(f.kind, "rss092");
    CHECK_STR(f.items[0].summary, "only a description");
    feed_free(&f);
    CHECK(parse("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://my.netscape.com/rdf/simple/0.9/\">"
                "<channel><title>Old</title></channel><item><title>Ninety</title><link>http://old.example/1</link></item></rdf:RDF>",
                NULL, &f) == 0);
    CHECK_STR(f.kind, "rss090");
    CHECK_STR(f.title, "Old");
    CHECK_STR(f.items[0].title, "Ninety");
    feed_free(&f);
}

static void test_rss1_rdf_with_dublin_core(void)
{
    static const char rdf[] =
        "<?xml version=\"1.0\"?><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\""
        " xmlns=\"http://purl.org/rss/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
        "<channel rdf:about=\"http://x.example/\"><title>RDF news</title><link>http://x.example/</link></channel>"
        "<item rdf:about=\"http://x.example/a\"><title>A</title><link>http://x.example/a</link>"
        "<dc:date>2026-03-04T10:20:00+00:00</dc:date><dc:subject>Science</dc:subject><dc:creator>Bo</dc:creator></item>"
        "</rdf:RDF>";
    Feed f;
    CHECK(parse(rdf, NULL, &f) == 0);
    CHECK_STR(f.kind, "rss1");
    CHECK_STR(f.title, "RDF news");
    CHECK_INT(f.nitems, 1);
    CHECK_INT(f.items[0].published, 1772619600);
    CHECK_STR(f.items[0].author, "Bo");
    CHECK(f.items[0].ncategories == 1 && strcmp(f.items[0].categories[0], "Science") == 0);
    feed_free(&f);
}

static void test_atom10_with_xml_base_and_xhtml(void)
{
    static const char atom[] =
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"https://blog.example/\" xml:lang=\"de\">"
        "<title type=\"html\">Blog &amp;lt;3</title><link rel=\"self\" href=\"/atom.xml\"/><link href=\"/\"/>"
        "<updated>2026-03-04T10:20:00Z</updated><author><name>Team</name></author><logo>logo.png</logo>"
        "<entry xml:base=\"posts/\"><title type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">Hello <b>world</b></div></title>"
        "<id>urn:uuid:1</id><link rel=\"alternate\" type=\"text/html\" href=\"hello.html\"/>"
        "<link rel=\"enclosure\" type=\"image/png\" href=\"pic.png\"/>"
        "<published>2026-03-01T00:00:00Z</published><updated>2026-03-02T00:00:00Z</updated>"
        "<author><name>Kim</name><email>kim@blog.example</email></author>"
        "<category term=\"t1\" label=\"Topic One\"/><category term=\"t2\"/>"
        "<summary type=\"text\">Plain &lt;not a tag&gt;</summary>"
        "<content type=\"html\">&lt;p&gt;Body one&lt;/p&gt;&lt;p&gt;Body two&lt;/p&gt;</content>"
        "<source><title>Elsewhere</title><author><name>Not Kim</name></author></source>"
        "</entry></feed>";
    Feed f;
    CHECK(parse(atom, "https://ignored.example/feed", &f) == 0);
    CHECK_STR(f.kind, "atom10");
    CHECK_STR(f.title, "Blog <3");
    CHECK_STR(f.link, "https://blog.example/");
    CHECK_STR(f.self_link, "https://blog.example/atom.xml");
    CHECK_STR(f.author, "Team");
    CHECK_STR(f.image, "https://blog.example/logo.png");
    CHECK_STR(f.lang, "de");
    CHECK_INT(f.updated, 1772619600);
    CHECK_INT(f.nitems, 1);
    const FeedItem *it = &f.items[0];
    CHECK_STR(it->title, "Hello world");
    CHECK_STR(it->id, "urn:uuid:1");
    CHECK_STR(it->link, "https://blog.example/posts/hello.html");
    CHECK_STR(it->image, "https://blog.example/posts/pic.png");
    CHECK_INT(it->published, 1772323200);
    CHECK_INT(it->updated, 1772409600);
    CHECK_STR(it->author, "Kim");
    CHECK(it->ncategories == 2 && strcmp(it->categories[0], "Topic One") == 0 && strcmp(it->categories[1], "t2") == 0);
    CHECK_STR(it->summary, "Plain <not a tag>");
    CHECK_STR(it->content, "Body one\n\nBody two");
    feed_free(&f);
}

static void test_atom03_modes(void)
{
    static const char atom03[] =
        "<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\"><title>Old Atom</title>"
        "<link rel=\"alternate\" type=\"text/html\" href=\"http://o.example/\"/>"
        "<entry><title mode=\"escaped\">A &amp;amp; B</title><link rel=\"alternate\" href=\"http://o.example/1\"/>"
        "<id>tag:o,2004:1</id><issued>2004-01-01T12:00:00Z</issued><modified>2004-01-02T12:00:00Z</modified>"
        "<content type=\"text/html\" mode=\"base64\">PHA+QmFzZTY0IGJvZHk8L3A+</content></entry></feed>";
    Feed f;
    CHECK(parse(atom03, NULL, &f) == 0);
    CHECK_STR(f.kind, "atom03");
    CHECK_STR(f.link, "http://o.example/");
    CHECK_STR(f.items[0].title, "A & B");
    CHECK_INT(f.items[0].published, 1072958400);
    CHECK_INT(f.items[0].updated, 1073044800);
    CHECK_STR(f.items[0].content, "Base64 body");
    feed_free(&f);
}

static void test_json_feed_both_versions(void)
{
    static const char jf11[] =
        "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"JSON News\",\"home_page_url\":\"https://j.example/\","
        "\"language\":\"fr\",\"authors\":[{\"name\":\"Desk\"}],\"items\":["
        "{\"id\":\"1\",\"url\":\"/one\",\"title\":\"Un &amp; deux\",\"content_html\":\"<p>Texte</p>\","
        "\"date_published\":\"2026-03-04T10:20:00Z\",\"tags\":[\"a\",\"b\"],\"authors\":[{\"name\":\"Zoé\"}],"
        "\"attachments\":[{\"url\":\"https://j.example/a.mp3\",\"mime_type\":\"audio/mpeg\",\"size_in_bytes\":99}]},"
        "{\"id\":2,\"content_text\":\"Just text\"}]}";
    Feed f;
    CHECK(parse(jf11, "https://j.example/feed.json", &f) == 0);
    CHECK_STR(f.kind, "jsonfeed11");
    CHECK_STR(f.title, "JSON News");
    CHECK_STR(f.author, "Desk");
    CHECK_INT(f.nitems, 2);
    CHECK_STR(f.items[0].link, "https://j.example/one");
    CHECK_STR(f.items[0].title, "Un & deux");
    CHECK_STR(f.items[0].content, "Texte");
    CHECK_STR(f.items[0].author, "Zoé");
    CHECK_INT(f.items[0].published, 1772619600);
    CHECK_INT(f.items[0].ncategories, 2);
    CHECK_STR(f.items[0].enclosure_url, "https://j.example/a.mp3");
    CHECK_STR(f.items[1].id, "2");
    CHECK_STR(f.items[1].content, "Just text");
    feed_free(&f);
    static const char jf10[] =
        "{\"version\":\"https://jsonfeed.org/version/1\",\"title\":\"Old JSON\",\"author\":{\"name\":\"Solo\"},"
        "\"items\":[{\"id\":\"x\",\"summary\":\"S\",\"date_modified\":\"2026-03-04T10:20:00Z\"}]}";
    CHECK(parse(jf10, NULL, &f) == 0);
    CHECK_STR(f.kind, "jsonfeed10");
    CHECK_STR(f.author, "Solo");
    CHECK_INT(f.items[0].updated, 1772619600);
    CHECK_INT(f.items[0].published, 1772619600); /* no date_published: the modified date */
    feed_free(&f);
    CHECK(parse("{\"title\":\"no version\",\"items\":[]}", NULL, &f) != 0);
    feed_free(&f);
}

static void test_item_id_falls_back_to_link_then_hash(void)
{
    static const char a[] = "<rss><channel><item><title>Same</title><description>Text</description></item>"
                            "<item><title>Other</title><description>Text</description></item></channel></rss>";
    Feed f, g;
    CHECK(parse(a, NULL, &f) == 0);
    CHECK(parse(a, NULL, &g) == 0);
    CHECK(strncmp(f.items[0].id, "hash:", 5) == 0);
    CHECK_STR(f.items[0].id, g.items[0].id); /* stable across reads */
    CHECK(strcmp(f.items[0].id, f.items[1].id) != 0);
    feed_free(&f);
    feed_free(&g);
}

static void test_encodings_become_utf8(void)
{
    Feed f;
    SwErr err;
    /* declared ISO-8859-1: Latin-1 bytes converted */
    static const char latin1[] = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><item><title>Caf\xE9 \x93quoted\x94</title></item></channel></rss>";
    CHECK(feed_parse(latin1, strlen(latin1), NULL, NULL, &f, &err) == 0);
    CHECK_STR(f.items[0].title, "Café \xE2\x80\x9Cquoted\xE2\x80\x9D");
    feed_free(&f);
    /* declared UTF-8 with stray Windows-1252 bytes: each read as 1252 */
    static const char mixed[] = "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss><channel><item><title>Caf\xC3\xA9 and na\xEFve</title></item></channel></rss>";
    CHECK(feed_parse(mixed, strlen(mixed), NULL, NULL, &f, &err) == 0);
    CHECK_STR(f.items[0].title, "Café and naïve");
    feed_free(&f);
    /* wrong declaration: says ISO-8859-1, is UTF-8 */
    static const char wrong[] = "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss><channel><item><title>Zo\xC3\xAB</title></item></channel></rss>";
    CHECK(feed_parse(wrong, strlen(wrong), NULL, NULL, &f, &err) == 0);
    CHECK_STR(f.items[0].title, "Zoë");
    feed_free(&f);
    /* the HTTP charset wins over the declaration */
    static const char koi[] = "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss><channel><item><title>\xF0\xD2\xC9\xD7\xC5\xD4</title></item></channel></rss>";
    CHECK(feed_parse(koi, strlen(koi), NULL, "KOI8-R", &f, &err) == 0);
    CHECK_STR(f.items[0].title, "Привет");
    feed_free(&f);
    /* UTF-16LE with a byte order mark */
    const char *src = "<rss><channel><item><title>Wide</title></item></channel></rss>";
    size_t n = strlen(src);
    char *wide = malloc(2 + 2 * n);
    wide[0] = (char)0xFF;
    wide[1] = (char)0xFE;
    for (size_t i = 0; i < n; i++) {
        wide[2 + 2 * i] = src[i];
        wide[3 + 2 * i] = 0;
    }
    CHECK(feed_sniff(wide, 2 + 2 * n));
    CHECK(feed_parse(wide, 2 + 2 * n, NULL, NULL, &f, &err) == 0);
    CHECK(f.nitems == 1 && strcmp(f.items[0].title, "Wide") == 0);
    feed_free(&f);
    free(wide);
    /* an unknown charset: read as UTF-8, not refused */
    static const char odd[] = "<?xml version=\"1.0\" encoding=\"x-klingon\"?><rss><channel><item><title>Qapla</title></item></channel></rss>";
    CHECK(feed_parse(odd, strlen(odd), NULL, NULL, &f, &err) == 0);
    CHECK_STR(f.items[0].title, "Qapla");
    feed_free(&f);
}

static void test_bad_inputs_are_refused_clearly(void)
{
    Feed f;
    SwErr err;
    CHECK(feed_parse("", 0, NULL, NULL, &f, &err) != 0);
    CHECK(strstr(err.msg, "0 bytes") != NULL);
    const char *page = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>oops</body></html>";
    CHECK(feed_parse(page, strlen(page), NULL, NULL, &f, &err) != 0);
    CHECK(strstr(err.msg, "HTML page") != NULL);
    const char *junk = "Internal Server Error";
    CHECK(feed_parse(junk, strlen(junk), NULL, NULL, &f, &err) != 0);
    CHECK(strstr(err.msg, "not a feed") != NULL);
    const char *json = "{\"not\": \"a feed\"}";
    CHECK(feed_parse(json, strlen(json), NULL, NULL, &f, &err) != 0);
    /* an element that is a prefix and nothing else, at the very end */
    const char *empty_local = "<rss><channel><item><title>t</title></item><dc:";
    CHECK(feed_parse(empty_local, strlen(empty_local), NULL, NULL, &f, &err) == 0);
    CHECK_INT(f.nitems, 1);
    feed_free(&f);
    const char *notxml = "<<<>>><<</>";
    CHECK(feed_parse(notxml, strlen(notxml), NULL, NULL, &f, &err) != 0);
    feed_free(&f); /* safe after a failure */
}

static void test_broken_xml_keeps_what_it_can(void)
{
    Feed f;
    /* truncated in the middle of the second item; a stray end tag; an
     * unclosed <p> in naked markup; a bare ampersand */
    static const char broken[] =
        "<rss version=\"2.0\"><channel><title>Broken & co</title>"
        "<item><title>One</title></bogus><description><p>naked <b>markup</description><link>http://b.example/1</link></item>"
        "<item><title>Two</title><link>http://b.example/2</li";
    CHECK(parse(broken, NULL, &f) == 0);
    CHECK_STR(f.title, "Broken & co");
    CHECK_INT(f.nitems, 2);
    if (f.nitems == 2) {
        CHECK_STR(f.items[0].summary, "naked markup");
        CHECK_STR(f.items[0].link, "http://b.example/1");
        CHECK_STR(f.items[1].title, "Two");
    }
    feed_free(&f);
}

static void test_entity_attacks_do_nothing(void)
{
    Feed f;
    static const char xxe[] =
        "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
        "<rss><channel><item><title>a&xxe;b</title></item></channel></rss>";
    CHECK(parse(xxe, NULL, &f) == 0);
    CHECK(f.nitems == 1 && !strstr(f.items[0].title, "root:"));
    CHECK_STR(f.items[0].title, "a&xxe;b");
    feed_free(&f);
    static const char laughs[] =
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
        "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
        "<!ENTITY lol9 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">]>"
        "<rss><channel><item><title>&lol9;</title></item></channel></rss>";
    CHECK(parse(laughs, NULL, &f) == 0);
    CHECK_STR(f.items[0].title, "&lol9;");
    feed_free(&f);
}

static void test_size_cap_and_bounded_work(void)
{
    Feed f;
    SwErr err;
    /* over the cap: refused before any work, with the limit named */
    size_t big = 100u << 20;
    char *huge = malloc(big);
    memset(huge, ' ', big);
    memcpy(huge, "<rss><channel>", 14);
    clock_t t0 = clock();
    CHECK(feed_parse(huge, big, NULL, NULL, &f, &err) != 0);
    CHECK(strstr(err.msg, "limit") != NULL);
    CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 1.0);
    free(huge);
    /* many items: kept up to FEED_MAX_ITEMS, the rest dropped */
    Buf b = {0};
    buf_puts(&b, "<rss><channel>");
    for (unsigned i = 0; i < FEED_MAX_ITEMS + 10; i++)
        buf_puts(&b, "<item><title>x</title></item>");
    buf_puts(&b, "</channel></rss>");
    CHECK(feed_parse(b.data, b.len, NULL, NULL, &f, &err) == 0);
    CHECK_INT(f.nitems, FEED_MAX_ITEMS);
    feed_free(&f);
    buf_free(&b);
    /* deep nesting: no recursion, no stack to exhaust */
    buf_puts(&b, "<rss><channel><item><title>deep</title>");
    for (int i = 0; i < 100000; i++)
        buf_puts(&b, "<x>");
    buf_puts(&b, "</item></channel></rss>");
    CHECK(feed_parse(b.data, b.len, NULL, NULL, &f, &err) == 0);
    CHECK(f.nitems == 1 && strcmp(f.items[0].title, "deep") == 0);
    feed_free(&f);
    buf_free(&b);
}

static void test_namespaces_by_uri_not_prefix(void)
{
    Feed f;
    static const char odd[] =
        "<rss xmlns:c=\"http://purl.org/rss/1.0/modules/content/\" xmlns:d=\"http://purl.org/dc/elements/1.1\">"
        "<channel><item><c:encoded>&lt;p&gt;Full&lt;/p&gt;</c:encoded><d:creator>Who</d:creator>"
        "<content:encoded>undeclared prefix, conventional meaning</content:encoded></item></channel></rss>";
    CHECK(parse(odd, NULL, &f) == 0);
    CHECK_STR(f.items[0].content, "Full");
    CHECK_STR(f.items[0].author, "Who");
    feed_free(&f);
}

static void test_feed_item_article(void)
{
    Feed f;
    CHECK(parse(rss2, "https://harbour.example/feed.xml", &f) == 0);
    Article a;
    CHECK(feed_item_article(&f, &f.items[0], &a) == 0);
    CHECK_STR(a.url, "https://harbour.example/news/port-deal");
    CHECK_STR(a.source, "Harbour & Times");
    CHECK_STR(a.text, "First paragraph.\n\nSecond & last.");
    CHECK_STR(a.lang, "en");
    CHECK_STR(a.ext_id, "tag:harbour,2026:1");
    CHECK_INT(a.published, 1772529600);
    feed_free(&f);
}

static void check_resolve(const char *ref, const char *want)
{
    char *got = url_resolve("http://a/b/c/d;p?q", ref);
    CHECK_STR(got, want);
    free(got);
}

/* Item HTML that is a whole page (or carries navigation, sidebars,
 * footers) goes through the article extractor: its boilerplate is left
 * out. A plain fragment is converted as it is, and so is a fragment whose
 * extraction would keep too little of it. */
static void test_page_like_item_html_goes_through_the_extractor(void)
{
    const char *para = "The harbour authority said on Tuesday that the northern pier would stay closed for "
                       "repairs until the spring, after storm damage was found in the supports. ";
    Buf xml = {0};
    buf_puts(&xml, "<rss version=\"2.0\"><channel><title>T</title>"
                   "<item><title>Page</title><link>https://h.example/1</link><description><![CDATA["
                   "<html><body><nav><a href=/>Home</a> <a href=/sport>Sport</a> <a href=/weather>Weather</a></nav>"
                   "<article><h1>Pier closes</h1>");
    for (int i = 0; i < 4; i++)
        buf_printf(&xml, "<p>%s%s</p>", para, para);
    buf_puts(&xml, "</article><aside><h3>Most read</h3><ul><li><a href=/x>Celebrity news item</a></li></ul></aside>"
                   "<footer>Copyright Harbour Times. Cookie settings.</footer></body></html>]]></description></item>"
                   "<item><title>Fragment</title><link>https://h.example/2</link>"
                   "<description><![CDATA[<p>Short <b>fragment</b>.</p><figure><figcaption>Pier at dusk</figcaption>"
                   "</figure>]]></description></item>"
                   "<item><title>Footer only</title><link>https://h.example/3</link>"
                   "<description><![CDATA[<p>Two lines.</p><footer>Posted by Ann</footer>]]></description></item>"
                   "<item><title>All footer</title><link>https://h.example/4</link>"
                   "<description><![CDATA[<footer>Posted by Ann on Tuesday</footer>]]></description></item>"
                   "</channel></rss>");
    Feed f;
    CHECK_INT(parse(xml.data, NULL, &f), 0);
    CHECK_INT(f.nitems, 4);
    if (f.nitems == 4) {
        const char *page = f.items[0].summary;
        CHECK(page && strstr(page, "northern pier would stay closed"));
        CHECK(page && !strstr(page, "Weather"));            /* navigation */
        CHECK(page && !strstr(page, "Celebrity news item")); /* sidebar */
        CHECK(page && !strstr(page, "Cookie settings"));     /* footer */
        CHECK_STR(f.items[1].summary, "Short fragment.\n\nPier at dusk");
        CHECK_STR(f.items[2].summary, "Two lines."); /* the footer is boilerplate */
        /* nothing left after extraction: the plain conversion is kept */
        CHECK_STR(f.items[3].summary, "Posted by Ann on Tuesday");
    }
    feed_free(&f);
    buf_free(&xml);
}

static void test_url_resolve_rfc3986_examples(void)
{
    /* RFC 3986 section 5.4.1 and 5.4.2 */
    check_resolve("g:h", "g:h");
    check_resolve("g", "http://a/b/c/g");
    check_resolve("./g", "http://a/b/c/g");
    check_resolve("g/", "http://a/b/c/g/");
    check_resolve("/g", "http://a/g");
    check_resolve("//g", "http://g");
    check_resolve("?y", "http://a/b/c/d;p?y");
    check_resolve("g?y", "http://a/b/c/g?y");
    check_resolve("#s", "http://a/b/c/d;p?q#s");
    check_resolve("g#s", "http://a/b/c/g#s");
    check_resolve(";x", "http://a/b/c/;x");
    check_resolve("", "http://a/b/c/d;p?q");
    check_resolve(".", "http://a/b/c/");
    check_resolve("./", "http://a/b/c/");
    check_resolve("..", "http://a/b/");
    check_resolve("../", "http://a/b/");
    check_resolve("../g", "http://a/b/g");
    check_resolve("../..", "http://a/");
    check_resolve("../../g", "http://a/g");
    check_resolve("../../../g", "http://a/g");
    check_resolve("/./g", "http://a/g");
    check_resolve("/../g", "http://a/g");
    check_resolve("g.", "http://a/b/c/g.");
    check_resolve("..g", "http://a/b/c/..g");
    check_resolve("./../g", "http://a/b/g");
    check_resolve("g/./h", "http://a/b/c/g/h");
    check_resolve("g/../h", "http://a/b/c/h");
    check_resolve("  g  ", "http://a/b/c/g");
    /* a base without scheme or authority, and nothing written before ".." */
    char *r = url_resolve("x", "/../g");
    CHECK_STR(r, "/g");
    free(r);
    r = url_resolve("", "../..");
    CHECK_STR(r, "../..");
    free(r);
    r = url_resolve(NULL, "relative/only");
    CHECK_STR(r, "relative/only");
    free(r);
    r = url_resolve("https://host.example", "x");
    CHECK_STR(r, "https://host.example/x");
    free(r);
}

static void test_opml_read_nested_and_write_escaped(void)
{
    static const char opml[] =
        "<?xml version=\"1.0\"?><opml version=\"1.0\"><head><title>Mine</title></head><body>"
        "<outline text=\"News\"><outline text=\"World\">"
        "<outline type=\"rss\" text=\"Wire &amp; Co\" xmlUrl=\"https://w.example/rss\" htmlUrl=\"https://w.example/\"/>"
        "</outline><outline title=\"Local\" xmlurl=\"https://l.example/feed\" category=\"/City\"/></outline>"
        "<outline text=\"Loose\" xmlUrl=\"https://loose.example/atom\"/>"
        "</body></opml>";
    OpmlOutline *o;
    size_t n;
    SwErr err;
    CHECK(opml_parse(opml, strlen(opml), &o, &n, &err) == 0);
    CHECK_INT(n, 3);
    if (n == 3) {
        CHECK_STR(o[0].title, "Wire & Co");
        CHECK_STR(o[0].xml_url, "https://w.example/rss");
        CHECK_STR(o[0].html_url, "https://w.example/");
        CHECK_STR(o[0].category, "News/World");
        CHECK_STR(o[1].category, "/City");
        CHECK_STR(o[1].xml_url, "https://l.example/feed");
        CHECK(o[2].category == NULL);
    }
    Buf out = {0};
    opml_write(o, n, "Mine <&>", &out);
    CHECK(strstr(out.data, "<opml version=\"2.0\">") != NULL);
    CHECK(strstr(out.data, "text=\"Wire &amp; Co\"") != NULL);
    CHECK(strstr(out.data, "<title>Mine &lt;&amp;&gt;</title>") != NULL);
    /* what it writes, it reads back the same */
    OpmlOutline *back;
    size_t nb;
    CHECK(opml_parse(out.data, out.len, &back, &nb, &err) == 0);
    CHECK_INT(nb, n);
    for (size_t i = 0; i < n && i < nb; i++) {
        CHECK_STR(back[i].xml_url, o[i].xml_url);
        CHECK_STR(back[i].title, o[i].title);
    }
    opml_free(back, nb);
    opml_free(o, n);
    buf_free(&out);
    /* control characters are dropped: an xmlUrl of nothing else is none */
    static const char ctl[] = "<opml><body><outline text=\"a\tb\" xmlUrl=\"\x01\"/>"
                              "<outline text=\"c\" xmlUrl=\"https://c\x02.example/\"/></body></opml>";
    CHECK(opml_parse(ctl, strlen(ctl), &o, &n, &err) == 0);
    CHECK_INT(n, 1);
    if (n == 1)
        CHECK_STR(o[0].xml_url, "https://c.example/");
    opml_free(o, n);
    CHECK(opml_parse("<rss/>", 6, &o, &n, &err) != 0);
    CHECK(opml_parse("", 0, &o, &n, &err) != 0);
}

static void test_discover_feed_links(void)
{
    static const char page[] =
        "<!DOCTYPE html><html><head><base href=\"https://site.example/news/\">"
        "<link rel=\"stylesheet\" href=\"s.css\">"
        "<LINK REL=\"alternate\" TYPE=\"application/rss+xml\" HREF=\"feed.xml\">"
        "<link rel=\"alternate home\" type=\"application/atom+xml\" href=\"/atom\">"
        "<link rel=\"alternate\" type=\"text/html\" href=\"/fr/\">"
        "</head><body><link rel=\"alternate\" type=\"application/rss+xml\" href=\"/body-ignored\"></body></html>";
    char **urls;
    size_t n;
    SwErr err;
    CHECK(feed_discover(page, strlen(page), "https://site.example/", &urls, &n, &err) == 0);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(urls[0], "https://site.example/news/feed.xml");
        CHECK_STR(urls[1], "https://site.example/atom");
    }
    feed_urls_free(urls, n);
}

static void test_sniff(void)
{
    CHECK(feed_sniff("<?xml version=\"1.0\"?>\n<!-- hi --><rss version=\"2.0\">", 47));
    CHECK(feed_sniff("\xEF\xBB\xBF<feed xmlns=\"http://www.w3.org/2005/Atom\">", 45));
    CHECK(feed_sniff("<rdf:RDF xmlns:rdf=\"x\">", 23));
    CHECK(feed_sniff("{\"version\": \"https://jsonfeed.org/version/1.1\"}", 47));
    CHECK(!feed_sniff("<html><head>", 12));
    CHECK(!feed_sniff("{\"url\": \"https://x\"}", 20));
    CHECK(!feed_sniff("", 0));
}

int main(void)
{
    RUN(test_rss2_item_fields);
    RUN(test_rss_versions_detected);
    RUN(test_rss1_rdf_with_dublin_core);
    RUN(test_atom10_with_xml_base_and_xhtml);
    RUN(test_atom03_modes);
    RUN(test_json_feed_both_versions);
    RUN(test_item_id_falls_back_to_link_then_hash);
    RUN(test_encodings_become_utf8);
    RUN(test_bad_inputs_are_refused_clearly);
    RUN(test_broken_xml_keeps_what_it_can);
    RUN(test_entity_attacks_do_nothing);
    RUN(test_size_cap_and_bounded_work);
    RUN(test_namespaces_by_uri_not_prefix);
    RUN(test_feed_item_article);
    RUN(test_page_like_item_html_goes_through_the_extractor);
    RUN(test_url_resolve_rfc3986_examples);
    RUN(test_opml_read_nested_and_write_escaped);
    RUN(test_discover_feed_links);
    RUN(test_sniff);
    return test_summary("feedparse");
}
