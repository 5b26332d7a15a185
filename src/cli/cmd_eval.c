/* cmd_eval.c - `eval cluster`: how well stories match labelled events.
 *
 * The articles of a labelled JSONL file go through exactly what `ingest`
 * and `update` do - ingest_jsonl_line, store_put_article, pipeline_run -
 * in a throw-away SQLite database, so the figures describe the engine as
 * shipped, not a copy of it. Each line is also read here for its id and
 * gold label; after clustering, every article's story is read back and
 * the two labellings are scored (src/eval/metrics.h). The database lives
 * in $TMPDIR (else /tmp) and is deleted at the end, on error, and on
 * SIGINT/SIGTERM/SIGHUP.
 *
 * Articles without a URL are deduplicated by content; two labelled lines
 * with the same content are one stored article, so the second is scored
 * in the first one's story (and reported, because the gold may disagree). */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../core/fileio.h"
#include "../core/json.h"
#include "../core/log.h"
#include "../core/map.h"
#include "../core/timeutil.h"
#include "../eval/metrics.h"
#include "../ingest/ingest.h"
#include "args.h"
#include "cli.h"
#include "cmd_eval.h"
#include "cmd_eval_summary.h"

#define LINE_MAX_BYTES (32u << 20) /* as ingest */
#define COMMIT_EVERY 1000
#define COLLISIONS_SHOWN 10

static const char eval_help[] =
    "Usage: storywire [--model FILE] eval SUBCOMMAND [ARGS]\n\n"
    "Evaluation commands:\n"
    "  cluster   score story clustering against labelled articles\n"
    "  summary   score the page writer's summaries against reference summaries (ROUGE)\n\n"
    "See 'storywire eval cluster --help' and 'storywire eval summary --help'.\n";

static const char eval_cluster_help[] =
    "Usage: storywire [--model FILE] eval cluster [--label KEY] [--id KEY] [--out FILE] FILE\n\n"
    "Clusters labelled articles exactly as 'ingest' and 'update' do, in a\n"
    "throw-away database (in $TMPDIR or /tmp, deleted afterwards), and prints\n"
    "one JSON object on standard output comparing the stories found with the\n"
    "gold labels:\n"
    "  docs, gold_clusters, clusters           articles, gold events, stories\n"
    "  bcubed_p, bcubed_r, bcubed_f1           BCubed precision, recall, F1\n"
    "  pairwise_p, pairwise_r, pairwise_f1     the same over pairs of articles\n"
    "  ari, nmi                                adjusted Rand index, normalised\n"
    "                                          mutual information (arithmetic mean)\n"
    "  docs_per_sec                            articles clustered per second\n"
    "  secs, cpu_secs                          clock and CPU seconds of the clustering\n"
    "                                          (analysis, dedup, placing, state writes;\n"
    "                                          not reading the file into the database)\n\n"
    "FILE is article JSONL (.gz read transparently) whose lines also carry an\n"
    "id and a gold label (a string or a number). Articles are clustered in\n"
    "order of publication when they have a date, else in file order. The\n"
    "database (--db) is not touched. Articles without a URL that have the same\n"
    "title and text are stored once, as ingest does: such lines are reported\n"
    "and scored in the first one's story.\n\n"
    "A line that is not an article or lacks the id or label is reported as\n"
    "FILE:LINE and skipped. Exit status: 0 all read, 2 some lines skipped,\n"
    "1 failure.\n\n"
    "Options:\n"
    "  --label KEY   the gold label's key (default \"event\")\n"
    "  --id KEY      the article id's key (default \"id\"); ids must be unique\n"
    "  --out FILE    also write one line per article: ID<TAB>STORY (story ids\n"
    "                of the throw-away database; tabs and newlines in ids\n"
    "                become spaces)\n"
    "  -h, --help    this help\n\n"
    "Example (ECB+):\n"
    "  storywire eval cluster --label gold_cluster --id doc docs.jsonl.gz\n"
    "The model is the built-in one unless --model FILE is given (before\n"
    "'eval'). Method and figures: docs/clustering.md\n";

/* ---- the throw-away database ---- */

/* The database file and the files SQLite keeps beside it. Static so that
 * a signal handler can remove them: it only calls unlink, which is
 * async-signal-safe. */
static const char *const TMP_SUFFIXES[] = {"", "-wal", "-shm", "-journal"};
#define N_TMP (sizeof TMP_SUFFIXES / sizeof *TMP_SUFFIXES)
static char tmp_paths[N_TMP][PATH_MAX];
static volatile sig_atomic_t tmp_live;
static const int CAUGHT[] = {SIGINT, SIGTERM, SIGHUP};
#define N_CAUGHT (sizeof CAUGHT / sizeof *CAUGHT)
static struct sigaction old_actions[N_CAUGHT];

static void tmp_remove(void)
{
    if (!tmp_live)
        return;
    tmp_live = 0;
    for (size_t i = 0; i < N_TMP; i++)
        unlink(tmp_paths[i]);
}

static void on_signal(int sig)
{
    tmp_remove();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Creates an empty file for the database; fills tmp_paths. */
static int tmp_create(void)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    char tmpl[PATH_MAX];
    if (snprintf(tmpl, sizeof tmpl, "%s/storywire-eval-XXXXXX", dir) >= (int)sizeof tmpl) {
        log_error("eval: temporary directory name too long: %s", dir);
        return -1;
    }
    int fd = mkstemp(tmpl);
    if (fd < 0) {
        log_error("eval: cannot create a temporary database in %s: %s", dir, strerror(errno));
        return -1;
    }
    close(fd);
    for (size_t i = 0; i < N_TMP; i++)
        snprintf(tmp_paths[i], sizeof tmp_paths[i], "%s%s", tmpl, TMP_SUFFIXES[i]);
    tmp_live = 1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < N_CAUGHT; i++)
        sigaction(CAUGHT[i], &sa, &old_actions[i]);
    return 0;
}

static void tmp_finish(void)
{
    tmp_remove();
    for (size_t i = 0; i < N_CAUGHT; i++)
        sigaction(CAUGHT[i], &old_actions[i], NULL);
}

/* ---- reading the labelled file ---- */

typedef struct EvalDoc {
    const char *id;  /* in Eval.keep */
    int64_t gold;    /* dense gold label */
    int64_t row;     /* stored article id */
    size_t line;
} EvalDoc;

typedef struct Eval {
    const char *path, *label_key, *id_key;
    Store *st;
    Arena keep;      /* ids */
    StrMap labels;   /* gold label -> dense number */
    StrMap ids;      /* id -> index into docs + 1 */
    IntMap rows;     /* stored article id -> index into docs of its first line */
    EvalDoc *docs;
    size_t n_docs, cap_docs;
    size_t skipped, collisions;
} Eval;

static void skip_line(Eval *ev, size_t line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void skip_line(Eval *ev, size_t line, const char *fmt, ...)
{
    char msg[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    log_warn("%s:%zu: %s (skipped)", ev->path, line, msg);
    ev->skipped++;
}

/* A string or number member as text, or NULL. Numbers print as integers
 * when they are integers, so "7" and 7 are the same label. */
static const char *scalar_text(Arena *a, const JsonValue *obj, const char *key)
{
    const JsonValue *v = json_get(obj, key);
    if (!v)
        return NULL;
    if (v->type == JSON_STRING)
        return v->u.str.len ? v->u.str.s : NULL;
    if (v->type == JSON_NUMBER) {
        double x = v->u.number;
        if (x > -9e15 && x < 9e15 && x == (double)(long long)x) /* exact integers */
            return arena_printf(a, "%lld", (long long)x);
        return arena_printf(a, "%.17g", x);
    }
    return NULL;
}

/* Reads one non-blank line: checks id and label, stores the article.
 * Returns 0 (line taken or skipped) or -1 on a store error. */
static int eval_line(Eval *ev, Arena *a, const char *s, size_t len, size_t line, int64_t now, SwErr *err)
{
    SwErr line_err;
    JsonValue *obj = json_parse(a, s, len, &line_err);
    if (!obj) {
        skip_line(ev, line, "%s", line_err.msg);
        return 0;
    }
    if (obj->type != JSON_OBJECT) {
        skip_line(ev, line, "expected a JSON object");
        return 0;
    }
    const char *label = scalar_text(a, obj, ev->label_key);
    if (!label) {
        skip_line(ev, line, "no gold label \"%s\" (a string or a number; see --label)", ev->label_key);
        return 0;
    }
    const char *id = scalar_text(a, obj, ev->id_key);
    if (!id) {
        skip_line(ev, line, "no id \"%s\" (a string or a number; see --id)", ev->id_key);
        return 0;
    }
    size_t id_len = strlen(id);
    StrMapEntry *seen = strmap_get(&ev->ids, id, id_len);
    if (seen) {
        skip_line(ev, line, "id \"%.400s\" already on line %zu", id, ev->docs[seen->val.num - 1].line);
        return 0;
    }
    Article art;
    if (ingest_jsonl_line(a, s, len, &art, &line_err) != 0) {
        skip_line(ev, line, "%s", line_err.msg);
        return 0;
    }
    ingest_article_finish(&art, NULL, now);
    int64_t row;
    int added;
    if (store_put_article(ev->st, &art, &row, &added, err) != 0) {
        sw_err_prefix(err, "%s:%zu", ev->path, line);
        return -1;
    }
    int created;
    StrMapEntry *lab = strmap_put(&ev->labels, label, strlen(label), &created);
    if (created)
        lab->val.num = (int64_t)ev->labels.count - 1;
    int64_t gold = lab->val.num;
    int64_t *first = intmap_put(&ev->rows, (uint64_t)row, &created);
    if (created) {
        *first = (int64_t)ev->n_docs;
    } else {
        /* stored once already: by URL, or by title + text without one */
        const EvalDoc *f = &ev->docs[*first];
        ev->collisions++;
        if (ev->collisions <= COLLISIONS_SHOWN)
            log_warn("%s:%zu: \"%s\" is the same article as \"%s\" (line %zu)%s and is scored in its story",
                     ev->path, line, id, f->id, f->line, f->gold != gold ? ", with another gold label," : "");
    }
    if (ev->n_docs == ev->cap_docs) {
        ev->cap_docs = ev->cap_docs ? ev->cap_docs * 2 : 256;
        ev->docs = xrealloc(ev->docs, ev->cap_docs * sizeof *ev->docs);
    }
    EvalDoc *d = &ev->docs[ev->n_docs++];
    d->id = arena_strndup(&ev->keep, id, id_len);
    d->gold = gold;
    d->row = row;
    d->line = line;
    strmap_put(&ev->ids, id, id_len, NULL)->val.num = (int64_t)ev->n_docs;
    return 0;
}

/* Reads the file into the store, committing every COMMIT_EVERY lines. */
static int eval_read(Eval *ev, SwErr *err)
{
    LineReader *r = lines_open(ev->path, err);
    if (!r)
        return -1;
    lines_set_limit(r, LINE_MAX_BYTES);
    Buf line = {0};
    Arena a = {0};
    int64_t now = time_now();
    int rc = store_begin(ev->st, err), got = 0;
    size_t since_commit = 0;
    Progress prog;
    progress_start(&prog, ev->path, 0);
    while (rc == 0 && (got = lines_next(r, &line, err)) > 0) {
        size_t ln = lines_number(r);
        const char *s = buf_cstr(&line);
        size_t k = 0;
        while (k < line.len && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r'))
            k++;
        if (k == line.len)
            continue; /* blank lines are allowed, as in ingest */
        if (got == LINES_TOO_LONG) {
            skip_line(ev, ln, "line longer than %u bytes", LINE_MAX_BYTES);
            continue;
        }
        rc = eval_line(ev, &a, s, line.len, ln, now, err);
        if (a.total > (8u << 20))
            arena_free(&a);
        if (rc == 0 && ++since_commit >= COMMIT_EVERY) {
            rc = store_commit(ev->st, err);
            if (rc == 0)
                rc = store_begin(ev->st, err);
            since_commit = 0;
        }
        progress_update(&prog, ln);
    }
    progress_finish(&prog);
    if (rc == 0 && got < 0)
        rc = -1;
    if (rc == 0)
        rc = store_commit(ev->st, err);
    if (rc != 0)
        store_rollback(ev->st);
    arena_free(&a);
    buf_free(&line);
    lines_close(r);
    return rc;
}

/* ---- output ---- */

static int write_assignments(const char *path, const Eval *ev, const int64_t *story)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        log_error("%s: cannot write: %s", path, strerror(errno));
        return -1;
    }
    for (size_t i = 0; i < ev->n_docs; i++) {
        for (const char *c = ev->docs[i].id; *c; c++)
            fputc(*c == '\t' || *c == '\n' || *c == '\r' ? ' ' : *c, f);
        fprintf(f, "\t%lld\n", (long long)story[i]);
    }
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        log_error("%s: cannot write: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

static void print_scores(const ClusterScores *s, double docs_per_sec, double secs, double cpu_secs)
{
    printf("{\"docs\":%zu,\"gold_clusters\":%zu,\"clusters\":%zu,"
           "\"bcubed_p\":%.4f,\"bcubed_r\":%.4f,\"bcubed_f1\":%.4f,"
           "\"pairwise_p\":%.4f,\"pairwise_r\":%.4f,\"pairwise_f1\":%.4f,"
           "\"ari\":%.4f,\"nmi\":%.4f,\"docs_per_sec\":%.1f,\"secs\":%.3f,\"cpu_secs\":%.3f}\n",
           s->n, s->gold_clusters, s->clusters, s->bcubed_p, s->bcubed_r, s->bcubed_f1, s->pairwise_p,
           s->pairwise_r, s->pairwise_f1, s->ari, s->nmi, docs_per_sec, secs, cpu_secs);
}

/* CPU time of this process (all threads; the clustering runs on one). */
static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the command ---- */

/* Everything after the database is open; returns an exit status. */
static int eval_run(Eval *ev, const ClusterModel *m, const char *out_path)
{
    SwErr err;
    if (eval_read(ev, &err) != 0) {
        log_error("%s", err.msg);
        return EXIT_FAIL;
    }
    if (ev->collisions > COLLISIONS_SHOWN)
        log_warn("%zu more lines were the same article as an earlier one", ev->collisions - COLLISIONS_SHOWN);
    if (ev->collisions)
        log_warn("%zu of %zu labelled lines repeat an earlier article (same URL, or same title and text)",
                 ev->collisions, ev->n_docs);
    if (ev->n_docs == 0) {
        log_error("%s: no labelled articles", ev->path);
        return EXIT_FAIL;
    }
    UpdateStats stats;
    double t0 = clock_seconds(), c0 = cpu_seconds();
    if (pipeline_run(ev->st, m, !log_quiet, 0, &stats, &err) != 0) {
        log_error("clustering stopped: %s", err.msg);
        return EXIT_FAIL;
    }
    double secs = clock_seconds() - t0, cpu_secs = cpu_seconds() - c0;

    int64_t *gold = xmalloc(ev->n_docs * sizeof *gold);
    int64_t *story = xmalloc(ev->n_docs * sizeof *story);
    int status = EXIT_OK;
    size_t unplaced = 0;
    for (size_t i = 0; i < ev->n_docs && status == EXIT_OK; i++) {
        int st_status;
        gold[i] = ev->docs[i].gold;
        int rc = store_article_story(ev->st, ev->docs[i].row, &story[i], &st_status, &err);
        if (rc < 0) {
            log_error("%s", err.msg);
            status = EXIT_FAIL;
        } else if (rc == STORE_NOT_FOUND || story[i] <= 0) {
            /* cannot happen after a complete run; score it alone rather
             * than in a shared "no story" cluster */
            story[i] = -(int64_t)i - 1;
            unplaced++;
        }
    }
    if (unplaced)
        log_warn("%zu articles were not placed in a story; each is scored as its own", unplaced);
    if (status == EXIT_OK && out_path && write_assignments(out_path, ev, story) != 0)
        status = EXIT_FAIL;
    if (status == EXIT_OK) {
        ClusterScores s;
        eval_cluster_scores(gold, story, ev->n_docs, &s);
        print_scores(&s, secs > 0 ? (double)stats.articles / secs : 0, secs, cpu_secs);
        if (fflush(stdout) != 0) {
            log_error("cannot write to standard output");
            status = EXIT_FAIL;
        }
        log_info("%zu articles (%zu stored), %zu gold events, %zu stories; clustered in %.2f s",
                 s.n, stats.articles, s.gold_clusters, s.clusters, secs);
    }
    free(gold);
    free(story);
    if (status == EXIT_OK && ev->skipped) {
        log_warn("%zu line%s skipped (see above)", ev->skipped, ev->skipped == 1 ? "" : "s");
        status = EXIT_PARTIAL;
    }
    return status;
}

int cmd_eval_cluster(CliContext *ctx, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(eval_cluster_help, stdout);
        return EXIT_OK;
    }
    const char *label = "event", *id = "id", *out = NULL;
    ArgSpec specs[] = {{"label", 1, &label}, {"id", 1, &id}, {"out", 1, &out}, {0}};
    char **pos = xmalloc(((size_t)argc + 1) * sizeof *pos);
    int n_pos;
    if (args_parse("eval cluster", argc, argv, specs, pos, &n_pos) != 0) {
        free(pos);
        return EXIT_USAGE;
    }
    if (n_pos != 1 || !*label || !*id) {
        fputs(n_pos == 0   ? "storywire eval cluster: no input file (see 'storywire eval cluster --help')\n"
              : n_pos > 1 ? "storywire eval cluster: one input file only (see 'storywire eval cluster --help')\n"
                          : "storywire eval cluster: --label and --id need a key\n",
              stderr);
        free(pos);
        return EXIT_USAGE;
    }
    ClusterModel m;
    if (cli_load_model(ctx, &m) != 0) {
        free(pos);
        return EXIT_FAIL;
    }
    if (tmp_create() != 0) {
        free(pos);
        return EXIT_FAIL;
    }
    Eval ev = {.path = pos[0], .label_key = label, .id_key = id};
    SwErr err;
    int status;
    if (store_open(tmp_paths[0], 0, &ev.st, &err) != 0) {
        log_error("%s", err.msg);
        status = EXIT_FAIL;
    } else {
        status = eval_run(&ev, &m, out);
        store_close(ev.st);
    }
    tmp_finish();
    arena_free(&ev.keep);
    strmap_free(&ev.labels);
    strmap_free(&ev.ids);
    intmap_free(&ev.rows);
    free(ev.docs);
    free(pos);
    return status;
}

int cmd_eval(CliContext *ctx, int argc, char **argv)
{
    if (argc >= 1 && strcmp(argv[0], "cluster") == 0)
        return cmd_eval_cluster(ctx, argc - 1, argv + 1);
    if (argc >= 1 && strcmp(argv[0], "summary") == 0)
        return cmd_eval_summary(ctx, argc - 1, argv + 1);
    if (cli_wants_help(argc, argv)) {
        fputs(eval_help, stdout);
        return EXIT_OK;
    }
    if (argc == 0)
        fputs("storywire eval: which evaluation? (see 'storywire eval --help')\n", stderr);
    else
        fprintf(stderr, "storywire eval: unknown evaluation '%s' (see 'storywire eval --help')\n", argv[0]);
    return EXIT_USAGE;
}
