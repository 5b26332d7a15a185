/* page_cache.c - rendered pages kept in memory, ready to queue (see
 * web_internal.h for what an entry holds and docs/http.md for the rules).
 *
 * One table for the whole server: a hash table of chains keyed by a short
 * string ("s/<slug>", "j/<slug>", "i/<page>"), an LRU list through the same
 * entries, and a byte count held under a cap. One mutex guards all of it;
 * what is done under it is a hash lookup and a few pointer moves, never
 * rendering, compression or I/O.
 *
 * Entries are immutable once put: a newer rendering replaces an entry, it
 * does not change it. A reader takes a reference under the lock and queues
 * the entry's MHD responses without it; an entry leaves the table when it
 * is replaced or evicted, and is freed when the last reader lets go. MHD
 * counts its own references to the responses, so a connection still
 * sending an evicted page keeps its bytes until it is done. */
#include "web_internal.h"

#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"

#define BUCKETS_MIN 256

static uint64_t key_hash(const char *key)
{
    /* FNV-1a */
    uint64_t h = 1469598103934665603u;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    return h;
}

void page_cache_init(PageCache *pc, size_t cap_bytes)
{
    memset(pc, 0, sizeof *pc);
    pthread_mutex_init(&pc->lock, NULL);
    pc->cap = cap_bytes;
    pc->n_buckets = BUCKETS_MIN;
    pc->buckets = xcalloc(pc->n_buckets, sizeof *pc->buckets);
    pc->lru.prev = pc->lru.next = &pc->lru;
}

static void entry_free(CachedPage *p)
{
    for (int i = 0; i < 2; i++) {
        if (p->resp[i])
            MHD_destroy_response(p->resp[i]);
        if (p->resp304[i])
            MHD_destroy_response(p->resp304[i]);
    }
    free(p->key);
    free(p);
}

void page_cache_discard(CachedPage *p)
{
    if (p)
        entry_free(p);
}

static void lru_unlink(CachedPage *p)
{
    p->prev->next = p->next;
    p->next->prev = p->prev;
    p->prev = p->next = NULL;
}

static void lru_push_front(PageCache *pc, CachedPage *p)
{
    p->next = pc->lru.next;
    p->prev = &pc->lru;
    pc->lru.next->prev = p;
    pc->lru.next = p;
}

static CachedPage **chain_of(PageCache *pc, uint64_t hash)
{
    return &pc->buckets[hash & (pc->n_buckets - 1)];
}

static CachedPage *find(PageCache *pc, const char *key, uint64_t hash)
{
    for (CachedPage *p = *chain_of(pc, hash); p; p = p->hnext)
        if (p->hash == hash && strcmp(p->key, key) == 0)
            return p;
    return NULL;
}

/* Takes p out of the table and the LRU list. Returns p when nobody holds
 * it any more (the caller frees it after unlocking), else NULL (the last
 * page_cache_release frees it). */
static CachedPage *unlist(PageCache *pc, CachedPage *p)
{
    CachedPage **pp = chain_of(pc, p->hash);
    while (*pp != p)
        pp = &(*pp)->hnext;
    *pp = p->hnext;
    p->hnext = NULL;
    lru_unlink(p);
    p->in_table = 0;
    pc->bytes -= p->bytes;
    pc->entries--;
    return p->refs == 0 ? p : NULL;
}

static void grow(PageCache *pc)
{
    size_t n = pc->n_buckets * 2;
    CachedPage **b = xcalloc(n, sizeof *b);
    for (size_t i = 0; i < pc->n_buckets; i++) {
        CachedPage *p = pc->buckets[i];
        while (p) {
            CachedPage *next = p->hnext;
            p->hnext = b[p->hash & (n - 1)];
            b[p->hash & (n - 1)] = p;
            p = next;
        }
    }
    free(pc->buckets);
    pc->buckets = b;
    pc->n_buckets = n;
}

CachedPage *page_cache_get(PageCache *pc, const char *key, uint64_t epoch, int *fresh)
{
    uint64_t hash = key_hash(key);
    *fresh = 0;
    pthread_mutex_lock(&pc->lock);
    CachedPage *p = find(pc, key, hash);
    if (p) {
        p->refs++;
        *fresh = p->epoch == epoch;
        if (*fresh)
            pc->hits++;
        else
            pc->stale++;
        if (pc->lru.next != p) {
            lru_unlink(p);
            lru_push_front(pc, p);
        }
    } else {
        pc->misses++;
    }
    pthread_mutex_unlock(&pc->lock);
    return p;
}

void page_cache_mark_fresh(PageCache *pc, CachedPage *p, uint64_t epoch)
{
    pthread_mutex_lock(&pc->lock);
    /* epochs only grow: a slower revalidation never winds one back */
    if (p->epoch < epoch)
        p->epoch = epoch;
    pthread_mutex_unlock(&pc->lock);
}

CachedPage *page_cache_put(PageCache *pc, const char *key, CachedPage *p, uint64_t epoch)
{
    p->key = xstrdup(key);
    p->hash = key_hash(key);
    p->epoch = epoch;
    p->refs = 1;
    p->bytes += sizeof *p + strlen(key) + 1;
    CachedPage *dead[64];
    size_t n_dead = 0;
    pthread_mutex_lock(&pc->lock);
    CachedPage *old = find(pc, key, p->hash);
    /* an older version of a story never replaces a newer one (two workers
     * may render around a page write) */
    int keep_old = old && old->story_id == p->story_id && p->story_id != 0 && old->version > p->version;
    if (!keep_old && p->bytes <= pc->cap) {
        if (old && (old = unlist(pc, old)))
            dead[n_dead++] = old;
        /* least recently used first, until the new entry fits */
        while (pc->bytes + p->bytes > pc->cap && pc->lru.prev != &pc->lru) {
            CachedPage *victim = unlist(pc, pc->lru.prev);
            pc->evictions++;
            if (victim) {
                if (n_dead == sizeof dead / sizeof *dead) {
                    /* freeing under the lock is only slower, not wrong */
                    entry_free(victim);
                } else {
                    dead[n_dead++] = victim;
                }
            }
        }
        if (pc->entries + 1 > pc->n_buckets * 2)
            grow(pc);
        CachedPage **chain = chain_of(pc, p->hash);
        p->hnext = *chain;
        *chain = p;
        lru_push_front(pc, p);
        p->in_table = 1;
        pc->bytes += p->bytes;
        pc->entries++;
    }
    pthread_mutex_unlock(&pc->lock);
    for (size_t i = 0; i < n_dead; i++)
        entry_free(dead[i]);
    return p;
}

void page_cache_release(PageCache *pc, CachedPage *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&pc->lock);
    int last = --p->refs == 0 && !p->in_table;
    pthread_mutex_unlock(&pc->lock);
    if (last)
        entry_free(p);
}

void page_cache_stats(PageCache *pc, PageCacheStats *out)
{
    pthread_mutex_lock(&pc->lock);
    out->entries = pc->entries;
    out->bytes = pc->bytes;
    out->cap = pc->cap;
    out->hits = pc->hits;
    out->stale = pc->stale;
    out->misses = pc->misses;
    out->evictions = pc->evictions;
    pthread_mutex_unlock(&pc->lock);
}

void page_cache_free(PageCache *pc)
{
    CachedPage *p = pc->lru.next;
    while (p && p != &pc->lru) {
        CachedPage *next = p->next;
        entry_free(p);
        p = next;
    }
    free(pc->buckets);
    pc->buckets = NULL;
    pc->lru.prev = pc->lru.next = &pc->lru;
    pc->entries = pc->bytes = 0;
    pthread_mutex_destroy(&pc->lock);
}
