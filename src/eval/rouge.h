/* rouge.h - ROUGE (Lin 2004) computed the way ROUGE-1.5.5.pl computes it,
 * so numbers can be compared with published ones.
 *
 * What is reproduced: the text preparation (ASCII lower case, '-' kept as
 * its own token, every other byte that is not a letter or a digit becomes
 * a space; only tokens starting with [a-z0-9] count), the length limits
 * of -l (words, counted on the raw whitespace-separated text) and -b
 * (bytes), applied to peer and references alike, stop-word removal (-s,
 * the SMART list ROUGE ships), stemming (-m: words longer than 3 letters
 * are looked up in a WordNet exception list, else Porter-stemmed),
 * ROUGE-N, summary-level ROUGE-L (union LCS per reference sentence,
 * clipped by unigram counts), skip-bigrams with a maximum gap (-2 N) and
 * the unigram extension (-u), the "-f A" pooling of hits and counts over
 * the references (or "-f B": the best reference), F with alpha, and the
 * 5-decimal rounding of each evaluation's R, P and F. The mean over
 * evaluations is the caller's (rouge_mean_*), and rouge_bootstrap_mean
 * reproduces the resampled average that ROUGE-1.5.5 prints. */
#ifndef SW_ROUGE_H
#define SW_ROUGE_H

#include <stddef.h>

#include "../core/err.h"

#define ROUGE_MAX_N 4

typedef struct RougeOptions {
    int max_n;            /* ROUGE-1 .. ROUGE-max_n (1..4); -n */
    int stem;             /* -m */
    int remove_stopwords; /* -s */
    int skip;             /* compute ROUGE-S; -2 */
    int skip_distance;    /* largest gap between the two words; -1 = any */
    int skip_unigrams;    /* -u: count unigrams too (ROUGE-SU) */
    size_t word_limit;    /* -l: first N words of each summary; 0 = all */
    size_t byte_limit;    /* -b: first N bytes; 0 = all (ignored when word_limit) */
    double alpha;         /* -p: F = PR / ((1-alpha)P + alpha R); 0.5 = F1 */
    int best_model;       /* -f B: score against the best reference (default A: pooled) */
} RougeOptions;

/* The settings of `ROUGE-1.5.5.pl -n 2 -2 4 -u -m`: ROUGE-1, ROUGE-2,
 * ROUGE-L and ROUGE-SU4, stemmed, stop words kept, alpha 0.5, -f A. */
void rouge_options_default(RougeOptions *o);

typedef struct RougePRF {
    double r, p, f;
} RougePRF;

typedef struct RougeScores {
    RougePRF n[ROUGE_MAX_N]; /* n[0] = ROUGE-1 ... (only max_n filled) */
    RougePRF l;              /* ROUGE-L */
    RougePRF s;              /* ROUGE-S / SU (when options.skip) */
} RougeScores;

/* A summary as a list of units (sentences; ROUGE-L works per unit). */
typedef struct RougeText {
    const char *const *units;
    size_t n;
} RougeText;

typedef struct Rouge Rouge;

/* A scorer for the given options with the built-in SMART stop list and no
 * exception list. Never NULL. One thread at a time. */
Rouge *rouge_new(const RougeOptions *o);
void rouge_free(Rouge *r);

/* Changes the length limits (-l / -b) for the following rouge_score calls,
 * e.g. one word budget per evaluation. */
void rouge_set_limits(Rouge *r, size_t word_limit, size_t byte_limit);

/* Adds stemming exceptions from a file: "word<TAB>base" (the TSV dump of
 * ROUGE's WordNet-2.0.exc.db) or WordNet's own *.exc lines ("word base
 * ..."). The first mapping of a word wins. -1 with err when unreadable. */
int rouge_load_exceptions(Rouge *r, const char *path, SwErr *err);
/* Adds one exception (used by tests). */
void rouge_add_exception(Rouge *r, const char *word, const char *base);
/* Replaces the stop list with a file's words (one a line). */
int rouge_load_stopwords(Rouge *r, const char *path, SwErr *err);

/* Scores one peer summary against n_models references (an evaluation).
 * Each R, P and F is rounded to 5 decimals as ROUGE-1.5.5 does. */
void rouge_score(Rouge *r, const RougeText *peer, const RougeText *models, size_t n_models,
                 RougeScores *out);

/* The stem ROUGE uses for one token (already lower case, [a-z0-9]):
 * the exception's base, else the Porter stem when longer than 3 letters,
 * else the token. Valid until the next call. For tests and tools. */
const char *rouge_stem(Rouge *r, const char *token);

/* The built-in stop list (ROUGE's smart_common_words: the SMART list plus
 * news abbreviations), in smart_stop.c. */
extern const char *const rouge_smart_stopwords[];
extern const size_t rouge_smart_stopwords_n;

/* Means over evaluations: add each evaluation's scores, then read the
 * mean. */
typedef struct RougeMean {
    RougeScores sum;
    size_t n;
} RougeMean;
void rouge_mean_add(RougeMean *m, const RougeScores *s);
void rouge_mean_get(const RougeMean *m, RougeScores *out);

/* The average ROUGE-1.5.5 prints with `-r resamples`: the mean of the
 * means of `resamples` bootstrap samples of v[0..n), sample i drawn with
 * Perl's srand(i)/rand (drand48), rounded to 5 decimals. v must be in the
 * order ROUGE sorts its evaluations (string order of "EVALID.PEERID"). */
double rouge_bootstrap_mean(const double *v, size_t n, int resamples);

#endif
