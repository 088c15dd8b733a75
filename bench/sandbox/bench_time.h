/* Timing helpers for the sandbox benchmarks: monotonic ns and medians. */
#ifndef PVM_BENCH_TIME_H
#define PVM_BENCH_TIME_H
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

static inline uint64_t bench_now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static int bench_cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Median of n samples (sorts them in place). */
static inline double bench_median(uint64_t *v, size_t n)
{
    qsort(v, n, sizeof *v, bench_cmp_u64);
    return n % 2 ? (double)v[n / 2] : ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2;
}
#endif
