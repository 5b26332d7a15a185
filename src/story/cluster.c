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

/* A slot of a vector's hash index: a term id (0 = free) and the term's
 * IDF-weighted sum, so that a probe reads one slot, hit or miss. */
typedef struct IxSlot {
    uint32_t id;
    float w;
} IxSlot;

/* Term numbers (see TermSlot) below HOT_TERMS are "hot": numbered
 * first, they are mostly the common words most lookups are for (on
 * Reuters-21578 the first 1,024 numbers take 68% of the centroid lookups,
 * the first 2,048 85%). A vector of HOT_MIN_TERMS terms or more keeps
 * their weights in a dense array by number instead of in its hash index:
 * 4 KB that the next articles read again (and find in cache), where in
 * the index they are spread over about one cache line per lookup. The
 * index, without them, is smaller. Decisions do not depend on where a
 * weight is kept. */
#ifndef HOT_TERMS
#define HOT_TERMS 1024
#endif
#ifndef HOT_MIN_TERMS
#define HOT_MIN_TERMS 512
#endif

/* A story vector: terms (sums of sublinear counts) sorted by id, and
 * their IDF weights: a hash index (and for a large vector the dense array
 * of hot terms), built with the norms (refresh_norms) and kept up to date
 * as terms are added (vec_wslot), so that a document is compared at the
 * cost of its own length, not the story's. Term id 0 (which marks a free
 * slot) is kept beside the table. */
typedef struct Vec {
    Term *t;
    uint32_t n, cap;
    IxSlot *ix;             /* NULL until weighted; holds no hot term when hot is set */
    uint32_t ix_mask, ix_count;
    float *hot;             /* NULL, or HOT_TERMS weights by term number (0: absent) */
    int has0;               /* term 0 is in the vector (and not hot), weighing w0 */
    float w0;
} Vec;

typedef struct Member {
    int64_t article_id;
    uint64_t simhash;
} Member;

/* The parts compared: the first three find candidates (inverted index)
 * and have member sketches; the lead (the body terms of an article's first
 * sentences, DOC_LEAD_SENTENCES) is only compared with the sum of the
 * story's members' leads. */
enum { F_BODY, F_TITLE, F_ENTITY, F_LEAD, N_PARTS };

/* A member's own vectors (body, title, entity parts one after the other,
 * each sorted by id), TF-IDF weighted when the member arrived and divided
 * by the part's full norm, so that a dot product with a normalised
 * document is their cosine. The body keeps its SKETCH_BODY heaviest
 * terms, titles and entities SKETCH_SMALL. */
#define SKETCH_BODY 48
#define SKETCH_SMALL 24
/* Candidates compared member by member: the closest by centroid. */
#define MAXLINK_STORIES 8
typedef struct Sketch {
    Term *t;                /* in memory by term number (TermSlot), in states by id */
    uint16_t n[3];
    int64_t article_id;     /* the member's (in memory only; 0 when loaded) */
} Sketch;

/* Story.mtime of a member loaded from a state: its time is within the
 * story's loaded span (lfirst, llast). */
#define MTIME_LOADED INT64_MIN

typedef struct Story {
    int64_t id;
    Vec v[N_PARTS];         /* body, title, entity, lead sums (weighted in v[i].ix) */
    double norm[N_PARTS];
    int64_t norm_docs;      /* doc count when norms were computed; -1 = stale */
    int64_t first, last;
    double time_sum;        /* of known member times */
    int timed;              /* members with a known time */
    int count;
    Member *members;
    size_t n_members, cap_members;
    Sketch *sk;             /* ring of the last CLUSTER_SKETCHES members' vectors */
    uint32_t n_sk, sk_next;
    Term *yr;               /* facts its members state (Doc.facts): id, count; by id */
    uint32_t n_yr, cap_yr;
    double fact_total[4];   /* counts of yr by kind */
    int64_t merged_into;    /* absorbed by that story in a merge pass (or emptied by
                               the revision pass); 0 = alive */
    int64_t *mtime;         /* per member: its publication time (0 unknown, or
                               MTIME_LOADED), in memory only, for cluster_remove */
    int64_t lfirst, llast;  /* the span of the loaded members' times */
    int ltimed;             /* loaded members with a known time */
    int zeroed;             /* cluster_remove left terms at weight 0 in v[] */
    int grown;              /* took an article since the last merge pass */
    int dirty;              /* since the state was last taken for saving */
} Story;

/* A document's vector weighted for comparison: (1 + log tf) * idf. */
typedef struct WVec {
    Term *t;
    uint32_t *num;          /* the terms' numbers (see TermSlot), or NULL */
    uint32_t n;
    double norm;
} WVec;

/* A term's postings: the indexes of the stories holding it, in two
 * parts. story[0, n_live) are read (their stories' gates checked) by
 * every search; story[n_live, n) were set aside by a search at time t
 * because their stories were out of the active window then (or merged):
 * while no story set aside has changed since (retire_gen is the
 * clusterer's), a search at a time t2 with t2 - retire_last > active_days
 * would pass over each of them as well, and skips them unread. Any other
 * search reads them all and sorts the list again. Entries are in no
 * particular order: hits are summed per story, and candidates are ranked
 * by a strict order. */
typedef struct Postings {
    uint32_t *story;        /* story indexes (of stories in memory) */
    uint32_t n, cap;
    uint32_t n_all;         /* entries ever added, evicted stories included:
                               what the long-list test counts */
    uint32_t n_live;        /* entries read by every search */
    uint32_t retire_gen;    /* Clusterer.retire_gen when set aside (0: never) */
    int64_t retire_last;    /* the newest time (gate) of those set aside for it */
} Postings;

/* Terms seen, numbered densely in order of first sight: an
 * open-addressing table of (term id, number + 1; 0 = free), and per
 * number the id, document frequency, postings, IDF (cached until a
 * frequency or the document count changes) and the current query's
 * normalised weights (0 for terms it lacks), so that after one lookup per
 * document term everything else is an array access. */
typedef struct TermSlot {
    uint32_t id, num1;
} TermSlot;

#define NO_TERM UINT32_MAX

/* Per term number: the document frequency and the IDF cached for it
 * (valid when stamp == idf_epoch), side by side so that one cache line
 * holds all three. */
typedef struct TermInfo {
    double idf;
    uint32_t stamp, df;
} TermInfo;

static size_t term_home(uint32_t id, size_t cap)
{
    return (size_t)((id * 2654435761u) ^ (id >> 16)) & (cap - 1);
}

typedef struct Acc {
    int64_t hits;
    uint32_t mark;          /* == epoch: touched by this query */
} Acc;

#define GATE_EVICTED INT64_MIN
#define GATE_MERGED (INT64_MIN + 1)
#define GATE_UNTIMED INT64_MAX

struct Clusterer {
    ClusterModel m;
    TermSlot *tslot;        /* term id -> number (TermSlot) */
    size_t tcap;
    uint32_t n_terms, cap_terms;
    uint32_t *term_ids;     /* per number: the term id, */
    TermInfo *info;         /* its document frequency and cached IDF, */
    Postings *post;         /* the stories holding it, */
    uint32_t idf_epoch;
    float *qw[3];           /* and the query's weight / norm per part, */
    uint64_t *qbit[3];      /* set where qw is (a small map read first) */
    int64_t n_docs;
    Story **stories;
    size_t n_stories, cap_stories;
    IntMap by_id;           /* story id -> index */
    int raw_query;          /* merge pass: the query's weights are story sums, not counts */
    int report_all;         /* cluster_report_features */
    /* candidates(): hits per story index (with the epoch that touched
     * it), and the indexes touched */
    Acc *acc;
    uint32_t *touched;
    /* per story index, what candidates() needs to know of a story without
     * reading it: GATE_EVICTED, GATE_MERGED, GATE_UNTIMED or its newest
     * time (s->last) */
    int64_t *gate;
    /* per story index: the retire_gen in which postings set it aside (a
     * change of its gate then makes every set-aside part stale: the
     * generation moves on) */
    uint32_t *retired;
    uint32_t retire_gen;
    size_t cap_gate;
    uint32_t epoch;
    size_t cap_acc;
    uint16_t *cand_of;      /* query_start: candidate position + 1 by story index, else 0 */
    size_t n_live;          /* stories in memory (not evicted) */
    /* the last query's weighted vectors, reused by the cluster_add of the
     * same document for its sketch */
    const Doc *last_doc;
    uint64_t last_simhash;
    WVec last_v[3];
};

const char *const cluster_feature_names[CLUSTER_FEATURES] = {
    "w_body",     "w_title",    "w_entity",   "w_time",          "w_body_max",     "w_title_max",
    "w_entity_max", "w_body_top3", "w_rare",     "w_year_agree",    "w_year_conflict",
    "w_person_agree", "w_person_conflict", "w_number_agree", "w_number_conflict",
    "w_date_agree", "w_date_conflict", "w_date_near", "w_lead", "w_lead_body", "w_year_oneside", "w_date_oneside",
};

ClusterModel cluster_default_model(void)
{
    ClusterModel m = {
        .bias = -0.30,
        .threshold = 0.12,
        .time_sigma_days = 3.0,
        .idf_offset = 1.0,
        .active_days = 14.0,
        .dup_hamming = 8,
        .max_candidates = 40,
        .merge_threshold = CLUSTER_NO_MERGE,
    };
    m.w[CF_BODY] = 0.50;
    m.w[CF_TITLE] = 0.20;
    m.w[CF_ENTITY] = 0.30;
    m.w[CF_TIME] = 0.30;
    return m;
}

typedef struct ModelKey {
    const char *name;
    size_t off;
    int is_int;
} ModelKey;

/* More rounds of the revision pass change nothing measurable (a third
 * round on ECB+ moved no article) and each costs a placing of the batch. */
#define REVISE_MAX_ROUNDS 10

static const ModelKey model_keys[] = {
    {"bias", offsetof(ClusterModel, bias), 0},
    {"threshold", offsetof(ClusterModel, threshold), 0},
    {"time_sigma_days", offsetof(ClusterModel, time_sigma_days), 0},
    {"idf_offset", offsetof(ClusterModel, idf_offset), 0},
    {"active_days", offsetof(ClusterModel, active_days), 0},
    {"dup_hamming", offsetof(ClusterModel, dup_hamming), 1},
    {"max_candidates", offsetof(ClusterModel, max_candidates), 1},
    {"merge_threshold", offsetof(ClusterModel, merge_threshold), 0},
    {"revise_rounds", offsetof(ClusterModel, revise_rounds), 1},
    {"revise_margin", offsetof(ClusterModel, revise_margin), 0},
};
#define N_MODEL_KEYS (sizeof model_keys / sizeof *model_keys)

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
        if (sscanf(p, "%63[a-z_0-9] = %lf", key, &val) != 2) {
            fclose(f);
            return sw_err(err, "%s:%d: expected `key = number`", path, ln);
        }
        /* weights are the features' keys; the rest are in model_keys */
        double *target = NULL;
        int is_int = 0;
        for (int k = 0; k < CLUSTER_FEATURES && !target; k++)
            if (strcmp(cluster_feature_names[k], key) == 0)
                target = &m->w[k];
        size_t i = 0;
        if (!target) {
            for (i = 0; i < N_MODEL_KEYS; i++)
                if (strcmp(model_keys[i].name, key) == 0)
                    break;
            if (i == N_MODEL_KEYS) {
                fclose(f);
                return sw_err(err, "%s:%d: unknown key \"%s\"", path, ln, key);
            }
            is_int = model_keys[i].is_int;
        }
        if (!isfinite(val) || (is_int && (val < 0 || val > 1e6 || val != floor(val)))) {
            fclose(f);
            return sw_err(err, "%s:%d: \"%s\" must be a finite %s", path, ln, key,
                          is_int ? "whole number from 0 to 1000000" : "number");
        }
        if (target)
            *target = val;
        else if (is_int)
            *(int *)((char *)m + model_keys[i].off) = (int)val;
        else
            *(double *)((char *)m + model_keys[i].off) = val;
    }
    fclose(f);
    if (m->time_sigma_days <= 0 || m->max_candidates < 1)
        return sw_err(err, "%s: time_sigma_days and max_candidates must be positive", path);
    if (m->idf_offset < 0)
        return sw_err(err, "%s: idf_offset must not be negative", path);
    if (m->revise_rounds > REVISE_MAX_ROUNDS)
        return sw_err(err, "%s: revise_rounds must be from 0 to %d (each round places the batch again)", path,
                      REVISE_MAX_ROUNDS);
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
    for (int k = 0; k < CLUSTER_FEATURES; k++)
        fprintf(f, "%s = %.6f\n", cluster_feature_names[k], m->w[k]);
    fprintf(f,
            "bias = %.6f\nthreshold = %.6f\ntime_sigma_days = %.3f\nidf_offset = %.3f\nactive_days = %.3f\n"
            "dup_hamming = %d\nmax_candidates = %d\nmerge_threshold = %.6f\n",
            m->bias, m->threshold, m->time_sigma_days, m->idf_offset, m->active_days, m->dup_hamming,
            m->max_candidates, m->merge_threshold);
    if (m->revise_rounds > 0)
        fprintf(f, "revise_rounds = %d\nrevise_margin = %.6f\n", m->revise_rounds, m->revise_margin);
    if (fclose(f) != 0)
        return sw_err(err, "%s: cannot write model file: %s", path, strerror(errno));
    return 0;
}

Clusterer *cluster_new(const ClusterModel *m)
{
    Clusterer *c = xcalloc(1, sizeof *c);
    c->m = m ? *m : cluster_default_model();
    c->idf_epoch = 1;
    c->retire_gen = 1;
    return c;
}

static void story_free(Story *s)
{
    for (int i = 0; i < N_PARTS; i++) {
        free(s->v[i].t);
        free(s->v[i].ix);
        free(s->v[i].hot);
    }
    free(s->members);
    free(s->mtime);
    for (uint32_t i = 0; i < s->n_sk; i++)
        free(s->sk[i].t);
    free(s->sk);
    free(s->yr);
    free(s);
}

void cluster_free(Clusterer *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_stories; i++)
        if (c->stories[i])
            story_free(c->stories[i]);
    free(c->acc);
    free(c->cand_of);
    free(c->touched);
    free(c->gate);
    free(c->retired);
    free(c->stories);
    for (uint32_t i = 0; i < c->n_terms; i++)
        free(c->post[i].story);
    free(c->post);
    free(c->tslot);
    free(c->term_ids);
    free(c->info);
    for (int k = 0; k < 3; k++) {
        free(c->qw[k]);
        free(c->qbit[k]);
    }
    intmap_free(&c->by_id);
    for (int k = 0; k < 3; k++)
        free(c->last_v[k].t);
    free(c);
}

/* ---- terms and document frequencies ---- */

static uint32_t term_find(const Clusterer *c, uint32_t id)
{
    if (!c->tcap)
        return NO_TERM;
    for (size_t h = term_home(id, c->tcap);; h = (h + 1) & (c->tcap - 1)) {
        const TermSlot *e = &c->tslot[h];
        if (!e->num1)
            return NO_TERM;
        if (e->id == id)
            return e->num1 - 1;
    }
}

/* The number of term id, given one (with df 0) when new. */
static uint32_t term_num(Clusterer *c, uint32_t id)
{
    uint32_t n = term_find(c, id);
    if (n != NO_TERM)
        return n;
    if (((size_t)c->n_terms + 1) * 10 > c->tcap * 7) {
        size_t cap = c->tcap ? c->tcap * 2 : 1024;
        TermSlot *slot = xcalloc(cap, sizeof *slot);
        for (size_t i = 0; i < c->tcap; i++)
            if (c->tslot[i].num1) {
                size_t h = term_home(c->tslot[i].id, cap);
                while (slot[h].num1)
                    h = (h + 1) & (cap - 1);
                slot[h] = c->tslot[i];
            }
        free(c->tslot);
        c->tslot = slot;
        c->tcap = cap;
    }
    if (c->n_terms == c->cap_terms) {
        uint32_t old = c->cap_terms, cap = old ? old * 2 : 1024;
        c->term_ids = xrealloc(c->term_ids, cap * sizeof *c->term_ids);
        c->info = xrealloc(c->info, cap * sizeof *c->info);
        memset(c->info + old, 0, (cap - old) * sizeof *c->info);
        c->post = xrealloc(c->post, cap * sizeof *c->post);
        for (int k = 0; k < 3; k++) {
            c->qw[k] = xrealloc(c->qw[k], cap * sizeof *c->qw[k]);
            memset(c->qw[k] + old, 0, (cap - old) * sizeof *c->qw[k]);
            c->qbit[k] = xrealloc(c->qbit[k], cap / 64 * sizeof *c->qbit[k]);
            memset(c->qbit[k] + old / 64, 0, (cap - old) / 64 * sizeof *c->qbit[k]);
        }
        c->cap_terms = cap;
    }
    n = c->n_terms++;
    size_t h = term_home(id, c->tcap);
    while (c->tslot[h].num1)
        h = (h + 1) & (c->tcap - 1);
    c->tslot[h] = (TermSlot){id, n + 1};
    c->term_ids[n] = id;
    c->info[n].df = 0;
    c->post[n] = (Postings){0};
    return n;
}

/* The id at ids + k * stride bytes (an id array, or the ids of Terms). */
static inline uint32_t id_at(const void *ids, size_t stride, size_t k)
{
    uint32_t id;
    memcpy(&id, (const char *)ids + k * stride, sizeof id);
    return id;
}

/* The numbers of n term ids (id_at) into out, in order (new terms are
 * numbered as term_num would): the table slots of the ids a few ahead
 * are fetched while one is looked up, and each term's frequency and IDF
 * once its number is known. */
static void term_nums(Clusterer *c, const void *ids, size_t stride, size_t n, uint32_t *out)
{
    enum { AHEAD = 8 };
    for (size_t k = 0; k < n && k < AHEAD && c->tcap; k++)
        __builtin_prefetch(&c->tslot[term_home(id_at(ids, stride, k), c->tcap)]);
    for (size_t k = 0; k < n; k++) {
        if (k + AHEAD < n && c->tcap)
            __builtin_prefetch(&c->tslot[term_home(id_at(ids, stride, k + AHEAD), c->tcap)]);
        out[k] = term_num(c, id_at(ids, stride, k));
        __builtin_prefetch(&c->info[out[k]]);
    }
}

/* Frequencies or the document count changed: cached IDFs are stale. */
static void idf_changed(Clusterer *c)
{
    if (++c->idf_epoch == 0) {
        for (uint32_t i = 0; i < c->cap_terms; i++)
            c->info[i].stamp = 0;
        c->idf_epoch = 1;
    }
}

static double idf_of(double n_docs, double df, double offset)
{
    return log((n_docs + 1.0) / (df + 1.0)) + offset;
}

/* The IDF of term number n. */
static double term_idf(Clusterer *c, uint32_t n)
{
    TermInfo *ti = &c->info[n];
    if (ti->stamp != c->idf_epoch) {
        ti->idf = idf_of((double)c->n_docs, (double)ti->df, c->m.idf_offset);
        ti->stamp = c->idf_epoch;
    }
    return ti->idf;
}

void cluster_set_df(Clusterer *c, uint32_t term, int64_t df)
{
    uint32_t n = term_num(c, term); /* (may move c->info) */
    c->info[n].df = (uint32_t)(df < 0 ? 0 : df > 0x7fffffff ? 0x7fffffff : df);
    idf_changed(c);
}

void cluster_set_doc_count(Clusterer *c, int64_t n)
{
    c->n_docs = n;
    idf_changed(c);
}

double cluster_idf(const Clusterer *c, uint32_t term)
{
    uint32_t n = term_find(c, term);
    return idf_of((double)c->n_docs, n == NO_TERM ? 0.0 : (double)c->info[n].df, c->m.idf_offset);
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
    size_t k = 0, u = 0;
    const TermVec *vs[3] = {&d->title_terms, &d->body_terms, &d->entity_terms};
    int sorted = 1; /* (analysis gives each part sorted by id; the lead's
                     * terms are body terms) */
    for (int i = 0; i < 3; i++)
        for (uint32_t j = 1; j < vs[i]->n && sorted; j++)
            sorted = vs[i]->terms[j - 1].id < vs[i]->terms[j].id;
    if (sorted) {
        /* the three parts merged, each id once */
        uint32_t at[3] = {0, 0, 0};
        for (;;) {
            uint32_t low = UINT32_MAX;
            int any = 0;
            for (int i = 0; i < 3; i++)
                if (at[i] < vs[i]->n && (!any || vs[i]->terms[at[i]].id < low))
                    low = vs[i]->terms[at[i]].id, any = 1;
            if (!any)
                break;
            all[u++] = low;
            for (int i = 0; i < 3; i++)
                if (at[i] < vs[i]->n && vs[i]->terms[at[i]].id == low)
                    at[i]++;
        }
    } else {
        for (int i = 0; i < 3; i++)
            for (uint32_t j = 0; j < vs[i]->n; j++)
                all[k++] = vs[i]->terms[j].id;
        qsort(all, k, sizeof *all, cmp_u32);
        for (size_t i = 0; i < k; i++)
            if (u == 0 || all[u - 1] != all[i])
                all[u++] = all[i];
    }
    uint32_t *nums = xmalloc((u ? u : 1) * sizeof *nums);
    term_nums(c, all, sizeof *all, u, nums);
    for (size_t i = 0; i < u; i++) {
        uint32_t t = nums[i];
        if (c->info[t].df < 0x7fffffff)
            c->info[t].df++;
    }
    free(nums);
    c->n_docs++;
    idf_changed(c);
    if (terms) {
        *terms = all;
        *n_terms = u;
    } else {
        free(all);
    }
}

/* ---- vectors ---- */

/* The first position in t[lo, hi) whose id is not below id (t sorted by
 * id): where id is, or would go. */
static inline uint32_t term_lower_bound(const Term *t, uint32_t lo, uint32_t hi, uint32_t id)
{
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (t[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static double tf_weight(float count)
{
    return count > 0 ? 1.0 + log((double)count) : 0.0;
}

/* Adds a document's (sublinear) term weights into a story vector; calls
 * on_new for terms the story did not have. */
static void vec_add(Clusterer *c, Story *s, int which, uint32_t story_index, const TermVec *d,
                    const uint32_t *nums);

static uint32_t ix_hash(uint32_t id, uint32_t mask)
{
    return (id * 2654435761u) & mask;
}

/* The weight slot of term id in v's index (v->ix not NULL), inserted
 * (weight 0) when absent; the table doubles past half full. */
static float *ix_put(Vec *v, uint32_t id)
{
    if (id == 0) {
        if (!v->has0) {
            v->has0 = 1;
            v->w0 = 0;
        }
        return &v->w0;
    }
    if (2 * (v->ix_count + 1) > v->ix_mask + 1) {
        uint32_t cap = 2 * (v->ix_mask + 1);
        IxSlot *old = v->ix, *ix = xcalloc(cap, sizeof *ix);
        for (uint32_t i = 0; i <= v->ix_mask; i++)
            if (old[i].id) {
                uint32_t h = ix_hash(old[i].id, cap - 1);
                while (ix[h].id)
                    h = (h + 1) & (cap - 1);
                ix[h] = old[i];
            }
        free(old);
        v->ix = ix;
        v->ix_mask = cap - 1;
    }
    uint32_t h = ix_hash(id, v->ix_mask);
    while (v->ix[h].id && v->ix[h].id != id)
        h = (h + 1) & v->ix_mask;
    if (!v->ix[h].id) {
        v->ix[h] = (IxSlot){id, 0};
        v->ix_count++;
    }
    return &v->ix[h].w;
}

/* The weight slot of term id (number num) in weighted vector v (v->ix
 * not NULL), inserted with weight 0 when absent: the one place a weighted
 * vector's weights are changed (set the slot to the term's new weight;
 * a term whose sum drops to nothing is set to 0). */
static float *vec_wslot(Vec *v, uint32_t id, uint32_t num)
{
    if (v->hot && num < HOT_TERMS)
        return &v->hot[num];
    return ix_put(v, id);
}

/* Drops v's weights (they are rebuilt by story_weigh). */
static void vec_unweigh(Vec *v)
{
    free(v->ix);
    free(v->hot);
    v->ix = NULL;
    v->hot = NULL;
}

/* Adds a story to the postings of term number num. */
static void postings_add(Clusterer *c, uint32_t num, uint32_t story_index)
{
    Postings *p = &c->post[num];
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 4;
        p->story = xrealloc(p->story, p->cap * sizeof *p->story);
    }
    /* into the part every search reads (the first set aside moves to
     * the end) */
    p->story[p->n++] = story_index;
    if (p->n_live < p->n - 1) {
        p->story[p->n - 1] = p->story[p->n_live];
        p->story[p->n_live] = story_index;
    }
    p->n_live++;
    p->n_all++;
}

/* (nums: the numbers of d's terms, or NULL to look them up) */
static void vec_add(Clusterer *c, Story *s, int which, uint32_t story_index, const TermVec *d,
                    const uint32_t *nums)
{
    Vec *v = &s->v[which];
    /* the weighted copy and its norm are kept up to date term by term when
     * they exist, so that adding to a large story costs the size of the
     * document, not of the story */
    int weighted = s->norm_docs >= 0 && v->ix;
    double norm2 = weighted ? s->norm[which] * s->norm[which] : 0;
    /* each document term (sorted by id) found in the story's terms by
     * binary search from where the last one was: the sums it shares are
     * added in place; new terms are noted (with where they go) and put in
     * afterwards, in one pass from the end */
    uint32_t *ins = NULL, n_new = 0, lo = 0;
    if (!v->t) {
        v->cap = 8;
        v->t = xmalloc(((size_t)v->cap + 1) * sizeof *v->t);
    }
    for (uint32_t j = 0; j < d->n; j++) {
        uint32_t id = d->terms[j].id;
        lo = term_lower_bound(v->t, lo, v->n, id);
        float tf = (float)tf_weight(d->terms[j].weight);
        if (lo < v->n && v->t[lo].id == id) {
            v->t[lo].weight += tf;
            if (weighted) {
                uint32_t num = nums ? nums[j] : term_num(c, id);
                float *slot = vec_wslot(v, id, num);
                double old = *slot;
                float w = (float)(v->t[lo].weight * term_idf(c, num));
                *slot = w;
                norm2 += (double)w * w - old * old;
            }
            lo++; /* (a repeated id counts as new, as a merge would take it) */
            continue;
        }
        /* (the lead's terms are body terms, numbered: needed only to weigh) */
        uint32_t num = nums ? nums[j] : (weighted || which < F_LEAD) ? term_num(c, id) : NO_TERM;
        if (weighted) {
            float w = (float)(tf * term_idf(c, num));
            *vec_wslot(v, id, num) = w;
            norm2 += (double)w * w;
        }
        if (which < F_LEAD) /* (the lead's terms are the body's) */
            postings_add(c, num, story_index);
        if (!ins)
            ins = xmalloc(2 * ((size_t)d->n - j) * sizeof *ins);
        ins[2 * n_new] = j;
        ins[2 * n_new++ + 1] = lo; /* goes before the story's term at lo */
    }
    if (n_new) {
        if (v->n + n_new > v->cap) {
            uint32_t cap = v->cap ? v->cap : 8;
            while (cap < v->n + n_new)
                cap *= 2;
            v->t = xrealloc(v->t, ((size_t)cap + 1) * sizeof *v->t);
            v->cap = cap;
        }
        /* from the end: each run of the story's terms moves up past the
         * new terms before it */
        uint32_t end = v->n;
        for (uint32_t r = n_new; r > 0; r--) {
            const Term *nt = &d->terms[ins[2 * (r - 1)]];
            uint32_t at = ins[2 * (r - 1) + 1];
            memmove(v->t + at + r, v->t + at, (size_t)(end - at) * sizeof *v->t);
            v->t[at + r - 1] = (Term){nt->id, (float)tf_weight(nt->weight)};
            end = at;
        }
        v->n += n_new;
    }
    free(ins);
    if (!weighted)
        vec_unweigh(v);
    if (weighted)
        s->norm[which] = norm2 > 0 ? sqrt(norm2) : 0;
}

/* Weighs a story vector by the current IDF into its index (rebuilt);
 * returns its norm. */
static double story_weigh(Clusterer *c, Vec *v)
{
    uint32_t *nums = xmalloc(((size_t)v->n + 1) * sizeof *nums);
    if (v->n)
        term_nums(c, v->t, sizeof(Term), v->n, nums);
    /* the hot terms of a large vector in their array (reused when there
     * is one), the others in the index */
    uint32_t n_ix = v->n;
    if (v->n >= HOT_MIN_TERMS) {
        if (v->hot)
            memset(v->hot, 0, HOT_TERMS * sizeof *v->hot);
        else
            v->hot = xcalloc(HOT_TERMS, sizeof *v->hot);
        for (uint32_t i = 0; i < v->n; i++)
            n_ix -= nums[i] < HOT_TERMS;
    } else {
        free(v->hot);
        v->hot = NULL;
    }
    uint32_t cap = 16;
    while (cap < 2 * n_ix)
        cap *= 2;
    if (v->ix && v->ix_mask + 1 == cap) { /* the table is reused: no new pages */
        memset(v->ix, 0, cap * sizeof *v->ix);
    } else {
        free(v->ix);
        v->ix = xcalloc(cap, sizeof *v->ix);
    }
    v->ix_mask = cap - 1;
    v->ix_count = 0;
    v->has0 = 0;
    double sum = 0;
    for (uint32_t i = 0; i < v->n; i++) {
        double x = v->t[i].weight * term_idf(c, nums[i]);
        *vec_wslot(v, v->t[i].id, nums[i]) = (float)x;
        sum += x * x;
    }
    free(nums);
    return sqrt(sum);
}

/* IDF lookups dominate comparisons, so each story keeps its vectors
 * weighted; they are redone when the story changes or the collection has
 * grown by a tenth. */
static void refresh_norms(Clusterer *c, Story *s)
{
    if (s->norm_docs >= 0 && (double)(c->n_docs - s->norm_docs) <= 0.1 * (double)s->norm_docs)
        return;
    for (int i = 0; i < F_LEAD; i++)
        s->norm[i] = story_weigh(c, &s->v[i]);
    /* the lead is weighed when a feature needs it (lead_weigh) */
    vec_unweigh(&s->v[F_LEAD]);
    s->norm_docs = c->n_docs;
}

/* Weighs the story's lead sums when they are not (after refresh_norms). */
static void lead_weigh(Clusterer *c, Story *s)
{
    if (!s->v[F_LEAD].ix)
        s->norm[F_LEAD] = story_weigh(c, &s->v[F_LEAD]);
}


/* (The numbers share the terms' allocation: free w.t only.) */
static WVec weigh(Clusterer *c, const TermVec *d)
{
    WVec w = {xmalloc(((size_t)d->n + 1) * (sizeof(Term) + sizeof(uint32_t))), NULL, d->n, 0};
    w.num = (uint32_t *)(w.t + d->n + 1);
    double sum = 0;
    if (d->n)
        term_nums(c, d->terms, sizeof(Term), d->n, w.num);
    for (uint32_t i = 0; i < d->n; i++) {
        double tf = c->raw_query ? d->terms[i].weight : tf_weight(d->terms[i].weight);
        double x = tf * term_idf(c, w.num[i]);
        w.t[i] = (Term){d->terms[i].id, (float)x};
        sum += x * x;
    }
    w.norm = sqrt(sum);
    return w;
}

/* The weight of term id in v's index, or NULL when absent (a hot term
 * of a vector with hot weights is not in the index: see vec_weight). */
static inline const float *ix_get(const Vec *v, uint32_t id)
{
    if (id == 0)
        return v->has0 ? &v->w0 : NULL;
    const IxSlot *ix = v->ix;
    for (uint32_t h = ix_hash(id, v->ix_mask);; h = (h + 1) & v->ix_mask) {
        if (ix[h].id == id)
            return &ix[h].w;
        if (ix[h].id == 0)
            return NULL;
    }
}

/* The weight of term id (number num) in weighted vector v, 0 when absent
 * (a product with it then adds nothing). */
static inline float vec_weight(const Vec *v, uint32_t id, uint32_t num)
{
    if (v->hot && num < HOT_TERMS)
        return v->hot[num];
    const float *w = ix_get(v, id);
    return w ? *w : 0.0f;
}

/* Whether weighted vector v holds term id (number num). */
static int vec_has(const Vec *v, uint32_t id, uint32_t num)
{
    if (v->hot && num < HOT_TERMS) {
        uint32_t at = term_lower_bound(v->t, 0, v->n, id);
        return at < v->n && v->t[at].id == id;
    }
    return ix_get(v, id) != NULL;
}

/* The positions of a document part's terms to look up in a story: all,
 * or (known not NULL) those not known to be absent from it: terms set in
 * `known` but not in `has` are not in the story (an absent term adds
 * nothing). Returns their count; pos has room for d->n. */
static uint32_t probe_positions(const WVec *d, const uint64_t *known, const uint64_t *has, uint32_t *pos)
{
    uint32_t n = 0;
    if (!known) {
        for (uint32_t i = 0; i < d->n; i++)
            pos[n++] = i;
        return n;
    }
    /* a word of the bitmaps at a time */
    for (uint32_t w = 0; w * 64 < d->n; w++) {
        uint64_t look = ~known[w] | has[w];
        if (d->n - w * 64 < 64)
            look &= (1ull << (d->n - w * 64)) - 1;
        while (look) {
            pos[n++] = w * 64 + (uint32_t)__builtin_ctzll(look);
            look &= look - 1;
        }
    }
    return n;
}

/* Fetches the first index slots the lookups of d's terms at pos will read. */
static void probe_prefetch(const WVec *d, const Vec *s, const uint32_t *pos, uint32_t n)
{
    if (s->hot) {
        for (uint32_t r = 0; r < n; r++) {
            uint32_t num = d->num[pos[r]];
            __builtin_prefetch(num < HOT_TERMS ? (const void *)&s->hot[num]
                                               : (const void *)&s->ix[ix_hash(d->t[pos[r]].id, s->ix_mask)]);
        }
        return;
    }
    for (uint32_t r = 0; r < n; r++)
        __builtin_prefetch(&s->ix[ix_hash(d->t[pos[r]].id, s->ix_mask)]);
}

/* The dot product of d's terms at pos (ascending) with their weights in
 * story part s: the products of the terms they share summed in term id
 * order (d is sorted; d->num set). */
static inline float ix_weight(const Vec *s, uint32_t id)
{
    /* the first slot decides most probes: read without a branch on hit or
     * miss (an absent term weighs 0) */
    const IxSlot *e = &s->ix[ix_hash(id, s->ix_mask)];
    float w = e->id == id ? e->w : 0.0f;
    if (e->id != id && e->id != 0) {
        const float *x = ix_get(s, id);
        w = x ? *x : 0.0f;
    } else if (id == 0) {
        w = s->has0 ? s->w0 : 0.0f;
    }
    return w;
}

static double probe_dot(const WVec *d, const Vec *s, const uint32_t *pos, uint32_t n)
{
    double dot = 0;
    if (s->hot) {
        for (uint32_t r = 0; r < n; r++) {
            /* a hot term's weight or the first slot of a cold one, read
             * through pointers chosen without a branch (hot and cold
             * terms alternate unpredictably); a hot term "finds" its own
             * id, so only a cold term that is not in the first slot goes
             * on to ix_weight */
            uint32_t i = pos[r], num = d->num[i], id = d->t[i].id;
            int hot = num < HOT_TERMS;
            const IxSlot *e = &s->ix[ix_hash(id, s->ix_mask)];
            const float *wp = hot ? &s->hot[num] : &e->w;
            const uint32_t *idp = hot ? &d->t[i].id : &e->id;
            uint32_t got = *idp;
            float w = got == id ? *wp : 0.0f;
            if (got != id && got != 0)
                w = ix_weight(s, id);
            else if (id == 0 && !hot)
                w = s->has0 ? s->w0 : 0.0f;
            dot += (double)d->t[i].weight * w;
        }
        return dot;
    }
    for (uint32_t r = 0; r < n; r++) {
        uint32_t i = pos[r];
        dot += (double)d->t[i].weight * ix_weight(s, d->t[i].id);
    }
    return dot;
}

/* The cosine from probe_dot's dot product. */
static double probe_cosine(const WVec *d, double s_norm, double dot)
{
    double cos = dot / (d->norm * s_norm);
    return cos > 1 ? 1 : cos;
}

/* Cosine of a document part and a story part; known and has as for
 * probe_positions; pos is scratch for d->n positions. */
static double cosine_doc_story(const WVec *d, const Vec *s, double s_norm, const uint64_t *known,
                               const uint64_t *has, uint32_t *pos)
{
    if (d->norm == 0 || s_norm == 0)
        return 0;
    uint32_t n = probe_positions(d, known, has, pos);
    probe_prefetch(d, s, pos, n);
    double dot = probe_dot(d, s, pos, n);
    return probe_cosine(d, s_norm, dot);
}

/* The lead features of a document's weighed lead against story s (the
 * built-in model weighs none: it spares the cosines and the story's
 * weighted lead); pos is scratch for lead->n positions. */
static void lead_features(Clusterer *c, const WVec *lead, Story *s, double f[CLUSTER_FEATURES], uint32_t *pos)
{
    lead_weigh(c, s);
    f[CF_LEAD] = cosine_doc_story(lead, &s->v[F_LEAD], s->norm[F_LEAD], NULL, NULL, pos);
    f[CF_LEAD_BODY] = cosine_doc_story(lead, &s->v[F_BODY], s->norm[F_BODY], NULL, NULL, pos);
}

static double time_closeness(const ClusterModel *m, const Story *s, int64_t t)
{
    if (!t || !s->timed)
        return 0.5; /* unknown: neither for nor against */
    double dist = 0;
    if (t < s->first)
        dist = (double)s->first - (double)t;
    else if (t > s->last)
        dist = (double)t - (double)s->last;
    double days = dist / 86400.0;
    return exp(-(days * days) / (2 * m->time_sigma_days * m->time_sigma_days));
}

/* ---- stories ---- */

/* Fetches the first `lines` cache lines of p's entries. */
static inline void postings_prefetch(const Postings *p, uint32_t lines)
{
    for (uint32_t k = 0; k < p->n_live && k < lines * 16; k += 16)
        __builtin_prefetch(p->story + k);
}

/* Records what candidates() reads of the story at index i. */
static void gate_set(Clusterer *c, uint32_t i)
{
    if (i >= c->cap_gate) {
        size_t cap = c->cap_gate ? c->cap_gate : 256;
        while (cap <= i)
            cap *= 2;
        c->gate = xrealloc(c->gate, cap * sizeof *c->gate);
        c->retired = xrealloc(c->retired, cap * sizeof *c->retired);
        memset(c->retired + c->cap_gate, 0, (cap - c->cap_gate) * sizeof *c->retired);
        c->cap_gate = cap;
    }
    const Story *s = c->stories[i];
    /* a time at the very ends of the range (only a damaged state holds
     * one) must not read as one of the markers */
    int64_t last = !s ? 0 : s->last < GATE_MERGED + 1 ? GATE_MERGED + 1 : s->last == GATE_UNTIMED ? GATE_UNTIMED - 1 : s->last;
    /* (a story with no member, absorbed or emptied, is no candidate) */
    int64_t g = !s ? GATE_EVICTED : s->merged_into || !s->n_members ? GATE_MERGED : !s->timed ? GATE_UNTIMED : last;
    if (c->retired[i] == c->retire_gen && c->gate[i] != g) {
        /* set aside somewhere, and no longer as it was: every part set
         * aside is read again (and sorted again) on its next search */
        if (++c->retire_gen == 0) {
            for (uint32_t k = 0; k < c->n_terms; k++)
                c->post[k].retire_gen = 0;
            memset(c->retired, 0, c->cap_gate * sizeof *c->retired);
            c->retire_gen = 1;
        }
    }
    c->gate[i] = g;
}

/* How many of p's entries a search at time t must read: the part set
 * aside is skipped when it is current and every story in it is out of
 * t's active window. */
static uint32_t postings_to_read(const Clusterer *c, const Postings *p, int64_t t)
{
    if (t && p->retire_gen == c->retire_gen &&
        (double)t - (double)p->retire_last > c->m.active_days * 86400.0)
        return p->n_live;
    return p->n;
}

static Story *story_get(Clusterer *c, int64_t id, uint32_t *index, int create)
{
    int created;
    int64_t *slot = create ? intmap_put(&c->by_id, (uint64_t)id, &created) : intmap_get(&c->by_id, (uint64_t)id);
    if (!slot)
        return NULL;
    if (create && !created && !c->stories[*slot]) {
        /* an evicted story taking an article again: it starts afresh */
        Story *s = xcalloc(1, sizeof *s);
        s->id = id;
        s->norm_docs = -1;
        c->stories[*slot] = s;
        c->n_live++;
        gate_set(c, (uint32_t)*slot);
    } else if (create && created) {
        if (c->n_stories == c->cap_stories) {
            c->cap_stories = c->cap_stories ? c->cap_stories * 2 : 256;
            c->stories = xrealloc(c->stories, c->cap_stories * sizeof *c->stories);
        }
        Story *s = xcalloc(1, sizeof *s);
        s->id = id;
        s->norm_docs = -1;
        *slot = (int64_t)c->n_stories;
        c->stories[c->n_stories++] = s;
        c->n_live++;
        gate_set(c, (uint32_t)*slot);
    }
    if (index)
        *index = (uint32_t)*slot;
    return c->stories[*slot];
}

typedef struct Cand {
    uint32_t story;
    double hits;
} Cand;

/* Candidate order: more hits first, then the older story (lower index). */
static int cand_better(const Cand *a, const Cand *b)
{
    return a->hits > b->hits || (a->hits == b->hits && a->story < b->story);
}

/* Body terms of a query that look for candidates. */
#define CAND_BODY_TERMS 15

/* Stories sharing telling terms with the query, best max first. Postings
 * longer than a fifth of all stories carry little signal and are skipped
 * once the index is large. */
static size_t candidates(Clusterer *c, const WVec *q[3], int64_t t, size_t max, Cand **out)
{
    if (c->cap_acc < c->n_stories) {
        c->cap_acc = c->n_stories + c->n_stories / 2 + 64;
        free(c->acc);
        c->acc = xcalloc(c->cap_acc, sizeof *c->acc);
        free(c->cand_of);
        c->cand_of = xcalloc(c->cap_acc, sizeof *c->cand_of);
        c->touched = xrealloc(c->touched, c->cap_acc * sizeof *c->touched);
        c->epoch = 0;
    }
    if (++c->epoch == 0) { /* wrapped: clear the marks */
        for (size_t i = 0; i < c->cap_acc; i++)
            c->acc[i].mark = 0;
        c->epoch = 1;
    }
    const double active = c->m.active_days * 86400.0;
    size_t n_touched = 0;
    size_t long_list = c->n_stories / 5 > 200 ? c->n_stories / 5 : 200;
    for (int f = 0; f < 3; f++) {
        if (!q[f])
            continue;
        /* body: only the doc's 15 heaviest terms, heaviest first (ties in
         * id order, as a stable sort would leave them); title and
         * entities: all */
        const Term *terms = q[f]->t;
        uint32_t n = q[f]->n;
        uint32_t top[CAND_BODY_TERMS]; /* positions in terms */
        int pick = f == F_BODY && n > CAND_BODY_TERMS;
        if (pick) {
            uint32_t nt = 0;
            for (uint32_t i = 0; i < n; i++) {
                if (nt == CAND_BODY_TERMS && !(terms[i].weight > terms[top[nt - 1]].weight))
                    continue;
                uint32_t pos = nt < CAND_BODY_TERMS ? nt++ : CAND_BODY_TERMS - 1;
                while (pos > 0 && terms[top[pos - 1]].weight < terms[i].weight) {
                    top[pos] = top[pos - 1];
                    pos--;
                }
                top[pos] = i;
            }
            n = nt;
        }
        /* the terms' lists, their headers fetched first */
        uint32_t nums[CAND_BODY_TERMS];
        for (uint32_t r = 0; r < n && pick; r++) {
            nums[r] = q[f]->num ? q[f]->num[top[r]] : term_find(c, terms[top[r]].id);
            if (nums[r] != NO_TERM)
                __builtin_prefetch(&c->post[nums[r]]);
        }
        for (uint32_t r = 0; r < n; r++) {
            uint32_t i = pick ? top[r] : r;
            uint32_t num = pick ? nums[r] : q[f]->num ? q[f]->num[i] : term_find(c, terms[i].id);
            if (!pick && q[f]->num && r + 4 < n)
                __builtin_prefetch(&c->post[q[f]->num[r + 4]]);
            if (num == NO_TERM)
                continue;
            Postings *p = &c->post[num];
            if (p->n_all > long_list)
                continue;
            if (r + 1 < n) { /* the next list's first entries */
                uint32_t next = pick ? nums[r + 1] : q[f]->num ? q[f]->num[r + 1] : NO_TERM;
                if (next != NO_TERM)
                    postings_prefetch(&c->post[next], 4);
            }
            int64_t add = (int64_t)(terms[i].weight * 1000.0);
            if (postings_to_read(c, p, t) == p->n) {
                /* all read: what is set aside is sorted again */
                p->n_live = p->n;
                p->retire_gen = c->retire_gen;
                p->retire_last = INT64_MIN;
            }
            for (uint32_t k = 0; k < p->n_live;) {
                uint32_t si = p->story[k];
                if (k + 8 < p->n_live) {
                    /* the gates and sums of the entries ahead */
                    __builtin_prefetch(&c->gate[p->story[k + 8]]);
                    __builtin_prefetch(&c->acc[p->story[k + 8]], 1);
                }
                int64_t g = c->gate[si];
                if (g == GATE_EVICTED) {
                    /* dropped from the list here: the last read entry
                     * takes its place, the last set aside that one's */
                    p->story[k] = p->story[--p->n_live];
                    p->story[p->n_live] = p->story[--p->n];
                    continue;
                }
                if (g == GATE_MERGED || (t && g != GATE_UNTIMED && (double)t - (double)g > active)) {
                    /* set aside: swapped with the last read entry */
                    p->story[k] = p->story[--p->n_live];
                    p->story[p->n_live] = si;
                    if (g != GATE_MERGED && g > p->retire_last)
                        p->retire_last = g;
                    c->retired[si] = c->retire_gen;
                    continue;
                }
                k++;
                Acc *a = &c->acc[si];
                if (a->mark != c->epoch) {
                    a->mark = c->epoch;
                    a->hits = 0;
                    c->touched[n_touched++] = si;
                }
                a->hits += add;
            }
        }
    }
    /* the best `max` by a heap that keeps the worst on top, then sorted:
     * sorting every story that shares a word would cost more than scoring
     * the few that matter. Ties in hits go to the older story (lower
     * index), so the order does not depend on how the lists were walked. */
    Cand *heap = xmalloc((max + 1) * sizeof *heap);
    size_t n = 0;
    for (size_t i = 0; i < n_touched; i++) {
        uint32_t si = c->touched[i];
        Cand cand = {si, (double)c->acc[si].hits};
        size_t pos;
        if (n < max) {
            pos = n++;
            while (pos > 0 && cand_better(&heap[(pos - 1) / 2], &cand)) {
                heap[pos] = heap[(pos - 1) / 2];
                pos = (pos - 1) / 2;
            }
            heap[pos] = cand;
        } else if (cand_better(&cand, &heap[0])) {
            pos = 0;
            for (;;) {
                size_t l = 2 * pos + 1, r = l + 1, m = pos;
                const Cand *worst = &cand;
                if (l < n && cand_better(worst, &heap[l]))
                    m = l, worst = &heap[l];
                if (r < n && cand_better(worst, &heap[r]))
                    m = r;
                if (m == pos)
                    break;
                heap[pos] = heap[m];
                pos = m;
            }
            heap[pos] = cand;
        }
    }
    /* (insertion sort: at most max_candidates, and cand_better is a
     * strict order, so the result is that of any sort) */
    for (size_t i = 1; i < n; i++) {
        Cand x = heap[i];
        size_t j = i;
        while (j > 0 && cand_better(&x, &heap[j - 1])) {
            heap[j] = heap[j - 1];
            j--;
        }
        heap[j] = x;
    }
    *out = heap;
    return n;
}

/* Sets (or clears) the query's normalised weights by term number, for
 * dot products with member sketches at the cost of the sketch's length. */
static void query_weights(Clusterer *c, const WVec v[3], int set)
{
    for (int k = 0; k < 3; k++) {
        if (v[k].n == 0 || v[k].norm == 0)
            continue;
        for (uint32_t i = 0; i < v[k].n; i++) {
            uint32_t n = v[k].num[i];
            c->qw[k][n] = set ? (float)(v[k].t[i].weight / v[k].norm) : 0.0f;
            if (set)
                c->qbit[k][n / 64] |= 1ull << (n % 64);
            else
                c->qbit[k][n / 64] &= ~(1ull << (n % 64));
        }
    }
}

/* A document's weighted vectors and its candidate stories. */
typedef struct Query {
    WVec v[3];
    WVec lead;              /* the lead's vector */
    const WVec *q[3];
    const float *qw[3];     /* the clusterer's qw and qbit, set when n > 0 */
    const uint64_t *qbit[3];
    int64_t t;
    Cand *cands;
    size_t n;
    double (*f)[CLUSTER_FEATURES]; /* features of each candidate (0 where not computed) */
    unsigned done;          /* the Q_* groups of features computed for every candidate */
    int weights_set;        /* qw/qbit hold the query's weights (query_weights) */
    uint8_t *linked;        /* per candidate: among the MAXLINK_STORIES closest by centroid */
} Query;

/* Groups of features query_start computes only when asked (the centroid
 * cosines and the time closeness are always computed). */
enum {
    Q_SKETCH = 1,           /* CF_BODY_MAX, CF_TITLE_MAX, CF_ENTITY_MAX, CF_BODY_TOP3 */
    Q_RARE = 2,             /* CF_RARE */
    Q_FACTS = 4,            /* CF_YEAR_AGREE .. CF_DATE_NEAR, CF_*_ONESIDE */
    Q_LEAD = 8,             /* CF_LEAD, CF_LEAD_BODY */
    Q_ALL = 15
};

/* The dot products of a story's sketched members' part p with the
 * query's (their cosines, at most 1), four sketches at a time, each
 * summed in its own order: four independent chains of additions instead
 * of one. */
static void sketch_dots(const Query *qr, const Story *s, int p, double dots[CLUSTER_SKETCHES])
{
    for (uint32_t k = 0; k < s->n_sk; k += 4) {
        const Term *t[4];
        uint32_t n[4];
        double acc[4] = {0, 0, 0, 0};
        uint32_t m = UINT32_MAX, g = s->n_sk - k < 4 ? s->n_sk - k : 4;
        for (uint32_t j = 0; j < 4; j++) {
            const Sketch *sk = &s->sk[k + (j < g ? j : 0)];
            t[j] = sk->t + (p > 0 ? sk->n[0] : 0) + (p > 1 ? sk->n[1] : 0);
            n[j] = j < g ? sk->n[p] : 0;
            if (n[j] < m)
                m = n[j];
        }
        const float *qw = qr->qw[p];
        const uint64_t *qb = qr->qbit[p];
        /* the weight of a term the article lacks is read from `zero`,
         * so the large qw array is touched only where the article is */
        static const float zero = 0.0f;
#define QW(x) (*((qb[(x) / 64] >> ((x) % 64) & 1) ? &qw[x] : &zero))
        for (uint32_t i = 0; i < m; i++) {
            acc[0] += (double)QW(t[0][i].id) * t[0][i].weight;
            acc[1] += (double)QW(t[1][i].id) * t[1][i].weight;
            acc[2] += (double)QW(t[2][i].id) * t[2][i].weight;
            acc[3] += (double)QW(t[3][i].id) * t[3][i].weight;
        }
        for (uint32_t j = 0; j < g; j++) {
            for (uint32_t i = m; i < n[j]; i++)
                acc[j] += (double)QW(t[j][i].id) * t[j][i].weight;
#undef QW
            dots[k + j] = acc[j] > 1 ? 1 : acc[j];
        }
    }
}

/* Max-link features of a story: the best cosine of each part against one
 * of its sketched members, and the mean of the three best body cosines.
 * A story without sketches (a state saved by an older version) stands in
 * with its centroid cosines. */
static void sketch_features(const Query *qr, const Story *s, double f[CLUSTER_FEATURES])
{
    if (s->n_sk == 0) {
        f[CF_BODY_MAX] = f[CF_BODY_TOP3] = f[CF_BODY];
        f[CF_TITLE_MAX] = f[CF_TITLE];
        f[CF_ENTITY_MAX] = f[CF_ENTITY];
        return;
    }
    double dots[3][CLUSTER_SKETCHES];
    for (int p = 0; p < 3; p++)
        sketch_dots(qr, s, p, dots[p]);
    double best[3] = {0, 0, 0}, top[3] = {0, 0, 0};
    for (uint32_t k = 0; k < s->n_sk; k++) {
        for (int p = 0; p < 3; p++) {
            double cos = dots[p][k];
            if (cos > best[p])
                best[p] = cos;
            if (p == F_BODY) {
                if (cos > top[0]) {
                    top[2] = top[1];
                    top[1] = top[0];
                    top[0] = cos;
                } else if (cos > top[1]) {
                    top[2] = top[1];
                    top[1] = cos;
                } else if (cos > top[2]) {
                    top[2] = cos;
                }
            }
        }
    }
    uint32_t nt = s->n_sk < 3 ? s->n_sk : 3;
    f[CF_BODY_MAX] = best[F_BODY];
    f[CF_TITLE_MAX] = best[F_TITLE];
    f[CF_ENTITY_MAX] = best[F_ENTITY];
    f[CF_BODY_TOP3] = (top[0] + top[1] + top[2]) / nt;
}

/* CF_BODY_MAX alone, as sketch_features computes it. */
static double sketch_body_max(const Query *qr, const Story *s, const double f[CLUSTER_FEATURES])
{
    if (s->n_sk == 0)
        return f[CF_BODY];
    double dots[CLUSTER_SKETCHES], best = 0;
    sketch_dots(qr, s, F_BODY, dots);
    for (uint32_t k = 0; k < s->n_sk; k++)
        if (dots[k] > best)
            best = dots[k];
    return best;
}

/* The article's RARE_TERMS terms of highest IDF over title, body and
 * entities (ids may repeat across parts; each counts once), by IDF. */
#define RARE_TERMS 8
typedef struct Rare {
    uint32_t id[RARE_TERMS], num[RARE_TERMS];
    uint32_t at[RARE_TERMS][2]; /* part and position where first seen */
    double idf[RARE_TERMS];
    int n;
    double total;
} Rare;

static void rare_terms(Clusterer *c, const WVec v[3], Rare *r)
{
    memset(r, 0, sizeof *r);
    const WVec *vs[3] = {&v[F_BODY], &v[F_TITLE], &v[F_ENTITY]};
    for (int p = 0; p < 3; p++)
        for (uint32_t i = 0; i < vs[p]->n; i++) {
            uint32_t id = vs[p]->t[i].id;
            double idf = term_idf(c, vs[p]->num[i]);
            int dup = 0;
            for (int k = 0; k < r->n && !dup; k++)
                dup = r->id[k] == id;
            if (dup || (r->n == RARE_TERMS && idf <= r->idf[r->n - 1]))
                continue;
            int pos = r->n < RARE_TERMS ? r->n++ : RARE_TERMS - 1;
            while (pos > 0 && r->idf[pos - 1] < idf) {
                r->id[pos] = r->id[pos - 1];
                r->num[pos] = r->num[pos - 1];
                r->at[pos][0] = r->at[pos - 1][0];
                r->at[pos][1] = r->at[pos - 1][1];
                r->idf[pos] = r->idf[pos - 1];
                pos--;
            }
            r->id[pos] = id;
            r->num[pos] = vs[p]->num[i];
            r->at[pos][0] = (uint32_t)(vs[p] - v);
            r->at[pos][1] = i;
            r->idf[pos] = idf;
        }
    for (int k = 0; k < r->n; k++)
        r->total += r->idf[k];
}

/* known/has as for cosine_doc_story, per part (known may be NULL). */
static double rare_overlap(const Rare *r, Story *s, uint64_t *const known[3], const uint64_t *const has[3])
{
    if (r->total <= 0)
        return 0;
    double got = 0;
    for (int k = 0; k < r->n; k++) {
        uint32_t p0 = r->at[k][0], i = r->at[k][1];
        if (known && (known[p0][i / 64] >> (i % 64) & 1) && !(has[p0][i / 64] >> (i % 64) & 1))
            continue; /* in no part of the story */
        for (int p = 0; p < 3; p++) {
            /* (a sum cluster_remove left at 0 is not held) */
            if (s->v[p].ix && vec_has(&s->v[p], r->id[k], r->num[k]) &&
                (!s->zeroed || vec_weight(&s->v[p], r->id[k], r->num[k]) > 0)) {
                got += r->idf[k];
                break;
            }
        }
    }
    return got / r->total;
}

/* Width of the date closeness (CF_DATE_NEAR), in days. */
#define DATE_SIGMA_DAYS 3.0

/* The days of the year (month and day; "March 3" and "March 3, 2013"
 * alike) a fact list's calendar dates name, with their counts, in order:
 * the dates are the last facts of the list (kind 3), sorted by month and
 * day. Returns how many distinct days, at most max. */
static size_t fact_days(const Term *t, uint32_t n, int *day, double *w, size_t max)
{
    uint32_t lo = term_lower_bound(t, 0, n, DOC_FACT_ID(DOC_FACT_DATE, 0));
    size_t k = 0;
    for (uint32_t i = lo; i < n; i++) {
        uint32_t v = t[i].id & 0x3FFFFFFFu, m = DOC_DATE_MONTH(v), d = DOC_DATE_DAY(v);
        if (d == 0 || m < 1 || m > 12)
            continue; /* a month and year alone names no day */
        static const int before[13] = {0, 0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335};
        int doy = before[m] + (int)d; /* 1-366, February 29 counted */
        if (k > 0 && day[k - 1] == doy)
            w[k - 1] += t[i].weight;
        else if (k < max) {
            day[k] = doy;
            w[k++] = t[i].weight;
        }
    }
    return k;
}

/* Dates: the overlap of the days of the year the article and the story
 * name (as for the other facts), its complement when both name days, and
 * how close their nearest two days are (around the year's end too); all
 * 0 when either names none. The years are compared as years. */
static void date_features(const TermVec *a, const Story *s, double f[CLUSTER_FEATURES])
{
    enum { MAXD = 400 };
    int da[MAXD], ds[MAXD];
    double wa[MAXD], ws[MAXD];
    f[CF_DATE_AGREE] = f[CF_DATE_CONFLICT] = f[CF_DATE_NEAR] = 0;
    size_t na = fact_days(a->terms, a->n, da, wa, MAXD);
    if (na == 0)
        return;
    size_t ns = fact_days(s->yr, s->n_yr, ds, ws, MAXD);
    if (ns == 0)
        return;
    double ta = 0, ts = 0, inter = 0;
    for (size_t i = 0; i < na; i++)
        ta += wa[i];
    for (size_t j = 0; j < ns; j++)
        ts += ws[j];
    int best = 400;
    for (size_t i = 0, j = 0; i < na; i++) {
        while (j < ns && ds[j] < da[i])
            j++;
        if (j < ns && ds[j] == da[i]) {
            double pa = wa[i] / ta, ps = ws[j] / ts;
            inter += pa < ps ? pa : ps;
        }
        /* the nearest day of the story: at j, before it, or across the
         * year's end (its first and last days) */
        int cand[4] = {j < ns ? ds[j] : ds[ns - 1], j > 0 ? ds[j - 1] : ds[0], ds[0], ds[ns - 1]};
        for (int k = 0; k < 4; k++) {
            int d = abs(cand[k] - da[i]);
            if (366 - d < d)
                d = 366 - d;
            if (d < best)
                best = d;
        }
    }
    double x = inter > 1 ? 1 : inter;
    f[CF_DATE_AGREE] = x;
    f[CF_DATE_CONFLICT] = 1 - x;
    f[CF_DATE_NEAR] = exp(-(double)best * best / (2 * DATE_SIGMA_DAYS * DATE_SIGMA_DAYS));
}

/* Agreement of the facts (DOC_FACT_*: years, people, figures) the
 * article states with those its story's members state, kind by kind: the
 * overlap of the two count distributions (histogram intersection, 1 when
 * they state the same ones in the same proportions), and its complement
 * as the conflict when both state facts of the kind; both 0 when either
 * states none. Whether exactly one side writes years (or days) at all is
 * a feature of its own (CF_YEAR_ONESIDE, CF_DATE_ONESIDE). Dates are
 * compared by date_features. */
static void fact_features(const TermVec *a, const Story *s, double f[CLUSTER_FEATURES])
{
    static const int agree[DOC_FACT_DATE] = {CF_YEAR_AGREE, CF_PERSON_AGREE, CF_NUMBER_AGREE};
    double ta[4] = {0}, inter[4] = {0};
    const double *ts = s->fact_total;
    for (uint32_t i = 0; i < a->n; i++)
        ta[DOC_FACT_KIND(a->terms[i].id)] += a->terms[i].weight;
    /* each of the article's few facts looked up in the story's list */
    uint32_t lo = 0;
    for (uint32_t i = 0; i < a->n && lo < s->n_yr; i++) {
        uint32_t id = a->terms[i].id;
        if (DOC_FACT_KIND(id) == DOC_FACT_DATE)
            break;
        if (!(ts[DOC_FACT_KIND(id)] > 0))
            continue; /* the story states none of the kind: nothing to find */
        lo = term_lower_bound(s->yr, lo, s->n_yr, id);
        if (lo < s->n_yr && s->yr[lo].id == id) {
            uint32_t k = DOC_FACT_KIND(id);
            double pa = a->terms[i].weight / ta[k], ps = s->yr[lo].weight / ts[k];
            inter[k] += pa < ps ? pa : ps;
        }
    }
    for (int k = 0; k < DOC_FACT_DATE; k++) {
        int known = ta[k] > 0 && ts[k] > 0;
        double x = inter[k] > 1 ? 1 : inter[k];
        f[agree[k]] = known ? x : 0;
        f[agree[k] + 1] = known ? 1 - x : 0;
    }
    f[CF_YEAR_ONESIDE] = (ta[DOC_FACT_YEAR] > 0) != (ts[DOC_FACT_YEAR] > 0);
    f[CF_DATE_ONESIDE] = (ta[DOC_FACT_DATE] > 0) != (ts[DOC_FACT_DATE] > 0);
    date_features(a, s, f);
}

/* Sorts candidates by hits, most first, equal ones kept in their order
 * (a stable insertion sort: there are at most max_candidates). */
static void sort_cands_stable(Cand *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        Cand x = a[i];
        size_t j = i;
        while (j > 0 && a[j - 1].hits < x.hits) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = x;
    }
}

/* Postings read to learn which candidates hold a term: those at most
 * this many entries long per candidate. */
#define SCAN_PER_CAND 8

/* The groups of features whose weight is not 0 in m: the others add
 * nothing to a score. */
static unsigned model_needs(const ClusterModel *m)
{
    unsigned need = 0;
    if (m->w[CF_BODY_MAX] != 0 || m->w[CF_TITLE_MAX] != 0 || m->w[CF_ENTITY_MAX] != 0 ||
        m->w[CF_BODY_TOP3] != 0)
        need |= Q_SKETCH;
    if (m->w[CF_RARE] != 0)
        need |= Q_RARE;
    for (int k = CF_YEAR_AGREE; k <= CF_DATE_NEAR; k++)
        if (m->w[k] != 0)
            need |= Q_FACTS;
    if (m->w[CF_YEAR_ONESIDE] != 0 || m->w[CF_DATE_ONESIDE] != 0)
        need |= Q_FACTS;
    if (m->w[CF_LEAD] != 0 || m->w[CF_LEAD_BODY] != 0)
        need |= Q_LEAD;
    return need;
}

/* Sets the query's normalised weights by term number (for the sketch
 * dots), once. No term may be numbered after this until query_end. */
static void query_set_weights(Clusterer *c, Query *qr)
{
    if (qr->weights_set || !qr->n)
        return;
    query_weights(c, qr->v, 1);
    for (int k = 0; k < 3; k++)
        qr->qw[k] = c->qw[k], qr->qbit[k] = c->qbit[k];
    qr->weights_set = 1;
}

/* What the centroid cosines of one candidate look up: per part, the
 * positions of the query's terms (probe_positions), or skip when a norm
 * is 0 (the cosine is 0). */
/* Candidates whose lookups are planned (and their slots fetched) ahead
 * of the one scored; 2 and 4 measured no better than 1 on Reuters. */
#ifndef PLAN_AHEAD
#define PLAN_AHEAD 1
#endif
typedef struct ProbePlan {
    uint32_t *pos[3];
    uint32_t n[3];
    int skip[3];
} ProbePlan;

/* Readies candidate i for its centroid cosines: its norms refreshed, the
 * positions it looks up, and the index slots they read fetched. */
static void probe_plan(Clusterer *c, const Query *qr, size_t i, uint64_t *const known[3],
                       uint64_t *const has[3], const uint32_t words[3], ProbePlan *pl)
{
    Story *s = c->stories[qr->cands[i].story];
    refresh_norms(c, s);
    for (int k = 0; k < 3; k++) {
        pl->skip[k] = qr->q[k]->norm == 0 || s->norm[k] == 0;
        pl->n[k] = 0;
        if (pl->skip[k])
            continue;
        pl->n[k] = probe_positions(qr->q[k], known[k], has[k] + i * words[k], pl->pos[k]);
        probe_prefetch(qr->q[k], &s->v[k], pl->pos[k], pl->n[k]);
    }
}

/* Finds the candidates of d and computes their features: the centroid
 * cosines, the time closeness and the groups in `need` (Q_*); the others
 * are left 0 (query_fill computes them for one candidate). */
static void query_start(Clusterer *c, const Doc *d, Query *qr, unsigned need)
{
    qr->v[F_BODY] = weigh(c, &d->body_terms);
    qr->v[F_TITLE] = weigh(c, &d->title_terms);
    qr->v[F_ENTITY] = weigh(c, &d->entity_terms);
    /* (the lead's terms are body terms, numbered above: weighing it
     * numbers no term) */
    qr->lead = (need & Q_LEAD) ? weigh(c, &d->lead_terms) : (WVec){0};
    for (int k = 0; k < 3; k++)
        qr->q[k] = &qr->v[k];
    qr->t = d->article ? d->article->published : 0;
    qr->n = candidates(c, qr->q, qr->t, (size_t)c->m.max_candidates, &qr->cands);
    qr->done = need;
    qr->weights_set = 0;
    qr->f = xcalloc(qr->n + 1, sizeof *qr->f);
    qr->linked = xcalloc(qr->n + 1, sizeof *qr->linked);
    Cand *close = xmalloc((qr->n + 1) * sizeof *close);
    Rare rare;
    if (qr->n && (need & Q_RARE))
        rare_terms(c, qr->v, &rare);
    /* Which candidates hold which document terms, read from the postings
     * of the terms few stories hold: a term whose list was read ("known")
     * is looked up only in the candidates on it ("has"). Long lists are
     * not read; their terms are looked up in every candidate. */
    uint32_t words[3], max_n = 1;
    if (qr->lead.n > max_n)
        max_n = qr->lead.n;
    size_t total = 0;
    for (int p = 0; p < 3; p++) {
        words[p] = (qr->v[p].n + 63) / 64;
        total += (size_t)words[p] * (qr->n + 1);
        if (qr->v[p].n > max_n)
            max_n = qr->v[p].n;
    }
    uint64_t *bits = xcalloc(total + 1, sizeof *bits), *known[3], *has[3];
    uint32_t *pos = xmalloc(max_n * sizeof *pos);
    uint64_t *b = bits;
    for (int p = 0; p < 3; p++) {
        known[p] = b;
        has[p] = b + words[p];
        b += (size_t)words[p] * (qr->n + 1);
    }
    int scan = qr->n > 0 && qr->n < UINT16_MAX; /* else every term is looked up */
    for (size_t i = 0; i < qr->n && scan; i++)
        c->cand_of[qr->cands[i].story] = (uint16_t)(i + 1);
    size_t scan_max = SCAN_PER_CAND * qr->n;
    uint16_t *hit = xmalloc((scan_max + 1) * sizeof *hit);
    for (int p = 0; p < 3 && scan; p++)
        for (uint32_t i = 0; i < qr->v[p].n; i++) {
            /* the headers of the lists 8 terms ahead and the entries of
             * those 4 ahead are fetched while this one is read */
            const uint32_t *num = qr->v[p].num;
            if (i + 8 < qr->v[p].n)
                __builtin_prefetch(&c->post[num[i + 8]]);
            if (i + 4 < qr->v[p].n && c->post[num[i + 4]].n_live <= scan_max)
                postings_prefetch(&c->post[num[i + 4]], 4);
            /* (the entries set aside hold no candidate) */
            const Postings *pl = &c->post[num[i]];
            uint32_t len = postings_to_read(c, pl, qr->t);
            if (len > scan_max)
                continue;
            known[p][i / 64] |= 1ull << (i % 64);
            /* the candidates on the list gathered without a branch per
             * entry (most entries are not candidates), then marked */
            uint32_t m = 0;
            for (uint32_t k = 0; k < len; k++) {
                uint16_t at = c->cand_of[pl->story[k]];
                hit[m] = at;
                m += at != 0;
            }
            for (uint32_t k = 0; k < m; k++)
                has[p][(size_t)(hit[k] - 1) * words[p] + i / 64] |= 1ull << (i % 64);
        }
    free(hit);
    for (size_t i = 0; i < qr->n && scan; i++)
        c->cand_of[qr->cands[i].story] = 0;
    /* the centroid cosines: the index slots a candidate's lookups will
     * read are fetched while the PLAN_AHEAD candidates before it are
     * scored (a ring of PLAN_AHEAD + 1 plans) */
    size_t nq = (size_t)qr->v[0].n + qr->v[1].n + qr->v[2].n;
    uint32_t *plan_pos = xmalloc((PLAN_AHEAD + 1) * nq * sizeof *plan_pos + 1);
    ProbePlan plan[PLAN_AHEAD + 1];
    for (int h = 0; h <= PLAN_AHEAD; h++) {
        uint32_t *at = plan_pos + (size_t)h * nq;
        for (int k = 0; k < 3; k++) {
            plan[h].pos[k] = at;
            at += qr->v[k].n;
        }
    }
    for (size_t i = 0; i < qr->n && i < PLAN_AHEAD; i++)
        probe_plan(c, qr, i, known, has, words, &plan[i % (PLAN_AHEAD + 1)]);
    for (size_t i = 0; i < qr->n; i++) {
        Story *s = c->stories[qr->cands[i].story];
        double *f = qr->f[i];
        if (i + PLAN_AHEAD + 1 < qr->n) {
            const Story *s2 = c->stories[qr->cands[i + PLAN_AHEAD + 1].story];
            __builtin_prefetch(&s2->v[0]);
            __builtin_prefetch(&s2->norm[0]);
        }
        if (i + PLAN_AHEAD < qr->n)
            probe_plan(c, qr, i + PLAN_AHEAD, known, has, words, &plan[(i + PLAN_AHEAD) % (PLAN_AHEAD + 1)]);
        const ProbePlan *pl = &plan[i % (PLAN_AHEAD + 1)];
        const uint64_t *hs[3];
        for (int k = 0; k < 3; k++) {
            hs[k] = has[k] + i * words[k];
            f[k] = pl->skip[k] ? 0 : probe_cosine(qr->q[k], s->norm[k], probe_dot(qr->q[k], &s->v[k], pl->pos[k], pl->n[k]));
        }
        f[CF_TIME] = time_closeness(&c->m, s, qr->t);
        if (need & Q_RARE)
            f[CF_RARE] = rare_overlap(&rare, s, known, hs);
        if (need & Q_FACTS)
            fact_features(&d->facts, s, f);
        if (need & Q_LEAD)
            lead_features(c, &qr->lead, s, f, pos);
        close[i] = (Cand){(uint32_t)i, f[CF_BODY] + f[CF_TITLE] + f[CF_ENTITY]};
    }
    /* member by member only for the stories closest by centroid; the
     * others stand in with their centroid cosines (as sketch_features does
     * for a story without sketches) */
    sort_cands_stable(close, qr->n);
    for (size_t r = 0; r < qr->n && r < MAXLINK_STORIES; r++)
        qr->linked[close[r].story] = 1;
    if (need & Q_SKETCH) {
        query_set_weights(c, qr);
        for (size_t i = 0; i < qr->n; i++) {
            static const Story none = {0};
            sketch_features(qr, qr->linked[i] ? c->stories[qr->cands[i].story] : &none, qr->f[i]);
        }
    }
    free(close);
    free(bits);
    free(pos);
    free(plan_pos);
}

/* CF_BODY_MAX of candidate i, computed if query_start did not. */
static double query_body_max(Clusterer *c, Query *qr, size_t i)
{
    const double *f = qr->f[i];
    if ((qr->done & Q_SKETCH) || !qr->linked[i])
        return (qr->done & Q_SKETCH) ? f[CF_BODY_MAX] : f[CF_BODY];
    query_set_weights(c, qr);
    return sketch_body_max(qr, c->stories[qr->cands[i].story], f);
}

/* Every feature of candidate i into out, the groups query_start left out
 * computed now, exactly as it would have. */
static void query_fill(Clusterer *c, const Doc *d, Query *qr, size_t i, double out[CLUSTER_FEATURES])
{
    memcpy(out, qr->f[i], sizeof *qr->f);
    Story *s = c->stories[qr->cands[i].story];
    if (!(qr->done & Q_SKETCH)) {
        static const Story none = {0};
        query_set_weights(c, qr);
        sketch_features(qr, qr->linked[i] ? s : &none, out);
    }
    if (!(qr->done & Q_RARE)) {
        Rare rare;
        rare_terms(c, qr->v, &rare);
        out[CF_RARE] = rare_overlap(&rare, s, NULL, NULL); /* (known only spares lookups) */
    }
    if (!(qr->done & Q_FACTS))
        fact_features(&d->facts, s, out);
    if (!(qr->done & Q_LEAD)) {
        WVec lead = weigh(c, &d->lead_terms);
        uint32_t *pos = xmalloc(((size_t)lead.n + 1) * sizeof *pos);
        lead_features(c, &lead, s, out, pos);
        free(pos);
        free(lead.t);
    }
}

/* Keeps the query's weighted vectors for the cluster_add that follows. */
static void query_end(Clusterer *c, const Doc *d, Query *qr)
{
    if (qr->weights_set)
        query_weights(c, qr->v, 0);
    free(qr->cands);
    free(qr->f);
    free(qr->linked);
    free(qr->lead.t);
    for (int k = 0; k < 3; k++)
        free(c->last_v[k].t);
    memcpy(c->last_v, qr->v, sizeof c->last_v);
    c->last_doc = d;
    c->last_simhash = d->simhash;
}

void cluster_candidate_features(Clusterer *c, const Doc *d, ClusterFeatureFn fn, void *ctx)
{
    Query qr;
    query_start(c, d, &qr, Q_ALL);
    for (size_t i = 0; i < qr.n; i++)
        fn(ctx, c->stories[qr.cands[i].story]->id, qr.f[i]);
    query_end(c, d, &qr);
}

double cluster_score(const ClusterModel *m, const double f[CLUSTER_FEATURES])
{
    double z = m->bias;
    for (int k = 0; k < CLUSTER_FEATURES; k++)
        z += m->w[k] * f[k];
    return z;
}

void cluster_report_features(Clusterer *c, int on)
{
    c->report_all = on != 0;
}

/* The first member of s that d is a near-copy of (within dup_hamming
 * bits, as simhash_distance counts them), or -1. */
static long near_copy_of(const Clusterer *c, const Story *s, const Doc *d)
{
    for (size_t k = 0; k < s->n_members; k++)
        if (s->members[k].simhash && simhash_distance(s->members[k].simhash, d->simhash) <= c->m.dup_hamming)
            return (long)k;
    return -1;
}

/* Members of a story scanned for a near-copy before its body max is
 * computed (when the body max is not known yet): both are needed for a
 * near-copy, and for a small story the scan is the cheaper test. */
#define DUP_SCAN_FIRST 1024

ClusterDecision cluster_assign(Clusterer *c, const Doc *d)
{
    ClusterDecision best = {0};
    best.score = -1e9;
    Query qr;
    /* only the features the model weighs: the others add nothing to a
     * score (the chosen story's are filled in at the end when reported) */
    query_start(c, d, &qr, model_needs(&c->m));
    long at = -1;
    for (size_t i = 0; i < qr.n; i++) {
        const double *f = qr.f[i];
        Story *s = c->stories[qr.cands[i].story];
        double score = cluster_score(&c->m, f);
        /* a near-copy of a member settles it; only a story with much the
         * same body (centroid or best member) can hold one, which spares
         * scanning large stories */
        if (d->n_words >= 30) {
            long k = -1;
            if (f[CF_BODY] >= 0.5) {
                k = near_copy_of(c, s, d);
            } else if ((qr.done & Q_SKETCH) || !qr.linked[i] || s->n_members > DUP_SCAN_FIRST) {
                if (query_body_max(c, &qr, i) >= 0.5)
                    k = near_copy_of(c, s, d);
            } else {
                k = near_copy_of(c, s, d);
                if (k >= 0 && !(query_body_max(c, &qr, i) >= 0.5))
                    k = -1;
            }
            if (k >= 0) {
                best.duplicate_of = s->members[k].article_id;
                best.story_id = s->id;
                best.score = score;
                at = (long)i;
                goto done;
            }
        }
        if (score > best.score) {
            best.score = score;
            best.story_id = s->id;
            at = (long)i;
        }
    }
    if (best.score < c->m.threshold)
        best.story_id = 0;
done:
    if (at >= 0 && c->report_all)
        query_fill(c, d, &qr, (size_t)at, best.features);
    else if (at >= 0)
        memcpy(best.features, qr.f[at], sizeof best.features);
    query_end(c, d, &qr);
    return best;
}

static int cmp_term_id(const void *a, const void *b)
{
    uint32_t x = ((const Term *)a)->id, y = ((const Term *)b)->id;
    return x < y ? -1 : x > y;
}

/* Keeps the heaviest `cap` terms of v, normalised by v's full norm and
 * sorted by id, at out, by term number; returns how many. */
static uint16_t sketch_part(Clusterer *c, const WVec *v, uint32_t cap, Term *out)
{
    if (v->norm == 0 || v->n == 0)
        return 0;
    uint32_t n = v->n;
    uint32_t *top = xmalloc(((size_t)(n < cap ? n : cap) + 1) * sizeof *top), nt = 0;
    if (n > cap) {
        /* the heaviest cap, an equal weight going to the earlier term (as
         * a stable sort by weight would take them): positions kept by
         * weight, then put back in their order */
        for (uint32_t i = 0; i < n; i++) {
            if (nt == cap && !(v->t[i].weight > v->t[top[nt - 1]].weight))
                continue;
            uint32_t at = nt < cap ? nt++ : cap - 1;
            while (at > 0 && v->t[top[at - 1]].weight < v->t[i].weight) {
                top[at] = top[at - 1];
                at--;
            }
            top[at] = i;
        }
        for (uint32_t i = 1; i < nt; i++) {
            uint32_t x = top[i], j = i;
            while (j > 0 && top[j - 1] > x) {
                top[j] = top[j - 1];
                j--;
            }
            top[j] = x;
        }
        n = nt;
    } else {
        for (uint32_t i = 0; i < n; i++)
            top[i] = i;
    }
    for (uint32_t i = 0; i < n; i++)
        out[i] = v->t[top[i]];
    int sorted = 1; /* (a document's terms come sorted by id) */
    for (uint32_t i = 1; i < n && sorted; i++)
        sorted = out[i - 1].id < out[i].id;
    if (sorted) {
        for (uint32_t i = 0; i < n; i++) /* kept by term number (Sketch) */
            out[i].id = v->num[top[i]];
    } else {
        qsort(out, n, sizeof *out, cmp_term_id);
        for (uint32_t i = 0; i < n; i++)
            out[i].id = term_num(c, out[i].id);
    }
    free(top);
    for (uint32_t i = 0; i < n; i++)
        out[i].weight = (float)(out[i].weight / v->norm);
    return (uint16_t)n;
}

/* Whether the last query's vectors (c->last_v) are d's. */
static int last_query_is(const Clusterer *c, const Doc *d)
{
    if (c->last_doc != d || c->last_simhash != d->simhash)
        return 0;
    /* the same address may hold another document by now: the term ids
     * themselves must be those the query numbered */
    const TermVec *parts[3];
    parts[F_BODY] = &d->body_terms;
    parts[F_TITLE] = &d->title_terms;
    parts[F_ENTITY] = &d->entity_terms;
    for (int p = 0; p < 3; p++) {
        if (c->last_v[p].n != parts[p]->n)
            return 0;
        for (uint32_t i = 0; i < parts[p]->n; i++)
            if (c->last_v[p].t[i].id != parts[p]->terms[i].id)
                return 0;
    }
    return 1;
}

static void story_add_sketch(Clusterer *c, Story *s, const Doc *d, int64_t article_id)
{
    WVec own[3];
    const WVec *v;
    int reuse = last_query_is(c, d);
    if (reuse) {
        v = c->last_v;
    } else {
        own[F_BODY] = weigh(c, &d->body_terms);
        own[F_TITLE] = weigh(c, &d->title_terms);
        own[F_ENTITY] = weigh(c, &d->entity_terms);
        v = own;
    }
    uint32_t caps[3] = {SKETCH_BODY, SKETCH_SMALL, SKETCH_SMALL};
    uint32_t total = 0;
    for (int p = 0; p < 3; p++)
        total += v[p].n; /* the scratch holds whole parts */
    Term *scratch = xmalloc(((size_t)total + 1) * sizeof *scratch);
    Sketch sk = {0};
    sk.article_id = article_id;
    uint32_t k = 0;
    for (int p = 0; p < 3; p++) {
        sk.n[p] = sketch_part(c, &v[p], caps[p], scratch + k);
        k += sk.n[p];
    }
    sk.t = xrealloc(scratch, ((size_t)k + 1) * sizeof *scratch);
    if (!reuse)
        for (int p = 0; p < 3; p++)
            free(own[p].t);
    if (s->n_sk < CLUSTER_SKETCHES) {
        s->sk = xrealloc(s->sk, (s->n_sk + 1) * sizeof *s->sk);
        s->sk[s->n_sk++] = sk;
        s->sk_next = s->n_sk % CLUSTER_SKETCHES;
    } else {
        free(s->sk[s->sk_next].t);
        s->sk[s->sk_next] = sk;
        s->sk_next = (s->sk_next + 1) % CLUSTER_SKETCHES;
    }
}

/* Adds a document's fact counts to the story's (both sorted by id), in
 * place as vec_add does. */
static void story_add_facts(Story *s, const TermVec *y)
{
    if (y->n == 0)
        return;
    uint32_t *ins = NULL, n_new = 0, lo = 0;
    for (uint32_t j = 0; j < y->n; j++) {
        uint32_t id = y->terms[j].id;
        lo = term_lower_bound(s->yr, lo, s->n_yr, id);
        if (lo < s->n_yr && s->yr[lo].id == id) {
            s->yr[lo++].weight += y->terms[j].weight;
            continue;
        }
        if (!ins)
            ins = xmalloc(((size_t)y->n - j) * sizeof *ins);
        ins[n_new++] = j;
    }
    if (n_new) {
        if (s->n_yr + n_new > s->cap_yr || !s->yr) {
            uint32_t cap = s->cap_yr ? s->cap_yr : 4;
            while (cap < s->n_yr + n_new)
                cap *= 2;
            s->yr = xrealloc(s->yr, ((size_t)cap + 1) * sizeof *s->yr);
            s->cap_yr = cap;
        }
        uint32_t i = s->n_yr, k = s->n_yr + n_new, r = n_new;
        while (r > 0) {
            const Term *nt = &y->terms[ins[r - 1]];
            if (i > 0 && s->yr[i - 1].id > nt->id)
                s->yr[--k] = s->yr[--i];
            else {
                s->yr[--k] = *nt;
                r--;
            }
        }
        s->n_yr += n_new;
    }
    free(ins);
    for (uint32_t n = 0; n < y->n; n++)
        s->fact_total[DOC_FACT_KIND(y->terms[n].id)] += y->terms[n].weight;
}

/* Widens s's time span with a member's publication time t (0: unknown,
 * nothing to add). */
static void story_add_time(Story *s, int64_t t)
{
    if (!t)
        return;
    if (!s->timed || t < s->first)
        s->first = t;
    if (!s->timed || t > s->last)
        s->last = t;
    s->time_sum += (double)t;
    s->timed++;
}

void cluster_add(Clusterer *c, int64_t story_id, int64_t article_id, const Doc *d)
{
    uint32_t idx;
    Story *s = story_get(c, story_id, &idx, 1);
    int reuse = last_query_is(c, d);
    vec_add(c, s, F_BODY, idx, &d->body_terms, reuse ? c->last_v[F_BODY].num : NULL);
    vec_add(c, s, F_TITLE, idx, &d->title_terms, reuse ? c->last_v[F_TITLE].num : NULL);
    vec_add(c, s, F_ENTITY, idx, &d->entity_terms, reuse ? c->last_v[F_ENTITY].num : NULL);
    vec_add(c, s, F_LEAD, idx, &d->lead_terms, NULL);
    int64_t t = d->article ? d->article->published : 0;
    story_add_time(s, t);
    if (s->n_members == s->cap_members) {
        s->cap_members = s->cap_members ? s->cap_members * 2 : 8;
        s->members = xrealloc(s->members, s->cap_members * sizeof *s->members);
        s->mtime = xrealloc(s->mtime, s->cap_members * sizeof *s->mtime);
    }
    s->mtime[s->n_members] = t;
    s->members[s->n_members++] = (Member){article_id, d->simhash};
    gate_set(c, idx);
    story_add_sketch(c, s, d, article_id);
    story_add_facts(s, &d->facts);
    s->count++;
    s->grown = 1;
    s->dirty = 1;
}

size_t cluster_take_dirty(Clusterer *c, int64_t **ids)
{
    size_t n = 0;
    *ids = xmalloc((c->n_stories + 1) * sizeof **ids);
    for (size_t i = 0; i < c->n_stories; i++)
        if (c->stories[i] && c->stories[i]->dirty) {
            c->stories[i]->dirty = 0;
            (*ids)[n++] = c->stories[i]->id;
        }
    return n;
}

size_t cluster_evict_idle(Clusterer *c, int64_t now)
{
    if (!now)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < c->n_stories; i++) {
        Story *s = c->stories[i];
        /* an absorbed story stays: it is small (story_absorb emptied it)
         * and cluster_story_resolve follows it to its survivor */
        if (!s || s->dirty || s->merged_into || !s->timed ||
            (double)now - (double)s->last <= c->m.active_days * 86400.0)
            continue;
        story_free(s);
        c->stories[i] = NULL; /* its postings are dropped as they are next read */
        gate_set(c, (uint32_t)i);
        c->n_live--;
        n++;
    }
    return n;
}

size_t cluster_story_count(const Clusterer *c, size_t *total)
{
    if (total)
        *total = c->n_stories;
    return c->n_live;
}

/* ---- state blobs ----
 * "SWS5", then u32 count, timed, n_members, n[3], 0; i64 first, last; f64
 * time_sum; then 3 arrays of (u32 id, f32 weight), the members as (i64
 * article id, u64 simhash), then u32 n_sketches, u32 next, and each
 * sketch as u16 n[3], u16 0 and its terms; then u32 n_facts and the facts
 * as (u32 id, f32 count); then the lead's sums as u32 n and n (u32 id,
 * f32 weight) sorted by id. "SWS3" states (facts
 * last, no leads), "SWS2" states (no facts) and "SWS1"
 * states (no sketches either) are still read. (SWS4 is left to another
 * branch's format.) Host byte order (x86-64 and arm64
 * are both little-endian; the blob is a cache that can be rebuilt). */

static void put(Buf *b, const void *p, size_t n)
{
    buf_append(b, p, n);
}

/* The terms of a story vector whose sums are not 0 (cluster_remove leaves
 * zeros in memory; states and merge queries hold none). */
static uint32_t vec_live(const Vec *v, int zeroed)
{
    uint32_t n = 0;
    if (!zeroed)
        return v->n;
    for (uint32_t i = 0; i < v->n; i++)
        n += v->t[i].weight > 0;
    return n;
}

static void put_vec(Buf *out, const Vec *v, int zeroed)
{
    if (!zeroed) {
        put(out, v->t, (size_t)v->n * sizeof(Term));
        return;
    }
    for (uint32_t i = 0; i < v->n; i++)
        if (v->t[i].weight > 0)
            put(out, &v->t[i], sizeof(Term));
}

int cluster_story_state(Clusterer *c, int64_t story_id, Buf *out, int64_t *first, int64_t *last,
                        int *count)
{
    Story *s = story_get(c, story_id, NULL, 0);
    if (!s)
        return -1;
    uint32_t hdr[7] = {(uint32_t)s->count, (uint32_t)s->timed, (uint32_t)s->n_members,
                       vec_live(&s->v[0], s->zeroed), vec_live(&s->v[1], s->zeroed),
                       vec_live(&s->v[2], s->zeroed), 0};
    put(out, "SWS5", 4);
    put(out, hdr, sizeof hdr);
    put(out, &s->first, 8);
    put(out, &s->last, 8);
    put(out, &s->time_sum, 8);
    for (int i = 0; i < 3; i++)
        put_vec(out, &s->v[i], s->zeroed);
    put(out, s->members, s->n_members * sizeof(Member));
    uint32_t sk_hdr[2] = {s->n_sk, s->sk_next};
    put(out, sk_hdr, sizeof sk_hdr);
    for (uint32_t k = 0; k < s->n_sk; k++) {
        uint16_t n[4] = {s->sk[k].n[0], s->sk[k].n[1], s->sk[k].n[2], 0};
        put(out, n, sizeof n);
        size_t nt = (size_t)n[0] + n[1] + n[2];
        buf_reserve(out, nt * sizeof(Term));
        for (size_t i = 0; i < nt; i++) { /* numbers back to ids */
            Term t = {c->term_ids[s->sk[k].t[i].id], s->sk[k].t[i].weight};
            memcpy(out->data + out->len, &t, sizeof t);
            out->len += sizeof t;
        }
        out->data[out->len] = '\0';
    }
    put(out, &s->n_yr, 4);
    put(out, s->yr, (size_t)s->n_yr * sizeof(Term));
    for (int i = F_LEAD; i < N_PARTS; i++) {
        uint32_t live = vec_live(&s->v[i], s->zeroed);
        put(out, &live, 4);
        put_vec(out, &s->v[i], s->zeroed);
    }
    *first = s->first;
    *last = s->last;
    *count = s->count;
    return 0;
}

/* Reads the sketches of an SWS2/SWS3 state from p (len bytes); returns
 * the bytes they take, or -1 when damaged. */
static long load_sketches(Clusterer *c, Story *s, const unsigned char *p, size_t len)
{
    size_t len0 = len;
    uint32_t sk_hdr[2];
    if (len < sizeof sk_hdr)
        return -1;
    memcpy(sk_hdr, p, sizeof sk_hdr);
    p += sizeof sk_hdr;
    len -= sizeof sk_hdr;
    if (sk_hdr[0] > CLUSTER_SKETCHES || (sk_hdr[0] && sk_hdr[1] >= CLUSTER_SKETCHES))
        return -1;
    s->sk = xcalloc(sk_hdr[0] + 1, sizeof *s->sk);
    for (uint32_t k = 0; k < sk_hdr[0]; k++) {
        uint16_t n[4];
        if (len < sizeof n)
            return -1;
        memcpy(n, p, sizeof n);
        size_t bytes = ((size_t)n[0] + n[1] + n[2]) * sizeof(Term);
        if (len - sizeof n < bytes)
            return -1;
        p += sizeof n;
        len -= sizeof n;
        Sketch *sk = &s->sk[s->n_sk++];
        memcpy(sk->n, n, sizeof sk->n);
        sk->t = xmalloc(bytes + sizeof(Term));
        memcpy(sk->t, p, bytes);
        for (size_t i = 0; i < bytes / sizeof(Term); i++)
            sk->t[i].id = term_num(c, sk->t[i].id);
        p += bytes;
        len -= bytes;
    }
    s->sk_next = sk_hdr[0] ? sk_hdr[1] : 0;
    return (long)(len0 - len);
}

/* Reads the facts of an SWS3 or SWS5 state; returns the bytes they take
 * (all of len in SWS3), or -1 when damaged. */
static long load_years(Story *s, const unsigned char *p, size_t len, int exact)
{
    uint32_t n;
    if (len < 4)
        return -1;
    memcpy(&n, p, 4);
    if (n > (1u << 24) || len - 4 < (size_t)n * sizeof(Term) ||
        (exact && len - 4 != (size_t)n * sizeof(Term)))
        return -1;
    s->yr = xmalloc(((size_t)n + 1) * sizeof(Term));
    memcpy(s->yr, p + 4, (size_t)n * sizeof(Term));
    s->n_yr = n;
    for (uint32_t k = 0; k < n; k++) {
        if ((k > 0 && s->yr[k].id <= s->yr[k - 1].id) || !(s->yr[k].weight > 0))
            return -1;
        s->fact_total[DOC_FACT_KIND(s->yr[k].id)] += s->yr[k].weight;
    }
    return 4 + (long)n * (long)sizeof(Term);
}

/* Reads the lead sums of an SWS5 state (sorted by id);
 * -1 unless they fill len exactly. */
static int load_parts(Story *s, const unsigned char *p, size_t len)
{
    for (int i = F_LEAD; i < N_PARTS; i++) {
        uint32_t n;
        if (len < 4)
            return -1;
        memcpy(&n, p, 4);
        if (n > (1u << 24) || len - 4 < (size_t)n * sizeof(Term))
            return -1;
        s->v[i].t = xmalloc(((size_t)n + 1) * sizeof(Term));
        memcpy(s->v[i].t, p + 4, (size_t)n * sizeof(Term));
        s->v[i].n = s->v[i].cap = n;
        for (uint32_t k = 1; k < n; k++)
            if (s->v[i].t[k].id <= s->v[i].t[k - 1].id)
                return -1;
        p += 4 + (size_t)n * sizeof(Term);
        len -= 4 + (size_t)n * sizeof(Term);
    }
    return len == 0 ? 0 : -1;
}

int cluster_load_story(Clusterer *c, int64_t story_id, const void *state, size_t len, SwErr *err)
{
    const unsigned char *p = state;
    uint32_t hdr[7];
    size_t fixed = 4 + sizeof hdr + 24;
    int v5 = len >= 4 && memcmp(p, "SWS5", 4) == 0;
    int v3 = v5 || (len >= 4 && memcmp(p, "SWS3", 4) == 0);
    int v2 = v3 || (len >= 4 && memcmp(p, "SWS2", 4) == 0);
    if (len < fixed || (!v2 && memcmp(p, "SWS1", 4) != 0))
        return sw_err(err, "story %lld: clustering state is missing or not in a known format",
                      (long long)story_id);
    memcpy(hdr, p + 4, sizeof hdr);
    size_t need = fixed + ((size_t)hdr[3] + hdr[4] + hdr[5]) * sizeof(Term) + (size_t)hdr[2] * sizeof(Member);
    if (v2 ? len < need : len != need)
        return sw_err(err, "story %lld: clustering state is truncated (%zu of %zu bytes)",
                      (long long)story_id, len, need);
    if (story_get(c, story_id, NULL, 0))
        return sw_err(err, "story %lld: loaded twice", (long long)story_id);
    Story tmp = {0};
    long sk_len = v2 ? load_sketches(c, &tmp, p + need, len - need) : 0;
    int bad = sk_len < 0 || (!v3 && (size_t)sk_len != len - need);
    if (!bad && v3) {
        size_t at = need + (size_t)sk_len;
        long yr_len = load_years(&tmp, p + at, len - at, !v5);
        bad = yr_len < 0 || (v5 && load_parts(&tmp, p + at + (size_t)yr_len, len - at - (size_t)yr_len) != 0);
    }
    if (bad) {
        for (uint32_t k = 0; k < tmp.n_sk; k++)
            free(tmp.sk[k].t);
        free(tmp.sk);
        free(tmp.yr);
        for (int i = F_LEAD; i < N_PARTS; i++)
            free(tmp.v[i].t);
        return sw_err(err, "story %lld: clustering state is damaged (member vectors)", (long long)story_id);
    }
    uint32_t idx;
    Story *s = story_get(c, story_id, &idx, 1);
    s->sk = tmp.sk;
    s->n_sk = tmp.n_sk;
    s->sk_next = tmp.sk_next;
    s->yr = tmp.yr;
    s->n_yr = s->cap_yr = tmp.n_yr;
    memcpy(s->fact_total, tmp.fact_total, sizeof s->fact_total);
    for (int i = F_LEAD; i < N_PARTS; i++)
        s->v[i] = tmp.v[i];
    s->count = (int)hdr[0];
    s->timed = (int)hdr[1];
    s->n_members = s->cap_members = hdr[2];
    const unsigned char *q = p + 4 + sizeof hdr;
    memcpy(&s->first, q, 8);
    memcpy(&s->last, q + 8, 8);
    memcpy(&s->time_sum, q + 16, 8);
    gate_set(c, idx);
    q += 24;
    for (int i = 0; i < 3; i++) {
        uint32_t n = hdr[3 + i];
        s->v[i].t = xmalloc(((size_t)n + 1) * sizeof(Term));
        memcpy(s->v[i].t, q, (size_t)n * sizeof(Term));
        s->v[i].n = s->v[i].cap = n;
        q += (size_t)n * sizeof(Term);
        for (uint32_t k = 0; k < n; k++)
            postings_add(c, term_num(c, s->v[i].t[k].id), idx);
    }
    s->members = xmalloc((s->n_members + 1) * sizeof(Member));
    memcpy(s->members, q, s->n_members * sizeof(Member));
    s->mtime = xmalloc((s->n_members + 1) * sizeof *s->mtime);
    for (size_t k = 0; k < s->n_members; k++)
        s->mtime[k] = MTIME_LOADED;
    s->lfirst = s->first;
    s->llast = s->last;
    s->ltimed = s->timed;
    return 0;
}

/* ---- related stories ---- */

static double story_cosine(const Clusterer *c, const Story *a, const Story *b, int k)
{
    if (a->norm[k] == 0 || b->norm[k] == 0)
        return 0;
    const Vec *va = &a->v[k], *vb = &b->v[k];
    double dot = 0;
    /* the shared terms in id order (va is sorted; a term b lacks weighs 0
     * and adds nothing) */
    for (uint32_t i = 0; i < va->n; i++) {
        uint32_t id = va->t[i].id;
        uint32_t num = va->hot || vb->hot ? term_find(c, id) : NO_TERM;
        float wb = vec_weight(vb, id, num);
        if (wb != 0)
            dot += (double)vec_weight(va, id, num) * wb;
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
    WVec body = {s->v[F_BODY].t, NULL, s->v[F_BODY].n, 1}, ent = {s->v[F_ENTITY].t, NULL, s->v[F_ENTITY].n, 1};
    const WVec *q[3] = {&body, NULL, &ent};
    Cand *cands;
    size_t n = candidates(c, q, 0, 60, &cands);
    size_t got = 0;
    for (size_t i = 0; i < n; i++) {
        Story *o = c->stories[cands[i].story];
        if (o == s)
            continue;
        refresh_norms(c, o);
        double score = 0.6 * story_cosine(c, s, o, F_BODY) + 0.4 * story_cosine(c, s, o, F_ENTITY);
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

/* ---- merge pass ---- */

int64_t cluster_story_resolve(const Clusterer *c, int64_t story_id)
{
    for (int hops = 0; hops < 1000; hops++) {
        int64_t *slot = intmap_get(&c->by_id, (uint64_t)story_id);
        if (!slot)
            return 0;
        const Story *s = c->stories[*slot];
        if (!s || !s->merged_into) /* evicted stories were never absorbed since */
            return story_id;
        story_id = s->merged_into;
    }
    return 0; /* a cycle cannot be built; this only bounds the walk */
}

/* Adds one story vector into another (sums, not counts). */
static void vec_merge(Clusterer *c, Story *s, int which, uint32_t story_index, const Vec *d)
{
    Vec *v = &s->v[which];
    Term *out = xmalloc(((size_t)v->n + d->n + 1) * sizeof *out);
    uint32_t i = 0, j = 0, k = 0;
    while (i < v->n || j < d->n) {
        if (j == d->n || (i < v->n && v->t[i].id < d->t[j].id)) {
            out[k++] = v->t[i++];
        } else if (i == v->n || d->t[j].id < v->t[i].id) {
            uint32_t num = term_num(c, d->t[j].id);
            if (which < F_LEAD)
                postings_add(c, num, story_index);
            out[k++] = d->t[j++];
        } else {
            out[k] = v->t[i++];
            out[k++].weight += d->t[j++].weight;
        }
    }
    free(v->t);
    vec_unweigh(v); /* reweighed on next use (story_absorb marks the norms stale) */
    v->t = out;
    v->n = v->cap = k;
}

/* Moves everything of story `from` into story `into`; `from` is left
 * empty, marked as absorbed. */
static void story_absorb(Clusterer *c, Story *into, uint32_t into_index, Story *from, uint32_t from_index)
{
    for (int p = 0; p < N_PARTS; p++)
        vec_merge(c, into, p, into_index, &from->v[p]);
    into->norm_docs = -1; /* norms and weighted copies are redone on next use */
    if (from->timed) {
        if (!into->timed || from->first < into->first)
            into->first = from->first;
        if (!into->timed || from->last > into->last)
            into->last = from->last;
        into->time_sum += from->time_sum;
        into->timed += from->timed;
    }
    if (into->n_members + from->n_members > into->cap_members) {
        into->cap_members = into->n_members + from->n_members;
        into->members = xrealloc(into->members, into->cap_members * sizeof *into->members);
        into->mtime = xrealloc(into->mtime, into->cap_members * sizeof *into->mtime);
    }
    memcpy(into->members + into->n_members, from->members, from->n_members * sizeof *from->members);
    memcpy(into->mtime + into->n_members, from->mtime, from->n_members * sizeof *from->mtime);
    into->n_members += from->n_members;
    if (from->ltimed) { /* the loaded members' spans together */
        if (!into->ltimed || from->lfirst < into->lfirst)
            into->lfirst = from->lfirst;
        if (!into->ltimed || from->llast > into->llast)
            into->llast = from->llast;
        into->ltimed += from->ltimed;
    }
    into->zeroed |= from->zeroed;
    /* member vectors: the absorbed story's go into the ring like new ones */
    for (uint32_t k = 0; k < from->n_sk; k++) {
        if (into->n_sk < CLUSTER_SKETCHES) {
            into->sk = xrealloc(into->sk, (into->n_sk + 1) * sizeof *into->sk);
            into->sk[into->n_sk++] = from->sk[k];
            into->sk_next = into->n_sk % CLUSTER_SKETCHES;
        } else {
            free(into->sk[into->sk_next].t);
            into->sk[into->sk_next] = from->sk[k];
            into->sk_next = (into->sk_next + 1) % CLUSTER_SKETCHES;
        }
    }
    from->n_sk = 0;
    TermVec facts = {from->yr, from->n_yr};
    story_add_facts(into, &facts);
    into->count += from->count;
    into->dirty = into->grown = 1;
    for (int p = 0; p < N_PARTS; p++) {
        free(from->v[p].t);
        vec_unweigh(&from->v[p]);
        from->v[p] = (Vec){0};
        from->norm[p] = 0;
    }
    free(from->members);
    free(from->mtime);
    free(from->sk);
    free(from->yr);
    from->members = NULL;
    from->mtime = NULL;
    from->n_members = from->cap_members = 0;
    from->sk = NULL;
    from->yr = NULL;
    from->n_yr = from->cap_yr = 0;
    memset(from->fact_total, 0, sizeof from->fact_total);
    from->count = 0;
    from->merged_into = into->id;
    from->dirty = from->grown = 0;
    gate_set(c, into_index);
    gate_set(c, from_index);
}

/* The best other story for story s, scored by the model as if s were an
 * article; returns its index or -1. */
static long merge_partner(Clusterer *c, Story *s, double *score)
{
    Article art = {0};
    Doc pd;
    memset(&pd, 0, sizeof pd);
    pd.article = &art;
    pd.body_terms = (TermVec){s->v[F_BODY].t, s->v[F_BODY].n};
    pd.title_terms = (TermVec){s->v[F_TITLE].t, s->v[F_TITLE].n};
    pd.entity_terms = (TermVec){s->v[F_ENTITY].t, s->v[F_ENTITY].n};
    pd.lead_terms = (TermVec){s->v[F_LEAD].t, s->v[F_LEAD].n};
    Term *live[N_PARTS] = {NULL};
    if (s->zeroed) { /* the sums cluster_remove left at 0 are no terms of it */
        TermVec *parts[N_PARTS] = {&pd.body_terms, &pd.title_terms, &pd.entity_terms, &pd.lead_terms};
        for (int p = 0; p < N_PARTS; p++) {
            live[p] = xmalloc(((size_t)s->v[p].n + 1) * sizeof(Term));
            uint32_t k = 0;
            for (uint32_t i = 0; i < s->v[p].n; i++)
                if (s->v[p].t[i].weight > 0)
                    live[p][k++] = s->v[p].t[i];
            *parts[p] = (TermVec){live[p], k};
        }
    }
    pd.facts = (TermVec){s->yr, s->n_yr};
    /* the time: the story's mean (a neighbour's span is then compared with
     * the middle of this one) */
    art.published = s->timed ? (int64_t)(s->time_sum / s->timed) : 0;
    c->raw_query = 1;
    Query qr;
    query_start(c, &pd, &qr, model_needs(&c->m)); /* (only the score is read) */
    c->raw_query = 0;
    long best = -1;
    double best_score = -1e300;
    for (size_t i = 0; i < qr.n; i++) {
        Story *o = c->stories[qr.cands[i].story];
        if (o == s)
            continue;
        double sc = cluster_score(&c->m, qr.f[i]);
        if (sc > best_score) {
            best_score = sc;
            best = (long)qr.cands[i].story;
        }
    }
    query_end(c, &pd, &qr);
    c->last_doc = NULL; /* the pseudo-document's vectors are not an article's */
    for (int p = 0; p < N_PARTS; p++)
        free(live[p]);
    *score = best_score;
    return best;
}

static int cmp_by_count(const void *a, const void *b)
{
    const Story *x = *(Story *const *)a, *y = *(Story *const *)b;
    if (x->count != y->count)
        return x->count < y->count ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

size_t cluster_merge_pass(Clusterer *c, ClusterMerge **merges)
{
    *merges = NULL;
    size_t n = 0, cap = 0;
    Story **grown = xmalloc((c->n_stories + 1) * sizeof *grown);
    size_t ng = 0;
    for (size_t i = 0; i < c->n_stories; i++)
        if (c->stories[i] && c->stories[i]->grown && !c->stories[i]->merged_into)
            grown[ng++] = c->stories[i];
    int enabled = c->m.merge_threshold < CLUSTER_NO_MERGE;
    /* the smallest first: fragments find the story they belong to */
    qsort(grown, ng, sizeof *grown, cmp_by_count);
    for (size_t g = 0; g < ng && enabled; g++) {
        Story *s = grown[g];
        if (s->merged_into || s->count == 0)
            continue;
        double score;
        long o = merge_partner(c, s, &score);
        if (o < 0 || score < c->m.merge_threshold)
            continue;
        Story *other = c->stories[o];
        uint32_t si = (uint32_t)*intmap_get(&c->by_id, (uint64_t)s->id);
        /* and the other way round: each must be the other's best match,
         * and the weaker of the two scores decides */
        double back;
        if (merge_partner(c, other, &back) != (long)si || back < c->m.merge_threshold)
            continue;
        if (back < score)
            score = back;
        /* the larger survives (on a tie, the older) */
        int keep_other = other->count > s->count || (other->count == s->count && other->id < s->id);
        Story *into = keep_other ? other : s, *from = keep_other ? s : other;
        story_absorb(c, into, keep_other ? (uint32_t)o : si, from, keep_other ? si : (uint32_t)o);
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            *merges = xrealloc(*merges, cap * sizeof **merges);
        }
        (*merges)[n++] = (ClusterMerge){from->id, into->id, score};
    }
    for (size_t i = 0; i < c->n_stories; i++)
        if (c->stories[i])
            c->stories[i]->grown = 0;
    free(grown);
    return n;
}

Doc *cluster_doc_copy(Arena *a, const Doc *d)
{
    Doc *c = ARENA_NEW(a, Doc);
    memset(c, 0, sizeof *c);
    Article *art = ARENA_NEW(a, Article);
    memset(art, 0, sizeof *art);
    art->published = d->article ? d->article->published : 0;
    c->article = art;
    const TermVec *src[4] = {&d->title_terms, &d->body_terms, &d->entity_terms, &d->lead_terms};
    TermVec *dst[4] = {&c->title_terms, &c->body_terms, &c->entity_terms, &c->lead_terms};
    for (int k = 0; k < 4; k++) {
        dst[k]->n = src[k]->n;
        dst[k]->terms = ARENA_ARRAY(a, Term, src[k]->n + 1);
        if (src[k]->n)
            memcpy(dst[k]->terms, src[k]->terms, src[k]->n * sizeof(Term));
    }
    c->facts.n = d->facts.n;
    c->facts.terms = ARENA_ARRAY(a, Term, d->facts.n + 1);
    if (d->facts.n)
        memcpy(c->facts.terms, d->facts.terms, d->facts.n * sizeof(Term));
    c->simhash = d->simhash;
    c->n_words = d->n_words;
    return c;
}

/* ---- taking articles out, and the revision pass ---- */

/* Subtracts a document's (sublinear) term weights from a story vector,
 * the inverse of vec_add: a sum that falls to 0 stays a term of weight 0
 * (its postings stay too, so that adding the term again adds no second
 * posting). The weighted copy and norm are kept up to date as vec_add
 * keeps them. */
static void vec_sub(Clusterer *c, Story *s, int which, const TermVec *d)
{
    Vec *v = &s->v[which];
    int weighted = s->norm_docs >= 0 && v->ix;
    double norm2 = weighted ? s->norm[which] * s->norm[which] : 0;
    uint32_t lo = 0;
    for (uint32_t j = 0; j < d->n; j++) {
        uint32_t id = d->terms[j].id;
        lo = term_lower_bound(v->t, lo, v->n, id);
        if (lo == v->n || v->t[lo].id != id)
            continue; /* (not the story's: nothing to take) */
        float w = v->t[lo].weight - (float)tf_weight(d->terms[j].weight);
        if (w < 0.5f) { /* every member's weight is at least 1 (counts >= 1) */
            w = 0;
            s->zeroed = 1;
        }
        v->t[lo].weight = w;
        if (weighted) {
            uint32_t num = term_num(c, id);
            float *slot = vec_wslot(v, id, num);
            double old = *slot;
            float x = w > 0 ? (float)(w * term_idf(c, num)) : 0.0f;
            *slot = x;
            norm2 += (double)x * x - old * old;
        }
        lo++;
    }
    if (weighted)
        s->norm[which] = norm2 > 0 ? sqrt(norm2) : 0;
}

/* Subtracts a document's fact counts from the story's; facts no member
 * states any more go. */
static void story_sub_facts(Story *s, const TermVec *y)
{
    uint32_t lo = 0;
    for (uint32_t j = 0; j < y->n; j++) {
        uint32_t id = y->terms[j].id;
        lo = term_lower_bound(s->yr, lo, s->n_yr, id);
        if (lo == s->n_yr || s->yr[lo].id != id)
            continue;
        s->yr[lo].weight -= y->terms[j].weight;
        double *total = &s->fact_total[DOC_FACT_KIND(id)];
        *total -= y->terms[j].weight;
        if (*total < 0.5)
            *total = 0; /* (counts are whole numbers) */
        if (s->yr[lo].weight < 0.5f) {
            memmove(s->yr + lo, s->yr + lo + 1, (size_t)(s->n_yr - lo - 1) * sizeof *s->yr);
            s->n_yr--;
        } else {
            lo++;
        }
    }
}

/* The story's time span from its members' times (Story.mtime). */
static void story_respan(Story *s)
{
    int any = 0;
    int64_t first = 0, last = 0;
    if (s->ltimed > 0) {
        first = s->lfirst;
        last = s->llast;
        any = 1;
    }
    for (size_t k = 0; k < s->n_members; k++) {
        int64_t t = s->mtime[k];
        if (t == 0 || t == MTIME_LOADED)
            continue;
        if (!any || t < first)
            first = t;
        if (!any || t > last)
            last = t;
        any = 1;
    }
    s->first = any ? first : 0;
    s->last = any ? last : 0;
}

/* What story_take took out of a story, so that story_put_back can put
 * it back as it was (only the float sums may differ in their last bit). */
typedef struct Taken {
    const Doc *d;
    size_t member_at;       /* its position among the members */
    Member member;
    int64_t mtime;
    long sketch_at;         /* its position in the ring, oldest first, or -1 */
    Sketch sketch;          /* (its terms are the Taken's until put back) */
    int grown, dirty;
} Taken;

/* The sketches of s oldest first, as a plain array (sk_next = n_sk). */
static void sketch_linearise(Story *s)
{
    if (s->n_sk < CLUSTER_SKETCHES || s->sk_next == 0) {
        s->sk_next = s->n_sk % CLUSTER_SKETCHES;
        return;
    }
    Sketch *lin = xmalloc(((size_t)s->n_sk + 1) * sizeof *lin);
    for (uint32_t k = 0; k < s->n_sk; k++)
        lin[k] = s->sk[(s->sk_next + k) % CLUSTER_SKETCHES];
    memcpy(s->sk, lin, s->n_sk * sizeof *lin);
    free(lin);
    s->sk_next = 0;
}

/* Takes article article_id (document d) out of story s (at index idx).
 * Returns -1 when it is no member. */
static int story_take(Clusterer *c, Story *s, uint32_t idx, int64_t article_id, const Doc *d, Taken *tk)
{
    size_t k = s->n_members;
    while (k > 0 && s->members[k - 1].article_id != article_id)
        k--;
    if (k == 0)
        return -1;
    k--;
    memset(tk, 0, sizeof *tk);
    tk->d = d;
    tk->member_at = k;
    tk->member = s->members[k];
    tk->mtime = s->mtime[k];
    tk->grown = s->grown;
    tk->dirty = s->dirty;
    vec_sub(c, s, F_BODY, &d->body_terms);
    vec_sub(c, s, F_TITLE, &d->title_terms);
    vec_sub(c, s, F_ENTITY, &d->entity_terms);
    vec_sub(c, s, F_LEAD, &d->lead_terms);
    story_sub_facts(s, &d->facts);
    memmove(s->members + k, s->members + k + 1, (s->n_members - k - 1) * sizeof *s->members);
    memmove(s->mtime + k, s->mtime + k + 1, (s->n_members - k - 1) * sizeof *s->mtime);
    s->n_members--;
    int64_t t = d->article ? d->article->published : 0;
    if (t) {
        s->time_sum -= (double)t;
        s->timed--;
        if (tk->mtime == MTIME_LOADED && s->ltimed > 0)
            s->ltimed--;
        if (s->timed <= 0) {
            s->timed = 0;
            s->time_sum = 0;
            s->first = s->last = 0;
        } else if (t <= s->first || t >= s->last) {
            story_respan(s);
        }
    }
    tk->sketch_at = -1;
    sketch_linearise(s);
    for (uint32_t j = 0; j < s->n_sk; j++)
        if (s->sk[j].article_id == article_id) {
            tk->sketch_at = (long)j;
            tk->sketch = s->sk[j];
            memmove(s->sk + j, s->sk + j + 1, (s->n_sk - j - 1) * sizeof *s->sk);
            s->n_sk--;
            s->sk_next = s->n_sk % CLUSTER_SKETCHES;
            break;
        }
    s->count--;
    s->grown = s->dirty = 1;
    gate_set(c, idx);
    return 0;
}

/* Puts back what story_take took, where it was. */
static void story_put_back(Clusterer *c, Story *s, uint32_t idx, Taken *tk)
{
    const Doc *d = tk->d;
    vec_add(c, s, F_BODY, idx, &d->body_terms, NULL);
    vec_add(c, s, F_TITLE, idx, &d->title_terms, NULL);
    vec_add(c, s, F_ENTITY, idx, &d->entity_terms, NULL);
    vec_add(c, s, F_LEAD, idx, &d->lead_terms, NULL);
    story_add_facts(s, &d->facts);
    /* (taking out never shrinks the arrays) */
    size_t k = tk->member_at;
    memmove(s->members + k + 1, s->members + k, (s->n_members - k) * sizeof *s->members);
    memmove(s->mtime + k + 1, s->mtime + k, (s->n_members - k) * sizeof *s->mtime);
    s->members[k] = tk->member;
    s->mtime[k] = tk->mtime;
    s->n_members++;
    int64_t t = d->article ? d->article->published : 0;
    story_add_time(s, t);
    if (t && tk->mtime == MTIME_LOADED)
        s->ltimed++;
    if (tk->sketch_at >= 0) {
        uint32_t j = (uint32_t)tk->sketch_at;
        s->sk = xrealloc(s->sk, ((size_t)s->n_sk + 1) * sizeof *s->sk);
        memmove(s->sk + j + 1, s->sk + j, (s->n_sk - j) * sizeof *s->sk);
        s->sk[j] = tk->sketch;
        s->n_sk++;
        s->sk_next = s->n_sk % CLUSTER_SKETCHES;
        tk->sketch.t = NULL;
    }
    s->count++;
    s->grown = tk->grown;
    s->dirty = tk->dirty;
    gate_set(c, idx);
}

int cluster_remove(Clusterer *c, int64_t story_id, int64_t article_id, const Doc *d)
{
    uint32_t idx;
    Story *s = story_get(c, story_id, &idx, 0);
    Taken tk;
    if (!s || story_take(c, s, idx, article_id, d, &tk) != 0)
        return -1;
    free(tk.sketch.t);
    return 0;
}

/* The choice cluster_assign would make for d (the best candidate story
 * reaching the threshold, a member's near-copy first, or 0), with the
 * best score and own's score (-1e300 when own is no candidate); *near
 * is the article id of the member d is a near-copy of when that decided,
 * else 0. */
static int64_t revise_choice(Clusterer *c, const Doc *d, const Story *own, double *best_score,
                             double *own_score, int64_t *near)
{
    Query qr;
    query_start(c, d, &qr, model_needs(&c->m));
    int64_t best = 0;
    double bs = -1e300;
    *own_score = -1e300;
    *near = 0;
    for (size_t i = 0; i < qr.n; i++) {
        Story *s = c->stories[qr.cands[i].story];
        double score = cluster_score(&c->m, qr.f[i]);
        if (s == own)
            *own_score = score;
        long k;
        if (d->n_words >= 30 && (qr.f[i][CF_BODY] >= 0.5 || query_body_max(c, &qr, i) >= 0.5) &&
            (k = near_copy_of(c, s, d)) >= 0) {
            best = s->id;
            bs = score;
            *near = s->members[k].article_id;
            break;
        }
        if (score > bs) {
            bs = score;
            best = s->id;
        }
    }
    if (!*near && bs < c->m.threshold)
        best = 0;
    query_end(c, d, &qr);
    *best_score = bs;
    return best;
}

/* Frees the vectors of a story left with no member (as story_absorb
 * frees an absorbed one's) and marks it as merged into `into`. */
static void story_empty(Clusterer *c, Story *s, uint32_t idx, int64_t into)
{
    for (int p = 0; p < N_PARTS; p++) {
        free(s->v[p].t);
        vec_unweigh(&s->v[p]);
        s->v[p] = (Vec){0};
        s->norm[p] = 0;
    }
    for (uint32_t k = 0; k < s->n_sk; k++)
        free(s->sk[k].t);
    s->n_sk = s->sk_next = 0;
    s->n_yr = 0;
    memset(s->fact_total, 0, sizeof s->fact_total);
    s->merged_into = into;
    s->dirty = s->grown = 0;
    gate_set(c, idx);
}

size_t cluster_revise(Clusterer *c, const Doc *const *docs, const int64_t *article_ids,
                      const int64_t *dup_of, int64_t *story, size_t n, ClusterNewStoryFn new_story,
                      void *ctx, ClusterMove **moves, ClusterMerge **emptied, size_t *n_emptied)
{
    *moves = NULL;
    *emptied = NULL;
    *n_emptied = 0;
    if (c->m.revise_rounds <= 0 || n == 0)
        return 0;
    size_t n_moves = 0, cap_moves = 0, cap_emptied = 0;
    int any_dup = 0;
    IntMap at = {0}; /* article id -> position in the batch */
    for (size_t i = 0; i < n; i++) {
        story[i] = cluster_story_resolve(c, story[i]);
        *intmap_put(&at, (uint64_t)article_ids[i], NULL) = (int64_t)i;
        any_dup |= dup_of[i] != 0;
    }
    size_t *unit = xmalloc((n + 1) * sizeof *unit);
    char *in_unit = xcalloc(n + 1, 1);
    Taken *tk = xmalloc((n + 1) * sizeof *tk);
    const double margin = c->m.revise_margin;
    for (int round = 0; round < c->m.revise_rounds; round++) {
        for (size_t i = 0; i < n; i++) {
            if (dup_of[i])
                continue; /* a near-copy goes where the article it copies goes */
            uint32_t idx;
            Story *s = story_get(c, story[i], &idx, 0);
            if (!s || s->merged_into)
                continue;
            /* the article and the near-copies of it (or of them) that
             * followed it into its story */
            size_t nu = 0;
            unit[nu++] = i;
            in_unit[i] = 1;
            for (size_t j = i + 1; j < n && any_dup; j++) {
                int64_t *o = dup_of[j] && story[j] == story[i] ? intmap_get(&at, (uint64_t)dup_of[j]) : NULL;
                if (o && in_unit[*o]) {
                    unit[nu++] = j;
                    in_unit[j] = 1;
                }
            }
            size_t nt = 0;
            for (size_t u = 0; u < nu; u++) {
                in_unit[unit[u]] = 0;
                if (story_take(c, s, idx, article_ids[unit[u]], docs[unit[u]], &tk[nt]) == 0)
                    unit[nt++] = unit[u];
            }
            if (nt == 0 || unit[0] != i) { /* (not a member: left as it is) */
                while (nt > 0) {
                    nt--;
                    story_put_back(c, s, idx, &tk[nt]);
                }
                continue;
            }
            double bs, os;
            int64_t near;
            int64_t best = revise_choice(c, docs[i], s, &bs, &os, &near);
            int64_t dest = story[i];
            /* its own story (with other members) not among the candidates
             * (their number is bounded): no score to weigh a move
             * against, so it stays */
            if (s->n_members > 0 && os <= -1e300)
                best = story[i];
            if (best && best != story[i] && (near || bs >= os + margin))
                dest = best;
            else if (!best && s->n_members > 0 && os < c->m.threshold - margin)
                dest = new_story ? new_story(ctx) : 0;
            if (dest == 0 || dest == story[i]) {
                while (nt > 0) {
                    nt--;
                    story_put_back(c, s, idx, &tk[nt]);
                }
                continue;
            }
            int64_t from = story[i];
            for (size_t u = 0; u < nt; u++) {
                free(tk[u].sketch.t);
                cluster_add(c, dest, article_ids[unit[u]], docs[unit[u]]);
                story[unit[u]] = dest;
                if (n_moves == cap_moves) {
                    cap_moves = cap_moves ? cap_moves * 2 : 16;
                    *moves = xrealloc(*moves, cap_moves * sizeof **moves);
                }
                (*moves)[n_moves++] = (ClusterMove){unit[u], from, dest, bs, u == 0 && dest == best ? near : 0};
            }
            if (s->n_members == 0) {
                story_empty(c, s, idx, dest);
                if (*n_emptied == cap_emptied) {
                    cap_emptied = cap_emptied ? cap_emptied * 2 : 16;
                    *emptied = xrealloc(*emptied, cap_emptied * sizeof **emptied);
                }
                (*emptied)[(*n_emptied)++] = (ClusterMerge){from, dest, bs};
            }
        }
    }
    free(unit);
    free(in_unit);
    free(tk);
    intmap_free(&at);
    return n_moves;
}
