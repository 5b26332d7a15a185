/* test_render.c - a Page as text (the example page's layout, line for
 * line), Markdown and HTML; hostile article strings stay inert; the front
 * page paginates; the story list is valid JSON. */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/json.h"
#include "render/render.h"
#include "test.h"

/* The page every test starts from, shaped like the example page. */
typedef struct Fixture {
    Page page;
    PageSentence summary[2], r1[1], r2[2], n1[1];
    PageParagraph rescue[2], next[1];
    PageSection sections[2];
    PageQuote quotes[1];
    PageSource sources[2];
    PageRelated related[2];
} Fixture;

static void fixture_init(Fixture *f)
{
    memset(f, 0, sizeof *f);
    f->sources[0] = (PageSource){101, "Harbour Times", "Ferry runs aground", "https://ht.example/aurora", 1790000000, NULL, 0};
    f->sources[1] = (PageSource){102, "Daily Post", "Ferry stuck off the cape", NULL, 0, NULL, 0};
    f->summary[0] = (PageSentence){"The ferry Aurora ran aground off the cape on Monday.", 0};
    f->summary[1] = (PageSentence){"All 212 passengers were taken ashore.", 1};
    f->r1[0] = (PageSentence){"Tugs arrived at dawn.", 1};
    f->r2[0] = (PageSentence){"The operator gave no cause.", 0};
    f->r2[1] = (PageSentence){"Divers inspect the hull today.", 1};
    f->n1[0] = (PageSentence){"The ferry will be towed to port.", 0};
    f->rescue[0] = (PageParagraph){f->r1, 1};
    f->rescue[1] = (PageParagraph){f->r2, 2};
    f->next[0] = (PageParagraph){f->n1, 1};
    f->sections[0] = (PageSection){"Rescue at dawn", f->rescue, 2};
    f->sections[1] = (PageSection){"What comes next", f->next, 1};
    f->quotes[0] = (PageQuote){"We were lucky.", "Captain Ana Ruiz", "told reporters", 0};
    f->related[0] = (PageRelated){"storm-closes-harbour", "Storm closes the harbour"};
    f->related[1] = (PageRelated){"fishing-fleet-stays-in-port", "Fishing fleet stays in port"};
    Page *p = &f->page;
    p->story_id = 42;
    p->version = 2;
    p->slug = "aurora-ferry-aground-cape";
    p->headline = "Ferry Aurora runs aground off the cape";
    p->summary = f->summary;
    p->n_summary = 2;
    p->image = "https://ht.example/aurora.jpg";
    p->image_source = 0;
    p->sections = f->sections;
    p->n_sections = 2;
    p->quotes = f->quotes;
    p->n_quotes = 1;
    p->sources = f->sources;
    p->n_sources = 2;
    p->related = f->related;
    p->n_related = 2;
    p->lang = "en";
    p->article_count = 5;
    p->source_count = 2;
    p->first_published = 1790000000;
    p->last_published = 1790003600;
    p->updated = 1790007200;
}

/* Line i (0-based) of s, copied into out. */
static const char *line_of(const char *s, int i, char *out, size_t n)
{
    for (; i > 0 && s; i--) {
        s = strchr(s, '\n');
        if (s)
            s++;
    }
    if (!s)
        return "(no such line)";
    size_t len = strcspn(s, "\n");
    if (len >= n)
        len = n - 1;
    memcpy(out, s, len);
    out[len] = '\0';
    return out;
}

static int count_of(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* ---- text ---- */

static void test_text_follows_the_example_layout_line_for_line(void)
{
    Fixture f;
    fixture_init(&f);
    Buf b = {0};
    render_text(&f.page, &b);
    const char *want =
        "Ferry Aurora runs aground off the cape\n"
        "\n"
        "The ferry Aurora ran aground off the cape on Monday. [1] All 212 passengers were taken ashore. [2]\n"
        "\n"
        "aurora-ferry-aground-cape\n"
        "Image for Ferry Aurora runs aground off the cape\n"
        "\n"
        "Rescue at dawn\n"
        "\n"
        "Tugs arrived at dawn. [2]\n"
        "\n"
        "The operator gave no cause. [1] Divers inspect the hull today. [2]\n"
        "\n"
        "What comes next\n"
        "\n"
        "The ferry will be towed to port. [1]\n"
        "\n"
        "In their words\n"
        "\n"
        "\xE2\x80\x9CWe were lucky,\xE2\x80\x9D Captain Ana Ruiz told reporters. [1]\n"
        "\n"
        "You might also like\n"
        "Storm closes the harbour\n"
        "Fishing fleet stays in port\n"
        "\n"
        "Sources\n"
        "[1] Harbour Times \xE2\x80\x94 Ferry runs aground \xE2\x80\x94 https://ht.example/aurora \xE2\x80\x94 "
        "2026-09-21T14:13:20Z\n"
        "[2] Daily Post \xE2\x80\x94 Ferry stuck off the cape\n";
    CHECK_STR(buf_cstr(&b), want);
    char line[256];
    CHECK_STR(line_of(b.data, 0, line, sizeof line), "Ferry Aurora runs aground off the cape");
    CHECK_STR(line_of(b.data, 1, line, sizeof line), "");
    CHECK(strstr(line_of(b.data, 2, line, sizeof line), "on Monday. [1]") != NULL);
    CHECK_STR(line_of(b.data, 4, line, sizeof line), "aurora-ferry-aground-cape");
    CHECK_STR(line_of(b.data, 5, line, sizeof line), "Image for Ferry Aurora runs aground off the cape");
    CHECK_STR(line_of(b.data, 7, line, sizeof line), "Rescue at dawn");
    buf_free(&b);
}

static void test_text_without_image_or_quotes_leaves_those_lines_out(void)
{
    Fixture f;
    fixture_init(&f);
    f.page.image = NULL;
    f.page.n_quotes = 0;
    f.page.n_related = 0;
    Buf b = {0};
    render_text(&f.page, &b);
    char line[256];
    CHECK_STR(line_of(b.data, 4, line, sizeof line), "aurora-ferry-aground-cape");
    CHECK_STR(line_of(b.data, 5, line, sizeof line), "");
    CHECK_STR(line_of(b.data, 6, line, sizeof line), "Rescue at dawn");
    CHECK(strstr(b.data, "Image for") == NULL);
    CHECK(strstr(b.data, "In their words") == NULL);
    /* the heading still marks where the story ends, as on the example */
    CHECK(strstr(b.data, "\n\nYou might also like\n\nSources\n") != NULL);
    buf_free(&b);
}

static void test_text_folds_line_breaks_inside_article_strings(void)
{
    Fixture f;
    fixture_init(&f);
    f.page.headline = "Two\nlines\x01";
    f.r1[0].text = "Fake heading\n\nSources";
    Buf b = {0};
    render_text(&f.page, &b);
    char line[256];
    CHECK_STR(line_of(b.data, 0, line, sizeof line), "Two lines");
    CHECK(strstr(b.data, "Fake heading  Sources [2]\n") != NULL);
    buf_free(&b);
}

static void test_text_quote_keeps_its_question_mark(void)
{
    Fixture f;
    fixture_init(&f);
    f.quotes[0] = (PageQuote){"Who will pay for this?", "Mayor Lund", NULL, 1};
    Buf b = {0};
    render_text(&f.page, &b);
    CHECK(strstr(b.data, "\xE2\x80\x9CWho will pay for this?\xE2\x80\x9D Mayor Lund said. [2]\n") != NULL);
    buf_free(&b);
}

/* ---- background and timeline (every format) ---- */

static PageBackground fixture_background[2] = {
    {"Cape Verde", "place", "The Cape Verde islands lie off West Africa.", "Wiki <pedia>", "javascript:alert(1)"},
    {"Aurora Line", "organisation", "Aurora Line runs ferries & freight.", "WordNet", "https://wordnet.princeton.edu/"},
};
static PageEvent fixture_events[2] = {
    {"2026-09-20", "The ferry left port on Sunday <evening>.", 1},
    {"2019-05", "The ferry entered service in May 2019.", 0},
};

static void with_background_and_timeline(Fixture *f)
{
    f->page.background = fixture_background;
    f->page.n_background = 2;
    f->page.timeline = fixture_events;
    f->page.n_timeline = 2;
}

static void test_text_has_background_lines_and_a_timeline(void)
{
    Fixture f;
    fixture_init(&f);
    with_background_and_timeline(&f);
    Buf b = {0};
    render_text(&f.page, &b);
    const char *want =
        "In their words\n"
        "\n"
        "\xE2\x80\x9CWe were lucky,\xE2\x80\x9D Captain Ana Ruiz told reporters. [1]\n"
        "\n"
        "Background\n"
        "\n"
        "According to Wiki <pedia>, the Cape Verde islands lie off West Africa.\n"
        "According to WordNet, Aurora Line runs ferries & freight.\n"
        "\n"
        "Timeline\n"
        "\n"
        "20 September 2026: The ferry left port on Sunday <evening>. [2]\n"
        "May 2019: The ferry entered service in May 2019. [1]\n"
        "\n"
        "You might also like\n";
    CHECK(strstr(buf_cstr(&b), want) != NULL);
    buf_free(&b);
}

static void test_markdown_has_background_and_timeline(void)
{
    Fixture f;
    fixture_init(&f);
    with_background_and_timeline(&f);
    Buf b = {0};
    render_markdown(&f.page, &b);
    const char *m = buf_cstr(&b);
    CHECK(strstr(m, "## Background\n\n") != NULL);
    /* a javascript: URL is not linked; an https one is */
    CHECK(strstr(m, "javascript") == NULL);
    CHECK(strstr(m, "- According to [WordNet](https://wordnet.princeton.edu/), Aurora Line runs ferries") != NULL);
    CHECK(strstr(m, "## Timeline\n\n- **20 September 2026**: The ferry left port") != NULL);
    CHECK(strstr(m, "[2](https://ht.example/aurora)") == NULL); /* source 2 has no URL */
    CHECK(strstr(m, "May 2019. [1](https://ht.example/aurora)") != NULL);
    buf_free(&b);
}

static void test_html_has_a_background_block_naming_and_linking_sources(void)
{
    Fixture f;
    fixture_init(&f);
    with_background_and_timeline(&f);
    Buf b = {0};
    render_html_page(&f.page, &b);
    const char *h = buf_cstr(&b);
    const char *bg = strstr(h, "<h2 id=\"background-heading\">Background</h2>");
    CHECK(bg != NULL);
    CHECK(strstr(h, "javascript:") == NULL);
    CHECK(strstr(h, "<li>According to <span class=\"kb-source\">Wiki &lt;pedia&gt;</span>, the Cape Verde islands") != NULL);
    CHECK(strstr(h, "<li>According to <a class=\"kb-source\" href=\"https://wordnet.princeton.edu/\" "
                    "rel=\"noopener nofollow\">WordNet</a>, Aurora Line runs ferries &amp; freight.</li>") != NULL);
    const char *tl = strstr(h, "<h2 id=\"timeline-heading\">Timeline</h2>");
    CHECK(tl != NULL && bg != NULL && bg < tl);
    CHECK(strstr(h, "<li><time datetime=\"2026-09-20\">20 September 2026</time> The ferry left port on Sunday "
                    "&lt;evening&gt;.\xE2\x81\xA0<sup class=\"cite\"><a href=\"#src-2\"") != NULL);
    /* the articles list is still there, as Coverage, after the timeline */
    const char *cov = strstr(h, "<h2 id=\"coverage-heading\">Coverage</h2>");
    CHECK(cov != NULL && tl != NULL && tl < cov);
    buf_free(&b);
}

static void test_pages_without_background_or_timeline_leave_them_out(void)
{
    Fixture f;
    fixture_init(&f);
    Buf t = {0}, m = {0}, h = {0};
    render_text(&f.page, &t);
    render_markdown(&f.page, &m);
    render_html_page(&f.page, &h);
    CHECK(strstr(t.data, "Background") == NULL && strstr(t.data, "Timeline") == NULL);
    CHECK(strstr(m.data, "## Background") == NULL && strstr(m.data, "## Timeline") == NULL);
    CHECK(strstr(h.data, "background-heading") == NULL && strstr(h.data, "timeline-heading") == NULL);
    buf_free(&t);
    buf_free(&m);
    buf_free(&h);
}

/* ---- Markdown ---- */

static void test_markdown_has_headings_quotes_and_linked_citations(void)
{
    Fixture f;
    fixture_init(&f);
    f.r2[0].text = "The operator gave *no* cause [yet].";
    Buf b = {0};
    render_markdown(&f.page, &b);
    const char *m = buf_cstr(&b);
    CHECK(strncmp(m, "# Ferry Aurora runs aground off the cape\n\n", 42) == 0);
    CHECK(strstr(m, "\n## Rescue at dawn\n\n") != NULL);
    CHECK(strstr(m, "\n## What comes next\n\n") != NULL);
    CHECK(strstr(m, "on Monday. [1](https://ht.example/aurora)") != NULL);
    /* a source without a URL is cited but not linked */
    CHECK(strstr(m, "taken ashore. \\[2\\]") != NULL);
    CHECK(strstr(m, "\n> \xE2\x80\x9CWe were lucky.\xE2\x80\x9D\n>\n> \xE2\x80\x94 Captain Ana Ruiz, told reporters") != NULL);
    CHECK(strstr(m, "- [Storm closes the harbour](/story/storm-closes-harbour)\n") != NULL);
    CHECK(strstr(m, "## Sources\n\n1. Harbour Times \xE2\x80\x94 [Ferry runs aground](https://ht.example/aurora)") != NULL);
    CHECK(strstr(m, "![Image for Ferry Aurora runs aground off the cape](https://ht.example/aurora.jpg)") != NULL);
    /* article text cannot make emphasis or links */
    CHECK(strstr(m, "gave \\*no\\* cause \\[yet\\].") != NULL);
    buf_free(&b);
}

static void test_markdown_does_not_link_unsafe_urls(void)
{
    Fixture f;
    fixture_init(&f);
    f.sources[0].url = "javascript:alert(1)";
    f.page.image = "data:image/png;base64,AAAA";
    Buf b = {0};
    render_markdown(&f.page, &b);
    CHECK(strstr(b.data, "](javascript") == NULL);
    CHECK(strstr(b.data, "](data:") == NULL);
    CHECK(strstr(b.data, "1. Harbour Times \xE2\x80\x94 Ferry runs aground") != NULL);
    buf_free(&b);
}

/* ---- HTML story page ---- */

static void test_html_page_is_a_complete_accessible_document(void)
{
    Fixture f;
    fixture_init(&f);
    Buf b = {0};
    render_html_page(&f.page, &b);
    const char *h = buf_cstr(&b);
    CHECK(strncmp(h, "<!DOCTYPE html>\n<html lang=\"en\">", 32) == 0);
    CHECK(strstr(h, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">") != NULL);
    CHECK(strstr(h, "<link rel=\"stylesheet\" href=\"/static/style.css\">") != NULL);
    CHECK(strstr(h, "<header class=\"site-header\">") != NULL);
    CHECK(strstr(h, "<a class=\"brand\" href=\"/\">storywire</a>") != NULL);
    CHECK(strstr(h, "<main id=\"content\">") != NULL);
    CHECK(strstr(h, "<footer class=\"site-footer\">") != NULL);
    CHECK_INT(count_of(h, "<h1>"), 1);
    CHECK(strstr(h, "<h1>") < strstr(h, "<h2"));
    CHECK(strstr(h, "<h1>Ferry Aurora runs aground off the cape</h1>") != NULL);
    CHECK(strstr(h, "5 articles from 2 outlets") != NULL);
    /* the meta line dates the news (latest report), not the page write */
    CHECK(strstr(h, "Updated <time datetime=\"2026-09-21T15:13:20Z\">21 September 2026, 15:13 UTC</time>") != NULL);
    CHECK(strstr(h, "<p class=\"lead\">The ferry Aurora ran aground off the cape on Monday.\xE2\x81\xA0<sup class=\"cite\">"
                    "<a href=\"#src-1\"") != NULL);
    CHECK(strstr(h, "alt=\"Image for Ferry Aurora runs aground off the cape\"") != NULL);
    CHECK(strstr(h, "loading=\"lazy\"") != NULL);
    CHECK(strstr(h, "width=\"1200\" height=\"675\"") != NULL);
    CHECK(strstr(h, "<h2 id=\"sec-1\">Rescue at dawn</h2>") != NULL);
    CHECK(strstr(h, "Tugs arrived at dawn.\xE2\x81\xA0<sup class=\"cite\"><a href=\"#src-2\" aria-label=\"Source 2: Daily Post\">"
                    "[2]</a></sup>") != NULL);
    CHECK(strstr(h, "<blockquote class=\"quote\"><p>\xE2\x80\x9CWe were lucky.\xE2\x80\x9D</p><footer>"
                    "\xE2\x80\x94 <cite class=\"speaker\">Captain Ana Ruiz</cite>, told reporters\xE2\x81\xA0<sup") != NULL);
    CHECK(strstr(h, "<a href=\"/story/storm-closes-harbour\">Storm closes the harbour</a>") != NULL);
    CHECK(strstr(h, "<li id=\"src-1\"><span class=\"outlet\">Harbour Times</span> <a class=\"source-title\" "
                    "href=\"https://ht.example/aurora\" rel=\"noopener nofollow\">Ferry runs aground</a>") != NULL);
    /* the second source has no URL: listed, not linked */
    CHECK(strstr(h, "<li id=\"src-2\"><span class=\"outlet\">Daily Post</span> <span class=\"source-title\">") != NULL);
    CHECK(strstr(h, "<script") == NULL);
    CHECK(strstr(h, "</html>\n") != NULL);
    buf_free(&b);
}

static void test_html_escapes_a_hostile_page(void)
{
    Fixture f;
    fixture_init(&f);
    f.page.headline = "<script>alert(1)</script> \"quoted\" & 'single'";
    f.page.lang = "en\" onload=\"x";
    f.sources[0].url = "javascript:alert(1)";
    f.sources[0].outlet = "Bob's \"News\"";
    f.sources[1].url = " JaVaScRiPt:alert(2)";
    f.page.image = "javascript:alert(3)";
    f.r1[0].text = "Bad bytes \xff\xfe here.";
    f.r2[0].text = "Control\x01\x1b chars.";
    f.related[0].slug = "a/b\"c><";
    f.quotes[0].speaker = "<b>Speaker</b>";
    Buf b = {0};
    render_html_page(&f.page, &b);
    const char *h = buf_cstr(&b);
    CHECK(strstr(h, "<script") == NULL);
    CHECK(strstr(h, "&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &amp; &#39;single&#39;") != NULL);
    CHECK(strstr(h, "javascript:") == NULL);
    CHECK(strstr(h, "JaVaScRiPt") == NULL);
    CHECK(strstr(h, "<html lang=\"en\">") != NULL);
    CHECK(strstr(h, "aria-label=\"Source 1: Bob&#39;s &quot;News&quot;\"") != NULL);
    CHECK(strstr(h, "Bad bytes \xEF\xBF\xBD\xEF\xBF\xBD here.") != NULL);
    CHECK(strstr(h, "Control chars.") != NULL);
    CHECK(strchr(h, '\x01') == NULL && strchr(h, '\x1b') == NULL);
    CHECK(strstr(h, "href=\"/story/a%2Fb%22c%3E%3C\"") != NULL);
    CHECK(strstr(h, "&lt;b&gt;Speaker&lt;/b&gt;") != NULL);
    /* no image at all when its URL is not http(s) */
    CHECK(strstr(h, "<img") == NULL);
    buf_free(&b);
}

static void test_html_links_http_urls_in_any_case(void)
{
    Fixture f;
    fixture_init(&f);
    f.sources[0].url = "HTTPS://ht.example/x?a=1&b=2";
    f.page.image = "Http://img.example/a.jpg";
    Buf b = {0};
    render_html_page(&f.page, &b);
    CHECK(strstr(b.data, "href=\"HTTPS://ht.example/x?a=1&amp;b=2\" rel=\"noopener nofollow\"") != NULL);
    CHECK(strstr(b.data, "<img src=\"Http://img.example/a.jpg\"") != NULL);
    buf_free(&b);
}

/* ---- front page, errors, JSON ---- */

static void rows_init(StoryRow *rows)
{
    memset(rows, 0, 2 * sizeof *rows);
    rows[0] = (StoryRow){.id = 1, .slug = "aurora-ferry-aground-cape", .headline = "Ferry <Aurora> runs aground",
                         .summary = "The ferry ran aground.", .image = "https://ht.example/a.jpg",
                         .updated = 1790007200, .article_count = 3, .source_count = 2, .page_version = 1};
    rows[1] = (StoryRow){.id = 2, .slug = "storm-closes-harbour", .headline = "Storm closes the harbour",
                         .summary = "A storm closed it.", .image = "javascript:x", .article_count = 1,
                         .source_count = 1, .page_version = 4};
}

static void test_index_lists_story_cards(void)
{
    StoryRow rows[2];
    rows_init(rows);
    Buf b = {0};
    render_html_index(rows, 2, 1, 0, &b);
    const char *h = buf_cstr(&b);
    CHECK(strstr(h, "<html lang=\"en\">") != NULL);
    CHECK(strstr(h, "<h1 class=\"page-title\">Top stories</h1>") != NULL);
    CHECK(strstr(h, "<a href=\"/story/aurora-ferry-aground-cape\">Ferry &lt;Aurora&gt; runs aground</a>") != NULL);
    CHECK(strstr(h, "3 articles \xC2\xB7 2 outlets \xC2\xB7 updated <time datetime=\"2026-09-21T16:13:20Z\">") != NULL);
    CHECK(strstr(h, "1 article \xC2\xB7 1 outlet") != NULL);
    CHECK_INT(count_of(h, "<img"), 1);
    CHECK(strstr(h, "alt=\"Image for Ferry &lt;Aurora&gt; runs aground\"") != NULL);
    /* one page only: no pagination */
    CHECK(strstr(h, "?page=") == NULL);
    buf_free(&b);
}

static void test_index_pagination_links(void)
{
    StoryRow rows[2];
    rows_init(rows);
    Buf b = {0};
    render_html_index(rows, 2, 2, 1, &b);
    CHECK(strstr(b.data, "<a rel=\"prev\" href=\"/?page=1\">") != NULL);
    CHECK(strstr(b.data, "<a rel=\"next\" href=\"/?page=3\">") != NULL);
    buf_reset(&b);
    render_html_index(rows, 2, 1, 1, &b);
    CHECK(strstr(b.data, "rel=\"prev\"") == NULL);
    CHECK(strstr(b.data, "<a rel=\"next\" href=\"/?page=2\">") != NULL);
    buf_reset(&b);
    render_html_index(rows, 2, 5, 0, &b);
    CHECK(strstr(b.data, "<a rel=\"prev\" href=\"/?page=4\">") != NULL);
    CHECK(strstr(b.data, "rel=\"next\"") == NULL);
    buf_free(&b);
}

static void test_index_without_stories_says_so(void)
{
    Buf b = {0};
    render_html_index(NULL, 0, 1, 0, &b);
    CHECK(strstr(b.data, "No stories yet") != NULL);
    CHECK(strstr(b.data, "<ol") == NULL);
    buf_free(&b);
}

static void test_error_page_shows_status_and_links_home(void)
{
    Buf b = {0};
    render_html_error(404, "No story called <x>.", &b);
    CHECK(strncmp(b.data, "<!DOCTYPE html>", 15) == 0);
    CHECK(strstr(b.data, "<title>404 Not found") != NULL);
    CHECK(strstr(b.data, "<h1>404 \xC2\xB7 Not found</h1>") != NULL);
    CHECK(strstr(b.data, "No story called &lt;x&gt;.") != NULL);
    CHECK(strstr(b.data, "<a href=\"/\">Back to the top stories</a>") != NULL);
    buf_free(&b);
}

static void test_json_story_list_is_valid_json(void)
{
    StoryRow rows[2];
    rows_init(rows);
    Buf b = {0};
    render_json_story_list(rows, 2, &b);
    Arena a = {0};
    SwErr err;
    JsonValue *v = json_parse(&a, b.data, b.len, &err);
    CHECK(v != NULL);
    if (v) {
        CHECK_INT(v->type, JSON_ARRAY);
        CHECK_INT(v->u.arr.n, 2);
        const JsonValue *first = v->u.arr.items[0];
        CHECK_STR(json_get_str(first, "slug"), "aurora-ferry-aground-cape");
        CHECK_STR(json_get_str(first, "headline"), "Ferry <Aurora> runs aground");
        CHECK_STR(json_get_str(first, "summary"), "The ferry ran aground.");
        CHECK_STR(json_get_str(first, "updated"), "2026-09-21T16:13:20Z");
        CHECK_INT(json_get_int(first, "article_count", -1), 3);
        CHECK_INT(json_get_int(first, "source_count", -1), 2);
        CHECK(json_get(first, "first_published") && json_get(first, "first_published")->type == JSON_NULL);
    }
    buf_reset(&b);
    render_json_story_list(NULL, 0, &b);
    CHECK_STR(b.data, "[]");
    buf_free(&b);
    arena_free(&a);
}

static void test_html_story_lists_its_coverage_oldest_first(void)
{
    Fixture f;
    fixture_init(&f);
    PageSource three[3] = {
        {101, "Harbour Times", "Later report", "https://ht.example/2", 1790003600, NULL, 0},
        {102, "Daily Post", "No time known", NULL, 0, NULL, 0},
        {103, "Coast <News>", "First report", "https://cn.example/1", 1790000000, NULL, 0},
    };
    f.page.sources = three;
    f.page.n_sources = 3;
    Buf out = {0};
    render_html_page(&f.page, &out);
    const char *html = buf_cstr(&out);
    const char *tl = strstr(html, "<h2 id=\"coverage-heading\">Coverage</h2>");
    CHECK(tl != NULL);
    if (tl) {
        const char *first = strstr(tl, "<a href=\"#src-3\">First report</a>");
        const char *later = strstr(tl, "<a href=\"#src-1\">Later report</a>");
        const char *unknown = strstr(tl, "<a href=\"#src-2\">No time known</a>");
        CHECK(first && later && unknown && first < later && later < unknown);
        CHECK(strstr(tl, "Coast &lt;News&gt;") != NULL);
        CHECK(strstr(tl, "<time datetime=\"2026-09-21T14:13:20Z\">") != NULL);
    }
    /* without versions there is no history section */
    CHECK(strstr(html, "Update history") == NULL);
    buf_free(&out);
}

static void test_html_story_lists_its_update_history(void)
{
    Fixture f;
    fixture_init(&f);
    WebPageVersion v[2] = {{2, 1790007200, "Ferry Aurora runs aground", "Added 2 articles from <Daily Post>."},
                           {1, 1790000000, "Ferry aground", NULL}};
    Buf out = {0};
    render_html_page_history(&f.page, v, 2, &out);
    const char *html = buf_cstr(&out);
    const char *h = strstr(html, "<h2 id=\"history-heading\">Update history</h2>");
    CHECK(h != NULL);
    if (h) {
        const char *v2 = strstr(h, "Version 2</span> <time datetime=\"2026-09-21T16:13:20Z\">");
        const char *v1 = strstr(h, "Version 1</span> <time datetime=\"2026-09-21T14:13:20Z\">");
        CHECK(v2 && v1 && v2 < v1);
        CHECK(strstr(h, "Added 2 articles from &lt;Daily Post&gt;.") != NULL);
        CHECK(strstr(h, "First version.") != NULL);
    }
    CHECK(strstr(html, "</html>") != NULL);
    buf_free(&out);
}

static void test_stylesheet_has_dark_mode_and_wraps_long_words(void)
{
    CHECK(strstr(render_stylesheet, "prefers-color-scheme:dark") != NULL);
    CHECK(strstr(render_stylesheet, "overflow-wrap:anywhere") != NULL);
    CHECK(strstr(render_stylesheet, "max-width:42rem") != NULL);
}

int main(void)
{
    RUN(test_text_follows_the_example_layout_line_for_line);
    RUN(test_text_without_image_or_quotes_leaves_those_lines_out);
    RUN(test_text_folds_line_breaks_inside_article_strings);
    RUN(test_text_quote_keeps_its_question_mark);
    RUN(test_markdown_has_headings_quotes_and_linked_citations);
    RUN(test_markdown_does_not_link_unsafe_urls);
    RUN(test_html_page_is_a_complete_accessible_document);
    RUN(test_html_escapes_a_hostile_page);
    RUN(test_html_links_http_urls_in_any_case);
    RUN(test_index_lists_story_cards);
    RUN(test_index_pagination_links);
    RUN(test_index_without_stories_says_so);
    RUN(test_error_page_shows_status_and_links_home);
    RUN(test_json_story_list_is_valid_json);
    RUN(test_html_story_lists_its_coverage_oldest_first);
    RUN(test_text_has_background_lines_and_a_timeline);
    RUN(test_markdown_has_background_and_timeline);
    RUN(test_html_has_a_background_block_naming_and_linking_sources);
    RUN(test_pages_without_background_or_timeline_leave_them_out);
    RUN(test_html_story_lists_its_update_history);
    RUN(test_stylesheet_has_dark_mode_and_wraps_long_words);
    return test_summary("test_render");
}
