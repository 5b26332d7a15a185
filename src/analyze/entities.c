/* entities.c - names of people, places and organisations, found by
 * capitalisation: runs of capitalised words ("Port Halden", "Bank of
 * England", "Ursula von der Leyen") and acronyms ("NATO").
 *
 * A capitalised word at the start of a sentence is ambiguous ("Despite",
 * "Residents"), so it counts only when the same word is capitalised in the
 * middle of a sentence somewhere else in the article, or opens a longer
 * name. Titles and roles in front of a name ("President", "Prime
 * Minister", "Mr") are not part of it but mark the name as a person. A
 * later bare surname ("Peskov") counts for the full name given earlier
 * ("Dmitry Peskov"), which is how news writing refers to people. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "../core/map.h"
#include "../core/utf8util.h"
#include "../text/tokenize.h"
#include "../text/unicode.h"
#include "docparts.h"

static const char *const honorifics[] = {
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "president", "vice", "mayor",
    "governor", "gov", "minister", "prime", "premier", "chancellor", "senator", "sen", "rep",
    "representative", "congressman", "congresswoman", "judge", "justice", "chief", "captain",
    "capt", "colonel", "col", "lieutenant", "lt", "sergeant", "sgt", "officer", "inspector",
    "commissioner", "superintendent", "secretary", "spokesperson", "spokesman", "spokeswoman",
    "ambassador", "king", "queen", "prince", "princess", "sir", "dame", "lord", "lady", "pope",
    "bishop", "archbishop", "rev", "reverend", "deputy", "acting", "former", "foreign",
    "defence", "defense", "interior", "finance", "chairman", "chairwoman", "chairperson",
    "ceo", "director", "coach", "admiral", "gen", "sheikh", "emir", "sultan", "councillor",
    "councilor", "alderman", "sheriff", "detective", "constable", "commander", "general",
    "attorney", NULL};

/* Capitalised words that are not names, or not on their own: days,
 * months, and words that often open a sentence. */
static const char *const common_words[] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "despite", "after", "before", "during", "while",
    "when", "although", "though", "since", "until", "according", "under", "with", "without",
    "officials", "residents", "police", "authorities", "many", "some", "several", "most",
    "all", "each", "every", "other", "another", "one", "two", "three", "today", "yesterday",
    "tomorrow", "last", "next", "earlier", "later", "now", "here", "there", "local", "as",
    "at", "by", "in", "on", "for", "from", "if", "once", "following", "amid", "among",
    "about", "around", "across", "inside", "outside", "within", "over", "i", "mr", "mrs",
    "ms", "dr", "but", "and", "or", "so", "yet", "however", "meanwhile", "still", "also",
    "asked", "speaking", "overall", "instead", "even", "only", "just", "more", "less",
    "people", "thousands", "hundreds", "dozens", "emergency", "a", "an", "the", "this",
    "that", "these", "those", "it", "he", "she", "they", "we", "you", "his", "her", "their",
    "its", "our", "my", "what", "why", "how", "who", "where", "which", "then", "again",
    NULL};

/* Inner words of a name: "Bank of England", "Ursula von der Leyen". */
static const char *const connectors[] = {
    "of", "de", "van", "von", "der", "den", "al", "the", "la", "le", "du", "da", "del",
    "di", "bin", "el", "dos", "das", "y", NULL};

/* Words that make a capitalised run an organisation or a place rather
 * than a person (last word), or a place (first word). */
static const char *const org_last_words[] = {
    "commission", "ministry", "bank", "council", "times", "agency", "service", "department",
    "university", "party", "union", "company", "group", "news", "post", "wire", "court",
    "police", "authority", "office", "house", "committee", "corporation", "association",
    "institute", "organisation", "organization", "fund", "forces", "army", "navy",
    "republic", "states", "kingdom", "city", "county", "river", "island", "islands",
    "street", "airport", "station", "hospital", "school", "college", "parliament", "senate",
    "congress", "government", "coast", "guard", "board", "network", "journal", "herald",
    "tribune", "federation", "league", "club", "center", "centre", "museum", "foundation",
    "bureau", "region", "province", "district", "valley", "bay", "sea", "ocean", "lake",
    "mountains", "bridge", "square", "road", "park", "port", "harbour", "harbor", "inc",
    "ltd", "corp", "co", "plc", "press", "media", "tv", "radio", "channel", "daily",
    "gazette", "observer", "express", "telegraph", "guardian", "reuters", "zone", "plant",
    "hall", "palace", "agency", "programme", "program", "summit", "war", "act", "treaty",
    "unit", "squad", "division", "team", "gallery", "trust", "society", "institution",
    "force", "brigade", "regiment", "command", "library", "theatre", "theater", "church",
    "cathedral", "prison", "laboratory", "clinic", "academy", "alliance", "coalition",
    "assembly", "cabinet", "tribunal", "exchange", "hotel", "stadium", "arena", "airlines",
    NULL};

static const char *const place_first_words[] = {
    "port", "mount", "mt", "lake", "cape", "fort", "saint", "st", "san", "santa", "new",
    "north", "south", "east", "west", "northern", "southern", "eastern", "western",
    "upper", "lower", "great", "united", "european", "national", "royal", "federal",
    "central", "international", "world", "global", "supreme", "state", "city", NULL};

/* The lists above are checked for nearly every token, so each gets a
 * small open-addressing hash set, built once on first use. */
#define SET_SLOTS 512 /* a power of two, over twice the longest list */

typedef struct WordSlot {
    const char *word; /* NULL: empty */
    uint32_t len;
    uint64_t hash;    /* an_word_hash of word, compared before the bytes */
} WordSlot;

typedef struct WordSet {
    const char *const *list;
    /* the lengths of the words by first byte (bit n of [c & 31]: a word of
     * n bytes starts with c; bit 31: 31 bytes or more), read before the
     * set: most words asked about are ruled out there */
    uint32_t len_by_first[32];
    WordSlot slot[SET_SLOTS];
} WordSet;

static WordSet word_sets[] = {{honorifics, {0}, {{0}}}, {common_words, {0}, {{0}}},
                              {connectors, {0}, {{0}}}, {org_last_words, {0}, {{0}}},
                              {place_first_words, {0}, {{0}}}};
#define N_SETS (sizeof word_sets / sizeof word_sets[0])
static pthread_once_t word_sets_once = PTHREAD_ONCE_INIT;
static atomic_int word_sets_built;

static void word_sets_build(void)
{
    for (size_t k = 0; k < N_SETS; k++) {
        WordSet *ws = &word_sets[k];
        for (size_t i = 0; ws->list[i]; i++) {
            size_t n = strlen(ws->list[i]);
            uint64_t hv = an_word_hash(ws->list[i], n);
            size_t h = (size_t)hv & (SET_SLOTS - 1);
            while (ws->slot[h].word &&
                   !(ws->slot[h].len == n && memcmp(ws->slot[h].word, ws->list[i], n) == 0))
                h = (h + 1) & (SET_SLOTS - 1);
            ws->slot[h] = (WordSlot){ws->list[i], (uint32_t)n, hv};
            ws->len_by_first[(unsigned char)ws->list[i][0] & 31] |= 1u << (n < 31 ? n : 31);
        }
    }
    atomic_store_explicit(&word_sets_built, 1, memory_order_release);
}

/* 1 when the n bytes of fold are one of the words of list. */
static int in_list(const char *fold, size_t n, const char *const *list)
{
    if (!atomic_load_explicit(&word_sets_built, memory_order_acquire))
        pthread_once(&word_sets_once, word_sets_build);
    const WordSet *ws = NULL;
    for (size_t k = 0; k < N_SETS && !ws; k++)
        if (word_sets[k].list == list)
            ws = &word_sets[k];
    if (!ws) { /* a list without a set: read it through */
        for (size_t i = 0; list[i]; i++)
            if (strlen(list[i]) == n && memcmp(list[i], fold, n) == 0)
                return 1;
        return 0;
    }
    if (n == 0 || !(ws->len_by_first[(unsigned char)fold[0] & 31] >> (n < 31 ? n : 31) & 1))
        return 0;
    uint64_t hv = an_word_hash(fold, n);
    for (size_t h = (size_t)hv & (SET_SLOTS - 1); ws->slot[h].word; h = (h + 1) & (SET_SLOTS - 1))
        if (ws->slot[h].hash == hv && ws->slot[h].len == n && memcmp(ws->slot[h].word, fold, n) == 0)
            return 1;
    return 0;
}

int an_is_honorific(const char *fold, size_t n)
{
    return in_list(fold, n, honorifics);
}

static int is_cap_word(const AnSentence *s, const AnToken *t)
{
    if (t->kind != TOK_WORD || !(t->upper || t->all_caps))
        return 0;
    unsigned char c = (unsigned char)s->text[t->start];
    if (c < 0x80) /* (what text_is_letter says of ASCII) */
        return (c | 32u) - 'a' < 26u;
    uint32_t cp;
    return utf8_decode(s->text + t->start, t->len, &cp) && text_is_letter(cp);
}

static int tok_text_is(const AnSentence *s, const AnToken *t, const char *lit)
{
    return t->len == strlen(lit) && memcmp(s->text + t->start, lit, t->len) == 0;
}

/* An opening quote mark or colon makes the next word sentence-initial. */
static int opens_clause(const AnSentence *s, const AnToken *t)
{
    return t->kind == TOK_PUNCT &&
           (tok_text_is(s, t, "\"") || tok_text_is(s, t, "\xE2\x80\x9C") ||
            tok_text_is(s, t, "\xE2\x80\x98") || tok_text_is(s, t, ":") ||
            tok_text_is(s, t, "\xC2\xAB") || tok_text_is(s, t, "(") || tok_text_is(s, t, "-") ||
            tok_text_is(s, t, "\xE2\x80\x94") || tok_text_is(s, t, "\xE2\x80\x93"));
}

/* initial[i] = 1 for tokens in a sentence-initial position. */
static void mark_initial(const AnSentence *s, uint8_t *initial)
{
    int first_word_seen = 0;
    for (size_t i = 0; i < s->n_toks; i++) {
        const AnToken *t = &s->toks[i];
        initial[i] = 0;
        if (t->kind == TOK_PUNCT)
            continue;
        if (!first_word_seen) {
            initial[i] = 1;
            first_word_seen = 1;
        } else if (i > 0 && opens_clause(s, &s->toks[i - 1])) {
            initial[i] = 1;
        }
    }
}

/* Length of the folded word without a possessive ending. */
static uint32_t strip_possessive(const char *fold, uint32_t n, int *had)
{
    *had = 0;
    if (n > 2 && memcmp(fold + n - 2, "'s", 2) == 0) {
        *had = 1;
        return n - 2;
    }
    if (n > 4 && memcmp(fold + n - 4, "\xE2\x80\x99s", 4) == 0) {
        *had = 1;
        return n - 4;
    }
    return n;
}

/* A set of folded words that borrows its keys: the tokens' folded forms
 * live in the scratch arena for the whole analysis, so unlike a StrMap
 * nothing is copied or freed per word. */
typedef struct FoldSlot {
    const char *key; /* NULL: empty */
    uint32_t len;
    uint32_t val;    /* openers: FOLD_MIDCAP | FOLD_LOWER, how the word was written
                      * elsewhere; entities by name: the entity's index */
    uint64_t hash;
} FoldSlot;

enum { FOLD_MIDCAP = 1, FOLD_LOWER = 2 };

typedef struct FoldSet {
    Arena *a; /* where the slots live (the scratch arena: nothing to free) */
    FoldSlot *slots;
    size_t cap, count;
} FoldSet;

static FoldSlot *foldset_slot(FoldSlot *slots, size_t cap, const char *key, size_t n, uint64_t h)
{
    for (size_t i = (size_t)h & (cap - 1);; i = (i + 1) & (cap - 1)) {
        FoldSlot *e = &slots[i];
        if (!e->key || (e->hash == h && e->len == n && memcmp(e->key, key, n) == 0))
            return e;
    }
}

/* an_word_hash of a token's folded form, computed once by an_tokenize. */
static uint64_t tok_hash(const AnToken *t)
{
    return t->fold_hash ? t->fold_hash : an_word_hash(t->fold, t->fold_len);
}

/* The slot of key (n bytes, an_word_hash h), added (val 0) if new. */
static FoldSlot *foldset_add(FoldSet *fs, const char *key, size_t n, uint64_t h)
{
    if ((fs->count + 1) * 10 > fs->cap * 7) {
        size_t cap = fs->cap ? fs->cap * 2 : 64;
        FoldSlot *slots = ARENA_ARRAY(fs->a, FoldSlot, cap);
        for (size_t i = 0; i < fs->cap; i++)
            if (fs->slots[i].key)
                *foldset_slot(slots, cap, fs->slots[i].key, fs->slots[i].len, fs->slots[i].hash) = fs->slots[i];
        fs->slots = slots;
        fs->cap = cap;
    }
    FoldSlot *e = foldset_slot(fs->slots, fs->cap, key, n, h);
    if (!e->key) {
        *e = (FoldSlot){key, (uint32_t)n, 0, h};
        fs->count++;
    }
    return e;
}

/* Entities kept per document. Surname matching scans the entities found so
 * far, so the cap also keeps analysis linear in the length of the text. */
#define MAX_ENTITIES 400

static void add_entity_mention(AnDoc *ad, FoldSet *by_fold, const AnSentence *s, uint32_t sent,
                               size_t from, size_t to, int role)
{
    /* surface text of tokens [from, to) without a trailing possessive */
    const AnToken *first = &s->toks[from], *last = &s->toks[to - 1];
    int poss;
    uint32_t last_len = strip_possessive(s->text + last->start, last->len, &poss);
    size_t end = last->start + last_len;
    size_t start = first->start;
    uint32_t n_words = 0;
    for (size_t i = from; i < to; i++)
        n_words += s->toks[i].kind == TOK_WORD;

    uint32_t fl;
    const char *fold = an_fold(ad, s->text + start, end - start, &fl);
    if (fl == 0)
        return;

    long idx = -1;
    if (n_words == 1) {
        /* a bare surname counts for the most mentioned earlier full name */
        uint32_t best_count = 0;
        for (size_t e = 0; e < ad->n_entities; e++) {
            AnEntity *en = &ad->entities[e];
            if (en->n_words >= 2 && en->last_len == fl && memcmp(en->last, fold, fl) == 0 &&
                en->count + 1 > best_count) {
                best_count = en->count + 1;
                idx = (long)e;
            }
        }
    }
    uint64_t fold_hash = an_word_hash(fold, fl);
    if (idx < 0 && by_fold->cap) {
        const FoldSlot *me = foldset_slot(by_fold->slots, by_fold->cap, fold, fl, fold_hash);
        if (me->key)
            idx = (long)me->val;
    }
    if (idx < 0 && ad->n_entities >= MAX_ENTITIES)
        return; /* a document naming more is a list, not an article */
    if (idx < 0) {
        if (ad->n_entities == ad->cap_entities) {
            ad->cap_entities = ad->cap_entities ? ad->cap_entities * 2 : 32;
            ad->entities = xrealloc(ad->entities, ad->cap_entities * sizeof *ad->entities);
        }
        idx = (long)ad->n_entities++;
        AnEntity *en = &ad->entities[idx];
        memset(en, 0, sizeof *en);
        en->name = arena_strndup(ad->out, s->text + start, end - start);
        en->fold = fold;
        const char *sp = strrchr(fold, ' ');
        en->last = sp ? sp + 1 : fold;
        en->last_len = (uint32_t)(fl - (size_t)(en->last - fold));
        en->first_sentence = sent;
        en->n_words = n_words;
        foldset_add(by_fold, fold, fl, fold_hash)->val = (uint32_t)idx;
    }
    AnEntity *en = &ad->entities[idx];
    en->count++;
    if (role)
        en->role = 1;
    if (ad->n_mentions == ad->cap_mentions) {
        ad->cap_mentions = ad->cap_mentions ? ad->cap_mentions * 2 : 64;
        ad->mentions = xrealloc(ad->mentions, ad->cap_mentions * sizeof *ad->mentions);
    }
    ad->mentions[ad->n_mentions++] = (AnMention){(uint32_t)idx, sent, (uint32_t)start};
}

/* Decides which part of a capitalised run [from, to) is a name and adds it.
 * at_initial: the run starts in a sentence-initial position. */
/* The slot of token t's folded form, or NULL when the set lacks it. */
static FoldSlot *foldset_find(const FoldSet *fs, const AnToken *t)
{
    if (!fs->cap)
        return NULL;
    FoldSlot *e = foldset_slot(fs->slots, fs->cap, t->fold, t->fold_len, tok_hash(t));
    return e->key ? e : NULL;
}

/* How the word of token t was written elsewhere (FOLD_MIDCAP, FOLD_LOWER). */
static uint32_t openers_seen(const FoldSet *openers, const AnToken *t)
{
    const FoldSlot *e = foldset_find(openers, t);
    return e ? e->val : 0;
}

/* openers: the capitalised words in a sentence-initial position (the only
 * words take_name asks about), each marked with how it is written
 * elsewhere in the article. */
static void take_name(AnDoc *ad, FoldSet *by_fold, const FoldSet *openers, const AnSentence *s,
                      uint32_t sent, size_t from, size_t to, int at_initial, int role)
{
    /* drop leading stop/common words ("The Kremlin", "In Port Halden") and
     * trailing connectors */
    while (from < to) {
        const AnToken *t = &s->toks[from];
        if (t->kind != TOK_WORD) {
            from++;
            continue;
        }
        int weak = t->stop || in_list(t->fold, t->fold_len, common_words);
        if (!weak && at_initial && !t->all_caps) {
            /* an opener is a name only if it is capitalised mid-sentence
             * elsewhere, or is never written in lower case and opens a
             * longer run */
            uint32_t seen = openers_seen(openers, t);
            int mid = (seen & FOLD_MIDCAP) != 0;
            int seen_lower = (seen & FOLD_LOWER) != 0;
            int longer = to - from > 1;
            if (!mid && (seen_lower || !longer))
                weak = 1;
        }
        if (!weak)
            break;
        from++;
        at_initial = 0;
    }
    while (to > from && (s->toks[to - 1].kind != TOK_WORD ||
                         in_list(s->toks[to - 1].fold, s->toks[to - 1].fold_len, connectors)))
        to--;
    if (from >= to)
        return;
    size_t words = 0;
    for (size_t i = from; i < to; i++)
        words += s->toks[i].kind == TOK_WORD;
    if (words == 1) {
        const AnToken *t = &s->toks[from];
        int poss;
        uint32_t fl = strip_possessive(t->fold, t->fold_len, &poss);
        if (t->stop || in_list(t->fold, fl, common_words) || fl < 2)
            return;
    }
    add_entity_mention(ad, by_fold, s, sent, from, to, role);
}

void entities_find(AnDoc *ad)
{
    FoldSet by_fold = {.a = ad->scratch}; /* entity index by folded name */
    /* Only a capitalised word in a sentence-initial position needs to know
     * whether the same word is capitalised mid-sentence or written in lower
     * case elsewhere (take_name): those openers are collected first, and
     * the other words are only looked up among them. */
    FoldSet openers = {.a = ad->scratch};
    size_t total = 0;
    for (size_t si = 0; si < ad->n_sents; si++)
        total += ad->sents[si].n_toks;
    uint8_t *initial_all = arena_alloc(ad->scratch, total ? total : 1);

    /* pass 1: the openers */
    for (size_t si = 0, base = 0; si < ad->n_sents; base += ad->sents[si].n_toks, si++) {
        const AnSentence *s = &ad->sents[si];
        uint8_t *initial = initial_all + base;
        mark_initial(s, initial);
        for (size_t i = 0; i < s->n_toks; i++)
            if (initial[i] && is_cap_word(s, &s->toks[i]))
                foldset_add(&openers, s->toks[i].fold, s->toks[i].fold_len, tok_hash(&s->toks[i]));
    }
    /* which openers are capitalised mid-sentence, which in lower case */
    for (size_t si = 0, base = 0; openers.count && si < ad->n_sents; base += ad->sents[si].n_toks, si++) {
        const AnSentence *s = &ad->sents[si];
        const uint8_t *initial = initial_all + base;
        for (size_t i = 0; i < s->n_toks; i++) {
            const AnToken *t = &s->toks[i];
            if (t->kind != TOK_WORD)
                continue;
            uint32_t how;
            if (is_cap_word(s, t)) {
                if (initial[i])
                    continue;
                how = FOLD_MIDCAP;
            } else {
                how = FOLD_LOWER;
            }
            FoldSlot *e = foldset_find(&openers, t);
            if (e)
                e->val |= how;
        }
    }

    /* pass 2: runs of capitalised words */
    for (size_t si = 0, base = 0; si < ad->n_sents; base += ad->sents[si].n_toks, si++) {
        const AnSentence *s = &ad->sents[si];
        const uint8_t *initial = initial_all + base;
        size_t i = 0;
        while (i < s->n_toks) {
            if (!is_cap_word(s, &s->toks[i])) {
                i++;
                continue;
            }
            size_t start = i, j = i;
            int at_initial = initial[i];
            int role = 0;
            while (j < s->n_toks) {
                const AnToken *t = &s->toks[j];
                if (is_cap_word(s, t)) {
                    if (an_is_honorific(t->fold, t->fold_len) && !t->all_caps) {
                        /* a title ends the name before it and marks the next */
                        if (j > start)
                            take_name(ad, &by_fold, &openers, s, (uint32_t)si, start, j, at_initial, role);
                        j++;
                        if (j < s->n_toks && tok_text_is(s, &s->toks[j], ".") &&
                            s->toks[j].start == t->start + t->len)
                            j++; /* "Mr." */
                        start = j;
                        at_initial = 0;
                        role = 1;
                        continue;
                    }
                    int poss;
                    strip_possessive(t->fold, t->fold_len, &poss);
                    j++;
                    if (poss)
                        break;
                    /* an initial: "John F. Kennedy" */
                    if (t->len == 1 && j + 1 < s->n_toks && tok_text_is(s, &s->toks[j], ".") &&
                        is_cap_word(s, &s->toks[j + 1]))
                        j++;
                    continue;
                }
                /* "Inspector Karen Holt of the Art Unit": after a titled
                 * full name, "of" starts the organisation, not the name */
                int titled_name = role && j - start >= 2 &&
                                  ((t->fold_len == 2 && memcmp(t->fold, "of", 2) == 0) ||
                                   (t->fold_len == 3 && memcmp(t->fold, "the", 3) == 0));
                if (t->kind == TOK_WORD && j > start && !titled_name &&
                    in_list(t->fold, t->fold_len, connectors)) {
                    size_t k = j;
                    while (k < s->n_toks && k < j + 2 && s->toks[k].kind == TOK_WORD &&
                           in_list(s->toks[k].fold, s->toks[k].fold_len, connectors))
                        k++;
                    if (k < s->n_toks && is_cap_word(s, &s->toks[k]) &&
                        !an_is_honorific(s->toks[k].fold, s->toks[k].fold_len)) {
                        j = k;
                        continue;
                    }
                }
                break;
            }
            if (j > start)
                take_name(ad, &by_fold, &openers, s, (uint32_t)si, start, j, at_initial, role);
            i = j > i ? j : i + 1;
        }
    }

    /* who looks like a person */
    for (size_t e = 0; e < ad->n_entities; e++) {
        AnEntity *en = &ad->entities[e];
        const char *first_end = strchr(en->fold, ' ');
        size_t first_len = first_end ? (size_t)(first_end - en->fold) : strlen(en->fold);
        int orgish = in_list(en->last, en->last_len, org_last_words) ||
                     in_list(en->fold, first_len, place_first_words);
        int has_connector = 0;
        for (const char *p = en->fold; (p = strchr(p, ' ')) != NULL; p++) {
            const char *q = p + 1;
            const char *r = strchr(q, ' ');
            size_t wl = r ? (size_t)(r - q) : strlen(q);
            if (strncmp(q, "of", wl) == 0 && wl == 2)
                has_connector = 1;
            if (strncmp(q, "the", wl) == 0 && wl == 3)
                has_connector = 1;
        }
        int caps = 0;
        for (const char *p = en->name; *p; p++)
            caps += (*p >= 'A' && *p <= 'Z');
        int acronym = caps >= 2 && en->n_words == 1;
        en->person = !orgish && !acronym &&
                     (en->role || (en->n_words >= 2 && en->n_words <= 4 && !has_connector));
    }


}

int entities_match(AnDoc *ad, const char *fold, size_t n)
{
    for (size_t e = 0; e < ad->n_entities; e++)
        if (strlen(ad->entities[e].fold) == n && memcmp(ad->entities[e].fold, fold, n) == 0)
            return (int)e;
    /* a surname: the most mentioned multi-word entity ending with it, a
     * person if there is one */
    int best = -1;
    uint32_t best_score = 0;
    for (size_t e = 0; e < ad->n_entities; e++) {
        AnEntity *en = &ad->entities[e];
        if (en->n_words >= 2 && en->last_len == n && memcmp(en->last, fold, n) == 0) {
            uint32_t score = en->count + (en->person ? 1000 : 0);
            if (score > best_score)
                best_score = score, best = (int)e;
        }
    }
    return best;
}

typedef struct EntityOrder {
    uint32_t count, first, index;
} EntityOrder;

static int cmp_entity_order(const void *a, const void *b)
{
    const EntityOrder *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

static int cmp_term_id(const void *a, const void *b)
{
    const Term *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

void entities_emit(AnDoc *ad, Doc *out)
{
    size_t n = ad->n_entities;
    out->n_entities = n;
    out->entities = ARENA_ARRAY(ad->out, DocEntity, n ? n : 1);
    if (n == 0)
        return;
    EntityOrder *order = xmalloc(n * sizeof *order);
    for (size_t e = 0; e < n; e++) {
        const AnEntity *en = &ad->entities[e];
        /* the first mention, not the first sentence of a merged surname */
        order[e] = (EntityOrder){en->count, en->first_sentence, (uint32_t)e};
    }
    qsort(order, n, sizeof *order, cmp_entity_order);
    Term *terms = ARENA_ARRAY(ad->out, Term, n);
    Buf key = {0};
    for (size_t k = 0; k < n; k++) {
        const AnEntity *en = &ad->entities[order[k].index];
        buf_reset(&key);
        buf_puts(&key, "e:");
        buf_puts(&key, en->fold);
        uint32_t id = term_id(key.data, key.len);
        out->entities[k] = (DocEntity){en->name, id, en->count, en->first_sentence, en->person};
        terms[k] = (Term){id, (float)en->count};
    }
    buf_free(&key);
    free(order);
    /* entity_terms: sorted by id, a (rare) hash collision merged */
    qsort(terms, n, sizeof *terms, cmp_term_id);
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        if (m > 0 && terms[m - 1].id == terms[k].id)
            terms[m - 1].weight += terms[k].weight;
        else
            terms[m++] = terms[k];
    }
    out->entity_terms = (TermVec){terms, (uint32_t)m};
}
