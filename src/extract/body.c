/* body.c - which part of a page is the article, as plain text.
 *
 * Four passes over the DOM, none recursive (markup can nest thousands
 * deep):
 *  1. measure: text and link-text length of every element;
 *  2. prune: drop what is never article text (scripts, forms, navigation,
 *     hidden elements) and elements whose class/id names boilerplate
 *     (comments, share bars, related links, cookie banners, ads), unless
 *     they hold most of the page's text;
 *  3. score: every paragraph-like block gives points for its length and
 *     commas to its parent and, fading, to further ancestors; an
 *     element's score is then scaled by its link density and class/id
 *     hints, and the best element is the article container (the idea of
 *     Readability's scoring, with our own weights);
 *  4. render: the container and the siblings that score like it become
 *     paragraphs, and each paragraph is kept or dropped on its own shape:
 *     link density, length, position, boilerplate phrases.
 * When the page's JSON-LD gives an articleBody, it is evidence for the
 * choice between the best few containers, not a substitute for them. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/err.h"
#include "extract_internal.h"

typedef struct NodeInfo {
    xmlNodePtr node;
    int parent;          /* index, -1 for the root */
    uint32_t text;       /* non-space bytes of text below */
    uint32_t link;       /* of which inside <a> */
    uint32_t commas;
    float score;
    unsigned scored : 1; /* score initialised */
    unsigned block : 1;  /* has block-level element children */
} NodeInfo;

typedef struct Body {
    NodeInfo *info;
    size_t n, cap;
} Body;

static int idx_of(xmlNodePtr n)
{
    return (int)(intptr_t)n->_private - 1;
}

/* ---- tag tables ---- */

static int in_list(const char *name, const char *const *list)
{
    for (int i = 0; list[i]; i++)
        if (strcasecmp(name, list[i]) == 0)
            return 1;
    return 0;
}

static const char *const never_text[] = {
    "script", "style", "noscript", "template", "iframe", "svg", "canvas", "form", "button",
    "input", "select", "textarea", "nav", "aside", "footer", "object", "embed", "video", "audio",
    "map", "head", "link", "meta", "dialog", "menu", "label", "picture", "img", "source", "figure",
    "math", "applet", "frameset", "frame", NULL};

static const char *const block_tags[] = {
    "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
    "tbody", "thead", "tfoot", "tr", "td", "th", "ul", "br", "html", "caption", NULL};

static int is_block(xmlNodePtr n)
{
    return n->type == XML_ELEMENT_NODE && n->name && in_list((const char *)n->name, block_tags);
}

static int is_heading(const char *name)
{
    return (name[0] == 'h' || name[0] == 'H') && name[1] >= '1' && name[1] <= '6' && !name[2];
}

/* ---- class/id hints ---- */

/* Words in a class or id that mark boilerplate. Strong ones are removed
 * even next to a positive word ("article-share", "post-comments"). */
static const char *const strong_neg[] = {
    "comment", "share", "sharing", "social", "related", "newsletter", "cookie", "consent", "gdpr",
    "advert", "sponsor", "promo", "outbrain", "taboola", "disqus", "breadcrumb", "pagination",
    "subscri", "signup", "popup", "modal", "toolbar", "paywall", "recommend", "trending",
    "popular", "readmore", "read-more", "newsletter", "byline", "dateline", "caption", "credit",
    "timestamp", "tags", "taglist", "author", "jump", "skip", "print", "widget", "sidebar",
    "footer", "masthead", "navbar", "navigation", "menu", "banner", "hidden", "bio", "contributor",
    "disclaimer", "correction", "inline-ad", "adslot", "adunit", "ad", "ads", "nav", "tag",
    "more", "meta", "share", "follow", "also", "see-also", "next", "prev", "rail", NULL};
static const char *const weak_neg[] = {"header", "hero", "aside", "extra", "secondary", "topbar",
                                       "login", "signin", "register", "rss", "sticky", "overlay",
                                       NULL};
static const char *const positive[] = {"article", "body", "content", "entry", "main", "post",
                                       "story", "text", "blog", "prose", "rich", NULL};

/* 1 when one of the words of s (split on non-letters, lower-cased) starts
 * with a listed word; words of 4 letters or fewer must match whole. */
static int words_match(const char *s, const char *const *list)
{
    if (!s)
        return 0;
    const char *p = s;
    while (*p) {
        while (*p && !isalnum((unsigned char)*p))
            p++;
        const char *b = p;
        while (*p && (isalnum((unsigned char)*p)))
            p++;
        size_t wl = (size_t)(p - b);
        if (!wl)
            continue;
        for (int i = 0; list[i]; i++) {
            size_t ll = strlen(list[i]);
            if (strchr(list[i], '-')) {
                /* a hyphenated entry matches anywhere in the raw value */
                if (strcasestr(s, list[i]))
                    return 1;
                continue;
            }
            if (ll <= 4 ? (wl == ll && strncasecmp(b, list[i], ll) == 0)
                        : (wl >= ll && strncasecmp(b, list[i], ll) == 0))
                return 1;
        }
    }
    return 0;
}

static int hint_match(xmlNodePtr n, const char *const *list)
{
    return words_match(ex_attr(n, "class"), list) || words_match(ex_attr(n, "id"), list);
}

static float class_weight(xmlNodePtr n)
{
    float w = 0;
    if (hint_match(n, positive))
        w += 25;
    if (hint_match(n, strong_neg) || hint_match(n, weak_neg))
        w -= 25;
    const char *ip = ex_attr(n, "itemprop");
    if (ip && strcasecmp(ip, "articleBody") == 0)
        w += 50;
    return w;
}

static int is_hidden(xmlNodePtr n)
{
    if (ex_attr(n, "hidden"))
        return 1;
    const char *ah = ex_attr(n, "aria-hidden");
    if (ah && strcasecmp(ah, "true") == 0)
        return 1;
    const char *st = ex_attr(n, "style");
    if (st) {
        char buf[160];
        size_t k = 0;
        for (const char *p = st; *p && k + 1 < sizeof buf; p++)
            if (!isspace((unsigned char)*p))
                buf[k++] = (char)tolower((unsigned char)*p);
        buf[k] = '\0';
        if (strstr(buf, "display:none") || strstr(buf, "visibility:hidden"))
            return 1;
    }
    return 0;
}

/* ---- traversal ---- */

/* The node after n in document order, skipping n's children when
 * skip_children, never leaving root. */
static xmlNodePtr next_node(xmlNodePtr n, xmlNodePtr root, int skip_children)
{
    if (!skip_children && n->children && n->type == XML_ELEMENT_NODE)
        return n->children;
    while (n != root && !n->next)
        n = n->parent;
    return n == root ? NULL : n->next;
}

static uint32_t count_text(const xmlChar *s, uint32_t *commas)
{
    uint32_t k = 0;
    for (const unsigned char *p = s; *p; p++) {
        if (*p > ' ' && !(*p == 0xC2 && p[1] == 0xA0))
            k += (*p & 0xC0) != 0x80; /* characters, not bytes */
        if (*p == ',')
            (*commas)++;
    }
    return k;
}

/* Pass 1: indexes every element (pre-order, so a parent's index is below
 * its children's) and sums the text below it, bottom-up in one sweep. */
static void measure(Body *b, xmlNodePtr root)
{
    b->n = 0;
    xmlNodePtr n = root;
    while (n) {
        int skip = 0;
        if (n->type == XML_ELEMENT_NODE) {
            if (b->n == b->cap) {
                b->cap = b->cap ? b->cap * 2 : 1024;
                b->info = xrealloc(b->info, b->cap * sizeof *b->info);
            }
            NodeInfo *ni = &b->info[b->n];
            memset(ni, 0, sizeof *ni);
            ni->node = n;
            ni->parent = n == root ? -1 : idx_of(n->parent);
            n->_private = (void *)(intptr_t)(b->n + 1);
            b->n++;
            if (n != root && ni->parent >= 0 && is_block(n))
                b->info[ni->parent].block = 1;
            skip = n->name && (strcasecmp((const char *)n->name, "script") == 0 ||
                               strcasecmp((const char *)n->name, "style") == 0);
        } else if (n->type == XML_TEXT_NODE && n->content && n->parent) {
            int p = idx_of(n->parent);
            if (p >= 0 && (size_t)p < b->n && b->info[p].node == n->parent)
                b->info[p].text += count_text(n->content, &b->info[p].commas);
        }
        n = next_node(n, root, skip);
    }
    for (size_t i = b->n; i-- > 0;) {
        NodeInfo *ni = &b->info[i];
        if (ex_name_is(ni->node, "a"))
            ni->link = ni->text;
        if (ni->parent >= 0) {
            NodeInfo *p = &b->info[ni->parent];
            p->text += ni->text;
            p->link += ni->link;
            p->commas += ni->commas;
        }
    }
}

static int has_article_role(xmlNodePtr n)
{
    const char *ip = ex_attr(n, "itemprop");
    return ex_name_is(n, "article") || ex_name_is(n, "main") || ex_name_is(n, "body") ||
           (ip && strcasecmp(ip, "articleBody") == 0);
}

/* Pass 2: removes what cannot be article text. total is the page's text
 * length: an element holding 40% of it is never removed for its name. */
static void prune(Body *b, xmlNodePtr root)
{
    uint32_t total = b->n ? b->info[0].text : 0;
    xmlNodePtr n = root;
    while (n) {
        int drop = 0;
        if (n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE) {
            drop = 1;
        } else if (n->type == XML_ELEMENT_NODE && n != root && n->name) {
            const char *name = (const char *)n->name;
            int i = idx_of(n);
            uint32_t text = i >= 0 && (size_t)i < b->n && b->info[i].node == n ? b->info[i].text : 0;
            if (in_list(name, never_text) || is_hidden(n)) {
                drop = 1;
            } else if (!has_article_role(n) && (ex_attr(n, "class") || ex_attr(n, "id"))) {
                int big = text * 10 >= total * 4;
                if (!big && hint_match(n, strong_neg))
                    drop = 1;
                else if (!big && hint_match(n, weak_neg) && !hint_match(n, positive))
                    drop = 1;
            }
            const char *role = ex_attr(n, "role");
            if (role && (strcasecmp(role, "navigation") == 0 || strcasecmp(role, "complementary") == 0 ||
                         strcasecmp(role, "banner") == 0 || strcasecmp(role, "contentinfo") == 0 ||
                         strcasecmp(role, "dialog") == 0 || strcasecmp(role, "alert") == 0))
                drop = 1;
        }
        xmlNodePtr next = next_node(n, root, drop);
        if (drop) {
            xmlUnlinkNode(n);
            xmlFreeNode(n);
        }
        n = next;
    }
}

/* ---- pass 3: scoring ---- */

static float base_score(xmlNodePtr n)
{
    const char *name = (const char *)n->name;
    float s = 0;
    if (strcasecmp(name, "div") == 0 || strcasecmp(name, "article") == 0 ||
        strcasecmp(name, "section") == 0 || strcasecmp(name, "main") == 0)
        s = 5;
    else if (strcasecmp(name, "pre") == 0 || strcasecmp(name, "td") == 0 ||
             strcasecmp(name, "blockquote") == 0)
        s = 3;
    else if (strcasecmp(name, "ol") == 0 || strcasecmp(name, "ul") == 0 ||
             strcasecmp(name, "dl") == 0 || strcasecmp(name, "li") == 0 ||
             strcasecmp(name, "dd") == 0 || strcasecmp(name, "dt") == 0)
        s = -3;
    else if (is_heading(name) || strcasecmp(name, "th") == 0)
        s = -5;
    return s + class_weight(n);
}

static int is_paragraph(const NodeInfo *ni)
{
    const char *name = (const char *)ni->node->name;
    if (strcasecmp(name, "p") == 0 || strcasecmp(name, "pre") == 0 || strcasecmp(name, "td") == 0)
        return 1;
    /* a div or section holding only inline content is a paragraph too */
    return !ni->block && (strcasecmp(name, "div") == 0 || strcasecmp(name, "section") == 0 ||
                          strcasecmp(name, "span") == 0 || strcasecmp(name, "font") == 0);
}

static void score(Body *b)
{
    for (size_t i = 0; i < b->n; i++) {
        NodeInfo *ni = &b->info[i];
        if (!is_paragraph(ni) || ni->text < 25)
            continue;
        float own = 1.0f + (float)ni->commas + (ni->text / 100.0f > 3 ? 3 : ni->text / 100.0f);
        int level = 0;
        for (int a = ni->parent; a >= 0 && level < 5; a = b->info[a].parent, level++) {
            NodeInfo *an = &b->info[a];
            if (!an->scored) {
                an->score = base_score(an->node);
                an->scored = 1;
            }
            an->score += level == 0 ? own : level == 1 ? own / 2 : own / (level * 3);
        }
    }
    for (size_t i = 0; i < b->n; i++) {
        NodeInfo *ni = &b->info[i];
        if (ni->scored && ni->text > 0)
            ni->score *= 1.0f - (float)ni->link / (float)ni->text;
    }
}

/* ---- pass 4: rendering ---- */

enum { K_TEXT, K_HEADING, K_ITEM, K_QUOTE, K_PRE, K_CELL };

typedef struct Para {
    size_t off, len; /* in Render.text */
    uint32_t chars, link;
    int kind;
} Para;

typedef struct Render {
    Buf text;   /* paragraph texts, each NUL-terminated */
    Buf cur;    /* the paragraph being built */
    uint32_t cur_chars, cur_link;
    int space;  /* a space is pending */
    Para *p;
    size_t n, cap;
} Render;

static int block_kind(xmlNodePtr blk, xmlNodePtr top)
{
    for (int depth = 0; blk && depth < 8; blk = blk->parent, depth++) {
        if (blk->type != XML_ELEMENT_NODE || !blk->name)
            break;
        const char *name = (const char *)blk->name;
        if (is_heading(name))
            return K_HEADING;
        if (strcasecmp(name, "li") == 0 || strcasecmp(name, "dd") == 0 || strcasecmp(name, "dt") == 0)
            return K_ITEM;
        if (strcasecmp(name, "blockquote") == 0)
            return K_QUOTE;
        if (strcasecmp(name, "pre") == 0)
            return K_PRE;
        if (strcasecmp(name, "td") == 0 || strcasecmp(name, "th") == 0)
            return K_CELL;
        if (blk == top)
            break;
    }
    return K_TEXT;
}

static void flush(Render *r, int kind)
{
    while (r->cur.len && (r->cur.data[r->cur.len - 1] == ' ' || r->cur.data[r->cur.len - 1] == '\n'))
        r->cur.len--;
    if (r->cur.len && r->cur_chars) {
        if (r->n == r->cap) {
            r->cap = r->cap ? r->cap * 2 : 64;
            r->p = xrealloc(r->p, r->cap * sizeof *r->p);
        }
        Para *p = &r->p[r->n++];
        p->off = r->text.len;
        p->len = r->cur.len;
        p->chars = r->cur_chars;
        p->link = r->cur_link;
        p->kind = kind;
        buf_append(&r->text, r->cur.data, r->cur.len);
        buf_putc(&r->text, '\0');
    }
    buf_reset(&r->cur);
    r->cur_chars = r->cur_link = 0;
    r->space = 0;
}

static void add_text(Render *r, const unsigned char *s, int in_link)
{
    for (const unsigned char *p = s; *p; p++) {
        if (*p <= ' ' || (*p == 0xC2 && p[1] == 0xA0)) {
            if (*p == 0xC2)
                p++;
            r->space = 1;
            continue;
        }
        if (r->space && r->cur.len && r->cur.data[r->cur.len - 1] != '\n')
            buf_putc(&r->cur, ' ');
        r->space = 0;
        buf_putc(&r->cur, (char)*p);
        if ((*p & 0xC0) != 0x80) {
            r->cur_chars++;
            if (in_link)
                r->cur_link++;
        }
    }
}

/* Renders the subtree of top into paragraphs. */
static void render(Render *r, xmlNodePtr top)
{
    xmlNodePtr n = top, blk = top;
    int links = 0;
    int entering = 1;
    while (n) {
        if (entering) {
            if (n->type == XML_TEXT_NODE && n->content) {
                add_text(r, n->content, links > 0);
            } else if (n->type == XML_ELEMENT_NODE && n->name) {
                const char *name = (const char *)n->name;
                if (strcasecmp(name, "br") == 0) {
                    if (r->cur.len) {
                        buf_putc(&r->cur, '\n');
                        r->space = 0;
                    }
                } else if (is_block(n)) {
                    flush(r, block_kind(blk, top));
                    blk = n;
                } else if (strcasecmp(name, "a") == 0) {
                    links++;
                }
                if (n->children) {
                    n = n->children;
                    continue;
                }
            }
        }
        /* leaving n */
        if (n->type == XML_ELEMENT_NODE && n->name) {
            if (is_block(n) && strcasecmp((const char *)n->name, "br") != 0) {
                flush(r, block_kind(blk, top));
                blk = n->parent ? n->parent : top;
            } else if (ex_name_is(n, "a")) {
                links--;
            }
        }
        if (n == top)
            break;
        if (n->next) {
            n = n->next;
            entering = 1;
        } else {
            n = n->parent;
            entering = 0;
        }
    }
    flush(r, block_kind(blk, top));
}

/* ---- word overlap, for the JSON-LD evidence ---- */

typedef struct WordBag {
    uint64_t *keys; /* 0 = empty */
    uint32_t *counts;
    size_t cap, total;
} WordBag;

static uint64_t word_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)tolower((unsigned char)s[i])) * 1099511628211ULL;
    return h ? h : 1;
}

/* Calls fn for every word (letters and digits, UTF-8 bytes >= 0x80 count
 * as letters). */
static void each_word(const char *s, void (*fn)(void *, uint64_t), void *ctx)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        while (*p && !(isalnum(*p) || *p >= 0x80))
            p++;
        const unsigned char *b = p;
        while (*p && (isalnum(*p) || *p >= 0x80))
            p++;
        if (p > b)
            fn(ctx, word_hash((const char *)b, (size_t)(p - b)));
    }
}

static uint32_t *bag_slot(WordBag *w, uint64_t h, int insert)
{
    size_t i = (size_t)(h & (w->cap - 1));
    while (w->keys[i] && w->keys[i] != h)
        i = (i + 1) & (w->cap - 1);
    if (!w->keys[i]) {
        if (!insert)
            return NULL;
        w->keys[i] = h;
    }
    return &w->counts[i];
}

static void bag_add(void *ctx, uint64_t h)
{
    WordBag *w = ctx;
    if (w->total * 2 >= w->cap)
        return; /* full enough: the rest of a huge body adds nothing */
    (*bag_slot(w, h, 1))++;
    w->total++;
}

typedef struct Match {
    WordBag *ref;
    uint32_t *used;
    size_t hit, total;
} Match;

static void match_word(void *ctx, uint64_t h)
{
    Match *m = ctx;
    m->total++;
    uint32_t *c = bag_slot(m->ref, h, 0);
    if (c) {
        size_t i = (size_t)(c - m->ref->counts);
        if (m->used[i] < *c) {
            m->used[i]++;
            m->hit++;
        }
    }
}

static double overlap_f1(WordBag *ref, const char *text)
{
    Match m = {ref, xcalloc(ref->cap, sizeof(uint32_t)), 0, 0};
    each_word(text, match_word, &m);
    free(m.used);
    if (!m.total || !ref->total)
        return 0;
    return 2.0 * (double)m.hit / (double)(m.total + ref->total);
}

/* ---- choosing and filtering ---- */

static int starts_with_word(const char *s, const char *w)
{
    size_t n = strlen(w);
    return strncasecmp(s, w, n) == 0 && !isalnum((unsigned char)s[n]);
}

/* Short lines that pages put around articles in every language they
 * print in English. */
static int boilerplate_line(const char *s, uint32_t chars)
{
    static const char *const lead[] = {
        "advertisement", "share this", "share on", "share", "read more", "read next",
        "related", "sign up", "subscribe", "follow us", "click here", "image:", "photo:",
        "copyright", "all rights reserved", "loading", "comments", "recommended", "you may also like",
        "more from", "most read", "most popular", "trending", "tags:", "topics:", "filed under",
        "posted in", "sponsored", "supported by", "skip to", "continue reading", "listen to",
        NULL};
    if (chars > 100)
        return 0;
    for (int i = 0; lead[i]; i++)
        if (starts_with_word(s, lead[i]))
            return 1;
    if (strncmp(s, "\xC2\xA9", 2) == 0) /* © */
        return 1;
    return 0;
}

static int same_text(const char *a, const char *b)
{
    if (!a || !b)
        return 0;
    while (*a && *b) {
        while (*a && !isalnum((unsigned char)*a) && (unsigned char)*a < 0x80)
            a++;
        while (*b && !isalnum((unsigned char)*b) && (unsigned char)*b < 0x80)
            b++;
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
        if (*a)
            a++;
        if (*b)
            b++;
    }
    while (*a && !isalnum((unsigned char)*a) && (unsigned char)*a < 0x80)
        a++;
    while (*b && !isalnum((unsigned char)*b) && (unsigned char)*b < 0x80)
        b++;
    return !*a && !*b;
}

/* Keeps the paragraphs that read as article text; returns them joined. */
static char *join_kept(Render *r, const char *title)
{
    char *keep = xcalloc(r->n ? r->n : 1, 1);
    for (size_t i = 0; i < r->n; i++) {
        Para *p = &r->p[i];
        const char *s = r->text.data + p->off;
        float ld = (float)p->link / (float)p->chars;
        int k = 1;
        if (ld > 0.5f && p->chars < 400)
            k = 0;
        else if (boilerplate_line(s, p->chars))
            k = 0;
        else if (title && same_text(s, title))
            k = 0;
        keep[i] = (char)k;
    }
    /* a heading with nothing kept after it closes nothing */
    for (size_t i = r->n; i-- > 0;) {
        if (!keep[i])
            continue;
        if (r->p[i].kind == K_HEADING)
            keep[i] = 0;
        else
            break;
    }
    Buf out = {0};
    for (size_t i = 0; i < r->n; i++) {
        if (!keep[i])
            continue;
        if (out.len)
            buf_puts(&out, "\n\n");
        buf_append(&out, r->text.data + r->p[i].off, r->p[i].len);
    }
    free(keep);
    buf_cstr(&out);
    return buf_detach(&out);
}

static void render_reset(Render *r)
{
    buf_reset(&r->text);
    buf_reset(&r->cur);
    r->n = 0;
    r->cur_chars = r->cur_link = 0;
    r->space = 0;
}

static void render_free(Render *r)
{
    buf_free(&r->text);
    buf_free(&r->cur);
    free(r->p);
}

static int sibling_belongs(const Body *b, const NodeInfo *top, const NodeInfo *s)
{
    float threshold = top->score * 0.2f > 10 ? top->score * 0.2f : 10;
    float bonus = 0;
    const char *c1 = ex_attr(top->node, "class"), *c2 = ex_attr(s->node, "class");
    if (c1 && c2 && *c1 && strcmp(c1, c2) == 0)
        bonus = top->score * 0.2f;
    if (s->scored && s->score + bonus >= threshold)
        return 1;
    if (ex_name_is(s->node, "p") && s->text > 0) {
        float ld = (float)s->link / (float)s->text;
        if (s->text > 80 && ld < 0.25f)
            return 1;
    }
    (void)b;
    return 0;
}

/* Renders the chosen container with the siblings that belong to it. */
static char *render_container(Body *b, Render *r, int top, const char *title)
{
    render_reset(r);
    NodeInfo *t = &b->info[top];
    xmlNodePtr parent = t->node->parent;
    if (!parent || t->parent < 0) {
        render(r, t->node);
    } else {
        for (xmlNodePtr s = parent->children; s; s = s->next) {
            if (s == t->node) {
                render(r, s);
                continue;
            }
            if (s->type != XML_ELEMENT_NODE)
                continue;
            int i = idx_of(s);
            if (i >= 0 && (size_t)i < b->n && b->info[i].node == s && sibling_belongs(b, t, &b->info[i]))
                render(r, s);
        }
    }
    return join_kept(r, title);
}

#define N_CANDIDATES 5

char *extract_body(htmlDocPtr doc, const char *title, const char *article_body)
{
    xmlNodePtr html = xmlDocGetRootElement(doc);
    if (!html)
        return xstrdup("");
    xmlNodePtr root = html;
    for (xmlNodePtr c = html->children; c; c = c->next)
        if (ex_name_is(c, "body"))
            root = c;
    Body b = {0};
    measure(&b, root);
    prune(&b, root);
    measure(&b, root);
    score(&b);

    int best[N_CANDIDATES];
    int nb = 0;
    for (size_t i = 0; i < b.n; i++) {
        if (!b.info[i].scored)
            continue;
        int k;
        if (nb < N_CANDIDATES)
            k = nb++;
        else if (b.info[best[N_CANDIDATES - 1]].score < b.info[i].score)
            k = N_CANDIDATES - 1;
        else
            continue;
        best[k] = (int)i;
        while (k > 0 && b.info[best[k - 1]].score < b.info[best[k]].score) {
            int x = best[k - 1];
            best[k - 1] = best[k];
            best[k] = x;
            k--;
        }
    }
    Render r = {0};
    char *text;
    if (nb == 0) {
        render(&r, root);
        text = join_kept(&r, title);
    } else {
        text = render_container(&b, &r, best[0], title);
        size_t ab_len = article_body ? strlen(article_body) : 0;
        if (ab_len >= 200) {
            WordBag ref = {0};
            ref.cap = 1024;
            while (ref.cap < ab_len / 2 && ref.cap < (1u << 20))
                ref.cap *= 2;
            ref.keys = xcalloc(ref.cap, sizeof *ref.keys);
            ref.counts = xcalloc(ref.cap, sizeof *ref.counts);
            each_word(article_body, bag_add, &ref);
            double best_f = overlap_f1(&ref, text);
            for (int k = 1; k < nb && best_f < 0.9; k++) {
                char *alt = render_container(&b, &r, best[k], title);
                double f = overlap_f1(&ref, alt);
                if (f > best_f + 0.1) {
                    free(text);
                    text = alt;
                    best_f = f;
                } else {
                    free(alt);
                }
            }
            free(ref.keys);
            free(ref.counts);
        }
    }
    render_free(&r);
    for (size_t i = 0; i < b.n; i++)
        b.info[i].node->_private = NULL;
    free(b.info);
    return text;
}
