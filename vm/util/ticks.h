/* A cheap monotonic tick counter for profiling (TSC on x86-64, else ns). */
#ifndef PVM_UTIL_TICKS_H
#define PVM_UTIL_TICKS_H
#include <stdint.h>
#if defined(__x86_64__) || defined(__i386__)
static inline uint64_t pvm_ticks(void) { return __builtin_ia32_rdtsc(); }
#else
#include <time.h>
static inline uint64_t pvm_ticks(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
#endif
#endif
