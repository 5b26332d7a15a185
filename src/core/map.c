/* map.c - open addressing keeps entries in one array: fast to scan, cheap
 * to free. The table doubles at 70% load. */
#include "map.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"

uint64_t hash64_seed(const void *p, size_t n, uint64_t seed)
{
    const unsigned char *s = p;
    uint64_t h = 1469598103934665603ULL ^ seed;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    /* murmur3 finaliser: FNV alone clusters low bits for short keys */
    return hash64_finish(h);
}

uint64_t hash64(const void *p, size_t n)
{
    return hash64_seed(p, n, 0);
}

static StrMapEntry *find_slot(StrMapEntry *slots, size_t cap, const char *key, size_t n, uint64_t h)
{
    size_t i = (size_t)h & (cap - 1);
    for (;;) {
        StrMapEntry *e = &slots[i];
        if (!e->key || (e->hash == h && e->key_len == n && memcmp(e->key, key, n) == 0))
            return e;
        i = (i + 1) & (cap - 1);
    }
}

StrMapEntry *strmap_get(const StrMap *m, const char *key, size_t n)
{
    if (!m->cap)
        return NULL;
    StrMapEntry *e = find_slot(m->slots, m->cap, key, n, hash64(key, n));
    return e->key ? e : NULL;
}

static void grow(StrMap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 16;
    StrMapEntry *slots = xcalloc(cap, sizeof *slots);
    for (size_t i = 0; i < m->cap; i++) {
        StrMapEntry *old = &m->slots[i];
        if (old->key)
            *find_slot(slots, cap, old->key, old->key_len, old->hash) = *old;
    }
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
}

StrMapEntry *strmap_put(StrMap *m, const char *key, size_t n, int *created)
{
    if ((m->count + 1) * 10 > m->cap * 7)
        grow(m);
    uint64_t h = hash64(key, n);
    StrMapEntry *e = find_slot(m->slots, m->cap, key, n, h);
    if (created)
        *created = !e->key;
    if (!e->key) {
        e->key = xstrndup(key, n);
        e->key_len = n;
        e->hash = h;
        e->val.num = 0;
        m->count++;
    }
    return e;
}

void strmap_free(StrMap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].key);
    free(m->slots);
    m->slots = NULL;
    m->cap = m->count = 0;
}

static IntMapEntry *int_slot(IntMapEntry *slots, size_t cap, uint64_t key)
{
    size_t i = (size_t)hash64_finish(key) & (cap - 1);
    while (slots[i].used && slots[i].key != key)
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

int64_t *intmap_get(const IntMap *m, uint64_t key)
{
    if (!m->cap)
        return NULL;
    IntMapEntry *e = int_slot(m->slots, m->cap, key);
    return e->used ? &e->val : NULL;
}

int64_t *intmap_put(IntMap *m, uint64_t key, int *created)
{
    if ((m->count + 1) * 10 > m->cap * 7) {
        size_t cap = m->cap ? m->cap * 2 : 16;
        IntMapEntry *slots = xcalloc(cap, sizeof *slots);
        for (size_t i = 0; i < m->cap; i++)
            if (m->slots[i].used)
                *int_slot(slots, cap, m->slots[i].key) = m->slots[i];
        free(m->slots);
        m->slots = slots;
        m->cap = cap;
    }
    IntMapEntry *e = int_slot(m->slots, m->cap, key);
    if (created)
        *created = !e->used;
    if (!e->used) {
        e->used = 1;
        e->key = key;
        e->val = 0;
        m->count++;
    }
    return &e->val;
}

void intmap_free(IntMap *m)
{
    free(m->slots);
    m->slots = NULL;
    m->cap = m->count = 0;
}
