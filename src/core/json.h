/* json.h - a strict JSON (RFC 8259) parser into an arena-backed tree.
 *
 * Used for article JSONL, stored pages and API tests. Strings are decoded
 * to UTF-8 (invalid UTF-8 inside a string is an error, so bad input is
 * reported rather than stored); numbers are kept as doubles. Nesting is
 * limited so hostile input cannot exhaust the stack. */
#ifndef SW_JSON_H
#define SW_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "err.h"

typedef enum { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT } JsonType;

typedef struct JsonValue JsonValue;
struct JsonValue {
    JsonType type;
    union {
        int boolean;
        double number;
        struct { char *s; size_t len; } str;          /* NUL-terminated too */
        struct { JsonValue **items; size_t n; } arr;
        struct { char **keys; JsonValue **vals; size_t n; } obj;
    } u;
};

#define JSON_MAX_DEPTH 64

/* Parses exactly one JSON value (surrounding whitespace allowed). On error
 * returns NULL and writes "column N: what" into err. */
JsonValue *json_parse(Arena *a, const char *s, size_t n, SwErr *err);

/* Object member by key, or NULL (also NULL when v is not an object). */
const JsonValue *json_get(const JsonValue *v, const char *key);
/* The member's string, or NULL when absent or not a string. */
const char *json_get_str(const JsonValue *v, const char *key);
/* The member's number, or def when absent or not a number. */
double json_get_num(const JsonValue *v, const char *key, double def);
int64_t json_get_int(const JsonValue *v, const char *key, int64_t def);

#endif
