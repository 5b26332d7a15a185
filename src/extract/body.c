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
#include "htree.h"

typedef struct NodeInfo {
    HNode *node;
    int parent;          /* index, -1 for the root */
    uint32_t text;       /* non-space bytes of text below */
    uint32_t link;       /* of which inside <a> */
    uint32_t commas;
    uint32_t anchors;    /* <a> elements below */
    float score;
    uint32_t size;       /* elements in the subtree, itself included */
    unsigned scored : 1; /* score initialised */
    unsigned block : 1;  /* has block-level element children */
    unsigned dead : 1;   /* pruned, or inside a pruned element */
} NodeInfo;

typedef struct Body {
    NodeInfo *info;
    size_t n, cap;
} Body;

static int idx_of(const HNode *n)
{
    return n ? n->idx - 1 : -1;
}

/* ---- tag tables ---- */

static int is_block(const HNode *n)
{
    return n->name && (n->flags & HF_BLOCK);
}

/* ---- class/id hints ---- */

/* Words in a class or id that mark boilerplate. An entry ending in '*'
 * matches words starting with it ("comment*": "comments", "commentlist");
 * others match whole words only. "Strong" ones are removed even next to a
 * positive word ("article-share", "post-comments"); the others only when
 * no positive word is there too ("sidebar" yes, "article-header" no). */
enum { H_STRONG = 1, H_WEAK = 2, H_POSITIVE = 4 };

typedef struct Hint {
    const char *word; /* lower case */
    uint8_t len;
    uint8_t prefix;   /* matches words starting with it */
    uint8_t kind;     /* H_* */
} Hint;

#define W(s, k) {s, sizeof(s) - 1, 0, k}
#define P(s, k) {s, sizeof(s) - 1, 1, k}
static const Hint hints[] = {
    /* strong */
    W("comment", H_STRONG), P("comments", H_STRONG), W("commentlist", H_STRONG),
    W("commenting", H_STRONG), P("share", H_STRONG), W("sharing", H_STRONG), P("related", H_STRONG),
    P("newsletter", H_STRONG), P("cookie", H_STRONG), W("consent", H_STRONG), W("gdpr", H_STRONG),
    P("advert", H_STRONG), P("sponsor", H_STRONG), P("promo", H_STRONG), P("outbrain", H_STRONG),
    P("taboola", H_STRONG), P("disqus", H_STRONG), P("breadcrumb", H_STRONG),
    W("pagination", H_STRONG), P("subscribe", H_STRONG), P("subscription", H_STRONG),
    W("signup", H_STRONG), P("paywall", H_STRONG), P("recommend", H_STRONG), W("trending", H_STRONG),
    W("popular", H_STRONG), W("mostread", H_STRONG), W("mostpopular", H_STRONG),
    P("caption", H_STRONG), P("credit", H_STRONG), P("byline", H_STRONG), W("bio", H_STRONG),
    /* weak */
    W("dateline", H_WEAK), W("timestamp", H_WEAK), W("tags", H_WEAK), W("taglist", H_WEAK),
    W("tag", H_WEAK), P("author", H_WEAK), P("jump", H_WEAK), P("skip", H_WEAK), W("print", H_WEAK),
    P("widget", H_WEAK), P("sidebar", H_WEAK), P("footer", H_WEAK), W("masthead", H_WEAK),
    W("navbar", H_WEAK), W("nav", H_WEAK), W("navigation", H_WEAK), P("menu", H_WEAK),
    P("banner", H_WEAK), P("contributor", H_WEAK), W("disclaimer", H_WEAK), W("ad", H_WEAK),
    W("ads", H_WEAK), P("adslot", H_WEAK), P("adunit", H_WEAK), W("more", H_WEAK), W("meta", H_WEAK),
    W("follow", H_WEAK), W("next", H_WEAK), W("prev", H_WEAK), W("rail", H_WEAK), P("popup", H_WEAK),
    W("modal", H_WEAK), W("toolbar", H_WEAK), W("header", H_WEAK), W("hero", H_WEAK),
    W("aside", H_WEAK), W("extra", H_WEAK), W("secondary", H_WEAK), W("topbar", H_WEAK),
    W("login", H_WEAK), W("signin", H_WEAK), W("register", H_WEAK), W("rss", H_WEAK),
    W("sticky", H_WEAK), W("overlay", H_WEAK), P("social", H_WEAK),
    /* positive */
    P("article", H_POSITIVE), W("body", H_POSITIVE), P("content", H_POSITIVE), P("entry", H_POSITIVE),
    W("main", H_POSITIVE), W("post", H_POSITIVE), P("story", H_POSITIVE), W("text", H_POSITIVE),
    P("blog", H_POSITIVE), W("prose", H_POSITIVE), W("richtext", H_POSITIVE), P("embed", H_POSITIVE),
    P("tweet", H_POSITIVE),
};
#undef W
#undef P

/* The H_* kinds of the words of s: words are split on characters other
 * than letters and digits and at camelCase humps ("relatedLinks" is
 * "related" "links"), and compared without case. */
static unsigned words_kinds(const char *s)
{
    unsigned kinds = 0;
    if (!s)
        return 0;
    const char *p = s;
    while (*p) {
        while (*p && !isalnum((unsigned char)*p))
            p++;
        const char *w = p;
        while (*p && isalnum((unsigned char)*p) &&
               !(p > w && islower((unsigned char)p[-1]) && isupper((unsigned char)*p)))
            p++;
        size_t wl = (size_t)(p - w);
        if (!wl)
            continue;
        char low[24];
        size_t k = wl < sizeof low ? wl : sizeof low;
        for (size_t i = 0; i < k; i++)
            low[i] = (char)tolower((unsigned char)w[i]);
        for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++) {
            const Hint *h = &hints[i];
            if (h->word[0] != low[0] || (h->prefix ? wl < h->len : wl != h->len) || h->len > k)
                continue;
            if (memcmp(low, h->word, h->len) == 0)
                kinds |= h->kind;
        }
    }
    return kinds;
}

static unsigned node_kinds(const HNode *n)
{
    return n->attrs ? words_kinds(hn_attr(n, "class")) | words_kinds(hn_attr(n, "id")) : 0;
}

static float class_weight(const HNode *n)
{
    float w = 0;
    unsigned kinds = node_kinds(n);
    if (kinds & H_POSITIVE)
        w += 25;
    if (kinds & (H_STRONG | H_WEAK))
        w -= 25;
    const char *ip = hn_attr(n, "itemprop");
    if (ip && strcasecmp(ip, "articleBody") == 0)
        w += 50;
    return w;
}

static int is_hidden(const HNode *n)
{
    if (hn_attr(n, "hidden"))
        return 1;
    const char *ah = hn_attr(n, "aria-hidden");
    if (ah && strcasecmp(ah, "true") == 0)
        return 1;
    const char *st = hn_attr(n, "style");
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

/* ---- passes 1 and 2 ---- */

static uint32_t count_text(const HNode *t, uint32_t *commas)
{
    uint32_t k = 0;
    const unsigned char *p = (const unsigned char *)t->text;
    for (uint32_t i = 0; i < t->len; i++) {
        unsigned char c = p[i];
        if (c > ' ' && (c & 0xC0) != 0x80 && !(c == 0xC2 && i + 1 < t->len && p[i + 1] == 0xA0))
            k++; /* characters, not bytes */
        if (c == ',')
            (*commas)++;
    }
    return k;
}

/* Pass 1: indexes every element (pre-order, so a parent's index is below
 * its children's) and sums the text below it, bottom-up in one sweep. */
static void measure(Body *b, HNode *root)
{
    b->n = 0;
    for (HNode *n = root; n;) {
        int skip = 0;
        if (n->name) {
            if (b->n == b->cap) {
                b->cap = b->cap ? b->cap * 2 : 1024;
                b->info = xrealloc(b->info, b->cap * sizeof *b->info);
            }
            NodeInfo *ni = &b->info[b->n];
            memset(ni, 0, sizeof *ni);
            ni->node = n;
            ni->parent = n == root ? -1 : idx_of(n->parent);
            n->idx = (int32_t)++b->n;
            if (n != root && ni->parent >= 0 && is_block(n))
                b->info[ni->parent].block = 1;
            skip = n->tag == T_SCRIPT || n->tag == T_STYLE;
        } else if (n->parent && n->parent->idx > 0) {
            NodeInfo *p = &b->info[n->parent->idx - 1];
            p->text += count_text(n, &p->commas);
        }
        n = hn_next(n, root, skip);
    }
    for (size_t i = b->n; i-- > 0;) {
        NodeInfo *ni = &b->info[i];
        if (ni->node->tag == T_A) {
            ni->link = ni->text;
            ni->anchors++;
        }
        ni->size++;
        if (ni->parent >= 0) {
            NodeInfo *p = &b->info[ni->parent];
            p->size += ni->size;
            p->anchors += ni->anchors;
            p->text += ni->text;
            p->link += ni->link;
            p->commas += ni->commas;
        }
    }
}

static int has_article_role(const HNode *n)
{
    const char *ip = hn_attr(n, "itemprop");
    return n->tag == T_ARTICLE || n->tag == T_MAIN || n->tag == T_BODY ||
           (ip && strcasecmp(ip, "articleBody") == 0);
}

static int boilerplate_role(const char *role)
{
    static const char *const roles[] = {"navigation", "complementary", "banner", "contentinfo",
                                        "dialog", "alert", "search", "menu", "menubar", NULL};
    for (int i = 0; role && roles[i]; i++)
        if (strcasecmp(role, roles[i]) == 0)
            return 1;
    return 0;
}

/* Removes n from the tree and its text from its ancestors' sums. */
static void drop_node(Body *b, HNode *n)
{
    int i = idx_of(n);
    if (i >= 0) {
        const NodeInfo *ni = &b->info[i];
        for (int a = ni->parent; a >= 0; a = b->info[a].parent) {
            b->info[a].text -= ni->text;
            b->info[a].link -= ni->link;
            b->info[a].commas -= ni->commas;
            b->info[a].anchors -= ni->anchors;
        }
        for (size_t j = (size_t)i; j < (size_t)i + ni->size && j < b->n; j++)
            b->info[j].dead = 1;
    }
    hn_remove(n);
}

/* An inline element made of three or more links and little else. */
static int is_link_cluster(const Body *b, const HNode *n)
{
    int i = idx_of(n);
    if (i < 0 || (n->flags & HF_BLOCK) || n->tag == T_A || !n->name)
        return 0;
    const NodeInfo *ni = &b->info[i];
    return ni->anchors >= 3 && (uint64_t)ni->link * 10 > (uint64_t)ni->text * 8;
}

static int has_cluster_child(const Body *b, const HNode *n)
{
    for (const HNode *c = n->children; c; c = c->next)
        if (c->name && is_link_cluster(b, c))
            return 1;
    return 0;
}

/* Pass 2: removes what cannot be article text. An element holding 40% of
 * the page's text is never removed for its class or id. */
static void prune(Body *b, HNode *root)
{
    uint32_t total = b->n ? b->info[0].text : 0;
    for (HNode *n = root; n;) {
        int drop = 0;
        if (n->name && n != root) {
            int i = idx_of(n);
            uint32_t text = i >= 0 ? b->info[i].text : 0;
            if ((n->flags & HF_NEVER_TEXT) || (n->attrs && is_hidden(n))) {
                drop = 1;
            } else if (i >= 0 && is_link_cluster(b, n) && !has_cluster_child(b, n)) {
                /* a cluster of links inside a line of text: a hover card or
                 * a link list laid out inline, never a sentence */
                drop = 1;
            } else if (n->attrs) {
                if (boilerplate_role(hn_attr(n, "role"))) {
                    drop = 1;
                } else if (!has_article_role(n)) {
                    unsigned kinds = node_kinds(n);
                    int big = (uint64_t)text * 10 >= (uint64_t)total * 4;
                    if (!big && (kinds & H_STRONG))
                        drop = 1;
                    else if (!big && (kinds & H_WEAK) && !(kinds & H_POSITIVE))
                        drop = 1;
                }
            }
        }
        HNode *next = hn_next(n, root, drop);
        if (drop)
            drop_node(b, n);
        n = next;
    }
}

/* ---- pass 3: scoring ---- */

static float base_score(const HNode *n)
{
    float s = 0;
    switch (n->tag) {
    case T_DIV: case T_ARTICLE: case T_SECTION: case T_MAIN:
        s = 5;
        break;
    case T_PRE: case T_TD: case T_BLOCKQUOTE:
        s = 3;
        break;
    case T_OL: case T_UL: case T_DL: case T_LI: case T_DD: case T_DT:
        s = -3;
        break;
    case T_TH:
        s = -5;
        break;
    default:
        if (n->flags & HF_HEADING)
            s = -5;
    }
    return s + (n->attrs ? class_weight(n) : 0);
}

static int is_paragraph(const NodeInfo *ni)
{
    switch (ni->node->tag) {
    case T_P: case T_PRE: case T_TD:
        return 1;
    case T_DIV: case T_SECTION: case T_SPAN: case T_FONT:
        /* holding only inline content, it is a paragraph too */
        return !ni->block;
    default:
        return 0;
    }
}

static void score(Body *b)
{
    for (size_t i = 0; i < b->n; i++) {
        NodeInfo *ni = &b->info[i];
        if (ni->dead || !is_paragraph(ni) || ni->text < 25)
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

static int block_kind(const HNode *blk, const HNode *top)
{
    for (int depth = 0; blk && blk->name && depth < 8; blk = blk->parent, depth++) {
        if (blk->flags & HF_HEADING)
            return K_HEADING;
        switch (blk->tag) {
        case T_LI: case T_DD: case T_DT:
            return K_ITEM;
        case T_BLOCKQUOTE:
            return K_QUOTE;
        case T_PRE:
            return K_PRE;
        case T_TD: case T_TH:
            return K_CELL;
        default:
            break;
        }
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

static void add_text(Render *r, const HNode *t, int in_link)
{
    const unsigned char *p = (const unsigned char *)t->text;
    for (uint32_t i = 0; i < t->len; i++) {
        unsigned char c = p[i];
        if (c <= ' ' || (c == 0xC2 && i + 1 < t->len && p[i + 1] == 0xA0)) {
            if (c == 0xC2)
                i++;
            r->space = 1;
            continue;
        }
        if (r->space && r->cur.len && r->cur.data[r->cur.len - 1] != '\n')
            buf_putc(&r->cur, ' ');
        r->space = 0;
        buf_putc(&r->cur, (char)c);
        if ((c & 0xC0) != 0x80) {
            r->cur_chars++;
            if (in_link)
                r->cur_link++;
        }
    }
}

/* Renders the subtree of top into paragraphs. */
static void render(Render *r, HNode *top)
{
    HNode *n = top;
    const HNode *blk = top;
    int links = 0;
    int entering = 1;
    while (n) {
        if (entering) {
            if (!n->name) {
                add_text(r, n, links > 0);
            } else {
                if (n->tag == T_BR) {
                    if (r->cur.len) {
                        buf_putc(&r->cur, '\n');
                        r->space = 0;
                    }
                } else if (is_block(n)) {
                    flush(r, block_kind(blk, top));
                    blk = n;
                } else if (n->tag == T_A) {
                    links++;
                }
                if (n->children) {
                    n = n->children;
                    continue;
                }
            }
        }
        /* leaving n */
        if (n->name) {
            if (is_block(n) && n->tag != T_BR) {
                flush(r, block_kind(blk, top));
                blk = n->parent ? n->parent : top;
            } else if (n->tag == T_A) {
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
        "advertisement", "advert", "ad", "share this", "share on", "share", "read more", "read next",
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

static int ends_sentence(const char *s, size_t n)
{
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '"' || s[n - 1] == ')' ||
                     (unsigned char)s[n - 1] >= 0x80))
        n--; /* closing quotes, including UTF-8 ones */
    return n > 0 && (s[n - 1] == '.' || s[n - 1] == '!' || s[n - 1] == '?' || s[n - 1] == ':');
}

/* A short paragraph asking the reader to do something other than read. */
static int promo_line(const char *s)
{
    static const char *const words[] = {
        "follow us", "follow him", "follow her", "follow me", "follow the", "on twitter", "on facebook",
        "on instagram", "newsletter", "subscribe", "sign up", "signup", "your inbox", "delivered to",
        "click here", "share it", "share this", "like this story", "get access", "join our",
        "may be reached", "can be reached", "have a tip", "news tip", "is out now", "download the app",
        "all rights reserved", "requires javascript", "enable javascript", NULL};
    for (int i = 0; words[i]; i++)
        if (strcasestr(s, words[i]))
            return 1;
    return 0;
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
    /* The tail of an article is where pages put their calls to action
     * (follow us, newsletters, author blurbs) and the trailing headings
     * that introduce what comes after the article: trimmed from the end
     * back to the first paragraph that is neither. */
    for (size_t i = r->n; i-- > 0;) {
        if (!keep[i])
            continue;
        const char *s = r->text.data + r->p[i].off;
        if (r->p[i].kind == K_HEADING || (r->p[i].chars < 300 && promo_line(s)))
            keep[i] = 0;
        else
            break;
    }
    /* A closing list of two or more linked items ("more stories"), with
     * the short line that titles it. */
    size_t items = 0, last = r->n;
    int rest = 0; /* some text comes before the list */
    while (last-- > 0) {
        if (!keep[last])
            continue;
        const Para *p = &r->p[last];
        if (p->kind != K_ITEM || p->link == 0 || p->chars >= 200) {
            rest = 1;
            break;
        }
        items++;
    }
    if (items >= 2 && rest) {
        for (size_t j = last + 1; j < r->n; j++)
            keep[j] = 0;
        const Para *p = &r->p[last];
        if (p->chars < 60 && !ends_sentence(r->text.data + p->off, p->len))
            keep[last] = 0;
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
    const char *c1 = hn_attr(top->node, "class"), *c2 = hn_attr(s->node, "class");
    if (c1 && c2 && *c1 && strcmp(c1, c2) == 0)
        bonus = top->score * 0.2f;
    if (s->scored && s->score + bonus >= threshold)
        return 1;
    /* a lone paragraph beside the container */
    if (s->node->tag == T_P && s->text > 0) {
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
    HNode *parent = t->node->parent;
    if (!parent || t->parent < 0) {
        render(r, t->node);
    } else {
        for (HNode *s = parent->children; s; s = s->next) {
            if (s == t->node) {
                render(r, s);
                continue;
            }
            if (!s->name)
                continue;
            int i = idx_of(s);
            if (i >= 0 && sibling_belongs(b, t, &b->info[i]))
                render(r, s);
        }
    }
    return join_kept(r, title);
}

#define N_CANDIDATES 8

static int inside(const Body *b, int j, int anc)
{
    return j >= anc && (size_t)j < (size_t)anc + b->info[anc].size;
}

/* An article split into several blocks (one per ad slot) shows up as
 * candidates in sibling branches: then their common parent is the
 * container. Moves best[0] up while another strong candidate lives beside
 * it. */
static void promote(Body *b, int *best, int nb)
{
    float top_score = b->info[best[0]].score;
    int top = best[0];
    int p = b->info[top].parent;
    for (int up = 0; up < 3 && p >= 0; up++, p = b->info[p].parent) {
        int others = 0;
        for (int k = 1; k < nb; k++) {
            int j = best[k];
            if (j != p && inside(b, j, p) && !inside(b, j, top) && !inside(b, top, j) &&
                b->info[j].score >= top_score * 0.5f)
                others++;
        }
        if (others) {
            top = p;
            up = -1; /* three more levels from the new container */
        }
    }
    best[0] = top;
}

char *extract_body(HTree *doc, const char *title, const char *article_body)
{
    HNode *html = ex_html(doc);
    HNode *root = hn_child(html, T_BODY);
    if (!root)
        root = html;
    Body b = {0};
    measure(&b, root);
    prune(&b, root);
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
        promote(&b, best, nb);
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
    free(b.info);
    return text;
}
