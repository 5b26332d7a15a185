/* arena.c - a linked list of blocks; large requests get a block of their own
 * so that a big allocation does not waste the rest of a normal block. */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

/* Under AddressSanitizer the blocks arena_reset keeps are poisoned until
 * handed out again, so that a pointer used past a reset is reported
 * instead of silently reading the next item's data. */
#if defined(__SANITIZE_ADDRESS__)
#define ARENA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_ASAN 1
#endif
#endif
#ifdef ARENA_ASAN
#include <sanitizer/asan_interface.h>
#define ARENA_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define ARENA_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define ARENA_POISON(p, n) ((void)(p), (void)(n))
#define ARENA_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define ARENA_BLOCK 65536
#define ARENA_ALIGN 16

struct ArenaBlock {
    ArenaBlock *next;
    size_t used, cap;
    _Alignas(ARENA_ALIGN) unsigned char mem[];
};

/* n bytes (rounded up to ARENA_ALIGN, at least that), not zeroed. */
static inline void *take(Arena *a, size_t n)
{
    ArenaBlock *b = a->head;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK;
        ArenaBlock *nb;
        if (cap == ARENA_BLOCK && a->spare) {
            nb = a->spare;
            a->spare = nb->next;
            a->n_spare--;
        } else {
            nb = xmalloc(sizeof *nb + cap);
        }
        nb->used = 0;
        nb->cap = cap;
        if (b && cap == n && b->cap - b->used >= ARENA_ALIGN) {
            /* keep the partly used block at the head for small requests */
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            a->head = nb;
        }
        b = nb;
    }
    void *p = b->mem + b->used;
    b->used += n;
    a->total += n;
    ARENA_UNPOISON(p, n);
    return p;
}

static size_t rounded(size_t n)
{
    n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    return n ? n : ARENA_ALIGN;
}

void *arena_alloc(Arena *a, size_t n)
{
    n = rounded(n);
    void *p = take(a, n);
    memset(p, 0, n);
    return p;
}

void *arena_alloc_raw(Arena *a, size_t n)
{
    return take(a, rounded(n));
}

char *arena_strndup(Arena *a, const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *d = arena_alloc_raw(a, n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *arena_strdup(Arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(Arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return arena_strdup(a, "");
    char *d = arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(d, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return d;
}

void *arena_grow(Arena *a, void *old, size_t old_n, size_t new_n, size_t elem)
{
    unsigned char *p = arena_alloc_raw(a, new_n * elem);
    size_t kept = old && old_n ? (old_n < new_n ? old_n : new_n) * elem : 0;
    if (kept)
        memcpy(p, old, kept);
    memset(p + kept, 0, new_n * elem - kept); /* the new part zeroed, as arena_alloc's */
    return p;
}

static void free_blocks(ArenaBlock *b)
{
    while (b) {
        ArenaBlock *next = b->next;
        ARENA_UNPOISON(b->mem, b->cap);
        free(b);
        b = next;
    }
}

void arena_free(Arena *a)
{
    free_blocks(a->head);
    free_blocks(a->spare);
    a->head = NULL;
    a->spare = NULL;
    a->n_spare = 0;
    a->total = 0;
}

void arena_reset(Arena *a, size_t keep_blocks)
{
    ArenaBlock *b = a->head;
    while (b) {
        ArenaBlock *next = b->next;
        if (b->cap == ARENA_BLOCK && a->n_spare < keep_blocks) {
            b->used = 0;
            ARENA_POISON(b->mem, b->cap);
            b->next = a->spare;
            a->spare = b;
            a->n_spare++;
        } else {
            free(b);
        }
        b = next;
    }
    a->head = NULL;
    a->total = 0;
}
