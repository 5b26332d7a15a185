/* warc.c - streaming WARC reader and HTTP payload decoding.
 *
 * Three layers, each with bounded memory:
 *  - the source: a file descriptor or a memory block, read in chunks;
 *  - decompression: for gzip files, zlib inflate driven member by member
 *    (reset at each member end), so that a corrupt member can be passed
 *    over by looking for the next gzip header; plain files go straight
 *    through. A small table maps uncompressed offsets back to the file
 *    offsets of the members, for messages;
 *  - the record parser: a window over the uncompressed stream holding at
 *    most one record (header + block + terminator), compacted as records
 *    are consumed. A record that does not end where its Content-Length
 *    says is re-scanned from its block for the next "WARC/1." line, so a
 *    bad length loses one record, not the rest of the file.
 * A record larger than the limit is streamed over, never held. */
#include "warc.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "../core/timeutil.h"

#define IN_CAP (256u << 10) /* raw input buffer (gzip files) */
#define CHUNK (64u << 10)   /* one read or inflate step */
#define MEMBERS_MAX 64      /* member starts remembered for offsets */

/* produce/need results besides 1 (progress) and 0 (end of input) */
#define IO_FAILED (-1)
#define BROKEN (-2) /* a stretch of input was passed over; see r->gz_msg */

typedef struct Member {
    uint64_t upos; /* uncompressed offset where the member's output starts */
    uint64_t cpos; /* file offset of the member */
} Member;

struct WarcReader {
    char path[512];
    int fd; /* -1 when reading memory */
    const unsigned char *mem;
    size_t mem_len, mem_off;
    uint64_t size;
    size_t record_max;

    /* raw input (gzip files only) */
    unsigned char *in;
    size_t in_pos, in_len;
    uint64_t in_base; /* file offset of in[0] */
    int src_eof;
    int gzip, in_member, z_ready;
    z_stream z;
    uint64_t member_cpos;
    Member members[MEMBERS_MAX];
    size_t n_members;
    uint64_t produced; /* uncompressed bytes so far */

    /* window over the uncompressed stream */
    unsigned char *win;
    size_t win_pos, win_len, win_cap;
    uint64_t win_base; /* uncompressed offset of win[0] */
    int stream_eof;

    int resync; /* look for the next "WARC/1." line before parsing */
    char gz_msg[600];

    /* the current record's storage */
    Buf hdr;
    WarcField *fields;
    size_t n_fields, cap_fields;
    char where[800];
};

/* ---- source ---- */

static long src_read(WarcReader *r, unsigned char *dst, size_t n)
{
    if (r->fd < 0) {
        size_t left = r->mem_len - r->mem_off;
        if (n > left)
            n = left;
        if (n)
            memcpy(dst, r->mem + r->mem_off, n);
        r->mem_off += n;
        return (long)n;
    }
    for (;;) {
        ssize_t got = read(r->fd, dst, n);
        if (got >= 0)
            return (long)got;
        if (errno != EINTR) {
            snprintf(r->gz_msg, sizeof r->gz_msg, "read error: %s", strerror(errno));
            return -1;
        }
    }
}

/* Reads more raw input, keeping in[keep..] (moved to the front). Returns
 * bytes read, 0 at end of file, -1 on an I/O error. */
static long in_refill(WarcReader *r, size_t keep)
{
    if (keep > r->in_len)
        keep = r->in_len;
    if (keep > 0) {
        memmove(r->in, r->in + keep, r->in_len - keep);
        r->in_base += keep;
        r->in_len -= keep;
        r->in_pos = r->in_pos > keep ? r->in_pos - keep : 0;
    }
    if (r->src_eof || r->in_len == IN_CAP)
        return 0;
    long got = src_read(r, r->in + r->in_len, IN_CAP - r->in_len);
    if (got < 0)
        return -1;
    if (got == 0)
        r->src_eof = 1;
    r->in_len += (size_t)got;
    return got;
}

/* Ensures n unread raw bytes unless the file ends first. */
static int in_need(WarcReader *r, size_t n)
{
    while (r->in_len - r->in_pos < n && !r->src_eof)
        if (in_refill(r, r->in_pos) < 0)
            return -1;
    return 0;
}

static int gzip_magic(const unsigned char *p)
{
    /* ID1 ID2, deflate, no reserved flag bits: cuts false matches in data */
    return p[0] == 0x1f && p[1] == 0x8b && p[2] == 8 && (p[3] & 0xe0) == 0;
}

/* Moves in_pos to the next gzip header (or the end of the file). */
static int in_scan_magic(WarcReader *r)
{
    for (;;) {
        while (r->in_pos + 4 <= r->in_len) {
            unsigned char *hit = memchr(r->in + r->in_pos, 0x1f, r->in_len - r->in_pos - 3);
            if (!hit) {
                r->in_pos = r->in_len - 3;
                break;
            }
            r->in_pos = (size_t)(hit - r->in);
            if (gzip_magic(hit))
                return 0;
            r->in_pos++;
        }
        if (r->src_eof) {
            r->in_pos = r->in_len;
            return 0;
        }
        if (in_refill(r, r->in_pos) < 0)
            return -1;
    }
}

static void member_add(WarcReader *r, uint64_t upos, uint64_t cpos)
{
    if (r->n_members && r->members[r->n_members - 1].upos == upos) {
        r->members[r->n_members - 1].cpos = cpos; /* the earlier member was empty */
        return;
    }
    if (r->n_members == MEMBERS_MAX) {
        /* keep the first (it holds the current record's start): offsets
         * inside the dropped one read as the earlier member's */
        memmove(r->members + 1, r->members + 2, (MEMBERS_MAX - 2) * sizeof *r->members);
        r->n_members--;
    }
    r->members[r->n_members++] = (Member){upos, cpos};
}

static void members_trim(WarcReader *r, uint64_t upos)
{
    size_t drop = 0;
    while (drop + 1 < r->n_members && r->members[drop + 1].upos <= upos)
        drop++;
    if (drop) {
        memmove(r->members, r->members + drop, (r->n_members - drop) * sizeof *r->members);
        r->n_members -= drop;
    }
}

/* "offset N", or for a position inside a gzip member "uncompressed offset
 * U (gzip member at offset C)". */
static void pos_text(const WarcReader *r, uint64_t upos, char *out, size_t n)
{
    if (!r->gzip) {
        snprintf(out, n, "offset %llu", (unsigned long long)upos);
        return;
    }
    const Member *m = NULL;
    for (size_t i = 0; i < r->n_members && r->members[i].upos <= upos; i++)
        m = &r->members[i];
    if (m && m->upos == upos)
        snprintf(out, n, "offset %llu", (unsigned long long)m->cpos);
    else if (m)
        snprintf(out, n, "uncompressed offset %llu (gzip member at offset %llu)", (unsigned long long)upos,
                 (unsigned long long)m->cpos);
    else
        snprintf(out, n, "uncompressed offset %llu", (unsigned long long)upos);
}

static uint64_t pos_file_offset(const WarcReader *r, uint64_t upos)
{
    if (!r->gzip)
        return upos;
    uint64_t c = 0;
    for (size_t i = 0; i < r->n_members && r->members[i].upos <= upos; i++)
        c = r->members[i].cpos;
    return c;
}

/* ---- the uncompressed window ---- */

static void win_reserve(WarcReader *r, size_t extra)
{
    if (r->win_cap - r->win_len >= extra)
        return;
    if (r->win_pos > 0) {
        memmove(r->win, r->win + r->win_pos, r->win_len - r->win_pos);
        r->win_base += r->win_pos;
        r->win_len -= r->win_pos;
        r->win_pos = 0;
        if (r->win_cap - r->win_len >= extra)
            return;
    }
    size_t want = r->win_len + extra;
    size_t cap = r->win_cap ? r->win_cap : CHUNK * 2;
    while (cap < want)
        cap = cap < (8u << 20) ? cap * 2 : cap + cap / 4;
    r->win = xrealloc(r->win, cap);
    r->win_cap = cap;
}

/* Adds uncompressed bytes to the window: 1 when it made progress, 0 at
 * the end of the input, IO_FAILED, or BROKEN when input was passed over
 * (r->gz_msg says what; the next call goes on after it). */
static int produce(WarcReader *r)
{
    if (r->stream_eof)
        return 0;
    win_reserve(r, CHUNK);
    if (!r->gzip) {
        long got = src_read(r, r->win + r->win_len, CHUNK);
        if (got < 0)
            return IO_FAILED;
        if (got == 0) {
            r->stream_eof = 1;
            return 0;
        }
        r->win_len += (size_t)got;
        r->produced += (uint64_t)got;
        return 1;
    }
    for (;;) {
        if (!r->in_member) {
            if (in_need(r, 4) < 0)
                return IO_FAILED;
            size_t avail = r->in_len - r->in_pos;
            if (avail == 0) {
                r->stream_eof = 1;
                return 0;
            }
            if (avail >= 4 && gzip_magic(r->in + r->in_pos)) {
                r->member_cpos = r->in_base + r->in_pos;
                if (inflateReset2(&r->z, 16 + MAX_WBITS) != Z_OK)
                    return IO_FAILED;
                r->in_member = 1;
                member_add(r, r->produced, r->member_cpos);
                continue;
            }
            uint64_t at = r->in_base + r->in_pos;
            r->in_pos++;
            if (in_scan_magic(r) < 0)
                return IO_FAILED;
            uint64_t skipped = r->in_base + r->in_pos - at;
            snprintf(r->gz_msg, sizeof r->gz_msg, "%llu byte%s of garbage at offset %llu (not a gzip member), skipped",
                     (unsigned long long)skipped, skipped == 1 ? "" : "s", (unsigned long long)at);
            return BROKEN;
        }
        if (r->in_pos == r->in_len) {
            /* keep the member's start while it fits: a corrupt member is
             * then re-scanned from its header, not from the error point */
            size_t keep = r->in_pos;
            if (r->member_cpos >= r->in_base && r->in_len - (size_t)(r->member_cpos - r->in_base) <= IN_CAP / 2)
                keep = (size_t)(r->member_cpos - r->in_base);
            long got = in_refill(r, keep);
            if (got < 0)
                return IO_FAILED;
            if (got == 0 && r->in_pos == r->in_len) {
                r->in_member = 0;
                snprintf(r->gz_msg, sizeof r->gz_msg, "truncated: the file ends inside the gzip member at offset %llu",
                         (unsigned long long)r->member_cpos);
                return BROKEN;
            }
        }
        r->z.next_in = r->in + r->in_pos;
        r->z.avail_in = (uInt)(r->in_len - r->in_pos);
        r->z.next_out = r->win + r->win_len;
        r->z.avail_out = CHUNK;
        int zrc = inflate(&r->z, Z_NO_FLUSH);
        size_t out = CHUNK - r->z.avail_out;
        r->in_pos = (size_t)(r->z.next_in - r->in);
        r->win_len += out;
        r->produced += out;
        if (zrc == Z_STREAM_END) {
            r->in_member = 0;
            if (out)
                return 1;
            continue;
        }
        if (zrc == Z_OK || (zrc == Z_BUF_ERROR && r->in_pos == r->in_len)) {
            if (out)
                return 1;
            continue; /* needs more input: refilled above */
        }
        /* Z_DATA_ERROR and the like: pass over the member */
        snprintf(r->gz_msg, sizeof r->gz_msg, "corrupt gzip member at offset %llu (%s), skipped to the next member",
                 (unsigned long long)r->member_cpos, r->z.msg ? r->z.msg : "invalid data");
        r->in_member = 0;
        if (r->member_cpos >= r->in_base && r->member_cpos < r->in_base + r->in_len)
            r->in_pos = (size_t)(r->member_cpos - r->in_base) + 1;
        if (in_scan_magic(r) < 0)
            return IO_FAILED;
        return BROKEN;
    }
}

/* Ensures n unread bytes in the window: 1, 0 when the input ends first,
 * IO_FAILED or BROKEN. */
static int need(WarcReader *r, size_t n)
{
    while (r->win_len - r->win_pos < n) {
        int rc = produce(r);
        if (rc <= 0)
            return rc;
    }
    return 1;
}

static size_t avail(const WarcReader *r)
{
    return r->win_len - r->win_pos;
}

/* Moves win_pos to the next line starting "WARC/1." (searching from
 * win_pos). 1 found, 0 end of input, IO_FAILED, BROKEN. */
static int scan_record(WarcReader *r)
{
    static const char mark[] = "\nWARC/1.";
    const size_t mlen = sizeof mark - 1;
    for (;;) {
        if (avail(r) >= mlen) {
            unsigned char *hit = memmem(r->win + r->win_pos, avail(r), mark, mlen);
            if (hit) {
                r->win_pos = (size_t)(hit - r->win) + 1;
                return 1;
            }
            r->win_pos = r->win_len - (mlen - 1);
        }
        int rc = produce(r);
        if (rc <= 0) {
            if (rc == 0)
                r->win_pos = r->win_len;
            return rc;
        }
    }
}

/* ---- record header ---- */

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Splits the header text (n bytes at h, lines ending in \n or \r\n) into
 * the version and fields; continuation lines are joined. Returns the
 * version line. */
static const char *parse_fields(WarcReader *r, const char *h, size_t n)
{
    /* first pass: "version\0name\0value\0name\0value\0..." into r->hdr */
    buf_reset(&r->hdr);
    size_t nf = 0;
    const char *end = h + n, *p = h;
    int first = 1;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *q = le;
        while (q > p && is_blank(q[-1]))
            q--;
        if (first) {
            buf_append(&r->hdr, p, (size_t)(q - p));
            buf_putc(&r->hdr, '\0');
            first = 0;
        } else if ((*p == ' ' || *p == '\t') && nf) {
            while (p < q && is_blank(*p))
                p++;
            if (p < q) {
                r->hdr.len--; /* reopen the previous value */
                buf_putc(&r->hdr, ' ');
                buf_append(&r->hdr, p, (size_t)(q - p));
                buf_putc(&r->hdr, '\0');
            }
        } else {
            const char *colon = memchr(p, ':', (size_t)(q - p));
            if (colon && colon > p) {
                const char *ne = colon;
                while (ne > p && is_blank(ne[-1]))
                    ne--;
                const char *v = colon + 1;
                while (v < q && is_blank(*v))
                    v++;
                buf_append(&r->hdr, p, (size_t)(ne - p));
                buf_putc(&r->hdr, '\0');
                buf_append(&r->hdr, v, (size_t)(q - v));
                buf_putc(&r->hdr, '\0');
                nf++;
            } /* a line that is not "Name: value" is ignored */
        }
        p = nl ? nl + 1 : end;
    }
    if (!r->hdr.data)
        buf_putc(&r->hdr, '\0');
    /* second pass: pointers (the Buf no longer moves) */
    if (nf > r->cap_fields) {
        r->cap_fields = nf + 16;
        r->fields = xrealloc(r->fields, r->cap_fields * sizeof *r->fields);
    }
    const char *s = r->hdr.data;
    const char *version = s;
    s += strlen(s) + 1;
    for (size_t i = 0; i < nf; i++) {
        r->fields[i].name = s;
        s += strlen(s) + 1;
        r->fields[i].value = s;
        s += strlen(s) + 1;
    }
    r->n_fields = nf;
    return version;
}

const char *warc_field(const WarcRecord *rec, const char *name)
{
    for (size_t i = 0; i < rec->n_fields; i++)
        if (strcasecmp(rec->fields[i].name, name) == 0)
            return rec->fields[i].value;
    return NULL;
}

static int parse_length(const char *s, uint64_t *out)
{
    if (!s || !*s)
        return -1;
    uint64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9' || p - s >= 18)
            return -1;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    *out = v;
    return 0;
}

/* Finds the blank line ending a header in the window, from win_pos;
 * *len gets the header length without it, *total with it. */
static int find_header_end(const WarcReader *r, size_t from, size_t *len, size_t *total)
{
    const unsigned char *base = r->win + r->win_pos;
    size_t n = avail(r);
    for (size_t i = from; i < n; i++) {
        const unsigned char *nl = memchr(base + i, '\n', n - i);
        if (!nl)
            return 0;
        i = (size_t)(nl - base);
        if (i + 1 < n && base[i + 1] == '\n') {
            *len = i + 1;
            *total = i + 2;
            return 1;
        }
        if (i + 2 < n && base[i + 1] == '\r' && base[i + 2] == '\n') {
            *len = i + 1;
            *total = i + 3;
            return 1;
        }
    }
    return 0;
}

/* ---- records ---- */

static int report_skip(SwErr *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int report_skip(SwErr *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (err)
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return WARC_SKIPPED;
}

/* The window could not be filled: an I/O error ends reading; passed-over
 * input loses the record being read. */
static int lost(WarcReader *r, int rc, const char *where, SwErr *err)
{
    if (rc == IO_FAILED)
        return sw_err(err, "%s: %s", r->path, r->gz_msg[0] ? r->gz_msg : "cannot decompress");
    r->win_pos = r->win_len; /* what was read of the record is unusable */
    if (where)
        return report_skip(err, "%s: %s", where, r->gz_msg);
    return report_skip(err, "%s: %s", r->path, r->gz_msg);
}

/* Streams over a block larger than the limit (win_pos is at the block),
 * watching for a record boundary inside it: a wrong length then loses one
 * record, not the rest of the file. */
static int skip_block(WarcReader *r, uint64_t len, SwErr *err)
{
    static const char next[] = "\r\n\r\nWARC/1.";
    const size_t nlen = sizeof next - 1;
    uint64_t left = len;
    while (left > 0) {
        size_t want = (left < CHUNK ? (size_t)left : CHUNK) + nlen;
        int rc = need(r, want);
        if (rc < 0)
            return lost(r, rc, r->where, err);
        size_t a = avail(r);
        size_t in_block = a < left ? a : (size_t)left;
        unsigned char *hit = memmem(r->win + r->win_pos, a, next, nlen);
        if (hit && (size_t)(hit - (r->win + r->win_pos)) < in_block) {
            r->win_pos = (size_t)(hit - r->win) + 4;
            return report_skip(err, "%s: bad Content-Length %llu: another record starts inside the block; skipped",
                               r->where, (unsigned long long)len);
        }
        if (rc == 0 && a < left) {
            r->win_pos = r->win_len;
            return report_skip(err, "%s: truncated: the file ends %llu bytes before the end of its %llu-byte block",
                               r->where, (unsigned long long)(left - a), (unsigned long long)len);
        }
        size_t take = in_block;
        if (take < left && take > nlen)
            take -= nlen - 1; /* the tail could begin a boundary */
        r->win_pos += take;
        left -= take;
    }
    int rc = need(r, 4);
    if (rc < 0)
        return lost(r, rc, NULL, err);
    const unsigned char *t = r->win + r->win_pos;
    if (avail(r) >= 4 && memcmp(t, "\r\n\r\n", 4) == 0)
        r->win_pos += 4;
    else if (avail(r) >= 2 && memcmp(t, "\n\n", 2) == 0)
        r->win_pos += 2;
    else if (avail(r))
        r->resync = 1;
    return report_skip(err, "%s: %llu-byte block is larger than the limit of %zu bytes; skipped", r->where,
                       (unsigned long long)len, r->record_max);
}

int warc_next(WarcReader *r, WarcRecord *rec, SwErr *err)
{
    memset(rec, 0, sizeof *rec);
    r->gz_msg[0] = '\0';
    members_trim(r, r->win_base + r->win_pos);
    if (r->resync) {
        r->resync = 0;
        int rc = scan_record(r);
        if (rc < 0)
            return lost(r, rc, NULL, err);
        if (rc == 0)
            return WARC_END;
    }
    /* blank lines between records */
    for (;;) {
        while (r->win_pos < r->win_len && (r->win[r->win_pos] == '\r' || r->win[r->win_pos] == '\n'))
            r->win_pos++;
        if (avail(r))
            break;
        int rc = need(r, 1);
        if (rc < 0)
            return lost(r, rc, NULL, err);
        if (rc == 0)
            return WARC_END;
    }
    uint64_t start = r->win_base + r->win_pos;
    members_trim(r, start);
    char pos[200];
    pos_text(r, start, pos, sizeof pos);
    snprintf(r->where, sizeof r->where, "%s: record at %s", r->path, pos);

    int rc = need(r, 8);
    if (rc < 0)
        return lost(r, rc, r->where, err);
    if (avail(r) < 8 || memcmp(r->win + r->win_pos, "WARC/1.", 7) != 0) {
        r->win_pos++;
        rc = scan_record(r);
        if (rc == IO_FAILED)
            return lost(r, rc, NULL, err);
        if (rc == BROKEN)
            r->win_pos = r->win_len;
        uint64_t len = r->win_base + r->win_pos - start;
        return report_skip(err, "%s: %s: %llu byte%s of garbage (not a WARC record), skipped%s%s", r->path, pos,
                           (unsigned long long)len, len == 1 ? "" : "s", rc == BROKEN ? "; then " : "",
                           rc == BROKEN ? r->gz_msg : "");
    }
    /* the header, up to its blank line */
    size_t hlen = 0, htotal = 0, searched = 0;
    while (!find_header_end(r, searched, &hlen, &htotal)) {
        searched = avail(r) > 3 ? avail(r) - 3 : 0;
        if (avail(r) > WARC_HEADER_MAX) {
            r->win_pos++;
            r->resync = 1;
            return report_skip(err, "%s: header longer than %u bytes; skipped", r->where, WARC_HEADER_MAX);
        }
        rc = need(r, avail(r) + 1);
        if (rc < 0)
            return lost(r, rc, r->where, err);
        if (rc == 0) {
            r->win_pos = r->win_len;
            return report_skip(err, "%s: truncated: the file ends inside the record header", r->where);
        }
    }
    const char *version = parse_fields(r, (const char *)r->win + r->win_pos, hlen);
    rec->fields = r->fields;
    rec->n_fields = r->n_fields;
    const char *cl = warc_field(rec, "Content-Length");
    uint64_t len;
    if (parse_length(cl, &len) != 0) {
        r->win_pos++;
        r->resync = 1;
        if (!cl)
            return report_skip(err, "%s: no Content-Length; skipped", r->where);
        return report_skip(err, "%s: bad Content-Length \"%.40s\"; skipped", r->where, cl);
    }
    if (len > r->record_max) {
        r->win_pos += htotal;
        return skip_block(r, len, err);
    }
    size_t blen = (size_t)len, full = htotal + blen;
    rc = need(r, full + 4);
    if (rc < 0)
        return lost(r, rc, r->where, err);
    size_t term = 0;
    if (avail(r) >= full) {
        const unsigned char *t = r->win + r->win_pos + full;
        size_t tail = avail(r) - full;
        if (tail >= 4 && memcmp(t, "\r\n\r\n", 4) == 0)
            term = 4;
        else if (tail >= 2 && memcmp(t, "\n\n", 2) == 0)
            term = 2;
        else if (rc == 0 && tail < 4 && memcmp(t, "\r\n\r\n", tail) == 0)
            term = tail; /* the last record, its end cut: the block is whole */
        else {
            r->win_pos += htotal;
            r->resync = 1;
            return report_skip(err, "%s: bad Content-Length %zu: the record does not end there; skipped", r->where,
                           blen);
        }
    } else {
        size_t got = avail(r) - htotal;
        r->win_pos += htotal;
        r->resync = 1; /* a wrong length may hide further records */
        return report_skip(err, "%s: truncated: Content-Length is %zu but the file ends after %zu bytes of the block",
                       r->where, blen, got);
    }
    /* the record is whole: its strings point into r->hdr, its block into
     * the window, both stable until the next call */
    rec->where = r->where;
    rec->offset = pos_file_offset(r, start);
    rec->stream_offset = start;
    rec->version = version;
    rec->type = warc_field(rec, "WARC-Type");
    if (!rec->type)
        rec->type = "";
    rec->target_uri = warc_field(rec, "WARC-Target-URI");
    if (rec->target_uri && rec->target_uri[0] == '<') {
        /* WARC/1.0 examples wrap the URI in angle brackets */
        char *u = (char *)rec->target_uri + 1;
        size_t n = strlen(u);
        if (n && u[n - 1] == '>')
            u[n - 1] = '\0';
        rec->target_uri = u;
    }
    rec->date = warc_field(rec, "WARC-Date");
    if (rec->date && time_parse(rec->date, &rec->date_unix) != 0)
        rec->date_unix = 0;
    rec->record_id = warc_field(rec, "WARC-Record-ID");
    rec->content_type = warc_field(rec, "Content-Type");
    rec->block = (const char *)r->win + r->win_pos + htotal;
    rec->block_len = blen;
    r->win_pos += full + term;
    return WARC_RECORD;
}

/* ---- opening ---- */

static WarcReader *reader_new(const char *name, size_t record_max)
{
    WarcReader *r = xcalloc(1, sizeof *r);
    snprintf(r->path, sizeof r->path, "%s", name);
    r->fd = -1;
    r->record_max = record_max ? record_max : WARC_RECORD_MAX;
    return r;
}

/* Looks at the first bytes to choose plain or gzip. */
static int reader_start(WarcReader *r)
{
    r->in = xmalloc(IN_CAP);
    if (in_need(r, 2) < 0)
        return -1;
    if (r->in_len >= 2 && r->in[0] == 0x1f && r->in[1] == 0x8b) {
        r->gzip = 1;
        if (inflateInit2(&r->z, 16 + MAX_WBITS) != Z_OK)
            return -1;
        r->z_ready = 1;
        return 0;
    }
    /* plain: what was read goes to the window, the rest comes straight */
    win_reserve(r, r->in_len + 1);
    memcpy(r->win, r->in, r->in_len);
    r->win_len = r->produced = r->in_len;
    r->stream_eof = r->src_eof;
    free(r->in);
    r->in = NULL;
    r->in_len = r->in_pos = 0;
    return 0;
}

WarcReader *warc_open(const char *path, size_t record_max, SwErr *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        sw_err(err, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        sw_err(err, "%s: is a directory", path);
        return NULL;
    }
    WarcReader *r = reader_new(path, record_max);
    r->fd = fd;
    if (S_ISREG(st.st_mode))
        r->size = (uint64_t)st.st_size;
    if (reader_start(r) != 0) {
        sw_err(err, "%s", r->gz_msg[0] ? r->gz_msg : "cannot start decompression");
        warc_close(r);
        return NULL;
    }
    return r;
}

WarcReader *warc_open_mem(const char *name, const void *data, size_t len, size_t record_max)
{
    WarcReader *r = reader_new(name, record_max);
    r->mem = data;
    r->mem_len = len;
    r->size = len;
    reader_start(r); /* memory cannot fail to read */
    return r;
}

uint64_t warc_bytes_read(const WarcReader *r)
{
    if (r->gzip)
        return r->in_base + r->in_pos;
    return r->win_base + r->win_pos;
}

uint64_t warc_file_size(const WarcReader *r)
{
    return r->size;
}

int warc_is_gzip(const WarcReader *r)
{
    return r->gzip;
}

void warc_close(WarcReader *r)
{
    if (!r)
        return;
    if (r->z_ready)
        inflateEnd(&r->z);
    if (r->fd >= 0)
        close(r->fd);
    free(r->in);
    free(r->win);
    free(r->fields);
    buf_free(&r->hdr);
    free(r);
}

int warc_detect(const char *head, size_t n)
{
    size_t i = 0;
    while (i < n && (head[i] == '\r' || head[i] == '\n'))
        i++;
    return n - i >= 7 && memcmp(head + i, "WARC/1.", 7) == 0;
}

int warc_file_detect(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    unsigned char raw[4096];
    ssize_t n = read(fd, raw, sizeof raw);
    close(fd);
    return n < 0 ? 0 : warc_raw_detect(raw, (size_t)n);
}

int warc_raw_detect(const unsigned char *raw, size_t n)
{
    unsigned char head[64];
    if (n < 2)
        return 0;
    if (raw[0] != 0x1f || raw[1] != 0x8b)
        return warc_detect((const char *)raw, n);
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
        return 0;
    z.next_in = (Bytef *)raw; /* zlib only reads it */
    z.avail_in = (uInt)n;
    z.next_out = head;
    z.avail_out = sizeof head;
    inflate(&z, Z_SYNC_FLUSH); /* whatever comes out before an error will do */
    size_t got = sizeof head - z.avail_out;
    inflateEnd(&z);
    return warc_detect((const char *)head, got);
}

/* ---- HTTP ---- */

static void copy_lower(char *dst, size_t cap, const char *s, size_t n)
{
    while (n && is_blank(*s))
        s++, n--;
    while (n && is_blank(s[n - 1]))
        n--;
    if (n >= cap)
        n = cap - 1;
    for (size_t i = 0; i < n; i++)
        dst[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]);
    dst[n] = '\0';
}

static void parse_content_type(WarcHttp *h, const char *v, size_t n)
{
    const char *semi = memchr(v, ';', n);
    copy_lower(h->media_type, sizeof h->media_type, v, semi ? (size_t)(semi - v) : n);
    while (semi) {
        const char *p = semi + 1, *end = v + n;
        semi = memchr(p, ';', (size_t)(end - p));
        const char *pe = semi ? semi : end;
        while (p < pe && is_blank(*p))
            p++;
        if (pe - p > 8 && strncasecmp(p, "charset", 7) == 0) {
            const char *q = p + 7;
            while (q < pe && is_blank(*q))
                q++;
            if (q < pe && *q == '=') {
                q++;
                while (q < pe && (is_blank(*q) || *q == '"' || *q == '\''))
                    q++;
                const char *qe = q;
                while (qe < pe && *qe != '"' && *qe != '\'' && !is_blank(*qe))
                    qe++;
                copy_lower(h->charset, sizeof h->charset, q, (size_t)(qe - q));
            }
        }
    }
}

int warc_http_parse(const char *block, size_t n, WarcHttp *out, SwErr *err)
{
    memset(out, 0, sizeof *out);
    if (n < 12 || memcmp(block, "HTTP/", 5) != 0)
        return sw_err(err, "not an HTTP response");
    const char *sp = memchr(block, ' ', n < 16 ? n : 16);
    if (!sp || (size_t)(sp - block) + 4 > n)
        return sw_err(err, "bad HTTP status line");
    const char *d = sp + 1;
    if (d[0] < '1' || d[0] > '5' || d[1] < '0' || d[1] > '9' || d[2] < '0' || d[2] > '9' ||
        ((size_t)(d + 3 - block) < n && !is_blank(d[3])))
        return sw_err(err, "bad HTTP status line");
    out->status = (d[0] - '0') * 100 + (d[1] - '0') * 10 + (d[2] - '0');
    /* header lines up to the blank line; a block that is all header (no
     * body) is allowed */
    size_t limit = n < WARC_HEADER_MAX ? n : WARC_HEADER_MAX;
    const char *p = memchr(block, '\n', limit);
    if (!p) {
        if (n > WARC_HEADER_MAX)
            return sw_err(err, "HTTP header longer than %u bytes", WARC_HEADER_MAX);
        out->body = block + n;
        return 0;
    }
    p++;
    const char *end = block + limit;
    for (;;) {
        if (p >= end) {
            if (n > WARC_HEADER_MAX)
                return sw_err(err, "HTTP header longer than %u bytes", WARC_HEADER_MAX);
            out->body = block + n;
            return 0;
        }
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *q = le;
        if (q > p && q[-1] == '\r')
            q--;
        if (q == p) { /* the blank line */
            const char *body = nl ? nl + 1 : end;
            out->body = body;
            out->body_len = n - (size_t)(body - block);
            return 0;
        }
        const char *colon = memchr(p, ':', (size_t)(q - p));
        if (colon) {
            size_t nl_len = (size_t)(colon - p);
            const char *v = colon + 1;
            size_t vn = (size_t)(q - v);
            if (nl_len == 12 && strncasecmp(p, "Content-Type", 12) == 0 && !out->media_type[0])
                parse_content_type(out, v, vn);
            else if (nl_len == 16 && strncasecmp(p, "Content-Encoding", 16) == 0)
                copy_lower(out->content_encoding, sizeof out->content_encoding, v, vn);
            else if (nl_len == 17 && strncasecmp(p, "Transfer-Encoding", 17) == 0) {
                char te[48];
                copy_lower(te, sizeof te, v, vn);
                if (strstr(te, "chunked"))
                    out->chunked = 1;
            }
        }
        if (!nl) {
            p = end;
            continue;
        }
        p = nl + 1;
    }
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Removes chunked framing. 0 done (a payload cut inside a chunk keeps
 * what is there), 1 the payload has no chunk framing (already decoded),
 * -1 bad framing or too large. */
static int dechunk(const char *p, size_t n, size_t max, Buf *out, SwErr *err)
{
    size_t i = 0;
    int first = 1;
    while (i < n) {
        size_t size = 0, digits = 0;
        int v;
        while (i < n && (v = hex_value(p[i])) >= 0) {
            if (++digits > 15)
                return sw_err(err, "bad chunk size at payload byte %zu", i);
            size = size * 16 + (size_t)v;
            i++;
        }
        /* the rest of the size line: spaces and ";extensions" */
        size_t line_end = i;
        while (line_end < n && p[line_end] != '\n' && line_end - i < 1024)
            line_end++;
        int ext_ok = digits > 0 && line_end < n && p[line_end] == '\n';
        for (size_t k = i; ext_ok && k < line_end && p[k] != ';'; k++)
            if (!is_blank(p[k]))
                ext_ok = 0;
        if (!ext_ok) {
            if (first)
                return 1;
            if (i >= n)
                return 0; /* cut after a chunk */
            return sw_err(err, "bad chunk size at payload byte %zu", i);
        }
        first = 0;
        i = line_end + 1;
        if (size == 0)
            return 0; /* trailers are not needed */
        size_t take = size < n - i ? size : n - i;
        if (out->len + take > max)
            return sw_err(err, "decoded payload larger than %zu bytes", max);
        buf_append(out, p + i, take);
        i += take;
        if (take < size)
            return 0; /* cut inside a chunk */
        if (i < n && p[i] == '\r')
            i++;
        if (i < n && p[i] == '\n')
            i++;
    }
    return 0;
}

static int inflate_all(const char *p, size_t n, int wbits, size_t max, Buf *out, SwErr *err)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, wbits) != Z_OK)
        return sw_err(err, "cannot start decompression");
    size_t start = out->len;
    int rc = 0;
    z.next_in = (Bytef *)p;
    for (;;) {
        size_t chunk_in = n - (size_t)((const char *)z.next_in - p);
        z.avail_in = (uInt)(chunk_in > (1u << 30) ? (1u << 30) : chunk_in);
        buf_reserve(out, CHUNK);
        z.next_out = (Bytef *)out->data + out->len;
        z.avail_out = CHUNK;
        int zrc = inflate(&z, Z_NO_FLUSH);
        out->len += CHUNK - z.avail_out;
        if (out->len - start > max) {
            rc = sw_err(err, "decoded payload larger than %zu bytes", max);
            break;
        }
        if (zrc == Z_STREAM_END)
            break;
        if (zrc == Z_BUF_ERROR || (zrc == Z_OK && z.avail_in == 0 && z.avail_out > 0 &&
                                   (size_t)((const char *)z.next_in - p) >= n)) {
            if ((size_t)((const char *)z.next_in - p) >= n) {
                if (out->len == start)
                    rc = sw_err(err, "compressed payload is truncated");
                break; /* cut short (WARC-Truncated): keep what was decoded */
            }
            continue;
        }
        if (zrc != Z_OK) {
            rc = sw_err(err, "corrupt compressed payload (%s)", z.msg ? z.msg : "invalid data");
            break;
        }
    }
    inflateEnd(&z);
    if (out->data)
        out->data[out->len] = '\0';
    return rc;
}

static int starts_like_text(const char *p, size_t n)
{
    size_t i = 0;
    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < n && is_blank(p[i]))
        i++;
    return i < n && p[i] == '<';
}

int warc_http_payload(const WarcHttp *h, size_t max, Buf *out, SwErr *err)
{
    buf_reset(out);
    const char *p = h->body;
    size_t n = h->body_len;
    Buf plain = {0};
    if (h->chunked) {
        int rc = dechunk(p, n, max, &plain, err);
        if (rc < 0) {
            buf_free(&plain);
            return -1;
        }
        if (rc == 0) {
            p = plain.data ? plain.data : "";
            n = plain.len;
        }
    }
    const char *ce = h->content_encoding;
    int rc = 0;
    if (!ce[0] || strcmp(ce, "identity") == 0 || strcmp(ce, "none") == 0) {
        if (n > max)
            rc = sw_err(err, "payload larger than %zu bytes", max);
        else
            buf_append(out, p, n);
    } else if (strcmp(ce, "gzip") == 0 || strcmp(ce, "x-gzip") == 0 || strcmp(ce, "deflate") == 0) {
        if (n >= 2 && (unsigned char)p[0] == 0x1f && (unsigned char)p[1] == 0x8b)
            rc = inflate_all(p, n, 16 + MAX_WBITS, max, out, err);
        else if (n >= 2 && ((unsigned char)p[0] & 0x0f) == 8 &&
                 (((unsigned char)p[0] << 8) | (unsigned char)p[1]) % 31 == 0)
            rc = inflate_all(p, n, MAX_WBITS, max, out, err);
        else if (n == 0 || starts_like_text(p, n)) {
            /* stored already decoded under the original header */
            if (n > max)
                rc = sw_err(err, "payload larger than %zu bytes", max);
            else
                buf_append(out, p, n);
        } else if (strcmp(ce, "deflate") == 0)
            rc = inflate_all(p, n, -MAX_WBITS, max, out, err);
        else
            rc = sw_err(err, "Content-Encoding %s, but the payload is not gzip data", ce);
    } else {
        rc = sw_err(err, "Content-Encoding \"%s\" is not supported", ce);
    }
    buf_free(&plain);
    if (rc != 0)
        buf_reset(out);
    buf_reserve(out, 0);
    return rc;
}

int warc_http_is_html(const WarcHttp *h, const char *payload, size_t n)
{
    const char *t = h->media_type;
    if (strcmp(t, "text/html") == 0 || strcmp(t, "application/xhtml+xml") == 0)
        return 1;
    if (t[0] && strcmp(t, "application/octet-stream") != 0 && strcmp(t, "unknown/unknown") != 0)
        return 0;
    size_t i = 0;
    if (n >= 3 && memcmp(payload, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < n && is_blank(payload[i]))
        i++;
    static const char *const starts[] = {"<!doctype html", "<html", "<head", "<body"};
    for (size_t k = 0; k < sizeof starts / sizeof *starts; k++) {
        size_t l = strlen(starts[k]);
        if (n - i >= l && strncasecmp(payload + i, starts[k], l) == 0)
            return 1;
    }
    return 0;
}
