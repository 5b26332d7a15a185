/* warc.h - a streaming reader of WARC/1.0 and WARC/1.1 web archives.
 *
 * Reads plain .warc files and gzip-compressed ones, either one gzip member
 * per record (record-at-a-time compression, as in Common Crawl's CC-NEWS)
 * or one gzip stream for the whole file, record by record. Memory is
 * bounded by the record limit whatever the size of the archive: a record
 * whose block is larger than the limit is skipped over without being held.
 *
 * Damage never stops the reading. A record with a missing or wrong
 * Content-Length, a truncated record, a corrupt gzip member or garbage
 * between records is reported (warc_next returns WARC_SKIPPED with a
 * message naming the file and the byte offset of the record) and reading
 * resumes at the next record: the next "WARC/1." line in the uncompressed
 * stream, or the next gzip member after a corrupt one.
 *
 * Offsets in messages are byte offsets in the file as stored. For a record
 * at the start of a gzip member that is the member's offset (what CDX
 * indexes and `warcio` call the record offset); a record inside a larger
 * member (a whole-file gzip stream) is named by its offset in the
 * uncompressed stream and the offset of the member holding it.
 *
 * The second half parses the HTTP message inside a `response` record:
 * status line, Content-Type (media type and charset), Content-Encoding and
 * Transfer-Encoding, and decodes the payload (chunked, gzip, deflate).
 * Library code: nothing is printed. */
#ifndef SW_WARC_H
#define SW_WARC_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../core/err.h"

/* Default largest record block held in memory (Common Crawl truncates
 * payloads at 1 MB; news pages are far smaller). */
#define WARC_RECORD_MAX (16u << 20)
/* Largest WARC or HTTP header block. */
#define WARC_HEADER_MAX (64u << 10)

typedef struct WarcReader WarcReader;

typedef struct WarcField {
    const char *name, *value; /* value trimmed, continuation lines joined */
} WarcField;

/* One record. Every pointer is owned by the reader and valid until the
 * next warc_next or warc_close. */
typedef struct WarcRecord {
    const char *where;      /* "FILE: record at offset N" for messages */
    uint64_t offset;        /* file offset of the record (or its gzip member) */
    uint64_t stream_offset; /* offset in the uncompressed stream */
    const char *version;    /* "WARC/1.0" or "WARC/1.1" */
    const char *type;       /* WARC-Type ("response", "request"...), "" when absent */
    const char *target_uri; /* WARC-Target-URI, NULL when absent */
    const char *date;       /* WARC-Date text, NULL when absent */
    int64_t date_unix;      /* WARC-Date as Unix seconds, 0 when absent or unreadable */
    const char *record_id;  /* WARC-Record-ID, NULL when absent */
    const char *content_type; /* the record's Content-Type, NULL when absent */
    const WarcField *fields;  /* every header field, in order */
    size_t n_fields;
    const char *block;      /* the content block (not NUL-terminated) */
    size_t block_len;
} WarcRecord;

/* Return values of warc_next. */
enum { WARC_END = 0, WARC_RECORD = 1, WARC_SKIPPED = 2 };

/* Opens a file. record_max is the largest block held (0: WARC_RECORD_MAX).
 * Returns NULL with err set when the file cannot be opened. */
WarcReader *warc_open(const char *path, size_t record_max, SwErr *err);
/* Reads from memory (len bytes at data, not copied: they must outlive the
 * reader); name is used in messages. */
WarcReader *warc_open_mem(const char *name, const void *data, size_t len, size_t record_max);

/* Reads the next record. Returns WARC_RECORD with *rec filled; WARC_END at
 * the end of the input; WARC_SKIPPED when a stretch of input was passed
 * over (a bad record, garbage, a corrupt gzip member), with err saying what
 * and where - call again to go on; -1 on an I/O error reading the file
 * (err set; the reader cannot go on). */
int warc_next(WarcReader *r, WarcRecord *rec, SwErr *err);

/* Value of a header field (case-insensitive name), or NULL. */
const char *warc_field(const WarcRecord *rec, const char *name);

/* Bytes of the file consumed so far and its size (0 when unknown), for
 * progress reports. */
uint64_t warc_bytes_read(const WarcReader *r);
uint64_t warc_file_size(const WarcReader *r);
/* 1 when the file is gzip-compressed. */
int warc_is_gzip(const WarcReader *r);

void warc_close(WarcReader *r);

/* 1 when data starts like a WARC file ("WARC/1." after optional blank
 * lines), uncompressed. */
int warc_detect(const char *head, size_t n);

/* 1 when the file at path is a WARC archive: its first bytes, or the first
 * bytes of its first gzip member, pass warc_detect. Reads at most a few KB
 * and does not need the rest of the file to be sound (a later corrupt
 * member does not hide that the file is an archive). 0 otherwise, also
 * when the file cannot be read. */
int warc_file_detect(const char *path);
/* The same test on the first bytes of a file already read (raw, possibly
 * the start of a gzip stream): callers that need those bytes anyway read
 * them once. */
int warc_raw_detect(const unsigned char *raw, size_t n);

/* An HTTP response as stored in a `response` record. */
typedef struct WarcHttp {
    int status;                /* 200; 0 when the block is not an HTTP response */
    char media_type[96];       /* lower case, without parameters: "text/html"; "" when absent */
    char charset[48];          /* Content-Type charset parameter, "" when absent */
    char content_encoding[48]; /* lower case: "" (none), "gzip", "deflate", "br"... */
    int chunked;               /* Transfer-Encoding: chunked */
    const char *body;          /* the payload as stored (points into the block) */
    size_t body_len;
} WarcHttp;

/* Parses the status line and headers of an HTTP response block. Returns 0,
 * or -1 with err saying what is wrong (not an HTTP response, headers not
 * terminated or longer than WARC_HEADER_MAX). */
int warc_http_parse(const char *block, size_t n, WarcHttp *out, SwErr *err);

/* Decodes h's payload into out (reset first): removes chunked transfer
 * coding and gzip/deflate content coding, producing at most max bytes.
 * Archivers that stored an already decoded payload under the original
 * headers are recognised (no chunk framing / no gzip magic) and passed
 * through; a payload cut short (WARC-Truncated) keeps what was decoded.
 * Returns 0, or -1 with err set for an unsupported coding, corrupt
 * compressed data, or a decoded payload above max. */
int warc_http_payload(const WarcHttp *h, size_t max, Buf *out, SwErr *err);

/* 1 when a payload is HTML: media type text/html or application/xhtml+xml,
 * or no telling media type (none, application/octet-stream) and the bytes
 * start like HTML. */
int warc_http_is_html(const WarcHttp *h, const char *payload, size_t n);

#endif
