/* feeds.h - top stories and one story's updates as Atom 1.0 (RFC 4287)
 * and JSON Feed 1.1.
 *
 * base is the site's absolute URL without a trailing slash
 * ("http://127.0.0.1:8080"), already checked by the caller; every link in
 * a feed is built from it and an encoded slug. Article strings are
 * escaped for XML and JSON like everywhere else. */
#ifndef SW_RENDER_FEEDS_H
#define SW_RENDER_FEEDS_H

#include <stddef.h>

#include "../core/buf.h"
#include "../store/store.h"
#include "../store/web.h"

/* One story of a feed with the outlets that reported it (its authors). */
typedef struct FeedStory {
    const StoryRow *row;
    const char *const *outlets;
    size_t n_outlets;
} FeedStory;

/* /feed.atom: the stories in the order given. */
void render_feed_atom(const char *base, const FeedStory *stories, size_t n, Buf *out);
/* /feed.json: the same as a JSON Feed 1.1 document. */
void render_feed_json(const char *base, const FeedStory *stories, size_t n, Buf *out);
/* /story/<slug>.atom: one entry per page version (newest first). */
void render_story_atom(const char *base, const StoryRow *story, const WebPageVersion *versions, size_t n,
                       Buf *out);

#endif
