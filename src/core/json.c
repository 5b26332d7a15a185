/* json.c - recursive descent with a depth limit. Arrays and objects are
 * collected in growable arena arrays and never reallocated afterwards. */
#include "json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "utf8util.h"
#ifdef __SSE2__
#include <emmintrin.h>
#endif

typedef struct {
    const char *s, *end, *start;
    Arena *a;
    SwErr *err;
    int depth;
} Parser;

static int fail(Parser *p, const char *what)
{
    return sw_err(p->err, "column %zu: %s", (size_t)(p->s - p->start) + 1, what);
}

static void skip_ws(Parser *p)
{
    while (p->s < p->end && (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r'))
        p->s++;
}

static JsonValue *parse_value(Parser *p);

static int hex4(Parser *p, uint32_t *out)
{
    if (p->end - p->s < 4)
        return fail(p, "truncated \\u escape");
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p->s[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (uint32_t)(c - 'A' + 10);
        else return fail(p, "bad \\u escape");
    }
    p->s += 4;
    *out = v;
    return 0;
}

/* p->s is just past the opening quote. */
static int parse_string(Parser *p, char **out, size_t *out_len)
{
    /* the decoded string is never longer than its source text */
    const char *scan = p->s;
    while (scan < p->end) {
#ifdef __SSE2__
        /* to the next quote or backslash, sixteen bytes at a time */
        while (p->end - scan >= 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)scan);
            int m = _mm_movemask_epi8(
                _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
            if (m) {
                scan += __builtin_ctz((unsigned)m);
                break;
            }
            scan += 16;
        }
        if (scan >= p->end)
            break;
#endif
        if (*scan == '"')
            break;
        scan += (*scan == '\\') ? 2 : 1;
    }
    size_t cap = (size_t)(scan - p->s) + 8;
    char *d = arena_alloc_raw(p->a, cap); /* written up to its NUL */
    size_t n = 0;
    while (p->s < p->end) {
#ifdef __SSE2__
        /* copy a run of plain ASCII (no quote, backslash or control
         * character) sixteen bytes at a time */
        const __m128i space = _mm_set1_epi8(0x20), quot = _mm_set1_epi8('"'), bsl = _mm_set1_epi8('\\');
        while (p->end - p->s >= 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p->s);
            __m128i stop = _mm_or_si128(_mm_cmplt_epi8(v, space), /* also 0x80 and above */
                                        _mm_or_si128(_mm_cmpeq_epi8(v, quot), _mm_cmpeq_epi8(v, bsl)));
            int m = _mm_movemask_epi8(stop);
            size_t run = m ? (size_t)__builtin_ctz((unsigned)m) : 16;
            memcpy(d + n, p->s, run);
            n += run;
            p->s += run;
            if (m)
                break;
        }
        if (p->s >= p->end)
            break;
#endif
        unsigned char c = (unsigned char)*p->s;
        if (c == '"') {
            p->s++;
            d[n] = '\0';
            *out = d;
            *out_len = n;
            return 0;
        }
        if (c < 0x20)
            return fail(p, "control character in string");
        if (c == '\\') {
            p->s++;
            if (p->s >= p->end)
                break;
            char e = *p->s++;
            switch (e) {
            case '"': d[n++] = '"'; break;
            case '\\': d[n++] = '\\'; break;
            case '/': d[n++] = '/'; break;
            case 'b': d[n++] = '\b'; break;
            case 'f': d[n++] = '\f'; break;
            case 'n': d[n++] = '\n'; break;
            case 'r': d[n++] = '\r'; break;
            case 't': d[n++] = '\t'; break;
            case 'u': {
                uint32_t cp;
                if (hex4(p, &cp))
                    return -1;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    uint32_t lo;
                    const char *after = p->s;
                    uint32_t hi = cp;
                    cp = 0xFFFD; /* a high surrogate alone */
                    if (p->end - p->s >= 6 && p->s[0] == '\\' && p->s[1] == 'u') {
                        p->s += 2;
                        if (hex4(p, &lo))
                            return -1;
                        if (lo >= 0xDC00 && lo <= 0xDFFF)
                            cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                        else
                            p->s = after; /* not its pair: decode it on its own */
                    }
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    cp = 0xFFFD;
                }
                if (cp == 0)
                    cp = 0xFFFD; /* NUL would cut C strings short */
                n += utf8_encode(cp, d + n);
                break;
            }
            default:
                return fail(p, "bad escape in string");
            }
            continue;
        }
        if (c >= 0x80) {
            size_t len = utf8_seq_len(p->s, (size_t)(p->end - p->s));
            if (!len)
                return fail(p, "invalid UTF-8 in string");
            memcpy(d + n, p->s, len);
            n += len;
            p->s += len;
            continue;
        }
        d[n++] = (char)c;
        p->s++;
    }
    return fail(p, "unterminated string");
}

static JsonValue *new_value(Parser *p, JsonType t)
{
    JsonValue *v = ARENA_NEW(p->a, JsonValue);
    v->type = t;
    return v;
}

static JsonValue *parse_number(Parser *p)
{
    const char *b = p->s;
    if (p->s < p->end && *p->s == '-')
        p->s++;
    if (p->s >= p->end || !(*p->s >= '0' && *p->s <= '9')) {
        fail(p, "bad number");
        return NULL;
    }
    if (*p->s == '0')
        p->s++;
    else
        while (p->s < p->end && *p->s >= '0' && *p->s <= '9')
            p->s++;
    if (p->s < p->end && *p->s == '.') {
        p->s++;
        if (p->s >= p->end || !(*p->s >= '0' && *p->s <= '9')) {
            fail(p, "bad number");
            return NULL;
        }
        while (p->s < p->end && *p->s >= '0' && *p->s <= '9')
            p->s++;
    }
    if (p->s < p->end && (*p->s == 'e' || *p->s == 'E')) {
        p->s++;
        if (p->s < p->end && (*p->s == '+' || *p->s == '-'))
            p->s++;
        if (p->s >= p->end || !(*p->s >= '0' && *p->s <= '9')) {
            fail(p, "bad number");
            return NULL;
        }
        while (p->s < p->end && *p->s >= '0' && *p->s <= '9')
            p->s++;
    }
    char tmp[64];
    size_t len = (size_t)(p->s - b);
    if (len >= sizeof tmp) {
        fail(p, "number too long");
        return NULL;
    }
    memcpy(tmp, b, len);
    tmp[len] = '\0';
    JsonValue *v = new_value(p, JSON_NUMBER);
    v->u.number = strtod(tmp, NULL);
    if (!isfinite(v->u.number)) {
        fail(p, "number out of range");
        return NULL;
    }
    return v;
}

static int literal(Parser *p, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(p->end - p->s) < n || memcmp(p->s, word, n) != 0)
        return fail(p, "unexpected character");
    p->s += n;
    return 0;
}

static JsonValue *parse_array(Parser *p)
{
    JsonValue *v = new_value(p, JSON_ARRAY);
    size_t cap = 0;
    p->s++;
    skip_ws(p);
    if (p->s < p->end && *p->s == ']') {
        p->s++;
        return v;
    }
    for (;;) {
        JsonValue *item = parse_value(p);
        if (!item)
            return NULL;
        if (v->u.arr.n == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            v->u.arr.items = arena_grow(p->a, v->u.arr.items, cap, ncap, sizeof *v->u.arr.items);
            cap = ncap;
        }
        v->u.arr.items[v->u.arr.n++] = item;
        skip_ws(p);
        if (p->s < p->end && *p->s == ',') {
            p->s++;
            continue;
        }
        if (p->s < p->end && *p->s == ']') {
            p->s++;
            return v;
        }
        fail(p, p->s >= p->end ? "unterminated array" : "expected ',' or ']' in array");
        return NULL;
    }
}

static JsonValue *parse_object(Parser *p)
{
    JsonValue *v = new_value(p, JSON_OBJECT);
    size_t cap = 0;
    p->s++;
    skip_ws(p);
    if (p->s < p->end && *p->s == '}') {
        p->s++;
        return v;
    }
    for (;;) {
        skip_ws(p);
        if (p->s >= p->end || *p->s != '"') {
            fail(p, p->s >= p->end ? "unterminated object" : "expected a string key");
            return NULL;
        }
        p->s++;
        char *key;
        size_t key_len;
        if (parse_string(p, &key, &key_len))
            return NULL;
        skip_ws(p);
        if (p->s >= p->end || *p->s != ':') {
            fail(p, "expected ':' after key");
            return NULL;
        }
        p->s++;
        JsonValue *val = parse_value(p);
        if (!val)
            return NULL;
        if (v->u.obj.n == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            v->u.obj.keys = arena_grow(p->a, v->u.obj.keys, cap, ncap, sizeof *v->u.obj.keys);
            v->u.obj.vals = arena_grow(p->a, v->u.obj.vals, cap, ncap, sizeof *v->u.obj.vals);
            cap = ncap;
        }
        v->u.obj.keys[v->u.obj.n] = key;
        v->u.obj.vals[v->u.obj.n++] = val;
        skip_ws(p);
        if (p->s < p->end && *p->s == ',') {
            p->s++;
            continue;
        }
        if (p->s < p->end && *p->s == '}') {
            p->s++;
            return v;
        }
        fail(p, p->s >= p->end ? "unterminated object" : "expected ',' or '}' in object");
        return NULL;
    }
}

static JsonValue *parse_value(Parser *p)
{
    skip_ws(p);
    if (p->s >= p->end) {
        fail(p, "unexpected end of input");
        return NULL;
    }
    JsonValue *v = NULL;
    switch (*p->s) {
    case '{':
    case '[':
        if (++p->depth > JSON_MAX_DEPTH) {
            fail(p, "nested too deeply");
            return NULL;
        }
        v = *p->s == '{' ? parse_object(p) : parse_array(p);
        p->depth--;
        return v;
    case '"': {
        p->s++;
        v = new_value(p, JSON_STRING);
        if (parse_string(p, &v->u.str.s, &v->u.str.len))
            return NULL;
        return v;
    }
    case 't':
        if (literal(p, "true"))
            return NULL;
        v = new_value(p, JSON_BOOL);
        v->u.boolean = 1;
        return v;
    case 'f':
        if (literal(p, "false"))
            return NULL;
        return new_value(p, JSON_BOOL);
    case 'n':
        if (literal(p, "null"))
            return NULL;
        return new_value(p, JSON_NULL);
    default:
        if (*p->s == '-' || (*p->s >= '0' && *p->s <= '9'))
            return parse_number(p);
        fail(p, "unexpected character");
        return NULL;
    }
}

JsonValue *json_parse(Arena *a, const char *s, size_t n, SwErr *err)
{
    Parser p = {.s = s, .end = s + n, .start = s, .a = a, .err = err};
    /* a UTF-8 byte order mark is tolerated at the very start */
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        p.s += 3;
    JsonValue *v = parse_value(&p);
    if (!v)
        return NULL;
    skip_ws(&p);
    if (p.s != p.end) {
        fail(&p, "unexpected text after the value");
        return NULL;
    }
    return v;
}

const JsonValue *json_get(const JsonValue *v, const char *key)
{
    if (!v || v->type != JSON_OBJECT)
        return NULL;
    /* last one wins, like most parsers, so later duplicates override */
    for (size_t i = v->u.obj.n; i-- > 0;)
        if (strcmp(v->u.obj.keys[i], key) == 0)
            return v->u.obj.vals[i];
    return NULL;
}

const char *json_get_str(const JsonValue *v, const char *key)
{
    const JsonValue *m = json_get(v, key);
    return m && m->type == JSON_STRING ? m->u.str.s : NULL;
}

double json_get_num(const JsonValue *v, const char *key, double def)
{
    const JsonValue *m = json_get(v, key);
    return m && m->type == JSON_NUMBER ? m->u.number : def;
}

int64_t json_get_int(const JsonValue *v, const char *key, int64_t def)
{
    const JsonValue *m = json_get(v, key);
    if (!m || m->type != JSON_NUMBER || m->u.number < -9.2e18 || m->u.number > 9.2e18)
        return def;
    return (int64_t)m->u.number;
}
