/* ingest.c - chooses a reader by content and runs it over a file.
 *
 * JSONL is streamed line by line, so a large (or gzipped) file runs in
 * bounded memory; a text page is read whole (capped at 16 MB). Every
 * skipped record is reported with "file:line: what is wrong". */
#include <stdio.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/fileio.h"
#include "../core/timeutil.h"
#include "../core/utf8util.h"
#include "../feeds/feed.h"
#include "ingest.h"

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
    default: return "unknown";
    }
}

InputKind ingest_detect(const char *head, size_t n)
{
    size_t i = 0;
    if (n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    size_t nul = 0, bad = 0;
    for (size_t k = i; k < n; k++) {
        if (head[k] == '\0')
            nul++;
    }
    for (size_t k = i; k < n;) {
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

int ingest_file(const char *path, const IngestOptions *opt, IngestArticleFn fn,
                IngestErrorFn on_error, void *ctx, IngestStats *stats, SwErr *err)
{
    IngestStats local = {0};
    IngestStats *st = stats ? stats : &local;
    if (strcmp(path, "-") == 0)
        return sw_err(err, "-: standard input is not read; give a file name");
    /* sniff the decompressed head of the file: at most 4 KB of it */
    LineReader *r = lines_open(path, err);
    if (!r)
        return -1;
    lines_set_limit(r, 4096);
    Buf head = {0}, line = {0};
    int got;
    while (head.len < 4096 && (got = lines_next(r, &line, err)) > 0) {
        buf_append(&head, line.data ? line.data : "", line.len);
        buf_putc(&head, '\n');
    }
    lines_close(r);
    buf_free(&line);
    InputKind kind = ingest_detect(head.data ? head.data : "", head.len);
    int is_feed = feed_sniff(head.data ? head.data : "", head.len);
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
        return sw_err(err, "%s: HTML pages are not read yet; convert to article JSONL (\"html\" key)", path);
    case INPUT_BINARY:
        return sw_err(err, "%s: binary data, not article JSONL or a text page", path);
    default:
        return sw_err(err, "%s: unknown file type (expected article JSONL or a text page)", path);
    }
}
