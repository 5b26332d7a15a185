/* page.c - a Page to JSON and back.
 *
 * The JSON form is what the store keeps and what /api/stories/<slug>
 * serves as is, so its field names are stable. Sentence and quote
 * "source" fields are 0-based indexes into "sources" (the same numbers as
 * Page.source), while each source also carries "n", the 1-based number a
 * reader sees as [n]. Times are RFC 3339 strings, or null when unknown.
 *
 * The parser is strict about types and about citations (a source index out
 * of range is an error) because a page that cites the wrong article is
 * worse than no page; it is lenient about absent optional fields. */
#include "page.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/json.h"
#include "../core/timeutil.h"

/* ---- writing ---- */

static void put_key(Buf *b, const char *key, int first)
{
    if (!first)
        buf_putc(b, ',');
    buf_json_cstr(b, key);
    buf_putc(b, ':');
}

static void put_sentences(Buf *b, const PageSentence *s, size_t n)
{
    buf_putc(b, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_putc(b, ',');
        buf_puts(b, "{\"text\":");
        buf_json_cstr(b, s[i].text ? s[i].text : "");
        buf_printf(b, ",\"source\":%d}", s[i].source);
    }
    buf_putc(b, ']');
}

void page_to_json(const Page *p, Buf *out)
{
    buf_putc(out, '{');
    put_key(out, "story_id", 1);
    buf_printf(out, "%lld", (long long)p->story_id);
    put_key(out, "version", 0);
    buf_printf(out, "%d", p->version);
    put_key(out, "slug", 0);
    buf_json_cstr(out, p->slug);
    put_key(out, "headline", 0);
    buf_json_cstr(out, p->headline);
    put_key(out, "headline_source", 0);
    buf_printf(out, "%d", p->headline_source);
    put_key(out, "summary", 0);
    put_sentences(out, p->summary, p->n_summary);
    put_key(out, "image", 0);
    buf_json_cstr(out, p->image);
    put_key(out, "image_source", 0);
    buf_printf(out, "%d", p->image_source);

    put_key(out, "sections", 0);
    buf_putc(out, '[');
    for (size_t i = 0; i < p->n_sections; i++) {
        const PageSection *sec = &p->sections[i];
        if (i)
            buf_putc(out, ',');
        buf_puts(out, "{\"heading\":");
        buf_json_cstr(out, sec->heading ? sec->heading : "");
        buf_puts(out, ",\"paragraphs\":[");
        for (size_t j = 0; j < sec->n_paragraphs; j++) {
            if (j)
                buf_putc(out, ',');
            put_sentences(out, sec->paragraphs[j].sentences, sec->paragraphs[j].n_sentences);
        }
        buf_puts(out, "]}");
    }
    buf_putc(out, ']');

    put_key(out, "quotes", 0);
    buf_putc(out, '[');
    for (size_t i = 0; i < p->n_quotes; i++) {
        const PageQuote *q = &p->quotes[i];
        if (i)
            buf_putc(out, ',');
        buf_puts(out, "{\"text\":");
        buf_json_cstr(out, q->text ? q->text : "");
        buf_puts(out, ",\"speaker\":");
        buf_json_cstr(out, q->speaker);
        buf_puts(out, ",\"verb\":");
        buf_json_cstr(out, q->verb);
        buf_printf(out, ",\"source\":%d}", q->source);
    }
    buf_putc(out, ']');

    put_key(out, "sources", 0);
    buf_putc(out, '[');
    for (size_t i = 0; i < p->n_sources; i++) {
        const PageSource *s = &p->sources[i];
        if (i)
            buf_putc(out, ',');
        buf_printf(out, "{\"n\":%zu,\"article_id\":%lld,\"outlet\":", i + 1, (long long)s->article_id);
        buf_json_cstr(out, s->outlet);
        buf_puts(out, ",\"title\":");
        buf_json_cstr(out, s->title);
        buf_puts(out, ",\"url\":");
        buf_json_cstr(out, s->url);
        buf_puts(out, ",\"published\":");
        buf_json_time(out, s->published);
        buf_puts(out, ",\"also_reported_by\":[");
        for (size_t k = 0; k < s->n_also; k++) {
            if (k)
                buf_putc(out, ',');
            buf_json_cstr(out, s->also[k]);
        }
        buf_puts(out, "]}");
    }
    buf_putc(out, ']');

    put_key(out, "related", 0);
    buf_putc(out, '[');
    for (size_t i = 0; i < p->n_related; i++) {
        if (i)
            buf_putc(out, ',');
        buf_puts(out, "{\"slug\":");
        buf_json_cstr(out, p->related[i].slug);
        buf_puts(out, ",\"headline\":");
        buf_json_cstr(out, p->related[i].headline);
        buf_putc(out, '}');
    }
    buf_putc(out, ']');

    put_key(out, "background", 0);
    buf_putc(out, '[');
    for (size_t i = 0; i < p->n_background; i++) {
        const PageBackground *bg = &p->background[i];
        if (i)
            buf_putc(out, ',');
        buf_puts(out, "{\"name\":");
        buf_json_cstr(out, bg->name);
        buf_puts(out, ",\"kind\":");
        buf_json_cstr(out, bg->kind);
        buf_puts(out, ",\"text\":");
        buf_json_cstr(out, bg->text);
        buf_puts(out, ",\"attribution\":");
        buf_json_cstr(out, bg->attribution);
        buf_puts(out, ",\"url\":");
        buf_json_cstr(out, bg->url);
        buf_putc(out, '}');
    }
    buf_putc(out, ']');

    put_key(out, "timeline", 0);
    buf_putc(out, '[');
    for (size_t i = 0; i < p->n_timeline; i++) {
        const PageEvent *ev = &p->timeline[i];
        if (i)
            buf_putc(out, ',');
        buf_puts(out, "{\"date\":");
        buf_json_cstr(out, ev->date);
        buf_puts(out, ",\"text\":");
        buf_json_cstr(out, ev->text);
        buf_printf(out, ",\"source\":%d}", ev->source);
    }
    buf_putc(out, ']');

    put_key(out, "lang", 0);
    buf_json_cstr(out, p->lang);
    put_key(out, "article_count", 0);
    buf_printf(out, "%d", p->article_count);
    put_key(out, "source_count", 0);
    buf_printf(out, "%d", p->source_count);
    put_key(out, "first_published", 0);
    buf_json_time(out, p->first_published);
    put_key(out, "last_published", 0);
    buf_json_time(out, p->last_published);
    put_key(out, "updated", 0);
    buf_json_time(out, p->updated);
    put_key(out, "change_note", 0);
    buf_json_cstr(out, p->change_note);
    buf_putc(out, '}');
}

/* ---- reading ---- */

/* Each reader below takes the parent object and a field name, so that an
 * error can name the field with its path ("sections[2].paragraphs[0][1].text"). */

typedef struct Reader {
    Arena *a;
    SwErr *err;
    size_t n_sources; /* known once "sources" is read; citations checked after */
} Reader;

/* A string member; absent or null gives NULL when optional, an error
 * otherwise. */
static int read_str(Reader *r, const JsonValue *obj, const char *key, int optional,
                    const char *path, const char **out)
{
    const JsonValue *v = json_get(obj, key);
    *out = NULL;
    if (!v || v->type == JSON_NULL) {
        if (optional)
            return 0;
        return sw_err(r->err, "page JSON: %s%s is missing", path, key);
    }
    if (v->type != JSON_STRING)
        return sw_err(r->err, "page JSON: %s%s is not a string", path, key);
    *out = arena_strndup(r->a, v->u.str.s, v->u.str.len);
    return 0;
}

/* An integer member within [lo, hi]; absent gives def when optional. */
static int read_int(Reader *r, const JsonValue *obj, const char *key, int optional, int64_t def,
                    int64_t lo, int64_t hi, const char *path, int64_t *out)
{
    const JsonValue *v = json_get(obj, key);
    if (!v || v->type == JSON_NULL) {
        if (!optional)
            return sw_err(r->err, "page JSON: %s%s is missing", path, key);
        *out = def;
        return 0;
    }
    double d = v->type == JSON_NUMBER ? v->u.number : NAN;
    if (v->type != JSON_NUMBER || d != floor(d) || d < (double)lo || d > (double)hi)
        return sw_err(r->err, "page JSON: %s%s is not an integer in range", path, key);
    *out = (int64_t)d;
    return 0;
}

/* A time member: RFC 3339 string (or any format time_parse knows), a
 * number of Unix seconds, or null/absent for unknown (0). */
static int read_time(Reader *r, const JsonValue *obj, const char *key, const char *path, int64_t *out)
{
    const JsonValue *v = json_get(obj, key);
    *out = 0;
    if (!v || v->type == JSON_NULL)
        return 0;
    if (v->type == JSON_NUMBER && v->u.number == floor(v->u.number) && fabs(v->u.number) < 1e15) {
        *out = (int64_t)v->u.number;
        return 0;
    }
    if (v->type == JSON_STRING && time_parse(v->u.str.s, out) == 0)
        return 0;
    return sw_err(r->err, "page JSON: %s%s is not a date", path, key);
}

/* An array member; absent or null is an empty array. */
static int read_array(Reader *r, const JsonValue *obj, const char *key, const char *path,
                      const JsonValue ***items, size_t *n)
{
    const JsonValue *v = json_get(obj, key);
    *items = NULL;
    *n = 0;
    if (!v || v->type == JSON_NULL)
        return 0;
    if (v->type != JSON_ARRAY)
        return sw_err(r->err, "page JSON: %s%s is not an array", path, key);
    *items = (const JsonValue **)v->u.arr.items;
    *n = v->u.arr.n;
    return 0;
}

static int check_source(Reader *r, int source, int allow_none, const char *what)
{
    if (allow_none && source == -1)
        return 0;
    if (source < 0 || (size_t)source >= r->n_sources)
        return sw_err(r->err, "page JSON: %s cites source %d, but the page has %zu sources", what,
                      source, r->n_sources);
    return 0;
}

/* One sentence object {text, source}; path names it in errors. */
static int read_sentence(Reader *r, const JsonValue *v, const char *path, PageSentence *out)
{
    if (!v || v->type != JSON_OBJECT)
        return sw_err(r->err, "page JSON: %s is not an object", path);
    char p[300];
    snprintf(p, sizeof p, "%.250s.", path);
    int64_t src;
    if (read_str(r, v, "text", 0, p, &out->text) < 0 ||
        read_int(r, v, "source", 0, 0, -1, 1000000, p, &src) < 0)
        return -1;
    out->source = (int)src;
    return check_source(r, out->source, 0, path);
}

static int read_sentences(Reader *r, const JsonValue *v, const char *path, PageSentence **out, size_t *n)
{
    if (!v || v->type != JSON_ARRAY)
        return sw_err(r->err, "page JSON: %s is not an array", path);
    *n = v->u.arr.n;
    *out = ARENA_ARRAY(r->a, PageSentence, *n ? *n : 1);
    for (size_t i = 0; i < *n; i++) {
        char p[256];
        snprintf(p, sizeof p, "%s[%zu]", path, i);
        if (read_sentence(r, v->u.arr.items[i], p, &(*out)[i]) < 0)
            return -1;
    }
    return 0;
}

static int read_sources(Reader *r, const JsonValue *root, Page *p)
{
    const JsonValue **items;
    if (read_array(r, root, "sources", "", &items, &p->n_sources) < 0)
        return -1;
    p->sources = ARENA_ARRAY(r->a, PageSource, p->n_sources ? p->n_sources : 1);
    for (size_t i = 0; i < p->n_sources; i++) {
        char path[64];
        snprintf(path, sizeof path, "sources[%zu].", i);
        const JsonValue *v = items[i];
        PageSource *s = &p->sources[i];
        if (v->type != JSON_OBJECT)
            return sw_err(r->err, "page JSON: sources[%zu] is not an object", i);
        if (read_int(r, v, "article_id", 1, 0, 0, INT64_C(1) << 53, path, &s->article_id) < 0 ||
            read_str(r, v, "outlet", 1, path, &s->outlet) < 0 ||
            read_str(r, v, "title", 1, path, &s->title) < 0 ||
            read_str(r, v, "url", 1, path, &s->url) < 0 ||
            read_time(r, v, "published", path, &s->published) < 0)
            return -1;
        /* pages written before near-copies were listed have no such key */
        const JsonValue *also = json_get(v, "also_reported_by");
        if (also && also->type != JSON_NULL) {
            if (also->type != JSON_ARRAY)
                return sw_err(r->err, "page JSON: %salso_reported_by is not an array", path);
            s->also = ARENA_ARRAY(r->a, const char *, also->u.arr.n ? also->u.arr.n : 1);
            for (size_t k = 0; k < also->u.arr.n; k++) {
                const JsonValue *o = also->u.arr.items[k];
                if (o->type != JSON_STRING)
                    return sw_err(r->err, "page JSON: %salso_reported_by[%zu] is not a string", path, k);
                s->also[s->n_also++] = arena_strndup(r->a, o->u.str.s, o->u.str.len);
            }
        }
    }
    r->n_sources = p->n_sources;
    return 0;
}

static int read_sections(Reader *r, const JsonValue *root, Page *p)
{
    const JsonValue **items;
    if (read_array(r, root, "sections", "", &items, &p->n_sections) < 0)
        return -1;
    p->sections = ARENA_ARRAY(r->a, PageSection, p->n_sections ? p->n_sections : 1);
    for (size_t i = 0; i < p->n_sections; i++) {
        char path[64];
        snprintf(path, sizeof path, "sections[%zu].", i);
        const JsonValue *v = items[i];
        PageSection *sec = &p->sections[i];
        if (v->type != JSON_OBJECT)
            return sw_err(r->err, "page JSON: sections[%zu] is not an object", i);
        const JsonValue **paras;
        if (read_str(r, v, "heading", 1, path, &sec->heading) < 0 ||
            read_array(r, v, "paragraphs", path, &paras, &sec->n_paragraphs) < 0)
            return -1;
        sec->paragraphs = ARENA_ARRAY(r->a, PageParagraph, sec->n_paragraphs ? sec->n_paragraphs : 1);
        for (size_t j = 0; j < sec->n_paragraphs; j++) {
            char pp[96];
            snprintf(pp, sizeof pp, "sections[%zu].paragraphs[%zu]", i, j);
            if (read_sentences(r, paras[j], pp, &sec->paragraphs[j].sentences,
                               &sec->paragraphs[j].n_sentences) < 0)
                return -1;
        }
    }
    return 0;
}

static int read_quotes(Reader *r, const JsonValue *root, Page *p)
{
    const JsonValue **items;
    if (read_array(r, root, "quotes", "", &items, &p->n_quotes) < 0)
        return -1;
    p->quotes = ARENA_ARRAY(r->a, PageQuote, p->n_quotes ? p->n_quotes : 1);
    for (size_t i = 0; i < p->n_quotes; i++) {
        char path[64];
        snprintf(path, sizeof path, "quotes[%zu].", i);
        const JsonValue *v = items[i];
        PageQuote *q = &p->quotes[i];
        if (v->type != JSON_OBJECT)
            return sw_err(r->err, "page JSON: quotes[%zu] is not an object", i);
        int64_t src;
        if (read_str(r, v, "text", 0, path, &q->text) < 0 ||
            read_str(r, v, "speaker", 1, path, &q->speaker) < 0 ||
            read_str(r, v, "verb", 1, path, &q->verb) < 0 ||
            read_int(r, v, "source", 0, 0, -1, 1000000, path, &src) < 0)
            return -1;
        q->source = (int)src;
        path[strlen(path) - 1] = '\0';
        if (check_source(r, q->source, 0, path) < 0)
            return -1;
    }
    return 0;
}

static int read_related(Reader *r, const JsonValue *root, Page *p)
{
    const JsonValue **items;
    if (read_array(r, root, "related", "", &items, &p->n_related) < 0)
        return -1;
    p->related = ARENA_ARRAY(r->a, PageRelated, p->n_related ? p->n_related : 1);
    for (size_t i = 0; i < p->n_related; i++) {
        char path[64];
        snprintf(path, sizeof path, "related[%zu].", i);
        if (items[i]->type != JSON_OBJECT)
            return sw_err(r->err, "page JSON: related[%zu] is not an object", i);
        if (read_str(r, items[i], "slug", 0, path, &p->related[i].slug) < 0 ||
            read_str(r, items[i], "headline", 0, path, &p->related[i].headline) < 0)
            return -1;
    }
    return 0;
}

/* Pages written before background lines and the timeline have neither. */
static int read_background(Reader *r, const JsonValue *root, Page *p)
{
    const JsonValue **items;
    if (read_array(r, root, "background", "", &items, &p->n_background) < 0)
        return -1;
    p->background = ARENA_ARRAY(r->a, PageBackground, p->n_background ? p->n_background : 1);
    for (size_t i = 0; i < p->n_background; i++) {
        char path[64];
        snprintf(path, sizeof path, "background[%zu].", i);
        PageBackground *bg = &p->background[i];
        if (items[i]->type != JSON_OBJECT)
            return sw_err(r->err, "page JSON: background[%zu] is not an object", i);
        if (read_str(r, items[i], "name", 0, path, &bg->name) < 0 ||
            read_str(r, items[i], "kind", 1, path, &bg->kind) < 0 ||
            read_str(r, items[i], "text", 0, path, &bg->text) < 0 ||
            read_str(r, items[i], "attribution", 0, path, &bg->attribution) < 0 ||
            read_str(r, items[i], "url", 1, path, &bg->url) < 0)
            return -1;
    }
    return 0;
}

static int read_timeline(Reader *r, const JsonValue *root, Page *p)
{
    const JsonValue **items;
    if (read_array(r, root, "timeline", "", &items, &p->n_timeline) < 0)
        return -1;
    p->timeline = ARENA_ARRAY(r->a, PageEvent, p->n_timeline ? p->n_timeline : 1);
    for (size_t i = 0; i < p->n_timeline; i++) {
        char path[64];
        snprintf(path, sizeof path, "timeline[%zu].", i);
        PageEvent *ev = &p->timeline[i];
        if (items[i]->type != JSON_OBJECT)
            return sw_err(r->err, "page JSON: timeline[%zu] is not an object", i);
        int64_t src;
        if (read_str(r, items[i], "date", 0, path, &ev->date) < 0 ||
            read_str(r, items[i], "text", 0, path, &ev->text) < 0 ||
            read_int(r, items[i], "source", 0, 0, -1, 1000000, path, &src) < 0)
            return -1;
        ev->source = (int)src;
        path[strlen(path) - 1] = '\0';
        if (check_source(r, ev->source, 0, path) < 0)
            return -1;
    }
    return 0;
}

int page_from_json(Arena *a, const char *json, size_t n, Page *out, SwErr *err)
{
    memset(out, 0, sizeof *out);
    SwErr perr;
    JsonValue *root = json_parse(a, json, n, &perr);
    if (!root)
        return sw_err(err, "page JSON: %s", perr.msg);
    if (root->type != JSON_OBJECT)
        return sw_err(err, "page JSON: not an object");

    Reader r = {.a = a, .err = err};
    int64_t story_id, version, hsrc, isrc, articles, outlets;
    /* sources first: every citation below is checked against them */
    if (read_sources(&r, root, out) < 0 ||
        read_int(&r, root, "story_id", 0, 0, 0, INT64_C(1) << 53, "", &story_id) < 0 ||
        read_int(&r, root, "version", 1, 1, 0, 1000000000, "", &version) < 0 ||
        read_str(&r, root, "slug", 1, "", &out->slug) < 0 ||
        read_str(&r, root, "headline", 0, "", &out->headline) < 0 ||
        read_int(&r, root, "headline_source", 1, -1, -1, 1000000, "", &hsrc) < 0 ||
        read_str(&r, root, "image", 1, "", &out->image) < 0 ||
        read_int(&r, root, "image_source", 1, -1, -1, 1000000, "", &isrc) < 0 ||
        read_str(&r, root, "lang", 1, "", &out->lang) < 0 ||
        read_int(&r, root, "article_count", 1, 0, 0, 1000000000, "", &articles) < 0 ||
        read_int(&r, root, "source_count", 1, 0, 0, 1000000000, "", &outlets) < 0 ||
        read_time(&r, root, "first_published", "", &out->first_published) < 0 ||
        read_time(&r, root, "last_published", "", &out->last_published) < 0 ||
        read_time(&r, root, "updated", "", &out->updated) < 0 ||
        read_str(&r, root, "change_note", 1, "", &out->change_note) < 0)
        return -1;
    out->story_id = story_id;
    out->version = (int)version;
    out->headline_source = (int)hsrc;
    out->image_source = (int)isrc;
    out->article_count = (int)articles;
    out->source_count = (int)outlets;
    if (check_source(&r, out->headline_source, 1, "headline_source") < 0 ||
        check_source(&r, out->image_source, 1, "image_source") < 0)
        return -1;

    const JsonValue *summary = json_get(root, "summary");
    if (summary && summary->type != JSON_NULL) {
        if (read_sentences(&r, summary, "summary", &out->summary, &out->n_summary) < 0)
            return -1;
    }
    if (read_sections(&r, root, out) < 0 || read_quotes(&r, root, out) < 0 ||
        read_related(&r, root, out) < 0 || read_background(&r, root, out) < 0 ||
        read_timeline(&r, root, out) < 0)
        return -1;
    return 0;
}
