/* extract.c - extract_html: bytes in, article out.
 *
 * The steps: refuse what is not HTML (too large, binary), convert to UTF-8
 * (charset.c), parse with libxml2's forgiving HTML parser, read metadata
 * (meta.c) and then the body (body.c), which prunes the tree it reads. */
#include <stdlib.h>
#include <string.h>

#include "extract_internal.h"

/* Binary data has NUL bytes or many control characters near its start;
 * HTML (in any ASCII-compatible charset) has neither. UTF-16 pages carry
 * a BOM and are let through. */
static int looks_binary(const unsigned char *s, size_t n)
{
    if (n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF)))
        return 0;
    size_t lim = n < 4096 ? n : 4096, ctl = 0;
    for (size_t i = 0; i < lim; i++) {
        if (s[i] == 0)
            return 1;
        if (s[i] < 0x20 && s[i] != '\n' && s[i] != '\r' && s[i] != '\t' && s[i] != '\f')
            ctl++;
    }
    return ctl * 20 > lim;
}

/* The first non-space byte is '<' for every HTML page, allowing a BOM. */
static int looks_like_markup(const char *s, size_t n)
{
    size_t lim = n < 4096 ? n : 4096;
    for (size_t i = 0; i < lim; i++)
        if (s[i] == '<')
            return 1;
    return 0;
}

int extract_html(const char *data, size_t len, const char *page_url, const char *http_charset,
                 Extracted *out, SwErr *err)
{
    memset(out, 0, sizeof *out);
    if (len > EXTRACT_MAX_BYTES)
        return sw_err(err, "page is %zu bytes, more than the %u the extractor accepts", len,
                      (unsigned)EXTRACT_MAX_BYTES);
    if (len == 0)
        return sw_err(err, "page is empty");
    if (looks_binary((const unsigned char *)data, len))
        return sw_err(err, "not HTML: binary data (control bytes in the first 4 KB)");

    Buf utf8 = {0};
    char charset[32];
    size_t text_len;
    const char *text = extract_to_utf8(data, len, http_charset, &utf8, &text_len, charset, sizeof charset);
    if (!looks_like_markup(text, text_len)) {
        buf_free(&utf8);
        return sw_err(err, "not HTML: no markup in the first 4 KB");
    }

    HTree tree;
    int rc = htree_parse(&tree, text, text_len);
    buf_free(&utf8);
    if (rc != 0 || !tree.root->children) {
        htree_free(&tree);
        return sw_err(err, "HTML parser found no elements");
    }
    char *article_body = NULL;
    extract_meta(&tree, page_url, out, &article_body);
    out->text = extract_body(&tree, out->title, article_body);
    free(article_body);
    htree_free(&tree);
    return 0;
}

void extracted_free(Extracted *x)
{
    if (!x)
        return;
    free(x->title);
    free(x->text);
    free(x->author);
    free(x->image);
    free(x->url);
    free(x->lang);
    free(x->site_name);
    free(x->description);
    memset(x, 0, sizeof *x);
}
