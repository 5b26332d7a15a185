/* store.h - the one interface to storage. Only the store knows SQL.
 *
 * SQLite backend (store_sqlite.c): WAL mode, schema versioned with
 * PRAGMA user_version and migrated forward on open, one transaction per
 * batch (store_begin / store_commit). A Store is used by one thread at a
 * time; the web server opens one Store per worker thread.
 *
 * Return values: 0 = success, -1 = error (err filled, naming the database
 * path), STORE_NOT_FOUND = no such row. Strings returned through an Arena
 * belong to that arena; arrays returned through a pointer to pointer are
 * heap memory the caller frees with free(). */
#ifndef SW_STORE_H
#define SW_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "../core/arena.h"
#include "../core/article.h"
#include "../core/buf.h"
#include "../core/err.h"

#define STORE_NOT_FOUND 1

typedef struct Store Store;

/* Opens (creating if needed) the database at path and migrates it to the
 * current schema. readonly = 1 opens an existing database for reading only
 * (the web server); it fails when the file does not exist. */
int store_open(const char *path, int readonly, Store **out, SwErr *err);

/* Called (when set) with a line for the user before a slow step of
 * store_open, such as a migration that indexes every article again. The
 * CLI points it at log_info; the library itself never prints. */
extern void (*store_notice)(const char *msg);
void store_close(Store *s);
const char *store_path(const Store *s);
int store_schema_version(Store *s);

int store_begin(Store *s, SwErr *err);
int store_commit(Store *s, SwErr *err);
void store_rollback(Store *s);

/* ---- articles ---- */

enum { ARTICLE_PENDING = 0, ARTICLE_CLUSTERED = 1, ARTICLE_DUPLICATE = 2 };

/* Stores an article unless one with the same canonical URL (or, when it
 * has no URL, the same content hash of title + text) is already stored.
 * The source (outlet) row is created on first sight; a NULL source is the
 * URL's host, or "unknown". New articles are PENDING. *added = 1 when a
 * row was inserted, 0 when it existed; *id is the row's id either way. */
int store_put_article(Store *s, const Article *a, int64_t *id, int *added, SwErr *err);

/* Records the language detected for an article that came without one, so
 * later analyses need not detect it again. */
int store_article_set_lang(Store *s, int64_t id, const char *lang, SwErr *err);

/* Reads one article; strings in the arena. */
int store_get_article(Store *s, int64_t id, Arena *a, Article *out, SwErr *err);

/* Ids of PENDING articles in the order they must be clustered: published
 * time (unknown last), then id. */
int store_pending_articles(Store *s, int64_t **ids, size_t *n, SwErr *err);

/* Marks an article CLUSTERED into story_id (adding the membership) or,
 * with status ARTICLE_DUPLICATE, a duplicate of article dup_of (it then
 * joins dup_of's story as a member that pages count but do not cite). */
int store_article_set_story(Store *s, int64_t article_id, int64_t story_id, double score, SwErr *err);
int store_article_set_duplicate(Store *s, int64_t article_id, int64_t dup_of, int64_t story_id, SwErr *err);

typedef struct StoreCounts {
    int64_t articles, pending, stories, sources, pages;
} StoreCounts;
int store_counts(Store *s, StoreCounts *out, SwErr *err);

/* The story an article was placed in (0 while it is PENDING) and its
 * status (ARTICLE_PENDING, _CLUSTERED or _DUPLICATE); STORE_NOT_FOUND when
 * there is no such article. */
int store_article_story(Store *s, int64_t article_id, int64_t *story_id, int *status, SwErr *err);

/* ---- stories ---- */

typedef struct StoryRow {
    int64_t id;
    const char *slug;          /* NULL until the first page is written */
    const char *headline;
    const char *summary;       /* plain text of the page summary */
    const char *image;
    int64_t first_published, last_published; /* span of member articles */
    int64_t updated;           /* when the page was last written */
    int article_count, source_count;
    int page_version;          /* 0 = no page yet */
} StoryRow;

/* Creates an empty story; *id receives its id. */
int store_story_new(Store *s, int64_t *id, SwErr *err);

/* Writes the clustering state of a story: an opaque blob (the clusterer's
 * centroid) and the time span / counts it tracks. Marks the story's page
 * out of date until the next store_page_put. */
int store_story_set_state(Store *s, int64_t id, const void *state, size_t len,
                          int64_t first_published, int64_t last_published,
                          int article_count, int source_count, SwErr *err);

/* Calls fn for every story whose last_published >= since, with its state
 * blob (valid only during the call). A non-zero return from fn stops. */
typedef int (*StoreStateFn)(void *ctx, int64_t id, const void *state, size_t len,
                            int64_t first_published, int64_t last_published, int article_count);
int store_story_states(Store *s, int64_t since, StoreStateFn fn, void *ctx, SwErr *err);

/* Article ids of a story's members, oldest first (duplicates included when
 * with_duplicates). */
int store_story_members(Store *s, int64_t id, int with_duplicates, int64_t **ids, size_t *n, SwErr *err);

/* Outlet names of articles marked duplicates of article_id ("also
 * reported by"), each once, other than the article's own outlet. The
 * array is heap memory (free it); the strings live in the arena. */
int store_article_duplicates(Store *s, int64_t article_id, Arena *a, const char ***outlets, size_t *n, SwErr *err);

int store_story_get(Store *s, int64_t id, Arena *a, StoryRow *out, SwErr *err);

/* Distinct outlets among all of a story's members, near-copies included. */
int store_story_source_count(Store *s, int64_t id, int *n, SwErr *err);
int store_story_by_slug(Store *s, const char *slug, Arena *a, StoryRow *out, SwErr *err);

/* Stories that have a page, newest activity (last_published) first. */
int store_story_list(Store *s, size_t limit, size_t offset, Arena *a, StoryRow **rows, size_t *n, SwErr *err);

/* Merges story `from` into story `into` (the clustering merge pass):
 * its articles move over, its slug becomes a redirect to `into` (as do
 * the slugs that redirected to it), its row and pages go, and `into`'s
 * page is marked out of date. */
int store_story_merge(Store *s, int64_t from, int64_t into, SwErr *err);

/* The story that took over the absorbed story whose slug this was:
 * 0, STORE_NOT_FOUND, or -1 with err. */
int store_story_redirect(Store *s, const char *slug, Arena *a, StoryRow *out, SwErr *err);

/* 1 when slug belongs to a story other than story_id (or is an absorbed
 * story's, now redirecting), 0 when free or ours. */
int store_slug_taken(Store *s, const char *slug, int64_t story_id, SwErr *err);

/* ---- pages ---- */

/* Ids of stories whose page is out of date (their state changed after
 * their last page was written), oldest story first. Heap array. */
int store_stale_stories(Store *s, int64_t **ids, size_t *n, SwErr *err);

/* Appends a new page version for a story and updates the story row's
 * slug, headline, summary, image, updated, article_count, source_count
 * and page_version from row.
 * *version receives the new version number (1, 2, ...). */
int store_page_put(Store *s, const StoryRow *row, const char *json, size_t len, int *version, SwErr *err);

/* The page JSON of a story: version 0 = latest. Appends to out. */
int store_page_get(Store *s, int64_t story_id, int version, Buf *out, int *version_out, SwErr *err);

/* ---- term statistics (document frequencies for TF-IDF) ---- */

/* Calls fn for every term with its document frequency; *n_docs receives
 * the number of documents counted. */
typedef void (*StoreDfFn)(void *ctx, uint32_t term, int64_t df);
int store_df_load(Store *s, StoreDfFn fn, void *ctx, int64_t *n_docs, SwErr *err);
/* Adds one document containing the given distinct terms. */
int store_df_add(Store *s, const uint32_t *terms, size_t n, SwErr *err);
/* Adds counts[i] to the frequency of terms[i] and docs to the document
 * count: a batch of documents in one pass. */
int store_df_add_counts(Store *s, const uint32_t *terms, const int64_t *counts, size_t n,
                        int64_t docs, SwErr *err);

#endif
