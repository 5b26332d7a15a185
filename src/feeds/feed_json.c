/* feed_json.c - JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1).
 *
 * The document is parsed whole with the strict core JSON parser (after
 * feed_to_utf8 made it valid UTF-8). Both versions are read the same way:
 * 1.1's "authors" array and 1.0's "author" object are both accepted, as
 * are ids written as numbers, which 1.0 feeds in the wild do. */
#include <stdio.h>
#include <string.h>

#include "../core/json.h"
#include "feed_internal.h"

static const char *jstr(const JsonValue *o, const char *key, size_t *n)
{
    const JsonValue *v = json_get(o, key);
    if (!v || v->type != JSON_STRING)
        return NULL;
    *n = v->u.str.len;
    return v->u.str.s;
}

static const char *jtext(Feed *f, const JsonValue *o, const char *key, int one_line)
{
    size_t n;
    const char *s = jstr(o, key, &n);
    return s ? fb_text(f, s, n, one_line) : NULL;
}

static const char *jurl(Feed *f, const JsonValue *o, const char *key, const char *base)
{
    size_t n;
    const char *s = jstr(o, key, &n);
    return s ? fb_url(f, base, s, n) : NULL;
}

static int64_t jdate(const JsonValue *o, const char *key)
{
    size_t n;
    const char *s = jstr(o, key, &n);
    return s ? fb_date(s, n) : 0;
}

/* The first author's name from "authors" (1.1) or "author" (1.0). */
static const char *jauthor(Feed *f, const JsonValue *o)
{
    const JsonValue *arr = json_get(o, "authors");
    if (arr && arr->type == JSON_ARRAY)
        for (size_t i = 0; i < arr->u.arr.n; i++) {
            const char *name = jtext(f, arr->u.arr.items[i], "name", 1);
            if (name)
                return name;
        }
    const JsonValue *one = json_get(o, "author");
    return one ? jtext(f, one, "name", 1) : NULL;
}

int feed_parse_json(const char *s, size_t n, const char *feed_url, Feed *f, SwErr *err)
{
    SwErr jerr;
    const JsonValue *root = json_parse(&f->arena, s, n, &jerr);
    if (!root)
        return sw_err(err, "not a feed: invalid JSON (%s)", jerr.msg);
    size_t vn;
    const char *version = jstr(root, "version", &vn);
    /* the version is a URL; some feeds write just "1.0" or "1.1" */
    const JsonValue *items0 = json_get(root, "items");
    int url_version = version && memmem(version, vn, "jsonfeed.org/version/", 21);
    int bare_version = version && vn <= 4 && version[0] == '1' && items0 && items0->type == JSON_ARRAY;
    if (root->type != JSON_OBJECT || !(url_version || bare_version))
        return sw_err(err, "not a feed: JSON without a jsonfeed.org \"version\"");
    f->kind = (vn >= 3 && memcmp(version + vn - 3, "1.1", 3) == 0) ? "jsonfeed11" : "jsonfeed10";
    const char *base = feed_url;
    f->title = jtext(f, root, "title", 1);
    f->link = jurl(f, root, "home_page_url", base);
    f->self_link = jurl(f, root, "feed_url", base);
    f->description = jtext(f, root, "description", 0);
    f->image = jurl(f, root, "icon", base);
    if (!f->image)
        f->image = jurl(f, root, "favicon", base);
    f->lang = jtext(f, root, "language", 1);
    f->author = jauthor(f, root);
    const JsonValue *items = json_get(root, "items");
    if (!items || items->type != JSON_ARRAY)
        return 0; /* "items" is required, but an empty feed is still a feed */
    size_t cap = 0;
    for (size_t i = 0; i < items->u.arr.n; i++) {
        const JsonValue *o = items->u.arr.items[i];
        if (o->type != JSON_OBJECT)
            continue;
        FeedItem *it = fb_item(f, &cap);
        if (!it)
            break;
        const JsonValue *id = json_get(o, "id");
        if (id && id->type == JSON_STRING)
            it->id = fb_str(f, id->u.str.s, id->u.str.len);
        else if (id && id->type == JSON_NUMBER)
            it->id = arena_printf(&f->arena, "%.17g", id->u.number);
        it->link = jurl(f, o, "url", base);
        if (!it->link)
            it->link = jurl(f, o, "external_url", base);
        it->title = jtext(f, o, "title", 1);
        it->summary = jtext(f, o, "summary", 0);
        size_t hn;
        const char *html = jstr(o, "content_html", &hn);
        if (html) {
            it->content_html = fb_str(f, html, hn);
            it->content = fb_text(f, html, hn, 0);
        }
        if (!it->content) {
            size_t tn;
            const char *text = jstr(o, "content_text", &tn);
            if (text)
                it->content = fb_str(f, text, tn);
        }
        it->image = jurl(f, o, "image", base);
        if (!it->image)
            it->image = jurl(f, o, "banner_image", base);
        it->published = jdate(o, "date_published");
        it->updated = jdate(o, "date_modified");
        it->author = jauthor(f, o);
        const JsonValue *tags = json_get(o, "tags");
        if (tags && tags->type == JSON_ARRAY)
            for (size_t k = 0; k < tags->u.arr.n; k++)
                if (tags->u.arr.items[k]->type == JSON_STRING)
                    fb_category(f, it, tags->u.arr.items[k]->u.str.s, tags->u.arr.items[k]->u.str.len);
        const JsonValue *att = json_get(o, "attachments");
        if (att && att->type == JSON_ARRAY && att->u.arr.n > 0) {
            const JsonValue *a0 = att->u.arr.items[0];
            it->enclosure_url = jurl(f, a0, "url", base);
            it->enclosure_type = jtext(f, a0, "mime_type", 1);
            double size = json_get_num(a0, "size_in_bytes", 0);
            it->enclosure_length = size > 0 && size < 9e15 ? (int64_t)size : 0;
        }
    }
    /* JSON Feed has no feed date: the newest item's stands in */
    for (size_t i = 0; i < f->nitems; i++) {
        int64_t t = f->items[i].updated > f->items[i].published ? f->items[i].updated : f->items[i].published;
        if (t > f->updated)
            f->updated = t;
    }
    return 0;
}
