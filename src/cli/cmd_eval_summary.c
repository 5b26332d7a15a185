/* cmd_eval_summary.c - `storywire eval summary`: how good are the page
 * writer's summaries? Reads clusters of articles with reference summaries,
 * lets the writer's selection (page_select_summary) pick sentences up to a
 * word budget, and scores them with ROUGE as ROUGE-1.5.5 does with
 * `-n 2 -2 4 -u -m -l BUDGET` (src/eval/rouge.c), so the numbers compare
 * with published ones.
 *
 * Two passes over the file: the first counts document frequencies over
 * all its articles (the writer's TF-IDF needs them; a story database would
 * supply them in normal use), the second writes and scores.
 *
 * With --score FILE the summaries come from FILE instead (another system's,
 * e.g. the baselines of bench/summary) and go through the same ROUGE, so
 * every system is scored alike. */
#include "cmd_eval_summary.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../analyze/doc.h"
#include "../core/buf.h"
#include "../core/fileio.h"
#include "../core/json.h"
#include "../core/map.h"
#include "../core/timeutil.h"
#include "../eval/rouge.h"
#include "../ingest/ingest.h"
#include "../story/writer.h"
#include "../text/sentence.h"
#include "args.h"

#define DEFAULT_WORDS 100
#define MAX_LINE (256u << 20)

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: storywire eval summary [--words N] [--out FILE] [--score SUMMARIES] [--wordnet-exc FILE] [--no-idf] FILE.jsonl\n\n"
            "Scores the page writer's summaries with ROUGE against reference summaries.\n"
            "FILE has one cluster a line:\n"
            "  {\"id\": \"c1\", \"docs\": [{\"title\": ..., \"text\": ..., \"source\": ..., \"published\": ...}, ...],\n"
            "   \"refs\": [\"reference summary\", ...], \"words\": 250}\n"
            "docs are article objects as `ingest` reads them; \"words\" (optional) is the\n"
            "cluster's word budget and overrides --words.\n\n"
            "For each cluster the writer picks whole sentences (its candidate scores, MMR and\n"
            "lead bias) until the budget is reached; ROUGE-1.5.5 with -n 2 -2 4 -u -m -l BUDGET\n"
            "(the summary and the references cut to BUDGET words, Porter stemming with the\n"
            "WordNet exception list, stop words kept, F with alpha 0.5, pooled references)\n"
            "scores them. Prints one JSON object: rouge_1, rouge_2, rouge_l, rouge_su4 (each\n"
            "{r, p, f}, means over clusters), clusters, clusters_per_sec.\n\n"
            "Options:\n"
            "  --words N            word budget of a summary (default %d)\n"
            "  --out FILE           also write each summary: {\"id\", \"summary\": [sentences]} a line\n"
            "  --score SUMMARIES    score these summaries (lines as --out writes them, matched to the\n"
            "                       clusters by id) instead of the writer's; a cluster with no summary\n"
            "                       there is reported and skipped\n"
            "  --wordnet-exc FILE   stemming exceptions (\"word<TAB>base\", or WordNet *.exc lines);\n"
            "                       default: /usr/share/wordnet/*.exc when installed (wordnet-base)\n"
            "  --no-idf             weigh all terms alike (default: IDF from the file's articles)\n\n"
            "Exit status: 0, 1 when nothing could be scored, 2 when some lines were skipped.\n",
            DEFAULT_WORDS);
}

typedef struct DfTable {
    IntMap df;
    size_t n_docs;
} DfTable;

static double df_idf(void *ctx, uint32_t term)
{
    const DfTable *t = ctx;
    int64_t *d = intmap_get(&t->df, term);
    double df = d ? (double)*d : 0.0;
    return log(((double)t->n_docs + 1.0) / (df + 1.0)) + 1.0;
}

/* An Article from an ingest-format object (strings stay in the JSON). */
static int article_of(Arena *a, const JsonValue *o, Article *art)
{
    memset(art, 0, sizeof *art);
    if (!o || o->type != JSON_OBJECT)
        return -1;
    art->title = json_get_str(o, "title");
    art->text = json_get_str(o, "text");
    if (!art->text) {
        const char *html = json_get_str(o, "html");
        if (html)
            art->text = ingest_html_to_text(a, html, strlen(html));
    }
    art->url = json_get_str(o, "url");
    art->source = json_get_str(o, "source");
    art->lang = json_get_str(o, "lang");
    art->author = json_get_str(o, "author");
    const JsonValue *p = json_get(o, "published");
    if (p && p->type == JSON_STRING)
        time_parse(p->u.str.s, &art->published);
    else if (p && p->type == JSON_NUMBER)
        art->published = (int64_t)p->u.number;
    if (!art->title)
        art->title = "";
    if (!art->text)
        art->text = "";
    return art->title[0] || art->text[0] ? 0 : -1;
}

/* The sentences of a reference, as ROUGE's units. */
static RougeText ref_units(Arena *a, const char *s)
{
    SentenceSpan *sp;
    size_t n = sentence_split(a, s, strlen(s), "en", &sp);
    const char **u = ARENA_ARRAY(a, const char *, n ? n : 1);
    for (size_t i = 0; i < n; i++)
        u[i] = arena_strndup(a, s + sp[i].start, sp[i].len);
    return (RougeText){u, n};
}

static void put_prf(Buf *b, const char *name, const RougePRF *x)
{
    buf_printf(b, "\"%s\": {\"r\": %.5f, \"p\": %.5f, \"f\": %.5f}", name, x->r, x->p, x->f);
}

/* Summaries of another system, by cluster id: each entry's val.ptr is a
 * RougeText in the arena. */
typedef struct PeerSet {
    StrMap by_id;
    Arena a;
} PeerSet;

static int peers_load(PeerSet *ps, const char *path, SwErr *err)
{
    LineReader *lr = lines_open(path, err);
    if (!lr)
        return -1;
    lines_set_limit(lr, MAX_LINE);
    Buf line = {0};
    int got, rc = 0;
    while ((got = lines_next(lr, &line, err)) != 0) {
        if (got < 0) {
            rc = -1;
            break;
        }
        size_t lineno = lines_number(lr);
        if (strspn(buf_cstr(&line), " \t\r") == line.len)
            continue;
        SwErr perr = {0};
        JsonValue *v = got == LINES_TOO_LONG ? NULL : json_parse(&ps->a, line.data, line.len, &perr);
        const char *id = v ? json_get_str(v, "id") : NULL;
        const JsonValue *sum = v ? json_get(v, "summary") : NULL;
        if (!id || !sum || sum->type != JSON_ARRAY) {
            rc = sw_err(err, "%s:%zu: %s", path, lineno,
                        got == LINES_TOO_LONG ? "line too long"
                        : !v ? perr.msg : "expected {\"id\": ..., \"summary\": [sentences]}");
            break;
        }
        const char **units = ARENA_ARRAY(&ps->a, const char *, sum->u.arr.n ? sum->u.arr.n : 1);
        size_t n = 0;
        for (size_t i = 0; i < sum->u.arr.n; i++)
            if (sum->u.arr.items[i]->type == JSON_STRING)
                units[n++] = sum->u.arr.items[i]->u.str.s;
        RougeText *t = ARENA_NEW(&ps->a, RougeText);
        *t = (RougeText){units, n};
        strmap_put(&ps->by_id, id, strlen(id), NULL)->val.ptr = t;
    }
    buf_free(&line);
    lines_close(lr);
    return rc;
}

static int load_default_exceptions(Rouge *r)
{
    static const char *const files[] = {"/usr/share/wordnet/verb.exc", "/usr/share/wordnet/noun.exc",
                                        "/usr/share/wordnet/adj.exc", "/usr/share/wordnet/adv.exc"};
    int loaded = 0;
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        SwErr err = {0};
        FILE *f = fopen(files[i], "r");
        if (!f)
            continue;
        fclose(f);
        if (rouge_load_exceptions(r, files[i], &err) == 0)
            loaded++;
    }
    return loaded;
}

int cmd_eval_summary(CliContext *ctx, int argc, char **argv)
{
    (void)ctx;
    if (cli_wants_help(argc, argv)) {
        usage(stdout);
        return EXIT_OK;
    }
    const char *words_s = NULL, *out_path = NULL, *exc_path = NULL, *no_idf = NULL, *score_path = NULL;
    ArgSpec specs[] = {{"words", 1, &words_s},
                       {"out", 1, &out_path},
                       {"score", 1, &score_path},
                       {"wordnet-exc", 1, &exc_path},
                       {"no-idf", 0, &no_idf},
                       {NULL, 0, NULL}};
    char **pos = xcalloc((size_t)argc + 1, sizeof *pos);
    int n_pos = 0;
    if (args_parse("eval summary", argc, argv, specs, pos, &n_pos) < 0) {
        free(pos);
        return EXIT_USAGE;
    }
    if (n_pos != 1) {
        fprintf(stderr, "storywire eval summary: expected one FILE.jsonl (see 'storywire eval summary --help')\n");
        free(pos);
        return EXIT_USAGE;
    }
    const char *path = pos[0];
    free(pos);
    long words = DEFAULT_WORDS;
    if (words_s && (words = args_long("eval summary", "words", words_s, 1, 100000)) < 0)
        return EXIT_USAGE;

    RougeOptions ro;
    rouge_options_default(&ro);
    Rouge *rouge = rouge_new(&ro);
    SwErr err = {0};
    if (exc_path) {
        if (rouge_load_exceptions(rouge, exc_path, &err) < 0) {
            fprintf(stderr, "storywire eval summary: %s\n", err.msg);
            rouge_free(rouge);
            return EXIT_FAIL;
        }
    } else if (!load_default_exceptions(rouge)) {
        fprintf(stderr, "storywire eval summary: warning: no WordNet exception list (install wordnet-base or "
                        "give --wordnet-exc); stemming is Porter's alone\n");
    }

    PeerSet peers = {0};
    if (score_path && peers_load(&peers, score_path, &err) < 0) {
        fprintf(stderr, "storywire eval summary: %s\n", err.msg);
        strmap_free(&peers.by_id);
        arena_free(&peers.a);
        rouge_free(rouge);
        return EXIT_FAIL;
    }

    FILE *out = NULL;
    if (out_path && !(out = fopen(out_path, "w"))) {
        fprintf(stderr, "storywire eval summary: cannot write %s\n", out_path);
        rouge_free(rouge);
        return EXIT_FAIL;
    }

    DocAnalyzer *da = doc_analyzer_new();
    DfTable df = {0};
    Buf line = {0}, ob = {0};
    RougeMean mean = {0};
    size_t skipped = 0, clusters = 0;
    int rc = EXIT_OK;
    struct timespec t0, t1;

    for (int pass = 0; pass < 2; pass++) {
        if (pass == 0 && (no_idf || score_path))
            continue;
        if (pass == 1)
            clock_gettime(CLOCK_MONOTONIC, &t0);
        LineReader *lr = lines_open(path, &err);
        if (!lr) {
            fprintf(stderr, "storywire eval summary: %s\n", err.msg);
            rc = EXIT_FAIL;
            break;
        }
        lines_set_limit(lr, MAX_LINE);
        int got;
        while ((got = lines_next(lr, &line, &err)) != 0) {
            if (got < 0) {
                fprintf(stderr, "storywire eval summary: %s: %s\n", path, err.msg);
                rc = EXIT_FAIL;
                break;
            }
            size_t lineno = lines_number(lr);
            const char *s = buf_cstr(&line);
            if (strspn(s, " \t\r") == line.len)
                continue;
            Arena a = {0};
            JsonValue *v = got == LINES_TOO_LONG ? NULL : json_parse(&a, s, line.len, &err);
            const JsonValue *docs = v ? json_get(v, "docs") : NULL;
            const JsonValue *refs = v ? json_get(v, "refs") : NULL;
            const char *why = got == LINES_TOO_LONG ? "line too long"
                              : !v ? err.msg
                              : v->type != JSON_OBJECT ? "not a JSON object"
                              : !docs || docs->type != JSON_ARRAY || docs->u.arr.n == 0 ? "no \"docs\" array"
                              : !refs || refs->type != JSON_ARRAY || refs->u.arr.n == 0 ? "no \"refs\" array"
                              : NULL;
            if (why) {
                if (pass == 1) {
                    fprintf(stderr, "%s:%zu: %s\n", path, lineno, why);
                    skipped++;
                }
                arena_free(&a);
                continue;
            }
            const char *id = json_get_str(v, "id");
            const RougeText *given = NULL;
            if (score_path) {
                StrMapEntry *e = id ? strmap_get(&peers.by_id, id, strlen(id)) : NULL;
                if (!e) {
                    fprintf(stderr, "%s:%zu: no summary for cluster %s in %s\n", path, lineno,
                            id ? id : "(no id)", score_path);
                    skipped++;
                    arena_free(&a);
                    continue;
                }
                given = e->val.ptr;
            }
            size_t nd = score_path ? 0 : docs->u.arr.n;
            Doc *dv = ARENA_ARRAY(&a, Doc, nd ? nd : 1);
            WriterMember *mem = ARENA_ARRAY(&a, WriterMember, nd ? nd : 1);
            size_t n_mem = 0;
            for (size_t i = 0; i < nd; i++) {
                Article *art = ARENA_NEW(&a, Article);
                if (article_of(&a, docs->u.arr.items[i], art) < 0)
                    continue;
                doc_analyze(da, &a, art, &dv[n_mem]);
                if (pass == 0) {
                    const TermVec *tv = &dv[n_mem].body_terms;
                    for (uint32_t t = 0; t < tv->n; t++)
                        (*intmap_put(&df.df, tv->terms[t].id, NULL))++;
                    df.n_docs++;
                    continue;
                }
                mem[n_mem].doc = &dv[n_mem];
                mem[n_mem].outlet = art->source ? art->source : "";
                n_mem++;
            }
            if (pass == 0) {
                arena_free(&a);
                continue;
            }
            long budget = (long)json_get_int(v, "words", words);
            if (budget < 1)
                budget = words;

            WriterInput in = {0};
            in.members = mem;
            in.n_members = n_mem;
            in.article_count = (int)n_mem;
            in.idf = no_idf ? NULL : df_idf;
            in.idf_ctx = &df;
            const char **sel = NULL;
            size_t n_sel = 0;
            if (given)
                sel = (const char **)given->units, n_sel = given->n;
            else if (n_mem)
                n_sel = page_select_summary(&a, &in, (size_t)budget, &sel);

            RougeText *models = ARENA_ARRAY(&a, RougeText, refs->u.arr.n);
            size_t nm = 0;
            for (size_t i = 0; i < refs->u.arr.n; i++) {
                const JsonValue *r = refs->u.arr.items[i];
                if (r && r->type == JSON_STRING)
                    models[nm++] = ref_units(&a, r->u.str.s);
            }
            if (nm == 0) {
                fprintf(stderr, "%s:%zu: no reference summary is a string\n", path, lineno);
                skipped++;
                arena_free(&a);
                continue;
            }
            RougeText peer = {sel, n_sel};
            RougeScores sc;
            rouge_set_limits(rouge, (size_t)budget, 0);
            rouge_score(rouge, &peer, models, nm, &sc);
            rouge_mean_add(&mean, &sc);
            clusters++;
            if (out) {
                buf_reset(&ob);
                buf_puts(&ob, "{\"id\": ");
                if (id)
                    buf_json_cstr(&ob, id);
                else
                    buf_printf(&ob, "\"%zu\"", lineno);
                buf_puts(&ob, ", \"summary\": [");
                for (size_t i = 0; i < n_sel; i++) {
                    if (i)
                        buf_puts(&ob, ", ");
                    buf_json_cstr(&ob, sel[i]);
                }
                buf_puts(&ob, "]}\n");
                fwrite(ob.data, 1, ob.len, out);
            }
            arena_free(&a);
        }
        lines_close(lr);
        if (rc != EXIT_OK)
            break;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);

    if (rc == EXIT_OK) {
        if (clusters == 0) {
            fprintf(stderr, "storywire eval summary: %s: no cluster could be scored\n", path);
            rc = EXIT_FAIL;
        } else {
            RougeScores m;
            rouge_mean_get(&mean, &m);
            double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
            buf_reset(&ob);
            buf_puts(&ob, "{");
            put_prf(&ob, "rouge_1", &m.n[0]);
            buf_puts(&ob, ", ");
            put_prf(&ob, "rouge_2", &m.n[1]);
            buf_puts(&ob, ", ");
            put_prf(&ob, "rouge_l", &m.l);
            buf_puts(&ob, ", ");
            put_prf(&ob, "rouge_su4", &m.s);
            buf_printf(&ob, ", \"clusters\": %zu, \"skipped\": %zu, \"clusters_per_sec\": %.1f, "
                            "\"rouge_settings\": \"-n 2 -2 4 -u -m -l WORDS\", \"idf\": %s}\n",
                       clusters, skipped, secs > 0 ? (double)clusters / secs : 0.0, no_idf ? "false" : "true");
            fputs(buf_cstr(&ob), stdout);
            if (skipped)
                rc = EXIT_PARTIAL;
        }
    }
    if (out && fclose(out) != 0) {
        fprintf(stderr, "storywire eval summary: error writing %s\n", out_path);
        rc = EXIT_FAIL;
    }
    buf_free(&line);
    buf_free(&ob);
    intmap_free(&df.df);
    strmap_free(&peers.by_id);
    arena_free(&peers.a);
    doc_analyzer_free(da);
    rouge_free(rouge);
    return rc;
}
