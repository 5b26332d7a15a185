/* learn.c - logistic and listwise fits of the clustering model's weights,
 * and their bagged mean (see learn.h). */
#include "learn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"

enum { MAXD = LEARN_MAX_FEATURES + 1 };

/* Solves the d x d system A x = b (A symmetric positive definite after
 * the ridge term) by Gaussian elimination with partial pivoting; A and b
 * are overwritten. */
static void solve(int d, double A[][MAXD], double *b, double *x)
{
    for (int col = 0; col < d; col++) {
        int piv = col;
        for (int r = col + 1; r < d; r++)
            if (fabs(A[r][col]) > fabs(A[piv][col]))
                piv = r;
        if (piv != col) {
            for (int k = 0; k < d; k++) {
                double t = A[col][k];
                A[col][k] = A[piv][k];
                A[piv][k] = t;
            }
            double t = b[col];
            b[col] = b[piv];
            b[piv] = t;
        }
        if (fabs(A[col][col]) < 1e-12)
            A[col][col] = 1e-12;
        for (int r = col + 1; r < d; r++) {
            double f = A[r][col] / A[col][col];
            for (int k = col; k < d; k++)
                A[r][k] -= f * A[col][k];
            b[r] -= f * b[col];
        }
    }
    for (int r = d - 1; r >= 0; r--) {
        double sum = b[r];
        for (int k = r + 1; k < d; k++)
            sum -= A[r][k] * x[k];
        x[r] = sum / A[r][r];
    }
}

/* Standardised rows (nf features and a constant 1 each), and the means
 * and deviations that undo it. */
typedef struct Std {
    double *z; /* n rows of nf + 1 */
    double mean[LEARN_MAX_FEATURES], sd[LEARN_MAX_FEATURES];
} Std;

static void standardise(const LearnSet *s, Std *st)
{
    int nf = s->nf, d = nf + 1;
    memset(st->mean, 0, sizeof st->mean);
    memset(st->sd, 0, sizeof st->sd);
    for (size_t i = 0; i < s->n; i++)
        for (int k = 0; k < nf; k++)
            st->mean[k] += s->x[i * (size_t)nf + (size_t)k] / (double)s->n;
    for (size_t i = 0; i < s->n; i++)
        for (int k = 0; k < nf; k++) {
            double dv = s->x[i * (size_t)nf + (size_t)k] - st->mean[k];
            st->sd[k] += dv * dv / (double)s->n;
        }
    for (int k = 0; k < nf; k++)
        st->sd[k] = sqrt(st->sd[k]);
    st->z = xmalloc((s->n + 1) * (size_t)d * sizeof *st->z);
    for (size_t i = 0; i < s->n; i++) {
        double *z = st->z + i * (size_t)d;
        for (int k = 0; k < nf; k++)
            z[k] = st->sd[k] > 1e-9 ? (s->x[i * (size_t)nf + (size_t)k] - st->mean[k]) / st->sd[k] : 0;
        z[nf] = 1;
    }
}

/* Weights on the standardised features -> weights on the raw ones. */
static void unstandardise(const Std *st, int nf, const double *v, double *w)
{
    w[nf] = v[nf];
    for (int k = 0; k < nf; k++) {
        w[k] = st->sd[k] > 1e-9 ? v[k] / st->sd[k] : 0;
        w[nf] -= w[k] * st->mean[k];
    }
}

static double group_weight(const double *gw, size_t g)
{
    return gw ? gw[g] : 1.0;
}

/* The group of each row (rows outside every group: none, all rows are in
 * one when start is given). */
static size_t groups_of(const LearnSet *s, size_t g_count)
{
    return s->start ? g_count : s->n;
}

/* Logistic loss: each row on its own, positives and negatives weighing
 * half each (by group weight). Adds the gradient and the lower triangle
 * of the Hessian when g and H are given; returns the loss. */
static double logistic_terms(const LearnSet *s, const Std *st, const double *gw, const double *v, double *g,
                             double H[][MAXD])
{
    int d = s->nf + 1;
    size_t ng = groups_of(s, s->n_groups);
    double pos = 0, neg = 0;
    for (size_t gi = 0; gi < ng; gi++) {
        size_t a = s->start ? s->start[gi] : gi, b = s->start ? s->start[gi + 1] : gi + 1;
        for (size_t i = a; i < b; i++) {
            if (s->y[i])
                pos += group_weight(gw, gi);
            else
                neg += group_weight(gw, gi);
        }
    }
    double wp = pos > 0 ? 0.5 / pos : 0, wn = neg > 0 ? 0.5 / neg : 0;
    double loss = 0;
    for (size_t gi = 0; gi < ng; gi++) {
        size_t a = s->start ? s->start[gi] : gi, b = s->start ? s->start[gi + 1] : gi + 1;
        double gwt = group_weight(gw, gi);
        for (size_t i = a; i < b; i++) {
            const double *x = st->z + i * (size_t)d;
            double zz = 0;
            for (int k = 0; k < d; k++)
                zz += v[k] * x[k];
            double p = 1.0 / (1.0 + exp(-zz));
            double cw = (s->y[i] ? wp : wn) * gwt;
            /* log(1 + e^-z) for a positive, log(1 + e^z) for a negative */
            double m = s->y[i] ? -zz : zz;
            loss += cw * (m > 0 ? m + log1p(exp(-m)) : log1p(exp(m)));
            if (!g)
                continue;
            double e = (p - s->y[i]) * cw, h = p * (1 - p) * cw;
            for (int k = 0; k < d; k++) {
                g[k] += e * x[k];
                for (int j = 0; j <= k; j++)
                    H[k][j] += h * x[k] * x[j];
            }
        }
    }
    return loss;
}

/* Listwise loss: per group, a softmax over its rows and the new-story
 * choice (score 0, features 0); the target is the group's positives (any
 * of them), else the new story. Adds the gradient and the lower triangle
 * of the Hessian of log Z (the covariance of the rows under the softmax:
 * exact with one positive or none, an upper bound with more) when g and H
 * are given; returns the loss per unit of group weight. */
static double listwise_terms(const LearnSet *s, const Std *st, const double *gw, const double *v, double *g,
                             double H[][MAXD])
{
    int d = s->nf + 1;
    double total = 0, loss = 0;
    double *sc = NULL;
    size_t sc_cap = 0;
    for (size_t gi = 0; gi < s->n_groups; gi++)
        total += group_weight(gw, gi);
    if (total <= 0)
        return 0;
    for (size_t gi = 0; gi < s->n_groups; gi++) {
        double gwt = group_weight(gw, gi) / total;
        if (gwt <= 0)
            continue;
        size_t a = s->start[gi], b = s->start[gi + 1], m = b - a;
        if (m > sc_cap) {
            sc_cap = m * 2;
            sc = xrealloc(sc, sc_cap * sizeof *sc);
        }
        double top = 0; /* the new story's score */
        for (size_t i = a; i < b; i++) {
            const double *x = st->z + i * (size_t)d;
            double zz = 0;
            for (int k = 0; k < d; k++)
                zz += v[k] * x[k];
            sc[i - a] = zz;
            if (zz > top)
                top = zz;
        }
        double Z = exp(-top), Zp = 0;
        int any_pos = 0;
        for (size_t i = a; i < b; i++) {
            double e = exp(sc[i - a] - top);
            Z += e;
            if (s->y[i]) {
                Zp += e;
                any_pos = 1;
            }
        }
        if (!any_pos)
            Zp = exp(-top);
        loss += gwt * (log(Z) - log(Zp));
        if (!g)
            continue;
        double mu[MAXD] = {0}, mq[MAXD] = {0};
        for (size_t i = a; i < b; i++) {
            const double *x = st->z + i * (size_t)d;
            double p = exp(sc[i - a] - top) / Z;
            double q = s->y[i] ? exp(sc[i - a] - top) / Zp : 0;
            for (int k = 0; k < d; k++) {
                mu[k] += p * x[k];
                mq[k] += q * x[k];
                for (int j = 0; j <= k; j++)
                    H[k][j] += gwt * p * x[k] * x[j];
            }
        }
        for (int k = 0; k < d; k++) {
            g[k] += gwt * (mu[k] - mq[k]);
            for (int j = 0; j <= k; j++)
                H[k][j] -= gwt * mu[k] * mu[j];
        }
    }
    free(sc);
    return loss;
}

static double terms(const LearnSet *s, LearnLoss loss, const Std *st, const double *gw, const double *v, double *g,
                    double H[][MAXD])
{
    return loss == LEARN_LISTWISE ? listwise_terms(s, st, gw, v, g, H) : logistic_terms(s, st, gw, v, g, H);
}

static double penalty(const double *v, int nf, double l2)
{
    double p = 0;
    for (int k = 0; k < nf; k++)
        p += 0.5 * l2 * v[k] * v[k];
    return p;
}

void learn_fit(const LearnSet *s, LearnLoss loss, double l2, const double *gw, double *w)
{
    int nf = s->nf, d = nf + 1;
    double v[MAXD] = {0}; /* standardised weights, v[nf] the bias */
    if (nf < 1 || nf > LEARN_MAX_FEATURES || s->n == 0 || (loss == LEARN_LISTWISE && !s->start)) {
        memset(w, 0, (size_t)d * sizeof *w);
        return;
    }
    Std st;
    standardise(s, &st);
    /* the logistic fit takes full Newton steps (it is convex and smooth);
     * the listwise one, whose Hessian is an upper bound with several
     * positives, halves a step that does not lower the loss */
    double cur = loss == LEARN_LISTWISE ? terms(s, loss, &st, gw, v, NULL, NULL) + penalty(v, nf, l2) : 0;
    for (int iter = 0; iter < 50; iter++) {
        double g[MAXD] = {0}, H[MAXD][MAXD];
        memset(H, 0, sizeof H);
        terms(s, loss, &st, gw, v, g, H);
        for (int k = 0; k < d; k++) {
            for (int j = k + 1; j < d; j++)
                H[k][j] = H[j][k];
            if (k < nf) {
                g[k] += l2 * v[k];
                H[k][k] += l2;
            } else {
                H[k][k] += 1e-9;
            }
        }
        double step[MAXD];
        solve(d, H, g, step);
        double step_size = 0;
        if (loss == LEARN_LISTWISE) {
            double t = 1, next[MAXD];
            int accepted = 0;
            for (int tries = 0; tries < 30 && !accepted; tries++, t *= 0.5) {
                for (int k = 0; k < d; k++)
                    next[k] = v[k] - t * step[k];
                double nl = terms(s, loss, &st, gw, next, NULL, NULL) + penalty(next, nf, l2);
                if (nl <= cur + 1e-12) {
                    cur = nl;
                    accepted = 1;
                }
            }
            if (!accepted)
                break; /* no step lowers the loss: v is the optimum found */
            for (int k = 0; k < d; k++) {
                step_size += fabs(v[k] - next[k]);
                v[k] = next[k];
            }
        } else {
            for (int k = 0; k < d; k++) {
                v[k] -= step[k];
                step_size += fabs(step[k]);
            }
        }
        if (step_size < 1e-8)
            break;
    }
    unstandardise(&st, nf, v, w);
    free(st.z);
}

double learn_loss(const LearnSet *s, LearnLoss loss, const double *gw, const double *w)
{
    int nf = s->nf, d = nf + 1;
    if (nf < 1 || nf > LEARN_MAX_FEATURES || s->n == 0 || (loss == LEARN_LISTWISE && !s->start))
        return 0;
    /* on the raw features: a "standardisation" that leaves them as they are */
    Std st;
    for (int k = 0; k < nf; k++) {
        st.mean[k] = 0;
        st.sd[k] = 1;
    }
    st.z = xmalloc((s->n + 1) * (size_t)d * sizeof *st.z);
    for (size_t i = 0; i < s->n; i++) {
        memcpy(st.z + i * (size_t)d, s->x + i * (size_t)nf, (size_t)nf * sizeof *st.z);
        st.z[i * (size_t)d + (size_t)nf] = 1;
    }
    double l = terms(s, loss, &st, gw, w, NULL, NULL);
    free(st.z);
    return l;
}

/* splitmix64: a small, well-mixed generator, so resamples are the same on
 * every platform. */
static uint64_t next_rand(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

void learn_bagged(const LearnSet *s, LearnLoss loss, double l2, int bags, uint64_t seed, double *w)
{
    int nf = s->nf, d = nf + 1;
    size_t ng = groups_of(s, s->n_groups);
    if (bags < 1 || ng == 0 || nf < 1 || nf > LEARN_MAX_FEATURES) {
        learn_fit(s, loss, l2, NULL, w);
        return;
    }
    /* the distinct units, and each group's index among them */
    int64_t *units = xmalloc((ng + 1) * sizeof *units);
    for (size_t g = 0; g < ng; g++)
        units[g] = s->key && s->start ? s->key[g] : (int64_t)g;
    qsort(units, ng, sizeof *units, cmp_i64);
    size_t nu = 0;
    for (size_t g = 0; g < ng; g++)
        if (nu == 0 || units[nu - 1] != units[g])
            units[nu++] = units[g];
    size_t *unit_of = xmalloc((ng + 1) * sizeof *unit_of);
    for (size_t g = 0; g < ng; g++) {
        int64_t k = s->key && s->start ? s->key[g] : (int64_t)g;
        const int64_t *hit = bsearch(&k, units, nu, sizeof *units, cmp_i64);
        unit_of[g] = (size_t)(hit - units);
    }
    double *draws = xmalloc((nu + 1) * sizeof *draws), *gw = xmalloc((ng + 1) * sizeof *gw);
    double sum[MAXD] = {0}, one[MAXD];
    uint64_t state = seed;
    for (int b = 0; b < bags; b++) {
        memset(draws, 0, (nu + 1) * sizeof *draws);
        for (size_t k = 0; k < nu; k++)
            draws[next_rand(&state) % nu] += 1;
        for (size_t g = 0; g < ng; g++)
            gw[g] = draws[unit_of[g]];
        learn_fit(s, loss, l2, gw, one);
        for (int k = 0; k < d; k++)
            sum[k] += one[k];
    }
    for (int k = 0; k < d; k++)
        w[k] = sum[k] / bags;
    free(units);
    free(unit_of);
    free(draws);
    free(gw);
}
