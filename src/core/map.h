/* map.h - a string-keyed hash map (open addressing, linear probing) and
 * 64-bit hashing shared by the whole program.
 *
 * Keys are copied into the map; values are opaque pointers or integers. */
#ifndef SW_MAP_H
#define SW_MAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct StrMapEntry {
    char *key; /* NULL marks an empty slot */
    size_t key_len;
    uint64_t hash;
    union {
        void *ptr;
        int64_t num;
        double real;
    } val;
} StrMapEntry;

typedef struct StrMap {
    StrMapEntry *slots;
    size_t cap, count;
} StrMap;

/* FNV-1a 64 mixed with a final avalanche; stable across runs and
 * platforms, so hashes may be stored on disk. */
uint64_t hash64(const void *p, size_t n);
uint64_t hash64_seed(const void *p, size_t n, uint64_t seed);
/* The mixing step that ends hash64 (murmur3's finaliser), for callers
 * that run FNV-1a over pieces themselves. */
static inline uint64_t hash64_finish(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* Finds the entry for key, or NULL. */
StrMapEntry *strmap_get(const StrMap *m, const char *key, size_t n);
/* Finds or inserts the entry for key; *created says which (may be NULL).
 * A created entry has a zeroed value. Pointers into the map are valid until
 * the next insertion. */
StrMapEntry *strmap_put(StrMap *m, const char *key, size_t n, int *created);
void strmap_free(StrMap *m); /* frees keys and slots, not pointer values */

#define STRMAP_FOREACH(m, e) \
    for (StrMapEntry *e = (m)->slots; e && e < (m)->slots + (m)->cap; e++) \
        if (e->key)



/* An integer-keyed map (open addressing) for ids and term statistics. */
typedef struct IntMapEntry {
    uint64_t key;
    int64_t val;
    int used;
} IntMapEntry;

typedef struct IntMap {
    IntMapEntry *slots;
    size_t cap, count;
} IntMap;

/* Pointer to the value for key, or NULL. Valid until the next insertion. */
int64_t *intmap_get(const IntMap *m, uint64_t key);
/* Pointer to the value for key, inserting 0 when absent. */
int64_t *intmap_put(IntMap *m, uint64_t key, int *created);
void intmap_free(IntMap *m);

#endif
