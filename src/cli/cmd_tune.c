/* cmd_tune.c - `storywire tune cluster`: fits the clustering model's
 * weights and threshold on labelled articles (after Miranda et al. 2018).
 *
 * 1. Teacher-forced pass: the articles are placed, in publication order,
 *    into their GOLD stories; before each is placed, the features of every
 *    candidate story the clusterer would score are recorded, labelled 1
 *    for its gold story and 0 for the others.
 * 2. A logistic regression over those features (class-balanced, lightly
 *    L2-regularised, Newton's method; src/story/learn.c) gives the weights
 *    and bias; --loss listwise and --bags N fit them otherwise.
 * 3. The threshold is chosen by running the real online clustering on the
 *    training articles for a range of thresholds and keeping the one with
 *    the best BCubed F1.
 * 4. One online round: the candidates met when the model itself places
 *    the articles are added to the examples, and steps 2-3 repeated; the
 *    better of the two models (training F1) is kept.
 * The online runs here use the clusterer directly, without a database: the
 * same decisions as `update`, which adds only storage around them. */
#include "cmd_tune.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analyze/doc.h"
#include "../core/fileio.h"
#include "../core/json.h"
#include "../core/log.h"
#include "../core/map.h"
#include "../core/timeutil.h"
#include "../eval/metrics.h"
#include "../ingest/ingest.h"
#include "../story/learn.h"
#include "args.h"

typedef struct Item {
    Article art;
    Doc doc;
    int64_t label;
    int64_t group; /* --group value (folds of cross-validation), 0 without */
    size_t order;  /* position in the file */
} Item;

typedef struct Set {
    Arena arena;
    Item *items;
    size_t n, cap;
    StrMap labels; /* label text -> id */
    StrMap groups; /* group text -> id */
    size_t skipped;
} Set;

static const char tune_help[] =
    "Usage: storywire tune cluster [--label KEY] [--test FILE] [--folds K --group KEY]\n"
    "                              [--loss logistic|listwise] [--bags N]\n"
    "                              [--out MODEL] [--trace FILE] FILE.jsonl[.gz]\n\n"
    "Learns the clustering model from labelled articles (one JSON object a\n"
    "line, as ingest reads them, plus a gold story label): the weights of\n"
    "the features (docs/clustering.md) by logistic regression over the\n"
    "candidate stories met while placing the articles in their gold stories\n"
    "(the closest ones, then also those the first fit scores highest), and\n"
    "in a further round where the model itself places them; then the\n"
    "threshold that gives the best BCubed F1 when the articles are\n"
    "clustered online, the merge threshold above which the merge pass\n"
    "after each batch joins two stories that are each other's best match,\n"
    "and whether the revision pass (0 to 2 rounds) after each batch pays.\n"
    "Prints the model and its scores on the training set and, with --test,\n"
    "on held-out articles; --out writes the model file that --model reads.\n\n"
    "Options:\n"
    "  --label KEY   the gold label key (default \"event\")\n"
    "  --test FILE   labelled articles to score the tuned model on (not used to fit it)\n"
    "  --folds K     also report K-fold cross-validation over the values of --group\n"
    "  --group KEY   the key that groups articles into folds (e.g. ECB+'s \"topic\")\n"
    "  --loss L      how the weights are fitted: \"logistic\" (default; each candidate\n"
    "                story on its own) or \"listwise\" (per article, its candidates\n"
    "                and starting a new story as one choice)\n"
    "  --bags N      the mean of N fits on bootstrap resamples of the gold stories\n"
    "                (default 0: one fit on all)\n"
    "  --out MODEL   write the model file\n"
    "  --trace FILE  write, for each article of the --test set (else the training\n"
    "                set) as the tuned model places it, its candidate stories'\n"
    "                features and scores and the decision (JSON lines; error analysis)\n"
    "  -h, --help    this help\n\n"
    "Example (ECB+: tune on topics 1-20, test on 21-45):\n"
    "  storywire tune cluster --label gold_cluster --test ecb-21-45.jsonl --out ecb.model ecb-1-20.jsonl\n";

static int64_t intern(StrMap *m, const JsonValue *v)
{
    char buf[64];
    const char *text;
    size_t len;
    if (v->type == JSON_STRING) {
        text = v->u.str.s;
        len = v->u.str.len;
    } else if (v->type == JSON_NUMBER) {
        len = (size_t)snprintf(buf, sizeof buf, "%.17g", v->u.number);
        text = buf;
    } else {
        return -1;
    }
    int created;
    StrMapEntry *e = strmap_put(m, text, len, &created);
    if (created)
        e->val.num = (int64_t)m->count;
    return e->val.num;
}

static int cmp_items(const void *a, const void *b)
{
    const Item *x = a, *y = b;
    int xu = x->art.published == 0, yu = y->art.published == 0;
    if (xu != yu)
        return xu - yu; /* unknown times last, as update orders them */
    if (x->art.published != y->art.published)
        return x->art.published < y->art.published ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Reads and analyses a labelled file. Returns -1 when it cannot be read. */
static int load_set(const char *path, const char *label_key, const char *group_key, DocAnalyzer *da, Set *s)
{
    SwErr err;
    LineReader *r = lines_open(path, &err);
    if (!r) {
        log_error("%s", err.msg);
        return -1;
    }
    lines_set_limit(r, 32u << 20);
    Buf line = {0};
    int got;
    Arena scratch = {0};
    int64_t now = time_now();
    while ((got = lines_next(r, &line, &err)) > 0) {
        size_t ln = lines_number(r);
        if (got == LINES_TOO_LONG) {
            log_warn("%s:%zu: line too long (skipped)", path, ln);
            s->skipped++;
            continue;
        }
        if (strspn(buf_cstr(&line), " \t") == line.len)
            continue;
        JsonValue *v = json_parse(&scratch, line.data, line.len, &err);
        const JsonValue *lab = v ? json_get(v, label_key) : NULL;
        if (!v || !lab || (lab->type != JSON_STRING && lab->type != JSON_NUMBER)) {
            log_warn("%s:%zu: %s (skipped)", path, ln, !v ? err.msg : "no gold label");
            s->skipped++;
            arena_free(&scratch);
            continue;
        }
        int64_t label = intern(&s->labels, lab);
        const JsonValue *grp = group_key ? json_get(v, group_key) : NULL;
        int64_t group = grp ? intern(&s->groups, grp) : 0;
        if (group_key && group <= 0) {
            log_warn("%s:%zu: no \"%s\" for --group (skipped)", path, ln, group_key);
            s->skipped++;
            arena_free(&scratch);
            continue;
        }
        arena_free(&scratch);
        Item it = {0};
        if (ingest_jsonl_line(&s->arena, line.data, line.len, &it.art, &err) != 0) {
            log_warn("%s:%zu: %s (skipped)", path, ln, err.msg);
            s->skipped++;
            continue;
        }
        ingest_article_finish(&it.art, NULL, now);
        it.label = label;
        it.group = group;
        it.order = s->n;
        if (s->n == s->cap) {
            s->cap = s->cap ? s->cap * 2 : 256;
            s->items = xrealloc(s->items, s->cap * sizeof *s->items);
        }
        s->items[s->n++] = it;
    }
    buf_free(&line);
    lines_close(r);
    if (got < 0) {
        log_error("%s", err.msg);
        return -1;
    }
    qsort(s->items, s->n, sizeof *s->items, cmp_items);
    for (size_t i = 0; i < s->n; i++) {
        s->items[i].art.id = (int64_t)i + 1;
        doc_analyze(da, &s->arena, &s->items[i].art, &s->items[i].doc);
    }
    return 0;
}

static void free_set(Set *s)
{
    free(s->items);
    strmap_free(&s->labels);
    strmap_free(&s->groups);
    arena_free(&s->arena);
}

/* At the start of each batch of CLUSTER_BATCH articles, counts their
 * document frequencies, as update does. */
static void count_batch(Clusterer *c, const Set *s, size_t i)
{
    if (i % CLUSTER_BATCH != 0)
        return;
    for (size_t k = i; k < s->n && k < i + CLUSTER_BATCH; k++) {
        uint32_t *terms;
        size_t nt;
        cluster_count_doc(c, &s->items[k].doc, &terms, &nt);
        free(terms);
    }
}

/* --trace: for error analysis, every article's decision and the features
 * of each candidate story, as one JSON object a line. */
typedef struct Trace {
    FILE *f;
    const ClusterModel *m;
    const char **label_text; /* label id -> text */
    int64_t *story_label;    /* story id -> gold label of its first article */
    size_t *story_size;      /* story id -> articles placed in it */
    size_t cap;              /* of story_label and story_size */
    int64_t gold;            /* of the article being placed */
    int first;               /* no candidate written yet */
    Buf b;
} Trace;

/* Room in t's story arrays for story id (the revision pass draws new
 * ids too, so they are not bounded by the number of articles). */
static void trace_grow(Trace *t, int64_t id)
{
    if ((size_t)id < t->cap)
        return;
    size_t cap = t->cap ? t->cap : 256;
    while (cap <= (size_t)id)
        cap *= 2;
    t->story_label = xrealloc(t->story_label, cap * sizeof *t->story_label);
    t->story_size = xrealloc(t->story_size, cap * sizeof *t->story_size);
    memset(t->story_label + t->cap, 0, (cap - t->cap) * sizeof *t->story_label);
    memset(t->story_size + t->cap, 0, (cap - t->cap) * sizeof *t->story_size);
    t->cap = cap;
}

/* The merge pass update runs after each batch (with trace, each merge
 * is written as {"merge":{"from":ID,"into":ID}}). */
static void merge_pass(Clusterer *c, FILE *trace)
{
    ClusterMerge *merges;
    size_t n = cluster_merge_pass(c, &merges);
    for (size_t k = 0; k < n && trace; k++)
        fprintf(trace, "{\"merge\":{\"from\":%lld,\"into\":%lld}}\n", (long long)merges[k].from,
                (long long)merges[k].into);
    free(merges);
}

static int64_t next_story_id(void *ctx)
{
    return (*(int64_t *)ctx)++;
}

/* What update does after placing a batch (articles from..to-1 of s,
 * their stories in pred, near-copies in dup): the merge pass, then the
 * revision pass (with trace, each move is written as
 * {"revise":{"line":N,"from":ID,"to":ID,"score":X}}). */
static void end_batch(Clusterer *c, const ClusterModel *m, const Set *s, size_t from, size_t to, int64_t *pred,
                      const int64_t *dup, int64_t *next, Trace *t)
{
    FILE *trace = t ? t->f : NULL;
    merge_pass(c, trace);
    if (m->revise_rounds > 0 && to > from) {
        size_t n = to - from;
        const Doc **docs = xmalloc(n * sizeof *docs);
        int64_t *ids = xmalloc(n * sizeof *ids);
        for (size_t k = 0; k < n; k++) {
            docs[k] = &s->items[from + k].doc;
            ids[k] = (int64_t)(from + k) + 1;
        }
        ClusterMove *moves;
        ClusterMerge *emptied;
        size_t n_emptied;
        size_t n_moves = cluster_revise(c, docs, ids, dup + from, pred + from, n, next_story_id, next, &moves,
                                        &emptied, &n_emptied);
        for (size_t k = 0; k < n_moves && trace; k++) {
            fprintf(trace, "{\"revise\":{\"line\":%zu,\"from\":%lld,\"to\":%lld,\"score\":%.4f}}\n",
                    s->items[from + moves[k].index].order + 1, (long long)moves[k].from, (long long)moves[k].to,
                    moves[k].score);
            /* the stories of the next batch's trace as they now stand */
            trace_grow(t, moves[k].from > moves[k].to ? moves[k].from : moves[k].to);
            if (t->story_size[moves[k].from] > 0)
                t->story_size[moves[k].from]--;
            if (t->story_size[moves[k].to]++ == 0)
                t->story_label[moves[k].to] = s->items[from + moves[k].index].label;
        }
        free(moves);
        free(emptied);
        free(docs);
        free(ids);
    }
}

/* --trace: for error analysis, every article's decision and the features
 * of each candidate story, as one JSON object a line. */
static void trace_candidate(void *ctx, int64_t story_id, const double *f)
{
    Trace *t = ctx;
    Buf *b = &t->b;
    buf_printf(b, "%s{\"story\":%lld,\"first_gold\":", t->first ? "" : ",", (long long)story_id);
    buf_json_cstr(b, t->label_text[t->story_label[story_id]]);
    buf_printf(b, ",\"gold_match\":%s,\"size\":%zu,\"score\":%.4f,\"features\":{",
               t->story_label[story_id] == t->gold ? "true" : "false", t->story_size[story_id],
               cluster_score(t->m, f));
    for (int k = 0; k < CLUSTER_FEATURES; k++)
        buf_printf(b, "%s\"%s\":%.4f", k ? "," : "", cluster_feature_names[k] + 2, f[k]);
    buf_puts(b, "}}");
    t->first = 0;
}

/* Before article i is placed: its candidates' features. */
static void trace_before(Trace *t, Clusterer *c, const Set *s, size_t i)
{
    t->gold = s->items[i].label;
    t->first = 1;
    t->b.len = 0;
    buf_printf(&t->b, "{\"line\":%zu,\"gold\":", s->items[i].order + 1);
    buf_json_cstr(&t->b, t->label_text[t->gold]);
    buf_puts(&t->b, ",\"candidates\":[");
    cluster_candidate_features(c, &s->items[i].doc, trace_candidate, t);
}

/* After it is placed (story, new or not): the decision. */
static void trace_after(Trace *t, const ClusterDecision *dec, int64_t story, int is_new)
{
    buf_printf(&t->b, "],\"story\":%lld,\"new_story\":%s,\"best_score\":", (long long)story,
               is_new ? "true" : "false");
    if (t->first) /* no candidate */
        buf_puts(&t->b, "null");
    else
        buf_printf(&t->b, "%.4f", dec->score);
    buf_printf(&t->b, ",\"near_copy\":%s}\n", dec->duplicate_of ? "true" : "false");
    fwrite(t->b.data, 1, t->b.len, t->f);
}

/* Online clustering of a set with model m, as update does it (merge
 * passes after each batch included); fills pred. */
static void cluster_online(const Set *s, const ClusterModel *m, int64_t *pred, FILE *trace_file)
{
    Clusterer *c = cluster_new(m);
    int64_t next = 1;
    int64_t *dup = xcalloc(s->n + 1, sizeof *dup);
    Trace t = {0};
    if (trace_file) {
        t.f = trace_file;
        t.m = m;
        t.label_text = xcalloc(s->labels.count + 1, sizeof *t.label_text);
        t.label_text[0] = "";
        STRMAP_FOREACH(&s->labels, e)
            t.label_text[e->val.num] = e->key;
        trace_grow(&t, (int64_t)s->n + 1);
    }
    for (size_t i = 0; i < s->n; i++) {
        const Doc *d = &s->items[i].doc;
        if (i > 0 && i % CLUSTER_BATCH == 0)
            end_batch(c, m, s, i - CLUSTER_BATCH, i, pred, dup, &next, trace_file ? &t : NULL);
        count_batch(c, s, i);
        if (trace_file)
            trace_before(&t, c, s, i);
        ClusterDecision dec = cluster_assign(c, d);
        int64_t story = dec.story_id ? dec.story_id : next++;
        cluster_add(c, story, (int64_t)i + 1, d);
        pred[i] = story;
        dup[i] = dec.duplicate_of;
        if (trace_file) {
            trace_grow(&t, story);
            if (!dec.story_id)
                t.story_label[story] = s->items[i].label;
            t.story_size[story]++;
            trace_after(&t, &dec, story, !dec.story_id);
        }
    }
    if (s->n)
        end_batch(c, m, s, (s->n - 1) / CLUSTER_BATCH * CLUSTER_BATCH, s->n, pred, dup, &next,
                  trace_file ? &t : NULL);
    free(dup);
    for (size_t i = 0; i < s->n; i++)
        pred[i] = cluster_story_resolve(c, pred[i]);
    if (trace_file) {
        free(t.label_text);
        free(t.story_label);
        free(t.story_size);
        buf_free(&t.b);
    }
    cluster_free(c);
}

static ClusterScores score_set_traced(const Set *s, const ClusterModel *m, FILE *trace_file);

static ClusterScores score_set(const Set *s, const ClusterModel *m)
{
    return score_set_traced(s, m, NULL);
}

static ClusterScores score_set_traced(const Set *s, const ClusterModel *m, FILE *trace_file)
{
    int64_t *gold = xmalloc((s->n + 1) * sizeof *gold), *pred = xmalloc((s->n + 1) * sizeof *pred);
    for (size_t i = 0; i < s->n; i++)
        gold[i] = s->items[i].label;
    cluster_online(s, m, pred, trace_file);
    ClusterScores sc;
    eval_cluster_scores(gold, pred, s->n, &sc);
    free(gold);
    free(pred);
    return sc;
}

typedef struct Examples {
    double (*f)[CLUSTER_FEATURES];
    unsigned char *y;
    size_t n, cap;
    int64_t gold_story; /* of the document being placed */
    IntMap *story_label; /* online pass: story id -> gold label of its first article */
    size_t doc_start;   /* first example of the document being placed */
    int hard;           /* keep only this many negatives a document (the closest); 0 = all */
    const ClusterModel *by; /* with by: by_hard more negatives, those it scores highest */
    int by_hard;
    size_t *start;      /* where each document's examples start (n_docs + 1 entries) */
    int64_t *key;       /* each document's gold label (what --bags resamples) */
    size_t n_docs, docs_cap;
} Examples;

static void record(void *ctx, int64_t story_id, const double *features)
{
    Examples *ex = ctx;
    if (ex->n == ex->cap) {
        ex->cap = ex->cap ? ex->cap * 2 : 4096;
        ex->f = xrealloc(ex->f, ex->cap * sizeof *ex->f);
        ex->y = xrealloc(ex->y, ex->cap);
    }
    memcpy(ex->f[ex->n], features, sizeof ex->f[ex->n]);
    int64_t *lab = ex->story_label ? intmap_get(ex->story_label, (uint64_t)story_id) : NULL;
    ex->y[ex->n++] = ex->story_label ? lab && *lab == ex->gold_story : story_id == ex->gold_story;
}

/* How close a candidate looks before any model: what the hard negatives
 * are chosen by. */
static double closeness(const double *f)
{
    return f[CF_BODY] + f[CF_ENTITY] + f[CF_TITLE] + f[CF_BODY_MAX];
}

/* Ends a document's examples: with ex->hard, only its positives and its
 * ex->hard closest negatives stay (the stories the decision is really
 * between; the many far ones teach nothing a cosine does not). */
static void end_doc(Examples *ex)
{
    size_t start = ex->doc_start;
    if (ex->hard > 0) {
        size_t k = start;
        int total = ex->hard + (ex->by ? ex->by_hard : 0);
        for (int round = 0; round < total; round++) {
            /* selection: move the closest remaining negative to k */
            size_t best = (size_t)-1;
            int by_score = round >= ex->hard;
            for (size_t i = k; i < ex->n; i++)
                if (!ex->y[i] && (best == (size_t)-1 ||
                                  (by_score ? cluster_score(ex->by, ex->f[i]) > cluster_score(ex->by, ex->f[best])
                                            : closeness(ex->f[i]) > closeness(ex->f[best]))))
                    best = i;
            if (best == (size_t)-1)
                break;
            double tmp[CLUSTER_FEATURES];
            memcpy(tmp, ex->f[k], sizeof tmp);
            memcpy(ex->f[k], ex->f[best], sizeof tmp);
            memcpy(ex->f[best], tmp, sizeof tmp);
            unsigned char ty = ex->y[k];
            ex->y[k] = ex->y[best];
            ex->y[best] = ty;
            k++;
        }
        /* the positives past k */
        for (size_t i = k; i < ex->n; i++)
            if (ex->y[i]) {
                memcpy(ex->f[k], ex->f[i], sizeof ex->f[k]);
                ex->y[k++] = 1;
            }
        ex->n = k;
    }
    if (ex->n_docs + 2 > ex->docs_cap) {
        ex->docs_cap = ex->docs_cap ? ex->docs_cap * 2 : 1024;
        ex->start = xrealloc(ex->start, ex->docs_cap * sizeof *ex->start);
        ex->key = xrealloc(ex->key, ex->docs_cap * sizeof *ex->key);
    }
    if (ex->n_docs == 0)
        ex->start[0] = 0;
    ex->key[ex->n_docs] = ex->gold_story;
    ex->start[++ex->n_docs] = ex->n;
    ex->doc_start = ex->n;
}

/* Teacher-forced pass: candidate features against the gold stories. */
static void collect_examples(const Set *s, const ClusterModel *m, Examples *ex)
{
    Clusterer *c = cluster_new(m);
    for (size_t i = 0; i < s->n; i++) {
        const Doc *d = &s->items[i].doc;
        ex->gold_story = s->items[i].label;
        count_batch(c, s, i);
        cluster_candidate_features(c, d, record, ex);
        end_doc(ex);
        cluster_add(c, s->items[i].label, (int64_t)i + 1, d);
    }
    cluster_free(c);
}

/* Online pass: the articles are placed by model m, as update would, and
 * the features of every candidate met are recorded, labelled 1 when the
 * story's first article has the same gold label. These are the
 * situations the model's own decisions lead to (mixed and split stories),
 * which the teacher-forced pass never shows. */
static void collect_online(const Set *s, const ClusterModel *m, Examples *ex)
{
    Clusterer *c = cluster_new(m);
    IntMap story_label = {0};
    ex->story_label = &story_label;
    int64_t next = 1;
    for (size_t i = 0; i < s->n; i++) {
        const Doc *d = &s->items[i].doc;
        ex->gold_story = s->items[i].label;
        count_batch(c, s, i);
        cluster_candidate_features(c, d, record, ex);
        end_doc(ex);
        ClusterDecision dec = cluster_assign(c, d);
        int64_t story = dec.story_id;
        if (!story) {
            story = next++;
            *intmap_put(&story_label, (uint64_t)story, NULL) = s->items[i].label;
        }
        cluster_add(c, story, (int64_t)i + 1, d);
    }
    ex->story_label = NULL;
    intmap_free(&story_label);
    cluster_free(c);
}

/* learn.c fits at most LEARN_MAX_FEATURES features (else zero weights) */
_Static_assert(CLUSTER_FEATURES <= LEARN_MAX_FEATURES, "learn.c cannot fit every clustering feature");

/* How the weights are fitted (--loss, --bags). */
typedef struct FitOpts {
    LearnLoss loss;
    int bags;
} FitOpts;

/* L2 regularisation of the fit (on standardised features; ECB+ topics
 * 1-20 -> 21-45: 1e-2 0.913, 1e-4 0.871, 3e-3 0.910, 1e-3 0.909 with the
 * best cross-validation mean). */
#define TUNE_L2 1e-3

/* Fits the weights and bias (w[CLUSTER_FEATURES]) to the examples: one
 * article's candidates a group, bootstrap resamples (--bags) by gold
 * story. */
static void fit(const Examples *ex, const FitOpts *o, double w[CLUSTER_FEATURES + 1])
{
    LearnSet ls = {(const double *)ex->f, ex->y, ex->n, CLUSTER_FEATURES, ex->start, ex->n_docs, ex->key};
    if (o->bags > 0)
        learn_bagged(&ls, o->loss, TUNE_L2, o->bags, 1, w);
    else
        learn_fit(&ls, o->loss, TUNE_L2, NULL, w);
}

#define MERGE_SLACK 0.005

/* The threshold with the best BCubed F1 of online clustering on set s;
 * sets m->threshold and returns the scores. The logistic score is 0 at
 * even odds; thresholds around it are tried. */
static ClusterScores best_threshold(const Set *s, ClusterModel *m)
{
    double best_t = 0, best_f1 = -1;
    ClusterScores best = {0};
    for (double t = -5.0; t <= 5.0001; t += 0.1) {
        m->threshold = t;
        ClusterScores sc = score_set(s, m);
        if (sc.bcubed_f1 > best_f1 + 1e-9) {
            best_f1 = sc.bcubed_f1;
            best_t = t;
            best = sc;
        }
    }
    m->threshold = best_t;
    /* then the merge pass: its threshold, or none. Of the thresholds
     * within MERGE_SLACK of the best training F1, the highest (the fewest
     * merges) is kept: a wrong merge joins two whole stories */
    enum { N_MT = 29 };
    double mts[N_MT], f1s[N_MT], top = best.bcubed_f1;
    ClusterScores scs[N_MT];
    for (int k = 0; k < N_MT; k++) {
        mts[k] = best_t - 2 + 0.5 * k;
        m->merge_threshold = mts[k];
        scs[k] = score_set(s, m);
        f1s[k] = scs[k].bcubed_f1;
        if (f1s[k] > top)
            top = f1s[k];
    }
    double best_mt = CLUSTER_NO_MERGE;
    for (int k = N_MT - 1; k >= 0 && best_mt == CLUSTER_NO_MERGE; k--)
        if (f1s[k] > best.bcubed_f1 + 1e-9 && f1s[k] >= top - MERGE_SLACK) {
            best_mt = mts[k];
            best = scs[k];
        }
    m->merge_threshold = best_mt;
    return best;
}

/* Revision rounds tried (docs/clustering.md, "Revision pass"). */
#define REVISE_MAX_ROUNDS 2

/* The revision pass, at the model's thresholds: the number of rounds
 * (up to REVISE_MAX_ROUNDS) with the best training F1 is kept when it
 * beats no revision (*best: the model's training scores). */
static void choose_revision(const Set *s, ClusterModel *m, ClusterScores *best)
{
    ClusterModel t = *m;
    double without = best->bcubed_f1;
    for (int r = 1; r <= REVISE_MAX_ROUNDS; r++) {
        t.revise_rounds = r;
        ClusterScores sc = score_set(s, &t);
        log_info("revision pass, %d round%s: training BCubed F1 %.4f (without: %.4f)", r, r == 1 ? "" : "s",
                 sc.bcubed_f1, without);
        if (sc.bcubed_f1 > best->bcubed_f1 + 1e-9) {
            *best = sc;
            *m = t;
        }
    }
}

#define ONLINE_ROUNDS 1
/* Negatives kept a document: its closest non-gold candidates (ECB+ topics
 * 1-20 -> 21-45: all 0.866, 1: 0.889, 3: 0.895). */
#define HARD_NEGATIVES 3
/* Negatives mined a document in round 1: those round 0's model scores
 * highest among the rest (ECB+ 1-20 -> 21-45 with one-sided facts: 0
 * 0.918, 1 0.922, 2 and 3 not kept; joins across topics 17 -> 0). */
#define MINED_NEGATIVES 1

static void examples_free(Examples *ex)
{
    free(ex->f);
    free(ex->y);
    free(ex->start);
    free(ex->key);
}

/* Fits weights and threshold on a set; returns the training scores.
 * Round 0 learns from the teacher-forced pass; round 1 from the same pass
 * with, besides the closest negatives, those round 0's model scores
 * highest (hard-negative mining: the stories it would wrongly join, which
 * closeness by words alone does not find); each further round adds the
 * examples of an online pass with the last model and refits
 * (DAgger-style). The model with the best training F1 is kept. */
static ClusterScores tune_on(const Set *train, const ClusterModel *base, const FitOpts *o, ClusterModel *m,
                             size_t *pairs, size_t *positives)
{
    Examples ex = {0};
    ex.hard = HARD_NEGATIVES;
    collect_examples(train, base, &ex);
    ClusterScores best = {0};
    best.bcubed_f1 = -1;
    ClusterModel cur = *base;
    for (int round = 0; round <= 1 + ONLINE_ROUNDS; round++) {
        if (round == 1) {
            Examples mined = {0};
            mined.hard = HARD_NEGATIVES;
            ClusterModel by = cur;
            mined.by = &by;
            mined.by_hard = MINED_NEGATIVES;
            collect_examples(train, base, &mined);
            mined.by = NULL;
            examples_free(&ex);
            ex = mined;
        } else if (round > 1)
            collect_online(train, &cur, &ex);
        double w[CLUSTER_FEATURES + 1];
        fit(&ex, o, w);
        cur = *base;
        memcpy(cur.w, w, sizeof cur.w);
        cur.bias = w[CLUSTER_FEATURES];
        ClusterScores sc = best_threshold(train, &cur);
        log_info("round %d (%s): %zu candidate examples, training BCubed F1 %.4f", round,
                 round == 0 ? "closest negatives" : round == 1 ? "mined negatives" : "online", ex.n,
                 sc.bcubed_f1);
        if (sc.bcubed_f1 > best.bcubed_f1 + 1e-9) {
            best = sc;
            *m = cur;
        }
    }
    if (base->revise_rounds == 0) /* (a model given with --model keeps its own) */
        choose_revision(train, m, &best);
    *pairs = ex.n;
    *positives = 0;
    for (size_t i = 0; i < ex.n; i++)
        *positives += ex.y[i];
    examples_free(&ex);
    return best;
}

/* The items of s whose group is (in_fold) or is not (!in_fold) in fold f
 * of k, as a view sharing s's analyses. */
static Set fold_view(const Set *s, int f, int k, int in_fold)
{
    Set v = {0};
    v.items = xmalloc((s->n + 1) * sizeof *v.items);
    for (size_t i = 0; i < s->n; i++)
        if (((s->items[i].group - 1) % k == f) == in_fold)
            v.items[v.n++] = s->items[i];
    return v;
}

static void print_scores(const char *what, const ClusterScores *sc)
{
    printf("%s: %zu articles, %zu gold stories, %zu stories; BCubed P %.3f R %.3f F1 %.3f; "
           "pairwise F1 %.3f; ARI %.3f; NMI %.3f\n",
           what, sc->n, sc->gold_clusters, sc->clusters, sc->bcubed_p, sc->bcubed_r, sc->bcubed_f1,
           sc->pairwise_f1, sc->ari, sc->nmi);
}

static int tune_cluster(CliContext *ctx, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(tune_help, stdout);
        return EXIT_OK;
    }
    const char *label_key = "event", *test_path = NULL, *out_path = NULL, *group_key = NULL,
               *folds_s = NULL, *trace_path = NULL, *loss_s = NULL, *bags_s = NULL;
    ArgSpec specs[] = {{"label", 1, &label_key}, {"test", 1, &test_path}, {"out", 1, &out_path},
                       {"group", 1, &group_key}, {"folds", 1, &folds_s}, {"trace", 1, &trace_path},
                       {"loss", 1, &loss_s}, {"bags", 1, &bags_s}, {0}};
    char **pos = xmalloc(((size_t)argc + 1) * sizeof *pos);
    int n_pos;
    int bad = args_parse("tune cluster", argc, argv, specs, pos, &n_pos) != 0;
    const char *train_path = n_pos == 1 ? pos[0] : NULL;
    free(pos);
    if (bad)
        return EXIT_USAGE;
    if (!train_path) {
        fputs("storywire tune cluster: give one labelled FILE (see 'storywire tune cluster --help')\n", stderr);
        return EXIT_USAGE;
    }
    int folds = 0;
    if (folds_s) {
        long k = args_long("tune cluster", "folds", folds_s, 2, 100);
        if (k < 0)
            return EXIT_USAGE;
        if (!group_key) {
            fputs("storywire tune cluster: --folds needs --group KEY (the key whose values are split into folds)\n", stderr);
            return EXIT_USAGE;
        }
        folds = (int)k;
    }
    FitOpts fo = {LEARN_LOGISTIC, 0};
    if (loss_s && strcmp(loss_s, "listwise") == 0) {
        fo.loss = LEARN_LISTWISE;
    } else if (loss_s && strcmp(loss_s, "logistic") != 0) {
        fputs("storywire tune cluster: --loss is \"logistic\" or \"listwise\"\n", stderr);
        return EXIT_USAGE;
    }
    if (bags_s) {
        long b = args_long("tune cluster", "bags", bags_s, 0, 1000);
        if (b < 0)
            return EXIT_USAGE;
        fo.bags = (int)b;
    }
    ClusterModel base;
    if (cli_load_model(ctx, &base) != 0)
        return EXIT_FAIL;
    FILE *trace = NULL;
    if (trace_path && !(trace = fopen(trace_path, "w"))) {
        log_error("%s: cannot write: %s", trace_path, strerror(errno));
        return EXIT_FAIL;
    }
    DocAnalyzer *da = doc_analyzer_new();
    Set train = {0}, test = {0};
    int rc = EXIT_FAIL;
    if (load_set(train_path, label_key, folds ? group_key : NULL, da, &train) != 0)
        goto out;
    if (train.n < 2) {
        log_error("%s: fewer than two labelled articles", train_path);
        goto out;
    }
    if (test_path && load_set(test_path, label_key, NULL, da, &test) != 0)
        goto out;
    log_info("%s: %zu labelled articles, %zu gold stories", train_path, train.n, train.labels.count);

    ClusterModel m;
    size_t pairs, positives;
    ClusterScores best = tune_on(&train, &base, &fo, &m, &pairs, &positives);
    log_info("%zu candidate pairs (%zu of them the gold story); weights fitted", pairs, positives);
    printf("model:");
    for (int k = 0; k < CLUSTER_FEATURES; k++)
        printf(" %s %.4f", cluster_feature_names[k], m.w[k]);
    printf(" bias %.4f threshold %.2f", m.bias, m.threshold);
    if (m.merge_threshold < CLUSTER_NO_MERGE)
        printf(" merge_threshold %.2f", m.merge_threshold);
    else
        printf(" (no merge pass)");
    if (m.revise_rounds > 0)
        printf(" revise_rounds %d\n", m.revise_rounds);
    else
        printf(" (no revision pass)\n");
    print_scores("train", &best);
    ClusterScores ts = {0};
    if (test_path) {
        ts = score_set_traced(&test, &m, trace);
        print_scores("test", &ts);
    } else if (trace) {
        score_set_traced(&train, &m, trace);
    }
    if (trace && (ferror(trace) || fflush(trace) != 0)) {
        log_error("%s: write error", trace_path);
        goto out;
    }
    if (folds > 1) {
        /* k-fold cross-validation over the groups (e.g. ECB+ topics): tune
         * on k-1 folds, score on the held-out one */
        double sum = 0;
        for (int f = 0; f < folds; f++) {
            Set tr = fold_view(&train, f, folds, 0), te = fold_view(&train, f, folds, 1);
            ClusterModel fm;
            size_t fp, fpos;
            tune_on(&tr, &base, &fo, &fm, &fp, &fpos);
            ClusterScores fs = score_set(&te, &fm);
            char what[64];
            snprintf(what, sizeof what, "fold %d/%d", f + 1, folds);
            print_scores(what, &fs);
            sum += fs.bcubed_f1;
            free(tr.items);
            free(te.items);
        }
        printf("cross-validation: mean held-out BCubed F1 %.3f over %d folds of %zu groups\n", sum / folds,
               folds, train.groups.count);
    }
    if (out_path) {
        char comment[512];
        int len = snprintf(comment, sizeof comment,
                           "storywire clustering model, tuned by `storywire tune cluster` on %s\n"
                           "train: %zu articles, BCubed F1 %.4f",
                           train_path, train.n, best.bcubed_f1);
        if (test_path && len > 0 && (size_t)len < sizeof comment)
            len += snprintf(comment + len, sizeof comment - (size_t)len,
                            "\ntest %s: %zu articles, BCubed F1 %.4f", test_path, test.n, ts.bcubed_f1);
        if ((fo.loss != LEARN_LOGISTIC || fo.bags > 0) && len > 0 && (size_t)len < sizeof comment)
            snprintf(comment + len, sizeof comment - (size_t)len, "\nfitted with --loss %s --bags %d",
                     fo.loss == LEARN_LISTWISE ? "listwise" : "logistic", fo.bags);
        SwErr err;
        if (cluster_model_save(out_path, &m, comment, &err) != 0) {
            log_error("%s", err.msg);
            goto out;
        }
        log_info("model written to %s (use it with --model %s)", out_path, out_path);
    }
    rc = train.skipped || test.skipped ? EXIT_PARTIAL : EXIT_OK;
out:
    if (trace)
        fclose(trace);
    free_set(&train);
    free_set(&test);
    doc_analyzer_free(da);
    return rc;
}

int cmd_tune(CliContext *ctx, int argc, char **argv)
{
    if (argc >= 1 && strcmp(argv[0], "cluster") == 0)
        return tune_cluster(ctx, argc - 1, argv + 1);
    if (cli_wants_help(argc, argv)) {
        fputs("Usage: storywire [--model FILE] tune SUBCOMMAND [ARGS]\n\n"
              "Tuning commands:\n"
              "  cluster   learn the clustering model from labelled articles\n\n"
              "See 'storywire tune cluster --help'.\n",
              stdout);
        return EXIT_OK;
    }
    fprintf(stderr, "storywire tune: %s (see 'storywire tune --help')\n",
            argc ? "unknown subcommand" : "which model? (cluster)");
    return EXIT_USAGE;
}
