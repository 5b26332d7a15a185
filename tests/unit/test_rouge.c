/* test_rouge.c - ROUGE as ROUGE-1.5.5 computes it: hand-computed small
 * cases (always run), then ROUGE-1.5.5's own sample test (its inputs and
 * expected outputs) when ../shared/data/summarization/rouge155-sample-test
 * is present ($ROUGE_TEST_DATA overrides the path); skipped otherwise. */
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/fileio.h"
#include "eval/rouge.h"
#include "test.h"

#define NEAR(x, y) (fabs((x) - (y)) < 0.000005)
#define CHECK_NEAR(got, want)                                                                  \
    do {                                                                                       \
        double g__ = (got), w__ = (want);                                                      \
        if (!NEAR(g__, w__)) {                                                                 \
            fprintf(stderr, "  FAIL %s (%s:%d): %s = %.5f, want %.5f\n", test_current, __FILE__, \
                    __LINE__, #got, g__, w__);                                                 \
            test_failed_checks++;                                                              \
        }                                                                                      \
    } while (0)

static RougeOptions plain(void)
{
    RougeOptions o;
    rouge_options_default(&o);
    o.stem = 0;
    return o;
}

static void score1(const RougeOptions *o, const char *peer, const char *model, RougeScores *s)
{
    Rouge *r = rouge_new(o);
    const char *pu[] = {peer}, *mu[] = {model};
    RougeText p = {pu, 1}, m = {mu, 1};
    rouge_score(r, &p, &m, 1, s);
    rouge_free(r);
}

static void test_rouge_n_counts_clipped_ngram_overlap(void)
{
    RougeOptions o = plain();
    RougeScores s;
    /* unigrams: the(2) cat on mat = 5 of 6; bigrams: the cat, on the, the mat = 3 of 5 */
    score1(&o, "The cat sat on the mat.", "the cat was on the mat", &s);
    CHECK_NEAR(s.n[0].r, 0.83333);
    CHECK_NEAR(s.n[0].p, 0.83333);
    CHECK_NEAR(s.n[0].f, 0.83333);
    CHECK_NEAR(s.n[1].r, 0.6);
    CHECK_NEAR(s.n[1].p, 0.6);
    /* a repeated word earns at most as often as the reference has it */
    score1(&o, "mat mat mat mat", "the mat", &s);
    CHECK_NEAR(s.n[0].r, 0.5);
    CHECK_NEAR(s.n[0].p, 0.25);
    CHECK_NEAR(s.n[0].f, 0.33333);
}

static void test_tokens_are_ascii_alphanumeric_runs(void)
{
    RougeOptions o = plain();
    RougeScores s;
    /* "U.S.-led" is u s led; "don't" is don t; punctuation and non-ASCII
     * bytes separate words */
    score1(&o, "U.S.-led caf\xc3\xa9 don't", "u s led caf don t", &s);
    CHECK_NEAR(s.n[0].r, 1.0);
    CHECK_NEAR(s.n[0].p, 1.0);
    CHECK_NEAR(s.n[1].r, 1.0);
}

static void test_skip_bigrams_with_unigrams_leave_out_the_last_token(void)
{
    RougeOptions o = plain();
    RougeScores s;
    /* peer alpha bravo charlie: unigrams alpha, bravo (not charlie, as in
     * ROUGE-1.5.5) + pairs alpha-bravo, alpha-charlie, bravo-charlie = 5;
     * reference alpha charlie bravo: alpha, charlie + alpha-charlie,
     * alpha-bravo, charlie-bravo = 5; common: alpha, alpha-bravo,
     * alpha-charlie = 3 */
    score1(&o, "alpha bravo charlie", "alpha charlie bravo", &s);
    CHECK_NEAR(s.s.r, 0.6);
    CHECK_NEAR(s.s.p, 0.6);
    /* gap 0: adjacent pairs only; only the unigram alpha is shared, 1 of 4 */
    o.skip_distance = 0;
    score1(&o, "alpha bravo charlie", "alpha charlie bravo", &s);
    CHECK_NEAR(s.s.r, 0.25);
    /* gap 4 leaves out pairs 6 apart: a b c d e f g -> a-g is not counted */
    o.skip_distance = 4;
    o.skip_unigrams = 0;
    score1(&o, "ka kb kc kd ke kf kg", "ka kg", &s);
    CHECK_NEAR(s.s.r, 0.0);
    o.skip_distance = 5;
    score1(&o, "ka kb kc kd ke kf kg", "ka kg", &s);
    CHECK_NEAR(s.s.r, 1.0);
}

static void test_rouge_l_takes_the_union_lcs_over_peer_sentences(void)
{
    /* Lin 2004's example: reference w1 w2 w3 w4 w5; candidate sentences
     * w1 w2 w6 w7 w8 and w1 w3 w8 w9 w5; union LCS w1 w2 w3 w5 = 4 of 5
     * reference words; 4 of the 10 peer words */
    RougeOptions o = plain();
    Rouge *r = rouge_new(&o);
    const char *pu[] = {"wa wb wf wg wh", "wa wc wh wi we"}, *mu[] = {"wa wb wc wd we"};
    RougeText p = {pu, 2}, m = {mu, 1};
    RougeScores s;
    rouge_score(r, &p, &m, 1, &s);
    CHECK_NEAR(s.l.r, 0.8);
    CHECK_NEAR(s.l.p, 0.4);
    CHECK_NEAR(s.l.f, 0.53333);
    rouge_free(r);
}

static void test_stop_words_and_stemming(void)
{
    RougeOptions o = plain();
    o.remove_stopwords = 1;
    RougeScores s;
    /* with -s only cat and dog are left on either side */
    score1(&o, "The cat and the dog", "a cat with a dog", &s);
    CHECK_NEAR(s.n[0].r, 1.0);
    CHECK_NEAR(s.n[0].p, 1.0);

    o = plain();
    o.stem = 1;
    Rouge *r = rouge_new(&o);
    rouge_add_exception(r, "said", "say");
    CHECK_STR(rouge_stem(r, "said"), "say");
    CHECK_STR(rouge_stem(r, "running"), "run");
    CHECK_STR(rouge_stem(r, "cats"), "cat");
    CHECK_STR(rouge_stem(r, "was"), "was"); /* 3 letters or fewer: as is */
    const char *pu[] = {"Officials said the talks were running"}, *mu[] = {"an official say talks run"};
    RougeText p = {pu, 1}, m = {mu, 1};
    rouge_score(r, &p, &m, 1, &s);
    /* official, say, talk, run match: 4 of 5 reference words */
    CHECK_NEAR(s.n[0].r, 0.8);
    rouge_free(r);
}

static void test_word_limit_cuts_peer_and_references(void)
{
    RougeOptions o = plain();
    o.word_limit = 3;
    Rouge *r = rouge_new(&o);
    const char *pu[] = {"The cat sat", "on the mat"}, *mu[] = {"the cat sat on a rug"};
    RougeText p = {pu, 2}, m = {mu, 1};
    RougeScores s;
    rouge_score(r, &p, &m, 1, &s);
    CHECK_NEAR(s.n[0].r, 1.0); /* both are "the cat sat" */
    CHECK_NEAR(s.n[0].p, 1.0);
    rouge_free(r);
    /* the byte limit: "the cat" is 7 bytes */
    o.word_limit = 0;
    o.byte_limit = 7;
    r = rouge_new(&o);
    rouge_score(r, &p, &m, 1, &s);
    CHECK_NEAR(s.n[0].r, 1.0);
    CHECK_NEAR(s.n[1].r, 1.0);
    rouge_free(r);
}

static void test_references_pool_or_best(void)
{
    RougeOptions o = plain();
    Rouge *r = rouge_new(&o);
    const char *pu[] = {"alpha bravo"}, *m1[] = {"alpha bravo"}, *m2[] = {"charlie delta"};
    RougeText p = {pu, 1}, m[2] = {{m1, 1}, {m2, 1}};
    RougeScores s;
    rouge_score(r, &p, m, 2, &s);
    CHECK_NEAR(s.n[0].r, 0.5); /* -f A: 2 hits of 4 reference words */
    CHECK_NEAR(s.n[0].p, 0.5); /* ... over 2 x 2 peer words */
    rouge_free(r);
    o.best_model = 1;
    r = rouge_new(&o);
    rouge_score(r, &p, m, 2, &s);
    CHECK_NEAR(s.n[0].r, 1.0); /* -f B: the best reference */
    rouge_free(r);
}

static void test_empty_texts_score_zero(void)
{
    RougeOptions o = plain();
    RougeScores s;
    score1(&o, "", "the cat", &s);
    CHECK_NEAR(s.n[0].r, 0);
    CHECK_NEAR(s.l.f, 0);
    score1(&o, "the cat", "...", &s);
    CHECK_NEAR(s.n[0].p, 0);
    CHECK_NEAR(s.s.f, 0);
}

static void test_means_and_bootstrap(void)
{
    RougeMean m = {0};
    RougeScores a = {0}, b = {0}, out;
    a.n[0].r = 0.2, b.n[0].r = 0.4;
    rouge_mean_add(&m, &a);
    rouge_mean_add(&m, &b);
    rouge_mean_get(&m, &out);
    CHECK_NEAR(out.n[0].r, 0.3);
    double one[] = {0.25}, same[] = {0.5, 0.5, 0.5};
    CHECK_NEAR(rouge_bootstrap_mean(one, 1, 1000), 0.25);
    CHECK_NEAR(rouge_bootstrap_mean(same, 3, 1000), 0.5);
}

/* ---- ROUGE-1.5.5's sample test ---- */

typedef struct Eval {
    char id[32], peer_root[256], model_root[256];
    char pid[16][16], pfile[16][256];
    int np;
    char mfile[16][256];
    int nm;
} Eval;

static char data_dir[512];

static int read_file(const char *path, Buf *b)
{
    SwErr err = {0};
    buf_reset(b);
    return file_read_all(path, 1 << 24, b, &err);
}

/* Copies the text between open and close tags after *pos. */
static int tag_text(const char **pos, const char *open, char *out, size_t cap)
{
    const char *s = strstr(*pos, open);
    if (!s)
        return -1;
    s += strlen(open);
    const char *e = strchr(s, '<');
    while (*s == '\n' || *s == ' ')
        s++;
    size_t n = (size_t)(e - s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
        n--;
    if (n >= cap)
        n = cap - 1;
    memcpy(out, s, n);
    out[n] = '\0';
    *pos = e;
    return 0;
}

static int read_evals(const char *xml_path, Eval *ev, int max)
{
    Buf b = {0};
    if (read_file(xml_path, &b) < 0)
        return -1;
    int n = 0;
    const char *p = buf_cstr(&b);
    while (n < max && (p = strstr(p, "<EVAL ID=\""))) {
        Eval *e = &ev[n++];
        memset(e, 0, sizeof *e);
        p += 10;
        size_t k = strcspn(p, "\"");
        memcpy(e->id, p, k);
        const char *end = strstr(p, "</EVAL>");
        tag_text(&p, "<PEER-ROOT>", e->peer_root, sizeof e->peer_root);
        tag_text(&p, "<MODEL-ROOT>", e->model_root, sizeof e->model_root);
        const char *q;
        while ((q = strstr(p, "<P ID=\"")) && q < end && e->np < 16) {
            q += 7;
            k = strcspn(q, "\"");
            memcpy(e->pid[e->np], q, k);
            p = q;
            tag_text(&p, ">", e->pfile[e->np], sizeof e->pfile[0]);
            e->np++;
        }
        while ((q = strstr(p, "<M ID=\"")) && q < end && e->nm < 16) {
            p = q + 7;
            tag_text(&p, ">", e->mfile[e->nm], sizeof e->mfile[0]);
            e->nm++;
        }
        p = end;
    }
    buf_free(&b);
    return n;
}

/* The sentences of a SEE file, as ROUGE's regex takes them: the text after
 * `<a href="#N" id=N>` up to the next '<' on that line, line end included. */
static size_t read_see(const char *path, char ***out)
{
    Buf b = {0};
    *out = NULL;
    if (read_file(path, &b) < 0)
        return 0;
    size_t n = 0, cap = 0;
    char **u = NULL;
    const char *s = buf_cstr(&b);
    while (*s) {
        const char *eol = strchr(s, '\n');
        const char *next = eol ? eol + 1 : s + strlen(s);
        if (strncmp(s, "<a ", 3) == 0) {
            const char *h = strstr(s, "<a href=\"#");
            if (h && h < next) {
                const char *gt = strchr(h, '>');
                if (gt && gt < next) {
                    const char *t = gt + 1;
                    size_t len = 0;
                    while (t + len < next && t[len] != '<')
                        len++;
                    if (len > 0) {
                        if (n == cap)
                            u = realloc(u, (cap = cap ? cap * 2 : 16) * sizeof *u);
                        u[n++] = xstrndup(t, len);
                    }
                }
            }
        }
        s = next;
    }
    buf_free(&b);
    *out = u;
    return n;
}

static void free_units(char **u, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(u[i]);
    free(u);
}

typedef struct Expect {
    char peer[16], metric[24];
    double r, p, f;
} Expect;

static int read_expected(const char *path, Expect *ex, int max)
{
    Buf b = {0};
    if (read_file(path, &b) < 0)
        return -1;
    int n = 0;
    const char *s = buf_cstr(&b);
    char peer[16], metric[24], kind;
    double v;
    while (*s) {
        const char *eol = strchr(s, '\n');
        if (sscanf(s, "%15s %23s Average_%c: %lf", peer, metric, &kind, &v) == 4) {
            Expect *e = NULL;
            for (int i = 0; i < n; i++)
                if (!strcmp(ex[i].peer, peer) && !strcmp(ex[i].metric, metric))
                    e = &ex[i];
            if (!e && n < max) {
                e = &ex[n++];
                memset(e, 0, sizeof *e);
                strcpy(e->peer, peer);
                strcpy(e->metric, metric);
            }
            if (e)
                *(kind == 'R' ? &e->r : kind == 'P' ? &e->p : &e->f) = v;
        }
        if (!eol)
            break;
        s = eol + 1;
    }
    buf_free(&b);
    return n;
}

typedef struct TestScore {
    char key[64]; /* "EVALID.PEERID", ROUGE's sort key */
    RougeScores s, su;
} TestScore;

static int cmp_key(const void *a, const void *b)
{
    return strcmp(((const TestScore *)a)->key, ((const TestScore *)b)->key);
}

static const RougePRF *metric_of(const TestScore *t, const char *metric)
{
    if (!strncmp(metric, "ROUGE-", 6) && metric[6] >= '1' && metric[6] <= '4' && !metric[7])
        return &t->s.n[metric[6] - '1'];
    if (!strcmp(metric, "ROUGE-L"))
        return &t->s.l;
    if (!strcmp(metric, "ROUGE-S*"))
        return &t->s.s;
    if (!strcmp(metric, "ROUGE-SU*"))
        return &t->su.s;
    return NULL; /* ROUGE-W is not implemented */
}

static double worst_diff;
static int compared;

/* Runs one configuration over an evaluation file and compares every
 * peer's averages with ROUGE-1.5.5's output. */
static void run_config(const char *xml, const char *expected, int stem, int stop, size_t words, size_t bytes)
{
    char path[1024];
    static Eval ev[64];
    snprintf(path, sizeof path, "%s/sample-test/%s", data_dir, xml);
    int ne = read_evals(path, ev, 64);
    CHECK(ne > 0);
    snprintf(path, sizeof path, "%s/sample-output/%s", data_dir, expected);
    static Expect ex[256];
    int nx = read_expected(path, ex, 256);
    CHECK(nx > 0);
    if (ne <= 0 || nx <= 0)
        return;

    RougeOptions o;
    rouge_options_default(&o);
    o.max_n = 4, o.stem = stem, o.remove_stopwords = stop, o.skip = 1, o.skip_distance = -1;
    o.skip_unigrams = 0, o.word_limit = words, o.byte_limit = bytes;
    RougeOptions ou = o;
    ou.skip_unigrams = 1;
    Rouge *r = rouge_new(&o), *ru = rouge_new(&ou);
    snprintf(path, sizeof path, "%s/data/wordnet-2.0-exc.tsv", data_dir);
    SwErr err = {0};
    if (stem) {
        CHECK(rouge_load_exceptions(r, path, &err) == 0);
        CHECK(rouge_load_exceptions(ru, path, &err) == 0);
    }

    for (int x = 0; x < nx; x++) {
        const RougePRF *dummy = NULL;
        (void)dummy;
        TestScore ts[64];
        int nt = 0;
        for (int e = 0; e < ne; e++) {
            int pi = -1;
            for (int i = 0; i < ev[e].np; i++)
                if (!strcmp(ev[e].pid[i], ex[x].peer))
                    pi = i;
            if (pi < 0)
                continue;
            char **pu;
            snprintf(path, sizeof path, "%s/sample-test/%s/%s", data_dir, ev[e].peer_root, ev[e].pfile[pi]);
            size_t npu = read_see(path, &pu);
            RougeText peer = {(const char *const *)pu, npu};
            RougeText models[16];
            char **mu[16];
            for (int m = 0; m < ev[e].nm; m++) {
                snprintf(path, sizeof path, "%s/sample-test/%s/%s", data_dir, ev[e].model_root, ev[e].mfile[m]);
                size_t n = read_see(path, &mu[m]);
                models[m] = (RougeText){(const char *const *)mu[m], n};
            }
            TestScore *t = &ts[nt++];
            snprintf(t->key, sizeof t->key, "%.31s.%.15s", ev[e].id, ex[x].peer);
            rouge_score(r, &peer, models, (size_t)ev[e].nm, &t->s);
            rouge_score(ru, &peer, models, (size_t)ev[e].nm, &t->su);
            free_units(pu, npu);
            for (int m = 0; m < ev[e].nm; m++)
                free_units(mu[m], models[m].n);
        }
        qsort(ts, (size_t)nt, sizeof *ts, cmp_key);
        if (!metric_of(&ts[0], ex[x].metric))
            continue;
        double v[3][64];
        for (int i = 0; i < nt; i++) {
            const RougePRF *s = metric_of(&ts[i], ex[x].metric);
            v[0][i] = s->r, v[1][i] = s->p, v[2][i] = s->f;
        }
        double want[3] = {ex[x].r, ex[x].p, ex[x].f};
        for (int k = 0; k < 3; k++) {
            double got = rouge_bootstrap_mean(v[k], (size_t)nt, 1000);
            double d = fabs(got - want[k]);
            if (d > worst_diff)
                worst_diff = d;
            compared++;
            if (d > 0.0005) {
                fprintf(stderr, "  FAIL %s: %s peer %s %s %c = %.5f, ROUGE-1.5.5 %.5f\n", test_current,
                        expected, ex[x].peer, ex[x].metric, "RPF"[k], got, want[k]);
                test_failed_checks++;
            }
        }
    }
    rouge_free(r);
    rouge_free(ru);
}

static void test_matches_rouge155_sample_outputs(void)
{
    const char *cfg[][2] = {{"", ""}, {"-m", ""}, {"-m-s", ""}};
    (void)cfg;
    static const struct {
        const char *out;
        int stem, stop;
        size_t words, bytes;
    } runs[] = {
        {"ROUGE-test-c95-2-1-U-r1000-n4-w1.2-a.out", 0, 0, 0, 0},
        {"ROUGE-test-c95-2-1-U-r1000-n4-w1.2-a-m.out", 1, 0, 0, 0},
        {"ROUGE-test-c95-2-1-U-r1000-n4-w1.2-a-m-s.out", 1, 1, 0, 0},
        {"ROUGE-test-c95-2-1-U-r1000-n4-w1.2-l10-a.out", 0, 0, 10, 0},
        {"ROUGE-test-c95-2-1-U-r1000-n4-w1.2-l10-a-m.out", 1, 0, 10, 0},
        {"ROUGE-test-c95-2-1-U-r1000-n4-w1.2-l10-a-m-s.out", 1, 1, 10, 0},
        {"ROUGE-test-c95-2-1-U-r1000-n4-w1.2-b75-a.out", 0, 0, 0, 75},
        {"ROUGE-test-c95-2-1-U-r1000-n4-w1.2-b75-a-m.out", 1, 0, 0, 75},
        {"ROUGE-test-c95-2-1-U-r1000-n4-w1.2-b75-a-m-s.out", 1, 1, 0, 75},
    };
    for (size_t i = 0; i < sizeof runs / sizeof *runs; i++)
        run_config("ROUGE-test.xml", runs[i].out, runs[i].stem, runs[i].stop, runs[i].words, runs[i].bytes);
    run_config("verify.xml", "verify-c95-2-1-U-r1000-n4-w1.2-b75-a-m-s.out", 1, 1, 0, 75);
    printf("rouge155 sample: %d averages compared, largest difference %.5f\n", compared, worst_diff);
}

int main(void)
{
    RUN(test_rouge_n_counts_clipped_ngram_overlap);
    RUN(test_tokens_are_ascii_alphanumeric_runs);
    RUN(test_skip_bigrams_with_unigrams_leave_out_the_last_token);
    RUN(test_rouge_l_takes_the_union_lcs_over_peer_sentences);
    RUN(test_stop_words_and_stemming);
    RUN(test_word_limit_cuts_peer_and_references);
    RUN(test_references_pool_or_best);
    RUN(test_empty_texts_score_zero);
    RUN(test_means_and_bootstrap);

    const char *env = getenv("ROUGE_TEST_DATA");
    snprintf(data_dir, sizeof data_dir, "%s",
             env && *env ? env : "../shared/data/summarization/rouge155-sample-test");
    char probe[600];
    snprintf(probe, sizeof probe, "%s/sample-output", data_dir);
    DIR *d = opendir(probe);
    if (d) {
        closedir(d);
        RUN(test_matches_rouge155_sample_outputs);
    } else {
        printf("rouge155 sample test skipped: %s not found\n", data_dir);
    }
    return test_summary("test_rouge");
}
