/* summary_driver.c - times the page writer on big stories, for
 * bench/summary (which builds and runs it).
 *
 *   summary_driver CLUSTERS.jsonl ROUNDS N [N ...]
 *
 * Reads the articles of a cluster file (the `storywire eval summary`
 * format), analyses them once (that time is printed too, but it is the
 * ingest's, not the writer's), counts document frequencies over all of
 * them for the TF-IDF, and for each N makes a story of the first N
 * articles in file order (whole clusters after one another, so the story
 * has several sub-topics as a long-running story does) and writes its
 * page ROUNDS times with page_write, on this one thread. Prints the
 * median and the slowest write in milliseconds of this thread's CPU time
 * (so that other work on a shared machine does not count), and the
 * page's shape. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/doc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/fileio.h"
#include "core/json.h"
#include "core/map.h"
#include "story/writer.h"

#define MAX_ARTICLES 2000

typedef struct Df {
    IntMap df;
    size_t n_docs;
} Df;

static double idf_of(void *ctx, uint32_t term)
{
    const Df *t = ctx;
    int64_t *d = intmap_get(&t->df, term);
    return log(((double)t->n_docs + 1.0) / ((d ? (double)*d : 0.0) + 1.0)) + 1.0;
}

/* CPU time of the calling thread. */
static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: summary_driver CLUSTERS.jsonl ROUNDS N [N ...]\n");
        return 2;
    }
    int rounds = atoi(argv[2]);
    if (rounds < 1)
        rounds = 1;
    size_t want = 0;
    for (int i = 3; i < argc; i++)
        if ((size_t)atol(argv[i]) > want)
            want = (size_t)atol(argv[i]);
    if (want > MAX_ARTICLES)
        want = MAX_ARTICLES;

    Arena a = {0};
    SwErr err = {0};
    LineReader *lr = lines_open(argv[1], &err);
    if (!lr) {
        fprintf(stderr, "summary_driver: %s\n", err.msg);
        return 1;
    }
    lines_set_limit(lr, 256u << 20);
    DocAnalyzer *da = doc_analyzer_new();
    Doc *docs = ARENA_ARRAY(&a, Doc, want);
    WriterMember *mem = ARENA_ARRAY(&a, WriterMember, want);
    size_t n = 0;
    Buf line = {0};
    double analyse_ms = 0;
    int got;
    while (n < want && (got = lines_next(lr, &line, &err)) > 0) {
        if (got == LINES_TOO_LONG)
            continue;
        JsonValue *v = json_parse(&a, line.data, line.len, &err);
        const JsonValue *arr = v ? json_get(v, "docs") : NULL;
        if (!arr || arr->type != JSON_ARRAY)
            continue;
        for (size_t i = 0; i < arr->u.arr.n && n < want; i++) {
            const JsonValue *o = arr->u.arr.items[i];
            const char *text = json_get_str(o, "text");
            if (!text || !text[0])
                continue;
            Article *art = ARENA_NEW(&a, Article);
            art->text = text;
            art->title = json_get_str(o, "title");
            if (!art->title)
                art->title = "";
            art->source = json_get_str(o, "source");
            art->url = "";
            art->published = 1700000000 + (int64_t)n * 600;
            double t0 = now_ms();
            doc_analyze(da, &a, art, &docs[n]);
            analyse_ms += now_ms() - t0;
            mem[n] = (WriterMember){.doc = &docs[n], .outlet = art->source ? art->source : ""};
            n++;
        }
    }
    lines_close(lr);
    buf_free(&line);
    if (n == 0) {
        fprintf(stderr, "summary_driver: no articles in %s\n", argv[1]);
        return 1;
    }
    Df df = {0};
    for (size_t i = 0; i < n; i++) {
        const TermVec *tv = &docs[i].body_terms;
        for (uint32_t t = 0; t < tv->n; t++)
            (*intmap_put(&df.df, tv->terms[t].id, NULL))++;
        df.n_docs++;
    }
    printf("analysis (ingest's cost, not timed below): %zu articles in %.0f ms\n", n, analyse_ms);

    double *ms = calloc((size_t)rounds, sizeof *ms);
    for (int k = 3; k < argc; k++) {
        size_t size = (size_t)atol(argv[k]);
        if (size > n)
            size = n;
        size_t sentences = 0;
        for (size_t i = 0; i < size; i++)
            sentences += docs[i].n_sentences;
        WriterInput in = {.story_id = 1, .members = mem, .n_members = size,
                          .article_count = (int)size, .idf = idf_of, .idf_ctx = &df,
                          .version = 1, .now = 1800000000};
        Page page;
        size_t secs = 0, paras = 0, summ = 0;
        for (int r = 0; r < rounds; r++) {
            Arena pa = {0};
            double t0 = now_ms();
            if (page_write(&pa, &in, &page, &err) < 0) {
                fprintf(stderr, "summary_driver: %s\n", err.msg);
                return 1;
            }
            ms[r] = now_ms() - t0;
            secs = page.n_sections;
            summ = page.n_summary;
            paras = 0;
            for (size_t s = 0; s < page.n_sections; s++)
                paras += page.sections[s].n_paragraphs;
            arena_free(&pa);
        }
        qsort(ms, (size_t)rounds, sizeof *ms, cmp_double);
        printf("page_write, %zu-article story (%zu sentences): median %.1f ms, slowest %.1f ms "
               "over %d rounds; page: %zu summary sentences, %zu sections, %zu paragraphs\n",
               size, sentences, ms[rounds / 2], ms[rounds - 1], rounds, summ, secs, paras);
    }
    free(ms);
    intmap_free(&df.df);
    doc_analyzer_free(da);
    arena_free(&a);
    return 0;
}
