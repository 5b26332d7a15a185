/* cmd_extract.c - `storywire extract PAGE.html... [--url URL] [--format text|json]`.
 *
 * Reads each page (gzip or plain, "-" for standard input), runs the
 * article extractor and prints the result: as text (a few "Field: value"
 * lines, a blank line, the body) or as JSON, one object a line with the
 * page's file name. A page that cannot be read or extracted is reported on
 * standard error with its name; the others still go on, and the exit
 * status is then 2 (EXIT_PARTIAL), or 1 when no page worked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/fileio.h"
#include "../core/log.h"
#include "../core/timeutil.h"
#include "../extract/extract.h"
#include "args.h"
#include "cmd_extract.h"

static const char extract_help[] =
    "Usage: storywire extract PAGE.html... [--url URL] [--charset NAME] [--format text|json]\n\n"
    "Finds the article in each web page and prints its title, body text (paragraphs\n"
    "separated by blank lines) and metadata: author, published date, lead image,\n"
    "canonical URL, language, site name, description. Pages may be gzip-compressed\n"
    "(.html.gz); '-' reads standard input.\n\n"
    "Options:\n"
    "  --url URL        the address the page was fetched from: resolves relative links\n"
    "                   and is the URL when the page names no canonical one\n"
    "  --charset NAME   the charset of the HTTP Content-Type header, when known\n"
    "                   (otherwise: byte-order mark, <meta charset>, then a guess)\n"
    "  --format FMT     text (default) or json: one JSON object a line with the fields\n"
    "                   file, title, text, author, published (RFC 3339), image, url,\n"
    "                   lang, site_name, description (null when unknown)\n"
    "  -h, --help       this help\n\n"
    "Exit status: 0 all pages extracted, 2 some failed (each named on standard error),\n"
    "1 none could be extracted, 64 usage error.\n";

static void print_json(Buf *o, const char *file, const Extracted *x)
{
    buf_puts(o, "{\"file\":");
    buf_json_cstr(o, file);
    buf_puts(o, ",\"title\":");
    buf_json_cstr(o, x->title);
    buf_puts(o, ",\"text\":");
    buf_json_cstr(o, x->text);
    buf_puts(o, ",\"author\":");
    buf_json_cstr(o, x->author);
    buf_puts(o, ",\"published\":");
    buf_json_time(o, x->published);
    buf_puts(o, ",\"image\":");
    buf_json_cstr(o, x->image);
    buf_puts(o, ",\"url\":");
    buf_json_cstr(o, x->url);
    buf_puts(o, ",\"lang\":");
    buf_json_cstr(o, x->lang);
    buf_puts(o, ",\"site_name\":");
    buf_json_cstr(o, x->site_name);
    buf_puts(o, ",\"description\":");
    buf_json_cstr(o, x->description);
    buf_puts(o, "}\n");
}

static void field(Buf *o, const char *name, const char *v)
{
    if (v && *v)
        buf_printf(o, "%s: %s\n", name, v);
}

static void print_text(Buf *o, const char *file, const Extracted *x, int many)
{
    if (many)
        buf_printf(o, "==> %s <==\n", file);
    field(o, "Title", x->title);
    field(o, "Author", x->author);
    if (x->published) {
        char t[32];
        time_format_rfc3339(x->published, t, sizeof t);
        field(o, "Published", t);
    }
    field(o, "URL", x->url);
    field(o, "Image", x->image);
    field(o, "Language", x->lang);
    field(o, "Site", x->site_name);
    field(o, "Description", x->description);
    buf_putc(o, '\n');
    if (x->text && *x->text) {
        buf_puts(o, x->text);
        buf_putc(o, '\n');
    }
    if (many)
        buf_putc(o, '\n');
}

int cmd_extract(CliContext *ctx, int argc, char **argv)
{
    (void)ctx;
    if (cli_wants_help(argc, argv)) {
        fputs(extract_help, stdout);
        return EXIT_OK;
    }
    const char *url = NULL, *format = "text", *charset = NULL;
    ArgSpec specs[] = {{"url", 1, &url}, {"format", 1, &format}, {"charset", 1, &charset}, {0}};
    char **pos = xmalloc(((size_t)argc + 1) * sizeof *pos);
    int n_pos;
    if (args_parse("extract", argc, argv, specs, pos, &n_pos) != 0) {
        free(pos);
        return EXIT_USAGE;
    }
    int json = strcmp(format, "json") == 0;
    if (!json && strcmp(format, "text") != 0) {
        fprintf(stderr, "storywire extract: --format must be text or json, not '%s'\n", format);
        free(pos);
        return EXIT_USAGE;
    }
    if (n_pos == 0) {
        fputs("storywire extract: give one or more PAGE.html files (see 'storywire extract --help')\n",
              stderr);
        free(pos);
        return EXIT_USAGE;
    }
    size_t ok = 0, failed = 0;
    Buf page = {0}, out = {0};
    for (int i = 0; i < n_pos; i++) {
        SwErr err;
        Extracted x;
        buf_reset(&page);
        if (file_read_all(pos[i], EXTRACT_MAX_BYTES, &page, &err) != 0) {
            log_error("storywire extract: %s", err.msg); /* the message names the file */
            failed++;
            continue;
        }
        if (extract_html(page.data ? page.data : "", page.len, url, charset, &x, &err) != 0) {
            log_error("storywire extract: %s: %s", pos[i], err.msg);
            failed++;
            continue;
        }
        buf_reset(&out);
        if (json)
            print_json(&out, pos[i], &x);
        else
            print_text(&out, pos[i], &x, n_pos > 1);
        fwrite(out.data, 1, out.len, stdout);
        extracted_free(&x);
        ok++;
    }
    fflush(stdout);
    buf_free(&page);
    buf_free(&out);
    free(pos);
    if (failed)
        return ok ? EXIT_PARTIAL : EXIT_FAIL;
    return EXIT_OK;
}
