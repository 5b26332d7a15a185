/* fileio.c - gzip-transparent input through zlib. */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

struct LineReader {
    gzFile gz;
    int fd;
    size_t line_no;
    size_t size;
    char chunk[65536];
    size_t pos, len;
    size_t limit; /* longest line kept whole */
    int eof;
    char path[512];
};

static int open_fd(const char *path, SwErr *err)
{
    if (strcmp(path, "-") == 0)
        return dup(0);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return sw_err(err, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        return sw_err(err, "%s: is a directory", path);
    }
    return fd;
}

static const char *gz_message(gzFile gz)
{
    int code;
    const char *m = gzerror(gz, &code);
    if (code == Z_ERRNO)
        return strerror(errno);
    if (code == Z_BUF_ERROR)
        return "compressed data is truncated";
    return m && *m ? m : "read error";
}

int file_read_all(const char *path, size_t max, Buf *out, SwErr *err)
{
    int fd = open_fd(path, err);
    if (fd < 0)
        return -1;
    gzFile gz = gzdopen(fd, "rb");
    if (!gz) {
        close(fd);
        return sw_err(err, "%s: cannot open", path);
    }
    gzbuffer(gz, 65536);
    char chunk[65536];
    for (;;) {
        int n = gzread(gz, chunk, sizeof chunk);
        if (n < 0) {
            sw_err(err, "%s: %s", path, gz_message(gz));
            gzclose(gz);
            return -1;
        }
        if (n == 0)
            break;
        if (out->len + (size_t)n > max) {
            sw_err(err, "%s: larger than the limit of %zu bytes", path, max);
            gzclose(gz);
            return -1;
        }
        buf_append(out, chunk, (size_t)n);
    }
    int code;
    gzerror(gz, &code);
    int rc = 0;
    if (code != Z_OK && code != Z_STREAM_END)
        rc = sw_err(err, "%s: %s", path, gz_message(gz));
    gzclose(gz);
    buf_reserve(out, 0);
    return rc;
}

LineReader *lines_open(const char *path, SwErr *err)
{
    int fd = open_fd(path, err);
    if (fd < 0)
        return NULL;
    struct stat st;
    size_t size = 0;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
        size = (size_t)st.st_size;
    gzFile gz = gzdopen(fd, "rb");
    if (!gz) {
        close(fd);
        sw_err(err, "%s: cannot open", path);
        return NULL;
    }
    gzbuffer(gz, 65536);
    LineReader *r = xcalloc(1, sizeof *r);
    r->gz = gz;
    r->fd = fd;
    r->size = size;
    r->limit = SIZE_MAX;
    snprintf(r->path, sizeof r->path, "%s", path);
    return r;
}

void lines_set_limit(LineReader *r, size_t limit)
{
    r->limit = limit;
}

int lines_next(LineReader *r, Buf *line, SwErr *err)
{
    buf_reset(line);
    int got = 0, too_long = 0;
    for (;;) {
        if (r->pos == r->len) {
            if (r->eof)
                break;
            int n = gzread(r->gz, r->chunk, sizeof r->chunk);
            if (n < 0)
                return sw_err(err, "%s: line %zu: %s", r->path, r->line_no + 1, gz_message(r->gz));
            if (n == 0) {
                int code;
                gzerror(r->gz, &code);
                if (code != Z_OK && code != Z_STREAM_END)
                    return sw_err(err, "%s: line %zu: %s", r->path, r->line_no + 1,
                                  gz_message(r->gz));
                r->eof = 1;
                break;
            }
            r->pos = 0;
            r->len = (size_t)n;
        }
        char *start = r->chunk + r->pos;
        char *nl = memchr(start, '\n', r->len - r->pos);
        size_t take = nl ? (size_t)(nl - start) : r->len - r->pos;
        size_t keep = take;
        if (line->len + keep > r->limit) {
            keep = r->limit > line->len ? r->limit - line->len : 0;
            too_long = 1;
        }
        buf_append(line, start, keep);
        got = 1;
        r->pos += take;
        if (nl) {
            r->pos++;
            break;
        }
    }
    if (!got)
        return 0;
    if (line->len && line->data[line->len - 1] == '\r')
        line->data[--line->len] = '\0';
    r->line_no++;
    if (too_long) {
        buf_reserve(line, 0);
        return LINES_TOO_LONG;
    }
    buf_reserve(line, 0);
    return 1;
}

size_t lines_number(const LineReader *r)
{
    return r->line_no;
}

size_t lines_offset(const LineReader *r)
{
    long off = gzoffset(r->gz);
    return off > 0 ? (size_t)off : 0;
}

size_t lines_size(const LineReader *r)
{
    return r->size;
}

void lines_close(LineReader *r)
{
    if (!r)
        return;
    gzclose(r->gz);
    free(r);
}
