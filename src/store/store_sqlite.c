/* store_sqlite.c - the SQLite backend of store.h.
 *
 * One Store is one connection (WAL journal, synchronous=NORMAL, foreign
 * keys on, 5 s busy timeout). The schema is a list of migration steps; the
 * database's PRAGMA user_version says how many have been applied, and
 * store_open applies the rest, each in its own transaction, so a crash
 * mid-migration leaves the database at the last complete version.
 *
 * Layout decisions (see MIGRATIONS below for the SQL):
 * - Story membership is articles.story_id: an article belongs to at most
 *   one story, so no separate members table. A duplicate keeps its own row
 *   with status DUPLICATE, dup_of = the article it copies and story_id =
 *   that article's story, so pages can count it without citing it.
 * - Exact duplicates are found by key: the canonical URL when the article
 *   has one (scheme and host lower-cased, #fragment dropped, trailing '/'
 *   of the path dropped), otherwise the content hash. Two articles with
 *   different URLs and the same text are two rows: near-copies are the
 *   clusterer's business. So content_hash is unique only among URL-less
 *   articles (a partial unique index), and indexed for lookup otherwise.
 * - content_hash is 32 hex digits: hash64 and hash64_seed of the title and
 *   text after ASCII lower-casing and collapsing whitespace runs.
 *
 * Every write runs atomically: inside the caller's transaction when one is
 * open (store_begin), as a SAVEPOINT so a failed call undoes only itself
 * (a call of one statement needs none: SQLite undoes a failed statement);
 * otherwise in its own BEGIN IMMEDIATE transaction. Statements are prepared
 * on first use, cached in the Store and reset after every use, so that no
 * statement keeps a read transaction open between calls. */
#include "store.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../core/map.h"
#include "store_internal.h"

/* ---- schema ---- */

/* Migration i takes user_version i to i + 1. Append, never edit: a
 * database in the field may have run any prefix of this list. */
/* The search indexes (migration 3, made again by 8): two FTS5
 * external-content tables, ranked by BM25 with the title (headline)
 * weighing three (two) times the text, and their filling from the rows. */
#define SEARCH_INDEXES                                                                       \
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles',"         \
    "  content_rowid='id', tokenize='sw remove_diacritics 2');"                             \
    "CREATE VIRTUAL TABLE stories_fts USING fts5(headline, summary, content='stories',"     \
    "  content_rowid='id', tokenize='sw remove_diacritics 2');"                             \
    "INSERT INTO articles_fts(articles_fts, rank) VALUES ('rank', 'bm25(3.0, 1.0)');"       \
    "INSERT INTO stories_fts(stories_fts, rank) VALUES ('rank', 'bm25(2.0, 1.0)');"
#define SEARCH_REBUILD                                                                       \
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');"                           \
    "INSERT INTO stories_fts(stories_fts) VALUES ('rebuild')"

static const char *const MIGRATIONS[] = {
    /* 1: the initial schema */
    "CREATE TABLE sources ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  host TEXT,"
    "  created INTEGER NOT NULL"
    ");"
    "CREATE TABLE stories ("
    "  id INTEGER PRIMARY KEY,"
    "  slug TEXT UNIQUE,"
    "  headline TEXT,"
    "  summary TEXT,"
    "  image TEXT,"
    "  first_published INTEGER NOT NULL DEFAULT 0,"
    "  last_published INTEGER NOT NULL DEFAULT 0,"
    "  updated INTEGER NOT NULL DEFAULT 0,"
    "  article_count INTEGER NOT NULL DEFAULT 0,"
    "  source_count INTEGER NOT NULL DEFAULT 0,"
    "  page_version INTEGER NOT NULL DEFAULT 0,"
    "  state BLOB"
    ");"
    /* store_story_list: pages only, newest activity first */
    "CREATE INDEX stories_listed ON stories(last_published DESC, id DESC) WHERE page_version > 0;"
    /* store_story_states: stories active since a time */
    "CREATE INDEX stories_active ON stories(last_published);"
    "CREATE TABLE articles ("
    "  id INTEGER PRIMARY KEY,"
    "  url TEXT UNIQUE,"
    "  content_hash TEXT NOT NULL,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id),"
    "  title TEXT NOT NULL DEFAULT '',"
    "  text TEXT NOT NULL DEFAULT '',"
    "  image TEXT,"
    "  lang TEXT,"
    "  author TEXT,"
    "  ext_id TEXT,"
    "  published INTEGER NOT NULL DEFAULT 0,"
    "  fetched INTEGER NOT NULL DEFAULT 0,"
    "  status INTEGER NOT NULL DEFAULT 0,"
    "  story_id INTEGER REFERENCES stories(id),"
    "  dup_of INTEGER REFERENCES articles(id),"
    "  score REAL"
    ");"
    "CREATE INDEX articles_content ON articles(content_hash);"
    "CREATE UNIQUE INDEX articles_content_nourl ON articles(content_hash) WHERE url IS NULL;"
    /* store_pending_articles: the expression must match its ORDER BY */
    "CREATE INDEX articles_pending ON articles(published = 0, published, id) WHERE status = 0;"
    "CREATE INDEX articles_story ON articles(story_id, published = 0, published, id)"
    "  WHERE story_id IS NOT NULL;"
    "CREATE INDEX articles_dup ON articles(dup_of) WHERE dup_of IS NOT NULL;"
    "CREATE INDEX articles_source ON articles(source_id);"
    "CREATE TABLE pages ("
    "  story_id INTEGER NOT NULL REFERENCES stories(id),"
    "  version INTEGER NOT NULL,"
    "  created INTEGER NOT NULL,"
    "  json TEXT NOT NULL,"
    "  PRIMARY KEY (story_id, version)"
    ");"
    "CREATE TABLE term_df ("
    "  term INTEGER PRIMARY KEY,"
    "  df INTEGER NOT NULL"
    ");"
    "CREATE TABLE meta ("
    "  key TEXT PRIMARY KEY,"
    "  value"
    ");"
    "INSERT INTO meta(key, value) VALUES ('doc_count', 0);",
    /* 2: pages are rewritten after clustering, once per changed story */
    "ALTER TABLE stories ADD COLUMN page_stale INTEGER NOT NULL DEFAULT 0;"
    "UPDATE stories SET page_stale = 1 WHERE state IS NOT NULL AND page_version = 0;"
    "CREATE INDEX stories_stale ON stories(id) WHERE page_stale = 1;",
    /* 3: full-text search (store_search.c, docs/search.md). Two FTS5
     * external-content indexes over the rows themselves (no second copy of
     * the text; snippet() reads it back from the table), kept in step by
     * triggers and filled from the existing rows by 'rebuild'. The rank is
     * BM25 with the title (headline) weighing three (two) times the text.
     * An external-content index must be told the old values to remove, so
     * every story row is indexed from its insert on (an unwritten story is
     * an empty document) and the delete always matches what was added.
     * No prefix indexes: they doubled the cost of indexing every article,
     * and prefix queries work without them (docs/search.md). */
    SEARCH_INDEXES
    "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN"
    "  INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);"
    "END;"
    "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN"
    "  INSERT INTO articles_fts(articles_fts, rowid, title, text)"
    "    VALUES ('delete', old.id, old.title, old.text);"
    "END;"
    "CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN"
    "  INSERT INTO articles_fts(articles_fts, rowid, title, text)"
    "    VALUES ('delete', old.id, old.title, old.text);"
    "  INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);"
    "END;"
    "CREATE TRIGGER stories_fts_insert AFTER INSERT ON stories BEGIN"
    "  INSERT INTO stories_fts(rowid, headline, summary) VALUES (new.id, new.headline, new.summary);"
    "END;"
    "CREATE TRIGGER stories_fts_delete AFTER DELETE ON stories BEGIN"
    "  INSERT INTO stories_fts(stories_fts, rowid, headline, summary)"
    "    VALUES ('delete', old.id, old.headline, old.summary);"
    "END;"
    "CREATE TRIGGER stories_fts_update AFTER UPDATE OF headline, summary ON stories BEGIN"
    "  INSERT INTO stories_fts(stories_fts, rowid, headline, summary)"
    "    VALUES ('delete', old.id, old.headline, old.summary);"
    "  INSERT INTO stories_fts(rowid, headline, summary) VALUES (new.id, new.headline, new.summary);"
    "END;"
    SEARCH_REBUILD,
    /* 4: subscribed feeds and the items seen in each (store_feeds.c,
     * docs/feeds.md). An item's key is the feed's own identity for it
     * (guid/id, else link, else a content hash); feed_items remembers every
     * key with the article it became, so that a repeated poll or a restart
     * never stores an item twice. Removing a feed keeps its articles.
     * IF NOT EXISTS: a database taken back to an earlier version by hand
     * (as tests do) migrates forward again. */
    "CREATE TABLE IF NOT EXISTS feeds ("
    "  id INTEGER PRIMARY KEY,"
    "  url TEXT NOT NULL UNIQUE,"
    "  name TEXT,"
    "  site_url TEXT,"
    "  etag TEXT,"
    "  last_modified TEXT,"
    "  status TEXT NOT NULL DEFAULT 'new',"
    "  last_attempt INTEGER NOT NULL DEFAULT 0,"
    "  last_success INTEGER NOT NULL DEFAULT 0,"
    "  last_change INTEGER NOT NULL DEFAULT 0,"
    "  last_error TEXT,"
    "  error_count INTEGER NOT NULL DEFAULT 0,"
    "  next_poll INTEGER NOT NULL DEFAULT 0,"
    "  interval INTEGER NOT NULL DEFAULT 0,"
    "  items_new INTEGER NOT NULL DEFAULT 0,"
    "  items_total INTEGER NOT NULL DEFAULT 0,"
    "  created INTEGER NOT NULL"
    ");"
    "CREATE INDEX IF NOT EXISTS feeds_due ON feeds(next_poll, id);"
    "CREATE TABLE IF NOT EXISTS feed_items ("
    "  feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,"
    "  item_key TEXT NOT NULL,"
    "  article_id INTEGER REFERENCES articles(id),"
    "  first_seen INTEGER NOT NULL,"
    "  PRIMARY KEY (feed_id, item_key)"
    ") WITHOUT ROWID;",
    /* 5: robots.txt per host, so that one fetch serves every process until it
     * expires (store_feeds.c): kind 0 = the body's rules, 1 = none (4xx),
     * 2 = unreachable (deny everything) */
    "CREATE TABLE IF NOT EXISTS robots ("
    "  host TEXT PRIMARY KEY,"
    "  kind INTEGER NOT NULL,"
    "  body BLOB,"
    "  fetched INTEGER NOT NULL,"
    "  expires INTEGER NOT NULL"
    ") WITHOUT ROWID;",
    /* 6: a counter of the changes to indexed article text other than new
     * articles. Searches rank with each article's length in tokens kept in
     * memory (store_search.c); they pick up new articles by id, and load
     * every length again when this counter moves: an article deleted or
     * its title or text rewritten (neither happens in normal use). */
    "CREATE TABLE IF NOT EXISTS search_epoch ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  n INTEGER NOT NULL"
    ");"
    "INSERT OR IGNORE INTO search_epoch (id, n) VALUES (1, 0);"
    "CREATE TRIGGER IF NOT EXISTS articles_search_epoch_delete AFTER DELETE ON articles BEGIN"
    "  UPDATE search_epoch SET n = n + 1 WHERE id = 1;"
    "END;"
    "CREATE TRIGGER IF NOT EXISTS articles_search_epoch_update AFTER UPDATE OF title, text ON articles BEGIN"
    "  UPDATE search_epoch SET n = n + 1 WHERE id = 1;"
    "END;",
    /* 7: the slugs of stories absorbed by the clustering merge pass, each
     * naming the story that took it over (store_story_merge): old links
     * keep working */
    "CREATE TABLE IF NOT EXISTS story_redirects ("
    "  slug TEXT PRIMARY KEY,"
    "  story_id INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS story_redirects_story ON story_redirects(story_id);",
    /* 8: the search indexes again, with storywire's tokenizer ("sw",
     * store_search.c: unicode61, but each Han or kana character a token),
     * so that a Chinese or Japanese word is found inside a longer run. The
     * triggers of migration 3 name the tables and stay; the ranking's
     * article lengths change, so the search counter moves. */
    "DROP TABLE IF EXISTS articles_fts;"
    "DROP TABLE IF EXISTS stories_fts;"
    SEARCH_INDEXES
    SEARCH_REBUILD ";"
    "UPDATE search_epoch SET n = n + 1 WHERE id = 1;",
};
#define SCHEMA_VERSION ((int)(sizeof MIGRATIONS / sizeof MIGRATIONS[0]))

/* ---- statements ---- */

#define STORY_COLS SQ_STORY_COLS("")

/* Every statement the store runs after open, prepared on first use. */
enum {
    ST_BEGIN, ST_COMMIT, ST_ROLLBACK, ST_SAVEPOINT, ST_RELEASE, ST_ROLLBACK_TO,
    ST_SOURCE_FIND, ST_SOURCE_ADD,
    ST_ARTICLE_BY_URL, ST_ARTICLE_BY_HASH, ST_ARTICLE_ADD, ST_ARTICLE_GET,
    ST_PENDING, ST_SET_STORY, ST_SET_DUP,
    ST_COUNT_ARTICLES, ST_COUNT_PENDING, ST_COUNT_STORIES, ST_COUNT_SOURCES, ST_COUNT_PAGES,
    ST_STORY_NEW, ST_STORY_SET_STATE, ST_STORY_STATES, ST_MEMBERS, ST_MEMBERS_ALL,
    ST_DUP_OUTLETS, ST_STORY_GET, ST_STORY_BY_SLUG, ST_STORY_LIST, ST_SLUG_OWNER,
    ST_PAGE_VERSION, ST_PAGE_ADD, ST_STORY_SET_PAGE, ST_PAGE_LATEST, ST_PAGE_GET,
    ST_DF_ALL, ST_DF_ADD, ST_DOCS_GET, ST_DOCS_ADD,
    ST_DF_ADD_N, ST_DOCS_ADD_N, ST_SET_LANG, ST_STORY_OUTLETS, ST_STALE,
    ST_ARTICLE_STORY, ST_STORY_REDIRECT,
    ST_N
};

static const char *const SQL[ST_N] = {
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_SAVEPOINT] = "SAVEPOINT store_call",
    [ST_RELEASE] = "RELEASE store_call",
    [ST_ROLLBACK_TO] = "ROLLBACK TO store_call",
    [ST_SOURCE_FIND] = "SELECT id FROM sources WHERE name = ?1",
    [ST_SOURCE_ADD] = "INSERT INTO sources(name, host, created) VALUES (?1, ?2, ?3)",
    [ST_ARTICLE_BY_URL] = "SELECT id FROM articles WHERE url = ?1",
    [ST_ARTICLE_BY_HASH] = "SELECT id FROM articles WHERE content_hash = ?1 ORDER BY id LIMIT 1",
    [ST_ARTICLE_ADD] =
        "INSERT INTO articles(url, content_hash, source_id, title, text, image, lang, author,"
        " ext_id, published, fetched, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 0)",
    [ST_ARTICLE_GET] =
        "SELECT a.url, s.name, a.title, a.text, a.image, a.lang, a.author, a.ext_id,"
        " a.published, a.fetched FROM articles a JOIN sources s ON s.id = a.source_id"
        " WHERE a.id = ?1",
    [ST_PENDING] = "SELECT id FROM articles WHERE status = 0 ORDER BY published = 0, published, id",
    [ST_SET_STORY] =
        "UPDATE articles SET status = 1, story_id = ?2, score = ?3, dup_of = NULL WHERE id = ?1",
    [ST_SET_DUP] =
        "UPDATE articles SET status = 2, dup_of = ?2, score = NULL,"
        " story_id = COALESCE(NULLIF(?3, 0), (SELECT story_id FROM articles WHERE id = ?2))"
        " WHERE id = ?1",
    [ST_COUNT_ARTICLES] = "SELECT count(*) FROM articles",
    [ST_COUNT_PENDING] = "SELECT count(*) FROM articles WHERE status = 0",
    [ST_COUNT_STORIES] = "SELECT count(*) FROM stories",
    [ST_COUNT_SOURCES] = "SELECT count(*) FROM sources",
    [ST_COUNT_PAGES] = "SELECT count(*) FROM pages",
    [ST_STORY_NEW] = "INSERT INTO stories DEFAULT VALUES",
    [ST_STORY_SET_STATE] =
        "UPDATE stories SET state = ?2, first_published = ?3, last_published = ?4,"
        " article_count = ?5, source_count = ?6, page_stale = 1 WHERE id = ?1",
    [ST_STORY_STATES] =
        "SELECT id, state, first_published, last_published, article_count FROM stories"
        " WHERE last_published >= ?1",
    [ST_MEMBERS] =
        "SELECT id FROM articles WHERE story_id = ?1 AND status <> 2"
        " ORDER BY published = 0, published, id",
    [ST_MEMBERS_ALL] =
        "SELECT id FROM articles WHERE story_id = ?1 ORDER BY published = 0, published, id",
    /* "also reported by": other outlets only, in the order they reported */
    [ST_DUP_OUTLETS] =
        "SELECT s.name FROM articles a JOIN sources s ON s.id = a.source_id"
        " WHERE a.dup_of = ?1 AND a.status = 2"
        " AND a.source_id <> (SELECT source_id FROM articles WHERE id = ?1)"
        " GROUP BY s.id ORDER BY min(a.id)",
    [ST_STORY_GET] = "SELECT " STORY_COLS " FROM stories WHERE id = ?1",
    [ST_STORY_BY_SLUG] = "SELECT " STORY_COLS " FROM stories WHERE slug = ?1",
    [ST_STORY_REDIRECT] = "SELECT " STORY_COLS " FROM stories"
                          " WHERE id = (SELECT story_id FROM story_redirects WHERE slug = ?1)",
    [ST_STORY_LIST] =
        "SELECT " STORY_COLS " FROM stories WHERE page_version > 0"
        " ORDER BY last_published DESC, id DESC LIMIT ?1 OFFSET ?2",
    [ST_SLUG_OWNER] = "SELECT id FROM stories WHERE slug = ?1"
                      " UNION ALL SELECT story_id FROM story_redirects WHERE slug = ?1 LIMIT 1",
    [ST_PAGE_VERSION] = "SELECT page_version FROM stories WHERE id = ?1",
    [ST_PAGE_ADD] = "INSERT INTO pages(story_id, version, created, json) VALUES (?1, ?2, ?3, ?4)",
    [ST_STORY_SET_PAGE] =
        "UPDATE stories SET slug = ?2, headline = ?3, summary = ?4, image = ?5, updated = ?6,"
        " page_version = ?7, article_count = ?8, source_count = ?9, page_stale = 0 WHERE id = ?1",
    [ST_PAGE_LATEST] =
        "SELECT version, json FROM pages WHERE story_id = ?1 ORDER BY version DESC LIMIT 1",
    [ST_PAGE_GET] = "SELECT version, json FROM pages WHERE story_id = ?1 AND version = ?2",
    [ST_DF_ALL] = "SELECT term, df FROM term_df",
    [ST_DF_ADD] =
        "INSERT INTO term_df(term, df) VALUES (?1, 1) ON CONFLICT(term) DO UPDATE SET df = df + 1",
    [ST_DOCS_GET] = "SELECT value FROM meta WHERE key = 'doc_count'",
    [ST_DOCS_ADD] = "UPDATE meta SET value = value + 1 WHERE key = 'doc_count'",
    [ST_DF_ADD_N] =
        "INSERT INTO term_df(term, df) VALUES (?1, ?2) ON CONFLICT(term) DO UPDATE SET df = df + ?2",
    [ST_DOCS_ADD_N] = "UPDATE meta SET value = value + ?1 WHERE key = 'doc_count'",
    [ST_SET_LANG] = "UPDATE articles SET lang = ?2 WHERE id = ?1",
    [ST_STALE] = "SELECT id FROM stories WHERE page_stale = 1 ORDER BY id",
    [ST_STORY_OUTLETS] = "SELECT count(DISTINCT source_id) FROM articles WHERE story_id = ?1",
    [ST_ARTICLE_STORY] = "SELECT story_id, status FROM articles WHERE id = ?1",
};

_Static_assert(ST_N <= STORE_STMT_MAX, "raise STORE_STMT_MAX");

/* ---- errors ---- */

/* Fills err with "PATH: what: sqlite's message", adding the OS error when
 * SQLite has one (it explains "unable to open database file"). */
static int db_err(const char *path, sqlite3 *db, SwErr *err, const char *what)
{
    const char *msg = db ? sqlite3_errmsg(db) : "out of memory";
    int os = db ? sqlite3_system_errno(db) : 0;
    int code = db ? sqlite3_errcode(db) : SQLITE_NOMEM;
    if (os && (code & 0xff) == SQLITE_CANTOPEN)
        return sw_err(err, "%s: %s: %s (%s)", path, what, msg, strerror(os));
    return sw_err(err, "%s: %s: %s", path, what, msg);
}

int sq_err(Store *s, SwErr *err, const char *what)
{
    return db_err(s->path, s->db, err, what);
}

/* ---- statement helpers ---- */

/* The cached statement for id, reset and with cleared bindings. */
static sqlite3_stmt *stmt_get(Store *s, int id, SwErr *err)
{
    sqlite3_stmt *st = s->stmt[id];
    if (!st) {
        if (sqlite3_prepare_v3(s->db, SQL[id], -1, SQLITE_PREPARE_PERSISTENT, &s->stmt[id], NULL) !=
            SQLITE_OK) {
            sq_err(s, err, "cannot prepare statement");
            return NULL;
        }
        st = s->stmt[id];
    }
    return st;
}

sqlite3_stmt *sq_stmt(Store *s, const char *sql, SwErr *err)
{
    for (size_t i = 0; i < s->n_extra; i++)
        if (s->extra_sql[i] == sql)
            return s->extra[i];
    if (s->n_extra == STORE_EXTRA_MAX) {
        sw_err(err, "%s: too many cached statements", s->path);
        return NULL;
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        sq_err(s, err, "cannot prepare statement");
        return NULL;
    }
    s->extra_sql[s->n_extra] = sql;
    s->extra[s->n_extra++] = st;
    return st;
}

/* Returns a statement to the cache: ends its read (or write) and drops
 * bound pointers into caller memory (bound SQLITE_STATIC). */
void sq_done(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

/* Binds s, or NULL, as text without copying: the statement is stepped and
 * reset before the caller's string can go away. */
void sq_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

/* Runs a statement that returns no rows. */
int sq_exec(Store *s, sqlite3_stmt *st, SwErr *err, const char *what)
{
    int rc = sqlite3_step(st);
    int ok = rc == SQLITE_DONE || rc == SQLITE_ROW;
    if (!ok)
        sq_err(s, err, what);
    sq_done(st);
    return ok ? 0 : -1;
}

/* Runs a cached statement with no parameters and no rows. */
static int run(Store *s, int id, SwErr *err, const char *what)
{
    sqlite3_stmt *st = stmt_get(s, id, err);
    if (!st)
        return -1;
    return sq_exec(s, st, err, what);
}

/* Runs a bound query whose first column of the first row is an integer:
 * 0 with *out set, STORE_NOT_FOUND when there is no row, or -1. */
int sq_query_int(Store *s, sqlite3_stmt *st, int64_t *out, SwErr *err, const char *what)
{
    int rc = sqlite3_step(st);
    int ret;
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
        ret = 0;
    } else if (rc == SQLITE_DONE) {
        ret = STORE_NOT_FOUND;
    } else {
        ret = sq_err(s, err, what);
    }
    sq_done(st);
    return ret;
}

/* Collects column 0 of every row into a heap array of ids. */
int sq_query_ids(Store *s, sqlite3_stmt *st, int64_t **ids, size_t *n, SwErr *err, const char *what)
{
    int64_t *v = NULL;
    size_t len = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (len == cap) {
            cap = cap ? cap * 2 : 64;
            v = xrealloc(v, cap * sizeof *v);
        }
        v[len++] = sqlite3_column_int64(st, 0);
    }
    if (rc != SQLITE_DONE) {
        sq_err(s, err, what);
        sq_done(st);
        free(v);
        return -1;
    }
    sq_done(st);
    *ids = v;
    *n = len;
    return 0;
}

int sq_query_strs(Store *s, sqlite3_stmt *st, Arena *a, const char ***out, size_t *n, SwErr *err,
                  const char *what)
{
    const char **v = NULL;
    size_t len = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (len == cap) {
            cap = cap ? cap * 2 : 8;
            v = xrealloc(v, cap * sizeof *v);
        }
        v[len++] = sq_col_str(st, 0, a);
    }
    if (rc != SQLITE_DONE) {
        sq_err(s, err, what); /* before the reset, which may clear the message */
        sq_done(st);
        free(v);
        return -1;
    }
    sq_done(st);
    *out = v;
    *n = len;
    return 0;
}

char *sq_col_str(sqlite3_stmt *st, int i, Arena *a)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    if (!t)
        return NULL;
    return arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(st, i));
}

/* ---- atomic calls ---- */

/* Every write goes between sq_call_begin and sq_call_end. With the caller's
 * transaction open it becomes a savepoint (a failure undoes this call
 * only, and the caller's earlier work survives); without one it is a
 * transaction of its own, taken IMMEDIATE so that the write lock is waited
 * for up front instead of failing on upgrade. */

int sq_call_begin(Store *s, int *mode, SwErr *err)
{
    if (sqlite3_get_autocommit(s->db)) {
        *mode = CALL_OWN_TX;
        return run(s, ST_BEGIN, err, "cannot begin transaction");
    }
    *mode = CALL_SAVEPOINT;
    return run(s, ST_SAVEPOINT, err, "cannot begin savepoint");
}

/* sq_call_begin for a call that runs one statement: inside the caller's
 * transaction no savepoint is needed, since SQLite undoes a failed
 * statement by itself (and a savepoint costs two more statements, and
 * makes FTS5 flush its pending terms). */
int sq_call_begin_one(Store *s, int *mode, SwErr *err)
{
    if (!sqlite3_get_autocommit(s->db)) {
        *mode = CALL_STATEMENT;
        return 0;
    }
    return sq_call_begin(s, mode, err);
}

/* Ends a call: commits when ok == 0, otherwise undoes it and keeps err
 * (the first error is the one worth reading). Returns ok, or -1 when the
 * commit itself fails. */
int sq_call_end(Store *s, int mode, int ok, SwErr *err)
{
    if (mode == CALL_STATEMENT)
        return ok == 0 || ok == STORE_NOT_FOUND ? ok : -1;
    if (ok == 0 || ok == STORE_NOT_FOUND) {
        int rc = run(s, mode == CALL_OWN_TX ? ST_COMMIT : ST_RELEASE, err, "cannot commit");
        if (rc == 0)
            return ok;
        /* a failed COMMIT may leave the transaction open: undo it */
    }
    if (mode == CALL_OWN_TX) {
        if (!sqlite3_get_autocommit(s->db))
            run(s, ST_ROLLBACK, NULL, "");
    } else {
        run(s, ST_ROLLBACK_TO, NULL, "");
        run(s, ST_RELEASE, NULL, "");
    }
    return -1;
}

/* ---- open, close, transactions ---- */

static int exec_sql(Store *s, const char *sql, SwErr *err, const char *what)
{
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return sq_err(s, err, what);
    return 0;
}

static int read_user_version(Store *s, int *v, SwErr *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return sq_err(s, err, "cannot read schema version");
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sq_err(s, err, "cannot read schema version");
        sqlite3_finalize(st);
        return -1;
    }
    *v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return 0;
}

static int newer_err(Store *s, int v, SwErr *err)
{
    return sw_err(err, "%s: database schema version %d is newer than this storywire (%d)", s->path, v,
                  SCHEMA_VERSION);
}

/* Applies the migrations the database lacks, one transaction each. The
 * version is read again under the write lock, so two processes opening a
 * new database at once do not both apply a step. */
void (*store_notice)(const char *msg);

/* The migrations that index every article's text: slow on a large
 * database that already holds articles, so the user is told. */
static int reindexes(int step)
{
    return step == 3 || step == 8;
}

static int migrate(Store *s, SwErr *err)
{
    int first = -1;
    for (;;) {
        int v;
        if (exec_sql(s, "BEGIN IMMEDIATE", err, "cannot begin migration") < 0)
            return -1;
        if (read_user_version(s, &v, err) < 0)
            goto fail;
        if (v > SCHEMA_VERSION) {
            newer_err(s, v, err);
            goto fail;
        }
        if (v == SCHEMA_VERSION)
            return exec_sql(s, "COMMIT", err, "cannot commit");
        if (first < 0)
            first = v;
        if (first > 0 && reindexes(v + 1) && store_notice) {
            char msg[512];
            snprintf(msg, sizeof msg,
                     "%s: upgrading the database to schema version %d: indexing every article for "
                     "search again (about half a minute per 100,000 articles; once)",
                     s->path, v + 1);
            store_notice(msg);
        }
        if (exec_sql(s, MIGRATIONS[v], err, "cannot migrate schema") < 0) {
            sw_err_prefix(err, "migration to version %d", v + 1);
            goto fail;
        }
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
        if (exec_sql(s, sql, err, "cannot set schema version") < 0)
            goto fail;
        if (exec_sql(s, "COMMIT", err, "cannot commit migration") < 0)
            goto fail;
    }
fail:
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

/* A read-only store cannot migrate: it needs the current schema exactly. */
static int check_version_readonly(Store *s, SwErr *err)
{
    int v;
    if (read_user_version(s, &v, err) < 0)
        return -1;
    if (v > SCHEMA_VERSION)
        return newer_err(s, v, err);
    if (v < SCHEMA_VERSION)
        return sw_err(err,
                      "%s: database schema version %d is older than this storywire (%d); open it "
                      "read-write once to migrate it",
                      s->path, v, SCHEMA_VERSION);
    return 0;
}

int store_open(const char *path, int readonly, Store **out, SwErr *err)
{
    *out = NULL;
    if (!path || !*path)
        return sw_err(err, "store: no database path given");
    /* SQLite says only "unable to open" or "disk I/O error" for these */
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return sw_err(err, "%s: cannot open database: it is a directory", path);
    if (readonly && stat(path, &sb) != 0)
        return sw_err(err, "%s: cannot open database read-only: %s", path, strerror(errno));

    Store *s = xcalloc(1, sizeof *s);
    s->path = xstrdup(path);
    s->readonly = readonly;
    int flags = SQLITE_OPEN_NOMUTEX |
                (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        sq_err(s, err, "cannot open database");
        goto fail;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, 5000);
    /* The first statement reads the file header: a file that is not a
     * database fails here with SQLite's "file is not a database". */
    /* readers (the web server) map the file: searches and page reads then
     * skip a copy through SQLite's page cache. 1 GB of address space covers
     * the 100,000-article search benchmark's database whole (about 10%
     * faster searches than a 256 MB map there); SQLite maps no more than
     * the file's size. */
    if (readonly && exec_sql(s, "PRAGMA mmap_size = 1073741824", err, "cannot open database") < 0)
        goto fail;
    if (!readonly && exec_sql(s, "PRAGMA journal_mode = WAL", err, "cannot open database") < 0)
        goto fail;
    if (exec_sql(s, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON", err,
                 "cannot open database") < 0)
        goto fail;
    /* first: the migrations create the search indexes with its tokenizer */
    if (search_attach(s, err) < 0)
        goto fail;
    if ((readonly ? check_version_readonly(s, err) : migrate(s, err)) < 0)
        goto fail;
    *out = s;
    return 0;
fail:
    store_close(s);
    return -1;
}

void store_close(Store *s)
{
    if (!s)
        return;
    for (int i = 0; i < ST_N; i++)
        sqlite3_finalize(s->stmt[i]);
    for (size_t i = 0; i < s->n_extra; i++)
        sqlite3_finalize(s->extra[i]);
    /* an open transaction is rolled back by close: uncommitted work is
     * discarded, committed work is already safe */
    sqlite3_close_v2(s->db);
    search_detach(s);
    free(s->path);
    free(s);
}

const char *store_path(const Store *s)
{
    return s->path;
}

int store_schema_version(Store *s)
{
    int v;
    return read_user_version(s, &v, NULL) < 0 ? -1 : v;
}

int store_begin(Store *s, SwErr *err)
{
    if (!sqlite3_get_autocommit(s->db))
        return sw_err(err, "%s: a transaction is already open", s->path);
    return run(s, ST_BEGIN, err, "cannot begin transaction");
}

int store_commit(Store *s, SwErr *err)
{
    if (sqlite3_get_autocommit(s->db))
        return sw_err(err, "%s: commit without an open transaction", s->path);
    return run(s, ST_COMMIT, err, "cannot commit");
}

void store_rollback(Store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        run(s, ST_ROLLBACK, NULL, "");
}

/* ---- keys ---- */

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Appends s lower-cased (ASCII) with whitespace runs collapsed to one
 * space and none at the ends, so that re-wrapped or re-cased copies of a
 * text hash alike. */
static void normalise_into(Buf *b, const char *s)
{
    int pending_space = 0, any = 0;
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (is_space(*p)) {
            pending_space = any;
            continue;
        }
        if (pending_space)
            buf_putc(b, ' ');
        pending_space = 0;
        any = 1;
        buf_putc(b, (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p));
    }
}

/* Writes the 32-hex-digit content hash of title + text into out[33]. */
static void content_hash(const char *title, const char *text, char out[33])
{
    Buf b = {0};
    normalise_into(&b, title);
    buf_putc(&b, '\x1f'); /* unit separator: "ab"+"c" differs from "a"+"bc" */
    normalise_into(&b, text);
    uint64_t h1 = hash64(b.data, b.len);
    uint64_t h2 = hash64_seed(b.data, b.len, 0x9e3779b97f4a7c15ULL);
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)h1, (unsigned long long)h2);
    buf_free(&b);
}

/* The canonical form of a URL, heap-allocated, or NULL when url is empty.
 * Light on purpose: surrounding whitespace trimmed, scheme and host
 * lower-cased, "#fragment" dropped, trailing '/' of the path dropped
 * ("HTTPS://Example.com/a/?q#x" -> "https://example.com/a?q"). Query
 * strings are kept as they are: they often name the article. */
static char *url_canonical(const char *url)
{
    if (!url)
        return NULL;
    while (is_space((unsigned char)*url))
        url++;
    size_t n = strcspn(url, "#");
    while (n && is_space((unsigned char)url[n - 1]))
        n--;
    if (!n)
        return NULL;
    char *c = xstrndup(url, n);
    /* scheme and authority end at the first '/', '?' after "://" */
    char *sep = strstr(c, "://");
    char *auth_end = c;
    if (sep) {
        auth_end = sep + 3 + strcspn(sep + 3, "/?");
        for (char *p = c; p < auth_end; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p += 32;
    }
    char *query = strchr(auth_end, '?');
    char *path_end = query ? query : c + n;
    char *cut = path_end;
    while (cut > auth_end && cut[-1] == '/')
        cut--;
    if (cut < path_end)
        memmove(cut, path_end, strlen(path_end) + 1);
    return c;
}

/* The outlet name for a URL: its host without userinfo, port or a leading
 * "www.", or NULL. url is canonical (host lower-cased). */
static char *url_host(const char *url)
{
    const char *sep = url ? strstr(url, "://") : NULL;
    if (!sep)
        return NULL;
    const char *h = sep + 3;
    size_t n = strcspn(h, "/?");
    const char *at = memchr(h, '@', n);
    if (at) {
        n -= (size_t)(at + 1 - h);
        h = at + 1;
    }
    if (n && h[0] != '[') { /* IPv6 literals keep their colons */
        const char *colon = memchr(h, ':', n);
        if (colon)
            n = (size_t)(colon - h);
    }
    if (n > 4 && memcmp(h, "www.", 4) == 0) {
        h += 4;
        n -= 4;
    }
    return n ? xstrndup(h, n) : NULL;
}

/* ---- articles ---- */

static int source_id(Store *s, const char *name, const char *host, int64_t *id, SwErr *err)
{
    sqlite3_stmt *st = stmt_get(s, ST_SOURCE_FIND, err);
    if (!st)
        return -1;
    sq_bind_text(st, 1, name);
    int rc = sq_query_int(s, st, id, err, "cannot look up source");
    if (rc != STORE_NOT_FOUND)
        return rc;
    if (!(st = stmt_get(s, ST_SOURCE_ADD, err)))
        return -1;
    sq_bind_text(st, 1, name);
    sq_bind_text(st, 2, host);
    sqlite3_bind_int64(st, 3, (int64_t)time(NULL));
    if (sq_exec(s, st, err, "cannot add source") < 0)
        return -1;
    *id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

/* The body of store_put_article, run inside sq_call_begin/sq_call_end. */
static int put_article(Store *s, const Article *a, const char *url, int64_t *id, int *added, SwErr *err)
{
    char hash[33];
    content_hash(a->title, a->text, hash);

    sqlite3_stmt *st = stmt_get(s, url ? ST_ARTICLE_BY_URL : ST_ARTICLE_BY_HASH, err);
    if (!st)
        return -1;
    sq_bind_text(st, 1, url ? url : hash);
    int rc = sq_query_int(s, st, id, err, "cannot look up article");
    if (rc != STORE_NOT_FOUND)
        return rc; /* found (0) or error */

    char *host = url_host(url);
    const char *name = a->source && *a->source ? a->source : host ? host : "unknown";
    int64_t src;
    rc = source_id(s, name, host, &src, err);
    free(host);
    if (rc < 0)
        return -1;

    if (!(st = stmt_get(s, ST_ARTICLE_ADD, err)))
        return -1;
    sq_bind_text(st, 1, url);
    sq_bind_text(st, 2, hash);
    sqlite3_bind_int64(st, 3, src);
    sq_bind_text(st, 4, a->title ? a->title : "");
    sq_bind_text(st, 5, a->text ? a->text : "");
    sq_bind_text(st, 6, a->image);
    sq_bind_text(st, 7, a->lang);
    sq_bind_text(st, 8, a->author);
    sq_bind_text(st, 9, a->ext_id);
    sqlite3_bind_int64(st, 10, a->published);
    sqlite3_bind_int64(st, 11, a->fetched);
    if (sq_exec(s, st, err, "cannot add article") < 0)
        return -1;
    *id = sqlite3_last_insert_rowid(s->db);
    *added = 1;
    return 0;
}

int store_put_article(Store *s, const Article *a, int64_t *id, int *added, SwErr *err)
{
    int mode;
    *added = 0;
    *id = 0;
    char *url = url_canonical(a->url);
    if (sq_call_begin(s, &mode, err) < 0) {
        free(url);
        return -1;
    }
    int rc = sq_call_end(s, mode, put_article(s, a, url, id, added, err), err);
    if (rc < 0) {
        sw_err_prefix(err, "article %s", url ? url : a->title ? a->title : "(untitled)");
        *added = 0;
    }
    free(url);
    return rc;
}

int store_get_article(Store *s, int64_t id, Arena *a, Article *out, SwErr *err)
{
    sqlite3_stmt *st = stmt_get(s, ST_ARTICLE_GET, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof *out);
        out->id = id;
        out->url = sq_col_str(st, 0, a);
        out->source = sq_col_str(st, 1, a);
        out->title = sq_col_str(st, 2, a);
        out->text = sq_col_str(st, 3, a);
        out->image = sq_col_str(st, 4, a);
        out->lang = sq_col_str(st, 5, a);
        out->author = sq_col_str(st, 6, a);
        out->ext_id = sq_col_str(st, 7, a);
        out->published = sqlite3_column_int64(st, 8);
        out->fetched = sqlite3_column_int64(st, 9);
        rc = 0;
    } else if (rc == SQLITE_DONE) {
        rc = STORE_NOT_FOUND;
    } else {
        rc = sq_err(s, err, "cannot read article");
    }
    sq_done(st);
    return rc;
}

int store_pending_articles(Store *s, int64_t **ids, size_t *n, SwErr *err)
{
    *ids = NULL;
    *n = 0;
    sqlite3_stmt *st = stmt_get(s, ST_PENDING, err);
    if (!st)
        return -1;
    return sq_query_ids(s, st, ids, n, err, "cannot list pending articles");
}

/* Runs an UPDATE of one article as an atomic call; an article that does
 * not exist is an error (the caller holds a stale id). */
static int update_article(Store *s, sqlite3_stmt *st, int64_t article_id, SwErr *err, const char *what)
{
    int mode;
    if (sq_call_begin_one(s, &mode, err) < 0) {
        sq_done(st);
        return -1;
    }
    int rc = sq_exec(s, st, err, what);
    if (rc == 0 && sqlite3_changes(s->db) == 0)
        rc = sw_err(err, "%s: %s: no article %lld", s->path, what, (long long)article_id);
    return sq_call_end(s, mode, rc, err);
}

int store_article_set_story(Store *s, int64_t article_id, int64_t story_id, double score, SwErr *err)
{
    sqlite3_stmt *st = stmt_get(s, ST_SET_STORY, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, article_id);
    sqlite3_bind_int64(st, 2, story_id);
    sqlite3_bind_double(st, 3, score);
    return update_article(s, st, article_id, err, "cannot add article to story");
}

int store_article_set_duplicate(Store *s, int64_t article_id, int64_t dup_of, int64_t story_id, SwErr *err)
{
    sqlite3_stmt *st = stmt_get(s, ST_SET_DUP, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, article_id);
    sqlite3_bind_int64(st, 2, dup_of);
    sqlite3_bind_int64(st, 3, story_id);
    return update_article(s, st, article_id, err, "cannot mark article duplicate");
}

int store_article_story(Store *s, int64_t article_id, int64_t *story_id, int *status, SwErr *err)
{
    *story_id = 0;
    *status = ARTICLE_PENDING;
    sqlite3_stmt *st = stmt_get(s, ST_ARTICLE_STORY, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, article_id);
    int rc = sqlite3_step(st);
    int ret = 0;
    if (rc == SQLITE_ROW) {
        *story_id = sqlite3_column_int64(st, 0); /* NULL reads as 0: not placed yet */
        *status = sqlite3_column_int(st, 1);
    } else if (rc == SQLITE_DONE) {
        ret = STORE_NOT_FOUND;
    } else {
        ret = sq_err(s, err, "cannot read article's story");
    }
    sq_done(st);
    return ret;
}

int store_counts(Store *s, StoreCounts *out, SwErr *err)
{
    static const struct {
        int stmt;
        size_t offset;
    } counts[] = {
        {ST_COUNT_ARTICLES, offsetof(StoreCounts, articles)},
        {ST_COUNT_PENDING, offsetof(StoreCounts, pending)},
        {ST_COUNT_STORIES, offsetof(StoreCounts, stories)},
        {ST_COUNT_SOURCES, offsetof(StoreCounts, sources)},
        {ST_COUNT_PAGES, offsetof(StoreCounts, pages)},
    };
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        sqlite3_stmt *st = stmt_get(s, counts[i].stmt, err);
        if (!st)
            return -1;
        int64_t *field = (int64_t *)((char *)out + counts[i].offset);
        if (sq_query_int(s, st, field, err, "cannot count rows") < 0)
            return -1;
    }
    return 0;
}

/* ---- stories ---- */

int store_story_new(Store *s, int64_t *id, SwErr *err)
{
    int mode;
    sqlite3_stmt *st = stmt_get(s, ST_STORY_NEW, err);
    if (!st || sq_call_begin_one(s, &mode, err) < 0)
        return -1;
    int rc = sq_exec(s, st, err, "cannot add story");
    if (rc == 0)
        *id = sqlite3_last_insert_rowid(s->db);
    return sq_call_end(s, mode, rc, err);
}

int store_story_set_state(Store *s, int64_t id, const void *state, size_t len,
                          int64_t first_published, int64_t last_published,
                          int article_count, int source_count, SwErr *err)
{
    int mode;
    sqlite3_stmt *st = stmt_get(s, ST_STORY_SET_STATE, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    /* a non-NULL pointer keeps an empty state an empty blob, not NULL */
    sqlite3_bind_blob64(st, 2, state ? state : "", len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, first_published);
    sqlite3_bind_int64(st, 4, last_published);
    sqlite3_bind_int(st, 5, article_count);
    sqlite3_bind_int(st, 6, source_count);
    if (sq_call_begin_one(s, &mode, err) < 0) {
        sq_done(st);
        return -1;
    }
    int rc = sq_exec(s, st, err, "cannot write story state");
    if (rc == 0 && sqlite3_changes(s->db) == 0)
        rc = sw_err(err, "%s: cannot write story state: no story %lld", s->path, (long long)id);
    return sq_call_end(s, mode, rc, err);
}

int store_story_states(Store *s, int64_t since, StoreStateFn fn, void *ctx, SwErr *err)
{
    sqlite3_stmt *st = stmt_get(s, ST_STORY_STATES, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, since);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const void *blob = sqlite3_column_blob(st, 1);
        size_t len = (size_t)sqlite3_column_bytes(st, 1);
        if (fn(ctx, sqlite3_column_int64(st, 0), blob, len, sqlite3_column_int64(st, 2),
               sqlite3_column_int64(st, 3), sqlite3_column_int(st, 4)) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    if (rc != SQLITE_DONE)
        sq_err(s, err, "cannot read story states");
    sq_done(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int store_story_members(Store *s, int64_t id, int with_duplicates, int64_t **ids, size_t *n, SwErr *err)
{
    *ids = NULL;
    *n = 0;
    sqlite3_stmt *st = stmt_get(s, with_duplicates ? ST_MEMBERS_ALL : ST_MEMBERS, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    return sq_query_ids(s, st, ids, n, err, "cannot list story members");
}

int store_article_duplicates(Store *s, int64_t article_id, Arena *a, const char ***outlets, size_t *n, SwErr *err)
{
    *outlets = NULL;
    *n = 0;
    sqlite3_stmt *st = stmt_get(s, ST_DUP_OUTLETS, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, article_id);
    return sq_query_strs(s, st, a, outlets, n, err, "cannot list duplicate outlets");
}

/* Reads a row selected with SQ_STORY_COLS. */
static void read_story(sqlite3_stmt *st, Arena *a, StoryRow *out)
{
    out->id = sqlite3_column_int64(st, 0);
    out->slug = sq_col_str(st, 1, a);
    out->headline = sq_col_str(st, 2, a);
    out->summary = sq_col_str(st, 3, a);
    out->image = sq_col_str(st, 4, a);
    out->first_published = sqlite3_column_int64(st, 5);
    out->last_published = sqlite3_column_int64(st, 6);
    out->updated = sqlite3_column_int64(st, 7);
    out->article_count = sqlite3_column_int(st, 8);
    out->source_count = sqlite3_column_int(st, 9);
    out->page_version = sqlite3_column_int(st, 10);
}

static int story_one(Store *s, sqlite3_stmt *st, Arena *a, StoryRow *out, SwErr *err)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_story(st, a, out);
        rc = 0;
    } else if (rc == SQLITE_DONE) {
        rc = STORE_NOT_FOUND;
    } else {
        rc = sq_err(s, err, "cannot read story");
    }
    sq_done(st);
    return rc;
}

int store_story_get(Store *s, int64_t id, Arena *a, StoryRow *out, SwErr *err)
{
    sqlite3_stmt *st = stmt_get(s, ST_STORY_GET, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    return story_one(s, st, a, out, err);
}

int store_story_by_slug(Store *s, const char *slug, Arena *a, StoryRow *out, SwErr *err)
{
    sqlite3_stmt *st = stmt_get(s, ST_STORY_BY_SLUG, err);
    if (!st)
        return -1;
    sq_bind_text(st, 1, slug);
    return story_one(s, st, a, out, err);
}

int store_story_list(Store *s, size_t limit, size_t offset, Arena *a, StoryRow **rows, size_t *n, SwErr *err)
{
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *st = stmt_get(s, ST_STORY_LIST, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, limit > INT64_MAX ? INT64_MAX : (int64_t)limit);
    sqlite3_bind_int64(st, 2, offset > INT64_MAX ? INT64_MAX : (int64_t)offset);
    return sq_query_stories(s, st, a, rows, n, err, "cannot list stories");
}

int sq_query_stories(Store *s, sqlite3_stmt *st, Arena *a, StoryRow **rows, size_t *n, SwErr *err,
                     const char *what)
{
    StoryRow *v = NULL;
    size_t len = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (len == cap) {
            cap = cap ? cap * 2 : 16;
            v = xrealloc(v, cap * sizeof *v);
        }
        read_story(st, a, &v[len++]);
    }
    if (rc != SQLITE_DONE) {
        sq_err(s, err, what); /* before the reset, which may clear the message */
        sq_done(st);
        free(v);
        return -1;
    }
    sq_done(st);
    *rows = v;
    *n = len;
    return 0;
}

int store_slug_taken(Store *s, const char *slug, int64_t story_id, SwErr *err)
{
    sqlite3_stmt *st = stmt_get(s, ST_SLUG_OWNER, err);
    if (!st)
        return -1;
    sq_bind_text(st, 1, slug);
    int64_t owner;
    int rc = sq_query_int(s, st, &owner, err, "cannot look up slug");
    if (rc < 0)
        return -1;
    return rc == 0 && owner != story_id;
}

/* ---- merged stories ---- */

/* Runs one statement with up to two integer parameters. */
static int exec_ids(Store *s, const char *sql, int64_t a, int64_t b, SwErr *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sq_err(s, err, "cannot merge stories");
    int n = sqlite3_bind_parameter_count(st);
    if (n >= 1)
        sqlite3_bind_int64(st, 1, a);
    if (n >= 2)
        sqlite3_bind_int64(st, 2, b);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : sq_err(s, err, "cannot merge stories");
}

int store_story_merge(Store *s, int64_t from, int64_t into, SwErr *err)
{
    if (from == into)
        return sw_err(err, "%s: cannot merge story %lld into itself", s->path, (long long)from);
    static const char *const steps[] = {
        "UPDATE articles SET story_id = ?2 WHERE story_id = ?1",
        "INSERT OR REPLACE INTO story_redirects(slug, story_id)"
        " SELECT slug, ?2 FROM stories WHERE id = ?1 AND slug IS NOT NULL",
        "UPDATE story_redirects SET story_id = ?2 WHERE story_id = ?1",
        "DELETE FROM pages WHERE story_id = ?1",
        "DELETE FROM stories WHERE id = ?1",
        "UPDATE stories SET page_stale = 1 WHERE id = ?2",
    };
    int mode;
    if (sq_call_begin(s, &mode, err) < 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < sizeof steps / sizeof *steps && rc == 0; i++)
        rc = exec_ids(s, steps[i], from, into, err);
    if (rc == 0 && sqlite3_changes(s->db) == 0)
        rc = sw_err(err, "%s: cannot merge stories: no story %lld", s->path, (long long)into);
    return sq_call_end(s, mode, rc, err);
}

int store_story_redirect(Store *s, const char *slug, Arena *a, StoryRow *out, SwErr *err)
{
    sqlite3_stmt *st = stmt_get(s, ST_STORY_REDIRECT, err);
    if (!st)
        return -1;
    sq_bind_text(st, 1, slug);
    return story_one(s, st, a, out, err);
}

/* ---- pages ---- */

static int page_put(Store *s, const StoryRow *row, const char *json, size_t len, int *version, SwErr *err)
{
    sqlite3_stmt *st = stmt_get(s, ST_PAGE_VERSION, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, row->id);
    int64_t current;
    int rc = sq_query_int(s, st, &current, err, "cannot read page version");
    if (rc == STORE_NOT_FOUND)
        return sw_err(err, "%s: cannot write page: no story %lld", s->path, (long long)row->id);
    if (rc < 0)
        return -1;
    int v = (int)current + 1;
    int64_t now = (int64_t)time(NULL);

    if (!(st = stmt_get(s, ST_PAGE_ADD, err)))
        return -1;
    sqlite3_bind_int64(st, 1, row->id);
    sqlite3_bind_int(st, 2, v);
    sqlite3_bind_int64(st, 3, now);
    sqlite3_bind_text64(st, 4, json ? json : "", json ? len : 0, SQLITE_STATIC, SQLITE_UTF8);
    if (sq_exec(s, st, err, "cannot add page") < 0)
        return -1;

    if (!(st = stmt_get(s, ST_STORY_SET_PAGE, err)))
        return -1;
    sqlite3_bind_int64(st, 1, row->id);
    sq_bind_text(st, 2, row->slug);
    sq_bind_text(st, 3, row->headline);
    sq_bind_text(st, 4, row->summary);
    sq_bind_text(st, 5, row->image);
    sqlite3_bind_int64(st, 6, row->updated ? row->updated : now);
    sqlite3_bind_int(st, 7, v);
    sqlite3_bind_int(st, 8, row->article_count);
    sqlite3_bind_int(st, 9, row->source_count);
    rc = sqlite3_step(st);
    if (rc != SQLITE_DONE) {
        if (sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_UNIQUE)
            sw_err(err, "%s: cannot write page of story %lld: slug \"%s\" belongs to another story",
                   s->path, (long long)row->id, row->slug ? row->slug : "");
        else
            sq_err(s, err, "cannot update story");
        sq_done(st);
        return -1;
    }
    sq_done(st);
    *version = v;
    return 0;
}

int store_page_put(Store *s, const StoryRow *row, const char *json, size_t len, int *version, SwErr *err)
{
    int mode, v = 0;
    if (sq_call_begin(s, &mode, err) < 0)
        return -1;
    int rc = sq_call_end(s, mode, page_put(s, row, json, len, &v, err), err);
    if (rc == 0 && version)
        *version = v;
    return rc;
}

int store_page_get(Store *s, int64_t story_id, int version, Buf *out, int *version_out, SwErr *err)
{
    sqlite3_stmt *st = stmt_get(s, version > 0 ? ST_PAGE_GET : ST_PAGE_LATEST, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, story_id);
    if (version > 0)
        sqlite3_bind_int(st, 2, version);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const void *json = sqlite3_column_text(st, 1);
        buf_append(out, json ? json : "", (size_t)sqlite3_column_bytes(st, 1));
        if (version_out)
            *version_out = sqlite3_column_int(st, 0);
        rc = 0;
    } else if (rc == SQLITE_DONE) {
        rc = STORE_NOT_FOUND;
    } else {
        rc = sq_err(s, err, "cannot read page");
    }
    sq_done(st);
    return rc;
}

/* ---- term statistics ---- */

int store_df_load(Store *s, StoreDfFn fn, void *ctx, int64_t *n_docs, SwErr *err)
{
    sqlite3_stmt *st = stmt_get(s, ST_DOCS_GET, err);
    if (!st)
        return -1;
    int64_t docs = 0;
    if (sq_query_int(s, st, &docs, err, "cannot read document count") < 0)
        return -1;
    if (n_docs)
        *n_docs = docs;
    if (!(st = stmt_get(s, ST_DF_ALL, err)))
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn(ctx, (uint32_t)sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1));
    if (rc != SQLITE_DONE)
        sq_err(s, err, "cannot read term frequencies");
    sq_done(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int df_add(Store *s, const uint32_t *terms, size_t n, SwErr *err)
{
    sqlite3_stmt *st = stmt_get(s, ST_DF_ADD, err);
    if (!st)
        return -1;
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_int64(st, 1, terms[i]);
        if (sq_exec(s, st, err, "cannot add term frequency") < 0)
            return -1;
    }
    return run(s, ST_DOCS_ADD, err, "cannot add to document count");
}

int store_df_add(Store *s, const uint32_t *terms, size_t n, SwErr *err)
{
    int mode;
    if (sq_call_begin(s, &mode, err) < 0)
        return -1;
    return sq_call_end(s, mode, df_add(s, terms, n, err), err);
}

static int df_add_counts(Store *s, const uint32_t *terms, const int64_t *counts, size_t n,
                         int64_t docs, SwErr *err)
{
    sqlite3_stmt *st = stmt_get(s, ST_DF_ADD_N, err);
    if (!st)
        return -1;
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_int64(st, 1, terms[i]);
        sqlite3_bind_int64(st, 2, counts[i]);
        if (sq_exec(s, st, err, "cannot add term frequency") < 0)
            return -1;
    }
    if (!(st = stmt_get(s, ST_DOCS_ADD_N, err)))
        return -1;
    sqlite3_bind_int64(st, 1, docs);
    return sq_exec(s, st, err, "cannot add to document count") < 0 ? -1 : 0;
}

int store_df_add_counts(Store *s, const uint32_t *terms, const int64_t *counts, size_t n,
                        int64_t docs, SwErr *err)
{
    int mode;
    if (sq_call_begin(s, &mode, err) < 0)
        return -1;
    return sq_call_end(s, mode, df_add_counts(s, terms, counts, n, docs, err), err);
}

int store_stale_stories(Store *s, int64_t **ids, size_t *n, SwErr *err)
{
    sqlite3_stmt *st = stmt_get(s, ST_STALE, err);
    if (!st)
        return -1;
    size_t cap = 64, k = 0;
    int64_t *out = xmalloc(cap * sizeof *out);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (k == cap) {
            cap *= 2;
            out = xrealloc(out, cap * sizeof *out);
        }
        out[k++] = sqlite3_column_int64(st, 0);
    }
    if (rc != SQLITE_DONE) {
        sq_err(s, err, "cannot list stories whose page is out of date");
        sq_done(st);
        free(out);
        return -1;
    }
    sq_done(st);
    *ids = out;
    *n = k;
    return 0;
}

int store_story_source_count(Store *s, int64_t id, int *n, SwErr *err)
{
    sqlite3_stmt *st = stmt_get(s, ST_STORY_OUTLETS, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sq_err(s, err, "cannot count a story's outlets");
        sq_done(st);
        return -1;
    }
    *n = sqlite3_column_int(st, 0);
    sq_done(st);
    return 0;
}

int store_article_set_lang(Store *s, int64_t id, const char *lang, SwErr *err)
{
    int mode;
    if (sq_call_begin_one(s, &mode, err) < 0)
        return -1;
    sqlite3_stmt *st = stmt_get(s, ST_SET_LANG, err);
    int rc = -1;
    if (st) {
        sqlite3_bind_int64(st, 1, id);
        sq_bind_text(st, 2, lang);
        rc = sq_exec(s, st, err, "cannot set article language") < 0 ? -1 : 0;
    }
    return sq_call_end(s, mode, rc, err);
}
