/* learn.h - fitting a linear scoring model to labelled candidate stories
 * (what `tune cluster` learns the clustering model with).
 *
 * The examples come in groups: the candidate stories of one article, each
 * a row of features, labelled 1 for the article's own story. Two losses:
 * - LEARN_LOGISTIC: each candidate on its own (class-balanced logistic
 *   regression), the groups only weigh their rows;
 * - LEARN_LISTWISE: one decision per article among its candidates and
 *   "a new story" (score 0): a softmax over the group plus that empty
 *   choice, the target the article's own story, or the new story when
 *   none of its candidates is its story (after mention-ranking models of
 *   coreference with a dummy antecedent). It learns what the online
 *   decision does: the best candidate against starting a story.
 * Both are L2-regularised and solved by Newton's method on standardised
 * features; a feature that never varies gets weight 0. learn_bagged
 * averages the weights of fits on bootstrap resamples of the groups. */
#ifndef SW_LEARN_H
#define SW_LEARN_H

#include <stddef.h>
#include <stdint.h>

/* At most this many features. */
#define LEARN_MAX_FEATURES 40

typedef struct LearnSet {
    const double *x;          /* n rows of nf features */
    const unsigned char *y;   /* 1: the article's own story */
    size_t n;
    int nf;
    const size_t *start;      /* group g is rows start[g] .. start[g + 1] - 1 (n_groups + 1 entries) */
    size_t n_groups;
    const int64_t *key;       /* what bootstrap resamples: each group's unit (e.g. its gold
                               * story); NULL: each group is its own unit */
} LearnSet;

typedef enum { LEARN_LOGISTIC, LEARN_LISTWISE } LearnLoss;

/* Fits w (nf weights, then the bias at w[nf]; on the raw features). gw:
 * a weight for each group (NULL: 1 each). */
void learn_fit(const LearnSet *s, LearnLoss loss, double l2, const double *gw, double *w);

/* The mean of the weights of `bags` fits, each on a bootstrap resample of
 * the groups' units (drawn with replacement, as many as there are; a
 * unit drawn k times weighs k). The same seed gives the same weights.
 * bags < 1 fits once on the whole set. */
void learn_bagged(const LearnSet *s, LearnLoss loss, double l2, int bags, uint64_t seed, double *w);

/* The mean loss (per unit of group weight) of weights w on s, without the
 * L2 term: for tests and for checking a fit. */
double learn_loss(const LearnSet *s, LearnLoss loss, const double *gw, const double *w);

#endif
