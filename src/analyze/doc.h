/* doc.h - an analysed article: its sentences, terms, entities, quotes and
 * fingerprints. Built from an Article by doc_analyze; everything the
 * clusterer and the page writer need, so neither re-reads text.
 *
 * Terms are folded, stop-word-free, stemmed words identified by a 32-bit
 * hash of the stem (term_id). Vectors hold raw counts sorted by id; TF-IDF
 * weighting happens where document frequencies are known (cluster.c). */
#ifndef SW_DOC_H
#define SW_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "../core/arena.h"
#include "../core/bits.h"
#include "../core/article.h"
#include "../text/stem.h"

typedef struct Term {
    uint32_t id;
    float weight;
} Term;

typedef struct TermVec {
    Term *terms; /* sorted by id, ids unique */
    uint32_t n;
} TermVec;

enum {
    SENT_QUOTE = 1,       /* contains a direct quotation */
    SENT_DANGLING = 2,    /* opens with a pronoun or connective ("He said", "However,") */
    SENT_BOILERPLATE = 4, /* byline, dateline-only, "Read more", "Copyright", ... */
    SENT_QUESTION = 8,
};

typedef struct DocSentence {
    const char *text;     /* the sentence, NUL-terminated copy */
    uint32_t paragraph;   /* paragraph index in the article */
    uint32_t index;       /* position among the article's sentences */
    uint32_t n_words;
    uint32_t flags;       /* SENT_* */
    TermVec terms;        /* term counts of this sentence */
} DocSentence;

typedef struct DocQuote {
    const char *text;     /* quoted words, no quote marks */
    const char *speaker;  /* full name when the article gives it earlier */
    const char *verb;     /* "said", "told reporters", ... or NULL */
    uint32_t sentence;    /* index into sentences */
} DocQuote;

typedef struct DocEntity {
    const char *name;     /* surface form, e.g. "Dmitry Peskov", "Port Halden" */
    uint32_t id;          /* term id of the folded full name */
    uint32_t count;
    uint32_t first_sentence;
    uint8_t person;       /* looks like a person's name */
} DocEntity;

typedef struct Doc {
    const Article *article;
    const char *lang;     /* detected or given */
    const char *title;    /* cleaned, outlet suffix removed */
    TermVec title_terms;
    TermVec body_terms;
    TermVec entity_terms; /* entity ids with counts */
    DocSentence *sentences;
    size_t n_sentences;
    DocQuote *quotes;
    size_t n_quotes;
    DocEntity *entities;
    size_t n_entities;    /* most mentioned first */
    TermVec facts;        /* what tells two like events apart, by kind (DOC_FACT_*
                           * in the id's top two bits) with counts: years
                           * (1900-2099, datelines and date lines included;
                           * value = the year), people (value = entity id's
                           * low 30 bits), figures of 2+ digits other than
                           * years (value = hash of the digits), calendar
                           * dates (value = DOC_DATE_VALUE) */
    TermVec lead_terms;   /* the terms of the lead: the first DOC_LEAD_SENTENCES
                           * sentences of the text proper */
    uint64_t simhash;     /* 64-bit SimHash over word 3-shingles of the body */
    uint32_t n_words;
} Doc;

enum { DOC_FACT_YEAR, DOC_FACT_PERSON, DOC_FACT_NUMBER, DOC_FACT_DATE, DOC_FACT_KINDS };
#define DOC_FACT_ID(kind, value) (((uint32_t)(kind) << 30) | ((uint32_t)(value) & 0x3FFFFFFFu))
#define DOC_FACT_KIND(id) ((uint32_t)(id) >> 30)
/* A date fact's value: month and day first, so that the facts of one day
 * of the year are neighbours whatever year they state (0 when none);
 * day 0 for a month and year alone ("March 2013"). */
#define DOC_DATE_VALUE(year, month, day) \
    ((((uint32_t)(month) << 5 | (uint32_t)(day)) << 12) | ((year) ? (uint32_t)(year) - 1899u : 0u))
#define DOC_DATE_MONTH(value) (((uint32_t)(value) >> 17) & 15u)
#define DOC_DATE_DAY(value) (((uint32_t)(value) >> 12) & 31u)
#define DOC_DATE_YEAR(value) (((uint32_t)(value) & 4095u) ? ((uint32_t)(value) & 4095u) + 1899u : 0u)

/* Sentences of the text proper that make an article's lead. */
#define DOC_LEAD_SENTENCES 2

/* Stable 32-bit id of a term (the bytes of a stem or folded name). */
uint32_t term_id(const char *s, size_t n);

/* Analyses art into out; all memory from the arena. A Stemmer per
 * language and a cache of stemmed words (folded word -> term id, a few MB
 * at most) are kept in the DocAnalyzer so repeated calls are cheap; one
 * DocAnalyzer per thread. */
typedef struct DocAnalyzer DocAnalyzer;
DocAnalyzer *doc_analyzer_new(void);
void doc_analyzer_free(DocAnalyzer *da);
void doc_analyze(DocAnalyzer *da, Arena *a, const Article *art, Doc *out);

/* Term counts of any text (folded, stop words removed, stemmed), e.g. for
 * a query or a headline. */
TermVec doc_text_terms(DocAnalyzer *da, Arena *a, const char *text, size_t n, const char *lang);

/* Removes a trailing outlet name from a title: "X - Reuters", "X | BBC
 * News", "X — The Harbour Times". Returns an arena copy. */
const char *doc_clean_title(Arena *a, const char *title, const char *outlet);

/* Vector helpers. */
double termvec_dot(const TermVec *a, const TermVec *b);
double termvec_norm(const TermVec *v);
double termvec_cosine(const TermVec *a, const TermVec *b);
/* Bits in which two SimHashes differ (inline: the clusterer calls it for
 * every member of every candidate story). */
static inline int simhash_distance(uint64_t a, uint64_t b)
{
    return (int)bits_popcount64(a ^ b);
}

#endif
