/* schedule.c - poll intervals, backoff and the header hints behind them
 * (the rules are stated in schedule.h). */
#include "schedule.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../core/timeutil.h"

static int64_t clamp(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

int64_t sched_interval(const FetchConfig *c, int64_t prev, int changed, const PollHints *h, int64_t now)
{
    int64_t next;
    if (prev <= 0)
        next = c->default_interval;
    else if (changed)
        next = prev - prev / 3;
    else
        next = prev + prev / 2;
    int64_t floor = 0;
    if (h) {
        if (h->ttl > floor)
            floor = h->ttl;
        if (h->max_age > floor)
            floor = h->max_age;
        if (h->expires > now && h->expires - now > floor)
            floor = h->expires - now;
    }
    if (next < floor)
        next = floor;
    int64_t lo = c->min_interval, hi = c->max_interval < lo ? lo : c->max_interval;
    return clamp(next, lo, hi);
}

int64_t sched_backoff(const FetchConfig *c, int error_count, const PollHints *h)
{
    if (error_count < 1)
        error_count = 1;
    int64_t delay = c->backoff_base;
    for (int i = 1; i < error_count && delay < c->backoff_max; i++)
        delay *= 2;
    if (delay > c->backoff_max)
        delay = c->backoff_max;
    if (h && h->retry_after > delay)
        delay = h->retry_after < c->retry_after_max ? h->retry_after : c->retry_after_max;
    return delay < 1 ? 1 : delay;
}

int64_t sched_parse_retry_after(const char *value, int64_t now)
{
    if (!value)
        return 0;
    while (isspace((unsigned char)*value))
        value++;
    if (!*value)
        return 0;
    if (isdigit((unsigned char)*value)) {
        char *end;
        long long v = strtoll(value, &end, 10);
        while (isspace((unsigned char)*end))
            end++;
        if (!*end)
            return v < 0 ? 0 : v > 100LL * 365 * 86400 ? 100LL * 365 * 86400 : v;
    }
    int64_t t;
    if (time_parse(value, &t) != 0 || t <= now)
        return 0;
    return t - now;
}

int64_t sched_parse_max_age(const char *value)
{
    if (!value)
        return 0;
    int64_t age = 0;
    const char *p = value;
    while (*p) {
        while (*p == ',' || isspace((unsigned char)*p))
            p++;
        const char *tok = p;
        while (*p && *p != ',' && *p != '=')
            p++;
        size_t n = (size_t)(p - tok);
        while (n && isspace((unsigned char)tok[n - 1]))
            n--;
        const char *val = NULL;
        if (*p == '=') {
            val = ++p;
            while (*p && *p != ',')
                p++;
        }
        if ((n == 8 && strncasecmp(tok, "no-store", 8) == 0) || (n == 8 && strncasecmp(tok, "no-cache", 8) == 0))
            return -1;
        if (n == 7 && strncasecmp(tok, "max-age", 7) == 0 && val) {
            if (*val == '"')
                val++;
            char *end;
            long long v = strtoll(val, &end, 10);
            if (end != val && v > 0)
                age = v > 365LL * 86400 ? 365LL * 86400 : v;
        }
    }
    return age;
}
