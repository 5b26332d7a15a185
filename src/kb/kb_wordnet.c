/* kb_wordnet.c - proper nouns from WordNet 3.0's data.noun.
 *
 * A data line is "offset lexfile n w_cnt word lex_id ... p_cnt pointers |
 * gloss". The entries taken are instance synsets (an "@i" pointer: one
 * particular thing, not a class) of four lexicographer files: 18 people,
 * 15 places, 17 natural objects (continents, seas, rivers), 14 groups
 * (organisations), named by at least one capitalised
 * lemma. The description is the gloss's first clause with an article in
 * front ("capital and largest city of the Ukraine" -> "the capital ...",
 * "Russian statesman ..." -> "a Russian statesman ..."). Structure adds
 * what disambiguation needs: the place a place is part of (#p holonyms,
 * followed up to the country; the first one below the country is its
 * region), whether it is a country (its class is a
 * kind of "country" or "nation"), a capital, historic ("a former empire",
 * mythology) or a person who has died (the "(1835-1910)" at a gloss's end).
 *
 * The file (15 MB) is read whole and scanned twice: classes first (which
 * synsets are country classes), then instances; lines of other lexicographer
 * files are skipped after their first few bytes. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../core/fileio.h"
#include "kb_internal.h"

#define WN_MAX_BYTES (64u << 20)
#define WN_SOURCE "WordNet"
#define WN_URL "https://wordnet.princeton.edu/"

typedef struct WnSyn {
    uint32_t offset;
    uint32_t holonym; /* first #p pointer, 0 = none */
    uint32_t entry;   /* index into kb->e */
    int is_country;
} WnSyn;

/* Fields of one data line, pointing into the line. */
typedef struct WnLine {
    uint32_t offset;
    int lexfile;
    const char *words[32];
    size_t word_len[32];
    size_t n_words;
    uint32_t hyper[8];  /* @ and @i targets */
    size_t n_hyper;
    int instance;
    uint32_t holonym;
    const char *gloss;
    size_t gloss_len;
} WnLine;

static const char *next_tok(const char *p, const char *end, const char **tok, size_t *len)
{
    while (p < end && *p == ' ')
        p++;
    const char *s = p;
    while (p < end && *p != ' ')
        p++;
    *tok = s;
    *len = (size_t)(p - s);
    return p;
}

static int parse_line(const char *p, const char *end, WnLine *w)
{
    memset(w, 0, sizeof *w);
    const char *t;
    size_t n;
    p = next_tok(p, end, &t, &n);
    if (n != 8)
        return -1;
    w->offset = (uint32_t)strtoul(t, NULL, 10);
    p = next_tok(p, end, &t, &n);
    if (n != 2)
        return -1;
    w->lexfile = (t[0] - '0') * 10 + (t[1] - '0');
    p = next_tok(p, end, &t, &n); /* ss_type */
    p = next_tok(p, end, &t, &n);
    if (n == 0)
        return -1;
    unsigned long wc = strtoul(t, NULL, 16);
    for (unsigned long i = 0; i < wc; i++) {
        p = next_tok(p, end, &t, &n);
        if (n == 0)
            return -1;
        if (w->n_words < 32) {
            w->words[w->n_words] = t;
            w->word_len[w->n_words++] = n;
        }
        p = next_tok(p, end, &t, &n); /* lex_id */
    }
    p = next_tok(p, end, &t, &n);
    if (n == 0)
        return -1;
    unsigned long pc = strtoul(t, NULL, 10);
    for (unsigned long i = 0; i < pc; i++) {
        const char *sym, *off;
        size_t sn, on;
        p = next_tok(p, end, &sym, &sn);
        p = next_tok(p, end, &off, &on);
        p = next_tok(p, end, &t, &n); /* pos */
        p = next_tok(p, end, &t, &n); /* source/target */
        if (sn == 0 || on != 8)
            return -1;
        uint32_t o = (uint32_t)strtoul(off, NULL, 10);
        if ((sn == 1 && sym[0] == '@') || (sn == 2 && sym[0] == '@' && sym[1] == 'i')) {
            if (sn == 2)
                w->instance = 1;
            if (w->n_hyper < 8)
                w->hyper[w->n_hyper++] = o;
        } else if (sn == 2 && sym[0] == '#' && sym[1] == 'p' && !w->holonym) {
            w->holonym = o;
        }
    }
    const char *bar = memchr(p, '|', (size_t)(end - p));
    if (!bar)
        return -1;
    bar++;
    while (bar < end && *bar == ' ')
        bar++;
    const char *ge = end;
    while (ge > bar && (ge[-1] == ' ' || ge[-1] == '\r'))
        ge--;
    w->gloss = bar;
    w->gloss_len = (size_t)(ge - bar);
    return 0;
}

/* Words that make a gloss's first noun unique: "capital of", "largest city". */
static const char *const the_words[] = {"capital", "largest", "chief", "principal", "main", "highest",
                                        "longest", "oldest", "biggest", "smallest", "most", "first",
                                        "second", "third", "seat", "head", "leader", "founder",
                                        "birthplace", NULL};

static int starts_word(const char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    return n >= k && strncmp(s, w, k) == 0 && (n == k || s[k] == ' ' || s[k] == ',');
}

/* The first clause of a gloss as a predicate, or NULL when it is not one. */
static char *gloss_predicate(Arena *a, const char *g, size_t n, int *historic)
{
    /* a leading domain label: "(Greek mythology) ...", "(Old Testament) ..." */
    if (n && g[0] == '(') {
        const char *close = memchr(g, ')', n);
        if (!close)
            return NULL;
        size_t k = (size_t)(close - g);
        if (memmem(g, k, "mytholog", 8) || memmem(g, k, "Testament", 9) || memmem(g, k, "Bible", 5) ||
            memmem(g, k, "legend", 6))
            *historic = 1;
        n -= k + 1;
        g = close + 1;
        while (n && *g == ' ')
            g++, n--;
    }
    size_t end = 0;
    int depth = 0;
    for (; end < n; end++) {
        if (g[end] == '(')
            depth++;
        else if (g[end] == ')' && depth)
            depth--;
        else if (g[end] == ';' && !depth)
            break;
        else if (g[end] == '"' && !depth)
            break; /* an example sentence */
        else if (!depth && g[end] == ' ' && end + 2 < n && g[end + 1] == '-' && g[end + 2] == ' ')
            break; /* " - 48 conterminous states ...": an aside */
    }
    while (end && (g[end - 1] == ' ' || g[end - 1] == ','))
        end--;
    if (end < 3)
        return NULL;
    if (starts_word(g, end, "a former") || starts_word(g, end, "an ancient") || starts_word(g, end, "formerly") ||
        starts_word(g, end, "the former") || starts_word(g, end, "former") || starts_word(g, end, "ancient"))
        *historic = 1;
    const char *art = "";
    if (starts_word(g, end, "a") || starts_word(g, end, "an") || starts_word(g, end, "the") ||
        starts_word(g, end, "one")) {
        art = "";
    } else {
        int the = 0;
        for (size_t i = 0; the_words[i] && !the; i++)
            the = starts_word(g, end, the_words[i]);
        if (the || isdigit((unsigned char)g[0])) /* "1st President" */
            art = "the ";
        else if (strchr("aeiouAEIOU", g[0]) && !starts_word(g, end, "United") && strncmp(g, "Eu", 2) != 0 &&
                 strncmp(g, "Uni", 3) != 0 && strncmp(g, "Ur", 2) != 0 && strncmp(g, "one", 3) != 0)
            art = "an ";
        else
            art = "a ";
    }
    return arena_printf(a, "%s%.*s", art, (int)end, g);
}

/* The year a person died: the second year of a final "(1835-1910)". */
static int death_year(const char *g, size_t n)
{
    if (n < 11 || g[n - 1] != ')')
        return 0;
    const char *open = NULL;
    for (size_t i = n - 1; i-- > 0;)
        if (g[i] == '(') {
            open = g + i;
            break;
        }
    if (!open)
        return 0;
    const char *close = g + n - 1;
    if (memmem(open, (size_t)(close - open), "born", 4))
        return 0;
    const char *dash = memchr(open, '-', (size_t)(close - open));
    if (!dash)
        return 0;
    int year = 0, digits = 0;
    for (const char *p = dash + 1; p < close; p++)
        if (isdigit((unsigned char)*p))
            year = year * 10 + (*p - '0'), digits++;
        else if (digits)
            break;
    return digits >= 3 && digits <= 4 ? year : 0;
}

static int country_class(const WnLine *w)
{
    for (size_t i = 0; i < w->n_words; i++) {
        const char *s = w->words[i];
        size_t n = w->word_len[i];
        if ((n >= 7 && memmem(s, n, "country", 7)) || (n >= 6 && memmem(s, n, "nation", 6) && !memmem(s, n, "national", 8)) ||
            (n == 7 && strncmp(s, "kingdom", 7) == 0) || (n == 8 && strncmp(s, "republic", 8) == 0))
            return 1;
    }
    return 0;
}

/* Classes whose members are organisations named as proper nouns but not
 * marked as instances ("NATO", "European Union", "Red Cross"). */
static int org_class(const WnLine *w)
{
    static const char *const heads[] = {"organization", "organisation", "alliance", "agency",
                                        "confederation", "federation", NULL};
    for (size_t i = 0; i < w->n_words; i++)
        for (size_t k = 0; heads[k]; k++)
            if (memmem(w->words[i], w->word_len[i], heads[k], strlen(heads[k])))
                return 1;
    return 0;
}

static int all_capitalised(const WnLine *w)
{
    for (size_t i = 0; i < w->n_words; i++)
        if (!isupper((unsigned char)w->words[i][0]))
            return 0;
    return w->n_words > 0;
}

/* Records the line's lower-case one-word lemmas as common words. */
static void note_common_words(Kb *kb, const char *p, const char *end)
{
    const char *t;
    size_t n;
    p = next_tok(p, end, &t, &n); /* offset */
    p = next_tok(p, end, &t, &n); /* lexfile */
    p = next_tok(p, end, &t, &n); /* ss_type */
    p = next_tok(p, end, &t, &n);
    if (n == 0)
        return;
    unsigned long wc = strtoul(t, NULL, 16);
    for (unsigned long i = 0; i < wc && p < end; i++) {
        p = next_tok(p, end, &t, &n);
        if (n > 2 && islower((unsigned char)t[0]) && !memchr(t, '_', n) && !memchr(t, '-', n))
            kb_add_common_word(kb, t, n);
        p = next_tok(p, end, &t, &n); /* lex_id */
    }
}

static int cmp_syn(const void *a, const void *b)
{
    uint32_t x = ((const WnSyn *)a)->offset, y = ((const WnSyn *)b)->offset;
    return x < y ? -1 : x > y;
}

static WnSyn *find_syn(WnSyn *s, size_t n, uint32_t off)
{
    WnSyn key = {.offset = off};
    return bsearch(&key, s, n, sizeof *s, cmp_syn);
}

int kb_load_wordnet(Kb *kb, const char *path, SwErr *err)
{
    Buf data = {0};
    if (file_read_all(path, WN_MAX_BYTES, &data, err) != 0)
        return -1;
    if (data.len == 0) {
        buf_free(&data);
        kb_warn(kb, "%s: empty", path);
        return 0;
    }
    IntMap country_classes = {0}, org_classes = {0};
    WnSyn *syn = NULL;
    size_t n_syn = 0, cap_syn = 0, bad = 0;
    Arena scratch = {0};
    /* pass 1: country and organisation classes; common nouns */
    const char *p = data.data, *end = data.data + data.len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        if (le - p > 17 && p[0] != ' ')
            note_common_words(kb, p, le);
        if (le - p > 12 && p[0] != ' ' && p[9] == '1' && (p[10] == '5' || p[10] == '4')) {
            WnLine w;
            if (parse_line(p, le, &w) == 0 && !w.instance) {
                if (p[10] == '5' && country_class(&w))
                    intmap_put(&country_classes, w.offset, NULL);
                if (p[10] == '4' && org_class(&w))
                    intmap_put(&org_classes, w.offset, NULL);
            }
        }
        p = le + 1;
    }
    /* pass 2: instances */
    for (p = data.data; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *line = p;
        p = le + 1;
        if (le - line < 12 || line[0] == ' ')
            continue;
        int lf = (line[9] - '0') * 10 + (line[10] - '0');
        if (lf != 14 && lf != 15 && lf != 17 && lf != 18)
            continue;
        WnLine w;
        if (parse_line(line, le, &w) != 0) {
            bad++;
            continue;
        }
        if (!w.instance) {
            /* a proper-noun organisation listed as a kind of organisation */
            int org = 0;
            for (size_t i = 0; i < w.n_hyper && lf == 14; i++)
                if (intmap_get(&org_classes, w.hyper[i]))
                    org = 1;
            if (!org || !all_capitalised(&w))
                continue;
        }
        const char *names[32];
        size_t nn = 0;
        for (size_t i = 0; i < w.n_words; i++)
            if (isupper((unsigned char)w.words[i][0])) {
                char *s = arena_strndup(&scratch, w.words[i], w.word_len[i]);
                for (char *c = s; *c; c++)
                    if (*c == '_')
                        *c = ' ';
                names[nn++] = s;
            }
        if (nn == 0)
            continue;
        int historic = 0;
        char *pred = gloss_predicate(&scratch, w.gloss, w.gloss_len, &historic);
        if (!pred)
            continue;
        KbEntry e = {.name = names[0], .origin = KB_ORIGIN_WORDNET, .description = pred,
                     .source = WN_SOURCE, .url = WN_URL};
        e.kind = lf == 18 ? KB_PERSON : lf == 14 ? KB_ORG : KB_PLACE;
        if (historic)
            e.flags |= KB_HISTORIC;
        if (lf == 18)
            e.died = death_year(w.gloss, w.gloss_len);
        int is_country = 0;
        for (size_t i = 0; i < w.n_hyper; i++)
            if (intmap_get(&country_classes, w.hyper[i]))
                is_country = 1;
        if (lf == 15 && is_country)
            e.flags |= KB_COUNTRY;
        if (lf == 15 && strstr(pred, "capital") && strstr(pred, "capital") - pred < 20)
            e.flags |= KB_CAPITAL;
        size_t idx = kb_add(kb, &e, names + 1, nn - 1);
        if (n_syn == cap_syn) {
            cap_syn = cap_syn ? cap_syn * 2 : 4096;
            syn = xrealloc(syn, cap_syn * sizeof *syn);
        }
        syn[n_syn++] = (WnSyn){w.offset, w.holonym, (uint32_t)idx, lf == 15 && is_country};
        arena_free(&scratch);
    }
    /* the country each place is in: follow #p up to 5 steps */
    if (n_syn)
        qsort(syn, n_syn, sizeof *syn, cmp_syn);
    for (size_t i = 0; i < n_syn; i++) {
        KbEntry *e = &kb->e[syn[i].entry];
        if (e->kind != KB_PLACE)
            continue;
        if (syn[i].is_country) {
            e->country = e->name;
            continue;
        }
        WnSyn *s = &syn[i];
        for (int step = 0; step < 5 && s && s->holonym; step++) {
            s = find_syn(syn, n_syn, s->holonym);
            if (s && s->is_country) {
                e->country = kb->e[s->entry].name; /* already in kb's arena */
                break;
            }
            if (s && !e->region)
                e->region = kb->e[s->entry].name; /* "California" for Riverside */
        }
        if (!e->country)
            e->region = NULL;
    }
    if (bad)
        kb_warn(kb, "%s: %zu lines did not parse and were skipped", path, bad);
    free(syn);
    intmap_free(&country_classes);
    intmap_free(&org_classes);
    arena_free(&scratch);
    buf_free(&data);
    return 0;
}
