/* Large arrays on transparent huge pages or faulted in at once (see large_alloc.h). */
#include "large_alloc.h"
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#define HUGE_PAGE ((size_t)2 << 20)
#define SMALL_PAGE ((size_t)4096)

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
    size_t rounded = (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    if (rounded < bytes) return NULL;
    void *p = aligned_alloc(HUGE_PAGE, rounded);
#ifdef MADV_HUGEPAGE
    if (p) madvise(p, rounded, MADV_HUGEPAGE);
#endif
    return p;
}
