/* htree.c - builds an HTree from libxml2's HTML SAX events.
 *
 * libxml2 does the hard part (tokenising, entities, implied and
 * auto-closed tags, recovery from broken markup); the callbacks here only
 * append elements and text to an arena. Text runs go into one growing
 * buffer and are turned into pointers once parsing is done, so a text
 * node split over several callbacks costs no copies. */
#include "xml_api.h"
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/err.h"
#include "htree.h"

static const struct TagInfo {
    const char *name;
    uint16_t tag;
    uint8_t flags;
} tags[] = {
    /* sorted by name for bsearch */
    {"a", T_A, 0}, {"address", T_ADDRESS, HF_BLOCK}, {"applet", T_APPLET, HF_NEVER_TEXT},
    {"article", T_ARTICLE, HF_BLOCK}, {"aside", T_ASIDE, HF_BLOCK | HF_NEVER_TEXT},
    {"audio", T_AUDIO, HF_NEVER_TEXT}, {"base", T_BASE, 0}, {"blockquote", T_BLOCKQUOTE, HF_BLOCK},
    {"body", T_BODY, HF_BLOCK}, {"br", T_BR, HF_BLOCK}, {"button", T_BUTTON, HF_NEVER_TEXT},
    {"canvas", T_CANVAS, HF_NEVER_TEXT}, {"caption", T_CAPTION, HF_BLOCK},
    {"center", T_CENTER, HF_BLOCK}, {"dd", T_DD, HF_BLOCK}, {"details", T_DETAILS, HF_BLOCK},
    {"dialog", T_DIALOG, HF_BLOCK | HF_NEVER_TEXT}, {"div", T_DIV, HF_BLOCK}, {"dl", T_DL, HF_BLOCK},
    {"dt", T_DT, HF_BLOCK}, {"embed", T_EMBED, HF_NEVER_TEXT}, {"fieldset", T_FIELDSET, HF_BLOCK},
    {"figcaption", T_FIGCAPTION, HF_BLOCK}, {"figure", T_FIGURE, HF_BLOCK | HF_NEVER_TEXT},
    {"font", T_FONT, 0}, {"footer", T_FOOTER, HF_BLOCK | HF_NEVER_TEXT},
    {"form", T_FORM, HF_BLOCK | HF_NEVER_TEXT}, {"frame", T_FRAME, HF_NEVER_TEXT},
    {"frameset", T_FRAMESET, HF_NEVER_TEXT}, {"h1", T_H1, HF_BLOCK | HF_HEADING},
    {"h2", T_H2, HF_BLOCK | HF_HEADING}, {"h3", T_H3, HF_BLOCK | HF_HEADING},
    {"h4", T_H4, HF_BLOCK | HF_HEADING}, {"h5", T_H5, HF_BLOCK | HF_HEADING},
    {"h6", T_H6, HF_BLOCK | HF_HEADING}, {"head", T_HEAD, HF_NEVER_TEXT},
    {"header", T_HEADER, HF_BLOCK}, {"hgroup", T_HGROUP, HF_BLOCK}, {"hr", T_HR, HF_BLOCK},
    {"html", T_HTML, HF_BLOCK}, {"iframe", T_IFRAME, HF_NEVER_TEXT}, {"img", T_IMG, HF_NEVER_TEXT},
    {"input", T_INPUT, HF_NEVER_TEXT}, {"label", T_LABEL, HF_NEVER_TEXT}, {"li", T_LI, HF_BLOCK},
    {"link", T_LINK, HF_NEVER_TEXT}, {"main", T_MAIN, HF_BLOCK}, {"map", T_MAP, HF_NEVER_TEXT},
    {"math", T_MATH, HF_NEVER_TEXT}, {"menu", T_MENU, HF_BLOCK | HF_NEVER_TEXT},
    {"meta", T_META, HF_NEVER_TEXT}, {"nav", T_NAV, HF_BLOCK | HF_NEVER_TEXT},
    {"noscript", T_NOSCRIPT, HF_NEVER_TEXT}, {"object", T_OBJECT, HF_NEVER_TEXT},
    {"ol", T_OL, HF_BLOCK}, {"option", T_OPTION, HF_NEVER_TEXT}, {"p", T_P, HF_BLOCK},
    {"picture", T_PICTURE, HF_NEVER_TEXT}, {"pre", T_PRE, HF_BLOCK},
    {"script", T_SCRIPT, HF_NEVER_TEXT}, {"section", T_SECTION, HF_BLOCK},
    {"select", T_SELECT, HF_NEVER_TEXT}, {"source", T_SOURCE, HF_NEVER_TEXT}, {"span", T_SPAN, 0},
    {"style", T_STYLE, HF_NEVER_TEXT}, {"summary", T_SUMMARY, HF_BLOCK},
    {"svg", T_SVG, HF_NEVER_TEXT}, {"table", T_TABLE, HF_BLOCK}, {"tbody", T_TBODY, HF_BLOCK},
    {"td", T_TD, HF_BLOCK}, {"template", T_TEMPLATE, HF_NEVER_TEXT},
    {"textarea", T_TEXTAREA, HF_NEVER_TEXT}, {"tfoot", T_TFOOT, HF_BLOCK}, {"th", T_TH, HF_BLOCK},
    {"thead", T_THEAD, HF_BLOCK}, {"time", T_TIME, 0}, {"title", T_TITLE, 0},
    {"tr", T_TR, HF_BLOCK}, {"ul", T_UL, HF_BLOCK}, {"video", T_VIDEO, HF_NEVER_TEXT},
};

static int tag_cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const struct TagInfo *)elem)->name);
}

static const struct TagInfo *tag_lookup(const char *name)
{
    return bsearch(name, tags, sizeof tags / sizeof tags[0], sizeof tags[0], tag_cmp);
}

int htree_tag(const char *name, unsigned *flags)
{
    const struct TagInfo *t = tag_lookup(name);
    *flags = t ? t->flags : 0;
    return t ? t->tag : T_OTHER;
}

/* Attributes the extractor reads; the rest are not stored. */
static const char *kept_attr(const char *a)
{
    static const char *const keep[] = {"aria-hidden", "charset", "class", "content", "datetime",
                                       "hidden", "href", "http-equiv", "id", "itemprop", "lang",
                                       "name", "property", "rel", "role", "style", "type",
                                       "xml:lang", NULL};
    for (int i = 0; keep[i]; i++)
        if (a[0] == keep[i][0] && strcmp(a, keep[i]) == 0)
            return keep[i];
    return NULL;
}

typedef struct Builder {
    HTree *t;
    HNode *cur;       /* element receiving children */
    HNode *open_text; /* text node still growing, or NULL */
    Buf text;         /* all text, runs separated by NUL */
    htmlParserCtxtPtr ctxt;
} Builder;

static HNode *new_node(Builder *b)
{
    HNode *n = arena_alloc(&b->t->arena, sizeof *n); /* zeroed */
    n->parent = b->cur;
    n->prev = b->cur->last;
    if (b->cur->last)
        b->cur->last->next = n;
    else
        b->cur->children = n;
    b->cur->last = n;
    return n;
}

static void close_text(Builder *b)
{
    if (b->open_text) {
        buf_putc(&b->text, '\0');
        b->open_text = NULL;
    }
}

static void on_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
    Builder *b = ctx;
    close_text(b);
    if (!name)
        name = (const xmlChar *)"";
    if (b->t->elements >= HTREE_MAX_ELEMENTS) {
        b->t->truncated = 1;
        xmlStopParser(b->ctxt);
        return;
    }
    b->t->elements++;
    HNode *n = new_node(b);
    const struct TagInfo *ti = tag_lookup((const char *)name);
    /* known names point into the static table, others are copied */
    n->tag = ti ? ti->tag : T_OTHER;
    n->flags = ti ? ti->flags : 0;
    n->name = ti ? ti->name : arena_strdup(&b->t->arena, (const char *)name);
    if (atts) {
        int k = 0;
        for (int i = 0; atts[i]; i += 2)
            if (kept_attr((const char *)atts[i]))
                k++;
        if (k) {
            const char **a = arena_alloc(&b->t->arena, (size_t)(2 * k + 1) * sizeof *a);
            int j = 0;
            for (int i = 0; atts[i]; i += 2)
                if (kept_attr((const char *)atts[i])) {
                    a[j++] = kept_attr((const char *)atts[i]);
                    a[j++] = arena_strdup(&b->t->arena, atts[i + 1] ? (const char *)atts[i + 1] : "");
                }
            a[j] = NULL;
            n->attrs = a;
        }
    }
    b->cur = n;
}

static void on_end(void *ctx, const xmlChar *name)
{
    Builder *b = ctx;
    close_text(b);
    /* libxml2 balances start and end events, but a stop in the middle
     * (the element cap) must not walk past the root */
    if (b->cur != b->t->root)
        b->cur = b->cur->parent;
    (void)name;
}

static void on_text(void *ctx, const xmlChar *ch, int len)
{
    Builder *b = ctx;
    if (len <= 0)
        return;
    if (!b->open_text) {
        HNode *n = new_node(b);
        n->text = (char *)(uintptr_t)b->text.len; /* an offset until parsing ends */
        b->open_text = n;
    }
    buf_append(&b->text, ch, (size_t)len);
    b->open_text->len += (uint32_t)len;
}

/* Resolves the text offsets into pointers once the buffer stops moving. */
static void resolve_text(HTree *t, char *base)
{
    HNode *n = t->root;
    while (n) {
        if (!n->name && n != t->root)
            n->text = base + (uintptr_t)n->text;
        n = hn_next(n, t->root, 0);
    }
}

int htree_parse(HTree *t, const char *utf8, size_t len)
{
    memset(t, 0, sizeof *t);
    if (len > INT32_MAX)
        return -1;
    t->root = arena_alloc(&t->arena, sizeof *t->root);
    memset(t->root, 0, sizeof *t->root);
    t->root->name = "#document";
    Builder b = {t, t->root, NULL, {0}, NULL};
    htmlParserCtxtPtr ctxt = htmlCreateMemoryParserCtxt(utf8, (int)len);
    if (!ctxt)
        return -1;
    b.ctxt = ctxt;
    htmlSAXHandler *sax = (htmlSAXHandler *)ctxt->sax;
    memset(sax, 0, sizeof *sax);
    sax->startElement = on_start;
    sax->endElement = on_end;
    sax->characters = on_text;
    sax->cdataBlock = on_text;
    sax->ignorableWhitespace = on_text;
    ctxt->userData = &b;
    xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
    htmlCtxtUseOptions(ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                 HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC | HTML_PARSE_NOIMPLIED);
    htmlParseDocument(ctxt);
    htmlFreeParserCtxt(ctxt);
    close_text(&b);
    buf_putc(&b.text, '\0');
    /* the text buffer moves into the arena's lifetime: it is freed with the tree */
    char *base = arena_alloc(&t->arena, b.text.len);
    memcpy(base, b.text.data, b.text.len);
    buf_free(&b.text);
    resolve_text(t, base);
    return 0;
}

void htree_free(HTree *t)
{
    arena_free(&t->arena);
    memset(t, 0, sizeof *t);
}

const char *hn_attr(const HNode *n, const char *name)
{
    if (!n->attrs)
        return NULL;
    for (const char **a = n->attrs; *a; a += 2)
        if (a[0][0] == name[0] && strcmp(a[0], name) == 0)
            return a[1];
    return NULL;
}

HNode *hn_child(const HNode *n, int tag)
{
    for (HNode *c = n->children; c; c = c->next)
        if (c->name && c->tag == tag)
            return c;
    return NULL;
}

HNode *hn_next(const HNode *n, const HNode *top, int skip_children)
{
    if (!skip_children && n->children)
        return n->children;
    while (n != top && !n->next)
        n = n->parent;
    return n == top ? NULL : n->next;
}

void hn_remove(HNode *n)
{
    HNode *p = n->parent;
    if (!p)
        return;
    if (n->prev)
        n->prev->next = n->next;
    else
        p->children = n->next;
    if (n->next)
        n->next->prev = n->prev;
    else
        p->last = n->prev;
    n->removed = 1;
    n->next = n->prev = NULL;
}

char *hn_text(const HNode *top)
{
    Buf b = {0};
    int space = 0;
    for (const HNode *n = top; n; n = hn_next(n, top, n->name && (n->tag == T_SCRIPT || n->tag == T_STYLE))) {
        if (n->name)
            continue;
        for (uint32_t i = 0; i < n->len; i++) {
            unsigned char c = (unsigned char)n->text[i];
            if (c <= ' ' || (c == 0xC2 && i + 1 < n->len && (unsigned char)n->text[i + 1] == 0xA0)) {
                if (c == 0xC2)
                    i++;
                space = 1;
                continue;
            }
            if (space && b.len)
                buf_putc(&b, ' ');
            space = 0;
            buf_putc(&b, (char)c);
        }
    }
    if (!b.len)
        return NULL;
    return buf_detach(&b);
}
