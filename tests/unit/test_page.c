/* test_page.c - a Page survives the trip to JSON and back; malformed page
 * JSON is refused with the faulty field named. */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "story/page.h"
#include "render/render.h"
#include "test.h"

static PageSentence sent(const char *text, int source)
{
    PageSentence s = {text, source};
    return s;
}

/* A small but complete page: two sources, a summary, one section of two
 * paragraphs, a quote, a related story, a change note. */
static void build_page(Page *p, PageSentence *summary, PageSection *sec, PageParagraph *paras,
                       PageSentence *p1, PageSentence *p2, PageQuote *q, PageSource *src, PageRelated *rel)
{
    memset(p, 0, sizeof *p);
    src[0] = (PageSource){101, "Harbour Times", "Ferry \"Aurora\" runs aground", "https://ht.example/aurora",
                          1790000000, NULL, 0};
    src[1] = (PageSource){102, "Daily Post", "Ferry stuck off the cape", NULL, 0, NULL, 0};
    summary[0] = sent("The ferry Aurora ran aground off the cape on Monday.", 0);
    summary[1] = sent("All 212 passengers were taken ashore \xE2\x80\x94 none hurt.", 1);
    p1[0] = sent("Tugs arrived at dawn.", 1);
    p2[0] = sent("The operator said <nothing> about the cause.", 0);
    p2[1] = sent("Divers inspect the hull today.", 1);
    paras[0] = (PageParagraph){p1, 1};
    paras[1] = (PageParagraph){p2, 2};
    sec[0] = (PageSection){"Rescue at dawn", paras, 2};
    q[0] = (PageQuote){"We were lucky", "Captain Ana Ruiz", "told reporters", 0};
    rel[0] = (PageRelated){"storm-closes-harbour", "Storm closes the harbour"};
    p->story_id = 42;
    p->version = 3;
    p->slug = "aurora-ferry-aground-cape";
    p->headline = "Ferry Aurora runs aground off the cape";
    p->headline_source = 0;
    p->summary = summary;
    p->n_summary = 2;
    p->image = "https://ht.example/aurora.jpg";
    p->image_source = 0;
    p->sections = sec;
    p->n_sections = 1;
    p->quotes = q;
    p->n_quotes = 1;
    p->sources = src;
    p->n_sources = 2;
    p->related = rel;
    p->n_related = 1;
    p->lang = "en";
    p->article_count = 5;
    p->source_count = 2;
    p->first_published = 1790000000;
    p->last_published = 1790003600;
    p->updated = 1790007200;
    p->change_note = "Added the divers' inspection.";
}

#define PAGE_LOCALS                                                                                \
    Page page;                                                                                     \
    PageSentence summary[2], p1[1], p2[2];                                                         \
    PageSection sec[1];                                                                            \
    PageParagraph paras[2];                                                                        \
    PageQuote q[1];                                                                                \
    PageSource src[2];                                                                             \
    PageRelated rel[1];                                                                            \
    build_page(&page, summary, sec, paras, p1, p2, q, src, rel)

static void test_round_trip_keeps_every_field(void)
{
    PAGE_LOCALS;
    Buf json = {0};
    page_to_json(&page, &json);
    Arena a = {0};
    Page back;
    SwErr err = {{0}};
    CHECK_INT(page_from_json(&a, json.data, json.len, &back, &err), 0);
    CHECK_INT(back.story_id, 42);
    CHECK_INT(back.version, 3);
    CHECK_STR(back.slug, "aurora-ferry-aground-cape");
    CHECK_STR(back.headline, page.headline);
    CHECK_INT(back.headline_source, 0);
    CHECK_INT(back.n_summary, 2);
    CHECK_STR(back.summary[1].text, summary[1].text);
    CHECK_INT(back.summary[1].source, 1);
    CHECK_STR(back.image, page.image);
    CHECK_INT(back.image_source, 0);
    CHECK_INT(back.n_sections, 1);
    CHECK_STR(back.sections[0].heading, "Rescue at dawn");
    CHECK_INT(back.sections[0].n_paragraphs, 2);
    CHECK_INT(back.sections[0].paragraphs[1].n_sentences, 2);
    CHECK_STR(back.sections[0].paragraphs[1].sentences[0].text, "The operator said <nothing> about the cause.");
    CHECK_INT(back.n_quotes, 1);
    CHECK_STR(back.quotes[0].speaker, "Captain Ana Ruiz");
    CHECK_STR(back.quotes[0].verb, "told reporters");
    CHECK_INT(back.n_sources, 2);
    CHECK_INT(back.sources[0].article_id, 101);
    CHECK_STR(back.sources[0].title, "Ferry \"Aurora\" runs aground");
    CHECK_INT(back.sources[0].published, 1790000000);
    CHECK(back.sources[1].url == NULL);
    CHECK_INT(back.sources[1].published, 0);
    CHECK_INT(back.n_related, 1);
    CHECK_STR(back.related[0].slug, "storm-closes-harbour");
    CHECK_STR(back.lang, "en");
    CHECK_INT(back.article_count, 5);
    CHECK_INT(back.source_count, 2);
    CHECK_INT(back.first_published, 1790000000);
    CHECK_INT(back.last_published, 1790003600);
    CHECK_INT(back.updated, 1790007200);
    CHECK_STR(back.change_note, "Added the divers' inspection.");

    /* and writing the parsed page again gives the same bytes */
    Buf again = {0};
    page_to_json(&back, &again);
    CHECK_STR(buf_cstr(&again), buf_cstr(&json));
    buf_free(&again);
    buf_free(&json);
    arena_free(&a);
}

/* Outlets that carried a near-copy of a cited article survive the trip,
 * and the text and HTML pages name them. */
static void test_also_reported_by_round_trips_and_renders(void)
{
    PAGE_LOCALS;
    const char *also[] = {"Valley Ledger", "Metro <Daily>"};
    src[0].also = also;
    src[0].n_also = 2;
    Buf json = {0};
    page_to_json(&page, &json);
    CHECK(strstr(json.data, "\"also_reported_by\":[\"Valley Ledger\",\"Metro \\u003cDaily\\u003e\"]") != NULL);
    Arena a = {0};
    Page back;
    SwErr err = {{0}};
    CHECK_INT(page_from_json(&a, json.data, json.len, &back, &err), 0);
    CHECK_INT(back.sources[0].n_also, 2);
    CHECK_STR(back.sources[0].also[1], "Metro <Daily>");
    CHECK_INT(back.sources[1].n_also, 0);
    Buf text = {0}, html = {0};
    render_text(&back, &text);
    CHECK(strstr(text.data, "(also reported by Valley Ledger, Metro <Daily>)") != NULL);
    render_html_page(&back, &html);
    CHECK(strstr(html.data, "also reported by Valley Ledger, Metro &lt;Daily&gt;") != NULL);
    buf_free(&json);
    buf_free(&text);
    buf_free(&html);
    arena_free(&a);
}

static void test_json_uses_the_documented_names(void)
{
    PAGE_LOCALS;
    Buf json = {0};
    page_to_json(&page, &json);
    const char *j = buf_cstr(&json);
    CHECK(strstr(j, "\"story_id\":42") != NULL);
    CHECK(strstr(j, "\"summary\":[{\"text\":") != NULL);
    CHECK(strstr(j, "\"sources\":[{\"n\":1,\"article_id\":101,") != NULL);
    CHECK(strstr(j, "\"published\":null") != NULL);
    CHECK(strstr(j, "\"updated\":\"2026-") != NULL);
    CHECK(strstr(j, "\"paragraphs\":[[{\"text\":\"Tugs arrived at dawn.\",\"source\":1}]") != NULL);
    CHECK(strstr(j, "\"quotes\":[{\"text\":\"We were lucky\",\"speaker\":\"Captain Ana Ruiz\"") != NULL);
    /* '<' is escaped, so the JSON can sit inside an HTML page */
    CHECK(strstr(j, "<nothing>") == NULL);
    buf_free(&json);
}

/* Background lines and dated events survive the trip with their
 * attribution, link and citation. */
static void test_background_and_timeline_round_trip(void)
{
    PAGE_LOCALS;
    PageBackground bg[2] = {
        {"Kyiv", "place", "Kyiv is the capital of Ukraine.", "Wikipedia", "https://en.wikipedia.org/wiki/Kyiv"},
        {"NATO", "organisation", "NATO is an international organization created in 1949.", "WordNet", NULL},
    };
    PageEvent ev[2] = {{"2025-12-28", "Drones struck Kyiv on Sunday.", 1}, {"2019", "He was elected in 2019.", 0}};
    page.background = bg;
    page.n_background = 2;
    page.timeline = ev;
    page.n_timeline = 2;
    Buf json = {0};
    page_to_json(&page, &json);
    CHECK(strstr(json.data, "\"background\":[{\"name\":\"Kyiv\",\"kind\":\"place\",\"text\":") != NULL);
    CHECK(strstr(json.data, "\"attribution\":\"WordNet\",\"url\":null") != NULL);
    CHECK(strstr(json.data, "\"timeline\":[{\"date\":\"2025-12-28\",\"text\":\"Drones struck Kyiv on Sunday.\",\"source\":1}") != NULL);
    Arena a = {0};
    Page back;
    SwErr err = {{0}};
    CHECK_INT(page_from_json(&a, json.data, json.len, &back, &err), 0);
    CHECK_INT(back.n_background, 2);
    CHECK_STR(back.background[0].url, "https://en.wikipedia.org/wiki/Kyiv");
    CHECK_STR(back.background[1].attribution, "WordNet");
    CHECK(back.background[1].url == NULL);
    CHECK_INT(back.n_timeline, 2);
    CHECK_STR(back.timeline[1].date, "2019");
    CHECK_INT(back.timeline[0].source, 1);
    Buf again = {0};
    page_to_json(&back, &again);
    CHECK_STR(buf_cstr(&again), buf_cstr(&json));
    buf_free(&again);
    buf_free(&json);
    arena_free(&a);
}

static void test_empty_page_round_trips(void)
{
    Page page;
    memset(&page, 0, sizeof page);
    page.story_id = 7;
    page.version = 1;
    page.headline = "Only a headline";
    page.headline_source = -1;
    page.image_source = -1;
    Buf json = {0};
    page_to_json(&page, &json);
    Arena a = {0};
    Page back;
    SwErr err = {{0}};
    CHECK_INT(page_from_json(&a, json.data, json.len, &back, &err), 0);
    CHECK_STR(back.headline, "Only a headline");
    CHECK(back.image == NULL);
    CHECK(back.slug == NULL);
    CHECK_INT(back.n_sources, 0);
    CHECK_INT(back.n_sections, 0);
    CHECK_INT(back.updated, 0);
    buf_free(&json);
    arena_free(&a);
}

/* Parses json and expects failure with an error that names `field`. */
static void expect_error(const char *json, const char *field)
{
    Arena a = {0};
    Page back;
    SwErr err = {{0}};
    int rc = page_from_json(&a, json, strlen(json), &back, &err);
    CHECK_INT(rc, -1);
    if (!strstr(err.msg, field)) {
        fprintf(stderr, "    error \"%s\" does not name \"%s\"\n", err.msg, field);
        CHECK(strstr(err.msg, field) != NULL);
    }
    arena_free(&a);
}

static void test_malformed_json_is_refused_naming_the_field(void)
{
    expect_error("{\"story_id\":1,", "page JSON");
    expect_error("[1,2]", "not an object");
    expect_error("{\"story_id\":1,\"headline\":5}", "headline");
    expect_error("{\"story_id\":\"x\",\"headline\":\"h\"}", "story_id");
    expect_error("{\"story_id\":1}", "headline");
    expect_error("{\"story_id\":1,\"version\":1.5,\"headline\":\"h\"}", "version");
    expect_error("{\"story_id\":1,\"headline\":\"h\",\"summary\":{}}", "summary");
    expect_error("{\"story_id\":1,\"headline\":\"h\",\"sources\":[{\"n\":1,\"published\":\"yesterday\"}]}",
                 "sources[0].published");
    expect_error("{\"story_id\":1,\"headline\":\"h\",\"sources\":[{\"n\":1}],"
                 "\"sections\":[{\"heading\":\"x\",\"paragraphs\":[[{\"source\":0}]]}]}",
                 "sections[0].paragraphs[0][0].text");
    expect_error("{\"story_id\":1,\"headline\":\"h\",\"quotes\":[{\"text\":\"q\",\"source\":\"a\"}]}",
                 "quotes[0].source");
    expect_error("{\"story_id\":1,\"headline\":\"h\",\"background\":[{\"name\":\"K\",\"text\":\"t\"}]}",
                 "background[0].attribution");
    expect_error("{\"story_id\":1,\"headline\":\"h\",\"background\":{}}", "background");
    expect_error("{\"story_id\":1,\"headline\":\"h\",\"timeline\":[{\"text\":\"t\",\"source\":0}]}",
                 "timeline[0].date");
}

static void test_citation_out_of_range_is_refused(void)
{
    const char *two_sources = "\"sources\":[{\"n\":1,\"outlet\":\"A\"},{\"n\":2,\"outlet\":\"B\"}]";
    char json[512];
    snprintf(json, sizeof json, "{\"story_id\":1,\"headline\":\"h\",%s,\"summary\":[{\"text\":\"s\",\"source\":2}]}",
             two_sources);
    expect_error(json, "summary[0]");
    snprintf(json, sizeof json, "{\"story_id\":1,\"headline\":\"h\",%s,\"summary\":[{\"text\":\"s\",\"source\":-1}]}",
             two_sources);
    expect_error(json, "summary[0]");
    snprintf(json, sizeof json, "{\"story_id\":1,\"headline\":\"h\",%s,\"quotes\":[{\"text\":\"q\",\"source\":9}]}",
             two_sources);
    expect_error(json, "quotes[0]");
    snprintf(json, sizeof json, "{\"story_id\":1,\"headline\":\"h\",%s,\"image_source\":5}", two_sources);
    expect_error(json, "image_source");
    snprintf(json, sizeof json, "{\"story_id\":1,\"headline\":\"h\",%s,\"timeline\":[{\"date\":\"2019\",\"text\":\"t\",\"source\":2}]}",
             two_sources);
    expect_error(json, "timeline[0]");
    /* with no sources at all, any citation is out of range */
    expect_error("{\"story_id\":1,\"headline\":\"h\",\"summary\":[{\"text\":\"s\",\"source\":0}]}", "summary[0]");
}

int main(void)
{
    RUN(test_round_trip_keeps_every_field);
    RUN(test_also_reported_by_round_trips_and_renders);
    RUN(test_json_uses_the_documented_names);
    RUN(test_background_and_timeline_round_trip);
    RUN(test_empty_page_round_trips);
    RUN(test_malformed_json_is_refused_naming_the_field);
    RUN(test_citation_out_of_range_is_refused);
    return test_summary("test_page");
}
