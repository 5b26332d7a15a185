/* cmd_feeds.c - `feeds add|import|export|list|remove`, `fetch` and `run`.
 *
 * Settings for fetching come from the defaults, then the config file
 * (--config FILE, else $STORYWIRE_CONF, else ./storywire.conf when it
 * exists), then one flag per setting (--host-delay 2s); docs/feeds.md. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../core/log.h"
#include "../core/timeutil.h"
#include "../feeds/feed.h"
#include "../fetch/fetch_config.h"
#include "../store/feeds.h"
#include "../web/server.h"
#include "args.h"
#include "cli.h"
#include "poll.h"

/* ---- settings ---- */

#define MAX_SETTINGS 32

typedef struct Settings {
    FetchConfig cfg;
    const char *config;              /* --config */
    const char *values[MAX_SETTINGS];
    char *flags[MAX_SETTINGS];       /* flag spellings: "host-delay" */
    size_t n;
} Settings;

/* Appends --config and one option per setting to specs at *k. */
static void settings_specs(Settings *s, ArgSpec *specs, size_t *k)
{
    specs[(*k)++] = (ArgSpec){"config", 1, &s->config};
    for (s->n = 0; fetch_config_key(s->n) && s->n < MAX_SETTINGS; s->n++) {
        char *flag = xstrdup(fetch_config_key(s->n));
        for (char *p = flag; *p; p++)
            if (*p == '_')
                *p = '-';
        s->flags[s->n] = flag;
        specs[(*k)++] = (ArgSpec){flag, 1, &s->values[s->n]};
    }
}

static void settings_free(Settings *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->flags[i]);
}

/* Defaults, then the config file, then the flags. */
static int settings_load(Settings *s, const char *command)
{
    fetch_config_defaults(&s->cfg);
    const char *path = s->config;
    if (!path) {
        const char *env = getenv("STORYWIRE_CONF");
        if (env && *env)
            path = env;
        else if (access("storywire.conf", R_OK) == 0)
            path = "storywire.conf";
    }
    SwErr err;
    if (path && fetch_config_load(&s->cfg, path, &err) != 0) {
        fprintf(stderr, "storywire %s: %s\n", command, err.msg);
        return -1;
    }
    for (size_t i = 0; i < s->n; i++) {
        if (!s->values[i])
            continue;
        if (fetch_config_set(&s->cfg, fetch_config_key(i), s->values[i], &err) != 0) {
            fprintf(stderr, "storywire %s: --%s\n", command, err.msg);
            return -1;
        }
    }
    if (s->cfg.min_interval > s->cfg.max_interval) {
        fprintf(stderr, "storywire %s: min_interval is longer than max_interval\n", command);
        return -1;
    }
    return 0;
}

static void print_settings_help(void)
{
    Buf b = {0};
    fetch_config_help(&b);
    fputs("\nFetch settings (also in the config file as key = value; docs/feeds.md):\n"
          "  --config FILE                config file (default $STORYWIRE_CONF, else ./storywire.conf)\n",
          stdout);
    fputs(buf_cstr(&b), stdout);
    buf_free(&b);
}

/* ---- feeds add ---- */

/* Reads what a URL serves: a feed (its title and site), or a page whose
 * <link rel="alternate"> names the feed (then fetched in turn). */
static int resolve_feed(const FetchConfig *cfg, const char *url, char **feed_url, char **title, char **site,
                        SwErr *err)
{
    char *body, *final_url;
    size_t len;
    char charset[64];
    *feed_url = *title = *site = NULL;
    if (poller_fetch_one(cfg, url, &body, &len, &final_url, charset, sizeof charset, err) != 0)
        return -1;
    Feed feed;
    SwErr perr;
    int rc = -1;
    if (feed_parse(body, len, final_url, charset[0] ? charset : NULL, &feed, &perr) == 0) {
        *feed_url = xstrdup(url);
        *title = feed.title && *feed.title ? xstrdup(feed.title) : NULL;
        *site = feed.link ? xstrdup(feed.link) : NULL;
        feed_free(&feed);
        rc = 0;
    } else {
        char **urls = NULL;
        size_t n = 0;
        if (feed_discover(body, len, final_url, &urls, &n, err) == 0 && n > 0) {
            log_info("%s is a web page; it names the feed %s", url, urls[0]);
            char *inner_title, *inner_site, *inner_url;
            if (resolve_feed(cfg, urls[0], &inner_url, &inner_title, &inner_site, err) == 0) {
                *feed_url = inner_url;
                *title = inner_title;
                *site = inner_site ? inner_site : xstrdup(final_url);
                rc = 0;
            }
        } else if (n == 0) {
            sw_err(err, "%s is neither a feed (%s) nor a page that names one (no <link rel=\"alternate\">)", url,
                   perr.msg);
        }
        feed_urls_free(urls, n);
    }
    free(body);
    free(final_url);
    return rc;
}

static const char feeds_help[] =
    "Usage: storywire [--db PATH] feeds SUBCOMMAND ...\n\n"
    "Manages the feeds storywire polls (docs/feeds.md):\n"
    "  feeds add URL [--name NAME] [--no-check]\n"
    "                         subscribe to a feed; a web page URL is searched for\n"
    "                         its feed (<link rel=\"alternate\">). The URL is fetched\n"
    "                         once to check it, unless --no-check.\n"
    "  feeds import FILE.opml subscribe to every feed of an OPML file\n"
    "  feeds export           print the subscriptions as OPML 2.0\n"
    "  feeds list             status, last success, last error, next poll, items\n"
    "  feeds remove ID        unsubscribe (the stored articles stay)\n\n"
    "Then 'storywire fetch' polls them and 'storywire run' keeps polling.\n"
    "Options:\n"
    "  -h, --help             this help\n";

static int feeds_add(CliContext *ctx, int argc, char **argv)
{
    const char *name = NULL, *no_check = NULL;
    Settings s = {0};
    ArgSpec specs[MAX_SETTINGS + 8];
    size_t k = 0;
    specs[k++] = (ArgSpec){"name", 1, &name};
    specs[k++] = (ArgSpec){"no-check", 0, &no_check};
    settings_specs(&s, specs, &k);
    specs[k] = (ArgSpec){0};
    char **pos = xmalloc(((size_t)argc + 1) * sizeof *pos);
    int n_pos, rc = EXIT_USAGE;
    if (args_parse("feeds add", argc, argv, specs, pos, &n_pos) != 0)
        goto out;
    if (n_pos != 1) {
        fputs("storywire feeds add: give one URL (see 'storywire feeds --help')\n", stderr);
        goto out;
    }
    if (settings_load(&s, "feeds add") != 0)
        goto out;
    char host[256];
    if (fetch_url_host(pos[0], host, sizeof host) != 0) {
        fprintf(stderr, "storywire feeds add: '%s' is not an http:// or https:// URL\n", pos[0]);
        goto out;
    }
    char *feed_url = NULL, *title = NULL, *site = NULL;
    SwErr err;
    rc = EXIT_FAIL;
    if (no_check) {
        feed_url = xstrdup(pos[0]);
    } else if (resolve_feed(&s.cfg, pos[0], &feed_url, &title, &site, &err) != 0) {
        log_error("%s", err.msg);
        log_error("not added; use --no-check to subscribe anyway");
        goto out;
    }
    Store *st = cli_open_store(ctx, 0);
    if (st) {
        int64_t id;
        int added;
        if (store_feed_add(st, feed_url, name ? name : title, site, time_now(), &id, &added, &err) != 0) {
            log_error("%s", err.msg);
        } else {
            printf("%s feed %lld: %s%s%s\n", added ? "added" : "already subscribed:", (long long)id, feed_url,
                   (name || title) ? " - " : "", name ? name : title ? title : "");
            rc = EXIT_OK;
        }
        store_close(st);
    }
    free(feed_url);
    free(title);
    free(site);
out:
    settings_free(&s);
    free(pos);
    return rc;
}

static int read_whole(const char *path, char **data, size_t *len, SwErr *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return sw_err(err, "%s: %s", path, strerror(errno));
    Buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > 64u << 20) {
            fclose(f);
            buf_free(&b);
            return sw_err(err, "%s: larger than 64 MiB; not an OPML file", path);
        }
        buf_append(&b, chunk, n);
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        buf_free(&b);
        return sw_err(err, "%s: read error", path);
    }
    *len = b.len;
    *data = b.len ? buf_detach(&b) : xstrdup("");
    return 0;
}

static int feeds_import(CliContext *ctx, int argc, char **argv)
{
    if (argc != 1 || argv[0][0] == '-') {
        fputs("storywire feeds import: give one OPML file (see 'storywire feeds --help')\n", stderr);
        return EXIT_USAGE;
    }
    char *data;
    size_t len;
    SwErr err;
    if (read_whole(argv[0], &data, &len, &err) != 0) {
        log_error("%s", err.msg);
        return EXIT_FAIL;
    }
    OpmlOutline *o = NULL;
    size_t n = 0;
    if (opml_parse(data, len, &o, &n, &err) != 0) {
        log_error("%s: %s", argv[0], err.msg);
        free(data);
        return EXIT_FAIL;
    }
    free(data);
    Store *st = cli_open_store(ctx, 0);
    if (!st) {
        opml_free(o, n);
        return EXIT_FAIL;
    }
    int rc = EXIT_OK;
    size_t added = 0, existing = 0, skipped = 0;
    int64_t now = time_now();
    if (store_begin(st, &err) != 0) {
        log_error("%s", err.msg);
        rc = EXIT_FAIL;
    }
    for (size_t i = 0; rc == EXIT_OK && i < n; i++) {
        char host[256];
        if (!o[i].xml_url || fetch_url_host(o[i].xml_url, host, sizeof host) != 0) {
            log_warn("%s: outline %zu (%s): xmlUrl '%s' is not an http(s) URL (skipped)", argv[0], i + 1,
                     o[i].title ? o[i].title : "untitled", o[i].xml_url ? o[i].xml_url : "");
            skipped++;
            continue;
        }
        int64_t id;
        int was_added;
        if (store_feed_add(st, o[i].xml_url, o[i].title, o[i].html_url, now, &id, &was_added, &err) != 0) {
            log_error("%s", err.msg);
            rc = EXIT_FAIL;
            break;
        }
        if (was_added)
            added++;
        else
            existing++;
    }
    if (rc == EXIT_OK && store_commit(st, &err) != 0) {
        log_error("%s", err.msg);
        rc = EXIT_FAIL;
    }
    if (rc != EXIT_OK)
        store_rollback(st);
    else
        log_info("%s: %zu feed%s added, %zu already subscribed, %zu skipped", argv[0], added,
                 added == 1 ? "" : "s", existing, skipped);
    store_close(st);
    opml_free(o, n);
    return rc == EXIT_OK && skipped ? EXIT_PARTIAL : rc;
}

static int feeds_export(CliContext *ctx, int argc, char **argv)
{
    if (argc) {
        fputs("storywire feeds export: takes no arguments (see 'storywire feeds --help')\n", stderr);
        return EXIT_USAGE;
    }
    Store *st = cli_open_store(ctx, 0);
    if (!st)
        return EXIT_FAIL;
    Arena a = {0};
    FeedRow *rows;
    size_t n;
    SwErr err;
    int rc = EXIT_OK;
    if (store_feed_list(st, &a, &rows, &n, &err) != 0) {
        log_error("%s", err.msg);
        rc = EXIT_FAIL;
    } else {
        OpmlOutline *o = xcalloc(n + 1, sizeof *o);
        for (size_t i = 0; i < n; i++) {
            o[i].title = (char *)rows[i].name;
            o[i].xml_url = (char *)rows[i].url;
            o[i].html_url = (char *)rows[i].site_url;
        }
        Buf out = {0};
        opml_write(o, n, "storywire subscriptions", &out);
        if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
            log_error("cannot write to standard output");
            rc = EXIT_FAIL;
        }
        buf_free(&out);
        free(o);
        free(rows);
    }
    arena_free(&a);
    store_close(st);
    return rc;
}

static void format_when(int64_t t, char *out, size_t n)
{
    if (t <= 0)
        snprintf(out, n, "-");
    else
        time_format_rfc3339(t, out, n);
}

static int feeds_list(CliContext *ctx, int argc, char **argv)
{
    if (argc) {
        fputs("storywire feeds list: takes no arguments (see 'storywire feeds --help')\n", stderr);
        return EXIT_USAGE;
    }
    Store *st = cli_open_store(ctx, 0);
    if (!st)
        return EXIT_FAIL;
    Arena a = {0};
    FeedRow *rows;
    size_t n;
    SwErr err;
    int rc = EXIT_OK;
    if (store_feed_list(st, &a, &rows, &n, &err) != 0) {
        log_error("%s", err.msg);
        rc = EXIT_FAIL;
    } else if (n == 0) {
        log_info("no feeds yet: add one with 'storywire feeds add URL'");
    } else {
        printf("%-5s %-6s %-20s %-20s %6s %6s %5s  %s\n", "ID", "STATUS", "LAST SUCCESS", "NEXT POLL", "ITEMS",
               "NEW", "ERRS", "URL / NAME");
        for (size_t i = 0; i < n; i++) {
            const FeedRow *f = &rows[i];
            char ok[32], next[32];
            format_when(f->last_success, ok, sizeof ok);
            format_when(f->next_poll, next, sizeof next);
            if (f->next_poll == 0)
                snprintf(next, sizeof next, "now");
            printf("%-5lld %-6s %-20s %-20s %6lld %6lld %5d  %s\n", (long long)f->id, f->status, ok, next,
                   (long long)f->items_total, (long long)f->items_new, f->error_count, f->url);
            if (f->name)
                printf("%66s %s\n", "", f->name);
            if (f->last_error) {
                char when[32];
                format_when(f->last_attempt, when, sizeof when);
                printf("%66s last error (%s): %s\n", "", when, f->last_error);
            }
        }
    }
    free(n ? rows : NULL);
    arena_free(&a);
    store_close(st);
    return rc;
}

static int feeds_remove(CliContext *ctx, int argc, char **argv)
{
    if (argc != 1) {
        fputs("storywire feeds remove: give one feed ID (see 'storywire feeds list')\n", stderr);
        return EXIT_USAGE;
    }
    long id = args_long("feeds remove", "ID", argv[0], 1, 0x7fffffffL);
    if (id < 0)
        return EXIT_USAGE;
    Store *st = cli_open_store(ctx, 0);
    if (!st)
        return EXIT_FAIL;
    SwErr err;
    int rc = store_feed_remove(st, id, &err);
    store_close(st);
    if (rc == STORE_NOT_FOUND) {
        log_error("no feed %ld (see 'storywire feeds list')", id);
        return EXIT_FAIL;
    }
    if (rc != 0) {
        log_error("%s", err.msg);
        return EXIT_FAIL;
    }
    printf("removed feed %ld (its articles stay)\n", id);
    return EXIT_OK;
}

int cmd_feeds(CliContext *ctx, int argc, char **argv)
{
    if (argc == 0 || strcmp(argv[0], "-h") == 0 || strcmp(argv[0], "--help") == 0 ||
        strcmp(argv[0], "help") == 0) {
        fputs(feeds_help, argc == 0 ? stderr : stdout);
        if (argc && strcmp(argv[0], "help") != 0)
            print_settings_help();
        return argc == 0 ? EXIT_USAGE : EXIT_OK;
    }
    const char *sub = argv[0];
    if (cli_wants_help(argc - 1, argv + 1)) {
        fputs(feeds_help, stdout);
        if (strcmp(sub, "add") == 0)
            print_settings_help();
        return EXIT_OK;
    }
    if (strcmp(sub, "add") == 0)
        return feeds_add(ctx, argc - 1, argv + 1);
    if (strcmp(sub, "import") == 0)
        return feeds_import(ctx, argc - 1, argv + 1);
    if (strcmp(sub, "export") == 0)
        return feeds_export(ctx, argc - 1, argv + 1);
    if (strcmp(sub, "list") == 0)
        return feeds_list(ctx, argc - 1, argv + 1);
    if (strcmp(sub, "remove") == 0 || strcmp(sub, "rm") == 0)
        return feeds_remove(ctx, argc - 1, argv + 1);
    fprintf(stderr, "storywire feeds: unknown subcommand '%s' (add, import, export, list, remove)\n", sub);
    return EXIT_USAGE;
}

/* ---- fetch and run ---- */

static volatile sig_atomic_t stop_flag;

/* The first SIGINT/SIGTERM asks for a clean stop; a second one, when the
 * clean stop takes too long for the user, ends the process at once (what
 * was committed is kept). */
static void on_stop_signal(int sig)
{
    if (stop_flag) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    stop_flag = 1;
    server_request_stop();
}

static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

static void report_poll(const PollStats *ps)
{
    if (!ps->feeds)
        return;
    log_info("polled %zu feed%s: %zu read, %zu unchanged (304), %zu failed; %zu new item%s, %zu new article%s"
             "%s",
             ps->feeds, ps->feeds == 1 ? "" : "s", ps->ok, ps->not_modified, ps->failed, ps->items_new,
             ps->items_new == 1 ? "" : "s", ps->articles_added, ps->articles_added == 1 ? "" : "s",
             ps->moved ? "; some feeds moved (see above)" : "");
    log_info("http: %zu requests, at most %d in flight, %zu per-host violations, shortest same-host pause %.0f ms",
             ps->http.requests, ps->http.max_in_flight, ps->http.host_violations,
             ps->http.min_host_gap < 0 ? 0 : ps->http.min_host_gap * 1000);
    if (ps->pages_fetched || ps->robots_denied)
        log_info("full articles: %zu page%s fetched, %zu not allowed by robots.txt", ps->pages_fetched,
                 ps->pages_fetched == 1 ? "" : "s", ps->robots_denied);
    if (ps->robots_fetched || ps->robots_cached)
        log_info("robots.txt: %zu fetched, %zu from the store", ps->robots_fetched, ps->robots_cached);
}

static int update_stories(CliContext *ctx, Store *st)
{
    ClusterModel m;
    if (cli_load_model(ctx, &m) != 0)
        return -1;
    UpdateStats u;
    SwErr err;
    if (pipeline_update(st, &m, 0, &u, &err) != 0) {
        log_error("update stopped: %s", err.msg);
        return -1;
    }
    if (u.articles)
        log_info("clustered %zu article%s: %zu new stor%s, %zu joined; %zu page%s written", u.articles,
                 u.articles == 1 ? "" : "s", u.new_stories, u.new_stories == 1 ? "y" : "ies", u.joined, u.pages,
                 u.pages == 1 ? "" : "s");
    return 0;
}

static const char fetch_help[] =
    "Usage: storywire [--db PATH] fetch [--all] [--no-update] [SETTINGS]\n\n"
    "Polls every feed that is due once (with --all every feed now, still with\n"
    "conditional requests), stores the new items as articles, then clusters\n"
    "them into stories and writes the pages (unless --no-update).\n"
    "A feed that fails is marked with its error and retried later (see\n"
    "'storywire feeds list'); the others go on. Ctrl-C stops starting new\n"
    "requests and stores what is in flight; a second Ctrl-C quits at once.\n"
    "Exit status: 0 every feed polled fine, 2 some feeds failed, 1 failure.\n\n"
    "Options:\n"
    "  --all          poll every feed now, due or not\n"
    "  --no-update    store the items only; run 'storywire update' later\n"
    "  -h, --help     this help\n";

int cmd_fetch(CliContext *ctx, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(fetch_help, stdout);
        print_settings_help();
        return EXIT_OK;
    }
    const char *all = NULL, *no_update = NULL;
    Settings s = {0};
    ArgSpec specs[MAX_SETTINGS + 8];
    size_t k = 0;
    specs[k++] = (ArgSpec){"all", 0, &all};
    specs[k++] = (ArgSpec){"no-update", 0, &no_update};
    settings_specs(&s, specs, &k);
    specs[k] = (ArgSpec){0};
    char **pos = xmalloc(((size_t)argc + 1) * sizeof *pos);
    int n_pos, rc = EXIT_USAGE;
    if (args_parse("fetch", argc, argv, specs, pos, &n_pos) != 0)
        goto out;
    if (n_pos) {
        fputs("storywire fetch: takes no arguments (see 'storywire fetch --help')\n", stderr);
        goto out;
    }
    if (settings_load(&s, "fetch") != 0)
        goto out;
    rc = EXIT_FAIL;
    Store *st = cli_open_store(ctx, 0);
    if (!st)
        goto out;
    SwErr err;
    Poller *p = poller_new(st, &s.cfg, &err);
    if (!p) {
        log_error("%s", err.msg);
        store_close(st);
        goto out;
    }
    stop_flag = 0;
    catch_signals();
    poller_show_progress(p, !log_quiet);
    PollStats ps;
    if (poller_poll(p, all != NULL, &stop_flag, &ps, &err) != 0) {
        log_error("%s", err.msg);
    } else {
        report_poll(&ps);
        if (ps.feeds == 0)
            log_info("no feed is due%s", all ? "" : " (use --all to poll every feed now)");
        rc = ps.failed ? EXIT_PARTIAL : EXIT_OK;
        if (!no_update && !stop_flag && update_stories(ctx, st) != 0)
            rc = EXIT_FAIL;
    }
    poller_free(p);
    store_close(st);
out:
    settings_free(&s);
    free(pos);
    return rc;
}

/* `run`: the server on its own thread, polling and updating on this one. */

typedef struct ServeThread {
    ServerConfig cfg;
    char addr[64];
    SwErr err;
    int rc;
    volatile sig_atomic_t ready;
    volatile sig_atomic_t started; /* listening (ready may also mean failed) */
} ServeThread;

static void serve_ready(void *ctx, const char *addr, uint16_t port)
{
    ServeThread *t = ctx;
    /* the server has set its own signal handlers; ours also stop the poller */
    catch_signals();
    printf("storywire: serving at http://%s:%u/ and polling feeds (Ctrl-C to stop)\n", addr, (unsigned)port);
    fflush(stdout);
    t->started = 1;
    t->ready = 1;
}

static void *serve_main(void *arg)
{
    ServeThread *t = arg;
    t->rc = server_run(&t->cfg, &t->err);
    if (t->rc != 0) {
        stop_flag = 1; /* the server could not start: the poller stops too */
        t->ready = 1;
    }
    return NULL;
}

/* Sleeps up to seconds, waking early on stop. */
static void nap(double seconds)
{
    double end = clock_seconds() + seconds;
    while (!stop_flag) {
        double left = end - clock_seconds();
        if (left <= 0)
            break;
        struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)((left < 0.2 ? left : 0.2) * 1e9)};
        nanosleep(&ts, NULL);
    }
}

static const char run_help[] =
    "Usage: storywire [--db PATH] run [--listen ADDR:PORT] [--threads N] [SETTINGS]\n\n"
    "Keeps the site up to date: polls the feeds as they fall due, clusters new\n"
    "articles into stories and rewrites their pages (every update_every\n"
    "seconds at most), and serves the site as 'serve' does, until Ctrl-C\n"
    "(SIGINT) or SIGTERM; then it finishes the requests in flight, stores\n"
    "what they brought, and exits cleanly.\n\n"
    "Options:\n"
    "  --listen ADDR:PORT   address and port (default 127.0.0.1:8080; port 0 = any free port)\n"
    "  --threads N          server worker threads (default 4)\n"
    "  -h, --help           this help\n";

static int parse_listen(const char *s, char *addr, size_t addr_len, uint16_t *port)
{
    const char *colon = strrchr(s, ':');
    const char *port_s = colon ? colon + 1 : s;
    snprintf(addr, addr_len, "127.0.0.1");
    if (colon && colon > s) {
        size_t n = (size_t)(colon - s);
        if (n >= addr_len)
            return -1;
        memcpy(addr, s, n);
        addr[n] = '\0';
    }
    char *end;
    long p = strtol(port_s, &end, 10);
    if (end == port_s || *end || p < 0 || p > 65535)
        return -1;
    *port = (uint16_t)p;
    return 0;
}

int cmd_run(CliContext *ctx, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(run_help, stdout);
        print_settings_help();
        return EXIT_OK;
    }
    const char *listen = "127.0.0.1:8080", *threads_s = "4";
    Settings s = {0};
    ArgSpec specs[MAX_SETTINGS + 8];
    size_t k = 0;
    specs[k++] = (ArgSpec){"listen", 1, &listen};
    specs[k++] = (ArgSpec){"threads", 1, &threads_s};
    settings_specs(&s, specs, &k);
    specs[k] = (ArgSpec){0};
    char **pos = xmalloc(((size_t)argc + 1) * sizeof *pos);
    int n_pos, rc = EXIT_USAGE;
    ServeThread *t = xcalloc(1, sizeof *t);
    if (args_parse("run", argc, argv, specs, pos, &n_pos) != 0)
        goto out;
    if (n_pos) {
        fputs("storywire run: takes no arguments (see 'storywire run --help')\n", stderr);
        goto out;
    }
    if (settings_load(&s, "run") != 0)
        goto out;
    if (parse_listen(listen, t->addr, sizeof t->addr, &t->cfg.port) != 0) {
        fprintf(stderr, "storywire run: --listen must be ADDR:PORT (e.g. 127.0.0.1:8080), not '%s'\n", listen);
        goto out;
    }
    long threads = args_long("run", "threads", threads_s, 1, 256);
    if (threads < 0)
        goto out;
    rc = EXIT_FAIL;
    Store *st = cli_open_store(ctx, 0); /* creates the database the server reads */
    if (!st)
        goto out;
    SwErr err;
    Poller *p = poller_new(st, &s.cfg, &err);
    if (!p) {
        log_error("%s", err.msg);
        store_close(st);
        goto out;
    }
    t->cfg.db_path = ctx->db_path;
    t->cfg.listen_addr = t->addr;
    t->cfg.threads = (unsigned)threads;
    t->cfg.on_ready = serve_ready;
    t->cfg.ctx = t;
    stop_flag = 0;
    pthread_t server;
    if (pthread_create(&server, NULL, serve_main, t) != 0) {
        log_error("cannot start the server thread");
        poller_free(p);
        store_close(st);
        goto out;
    }
    while (!t->ready)
        nap(0.05);
    rc = EXIT_OK;
    double last_update = 0;
    int pending_update = 1;
    while (!stop_flag) {
        PollStats ps;
        if (poller_poll(p, 0, &stop_flag, &ps, &err) != 0) {
            /* the database may be busy or briefly unwritable: a long-running
             * process says so and tries again rather than dying */
            log_error("%s; polling again in 30 s", err.msg);
            nap(30);
            continue;
        }
        report_poll(&ps);
        if (ps.articles_added)
            pending_update = 1;
        if (pending_update && !stop_flag && clock_seconds() - last_update >= (double)s.cfg.update_every) {
            if (update_stories(ctx, st) != 0)
                log_warn("stories were not updated this time; the next round retries");
            else
                pending_update = 0;
            last_update = clock_seconds();
        }
        /* sleep until the next feed is due, or the next update */
        int64_t due;
        double wait = 60;
        int got = store_feed_next_due(st, &due, &err);
        if (got == 0)
            wait = (double)(due - time_now());
        if (pending_update) {
            double to_update = (double)s.cfg.update_every - (clock_seconds() - last_update);
            if (to_update < wait)
                wait = to_update;
        }
        if (wait < 1)
            wait = 1;
        if (wait > 60)
            wait = 60;
        nap(wait);
    }
    if (t->started)
        log_info("stopping: waiting for the server to finish its requests");
    server_request_stop();
    pthread_join(server, NULL);
    if (t->rc != 0) {
        log_error("%s", t->err.msg);
        rc = EXIT_FAIL;
    }
    poller_free(p);
    store_close(st);
    if (t->started)
        log_info("stopped");
out:
    free(t);
    settings_free(&s);
    free(pos);
    return rc;
}
