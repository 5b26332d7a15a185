/* metrics.c - clustering scores from one contingency table.
 *
 * Every score here is a function of the contingency table n_ij (items with
 * gold class i and predicted cluster j) and its margins a_i (gold class
 * sizes) and b_j (cluster sizes). The table is built by renumbering both
 * labellings densely and sorting the (class, cluster) pairs, so only the
 * non-zero cells exist: memory stays O(n) however many clusters there are.
 * Counts of pairs are kept in doubles: products of pair counts overflow 64
 * bits long before a double loses the precision a score needs. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "../core/map.h"
#include "metrics.h"

/* Replaces labels by 0..k-1 in order of first appearance; returns k. */
static size_t renumber(const int64_t *labels, size_t n, uint32_t *out)
{
    IntMap seen = {0};
    for (size_t i = 0; i < n; i++) {
        int created;
        int64_t *slot = intmap_put(&seen, (uint64_t)labels[i], &created);
        if (created)
            *slot = (int64_t)seen.count - 1;
        out[i] = (uint32_t)*slot;
    }
    size_t k = seen.count;
    intmap_free(&seen);
    return k;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

static double pairs(double k)
{
    return k * (k - 1) / 2;
}

double eval_f1(double p, double r)
{
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

void eval_cluster_scores(const int64_t *gold, const int64_t *pred, size_t n, ClusterScores *out)
{
    memset(out, 0, sizeof *out);
    if (n == 0)
        return;
    uint32_t *g = xmalloc(n * sizeof *g), *p = xmalloc(n * sizeof *p);
    size_t kg = renumber(gold, n, g), kp = renumber(pred, n, p);
    double *a = xcalloc(kg, sizeof *a), *b = xcalloc(kp, sizeof *b);
    uint64_t *cells = xmalloc(n * sizeof *cells);
    for (size_t i = 0; i < n; i++) {
        a[g[i]]++;
        b[p[i]]++;
        cells[i] = (uint64_t)g[i] << 32 | p[i];
    }
    qsort(cells, n, sizeof *cells, cmp_u64);

    double N = (double)n;
    double bc_p = 0, bc_r = 0, tp = 0, mi = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && cells[j] == cells[i])
            j++;
        double nij = (double)(j - i);
        double ai = a[cells[i] >> 32], bj = b[cells[i] & 0xffffffffu];
        /* each of the nij items finds nij of its class in its cluster */
        bc_p += nij * nij / bj;
        bc_r += nij * nij / ai;
        tp += pairs(nij);
        mi += nij / N * log(N * nij / (ai * bj));
        i = j;
    }
    double gold_pairs = 0, pred_pairs = 0, hg = 0, hp = 0;
    for (size_t i = 0; i < kg; i++) {
        gold_pairs += pairs(a[i]);
        hg -= a[i] / N * log(a[i] / N);
    }
    for (size_t j = 0; j < kp; j++) {
        pred_pairs += pairs(b[j]);
        hp -= b[j] / N * log(b[j] / N);
    }

    out->n = n;
    out->gold_clusters = kg;
    out->clusters = kp;
    out->bcubed_p = bc_p / N;
    out->bcubed_r = bc_r / N;
    out->bcubed_f1 = eval_f1(out->bcubed_p, out->bcubed_r);
    out->pairwise_p = pred_pairs > 0 ? tp / pred_pairs : 1;
    out->pairwise_r = gold_pairs > 0 ? tp / gold_pairs : 1;
    out->pairwise_f1 = eval_f1(out->pairwise_p, out->pairwise_r);

    double expected = gold_pairs * pred_pairs / pairs(N > 1 ? N : 2);
    double top = 0.5 * (gold_pairs + pred_pairs);
    /* top == expected only for identical all-singleton or one-cluster
     * labellings (see metrics.h) */
    out->ari = fabs(top - expected) > 1e-9 * (top > 1 ? top : 1) ? (tp - expected) / (top - expected) : 1;

    if (kg == 1 && kp == 1) {
        out->nmi = 1;
    } else {
        double mean_h = (hg + hp) / 2;
        double v = mean_h > 0 ? mi / mean_h : 0;
        out->nmi = v < 0 ? 0 : v > 1 ? 1 : v;
    }
    free(g);
    free(p);
    free(a);
    free(b);
    free(cells);
}
