/* store_search.c - full-text search: the query parser and the FTS5 queries.
 *
 * The parser is the only way reader text reaches MATCH. It works on code
 * points and classes them the way FTS5's unicode61 tokenizer does (letters,
 * digits and private-use characters make words, marks stay inside them,
 * everything else separates), then writes each term as a double-quoted
 * FTS5 string. A quoted string is always a phrase to FTS5, never syntax, and
 * the words we put inside hold no '"', so no reader input can form an
 * operator, a column filter or an unbalanced expression.
 *
 * The indexes are external-content tables over stories and articles
 * (migration 3 in store_sqlite.c): snippet() and highlight() read the text
 * back from the rows. Stories are ranked by the BM25 configured there
 * ('rank'), articles by sw_article_bm25, the same BM25 computed faster
 * ("ranking" below). How the queries are shaped for speed is explained
 * under "queries". */
#include "search.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "../core/utf8util.h"
#include "store_internal.h"

/* ---- the query parser ---- */

/* What one code point is to the parser. */
enum { CH_SEP, CH_WORD, CH_MARK, CH_QUOTE, CH_STAR, CH_COLON, CH_JOIN };

static int char_class(uint32_t cp)
{
    if (cp < 0x80) {
        if ((cp | 32) >= 'a' && (cp | 32) <= 'z')
            return CH_WORD;
        if (cp >= '0' && cp <= '9')
            return CH_WORD;
        switch (cp) {
        case '"': return CH_QUOTE;
        case '*': return CH_STAR;
        case ':': return CH_COLON;
        /* inside a word without spaces: "don't", "covid-19", "U.S.", "9/11" */
        case '\'': case '-': case '.': case '/': case '&': return CH_JOIN;
        default: return CH_SEP;
        }
    }
    /* “ ” „ from phone keyboards and word processors open and close phrases */
    if (cp == 0x201C || cp == 0x201D || cp == 0x201E)
        return CH_QUOTE;
    if (cp == 0x2019) /* ’ as an apostrophe */
        return CH_JOIN;
    switch (utf8proc_category((utf8proc_int32_t)cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
    case UTF8PROC_CATEGORY_CO:
        return CH_WORD;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
        return CH_MARK;
    default:
        return CH_SEP;
    }
}

/* A cursor over the query text, one code point at a time. */
typedef struct Scan {
    const char *s;
    size_t len, pos;
} Scan;

/* The class of the code point at pos (CH_SEP past the end or for invalid
 * UTF-8) and its length in *n. */
static int scan_peek(const Scan *sc, size_t *n)
{
    if (sc->pos >= sc->len) {
        *n = 0;
        return CH_SEP;
    }
    uint32_t cp;
    size_t k = utf8_decode(sc->s + sc->pos, sc->len - sc->pos, &cp);
    if (k == 0) {
        *n = 1;
        return CH_SEP;
    }
    *n = k;
    return char_class(cp);
}

/* Reads one word starting at a CH_WORD character: letters, digits and marks,
 * plus joiners between two of them. Appends the word to out with single
 * spaces where joiners were (FTS5 sees them as separate tokens of one
 * phrase) and returns how many words it held. */
static int scan_word(Scan *sc, Buf *out)
{
    int words = 1;
    for (;;) {
        size_t n;
        int c = scan_peek(sc, &n);
        if (c == CH_WORD || c == CH_MARK) {
            buf_append(out, sc->s + sc->pos, n);
            sc->pos += n;
            continue;
        }
        if (c == CH_JOIN) {
            Scan ahead = *sc;
            ahead.pos += n;
            size_t m;
            if (scan_peek(&ahead, &m) == CH_WORD) {
                buf_putc(out, ' ');
                sc->pos = ahead.pos;
                words++;
                continue;
            }
        }
        return words;
    }
}

static int is_operator(const char *w, size_t n)
{
    static const char *const ops[] = {"AND", "OR", "NOT", "NEAR"};
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        if (strlen(ops[i]) == n && memcmp(ops[i], w, n) == 0)
            return 1;
    return 0;
}

/* Appends term (n bytes, words separated by single spaces, no '"') as an
 * FTS5 string, with '*' for a prefix; terms after the first get a space
 * before them (FTS5's implicit AND). */
static void emit_term(Buf *out, int first, const char *term, size_t n, int prefix)
{
    if (!first)
        buf_putc(out, ' ');
    buf_putc(out, '"');
    buf_append(out, term, n);
    buf_putc(out, '"');
    if (prefix)
        buf_putc(out, '*');
}

int search_parse(const char *q, size_t len, Buf *out)
{
    Scan sc = {q ? q : "", q ? len : 0, 0};
    Buf term = {0};
    int terms = 0;
    while (sc.pos < sc.len && terms < SEARCH_TERMS_MAX) {
        size_t n;
        int c = scan_peek(&sc, &n);
        buf_reset(&term);
        if (c == CH_QUOTE) {
            /* a phrase: the words up to the next quote (or the end) */
            sc.pos += n;
            for (;;) {
                c = scan_peek(&sc, &n);
                if (sc.pos >= sc.len || c == CH_QUOTE)
                    break;
                if (c == CH_WORD) {
                    if (term.len)
                        buf_putc(&term, ' ');
                    scan_word(&sc, &term);
                } else {
                    sc.pos += n;
                }
            }
            if (c == CH_QUOTE)
                sc.pos += n;
        } else if (c == CH_WORD) {
            int words = scan_word(&sc, &term);
            int next = scan_peek(&sc, &n);
            if (next == CH_COLON || (words == 1 && is_operator(term.data, term.len))) {
                buf_reset(&term); /* a column filter's name, or an operator */
            }
        } else {
            sc.pos += n;
            continue;
        }
        if (!term.len)
            continue;
        int prefix = 0;
        if (scan_peek(&sc, &n) == CH_STAR) {
            prefix = 1;
            sc.pos += n;
        }
        emit_term(out, terms == 0, term.data, term.len, prefix);
        terms++;
    }
    buf_free(&term);
    return terms;
}

/* ---- ranking ----
 *
 * Articles are ranked by article_bm25, a copy of FTS5's bm25() (the same
 * formula, the same arithmetic in the same order, so the same scores to
 * the last bit) that takes each row's length in tokens from memory instead
 * of asking FTS5 (xColumnSize), which runs one query of articles_fts_docsize
 * per match: most of what BM25 cost, about 4 us a match. The lengths come
 * from that same table, loaded once per connection (about 400 KB for
 * 100,000 articles) and kept exact:
 *
 * - at the first row of every search, inside the search's own read
 *   transaction, the connection's data version (SQLITE_FCNTL_DATA_VERSION)
 *   says whether the database changed since the lengths were brought up
 *   to date; when it did, the rows added since (ids above the highest
 *   loaded) are read;
 * - deleting an article or rewriting its title or text moves the counter
 *   in search_epoch (triggers of the migration that added it), which
 *   drops every length and loads them again;
 * - a row whose length is not in memory (an id past the array, a search
 *   inside an explicit transaction, which may hold uncommitted changes, an
 *   unreadable length) is asked of FTS5 as before.
 *
 * The rank is chosen per query ("rank MATCH"), so the index's configured
 * rank (bm25(3.0, 1.0), migration 3) stays what other programs see. */

#define ARTICLE_COLUMNS 2 /* articles_fts(title, text) */

/* Article lengths by id: len[id] is the row's length in tokens (all
 * columns) + 1, 0 when not known. */
typedef struct SearchRank {
    uint32_t *len;
    size_t cap;       /* entries in len */
    int64_t max_id;   /* the highest id read */
    int64_t loaded;   /* rows read */
    int64_t epoch;    /* search_epoch.n when they were read */
    unsigned version; /* the data version they are up to date with */
    int ready;        /* version and epoch hold */
    /* Set by window_start for the ranked statement that follows it: the
     * number of articles the query, a single term without filters,
     * matches in the whole index, counted at data version hint_version;
     * its IDF then needs no second count. */
    int hint_set;
    int64_t hint_hits;
    unsigned hint_version;
    /* Set by run_ranked around a statement ranked before its matches are
     * counted (see rank_first). FTS5 sorts by rank in a statement of its
     * own over every match, then calls the rank function again for each
     * row the outer statement reads: first_instances counts the calls'
     * contexts (queries), and the first one, the sort's, counts the
     * matches (first_hits, once per id) and stops the statement with an
     * error past first_limit (first_broad). A single term's IDF, which
     * needs its number of matches, is left out of the scores (first_defer:
     * the function returns minus the rest of the sum) and applied by
     * run_ranked once the sort has counted them all, with the row count
     * (first_rows) FTS5 gave. */
    int first_armed, first_instances, first_defer, first_broad;
    int64_t first_limit, first_hits, first_last_id, first_rows;
} SearchRank;

/* Ids past 8 times the rows read plus this are not kept: a table with
 * sparse ids would cost too much memory. */
#define LENS_SPARSE_SLACK (1 << 20)

static const char SQL_LENS_EPOCH[] = "SELECT n FROM search_epoch WHERE id = 1";
static const char SQL_LENS_LOAD[] = "SELECT id, sz FROM articles_fts_docsize WHERE id > ?1 ORDER BY id";

/* A %_docsize record: one varint per column (SQLite's varint format).
 * The sum, or -1 when the record is not ARTICLE_COLUMNS varints or the
 * sum is out of range (FTS5 then reports the problem itself). */
static int64_t docsize_total(const unsigned char *p, size_t n)
{
    int64_t total = 0;
    size_t off = 0;
    for (int c = 0; c < ARTICLE_COLUMNS; c++) {
        uint64_t v = 0;
        size_t i = 0;
        for (;; i++) {
            if (off + i >= n)
                return -1;
            unsigned char b = p[off + i];
            if (i == 8) {
                v = (v << 8) | b;
                break;
            }
            v = (v << 7) | (b & 0x7f);
            if (!(b & 0x80))
                break;
        }
        off += i + 1;
        if (v > INT32_MAX)
            return -1;
        total += (int64_t)v;
    }
    return off == n && total < INT32_MAX ? total : -1;
}

static SearchRank *rank_state(Store *s)
{
    if (!s->rank)
        s->rank = xcalloc(1, sizeof *s->rank);
    return s->rank;
}

/* Brings s->rank up to date with the current read transaction; 1 when
 * the lengths can be used, 0 when this search must ask FTS5. */
static int lens_update(Store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        return 0; /* the caller's transaction may hold uncommitted changes */
    unsigned version = 0;
    if (sqlite3_file_control(s->db, "main", SQLITE_FCNTL_DATA_VERSION, &version) != SQLITE_OK)
        return 0;
    SearchRank *l = rank_state(s);
    if (l->ready && l->version == version)
        return 1;
    SwErr err;
    int64_t epoch = 0;
    sqlite3_stmt *st = sq_stmt(s, SQL_LENS_EPOCH, &err);
    if (!st || sq_query_int(s, st, &epoch, &err, "cannot read search_epoch") != 0)
        return 0;
    if (!l->ready || epoch != l->epoch) {
        if (l->len)
            memset(l->len, 0, l->cap * sizeof *l->len);
        l->max_id = 0;
        l->loaded = 0;
        l->epoch = epoch;
    }
    l->ready = 0;
    st = sq_stmt(s, SQL_LENS_LOAD, &err);
    if (!st)
        return 0;
    sqlite3_bind_int64(st, 1, l->max_id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        if (id <= 0)
            continue; /* articles have positive ids; FTS5 answers for any other */
        if ((uint64_t)id >= l->cap) {
            if (id > 8 * (l->loaded + 1) + LENS_SPARSE_SLACK)
                break;
            size_t cap = l->cap ? l->cap + l->cap / 2 : 1024;
            if (cap <= (size_t)id)
                cap = (size_t)id + 1;
            l->len = xrealloc(l->len, cap * sizeof *l->len);
            memset(l->len + l->cap, 0, (cap - l->cap) * sizeof *l->len);
            l->cap = cap;
        }
        const unsigned char *sz = sqlite3_column_blob(st, 1);
        int64_t total = docsize_total(sz, (size_t)sqlite3_column_bytes(st, 1));
        l->len[id] = total < 0 ? 0 : (uint32_t)total + 1;
        l->max_id = id;
        l->loaded++;
    }
    sq_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return 0; /* ready stays 0: the next search reads them all again */
    l->version = version;
    l->ready = 1;
    return 1;
}

/* What article_bm25 works out once per search (FTS5 keeps it with the
 * query as auxiliary data). */
typedef struct RankQuery {
    int phrases;
    int use_lens;
    int first; /* ranked first: count the matches (SearchRank.first_*) */
    int defer; /* ... and leave the IDF out */
    double avgdl;
    double weight[ARTICLE_COLUMNS];
    double *idf, *freq; /* one per phrase */
} RankQuery;

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *n)
{
    (void)api;
    (void)fts;
    (*(sqlite3_int64 *)n)++;
    return SQLITE_OK;
}

/* The average row length and each phrase's IDF, as bm25() has them. */
static int rank_query_new(const Fts5ExtensionApi *api, Fts5Context *fts, Store *s, int nval, sqlite3_value **val,
                          RankQuery **out)
{
    int phrases = api->xPhraseCount(fts);
    RankQuery *q = sqlite3_malloc64(sizeof *q + 2 * (size_t)phrases * sizeof(double));
    if (!q)
        return SQLITE_NOMEM;
    memset(q, 0, sizeof *q);
    q->phrases = phrases;
    q->idf = (double *)(q + 1);
    q->freq = q->idf + phrases;
    for (int c = 0; c < ARTICLE_COLUMNS; c++)
        q->weight[c] = nval > c ? sqlite3_value_double(val[c]) : 1.0;
    sqlite3_int64 rows = 0, tokens = 0;
    int rc = api->xRowCount(fts, &rows);
    if (rc == SQLITE_OK)
        rc = api->xColumnTotalSize(fts, -1, &tokens);
    if (rc == SQLITE_OK)
        q->avgdl = (double)tokens / (double)rows;
    /* a single term's count from window_start, when it was made at the
     * data version this statement reads (else the database changed in
     * between and FTS5 counts again) */
    int hinted = 0;
    unsigned version;
    if (phrases == 1 && s->rank_mode == 0 && s->rank && s->rank->hint_set &&
        sqlite3_file_control(s->db, "main", SQLITE_FCNTL_DATA_VERSION, &version) == SQLITE_OK &&
        version == s->rank->hint_version)
        hinted = 1;
    SearchRank *r = s->rank;
    if (r && r->first_armed) {
        q->defer = phrases == 1;
        if (r->first_instances++ == 0) { /* FTS5's sort: every match */
            q->first = 1;
            r->first_defer = q->defer;
            r->first_rows = rows;
            r->first_hits = 0;
            r->first_last_id = INT64_MIN;
        }
    }
    for (int i = 0; rc == SQLITE_OK && !q->defer && i < phrases; i++) {
        sqlite3_int64 hits = 0;
        if (hinted)
            hits = s->rank->hint_hits;
        else
            rc = api->xQueryPhrase(fts, i, &hits, count_row);
        if (rc == SQLITE_OK) {
            double idf = log((rows - hits + 0.5) / (hits + 0.5));
            q->idf[i] = idf <= 0.0 ? 1e-6 : idf;
        }
    }
    if (rc == SQLITE_OK && api->xColumnCount(fts) != ARTICLE_COLUMNS)
        rc = SQLITE_MISUSE; /* registered for articles_fts only */
    if (rc == SQLITE_OK) {
        q->use_lens = (s->rank_mode == 0 || s->rank_mode == 3) && lens_update(s);
        rc = api->xSetAuxdata(fts, q, sqlite3_free); /* frees q on failure */
        *out = rc == SQLITE_OK ? q : NULL;
        return rc;
    }
    sqlite3_free(q);
    return rc;
}

/* sw_article_bm25(articles_fts, title weight, text weight): bm25() with
 * the row lengths from s->rank. */
static void article_bm25(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nval,
                         sqlite3_value **val)
{
    const double k1 = 1.2, b = 0.75; /* bm25()'s constants */
    Store *s = api->xUserData(fts);
    RankQuery *q = api->xGetAuxdata(fts, 0);
    int rc = q ? SQLITE_OK : rank_query_new(api, fts, s, nval, val, &q);
    if (rc == SQLITE_OK && q->first) {
        SearchRank *r = s->rank;
        sqlite3_int64 id = api->xRowid(fts);
        if (id != r->first_last_id) {
            r->first_last_id = id;
            if (++r->first_hits > r->first_limit) {
                r->first_broad = 1;
                sqlite3_result_error(ctx, "too many matches to rank them all", -1);
                return;
            }
        }
    }
    for (int i = 0; rc == SQLITE_OK && i < q->phrases; i++) {
        /* the phrase's weighted frequency in this row */
        Fts5PhraseIter it;
        int col, off;
        double f = 0.0;
        rc = api->xPhraseFirst(fts, i, &it, &col, &off);
        for (; rc == SQLITE_OK && col >= 0; api->xPhraseNext(fts, &it, &col, &off))
            f += col < ARTICLE_COLUMNS ? q->weight[col] : 1.0;
        q->freq[i] = f;
    }
    double D = 0.0;
    if (rc == SQLITE_OK) {
        sqlite3_int64 id = api->xRowid(fts);
        uint32_t len = 0;
        if (q->use_lens && id > 0 && (uint64_t)id < s->rank->cap)
            len = s->rank->len[id];
        if (len) {
            D = (double)(int)(len - 1);
        } else {
            int tokens;
            rc = api->xColumnSize(fts, -1, &tokens);
            D = (double)tokens;
        }
    }
    double score = 0.0;
    if (rc == SQLITE_OK && q->defer) /* the IDF comes later (run_ranked) */
        score = (q->freq[0] * (k1 + 1.0)) / (q->freq[0] + k1 * (1 - b + b * D / q->avgdl));
    for (int i = 0; rc == SQLITE_OK && !q->defer && i < q->phrases; i++)
        score += q->idf[i] * ((q->freq[i] * (k1 + 1.0)) / (q->freq[i] + k1 * (1 - b + b * D / q->avgdl)));
    if (rc == SQLITE_OK)
        sqlite3_result_double(ctx, -1.0 * score);
    else
        sqlite3_result_error_code(ctx, rc);
}

/* ---- the index's tokenizer ---- */

/* "sw": SQLite's unicode61 tokenizer (given the same arguments), except
 * that in scripts written without spaces between words (Han, kana) each
 * character is a token of its own. unicode61 takes a whole run of Han
 * characters, often a whole sentence, for one word, so a search for a
 * Chinese word inside it found nothing. With a token a character, the
 * query parser's quoted term "北京" is a phrase of two characters that
 * matches wherever they stand side by side (and "北京*" whatever follows
 * them), which is how CJK search without a dictionary works. Queries pass
 * through the same tokenizer, so both sides split alike. */

typedef struct SwTokenizerType {
    fts5_tokenizer inner; /* unicode61 */
    void *inner_data;
} SwTokenizerType;

typedef struct SwTokenizer {
    const SwTokenizerType *type;
    Fts5Tokenizer *inner;
} SwTokenizer;

typedef struct SplitCtx {
    void *ctx;
    int (*token)(void *, int, const char *, int, int, int);
    const char *text;
} SplitCtx;

static int is_mark(uint32_t cp)
{
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_ME;
}

/* The next piece of s at *pos: one unspaced character (with the marks on
 * it) or a run of other code points; returns its length (0 at the end)
 * and moves *pos. */
static int next_piece(const char *s, int n, int *pos)
{
    int start = *pos;
    while (*pos < n) {
        uint32_t cp;
        size_t l = utf8_decode(s + *pos, (size_t)(n - *pos), &cp);
        if (l == 0)
            l = 1, cp = 0;
        if (utf8_is_unspaced(cp)) {
            if (*pos == start) {
                *pos += (int)l;
                /* with the marks that follow it, which unicode61 drops
                 * (remove_diacritics) or keeps in the character's token */
                while (*pos < n) {
                    size_t ml = utf8_decode(s + *pos, (size_t)(n - *pos), &cp);
                    if (!ml || !is_mark(cp))
                        break;
                    *pos += (int)ml;
                }
            }
            break;
        }
        *pos += (int)l;
    }
    return *pos - start;
}

static int has_unspaced(const char *s, int n)
{
    for (int i = 0; i < n; i++) {
        uint32_t cp;
        /* from U+3040 on, a code point takes three or four bytes led by
         * 0xE3 or more (continuation bytes are below 0xC0) */
        if ((unsigned char)s[i] >= 0xE3 && utf8_decode(s + i, (size_t)(n - i), &cp) &&
            utf8_is_unspaced(cp))
            return 1;
    }
    return 0;
}

/* unicode61's token: passed on whole, or cut into pieces, each unspaced
 * character alone. Folding (case, diacritics) leaves Han and kana as they
 * are, so the token's pieces and the source's pieces correspond one to
 * one, and each piece gets its own offsets in the source (for snippets
 * and highlights); should they not correspond, the first piece gets the
 * whole token's offsets and the others none (at its end). */
static int split_token(void *p, int flags, const char *tok, int n, int start, int end)
{
    SplitCtx *sc = p;
    if (!has_unspaced(tok, n))
        return sc->token(sc->ctx, flags, tok, n, start, end);
    int pieces = 0, src_pieces = 0;
    for (int pos = 0; next_piece(tok, n, &pos);)
        pieces++;
    for (int pos = start; next_piece(sc->text, end, &pos);)
        src_pieces++;
    int aligned = pieces == src_pieces;
    int tpos = 0, spos = start, rc = SQLITE_OK;
    for (int first = 1; rc == SQLITE_OK; first = 0) {
        int t0 = tpos, s0 = spos;
        int tl = next_piece(tok, n, &tpos);
        if (tl == 0)
            break;
        int sl = aligned ? next_piece(sc->text, end, &spos) : 0;
        /* unaligned: the first piece spans the token, the others are
         * empty at its end (offsets must never go back: highlight() and
         * snippet() copy the text between them) */
        rc = sc->token(sc->ctx, first ? flags : 0, tok + t0, tl, aligned ? s0 : first ? start : end,
                       aligned ? s0 + sl : end);
    }
    return rc;
}

static int sw_tokenizer_create(void *data, const char **args, int n_args, Fts5Tokenizer **out)
{
    const SwTokenizerType *type = data;
    SwTokenizer *t = sqlite3_malloc(sizeof *t);
    if (!t)
        return SQLITE_NOMEM;
    t->type = type;
    int rc = type->inner.xCreate(type->inner_data, args, n_args, &t->inner);
    if (rc != SQLITE_OK) {
        sqlite3_free(t);
        return rc;
    }
    *out = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

static void sw_tokenizer_delete(Fts5Tokenizer *p)
{
    SwTokenizer *t = (SwTokenizer *)p;
    t->type->inner.xDelete(t->inner);
    sqlite3_free(t);
}

static int sw_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int len,
                       int (*token)(void *, int, const char *, int, int, int))
{
    SwTokenizer *t = (SwTokenizer *)p;
    SplitCtx sc = {ctx, token, text};
    return t->type->inner.xTokenize(t->inner, &sc, flags, text, len, split_token);
}

static int register_tokenizer(Store *s, fts5_api *api, SwErr *err)
{
    SwTokenizerType *type = sqlite3_malloc(sizeof *type);
    if (!type)
        return sw_err(err, "%s: out of memory", s->path);
    if (api->xFindTokenizer(api, "unicode61", &type->inner_data, &type->inner) != SQLITE_OK) {
        sqlite3_free(type);
        return sw_err(err, "%s: this SQLite's FTS5 has no unicode61 tokenizer", s->path);
    }
    fts5_tokenizer sw = {sw_tokenizer_create, sw_tokenizer_delete, sw_tokenize};
    if (api->xCreateTokenizer(api, "sw", type, &sw, sqlite3_free) != SQLITE_OK) {
        sqlite3_free(type);
        return sq_err(s, err, "cannot register the search tokenizer");
    }
    return 0;
}

int search_attach(Store *s, SwErr *err)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return sq_err(s, err, "cannot find SQLite's FTS5");
    sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    if (!api || api->iVersion < 2)
        return sw_err(err, "%s: this SQLite has no FTS5", s->path);
    if (api->xCreateFunction(api, "sw_article_bm25", s, article_bm25, NULL) != SQLITE_OK)
        return sq_err(s, err, "cannot register the search ranking");
    return register_tokenizer(s, api, err);
}

void search_detach(Store *s)
{
    if (s->rank)
        free(s->rank->len);
    free(s->rank);
    s->rank = NULL;
}

/* ---- queries ---- */

/* Why the searches are shaped so: FTS5 sorts by rank itself, computing
 * BM25 for every match but nothing else, only when the FTS table is alone
 * in FROM and "rank" alone in ORDER BY. Joined to other tables (or with a
 * tie-breaker), SQLite sorts instead, and would compute snippet() and
 * highlight() for every matching row before the sort: 10 to 100 times
 * slower on a large index. So the filters are correlated EXISTS tests on
 * the FTS row (evaluated in rank order, only until the page is full), and
 * each result's details come from a point lookup made while the search
 * statement is still open, in the same read transaction. Equal ranks keep
 * FTS5's order, which is stable for the same index.
 *
 * BM25 still costs about a microsecond for every match (FTS5 reading its
 * positions, the ranking function, FTS5's sort; four with FTS5's own
 * bm25(), which looks each row's length up in %_docsize): a prefix such as
 * "bra*" matches half of a large collection and would take tens of
 * milliseconds. So a query with at most
 * SEARCH_RANK_WINDOW matches is ranked whole, and a broader one only over
 * its newest SEARCH_BROAD_WINDOW matches (by id, that is by arrival; with
 * filters, the newest that pass them): it shows the best of recent
 * reporting. Walking ids (window_start) costs about a tenth of BM25 per
 * match. */

#define HIT_ALLOC 16

/* Binds the filters shared by both searches: ?2 from, ?3 to, ?4 source,
 * ?5 lang (NULL for an open filter), ?6 = 1 when any is given. */
static void bind_filters(sqlite3_stmt *st, const SearchQuery *q)
{
    sq_bind_text(st, 1, q->match);
    if (q->from)
        sqlite3_bind_int64(st, 2, q->from);
    if (q->to)
        sqlite3_bind_int64(st, 3, q->to);
    if (q->source_id)
        sqlite3_bind_int64(st, 4, q->source_id);
    const char *lang = q->lang && *q->lang ? q->lang : NULL;
    sq_bind_text(st, 5, lang);
    sqlite3_bind_int(st, 6, q->from || q->to || q->source_id || lang);
}

/* An article passes the filters; "a" is the article's alias. Used both
 * for article results and inside a story's EXISTS. */
#define ARTICLE_FILTERS(a)                                                                   \
    " (?2 IS NULL OR " a ".published >= ?2) AND (?3 IS NULL OR " a ".published <= ?3)"    \
    " AND (?4 IS NULL OR " a ".source_id = ?4)"                                              \
    " AND (?5 IS NULL OR " a ".lang = ?5 COLLATE NOCASE OR " a ".lang LIKE ?5 || '-%')"

/* A story is listed once its page exists, and passes the filters when one
 * of its articles does. */
#define STORY_WHERE                                                                          \
    " WHERE stories_fts MATCH ?1"                                                            \
    " AND EXISTS (SELECT 1 FROM stories st WHERE st.id = stories_fts.rowid"                 \
    "   AND st.page_version > 0 AND st.slug IS NOT NULL)"                                    \
    " AND (?6 = 0 OR EXISTS (SELECT 1 FROM articles x WHERE x.story_id = stories_fts.rowid AND" \
    ARTICLE_FILTERS("x") "))"

static const char SQL_STORIES[] =
    "SELECT rowid, highlight(stories_fts, 0, char(1), char(2)),"
    " snippet(stories_fts, 1, char(1), char(2), '\xE2\x80\xA6', 24), rank"
    " FROM stories_fts" STORY_WHERE " AND rowid >= ?9"
    " ORDER BY rank LIMIT ?7 OFFSET ?8";

/* The number of matches, counting no further than ?7. */
static const char SQL_STORIES_UPTO[] =
    "SELECT count(*) FROM (SELECT 1 FROM stories_fts" STORY_WHERE " LIMIT ?7)";

/* The newest ?7 matches, newest first: window_start walks them. */
static const char SQL_STORIES_WINDOW[] =
    "SELECT rowid FROM stories_fts" STORY_WHERE " ORDER BY rowid DESC LIMIT ?7";

static const char SQL_STORIES_COUNT[] = "SELECT count(*) FROM stories_fts" STORY_WHERE;

static const char SQL_STORY_INFO[] =
    "SELECT slug, last_published, article_count, source_count FROM stories WHERE id = ?1";

/* Exact duplicates (status 2) are left out: their original is listed.
 * RANK is how the rows are ranked: sw_article_bm25 (see "ranking"), or
 * FTS5's configured bm25(3.0, 1.0) when empty. The weights are those of
 * migration 3. */
#define SQL_ARTICLES_RANKED(RANK)                                                            \
    "SELECT rowid, highlight(articles_fts, 0, char(1), char(2)),"                            \
    " snippet(articles_fts, 1, char(1), char(2), '\xE2\x80\xA6', 24), rank"                   \
    " FROM articles_fts WHERE articles_fts MATCH ?1" RANK                                    \
    " AND EXISTS (SELECT 1 FROM articles a WHERE a.id = articles_fts.rowid AND a.status <> 2" \
    "   AND (?6 = 0 OR" ARTICLE_FILTERS("a") "))"                                            \
    " AND rowid >= ?9 ORDER BY rank LIMIT ?7 OFFSET ?8"

static const char SQL_ARTICLES[] = SQL_ARTICLES_RANKED(" AND rank MATCH 'sw_article_bm25(3.0, 1.0)'");
static const char SQL_ARTICLES_BM25[] = SQL_ARTICLES_RANKED("");

/* As SQL_STORIES_UPTO and SQL_STORIES_WINDOW. Without filters the
 * existence test is left out: walking ids alone is about ten times
 * cheaper, and duplicates are few. */
#define ARTICLES_WINDOW_WHERE                                                                \
    " WHERE articles_fts MATCH ?1"                                                           \
    " AND (?6 = 0 OR EXISTS (SELECT 1 FROM articles a WHERE a.id = articles_fts.rowid AND"  \
    ARTICLE_FILTERS("a") "))"

static const char SQL_ARTICLES_UPTO[] =
    "SELECT count(*) FROM (SELECT 1 FROM articles_fts" ARTICLES_WINDOW_WHERE " LIMIT ?7)";

static const char SQL_ARTICLES_WINDOW[] =
    "SELECT rowid FROM articles_fts" ARTICLES_WINDOW_WHERE " ORDER BY rowid DESC LIMIT ?7";

static const char SQL_ARTICLE_INFO[] =
    "SELECT a.published, a.url, src.name, a.lang, st.slug FROM articles a"
    " JOIN sources src ON src.id = a.source_id"
    " LEFT JOIN stories st ON st.id = a.story_id AND st.page_version > 0"
    " WHERE a.id = ?1";

static const char SQL_SOURCE_BY_ID[] = "SELECT id FROM sources WHERE id = ?1";
static const char SQL_SOURCE_BY_NAME[] =
    "SELECT id FROM sources WHERE name = ?1 COLLATE NOCASE ORDER BY name = ?1 DESC, id LIMIT 1";

static SearchHit *hit_push(SearchHit **hits, size_t *n, size_t *cap)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : HIT_ALLOC;
        *hits = xrealloc(*hits, *cap * sizeof **hits);
    }
    SearchHit *h = &(*hits)[(*n)++];
    memset(h, 0, sizeof *h);
    return h;
}

/* Fills a hit's details from its info statement row. */
typedef void (*HitInfo)(sqlite3_stmt *info, Arena *a, SearchHit *h);

static void story_info(sqlite3_stmt *info, Arena *a, SearchHit *h)
{
    h->slug = sq_col_str(info, 0, a);
    h->published = sqlite3_column_int64(info, 1);
    h->article_count = sqlite3_column_int(info, 2);
    h->source_count = sqlite3_column_int(info, 3);
}

static void article_info(sqlite3_stmt *info, Arena *a, SearchHit *h)
{
    h->published = sqlite3_column_int64(info, 0);
    h->url = sq_col_str(info, 1, a);
    h->outlet = sq_col_str(info, 2, a);
    h->lang = sq_col_str(info, 3, a);
    h->slug = sq_col_str(info, 4, a);
}

/* SQLite takes LIMIT and OFFSET as signed 64-bit numbers. */
static sqlite3_int64 clamp_count(size_t v)
{
    return v > (size_t)INT64_MAX ? INT64_MAX : (sqlite3_int64)v;
}

static size_t rank_window(const SearchQuery *q)
{
    return q->rank_window ? q->rank_window : SEARCH_RANK_WINDOW;
}

/* The most matches a broad query (more than rank_window) has ranked. */
static size_t broad_window(const SearchQuery *q)
{
    size_t broad = q->broad_window ? q->broad_window : SEARCH_BROAD_WINDOW;
    size_t window = rank_window(q);
    return broad < window ? broad : window;
}

/* The lowest id inside the rank window: INT64_MIN when at most rank_window match
 * (all are ranked), else the id of the broad_window-th newest match.
 * Two walks, because FTS5 walks ids upwards much more cheaply than
 * downwards (about half the time for a phrase): counting upwards, up to
 * rank_window + 1, settles a narrow query; only a broad one then walks
 * down its newest broad_window matches. */
static int filtered(const SearchQuery *q)
{
    return q->from || q->to || q->source_id || (q->lang && *q->lang);
}

/* The terms of an expression written by search_parse: double-quoted
 * strings holding no '"'. */
static int match_terms(const char *match)
{
    int quotes = 0;
    for (const char *p = match; *p; p++)
        quotes += *p == '"';
    return quotes / 2;
}

static int window_start(Store *s, const SearchQuery *q, const char *upto_sql, const char *window_sql, int64_t *start,
                        SwErr *err)
{
    *start = INT64_MIN;
    size_t window = rank_window(q), broad = broad_window(q);
    sqlite3_stmt *st = sq_stmt(s, upto_sql, err);
    if (!st)
        return -1;
    bind_filters(st, q);
    /* a single article term without filters is counted whole: the count
     * is then also the figure its IDF needs, which the ranking would
     * otherwise count again (see "ranking") */
    int hint = upto_sql == SQL_ARTICLES_UPTO && s->rank_mode == 0 && !filtered(q) && match_terms(q->match) == 1;
    sqlite3_bind_int64(st, 7, hint ? -1 : clamp_count(window < SIZE_MAX ? window + 1 : window));
    int64_t count = 0;
    int rc = sq_query_int(s, st, &count, err, "cannot search");
    if (rc < 0)
        return -1;
    unsigned version;
    if (hint && sqlite3_file_control(s->db, "main", SQLITE_FCNTL_DATA_VERSION, &version) == SQLITE_OK) {
        SearchRank *l = rank_state(s);
        l->hint_set = 1;
        l->hint_hits = count;
        l->hint_version = version;
    }
    if (count <= (int64_t)window)
        return 0;
    st = sq_stmt(s, window_sql, err);
    if (!st)
        return -1;
    bind_filters(st, q);
    sqlite3_bind_int64(st, 7, clamp_count(broad));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        *start = sqlite3_column_int64(st, 0); /* the last is the oldest */
    if (rc != SQLITE_DONE) {
        sq_err(s, err, "cannot search");
        sq_done(st);
        return -1;
    }
    sq_done(st);
    return 0;
}

/* Ranking before counting: for a query with a phrase of two or more words
 * and no prefix, counting the matches first (window_start) costs about as
 * much as ranking them (FTS5 checks every candidate's word positions), and
 * such queries are seldom broad. So they are ranked whole at once, and
 * only when they turn out to match more than the rank window does
 * article_bm25 stop the statement (after ranking rank_window of them)
 * and the search start again the usual way. Words and prefixes, often
 * broad and cheap to count, are counted first. */
static int rank_first(const char *match)
{
    int quoted = 0, phrase = 0;
    for (const char *p = match; *p; p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (*p == '*' && !quoted)
            return 0;
        else if (*p == ' ' && quoted)
            phrase = 1;
    }
    return phrase;
}

enum { RANKED_BROAD = 1 }; /* run_ranked: ranked first, and to be counted first after all */

/* Runs the ranked statement sql (columns: id, marked title, marked
 * snippet, rank) over the matches from id start on and looks each hit's
 * details up with info_sql. first: the matches were not counted (see
 * rank_first); RANKED_BROAD when there are more than the rank window
 * (or the count cannot be trusted). */
static int run_ranked(Store *s, const SearchQuery *q, const char *sql, const char *info_sql, int kind, HitInfo fill,
                      size_t limit, size_t offset, int64_t start, int first, Arena *a, SearchHit **hits, size_t *n,
                      SwErr *err)
{
    *hits = NULL;
    *n = 0;
    sqlite3_stmt *st = sq_stmt(s, sql, err);
    sqlite3_stmt *info = st ? sq_stmt(s, info_sql, err) : NULL;
    if (!info)
        return -1;
    bind_filters(st, q);
    sqlite3_bind_int64(st, 7, clamp_count(limit));
    sqlite3_bind_int64(st, 8, clamp_count(offset));
    sqlite3_bind_int64(st, 9, start);
    SearchRank *r = rank_state(s);
    r->first_armed = first;
    r->first_instances = r->first_defer = r->first_broad = 0;
    r->first_limit = clamp_count(rank_window(q));
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        SearchHit *h = hit_push(hits, n, &cap);
        h->kind = kind;
        h->id = sqlite3_column_int64(st, 0);
        h->title = sq_col_str(st, 1, a);
        h->snippet = sq_col_str(st, 2, a);
        h->score = sqlite3_column_double(st, 3);
        sqlite3_bind_int64(info, 1, h->id);
        int irc = sqlite3_step(info);
        if (irc == SQLITE_ROW)
            fill(info, a, h);
        sqlite3_reset(info);
        if (irc != SQLITE_ROW && irc != SQLITE_DONE) {
            rc = irc;
            break;
        }
    }
    r->first_armed = 0;
    if (rc != SQLITE_DONE) {
        int broad = first && r->first_broad;
        if (!broad)
            sq_err(s, err, kind == SEARCH_STORY ? "cannot search stories" : "cannot search articles");
        sq_done(info);
        sq_done(st);
        free(*hits);
        *hits = NULL;
        *n = 0;
        return broad ? RANKED_BROAD : -1;
    }
    sq_done(info);
    sq_done(st);
    if (r->first_defer && *n && r->first_instances < 2) {
        /* no second context: SQLite, not FTS5, sorted the rows, so the
         * count is of the rows that passed the filters; count them anew */
        free(*hits);
        *hits = NULL;
        *n = 0;
        return RANKED_BROAD;
    }
    if (r->first_defer) {
        /* the single term's IDF, now that its matches are counted, in
         * bm25()'s arithmetic: the score is -(0 + idf * rest) */
        double rows = (double)r->first_rows, hits_n = (double)r->first_hits;
        double idf = log((rows - hits_n + 0.5) / (hits_n + 0.5));
        if (idf <= 0.0)
            idf = 1e-6;
        for (size_t i = 0; i < *n; i++)
            (*hits)[i].score = -1.0 * (0.0 + idf * -(*hits)[i].score);
    }
    return 0;
}

/* A search: the rank window, then the ranked statement (sql) over it. */
static int run_search(Store *s, const SearchQuery *q, const char *sql, const char *upto_sql, const char *window_sql,
                      const char *info_sql, int kind, HitInfo fill, size_t limit, size_t offset, Arena *a,
                      SearchHit **hits, size_t *n, SwErr *err)
{
    *hits = NULL;
    *n = 0;
    if (!q->match || !*q->match) /* nothing to look for finds nothing */
        return 0;
    rank_state(s)->hint_set = 0;
    if (kind == SEARCH_ARTICLE && s->rank_mode == 0 && rank_first(q->match)) {
        int rc = run_ranked(s, q, sql, info_sql, kind, fill, limit, offset, INT64_MIN, 1, a, hits, n, err);
        if (rc != RANKED_BROAD)
            return rc;
    }
    int64_t start;
    int rc = window_start(s, q, upto_sql, window_sql, &start, err);
    if (rc == 0)
        rc = run_ranked(s, q, sql, info_sql, kind, fill, limit, offset, start, 0, a, hits, n, err);
    s->rank->hint_set = 0; /* it was for this statement only */
    return rc;
}

int store_search_stories(Store *s, const SearchQuery *q, size_t limit, size_t offset, Arena *a,
                         SearchHit **hits, size_t *n, SwErr *err)
{
    return run_search(s, q, SQL_STORIES, SQL_STORIES_UPTO, SQL_STORIES_WINDOW, SQL_STORY_INFO, SEARCH_STORY, story_info, limit, offset, a, hits, n,
                      err);
}

int store_search_articles(Store *s, const SearchQuery *q, size_t limit, size_t offset, Arena *a,
                          SearchHit **hits, size_t *n, SwErr *err)
{
    return run_search(s, q, s->rank_mode == 1 ? SQL_ARTICLES_BM25 : SQL_ARTICLES, SQL_ARTICLES_UPTO, SQL_ARTICLES_WINDOW, SQL_ARTICLE_INFO, SEARCH_ARTICLE, article_info, limit, offset, a,
                      hits, n, err);
}

int store_search_count_stories(Store *s, const SearchQuery *q, int64_t *n, SwErr *err)
{
    *n = 0;
    if (!q->match || !*q->match)
        return 0;
    sqlite3_stmt *st = sq_stmt(s, SQL_STORIES_COUNT, err);
    if (!st)
        return -1;
    bind_filters(st, q);
    int rc = sq_query_int(s, st, n, err, "cannot count stories found");
    if (rc == 0 && *n > (int64_t)rank_window(q))
        *n = (int64_t)broad_window(q); /* a broad query: only its window is listed */
    return rc == STORE_NOT_FOUND ? 0 : rc;
}

int store_search_source(Store *s, const char *name_or_id, int64_t *id, SwErr *err)
{
    *id = 0;
    if (!name_or_id || !*name_or_id)
        return STORE_NOT_FOUND;
    size_t len = strlen(name_or_id);
    sqlite3_stmt *st;
    if (len <= 18 && strspn(name_or_id, "0123456789") == len) {
        st = sq_stmt(s, SQL_SOURCE_BY_ID, err);
        if (!st)
            return -1;
        sqlite3_bind_int64(st, 1, strtoll(name_or_id, NULL, 10));
    } else {
        st = sq_stmt(s, SQL_SOURCE_BY_NAME, err);
        if (!st)
            return -1;
        sq_bind_text(st, 1, name_or_id);
    }
    return sq_query_int(s, st, id, err, "cannot look up the outlet");
}

int store_search_index(Store *s, int rebuild, SwErr *err)
{
    static const char *const tables[] = {"articles_fts", "stories_fts"};
    if (rebuild && sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return sq_err(s, err, "cannot begin rebuilding the search index");
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
        char sql[160];
        snprintf(sql, sizeof sql, "INSERT INTO %s(%s) VALUES ('%s')", tables[i], tables[i],
                 rebuild ? "rebuild" : "integrity-check");
        if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
            sq_err(s, err, rebuild ? "cannot rebuild the search index" : "search index check failed");
            sw_err_prefix(err, "%s", tables[i]);
            if (rebuild)
                sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
    }
    /* the ranking's cached article lengths are read again */
    if (rebuild && (sqlite3_exec(s->db, "UPDATE search_epoch SET n = n + 1 WHERE id = 1", NULL, NULL, NULL) !=
                        SQLITE_OK ||
                    sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)) {
        sq_err(s, err, "cannot commit the rebuilt search index");
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}
