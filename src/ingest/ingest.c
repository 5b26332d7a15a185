/* ingest.c - chooses a reader by content and runs it over a file.
 *
 * JSONL is streamed line by line and WARC archives record by record, so a
 * large (or gzipped) file runs in bounded memory; a text page is read
 * whole (capped at 16 MB), an HTML page too (capped at the extractor's
 * limit; webpage.c). Every skipped record is reported with "file:line:
 * what is wrong", or "file: record at offset N" in an archive. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../core/buf.h"
#include "../core/fileio.h"
#include "../core/timeutil.h"
#include "../core/utf8util.h"
#include "../feeds/feed.h"
#include "ingest.h"
#include "warc.h"

#define TEXTPAGE_MAX (16u << 20)
#define JSONL_LINE_MAX (32u << 20)

const char *ingest_kind_name(InputKind k)
{
    switch (k) {
    case INPUT_EMPTY: return "empty file";
    case INPUT_JSONL: return "article JSONL";
    case INPUT_TEXTPAGE: return "text page";
    case INPUT_HTML: return "HTML page";
    case INPUT_BINARY: return "binary data";
    case INPUT_WARC: return "WARC archive";
    default: return "unknown";
    }
}

InputKind ingest_detect(const char *head, size_t n)
{
    size_t i = 0;
    /* before the binary test: a WARC's first records may hold binary payloads */
    if (warc_detect(head, n))
        return INPUT_WARC;
    if (n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    size_t nul = i < n && memchr(head + i, '\0', n - i) != NULL, bad = 0;
    for (size_t k = i; k < n;) {
        uint64_t w;
        if (k + 8 <= n && (memcpy(&w, head + k, 8), !(w & 0x8080808080808080ULL))) {
            k += 8; /* eight ASCII bytes */
            continue;
        }
        if ((unsigned char)head[k] < 0x80) {
            k++;
            continue;
        }
        size_t len = utf8_seq_len(head + k, n - k);
        if (!len) {
            if (n - k < 4)
                break; /* a sequence cut by the end of the sample */
            bad++;
            k++;
        } else {
            k += len;
        }
    }
    while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\n' || head[i] == '\r'))
        i++;
    if (i == n)
        return INPUT_EMPTY;
    if (nul || bad * 20 > n)
        return INPUT_BINARY;
    if (head[i] == '{')
        return INPUT_JSONL;
    if (head[i] == '<')
        return INPUT_HTML;
    /* a text page: a first line of title length, then a blank line */
    const char *nl = memchr(head + i, '\n', n - i);
    if (!nl || (size_t)(nl - (head + i)) > 400)
        return INPUT_UNKNOWN;
    const char *p = nl + 1;
    while (p < head + n && (*p == ' ' || *p == '\t' || *p == '\r'))
        p++;
    if (p < head + n && *p == '\n')
        return INPUT_TEXTPAGE;
    return INPUT_UNKNOWN;
}

void ingest_article_finish(Article *a, const IngestOptions *opt, int64_t now)
{
    if (!a->source && opt && opt->source)
        a->source = opt->source;
    a->fetched = opt && opt->fetched ? opt->fetched : now;
    /* news is not published in the future: a date more than a day ahead
     * is a wrong clock or time zone, and would pin its story to the top */
    if (a->published > a->fetched + 86400)
        a->published = a->fetched;
}

static int read_jsonl(const char *path, const IngestOptions *opt, IngestArticleFn fn,
                      IngestErrorFn on_error, void *ctx, IngestStats *st, SwErr *err)
{
    LineReader *r = lines_open(path, err);
    if (!r)
        return -1;
    lines_set_limit(r, JSONL_LINE_MAX);
    Buf line = {0};
    Arena arena = {0};
    int64_t now = time_now();
    int rc = 0, got;
    SwErr line_err;
    char where[600], msg[1700];
    while ((got = lines_next(r, &line, err)) > 0) {
        size_t ln = lines_number(r);
        const char *s = buf_cstr(&line);
        size_t k = 0;
        while (k < line.len && (s[k] == ' ' || s[k] == '\t'))
            k++;
        if (k == line.len)
            continue; /* blank lines are allowed between records */
        st->records++;
        snprintf(where, sizeof where, "%s:%zu", path, ln);
        if (got == LINES_TOO_LONG) {
            snprintf(msg, sizeof msg, "%s: line longer than %u bytes, skipped", where, JSONL_LINE_MAX);
            st->skipped++;
            if (on_error)
                on_error(ctx, msg);
            continue;
        }
        Article a;
        if (ingest_jsonl_line(&arena, s, line.len, &a, &line_err) != 0) {
            snprintf(msg, sizeof msg, "%s: %s", where, line_err.msg);
            st->skipped++;
            if (on_error)
                on_error(ctx, msg);
        } else {
            ingest_article_finish(&a, opt, now);
            st->articles++;
            if (fn(ctx, &a, where) != 0) {
                rc = sw_err(err, "%s: stopped", where);
                arena_free(&arena);
                break;
            }
        }
        if (arena.total > (8u << 20))
            arena_free(&arena);
    }
    if (got < 0)
        rc = -1;
    arena_free(&arena);
    buf_free(&line);
    lines_close(r);
    return rc;
}

/* The first SNIFF_BYTES bytes of the file as they are on disk, read once
 * for every test below: 1 when they are the file's own text (not gzip),
 * 0 when the file is gzip (head holds the compressed start), -1 when it
 * cannot be read here (the line reader then says why). */
#define SNIFF_BYTES 4096
static int read_raw_head(const char *path, Buf *head)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    buf_reserve(head, SNIFF_BYTES + 1);
    ssize_t n = 0;
    while (head->len < SNIFF_BYTES &&
           (n = read(fd, head->data + head->len, SNIFF_BYTES - head->len)) > 0)
        head->len += (size_t)n;
    close(fd);
    head->data[head->len] = 0;
    if (n < 0)
        return -1;
    int gzip = head->len >= 2 && (unsigned char)head->data[0] == 0x1f && (unsigned char)head->data[1] == 0x8b;
    return gzip ? 0 : 1;
}

/* The decompressed head of a gzip file (or of one read_raw_head could not
 * read): at most about SNIFF_BYTES of its lines. */
static int sniff_gzip_head(const char *path, Buf *head, SwErr *err)
{
    buf_reset(head);
    LineReader *r = lines_open(path, err);
    if (!r)
        return -1;
    lines_set_limit(r, SNIFF_BYTES);
    Buf line = {0};
    while (head->len < SNIFF_BYTES && lines_next(r, &line, err) > 0) {
        buf_append(head, line.data ? line.data : "", line.len);
        buf_putc(head, '\n');
    }
    lines_close(r);
    buf_free(&line);
    return 0;
}

/* 1 when the first line of the file (at most FEED_MAX_BYTES of it) is a
 * JSON Feed by its "version" key. */
static int first_line_is_json_feed(const char *path)
{
    SwErr err;
    LineReader *r = lines_open(path, &err);
    if (!r)
        return 0;
    lines_set_limit(r, FEED_MAX_BYTES);
    Buf line = {0};
    int got = lines_next(r, &line, &err);
    int yes = (got == 1 || got == LINES_TOO_LONG) && line.len && feed_sniff_json_version(line.data, line.len);
    lines_close(r);
    buf_free(&line);
    return yes;
}

int ingest_file(const char *path, const IngestOptions *opt, IngestArticleFn fn,
                IngestErrorFn on_error, void *ctx, IngestStats *stats, SwErr *err)
{
    IngestStats local = {0};
    IngestStats *st = stats ? stats : &local;
    if (strcmp(path, "-") == 0)
        return sw_err(err, "-: standard input is not read; give a file name");
    Buf head = {0};
    int plain = read_raw_head(path, &head);
    /* archives first: their own reader passes over a corrupt gzip member
     * that would stop the generic sniffing below */
    if (plain >= 0 && warc_raw_detect((const unsigned char *)head.data, head.len)) {
        buf_free(&head);
        return ingest_warc_file(path, opt, fn, on_error, ctx, st, err);
    }
    if (plain <= 0 && sniff_gzip_head(path, &head, err) != 0) {
        buf_free(&head);
        return -1;
    }
    InputKind kind = ingest_detect(head.data ? head.data : "", head.len);
    int is_feed = feed_sniff(head.data ? head.data : "", head.len);
    /* JSON whose first line runs past the sample: a one-line JSON Feed may
     * name its version anywhere, so that line is read whole to look */
    if (!is_feed && kind == INPUT_JSONL && head.len >= SNIFF_BYTES && !memchr(head.data, '\n', head.len))
        is_feed = first_line_is_json_feed(path);
    buf_free(&head);
    if (is_feed)
        return ingest_feed_file(path, opt, fn, on_error, ctx, st, err);

    switch (kind) {
    case INPUT_JSONL:
        return read_jsonl(path, opt, fn, on_error, ctx, st, err);
    case INPUT_TEXTPAGE: {
        Buf all = {0};
        Arena arena = {0};
        if (file_read_all(path, TEXTPAGE_MAX, &all, err) != 0) {
            buf_free(&all);
            return -1;
        }
        st->records++;
        Article a;
        SwErr page_err;
        int rc = 0;
        if (ingest_textpage(&arena, all.data, all.len, &a, &page_err) != 0) {
            rc = sw_err(err, "%s: not a readable text page: %s", path, page_err.msg);
        } else {
            if (opt && opt->url)
                a.url = opt->url;
            ingest_article_finish(&a, opt, time_now());
            st->articles++;
            char where[600];
            snprintf(where, sizeof where, "%s:1", path);
            if (fn(ctx, &a, where) != 0)
                rc = sw_err(err, "%s: stopped", path);
        }
        arena_free(&arena);
        buf_free(&all);
        return rc;
    }
    case INPUT_EMPTY:
        return sw_err(err, "%s: empty file, nothing to read", path);
    case INPUT_HTML:
        return ingest_html_file(path, opt, fn, on_error, ctx, st, err);
    case INPUT_WARC:
        return ingest_warc_file(path, opt, fn, on_error, ctx, st, err);
    case INPUT_BINARY:
        return sw_err(err, "%s: binary data, not article JSONL, a text page, an HTML page or a WARC archive", path);
    default:
        return sw_err(err, "%s: unknown file type (expected article JSONL, a text page, an HTML page or a WARC archive)",
                      path);
    }
}
