/* store_feeds.c - the SQLite queries behind feeds.h: the feeds table and
 * the item keys each feed has delivered (schema version 4), and the
 * robots.txt of the hosts article pages come from.
 *
 * Writes go through sq_call_begin/sq_call_end, so inside the poller's
 * transaction they are savepoints and the whole poll commits at once. */
#include "feeds.h"

#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

#define FEED_COLS                                                                                  \
    "f.id, f.url, f.name, f.site_url, f.etag, f.last_modified, f.status, f.last_error,"           \
    " f.last_attempt, f.last_success, f.last_change, f.next_poll, f.created, f.error_count,"      \
    " f.interval, f.items_new, f.items_total,"                                                     \
    " (SELECT count(*) FROM feed_items i WHERE i.feed_id = f.id)"

static const char SQL_FEED_ADD[] =
    "INSERT INTO feeds(url, name, site_url, status, next_poll, created) VALUES (?1, ?2, ?3, 'new', 0, ?4)"
    " ON CONFLICT(url) DO NOTHING";
static const char SQL_FEED_FIND[] = "SELECT id FROM feeds WHERE url = ?1";
static const char SQL_FEED_EXISTS[] = "SELECT 1 FROM feeds WHERE id = ?1";
static const char SQL_FEED_DELETE_ITEMS[] = "DELETE FROM feed_items WHERE feed_id = ?1";
static const char SQL_FEED_DELETE[] = "DELETE FROM feeds WHERE id = ?1";
static const char SQL_FEED_GET[] = "SELECT " FEED_COLS " FROM feeds f WHERE f.id = ?1";
static const char SQL_FEED_LIST[] = "SELECT " FEED_COLS " FROM feeds f ORDER BY f.id";
static const char SQL_FEED_DUE[] = "SELECT id FROM feeds WHERE next_poll <= ?1 OR ?2 ORDER BY next_poll, id";
static const char SQL_FEED_NEXT[] = "SELECT min(next_poll) FROM feeds HAVING count(*) > 0";
static const char SQL_FEED_UPDATE[] =
    "UPDATE feeds SET url = ?2, name = ?3, site_url = ?4, etag = ?5, last_modified = ?6, status = ?7,"
    " last_error = ?8, last_attempt = ?9, last_success = ?10, last_change = ?11, next_poll = ?12,"
    " error_count = ?13, interval = ?14, items_new = ?15, items_total = ?16 WHERE id = ?1";
static const char SQL_ITEM_KNOWN[] = "SELECT 1 FROM feed_items WHERE feed_id = ?1 AND item_key = ?2";
static const char SQL_ITEM_ADD[] =
    "INSERT INTO feed_items(feed_id, item_key, article_id, first_seen) VALUES (?1, ?2, NULLIF(?3, 0), ?4)"
    " ON CONFLICT DO NOTHING";

int store_feed_add(Store *s, const char *url, const char *name, const char *site_url, int64_t now,
                   int64_t *id, int *added, SwErr *err)
{
    *id = 0;
    *added = 0;
    int mode;
    if (sq_call_begin(s, &mode, err) != 0)
        return -1;
    int ok = -1;
    sqlite3_stmt *st = sq_stmt(s, SQL_FEED_ADD, err);
    if (st) {
        sq_bind_text(st, 1, url);
        sq_bind_text(st, 2, name && *name ? name : NULL);
        sq_bind_text(st, 3, site_url && *site_url ? site_url : NULL);
        sqlite3_bind_int64(st, 4, now);
        if (sq_exec(s, st, err, "cannot add feed") == 0) {
            *added = sqlite3_changes(s->db) > 0;
            ok = store_feed_find(s, url, id, err);
            if (ok == STORE_NOT_FOUND)
                ok = sw_err(err, "%s: feed %s vanished while being added", s->path, url);
        }
    }
    return sq_call_end(s, mode, ok, err);
}

int store_feed_find(Store *s, const char *url, int64_t *id, SwErr *err)
{
    sqlite3_stmt *st = sq_stmt(s, SQL_FEED_FIND, err);
    if (!st)
        return -1;
    sq_bind_text(st, 1, url);
    return sq_query_int(s, st, id, err, "cannot look up feed");
}

int store_feed_exists(Store *s, int64_t id, SwErr *err)
{
    sqlite3_stmt *st = sq_stmt(s, SQL_FEED_EXISTS, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int64_t one;
    return sq_query_int(s, st, &one, err, "cannot look up feed");
}

int store_feed_remove(Store *s, int64_t id, SwErr *err)
{
    int mode;
    if (sq_call_begin(s, &mode, err) != 0)
        return -1;
    int ok = -1;
    sqlite3_stmt *items = sq_stmt(s, SQL_FEED_DELETE_ITEMS, err);
    sqlite3_stmt *feed = items ? sq_stmt(s, SQL_FEED_DELETE, err) : NULL;
    if (feed) {
        sqlite3_bind_int64(items, 1, id);
        sqlite3_bind_int64(feed, 1, id);
        if (sq_exec(s, items, err, "cannot remove feed items") == 0 &&
            sq_exec(s, feed, err, "cannot remove feed") == 0)
            ok = sqlite3_changes(s->db) > 0 ? 0 : STORE_NOT_FOUND;
    }
    return sq_call_end(s, mode, ok, err);
}

static void read_feed(sqlite3_stmt *st, Arena *a, FeedRow *f)
{
    f->id = sqlite3_column_int64(st, 0);
    f->url = sq_col_str(st, 1, a);
    f->name = sq_col_str(st, 2, a);
    f->site_url = sq_col_str(st, 3, a);
    f->etag = sq_col_str(st, 4, a);
    f->last_modified = sq_col_str(st, 5, a);
    f->status = sq_col_str(st, 6, a);
    f->last_error = sq_col_str(st, 7, a);
    f->last_attempt = sqlite3_column_int64(st, 8);
    f->last_success = sqlite3_column_int64(st, 9);
    f->last_change = sqlite3_column_int64(st, 10);
    f->next_poll = sqlite3_column_int64(st, 11);
    f->created = sqlite3_column_int64(st, 12);
    f->error_count = sqlite3_column_int(st, 13);
    f->interval = sqlite3_column_int(st, 14);
    f->items_new = sqlite3_column_int64(st, 15);
    f->items_total = sqlite3_column_int64(st, 16);
    f->items_known = sqlite3_column_int64(st, 17);
    if (!f->url)
        f->url = "";
    if (!f->status)
        f->status = FEED_STATUS_NEW;
}

int store_feed_get(Store *s, int64_t id, Arena *a, FeedRow *out, SwErr *err)
{
    sqlite3_stmt *st = sq_stmt(s, SQL_FEED_GET, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    int ok;
    if (rc == SQLITE_ROW) {
        read_feed(st, a, out);
        ok = 0;
    } else if (rc == SQLITE_DONE) {
        ok = STORE_NOT_FOUND;
    } else {
        ok = sq_err(s, err, "cannot read feed");
    }
    sq_done(st);
    return ok;
}

int store_feed_list(Store *s, Arena *a, FeedRow **rows, size_t *n, SwErr *err)
{
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *st = sq_stmt(s, SQL_FEED_LIST, err);
    if (!st)
        return -1;
    FeedRow *v = NULL;
    size_t len = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (len == cap) {
            cap = cap ? cap * 2 : 16;
            v = xrealloc(v, cap * sizeof *v);
        }
        read_feed(st, a, &v[len++]);
    }
    if (rc != SQLITE_DONE) {
        sq_err(s, err, "cannot list feeds");
        sq_done(st);
        free(v);
        return -1;
    }
    sq_done(st);
    *rows = v;
    *n = len;
    return 0;
}

int store_feed_due(Store *s, int64_t now, int all, int64_t **ids, size_t *n, SwErr *err)
{
    sqlite3_stmt *st = sq_stmt(s, SQL_FEED_DUE, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int(st, 2, all != 0);
    return sq_query_ids(s, st, ids, n, err, "cannot list due feeds");
}

int store_feed_next_due(Store *s, int64_t *when, SwErr *err)
{
    sqlite3_stmt *st = sq_stmt(s, SQL_FEED_NEXT, err);
    if (!st)
        return -1;
    return sq_query_int(s, st, when, err, "cannot find the next due feed");
}

int store_feed_update(Store *s, const FeedRow *f, SwErr *err)
{
    int mode;
    if (sq_call_begin(s, &mode, err) != 0)
        return -1;
    int ok = -1;
    sqlite3_stmt *st = sq_stmt(s, SQL_FEED_UPDATE, err);
    if (st) {
        sqlite3_bind_int64(st, 1, f->id);
        sq_bind_text(st, 2, f->url);
        sq_bind_text(st, 3, f->name);
        sq_bind_text(st, 4, f->site_url);
        sq_bind_text(st, 5, f->etag);
        sq_bind_text(st, 6, f->last_modified);
        sq_bind_text(st, 7, f->status ? f->status : FEED_STATUS_NEW);
        sq_bind_text(st, 8, f->last_error);
        sqlite3_bind_int64(st, 9, f->last_attempt);
        sqlite3_bind_int64(st, 10, f->last_success);
        sqlite3_bind_int64(st, 11, f->last_change);
        sqlite3_bind_int64(st, 12, f->next_poll);
        sqlite3_bind_int(st, 13, f->error_count);
        sqlite3_bind_int(st, 14, f->interval);
        sqlite3_bind_int64(st, 15, f->items_new);
        sqlite3_bind_int64(st, 16, f->items_total);
        if (sq_exec(s, st, err, "cannot update feed") == 0)
            ok = sqlite3_changes(s->db) > 0 ? 0 : STORE_NOT_FOUND;
        else
            sw_err_prefix(err, "feed %lld (%s)", (long long)f->id, f->url ? f->url : "");
    }
    return sq_call_end(s, mode, ok, err);
}

int store_feed_item_known(Store *s, int64_t feed_id, const char *key, SwErr *err)
{
    sqlite3_stmt *st = sq_stmt(s, SQL_ITEM_KNOWN, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, feed_id);
    sq_bind_text(st, 2, key);
    int64_t one;
    int rc = sq_query_int(s, st, &one, err, "cannot look up feed item");
    return rc < 0 ? -1 : rc == 0;
}

int store_feed_item_add(Store *s, int64_t feed_id, const char *key, int64_t article_id, int64_t now,
                        SwErr *err)
{
    int mode;
    if (sq_call_begin(s, &mode, err) != 0)
        return -1;
    int ok = -1;
    sqlite3_stmt *st = sq_stmt(s, SQL_ITEM_ADD, err);
    if (st) {
        sqlite3_bind_int64(st, 1, feed_id);
        sq_bind_text(st, 2, key);
        sqlite3_bind_int64(st, 3, article_id);
        sqlite3_bind_int64(st, 4, now);
        ok = sq_exec(s, st, err, "cannot remember feed item");
    }
    return sq_call_end(s, mode, ok, err);
}

static const char SQL_ROBOTS_GET[] = "SELECT kind, body, fetched, expires FROM robots WHERE host = ?1";
static const char SQL_ROBOTS_PUT[] =
    "INSERT INTO robots(host, kind, body, fetched, expires) VALUES (?1, ?2, ?3, ?4, ?5)"
    " ON CONFLICT(host) DO UPDATE SET kind = excluded.kind, body = excluded.body,"
    " fetched = excluded.fetched, expires = excluded.expires";

int store_robots_get(Store *s, const char *host, Arena *a, RobotsRow *out, SwErr *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = sq_stmt(s, SQL_ROBOTS_GET, err);
    if (!st)
        return -1;
    sq_bind_text(st, 1, host);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sq_done(st);
        return STORE_NOT_FOUND;
    }
    if (rc != SQLITE_ROW) {
        sq_done(st);
        return sq_err(s, err, "cannot read robots.txt");
    }
    out->host = arena_strdup(a, host);
    out->kind = sqlite3_column_int(st, 0);
    const void *body = sqlite3_column_blob(st, 1);
    size_t n = (size_t)sqlite3_column_bytes(st, 1);
    char *copy = arena_alloc(a, n + 1);
    if (n)
        memcpy(copy, body, n);
    copy[n] = '\0';
    out->body = copy;
    out->body_len = n;
    out->fetched = sqlite3_column_int64(st, 2);
    out->expires = sqlite3_column_int64(st, 3);
    sq_done(st);
    return 0;
}

int store_robots_put(Store *s, const RobotsRow *row, SwErr *err)
{
    int mode;
    if (sq_call_begin(s, &mode, err) != 0)
        return -1;
    int ok = -1;
    sqlite3_stmt *st = sq_stmt(s, SQL_ROBOTS_PUT, err);
    if (st) {
        sq_bind_text(st, 1, row->host);
        sqlite3_bind_int(st, 2, row->kind);
        if (row->body_len)
            sqlite3_bind_blob(st, 3, row->body, (int)row->body_len, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 3);
        sqlite3_bind_int64(st, 4, row->fetched);
        sqlite3_bind_int64(st, 5, row->expires);
        ok = sq_exec(s, st, err, "cannot store robots.txt");
    }
    return sq_call_end(s, mode, ok, err);
}
