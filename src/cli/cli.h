/* cli.h - the command-line interface: one file per command group, wired
 * by main.c. Commands return a process exit status: 0 success, 1 failure,
 * 2 when some input was skipped but the rest was done, 64 usage error. */
#ifndef SW_CLI_H
#define SW_CLI_H

#include <stddef.h>

#include "../store/store.h"
#include "../kb/kb.h"
#include "../story/cluster.h"

#define EXIT_OK 0
#define EXIT_FAIL 1
#define EXIT_PARTIAL 2
#define EXIT_USAGE 64

typedef struct CliContext {
    const char *db_path;    /* --db, $STORYWIRE_DB, or ./storywire.db */
    const char *model_path; /* --model, or NULL for the built-in model */
} CliContext;

typedef int (*CommandFn)(CliContext *ctx, int argc, char **argv);

int cmd_ingest(CliContext *ctx, int argc, char **argv);
int cmd_parse(CliContext *ctx, int argc, char **argv);
int cmd_update(CliContext *ctx, int argc, char **argv);
int cmd_stories(CliContext *ctx, int argc, char **argv);
int cmd_show(CliContext *ctx, int argc, char **argv);
int cmd_search_index(CliContext *ctx, int argc, char **argv);
int cmd_serve(CliContext *ctx, int argc, char **argv);
int cmd_demo(CliContext *ctx, int argc, char **argv);
int cmd_feeds(CliContext *ctx, int argc, char **argv); /* cmd_feeds.c: feeds, fetch, run */
int cmd_fetch(CliContext *ctx, int argc, char **argv);
int cmd_run(CliContext *ctx, int argc, char **argv);
int cmd_kb(CliContext *ctx, int argc, char **argv);

/* 1 when argv[i] is -h or --help anywhere in the arguments. */
int cli_wants_help(int argc, char **argv);
/* Opens the database named by the context, printing the error. */
Store *cli_open_store(CliContext *ctx, int readonly);
/* The knowledge base for background lines (--kb files, $STORYWIRE_KB and
 * the built-in sources), loaded on first use; its warnings are printed
 * once. */
const Kb *cli_kb(void);
/* Loads the clustering model named by the context (or the default). */
int cli_load_model(CliContext *ctx, ClusterModel *m);

/* ---- the update pipeline (pipeline.c) ---- */

typedef struct UpdateStats {
    size_t articles;    /* pending articles processed */
    size_t new_stories;
    size_t joined;      /* articles that joined an existing story */
    size_t duplicates;  /* near-copies of a member */
    size_t pages;       /* pages written */
    size_t page_errors; /* pages that could not be written (left for the next update) */
    size_t merged;      /* stories absorbed by another in the merge pass */
    size_t revised;     /* articles moved by the revision pass */
    size_t emptied;     /* stories the revision pass left with no article (removed) */
} UpdateStats;

/* Clusters every pending article and rewrites the pages of the stories
 * that changed. Prints progress when show_progress. */
int pipeline_update(Store *st, const ClusterModel *m, int show_progress, UpdateStats *stats, SwErr *err);
/* The same; with write_pages = 0 only clusters (the pages stay marked out
 * of date), as evaluation needs. */
int pipeline_run(Store *st, const ClusterModel *m, int show_progress, int write_pages,
                 UpdateStats *stats, SwErr *err);

/* Runs `serve` for a database: shared by serve and demo. */
int cli_serve_db(const char *db_path, int argc, char **argv);

#endif
