/* kb_link.c - which knowledge-base entry a story's name refers to.
 *
 * A wrong background line is worse than none, so linking refuses rather
 * than guesses:
 *   - a user entry for the name hides the built-in ones;
 *   - historic entries and people who died before the story are out;
 *   - sources are tried in order (user, WordNet, locations); within a
 *     source, one candidate is taken as it is, several are narrowed to the
 *     ones set in the story's countries (their country, or a story country
 *     named in their description), and failing that to a single capital
 *     or country; a source still left with several candidates is ambiguous
 *     and the name gets no line at all (the country wins when its
 *     namesakes lie in no other country: "China", "Jordan");
 *   - a candidate from a source with context wins over one without;
 *   - built-in entries are held to more (the user's file is trusted): a
 *     town or region must lie in a country the story names, and in the
 *     region it names when the entry has one (an invented "Riverside" in a
 *     story that names the United States must not become California's), a person needs a full
 *     name (a bare "Blake" is anyone), and a one-word common noun
 *     ("Union", "Capital", "Green") links only to a confirmed country. */
#include <stdio.h>
#include <string.h>

#include "kb_internal.h"

#define MAX_CANDS 64

static int same_key(const char *a, const char *b)
{
    Buf x = {0}, y = {0};
    kb_key(&x, a, strlen(a));
    kb_key(&y, b, strlen(b));
    int same = x.len == y.len && memcmp(buf_cstr(&x), buf_cstr(&y), x.len) == 0;
    buf_free(&x);
    buf_free(&y);
    return same;
}

static int is_word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (unsigned char)c >= 0x80;
}

static int mentions(const char *text, const char *word)
{
    size_t n = strlen(word);
    if (n < 3)
        return 0;
    for (const char *p = strstr(text, word); p; p = strstr(p + 1, word))
        if ((p == text || !is_word_char(p[-1])) && !is_word_char(p[n]))
            return 1;
    return 0;
}

static int story_names(const KbContext *ctx, const char *name)
{
    for (size_t i = 0; ctx && i < ctx->n_names; i++)
        if (same_key(ctx->names[i], name))
            return 1;
    return 0;
}

/* Set in the story's countries: its country (or itself) is one of them,
 * or its description names one; and a place with a region (a US state)
 * needs the story to name that region too. */
static int in_story_country(const KbEntry *e, const KbContext *ctx)
{
    if (!ctx)
        return 0;
    if (e->region && !story_names(ctx, e->region))
        return 0;
    for (size_t i = 0; i < ctx->n_countries; i++) {
        const char *c = ctx->countries[i];
        if (e->country && same_key(e->country, c))
            return 1;
        if (same_key(e->name, c))
            return 1;
        if (mentions(e->description, c))
            return 1;
    }
    return 0;
}

static int usable(const KbEntry *e, const char *name, const KbContext *ctx)
{
    if (e->flags & KB_HISTORIC)
        return 0;
    /* a bare surname matches too many people: built-in people need a full name */
    if (e->kind == KB_PERSON && e->origin != KB_ORIGIN_USER && !strchr(name, ' '))
        return 0;
    if (e->kind == KB_PERSON && e->died && (!ctx || !ctx->year || e->died < ctx->year - 1))
        return 0;
    return 1;
}

typedef struct Pick {
    const KbEntry *entry;
    int matched;   /* set in a story country */
    int ambiguous;
} Pick;

static Pick pick(const KbEntry *const *c, size_t n, const KbContext *ctx)
{
    Pick p = {0};
    if (n == 0)
        return p;
    size_t matched = 0, capitals = 0;
    const KbEntry *m = NULL, *cap = NULL;
    for (size_t i = 0; i < n; i++) {
        if (in_story_country(c[i], ctx))
            matched++, m = c[i];
        if (c[i]->flags & KB_CAPITAL)
            capitals++, cap = c[i];
    }
    if (matched == 1)
        return (Pick){m, 1, 0};
    if (matched > 1) {
        p.ambiguous = 1;
        return p;
    }
    if (n == 1)
        return (Pick){c[0], 0, 0};
    if (capitals == 1)
        return (Pick){cap, 0, 0};
    /* one country among things that lie in no other country ("China" the
     * republic and the Taiwanese government; "Jordan" and its river): the
     * country. Not "Georgia", whose namesake is a state of another country. */
    const KbEntry *country = NULL;
    int countries = 0, elsewhere = 0;
    for (size_t i = 0; i < n; i++)
        if (c[i]->flags & KB_COUNTRY)
            countries++, country = c[i];
    for (size_t i = 0; i < n && country; i++)
        if (c[i] != country && c[i]->country && !same_key(c[i]->country, country->name))
            elsewhere = 1;
    if (countries == 1 && !elsewhere)
        return (Pick){country, 0, 0};
    p.ambiguous = 1;
    return p;
}

/* 1 when the locations list knows the name as a country ("Turkey",
 * "Chad"): then a common word is still safe to read as the country. */
static int confirmed_country(const KbEntry *const *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (c[i]->origin == KB_ORIGIN_GEO && (c[i]->flags & KB_COUNTRY))
            return 1;
    return 0;
}

const KbEntry *kb_link(const Kb *kb, const char *name, const KbContext *ctx)
{
    if (!kb || !name || !*name)
        return NULL;
    const KbEntry *found[MAX_CANDS];
    size_t total = kb_find(kb, name, strlen(name), found, MAX_CANDS);
    if (total == 0)
        return NULL;
    if (total > MAX_CANDS)
        return NULL; /* a name this common is not one thing */
    int has_user = found[0]->origin == KB_ORIGIN_USER;
    int common = !has_user && kb_is_common_word(kb, name, strlen(name));
    Pick picks[3] = {{0}};
    for (int o = 0; o < 3; o++) {
        if (has_user && o != KB_ORIGIN_USER)
            continue;
        const KbEntry *c[MAX_CANDS];
        size_t n = 0;
        for (size_t i = 0; i < total; i++)
            if ((int)found[i]->origin == o && usable(found[i], name, ctx))
                c[n++] = found[i];
        picks[o] = pick(c, n, ctx);
    }
    for (int o = 0; o < 3; o++)
        if (picks[o].entry && picks[o].matched) {
            if (common && o != KB_ORIGIN_USER && !confirmed_country(found, total))
                return NULL;
            return picks[o].entry;
        }
    for (int o = 0; o < 3; o++) {
        if (picks[o].ambiguous)
            return NULL;
        const KbEntry *e = picks[o].entry;
        if (!e)
            continue;
        /* the user's lines are trusted, except a town whose file gives its
         * country (a file built from an encyclopedia has many namesakes) */
        if (e->origin == KB_ORIGIN_USER &&
            !(e->kind == KB_PLACE && e->country && !(e->flags & (KB_COUNTRY | KB_CAPITAL))))
            return e;
        if (e->origin == KB_ORIGIN_USER)
            return NULL;
        if (common && !confirmed_country(found, total))
            return NULL;
        /* a town or region the story does not place in a country it names
         * may be a namesake (an invented "Riverside" is not California's);
         * a later source may still know the name as a capital ("Moscow") */
        if (e->kind == KB_PLACE && !(e->flags & (KB_COUNTRY | KB_CAPITAL)))
            continue;
        return e;
    }
    return NULL;
}

/* Organisations whose names read with "the": "the European Union", "the
 * Red Cross", "the EU"; not "NATO", "Hamas", "Alcoholics Anonymous". */
static int org_takes_the(const char *name)
{
    static const char *const heads[] = {"Union", "Nations", "Cross", "Commission", "Army", "Council",
                                        "Bank", "Party", "Organization", "Organisation", "Agency",
                                        "Fund", "Court", "Parliament", "Company", "Committee", "Office",
                                        "Department", "Ministry", "Service", "Forces", "Movement", "Front",
                                        "Institute", "Assembly", "Community", "Market", "Brigades",
                                        "Congress", "Senate", "Church", "Federation", "Alliance", NULL};
    if (strcmp(name, "EU") == 0 || strcmp(name, "UN") == 0)
        return 1;
    const char *last = strrchr(name, ' ');
    if (!last)
        return 0;
    for (size_t i = 0; heads[i]; i++)
        if (strcmp(last + 1, heads[i]) == 0)
            return 1;
    return 0;
}

const char *kb_sentence(Arena *a, const KbEntry *e, const char *name)
{
    if (e->is_sentence) {
        size_t n = strlen(e->description);
        char last = n ? e->description[n - 1] : '.';
        return last == '.' || last == '!' || last == '?' || last == '"' ? arena_strdup(a, e->description)
                                                                          : arena_printf(a, "%s.", e->description);
    }
    const char *subject = name && *name ? name : e->name;
    if (e->flags & KB_COUNTRY) {
        const char *phrase = kb_country_phrase(a, subject);
        if (phrase != subject) /* "the United States" opens the sentence */
            subject = arena_printf(a, "The %s", subject);
    } else if (e->kind == KB_ORG && org_takes_the(subject) && strncmp(subject, "The ", 4) != 0) {
        subject = arena_printf(a, "The %s", subject);
    }
    return arena_printf(a, "%s is %s.", subject, e->description);
}
