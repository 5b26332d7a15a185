/* fetch_config.c - defaults, the key = value config file and its value
 * syntaxes. One table maps every key to its field and kind, so the file,
 * the flags, the dump and the help all list the same keys. */
#include "fetch_config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum Kind { K_DURATION_MS, K_DURATION_S, K_SIZE, K_INT, K_BOOL, K_TEXT };

typedef struct Key {
    const char *name;
    enum Kind kind;
    size_t offset;
    int64_t min, max; /* for numbers: bounds in the field's unit */
    const char *help;
} Key;

#define F(field) offsetof(FetchConfig, field)
static const Key KEYS[] = {
    {"user_agent", K_TEXT, F(user_agent), 1, 255, "User-Agent header of every request"},
    {"max_in_flight", K_INT, F(max_in_flight), 1, 1024, "most requests at once, over all hosts"},
    {"host_delay", K_DURATION_MS, F(host_delay_ms), 0, 3600000,
     "pause between the end of one request and the next to the same host"},
    {"connect_timeout", K_DURATION_MS, F(connect_timeout_ms), 100, 600000, "give up connecting after this"},
    {"timeout", K_DURATION_MS, F(timeout_ms), 100, 3600000, "give up a whole request after this"},
    {"max_body", K_SIZE, F(max_body), 1024, (int64_t)1 << 32, "largest body accepted, after decompression"},
    {"max_redirects", K_INT, F(max_redirects), 0, 20, "redirects followed per request"},
    {"min_interval", K_DURATION_S, F(min_interval), 1, 86400 * 30, "shortest poll interval of a feed"},
    {"max_interval", K_DURATION_S, F(max_interval), 1, 86400 * 365, "longest poll interval of a feed"},
    {"default_interval", K_DURATION_S, F(default_interval), 1, 86400 * 365, "a new feed's first interval"},
    {"backoff_base", K_DURATION_S, F(backoff_base), 1, 86400 * 30, "retry delay after a first failure (doubles)"},
    {"backoff_max", K_DURATION_S, F(backoff_max), 1, 86400 * 365, "longest retry delay after failures"},
    {"retry_after_max", K_DURATION_S, F(retry_after_max), 1, 86400 * 365, "longest Retry-After honoured"},
    {"full_articles", K_BOOL, F(full_articles), 0, 1, "fetch the article page of items with short text"},
    {"short_item", K_SIZE, F(short_item), 0, 1 << 20, "item text shorter than this is short"},
    {"articles_per_poll", K_INT, F(articles_per_poll), 0, 10000, "most article pages fetched per feed per poll"},
    {"crawl_delay_max", K_DURATION_MS, F(crawl_delay_max_ms), 0, 3600000,
     "longest robots.txt Crawl-delay honoured for article pages (0 ignores it)"},
    {"update_every", K_DURATION_S, F(update_every), 1, 86400, "'run': seconds between story updates"},
};
#undef F
#define N_KEYS (sizeof KEYS / sizeof KEYS[0])

static const Key *find_key(const char *name);

void fetch_config_defaults(FetchConfig *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->user_agent, sizeof c->user_agent, "%s", FETCH_USER_AGENT);
    c->max_in_flight = 16;
    c->host_delay_ms = 1000;
    c->connect_timeout_ms = 10000;
    c->timeout_ms = 30000;
    c->max_body = 10u << 20;
    c->max_redirects = 5;
    c->min_interval = 10 * 60;
    c->max_interval = 12 * 3600;
    c->default_interval = 60 * 60;
    c->backoff_base = 5 * 60;
    c->backoff_max = 24 * 3600;
    c->retry_after_max = 7 * 86400;
    c->full_articles = 0;
    c->short_item = 400;
    c->articles_per_poll = 20;
    c->crawl_delay_max_ms = 30000;
    c->update_every = 60;
}

int64_t fetch_parse_duration_ms(const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || v < 0 || v != v)
        return -1;
    while (*end == ' ')
        end++;
    double unit;
    if (!*end || strcmp(end, "s") == 0)
        unit = 1000;
    else if (strcmp(end, "ms") == 0)
        unit = 1;
    else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
        unit = 60e3;
    else if (strcmp(end, "h") == 0)
        unit = 3600e3;
    else if (strcmp(end, "d") == 0)
        unit = 86400e3;
    else
        return -1;
    double ms = v * unit;
    if (ms > 1e15)
        return -1;
    return (int64_t)(ms + 0.5);
}

int64_t fetch_parse_size(const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || v < 0 || v != v)
        return -1;
    while (*end == ' ')
        end++;
    double unit = 1;
    switch (toupper((unsigned char)*end)) {
    case '\0': break;
    case 'K': unit = 1024.0; break;
    case 'M': unit = 1024.0 * 1024; break;
    case 'G': unit = 1024.0 * 1024 * 1024; break;
    default: return -1;
    }
    if (*end && end[1] && !(toupper((unsigned char)end[1]) == 'B' && !end[2]))
        return -1;
    double bytes = v * unit;
    if (bytes > 1e15)
        return -1;
    return (int64_t)bytes;
}

static int parse_bool(const char *s)
{
    static const char *const yes[] = {"1", "on", "yes", "true"}, *const no[] = {"0", "off", "no", "false"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(s, yes[i]) == 0)
            return 1;
        if (strcasecmp(s, no[i]) == 0)
            return 0;
    }
    return -1;
}

int fetch_config_set(FetchConfig *c, const char *key, const char *value, SwErr *err)
{
    const Key *k = find_key(key);
    if (!k)
        return sw_err(err, "unknown setting '%s' (see docs/feeds.md)", key);
    char *field = (char *)c + k->offset;
    int64_t v;
    const char *what;
    switch (k->kind) {
    case K_TEXT:
        if (strlen(value) < (size_t)k->min || strlen(value) > (size_t)k->max)
            return sw_err(err, "%s: must be %lld to %lld characters", key, (long long)k->min, (long long)k->max);
        for (const char *p = value; *p; p++)
            if ((unsigned char)*p < 0x20)
                return sw_err(err, "%s: control characters are not allowed", key);
        snprintf(field, (size_t)k->max + 1, "%s", value);
        return 0;
    case K_BOOL:
        v = parse_bool(value);
        if (v < 0)
            return sw_err(err, "%s: '%s' is not on/off, yes/no, true/false or 1/0", key, value);
        *(int *)field = (int)v;
        return 0;
    case K_DURATION_MS:
    case K_DURATION_S:
        v = fetch_parse_duration_ms(value);
        what = "a duration such as 500ms, 30s, 10m, 2h or 1d";
        if (v >= 0 && k->kind == K_DURATION_S)
            v = (v + 999) / 1000;
        break;
    case K_SIZE:
        v = fetch_parse_size(value);
        what = "a size such as 4096, 64K or 10M";
        break;
    default: {
        char *end;
        errno = 0;
        long long n = strtoll(value, &end, 10);
        v = (errno || end == value || *end) ? -1 : n;
        what = "a whole number";
        break;
    }
    }
    if (v < 0)
        return sw_err(err, "%s: '%s' is not %s", key, value, what);
    if (v < k->min || v > k->max)
        return sw_err(err, "%s: '%s' is out of range (%lld to %lld%s)", key, value, (long long)k->min,
                      (long long)k->max,
                      k->kind == K_DURATION_MS ? " ms" : k->kind == K_DURATION_S ? " s"
                                                       : k->kind == K_SIZE      ? " bytes"
                                                                                : "");
    if (k->kind == K_SIZE)
        *(size_t *)field = (size_t)v;
    else if (k->kind == K_INT)
        *(int *)field = (int)v;
    else
        *(int64_t *)field = v;
    return 0;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

int fetch_config_load(FetchConfig *c, const char *path, SwErr *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return sw_err(err, "%s: cannot open config file: %s", path, strerror(errno));
    char line[1024];
    int lineno = 0, rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (!strchr(line, '\n') && !feof(f)) {
            rc = sw_err(err, "%s:%d: line longer than %zu bytes", path, lineno, sizeof line - 2);
            break;
        }
        char *s = trim(line);
        if (!*s || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            rc = sw_err(err, "%s:%d: expected 'key = value', got '%s'", path, lineno, s);
            break;
        }
        *eq = '\0';
        char *key = trim(s), *value = trim(eq + 1);
        size_t vn = strlen(value);
        if (vn >= 2 && value[0] == '"' && value[vn - 1] == '"') {
            value[vn - 1] = '\0';
            value++;
        }
        if (fetch_config_set(c, key, value, err) != 0) {
            sw_err_prefix(err, "%s:%d", path, lineno);
            rc = -1;
            break;
        }
    }
    if (rc == 0 && ferror(f))
        rc = sw_err(err, "%s: read error", path);
    fclose(f);
    if (rc == 0 && c->min_interval > c->max_interval)
        rc = sw_err(err, "%s: min_interval is longer than max_interval", path);
    return rc;
}

void fetch_config_dump(const FetchConfig *c, Buf *out)
{
    for (size_t i = 0; i < N_KEYS; i++) {
        const Key *k = &KEYS[i];
        const char *field = (const char *)c + k->offset;
        buf_printf(out, "# %s\n%s = ", k->help, k->name);
        switch (k->kind) {
        case K_TEXT: buf_printf(out, "%s\n", field); break;
        case K_BOOL: buf_printf(out, "%s\n", *(const int *)field ? "on" : "off"); break;
        case K_INT: buf_printf(out, "%d\n", *(const int *)field); break;
        case K_SIZE: buf_printf(out, "%zu\n", *(const size_t *)field); break;
        case K_DURATION_MS: buf_printf(out, "%lldms\n", (long long)*(const int64_t *)field); break;
        case K_DURATION_S: buf_printf(out, "%llds\n", (long long)*(const int64_t *)field); break;
        }
    }
}

static const char *const KIND_ARG[] = {"TIME", "TIME", "SIZE", "N", "on|off", "TEXT"};

void fetch_config_help(Buf *out)
{
    for (size_t i = 0; i < N_KEYS; i++) {
        char flag[64];
        snprintf(flag, sizeof flag, "--%s %s", KEYS[i].name, KIND_ARG[KEYS[i].kind]);
        for (char *p = flag + 2; *p && *p != ' '; p++)
            if (*p == '_')
                *p = '-';
        buf_printf(out, "  %-28s %s\n", flag, KEYS[i].help);
    }
}

static const Key *find_key(const char *name)
{
    for (size_t i = 0; i < N_KEYS; i++) {
        const char *a = KEYS[i].name, *b = name;
        while (*a && (*a == *b || (*a == '_' && *b == '-'))) {
            a++;
            b++;
        }
        if (!*a && !*b)
            return &KEYS[i];
    }
    return NULL;
}

int fetch_config_has(const char *name)
{
    return find_key(name) != NULL;
}

const char *fetch_config_key(size_t i)
{
    return i < N_KEYS ? KEYS[i].name : NULL;
}
