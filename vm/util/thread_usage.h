/* What a thread spent over a stretch of work: its CPU time and how often the
 * scheduler took its core away (involuntary context switches). Beside the
 * stretch's wall time this tells a slow stretch that worked (CPU close to wall)
 * from one that waited: descheduled (preemptions) or blocked on another thread
 * (neither). Used by the compile stages' second threads and the module's timings. */
#ifndef PVM_UTIL_THREAD_USAGE_H
#define PVM_UTIL_THREAD_USAGE_H
#include <stdint.h>

typedef struct {
    uint64_t cpu_ns;    /* CLOCK_THREAD_CPUTIME_ID */
    uint64_t preempted; /* getrusage(RUSAGE_THREAD).ru_nivcsw */
} util_thread_usage;

/* The calling thread's totals so far (zeros where the system cannot tell). */
util_thread_usage util_thread_usage_now(void);
/* What the calling thread spent since *since (a value of util_thread_usage_now). */
util_thread_usage util_thread_usage_since(const util_thread_usage *since);
#endif
