/* buf.c - growable buffer and the escaping writers built on it. */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "err.h"
#include "timeutil.h"
#include "utf8util.h"

void buf_reserve(Buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
    b->data[b->len] = '\0'; /* the buffer is a C string from its first byte on */
}

void buf_append(Buf *b, const void *p, size_t n)
{
    buf_reserve(b, n);
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void buf_puts(Buf *b, const char *s)
{
    buf_append(b, s, strlen(s));
}

void buf_putc(Buf *b, char c)
{
    buf_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

void buf_printf(Buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        buf_append(b, small, (size_t)n);
        return;
    }
    buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void buf_reset(Buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void buf_free(Buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *buf_detach(Buf *b)
{
    buf_reserve(b, 0);
    char *s = b->data;
    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}

const char *buf_cstr(Buf *b)
{
    return b->data ? b->data : "";
}

size_t buf_utf8_char(Buf *b, const char *s, size_t n)
{
    size_t len = utf8_seq_len(s, n);
    if (len == 0) {
        buf_append(b, "\xEF\xBF\xBD", 3);
        return 1;
    }
    buf_append(b, s, len);
    return len;
}

void buf_json_time(Buf *b, int64_t t)
{
    if (!t) {
        buf_append(b, "null", 4);
        return;
    }
    char s[40];
    time_format_rfc3339(t, s, sizeof s);
    buf_json_cstr(b, s);
}

/* 1 for the bytes buf_json_str copies as they are (printable ASCII other
 * than " \\ < > &). */
static const unsigned char json_plain[256] = {
    [' '] = 1, ['!'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1, ['\''] = 1, ['('] = 1, [')'] = 1,
    ['*'] = 1, ['+'] = 1, [','] = 1, ['-'] = 1, ['.'] = 1, ['/'] = 1, ['0'] = 1, ['1'] = 1,
    ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
    [':'] = 1, [';'] = 1, ['='] = 1, ['?'] = 1, ['@'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1,
    ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1,
    ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1,
    ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['['] = 1,
    [']'] = 1, ['^'] = 1, ['_'] = 1, ['`'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1,
    ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
    ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1,
    ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1, ['{'] = 1, ['|'] = 1,
    ['}'] = 1, ['~'] = 1,
};

/* The length of the prefix of s that JSON output copies as it is:
 * json_plain bytes and well-formed UTF-8 sequences. With SSE2, sixteen
 * bytes are tested at a time for anything else (a byte below 0x20 or of
 * 0x80 and above, as a signed byte below 0x20; 0x7F; " \ < > &). */
static size_t json_plain_run(const char *s, size_t n)
{
    size_t i = 0;
    for (;;) {
#ifdef __SSE2__
        const __m128i space = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7F), quot = _mm_set1_epi8('"'),
                      bsl = _mm_set1_epi8('\\'), lt = _mm_set1_epi8('<'), gt = _mm_set1_epi8('>'),
                      amp = _mm_set1_epi8('&');
        while (i + 16 <= n) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            __m128i bad = _mm_or_si128(_mm_cmplt_epi8(v, space), _mm_cmpeq_epi8(v, del));
            bad = _mm_or_si128(bad, _mm_or_si128(_mm_cmpeq_epi8(v, quot), _mm_cmpeq_epi8(v, bsl)));
            bad = _mm_or_si128(bad, _mm_or_si128(_mm_cmpeq_epi8(v, lt), _mm_cmpeq_epi8(v, gt)));
            bad = _mm_or_si128(bad, _mm_cmpeq_epi8(v, amp));
            int m = _mm_movemask_epi8(bad);
            if (m) {
                i += (size_t)__builtin_ctz((unsigned)m);
                break;
            }
            i += 16;
        }
#endif
        while (i < n && json_plain[(unsigned char)s[i]])
            i++;
        if (i >= n || (unsigned char)s[i] < 0x80)
            return i;
        size_t len = utf8_seq_len(s + i, n - i);
        if (!len)
            return i;
        i += len;
    }
}

void buf_json_str(Buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    buf_putc(b, '"');
    buf_reserve(b, n + 2);
    size_t i = 0;
    while (i < n) {
        /* copy a run of characters that need no escaping in one step */
        size_t run = json_plain_run(s + i, n - i);
        if (run) {
            buf_append(b, s + i, run);
            i += run;
            continue;
        }
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            buf_append(b, "\xEF\xBF\xBD", 3); /* not UTF-8: U+FFFD */
            i++;
            continue;
        }
        switch (c) {
        case '"': buf_append(b, "\\\"", 2); break;
        case '\\': buf_append(b, "\\\\", 2); break;
        case '\n': buf_append(b, "\\n", 2); break;
        case '\r': buf_append(b, "\\r", 2); break;
        case '\t': buf_append(b, "\\t", 2); break;
        default:
            if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x7f) {
                char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                buf_append(b, esc, 6);
            } else {
                buf_putc(b, (char)c);
            }
        }
        i++;
    }
    buf_putc(b, '"');
}

void buf_json_cstr(Buf *b, const char *s)
{
    if (!s)
        buf_append(b, "null", 4);
    else
        buf_json_str(b, s, strlen(s));
}

void buf_html(Buf *b, const char *s)
{
    if (!s)
        return;
    size_t n = strlen(s), i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            i += buf_utf8_char(b, s + i, n - i);
            continue;
        }
        switch (c) {
        case '&': buf_append(b, "&amp;", 5); break;
        case '<': buf_append(b, "&lt;", 4); break;
        case '>': buf_append(b, "&gt;", 4); break;
        case '"': buf_append(b, "&quot;", 6); break;
        case '\'': buf_append(b, "&#39;", 5); break;
        default:
            if (c >= 0x20 && c != 0x7f)
                buf_putc(b, (char)c);
            else if (c == '\n' || c == '\t')
                buf_putc(b, (char)c);
        }
        i++;
    }
}
