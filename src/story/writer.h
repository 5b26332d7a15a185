/* writer.h - the page writer: turns a story's analysed member articles
 * into a Page, extractively. Every sentence on the page is a sentence of
 * a member article and cites it.
 *
 * Method: candidates are the sentences of the members in the story's
 * main language (no boilerplate, questions, fragments); each is scored by
 * TF-IDF cosine to the story centroid, LexRank-style degree centrality and
 * a lead bias. The summary is the best 1-3 by MMR, never dangling or a
 * quote first. The rest of the page is chosen against a word budget by
 * concept coverage per word (concepts: word pairs weighted by how many
 * members state them) plus the score, never repeating a sentence, a
 * dangling one ("He said...") only after its antecedent; it is grouped
 * into 2-5 sections by sub-topic, each headed by a key phrase that is
 * neither a lone name nor a clipped clause, in balanced paragraphs of 2-4
 * sentences ordered by time, then position in the source.
 * Background lines (background.h) and the timeline of dated events
 * (timeline.h) complete the page. See docs/pages.md. */
#ifndef SW_WRITER_H
#define SW_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "../analyze/doc.h"
#include "../core/arena.h"
#include "../kb/kb.h"
#include "page.h"

typedef struct WriterMember {
    const Doc *doc;
    const char *outlet;        /* source name */
    const char *const *also;   /* outlets that carried a near-copy ("also reported by") */
    size_t n_also;
} WriterMember;

/* Inverse document frequency lookup supplied by the caller (from the
 * store's term statistics); may be NULL (all terms weigh 1). */
typedef double (*WriterIdfFn)(void *ctx, uint32_t term);

typedef struct WriterInput {
    int64_t story_id;
    const WriterMember *members; /* oldest first */
    size_t n_members;
    int article_count;           /* members incl. duplicates */
    int source_count;            /* distinct outlets of all members; 0 = count
                                    the given members and their `also` lists */
    WriterIdfFn idf;
    void *idf_ctx;
    const char *slug;            /* the story's existing slug, kept for stability; NULL for new */
    const PageRelated *related;  /* chosen by the caller */
    size_t n_related;
    int version;                 /* version number this page will get */
    int headline_only;           /* fill only headline, headline_source and slug
                                    (cheap: to name new stories before writing) */
    int64_t now;                 /* time written */
    const Kb *kb;                /* knowledge base for background lines; NULL = none */
} WriterInput;

/* Writes the page into out (memory from the arena). Fails only when the
 * story has no members. */
int page_write(Arena *a, const WriterInput *in, Page *out, SwErr *err);

/* The summary an evaluation scores: the page writer's budgeted selection
 * (concept coverage per word plus the candidate score, no repetition, a
 * dangling sentence only after its antecedent, not a quote first) run
 * until max_words words are chosen. Whole sentences are taken, so the
 * last may pass max_words (an evaluation cuts to N words itself). Fills
 * *sentences (arena) in the order chosen and returns their count; 0 when
 * there is nothing or max_words is 0. */
size_t page_select_summary(Arena *a, const WriterInput *in, size_t max_words, const char ***sentences);

/* Proposes a slug for a headline: 3 to 5 telling words (names first, stop
 * words and filler dropped), folded to ASCII lower case, hyphenated, at
 * most 60 bytes. Never empty ("story" as a last resort). */
const char *page_slug(Arena *a, const char *headline, const char *lang);

#endif
