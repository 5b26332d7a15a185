/* kb_internal.h - what the knowledge base's loaders share (kb.c,
 * kb_wordnet.c, kb_geo.c, kb_link.c); not part of the module's contract. */
#ifndef SW_KB_INTERNAL_H
#define SW_KB_INTERNAL_H

#include "../core/map.h"
#include "kb.h"

typedef struct KbLink {
    uint32_t entry;
    int32_t next; /* next link of the same key, -1 ends */
} KbLink;

struct Kb {
    Arena a;            /* every string of every entry */
    KbEntry *e;
    size_t n, cap;
    StrMap index;       /* key -> 1 + first link */
    KbLink *links;
    size_t n_links, cap_links;
    IntMap common;      /* hash64 of keys of lower-case one-word nouns ("union", "green") */
    char **warnings;    /* the first KB_MAX_WARNINGS, heap */
    size_t n_warnings, n_warnings_kept;
};


/* Records a warning (formatted). */
void kb_warn(Kb *kb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "the United States", "Ukraine": a country name as it reads in a sentence. */
const char *kb_country_phrase(Arena *a, const char *country);

#endif
