/* kb_geo.c - countries, regions and cities from libgweather's
 * Locations.xml (Debian's libgweather-4-common).
 *
 * The file nests region > country > [state] > city, each opening with its
 * English <_name>; <location> elements are weather stations (airports) and
 * are not places people write about. Translator comments mark capitals
 * ("The capital of Ukraine"), which is the only fact taken from a comment.
 * Lines made: "Ukraine is a country in Europe.", "Florida is a region of
 * the United States.", "Lviv is a city in Ukraine.", "Kyiv is the capital
 * of Ukraine." It is read with libxml2's streaming reader: no tree is
 * built, and a 1.7 MB file loads in a few milliseconds. */
#include "../extract/xml_api.h"
#include <stdio.h>
#include <string.h>

#include "kb_internal.h"

#define GEO_SOURCE "the GNOME locations database"

enum { G_NONE, G_REGION, G_COUNTRY, G_STATE, G_CITY, G_OTHER };

typedef struct GeoState {
    Kb *kb;
    Arena scratch;
    char region[128], country[128], state[128];
    int capital;       /* the current city's comment says it is a capital */
    int stack[32];     /* element kinds by depth */
    int depth;
} GeoState;

static int kind_of(const char *tag)
{
    if (strcmp(tag, "region") == 0)
        return G_REGION;
    if (strcmp(tag, "country") == 0)
        return G_COUNTRY;
    if (strcmp(tag, "state") == 0)
        return G_STATE;
    if (strcmp(tag, "city") == 0)
        return G_CITY;
    return G_OTHER;
}

/* "Congo, Democratic Republic of the" -> "Democratic Republic of the Congo" */
static void natural_name(const char *s, char *out, size_t n)
{
    const char *comma = strstr(s, ", ");
    if (comma && !strchr(comma + 2, ','))
        snprintf(out, n, "%s %.*s", comma + 2, (int)(comma - s), s);
    else
        snprintf(out, n, "%s", s);
}

static const char *region_phrase(Arena *a, const char *r)
{
    if (strcmp(r, "Middle East") == 0 || strcmp(r, "Atlantic") == 0)
        return arena_printf(a, "the %s", r);
    return r;
}

static void add_place(GeoState *g, int kind, const char *raw)
{
    char name[128];
    natural_name(raw, name, sizeof name);
    KbEntry e = {.name = name, .kind = KB_PLACE, .origin = KB_ORIGIN_GEO, .source = GEO_SOURCE};
    Arena *a = &g->scratch;
    if (kind == G_COUNTRY) {
        snprintf(g->country, sizeof g->country, "%s", name);
        g->state[0] = '\0';
        e.flags = KB_COUNTRY;
        e.country = name;
        e.description = g->region[0] ? arena_printf(a, "a country in %s", region_phrase(a, g->region))
                                     : "a country";
    } else if (kind == G_STATE) {
        snprintf(g->state, sizeof g->state, "%s", name);
        e.country = g->country;
        e.description = arena_printf(a, "a region of %s", kb_country_phrase(a, g->country));
    } else {
        e.country = g->country;
        if (g->capital) {
            e.flags = KB_CAPITAL;
            e.description = arena_printf(a, "the capital of %s", kb_country_phrase(a, g->country));
        } else if (g->state[0] && strcmp(g->state, name) != 0) {
            e.region = g->state;
            e.description = arena_printf(a, "a city in %s, %s", g->state, g->country);
        } else {
            e.description = arena_printf(a, "a city in %s", kb_country_phrase(a, g->country));
        }
    }
    if (!g->country[0] && kind != G_COUNTRY)
        return; /* a place in no country (the time zone entries) */
    const char *alias[1] = {raw};
    kb_add(g->kb, &e, alias, strcmp(raw, name) != 0);
}

int kb_load_geo(Kb *kb, const char *path, SwErr *err)
{
    xmlTextReaderPtr r = xmlReaderForFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
    if (!r)
        return sw_err(err, "%s: cannot open or not XML", path);
    GeoState g = {.kb = kb};
    int rc, bad = 0;
    size_t before = kb->n;
    while ((rc = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);
        int depth = xmlTextReaderDepth(r);
        if (depth < 0 || depth >= 32)
            continue;
        if (type == XML_READER_TYPE_ELEMENT) {
            const char *tag = (const char *)xmlTextReaderConstLocalName(r);
            int k = tag ? kind_of(tag) : G_OTHER;
            g.stack[depth] = k;
            g.depth = depth;
            if (k == G_CITY)
                g.capital = 0;
            if (k == G_COUNTRY)
                g.country[0] = g.state[0] = '\0';
            if (k == G_STATE)
                g.state[0] = '\0';
            if (tag && strcmp(tag, "_name") == 0 && depth > 0) {
                int parent = g.stack[depth - 1];
                xmlChar *text = xmlTextReaderReadString(r);
                if (text && *text && strlen((char *)text) < 120) {
                    if (parent == G_REGION)
                        snprintf(g.region, sizeof g.region, "%s", (char *)text);
                    else if (parent == G_COUNTRY || parent == G_STATE || parent == G_CITY)
                        add_place(&g, parent, (const char *)text);
                }
                xmlFree(text);
            }
        } else if (type == XML_READER_TYPE_COMMENT && depth > 0 && g.stack[depth - 1] == G_CITY) {
            const char *c = (const char *)xmlTextReaderConstValue(r);
            while (c && (*c == ' ' || *c == '\n'))
                c++;
            if (c && strncmp(c, "The capital of", 14) == 0)
                g.capital = 1;
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            int k = g.stack[depth];
            if (k == G_STATE)
                g.state[0] = '\0';
            else if (k == G_COUNTRY)
                g.country[0] = g.state[0] = '\0';
        }
    }
    if (rc < 0)
        bad = 1;
    xmlFreeTextReader(r);
    arena_free(&g.scratch);
    if (bad && kb->n == before)
        return sw_err(err, "%s: not a valid locations file", path);
    if (bad)
        kb_warn(kb, "%s: XML error after %zu places; the rest is left out", path, kb->n - before);
    return 0;
}
