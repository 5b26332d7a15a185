/* feeds.c - Atom 1.0 and JSON Feed 1.1 documents (see feeds.h).
 *
 * Atom: the feed and every entry carry the elements RFC 4287 requires
 * (id, title, updated; an author on the feed so that entries without one
 * stay valid) and links both rel="self" and rel="alternate". Entry ids are
 * the story's URL (for a story's updates: the URL with "#v<version>"), so
 * they never change once published. Text goes through buf_html, whose
 * output (entities for & < > " ', no control characters, valid UTF-8) is
 * also valid XML character data. */
#include "feeds.h"

#include "../core/timeutil.h"
#include "render_util.h"

#define FEED_TITLE "storywire: top stories"

static void xml_time(Buf *b, const char *element, int64_t t)
{
    char when[32];
    time_format_rfc3339(t > 0 ? t : 0, when, sizeof when);
    buf_printf(b, "<%s>%s</%s>\n", element, when, element);
}

/* base + "/story/<slug>" escaped for an XML attribute or text. */
static void story_url(Buf *b, const char *base, const char *slug)
{
    Buf u = {0};
    buf_puts(&u, base);
    render_story_path(&u, slug);
    buf_html(b, buf_cstr(&u));
    buf_free(&u);
}

static int64_t story_updated(const StoryRow *r)
{
    return r->updated > r->last_published ? r->updated : r->last_published;
}

static void atom_open(Buf *b, const char *base, const char *id_path, const char *self_path, const char *alt_path,
                      const char *title, int64_t updated)
{
    buf_puts(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<id>");
    buf_html(b, base);
    buf_html(b, id_path);
    buf_puts(b, "</id>\n<title>");
    buf_html(b, title);
    buf_puts(b, "</title>\n");
    xml_time(b, "updated", updated);
    buf_puts(b, "<link rel=\"self\" type=\"application/atom+xml\" href=\"");
    buf_html(b, base);
    buf_html(b, self_path);
    buf_puts(b, "\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
    buf_html(b, base);
    buf_html(b, alt_path);
    buf_puts(b, "\"/>\n<author><name>storywire</name></author>\n<generator>storywire</generator>\n");
}

void render_feed_atom(const char *base, const FeedStory *stories, size_t n, Buf *out)
{
    int64_t newest = 0;
    for (size_t i = 0; i < n; i++)
        if (story_updated(stories[i].row) > newest)
            newest = story_updated(stories[i].row);
    atom_open(out, base, "/", "/feed.atom", "/", FEED_TITLE, newest);
    for (size_t i = 0; i < n; i++) {
        const StoryRow *r = stories[i].row;
        buf_puts(out, "<entry>\n<id>");
        story_url(out, base, r->slug);
        buf_puts(out, "</id>\n<title>");
        buf_html(out, r->headline && *r->headline ? r->headline : "Untitled story");
        buf_puts(out, "</title>\n");
        xml_time(out, "updated", story_updated(r));
        if (r->first_published)
            xml_time(out, "published", r->first_published);
        buf_puts(out, "<link rel=\"alternate\" type=\"text/html\" href=\"");
        story_url(out, base, r->slug);
        buf_puts(out, "\"/>\n");
        if (r->summary && *r->summary) {
            buf_puts(out, "<summary type=\"text\">");
            buf_html(out, r->summary);
            buf_puts(out, "</summary>\n");
        }
        for (size_t k = 0; k < stories[i].n_outlets; k++) {
            buf_puts(out, "<author><name>");
            buf_html(out, stories[i].outlets[k]);
            buf_puts(out, "</name></author>\n");
        }
        buf_puts(out, "</entry>\n");
    }
    buf_puts(out, "</feed>\n");
}

void render_feed_json(const char *base, const FeedStory *stories, size_t n, Buf *out)
{
    Buf u = {0};
    buf_puts(out, "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"" FEED_TITLE "\"");
    buf_printf(&u, "%s/", base);
    buf_puts(out, ",\"home_page_url\":");
    buf_json_cstr(out, buf_cstr(&u));
    buf_reset(&u);
    buf_printf(&u, "%s/feed.json", base);
    buf_puts(out, ",\"feed_url\":");
    buf_json_cstr(out, buf_cstr(&u));
    buf_puts(out, ",\"language\":\"en\",\"items\":[");
    for (size_t i = 0; i < n; i++) {
        const StoryRow *r = stories[i].row;
        buf_reset(&u);
        buf_puts(&u, base);
        render_story_path(&u, r->slug);
        if (i)
            buf_putc(out, ',');
        buf_puts(out, "{\"id\":");
        buf_json_cstr(out, buf_cstr(&u));
        buf_puts(out, ",\"url\":");
        buf_json_cstr(out, buf_cstr(&u));
        buf_puts(out, ",\"title\":");
        buf_json_cstr(out, r->headline && *r->headline ? r->headline : "Untitled story");
        buf_puts(out, ",\"content_text\":");
        buf_json_cstr(out, r->summary ? r->summary : "");
        if (r->summary && *r->summary) {
            buf_puts(out, ",\"summary\":");
            buf_json_cstr(out, r->summary);
        }
        if (render_url_ok(r->image)) {
            buf_puts(out, ",\"image\":");
            buf_json_cstr(out, r->image);
        }
        if (r->first_published) {
            buf_puts(out, ",\"date_published\":");
            buf_json_time(out, r->first_published);
        }
        buf_puts(out, ",\"date_modified\":");
        buf_json_time(out, story_updated(r));
        buf_puts(out, ",\"authors\":[");
        for (size_t k = 0; k < stories[i].n_outlets; k++) {
            buf_puts(out, k ? ",{\"name\":" : "{\"name\":");
            buf_json_cstr(out, stories[i].outlets[k]);
            buf_putc(out, '}');
        }
        buf_puts(out, "]}");
    }
    buf_puts(out, "]}\n");
    buf_free(&u);
}

void render_story_atom(const char *base, const StoryRow *story, const WebPageVersion *versions, size_t n,
                       Buf *out)
{
    const char *headline = story->headline && *story->headline ? story->headline : "Untitled story";
    Buf path = {0}, self = {0}, title = {0};
    render_story_path(&path, story->slug);
    buf_printf(&self, "%s.atom", buf_cstr(&path));
    buf_puts(&title, "Updates: ");
    buf_puts(&title, headline);
    int64_t newest = n ? versions[0].created : story_updated(story);
    atom_open(out, base, buf_cstr(&path), buf_cstr(&self), buf_cstr(&path), buf_cstr(&title), newest);
    for (size_t i = 0; i < n; i++) {
        const WebPageVersion *v = &versions[i];
        buf_puts(out, "<entry>\n<id>");
        story_url(out, base, story->slug);
        buf_printf(out, "#v%d</id>\n<title>", v->version);
        buf_html(out, v->headline && *v->headline ? v->headline : headline);
        buf_printf(out, " (version %d)</title>\n", v->version);
        xml_time(out, "updated", v->created);
        xml_time(out, "published", v->created);
        buf_puts(out, "<link rel=\"alternate\" type=\"text/html\" href=\"");
        story_url(out, base, story->slug);
        buf_puts(out, "\"/>\n<summary type=\"text\">");
        if (v->change_note && *v->change_note)
            buf_html(out, v->change_note);
        else
            buf_puts(out, v->version == 1 ? "First version of the story." : "The story was rewritten.");
        buf_puts(out, "</summary>\n</entry>\n");
    }
    buf_puts(out, "</feed>\n");
    buf_free(&path);
    buf_free(&self);
    buf_free(&title);
}
