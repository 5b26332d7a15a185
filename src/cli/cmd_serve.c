/* cmd_serve.c - `serve` and `demo`. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/log.h"
#include "../web/server.h"
#include "args.h"
#include "cli.h"

static const char serve_help[] =
    "Usage: storywire [--db PATH] serve [--listen ADDR:PORT] [--threads N] [--base-url URL]\n"
    "                 [--cache-size SIZE]\n\n"
    "Serves the story pages over HTTP until Ctrl-C (SIGINT) or SIGTERM:\n"
    "  /                      top stories (?page=N)\n"
    "  /story/SLUG            a story page\n"
    "  /api/stories           stories as JSON (?limit=, cursor=, since=, until=, source=, lang=)\n"
    "  /api/articles/ID       one article as JSON\n"
    "  /api/stories/SLUG      a story page as JSON\n"
    "  /healthz               health check\n"
    "  /metrics               Prometheus metrics\n"
    "  /feed.atom, /feed.json top stories as feeds; /story/SLUG.atom a story's updates\n"
    "Binds to 127.0.0.1 unless --listen says otherwise. See docs/http.md.\n\n"
    "Options:\n"
    "  --listen ADDR:PORT   address and port (default 127.0.0.1:8080; port 0 = any free port)\n"
    "  --threads N          worker threads (default 4)\n"
    "  --base-url URL       the site's public address, for links in feeds\n"
    "                       (default: http:// and the request's Host header)\n"
    "  --cache-size SIZE    memory for rendered pages kept ready to send, in bytes\n"
    "                       or with K, M or G (default 64M; 0 keeps none)\n"
    "  -h, --help           this help\n";

/* "64M", "512K", "1G", "100000": bytes, or -1 when not such a size (at
 * most 1 TB). */
static long long parse_size(const char *s)
{
    char *end;
    if (!*s || strspn(s, "0123456789") == 0)
        return -1;
    long long n = strtoll(s, &end, 10);
    long long unit = 1;
    if (*end == 'K' || *end == 'k')
        unit = 1LL << 10;
    else if (*end == 'M' || *end == 'm')
        unit = 1LL << 20;
    else if (*end == 'G' || *end == 'g')
        unit = 1LL << 30;
    if (unit > 1)
        end++;
    if (*end || n < 0 || n > (1LL << 40) / unit)
        return -1;
    return n * unit;
}

static void announce(void *ctx, const char *addr, uint16_t port)
{
    printf("storywire: serving at http://%s:%u/ (Ctrl-C to stop)\n", addr, (unsigned)port);
    fflush(stdout);
}

/* "ADDR:PORT", ":PORT" or "PORT" */
static int parse_listen(const char *s, char *addr, size_t addr_len, uint16_t *port)
{
    const char *colon = strrchr(s, ':');
    const char *port_s = colon ? colon + 1 : s;
    if (colon) {
        size_t n = (size_t)(colon - s);
        if (n >= addr_len)
            return -1;
        memcpy(addr, s, n);
        addr[n] = '\0';
        if (n == 0)
            snprintf(addr, addr_len, "127.0.0.1");
    } else {
        snprintf(addr, addr_len, "127.0.0.1");
    }
    char *end;
    long p = strtol(port_s, &end, 10);
    if (end == port_s || *end || p < 0 || p > 65535)
        return -1;
    *port = (uint16_t)p;
    return 0;
}

int cli_serve_db(const char *db_path, int argc, char **argv)
{
    const char *listen = "127.0.0.1:8080", *threads_s = "4", *base_url = NULL, *cache_s = NULL;
    const char *corpus = NULL; /* demo's own option, passed through */
    ArgSpec specs[] = {{"listen", 1, &listen}, {"threads", 1, &threads_s}, {"corpus", 1, &corpus},
                       {"base-url", 1, &base_url}, {"cache-size", 1, &cache_s}, {0}};
    char **pos = xmalloc(((size_t)argc + 1) * sizeof *pos);
    int n_pos;
    int bad = args_parse("serve", argc, argv, specs, pos, &n_pos) != 0;
    free(pos);
    if (bad || n_pos) {
        if (!bad)
            fputs("storywire serve: takes no arguments (see 'storywire serve --help')\n", stderr);
        return EXIT_USAGE;
    }
    char addr[64];
    if (base_url && strncmp(base_url, "http://", 7) != 0 && strncmp(base_url, "https://", 8) != 0) {
        fprintf(stderr, "storywire serve: --base-url must start with http:// or https://, not '%s'\n", base_url);
        return EXIT_USAGE;
    }
    ServerConfig cfg = {.db_path = db_path, .listen_addr = addr, .on_ready = announce, .base_url = base_url};
    if (parse_listen(listen, addr, sizeof addr, &cfg.port) != 0) {
        fprintf(stderr, "storywire serve: --listen must be ADDR:PORT (e.g. 127.0.0.1:8080), not '%s'\n", listen);
        return EXIT_USAGE;
    }
    long threads = args_long("serve", "threads", threads_s, 1, 256);
    if (threads < 0)
        return EXIT_USAGE;
    cfg.threads = (unsigned)threads;
    if (cache_s) {
        long long bytes = parse_size(cache_s);
        if (bytes < 0) {
            fprintf(stderr, "storywire serve: --cache-size must be a size such as 64M, 512K or 0, not '%s'\n",
                    cache_s);
            return EXIT_USAGE;
        }
        cfg.cache_bytes = bytes == 0 ? SERVER_CACHE_OFF : (size_t)bytes;
    }
    SwErr err;
    if (server_run(&cfg, &err) != 0) {
        log_error("%s", err.msg);
        return EXIT_FAIL;
    }
    log_info("stopped");
    return EXIT_OK;
}

int cmd_serve(CliContext *ctx, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(serve_help, stdout);
        return EXIT_OK;
    }
    if (access(ctx->db_path, R_OK) != 0) {
        log_error("%s: no such database; create it with 'storywire --db %s ingest FILE'", ctx->db_path,
                  ctx->db_path);
        return EXIT_FAIL;
    }
    return cli_serve_db(ctx->db_path, argc, argv);
}

static const char demo_help[] =
    "Usage: storywire [--db PATH] demo [--corpus FILE] [--listen ADDR:PORT]\n\n"
    "Loads the demo corpus (about 90 invented articles on 16+ events) into the\n"
    "database, writes the stories and serves them, as 'make run' does.\n"
    "Loading twice adds nothing. The corpus is found at --corpus, else\n"
    "$STORYWIRE_DEMO, else data/demo/articles.jsonl beside the executable or\n"
    "in the current directory. A knowledge-base file kb.tsv beside the corpus\n"
    "is loaded too (background lines for its invented places).\n\n"
    "Options:\n"
    "  --corpus FILE        the corpus to load\n"
    "  --listen ADDR:PORT   as for serve (default 127.0.0.1:8080)\n"
    "  --threads N          as for serve\n"
    "  -h, --help           this help\n";

static const char *find_corpus(const char *given, char *buf, size_t n)
{
    if (given)
        return given;
    const char *env = getenv("STORYWIRE_DEMO");
    if (env && *env)
        return env;
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(buf, n, "%s/data/demo/articles.jsonl", exe);
            if (access(buf, R_OK) == 0)
                return buf;
            snprintf(buf, n, "%s/../../data/demo/articles.jsonl", exe); /* build/<mode>/storywire */
            if (access(buf, R_OK) == 0)
                return buf;
        }
    }
    return "data/demo/articles.jsonl";
}

int cmd_demo(CliContext *ctx, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(demo_help, stdout);
        return EXIT_OK;
    }
    const char *corpus = NULL, *listen = NULL, *threads = NULL;
    ArgSpec specs[] = {{"corpus", 1, &corpus}, {"listen", 1, &listen}, {"threads", 1, &threads}, {0}};
    char **pos = xmalloc(((size_t)argc + 1) * sizeof *pos);
    int n_pos;
    int bad = args_parse("demo", argc, argv, specs, pos, &n_pos) != 0;
    free(pos);
    if (bad || n_pos) {
        if (!bad)
            fputs("storywire demo: takes no arguments (see 'storywire demo --help')\n", stderr);
        return EXIT_USAGE;
    }
    char path[PATH_MAX + 64];
    const char *file = find_corpus(corpus, path, sizeof path);
    /* the invented world's own background lines, beside the corpus */
    static char kb_path[PATH_MAX + 64];
    const char *slash = strrchr(file, '/');
    snprintf(kb_path, sizeof kb_path, "%.*skb.tsv", slash ? (int)(slash - file + 1) : 0, file);
    if (access(kb_path, R_OK) == 0)
        kb_config_add_file(kb_path);
    log_info("loading the demo corpus %s into %s", file, ctx->db_path);
    char *ingest_argv[] = {(char *)file, NULL};
    int rc = cmd_ingest(ctx, 1, ingest_argv);
    if (rc != EXIT_OK) {
        log_error("the demo corpus did not load cleanly (status %d)", rc);
        return rc;
    }
    return cli_serve_db(ctx->db_path, argc, argv);
}
