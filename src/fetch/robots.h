/* robots.h - robots.txt (RFC 9309) for the article pages storywire
 * fetches. Feeds themselves are fetched without asking: a feed is published
 * to be polled, as every feed reader does.
 *
 * The group that names our product token ("storywire", matched without
 * case) applies, else the "*" group, else everything is allowed. Within
 * the group the longest matching Allow or Disallow path wins, Allow on a
 * tie; paths may use '*' and a final '$'. A robots.txt that is missing
 * (4xx) allows everything; one that cannot be fetched (5xx, network error)
 * disallows everything for the host until it can be read, as RFC 9309
 * asks. The group's Crawl-delay (seconds, fractions allowed; the first
 * one of the group counts) is read too. */
#ifndef SW_FETCH_ROBOTS_H
#define SW_FETCH_ROBOTS_H

#include <stddef.h>
#include <stdint.h>

typedef struct RobotsRule {
    char *path;
    int allow;
} RobotsRule;

typedef struct Robots {
    RobotsRule *rules;
    size_t n;
    int disallow_all; /* set by robots_deny_all (unreachable robots.txt) */
    /* Crawl-delay of the group that applies, in ms (0 = none): the least
     * pause between two requests to the host. Not in RFC 9309, but widely
     * written; the caller caps it (crawl_delay_max). */
    int64_t crawl_delay_ms;
} Robots;

/* Reads the rules for agent (a product token such as "storywire") from a
 * robots.txt body. Bytes after 500 KiB are ignored (RFC 9309 limit). */
void robots_parse(Robots *r, const char *text, size_t len, const char *agent);
/* An empty rule set that allows everything. */
void robots_allow_all(Robots *r);
/* A rule set that disallows everything. */
void robots_deny_all(Robots *r);
/* 1 when the path (with its query, e.g. "/news/a?x=1") may be fetched. */
int robots_allowed(const Robots *r, const char *path);
void robots_free(Robots *r);

#endif
