/* test_analyze.c - the analysis stage: sentences and their flags, terms,
 * entities, quotes and speakers, title cleaning, SimHash, vectors. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/doc.h"
#include "analyze/docparts.h"
#include "core/buf.h"
#include "core/map.h"
#include "test.h"
#include "text/langid.h"
#include "text/unicode.h"

static DocAnalyzer *da;

static const char *storm_text =
    "HALDEN, Oct 3 (Meridian Wire) - A powerful storm flooded the coastal town of Port Halden "
    "on Tuesday, forcing thousands of residents to leave their homes.\n\n"
    "Mayor Anna Berg ordered the evacuation of the harbour district before dawn. \"We could not "
    "wait for the water to reach the houses,\" Berg told reporters. She said the town had never "
    "seen such a storm.\n\n"
    "\"The river rose faster than any model predicted,\" said Lars Okafor, a hydrologist at "
    "Halden University. \"Nobody should return before the all-clear,\" he warned.\n\n"
    "Berg said: \"Every family will get help from the town council.\"\n\n"
    "\xE2\x80\x9CThe old dams were never built for this much rain,\xE2\x80\x9D Okafor added.\n\n"
    "\"Power will be back within two days,\" according to Nora Lind of the regional grid "
    "operator.\n\n"
    "However, forecasters expect more heavy rain over the weekend. Will the old dams hold "
    "this time?\n\n"
    "Read more: storms across the northern coast this year\n\n"
    "[Watch: the harbour district under water after the storm]\n\n"
    "Copyright 2026 Harbour Times. All rights reserved.";

static Article storm_article(void)
{
    Article art = {0};
    art.id = 1;
    art.source = "Harbour Times";
    art.title = "Storm floods Port Halden as thousands flee - Harbour Times";
    art.text = storm_text;
    art.lang = "en";
    return art;
}

static const DocSentence *find_sentence(const Doc *d, const char *prefix)
{
    for (size_t i = 0; i < d->n_sentences; i++)
        if (strncmp(d->sentences[i].text, prefix, strlen(prefix)) == 0)
            return &d->sentences[i];
    return NULL;
}

static const DocEntity *find_entity(const Doc *d, const char *name)
{
    for (size_t i = 0; i < d->n_entities; i++)
        if (strcmp(d->entities[i].name, name) == 0)
            return &d->entities[i];
    return NULL;
}

static const DocQuote *find_quote(const Doc *d, const char *prefix)
{
    for (size_t i = 0; i < d->n_quotes; i++)
        if (strncmp(d->quotes[i].text, prefix, strlen(prefix)) == 0)
            return &d->quotes[i];
    return NULL;
}

static void test_dateline_is_stripped_not_dropped(void)
{
    Arena a = {0};
    Article art = storm_article();
    Doc d;
    doc_analyze(da, &a, &art, &d);
    CHECK(d.n_sentences > 8);
    CHECK_STR(d.sentences[0].text,
              "A powerful storm flooded the coastal town of Port Halden on Tuesday, forcing "
              "thousands of residents to leave their homes.");
    CHECK(!(d.sentences[0].flags & (SENT_BOILERPLATE | SENT_DANGLING)));
    CHECK_INT(d.sentences[0].paragraph, 0);
    CHECK_STR(d.title, "Storm floods Port Halden as thousands flee");
    CHECK_STR(d.lang, "en");
    arena_free(&a);
}

static void test_sentence_flags(void)
{
    Arena a = {0};
    Article art = storm_article();
    Doc d;
    doc_analyze(da, &a, &art, &d);
    const DocSentence *s;
    s = find_sentence(&d, "She said the town");
    CHECK(s && (s->flags & SENT_DANGLING));
    s = find_sentence(&d, "However, forecasters");
    CHECK(s && (s->flags & SENT_DANGLING));
    s = find_sentence(&d, "Will the old dams");
    CHECK(s && (s->flags & SENT_QUESTION));
    s = find_sentence(&d, "Read more");
    CHECK(s && (s->flags & SENT_BOILERPLATE));
    s = find_sentence(&d, "[Watch");
    CHECK(s && (s->flags & SENT_BOILERPLATE));
    s = find_sentence(&d, "Copyright");
    CHECK(s && (s->flags & SENT_BOILERPLATE));
    s = find_sentence(&d, "Mayor Anna Berg ordered");
    CHECK(s && s->flags == 0);
    CHECK(s && s->n_words == 12);
    s = find_sentence(&d, "\"We could not wait");
    CHECK(s && (s->flags & SENT_QUOTE));
    CHECK(s && !(s->flags & SENT_DANGLING));
    /* indexes are positions among the sentences */
    for (size_t i = 0; i < d.n_sentences; i++)
        CHECK_INT(d.sentences[i].index, i);
    arena_free(&a);
}

/* A phrase of page furniture anywhere in a sentence makes it boilerplate,
 * at every offset (the scan takes sixteen bytes at a time), and a near
 * miss does not. */
static void test_boilerplate_phrases_inside(void)
{
    static const char *const phrases[] = {"All rights reserved", "(Reporting by", "Editing by",
                                          "click here", "Sign up for", "http://", "https://",
                                          "www.", "cookie", NULL};
    static const char *const misses[] = {"All rights are reserved", "(Reported by", "Edited by",
                                         "click there", "Sign on for", "http:/", "https:/",
                                         "ww.", "cookbook", NULL};
    for (int set = 0; set < 2; set++) {
        const char *const *list = set ? misses : phrases;
        for (size_t k = 0; list[k]; k++) {
            for (size_t pad = 0; pad < 40; pad += 3) {
                char text[256];
                snprintf(text, sizeof text, "The council met on %.*sTuesday and the mayor spoke %s the "
                         "budget of the harbour town today.", (int)pad,
                         "again and again and again and again and again and again", list[k]);
                Arena a = {0};
                Article art = {.id = 1, .title = "Council meets", .text = text, .lang = "en"};
                Doc d;
                doc_analyze(da, &a, &art, &d);
                CHECK(d.n_sentences == 1);
                int boiler = d.n_sentences == 1 && (d.sentences[0].flags & SENT_BOILERPLATE);
                if (boiler != !set)
                    fprintf(stderr, "  '%s' at %zu: boilerplate %d\n", list[k], pad, boiler);
                CHECK(boiler == !set);
                arena_free(&a);
            }
        }
    }
}

static void test_terms_are_stemmed_and_skip_stop_words(void)
{
    Arena a = {0};
    TermVec one = doc_text_terms(da, &a, "storms", 6, "en");
    TermVec two = doc_text_terms(da, &a, "Storm", 5, "en");
    CHECK_INT(one.n, 1);
    CHECK_INT(two.n, 1);
    CHECK(one.n == 1 && two.n == 1 && one.terms[0].id == two.terms[0].id);
    TermVec stop = doc_text_terms(da, &a, "the and of it was", 17, "en");
    CHECK_INT(stop.n, 0);
    /* single characters, punctuation and one-digit numbers carry nothing */
    TermVec small = doc_text_terms(da, &a, "a - 7 , !", 9, "en");
    CHECK_INT(small.n, 0);
    /* years do ("2008" against "2013") */
    TermVec year = doc_text_terms(da, &a, "2026", 4, "en");
    CHECK_INT(year.n, 1);
    TermVec big = doc_text_terms(da, &a, "14,000 evacuated", 16, "en");
    CHECK_INT(big.n, 2);
    /* counts add up, ids are sorted */
    TermVec rep = doc_text_terms(da, &a, "flood floods flooding river", 27, "en");
    CHECK(rep.n >= 2);
    for (uint32_t i = 1; i < rep.n; i++)
        CHECK(rep.terms[i - 1].id < rep.terms[i].id);
    float total = 0;
    for (uint32_t i = 0; i < rep.n; i++)
        total += rep.terms[i].weight;
    CHECK(fabsf(total - 4.0f) < 1e-6f);
    arena_free(&a);
}

static void test_title_and_body_terms_are_separate(void)
{
    Arena a = {0};
    Article art = storm_article();
    Doc d;
    doc_analyze(da, &a, &art, &d);
    TermVec flee = doc_text_terms(da, &a, "flee", 4, "en");
    int in_title = 0, in_body = 0;
    for (uint32_t i = 0; i < d.title_terms.n; i++)
        in_title |= d.title_terms.terms[i].id == flee.terms[0].id;
    for (uint32_t i = 0; i < d.body_terms.n; i++)
        in_body |= d.body_terms.terms[i].id == flee.terms[0].id;
    CHECK(in_title);
    CHECK(!in_body);
    CHECK(d.n_words > 100);
    arena_free(&a);
}

/* Han and kana: pairs of neighbouring characters are the terms; a
 * character standing alone is one; a headline without a body lends its
 * terms to the body. */
static void test_unspaced_scripts_give_bigrams_and_headlines_stand_in(void)
{
    Arena a = {0};
    /* 火灾 ("fire") and 火灾发生 ("fire broke out") share the bigram 火灾 */
    TermVec fire = doc_text_terms(da, &a, "\xE7\x81\xAB\xE7\x81\xBE", 6, "zh");
    TermVec broke = doc_text_terms(da, &a, "\xE7\x81\xAB\xE7\x81\xBE\xE5\x8F\x91\xE7\x94\x9F", 12, "zh");
    CHECK_INT(fire.n, 1);
    CHECK_INT(broke.n, 3); /* 火灾, 灾发, 发生 */
    CHECK(fire.n == 1 && fire.terms[0].id == term_id("\xE7\x81\xAB\xE7\x81\xBE", 6));
    int shared = 0;
    for (uint32_t i = 0; i < broke.n && fire.n == 1; i++)
        shared |= broke.terms[i].id == fire.terms[0].id;
    CHECK(shared);
    /* 火 alone, between punctuation: a term by itself */
    TermVec lone = doc_text_terms(da, &a, "\xE3\x80\x8C\xE7\x81\xAB\xE3\x80\x8D", 9, "zh");
    CHECK_INT(lone.n, 1);

    Article art = {.title = "Harbour bridge closed after crash", .lang = "en"};
    Doc d;
    doc_analyze(da, &a, &art, &d);
    CHECK(d.title_terms.n >= 4);
    CHECK_INT(d.body_terms.n, d.title_terms.n);
    CHECK_INT(d.n_words, 0);
    arena_free(&a);
}

static void test_entities_merge_surnames_and_drop_titles(void)
{
    Arena a = {0};
    Article art = storm_article();
    Doc d;
    doc_analyze(da, &a, &art, &d);
    const DocEntity *berg = find_entity(&d, "Anna Berg");
    CHECK(berg != NULL);
    CHECK(berg && berg->count >= 3); /* Mayor Anna Berg, Berg told, Berg said */
    CHECK(find_entity(&d, "Berg") == NULL);
    CHECK(find_entity(&d, "Mayor Anna Berg") == NULL);
    const DocEntity *okafor = find_entity(&d, "Lars Okafor");
    CHECK(okafor && okafor->count >= 2);
    CHECK(find_entity(&d, "Port Halden") != NULL);
    CHECK(find_entity(&d, "Halden University") != NULL);
    /* sentence openers and weekdays are not names */
    CHECK(find_entity(&d, "However") == NULL);
    CHECK(find_entity(&d, "Tuesday") == NULL);
    CHECK(find_entity(&d, "She") == NULL);
    /* most mentioned first */
    for (size_t i = 1; i < d.n_entities; i++)
        CHECK(d.entities[i - 1].count >= d.entities[i].count);
    /* entity ids do not collide with word terms of the same name */
    TermVec w = doc_text_terms(da, &a, "Okafor", 6, "en");
    CHECK(okafor && w.n == 1 && okafor->id != w.terms[0].id);
    CHECK(d.entity_terms.n == d.n_entities);
    arena_free(&a);
}

static void test_entities_with_connectors_and_acronyms(void)
{
    Arena a = {0};
    Article art = {0};
    art.lang = "en";
    art.title = "Rates";
    art.text = "Officials at the Bank of England met on Monday with envoys from NATO and "
               "Ursula von der Leyen. The talks in London ended late.";
    Doc d;
    doc_analyze(da, &a, &art, &d);
    CHECK(find_entity(&d, "Bank of England") != NULL);
    CHECK(find_entity(&d, "NATO") != NULL);
    CHECK(find_entity(&d, "Ursula von der Leyen") != NULL);
    CHECK(find_entity(&d, "London") != NULL);
    CHECK(find_entity(&d, "Monday") == NULL);
    CHECK(find_entity(&d, "Officials") == NULL);
    arena_free(&a);
}

static void test_quotes_and_speakers(void)
{
    Arena a = {0};
    Article art = storm_article();
    Doc d;
    doc_analyze(da, &a, &art, &d);
    const DocQuote *q;
    /* "...," NAME told reporters - surname resolved to the full name */
    q = find_quote(&d, "We could not wait");
    CHECK(q && strcmp(q->speaker, "Anna Berg") == 0);
    CHECK(q && q->verb && strcmp(q->verb, "told reporters") == 0);
    CHECK(q && strcmp(q->text, "We could not wait for the water to reach the houses") == 0);
    /* "...," said NAME, a ... */
    q = find_quote(&d, "The river rose");
    CHECK(q && strcmp(q->speaker, "Lars Okafor") == 0);
    CHECK(q && q->verb && strcmp(q->verb, "said") == 0);
    /* "...," he warned - the last person named */
    q = find_quote(&d, "Nobody should return");
    CHECK(q && strcmp(q->speaker, "Lars Okafor") == 0);
    CHECK(q && q->verb && strcmp(q->verb, "warned") == 0);
    /* NAME said: "..." */
    q = find_quote(&d, "Every family will get help");
    CHECK(q && strcmp(q->speaker, "Anna Berg") == 0);
    CHECK(q && strcmp(q->text, "Every family will get help from the town council") == 0);
    /* curly quotes, “...,” SURNAME added */
    q = find_quote(&d, "The old dams");
    CHECK(q && strcmp(q->speaker, "Lars Okafor") == 0);
    /* according to NAME */
    q = find_quote(&d, "Power will be back");
    CHECK(q && strcmp(q->speaker, "Nora Lind") == 0);
    CHECK(q && q->verb == NULL);
    CHECK_INT(d.n_quotes, 6);
    for (size_t i = 0; i < d.n_quotes; i++) {
        CHECK(d.quotes[i].sentence < d.n_sentences);
        CHECK(d.sentences[d.quotes[i].sentence].flags & SENT_QUOTE);
    }
    arena_free(&a);
}

static void test_quote_without_speaker_is_dropped(void)
{
    Arena a = {0};
    Article art = {0};
    art.lang = "en";
    art.title = "Zone";
    art.text = "Washington proposed a \"free economic zone\" in the region. "
               "\"This is not what anyone wanted at all.\"";
    Doc d;
    doc_analyze(da, &a, &art, &d);
    CHECK_INT(d.n_quotes, 0);
    arena_free(&a);
}

/* "NAME, of the ORG, said" and a later "she said": the speaker is the
 * person, never the organisation in the appositive; "told cheering
 * supporters" keeps its whole object. */
static void test_speaker_behind_appositive(void)
{
    Arena a = {0};
    Article art = {0};
    art.lang = "en";
    art.title = "Painting found";
    art.text = "Detective Inspector Karen Holt, of the national police Art and Antiquities Unit, "
               "said officers had acted on a tip. \"We opened the unit and there it was, rolled "
               "up in a tube,\" she said.\n\n"
               "Detective Inspector Karen Holt of the Art and Antiquities Unit said the man had "
               "rented it. \"What we do not know is who had it before,\" she said.\n\n"
               "Inspector Mark Dunn, of the Harbour Fraud Squad, said: \"We have more work to "
               "do before anyone is charged.\"\n\n"
               "\"The people have asked us to lead the country,\" Dunn told cheering supporters "
               "in Eastbrook.\n\n"
               "Chief Medical Officer Dr. Anjali Bose, who spoke after the minister, said the "
               "campaign would work. \"We had it in 2015,\" she said.\n\n"
               "Northern Rail Freight spokeswoman Karin Lund said the train was late. \"We are "
               "deeply sorry for the disruption,\" she said.";
    Doc d;
    doc_analyze(da, &a, &art, &d);
    const DocQuote *q = find_quote(&d, "We opened the unit");
    CHECK(q && strcmp(q->speaker, "Karen Holt") == 0);
    q = find_quote(&d, "What we do not know");
    CHECK(q && strcmp(q->speaker, "Karen Holt") == 0);
    q = find_quote(&d, "We have more work");
    CHECK(q && strcmp(q->speaker, "Mark Dunn") == 0);
    q = find_quote(&d, "The people have asked");
    CHECK(q && strcmp(q->speaker, "Mark Dunn") == 0);
    CHECK(q && q->verb && strcmp(q->verb, "told cheering supporters") == 0);
    q = find_quote(&d, "We had it in 2015");
    CHECK(q && strcmp(q->speaker, "Anjali Bose") == 0);
    q = find_quote(&d, "We are deeply sorry");
    CHECK(q && strcmp(q->speaker, "Karin Lund") == 0);
    arena_free(&a);
}

/* A pronoun inside a relative clause ("the painting that once filled
 * it") points outside its noun phrase: with no name before it, the
 * sentence needs the one before. */
static void test_relative_clause_pronoun_is_dangling(void)
{
    Arena a = {0};
    Article art = {0};
    art.lang = "en";
    art.title = "Frame";
    art.text = "For years an empty frame hung on the wall of the Belmont gallery. On Thursday, "
               "staff learned that the painting that once filled it had been found. Curator Ann "
               "Marsh said the painting that thieves took from her had been found.";
    Doc d;
    doc_analyze(da, &a, &art, &d);
    const DocSentence *s = find_sentence(&d, "On Thursday, staff learned");
    CHECK(s && (s->flags & SENT_DANGLING));
    s = find_sentence(&d, "Curator Ann Marsh said");
    CHECK(s && !(s->flags & SENT_DANGLING));
    arena_free(&a);
}

static void test_language_is_detected_when_missing(void)
{
    Arena a = {0};
    Article art = storm_article();
    art.lang = NULL;
    Doc d;
    doc_analyze(da, &a, &art, &d);
    CHECK_STR(d.lang, "en");
    art.lang = "en-GB";
    doc_analyze(da, &a, &art, &d);
    CHECK_STR(d.lang, "en");
    arena_free(&a);
}

static void test_clean_title(void)
{
    Arena a = {0};
    CHECK_STR(doc_clean_title(&a, "Storm hits Port Halden - Harbour Times", "Harbour Times"),
              "Storm hits Port Halden");
    CHECK_STR(doc_clean_title(&a, "Storm hits Port Halden hard | BBC News", NULL),
              "Storm hits Port Halden hard");
    CHECK_STR(doc_clean_title(&a, "Storm hits Port Halden \xE2\x80\x94 The Harbour Times",
                              "the harbour times"),
              "Storm hits Port Halden");
    CHECK_STR(doc_clean_title(&a, "Storm hits Port Halden \xE2\x80\x93 Live", NULL),
              "Storm hits Port Halden");
    /* a lower-case tail is part of the title */
    CHECK_STR(doc_clean_title(&a, "Mayor speaks - worst storm in decades", NULL),
              "Mayor speaks - worst storm in decades");
    /* too little would be left without the outlet's word for it */
    CHECK_STR(doc_clean_title(&a, "Storm - Reuters", NULL), "Storm - Reuters");
    CHECK_STR(doc_clean_title(&a, "Storm - Reuters", "Reuters"), "Storm");
    /* colons are part of titles */
    CHECK_STR(doc_clean_title(&a, "Port Halden: The Long Night", NULL), "Port Halden: The Long Night");
    CHECK_STR(doc_clean_title(&a, "  spaced   title  ", NULL), "spaced title");
    arena_free(&a);
}

static void make_text(Buf *b, unsigned seed, int n_words)
{
    static const char *vocab[] = {
        "river", "storm", "harbour", "council", "mayor", "water", "dams", "rain", "power",
        "town", "homes", "crews", "roads", "bridge", "night", "morning", "families", "help",
        "school", "market", "boats", "coast", "wind", "trees", "lines", "repair", "shelter",
        "warning", "forecast", "levels", "pumps", "fields", "farm", "village", "police", "army"};
    unsigned x = seed;
    for (int i = 0; i < n_words; i++) {
        x = x * 1103515245u + 12345u;
        buf_puts(b, vocab[(x >> 16) % (sizeof vocab / sizeof vocab[0])]);
        buf_putc(b, (i % 12 == 11) ? '.' : ' ');
        if (i % 12 == 11)
            buf_putc(b, ' ');
    }
}

/* The SimHash is the bitwise majority of hash64("w1 w2 w3 ") over the
 * text's three-word shingles (one shingle of what there is for one or two
 * words), whatever the words' lengths: checked against that definition,
 * with words of 1 to 300 letters, a long one near the end included. */
static uint64_t simhash_reference(const char *const *words, size_t n)
{
    uint32_t count[64] = {0}, shingles = 0;
    Buf b = {0};
    for (size_t i = 0; i + 3 <= n || (i == 0 && n > 0); i++) {
        buf_reset(&b);
        for (size_t k = i; k < i + 3 && k < n; k++) {
            buf_puts(&b, words[k]);
            buf_putc(&b, ' ');
        }
        uint64_t h = hash64(b.data, b.len);
        for (int bit = 0; bit < 64; bit++)
            count[bit] += (h >> bit) & 1;
        shingles++;
    }
    buf_free(&b);
    uint64_t out = 0;
    for (int bit = 0; bit < 64; bit++)
        if (2 * count[bit] > shingles)
            out |= 1ULL << bit;
    return out;
}

static void test_simhash_is_shingle_majority(void)
{
    static char words[40][301];
    const char *w[40];
    unsigned seed = 7;
    for (size_t n = 1; n <= 40; n += (n < 12 ? 1 : 7)) {
        Buf text = {0};
        for (size_t k = 0; k < n; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t len = 1 + (seed >> 16) % 12;
            if (k == n - 2 || k == n / 2)
                len = 150 + (seed >> 8) % 150; /* a long word, near the end too */
            for (size_t c = 0; c < len; c++) {
                seed = seed * 1103515245u + 12345u;
                words[k][c] = (char)('a' + (seed >> 16) % 26);
            }
            words[k][len] = '\0';
            w[k] = words[k];
            if (k)
                buf_putc(&text, ' ');
            buf_puts(&text, words[k]);
        }
        Arena a = {0};
        Article art = {.id = 1, .title = "", .text = buf_cstr(&text), .lang = "en"};
        Doc d;
        doc_analyze(da, &a, &art, &d);
        if (d.simhash != simhash_reference(w, n))
            fprintf(stderr, "  %zu words: simhash differs\n", n);
        CHECK(d.simhash == simhash_reference(w, n));
        arena_free(&a);
        buf_free(&text);
    }
}

static void test_simhash_near_and_far(void)
{
    Arena a = {0};
    Buf t1 = {0}, t2 = {0}, t3 = {0};
    make_text(&t1, 7, 200);
    buf_puts(&t2, t1.data);
    /* a one-word edit in the middle */
    char *mid = strstr(t2.data + t2.len / 2, " ");
    memcpy(mid + 1, "XQZV", 4);
    make_text(&t3, 99, 200);
    Article a1 = {.lang = "en", .title = "t", .text = t1.data};
    Article a2 = {.lang = "en", .title = "t", .text = t2.data};
    Article a3 = {.lang = "en", .title = "t", .text = t3.data};
    Doc d1, d2, d3;
    doc_analyze(da, &a, &a1, &d1);
    doc_analyze(da, &a, &a2, &d2);
    doc_analyze(da, &a, &a3, &d3);
    CHECK(simhash_distance(d1.simhash, d2.simhash) <= 6);
    CHECK(simhash_distance(d1.simhash, d3.simhash) >= 16);
    CHECK_INT(simhash_distance(d1.simhash, d1.simhash), 0);
    buf_free(&t1);
    buf_free(&t2);
    buf_free(&t3);
    arena_free(&a);
}

static void test_vector_identities(void)
{
    Term ta[] = {{1, 1.0f}, {5, 2.0f}, {9, 2.0f}};
    Term tb[] = {{2, 3.0f}, {4, 1.0f}};
    Term tc[] = {{5, 1.0f}, {9, 1.0f}, {12, 7.0f}};
    TermVec a = {ta, 3}, b = {tb, 2}, c = {tc, 3}, empty = {NULL, 0};
    CHECK(fabs(termvec_norm(&a) - 3.0) < 1e-9);
    CHECK(fabs(termvec_cosine(&a, &a) - 1.0) < 1e-9);
    CHECK(fabs(termvec_cosine(&a, &b)) < 1e-12);
    CHECK(fabs(termvec_dot(&a, &c) - 4.0) < 1e-9);
    CHECK(fabs(termvec_cosine(&a, &c) - termvec_cosine(&c, &a)) < 1e-12);
    CHECK(termvec_cosine(&a, &empty) == 0);
    CHECK_INT(simhash_distance(0, ~0ULL), 64);
    CHECK_INT(simhash_distance(0xF0, 0x0F), 8);
}

static void test_term_id_is_stable(void)
{
    CHECK(term_id("storm", 5) == term_id("storm", 5));
    CHECK(term_id("storm", 5) != term_id("storms", 6));
    CHECK(term_id("storm", 5) != 0);
}

static void test_empty_article(void)
{
    Arena a = {0};
    Article art = {.lang = "en"};
    Doc d;
    doc_analyze(da, &a, &art, &d);
    CHECK_INT(d.n_sentences, 0);
    CHECK_INT(d.n_quotes, 0);
    CHECK_INT(d.n_entities, 0);
    CHECK_INT(d.body_terms.n, 0);
    CHECK_STR(d.title, "");
    arena_free(&a);
}

/* A 1.5 MB body is analysed from its opening only: bounded time and memory,
 * and the words of its end do not count. */
static void test_very_long_body_is_analysed_from_its_opening(void)
{
    Buf text = {0};
    for (int i = 0; i < 20000; i++)
        buf_puts(&text, "The harbour council met on Tuesday to discuss the ferry timetable again.\n\n");
    buf_puts(&text, "Zanzibarian marmalade festival concluded.");
    CHECK(text.len > (1u << 20));
    Article art = {.title = "Ferry timetable", .text = text.data, .lang = "en"};
    Arena a = {0};
    Doc d;
    doc_analyze(da, &a, &art, &d);
    CHECK(d.n_sentences > 1000);
    CHECK(d.n_sentences < 5000);
    CHECK(strstr(d.sentences[d.n_sentences - 1].text, "Zanzibarian") == NULL);
    TermVec end = doc_text_terms(da, &a, "Zanzibarian marmalade", 21, "en");
    int found = 0;
    for (uint32_t i = 0; i < end.n; i++)
        for (uint32_t k = 0; k < d.body_terms.n; k++)
            found |= end.terms[i].id == d.body_terms.terms[k].id;
    CHECK(!found);
    arena_free(&a);
    buf_free(&text);
}

/* Facts: years from every line (a date line that is too short to be text
 * included), people, and figures of two or more digits from the text. */
static void test_facts(void)
{
    Arena a = {0};
    Article art = {0};
    art.id = 1;
    art.title = "Earthquake hits Port Halden";
    art.text = "May 03 , 2013\n\n"
               "A magnitude 6.1 earthquake killed 37 people in Port Halden on Tuesday, the worst since 1998.\n\n"
               "Mayor Ines Varga said 37 families had lost their homes. Ines Varga asked for calm.";
    art.lang = "en";
    Doc d;
    doc_analyze(da, &a, &art, &d);
    int y2013 = 0, y1998 = 0, people = 0, figures = 0;
    float n37 = 0;
    char digits37[] = "37";
    uint32_t id37 = DOC_FACT_ID(DOC_FACT_NUMBER, term_id(digits37, 2));
    for (uint32_t i = 0; i < d.facts.n; i++) {
        uint32_t id = d.facts.terms[i].id;
        y2013 |= id == DOC_FACT_ID(DOC_FACT_YEAR, 2013);
        y1998 |= id == DOC_FACT_ID(DOC_FACT_YEAR, 1998);
        people += DOC_FACT_KIND(id) == DOC_FACT_PERSON;
        figures += DOC_FACT_KIND(id) == DOC_FACT_NUMBER;
        if (id == id37)
            n37 = d.facts.terms[i].weight;
        if (i > 0)
            CHECK(d.facts.terms[i - 1].id < id);
    }
    CHECK(y2013);
    CHECK(y1998);
    CHECK_INT(people, 1); /* Ines Varga, twice */
    CHECK(figures >= 2);  /* 61 and 37 */
    CHECK(n37 == 2.0f);
    arena_free(&a);
}

static int termvec_has(const TermVec *v, uint32_t id)
{
    for (uint32_t i = 0; i < v->n; i++)
        if (v->terms[i].id == id)
            return 1;
    return 0;
}

/* The term id of one word as the analyzer stems it. */
static uint32_t word_id(Arena *a, const char *w)
{
    TermVec v = doc_text_terms(da, a, w, strlen(w), "en");
    CHECK_INT(v.n, 1);
    return v.n ? v.terms[0].id : 0;
}

/* The lead is the body terms of the first DOC_LEAD_SENTENCES sentences of
 * the text proper (a dateline-only line is not one), with their counts. */
static void test_lead(void)
{
    CHECK_INT(DOC_LEAD_SENTENCES, 2);
    Arena a = {0};
    Article art = {0};
    art.title = "Hotel attack";
    art.text = "May 03 , 2013\n\n"
               "Gunmen stormed a hotel in the capital.\n\n"
               "Police sealed the district. Witnesses heard explosions overnight.";
    art.lang = "en";
    Doc d;
    doc_analyze(da, &a, &art, &d);
    uint32_t gunmen = word_id(&a, "gunmen"), capital = word_id(&a, "capital"),
             police = word_id(&a, "police"), district = word_id(&a, "district"),
             witnesses = word_id(&a, "witnesses"), attack = word_id(&a, "attack");
    CHECK(termvec_has(&d.lead_terms, gunmen));
    CHECK(termvec_has(&d.lead_terms, capital));
    CHECK(termvec_has(&d.lead_terms, police));
    CHECK(termvec_has(&d.lead_terms, district));
    CHECK(!termvec_has(&d.lead_terms, witnesses)); /* the third sentence */
    CHECK(!termvec_has(&d.lead_terms, attack));    /* the title is not the lead */
    for (uint32_t i = 0; i < d.lead_terms.n; i++)
        CHECK(termvec_has(&d.body_terms, d.lead_terms.terms[i].id));
    CHECK_INT(d.lead_terms.n, 7); /* gunmen stormed hotel capital; police sealed district */
    for (uint32_t i = 0; i < d.lead_terms.n; i++)
        CHECK(d.lead_terms.terms[i].weight == 1.0f);
    arena_free(&a);
}

/* The SimHash is the sign of the per-bit vote of hash64("w1 w2 w3 ") over
 * the word 3-shingles of the body (words folded, across sentences): the
 * same as a plain count, past the 255 shingles where its byte counters
 * are flushed. */
static void test_simhash_matches_its_definition(void)
{
    Arena a = {0};
    Buf t = {0};
    make_text(&t, 11, 700);
    Article art = {.lang = "en", .title = "t", .text = t.data};
    Doc d;
    doc_analyze(da, &a, &art, &d);
    const char *w[700];
    size_t wl[700], nw = 0;
    for (const char *p = t.data; *p;) {
        while (*p == ' ' || *p == '.')
            p++;
        if (!*p)
            break;
        w[nw] = p;
        while (*p && *p != ' ' && *p != '.')
            p++;
        wl[nw] = (size_t)(p - w[nw]);
        nw++;
    }
    CHECK_INT(nw, 700);
    int votes[64] = {0};
    for (size_t i = 2; i < nw; i++) {
        Buf sh = {0};
        for (size_t k = i - 2; k <= i; k++) {
            buf_append(&sh, w[k], wl[k]);
            buf_putc(&sh, ' ');
        }
        uint64_t h = hash64(sh.data, sh.len);
        for (int b = 0; b < 64; b++)
            votes[b] += (h >> b) & 1 ? 1 : -1;
        buf_free(&sh);
    }
    uint64_t want = 0;
    for (int b = 0; b < 64; b++)
        if (votes[b] > 0)
            want |= 1ULL << b;
    CHECK(d.simhash == want);
    buf_free(&t);
    arena_free(&a);
}

/* Term vectors are sorted by id with the counts of each term, whatever
 * their size (insertion sort, radix sort on the stack or on the heap). */
static void test_term_vectors_sorted_and_counted(void)
{
    static const int sizes[] = {5, 20, 100, 3000};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        Arena a = {0};
        Buf t = {0};
        make_text(&t, 3 + (unsigned)k, sizes[k]);
        TermVec v = doc_text_terms(da, &a, t.data, t.len, "en");
        float total = 0;
        for (uint32_t i = 0; i < v.n; i++) {
            total += v.terms[i].weight;
            if (i > 0)
                CHECK(v.terms[i - 1].id < v.terms[i].id);
        }
        CHECK(total == (float)sizes[k]); /* every vocabulary word is a term */
        /* a fresh analyzer (empty stem cache) agrees */
        DocAnalyzer *fresh = doc_analyzer_new();
        TermVec w = doc_text_terms(fresh, &a, t.data, t.len, "en");
        CHECK_INT(w.n, v.n);
        CHECK(w.n == v.n && memcmp(w.terms, v.terms, v.n * sizeof *v.terms) == 0);
        doc_analyzer_free(fresh);
        buf_free(&t);
        arena_free(&a);
    }
}

/* The stem cache empties itself when full and stems stay right. */
static void test_stem_cache_overflow(void)
{
    Arena a = {0};
    DocAnalyzer *own = doc_analyzer_new();
    TermVec before = doc_text_terms(own, &a, "storms", 6, "en");
    CHECK_INT(before.n, 1);
    Buf t = {0};
    for (unsigned i = 0; i < 60000; i++) {
        char word[16];
        unsigned x = i;
        for (int k = 0; k < 4; k++, x /= 26)
            word[k] = (char)('a' + x % 26);
        memcpy(word + 4, "ing ", 5);
        buf_puts(&t, word);
    }
    TermVec many = doc_text_terms(own, &a, t.data, t.len, "en");
    CHECK(many.n > 50000);
    TermVec after = doc_text_terms(own, &a, "storms", 6, "en");
    CHECK(after.n == 1 && after.terms[0].id == before.terms[0].id);
    CHECK(before.terms[0].id == term_id("storm", 5));
    /* another language's stemmer: German, then English again */
    TermVec de = doc_text_terms(own, &a, "Häuser", strlen("Häuser"), "de");
    CHECK_INT(de.n, 1);
    after = doc_text_terms(own, &a, "storms", 6, "en");
    CHECK(after.n == 1 && after.terms[0].id == before.terms[0].id);
    buf_free(&t);
    doc_analyzer_free(own);
    arena_free(&a);
}

/* The calendar dates (DOC_FACT_DATE) an article in lang writes, as
 * "YYYY-MM-DD" strings (year 0000 when none, day 00 for a month and year
 * alone) in fact order (by month and day, then year) joined by spaces,
 * into out. */
static void dates_of(const char *lang, const char *text, char *out, size_t cap)
{
    Arena a = {0};
    Article art = {0};
    art.id = 1;
    art.title = "";
    art.text = text;
    art.lang = lang;
    Doc d;
    doc_analyze(da, &a, &art, &d);
    size_t k = 0;
    out[0] = '\0';
    for (uint32_t i = 0; i < d.facts.n; i++) {
        uint32_t id = d.facts.terms[i].id;
        if (DOC_FACT_KIND(id) != DOC_FACT_DATE)
            continue;
        uint32_t v = id & 0x3FFFFFFFu;
        for (float c = 0; c < d.facts.terms[i].weight && k + 12 < cap; c++)
            k += (size_t)snprintf(out + k, cap - k, "%s%04u-%02u-%02u", k ? " " : "",
                                  DOC_DATE_YEAR(v), DOC_DATE_MONTH(v), DOC_DATE_DAY(v));
    }
    arena_free(&a);
}

/* Dates: a month's name next to a day, a year or both, in the languages
 * the analyzer knows; words that only look like months are not dates. */
static void test_dates(void)
{
    char got[512];
    dates_of("en", "The quake struck on March 3, 2013, and again on 5 March. "
                   "Aid arrived on Mar. 7th and the 10th of March.", got, sizeof got);
    CHECK_STR(got, "2013-03-03 0000-03-05 0000-03-07 0000-03-10"); /* by month and day */
    dates_of("en", "May 03 , 2013\n\nThe court met in June 2012, again on Dec 31 and on Feb 29.",
             got, sizeof got);
    /* "Feb 29" without a year may be a leap day */
    CHECK_STR(got, "0000-02-29 2013-05-03 2012-06-00 0000-12-31");
    dates_of("de", "Das Beben am 3. März 2013 zerstörte die Stadt; am 5. Mai kam Hilfe.", got,
             sizeof got);
    CHECK_STR(got, "2013-03-03 0000-05-05");
    dates_of("es", "El terremoto del 3 de marzo de 2013 dejó 37 muertos; el 5 de mayo llegó ayuda.",
             got, sizeof got);
    CHECK_STR(got, "2013-03-03 0000-05-05");
    dates_of("fr", "Le séisme du 1er mars 2013 a fait 37 morts. Le 5 mai, l'aide est arrivée.", got,
             sizeof got);
    CHECK_STR(got, "2013-03-01 0000-05-05");
    dates_of("it", "Il terremoto del 3 marzo 2013 ha distrutto la città.", got, sizeof got);
    CHECK_STR(got, "2013-03-03");
    dates_of("pt", "O terremoto de 3 de março de 2013 destruiu a cidade.", got, sizeof got);
    CHECK_STR(got, "2013-03-03");
    dates_of("nl", "De aardbeving van 3 maart 2013 verwoestte de stad.", got, sizeof got);
    CHECK_STR(got, "2013-03-03");
    dates_of("ru", "Землетрясение 3 марта 2013 года разрушило город, а 5 мая пришла помощь.", got,
             sizeof got);
    CHECK_STR(got, "2013-03-03 0000-05-05");
    dates_of("uk", "Землетрус 3 березня 2013 року зруйнував місто.", got, sizeof got);
    CHECK_STR(got, "2013-03-03");
    /* not dates: a month's name that is a word here, no day or year beside
     * it, an impossible day, a figure that only ends near a month */
    dates_of("en", "May I ask? Protesters will March on the capital. He may 10 times refuse. "
                   "It was 10 May-be, or March 32, or April 31, or 3,000 March. "
                   "The mar 3 was calm. In march 2013 nothing.", got, sizeof got);
    CHECK_STR(got, "");
    /* February 29 only in a leap year; a date at either end of the text;
     * the dateline's date ("HALDEN, Oct 3 (Meridian Wire) -") */
    dates_of("en", "3 May", got, sizeof got);
    CHECK_STR(got, "0000-05-03");
    dates_of("en", "Not February 29, 2013 but February 29, 2012 and then March", got, sizeof got);
    CHECK_STR(got, "2012-02-29");
    dates_of("en", storm_text, got, sizeof got);
    CHECK_STR(got, "0000-10-03");
    /* another language's month names are not dates in this one */
    dates_of("en", "The film Mai 3 and the album 5 mars were released.", got, sizeof got);
    CHECK_STR(got, "");
}


/* an_fold's ASCII path (sixteen bytes, then two overlapping words of
 * eight or four) folds as text_fold does, at every length around those
 * widths, with the bytes next to 'A' and 'Z', digits, and a NUL or a
 * non-ASCII character at every position (the slow path then). */
static void test_fold_ascii_widths(void)
{
    Arena scratch = {0};
    Buf fold = {0}, want = {0};
    AnDoc ad = {.scratch = &scratch, .fold = &fold};
    const char pool[] = "@AZ[`az{09Qm_-'xY";
    char w[80];
    int ok = 1;
    for (size_t n = 1; n <= 70; n++) {
        for (size_t i = 0; i < n; i++)
            w[i] = pool[(i * 7 + n) % (sizeof pool - 1)];
        for (int bad = -1; bad < (int)n; bad++) {
            char v[80];
            memcpy(v, w, n);
            size_t vn = n;
            if (bad >= 0 && bad % 3 == 0) {
                v[bad] = '\0';
            } else if (bad >= 0) { /* "É" in place of one byte, one byte longer */
                memmove(v + bad + 2, v + bad + 1, n - (size_t)bad - 1);
                v[bad] = '\xC3';
                v[bad + 1] = '\x89';
                vn = n + 1;
            }
            uint32_t len = 0;
            const char *got = an_fold(&ad, v, vn, &len);
            buf_reset(&want);
            text_fold(&want, v, vn);
            ok &= len == want.len && memcmp(got, want.data, len) == 0;
        }
    }
    CHECK(ok);
    uint32_t len;
    CHECK_STR(an_fold(&ad, "ABCDEFGHIJKLMNOPQRSTUVWXYZ@[`{", 30, &len), "abcdefghijklmnopqrstuvwxyz@[`{");
    buf_free(&fold);
    buf_free(&want);
    arena_free(&scratch);
}

/* A text of many terms (the bucketed sort of over 64 ids): its vector is
 * strictly ascending and counts every occurrence. */
static void test_many_terms_sorted(void)
{
    Arena a = {0};
    Buf t = {0};
    uint32_t x = 99;
    size_t words = 0;
    for (int i = 0; i < 3000; i++) {
        x = x * 1103515245u + 12345u;
        buf_printf(&t, "zq%ux%u ", (x >> 16) % 700, (x >> 8) % 3);
        words++;
    }
    TermVec v = doc_text_terms(da, &a, t.data, t.len, "en");
    int ok = v.n > 64;
    double total = 0;
    for (size_t i = 0; i < v.n; i++) {
        ok &= i == 0 || v.terms[i - 1].id < v.terms[i].id;
        total += v.terms[i].weight;
    }
    CHECK(ok);
    CHECK(total == (double)words);
    buf_free(&t);
    arena_free(&a);
}

int main(void)
{
    da = doc_analyzer_new();
    RUN(test_very_long_body_is_analysed_from_its_opening);
    RUN(test_dateline_is_stripped_not_dropped);
    RUN(test_sentence_flags);
    RUN(test_boilerplate_phrases_inside);
    RUN(test_terms_are_stemmed_and_skip_stop_words);
    RUN(test_title_and_body_terms_are_separate);
    RUN(test_unspaced_scripts_give_bigrams_and_headlines_stand_in);
    RUN(test_entities_merge_surnames_and_drop_titles);
    RUN(test_entities_with_connectors_and_acronyms);
    RUN(test_quotes_and_speakers);
    RUN(test_quote_without_speaker_is_dropped);
    RUN(test_speaker_behind_appositive);
    RUN(test_relative_clause_pronoun_is_dangling);
    RUN(test_language_is_detected_when_missing);
    RUN(test_clean_title);
    RUN(test_simhash_near_and_far);
    RUN(test_simhash_is_shingle_majority);
    RUN(test_simhash_matches_its_definition);
    RUN(test_term_vectors_sorted_and_counted);
    RUN(test_stem_cache_overflow);
    RUN(test_vector_identities);
    RUN(test_term_id_is_stable);
    RUN(test_empty_article);
    RUN(test_facts);
    RUN(test_dates);
    RUN(test_lead);
    RUN(test_fold_ascii_widths);
    RUN(test_many_terms_sorted);
    doc_analyzer_free(da);
    langid_shutdown();
    return test_summary("analyze");
}
