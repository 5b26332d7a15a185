/* test_kb.c - the knowledge base: WordNet and locations files (fixtures
 * this test writes itself), user TSV and JSONL files with their
 * precedence and their malformed lines, entity linking that refuses what
 * it cannot place, dated-event phrases resolved against a publication
 * date, and background lines and a timeline on a small written story. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze/doc.h"
#include "kb/kb.h"
#include "story/timeline.h"
#include "story/writer.h"
#include "test.h"
#include "text/langid.h"

static char dir[256];

static const char *write_file(const char *name, const char *content)
{
    static char paths[8][300];
    static int next;
    char *p = paths[next++ % 8];
    snprintf(p, 300, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    if (!f)
        return p;
    fputs(content, f);
    fclose(f);
    return p;
}

/* WordNet 3.0 data.noun lines in the real format (offsets, lexicographer
 * file, words with lex ids, pointers, gloss), for an invented handful of
 * synsets: classes first, then instances. */
static const char wordnet_fixture[] =
    "  1 This software and database is being provided to you, the LICENSEE\n"
    "08544813 15 n 01 country 0 000 | a politically organized body of people under a single government  \n"
    "08524735 15 n 01 city 0 000 | a large and densely populated urban area  \n"
    "08691669 15 n 01 national_capital 0 000 | the capital city of a nation  \n"
    "08655464 15 n 01 American_state 0 000 | one of the 50 states  \n"
    "08294696 14 n 01 international_organization 0 000 | an organization of nations  \n"
    "07000001 14 n 01 union 0 000 | a political unit formed from previously independent people  \n"
    "10650162 18 n 01 statesman 0 000 | a man who is a respected leader in national affairs  \n"
    "10000001 18 n 01 writer 0 000 | writes books or stories  \n"
    "09014979 15 n 02 Ukraine 0 Ukrayina 0 001 @i 08544813 n 0000 | a republic in southeastern Europe; formerly a European soviet  \n"
    "09015907 15 n 02 Kyyiv 0 Kiev 0 002 @i 08691669 n 0000 #p 09014979 n 0000 | capital and largest city of the Ukraine; a major manufacturing center  \n"
    "09044862 15 n 03 United_States 0 US 0 America 0 001 @i 08544813 n 0000 | North American republic containing 50 states - 48 conterminous states in North America  \n"
    "09060768 15 n 01 California 0 002 @i 08655464 n 0000 #p 09044862 n 0000 | a state in the western United States  \n"
    "09064861 15 n 01 Riverside 0 002 @i 08524735 n 0000 #p 09060768 n 0000 | a city in southern California  \n"
    "09100001 15 n 01 Springfield 0 002 @i 08524735 n 0000 #p 09060768 n 0000 | a city in central California  \n"
    "09100002 15 n 01 Springfield 1 001 @i 08524735 n 0000 | a town in western Oregon  \n"
    "09052314 15 n 02 Union 0 North 1 001 @i 09044862 n 0000 | the United States (especially the northern states during the American Civil War)  \n"
    "08900000 15 n 01 France 0 001 @i 08544813 n 0000 | a republic in western Europe  \n"
    "08932568 15 n 01 Paris 1 002 @i 08691669 n 0000 #p 08900000 n 0000 | the capital and largest city of France  \n"
    "09145751 15 n 01 Paris 2 002 @i 08524735 n 0000 #p 09044862 n 0000 | a town in northeastern Texas  \n"
    "11500001 18 n 01 Paris 0 001 @i 10000001 n 0000 | (Greek mythology) the prince of Troy who abducted Helen  \n"
    "08500001 15 n 01 Russian_Empire 0 001 @i 08544813 n 0000 | a former empire in eastern Europe and northern Asia  \n"
    "08174398 14 n 02 North_Atlantic_Treaty_Organization 0 NATO 0 001 @ 08294696 n 0000 | an international organization created in 1949 by the North Atlantic Treaty for purposes of collective security  \n"
    "11249322 18 n 03 Putin 0 Vladimir_Putin 0 Vladimir_Vladimirovich_Putin 0 001 @i 10650162 n 0000 | Russian statesman chosen as president of the Russian Federation in 2000; formerly director of the Federal Security Bureau (born in 1952)  \n"
    "11000001 18 n 02 Twain 0 Mark_Twain 0 001 @i 10000001 n 0000 | United States writer and humorist best known for his novels (1835-1910)  \n"
    "09200001 15 n 01 Jordan 0 001 @i 08544813 n 0000 | an Arab kingdom in southwestern Asia on the Red Sea  \n"
    "09200002 17 n 01 Jordan 1 001 @i 08524735 n 0000 | a river in Palestine that empties into the Dead Sea  \n"
    "09200003 15 n 01 Moscow 0 002 @i 08524735 n 0000 #p 09200004 n 0000 | a city of central European Russia  \n"
    "09200004 15 n 01 Russia 0 001 @i 08544813 n 0000 | a federation in northeastern Europe and northern Asia  \n"
    "09999999 15 n 02 Broken_Line 0\n";

static const char geo_fixture[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<gweather format=\"1.0\">\n"
    "  <region><_name>Europe</_name>\n"
    "    <country><_name>Ukraine</_name><iso-code>UA</iso-code>\n"
    "      <location><name>Boryspil'</name><code>UKBB</code></location>\n"
    "      <city><!-- A city in Ukraine --><_name>L'viv</_name></city>\n"
    "      <city><!-- The capital of Ukraine. --><_name>Kyiv</_name></city>\n"
    "    </country>\n"
    "    <country><_name msgctxt=\"Country\">Moldova, Republic of</_name><city><_name>Chisinau</_name></city></country>\n"
    "  </region>\n"
    "  <region><_name>North America</_name>\n"
    "    <country><_name>United States</_name>\n"
    "      <state><!-- A state in the United States --><_name>Florida</_name><city><_name>Miami</_name></city></state>\n"
    "    </country>\n"
    "  </region>\n"
    "</gweather>\n";

static Kb *fixture_kb(int wordnet, int geo)
{
    Kb *kb = kb_new();
    SwErr err;
    if (geo)
        CHECK(kb_load_geo(kb, write_file("Locations.xml", geo_fixture), &err) == 0);
    if (wordnet)
        CHECK(kb_load_wordnet(kb, write_file("data.noun", wordnet_fixture), &err) == 0);
    return kb;
}

/* The background sentence kb_link gives for name, or "(none)". */
static const char *linked(Arena *a, const Kb *kb, const char *name, const char *const *countries, size_t n)
{
    KbContext ctx = {countries, n, countries, n, 2026};
    const KbEntry *e = kb_link(kb, name, &ctx);
    return e ? kb_sentence(a, e, name) : "(none)";
}

/* The same with the story also naming a region. */
static const char *linked_in(Arena *a, const Kb *kb, const char *name, const char *country, const char *region)
{
    const char *countries[1] = {country}, *names[2] = {country, region};
    KbContext ctx = {countries, 1, names, 2, 2026};
    const KbEntry *e = kb_link(kb, name, &ctx);
    return e ? kb_sentence(a, e, name) : "(none)";
}

static void test_key_folds_case_accents_apostrophes_and_separators(void)
{
    Buf b = {0};
    kb_key(&b, "L'viv", 5);
    CHECK_STR(buf_cstr(&b), "lviv");
    buf_reset(&b);
    kb_key(&b, " Zaporizhzhia_Nuclear-Power  Plant ", 35);
    CHECK_STR(buf_cstr(&b), "zaporizhzhia nuclear power plant");
    buf_reset(&b);
    kb_key(&b, "Z\xC3\xBCrich", 7);
    CHECK_STR(buf_cstr(&b), "zurich");
    buf_reset(&b);
    kb_key(&b, "U.S.", 4);
    CHECK_STR(buf_cstr(&b), "us");
    buf_free(&b);
}

static void test_wordnet_gives_glosses_as_sentences(void)
{
    Kb *kb = fixture_kb(1, 0);
    Arena a = {0};
    CHECK_STR(linked(&a, kb, "Kiev", NULL, 0), "Kiev is the capital and largest city of the Ukraine.");
    CHECK_STR(linked(&a, kb, "Ukraine", NULL, 0), "Ukraine is a republic in southeastern Europe.");
    /* an aside after " - " is cut; a country called "US" takes "The" */
    CHECK_STR(linked(&a, kb, "US", NULL, 0), "The US is a North American republic containing 50 states.");
    CHECK_STR(linked(&a, kb, "NATO", NULL, 0),
              "NATO is an international organization created in 1949 by the North Atlantic Treaty for purposes "
              "of collective security.");
    CHECK_STR(linked(&a, kb, "Vladimir Putin", NULL, 0),
              "Vladimir Putin is a Russian statesman chosen as president of the Russian Federation in 2000.");
    /* the damaged line is reported, the rest loaded */
    CHECK(kb_warning_count(kb) == 1 && strstr(kb_warning(kb, 0), "1 lines did not parse"));
    arena_free(&a);
    kb_free(kb);
}

static void test_wordnet_places_follow_holonyms_to_their_country(void)
{
    Kb *kb = fixture_kb(1, 0);
    const KbEntry *e[4];
    CHECK_INT(kb_find(kb, "Riverside", 9, e, 4), 1);
    CHECK_STR(e[0]->country, "United States");
    CHECK(kb_is_country(kb, "United States", 13));
    CHECK(!kb_is_country(kb, "California", 10));
    kb_free(kb);
}

static void test_a_town_needs_the_story_to_name_its_country(void)
{
    Kb *kb = fixture_kb(1, 0);
    Arena a = {0};
    const char *us[] = {"United States"}, *ua[] = {"Ukraine"};
    /* an invented Riverside must not become California's */
    CHECK_STR(linked(&a, kb, "Riverside", NULL, 0), "(none)");
    CHECK_STR(linked(&a, kb, "Riverside", ua, 1), "(none)");
    /* naming the United States is not enough for a town in one of its states */
    CHECK_STR(linked(&a, kb, "Riverside", us, 1), "(none)");
    CHECK_STR(linked_in(&a, kb, "Riverside", "United States", "California"),
              "Riverside is a city in southern California.");
    arena_free(&a);
    kb_free(kb);
}

static void test_homonyms_are_told_apart_by_context_or_skipped(void)
{
    Kb *kb = fixture_kb(1, 0);
    Arena a = {0};
    const char *us[] = {"United States"}, *fr[] = {"France"};
    CHECK_STR(linked(&a, kb, "Springfield", NULL, 0), "(none)");
    CHECK_STR(linked_in(&a, kb, "Springfield", "United States", "California"),
              "Springfield is a city in central California.");
    /* without context the capital wins over a town; the mythical prince never counts */
    CHECK_STR(linked(&a, kb, "Paris", NULL, 0), "Paris is the capital and largest city of France.");
    CHECK_STR(linked(&a, kb, "Paris", fr, 1), "Paris is the capital and largest city of France.");
    CHECK_STR(linked(&a, kb, "Paris", us, 1), "Paris is a town in northeastern Texas.");
    arena_free(&a);
    kb_free(kb);
}

static void test_a_country_wins_over_namesakes_in_no_other_country(void)
{
    Kb *kb = fixture_kb(1, 0);
    Arena a = {0};
    CHECK_STR(linked(&a, kb, "Jordan", NULL, 0), "Jordan is an Arab kingdom in southwestern Asia on the Red Sea.");
    arena_free(&a);
    kb_free(kb);
}

static void test_a_capital_from_a_later_source_when_the_first_needs_context(void)
{
    Kb *kb = fixture_kb(1, 0);
    SwErr err;
    const char *xml =
        "<gweather><region><_name>Europe</_name><country><_name>Russia</_name>"
        "<city><!-- The capital of Russia --><_name>Moscow</_name></city></country></region>"
        "<region><_name>North America</_name><country><_name>United States</_name><state><_name>Idaho</_name>"
        "<city><_name>Moscow</_name></city></state></country></region></gweather>";
    CHECK(kb_load_geo(kb, write_file("moscow.xml", xml), &err) == 0);
    Arena a = {0};
    const char *ru[] = {"Russia"};
    CHECK_STR(linked(&a, kb, "Moscow", ru, 1), "Moscow is a city of central European Russia.");
    CHECK_STR(linked(&a, kb, "Moscow", NULL, 0), "Moscow is the capital of Russia.");
    arena_free(&a);
    kb_free(kb);
}

static void test_common_words_surnames_the_dead_and_the_historic_are_not_linked(void)
{
    Kb *kb = fixture_kb(1, 0);
    Arena a = {0};
    const char *us[] = {"United States"};
    CHECK(kb_is_common_word(kb, "Union", 5));
    CHECK_STR(linked(&a, kb, "Union", us, 1), "(none)");
    CHECK_STR(linked(&a, kb, "Putin", NULL, 0), "(none)");
    CHECK_STR(linked(&a, kb, "Mark Twain", us, 1), "(none)");
    CHECK_STR(linked(&a, kb, "Russian Empire", NULL, 0), "(none)");
    CHECK_STR(linked(&a, kb, "Atlantis", NULL, 0), "(none)");
    arena_free(&a);
    kb_free(kb);
}

static void test_locations_list_gives_countries_capitals_and_cities(void)
{
    Kb *kb = fixture_kb(0, 1);
    Arena a = {0};
    const char *ua[] = {"Ukraine"}, *us[] = {"United States"};
    CHECK_STR(linked(&a, kb, "Ukraine", NULL, 0), "Ukraine is a country in Europe.");
    CHECK_STR(linked(&a, kb, "Kyiv", NULL, 0), "Kyiv is the capital of Ukraine.");
    CHECK_STR(linked(&a, kb, "Lviv", ua, 1), "Lviv is a city in Ukraine.");
    CHECK_STR(linked(&a, kb, "Lviv", NULL, 0), "(none)");
    CHECK_STR(linked(&a, kb, "Miami", us, 1), "(none)");
    CHECK_STR(linked_in(&a, kb, "Miami", "United States", "Florida"), "Miami is a city in Florida, United States.");
    CHECK_STR(linked(&a, kb, "Florida", us, 1), "Florida is a region of the United States.");
    CHECK_STR(linked(&a, kb, "Republic of Moldova", NULL, 0), "The Republic of Moldova is a country in Europe.");
    CHECK_STR(linked(&a, kb, "Boryspil", ua, 1), "(none)"); /* a weather station, not a place */
    const KbEntry *e[2];
    CHECK(kb_find(kb, "Kyiv", 4, e, 2) == 1 && strcmp(e[0]->source, "the GNOME locations database") == 0);
    arena_free(&a);
    kb_free(kb);
}

static void test_wordnet_is_preferred_and_the_list_fills_gaps(void)
{
    Kb *kb = fixture_kb(1, 1);
    Arena a = {0};
    const char *ua[] = {"Ukraine"};
    CHECK_STR(linked(&a, kb, "Ukraine", NULL, 0), "Ukraine is a republic in southeastern Europe.");
    CHECK_STR(linked(&a, kb, "Lviv", ua, 1), "Lviv is a city in Ukraine.");
    arena_free(&a);
    kb_free(kb);
}

static void test_unreadable_sources_fail_with_their_path(void)
{
    Kb *kb = kb_new();
    SwErr err;
    CHECK(kb_load_wordnet(kb, "/nonexistent/data.noun", &err) != 0 && strstr(err.msg, "/nonexistent/data.noun"));
    CHECK(kb_load_geo(kb, write_file("bad.xml", "<gweather><region>"), &err) != 0 && strstr(err.msg, "bad.xml"));
    CHECK(kb_load_user(kb, "/nonexistent/kb.tsv", &err) != 0 && strstr(err.msg, "/nonexistent/kb.tsv"));
    CHECK_INT(kb_count(kb), 0);
    kb_free(kb);
}

static void test_user_tsv_wins_and_reports_malformed_lines(void)
{
    Kb *kb = fixture_kb(1, 1);
    const char *path = write_file("user.tsv",
        "# a comment\n"
        "name\taliases\tkind\tdescription\tsource\turl\tcountry\n"
        "Kyiv\tKiev|Kyyiv\tplace\tKyiv is the capital and most populous city of Ukraine.\tWikipedia\thttps://en.wikipedia.org/wiki/Kyiv\tUkraine\n"
        "only\ttwo fields\n"
        "Odesa\t\tvillage\tOdesa is a port.\tWikipedia\t\t\n"
        "Evil\t\tplace\tEvil is a place.\tWikipedia\tjavascript:alert(1)\t\n"
        "NoSource\t\tplace\tNoSource is a place.\t\t\t\n"
        "Bad\xff\t\tplace\tBad is bad.\tWikipedia\t\t\n"
        "Lviv\t\tplace\tLviv is a city in western Ukraine\tWikipedia\t\t\n"
        "Zelensky\tVolodymyr Zelensky\tperson\tVolodymyr Zelensky has been president of Ukraine since 2019.\tWikipedia\t\t\n");
    SwErr err;
    CHECK(kb_load_user(kb, path, &err) == 0);
    size_t w = kb_warning_count(kb);
    CHECK_INT(w, 6); /* the WordNet fixture's damaged line, then five here */
    char want[400];
    const char *lines[] = {":4: expected 5 to 7", ":5: unknown kind 'village'", ":6: url must start",
                           ":7: missing source", ":8: invalid UTF-8"};
    for (size_t i = 0; i < 5 && i + 1 < w; i++) {
        snprintf(want, sizeof want, "%s%s", path, lines[i]);
        CHECK(strstr(kb_warning(kb, i + 1), want) != NULL);
    }
    Arena a = {0};
    /* the user's entry hides WordNet's for every alias; as it gives a
     * country, the story must name that country */
    const char *ua[] = {"Ukraine"};
    CHECK_STR(linked(&a, kb, "Kiev", ua, 1), "Kyiv is the capital and most populous city of Ukraine.");
    CHECK_STR(linked(&a, kb, "Kyiv", ua, 1), "Kyiv is the capital and most populous city of Ukraine.");
    CHECK_STR(linked(&a, kb, "Kyiv", NULL, 0), "(none)");
    KbContext in_ukraine = {ua, 1, ua, 1, 2026};
    const KbEntry *e = kb_link(kb, "Kyiv", &in_ukraine);
    CHECK(e && strcmp(e->url, "https://en.wikipedia.org/wiki/Kyiv") == 0 && strcmp(e->source, "Wikipedia") == 0);
    /* without a country a user's place is trusted anywhere; a description
     * without a full stop gets one; a user's one-word person is trusted */
    CHECK_STR(linked(&a, kb, "Lviv", NULL, 0), "Lviv is a city in western Ukraine.");
    CHECK_STR(linked(&a, kb, "Zelensky", NULL, 0), "Volodymyr Zelensky has been president of Ukraine since 2019.");
    CHECK_STR(linked(&a, kb, "Evil", NULL, 0), "(none)");
    arena_free(&a);
    kb_free(kb);
}

static void test_user_jsonl_loads_and_reports_malformed_lines(void)
{
    Kb *kb = kb_new();
    const char *path = write_file("user.jsonl",
        "{\"name\":\"Donbas\",\"aliases\":[\"Donbass\"],\"kind\":\"place\",\"description\":\"The Donbas is a region of "
        "eastern Ukraine.\",\"source\":\"Wikipedia\",\"url\":\"https://en.wikipedia.org/wiki/Donbas\"}\n"
        "{\"name\": 5, \"description\":\"x\",\"source\":\"s\"}\n"
        "not json at all\n"
        "{\"name\":\"X\",\"kind\":\"place\",\"description\":\"X is.\",\"source\":\"S\",\"aliases\":\"no\"}\n"
        "\n"
        "{\"name\":\"Y\",\"kind\":\"person\",\"source\":\"S\"}\n");
    SwErr err;
    CHECK(kb_load_user(kb, path, &err) == 0);
    CHECK_INT(kb_count(kb), 1);
    CHECK_INT(kb_warning_count(kb), 4);
    char want[300];
    snprintf(want, sizeof want, "%s:2: field 'name' must be a string", path);
    CHECK(kb_warning(kb, 0) && strstr(kb_warning(kb, 0), want));
    snprintf(want, sizeof want, "%s:3:", path);
    CHECK(kb_warning(kb, 1) && strstr(kb_warning(kb, 1), want));
    snprintf(want, sizeof want, "%s:6: missing description", path);
    CHECK(kb_warning(kb, 3) && strstr(kb_warning(kb, 3), want));
    Arena a = {0};
    CHECK_STR(linked(&a, kb, "Donbass", NULL, 0), "The Donbas is a region of eastern Ukraine.");
    arena_free(&a);
    kb_free(kb);
}

/* ---- dates ---- */

#define TUE_30_DEC_2025 1767096000LL /* 2025-12-30 12:00 UTC, a Tuesday */

static const char *date_of(Arena *a, const char *sentence, int64_t published)
{
    EventDate d;
    return timeline_find_date(sentence, published, &d) ? timeline_date_string(a, &d) : "(none)";
}

static void test_dates_resolve_against_the_publication_day(void)
{
    Arena a = {0};
    int64_t p = TUE_30_DEC_2025;
    CHECK_STR(date_of(&a, "Russian drones struck Kyiv on Sunday, officials said.", p), "2025-12-28");
    CHECK_STR(date_of(&a, "The strikes on Tuesday hit the power grid.", p), "2025-12-30");
    CHECK_STR(date_of(&a, "Zelensky met Trump in Florida on 28 December.", p), "2025-12-28");
    CHECK_STR(date_of(&a, "Talks resume on January 5 in Washington.", p), "2026-01-05");
    CHECK_STR(date_of(&a, "Officials will meet on Friday to discuss the plan.", p), "2026-01-02");
    CHECK_STR(date_of(&a, "Envoys met last Tuesday in Geneva.", p), "2025-12-23");
    CHECK_STR(date_of(&a, "The talks ended yesterday without a deal.", p), "2025-12-29");
    CHECK_STR(date_of(&a, "The ceasefire began on Tuesday, March 3, 2026, at noon.", p), "2026-03-03");
    CHECK_STR(date_of(&a, "The full-scale invasion began in February 2022.", p), "2022-02");
    CHECK_STR(date_of(&a, "Zelensky was elected in 2019 on a promise of peace.", p), "2019");
    CHECK_STR(date_of(&a, "Further talks are planned for Washington in January.", p), "2026-01");
    CHECK_STR(date_of(&a, "Prices rose sharply in March.", p), "2025-03");
    /* "as planned" and "due to" do not look ahead */
    CHECK_STR(date_of(&a, "The evacuation on Friday night had worked as planned.", p), "2025-12-26");
    CHECK_STR(date_of(&a, "Flights were cancelled on Monday due to fog.", p), "2025-12-29");
    arena_free(&a);
}

static void test_dates_that_are_not_events_are_ignored(void)
{
    Arena a = {0};
    int64_t p = TUE_30_DEC_2025;
    CHECK_STR(date_of(&a, "Peskov said on Monday that Ukraine must withdraw.", p), "(none)");
    CHECK_STR(date_of(&a, "On Monday told reporters nothing new.", p), "(none)");
    CHECK_STR(date_of(&a, "A protest march through the city drew thousands.", p), "(none)");
    CHECK_STR(date_of(&a, "Prices may rise, analysts warned.", p), "(none)");
    CHECK_STR(date_of(&a, "The deadline of 31 February passed quietly.", p), "(none)");
    CHECK_STR(date_of(&a, "Output rose in 2019-20 by a third.", p), "(none)");
    /* without a publication date only dates with a year count */
    CHECK_STR(date_of(&a, "Drones struck Kyiv on Sunday.", 0), "(none)");
    CHECK_STR(date_of(&a, "Zelensky was elected in 2019.", 0), "2019");
    CHECK_STR(date_of(&a, "It happened on 3 March 2024 at dawn.", 0), "2024-03-03");
    arena_free(&a);
}

/* ---- a small story ---- */

#define MON_29_DEC_2025 (TUE_30_DEC_2025 - 86400)

static Article story[3] = {
    {.id = 1, .url = "https://a.example/1", .source = "Alpha News", .lang = "en", .published = MON_29_DEC_2025,
     .title = "Drones strike Kiev as talks on Ukraine continue",
     .text = "Russian drones struck Kiev on Sunday, cutting power to thousands of homes in the capital.\n\n"
             "Officials in Kiev said repair crews were working through the night. The attack on Kiev came as "
             "envoys from Ukraine and the United States prepared for talks.\n\n"
             "Vladimir Putin said Russia wanted a settlement. Residents of Riverside, a suburb, were also affected.\n\n"
             "Riverside officials opened shelters for families."},
    {.id = 2, .url = "https://b.example/2", .source = "Beta Times", .lang = "en", .published = TUE_30_DEC_2025,
     .title = "Kiev restores power after drone strike",
     .text = "Engineers in Kiev restored power to most homes on Tuesday after the drone attack.\n\n"
             "Russian drones struck Kiev on Sunday and cut power to thousands of homes, officials in Kiev said. "
             "Ukraine has asked the United States for more air defence systems.\n\n"
             "Vladimir Putin has not commented on the strike. Shelters in Riverside stayed open for families."},
    {.id = 3, .url = "https://c.example/3", .source = "Gamma Post", .lang = "en", .published = TUE_30_DEC_2025,
     .title = "Ukraine seeks more air defence after Kiev attack",
     .text = "Ukraine asked its allies for more air defence after the attack on Kiev, which began in 2022 "
             "as part of a wider campaign against the power grid.\n\n"
             "The war began in February 2022 when Russian forces invaded Ukraine. Envoys from Ukraine and the "
             "United States will meet in Geneva on 5 January to discuss a ceasefire.\n\n"
             "Vladimir Putin spoke to reporters in Moscow. Riverside shelters were busy."},
};

static void test_story_page_gets_background_and_a_timeline(void)
{
    Kb *kb = fixture_kb(1, 1);
    DocAnalyzer *da = doc_analyzer_new();
    Arena a = {0};
    Doc docs[3];
    WriterMember m[3];
    for (int i = 0; i < 3; i++) {
        doc_analyze(da, &a, &story[i], &docs[i]);
        m[i] = (WriterMember){&docs[i], story[i].source, NULL, 0};
    }
    WriterInput in = {.story_id = 9, .members = m, .n_members = 3, .article_count = 3, .version = 1,
                      .now = TUE_30_DEC_2025, .kb = kb};
    Page p;
    SwErr err;
    CHECK(page_write(&a, &in, &p, &err) == 0);

    /* background: Kiev and Putin first, the countries after; no invented Riverside */
    CHECK(p.n_background >= 3 && p.n_background <= PAGE_MAX_BACKGROUND);
    int kiev = -1, putin = -1, first_country = -1;
    for (size_t i = 0; i < p.n_background; i++) {
        const PageBackground *bg = &p.background[i];
        CHECK(bg->attribution && bg->attribution[0] && bg->text && bg->name);
        CHECK(strstr(bg->text, "Riverside") == NULL && strstr(bg->text, "California") == NULL);
        if (strcmp(bg->name, "Kiev") == 0) {
            kiev = (int)i;
            CHECK_STR(bg->text, "Kiev is the capital and largest city of the Ukraine.");
            CHECK_STR(bg->attribution, "WordNet");
            CHECK_STR(bg->kind, "place");
        }
        if (strcmp(bg->name, "Vladimir Putin") == 0)
            putin = (int)i;
        if (first_country < 0 && (strcmp(bg->name, "Ukraine") == 0 || strcmp(bg->name, "United States") == 0))
            first_country = (int)i;
    }
    CHECK(kiev >= 0 && putin >= 0 && first_country > kiev && first_country > putin);

    /* timeline: the Sunday strike once (two members say it), oldest first, verbatim and cited */
    CHECK(p.n_timeline >= 3 && p.n_timeline <= PAGE_MAX_TIMELINE);
    int sundays = 0;
    for (size_t i = 0; i < p.n_timeline; i++) {
        const PageEvent *ev = &p.timeline[i];
        CHECK(ev->source >= 0 && (size_t)ev->source < p.n_sources);
        if (ev->source >= 0 && (size_t)ev->source < p.n_sources) {
            int64_t id = p.sources[ev->source].article_id;
            CHECK(id >= 1 && id <= 3 && strstr(story[id - 1].text, ev->text) != NULL);
        }
        if (i)
            CHECK(strcmp(p.timeline[i - 1].date, ev->date) <= 0);
        if (strcmp(ev->date, "2025-12-28") == 0)
            sundays++;
    }
    CHECK_INT(sundays, 1);
    int february = 0;
    for (size_t i = 0; i < p.n_timeline; i++)
        february += strcmp(p.timeline[i].date, "2022-02") == 0;
    CHECK_INT(february, 1);
    CHECK_STR(p.timeline[p.n_timeline - 1].date, "2026-01-05");

    /* without a knowledge base: no background, the same timeline */
    in.kb = NULL;
    Page q;
    CHECK(page_write(&a, &in, &q, &err) == 0);
    CHECK_INT(q.n_background, 0);
    CHECK_INT(q.n_timeline, p.n_timeline);
    arena_free(&a);
    doc_analyzer_free(da);
    kb_free(kb);
}

static void test_real_wordnet_and_locations_when_installed(void)
{
    if (access(KB_WORDNET_DEFAULT, R_OK) != 0 || access(KB_GEO_DEFAULT, R_OK) != 0) {
        printf("  skip: %s or %s not installed (scripts/install-deps.sh installs them)\n", KB_WORDNET_DEFAULT,
               KB_GEO_DEFAULT);
        return;
    }
    Kb *kb = kb_new();
    SwErr err;
    CHECK(kb_load_geo(kb, KB_GEO_DEFAULT, &err) == 0);
    CHECK(kb_load_wordnet(kb, KB_WORDNET_DEFAULT, &err) == 0);
    CHECK(kb_count(kb) > 10000);
    Arena a = {0};
    const char *ua[] = {"Ukraine", "Russia"};
    CHECK_STR(linked(&a, kb, "Kiev", ua, 2), "Kiev is the capital and largest city of the Ukraine.");
    CHECK_STR(linked(&a, kb, "Lviv", ua, 2), "Lviv is a city in Ukraine.");
    CHECK_STR(linked(&a, kb, "Riverside", NULL, 0), "(none)");
    CHECK_STR(linked(&a, kb, "Union", NULL, 0), "(none)");
    CHECK_STR(linked(&a, kb, "Green Line", NULL, 0), "(none)");
    CHECK_STR(linked(&a, kb, "Georgia", NULL, 0), "(none)");
    arena_free(&a);
    kb_free(kb);
}

int main(void)
{
    snprintf(dir, sizeof dir, "%s/storywire-test-kb-%d", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
    char cmd[400];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
    if (system(cmd) != 0)
        return 1;
    RUN(test_key_folds_case_accents_apostrophes_and_separators);
    RUN(test_wordnet_gives_glosses_as_sentences);
    RUN(test_wordnet_places_follow_holonyms_to_their_country);
    RUN(test_a_town_needs_the_story_to_name_its_country);
    RUN(test_homonyms_are_told_apart_by_context_or_skipped);
    RUN(test_a_country_wins_over_namesakes_in_no_other_country);
    RUN(test_a_capital_from_a_later_source_when_the_first_needs_context);
    RUN(test_common_words_surnames_the_dead_and_the_historic_are_not_linked);
    RUN(test_locations_list_gives_countries_capitals_and_cities);
    RUN(test_wordnet_is_preferred_and_the_list_fills_gaps);
    RUN(test_unreadable_sources_fail_with_their_path);
    RUN(test_user_tsv_wins_and_reports_malformed_lines);
    RUN(test_user_jsonl_loads_and_reports_malformed_lines);
    RUN(test_dates_resolve_against_the_publication_day);
    RUN(test_dates_that_are_not_events_are_ignored);
    RUN(test_story_page_gets_background_and_a_timeline);
    RUN(test_real_wordnet_and_locations_when_installed);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    langid_shutdown();
    return test_summary("test_kb");
}
