/* Clocks in nanoseconds: the one set of helpers every part uses (the cycle
 * counter for profiling is ticks.h; calibrated counters live in costmodel). */
#ifndef PVM_UTIL_CLOCK_H
#define PVM_UTIL_CLOCK_H
#include <stdint.h>
#include <time.h>

static inline uint64_t util_clock_ns(clockid_t clock)
{
    struct timespec ts;
    if (clock_gettime(clock, &ts) != 0) return 0;
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
/* Monotonic wall time (NTP-slewed; for durations and deadlines). */
static inline uint64_t util_now_ns(void) { return util_clock_ns(CLOCK_MONOTONIC); }
/* Monotonic wall time not slewed by NTP (for measurements). */
static inline uint64_t util_now_raw_ns(void) { return util_clock_ns(CLOCK_MONOTONIC_RAW); }
/* CPU time of the calling thread. */
static inline uint64_t util_thread_cpu_ns(void) { return util_clock_ns(CLOCK_THREAD_CPUTIME_ID); }
#endif
