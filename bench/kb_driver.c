/* kb_driver.c - the knowledge base's cost (bench/kb): load time (CPU)
 * and memory of the built-in sources, then page writing on the demo
 * corpus with and without background lines, and the background and
 * timeline steps alone on a 50-article story. Built by bench/kb against
 * the release objects. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/doc.h"
#include "core/fileio.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "kb/kb.h"
#include "story/background.h"
#include "story/timeline.h"
#include "story/writer.h"

#define MAX_ARTICLES 200

static double cpu(void) { return (double)clock() / CLOCKS_PER_SEC; }

static long status_kb(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    char l[256];
    long v = 0;
    while (f && fgets(l, sizeof l, f))
        if (strncmp(l, key, strlen(key)) == 0)
            sscanf(l + strlen(key), "%ld", &v);
    if (f)
        fclose(f);
    return v;
}

static double write_page(const WriterInput *in, int *bg, int *tl)
{
    Arena pa = {0};
    Page p;
    SwErr err;
    double s = cpu();
    page_write(&pa, in, &p, &err);
    double d = cpu() - s;
    *bg += (int)p.n_background;
    *tl += (int)p.n_timeline;
    arena_free(&pa);
    return d;
}

int main(int argc, char **argv)
{
    const char *corpus = argc > 1 ? argv[1] : "data/demo/articles.jsonl";
    SwErr err;
    LineReader *r = lines_open(corpus, &err);
    if (!r) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    Buf line = {0};
    Arena a = {0};
    static Article arts[MAX_ARTICLES];
    static Doc docs[MAX_ARTICLES];
    static const char *event[MAX_ARTICLES];
    int n = 0;
    DocAnalyzer *da = doc_analyzer_new();
    while (lines_next(r, &line, &err) > 0 && n < MAX_ARTICLES) {
        JsonValue *v = json_parse(&a, line.data, line.len, &err);
        if (!v || !json_get_str(v, "text"))
            continue;
        Article *x = &arts[n];
        x->id = n + 1;
        x->title = json_get_str(v, "title");
        x->text = json_get_str(v, "text");
        x->source = json_get_str(v, "source");
        x->url = json_get_str(v, "url");
        x->lang = "en";
        const char *pub = json_get_str(v, "published");
        if (pub)
            time_parse(pub, &x->published);
        event[n] = json_get_str(v, "event") ? json_get_str(v, "event") : "";
        doc_analyze(da, &a, x, &docs[n]);
        n++;
    }
    lines_close(r);
    buf_free(&line);

    long before = status_kb("VmRSS:");
    double t0 = cpu();
    const Kb *kb = kb_shared();
    double load = cpu() - t0;
    long after = status_kb("VmRSS:"), peak = status_kb("VmHWM:");
    printf("knowledge base: %zu entries, load %.1f ms CPU, +%.1f MB kept, peak +%.1f MB\n", kb_count(kb),
           load * 1000, (after - before) / 1024.0, (peak - before) / 1024.0);

    for (int with_kb = 0; with_kb < 2; with_kb++) {
        double total = 0;
        int pages = 0, bg = 0, tl = 0;
        for (int i = 0; i < n; i++) {
            int first = 1;
            for (int j = 0; j < i && first; j++)
                first = strcmp(event[j], event[i]) != 0;
            if (!first)
                continue;
            WriterMember m[50];
            size_t k = 0;
            for (int j = 0; j < n && k < 50; j++)
                if (strcmp(event[j], event[i]) == 0)
                    m[k++] = (WriterMember){&docs[j], arts[j].source, NULL, 0};
            WriterInput in = {.story_id = i, .members = m, .n_members = k, .article_count = (int)k,
                              .version = 1, .now = arts[i].published, .kb = with_kb ? kb : NULL};
            for (int rep = 0; rep < 5; rep++) {
                total += write_page(&in, &bg, &tl);
                pages++;
            }
        }
        printf("%-16s %d pages of the corpus's stories: %.2f ms/page CPU, %.1f background lines and %.1f timeline "
               "entries a page\n", with_kb ? "with background:" : "without:", pages, total * 1000 / pages,
               (double)bg / pages, (double)tl / pages);
    }
    if (n >= 50) {
        WriterMember m[50];
        for (int j = 0; j < 50; j++)
            m[j] = (WriterMember){&docs[j], arts[j].source, NULL, 0};
        WriterInput in = {.story_id = 1, .members = m, .n_members = 50, .article_count = 50, .version = 1,
                          .now = arts[49].published, .kb = kb};
        double tb = 1e9, tt = 1e9, tw = 1e9, tn = 1e9;
        int bg = 0, tl = 0;
        for (int rep = 0; rep < 10; rep++) {
            Arena pa = {0};
            PageBackground *b;
            TimelineItem *it;
            double s = cpu();
            page_background(&pa, &in, PAGE_MAX_BACKGROUND, &b);
            double m1 = cpu();
            timeline_collect(&pa, &in, PAGE_MAX_TIMELINE, &it);
            double m2 = cpu();
            arena_free(&pa);
            tb = m1 - s < tb ? m1 - s : tb;
            tt = m2 - m1 < tt ? m2 - m1 : tt;
            double w = write_page(&in, &bg, &tl);
            tw = w < tw ? w : tw;
            in.kb = NULL;
            w = write_page(&in, &bg, &tl);
            tn = w < tn ? w : tn;
            in.kb = kb;
        }
        printf("50-article story (best of 10, CPU): page %.2f ms with background, %.2f ms without; "
               "background step %.3f ms, timeline step %.3f ms\n", tw * 1000, tn * 1000, tb * 1000, tt * 1000);
    }
    doc_analyzer_free(da);
    arena_free(&a);
    return 0;
}
