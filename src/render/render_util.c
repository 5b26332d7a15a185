/* render_util.c - the small checks and encoders every renderer needs, kept
 * in one place so that the rules (which URLs are linked, how a slug is
 * escaped) cannot drift apart between text, Markdown and HTML. */
#include "render_util.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../core/timeutil.h"
#include "../core/utf8util.h"

int render_url_ok(const char *url)
{
    if (!url)
        return 0;
    size_t skip;
    if (strncasecmp(url, "http://", 7) == 0)
        skip = 7;
    else if (strncasecmp(url, "https://", 8) == 0)
        skip = 8;
    else
        return 0;
    if (!url[skip])
        return 0;
    for (const unsigned char *c = (const unsigned char *)url; *c; c++)
        if (*c <= 0x20 || *c == 0x7f)
            return 0;
    return 1;
}

void render_story_path(Buf *b, const char *slug)
{
    buf_puts(b, "/story/");
    render_slug(b, slug);
}

void render_slug(Buf *b, const char *slug)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *c = (const unsigned char *)(slug ? slug : ""); *c; c++) {
        if ((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-') {
            buf_putc(b, (char)*c);
        } else {
            char esc[3] = {'%', hex[*c >> 4], hex[*c & 15]};
            buf_append(b, esc, 3);
        }
    }
}

void render_plain(Buf *b, const char *s)
{
    if (s)
        render_plain_n(b, s, strlen(s));
}

void render_plain_n(Buf *b, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            i += buf_utf8_char(b, s + i, n - i);
            continue;
        }
        if (c == '\n' || c == '\r' || c == '\t')
            buf_putc(b, ' ');
        else if (c >= 0x20 && c != 0x7f)
            buf_putc(b, (char)c);
        i++;
    }
}

const PageSource *render_source(const Page *p, int index)
{
    if (index < 0 || (size_t)index >= p->n_sources)
        return NULL;
    return &p->sources[index];
}

void render_rfc3339(int64_t t, char *out, size_t n)
{
    if (t == 0) {
        if (n)
            out[0] = '\0';
        return;
    }
    time_format_rfc3339(t, out, n);
}

const char *render_quote_close(const char *text, size_t *len)
{
    size_t n = strlen(text);
    while (n && (text[n - 1] == ' '))
        n--;
    const char *close = ",";
    /* an ellipsis or a closing quote ends the words as they were spoken */
    if ((n >= 3 && memcmp(text + n - 3, "...", 3) == 0) ||
        (n >= 3 && memcmp(text + n - 3, "\xE2\x80\xA6", 3) == 0))
        close = "";
    else if (n && (text[n - 1] == '?' || text[n - 1] == '!'))
        close = "";
    else if (n && (text[n - 1] == '.' || text[n - 1] == ','))
        n--;
    *len = n;
    return close;
}

void render_page_open(Buf *b, const char *lang, const char *title, const char *description,
                      const char *extra_head)
{
    buf_puts(b, "<!DOCTYPE html>\n<html lang=\"");
    buf_html(b, lang && *lang ? lang : "en");
    buf_puts(b, "\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<meta name=\"color-scheme\" content=\"light dark\">\n<title>");
    buf_html(b, title);
    buf_puts(b, "</title>\n");
    if (description && *description) {
        buf_puts(b, "<meta name=\"description\" content=\"");
        buf_html(b, description);
        buf_puts(b, "\">\n");
    }
    buf_puts(b, "<link rel=\"stylesheet\" href=\"/static/style.css\">\n");
    if (extra_head)
        buf_puts(b, extra_head);
    buf_puts(b, "</head>\n<body>\n"
                "<a class=\"skip-link\" href=\"#content\">Skip to content</a>\n"
                "<header class=\"site-header\">\n<nav class=\"site-nav\" aria-label=\"Site\">"
                "<a class=\"brand\" href=\"/\">" RENDER_SITE_NAME "</a>"
                "<a class=\"nav-link\" href=\"/sources\">Sources</a>"
                "<form class=\"site-search\" role=\"search\" action=\"/search\" method=\"get\">"
                "<label class=\"visually-hidden\" for=\"site-q\">Search stories</label>"
                "<input id=\"site-q\" type=\"search\" name=\"q\" maxlength=\"256\" placeholder=\"Search\">"
                "</form></nav>\n</header>\n"
                "<main id=\"content\">\n");
}

void render_page_close(Buf *b)
{
    buf_puts(b, "</main>\n<footer class=\"site-footer\">\n<p>Written by " RENDER_SITE_NAME
                " from the reporting of the outlets it cites. Every sentence links to the article it "
                "comes from.</p>\n<p><a href=\"/\">Top stories</a> \xC2\xB7 "
                "<a href=\"/sources\">Sources</a> \xC2\xB7 <a href=\"/search\">Search</a> \xC2\xB7 "
                "<a href=\"/api/stories\">JSON API</a> \xC2\xB7 <a href=\"/feed.atom\">Feed</a></p>\n"
                "</footer>\n</body>\n</html>\n");
}

void render_html_time(Buf *b, int64_t t)
{
    char machine[32], human[64];
    render_rfc3339(t, machine, sizeof machine);
    time_format_human(t, human, sizeof human);
    buf_printf(b, "<time datetime=\"%s\">%s</time>", machine, human);
}

void render_background_body(Buf *b, const PageBackground *bg)
{
    const char *t = bg->text ? bg->text : "";
    if (strncmp(t, "The ", 4) == 0) {
        buf_puts(b, "the ");
        t += 4;
    }
    buf_puts(b, t);
}

void render_event_date(Buf *b, const char *date)
{
    static const char *const months[] = {"January", "February", "March", "April", "May", "June", "July",
                                         "August", "September", "October", "November", "December"};
    int y = 0, m = 0, d = 0, used = 0;
    size_t n = date ? strlen(date) : 0;
    if (n == 10 && sscanf(date, "%4d-%2d-%2d%n", &y, &m, &d, &used) == 3 && used == 10 && m >= 1 && m <= 12 &&
        d >= 1 && d <= 31) {
        buf_printf(b, "%d %s %d", d, months[m - 1], y);
    } else if (n == 7 && sscanf(date, "%4d-%2d%n", &y, &m, &used) == 2 && used == 7 && m >= 1 && m <= 12) {
        buf_printf(b, "%s %d", months[m - 1], y);
    } else if (date) {
        buf_puts(b, date);
    }
}
