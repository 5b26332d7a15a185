/* dates.c - calendar dates written in a sentence: a month's name next to
 * a day of the month ("March 3", "3 March", "Mar. 3rd", "3. März", "3 de
 * marzo", "le 1er mars", "3 марта"), with the year when one follows
 * ("March 3, 2013", "3 de marzo de 2013"), or a month and a year alone
 * ("March 2013"). They become facts of their own kind (DOC_FACT_DATE):
 * two reports of one event name the days around it, two like events a
 * year apart name other days.
 *
 * Month names are those of the article's language (the languages the
 * analyzer has stop words for); a name that is also a common word ("May",
 * "March", "mar" = sea) counts only capitalised, or only as the month in
 * the language that writes months in lower case. Nothing here is written
 * for one data set. */
#include <string.h>

#include "../text/tokenize.h"
#include "docparts.h"

typedef struct MonthName {
    const char *name; /* folded: lower case, no diacritics */
    uint8_t len;      /* its length in bytes */
    uint8_t month;    /* 1-12 */
    uint8_t cap;      /* counts only when written with a capital */
} MonthName;

#define M(name, month, cap) {name, sizeof name - 1, month, cap}

static const MonthName en_months[] = {
    M("january", 1, 0), M("february", 2, 0), M("march", 3, 1), M("april", 4, 0), M("may", 5, 1),
    M("june", 6, 0), M("july", 7, 0), M("august", 8, 1), M("september", 9, 0), M("october", 10, 0),
    M("november", 11, 0), M("december", 12, 0), M("jan", 1, 1), M("feb", 2, 1), M("mar", 3, 1),
    M("apr", 4, 1), M("jun", 6, 1), M("jul", 7, 1), M("aug", 8, 1), M("sep", 9, 1), M("sept", 9, 1),
    M("oct", 10, 1), M("nov", 11, 1), M("dec", 12, 1), {NULL, 0, 0, 0}};

static const MonthName de_months[] = {
    M("januar", 1, 0), M("janner", 1, 0), M("februar", 2, 0), M("marz", 3, 0), M("april", 4, 0),
    M("mai", 5, 0), M("juni", 6, 0), M("juli", 7, 0), M("august", 8, 0), M("september", 9, 0),
    M("oktober", 10, 0), M("november", 11, 0), M("dezember", 12, 0), M("jan", 1, 1), M("feb", 2, 1),
    M("mrz", 3, 1), M("apr", 4, 1), M("jun", 6, 1), M("jul", 7, 1), M("aug", 8, 1), M("sep", 9, 1),
    M("sept", 9, 1), M("okt", 10, 1), M("nov", 11, 1), M("dez", 12, 1), {NULL, 0, 0, 0}};

static const MonthName fr_months[] = {
    M("janvier", 1, 0), M("fevrier", 2, 0), M("mars", 3, 0), M("avril", 4, 0), M("mai", 5, 0),
    M("juin", 6, 0), M("juillet", 7, 0), M("aout", 8, 0), M("septembre", 9, 0), M("octobre", 10, 0),
    M("novembre", 11, 0), M("decembre", 12, 0), M("janv", 1, 0), M("fevr", 2, 0), M("avr", 4, 0),
    M("juil", 7, 0), M("sept", 9, 0), M("oct", 10, 0), M("nov", 11, 0), M("dec", 12, 0),
    {NULL, 0, 0, 0}};

static const MonthName es_months[] = {
    M("enero", 1, 0), M("febrero", 2, 0), M("marzo", 3, 0), M("abril", 4, 0), M("mayo", 5, 0),
    M("junio", 6, 0), M("julio", 7, 0), M("agosto", 8, 0), M("septiembre", 9, 0),
    M("setiembre", 9, 0), M("octubre", 10, 0), M("noviembre", 11, 0), M("diciembre", 12, 0),
    {NULL, 0, 0, 0}};

static const MonthName it_months[] = {
    M("gennaio", 1, 0), M("febbraio", 2, 0), M("marzo", 3, 0), M("aprile", 4, 0), M("maggio", 5, 0),
    M("giugno", 6, 0), M("luglio", 7, 0), M("agosto", 8, 0), M("settembre", 9, 0),
    M("ottobre", 10, 0), M("novembre", 11, 0), M("dicembre", 12, 0), {NULL, 0, 0, 0}};

static const MonthName pt_months[] = {
    M("janeiro", 1, 0), M("fevereiro", 2, 0), M("marco", 3, 0), M("abril", 4, 0), M("maio", 5, 0),
    M("junho", 6, 0), M("julho", 7, 0), M("agosto", 8, 0), M("setembro", 9, 0), M("outubro", 10, 0),
    M("novembro", 11, 0), M("dezembro", 12, 0), {NULL, 0, 0, 0}};

static const MonthName nl_months[] = {
    M("januari", 1, 0), M("februari", 2, 0), M("maart", 3, 0), M("april", 4, 0), M("mei", 5, 0),
    M("juni", 6, 0), M("juli", 7, 0), M("augustus", 8, 0), M("september", 9, 0),
    M("oktober", 10, 0), M("november", 11, 0), M("december", 12, 0), {NULL, 0, 0, 0}};

/* Russian and Ukrainian: the genitive a date is written in ("3 марта")
 * and the nominative ("март 2013"); "й" also as "и" (without its breve). */
static const MonthName ru_months[] = {
    M("января", 1, 0), M("февраля", 2, 0), M("марта", 3, 0), M("апреля", 4, 0), M("мая", 5, 0),
    M("июня", 6, 0), M("июля", 7, 0), M("августа", 8, 0), M("сентября", 9, 0), M("октября", 10, 0),
    M("ноября", 11, 0), M("декабря", 12, 0), M("январь", 1, 0), M("февраль", 2, 0), M("март", 3, 0),
    M("апрель", 4, 0), M("май", 5, 0), M("маи", 5, 0), M("июнь", 6, 0), M("июль", 7, 0),
    M("август", 8, 0), M("сентябрь", 9, 0), M("октябрь", 10, 0), M("ноябрь", 11, 0),
    M("декабрь", 12, 0), {NULL, 0, 0, 0}};

static const MonthName uk_months[] = {
    M("січня", 1, 0), M("лютого", 2, 0), M("березня", 3, 0), M("квітня", 4, 0), M("травня", 5, 0),
    M("червня", 6, 0), M("липня", 7, 0), M("серпня", 8, 0), M("вересня", 9, 0), M("жовтня", 10, 0),
    M("листопада", 11, 0), M("грудня", 12, 0), M("січень", 1, 0), M("лютий", 2, 0),
    M("лютии", 2, 0), M("березень", 3, 0), M("квітень", 4, 0), M("травень", 5, 0),
    M("червень", 6, 0), M("липень", 7, 0), M("серпень", 8, 0), M("вересень", 9, 0),
    M("жовтень", 10, 0), M("листопад", 11, 0), M("грудень", 12, 0), {NULL, 0, 0, 0}};

static const struct {
    const char *lang;
    const MonthName *months;
} month_tables[] = {
    {"en", en_months}, {"de", de_months}, {"fr", fr_months}, {"es", es_months}, {"it", it_months},
    {"pt", pt_months}, {"nl", nl_months}, {"ru", ru_months}, {"uk", uk_months},
};

static const MonthName *months_of(const char *lang)
{
    for (size_t i = 0; i < sizeof month_tables / sizeof *month_tables; i++)
        if (lang && strncmp(lang, month_tables[i].lang, 2) == 0)
            return month_tables[i].months;
    return en_months;
}

/* The lengths of a table's names by their first byte (its low 5 bits):
 * most words are told apart from every month by one bit test. */
typedef struct MonthFilter {
    uint32_t len_by_first[32];
} MonthFilter;

static void month_filter(const MonthName *tab, MonthFilter *mf)
{
    memset(mf, 0, sizeof *mf);
    for (const MonthName *m = tab; m->name; m++)
        mf->len_by_first[(unsigned char)m->name[0] & 31] |= 1u << m->len; /* 3 to 24 bytes */
}

/* The month a word token names (1-12), or 0. */
static int token_month(const MonthName *tab, const MonthFilter *mf, const AnToken *t)
{
    if (t->kind != TOK_WORD || t->fold_len < 3 || t->fold_len > 24 ||
        !(mf->len_by_first[(unsigned char)t->fold[0] & 31] >> t->fold_len & 1))
        return 0;
    /* length and first byte tested together: one branch, nearly always
     * not taken, instead of two that go either way */
    for (const MonthName *m = tab; m->name; m++)
        if (((m->len == t->fold_len) & (m->name[0] == t->fold[0])) && memcmp(m->name, t->fold, t->fold_len) == 0)
            return m->cap && !t->upper ? 0 : m->month;
    return 0;
}

static int is_digit_byte(char c)
{
    return c >= '0' && c <= '9';
}

/* The day of the month a token writes: "3", "03", "3rd", "1st", "1er"
 * (French), "3." is two tokens and handled by the caller. 0 if none. */
static int token_day(const char *src, const AnToken *t)
{
    const char *s = src + t->start;
    uint32_t n = t->len, k = 0;
    int d = 0;
    while (k < n && k < 3 && is_digit_byte(s[k]))
        d = d * 10 + (s[k++] - '0');
    if (k == 0 || k > 2 || d < 1 || d > 31)
        return 0;
    if (t->kind == TOK_NUMBER)
        return k == n ? d : 0;
    if (t->kind != TOK_WORD)
        return 0;
    /* an ordinal: the digits and a short suffix */
    static const char *const suffixes[] = {"st", "nd", "rd", "th", "er", "e", "eme", NULL};
    const char *f = t->fold + k;
    size_t fn = t->fold_len - k;
    for (int i = 0; suffixes[i]; i++)
        if (strlen(suffixes[i]) == fn && memcmp(suffixes[i], f, fn) == 0)
            return d;
    return 0;
}

static int tok_word_is(const AnToken *t, const char *w)
{
    return t->fold_len == strlen(w) && memcmp(t->fold, w, t->fold_len) == 0;
}

static int tok_punct_is(const char *src, const AnToken *t, const char *p)
{
    return t->kind == TOK_PUNCT && t->len == strlen(p) && memcmp(src + t->start, p, t->len) == 0;
}

uint32_t an_token_year(const char *src, const AnToken *t)
{
    if (t->kind != TOK_NUMBER || t->len != 4)
        return 0;
    uint32_t y = 0;
    for (int i = 0; i < 4; i++) {
        char ch = src[t->start + (uint32_t)i];
        if (!is_digit_byte(ch))
            return 0;
        y = y * 10 + (uint32_t)(ch - '0');
    }
    return y >= 1900 && y <= 2099 ? y : 0;
}

static int month_days(int month, uint32_t year)
{
    static const int days[13] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && year && (year % 4 != 0 || (year % 100 == 0 && year % 400 != 0)))
        return 28;
    return days[month];
}

size_t an_find_dates(const char *src, const AnToken *t, size_t nt, const char *lang, AnDate *out,
                     size_t max)
{
    const MonthName *tab = months_of(lang);
    MonthFilter mf;
    month_filter(tab, &mf);
    size_t n = 0;
    for (size_t i = 0; i < nt && n < max; i++) {
        int month = token_month(tab, &mf, &t[i]);
        if (!month)
            continue;
        size_t last = i;
        int day = 0;
        uint32_t year = 0;
        /* the day before the month: "3 March", "3rd of March", "3. März",
         * "3 de marzo" */
        if (i > 0) {
            size_t k = i - 1;
            if (k > 0 && (tok_punct_is(src, &t[k], ".") || tok_word_is(&t[k], "of") ||
                          tok_word_is(&t[k], "de")))
                k--;
            int dd = token_day(src, &t[k]);
            /* not the end of a date in figures ("12/3 May"); "3.5 May"
             * and "3,000 May" are no day tokens */
            if (dd && (k == 0 || !tok_punct_is(src, &t[k - 1], "/")))
                day = dd;
        }
        size_t j = i + 1;
        if (j < nt && tok_punct_is(src, &t[j], ".") && t[j].start == t[i].start + t[i].len)
            j++; /* "Mar." */
        /* the day after it: "March 3", "Mar. 3rd" */
        if (!day && j < nt) {
            int dd = token_day(src, &t[j]);
            if (dd && !(j + 1 < nt && (tok_punct_is(src, &t[j + 1], "/") ||
                                       tok_punct_is(src, &t[j + 1], ":")))) {
                day = dd;
                last = j;
                j++;
            }
        }
        /* the year: "March 3, 2013", "3 March 2013", "3 de marzo de 2013",
         * "March 2013" */
        size_t y = j;
        if (y < nt && (tok_punct_is(src, &t[y], ",") || tok_word_is(&t[y], "de") ||
                       tok_word_is(&t[y], "del")))
            y++;
        if (y < nt && (year = an_token_year(src, &t[y])) != 0)
            last = y;
        if (!day && !year)
            continue;
        if (day > month_days(month, year))
            continue;
        out[n++] = (AnDate){(uint16_t)year, (uint8_t)month, (uint8_t)day};
        i = last;
    }
    return n;
}
