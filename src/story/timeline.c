/* timeline.c - dated events from the member articles' sentences.
 *
 * A sentence is read as a list of ASCII word tokens (letters and digits,
 * with the original capitalisation kept to tell the month "May" from the
 * verb and "March" from a protest march). Date phrases, first match wins:
 *   on|last|next|this|by|until <Weekday> [, <Month> <D>]
 *   [on] <D> <Month> [<YYYY>]     <Month> <D>[st|nd|rd|th] [, <YYYY>]
 *   [in] <Month> <YYYY>           in|since|by|until|early|late|mid <Month>
 *   in <YYYY>                     yesterday
 * A phrase with a speech verb just before or after it ("said on Tuesday",
 * "on Tuesday told") is skipped. A weekday looks back from the publication
 * day unless the sentence looks ahead ("will", "would", "expected",
 * "until Thursday", "next Friday"). Events are deduplicated across members
 * by date and wording (cosine of the sentences' term vectors), ranked by
 * how many members report them, then by how well they stand alone (at
 * most two of one day and one of a bare year or month, so the timeline
 * spans the story rather than logging its busiest day or retelling one
 * old event), and listed oldest first. Each member gives
 * at most its first PER_MEMBER dated sentences (news puts its dates near
 * the top), which also bounds the quadratic deduplication on big stories. */
#include "timeline.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/timeutil.h"

#define MAX_TOKENS 160
#define SAME_EVENT_COSINE 0.35  /* same date, this similar: one event */
#define NEAR_EVENT_COSINE 0.5   /* dates a week apart, this similar: one event
                                   ("on Thursday" read a week later) */
#define SAME_TEXT_COSINE 0.7    /* any date, this similar: one event */
#define PER_MEMBER 8            /* dated sentences read per member (the first ones) */
#define MAX_ITEMS 400           /* distinct events kept at most: dedup is quadratic */
#define PER_DATE 2              /* entries a day at most: a timeline, not one day's log */

typedef struct Tok {
    const char *s;
    size_t n;
    int cap;     /* starts with an upper-case letter */
} Tok;

static const char *const months[] = {"january", "february", "march", "april", "may", "june", "july",
                                     "august", "september", "october", "november", "december"};
static const char *const weekdays[] = {"monday", "tuesday", "wednesday", "thursday", "friday",
                                       "saturday", "sunday"};
static const char *const speech_verbs[] = {"said", "says", "told", "tells", "added", "stated", "wrote",
                                           "tweeted", "posted", "according", "warned", "claimed",
                                           "insisted", "commented", "noted", "explained", NULL};
/* "planned" and "due" are left out: "worked as planned", "due to the storm" */
static const char *const future_words[] = {"will", "would", "scheduled", "expected", "plans", "upcoming",
                                           "next", "hope", "hopes", "hoped", NULL};

static int tok_is(const Tok *t, const char *w)
{
    /* first letters first: this runs for every token of every sentence */
    if ((t->s[0] | 0x20) != (w[0] | 0x20))
        return 0;
    return strlen(w) == t->n && strncasecmp(t->s, w, t->n) == 0;
}

static int tok_in(const Tok *t, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (tok_is(t, list[i]))
            return 1;
    return 0;
}

/* 1..12 for a capitalised month name or its abbreviation ("Sept", "Dec"). */
static int month_of(const Tok *t)
{
    if (!t->cap || t->n < 3)
        return 0;
    for (int m = 0; m < 12; m++) {
        size_t full = strlen(months[m]);
        if (t->n == full && strncasecmp(t->s, months[m], full) == 0)
            return m + 1;
        /* abbreviations: three letters, or "Sept"; not "Mar"/"May" ambiguity: May is full */
        if ((t->n == 3 || (m == 8 && t->n == 4)) && strncasecmp(t->s, months[m], t->n) == 0 && m != 4)
            return m + 1;
    }
    return 0;
}

static int weekday_of(const Tok *t)
{
    if (!t->cap)
        return -1;
    for (int d = 0; d < 7; d++)
        if (tok_is(t, weekdays[d]))
            return d; /* 0 = Monday */
    return -1;
}

/* A number token, optionally with an ordinal suffix ("3rd"); -1 if not. */
static int number_of(const Tok *t, int allow_suffix)
{
    size_t i = 0;
    int v = 0;
    while (i < t->n && isdigit((unsigned char)t->s[i]) && i < 5)
        v = v * 10 + (t->s[i++] - '0');
    if (i == 0)
        return -1;
    if (i == t->n)
        return v;
    if (allow_suffix && t->n - i == 2 &&
        (strncasecmp(t->s + i, "st", 2) == 0 || strncasecmp(t->s + i, "nd", 2) == 0 ||
         strncasecmp(t->s + i, "rd", 2) == 0 || strncasecmp(t->s + i, "th", 2) == 0))
        return v;
    return -1;
}

static int year_of(const Tok *t)
{
    int v = t->n == 4 ? number_of(t, 0) : -1;
    return v >= 1800 && v <= 2200 ? v : -1;
}

static int days_in_month(int y, int m)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dim[m - 1];
}

static size_t tokenize(const char *s, Tok *toks, size_t max)
{
    size_t n = 0;
    const char *p = s;
    while (*p && n < max) {
        while (*p && !isalnum((unsigned char)*p))
            p++;
        if (!*p)
            break;
        const char *start = p;
        while (isalnum((unsigned char)*p))
            p++;
        toks[n++] = (Tok){start, (size_t)(p - start), isupper((unsigned char)*start) != 0};
    }
    return n;
}

typedef struct Span {
    size_t first, last; /* token range of the phrase */
} Span;

static int speech_next_to(const Tok *t, size_t n, Span sp)
{
    if (sp.first > 0 && tok_in(&t[sp.first - 1], speech_verbs))
        return 1;
    if (sp.last + 1 < n && tok_in(&t[sp.last + 1], speech_verbs))
        return 1;
    return 0;
}

static int64_t day_of(int y, int m, int d) { return time_days_from_civil(y, (unsigned)m, (unsigned)d); }

static void set_day(EventDate *out, int64_t days)
{
    int y;
    unsigned m, d;
    time_civil_from_days(days, &y, &m, &d);
    *out = (EventDate){y, (int)m, (int)d, DATE_DAY};
}

/* A day and month without a year: the year that puts it nearest to pub. */
static int resolve_day_month(int m, int d, int64_t pub_day, int have_pub, EventDate *out)
{
    if (!have_pub)
        return 0;
    int py;
    unsigned pm, pd;
    time_civil_from_days(pub_day, &py, &pm, &pd);
    int64_t best = 0;
    int best_y = 0;
    for (int y = py - 1; y <= py + 1; y++) {
        if (d > days_in_month(y, m))
            continue;
        int64_t dist = llabs(day_of(y, m, d) - pub_day);
        if (!best_y || dist < best)
            best = dist, best_y = y;
    }
    if (!best_y)
        return 0;
    *out = (EventDate){best_y, m, d, DATE_DAY};
    return 1;
}

int timeline_find_date(const char *sentence, int64_t published, EventDate *out)
{
    if (!sentence)
        return 0;
    Tok t[MAX_TOKENS];
    size_t n = tokenize(sentence, t, MAX_TOKENS);
    int have_pub = published > 0;
    int64_t pub_day = have_pub ? published / 86400 : 0;
    int future = 0;
    for (size_t i = 0; i < n; i++)
        if (tok_in(&t[i], future_words))
            future = 1;
    int py = 0;
    unsigned pm = 0, pd = 0;
    if (have_pub)
        time_civil_from_days(pub_day, &py, &pm, &pd);

    for (size_t i = 0; i < n; i++) {
        EventDate d = {0};
        Span sp = {i, i};
        int found = 0;
        int wd = weekday_of(&t[i]);
        int mo = month_of(&t[i]);
        if (wd >= 0 && i > 0 &&
            (tok_is(&t[i - 1], "on") || tok_is(&t[i - 1], "last") || tok_is(&t[i - 1], "next") ||
             tok_is(&t[i - 1], "this") || tok_is(&t[i - 1], "by") || tok_is(&t[i - 1], "until"))) {
            sp.first = i - 1;
            /* "on Tuesday, March 3": the explicit date decides */
            if (i + 2 < n && month_of(&t[i + 1]) && number_of(&t[i + 2], 1) > 0)
                continue;
            if (i + 2 < n && number_of(&t[i + 1], 1) > 0 && month_of(&t[i + 2]))
                continue;
            if (!have_pub)
                continue;
            int pub_wd = (int)(((pub_day % 7) + 7 + 3) % 7); /* 1970-01-01 was a Thursday */
            int64_t day;
            int ahead_word = tok_is(&t[i - 1], "next") || tok_is(&t[i - 1], "until") || tok_is(&t[i - 1], "by");
            if (ahead_word || (future && !tok_is(&t[i - 1], "last"))) {
                int ahead = (wd - pub_wd + 7) % 7;
                day = pub_day + (ahead ? ahead : tok_is(&t[i - 1], "next") ? 7 : 0);
            } else {
                int back = (pub_wd - wd + 7) % 7;
                if (tok_is(&t[i - 1], "last") && back == 0)
                    back = 7;
                day = pub_day - back;
            }
            set_day(&d, day);
            found = 1;
        } else if (mo) {
            int before = i > 0 ? number_of(&t[i - 1], 1) : -1;
            int after = i + 1 < n ? number_of(&t[i + 1], 1) : -1;
            int year_after = -1;
            if (before >= 1 && before <= 31) { /* 3 March [2024] */
                sp.first = i - 1;
                if (i + 1 < n && (year_after = year_of(&t[i + 1])) > 0)
                    sp.last = i + 1;
                if (year_after > 0) {
                    if (before > days_in_month(year_after, mo))
                        continue;
                    d = (EventDate){year_after, mo, before, DATE_DAY};
                    found = 1;
                } else {
                    found = resolve_day_month(mo, before, pub_day, have_pub, &d);
                }
            } else if (after >= 1 && after <= 31 && t[i + 1].n <= 4) { /* March 3[rd][, 2024] */
                sp.last = i + 1;
                if (i + 2 < n && (year_after = year_of(&t[i + 2])) > 0)
                    sp.last = i + 2;
                if (year_after > 0) {
                    if (after > days_in_month(year_after, mo))
                        continue;
                    d = (EventDate){year_after, mo, after, DATE_DAY};
                    found = 1;
                } else {
                    found = resolve_day_month(mo, after, pub_day, have_pub, &d);
                }
            } else if (i + 1 < n && (year_after = year_of(&t[i + 1])) > 0) { /* March 2024 */
                sp.last = i + 1;
                d = (EventDate){year_after, mo, 0, DATE_MONTH};
                found = 1;
            } else if (i > 0 && have_pub &&
                       (tok_is(&t[i - 1], "in") || tok_is(&t[i - 1], "since") || tok_is(&t[i - 1], "by") ||
                        tok_is(&t[i - 1], "until") || tok_is(&t[i - 1], "early") ||
                        tok_is(&t[i - 1], "late") || tok_is(&t[i - 1], "mid"))) {
                sp.first = i - 1;
                /* the latest such month up to publication, or the next one
                 * when the sentence looks ahead, or when that is at most two
                 * months off and the past one ten or more ("in January",
                 * written on 30 December) */
                int back = ((int)pm - mo + 12) % 12, ahead = (mo - (int)pm + 12) % 12;
                int y = py;
                if (future || (back >= 10 && ahead <= 2)) {
                    if (mo < (int)pm)
                        y++;
                } else if (mo > (int)pm) {
                    y--;
                }
                d = (EventDate){y, mo, 0, DATE_MONTH};
                found = 1;
            }
        } else if (tok_is(&t[i], "in") && i + 1 < n && year_of(&t[i + 1]) > 0 &&
                   !(i + 2 < n && number_of(&t[i + 2], 0) >= 0)) {
            int y = year_of(&t[i + 1]);
            if (have_pub && y > py + 10)
                continue;
            sp.last = i + 1;
            d = (EventDate){y, 0, 0, DATE_YEAR};
            found = 1;
        } else if (tok_is(&t[i], "yesterday") && have_pub) {
            set_day(&d, pub_day - 1);
            found = 1;
        }
        if (!found || speech_next_to(t, n, sp))
            continue;
        *out = d;
        return 1;
    }
    return 0;
}

const char *timeline_date_string(Arena *a, const EventDate *d)
{
    if (d->precision == DATE_DAY)
        return arena_printf(a, "%04d-%02d-%02d", d->year, d->month, d->day);
    if (d->precision == DATE_MONTH)
        return arena_printf(a, "%04d-%02d", d->year, d->month);
    return arena_printf(a, "%04d", d->year);
}

/* ---- collecting events ---- */

static int64_t date_key(const EventDate *d)
{
    return (int64_t)d->year * 10000 + d->month * 100 + d->day;
}

static int same_date(const EventDate *a, const EventDate *b)
{
    return date_key(a) == date_key(b) && a->precision == b->precision;
}

static int within_a_week(const EventDate *a, const EventDate *b)
{
    if (a->precision != DATE_DAY || b->precision != DATE_DAY)
        return 0;
    return llabs(time_days_from_civil(a->year, (unsigned)a->month, (unsigned)a->day) -
                 time_days_from_civil(b->year, (unsigned)b->month, (unsigned)b->day)) <= 7;
}

static int cmp_support(const void *pa, const void *pb)
{
    const TimelineItem *a = pa, *b = pb;
    if (a->support != b->support)
        return a->support > b->support ? -1 : 1;
    if (a->date.precision != b->date.precision)
        return a->date.precision > b->date.precision ? -1 : 1;
    if (a->wording != b->wording)
        return a->wording > b->wording ? -1 : 1;
    if (a->member != b->member)
        return a->member < b->member ? -1 : 1;
    return a->sentence < b->sentence ? -1 : a->sentence > b->sentence;
}

static int cmp_date(const void *pa, const void *pb)
{
    const TimelineItem *a = pa, *b = pb;
    int64_t ka = date_key(&a->date), kb = date_key(&b->date);
    if (ka != kb)
        return ka < kb ? -1 : 1;
    if (a->member != b->member)
        return a->member < b->member ? -1 : 1;
    return a->sentence < b->sentence ? -1 : a->sentence > b->sentence;
}

/* How well a sentence stands alone as an event: each capitalised word
 * after the first (a name: "the Belmont Civic Gallery") counts for it,
 * each third-person pronoun ("cut the canvas from its frame") against. */
static int wording_of(const char *s)
{
    Tok toks[MAX_TOKENS];
    size_t n = tokenize(s, toks, MAX_TOKENS);
    static const char *const pronouns[] = {"it", "its", "he", "she", "his", "her", "him",
                                           "they", "their", "them", "this", "these", NULL};
    int score = 0;
    for (size_t i = 0; i < n; i++) {
        if (tok_in(&toks[i], pronouns))
            score -= 2;
        else if (i > 0 && toks[i].cap && month_of(&toks[i]) == 0 && weekday_of(&toks[i]) < 0)
            score++;
    }
    return score;
}

static int usable_sentence(const DocSentence *ds)
{
    return !(ds->flags & (SENT_BOILERPLATE | SENT_QUESTION | SENT_DANGLING | SENT_QUOTE)) && ds->n_words >= 6 &&
           ds->n_words <= 50;
}

size_t timeline_collect(Arena *a, const WriterInput *in, size_t max, TimelineItem **out)
{
    *out = NULL;
    if (!in || !in->n_members || !max)
        return 0;
    size_t cap = 64, n = 0;
    TimelineItem *items = ARENA_ARRAY(a, TimelineItem, cap);
    for (size_t m = 0; m < in->n_members; m++) {
        const Doc *doc = in->members[m].doc;
        if (!doc || !doc->lang || strcmp(doc->lang, "en") != 0)
            continue;
        int64_t pub = doc->article ? doc->article->published : 0;
        int taken = 0;
        for (size_t s = 0; s < doc->n_sentences && taken < PER_MEMBER && n < MAX_ITEMS; s++) {
            const DocSentence *ds = &doc->sentences[s];
            EventDate d;
            if (!usable_sentence(ds) || !timeline_find_date(ds->text, pub, &d))
                continue;
            taken++;
            /* the same event already found in an earlier sentence? */
            int dup = 0;
            for (size_t k = 0; k < n && !dup; k++) {
                const DocSentence *other = &in->members[items[k].member].doc->sentences[items[k].sentence];
                double cos = termvec_cosine(&ds->terms, &other->terms);
                if ((same_date(&d, &items[k].date) && cos >= SAME_EVENT_COSINE) ||
                    (within_a_week(&d, &items[k].date) && cos >= NEAR_EVENT_COSINE) || cos >= SAME_TEXT_COSINE) {
                    dup = 1;
                    if (items[k].member != (int)m)
                        items[k].support++;
                    /* the more precise date stands */
                    if (d.precision > items[k].date.precision)
                        items[k].date = d;
                }
            }
            if (dup)
                continue;
            if (n == cap) {
                items = arena_grow(a, items, cap, cap * 2, sizeof *items);
                cap *= 2;
            }
            items[n++] = (TimelineItem){(int)m, (uint32_t)s, d, 1, wording_of(ds->text)};
        }
    }
    qsort(items, n, sizeof *items, cmp_support);
    /* the best supported (then the best worded) first, at most PER_DATE of
     * one day and one of a bare year or month: two events known only by
     * their year are most often one event told twice ("stolen in 1998",
     * "broke in ... in 1998"), and a year cannot order them anyway */
    size_t kept = 0;
    for (size_t i = 0; i < n && kept < max; i++) {
        int same = 0;
        for (size_t k = 0; k < kept; k++)
            same += same_date(&items[k].date, &items[i].date);
        if (same < (items[i].date.precision == DATE_DAY ? PER_DATE : 1))
            items[kept++] = items[i];
    }
    n = kept;
    qsort(items, n, sizeof *items, cmp_date);
    *out = items;
    return n;
}
