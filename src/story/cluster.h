/* cluster.h - online story clustering (after Miranda et al. 2018).
 *
 * Each story keeps the sums of its members' term vectors (title, body,
 * named entities), its time span and its members' SimHashes. An arriving
 * article is compared only with stories found through an inverted index
 * on its most telling terms; for each candidate a linear model scores the
 * cosines of the three vectors (TF-IDF, document frequencies updated
 * online) and a Gaussian time closeness; the article joins the best story
 * scoring above the threshold, or starts a new one. An article within a
 * few bits (SimHash) of a member is a near-copy of it.
 *
 * The clusterer knows nothing of storage: the caller loads story states
 * (opaque blobs) and document frequencies into it, and saves the states of
 * the stories it changed. */
#ifndef SW_CLUSTER_H
#define SW_CLUSTER_H

#include <stddef.h>
#include <stdint.h>

#include "../analyze/doc.h"
#include "../core/buf.h"
#include "../core/err.h"

/* The features a candidate story is scored on (see docs/clustering.md):
 * TF-IDF cosines of the article against the story's sums (centroid), the
 * time closeness, the best cosine against one of its recent members
 * (max-link), the mean of the three best member body cosines, and how
 * much of the IDF weight of the article's rarest terms (names, figures)
 * the story holds anywhere. */
enum {
    CF_BODY,        /* body cosine to the centroid */
    CF_TITLE,       /* title cosine to the centroid */
    CF_ENTITY,      /* entity cosine to the centroid */
    CF_TIME,        /* Gaussian time closeness */
    CF_BODY_MAX,    /* best body cosine to a recent member */
    CF_TITLE_MAX,   /* best title cosine to a recent member */
    CF_ENTITY_MAX,  /* best entity cosine to a recent member */
    CF_BODY_TOP3,   /* mean of the three best member body cosines */
    CF_RARE,        /* share of the article's rarest terms the story has */
    CF_YEAR_AGREE,  /* overlap of the years written in the article and the story */
    CF_YEAR_CONFLICT, /* both write years, in different proportions (1 - overlap) */
    CF_PERSON_AGREE,  /* the same for the people named */
    CF_PERSON_CONFLICT,
    CF_NUMBER_AGREE,  /* and for the figures (2+ digits, not years) */
    CF_NUMBER_CONFLICT,
    CF_DATE_AGREE,    /* overlap of the days of the year (month and day) the
                       * article's and the story's calendar dates name */
    CF_DATE_CONFLICT, /* both name days, in different proportions (1 - overlap) */
    CF_DATE_NEAR,     /* both name days: closeness of the nearest two (Gaussian
                       * over the days between them, sigma DATE_SIGMA_DAYS) */
    CF_LEAD,          /* TF-IDF cosine of the lead (first sentences) with the story's leads */
    CF_LEAD_BODY,     /* and with the story's body sums */
    CF_YEAR_ONESIDE,  /* exactly one of the article and the story writes years (1), else 0 */
    CF_DATE_ONESIDE,  /* the same for calendar days */
    CLUSTER_FEATURES
};

/* Model file keys of the weights, in feature order ("w_body", ...). */
extern const char *const cluster_feature_names[CLUSTER_FEATURES];

/* Articles clustered together: update (and tune, to make the same
 * decisions) counts a batch's document frequencies before placing any of
 * its articles, since all of them are stored by then. */
#define CLUSTER_BATCH 2000

/* Members whose own vectors a story keeps for the max-link features (the
 * most recent ones). */
#define CLUSTER_SKETCHES 24

typedef struct ClusterModel {
    double w[CLUSTER_FEATURES]; /* weights of the features, CF_* order */
    double bias;
    double threshold;        /* join the best story when its score >= this */
    double time_sigma_days;  /* width of the time closeness Gaussian */
    double idf_offset;       /* idf = log((N + 1) / (df + 1)) + idf_offset */
    double active_days;      /* a story idle longer takes no new articles */
    int dup_hamming;         /* SimHash distance for a near-copy (Manku et al.: 3) */
    int max_candidates;      /* stories fully scored per article */
    double merge_threshold;  /* merge pass: join two stories whose score is >= this
                              * (CLUSTER_NO_MERGE and above: never) */
    int revise_rounds;       /* revision pass: times each batch's articles are placed
                              * again after the batch (0: never; cluster_revise) */
    double revise_margin;    /* a revised article moves only when its new choice
                              * beats its own story by this much */
} ClusterModel;

/* merge_threshold of a model that never merges (the built-in one). */
#define CLUSTER_NO_MERGE 1000.0

ClusterModel cluster_default_model(void);

/* Reads a model file ("key = value" lines, '#' comments; keys as in
 * ClusterModel) over the defaults. */
int cluster_model_load(const char *path, ClusterModel *m, SwErr *err);

typedef struct Clusterer Clusterer;

Clusterer *cluster_new(const ClusterModel *m);
void cluster_free(Clusterer *c);

/* Document frequencies: set from storage, then kept up to date by
 * cluster_count_doc as documents arrive. */
void cluster_set_df(Clusterer *c, uint32_t term, int64_t df);
void cluster_set_doc_count(Clusterer *c, int64_t n);
/* Counts a document's distinct terms (title, body, entities) into the
 * frequencies. *terms (heap, caller frees) receives them so the caller can
 * persist the same increments. */
void cluster_count_doc(Clusterer *c, const Doc *d, uint32_t **terms, size_t *n_terms);
double cluster_idf(const Clusterer *c, uint32_t term);

/* Adds a stored story state (as produced by cluster_story_state). */
int cluster_load_story(Clusterer *c, int64_t story_id, const void *state, size_t len, SwErr *err);

typedef struct ClusterDecision {
    int64_t story_id;    /* best story, or 0: start a new story */
    double score;        /* its score (or the best rejected score) */
    int64_t duplicate_of;/* article id of the member this is a near-copy of, or 0 */
    double features[CLUSTER_FEATURES]; /* of the best candidate (CF_*; see cluster_assign) */
} ClusterDecision;

/* Decides where a document goes, without changing anything. Only the
 * features the model weighs are computed (besides the centroid cosines
 * and the time closeness, always): ClusterDecision.features holds 0 for
 * the others unless cluster_report_features is on. */
ClusterDecision cluster_assign(Clusterer *c, const Doc *d);

/* on: cluster_assign also computes the unweighed features of the chosen
 * story, so that ClusterDecision.features holds all of them (for tests
 * and explanations; decisions and scores are the same either way). Off
 * when a clusterer is made. */
void cluster_report_features(Clusterer *c, int on);

/* The features cluster_assign scores for each candidate story of d (CF_*
 * order): fn is called once per candidate. What a model is learned from. */
typedef void (*ClusterFeatureFn)(void *ctx, int64_t story_id, const double *features);
void cluster_candidate_features(Clusterer *c, const Doc *d, ClusterFeatureFn fn, void *ctx);

/* A model's score of one candidate's features (bias + weights . features). */
double cluster_score(const ClusterModel *m, const double f[CLUSTER_FEATURES]);

/* Writes a model as a model file ("key = value" lines) after a comment. */
int cluster_model_save(const char *path, const ClusterModel *m, const char *comment, SwErr *err);

/* What clustering keeps of an analysed article, copied into a: its term
 * vectors, facts, SimHash, word count and publication time (the batch
 * analyses every article before placing any, so the full Doc is not kept). */
Doc *cluster_doc_copy(Arena *a, const Doc *d);

/* Adds a document to a story (new story ids are created on first use). */
void cluster_add(Clusterer *c, int64_t story_id, int64_t article_id, const Doc *d);

/* Merge pass: each story that grew since the last pass is compared, as
 * if it were one article (its sums as the vectors, its facts and time
 * span), with the stories its terms find in the index; when the model's
 * score of the best one is at least merge_threshold, the smaller of the
 * two is absorbed into the larger (members, sums, member vectors, facts,
 * span). Fills *merges (heap, caller frees; NULL when none) in the order
 * done and returns their count. An absorbed story takes no more articles
 * and is never a candidate; cluster_story_resolve follows it. */
typedef struct ClusterMerge {
    int64_t from, into;
    double score;
} ClusterMerge;
size_t cluster_merge_pass(Clusterer *c, ClusterMerge **merges);

/* Takes an article (added with cluster_add, doc d) out of a story: its
 * sums, lead, facts, member, member vector and SimHash go, the time span
 * is recomputed. Terms whose sums fall to 0 stay in the story's vectors
 * at weight 0 (and in the inverted index). A story left with no member is
 * no candidate. Returns -1 when the story or the member is unknown. */
int cluster_remove(Clusterer *c, int64_t story_id, int64_t article_id, const Doc *d);

/* Revision pass (after a batch has been placed; docs/clustering.md):
 * revise_rounds times, each article of the batch (in order) is taken out
 * of its story (with the near-copies of it that followed it there) and
 * placed again against the stories as they now stand, by the same
 * candidates, features and score; it moves when its best choice is
 * another story (scoring at least the threshold and revise_margin above
 * its own) or, when no story reaches the threshold, a story of its own
 * (its own story then scoring below threshold - revise_margin). Near-
 * copies (dup_of[i], an article id, not 0) are not placed again: they
 * follow the article they copy when it moves. story[i] is each
 * article's story on entry (cluster_story_resolve is applied) and on
 * return. new_story gives the id of a new story (0: it cannot; the
 * article stays). *moves (heap, caller frees) gets the moves in the
 * order made; *emptied (heap) the stories left with no article, each as
 * merged into the story its last article went to (cluster_story_resolve
 * follows it; such a story is no candidate again). Returns the number of
 * moves. */
typedef struct ClusterMove {
    size_t index;           /* of the article in the batch */
    int64_t from, to;
    double score;           /* of its new story (or the best rejected one) */
    int64_t duplicate_of;   /* the member of its new story it is a near-copy of, or 0 */
} ClusterMove;
typedef int64_t (*ClusterNewStoryFn)(void *ctx);
size_t cluster_revise(Clusterer *c, const Doc *const *docs, const int64_t *article_ids,
                      const int64_t *dup_of, int64_t *story, size_t n, ClusterNewStoryFn new_story,
                      void *ctx, ClusterMove **moves, ClusterMerge **emptied, size_t *n_emptied);

/* The story a story id now is: itself, or the story it was merged into
 * (followed through later merges); 0 for an unknown id. */
int64_t cluster_story_resolve(const Clusterer *c, int64_t story_id);

/* Ids of stories changed since the last call (heap, caller frees): the
 * ones whose state must be saved. */
size_t cluster_take_dirty(Clusterer *c, int64_t **ids);

/* Drops from memory the stories whose newest article is more than
 * active_days older than `now` (a publication time; 0 does nothing) and
 * whose state has been taken (not dirty): no article published at `now`
 * or later can join them, so this changes no decision for articles that
 * arrive in publication order. They leave the inverted index as its lists
 * are next read. Returns how many were dropped. */
size_t cluster_evict_idle(Clusterer *c, int64_t now);

/* Stories in memory; *total (may be NULL) gets all stories ever held. */
size_t cluster_story_count(const Clusterer *c, size_t *total);

/* Serialises a story's state; fills its span and size. Returns -1 for an
 * unknown story. */
int cluster_story_state(Clusterer *c, int64_t story_id, Buf *out, int64_t *first, int64_t *last,
                        int *count);

/* Up to k other stories most similar to story_id (cosine of TF-IDF body
 * and entity centroids, above min_score), best first. Returns the count. */
size_t cluster_related(Clusterer *c, int64_t story_id, size_t k, double min_score, int64_t *ids,
                       double *scores);

#endif
