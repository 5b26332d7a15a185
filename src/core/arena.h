/* arena.h - bump allocation for work with one lifetime (an article being
 * analysed, a page being written, an HTTP request). Everything allocated
 * from an arena is released together by arena_free. */
#ifndef SW_ARENA_H
#define SW_ARENA_H

#include <stddef.h>

typedef struct ArenaBlock ArenaBlock;

typedef struct Arena {
    ArenaBlock *head;
    size_t total;       /* bytes handed out, for statistics */
    ArenaBlock *spare;  /* blocks kept by arena_reset, handed out again first */
    size_t n_spare;
} Arena;

/* A zero-initialised Arena is ready to use. Returned memory is zeroed and
 * aligned for any type. Never returns NULL. */
void *arena_alloc(Arena *a, size_t n);
/* arena_alloc without the zeroing, for memory the caller fills before
 * reading it (a copy, a buffer written up to its length). */
void *arena_alloc_raw(Arena *a, size_t n);
char *arena_strdup(Arena *a, const char *s);        /* NULL stays NULL */
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_printf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Grows an array allocated from the arena (old contents copied). */
void *arena_grow(Arena *a, void *old, size_t old_n, size_t new_n, size_t elem);
void arena_free(Arena *a);
/* Releases everything allocated, like arena_free, but keeps up to
 * keep_blocks of the arena's normal-size blocks for the next allocations:
 * an arena used once per item (an article) then neither returns its memory
 * to malloc nor touches fresh pages each time. arena_free releases them. */
void arena_reset(Arena *a, size_t keep_blocks);

#define ARENA_NEW(a, T) ((T *)arena_alloc((a), sizeof(T)))
#define ARENA_ARRAY(a, T, n) ((T *)arena_alloc((a), sizeof(T) * (size_t)(n)))

#endif
