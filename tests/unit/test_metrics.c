/* test_metrics.c - clustering scores against values worked out by hand
 * (and checked with a direct pair-by-pair Python implementation). */
#include <math.h>
#include <stdint.h>

#include "eval/metrics.h"
#include "test.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define CHECK_NEAR(got, want) CHECK(fabs((got) - (want)) < 1e-6)

static ClusterScores score(const int64_t *gold, const int64_t *pred, size_t n)
{
    ClusterScores s;
    eval_cluster_scores(gold, pred, n, &s);
    return s;
}

static void check_all_one(const ClusterScores *s)
{
    CHECK_NEAR(s->bcubed_p, 1);
    CHECK_NEAR(s->bcubed_r, 1);
    CHECK_NEAR(s->bcubed_f1, 1);
    CHECK_NEAR(s->pairwise_p, 1);
    CHECK_NEAR(s->pairwise_r, 1);
    CHECK_NEAR(s->pairwise_f1, 1);
    CHECK_NEAR(s->ari, 1);
    CHECK_NEAR(s->nmi, 1);
}

static void test_perfect_clustering_scores_one_whatever_the_label_values(void)
{
    int64_t gold[] = {7, 7, 7, 2, 2, 9, 4, 4, 4, 4};
    int64_t pred[] = {100, 100, 100, -5, -5, 0, 31, 31, 31, 31};
    ClusterScores s = score(gold, pred, N_OF(gold));
    CHECK_INT(s.n, 10);
    CHECK_INT(s.gold_clusters, 4);
    CHECK_INT(s.clusters, 4);
    check_all_one(&s);
}

static void test_identical_singletons_and_identical_single_cluster_score_one(void)
{
    int64_t a[] = {1, 2, 3, 4}, b[] = {40, 30, 20, 10};
    ClusterScores s = score(a, b, 4);
    CHECK_INT(s.clusters, 4);
    check_all_one(&s);
    int64_t c[] = {5, 5, 5}, d[] = {8, 8, 8};
    s = score(c, d, 3);
    CHECK_INT(s.clusters, 1);
    check_all_one(&s);
}

/* gold {0,1} {2,3}; everything put in one cluster */
static void test_all_in_one_cluster(void)
{
    int64_t gold[] = {0, 0, 1, 1}, pred[] = {0, 0, 0, 0};
    ClusterScores s = score(gold, pred, 4);
    CHECK_INT(s.clusters, 1);
    CHECK_NEAR(s.bcubed_p, 0.5);
    CHECK_NEAR(s.bcubed_r, 1.0);
    CHECK_NEAR(s.bcubed_f1, 2.0 / 3);
    CHECK_NEAR(s.pairwise_p, 1.0 / 3); /* 2 of 6 pairs right */
    CHECK_NEAR(s.pairwise_r, 1.0);
    CHECK_NEAR(s.pairwise_f1, 0.5);
    CHECK_NEAR(s.ari, 0.0);
    CHECK_NEAR(s.nmi, 0.0); /* one cluster tells nothing */
}

/* gold {0,1} {2,3}; every item alone */
static void test_all_singletons(void)
{
    int64_t gold[] = {0, 0, 1, 1}, pred[] = {0, 1, 2, 3};
    ClusterScores s = score(gold, pred, 4);
    CHECK_INT(s.clusters, 4);
    CHECK_NEAR(s.bcubed_p, 1.0);
    CHECK_NEAR(s.bcubed_r, 0.5);
    CHECK_NEAR(s.bcubed_f1, 2.0 / 3);
    CHECK_NEAR(s.pairwise_p, 1.0); /* no pair claimed, none wrong */
    CHECK_NEAR(s.pairwise_r, 0.0);
    CHECK_NEAR(s.pairwise_f1, 0.0);
    CHECK_NEAR(s.ari, 0.0);
    CHECK_NEAR(s.nmi, 2.0 / 3); /* MI log 2 over mean(log 2, log 4) */
}

/* gold {0,1} {2,3}; predicted {0,1,2} {3} */
static void test_small_known_example(void)
{
    int64_t gold[] = {0, 0, 1, 1}, pred[] = {0, 0, 0, 1};
    ClusterScores s = score(gold, pred, 4);
    /* precision per item 2/3, 2/3, 1/3, 1; recall 1, 1, 1/2, 1/2 */
    CHECK_NEAR(s.bcubed_p, 2.0 / 3);
    CHECK_NEAR(s.bcubed_r, 0.75);
    CHECK_NEAR(s.bcubed_f1, 12.0 / 17);
    /* predicted pairs 01 02 12, one right; gold pairs 01 23 */
    CHECK_NEAR(s.pairwise_p, 1.0 / 3);
    CHECK_NEAR(s.pairwise_r, 0.5);
    CHECK_NEAR(s.pairwise_f1, 0.4);
    /* index 1, expected 2*3/6 = 1, max (2+3)/2: (1-1)/(2.5-1) */
    CHECK_NEAR(s.ari, 0.0);
    CHECK_NEAR(s.nmi, 0.3437110185);
}

/* scikit-learn's documented example: ARI([0,0,1,2],[0,0,1,1]) = 0.57 */
static void test_ari_and_nmi_of_a_merge(void)
{
    int64_t gold[] = {0, 0, 1, 2}, pred[] = {0, 0, 1, 1};
    ClusterScores s = score(gold, pred, 4);
    CHECK_NEAR(s.ari, 4.0 / 7);
    CHECK_NEAR(s.nmi, 0.8);
    CHECK_NEAR(s.bcubed_p, 0.75);
    CHECK_NEAR(s.bcubed_r, 1.0);
    CHECK_NEAR(s.pairwise_f1, 2.0 / 3);
}

static void test_worse_than_chance_gives_negative_ari(void)
{
    int64_t gold[] = {0, 0, 1, 1}, pred[] = {0, 1, 0, 1};
    ClusterScores s = score(gold, pred, 4);
    CHECK_NEAR(s.ari, -0.5);
    CHECK_NEAR(s.nmi, 0.0);
    CHECK_NEAR(s.pairwise_p, 0.0);
    CHECK_NEAR(s.pairwise_f1, 0.0);
    CHECK_NEAR(s.bcubed_f1, 0.5);
}

/* three gold classes of 4, 3, 3; one item of the first moved to the second */
static void test_larger_example(void)
{
    int64_t gold[] = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2};
    int64_t pred[] = {5, 5, 5, 7, 7, 7, 7, 9, 9, 9};
    ClusterScores s = score(gold, pred, N_OF(gold));
    CHECK_NEAR(s.bcubed_p, 0.85);
    CHECK_NEAR(s.bcubed_r, 0.85);
    CHECK_NEAR(s.pairwise_p, 0.75);
    CHECK_NEAR(s.pairwise_r, 0.75);
    CHECK_NEAR(s.ari, 0.6590909091);
    CHECK_NEAR(s.nmi, 0.7934300092);
}

static void test_empty_input_scores_zero(void)
{
    ClusterScores s = score(NULL, NULL, 0);
    CHECK_INT(s.n, 0);
    CHECK_INT(s.clusters, 0);
    CHECK_NEAR(s.bcubed_f1, 0);
}

static void test_f1(void)
{
    CHECK_NEAR(eval_f1(0, 0), 0);
    CHECK_NEAR(eval_f1(1, 0.5), 2.0 / 3);
}

int main(void)
{
    RUN(test_perfect_clustering_scores_one_whatever_the_label_values);
    RUN(test_identical_singletons_and_identical_single_cluster_score_one);
    RUN(test_all_in_one_cluster);
    RUN(test_all_singletons);
    RUN(test_small_known_example);
    RUN(test_ari_and_nmi_of_a_merge);
    RUN(test_worse_than_chance_gives_negative_ari);
    RUN(test_larger_example);
    RUN(test_empty_input_scores_zero);
    RUN(test_f1);
    return test_summary("test_metrics");
}
