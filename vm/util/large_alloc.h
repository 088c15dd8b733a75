/* Allocation of large arrays (a program's copy, its decoded instructions, the
 * recompiler's and the metering pass's tables) for a process that touches them
 * for the first time. A page fault per 4 KiB costs microseconds on a virtual
 * machine (about 20 us on a paravirtualized one, measured: more than decoding the
 * page, and populating the pages with MADV_POPULATE_WRITE first still left half
 * of it), while a 2 MiB transparent huge page costs one fault and clearing 2 MiB
 * (about 100 us there). So from 128 KiB on an array is 2 MiB-aligned and rounded
 * to whole huge pages (MADV_HUGEPAGE, where the kernel gives them on request),
 * and a freed one is kept for the next (up to 48 blocks, 128 MiB: all the arrays
 * of a compile of the large rv32 guest, ~22 blocks, ~70 MiB) so that compiling
 * again clears nothing: each request takes the smallest kept block that fits
 * (at most twice its size). The contents start undefined, as malloc's.
 * Lanes: a block freed in lane k is only reused in lane k. A compile's second thread
 * (the second half of a large program) allocates and frees in lane 1, the rest in lane 0:
 * a kept block a thread reuses is then one it wrote itself, most likely still in its own
 * core's caches. Reused by the other core, every line of it crossed between the cores
 * first (rv32 large_program's block shapes on the second thread, about 2 MiB of tables:
 * 4.3-5.5 ms, against 0.6 ms on the first thread and 0.8-1.0 ms in fresh pages). */
#ifndef PVM_UTIL_LARGE_ALLOC_H
#define PVM_UTIL_LARGE_ALLOC_H
#include <stddef.h>

/* Like malloc (NULL when out of memory). Free with util_free_large (or free(), which
 * forgoes the reuse). */
void *util_alloc_large(size_t bytes);
/* Like calloc(bytes, 1): util_alloc_large and zeroed (a small array: calloc itself). */
void *util_calloc_large(size_t bytes);
/* Like util_alloc_large, aligned to a 4 KiB page whatever the size (a small array: rounded
 * up to whole pages). Free with util_free_large(p, bytes). */
void *util_alloc_large_paged(size_t bytes);
/* Free p, allocated by util_alloc_large(bytes) (NULL is ignored). Thread-safe. */
void util_free_large(void *p, size_t bytes);
/* util_alloc_large and util_free_large in lane 0 or 1 (above); a block is freed in the lane
 * it was allocated in. */
void *util_alloc_large_lane(size_t bytes, unsigned lane);
void util_free_large_lane(void *p, size_t bytes, unsigned lane);
#endif
