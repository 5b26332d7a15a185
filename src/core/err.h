/* err.h - the one error type every library function fills.
 *
 * Library code never prints or exits: a function that can fail returns -1
 * (or NULL) and writes a sentence into a SwErr saying what failed and where
 * (file and line, URL, slug). The CLI decides how to show it. */
#ifndef SW_ERR_H
#define SW_ERR_H

#include <stddef.h>

typedef struct SwErr {
    char msg[1024];
} SwErr;

/* Formats a message into err (err may be NULL). Always returns -1 so that
 * callers can write `return sw_err(err, "...")`. */
int sw_err(SwErr *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prepends "prefix: " to an existing message (e.g. the file name). */
void sw_err_prefix(SwErr *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Allocation that never returns NULL: on failure it aborts, because nothing
 * sensible can continue without memory and every caller would otherwise
 * carry the same check. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
