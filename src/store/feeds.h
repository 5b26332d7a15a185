/* feeds.h - subscribed feeds and the items seen in each. Part of the
 * store: the SQL lives in store_feeds.c; conventions are those of store.h
 * (0, -1 with err, or STORE_NOT_FOUND; strings in the caller's Arena;
 * arrays on the heap, the caller frees them).
 *
 * A feed row carries everything the poller needs to be polite and to
 * resume after a restart: the validators of the last good response (ETag,
 * Last-Modified), when to poll next, the current interval, and the failure
 * count that drives the backoff. feed_items remembers every item key a feed
 * has delivered (guid/id, else link, else content hash) and the article it
 * became. A poll stores its new articles, their item keys and the feed's
 * new validators in one transaction, so a crash either keeps all of a poll
 * or none of it (and then the old validators make the next poll fetch the
 * same items again): nothing is lost and nothing is stored twice. */
#ifndef SW_STORE_FEEDS_H
#define SW_STORE_FEEDS_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* Feed status, as kept in the status column and shown by `feeds list`. */
#define FEED_STATUS_NEW "new"     /* never polled */
#define FEED_STATUS_OK "ok"       /* the last poll succeeded (200 or 304) */
#define FEED_STATUS_ERROR "error" /* the last poll failed: see last_error */

typedef struct FeedRow {
    int64_t id;
    const char *url;           /* the feed's address (updated on permanent redirects) */
    const char *name;          /* user's name or the feed's title; may be NULL */
    const char *site_url;      /* the site the feed belongs to; may be NULL */
    const char *etag;          /* validators of the last 200 response; may be NULL */
    const char *last_modified;
    const char *status;        /* FEED_STATUS_* */
    const char *last_error;    /* readable message of the last failure, NULL after a success */
    int64_t last_attempt;      /* Unix seconds; 0 = never */
    int64_t last_success;
    int64_t last_change;       /* last poll that brought new items */
    int64_t next_poll;         /* due when next_poll <= now */
    int64_t created;
    int error_count;           /* consecutive failures */
    int interval;              /* current poll interval, seconds (0 = not yet chosen) */
    int64_t items_new;         /* new items of the last successful poll */
    int64_t items_total;       /* items ever stored from this feed */
    int64_t items_known;       /* item keys remembered (read only: counted from feed_items) */
} FeedRow;

/* Subscribes to url (name and site_url may be NULL). *added = 0 and *id
 * the existing row when the URL is already subscribed. A new feed is due
 * at once. */
int store_feed_add(Store *s, const char *url, const char *name, const char *site_url, int64_t now,
                   int64_t *id, int *added, SwErr *err);

/* Unsubscribes: deletes the feed and its item keys (the articles stay).
 * STORE_NOT_FOUND when there is no such feed. */
int store_feed_remove(Store *s, int64_t id, SwErr *err);

int store_feed_get(Store *s, int64_t id, Arena *a, FeedRow *out, SwErr *err);
/* 0 when feed id exists, STORE_NOT_FOUND when not (removed). */
int store_feed_exists(Store *s, int64_t id, SwErr *err);

/* The feed subscribed at exactly url, or STORE_NOT_FOUND. */
int store_feed_find(Store *s, const char *url, int64_t *id, SwErr *err);

/* Every feed, by id. */
int store_feed_list(Store *s, Arena *a, FeedRow **rows, size_t *n, SwErr *err);

/* Ids of the feeds due at now (next_poll <= now), longest overdue first;
 * with all = 1 every feed, in the same order. */
int store_feed_due(Store *s, int64_t now, int all, int64_t **ids, size_t *n, SwErr *err);

/* The earliest next_poll of any feed, or STORE_NOT_FOUND when there are no
 * feeds. */
int store_feed_next_due(Store *s, int64_t *when, SwErr *err);

/* Writes the poll state of row->id: url, name, site_url, etag,
 * last_modified, status, last_error, last_attempt, last_success,
 * last_change, next_poll, error_count, interval, items_new, items_total.
 * STORE_NOT_FOUND when the feed was removed meanwhile. Fails (and changes
 * nothing) when the new url is another feed's. */
int store_feed_update(Store *s, const FeedRow *row, SwErr *err);

/* 1 when the feed has already delivered an item with this key, 0 when not. */
int store_feed_item_known(Store *s, int64_t feed_id, const char *key, SwErr *err);

/* Remembers an item key and the article it became (0 when it was not
 * stored, e.g. empty); adding a known key again changes nothing. */
int store_feed_item_add(Store *s, int64_t feed_id, const char *key, int64_t article_id, int64_t now,
                        SwErr *err);

/* A host's robots.txt as last fetched (the rules are parsed by the
 * reader: src/fetch/robots.h). */
enum { ROBOTS_KIND_RULES = 0, ROBOTS_KIND_NONE = 1, ROBOTS_KIND_UNREACHABLE = 2 };
typedef struct RobotsRow {
    const char *host;    /* lower case, as fetch_url_host gives it */
    int kind;            /* ROBOTS_KIND_*: the body's rules, none (4xx: allow all), unreachable (deny all) */
    const char *body;    /* the robots.txt text (kind RULES); may hold any bytes */
    size_t body_len;
    int64_t fetched;     /* Unix seconds */
    int64_t expires;     /* Unix seconds: fetch again from then on */
} RobotsRow;

/* The stored robots.txt of host (strings in a), or STORE_NOT_FOUND; an
 * expired row is returned too (the caller compares expires). */
int store_robots_get(Store *s, const char *host, Arena *a, RobotsRow *out, SwErr *err);
/* Stores (replaces) the robots.txt of row->host. */
int store_robots_put(Store *s, const RobotsRow *row, SwErr *err);

#endif
