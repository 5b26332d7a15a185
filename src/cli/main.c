/* main.c - storywire's entry point: global options, then one command.
 *
 *   storywire [--db PATH] [--model FILE] [--kb FILE] [--quiet] COMMAND [ARGS]
 *
 * The database is --db, else $STORYWIRE_DB, else ./storywire.db. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/log.h"
#include "../store/store.h"
#include "../text/langid.h"
#include "cli.h"
#include "cmd_eval.h"
#include "cmd_extract.h"
#include "cmd_tune.h"

#define STORYWIRE_VERSION "0.1.0"

static const struct {
    const char *name;
    CommandFn fn;
    const char *summary;
} commands[] = {
    {"ingest", cmd_ingest, "read article files into the database and update the stories"},
    {"parse", cmd_parse, "read article files and print them as article JSONL (stores nothing)"},
    {"update", cmd_update, "cluster pending articles into stories and rewrite their pages"},
    {"stories", cmd_stories, "list stories, newest activity first"},
    {"extract", cmd_extract, "print the article (title, text, metadata) found in web pages"},
    {"show", cmd_show, "print a story page as text, Markdown, HTML or JSON"},
    {"serve", cmd_serve, "serve the story pages over HTTP"},
    {"demo", cmd_demo, "load the bundled demo corpus and serve it"},
    {"feeds", cmd_feeds, "subscribe to feeds: add, import, export, list, remove"},
    {"fetch", cmd_fetch, "poll the due feeds once, store new items and update the stories"},
    {"run", cmd_run, "keep polling feeds, updating stories and serving the site"},
    {"tune", cmd_tune, "learn the clustering model from labelled articles (tune cluster)"},
    {"kb", cmd_kb, "look names up in the knowledge base behind the pages' background lines"},
    {"search-index", cmd_search_index, "check or rebuild the full-text search indexes"},
    {"eval", cmd_eval, "measure clustering (eval cluster) and summaries (eval summary) on labelled data"},
};

static void usage(FILE *out)
{
    fprintf(out,
            "storywire %s - a news story engine: groups articles that report the same event\n"
            "and writes one cited story page per event.\n\n"
            "Usage: storywire [--db PATH] [--model FILE] [--kb FILE] [--quiet] COMMAND [ARGS]\n\n"
            "Commands:\n",
            STORYWIRE_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(out,
            "\nGlobal options:\n"
            "  --db PATH      database file (default: $STORYWIRE_DB or ./storywire.db)\n"
            "  --model FILE   clustering model file (default: built in; see docs/clustering.md)\n"
            "  --kb FILE      knowledge-base file (TSV or JSONL) for background lines, preferred\n"
            "                 over WordNet and the locations list; repeatable (also $STORYWIRE_KB;\n"
            "                 see docs/knowledge-base.md)\n"
            "  --quiet        only warnings and errors on stderr\n"
            "  --version      print the version\n"
            "  -h, --help     this help; 'storywire COMMAND --help' for a command\n\n"
            "Example:\n"
            "  storywire --db news.db ingest articles.jsonl\n"
            "  storywire --db news.db stories\n"
            "  storywire --db news.db serve --listen 127.0.0.1:8080\n\n"
            "Documentation: docs/cli.md, docs/formats.md, docs/http.md\n");
}

static void notice(const char *msg)
{
    log_info("%s", msg);
}

int main(int argc, char **argv)
{
    CliContext ctx = {0};
    store_notice = notice;
    ctx.db_path = getenv("STORYWIRE_DB");
    if (!ctx.db_path || !*ctx.db_path)
        ctx.db_path = "storywire.db";
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return EXIT_OK;
        } else if (strcmp(a, "--version") == 0) {
            printf("storywire %s\n", STORYWIRE_VERSION);
            return EXIT_OK;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            log_quiet = 1;
        } else if (strcmp(a, "--db") == 0 && i + 1 < argc) {
            ctx.db_path = argv[++i];
        } else if (strncmp(a, "--db=", 5) == 0) {
            ctx.db_path = a + 5;
        } else if (strcmp(a, "--kb") == 0 && i + 1 < argc) {
            kb_config_add_file(argv[++i]);
        } else if (strncmp(a, "--kb=", 5) == 0) {
            kb_config_add_file(a + 5);
        } else if (strcmp(a, "--model") == 0 && i + 1 < argc) {
            ctx.model_path = argv[++i];
        } else if (strncmp(a, "--model=", 8) == 0) {
            ctx.model_path = a + 8;
        } else {
            fprintf(stderr, "storywire: unknown or incomplete option '%s' (see 'storywire --help')\n", a);
            return EXIT_USAGE;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[i];
    for (size_t k = 0; k < sizeof commands / sizeof *commands; k++)
        if (strcmp(commands[k].name, name) == 0) {
            int rc = commands[k].fn(&ctx, argc - i - 1, argv + i + 1);
            langid_shutdown();
            return rc;
        }
    if (strcmp(name, "help") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    fprintf(stderr, "storywire: unknown command '%s' (see 'storywire --help')\n", name);
    return EXIT_USAGE;
}

int cli_wants_help(int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return 0;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return 1;
    }
    return 0;
}

Store *cli_open_store(CliContext *ctx, int readonly)
{
    Store *st;
    SwErr err;
    if (store_open(ctx->db_path, readonly, &st, &err) != 0) {
        log_error("%s", err.msg);
        return NULL;
    }
    return st;
}

const Kb *cli_kb(void)
{
    static int warned;
    const Kb *kb = kb_shared();
    if (!warned) {
        warned = 1;
        size_t n = kb_warning_count(kb);
        for (size_t i = 0; i < n && kb_warning(kb, i); i++)
            log_warn("%s", kb_warning(kb, i));
        if (n > KB_MAX_WARNINGS)
            log_warn("knowledge base: %zu more warnings", n - KB_MAX_WARNINGS);
    }
    return kb;
}

int cli_load_model(CliContext *ctx, ClusterModel *m)
{
    *m = cluster_default_model();
    if (!ctx->model_path)
        return 0;
    SwErr err;
    if (cluster_model_load(ctx->model_path, m, &err) != 0) {
        log_error("%s", err.msg);
        return -1;
    }
    return 0;
}
