/* store_internal.h - what the SQLite backend's files share. Not part of
 * the store's contract (store.h): only the files of src/store include it.
 *
 * store_sqlite.c holds the schema, its migrations and the core tables;
 * other files of the backend (search, sources, ...) add their queries with
 * sq_stmt, which prepares a statement once per Store and caches it by the
 * address of its SQL text (so pass a string constant). */
#ifndef SW_STORE_INTERNAL_H
#define SW_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store.h"

#define STORE_STMT_MAX 64  /* store_sqlite.c's own statements */
#define STORE_EXTRA_MAX 64 /* statements of the other files */

struct Store {
    sqlite3 *db;
    char *path;
    int readonly;
    sqlite3_stmt *stmt[STORE_STMT_MAX];
    const char *extra_sql[STORE_EXTRA_MAX];
    sqlite3_stmt *extra[STORE_EXTRA_MAX];
    size_t n_extra;
    struct SearchRank *rank; /* store_search.c: article lengths and state for ranking */
    int rank_mode;           /* articles ranked by 0: sw_article_bm25 with lengths in memory
                              * and the count of a single term reused for its IDF, 1: FTS5's
                              * bm25(), 2: sw_article_bm25 asking FTS5 for lengths and counts,
                              * 3: lengths in memory, counts from FTS5 (tests and benchmarks
                              * compare them) */
};

/* The cached statement for sql (a string constant), ready to bind. */
sqlite3_stmt *sq_stmt(Store *s, const char *sql, SwErr *err);
/* Resets a statement and clears its bindings after use. */
void sq_done(sqlite3_stmt *st);
/* Binds text without copying (NULL binds NULL); the caller's string must
 * outlive the step. */
void sq_bind_text(sqlite3_stmt *st, int i, const char *text);
/* Steps a statement that returns no rows; resets it. 0 or -1. */
int sq_exec(Store *s, sqlite3_stmt *st, SwErr *err, const char *what);
/* First column of the first row as an integer: 0, STORE_NOT_FOUND or -1. */
int sq_query_int(Store *s, sqlite3_stmt *st, int64_t *out, SwErr *err, const char *what);
/* Column 0 of every row into a heap array. */
int sq_query_ids(Store *s, sqlite3_stmt *st, int64_t **ids, size_t *n, SwErr *err, const char *what);
/* Column 0 of every row as arena strings, into a heap array. */
int sq_query_strs(Store *s, sqlite3_stmt *st, Arena *a, const char ***out, size_t *n, SwErr *err,
                  const char *what);
/* The columns of a StoryRow, in the order sq_query_stories reads them;
 * qualified with the table name (or alias) prefix, e.g. SQ_STORY_COLS("s."). */
#define SQ_STORY_COLS(t)                                                                         \
    t "id, " t "slug, " t "headline, " t "summary, " t "image, " t "first_published, "              \
    t "last_published, " t "updated, " t "article_count, " t "source_count, " t "page_version"
/* Every row of a statement selecting SQ_STORY_COLS, into a heap array. */
int sq_query_stories(Store *s, sqlite3_stmt *st, Arena *a, StoryRow **rows, size_t *n, SwErr *err,
                     const char *what);
/* Column i as an arena string (NULL for NULL). */
char *sq_col_str(sqlite3_stmt *st, int i, Arena *a);
/* Fills err with "PATH: what: SQLite's message"; returns -1. */
int sq_err(Store *s, SwErr *err, const char *what);

/* Every write goes between sq_call_begin and sq_call_end: a savepoint
 * inside the caller's transaction, else a transaction of its own. */
/* store_search.c: registers the article ranking function on a new
 * connection (store_open) and frees what it cached (store_close). */
int search_attach(Store *s, SwErr *err);
void search_detach(Store *s);

enum { CALL_OWN_TX = 1, CALL_SAVEPOINT = 2, CALL_STATEMENT = 3 };
int sq_call_begin(Store *s, int *mode, SwErr *err);
/* The same for a call that runs a single statement: inside the caller's
 * transaction it needs no savepoint (CALL_STATEMENT). */
int sq_call_begin_one(Store *s, int *mode, SwErr *err);
/* Commits when ok is 0 or STORE_NOT_FOUND, otherwise undoes the call;
 * returns ok, or -1 when the commit fails. */
int sq_call_end(Store *s, int mode, int ok, SwErr *err);

#endif
