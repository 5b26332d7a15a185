/* buf.h - a growable byte buffer, always NUL-terminated.
 *
 * The one place strings are built: renderers, JSON writers, SQL helpers.
 * A zero-initialised Buf is empty and valid; buf_free releases it. */
#ifndef SW_BUF_H
#define SW_BUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct Buf {
    char *data; /* NUL-terminated when len > 0 or after any append */
    size_t len;
    size_t cap;
} Buf;

void buf_reserve(Buf *b, size_t extra);
void buf_append(Buf *b, const void *p, size_t n);
void buf_puts(Buf *b, const char *s);
void buf_putc(Buf *b, char c);
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(Buf *b);       /* len = 0, keeps memory */
void buf_free(Buf *b);        /* releases memory, leaves an empty Buf */
char *buf_detach(Buf *b);     /* returns the heap string (caller frees), leaves an empty Buf */
const char *buf_cstr(Buf *b); /* "" for an empty Buf, never NULL */

/* Appends s (n bytes) as a JSON string literal with quotes. Invalid UTF-8
 * bytes become U+FFFD; control characters and '<' '>' '&' are \u-escaped so
 * the output is also safe to embed in HTML. */
void buf_json_str(Buf *b, const char *s, size_t n);
/* Same for a NUL-terminated string; NULL writes `null`. */
void buf_json_cstr(Buf *b, const char *s);

/* Appends the UTF-8 sequence at s (n bytes available), or U+FFFD when
 * the bytes there are not valid UTF-8; returns how many bytes it used (at
 * least 1). The one place invalid input is replaced on output. */
size_t buf_utf8_char(Buf *b, const char *s, size_t n);

/* Appends a time as a JSON RFC 3339 string, or `null` for 0 (unknown). */
void buf_json_time(Buf *b, int64_t t);

/* Appends s escaped for HTML text and attribute values (& < > " '). Invalid
 * UTF-8 becomes U+FFFD and control characters other than \n \t are dropped. */
void buf_html(Buf *b, const char *s);

#endif
