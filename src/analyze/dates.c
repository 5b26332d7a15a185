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
    uint8_t month;    /* 1-12 */
    uint8_t cap;      /* counts only when written with a capital */
} MonthName;

static const MonthName en_months[] = {
    {"january", 1, 0}, {"february", 2, 0}, {"march", 3, 1}, {"april", 4, 0}, {"may", 5, 1},
    {"june", 6, 0}, {"july", 7, 0}, {"august", 8, 1}, {"september", 9, 0}, {"october", 10, 0},
    {"november", 11, 0}, {"december", 12, 0}, {"jan", 1, 1}, {"feb", 2, 1}, {"mar", 3, 1},
    {"apr", 4, 1}, {"jun", 6, 1}, {"jul", 7, 1}, {"aug", 8, 1}, {"sep", 9, 1}, {"sept", 9, 1},
    {"oct", 10, 1}, {"nov", 11, 1}, {"dec", 12, 1}, {NULL, 0, 0}};

static const MonthName de_months[] = {
    {"januar", 1, 0}, {"janner", 1, 0}, {"februar", 2, 0}, {"marz", 3, 0}, {"april", 4, 0},
    {"mai", 5, 0}, {"juni", 6, 0}, {"juli", 7, 0}, {"august", 8, 0}, {"september", 9, 0},
    {"oktober", 10, 0}, {"november", 11, 0}, {"dezember", 12, 0}, {"jan", 1, 1}, {"feb", 2, 1},
    {"mrz", 3, 1}, {"apr", 4, 1}, {"jun", 6, 1}, {"jul", 7, 1}, {"aug", 8, 1}, {"sep", 9, 1},
    {"sept", 9, 1}, {"okt", 10, 1}, {"nov", 11, 1}, {"dez", 12, 1}, {NULL, 0, 0}};

static const MonthName fr_months[] = {
    {"janvier", 1, 0}, {"fevrier", 2, 0}, {"mars", 3, 0}, {"avril", 4, 0}, {"mai", 5, 0},
    {"juin", 6, 0}, {"juillet", 7, 0}, {"aout", 8, 0}, {"septembre", 9, 0}, {"octobre", 10, 0},
    {"novembre", 11, 0}, {"decembre", 12, 0}, {"janv", 1, 0}, {"fevr", 2, 0}, {"avr", 4, 0},
    {"juil", 7, 0}, {"sept", 9, 0}, {"oct", 10, 0}, {"nov", 11, 0}, {"dec", 12, 0}, {NULL, 0, 0}};

static const MonthName es_months[] = {
    {"enero", 1, 0}, {"febrero", 2, 0}, {"marzo", 3, 0}, {"abril", 4, 0}, {"mayo", 5, 0},
    {"junio", 6, 0}, {"julio", 7, 0}, {"agosto", 8, 0}, {"septiembre", 9, 0}, {"setiembre", 9, 0},
    {"octubre", 10, 0}, {"noviembre", 11, 0}, {"diciembre", 12, 0}, {NULL, 0, 0}};

static const MonthName it_months[] = {
    {"gennaio", 1, 0}, {"febbraio", 2, 0}, {"marzo", 3, 0}, {"aprile", 4, 0}, {"maggio", 5, 0},
    {"giugno", 6, 0}, {"luglio", 7, 0}, {"agosto", 8, 0}, {"settembre", 9, 0}, {"ottobre", 10, 0},
    {"novembre", 11, 0}, {"dicembre", 12, 0}, {NULL, 0, 0}};

static const MonthName pt_months[] = {
    {"janeiro", 1, 0}, {"fevereiro", 2, 0}, {"marco", 3, 0}, {"abril", 4, 0}, {"maio", 5, 0},
    {"junho", 6, 0}, {"julho", 7, 0}, {"agosto", 8, 0}, {"setembro", 9, 0}, {"outubro", 10, 0},
    {"novembro", 11, 0}, {"dezembro", 12, 0}, {NULL, 0, 0}};

static const MonthName nl_months[] = {
    {"januari", 1, 0}, {"februari", 2, 0}, {"maart", 3, 0}, {"april", 4, 0}, {"mei", 5, 0},
    {"juni", 6, 0}, {"juli", 7, 0}, {"augustus", 8, 0}, {"september", 9, 0}, {"oktober", 10, 0},
    {"november", 11, 0}, {"december", 12, 0}, {NULL, 0, 0}};

/* Russian and Ukrainian: the genitive a date is written in ("3 марта")
 * and the nominative ("март 2013"); folding drops the breve of й. */
static const MonthName ru_months[] = {
    {"января", 1, 0},   {"февраля", 2, 0}, {"марта", 3, 0},   {"апреля", 4, 0},
    {"мая", 5, 0},      {"июня", 6, 0},    {"июля", 7, 0},    {"августа", 8, 0},
    {"сентября", 9, 0}, {"октября", 10, 0}, {"ноября", 11, 0}, {"декабря", 12, 0},
    {"январь", 1, 0},   {"февраль", 2, 0}, {"март", 3, 0},    {"апрель", 4, 0},
    {"май", 5, 0},      {"маи", 5, 0},     {"июнь", 6, 0},    {"июль", 7, 0},
    {"август", 8, 0},   {"сентябрь", 9, 0}, {"октябрь", 10, 0}, {"ноябрь", 11, 0},
    {"декабрь", 12, 0}, {NULL, 0, 0}};

static const MonthName uk_months[] = {
    {"січня", 1, 0},    {"лютого", 2, 0},   {"березня", 3, 0}, {"квітня", 4, 0},
    {"травня", 5, 0},   {"червня", 6, 0},   {"липня", 7, 0},   {"серпня", 8, 0},
    {"вересня", 9, 0},  {"жовтня", 10, 0},  {"листопада", 11, 0}, {"грудня", 12, 0},
    {"січень", 1, 0},   {"лютий", 2, 0},    {"лютии", 2, 0},   {"березень", 3, 0},
    {"квітень", 4, 0},  {"травень", 5, 0},  {"червень", 6, 0}, {"липень", 7, 0},
    {"серпень", 8, 0},  {"вересень", 9, 0}, {"жовтень", 10, 0}, {"листопад", 11, 0},
    {"грудень", 12, 0}, {NULL, 0, 0}};

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

/* The month a word token names (1-12), or 0. */
static int token_month(const MonthName *tab, const AnToken *t)
{
    if (t->kind != TOK_WORD || t->fold_len < 3 || t->fold_len > 24)
        return 0;
    for (const MonthName *m = tab; m->name; m++)
        if (m->name[0] == t->fold[0] && strlen(m->name) == t->fold_len &&
            memcmp(m->name, t->fold, t->fold_len) == 0)
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
    size_t n = 0;
    for (size_t i = 0; i < nt && n < max; i++) {
        int month = token_month(tab, &t[i]);
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
