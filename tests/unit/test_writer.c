/* test_writer.c - the page writer: from four analysed articles about one
 * invented event (a storm in the town of Port Halden) it must write a
 * page whose every sentence is a sentence of the article it cites, with a
 * fitting headline, a short summary, titled sections, attributed quotes
 * and a clean slug. A fifth article about something else supplies
 * document frequencies and must not take over the page. */
#include <math.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze/doc.h"
#include "core/map.h"
#include "story/writer.h"
#include "test.h"
#include "text/langid.h"

#define T0 1790000000LL

static Article articles[5] = {
    {.id = 101,
     .url = "https://harbourtimes.example/storm-floods-port-halden",
     .source = "Harbour Times",
     .title = "Storm floods Port Halden, forcing thousands from their homes",
     .image = NULL,
     .lang = "en",
     .published = T0,
     .text =
         "A powerful storm flooded the coastal town of Port Halden on Tuesday, forcing "
         "thousands of residents from their homes as the Halden River burst its banks.\n\n"
         "Mayor Anna Berg ordered the evacuation of the harbour district before dawn, and "
         "buses carried families to shelters in the hills above the town. \"We could not wait "
         "for the water to reach the houses,\" Berg told reporters. She said the town had never "
         "seen such a storm.\n\n"
         "Emergency crews rescued dozens of people from flooded streets using small boats, "
         "the fire service said. No deaths have been reported, but four people were taken to "
         "hospital with minor injuries.\n\n"
         "The storm also cut power to about 20,000 homes across the Halden region after "
         "strong winds brought down transmission lines. Grid engineers warned that repairs "
         "could take several days in the worst affected villages.\n\n"
         "Forecasters expect more heavy rain over the weekend, and the national weather "
         "service kept its highest warning in place for the coast."},
    {.id = 102,
     .url = "https://meridianwire.example/halden-evacuation",
     .source = "Meridian Wire",
     .title = "Thousands evacuated as storm batters Port Halden coast",
     .image = "https://meridianwire.example/img/halden-flood.jpg",
     .lang = "en",
     .published = T0 + 3600,
     .text =
         "HALDEN, Oct 3 (Meridian Wire) - Thousands of people were evacuated from Port Halden "
         "on Tuesday after a storm sent the Halden River over its banks and flooded the "
         "harbour district.\n\n"
         "Buses took evacuated families to schools and sports halls in the hills, where the "
         "Red Cross set up beds and field kitchens for more than 3,000 people. \"Nobody should "
         "return before the all-clear,\" said Lars Okafor, a hydrologist at Halden University.\n\n"
         "The river rose by almost two metres in six hours, according to readings from the "
         "regional water authority. Okafor said the old flood walls along the harbour had held "
         "but that water had poured in through storm drains.\n\n"
         "About 20,000 homes lost power during the night as falling trees brought down "
         "transmission lines, the grid operator said. However, it restored electricity to "
         "the town centre by the afternoon.\n\n"
         "Read more: storms across the northern coast this year"},
    {.id = 103,
     .url = "https://coastalpost.example/halden-dams",
     .source = "Coastal Post",
     .title = "Can Port Halden's old dams survive another storm?",
     .lang = "en",
     .published = T0 + 7200,
     .text =
         "The storm that flooded Port Halden this week has raised new questions about the "
         "two old dams that hold back the upper Halden River.\n\n"
         "Both dams were built in the 1950s and were never designed for the volume of rain "
         "that fell on Tuesday, engineers said. \xE2\x80\x9CThe old dams were never built for "
         "this much rain,\xE2\x80\x9D said Lars Okafor, a hydrologist at Halden University. "
         "He has called for an urgent inspection of both structures.\n\n"
         "The town council approved an emergency fund of 12 million crowns for flood repairs "
         "and for families who lost their belongings. Mayor Anna Berg said: \"Every family "
         "will get help from the town council.\"\n\n"
         "Thousands of residents spent the night in shelters after the evacuation of the "
         "harbour district.\n\n"
         "Will the dams hold this time? Engineers plan to lower the water level in the "
         "reservoirs before the next storm arrives."},
    {.id = 104,
     .url = "https://nordicdaily.example/halden-cleanup",
     .source = "Nordic Daily",
     .title = "Port Halden begins clean-up as power returns to storm-hit town",
     .image = "https://nordicdaily.example/img/cleanup.jpg",
     .lang = "en",
     .published = T0 + 86400,
     .text =
         "Residents of Port Halden began clearing mud and debris from their homes on "
         "Wednesday as the floodwater left the harbour district.\n\n"
         "Grid engineers restored power to most of the 20,000 homes that lost electricity "
         "during the storm, although some villages in the hills remained dark. \"Power will be "
         "back everywhere within two days,\" according to Nora Lind of the regional grid "
         "operator.\n\n"
         "Mayor Anna Berg thanked the volunteers who filled sandbags through the night and "
         "said the council would pay for the clean-up. Shops on the harbour front stayed "
         "closed while insurers assessed the damage.\n\n"
         "The town council has asked the national government for help to rebuild the flood "
         "walls and to inspect the two dams on the upper Halden River."},
    {.id = 105,
     .url = "https://harbourtimes.example/vell-chess",
     .source = "Harbour Times",
     .title = "Young champion wins the Vell chess open after a tense final round",
     .lang = "en",
     .published = T0 + 5000,
     .text =
         "A seventeen-year-old player from Vell won the city's international chess open on "
         "Sunday after a tense final round that lasted more than five hours.\n\n"
         "Mira Tal beat the top seed with the black pieces and finished half a point ahead of "
         "three grandmasters. \"I did not expect to win this tournament,\" Tal told reporters "
         "after the prize ceremony.\n\n"
         "The open drew more than four hundred players from twenty countries this year."},
};

static Doc docs[5];
static Arena doc_arena;
static DocAnalyzer *da;

/* idf from the five documents: log(N / df) + 1 */
static StrMap df;

static double test_idf(void *ctx, uint32_t term)
{
    (void)ctx;
    char key[16];
    int n = snprintf(key, sizeof key, "%u", term);
    StrMapEntry *e = strmap_get(&df, key, (size_t)n);
    double d = e ? (double)e->val.num : 0;
    return log((5.0 + 1) / (d + 1)) + 1;
}

static void setup(void)
{
    da = doc_analyzer_new();
    for (int i = 0; i < 5; i++) {
        doc_analyze(da, &doc_arena, &articles[i], &docs[i]);
        for (uint32_t t = 0; t < docs[i].body_terms.n; t++) {
            char key[16];
            int n = snprintf(key, sizeof key, "%u", docs[i].body_terms.terms[t].id);
            strmap_put(&df, key, (size_t)n, NULL)->val.num++;
        }
    }
}

static void members_of(WriterMember *m, const int *which, size_t n)
{
    for (size_t i = 0; i < n; i++)
        m[i] = (WriterMember){&docs[which[i]], articles[which[i]].source, NULL, 0};
}

static void write_storm_page(Arena *a, Page *p)
{
    static const int storm[] = {0, 1, 2, 3};
    WriterMember m[4];
    members_of(m, storm, 4);
    static const char *also[] = {"Fjord Radio"};
    m[1].also = also;
    m[1].n_also = 1;
    PageRelated rel[] = {{"vell-chess-open", "Young champion wins the Vell chess open"}};
    WriterInput in = {.story_id = 7, .members = m, .n_members = 4, .article_count = 5,
                      .idf = test_idf, .related = rel, .n_related = 1, .version = 2,
                      .now = T0 + 90000};
    SwErr err = {{0}};
    int rc = page_write(a, &in, p, &err);
    CHECK_INT(rc, 0);
}

static const Article *article_of(const Page *p, int source)
{
    if (source < 0 || (size_t)source >= p->n_sources)
        return NULL;
    for (int i = 0; i < 5; i++)
        if (articles[i].id == p->sources[source].article_id)
            return &articles[i];
    return NULL;
}

static const DocSentence *doc_sentence_of(const char *text)
{
    for (int i = 0; i < 5; i++)
        for (size_t s = 0; s < docs[i].n_sentences; s++)
            if (strcmp(docs[i].sentences[s].text, text) == 0)
                return &docs[i].sentences[s];
    return NULL;
}

/* Calls fn on every sentence of the page (summary, then sections). */
static size_t page_sentences(const Page *p, const PageSentence **out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < p->n_summary && n < cap; i++)
        out[n++] = &p->summary[i];
    for (size_t s = 0; s < p->n_sections; s++)
        for (size_t q = 0; q < p->sections[s].n_paragraphs; q++)
            for (size_t k = 0; k < p->sections[s].paragraphs[q].n_sentences && n < cap; k++)
                out[n++] = &p->sections[s].paragraphs[q].sentences[k];
    return n;
}

static void test_headline_is_a_member_title_but_not_the_question(void)
{
    Arena a = {0};
    Page p;
    write_storm_page(&a, &p);
    int match = 0;
    for (int i = 0; i < 4; i++)
        if (p.headline && strcmp(p.headline, articles[i].title) == 0)
            match = 1;
    CHECK(match);
    CHECK(p.headline && strchr(p.headline, '?') == NULL);
    const Article *hs = article_of(&p, p.headline_source);
    CHECK(hs && p.headline && strcmp(hs->title, p.headline) == 0);
    arena_free(&a);
}

static void test_summary_has_one_to_three_sentences(void)
{
    Arena a = {0};
    Page p;
    write_storm_page(&a, &p);
    CHECK(p.n_summary >= 1 && p.n_summary <= 3);
    size_t words = 0;
    for (size_t i = 0; i < p.n_summary; i++) {
        const DocSentence *ds = doc_sentence_of(p.summary[i].text);
        CHECK(ds != NULL);
        CHECK(ds && !(ds->flags & (SENT_DANGLING | SENT_QUOTE | SENT_QUESTION)));
        words += ds ? ds->n_words : 0;
    }
    CHECK(p.n_summary == 1 || words <= 70);
    arena_free(&a);
}

static void test_sections_have_distinct_headings(void)
{
    Arena a = {0};
    Page p;
    write_storm_page(&a, &p);
    CHECK(p.n_sections >= 2 && p.n_sections <= 5);
    for (size_t s = 0; s < p.n_sections; s++) {
        CHECK(p.sections[s].heading && p.sections[s].heading[0]);
        CHECK(p.sections[s].n_paragraphs >= 1);
        for (size_t t = 0; t < s; t++)
            CHECK(strcasecmp(p.sections[s].heading, p.sections[t].heading) != 0);
    }
    arena_free(&a);
}

static void test_every_sentence_is_verbatim_from_its_source(void)
{
    Arena a = {0};
    Page p;
    write_storm_page(&a, &p);
    const PageSentence *all[128];
    size_t n = page_sentences(&p, all, 128);
    CHECK(n >= 6);
    for (size_t i = 0; i < n; i++) {
        const Article *art = article_of(&p, all[i]->source);
        CHECK(art != NULL);
        CHECK(art && strstr(art->text, all[i]->text) != NULL);
        /* the off-topic article contributes nothing */
        CHECK(art && art->id != 105);
    }
    arena_free(&a);
}

static void test_no_sentence_twice_and_no_dangling_openers(void)
{
    Arena a = {0};
    Page p;
    write_storm_page(&a, &p);
    const PageSentence *all[128];
    size_t n = page_sentences(&p, all, 128);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            CHECK(strcmp(all[i]->text, all[j]->text) != 0);
    for (size_t s = 0; s < p.n_sections; s++)
        for (size_t q = 0; q < p.sections[s].n_paragraphs; q++) {
            const PageParagraph *para = &p.sections[s].paragraphs[q];
            CHECK(para->n_sentences >= 1 && para->n_sentences <= 5);
            const DocSentence *ds = doc_sentence_of(para->sentences[0].text);
            CHECK(ds && !(ds->flags & SENT_DANGLING));
        }
    arena_free(&a);
}

/* Two outlets report the same power cut in different words ("cut power to
 * about 20,000 homes ... brought down transmission lines" and "About 20,000
 * homes lost power ... brought down transmission lines"): the page says it
 * once. */
static void test_a_fact_told_twice_appears_once(void)
{
    Arena a = {0};
    Page p;
    write_storm_page(&a, &p);
    const PageSentence *all[128];
    size_t n = page_sentences(&p, all, 128), told = 0;
    for (size_t i = 0; i < n; i++)
        if (strstr(all[i]->text, "20,000 homes") && strstr(all[i]->text, "transmission lines"))
            told++;
    CHECK(told <= 1);
    arena_free(&a);
}

static void test_quotes_have_speakers_and_sources(void)
{
    Arena a = {0};
    Page p;
    write_storm_page(&a, &p);
    CHECK(p.n_quotes >= 2 && p.n_quotes <= 5);
    for (size_t i = 0; i < p.n_quotes; i++) {
        CHECK(p.quotes[i].speaker && p.quotes[i].speaker[0]);
        const Article *art = article_of(&p, p.quotes[i].source);
        CHECK(art && strstr(art->text, p.quotes[i].text) != NULL);
        int same = 0;
        for (size_t j = 0; j < p.n_quotes; j++)
            same += strcmp(p.quotes[i].speaker, p.quotes[j].speaker) == 0;
        CHECK(same <= 2);
    }
    arena_free(&a);
}

static int slug_ok(const char *slug)
{
    regex_t re;
    if (regcomp(&re, "^[a-z0-9]+(-[a-z0-9]+){2,4}$", REG_EXTENDED | REG_NOSUB) != 0)
        return 0;
    int ok = slug && regexec(&re, slug, 0, NULL, 0) == 0 && strlen(slug) <= 60;
    regfree(&re);
    return ok;
}

static void test_slug_has_three_to_five_words(void)
{
    Arena a = {0};
    Page p;
    write_storm_page(&a, &p);
    CHECK(slug_ok(p.slug));
    CHECK(p.slug && strstr(p.slug, "halden") != NULL);
    const char *z = page_slug(&a, "Zelensky Secures US Security Pledge as Kremlin Holds Firm on Donbas", "en");
    CHECK(slug_ok(z));
    CHECK(strncmp(z, "zelensky-", 9) == 0);
    CHECK(strstr(z, "-us-") != NULL);
    CHECK(slug_ok(page_slug(&a, "Élections à Zürich : la gauche gagne du terrain", "fr")));
    CHECK_STR(page_slug(&a, "", "en"), "story");
    CHECK_STR(page_slug(&a, "!!!", "en"), "story");
    /* short headlines keep what they have */
    CHECK_STR(page_slug(&a, "Storm hits Halden", "en"), "storm-hits-halden");
    arena_free(&a);
}

static void test_page_facts(void)
{
    Arena a = {0};
    Page p;
    write_storm_page(&a, &p);
    CHECK_INT(p.story_id, 7);
    CHECK_INT(p.version, 2);
    CHECK_INT(p.updated, T0 + 90000);
    CHECK_INT(p.article_count, 5);
    CHECK_INT(p.source_count, 5); /* four outlets plus one "also reported by" */
    CHECK_INT(p.first_published, T0);
    CHECK_INT(p.last_published, T0 + 86400);
    CHECK_STR(p.lang, "en");
    CHECK_INT(p.n_related, 1);
    /* an image from a member that has one, with its source */
    CHECK(p.image != NULL);
    const Article *is = article_of(&p, p.image_source);
    CHECK(is && p.image && is->image && strcmp(is->image, p.image) == 0);
    /* sources are distinct articles with their metadata */
    for (size_t i = 0; i < p.n_sources; i++) {
        CHECK(article_of(&p, (int)i) != NULL);
        CHECK(p.sources[i].outlet && p.sources[i].outlet[0]);
        CHECK(p.sources[i].url != NULL);
        for (size_t j = 0; j < i; j++)
            CHECK(p.sources[i].article_id != p.sources[j].article_id);
    }
    /* the first citation on the page is source 0 */
    CHECK(p.n_summary && p.summary[0].source == 0);
    arena_free(&a);
}

static void test_slug_of_cyrillic_and_greek_headlines_is_transliterated(void)
{
    Arena a = {0};
    const char *ru = page_slug(&a, "\xD0\x9F\xD0\xB5\xD1\x81\xD0\xBA\xD0\xBE\xD0\xB2 \xD0\xBE\xD1\x82\xD0\xB2\xD0\xB5\xD1\x82\xD0\xB8\xD0\xBB \xD0\x97\xD0\xB5\xD0\xBB\xD0\xB5\xD0\xBD\xD1\x81\xD0\xBA\xD0\xBE\xD0\xBC\xD1\x83", "ru");
    CHECK(strstr(ru, "peskov") != NULL);
    CHECK(strcmp(ru, "story") != 0);
    const char *el = page_slug(&a, "\xCE\x91\xCE\xB8\xCE\xAE\xCE\xBD\xCE\xB1", "el"); /* Αθήνα */
    CHECK_STR(el, "athina");
    arena_free(&a);
}

/* Scripts without Latin letters here keep their own letters (links carry
 * them percent-encoded): Chinese and Japanese characters run on, at most
 * twelve; spaced scripts keep their first words. Never "story" while the
 * headline has a letter. */
static void test_slug_of_other_scripts_keeps_their_letters(void)
{
    Arena a = {0};
    CHECK_STR(page_slug(&a, "上海港口恢复运营", "zh"), "上海港口恢复运营");
    CHECK_STR(page_slug(&a, "东京2020奥运会开幕", "zh"), "东京-2020-奥运会开幕");
    CHECK_STR(page_slug(&a, "北京大学举行毕业典礼，三千名学生毕业", "zh"), "北京大学举行毕业典礼三千");
    CHECK_STR(page_slug(&a, "東京でオリンピックが開催", "ja"), "東京でオリンピックが開催");
    CHECK_STR(page_slug(&a, "서울 지하철 파업 사흘째", "ko"), "서울-지하철-파업-사흘째");
    CHECK_STR(page_slug(&a, "إضراب في القاهرة", "ar"), "إضراب-في-القاهرة");
    CHECK_STR(page_slug(&a, "Дмитрий Песков", "ru"), "dmitriy-peskov"); /* transliterated, as before */
    CHECK_STR(page_slug(&a, "«» ！？", "zh"), "story");
    const char *long_ko = page_slug(&a, "가나다라마바사아자차카 가나다라마바사아자차카 가나다라마바사아자차카", "ko");
    CHECK(strlen(long_ko) <= 60);
    CHECK(strcmp(long_ko, "story") != 0);
    /* Latin words keep their place among the others, in lower case */
    CHECK_STR(page_slug(&a, "iPhone 在中国发布", "zh"), "iphone-在中国发布");
    /* mostly Latin: the ASCII slug */
    CHECK_STR(page_slug(&a, "Storm hits Halden 港口", "en"), "storm-hits-halden");
    arena_free(&a);
}

static void test_existing_slug_is_kept(void)
{
    Arena a = {0};
    static const int storm[] = {0, 1};
    WriterMember m[2];
    members_of(m, storm, 2);
    WriterInput in = {.story_id = 1, .members = m, .n_members = 2, .article_count = 2,
                      .slug = "port-halden-storm", .version = 1};
    Page p;
    CHECK_INT(page_write(&a, &in, &p, NULL), 0);
    CHECK_STR(p.slug, "port-halden-storm");
    CHECK(p.n_summary >= 1);
    arena_free(&a);
}

static void test_off_topic_member_does_not_lead(void)
{
    Arena a = {0};
    static const int which[] = {0, 1, 3, 4};
    WriterMember m[4];
    members_of(m, which, 4);
    WriterInput in = {.story_id = 3, .members = m, .n_members = 4, .article_count = 4,
                      .idf = test_idf, .version = 1};
    Page p;
    CHECK_INT(page_write(&a, &in, &p, NULL), 0);
    CHECK(p.headline && strstr(p.headline, "chess") == NULL);
    for (size_t i = 0; i < p.n_summary; i++) {
        const Article *art = article_of(&p, p.summary[i].source);
        CHECK(art && art->id != 105);
    }
    arena_free(&a);
}

static void test_single_member_and_no_members(void)
{
    Arena a = {0};
    static const int one[] = {2};
    WriterMember m[1];
    members_of(m, one, 1);
    WriterInput in = {.story_id = 4, .members = m, .n_members = 1, .article_count = 1, .version = 1};
    Page p;
    CHECK_INT(page_write(&a, &in, &p, NULL), 0);
    /* the only title is a question: it is still the headline */
    CHECK_STR(p.headline, articles[2].title);
    CHECK(p.n_summary >= 1);
    CHECK(slug_ok(p.slug));
    CHECK(p.image == NULL && p.image_source == -1);

    WriterInput none = {.story_id = 9};
    SwErr err = {{0}};
    CHECK_INT(page_write(&a, &none, &p, &err), -1);
    CHECK(strstr(err.msg, "9") != NULL);
    arena_free(&a);
}

int main(void)
{
    setup();
    RUN(test_headline_is_a_member_title_but_not_the_question);
    RUN(test_summary_has_one_to_three_sentences);
    RUN(test_sections_have_distinct_headings);
    RUN(test_every_sentence_is_verbatim_from_its_source);
    RUN(test_no_sentence_twice_and_no_dangling_openers);
    RUN(test_a_fact_told_twice_appears_once);
    RUN(test_quotes_have_speakers_and_sources);
    RUN(test_slug_has_three_to_five_words);
    RUN(test_page_facts);
    RUN(test_slug_of_cyrillic_and_greek_headlines_is_transliterated);
    RUN(test_slug_of_other_scripts_keeps_their_letters);
    RUN(test_existing_slug_is_kept);
    RUN(test_off_topic_member_does_not_lead);
    RUN(test_single_member_and_no_members);
    strmap_free(&df);
    arena_free(&doc_arena);
    doc_analyzer_free(da);
    langid_shutdown();
    return test_summary("writer");
}
