/* test_store.c - the SQLite store: schema migration, article dedup, story
 * membership, pages, term statistics, transactions and the ways opening a
 * database can fail. Every test works in its own directory under /tmp. */
#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"
#include "test.h"

static char dir[64];
static char db_path[128];

/* Makes a fresh directory and sets db_path inside it. */
static void tmp_setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/sw_store_XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        exit(2);
    }
    snprintf(db_path, sizeof db_path, "%s/sw.db", dir);
}

/* Removes the directory and every file SQLite left in it. */
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
            if (unlink(p) != 0)
                rmdir(p);
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

static Article article(const char *url, const char *source, const char *title, const char *text,
                       int64_t published)
{
    Article a = {0};
    a.url = url;
    a.source = source;
    a.title = title;
    a.text = text;
    a.published = published;
    a.fetched = 1000;
    return a;
}

/* Stores an article that must be new; returns its id (0 on failure). */
static int64_t put(Store *s, const char *url, const char *source, const char *title, const char *text,
                   int64_t published)
{
    Article a = article(url, source, title, text, published);
    int64_t id = 0;
    int added = 0;
    SwErr err = {{0}};
    if (store_put_article(s, &a, &id, &added, &err) != 0) {
        fprintf(stderr, "  put: %s\n", err.msg);
        return 0;
    }
    return added ? id : 0;
}

static void test_open_creates_schema_and_reopen_keeps_data(void)
{
    tmp_setup();
    Store *s = open_db();
    CHECK(s != NULL);
    if (!s)
        goto out;
    int version = store_schema_version(s);
    CHECK(version >= 1);
    CHECK_STR(store_path(s), db_path);
    int64_t id = put(s, "https://example.com/a", "Harbour Times", "Title", "Body.", 100);
    CHECK(id > 0);
    store_close(s);

    s = open_db();
    CHECK(s != NULL);
    if (!s)
        goto out;
    CHECK_INT(store_schema_version(s), version);
    Arena arena = {0};
    Article got;
    SwErr err = {{0}};
    CHECK_INT(store_get_article(s, id, &arena, &got, &err), 0);
    CHECK_STR(got.title, "Title");
    CHECK_STR(got.text, "Body.");
    CHECK_STR(got.url, "https://example.com/a");
    CHECK_STR(got.source, "Harbour Times");
    CHECK_INT(got.published, 100);
    CHECK_INT(got.fetched, 1000);
    CHECK_INT(got.id, id);
    CHECK_INT(store_get_article(s, id + 100, &arena, &got, &err), STORE_NOT_FOUND);
    arena_free(&arena);
    store_close(s);
out:
    tmp_teardown();
}

static void test_put_same_article_twice_adds_nothing(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        goto out;
    }
    Article a = article("https://example.com/news/1", NULL, "T", "Text.", 5);
    int64_t id1 = 0, id2 = 0;
    int added1 = 0, added2 = 1;
    SwErr err = {{0}};
    CHECK_INT(store_put_article(s, &a, &id1, &added1, &err), 0);
    CHECK_INT(store_put_article(s, &a, &id2, &added2, &err), 0);
    CHECK_INT(added1, 1);
    CHECK_INT(added2, 0);
    CHECK_INT(id2, id1);
    StoreCounts c;
    CHECK_INT(store_counts(s, &c, &err), 0);
    CHECK_INT(c.articles, 1);
    CHECK_INT(c.pending, 1);
    CHECK_INT(c.sources, 1);
    store_close(s);
out:
    tmp_teardown();
}

static void test_url_variants_are_one_article(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        goto out;
    }
    int64_t id = put(s, "https://example.com/news/1", NULL, "T", "Text.", 5);
    CHECK(id > 0);
    const char *same[] = {"HTTPS://Example.COM/news/1", "https://example.com/news/1/",
                          "https://example.com/news/1#comments", "  https://example.com/news/1\n"};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        Article a = article(same[i], NULL, "Other title", "Other text.", 5);
        int64_t got = 0;
        int added = 1;
        SwErr err = {{0}};
        CHECK_INT(store_put_article(s, &a, &got, &added, &err), 0);
        CHECK_INT(added, 0);
        CHECK_INT(got, id);
    }
    /* the path is case-sensitive and the query names the article */
    CHECK(put(s, "https://example.com/News/1", NULL, "T", "Text.", 5) > 0);
    CHECK(put(s, "https://example.com/news/1?page=2", NULL, "T", "Text.", 5) > 0);
    store_close(s);
out:
    tmp_teardown();
}

static void test_article_without_url_dedups_by_content(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        goto out;
    }
    int64_t id = put(s, NULL, "Wire", "Storm hits coast", "The storm\nhit the coast.", 5);
    CHECK(id > 0);
    /* same words, different case and wrapping: the same content */
    Article a = article(NULL, "Wire", "storm  HITS coast", "The storm hit\n\nthe coast. ", 5);
    int64_t got = 0;
    int added = 1;
    SwErr err = {{0}};
    CHECK_INT(store_put_article(s, &a, &got, &added, &err), 0);
    CHECK_INT(added, 0);
    CHECK_INT(got, id);
    /* different text is a different article */
    CHECK(put(s, NULL, "Wire", "Storm hits coast", "The storm missed the coast.", 5) > 0);
    /* the same text under its own URL is a new row: near-copies are the
     * clusterer's business */
    CHECK(put(s, "https://other.example/storm", NULL, "Storm hits coast", "The storm\nhit the coast.", 5) > 0);
    StoreCounts c;
    CHECK_INT(store_counts(s, &c, &err), 0);
    CHECK_INT(c.articles, 3);
    store_close(s);
out:
    tmp_teardown();
}

static void test_source_comes_from_name_host_or_unknown(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        goto out;
    }
    int64_t a1 = put(s, "https://www.Harbour-Times.example:8443/x", NULL, "A", "a", 0);
    int64_t a2 = put(s, "https://harbour-times.example/y", NULL, "B", "b", 0);
    int64_t a3 = put(s, NULL, NULL, "C", "c", 0);
    int64_t a4 = put(s, "https://harbour-times.example/z", "Harbour Times", "D", "d", 0);
    Arena arena = {0};
    Article got;
    SwErr err = {{0}};
    CHECK_INT(store_get_article(s, a1, &arena, &got, &err), 0);
    CHECK_STR(got.source, "harbour-times.example");
    CHECK_INT(store_get_article(s, a2, &arena, &got, &err), 0);
    CHECK_STR(got.source, "harbour-times.example");
    CHECK_INT(store_get_article(s, a3, &arena, &got, &err), 0);
    CHECK_STR(got.source, "unknown");
    CHECK_INT(store_get_article(s, a4, &arena, &got, &err), 0);
    CHECK_STR(got.source, "Harbour Times");
    StoreCounts c;
    CHECK_INT(store_counts(s, &c, &err), 0);
    CHECK_INT(c.sources, 3);
    arena_free(&arena);
    store_close(s);
out:
    tmp_teardown();
}

static void test_pending_order_is_published_then_id_unknown_last(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        goto out;
    }
    int64_t late = put(s, "https://e.example/1", NULL, "1", "1", 300);
    int64_t early = put(s, "https://e.example/2", NULL, "2", "2", 100);
    int64_t unknown = put(s, "https://e.example/3", NULL, "3", "3", 0);
    int64_t early2 = put(s, "https://e.example/4", NULL, "4", "4", 100);
    int64_t *ids = NULL;
    size_t n = 0;
    SwErr err = {{0}};
    CHECK_INT(store_pending_articles(s, &ids, &n, &err), 0);
    CHECK_INT(n, 4);
    if (n == 4) {
        CHECK_INT(ids[0], early);
        CHECK_INT(ids[1], early2);
        CHECK_INT(ids[2], late);
        CHECK_INT(ids[3], unknown);
    }
    free(ids);
    store_close(s);
out:
    tmp_teardown();
}

static void test_story_members_duplicates_and_outlets(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        goto out;
    }
    SwErr err = {{0}};
    int64_t story = 0;
    CHECK_INT(store_story_new(s, &story, &err), 0);
    int64_t orig = put(s, "https://a.example/1", "Alpha", "Bridge closes", "The bridge closed.", 200);
    int64_t older = put(s, "https://b.example/1", "Beta", "Bridge shut", "The bridge shut.", 100);
    int64_t copy_c = put(s, "https://c.example/1", "Gamma", "Bridge closes", "The bridge closed.", 210);
    int64_t copy_c2 = put(s, "https://c.example/2", "Gamma", "Bridge closes!", "The bridge closed.", 220);
    int64_t copy_d = put(s, "https://d.example/1", "Delta", "Bridge closes", "The bridge closed.", 230);
    int64_t copy_a = put(s, "https://a.example/2", "Alpha", "Bridge closes", "The bridge closed.", 240);
    CHECK_INT(store_article_set_story(s, orig, story, 0.9, &err), 0);
    CHECK_INT(store_article_set_story(s, older, story, 0.8, &err), 0);
    /* story_id 0: the duplicate joins the story of the article it copies */
    CHECK_INT(store_article_set_duplicate(s, copy_c, orig, 0, &err), 0);
    CHECK_INT(store_article_set_duplicate(s, copy_c2, orig, story, &err), 0);
    CHECK_INT(store_article_set_duplicate(s, copy_d, orig, story, &err), 0);
    CHECK_INT(store_article_set_duplicate(s, copy_a, orig, story, &err), 0);

    int64_t *ids = NULL;
    size_t n = 0;
    CHECK_INT(store_story_members(s, story, 0, &ids, &n, &err), 0);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_INT(ids[0], older);
        CHECK_INT(ids[1], orig);
    }
    free(ids);
    CHECK_INT(store_story_members(s, story, 1, &ids, &n, &err), 0);
    CHECK_INT(n, 6);
    free(ids);

    /* "also reported by": each other outlet once, in order of reporting;
     * the original's own outlet is not "also" */
    Arena arena = {0};
    const char **outlets = NULL;
    CHECK_INT(store_article_duplicates(s, orig, &arena, &outlets, &n, &err), 0);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(outlets[0], "Gamma");
        CHECK_STR(outlets[1], "Delta");
    }
    free(outlets);
    CHECK_INT(store_article_duplicates(s, older, &arena, &outlets, &n, &err), 0);
    CHECK_INT(n, 0);
    free(outlets);

    CHECK_INT(store_pending_articles(s, &ids, &n, &err), 0);
    CHECK_INT(n, 0);
    free(ids);
    /* a stale id is an error, not silence */
    CHECK_INT(store_article_set_story(s, 9999, story, 0.5, &err), -1);
    CHECK(strstr(err.msg, "9999") != NULL);
    /* and a story that does not exist is refused by the foreign key */
    CHECK_INT(store_article_set_story(s, orig, story + 50, 0.5, &err), -1);
    arena_free(&arena);
    store_close(s);
out:
    tmp_teardown();
}

struct states_seen {
    int calls;
    int64_t id;
    unsigned char blob[300];
    size_t len;
    int64_t first, last;
    int count;
};

static int collect_state(void *ctx, int64_t id, const void *state, size_t len, int64_t first,
                         int64_t last, int count)
{
    struct states_seen *seen = ctx;
    seen->calls++;
    seen->id = id;
    seen->len = len;
    if (len <= sizeof seen->blob)
        memcpy(seen->blob, state, len);
    seen->first = first;
    seen->last = last;
    seen->count = count;
    return 0;
}

static int stop_at_first(void *ctx, int64_t id, const void *state, size_t len, int64_t first,
                         int64_t last, int count)
{
    (*(int *)ctx)++;
    return 1;
}

static void test_story_state_round_trips_byte_for_byte(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        goto out;
    }
    SwErr err = {{0}};
    unsigned char blob[300];
    for (size_t i = 0; i < sizeof blob; i++)
        blob[i] = (unsigned char)(i * 7); /* zeros included */
    int64_t old_story = 0, story = 0;
    CHECK_INT(store_story_new(s, &old_story, &err), 0);
    CHECK_INT(store_story_new(s, &story, &err), 0);
    CHECK_INT(store_story_set_state(s, old_story, "x", 1, 10, 20, 1, 1, &err), 0);
    CHECK_INT(store_story_set_state(s, story, blob, sizeof blob, 1000, 5000, 7, 3, &err), 0);

    struct states_seen seen = {0};
    CHECK_INT(store_story_states(s, 4000, collect_state, &seen, &err), 0);
    CHECK_INT(seen.calls, 1);
    CHECK_INT(seen.id, story);
    CHECK_INT(seen.len, sizeof blob);
    CHECK(memcmp(seen.blob, blob, sizeof blob) == 0);
    CHECK_INT(seen.first, 1000);
    CHECK_INT(seen.last, 5000);
    CHECK_INT(seen.count, 7);

    int calls = 0;
    CHECK_INT(store_story_states(s, 0, stop_at_first, &calls, &err), 0);
    CHECK_INT(calls, 1);

    Arena arena = {0};
    StoryRow row;
    CHECK_INT(store_story_get(s, story, &arena, &row, &err), 0);
    CHECK_INT(row.article_count, 7);
    CHECK_INT(row.source_count, 3);
    CHECK_INT(row.page_version, 0);
    CHECK(row.slug == NULL);
    CHECK_INT(store_story_set_state(s, story + 10, blob, 1, 0, 0, 0, 0, &err), -1);
    arena_free(&arena);
    store_close(s);
out:
    tmp_teardown();
}

/* Makes a story with the given activity time and, when with_page, a page. */
static int64_t story_with_page(Store *s, int64_t last_published, const char *slug, int with_page)
{
    SwErr err = {{0}};
    int64_t id = 0;
    if (store_story_new(s, &id, &err) != 0 ||
        store_story_set_state(s, id, "", 0, last_published - 10, last_published, 2, 2, &err) != 0)
        return 0;
    if (with_page) {
        StoryRow row = {.id = id, .slug = slug, .headline = slug, .summary = "sum", .updated = 77};
        int v = 0;
        if (store_page_put(s, &row, "{}", 2, &v, &err) != 0) {
            fprintf(stderr, "  page_put: %s\n", err.msg);
            return 0;
        }
    }
    return id;
}

static void test_story_list_orders_by_activity_and_pages(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        goto out;
    }
    int64_t old = story_with_page(s, 100, "old", 1);
    int64_t tie1 = story_with_page(s, 500, "tie-one", 1);
    int64_t no_page = story_with_page(s, 900, NULL, 0);
    int64_t tie2 = story_with_page(s, 500, "tie-two", 1);
    int64_t newest = story_with_page(s, 800, "newest", 1);
    CHECK(old && tie1 && no_page && tie2 && newest);

    Arena arena = {0};
    StoryRow *rows = NULL;
    size_t n = 0;
    SwErr err = {{0}};
    CHECK_INT(store_story_list(s, 2, 0, &arena, &rows, &n, &err), 0);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_INT(rows[0].id, newest);
        CHECK_STR(rows[0].slug, "newest");
        CHECK_INT(rows[1].id, tie2);
    }
    free(rows);
    CHECK_INT(store_story_list(s, 2, 2, &arena, &rows, &n, &err), 0);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_INT(rows[0].id, tie1);
        CHECK_INT(rows[1].id, old);
        CHECK_INT(rows[1].last_published, 100);
        CHECK_INT(rows[1].updated, 77);
    }
    free(rows);
    CHECK_INT(store_story_list(s, 10, 4, &arena, &rows, &n, &err), 0);
    CHECK_INT(n, 0);
    free(rows);
    arena_free(&arena);
    store_close(s);
out:
    tmp_teardown();
}

static void test_slug_taken_only_by_another_story(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        goto out;
    }
    int64_t mine = story_with_page(s, 100, "bridge-closes", 1);
    int64_t other = story_with_page(s, 100, NULL, 0);
    SwErr err = {{0}};
    CHECK_INT(store_slug_taken(s, "bridge-closes", mine, &err), 0);
    CHECK_INT(store_slug_taken(s, "bridge-closes", other, &err), 1);
    CHECK_INT(store_slug_taken(s, "bridge-opens", other, &err), 0);
    store_close(s);
out:
    tmp_teardown();
}

static void test_page_versions_append_and_read_back(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        goto out;
    }
    SwErr err = {{0}};
    int64_t story = 0;
    CHECK_INT(store_story_new(s, &story, &err), 0);
    StoryRow row = {.id = story, .slug = "storm-hits", .headline = "Storm hits", .summary = "S1",
                    .image = "https://img.example/1.jpg", .updated = 1111};
    int v = 0;
    CHECK_INT(store_page_put(s, &row, "{\"v\":1}", 7, &v, &err), 0);
    CHECK_INT(v, 1);
    row.headline = "Storm hits harder";
    row.summary = "S2";
    row.updated = 2222;
    CHECK_INT(store_page_put(s, &row, "{\"v\":2}xx", 7, &v, &err), 0); /* len bounds the JSON */
    CHECK_INT(v, 2);

    Buf b = {0};
    int got_v = 0;
    CHECK_INT(store_page_get(s, story, 0, &b, &got_v, &err), 0);
    CHECK_STR(buf_cstr(&b), "{\"v\":2}");
    CHECK_INT(got_v, 2);
    buf_reset(&b);
    CHECK_INT(store_page_get(s, story, 1, &b, &got_v, &err), 0);
    CHECK_STR(buf_cstr(&b), "{\"v\":1}");
    CHECK_INT(got_v, 1);
    CHECK_INT(store_page_get(s, story, 3, &b, &got_v, &err), STORE_NOT_FOUND);
    CHECK_INT(store_page_get(s, story + 1, 0, &b, &got_v, &err), STORE_NOT_FOUND);
    buf_free(&b);

    Arena arena = {0};
    StoryRow got;
    CHECK_INT(store_story_by_slug(s, "storm-hits", &arena, &got, &err), 0);
    CHECK_INT(got.id, story);
    CHECK_INT(got.page_version, 2);
    CHECK_STR(got.headline, "Storm hits harder");
    CHECK_STR(got.summary, "S2");
    CHECK_STR(got.image, "https://img.example/1.jpg");
    CHECK_INT(got.updated, 2222);
    CHECK_INT(store_story_by_slug(s, "nothing-here", &arena, &got, &err), STORE_NOT_FOUND);

    /* a slug of another story is refused with a clear error, and the
     * refused page is not half-written */
    int64_t other = 0;
    CHECK_INT(store_story_new(s, &other, &err), 0);
    StoryRow clash = {.id = other, .slug = "storm-hits", .headline = "H"};
    CHECK_INT(store_page_put(s, &clash, "{}", 2, &v, &err), -1);
    CHECK(strstr(err.msg, "storm-hits") != NULL);
    CHECK(strstr(err.msg, db_path) != NULL);
    StoreCounts c;
    CHECK_INT(store_counts(s, &c, &err), 0);
    CHECK_INT(c.pages, 2);
    CHECK_INT(store_story_get(s, other, &arena, &got, &err), 0);
    CHECK_INT(got.page_version, 0);
    arena_free(&arena);
    store_close(s);
out:
    tmp_teardown();
}

struct df_seen {
    int64_t df[10];
    int calls;
};

static void collect_df(void *ctx, uint32_t term, int64_t df)
{
    struct df_seen *seen = ctx;
    seen->calls++;
    if (term < 10)
        seen->df[term] = df;
}

static void test_df_add_counts_documents_per_term(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        goto out;
    }
    SwErr err = {{0}};
    uint32_t d1[] = {1, 2, 3}, d2[] = {2, 3}, d3[] = {3};
    CHECK_INT(store_df_add(s, d1, 3, &err), 0);
    CHECK_INT(store_df_add(s, d2, 2, &err), 0);
    CHECK_INT(store_df_add(s, d3, 1, &err), 0);
    struct df_seen seen = {{0}, 0};
    int64_t docs = -1;
    CHECK_INT(store_df_load(s, collect_df, &seen, &docs, &err), 0);
    CHECK_INT(docs, 3);
    CHECK_INT(seen.calls, 3);
    CHECK_INT(seen.df[1], 1);
    CHECK_INT(seen.df[2], 2);
    CHECK_INT(seen.df[3], 3);
    store_close(s);

    /* large term ids survive the trip through a signed column */
    s = open_db();
    if (!s)
        goto out;
    uint32_t big = 0xfffffff0u;
    CHECK_INT(store_df_add(s, &big, 1, &err), 0);
    CHECK_INT(store_df_load(s, collect_df, &seen, &docs, &err), 0);
    CHECK_INT(docs, 4);
    store_close(s);
out:
    tmp_teardown();
}

static void test_df_add_counts_adds_a_batch(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        goto out;
    }
    SwErr err = {{0}};
    uint32_t terms[] = {5, 6};
    int64_t counts[] = {3, 1};
    CHECK_INT(store_df_add_counts(s, terms, counts, 2, 3, &err), 0);
    CHECK_INT(store_df_add_counts(s, terms, counts, 1, 2, &err), 0);
    struct df_seen seen = {{0}, 0};
    int64_t docs = -1;
    CHECK_INT(store_df_load(s, collect_df, &seen, &docs, &err), 0);
    CHECK_INT(docs, 5);
    CHECK_INT(seen.df[5], 6);
    CHECK_INT(seen.df[6], 1);
    store_close(s);
out:
    tmp_teardown();
}

static void test_changed_state_marks_page_stale_until_written(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        goto out;
    }
    SwErr err = {{0}};
    int64_t a1 = put(s, "https://a.example/1", "A", "T1", "x", 100);
    int64_t a2 = put(s, "https://b.example/2", "B", "T2", "y", 200);
    int64_t story = 0;
    CHECK_INT(store_story_new(s, &story, &err), 0);
    CHECK_INT(store_article_set_story(s, a1, story, 1.0, &err), 0);
    CHECK_INT(store_article_set_story(s, a2, story, 1.0, &err), 0);
    int64_t *ids = NULL;
    size_t n = 99;
    CHECK_INT(store_stale_stories(s, &ids, &n, &err), 0);
    CHECK_INT(n, 0); /* no state yet: nothing to write */
    free(ids);
    CHECK_INT(store_story_set_state(s, story, "SWS1", 4, 100, 200, 2, 2, &err), 0);
    CHECK_INT(store_stale_stories(s, &ids, &n, &err), 0);
    CHECK_INT(n, 1);
    CHECK_INT(n ? ids[0] : 0, story);
    free(ids);
    int outlets = 0;
    CHECK_INT(store_story_source_count(s, story, &outlets, &err), 0);
    CHECK_INT(outlets, 2);
    StoryRow row = {.id = story, .slug = "a-story", .headline = "A story", .article_count = 2,
                    .source_count = 2};
    int version = 0;
    CHECK_INT(store_page_put(s, &row, "{}", 2, &version, &err), 0);
    CHECK_INT(store_stale_stories(s, &ids, &n, &err), 0);
    CHECK_INT(n, 0);
    free(ids);
    /* the detected language is kept */
    CHECK_INT(store_article_set_lang(s, a1, "en", &err), 0);
    Arena a = {0};
    Article got;
    CHECK_INT(store_get_article(s, a1, &a, &got, &err), 0);
    CHECK_STR(got.lang, "en");
    arena_free(&a);
    store_close(s);
out:
    tmp_teardown();
}

static void test_version_1_database_is_migrated_forward(void)
{
    tmp_setup();
    /* a database as the first schema left it, with a story whose page was
     * never written */
    sqlite3 *db;
    CHECK(sqlite3_open(db_path, &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db,
                       "CREATE TABLE sources (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, host TEXT, created INTEGER NOT NULL);"
                       "CREATE TABLE stories (id INTEGER PRIMARY KEY, slug TEXT UNIQUE, headline TEXT, summary TEXT, image TEXT,"
                       " first_published INTEGER NOT NULL DEFAULT 0, last_published INTEGER NOT NULL DEFAULT 0,"
                       " updated INTEGER NOT NULL DEFAULT 0, article_count INTEGER NOT NULL DEFAULT 0,"
                       " source_count INTEGER NOT NULL DEFAULT 0, page_version INTEGER NOT NULL DEFAULT 0, state BLOB);"
                       "CREATE TABLE articles (id INTEGER PRIMARY KEY, url TEXT UNIQUE, content_hash TEXT NOT NULL,"
                       " source_id INTEGER NOT NULL REFERENCES sources(id), title TEXT NOT NULL DEFAULT '',"
                       " text TEXT NOT NULL DEFAULT '', image TEXT, lang TEXT, author TEXT, ext_id TEXT,"
                       " published INTEGER NOT NULL DEFAULT 0, fetched INTEGER NOT NULL DEFAULT 0,"
                       " status INTEGER NOT NULL DEFAULT 0, story_id INTEGER REFERENCES stories(id),"
                       " dup_of INTEGER REFERENCES articles(id), score REAL);"
                       "INSERT INTO stories(id, state) VALUES (7, x'00');"
                       "PRAGMA user_version = 1;",
                       NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    /* opening runs only the migrations after version 1 (the others would
     * fail on the existing tables) */
    Store *s = open_db();
    CHECK(s != NULL);
    if (s) {
        CHECK(store_schema_version(s) >= 2);
        int64_t *ids = NULL;
        size_t n = 0;
        SwErr err = {{0}};
        CHECK_INT(store_stale_stories(s, &ids, &n, &err), 0);
        CHECK_INT(n, 1);
        CHECK_INT(n ? ids[0] : 0, 7);
        free(ids);
        store_close(s);
    }
    tmp_teardown();
}

static void test_readonly_open_of_missing_file_fails(void)
{
    tmp_setup();
    Store *s = (Store *)1;
    SwErr err = {{0}};
    CHECK_INT(store_open(db_path, 1, &s, &err), -1);
    CHECK(s == NULL);
    CHECK(strstr(err.msg, db_path) != NULL);
    CHECK(strstr(err.msg, "No such file") != NULL);
    CHECK(access(db_path, F_OK) != 0); /* and nothing was created */
    tmp_teardown();
}

static void test_readonly_store_reads_but_does_not_write(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        goto out;
    }
    int64_t id = put(s, "https://e.example/1", NULL, "T", "x", 1);
    store_close(s);
    SwErr err = {{0}};
    CHECK_INT(store_open(db_path, 1, &s, &err), 0);
    if (!s)
        goto out;
    Arena arena = {0};
    Article got;
    CHECK_INT(store_get_article(s, id, &arena, &got, &err), 0);
    CHECK_STR(got.title, "T");
    int64_t story = 0;
    CHECK_INT(store_story_new(s, &story, &err), -1);
    CHECK(strstr(err.msg, "readonly") != NULL);
    arena_free(&arena);
    store_close(s);
out:
    tmp_teardown();
}

static void test_file_that_is_not_a_database_fails_cleanly(void)
{
    tmp_setup();
    FILE *f = fopen(db_path, "w");
    if (f) {
        for (int i = 0; i < 100; i++)
            fputs("this is a text file, not SQLite\n", f);
        fclose(f);
    }
    Store *s = NULL;
    SwErr err = {{0}};
    CHECK_INT(store_open(db_path, 0, &s, &err), -1);
    CHECK(s == NULL);
    CHECK(strstr(err.msg, "file is not a database") != NULL);
    CHECK(strstr(err.msg, db_path) != NULL);
    CHECK_INT(store_open(db_path, 1, &s, &err), -1);
    CHECK(strstr(err.msg, "file is not a database") != NULL);
    tmp_teardown();
}

static void test_unopenable_paths_fail_with_reason(void)
{
    tmp_setup();
    Store *s = NULL;
    SwErr err = {{0}};
    CHECK_INT(store_open(dir, 0, &s, &err), -1); /* a directory */
    CHECK(s == NULL);
    CHECK(strstr(err.msg, dir) != NULL);
    CHECK(strstr(err.msg, "directory") != NULL);
    CHECK_INT(store_open(dir, 1, &s, &err), -1);
    CHECK(strstr(err.msg, "directory") != NULL);
    char missing[256];
    snprintf(missing, sizeof missing, "%s/no/such/dir/sw.db", dir);
    CHECK_INT(store_open(missing, 0, &s, &err), -1);
    CHECK(strstr(err.msg, missing) != NULL);
    CHECK(strstr(err.msg, "unable to open") != NULL);
    tmp_teardown();
}

static void test_newer_schema_version_is_refused(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        goto out;
    }
    int version = store_schema_version(s);
    store_close(s);
    sqlite3 *db = NULL;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", version + 1);
    CHECK_INT(sqlite3_open(db_path, &db), SQLITE_OK);
    CHECK_INT(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    SwErr err = {{0}};
    char want[128];
    snprintf(want, sizeof want, "database schema version %d is newer than this storywire (%d)",
             version + 1, version);
    CHECK_INT(store_open(db_path, 0, &s, &err), -1);
    CHECK(strstr(err.msg, want) != NULL);
    CHECK_INT(store_open(db_path, 1, &s, &err), -1);
    CHECK(strstr(err.msg, want) != NULL);
out:
    tmp_teardown();
}

static void test_rollback_discards_and_commit_keeps(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        goto out;
    }
    SwErr err = {{0}};
    StoreCounts c;
    CHECK_INT(store_begin(s, &err), 0);
    CHECK_INT(store_begin(s, &err), -1); /* no nesting */
    CHECK(put(s, "https://e.example/1", NULL, "1", "1", 1) > 0);
    uint32_t t = 5;
    CHECK_INT(store_df_add(s, &t, 1, &err), 0);
    store_rollback(s);
    CHECK_INT(store_counts(s, &c, &err), 0);
    CHECK_INT(c.articles, 0);
    CHECK_INT(c.sources, 0);

    CHECK_INT(store_begin(s, &err), 0);
    CHECK(put(s, "https://e.example/2", NULL, "2", "2", 1) > 0);
    CHECK_INT(store_commit(s, &err), 0);
    CHECK_INT(store_commit(s, &err), -1);

    /* a transaction left open at close is discarded */
    CHECK_INT(store_begin(s, &err), 0);
    CHECK(put(s, "https://e.example/3", NULL, "3", "3", 1) > 0);
    store_close(s);
    s = open_db();
    if (!s)
        goto out;
    CHECK_INT(store_counts(s, &c, &err), 0);
    CHECK_INT(c.articles, 1);
    store_close(s);
out:
    tmp_teardown();
}

static void test_failed_call_in_transaction_keeps_earlier_work(void)
{
    tmp_setup();
    Store *s = open_db();
    if (!s) {
        CHECK(s != NULL);
        goto out;
    }
    SwErr err = {{0}};
    story_with_page(s, 100, "taken", 1);
    int64_t story = 0;
    CHECK_INT(store_begin(s, &err), 0);
    CHECK(put(s, "https://e.example/1", NULL, "1", "1", 1) > 0);
    CHECK_INT(store_story_new(s, &story, &err), 0);
    StoryRow clash = {.id = story, .slug = "taken", .headline = "H"};
    int v = 0;
    CHECK_INT(store_page_put(s, &clash, "{}", 2, &v, &err), -1);
    CHECK_INT(store_commit(s, &err), 0);
    StoreCounts c;
    CHECK_INT(store_counts(s, &c, &err), 0);
    CHECK_INT(c.articles, 1);
    CHECK_INT(c.stories, 2);
    CHECK_INT(c.pages, 1);
    store_close(s);
out:
    tmp_teardown();
}

int main(void)
{
    RUN(test_open_creates_schema_and_reopen_keeps_data);
    RUN(test_put_same_article_twice_adds_nothing);
    RUN(test_url_variants_are_one_article);
    RUN(test_article_without_url_dedups_by_content);
    RUN(test_source_comes_from_name_host_or_unknown);
    RUN(test_pending_order_is_published_then_id_unknown_last);
    RUN(test_story_members_duplicates_and_outlets);
    RUN(test_story_state_round_trips_byte_for_byte);
    RUN(test_story_list_orders_by_activity_and_pages);
    RUN(test_slug_taken_only_by_another_story);
    RUN(test_page_versions_append_and_read_back);
    RUN(test_df_add_counts_documents_per_term);
    RUN(test_df_add_counts_adds_a_batch);
    RUN(test_changed_state_marks_page_stale_until_written);
    RUN(test_version_1_database_is_migrated_forward);
    RUN(test_readonly_open_of_missing_file_fails);
    RUN(test_readonly_store_reads_but_does_not_write);
    RUN(test_file_that_is_not_a_database_fails_cleanly);
    RUN(test_unopenable_paths_fail_with_reason);
    RUN(test_newer_schema_version_is_refused);
    RUN(test_rollback_discards_and_commit_keeps);
    RUN(test_failed_call_in_transaction_keeps_earlier_work);
    return test_summary("test_store");
}
