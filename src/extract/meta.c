/* meta.c - what a page says about its article outside the body text.
 *
 * One walk over the DOM collects the candidates (JSON-LD blocks, <meta>
 * values by name/property/itemprop, <link rel=canonical>, <time datetime>,
 * <title>, the first <h1>, <html lang>); then each field takes the most
 * specific source present: JSON-LD of an article type first, then
 * OpenGraph, Twitter and plain <meta>, then the page's visible markup.
 * Relative URLs are resolved against <base href>, else the page URL. */
#include <ctype.h>
#include "xml_api.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/arena.h"
#include "../core/json.h"
#include "../core/utf8util.h"
#include "extract_internal.h"

/* <meta> keys the extractor reads, lower case; the first value wins. */
enum {
    M_OG_TITLE, M_TW_TITLE, M_OG_DESC, M_TW_DESC, M_DESC, M_OG_IMAGE, M_OG_IMAGE_URL,
    M_OG_IMAGE_SECURE, M_TW_IMAGE, M_TW_IMAGE_SRC, M_OG_URL, M_OG_SITE, M_APP_NAME,
    M_ART_PUB, M_OG_PUB, M_ITEM_PUB, M_DATE, M_PUBDATE, M_PUBLISHDATE, M_PUBLISH_DATE,
    M_PUBLISH_DATE2, M_DC_DATE, M_DC_ISSUED, M_DCT_CREATED, M_SAILTHRU_DATE, M_PARSELY_DATE,
    M_DISPLAY_DATE, M_AUTHOR, M_ART_AUTHOR, M_DC_CREATOR, M_PARSELY_AUTHOR, M_SAILTHRU_AUTHOR,
    M_ITEM_AUTHOR, M_CONTENT_LANG, M_OG_LOCALE, M_ITEM_HEADLINE, M_COUNT
};
static const char *const meta_keys[M_COUNT] = {
    "og:title", "twitter:title", "og:description", "twitter:description", "description",
    "og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src",
    "og:url", "og:site_name", "application-name", "article:published_time",
    "og:published_time", "datepublished", "date", "pubdate", "publishdate", "publish-date",
    "publish_date", "dc.date", "dc.date.issued", "dcterms.created", "sailthru.date",
    "parsely-pub-date", "displaydate", "author", "article:author", "dc.creator",
    "parsely-author", "sailthru.author", "author", "content-language", "og:locale", "headline",
};

#define MAX_JSONLD 16

typedef struct Collected {
    const char *meta[M_COUNT];
    const char *canonical, *base, *lang, *time_dt;
    const HNode *title_el, *h1_el, *author_el;
    const char *jsonld[MAX_JSONLD];
    int n_jsonld;
} Collected;

HNode *ex_html(const HTree *doc)
{
    HNode *h = hn_child(doc->root, T_HTML);
    return h ? h : doc->root;
}

char *ex_clean_text(const char *s, size_t n)
{
    Buf b = {0};
    int space = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        /* U+00A0 no-break space counts as white space */
        if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
            space = 1;
            i++;
            continue;
        }
        if (isspace(c)) {
            space = 1;
            continue;
        }
        if (space && b.len)
            buf_putc(&b, ' ');
        space = 0;
        buf_putc(&b, (char)c);
    }
    if (!b.len)
        return NULL;
    return buf_detach(&b);
}

static void note_meta(Collected *c, const char *key, const char *content)
{
    if (!key || !content || !*content)
        return;
    for (int i = 0; i < M_COUNT; i++)
        if (!c->meta[i] && strcasecmp(key, meta_keys[i]) == 0) {
            c->meta[i] = content;
            return;
        }
}

static int rel_has(const char *rel, const char *word)
{
    size_t wl = strlen(word);
    for (const char *p = rel; p && *p;) {
        while (*p == ' ')
            p++;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        if ((size_t)(e - p) == wl && strncasecmp(p, word, wl) == 0)
            return 1;
        p = e;
    }
    return 0;
}

/* One pre-order walk without recursion (pages can nest deeply). */
static void collect(const HTree *doc, Collected *c)
{
    HNode *root = ex_html(doc);
    c->lang = hn_attr(root, "lang");
    if (!c->lang)
        c->lang = hn_attr(root, "xml:lang");
    for (HNode *n = root; n;) {
        int descend = 1;
        if (n->name && n->attrs) {
            switch (n->tag) {
            case T_META: {
                const char *content = hn_attr(n, "content");
                note_meta(c, hn_attr(n, "property"), content);
                note_meta(c, hn_attr(n, "name"), content);
                note_meta(c, hn_attr(n, "itemprop"), content);
                note_meta(c, hn_attr(n, "http-equiv"), content);
                break;
            }
            case T_LINK: {
                const char *rel = hn_attr(n, "rel");
                if (!c->canonical && rel && rel_has(rel, "canonical"))
                    c->canonical = hn_attr(n, "href");
                break;
            }
            case T_BASE:
                if (!c->base)
                    c->base = hn_attr(n, "href");
                break;
            case T_SCRIPT: {
                const char *type = hn_attr(n, "type");
                if (type && strcasecmp(type, "application/ld+json") == 0 && c->n_jsonld < MAX_JSONLD &&
                    n->children && !n->children->name)
                    c->jsonld[c->n_jsonld++] = n->children->text;
                break;
            }
            case T_TIME: {
                const char *dt = hn_attr(n, "datetime");
                const char *ip = hn_attr(n, "itemprop");
                if (dt && *dt && (!c->time_dt || (ip && strcasecmp(ip, "datePublished") == 0)))
                    c->time_dt = dt;
                break;
            }
            default:
                break;
            }
            const char *ip = hn_attr(n, "itemprop");
            if (ip && strcasecmp(ip, "datePublished") == 0) {
                const char *v = hn_attr(n, "content");
                if (!v)
                    v = hn_attr(n, "datetime");
                note_meta(c, "datepublished", v);
            }
            if (!c->author_el && ip && strcasecmp(ip, "author") == 0)
                c->author_el = n;
            const char *rel = hn_attr(n, "rel");
            if (!c->author_el && rel && n->tag == T_A && rel_has(rel, "author"))
                c->author_el = n;
        }
        if (n->name) {
            if (n->tag == T_SCRIPT || n->tag == T_STYLE)
                descend = 0;
            else if (n->tag == T_TITLE && !c->title_el)
                c->title_el = n;
            else if (n->tag == T_H1 && !c->h1_el)
                c->h1_el = n;
        }
        n = hn_next(n, root, descend == 0);
    }
}

/* ---- JSON-LD ---- */

typedef struct Ld {
    const JsonValue *article; /* best article-typed object */
    int article_rank;
    const char *site_name;    /* WebSite/Organization name when the article has no publisher */
} Ld;

static int type_rank_name(const char *t)
{
    static const char *const strong[] = {"NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle",
                                         "OpinionNewsArticle", "BackgroundNewsArticle",
                                         "ReviewNewsArticle", "LiveBlogPosting", NULL};
    static const char *const medium[] = {"Article", "BlogPosting", "Report", "TechArticle",
                                         "ScholarlyArticle", "SocialMediaPosting", "Blog", NULL};
    const char *h = strrchr(t, '/'); /* "http://schema.org/NewsArticle" */
    if (h)
        t = h + 1;
    for (int i = 0; strong[i]; i++)
        if (strcasecmp(t, strong[i]) == 0)
            return 3;
    for (int i = 0; medium[i]; i++)
        if (strcasecmp(t, medium[i]) == 0)
            return 2;
    if (strlen(t) > 7 && strcasecmp(t + strlen(t) - 7, "Article") == 0)
        return 2;
    return 0;
}

static int type_rank(const JsonValue *obj)
{
    const JsonValue *t = json_get(obj, "@type");
    if (!t)
        return 0;
    if (t->type == JSON_STRING)
        return type_rank_name(t->u.str.s);
    int best = 0;
    if (t->type == JSON_ARRAY)
        for (size_t i = 0; i < t->u.arr.n; i++)
            if (t->u.arr.items[i]->type == JSON_STRING) {
                int r = type_rank_name(t->u.arr.items[i]->u.str.s);
                if (r > best)
                    best = r;
            }
    return best;
}

static int type_is(const JsonValue *obj, const char *name)
{
    const char *t = json_get_str(obj, "@type");
    return t && strcasecmp(t, name) == 0;
}

static void ld_walk(const JsonValue *v, Ld *ld, int depth)
{
    if (!v || depth > 12)
        return;
    if (v->type == JSON_ARRAY) {
        for (size_t i = 0; i < v->u.arr.n; i++)
            ld_walk(v->u.arr.items[i], ld, depth + 1);
        return;
    }
    if (v->type != JSON_OBJECT)
        return;
    int r = type_rank(v);
    /* a body beats no body at the same rank */
    if (r > 0) {
        int rank = r * 2 + (json_get_str(v, "articleBody") != NULL);
        if (rank > ld->article_rank) {
            ld->article = v;
            ld->article_rank = rank;
        }
    }
    if (!ld->site_name && (type_is(v, "WebSite") || type_is(v, "NewsMediaOrganization")))
        ld->site_name = json_get_str(v, "name");
    ld_walk(json_get(v, "@graph"), ld, depth + 1);
    ld_walk(json_get(v, "mainEntity"), ld, depth + 1);
    ld_walk(json_get(v, "mainEntityOfPage"), ld, depth + 1);
}

/* Decodes HTML entities and drops tags that JSON-LD strings sometimes
 * carry ("Smith &amp; Co", "<p>Body</p>"), then cleans white space. */
static char *ld_text(const char *s)
{
    if (!s)
        return NULL;
    Buf b = {0};
    for (const char *p = s; *p;) {
        if (*p == '<' && (isalpha((unsigned char)p[1]) || p[1] == '/')) {
            const char *gt = strchr(p, '>');
            if (gt) {
                /* block tags become paragraph breaks */
                if (strncasecmp(p + 1, "p", 1) == 0 || strncasecmp(p + 1, "/p", 2) == 0 ||
                    strncasecmp(p + 1, "br", 2) == 0)
                    buf_puts(&b, "\n\n");
                p = gt + 1;
                continue;
            }
        }
        if (*p == '&') {
            const char *semi = strchr(p, ';');
            if (semi && semi - p <= 10 && semi - p >= 2) {
                uint32_t cp = 0;
                if (p[1] == '#') {
                    cp = (uint32_t)((p[2] == 'x' || p[2] == 'X') ? strtoul(p + 3, NULL, 16)
                                                                 : strtoul(p + 2, NULL, 10));
                } else {
                    char name[12];
                    memcpy(name, p + 1, (size_t)(semi - p - 1));
                    name[semi - p - 1] = '\0';
                    const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)name);
                    if (e)
                        cp = e->value;
                }
                if (cp > 0 && cp < 0x110000 && !(cp >= 0xD800 && cp < 0xE000)) {
                    char u[4];
                    buf_append(&b, u, utf8_encode(cp, u));
                    p = semi + 1;
                    continue;
                }
            }
        }
        buf_putc(&b, *p++);
    }
    char *t = b.len ? ex_clean_text(b.data, b.len) : NULL;
    buf_free(&b);
    return t;
}

/* A JSON-LD body keeps its paragraph breaks (they count in no score but
 * help a reader); only tags and entities are undone. */
static char *ld_body(const char *s)
{
    if (!s)
        return NULL;
    char *t = ld_text(s);
    return t;
}

/* A name from a string, {"name": ...} or an array of either. */
static void ld_names(const JsonValue *v, Buf *out, int depth)
{
    if (!v || depth > 4)
        return;
    const char *name = NULL;
    if (v->type == JSON_STRING)
        name = v->u.str.s;
    else if (v->type == JSON_OBJECT)
        name = json_get_str(v, "name");
    else if (v->type == JSON_ARRAY)
        for (size_t i = 0; i < v->u.arr.n && i < 8; i++)
            ld_names(v->u.arr.items[i], out, depth + 1);
    if (name && *name && strncmp(name, "http", 4) != 0) {
        char *t = ld_text(name);
        if (t && !strstr(buf_cstr(out), t)) {
            if (out->len)
                buf_puts(out, ", ");
            buf_puts(out, t);
        }
        free(t);
    }
}

static const char *ld_url(const JsonValue *v, int depth)
{
    if (!v || depth > 4)
        return NULL;
    if (v->type == JSON_STRING)
        return v->u.str.s;
    if (v->type == JSON_OBJECT) {
        const char *u = json_get_str(v, "url");
        return u ? u : json_get_str(v, "contentUrl");
    }
    if (v->type == JSON_ARRAY && v->u.arr.n > 0)
        return ld_url(v->u.arr.items[0], depth + 1);
    return NULL;
}

/* Parses one JSON-LD block, repairing the usual faults: raw control
 * characters inside strings, HTML comment wrappers, a trailing ';'. */
static JsonValue *ld_parse(Arena *a, const char *s)
{
    SwErr err;
    size_t n = strlen(s);
    JsonValue *v = json_parse(a, s, n, &err);
    if (v)
        return v;
    char *copy = xstrdup(s);
    char *p = copy;
    for (char *q = copy; *q; q++)
        if ((unsigned char)*q < 0x20)
            *q = ' ';
    while (*p == ' ')
        p++;
    if (strncmp(p, "<!--", 4) == 0)
        p += 4;
    n = strlen(p);
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == ';'))
        n--;
    if (n >= 3 && strncmp(p + n - 3, "-->", 3) == 0)
        n -= 3;
    v = json_parse(a, p, n, &err);
    free(copy);
    return v;
}

/* ---- choosing ---- */

static char *resolve_url(const char *u, const char *base)
{
    if (!u)
        return NULL;
    char *clean = ex_clean_text(u, strlen(u));
    if (!clean)
        return NULL;
    if (base && *base) {
        xmlChar *abs = xmlBuildURI((const xmlChar *)clean, (const xmlChar *)base);
        if (abs) {
            free(clean);
            clean = xstrdup((const char *)abs);
            xmlFree(abs);
        }
    }
    return clean;
}

static const char *first_of(const Collected *c, const int *keys, int n)
{
    for (int i = 0; i < n; i++)
        if (c->meta[keys[i]] && *c->meta[keys[i]])
            return c->meta[keys[i]];
    return NULL;
}

static char *dup_clean(const char *s)
{
    return s ? ld_text(s) : NULL;
}

void extract_meta(const HTree *doc, const char *page_url, Extracted *out, char **article_body)
{
    Collected c;
    memset(&c, 0, sizeof c);
    *article_body = NULL;
    collect(doc, &c);

    Arena arena = {0};
    Ld ld = {0};
    for (int i = 0; i < c.n_jsonld; i++)
        ld_walk(ld_parse(&arena, c.jsonld[i]), &ld, 0);
    const JsonValue *art = ld.article;

    /* URL base: <base href> resolved against the page, else the page. */
    char *base = NULL;
    if (c.base && page_url)
        base = resolve_url(c.base, page_url);
    else if (c.base)
        base = resolve_url(c.base, NULL);
    else if (page_url)
        base = xstrdup(page_url);

    /* title */
    const char *ld_headline = art ? json_get_str(art, "headline") : NULL;
    if (!ld_headline && art)
        ld_headline = json_get_str(art, "name");
    static const int title_keys[] = {M_OG_TITLE, M_TW_TITLE, M_ITEM_HEADLINE};
    const char *t = ld_headline ? ld_headline : first_of(&c, title_keys, 3);
    out->title = dup_clean(t);
    if (!out->title)
        out->title = hn_text(c.h1_el);
    if (!out->title)
        out->title = hn_text(c.title_el);

    /* description */
    static const int desc_keys[] = {M_OG_DESC, M_TW_DESC, M_DESC};
    const char *d = art ? json_get_str(art, "description") : NULL;
    out->description = dup_clean(d ? d : first_of(&c, desc_keys, 3));

    /* author */
    Buf names = {0};
    if (art)
        ld_names(json_get(art, "author"), &names, 0);
    if (!names.len) {
        static const int author_keys[] = {M_AUTHOR, M_DC_CREATOR, M_PARSELY_AUTHOR, M_SAILTHRU_AUTHOR,
                                          M_ART_AUTHOR};
        for (int i = 0; i < 5 && !names.len; i++) {
            const char *a = c.meta[author_keys[i]];
            if (a && *a && strncmp(a, "http", 4) != 0) {
                char *x = ld_text(a);
                if (x)
                    buf_puts(&names, x);
                free(x);
            }
        }
    }
    if (!names.len && c.author_el) {
        char *x = hn_text(c.author_el);
        if (x && strlen(x) < 120)
            buf_puts(&names, x);
        free(x);
    }
    out->author = names.len ? buf_detach(&names) : NULL;
    buf_free(&names);

    /* published */
    const char *dates[16];
    int nd = 0;
    if (art) {
        dates[nd++] = json_get_str(art, "datePublished");
        dates[nd++] = json_get_str(art, "dateCreated");
    }
    static const int date_keys[] = {M_ART_PUB, M_OG_PUB, M_ITEM_PUB, M_PUBDATE, M_PUBLISHDATE,
                                    M_PUBLISH_DATE, M_PUBLISH_DATE2, M_DC_ISSUED, M_DC_DATE,
                                    M_DCT_CREATED, M_SAILTHRU_DATE, M_PARSELY_DATE, M_DISPLAY_DATE,
                                    M_DATE};
    for (size_t i = 0; i < sizeof date_keys / sizeof date_keys[0] && nd < 15; i++)
        dates[nd++] = c.meta[date_keys[i]];
    dates[nd++] = c.time_dt;
    for (int i = 0; i < nd && !out->published; i++) {
        int64_t ts;
        if (dates[i] && extract_parse_date(dates[i], &ts) == 0 && ts > 0)
            out->published = ts;
    }

    /* image */
    static const int image_keys[] = {M_OG_IMAGE, M_OG_IMAGE_URL, M_OG_IMAGE_SECURE, M_TW_IMAGE,
                                     M_TW_IMAGE_SRC};
    const char *img = art ? ld_url(json_get(art, "image"), 0) : NULL;
    if (!img)
        img = first_of(&c, image_keys, 5);
    out->image = resolve_url(img, base);

    /* canonical URL */
    const char *u = c.canonical && *c.canonical ? c.canonical : c.meta[M_OG_URL];
    if (!u && art)
        u = json_get_str(art, "url");
    out->url = u ? resolve_url(u, base) : (page_url ? ex_clean_text(page_url, strlen(page_url)) : NULL);

    /* language */
    const char *lang = c.lang;
    if ((!lang || !*lang) && art)
        lang = json_get_str(art, "inLanguage");
    if (!lang || !*lang)
        lang = c.meta[M_CONTENT_LANG];
    if (lang && *lang) {
        out->lang = ex_clean_text(lang, strlen(lang));
    } else if (c.meta[M_OG_LOCALE]) {
        out->lang = ex_clean_text(c.meta[M_OG_LOCALE], strlen(c.meta[M_OG_LOCALE]));
        for (char *p = out->lang; p && *p; p++)
            if (*p == '_')
                *p = '-';
    }

    /* site name */
    const char *site = NULL;
    if (art) {
        const JsonValue *pub = json_get(art, "publisher");
        if (pub && pub->type == JSON_ARRAY && pub->u.arr.n > 0)
            pub = pub->u.arr.items[0];
        site = json_get_str(pub, "name");
    }
    if (!site)
        site = c.meta[M_OG_SITE];
    if (!site)
        site = ld.site_name;
    if (!site)
        site = c.meta[M_APP_NAME];
    out->site_name = dup_clean(site);

    if (art)
        *article_body = ld_body(json_get_str(art, "articleBody"));
    free(base);
    arena_free(&arena);
}
