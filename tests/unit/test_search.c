/* test_search.c - full-text search at the store: the query parser (what
 * reaches FTS5 MATCH), indexing through the migration's triggers, BM25
 * order, phrases, prefixes, filters, pagination, diacritics, snippets, and
 * hostile queries that must never become FTS5 syntax or fail.
 *
 * Each test builds its own database in a directory under /tmp through the
 * store API, so the triggers are what fills the index. */
#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "render/search.h"
#include "store/search.h"
#include "store/store.h"
#include "store/store_internal.h"
#include "test.h"

static char dir[64];
static char db_path[128];

static void tmp_setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/sw_search_XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        exit(2);
    }
    snprintf(db_path, sizeof db_path, "%s/sw.db", dir);
}

static void tmp_teardown(void)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char p[512];
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

static Store *open_db(void)
{
    Store *s = NULL;
    SwErr err = {{0}};
    if (store_open(db_path, 0, &s, &err) != 0) {
        fprintf(stderr, "  store_open: %s\n", err.msg);
        return NULL;
    }
    return s;
}

/* The parsed form of q, in a static buffer. */
static const char *parsed(const char *q, int *terms)
{
    static char out[1024];
    Buf b = {0};
    int n = search_parse(q, strlen(q), &b);
    if (terms)
        *terms = n;
    snprintf(out, sizeof out, "%s", buf_cstr(&b));
    buf_free(&b);
    return out;
}

static int64_t add(Store *s, const char *url, const char *source, const char *title, const char *text,
                   const char *lang, int64_t published)
{
    Article a = {.url = url, .source = source, .title = title, .text = text, .lang = lang,
                 .published = published};
    int64_t id = 0;
    int added;
    SwErr err = {{0}};
    if (store_put_article(s, &a, &id, &added, &err) != 0)
        fprintf(stderr, "  store_put_article: %s\n", err.msg);
    return id;
}

/* Searches articles for what a reader typed; returns the number of hits
 * (-1 on error) and the ids in ids[]. */
static int find(Store *s, const char *typed, const SearchQuery *filters, size_t limit, size_t offset,
                int64_t *ids)
{
    Buf m = {0};
    search_parse(typed, strlen(typed), &m);
    SearchQuery q = filters ? *filters : (SearchQuery){0};
    q.match = buf_cstr(&m);
    Arena a = {0};
    SearchHit *hits = NULL;
    size_t n = 0;
    SwErr err = {{0}};
    int rc = store_search_articles(s, &q, limit, offset, &a, &hits, &n, &err);
    if (rc != 0)
        fprintf(stderr, "  search '%s' (%s): %s\n", typed, buf_cstr(&m), err.msg);
    for (size_t i = 0; i < n && ids; i++)
        ids[i] = hits[i].id;
    free(hits);
    arena_free(&a);
    buf_free(&m);
    return rc == 0 ? (int)n : -1;
}

/* ---- the parser ---- */

static void test_words_become_quoted_terms(void)
{
    int n;
    CHECK_STR(parsed("ferry aground", &n), "\"ferry\" \"aground\"");
    CHECK_INT(n, 2);
}

static void test_quoted_text_is_a_phrase(void)
{
    CHECK_STR(parsed("\"port halden\" storm", NULL), "\"port halden\" \"storm\"");
}

static void test_curly_quotes_make_a_phrase(void)
{
    CHECK_STR(parsed("\xE2\x80\x9Cport halden\xE2\x80\x9D", NULL), "\"port halden\"");
}

static void test_trailing_star_is_a_prefix(void)
{
    CHECK_STR(parsed("gov* \"storm cor\"*", NULL), "\"gov\"* \"storm cor\"*");
}

static void test_words_joined_by_punctuation_are_a_phrase(void)
{
    CHECK_STR(parsed("covid-19 don't", NULL), "\"covid 19\" \"don t\"");
}

static void test_operators_and_column_filters_are_dropped(void)
{
    CHECK_STR(parsed("storm OR flood NOT rain AND wind NEAR(a b) title:ferry", NULL),
              "\"storm\" \"flood\" \"rain\" \"wind\" \"a\" \"b\" \"ferry\"");
    /* lower case is a word, as FTS5 itself would read it */
    CHECK_STR(parsed("rock or roll", NULL), "\"rock\" \"or\" \"roll\"");
}

static void test_hostile_query_keeps_only_words(void)
{
    int n;
    CHECK_STR(parsed("OR * NEAR( col:x AND -", &n), "\"x\"");
    CHECK_INT(n, 1);
    /* an unclosed quote takes the rest as a phrase; operators inside are words */
    CHECK_STR(parsed("\" OR * NEAR( col:x AND -", &n), "\"OR NEAR col x AND\"");
    CHECK_INT(n, 1);
    /* a column set's names are only words then */
    CHECK_STR(parsed("^ferry {title text}: -storm +rain", NULL),
              "\"ferry\" \"title\" \"text\" \"storm\" \"rain\"");
}

static void test_punctuation_only_query_is_empty(void)
{
    int n;
    CHECK_STR(parsed("\"\" * - ( ) : ^ \xE2\x80\x94 \xC2\xBF?", &n), "");
    CHECK_INT(n, 0);
    CHECK_STR(parsed("", &n), "");
    CHECK_INT(n, 0);
    /* a combining mark alone makes no word */
    CHECK_STR(parsed("\xCC\x81", &n), "");
    CHECK_INT(n, 0);
}

static void test_invalid_utf8_separates_words(void)
{
    CHECK_STR(parsed("caf\xC3 bar\xFF" "baz", NULL), "\"caf\" \"bar\" \"baz\"");
}

static void test_terms_are_capped(void)
{
    int n;
    parsed("a b c d e f g h i j k l m n o p q r s t", &n);
    CHECK_INT(n, SEARCH_TERMS_MAX);
}

static void test_non_latin_words_are_kept(void)
{
    CHECK_STR(parsed("Café Ελλάδα 東京", NULL), "\"Café\" \"Ελλάδα\" \"東京\"");
}

/* ---- the store ---- */

static void test_articles_are_indexed_and_ranked_by_bm25(void)
{
    tmp_setup();
    Store *s = open_db();
    CHECK(s != NULL);
    if (!s) {
        tmp_teardown();
        return;
    }
    int64_t once = add(s, "https://a.example/1", "Alpha", "Council meeting", "The ferry was mentioned once.", "en", 100);
    int64_t title = add(s, "https://a.example/2", "Alpha", "Ferry runs aground", "The vessel ran aground off the cape.",
                        "en", 200);
    add(s, "https://a.example/3", "Alpha", "Weather", "Sunny and warm all week.", "en", 300);
    int64_t ids[8] = {0};
    CHECK_INT(find(s, "ferry", NULL, 10, 0, ids), 2);
    /* a match in the title weighs more than one in the text */
    CHECK_INT(ids[0], title);
    CHECK_INT(ids[1], once);
    CHECK_INT(find(s, "aground cape", NULL, 10, 0, ids), 1);
    CHECK_INT(ids[0], title);
    CHECK_INT(find(s, "volcano", NULL, 10, 0, ids), 0);
    store_close(s);
    tmp_teardown();
}

static void test_phrase_needs_the_words_in_order(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        tmp_teardown();
        return;
    }
    int64_t in_order = add(s, "https://b.example/1", "Beta", "One", "Storm Corvin reached the coast.", "en", 1);
    add(s, "https://b.example/2", "Beta", "Two", "Corvin, the storm, reached the coast.", "en", 2);
    int64_t ids[4] = {0};
    CHECK_INT(find(s, "\"storm corvin\"", NULL, 10, 0, ids), 1);
    CHECK_INT(ids[0], in_order);
    CHECK_INT(find(s, "storm corvin", NULL, 10, 0, ids), 2);
    store_close(s);
    tmp_teardown();
}

static void test_prefix_matches_word_starts(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        tmp_teardown();
        return;
    }
    add(s, "https://c.example/1", "Gamma", "Government falls", "A vote.", "en", 1);
    add(s, "https://c.example/2", "Gamma", "Governor resigns", "A letter.", "en", 2);
    add(s, "https://c.example/3", "Gamma", "Gopher spotted", "A field.", "en", 3);
    CHECK_INT(find(s, "gover*", NULL, 10, 0, NULL), 2);
    CHECK_INT(find(s, "go*", NULL, 10, 0, NULL), 3);
    CHECK_INT(find(s, "gover", NULL, 10, 0, NULL), 0);
    store_close(s);
    tmp_teardown();
}

static void test_diacritics_do_not_matter(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        tmp_teardown();
        return;
    }
    int64_t id = add(s, "https://d.example/1", "Delta", "Café de la Paix reopens",
                     "São Paulo and Zürich send their chefs.", "fr", 1);
    int64_t ids[2] = {0};
    CHECK_INT(find(s, "cafe", NULL, 10, 0, ids), 1);
    CHECK_INT(ids[0], id);
    CHECK_INT(find(s, "CAFÉ", NULL, 10, 0, NULL), 1);
    CHECK_INT(find(s, "sao paulo zurich", NULL, 10, 0, NULL), 1);
    store_close(s);
    tmp_teardown();
}

static void test_filters_by_date_outlet_and_language(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        tmp_teardown();
        return;
    }
    int64_t a1 = add(s, "https://e.example/1", "Echo", "Harbour news", "Text.", "en", 1000);
    int64_t a2 = add(s, "https://f.example/2", "Foxtrot", "Harbour news", "Text.", "de", 2000);
    int64_t a3 = add(s, "https://e.example/3", "Echo", "Harbour news again", "Text two.", "en-GB", 3000);
    int64_t ids[4] = {0};
    SearchQuery f = {.from = 1500};
    CHECK_INT(find(s, "harbour", &f, 10, 0, NULL), 2);
    f = (SearchQuery){.from = 1500, .to = 2500};
    CHECK_INT(find(s, "harbour", &f, 10, 0, ids), 1);
    CHECK_INT(ids[0], a2);

    SwErr err = {{0}};
    int64_t echo = 0, by_id = 0;
    CHECK_INT(store_search_source(s, "echo", &echo, &err), 0);
    char num[32];
    snprintf(num, sizeof num, "%lld", (long long)echo);
    CHECK_INT(store_search_source(s, num, &by_id, &err), 0);
    CHECK_INT(by_id, echo);
    CHECK_INT(store_search_source(s, "Nobody", &by_id, &err), STORE_NOT_FOUND);
    CHECK_INT(store_search_source(s, "999999", &by_id, &err), STORE_NOT_FOUND);
    f = (SearchQuery){.source_id = echo};
    CHECK_INT(find(s, "harbour", &f, 10, 0, ids), 2);
    CHECK(ids[0] == a1 || ids[0] == a3);

    /* "en" also takes regional tags ("en-GB") */
    f = (SearchQuery){.lang = "en"};
    CHECK_INT(find(s, "harbour", &f, 10, 0, NULL), 2);
    f = (SearchQuery){.lang = "DE"};
    CHECK_INT(find(s, "harbour", &f, 10, 0, ids), 1);
    CHECK_INT(ids[0], a2);
    store_close(s);
    tmp_teardown();
}

static void test_pages_do_not_overlap(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        tmp_teardown();
        return;
    }
    SwErr err = {{0}};
    CHECK_INT(store_begin(s, &err), 0);
    for (int i = 0; i < 25; i++) {
        char url[64], title[64];
        snprintf(url, sizeof url, "https://g.example/%d", i);
        snprintf(title, sizeof title, "Report number %d on the tide", i);
        add(s, url, "Golf", title, "The tide was high.", "en", i + 1);
    }
    CHECK_INT(store_commit(s, &err), 0);
    int64_t all[32] = {0}, page[10] = {0};
    CHECK_INT(find(s, "tide", NULL, 32, 0, all), 25);
    int seen = 0;
    for (size_t off = 0; off < 25; off += 10) {
        int n = find(s, "tide", NULL, 10, off, page);
        CHECK_INT(n, off < 20 ? 10 : 5);
        for (int i = 0; i < n; i++)
            seen += page[i] == all[off + (size_t)i];
    }
    CHECK_INT(seen, 25);

    /* a rank window of 5 ranks only the 5 newest matches */
    SearchQuery w = {.rank_window = 5};
    int64_t newest[8] = {0};
    CHECK_INT(find(s, "tide", &w, 10, 0, newest), 5);
    int in_window = 0;
    for (int i = 0; i < 5; i++)
        in_window += newest[i] >= 21; /* the last 5 stored: ids 21 to 25 */
    CHECK_INT(in_window, 5);
    CHECK_INT(find(s, "tide", &w, 10, 5, NULL), 0);

    /* a query with at most rank_window matches is ranked whole, whatever
     * the broad window; one with more has only its broad_window newest
     * matches ranked and listed */
    SearchQuery narrow = {.rank_window = 25, .broad_window = 4};
    CHECK_INT(find(s, "tide", &narrow, 32, 0, NULL), 25);
    SearchQuery broad = {.rank_window = 24, .broad_window = 4};
    int64_t fresh[8] = {0};
    CHECK_INT(find(s, "tide", &broad, 8, 0, fresh), 4);
    int newest4 = 0;
    for (int i = 0; i < 4; i++)
        newest4 += fresh[i] >= 22; /* ids 22 to 25 */
    CHECK_INT(newest4, 4);
    /* a broad window larger than the rank window counts as the rank window */
    SearchQuery wide = {.rank_window = 6, .broad_window = 100};
    CHECK_INT(find(s, "tide", &wide, 32, 0, NULL), 6);
    store_close(s);
    tmp_teardown();
}

static void test_snippets_mark_the_matched_words(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        tmp_teardown();
        return;
    }
    add(s, "https://h.example/1", "Hotel", "Ferry news", "Tugs reached the ferry at dawn.", "en", 1);
    Buf m = {0};
    search_parse("ferry", 5, &m);
    SearchQuery q = {.match = buf_cstr(&m)};
    Arena a = {0};
    SearchHit *hits = NULL;
    size_t n = 0;
    SwErr err = {{0}};
    CHECK_INT(store_search_articles(s, &q, 10, 0, &a, &hits, &n, &err), 0);
    CHECK_INT(n, 1);
    if (n == 1) {
        CHECK_STR(hits[0].title, "\x01" "Ferry" "\x02" " news");
        CHECK_STR(hits[0].snippet, "Tugs reached the \x01" "ferry" "\x02" " at dawn.");
        CHECK_STR(hits[0].outlet, "Hotel");
        CHECK_STR(hits[0].url, "https://h.example/1");
        CHECK(hits[0].slug == NULL);
        CHECK_INT(hits[0].kind, SEARCH_ARTICLE);
        CHECK(hits[0].score < 0);
    }
    free(hits);
    arena_free(&a);
    buf_free(&m);
    store_close(s);
    tmp_teardown();
}

static int story_with_page(Store *s, int64_t article, const char *slug, const char *headline, const char *summary,
                           int64_t *story)
{
    SwErr err = {{0}};
    char blob[4] = {0};
    if (store_story_new(s, story, &err) < 0 || store_article_set_story(s, article, *story, 1.0, &err) < 0 ||
        store_story_set_state(s, *story, blob, sizeof blob, 1000, 2000, 1, 1, &err) < 0)
        return -1;
    StoryRow row = {.id = *story, .slug = slug, .headline = headline, .summary = summary,
                    .first_published = 1000, .last_published = 2000, .updated = 2100,
                    .article_count = 1, .source_count = 1};
    int version;
    return store_page_put(s, &row, "{}", 2, &version, &err);
}

static int count_stories(Store *s, const char *typed, const SearchQuery *filters, SearchHit *first)
{
    Buf m = {0};
    search_parse(typed, strlen(typed), &m);
    SearchQuery q = filters ? *filters : (SearchQuery){0};
    q.match = buf_cstr(&m);
    Arena a = {0};
    SearchHit *hits = NULL;
    size_t n = 0;
    SwErr err = {{0}};
    int rc = store_search_stories(s, &q, 10, 0, &a, &hits, &n, &err);
    int64_t total = -1;
    if (rc == 0)
        rc = store_search_count_stories(s, &q, &total, &err);
    if (rc == 0 && (int64_t)n != total)
        rc = -1;
    if (first && n) {
        *first = hits[0];
        first->title = first->title ? strdup(first->title) : NULL;
        first->slug = first->slug ? strdup(first->slug) : NULL;
        first->snippet = NULL;
    }
    free(hits);
    arena_free(&a);
    buf_free(&m);
    return rc == 0 ? (int)n : -1;
}

static void test_stories_are_indexed_when_their_page_is_written(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        tmp_teardown();
        return;
    }
    int64_t art = add(s, "https://i.example/1", "India", "Quake", "A quake shook the valley.", "en", 1500);
    int64_t story = 0;
    CHECK_INT(story_with_page(s, art, "valley-quake", "Quake shakes the valley", "Houses cracked.", &story), 0);
    SearchHit hit = {0};
    CHECK_INT(count_stories(s, "valley", NULL, &hit), 1);
    CHECK_STR(hit.slug, "valley-quake");
    CHECK_STR(hit.title, "Quake shakes the \x01valley\x02");
    CHECK_INT(hit.kind, SEARCH_STORY);
    free((char *)hit.title);
    free((char *)hit.slug);
    /* the article found links to its story */
    Buf m = {0};
    search_parse("quake", 5, &m);
    SearchQuery q = {.match = buf_cstr(&m)};
    Arena a = {0};
    SearchHit *hits = NULL;
    size_t n = 0;
    SwErr err = {{0}};
    CHECK_INT(store_search_articles(s, &q, 10, 0, &a, &hits, &n, &err), 0);
    CHECK_INT(n, 1);
    if (n)
        CHECK_STR(hits[0].slug, "valley-quake");
    free(hits);
    arena_free(&a);
    buf_free(&m);

    /* a rewritten page replaces the old words in the index */
    StoryRow row = {.id = story, .slug = "valley-quake", .headline = "Aftershocks rattle the region",
                    .summary = "Schools closed.", .last_published = 2000, .article_count = 1, .source_count = 1};
    int version;
    CHECK_INT(store_page_put(s, &row, "{}", 2, &version, &err), 0);
    CHECK_INT(count_stories(s, "valley", NULL, NULL), 0);
    CHECK_INT(count_stories(s, "aftershocks", NULL, NULL), 1);
    CHECK_INT(count_stories(s, "schools", NULL, NULL), 1);

    /* filters apply through the story's articles */
    SearchQuery f = {.lang = "en"};
    CHECK_INT(count_stories(s, "aftershocks", &f, NULL), 1);
    f = (SearchQuery){.lang = "fr"};
    CHECK_INT(count_stories(s, "aftershocks", &f, NULL), 0);
    f = (SearchQuery){.from = 1600};
    CHECK_INT(count_stories(s, "aftershocks", &f, NULL), 0);
    f = (SearchQuery){.to = 1500};
    CHECK_INT(count_stories(s, "aftershocks", &f, NULL), 1);
    store_close(s);
    tmp_teardown();
}

static void test_stories_without_a_page_are_not_found(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        tmp_teardown();
        return;
    }
    SwErr err = {{0}};
    int64_t story;
    CHECK_INT(store_story_new(s, &story, &err), 0);
    CHECK_INT(count_stories(s, "anything", NULL, NULL), 0);
    store_close(s);
    tmp_teardown();
}

/* Stories follow the same windows, and the count agrees with the list. */
static void test_broad_story_queries_rank_only_the_newest(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        tmp_teardown();
        return;
    }
    int64_t ids[6] = {0};
    for (int i = 0; i < 6; i++) {
        char url[64], slug[32];
        snprintf(url, sizeof url, "https://j.example/%d", i);
        snprintf(slug, sizeof slug, "ferry-%d", i);
        int64_t art = add(s, url, "Juliet", "Ferry", "The ferry sailed.", "en", 1000 + i);
        CHECK_INT(story_with_page(s, art, slug, "Ferry sails again", "The ferry sailed at noon.", &ids[i]), 0);
    }
    SearchQuery narrow = {.rank_window = 6, .broad_window = 2};
    CHECK_INT(count_stories(s, "ferry", &narrow, NULL), 6);
    SearchQuery broad = {.rank_window = 5, .broad_window = 2};
    SearchHit hit = {0};
    CHECK_INT(count_stories(s, "ferry", &broad, &hit), 2);
    CHECK(hit.id == ids[4] || hit.id == ids[5]);
    free((char *)hit.title);
    free((char *)hit.slug);
    store_close(s);
    tmp_teardown();
}

/* ---- ranking: sw_article_bm25 against FTS5's bm25() ---- */

/* The articles a query ranks (limit of them from offset), under rank mode
 * mode (0: lengths in memory, 1: FTS5's bm25(), 2 and 3: see Store); the
 * number or -1. */
static int ranked(Store *s, int mode, const char *typed, const SearchQuery *filters, size_t limit, size_t offset,
                  SearchHit **hits)
{
    Buf m = {0};
    search_parse(typed, strlen(typed), &m);
    SearchQuery q = filters ? *filters : (SearchQuery){0};
    q.match = buf_cstr(&m);
    Arena a = {0};
    size_t n = 0;
    SwErr err = {{0}};
    s->rank_mode = mode;
    int rc = store_search_articles(s, &q, limit, offset, &a, hits, &n, &err);
    s->rank_mode = 0;
    if (rc != 0)
        fprintf(stderr, "  search '%s': %s\n", typed, err.msg);
    for (size_t i = 0; i < n; i++) /* the strings live in the arena */
        (*hits)[i].title = (*hits)[i].snippet = (*hits)[i].slug = (*hits)[i].url = (*hits)[i].outlet =
            (*hits)[i].lang = NULL;
    arena_free(&a);
    buf_free(&m);
    return rc == 0 ? (int)n : -1;
}

/* 1 when mode ranks typed exactly as FTS5's bm25() does: the same
 * articles in the same order with the same scores, to the bit. */
static int ranks_as_bm25(Store *s, int mode, const char *typed, const SearchQuery *filters, size_t limit,
                         size_t offset)
{
    SearchHit *want = NULL, *got = NULL;
    int nw = ranked(s, 1, typed, filters, limit, offset, &want);
    int ng = ranked(s, mode, typed, filters, limit, offset, &got);
    int same = nw >= 0 && ng == nw;
    for (int i = 0; same && i < nw; i++)
        same = want[i].id == got[i].id && memcmp(&want[i].score, &got[i].score, sizeof want[i].score) == 0;
    if (!same)
        fprintf(stderr, "  mode %d ranks '%s' otherwise (%d and %d articles; first %lld %.17g and %lld %.17g)\n",
                mode, typed, nw, ng, nw > 0 ? (long long)want[0].id : -1LL, nw > 0 ? want[0].score : 0.0,
                ng > 0 ? (long long)got[0].id : -1LL, ng > 0 ? got[0].score : 0.0);
    free(want);
    free(got);
    return same;
}

/* Words from a small vocabulary, so that queries match many articles
 * with different frequencies and lengths. */
static const char *const VOCAB[] = {"harbour", "ferry", "storm", "council", "vote", "river", "bridge", "flood",
                                     "mayor", "port", "halden", "coast", "police", "school", "budget", "rail"};

static unsigned lcg(unsigned *state)
{
    *state = *state * 1103515245u + 12345u;
    return (*state >> 16) & 0x7fff;
}

static void random_text(unsigned *state, int words, char *out, size_t size)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < words && len + 16 < size; i++) {
        /* skewed: the first words are much more common */
        unsigned r = lcg(state) % 64;
        const char *w = VOCAB[r < 32 ? r % 4 : r < 48 ? 4 + r % 4 : 8 + r % 8];
        len += (size_t)snprintf(out + len, size - len, "%s%s", i ? " " : "", w);
    }
}

static void add_random(Store *s, unsigned *state, int i)
{
    char url[64], title[256], text[2048];
    snprintf(url, sizeof url, "https://r.example/%d", i);
    random_text(state, 1 + (int)(lcg(state) % 6), title, sizeof title);
    random_text(state, 5 + (int)(lcg(state) % 120), text, sizeof text);
    add(s, url, i % 3 ? "Romeo" : "Sierra", title, text, i % 2 ? "en" : "de", 1000 + i);
}

static const char *const RANK_QUERIES[] = {
    "ferry",          "halden",        "storm ferry", "port halden rail", "\"storm ferry\"",
    "\"port halden\"", "\"harbour ferry storm\"", "har*", "po*", "\"storm fe\"*", "\"harbour ferry\" vote",
    "rail budget school", "nothingmatches", "\"ferry storm\" council",
};

static int all_rank_as_bm25(Store *s, int mode)
{
    int ok = 1;
    SearchQuery lang = {.lang = "en"}, from = {.from = 1100};
    for (size_t i = 0; i < sizeof RANK_QUERIES / sizeof *RANK_QUERIES; i++) {
        /* all of them, then pages: the scores of a page are those of the
         * whole ranking */
        ok &= ranks_as_bm25(s, mode, RANK_QUERIES[i], NULL, 1000, 0);
        ok &= ranks_as_bm25(s, mode, RANK_QUERIES[i], NULL, 5, 0);
        ok &= ranks_as_bm25(s, mode, RANK_QUERIES[i], NULL, 5, 7);
        ok &= ranks_as_bm25(s, mode, RANK_QUERIES[i], &lang, 1000, 0);
        ok &= ranks_as_bm25(s, mode, RANK_QUERIES[i], &lang, 4, 2);
        ok &= ranks_as_bm25(s, mode, RANK_QUERIES[i], &from, 1000, 3);
    }
    return ok;
}

static Store *open_readonly(void)
{
    Store *s = NULL;
    SwErr err = {{0}};
    if (store_open(db_path, 1, &s, &err) != 0)
        fprintf(stderr, "  store_open read-only: %s\n", err.msg);
    return s;
}

static void test_ranking_is_fts5_bm25_to_the_bit(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        tmp_teardown();
        return;
    }
    unsigned state = 7;
    SwErr err = {{0}};
    CHECK_INT(store_begin(s, &err), 0);
    for (int i = 0; i < 300; i++)
        add_random(s, &state, i);
    CHECK_INT(store_commit(s, &err), 0);
    SearchHit *hits = NULL;
    CHECK(ranked(s, 0, "ferry", NULL, 1000, 0, &hits) > 100); /* the corpus is what the test needs */
    free(hits);
    for (int mode = 0; mode <= 3; mode++)
        CHECK(all_rank_as_bm25(s, mode));
    Store *ro = open_readonly();
    CHECK(ro != NULL);
    if (ro) {
        CHECK(all_rank_as_bm25(ro, 0));
        store_close(ro);
    }
    store_close(s);
    tmp_teardown();
}

static int64_t epoch(Store *s)
{
    sqlite3_stmt *st;
    int64_t n = -1;
    if (sqlite3_prepare_v2(s->db, "SELECT n FROM search_epoch", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* A reader keeps article lengths in memory: articles added, rewritten or
 * deleted by another connection (a new id, the same id with another
 * length, an id used again) must rank as FTS5 ranks them. */
static void test_ranking_follows_changes_by_another_connection(void)
{
    tmp_setup();
    Store *w = open_db();
    if (!w) {
        CHECK(w != NULL);
        tmp_teardown();
        return;
    }
    unsigned state = 11;
    for (int i = 0; i < 40; i++)
        add_random(w, &state, i);
    Store *r = open_readonly();
    CHECK(r != NULL);
    if (!r) {
        store_close(w);
        tmp_teardown();
        return;
    }
    CHECK(all_rank_as_bm25(r, 0)); /* loads the lengths */
    for (int i = 40; i < 60; i++)
        add_random(w, &state, i);
    CHECK(all_rank_as_bm25(r, 0));

    /* the longest "ferry" article, rewritten much shorter, ranks higher:
     * a stale length would give it its old score */
    int64_t before = epoch(w);
    CHECK(sqlite3_exec(w->db,
                       "UPDATE articles SET text = 'ferry' WHERE id = (SELECT rowid FROM articles_fts"
                       " WHERE articles_fts MATCH 'ferry' ORDER BY length(text) DESC LIMIT 1)",
                       NULL, NULL, NULL) == SQLITE_OK);
    CHECK(epoch(w) > before);
    CHECK(all_rank_as_bm25(r, 0));

    /* the newest article deleted and its id given to a new one */
    int64_t last = 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(w->db, "SELECT max(id) FROM articles", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        last = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    char sql[128];
    snprintf(sql, sizeof sql, "DELETE FROM articles WHERE id = %lld", (long long)last);
    CHECK(sqlite3_exec(w->db, sql, NULL, NULL, NULL) == SQLITE_OK);
    CHECK(all_rank_as_bm25(r, 0));
    int64_t reused = add(w, "https://r.example/again", "Romeo", "Ferry ferry ferry", "Ferry storm.", "en", 5000);
    CHECK_INT(reused, last);
    CHECK(all_rank_as_bm25(r, 0));
    store_close(r);
    store_close(w);
    tmp_teardown();
}

/* Inside an open transaction the lengths in memory may miss the
 * transaction's own changes: the search asks FTS5 instead. */
static void test_ranking_inside_a_transaction(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        tmp_teardown();
        return;
    }
    unsigned state = 3;
    for (int i = 0; i < 30; i++)
        add_random(s, &state, i);
    CHECK(all_rank_as_bm25(s, 0));
    SwErr err = {{0}};
    CHECK_INT(store_begin(s, &err), 0);
    CHECK(sqlite3_exec(s->db, "UPDATE articles SET text = text || ' ferry ferry' WHERE id % 2 = 0", NULL, NULL,
                       NULL) == SQLITE_OK);
    for (int i = 30; i < 40; i++)
        add_random(s, &state, i);
    CHECK(all_rank_as_bm25(s, 0));
    CHECK_INT(store_commit(s, &err), 0);
    CHECK(all_rank_as_bm25(s, 0));
    store_close(s);
    tmp_teardown();
}

/* A phrase is ranked before it is counted; one that turns out to match
 * more than the rank window is ranked over its newest matches like any
 * broad query. */
static void test_broad_phrase_is_ranked_over_the_newest(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        tmp_teardown();
        return;
    }
    int64_t ids[8];
    for (int i = 0; i < 8; i++) {
        char url[64], text[128];
        snprintf(url, sizeof url, "https://k.example/%d", i);
        snprintf(text, sizeof text, "The storm ferry sailed%s.", i == 1 ? " as the storm ferry" : "");
        ids[i] = add(s, url, "Kilo", "News", text, "en", 100 + i);
    }
    SearchQuery narrow = {.rank_window = 8, .broad_window = 3};
    SearchQuery broad = {.rank_window = 7, .broad_window = 3};
    SearchHit *hits = NULL;
    CHECK_INT(ranked(s, 0, "\"storm ferry\"", &narrow, 1000, 0, &hits), 8);
    if (hits)
        CHECK_INT(hits[0].id, ids[1]); /* twice the phrase */
    free(hits);
    hits = NULL;
    CHECK_INT(ranked(s, 0, "\"storm ferry\"", &broad, 1000, 0, &hits), 3);
    for (int i = 0; hits && i < 3; i++)
        CHECK(hits[i].id >= ids[5]);
    free(hits);
    CHECK(ranks_as_bm25(s, 0, "\"storm ferry\"", &narrow, 1000, 0));
    CHECK(ranks_as_bm25(s, 0, "\"storm ferry\"", &narrow, 2, 1));
    CHECK(ranks_as_bm25(s, 0, "\"storm ferry\"", &broad, 1000, 0));
    CHECK(ranks_as_bm25(s, 0, "\"storm ferry\"", &broad, 2, 1));
    store_close(s);
    tmp_teardown();
}

static void test_existing_rows_are_indexed_by_the_migration(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        tmp_teardown();
        return;
    }
    add(s, "https://j.example/1", "Juliet", "Lighthouse restored", "Volunteers painted it.", "en", 1);
    int64_t before = epoch(s);
    /* take the database back to version 2, as if written before search
     * (through the store's connection, which knows the index's tokenizer) */
    CHECK(sqlite3_exec(s->db,
                       "DROP TABLE articles_fts; DROP TABLE stories_fts;"
                       "DROP TRIGGER articles_fts_insert; DROP TRIGGER articles_fts_delete;"
                       "DROP TRIGGER articles_fts_update; DROP TRIGGER stories_fts_insert;"
                       "DROP TRIGGER stories_fts_delete; DROP TRIGGER stories_fts_update;"
                       "PRAGMA user_version = 2;",
                       NULL, NULL, NULL) == SQLITE_OK);
    store_close(s);
    s = open_db();
    CHECK(s != NULL);
    if (s) {
        CHECK_INT(find(s, "lighthouse", NULL, 10, 0, NULL), 1);
        CHECK_INT(find(s, "volunteers", NULL, 10, 0, NULL), 1);
        /* the counter of changes for the ranking, moved once by migration 8 */
        CHECK_INT(epoch(s), before + 1);
        CHECK(ranks_as_bm25(s, 0, "lighthouse", NULL, 10, 0));
        store_close(s);
    }
    tmp_teardown();
}

/* Chinese and Japanese put no spaces between words: a word is found
 * inside a longer run of characters, only where its characters stand side
 * by side, and the snippet marks just those characters. */
static void test_cjk_words_are_found_inside_runs(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        tmp_teardown();
        return;
    }
    add(s, "https://z.example/1", "Zulu", "北京大学举行毕业典礼",
        "今年有三千名学生毕业。校长在典礼上讲话。", "zh", 1);
    add(s, "https://z.example/2", "Zulu", "東京でオリンピックが開催された",
        "多くの選手がiPhone手机で写真を撮った。", "ja", 2);
    CHECK_INT(find(s, "大学", NULL, 10, 0, NULL), 1);
    CHECK_INT(find(s, "毕业", NULL, 10, 0, NULL), 1);
    CHECK_INT(find(s, "学生毕业", NULL, 10, 0, NULL), 1);
    CHECK_INT(find(s, "大典", NULL, 10, 0, NULL), 0); /* not side by side */
    CHECK_INT(find(s, "毕业*", NULL, 10, 0, NULL), 1);
    CHECK_INT(find(s, "オリンピック", NULL, 10, 0, NULL), 1);
    CHECK_INT(find(s, "東京 オリンピック", NULL, 10, 0, NULL), 1);
    CHECK_INT(find(s, "手机", NULL, 10, 0, NULL), 1);
    CHECK_INT(find(s, "iphone", NULL, 10, 0, NULL), 1);  /* the Latin part of a mixed run */
    CHECK_INT(find(s, "北京 東京", NULL, 10, 0, NULL), 0); /* both words, no article has both */
    Buf m = {0};
    search_parse("大学", strlen("大学"), &m);
    SearchQuery q = {.match = buf_cstr(&m)};
    Arena a = {0};
    SearchHit *hits = NULL;
    size_t n = 0;
    SwErr err = {{0}};
    CHECK_INT(store_search_articles(s, &q, 10, 0, &a, &hits, &n, &err), 0);
    CHECK_INT(n, 1);
    if (n == 1)
        CHECK_STR(hits[0].title, "北京" "\x01" "大学" "\x02" "举行毕业典礼");
    CHECK(ranks_as_bm25(s, 0, "毕业", NULL, 10, 0));
    /* a combining mark on a Han character (unicode61 drops it from the
     * token): each match marked once, the text never repeated */
    add(s, "https://z.example/4", "Zulu", "广\xCC\x81州深圳广州 东莞 abc", "无", "zh", 3);
    buf_reset(&m);
    search_parse("广州", strlen("广州"), &m);
    q.match = buf_cstr(&m);
    free(hits);
    hits = NULL;
    CHECK_INT(store_search_articles(s, &q, 10, 0, &a, &hits, &n, &err), 0);
    CHECK_INT(n, 1);
    if (n == 1)
        CHECK_STR(hits[0].title, "\x01" "广\xCC\x81州" "\x02" "深圳" "\x01" "广州" "\x02" " 东莞 abc");
    free(hits);
    arena_free(&a);
    buf_free(&m);
    store_close(s);
    tmp_teardown();
}

/* A database indexed before the tokenizer split Han and kana (schema 7) is
 * indexed again when opened: its Chinese articles are found by word. */
static void test_indexes_are_rebuilt_with_the_cjk_tokenizer(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        tmp_teardown();
        return;
    }
    add(s, "https://z.example/3", "Zulu", "上海港口恢复运营", "台风过后，上海港口今天恢复运营。", "zh", 1);
    sqlite3 *db = s->db;
    int64_t before = epoch(s);
    CHECK(sqlite3_exec(db,
                       "DROP TABLE articles_fts; DROP TABLE stories_fts;"
                       "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles',"
                       "  content_rowid='id', tokenize='unicode61 remove_diacritics 2');"
                       "CREATE VIRTUAL TABLE stories_fts USING fts5(headline, summary, content='stories',"
                       "  content_rowid='id', tokenize='unicode61 remove_diacritics 2');"
                       "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');"
                       "INSERT INTO stories_fts(stories_fts) VALUES ('rebuild');"
                       "PRAGMA user_version = 7;",
                       NULL, NULL, NULL) == SQLITE_OK);
    /* what version 7 found: the whole run, not a word inside it */
    sqlite3_stmt *st;
    int found = -1;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH '\"港口\"'", -1, &st,
                           NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        found = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    CHECK_INT(found, 0);
    store_close(s);
    s = open_db();
    CHECK(s != NULL);
    if (s) {
        CHECK_INT(find(s, "港口", NULL, 10, 0, NULL), 1);
        CHECK_INT(find(s, "台风", NULL, 10, 0, NULL), 1);
        CHECK_INT(epoch(s), before + 1); /* the lengths changed: the ranking reloads them */
        CHECK(ranks_as_bm25(s, 0, "港口", NULL, 10, 0));
        store_close(s);
    }
    tmp_teardown();
}

/* Every hostile or random query, once parsed, is a valid MATCH expression:
 * the search answers (perhaps with nothing) and never fails. */
static void test_hostile_queries_never_fail(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        tmp_teardown();
        return;
    }
    add(s, "https://k.example/1", "Kilo", "Near or far", "Column x and the NOT operator.", "en", 1);
    static const char *const hostile[] = {
        "\" OR * NEAR( col:x AND -", "\"", "\"\"\"", "*", "a*b*c", "NEAR(a b, 3)", "title:near",
        "{title}: x", "- x", "^x", "x + y", "(x OR y) AND NOT z", "\\\"x\\\"", "x\" OR \"y",
        "'; DROP TABLE articles; --", "col:", ":", "NOT", "near*", "\xFF\xFE", "\"x\"*\"y\"*",
    };
    int failures = 0;
    for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++)
        failures += find(s, hostile[i], NULL, 10, 0, NULL) < 0;
    /* random strings over the characters FTS5 gives meaning to */
    static const char alphabet[] = "\"*:^(){}+-,.' ANDORNEARTxcol\xC3\xA9\xE2\x80\x9C";
    srand(7);
    char q[40];
    for (int i = 0; i < 2000; i++) {
        size_t len = (size_t)(rand() % (int)(sizeof q - 1));
        for (size_t j = 0; j < len; j++)
            q[j] = alphabet[rand() % (int)(sizeof alphabet - 1)];
        q[len] = '\0';
        failures += find(s, q, NULL, 10, 0, NULL) < 0;
    }
    CHECK_INT(failures, 0);
    /* and "col:x" finds the article through the word x */
    CHECK_INT(find(s, "col:x", NULL, 10, 0, NULL), 1);
    store_close(s);
    tmp_teardown();
}

/* ---- rendering marked text ---- */

static const char *marked_html(const char *marked)
{
    static char out[512];
    Buf b = {0};
    render_marked_html(&b, marked);
    snprintf(out, sizeof out, "%s", buf_cstr(&b));
    buf_free(&b);
    return out;
}

static const char *marked_json(const char *marked)
{
    static char out[512];
    Buf b = {0};
    render_marked_json(&b, marked, "hl");
    snprintf(out, sizeof out, "%s", buf_cstr(&b));
    buf_free(&b);
    return out;
}

static void test_marks_become_mark_elements_and_text_is_escaped(void)
{
    CHECK_STR(marked_html("a \x01<b>\x02 & \x01\"q\"\x02"), "a <mark>&lt;b&gt;</mark> &amp; <mark>&quot;q&quot;</mark>");
    /* an unclosed mark is closed; a stray close is ignored */
    CHECK_STR(marked_html("x\x02 \x01y"), "x <mark>y</mark>");
    CHECK_STR(marked_html("  line\n\nbreak\t end \x03"), "line break end");
}

static void test_json_highlights_count_code_points(void)
{
    /* "Zürich" is 6 code points, 7 bytes; the match after it starts at 7 */
    CHECK_STR(marked_json("Z\xC3\xBCrich \x01" "caf\xC3\xA9\x02!"), "\"Zürich café!\",\"hl\":[[7,11]]");
    CHECK_STR(marked_json("\x01" "a\x02 \x01" "b\x02"), "\"a b\",\"hl\":[[0,1],[2,3]]");
    CHECK_STR(marked_json("no match"), "\"no match\",\"hl\":[]");
    /* invalid UTF-8 is one U+FFFD each; < is escaped for HTML embedding */
    CHECK_STR(marked_json("\xFF\x01<\x02"), "\"\xEF\xBF\xBD\\u003c\",\"hl\":[[1,2]]");
    CHECK_STR(marked_json(NULL), "\"\",\"hl\":[]");
}

int main(void)
{
    RUN(test_words_become_quoted_terms);
    RUN(test_quoted_text_is_a_phrase);
    RUN(test_curly_quotes_make_a_phrase);
    RUN(test_trailing_star_is_a_prefix);
    RUN(test_words_joined_by_punctuation_are_a_phrase);
    RUN(test_operators_and_column_filters_are_dropped);
    RUN(test_hostile_query_keeps_only_words);
    RUN(test_punctuation_only_query_is_empty);
    RUN(test_invalid_utf8_separates_words);
    RUN(test_terms_are_capped);
    RUN(test_non_latin_words_are_kept);
    RUN(test_articles_are_indexed_and_ranked_by_bm25);
    RUN(test_phrase_needs_the_words_in_order);
    RUN(test_prefix_matches_word_starts);
    RUN(test_diacritics_do_not_matter);
    RUN(test_filters_by_date_outlet_and_language);
    RUN(test_pages_do_not_overlap);
    RUN(test_snippets_mark_the_matched_words);
    RUN(test_stories_are_indexed_when_their_page_is_written);
    RUN(test_stories_without_a_page_are_not_found);
    RUN(test_broad_story_queries_rank_only_the_newest);
    RUN(test_ranking_is_fts5_bm25_to_the_bit);
    RUN(test_ranking_follows_changes_by_another_connection);
    RUN(test_ranking_inside_a_transaction);
    RUN(test_broad_phrase_is_ranked_over_the_newest);
    RUN(test_existing_rows_are_indexed_by_the_migration);
    RUN(test_cjk_words_are_found_inside_runs);
    RUN(test_indexes_are_rebuilt_with_the_cjk_tokenizer);
    RUN(test_hostile_queries_never_fail);
    RUN(test_marks_become_mark_elements_and_text_is_escaped);
    RUN(test_json_highlights_count_code_points);
    return test_summary("test_search");
}
