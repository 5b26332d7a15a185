/* robots.c - robots.txt groups and path matching (rules in robots.h).
 *
 * The parser walks the file line by line, collecting the rules of every
 * group whose User-agent lines name our token and, separately, of the "*"
 * groups; the first set wins when it is not empty. */
#include "robots.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/err.h"

#define ROBOTS_MAX_BYTES (500 * 1024)

typedef struct RuleVec {
    RobotsRule *v;
    size_t n, cap;
} RuleVec;

static void push(RuleVec *rv, const char *path, size_t n, int allow)
{
    if (rv->n == rv->cap) {
        rv->cap = rv->cap ? rv->cap * 2 : 8;
        rv->v = xrealloc(rv->v, rv->cap * sizeof *rv->v);
    }
    rv->v[rv->n].path = xstrndup(path, n);
    rv->v[rv->n++].allow = allow;
}

static void vec_free(RuleVec *rv)
{
    for (size_t i = 0; i < rv->n; i++)
        free(rv->v[i].path);
    free(rv->v);
}

/* 1 when the User-agent value names agent: its token (up to '/', space)
 * equals agent without case, or is "*" (returns 2). */
static int agent_matches(const char *val, size_t n, const char *agent)
{
    size_t t = 0;
    while (t < n && val[t] != '/' && !isspace((unsigned char)val[t]))
        t++;
    if (t == 1 && val[0] == '*')
        return 2;
    return t == strlen(agent) && strncasecmp(val, agent, t) == 0;
}

/* A Crawl-delay value in seconds ("10", "2.5", "0.5") as milliseconds;
 * 0 when it is not a non-negative number. Values past a day are a day:
 * the caller caps them much lower anyway. */
static int64_t parse_delay_ms(const char *v, size_t n)
{
    int64_t whole = 0, frac = 0, scale = 1000;
    size_t i = 0;
    if (i == n || !isdigit((unsigned char)v[i]))
        return 0;
    for (; i < n && isdigit((unsigned char)v[i]); i++)
        if (whole < 86400)
            whole = whole * 10 + (v[i] - '0');
    if (i < n && v[i] == '.') {
        for (i++; i < n && isdigit((unsigned char)v[i]); i++)
            if (scale > 1) {
                scale /= 10;
                frac += (v[i] - '0') * scale;
            }
    }
    if (i != n)
        return 0;
    if (whole >= 86400)
        return 86400 * 1000LL;
    return whole * 1000 + frac;
}

void robots_parse(Robots *r, const char *text, size_t len, const char *agent)
{
    memset(r, 0, sizeof *r);
    if (len > ROBOTS_MAX_BYTES)
        len = ROBOTS_MAX_BYTES;
    RuleVec mine = {0}, star = {0};
    int in_mine = 0, in_star = 0, last_was_agent = 0, named_us = 0;
    int64_t delay_mine = 0, delay_star = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        const char *line_end = eol;
        const char *hash = memchr(p, '#', (size_t)(line_end - p));
        if (hash)
            line_end = hash;
        const char *colon = memchr(p, ':', (size_t)(line_end - p));
        if (colon) {
            const char *k = p, *ke = colon;
            while (k < ke && isspace((unsigned char)*k))
                k++;
            while (ke > k && isspace((unsigned char)ke[-1]))
                ke--;
            const char *v = colon + 1, *ve = line_end;
            while (v < ve && isspace((unsigned char)*v))
                v++;
            while (ve > v && isspace((unsigned char)ve[-1]))
                ve--;
            size_t kn = (size_t)(ke - k), vn = (size_t)(ve - v);
            if (kn == 10 && strncasecmp(k, "user-agent", 10) == 0) {
                if (!last_was_agent)
                    in_mine = in_star = 0;
                int m = agent_matches(v, vn, agent);
                in_mine |= m == 1;
                named_us |= m == 1;
                in_star |= m == 2;
                last_was_agent = 1;
            } else {
                int allow = kn == 5 && strncasecmp(k, "allow", 5) == 0;
                int disallow = kn == 8 && strncasecmp(k, "disallow", 8) == 0;
                if (allow || disallow) {
                    /* "Disallow:" with no path allows everything: no rule */
                    if (vn) {
                        if (in_mine)
                            push(&mine, v, vn, allow);
                        if (in_star)
                            push(&star, v, vn, allow);
                    }
                    last_was_agent = 0;
                } else if (kn == 11 && strncasecmp(k, "crawl-delay", 11) == 0) {
                    int64_t ms = parse_delay_ms(v, vn);
                    if (ms > 0 && in_mine && !delay_mine)
                        delay_mine = ms;
                    if (ms > 0 && in_star && !delay_star)
                        delay_star = ms;
                    last_was_agent = 0;
                } else if (kn) {
                    last_was_agent = 0; /* sitemap, host, ...: end an agent list */
                }
            }
        }
        p = eol + 1;
    }
    /* a group naming us applies even when it has no rules */
    RuleVec *use = named_us ? &mine : &star;
    RuleVec *drop = use == &mine ? &star : &mine;
    r->rules = use->v;
    r->n = use->n;
    r->crawl_delay_ms = named_us ? delay_mine : delay_star;
    vec_free(drop);
}

void robots_allow_all(Robots *r)
{
    memset(r, 0, sizeof *r);
}

void robots_deny_all(Robots *r)
{
    memset(r, 0, sizeof *r);
    r->disallow_all = 1;
}

/* 1 when the pattern matches a prefix of path: '*' matches any run and a
 * final '$' anchors at the end. Iterative backtracking to the last '*',
 * so hostile patterns cost O(pattern * path), not exponential time. */
static int glob_prefix(const char *p, const char *s)
{
    const char *star_p = NULL, *star_s = NULL;
    for (;;) {
        if (!*p)
            return 1;
        if (*p == '$' && !p[1]) {
            if (!*s)
                return 1;
        } else if (*p == '*') {
            star_p = ++p;
            star_s = s;
            continue;
        } else if (*s && *s == *p) {
            p++;
            s++;
            continue;
        }
        if (star_p && *star_s) {
            p = star_p;
            s = ++star_s;
            continue;
        }
        return 0;
    }
}

int robots_allowed(const Robots *r, const char *path)
{
    if (r->disallow_all)
        return 0;
    if (!path || !*path)
        path = "/";
    long best = -1;
    int allow = 1;
    for (size_t i = 0; i < r->n; i++) {
        if (!glob_prefix(r->rules[i].path, path))
            continue;
        long m = (long)strlen(r->rules[i].path);
        if (m > best || (m == best && r->rules[i].allow)) {
            best = m;
            allow = r->rules[i].allow;
        }
    }
    return allow;
}

void robots_free(Robots *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->rules[i].path);
    free(r->rules);
    memset(r, 0, sizeof *r);
}
