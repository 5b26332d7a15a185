/* routes_search.c - /search (HTML) and /api/search (JSON).
 *
 * Both read the same arguments: q (at most SEARCH_QUERY_MAX bytes; longer
 * is answered 414), from / to (YYYY-MM-DD or RFC 3339, on the articles'
 * published time; a date alone as `to` means the end of that day), source
 * (an outlet's name or id) and lang. Results are one sequence: the
 * matching stories, best first, then the matching articles, best first
 * (BM25 scores of the two indexes are not comparable, and a reader wants
 * the story before its pieces). The page walks that sequence 10 at a time
 * (page=N); the API by limit= and an opaque cursor, which records where
 * the next page starts in each part and a hash of the query it belongs to,
 * so that a cursor cannot be replayed against another query.
 *
 * A query with no words in it is not an error: the page says to type
 * something, the API answers an empty result with a notice. */
#include "web_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/arena.h"
#include "../core/map.h"
#include "../core/timeutil.h"
#include "../render/search.h"
#include "../store/search.h"

#define SEARCH_PAGE_SIZE 10
#define SEARCH_LIMIT_DEFAULT 10
#define SEARCH_LIMIT_MAX 50
#define SEARCH_PAGE_MAX 1000
#define CURSOR_MAX 64

/* What the request asked for, checked. */
typedef struct SearchArgs {
    const char *q, *from_s, *to_s, *source_s, *lang;
    Buf match;        /* FTS5 expression from search_parse */
    int terms;
    SearchQuery query;
    int source_unknown; /* source= names no outlet */
} SearchArgs;

static const char *arg(struct MHD_Connection *c, const char *key)
{
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, key);
    return v && *v ? v : NULL;
}

/* YYYY-MM-DD, or an RFC 3339 time starting so: *t in Unix seconds. A date
 * alone is its first second, or with end_of_day its last. */
static int parse_day_or_time(const char *s, int end_of_day, int64_t *t)
{
    size_t n = strlen(s);
    if (n < 10 || n > 40)
        return -1;
    for (size_t i = 0; i < 10; i++)
        if ((i == 4 || i == 7) ? s[i] != '-' : !isdigit((unsigned char)s[i]))
            return -1;
    if (n > 10 && s[10] != 'T' && s[10] != 't')
        return -1;
    if (time_parse(s, t) < 0)
        return -1;
    if (n == 10 && end_of_day)
        *t += 86399;
    return 0;
}

static int lang_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 35 || !isalpha((unsigned char)s[0]))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-')
            return 0;
    return 1;
}

/* Reads and checks the arguments both routes share. Returns 0, or -1
 * after answering the error itself. */
static int read_args(Server *sv, struct MHD_Connection *c, int api, SearchArgs *a, Reply *r)
{
    const char *q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "q");
    a->q = q ? q : "";
    if (strlen(a->q) > SEARCH_QUERY_MAX) {
        reply_error(r, api, 414, "The search text is too long: at most 256 bytes, please.");
        return -1;
    }
    a->from_s = arg(c, "from");
    a->to_s = arg(c, "to");
    a->source_s = arg(c, "source");
    a->lang = arg(c, "lang");
    if (a->from_s && parse_day_or_time(a->from_s, 0, &a->query.from) < 0) {
        reply_error(r, api, 400, "from must be a date (YYYY-MM-DD) or an RFC 3339 time.");
        return -1;
    }
    if (a->to_s && parse_day_or_time(a->to_s, 1, &a->query.to) < 0) {
        reply_error(r, api, 400, "to must be a date (YYYY-MM-DD) or an RFC 3339 time.");
        return -1;
    }
    if (a->lang && !lang_valid(a->lang)) {
        reply_error(r, api, 400, "lang must be a language code such as en or pt-BR.");
        return -1;
    }
    if (a->source_s && strlen(a->source_s) > 200) {
        reply_error(r, api, 400, "source must be an outlet's name or id.");
        return -1;
    }
    a->query.lang = a->lang;
    a->terms = search_parse(a->q, strlen(a->q), &a->match);
    a->query.match = buf_cstr(&a->match);
    if (a->terms && a->source_s) {
        SwErr err;
        Store *s = server_store(sv, &err);
        int rc = s ? store_search_source(s, a->source_s, &a->query.source_id, &err) : -1;
        if (rc < 0) {
            reply_store_error(r, api, &err);
            return -1;
        }
        a->source_unknown = rc == STORE_NOT_FOUND;
    }
    return 0;
}

static void view_from_args(const SearchArgs *a, SearchView *v)
{
    v->q = a->q;
    v->from = a->from_s;
    v->to = a->to_s;
    v->source = a->source_s;
    v->lang = a->lang;
    v->no_terms = a->terms == 0;
    if (a->source_unknown)
        v->notice = "No outlet by that name or id, so nothing can match.";
}

/* ---- the cursor ---- */

/* The hash that ties a cursor to its query: the FTS5 expression and the
 * filters as the store sees them. */
static uint64_t query_hash(const SearchArgs *a)
{
    Buf key = {0};
    buf_printf(&key, "%s|%lld|%lld|%lld|%s", a->match.data ? a->match.data : "", (long long)a->query.from,
               (long long)a->query.to, (long long)a->query.source_id, a->lang ? a->lang : "");
    uint64_t h = hash64(key.data, key.len);
    buf_free(&key);
    return h;
}

static const char B64URL[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static void b64url_encode(Buf *b, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
        buf_putc(b, B64URL[v >> 18 & 63]);
        buf_putc(b, B64URL[v >> 12 & 63]);
        if (i + 1 < n)
            buf_putc(b, B64URL[v >> 6 & 63]);
        if (i + 2 < n)
            buf_putc(b, B64URL[v & 63]);
    }
}

/* Decodes unpadded base64url into out (cap bytes); -1 on a bad byte. */
static long b64url_decode(const char *s, unsigned char *out, size_t cap)
{
    size_t n = 0;
    unsigned v = 0;
    int bits = 0;
    for (; *s; s++) {
        const char *p = strchr(B64URL, *s);
        if (!p)
            return -1;
        v = v << 6 | (unsigned)(p - B64URL);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (n == cap)
                return -1;
            out[n++] = (unsigned char)(v >> bits);
        }
    }
    return (long)n;
}

/* Where a page starts: in the stories (stories = 1, at offset) or in the
 * articles at offset. */
typedef struct Position {
    int stories;
    long long offset;
} Position;

static void cursor_encode(Buf *b, const SearchArgs *a, Position pos)
{
    char plain[CURSOR_MAX];
    int n = snprintf(plain, sizeof plain, "1:%c:%lld:%016llx", pos.stories ? 's' : 'a', pos.offset,
                     (unsigned long long)query_hash(a));
    b64url_encode(b, (const unsigned char *)plain, (size_t)n);
}

/* 0 with *pos, -1 when the cursor is not one of ours, -2 when it belongs
 * to another query. */
static int cursor_decode(const char *s, const SearchArgs *a, Position *pos)
{
    unsigned char plain[CURSOR_MAX];
    if (strlen(s) > CURSOR_MAX)
        return -1;
    long n = b64url_decode(s, plain, sizeof plain - 1);
    if (n < 0)
        return -1;
    plain[n] = '\0';
    char kind;
    long long offset;
    unsigned long long hash;
    int used = 0;
    if (sscanf((const char *)plain, "1:%c:%lld:%16llx%n", &kind, &offset, &hash, &used) != 3 || used != n ||
        (kind != 's' && kind != 'a') || offset < 0 || offset > 1000000000LL)
        return -1;
    if (hash != query_hash(a))
        return -2;
    pos->stories = kind == 's';
    pos->offset = offset;
    return 0;
}

/* ---- one page of the sequence ---- */

typedef struct Found {
    Arena arena;
    SearchHit *stories, *articles;
    size_t n_stories, n_articles;
    int more;          /* something follows this page */
    Position next;     /* where it starts */
} Found;

static void found_free(Found *f)
{
    free(f->stories);
    free(f->articles);
    arena_free(&f->arena);
}

/* Fills f with at most limit results starting at pos; asks one more than
 * needed of each part to learn whether anything follows. */
static int search_page(Store *s, const SearchQuery *q, Position pos, size_t limit, Found *f, SwErr *err)
{
    size_t room = limit;
    long long article_offset = pos.stories ? 0 : pos.offset;
    if (pos.stories) {
        if (store_search_stories(s, q, limit + 1, (size_t)pos.offset, &f->arena, &f->stories, &f->n_stories,
                                 err) < 0)
            return -1;
        if (f->n_stories > limit) {
            f->n_stories = limit;
            f->more = 1;
            f->next = (Position){1, pos.offset + (long long)limit};
            return 0;
        }
        room -= f->n_stories;
    }
    /* with no room left, one article says whether a next page exists */
    if (store_search_articles(s, q, room + 1, (size_t)article_offset, &f->arena, &f->articles, &f->n_articles,
                              err) < 0)
        return -1;
    if (f->n_articles > room) {
        f->n_articles = room;
        f->more = 1;
        f->next = (Position){0, article_offset + (long long)room};
    }
    return 0;
}

/* ---- the routes ---- */

static void reply_ok(Reply *r, int html)
{
    r->status = 200;
    r->content_type = html ? "text/html; charset=utf-8" : "application/json; charset=utf-8";
    r->cache = "public, max-age=60";
    r->html = html;
}

static void route_search_html(Server *sv, struct MHD_Connection *c, Reply *r)
{
    long page;
    if (query_number(c, "page", 1, SEARCH_PAGE_MAX, 1, &page) < 0) {
        reply_html_error(r, 400, "The page number must be a whole number from 1 to 1000.");
        return;
    }
    SearchArgs a = {0};
    SearchView v = {0};
    Found f = {0};
    if (read_args(sv, c, 0, &a, r) < 0)
        goto done;
    view_from_args(&a, &v);
    v.page = (int)page;
    if (a.terms && !a.source_unknown) {
        SwErr err;
        Store *s = server_store(sv, &err);
        long long offset = (page - 1) * SEARCH_PAGE_SIZE;
        Position pos = {1, offset};
        int64_t n_stories = 0;
        /* past page 1 the page may start among the articles: the number of
         * stories found says where */
        if (!s || (page > 1 && store_search_count_stories(s, &a.query, &n_stories, &err) < 0)) {
            reply_store_error(r, 0, &err);
            goto done;
        }
        if (page > 1 && offset >= n_stories)
            pos = (Position){0, offset - n_stories};
        if (search_page(s, &a.query, pos, SEARCH_PAGE_SIZE, &f, &err) < 0) {
            reply_store_error(r, 0, &err);
            goto done;
        }
        if (page > 1 && !f.n_stories && !f.n_articles) {
            reply_html_error(r, 404, "There are no more results for this search.");
            goto done;
        }
        v.stories = f.stories;
        v.n_stories = f.n_stories;
        v.articles = f.articles;
        v.n_articles = f.n_articles;
        v.has_next = f.more;
    }
    render_search_html(&v, &r->body);
    reply_ok(r, 1);
done:
    found_free(&f);
    buf_free(&a.match);
}

static void route_search_api(Server *sv, struct MHD_Connection *c, Reply *r)
{
    long limit;
    if (query_number(c, "limit", 1, SEARCH_LIMIT_MAX, SEARCH_LIMIT_DEFAULT, &limit) < 0) {
        reply_json_error(r, 400, "limit must be a whole number from 1 to 50");
        return;
    }
    SearchArgs a = {0};
    SearchView v = {0};
    Found f = {0};
    Buf next = {0};
    if (read_args(sv, c, 1, &a, r) < 0)
        goto done;
    view_from_args(&a, &v);
    if (!a.terms)
        v.notice = "Type something to search.";
    Position pos = {1, 0};
    const char *cursor = arg(c, "cursor");
    if (cursor && a.terms) {
        int rc = cursor_decode(cursor, &a, &pos);
        if (rc < 0) {
            reply_json_error(r, 400,
                             rc == -2 ? "cursor belongs to another query; start again without it"
                                      : "cursor is not valid; use next_cursor from a previous answer");
            goto done;
        }
    }
    if (a.terms && !a.source_unknown) {
        SwErr err;
        Store *s = server_store(sv, &err);
        if (!s || search_page(s, &a.query, pos, (size_t)limit, &f, &err) < 0) {
            reply_store_error(r, 1, &err);
            goto done;
        }
        v.stories = f.stories;
        v.n_stories = f.n_stories;
        v.articles = f.articles;
        v.n_articles = f.n_articles;
        if (f.more)
            cursor_encode(&next, &a, f.next);
    }
    render_search_json(&v, a.query.from, a.query.to, a.query.source_id, f.more ? buf_cstr(&next) : NULL,
                       &r->body);
    reply_ok(r, 0);
done:
    buf_free(&next);
    found_free(&f);
    buf_free(&a.match);
}

int routes_search(Server *sv, struct MHD_Connection *c, const char *url, Reply *r)
{
    if (strcmp(url, "/search") == 0)
        route_search_html(sv, c, r);
    else if (strcmp(url, "/api/search") == 0)
        route_search_api(sv, c, r);
    else
        return 0;
    return 1;
}
