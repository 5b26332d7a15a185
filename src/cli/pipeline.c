/* pipeline.c - `update`: pending articles -> analysis -> clustering ->
 * pages. This file only wires the stages together.
 *
 * Clustering runs in batches of BATCH articles (analysed and counted into
 * the document frequencies first, then placed), each in one transaction
 * that also saves the changed stories' states (which marks their pages out
 * of date); a crash or kill loses at most the batch in progress, whose
 * articles stay pending. Pages are then written once per out-of-date
 * story, PAGE_BATCH stories a transaction; an interrupted update leaves
 * the rest marked and the next update writes them. Writing pages after
 * clustering, not per batch, means a story that grows across a bulk import
 * gets one new version, not one per batch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analyze/doc.h"
#include "../core/log.h"
#include "../core/map.h"
#include "../core/timeutil.h"
#include "../story/writer.h"
#include "cli.h"

#define BATCH CLUSTER_BATCH
#define PAGE_BATCH 200
#define RELATED_MAX 4
/* A page is written from at most this many members: the story's first
 * WRITER_HEAD (how it began) and its latest ones. Counts still cover all. */
#define WRITER_MEMBERS 120
#define WRITER_HEAD 20
#define RELATED_MIN 0.15

typedef struct Pipeline {
    Store *st;
    Clusterer *cl;
    DocAnalyzer *da;
    IntMap df_delta;       /* term -> documents added in this batch */
    int64_t df_docs;
    IntMap headline_known; /* story id -> index into names (slug/headline chosen this run) */
    char **slugs, **headlines;
    StrMap slug_owner;     /* slug chosen this run -> its story id */
    size_t n_names, cap_names;
    int64_t last_time;     /* publication time of the last article placed */
    int revise;            /* the model's revise_rounds > 0 */
} Pipeline;

static void df_loader(void *ctx, uint32_t term, int64_t df)
{
    cluster_set_df(ctx, term, df);
}

static int state_loader(void *ctx, int64_t id, const void *state, size_t len, int64_t first,
                        int64_t last, int count)
{
    Pipeline *p = ctx;
    SwErr err;
    if (cluster_load_story(p->cl, id, state, len, &err) != 0)
        log_warn("%s", err.msg); /* that story stops growing; nothing is lost */
    return 0;
}

static double idf_of(void *ctx, uint32_t term)
{
    return cluster_idf(ctx, term);
}

static void remember_name(Pipeline *p, int64_t story_id, const char *slug, const char *headline)
{
    int created;
    int64_t *slot = intmap_put(&p->headline_known, (uint64_t)story_id, &created);
    if (!created) {
        free(p->slugs[*slot]);
        free(p->headlines[*slot]);
    } else {
        if (p->n_names == p->cap_names) {
            p->cap_names = p->cap_names ? p->cap_names * 2 : 64;
            p->slugs = xrealloc(p->slugs, p->cap_names * sizeof *p->slugs);
            p->headlines = xrealloc(p->headlines, p->cap_names * sizeof *p->headlines);
        }
        *slot = (int64_t)p->n_names++;
    }
    p->slugs[*slot] = xstrdup(slug);
    strmap_put(&p->slug_owner, slug, strlen(slug), NULL)->val.num = story_id;
    p->headlines[*slot] = xstrdup(headline);
}

/* A slug no other story has: the proposal, or the proposal with -2 to -9,
 * or with the story's id, which no other story's slug ends in by this rule. */
static const char *unique_slug(Pipeline *p, Arena *a, const char *proposal, int64_t story_id, SwErr *err)
{
    for (int i = 1; i <= 10; i++) {
        const char *slug = i == 1    ? proposal
                           : i < 10 ? arena_printf(a, "%s-%d", proposal, i)
                                    : arena_printf(a, "%s-%lld", proposal, (long long)story_id);
        int taken = store_slug_taken(p->st, slug, story_id, err);
        if (taken < 0)
            return NULL;
        /* slugs chosen earlier in this run are not in the store yet */
        StrMapEntry *owner = taken ? NULL : strmap_get(&p->slug_owner, slug, strlen(slug));
        if (owner && owner->val.num != story_id)
            taken = 1;
        if (!taken)
            return slug;
    }
    sw_err(err, "story %lld: no free slug for \"%s\"", (long long)story_id, proposal);
    return NULL;
}

/* Analyses a story's members and fills the writer's input. */
static int load_members(Pipeline *p, Arena *a, int64_t story_id, WriterInput *in, SwErr *err)
{
    int64_t *ids;
    size_t n;
    if (store_story_members(p->st, story_id, 0, &ids, &n, err) != 0)
        return -1;
    if (n > WRITER_MEMBERS) {
        size_t tail = WRITER_MEMBERS - WRITER_HEAD;
        memmove(ids + WRITER_HEAD, ids + n - tail, tail * sizeof *ids);
        n = WRITER_MEMBERS;
    }
    WriterMember *members = ARENA_ARRAY(a, WriterMember, n ? n : 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        Article *art = ARENA_NEW(a, Article);
        if (store_get_article(p->st, ids[i], a, art, err) != 0) {
            free(ids);
            return -1;
        }
        Doc *d = ARENA_NEW(a, Doc);
        doc_analyze(p->da, a, art, d);
        members[k].doc = d;
        members[k].outlet = d->article->source;
        const char **also = NULL;
        size_t n_also = 0;
        if (store_article_duplicates(p->st, ids[i], a, &also, &n_also, err) != 0) {
            free(ids);
            return -1;
        }
        /* keep the list with the page's other data in the arena */
        const char **kept = ARENA_ARRAY(a, const char *, n_also ? n_also : 1);
        if (n_also)
            memcpy(kept, also, n_also * sizeof *kept);
        free(also);
        members[k].also = kept;
        members[k].n_also = n_also;
        k++;
    }
    free(ids);
    int64_t *all;
    size_t n_all;
    if (store_story_members(p->st, story_id, 1, &all, &n_all, err) != 0)
        return -1;
    free(all);
    if (store_story_source_count(p->st, story_id, &in->source_count, err) != 0)
        return -1;
    in->story_id = story_id;
    in->members = members;
    in->n_members = k;
    in->article_count = (int)n_all;
    in->idf = idf_of;
    in->idf_ctx = p->cl;
    in->now = time_now();
    return 0;
}

static void join_summary(Arena *a, const Page *pg, const char **out)
{
    Buf b = {0};
    for (size_t i = 0; i < pg->n_summary; i++) {
        if (i)
            buf_putc(&b, ' ');
        buf_puts(&b, pg->summary[i].text);
    }
    *out = arena_strndup(a, buf_cstr(&b), b.len);
    buf_free(&b);
}

/* Pass 1 for stories that have no page yet: choose headline and slug so
 * that related-story links between new stories can be written. */
static int name_story(Pipeline *p, int64_t story_id, SwErr *err)
{
    Arena a = {0};
    StoryRow row;
    int rc = store_story_get(p->st, story_id, &a, &row, err);
    if (rc == 0 && row.slug) {
        remember_name(p, story_id, row.slug, row.headline ? row.headline : row.slug);
        arena_free(&a);
        return 0;
    }
    if (rc < 0) {
        arena_free(&a);
        return -1;
    }
    WriterInput in = {.headline_only = 1};
    Page pg;
    const char *slug = NULL;
    if (load_members(p, &a, story_id, &in, err) == 0 && page_write(&a, &in, &pg, err) == 0 &&
        (slug = unique_slug(p, &a, pg.slug, story_id, err)) != NULL)
        remember_name(p, story_id, slug, pg.headline);
    arena_free(&a);
    return slug ? 0 : -1;
}

/* Notes what a new page version adds over the previous one: "2 new
 * articles from 1 new outlet; new section: Strike Talks". */
static int describe_change(Pipeline *p, Arena *a, Page *pg, SwErr *err)
{
    Buf json = {0};
    int version;
    int rc = store_page_get(p->st, pg->story_id, 0, &json, &version, err);
    if (rc != 0) {
        buf_free(&json);
        return rc == STORE_NOT_FOUND ? 0 : -1;
    }
    Page old;
    SwErr parse_err;
    if (page_from_json(a, json.data, json.len, &old, &parse_err) != 0) {
        buf_free(&json); /* a damaged old version says nothing about the change */
        return 0;
    }
    buf_free(&json);
    Buf note = {0};
    int articles = pg->article_count - old.article_count;
    int outlets = pg->source_count - old.source_count;
    if (articles > 0)
        buf_printf(&note, "%d new article%s", articles, articles == 1 ? "" : "s");
    if (articles > 0 && outlets > 0)
        buf_printf(&note, " from %d new outlet%s", outlets, outlets == 1 ? "" : "s");
    for (size_t i = 0; i < pg->n_sections; i++) {
        int seen = !pg->sections[i].heading;
        for (size_t k = 0; k < old.n_sections && !seen; k++)
            seen = old.sections[k].heading && strcmp(pg->sections[i].heading, old.sections[k].heading) == 0;
        if (!seen)
            buf_printf(&note, "%snew section: %s", note.len ? "; " : "", pg->sections[i].heading);
    }
    if (!note.len)
        buf_puts(&note, "rewritten");
    pg->change_note = arena_strndup(a, note.data, note.len);
    buf_free(&note);
    return 0;
}

static int write_page(Pipeline *p, int64_t story_id, SwErr *err)
{
    Arena a = {0};
    StoryRow row;
    if (store_story_get(p->st, story_id, &a, &row, err) != 0) {
        arena_free(&a);
        return -1;
    }
    WriterInput in = {0};
    if (load_members(p, &a, story_id, &in, err) != 0) {
        arena_free(&a);
        return -1;
    }
    int64_t *known = intmap_get(&p->headline_known, (uint64_t)story_id);
    in.slug = row.slug ? row.slug : known ? p->slugs[*known] : NULL;
    in.version = row.page_version + 1;
    in.kb = cli_kb();

    int64_t rel_ids[RELATED_MAX];
    double rel_scores[RELATED_MAX];
    size_t n_rel = cluster_related(p->cl, story_id, RELATED_MAX, RELATED_MIN, rel_ids, rel_scores);
    PageRelated *related = ARENA_ARRAY(&a, PageRelated, RELATED_MAX);
    size_t k = 0;
    for (size_t i = 0; i < n_rel; i++) {
        int64_t *named = intmap_get(&p->headline_known, (uint64_t)rel_ids[i]);
        StoryRow other;
        if (named) {
            related[k++] = (PageRelated){p->slugs[*named], p->headlines[*named]};
        } else if (store_story_get(p->st, rel_ids[i], &a, &other, err) == 0 && other.slug) {
            related[k++] = (PageRelated){other.slug, other.headline};
        }
    }
    in.related = related;
    in.n_related = k;

    Page pg;
    if (page_write(&a, &in, &pg, err) != 0) {
        arena_free(&a);
        return -1;
    }
    if (!row.slug && !known) {
        const char *slug = unique_slug(p, &a, pg.slug, story_id, err);
        if (!slug) {
            arena_free(&a);
            return -1;
        }
        pg.slug = slug;
    }
    if (row.page_version > 0 && describe_change(p, &a, &pg, err) != 0) {
        arena_free(&a);
        return -1;
    }
    Buf json = {0};
    page_to_json(&pg, &json);
    StoryRow upd = row;
    upd.slug = pg.slug;
    upd.headline = pg.headline;
    join_summary(&a, &pg, &upd.summary);
    upd.image = pg.image;
    upd.updated = pg.updated;
    upd.article_count = pg.article_count;
    upd.source_count = pg.source_count;
    int version;
    int rc = store_page_put(p->st, &upd, json.data, json.len, &version, err);
    buf_free(&json);
    arena_free(&a);
    return rc;
}

static int save_states(Pipeline *p, SwErr *err)
{
    int64_t *ids;
    size_t n = cluster_take_dirty(p->cl, &ids);
    Buf state = {0};
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        int64_t first, last;
        int count;
        buf_reset(&state);
        cluster_story_state(p->cl, ids[i], &state, &first, &last, &count);
        /* source_count is refreshed with the page; keep the stored one here */
        Arena a = {0};
        StoryRow row;
        int sources = 0;
        if (store_story_get(p->st, ids[i], &a, &row, err) == 0)
            sources = row.source_count;
        arena_free(&a);
        rc = store_story_set_state(p->st, ids[i], state.data, state.len, first, last, count, sources, err);
    }
    buf_free(&state);
    free(ids);
    return rc;
}


/* Writes the batch's document frequencies in one pass. */
static int flush_df(Pipeline *p, SwErr *err)
{
    size_t n = p->df_delta.count, k = 0;
    uint32_t *terms = xmalloc((n + 1) * sizeof *terms);
    int64_t *counts = xmalloc((n + 1) * sizeof *counts);
    for (size_t i = 0; i < p->df_delta.cap; i++)
        if (p->df_delta.slots[i].used) {
            terms[k] = (uint32_t)p->df_delta.slots[i].key;
            counts[k++] = p->df_delta.slots[i].val;
        }
    int rc = store_df_add_counts(p->st, terms, counts, k, p->df_docs, err);
    free(terms);
    free(counts);
    intmap_free(&p->df_delta);
    p->df_docs = 0;
    return rc;
}

/* What clustering needs of an analysed article, copied out of its
 * analysis so that a whole batch can be held at once. */
/* Phase 1 of a batch: analyses an article, remembers its detected
 * language, and counts its terms into the document frequencies. */
static Doc *analyse_article(Pipeline *p, Arena *keep, int64_t id, SwErr *err)
{
    Arena a = {0};
    Article *art = ARENA_NEW(&a, Article);
    if (store_get_article(p->st, id, &a, art, err) != 0) {
        arena_free(&a);
        return NULL;
    }
    Doc *d = ARENA_NEW(&a, Doc);
    doc_analyze(p->da, &a, art, d);
    /* remember a detected language so that page rewrites skip detection */
    if (!art->lang && d->lang && strcmp(d->lang, "und") != 0 &&
        store_article_set_lang(p->st, id, d->lang, err) != 0) {
        arena_free(&a);
        return NULL;
    }
    uint32_t *terms;
    size_t n_terms;
    cluster_count_doc(p->cl, d, &terms, &n_terms);
    for (size_t i = 0; i < n_terms; i++)
        (*intmap_put(&p->df_delta, terms[i], NULL))++;
    p->df_docs++;
    free(terms);
    Doc *kept = cluster_doc_copy(keep, d);
    arena_free(&a);
    return kept;
}

/* Phase 2: places an analysed article in a story (*story_out, and
 * *dup_out the article it is a near-copy of, or 0). */
static int place_article(Pipeline *p, int64_t id, const Doc *d, UpdateStats *stats, int64_t *story_out,
                         int64_t *dup_out, SwErr *err)
{
    ClusterDecision dec = cluster_assign(p->cl, d);
    int64_t story = dec.story_id;
    if (story == 0) {
        if (store_story_new(p->st, &story, err) != 0)
            return -1;
        stats->new_stories++;
    } else if (!dec.duplicate_of) {
        stats->joined++;
    }
    int rc;
    if (dec.duplicate_of) {
        rc = store_article_set_duplicate(p->st, id, dec.duplicate_of, story, err);
        stats->duplicates++;
    } else {
        rc = store_article_set_story(p->st, id, story, dec.score, err);
    }
    if (rc != 0)
        return -1;
    cluster_add(p->cl, story, id, d);
    stats->articles++;
    *story_out = story;
    *dup_out = dec.duplicate_of;
    return 0;
}

typedef struct NewStory {
    Store *st;
    SwErr *err;
    int failed;
    size_t created;
} NewStory;

static int64_t new_story_row(void *ctx)
{
    NewStory *ns = ctx;
    int64_t id;
    if (ns->failed || store_story_new(ns->st, &id, ns->err) != 0) {
        ns->failed = 1;
        return 0; /* (the article stays; the batch is rolled back) */
    }
    ns->created++;
    return id;
}

/* The revision pass after a batch is placed (docs/clustering.md): the
 * articles it moves are stored in their new stories (a near-copy with
 * the article it copies), an article that leaves to be alone gets a new
 * story, and a story left with no article is removed as a merged one
 * would be (it has no page: it was made in this batch), into the story
 * its last article went to. */
static int revise_batch(Pipeline *p, const int64_t *ids, Doc **docs, int64_t *story, const int64_t *dup, size_t n,
                        UpdateStats *stats, SwErr *err)
{
    if (!p->revise || n == 0)
        return 0;
    int64_t *before = xmalloc(n * sizeof *before);
    double *score = xcalloc(n, sizeof *score);
    int64_t *copy_of = xcalloc(n, sizeof *copy_of); /* near-copies the revision found */
    memcpy(before, story, n * sizeof *before);
    NewStory ns = {p->st, err, 0, 0};
    ClusterMove *moves;
    ClusterMerge *emptied;
    size_t n_emptied;
    size_t n_moves = cluster_revise(p->cl, (const Doc *const *)docs, ids, dup, story, n, new_story_row, &ns,
                                    &moves, &emptied, &n_emptied);
    int rc = ns.failed ? -1 : 0;
    for (size_t k = 0; k < n_moves; k++) {
        score[moves[k].index] = moves[k].score;
        copy_of[moves[k].index] = moves[k].duplicate_of;
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (story[i] == before[i])
            continue;
        int64_t of = dup[i] ? dup[i] : copy_of[i];
        if (!dup[i] && copy_of[i])
            stats->duplicates++;
        rc = of ? store_article_set_duplicate(p->st, ids[i], of, story[i], err)
                : store_article_set_story(p->st, ids[i], story[i], score[i], err);
        stats->revised++;
    }
    for (size_t k = 0; k < n_emptied && rc == 0; k++) {
        rc = store_story_merge(p->st, emptied[k].from, emptied[k].into, err);
        stats->emptied++;
    }
    /* (every article started a story, joined one or is a near-copy) */
    stats->new_stories = stats->new_stories + ns.created - n_emptied;
    stats->joined = stats->articles - stats->duplicates - stats->new_stories;
    free(moves);
    free(emptied);
    free(before);
    free(score);
    free(copy_of);
    return rc;
}

/* The merge pass after a batch: stories that grew together become one;
 * the absorbed story's slug redirects to the survivor, whose page is
 * rewritten (docs/clustering.md). */
static int merge_stories(Pipeline *p, UpdateStats *stats, SwErr *err)
{
    ClusterMerge *merges;
    size_t n = cluster_merge_pass(p->cl, &merges);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        rc = store_story_merge(p->st, merges[i].from, merges[i].into, err);
        stats->merged++;
    }
    free(merges);
    return rc;
}

/* A batch is analysed and counted into the document frequencies first,
 * then placed article by article in order: every article of the batch is
 * already stored when update runs, so its words count in the IDF of the
 * decisions (CLUSTER_BATCH; tune does the same). */
static int run_batch(Pipeline *p, const int64_t *ids, size_t n, Progress *prog, size_t done_before,
                     UpdateStats *stats, SwErr *err)
{
    int rc = 0;
    Arena keep = {0};
    Doc **docs = xmalloc((n + 1) * sizeof *docs);
    int64_t *story = xcalloc(n + 1, sizeof *story), *dup = xcalloc(n + 1, sizeof *dup);
    /* progress follows the analysis, which takes most of the time */
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (!(docs[i] = analyse_article(p, &keep, ids[i], err)))
            rc = -1;
        if (prog)
            progress_update(prog, done_before + i + 1);
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        rc = place_article(p, ids[i], docs[i], stats, &story[i], &dup[i], err);
        if (docs[i]->article->published)
            p->last_time = docs[i]->article->published;
    }
    if (rc == 0)
        rc = merge_stories(p, stats, err);
    for (size_t i = 0; i < n && rc == 0; i++) /* (the stories the merges left them in) */
        story[i] = cluster_story_resolve(p->cl, story[i]);
    if (rc == 0)
        rc = revise_batch(p, ids, docs, story, dup, n, stats, err);
    free(docs);
    free(story);
    free(dup);
    arena_free(&keep);
    if (rc == 0)
        rc = flush_df(p, err);
    if (rc == 0)
        rc = save_states(p, err);
    intmap_free(&p->df_delta);
    p->df_docs = 0;
    return rc;
}

/* Writes the pages of every out-of-date story. A story whose page cannot
 * be written is reported and left marked, so one bad story does not hold
 * back the others; a storage error stops the run. */
static int write_stale_pages(Pipeline *p, int show_progress, UpdateStats *stats, SwErr *err)
{
    int64_t *ids;
    size_t n;
    if (store_stale_stories(p->st, &ids, &n, err) != 0)
        return -1;
    char *skip = xcalloc(n + 1, 1);
    for (size_t i = 0; i < n; i++)
        if (name_story(p, ids[i], err) != 0) {
            log_warn("%s; its page is left for the next update", err->msg);
            skip[i] = 1;
            stats->page_errors++;
        }
    Progress prog;
    if (show_progress && n)
        progress_start(&prog, "writing pages", n);
    int rc = 0;
    for (size_t off = 0; off < n && rc == 0; off += PAGE_BATCH) {
        size_t len = n - off < PAGE_BATCH ? n - off : PAGE_BATCH;
        if (store_begin(p->st, err) != 0) {
            rc = -1;
            break;
        }
        for (size_t i = off; i < off + len && rc == 0; i++) {
            if (!skip[i]) {
                /* a page's one write is store_page_put, which the store
                 * undoes by itself when it fails */
                if (write_page(p, ids[i], err) == 0) {
                    stats->pages++;
                } else {
                    log_warn("%s; its page is left for the next update", err->msg);
                    stats->page_errors++;
                }
            }
            if (show_progress)
                progress_update(&prog, i + 1);
        }
        if (store_commit(p->st, err) != 0) {
            store_rollback(p->st);
            rc = -1;
        }
    }
    if (show_progress && n)
        progress_finish(&prog);
    free(skip);
    free(ids);
    return rc;
}

int pipeline_update(Store *st, const ClusterModel *m, int show_progress, UpdateStats *stats, SwErr *err)
{
    return pipeline_run(st, m, show_progress, 1, stats, err);
}

int pipeline_run(Store *st, const ClusterModel *m, int show_progress, int write_pages,
                 UpdateStats *stats, SwErr *err)
{
    memset(stats, 0, sizeof *stats);
    int64_t *ids;
    size_t n;
    if (store_pending_articles(st, &ids, &n, err) != 0)
        return -1;
    if (n == 0 && !write_pages) {
        free(ids);
        return 0;
    }
    if (n == 0) {
        /* nothing to cluster; pages left out of date by an interrupted
         * update are still written below */
        int64_t *stale;
        size_t n_stale;
        if (store_stale_stories(st, &stale, &n_stale, err) != 0) {
            free(ids);
            return -1;
        }
        free(stale);
        if (n_stale == 0) {
            free(ids);
            return 0;
        }
    }
    Pipeline p = {.st = st, .cl = cluster_new(m), .da = doc_analyzer_new(), .revise = m && m->revise_rounds > 0};
    int rc = -1;
    int64_t n_docs = 0;
    if (store_df_load(st, df_loader, p.cl, &n_docs, err) != 0)
        goto out;
    cluster_set_doc_count(p.cl, n_docs);
    /* the active set: stories that were still growing shortly before the
     * oldest pending article */
    if (n > 0) {
        Arena a = {0};
        Article first;
        int64_t since = 0;
        if (store_get_article(st, ids[0], &a, &first, err) != 0) {
            arena_free(&a);
            goto out;
        }
        if (first.published)
            since = first.published - (int64_t)(m->active_days * 86400.0);
        arena_free(&a);
        if (store_story_states(st, since, state_loader, &p, err) != 0)
            goto out;
    }
    /* Without pages to write, stories that went idle (active_days behind
     * the articles now arriving) leave memory after each batch, their
     * states saved, so that memory and cost per article stay bounded on a
     * long stream. Pending articles come in publication order, so none
     * could join them; undated ones come last and are compared with every
     * story in memory, so a run that ends with undated articles keeps
     * them all. Pages need the related stories of every changed story,
     * so update keeps them too. */
    int evict = 0;
    if (!write_pages && n > 0) {
        Arena a = {0};
        Article last;
        if (store_get_article(st, ids[n - 1], &a, &last, err) != 0) {
            arena_free(&a);
            goto out;
        }
        evict = last.published != 0;
        arena_free(&a);
    }
    Progress prog;
    if (show_progress && n)
        progress_start(&prog, "clustering", n);
    for (size_t off = 0; off < n; off += BATCH) {
        size_t len = n - off < BATCH ? n - off : BATCH;
        if (store_begin(st, err) != 0)
            goto out;
        if (run_batch(&p, ids + off, len, show_progress ? &prog : NULL, off, stats, err) != 0 ||
            store_commit(st, err) != 0) {
            store_rollback(st);
            goto out;
        }
        if (evict)
            cluster_evict_idle(p.cl, p.last_time);
    }
    if (show_progress && n)
        progress_finish(&prog);
    rc = write_pages ? write_stale_pages(&p, show_progress, stats, err) : 0;
out:
    free(ids);
    for (size_t i = 0; i < p.n_names; i++) {
        free(p.slugs[i]);
        free(p.headlines[i]);
    }
    free(p.slugs);
    free(p.headlines);
    strmap_free(&p.slug_owner);
    intmap_free(&p.df_delta);
    intmap_free(&p.headline_known);
    doc_analyzer_free(p.da);
    cluster_free(p.cl);
    return rc;
}
