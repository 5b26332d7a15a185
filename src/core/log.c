/* log.c - stderr messages and the progress bar. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int log_quiet;

static void vlog(const char *level, const char *fmt, va_list ap)
{
    fputs("storywire: ", stderr);
    if (level)
        fputs(level, stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void log_info(const char *fmt, ...)
{
    if (log_quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    vlog(NULL, fmt, ap);
    va_end(ap);
}

void log_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog("warning: ", fmt, ap);
    va_end(ap);
}

void log_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog("error: ", fmt, ap);
    va_end(ap);
}

double clock_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void draw(Progress *p, int final)
{
    double now = clock_seconds(), el = now - p->started;
    double rate = el > 0 ? (double)p->done / el : 0;
    if (p->tty) {
        char bar[31];
        int fill = p->total ? (int)(30.0 * (double)p->done / (double)p->total) : 0;
        if (fill > 30)
            fill = 30;
        for (int i = 0; i < 30; i++)
            bar[i] = i < fill ? '#' : '.';
        bar[30] = '\0';
        if (p->bytes && p->total)
            fprintf(stderr, "\r%s [%s] %.1f/%.1f MB  %.1f MB/s ", p->label, bar, (double)p->done / 1e6,
                    (double)p->total / 1e6, rate / 1e6);
        else if (p->bytes)
            fprintf(stderr, "\r%s %.1f MB  %.1f MB/s ", p->label, (double)p->done / 1e6, rate / 1e6);
        else if (p->total)
            fprintf(stderr, "\r%s [%s] %zu/%zu  %.0f/s ", p->label, bar, p->done, p->total, rate);
        else
            fprintf(stderr, "\r%s %zu  %.0f/s ", p->label, p->done, rate);
        if (final)
            fputc('\n', stderr);
    } else if (p->bytes) {
        fprintf(stderr, "storywire: %s %.1f/%.1f MB (%.1f MB/s)\n", p->label, (double)p->done / 1e6,
                (double)p->total / 1e6, rate / 1e6);
    } else {
        if (p->total)
            fprintf(stderr, "storywire: %s %zu/%zu (%.0f/s)\n", p->label, p->done, p->total, rate);
        else
            fprintf(stderr, "storywire: %s %zu (%.0f/s)\n", p->label, p->done, rate);
    }
    p->last_draw = now;
    p->drawn = 1;
}

void progress_start(Progress *p, const char *label, size_t total)
{
    p->label = label;
    p->total = total;
    p->done = 0;
    p->started = p->last_draw = clock_seconds();
    p->tty = isatty(2);
    p->drawn = 0;
    p->bytes = 0;
}

void progress_update(Progress *p, size_t done)
{
    p->done = done;
    if (log_quiet)
        return;
    double now = clock_seconds();
    if (now - p->last_draw >= (p->tty ? 0.1 : 5.0))
        draw(p, 0);
}

void progress_finish(Progress *p)
{
    if (!log_quiet && p->drawn)
        draw(p, 1);
}
