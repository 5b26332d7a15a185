/* jsonl.c - the article JSONL reader and writer (format in docs/formats.md).
 *
 * One JSON object a line. Known keys fill the Article; unknown keys are
 * ignored. A line that is not a JSON object, or has neither title nor
 * text, is an error for that line only. Text fields are cleaned (NFC,
 * whitespace) so that the store holds one normal form. */
#include <string.h>

#include "../core/buf.h"
#include "../core/json.h"
#include "../core/timeutil.h"
#include "../text/unicode.h"
#include "ingest.h"

static const char *clean_field(Arena *a, const JsonValue *obj, const char *key, int multiline)
{
    const JsonValue *v = json_get(obj, key);
    if (!v)
        return NULL;
    if (v->type == JSON_NUMBER) /* ids are often numbers */
        return arena_printf(a, "%.0f", v->u.number);
    if (v->type != JSON_STRING)
        return NULL;
    char *s = multiline ? text_clean(a, v->u.str.s, v->u.str.len)
                        : text_clean_line(a, v->u.str.s, v->u.str.len);
    return *s ? s : NULL;
}

static int bad_type(const JsonValue *obj, const char *key, SwErr *err)
{
    const JsonValue *v = json_get(obj, key);
    if (v && v->type != JSON_STRING && v->type != JSON_NULL)
        return sw_err(err, "\"%s\" must be a string", key);
    return 0;
}

int ingest_jsonl_line(Arena *a, const char *line, size_t n, Article *out, SwErr *err)
{
    memset(out, 0, sizeof *out);
    JsonValue *obj = json_parse(a, line, n, err);
    if (!obj)
        return -1;
    if (obj->type != JSON_OBJECT)
        return sw_err(err, "expected a JSON object, found %s",
                      obj->type == JSON_ARRAY ? "an array" : "a plain value");
    static const char *string_keys[] = {"url", "title", "text", "html", "source", "image", "lang", "author"};
    for (size_t i = 0; i < sizeof string_keys / sizeof *string_keys; i++)
        if (bad_type(obj, string_keys[i], err))
            return -1;

    out->url = clean_field(a, obj, "url", 0);
    out->title = clean_field(a, obj, "title", 0);
    out->text = clean_field(a, obj, "text", 1);
    if (!out->text) {
        const char *html = json_get_str(obj, "html");
        if (html) {
            char *plain = ingest_html_to_text(a, html, strlen(html));
            out->text = text_clean(a, plain, strlen(plain));
            if (!*out->text)
                out->text = NULL;
        }
    }
    out->source = clean_field(a, obj, "source", 0);
    out->image = clean_field(a, obj, "image", 0);
    out->lang = clean_field(a, obj, "lang", 0);
    out->author = clean_field(a, obj, "author", 0);
    out->ext_id = clean_field(a, obj, "id", 0);
    if (out->url && strlen(out->url) > 4096)
        return sw_err(err, "\"url\" is longer than 4096 bytes");
    if (out->lang) {
        /* keep only the primary subtag, lower case: "en-GB" -> "en" */
        char *l = arena_strdup(a, out->lang);
        for (char *p = l; *p; p++) {
            if (*p == '-' || *p == '_') {
                *p = '\0';
                break;
            }
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
        }
        out->lang = *l ? l : NULL;
    }

    const JsonValue *pub = json_get(obj, "published");
    if (pub && pub->type == JSON_NUMBER) {
        /* Unix seconds from 1970 to the year 9999 */
        if (!(pub->u.number >= 0 && pub->u.number < (double)TIME_MAX_UNIX))
            return sw_err(err, "\"published\" is out of range: %.0f", pub->u.number);
        out->published = (int64_t)pub->u.number;
    } else if (pub && pub->type == JSON_STRING) {
        if (time_parse(pub->u.str.s, &out->published) != 0) {
            /* quoted as JSON: the input's control characters must not
             * reach a terminal or a log */
            Buf q = {0};
            buf_json_str(&q, pub->u.str.s, pub->u.str.len < 60 ? pub->u.str.len : 60);
            sw_err(err, "\"published\" is not a date: %s", buf_cstr(&q));
            buf_free(&q);
            return -1;
        }
    } else if (pub && pub->type != JSON_NULL) {
        return sw_err(err, "\"published\" must be a date string or Unix seconds");
    }
    if (!out->title && !out->text)
        return sw_err(err, "article has neither \"title\" nor \"text\"");
    return 0;
}

void ingest_article_to_json(const Article *a, Buf *out)
{
    char when[40];
    buf_puts(out, "{\"url\":");
    buf_json_cstr(out, a->url);
    buf_puts(out, ",\"source\":");
    buf_json_cstr(out, a->source);
    buf_puts(out, ",\"title\":");
    buf_json_cstr(out, a->title);
    buf_puts(out, ",\"published\":");
    if (a->published) {
        time_format_rfc3339(a->published, when, sizeof when);
        buf_json_cstr(out, when);
    } else {
        buf_puts(out, "null");
    }
    if (a->author) {
        buf_puts(out, ",\"author\":");
        buf_json_cstr(out, a->author);
    }
    if (a->image) {
        buf_puts(out, ",\"image\":");
        buf_json_cstr(out, a->image);
    }
    if (a->lang) {
        buf_puts(out, ",\"lang\":");
        buf_json_cstr(out, a->lang);
    }
    if (a->ext_id) {
        buf_puts(out, ",\"id\":");
        buf_json_cstr(out, a->ext_id);
    }
    buf_puts(out, ",\"text\":");
    buf_json_cstr(out, a->text);
    buf_putc(out, '}');
}
