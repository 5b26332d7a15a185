/* langid_compare.c - our n-gram ranking (src/text/ngram_lm.c) against
 * libexttextcat's textcat_ClassifyFull, on the same fingerprints and the
 * same texts: the title and the first 60, 200 and 1,024 bytes of the body
 * of every article of a JSONL file. Reports how often the candidate lists
 * (best first) are identical, how often the best is the same (or both
 * unsure), and the CPU time per call of each. VERBOSE=1 prints every
 * difference.
 *
 *   langid_compare FILE.jsonl [ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <textcat.h>
#include <time.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/timeutil.h"
#include "ingest/ingest.h"
#include "text/ngram_lm.h"

static const char *const models[][2] = {
    {"en.lm", "en"}, {"de.lm", "de"}, {"es.lm", "es"}, {"fr.lm", "fr"}, {"it.lm", "it"},
    {"pt.lm", "pt"}, {"nl.lm", "nl"}, {"ru.lm", "ru"}, {"uk.lm", "uk"}, {"pl.lm", "pl"},
    {"sv.lm", "sv"}, {"da.lm", "da"}, {"nb.lm", "nb"}, {"fi.lm", "fi"}, {"cs.lm", "cs"},
    {"sk.lm", "sk"}, {"ro.lm", "ro"}, {"hu.lm", "hu"}, {"tr.lm", "tr"}, {"hr.lm", "hr"},
    {"bg.lm", "bg"}, {"sr-Cyrl.lm", "sr"}, {"id.lm", "id"}, {"ar.lm", "ar"}, {"fa.lm", "fa"},
};
#define N_MODELS (sizeof models / sizeof models[0])
#define DIR "/usr/share/libexttextcat/"

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct Sample {
    char *s;
    size_t n;
} Sample;

static void add_sample(Sample **v, size_t *n, size_t *cap, const char *s, size_t len, size_t max)
{
    if (len > max) {
        len = max;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    if (len < 10)
        return;
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 4096;
        *v = realloc(*v, *cap * sizeof **v);
        if (!*v)
            exit(1);
    }
    (*v)[*n].s = strndup(s, len);
    (*v)[(*n)++].n = len;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: langid_compare FILE.jsonl [ROUNDS]\n");
        return 2;
    }
    int rounds = argc > 2 ? atoi(argv[2]) : 3;
    if (rounds < 1)
        rounds = 1;
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    Sample *v = NULL;
    size_t n = 0, cap = 0, lcap = 0;
    char *line = NULL;
    ssize_t got;
    int64_t now = time_now();
    while ((got = getline(&line, &lcap, f)) > 0) {
        Arena a = {0};
        Article art;
        SwErr err;
        if (ingest_jsonl_line(&a, line, (size_t)got, &art, &err) == 0) {
            ingest_article_finish(&art, NULL, now);
            if (art.title)
                add_sample(&v, &n, &cap, art.title, strlen(art.title), 1024);
            if (art.text) {
                static const size_t cuts[] = {60, 200, 1024};
                for (size_t c = 0; c < 3; c++)
                    add_sample(&v, &n, &cap, art.text, strlen(art.text), cuts[c]);
            }
        }
        arena_free(&a);
    }
    free(line);
    fclose(f);

    FILE *conf = fopen("/tmp/langid_compare.conf", "w");
    NgramLm *lm = ngram_lm_new();
    char path[512];
    for (size_t i = 0; i < N_MODELS; i++) {
        fprintf(conf, "%s %s\n", models[i][0], models[i][1]);
        snprintf(path, sizeof path, "%s%s", DIR, models[i][0]);
        if (ngram_lm_add_file(lm, models[i][1], path) != 0) {
            fprintf(stderr, "langid_compare: cannot read %s\n", path);
            return 1;
        }
    }
    fclose(conf);
    void *tc = special_textcat_Init("/tmp/langid_compare.conf", DIR);
    remove("/tmp/langid_compare.conf");
    if (!tc) {
        fprintf(stderr, "langid_compare: textcat init failed\n");
        return 1;
    }
    textcat_SetProperty(tc, TCPROP_UTF8AWARE, TC_TRUE);
    candidate_t *cand = textcat_GetClassifyFullOutput(tc);

    size_t same_list = 0, same_best = 0;
    int verbose = getenv("VERBOSE") != NULL;
    for (size_t i = 0; i < n; i++) {
        const char *a[8], *b[8];
        int r = textcat_ClassifyFull(tc, v[i].s, v[i].n, cand);
        size_t na = 0;
        for (int k = 0; k < r && na < 8; k++)
            a[na++] = cand[k].name;
        size_t nb = ngram_lm_classify(lm, v[i].s, v[i].n, b, 8, NULL);
        int eq = na == nb;
        for (size_t k = 0; eq && k < na; k++)
            eq = strcmp(a[k], b[k]) == 0;
        same_list += eq;
        same_best += (na && nb && strcmp(a[0], b[0]) == 0) || (!na && !nb);
        if (!eq && verbose) {
            printf("%zu bytes: textcat", v[i].n);
            for (size_t k = 0; k < na; k++)
                printf(" %s", a[k]);
            printf(" | ngram_lm");
            for (size_t k = 0; k < nb; k++)
                printf(" %s", b[k]);
            printf(" | %.70s\n", v[i].s);
        }
    }
    printf("%zu texts: candidate lists identical %zu (%.1f%%), same best or both unsure %zu (%.1f%%)\n", n,
           same_list, 100.0 * (double)same_list / (double)(n ? n : 1), same_best,
           100.0 * (double)same_best / (double)(n ? n : 1));
    for (int round = 0; round < rounds; round++) {
        const char *b[8];
        double t0 = cpu_now();
        for (size_t i = 0; i < n; i++)
            (void)textcat_ClassifyFull(tc, v[i].s, v[i].n, cand);
        double t1 = cpu_now();
        for (size_t i = 0; i < n; i++)
            (void)ngram_lm_classify(lm, v[i].s, v[i].n, b, 8, NULL);
        double t2 = cpu_now();
        printf("round %d: textcat %.1f us per call, ngram_lm %.1f us per call (CPU)\n", round + 1,
               (t1 - t0) / (double)n * 1e6, (t2 - t1) / (double)n * 1e6);
    }
    textcat_ReleaseClassifyFullOutput(tc, cand);
    textcat_Done(tc);
    ngram_lm_free(lm);
    for (size_t i = 0; i < n; i++)
        free(v[i].s);
    free(v);
    return 0;
}
