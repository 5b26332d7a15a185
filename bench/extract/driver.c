/* driver.c - times storywire's article extractor over a directory of
 * pages, for bench/extract/run (which builds and runs it).
 *
 *   driver HTML_DIR OUT.json [ROUNDS]
 *
 * Reads every *.html.gz of HTML_DIR into memory first (untimed), then runs
 * extract_html over all of them ROUNDS times (default 3), timing the
 * extraction only, in CPU seconds of this process (one core; the machine
 * is shared, so wall time would measure the neighbours too). Writes
 * OUT.json as {"<id>": {"articleBody": "<text>"}, ...} (id = file name
 * without .html.gz), the format of the benchmark's outputs, and prints
 * "pages N rounds R cpu_s S pages_per_s P" on standard output. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/fileio.h"
#include "extract/extract.h"

typedef struct Page {
    char *id;
    Buf html;
} Page;

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int by_id(const void *a, const void *b)
{
    return strcmp(((const Page *)a)->id, ((const Page *)b)->id);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: driver HTML_DIR OUT.json [ROUNDS]\n");
        return 64;
    }
    int rounds = argc > 3 ? atoi(argv[3]) : 3;
    if (rounds < 1)
        rounds = 1;
    DIR *d = opendir(argv[1]);
    if (!d) {
        perror(argv[1]);
        return 1;
    }
    Page *pages = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 9 || strcmp(e->d_name + l - 8, ".html.gz") != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            pages = xrealloc(pages, cap * sizeof *pages);
        }
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", argv[1], e->d_name);
        Page *p = &pages[n];
        memset(p, 0, sizeof *p);
        SwErr err;
        if (file_read_all(path, EXTRACT_MAX_BYTES, &p->html, &err) != 0) {
            fprintf(stderr, "%s\n", err.msg);
            continue;
        }
        p->id = xstrndup(e->d_name, l - 8);
        n++;
    }
    closedir(d);
    qsort(pages, n, sizeof *pages, by_id);

    char **texts = xcalloc(n ? n : 1, sizeof *texts);
    double t0 = cpu_seconds();
    for (int r = 0; r < rounds; r++) {
        for (size_t i = 0; i < n; i++) {
            Extracted x;
            SwErr err;
            if (extract_html(pages[i].html.data, pages[i].html.len, NULL, NULL, &x, &err) != 0) {
                if (r == 0)
                    fprintf(stderr, "%s: %s\n", pages[i].id, err.msg);
                continue;
            }
            if (r == rounds - 1) {
                texts[i] = x.text;
                x.text = NULL;
            }
            extracted_free(&x);
        }
    }
    double cpu = cpu_seconds() - t0;

    Buf out = {0};
    buf_putc(&out, '{');
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_putc(&out, ',');
        buf_json_cstr(&out, pages[i].id);
        buf_puts(&out, ":{\"articleBody\":");
        buf_json_cstr(&out, texts[i] ? texts[i] : "");
        buf_putc(&out, '}');
        free(texts[i]);
        free(pages[i].id);
        buf_free(&pages[i].html);
    }
    buf_puts(&out, "}\n");
    FILE *f = fopen(argv[2], "w");
    if (!f || fwrite(out.data, 1, out.len, f) != out.len || fclose(f) != 0) {
        perror(argv[2]);
        return 1;
    }
    buf_free(&out);
    free(texts);
    free(pages);
    printf("pages %zu rounds %d cpu_s %.3f pages_per_s %.1f\n", n, rounds, cpu,
           cpu > 0 ? (double)n * rounds / cpu : 0.0);
    return 0;
}
