/* feedread.c - a feed file (RSS, Atom, JSON Feed) as a source of
 * articles: each item becomes an Article as feed_item_article maps it.
 * The feed is read whole, capped at FEED_MAX_BYTES so memory stays
 * bounded; items with neither title nor text are reported and skipped.
 * Items keep the text the feed carries, however short: fetching the full
 * article behind a link is the fetcher's job, not a reader's. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/buf.h"
#include "../core/fileio.h"
#include "../core/timeutil.h"
#include "../feeds/feed.h"
#include "ingest.h"

/* Reads a plain (not gzip) file whole with read(2) into out: zlib's
 * pass-through would copy every byte twice more. Returns 1 when done, 0
 * when the file is gzip (or not a regular file) and file_read_all should
 * read it, -1 on error with err filled. */
static int read_plain(const char *path, Buf *out, SwErr *err)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return 0; /* file_read_all reports the error in its words */
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return 0;
    }
    if ((uint64_t)sb.st_size > FEED_MAX_BYTES) {
        close(fd);
        return sw_err(err, "%s: larger than the limit of %u bytes for a feed", path, FEED_MAX_BYTES);
    }
    buf_reserve(out, (size_t)sb.st_size + 1);
    for (;;) {
        if (out->cap - out->len < 2)
            buf_reserve(out, out->cap);
        ssize_t n = read(fd, out->data + out->len, out->cap - out->len - 1);
        if (n < 0) {
            close(fd);
            return sw_err(err, "%s: %s", path, strerror(errno));
        }
        if (n == 0)
            break;
        out->len += (size_t)n;
        out->data[out->len] = 0;
        if (out->len > FEED_MAX_BYTES) {
            close(fd);
            return sw_err(err, "%s: larger than the limit of %u bytes for a feed", path, FEED_MAX_BYTES);
        }
    }
    close(fd);
    if (out->len >= 2 && (unsigned char)out->data[0] == 0x1f && (unsigned char)out->data[1] == 0x8b) {
        buf_reset(out); /* gzip: decompressed by file_read_all */
        return 0;
    }
    return 1;
}

int ingest_feed_file(const char *path, const IngestOptions *opt, IngestArticleFn fn,
                     IngestErrorFn on_error, void *ctx, IngestStats *st, SwErr *err)
{
    Buf data = {0};
    int plain = read_plain(path, &data, err);
    if (plain < 0 || (plain == 0 && file_read_all(path, FEED_MAX_BYTES, &data, err) != 0)) {
        buf_free(&data);
        return -1;
    }
    Feed feed;
    SwErr ferr;
    int rc = feed_parse(data.data, data.len, opt ? opt->url : NULL, NULL, &feed, &ferr);
    buf_free(&data);
    if (rc != 0)
        return sw_err(err, "%s: %s", path, ferr.msg);
    int64_t now = time_now();
    char where[600], msg[1400];
    for (size_t i = 0; i < feed.nitems; i++) {
        const FeedItem *it = &feed.items[i];
        st->records++;
        /* "FILE: item N", without printf's cost per item */
        size_t pl = strlen(path) < sizeof where - 32 ? strlen(path) : sizeof where - 32;
        memcpy(where, path, pl);
        memcpy(where + pl, ": item ", 7);
        char digits[24];
        size_t nd = 0;
        for (size_t k = i + 1; k; k /= 10)
            digits[nd++] = (char)('0' + k % 10);
        for (size_t k = 0; k < nd; k++)
            where[pl + 7 + k] = digits[nd - 1 - k];
        where[pl + 7 + nd] = 0;
        Article a;
        if (feed_item_article(&feed, it, &a) != 0) {
            st->skipped++;
            if (on_error) {
                snprintf(msg, sizeof msg, "%s (%.200s): neither title nor text", where, it->id);
                on_error(ctx, msg);
            }
            continue;
        }
        if (opt && opt->source)
            a.source = opt->source;
        ingest_article_finish(&a, opt, now);
        st->articles++;
        if (fn(ctx, &a, where) != 0) {
            rc = sw_err(err, "%s: stopped", where);
            break;
        }
    }
    feed_free(&feed);
    return rc;
}
