/* feed_driver.c - times feed_parse in one process: every file is read
 * into memory first, then parsed ROUNDS times; prints CPU seconds (the
 * best round), MB/s and items/s. This is the parser alone (conversion to
 * UTF-8, tokenizing, HTML to text, links, dates, ids), without article
 * JSON output: the counterpart of timing feedparser.parse in Python.
 * Usage: feed_driver ROUNDS FILE... */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/buf.h"
#include "core/fileio.h"
#include "feeds/feed.h"

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: feed_driver ROUNDS FILE...\n");
        return 2;
    }
    int rounds = atoi(argv[1]);
    int n = argc - 2;
    Buf *docs = calloc((size_t)n, sizeof *docs);
    size_t bytes = 0;
    for (int i = 0; i < n; i++) {
        SwErr err;
        if (file_read_all(argv[i + 2], FEED_MAX_BYTES, &docs[i], &err) != 0) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        bytes += docs[i].len;
    }
    double best = 1e30;
    size_t items = 0, failed = 0;
    for (int r = 0; r < rounds; r++) {
        items = failed = 0;
        double t0 = cpu_now();
        for (int i = 0; i < n; i++) {
            Feed f;
            SwErr err;
            if (feed_parse(docs[i].data, docs[i].len, NULL, NULL, &f, &err) == 0)
                items += f.nitems;
            else
                failed++;
            feed_free(&f);
        }
        double t = cpu_now() - t0;
        if (t < best)
            best = t;
    }
    printf("%zu %zu %zu %.4f\n", bytes, items, failed, best);
    for (int i = 0; i < n; i++)
        buf_free(&docs[i]);
    free(docs);
    return 0;
}
