/* feed_enc.c - bringing a feed's bytes to UTF-8.
 *
 * Order of authority (RFC 7303 and what browsers do): a byte order mark,
 * then the HTTP charset, then the XML declaration, else UTF-8. Two
 * mislabellings are common enough in the wild to repair: a document
 * labelled Latin-1/Windows-1252 that is in fact valid UTF-8 (read as
 * UTF-8), and a document labelled UTF-8 with stray Windows-1252 bytes
 * (each invalid byte read as Windows-1252). ISO-8859-1 is read as
 * Windows-1252, its superset, as browsers do. */
#include <errno.h>
#include <stdint.h>
#include <iconv.h>
#include <string.h>
#include <strings.h>

#include "../core/utf8util.h"
#include "feed_internal.h"

static const uint16_t cp1252_high[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x192, 0x201E, 0x2026, 0x2020, 0x2021, 0x2C6, 0x2030, 0x160,
    0x2039, 0x152, 0xFFFD, 0x17D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x2DC, 0x2122, 0x161, 0x203A, 0x153, 0xFFFD, 0x17E, 0x178};

static void put_1252(Buf *out, unsigned char c)
{
    uint32_t cp = c < 0x80 ? c : c < 0xA0 ? cp1252_high[c - 0x80] : c;
    char enc[4];
    buf_append(out, enc, utf8_encode(cp, enc));
}

/* UTF-8 with each invalid byte taken as Windows-1252 and NULs dropped. */
static void repair_utf8(const char *s, size_t n, Buf *out)
{
    buf_reserve(out, n + n / 8);
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        while (run < n && (unsigned char)s[run] < 0x80 && s[run])
            run++;
        buf_append(out, s + i, run - i);
        i = run;
        if (i >= n)
            break;
        if (!s[i]) {
            i++;
            continue;
        }
        size_t len = utf8_seq_len(s + i, n - i);
        if (len) {
            buf_append(out, s + i, len);
            i += len;
        } else {
            put_1252(out, (unsigned char)s[i]);
            i++;
        }
    }
}

/* The encoding="..." of an XML declaration at the start of s, into name. */
static int declared_charset(const char *s, size_t n, char *name, size_t cap)
{
    if (n < 6 || memcmp(s, "<?xml", 5) != 0)
        return 0;
    const char *end = memmem(s, n < 512 ? n : 512, "?>", 2);
    if (!end)
        return 0;
    const char *e = memmem(s, (size_t)(end - s), "encoding", 8);
    if (!e)
        return 0;
    e += 8;
    while (e < end && (*e == ' ' || *e == '='))
        e++;
    if (e >= end || (*e != '"' && *e != '\''))
        return 0;
    char q = *e++;
    size_t k = 0;
    while (e < end && *e != q && k + 1 < cap)
        name[k++] = *e++;
    name[k] = 0;
    return k > 0;
}

static int is_utf8_name(const char *cs)
{
    return strcasecmp(cs, "utf-8") == 0 || strcasecmp(cs, "utf8") == 0 ||
           strcasecmp(cs, "us-ascii") == 0 || strcasecmp(cs, "ascii") == 0;
}

static int is_latin1_name(const char *cs)
{
    return strcasecmp(cs, "iso-8859-1") == 0 || strcasecmp(cs, "latin1") == 0 ||
           strcasecmp(cs, "iso8859-1") == 0 || strcasecmp(cs, "windows-1252") == 0 ||
           strcasecmp(cs, "cp1252") == 0 || strcasecmp(cs, "iso_8859-1") == 0;
}

static void latin1_to_utf8(const char *s, size_t n, Buf *out)
{
    buf_reserve(out, n + n / 4);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if (c)
                buf_putc(out, (char)c);
        } else {
            put_1252(out, c);
        }
    }
}

/* Converts with iconv; an undecodable byte becomes U+FFFD. 0, or -1 when
 * iconv does not know the charset. */
static int iconv_to_utf8(const char *cs, const char *s, size_t n, Buf *out)
{
    iconv_t cd = iconv_open("UTF-8", cs);
    if (cd == (iconv_t)-1)
        return -1;
    char *in = (char *)s;
    size_t inleft = n;
    buf_reserve(out, n * 2 + 16);
    while (inleft > 0) {
        if (out->cap - out->len < 64)
            buf_reserve(out, out->cap);
        char *o = out->data + out->len;
        size_t oleft = out->cap - out->len - 1;
        size_t r = iconv(cd, &in, &inleft, &o, &oleft);
        out->len = (size_t)(o - out->data);
        out->data[out->len] = 0;
        if (r == (size_t)-1) {
            if (errno == E2BIG) {
                buf_reserve(out, out->cap);
            } else {
                /* EILSEQ or EINVAL (truncated at the end): skip a byte */
                buf_append(out, "\xEF\xBF\xBD", 3);
                in++;
                inleft--;
                iconv(cd, NULL, NULL, NULL, NULL);
            }
        }
    }
    iconv_close(cd);
    return 0;
}

/* Valid UTF-8 without NUL bytes (they are dropped by the repair). */
static int valid_utf8(const char *s, size_t n)
{
    return !memchr(s, 0, n) && utf8_valid(s, n);
}

static int has_multibyte_utf8(const char *s, size_t n)
{
    int multi = 0;
    for (size_t i = 0; i < n;) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        size_t len = utf8_seq_len(s + i, n - i);
        if (!len)
            return 0;
        multi = 1;
        i += len;
    }
    return multi;
}

void feed_to_utf8(const char *data, size_t len, const char *http_charset, Buf *conv,
                  const char **out_s, size_t *out_n, const char **charset)
{
    const unsigned char *u = (const unsigned char *)data;
    const char *utf16 = NULL;
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        data += 3;
        len -= 3;
        http_charset = "utf-8";
    } else if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
        utf16 = "UTF-16LE";
        data += 2;
        len -= 2;
    } else if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
        utf16 = "UTF-16BE";
        data += 2;
        len -= 2;
    } else if (len >= 4 && u[0] == '<' && u[1] == 0 && u[2] != 0 && u[3] == 0) {
        utf16 = "UTF-16LE";
    } else if (len >= 4 && u[0] == 0 && u[1] == '<' && u[2] == 0 && u[3] != 0) {
        utf16 = "UTF-16BE";
    }
    if (utf16) {
        buf_reset(conv);
        iconv_to_utf8(utf16, data, len, conv);
        *out_s = conv->data ? conv->data : "";
        *out_n = conv->len;
        *charset = utf16;
        return;
    }
    char decl[64];
    const char *cs = http_charset && *http_charset ? http_charset
                     : declared_charset(data, len, decl, sizeof decl) ? decl : "utf-8";
    if (!is_utf8_name(cs) && is_latin1_name(cs) && has_multibyte_utf8(data, len))
        cs = "utf-8"; /* labelled Latin-1, written in UTF-8 */
    if (is_utf8_name(cs)) {
        *charset = "UTF-8";
        if (valid_utf8(data, len)) {
            *out_s = data;
            *out_n = len;
            return;
        }
        buf_reset(conv);
        repair_utf8(data, len, conv);
    } else if (is_latin1_name(cs)) {
        *charset = "WINDOWS-1252";
        buf_reset(conv);
        latin1_to_utf8(data, len, conv);
    } else {
        buf_reset(conv);
        if (iconv_to_utf8(cs, data, len, conv) == 0) {
            *charset = "declared";
            /* iconv output is UTF-8, but NULs from the input stay out */
            if (conv->len && memchr(conv->data, 0, conv->len)) {
                Buf clean = {0};
                repair_utf8(conv->data, conv->len, &clean);
                buf_free(conv);
                *conv = clean;
            }
        } else {
            *charset = "UTF-8 (unknown declared charset)";
            repair_utf8(data, len, conv);
        }
    }
    if (!conv->data)
        buf_puts(conv, "");
    *out_s = conv->data;
    *out_n = conv->len;
}
