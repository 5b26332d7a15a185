/* charset.c - which charset a page is in, and its text as UTF-8.
 *
 * Order of evidence, as browsers use it: a byte-order mark, the HTTP
 * Content-Type charset, a <meta charset> or <meta http-equiv> declaration
 * in the first 4 KB, then a guess. Declarations are often wrong, so two
 * checks overrule them: a page declared as a single-byte charset whose
 * bytes are valid UTF-8 with multi-byte sequences is UTF-8, and a page
 * declared UTF-8 whose bytes are mostly not is windows-1252. Conversion
 * goes through iconv; a byte that does not convert becomes U+FFFD. */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../core/utf8util.h"
#include "extract_internal.h"

#define PRESCAN_BYTES 4096

/* Copies a charset label (letters, digits, - _ . :) from s into out. */
static void copy_label(const char *s, const char *end, char *out, size_t n)
{
    size_t k = 0;
    while (s < end && (*s == ' ' || *s == '"' || *s == '\'' || *s == '='))
        s++;
    while (s < end && k + 1 < n && (isalnum((unsigned char)*s) || strchr("-_.:", *s)))
        out[k++] = (char)tolower((unsigned char)*s++);
    out[k] = '\0';
}

/* Finds "charset=" inside a <meta ...> tag of the first PRESCAN_BYTES.
 * Covers <meta charset="x"> and <meta http-equiv=Content-Type
 * content="text/html; charset=x">. */
static void prescan_meta(const char *data, size_t len, char *out, size_t n)
{
    out[0] = '\0';
    size_t lim = len < PRESCAN_BYTES ? len : PRESCAN_BYTES;
    const char *p = data, *end = data + lim;
    while (p < end) {
        const char *lt = memchr(p, '<', (size_t)(end - p));
        if (!lt || end - lt < 6)
            return;
        p = lt + 1;
        if (strncasecmp(p, "meta", 4) != 0 || !(isspace((unsigned char)p[4]) || p[4] == '/'))
            continue;
        const char *gt = memchr(p, '>', (size_t)(end - p));
        const char *tag_end = gt ? gt : end;
        for (const char *q = p; q + 8 <= tag_end; q++) {
            if (strncasecmp(q, "charset", 7) == 0) {
                const char *v = q + 7;
                while (v < tag_end && *v == ' ')
                    v++;
                if (v < tag_end && *v == '=') {
                    copy_label(v, tag_end, out, n);
                    if (out[0])
                        return;
                }
            }
        }
        p = tag_end;
    }
}

static int is_utf8_label(const char *l)
{
    return strcasecmp(l, "utf-8") == 0 || strcasecmp(l, "utf8") == 0;
}

/* Labels browsers treat as windows-1252 (the WHATWG encoding standard maps
 * latin1 and ascii there too, since pages that say so use its extra
 * characters). */
static int is_1252_alias(const char *l)
{
    static const char *const names[] = {"iso-8859-1", "iso8859-1", "latin1", "l1", "ascii",
                                        "us-ascii", "cp1252", "windows-1252", "x-cp1252",
                                        "iso_8859-1", "cp819", "ibm819", NULL};
    for (int i = 0; names[i]; i++)
        if (strcasecmp(l, names[i]) == 0)
            return 1;
    return 0;
}

/* Counts valid multi-byte UTF-8 sequences, invalid bytes and NULs. ASCII
 * is skipped eight bytes at a time: this runs over every page. */
static void utf8_census(const char *s, size_t n, size_t *multi, size_t *bad, size_t *nuls)
{
    *multi = *bad = *nuls = 0;
    size_t i = 0;
    while (i < n) {
        if (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            /* no byte >= 0x80 and no zero byte */
            if (!(w & 0x8080808080808080ULL) && !((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL)) {
                i += 8;
                continue;
            }
        }
        if ((unsigned char)s[i] < 0x80) {
            if (s[i] == '\0')
                (*nuls)++;
            i++;
            continue;
        }
        size_t k = utf8_seq_len(s + i, n - i);
        if (k == 0) {
            (*bad)++;
            i++;
        } else {
            (*multi)++;
            i += k;
        }
    }
}

/* Appends valid UTF-8 from s, replacing invalid bytes and dropping NULs. */
static void append_utf8_repaired(Buf *out, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        while (run < n && (unsigned char)s[run] < 0x80 && s[run] != '\0')
            run++;
        if (run > i) {
            buf_append(out, s + i, run - i);
            i = run;
            continue;
        }
        if (s[i] == '\0') {
            i++;
            continue;
        }
        i += buf_utf8_char(out, s + i, n - i);
    }
}

/* Converts with iconv; 0 on success, -1 when the label is unknown. */
static int convert(const char *from, const char *s, size_t n, Buf *out)
{
    char label[48];
    snprintf(label, sizeof label, "%s", is_1252_alias(from) ? "WINDOWS-1252" : from);
    iconv_t cd = iconv_open("UTF-8", label);
    if (cd == (iconv_t)-1)
        return -1;
    buf_reserve(out, n + n / 2 + 16);
    char *in = (char *)s;
    size_t inleft = n;
    char chunk[8192];
    while (inleft > 0) {
        char *o = chunk;
        size_t oleft = sizeof chunk;
        size_t r = iconv(cd, &in, &inleft, &o, &oleft);
        /* NULs are dropped so that the text stays a C string. */
        for (char *c = chunk; c < o; c++)
            if (*c)
                buf_putc(out, *c);
        if (r == (size_t)-1) {
            if (errno == E2BIG)
                continue;
            /* EILSEQ or EINVAL (truncated at the end): one byte becomes U+FFFD. */
            buf_puts(out, "\xEF\xBF\xBD");
            in++;
            inleft--;
            iconv(cd, NULL, NULL, NULL, NULL);
        }
    }
    iconv_close(cd);
    buf_cstr(out);
    return 0;
}

const char *extract_to_utf8(const char *data, size_t len, const char *http_charset, Buf *out,
                            size_t *out_len, char *used, size_t used_n)
{
    char label[48] = "";
    const unsigned char *u = (const unsigned char *)data;
    buf_reset(out);
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        snprintf(used, used_n, "utf-8");
        append_utf8_repaired(out, data + 3, len - 3);
        *out_len = out->len;
        return buf_cstr(out);
    }
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        const char *l = u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
        snprintf(used, used_n, "%s", u[0] == 0xFF ? "utf-16le" : "utf-16be");
        convert(l, data + 2, len - 2, out);
        *out_len = out->len;
        return buf_cstr(out);
    }
    if (http_charset && *http_charset)
        copy_label(http_charset, http_charset + strlen(http_charset), label, sizeof label);
    if (!label[0])
        prescan_meta(data, len, label, sizeof label);
    /* A page cannot really be UTF-16 once it has been read as ASCII bytes. */
    if (strncasecmp(label, "utf-16", 6) == 0)
        label[0] = '\0';

    size_t multi, bad, nuls;
    utf8_census(data, len, &multi, &bad, &nuls);
    int looks_utf8 = bad == 0 || multi >= 2 * bad;
    if (label[0] && !is_utf8_label(label)) {
        /* Declared single-byte but valid UTF-8 with non-ASCII text: UTF-8. */
        if (multi > 0 && bad == 0)
            label[0] = '\0';
    } else if (is_utf8_label(label) && !looks_utf8) {
        label[0] = '\0';
    }
    if (!label[0])
        snprintf(label, sizeof label, "%s", looks_utf8 ? "utf-8" : "windows-1252");
    if (is_utf8_label(label) && bad == 0 && nuls == 0) {
        /* the common case: already clean UTF-8, used in place */
        snprintf(used, used_n, "utf-8");
        *out_len = len;
        return data;
    }
    if (is_utf8_label(label) || convert(label, data, len, out) != 0) {
        if (!is_utf8_label(label) && !looks_utf8) {
            snprintf(label, sizeof label, "windows-1252");
            buf_reset(out);
            convert(label, data, len, out);
        } else {
            snprintf(label, sizeof label, "utf-8");
            buf_reset(out);
            append_utf8_repaired(out, data, len);
        }
    }
    snprintf(used, used_n, "%s", label);
    *out_len = out->len;
    return buf_cstr(out);
}
