/* poll.c - a polling round (contract in poll.h).
 *
 * All HTTP goes through one FetchEngine per round: the feeds first; then,
 * as each feed is parsed, the robots.txt of the hosts its short items live
 * on and the article pages robots.txt allows. A feed is committed when its
 * last article page is in (or at once, when it needs none), so a slow
 * article host delays only its own feed's commit. Requests carry a kind
 * marker in `user` and their feed (and item) in `tag`. */
#include "poll.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/arena.h"
#include "../core/log.h"
#include "../core/map.h"
#include "../core/timeutil.h"
#include "../extract/extract.h"
#include "../feeds/feed.h"
#include "../fetch/robots.h"
#include "../fetch/schedule.h"
#include "../store/feeds.h"

#define ROBOTS_TTL (24 * 3600) /* rules are kept this long (at most: see robots_ttl) */
#define ROBOTS_RETRY 3600      /* an unreachable robots.txt is asked again after this */
#define COMMIT_EVERY 1.0 /* seconds */
#define ROBOTS_MAX_BODY (512u * 1024u)
#define ACCEPT_FEED                                                                                \
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, " \
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
#define ACCEPT_HTML "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"

static char KIND_FEED, KIND_ROBOTS, KIND_ARTICLE;

typedef struct Waiter {
    size_t feed, item;
} Waiter;

typedef struct RobotsEntry {
    int state; /* 0 = fetching, 1 = ready */
    int64_t expires;
    Robots rules;
    Waiter *waiting;
    size_t n_waiting, cap_waiting;
} RobotsEntry;

struct Poller {
    Store *st;
    FetchConfig cfg;
    FetchEngine *eng; /* kept across rounds, so host pacing spans them too */
    int show_progress;
    StrMap robots;    /* host -> RobotsEntry* */
};

/* One feed of the round. */
typedef struct PollFeed {
    FeedRow row;       /* strings in the round's arena */
    const char *orig_url; /* row.url as it was before this poll */
    int fetched;       /* its response came */
    int committed;
    Feed feed;
    int parsed;
    char *etag, *last_modified, *moved_to;
    PollHints hints;
    size_t *fresh;     /* indices of items not seen before */
    size_t n_fresh;
    char **full_text;  /* per fresh item: text of its fetched page, or NULL */
    int waiting;       /* robots/article requests outstanding */
} PollFeed;

typedef struct Round {
    Poller *p;
    FetchEngine *eng;
    Arena arena;
    PollFeed *feeds;
    size_t n;
    int64_t now;
    PollStats *stats;
    int store_failed;
    int in_tx;         /* a transaction of this round is open */
    Progress prog;
    double tx_started;
    SwErr err;
} Round;

Poller *poller_new(Store *st, const FetchConfig *cfg, SwErr *err)
{
    Poller *p = xcalloc(1, sizeof *p);
    p->st = st;
    p->cfg = *cfg;
    p->eng = fetch_engine_new(cfg, err);
    if (!p->eng) {
        free(p);
        return NULL;
    }
    return p;
}

static void robots_entry_free(RobotsEntry *r)
{
    if (!r)
        return;
    robots_free(&r->rules);
    free(r->waiting);
    free(r);
}

void poller_show_progress(Poller *p, int on)
{
    p->show_progress = on;
}

void poller_free(Poller *p)
{
    if (!p)
        return;
    STRMAP_FOREACH(&p->robots, e)
    robots_entry_free(e->val.ptr);
    strmap_free(&p->robots);
    fetch_engine_free(p->eng);
    free(p);
}

void poll_content_charset(const char *ct, char *out, size_t n)
{
    out[0] = '\0';
    if (!ct)
        return;
    const char *c = strcasestr(ct, "charset=");
    if (!c)
        return;
    c += 8;
    if (*c == '"')
        c++;
    size_t k = 0;
    while (c[k] && c[k] != '"' && c[k] != ';' && !isspace((unsigned char)c[k]) && k + 1 < n) {
        out[k] = c[k];
        k++;
    }
    out[k] = '\0';
}

/* ---- committing a feed ---- */

static int64_t hint_expires(const char *v)
{
    int64_t t;
    return v && time_parse(v, &t) == 0 ? t : 0;
}

static void fail_feed(Round *r, PollFeed *f, const char *msg)
{
    f->row.status = FEED_STATUS_ERROR;
    f->row.last_error = arena_strdup(&r->arena, msg);
    f->row.error_count++;
    f->row.next_poll = r->now + sched_backoff(&r->p->cfg, f->row.error_count, &f->hints);
    r->stats->failed++;
    log_warn("feed %lld %s: %s; retry in %s", (long long)f->row.id, f->row.url, msg,
             arena_printf(&r->arena, "%lld s", (long long)(f->row.next_poll - r->now)));
}

static void succeed_feed(Round *r, PollFeed *f, int changed)
{
    f->row.status = FEED_STATUS_OK;
    f->row.last_error = NULL;
    f->row.error_count = 0;
    f->row.last_success = r->now;
    if (changed)
        f->row.last_change = r->now;
    int64_t iv = sched_interval(&r->p->cfg, f->row.interval, changed, &f->hints, r->now);
    f->row.interval = (int)iv;
    f->row.next_poll = r->now + iv;
}

/* The text to store for an item: the fetched page's when it is longer. */
static const char *item_text(const PollFeed *f, size_t k, const FeedItem *it)
{
    const char *text = it->content && *it->content ? it->content : it->summary;
    const char *full = f->full_text ? f->full_text[k] : NULL;
    if (full && (!text || strlen(full) > strlen(text)))
        return full;
    return text;
}

/* Ends the round's open transaction. */
static void flush_round(Round *r)
{
    if (!r->in_tx || r->store_failed)
        return;
    SwErr err;
    r->in_tx = 0;
    if (store_commit(r->p->st, &err) != 0) {
        store_rollback(r->p->st);
        r->store_failed = 1;
        r->err = err;
    }
}

/* Stores the fresh items and the poll state of a feed. Feeds are written
 * into one transaction that is committed at least every COMMIT_EVERY
 * seconds: one commit per feed would make the engine's thread wait on the
 * disk a thousand times a round. A crash loses at most that second of
 * polls, completely (items, keys and validators together), and the next
 * round fetches them again. */
static void commit_feed(Round *r, PollFeed *f)
{
    if (f->committed || r->store_failed)
        return;
    f->committed = 1;
    Store *st = r->p->st;
    SwErr err;
    if (!r->in_tx) {
        if (store_begin(st, &err) != 0)
            goto store_error;
        r->in_tx = 1;
        r->tx_started = clock_seconds();
    }
    /* unsubscribed while it was being polled: nothing to record */
    int exists = store_feed_exists(st, f->row.id, &err);
    if (exists < 0)
        goto rollback;
    if (exists == STORE_NOT_FOUND) {
        log_info("feed %lld was removed during the poll; its items are not stored", (long long)f->row.id);
        return;
    }
    size_t added = 0;
    for (size_t k = 0; k < f->n_fresh; k++) {
        const FeedItem *it = &f->feed.items[f->fresh[k]];
        const char *text = item_text(f, k, it);
        int64_t article_id = 0;
        if ((it->title && *it->title) || (text && *text)) {
            Article a = {
                .url = it->link,
                .source = f->row.name ? f->row.name : f->feed.title,
                .title = it->title ? it->title : "",
                .text = text ? text : "",
                .image = it->image,
                .author = it->author,
                .ext_id = it->id,
                .published = it->published ? it->published : it->updated,
                .fetched = r->now,
            };
            int was_added;
            if (store_put_article(st, &a, &article_id, &was_added, &err) != 0)
                goto rollback;
            added += (size_t)was_added;
        }
        if (store_feed_item_add(st, f->row.id, it->id, article_id, r->now, &err) != 0)
            goto rollback;
    }
    if (f->parsed) {
        f->row.items_new = (int64_t)f->n_fresh;
        f->row.items_total += (int64_t)f->n_fresh;
        r->stats->items_new += f->n_fresh;
        r->stats->articles_added += added;
    }
    int rc = store_feed_update(st, &f->row, &err);
    if (rc < 0 && strcmp(f->row.url, f->orig_url) != 0) {
        /* its new address became another feed's during this round: keep
         * the old one (the failed update undid only itself) */
        log_warn("feed %lld: cannot move to %s (%s); keeping %s", (long long)f->row.id, f->row.url, err.msg,
                 f->orig_url);
        f->row.url = f->orig_url;
        rc = store_feed_update(st, &f->row, &err);
    }
    if (rc < 0)
        goto rollback;
    if (clock_seconds() - r->tx_started >= COMMIT_EVERY)
        flush_round(r);
    return;
rollback:
    store_rollback(st);
    r->in_tx = 0;
store_error:
    r->store_failed = 1;
    r->err = err;
}

/* ---- article pages ---- */

static void queue_article(Round *r, size_t fi, size_t k, const char *url)
{
    FetchRequest req = {.url = url, .accept = ACCEPT_HTML, .tag = (int64_t)(fi << 24 | k), .user = &KIND_ARTICLE};
    fetch_engine_add(r->eng, &req);
    r->feeds[fi].waiting++;
}

/* The host's robots.txt Crawl-delay, capped by crawl_delay_max, becomes
 * its pause between requests in the engine. */
static void apply_crawl_delay(Round *r, const char *host, const Robots *rules)
{
    int64_t d = rules->crawl_delay_ms;
    if (d > r->p->cfg.crawl_delay_max_ms)
        d = r->p->cfg.crawl_delay_max_ms;
    fetch_engine_host_delay(r->eng, host, d);
}

/* Fills re from the robots.txt stored for host by an earlier poll (this
 * process or another) when it has not expired: 1 when it did. */
static int robots_from_store(Round *r, const char *host, RobotsEntry *re)
{
    Arena a = {0};
    RobotsRow row;
    SwErr err;
    int got = store_robots_get(r->p->st, host, &a, &row, &err);
    if (got < 0)
        log_warn("%s", err.msg); /* a cache: fetch it instead */
    int ok = got == 0 && row.expires > r->now;
    if (ok) {
        re->state = 1;
        re->expires = row.expires;
        if (row.kind == ROBOTS_KIND_RULES)
            robots_parse(&re->rules, row.body, row.body_len, "storywire");
        else if (row.kind == ROBOTS_KIND_NONE)
            robots_allow_all(&re->rules);
        else
            robots_deny_all(&re->rules);
        apply_crawl_delay(r, host, &re->rules);
        r->stats->robots_cached++;
    }
    arena_free(&a);
    return ok;
}

/* How long a fetched robots.txt is kept (seconds from now): a day, or less
 * when its Cache-Control max-age or Expires says so; 0 (this round only)
 * for no-store and no-cache. RFC 9309 asks not to keep it past a day. */
static int64_t robots_ttl(const FetchResult *res, int64_t now)
{
    int64_t age = sched_parse_max_age(res->cache_control);
    if (age < 0)
        return 0;
    int64_t ttl = ROBOTS_TTL;
    if (age > 0)
        ttl = age;
    else if (res->expires) {
        int64_t t = hint_expires(res->expires);
        ttl = t > now ? t - now : 0;
    }
    return ttl < ROBOTS_TTL ? ttl : ROBOTS_TTL;
}

/* Decides an article page against its host's rules (fetching them first
 * when unknown). */
static void want_article(Round *r, size_t fi, size_t k)
{
    PollFeed *f = &r->feeds[fi];
    const char *url = f->feed.items[f->fresh[k]].link;
    char host[256];
    if (fetch_url_host(url, host, sizeof host) != 0)
        return;
    int created;
    StrMapEntry *e = strmap_put(&r->p->robots, host, strlen(host), &created);
    RobotsEntry *re = e->val.ptr;
    if (re && re->state == 1 && r->now >= re->expires) {
        robots_entry_free(re);
        re = e->val.ptr = NULL;
    }
    if (!re) {
        re = e->val.ptr = xcalloc(1, sizeof *re);
        if (robots_from_store(r, host, re))
            goto ready;
        char *robots_url = fetch_url_resolve(url, "/robots.txt");
        if (!robots_url) {
            re->state = 1;
            re->expires = r->now + ROBOTS_TTL;
            robots_deny_all(&re->rules);
        } else {
            FetchRequest req = {.url = robots_url, .accept = "text/plain", .max_body = ROBOTS_MAX_BODY,
                                .user = &KIND_ROBOTS};
            fetch_engine_add(r->eng, &req);
            free(robots_url);
        }
    }
    if (re->state == 0) {
        if (re->n_waiting == re->cap_waiting) {
            re->cap_waiting = re->cap_waiting ? re->cap_waiting * 2 : 8;
            re->waiting = xrealloc(re->waiting, re->cap_waiting * sizeof *re->waiting);
        }
        re->waiting[re->n_waiting++] = (Waiter){fi, k};
        f->waiting++;
        return;
    }
ready:;
    char *path = fetch_url_path(url);
    if (path && robots_allowed(&re->rules, path))
        queue_article(r, fi, k, url);
    else
        r->stats->robots_denied++;
    free(path);
}

static void maybe_commit(Round *r, PollFeed *f)
{
    if (f->waiting == 0 && f->fetched)
        commit_feed(r, f);
}

static void on_robots(Round *r, const FetchResult *res)
{
    char host[256];
    if (fetch_url_host(res->req->url, host, sizeof host) != 0)
        return;
    StrMapEntry *e = strmap_get(&r->p->robots, host, strlen(host));
    if (!e || !e->val.ptr)
        return;
    RobotsEntry *re = e->val.ptr;
    re->state = 1;
    robots_free(&re->rules);
    int64_t now = time_now(), ttl;
    RobotsRow row = {.host = host, .fetched = now};
    if (!res->error) {
        robots_parse(&re->rules, res->body, res->body_len, "storywire");
        row.kind = ROBOTS_KIND_RULES;
        row.body = res->body;
        row.body_len = res->body_len;
        ttl = robots_ttl(res, now);
    } else if (res->status >= 400 && res->status < 500) {
        robots_allow_all(&re->rules); /* no robots.txt: no rules (RFC 9309) */
        row.kind = ROBOTS_KIND_NONE;
        ttl = robots_ttl(res, now);
    } else {
        /* unreachable: assume the worst, and ask again sooner */
        robots_deny_all(&re->rules);
        row.kind = ROBOTS_KIND_UNREACHABLE;
        ttl = ROBOTS_RETRY;
    }
    r->stats->robots_fetched++;
    apply_crawl_delay(r, host, &re->rules);
    /* kept in memory for this round at least, and stored for the next
     * rounds and processes unless it may not be kept */
    row.expires = now + ttl;
    re->expires = row.expires > r->now ? row.expires : r->now + 1;
    if (ttl > 0) {
        SwErr err;
        if (store_robots_put(r->p->st, &row, &err) != 0)
            log_warn("%s", err.msg);
    }
    /* the waiters may queue more work; take the list first */
    Waiter *w = re->waiting;
    size_t n = re->n_waiting;
    re->waiting = NULL;
    re->n_waiting = re->cap_waiting = 0;
    for (size_t i = 0; i < n; i++) {
        PollFeed *f = &r->feeds[w[i].feed];
        f->waiting--;
        const char *url = f->feed.items[f->fresh[w[i].item]].link;
        char *path = fetch_url_path(url);
        if (path && robots_allowed(&re->rules, path))
            queue_article(r, w[i].feed, w[i].item, url);
        else
            r->stats->robots_denied++;
        free(path);
        maybe_commit(r, f);
    }
    free(w);
}

static void on_article(Round *r, const FetchResult *res)
{
    size_t fi = (size_t)(res->req->tag >> 24), k = (size_t)(res->req->tag & 0xffffff);
    if (fi >= r->n)
        return;
    PollFeed *f = &r->feeds[fi];
    f->waiting--;
    if (res->error) {
        log_warn("article %s (feed %lld): %s; the feed's text is kept", res->req->url, (long long)f->row.id,
                 res->error);
    } else {
        char charset[64];
        poll_content_charset(res->content_type, charset, sizeof charset);
        Extracted x;
        SwErr err;
        if (extract_html(res->body, res->body_len, res->final_url, charset[0] ? charset : NULL, &x, &err) == 0) {
            if (x.text && *x.text) {
                f->full_text[k] = x.text;
                x.text = NULL;
                r->stats->pages_fetched++;
            }
            extracted_free(&x);
        } else {
            log_warn("article %s: %s", res->req->url, err.msg);
        }
    }
    maybe_commit(r, f);
}

/* ---- feeds ---- */

static void on_feed(Round *r, const FetchResult *res)
{
    size_t fi = (size_t)res->req->tag;
    PollFeed *f = &r->feeds[fi];
    f->fetched = 1;
    r->stats->feeds++;
    if (r->p->show_progress)
        progress_update(&r->prog, r->stats->feeds);
    f->row.last_attempt = r->now;
    f->hints.retry_after = sched_parse_retry_after(res->retry_after, r->now);
    int64_t age = sched_parse_max_age(res->cache_control);
    f->hints.max_age = age > 0 ? age : 0;
    f->hints.expires = hint_expires(res->expires);
    if (res->error) {
        fail_feed(r, f, res->error);
        commit_feed(r, f);
        return;
    }
    if (res->moved_to && strcmp(res->moved_to, f->row.url) != 0) {
        int64_t other;
        SwErr err;
        int rc = store_feed_find(r->p->st, res->moved_to, &other, &err);
        if (rc == STORE_NOT_FOUND) {
            log_info("feed %lld moved permanently: %s -> %s", (long long)f->row.id, f->row.url, res->moved_to);
            f->row.url = arena_strdup(&r->arena, res->moved_to);
            r->stats->moved++;
        } else if (rc == 0) {
            log_warn("feed %lld moved permanently to %s, which is already feed %lld; keeping the old address",
                     (long long)f->row.id, res->moved_to, (long long)other);
        }
    }
    if (res->status == 304) {
        r->stats->not_modified++;
        f->row.items_new = 0;
        succeed_feed(r, f, 0);
        commit_feed(r, f);
        return;
    }
    char charset[64];
    poll_content_charset(res->content_type, charset, sizeof charset);
    SwErr err;
    if (res->body_len == 0) {
        fail_feed(r, f, "empty response (0 bytes)");
        commit_feed(r, f);
        return;
    }
    if (feed_parse(res->body, res->body_len, res->final_url, charset[0] ? charset : NULL, &f->feed, &err) != 0) {
        char msg[1200];
        snprintf(msg, sizeof msg, "not a readable feed (%s%s): %s",
                 res->content_type ? "Content-Type " : "no Content-Type",
                 res->content_type ? res->content_type : "", err.msg);
        fail_feed(r, f, msg);
        commit_feed(r, f);
        return;
    }
    if (f->feed.nitems == 0 && !feed_sniff(res->body, res->body_len)) {
        /* a lenient parse of something that is no feed at all: say so
         * rather than record an empty success */
        char msg[300];
        snprintf(msg, sizeof msg, "not a readable feed (%s%s): no feed element and no items",
                 res->content_type ? "Content-Type " : "no Content-Type",
                 res->content_type ? res->content_type : "");
        feed_free(&f->feed);
        memset(&f->feed, 0, sizeof f->feed);
        fail_feed(r, f, msg);
        commit_feed(r, f);
        return;
    }
    f->parsed = 1;
    r->stats->ok++;
    /* validators only from a response we could read: otherwise the next
     * poll must fetch the whole feed again */
    f->row.etag = arena_strdup(&r->arena, res->etag);
    f->row.last_modified = arena_strdup(&r->arena, res->last_modified);
    if (!f->row.name && f->feed.title && *f->feed.title)
        f->row.name = arena_strdup(&r->arena, f->feed.title);
    if (!f->row.site_url && f->feed.link)
        f->row.site_url = arena_strdup(&r->arena, f->feed.link);
    f->hints.ttl = (int64_t)f->feed.ttl_minutes * 60;
    f->fresh = arena_alloc(&r->arena, (f->feed.nitems + 1) * sizeof *f->fresh);
    for (size_t i = 0; i < f->feed.nitems; i++) {
        int known = store_feed_item_known(r->p->st, f->row.id, f->feed.items[i].id, &err);
        if (known < 0) {
            r->store_failed = 1;
            r->err = err;
            return;
        }
        /* one poll may repeat an id: keep the first */
        for (size_t k = 0; !known && k < f->n_fresh; k++)
            known = strcmp(f->feed.items[f->fresh[k]].id, f->feed.items[i].id) == 0;
        if (!known)
            f->fresh[f->n_fresh++] = i;
    }
    succeed_feed(r, f, f->n_fresh > 0);
    f->full_text = arena_alloc(&r->arena, (f->n_fresh + 1) * sizeof *f->full_text);
    if (r->p->cfg.full_articles) {
        int budget = r->p->cfg.articles_per_poll;
        for (size_t k = 0; k < f->n_fresh && budget > 0; k++) {
            const FeedItem *it = &f->feed.items[f->fresh[k]];
            const char *text = it->content && *it->content ? it->content : it->summary;
            if (!it->link || (text && strlen(text) >= r->p->cfg.short_item))
                continue;
            want_article(r, fi, k);
            budget--;
        }
    }
    maybe_commit(r, f);
}

static void on_done(void *ctx, const FetchResult *res)
{
    Round *r = ctx;
    if (r->store_failed)
        return;
    if (res->req->user == &KIND_FEED)
        on_feed(r, res);
    else if (res->req->user == &KIND_ROBOTS)
        on_robots(r, res);
    else if (res->req->user == &KIND_ARTICLE)
        on_article(r, res);
}

int poller_poll(Poller *p, int all, volatile sig_atomic_t *stop, PollStats *stats, SwErr *err)
{
    memset(stats, 0, sizeof *stats);
    Round r = {.p = p, .now = time_now(), .stats = stats};
    int64_t *ids = NULL;
    size_t n = 0;
    if (store_feed_due(p->st, r.now, all, &ids, &n, err) != 0)
        return -1;
    if (n == 0) {
        free(ids);
        return 0;
    }
    r.eng = p->eng;
    fetch_engine_reset_stats(r.eng);
    r.feeds = xcalloc(n, sizeof *r.feeds);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        int got = store_feed_get(p->st, ids[i], &r.arena, &r.feeds[r.n].row, err);
        if (got < 0) {
            rc = -1;
            break;
        }
        if (got == STORE_NOT_FOUND)
            continue; /* removed meanwhile */
        r.feeds[r.n].orig_url = r.feeds[r.n].row.url;
        const FeedRow *row = &r.feeds[r.n].row;
        FetchRequest req = {.url = row->url, .etag = row->etag, .last_modified = row->last_modified,
                            .accept = ACCEPT_FEED, .tag = (int64_t)r.n, .user = &KIND_FEED};
        fetch_engine_add(r.eng, &req);
        r.n++;
    }
    free(ids);
    if (p->show_progress)
        progress_start(&r.prog, "polling feeds", r.n);
    if (rc == 0 && fetch_engine_run(r.eng, on_done, &r, stop, err) != 0)
        rc = -1;
    if (p->show_progress)
        progress_finish(&r.prog);
    /* stopped early: feeds read but still waiting on article pages keep
     * the feed's own text, and are stored now */
    for (size_t i = 0; rc == 0 && i < r.n && !r.store_failed; i++)
        if (r.feeds[i].fetched && !r.feeds[i].committed)
            commit_feed(&r, &r.feeds[i]);
    flush_round(&r);
    if (r.in_tx) {
        store_rollback(p->st);
        r.in_tx = 0;
    }
    if (rc == 0 && r.store_failed) {
        *err = r.err;
        rc = -1;
    }
    stats->http = fetch_engine_stats(r.eng);
    /* robots entries still fetching when the round ended are forgotten */
    STRMAP_FOREACH(&p->robots, e)
    if (e->val.ptr && ((RobotsEntry *)e->val.ptr)->state == 0) {
        robots_entry_free(e->val.ptr);
        e->val.ptr = NULL;
    }
    for (size_t i = 0; i < r.n; i++) {
        PollFeed *f = &r.feeds[i];
        for (size_t k = 0; f->full_text && k < f->n_fresh; k++)
            free(f->full_text[k]);
        feed_free(&f->feed);
    }
    free(r.feeds);
    arena_free(&r.arena);
    return rc;
}

/* ---- one URL, for `feeds add` ---- */

typedef struct OneResult {
    char **body;
    size_t *len;
    char **final_url;
    char *charset;
    size_t n;
    SwErr *err;
    int ok;
} OneResult;

static void on_one(void *ctx, const FetchResult *res)
{
    OneResult *o = ctx;
    if (res->error) {
        sw_err(o->err, "%s: %s", res->req->url, res->error);
        return;
    }
    *o->body = xmalloc(res->body_len + 1);
    memcpy(*o->body, res->body, res->body_len);
    (*o->body)[res->body_len] = '\0';
    *o->len = res->body_len;
    *o->final_url = xstrdup(res->final_url);
    poll_content_charset(res->content_type, o->charset, o->n);
    o->ok = 1;
}

int poller_fetch_one(const FetchConfig *cfg, const char *url, char **body, size_t *len, char **final_url,
                     char *charset, size_t n, SwErr *err)
{
    *body = NULL;
    *len = 0;
    *final_url = NULL;
    FetchEngine *e = fetch_engine_new(cfg, err);
    if (!e)
        return -1;
    FetchRequest req = {.url = url, .accept = ACCEPT_FEED ", text/html;q=0.8"};
    fetch_engine_add(e, &req);
    OneResult o = {body, len, final_url, charset, n, err, 0};
    int rc = fetch_engine_run(e, on_one, &o, NULL, err);
    fetch_engine_free(e);
    return rc == 0 && o.ok ? 0 : -1;
}
