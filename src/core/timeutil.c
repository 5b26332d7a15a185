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

void time_civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
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
    }
    skip_spaces(&p);
    if (*p)
        return -1;
    *out = make_time(y, mo, d, h, mi, sec, off);
    return 0;
}

static int month_index(const char *p)
{
    static const char *names[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                  "jul", "aug", "sep", "oct", "nov", "dec"};
    for (int i = 0; i < 12; i++)
        if (strncasecmp(p, names[i], 3) == 0)
            return i + 1;
    return 0;
}

static const struct { const char *name; int minutes; } zones[] = {
    {"UT", 0}, {"UTC", 0}, {"GMT", 0}, {"Z", 0},
    {"EST", -300}, {"EDT", -240}, {"CST", -360}, {"CDT", -300},
    {"MST", -420}, {"MDT", -360}, {"PST", -480}, {"PDT", -420},
    {"BST", 60}, {"CET", 60}, {"CEST", 120}, {"EET", 120}, {"EEST", 180},
    {"MSK", 180}, {"IST", 330}, {"JST", 540}, {"AEST", 600}, {"AEDT", 660},
};

/* "[Day,] DD Mon YYYY HH:MM[:SS] [zone]", tolerant of missing comma,
 * single-digit days, two-digit years and a missing time. */
static int parse_rfc822(const char *s, int64_t *out)
{
    const char *p = s;
    skip_spaces(&p);
    if (isalpha((unsigned char)*p)) {
        while (isalpha((unsigned char)*p))
            p++;
        if (*p == ',')
            p++;
        skip_spaces(&p);
    }
    int d = 0, n = 0;
    while (isdigit((unsigned char)*p) && n < 2) {
        d = d * 10 + (*p++ - '0');
        n++;
    }
    if (!n)
        return -1;
    skip_spaces(&p);
    if (*p == '-')
        p++;
    int mo = month_index(p);
    if (!mo)
        return -1;
    while (isalpha((unsigned char)*p))
        p++;
    if (*p == '.')
        p++;
    skip_spaces(&p);
    if (*p == '-')
        p++;
    int y = 0;
    n = 0;
    while (isdigit((unsigned char)*p) && n < 4) {
        y = y * 10 + (*p++ - '0');
        n++;
    }
    if (n == 2)
        y += y < 70 ? 2000 : 1900;
    else if (n != 4)
        return -1;
    if (!valid_ymd(y, mo, d))
        return -1;
    int h = 0, mi = 0, sec = 0, off = 0;
    skip_spaces(&p);
    if (isdigit((unsigned char)*p)) {
        int hn = 0;
        h = 0;
        while (isdigit((unsigned char)*p) && hn < 2) {
            h = h * 10 + (*p++ - '0');
            hn++;
        }
        if (*p++ != ':' || digits(&p, 2, &mi))
            return -1;
        if (*p == ':') {
            p++;
            if (digits(&p, 2, &sec))
                return -1;
        }
        if (h > 23 || mi > 59 || sec > 60)
            return -1;
        if (sec == 60)
            sec = 59;
        skip_spaces(&p);
        if (*p == '+' || *p == '-') {
            if (parse_offset(&p, &off))
                return -1;
        } else if (isalpha((unsigned char)*p)) {
            const char *z = p;
            while (isalpha((unsigned char)*p))
                p++;
            size_t zl = (size_t)(p - z);
            int found = 0;
            for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
                if (strlen(zones[i].name) == zl && strncasecmp(z, zones[i].name, zl) == 0) {
                    off = zones[i].minutes;
                    found = 1;
                }
            if (!found)
                off = 0; /* unknown zone names are read as UTC, as most readers do */
            if ((*p == '+' || *p == '-') && parse_offset(&p, &off))
                return -1;
        }
    }
    skip_spaces(&p);
    if (*p)
        return -1;
    *out = make_time(y, mo, d, h, mi, sec, off);
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
    if (nd >= 1 && nd <= 12 && (*p == '\0' || (*p == '.' && p[1]))) {
        if (*p == '.') {
            const char *f = p + 1;
            while (isdigit((unsigned char)*f))
                f++;
            if (*f)
                return -1;
        }
        int64_t v = 0;
        for (const char *q = s; q < p; q++)
            v = v * 10 + (*q - '0');
        if (v >= TIME_MAX_UNIX)
            return -1; /* past the year 9999, which RFC 3339 cannot write */
        *out = v;
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
    time_civil_from_days(days, &y, &m, &d);
    snprintf(out, n, "%04d-%02u-%02uT%02d:%02d:%02dZ", y, m, d, (int)(rem / 3600),
             (int)(rem / 60 % 60), (int)(rem % 60));
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
    time_civil_from_days(days, &y, &m, &d);
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
    time_civil_from_days(days, &y, &m, &d);
    snprintf(out, n, "%u %s %d, %02d:%02d UTC", d, mn[m - 1], y, (int)(rem / 3600),
             (int)(rem / 60 % 60));
}

int64_t time_now(void)
{
    return (int64_t)time(NULL);
}
