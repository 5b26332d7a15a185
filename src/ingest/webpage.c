/* webpage.c - web pages to Articles: single HTML files and the HTML
 * responses inside WARC archives, both through the article extractor.
 *
 * A page becomes an article only when the extractor finds a title and a
 * body of at least INGEST_MIN_TEXT bytes; anything else in an archive
 * (requests, metadata, images, redirects, index pages) is counted by
 * reason in IngestStats.passed rather than reported one by one, so that a
 * CC-NEWS file of 40,000 records gives one summary line, not thousands.
 * Damaged records are reported through on_error, each naming the file,
 * the record's byte offset and its URL. */
#include <stdio.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/fileio.h"
#include "../core/timeutil.h"
#include "../extract/extract.h"
#include "../text/unicode.h"
#include "ingest.h"
#include "warc.h"

#define STR_(x) #x
#define STR(x) STR_(x)

const char *ingest_pass_name(IngestPass p)
{
    switch (p) {
    case INGEST_PASS_NOT_RESPONSE: return "not a response (request, metadata...)";
    case INGEST_PASS_NOT_HTTP: return "non-HTTP response";
    case INGEST_PASS_STATUS: return "HTTP status not 2xx";
    case INGEST_PASS_NOT_HTML: return "not HTML";
    case INGEST_PASS_NO_TITLE: return "page without a title";
    case INGEST_PASS_SHORT: return "page with under " STR(INGEST_MIN_TEXT) " bytes of article text";
    default: return "other";
    }
}

size_t ingest_passed_describe(const IngestStats *st, Buf *out)
{
    size_t total = 0;
    for (int p = 0; p < INGEST_PASS_N; p++) {
        if (!st->passed[p])
            continue;
        buf_printf(out, "%s%s %zu", total ? ", " : "", ingest_pass_name((IngestPass)p), st->passed[p]);
        total += st->passed[p];
    }
    return total;
}

/* The primary language subtag, lower case ("de-DE" -> "de"), or NULL. */
static const char *lang_code(const char *tag, char *out, size_t n)
{
    if (!tag)
        return NULL;
    size_t k = 0;
    for (const char *p = tag; *p && *p != '-' && *p != '_' && k + 1 < n; p++) {
        char c = *p;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c < 'a' || c > 'z')
            return NULL;
        out[k++] = c;
    }
    out[k] = '\0';
    return k == 2 || k == 3 ? out : NULL;
}

static const char *clean_line(Arena *arena, const char *s)
{
    if (!s)
        return NULL;
    char *c = text_clean_line(arena, s, strlen(s));
    return *c ? c : NULL;
}

/* Checks the extracted page and fills an Article from it, its text
 * cleaned as the JSONL reader cleans (NFC, whitespace) into arena.
 * Returns -1 with *why set when the page holds no usable article. */
static int article_from_page(Arena *arena, const Extracted *x, const char *page_url, Article *a, IngestPass *why)
{
    memset(a, 0, sizeof *a);
    a->title = clean_line(arena, x->title);
    if (!a->title) {
        *why = INGEST_PASS_NO_TITLE;
        return -1;
    }
    a->text = x->text ? text_clean(arena, x->text, strlen(x->text)) : "";
    if (strlen(a->text) < INGEST_MIN_TEXT) {
        *why = INGEST_PASS_SHORT;
        return -1;
    }
    const char *url = x->url && x->url[0] ? x->url : page_url;
    a->url = url && strlen(url) <= 4096 ? url : NULL; /* the JSONL reader's limit */
    a->author = clean_line(arena, x->author);
    a->image = x->image;
    char lang[8];
    const char *code = lang_code(x->lang, lang, sizeof lang);
    a->lang = code ? arena_strdup(arena, code) : NULL;
    a->source = clean_line(arena, x->site_name);
    a->published = x->published;
    return 0;
}

int ingest_html_file(const char *path, const IngestOptions *opt, IngestArticleFn fn, IngestErrorFn on_error,
                     void *ctx, IngestStats *st, SwErr *err)
{
    Buf page = {0};
    if (file_read_all(path, EXTRACT_MAX_BYTES, &page, err) != 0) {
        buf_free(&page);
        return -1;
    }
    st->records++;
    Extracted x;
    SwErr xerr;
    char msg[1400];
    int rc = 0;
    const char *url = opt ? opt->url : NULL;
    if (extract_html(page.data ? page.data : "", page.len, url, NULL, &x, &xerr) != 0) {
        buf_free(&page);
        snprintf(msg, sizeof msg, "%s: %s", path, xerr.msg);
        st->skipped++;
        if (on_error)
            on_error(ctx, msg);
        return 0;
    }
    buf_free(&page);
    Article a;
    Arena arena = {0};
    IngestPass why;
    if (article_from_page(&arena, &x, url, &a, &why) != 0) {
        st->skipped++;
        snprintf(msg, sizeof msg, "%s: no article in the page (%s), skipped", path,
                 why == INGEST_PASS_NO_TITLE ? "no title" : "less than " STR(INGEST_MIN_TEXT) " bytes of article text");
        if (on_error)
            on_error(ctx, msg);
    } else {
        ingest_article_finish(&a, opt, time_now());
        st->articles++;
        char where[600];
        snprintf(where, sizeof where, "%s", path);
        if (fn(ctx, &a, where) != 0)
            rc = sw_err(err, "%s: stopped", path);
    }
    arena_free(&arena);
    extracted_free(&x);
    return rc;
}

/* Turns one response record into an article, or says why not: returns 1
 * for an article given to fn, 0 when passed over (*why set), -1 for a
 * damaged record (msg set), -2 when fn asked to stop. */
static int warc_response(const WarcRecord *rec, const IngestOptions *opt, IngestArticleFn fn, void *ctx,
                         Buf *payload, IngestPass *why, char *msg, size_t msg_n)
{
    const char *uri = rec->target_uri ? rec->target_uri : "no WARC-Target-URI";
    if ((rec->content_type && strncmp(rec->content_type, "application/http", 16) != 0) ||
        (rec->target_uri && strncmp(rec->target_uri, "http", 4) != 0)) {
        *why = INGEST_PASS_NOT_HTTP;
        return 0;
    }
    WarcHttp h;
    SwErr e;
    if (warc_http_parse(rec->block, rec->block_len, &h, &e) != 0) {
        snprintf(msg, msg_n, "%s (%s): %s", rec->where, uri, e.msg);
        return -1;
    }
    if (h.status < 200 || h.status > 299) {
        *why = INGEST_PASS_STATUS;
        return 0;
    }
    if (h.media_type[0] && !warc_http_is_html(&h, "", 0) && strcmp(h.media_type, "application/octet-stream") != 0 &&
        strcmp(h.media_type, "unknown/unknown") != 0) {
        *why = INGEST_PASS_NOT_HTML; /* known not to be HTML: not even decoded */
        return 0;
    }
    if (warc_http_payload(&h, WARC_RECORD_MAX, payload, &e) != 0) {
        snprintf(msg, msg_n, "%s (%s): %s", rec->where, uri, e.msg);
        return -1;
    }
    if (!warc_http_is_html(&h, buf_cstr(payload), payload->len)) {
        *why = INGEST_PASS_NOT_HTML;
        return 0;
    }
    if (payload->len == 0) { /* 204, or an empty page */
        *why = INGEST_PASS_SHORT;
        return 0;
    }
    Extracted x;
    if (extract_html(buf_cstr(payload), payload->len, rec->target_uri, h.charset[0] ? h.charset : NULL, &x, &e) != 0) {
        snprintf(msg, msg_n, "%s (%s): %s", rec->where, uri, e.msg);
        return -1;
    }
    Article a;
    Arena arena = {0};
    int rc = 1;
    if (article_from_page(&arena, &x, rec->target_uri, &a, why) != 0) {
        rc = 0;
    } else {
        IngestOptions o = opt ? *opt : (IngestOptions){0};
        if (rec->date_unix > 0)
            o.fetched = rec->date_unix; /* when the crawler saw the page */
        if (!a.published)
            a.published = rec->date_unix;
        ingest_article_finish(&a, &o, time_now());
        if (fn(ctx, &a, rec->where) != 0)
            rc = -2;
    }
    arena_free(&arena);
    extracted_free(&x);
    return rc;
}

int ingest_warc_file(const char *path, const IngestOptions *opt, IngestArticleFn fn, IngestErrorFn on_error,
                     void *ctx, IngestStats *st, SwErr *err)
{
    WarcReader *w = warc_open(path, 0, err);
    if (!w)
        return -1;
    Buf payload = {0};
    WarcRecord rec;
    SwErr rerr;
    char msg[1400];
    int rc = 0, got;
    while ((got = warc_next(w, &rec, &rerr)) != WARC_END) {
        if (opt && opt->on_progress)
            opt->on_progress(ctx, warc_bytes_read(w), warc_file_size(w));
        if (got < 0) {
            rc = sw_err(err, "%s", rerr.msg);
            break;
        }
        if (got == WARC_SKIPPED) {
            st->skipped++;
            if (on_error)
                on_error(ctx, rerr.msg);
            continue;
        }
        st->records++;
        if (strcmp(rec.type, "response") != 0) {
            st->passed[INGEST_PASS_NOT_RESPONSE]++;
            continue;
        }
        IngestPass why = INGEST_PASS_NOT_HTML;
        int r = warc_response(&rec, opt, fn, ctx, &payload, &why, msg, sizeof msg);
        if (r == 1) {
            st->articles++;
        } else if (r == 0) {
            st->passed[why]++;
        } else if (r == -1) {
            st->skipped++;
            if (on_error)
                on_error(ctx, msg);
        } else {
            st->articles++;
            rc = sw_err(err, "%s: stopped", rec.where);
            break;
        }
        /* a rare huge page must not pin its memory for the whole archive */
        if (payload.cap > (4u << 20))
            buf_free(&payload);
    }
    if (opt && opt->on_progress)
        opt->on_progress(ctx, warc_bytes_read(w), warc_file_size(w));
    buf_free(&payload);
    warc_close(w);
    return rc;
}
