/* render_util.h - helpers the renderers share (not part of the public
 * render.h contract): URL checks, slug paths, cleaned plain text, counts. */
#ifndef SW_RENDER_UTIL_H
#define SW_RENDER_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../story/page.h"

/* 1 when url starts with http:// or https:// (any case), has something
 * after the scheme and no control characters or spaces: only such URLs
 * are ever linked or used as image sources. */
int render_url_ok(const char *url);

/* Appends "/story/<slug>" with every byte outside [a-z0-9-] percent-encoded,
 * so a hostile slug cannot leave the path (or the attribute). */
void render_story_path(Buf *b, const char *slug);
/* Appends just the encoded slug (for "/api/stories/<slug>"). */
void render_slug(Buf *b, const char *slug);

/* Appends s as one line of plain text: invalid UTF-8 becomes U+FFFD, line
 * breaks and tabs become spaces, other control characters are dropped. */
void render_plain(Buf *b, const char *s);
/* The same for the first n bytes of s. */
void render_plain_n(Buf *b, const char *s, size_t n);

/* The source a sentence cites, or NULL when the index is out of range. */
const PageSource *render_source(const Page *p, int index);

/* Writes "2026-03-04T10:20:00Z" into out (at least 32 bytes); "" for 0. */
void render_rfc3339(int64_t t, char *out, size_t n);

/* The quote's closing punctuation before the attribution: "," normally, or
 * the quote's own "?" / "!"; *len receives the text length to print
 * (a final "." or "," is dropped so that it does not double up). */
const char *render_quote_close(const char *text, size_t *len);

/* The sentence of a background line as it follows "According to X, ":
 * its text, with an opening "The " lowered ("the European Union is ...").
 * Appended raw (the caller escapes it for its format). */
void render_background_body(Buf *b, const PageBackground *bg);

/* A timeline date for readers: "2025-12-28" -> "28 December 2025",
 * "2025-12" -> "December 2025", "2019" -> "2019"; anything else is
 * appended as it is (raw: the caller escapes). */
void render_event_date(Buf *b, const char *date);

/* The site's name, in titles, the header and the footer. */
#define RENDER_SITE_NAME "storywire"

/* Everything from the doctype to the opening of <main>: head (title and
 * description escaped here; extra_head is trusted markup such as feed or
 * robots links, or NULL), then the site header with its navigation and
 * search box. lang is an ISO code (anything else is written as "en"). */
void render_page_open(Buf *b, const char *lang, const char *title, const char *description,
                      const char *extra_head);
/* From the closing of <main> to the end of the document (the footer). */
void render_page_close(Buf *b);
/* <time datetime="2026-03-04T10:20:00Z">4 March 2026, 10:20 UTC</time> */
void render_html_time(Buf *b, int64_t t);

#endif
