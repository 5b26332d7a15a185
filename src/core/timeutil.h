/* timeutil.h - the date formats news arrives in, to Unix seconds (UTC).
 *
 * Accepted: RFC 3339 / ISO 8601 ("2026-03-04T10:20:00Z", with offset, with
 * fractions, date only, space instead of T, a zone name after the time),
 * RFC 822/1123 ("Tue, 04 Mar 2026 10:20:00 GMT", named zones, numeric
 * offsets, two-digit years) and the variants feeds write: RFC 850
 * ("Sunday, 04-Mar-26"), month first ("Mar 4, 2026 10:20 AM"), asctime,
 * JavaScript's Date string ("GMT+0100 (CET)"), full and German/French
 * month names, AM/PM, a comment in parentheses; plain Unix seconds
 * ("1772619600") and milliseconds (13 digits). */
#ifndef SW_TIMEUTIL_H
#define SW_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

/* The first second of the year 10000: every time storywire keeps is
 * below it, so that it can be written as RFC 3339. */
#define TIME_MAX_UNIX 253402300800LL

/* 0 on success with *out set; -1 when the text is not a date we know. */
int time_parse(const char *s, int64_t *out);

/* Writes "2026-03-04T10:20:00Z" into out (at least 21 bytes). */
void time_format_rfc3339(int64_t t, char *out, size_t n);
/* Writes "Tue, 04 Mar 2026 10:20:00 GMT" (HTTP dates; at least 30 bytes). */
void time_format_http(int64_t t, char *out, size_t n);
/* Writes a reader's date: "4 March 2026, 10:20 UTC". */
void time_format_human(int64_t t, char *out, size_t n);

/* Days since 1970-01-01 for a civil date (proleptic Gregorian). */
int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d);

int64_t time_now(void);

#endif
