/* Allocation of large arrays (a program's copy, its decoded instructions, the
 * recompiler's tables) for a process that touches them for the first time: a
 * page fault per 4 KiB costs microseconds on a virtual machine, more than
 * copying or decoding the page. From 4 MiB on the array is 2 MiB-aligned on
 * transparent huge pages where the kernel gives them on request (a few faults),
 * and a freed one is kept for the next (a few blocks, 64 MiB at most) so that
 * compiling again does not clear fresh huge pages; a smaller array that the
 * caller will fill is faulted in by one system call (MADV_POPULATE_WRITE, where
 * the kernel has it). Either way the contents start undefined, as malloc's. */
#ifndef PVM_UTIL_LARGE_ALLOC_H
#define PVM_UTIL_LARGE_ALLOC_H
#include <stdbool.h>
#include <stddef.h>

/* Like malloc (NULL when out of memory); will_fill: the caller writes (nearly)
 * all of it, so faulting it in up front is no waste. Free with util_free_large
 * (or free(), which forgoes the reuse). */
void *util_alloc_large(size_t bytes, bool will_fill);
/* Free p, allocated by util_alloc_large(bytes, ...) (NULL is ignored). Thread-safe. */
void util_free_large(void *p, size_t bytes);
#endif
