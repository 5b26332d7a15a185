/* schedule.h - when to poll a feed next: the adaptive interval, the
 * backoff after failures and the server's own hints. Pure functions of
 * their arguments (no clock, no I/O), so every rule is unit-tested.
 *
 * Interval: a feed starts at default_interval. A poll that brings new
 * items shortens it by a third (a busy feed is polled more often); a poll
 * without new items (200 with only known items, or 304) lengthens it by
 * half. The feed's own hints (RSS <ttl>, Cache-Control max-age, Expires)
 * set a floor: we never come back sooner than the publisher asks. The
 * result is kept within [min_interval, max_interval].
 *
 * Failures: the n-th consecutive failure waits backoff_base * 2^(n-1),
 * at most backoff_max; a Retry-After (429, 503) waits at least that long,
 * at most retry_after_max. */
#ifndef SW_FETCH_SCHEDULE_H
#define SW_FETCH_SCHEDULE_H

#include <stdint.h>

#include "fetch_config.h"

/* What a response says about polling again; 0 = not given. */
typedef struct PollHints {
    int64_t ttl;          /* RSS <ttl>, seconds (already converted from minutes) */
    int64_t max_age;      /* Cache-Control max-age, seconds */
    int64_t expires;      /* Expires, Unix seconds */
    int64_t retry_after;  /* Retry-After, seconds from now */
} PollHints;

/* The next interval (seconds) after a successful poll: prev is the current
 * interval (0 for a new feed), changed is 1 when the poll brought new
 * items. */
int64_t sched_interval(const FetchConfig *c, int64_t prev, int changed, const PollHints *h, int64_t now);

/* The delay (seconds) before retrying after the error_count-th consecutive
 * failure (error_count >= 1), honouring Retry-After from h (may be NULL). */
int64_t sched_backoff(const FetchConfig *c, int error_count, const PollHints *h);

/* Retry-After header value: delta seconds or an HTTP date. Seconds from
 * now, or 0 when absent or unreadable (a date in the past is 0 too). */
int64_t sched_parse_retry_after(const char *value, int64_t now);

/* max-age from a Cache-Control header value (s-maxage is ignored: it is
 * for shared caches); 0 when absent, -1 when no-store or no-cache (which
 * set no floor, as 0 does). */
int64_t sched_parse_max_age(const char *value);

#endif
