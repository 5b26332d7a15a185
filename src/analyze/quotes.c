/* quotes.c - direct quotations and who said them.
 *
 * Quotation marks are paired over a whole paragraph (a quote often runs
 * across sentences: “We are leaving. Nobody can stay,” she said.), then
 * the speaker is read from the words around the closing mark (“...,” said
 * NAME / “...,” NAME said / “...,” he said / according to NAME) or before
 * the opening one (NAME said: “...”). Pronoun speakers are resolved to the
 * last person named before the quote, and bare surnames to the full name
 * given earlier. A quote whose speaker cannot be found is dropped: a
 * quote without a speaker is of no use on a page. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "../core/err.h"
#include "../core/utf8util.h"
#include "../text/tokenize.h"
#include "../text/unicode.h"
#include "docparts.h"

static const char *const speech_verbs[] = {
    "said", "says", "say", "told", "tells", "warned", "warns", "added", "adds", "stated",
    "states", "explained", "explains", "insisted", "insists", "argued", "argues", "noted",
    "notes", "wrote", "writes", "asked", "asks", "replied", "announced", "declared",
    "continued", "stressed", "emphasised", "emphasized", "urged", "cautioned", "recalled",
    "admitted", "acknowledged", "conceded", "confirmed", "claimed", "remarked", "observed",
    "commented", "tweeted", "posted", "predicted", "promised", "pledged", "vowed",
    "suggested", "complained", "lamented", "joked", "testified", "responded", "countered",
    "concluded", "agreed", "recounted", "shouted", "whispered", "answered", "added",
    "maintained", "contended", "reiterated", "acknowledges", "described", NULL};

/* Words that end an attribution's object (is_adverb). */
static const char *const adverbs[] = {"afterwards", "afterward", "later", "today", "yesterday", "tonight",
                                      "again", "earlier", "then", "recently", "outside", NULL};

/* The lengths of a list's words by first byte (bit n of [c & 31]: a word
 * of n bytes starts with a byte c; bit 31: one of 31 bytes or more), so
 * that most tokens, checked against these lists one by one, are ruled
 * out by one test. Built once, on first use. */
static struct {
    const char *const *list;
    uint32_t len_by_first[32];
} list_filters[] = {{speech_verbs, {0}}, {adverbs, {0}}};
#define N_LIST_FILTERS (sizeof list_filters / sizeof list_filters[0])
static pthread_once_t list_filters_once = PTHREAD_ONCE_INIT;
static atomic_int list_filters_built;

static void list_filters_build(void)
{
    for (size_t k = 0; k < N_LIST_FILTERS; k++)
        for (size_t i = 0; list_filters[k].list[i]; i++) {
            size_t n = strlen(list_filters[k].list[i]);
            list_filters[k].len_by_first[(unsigned char)list_filters[k].list[i][0] & 31] |=
                1u << (n < 31 ? n : 31);
        }
    atomic_store_explicit(&list_filters_built, 1, memory_order_release);
}

static int in_list(const char *fold, size_t n, const char *const *list)
{
    if (!atomic_load_explicit(&list_filters_built, memory_order_acquire))
        pthread_once(&list_filters_once, list_filters_build);
    for (size_t k = 0; k < N_LIST_FILTERS; k++)
        if (list_filters[k].list == list &&
            !(list_filters[k].len_by_first[(unsigned char)fold[0] & 31] >> (n < 31 ? n : 31) & 1))
            return 0;
    /* first byte first: these lists are checked for every token */
    for (size_t i = 0; list[i]; i++)
        if (list[i][0] == fold[0] && strncmp(list[i], fold, n) == 0 && list[i][n] == '\0')
            return 1;
    return 0;
}

static int is_verb(const AnToken *t)
{
    return t->kind == TOK_WORD && in_list(t->fold, t->fold_len, speech_verbs);
}

static int is_word(const AnToken *t, const char *w)
{
    return t->kind == TOK_WORD && t->fold_len == strlen(w) && memcmp(t->fold, w, t->fold_len) == 0;
}

static int is_pronoun(const AnToken *t)
{
    return is_word(t, "he") || is_word(t, "she");
}

static int is_cap(const char *text, const AnToken *t)
{
    if (t->kind != TOK_WORD || !(t->upper || t->all_caps) || t->stop)
        return 0;
    uint32_t cp;
    return utf8_decode(text + t->start, t->len, &cp) && text_is_letter(cp);
}

static int is_punct(const char *text, const AnToken *t, const char *p)
{
    return t->kind == TOK_PUNCT && t->len == strlen(p) && memcmp(text + t->start, p, t->len) == 0;
}

/* ---- quote marks ---- */

enum { Q_STRAIGHT, Q_CURLY, Q_SINGLE, Q_GUILLEMET, Q_LOW, Q_APOS };

static int letter_at(const char *s, size_t n, size_t i)
{
    uint32_t cp;
    return i < n && utf8_decode(s + i, n - i, &cp) && (text_is_letter(cp) || text_is_digit(cp));
}

/* The first i at or after from where a quote mark can start (a byte
 * that open_mark does not reject at once), or n. */
static size_t next_mark_byte(const char *s, size_t n, size_t i)
{
#ifdef __SSE2__
    while (i + 16 <= n) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i hit = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\''))),
            _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE2)), _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xC2))));
        int m = _mm_movemask_epi8(hit);
        if (m)
            return i + (size_t)__builtin_ctz((unsigned)m);
        i += 16;
    }
#endif
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\'' || c == 0xE2 || c == 0xC2)
            return i;
        i++;
    }
    return n;
}

/* Kind of the opening mark at s[i], its byte length in *len, or -1. */
static int open_mark(const char *s, size_t n, size_t i, size_t *len)
{
    unsigned char c0 = (unsigned char)s[i];
    if (c0 != '"' && c0 != '\'' && c0 != 0xE2 && c0 != 0xC2)
        return -1; /* nearly every byte: no mark starts with it */
    int after_space = i == 0 || s[i - 1] == ' ' || s[i - 1] == '(' || s[i - 1] == '[';
    if (s[i] == '"') {
        *len = 1;
        return Q_STRAIGHT;
    }
    /* a straight ' opens only before a letter and after a space: never
     * the apostrophe of "Ukraine's" */
    if (s[i] == '\'' && after_space && letter_at(s, n, i + 1)) {
        *len = 1;
        return Q_APOS;
    }
    if (i + 3 <= n && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80) {
        unsigned char c = (unsigned char)s[i + 2];
        *len = 3;
        if (c == 0x9C)
            return Q_CURLY;
        if (c == 0x9E)
            return Q_LOW;
        if (c == 0x98 && after_space)
            return Q_SINGLE;
    }
    if (i + 2 <= n && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xAB) {
        *len = 2;
        return Q_GUILLEMET;
    }
    return -1;
}

/* 1 when s[i] closes a quote of the given kind; *len gets its length. */
static int close_mark(const char *s, size_t n, size_t i, int kind, size_t *len)
{
    unsigned char c0 = (unsigned char)s[i];
    switch (kind) {
    case Q_STRAIGHT:
        *len = 1;
        return c0 == '"';
    case Q_CURLY:
    case Q_LOW:
        *len = 3;
        return i + 3 <= n && c0 == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
               ((unsigned char)s[i + 2] == 0x9D || (kind == Q_LOW && (unsigned char)s[i + 2] == 0x9C));
    case Q_SINGLE:
        /* ’ is also an apostrophe ("Russia’s"): it closes only when no
         * letter follows */
        *len = 3;
        if (!(i + 3 <= n && c0 == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
              (unsigned char)s[i + 2] == 0x99))
            return 0;
        if (i + 3 < n) {
            uint32_t cp;
            if (utf8_decode(s + i + 3, n - i - 3, &cp) && text_is_letter(cp))
                return 0;
        }
        return 1;
    case Q_APOS:
        *len = 1;
        return c0 == '\'' && i > 0 && s[i - 1] != ' ' && !letter_at(s, n, i + 1);
    case Q_GUILLEMET:
        *len = 2;
        return i + 2 <= n && c0 == 0xC2 && (unsigned char)s[i + 1] == 0xBB;
    }
    return 0;
}

typedef struct Span {
    size_t open, body, end, close_end; /* mark start, text start, text end, after mark */
} Span;

static size_t count_words(const char *s, size_t n)
{
    size_t w = 0;
    int in = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int wordish = c >= 0x80 || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
        if (wordish && !in)
            w++;
        in = wordish || (in && (c == '\'' || c == '-'));
    }
    return w;
}

/* ---- speakers ---- */

typedef struct Speaker {
    int pronoun;
    const char *text; /* surface name (in the paragraph text) */
    size_t len;
    const char *verb;
    size_t verb_len;
} Speaker;

/* End of the capitalised run starting at i (names with inner connectors). */
static size_t run_end(const char *text, const AnToken *t, size_t n, size_t i)
{
    size_t j = i;
    while (j < n) {
        if (is_cap(text, &t[j]) && !an_is_honorific(t[j].fold, t[j].fold_len)) {
            j++;
            continue;
        }
        if (j > i && t[j].kind == TOK_WORD &&
            (is_word(&t[j], "of") || is_word(&t[j], "von") || is_word(&t[j], "van") ||
             is_word(&t[j], "de") || is_word(&t[j], "der") || is_word(&t[j], "al")) &&
            j + 1 < n && (is_cap(text, &t[j + 1]) || is_word(&t[j + 1], "der"))) {
            j++;
            continue;
        }
        break;
    }
    return j;
}

/* "afterwards", "later", "quickly": ends an attribution's object. */
static int is_adverb(const AnToken *t)
{
    if (t->fold_len > 3 && memcmp(t->fold + t->fold_len - 2, "ly", 2) == 0)
        return 1;
    return in_list(t->fold, t->fold_len, adverbs);
}

static void set_verb(Speaker *sp, const char *text, const AnToken *t, size_t n, size_t v)
{
    sp->verb = text + t[v].start;
    sp->verb_len = t[v].len;
    /* "told reporters", "told cheering supporters": the whole object, up
     * to three lower-case words, not a trailing adverb ("afterwards") */
    if (is_word(&t[v], "told") || is_word(&t[v], "tells")) {
        size_t e = v + 1;
        while (e < n && e < v + 4 && t[e].kind == TOK_WORD && !t[e].upper && !t[e].stop &&
               !is_adverb(&t[e]))
            e++;
        if (e > v + 1)
            sp->verb_len = t[e - 1].start + t[e - 1].len - t[v].start;
    }
    /* "according to NAME" has no verb to show after the name */
    if (is_word(&t[v], "according"))
        sp->verb = NULL, sp->verb_len = 0;
}

/* The name in tokens [from, to): the last capitalised run (in "Kremlin
 * spokesperson Dmitry Peskov" the person comes last). */
static int name_in(const char *text, const AnToken *t, size_t from, size_t to, Speaker *sp)
{
    int found = 0;
    size_t i = from;
    while (i < to) {
        if (is_cap(text, &t[i]) && !an_is_honorific(t[i].fold, t[i].fold_len)) {
            size_t e = run_end(text, t, to, i);
            sp->text = text + t[i].start;
            sp->len = t[e - 1].start + t[e - 1].len - t[i].start;
            found = 1;
            i = e;
        } else {
            i++;
        }
    }
    return found;
}

/* Speaker after a closing mark: tokens of the rest of the sentence. */
static int speaker_after(const char *text, const AnToken *t, size_t n, Speaker *sp)
{
    size_t k = 0;
    while (k < n && t[k].kind == TOK_PUNCT) {
        if (is_punct(text, &t[k], "."))
            return 0; /* the sentence ended with the quote */
        k++;
    }
    if (k >= n)
        return 0;
    /* "according to NAME" */
    if (is_word(&t[k], "according") && k + 1 < n && is_word(&t[k + 1], "to")) {
        set_verb(sp, text, t, n, k);
        size_t e = k + 2;
        while (e < n && e < k + 10 && t[e].kind != TOK_PUNCT)
            e++;
        return name_in(text, t, k + 2, e, sp);
    }
    /* ", said NAME" / ", said he" */
    if (is_verb(&t[k])) {
        set_verb(sp, text, t, n, k);
        if (k + 1 < n && is_pronoun(&t[k + 1])) {
            sp->pronoun = 1;
            return 1;
        }
        size_t e = k + 1;
        while (e < n && e < k + 10 && !is_punct(text, &t[e], ",") && !is_punct(text, &t[e], ".") &&
               !is_punct(text, &t[e], ";"))
            e++;
        return name_in(text, t, k + 1, e, sp);
    }
    /* ", he said" */
    if (is_pronoun(&t[k]) && k + 1 < n) {
        size_t v = k + 1;
        if (v + 1 < n && t[v].kind == TOK_WORD && !is_verb(&t[v]) && !t[v].upper)
            v++; /* "he later said", "she also warned" */
        if (v < n && is_verb(&t[v])) {
            set_verb(sp, text, t, n, v);
            sp->pronoun = 1;
            return 1;
        }
        return 0;
    }
    /* ", NAME said" / ", Kremlin spokesperson Dmitry Peskov warned" */
    size_t v = k;
    while (v < n && v < k + 9 && !is_verb(&t[v]) && !is_punct(text, &t[v], ".") &&
           !is_punct(text, &t[v], ","))
        v++;
    if (v < n && is_verb(&t[v]) && v > k) {
        set_verb(sp, text, t, n, v);
        return name_in(text, t, k, v, sp);
    }
    return 0;
}

/* Speaker before an opening mark: "NAME said: “", "NAME told reporters
 * that “", "he added, “". */
static int speaker_before(const char *text, const AnToken *t, size_t n, Speaker *sp)
{
    if (n == 0)
        return 0;
    size_t e = n; /* one past the last token to look at */
    while (e > 0 && (is_punct(text, &t[e - 1], ":") || is_punct(text, &t[e - 1], ",")))
        e--;
    if (e > 0 && is_word(&t[e - 1], "that"))
        e--;
    if (e == 0)
        return 0;
    size_t v = e - 1;
    /* "told reporters" */
    if (v > 0 && !is_verb(&t[v]) && t[v].kind == TOK_WORD && is_verb(&t[v - 1]))
        v--;
    if (!is_verb(&t[v]))
        return 0;
    set_verb(sp, text, t, n, v);
    if (v == 0)
        return 0;
    size_t b = v;
    /* "Peskov later said", "she also warned" */
    if (b >= 2 && t[b - 1].kind == TOK_WORD && !t[b - 1].upper && !is_pronoun(&t[b - 1]))
        b--;
    if (is_pronoun(&t[b - 1])) {
        sp->pronoun = 1;
        return 1;
    }
    /* "NAME, of the ORG, said": the speaker is the person before the
     * appositive, not the organisation at its end */
    if (b >= 2 && is_punct(text, &t[b - 1], ",")) {
        size_t c = b - 1;
        while (c > 0 && c + 16 > b && !is_punct(text, &t[c - 1], ","))
            c--;
        if (c >= 2 && is_punct(text, &t[c - 1], ",") && t[c].kind == TOK_WORD && !t[c].upper &&
            is_cap(text, &t[c - 2]))
            b = c - 1;
        else
            return 0;
    }
    /* the name must end right before the verb: walk back over the run */
    if (!is_cap(text, &t[b - 1]))
        return 0;
    size_t s = b - 1;
    while (s > 0 && (is_cap(text, &t[s - 1]) ||
                     (s >= 2 && (is_word(&t[s - 1], "of") || is_word(&t[s - 1], "von") ||
                                 is_word(&t[s - 1], "der") || is_word(&t[s - 1], "van")) &&
                      is_cap(text, &t[s - 2]))))
        s--;
    while (s < b && an_is_honorific(t[s].fold, t[s].fold_len))
        s++;
    if (s >= b)
        return 0;
    sp->text = text + t[s].start;
    sp->len = t[b - 1].start + t[b - 1].len - t[s].start;
    return 1;
}

/* ---- resolution ---- */

/* 1 when the word s[0..n) is a lower-case title or role ("spokeswoman",
 * "leader"), which may sit inside an opening name. */
static int role_word(const char *s, size_t n)
{
    char w[24];
    if (n == 0 || n >= sizeof w)
        return 0;
    for (size_t i = 0; i < n; i++)
        w[i] = s[i];
    w[n] = '\0';
    return an_is_honorific(w, n) || strcmp(w, "leader") == 0 || strcmp(w, "head") == 0 ||
           strcmp(w, "executive") == 0 || strcmp(w, "manager") == 0;
}

/* 1 when only capitalised words and titles (at most eight words) come
 * before byte `off` of the sentence: a mention there is in the opening
 * name of the sentence, its subject ("Detective Inspector Karen Holt, of
 * ..., said", "Continental Rail Freight spokeswoman Karin Lund said"). */
static int in_opening_name(const char *s, uint32_t off)
{
    size_t words = 0;
    uint32_t i = 0;
    while (i < off && s[i]) {
        if (s[i] == ' ') {
            i++;
            continue;
        }
        uint32_t b = i;
        while (i < off && s[i] && s[i] != ' ')
            i++;
        words++;
        unsigned char c = (unsigned char)s[b];
        if (!(c >= 'A' && c <= 'Z') && !role_word(s + b, i - b))
            return 0;
    }
    return words <= 8;
}

/* The person a "he"/"she" before byte `offset` of sentence `sent` stands
 * for: in the nearest sentence (within a few) naming a person, its subject
 * when a person's name opens it ("Inspector Karen Holt, of the Art Unit,
 * said ..."), else the last person named; -1 when none. */
static int recent_person(const AnDoc *ad, uint32_t sent, uint32_t offset, int last_speaker)
{
    int last = -1;
    uint32_t in_sent = 0;
    for (size_t m = ad->n_mentions; m-- > 0;) {
        const AnMention *mn = &ad->mentions[m];
        if (mn->sentence > sent || (mn->sentence == sent && mn->offset >= offset))
            continue;
        if (mn->sentence + 4 < sent || (last >= 0 && mn->sentence != in_sent))
            break;
        const AnEntity *en = &ad->entities[mn->entity];
        if (!(en->person || en->speaker))
            continue;
        if (last < 0) {
            last = (int)mn->entity;
            in_sent = mn->sentence;
        }
        /* read backwards, the first person inside the opening name is its
         * last part: "Anjali Bose" of "Chief Medical Officer Dr. Anjali Bose" */
        if (in_opening_name(ad->sents[mn->sentence].text, mn->offset))
            return (int)mn->entity;
    }
    return last >= 0 ? last : last_speaker;
}

/* Strips honorifics ("Mr", "President") from the front of a name. */
static void strip_titles(AnDoc *ad, const char **s, size_t *n)
{
    for (;;) {
        size_t w = 0;
        while (w < *n && (*s)[w] != ' ')
            w++;
        if (w >= *n)
            return;
        uint32_t fl;
        const char *f = an_fold(ad, *s, w, &fl);
        if (fl > 0 && f[fl - 1] == '.')
            fl--;
        if (!an_is_honorific(f, fl))
            return;
        *s += w + 1;
        *n -= w + 1;
    }
}

static const char *possessive_free(AnDoc *ad, const char *s, size_t n, size_t *out_n)
{
    if (n > 2 && memcmp(s + n - 2, "'s", 2) == 0)
        n -= 2;
    else if (n > 4 && memcmp(s + n - 4, "\xE2\x80\x99s", 4) == 0)
        n -= 4;
    *out_n = n;
    (void)ad;
    return s;
}

void quotes_find(AnDoc *ad, Doc *out)
{
    size_t cap = 0;
    int last_speaker = -1;
    Buf para = {0};
    size_t *starts = NULL; /* byte start of each sentence of the paragraph in para */
    size_t cap_starts = 0;

    size_t i = 0;
    while (i < ad->n_sents) {
        /* one paragraph: sentences [i, j) joined by single spaces */
        size_t j = i;
        while (j < ad->n_sents && ad->sents[j].paragraph == ad->sents[i].paragraph)
            j++;
        if (j - i + 1 > cap_starts) {
            cap_starts = (j - i + 1) * 2;
            starts = xrealloc(starts, cap_starts * sizeof *starts);
        }
        buf_reset(&para);
        for (size_t k = i; k < j; k++) {
            if (k > i)
                buf_putc(&para, ' ');
            starts[k - i] = para.len;
            buf_append(&para, ad->sents[k].text, ad->sents[k].len);
        }
        starts[j - i] = para.len + 1;
        const char *text = buf_cstr(&para);
        size_t n = para.len;

        /* pair the marks */
        Span spans[64];
        size_t n_spans = 0;
        size_t p = 0;
        while (p < n && n_spans < 64) {
            p = next_mark_byte(text, n, p);
            if (p >= n)
                break;
            size_t ol;
            int kind = open_mark(text, n, p, &ol);
            if (kind < 0) {
                p++;
                continue;
            }
            size_t q = p + ol, cl = 0;
            while (q < n && !close_mark(text, n, q, kind, &cl))
                q++;
            if (q >= n)
                break; /* runs into the next paragraph: no attribution here */
            spans[n_spans++] = (Span){p, p + ol, q, q + cl};
            p = q + cl;
        }

        for (size_t sidx = 0; sidx < n_spans; sidx++) {
            Span *sp = &spans[sidx];
            size_t words = count_words(text + sp->body, sp->end - sp->body);
            /* which sentences the quote covers */
            size_t s_open = i, s_close = i;
            for (size_t k = i; k < j; k++) {
                if (starts[k - i] <= sp->open)
                    s_open = k;
                if (starts[k - i] < sp->end)
                    s_close = k;
            }
            if (words >= 2)
                for (size_t k = s_open; k <= s_close; k++)
                    out->sentences[k].flags |= SENT_QUOTE;
            /* a sentence inside a quote that opened earlier cannot stand
             * alone ('Anyone can see that," he said.') */
            for (size_t k = s_open + 1; k <= s_close; k++)
                out->sentences[k].flags |= SENT_DANGLING;
            if (words < 3)
                continue;

            /* speaker after the closing mark, up to the sentence end or the
             * next quote */
            Speaker who = {0};
            size_t s_end_close = s_close + 1 < j ? starts[s_close + 1 - i] - 1 : n;
            if (sp->close_end >= s_end_close) {
                /* the quote closes its sentence: the attribution may be the
                 * next sentence's only part ("... today.” He said.") - rare;
                 * look before the quote instead */
                s_end_close = sp->close_end;
            }
            size_t tail_end = s_end_close;
            if (sidx + 1 < n_spans && spans[sidx + 1].open < tail_end)
                tail_end = spans[sidx + 1].open;
            size_t nt = 0;
            AnToken *toks = NULL;
            int found = 0;
            if (tail_end > sp->close_end) {
                toks = an_tokenize(ad, text + sp->close_end, tail_end - sp->close_end, &nt);
                found = speaker_after(text + sp->close_end, toks, nt, &who);
            }
            if (!found) {
                size_t head_start = starts[s_open - i];
                if (sidx > 0 && spans[sidx - 1].close_end > head_start)
                    head_start = spans[sidx - 1].close_end;
                memset(&who, 0, sizeof who);
                if (sp->open > head_start) {
                    toks = an_tokenize(ad, text + head_start, sp->open - head_start, &nt);
                    found = speaker_before(text + head_start, toks, nt, &who);
                }
            }
            if (!found)
                continue;

            const char *speaker = NULL;
            int entity = -1;
            uint32_t sent_off = (uint32_t)(sp->open - starts[s_open - i]);
            if (who.pronoun) {
                entity = recent_person(ad, (uint32_t)s_open, sent_off, last_speaker);
                if (entity < 0)
                    continue;
                speaker = ad->entities[entity].name;
            } else {
                const char *nm = who.text;
                size_t nl = who.len;
                strip_titles(ad, &nm, &nl);
                nm = possessive_free(ad, nm, nl, &nl);
                if (nl == 0)
                    continue;
                uint32_t fl;
                const char *f = an_fold(ad, nm, nl, &fl);
                entity = entities_match(ad, f, fl);
                speaker = entity >= 0 ? ad->entities[entity].name : arena_strndup(ad->out, nm, nl);
            }
            if (entity >= 0) {
                ad->entities[entity].speaker = 1;
                ad->entities[entity].person = 1;
                last_speaker = entity;
            }

            /* the quoted words without marks and without the comma that
             * hands over to the attribution */
            size_t b = sp->body, e = sp->end;
            while (b < e && text[b] == ' ')
                b++;
            while (e > b && (text[e - 1] == ' ' || text[e - 1] == ',' ||
                             (text[e - 1] == '.' && !(e >= b + 3 && text[e - 2] == '.'))))
                e--; /* the page adds its own punctuation; keep "?", "!" and "..." */
            if (out->n_quotes == cap) {
                size_t nc = cap ? cap * 2 : 8;
                out->quotes = arena_grow(ad->out, out->quotes, out->n_quotes, nc, sizeof *out->quotes);
                cap = nc;
            }
            DocQuote *dq = &out->quotes[out->n_quotes++];
            dq->text = arena_strndup(ad->out, text + b, e - b);
            dq->speaker = speaker;
            dq->verb = who.verb ? arena_strndup(ad->out, who.verb, who.verb_len) : NULL;
            dq->sentence = (uint32_t)s_open;
        }
        i = j;
    }
    free(starts);
    buf_free(&para);
}
