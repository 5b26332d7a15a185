/* log.h - messages to the user on stderr, and progress for long work.
 *
 * Only the CLI and the server call these; library modules report through
 * SwErr. On a terminal, progress is a bar redrawn in place; otherwise it is
 * a plain log line every few seconds, so logs stay readable. */
#ifndef SW_LOG_H
#define SW_LOG_H

#include <stddef.h>

extern int log_quiet; /* set by --quiet: only warnings and errors */

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

typedef struct Progress {
    const char *label;
    size_t total; /* 0 when unknown */
    size_t done;
    double started, last_draw;
    int tty;
    int drawn;
    int bytes; /* done and total count bytes: drawn as MB and MB/s */
} Progress;

void progress_start(Progress *p, const char *label, size_t total);
void progress_update(Progress *p, size_t done);
void progress_finish(Progress *p);

double clock_seconds(void); /* monotonic */

#endif
