/* cluster_driver.c - the speed of dedup + online clustering alone
 * (bench/cluster), without the database: the same analysis, document
 * frequencies counted a batch (CLUSTER_BATCH) at a time, the same
 * decisions, and story states serialised after each batch as `update`
 * saves them, but nothing read from or written to SQLite. Built by
 * bench/cluster against the release objects.
 *
 *   cluster_driver FILE.jsonl [SLICE] [OUT.tsv]
 *
 * FILE is plain (not gzipped) article JSONL. A first, untimed pass reads
 * each line's publication time and drops exact duplicates as the store
 * does (same URL; or, without one, the same title and text after ASCII
 * lower-casing and collapsing white space), keeping the first; articles
 * are then taken in the order `update` takes them (dated ones by time,
 * then undated ones, ties in file order). The timed pass reads each line
 * again from the file and does everything from the JSON line to the placed
 * article: parsing, analysis (language, tokens, stems, entities, SimHash),
 * near-copy detection, candidate search, features, the decision, the
 * story update. After every SLICE articles (default 100000) it prints the
 * slice's articles per CPU second and per wall-clock second, the stories
 * in memory and in all, and the resident memory; at the end the totals,
 * the peak, and the CPU time per article split into placing (assign +
 * add), saving states and the rest. Stories idle for active_days behind the newest article
 * leave memory after each batch (cluster_evict_idle), as in `eval
 * cluster`. OUT.tsv gets `line<TAB>story` for every line (a duplicate
 * gets its original's story), so the decisions can be compared with
 * `storywire eval cluster --out`. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "analyze/doc.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/map.h"
#include "core/timeutil.h"
#include "ingest/ingest.h"
#include "story/cluster.h"

typedef struct Entry {
    int64_t published;
    uint64_t offset;
    uint32_t len;
    uint32_t line;     /* 0-based line number */
} Entry;

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, resident = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* The store's key of an article, hashed: its URL (trimmed, without
 * #fragment and trailing '/'), else its title and text lower-cased (ASCII)
 * with white space runs collapsed. */
static uint64_t article_key(const Article *a)
{
    Buf b = {0};
    const char *u = a->url;
    while (u && (*u == ' ' || *u == '\t' || *u == '\n' || *u == '\r'))
        u++;
    size_t un = u ? strcspn(u, "#") : 0;
    while (un && (u[un - 1] == ' ' || u[un - 1] == '\t' || u[un - 1] == '\n' || u[un - 1] == '\r' ||
                  u[un - 1] == '/'))
        un--;
    if (un) {
        buf_putc(&b, 'u');
        for (size_t i = 0; i < un; i++)
            buf_putc(&b, (char)(u[i] >= 'A' && u[i] <= 'Z' ? u[i] + 32 : u[i]));
    } else {
        const char *parts[2] = {a->title ? a->title : "", a->text ? a->text : ""};
        buf_putc(&b, 'c');
        for (int k = 0; k < 2; k++) {
            int pending = 0, any = 0;
            for (const unsigned char *p = (const unsigned char *)parts[k]; *p; p++) {
                if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v') {
                    pending = any;
                    continue;
                }
                if (pending)
                    buf_putc(&b, ' ');
                pending = 0;
                any = 1;
                buf_putc(&b, (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p));
            }
            buf_putc(&b, '\x1f');
        }
    }
    uint64_t h = hash64(b.data, b.len);
    buf_free(&b);
    return h;
}

/* The outlet the store records for an article without a source: its
 * URL's host without userinfo, port or "www.", else "unknown". */
static const char *outlet_of(Arena *a, const char *url)
{
    const char *sep = url ? strstr(url, "://") : NULL;
    if (!sep)
        return "unknown";
    const char *h = sep + 3;
    size_t n = strcspn(h, "/?#");
    const char *at = memchr(h, '@', n);
    if (at) {
        n -= (size_t)(at + 1 - h);
        h = at + 1;
    }
    const char *colon = n && h[0] != '[' ? memchr(h, ':', n) : NULL;
    if (colon)
        n = (size_t)(colon - h);
    if (n > 4 && strncasecmp(h, "www.", 4) == 0) {
        h += 4;
        n -= 4;
    }
    char *out = arena_strndup(a, h, n);
    for (char *p = out; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p += 32;
    return n ? out : "unknown";
}

static int cmp_entry(const void *x, const void *y)
{
    const Entry *a = x, *b = y;
    int au = a->published == 0, bu = b->published == 0;
    if (au != bu)
        return au - bu;
    if (a->published != b->published)
        return a->published < b->published ? -1 : 1;
    return a->line < b->line ? -1 : a->line > b->line;
}

/* New story ids for the revision pass (ctx: the next one). */
static int64_t next_id(void *ctx)
{
    return (*(int64_t *)ctx)++;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: cluster_driver FILE.jsonl [SLICE] [OUT.tsv]\n");
        return 2;
    }
    size_t slice = argc > 2 ? (size_t)strtoull(argv[2], NULL, 10) : 100000;
    if (slice == 0)
        slice = 100000;
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    /* pass 1 (untimed): times, offsets, exact duplicates */
    Entry *ents = NULL;
    size_t n = 0, cap = 0, n_lines = 0, dups = 0, bad = 0;
    int64_t *dup_of = NULL; /* per line: the line it repeats, or -1 */
    IntMap keys = {0};      /* key hash -> first line + 1 */
    char *line = NULL;
    size_t lcap = 0;
    ssize_t got;
    int64_t now = time_now();
    uint64_t off = 0;
    while ((got = getline(&line, &lcap, f)) > 0) {
        uint64_t at = off;
        off += (uint64_t)got;
        size_t len = (size_t)got;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        size_t ln = n_lines++;
        dup_of = realloc(dup_of, n_lines * sizeof *dup_of);
        dup_of[ln] = -1;
        if (strspn(line, " \t\r\n") >= len) {
            dup_of[ln] = -2; /* blank */
            continue;
        }
        Arena a = {0};
        Article art;
        SwErr err;
        if (ingest_jsonl_line(&a, line, len, &art, &err) != 0) {
            dup_of[ln] = -2;
            bad++;
            arena_free(&a);
            continue;
        }
        ingest_article_finish(&art, NULL, now);
        int created;
        int64_t *first = intmap_put(&keys, article_key(&art), &created);
        if (!created) {
            dup_of[ln] = *first - 1;
            dups++;
            arena_free(&a);
            continue;
        }
        *first = (int64_t)ln + 1;
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            ents = realloc(ents, cap * sizeof *ents);
        }
        ents[n++] = (Entry){art.published, at, (uint32_t)len, (uint32_t)ln};
        arena_free(&a);
    }
    free(line);
    fclose(f);
    intmap_free(&keys);
    qsort(ents, n, sizeof *ents, cmp_entry);
    int evict = n > 0 && ents[n - 1].published != 0;
    printf("%zu lines: %zu articles, %zu exact duplicates, %zu unreadable; RSS after reading the index %.1f MB\n",
           n_lines, n, dups, bad, rss_kb() / 1024.0);
    fflush(stdout);

    /* pass 2 (timed) */
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) {
        perror(argv[1]);
        return 1;
    }
    int64_t *story_of = calloc(n_lines + 1, sizeof *story_of);
    /* MODEL=FILE: a model file instead of the built-in model */
    ClusterModel model = cluster_default_model();
    const char *model_path = getenv("MODEL");
    SwErr model_err;
    if (model_path && *model_path && cluster_model_load(model_path, &model, &model_err) != 0) {
        fprintf(stderr, "cluster_driver: %s\n", model_err.msg);
        return 1;
    }
    Clusterer *c = cluster_new(&model);
    DocAnalyzer *da = doc_analyzer_new();
    Doc **docs = malloc((CLUSTER_BATCH + 1) * sizeof *docs);
    int64_t *b_story = malloc((CLUSTER_BATCH + 1) * sizeof *b_story), *b_dup = malloc((CLUSTER_BATCH + 1) * sizeof *b_dup),
            *b_id = malloc((CLUSTER_BATCH + 1) * sizeof *b_id);
    size_t revised = 0, emptied = 0;
    double revise_cpu = 0; /* of the merge and revision passes */
    Buf raw = {0}, state = {0};
    int64_t next_story = 1;
    size_t done = 0, slice_start = 0, dup_near = 0;
    double cpu0 = cpu_now(), wall0 = wall_now();
    double slice_cpu = cpu0, slice_wall = wall0;
    double place_cpu = 0, state_cpu = 0; /* of placing (assign + add), of states */
    for (size_t off_b = 0; off_b < n; off_b += CLUSTER_BATCH) {
        size_t len = n - off_b < CLUSTER_BATCH ? n - off_b : CLUSTER_BATCH;
        Arena keep = {0};
        for (size_t i = 0; i < len; i++) {
            const Entry *e = &ents[off_b + i];
            buf_reset(&raw);
            buf_reserve(&raw, e->len + 1);
            if (pread(fd, raw.data, e->len, (off_t)e->offset) != (ssize_t)e->len) {
                perror("pread");
                return 1;
            }
            raw.len = e->len;
            Arena a = {0};
            Article art;
            SwErr err;
            if (ingest_jsonl_line(&a, raw.data, raw.len, &art, &err) != 0) {
                fprintf(stderr, "line %u: %s\n", e->line + 1, err.msg);
                return 1;
            }
            ingest_article_finish(&art, NULL, now);
            art.id = (int64_t)(off_b + i) + 1;
            if (!art.source || !*art.source)
                art.source = outlet_of(&a, art.url); /* as the store names it */
            Doc d;
            doc_analyze(da, &a, &art, &d);
            uint32_t *terms;
            size_t nt;
            cluster_count_doc(c, &d, &terms, &nt);
            free(terms);
            docs[i] = cluster_doc_copy(&keep, &d);
            arena_free(&a);
        }
        int64_t last_time = 0;
        double t_place = cpu_now();
        for (size_t i = 0; i < len; i++) {
            if (docs[i]->article->published)
                last_time = docs[i]->article->published;
            ClusterDecision dec = cluster_assign(c, docs[i]);
            int64_t story = dec.story_id ? dec.story_id : next_story++;
            dup_near += dec.duplicate_of != 0;
            cluster_add(c, story, (int64_t)(off_b + i) + 1, docs[i]);
            story_of[ents[off_b + i].line] = story;
            b_story[i] = story;
            b_dup[i] = dec.duplicate_of;
            b_id[i] = (int64_t)(off_b + i) + 1;
        }
        double t_rev = cpu_now();
        place_cpu += t_rev - t_place;
        /* what update does after a batch: the merge pass, then the
         * revision pass (both off in the built-in model) */
        ClusterMerge *merges;
        cluster_merge_pass(c, &merges);
        free(merges);
        if (model.revise_rounds > 0) {
            for (size_t i = 0; i < len; i++)
                b_story[i] = cluster_story_resolve(c, b_story[i]);
            ClusterMove *mv;
            ClusterMerge *em;
            size_t ne;
            revised += cluster_revise(c, (const Doc *const *)docs, b_id, b_dup, b_story, len, next_id,
                                      &next_story, &mv, &em, &ne);
            emptied += ne;
            free(mv);
            free(em);
            for (size_t i = 0; i < len; i++)
                story_of[ents[off_b + i].line] = b_story[i];
        }
        double t_state = cpu_now();
        revise_cpu += t_state - t_rev;
        arena_free(&keep);
        /* the states update would save */
        int64_t *ids;
        size_t nd = cluster_take_dirty(c, &ids);
        for (size_t i = 0; i < nd; i++) {
            int64_t first, last;
            int count;
            buf_reset(&state);
            cluster_story_state(c, ids[i], &state, &first, &last, &count);
        }
        free(ids);
        state_cpu += cpu_now() - t_state;
        if (evict)
            cluster_evict_idle(c, last_time);
        done += len;
        if (done - slice_start >= slice || done == n) {
            double tc = cpu_now(), tw = wall_now();
            size_t total;
            size_t live = cluster_story_count(c, &total);
            printf("articles %8zu-%-8zu %7.0f articles/s CPU %7.0f articles/s wall  %7zu stories in memory"
                   " %8zu in all  RSS %7.1f MB\n",
                   slice_start + 1, done, (double)(done - slice_start) / (tc - slice_cpu),
                   (double)(done - slice_start) / (tw - slice_wall), live, total, rss_kb() / 1024.0);
            fflush(stdout);
            slice_start = done;
            slice_cpu = tc;
            slice_wall = tw;
        }
    }
    double cpu_s = cpu_now() - cpu0, wall_s = wall_now() - wall0;
    size_t total;
    size_t live = cluster_story_count(c, &total);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("total: %zu articles in %.2f s CPU (%.0f articles/s), %.2f s wall (%.0f articles/s); %zu stories"
           " (%zu in memory at the end), %zu near-copies; peak RSS %.1f MB\n",
           n, cpu_s, n / (cpu_s > 0 ? cpu_s : 1), wall_s, n / (wall_s > 0 ? wall_s : 1), total, live, dup_near,
           ru.ru_maxrss / 1024.0);
    printf("CPU per article: %.1f us placing (cluster_assign + cluster_add), %.1f us merge and revision passes,"
           " %.1f us saving states, %.1f us the rest (reading, analysis, frequencies)\n",
           1e6 * place_cpu / (n ? n : 1), 1e6 * revise_cpu / (n ? n : 1), 1e6 * state_cpu / (n ? n : 1),
           1e6 * (cpu_s - place_cpu - revise_cpu - state_cpu) / (n ? n : 1));
    if (model.revise_rounds > 0)
        printf("revision pass (%d round%s): %zu moves, %zu stories left empty\n", model.revise_rounds,
               model.revise_rounds == 1 ? "" : "s", revised, emptied);
    if (argc > 3) {
        FILE *o = fopen(argv[3], "w");
        if (!o) {
            perror(argv[3]);
            return 1;
        }
        for (size_t i = 0; i < n_lines; i++) {
            if (dup_of[i] == -2)
                continue;
            int64_t s = cluster_story_resolve(c, dup_of[i] >= 0 ? story_of[dup_of[i]] : story_of[i]);
            fprintf(o, "%zu\t%lld\n", i + 1, (long long)s);
        }
        fclose(o);
    }
    close(fd);
    buf_free(&raw);
    buf_free(&state);
    free(docs);
    free(b_story);
    free(b_dup);
    free(b_id);
    free(story_of);
    free(dup_of);
    free(ents);
    cluster_free(c);
    doc_analyzer_free(da);
    return 0;
}
