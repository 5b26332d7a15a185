/* metrics.h - scores of a clustering against gold labels.
 *
 * Pure functions over two parallel label arrays: gold[i] is the true class
 * of item i, pred[i] the cluster the system put it in. Label values are
 * arbitrary int64 ids (only equality matters). All scores are in [0, 1]
 * except ARI, which is in [-1, 1] (0 = chance agreement).
 *
 * Conventions for the degenerate cases, stated once here:
 * - pairwise precision is 1 when the prediction puts no two items together
 *   (no pair claimed, none wrong), recall is 1 when the gold has no pair;
 * - ARI is 1 when both labellings are identical all-singletons or
 *   identical one-cluster partitions (its formula is 0/0 there), as in
 *   scikit-learn;
 * - NMI (arithmetic-mean normalisation, scikit-learn's default) is 1 when
 *   both labellings are one cluster, and 0 when only one of them is;
 * - F1 is 0 when precision + recall is 0;
 * - with n = 0 every score is 0 and every count 0. */
#ifndef SW_METRICS_H
#define SW_METRICS_H

#include <stddef.h>
#include <stdint.h>

typedef struct ClusterScores {
    size_t n;             /* items scored */
    size_t gold_clusters; /* distinct gold labels */
    size_t clusters;      /* distinct predicted labels */
    /* BCubed (Bagga and Baldwin 1998; Amigo et al. 2009): per-item
     * precision and recall of the item's cluster, averaged over items */
    double bcubed_p, bcubed_r, bcubed_f1;
    /* over all pairs of items: precision and recall of "same cluster" */
    double pairwise_p, pairwise_r, pairwise_f1;
    double ari; /* adjusted Rand index (Hubert and Arabie 1985) */
    double nmi; /* mutual information / mean of the two entropies */
} ClusterScores;

/* Scores pred against gold (n items each). Time O(n log n), memory O(n). */
void eval_cluster_scores(const int64_t *gold, const int64_t *pred, size_t n, ClusterScores *out);

/* Harmonic mean of p and r; 0 when both are 0. */
double eval_f1(double p, double r);

#endif
