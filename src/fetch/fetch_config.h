/* fetch_config.h - the settings of feed polling and article fetching, with
 * their defaults, the config file that overrides them and the flags that
 * override the file (docs/feeds.md lists every key).
 *
 * Config file format (e.g. storywire.conf): one `key = value` a line;
 * blank lines and lines starting with '#' are ignored; keys are the names
 * below (the command-line flag is the same name with '-' for '_'); values
 * are durations ("500ms", "30s", "10m", "2h", "1d"; a bare number is
 * seconds), sizes ("512", "64K", "10M", "1G" bytes), whole numbers,
 * booleans (on/off, yes/no, true/false, 1/0) or text. An unknown key or a
 * bad value is an error naming the file and line. */
#ifndef SW_FETCH_CONFIG_H
#define SW_FETCH_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../core/err.h"

#define FETCH_USER_AGENT "storywire/0.1 (+https://github.com/storywire/storywire)"

typedef struct FetchConfig {
    /* HTTP */
    char user_agent[256];        /* user_agent */
    int max_in_flight;           /* max_in_flight: requests at once, all hosts */
    int64_t host_delay_ms;       /* host_delay: from the end of one request to the next, same host */
    int64_t connect_timeout_ms;  /* connect_timeout */
    int64_t timeout_ms;          /* timeout: a whole request */
    size_t max_body;             /* max_body: bytes after decompression */
    int max_redirects;           /* max_redirects (at most 5 by default) */
    /* scheduling, seconds */
    int64_t min_interval;        /* min_interval */
    int64_t max_interval;        /* max_interval */
    int64_t default_interval;    /* default_interval: a new feed's first interval */
    int64_t backoff_base;        /* backoff_base: the first retry delay after a failure */
    int64_t backoff_max;         /* backoff_max */
    int64_t retry_after_max;     /* retry_after_max: longest Retry-After honoured */
    /* full articles */
    int full_articles;           /* full_articles: fetch the page of short items */
    size_t short_item;           /* short_item: text shorter than this (bytes) is "short" */
    int articles_per_poll;       /* articles_per_poll: most pages fetched per feed per poll */
    int64_t crawl_delay_max_ms;  /* crawl_delay_max: longest robots.txt Crawl-delay honoured (0 = ignore it) */
    /* run */
    int64_t update_every;        /* update_every: seconds between story updates in `run` */
} FetchConfig;

/* The defaults (docs/feeds.md). */
void fetch_config_defaults(FetchConfig *c);

/* Sets one key from its text value; -1 with err naming the key. */
int fetch_config_set(FetchConfig *c, const char *key, const char *value, SwErr *err);

/* Reads a config file over c. -1 with err "PATH:LINE: ..." on the first
 * bad line (c may then be partly changed). */
int fetch_config_load(FetchConfig *c, const char *path, SwErr *err);

/* Writes every key = value, one a line, as a config file would hold them. */
void fetch_config_dump(const FetchConfig *c, Buf *out);

/* Writes one line per key for --help: "  --key VALUE   description". */
void fetch_config_help(Buf *out);
/* The i-th key's name ("host_delay"), or NULL past the last. */
const char *fetch_config_key(size_t i);
/* 1 when name (a flag name with '-' or '_') is a config key. */
int fetch_config_has(const char *name);

/* Parses "500ms", "30s", "10m", "2h", "1d" or bare seconds into
 * milliseconds; -1 when malformed or negative. */
int64_t fetch_parse_duration_ms(const char *s);
/* Parses "512", "64K", "10M", "1G" (binary multiples) into bytes; -1 when
 * malformed. */
int64_t fetch_parse_size(const char *s);

#endif
