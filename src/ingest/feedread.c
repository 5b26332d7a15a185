/* feedread.c - a feed file (RSS, Atom, JSON Feed) as a source of
 * articles: each item becomes an Article as feed_item_article maps it.
 * The feed is read whole, capped at FEED_MAX_BYTES so memory stays
 * bounded; items with neither title nor text are reported and skipped.
 * Items keep the text the feed carries, however short: fetching the full
 * article behind a link is the fetcher's job, not a reader's. */
#include <stdio.h>

#include "../core/buf.h"
#include "../core/fileio.h"
#include "../core/timeutil.h"
#include "../feeds/feed.h"
#include "ingest.h"

int ingest_feed_file(const char *path, const IngestOptions *opt, IngestArticleFn fn,
                     IngestErrorFn on_error, void *ctx, IngestStats *st, SwErr *err)
{
    Buf data = {0};
    if (file_read_all(path, FEED_MAX_BYTES, &data, err) != 0) {
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
        snprintf(where, sizeof where, "%s: item %zu", path, i + 1);
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
