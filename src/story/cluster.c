/* cluster.c - online clustering with an inverted index over story terms.
 *
 * Vectors are sorted (term id, weight) arrays; a story's vectors are sums
 * of its members' sublinear term frequencies, weighted by the current IDF
 * only when compared, so document frequencies can keep changing. Story
 * norms depend on the IDF too; they are cached and refreshed when the
 * story changes or the collection has grown by a tenth since. */
#include "cluster.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/map.h"

typedef struct Vec {
    Term *t;
    uint32_t n, cap;
} Vec;

typedef struct Member {
    int64_t article_id;
    uint64_t simhash;
} Member;

enum { F_BODY, F_TITLE, F_ENTITY, F_TIME };

typedef struct Story {
    int64_t id;
    Vec v[3];               /* body, title, entity sums */
    float *w[3];            /* v[i] weighted by IDF, refreshed with the norms */
    double norm[3];
    int64_t norm_docs;      /* doc count when norms were computed; -1 = stale */
    int64_t first, last;
    double time_sum;        /* of known member times */
    int timed;              /* members with a known time */
    int count;
    Member *members;
    size_t n_members, cap_members;
    int dirty;              /* since the state was last taken for saving */
} Story;

typedef struct Postings {
    uint32_t *story;        /* story indexes */
    uint32_t n, cap;
} Postings;

struct Clusterer {
    ClusterModel m;
    IntMap df;              /* term -> document frequency */
    int64_t n_docs;
    Story **stories;
    size_t n_stories, cap_stories;
    IntMap by_id;           /* story id -> index */
    IntMap post_index;      /* term -> index into postings */
    Postings *postings;
    size_t n_postings, cap_postings;
};

ClusterModel cluster_default_model(void)
{
    return (ClusterModel){
        .w_body = 0.50,
        .w_title = 0.20,
        .w_entity = 0.30,
        .w_time = 0.30,
        .bias = -0.30,
        .threshold = 0.12,
        .time_sigma_days = 3.0,
        .active_days = 14.0,
        .dup_hamming = 8,
        .max_candidates = 40,
    };
}

int cluster_model_load(const char *path, ClusterModel *m, SwErr *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return sw_err(err, "%s: cannot open model file: %s", path, strerror(errno));
    char line[512];
    int ln = 0;
    while (fgets(line, sizeof line, f)) {
        ln++;
        char *p = line;
        while (isspace((unsigned char)*p))
            p++;
        if (!*p || *p == '#')
            continue;
        char key[64];
        double val;
        if (sscanf(p, "%63[a-z_] = %lf", key, &val) != 2) {
            fclose(f);
            return sw_err(err, "%s:%d: expected `key = number`", path, ln);
        }
        static const struct { const char *name; size_t off; int is_int; } keys[] = {
            {"w_body", offsetof(ClusterModel, w_body), 0},
            {"w_title", offsetof(ClusterModel, w_title), 0},
            {"w_entity", offsetof(ClusterModel, w_entity), 0},
            {"w_time", offsetof(ClusterModel, w_time), 0},
            {"bias", offsetof(ClusterModel, bias), 0},
            {"threshold", offsetof(ClusterModel, threshold), 0},
            {"time_sigma_days", offsetof(ClusterModel, time_sigma_days), 0},
            {"active_days", offsetof(ClusterModel, active_days), 0},
            {"dup_hamming", offsetof(ClusterModel, dup_hamming), 1},
            {"max_candidates", offsetof(ClusterModel, max_candidates), 1},
        };
        size_t i;
        for (i = 0; i < sizeof keys / sizeof *keys; i++)
            if (strcmp(keys[i].name, key) == 0)
                break;
        if (i == sizeof keys / sizeof *keys) {
            fclose(f);
            return sw_err(err, "%s:%d: unknown key \"%s\"", path, ln, key);
        }
        if (!isfinite(val) || (keys[i].is_int && (val < 0 || val > 1e6 || val != floor(val)))) {
            fclose(f);
            return sw_err(err, "%s:%d: \"%s\" must be a finite %s", path, ln, key,
                          keys[i].is_int ? "whole number from 0 to 1000000" : "number");
        }
        if (keys[i].is_int)
            *(int *)((char *)m + keys[i].off) = (int)val;
        else
            *(double *)((char *)m + keys[i].off) = val;
    }
    fclose(f);
    if (m->time_sigma_days <= 0 || m->max_candidates < 1)
        return sw_err(err, "%s: time_sigma_days and max_candidates must be positive", path);
    return 0;
}

int cluster_model_save(const char *path, const ClusterModel *m, const char *comment, SwErr *err)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return sw_err(err, "%s: cannot write model file: %s", path, strerror(errno));
    if (comment)
        for (const char *line = comment; *line;) {
            const char *nl = strchr(line, '\n');
            int len = nl ? (int)(nl - line) : (int)strlen(line);
            fprintf(f, "# %.*s\n", len, line);
            line += len + (nl ? 1 : 0);
        }
    fprintf(f,
            "w_body = %.6f\nw_title = %.6f\nw_entity = %.6f\nw_time = %.6f\nbias = %.6f\n"
            "threshold = %.6f\ntime_sigma_days = %.3f\nactive_days = %.3f\ndup_hamming = %d\n"
            "max_candidates = %d\n",
            m->w_body, m->w_title, m->w_entity, m->w_time, m->bias, m->threshold, m->time_sigma_days,
            m->active_days, m->dup_hamming, m->max_candidates);
    if (fclose(f) != 0)
        return sw_err(err, "%s: cannot write model file: %s", path, strerror(errno));
    return 0;
}

Clusterer *cluster_new(const ClusterModel *m)
{
    Clusterer *c = xcalloc(1, sizeof *c);
    c->m = m ? *m : cluster_default_model();
    return c;
}

static void story_free(Story *s)
{
    for (int i = 0; i < 3; i++) {
        free(s->v[i].t);
        free(s->w[i]);
    }
    free(s->members);
    free(s);
}

void cluster_free(Clusterer *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_stories; i++)
        story_free(c->stories[i]);
    free(c->stories);
    for (size_t i = 0; i < c->n_postings; i++)
        free(c->postings[i].story);
    free(c->postings);
    intmap_free(&c->df);
    intmap_free(&c->by_id);
    intmap_free(&c->post_index);
    free(c);
}

/* ---- document frequencies ---- */

void cluster_set_df(Clusterer *c, uint32_t term, int64_t df)
{
    *intmap_put(&c->df, term, NULL) = df;
}

void cluster_set_doc_count(Clusterer *c, int64_t n)
{
    c->n_docs = n;
}

double cluster_idf(const Clusterer *c, uint32_t term)
{
    int64_t *df = intmap_get(&c->df, term);
    double d = df ? (double)*df : 0.0;
    return log(((double)c->n_docs + 1.0) / (d + 1.0)) + 1.0;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

void cluster_count_doc(Clusterer *c, const Doc *d, uint32_t **terms, size_t *n_terms)
{
    size_t n = (size_t)d->title_terms.n + d->body_terms.n + d->entity_terms.n;
    uint32_t *all = xmalloc((n ? n : 1) * sizeof *all);
    size_t k = 0;
    const TermVec *vs[3] = {&d->title_terms, &d->body_terms, &d->entity_terms};
    for (int i = 0; i < 3; i++)
        for (uint32_t j = 0; j < vs[i]->n; j++)
            all[k++] = vs[i]->terms[j].id;
    qsort(all, k, sizeof *all, cmp_u32);
    size_t u = 0;
    for (size_t i = 0; i < k; i++)
        if (u == 0 || all[u - 1] != all[i])
            all[u++] = all[i];
    for (size_t i = 0; i < u; i++)
        (*intmap_put(&c->df, all[i], NULL))++;
    c->n_docs++;
    if (terms) {
        *terms = all;
        *n_terms = u;
    } else {
        free(all);
    }
}

/* ---- vectors ---- */

static double tf_weight(float count)
{
    return count > 0 ? 1.0 + log((double)count) : 0.0;
}

/* Adds a document's (sublinear) term weights into a story vector; calls
 * on_new for terms the story did not have. */
static void vec_add(Clusterer *c, Story *s, int which, uint32_t story_index, const TermVec *d);

static void postings_add(Clusterer *c, uint32_t term, uint32_t story_index)
{
    int created;
    int64_t *slot = intmap_put(&c->post_index, term, &created);
    if (created) {
        if (c->n_postings == c->cap_postings) {
            c->cap_postings = c->cap_postings ? c->cap_postings * 2 : 1024;
            c->postings = xrealloc(c->postings, c->cap_postings * sizeof *c->postings);
        }
        *slot = (int64_t)c->n_postings;
        c->postings[c->n_postings++] = (Postings){0};
    }
    Postings *p = &c->postings[*slot];
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 4;
        p->story = xrealloc(p->story, p->cap * sizeof *p->story);
    }
    p->story[p->n++] = story_index;
}

static void vec_add(Clusterer *c, Story *s, int which, uint32_t story_index, const TermVec *d)
{
    Vec *v = &s->v[which];
    /* the weighted copy and its norm are kept up to date term by term when
     * they exist, so that adding to a large story costs the size of the
     * document, not of the story */
    int weighted = s->norm_docs >= 0 && s->w[which];
    double norm2 = weighted ? s->norm[which] * s->norm[which] : 0;
    Term *out = xmalloc(((size_t)v->n + d->n + 1) * sizeof *out);
    float *ow = weighted ? xmalloc(((size_t)v->n + d->n + 1) * sizeof *ow) : NULL;
    uint32_t i = 0, j = 0, k = 0;
    while (i < v->n || j < d->n) {
        if (j == d->n || (i < v->n && v->t[i].id < d->terms[j].id)) {
            if (weighted)
                ow[k] = s->w[which][i];
            out[k++] = v->t[i++];
        } else if (i == v->n || d->terms[j].id < v->t[i].id) {
            out[k] = (Term){d->terms[j].id, (float)tf_weight(d->terms[j].weight)};
            if (weighted) {
                ow[k] = (float)(out[k].weight * cluster_idf(c, out[k].id));
                norm2 += (double)ow[k] * ow[k];
            }
            k++;
            postings_add(c, d->terms[j].id, story_index);
            j++;
        } else {
            out[k] = v->t[i];
            out[k].weight += (float)tf_weight(d->terms[j++].weight);
            if (weighted) {
                double old = s->w[which][i];
                ow[k] = (float)(out[k].weight * cluster_idf(c, out[k].id));
                norm2 += (double)ow[k] * ow[k] - old * old;
            }
            i++;
            k++;
        }
    }
    free(v->t);
    v->t = out;
    v->n = v->cap = k;
    if (weighted) {
        free(s->w[which]);
        s->w[which] = ow;
        s->norm[which] = norm2 > 0 ? sqrt(norm2) : 0;
    }
}

/* Weighs a story vector by the current IDF into w; returns its norm. */
static double story_weigh(const Clusterer *c, const Vec *v, float **w)
{
    *w = xrealloc(*w, ((size_t)v->n + 1) * sizeof **w);
    double sum = 0;
    for (uint32_t i = 0; i < v->n; i++) {
        double x = v->t[i].weight * cluster_idf(c, v->t[i].id);
        (*w)[i] = (float)x;
        sum += x * x;
    }
    return sqrt(sum);
}

/* IDF lookups dominate comparisons, so each story keeps its vectors
 * weighted; they are redone when the story changes or the collection has
 * grown by a tenth. */
static void refresh_norms(Clusterer *c, Story *s)
{
    if (s->norm_docs >= 0 && (double)(c->n_docs - s->norm_docs) <= 0.1 * (double)s->norm_docs)
        return;
    for (int i = 0; i < 3; i++)
        s->norm[i] = story_weigh(c, &s->v[i], &s->w[i]);
    s->norm_docs = c->n_docs;
}

/* A document's vector weighted for comparison: (1 + log tf) * idf. */
typedef struct WVec {
    Term *t;
    uint32_t n;
    double norm;
} WVec;

static WVec weigh(const Clusterer *c, const TermVec *d)
{
    WVec w = {xmalloc(((size_t)d->n + 1) * sizeof(Term)), d->n, 0};
    double sum = 0;
    for (uint32_t i = 0; i < d->n; i++) {
        double x = tf_weight(d->terms[i].weight) * cluster_idf(c, d->terms[i].id);
        w.t[i] = (Term){d->terms[i].id, (float)x};
        sum += x * x;
    }
    w.norm = sqrt(sum);
    return w;
}

/* Index of term id in v (sorted), searching from lo; v->n when absent. */
static uint32_t find_term(const Vec *v, uint32_t lo, uint32_t id)
{
    uint32_t hi = v->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (v->t[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static double cosine_doc_story(const WVec *d, const Vec *s, const float *sw, double s_norm)
{
    if (d->norm == 0 || s_norm == 0)
        return 0;
    double dot = 0;
    if (s->n > 16 * (d->n + 1)) {
        /* a large story against a short document: look each document term
         * up instead of walking the whole story vector */
        uint32_t j = 0;
        for (uint32_t i = 0; i < d->n && j < s->n; i++) {
            j = find_term(s, j, d->t[i].id);
            if (j < s->n && s->t[j].id == d->t[i].id)
                dot += (double)d->t[i].weight * sw[j];
        }
    } else {
        uint32_t i = 0, j = 0;
        while (i < d->n && j < s->n) {
            if (d->t[i].id < s->t[j].id)
                i++;
            else if (d->t[i].id > s->t[j].id)
                j++;
            else {
                dot += (double)d->t[i].weight * sw[j];
                i++;
                j++;
            }
        }
    }
    double cos = dot / (d->norm * s_norm);
    return cos > 1 ? 1 : cos;
}

static double time_closeness(const ClusterModel *m, const Story *s, int64_t t)
{
    if (!t || !s->timed)
        return 0.5; /* unknown: neither for nor against */
    double dist = 0;
    if (t < s->first)
        dist = (double)(s->first - t);
    else if (t > s->last)
        dist = (double)(t - s->last);
    double days = dist / 86400.0;
    return exp(-(days * days) / (2 * m->time_sigma_days * m->time_sigma_days));
}

/* ---- stories ---- */

static Story *story_get(Clusterer *c, int64_t id, uint32_t *index, int create)
{
    int created;
    int64_t *slot = create ? intmap_put(&c->by_id, (uint64_t)id, &created) : intmap_get(&c->by_id, (uint64_t)id);
    if (!slot)
        return NULL;
    if (create && created) {
        if (c->n_stories == c->cap_stories) {
            c->cap_stories = c->cap_stories ? c->cap_stories * 2 : 256;
            c->stories = xrealloc(c->stories, c->cap_stories * sizeof *c->stories);
        }
        Story *s = xcalloc(1, sizeof *s);
        s->id = id;
        s->norm_docs = -1;
        *slot = (int64_t)c->n_stories;
        c->stories[c->n_stories++] = s;
    }
    if (index)
        *index = (uint32_t)*slot;
    return c->stories[*slot];
}

static int cmp_weight_desc(const void *a, const void *b)
{
    float x = ((const Term *)a)->weight, y = ((const Term *)b)->weight;
    return x < y ? 1 : x > y ? -1 : 0;
}

typedef struct Cand {
    uint32_t story;
    double hits;
} Cand;

static int cmp_cand(const void *a, const void *b)
{
    double x = ((const Cand *)a)->hits, y = ((const Cand *)b)->hits;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* Stories sharing telling terms with the query, best max first. Postings
 * longer than a fifth of all stories carry little signal and are skipped
 * once the index is large. */
static size_t candidates(Clusterer *c, const WVec *q[3], int64_t t, size_t max, Cand **out)
{
    IntMap acc = {0};
    size_t long_list = c->n_stories / 5 > 200 ? c->n_stories / 5 : 200;
    for (int f = 0; f < 3; f++) {
        if (!q[f])
            continue;
        /* body: only the doc's 15 heaviest terms; title and entities: all */
        Term *terms = q[f]->t;
        uint32_t n = q[f]->n;
        Term *sorted = NULL;
        if (f == F_BODY && n > 15) {
            sorted = xmalloc(n * sizeof *sorted);
            memcpy(sorted, terms, n * sizeof *sorted);
            qsort(sorted, n, sizeof *sorted, cmp_weight_desc);
            terms = sorted;
            n = 15;
        }
        for (uint32_t i = 0; i < n; i++) {
            int64_t *pi = intmap_get(&c->post_index, terms[i].id);
            if (!pi)
                continue;
            Postings *p = &c->postings[*pi];
            if (p->n > long_list)
                continue;
            for (uint32_t k = 0; k < p->n; k++) {
                Story *s = c->stories[p->story[k]];
                if (t && s->timed && (double)(t - s->last) > c->m.active_days * 86400.0)
                    continue;
                int64_t *a = intmap_put(&acc, p->story[k], NULL);
                *a += (int64_t)(terms[i].weight * 1000.0);
            }
        }
        free(sorted);
    }
    /* the best `max` by a min-heap, then sorted: sorting every story that
     * shares a word would cost more than scoring the few that matter */
    Cand *heap = xmalloc((max + 1) * sizeof *heap);
    size_t n = 0;
    for (size_t i = 0; i < acc.cap; i++) {
        if (!acc.slots[i].used)
            continue;
        Cand cand = {(uint32_t)acc.slots[i].key, (double)acc.slots[i].val};
        size_t pos;
        if (n < max) {
            pos = n++;
            while (pos > 0 && heap[(pos - 1) / 2].hits > cand.hits) {
                heap[pos] = heap[(pos - 1) / 2];
                pos = (pos - 1) / 2;
            }
            heap[pos] = cand;
        } else if (cand.hits > heap[0].hits) {
            pos = 0;
            for (;;) {
                size_t l = 2 * pos + 1, r = l + 1, m = pos;
                double mh = cand.hits;
                if (l < n && heap[l].hits < mh)
                    m = l, mh = heap[l].hits;
                if (r < n && heap[r].hits < mh)
                    m = r;
                if (m == pos)
                    break;
                heap[pos] = heap[m];
                pos = m;
            }
            heap[pos] = cand;
        }
    }
    intmap_free(&acc);
    qsort(heap, n, sizeof *heap, cmp_cand);
    *out = heap;
    return n;
}

/* A document's weighted vectors and its candidate stories. */
typedef struct Query {
    WVec v[3];
    const WVec *q[3];
    int64_t t;
    Cand *cands;
    size_t n;
} Query;

static void query_start(Clusterer *c, const Doc *d, Query *qr)
{
    qr->v[F_BODY] = weigh(c, &d->body_terms);
    qr->v[F_TITLE] = weigh(c, &d->title_terms);
    qr->v[F_ENTITY] = weigh(c, &d->entity_terms);
    for (int k = 0; k < 3; k++)
        qr->q[k] = &qr->v[k];
    qr->t = d->article ? d->article->published : 0;
    qr->n = candidates(c, qr->q, qr->t, (size_t)c->m.max_candidates, &qr->cands);
}

/* The features of candidate i; returns its story. */
static Story *query_features(Clusterer *c, Query *qr, size_t i, double f[CLUSTER_FEATURES])
{
    Story *s = c->stories[qr->cands[i].story];
    refresh_norms(c, s);
    for (int k = 0; k < 3; k++)
        f[k] = cosine_doc_story(qr->q[k], &s->v[k], s->w[k], s->norm[k]);
    f[F_TIME] = time_closeness(&c->m, s, qr->t);
    return s;
}

static void query_end(Query *qr)
{
    free(qr->cands);
    for (int k = 0; k < 3; k++)
        free(qr->v[k].t);
}

void cluster_candidate_features(Clusterer *c, const Doc *d, ClusterFeatureFn fn, void *ctx)
{
    Query qr;
    query_start(c, d, &qr);
    for (size_t i = 0; i < qr.n; i++) {
        double f[CLUSTER_FEATURES];
        Story *s = query_features(c, &qr, i, f);
        fn(ctx, s->id, f);
    }
    query_end(&qr);
}

ClusterDecision cluster_assign(Clusterer *c, const Doc *d)
{
    ClusterDecision best = {0};
    best.score = -1e9;
    Query qr;
    query_start(c, d, &qr);
    for (size_t i = 0; i < qr.n; i++) {
        double f[CLUSTER_FEATURES];
        Story *s = query_features(c, &qr, i, f);
        double score = c->m.bias + c->m.w_body * f[F_BODY] + c->m.w_title * f[F_TITLE] +
                       c->m.w_entity * f[F_ENTITY] + c->m.w_time * f[F_TIME];
        /* a near-copy of a member settles it; only a story with much the
         * same body can hold one, which spares scanning large stories */
        if (d->n_words >= 30 && f[F_BODY] >= 0.5)
            for (size_t k = 0; k < s->n_members; k++)
                if (s->members[k].simhash &&
                    simhash_distance(s->members[k].simhash, d->simhash) <= c->m.dup_hamming) {
                    best.duplicate_of = s->members[k].article_id;
                    best.story_id = s->id;
                    best.score = score;
                    memcpy(best.features, f, sizeof f);
                    goto done;
                }
        if (score > best.score) {
            best.score = score;
            best.story_id = s->id;
            memcpy(best.features, f, sizeof f);
        }
    }
    if (best.score < c->m.threshold)
        best.story_id = 0;
done:
    query_end(&qr);
    return best;
}

void cluster_add(Clusterer *c, int64_t story_id, int64_t article_id, const Doc *d)
{
    uint32_t idx;
    Story *s = story_get(c, story_id, &idx, 1);
    vec_add(c, s, F_BODY, idx, &d->body_terms);
    vec_add(c, s, F_TITLE, idx, &d->title_terms);
    vec_add(c, s, F_ENTITY, idx, &d->entity_terms);
    int64_t t = d->article ? d->article->published : 0;
    if (t) {
        if (!s->timed || t < s->first)
            s->first = t;
        if (!s->timed || t > s->last)
            s->last = t;
        s->time_sum += (double)t;
        s->timed++;
    }
    if (s->n_members == s->cap_members) {
        s->cap_members = s->cap_members ? s->cap_members * 2 : 8;
        s->members = xrealloc(s->members, s->cap_members * sizeof *s->members);
    }
    s->members[s->n_members++] = (Member){article_id, d->simhash};
    s->count++;
    s->dirty = 1;
}

size_t cluster_take_dirty(Clusterer *c, int64_t **ids)
{
    size_t n = 0;
    *ids = xmalloc((c->n_stories + 1) * sizeof **ids);
    for (size_t i = 0; i < c->n_stories; i++)
        if (c->stories[i]->dirty) {
            c->stories[i]->dirty = 0;
            (*ids)[n++] = c->stories[i]->id;
        }
    return n;
}

/* ---- state blobs ----
 * "SWS1", then u32 count, timed, n_members, n[3]; i64 first, last; f64
 * time_sum; then 3 arrays of (u32 id, f32 weight) and the members as
 * (i64 article id, u64 simhash). Host byte order (x86-64 and arm64 are
 * both little-endian; the blob is a cache that can be rebuilt). */

static void put(Buf *b, const void *p, size_t n)
{
    buf_append(b, p, n);
}

int cluster_story_state(Clusterer *c, int64_t story_id, Buf *out, int64_t *first, int64_t *last,
                        int *count)
{
    Story *s = story_get(c, story_id, NULL, 0);
    if (!s)
        return -1;
    uint32_t hdr[7] = {(uint32_t)s->count, (uint32_t)s->timed, (uint32_t)s->n_members,
                       s->v[0].n, s->v[1].n, s->v[2].n, 0};
    put(out, "SWS1", 4);
    put(out, hdr, sizeof hdr);
    put(out, &s->first, 8);
    put(out, &s->last, 8);
    put(out, &s->time_sum, 8);
    for (int i = 0; i < 3; i++)
        put(out, s->v[i].t, (size_t)s->v[i].n * sizeof(Term));
    put(out, s->members, s->n_members * sizeof(Member));
    *first = s->first;
    *last = s->last;
    *count = s->count;
    return 0;
}

int cluster_load_story(Clusterer *c, int64_t story_id, const void *state, size_t len, SwErr *err)
{
    const unsigned char *p = state;
    uint32_t hdr[7];
    size_t fixed = 4 + sizeof hdr + 24;
    if (len < fixed || memcmp(p, "SWS1", 4) != 0)
        return sw_err(err, "story %lld: clustering state is missing or not in a known format",
                      (long long)story_id);
    memcpy(hdr, p + 4, sizeof hdr);
    size_t need = fixed + ((size_t)hdr[3] + hdr[4] + hdr[5]) * sizeof(Term) + (size_t)hdr[2] * sizeof(Member);
    if (len != need)
        return sw_err(err, "story %lld: clustering state is truncated (%zu of %zu bytes)",
                      (long long)story_id, len, need);
    if (story_get(c, story_id, NULL, 0))
        return sw_err(err, "story %lld: loaded twice", (long long)story_id);
    uint32_t idx;
    Story *s = story_get(c, story_id, &idx, 1);
    s->count = (int)hdr[0];
    s->timed = (int)hdr[1];
    s->n_members = s->cap_members = hdr[2];
    const unsigned char *q = p + 4 + sizeof hdr;
    memcpy(&s->first, q, 8);
    memcpy(&s->last, q + 8, 8);
    memcpy(&s->time_sum, q + 16, 8);
    q += 24;
    for (int i = 0; i < 3; i++) {
        uint32_t n = hdr[3 + i];
        s->v[i].t = xmalloc(((size_t)n + 1) * sizeof(Term));
        memcpy(s->v[i].t, q, (size_t)n * sizeof(Term));
        s->v[i].n = s->v[i].cap = n;
        q += (size_t)n * sizeof(Term);
        for (uint32_t k = 0; k < n; k++)
            postings_add(c, s->v[i].t[k].id, idx);
    }
    s->members = xmalloc((s->n_members + 1) * sizeof(Member));
    memcpy(s->members, q, s->n_members * sizeof(Member));
    return 0;
}

/* ---- related stories ---- */

static double story_cosine(const Story *a, const Story *b, int k)
{
    if (a->norm[k] == 0 || b->norm[k] == 0)
        return 0;
    const Vec *va = &a->v[k], *vb = &b->v[k];
    double dot = 0;
    uint32_t i = 0, j = 0;
    while (i < va->n && j < vb->n) {
        if (va->t[i].id < vb->t[j].id)
            i++;
        else if (va->t[i].id > vb->t[j].id)
            j++;
        else
            dot += (double)a->w[k][i++] * b->w[k][j++];
    }
    return dot / (a->norm[k] * b->norm[k]);
}

size_t cluster_related(Clusterer *c, int64_t story_id, size_t k, double min_score, int64_t *ids,
                       double *scores)
{
    Story *s = story_get(c, story_id, NULL, 0);
    if (!s || k == 0)
        return 0;
    refresh_norms(c, s);
    WVec body = {s->v[F_BODY].t, s->v[F_BODY].n, 1}, ent = {s->v[F_ENTITY].t, s->v[F_ENTITY].n, 1};
    const WVec *q[3] = {&body, NULL, &ent};
    Cand *cands;
    size_t n = candidates(c, q, 0, 60, &cands);
    size_t got = 0;
    for (size_t i = 0; i < n; i++) {
        Story *o = c->stories[cands[i].story];
        if (o == s)
            continue;
        refresh_norms(c, o);
        double score = 0.6 * story_cosine(s, o, F_BODY) + 0.4 * story_cosine(s, o, F_ENTITY);
        if (score < min_score)
            continue;
        /* insertion into the top-k list */
        size_t pos = got < k ? got : k;
        while (pos > 0 && scores[pos - 1] < score) {
            if (pos < k) {
                scores[pos] = scores[pos - 1];
                ids[pos] = ids[pos - 1];
            }
            pos--;
        }
        if (pos < k) {
            scores[pos] = score;
            ids[pos] = o->id;
            if (got < k)
                got++;
        }
    }
    free(cands);
    return got;
}
