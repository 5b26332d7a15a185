/* feed_xml.c - RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 over the xml.c tokenizer.
 *
 * One pass, no tree. Each open element is kept on a stack with its
 * namespace, its tag (from a table of the elements we read), a context
 * (feed, item, channel image, author, or skipped subtree) inherited by its
 * children, and its xml:base. A field element starts a capture: its inner
 * XML is taken as one raw span when it ends, so markup inside a
 * description survives as HTML and nothing is copied for fields we do not
 * read. Where several elements can fill one field (pubDate, dc:date,
 * atom:published ...) each has a priority and the highest present wins,
 * whatever the order in the document.
 *
 * Namespaces are resolved by their URI, so any prefix works; a prefix
 * that was never declared falls back to its conventional meaning (dc:,
 * content:, media: ...) because feeds in the wild forget declarations.
 * End tags that do not match are recovered as HTML parsers do: a tag that
 * matches an element further down closes everything above it; one that
 * matches nothing is ignored. */
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/utf8util.h"
#include "feed_internal.h"
#include "xml.h"

typedef enum {
    NS_NONE, NS_ATOM, NS_ATOM03, NS_RDF, NS_RSS1, NS_RSS090, NS_DC, NS_DCTERMS, NS_CONTENT,
    NS_MEDIA, NS_ITUNES, NS_SY, NS_FEEDBURNER, NS_XML, NS_OTHER
} Ns;

static const struct { const char *uri; Ns ns; } ns_uris[] = {
    {"http://www.w3.org/2005/Atom", NS_ATOM},
    {"http://purl.org/atom/ns#", NS_ATOM03},
    {"http://www.w3.org/1999/02/22-rdf-syntax-ns#", NS_RDF},
    {"http://purl.org/rss/1.0/", NS_RSS1},
    {"http://channel.netscape.com/rdf/simple/0.9/", NS_RSS090},
    {"http://my.netscape.com/rdf/simple/0.9/", NS_RSS090},
    {"http://purl.org/dc/elements/1.1/", NS_DC},
    {"http://purl.org/dc/elements/1.0/", NS_DC},
    {"http://purl.org/dc/terms/", NS_DCTERMS},
    {"http://purl.org/rss/1.0/modules/content/", NS_CONTENT},
    {"http://search.yahoo.com/mrss/", NS_MEDIA},
    {"http://search.yahoo.com/mrss", NS_MEDIA},
    {"http://www.itunes.com/dtds/podcast-1.0.dtd", NS_ITUNES},
    {"http://purl.org/rss/1.0/modules/syndication/", NS_SY},
    {"http://rssnamespace.org/feedburner/ext/1.0", NS_FEEDBURNER},
    {"http://www.w3.org/XML/1998/namespace", NS_XML},
};

/* Conventional prefixes, used when a prefix was never declared. */
static const struct { const char *prefix; Ns ns; } ns_prefixes[] = {
    {"atom", NS_ATOM}, {"atom10", NS_ATOM}, {"rdf", NS_RDF}, {"dc", NS_DC}, {"dcterms", NS_DCTERMS},
    {"content", NS_CONTENT}, {"media", NS_MEDIA}, {"itunes", NS_ITUNES}, {"sy", NS_SY},
    {"feedburner", NS_FEEDBURNER}, {"xml", NS_XML},
};

typedef enum {
    T_OTHER, T_RSS, T_RDF, T_FEED, T_CHANNEL, T_ITEM, T_ENTRY, T_IMAGE, T_TEXTINPUT, T_TITLE,
    T_LINK, T_DESCRIPTION, T_GUID, T_PUBDATE, T_LASTBUILDDATE, T_AUTHOR, T_CATEGORY, T_ENCLOSURE,
    T_SOURCE, T_LANGUAGE, T_TTL, T_URL, T_MANAGINGEDITOR, T_WEBMASTER, T_CLOUD,
    T_A_ID, T_A_UPDATED, T_A_PUBLISHED, T_A_ISSUED, T_A_MODIFIED, T_A_CREATED, T_A_SUMMARY,
    T_A_CONTENT, T_A_SUBTITLE, T_A_TAGLINE, T_A_NAME, T_A_EMAIL, T_A_CONTRIBUTOR, T_A_LOGO,
    T_A_ICON, T_DC_CREATOR, T_DC_DATE, T_DC_SUBJECT, T_DC_TITLE, T_DC_DESCRIPTION, T_DC_LANGUAGE,
    T_DCT_MODIFIED, T_DCT_CREATED, T_DCT_ISSUED, T_CONTENT_ENCODED, T_M_CONTENT, T_M_THUMBNAIL,
    T_M_DESCRIPTION, T_M_TITLE, T_IT_IMAGE, T_IT_AUTHOR, T_IT_SUMMARY, T_IT_OWNER,
    T_IT_CATEGORY, T_IT_KEYWORDS, T_SY_PERIOD, T_SY_FREQUENCY, T_FB_ORIGLINK, T_A_LINK,
} Tag;

static const struct { Ns ns; const char *local; Tag tag; } tags[] = {
    {NS_NONE, "rss", T_RSS}, {NS_RDF, "RDF", T_RDF}, {NS_NONE, "channel", T_CHANNEL},
    {NS_NONE, "item", T_ITEM}, {NS_NONE, "image", T_IMAGE}, {NS_NONE, "textInput", T_TEXTINPUT},
    {NS_NONE, "textinput", T_TEXTINPUT}, {NS_NONE, "title", T_TITLE}, {NS_NONE, "link", T_LINK},
    {NS_NONE, "description", T_DESCRIPTION}, {NS_NONE, "guid", T_GUID},
    {NS_NONE, "pubDate", T_PUBDATE}, {NS_NONE, "pubdate", T_PUBDATE},
    {NS_NONE, "lastBuildDate", T_LASTBUILDDATE}, {NS_NONE, "author", T_AUTHOR},
    {NS_NONE, "category", T_CATEGORY}, {NS_NONE, "enclosure", T_ENCLOSURE},
    {NS_NONE, "source", T_SOURCE}, {NS_NONE, "language", T_LANGUAGE}, {NS_NONE, "ttl", T_TTL},
    {NS_NONE, "url", T_URL}, {NS_NONE, "managingEditor", T_MANAGINGEDITOR},
    {NS_NONE, "webMaster", T_WEBMASTER}, {NS_NONE, "cloud", T_CLOUD},
    {NS_ATOM, "feed", T_FEED}, {NS_ATOM, "entry", T_ENTRY}, {NS_ATOM, "title", T_TITLE},
    {NS_ATOM, "link", T_A_LINK}, {NS_ATOM, "id", T_A_ID}, {NS_ATOM, "updated", T_A_UPDATED},
    {NS_ATOM, "published", T_A_PUBLISHED}, {NS_ATOM, "issued", T_A_ISSUED},
    {NS_ATOM, "modified", T_A_MODIFIED}, {NS_ATOM, "created", T_A_CREATED},
    {NS_ATOM, "summary", T_A_SUMMARY}, {NS_ATOM, "content", T_A_CONTENT},
    {NS_ATOM, "subtitle", T_A_SUBTITLE}, {NS_ATOM, "tagline", T_A_TAGLINE},
    {NS_ATOM, "author", T_AUTHOR}, {NS_ATOM, "contributor", T_A_CONTRIBUTOR},
    {NS_ATOM, "name", T_A_NAME}, {NS_ATOM, "email", T_A_EMAIL}, {NS_ATOM, "category", T_CATEGORY},
    {NS_ATOM, "source", T_SOURCE}, {NS_ATOM, "logo", T_A_LOGO}, {NS_ATOM, "icon", T_A_ICON},
    {NS_DC, "creator", T_DC_CREATOR}, {NS_DC, "author", T_DC_CREATOR}, {NS_DC, "date", T_DC_DATE}, {NS_DC, "subject", T_DC_SUBJECT},
    {NS_DC, "title", T_DC_TITLE}, {NS_DC, "description", T_DC_DESCRIPTION},
    {NS_DC, "language", T_DC_LANGUAGE}, {NS_DCTERMS, "modified", T_DCT_MODIFIED},
    {NS_DCTERMS, "created", T_DCT_CREATED}, {NS_DCTERMS, "issued", T_DCT_ISSUED},
    {NS_DCTERMS, "creator", T_DC_CREATOR}, {NS_DCTERMS, "subject", T_DC_SUBJECT},
    {NS_CONTENT, "encoded", T_CONTENT_ENCODED}, {NS_MEDIA, "content", T_M_CONTENT},
    {NS_MEDIA, "thumbnail", T_M_THUMBNAIL}, {NS_MEDIA, "description", T_M_DESCRIPTION},
    {NS_MEDIA, "title", T_M_TITLE}, {NS_ITUNES, "image", T_IT_IMAGE},
    {NS_ITUNES, "author", T_IT_AUTHOR}, {NS_ITUNES, "summary", T_IT_SUMMARY},
    {NS_ITUNES, "owner", T_IT_OWNER}, {NS_ITUNES, "category", T_IT_CATEGORY},
    {NS_ITUNES, "keywords", T_IT_KEYWORDS}, {NS_SY, "updatePeriod", T_SY_PERIOD},
    {NS_SY, "updateFrequency", T_SY_FREQUENCY}, {NS_FEEDBURNER, "origLink", T_FB_ORIGLINK},
};

typedef enum { C_NONE, C_FEED, C_ITEM, C_IMAGE, C_FEED_AUTHOR, C_ITEM_AUTHOR, C_SKIP } Ctx;

typedef struct Elem {
    const char *name; /* qualified, as written */
    size_t name_len;
    const char *base; /* effective xml:base (arena), inherited */
    size_t nbinds;    /* namespace bindings in force before this element */
    unsigned char ns, ctx;
    unsigned short tag;
} Elem;

typedef struct NsBind {
    const char *prefix; /* NULL for the default namespace */
    size_t prefix_len;
    Ns ns;
} NsBind;

#define MAX_DEPTH 256
#define MAX_BINDS 256

/* Priorities of the sources that compete for one item field. */
typedef struct ItemPrio {
    int link, summary, content, image, enclosure, published, updated, author, title;
} ItemPrio;

typedef enum { TX_PLAIN, TX_HTML, TX_BASE64 } TextKind;

typedef struct Parser {
    Feed *f;
    int atom; /* root is an Atom feed: un-namespaced elements read as Atom */
    size_t depth, overflow;
    size_t nbinds;
    /* the open field capture */
    int capturing;
    size_t cap_depth; /* stack depth of the captured element */
    const char *cap_after;
    TextKind cap_kind;
    int cap_plain; /* the value is plain text, not HTML */
    int cap_permalink; /* guid isPermaLink */
    Ctx cap_ctx;
    Tag cap_tag;
    Ns cap_ns;
    /* the item being read */
    FeedItem *item;
    size_t item_cap;
    ItemPrio prio;
    int feed_updated_prio, feed_author_prio, feed_image_prio, feed_link_prio, feed_desc_prio;
    int sy_period; /* minutes per period */
    int sy_freq;
    int root_seen, not_feed, any_item;
    char root[64];
    Buf scratch;
    Buf scratch2; /* for values found inside a value held in scratch */
    size_t elements;
    XmlHandler *h;
    const char *feed_base; /* the feed URL as given, before any xml:base */
    /* last, and not zeroed: every entry is written before it is read */
    Elem stack[MAX_DEPTH];
    NsBind binds[MAX_BINDS];
} Parser;

static Ns ns_of_uri(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t' || *s == '\n'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'))
        n--;
    /* compared without case and without a trailing '/': feeds write
     * ".../modules/content" and ".../DTDs/Podcast-1.0.dtd" */
    if (n > 1 && s[n - 1] == '/')
        n--;
    for (size_t i = 0; i < sizeof ns_uris / sizeof ns_uris[0]; i++) {
        size_t l = strlen(ns_uris[i].uri);
        if (ns_uris[i].uri[l - 1] == '/')
            l--;
        if (l == n && strncasecmp(ns_uris[i].uri, s, n) == 0)
            return ns_uris[i].ns;
    }
    return NS_OTHER;
}

static Ns resolve_prefix(Parser *p, const char *prefix, size_t plen)
{
    for (size_t i = p->nbinds; i-- > 0;) {
        const NsBind *b = &p->binds[i];
        if (prefix ? (b->prefix && b->prefix_len == plen && memcmp(b->prefix, prefix, plen) == 0) : !b->prefix)
            return b->ns;
    }
    if (!prefix)
        return NS_NONE;
    for (size_t i = 0; i < sizeof ns_prefixes / sizeof ns_prefixes[0]; i++)
        if (strlen(ns_prefixes[i].prefix) == plen && memcmp(ns_prefixes[i].prefix, prefix, plen) == 0)
            return ns_prefixes[i].ns;
    return NS_OTHER;
}

/* the table's entries bucketed by first letter, built once (threads may
 * parse at the same time): tag_of runs for every element of every feed */
enum { TAG_BUCKET = 16 };
static unsigned char tag_lens[sizeof tags / sizeof tags[0]];
static unsigned char tag_bucket[64][TAG_BUCKET], tag_nbucket[64];
static pthread_once_t tag_table_once = PTHREAD_ONCE_INIT;

static void tag_table_build(void)
{
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
        tag_lens[i] = (unsigned char)strlen(tags[i].local);
        unsigned b = (unsigned char)tags[i].local[0] & 63;
        if (tag_nbucket[b] < TAG_BUCKET)
            tag_bucket[b][tag_nbucket[b]++] = (unsigned char)i;
    }
}

/* the table is built before a document is scanned (feed_parse_xml) */
static Tag tag_of(Parser *p, Ns ns, const char *local, size_t len)
{
    /* RSS 1.0 and 0.90 use RSS 2.0's element names in their namespaces;
     * un-namespaced elements inside an Atom feed are Atom's */
    if (ns == NS_RSS1 || ns == NS_RSS090)
        ns = NS_NONE;
    else if (ns == NS_ATOM03)
        ns = NS_ATOM;
    else if (ns == NS_NONE && p->atom)
        ns = NS_ATOM;
    if (len == 0)
        return T_OTHER; /* "<dc:>": a prefix and no name */
    unsigned b = (unsigned char)local[0] & 63;
    for (unsigned k = 0; k < tag_nbucket[b]; k++) {
        unsigned i = tag_bucket[b][k];
        if (tag_lens[i] == len && tags[i].ns == ns && memcmp(tags[i].local, local, len) == 0)
            return tags[i].tag;
    }
    return T_OTHER;
}

static const XmlAttr *attr(const XmlAttr *a, size_t n, const char *name)
{
    size_t l = strlen(name);
    for (size_t i = 0; i < n; i++) {
        size_t ll;
        const char *local = xml_local(a[i].name, a[i].name_len, &ll);
        if (ll == l && memcmp(local, name, l) == 0)
            return &a[i];
    }
    return NULL;
}

/* An attribute value decoded into the arena; NULL when absent/empty. */
static const char *attr_str(Parser *p, const XmlAttr *a, size_t n, const char *name)
{
    const XmlAttr *x = attr(a, n, name);
    if (!x)
        return NULL;
    buf_reset(&p->scratch);
    xml_decode(&p->scratch, x->value, x->value_len);
    return fb_str(p->f, p->scratch.data, p->scratch.len);
}

static const char *attr_url(Parser *p, const XmlAttr *a, size_t n, const char *name, const char *base)
{
    const XmlAttr *x = attr(a, n, name);
    if (!x)
        return NULL;
    buf_reset(&p->scratch);
    xml_decode(&p->scratch, x->value, x->value_len);
    return fb_url(p->f, base, p->scratch.data, p->scratch.len);
}

static int attr_is(const XmlAttr *a, size_t n, const char *name, const char *value)
{
    const XmlAttr *x = attr(a, n, name);
    return x && x->value_len == strlen(value) && strncasecmp(x->value, value, x->value_len) == 0;
}

static int is_image_type(const char *type)
{
    return type && strncasecmp(type, "image/", 6) == 0;
}

#define SET_PRIO(field, slot, pr, value)                                                        \
    do {                                                                                        \
        const char *v_ = (value);                                                               \
        if (v_ && (pr) > (slot)) {                                                              \
            (field) = v_;                                                                       \
            (slot) = (pr);                                                                      \
        }                                                                                       \
    } while (0)

static void item_enclosure(Parser *p, const char *url, const char *type, const char *length, int pr)
{
    FeedItem *it = p->item;
    if (!url)
        return;
    if (is_image_type(type)) {
        SET_PRIO(it->image, p->prio.image, 2, url);
        if (pr < 3)
            return;
    }
    if (pr > p->prio.enclosure) {
        it->enclosure_url = url;
        it->enclosure_type = type;
        it->enclosure_length = length ? strtoll(length, NULL, 10) : 0;
        if (it->enclosure_length < 0)
            it->enclosure_length = 0;
        p->prio.enclosure = pr;
    }
}

/* Attribute-only elements and the start of captures. */
static void on_field_start(Parser *p, Elem *e, const XmlAttr *a, size_t na, const char *after)
{
    Feed *f = p->f;
    Ctx ctx = (Ctx)e->ctx;
    Tag t = (Tag)e->tag;
    const char *base = e->base;
    if (ctx == C_ITEM && p->item) {
        FeedItem *it = p->item;
        switch (t) {
        case T_A_LINK: {
            const char *href = attr_url(p, a, na, "href", base);
            const XmlAttr *rel = attr(a, na, "rel");
            const char *type = attr_str(p, a, na, "type");
            if (!rel || attr_is(a, na, "rel", "alternate")) {
                int pr = !type || strcasecmp(type, "text/html") == 0 ? 3 : 2;
                if (e->ns != NS_ATOM && e->ns != NS_ATOM03 && !p->atom)
                    pr = 2; /* atom:link inside RSS: RSS's own link first */
                SET_PRIO(it->link, p->prio.link, pr, href);
            } else if (attr_is(a, na, "rel", "enclosure")) {
                item_enclosure(p, href, type, attr_str(p, a, na, "length"), 3);
            }
            return;
        }
        case T_ENCLOSURE:
            item_enclosure(p, attr_url(p, a, na, "url", base), attr_str(p, a, na, "type"),
                           attr_str(p, a, na, "length"), 3);
            return;
        case T_M_THUMBNAIL:
            SET_PRIO(it->image, p->prio.image, 4, attr_url(p, a, na, "url", base));
            return;
        case T_M_CONTENT: {
            const char *url = attr_url(p, a, na, "url", base);
            const char *type = attr_str(p, a, na, "type");
            if (attr_is(a, na, "medium", "image") || is_image_type(type))
                SET_PRIO(it->image, p->prio.image, 3, url);
            else
                item_enclosure(p, url, type, attr_str(p, a, na, "fileSize"), 1);
            return;
        }
        case T_IT_IMAGE:
            SET_PRIO(it->image, p->prio.image, 1, attr_url(p, a, na, "href", base));
            return;
        case T_CATEGORY:
            if (e->ns == NS_ATOM || e->ns == NS_ATOM03 || (p->atom && e->ns == NS_NONE)) {
                const XmlAttr *term = attr(a, na, "label");
                if (!term || !term->value_len)
                    term = attr(a, na, "term");
                if (term) {
                    buf_reset(&p->scratch);
                    xml_decode(&p->scratch, term->value, term->value_len);
                    fb_category(f, it, p->scratch.data, p->scratch.len);
                }
                return;
            }
            break;
        default:
            break;
        }
    } else if (ctx == C_FEED) {
        switch (t) {
        case T_A_LINK: {
            const char *href = attr_url(p, a, na, "href", base);
            const XmlAttr *rel = attr(a, na, "rel");
            if (!rel || attr_is(a, na, "rel", "alternate")) {
                int pr = (e->ns == NS_ATOM || p->atom) ? 3 : 1;
                if (href && pr > p->feed_link_prio) {
                    f->link = href;
                    p->feed_link_prio = pr;
                }
            } else if (attr_is(a, na, "rel", "self") && !f->self_link) {
                f->self_link = href;
            }
            return;
        }
        case T_IT_IMAGE: {
            const char *href = attr_url(p, a, na, "href", base);
            if (href && p->feed_image_prio < 1) {
                f->image = href;
                p->feed_image_prio = 1;
            }
            return;
        }
        case T_CATEGORY:
        case T_IT_CATEGORY:
            return; /* feed categories are not kept */
        default:
            break;
        }
    }
    if (t == T_LINK && (ctx == C_ITEM || ctx == C_FEED)) {
        const char *href = attr_url(p, a, na, "href", base);
        if (href && ctx == C_ITEM && p->item && p->prio.link <= 3) {
            p->item->link = href;
            p->prio.link = 3;
        } else if (href && ctx == C_FEED && p->feed_link_prio <= 2) {
            f->link = href;
            p->feed_link_prio = 2;
        }
    }
    if (ctx == C_FEED && (t == T_M_CONTENT || t == T_M_THUMBNAIL)) {
        const char *type = attr_str(p, a, na, "type");
        if (t == T_M_THUMBNAIL || attr_is(a, na, "medium", "image") || is_image_type(type)) {
            const char *url = attr_url(p, a, na, "url", base);
            if (url && p->feed_image_prio < 1) {
                f->image = url;
                p->feed_image_prio = 1;
            }
        }
        return;
    }
    /* a text field: capture its inner XML */
    p->capturing = 1;
    p->cap_depth = p->depth;
    p->cap_after = after;
    p->cap_tag = t;
    p->cap_ctx = ctx;
    p->cap_ns = (Ns)e->ns;
    p->cap_kind = TX_HTML;
    p->cap_permalink = 1;
    if (t == T_GUID) {
        const XmlAttr *pl = attr(a, na, "isPermaLink");
        p->cap_permalink = !(pl && pl->value_len == 5 && strncasecmp(pl->value, "false", 5) == 0);
    }
    if (p->atom || e->ns == NS_ATOM || e->ns == NS_ATOM03) {
        const char *type = na ? attr_str(p, a, na, "type") : NULL;
        const char *mode = na ? attr_str(p, a, na, "mode") : NULL;
        if (mode && strcasecmp(mode, "base64") == 0)
            p->cap_kind = TX_BASE64;
        else if (type && (strcasecmp(type, "text") == 0 || strcasecmp(type, "text/plain") == 0))
            p->cap_kind = TX_PLAIN;
        else if (type && strchr(type, '/') && strncasecmp(type, "text/", 5) != 0 &&
                 !strstr(type, "xml") && (t == T_A_CONTENT || t == T_A_SUMMARY || t == T_TITLE ||
                                          t == T_A_SUBTITLE || t == T_A_TAGLINE))
            p->cap_kind = TX_BASE64; /* a MIME type that is not text: base64 (RFC 4287 4.1.3.3) */
        if (t == T_A_CONTENT && !p->item) {
            /* content outside an entry: nothing to fill */
        } else if (t == T_A_CONTENT) {
            const char *src = attr_url(p, a, na, "src", base);
            if (src)
                SET_PRIO(p->item->link, p->prio.link, 1, src);
        }
    }
}

/* Only base64's alphabet, padding and whitespace: some feeds label plain
 * JSON or text with a non-text type, and that must stay as written. */
static int looks_base64(const char *s, size_t n)
{
    size_t letters = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/')
            letters++;
        else if (c != '=' && c != ' ' && c != '\n' && c != '\r' && c != '\t')
            return 0;
    }
    return letters >= 4;
}

static size_t base64_decode(const char *s, size_t n, char *out)
{
    static signed char map[256];
    static int ready;
    if (!ready) {
        memset(map, -1, sizeof map);
        const char *alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < 64; i++)
            map[(unsigned char)alpha[i]] = (signed char)i;
        map['-'] = 62;
        map['_'] = 63;
        ready = 1;
    }
    unsigned acc = 0;
    int bits = 0;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int v = map[(unsigned char)s[i]];
        if (v < 0)
            continue;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (char)((acc >> bits) & 0xFF);
        }
    }
    return o;
}

static int minutes_of_period(const char *s)
{
    if (!s)
        return 0;
    if (strcasecmp(s, "hourly") == 0) return 60;
    if (strcasecmp(s, "daily") == 0) return 1440;
    if (strcasecmp(s, "weekly") == 0) return 10080;
    if (strcasecmp(s, "monthly") == 0) return 43200;
    if (strcasecmp(s, "yearly") == 0) return 525600;
    return 0;
}

/* The first <img src> of an HTML value, as an item's image of last
 * resort; NULL when there is none. */
static const char *html_image(Parser *p, const char *v, size_t vn, const char *base)
{
    const char *end = v + vn, *s = v;
    while (s < end) {
        const char *img = memmem(s, (size_t)(end - s), "<img", 4);
        if (!img)
            return NULL;
        const char *gt = memchr(img, '>', (size_t)(end - img));
        if (!gt)
            return NULL;
        const char *src = memmem(img, (size_t)(gt - img), "src=", 4);
        if (src) {
            src += 4;
            char q = *src == '"' || *src == '\'' ? *src++ : ' ';
            const char *e = src;
            while (e < gt && *e != q && !(q == ' ' && *e == '>'))
                e++;
            buf_reset(&p->scratch2);
            xml_decode(&p->scratch2, src, (size_t)(e - src));
            const char *u = fb_url(p->f, base, p->scratch2.data, p->scratch2.len);
            if (u && strncmp(u, "data:", 5) != 0)
                return u;
        }
        s = gt + 1;
    }
    return NULL;
}

/* Plain text of a captured value: Atom's type="text" is text even when
 * it holds "<" (unless the field has child elements: naked markup). */
static const char *field_text(Parser *p, const char *v, size_t vn, int one_line)
{
    return p->cap_plain ? fb_plain(p->f, v, vn, one_line) : fb_text(p->f, v, vn, one_line);
}

/* A capture ended at `at`: turn its inner XML into the field. */
static void on_field_end(Parser *p, const char *at)
{
    Feed *f = p->f;
    const char *raw = p->cap_after;
    size_t rn = at > raw ? (size_t)(at - raw) : 0;
    const char *v;
    size_t vn;
    if (!memchr(raw, '<', rn) && !memchr(raw, '&', rn)) {
        v = raw; /* nothing to decode: the value is the raw text (most are) */
        vn = rn;
    } else {
        buf_reset(&p->scratch);
        xml_inner_value(&p->scratch, raw, rn);
        v = p->scratch.data ? p->scratch.data : "";
        vn = p->scratch.len;
    }
    p->cap_plain = p->cap_kind == TX_PLAIN && !memchr(raw, '<', rn);
    char *decoded = NULL;
    if (p->cap_kind == TX_BASE64 && looks_base64(v, vn)) {
        decoded = arena_alloc(&f->arena, vn + 1);
        size_t dn = base64_decode(v, vn, decoded);
        /* text that merely looks like base64 ("test") decodes to bytes
         * that are not UTF-8: then it was text after all */
        if (utf8_valid(decoded, dn))
            vn = dn;
        else
            decoded = NULL;
    }
    if (decoded) {
        /* decoded bytes must be UTF-8 text to be kept */
        Buf tmp = {0};
        const char *charset;
        feed_to_utf8(decoded, vn, "utf-8", &tmp, &v, &vn, &charset);
        char *copy = arena_strndup(&f->arena, v, vn);
        buf_free(&tmp);
        v = copy;
    }
    const char *base = p->stack[p->cap_depth - 1].base;
    Tag t = p->cap_tag;
    Ctx ctx = p->cap_ctx;
    if (ctx == C_ITEM && p->item) {
        FeedItem *it = p->item;
        ItemPrio *pr = &p->prio;
        switch (t) {
        case T_TITLE:
            SET_PRIO(it->title, pr->title, 3, field_text(p, v, vn, 1));
            break;
        case T_DC_TITLE:
        case T_M_TITLE:
            SET_PRIO(it->title, pr->title, t == T_DC_TITLE ? 2 : 1, field_text(p, v, vn, 1));
            break;
        case T_LINK: {
            /* several <link>s: the last one wins, as in gofeed */
            const char *u = fb_url(f, base, v, vn);
            if (u && pr->link <= 3) {
                it->link = u;
                pr->link = 3;
            }
            break;
        }
        case T_FB_ORIGLINK:
            SET_PRIO(it->link, pr->link, 4, fb_url(f, base, v, vn));
            break;
        case T_GUID: {
            const char *g = fb_str(f, v, vn);
            if (g && !it->id)
                it->id = g;
            if (g && p->cap_permalink && (strncasecmp(g, "http://", 7) == 0 || strncasecmp(g, "https://", 8) == 0))
                SET_PRIO(it->link, pr->link, 1, fb_url(f, base, v, vn));
            break;
        }
        case T_A_ID:
            if (!it->id) {
                it->id = fb_str(f, v, vn);
                /* a relative id under an explicit xml:base (not the feed URL) */
                if (it->id && !strchr(it->id, ':') && base && base != p->feed_base)
                    it->id = fb_url(f, base, v, vn);
            }
            break;
        case T_DESCRIPTION:
        case T_A_SUMMARY:
        case T_DC_DESCRIPTION:
        case T_IT_SUMMARY:
        case T_M_DESCRIPTION: {
            int level = t == T_DESCRIPTION || t == T_A_SUMMARY ? 4 : t == T_DC_DESCRIPTION ? 3 : t == T_IT_SUMMARY ? 2 : 1;
            if (level > pr->summary) {
                const char *text = field_text(p, v, vn, 0);
                if (text) {
                    it->summary = text;
                    pr->summary = level;
                }
            }
            /* an HTML description is the body's HTML until content comes */
            if (!it->content_html && t == T_DESCRIPTION && vn && memchr(v, '<', vn))
                it->content_html = fb_str(f, v, vn);
            break;
        }
        case T_CONTENT_ENCODED:
        case T_A_CONTENT: {
            int level = t == T_CONTENT_ENCODED ? 2 : 1;
            if (level > pr->content) {
                const char *text = field_text(p, v, vn, 0);
                const char *html = memchr(v, '<', vn) ? fb_str(f, v, vn) : NULL;
                if (text || html) {
                    /* markup without text (a lone <img>) still counts */
                    it->content = text;
                    it->content_html = html;
                    pr->content = level;
                }
            }
            break;
        }
        case T_PUBDATE:
        case T_A_PUBLISHED:
        case T_A_ISSUED:
        case T_DC_DATE:
        case T_DCT_ISSUED:
        case T_A_CREATED:
        case T_DCT_CREATED: {
            int level = t == T_PUBDATE || t == T_A_PUBLISHED || t == T_A_ISSUED ? 3 : t == T_DC_DATE || t == T_DCT_ISSUED ? 2 : 1;
            int64_t d = fb_date(v, vn);
            if (d && level > pr->published) {
                it->published = d;
                pr->published = level;
            }
            if (d && t == T_DC_DATE && !pr->updated) /* dc:date: the last change, often */
                it->updated = d;
            break;
        }
        case T_A_UPDATED:
        case T_A_MODIFIED:
        case T_DCT_MODIFIED: {
            int level = t == T_DCT_MODIFIED ? 1 : 2;
            int64_t d = fb_date(v, vn);
            if (d && level > pr->updated) {
                it->updated = d;
                pr->updated = level;
            }
            break;
        }
        case T_AUTHOR:
            SET_PRIO(it->author, pr->author, 3, fb_person(f, v, vn));
            break;
        case T_DC_CREATOR:
            SET_PRIO(it->author, pr->author, 2, fb_person(f, v, vn));
            break;
        case T_IT_AUTHOR:
            SET_PRIO(it->author, pr->author, 1, fb_person(f, v, vn));
            break;
        case T_CATEGORY:
        case T_DC_SUBJECT:
            fb_category(f, it, v, vn);
            break;
        case T_IT_KEYWORDS: {
            size_t k = 0;
            while (k < vn) {
                size_t e = k;
                while (e < vn && v[e] != ',')
                    e++;
                fb_category(f, it, v + k, e - k);
                k = e + 1;
            }
            break;
        }
        default:
            break;
        }
    } else if (ctx == C_ITEM_AUTHOR && p->item) {
        if (t == T_A_NAME)
            SET_PRIO(p->item->author, p->prio.author, 3, field_text(p, v, vn, 1));
        else if (t == T_A_EMAIL)
            SET_PRIO(p->item->author, p->prio.author, 1, field_text(p, v, vn, 1));
    } else if (ctx == C_FEED_AUTHOR) {
        if (t == T_A_NAME && p->feed_author_prio < 3) {
            f->author = field_text(p, v, vn, 1);
            p->feed_author_prio = f->author ? 3 : p->feed_author_prio;
        } else if (t == T_A_EMAIL && p->feed_author_prio < 1) {
            f->author = field_text(p, v, vn, 1);
            p->feed_author_prio = f->author ? 1 : 0;
        }
    } else if (ctx == C_IMAGE) {
        if (t == T_URL && p->feed_image_prio < 3) {
            f->image = fb_url(f, base, v, vn);
            p->feed_image_prio = f->image ? 3 : p->feed_image_prio;
        }
    } else if (ctx == C_FEED) {
        switch (t) {
        case T_TITLE:
            if (!f->title)
                f->title = field_text(p, v, vn, 1);
            break;
        case T_DC_TITLE:
            if (!f->title)
                f->title = field_text(p, v, vn, 1);
            break;
        case T_LINK:
            if (p->feed_link_prio <= 2) {
                const char *u = fb_url(f, base, v, vn);
                if (u) {
                    f->link = u;
                    p->feed_link_prio = 2;
                }
            }
            break;
        case T_DESCRIPTION:
        case T_A_SUBTITLE:
        case T_A_TAGLINE:
        case T_DC_DESCRIPTION:
        case T_IT_SUMMARY: {
            int level = t == T_IT_SUMMARY ? 1 : t == T_DC_DESCRIPTION ? 2 : 3;
            if (!f->image) {
                f->image = html_image(p, v, vn, base);
                p->feed_image_prio = 0;
            }
            if (level > p->feed_desc_prio) {
                const char *d = field_text(p, v, vn, 0);
                if (d) {
                    f->description = d;
                    p->feed_desc_prio = level;
                }
            }
            break;
        }
        case T_LANGUAGE:
        case T_DC_LANGUAGE:
            if (!f->lang)
                f->lang = fb_str(f, v, vn);
            break;
        case T_LASTBUILDDATE:
        case T_PUBDATE:
        case T_A_UPDATED:
        case T_A_MODIFIED:
        case T_DC_DATE: {
            int level = t == T_LASTBUILDDATE || t == T_A_UPDATED || t == T_A_MODIFIED ? 3 : t == T_PUBDATE ? 2 : 1;
            int64_t d = fb_date(v, vn);
            if (d && level > p->feed_updated_prio) {
                f->updated = d;
                p->feed_updated_prio = level;
            }
            break;
        }
        case T_TTL: {
            const char *s = fb_str(f, v, vn);
            long m = s ? strtol(s, NULL, 10) : 0;
            if (m > 0 && m < 1000000)
                f->ttl_minutes = (int)m;
            break;
        }
        case T_SY_PERIOD:
            p->sy_period = minutes_of_period(fb_str(f, v, vn));
            break;
        case T_SY_FREQUENCY: {
            const char *s = fb_str(f, v, vn);
            long k = s ? strtol(s, NULL, 10) : 0;
            p->sy_freq = k > 0 && k < 100000 ? (int)k : 0;
            break;
        }
        case T_MANAGINGEDITOR:
        case T_WEBMASTER:
        case T_DC_CREATOR:
        case T_IT_AUTHOR: {
            int level = t == T_MANAGINGEDITOR ? 3 : t == T_DC_CREATOR ? 2 : t == T_IT_AUTHOR ? 1 : 1;
            if (level > p->feed_author_prio) {
                const char *a = fb_person(f, v, vn);
                if (a) {
                    f->author = a;
                    p->feed_author_prio = level;
                }
            }
            break;
        }
        case T_A_LOGO:
        case T_A_ICON: {
            int level = t == T_A_LOGO ? 2 : 1;
            if (level > p->feed_image_prio) {
                const char *u = fb_url(f, base, v, vn);
                if (u) {
                    f->image = u;
                    p->feed_image_prio = level;
                }
            }
            break;
        }
        default:
            break;
        }
    }
}

/* Whether (ctx, tag) is a field we capture or an attribute-only element. */
static int is_field(Parser *p, Ctx ctx, Tag t, Ns ns)
{
    switch (ctx) {
    case C_ITEM:
        switch (t) {
        case T_TITLE: case T_LINK: case T_DESCRIPTION: case T_GUID: case T_PUBDATE: case T_AUTHOR:
        case T_CATEGORY: case T_ENCLOSURE: case T_A_ID: case T_A_UPDATED: case T_A_PUBLISHED:
        case T_A_ISSUED: case T_A_MODIFIED: case T_A_CREATED: case T_A_SUMMARY: case T_A_CONTENT:
        case T_DC_CREATOR: case T_DC_DATE: case T_DC_SUBJECT: case T_DC_TITLE: case T_DC_DESCRIPTION:
        case T_DCT_MODIFIED: case T_DCT_CREATED: case T_DCT_ISSUED: case T_CONTENT_ENCODED:
        case T_M_CONTENT: case T_M_THUMBNAIL: case T_M_DESCRIPTION: case T_M_TITLE: case T_IT_IMAGE:
        case T_IT_AUTHOR: case T_IT_SUMMARY: case T_FB_ORIGLINK: case T_A_LINK: case T_IT_KEYWORDS:
            return 1;
        default:
            return 0;
        }
    case C_ITEM_AUTHOR:
    case C_FEED_AUTHOR:
        return t == T_A_NAME || t == T_A_EMAIL;
    case C_IMAGE:
        return t == T_URL;
    case C_FEED:
        switch (t) {
        case T_TITLE: case T_DC_TITLE: case T_LINK: case T_DESCRIPTION: case T_A_SUBTITLE:
        case T_A_TAGLINE: case T_DC_DESCRIPTION: case T_IT_SUMMARY: case T_LANGUAGE:
        case T_DC_LANGUAGE: case T_LASTBUILDDATE: case T_PUBDATE: case T_A_UPDATED:
        case T_A_MODIFIED: case T_DC_DATE: case T_TTL: case T_SY_PERIOD: case T_SY_FREQUENCY:
        case T_MANAGINGEDITOR: case T_WEBMASTER: case T_DC_CREATOR: case T_IT_AUTHOR: case T_A_LOGO:
        case T_A_ICON: case T_A_LINK: case T_IT_IMAGE: case T_CATEGORY: case T_IT_CATEGORY:
        case T_M_CONTENT: case T_M_THUMBNAIL:
            return 1;
        default:
            return 0;
        }
    default:
        (void)p;
        (void)ns;
        return 0;
    }
}

static void set_root(Parser *p, Elem *e, const XmlAttr *a, size_t na, const char *local, size_t ll)
{
    Feed *f = p->f;
    size_t n = ll < sizeof p->root - 1 ? ll : sizeof p->root - 1;
    memcpy(p->root, local, n);
    p->root[n] = 0;
    p->root_seen = 1;
    if (ll == 3 && strncasecmp(local, "rss", 3) == 0) {
        e->tag = T_RSS;
        const char *v = attr_str(p, a, na, "version");
        f->kind = !v ? "rss2" : strcmp(v, "0.91") == 0 ? "rss091" : strcmp(v, "0.92") == 0 ? "rss092"
                : strncmp(v, "0.9", 3) == 0 ? "rss092" : "rss2";
    } else if (ll == 3 && memcmp(local, "RDF", 3) == 0) {
        e->tag = T_RDF;
        int old = 0;
        for (size_t i = 0; i < p->nbinds; i++)
            if (p->binds[i].ns == NS_RSS090)
                old = 1;
        f->kind = old ? "rss090" : "rss1";
    } else if (ll == 4 && memcmp(local, "feed", 4) == 0) {
        e->tag = T_FEED;
        p->atom = 1;
        const char *v = attr_str(p, a, na, "version");
        f->kind = e->ns == NS_ATOM03 || (v && strcmp(v, "0.3") == 0) ? "atom03" : "atom10";
        e->ctx = C_FEED;
    } else if (ll == 7 && memcmp(local, "channel", 7) == 0) {
        e->tag = T_CHANNEL; /* a bare channel: RSS without its <rss> wrapper */
        f->kind = "rss2";
        e->ctx = C_FEED;
    } else {
        p->not_feed = 1;
        p->h->stop = 1;
    }
}

static void on_start(void *ctx, const char *name, size_t name_len, const XmlAttr *a, size_t na,
                     const char *after)
{
    Parser *p = ctx;
    p->elements++;
    if (p->depth >= MAX_DEPTH) {
        p->overflow++;
        return;
    }
    Elem *parent = p->depth ? &p->stack[p->depth - 1] : NULL;
    Elem *e = &p->stack[p->depth];
    e->name = name;
    e->name_len = name_len;
    e->base = parent ? parent->base : p->stack[0].base;
    e->nbinds = p->nbinds;
    e->ctx = parent ? parent->ctx : C_NONE;
    e->tag = T_OTHER;
    e->ns = NS_NONE;
    if (p->capturing) {
        p->depth++; /* inside a field: only kept for matching end tags */
        return;
    }
    for (size_t i = 0; i < na; i++) {
        const XmlAttr *x = &a[i];
        if (x->name_len >= 5 && memcmp(x->name, "xmlns", 5) == 0 && p->nbinds < MAX_BINDS) {
            NsBind *b = &p->binds[p->nbinds++];
            b->prefix = x->name_len > 6 && x->name[5] == ':' ? x->name + 6 : NULL;
            b->prefix_len = b->prefix ? x->name_len - 6 : 0;
            b->ns = ns_of_uri(x->value, x->value_len);
        } else if (x->name_len == 8 && memcmp(x->name, "xml:base", 8) == 0) {
            buf_reset(&p->scratch);
            xml_decode(&p->scratch, x->value, x->value_len);
            const char *b = fb_url(p->f, e->base, p->scratch.data, p->scratch.len);
            if (b)
                e->base = b;
        } else if (x->name_len == 8 && memcmp(x->name, "xml:lang", 8) == 0 && !p->f->lang && x->value_len) {
            buf_reset(&p->scratch);
            xml_decode(&p->scratch, x->value, x->value_len);
            p->f->lang = fb_str(p->f, p->scratch.data, p->scratch.len);
        }
    }
    const char *colon = memchr(name, ':', name_len);
    size_t ll;
    const char *local = xml_local(name, name_len, &ll);
    e->ns = (unsigned char)resolve_prefix(p, colon ? name : NULL, colon ? (size_t)(colon - name) : 0);
    p->depth++;
    if (p->depth == 1) {
        set_root(p, e, a, na, local, ll);
        return;
    }
    /* an RSS document under an unknown default namespace is still RSS */
    Ns lookup = !colon && e->ns == NS_OTHER ? NS_NONE : (Ns)e->ns;
    Tag t = tag_of(p, lookup, local, ll);
    e->tag = (unsigned short)t;
    Ctx c = (Ctx)e->ctx;
    if (c == C_SKIP)
        return;
    switch (t) {
    case T_CHANNEL:
        if (c == C_NONE)
            e->ctx = C_FEED;
        return;
    case T_ITEM:
    case T_ENTRY:
        if (c == C_NONE || c == C_FEED) {
            e->ctx = C_ITEM;
            p->item = fb_item(p->f, &p->item_cap);
            memset(&p->prio, 0, sizeof p->prio);
            p->any_item = 1;
            if (!p->item)
                e->ctx = C_SKIP; /* over FEED_MAX_ITEMS */
        }
        return;
    case T_IMAGE:
        if (c == C_FEED || c == C_NONE)
            e->ctx = C_IMAGE;
        return;
    case T_TEXTINPUT:
    case T_CLOUD:
    case T_IT_OWNER:
    case T_A_CONTRIBUTOR:
        e->ctx = C_SKIP;
        return;
    case T_SOURCE:
        if (p->atom || e->ns == NS_ATOM) {
            e->ctx = C_SKIP; /* atom:source describes another feed */
            return;
        }
        return; /* RSS <source> names the origin: not read */
    case T_AUTHOR:
        if (p->atom || e->ns == NS_ATOM || e->ns == NS_ATOM03) {
            if (c == C_FEED)
                e->ctx = C_FEED_AUTHOR;
            else if (c == C_ITEM)
                e->ctx = C_ITEM_AUTHOR;
            else
                e->ctx = C_SKIP;
            return;
        }
        break;
    default:
        break;
    }
    if (is_field(p, c, t, (Ns)e->ns))
        on_field_start(p, e, a, na, after);
}

static void pop(Parser *p, const char *at)
{
    Elem *e = &p->stack[p->depth - 1];
    if (p->capturing && p->depth == p->cap_depth) {
        on_field_end(p, at);
        p->capturing = 0;
    }
    if (!p->capturing) {
        if (e->ctx == C_ITEM && (e->tag == T_ITEM || e->tag == T_ENTRY)) {
            /* no image element: the body's first <img>, as a last resort */
            FeedItem *it = p->item;
            if (it && !it->image && it->content_html)
                it->image = html_image(p, it->content_html, strlen(it->content_html), e->base);
            p->item = NULL;
        }
        p->nbinds = e->nbinds;
    }
    p->depth--;
}

static void on_end(void *ctx, const char *name, size_t name_len, const char *at)
{
    Parser *p = ctx;
    if (p->overflow) {
        p->overflow--;
        return;
    }
    if (!p->depth)
        return;
    /* the innermost open element of that name (within a few levels) */
    size_t lim = p->depth > 16 ? p->depth - 16 : 0;
    for (size_t d = p->depth; d > lim; d--) {
        const Elem *e = &p->stack[d - 1];
        if (e->name_len == name_len && memcmp(e->name, name, name_len) == 0) {
            if (p->capturing && d < p->cap_depth) {
                /* the field itself is left unclosed: end it here */
                while (p->depth > d)
                    pop(p, at);
            }
            while (p->depth >= d)
                pop(p, at);
            return;
        }
        if (p->capturing && d == p->cap_depth)
            break; /* inside a field, stray end tags stay in the field */
    }
}

int feed_parse_xml(const char *s, size_t n, const char *feed_url, Feed *f, SwErr *err)
{
    pthread_once(&tag_table_once, tag_table_build);
    Parser *p = xmalloc(sizeof *p);
    memset(p, 0, offsetof(Parser, stack));
    p->f = f;
    p->stack[0].base = feed_url && *feed_url ? arena_strdup(&f->arena, feed_url) : NULL;
    p->feed_base = p->stack[0].base;
    XmlHandler h = {.start = on_start, .end = on_end, .ctx = p};
    p->h = &h;
    /* a root that is not a feed's stops the scan at once */
    xml_scan(s, n, &h);
    while (p->depth)
        pop(p, s + n); /* a truncated document: close what is open */
    int rc = 0;
    if (!p->root_seen)
        rc = sw_err(err, "not a feed: no XML element found");
    else if (p->not_feed && (strcasecmp(p->root, "html") == 0 || strcasecmp(p->root, "head") == 0 ||
                             strcasecmp(p->root, "body") == 0))
        rc = sw_err(err, "not a feed: the document is an HTML page (root element <%s>)", p->root);
    else if (p->not_feed)
        rc = sw_err(err, "not a feed: root element <%s> is not rss, rdf:RDF or feed", p->root);
    if (rc == 0 && !f->ttl_minutes && p->sy_period)
        f->ttl_minutes = p->sy_period / (p->sy_freq ? p->sy_freq : 1);
    buf_free(&p->scratch);
    buf_free(&p->scratch2);
    free(p);
    return rc;
}
