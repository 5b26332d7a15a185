/* store_sources.c - the SQLite queries behind sources.h: outlets with their
 * article and story counts and last activity, and an outlet's articles.
 *
 * Counts are computed at query time from articles (indexed by source_id)
 * rather than kept in the sources row: the queries only read, so they work
 * on the web server's read-only Store, and they can never drift from the
 * articles they count. A story counts for an outlet when any of the
 * outlet's articles (near-copies included) is a member of it. */
#include "sources.h"

#include <stdlib.h>

#include "store_internal.h"

/* Columns shared by the two outlet queries: id, name, host, articles,
 * stories, newest published (0 when every date is unknown). */
#define SOURCE_COLUMNS                                                                     \
    "SELECT s.id, s.name, s.host,"                                                         \
    " (SELECT COUNT(*) FROM articles a WHERE a.source_id = s.id),"                         \
    " (SELECT COUNT(DISTINCT a.story_id) FROM articles a WHERE a.source_id = s.id),"       \
    " (SELECT COALESCE(MAX(a.published), 0) FROM articles a WHERE a.source_id = s.id)"     \
    " FROM sources s"

static const char SQL_SOURCE_LIST[] = SOURCE_COLUMNS " ORDER BY 4 DESC, s.name, s.id LIMIT ?1 OFFSET ?2";
static const char SQL_SOURCE_GET[] = SOURCE_COLUMNS " WHERE s.id = ?1";
static const char SQL_SOURCE_ARTICLES[] =
    "SELECT a.id, a.title, a.url, a.published,"
    " (SELECT st.slug FROM stories st WHERE st.id = a.story_id AND st.page_version > 0)"
    " FROM articles a WHERE a.source_id = ?1"
    " ORDER BY a.published DESC, a.id DESC LIMIT ?2 OFFSET ?3";

static int64_t clamp64(size_t v)
{
    return v > (size_t)INT64_MAX ? INT64_MAX : (int64_t)v;
}

static void read_source(sqlite3_stmt *st, Arena *a, SourceRow *out)
{
    out->id = sqlite3_column_int64(st, 0);
    out->name = sq_col_str(st, 1, a);
    out->host = sq_col_str(st, 2, a);
    out->article_count = sqlite3_column_int64(st, 3);
    out->story_count = sqlite3_column_int64(st, 4);
    out->last_published = sqlite3_column_int64(st, 5);
    if (!out->name)
        out->name = "";
}

int store_source_list(Store *s, size_t limit, size_t offset, Arena *a, SourceRow **rows, size_t *n, SwErr *err)
{
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *st = sq_stmt(s, SQL_SOURCE_LIST, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, clamp64(limit));
    sqlite3_bind_int64(st, 2, clamp64(offset));
    SourceRow *v = NULL;
    size_t len = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (len == cap) {
            cap = cap ? cap * 2 : 16;
            v = xrealloc(v, cap * sizeof *v);
        }
        read_source(st, a, &v[len++]);
    }
    if (rc != SQLITE_DONE) {
        sq_err(s, err, "cannot list sources");
        sq_done(st);
        free(v);
        return -1;
    }
    sq_done(st);
    *rows = v;
    *n = len;
    return 0;
}

int store_source_get(Store *s, int64_t id, Arena *a, SourceRow *out, SwErr *err)
{
    sqlite3_stmt *st = sq_stmt(s, SQL_SOURCE_GET, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    int ret = 0;
    if (rc == SQLITE_ROW)
        read_source(st, a, out);
    else if (rc == SQLITE_DONE)
        ret = STORE_NOT_FOUND;
    else
        ret = sq_err(s, err, "cannot read source");
    sq_done(st);
    return ret;
}

int store_source_articles(Store *s, int64_t source_id, size_t limit, size_t offset, Arena *a,
                          SourceArticle **rows, size_t *n, SwErr *err)
{
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *st = sq_stmt(s, SQL_SOURCE_ARTICLES, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, source_id);
    sqlite3_bind_int64(st, 2, clamp64(limit));
    sqlite3_bind_int64(st, 3, clamp64(offset));
    SourceArticle *v = NULL;
    size_t len = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (len == cap) {
            cap = cap ? cap * 2 : 16;
            v = xrealloc(v, cap * sizeof *v);
        }
        SourceArticle *r = &v[len++];
        r->id = sqlite3_column_int64(st, 0);
        r->title = sq_col_str(st, 1, a);
        r->url = sq_col_str(st, 2, a);
        r->published = sqlite3_column_int64(st, 3);
        r->story_slug = sq_col_str(st, 4, a);
        if (!r->title)
            r->title = "";
    }
    if (rc != SQLITE_DONE) {
        sq_err(s, err, "cannot list the source's articles");
        sq_done(st);
        free(v);
        return -1;
    }
    sq_done(st);
    *rows = v;
    *n = len;
    return 0;
}
