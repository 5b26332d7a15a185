/* cmd_stories.c - `stories` (list), `show` (one page) and `search-index` (check or rebuild the search indexes). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/log.h"
#include "../core/timeutil.h"
#include "../render/render.h"
#include "../store/search.h"
#include "args.h"
#include "cli.h"

static const char stories_help[] =
    "Usage: storywire [--db PATH] stories [--limit N] [--offset N] [--json]\n\n"
    "Lists stories that have a page, newest activity first: last update,\n"
    "number of articles and outlets, slug and headline. With --json, prints a\n"
    "JSON array of objects with slug, headline, article_count, source_count,\n"
    "updated (RFC 3339) and more (see docs/cli.md).\n\n"
    "Options:\n"
    "  --limit N    at most N stories (default 50)\n"
    "  --offset N   skip the first N\n"
    "  --json       JSON output\n"
    "  -h, --help   this help\n";

int cmd_stories(CliContext *ctx, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(stories_help, stdout);
        return EXIT_OK;
    }
    const char *limit_s = "50", *offset_s = "0", *json = NULL;
    ArgSpec specs[] = {{"limit", 1, &limit_s}, {"offset", 1, &offset_s}, {"json", 0, &json}, {0}};
    char **pos = xmalloc(((size_t)argc + 1) * sizeof *pos);
    int n_pos;
    int bad = args_parse("stories", argc, argv, specs, pos, &n_pos) != 0;
    free(pos);
    if (bad || n_pos) {
        if (!bad)
            fputs("storywire stories: takes no arguments (see 'storywire stories --help')\n", stderr);
        return EXIT_USAGE;
    }
    long limit = args_long("stories", "limit", limit_s, 1, 100000);
    long offset = args_long("stories", "offset", offset_s, 0, 1L << 40);
    if (limit < 0 || offset < 0)
        return EXIT_USAGE;
    Store *st = cli_open_store(ctx, 1);
    if (!st)
        return EXIT_FAIL;
    Arena a = {0};
    StoryRow *rows;
    size_t n;
    SwErr err;
    int rc = EXIT_OK;
    if (store_story_list(st, (size_t)limit, (size_t)offset, &a, &rows, &n, &err) != 0) {
        log_error("%s", err.msg);
        rc = EXIT_FAIL;
    } else if (json) {
        Buf out = {0};
        render_json_story_list(rows, n, &out);
        buf_putc(&out, '\n');
        fwrite(out.data, 1, out.len, stdout);
        buf_free(&out);
        free(rows);
    } else {
        if (n)
            printf("%-20s %8s %7s  %s\n", "UPDATED", "ARTICLES", "OUTLETS", "SLUG / HEADLINE");
        for (size_t i = 0; i < n; i++) {
            char when[40];
            time_format_rfc3339(rows[i].last_published ? rows[i].last_published : rows[i].updated, when,
                                sizeof when);
            printf("%-20s %8d %7d  %s\n%39s %s\n", when, rows[i].article_count, rows[i].source_count,
                   rows[i].slug ? rows[i].slug : "", "", rows[i].headline ? rows[i].headline : "");
        }
        if (!n && offset == 0)
            log_info("no stories yet: ingest some articles first ('storywire ingest --help')");
        free(rows);
    }
    arena_free(&a);
    store_close(st);
    if (fflush(stdout) != 0)
        rc = EXIT_FAIL;
    return rc;
}

static const char show_help[] =
    "Usage: storywire [--db PATH] show SLUG [--format text|md|html|json] [--version N]\n\n"
    "Prints a story page. The text format follows the story-page layout:\n"
    "headline, summary, slug, image line, titled sections, 'You might also\n"
    "like' and the numbered sources that the [n] citations refer to.\n\n"
    "Options:\n"
    "  --format F   text (default), md, html or json\n"
    "  --version N  an earlier version of the page (default: the latest)\n"
    "  -h, --help   this help\n";

int cmd_show(CliContext *ctx, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(show_help, stdout);
        return EXIT_OK;
    }
    const char *format = "text", *version_s = "0";
    ArgSpec specs[] = {{"format", 1, &format}, {"version", 1, &version_s}, {0}};
    char **pos = xmalloc(((size_t)argc + 1) * sizeof *pos);
    int n_pos;
    if (args_parse("show", argc, argv, specs, pos, &n_pos) != 0) {
        free(pos);
        return EXIT_USAGE;
    }
    const char *slug = n_pos == 1 ? pos[0] : NULL;
    free(pos);
    if (!slug) {
        fputs("storywire show: give exactly one story slug (see 'storywire stories')\n", stderr);
        return EXIT_USAGE;
    }
    if (strcmp(format, "text") && strcmp(format, "md") && strcmp(format, "html") && strcmp(format, "json")) {
        fprintf(stderr, "storywire show: --format must be text, md, html or json, not '%s'\n", format);
        return EXIT_USAGE;
    }
    long version = args_long("show", "version", version_s, 0, 1L << 30);
    if (version < 0)
        return EXIT_USAGE;
    Store *st = cli_open_store(ctx, 1);
    if (!st)
        return EXIT_FAIL;
    Arena a = {0};
    StoryRow row;
    SwErr err;
    Buf json = {0}, out = {0};
    int rc = EXIT_FAIL, got_version;
    int found = store_story_by_slug(st, slug, &a, &row, &err);
    if (found == STORE_NOT_FOUND && (found = store_story_redirect(st, slug, &a, &row, &err)) == 0 && row.slug) {
        /* a story absorbed by the merge pass: show the one that took it over */
        log_info("story '%s' was merged into '%s'", slug, row.slug);
        slug = row.slug;
    }
    if (found == STORE_NOT_FOUND) {
        log_error("no story with slug '%s' in %s (see 'storywire stories')", slug, ctx->db_path);
        goto out;
    } else if (found < 0) {
        log_error("%s", err.msg);
        goto out;
    }
    int got = store_page_get(st, row.id, (int)version, &json, &got_version, &err);
    if (got == STORE_NOT_FOUND) {
        log_error("story '%s' has no page version %ld (latest is %d)", slug, version, row.page_version);
        goto out;
    } else if (got < 0) {
        log_error("%s", err.msg);
        goto out;
    }
    if (strcmp(format, "json") == 0) {
        buf_append(&out, json.data, json.len);
        buf_putc(&out, '\n');
    } else {
        Page page;
        if (page_from_json(&a, json.data, json.len, &page, &err) != 0) {
            log_error("story '%s': stored page is damaged: %s", slug, err.msg);
            goto out;
        }
        if (strcmp(format, "text") == 0)
            render_text(&page, &out);
        else if (strcmp(format, "md") == 0)
            render_markdown(&page, &out);
        else
            render_html_page(&page, &out);
    }
    rc = fwrite(out.data, 1, out.len, stdout) == out.len && fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
out:
    buf_free(&json);
    buf_free(&out);
    arena_free(&a);
    store_close(st);
    return rc;
}

static const char search_index_help[] =
    "Usage: storywire [--db PATH] search-index check|rebuild\n\n"
    "The full-text search indexes of articles and stories (docs/search.md):\n"
    "  check     verify them against the stored articles and stories; exits 1\n"
    "            and says which index is wrong when one is\n"
    "  rebuild   build them again from the stored rows (one transaction; a\n"
    "            minute or so per 100,000 articles)\n"
    "They use storywire's own tokenizer, so the sqlite3 shell cannot do this.\n\n"
    "Options:\n"
    "  -h, --help   this help\n";

int cmd_search_index(CliContext *ctx, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(search_index_help, stdout);
        return EXIT_OK;
    }
    if (argc != 1 || (strcmp(argv[0], "check") != 0 && strcmp(argv[0], "rebuild") != 0)) {
        fputs("storywire search-index: give 'check' or 'rebuild' (see 'storywire search-index --help')\n",
              stderr);
        return EXIT_USAGE;
    }
    int rebuild = strcmp(argv[0], "rebuild") == 0;
    Store *st = cli_open_store(ctx, 0);
    if (!st)
        return EXIT_FAIL;
    SwErr err;
    if (rebuild)
        log_info("rebuilding the search indexes of %s", store_path(st));
    int rc = store_search_index(st, rebuild, &err);
    if (rc != 0)
        log_error("%s", err.msg);
    else
        log_info("%s: search indexes %s", store_path(st), rebuild ? "rebuilt" : "are sound");
    store_close(st);
    return rc == 0 ? EXIT_OK : EXIT_FAIL;
}
