/* writer.c - writes a story page from the analysed member articles,
 * extractively: every sentence on the page is a sentence of a member and
 * cites it.
 *
 * 1. Every usable sentence of the members in the story's main language
 *    (not boilerplate, not a question, 6 to 60 words) gets a TF-IDF
 *    vector and a score: its cosine to the story centroid (what the story
 *    is about), its degree centrality among the candidates (how many
 *    other sentences, preferably from other outlets, say the same thing -
 *    LexRank's idea without the power iteration) and a lead bias (news
 *    puts the essentials first).
 * 2. Concepts: word pairs weighted by how many members contain them.
 * 3. The summary is the best 1-3 sentences chosen with MMR (maximal
 *    marginal relevance), never a dangling one ("He said...") or a quote.
 * 4. The sections take sentences by concept coverage per word plus score
 *    against a word budget (select_budget, also what `eval summary`
 *    scores), are grouped by sub-topic around seed sentences, titled with
 *    a key phrase that is neither a lone name nor a clipped clause, and
 *    read in time order, then source order, in paragraphs of 2 to 4 where
 *    a dangling sentence only follows its antecedent.
 * 5. Quotes, headline, slug, image, sources and counts complete the page.
 *
 * All page memory comes from the caller's arena; scratch vectors too (a
 * page is written rarely and the arena dies with the request). */
#include "writer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "../core/buf.h"
#include "../core/err.h"
#include "../core/map.h"
#include "../core/utf8util.h"
#include "../text/stem.h"
#include "../text/stopwords.h"
#include "../text/tokenize.h"
#include "../text/unicode.h"
#include "background.h"
#include "timeline.h"

/* score weights: centroid cosine, degree centrality, lead position */
#define W_CENTROID 0.45
#define W_DEGREE 0.35
#define W_LEAD 0.20
#define MMR_LAMBDA 0.7
#define EDGE_MIN 0.1     /* LexRank edge threshold */
#define DUP_COSINE 0.6   /* two sentences this similar say the same thing */
#define DUP_CONTAINED 0.5 /* ... or when this share of the shorter one's terms is in the other */
#define SUMMARY_WORDS 70
#define MAX_CANDIDATES 800
#define WORDS_PER_SENTENCE 25 /* a page's word budget per section sentence it may hold */

typedef struct Cand {
    int member;
    const Doc *doc;
    const DocSentence *ds;
    TermVec vec;       /* TF-IDF, unit length */
    double score;
    int chosen;        /* 0, CH_SUMMARY or CH_SECTION */
    int dangling;      /* SENT_DANGLING, or a piece of a longer quote */
    int unbalanced;
    int group;
    int repeats;       /* says what a chosen sentence says (repeats_page) */
    size_t checked;    /* chosen sentences it was compared with */
    uint32_t *concepts; /* indexes into Writer.concept_weight, unique */
    uint32_t n_concepts;
    uint32_t *seq;      /* folded words in order (term_id), made on first need */
    uint8_t *seq_kind;  /* per word: SEQ_NAME, SEQ_CONTENT or 0 */
    uint32_t n_seq;
    int seq_done;
} Cand;

enum { SEQ_NAME = 1, SEQ_CONTENT = 2, SEQ_NUMBER = 3 };

enum { CH_SUMMARY = 1, CH_SECTION = 2 };

typedef struct Writer {
    Arena *a;
    const WriterInput *in;
    Cand *c;
    size_t n;
    float *sim;        /* n x n cosine of candidate vectors */
    int *source_of;    /* member -> index into sources, -1 = not cited */
    PageSource *sources;
    size_t n_sources;
    const char *lang;
    Stemmer *stemmer;
    size_t *chosen_list;    /* candidates on the page, in the order chosen */
    size_t n_chosen;
    double *concept_weight; /* per concept: members that state it (0 = too rare to count) */
    size_t n_concepts;
    uint32_t report_ids[8]; /* term ids of reporting verbs ("said"): no content */
    size_t n_report;
} Writer;

/* ---- vectors ---- */

static double idf_of(const WriterInput *in, uint32_t id)
{
    if (!in->idf)
        return 1.0;
    double v = in->idf(in->idf_ctx, id);
    return v > 0 ? v : 0.0;
}

/* (1 + ln tf) * idf, normalised to unit length. */
static TermVec tfidf_unit(Arena *a, const WriterInput *in, const TermVec *counts)
{
    TermVec v = {ARENA_ARRAY(a, Term, counts->n ? counts->n : 1), 0};
    double norm = 0;
    for (uint32_t i = 0; i < counts->n; i++) {
        double tf = counts->terms[i].weight;
        double w = (tf > 0 ? 1.0 + log(tf) : 0) * idf_of(in, counts->terms[i].id);
        if (w <= 0)
            continue;
        v.terms[v.n++] = (Term){counts->terms[i].id, (float)w};
        norm += w * w;
    }
    norm = sqrt(norm);
    for (uint32_t i = 0; i < v.n; i++)
        v.terms[i].weight = (float)(v.terms[i].weight / norm);
    return v;
}

static int cmp_term(const void *a, const void *b)
{
    const Term *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Sum of the members' unit body vectors: each article weighs the same
 * whatever its length. */
static TermVec story_centroid(Arena *a, const WriterInput *in)
{
    size_t total = 0;
    TermVec *vs = ARENA_ARRAY(a, TermVec, in->n_members);
    for (size_t m = 0; m < in->n_members; m++) {
        vs[m] = tfidf_unit(a, in, &in->members[m].doc->body_terms);
        total += vs[m].n;
    }
    Term *all = ARENA_ARRAY(a, Term, total ? total : 1);
    size_t k = 0;
    for (size_t m = 0; m < in->n_members; m++)
        for (uint32_t i = 0; i < vs[m].n; i++)
            all[k++] = vs[m].terms[i];
    qsort(all, k, sizeof *all, cmp_term);
    size_t u = 0;
    for (size_t i = 0; i < k; i++) {
        if (u > 0 && all[u - 1].id == all[i].id)
            all[u - 1].weight += all[i].weight;
        else
            all[u++] = all[i];
    }
    return (TermVec){all, (uint32_t)u};
}

/* ---- candidates and scores ---- */

/* The story's main language: the one most members are in ("und", not
 * identified, does not count); "en" when none is known. */
static const char *common_lang(const WriterInput *in)
{
    const char *best = NULL;
    int best_n = 0;
    for (size_t m = 0; m < in->n_members; m++) {
        const char *l = in->members[m].doc->lang;
        if (!l || strcmp(l, "und") == 0)
            continue;
        int k = 0;
        for (size_t o = 0; o < in->n_members; o++)
            if (in->members[o].doc->lang && strcmp(in->members[o].doc->lang, l) == 0)
                k++;
        if (k > best_n)
            best_n = k, best = l;
    }
    return best ? best : "en";
}

/* 1 when the article is in the page's language, or its language is not
 * known: a page reads in one language, so sentences, quotes and the
 * headline come from these members only. */
static int in_page_lang(const Writer *w, const Doc *d)
{
    return !d->lang || !w->lang || strcmp(d->lang, w->lang) == 0 || strcmp(d->lang, "und") == 0;
}


/* 1 when the sentence's quotation marks do not pair up: a piece of a
 * quote that runs over several sentences, unreadable on its own. */
static int unbalanced_quotes(const char *s)
{
    int straight = 0, open = 0, close = 0;
    for (; *s; s++) {
        if (*s == '"')
            straight++;
        else if ((unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80) {
            if ((unsigned char)s[2] == 0x9C)
                open++;
            else if ((unsigned char)s[2] == 0x9D)
                close++;
        }
    }
    return (straight & 1) || open != close;
}

/* 1 when a quote is attributed to a bare pronoun ("...," she said): the
 * speaker is named in an earlier sentence, so this one needs it. */
static int pronoun_attribution(const char *s)
{
    static const char *const pronouns[] = {"he ", "she ", "they ", "He ", "She ", "They "};
    for (const char *p = s; *p; p++) {
        const char *after = NULL;
        if (*p == '"' && p > s && strchr(",.!?", p[-1]))
            after = p + 1;
        else if ((unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0x9D)
            after = p + 3;
        if (!after || p == s)
            continue;
        while (*after == ' ')
            after++;
        for (size_t k = 0; k < sizeof pronouns / sizeof *pronouns; k++)
            if (strncmp(after, pronouns[k], strlen(pronouns[k])) == 0)
                return 1;
    }
    return 0;
}

static int usable(const DocSentence *ds)
{
    return !(ds->flags & (SENT_BOILERPLATE | SENT_QUESTION)) && ds->n_words >= 6 &&
           ds->n_words <= 60 && ds->terms.n > 0;
}

/* Fills w->sim with the cosine of every pair of candidates (their vectors
 * are unit length), through an inverted index so that only pairs sharing
 * a term cost anything: n x n merges of sparse vectors were most of a
 * big story's writing time. */
static void candidate_similarities(Writer *w)
{
    size_t n = w->n;
    w->sim = ARENA_ARRAY(w->a, float, n > 0 ? n * n : 1);
    w->chosen_list = ARENA_ARRAY(w->a, size_t, n ? n : 1);
    IntMap term_index = {0}; /* term id -> dense number + 1 */
    size_t n_terms = 0, n_post = 0;
    for (size_t i = 0; i < n; i++)
        for (uint32_t k = 0; k < w->c[i].vec.n; k++) {
            int created;
            int64_t *v = intmap_put(&term_index, w->c[i].vec.terms[k].id, &created);
            if (created)
                *v = (int64_t)++n_terms;
            n_post++;
        }
    size_t *start = ARENA_ARRAY(w->a, size_t, n_terms + 1);
    for (size_t i = 0; i < n; i++)
        for (uint32_t k = 0; k < w->c[i].vec.n; k++)
            start[*intmap_get(&term_index, w->c[i].vec.terms[k].id)]++;
    for (size_t t = 1; t <= n_terms; t++)
        start[t] += start[t - 1];
    /* start[t] is now the end of term t-1's list (0-based t-1): fill
     * backwards so each list is in candidate order */
    uint32_t *post_cand = ARENA_ARRAY(w->a, uint32_t, n_post ? n_post : 1);
    float *post_w = ARENA_ARRAY(w->a, float, n_post ? n_post : 1);
    for (size_t i = n; i-- > 0;)
        for (uint32_t k = 0; k < w->c[i].vec.n; k++) {
            size_t t = (size_t)*intmap_get(&term_index, w->c[i].vec.terms[k].id);
            size_t at = --start[t];
            post_cand[at] = (uint32_t)i;
            post_w[at] = w->c[i].vec.terms[k].weight;
        }
    /* now term t (1-based) holds post[start[t] .. start[t+1]) */
    for (size_t t = 1; t <= n_terms; t++) {
        size_t b = start[t], e = t < n_terms ? start[t + 1] : n_post;
        for (size_t x = b; x < e; x++) {
            float *row = w->sim + (size_t)post_cand[x] * n;
            float wx = post_w[x];
            for (size_t y = x + 1; y < e; y++)
                row[post_cand[y]] += wx * post_w[y];
        }
    }
    for (size_t i = 0; i < n; i++) {
        w->sim[i * n + i] = 1.0f;
        for (size_t j = i + 1; j < n; j++)
            w->sim[j * n + i] = w->sim[i * n + j];
    }
    intmap_free(&term_index);
}

static void collect_candidates(Writer *w, const TermVec *centroid)
{
    const WriterInput *in = w->in;
    size_t cap = 0;
    for (size_t m = 0; m < in->n_members; m++)
        cap += in->members[m].doc->n_sentences;
    if (cap > MAX_CANDIDATES)
        cap = MAX_CANDIDATES;
    w->c = ARENA_ARRAY(w->a, Cand, cap ? cap : 1);
    /* with many members, read each article's first sentences first so the
     * cap does not starve the later members */
    size_t per_doc = in->n_members ? MAX_CANDIDATES / in->n_members : MAX_CANDIDATES;
    if (per_doc < 8)
        per_doc = 8;
    for (size_t m = 0; m < in->n_members && w->n < cap; m++) {
        const Doc *d = in->members[m].doc;
        size_t taken = 0;
        if (!in_page_lang(w, d))
            continue;
        for (size_t s = 0; s < d->n_sentences && w->n < cap && taken < per_doc; s++) {
            if (!usable(&d->sentences[s]))
                continue;
            Cand *c = &w->c[w->n++];
            c->member = (int)m;
            c->doc = d;
            c->ds = &d->sentences[s];
            c->vec = tfidf_unit(w->a, in, &d->sentences[s].terms);
            c->unbalanced = unbalanced_quotes(c->ds->text);
            c->dangling = (c->ds->flags & SENT_DANGLING) || c->unbalanced || pronoun_attribution(c->ds->text);
            c->group = -1;
            taken++;
        }
    }

    size_t n = w->n;
    double cnorm = termvec_norm(centroid);
    candidate_similarities(w);
    double *degree = ARENA_ARRAY(w->a, double, n ? n : 1);
    double *central = ARENA_ARRAY(w->a, double, n ? n : 1);
    double max_deg = 0, max_central = 0;
    for (size_t i = 0; i < n; i++) {
        central[i] = cnorm > 0 ? termvec_dot(&w->c[i].vec, centroid) / cnorm : 0;
        if (central[i] > max_central)
            max_central = central[i];
        for (size_t j = i + 1; j < n; j++) {
            if (w->sim[i * n + j] > EDGE_MIN) {
                /* agreement across outlets is worth more than an article
                 * repeating itself */
                double e = w->c[i].member != w->c[j].member ? 1.0 : 0.5;
                degree[i] += e;
                degree[j] += e;
            }
        }
    }
    for (size_t i = 0; i < n; i++)
        if (degree[i] > max_deg)
            max_deg = degree[i];
    for (size_t i = 0; i < n; i++) {
        Cand *c = &w->c[i];
        double cen = max_central > 0 ? central[i] / max_central : 0;
        double deg = max_deg > 0 ? degree[i] / max_deg : 0;
        double lead = 1.0 / sqrt(1.0 + c->ds->index);
        double s = W_CENTROID * cen + W_DEGREE * deg + W_LEAD * lead;
        if (c->ds->n_words < 10)
            s *= 0.85; /* fragments carry little */
        if (c->ds->flags & SENT_QUOTE)
            s *= 0.9; /* quotes get their own place on the page */
        if (c->unbalanced)
            s *= 0.5;
        c->score = s;
    }
}

/* Share of the shorter vector's terms that the other has too: a short
 * sentence restating part of a long one has a low cosine with it but is
 * largely contained in it. 0 when the shorter has under 8 terms, where a
 * few shared names would decide it. */
static double containment(const TermVec *a, const TermVec *b)
{
    uint32_t small = a->n < b->n ? a->n : b->n;
    if (small < 8)
        return 0;
    uint32_t i = 0, j = 0, common = 0;
    while (i < a->n && j < b->n) {
        if (a->terms[i].id < b->terms[j].id)
            i++;
        else if (a->terms[i].id > b->terms[j].id)
            j++;
        else
            common++, i++, j++;
    }
    return (double)common / small;
}

static int is_report_term(const Writer *w, uint32_t id)
{
    for (size_t k = 0; k < w->n_report; k++)
        if (w->report_ids[k] == id)
            return 1;
    return 0;
}

/* Term ids of the reporting verbs, which say nothing about the event. */
static void init_report_terms(Writer *w)
{
    static const char *const verbs[] = {"said", "say", "says", "told", "tells", "added", "according",
                                        "stated"};
    for (size_t k = 0; k < sizeof verbs / sizeof *verbs && k < 8; k++) {
        size_t sl;
        const char *st = w->stemmer ? stemmer_stem(w->stemmer, verbs[k], strlen(verbs[k]), &sl) : NULL;
        if (!st || !sl)
            st = verbs[k], sl = strlen(verbs[k]);
        w->report_ids[w->n_report++] = term_id(st, sl);
    }
}

/* A short sentence whose facts are all in a longer one: at least 3 of its
 * 4 to 7 content terms (reporting verbs left out) are in the other, and
 * they are most of it ("Police said the arrested man had been released on
 * bail" inside "... a man arrested this week remained on bail"). Longer
 * sentences are left to containment(). */
static int short_contained(const Writer *w, const TermVec *a, const TermVec *b)
{
    const TermVec *small = a->n <= b->n ? a : b, *big = small == a ? b : a;
    uint32_t own = 0, common = 0, j = 0;
    for (uint32_t i = 0; i < small->n; i++) {
        uint32_t id = small->terms[i].id;
        if (is_report_term(w, id))
            continue;
        own++;
        while (j < big->n && big->terms[j].id < id)
            j++;
        if (j < big->n && big->terms[j].id == id)
            common++;
    }
    return own >= 4 && own < 8 && common >= 3 && 10 * common >= 6 * own;
}

/* Words of candidate i in order, each marked a name (capitalised, not the
 * sentence's first word) or a content word (lower case, not a stop word
 * nor a reporting verb); built once. */
static void make_seq(Writer *w, size_t i)
{
    Cand *c = &w->c[i];
    if (c->seq_done)
        return;
    c->seq_done = 1;
    Arena tmp = {0};
    Token *toks;
    const char *text = c->ds->text;
    size_t nt = tokenize(&tmp, text, strlen(text), &toks);
    c->seq = ARENA_ARRAY(w->a, uint32_t, nt ? nt : 1);
    c->seq_kind = ARENA_ARRAY(w->a, uint8_t, nt ? nt : 1);
    Buf f = {0};
    for (size_t k = 0; k < nt; k++) {
        if (toks[k].kind == TOK_PUNCT)
            continue;
        buf_reset(&f);
        text_fold(&f, text + toks[k].start, toks[k].len);
        uint32_t id = term_id(f.data ? f.data : "", f.len);
        uint8_t kind = 0;
        if (toks[k].kind == TOK_NUMBER)
            kind = f.len >= 2 ? SEQ_NUMBER : 0;
        else if ((toks[k].upper || toks[k].all_caps) && c->n_seq > 0)
            kind = SEQ_NAME;
        else if (!(toks[k].upper || toks[k].all_caps) && f.len >= 3 &&
                 !stopword_is(w->lang, buf_cstr(&f), f.len) && !is_report_term(w, id))
            kind = SEQ_CONTENT;
        c->seq_kind[c->n_seq] = kind;
        c->seq[c->n_seq++] = id;
    }
    buf_free(&f);
    arena_free(&tmp);
}

/* 1 when i and j share a run of 5 or more words that holds a name and a
 * content word: the same person or place introduced the same way twice
 * ("The gallery's director, Dr. Edmund Marr, ..."), which reads as a
 * repeat even when the rest of the sentences differ. */
static int shared_introduction(Writer *w, size_t i, size_t j)
{
    make_seq(w, i);
    make_seq(w, j);
    const Cand *a = &w->c[i], *b = &w->c[j];
    if (a->n_seq < 5 || b->n_seq < 5 || a->n_seq > 120 || b->n_seq > 120)
        return 0;
    for (uint32_t x = 0; x + 5 <= a->n_seq; x++)
        for (uint32_t y = 0; y + 5 <= b->n_seq; y++) {
            if (a->seq[x] != b->seq[y])
                continue;
            uint32_t len = 0, names = 0, content = 0;
            while (x + len < a->n_seq && y + len < b->n_seq && a->seq[x + len] == b->seq[y + len]) {
                names += a->seq_kind[x + len] == SEQ_NAME || b->seq_kind[y + len] == SEQ_NAME;
                content += a->seq_kind[x + len] == SEQ_CONTENT && b->seq_kind[y + len] == SEQ_CONTENT;
                len++;
            }
            if (len >= 5 && names > 0 && content > 0)
                return 1;
        }
    return 0;
}

/* Share of the smaller sentence's content terms (reporting verbs left
 * out) that the other has; *common gets their number. */
static double content_share(const Writer *w, const TermVec *a, const TermVec *b, uint32_t *common)
{
    const TermVec *small = a->n <= b->n ? a : b, *big = small == a ? b : a;
    uint32_t own = 0, j = 0;
    *common = 0;
    for (uint32_t i = 0; i < small->n; i++) {
        uint32_t id = small->terms[i].id;
        if (is_report_term(w, id))
            continue;
        own++;
        while (j < big->n && big->terms[j].id < id)
            j++;
        if (j < big->n && big->terms[j].id == id)
            (*common)++;
    }
    return own ? (double)*common / own : 0;
}

/* 1 when i and j state the same number or year ("1998", "$3.8") and a
 * third of the shorter one's other content too: a number pins a fact, so
 * two sentences about the same dated or counted event in different words
 * ("cut from its frame during a break-in ... in 1998", "Thieves broke in
 * ... in 1998 and cut the canvas from its frame") tell it twice. */
static int same_numbered_fact(Writer *w, size_t i, size_t j)
{
    make_seq(w, i);
    make_seq(w, j);
    const Cand *a = &w->c[i], *b = &w->c[j];
    int shared = 0;
    for (uint32_t x = 0; x < a->n_seq && !shared; x++)
        if (a->seq_kind[x] == SEQ_NUMBER)
            for (uint32_t y = 0; y < b->n_seq; y++)
                if (b->seq_kind[y] == SEQ_NUMBER && a->seq[x] == b->seq[y]) {
                    shared = 1;
                    break;
                }
    if (!shared)
        return 0;
    uint32_t common;
    double share = content_share(w, &a->ds->terms, &b->ds->terms, &common);
    return common >= 3 && 3 * share >= 1.0;
}

/* 1 when candidates i and j say the same thing (symmetric). */
static int says_same(Writer *w, size_t i, size_t j)
{
    return w->sim[i * w->n + j] > DUP_COSINE ||
           termvec_cosine(&w->c[i].ds->terms, &w->c[j].ds->terms) > DUP_COSINE ||
           containment(&w->c[i].ds->terms, &w->c[j].ds->terms) >= DUP_CONTAINED ||
           strcmp(w->c[i].ds->text, w->c[j].ds->text) == 0 ||
           short_contained(w, &w->c[i].ds->terms, &w->c[j].ds->terms) ||
           shared_introduction(w, i, j) || same_numbered_fact(w, i, j);
}

/* Puts candidate i on the page (mark: CH_SUMMARY or CH_SECTION). */
static void choose(Writer *w, size_t i, int mark)
{
    w->c[i].chosen = mark;
    w->chosen_list[w->n_chosen++] = i;
}

/* 1 when candidate i repeats a sentence already on the page. Lazy and
 * incremental: each candidate remembers how many chosen sentences it was
 * compared with, so that only those chosen since are compared now (most
 * candidates are never asked: they lose on value first). */
static int repeats_page(Writer *w, size_t i)
{
    Cand *c = &w->c[i];
    for (; !c->repeats && c->checked < w->n_chosen; c->checked++) {
        size_t j = w->chosen_list[c->checked];
        if (j != i && says_same(w, i, j))
            c->repeats = 1;
    }
    return c->repeats;
}

static double max_sim_chosen(const Writer *w, size_t i)
{
    double best = 0;
    for (size_t j = 0; j < w->n; j++)
        if (w->c[j].chosen && w->sim[i * w->n + j] > best)
            best = w->sim[i * w->n + j];
    return best;
}

/* 1 when the sentence right before this one in its article is on the
 * page, so a dangling opener ("He added...") has its antecedent. */
static int predecessor_chosen(const Writer *w, size_t i)
{
    const Cand *c = &w->c[i];
    for (size_t j = 0; j < w->n; j++)
        if (w->c[j].chosen && w->c[j].doc == c->doc && w->c[j].ds->index + 1 == c->ds->index)
            return 1;
    return 0;
}

/* The next summary sentence by MMR: never a dangling one, a quote only
 * when allowed; -1 when none is left. */
static long mmr_pick(Writer *w, double max_score, int allow_quotes)
{
    long best = -1;
    double best_v = -1e9;
    for (size_t i = 0; i < w->n; i++) {
        const Cand *c = &w->c[i];
        if (c->chosen || c->dangling || ((c->ds->flags & SENT_QUOTE) && !allow_quotes))
            continue;
        double rel = max_score > 0 ? c->score / max_score : 0;
        double v = MMR_LAMBDA * rel - (1 - MMR_LAMBDA) * max_sim_chosen(w, i);
        if (v > best_v && !repeats_page(w, i)) {
            best_v = v;
            best = (long)i;
        }
    }
    return best;
}

/* ---- concepts: what the story's articles agree on ----
 *
 * A concept is a pair of adjacent words (stemmed, not both stop words): a
 * bigram such as "halden harbour" or "power cut". Its weight is the number
 * of member articles that contain it: a detail several outlets report is
 * what the story is about (Gillick and Favre's concept model, 2009, used
 * in a greedy form). Concepts only one article has weigh nothing, unless
 * the story has a single article, where those its sentences repeat count.
 * Summaries that cover the heaviest concepts in the fewest words say the
 * most the story agrees on. */

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* The sorted unique bigram hashes of a sentence into ids (arena); their
 * count. Words are folded and stemmed; punctuation does not break a pair
 * (ROUGE ignores it too). */
static uint32_t sentence_bigrams(Writer *w, Arena *tmp, const char *text, uint32_t **ids)
{
    Token *toks;
    size_t nt = tokenize(tmp, text, strlen(text), &toks);
    *ids = ARENA_ARRAY(w->a, uint32_t, nt ? nt : 1);
    uint32_t n = 0;
    Buf f = {0}, pair = {0};
    char prev[64];
    size_t prev_len = 0;
    int prev_stop = 1, have_prev = 0;
    for (size_t i = 0; i < nt; i++) {
        if (toks[i].kind == TOK_PUNCT)
            continue;
        buf_reset(&f);
        text_fold(&f, text + toks[i].start, toks[i].len);
        if (f.len == 0 || f.len >= sizeof prev)
            continue;
        int stop = toks[i].kind == TOK_WORD && stopword_is(w->lang, f.data, f.len);
        const char *stem = f.data;
        size_t sl = f.len;
        if (!stop && toks[i].kind == TOK_WORD) {
            const char *st = stemmer_stem(w->stemmer, f.data, f.len, &sl);
            if (st && sl && sl < sizeof prev)
                stem = st;
            else
                sl = f.len;
        }
        if (have_prev && !(stop && prev_stop)) {
            buf_reset(&pair);
            buf_append(&pair, prev, prev_len);
            buf_putc(&pair, ' ');
            buf_append(&pair, stem, sl);
            (*ids)[n++] = term_id(pair.data, pair.len);
        }
        memcpy(prev, stem, sl);
        prev_len = sl;
        prev_stop = stop;
        have_prev = 1;
    }
    buf_free(&f);
    buf_free(&pair);
    qsort(*ids, n, sizeof **ids, cmp_u32);
    uint32_t u = 0;
    for (uint32_t i = 0; i < n; i++)
        if (u == 0 || (*ids)[u - 1] != (*ids)[i])
            (*ids)[u++] = (*ids)[i];
    return u;
}

static void build_concepts(Writer *w)
{
    Arena tmp = {0};
    IntMap index = {0}; /* bigram hash -> concept number + 1 */
    size_t cap = 256;
    double *weight = xmalloc(cap * sizeof *weight);
    int *last_member = xmalloc(cap * sizeof *last_member);
    size_t n = 0;
    int single = w->in->n_members == 1;
    for (size_t i = 0; i < w->n; i++) {
        Cand *c = &w->c[i];
        uint32_t *ids;
        uint32_t k = sentence_bigrams(w, &tmp, c->ds->text, &ids);
        for (uint32_t j = 0; j < k; j++) {
            int created;
            int64_t *v = intmap_put(&index, ids[j], &created);
            if (created) {
                if (n == cap) {
                    cap *= 2;
                    weight = xrealloc(weight, cap * sizeof *weight);
                    last_member = xrealloc(last_member, cap * sizeof *last_member);
                }
                weight[n] = 0;
                last_member[n] = -1;
                *v = (int64_t)++n;
            }
            size_t ci = (size_t)*v - 1;
            /* one vote per article; in a one-article story, per sentence */
            if (single || last_member[ci] != c->member)
                weight[ci] += 1;
            last_member[ci] = c->member;
            ids[j] = (uint32_t)ci;
        }
        c->concepts = ids;
        c->n_concepts = k;
    }
    for (size_t ci = 0; ci < n; ci++)
        if (weight[ci] < 2)
            weight[ci] = 0;
    w->concept_weight = ARENA_ARRAY(w->a, double, n ? n : 1);
    memcpy(w->concept_weight, weight, n * sizeof *weight);
    w->n_concepts = n;
    free(weight);
    free(last_member);
    intmap_free(&index);
    arena_free(&tmp);
}

/* Weight of the concepts of candidate i not yet covered. */
static double concept_gain(const Writer *w, size_t i, const unsigned char *covered)
{
    double g = 0;
    const Cand *c = &w->c[i];
    for (uint32_t k = 0; k < c->n_concepts; k++)
        if (!covered[c->concepts[k]])
            g += w->concept_weight[c->concepts[k]];
    return g;
}

/* Chooses sentences until `budget` words: each step takes the sentence
 * with the best value, the weight of the concepts it adds per word
 * (relative to the best sentence's at the start) plus its score relative
 * to the best score (centrality and position); a knapsack-style greedy
 * for a word budget (Lin and Bilmes 2010, with r = 1). Never a sentence
 * repeating one chosen, never a dangling one ("He said...") unless the
 * sentence before it in its article is chosen, and the first is not a
 * quote when anything else is left. Words of sentences already chosen
 * count against the budget. At most max_sentences are taken, none
 * scoring under min_rel of the best (off the story's topic). Marks the
 * chosen with `mark` and returns how many, in *order (arena). Only when
 * nothing at all is chosen yet and every sentence dangles is the best
 * dangling one taken, so that a summary never comes out empty. */
static size_t select_budget(Writer *w, size_t budget, size_t max_sentences, double min_rel, int mark,
                            double max_score, size_t **order)
{
    *order = ARENA_ARRAY(w->a, size_t, w->n ? w->n : 1);
    if (w->n == 0)
        return 0;
    unsigned char *covered = ARENA_ARRAY(w->a, unsigned char, w->n_concepts ? w->n_concepts : 1);
    size_t words = 0, k = 0;
    int any_chosen = 0;
    for (size_t i = 0; i < w->n; i++)
        if (w->c[i].chosen) {
            any_chosen = 1;
            words += w->c[i].ds->n_words;
            for (uint32_t j = 0; j < w->c[i].n_concepts; j++)
                covered[w->c[i].concepts[j]] = 1;
        }
    double best_density = 0;
    for (size_t i = 0; i < w->n; i++) {
        double d = concept_gain(w, i, covered) / w->c[i].ds->n_words;
        if (d > best_density)
            best_density = d;
    }
    while (words < budget && k < max_sentences) {
        long best = -1;
        double best_v = -1;
        /* pass 0: the rules; pass 1: a first sentence may quote; pass 2:
         * may dangle, when nothing is on the page yet */
        for (int pass = 0; pass < 3 && best < 0; pass++) {
            if (pass == 2 && (any_chosen || k > 0))
                break;
            for (size_t i = 0; i < w->n; i++) {
                const Cand *c = &w->c[i];
                if (c->chosen)
                    continue;
                if (pass < 2 && c->dangling && !predecessor_chosen(w, i))
                    continue;
                if (pass == 0 && k == 0 && !any_chosen && (c->ds->flags & SENT_QUOTE))
                    continue;
                double rel = max_score > 0 ? c->score / max_score : 0;
                if (rel < min_rel)
                    continue;
                double cg = best_density > 0 ? concept_gain(w, i, covered) / c->ds->n_words / best_density : 0;
                double v = cg + rel;
                if (v > best_v && !repeats_page(w, i)) {
                    best_v = v;
                    best = (long)i;
                }
            }
        }
        if (best < 0)
            break;
        Cand *c = &w->c[best];
        choose(w, (size_t)best, mark);
        for (uint32_t j = 0; j < c->n_concepts; j++)
            covered[c->concepts[j]] = 1;
        (*order)[k++] = (size_t)best;
        words += c->ds->n_words;
    }
    return k;
}

/* ---- sources ---- */

static int cite(Writer *w, int member)
{
    if (member < 0)
        return -1;
    if (w->source_of[member] >= 0)
        return w->source_of[member];
    const WriterMember *m = &w->in->members[member];
    const Article *art = m->doc->article;
    PageSource *ps = &w->sources[w->n_sources];
    ps->article_id = art ? art->id : 0;
    const char *outlet = m->outlet ? m->outlet : art ? art->source : NULL;
    ps->outlet = arena_strdup(w->a, outlet ? outlet : "");
    ps->title = arena_strdup(w->a, m->doc->title ? m->doc->title : art ? art->title : "");
    ps->url = art ? arena_strdup(w->a, art->url) : NULL;
    ps->published = art ? art->published : 0;
    ps->also = ARENA_ARRAY(w->a, const char *, m->n_also ? m->n_also : 1);
    for (size_t k = 0; k < m->n_also; k++)
        ps->also[k] = arena_strdup(w->a, m->also[k]);
    ps->n_also = m->n_also;
    w->source_of[member] = (int)w->n_sources;
    return (int)w->n_sources++;
}

static PageSentence page_sentence(Writer *w, const Cand *c)
{
    return (PageSentence){arena_strdup(w->a, c->ds->text), cite(w, c->member)};
}

/* ---- headline ---- */

static int count_words(const char *s)
{
    int w = 0, in = 0;
    for (; *s; s++) {
        if (*s == ' ')
            in = 0;
        else if (!in)
            in = 1, w++;
    }
    return w;
}

static int all_caps_text(const char *s)
{
    int upper = 0, lower = 0;
    for (; *s; s++) {
        if (*s >= 'A' && *s <= 'Z')
            upper++;
        else if (*s >= 'a' && *s <= 'z')
            lower++;
    }
    return upper > 8 && lower == 0;
}

static int has_clickbait(const char *title)
{
    static const char *const markers[] = {
        "you won't believe", "you wont believe", "here's why", "here is why", "this is why",
        "what we know", "live:", "live updates", "as it happened", "watch:", "video:",
        "opinion:", "quiz:", "photos:", "in pictures", "things you", "everything you need",
        "what you need to know", "shocking", "the reason why", NULL};
    Buf f = {0};
    text_fold(&f, title, strlen(title));
    int hit = 0;
    for (int i = 0; markers[i] && !hit; i++)
        hit = strstr(buf_cstr(&f), markers[i]) != NULL;
    buf_free(&f);
    return hit;
}

/* 1 when some member in the page's language has a title. */
static int best_lang_titles(const Writer *w)
{
    for (size_t m = 0; m < w->in->n_members; m++) {
        const Doc *d = w->in->members[m].doc;
        if (d->title && d->title[0] && in_page_lang(w, d))
            return 1;
    }
    return 0;
}

static int choose_headline(Writer *w, const TermVec *centroid)
{
    const WriterInput *in = w->in;
    double cnorm = termvec_norm(centroid);
    int best = -1;
    double best_s = -1;
    for (size_t m = 0; m < in->n_members; m++) {
        const Doc *d = in->members[m].doc;
        if (!d->title || !d->title[0] || (!in_page_lang(w, d) && best_lang_titles(w)))
            continue;
        TermVec tv = tfidf_unit(w->a, in, &d->title_terms);
        double s = cnorm > 0 ? termvec_dot(&tv, centroid) / cnorm : 0;
        s += 0.01; /* titles without known terms still beat no title */
        size_t len = strlen(d->title);
        int words = count_words(d->title);
        if (len > 0 && d->title[len - 1] == '?')
            s *= 0.3;
        if (strchr(d->title, '!'))
            s *= 0.5;
        if (words < 5)
            s *= 0.6;
        if (words > 16)
            s *= 0.7;
        if (all_caps_text(d->title))
            s *= 0.3;
        if (has_clickbait(d->title))
            s *= 0.4;
        if (s > best_s) {
            best_s = s;
            best = (int)m;
        }
    }
    return best;
}

/* ---- heading case ---- */

static int in_list(const char *s, size_t n, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strlen(list[i]) == n && strncasecmp(list[i], s, n) == 0)
            return 1;
    return 0;
}

/* Capitalises the first letter; the rest stays as written, so names keep
 * their capitals and common words stay lower case. */
static char *sentence_case(Arena *a, const char *s)
{
    char *out;
    uint32_t cp;
    size_t n = strlen(s);
    size_t l = n ? utf8_decode(s, n, &cp) : 0;
    if (!l)
        return arena_strdup(a, s);
    char enc[4];
    size_t el = utf8_encode((uint32_t)utf8proc_toupper((utf8proc_int32_t)cp), enc);
    out = arena_printf(a, "%.*s%s", (int)el, enc, s + l);
    return out;
}

/* ---- section headings ---- */

/* Common irregular English verb forms: a phrase that starts or ends with
 * one ("Won the Contract", "Found Guilty") is a clipped clause. */
static const char *const irregular_verbs[] = {
    "began", "begun", "beaten", "became", "become", "broke", "broken", "brought", "built",
    "came", "chose", "chosen", "come", "drove", "driven", "fell", "fallen", "found", "gave",
    "given", "give", "gone", "went", "grew", "grown", "heard", "held", "hit", "kept", "knew",
    "known", "led", "left", "lost", "met", "paid", "put", "ran", "rose", "risen", "saw", "seen",
    "sent", "shown", "spent", "spoke", "spoken", "stood", "struck", "taken", "threw", "thrown",
    "won", "wrote", "written", "sold", "bought", "caught", "felt", "meant", "read", "stole",
    "stolen", "flew", "flown", "shook", "shaken", "told", "said", "made", "took", "did", "done",
    "fought", "hid", "hidden", "drew", "drawn", "sank", "sunk", "swam", "rang", "sang", "woke",
    "wore", "worn", "tore", "torn", "forgot", "forgotten", "froze", "frozen", "spun", "stuck",
    "swept", "wept", "fled", "bled", "sat", "slept", "dealt", "dug", "hung", "lent", "rode",
    "ridden", "sought", "taught", "thought", "understood", "withdrew", "withdrawn", "arose",
    "overtook", "got", "gotten", "let", "says", "tells", "vowed", NULL};


/* Words too general to title anything. */
static const char *const generic_words[] = {
    "said", "says", "say", "told", "added", "according", "also", "would", "could", "will",
    "may", "might", "year", "years", "week", "weeks", "day", "days", "time", "times",
    "people", "percent", "per", "cent", "mr", "mrs", "ms", "including", "last", "first",
    "new", "one", "two", "three", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "yesterday", "today", "tomorrow", "officials", "official", "many",
    "several", "since", "after", "amid", "over", "more", "less", "least", "much", "well",
    "just", "like", "made", "make", "making", "take", "taken", "took", "get", "got", "going",
    "according", "around", "told", "reporters", "journalists", "statement", "asked", "set",
    "still", "even", "however", "although", "though", "next", "earlier", "later", "early",
    "late", "number", "part", "way", "lot", "thing", "things", "despite", "although",
    "while", "during", "following", "among", "toward", "towards", "upon", "unlike",
    "whether", "within", "without", "across", "behind", "beyond", "instead", "regarding",
    "telling", "saying", "added", "noted", "january", "february", "march", "april", "june",
    "july", "august", "september", "october", "november", "december", "million", "billion",
    "trillion", "thousand", "hundred", "dozen", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "near", "inside", "outside", "ahead", "along", "away",
    "back", "down", "off", "out", "up", "alongside", "onto", "into", "best", "worst", "biggest", "largest",
    "latest", "top", "tonight", "christmas", "easter", NULL};

/* Small words a key phrase may hold inside ("Bank of England", "strike
 * at the port"). Not "and" (the heading joins phrases itself) nor "to"
 * ("Okoro to congratulate" is a clause). */
static const char *const phrase_inner[] = {"of", "in", "at", "for", "on", "the",
                                           "de", "von", "van", "der", NULL};

/* Titles and roles: a phrase opening or ending with one is a person's
 * label or a clipped title ("General Secretary", "Head of Conservation"),
 * not a sub-topic. */
static const char *const role_words[] = {
    "minister", "secretary", "president", "chief", "executive", "director", "head", "spokesman",
    "spokeswoman", "spokesperson", "chairman", "chairwoman", "chair", "professor", "inspector",
    "councillor", "councilor", "mayor", "governor", "officer", "manager", "leader", "historian",
    "lawyer", "analyst", "economist", "correspondent", "editor", "reporter", "captain", "coach",
    "judge", "senator", "general", "commissioner", "superintendent", "detective", "sergeant",
    "dr", "mr", "mrs", "ms", "sir", "lord", "lady", "king", "queen", "prince", "princess",
    "premier", "chancellor", "ambassador", "envoy", "prosecutor", "attorney", "investigator",
    "founder", "owner", "member", "deputy", "vice", "former", "acting", "curator", "artist",
    "painter", "writer", "author", "poet", "actor", "actress", "singer", "musician", "conservator",
    "expert", "scientist", "researcher", "doctor", "teacher", "student", "resident", "witness",
    "victim", "spokesperson", "campaigner", "activist", "architect", "engineer", NULL};

typedef struct Phrase {
    const char *surface;  /* as first written */
    const char *key;      /* folded */
    int words;
    int capitalised;      /* every content word capitalised: a name */
    int person;           /* a speaker's name or surname: a label, not a topic */
    int subsumed;         /* part of a longer name seen about as often */
    int verb_start;       /* opens with an -ing/-ed word: a clipped clause */
    int clause;           /* holds a lower-case verb form, opens with an -ly
                             adverb, or has a role word at an end: never a heading */
    int outlet;           /* the name of one of the story's outlets */
    int clipped;          /* occurrences cut out of a longer capitalised name */
    int caps_seen, lower_seen; /* occurrences known to be a name / a common phrase
                                  (a capital at a sentence's start tells nothing) */
    int mixed;            /* capitals on some words only ("developer Harlow Group") */
    int det;              /* some occurrence follows a determiner ("the ...") */
    int head_seen;        /* some occurrence ends a noun phrase: no lower-case
                             content word right after ("the oil" of "the oil
                             painting" never does) */
    double idf;
    int *count;           /* per group */
    int page_count;
    const char *first_word, *last_word; /* folded content words */
} Phrase;

typedef struct PhraseSet {
    Phrase *p;
    size_t n, cap;
    StrMap index;
    StrMap after_det; /* folded words seen right after a determiner or a number: nouns */
    int groups;
} PhraseSet;

/* Verbs that follow a speaker's name. */
static const char *const speech_verbs[] = {"said", "says", "told", "tells", "added", "adds",
                                           "warned", "argued", "explained", "wrote", "insisted",
                                           "confirmed", "denied", "stated", "asked", NULL};

/* Words after which a noun phrase begins. */
static const char *const determiners[] = {"the", "a", "an", "its", "their", "his", "her", "this",
                                          "that", "these", "those", "our", "some", "any", "no",
                                          "every", "each", "new", NULL};

typedef struct WordTok {
    const char *fold;
    size_t fold_len;
    uint32_t start, len;
    int content; /* not a stop word, not generic, a word of 2+ letters */
    int inner;   /* a small word allowed inside a phrase */
    int upper;
    int all_caps;
    int initial;      /* first word of the sentence: its capital says nothing */
    int punct_before;
} WordTok;

static double word_idf(Writer *w, const char *fold, size_t n)
{
    if (!w->in->idf)
        return 1.0;
    size_t sl;
    const char *stem = stemmer_stem(w->stemmer, fold, n, &sl);
    if (!stem || !sl)
        stem = fold, sl = n;
    return idf_of(w->in, term_id(stem, sl));
}

static void add_phrases_of(Writer *w, PhraseSet *ps, const char *text, int group)
{
    Arena tmp = {0};
    Token *toks;
    size_t nt = tokenize(&tmp, text, strlen(text), &toks);
    WordTok *wt = ARENA_ARRAY(&tmp, WordTok, nt ? nt : 1);
    size_t nw = 0;
    int punct = 1;
    Buf f = {0};
    for (size_t i = 0; i < nt; i++) {
        if (toks[i].kind == TOK_PUNCT) {
            /* a hyphen joins nothing here; any punctuation breaks a phrase */
            punct = 1;
            continue;
        }
        buf_reset(&f);
        text_fold(&f, text + toks[i].start, toks[i].len);
        WordTok *t = &wt[nw++];
        t->fold = arena_strndup(&tmp, buf_cstr(&f), f.len);
        t->fold_len = f.len;
        t->start = toks[i].start;
        t->len = toks[i].len;
        t->upper = toks[i].upper || toks[i].all_caps;
        t->all_caps = toks[i].all_caps;
        t->initial = nw == 1;
        t->punct_before = punct;
        punct = 0;
        int stop = stopword_is(w->lang, t->fold, t->fold_len);
        int possessive = t->fold_len > 2 && (strstr(t->fold, "'s") || strstr(t->fold, "\xE2\x80\x99s"));
        /* "p.m.", "U.S.": abbreviations title nothing */
        t->content = toks[i].kind == TOK_WORD && !stop && t->fold_len >= 3 && !possessive &&
                     !memchr(t->fold, '.', t->fold_len) &&
                     !in_list(t->fold, t->fold_len, generic_words);
        t->inner = in_list(t->fold, t->fold_len, phrase_inner);
    }
    buf_free(&f);

    for (size_t i = 1; i < nw; i++)
        if (!wt[i].punct_before && (in_list(wt[i - 1].fold, wt[i - 1].fold_len, determiners) ||
                                    (wt[i - 1].fold[0] >= '0' && wt[i - 1].fold[0] <= '9')))
            strmap_put(&ps->after_det, wt[i].fold, wt[i].fold_len, NULL);
    for (size_t i = 0; i < nw; i++) {
        if (!wt[i].content)
            continue;
        for (size_t len = 1; len <= 4 && i + len <= nw; len++) {
            size_t e = i + len - 1;
            if (len > 1 && wt[e].punct_before)
                break;
            if (!wt[e].content) {
                /* "the" only after another small word ("head of the") */
                if (wt[e].inner && (strcmp(wt[e].fold, "the") != 0 || (e > i && wt[e - 1].inner)))
                    continue;
                break;
            }
            /* phrase wt[i..e]: content words at both ends */
            Buf key = {0};
            double idf = 0;
            int content = 0, caps = 1;
            for (size_t k = i; k <= e; k++) {
                if (k > i)
                    buf_putc(&key, ' ');
                buf_append(&key, wt[k].fold, wt[k].fold_len);
                if (wt[k].content) {
                    idf += word_idf(w, wt[k].fold, wt[k].fold_len);
                    content++;
                    if (!wt[k].upper || (wt[k].initial && !wt[k].all_caps))
                        caps = 0;
                }
            }
            int created;
            StrMapEntry *me = strmap_put(&ps->index, key.data, key.len, &created);
            if (created) {
                if (ps->n == ps->cap) {
                    size_t nc = ps->cap ? ps->cap * 2 : 64;
                    ps->p = arena_grow(w->a, ps->p, ps->n, nc, sizeof *ps->p);
                    ps->cap = nc;
                }
                me->val.num = (int64_t)ps->n;
                Phrase *p = &ps->p[ps->n++];
                p->surface = arena_strndup(w->a, text + wt[i].start,
                                           wt[e].start + wt[e].len - wt[i].start);
                p->key = arena_strndup(w->a, key.data, key.len);
                p->words = (int)len;
                p->capitalised = caps;
                p->idf = idf / content;
                p->count = ARENA_ARRAY(w->a, int, ps->groups);
                p->first_word = arena_strndup(w->a, wt[i].fold, wt[i].fold_len);
                p->verb_start = !caps && ((wt[i].fold_len > 4 &&
                                 (memcmp(wt[i].fold + wt[i].fold_len - 3, "ing", 3) == 0 ||
                                  memcmp(wt[i].fold + wt[i].fold_len - 2, "ed", 2) == 0)) ||
                                 in_list(wt[i].fold, wt[i].fold_len, irregular_verbs));
                p->last_word = arena_strndup(w->a, wt[e].fold, wt[e].fold_len);
            }
            Phrase *p = &ps->p[me->val.num];
            p->count[group]++;
            p->page_count++;
            {
                int up = 0, low = 0, known = 0;
                for (size_t k = i; k <= e; k++) {
                    if (!wt[k].content)
                        continue;
                    if (wt[k].initial && !wt[k].all_caps)
                        continue;
                    known = 1;
                    if (wt[k].upper)
                        up++;
                    else
                        low++;
                }
                if (up && low)
                    p->mixed = 1;
                else if (known && up)
                    p->caps_seen++;
                else if (known)
                    p->lower_seen++;
                if (i > 0 && !wt[i].punct_before && in_list(wt[i - 1].fold, wt[i - 1].fold_len, determiners))
                    p->det = 1;
                if (e + 1 >= nw || wt[e + 1].punct_before || wt[e + 1].upper || !wt[e + 1].content)
                    p->head_seen = 1;
                /* "Rhys Calloway said", "said Rhys Calloway", "leader Rhys
                 * Calloway": a person */
                /* "Frances Odell, head of conservation": a name set off
                 * by a role is a person too */
                if (up && !low &&
                    ((e + 1 < nw && in_list(wt[e + 1].fold, wt[e + 1].fold_len, speech_verbs)) ||
                     (e + 1 < nw && wt[e + 1].punct_before &&
                      in_list(wt[e + 1].fold, wt[e + 1].fold_len, role_words)) ||
                     (i > 0 && (in_list(wt[i - 1].fold, wt[i - 1].fold_len, role_words) ||
                                in_list(wt[i - 1].fold, wt[i - 1].fold_len, speech_verbs)))))
                    p->person = 1;
            }
            /* a capitalised run is one name: "Minister Olivia" of
             * "Transport Minister Olivia Grant" is a piece of it */
            if ((wt[i].upper && i > 0 && !wt[i].punct_before && wt[i - 1].upper) ||
                (wt[e].upper && e + 1 < nw && !wt[e + 1].punct_before && wt[e + 1].upper))
                p->clipped++;
            /* ... and so is "Art" of "National Gallery of Art" or "Art and
             * Antiquities Unit", and a name that only qualifies a role
             * ("Art historian Gideon Shaw") */
            else if (i == e && wt[i].upper && i > 1 && !wt[i].punct_before && !wt[i - 1].punct_before &&
                     wt[i - 2].upper && !wt[i - 2].initial &&
                     (strcmp(wt[i - 1].fold, "of") == 0 || strcmp(wt[i - 1].fold, "and") == 0))
                p->clipped++;
            else if (i == e && wt[e].upper && e + 2 < nw && !wt[e + 1].punct_before && !wt[e + 2].punct_before &&
                     wt[e + 2].upper &&
                     (strcmp(wt[e + 1].fold, "of") == 0 || strcmp(wt[e + 1].fold, "and") == 0))
                p->clipped++;
            else if (i == e && wt[e].upper && e + 1 < nw && !wt[e + 1].punct_before && !wt[e + 1].upper &&
                     in_list(wt[e + 1].fold, wt[e + 1].fold_len, role_words))
                p->clipped++;
            if (created) {
                for (size_t k = i; k <= e; k++) {
                    int lower = !wt[k].upper || (wt[k].initial && !wt[k].all_caps);
                    if (lower && wt[k].content &&
                        ((wt[k].fold_len > 4 && memcmp(wt[k].fold + wt[k].fold_len - 2, "ed", 2) == 0) ||
                         in_list(wt[k].fold, wt[k].fold_len, irregular_verbs)))
                        p->clause = 1;
                }
                if (wt[i].fold_len > 4 && memcmp(wt[i].fold + wt[i].fold_len - 2, "ly", 2) == 0)
                    p->clause = 1;
                /* "61-year-old man", "3 wagons": a number or an age
                 * describes someone, it names no sub-topic */
                for (size_t k = i; k <= e; k++)
                    if ((wt[k].fold[0] >= '0' && wt[k].fold[0] <= '9') || strstr(wt[k].fold, "year-old"))
                        p->clause = 1;
                /* "paint facing inward": an -ing word after the first
                 * is a participle clause */
                for (size_t k = i + 1; k <= e; k++)
                    if (!wt[k].upper && wt[k].fold_len > 4 &&
                        memcmp(wt[k].fold + wt[k].fold_len - 3, "ing", 3) == 0)
                        p->clause = 1;
                if (in_list(wt[i].fold, wt[i].fold_len, role_words) ||
                    in_list(wt[e].fold, wt[e].fold_len, role_words))
                    p->clause = 1;
            }
            buf_free(&key);
        }
    }
    arena_free(&tmp);
}

static int shares_word(const Phrase *p, const char *const *used_words, size_t n_used)
{
    /* any content word of p among the words of earlier headings */
    const char *k = p->key;
    while (*k) {
        const char *e = strchr(k, ' ');
        size_t l = e ? (size_t)(e - k) : strlen(k);
        if (!in_list(k, l, phrase_inner))
            for (size_t u = 0; u < n_used; u++)
                if (strlen(used_words[u]) == l && memcmp(used_words[u], k, l) == 0)
                    return 1;
        k += l;
        while (*k == ' ')
            k++;
    }
    return 0;
}

/* 1 when the folded word ends like an English past tense or participle
 * ("rescued", "warned") or is an irregular verb form: a heading ending so
 * reads as a clipped clause. */
static int verb_like_end(const char *w)
{
    size_t n = strlen(w);
    return (n > 4 && strcmp(w + n - 2, "ed") == 0) || in_list(w, n, irregular_verbs);
}

static int phrase_has_word(const Phrase *p, const char *word)
{
    size_t wl = strlen(word);
    const char *k = p->key;
    while (*k) {
        const char *e = strchr(k, ' ');
        size_t l = e ? (size_t)(e - k) : strlen(k);
        if (l == wl && memcmp(k, word, l) == 0)
            return 1;
        k += l;
        while (*k == ' ')
            k++;
    }
    return 0;
}

static double phrase_score(const Phrase *p, int group)
{
    int tf = p->count[group];
    if (tf == 0 || p->clause || p->outlet || 2 * p->clipped > p->page_count)
        return 0;
    double spec = (double)tf / p->page_count; /* particular to this section */
    static const double len_bonus[] = {0, 1.0, 1.7, 1.8, 1.5};
    double s = tf * spec * (0.5 + p->idf) * len_bonus[p->words];
    if (p->capitalised)
        s *= 1.3;
    else if (verb_like_end(p->last_word))
        s *= 0.3;
    if (p->verb_start)
        s *= 0.2;
    if (p->subsumed)
        s *= 0.2;
    if (p->person)
        s *= 0.35; /* sections are about what happened, not whom */
    return s;
}

/* Adds the words of a chosen phrase to the used list. */
static void use_words(Arena *a, const Phrase *p, const char ***used, size_t *n, size_t *cap)
{
    const char *k = p->key;
    while (*k) {
        const char *e = strchr(k, ' ');
        size_t l = e ? (size_t)(e - k) : strlen(k);
        if (*n == *cap) {
            size_t nc = *cap ? *cap * 2 : 16;
            *used = arena_grow(a, *used, *n, nc, sizeof **used);
            *cap = nc;
        }
        (*used)[(*n)++] = arena_strndup(a, k, l);
        k += l;
        while (*k == ' ')
            k++;
    }
}

/* Marks capitalised phrases that are people (quote speakers, or their
 * surnames) and ones that are a clipped part of a longer name seen nearly
 * as often ("Premier Victor" of "Premier Victor Salazar"). */
static void mark_names(Writer *w, PhraseSet *ps)
{
    Buf f = {0};
    /* "told the Northgate Courier": an outlet is where, not what */
    for (size_t m = 0; m < w->in->n_members; m++) {
        const char *o = w->in->members[m].outlet;
        if (!o || !o[0])
            continue;
        buf_reset(&f);
        text_fold(&f, o, strlen(o));
        for (size_t i = 0; i < ps->n; i++)
            if (strstr(buf_cstr(&f), ps->p[i].key))
                ps->p[i].outlet = 1;
    }
    for (size_t m = 0; m < w->in->n_members; m++) {
        const Doc *d = w->in->members[m].doc;
        for (size_t q = 0; q < d->n_quotes; q++) {
            const char *sp = d->quotes[q].speaker;
            if (!sp)
                continue;
            buf_reset(&f);
            text_fold(&f, sp, strlen(sp));
            const char *full = buf_cstr(&f);
            const char *last = strrchr(full, ' ');
            last = last ? last + 1 : full;
            size_t fl = strlen(full), ll = strlen(last);
            for (size_t i = 0; i < ps->n; i++) {
                const char *k = ps->p[i].key;
                size_t kl = strlen(k);
                /* the name, its start, or any phrase ending in it
                 * ("Minister Sofia Reyes", "Reyes") */
                if (ps->p[i].capitalised &&
                    (strstr(full, k) == full || (kl >= ll && strcmp(k + kl - ll, last) == 0) ||
                     (kl >= fl && strcmp(k + kl - fl, full) == 0)))
                    ps->p[i].person = 1;
            }
        }
    }
    buf_free(&f);
    for (size_t i = 0; i < ps->n; i++) {
        Phrase *p = &ps->p[i];
        if (p->words >= 4)
            continue;
        size_t kl = strlen(p->key);
        for (size_t j = 0; j < ps->n; j++) {
            const Phrase *q = &ps->p[j];
            if (q->words <= p->words || 10 * q->page_count < 7 * p->page_count)
                continue;
            /* a name inside a longer name; a common phrase that always
             * runs on ("limit on patient" of "limit on patient numbers") */
            if ((p->capitalised && q->capitalised && strstr(q->key, p->key)) ||
                (!p->capitalised && !q->capitalised && !q->clause && !q->mixed &&
                 strncmp(q->key, p->key, kl) == 0 && q->key[kl] == ' ')) {
                p->subsumed = 1;
                break;
            }
        }
    }
}

/* The phrase as it reads inside a heading: a common-noun phrase that
 * opened its sentence loses that capital ("Residents" -> "residents"). */
static const char *phrase_text(Arena *a, const Phrase *p)
{
    const char *t = p->surface;
    if (p->capitalised || !(t[0] >= 'A' && t[0] <= 'Z') || !(t[1] >= 'a' && t[1] <= 'z'))
        return t;
    char *c = arena_strdup(a, t);
    c[0] = (char)(c[0] + 32);
    return c;
}

/* The best phrase of a group of one kind (names or common-noun phrases),
 * trying first phrases that share no word with earlier headings. */
/* 1 when the two phrases share a word. */
static int phrases_overlap(const Phrase *p, const Phrase *q)
{
    const char *k = q->key;
    while (*k) {
        const char *e = strchr(k, ' ');
        size_t l = e ? (size_t)(e - k) : strlen(k);
        char word[64];
        if (l < sizeof word) {
            memcpy(word, k, l);
            word[l] = '\0';
            if (!in_list(word, l, phrase_inner) && phrase_has_word(p, word))
                return 1;
        }
        k += l;
        while (*k == ' ')
            k++;
    }
    return 0;
}

/* 1 when p can title a section as a name (want_name) or as a common-noun
 * phrase: its capitals are known and consistent, and a common-noun
 * phrase follows a determiner somewhere or ends in a word that does
 * ("the flood wall", "14 patients"), which most verbs and adjectives
 * never do. */
static int heading_kind_ok(const PhraseSet *ps, const Phrase *p, int want_name)
{
    if (p->mixed || (p->caps_seen == 0 && p->lower_seen == 0))
        return 0;
    if (p->capitalised != want_name)
        return 0;
    if (want_name)
        return 1;
    if (!p->head_seen)
        return 0; /* only ever a modifier: "the oil" of "the oil painting" */
    size_t ll = strlen(p->last_word);
    if (p->words > 1 && ll > 4 && strcmp(p->last_word + ll - 3, "ing") == 0)
        return 0; /* "the young woman steering" */
    if (p->words > 1)
        return p->det;
    return p->det || strmap_get(&ps->after_det, p->last_word, ll) != NULL;
}

static long best_of_kind(const PhraseSet *ps, int group, const char *const *used, size_t n_used,
                         int want_name, long not_this)
{
    /* a name already in a heading is not used again; a common phrase may
     * be when nothing else fits */
    for (int strict = 1; strict >= (want_name ? 1 : 0); strict--) {
        long best = -1;
        double best_s = 0;
        for (size_t i = 0; i < ps->n; i++) {
            const Phrase *p = &ps->p[i];
            if ((long)i == not_this || p->words > (want_name ? 4 : 3) || !heading_kind_ok(ps, p, want_name))
                continue;
            if (not_this >= 0 && phrases_overlap(p, &ps->p[not_this]))
                continue;
            if (want_name && p->person)
                continue; /* sections are about what happened and where, not whom */
            if (strict && shares_word(p, used, n_used))
                continue;
            double sc = phrase_score(p, group);
            if (sc > best_s)
                best_s = sc, best = (long)i;
        }
        if (best >= 0)
            return best;
    }
    return -1;
}

/* Headings for the groups in `order`: each built from its sentences' key
 * phrases. group_of maps a section candidate to its group in [0, k);
 * summary sentences count as group k, so that words of the summary weigh
 * in "how particular to this section" without getting a heading.
 *
 * A heading is never a lone name nor a clipped clause: it is the
 * section's best common-noun phrase ("the track defect"), joined to its
 * best place or organisation (never a person: a name that is a speaker,
 * is followed by "said" or follows a role word) when that weighs as much
 * ("Ashby Junction and the track defect"), or two names joined ("Lindon
 * Athletic and Rosewood United"); written in sentence case. Phrases holding a verb
 * form, a role word at an end, an outlet's name, or cut out of a longer
 * name are never used (see add_phrases_of). */
static void write_headings(Writer *w, const char **headings, size_t k, const long *group_of,
                           const size_t *order, size_t n_order)
{
    PhraseSet ps = {.groups = (int)k + 1};
    for (size_t i = 0; i < w->n; i++)
        if (w->c[i].chosen)
            add_phrases_of(w, &ps, w->c[i].ds->text,
                           w->c[i].chosen == CH_SECTION ? (int)group_of[i] : (int)k);
    for (size_t i = 0; i < ps.n; i++)
        ps.p[i].capitalised = ps.p[i].caps_seen > ps.p[i].lower_seen;
    mark_names(w, &ps);
    /* the surname of a person named in full is that person ("Penhaligon"
     * of "painter Alys Penhaligon") */
    for (size_t i = 0; i < ps.n; i++) {
        const Phrase *p = &ps.p[i];
        if (!p->person || !p->capitalised || p->words < 2)
            continue;
        StrMapEntry *me = strmap_get(&ps.index, p->last_word, strlen(p->last_word));
        if (me && ps.p[me->val.num].capitalised)
            ps.p[me->val.num].person = 1;
    }
    const char **used = NULL;
    size_t n_used = 0, cap_used = 0;
    for (size_t s = 0; s < n_order; s++) {
        int g = (int)order[s];
        long name = best_of_kind(&ps, g, used, n_used, 1, -1);
        long topic = best_of_kind(&ps, g, used, n_used, 0, name);
        double ts = topic >= 0 ? phrase_score(&ps.p[topic], g) : 0;
        double ns = name >= 0 ? phrase_score(&ps.p[name], g) : 0;
        const char *heading = NULL;
        if (topic >= 0 && name >= 0 && ns >= 0.5 * ts) {
            heading = arena_printf(w->a, "%s and the %s", ps.p[name].surface, phrase_text(w->a, &ps.p[topic]));
            use_words(w->a, &ps.p[name], &used, &n_used, &cap_used);
            use_words(w->a, &ps.p[topic], &used, &n_used, &cap_used);
        } else if (topic >= 0) {
            heading = phrase_text(w->a, &ps.p[topic]);
            use_words(w->a, &ps.p[topic], &used, &n_used, &cap_used);
        } else if (name >= 0) {
            long other = best_of_kind(&ps, g, used, n_used, 1, name);
            if (other >= 0 && !phrase_has_word(&ps.p[other], ps.p[name].first_word)) {
                heading = arena_printf(w->a, "%s and %s", ps.p[name].surface, ps.p[other].surface);
                use_words(w->a, &ps.p[name], &used, &n_used, &cap_used);
                use_words(w->a, &ps.p[other], &used, &n_used, &cap_used);
            }
        }
        if (!heading)
            heading = s == 0 ? "What happened" : "More details";
        heading = sentence_case(w->a, heading);
        for (size_t t = 0; t < s; t++)
            if (strcasecmp(headings[t], heading) == 0)
                heading = arena_printf(w->a, "%s, continued", heading);
        headings[s] = heading;
    }
    strmap_free(&ps.index);
    strmap_free(&ps.after_det);
}

/* ---- sections ---- */

typedef struct SecItem {
    size_t cand;
    int64_t time;
    int member;
    uint32_t index;
} SecItem;

static int cmp_secitem(const void *a, const void *b)
{
    const SecItem *x = a, *y = b;
    if (x->time != y->time)
        return x->time < y->time ? -1 : 1;
    if (x->member != y->member)
        return x->member < y->member ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Splits a section's ordered sentences into paragraphs of 2 to 4
 * (balanced: 5 sentences make 3 + 2, not 4 + 1), none opening with a
 * dangling sentence. A dangling sentence stays only right after the
 * sentence before it in its article, which gives it its sense ("He
 * added..."); elsewhere it is dropped. */
static void write_paragraphs(Writer *w, PageSection *sec, const SecItem *items, size_t n)
{
    size_t *seq = ARENA_ARRAY(w->a, size_t, n ? n : 1);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const Cand *c = &w->c[items[i].cand];
        if (c->dangling) {
            const Cand *prev = m ? &w->c[seq[m - 1]] : NULL;
            if (!prev || prev->doc != c->doc || prev->ds->index + 1 != c->ds->index)
                continue;
        }
        seq[m++] = items[i].cand;
    }
    PageParagraph *paras = ARENA_ARRAY(w->a, PageParagraph, m ? m : 1);
    size_t np = 0, i = 0;
    while (i < m) {
        size_t left = m - i;
        size_t want = (left + ((left + 3) / 4) - 1) / ((left + 3) / 4); /* ceil(left / paragraphs left) */
        /* a dangling sentence must not open the next paragraph: end
         * sooner (keeping 2), else later (up to 4), else keep the chain
         * whole */
        size_t end = i + want;
        while (end < m && w->c[seq[end]].dangling && end - i > 2)
            end--;
        if (end < m && w->c[seq[end]].dangling)
            end = i + want;
        while (end < m && w->c[seq[end]].dangling && end - i < 4)
            end++;
        while (end < m && w->c[seq[end]].dangling)
            end++;
        PageParagraph *pp = &paras[np++];
        pp->sentences = ARENA_ARRAY(w->a, PageSentence, end - i);
        for (size_t k = i; k < end; k++)
            pp->sentences[pp->n_sentences++] = page_sentence(w, &w->c[seq[k]]);
        i = end;
    }
    sec->paragraphs = paras;
    sec->n_paragraphs = np;
}

static void write_sections(Writer *w, Page *out, double max_score)
{
    /* pick the section sentences */
    size_t target = 3 + 3 * w->in->n_members;
    if (target < 6)
        target = 6;
    if (target > 18)
        target = 18;
    size_t *picked;
    size_t m = select_budget(w, target * WORDS_PER_SENTENCE, target, 0.25, CH_SECTION, max_score, &picked);
    if (m == 0)
        return;

    /* seeds: the best sentence, then those best and least like the seeds */
    size_t k = m <= 3 ? 1 : (m + 2) / 4;
    if (m > 3 && k < 2)
        k = 2;
    if (k > 5)
        k = 5;
    size_t *seed = ARENA_ARRAY(w->a, size_t, k);
    seed[0] = picked[0];
    for (size_t s = 1; s < k; s++) {
        double best = -1;
        size_t bi = picked[0];
        for (size_t p = 0; p < m; p++) {
            size_t i = picked[p];
            double near = 0;
            int is_seed = 0;
            for (size_t t = 0; t < s; t++) {
                if (seed[t] == i)
                    is_seed = 1;
                if (w->sim[i * w->n + seed[t]] > near)
                    near = w->sim[i * w->n + seed[t]];
            }
            double v = w->c[i].score * (1 - near);
            if (!is_seed && v > best)
                best = v, bi = i;
        }
        seed[s] = bi;
    }

    /* assign to the nearest seed; neighbours in one article go together */
    long *group_of = ARENA_ARRAY(w->a, long, w->n);
    size_t *group_size = ARENA_ARRAY(w->a, size_t, k);
    for (int round = 0; round < 2; round++) {
        memset(group_size, 0, k * sizeof *group_size);
        for (size_t p = 0; p < m; p++) {
            size_t i = picked[p];
            long best_g = 0;
            double best = -1;
            for (size_t s = 0; s < k; s++) {
                size_t j = seed[s];
                double v = i == j ? 10 : w->sim[i * w->n + j];
                if (i != j && w->c[i].doc == w->c[j].doc &&
                    abs((int)w->c[i].ds->index - (int)w->c[j].ds->index) <= 2)
                    v += 0.2;
                if (v > best)
                    best = v, best_g = (long)s;
            }
            group_of[i] = best_g;
            group_size[best_g]++;
        }
        if (round == 1)
            break;
        /* medoids: the member most like the rest of its group */
        for (size_t s = 0; s < k; s++) {
            double best = -1;
            for (size_t p = 0; p < m; p++) {
                size_t i = picked[p];
                if (group_of[i] != (long)s)
                    continue;
                double sum = 0;
                for (size_t q = 0; q < m; q++)
                    if (group_of[picked[q]] == (long)s)
                        sum += w->sim[i * w->n + picked[q]];
                if (sum > best)
                    best = sum, seed[s] = i;
            }
        }
    }
    /* a dangling sentence goes where the sentence before it in its
     * article went, which gives it its sense */
    for (size_t p = 0; p < m; p++) {
        size_t i = picked[p];
        if (!w->c[i].dangling)
            continue;
        for (size_t q = 0; q < m; q++) {
            size_t j = picked[q];
            if (w->c[j].doc == w->c[i].doc && w->c[j].ds->index + 1 == w->c[i].ds->index &&
                group_of[j] != group_of[i]) {
                group_size[group_of[i]]--;
                group_of[i] = group_of[j];
                group_size[group_of[j]]++;
            }
        }
    }
    /* a section of one sentence is thin: fold it into its nearest section
     * (while more than two sections remain) */
    size_t live = k;
    for (size_t s = 0; s < k && live > 2; s++) {
        if (group_size[s] != 1)
            continue;
        size_t i = 0;
        for (size_t p = 0; p < m; p++)
            if (group_of[picked[p]] == (long)s)
                i = picked[p];
        long best_g = -1;
        double best = -1;
        for (size_t t = 0; t < k; t++) {
            if (t == s || group_size[t] == 0)
                continue;
            if (w->sim[i * w->n + seed[t]] > best)
                best = w->sim[i * w->n + seed[t]], best_g = (long)t;
        }
        if (best_g < 0)
            continue;
        group_of[i] = best_g;
        group_size[best_g]++;
        group_size[s] = 0;
        live--;
    }

    /* section order: the one holding the best sentence first, then by how
     * early their sentences come in the articles */
    double *mean_pos = ARENA_ARRAY(w->a, double, k);
    size_t *order = ARENA_ARRAY(w->a, size_t, k);
    size_t n_order = 0;
    for (size_t s = 0; s < k; s++) {
        if (group_size[s] == 0)
            continue;
        double sum = 0;
        for (size_t p = 0; p < m; p++)
            if (group_of[picked[p]] == (long)s)
                sum += w->c[picked[p]].ds->index;
        mean_pos[s] = sum / group_size[s];
        order[n_order++] = s;
    }
    size_t first_g = (size_t)group_of[picked[0]];
    for (size_t a = 0; a < n_order; a++)
        for (size_t b = a + 1; b < n_order; b++) {
            int swap;
            if (order[b] == first_g)
                swap = 1;
            else if (order[a] == first_g)
                swap = 0;
            else
                swap = mean_pos[order[b]] < mean_pos[order[a]];
            if (swap) {
                size_t t = order[a];
                order[a] = order[b];
                order[b] = t;
            }
        }

    PageSection *sections = ARENA_ARRAY(w->a, PageSection, n_order ? n_order : 1);
    const char **headings = ARENA_ARRAY(w->a, const char *, n_order ? n_order : 1);
    write_headings(w, headings, k, group_of, order, n_order);
    for (size_t s = 0; s < n_order; s++)
        sections[s].heading = headings[s];

    for (size_t s = 0; s < n_order; s++) {
        size_t g = order[s];
        SecItem *items = ARENA_ARRAY(w->a, SecItem, group_size[g]);
        size_t ni = 0;
        for (size_t p = 0; p < m; p++) {
            size_t i = picked[p];
            if (group_of[i] != (long)g)
                continue;
            const Article *art = w->c[i].doc->article;
            items[ni++] = (SecItem){i, art ? art->published : 0, w->c[i].member, w->c[i].ds->index};
        }
        /* unknown times sort by member order (members come oldest first) */
        int all_known = 1;
        for (size_t t = 0; t < ni; t++)
            if (items[t].time == 0)
                all_known = 0;
        if (!all_known)
            for (size_t t = 0; t < ni; t++)
                items[t].time = 0;
        qsort(items, ni, sizeof *items, cmp_secitem);
        write_paragraphs(w, &sections[s], items, ni);
    }
    /* drop sections left empty (all their sentences were dangling) */
    size_t kept = 0;
    for (size_t s = 0; s < n_order; s++)
        if (sections[s].n_paragraphs > 0)
            sections[kept++] = sections[s];
    out->sections = sections;
    out->n_sections = kept;
}

/* ---- quotes ---- */

typedef struct QuoteCand {
    const DocQuote *q;
    int member;
    double score;
    int words;
} QuoteCand;

static int cmp_quote(const void *a, const void *b)
{
    const QuoteCand *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->member - y->member;
}

/* Share of the smaller quote's words found in the other (case-blind). */
static double quote_overlap(const char *a, const char *b)
{
    size_t total = 0, hit = 0;
    const char *p = a;
    char word[64];
    for (;;) {
        while (*p && !((*p | 32) >= 'a' && (*p | 32) <= 'z') && !(*p >= '0' && *p <= '9') &&
               !((unsigned char)*p >= 0x80))
            p++;
        if (!*p)
            break;
        size_t l = 0;
        while (*p && (((*p | 32) >= 'a' && (*p | 32) <= 'z') || (*p >= '0' && *p <= '9') ||
                      (unsigned char)*p >= 0x80)) {
            if (l < sizeof word - 1)
                word[l++] = *p;
            p++;
        }
        word[l] = '\0';
        total++;
        /* whole-word, case-insensitive search */
        const char *h = b;
        size_t bl = strlen(b);
        for (size_t i = 0; i + l <= bl; i++) {
            if (strncasecmp(h + i, word, l) == 0 &&
                (i == 0 || !(((h[i - 1] | 32) >= 'a' && (h[i - 1] | 32) <= 'z'))) &&
                !(((h[i + l] | 32) >= 'a' && (h[i + l] | 32) <= 'z'))) {
                hit++;
                break;
            }
        }
    }
    return total ? (double)hit / total : 0;
}

static void write_quotes(Writer *w, Page *out)
{
    const WriterInput *in = w->in;
    size_t total = 0;
    for (size_t m = 0; m < in->n_members; m++)
        total += in->members[m].doc->n_quotes;
    if (total == 0)
        return;
    QuoteCand *qc = ARENA_ARRAY(w->a, QuoteCand, total);
    size_t n = 0;
    for (int pass = 0; pass < 2 && n == 0; pass++) {
        int lo = pass == 0 ? 6 : 3, hi = pass == 0 ? 40 : 60;
        for (size_t m = 0; m < in->n_members; m++) {
            const Doc *d = in->members[m].doc;
            if (!in_page_lang(w, d))
                continue;
            for (size_t q = 0; q < d->n_quotes; q++) {
                const DocQuote *dq = &d->quotes[q];
                if (!dq->speaker || !dq->speaker[0] || !dq->text)
                    continue;
                int words = count_words(dq->text);
                if (words < lo || words > hi)
                    continue;
                /* speaker salience: how much the story talks about them */
                double sal = 1;
                for (size_t o = 0; o < in->n_members; o++) {
                    const Doc *od = in->members[o].doc;
                    for (size_t e = 0; e < od->n_entities; e++)
                        if (strcasecmp(od->entities[e].name, dq->speaker) == 0)
                            sal += od->entities[e].count;
                }
                double len = words < 25 ? words / 25.0 : 1.0;
                qc[n++] = (QuoteCand){dq, (int)m, log(1 + sal) * (0.5 + len), words};
            }
        }
    }
    qsort(qc, n, sizeof *qc, cmp_quote);
    /* a quote already in the page's sentences is shown again only when
     * the page would otherwise have fewer than two */
    int *in_body = ARENA_ARRAY(w->a, int, n ? n : 1);
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < w->n && !in_body[i]; c++)
            if (w->c[c].chosen && strstr(w->c[c].ds->text, qc[i].q->text))
                in_body[i] = 1;
    out->quotes = ARENA_ARRAY(w->a, PageQuote, 5);
    int *taken = ARENA_ARRAY(w->a, int, n ? n : 1);
    for (size_t i = 0, pass = 0; pass < 2 && out->n_quotes < 5; i++) {
        if (i >= n) {
            if (out->n_quotes >= 2)
                break;
            i = 0, pass++;
            if (pass == 2 || n == 0)
                break;
        }
        if (taken[i] || (pass == 0 && in_body[i]))
            continue;
        int skip = 0, same_speaker = 0;
        for (size_t j = 0; j < out->n_quotes && !skip; j++) {
            if (strcasecmp(out->quotes[j].speaker, qc[i].q->speaker) == 0)
                same_speaker++;
            if (quote_overlap(qc[i].q->text, out->quotes[j].text) > 0.6 ||
                quote_overlap(out->quotes[j].text, qc[i].q->text) > 0.6)
                skip = 1;
        }
        if (skip || same_speaker >= 2)
            continue;
        taken[i] = 1;
        PageQuote *pq = &out->quotes[out->n_quotes++];
        pq->text = arena_strdup(w->a, qc[i].q->text);
        pq->speaker = arena_strdup(w->a, qc[i].q->speaker);
        pq->verb = arena_strdup(w->a, qc[i].q->verb);
        pq->source = cite(w, qc[i].member);
    }
}

/* ---- the page ---- */

static int count_outlets(const WriterInput *in)
{
    StrMap seen = {0};
    Buf f = {0};
    for (size_t m = 0; m < in->n_members; m++) {
        const WriterMember *wm = &in->members[m];
        const char *o = wm->outlet ? wm->outlet : wm->doc->article ? wm->doc->article->source : NULL;
        for (size_t k = 0; k <= wm->n_also; k++) {
            const char *name = k == 0 ? o : wm->also[k - 1];
            if (!name || !name[0])
                continue;
            buf_reset(&f);
            text_fold(&f, name, strlen(name));
            strmap_put(&seen, buf_cstr(&f), f.len, NULL);
        }
    }
    int n = (int)seen.count;
    buf_free(&f);
    strmap_free(&seen);
    return n;
}

/* ---- background and timeline (background.c, timeline.c) ---- */

static void write_background_and_timeline(Writer *w, Page *out)
{
    out->n_background = page_background(w->a, w->in, PAGE_MAX_BACKGROUND, &out->background);
    TimelineItem *items;
    size_t n = timeline_collect(w->a, w->in, PAGE_MAX_TIMELINE, &items);
    out->timeline = ARENA_ARRAY(w->a, PageEvent, n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        const Doc *d = w->in->members[items[i].member].doc;
        out->timeline[i] = (PageEvent){timeline_date_string(w->a, &items[i].date),
                                       arena_strdup(w->a, d->sentences[items[i].sentence].text),
                                       cite(w, items[i].member)};
    }
    out->n_timeline = n;
}

/* Headline of a story none of whose members has a title, when only the
 * name is wanted: the earliest member's first sentence of reporting (the
 * full page takes its first summary sentence, which is most often it). */
static const char *lead_sentence(const WriterInput *in)
{
    for (size_t m = 0; m < in->n_members; m++) {
        const Doc *d = in->members[m].doc;
        for (size_t i = 0; d && i < d->n_sentences; i++)
            if (!(d->sentences[i].flags & SENT_BOILERPLATE) && d->sentences[i].n_words >= 4)
                return d->sentences[i].text;
    }
    return "Untitled story";
}

int page_write(Arena *a, const WriterInput *in, Page *out, SwErr *err)
{
    memset(out, 0, sizeof *out);
    if (!in || in->n_members == 0 || !in->members)
        return sw_err(err, "page writer: story %lld has no members",
                      in ? (long long)in->story_id : 0LL);

    Writer w = {.a = a, .in = in};
    w.lang = common_lang(in);
    w.stemmer = stemmer_new(w.lang);
    init_report_terms(&w);
    w.source_of = ARENA_ARRAY(a, int, in->n_members);
    for (size_t m = 0; m < in->n_members; m++)
        w.source_of[m] = -1;
    w.sources = ARENA_ARRAY(a, PageSource, in->n_members);

    TermVec centroid = story_centroid(a, in);
    if (in->headline_only) {
        int hm = choose_headline(&w, &centroid);
        out->headline = hm >= 0 ? doc_clean_title(a, in->members[hm].doc->title, in->members[hm].outlet)
                                : lead_sentence(in);
        out->headline_source = -1;
        out->image_source = -1;
        out->slug = in->slug && in->slug[0] ? arena_strdup(a, in->slug) : page_slug(a, out->headline, w.lang);
        stemmer_free(w.stemmer);
        return 0;
    }
    collect_candidates(&w, &centroid);
    build_concepts(&w);
    double max_score = 0;
    for (size_t i = 0; i < w.n; i++)
        if (w.c[i].score > max_score)
            max_score = w.c[i].score;

    /* summary: 1-3 sentences, at most SUMMARY_WORDS words after the first */
    out->summary = ARENA_ARRAY(a, PageSentence, 3);
    long first = mmr_pick(&w, max_score, 0);
    if (first < 0)
        first = mmr_pick(&w, max_score, 1);
    if (first < 0) {
        /* every candidate dangles: take the best one anyway */
        for (size_t i = 0; i < w.n; i++)
            if (first < 0 || w.c[i].score > w.c[first].score)
                first = (long)i;
    }
    if (first >= 0) {
        Cand *c = &w.c[first];
        choose(&w, (size_t)first, CH_SUMMARY);
        out->summary[out->n_summary++] = page_sentence(&w, c);
        uint32_t words = c->ds->n_words;
        while (out->n_summary < 3) {
            long i = mmr_pick(&w, max_score, 0);
            if (i < 0 || w.c[i].score < 0.6 * c->score ||
                words + w.c[i].ds->n_words > SUMMARY_WORDS)
                break;
            choose(&w, (size_t)i, CH_SUMMARY);
            words += w.c[i].ds->n_words;
            out->summary[out->n_summary++] = page_sentence(&w, &w.c[i]);
        }
    } else {
        /* no usable sentence at all: the first non-boilerplate sentence */
        for (size_t m = 0; m < in->n_members && out->n_summary == 0; m++) {
            const Doc *d = in->members[m].doc;
            for (size_t s = 0; s < d->n_sentences; s++)
                if (!(d->sentences[s].flags & SENT_BOILERPLATE) && d->sentences[s].n_words > 0) {
                    out->summary[out->n_summary++] =
                        (PageSentence){arena_strdup(a, d->sentences[s].text), cite(&w, (int)m)};
                    break;
                }
        }
    }

    write_sections(&w, out, max_score);
    write_quotes(&w, out);
    write_background_and_timeline(&w, out);

    /* headline */
    int hm = choose_headline(&w, &centroid);
    if (hm >= 0) {
        out->headline = doc_clean_title(a, in->members[hm].doc->title, in->members[hm].outlet);
        out->headline_source = cite(&w, hm);
    } else {
        out->headline = out->n_summary ? out->summary[0].text : "Untitled story";
        out->headline_source = out->n_summary ? out->summary[0].source : -1;
    }

    /* image: the member contributing most to the page, else the earliest */
    out->image_source = -1;
    {
        int best = -1;
        double best_s = -1;
        for (size_t m = 0; m < in->n_members; m++) {
            const Article *art = in->members[m].doc->article;
            if (!art || !art->image || !art->image[0])
                continue;
            double s = 0;
            for (size_t i = 0; i < w.n; i++)
                if (w.c[i].chosen && w.c[i].member == (int)m)
                    s += w.c[i].score;
            if (s > best_s)
                best_s = s, best = (int)m;
        }
        if (best >= 0) {
            out->image = arena_strdup(a, in->members[best].doc->article->image);
            out->image_source = cite(&w, best);
        }
    }

    out->story_id = in->story_id;
    out->version = in->version;
    out->slug = in->slug && in->slug[0] ? arena_strdup(a, in->slug) : page_slug(a, out->headline, w.lang);
    out->lang = arena_strdup(a, w.lang);
    out->article_count = in->article_count;
    out->source_count = in->source_count > 0 ? in->source_count : count_outlets(in);
    out->updated = in->now;
    for (size_t m = 0; m < in->n_members; m++) {
        const Article *art = in->members[m].doc->article;
        int64_t t = art ? art->published : 0;
        if (!t)
            continue;
        if (!out->first_published || t < out->first_published)
            out->first_published = t;
        if (t > out->last_published)
            out->last_published = t;
    }
    if (in->n_related) {
        out->related = ARENA_ARRAY(a, PageRelated, in->n_related);
        for (size_t r = 0; r < in->n_related; r++) {
            out->related[r].slug = arena_strdup(a, in->related[r].slug);
            out->related[r].headline = arena_strdup(a, in->related[r].headline);
        }
        out->n_related = in->n_related;
    }
    out->sources = w.sources;
    out->n_sources = w.n_sources;
    stemmer_free(w.stemmer);
    return 0;
}

/* ---- summaries for evaluation ---- */

size_t page_select_summary(Arena *a, const WriterInput *in, size_t max_words, const char ***sentences)
{
    *sentences = NULL;
    if (!in || in->n_members == 0 || !in->members || max_words == 0)
        return 0;
    Writer w = {.a = a, .in = in};
    w.lang = common_lang(in);
    w.stemmer = stemmer_new(w.lang);
    init_report_terms(&w);
    TermVec centroid = story_centroid(a, in);
    collect_candidates(&w, &centroid);
    build_concepts(&w);
    double max_score = 0;
    for (size_t i = 0; i < w.n; i++)
        if (w.c[i].score > max_score)
            max_score = w.c[i].score;
    size_t *order;
    size_t k = select_budget(&w, max_words, w.n, 0, CH_SUMMARY, max_score, &order);
    const char **out = ARENA_ARRAY(a, const char *, k ? k : 1);
    for (size_t i = 0; i < k; i++)
        out[i] = w.c[order[i]].ds->text;
    stemmer_free(w.stemmer);
    *sentences = out;
    return k;
}

/* ---- slug ---- */

static const char *const slug_filler[] = {
    "says", "said", "say", "new", "after", "amid", "over", "report", "reports", "live",
    "update", "updates", "latest", "breaking", "video", "watch", "how", "why", "what", "just",
    "more", "could", "may", "will", "would", "as", "first", "top", "big", "here", "now", NULL};

typedef struct SlugWord {
    char text[64];
    size_t len;
    double score;
    size_t pos;
    int take;
} SlugWord;

/* Latin letters for the folded (lower-case) Cyrillic and Greek alphabets,
 * so that Russian, Ukrainian or Greek headlines get readable slugs. */
static const char *const cyrillic_latin[] = {
    /* U+0430 а .. U+044F я */
    "a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
    "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"};
static const char *const greek_latin[] = {
    /* U+03B1 α .. U+03C9 ω */
    "a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n", "x", "o", "p",
    "r", "s", "s", "t", "y", "f", "ch", "ps", "o"};

/* Appends to out (cap bytes, NUL-terminated) the ASCII letters and digits
 * of a folded word, transliterating Cyrillic and Greek; drops the rest. */
static void slug_ascii(const char *s, size_t n, char *out, size_t cap, size_t *len)
{
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t l = utf8_decode(s + i, n - i, &cp);
        if (!l) {
            i++;
            continue;
        }
        i += l;
        char one[2] = {0, 0};
        const char *rep = NULL;
        if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
            one[0] = (char)cp;
            rep = one;
        } else if (cp >= 0x430 && cp <= 0x44F) {
            rep = cyrillic_latin[cp - 0x430];
        } else if (cp == 0x451 || cp == 0x454) { /* ё, є */
            rep = cp == 0x451 ? "e" : "ye";
        } else if (cp == 0x456 || cp == 0x457) { /* і, ї */
            rep = cp == 0x456 ? "i" : "yi";
        } else if (cp == 0x491) { /* ґ */
            rep = "g";
        } else if (cp >= 0x3B1 && cp <= 0x3C9) {
            rep = greek_latin[cp - 0x3B1];
        }
        for (; rep && *rep && *len + 1 < cap; rep++)
            out[(*len)++] = *rep;
    }
    out[*len] = '\0';
}

/* The slug of a headline written mostly in scripts with no Latin letters
 * here (Chinese, Japanese, Korean, Arabic, Hebrew, Thai, Hindi...): its
 * first words as they are written, in lower case (diacritics kept: in
 * kana and Arabic they tell words apart), letters and digits only,
 * hyphenated; characters of unspaced scripts (Han, kana), each a token,
 * run on without hyphens, at most SLUG_UNSPACED of them. Links carry it
 * percent-encoded (render_slug); browsers show it as written. Empty when
 * the headline has no letter or digit at all. */
#define SLUG_UNSPACED 12
static void slug_unicode(const char *headline, const Token *toks, size_t nt, Buf *out)
{
    size_t words = 0, unspaced = 0;
    int prev_unspaced = 0;
    for (size_t i = 0; i < nt && words < 5; i++) {
        if (toks[i].kind == TOK_PUNCT)
            continue;
        const char *t = headline + toks[i].start;
        char w[64];
        size_t wl = 0;
        int is_unspaced = 0;
        for (size_t k = 0; k < toks[i].len;) {
            uint32_t cp;
            size_t l = utf8_decode(t + k, toks[i].len - k, &cp);
            if (!l) {
                k++;
                continue;
            }
            k += l;
            utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)cp);
            /* letters, the marks that belong to them (Hindi, Thai vowel
             * signs), decimal digits */
            if (!((cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_MC) || cat == UTF8PROC_CATEGORY_ND))
                continue;
            char enc[4];
            size_t el = utf8_encode((uint32_t)utf8proc_tolower((utf8proc_int32_t)cp), enc);
            if (wl + el < sizeof w) {
                memcpy(w + wl, enc, el);
                wl += el;
                is_unspaced |= utf8_is_unspaced(cp);
            }
        }
        if (wl == 0)
            continue;
        if (is_unspaced && unspaced >= SLUG_UNSPACED)
            break;
        int join = is_unspaced && prev_unspaced; /* the same run of characters */
        if (out->len + wl + !join > 60)
            break;
        if (out->len && !join)
            buf_putc(out, '-');
        buf_append(out, w, wl);
        unspaced += is_unspaced;
        if (!join)
            words++;
        prev_unspaced = is_unspaced;
    }
}

const char *page_slug(Arena *a, const char *headline, const char *lang)
{
    if (!headline)
        headline = "";
    Arena tmp = {0};
    Token *toks;
    size_t nt = tokenize(&tmp, headline, strlen(headline), &toks);
    SlugWord *sw = ARENA_ARRAY(&tmp, SlugWord, nt ? nt : 1);
    size_t n = 0, n_words = 0, n_upper = 0;
    for (size_t i = 0; i < nt; i++)
        if (toks[i].kind == TOK_WORD) {
            n_words++;
            n_upper += toks[i].upper || toks[i].all_caps;
        }
    /* in a sentence-case headline capitals mark names; in a Title Case
     * one they mark nothing */
    int sentence_case = n_words > 0 && n_upper * 10 < n_words * 6;
    int english = !lang || strcmp(lang, "en") == 0 || strcmp(lang, "und") == 0;
    Buf f = {0};
    int prev_content = 0;
    /* words with letters the slug can spell in ASCII, and words without */
    size_t latin_words = 0, other_words = 0;
    for (size_t i = 0; i < nt; i++) {
        if (toks[i].kind == TOK_PUNCT)
            continue;
        buf_reset(&f);
        text_fold(&f, headline + toks[i].start, toks[i].len);
        SlugWord *w = &sw[n];
        memset(w, 0, sizeof *w);
        const char *fs = buf_cstr(&f);
        size_t fl = f.len;
        /* possessive: "putin's" -> "putin" */
        if (fl > 2 && memcmp(fs + fl - 2, "'s", 2) == 0)
            fl -= 2;
        else if (fl > 4 && memcmp(fs + fl - 4, "\xE2\x80\x99s", 4) == 0)
            fl -= 4;
        slug_ascii(fs, fl, w->text, sizeof w->text, &w->len);
        if (w->len == 0) {
            other_words += toks[i].kind == TOK_WORD;
            continue;
        }
        for (size_t k = 0; k < w->len; k++)
            if (w->text[k] >= 'a' && w->text[k] <= 'z') {
                latin_words++;
                break;
            }
        w->pos = n;
        int stop = stopword_is(lang, fs, fl);
        if (toks[i].kind == TOK_NUMBER)
            w->score = 0.3;
        else if (toks[i].all_caps && w->len >= 2)
            w->score = 3; /* "US", "NATO": a name even when also a stop word */
        else if (stop)
            w->score = 0.1;
        else if (in_list(w->text, w->len, slug_filler))
            w->score = 0.2;
        else if (toks[i].upper && sentence_case && i > 0)
            w->score = 2.5;
        else
            w->score = 1;
        /* a Title Case verb after its subject ("Kremlin Holds Firm") tells
         * less than the nouns around it */
        if (english && w->score == 1 && prev_content && w->len > 3 && w->text[w->len - 1] == 's') {
            char p = w->text[w->len - 2];
            if (p != 's' && p != 'u' && p != 'i' && p != 'a' && p != 'o')
                w->score = 0.6;
        }
        if (english && w->score == 1 && w->len > 5 && memcmp(w->text + w->len - 3, "ing", 3) == 0)
            w->score = 0.6; /* "forcing", "raising" */
        prev_content = w->score >= 1;
        n++;
    }
    buf_free(&f);

    /* the best 3-5 words by score (earlier first on ties), in headline order */
    size_t want = n < 5 ? n : 5;
    size_t taken = 0;
    for (size_t t = 0; t < want; t++) {
        long best = -1;
        for (size_t i = 0; i < n; i++)
            if (!sw[i].take && (best < 0 || sw[i].score > sw[best].score))
                best = (long)i;
        if (best < 0)
            break;
        /* weak words only to reach three */
        if (sw[best].score < 1 && taken >= 3)
            break;
        sw[best].take = 1;
        taken++;
    }
    Buf out = {0};
    for (size_t i = 0; i < n; i++) {
        if (!sw[i].take)
            continue;
        if (out.len + sw[i].len + 1 > 60)
            break;
        if (out.len)
            buf_putc(&out, '-');
        buf_append(&out, sw[i].text, sw[i].len);
    }
    /* a headline mostly in another script is named in it ("2020" alone
     * would name "东京2020奥运会开幕") */
    if (other_words > latin_words) {
        buf_reset(&out);
        slug_unicode(headline, toks, nt, &out);
    }
    const char *slug = arena_strdup(a, out.len ? buf_cstr(&out) : "story");
    buf_free(&out);
    arena_free(&tmp);
    return slug;
}
