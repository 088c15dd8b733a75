/* Large arrays on transparent huge pages, kept for reuse
 * (see large_alloc.h). */
#include "large_alloc.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define HUGE_PAGE ((size_t)2 << 20)
#define HUGE_FROM ((size_t)128 << 10) /* see large_alloc.h */
#define KEPT_BLOCKS 48
#define KEPT_BYTES_MAX ((size_t)128 << 20)

/* Freed huge-page blocks (rounded sizes), for the next allocation that fits, each in the
 * lane it was freed from (large_alloc.h). */
static struct {
    void *p;
    size_t size;
    unsigned lane;
} kept[KEPT_BLOCKS];
static size_t kept_bytes;
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t rounded_size(size_t bytes) { return (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1); }

/* The smallest kept block of at least size bytes and at most twice as large, or NULL.
 * Best fit: with the first that fit, a module's 4 MiB array took the 8 MiB block its 8 MiB
 * array had left, and that array then faulted in fresh huge pages at every compile (the
 * interpreter's records of the large guest: 40-48 % of a oneshot run zeroing pages when the
 * host was slow to back them, bench oneshot 65-80 ms against 17-22 ms). */
static void *take_kept(size_t size, unsigned lane)
{
    int best = -1;
    pthread_mutex_lock(&kept_lock);
    for (int i = 0; i < KEPT_BLOCKS; i++)
        if (kept[i].p && kept[i].lane == lane && kept[i].size >= size && kept[i].size / 2 <= size &&
            (best < 0 || kept[i].size < kept[best].size))
            best = i;
    void *p = best >= 0 ? kept[best].p : NULL;
    if (p) {
        kept_bytes -= kept[best].size;
        kept[best].p = NULL;
    }
    pthread_mutex_unlock(&kept_lock);
    return p;
}

void *util_alloc_large(size_t bytes) { return util_alloc_large_lane(bytes, 0); }

void *util_alloc_large_lane(size_t bytes, unsigned lane)
{
    if (bytes < HUGE_FROM) return malloc(bytes ? bytes : 1);
    size_t rounded = rounded_size(bytes);
    if (rounded < bytes) return NULL;
    void *p = take_kept(rounded, lane);
    if (p) return p;
    p = aligned_alloc(HUGE_PAGE, rounded);
#ifdef MADV_HUGEPAGE
    if (p) madvise(p, rounded, MADV_HUGEPAGE);
#endif
    return p;
}

void *util_alloc_large_paged(size_t bytes)
{
    if (bytes >= HUGE_FROM) return util_alloc_large(bytes); /* 2 MiB-aligned */
    return aligned_alloc(4096, (bytes + 4095) & ~(size_t)4095); /* util_free_large: free() */
}

void *util_calloc_large(size_t bytes)
{
    if (bytes < HUGE_FROM) return calloc(bytes ? bytes : 1, 1);
    void *p = util_alloc_large(bytes);
    if (p) memset(p, 0, bytes);
    return p;
}

void util_free_large(void *p, size_t bytes) { util_free_large_lane(p, bytes, 0); }

void util_free_large_lane(void *p, size_t bytes, unsigned lane)
{
    if (!p) return;
    if (bytes >= HUGE_FROM) {
        size_t rounded = rounded_size(bytes);
        pthread_mutex_lock(&kept_lock);
        for (int i = 0; i < KEPT_BLOCKS && p; i++)
            if (!kept[i].p && kept_bytes + rounded <= KEPT_BYTES_MAX) {
                kept[i].p = p;
                kept[i].size = rounded;
                kept[i].lane = lane;
                kept_bytes += rounded;
                p = NULL;
            }
        pthread_mutex_unlock(&kept_lock);
    }
    free(p);
}
