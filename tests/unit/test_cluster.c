/* test_cluster.c - online clustering decisions on hand-made documents. */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "story/cluster.h"
#include "test.h"

#define DAY 86400

/* A document whose terms are the given small integers (count 1 each). */
static Doc make_doc(Arena *a, Article *art, int64_t published, uint64_t simhash, const int *body, int nb,
                    const int *title, int nt, const int *ent, int ne)
{
    Doc d;
    memset(&d, 0, sizeof d);
    memset(art, 0, sizeof *art);
    art->published = published;
    d.article = art;
    TermVec *vs[3] = {&d.body_terms, &d.title_terms, &d.entity_terms};
    const int *src[3] = {body, title, ent};
    int ns[3] = {nb, nt, ne};
    for (int k = 0; k < 3; k++) {
        vs[k]->terms = ARENA_ARRAY(a, Term, ns[k] + 1);
        vs[k]->n = (uint32_t)ns[k];
        for (int i = 0; i < ns[k]; i++) /* callers pass ids in ascending order */
            vs[k]->terms[i] = (Term){(uint32_t)src[k][i], 1.0f};
    }
    d.simhash = simhash;
    d.n_words = 200;
    return d;
}

/* Background documents give common terms a realistic (low) IDF. */
static void add_background(Clusterer *c)
{
    for (int i = 0; i < 50; i++) {
        uint32_t *t;
        size_t n;
        Arena a = {0};
        Article art;
        int common[] = {1, 2, 3, 1000 + i};
        Doc d = make_doc(&a, &art, 0, 0, common, 4, NULL, 0, NULL, 0);
        cluster_count_doc(c, &d, &t, &n);
        free(t);
        arena_free(&a);
    }
}

static const int storm_a_body[] = {1, 2, 10, 11, 12, 13, 14, 15};
static const int storm_a_title[] = {10, 11, 12};
static const int storm_a_ent[] = {500, 501};
static const int storm_b_body[] = {1, 2, 10, 11, 20, 21, 22, 23};
static const int storm_b_title[] = {10, 20, 21};
static const int storm_b_ent[] = {600, 601};

static void test_same_event_joins_and_other_event_starts_new(void)
{
    Clusterer *c = cluster_new(NULL);
    add_background(c);
    Arena a = {0};
    Article x1, x2, y1;
    int64_t t0 = 1790928900;
    Doc d1 = make_doc(&a, &x1, t0, 0x1, storm_a_body, 8, storm_a_title, 3, storm_a_ent, 2);
    CHECK_INT(cluster_assign(c, &d1).story_id, 0);
    cluster_add(c, 7, 100, &d1);
    /* same event a few hours later: most terms and entities shared */
    const int body2[] = {1, 2, 10, 11, 12, 13, 14, 16};
    Doc d2 = make_doc(&a, &x2, t0 + 5 * 3600, 0xFFFF0000FFFF0000ULL, body2, 8, storm_a_title, 3, storm_a_ent, 2);
    ClusterDecision dec = cluster_assign(c, &d2);
    CHECK_INT(dec.story_id, 7);
    CHECK_INT(dec.duplicate_of, 0);
    CHECK(dec.features[0] > 0.5);
    cluster_add(c, 7, 101, &d2);
    /* a different storm two weeks later: shared topic words only */
    Doc d3 = make_doc(&a, &y1, t0 + 14 * DAY, 0xABCDEF0123456789ULL, storm_b_body, 8, storm_b_title, 3, storm_b_ent, 2);
    dec = cluster_assign(c, &d3);
    CHECK_INT(dec.story_id, 0);
    arena_free(&a);
    cluster_free(c);
}

static void test_time_distance_separates_identical_vocabulary(void)
{
    Clusterer *c = cluster_new(NULL);
    add_background(c);
    Arena a = {0};
    Article x1, x2;
    const int body[] = {1, 30, 31, 32, 33};
    const int title[] = {30, 31};
    Doc d1 = make_doc(&a, &x1, 1790928900, 0x0123456789ABCDEFULL, body, 5, title, 2, NULL, 0);
    cluster_add(c, 1, 1, &d1);
    Doc near = make_doc(&a, &x2, 1790928900 + DAY, 0xFEDCBA9876543210ULL, body, 5, title, 2, NULL, 0);
    ClusterDecision dn = cluster_assign(c, &near);
    Doc far = make_doc(&a, &x2, 1790928900 + 60 * DAY, 0xFEDCBA9876543210ULL, body, 5, title, 2, NULL, 0);
    ClusterDecision df = cluster_assign(c, &far);
    CHECK_INT(dn.story_id, 1);
    CHECK(df.score < dn.score);
    CHECK_INT(df.story_id, 0); /* idle longer than active_days: not a candidate */
    arena_free(&a);
    cluster_free(c);
}

static void test_near_copy_is_marked_duplicate(void)
{
    Clusterer *c = cluster_new(NULL);
    add_background(c);
    Arena a = {0};
    Article x1, x2;
    Doc d1 = make_doc(&a, &x1, 1790928900, 0xF0F0F0F0F0F0F0F0ULL, storm_a_body, 8, storm_a_title, 3, storm_a_ent, 2);
    cluster_add(c, 3, 55, &d1);
    /* two bits differ: a wire copy with small edits */
    Doc d2 = make_doc(&a, &x2, 1790928900 + 600, 0xF0F0F0F0F0F0F0F3ULL, storm_a_body, 8, storm_a_title, 3, storm_a_ent, 2);
    ClusterDecision dec = cluster_assign(c, &d2);
    CHECK_INT(dec.story_id, 3);
    CHECK_INT(dec.duplicate_of, 55);
    arena_free(&a);
    cluster_free(c);
}

static void test_state_round_trip_gives_same_decisions(void)
{
    Clusterer *c = cluster_new(NULL);
    add_background(c);
    Arena a = {0};
    Article x1, x2;
    Doc d1 = make_doc(&a, &x1, 1790928900, 0x0F0F0F0F0F0F0F0FULL, storm_a_body, 8, storm_a_title, 3, storm_a_ent, 2);
    cluster_add(c, 9, 1, &d1);
    Buf state = {0};
    int64_t first, last;
    int count;
    CHECK(cluster_story_state(c, 9, &state, &first, &last, &count) == 0);
    CHECK_INT(first, 1790928900);
    CHECK_INT(count, 1);
    Doc d2 = make_doc(&a, &x2, 1790928900 + 3600, 0x5A5A5A5A5A5A5A5AULL, storm_a_body, 8, storm_a_title, 3, storm_a_ent, 2);
    ClusterDecision before = cluster_assign(c, &d2);

    Clusterer *c2 = cluster_new(NULL);
    add_background(c2);
    SwErr err;
    CHECK(cluster_load_story(c2, 9, state.data, state.len, &err) == 0);
    ClusterDecision after = cluster_assign(c2, &d2);
    CHECK_INT(after.story_id, before.story_id);
    CHECK(after.score > before.score - 1e-9 && after.score < before.score + 1e-9);
    /* damaged states are refused with the story id */
    CHECK(cluster_load_story(c2, 10, state.data, state.len - 3, &err) != 0);
    CHECK(strstr(err.msg, "story 10") != NULL);
    CHECK(cluster_load_story(c2, 11, "XXXX", 4, &err) != 0);
    buf_free(&state);
    arena_free(&a);
    cluster_free(c);
    cluster_free(c2);
}

static void test_related_finds_the_story_sharing_entities(void)
{
    Clusterer *c = cluster_new(NULL);
    add_background(c);
    Arena a = {0};
    Article x[3];
    const int b1[] = {40, 41, 42, 43}, b2[] = {40, 41, 44, 45}, b3[] = {70, 71, 72, 73};
    const int e1[] = {900}, e3[] = {901};
    Doc d1 = make_doc(&a, &x[0], 1790928900, 1, b1, 4, NULL, 0, e1, 1);
    Doc d2 = make_doc(&a, &x[1], 1790928900, 2, b2, 4, NULL, 0, e1, 1);
    Doc d3 = make_doc(&a, &x[2], 1790928900, 3, b3, 4, NULL, 0, e3, 1);
    cluster_add(c, 1, 1, &d1);
    cluster_add(c, 2, 2, &d2);
    cluster_add(c, 3, 3, &d3);
    int64_t ids[4];
    double scores[4];
    size_t n = cluster_related(c, 1, 4, 0.05, ids, scores);
    CHECK_INT(n, 1);
    CHECK_INT(ids[0], 2);
    arena_free(&a);
    cluster_free(c);
}

/* Max-link: a story of two different reports keeps each member's own
 * vector, so an article repeating one of them matches it closely even
 * though the story's centroid is a blend. */
static void test_max_link_feature_sees_the_closest_member(void)
{
    ClusterModel m = cluster_default_model();
    Clusterer *c = cluster_new(&m);
    cluster_report_features(c, 1); /* (features the model does not weigh too) */
    add_background(c);
    Arena a = {0};
    Article x[3];
    const int b1[] = {40, 41, 42, 43, 44, 45}, b2[] = {60, 61, 62, 63, 64, 65};
    Doc d1 = make_doc(&a, &x[0], 1790928900, 1, b1, 6, NULL, 0, NULL, 0);
    Doc d2 = make_doc(&a, &x[1], 1790928900, 2, b2, 6, NULL, 0, NULL, 0);
    cluster_add(c, 5, 1, &d1);
    cluster_add(c, 5, 2, &d2);
    Doc q = make_doc(&a, &x[2], 1790928900, 3, b1, 6, NULL, 0, NULL, 0);
    ClusterDecision dec = cluster_assign(c, &q);
    CHECK_INT(dec.story_id, 5);
    CHECK(dec.features[CF_BODY_MAX] > 0.99);
    CHECK(dec.features[CF_BODY] < 0.8);
    CHECK(dec.features[CF_BODY_TOP3] > 0.45 && dec.features[CF_BODY_TOP3] < 0.55); /* (1 + 0) / 2 */
    /* a model that trusts only the best member joins it; one that trusts
     * only the centroid at the same threshold does not */
    ClusterModel only_max = m, only_centroid = m;
    memset(only_max.w, 0, sizeof only_max.w);
    memset(only_centroid.w, 0, sizeof only_centroid.w);
    only_max.w[CF_BODY_MAX] = 1;
    only_centroid.w[CF_BODY] = 1;
    only_max.bias = only_centroid.bias = 0;
    only_max.threshold = only_centroid.threshold = 0.9;
    CHECK(cluster_score(&only_max, dec.features) >= 0.9);
    CHECK(cluster_score(&only_centroid, dec.features) < 0.9);
    arena_free(&a);
    cluster_free(c);
}

/* The rarest-term share: a story holding the article's rare terms (ids
 * the background never uses) scores 1, one holding only common terms 0. */
static void test_rare_term_share(void)
{
    Clusterer *c = cluster_new(NULL);
    cluster_report_features(c, 1);
    add_background(c);
    Arena a = {0};
    Article x[3];
    const int shared[] = {1, 2, 3, 700, 701}, common_only[] = {1, 2, 3, 50, 51};
    Doc d1 = make_doc(&a, &x[0], 1790928900, 1, shared, 5, NULL, 0, NULL, 0);
    Doc d2 = make_doc(&a, &x[1], 1790928900, 2, common_only, 5, NULL, 0, NULL, 0);
    cluster_add(c, 1, 1, &d1);
    cluster_add(c, 2, 2, &d2);
    const int q_body[] = {1, 2, 3, 700, 701};
    Doc q = make_doc(&a, &x[2], 1790928900, 3, q_body, 5, NULL, 0, NULL, 0);
    ClusterDecision dec = cluster_assign(c, &q);
    CHECK_INT(dec.story_id, 1);
    CHECK(dec.features[CF_RARE] > 0.99);
    /* the common-only story holds 1, 2 and 3, whose IDF is lowest: a
     * small share at most */
    ClusterModel m = cluster_default_model();
    memset(m.w, 0, sizeof m.w);
    m.w[CF_RARE] = 1;
    m.bias = 0;
    m.threshold = 0.5;
    Clusterer *only = cluster_new(&m);
    cluster_report_features(only, 1);
    add_background(only);
    cluster_add(only, 2, 2, &d2);
    ClusterDecision dr = cluster_assign(only, &q);
    CHECK(dr.features[CF_RARE] < 0.5);
    CHECK_INT(dr.story_id, 0);
    arena_free(&a);
    cluster_free(c);
    cluster_free(only);
}

/* Member vectors and leads survive a save and load; a state without them
 * (SWS1, from an older version) still loads and scores with its centroid,
 * and one without leads (SWS3) with a lead cosine of 0. */
static void test_sketches_survive_the_state_blob(void)
{
    ClusterModel lm = cluster_default_model(); /* one that computes the lead features */
    lm.w[CF_LEAD] = 0.01;
    Clusterer *c = cluster_new(&lm);
    cluster_report_features(c, 1);
    add_background(c);
    Arena a = {0};
    Article x[3];
    const int b1[] = {40, 41, 42, 43, 44, 45}, b2[] = {60, 61, 62, 63, 64, 65};
    Doc d1 = make_doc(&a, &x[0], 1790928900, 1, b1, 6, NULL, 0, NULL, 0);
    Doc d2 = make_doc(&a, &x[1], 1790928900, 2, b2, 6, NULL, 0, NULL, 0);
    d1.lead_terms = (TermVec){d1.body_terms.terms, 2}; /* 40 41 */
    d2.lead_terms = (TermVec){d2.body_terms.terms, 1}; /* 60 */
    cluster_add(c, 5, 1, &d1);
    cluster_add(c, 5, 2, &d2);
    Buf state = {0};
    int64_t first, last;
    int count;
    CHECK(cluster_story_state(c, 5, &state, &first, &last, &count) == 0);
    CHECK(memcmp(state.data, "SWS5", 4) == 0);
    size_t lead_len = 4 + 3 * sizeof(Term); /* the lead sums: 40, 41, 60 */
    Doc q = make_doc(&a, &x[2], 1790928900, 3, b1, 6, NULL, 0, NULL, 0);
    q.lead_terms = (TermVec){q.body_terms.terms + 1, 1}; /* 41 */
    ClusterDecision before = cluster_assign(c, &q);
    CHECK(before.features[CF_LEAD] > 0.3);
    Clusterer *c2 = cluster_new(&lm);
    cluster_report_features(c2, 1);
    add_background(c2);
    SwErr err;
    CHECK(cluster_load_story(c2, 5, state.data, state.len, &err) == 0);
    ClusterDecision after = cluster_assign(c2, &q);
    for (int k = 0; k < CLUSTER_FEATURES; k++)
        CHECK(fabs(after.features[k] - before.features[k]) < 1e-9);
    /* the same state cut before its member vectors, marked as version 1 */
    size_t v1_len = 4 + 7 * 4 + 24 + (6 + 6) * sizeof(Term) + 2 * (8 + 8);
    CHECK(v1_len < state.len);
    memcpy(state.data, "SWS1", 4);
    Clusterer *c3 = cluster_new(&lm);
    cluster_report_features(c3, 1);
    add_background(c3);
    CHECK(cluster_load_story(c3, 5, state.data, v1_len, &err) == 0);
    ClusterDecision old = cluster_assign(c3, &q);
    CHECK(fabs(old.features[CF_BODY_MAX] - old.features[CF_BODY]) < 1e-9);
    CHECK(old.features[CF_LEAD] == 0);
    /* damaged member vectors, facts or leads are refused */
    memcpy(state.data, "SWS5", 4);
    CHECK(cluster_load_story(c3, 6, state.data, state.len - 4, &err) != 0);
    CHECK(strstr(err.msg, "story 6") != NULL);
    CHECK(cluster_load_story(c3, 6, state.data, state.len - 1, &err) != 0);
    CHECK(cluster_load_story(c3, 6, state.data, state.len - lead_len, &err) != 0);
    /* an SWS3 state (no leads: the same bytes without them) loads, and
     * with the lead bytes left on is refused */
    memcpy(state.data, "SWS3", 4);
    CHECK(cluster_load_story(c3, 8, state.data, state.len, &err) != 0);
    Clusterer *c4 = cluster_new(&lm);
    cluster_report_features(c4, 1);
    add_background(c4);
    CHECK(cluster_load_story(c4, 8, state.data, state.len - lead_len, &err) == 0);
    ClusterDecision v3 = cluster_assign(c4, &q);
    CHECK_INT(v3.story_id, 8);
    CHECK(v3.features[CF_LEAD] == 0);
    CHECK(fabs(v3.features[CF_BODY_MAX] - before.features[CF_BODY_MAX]) < 1e-9);
    cluster_free(c4);
    /* an SWS2 state (no facts: the same bytes without the last 4) loads */
    memcpy(state.data, "SWS2", 4);
    CHECK(cluster_load_story(c3, 7, state.data, state.len - lead_len - 4, &err) == 0);
    CHECK(cluster_load_story(c3, 6, state.data, state.len - lead_len, &err) != 0);
    CHECK(strstr(err.msg, "story 6") != NULL);
    buf_free(&state);
    arena_free(&a);
    cluster_free(c);
    cluster_free(c2);
    cluster_free(c3);
}

/* Dates: compared by the day of the year whatever year they state, with
 * their own features; a story saved before dates were facts (its facts
 * without any) gives them 0, and dates survive the state blob. */
static void test_date_features(void)
{
    Clusterer *c = cluster_new(NULL);
    cluster_report_features(c, 1);
    add_background(c);
    Arena a = {0};
    Article x[5];
    const int body[] = {1, 2, 40, 41, 42, 43};
    Doc d1 = make_doc(&a, &x[0], 0, 0x0F0F0F0F0F0F0F0FULL, body, 6, NULL, 0, NULL, 0);
    Term f1[] = {{DOC_FACT_ID(DOC_FACT_YEAR, 2013), 1},
                 {DOC_FACT_ID(DOC_FACT_DATE, DOC_DATE_VALUE(2013, 3, 3)), 2},
                 {DOC_FACT_ID(DOC_FACT_DATE, DOC_DATE_VALUE(0, 3, 4)), 1},
                 {DOC_FACT_ID(DOC_FACT_DATE, DOC_DATE_VALUE(2013, 4, 0)), 1}};
    d1.facts = (TermVec){f1, 4};
    cluster_add(c, 4, 1, &d1);
    /* "March 3" without a year is the story's March 3, 2013 */
    Doc same = make_doc(&a, &x[1], 0, 0xF0F0F0F0F0F0F0F0ULL, body, 6, NULL, 0, NULL, 0);
    Term f2[] = {{DOC_FACT_ID(DOC_FACT_DATE, DOC_DATE_VALUE(0, 3, 3)), 2},
                 {DOC_FACT_ID(DOC_FACT_DATE, DOC_DATE_VALUE(2013, 3, 4)), 1}};
    same.facts = (TermVec){f2, 2};
    ClusterDecision ds = cluster_assign(c, &same);
    CHECK(ds.features[CF_DATE_AGREE] > 0.99 && ds.features[CF_DATE_CONFLICT] < 0.01);
    CHECK(ds.features[CF_DATE_NEAR] > 0.99);
    CHECK(ds.features[CF_YEAR_AGREE] == 0); /* dates do not count as years */
    /* two days later: no overlap, but near */
    Doc near = make_doc(&a, &x[2], 0, 0x00FF00FF00FF00FFULL, body, 6, NULL, 0, NULL, 0);
    Term f3[] = {{DOC_FACT_ID(DOC_FACT_DATE, DOC_DATE_VALUE(0, 3, 6)), 1}};
    near.facts = (TermVec){f3, 1};
    ClusterDecision dn = cluster_assign(c, &near);
    CHECK(dn.features[CF_DATE_AGREE] == 0 && dn.features[CF_DATE_CONFLICT] > 0.99);
    CHECK(fabs(dn.features[CF_DATE_NEAR] - exp(-4.0 / 18)) < 1e-9);
    /* months away; a month and year alone names no day: nothing to compare */
    Doc far = make_doc(&a, &x[3], 0, 0xFF00FF00FF00FF00ULL, body, 6, NULL, 0, NULL, 0);
    Term f4[] = {{DOC_FACT_ID(DOC_FACT_DATE, DOC_DATE_VALUE(2008, 9, 20)), 1}};
    far.facts = (TermVec){f4, 1};
    ClusterDecision df = cluster_assign(c, &far);
    CHECK(df.features[CF_DATE_CONFLICT] > 0.99 && df.features[CF_DATE_NEAR] < 1e-6);
    Doc month = make_doc(&a, &x[4], 0, 0x0000FFFF0000FFFFULL, body, 6, NULL, 0, NULL, 0);
    Term f5[] = {{DOC_FACT_ID(DOC_FACT_DATE, DOC_DATE_VALUE(2013, 3, 0)), 1}};
    month.facts = (TermVec){f5, 1};
    ClusterDecision dm = cluster_assign(c, &month);
    CHECK(dm.features[CF_DATE_AGREE] == 0 && dm.features[CF_DATE_CONFLICT] == 0 &&
          dm.features[CF_DATE_NEAR] == 0);
    /* December 30 and January 2 are 3 days apart */
    Term f6[] = {{DOC_FACT_ID(DOC_FACT_DATE, DOC_DATE_VALUE(0, 12, 30)), 1}};
    d1.facts = (TermVec){f6, 1};
    cluster_add(c, 9, 2, &d1);
    Term f7[] = {{DOC_FACT_ID(DOC_FACT_DATE, DOC_DATE_VALUE(0, 1, 2)), 1}};
    far.facts = (TermVec){f7, 1};
    ClusterModel m = cluster_default_model();
    m.w[CF_DATE_NEAR] = 1; /* so that the story of December is the best */
    Clusterer *c2 = cluster_new(&m);
    cluster_report_features(c2, 1);
    add_background(c2);
    Buf state = {0};
    int64_t first, last;
    int count;
    SwErr err;
    CHECK(cluster_story_state(c, 9, &state, &first, &last, &count) == 0);
    CHECK(memcmp(state.data, "SWS5", 4) == 0);
    CHECK(cluster_load_story(c2, 9, state.data, state.len, &err) == 0);
    ClusterDecision dy = cluster_assign(c2, &far);
    CHECK_INT(dy.story_id, 9);
    CHECK(fabs(dy.features[CF_DATE_NEAR] - exp(-9.0 / 18)) < 1e-9);
    /* dates survive the blob: the same features from the reloaded story */
    buf_reset(&state);
    CHECK(cluster_story_state(c, 4, &state, &first, &last, &count) == 0);
    CHECK(cluster_load_story(c2, 4, state.data, state.len, &err) == 0);
    ClusterDecision dn2 = cluster_assign(c2, &near);
    for (int k = CF_DATE_AGREE; k <= CF_DATE_NEAR; k++)
        CHECK(fabs(dn2.features[k] - dn.features[k]) < 1e-9);
    /* a state saved before dates were facts (and before leads: SWS3): the
     * same bytes with the facts of other kinds only (its one year, 8
     * bytes) and no lead sums (SWS5 ends with their count, 0 here); the
     * dates say nothing */
    size_t facts_at = state.len - 4 - 4 - 4 * sizeof(Term);
    memcpy(state.data, "SWS3", 4);
    uint32_t n_facts;
    memcpy(&n_facts, state.data + facts_at, 4);
    CHECK_INT(n_facts, 4);
    n_facts = 1;
    memcpy(state.data + facts_at, &n_facts, 4);
    Clusterer *c3 = cluster_new(NULL);
    cluster_report_features(c3, 1);
    add_background(c3);
    CHECK(cluster_load_story(c3, 4, state.data, facts_at + 4 + sizeof(Term), &err) == 0);
    ClusterDecision old = cluster_assign(c3, &same);
    CHECK_INT(old.story_id, 4);
    CHECK(old.features[CF_DATE_AGREE] == 0 && old.features[CF_DATE_CONFLICT] == 0 &&
          old.features[CF_DATE_NEAR] == 0);
    buf_free(&state);
    arena_free(&a);
    cluster_free(c);
    cluster_free(c2);
    cluster_free(c3);
}

/* A damaged state with extreme first and last times loads or is refused,
 * and never makes the time arithmetic overflow (UBSan in the asan build). */
static void test_extreme_state_times(void)
{
    Clusterer *c = cluster_new(NULL);
    add_background(c);
    Arena a = {0};
    Article x[2];
    const int body[] = {1, 2, 40, 41, 42, 43};
    Doc d = make_doc(&a, &x[0], 1790928000, 0x0F0F0F0F0F0F0F0FULL, body, 6, NULL, 0, NULL, 0);
    cluster_add(c, 3, 1, &d);
    Buf state = {0};
    int64_t first, last;
    int count;
    CHECK(cluster_story_state(c, 3, &state, &first, &last, &count) == 0);
    static const int64_t times[][2] = {{INT64_MIN + 2, INT64_MIN + 2}, {INT64_MAX - 2, INT64_MAX - 2},
                                       {INT64_MIN + 2, INT64_MAX - 2}, {INT64_MAX - 2, INT64_MIN + 2}};
    for (size_t k = 0; k < sizeof times / sizeof *times && state.len >= 48; k++) {
        memcpy(state.data + 32, &times[k][0], 8);
        memcpy(state.data + 40, &times[k][1], 8);
        Clusterer *c2 = cluster_new(NULL);
        add_background(c2);
        SwErr err;
        if (cluster_load_story(c2, 3, state.data, state.len, &err) == 0) {
            Doc q = make_doc(&a, &x[1], 1790928900, 0xF0F0F0F0F0F0F0F0ULL, body, 6, NULL, 0, NULL, 0);
            ClusterDecision dq = cluster_assign(c2, &q);
            CHECK(dq.score == dq.score); /* a number */
            cluster_add(c2, dq.story_id ? dq.story_id : 4, 2, &q);
            CHECK(cluster_evict_idle(c2, 1790928900) <= 2);
        }
        cluster_free(c2);
    }
    buf_free(&state);
    arena_free(&a);
    cluster_free(c);
}

static void collect_features(void *ctx, int64_t story_id, const double *f)
{
    (void)story_id;
    memcpy(ctx, f, CLUSTER_FEATURES * sizeof *f);
}

/* The lead: an article whose lead is the story's lead scores 1 on w_lead
 * and one with another lead 0, although their bodies are alike; the
 * built-in model (lead weights 0) does not compute the lead features, a
 * model weighing them and tuning (every candidate's features) do. */
static void test_lead_features(void)
{
    ClusterModel m = cluster_default_model();
    m.w[CF_LEAD] = 1;
    Clusterer *c = cluster_new(&m), *plain = cluster_new(NULL);
    add_background(c);
    add_background(plain);
    Arena a = {0};
    Article x[3];
    const int body[] = {1, 2, 40, 41, 42, 43, 44, 45};
    Doc d1 = make_doc(&a, &x[0], 0, 0x0F0F0F0F0F0F0F0FULL, body, 8, NULL, 0, NULL, 0);
    d1.lead_terms = (TermVec){d1.body_terms.terms + 2, 3}; /* 40 41 42 */
    cluster_add(c, 4, 1, &d1);
    cluster_add(plain, 4, 1, &d1);
    Doc same = make_doc(&a, &x[1], 0, 0xF0F0F0F0F0F0F0F0ULL, body, 8, NULL, 0, NULL, 0);
    same.lead_terms = d1.lead_terms;
    Doc other = make_doc(&a, &x[2], 0, 0x00FF00FF00FF00FFULL, body, 8, NULL, 0, NULL, 0);
    other.lead_terms = (TermVec){other.body_terms.terms + 5, 3}; /* 43 44 45 */
    ClusterDecision ds = cluster_assign(c, &same), dother = cluster_assign(c, &other);
    CHECK_INT(ds.story_id, 4);
    CHECK(ds.features[CF_LEAD] > 0.99);
    CHECK(ds.features[CF_LEAD_BODY] > 0.3);
    CHECK(dother.features[CF_LEAD] < 1e-9);
    CHECK(fabs(dother.features[CF_BODY] - ds.features[CF_BODY]) < 1e-9);
    CHECK(ds.score > dother.score + 0.99);
    ClusterDecision dp = cluster_assign(plain, &same);
    CHECK_INT(dp.story_id, 4);
    CHECK(dp.features[CF_LEAD] == 0 && dp.features[CF_LEAD_BODY] == 0);
    CHECK(fabs(dp.features[CF_BODY] - ds.features[CF_BODY]) < 1e-9);
    double f[CLUSTER_FEATURES] = {0};
    cluster_candidate_features(plain, &same, collect_features, f);
    CHECK(fabs(f[CF_LEAD] - ds.features[CF_LEAD]) < 1e-9);
    CHECK(fabs(f[CF_LEAD_BODY] - ds.features[CF_LEAD_BODY]) < 1e-9);
    /* and the built-in model's decisions after it are again without them */
    dp = cluster_assign(plain, &same);
    CHECK(dp.features[CF_LEAD] == 0);
    arena_free(&a);
    cluster_free(c);
    cluster_free(plain);
}

/* Facts: a story whose members wrote 2008 and name one person agrees with
 * an article writing 2008 and naming them, and conflicts with one writing
 * 2013 and naming another; facts survive the state blob. */
static void test_fact_features(void)
{
    Clusterer *c = cluster_new(NULL);
    cluster_report_features(c, 1);
    add_background(c);
    Arena a = {0};
    Article x[3];
    const int body[] = {1, 2, 40, 41, 42, 43};
    Doc d1 = make_doc(&a, &x[0], 0, 0x0F0F0F0F0F0F0F0FULL, body, 6, NULL, 0, NULL, 0);
    Term f1[] = {{DOC_FACT_ID(DOC_FACT_YEAR, 2008), 2}, {DOC_FACT_ID(DOC_FACT_PERSON, 77), 3}};
    d1.facts = (TermVec){f1, 2};
    cluster_add(c, 4, 1, &d1);
    Doc same = make_doc(&a, &x[1], 0, 0xF0F0F0F0F0F0F0F0ULL, body, 6, NULL, 0, NULL, 0);
    Term f2[] = {{DOC_FACT_ID(DOC_FACT_YEAR, 2008), 1}, {DOC_FACT_ID(DOC_FACT_PERSON, 77), 1}};
    same.facts = (TermVec){f2, 2};
    ClusterDecision ds = cluster_assign(c, &same);
    CHECK_INT(ds.story_id, 4);
    CHECK(ds.features[CF_YEAR_AGREE] > 0.99 && ds.features[CF_YEAR_CONFLICT] < 0.01);
    CHECK(ds.features[CF_PERSON_AGREE] > 0.99);
    CHECK(ds.features[CF_NUMBER_AGREE] == 0 && ds.features[CF_NUMBER_CONFLICT] == 0); /* none stated */
    Doc other = make_doc(&a, &x[2], 0, 0x00FF00FF00FF00FFULL, body, 6, NULL, 0, NULL, 0);
    Term f3[] = {{DOC_FACT_ID(DOC_FACT_YEAR, 2013), 1}, {DOC_FACT_ID(DOC_FACT_PERSON, 78), 2}};
    other.facts = (TermVec){f3, 2};
    ClusterDecision dc = cluster_assign(c, &other);
    CHECK(dc.features[CF_YEAR_CONFLICT] > 0.99 && dc.features[CF_YEAR_AGREE] < 0.01);
    CHECK(dc.features[CF_PERSON_CONFLICT] > 0.99);
    /* both write years: not one-sided; no days on either side */
    CHECK(ds.features[CF_YEAR_ONESIDE] == 0 && dc.features[CF_YEAR_ONESIDE] == 0);
    CHECK(ds.features[CF_DATE_ONESIDE] == 0);
    /* an article writing no year (but a day) against the story that
     * writes years (but no day): one-sided for both kinds, and neither
     * an agreement nor a conflict */
    Article xs;
    Doc silent = make_doc(&a, &xs, 0, 0x0FF00FF00FF00FF0ULL, body, 6, NULL, 0, NULL, 0);
    Term f4[] = {{DOC_FACT_ID(DOC_FACT_PERSON, 77), 1}, {DOC_FACT_ID(DOC_FACT_DATE, DOC_DATE_VALUE(0, 3, 3)), 1}};
    silent.facts = (TermVec){f4, 2};
    ClusterDecision dsil = cluster_assign(c, &silent);
    CHECK(dsil.features[CF_YEAR_ONESIDE] == 1 && dsil.features[CF_DATE_ONESIDE] == 1);
    CHECK(dsil.features[CF_YEAR_AGREE] == 0 && dsil.features[CF_YEAR_CONFLICT] == 0);
    /* an article stating no fact at all against it: one-sided years only */
    Doc bare = make_doc(&a, &xs, 0, 0x0FF00FF00FF00FF0ULL, body, 6, NULL, 0, NULL, 0);
    ClusterDecision dbare = cluster_assign(c, &bare);
    CHECK(dbare.features[CF_YEAR_ONESIDE] == 1 && dbare.features[CF_DATE_ONESIDE] == 0);
    /* a model that weighs the conflict keeps it out */
    ClusterModel m = cluster_default_model();
    m.w[CF_YEAR_CONFLICT] = -1;
    Clusterer *c2 = cluster_new(&m);
    cluster_report_features(c2, 1);
    add_background(c2);
    Buf state = {0};
    int64_t first, last;
    int count;
    CHECK(cluster_story_state(c, 4, &state, &first, &last, &count) == 0);
    SwErr err;
    CHECK(cluster_load_story(c2, 4, state.data, state.len, &err) == 0);
    CHECK_INT(cluster_assign(c2, &same).story_id, 4);
    ClusterDecision dc2 = cluster_assign(c2, &other);
    CHECK(fabs(dc2.features[CF_YEAR_CONFLICT] - dc.features[CF_YEAR_CONFLICT]) < 1e-9);
    CHECK_INT(dc2.story_id, 0);
    buf_free(&state);
    arena_free(&a);
    cluster_free(c);
    cluster_free(c2);
}

typedef struct NoteCtx {
    int64_t *ids;
    size_t *n;
} NoteCtx;

static void note_candidate(void *ctx, int64_t story_id, const double *features)
{
    NoteCtx *nc = ctx;
    (void)features;
    if (*nc->n < 8)
        nc->ids[(*nc->n)++] = story_id;
}

/* Merge pass: two stories of one event (split because the model joins no
 * article by score) become one, the smaller absorbed into the larger with
 * its members, and old ids resolve to the survivor; a story on another
 * event stays; the built-in model never merges. */
static void test_merge_pass(void)
{
    ClusterModel m = cluster_default_model();
    m.threshold = 100; /* no article joins by score */
    m.merge_threshold = 0.3;
    Clusterer *c = cluster_new(&m);
    add_background(c);
    Arena a = {0};
    Article x[4];
    const int b1[] = {40, 41, 42, 43, 44, 45}, b2[] = {40, 41, 42, 43, 46, 47}, other[] = {70, 71, 72, 73, 74, 75};
    const int e1[] = {900, 901};
    Doc d1 = make_doc(&a, &x[0], 1790928900, 0x0F0F0F0F0F0F0F0FULL, b1, 6, NULL, 0, e1, 2);
    Doc d2 = make_doc(&a, &x[1], 1790928900 + 3600, 0xF0F0F0F0F0F0F0F0ULL, b1, 6, NULL, 0, e1, 2);
    Doc d3 = make_doc(&a, &x[2], 1790928900 + 7200, 0x00FF00FF00FF00FFULL, b2, 6, NULL, 0, e1, 2);
    Doc d4 = make_doc(&a, &x[3], 1790928900, 0xFF00FF00FF00FF00ULL, other, 6, NULL, 0, NULL, 0);
    cluster_add(c, 1, 1, &d1);
    cluster_add(c, 1, 2, &d2);
    cluster_add(c, 2, 3, &d3);
    cluster_add(c, 3, 4, &d4);
    ClusterMerge *merges;
    size_t n = cluster_merge_pass(c, &merges);
    CHECK_INT(n, 1);
    CHECK_INT(merges[0].from, 2);
    CHECK_INT(merges[0].into, 1);
    CHECK(merges[0].score >= 0.3);
    free(merges);
    CHECK_INT(cluster_story_resolve(c, 2), 1);
    CHECK_INT(cluster_story_resolve(c, 1), 1);
    CHECK_INT(cluster_story_resolve(c, 3), 3);
    CHECK_INT(cluster_story_resolve(c, 99), 0);
    Buf state = {0};
    int64_t first, last;
    int count;
    CHECK(cluster_story_state(c, 1, &state, &first, &last, &count) == 0);
    CHECK_INT(count, 3);
    CHECK_INT(last, 1790928900 + 7200);
    buf_free(&state);
    /* the absorbed story is no candidate any more; the survivor is */
    Doc q = make_doc(&a, &x[3], 1790928900 + 9000, 0x3C3C3C3C3C3C3C3CULL, b2, 6, NULL, 0, e1, 2);
    int64_t seen[8];
    size_t n_seen = 0;
    cluster_candidate_features(c, &q, note_candidate, &(NoteCtx){seen, &n_seen});
    int has1 = 0, has2 = 0;
    for (size_t i = 0; i < n_seen; i++) {
        has1 |= seen[i] == 1;
        has2 |= seen[i] == 2;
    }
    CHECK(has1 && !has2);
    /* nothing grew since: a second pass does nothing */
    CHECK_INT(cluster_merge_pass(c, &merges), 0);
    free(merges);
    cluster_free(c);

    /* the built-in model never merges */
    Clusterer *d = cluster_new(NULL);
    add_background(d);
    cluster_add(d, 1, 1, &d1);
    cluster_add(d, 2, 3, &d3);
    CHECK_INT(cluster_merge_pass(d, &merges), 0);
    CHECK(merges == NULL);
    cluster_free(d);
    arena_free(&a);
}

/* The candidates of an article are exactly the stories in memory, not
 * absorbed, that share one of its terms and whose newest article is
 * within active_days of it (or that have no time, or the article has
 * none), whatever happened before: a stream whose times go forward, then
 * back (late articles), some undated, articles added to stories long
 * idle, idle stories evicted, stories merged. (Postings set aside stories
 * out of the window for later searches; this checks that nothing set
 * aside is missed.) */
typedef struct RefStory {
    int64_t id;
    uint64_t terms[4];      /* term ids 0..255 held (any part) */
    int64_t last;
    int timed, dead;
} RefStory;

static void note_all(void *ctx, int64_t story_id, const double *features)
{
    NoteCtx *nc = ctx;
    (void)features;
    if (*nc->n < 512)
        nc->ids[(*nc->n)++] = story_id;
}

static uint32_t lcg_next(uint64_t *x)
{
    *x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(*x >> 33);
}

static void test_candidates_across_time(void)
{
    ClusterModel m = cluster_default_model();
    m.max_candidates = 1000; /* every story sharing a term is a candidate */
    m.merge_threshold = 0.2;
    const double active = m.active_days * DAY;
    Clusterer *c = cluster_new(&m);
    enum { STEPS = 1500, MAX_STORIES = 400 };
    RefStory *ref = calloc(MAX_STORIES, sizeof *ref);
    size_t n_ref = 0;
    uint64_t rng = 12345;
    int64_t clock = 1790928900, newest = clock;
    int mismatches = 0, late = 0, undated = 0, revived = 0, evicted = 0, merged = 0;
    for (int step = 0; step < STEPS; step++) {
        uint32_t r = lcg_next(&rng) % 100;
        int64_t t;
        if (r < 8) {
            t = 0;
            undated++;
        } else if (r < 20) {
            t = newest - (int64_t)(5 + lcg_next(&rng) % 40) * DAY; /* late */
            late++;
        } else {
            clock += (int64_t)(lcg_next(&rng) % (DAY / 2));
            t = clock;
        }
        if (t > newest)
            newest = t;
        /* body 1..60, title 100..139, entities 200..229 (at most 15 body
         * terms: all look for candidates) */
        int body[8], title[2], ent[2], nb = 2 + (int)(lcg_next(&rng) % 6), nt = (int)(lcg_next(&rng) % 3),
                                      ne = (int)(lcg_next(&rng) % 3);
        int base = 1 + (int)(lcg_next(&rng) % 50);
        for (int i = 0; i < nb; i++)
            body[i] = base + i; /* ascending */
        for (int i = 0; i < nt; i++)
            title[i] = 100 + (int)(lcg_next(&rng) % 20) * 2 + i;
        for (int i = 0; i < ne; i++)
            ent[i] = 200 + (int)(lcg_next(&rng) % 15) * 2 + i;
        Arena a = {0};
        Article art;
        Doc d = make_doc(&a, &art, t, lcg_next(&rng) | (uint64_t)lcg_next(&rng) << 32, body, nb, title, nt, ent, ne);
        uint64_t q[4] = {0};
        const TermVec *parts[3] = {&d.body_terms, &d.title_terms, &d.entity_terms};
        for (int p = 0; p < 3; p++)
            for (uint32_t i = 0; i < parts[p]->n; i++)
                q[parts[p]->terms[i].id / 64] |= 1ull << (parts[p]->terms[i].id % 64);
        int64_t seen[512];
        size_t n_seen = 0;
        cluster_candidate_features(c, &d, note_all, &(NoteCtx){seen, &n_seen});
        size_t want = 0;
        for (size_t k = 0; k < n_ref; k++) {
            const RefStory *s = &ref[k];
            int shares = (s->terms[0] & q[0]) || (s->terms[1] & q[1]) || (s->terms[2] & q[2]) || (s->terms[3] & q[3]);
            int in_window = !t || !s->timed || (double)t - (double)s->last <= active;
            int found = 0;
            for (size_t i = 0; i < n_seen; i++)
                found |= seen[i] == s->id;
            int expect = !s->dead && shares && in_window;
            want += (size_t)expect;
            if (expect != found)
                mismatches++;
        }
        if (want != n_seen)
            mismatches++;
        /* add it: to a new story, to any live story (one long idle too),
         * or to a candidate */
        uint32_t how = lcg_next(&rng) % 10;
        size_t target = n_ref;
        if (how >= 3 && n_ref > 0) {
            target = lcg_next(&rng) % n_ref;
            for (size_t k = 0; k < n_ref && ref[target].dead; k++)
                target = (target + 1) % n_ref;
            if (ref[target].dead)
                target = n_ref;
            else if (t && ref[target].timed && (double)t - (double)ref[target].last > active)
                revived++;
        }
        if (target == n_ref) {
            if (n_ref == MAX_STORIES) {
                arena_free(&a);
                continue;
            }
            ref[n_ref] = (RefStory){.id = (int64_t)n_ref + 1};
            n_ref++;
        }
        RefStory *s = &ref[target];
        cluster_add(c, s->id, step + 1, &d);
        for (int w = 0; w < 4; w++)
            s->terms[w] |= q[w];
        if (t) {
            if (!s->timed || t > s->last)
                s->last = t;
            s->timed = 1;
        }
        arena_free(&a);
        if (step % 97 == 96) {
            /* the merge pass, then idle stories out of memory */
            ClusterMerge *mg;
            size_t nm = cluster_merge_pass(c, &mg);
            for (size_t k = 0; k < nm; k++) {
                RefStory *from = &ref[mg[k].from - 1], *into = &ref[mg[k].into - 1];
                for (int w = 0; w < 4; w++)
                    into->terms[w] |= from->terms[w];
                if (from->timed && (!into->timed || from->last > into->last))
                    into->last = from->last;
                into->timed |= from->timed;
                from->dead = 1;
                merged++;
            }
            free(mg);
            int64_t *ids;
            cluster_take_dirty(c, &ids);
            free(ids);
            cluster_evict_idle(c, newest);
            for (size_t k = 0; k < n_ref; k++) {
                RefStory *e = &ref[k];
                if (!e->dead && e->timed && (double)newest - (double)e->last > active) {
                    e->dead = 1; /* (never added to again) */
                    evicted++;
                }
            }
        }
    }
    CHECK_INT(mismatches, 0);
    /* the stream did what it is meant to test */
    CHECK(late > 50 && undated > 50 && revived > 20 && evicted > 20 && merged > 0);
    free(ref);
    cluster_free(c);
}

static void test_model_file(void)
{
    char path[] = "/tmp/sw-model-XXXXXX";
    int fd = mkstemp(path);
    const char *text = "# tuned\nthreshold = 0.4\nw_time = 0.1\nmax_candidates = 9\n";
    CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    close(fd);
    ClusterModel m = cluster_default_model();
    SwErr err;
    CHECK(cluster_model_load(path, &m, &err) == 0);
    CHECK(m.threshold == 0.4 && m.w[CF_TIME] == 0.1 && m.max_candidates == 9);
    /* every weight is written and read back */
    for (int k = 0; k < CLUSTER_FEATURES; k++)
        m.w[k] = 0.25 * (k + 1);
    CHECK(cluster_model_save(path, &m, "saved\ntwice", &err) == 0);
    ClusterModel back = cluster_default_model();
    CHECK(cluster_model_load(path, &back, &err) == 0);
    for (int k = 0; k < CLUSTER_FEATURES; k++)
        CHECK(back.w[k] == m.w[k]);
    CHECK(back.threshold == m.threshold && back.bias == m.bias);
    FILE *f = fopen(path, "w");
    fputs("threshold = 0.4\nspeed = 3\n", f);
    fclose(f);
    CHECK(cluster_model_load(path, &m, &err) != 0);
    CHECK(strstr(err.msg, ":2: unknown key \"speed\"") != NULL);
    const char *bad[] = {"threshold = nan\n", "w_body = inf\n", "max_candidates = 1e10\n", "max_candidates = 2.5\n"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        f = fopen(path, "w");
        fputs(bad[i], f);
        fclose(f);
        CHECK(cluster_model_load(path, &m, &err) != 0);
        CHECK(strstr(err.msg, "must be a finite") != NULL);
    }
    unlink(path);
}


/* Idle stories leave memory without changing any decision; a dirty
 * story (state not yet taken) stays; the inverted index forgets them. */
static void test_idle_stories_are_evicted(void)
{
    Clusterer *c = cluster_new(NULL);
    add_background(c);
    Arena a = {0};
    Article x1, x2, x3, x4;
    const int old_body[] = {1, 30, 31, 32, 33};
    const int new_body[] = {1, 40, 41, 42, 43};
    int64_t t0 = 1790928900;
    Doc d1 = make_doc(&a, &x1, t0, 0x0123456789ABCDEFULL, old_body, 5, old_body + 1, 2, NULL, 0);
    Doc d2 = make_doc(&a, &x2, t0 + 30 * DAY, 0x1111111111111111ULL, new_body, 5, new_body + 1, 2, NULL, 0);
    cluster_add(c, 1, 1, &d1);
    cluster_add(c, 2, 2, &d2);
    size_t total;
    CHECK_INT(cluster_story_count(c, &total), 2);
    /* not evicted while its state has not been taken */
    CHECK_INT(cluster_evict_idle(c, t0 + 30 * DAY), 0);
    Doc late = make_doc(&a, &x3, t0 + 31 * DAY, 0x2222222222222222ULL, old_body, 5, old_body + 1, 2, NULL, 0);
    ClusterDecision before = cluster_assign(c, &late);
    int64_t *ids;
    CHECK_INT(cluster_take_dirty(c, &ids), 2);
    free(ids);
    CHECK_INT(cluster_evict_idle(c, 0), 0); /* no time: nothing */
    CHECK_INT(cluster_evict_idle(c, t0 + 30 * DAY), 1);
    CHECK_INT(cluster_story_count(c, &total), 1);
    CHECK_INT(total, 2);
    ClusterDecision after = cluster_assign(c, &late);
    CHECK_INT(after.story_id, before.story_id);
    CHECK(fabs(after.score - before.score) < 1e-12);
    Doc same = make_doc(&a, &x4, t0 + 31 * DAY, 0x3333333333333333ULL, new_body, 5, new_body + 1, 2, NULL, 0);
    CHECK_INT(cluster_assign(c, &same).story_id, 2); /* the active story is still found */
    Buf b = {0};
    int64_t first, last;
    int count;
    CHECK(cluster_story_state(c, 1, &b, &first, &last, &count) < 0); /* gone from memory */
    buf_free(&b);
    arena_free(&a);
    cluster_free(c);
}

/* A story large enough for the hashed lookup scores a short document as
 * the sorted walk does: the same cosine as a direct computation. */
static void test_large_story_cosine(void)
{
    Clusterer *c = cluster_new(NULL);
    add_background(c);
    Arena a = {0};
    enum { BIG = 300 };
    int big[BIG];
    for (int i = 0; i < BIG; i++)
        big[i] = 2000 + i;
    Article x1, x2;
    Doc d1 = make_doc(&a, &x1, 0, 0x0123456789ABCDEFULL, big, BIG, NULL, 0, NULL, 0);
    cluster_add(c, 1, 1, &d1);
    const int q[] = {2000, 2100, 2299, 9999};
    Doc d2 = make_doc(&a, &x2, 0, 0xFEDCBA9876543210ULL, q, 4, NULL, 0, NULL, 0);
    ClusterDecision dec = cluster_assign(c, &d2);
    /* every term has idf log(52/1) + 1 but 9999 (never counted: same), so
     * the cosine is 3 / sqrt(4 * 300) */
    CHECK(fabs(dec.features[CF_BODY] - 3.0 / sqrt(4.0 * BIG)) < 1e-6);
    arena_free(&a);
    cluster_free(c);
}

/* A story with more than a thousand terms keeps the weights of its
 * terms numbered first (hot) in a dense array and the others in its hash
 * index: the cosines, the rare-term share and the related-story score
 * are those of a direct computation, also after terms of both kinds were
 * added to the weighed story, and for hot terms it lacks. */
static void test_hot_terms_of_a_large_story(void)
{
    Clusterer *c = cluster_new(NULL);
    cluster_report_features(c, 1);
    add_background(c); /* terms 1, 2, 3 and 1000-1049 numbered first */
    Arena a = {0};
    enum { BIG = 1500 };
    int big[BIG];
    for (int i = 0; i < BIG; i++)
        big[i] = 2000 + i; /* numbered 53 on: the first 971 hot */
    Article x[5];
    Doc d1 = make_doc(&a, &x[0], 0, 0x0123456789ABCDEFULL, big, BIG, NULL, 0, NULL, 0);
    cluster_add(c, 1, 1, &d1);
    const int q0[] = {2000, 9000};
    Doc d0 = make_doc(&a, &x[1], 0, 0x1111111111111111ULL, q0, 2, NULL, 0, NULL, 0);
    (void)cluster_assign(c, &d0); /* weighs story 1 */
    /* into the weighed story: a hot and a cold term it has, a hot and a
     * cold term it lacks */
    const int more[] = {1, 2000, 3400, 5000};
    Doc d2 = make_doc(&a, &x[2], 0, 0x2222222222222222ULL, more, 4, NULL, 0, NULL, 0);
    cluster_add(c, 1, 2, &d2);
    /* the query: 3 is hot and not in the story, 9999 is not either */
    const int q[] = {1, 3, 2000, 2500, 3400, 5000, 9999};
    Doc dq = make_doc(&a, &x[3], 0, 0x3333333333333333ULL, q, 7, NULL, 0, NULL, 0);
    ClusterDecision dec = cluster_assign(c, &dq); /* (below the threshold:
                                                       the features are story 1's) */
    double idf[7], qn = 0, dot = 0, sn = 0;
    for (int i = 0; i < 7; i++) {
        idf[i] = cluster_idf(c, (uint32_t)q[i]);
        qn += idf[i] * idf[i];
    }
    /* story sums: 2 for 2000 and 3400, 1 for every other term */
    for (int i = 0; i < BIG; i++) {
        double w = (big[i] == 2000 || big[i] == 3400 ? 2.0 : 1.0) * cluster_idf(c, (uint32_t)big[i]);
        sn += w * w;
    }
    sn += idf[0] * idf[0] + idf[5] * idf[5];
    dot = idf[0] * idf[0] + 2 * idf[2] * idf[2] + idf[3] * idf[3] + 2 * idf[4] * idf[4] + idf[5] * idf[5];
    CHECK(fabs(dec.features[CF_BODY] - dot / sqrt(qn * sn)) < 1e-6);
    /* rare terms: all 7 (RARE_TERMS is 8); all but 3 and 9999 in the story */
    double got = 0, total = 0;
    for (int i = 0; i < 7; i++) {
        total += idf[i];
        got += (q[i] == 3 || q[i] == 9999) ? 0 : idf[i];
    }
    CHECK(fabs(dec.features[CF_RARE] - got / total) < 1e-9);
    /* a small story sharing 1, 2000 and 3400: the related score is 0.6 of
     * the body cosine of the two stories (no entities) */
    const int small[] = {1, 2000, 3400};
    Doc d3 = make_doc(&a, &x[4], 0, 0x4444444444444444ULL, small, 3, NULL, 0, NULL, 0);
    cluster_add(c, 2, 3, &d3);
    int64_t ids[2];
    double scores[2];
    CHECK(cluster_related(c, 1, 2, 0.0, ids, scores) == 1);
    CHECK(ids[0] == 2);
    double i1 = cluster_idf(c, 1), i2000 = cluster_idf(c, 2000), i3400 = cluster_idf(c, 3400);
    double d12 = i1 * i1 + 2 * i2000 * i2000 + 2 * i3400 * i3400;
    double n2 = sqrt(i1 * i1 + i2000 * i2000 + i3400 * i3400);
    CHECK(fabs(scores[0] - 0.6 * d12 / (sqrt(sn) * n2)) < 1e-6);
    arena_free(&a);
    cluster_free(c);
}

/* Document frequencies of many terms (the term table grows several
 * times): each IDF is log((N + 1) / (df + 1)) + 1; and IDFs cached by a
 * query are renewed when frequencies change, so that a clusterer queried
 * before a change weighs the article like one that saw the change first. */
static void test_many_frequencies_and_idf_cache(void)
{
    Clusterer *c = cluster_new(NULL);
    enum { N = 5000 };
    for (uint32_t t = 1; t <= N; t++)
        cluster_set_df(c, t * 7919u, (int64_t)(t % 50));
    cluster_set_doc_count(c, 1000);
    for (uint32_t t = 1; t <= N; t += 97)
        CHECK(fabs(cluster_idf(c, t * 7919u) - (log(1001.0 / (double)(t % 50 + 1)) + 1.0)) < 1e-12);
    CHECK(fabs(cluster_idf(c, 3) - (log(1001.0) + 1.0)) < 1e-12); /* never seen: df 0 */

    Clusterer *warm = cluster_new(NULL), *cold = cluster_new(NULL);
    cluster_report_features(warm, 1);
    cluster_report_features(cold, 1);
    add_background(warm);
    add_background(cold);
    Arena a = {0};
    Article x1, x2;
    Doc d1 = make_doc(&a, &x1, 0, 1, storm_a_body, 8, storm_a_title, 3, storm_a_ent, 2);
    Doc q = make_doc(&a, &x2, 0, 2, storm_b_body, 8, storm_b_title, 3, storm_b_ent, 2);
    cluster_add(warm, 1, 1, &d1);
    cluster_add(cold, 1, 1, &d1);
    ClusterDecision before = cluster_assign(warm, &q); /* caches IDFs */
    for (int k = 0; k < 8; k++) {
        cluster_set_df(warm, (uint32_t)storm_a_body[k], 20 + k);
        cluster_set_df(cold, (uint32_t)storm_a_body[k], 20 + k);
    }
    ClusterDecision w = cluster_assign(warm, &q), o = cluster_assign(cold, &q);
    /* the features weighed with the article's current IDFs (story sums
     * keep the weights of their last refresh, by design) */
    static const int by_doc[] = {CF_BODY_MAX, CF_TITLE_MAX, CF_ENTITY_MAX, CF_BODY_TOP3, CF_RARE};
    CHECK(fabs(w.features[CF_BODY_MAX] - before.features[CF_BODY_MAX]) > 1e-6);
    for (int k = 0; k < 5; k++)
        CHECK(w.features[by_doc[k]] == o.features[by_doc[k]]);
    arena_free(&a);
    cluster_free(c);
    cluster_free(warm);
    cluster_free(cold);
}

/* A state saved by one clusterer and loaded by another that numbered its
 * terms differently (it saw other words first) scores alike. */
static void test_state_between_differently_numbered_clusterers(void)
{
    Clusterer *c = cluster_new(NULL), *c2 = cluster_new(NULL);
    cluster_report_features(c, 1);
    cluster_report_features(c2, 1);
    Arena a = {0};
    Article x[4];
    for (int i = 0; i < 30; i++) { /* c2 meets 90 other words first */
        uint32_t *t;
        size_t n;
        int other[] = {7000 + 3 * i, 7001 + 3 * i, 7002 + 3 * i};
        Doc d = make_doc(&a, &x[3], 0, 0, other, 3, NULL, 0, NULL, 0);
        cluster_count_doc(c2, &d, &t, &n);
        free(t);
    }
    add_background(c);
    add_background(c2);
    cluster_set_doc_count(c, 80);
    cluster_set_doc_count(c2, 80);
    Doc d1 = make_doc(&a, &x[0], 0, 1, storm_a_body, 8, storm_a_title, 3, storm_a_ent, 2);
    Doc d2 = make_doc(&a, &x[1], 0, 2, storm_b_body, 8, storm_b_title, 3, storm_b_ent, 2);
    cluster_add(c, 9, 1, &d1);
    cluster_add(c, 9, 2, &d2);
    Buf state = {0};
    int64_t first, last;
    int count;
    CHECK(cluster_story_state(c, 9, &state, &first, &last, &count) == 0);
    SwErr err;
    CHECK(cluster_load_story(c2, 9, state.data, state.len, &err) == 0);
    Doc q = make_doc(&a, &x[2], 0, 3, storm_a_body, 8, storm_b_title, 3, storm_a_ent, 2);
    ClusterDecision d_c = cluster_assign(c, &q), d_c2 = cluster_assign(c2, &q);
    CHECK(d_c.story_id == 9 && d_c2.story_id == 9);
    for (int k = 0; k < CLUSTER_FEATURES; k++)
        CHECK(fabs(d_c.features[k] - d_c2.features[k]) < 1e-12);
    /* and saving again gives the same bytes */
    Buf again = {0};
    CHECK(cluster_story_state(c2, 9, &again, &first, &last, &count) == 0);
    CHECK(again.len == state.len && memcmp(again.data, state.data, state.len) == 0);
    buf_free(&state);
    buf_free(&again);
    arena_free(&a);
    cluster_free(c);
    cluster_free(c2);
}

/* Two stories that score alike: the article joins the older one. */
static void test_tie_goes_to_the_older_story(void)
{
    Clusterer *c = cluster_new(NULL);
    add_background(c);
    Arena a = {0};
    Article x[3];
    Doc d1 = make_doc(&a, &x[0], 0, 1, storm_a_body, 8, storm_a_title, 3, storm_a_ent, 2);
    Doc d2 = make_doc(&a, &x[1], 0, 2, storm_a_body, 8, storm_a_title, 3, storm_a_ent, 2);
    cluster_add(c, 40, 1, &d1);
    cluster_add(c, 30, 2, &d2); /* created second, though its id is lower */
    Doc q = make_doc(&a, &x[2], 0, 3, storm_a_body, 8, storm_a_title, 3, storm_a_ent, 2);
    q.n_words = 10; /* not a near-copy check */
    ClusterDecision dec = cluster_assign(c, &q);
    CHECK_INT(dec.story_id, 40);
    arena_free(&a);
    cluster_free(c);
}


/* cluster_assign computes only the features its model weighs (and fills
 * in the chosen story's others): on a random stream its decisions, scores
 * and reported features must be exactly those of scoring every feature of
 * every candidate (cluster_candidate_features), near-copies included, for
 * models that weigh every feature and models that weigh few. */
typedef struct CandLog {
    size_t n;
    int64_t id[256];
    double f[256][CLUSTER_FEATURES];
} CandLog;

static void log_candidate(void *ctx, int64_t story_id, const double *f)
{
    CandLog *l = ctx;
    if (l->n < 256) {
        l->id[l->n] = story_id;
        memcpy(l->f[l->n], f, sizeof l->f[l->n]);
        l->n++;
    }
}

static uint32_t lcg(uint64_t *st)
{
    *st = *st * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(*st >> 33);
}

/* n distinct ascending ids from base .. base + range - 1. */
static int pick_ids(uint64_t *st, int *out, int n, int range, int base)
{
    int k = 0;
    for (int tries = 0; k < n && tries < 10 * n; tries++) {
        int id = base + (int)(lcg(st) % (uint32_t)range);
        int dup = 0;
        for (int j = 0; j < k && !dup; j++)
            dup = out[j] == id;
        if (!dup)
            out[k++] = id;
    }
    for (int i = 1; i < k; i++) /* ascending */
        for (int j = i; j > 0 && out[j - 1] > out[j]; j--) {
            int x = out[j];
            out[j] = out[j - 1];
            out[j - 1] = x;
        }
    return k;
}

static void check_skipping_model(const ClusterModel *m, uint64_t seed, int report)
{
    enum { DOCS = 300 };
    Clusterer *c = cluster_new(m);
    cluster_report_features(c, report);
    Arena a = {0};
    Article *arts = ARENA_ARRAY(&a, Article, DOCS);
    int64_t *story_of = ARENA_ARRAY(&a, int64_t, DOCS + 1);
    uint64_t *sh = ARENA_ARRAY(&a, uint64_t, DOCS + 1);
    Doc *docs = ARENA_ARRAY(&a, Doc, DOCS);
    uint64_t st = seed;
    int64_t next = 1;
    int joined = 0, copies = 0, mismatches = 0;
    CandLog *log = xmalloc(sizeof *log);
    for (int i = 0; i < DOCS; i++) {
        int body[60], title[8], ent[8];
        /* topics that drift with time, each with its own words (half of
         * them shared with the next topic) and names */
        int topic = (i / 20 + (int)(lcg(&st) % 4)) % 30;
        int nb = pick_ids(&st, body, 10 + (int)(lcg(&st) % 30), 60, 1 + topic * 30);
        int nt = pick_ids(&st, title, 1 + (int)(lcg(&st) % 6), 30, 1 + topic * 30);
        int ne = pick_ids(&st, ent, (int)(lcg(&st) % 4), 6, 5000 + topic * 5);
        int64_t when = 1790928900 + (int64_t)i * 3600 * (1 + (int)(lcg(&st) % 6));
        Doc d = make_doc(&a, &arts[i], when, 0, body, nb, title, nt, ent, ne);
        d.simhash = (uint64_t)lcg(&st) << 32 | lcg(&st);
        d.n_words = lcg(&st) % 4 == 0 ? 20 : 200;
        Term *facts = ARENA_ARRAY(&a, Term, 3);
        uint32_t nf = 0;
        if (lcg(&st) % 2)
            facts[nf++] = (Term){DOC_FACT_ID(DOC_FACT_YEAR, 1990 + topic % 3), 1.0f};
        if (lcg(&st) % 2)
            facts[nf++] = (Term){DOC_FACT_ID(DOC_FACT_PERSON, 100 + (int)(lcg(&st) % 4)), 1.0f};
        if (lcg(&st) % 2)
            facts[nf++] = (Term){DOC_FACT_ID(DOC_FACT_NUMBER, 7 + topic), 2.0f};
        d.facts = (TermVec){facts, nf};
        if (i > 5 && lcg(&st) % 4 == 0) {
            /* a near-copy of an earlier article: its words, a bit or two
             * of its SimHash changed */
            const Doc *o = &docs[lcg(&st) % (uint32_t)i];
            d.body_terms = o->body_terms;
            d.title_terms = o->title_terms;
            d.entity_terms = o->entity_terms;
            d.facts = o->facts;
            d.simhash = o->simhash ^ (1ull << (lcg(&st) % 64));
            d.n_words = 200;
        }
        docs[i] = d;
        sh[i + 1] = d.simhash;
        cluster_count_doc(c, &d, NULL, NULL);
        log->n = 0;
        cluster_candidate_features(c, &d, log_candidate, log);
        /* the decision as cluster_assign documents it, from every feature */
        int64_t want = 0, want_dup = 0;
        double want_score = -1e9;
        const double *want_f = NULL;
        for (size_t k = 0; k < log->n; k++) {
            const double *f = log->f[k];
            double score = cluster_score(m, f);
            if (d.n_words >= 30 && (f[CF_BODY] >= 0.5 || f[CF_BODY_MAX] >= 0.5)) {
                for (int j = 1; j <= i && !want_dup; j++)
                    if (story_of[j] == log->id[k] && simhash_distance(sh[j], d.simhash) <= m->dup_hamming)
                        want_dup = j;
                if (want_dup) {
                    want = log->id[k], want_score = score, want_f = f;
                    break;
                }
            }
            if (score > want_score)
                want = log->id[k], want_score = score, want_f = f;
        }
        if (!want_dup && want_score < m->threshold)
            want = 0;
        ClusterDecision dec = cluster_assign(c, &d);
        if (dec.story_id != want || dec.duplicate_of != want_dup || dec.score != want_score)
            mismatches++;
        /* reported: every feature; else those weighed (the others 0) */
        for (int k = 0; k < CLUSTER_FEATURES && want_f; k++)
            if (dec.features[k] != want_f[k] && (report || m->w[k] != 0 || dec.features[k] != 0))
                mismatches++;
        int64_t story = dec.story_id ? dec.story_id : next++;
        joined += dec.story_id != 0;
        copies += dec.duplicate_of != 0;
        story_of[i + 1] = story;
        cluster_add(c, story, i + 1, &d);
    }
    CHECK_INT(mismatches, 0);
    CHECK(joined > DOCS / 4); /* the stream exercises joins and near-copies */
    CHECK(copies > 0);
    free(log);
    arena_free(&a);
    cluster_free(c);
}

static void test_assign_skips_unweighed_features_exactly(void)
{
    ClusterModel builtin = cluster_default_model(), every = builtin, rare_only = builtin;
    for (int k = 0; k < CLUSTER_FEATURES; k++)
        every.w[k] = 0.1 + 0.05 * k * (k % 3 == 0 ? -1 : 1);
    every.threshold = 0.3;
    rare_only.w[CF_RARE] = 0.4;
    rare_only.w[CF_PERSON_CONFLICT] = -0.2;
    for (int report = 0; report < 2; report++) {
        check_skipping_model(&builtin, 1, report);
        check_skipping_model(&builtin, 2, report);
        check_skipping_model(&every, 3, report);
        check_skipping_model(&rare_only, 4, report);
    }
}

/* Features of every candidate of a document, by story id (up to 8). */
typedef struct FeatCtx {
    int64_t ids[8];
    double f[8][CLUSTER_FEATURES];
    size_t n;
} FeatCtx;

static void note_features(void *ctx, int64_t story_id, const double *f)
{
    FeatCtx *fc = ctx;
    if (fc->n < 8) {
        fc->ids[fc->n] = story_id;
        memcpy(fc->f[fc->n++], f, sizeof fc->f[0]);
    }
}

static const double *features_of(const FeatCtx *fc, int64_t id)
{
    for (size_t i = 0; i < fc->n; i++)
        if (fc->ids[i] == id)
            return fc->f[i];
    return NULL;
}

/* A document with facts and a lead as well (facts: kind, value pairs). */
static Doc make_full_doc(Arena *a, Article *art, int64_t published, uint64_t simhash, const int *body, int nb,
                         const int *ent, int ne, const uint32_t *facts, int nf)
{
    Doc d = make_doc(a, art, published, simhash, body, nb, NULL, 0, ent, ne);
    d.lead_terms.terms = ARENA_ARRAY(a, Term, 3);
    d.lead_terms.n = nb < 2 ? (uint32_t)nb : 2;
    for (uint32_t i = 0; i < d.lead_terms.n; i++)
        d.lead_terms.terms[i] = (Term){(uint32_t)body[i], 1.0f};
    d.facts.terms = ARENA_ARRAY(a, Term, nf + 1);
    d.facts.n = (uint32_t)nf;
    for (int i = 0; i < nf; i++)
        d.facts.terms[i] = (Term){facts[i], 1.0f};
    return d;
}

/* Taking an article out of a story leaves the story it would be without
 * it: every feature of a probe against it is that against a story built
 * of the other members alone, and so are its span and count; a story
 * left with no member is no candidate. */
static void test_remove_gives_the_story_without_it(void)
{
    ClusterModel m = cluster_default_model();
    for (int k = 0; k < CLUSTER_FEATURES; k++)
        m.w[k] = 0.1; /* every feature computed */
    Clusterer *c = cluster_new(&m);
    add_background(c);
    cluster_report_features(c, 1);
    Arena a = {0};
    Article x[8];
    const int b1[] = {40, 41, 42, 43, 44, 45}, b2[] = {40, 41, 46, 47, 48}, b3[] = {41, 49, 50, 51, 52, 53, 54};
    const int e1[] = {900, 901}, e3[] = {901, 902, 903};
    const uint32_t f1[] = {DOC_FACT_ID(DOC_FACT_YEAR, 2013), DOC_FACT_ID(DOC_FACT_PERSON, 77)};
    const uint32_t f3[] = {DOC_FACT_ID(DOC_FACT_YEAR, 2008), DOC_FACT_ID(DOC_FACT_PERSON, 77),
                           DOC_FACT_ID(DOC_FACT_NUMBER, 37)};
    const int64_t t0 = 1790928900;
    Doc d1 = make_full_doc(&a, &x[0], t0, 0x0F0F0F0F0F0F0F0FULL, b1, 6, e1, 2, f1, 2);
    Doc d2 = make_full_doc(&a, &x[1], t0 + 3600, 0xF0F0F0F0F0F0F0F0ULL, b2, 5, e1, 1, f1, 1);
    Doc d3 = make_full_doc(&a, &x[2], t0 + 5 * DAY, 0x00FF00FF00FF00FFULL, b3, 7, e3, 3, f3, 3);
    /* story 1: d1, d3, d2 (d3 in the middle); story 2: d1, d2 */
    cluster_add(c, 1, 1, &d1);
    cluster_add(c, 1, 3, &d3);
    cluster_add(c, 1, 2, &d2);
    cluster_add(c, 2, 11, &d1);
    cluster_add(c, 2, 12, &d2);
    CHECK_INT(cluster_remove(c, 1, 3, &d3), 0);
    CHECK_INT(cluster_remove(c, 1, 3, &d3), -1); /* no member any more */
    CHECK_INT(cluster_remove(c, 99, 3, &d3), -1);
    Buf st = {0};
    int64_t first1, last1, first2, last2;
    int count1, count2;
    CHECK(cluster_story_state(c, 1, &st, &first1, &last1, &count1) == 0);
    size_t len1 = st.len;
    buf_reset(&st);
    CHECK(cluster_story_state(c, 2, &st, &first2, &last2, &count2) == 0);
    CHECK_INT(count1, 2);
    CHECK_INT(first1, first2);
    CHECK_INT(last1, t0 + 3600); /* d3's later time left the span */
    CHECK_INT(last2, last1);
    CHECK_INT(len1, st.len); /* the same terms (none left at 0 saved) */
    buf_free(&st);
    /* probes: one like d3, one like d1, at d3's time */
    const int *probes[2] = {b3, b1};
    int np[2] = {7, 6};
    const int *pe[2] = {e3, e1};
    int ne[2] = {3, 2};
    const uint32_t *pf[2] = {f3, f1};
    int nf[2] = {3, 2};
    for (int p = 0; p < 2; p++) {
        Doc q = make_full_doc(&a, &x[3 + p], t0 + 5 * DAY, 0x3C3C3C3C3C3C3C3CULL, probes[p], np[p], pe[p], ne[p],
                              pf[p], nf[p]);
        FeatCtx fc = {0};
        cluster_candidate_features(c, &q, note_features, &fc);
        const double *g1 = features_of(&fc, 1), *g2 = features_of(&fc, 2);
        CHECK(g1 && g2);
        for (int k = 0; k < CLUSTER_FEATURES && g1 && g2; k++)
            if (fabs(g1[k] - g2[k]) > 1e-5) {
                fprintf(stderr, "probe %d feature %s: %.6f after removal, %.6f without\n", p,
                        cluster_feature_names[k], g1[k], g2[k]);
                CHECK(0);
            }
    }
    /* a story emptied is no candidate */
    cluster_add(c, 5, 20, &d3);
    Doc q = make_full_doc(&a, &x[5], t0 + 5 * DAY, 0x3C3C3C3C3C3C3C3CULL, b3, 7, e3, 3, f3, 3);
    FeatCtx fc = {0};
    cluster_candidate_features(c, &q, note_features, &fc);
    CHECK(features_of(&fc, 5) != NULL);
    CHECK_INT(cluster_remove(c, 5, 20, &d3), 0);
    memset(&fc, 0, sizeof fc);
    cluster_candidate_features(c, &q, note_features, &fc);
    CHECK(features_of(&fc, 5) == NULL);
    CHECK(features_of(&fc, 1) != NULL);
    ClusterDecision dec = cluster_assign(c, &q);
    CHECK(dec.story_id != 5);
    /* the merge pass takes no emptied story either, and the story that
     * lost an article still saves and reloads */
    ClusterMerge *merges;
    cluster_merge_pass(c, &merges);
    free(merges);
    Buf blob = {0};
    int64_t f, l;
    int n;
    if (cluster_story_resolve(c, 1) == 1) {
        CHECK(cluster_story_state(c, 1, &blob, &f, &l, &n) == 0);
        Clusterer *c2 = cluster_new(&m);
        SwErr err;
        CHECK(cluster_load_story(c2, 1, blob.data, blob.len, &err) == 0);
        cluster_free(c2);
    }
    buf_free(&blob);
    cluster_free(c);
    arena_free(&a);
}

/* A story read from a saved state, then grown: taking the new article
 * out gives back the saved story's span (its members' own times are not
 * in the state), and taking out the newest of several new ones gives the
 * span of the rest. */
static void test_remove_from_a_loaded_story(void)
{
    Clusterer *c = cluster_new(NULL);
    add_background(c);
    Arena a = {0};
    Article x[4];
    const int b[] = {40, 41, 42, 43};
    const int64_t t0 = 1790928900;
    Doc d1 = make_doc(&a, &x[0], t0, 0x0F0F0F0F0F0F0F0FULL, b, 4, NULL, 0, NULL, 0);
    Doc d2 = make_doc(&a, &x[1], t0 + DAY, 0xF0F0F0F0F0F0F0F0ULL, b, 4, NULL, 0, NULL, 0);
    Doc d3 = make_doc(&a, &x[2], t0 + 3 * DAY, 0x00FF00FF00FF00FFULL, b, 4, NULL, 0, NULL, 0);
    Doc d4 = make_doc(&a, &x[3], t0 - DAY, 0xFF00FF00FF00FF00ULL, b, 4, NULL, 0, NULL, 0);
    cluster_add(c, 1, 1, &d1);
    cluster_add(c, 1, 2, &d2);
    Buf st = {0};
    int64_t f, l;
    int n;
    CHECK(cluster_story_state(c, 1, &st, &f, &l, &n) == 0);
    Clusterer *c2 = cluster_new(NULL);
    add_background(c2);
    SwErr err;
    CHECK(cluster_load_story(c2, 1, st.data, st.len, &err) == 0);
    cluster_add(c2, 1, 3, &d3);
    cluster_add(c2, 1, 4, &d4);
    CHECK_INT(cluster_remove(c2, 1, 3, &d3), 0);
    buf_reset(&st);
    CHECK(cluster_story_state(c2, 1, &st, &f, &l, &n) == 0);
    CHECK_INT(f, t0 - DAY);
    CHECK_INT(l, t0 + DAY); /* the saved story's last article */
    CHECK_INT(n, 3);
    CHECK_INT(cluster_remove(c2, 1, 4, &d4), 0);
    buf_reset(&st);
    CHECK(cluster_story_state(c2, 1, &st, &f, &l, &n) == 0);
    CHECK_INT(f, t0);
    CHECK_INT(l, t0 + DAY);
    CHECK_INT(n, 2);
    buf_free(&st);
    cluster_free(c);
    cluster_free(c2);
    arena_free(&a);
}

static int64_t next_id(void *ctx)
{
    return (*(int64_t *)ctx)++;
}

/* The revision pass: an article that started a story of its own when
 * its event's story held one article that said little joins it once the
 * story has grown; its own story, left empty, is reported as merged into
 * it and is no candidate. An article that fits nowhere leaves its story
 * to be alone; a near-copy follows the article it copies. The built-in
 * model (revise_rounds 0) moves nothing. */
static void test_revision_moves_a_misplaced_article(void)
{
    ClusterModel m = cluster_default_model();
    m.threshold = 0.3;
    m.revise_rounds = 1;
    Arena a = {0};
    Article x[9];
    /* event A: a1 says little; x shares only part of it; a2, a3 tell
     * the whole story, x's part included; a4 (and a5, its near-copy)
     * repeat a2; o1-o3 are another subject */
    const int a1b[] = {40, 41, 42, 43}, xb[] = {42, 43, 44, 45, 46, 47}, a2b[] = {40, 41, 42, 43, 44},
              a3b[] = {40, 41, 42, 43, 44, 45, 46, 47}, ob[] = {70, 71, 72, 73, 74, 75};
    const int ea[] = {500}, e2[] = {500, 501}, eo[] = {600};
    Doc docs_v[9];
    docs_v[0] = make_doc(&a, &x[0], 0, 0x0F0F0F0F0F0F0F0FULL, a1b, 4, NULL, 0, ea, 1);
    docs_v[1] = make_doc(&a, &x[1], 0, 0xF0F0F0F0F0F0F0F0ULL, xb, 6, NULL, 0, e2, 2);
    docs_v[2] = make_doc(&a, &x[2], 0, 0x00FF00FF00FF00FFULL, a2b, 5, NULL, 0, ea, 1);
    docs_v[3] = make_doc(&a, &x[3], 0, 0x3333333333333333ULL, a3b, 8, NULL, 0, e2, 2);
    docs_v[4] = make_doc(&a, &x[4], 0, 0xC3C3C3C3C3C3C3C3ULL, ob, 6, NULL, 0, eo, 1);
    docs_v[5] = make_doc(&a, &x[5], 0, 0x5555555555555555ULL, ob, 6, NULL, 0, eo, 1);
    docs_v[6] = make_doc(&a, &x[6], 0, 0x6666666666666666ULL, ob, 6, NULL, 0, eo, 1);
    docs_v[7] = make_doc(&a, &x[7], 0, 0xFF00FF00FF00FF00ULL, a2b, 5, NULL, 0, ea, 1);
    docs_v[8] = make_doc(&a, &x[8], 0, 0xFF00FF00FF00FF03ULL, a2b, 5, NULL, 0, ea, 1); /* a copy of a4 */
    for (int builtin = 0; builtin < 2; builtin++) {
        ClusterModel mm = m;
        if (builtin)
            mm.revise_rounds = 0;
        Clusterer *c = cluster_new(&mm);
        add_background(c);
        /* as a wrong online run could leave them: a1, a2, a3 in story 1;
         * x alone in story 2; a4 and its copy with three articles on
         * another subject in story 3 */
        const Doc *docs[9];
        int64_t ids[9], story[9] = {1, 2, 1, 1, 3, 3, 3, 3, 3}, dup[9] = {0, 0, 0, 0, 0, 0, 0, 0, 8}, next = 100;
        for (int i = 0; i < 9; i++) {
            docs[i] = &docs_v[i];
            ids[i] = i + 1;
            cluster_add(c, story[i], ids[i], docs[i]);
        }
        int64_t placed[9];
        memcpy(placed, story, sizeof placed);
        ClusterMove *moves;
        ClusterMerge *emptied;
        size_t n_emptied;
        size_t n = cluster_revise(c, docs, ids, dup, story, 9, next_id, &next, &moves, &emptied, &n_emptied);
        if (builtin) {
            CHECK_INT(n, 0);
            CHECK_INT(n_emptied, 0);
            CHECK(memcmp(placed, story, sizeof story) == 0);
        } else {
            /* x joins A, emptying story 2; a4 goes to A with its copy */
            int64_t want[9] = {1, 1, 1, 1, 3, 3, 3, 1, 1};
            for (int i = 0; i < 9; i++)
                CHECK_INT(story[i], want[i]);
            CHECK_INT(n, 3);
            CHECK_INT(n_emptied, 1);
            if (n == 3) {
                CHECK_INT(moves[0].index, 1);
                CHECK_INT(moves[0].from, 2);
                CHECK_INT(moves[0].to, 1);
                CHECK(moves[0].score >= m.threshold);
                CHECK_INT(moves[1].index, 7);
                CHECK_INT(moves[2].index, 8); /* the copy follows */
                CHECK_INT(moves[2].from, 3);
            }
            if (n_emptied == 1) {
                CHECK_INT(emptied[0].from, 2);
                CHECK_INT(emptied[0].into, 1);
            }
            CHECK_INT(cluster_story_resolve(c, 2), 1);
            CHECK_INT(cluster_story_resolve(c, 3), 3);
            /* the emptied story is no candidate */
            FeatCtx fc = {0};
            cluster_candidate_features(c, docs[1], note_features, &fc);
            CHECK(features_of(&fc, 2) == NULL);
            CHECK(features_of(&fc, 1) != NULL);
            Buf st = {0};
            int64_t f, l;
            int cnt;
            CHECK(cluster_story_state(c, 1, &st, &f, &l, &cnt) == 0);
            CHECK_INT(cnt, 6);
            buf_reset(&st);
            CHECK(cluster_story_state(c, 3, &st, &f, &l, &cnt) == 0);
            CHECK_INT(cnt, 3);
            buf_free(&st);
            int64_t *dirty;
            size_t nd = cluster_take_dirty(c, &dirty);
            for (size_t k = 0; k < nd; k++)
                CHECK(dirty[k] != 2); /* nothing of it to save */
            free(dirty);
            /* a second pass moves nothing */
            free(moves);
            free(emptied);
            CHECK_INT(cluster_revise(c, docs, ids, dup, story, 9, next_id, &next, &moves, &emptied, &n_emptied), 0);
        }
        free(moves);
        free(emptied);
        cluster_free(c);
    }
    /* an article that fits nowhere leaves a story to be alone */
    Clusterer *c = cluster_new(&m);
    add_background(c);
    const Doc *docs[2] = {&docs_v[0], &docs_v[5]};
    int64_t ids[2] = {1, 2}, story[2] = {7, 7}, dup[2] = {0, 0}, next = 100;
    cluster_add(c, 7, 1, docs[0]);
    cluster_add(c, 7, 2, docs[1]);
    ClusterMove *moves;
    ClusterMerge *emptied;
    size_t n_emptied;
    size_t n = cluster_revise(c, docs, ids, dup, story, 2, next_id, &next, &moves, &emptied, &n_emptied);
    CHECK_INT(n, 1);
    CHECK_INT(story[0], 100); /* the first leaves (the second then stays: alone) */
    CHECK_INT(story[1], 7);
    CHECK_INT(n_emptied, 0);
    if (n == 1) {
        CHECK_INT(moves[0].index, 0);
        CHECK_INT(moves[0].from, 7);
        CHECK_INT(moves[0].to, 100);
    }
    free(moves);
    free(emptied);
    cluster_free(c);
    arena_free(&a);
}

int main(void)
{
    RUN(test_same_event_joins_and_other_event_starts_new);
    RUN(test_time_distance_separates_identical_vocabulary);
    RUN(test_near_copy_is_marked_duplicate);
    RUN(test_state_round_trip_gives_same_decisions);
    RUN(test_related_finds_the_story_sharing_entities);
    RUN(test_max_link_feature_sees_the_closest_member);
    RUN(test_sketches_survive_the_state_blob);
    RUN(test_extreme_state_times);
    RUN(test_rare_term_share);
    RUN(test_fact_features);
    RUN(test_date_features);
    RUN(test_lead_features);
    RUN(test_merge_pass);
    RUN(test_candidates_across_time);
    RUN(test_model_file);
    RUN(test_idle_stories_are_evicted);
    RUN(test_large_story_cosine);
    RUN(test_hot_terms_of_a_large_story);
    RUN(test_many_frequencies_and_idf_cache);
    RUN(test_state_between_differently_numbered_clusterers);
    RUN(test_tie_goes_to_the_older_story);
    RUN(test_assign_skips_unweighed_features_exactly);
    RUN(test_remove_gives_the_story_without_it);
    RUN(test_remove_from_a_loaded_story);
    RUN(test_revision_moves_a_misplaced_article);
    return test_summary("cluster");
}
