/* search.c - search results as an HTML page and as the /api/search JSON.
 *
 * Matched words arrive wrapped in SEARCH_MARK_OPEN / SEARCH_MARK_CLOSE
 * (control bytes that never reach a reader). One walker, marked_walk,
 * reads such text once: it repairs invalid UTF-8 to U+FFFD, folds white
 * space runs to one space, drops other control characters and reports the
 * marks, so the HTML (<mark>) and JSON (code point ranges) forms cannot
 * disagree about where a match is.
 *
 * The page shell (doctype, site header, footer) matches html.c's, whose
 * helpers render.h does not export; the search form posts nowhere (GET to
 * /search) and needs no script. Links back to /search carry the query and
 * filters percent-encoded, then escaped for the attribute. */
#include "search.h"

#include <math.h>
#include <string.h>

#include "../core/timeutil.h"
#include "../core/utf8util.h"
#include "render_util.h"


/* ---- marked text ---- */

typedef struct MarkSink {
    void (*text)(void *ctx, const char *s, size_t n); /* one character, already clean */
    void (*mark)(void *ctx, int open);
    void *ctx;
} MarkSink;

/* Walks marked text, calling sink->text once per character and sink->mark
 * at each balanced mark; leading and trailing white space is dropped. */
static void marked_walk(const char *s, const MarkSink *sink)
{
    if (!s)
        return;
    size_t len = strlen(s);
    int open = 0, space = 0, any = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c == (unsigned char)SEARCH_MARK_OPEN || c == (unsigned char)SEARCH_MARK_CLOSE) {
            int want = c == (unsigned char)SEARCH_MARK_OPEN;
            if (want != open) {
                if (space && any && want) { /* a space before a match belongs outside it */
                    sink->text(sink->ctx, " ", 1);
                    space = 0;
                }
                sink->mark(sink->ctx, want);
                open = want;
            }
            i++;
            continue;
        }
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            space = 1;
            i++;
            continue;
        }
        if (c < 0x20 || c == 0x7f) {
            i++;
            continue;
        }
        if (space && any)
            sink->text(sink->ctx, " ", 1);
        space = 0;
        any = 1;
        size_t k = utf8_seq_len(s + i, len - i);
        if (k == 0) {
            sink->text(sink->ctx, "\xEF\xBF\xBD", 3);
            i++;
        } else {
            sink->text(sink->ctx, s + i, k);
            i += k;
        }
    }
    if (open)
        sink->mark(sink->ctx, 0);
}

/* HTML: characters gathered into a run, escaped at each mark and the end. */
typedef struct HtmlMarks {
    Buf *out;
    Buf run;
} HtmlMarks;

static void html_flush(HtmlMarks *h)
{
    if (h->run.len)
        buf_html(h->out, buf_cstr(&h->run));
    buf_reset(&h->run);
}

static void html_text(void *ctx, const char *s, size_t n)
{
    buf_append(&((HtmlMarks *)ctx)->run, s, n);
}

static void html_mark(void *ctx, int open)
{
    HtmlMarks *h = ctx;
    html_flush(h);
    buf_puts(h->out, open ? "<mark>" : "</mark>");
}

void render_marked_html(Buf *b, const char *marked)
{
    HtmlMarks h = {b, {0}};
    MarkSink sink = {html_text, html_mark, &h};
    marked_walk(marked, &sink);
    html_flush(&h);
    buf_free(&h.run);
}

/* JSON: the plain text and the ranges, counted in code points. */
typedef struct JsonMarks {
    Buf text;
    Buf ranges;
    size_t cps;
    int n_ranges;
} JsonMarks;

static void json_text(void *ctx, const char *s, size_t n)
{
    JsonMarks *j = ctx;
    buf_append(&j->text, s, n);
    j->cps++;
}

static void json_mark(void *ctx, int open)
{
    JsonMarks *j = ctx;
    if (open)
        buf_printf(&j->ranges, "%s[%zu,", j->n_ranges++ ? "," : "", j->cps);
    else
        buf_printf(&j->ranges, "%zu]", j->cps);
}

void render_marked_json(Buf *b, const char *marked, const char *ranges_key)
{
    JsonMarks j = {{0}, {0}, 0, 0};
    MarkSink sink = {json_text, json_mark, &j};
    marked_walk(marked, &sink);
    buf_json_str(b, j.text.data ? j.text.data : "", j.text.len);
    buf_puts(b, ",");
    buf_json_cstr(b, ranges_key);
    buf_puts(b, ":[");
    buf_append(b, j.ranges.data ? j.ranges.data : "", j.ranges.len);
    buf_puts(b, "]");
    buf_free(&j.text);
    buf_free(&j.ranges);
}

/* ---- links back to /search ---- */

/* Appends s percent-encoded for a query string value (RFC 3986
 * unreserved characters stay as they are). */
static void url_encode(Buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
            *p == '.' || *p == '_' || *p == '~') {
            buf_putc(b, (char)*p);
        } else {
            buf_putc(b, '%');
            buf_putc(b, hex[*p >> 4]);
            buf_putc(b, hex[*p & 15]);
        }
    }
}

static void add_param(Buf *b, const char *key, const char *value)
{
    if (!value || !*value)
        return;
    buf_putc(b, strchr(buf_cstr(b), '?') ? '&' : '?');
    buf_puts(b, key);
    buf_putc(b, '=');
    url_encode(b, value);
}

/* href="/search?q=...&page=N", escaped for the attribute. */
static void search_href(Buf *out, const SearchView *v, int page)
{
    Buf url = {0};
    buf_puts(&url, "/search");
    add_param(&url, "q", v->q);
    add_param(&url, "from", v->from);
    add_param(&url, "to", v->to);
    add_param(&url, "source", v->source);
    add_param(&url, "lang", v->lang);
    if (page > 1)
        buf_printf(&url, "%cpage=%d", strchr(buf_cstr(&url), '?') ? '&' : '?', page);
    buf_puts(out, "href=\"");
    buf_html(out, buf_cstr(&url));
    buf_puts(out, "\"");
    buf_free(&url);
}

/* ---- the page ---- */

static void page_open(Buf *b, const SearchView *v)
{
    Buf title = {0};
    if (v->q && *v->q && !v->no_terms) {
        buf_puts(&title, "Search: ");
        render_plain(&title, v->q);
        if (v->page > 1)
            buf_printf(&title, ", page %d", v->page);
    } else {
        buf_puts(&title, "Search");
    }
    buf_puts(&title, " \xE2\x80\x94 " RENDER_SITE_NAME);
    render_page_open(b, "en", buf_cstr(&title), NULL, "<meta name=\"robots\" content=\"noindex\">\n");
    buf_free(&title);
}

static void page_close(Buf *b)
{
    render_page_close(b);
}

static void form_input(Buf *b, const char *id, const char *label, const char *type, const char *value,
                       const char *extra)
{
    buf_printf(b, "<label for=\"%s\">%s</label><input id=\"%s\" name=\"%s\" type=\"%s\"", id, label, id, id, type);
    if (value && *value) {
        buf_puts(b, " value=\"");
        buf_html(b, value);
        buf_puts(b, "\"");
    }
    buf_printf(b, "%s>\n", extra);
}

static void search_form(Buf *b, const SearchView *v)
{
    buf_printf(b, "<form class=\"search-form\" role=\"search\" action=\"/search\" method=\"get\">\n"
                  "<div class=\"search-row\">");
    /* the label is for screen readers; the button says what the box is for */
    buf_puts(b, "<label class=\"visually-hidden\" for=\"q\">Search stories and articles</label>"
                "<input id=\"q\" name=\"q\" type=\"search\"");
    if (v->q && *v->q) {
        buf_puts(b, " value=\"");
        buf_html(b, v->q);
        buf_puts(b, "\"");
    }
    buf_puts(b, " maxlength=\"256\" autocomplete=\"off\">\n");
    buf_puts(b, "<button type=\"submit\">Search</button></div>\n");
    int open = (v->from && *v->from) || (v->to && *v->to) || (v->source && *v->source) || (v->lang && *v->lang);
    buf_printf(b, "<details class=\"search-filters\"%s><summary>Filters</summary>\n", open ? " open" : "");
    form_input(b, "from", "From", "text", v->from, " placeholder=\"YYYY-MM-DD\" inputmode=\"numeric\"");
    form_input(b, "to", "To", "text", v->to, " placeholder=\"YYYY-MM-DD\" inputmode=\"numeric\"");
    form_input(b, "source", "Outlet", "text", v->source, " placeholder=\"name or id\"");
    form_input(b, "lang", "Language", "text", v->lang, " placeholder=\"en\" maxlength=\"35\"");
    buf_puts(b, "</details>\n</form>\n");
}

static void html_time(Buf *b, int64_t t)
{
    render_html_time(b, t);
}

static void story_result(Buf *b, const SearchHit *h)
{
    buf_puts(b, "<li class=\"card result\"><article>\n<p class=\"result-kind\">Story</p>\n"
                "<h3 class=\"card-title\"><a href=\"");
    Buf path = {0};
    render_story_path(&path, h->slug ? h->slug : "");
    buf_html(b, buf_cstr(&path));
    buf_free(&path);
    buf_puts(b, "\">");
    if (h->title && *h->title)
        render_marked_html(b, h->title);
    else
        buf_puts(b, "Untitled story");
    buf_puts(b, "</a></h3>\n");
    if (h->snippet && *h->snippet) {
        buf_puts(b, "<p class=\"card-summary snippet\">");
        render_marked_html(b, h->snippet);
        buf_puts(b, "</p>\n");
    }
    buf_printf(b, "<p class=\"meta\">%d article%s \xC2\xB7 %d outlet%s", h->article_count,
               h->article_count == 1 ? "" : "s", h->source_count, h->source_count == 1 ? "" : "s");
    if (h->published) {
        buf_puts(b, " \xC2\xB7 updated ");
        html_time(b, h->published);
    }
    buf_puts(b, "</p>\n</article></li>\n");
}

static void article_result(Buf *b, const SearchHit *h)
{
    buf_puts(b, "<li class=\"card result\"><article>\n<p class=\"result-kind\">Article</p>\n"
                "<h3 class=\"card-title\">");
    const char *close = "";
    if (h->slug) {
        Buf path = {0};
        render_story_path(&path, h->slug);
        buf_puts(b, "<a href=\"");
        buf_html(b, buf_cstr(&path));
        buf_puts(b, "\">");
        buf_free(&path);
        close = "</a>";
    } else if (render_url_ok(h->url)) {
        buf_puts(b, "<a href=\"");
        buf_html(b, h->url);
        buf_puts(b, "\" rel=\"noopener nofollow\">");
        close = "</a>";
    }
    if (h->title && *h->title)
        render_marked_html(b, h->title);
    else
        buf_puts(b, "Untitled article");
    buf_puts(b, close);
    buf_puts(b, "</h3>\n");
    if (h->snippet && *h->snippet) {
        buf_puts(b, "<p class=\"card-summary snippet\">");
        render_marked_html(b, h->snippet);
        buf_puts(b, "</p>\n");
    }
    buf_puts(b, "<p class=\"meta\">");
    if (h->outlet && *h->outlet) {
        buf_puts(b, "<span class=\"outlet\">");
        buf_html(b, h->outlet);
        buf_puts(b, "</span>");
    }
    if (h->published) {
        buf_puts(b, " \xC2\xB7 ");
        html_time(b, h->published);
    }
    if (h->slug)
        buf_puts(b, " \xC2\xB7 in a story");
    buf_puts(b, "</p>\n</article></li>\n");
}

static void results_list(Buf *b, const char *heading, const char *id, const SearchHit *hits, size_t n,
                         void (*one)(Buf *, const SearchHit *))
{
    if (!n)
        return;
    buf_printf(b, "<section class=\"results\" aria-labelledby=\"%s\">\n<h2 id=\"%s\">%s</h2>\n"
                  "<ol class=\"story-list\">\n", id, id, heading);
    for (size_t i = 0; i < n; i++)
        one(b, &hits[i]);
    buf_puts(b, "</ol>\n</section>\n");
}

void render_search_html(const SearchView *v, Buf *out)
{
    int page = v->page < 1 ? 1 : v->page;
    page_open(out, v);
    buf_puts(out, "<h1 class=\"page-title\">Search");
    if (page > 1)
        buf_printf(out, " <span class=\"page-number\">page %d</span>", page);
    buf_puts(out, "</h1>\n");
    search_form(out, v);
    if (v->notice && *v->notice) {
        buf_puts(out, "<p class=\"notice\" role=\"status\">");
        buf_html(out, v->notice);
        buf_puts(out, "</p>\n");
    }
    if (v->no_terms) {
        buf_puts(out, "<p class=\"empty\">Type something to search: words, a \xE2\x80\x9C"
                      "phrase in quotes\xE2\x80\x9D, or the start of a word followed by * "
                      "(<code>gover*</code>).</p>\n");
        page_close(out);
        return;
    }
    if (!v->n_stories && !v->n_articles) {
        buf_puts(out, "<p class=\"empty\">");
        if (page > 1) {
            buf_puts(out, "There are no more results.");
        } else {
            buf_puts(out, "Nothing matches \xE2\x80\x9C");
            Buf q = {0};
            render_plain(&q, v->q ? v->q : "");
            buf_html(out, buf_cstr(&q));
            buf_free(&q);
            buf_puts(out, "\xE2\x80\x9D. Try fewer words, another spelling, or fewer filters.");
        }
        buf_puts(out, "</p>\n");
    }
    results_list(out, "Stories", "stories-found", v->stories, v->n_stories, story_result);
    results_list(out, "Articles", "articles-found", v->articles, v->n_articles, article_result);
    if (page > 1 || v->has_next) {
        buf_puts(out, "<nav class=\"pager\" aria-label=\"More results\">\n");
        if (page > 1) {
            buf_puts(out, "<a rel=\"prev\" ");
            search_href(out, v, page - 1);
            buf_puts(out, ">\xE2\x86\x90 Previous results</a>\n");
        }
        if (v->has_next) {
            buf_puts(out, "<a rel=\"next\" ");
            search_href(out, v, page + 1);
            buf_puts(out, ">More results \xE2\x86\x92</a>\n");
        }
        buf_puts(out, "</nav>\n");
    }
    page_close(out);
}

/* ---- JSON ---- */

/* BM25 is always finite; JSON has no way to write anything else. */
static void json_score(Buf *b, double score)
{
    buf_printf(b, ",\"score\":%.6g}", isfinite(score) ? score : 0.0);
}

static void json_story(Buf *b, const SearchHit *h)
{
    buf_puts(b, "{\"type\":\"story\",\"id\":");
    buf_printf(b, "%lld,\"slug\":", (long long)h->id);
    buf_json_cstr(b, h->slug);
    buf_puts(b, ",\"url\":");
    Buf path = {0};
    render_story_path(&path, h->slug ? h->slug : "");
    buf_json_cstr(b, buf_cstr(&path));
    buf_free(&path);
    buf_puts(b, ",\"headline\":");
    render_marked_json(b, h->title, "headline_highlights");
    buf_puts(b, ",\"snippet\":");
    render_marked_json(b, h->snippet, "highlights");
    buf_printf(b, ",\"article_count\":%d,\"source_count\":%d,\"updated\":", h->article_count, h->source_count);
    buf_json_time(b, h->published);
    json_score(b, h->score);
}

static void json_article(Buf *b, const SearchHit *h)
{
    buf_printf(b, "{\"type\":\"article\",\"id\":%lld,\"title\":", (long long)h->id);
    render_marked_json(b, h->title, "title_highlights");
    buf_puts(b, ",\"snippet\":");
    render_marked_json(b, h->snippet, "highlights");
    buf_puts(b, ",\"outlet\":");
    buf_json_cstr(b, h->outlet);
    buf_puts(b, ",\"lang\":");
    buf_json_cstr(b, h->lang);
    buf_puts(b, ",\"published\":");
    buf_json_time(b, h->published);
    buf_puts(b, ",\"url\":");
    /* only a web address is worth handing on: the same rule as the links */
    buf_json_cstr(b, render_url_ok(h->url) ? h->url : NULL);
    buf_puts(b, ",\"story\":");
    buf_json_cstr(b, h->slug);
    buf_puts(b, ",\"story_url\":");
    if (h->slug) {
        Buf path = {0};
        render_story_path(&path, h->slug);
        buf_json_cstr(b, buf_cstr(&path));
        buf_free(&path);
    } else {
        buf_puts(b, "null");
    }
    json_score(b, h->score);
}

void render_search_json(const SearchView *v, int64_t from_t, int64_t to_t, int64_t source_id,
                        const char *next_cursor, Buf *out)
{
    buf_puts(out, "{\"query\":");
    buf_json_cstr(out, v->q ? v->q : "");
    buf_puts(out, ",\"filters\":{\"from\":");
    buf_json_time(out, from_t);
    buf_puts(out, ",\"to\":");
    buf_json_time(out, to_t);
    buf_puts(out, ",\"source\":");
    if (source_id)
        buf_printf(out, "%lld", (long long)source_id);
    else
        buf_puts(out, "null");
    buf_puts(out, ",\"lang\":");
    buf_json_cstr(out, v->lang && *v->lang ? v->lang : NULL);
    buf_puts(out, "},\"results\":[");
    size_t k = 0;
    for (size_t i = 0; i < v->n_stories; i++, k++) {
        if (k)
            buf_putc(out, ',');
        json_story(out, &v->stories[i]);
    }
    for (size_t i = 0; i < v->n_articles; i++, k++) {
        if (k)
            buf_putc(out, ',');
        json_article(out, &v->articles[i]);
    }
    buf_puts(out, "],\"next_cursor\":");
    buf_json_cstr(out, next_cursor);
    if (v->notice && *v->notice) {
        buf_puts(out, ",\"notice\":");
        buf_json_cstr(out, v->notice);
    }
    buf_puts(out, "}\n");
}
