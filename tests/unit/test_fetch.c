/* test_fetch.c - the fetching side's pure logic and its store: settings
 * and the config file, poll intervals, backoff, Retry-After and
 * Cache-Control, robots.txt, URL helpers, and the feeds tables (subscribe,
 * item identity across reopenings, poll state, removal). The HTTP engine
 * itself is exercised against a real server in tests/e2e/test_fetch.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "fetch/fetch.h"
#include "fetch/fetch_config.h"
#include "fetch/robots.h"
#include "fetch/schedule.h"
#include "store/feeds.h"
#include "test.h"

static FetchConfig cfg(void)
{
    FetchConfig c;
    fetch_config_defaults(&c);
    c.min_interval = 600;
    c.max_interval = 12 * 3600;
    c.default_interval = 3600;
    c.backoff_base = 300;
    c.backoff_max = 86400;
    c.retry_after_max = 7 * 86400;
    return c;
}

/* ---- settings ---- */

static void test_durations_and_sizes(void)
{
    CHECK_INT(fetch_parse_duration_ms("500ms"), 500);
    CHECK_INT(fetch_parse_duration_ms("30"), 30000);
    CHECK_INT(fetch_parse_duration_ms("1.5s"), 1500);
    CHECK_INT(fetch_parse_duration_ms("10m"), 600000);
    CHECK_INT(fetch_parse_duration_ms("2h"), 7200000);
    CHECK_INT(fetch_parse_duration_ms("1d"), 86400000);
    CHECK_INT(fetch_parse_duration_ms("-1s"), -1);
    CHECK_INT(fetch_parse_duration_ms("10 parsecs"), -1);
    CHECK_INT(fetch_parse_duration_ms(""), -1);
    CHECK_INT(fetch_parse_size("4096"), 4096);
    CHECK_INT(fetch_parse_size("64K"), 65536);
    CHECK_INT(fetch_parse_size("10M"), 10 << 20);
    CHECK_INT(fetch_parse_size("1MB"), 1 << 20);
    CHECK_INT(fetch_parse_size("3X"), -1);
}

static void test_config_set_checks_keys_and_ranges(void)
{
    FetchConfig c = cfg();
    SwErr err;
    CHECK_INT(fetch_config_set(&c, "host_delay", "250ms", &err), 0);
    CHECK_INT(c.host_delay_ms, 250);
    CHECK_INT(fetch_config_set(&c, "min-interval", "2m", &err), 0); /* flag spelling */
    CHECK_INT(c.min_interval, 120);
    CHECK_INT(fetch_config_set(&c, "full_articles", "yes", &err), 0);
    CHECK_INT(c.full_articles, 1);
    CHECK_INT(fetch_config_set(&c, "max_in_flight", "0", &err), -1);
    CHECK(strstr(err.msg, "out of range") != NULL);
    CHECK_INT(fetch_config_set(&c, "no_such_key", "1", &err), -1);
    CHECK(strstr(err.msg, "no_such_key") != NULL);
    CHECK_INT(fetch_config_set(&c, "timeout", "soon", &err), -1);
    CHECK(strstr(err.msg, "timeout") != NULL);
}

static void test_config_file_reports_file_and_line(void)
{
    char path[] = "/tmp/sw_conf_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    const char *text = "# polling\n\nmax_in_flight = 4\nuser_agent = \"bot/1 (+x)\"\nhost_delay = fast\n";
    CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    close(fd);
    FetchConfig c = cfg();
    SwErr err;
    CHECK_INT(fetch_config_load(&c, path, &err), -1);
    CHECK(strstr(err.msg, ":5:") != NULL);
    CHECK_INT(c.max_in_flight, 4);
    CHECK_STR(c.user_agent, "bot/1 (+x)");
    unlink(path);
    CHECK_INT(fetch_config_load(&c, "/nonexistent/storywire.conf", &err), -1);
    CHECK(strstr(err.msg, "/nonexistent/storywire.conf") != NULL);
}

static void test_config_dump_reads_back(void)
{
    FetchConfig c = cfg(), back;
    c.host_delay_ms = 1234;
    c.full_articles = 1;
    Buf b = {0};
    fetch_config_dump(&c, &b);
    char path[] = "/tmp/sw_conf_XXXXXX";
    int fd = mkstemp(path);
    CHECK(write(fd, b.data, b.len) == (ssize_t)b.len);
    close(fd);
    fetch_config_defaults(&back);
    SwErr err;
    CHECK_INT(fetch_config_load(&back, path, &err), 0);
    CHECK(memcmp(&c, &back, sizeof c) == 0);
    unlink(path);
    buf_free(&b);
}

static void test_default_user_agent_names_us(void)
{
    FetchConfig c;
    fetch_config_defaults(&c);
    CHECK(strncmp(c.user_agent, "storywire/", 10) == 0);
    CHECK(strstr(c.user_agent, "(+http") != NULL);
}

/* ---- intervals and backoff ---- */

static void test_new_feed_starts_at_default_interval(void)
{
    FetchConfig c = cfg();
    CHECK_INT(sched_interval(&c, 0, 1, NULL, 1000), 3600);
}

static void test_busy_feed_is_polled_more_often(void)
{
    FetchConfig c = cfg();
    int64_t i = 3600;
    i = sched_interval(&c, i, 1, NULL, 0);
    CHECK_INT(i, 2400);
    for (int k = 0; k < 20; k++)
        i = sched_interval(&c, i, 1, NULL, 0);
    CHECK_INT(i, 600); /* min_interval */
}

static void test_quiet_feed_is_polled_less_often(void)
{
    FetchConfig c = cfg();
    int64_t i = sched_interval(&c, 3600, 0, NULL, 0);
    CHECK_INT(i, 5400);
    for (int k = 0; k < 20; k++)
        i = sched_interval(&c, i, 0, NULL, 0);
    CHECK_INT(i, 12 * 3600); /* max_interval */
}

static void test_feed_hints_set_a_floor(void)
{
    FetchConfig c = cfg();
    PollHints ttl = {.ttl = 3 * 3600};
    CHECK_INT(sched_interval(&c, 3600, 1, &ttl, 0), 3 * 3600);
    PollHints age = {.max_age = 7200};
    CHECK_INT(sched_interval(&c, 3600, 1, &age, 0), 7200);
    PollHints exp = {.expires = 10000 + 5000};
    CHECK_INT(sched_interval(&c, 3600, 1, &exp, 10000), 5000);
    PollHints past = {.expires = 5000};
    CHECK_INT(sched_interval(&c, 3600, 1, &past, 10000), 2400);
    /* a hint beyond max_interval is still bounded */
    PollHints huge = {.ttl = 30 * 86400};
    CHECK_INT(sched_interval(&c, 3600, 0, &huge, 0), 12 * 3600);
}

static void test_backoff_doubles_up_to_its_cap(void)
{
    FetchConfig c = cfg();
    CHECK_INT(sched_backoff(&c, 1, NULL), 300);
    CHECK_INT(sched_backoff(&c, 2, NULL), 600);
    CHECK_INT(sched_backoff(&c, 3, NULL), 1200);
    CHECK_INT(sched_backoff(&c, 9, NULL), 76800);
    CHECK_INT(sched_backoff(&c, 10, NULL), 86400);
    CHECK_INT(sched_backoff(&c, 1000, NULL), 86400);
}

static void test_retry_after_is_honoured_within_bounds(void)
{
    FetchConfig c = cfg();
    PollHints h = {.retry_after = 3600};
    CHECK_INT(sched_backoff(&c, 1, &h), 3600);
    h.retry_after = 10; /* shorter than the backoff: the backoff stands */
    CHECK_INT(sched_backoff(&c, 1, &h), 300);
    h.retry_after = 365 * 86400;
    CHECK_INT(sched_backoff(&c, 1, &h), 7 * 86400);
}

static void test_parse_retry_after(void)
{
    CHECK_INT(sched_parse_retry_after("120", 0), 120);
    CHECK_INT(sched_parse_retry_after(" 5 ", 0), 5);
    /* Sun, 29 Nov 2026 12:00:00 GMT is 1795953600 */
    CHECK_INT(sched_parse_retry_after("Sun, 29 Nov 2026 12:00:00 GMT", 1795953600 - 90), 90);
    CHECK_INT(sched_parse_retry_after("Sun, 29 Nov 2026 12:00:00 GMT", 1795953600 + 90), 0);
    CHECK_INT(sched_parse_retry_after("soon", 0), 0);
    CHECK_INT(sched_parse_retry_after(NULL, 0), 0);
}

static void test_parse_max_age(void)
{
    CHECK_INT(sched_parse_max_age("public, max-age=900"), 900);
    CHECK_INT(sched_parse_max_age("max-age=\"60\", must-revalidate"), 60);
    CHECK_INT(sched_parse_max_age("s-maxage=100"), 0);
    CHECK_INT(sched_parse_max_age("no-store"), -1);
    CHECK_INT(sched_parse_max_age("max-age=abc"), 0);
    CHECK_INT(sched_parse_max_age(""), 0);
}

/* ---- robots.txt ---- */

static void test_robots_star_group(void)
{
    const char *txt = "User-agent: *\nDisallow: /private/\nAllow: /private/open\n\n"
                      "User-agent: OtherBot\nDisallow: /\n";
    Robots r;
    robots_parse(&r, txt, strlen(txt), "storywire");
    CHECK(robots_allowed(&r, "/news/a"));
    CHECK(!robots_allowed(&r, "/private/x"));
    CHECK(robots_allowed(&r, "/private/open/y")); /* longer Allow wins */
    robots_free(&r);
}

static void test_robots_own_group_wins(void)
{
    const char *txt = "User-agent: *\nDisallow: /\n\n"
                      "User-agent: googlebot\nUser-agent: StoryWire\nDisallow: /drafts # comment\n";
    Robots r;
    robots_parse(&r, txt, strlen(txt), "storywire");
    CHECK(robots_allowed(&r, "/news/a"));
    CHECK(!robots_allowed(&r, "/drafts/1"));
    robots_free(&r);
}

static void test_robots_crawl_delay_of_the_group_that_applies(void)
{
    const char *txt = "User-agent: *\nCrawl-delay: 2.5\nDisallow: /x\n\n"
                      "User-agent: otherbot\nCrawl-delay: 100\n";
    Robots r;
    robots_parse(&r, txt, strlen(txt), "storywire");
    CHECK_INT(r.crawl_delay_ms, 2500);
    robots_free(&r);
    txt = "User-agent: storywire\ncrawl-delay: 7 # ours\nCrawl-delay: 9\n\nUser-agent: *\nCrawl-delay: 1\n";
    robots_parse(&r, txt, strlen(txt), "storywire");
    CHECK_INT(r.crawl_delay_ms, 7000); /* our group, its first value */
    robots_free(&r);
    txt = "User-agent: *\nCrawl-delay: soon\nCrawl-delay: -3\n";
    robots_parse(&r, txt, strlen(txt), "storywire");
    CHECK_INT(r.crawl_delay_ms, 0); /* not numbers: no delay */
    robots_free(&r);
    txt = "User-agent: *\nCrawl-delay: 99999999999999999999\n";
    robots_parse(&r, txt, strlen(txt), "storywire");
    CHECK_INT(r.crawl_delay_ms, 86400000); /* huge: a day (callers cap it lower) */
    robots_free(&r);
}

static void test_engine_host_delay(void)
{
    FetchConfig c;
    fetch_config_defaults(&c);
    c.host_delay_ms = 250;
    SwErr err;
    FetchEngine *e = fetch_engine_new(&c, &err);
    CHECK(e != NULL);
    if (!e)
        return;
    CHECK_INT(fetch_engine_host_delay_of(e, "a.example"), 250);
    fetch_engine_host_delay(e, "a.example", 3000);
    CHECK_INT(fetch_engine_host_delay_of(e, "a.example"), 3000);
    CHECK_INT(fetch_engine_host_delay_of(e, "b.example"), 250); /* per host */
    fetch_engine_host_delay(e, "a.example", 100); /* shorter than host_delay: host_delay */
    CHECK_INT(fetch_engine_host_delay_of(e, "a.example"), 250);
    fetch_engine_free(e);
    CHECK_INT(c.crawl_delay_max_ms, 30000); /* the documented default cap */
}

static void test_robots_wildcards_and_anchor(void)
{
    const char *txt = "user-agent: *\ndisallow: /*.pdf$\ndisallow: /*?print=\n";
    Robots r;
    robots_parse(&r, txt, strlen(txt), "storywire");
    CHECK(!robots_allowed(&r, "/docs/a.pdf"));
    CHECK(robots_allowed(&r, "/docs/a.pdf.html"));
    CHECK(robots_allowed(&r, "/story?id=1&print=1")); /* no "?print=" in it */
    CHECK(!robots_allowed(&r, "/story?print=1"));
    CHECK(robots_allowed(&r, "/story?id=1"));
    robots_free(&r);
}

static void test_robots_empty_disallow_and_deny_all(void)
{
    const char *txt = "User-agent: *\nDisallow:\n";
    Robots r;
    robots_parse(&r, txt, strlen(txt), "storywire");
    CHECK(robots_allowed(&r, "/anything"));
    robots_free(&r);
    robots_deny_all(&r);
    CHECK(!robots_allowed(&r, "/"));
    robots_free(&r);
    robots_allow_all(&r);
    CHECK(robots_allowed(&r, "/x"));
    robots_free(&r);
}

static void test_robots_hostile_pattern_is_fast(void)
{
    Buf b = {0};
    buf_puts(&b, "User-agent: *\nDisallow: /");
    for (int i = 0; i < 2000; i++)
        buf_puts(&b, "*a");
    buf_puts(&b, "b\n");
    Robots r;
    robots_parse(&r, b.data, b.len, "storywire");
    char path[4002];
    memset(path, 'a', sizeof path - 1);
    path[0] = '/';
    path[sizeof path - 1] = '\0';
    CHECK(robots_allowed(&r, path));
    robots_free(&r);
    buf_free(&b);
}

/* ---- URLs ---- */

static void test_url_host_and_resolve(void)
{
    char host[256];
    CHECK_INT(fetch_url_host("https://News.Example.COM:8443/a?b", host, sizeof host), 0);
    CHECK_STR(host, "news.example.com");
    CHECK_INT(fetch_url_host("ftp://example.com/", host, sizeof host), -1);
    CHECK_INT(fetch_url_host("not a url", host, sizeof host), -1);
    char *u = fetch_url_resolve("http://a.example/feeds/x.xml", "../rss?y=1");
    CHECK_STR(u, "http://a.example/rss?y=1");
    free(u);
    u = fetch_url_resolve("http://a.example/x", "https://b.example/");
    CHECK_STR(u, "https://b.example/");
    free(u);
}

/* ---- the feeds tables ---- */

static char db_path[64];

static Store *open_db(void)
{
    Store *s;
    SwErr err;
    if (store_open(db_path, 0, &s, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return NULL;
    }
    return s;
}

static void remove_db(void)
{
    char p[96];
    unlink(db_path);
    snprintf(p, sizeof p, "%s-wal", db_path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db_path);
    unlink(p);
}

static void test_feed_add_is_idempotent(void)
{
    Store *s = open_db();
    CHECK(s != NULL);
    if (!s)
        return;
    SwErr err;
    int64_t id1, id2;
    int added;
    CHECK_INT(store_feed_add(s, "http://a.example/rss", "A", NULL, 100, &id1, &added, &err), 0);
    CHECK_INT(added, 1);
    CHECK_INT(store_feed_add(s, "http://a.example/rss", "Other", NULL, 200, &id2, &added, &err), 0);
    CHECK_INT(added, 0);
    CHECK_INT(id2, id1);
    Arena a = {0};
    FeedRow f;
    CHECK_INT(store_feed_get(s, id1, &a, &f, &err), 0);
    CHECK_STR(f.name, "A");
    CHECK_STR(f.status, FEED_STATUS_NEW);
    CHECK_INT(f.next_poll, 0);
    arena_free(&a);
    store_close(s);
}

static void test_feed_due_and_update(void)
{
    Store *s = open_db();
    if (!s)
        return;
    SwErr err;
    int64_t a_id, b_id;
    int added;
    store_feed_add(s, "http://b.example/one", NULL, NULL, 100, &a_id, &added, &err);
    store_feed_add(s, "http://b.example/two", NULL, NULL, 100, &b_id, &added, &err);
    Arena a = {0};
    FeedRow f;
    CHECK_INT(store_feed_get(s, a_id, &a, &f, &err), 0);
    f.status = FEED_STATUS_OK;
    f.etag = "\"v1\"";
    f.next_poll = 5000;
    f.interval = 3600;
    f.items_total = 7;
    CHECK_INT(store_feed_update(s, &f, &err), 0);
    int64_t *ids;
    size_t n;
    CHECK_INT(store_feed_due(s, 4000, 0, &ids, &n, &err), 0);
    int found_a = 0;
    for (size_t i = 0; i < n; i++)
        found_a |= ids[i] == a_id;
    CHECK(!found_a);
    free(ids);
    CHECK_INT(store_feed_due(s, 4000, 1, &ids, &n, &err), 0);
    found_a = 0;
    for (size_t i = 0; i < n; i++)
        found_a |= ids[i] == a_id;
    CHECK(found_a);
    free(ids);
    FeedRow back;
    CHECK_INT(store_feed_get(s, a_id, &a, &back, &err), 0);
    CHECK_STR(back.etag, "\"v1\"");
    CHECK_INT(back.interval, 3600);
    CHECK_INT(back.items_total, 7);
    /* moving onto another feed's URL fails and changes nothing */
    back.url = "http://b.example/two";
    CHECK_INT(store_feed_update(s, &back, &err), -1);
    FeedRow again;
    CHECK_INT(store_feed_get(s, a_id, &a, &again, &err), 0);
    CHECK_STR(again.url, "http://b.example/one");
    arena_free(&a);
    store_close(s);
}

static void test_feed_items_survive_reopening(void)
{
    Store *s = open_db();
    if (!s)
        return;
    SwErr err;
    int64_t id;
    int added;
    store_feed_add(s, "http://c.example/feed", NULL, NULL, 100, &id, &added, &err);
    CHECK_INT(store_feed_item_known(s, id, "guid-1", &err), 0);
    CHECK_INT(store_feed_item_add(s, id, "guid-1", 0, 100, &err), 0);
    CHECK_INT(store_feed_item_add(s, id, "guid-1", 0, 200, &err), 0); /* again: no change */
    store_close(s);
    s = open_db();
    if (!s)
        return;
    CHECK_INT(store_feed_item_known(s, id, "guid-1", &err), 1);
    CHECK_INT(store_feed_item_known(s, id, "guid-2", &err), 0);
    Arena a = {0};
    FeedRow f;
    CHECK_INT(store_feed_get(s, id, &a, &f, &err), 0);
    CHECK_INT(f.items_known, 1);
    arena_free(&a);
    CHECK_INT(store_feed_remove(s, id, &err), 0);
    CHECK_INT(store_feed_remove(s, id, &err), STORE_NOT_FOUND);
    CHECK_INT(store_feed_item_known(s, id, "guid-1", &err), 0);
    store_close(s);
}

static void test_robots_rows_are_kept_per_host(void)
{
    Store *s = open_db();
    if (!s)
        return;
    SwErr err;
    Arena a = {0};
    RobotsRow row;
    CHECK_INT(store_robots_get(s, "r.example", &a, &row, &err), STORE_NOT_FOUND);
    const char body[] = "User-agent: *\nDisallow: /p\0x\n"; /* any bytes, a NUL too */
    RobotsRow put = {.host = "r.example", .kind = ROBOTS_KIND_RULES, .body = body, .body_len = sizeof body - 1,
                     .fetched = 1000, .expires = 1000 + 86400};
    CHECK_INT(store_robots_put(s, &put, &err), 0);
    RobotsRow none = {.host = "n.example", .kind = ROBOTS_KIND_NONE, .fetched = 5, .expires = 6};
    CHECK_INT(store_robots_put(s, &none, &err), 0);
    store_close(s);
    s = open_db(); /* another process later */
    if (!s)
        return;
    CHECK_INT(store_robots_get(s, "r.example", &a, &row, &err), 0);
    CHECK_INT(row.kind, ROBOTS_KIND_RULES);
    CHECK_INT(row.body_len, sizeof body - 1);
    CHECK(memcmp(row.body, body, sizeof body - 1) == 0);
    CHECK_INT(row.fetched, 1000);
    CHECK_INT(row.expires, 1000 + 86400);
    put.kind = ROBOTS_KIND_UNREACHABLE; /* a later fetch replaces the row */
    put.body = NULL;
    put.body_len = 0;
    put.expires = 2000;
    CHECK_INT(store_robots_put(s, &put, &err), 0);
    CHECK_INT(store_robots_get(s, "r.example", &a, &row, &err), 0);
    CHECK_INT(row.kind, ROBOTS_KIND_UNREACHABLE);
    CHECK_INT(row.body_len, 0);
    CHECK_INT(row.expires, 2000);
    CHECK_INT(store_robots_get(s, "n.example", &a, &row, &err), 0);
    CHECK_INT(row.kind, ROBOTS_KIND_NONE);
    arena_free(&a);
    store_close(s);
}

static void test_item_keys_roll_back_with_the_poll(void)
{
    Store *s = open_db();
    if (!s)
        return;
    SwErr err;
    int64_t id;
    int added;
    store_feed_add(s, "http://d.example/feed", NULL, NULL, 100, &id, &added, &err);
    CHECK_INT(store_begin(s, &err), 0);
    CHECK_INT(store_feed_item_add(s, id, "k", 0, 100, &err), 0);
    store_rollback(s); /* a poll that did not commit leaves no trace */
    CHECK_INT(store_feed_item_known(s, id, "k", &err), 0);
    int64_t when;
    CHECK_INT(store_feed_next_due(s, &when, &err), 0);
    store_close(s);
}

int main(void)
{
    snprintf(db_path, sizeof db_path, "/tmp/sw_fetch_test_%d.db", (int)getpid());
    remove_db();
    RUN(test_durations_and_sizes);
    RUN(test_config_set_checks_keys_and_ranges);
    RUN(test_config_file_reports_file_and_line);
    RUN(test_config_dump_reads_back);
    RUN(test_default_user_agent_names_us);
    RUN(test_new_feed_starts_at_default_interval);
    RUN(test_busy_feed_is_polled_more_often);
    RUN(test_quiet_feed_is_polled_less_often);
    RUN(test_feed_hints_set_a_floor);
    RUN(test_backoff_doubles_up_to_its_cap);
    RUN(test_retry_after_is_honoured_within_bounds);
    RUN(test_parse_retry_after);
    RUN(test_parse_max_age);
    RUN(test_robots_star_group);
    RUN(test_robots_own_group_wins);
    RUN(test_robots_crawl_delay_of_the_group_that_applies);
    RUN(test_engine_host_delay);
    RUN(test_robots_wildcards_and_anchor);
    RUN(test_robots_empty_disallow_and_deny_all);
    RUN(test_robots_hostile_pattern_is_fast);
    RUN(test_url_host_and_resolve);
    RUN(test_feed_add_is_idempotent);
    RUN(test_feed_due_and_update);
    RUN(test_feed_items_survive_reopening);
    RUN(test_item_keys_roll_back_with_the_poll);
    RUN(test_robots_rows_are_kept_per_host);
    remove_db();
    return test_summary("test_fetch");
}
