/* json.c - the list of stories as JSON for /api/stories.
 *
 * Each story is a summary, not its page: enough to draw a card and to
 * fetch the page from /api/stories/<slug>. Times are RFC 3339 or null. */
#include "render.h"

#include "render_util.h"

void render_json_story_list(const StoryRow *rows, size_t n, Buf *out)
{
    buf_putc(out, '[');
    for (size_t i = 0; i < n; i++) {
        const StoryRow *r = &rows[i];
        if (i)
            buf_putc(out, ',');
        buf_printf(out, "{\"story_id\":%lld,\"slug\":", (long long)r->id);
        buf_json_cstr(out, r->slug);
        buf_puts(out, ",\"headline\":");
        buf_json_cstr(out, r->headline);
        buf_puts(out, ",\"summary\":");
        buf_json_cstr(out, r->summary);
        buf_puts(out, ",\"image\":");
        buf_json_cstr(out, r->image);
        buf_printf(out, ",\"article_count\":%d,\"source_count\":%d,\"version\":%d", r->article_count,
                   r->source_count, r->page_version);
        buf_puts(out, ",\"first_published\":");
        buf_json_time(out, r->first_published);
        buf_puts(out, ",\"last_published\":");
        buf_json_time(out, r->last_published);
        buf_puts(out, ",\"updated\":");
        buf_json_time(out, r->updated);
        buf_putc(out, '}');
    }
    buf_putc(out, ']');
}
