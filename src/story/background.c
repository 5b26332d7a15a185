/* background.c - the story's main entities, linked to the knowledge base
 * (see background.h). */
#include "background.h"

#include <stdlib.h>
#include <string.h>

#include "../core/map.h"
#include "../core/timeutil.h"

#define MAX_ENTITIES 400   /* distinct names considered */
#define MAX_TRIED 20       /* names linked at most, best ranked first */
#define MAX_COUNTRIES 16

typedef struct StoryEntity {
    const char *name;      /* the surface form with the most mentions */
    uint32_t best_count;
    int members;           /* members that mention it */
    int last_member;
    uint32_t mentions;
} StoryEntity;

static int cmp_entity(const void *pa, const void *pb)
{
    const StoryEntity *a = pa, *b = pb;
    if (a->members != b->members)
        return a->members > b->members ? -1 : 1;
    if (a->mentions != b->mentions)
        return a->mentions > b->mentions ? -1 : 1;
    return strcmp(a->name, b->name);
}

static const char *kind_name(KbKind k)
{
    switch (k) {
    case KB_PERSON: return "person";
    case KB_PLACE: return "place";
    case KB_ORG: return "organisation";
    default: return "other";
    }
}

static int story_year(const WriterInput *in)
{
    int64_t t = 0;
    for (size_t m = 0; m < in->n_members; m++) {
        const Article *art = in->members[m].doc->article;
        if (art && art->published > t)
            t = art->published;
    }
    if (!t)
        t = in->now;
    if (t <= 0)
        return 0;
    int y;
    unsigned mo, d;
    time_civil_from_days(t / 86400, &y, &mo, &d);
    return y;
}

/* The country an entity names, when it is one: its knowledge-base name. */
static const char *country_named(const Kb *kb, const char *name)
{
    const KbEntry *found[16];
    size_t n = kb_find(kb, name, strlen(name), found, 16);
    for (size_t i = 0; i < n && i < 16; i++)
        if ((found[i]->flags & KB_COUNTRY) && found[i]->country)
            return found[i]->country;
    return NULL;
}

size_t page_background(Arena *a, const WriterInput *in, size_t max, PageBackground **out)
{
    *out = NULL;
    if (!in || !in->kb || !in->n_members || !max)
        return 0;
    const Kb *kb = in->kb;

    /* gather: one StoryEntity per matching key */
    StrMap by_key = {0};
    StoryEntity *ents = ARENA_ARRAY(a, StoryEntity, MAX_ENTITIES);
    size_t n = 0;
    Buf key = {0};
    for (size_t m = 0; m < in->n_members; m++) {
        const Doc *d = in->members[m].doc;
        for (size_t i = 0; i < d->n_entities; i++) {
            const DocEntity *de = &d->entities[i];
            if (!de->name || !de->name[0])
                continue;
            buf_reset(&key);
            kb_key(&key, de->name, strlen(de->name));
            if (!key.len)
                continue;
            int created;
            if (n == MAX_ENTITIES && !strmap_get(&by_key, key.data, key.len))
                continue;
            StrMapEntry *me = strmap_put(&by_key, key.data, key.len, &created);
            if (created) {
                me->val.num = (int64_t)n;
                ents[n++] = (StoryEntity){de->name, de->count, 0, -1, 0};
            }
            StoryEntity *se = &ents[me->val.num];
            if (se->last_member != (int)m) {
                se->members++;
                se->last_member = (int)m;
            }
            se->mentions += de->count;
            if (de->count > se->best_count)
                se->best_count = de->count, se->name = de->name;
        }
    }
    buf_free(&key);
    strmap_free(&by_key);
    qsort(ents, n, sizeof *ents, cmp_entity);

    /* context: the countries the story names */
    const char *countries[MAX_COUNTRIES];
    size_t n_countries = 0;
    for (size_t i = 0; i < n && i < 60 && n_countries < MAX_COUNTRIES; i++) {
        const char *c = country_named(kb, ents[i].name);
        int seen = 0;
        for (size_t k = 0; c && k < n_countries; k++)
            seen |= strcmp(countries[k], c) == 0;
        if (c && !seen)
            countries[n_countries++] = c;
    }
    size_t n_names = n < 200 ? n : 200;
    const char **names_all = ARENA_ARRAY(a, const char *, n_names ? n_names : 1);
    for (size_t i = 0; i < n_names; i++)
        names_all[i] = ents[i].name;
    KbContext ctx = {countries, n_countries, names_all, n_names, story_year(in)};

    /* main entities: in at least two members when the story has three or more */
    int min_members = in->n_members >= 3 ? 2 : 1;
    const KbEntry **linked = ARENA_ARRAY(a, const KbEntry *, MAX_TRIED);
    const char **names = ARENA_ARRAY(a, const char *, MAX_TRIED);
    size_t n_linked = 0;
    for (size_t i = 0; i < n && n_linked < MAX_TRIED && i < MAX_TRIED * 2; i++) {
        if (ents[i].members < min_members)
            break;
        const KbEntry *e = kb_link(kb, ents[i].name, &ctx);
        if (!e)
            continue;
        int dup = 0;
        for (size_t k = 0; k < n_linked; k++)
            dup |= linked[k] == e;
        if (dup)
            continue;
        linked[n_linked] = e;
        names[n_linked++] = ents[i].name;
    }

    PageBackground *bg = ARENA_ARRAY(a, PageBackground, max);
    size_t k = 0;
    for (int pass = 0; pass < 2 && k < max; pass++)
        for (size_t i = 0; i < n_linked && k < max; i++) {
            int country = (linked[i]->flags & KB_COUNTRY) != 0;
            if (country != (pass == 1))
                continue;
            const KbEntry *e = linked[i];
            bg[k++] = (PageBackground){
                .name = arena_strdup(a, names[i]),
                .kind = kind_name(e->kind),
                .text = kb_sentence(a, e, names[i]),
                .attribution = arena_strdup(a, e->source),
                .url = arena_strdup(a, e->url),
            };
        }
    *out = bg;
    return k;
}
