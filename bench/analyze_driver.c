/* analyze_driver.c - the speed of everything before clustering (bench/analyze):
 * per JSONL line, ingest_jsonl_line + ingest_article_finish (JSON parsing,
 * field cleaning) and doc_analyze + cluster_doc_copy (language, sentences,
 * tokens, stems, stop words, entities, quotes, facts, SimHash, the copy
 * the clusterer keeps), the two timed apart, on one core.
 *
 *   analyze_driver FILE.jsonl [ROUNDS] [DIGEST]
 *
 * Lines are read into memory first (untimed); each round analyses every
 * line with one DocAnalyzer, as the pipeline does, and prints microseconds
 * per article. DIGEST gets, from the first round, one line per article
 * with everything doc_analyze produced (language, SimHash, term vectors
 * with counts, entities, facts, sentences with flags and terms, quotes),
 * so that two builds can be checked for identical output with cmp. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/doc.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/timeutil.h"
#include "ingest/ingest.h"
#include "story/cluster.h"

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void digest_vec(Buf *b, const char *name, const TermVec *v)
{
    buf_printf(b, " %s[", name);
    for (uint32_t i = 0; i < v->n; i++)
        buf_printf(b, "%08x:%g,", v->terms[i].id, (double)v->terms[i].weight);
    buf_putc(b, ']');
}

static void digest(FILE *out, size_t line, const Article *art, const Doc *d)
{
    Buf b = {0};
    buf_printf(&b, "%zu lang=%s sim=%016llx words=%u sentences=%zu title=%s", line + 1, d->lang,
               (unsigned long long)d->simhash, d->n_words, d->n_sentences, d->title);
    digest_vec(&b, "title", &d->title_terms);
    digest_vec(&b, "body", &d->body_terms);
    digest_vec(&b, "entities", &d->entity_terms);
    digest_vec(&b, "facts", &d->facts);
    for (size_t e = 0; e < d->n_entities; e++)
        buf_printf(&b, " entity(%s,%08x,%u,%u,%u)", d->entities[e].name, d->entities[e].id,
                   d->entities[e].count, d->entities[e].first_sentence, d->entities[e].person);
    for (size_t s = 0; s < d->n_sentences; s++) {
        const DocSentence *ds = &d->sentences[s];
        buf_printf(&b, " sentence(%u,%u,%u,%u)%s", ds->paragraph, ds->index, ds->n_words, ds->flags, ds->text);
        digest_vec(&b, "terms", &ds->terms);
    }
    for (size_t q = 0; q < d->n_quotes; q++)
        buf_printf(&b, " quote(%s|%s|%s|%u)", d->quotes[q].text, d->quotes[q].speaker ? d->quotes[q].speaker : "-",
                   d->quotes[q].verb ? d->quotes[q].verb : "-", d->quotes[q].sentence);
    buf_printf(&b, " url=%s source=%s\n", art->url ? art->url : "-", art->source ? art->source : "-");
    fputs(buf_cstr(&b), out);
    buf_free(&b);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: analyze_driver FILE.jsonl [ROUNDS] [DIGEST]\n");
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
    char **lines = NULL;
    size_t *lens = NULL, n = 0, cap = 0, lcap = 0;
    char *line = NULL;
    ssize_t got;
    while ((got = getline(&line, &lcap, f)) > 0) {
        size_t len = (size_t)got;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            lines = xrealloc(lines, cap * sizeof *lines);
            lens = xrealloc(lens, cap * sizeof *lens);
        }
        lines[n] = xstrndup(line, len);
        lens[n++] = len;
    }
    free(line);
    fclose(f);
    FILE *out = NULL;
    if (argc > 3 && !(out = fopen(argv[3], "w"))) {
        perror(argv[3]);
        return 1;
    }
    DocAnalyzer *da = doc_analyzer_new();
    int64_t now = time_now();
    double best = 0;
    for (int r = 0; r < rounds; r++) {
        double t_ingest = 0, t_analyze = 0;
        size_t done = 0, bad = 0;
        for (size_t i = 0; i < n; i++) {
            Arena a = {0}, keep = {0};
            Article art;
            SwErr err;
            double c0 = cpu_now();
            if (ingest_jsonl_line(&a, lines[i], lens[i], &art, &err) != 0) {
                bad++;
                arena_free(&a);
                continue;
            }
            ingest_article_finish(&art, NULL, now);
            double c1 = cpu_now();
            Doc d;
            doc_analyze(da, &a, &art, &d);
            (void)cluster_doc_copy(&keep, &d);
            double c2 = cpu_now();
            t_ingest += c1 - c0;
            t_analyze += c2 - c1;
            done++;
            if (out && r == 0)
                digest(out, i, &art, &d);
            arena_free(&keep);
            arena_free(&a);
        }
        double per = done ? (t_ingest + t_analyze) / (double)done * 1e6 : 0;
        printf("round %d: %zu articles (%zu unreadable): %.1f us per article CPU (ingest %.1f, analysis %.1f);"
               " %.0f articles per CPU second\n",
               r + 1, done, bad, per, done ? t_ingest / (double)done * 1e6 : 0,
               done ? t_analyze / (double)done * 1e6 : 0, per > 0 ? 1e6 / per : 0);
        if (r == 0 || per < best)
            best = per;
        if (out && r == 0) {
            fclose(out);
            out = NULL;
        }
    }
    printf("best: %.1f us per article, %.0f articles per CPU second\n", best, best > 0 ? 1e6 / best : 0);
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
    free(lens);
    doc_analyzer_free(da);
    return 0;
}
