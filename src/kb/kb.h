/* kb.h - the knowledge base: one-line descriptions of people, places and
 * organisations, each with the source it comes from, for the background
 * lines of a story page.
 *
 * Three kinds of source fill it (docs/knowledge-base.md):
 *   - WordNet (Debian's wordnet-base, data.noun): proper-noun instance
 *     synsets of the person, location and group lexicographer files, with
 *     their first gloss clause ("capital and largest city of the Ukraine")
 *     and the place they are part of (#p holonyms);
 *   - the GNOME weather locations list (Debian's libgweather-4-common,
 *     Locations.xml): countries with their continent, regions and cities
 *     with their country ("a city in Ukraine");
 *   - user files in TSV or JSONL (name, aliases, kind, description, source,
 *     url), e.g. built from a Wikipedia dump. A user entry for a name hides
 *     every built-in entry for that name.
 *
 * Names are matched after folding (case, diacritics), with apostrophes
 * and dots dropped and '_' and '-' read as spaces, so "L'viv", "Lviv" and
 * "lviv" meet. A Kb owns all its memory; once loaded it is read-only and
 * may be shared between threads. */
#ifndef SW_KB_H
#define SW_KB_H

#include <stddef.h>
#include <stdint.h>

#include "../core/arena.h"
#include "../core/buf.h"
#include "../core/err.h"

typedef enum KbKind { KB_OTHER = 0, KB_PERSON, KB_PLACE, KB_ORG } KbKind;

typedef enum KbOrigin { KB_ORIGIN_USER = 0, KB_ORIGIN_WORDNET, KB_ORIGIN_GEO } KbOrigin;

enum {
    KB_COUNTRY = 1,  /* a sovereign country or territory (a place) */
    KB_CAPITAL = 2,  /* a capital city: preferred over a homonym without context */
    KB_HISTORIC = 4, /* "a former empire ...": never the subject of today's news */
};

typedef struct KbEntry {
    const char *name;        /* canonical name, "Kiev" */
    KbKind kind;
    KbOrigin origin;
    int flags;               /* KB_* */
    int died;                /* year of death for a person when known, else 0 */
    /* Built-in entries hold a predicate that follows "<name> is ": "the
     * capital and largest city of the Ukraine", "a city in Ukraine". User
     * entries hold a whole sentence, used as written. */
    const char *description;
    int is_sentence;
    const char *country;     /* the country a place lies in, when known */
    const char *region;      /* the state or region within it ("California"), when known */
    const char *source;      /* "WordNet", "Wikipedia", ... */
    const char *url;         /* may be NULL */
} KbEntry;

typedef struct Kb Kb;

Kb *kb_new(void);
void kb_free(Kb *kb);

/* Loads WordNet's noun data file (…/data.noun). Fails when the file cannot
 * be read; a line that does not parse is skipped (WordNet's own files are
 * trusted, and a damaged one should not cost the whole source). */
int kb_load_wordnet(Kb *kb, const char *data_noun_path, SwErr *err);

/* Loads libgweather's Locations.xml. Fails when it cannot be read or is
 * not XML. */
int kb_load_geo(Kb *kb, const char *locations_xml_path, SwErr *err);

/* Loads a user file: JSONL when the first non-blank character is '{',
 * else TSV (docs/knowledge-base.md). A malformed line is skipped and noted
 * as a warning "FILE:LINE: what" (kb_warning); the rest loads. Fails only
 * when the file cannot be read. Entries keep their file order. */
int kb_load_user(Kb *kb, const char *path, SwErr *err);

/* Adds one entry (copied). aliases may be NULL. Used by the loaders and by
 * tests. Returns its index. */
size_t kb_add(Kb *kb, const KbEntry *e, const char *const *aliases, size_t n_aliases);

size_t kb_count(const Kb *kb);
/* Warnings from loading (malformed user lines, missing default files);
 * the first KB_MAX_WARNINGS are kept, all are counted. */
#define KB_MAX_WARNINGS 100
size_t kb_warning_count(const Kb *kb);
const char *kb_warning(const Kb *kb, size_t i);

/* The entries for a name (any alias), user entries first, up to max;
 * returns how many there are in all. */
size_t kb_find(const Kb *kb, const char *name, size_t n, const KbEntry **out, size_t max);

/* Common words: one-word names that are also ordinary lower-case nouns
 * ("Union", "Capital", "Green") are never linked on their own, since in
 * news they are as likely to be a shortened name of something else.
 * The WordNet loader fills the list; tests may add words. */
void kb_add_common_word(Kb *kb, const char *word, size_t n);
int kb_is_common_word(const Kb *kb, const char *name, size_t n);

/* 1 when some entry for this name is a country. */
int kb_is_country(const Kb *kb, const char *name, size_t n);

/* The matching key of a name: folded, apostrophes and dots dropped, '_'
 * and '-' as spaces, spaces collapsed. Appends to out. */
void kb_key(Buf *out, const char *name, size_t n);

/* ---- the process-wide knowledge base ---- */

/* Default places of the built-in sources. */
#define KB_WORDNET_DEFAULT "/usr/share/wordnet/data.noun"
#define KB_GEO_DEFAULT "/usr/share/libgweather-4/Locations.xml"

/* Adds a user file to load (before the first kb_shared call; --kb FILE).
 * $STORYWIRE_KB (files separated by ':') is read too. $STORYWIRE_WORDNET
 * and $STORYWIRE_LOCATIONS replace the default paths; set to "" they turn
 * that source off. */
void kb_config_add_file(const char *path);

/* The knowledge base built from the configuration, loaded on first use
 * (once per process, thread-safe). Never NULL: sources that fail to load
 * are left out with a warning. */
const Kb *kb_shared(void);

/* ---- entity linking (kb_link.c) ---- */

typedef struct KbContext {
    const char *const *countries; /* canonical names of the countries the story names */
    size_t n_countries;
    const char *const *names;     /* every name the story mentions (for regions) */
    size_t n_names;
    int year;                     /* the story's year, 0 = unknown */
} KbContext;

/* Picks the entry that a story's mention of `name` refers to, or NULL when
 * there is none or it is ambiguous. User entries are preferred, then
 * WordNet, then the locations list. Among homonyms, one whose country is
 * a country of the story wins; without that, a capital wins over towns,
 * and a country over namesakes that lie in no other country; otherwise
 * the name is skipped. Built-in entries are held to more: a place other
 * than a country or capital must lie in a country the story names (and
 * in its region, "California", when the entry has one), else a later
 * source may still give it as a capital; a person needs a name of two
 * words or more; a one-word common noun ("Union") links only to a country
 * the locations list confirms. A user entry is trusted as it is, except a
 * place whose entry gives a country: that country must be one of the
 * story's. Historic entries ("a former empire") and people who died
 * before the story are never picked. ctx may be NULL (no context). */
const KbEntry *kb_link(const Kb *kb, const char *name, const KbContext *ctx);

/* The background sentence for an entry as mentioned by `name`:
 * "Kyiv is the capital and largest city of the Ukraine." (arena). */
const char *kb_sentence(Arena *a, const KbEntry *e, const char *name);

#endif
