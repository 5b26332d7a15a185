/* web.h - the queries the web server needs beyond store.h: the front
 * page's ranking, the newest update (Last-Modified), filtered and
 * cursor-paginated story lists, single articles and a story's page
 * versions. Implemented in store_web.c over the same SQLite Store.
 *
 * Return values follow store.h: 0, -1 with err, STORE_NOT_FOUND. */
#ifndef SW_STORE_WEB_H
#define SW_STORE_WEB_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* Ranking of the front page: the RANK_CANDIDATES most recently active
 * stories (by last_published) are ordered by web_rank_score, highest
 * first (ties: newer last_published, then higher id); stories beyond the
 * candidates follow in order of activity. */
#define RANK_CANDIDATES 500
#define RANK_HALF_LIFE_S (24 * 3600)

/* score = 2^(-(newest - last_published) / RANK_HALF_LIFE_S)
 *         * (1 + ln(article_count)) * (1 + ln(source_count))
 * with counts below 1 taken as 1 and last_published after newest taken as
 * newest. newest is the last_published of the most recently active story
 * in the database (not the wall clock), so an old corpus ranks the same
 * as it did when it was current. */
double web_rank_score(int64_t newest, const StoryRow *r);

/* Stories with a page in front-page order (above); heap array of rows,
 * strings in the arena, like store_story_list. */
int store_web_top_stories(Store *s, size_t limit, size_t offset, Arena *a, StoryRow **rows, size_t *n,
                          SwErr *err);

/* The newest page write time (max of stories.updated), 0 when none. */
int store_web_last_update(Store *s, int64_t *out, SwErr *err);

/* The connection's PRAGMA data_version: a value that differs from the
 * previous call's when another connection has committed in between. */
int store_web_data_version(Store *s, int64_t *out, SwErr *err);

/* ---- /api/stories: filters and cursor pagination ---- */

/* Stories with a page, newest activity first (last_published DESC, id
 * DESC). Zero / NULL fields do not filter. */
typedef struct WebStoryQuery {
    size_t limit, offset;
    int64_t since, until;      /* last_published within [since, until] */
    const char *source;        /* at least one member from this outlet (name, any case) */
    const char *lang;          /* the page's main language */
    int has_cursor;            /* only stories after (cursor_time, cursor_id) in the order */
    int64_t cursor_time, cursor_id;
} WebStoryQuery;

int store_web_stories(Store *s, const WebStoryQuery *q, Arena *a, StoryRow **rows, size_t *n, SwErr *err);

/* ---- /api/articles/<id> ---- */

typedef struct WebArticle {
    int64_t id;
    const char *url, *outlet, *title, *text, *lang, *author, *image;
    int64_t published;
    const char *story_slug; /* NULL while unclustered or the story has no page */
} WebArticle;

int store_web_article(Store *s, int64_t id, Arena *a, WebArticle *out, SwErr *err);

/* ---- feeds ---- */

/* The distinct outlets of a story's members, by name, at most max of
 * them. Heap array of arena strings. */
int store_web_story_outlets(Store *s, int64_t story_id, size_t max, Arena *a, const char ***names, size_t *n,
                            SwErr *err);

/* One version of a story's page: when it was written, its headline and
 * its change note (NULL for none; both read from the page JSON). */
typedef struct WebPageVersion {
    int version;
    int64_t created;
    const char *headline;
    const char *change_note;
} WebPageVersion;

/* A story's page versions, newest first, at most max. Heap array. */
int store_web_page_versions(Store *s, int64_t story_id, size_t max, Arena *a, WebPageVersion **out, size_t *n,
                            SwErr *err);

#endif
