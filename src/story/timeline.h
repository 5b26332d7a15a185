/* timeline.h - dated events for a story page: member sentences that say
 * when something happened ("on 3 March", "on Tuesday", "in 2019"), with
 * the date resolved against the article's publication time.
 *
 * Date phrases are English (the timeline is built for English stories
 * only); a phrase next to a speech verb ("said on Tuesday") dates a
 * statement, not an event, and does not count. */
#ifndef SW_TIMELINE_H
#define SW_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#include "../core/arena.h"
#include "writer.h"

enum { DATE_YEAR = 1, DATE_MONTH = 2, DATE_DAY = 3 };

typedef struct EventDate {
    int year, month, day; /* month and day 0 when the precision is lower */
    int precision;        /* DATE_* */
} EventDate;

/* Finds the first dated-event phrase in an English sentence and resolves
 * it: a weekday to the latest such day on or before `published` (the next
 * one when the sentence speaks of the future: "will", "scheduled", "next
 * Tuesday"), a day and month without a year to the year that puts it
 * nearest to `published`, a month alone likewise. `published` is Unix
 * seconds, 0 when unknown (then only dates with a year count). Returns 1
 * and fills out when found, else 0. */
int timeline_find_date(const char *sentence, int64_t published, EventDate *out);

/* "2025-12-28", "2025-12", "2019" (arena). */
const char *timeline_date_string(Arena *a, const EventDate *d);

typedef struct TimelineItem {
    int member;          /* index into WriterInput.members */
    uint32_t sentence;   /* index into that member's sentences */
    EventDate date;
    int support;         /* how many members state the same event */
    int wording;         /* how well it stands alone: names count for, pronouns against */
} TimelineItem;

/* The story's dated events, at most `max`, one per event (a sentence that
 * repeats an event already listed, in any member, is left out), the ones
 * most members report kept first, at most two of one date, returned
 * oldest first. Fills *out
 * (arena) and returns the count. */
size_t timeline_collect(Arena *a, const WriterInput *in, size_t max, TimelineItem **out);

#endif
