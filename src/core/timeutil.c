/* timeutil.c - date parsing without the C library's locale- and
 * timezone-dependent functions (strptime, mktime), so results do not
 * depend on the environment. */
#include "timeutil.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    /* Howard Hinnant's days_from_civil */
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (*m <= 2));
}

static int digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return -1;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

static int valid_ymd(int y, int m, int d)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return y >= 1000 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1];
}

static int64_t make_time(int y, int mo, int d, int h, int mi, int s, int offset_min)
{
    return time_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + s -
           (int64_t)offset_min * 60;
}

static void skip_spaces(const char **p)
{
    while (**p == ' ' || **p == '\t')
        (*p)++;
}

/* "Z", "+hh:mm", "+hhmm", "+hh", or nothing (UTC). */
static int parse_offset(const char **p, int *offset)
{
    *offset = 0;
    skip_spaces(p);
    if (**p == 'Z' || **p == 'z') {
        (*p)++;
        return 0;
    }
    if (**p != '+' && **p != '-')
        return 0;
    int sign = **p == '-' ? -1 : 1;
    (*p)++;
    int hh, mm = 0;
    if (digits(p, 2, &hh))
        return -1;
    if (**p == ':')
        (*p)++;
    if (isdigit((unsigned char)**p) && digits(p, 2, &mm))
        return -1;
    if (hh > 23 || mm > 59)
        return -1;
    *offset = sign * (hh * 60 + mm);
    return 0;
}

static int zone_word(const char *w, size_t n, int *minutes);

static int parse_iso(const char *s, int64_t *out)
{
    const char *p = s;
    int y, mo, d, h = 0, mi = 0, sec = 0, off = 0;
    if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' || digits(&p, 2, &d))
        return -1;
    if (!valid_ymd(y, mo, d))
        return -1;
    if (*p == 'T' || *p == 't' || (*p == ' ' && isdigit((unsigned char)p[1]))) {
        p++;
        if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
            return -1;
        if (*p == ':') {
            p++;
            if (digits(&p, 2, &sec))
                return -1;
            if (*p == '.' || *p == ',') {
                p++;
                while (isdigit((unsigned char)*p))
                    p++;
            }
        }
        if (h > 23 || mi > 59 || sec > 60)
            return -1;
        if (sec == 60)
            sec = 59;
        if (parse_offset(&p, &off))
            return -1;
        skip_spaces(&p);
        /* "2014-07-06 12:56:00 UTC" */
        const char *z = p;
        while (isalpha((unsigned char)*p))
            p++;
        if (p > z && !zone_word(z, (size_t)(p - z), &off))
            return -1;
    }
    skip_spaces(&p);
    if (*p)
        return -1;
    *out = make_time(y, mo, d, h, mi, sec, off);
    return 0;
}

static const char *const month_names[12] = {"jan", "feb", "mar", "apr", "may", "jun",
                                            "jul", "aug", "sep", "oct", "nov", "dec"};

static int english_month(const char *w)
{
    char l0 = (char)(w[0] | 0x20), l1 = (char)(w[1] | 0x20), l2 = (char)(w[2] | 0x20);
    for (int i = 0; i < 12; i++)
        if (month_names[i][0] == l0 && month_names[i][1] == l1 && month_names[i][2] == l2)
            return i + 1;
    return 0;
}

/* A month word: English abbreviations and full names ("Jul", "July",
 * "Sept"), plus the German and French spellings feeds from those
 * countries use ("Mär", "Mai", "Okt", "Dez", "juil", "déc"). */
static int month_word(const char *w, size_t n)
{
    static const struct { const char *name; int month; } extra[] = {
        {"m\xC3\xA4r", 3}, {"mrz", 3}, {"mai", 5}, {"okt", 10}, {"dez", 12}, {"janv", 1},
        {"f\xC3\xA9vr", 2}, {"fevr", 2}, {"avr", 4}, {"juin", 6}, {"juil", 7}, {"ao\xC3\xBBt", 8},
        {"d\xC3\xA9" "c", 12}, {"sept", 9},
    };
    if ((unsigned char)w[0] < 0x80 && n >= 3 && (n == 3 || n > 4 || (n == 4 && (w[3] | 0x20) == 't'))) {
        /* the common case: an English abbreviation or full name */
        int m = english_month(w);
        if (m)
            return m;
    }
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++) {
        size_t l = strlen(extra[i].name);
        if (n >= l && strncasecmp(w, extra[i].name, l) == 0 && (n == l || n > 4))
            return extra[i].month;
    }
    if (n < 3)
        return 0;
    char l0 = (char)(w[0] | 0x20), l1 = (char)(w[1] | 0x20), l2 = (char)(w[2] | 0x20);
    for (int i = 0; i < 12; i++)
        if (month_names[i][0] == l0 && month_names[i][1] == l1 && month_names[i][2] == l2)
            return i + 1;
    return 0;
}

static int weekday_word(const char *w, size_t n)
{
    static const char *const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    static const char *const german[] = {"mo", "di", "mi", "do", "fr", "sa", "so"};
    if (n == 2)
        for (int i = 0; i < 7; i++)
            if (strncasecmp(w, german[i], 2) == 0)
                return 1;
    if (n < 2)
        return 0;
    for (int i = 0; i < 7; i++)
        if (strncasecmp(w, days[i], n < 3 ? n : 3) == 0)
            return 1;
    return 0;
}

static const struct { const char *name; int minutes; } zones[] = {
    {"UT", 0}, {"UTC", 0}, {"GMT", 0}, {"Z", 0}, {"WET", 0},
    {"EST", -300}, {"EDT", -240}, {"CST", -360}, {"CDT", -300},
    {"MST", -420}, {"MDT", -360}, {"PST", -480}, {"PDT", -420},
    {"AKST", -540}, {"AKDT", -480}, {"HST", -600}, {"AST", -240}, {"ADT", -180},
    {"BST", 60}, {"CET", 60}, {"CEST", 120}, {"MET", 60}, {"MEST", 120}, {"WEST", 60},
    {"EET", 120}, {"EEST", 180}, {"MSK", 180}, {"IST", 330}, {"SGT", 480}, {"HKT", 480},
    {"JST", 540}, {"KST", 540}, {"AEST", 600}, {"AEDT", 660}, {"ACST", 570}, {"AWST", 480},
    {"NZST", 720}, {"NZDT", 780}, {"BRT", -180}, {"ART", -180},
};

static int zone_word(const char *w, size_t n, int *minutes)
{
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
        if (strlen(zones[i].name) == n && strncasecmp(w, zones[i].name, n) == 0) {
            *minutes = zones[i].minutes;
            return 1;
        }
    return 0;
}

/* "+hhmm", "+hh:mm", "+h", "+hh" at p (sign included); returns the bytes
 * used, 0 when it is not an offset. */
static size_t offset_token(const char *p, int *minutes)
{
    if (*p != '+' && *p != '-')
        return 0;
    int sign = *p == '-' ? -1 : 1;
    const char *q = p + 1;
    int nd = 0, v = 0;
    while (isdigit((unsigned char)q[nd]) && nd < 4)
        v = v * 10 + (q[nd] - '0'), nd++;
    if (!nd || isdigit((unsigned char)q[nd]))
        return 0;
    int hh, mm = 0;
    size_t used = 1 + (size_t)nd;
    if (nd <= 2) {
        hh = v;
        if (q[nd] == ':' && isdigit((unsigned char)q[nd + 1]) && isdigit((unsigned char)q[nd + 2])) {
            mm = (q[nd + 1] - '0') * 10 + (q[nd + 2] - '0');
            used += 3;
        }
    } else if (nd == 4) {
        hh = v / 100;
        mm = v % 100;
    } else {
        return 0;
    }
    if (hh > 23 || mm > 59)
        return 0;
    *minutes = sign * (hh * 60 + mm);
    return used;
}

/* RFC 822/1123 and the variants feeds write, read as tokens in any
 * sensible order: "[Day,] DD Mon YYYY HH:MM[:SS] [zone]", RFC 850
 * "Sunday, 06-Jul-14", month first ("Jul 6, 2014 ..."), asctime
 * ("Sun Jul  6 12:56:00 2014"), JavaScript's Date string ("... GMT+0200
 * (CEST)"), full names, AM/PM, one-digit offsets, a comment in
 * parentheses. Unknown zone names are read as UTC, as most readers do;
 * any other unknown word makes the text no date. */
static int parse_rfc822(const char *s, int64_t *out)
{
    const char *p = s;
    int day = 0, month = 0, year = -1, year_digits = 0;
    int h = -1, mi = 0, sec = 0, off = 0, have_zone = 0, pm = -1;
    while (*p) {
        unsigned char c = (unsigned char)*p;
        if (c == ' ' || c == '\t' || c == ',' || c == '.' || c == '\r' || c == '\n') {
            p++;
        } else if (c == '(') {
            const char *e = strchr(p, ')');
            if (!e)
                return -1;
            p = e + 1;
        } else if ((c == '+' || c == '-') && h >= 0) {
            int m;
            size_t used = offset_token(p, &m);
            if (!used)
                return -1;
            off = m;
            have_zone = 1;
            p += used;
        } else if (c == '-' || c == '/') {
            p++; /* a date separator: 06-Jul-2014 */
        } else if (isdigit(c)) {
            const char *q = p;
            int v = 0, nd = 0;
            while (isdigit((unsigned char)*q) && nd < 5)
                v = v * 10 + (*q++ - '0'), nd++;
            if (isdigit((unsigned char)*q))
                return -1;
            if (*q == ':' && h < 0) {
                /* a time: H:MM[:SS] */
                if (nd > 2)
                    return -1;
                h = v;
                q++;
                if (digits(&q, 2, &mi))
                    return -1;
                if (*q == ':') {
                    q++;
                    if (digits(&q, 2, &sec))
                        return -1;
                    if (*q == '.' || *q == ',') /* fractions */
                        for (q++; isdigit((unsigned char)*q); q++)
                            ;
                }
                p = q;
                continue;
            }
            if (nd == 4 && year < 0) {
                year = v;
                year_digits = 4;
            } else if (nd <= 2 && !day && v >= 1) {
                day = v;
            } else if (nd <= 2 && year < 0) {
                year = v;
                year_digits = 2;
            } else {
                return -1;
            }
            p = q;
        } else if (isalpha(c) || c >= 0x80) {
            const char *w = p;
            while (isalpha((unsigned char)*p) || (unsigned char)*p >= 0x80)
                p++;
            size_t n = (size_t)(p - w);
            int m;
            if (!month && month_word(w, n) && h < 0) {
                month = month_word(w, n);
            } else if (h >= 0 && n == 2 && (strncasecmp(w, "am", 2) == 0 || strncasecmp(w, "pm", 2) == 0)) {
                pm = (w[0] | 0x20) == 'p';
            } else if (h >= 0 && zone_word(w, n, &m)) {
                off = m;
                have_zone = 1;
            } else if (h < 0 && !day && weekday_word(w, n)) {
                /* the day name: ignored */
            } else if (h < 0 && (n == 1 && (*w == 'T' || *w == 't'))) {
                /* "T" between date and time */
            } else if (h >= 0 && !have_zone && n <= 5) {
                have_zone = 1; /* an unknown zone name: UTC */
            } else {
                return -1;
            }
        } else {
            return -1;
        }
    }
    if (!day || !month || year < 0)
        return -1;
    if (year_digits == 2)
        year += year < 70 ? 2000 : 1900;
    if (!valid_ymd(year, month, day))
        return -1;
    if (h < 0)
        h = 0;
    if (pm >= 0) {
        if (h < 1 || h > 12)
            return -1;
        h = h % 12 + (pm ? 12 : 0);
    }
    if (h > 23 || mi > 59 || sec > 60)
        return -1;
    if (sec == 60)
        sec = 59;
    *out = make_time(year, month, day, h, mi, sec, off);
    return 0;
}

int time_parse(const char *s, int64_t *out)
{
    if (!s)
        return -1;
    while (*s == ' ' || *s == '\t')
        s++;
    if (!*s)
        return -1;
    /* all digits (optionally a fraction): Unix seconds */
    const char *p = s;
    while (isdigit((unsigned char)*p))
        p++;
    size_t nd = (size_t)(p - s);
    int fraction_only = 0; /* "1772619600.5", not "06. Dez 2014" */
    if (*p == '.' && isdigit((unsigned char)p[1])) {
        const char *f = p + 1;
        while (isdigit((unsigned char)*f))
            f++;
        fraction_only = *f == '\0';
    }
    if (nd >= 1 && nd <= 12 && (*p == '\0' || fraction_only)) {
        int64_t v = 0;
        for (const char *q = s; q < p; q++)
            v = v * 10 + (*q - '0');
        if (v >= TIME_MAX_UNIX)
            return -1; /* past the year 9999, which RFC 3339 cannot write */
        *out = v;
        return 0;
    }
    if (nd == 13 && *p == '\0') {
        /* Unix milliseconds, as JavaScript writes them */
        int64_t v = 0;
        for (const char *q = s; q < p; q++)
            v = v * 10 + (*q - '0');
        if (v / 1000 >= TIME_MAX_UNIX)
            return -1;
        *out = v / 1000;
        return 0;
    }
    if (nd == 4 && *p == '-')
        return parse_iso(s, out);
    return parse_rfc822(s, out);
}

void time_format_rfc3339(int64_t t, char *out, size_t n)
{
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t rem = t - days * 86400;
    int y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999 || n < 21) {
        snprintf(out, n, "%04d-%02u-%02uT%02d:%02d:%02dZ", y, m, d, (int)(rem / 3600),
                 (int)(rem / 60 % 60), (int)(rem % 60));
        return;
    }
    /* by hand: every item of every feed is written with its dates */
    int parts[6] = {y, (int)m, (int)d, (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60)};
    char *o = out;
    *o++ = (char)('0' + parts[0] / 1000);
    *o++ = (char)('0' + parts[0] / 100 % 10);
    *o++ = (char)('0' + parts[0] / 10 % 10);
    *o++ = (char)('0' + parts[0] % 10);
    static const char seps[] = "--T::Z";
    for (int i = 1; i < 6; i++) {
        *o++ = seps[i - 1];
        *o++ = (char)('0' + parts[i] / 10);
        *o++ = (char)('0' + parts[i] % 10);
    }
    *o++ = 'Z';
    *o = 0;
}

void time_format_http(int64_t t, char *out, size_t n)
{
    static const char *wd[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    static const char *mn[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t rem = t - days * 86400;
    int y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    int64_t w = days % 7;
    if (w < 0)
        w += 7;
    snprintf(out, n, "%s, %02u %s %04d %02d:%02d:%02d GMT", wd[w], d, mn[m - 1], y,
             (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
}

void time_format_human(int64_t t, char *out, size_t n)
{
    static const char *mn[] = {"January", "February", "March",     "April",   "May",      "June",
                               "July",    "August",   "September", "October", "November", "December"};
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t rem = t - days * 86400;
    int y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(out, n, "%u %s %d, %02d:%02d UTC", d, mn[m - 1], y, (int)(rem / 3600),
             (int)(rem / 60 % 60));
}

int64_t time_now(void)
{
    return (int64_t)time(NULL);
}
