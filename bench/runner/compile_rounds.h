/* Where each compile of a set went: libpvm's samples (compilation and oneshot) carry the
 * wall time of each compile stage, the CPU time of each stage's two threads and the
 * compile's preemptions (adapter_pvm.c). A compile that runs slower than usual either
 * worked more (its threads' CPU time grew) or waited (a thread was descheduled, or idled
 * for the other): the report prints every sample's compile time in order, so no slow one
 * is hidden, and for the fastest, the median and each slow one the split into work and
 * waiting. */
#ifndef PVMLAB_BENCH_COMPILE_ROUNDS_H
#define PVMLAB_BENCH_COMPILE_ROUNDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "bench/engines/engine.h"

/* A sample counts as slow above this many times the set's median compile time. */
#define BENCH_SLOW_COMPILE 1.25
/* A compile "waited" when its threads' path worked less than this share of its wall time. */
#define BENCH_WORKED_SHARE 0.85

enum { BENCH_COMPILE_STAGES = 3 }; /* decode, block costs, codegen (parse runs on one thread) */

typedef struct bench_compile_round {
    double wall;                            /* parse + the three stages, wall */
    double parse;
    double stage_wall[BENCH_COMPILE_STAGES];
    double cpu[BENCH_COMPILE_STAGES][2];    /* [stage][thread]: the calling thread, the second */
    double cpu_total;                       /* every thread of the compile */
    double preemptions;
    /* parse + per stage the busier thread's CPU time: the work on the compile's path */
    double path_cpu;
    double waited;                          /* wall - path_cpu, at least 0 */
    double instructions;                    /* of the compiled program; 0 when not given */
} bench_compile_round;

/* The breakdown of one sample; false when it carries no compile stages. */
bool bench_compile_round_of(const bench_timing *t, bench_compile_round *out);

/* "worked", "waited, preempted" or "waited, not preempted" (a thread idled for the other,
 * which may itself have waited for a core to start on). */
const char *bench_compile_round_verdict(const bench_compile_round *r);

/* The report described above (with the instruction count: also the median and least
 * compile time and path CPU time per instruction); nothing when the samples carry no
 * compile stages. */
void bench_print_compile_rounds(FILE *out, const bench_timing *items, size_t n);

#endif
