/* kb.c - the knowledge base's store and index, user files (TSV and
 * JSONL), and the process-wide instance.
 *
 * Entries live in one array, their strings in one arena; a hash map from
 * the matching key of every name and alias leads to a chain of links, so
 * a lookup is one hash probe. Built-in sources load in a few tens of
 * milliseconds (see docs/knowledge-base.md), so there is no on-disk cache:
 * the process-wide instance is built on first use and kept. */
#include "kb.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/fileio.h"
#include "../core/json.h"
#include "../core/utf8util.h"
#include "../text/unicode.h"
#include "kb_internal.h"

#define KB_LINE_MAX (64 * 1024)

Kb *kb_new(void)
{
    return xcalloc(1, sizeof(Kb));
}

void kb_free(Kb *kb)
{
    if (!kb)
        return;
    arena_free(&kb->a);
    free(kb->e);
    free(kb->links);
    strmap_free(&kb->index);
    intmap_free(&kb->common);
    for (size_t i = 0; i < kb->n_warnings_kept; i++)
        free(kb->warnings[i]);
    free(kb->warnings);
    free(kb);
}

void kb_warn(Kb *kb, const char *fmt, ...)
{
    kb->n_warnings++;
    if (kb->n_warnings_kept >= KB_MAX_WARNINGS)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!kb->warnings)
        kb->warnings = xcalloc(KB_MAX_WARNINGS, sizeof(char *));
    kb->warnings[kb->n_warnings_kept++] = xstrdup(msg);
}

size_t kb_warning_count(const Kb *kb) { return kb ? kb->n_warnings : 0; }

const char *kb_warning(const Kb *kb, size_t i)
{
    return kb && i < kb->n_warnings_kept ? kb->warnings[i] : NULL;
}

size_t kb_count(const Kb *kb) { return kb ? kb->n : 0; }

void kb_key(Buf *out, const char *name, size_t n)
{
    Buf f = {0};
    text_fold(&f, name, n);
    size_t start = out->len;
    int space = 1; /* drop leading spaces */
    for (size_t i = 0; i < f.len; i++) {
        unsigned char c = (unsigned char)f.data[i];
        if (c == '\'' || c == '.')
            continue;
        if (c == 0xE2 && i + 2 < f.len && (unsigned char)f.data[i + 1] == 0x80 &&
            ((unsigned char)f.data[i + 2] == 0x99 || (unsigned char)f.data[i + 2] == 0x98)) {
            i += 2; /* ’ ‘ */
            continue;
        }
        if (c == '_' || c == '-' || c == ' ' || c == '\t' || c == ',') {
            if (!space)
                buf_putc(out, ' ');
            space = 1;
            continue;
        }
        buf_putc(out, (char)c);
        space = 0;
    }
    while (out->len > start && out->data[out->len - 1] == ' ')
        out->len--;
    buf_putc(out, '\0');
    out->len--;
    buf_free(&f);
}

static void index_key(Kb *kb, const char *name, uint32_t entry)
{
    Buf k = {0};
    kb_key(&k, name, strlen(name));
    if (k.len == 0) {
        buf_free(&k);
        return;
    }
    int created;
    StrMapEntry *me = strmap_put(&kb->index, k.data, k.len, &created);
    int32_t head = created ? -1 : (int32_t)(me->val.num - 1);
    for (int32_t l = head; l >= 0; l = kb->links[l].next)
        if (kb->links[l].entry == entry) { /* an alias equal to the name */
            buf_free(&k);
            return;
        }
    if (kb->n_links == kb->cap_links) {
        kb->cap_links = kb->cap_links ? kb->cap_links * 2 : 1024;
        kb->links = xrealloc(kb->links, kb->cap_links * sizeof *kb->links);
    }
    /* append at the chain's end so that lookups see file order */
    KbLink *nl = &kb->links[kb->n_links];
    nl->entry = entry;
    nl->next = -1;
    if (head < 0) {
        me->val.num = (int64_t)kb->n_links + 1;
    } else {
        int32_t l = head;
        while (kb->links[l].next >= 0)
            l = kb->links[l].next;
        kb->links[l].next = (int32_t)kb->n_links;
    }
    kb->n_links++;
    buf_free(&k);
}

size_t kb_add(Kb *kb, const KbEntry *e, const char *const *aliases, size_t n_aliases)
{
    if (kb->n == kb->cap) {
        kb->cap = kb->cap ? kb->cap * 2 : 1024;
        kb->e = xrealloc(kb->e, kb->cap * sizeof *kb->e);
    }
    KbEntry *d = &kb->e[kb->n];
    *d = *e;
    d->name = arena_strdup(&kb->a, e->name);
    d->description = arena_strdup(&kb->a, e->description);
    d->country = arena_strdup(&kb->a, e->country);
    d->region = arena_strdup(&kb->a, e->region);
    d->source = arena_strdup(&kb->a, e->source);
    d->url = arena_strdup(&kb->a, e->url);
    uint32_t idx = (uint32_t)kb->n++;
    index_key(kb, e->name, idx);
    for (size_t i = 0; i < n_aliases; i++)
        if (aliases[i] && aliases[i][0])
            index_key(kb, aliases[i], idx);
    return idx;
}

size_t kb_find(const Kb *kb, const char *name, size_t n, const KbEntry **out, size_t max)
{
    if (!kb || !name)
        return 0;
    Buf k = {0};
    kb_key(&k, name, n);
    StrMapEntry *me = k.len ? strmap_get(&kb->index, k.data, k.len) : NULL;
    buf_free(&k);
    if (!me)
        return 0;
    size_t total = 0;
    /* user entries first, then the others, each in load order */
    for (int pass = 0; pass < 2; pass++)
        for (int32_t l = (int32_t)(me->val.num - 1); l >= 0; l = kb->links[l].next) {
            const KbEntry *e = &kb->e[kb->links[l].entry];
            if ((e->origin == KB_ORIGIN_USER) != (pass == 0))
                continue;
            if (total < max)
                out[total] = e;
            total++;
        }
    return total;
}

int kb_is_country(const Kb *kb, const char *name, size_t n)
{
    const KbEntry *found[16];
    size_t k = kb_find(kb, name, n, found, 16);
    for (size_t i = 0; i < k && i < 16; i++)
        if (found[i]->flags & KB_COUNTRY)
            return 1;
    return 0;
}

void kb_add_common_word(Kb *kb, const char *word, size_t n)
{
    Buf k = {0};
    kb_key(&k, word, n);
    if (k.len)
        intmap_put(&kb->common, hash64(k.data, k.len), NULL);
    buf_free(&k);
}

int kb_is_common_word(const Kb *kb, const char *name, size_t n)
{
    Buf k = {0};
    kb_key(&k, name, n);
    int common = k.len && !memchr(k.data, ' ', k.len) && intmap_get(&kb->common, hash64(k.data, k.len));
    buf_free(&k);
    return common;
}

/* ---- user files ---- */

static int parse_kind(const char *s, KbKind *out)
{
    static const struct { const char *name; KbKind kind; } kinds[] = {
        {"", KB_OTHER}, {"other", KB_OTHER}, {"person", KB_PERSON}, {"place", KB_PLACE},
        {"organisation", KB_ORG}, {"organization", KB_ORG}, {"org", KB_ORG},
        {"country", KB_PLACE},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (strcmp(s, kinds[i].name) == 0) {
            *out = kinds[i].kind;
            return 0;
        }
    return -1;
}

/* Checks a user entry; fills why on a problem. */
static int user_entry_ok(const char *name, const char *kind, const char *desc, const char *source,
                         const char *url, KbEntry *e, char *why, size_t why_n)
{
    if (!name || !*name)
        return snprintf(why, why_n, "missing name"), -1;
    if (!desc || !*desc)
        return snprintf(why, why_n, "missing description for '%.80s'", name), -1;
    if (!source || !*source)
        return snprintf(why, why_n, "missing source for '%.80s'", name), -1;
    if (parse_kind(kind ? kind : "", &e->kind) != 0)
        return snprintf(why, why_n, "unknown kind '%.40s' (person, place, organisation or other)", kind), -1;
    if (url && *url && strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
        return snprintf(why, why_n, "url must start with http:// or https://"), -1;
    if (kind && strcmp(kind, "country") == 0)
        e->flags |= KB_COUNTRY;
    e->name = name;
    e->description = desc;
    e->is_sentence = 1;
    e->source = source;
    e->url = url && *url ? url : NULL;
    e->origin = KB_ORIGIN_USER;
    return 0;
}

/* Splits a TSV line in place; decodes \t \n \\ escapes. Returns the field count. */
static size_t tsv_split(char *line, char **fields, size_t max)
{
    size_t n = 0;
    char *p = line;
    for (;;) {
        char *start = p, *w = p;
        while (*p && *p != '\t') {
            if (*p == '\\' && (p[1] == 't' || p[1] == 'n' || p[1] == '\\')) {
                *w++ = p[1] == 't' ? '\t' : p[1] == 'n' ? ' ' : '\\';
                p += 2;
                continue;
            }
            *w++ = *p++;
        }
        int more = *p == '\t';
        *w = '\0';
        if (n < max)
            fields[n] = start;
        n++;
        if (!more)
            break;
        p++;
    }
    return n;
}

static char *trim(char *s)
{
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

static void load_tsv_line(Kb *kb, const char *path, size_t lineno, char *line, int first)
{
    char *f[8];
    size_t n = tsv_split(line, f, 8);
    if (n < 5 || n > 7) {
        kb_warn(kb, "%s:%zu: expected 5 to 7 tab-separated fields (name, aliases, kind, description, "
                    "source[, url[, country]]), found %zu", path, lineno, n);
        return;
    }
    for (size_t i = 0; i < n; i++)
        f[i] = trim(f[i]);
    if (first && strcmp(f[0], "name") == 0 && strcmp(f[3], "description") == 0)
        return; /* header */
    KbEntry e = {0};
    char why[256];
    if (user_entry_ok(f[0], f[2], f[3], f[4], n > 5 ? f[5] : NULL, &e, why, sizeof why) != 0) {
        kb_warn(kb, "%s:%zu: %s", path, lineno, why);
        return;
    }
    e.country = n > 6 && *f[6] ? f[6] : NULL;
    const char *aliases[64];
    size_t na = 0;
    for (char *a = f[1]; a && *a && na < 64;) {
        char *bar = strchr(a, '|');
        if (bar)
            *bar = '\0';
        aliases[na++] = trim(a);
        a = bar ? bar + 1 : NULL;
    }
    kb_add(kb, &e, aliases, na);
}

static void load_jsonl_line(Kb *kb, const char *path, size_t lineno, const char *line, size_t len)
{
    Arena a = {0};
    SwErr jerr;
    JsonValue *v = json_parse(&a, line, len, &jerr);
    if (!v || v->type != JSON_OBJECT) {
        kb_warn(kb, "%s:%zu: %s", path, lineno, v ? "not a JSON object" : jerr.msg);
        arena_free(&a);
        return;
    }
    static const char *const strings[] = {"name", "kind", "description", "source", "url", "country"};
    for (size_t i = 0; i < sizeof strings / sizeof *strings; i++) {
        const JsonValue *f = json_get(v, strings[i]);
        if (f && f->type != JSON_STRING && f->type != JSON_NULL) {
            kb_warn(kb, "%s:%zu: field '%s' must be a string", path, lineno, strings[i]);
            arena_free(&a);
            return;
        }
    }
    KbEntry e = {0};
    char why[256];
    if (user_entry_ok(json_get_str(v, "name"), json_get_str(v, "kind"), json_get_str(v, "description"),
                      json_get_str(v, "source"), json_get_str(v, "url"), &e, why, sizeof why) != 0) {
        kb_warn(kb, "%s:%zu: %s", path, lineno, why);
        arena_free(&a);
        return;
    }
    e.country = json_get_str(v, "country");
    const char *aliases[64];
    size_t na = 0;
    const JsonValue *al = json_get(v, "aliases");
    if (al && al->type != JSON_ARRAY && al->type != JSON_NULL) {
        kb_warn(kb, "%s:%zu: field 'aliases' must be an array of strings", path, lineno);
        arena_free(&a);
        return;
    }
    for (size_t i = 0; al && al->type == JSON_ARRAY && i < al->u.arr.n && na < 64; i++)
        if (al->u.arr.items[i]->type == JSON_STRING)
            aliases[na++] = al->u.arr.items[i]->u.str.s;
    kb_add(kb, &e, aliases, na);
    arena_free(&a);
}

int kb_load_user(Kb *kb, const char *path, SwErr *err)
{
    LineReader *r = lines_open(path, err);
    if (!r)
        return -1;
    lines_set_limit(r, KB_LINE_MAX);
    Buf line = {0};
    int rc, jsonl = -1;
    while ((rc = lines_next(r, &line, err)) > 0) {
        size_t no = lines_number(r);
        if (rc == LINES_TOO_LONG) {
            kb_warn(kb, "%s:%zu: line longer than %d bytes", path, no, KB_LINE_MAX);
            continue;
        }
        const char *s = buf_cstr(&line);
        size_t skip = 0;
        while (skip < line.len && (s[skip] == ' ' || s[skip] == '\t' || s[skip] == '\r'))
            skip++;
        if (skip == line.len || s[skip] == '#')
            continue;
        int first = jsonl < 0;
        if (first)
            jsonl = s[skip] == '{';
        if (!utf8_valid(s, line.len)) {
            kb_warn(kb, "%s:%zu: invalid UTF-8", path, no);
            continue;
        }
        if (memchr(s, '\0', line.len)) {
            kb_warn(kb, "%s:%zu: NUL byte", path, no);
            continue;
        }
        if (jsonl)
            load_jsonl_line(kb, path, no, s, line.len);
        else
            load_tsv_line(kb, path, no, line.data, first);
    }
    lines_close(r);
    buf_free(&line);
    if (rc < 0) {
        sw_err_prefix(err, "%s", path);
        return -1;
    }
    return 0;
}

/* ---- the process-wide instance ---- */

static pthread_once_t shared_once = PTHREAD_ONCE_INIT;
static Kb *shared_kb;
static const char *config_files[16];
static size_t n_config_files;

void kb_config_add_file(const char *path)
{
    if (n_config_files < sizeof config_files / sizeof *config_files)
        config_files[n_config_files++] = path;
}

static void load_user_file(Kb *kb, const char *path)
{
    SwErr err;
    if (kb_load_user(kb, path, &err) != 0)
        kb_warn(kb, "knowledge base: %s", err.msg);
}

static void shared_load(void)
{
    Kb *kb = kb_new();
    SwErr err;
    /* user files first: their entries come first for every name anyway,
     * and loading them first keeps their warnings on top */
    for (size_t i = 0; i < n_config_files; i++)
        load_user_file(kb, config_files[i]);
    const char *env = getenv("STORYWIRE_KB");
    if (env && *env) {
        char *copy = xstrdup(env), *save = NULL;
        for (char *p = strtok_r(copy, ":", &save); p; p = strtok_r(NULL, ":", &save))
            load_user_file(kb, p);
        free(copy);
    }
    const char *geo = getenv("STORYWIRE_LOCATIONS");
    if (!geo)
        geo = KB_GEO_DEFAULT;
    if (*geo && kb_load_geo(kb, geo, &err) != 0)
        kb_warn(kb, "knowledge base: %s (no city and country lines)", err.msg);
    const char *wn = getenv("STORYWIRE_WORDNET");
    if (!wn)
        wn = KB_WORDNET_DEFAULT;
    if (*wn && kb_load_wordnet(kb, wn, &err) != 0)
        kb_warn(kb, "knowledge base: %s (no WordNet lines)", err.msg);
    shared_kb = kb;
}

const Kb *kb_shared(void)
{
    pthread_once(&shared_once, shared_load);
    return shared_kb;
}

/* ---- phrases ---- */

const char *kb_country_phrase(Arena *a, const char *c)
{
    static const char *const the_prefix[] = {"United ", "Czech Republic", "Dominican Republic",
                                             "Central African Republic", "Democratic Republic",
                                             "Republic of", "Federated States", "Holy See",
                                             "Palestinian Territory", "US", "UK", "USA", "UAE", "U.S.", "U.K.",
                                             NULL};
    static const char *const the_suffix[] = {"Islands", "Netherlands", "Philippines", "Bahamas",
                                             "Maldives", "Gambia", "Emirates", NULL};
    size_t n = strlen(c);
    int the = 0;
    for (size_t i = 0; the_prefix[i] && !the; i++) {
        size_t k = strlen(the_prefix[i]);
        /* "US" only as the whole name */
        the = strncmp(c, the_prefix[i], k) == 0 && (k > 4 || c[k] == '\0');
    }
    for (size_t i = 0; the_suffix[i] && !the; i++) {
        size_t k = strlen(the_suffix[i]);
        the = n >= k && strcmp(c + n - k, the_suffix[i]) == 0;
    }
    return the ? arena_printf(a, "the %s", c) : c;
}
