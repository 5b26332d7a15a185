/* fileio.h - reading input files, compressed or not.
 *
 * Every reader goes through here so that `.gz` works everywhere: zlib's
 * gzread passes plain files through untouched, so the choice is made by
 * content, not by name. */
#ifndef SW_FILEIO_H
#define SW_FILEIO_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

/* Reads a whole file (decompressing gzip) into out, up to max bytes of
 * content; larger files are an error. "-" reads standard input. */
int file_read_all(const char *path, size_t max, Buf *out, SwErr *err);

typedef struct LineReader LineReader;

/* Opens path ("-" for stdin) for reading line by line. */
LineReader *lines_open(const char *path, SwErr *err);
/* Reads the next line (without its newline) into line; returns 1 for a
 * line, 0 at end of file, -1 on a read error (a truncated gzip stream, an
 * I/O error) with err filled, and LINES_TOO_LONG for a line longer than
 * the reader's limit: line then holds its first `limit` bytes and the rest
 * of it has been skipped, so memory stays bounded whatever the input. */
#define LINES_TOO_LONG 2
int lines_next(LineReader *r, Buf *line, SwErr *err);
/* Sets the longest line lines_next returns whole (default: no limit). */
void lines_set_limit(LineReader *r, size_t limit);
/* 1-based number of the line last returned. */
size_t lines_number(const LineReader *r);
/* Bytes of (compressed) input consumed so far, and the file size (0 when
 * unknown), for progress reports. */
size_t lines_offset(const LineReader *r);
size_t lines_size(const LineReader *r);
void lines_close(LineReader *r);

#endif
