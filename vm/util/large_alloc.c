/* Large arrays on transparent huge pages, kept for reuse, or faulted in at once
 * (see large_alloc.h). */
#include "large_alloc.h"
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#define HUGE_PAGE ((size_t)2 << 20)
#define SMALL_PAGE ((size_t)4096)
#define KEPT_BLOCKS 4
#define KEPT_BYTES_MAX ((size_t)64 << 20)

/* Freed huge-page blocks (rounded sizes), for the next allocation that fits. */
static struct {
    void *p;
    size_t size;
} kept[KEPT_BLOCKS];
static size_t kept_bytes;
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t rounded_size(size_t bytes) { return (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1); }

/* A kept block of at least size bytes and at most twice as large, or NULL. */
static void *take_kept(size_t size)
{
    void *p = NULL;
    pthread_mutex_lock(&kept_lock);
    for (int i = 0; i < KEPT_BLOCKS && !p; i++)
        if (kept[i].p && kept[i].size >= size && kept[i].size / 2 <= size) {
            p = kept[i].p;
            kept_bytes -= kept[i].size;
            kept[i].p = NULL;
        }
    pthread_mutex_unlock(&kept_lock);
    return p;
}

void *util_alloc_large(size_t bytes, bool will_fill)
{
    if (bytes < 2 * HUGE_PAGE) {
        void *p = malloc(bytes ? bytes : 1);
#ifdef MADV_POPULATE_WRITE
        /* The whole pages inside the block (malloc may have reused some: then it is a walk of present pages). */
        uintptr_t from = ((uintptr_t)p + SMALL_PAGE - 1) & ~(uintptr_t)(SMALL_PAGE - 1);
        uintptr_t to = ((uintptr_t)p + bytes) & ~(uintptr_t)(SMALL_PAGE - 1);
        if (p && will_fill && bytes >= 64 * SMALL_PAGE && to > from) madvise((void *)from, to - from, MADV_POPULATE_WRITE);
#endif
        return p;
    }
    size_t rounded = rounded_size(bytes);
    if (rounded < bytes) return NULL;
    void *p = take_kept(rounded);
    if (p) return p;
    p = aligned_alloc(HUGE_PAGE, rounded);
#ifdef MADV_HUGEPAGE
    if (p) madvise(p, rounded, MADV_HUGEPAGE);
#endif
    return p;
}

void util_free_large(void *p, size_t bytes)
{
    if (!p) return;
    if (bytes >= 2 * HUGE_PAGE) {
        size_t rounded = rounded_size(bytes);
        pthread_mutex_lock(&kept_lock);
        for (int i = 0; i < KEPT_BLOCKS && p; i++)
            if (!kept[i].p && kept_bytes + rounded <= KEPT_BYTES_MAX) {
                kept[i].p = p;
                kept[i].size = rounded;
                kept_bytes += rounded;
                p = NULL;
            }
        pthread_mutex_unlock(&kept_lock);
    }
    free(p);
}
