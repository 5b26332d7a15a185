/* xml.h - a tolerant, non-validating XML tokenizer for feeds and OPML.
 *
 * It reads a whole UTF-8 buffer and reports start tags (with raw
 * attributes), end tags and text runs through callbacks, giving pointers
 * into the buffer so nothing is copied. It never fails: broken markup
 * degrades into text or is skipped. It never loads anything and ignores
 * DOCTYPE declarations entirely, so external entities (XXE) and entity
 * expansion bombs cannot happen: only the five predefined entities,
 * character references and HTML's named entities are decoded (by
 * xml_decode), and those expand to at most 4 bytes each. */
#ifndef SW_FEEDS_XML_H
#define SW_FEEDS_XML_H

#include <stddef.h>

#include "../core/buf.h"

typedef struct XmlAttr {
    const char *name;  /* qualified name, e.g. "xml:base" */
    size_t name_len;
    const char *value; /* raw, entities not decoded */
    size_t value_len;
} XmlAttr;

#define XML_MAX_ATTRS 32

typedef struct XmlHandler {
    /* A start tag. `after` points just past its '>' (where content starts).
     * A self-closing tag is followed by its end call. */
    void (*start)(void *ctx, const char *name, size_t name_len, const XmlAttr *attrs,
                  size_t nattrs, const char *after);
    /* An end tag; `at` points at its '<' (where content ended). */
    void (*end)(void *ctx, const char *name, size_t name_len, const char *at);
    /* Text between tags, raw (entities not decoded; CDATA sections are
     * reported with cdata=1 and their content only). May be NULL. */
    void (*text)(void *ctx, const char *s, size_t n, int cdata);
    void *ctx;
    int stop; /* a callback may set this to stop the scan early */
} XmlHandler;

/* Scans s[0..n). */
void xml_scan(const char *s, size_t n, XmlHandler *h);

/* Appends s with character references and entities decoded (unknown
 * entities are kept as written). */
void xml_decode(Buf *out, const char *s, size_t n);

/* Appends the inner XML s[0..n) as a string value: text decoded, CDATA
 * sections unwrapped, comments dropped and child tags kept as written
 * (so markup inside a field survives as HTML). */
void xml_inner_value(Buf *out, const char *s, size_t n);

/* Decodes one entity at s ('&'...';', n bytes available) into out;
 * returns the bytes consumed, or 0 when it is not one we know. */
size_t xml_entity(const char *s, size_t n, Buf *out);

/* The local part of a qualified name ("dc:date" -> "date"). */
const char *xml_local(const char *name, size_t len, size_t *local_len);

#endif
