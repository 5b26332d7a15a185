/* test_learn.c - the logistic and listwise fits of the clustering model
 * and their bagged mean (src/story/learn.c). */
#include <math.h>
#include <stdlib.h>

#include "story/learn.h"
#include "test.h"

/* A small stream of articles: each group is one article's candidates
 * with two features (a similarity, and a constant) and whether it is the
 * article's story. Articles 0, 3, 6... start a story (no positive; their
 * candidates look unlike them), the others have one positive, closer
 * than their negatives; one article in 4 has a far positive, so the
 * classes overlap and the optimum is finite. */
enum { GROUPS = 40, PER = 3 };
static double X[GROUPS * PER * 2];
static unsigned char Y[GROUPS * PER];
static size_t START[GROUPS + 1];
static int64_t KEY[GROUPS];

static LearnSet make_set(void)
{
    size_t r = 0;
    for (size_t g = 0; g < GROUPS; g++) {
        START[g] = r;
        KEY[g] = (int64_t)(g / 3);
        int first = g % 3 == 0, hard = g % 4 == 1;
        for (int j = 0; j < PER; j++) {
            int pos = !first && j == 0;
            double sim = pos ? (hard ? 0.35 : 0.6 + 0.01 * (double)(g % 7)) : 0.1 + 0.05 * j + 0.01 * (double)(g % 5);
            if (first)
                sim += 0.15; /* the closest unlike story of a first article */
            X[r * 2] = sim;
            X[r * 2 + 1] = 1.0; /* never varies */
            Y[r] = (unsigned char)pos;
            r++;
        }
    }
    START[GROUPS] = r;
    LearnSet s = {X, Y, r, 2, START, GROUPS, KEY};
    return s;
}

static double score(const double *w, const double *x)
{
    return w[2] + w[0] * x[0] + w[1] * x[1];
}

static void test_logistic_weighs_the_similarity_and_not_a_constant(void)
{
    LearnSet s = make_set();
    double w[3];
    learn_fit(&s, LEARN_LOGISTIC, 1e-3, NULL, w);
    CHECK(w[0] > 1);
    CHECK(w[1] == 0);
    /* the positives score above the negatives on the whole */
    double pos = 0, neg = 0;
    int np = 0, nn = 0;
    for (size_t i = 0; i < s.n; i++) {
        if (Y[i]) {
            pos += score(w, X + i * 2);
            np++;
        } else {
            neg += score(w, X + i * 2);
            nn++;
        }
    }
    CHECK(pos / np > neg / nn);
}

static void test_listwise_learns_join_or_start_a_story(void)
{
    LearnSet s = make_set();
    double w[3];
    learn_fit(&s, LEARN_LISTWISE, 1e-3, NULL, w);
    CHECK(w[0] > 1);
    CHECK(w[1] == 0);
    /* the decision "best candidate if its score >= 0, else a new story"
     * is right for every article but the ones with a far positive */
    int right = 0, total = 0;
    for (size_t g = 0; g < GROUPS; g++) {
        if (g % 4 == 1 && g % 3 != 0)
            continue;
        size_t best = START[g];
        for (size_t i = START[g]; i < START[g + 1]; i++)
            if (score(w, X + i * 2) > score(w, X + best * 2))
                best = i;
        int joins = score(w, X + best * 2) >= 0;
        int want_join = g % 3 != 0;
        right += joins == want_join && (!joins || Y[best]);
        total++;
    }
    CHECK_INT(right, total);
}

static void test_listwise_fit_is_a_minimum_of_its_loss(void)
{
    LearnSet s = make_set();
    double w[3], zero[3] = {0, 0, 0};
    learn_fit(&s, LEARN_LISTWISE, 1e-9, NULL, w);
    double at = learn_loss(&s, LEARN_LISTWISE, NULL, w);
    CHECK(at < learn_loss(&s, LEARN_LISTWISE, NULL, zero));
    for (int k = 0; k < 3; k += 2)
        for (int sign = -1; sign <= 1; sign += 2) {
            double v[3] = {w[0], w[1], w[2]};
            v[k] += sign * 0.05;
            CHECK(learn_loss(&s, LEARN_LISTWISE, NULL, v) > at);
        }
    /* a loss is never negative; an article with no candidate costs nothing */
    CHECK(at > 0);
}

static void test_a_group_weighing_two_is_the_group_twice(void)
{
    LearnSet s = make_set();
    /* the same set with group 5 written twice */
    static double x2[(GROUPS + 1) * PER * 2];
    static unsigned char y2[(GROUPS + 1) * PER];
    static size_t st2[GROUPS + 2];
    size_t r = 0;
    for (size_t g = 0; g <= GROUPS; g++) {
        size_t src = g <= 5 ? g : g - 1;
        st2[g] = r;
        for (size_t i = START[src]; i < START[src + 1]; i++, r++) {
            x2[r * 2] = X[i * 2];
            x2[r * 2 + 1] = X[i * 2 + 1];
            y2[r] = Y[i];
        }
    }
    st2[GROUPS + 1] = r;
    LearnSet d = {x2, y2, r, 2, st2, GROUPS + 1, NULL};
    double gw[GROUPS];
    for (size_t g = 0; g < GROUPS; g++)
        gw[g] = g == 5 ? 2 : 1;
    for (int loss = 0; loss < 2; loss++) {
        double a[3], b[3];
        learn_fit(&s, (LearnLoss)loss, 1e-9, gw, a);
        learn_fit(&d, (LearnLoss)loss, 1e-9, NULL, b);
        CHECK(fabs(a[0] - b[0]) < 1e-3 * (1 + fabs(b[0])));
        CHECK(fabs(a[2] - b[2]) < 1e-3 * (1 + fabs(b[2])));
    }
}

static void test_bagging_is_repeatable_and_near_the_plain_fit(void)
{
    LearnSet s = make_set();
    double plain[3], a[3], b[3], c[3], once[3];
    learn_fit(&s, LEARN_LISTWISE, 1e-3, NULL, plain);
    learn_bagged(&s, LEARN_LISTWISE, 1e-3, 10, 7, a);
    learn_bagged(&s, LEARN_LISTWISE, 1e-3, 10, 7, b);
    learn_bagged(&s, LEARN_LISTWISE, 1e-3, 10, 8, c);
    CHECK(a[0] == b[0] && a[2] == b[2]);
    CHECK(a[0] != c[0]);
    CHECK(a[0] > 1 && a[1] == 0);
    CHECK(fabs(a[0] - plain[0]) < 0.5 * fabs(plain[0]));
    /* no bags: the plain fit */
    learn_bagged(&s, LEARN_LISTWISE, 1e-3, 0, 7, once);
    CHECK(once[0] == plain[0] && once[2] == plain[2]);
}

static void test_bad_sets_give_zero_weights(void)
{
    LearnSet s = make_set();
    double w[3] = {1, 1, 1};
    s.n = 0;
    learn_fit(&s, LEARN_LOGISTIC, 1e-3, NULL, w);
    CHECK(w[0] == 0 && w[1] == 0 && w[2] == 0);
    s = make_set();
    s.start = NULL; /* listwise needs the groups */
    w[0] = 1;
    learn_fit(&s, LEARN_LISTWISE, 1e-3, NULL, w);
    CHECK(w[0] == 0);
    /* the logistic fit does not: each row is its own group */
    learn_fit(&s, LEARN_LOGISTIC, 1e-3, NULL, w);
    CHECK(w[0] > 1);
    learn_bagged(&s, LEARN_LOGISTIC, 1e-3, 3, 1, w);
    CHECK(w[0] > 1);
}

int main(void)
{
    RUN(test_logistic_weighs_the_similarity_and_not_a_constant);
    RUN(test_listwise_learns_join_or_start_a_story);
    RUN(test_listwise_fit_is_a_minimum_of_its_loss);
    RUN(test_a_group_weighing_two_is_the_group_twice);
    RUN(test_bagging_is_repeatable_and_near_the_plain_fit);
    RUN(test_bad_sets_give_zero_weights);
    return test_summary("test_learn");
}
