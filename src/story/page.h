/* page.h - a story page: what the page writer produces, the store keeps
 * (as JSON), and the renderers turn into text, Markdown, HTML and JSON.
 *
 * Every sentence on a page cites one article by its index into `sources`
 * (0-based; rendered as [n+1]). All strings and arrays belong to the arena
 * the page was built or parsed in. */
#ifndef SW_PAGE_H
#define SW_PAGE_H

#include <stddef.h>
#include <stdint.h>

#include "../core/arena.h"
#include "../core/buf.h"
#include "../core/err.h"

typedef struct PageSource {     /* one article the page cites */
    int64_t article_id;
    const char *outlet;         /* source name */
    const char *title;
    const char *url;            /* may be NULL */
    int64_t published;          /* 0 = unknown */
    const char **also;          /* outlets that carried a near-copy ("also reported by") */
    size_t n_also;
} PageSource;

typedef struct PageSentence {
    const char *text;
    int source;                 /* index into Page.sources */
} PageSentence;

typedef struct PageParagraph {
    PageSentence *sentences;
    size_t n_sentences;
} PageParagraph;

typedef struct PageSection {
    const char *heading;
    PageParagraph *paragraphs;
    size_t n_paragraphs;
} PageSection;

typedef struct PageQuote {
    const char *text;           /* the quoted words, without quote marks */
    const char *speaker;        /* "Dmitry Peskov" */
    const char *verb;           /* "warned", "told reporters"; may be NULL */
    int source;
} PageQuote;

typedef struct PageBackground { /* one line from the knowledge base */
    const char *name;           /* the entity as the story names it, "Kyiv" */
    const char *kind;           /* "person", "place", "organisation" or "other" */
    const char *text;           /* "Kyiv is the capital of Ukraine." */
    const char *attribution;    /* where the line comes from: "WordNet" */
    const char *url;            /* link for the attribution; may be NULL */
} PageBackground;

typedef struct PageEvent {      /* one dated event of the timeline */
    const char *date;           /* "2025-12-28", "2025-12" or "2019" */
    const char *text;           /* the member sentence that states it, verbatim */
    int source;                 /* index into Page.sources */
} PageEvent;

typedef struct PageRelated {
    const char *slug;
    const char *headline;
} PageRelated;

#define PAGE_MAX_BACKGROUND 5
#define PAGE_MAX_TIMELINE 8

typedef struct Page {
    int64_t story_id;
    int version;                /* 1 for the first page of a story */
    const char *slug;
    const char *headline;
    int headline_source;        /* the article whose title it is */
    PageSentence *summary;      /* 1 to 3 sentences */
    size_t n_summary;
    const char *image;          /* lead image URL or NULL */
    int image_source;           /* -1 when no image */
    PageSection *sections;
    size_t n_sections;
    PageQuote *quotes;
    size_t n_quotes;
    PageSource *sources;
    size_t n_sources;
    PageRelated *related;
    size_t n_related;
    PageBackground *background; /* at most PAGE_MAX_BACKGROUND lines */
    size_t n_background;
    PageEvent *timeline;        /* dated events, oldest first */
    size_t n_timeline;
    const char *lang;
    int article_count;          /* members, including ones not cited */
    int source_count;           /* distinct outlets among members */
    int64_t first_published, last_published;
    int64_t updated;            /* when this version was written */
    const char *change_note;    /* what changed since the previous version, or NULL */
} Page;

/* Serialises the page as the JSON object served by /api/stories/<slug>
 * and kept by the store. Field names are stable (see docs/http.md). */
void page_to_json(const Page *p, Buf *out);

/* Parses what page_to_json wrote. Strings live in the arena. On malformed
 * input returns -1 with err saying which field is wrong. */
int page_from_json(Arena *a, const char *json, size_t n, Page *out, SwErr *err);

#endif
