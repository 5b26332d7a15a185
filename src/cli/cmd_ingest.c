/* cmd_ingest.c - `ingest`, `parse` and `update`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/fileio.h"
#include "../core/log.h"
#include "../feeds/feed.h"
#include "../ingest/ingest.h"
#include "args.h"
#include "cli.h"

typedef struct IngestRun {
    Store *st;
    size_t added, existing, since_commit;
    int store_failed;
    Progress prog;
    size_t seen;
    SwErr err;
} IngestRun;

static void report_skip(void *ctx, const char *message)
{
    /* messages that already say so are not told twice */
    if (strstr(message, "skipped"))
        log_warn("%s", message);
    else
        log_warn("%s (skipped)", message);
}

/* Archives report progress by bytes of the file read: the bar then shows
 * MB and MB/s instead of a count. */
static void bytes_progress(Progress *p, uint64_t done, uint64_t total)
{
    p->bytes = 1;
    p->total = (size_t)total;
    progress_update(p, (size_t)done);
}

/* One line for what an archive held besides articles. */
static void report_passed(const char *file, const IngestStats *stats)
{
    Buf b = {0};
    size_t n = ingest_passed_describe(stats, &b);
    if (n)
        log_info("%s: %zu record%s without an article: %s", file, n, n == 1 ? "" : "s", buf_cstr(&b));
    buf_free(&b);
}

static void store_progress(void *ctx, uint64_t done, uint64_t total)
{
    bytes_progress(&((IngestRun *)ctx)->prog, done, total);
}

static int store_one(void *ctx, const Article *a, const char *where)
{
    IngestRun *r = ctx;
    int64_t id;
    int added;
    if (store_put_article(r->st, a, &id, &added, &r->err) != 0) {
        sw_err_prefix(&r->err, "%s", where);
        r->store_failed = 1;
        return 1;
    }
    if (added)
        r->added++;
    else
        r->existing++;
    /* commit in batches: fast, and a kill loses at most one batch */
    if (++r->since_commit >= 1000) {
        if (store_commit(r->st, &r->err) != 0 || store_begin(r->st, &r->err) != 0) {
            r->store_failed = 1;
            return 1;
        }
        r->since_commit = 0;
    }
    ++r->seen;
    if (!r->prog.bytes)
        progress_update(&r->prog, r->seen);
    return 0;
}

static void print_update(const UpdateStats *u)
{
    if (u->articles)
        log_info("clustered %zu article%s: %zu new stor%s, %zu joined existing stories, %zu near-cop%s; %zu page%s written",
                 u->articles, u->articles == 1 ? "" : "s", u->new_stories, u->new_stories == 1 ? "y" : "ies",
                 u->joined, u->duplicates, u->duplicates == 1 ? "y" : "ies", u->pages, u->pages == 1 ? "" : "s");
    else
        log_info("no pending articles; stories are up to date");
    if (u->merged)
        log_info("merge pass: %zu stor%s joined the story %s had grown into", u->merged,
                 u->merged == 1 ? "y" : "ies", u->merged == 1 ? "it" : "they");
    if (u->revised)
        log_info("revision pass: %zu article%s moved, %zu stor%s left empty and removed", u->revised,
                 u->revised == 1 ? "" : "s", u->emptied, u->emptied == 1 ? "y" : "ies");
}

static int run_update(CliContext *ctx, Store *st)
{
    ClusterModel m;
    if (cli_load_model(ctx, &m) != 0)
        return -1;
    UpdateStats u;
    SwErr err;
    if (pipeline_update(st, &m, !log_quiet, &u, &err) != 0) {
        log_error("update stopped: %s", err.msg);
        log_error("what it committed is kept and stored articles are safe; run 'storywire update' to finish");
        return -1;
    }
    print_update(&u);
    if (u.page_errors) {
        log_error("%zu page%s could not be written (see above)", u.page_errors, u.page_errors == 1 ? "" : "s");
        return -1;
    }
    return 0;
}

static const char ingest_help[] =
    "Usage: storywire [--db PATH] ingest [OPTIONS] FILE...\n\n"
    "Reads articles into the database, then clusters them into stories and\n"
    "writes their pages (unless --no-update). Each FILE is article JSONL (one\n"
    "JSON object a line), a text page in the story-page layout, an HTML page\n"
    "(the article is extracted from it), a feed (RSS, Atom, JSON Feed: one\n"
    "article per item) or a WARC archive (every 2xx HTML response becomes an\n"
    "article); .gz is read transparently and the kind is chosen by content.\n"
    "Articles already stored (same canonical URL, or same title and text when\n"
    "there is no URL) are not added again.\n\n"
    "A bad line is reported as FILE:LINE, a bad archive record as FILE: record\n"
    "at offset N, and skipped; the rest is read. Archive records without an\n"
    "article (requests, images, redirects, index pages) are counted by reason.\n"
    "Exit status: 0 all read, 2 some records or files skipped, 1 failure.\n\n"
    "Options:\n"
    "  --no-update     store the articles only; run 'storywire update' later\n"
    "  --source NAME   outlet name for inputs that carry none (text pages, HTML\n"
    "                  pages without a site name)\n"
    "  --url URL       URL of a single text or HTML page (an HTML page's own\n"
    "                  canonical URL wins; relative links resolve against it);\n"
    "                  for a feed, the base URL of its relative links\n"
    "  -h, --help      this help\n\n"
    "Input format: docs/formats.md, feeds: docs/feed-formats.md\n";

int cmd_ingest(CliContext *ctx, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(ingest_help, stdout);
        return EXIT_OK;
    }
    const char *no_update = NULL, *source = NULL, *url = NULL;
    ArgSpec specs[] = {{"no-update", 0, &no_update}, {"source", 1, &source}, {"url", 1, &url}, {0}};
    char **files = xmalloc(((size_t)argc + 1) * sizeof *files);
    int n_files;
    if (args_parse("ingest", argc, argv, specs, files, &n_files) != 0) {
        free(files);
        return EXIT_USAGE;
    }
    if (n_files == 0) {
        fputs("storywire ingest: no input files (see 'storywire ingest --help')\n", stderr);
        free(files);
        return EXIT_USAGE;
    }
    Store *st = cli_open_store(ctx, 0);
    if (!st) {
        free(files);
        return EXIT_FAIL;
    }
    int status = EXIT_OK;
    size_t skipped = 0, articles = 0, added = 0, failed_files = 0;
    IngestOptions opt = {.source = source, .url = url, .on_progress = store_progress};
    for (int i = 0; i < n_files; i++) {
        IngestRun run = {.st = st};
        IngestStats stats = {0};
        SwErr err;
        if (store_begin(st, &err) != 0) {
            log_error("%s", err.msg);
            status = EXIT_FAIL;
            break;
        }
        progress_start(&run.prog, files[i], 0);
        int rc = ingest_file(files[i], &opt, store_one, report_skip, &run, &stats, &err);
        progress_finish(&run.prog);
        if (run.store_failed) {
            store_rollback(st);
            log_error("%s", run.err.msg);
            log_error("%s: stopped; the articles of this file since the last commit were not stored", files[i]);
            status = EXIT_FAIL;
            break;
        }
        if (store_commit(st, &err) != 0) {
            store_rollback(st);
            log_error("%s", err.msg);
            status = EXIT_FAIL;
            break;
        }
        if (rc != 0) {
            log_error("%s", err.msg);
            failed_files++;
        }
        skipped += stats.skipped;
        articles += stats.articles;
        added += run.added;
        if (stats.articles || stats.skipped)
            log_info("%s: %zu article%s read, %zu new, %zu already stored, %zu skipped", files[i],
                     stats.articles, stats.articles == 1 ? "" : "s", run.added, run.existing, stats.skipped);
        report_passed(files[i], &stats);
    }
    if (status == EXIT_OK && !no_update && run_update(ctx, st) != 0)
        status = EXIT_FAIL;
    if (status == EXIT_OK && failed_files)
        status = EXIT_FAIL;
    if (status == EXIT_OK && skipped)
        status = EXIT_PARTIAL;
    if (n_files > 1)
        log_info("%d files: %zu articles read, %zu new, %zu records skipped, %zu files unreadable", n_files,
                 articles, added, skipped, failed_files);
    store_close(st);
    free(files);
    return status;
}

typedef struct ParseRun {
    Buf line;
    Progress prog;
} ParseRun;

/* Writes what print_article gathered. */
static int flush_lines(ParseRun *r)
{
    size_t n = r->line.len;
    int rc = n && fwrite(r->line.data, 1, n, stdout) != n ? 1 : 0;
    buf_reset(&r->line);
    return rc;
}

/* Lines are gathered and written 256 KB at a time: one write(2) for
 * hundreds of articles instead of one per 4 KB of stdio buffer. */
static int print_article(void *ctx, const Article *a, const char *where)
{
    ParseRun *r = ctx;
    ingest_article_to_json(a, &r->line);
    buf_putc(&r->line, '\n');
    return r->line.len >= (256u << 10) ? flush_lines(r) : 0;
}

static void parse_progress(void *ctx, uint64_t done, uint64_t total)
{
    bytes_progress(&((ParseRun *)ctx)->prog, done, total);
}

/* `parse --feed`: the whole parsed feed as one JSON line. */
static int print_feed(const char *path, const char *base, Buf *line)
{
    Buf data = {0};
    SwErr err;
    if (file_read_all(path, FEED_MAX_BYTES, &data, &err) != 0) {
        buf_free(&data);
        log_error("%s", err.msg);
        return -1;
    }
    Feed f;
    int rc = feed_parse(data.data, data.len, base, NULL, &f, &err);
    buf_free(&data);
    if (rc != 0) {
        log_error("%s: %s", path, err.msg);
        return -1;
    }
    buf_reset(line);
    feed_to_json(&f, line);
    buf_putc(line, '\n');
    feed_free(&f);
    return fwrite(line->data, 1, line->len, stdout) == line->len ? 0 : -1;
}

static const char parse_help[] =
    "Usage: storywire parse [OPTIONS] FILE...\n\n"
    "Reads article files exactly as 'ingest' does and prints what it read as\n"
    "article JSONL on standard output, storing nothing. Useful to check an\n"
    "input before ingesting it, or to convert text pages, HTML pages, WARC\n"
    "archives and feeds to JSONL. Bad records are reported on stderr as\n"
    "FILE:LINE (or FILE: record at offset N) and skipped.\n"
    "Feeds (RSS, Atom, JSON Feed) are recognised by content: each item is\n"
    "printed as one article (docs/feed-formats.md).\n"
    "Exit status: 0 all read, 2 some records or files skipped, 1 failure.\n\n"
    "Options:\n"
    "  --source NAME   outlet name for inputs that carry none\n"
    "  --url URL       URL of a single text or HTML page; for a feed, the\n"
    "                  base URL of its relative links\n"
    "  --feed          print each feed FILE whole as one JSON object (feed\n"
    "                  fields and every item field) instead of articles\n"
    "  -h, --help      this help\n";

int cmd_parse(CliContext *ctx, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(parse_help, stdout);
        return EXIT_OK;
    }
    const char *source = NULL, *url = NULL, *feed = NULL;
    ArgSpec specs[] = {{"source", 1, &source}, {"url", 1, &url}, {"feed", 0, &feed}, {0}};
    char **files = xmalloc(((size_t)argc + 1) * sizeof *files);
    int n_files;
    if (args_parse("parse", argc, argv, specs, files, &n_files) != 0) {
        free(files);
        return EXIT_USAGE;
    }
    if (n_files == 0) {
        fputs("storywire parse: no input files (see 'storywire parse --help')\n", stderr);
        free(files);
        return EXIT_USAGE;
    }
    int status = EXIT_OK;
    ParseRun run = {0};
    IngestOptions opt = {.source = source, .url = url, .on_progress = parse_progress};
    for (int i = 0; i < n_files; i++) {
        IngestStats stats = {0};
        SwErr err;
        if (feed) {
            if (print_feed(files[i], url, &run.line) != 0)
                status = EXIT_FAIL;
            continue;
        }
        progress_start(&run.prog, files[i], 0);
        int rc = ingest_file(files[i], &opt, print_article, report_skip, &run, &stats, &err);
        if (flush_lines(&run) != 0 && rc == 0)
            rc = sw_err(&err, "cannot write to standard output");
        progress_finish(&run.prog);
        if (rc != 0) {
            log_error("%s", err.msg);
            status = EXIT_FAIL;
        } else if (stats.skipped && status == EXIT_OK) {
            status = EXIT_PARTIAL;
        }
        report_passed(files[i], &stats);
    }
    buf_free(&run.line);
    free(files);
    if (fflush(stdout) != 0) {
        log_error("cannot write to standard output");
        return EXIT_FAIL;
    }
    return status;
}

static const char update_help[] =
    "Usage: storywire [--db PATH] [--model FILE] update\n\n"
    "Clusters every pending article (stored but not yet placed in a story)\n"
    "into stories, in order of publication, and rewrites the page of every\n"
    "story that changed. 'ingest' runs this unless --no-update is given.\n"
    "An interrupted update keeps what it committed; run it again to finish.\n\n"
    "Options:\n"
    "  -h, --help   this help\n";

int cmd_update(CliContext *ctx, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(update_help, stdout);
        return EXIT_OK;
    }
    char **pos = xmalloc(((size_t)argc + 1) * sizeof *pos);
    int n_pos;
    ArgSpec specs[] = {{0}};
    int bad = args_parse("update", argc, argv, specs, pos, &n_pos) != 0 || n_pos > 0;
    free(pos);
    if (bad) {
        if (n_pos > 0)
            fputs("storywire update: takes no arguments (see 'storywire update --help')\n", stderr);
        return EXIT_USAGE;
    }
    Store *st = cli_open_store(ctx, 0);
    if (!st)
        return EXIT_FAIL;
    int rc = run_update(ctx, st) == 0 ? EXIT_OK : EXIT_FAIL;
    store_close(st);
    return rc;
}
