/* sentence.c - sentence boundaries in news text.
 *
 * One pass over the code points. A sentence can only end at a run of
 * terminators (". ! ? …", plus closing quotes and brackets right after
 * them) that is followed by white space, at a blank line, or at a single
 * newline after a heading-like line. Whether a terminator run ends the
 * sentence is decided from the word before it and the word after it:
 *
 *   - a lower-case next word never starts a sentence ('"Why?" she asked');
 *   - "?" and "!" runs, ellipses and anything closed by a quote or bracket
 *     end it otherwise;
 *   - after a single '.', the word before is looked up in an abbreviation
 *     table whose class says what follows: a title ("Mr.") never ends the
 *     sentence, a number label ("No.") does not before a digit, and words
 *     that are ambiguous ("Inc.", "Jan.", "U.S.", initials "F.", German
 *     ordinals "3.") end it only when the next word is a function word of
 *     the language ("The", "Die", "Le"...), i.e. a likely sentence starter.
 *
 * Spans are byte ranges without surrounding white space. */
#include "sentence.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "../core/buf.h"
#include "../core/err.h"
#include "../core/utf8util.h"
#include "ascii_run.h"
#include "stopwords.h"
#include "unicode.h"

typedef enum {
    ABBR_TITLE = 1, /* precedes a name or is mid-sentence by nature: never ends one */
    ABBR_NUMBER,    /* "No. 4": no end before a digit; elsewhere an ordinary word */
    ABBR_STARTER,   /* ends a sentence only before a likely sentence starter */
} AbbrClass;

typedef struct Abbr {
    const char *lang; /* "en": every language; "EN": English only (a word elsewhere: "Gen", "Mar") */
    const char *word; /* without the final period */
    uint8_t cls;
} Abbr;

#define T ABBR_TITLE
#define N ABBR_NUMBER
#define S ABBR_STARTER
static const Abbr abbreviations[] = {
    /* English, applied to every language: news everywhere quotes them. */
    {"en", "Mr", T}, {"en", "Mrs", T}, {"en", "Ms", T}, {"en", "Messrs", T}, {"en", "Dr", T},
    {"en", "Prof", T}, {"EN", "Gen", T}, {"EN", "Col", T}, {"en", "Lt", T}, {"en", "Sgt", T},
    {"en", "Capt", T}, {"en", "Cmdr", T}, {"en", "Adm", T}, {"EN", "Maj", T}, {"en", "Gov", T},
    {"EN", "Sen", T}, {"EN", "Rep", T}, {"EN", "Rev", T}, {"EN", "Hon", T}, {"EN", "Pres", T},
    {"EN", "Supt", T}, {"EN", "Det", T}, {"EN", "Insp", T}, {"en", "Brig", T}, {"en", "Cpl", T},
    {"en", "Pvt", T}, {"en", "vs", T}, {"en", "v", T}, {"en", "e.g", T}, {"en", "i.e", T},
    {"en", "cf", T}, {"en", "approx", T}, {"en", "ca", T}, {"en", "viz", T}, {"en", "al", T},
    {"en", "Jr", S}, {"en", "Sr", S}, {"en", "Inc", S}, {"en", "Ltd", S}, {"en", "Corp", S},
    {"EN", "Co", S}, {"en", "Bros", S}, {"en", "Plc", S}, {"en", "St", S}, {"en", "Ave", S},
    {"en", "Blvd", S}, {"en", "Rd", S}, {"en", "Mt", S}, {"en", "Ft", S}, {"en", "dept", S},
    {"EN", "est", S}, {"en", "Jan", S}, {"en", "Feb", S}, {"EN", "Mar", S}, {"en", "Apr", S},
    {"en", "Jun", S}, {"en", "Jul", S}, {"en", "Aug", S}, {"en", "Sep", S}, {"en", "Sept", S},
    {"en", "Oct", S}, {"en", "Nov", S}, {"en", "Dec", S}, {"en", "No", N}, {"en", "Nos", N},
    {"en", "Vol", N}, {"en", "Fig", N}, {"en", "p", N}, {"en", "pp", N}, {"EN", "Art", N},
    {"en", "ch", N}, {"en", "sec", N}, {"en", "para", N}, {"en", "etc", N}, {"en", "ed", N},
    {"en", "tel", N}, {"en", "Tel", N}, {"en", "Univ", S}, {"en", "Dept", S},
    /* German */
    {"de", "z.B", T}, {"de", "bzw", T}, {"de", "d.h", T}, {"de", "u.a", T}, {"de", "o.a", T},
    {"de", "u.U", T}, {"de", "v.a", T}, {"de", "s.o", T}, {"de", "m.E", T}, {"de", "vgl", T},
    {"de", "sog", T}, {"de", "ggf", T}, {"de", "evtl", T}, {"de", "inkl", T}, {"de", "exkl", T},
    {"de", "Hr", T}, {"de", "Hrn", T}, {"de", "Fr", T}, {"de", "usw", N}, {"de", "Nr", N},
    {"de", "Abs", N}, {"de", "Jh", N}, {"de", "S", N}, {"de", "Mio", S}, {"de", "Mrd", S},
    {"de", "Tsd", S}, {"de", "Str", S}, {"de", "Okt", S}, {"de", "Dez", S}, {"de", "Mär", S},
    /* French */
    {"fr", "MM", T}, {"fr", "Mme", T}, {"fr", "Mmes", T}, {"fr", "Mlle", T}, {"fr", "Mlles", T},
    {"fr", "Me", T}, {"fr", "Mgr", T}, {"fr", "Ste", S}, {"fr", "av", S}, {"fr", "bd", S},
    {"fr", "env", T}, {"fr", "janv", S}, {"fr", "févr", S}, {"fr", "avr", S}, {"fr", "juil", S},
    {"fr", "sept", S}, {"fr", "oct", S}, {"fr", "nov", S}, {"fr", "déc", S},
    /* Spanish */
    {"es", "Sr", T}, {"es", "Sra", T}, {"es", "Srta", T}, {"es", "Sres", T}, {"es", "Dña", T},
    {"es", "Dra", T}, {"es", "Lic", T}, {"es", "Ing", T}, {"es", "Arq", T}, {"es", "Gral", T},
    {"es", "Cnel", T}, {"es", "Excmo", T}, {"es", "Ilmo", T}, {"es", "Ud", T}, {"es", "Uds", T},
    {"es", "Vd", T}, {"es", "Vds", T}, {"es", "Sto", T}, {"es", "Sta", T}, {"es", "aprox", T},
    {"es", "Avda", S}, {"es", "Av", S}, {"es", "pág", N}, {"es", "núm", N}, {"es", "art", N},
    {"es", "Núm", N},
    /* Italian */
    {"it", "Sig", T}, {"it", "Sigg", T}, {"it", "Sig.ra", T}, {"it", "Sig.na", T},
    {"it", "Dott", T}, {"it", "Dott.ssa", T}, {"it", "Avv", T}, {"it", "Ing", T},
    {"it", "Geom", T}, {"it", "On", T}, {"it", "Magg", T}, {"it", "cfr", T}, {"it", "ecc", N},
    {"it", "pag", N}, {"it", "pagg", N}, {"it", "n", N}, {"it", "art", N},
    /* Portuguese */
    {"pt", "Sr", T}, {"pt", "Sra", T}, {"pt", "Srta", T}, {"pt", "Dra", T}, {"pt", "Profa", T},
    {"pt", "Exmo", T}, {"pt", "Eng", T}, {"pt", "V.Exa", T}, {"pt", "Av", S}, {"pt", "pág", N},
    {"pt", "art", N},
    /* Dutch */
    {"nl", "dhr", T}, {"nl", "Dhr", T}, {"nl", "mevr", T}, {"nl", "Mevr", T}, {"nl", "mw", T},
    {"nl", "mr", T}, {"nl", "dr", T}, {"nl", "ir", T}, {"nl", "Ir", T}, {"nl", "drs", T},
    {"nl", "Drs", T}, {"nl", "prof", T}, {"nl", "bijv", T}, {"nl", "o.a", T}, {"nl", "m.a.w", T},
    {"nl", "d.w.z", T}, {"nl", "i.p.v", T}, {"nl", "t.o.v", T}, {"nl", "enz", N},
    {"nl", "nr", N}, {"nl", "blz", N}, {"nl", "jl", S},
    /* Russian */
    {"ru", "т.е", T}, {"ru", "т.к", T}, {"ru", "т.н", T}, {"ru", "и.о", T}, {"ru", "им", T},
    {"ru", "св", T}, {"ru", "проф", T}, {"ru", "акад", T}, {"ru", "ген", T}, {"ru", "см", T},
    {"ru", "т.д", N}, {"ru", "т.п", N}, {"ru", "др", N}, {"ru", "ст", N}, {"ru", "п", N},
    {"ru", "г", S}, {"ru", "гг", S}, {"ru", "ул", S}, {"ru", "млн", S}, {"ru", "млрд", S},
    {"ru", "тыс", S}, {"ru", "руб", S}, {"ru", "долл", S},
    /* Ukrainian */
    {"uk", "т.ч", T}, {"uk", "в.о", T}, {"uk", "ім", T}, {"uk", "проф", T}, {"uk", "див", T},
    {"uk", "т.д", N}, {"uk", "ін", N}, {"uk", "ст", N}, {"uk", "п", N}, {"uk", "р", S},
    {"uk", "рр", S}, {"uk", "вул", S}, {"uk", "млн", S}, {"uk", "млрд", S}, {"uk", "тис", S},
    {"uk", "грн", S}, {"uk", "дол", S},
};
#undef T
#undef N
#undef S

/* Languages that write ordinal numbers with a period ("am 3. Oktober"). */
static const char *const ordinal_dot_langs[] = {
    "de", "da", "nb", "nn", "no", "fi", "cs", "sk", "pl", "hu", "tr", "sl", "hr", "sr", "et", "lv", "is",
};

typedef struct Splitter {
    const char *s;
    size_t n;
    const char *lang;    /* two-letter code, never NULL */
    int ordinal_dots;
    SentenceSpan *spans; /* heap while splitting */
    size_t count, cap;
    uint32_t paragraph;
    int paragraph_used;  /* a sentence was emitted in this paragraph */
    int open;            /* a sentence has started */
    size_t start, last_end;
    size_t word_start;   /* start of the current word, after any opening quote */
    size_t term_end;     /* end of the last terminator run (and closers) */
} Splitter;

static size_t cp_at(const char *s, size_t n, size_t i, uint32_t *cp)
{
    if (i >= n) {
        *cp = 0;
        return 0;
    }
    if ((unsigned char)s[i] < 0x80) {
        *cp = (unsigned char)s[i];
        return 1;
    }
    size_t l = utf8_decode(s + i, n - i, cp);
    if (!l) {
        *cp = 0xFFFD;
        return 1;
    }
    return l;
}

/* Length of the line break at s[i] ("\n", "\r\n", "\r"), 0 if none. */
static size_t line_break(const char *s, size_t n, size_t i)
{
    if (i >= n)
        return 0;
    if (s[i] == '\n')
        return 1;
    if (s[i] == '\r')
        return (i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
    return 0;
}

/* "Normal" terminators: they need white space after them. */
static int is_terminator(uint32_t cp)
{
    switch (cp) {
    case '.': case '!': case '?':
    case 0x2026: /* … */
    case 0x203C: case 0x2047: case 0x2048: case 0x2049: /* ‼ ⁇ ⁈ ⁉ */
    case 0x061F: /* Arabic question mark */
    case 0x0964: case 0x0965: /* Devanagari danda */
        return 1;
    default:
        return 0;
    }
}

/* CJK full stops end a sentence with no space after them. */
static int is_cjk_terminator(uint32_t cp)
{
    return cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF61;
}

/* Closing quotes and brackets that may follow a terminator. The German
 * closing quotes (“ ‘) are on the list: right after a terminator with no
 * space between, they can only be closing. */
static int is_closer(uint32_t cp)
{
    switch (cp) {
    case '"': case '\'': case ')': case ']': case '}':
    case 0x201D: case 0x2019: case 0x201C: case 0x2018: /* ” ’ “ ‘ */
    case 0x00BB: case 0x203A: case 0x00AB:              /* » › « */
    case 0x300D: case 0x300F: case 0xFF09:              /* 」 』 ） */
        return 1;
    default:
        return 0;
    }
}

/* Characters that may open a sentence or a word before its first letter. */
static int is_opener(uint32_t cp)
{
    switch (cp) {
    case '"': case '\'': case '(': case '[': case '{':
    case 0x201C: case 0x2018: case 0x201E: case 0x201A: /* “ ‘ „ ‚ */
    case 0x00AB: case 0x2039: case 0x00BB: case 0x203A: /* « ‹ » › */
    case 0x201D: case 0x2019:                           /* ” ’ (Swedish, Finnish) */
    case 0x00BF: case 0x00A1:                           /* ¿ ¡ */
    case 0x300C: case 0x300E: case 0xFF08:              /* 「 『 （ */
        return 1;
    default:
        return 0;
    }
}

static int is_bullet(uint32_t cp)
{
    return cp == '-' || cp == '*' || cp == 0x2022 || cp == 0x00B7 || cp == 0x2023 ||
           cp == 0x25AA || cp == 0x25CF || cp == 0x2013 || cp == 0x2014;
}

static int is_lower(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= 'a' && cp <= 'z';
    return utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_LL;
}

/* Skips white space (line breaks included) from i. */
static size_t skip_space(const char *s, size_t n, size_t i)
{
    while (i < n) {
        uint32_t cp;
        size_t l = cp_at(s, n, i, &cp);
        if (!text_is_space(cp))
            break;
        i += l;
    }
    return i;
}

/* Skips opening quotes and brackets from i; returns the position of the
 * first other character and sets *cp to it (0 at the end). */
static size_t skip_openers(const char *s, size_t n, size_t i, uint32_t *cp)
{
    for (;;) {
        size_t l = cp_at(s, n, i, cp);
        if (!l || !is_opener(*cp))
            return i;
        i += l;
    }
}

/* The abbreviations by first byte (an ASCII letter in lower case):
 * abbr_first[key] is the first entry with that key, abbr_next[i] the
 * next one, in the order of the table; abbr_len[i] the word's length. */
#define N_ABBR (sizeof abbreviations / sizeof abbreviations[0])
static int16_t abbr_first[256], abbr_next[N_ABBR];
static uint8_t abbr_len[N_ABBR];
static pthread_once_t abbr_once = PTHREAD_ONCE_INIT;

static unsigned abbr_key(char c)
{
    unsigned char b = (unsigned char)c;
    return (b | 32u) - 'a' < 26u ? (b | 32u) : b;
}

static void abbr_index_build(void)
{
    for (size_t k = 0; k < 256; k++)
        abbr_first[k] = -1;
    for (size_t i = N_ABBR; i-- > 0;) {
        unsigned k = abbr_key(abbreviations[i].word[0]);
        abbr_next[i] = abbr_first[k];
        abbr_first[k] = (int16_t)i;
        abbr_len[i] = (uint8_t)strlen(abbreviations[i].word);
    }
}

/* Looks up an abbreviation (without its period). The first letter matches
 * in either case so that "Vs." and "vs.", "Dhr." and "dhr." are found. */
static int abbr_class(const Splitter *sp, const char *w, size_t n)
{
    if (n == 0 || n > 16)
        return 0;
    /* the word first (its first letter rules out nearly every entry),
     * then whether the entry applies to the language */
    pthread_once(&abbr_once, abbr_index_build);
    for (int i = abbr_first[abbr_key(w[0])]; i >= 0; i = abbr_next[i]) {
        const Abbr *a = &abbreviations[i];
        if (abbr_len[i] != n || memcmp(w + 1, a->word + 1, n - 1) != 0)
            continue;
        if (strcmp(a->lang, "en") != 0 && strcmp(a->lang, sp->lang) != 0 &&
            !(strcmp(a->lang, "EN") == 0 && strcmp(sp->lang, "en") == 0))
            continue;
        return a->cls;
    }
    return 0;
}

/* 1 when the word at i is capitalised and a function word of the language
 * ("The", "Die", "Il", "Он"): such words start sentences, names do not. */
static int starter_at(const Splitter *sp, size_t i)
{
    uint32_t cp;
    i = skip_openers(sp->s, sp->n, i, &cp);
    if (!text_is_letter(cp))
        return !text_is_digit(cp);
    size_t end = i;
    while (end < sp->n) {
        uint32_t c;
        size_t l = cp_at(sp->s, sp->n, end, &c);
        if (!text_is_letter(c) && !(c == '\'' || c == 0x2019))
            break;
        end += l;
    }
    if (end - i > 40)
        return 0;
    uint32_t first, after;
    size_t l1 = cp_at(sp->s, sp->n, i, &first);
    if (end == i + l1 && cp_at(sp->s, sp->n, end, &after) && after == '.')
        return 0; /* an initial ("В. В. Путин"), though "В" is also a word */
    Buf folded = {0};
    text_fold(&folded, sp->s + i, end - i);
    int r = stopword_is(sp->lang, folded.data, folded.len);
    buf_free(&folded);
    return r;
}

static void emit(Splitter *sp)
{
    if (!sp->open)
        return;
    sp->open = 0;
    if (sp->last_end <= sp->start)
        return;
    if (sp->count == sp->cap) {
        sp->cap = sp->cap ? sp->cap * 2 : 32;
        sp->spans = xrealloc(sp->spans, sp->cap * sizeof *sp->spans);
    }
    sp->spans[sp->count++] = (SentenceSpan){
        .start = (uint32_t)sp->start,
        .len = (uint32_t)(sp->last_end - sp->start),
        .paragraph = sp->paragraph,
    };
    sp->paragraph_used = 1;
}

static int only_digits(const char *w, size_t n)
{
    if (n == 0 || n > 4)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (w[i] < '0' || w[i] > '9')
            return 0;
    return 1;
}

/* 1 when the word at i is one letter followed by '.' ("B." of "z. B."). */
static int single_letter_abbrev(const Splitter *sp, size_t i)
{
    uint32_t c, after;
    size_t l = cp_at(sp->s, sp->n, i, &c);
    return l && text_is_letter(c) && cp_at(sp->s, sp->n, i + l, &after) && after == '.';
}

/* Whether a single '.' at s[dot] (preceded by the word from word_start)
 * ends the sentence when the next word starts at next with code point nc,
 * which is not lower case. */
static int period_ends(const Splitter *sp, size_t dot, size_t next, uint32_t nc)
{
    const char *w = sp->s + sp->word_start;
    size_t wn = dot > sp->word_start ? dot - sp->word_start : 0;
    int digit = text_is_digit(nc);
    if (wn == 0)
        return 1;
    switch (abbr_class(sp, w, wn)) {
    case ABBR_TITLE:
        return 0;
    case ABBR_NUMBER:
        return !digit;
    case ABBR_STARTER:
        return !digit && starter_at(sp, next);
    default:
        break;
    }
    if (memchr(w, '.', wn)) /* dotted acronym: "U.S.", "a.m." */
        return !digit && starter_at(sp, next);
    uint32_t c0;
    size_t l0 = cp_at(w, wn, 0, &c0);
    /* Spaced abbreviations: "z. B.", "d. h.", "u. a.", "i. e." */
    if (l0 == wn && is_lower(c0) && single_letter_abbrev(sp, next))
        return 0;
    /* A list marker opening the sentence: "1. First point", "A. Item" */
    if (sp->word_start == sp->start && ((only_digits(w, wn) && wn <= 3) || (l0 == wn && text_is_letter(c0))))
        return 0;
    if (l0 == wn && text_is_upper(c0)) /* an initial: "John F. Kennedy" */
        return !digit && starter_at(sp, next);
    if (sp->ordinal_dots && only_digits(w, wn))
        return !digit && starter_at(sp, next);
    return 1;
}

/* Handles the terminator run starting at i; returns where scanning goes on. */
static size_t terminator_run(Splitter *sp, size_t i)
{
    const char *s = sp->s;
    size_t n = sp->n, j = i;
    int dots = 0, marks = 0, ellipsis = 0, cjk = 0;
    for (;;) {
        uint32_t cp;
        size_t l = cp_at(s, n, j, &cp);
        if (!l)
            break;
        if (cp == '.')
            dots++;
        else if (cp == 0x2026)
            ellipsis = 1;
        else if (is_cjk_terminator(cp))
            cjk = 1;
        else if (is_terminator(cp))
            marks = 1;
        else
            break;
        j += l;
    }
    size_t k = j;
    for (;;) {
        uint32_t cp;
        size_t l = cp_at(s, n, k, &cp);
        if (!l || !is_closer(cp))
            break;
        k += l;
    }
    /* French sets its closing guillemet off by a space: "Bonjour. »" */
    uint32_t c1, c2, c3;
    size_t l1 = cp_at(s, n, k, &c1);
    if (l1 && (c1 == ' ' || c1 == 0xA0 || c1 == 0x202F)) {
        size_t l2 = cp_at(s, n, k + l1, &c2);
        if (l2 && (c2 == 0xBB || c2 == 0x203A)) {
            size_t l3 = cp_at(s, n, k + l1 + l2, &c3);
            if (!l3 || text_is_space(c3) || text_is_punct(c3))
                k += l1 + l2;
        }
    }
    int closed = k > j;
    sp->last_end = k;
    sp->term_end = k;
    uint32_t after;
    cp_at(s, n, k, &after);
    if (!cjk && k < n && !text_is_space(after))
        return k; /* "3.5", "U.S" inside, "Yahoo!News": not a boundary */
    size_t next = skip_space(s, n, k);
    int ends;
    if (next >= n || cjk) {
        ends = 1;
    } else {
        uint32_t nc;
        skip_openers(s, n, next, &nc);
        if (is_lower(nc))
            ends = 0; /* '"Why?" she asked.', "e.g. the", "Mr. smith" */
        else if (marks || ellipsis || dots > 1 || closed)
            ends = 1;
        else
            ends = period_ends(sp, i, next, nc);
    }
    if (ends)
        emit(sp);
    sp->word_start = k;
    return k;
}

/* At a single line break (not a blank line) inside an open sentence whose
 * line did not end with a terminator: the line was a heading, a caption or
 * a list item when the next line starts a new unit (capital, digit, quote,
 * bullet), unless the line plainly continues ("... with the\nPresident",
 * a trailing comma or hyphen). */
static int heading_break(const Splitter *sp, size_t next_line)
{
    const char *s = sp->s;
    uint32_t nc;
    size_t content = skip_openers(s, sp->n, next_line, &nc);
    if (!(text_is_upper(nc) || text_is_digit(nc) || is_bullet(nc) || content > next_line ||
          (text_is_letter(nc) && !is_lower(nc))))
        return 0;
    size_t end = sp->last_end;
    unsigned char last = (unsigned char)s[end - 1];
    if (last == ',' || last == ';' || last == '-' || last == '(' || last == '&' || last == '/')
        return 0;
    size_t p = end;
    while (p > sp->start) {
        unsigned char c = (unsigned char)s[p - 1];
        if (c < 0x80 && !((c | 32) >= 'a' && (c | 32) <= 'z'))
            break;
        p--;
    }
    if (p < end && p >= sp->start) {
        uint32_t c0;
        cp_at(s, end, p, &c0);
        if (is_lower(c0) && end - p <= 40) {
            Buf folded = {0};
            text_fold(&folded, s + p, end - p);
            int stop = stopword_is(sp->lang, folded.data, folded.len);
            buf_free(&folded);
            if (stop)
                return 0;
        }
    }
    return 1;
}

size_t sentence_split(Arena *a, const char *s, size_t n, const char *lang, SentenceSpan **out)
{
    *out = NULL;
    if (!s || n == 0)
        return 0;
    if (n > UINT32_MAX)
        n = UINT32_MAX;
    Splitter sp = {.s = s, .n = n, .lang = "en"};
    if (lang && lang[0] && lang[1] && (lang[2] == '\0' || lang[2] == '-' || lang[2] == '_')) {
        static const char codes[][3] = {"de", "es", "fr", "it", "pt", "nl", "ru", "uk", "en"};
        char code[3] = {(char)(lang[0] | 32), (char)(lang[1] | 32), 0};
        for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
            if (strcmp(codes[i], code) == 0)
                sp.lang = codes[i];
        for (size_t i = 0; i < sizeof ordinal_dot_langs / sizeof ordinal_dot_langs[0]; i++)
            if (strcmp(ordinal_dot_langs[i], code) == 0)
                sp.ordinal_dots = 1;
    }
    size_t i = 0;
    while (i < n) {
        size_t br = line_break(s, n, i);
        if (br) {
            /* A blank line (only white space on it) ends the paragraph. */
            size_t j = i + br;
            int blank = 0;
            while (j < n) {
                if (line_break(s, n, j)) {
                    blank = 1;
                    break;
                }
                uint32_t cp;
                size_t l = cp_at(s, n, j, &cp);
                if (!text_is_space(cp))
                    break;
                j += l;
            }
            if (blank || j >= n) {
                emit(&sp);
                if (sp.paragraph_used) {
                    sp.paragraph++;
                    sp.paragraph_used = 0;
                }
            } else if (sp.open && sp.term_end != sp.last_end && heading_break(&sp, j)) {
                emit(&sp);
            }
            i = j;
            sp.word_start = i;
            continue;
        }
        uint32_t cp;
        size_t l = cp_at(s, n, i, &cp);
        if ((cp < 0x80 ? cp == ' ' || cp - '\t' < 5u : text_is_space(cp)) || cp == 0x200B || cp == 0xFEFF) {
            i += l;
            sp.word_start = i;
            continue;
        }
        if (!sp.open) {
            sp.open = 1;
            sp.start = i;
            sp.term_end = 0;
        }
        if (cp < 0x80 && ((cp | 32u) - 'a' < 26u || cp - 0x30u < 10u)) {
            /* ASCII letters and digits: neither breaks, terminators nor
             * openers, so a run of them is passed in one step */
            i++;
            i = ascii_alnum_run16(s, i, n); /* sixteen bytes at a time where it can */
            while (i < n && (unsigned char)s[i] < 0x80 &&
                   (((unsigned char)s[i] | 32u) - 'a' < 26u || (unsigned char)s[i] - 0x30u < 10u))
                i++;
            sp.last_end = i;
            continue;
        }
        if (is_terminator(cp) || is_cjk_terminator(cp)) {
            i = terminator_run(&sp, i);
            continue;
        }
        if (i == sp.word_start && is_opener(cp))
            sp.word_start = i + l;
        i += l;
        sp.last_end = i;
    }
    emit(&sp);
    if (sp.count) {
        *out = arena_alloc_raw(a, sp.count * sizeof *sp.spans); /* all of it copied over */
        memcpy(*out, sp.spans, sp.count * sizeof *sp.spans);
    }
    free(sp.spans);
    return sp.count;
}
