/* feed.c - feed_parse's front door and the normalisation every reader
 * shares: size and emptiness checks, conversion to UTF-8, the choice
 * between the XML and JSON readers, and turning field values into the
 * plain text, absolute URLs, dates and ids that feed.h promises. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/timeutil.h"
#include "../extract/extract.h"
#include "feed_internal.h"
#include "xml.h"

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Markup or an entity reference, as opposed to text that merely holds a
 * '<' or '&' ("a < b", "AT&T"). */
static int looks_html(const char *s, size_t n)
{
    const char *end = s + n;
    for (const char *p = s; (p = memchr(p, '<', (size_t)(end - p))) && p + 1 < end; p++) {
        char c = p[1];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '/' || c == '!')
            return 1;
    }
    for (const char *p = s; (p = memchr(p, '&', (size_t)(end - p))); p++) {
        const char *k = p + 1;
        if (k < end && *k == '#')
            k++;
        const char *start = k;
        while (k < end && k - start < 10 &&
               ((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || (*k >= '0' && *k <= '9')))
            k++;
        if (k > start && k < end && *k == ';')
            return 1;
    }
    return 0;
}

/* 1 for bytes normalise copies as they are: not whitespace, not control. */
static const unsigned char text_char[256] = {
#define R16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
    R16(0), R16(0), 0, R16(1) /* 0x21..0x30 */, R16(1), R16(1), R16(1), R16(1),
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 /* 0x71..0x7E */, 0 /* 0x7F */,
    R16(1), R16(1), R16(1), R16(1), R16(1), R16(1), R16(1), R16(1),
#undef R16
};

/* The end of the run that starts at i (where s[i] is a text_char byte):
 * text_char bytes and single spaces between two of them, which normalise
 * copies as they are. Words with one space between them are most text,
 * so the run goes eight bytes at a time while the word holds no byte
 * below 0x20 (tabs, newlines, controls), no 0x7F and no two spaces in a
 * row, and no space in its last byte (it might be followed by another);
 * a word that does is walked byte by byte and the fast steps resume after
 * it. ("Any byte below k" and "any byte equal to c" are the usual word
 * tests; a flag may be set in error above a true hit, only ever sending a
 * word to the slow path. Bytes of 0x80 and above are text.) */
static size_t text_run(const char *s, size_t i, size_t n)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    for (;;) {
        while (i + 8 <= n) {
            uint64_t x;
            memcpy(&x, s + i, 8);
            uint64_t below = (x - ones * 0x20) & ~x & highs; /* a byte < 0x20 */
            uint64_t y = x ^ (ones * 0x7F);
            uint64_t del = (y - ones) & ~y & highs; /* a byte == 0x7F */
            uint64_t z = x ^ (ones * 0x20);
            uint64_t sp = (z - ones) & ~z & highs; /* spaces */
            if (below | del | (sp & (sp >> 8)) | (sp >> 63))
                break;
            i += 8;
        }
        size_t stop = i + 8 < n ? i + 8 : n;
        while (i < stop) {
            unsigned char c = (unsigned char)s[i];
            if (text_char[c])
                i++;
            else if (c == ' ' && i + 1 < n && text_char[(unsigned char)s[i + 1]])
                i += 2;
            else
                return i;
        }
        if (i >= n)
            return n;
    }
}

static size_t normalise(const char *s, size_t n, char *dst, int one_line)
{
    size_t o = 0, i = 0;
    int pending_space = 0, pending_nl = 0;
    while (i < n) {
        /* a run of ordinary characters, copied whole */
        if (text_char[(unsigned char)s[i]]) {
            size_t run = text_run(s, i, n);
            if (o > 0) {
                if (pending_nl) {
                    dst[o++] = '\n';
                    if (pending_nl > 1)
                        dst[o++] = '\n';
                } else if (pending_space) {
                    dst[o++] = ' ';
                }
            }
            pending_nl = pending_space = 0;
            memcpy(dst + o, s + i, run - i);
            o += run - i;
            i = run;
            continue;
        }
        char c = s[i++];
        if (c == '\n' && !one_line) {
            pending_nl++;
            pending_space = 0;
        } else if (is_ws(c)) {
            pending_space = 1;
        }
        /* other control characters are not text: dropped */
    }
    dst[o] = 0;
    return o;
}

/* The article extractor's body text of an item's HTML, normalised into
 * the arena, when it kept at least EXTRACT_KEEP_MIN of the plain
 * conversion's text (dst, len bytes); else NULL. A boilerplate-scoring
 * pass over a short fragment may find no "article" in it at all, and then
 * the plain text is better than none. */
#define EXTRACT_KEEP_MIN 0.25
static const char *extracted_text(Feed *f, const char *s, size_t n, size_t plain_len)
{
    Extracted x;
    SwErr err;
    if (extract_html(s, n, NULL, "utf-8", &x, &err) != 0)
        return NULL;
    const char *r = NULL;
    size_t xn = x.text ? strlen(x.text) : 0;
    if (xn && (double)xn >= EXTRACT_KEEP_MIN * (double)plain_len) {
        char *dst = arena_alloc(&f->arena, xn + 1);
        r = normalise(x.text, xn, dst, 0) ? dst : NULL;
    }
    extracted_free(&x);
    return r;
}

const char *fb_text(Feed *f, const char *s, size_t n, int one_line)
{
    if (!s || !n)
        return NULL;
    Buf text = {0};
    const char *html = s;
    size_t html_n = n;
    int page = 0;
    if (looks_html(s, n)) {
        fb_html_to_text(&text, s, n, &page);
        s = text.data ? text.data : "";
        n = text.len;
    }
    char *dst = arena_alloc(&f->arena, n + 1);
    size_t len = normalise(s, n, dst, one_line);
    buf_free(&text);
    if (page && !one_line) {
        const char *x = extracted_text(f, html, html_n, len);
        if (x)
            return x;
    }
    return len ? dst : NULL;
}

const char *fb_plain(Feed *f, const char *s, size_t n, int one_line)
{
    if (!s || !n)
        return NULL;
    char *dst = arena_alloc(&f->arena, n + 1);
    size_t len = normalise(s, n, dst, one_line);
    return len ? dst : NULL;
}

const char *fb_str(Feed *f, const char *s, size_t n)
{
    if (!s)
        return NULL;
    while (n && is_ws(*s)) {
        s++;
        n--;
    }
    while (n && is_ws(s[n - 1]))
        n--;
    return n ? arena_strndup(&f->arena, s, n) : NULL;
}

static int is_absolute(const char *u);

const char *fb_url(Feed *f, const char *base, const char *s, size_t n)
{
    const char *ref = fb_str(f, s, n);
    if (!ref)
        return NULL;
    /* the common case, an absolute URL without dot segments, is final */
    if (is_absolute(ref)) {
        const char *d = ref;
        while ((d = strchr(d, '/')) && d[1] != '.')
            d++;
        if (!d)
            return ref;
    }
    char *abs = url_resolve(base, ref);
    const char *r = arena_strdup(&f->arena, abs);
    free(abs);
    return r && *r ? r : NULL;
}

int64_t fb_date(const char *s, size_t n)
{
    char tmp[128];
    while (n && is_ws(*s)) {
        s++;
        n--;
    }
    while (n && is_ws(s[n - 1]))
        n--;
    if (!n || n >= sizeof tmp)
        return 0;
    memcpy(tmp, s, n);
    tmp[n] = 0;
    int64_t t;
    if (time_parse(tmp, &t) != 0 || t <= 0 || t >= TIME_MAX_UNIX)
        return 0;
    return t;
}

FeedItem *fb_item(Feed *f, size_t *cap)
{
    if (f->nitems >= FEED_MAX_ITEMS)
        return NULL;
    if (f->nitems == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        f->items = arena_grow(&f->arena, f->items, *cap, ncap, sizeof *f->items);
        *cap = ncap;
    }
    FeedItem *it = &f->items[f->nitems++];
    memset(it, 0, sizeof *it);
    return it;
}

void fb_category(Feed *f, FeedItem *it, const char *s, size_t n)
{
    const char *c = fb_text(f, s, n, 1);
    if (!c || it->ncategories >= 256)
        return;
    for (size_t i = 0; i < it->ncategories; i++)
        if (strcmp(it->categories[i], c) == 0)
            return;
    /* capacity is 4, then each power of two the count reaches */
    size_t k = it->ncategories;
    if (k == 0)
        it->categories = arena_alloc(&f->arena, 4 * sizeof *it->categories);
    else if (k >= 4 && (k & (k - 1)) == 0)
        it->categories = arena_grow(&f->arena, (void *)it->categories, k, 2 * k, sizeof *it->categories);
    it->categories[it->ncategories++] = c;
}

const char *fb_person(Feed *f, const char *s, size_t n)
{
    const char *t = fb_text(f, s, n, 1);
    if (!t)
        return NULL;
    size_t len = strlen(t);
    const char *open = strchr(t, '(');
    if (open && len > 2 && t[len - 1] == ')' && open > t) {
        /* "mail@example.com (Name)" or "Name (mail@example.com)" */
        const char *inner = open + 1;
        size_t inner_n = (size_t)(t + len - 1 - inner);
        const char *name = memchr(t, '@', (size_t)(open - t)) ? fb_str(f, inner, inner_n)
                           : memchr(inner, '@', inner_n) ? fb_str(f, t, (size_t)(open - t)) : NULL;
        if (name)
            return name;
    }
    const char *lt = strchr(t, '<');
    if (lt && lt > t && t[len - 1] == '>' && strchr(lt, '@')) {
        const char *name = fb_str(f, t, (size_t)(lt - t));
        if (name)
            return name;
    }
    return t;
}

static void hash_str(uint64_t *h, const char *s)
{
    for (; s && *s; s++) {
        *h ^= (unsigned char)*s;
        *h *= 1099511628211ULL;
    }
    *h ^= 0xFF;
    *h *= 1099511628211ULL;
}

static int is_absolute(const char *u)
{
    if (!u || !((*u | 0x20) >= 'a' && (*u | 0x20) <= 'z'))
        return 0;
    for (const char *p = u + 1; *p; p++) {
        if (*p == ':')
            return 1;
        if (!((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') && !(*p >= '0' && *p <= '9') && *p != '+' && *p != '-' && *p != '.')
            return 0;
    }
    return 0;
}

void fb_finish(Feed *f)
{
    /* without a feed URL, relative links are taken against the site's */
    int site_base = is_absolute(f->link);
    for (size_t i = 0; i < f->nitems; i++) {
        FeedItem *it = &f->items[i];
        if (site_base && it->link && !is_absolute(it->link))
            it->link = fb_url(f, f->link, it->link, strlen(it->link));
        if (site_base && it->image && !is_absolute(it->image))
            it->image = fb_url(f, f->link, it->image, strlen(it->image));
        if (site_base && it->enclosure_url && !is_absolute(it->enclosure_url))
            it->enclosure_url = fb_url(f, f->link, it->enclosure_url, strlen(it->enclosure_url));
        if (!it->published)
            it->published = it->updated; /* e.g. Atom 0.3's modified alone */
        if (it->id && *it->id)
            continue;
        if (it->link) {
            it->id = it->link;
            continue;
        }
        uint64_t h = 14695981039346656037ULL;
        hash_str(&h, it->title);
        hash_str(&h, it->summary);
        hash_str(&h, it->content);
        hash_str(&h, it->enclosure_url);
        char buf[32];
        snprintf(buf, sizeof buf, "%lld", (long long)it->published);
        hash_str(&h, buf);
        it->id = arena_printf(&f->arena, "hash:%016llx", (unsigned long long)h);
    }
}

void feed_free(Feed *f)
{
    if (!f)
        return;
    arena_free(&f->arena);
    memset(f, 0, sizeof *f);
}

int feed_parse(const char *data, size_t len, const char *feed_url, const char *http_charset,
               Feed *out, SwErr *err)
{
    memset(out, 0, sizeof *out);
    if (!data || len == 0)
        return sw_err(err, "empty document (0 bytes), not a feed");
    if (len > FEED_MAX_BYTES)
        return sw_err(err, "document is %zu bytes, over the %u MB limit for one feed", len,
                      FEED_MAX_BYTES >> 20);
    Buf conv = {0};
    const char *s, *charset;
    size_t n;
    feed_to_utf8(data, len, http_charset, &conv, &s, &n, &charset);
    size_t i = 0;
    while (i < n && is_ws(s[i]))
        i++;
    int rc;
    if (i == n) {
        rc = sw_err(err, "document holds only whitespace, not a feed");
    } else if (s[i] == '{') {
        rc = feed_parse_json(s + i, n - i, feed_url, out, err);
    } else if (s[i] == '<') {
        rc = feed_parse_xml(s + i, n - i, feed_url, out, err);
    } else {
        char head[24];
        size_t k = 0;
        while (k + 1 < sizeof head && i + k < n && (unsigned char)s[i + k] >= 0x20 && s[i + k] != 0x7F)
            head[k] = s[i + k], k++;
        head[k] = 0;
        rc = sw_err(err, "not a feed: the document starts with \"%s\", not XML or JSON", head);
    }
    buf_free(&conv);
    if (rc != 0) {
        feed_free(out);
        return -1;
    }
    fb_finish(out);
    return 0;
}

/* The local name of the first element, skipping the prolog. */
static size_t root_name(const char *s, size_t n, const char **name)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && s[i] != '<')
            i++;
        if (i + 1 >= n)
            return 0;
        if (s[i + 1] == '?' || s[i + 1] == '!') {
            const char *e;
            if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0)
                e = memmem(s + i, n - i, "-->", 3);
            else
                e = memchr(s + i, '>', n - i);
            if (!e)
                return 0;
            i = (size_t)(e - s) + 1;
            continue;
        }
        size_t k = i + 1;
        while (k < n && !is_ws(s[k]) && s[k] != '>' && s[k] != '/')
            k++;
        size_t ll;
        *name = xml_local(s + i + 1, k - i - 1, &ll);
        return ll;
    }
    return 0;
}

int feed_sniff_json_version(const char *data, size_t len)
{
    const char *p = data, *end = data + len;
    while ((p = memmem(p, (size_t)(end - p), "\"version\"", 9)) != NULL) {
        const char *v = p + 9;
        p++;
        while (v < end && is_ws(*v))
            v++;
        if (v >= end || *v != ':')
            continue;
        v++;
        while (v < end && is_ws(*v))
            v++;
        if (v < end && *v == '"' &&
            (((size_t)(end - v) > 29 && strncmp(v + 1, "https://jsonfeed.org/version/", 29) == 0) ||
             ((size_t)(end - v) > 28 && strncmp(v + 1, "http://jsonfeed.org/version/", 28) == 0)))
            return 1;
    }
    return 0;
}

int feed_sniff(const char *data, size_t len)
{
    const unsigned char *u = (const unsigned char *)data;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
        return 1; /* UTF-16 with a BOM: XML, which only feeds and OPML use here */
    size_t i = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && is_ws(data[i]))
        i++;
    if (i >= len)
        return 0;
    size_t window = len - i < 8192 ? len - i : 8192;
    if (data[i] == '{')
        return feed_sniff_json_version(data + i, window);
    if (data[i] != '<')
        return 0;
    const char *name = NULL;
    size_t nl = root_name(data + i, window, &name);
    return (nl == 3 && strncasecmp(name, "rss", 3) == 0) || (nl == 3 && memcmp(name, "RDF", 3) == 0) ||
           (nl == 4 && memcmp(name, "feed", 4) == 0) || (nl == 7 && memcmp(name, "channel", 7) == 0);
}

int feed_item_article(Feed *f, const FeedItem *it, Article *out)
{
    memset(out, 0, sizeof *out);
    out->url = it->link;
    out->source = f->title;
    out->title = it->title;
    const char *text = it->summary;
    if (it->content && (!text || strlen(it->content) >= strlen(text)))
        text = it->content;
    out->text = text;
    out->image = it->image;
    out->author = it->author;
    out->ext_id = it->id;
    out->published = it->published ? it->published : it->updated;
    if (f->lang && ((f->lang[0] | 0x20) >= 'a' && (f->lang[0] | 0x20) <= 'z') &&
        ((f->lang[1] | 0x20) >= 'a' && (f->lang[1] | 0x20) <= 'z') &&
        (f->lang[2] == 0 || f->lang[2] == '-' || f->lang[2] == '_')) {
        char *l = arena_alloc(&f->arena, 3);
        l[0] = (char)(f->lang[0] | 0x20);
        l[1] = (char)(f->lang[1] | 0x20);
        out->lang = l;
    }
    return out->title || out->text ? 0 : -1;
}

static void json_field(Buf *out, const char *key, const char *value, int *first)
{
    if (!value)
        return;
    buf_printf(out, "%s\"%s\":", *first ? "" : ",", key);
    buf_json_cstr(out, value);
    *first = 0;
}

static void json_time(Buf *out, const char *key, int64_t t, int *first)
{
    if (!t)
        return;
    buf_printf(out, "%s\"%s\":", *first ? "" : ",", key);
    buf_json_time(out, t);
    *first = 0;
}

void feed_to_json(const Feed *f, Buf *out)
{
    int first = 1;
    buf_putc(out, '{');
    json_field(out, "kind", f->kind, &first);
    json_field(out, "title", f->title, &first);
    json_field(out, "link", f->link, &first);
    json_field(out, "self_link", f->self_link, &first);
    json_field(out, "description", f->description, &first);
    json_field(out, "lang", f->lang, &first);
    json_field(out, "image", f->image, &first);
    json_field(out, "author", f->author, &first);
    json_time(out, "updated", f->updated, &first);
    if (f->ttl_minutes)
        buf_printf(out, ",\"ttl_minutes\":%d", f->ttl_minutes);
    buf_puts(out, first ? "\"items\":[" : ",\"items\":[");
    for (size_t i = 0; i < f->nitems; i++) {
        const FeedItem *it = &f->items[i];
        int ifirst = 1;
        buf_puts(out, i ? ",{" : "{");
        json_field(out, "id", it->id, &ifirst);
        json_field(out, "title", it->title, &ifirst);
        json_field(out, "link", it->link, &ifirst);
        json_field(out, "author", it->author, &ifirst);
        json_time(out, "published", it->published, &ifirst);
        json_time(out, "updated", it->updated, &ifirst);
        json_field(out, "summary", it->summary, &ifirst);
        json_field(out, "content", it->content, &ifirst);
        json_field(out, "content_html", it->content_html, &ifirst);
        json_field(out, "image", it->image, &ifirst);
        json_field(out, "enclosure_url", it->enclosure_url, &ifirst);
        json_field(out, "enclosure_type", it->enclosure_type, &ifirst);
        if (it->enclosure_length)
            buf_printf(out, ",\"enclosure_length\":%lld", (long long)it->enclosure_length);
        if (it->ncategories) {
            buf_puts(out, ",\"categories\":[");
            for (size_t k = 0; k < it->ncategories; k++) {
                if (k)
                    buf_putc(out, ',');
                buf_json_cstr(out, it->categories[k]);
            }
            buf_putc(out, ']');
        }
        buf_putc(out, '}');
    }
    buf_puts(out, "]}");
}
