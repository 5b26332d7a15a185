/* poll.h - one round of feed polling: fetch the due feeds, parse them,
 * optionally fetch the full article of short items, and store the new
 * items as articles (pending clustering). Wires src/fetch, src/feeds,
 * src/extract and the store together; the rules themselves live there.
 *
 * A feed's outcome is written together: its new articles, their item keys
 * and its new poll state (validators, interval, next poll, error), inside
 * a transaction committed about every second, so a crash or kill never
 * half-stores a poll (what it loses is fetched again). A failed feed gets a
 * readable last_error, one more error_count and a backoff retry; the other
 * feeds go on. */
#ifndef SW_CLI_POLL_H
#define SW_CLI_POLL_H

#include <signal.h>
#include <stddef.h>

#include "../core/err.h"
#include "../fetch/fetch.h"
#include "../store/store.h"

typedef struct PollStats {
    size_t feeds;            /* feeds polled (requests completed) */
    size_t ok;               /* 200 and parsed */
    size_t not_modified;     /* 304 */
    size_t failed;           /* fetch or parse failures */
    size_t items_new;        /* items never seen before from their feed */
    size_t articles_added;   /* of those, articles not already stored (another feed may have them) */
    size_t pages_fetched;    /* full articles fetched and used */
    size_t robots_denied;    /* article pages robots.txt did not allow */
    size_t robots_fetched;   /* robots.txt files fetched */
    size_t robots_cached;    /* robots.txt read from the store instead (fetched by an earlier poll) */
    size_t moved;            /* feeds whose URL changed by a permanent redirect */
    FetchStats http;         /* the engine's own figures */
} PollStats;

typedef struct Poller Poller;

/* A poller over an open store. The config is copied. The robots.txt cache
 * lives as long as the poller (entries expire after a day). */
Poller *poller_new(Store *st, const FetchConfig *cfg, SwErr *err);
void poller_free(Poller *p);
/* With on = 1 each round shows its progress (feeds done of feeds due). */
void poller_show_progress(Poller *p, int on);

/* Polls the feeds due now (every feed with all = 1, still conditionally)
 * and stores what they bring. Per-feed problems are recorded in the feeds
 * table and logged as warnings; -1 only when the store itself fails.
 * A non-zero *stop ends the round early: what was in flight finishes and is
 * stored, the rest stays due. */
int poller_poll(Poller *p, int all, volatile sig_atomic_t *stop, PollStats *stats, SwErr *err);

/* Fetches one URL now (for `feeds add`): the body into out (heap, caller
 * frees), the final URL into *final_url (heap) and the Content-Type charset
 * into charset (n bytes, "" when none). -1 with a readable err when the
 * fetch fails. */
int poller_fetch_one(const FetchConfig *cfg, const char *url, char **body, size_t *len, char **final_url,
                     char *charset, size_t n, SwErr *err);

/* The charset parameter of a Content-Type value into out ("" when none). */
void poll_content_charset(const char *content_type, char *out, size_t n);

#endif
