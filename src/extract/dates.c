/* dates.c - the dates news pages print, beyond RFC 3339 and RFC 822.
 *
 * time_parse (core/timeutil) handles machine formats; pages also carry
 * human ones in bylines and <meta> tags: "March 4, 2026", "4 March 2026
 * 10:20", "Mar. 4, 2026, 10:20 a.m. EST", "2026/03/04 10:20", "04.03.2026".
 * Numeric day/month order is ambiguous: dotted dates are read day first
 * (European use), slashed dates with the year first or last month first. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/timeutil.h"
#include "extract_internal.h"

static int month_from_word(const char *w, size_t n)
{
    static const char *const months[] = {"january", "february", "march", "april", "may", "june",
                                         "july", "august", "september", "october", "november",
                                         "december"};
    /* "Mar", "Sept", "March": a prefix of the name, three letters at least */
    if (n < 3)
        return 0;
    for (int i = 0; i < 12; i++)
        if (n <= strlen(months[i]) && strncasecmp(w, months[i], n) == 0)
            return i + 1;
    return 0;
}

/* Offset in seconds of a zone abbreviation, or -1 when unknown. */
static long zone_offset(const char *w, size_t n, int *known)
{
    static const struct { const char *name; long off; } zones[] = {
        {"utc", 0}, {"gmt", 0}, {"z", 0}, {"est", -5}, {"edt", -4}, {"cst", -6}, {"cdt", -5},
        {"mst", -7}, {"mdt", -6}, {"pst", -8}, {"pdt", -7}, {"bst", 1}, {"cet", 1}, {"cest", 2},
        {"et", -5}, {"pt", -8}, {"ist", 5}, {"aest", 10}, {"aedt", 11},
    };
    *known = 0;
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
        if (strlen(zones[i].name) == n && strncasecmp(w, zones[i].name, n) == 0) {
            *known = 1;
            return zones[i].off * 3600;
        }
    return 0;
}

typedef struct Tok {
    const char *s;
    size_t n;
    int digits; /* all digits */
} Tok;

#define MAX_TOKS 16

static int tokenize(const char *s, Tok *t)
{
    int k = 0;
    while (*s && k < MAX_TOKS) {
        while (*s && !isalnum((unsigned char)*s))
            s++;
        if (!*s)
            break;
        const char *b = s;
        int dig = isdigit((unsigned char)*s) != 0;
        while (*s && (dig ? isdigit((unsigned char)*s) : isalpha((unsigned char)*s)))
            s++;
        size_t len = (size_t)(s - b);
        /* "4th", "21st": the ordinal suffix is not a word of its own */
        if (!dig && len == 2 && k > 0 && t[k - 1].digits && t[k - 1].s + t[k - 1].n == b &&
            (strncasecmp(b, "st", 2) == 0 || strncasecmp(b, "nd", 2) == 0 ||
             strncasecmp(b, "rd", 2) == 0 || strncasecmp(b, "th", 2) == 0))
            continue;
        t[k].s = b;
        t[k].n = len;
        t[k].digits = dig;
        k++;
        /* "10:20" keeps its colon meaning: the caller sees two numbers. */
    }
    return k;
}

static long num(const Tok *t)
{
    return t->n <= 9 ? strtol(t->s, NULL, 10) : -1;
}

int extract_parse_date(const char *s, int64_t *out)
{
    if (!s)
        return -1;
    while (isspace((unsigned char)*s))
        s++;
    if (!*s)
        return -1;
    if (time_parse(s, out) == 0)
        return 0;
    Tok t[MAX_TOKS];
    int n = tokenize(s, t);
    long y = -1, m = 0, d = -1;
    int used[MAX_TOKS] = {0};
    /* Month name anywhere: the numbers around it are day and year. */
    for (int i = 0; i < n && !m; i++) {
        if (t[i].digits)
            continue;
        int mm = month_from_word(t[i].s, t[i].n);
        if (!mm || t[i].n > 9)
            continue;
        m = mm;
        used[i] = 1;
        /* "March 4, 2026" */
        if (i + 2 < n && t[i + 1].digits && t[i + 1].n <= 2 && t[i + 2].digits && t[i + 2].n == 4) {
            d = num(&t[i + 1]), y = num(&t[i + 2]);
            used[i + 1] = used[i + 2] = 1;
        } else if (i >= 1 && i + 1 < n && t[i - 1].digits && t[i - 1].n <= 2 && t[i + 1].digits &&
                   t[i + 1].n == 4) { /* "4 March 2026" */
            d = num(&t[i - 1]), y = num(&t[i + 1]);
            used[i - 1] = used[i + 1] = 1;
        } else if (i >= 2 && t[i - 2].digits && t[i - 2].n == 4 && t[i - 1].digits) {
            y = num(&t[i - 2]), d = num(&t[i - 1]); /* "2026 4 March" unusual */
            used[i - 2] = used[i - 1] = 1;
        } else if (i + 1 < n && t[i + 1].digits && t[i + 1].n <= 2) {
            d = num(&t[i + 1]); /* "March 4" without a year: unusable */
            used[i + 1] = 1;
        }
    }
    if (!m) {
        /* Numeric: the first three numbers. */
        int k = 0;
        while (k < n && !t[k].digits)
            k++;
        if (k + 2 >= n || !t[k + 1].digits || !t[k + 2].digits)
            return -1;
        const char *sep = t[k].s + t[k].n;
        if (t[k].n == 4) {
            y = num(&t[k]), m = num(&t[k + 1]), d = num(&t[k + 2]);
        } else if (t[k + 2].n == 4) {
            if (*sep == '.' || *sep == '-')
                d = num(&t[k]), m = num(&t[k + 1]);
            else
                m = num(&t[k]), d = num(&t[k + 1]);
            y = num(&t[k + 2]);
            if (m > 12 && d <= 12) {
                long x = m;
                m = d, d = x;
            }
        } else {
            return -1;
        }
        used[k] = used[k + 1] = used[k + 2] = 1;
    }
    if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    /* Time of day and zone: the first unused "H:MM" and what follows it. */
    long hh = 0, mi = 0, ss = 0, off = 0;
    for (int i = 0; i + 1 < n; i++) {
        if (used[i] || !t[i].digits || t[i].n > 2 || !t[i + 1].digits || t[i + 1].n != 2 ||
            t[i].s[t[i].n] != ':')
            continue;
        hh = num(&t[i]), mi = num(&t[i + 1]);
        int j = i + 2;
        if (j < n && t[j].digits && t[j].n == 2 && t[j - 1].s[t[j - 1].n] == ':')
            ss = num(&t[j++]);
        if (j < n && !t[j].digits) {
            /* "am" "pm" "a.m." */
            char c = (char)tolower((unsigned char)t[j].s[0]);
            if ((c == 'a' || c == 'p') && (t[j].n == 1 ? t[j].s[1] == '.' : t[j].n == 2)) {
                if (c == 'p' && hh < 12)
                    hh += 12;
                if (c == 'a' && hh == 12)
                    hh = 0;
                j++;
                if (t[j - 1].n == 1 && j < n && t[j].n == 1)
                    j++;
            }
        }
        if (j < n && !t[j].digits) {
            int known;
            long o = zone_offset(t[j].s, t[j].n, &known);
            if (known)
                off = o;
        }
        break;
    }
    if (hh > 23 || mi > 59 || ss > 60)
        hh = mi = ss = 0;
    *out = time_days_from_civil(y, (unsigned)m, (unsigned)d) * 86400 + hh * 3600 + mi * 60 + ss - off;
    return 0;
}
