/* test_writer_pages.c - what a story page holds, on small hand-written
 * stories (a freight train derailment at the invented Ashby Junction):
 * the summary states the core event, sections are sub-topics with
 * headings that are neither a lone name nor a clipped clause, paragraphs
 * run in time order without a dangling opener, bylines and datelines
 * never appear, the headline is a plain member title without its outlet,
 * a story in several languages reads in its main one; and the bad inputs
 * of issue 6: one article, 200 articles, articles with no sentences, only
 * quotes, the same sentence in every article. Also the evaluation's
 * budgeted selection (page_select_summary). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze/doc.h"
#include "story/writer.h"
#include "test.h"
#include "text/langid.h"

#define T0 1790000000LL

typedef struct Story {
    Article art[210];
    Doc doc[210];
    WriterMember mem[210];
    size_t n;
    Arena a;
} Story;

static DocAnalyzer *da;

static void story_add(Story *s, const char *outlet, const char *title, const char *lang, int64_t published,
                      const char *text)
{
    Article *art = &s->art[s->n];
    memset(art, 0, sizeof *art);
    art->id = (int64_t)s->n + 1;
    art->url = arena_printf(&s->a, "https://example.test/%zu", s->n);
    art->source = outlet;
    art->title = title;
    art->lang = lang;
    art->published = published;
    art->text = text;
    doc_analyze(da, &s->a, art, &s->doc[s->n]);
    s->mem[s->n] = (WriterMember){&s->doc[s->n], outlet, NULL, 0};
    s->n++;
}

static int write(Story *s, Arena *a, Page *p)
{
    WriterInput in = {.story_id = 1, .members = s->mem, .n_members = s->n,
                      .article_count = (int)s->n, .version = 1, .now = T0 + 100000};
    SwErr err = {{0}};
    return page_write(a, &in, p, &err);
}

/* The member article and sentence a page sentence was copied from. */
static const DocSentence *find(const Story *s, const PageSentence *ps, size_t *member)
{
    for (size_t m = 0; m < s->n; m++)
        for (size_t k = 0; k < s->doc[m].n_sentences; k++)
            if (strcmp(s->doc[m].sentences[k].text, ps->text) == 0) {
                if (member)
                    *member = m;
                return &s->doc[m].sentences[k];
            }
    return NULL;
}

static size_t all_sentences(const Page *p, const PageSentence **out, size_t cap)
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

static void derailment(Story *s)
{
    story_add(s, "Meridian Wire", "Freight train derails at Ashby Junction, chemical leak forces evacuation - Meridian Wire",
              "en", T0,
              "ASHBY, Oct 28 (Meridian Wire) - A freight train carrying industrial chemicals derailed at "
              "Ashby Junction early on Wednesday, and a leak from one of its tank wagons forced about 400 "
              "residents to leave their homes, officials said.\n\n"
              "By Jane Whitaker\n\n"
              "Eleven wagons of the 42-wagon train came off the track at about 2:15 a.m. near the village "
              "school. Fire crews stopped the chemical leak by 6 a.m. and began to pump the spilled caustic "
              "soda out of a drainage ditch beside the line.\n\n"
              "\"There is no fire and there is no risk of explosion,\" said fire chief Darnell Hayes. He "
              "added that the tank wagon had been emptied by noon.\n\n"
              "Residents were taken to a rest centre at the village hall, where volunteers served hot "
              "meals through the night.");
    story_add(s, "Northgate Courier", "Ashby residents wait to go home after derailment",
              "en", T0 + 3600,
              "About 400 people living near Ashby Junction were evacuated on Wednesday after a tank wagon "
              "carrying caustic soda overturned in the freight train derailment and began to leak.\n\n"
              "Resident Moira Fenton said the evacuation of Ashby Junction began at 3 a.m. "
              "\"We were told to leave the caustic soda leak behind within ten minutes,\" she said.\n\n"
              "Passenger services between Northgate and Kelby were suspended, and buses replaced trains on "
              "the line for the rest of the week. The rail operator said the buses would add up to an hour "
              "to journeys between the two towns.\n\n"
              "Residents at the rest centre said they had raised concerns about chemical trains passing "
              "the village school for years. However, the council had never asked the rail operator to "
              "change the route.\n\n"
              "Copyright 2026 Northgate Courier. All rights reserved.");
    story_add(s, "Eastern Standard", "Investigators look at track defect as Ashby residents return home",
              "en", T0 + 86400,
              "Investigators examining the freight train derailment at Ashby Junction are focusing on a "
              "section of track where a rail may have cracked, the Transport Safety Board said on "
              "Thursday.\n\n"
              "The board's lead investigator said a broken rail had been found at the point where the first "
              "wagons left the track. It was too early to say whether the broken rail had caused the "
              "derailment, the board said in a statement.\n\n"
              "Most of the 400 evacuated residents were allowed to return home on Thursday after tests of "
              "the stream next to the line showed no lasting contamination from the caustic soda.\n\n"
              "Passenger trains between Northgate and Kelby are expected to run again on Monday once "
              "engineers have replaced the damaged track.");
    story_add(s, "Pacific Observer", "You won't believe what happened at Ashby Junction",
              "en", T0 + 90000,
              "The freight train derailment at Ashby Junction has renewed calls for chemical trains to be "
              "routed away from villages.\n\n"
              "Local councillors said the broken rail found by the Transport Safety Board showed that the "
              "track needed more frequent inspections. The rail operator said it inspected the line every "
              "month and would review its inspection schedule.\n\n"
              "Insurers said claims from residents for hotel stays and damaged gardens were expected to "
              "reach several hundred thousand pounds.");
}

static void test_summary_states_the_core_event(void)
{
    Story s = {0};
    derailment(&s);
    Arena a = {0};
    Page p;
    CHECK_INT(write(&s, &a, &p), 0);
    CHECK(p.n_summary >= 1 && p.n_summary <= 3);
    const DocSentence *first = find(&s, &p.summary[0], NULL);
    CHECK(first && !(first->flags & (SENT_DANGLING | SENT_QUOTE)));
    /* what happened and where */
    CHECK(strstr(p.summary[0].text, "derail") != NULL);
    CHECK(strstr(p.summary[0].text, "Ashby") != NULL);
    arena_free(&a);
    arena_free(&s.a);
}

static void test_headline_is_plain_and_without_outlet(void)
{
    Story s = {0};
    derailment(&s);
    Arena a = {0};
    Page p;
    CHECK_INT(write(&s, &a, &p), 0);
    /* the most central title, its " - Meridian Wire" removed */
    CHECK_STR(p.headline, "Freight train derails at Ashby Junction, chemical leak forces evacuation");
    CHECK(p.headline && strstr(p.headline, "won't believe") == NULL);
    CHECK(p.headline && strchr(p.headline, '?') == NULL);
    arena_free(&a);
    arena_free(&s.a);
}

/* Lowercase copy for case-blind comparisons. */
static void lower(char *d, const char *s, size_t cap)
{
    size_t i = 0;
    for (; s[i] && i + 1 < cap; i++)
        d[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    d[i] = '\0';
}

static void test_sections_are_subtopics_with_real_headings(void)
{
    Story s = {0};
    derailment(&s);
    Arena a = {0};
    Page p;
    CHECK_INT(write(&s, &a, &p), 0);
    CHECK(p.n_sections >= 2 && p.n_sections <= 6);
    for (size_t k = 0; k < p.n_sections; k++) {
        const char *h = p.sections[k].heading;
        CHECK(h && h[0] >= 'A' && h[0] <= 'Z'); /* sentence case */
        char hl[200];
        lower(hl, h, sizeof hl);
        /* never a lone name: not just one of the story's names, outlets
         * or speakers */
        for (size_t m = 0; m < s.n; m++) {
            for (size_t e = 0; e < s.doc[m].n_entities; e++)
                CHECK(strcasecmp(h, s.doc[m].entities[e].name) != 0);
            CHECK(strcasecmp(h, s.art[m].source) != 0);
            char ol[100];
            lower(ol, s.art[m].source, sizeof ol);
            CHECK(strstr(hl, ol) == NULL);
        }
        /* never a clipped clause: no word ending in "ed" at its end, no
         * trailing small word */
        size_t n = strlen(hl);
        CHECK(!(n > 4 && strcmp(hl + n - 2, "ed") == 0));
        const char *last = strrchr(hl, ' ');
        last = last ? last + 1 : hl;
        CHECK(strcmp(last, "the") && strcmp(last, "of") && strcmp(last, "and") && strcmp(last, "to"));
        CHECK(strlen(h) <= 80);
        for (size_t t = 0; t < k; t++)
            CHECK(strcasecmp(h, p.sections[t].heading) != 0);
    }
    arena_free(&a);
    arena_free(&s.a);
}

static void test_paragraphs_run_in_time_order_and_never_dangle(void)
{
    Story s = {0};
    derailment(&s);
    Arena a = {0};
    Page p;
    CHECK_INT(write(&s, &a, &p), 0);
    for (size_t k = 0; k < p.n_sections; k++) {
        int64_t prev_t = 0;
        long prev_i = -1;
        size_t in_section = 0;
        for (size_t q = 0; q < p.sections[k].n_paragraphs; q++)
            in_section += p.sections[k].paragraphs[q].n_sentences;
        for (size_t q = 0; q < p.sections[k].n_paragraphs; q++) {
            const PageParagraph *para = &p.sections[k].paragraphs[q];
            CHECK(para->n_sentences <= 4);
            CHECK(para->n_sentences >= 2 || in_section == 1);
            /* a dangling sentence right after the one before it in its
             * article */
            for (size_t i = 1; i < para->n_sentences; i++) {
                size_t m1 = 0, m0 = 0;
                const DocSentence *ds = find(&s, &para->sentences[i], &m1);
                const DocSentence *before = find(&s, &para->sentences[i - 1], &m0);
                if (ds && before && (ds->flags & SENT_DANGLING))
                    CHECK(m1 == m0 && before->index + 1 == ds->index);
            }
            const DocSentence *open = find(&s, &para->sentences[0], NULL);
            CHECK(open && !(open->flags & SENT_DANGLING));
            for (size_t i = 0; i < para->n_sentences; i++) {
                size_t m = 0;
                const DocSentence *ds = find(&s, &para->sentences[i], &m);
                CHECK(ds != NULL);
                if (!ds)
                    continue;
                int64_t t = s.art[m].published;
                /* dangling sentences may follow their antecedent out of
                 * order; the rest go by time, then position */
                if (!(ds->flags & SENT_DANGLING)) {
                    CHECK(t > prev_t || (t == prev_t && (long)ds->index > prev_i));
                    prev_t = t;
                    prev_i = (long)ds->index;
                }
            }
        }
    }
    arena_free(&a);
    arena_free(&s.a);
}

/* "...," she said: the speaker is in the sentence before, so this one
 * only comes right after it. */
static void test_quote_with_pronoun_speaker_keeps_its_antecedent(void)
{
    Story s = {0};
    derailment(&s);
    Arena a = {0};
    Page p;
    CHECK_INT(write(&s, &a, &p), 0);
    for (size_t i = 0; i < p.n_summary; i++)
        CHECK(strstr(p.summary[i].text, "she said") == NULL);
    for (size_t k = 0; k < p.n_sections; k++)
        for (size_t q = 0; q < p.sections[k].n_paragraphs; q++) {
            const PageParagraph *para = &p.sections[k].paragraphs[q];
            for (size_t i = 0; i < para->n_sentences; i++)
                if (strstr(para->sentences[i].text, "she said"))
                    CHECK(i > 0 && strstr(para->sentences[i - 1].text, "Moira Fenton") != NULL);
        }
    arena_free(&a);
    arena_free(&s.a);
}

static void test_no_bylines_datelines_or_boilerplate(void)
{
    Story s = {0};
    derailment(&s);
    Arena a = {0};
    Page p;
    CHECK_INT(write(&s, &a, &p), 0);
    const PageSentence *all[200];
    size_t n = all_sentences(&p, all, 200);
    CHECK(n >= 6);
    for (size_t i = 0; i < n; i++) {
        CHECK(strncmp(all[i]->text, "By ", 3) != 0);
        CHECK(strstr(all[i]->text, "(Meridian Wire) -") == NULL);
        CHECK(strstr(all[i]->text, "Copyright") == NULL);
        /* and every sentence is verbatim from the article it cites */
        CHECK(all[i]->source >= 0 && (size_t)all[i]->source < p.n_sources);
        for (size_t m = 0; m < s.n; m++)
            if (s.art[m].id == p.sources[all[i]->source].article_id)
                CHECK(strstr(s.art[m].text, all[i]->text) != NULL);
    }
    arena_free(&a);
    arena_free(&s.a);
}

static void test_mixed_languages_read_in_the_main_one(void)
{
    Story s = {0};
    derailment(&s);
    story_add(&s, "Rheinische Post", "Güterzug entgleist in Ashby Junction", "de", T0 + 5000,
              "Ein mit Chemikalien beladener Güterzug ist am Mittwoch in Ashby Junction entgleist, und "
              "rund 400 Anwohner mussten ihre Häuser verlassen.\n\n"
              "Die Feuerwehr stoppte das Leck am frühen Morgen und pumpte die ausgelaufene Natronlauge aus "
              "einem Graben neben der Strecke.\n\n"
              "Die Ermittler untersuchen eine gebrochene Schiene an der Unfallstelle, teilte die Behörde "
              "am Donnerstag mit.");
    Arena a = {0};
    Page p;
    CHECK_INT(write(&s, &a, &p), 0);
    CHECK_STR(p.lang, "en");
    const PageSentence *all[200];
    size_t n = all_sentences(&p, all, 200);
    for (size_t i = 0; i < n; i++) {
        size_t m = 0;
        CHECK(find(&s, all[i], &m) != NULL);
        CHECK(strcmp(s.art[m].lang, "en") == 0);
    }
    CHECK(p.headline && strstr(p.headline, "Güterzug") == NULL);
    arena_free(&a);
    arena_free(&s.a);
}

static void test_one_article(void)
{
    Story s = {0};
    story_add(&s, "Meridian Wire", "Freight train derails at Ashby Junction", "en", T0,
              "A freight train carrying industrial chemicals derailed at Ashby Junction early on "
              "Wednesday, forcing about 400 residents to leave their homes.\n\n"
              "Fire crews stopped the chemical leak by 6 a.m. and pumped the spilled caustic soda out of a "
              "drainage ditch beside the line.\n\n"
              "Passenger services between Northgate and Kelby were suspended for the rest of the week.\n\n"
              "Investigators from the Transport Safety Board found a broken rail at the point where the "
              "first wagons left the track.");
    Arena a = {0};
    Page p;
    CHECK_INT(write(&s, &a, &p), 0);
    CHECK(p.n_summary >= 1);
    CHECK_STR(p.headline, "Freight train derails at Ashby Junction");
    const PageSentence *all[50];
    size_t n = all_sentences(&p, all, 50);
    for (size_t i = 0; i < n; i++)
        CHECK(strstr(s.art[0].text, all[i]->text) != NULL);
    arena_free(&a);
    arena_free(&s.a);
}

static void test_two_hundred_articles(void)
{
    Story *s = calloc(1, sizeof *s);
    static const char *places[] = {"Ashby Junction", "the village school", "Kelby station", "the river bridge"};
    static const char *what[] = {"investigators examined the broken rail", "buses replaced trains",
                                 "residents returned home", "engineers replaced the damaged track",
                                 "insurers counted the claims"};
    for (int i = 0; i < 200; i++) {
        const char *text = arena_printf(
            &s->a,
            "A freight train derailed at Ashby Junction on Wednesday and %d residents left their homes, "
            "report %d said.\n\n"
            "Near %s, %s on day %d of the recovery work.\n\n"
            "The Transport Safety Board said %d wagons had left the track and %d tests of the stream "
            "showed no contamination.",
            380 + i % 40, i, places[i % 4], what[i % 5], 1 + i % 7, 5 + i % 9, 10 + i);
        story_add(s, i % 2 ? "Northgate Courier" : "Meridian Wire",
                  arena_printf(&s->a, "Ashby derailment: update %d", i), "en", T0 + i * 600, text);
    }
    Arena a = {0};
    Page p;
    CHECK_INT(write(s, &a, &p), 0);
    CHECK(p.n_summary >= 1 && p.n_summary <= 3);
    CHECK(p.n_sections <= 6);
    const PageSentence *all[300];
    size_t n = all_sentences(&p, all, 300);
    CHECK(n >= 3 && n <= 40);
    for (size_t i = 0; i < n; i++) {
        CHECK(find(s, all[i], NULL) != NULL);
        for (size_t j = 0; j < i; j++)
            CHECK(strcmp(all[i]->text, all[j]->text) != 0);
    }
    arena_free(&a);
    arena_free(&s->a);
    free(s);
}

static void test_articles_without_sentences(void)
{
    Story s = {0};
    story_add(&s, "Meridian Wire", "Freight train derails at Ashby Junction", "en", T0, "");
    story_add(&s, "Northgate Courier", "", "en", T0 + 60, "   \n\n  ");
    story_add(&s, "Eastern Standard", "Ashby derailment", "en", T0 + 120, "...");
    Arena a = {0};
    Page p;
    CHECK_INT(write(&s, &a, &p), 0);
    CHECK(p.headline && p.headline[0]);
    CHECK(p.slug && p.slug[0]);
    CHECK(p.n_sections == 0);
    arena_free(&a);
    arena_free(&s.a);

    /* no title either */
    Story e = {0};
    story_add(&e, "Meridian Wire", "", "en", T0, "");
    CHECK_INT(write(&e, &a, &p), 0);
    CHECK(p.headline && p.headline[0]);
    CHECK(p.n_summary == 0 && p.n_sections == 0);
    arena_free(&a);
    arena_free(&e.a);
}

static void test_only_quotes(void)
{
    Story s = {0};
    story_add(&s, "Meridian Wire", "Fire chief on Ashby derailment", "en", T0,
              "\"There is no fire and there is no risk of explosion at Ashby Junction,\" said fire chief "
              "Darnell Hayes.\n\n"
              "\"We are pumping the caustic soda out of the drainage ditch beside the line,\" said Darnell "
              "Hayes.\n\n"
              "\"We heard a bang like thunder and then a long screeching noise,\" said resident Moira "
              "Fenton.");
    story_add(&s, "Northgate Courier", "Residents on Ashby derailment", "en", T0 + 60,
              "\"Every night these chemical trains come through right past the village school,\" said "
              "councillor Graham Whitlow.\n\n"
              "\"There is no fire and no risk of explosion at Ashby Junction,\" said fire chief Darnell "
              "Hayes.");
    Arena a = {0};
    Page p;
    CHECK_INT(write(&s, &a, &p), 0);
    CHECK(p.n_summary >= 1);
    const PageSentence *all[50];
    size_t n = all_sentences(&p, all, 50);
    for (size_t i = 0; i < n; i++)
        CHECK(find(&s, all[i], NULL) != NULL);
    CHECK(p.n_quotes >= 1);
    arena_free(&a);
    arena_free(&s.a);
}

static void test_same_sentence_in_every_article(void)
{
    Story s = {0};
    const char *text =
        "A freight train carrying industrial chemicals derailed at Ashby Junction early on Wednesday, "
        "forcing about 400 residents to leave their homes.";
    static const char *outlets[] = {"Meridian Wire", "Northgate Courier", "Eastern Standard",
                                    "Pacific Observer", "Riverside Herald"};
    for (int i = 0; i < 5; i++)
        story_add(&s, outlets[i], "Freight train derails at Ashby Junction", "en", T0 + i * 60, text);
    Arena a = {0};
    Page p;
    CHECK_INT(write(&s, &a, &p), 0);
    const PageSentence *all[50];
    size_t n = all_sentences(&p, all, 50);
    CHECK_INT(n, 1);
    CHECK(n >= 1 && strcmp(all[0]->text, text) == 0);
    arena_free(&a);
    arena_free(&s.a);
}

static void test_budgeted_selection_for_evaluation(void)
{
    Story s = {0};
    derailment(&s);
    WriterInput in = {.story_id = 1, .members = s.mem, .n_members = s.n, .article_count = (int)s.n};
    Arena a = {0};
    const char **sel;
    size_t n = page_select_summary(&a, &in, 60, &sel);
    CHECK(n >= 2);
    size_t words = 0;
    for (size_t i = 0; i < n; i++) {
        /* whole sentences until the budget: only the last passes it */
        CHECK(words < 60);
        const DocSentence *ds = NULL;
        for (size_t m = 0; m < s.n && !ds; m++)
            for (size_t k = 0; k < s.doc[m].n_sentences; k++)
                if (strcmp(s.doc[m].sentences[k].text, sel[i]) == 0)
                    ds = &s.doc[m].sentences[k];
        CHECK(ds != NULL);
        words += ds ? ds->n_words : 0;
        for (size_t j = 0; j < i; j++)
            CHECK(strcmp(sel[i], sel[j]) != 0);
    }
    CHECK(words >= 60);
    /* the first sentence neither dangles nor quotes */
    CHECK(strstr(sel[0], "\"") == NULL);
    CHECK(page_select_summary(&a, &in, 0, &sel) == 0);
    arena_free(&a);
    arena_free(&s.a);
}

/* A recovered painting (an invented gallery in invented towns): the same
 * facts told by three outlets in different words, for the page-level
 * redundancy check, the headings and the timeline. */
static void gallery(Story *s)
{
    story_add(s, "Meridian Wire", "Painting stolen from Dunmore gallery in 1996 found in lock-up",
              "en", T0,
              "A painting by the artist Edith Varley that was stolen from a gallery in Dunmore 30 years "
              "ago has been found in a lock-up garage in Kelsby, police said on Wednesday.\n\n"
              "The oil painting, \"The Lighthouse Keeper\", was cut from its frame during a break-in at "
              "the Dunmore Art Gallery one night in 1996.\n\n"
              "A 58-year-old man was arrested on suspicion of handling stolen goods and has been released "
              "on bail, police said. He has not been named.\n\n"
              "Experts from the National Museum examined the canvas and confirmed it was the original.");
    story_add(s, "Harbour Times", "Recovered Varley painting reopens a 30-year-old mystery",
              "en", T0 + 3600,
              "The recovery of the Varley painting from a lock-up garage in Kelsby has solved one mystery "
              "and opened another.\n\n"
              "Thieves climbed through a skylight one winter night in 1996 and cut the canvas from the "
              "frame.\n\n"
              "The gallery's director, Dr. Hugh Penrose, told his staff about the recovery at a meeting "
              "on Wednesday morning. Police said the arrested man had been released on bail.\n\n"
              "Rosa Imrie, head of conservation at the National Museum, examined the canvas after police "
              "recovered it. She said the painting had been rolled with the paint facing inward, which "
              "had caused fine cracks across the sea.");
    story_add(s, "Western Signal", "Varley masterpiece faces months of repair after decades in a garage",
              "en", T0 + 7200,
              "The Lighthouse Keeper survived three decades rolled up in a lock-up garage, but the "
              "conservators who will restore it say the real work is only beginning.\n\n"
              "Detective Sergeant Ian Brodie said the investigation into the theft was continuing, and "
              "that a 58-year-old man arrested this week remained on bail.\n\n"
              "The Dunmore Art Gallery's director, Dr. Hugh Penrose, said the painting would go back on "
              "show in the spring after the restoration.\n\n"
              "The work, by the Dunmore-born painter Edith Varley, was stolen from the Dunmore Art "
              "Gallery in 1996.\n\n"
              "For years an empty frame hung in the gallery's main room. On Wednesday, staff learned "
              "that the painting that once filled it had been found.");
    story_add(s, "Coastal Post", "Conservator Rosa Imrie begins repair of the Varley canvas",
              "en", T0 + 10800,
              "Rosa Imrie, head of conservation at the National Museum, will spend months repairing "
              "the canvas of the recovered Varley painting.\n\n"
              "Rosa Imrie said the paint facing inward had cracked across the sea and the sky.\n\n"
              "A 58-year-old man questioned by police in Kelsby has not been charged.\n\n"
              "The painter Edith Varley was born in Dunmore in 1851 and painted the coast all her "
              "life.");
    story_add(s, "Eastern Standard", "Man held over Varley painting questioned for six hours",
              "en", T0 + 14400,
              "The 58-year-old man held over the Varley painting was questioned for six hours in "
              "Kelsby, police said.\n\n"
              "The 58-year-old man told detectives he had bought the rolled canvas at a market.\n\n"
              "Rosa Imrie, head of conservation at the National Museum, said the paint facing inward "
              "had saved its colours from the light.");
}

static void dump_page(const Page *p)
{
    if (!getenv("DUMP_PAGE"))
        return;
    for (size_t i = 0; i < p->n_summary; i++)
        printf("S: %s\n", p->summary[i].text);
    for (size_t k = 0; k < p->n_sections; k++) {
        printf("## %s\n", p->sections[k].heading);
        for (size_t q = 0; q < p->sections[k].n_paragraphs; q++)
            for (size_t j = 0; j < p->sections[k].paragraphs[q].n_sentences; j++)
                printf("  %s\n", p->sections[k].paragraphs[q].sentences[j].text);
    }
    for (size_t i = 0; i < p->n_timeline; i++)
        printf("T %s: %s\n", p->timeline[i].date, p->timeline[i].text);
}

static int page_has(const Page *p, const char *prefix)
{
    const PageSentence *all[200];
    size_t n = all_sentences(p, all, 200);
    for (size_t i = 0; i < n; i++)
        if (strncmp(all[i]->text, prefix, strlen(prefix)) == 0)
            return 1;
    return 0;
}

static void test_gallery_page_quality(void)
{
    Story s = {0};
    gallery(&s);
    Arena a = {0};
    Page p;
    CHECK_INT(write(&s, &a, &p), 0);
    dump_page(&p);
    /* the same fact is not told twice anywhere on the page */
    CHECK(!(page_has(&p, "Police said the arrested man") &&
            page_has(&p, "Detective Sergeant Ian Brodie said the investigation")));
    CHECK(!(page_has(&p, "The gallery's director, Dr. Hugh Penrose") &&
            page_has(&p, "The Dunmore Art Gallery's director, Dr. Hugh Penrose")));
    CHECK(!(page_has(&p, "The oil painting, \"The Lighthouse Keeper\", was cut") &&
            page_has(&p, "Thieves climbed through a skylight")));
    /* one timeline entry for the theft known only by its year, the one
     * that names its subject rather than "its frame" */
    size_t in_1996 = 0;
    for (size_t i = 0; i < p.n_timeline; i++)
        if (strcmp(p.timeline[i].date, "1996") == 0) {
            in_1996++;
            CHECK(strstr(p.timeline[i].text, " its ") == NULL);
        }
    CHECK_INT(in_1996, 1);
    /* headings are sub-topics: no person's name, no age, no participle
     * clause ("the paint facing inward") */
    static const char *const people[] = {"edith", "varley", "hugh", "penrose", "rosa", "imrie",
                                         "ian", "brodie"};
    for (size_t k = 0; k < p.n_sections; k++) {
        char hl[200];
        lower(hl, p.sections[k].heading, sizeof hl);
        for (size_t i = 0; i < sizeof people / sizeof *people; i++)
            CHECK(strstr(hl, people[i]) == NULL);
        CHECK(!(hl[0] >= '0' && hl[0] <= '9'));
        CHECK(strstr(hl, "year-old") == NULL);
        CHECK(strstr(hl, "facing") == NULL);
    }
    arena_free(&a);
    arena_free(&s.a);
}

int main(void)
{
    da = doc_analyzer_new();
    RUN(test_summary_states_the_core_event);
    RUN(test_headline_is_plain_and_without_outlet);
    RUN(test_sections_are_subtopics_with_real_headings);
    RUN(test_paragraphs_run_in_time_order_and_never_dangle);
    RUN(test_quote_with_pronoun_speaker_keeps_its_antecedent);
    RUN(test_no_bylines_datelines_or_boilerplate);
    RUN(test_mixed_languages_read_in_the_main_one);
    RUN(test_one_article);
    RUN(test_two_hundred_articles);
    RUN(test_articles_without_sentences);
    RUN(test_only_quotes);
    RUN(test_same_sentence_in_every_article);
    RUN(test_budgeted_selection_for_evaluation);
    RUN(test_gallery_page_quality);
    doc_analyzer_free(da);
    langid_shutdown();
    return test_summary("writer_pages");
}
