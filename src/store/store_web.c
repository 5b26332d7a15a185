/* store_web.c - the web server's own read queries (see web.h).
 *
 * The front page ranking is computed in C over a bounded candidate set
 * (the RANK_CANDIDATES most recently active stories), not in SQL: the
 * SQLite build we link need not have math functions, and ranking 500 rows
 * costs microseconds. Stories past the candidates cannot outrank them by
 * freshness much, so they follow in plain activity order, which keeps
 * pagination total: every story appears on exactly one page. */
#include "web.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

double web_rank_score(int64_t newest, const StoryRow *r)
{
    double age = (double)(newest - r->last_published);
    if (age < 0)
        age = 0;
    double fresh = exp2(-age / (double)RANK_HALF_LIFE_S);
    double articles = r->article_count > 1 ? (double)r->article_count : 1.0;
    double outlets = r->source_count > 1 ? (double)r->source_count : 1.0;
    return fresh * (1.0 + log(articles)) * (1.0 + log(outlets));
}

typedef struct Ranked {
    double score;
    StoryRow row;
} Ranked;

static int ranked_cmp(const void *pa, const void *pb)
{
    const Ranked *a = pa, *b = pb;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    if (a->row.last_published != b->row.last_published)
        return a->row.last_published > b->row.last_published ? -1 : 1;
    return a->row.id > b->row.id ? -1 : a->row.id < b->row.id;
}

int store_web_top_stories(Store *s, size_t limit, size_t offset, Arena *a, StoryRow **rows, size_t *n,
                          SwErr *err)
{
    *rows = NULL;
    *n = 0;
    StoryRow *cand = NULL;
    size_t nc = 0;
    if (store_story_list(s, RANK_CANDIDATES, 0, a, &cand, &nc, err) < 0)
        return -1;
    StoryRow *out = xmalloc((limit ? limit : 1) * sizeof *out);
    size_t len = 0;
    if (offset < nc) {
        Ranked *rk = xmalloc(nc * sizeof *rk);
        int64_t newest = cand[0].last_published; /* the list is newest first */
        for (size_t i = 0; i < nc; i++) {
            rk[i].row = cand[i];
            rk[i].score = web_rank_score(newest, &cand[i]);
        }
        qsort(rk, nc, sizeof *rk, ranked_cmp);
        for (size_t i = offset; i < nc && len < limit; i++)
            out[len++] = rk[i].row;
        free(rk);
    }
    free(cand);
    /* past the candidates: plain activity order, which is exactly the
     * stories store_story_list gives from index RANK_CANDIDATES on */
    if (len < limit && nc == RANK_CANDIDATES) {
        size_t from = offset + len;
        StoryRow *rest = NULL;
        size_t nr = 0;
        if (store_story_list(s, limit - len, from, a, &rest, &nr, err) < 0) {
            free(out);
            return -1;
        }
        for (size_t i = 0; i < nr && len < limit; i++)
            out[len++] = rest[i];
        free(rest);
    }
    *rows = out;
    *n = len;
    return 0;
}

int store_web_last_update(Store *s, int64_t *out, SwErr *err)
{
    *out = 0;
    sqlite3_stmt *st = sq_stmt(s, "SELECT coalesce(max(updated), 0) FROM stories WHERE page_version > 0", err);
    if (!st)
        return -1;
    int rc = sq_query_int(s, st, out, err, "cannot read the last update time");
    return rc < 0 ? -1 : 0;
}

/* PRAGMA data_version: SQLite changes it on this connection whenever
 * another connection (any process) has committed since the last call.
 * It opens and ends a read transaction, so it costs a few microseconds and
 * no page reads. */
int store_web_data_version(Store *s, int64_t *out, SwErr *err)
{
    *out = 0;
    sqlite3_stmt *st = sq_stmt(s, "PRAGMA data_version", err);
    if (!st)
        return -1;
    int rc = sq_query_int(s, st, out, err, "cannot read the data version");
    return rc < 0 ? -1 : 0;
}

/* One statement for every combination of filters: a NULL parameter
 * switches its condition off. The language is the page's own (its JSON
 * "lang"), the outlet any member's. */
static const char STORIES_SQL[] =
    "SELECT " SQ_STORY_COLS("s.") " FROM stories s WHERE s.page_version > 0"
    " AND (?1 IS NULL OR s.last_published >= ?1)"
    " AND (?2 IS NULL OR s.last_published <= ?2)"
    " AND (?3 IS NULL OR EXISTS (SELECT 1 FROM articles a JOIN sources o ON o.id = a.source_id"
    "      WHERE a.story_id = s.id AND o.name = ?3 COLLATE NOCASE))"
    " AND (?4 IS NULL OR (SELECT json_extract(p.json, '$.lang') FROM pages p"
    "      WHERE p.story_id = s.id AND p.version = s.page_version) = ?4 COLLATE NOCASE)"
    " AND (?5 IS NULL OR s.last_published < ?5 OR (s.last_published = ?5 AND s.id < ?6))"
    " ORDER BY s.last_published DESC, s.id DESC LIMIT ?7 OFFSET ?8";

int store_web_stories(Store *s, const WebStoryQuery *q, Arena *a, StoryRow **rows, size_t *n, SwErr *err)
{
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *st = sq_stmt(s, STORIES_SQL, err);
    if (!st)
        return -1;
    if (q->since)
        sqlite3_bind_int64(st, 1, q->since);
    if (q->until)
        sqlite3_bind_int64(st, 2, q->until);
    sq_bind_text(st, 3, q->source);
    sq_bind_text(st, 4, q->lang);
    if (q->has_cursor) {
        sqlite3_bind_int64(st, 5, q->cursor_time);
        sqlite3_bind_int64(st, 6, q->cursor_id);
    }
    sqlite3_bind_int64(st, 7, q->limit > INT64_MAX ? INT64_MAX : (int64_t)q->limit);
    sqlite3_bind_int64(st, 8, q->offset > INT64_MAX ? INT64_MAX : (int64_t)q->offset);
    return sq_query_stories(s, st, a, rows, n, err, "cannot list stories");
}

int store_web_article(Store *s, int64_t id, Arena *a, WebArticle *out, SwErr *err)
{
    sqlite3_stmt *st = sq_stmt(s,
                               "SELECT a.id, a.url, o.name, a.title, a.text, a.lang, a.author, a.image,"
                               " a.published, CASE WHEN st.page_version > 0 THEN st.slug END"
                               " FROM articles a JOIN sources o ON o.id = a.source_id"
                               " LEFT JOIN stories st ON st.id = a.story_id WHERE a.id = ?1",
                               err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof *out);
        out->id = sqlite3_column_int64(st, 0);
        out->url = sq_col_str(st, 1, a);
        out->outlet = sq_col_str(st, 2, a);
        out->title = sq_col_str(st, 3, a);
        out->text = sq_col_str(st, 4, a);
        out->lang = sq_col_str(st, 5, a);
        out->author = sq_col_str(st, 6, a);
        out->image = sq_col_str(st, 7, a);
        out->published = sqlite3_column_int64(st, 8);
        out->story_slug = sq_col_str(st, 9, a);
        rc = 0;
    } else if (rc == SQLITE_DONE) {
        rc = STORE_NOT_FOUND;
    } else {
        rc = sq_err(s, err, "cannot read article");
    }
    sq_done(st);
    return rc;
}

int store_web_story_outlets(Store *s, int64_t story_id, size_t max, Arena *a, const char ***names, size_t *n,
                            SwErr *err)
{
    *names = NULL;
    *n = 0;
    sqlite3_stmt *st = sq_stmt(s,
                               "SELECT DISTINCT o.name FROM articles a JOIN sources o ON o.id = a.source_id"
                               " WHERE a.story_id = ?1 ORDER BY o.name LIMIT ?2",
                               err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, story_id);
    sqlite3_bind_int64(st, 2, max > INT64_MAX ? INT64_MAX : (int64_t)max);
    return sq_query_strs(s, st, a, names, n, err, "cannot list a story's outlets");
}

int store_web_page_versions(Store *s, int64_t story_id, size_t max, Arena *a, WebPageVersion **out, size_t *n,
                            SwErr *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = sq_stmt(s,
                               "SELECT version, created, json_extract(json, '$.headline'),"
                               " json_extract(json, '$.change_note') FROM pages WHERE story_id = ?1"
                               " ORDER BY version DESC LIMIT ?2",
                               err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, story_id);
    sqlite3_bind_int64(st, 2, max > INT64_MAX ? INT64_MAX : (int64_t)max);
    WebPageVersion *v = NULL;
    size_t len = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (len == cap) {
            cap = cap ? cap * 2 : 8;
            v = xrealloc(v, cap * sizeof *v);
        }
        WebPageVersion *pv = &v[len++];
        pv->version = sqlite3_column_int(st, 0);
        pv->created = sqlite3_column_int64(st, 1);
        pv->headline = sq_col_str(st, 2, a);
        pv->change_note = sq_col_str(st, 3, a);
    }
    sq_done(st);
    if (rc != SQLITE_DONE) {
        free(v);
        return sq_err(s, err, "cannot list page versions");
    }
    *out = v;
    *n = len;
    return 0;
}
