/* htree.h - a compact, read-mostly HTML tree built from libxml2's HTML
 * parser events (SAX), for the extractor.
 *
 * libxml2's own DOM costs a malloc per node and per attribute and a free
 * for each again; building this tree into one arena instead makes parsing
 * about a third cheaper, and keeping only the attributes the extractor
 * reads (class, id, rel, content, ...) keeps it small. Tags carry a
 * numeric id and flags looked up once, so the passes compare integers.
 * The tree is capped at HTREE_MAX_ELEMENTS elements (a hostile page of
 * millions of tags is parsed only up to there, and `truncated` is set). */
#ifndef SW_HTREE_H
#define SW_HTREE_H

#include <stddef.h>
#include <stdint.h>

#include "../core/arena.h"

#define HTREE_MAX_ELEMENTS 400000

enum {
    T_OTHER = 0, T_A, T_ADDRESS, T_APPLET, T_ARTICLE, T_ASIDE, T_AUDIO, T_BASE, T_BLOCKQUOTE,
    T_BODY, T_BR, T_BUTTON, T_CANVAS, T_CAPTION, T_CENTER, T_DD, T_DETAILS, T_DIALOG, T_DIV,
    T_DL, T_DT, T_EMBED, T_FIELDSET, T_FIGCAPTION, T_FIGURE, T_FONT, T_FOOTER, T_FORM, T_FRAME,
    T_FRAMESET, T_H1, T_H2, T_H3, T_H4, T_H5, T_H6, T_HEAD, T_HEADER, T_HGROUP, T_HR, T_HTML,
    T_IFRAME, T_IMG, T_INPUT, T_LABEL, T_LI, T_LINK, T_MAIN, T_MAP, T_MATH, T_MENU, T_META,
    T_NAV, T_NOSCRIPT, T_OBJECT, T_OL, T_OPTION, T_P, T_PICTURE, T_PRE, T_SCRIPT, T_SECTION,
    T_SELECT, T_SOURCE, T_SPAN, T_STYLE, T_SUMMARY, T_SVG, T_TABLE, T_TBODY, T_TD, T_TEMPLATE,
    T_TEXTAREA, T_TFOOT, T_TH, T_THEAD, T_TIME, T_TITLE, T_TR, T_UL, T_VIDEO, T_COUNT
};

#define HF_BLOCK 1u      /* starts a new paragraph */
#define HF_NEVER_TEXT 2u /* never article text (scripts, forms, navigation, media) */
#define HF_HEADING 4u

typedef struct HNode HNode;
struct HNode {
    HNode *parent, *children, *last, *next, *prev;
    const char *name;   /* lower-case tag name; NULL for text */
    const char **attrs; /* name, value, ..., NULL (kept attributes only) */
    char *text;         /* text nodes: NUL-terminated */
    uint32_t len;       /* text length in bytes */
    uint16_t tag;       /* T_* */
    uint8_t flags;      /* HF_* */
    uint8_t removed;    /* pruned from the tree */
    int32_t idx;        /* scratch for the body passes */
};

typedef struct HTree {
    Arena arena;
    HNode *root;       /* a synthetic document node; its children are the top elements */
    size_t elements;
    int truncated;
} HTree;

/* Parses len bytes of UTF-8 HTML (no NUL needed) into t. 0 on success,
 * -1 when the parser could not start. */
int htree_parse(HTree *t, const char *utf8, size_t len);
void htree_free(HTree *t);

static inline int hn_is_elem(const HNode *n) { return n->name != NULL; }
/* Attribute value or NULL. */
const char *hn_attr(const HNode *n, const char *name);
/* The first element child named tag (T_*) of n, or NULL. */
HNode *hn_child(const HNode *n, int tag);
/* Pre-order successor of n within the subtree of top, skipping n's
 * children when skip_children. */
HNode *hn_next(const HNode *n, const HNode *top, int skip_children);
/* Unlinks n from its parent (the node stays allocated in the arena). */
void hn_remove(HNode *n);
/* All text below n, white space collapsed and trimmed (heap, or NULL when
 * empty). */
char *hn_text(const HNode *n);
/* Flags and id of a tag name. */
int htree_tag(const char *name, unsigned *flags);

#endif
