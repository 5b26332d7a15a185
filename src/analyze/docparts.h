/* docparts.h - what the pieces of the analysis stage (doc.c, entities.c,
 * quotes.c) share while one article is being analysed. Not a public
 * interface: only src/analyze/ includes it.
 *
 * doc.c splits and tokenizes the sentences once into AnSentence/AnToken;
 * entities.c finds names in them and quotes.c finds quotations and their
 * speakers, so no piece re-reads the raw text. */
#ifndef SW_DOCPARTS_H
#define SW_DOCPARTS_H

#include <stddef.h>
#include <stdint.h>

#include "../core/arena.h"
#include "../core/buf.h"
#include "doc.h"

typedef struct AnToken {
    uint32_t start, len;   /* byte offsets into the sentence copy */
    uint8_t kind;          /* TokenKind */
    uint8_t upper, all_caps;
    uint8_t stop;          /* folded form is a stop word */
    const char *fold;      /* folded form (scratch arena); "" for punctuation */
    uint32_t fold_len;
    uint64_t fold_hash;    /* an_word_hash of fold for a word (0 when not computed) */
    uint64_t stem_hash;    /* the stem cache's key of the word, 0 when not computed */
} AnToken;

typedef struct AnSentence {
    const char *text;      /* the sentence copy (also Doc.sentences[i].text) */
    size_t len;
    AnToken *toks;
    size_t n_toks;
    uint32_t paragraph;
} AnSentence;

typedef struct AnEntity {
    const char *name;      /* surface form, output arena */
    const char *fold;      /* folded name, scratch arena */
    const char *last;      /* folded last word */
    uint32_t last_len;
    uint32_t count;
    uint32_t first_sentence;
    uint32_t n_words;
    uint8_t role;          /* appeared after a title or role ("President X") */
    uint8_t person;        /* looks like a person's name */
    uint8_t speaker;       /* named as the speaker of a quote */
} AnEntity;

typedef struct AnMention {
    uint32_t entity;       /* index into AnDoc.entities */
    uint32_t sentence;
    uint32_t offset;       /* byte offset in the sentence */
} AnMention;

typedef struct AnDoc {
    Arena *out;            /* the Doc's arena */
    Arena *scratch;        /* emptied (arena_reset) when doc_analyze returns */
    Buf *fold;             /* reusable buffer for text_fold */
    const char *lang;      /* language used for stop words */
    struct StemCache *stems; /* when set, an_tokenize computes fold_hash and stem_hash
                              * and prefetches the stem cache entry */
    int stem_slot;         /* the stemmer slot stem_hash is for */
    AnSentence *sents;
    size_t n_sents;
    AnEntity *entities;
    size_t n_entities, cap_entities;
    AnMention *mentions;
    size_t n_mentions, cap_mentions;
} AnDoc;

/* A hash of a folded word for the analysis's own tables (the stem cache,
 * the entity sets); not a term id (term_id is that). */
uint64_t an_word_hash(const char *s, size_t n);

/* Folds s into the scratch arena; *len gets the folded length. */
const char *an_fold(AnDoc *ad, const char *s, size_t n, uint32_t *len);

/* Tokenizes s into the scratch arena with folded forms and stop-word marks. */
AnToken *an_tokenize(AnDoc *ad, const char *s, size_t n, size_t *count);

/* The year a token writes ("2013", 1900 to 2099; not "2,013" or
 * "2013.5"), or 0 (dates.c). */
uint32_t an_token_year(const char *src, const AnToken *t);

/* A calendar date written in the text (dates.c): year 0 when none is
 * written, day 0 for a month and year alone ("March 2013"). */
typedef struct AnDate {
    uint16_t year;
    uint8_t month, day;
} AnDate;

/* Finds the dates written in the tokens t of src (month names of lang's
 * language; see dates.c), at most max into out, in reading order; returns
 * their count. */
size_t an_find_dates(const char *src, const AnToken *t, size_t nt, const char *lang, AnDate *out,
                     size_t max);

/* 1 when the folded word is one of the English titles or roles that
 * precede a name ("president", "mr", "minister"). */
int an_is_honorific(const char *fold, size_t n);

/* Finds the named entities of the sentences (entities.c): fills
 * ad->entities and ad->mentions in reading order. */
void entities_find(AnDoc *ad);

/* Copies the entities into out (entities sorted by count, entity_terms). */
void entities_emit(AnDoc *ad, Doc *out);

/* Resolves a speaker's surface name to an entity: the entity with that
 * folded name, or whose last word it is. Returns the index or -1. */
int entities_match(AnDoc *ad, const char *fold, size_t n);

/* Finds direct quotations and their speakers (quotes.c), sets SENT_QUOTE
 * on the sentences they cover and fills out->quotes. */
void quotes_find(AnDoc *ad, Doc *out);

#endif
