/* search_driver.c - times full-text search against a storywire database,
 * for bench/search (which builds and runs it).
 *
 *   search_driver DB QUERIES.txt [ROUNDS]
 *
 * QUERIES.txt has one "KIND<TAB>QUERY" a line. Each query is run the way
 * the first page of /api/search runs it (parse, stories with limit 11,
 * then articles to fill a page of 10, snippets and highlights included),
 * through a read-only Store as the server opens it. Variants, for
 * comparing: SEARCH_WINDOW=N ranks queries with at most N matches whole
 * instead of SEARCH_RANK_WINDOW (0 = the default); SEARCH_BROAD=N ranks only the newest N
 * matches of broader ones instead of SEARCH_BROAD_WINDOW (0 = the default);
 * SEARCH_MMAP=N maps N MB of the file instead of the read-only store's
 * default (0 = the default); SEARCH_RANK=N ranks articles by 0 (the
 * default) sw_article_bm25 with the lengths in memory and a single term's
 * count reused for its IDF, 1 FTS5's own bm25(), 2 sw_article_bm25 asking
 * FTS5 for lengths and counts, 3 lengths in memory, counts from FTS5. Comma-separated lists time several variants,
 * each on its own Store, query by query back to back (which variant goes
 * first turns from query to query) so that a load that comes and goes
 * weighs on all alike: SEARCH_BROAD=2000,0 SEARCH_MMAP=256,0 compares the
 * rules before and after the broad window and the 1 GB map. One untimed
 * round per variant warms the page cache and the prepared statements; then
 * every round is timed query by query. With several variants, every
 * query's whole ranked list of articles (ids and scores, up to the rank
 * window) and its first page are first compared between the first variant
 * and each other one, and the queries whose lists differ are counted and
 * printed. Prints p50 / p95 / p99 / max in
 * milliseconds per kind and overall, and the mean number of results, by
 * the wall clock or (SEARCH_CLOCK=cpu) the thread's CPU time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "store/search.h"
#include "store/store.h"
#include "store/store_internal.h"

#define MAX_QUERIES 4096
#define PAGE 10

typedef struct Query {
    char kind[16];
    char text[300];
} Query;

/* SEARCH_CLOCK=cpu times by the thread's CPU time instead of the wall
 * clock: on a loaded machine it leaves out the time spent waiting for a
 * core (but not what other processes do to the caches). */
static clockid_t clock_id = CLOCK_MONOTONIC;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(clock_id, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(const double *v, size_t n, double p)
{
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

static size_t rank_window;  /* SEARCH_WINDOW: 0 = the store's default */
static size_t broad_window; /* SEARCH_BROAD: 0 = the store's default */

/* The first limit articles the query ranks, in order; *hits is heap
 * memory. -1 on error. */
static int rank_all(Store *s, const char *text, size_t limit, Arena *a, SearchHit **hits, size_t *n)
{
    Buf match = {0};
    int rc = 0;
    *hits = NULL;
    *n = 0;
    if (search_parse(text, strlen(text), &match) > 0) {
        SearchQuery q = {.match = buf_cstr(&match), .rank_window = rank_window, .broad_window = broad_window};
        SwErr err;
        if (store_search_articles(s, &q, limit, 0, a, hits, n, &err) < 0) {
            fprintf(stderr, "search_driver: %s: %s\n", text, err.msg);
            rc = -1;
        }
    }
    buf_free(&match);
    return rc;
}

/* 1 when two ranked lists hold the same articles in the same order with
 * the same scores (to the bit). */
static int same_hits(const SearchHit *x, size_t nx, const SearchHit *y, size_t ny)
{
    if (nx != ny)
        return 0;
    for (size_t i = 0; i < nx; i++)
        if (x[i].id != y[i].id || memcmp(&x[i].score, &y[i].score, sizeof x[i].score) != 0)
            return 0;
    return 1;
}

/* One first page; returns the number of results or -1. */
static int run_query(Store *s, const char *text)
{
    Buf match = {0};
    int found = 0;
    if (search_parse(text, strlen(text), &match) > 0) {
        SearchQuery q = {.match = buf_cstr(&match), .rank_window = rank_window,
                         .broad_window = broad_window};
        Arena a = {0};
        SearchHit *stories = NULL, *articles = NULL;
        size_t ns = 0, na = 0;
        SwErr err;
        if (store_search_stories(s, &q, PAGE + 1, 0, &a, &stories, &ns, &err) < 0 ||
            (ns <= PAGE && store_search_articles(s, &q, PAGE - ns + 1, 0, &a, &articles, &na, &err) < 0)) {
            fprintf(stderr, "search_driver: %s: %s\n", text, err.msg);
            found = -1;
        } else {
            found = (int)(ns + na > PAGE ? PAGE : ns + na);
        }
        free(stories);
        free(articles);
        arena_free(&a);
    }
    buf_free(&match);
    return found;
}

/* Reads a comma-separated list of numbers from the environment; returns
 * how many (0 when unset). */
static int list_env(const char *name, size_t *v, int max)
{
    const char *p = getenv(name);
    int n = 0;
    while (p && *p && n < max) {
        char *end;
        v[n++] = (size_t)strtoul(p, &end, 10);
        p = *end == ',' ? end + 1 : end + strlen(end);
    }
    return n;
}

static void report(const char *kind, double *v, size_t n, long results)
{
    if (!n)
        return;
    qsort(v, n, sizeof *v, cmp_double);
    printf("  %-8s %5zu queries  p50 %7.3f ms  p95 %7.3f ms  p99 %7.3f ms  max %7.3f ms  %4.1f results\n", kind, n,
           pct(v, n, 0.50), pct(v, n, 0.95), pct(v, n, 0.99), v[n - 1], (double)results / (double)n);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: search_driver DB QUERIES.txt [ROUNDS]\n");
        return 2;
    }
    int rounds = argc > 3 ? atoi(argv[3]) : 3;
    const char *clk = getenv("SEARCH_CLOCK");
    if (clk && strcmp(clk, "cpu") == 0)
        clock_id = CLOCK_THREAD_CPUTIME_ID;
    if (rounds < 1)
        rounds = 1;
    static Query queries[MAX_QUERIES];
    size_t nq = 0;
    FILE *f = fopen(argv[2], "r");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    char line[512];
    while (nq < MAX_QUERIES && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = '\0';
        snprintf(queries[nq].kind, sizeof queries[nq].kind, "%.15s", line);
        snprintf(queries[nq].text, sizeof queries[nq].text, "%.299s", tab + 1);
        nq++;
    }
    fclose(f);

    /* the variants to compare: SEARCH_WINDOW, SEARCH_BROAD and SEARCH_MMAP values
     * (comma-separated), or the store's defaults; each query runs under
     * every variant back to back, so a load that comes and goes weighs on
     * all of them alike */
    enum { MAX_VARIANTS = 4 };
    size_t windows[MAX_VARIANTS] = {0}, broads[MAX_VARIANTS] = {0}, mmaps[MAX_VARIANTS] = {0};
    size_t ranks[MAX_VARIANTS] = {0};
    int nw = list_env("SEARCH_WINDOW", windows, MAX_VARIANTS);
    int nb = list_env("SEARCH_BROAD", broads, MAX_VARIANTS), nm = list_env("SEARCH_MMAP", mmaps, MAX_VARIANTS);
    int nr = list_env("SEARCH_RANK", ranks, MAX_VARIANTS);
    int nvar = nb > nm ? nb : nm;
    if (nw > nvar)
        nvar = nw;
    if (nr > nvar)
        nvar = nr;
    if (nvar == 0)
        nvar = 1;
    for (int v = 1; v < nvar; v++) { /* a shorter list repeats its last value */
        if (v >= nw)
            windows[v] = windows[nw ? nw - 1 : 0];
        if (v >= nb)
            broads[v] = broads[nb ? nb - 1 : 0];
        if (v >= nm)
            mmaps[v] = mmaps[nm ? nm - 1 : 0];
        if (v >= nr)
            ranks[v] = ranks[nr ? nr - 1 : 0];
    }
    Store *stores[MAX_VARIANTS] = {0};
    SwErr err;
    for (int v = 0; v < nvar; v++) {
        if (store_open(argv[1], 1, &stores[v], &err) < 0) {
            fprintf(stderr, "search_driver: %s\n", err.msg);
            return 1;
        }
        if (mmaps[v]) { /* in MB; else the read-only store's own */
            char sql[64];
            snprintf(sql, sizeof sql, "PRAGMA mmap_size = %zu", mmaps[v] << 20);
            sqlite3_exec(stores[v]->db, sql, NULL, NULL, NULL);
        }
        stores[v]->rank_mode = (int)ranks[v];
        rank_window = windows[v];
        broad_window = broads[v];
        for (size_t i = 0; i < nq; i++) /* warm-up */
            if (run_query(stores[v], queries[i].text) < 0)
                return 1;
    }

    if (nvar > 1) { /* the same ranking? every variant against the first */
        for (int v = 1; v < nvar; v++) {
            size_t differ = 0, ranked = 0;
            for (size_t i = 0; i < nq; i++) {
                int same = 1;
                /* the whole ranking, and the first page (a page's scores
                 * are worked out apart from the whole's) */
                for (size_t limit = 100000; limit >= PAGE; limit = limit == PAGE ? 0 : PAGE) {
                    Arena a = {0};
                    SearchHit *h0, *hv;
                    size_t n0, nv;
                    rank_window = windows[0];
                    broad_window = broads[0];
                    if (rank_all(stores[0], queries[i].text, limit, &a, &h0, &n0) < 0)
                        return 1;
                    rank_window = windows[v];
                    broad_window = broads[v];
                    if (rank_all(stores[v], queries[i].text, limit, &a, &hv, &nv) < 0)
                        return 1;
                    if (limit > PAGE)
                        ranked += n0;
                    if (!same_hits(h0, n0, hv, nv)) {
                        if (same && differ < 5)
                            printf("  variant %d ranks \"%s\" otherwise (%zu and %zu articles)\n", v + 1,
                                   queries[i].text, n0, nv);
                        same = 0;
                    }
                    free(h0);
                    free(hv);
                    arena_free(&a);
                }
                differ += !same;
            }
            printf(" variant %d against variant 1: %zu of %zu queries ranked otherwise, whole or first page"
                   " (%zu articles ranked)\n",
                   v + 1, differ, nq, ranked);
        }
    }

    size_t total = nq * (size_t)rounds;
    double *all = malloc(total * sizeof *all), *kind_t = malloc(total * sizeof *kind_t);
    double *per = malloc(MAX_VARIANTS * total * sizeof *per);
    int *found = malloc(MAX_VARIANTS * total * sizeof *found);
    for (int r = 0; r < rounds; r++)
        for (size_t i = 0; i < nq; i++)
            for (int k = 0; k < nvar; k++) {
                /* the variant that goes first turns with the query: the
                 * ones after it find the query's pages in the CPU caches */
                int v = (int)((i + (size_t)r + (size_t)k) % (size_t)nvar);
                size_t j = (size_t)v * total + (size_t)r * nq + i;
                rank_window = windows[v];
                broad_window = broads[v];
                double t0 = now_ms();
                found[j] = run_query(stores[v], queries[i].text);
                per[j] = now_ms() - t0;
            }
    for (int v = 0; v < nvar; v++)
        store_close(stores[v]);

    const char *kinds[] = {"word1", "word2", "word3", "phrase", "prefix"};
    for (int v = 0; v < nvar; v++) {
        const double *pv = per + (size_t)v * total;
        const int *fv = found + (size_t)v * total;
        if (nvar > 1 || windows[v] || broads[v] || mmaps[v] || ranks[v])
            printf(" variant %d: rank window %zu%s, broad window %zu%s, mmap %zu MB%s, rank %s:\n", v + 1,
                   windows[v], windows[v] ? "" : " (default)", broads[v], broads[v] ? "" : " (default)", mmaps[v],
                   mmaps[v] ? "" : " (default)",
                   ranks[v] == 1   ? "bm25()"
                   : ranks[v] == 2 ? "sw_article_bm25, lengths and counts from FTS5"
                   : ranks[v] == 3 ? "sw_article_bm25, counts from FTS5"
                                   : "sw_article_bm25 (default)");
        for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
            size_t n = 0;
            long results = 0;
            for (size_t j = 0; j < total; j++)
                if (strcmp(queries[j % nq].kind, kinds[k]) == 0) {
                    kind_t[n++] = pv[j];
                    results += fv[j];
                }
            report(kinds[k], kind_t, n, results);
        }
        long results = 0;
        for (size_t j = 0; j < total; j++) {
            all[j] = pv[j];
            results += fv[j];
        }
        report("all", all, total, results);
    }
    free(all);
    free(kind_t);
    free(per);
    free(found);
    return 0;
}
