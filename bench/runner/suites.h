/* The suites of `pvmlab bench`: which guests at which sizes, in which modes, and how many
 * runs (a time budget per engine and guest, bounded by a minimum and a maximum, as
 * hyperfine's --min-runs/--max-runs around its 3 s budget). */
#ifndef PVMLAB_BENCH_SUITES_H
#define PVMLAB_BENCH_SUITES_H

#include <stdbool.h>
#include <stddef.h>

#include "bench/engines/engine.h"

typedef struct bench_suite {
    const char *name;
    const char *const *guests;  /* NULL-terminated guest names; NULL = every guest */
    bool full_sizes;            /* the manifest's full sizes (else quick) */
    unsigned modes;             /* bit (1 << bench_mode) per mode measured */
    unsigned warmups;           /* discarded runs before the samples */
    double budget_seconds;      /* measured time aimed at per engine, guest and mode */
    unsigned min_runs, max_runs;
    const char *description;
    double single_sample_above_s; /* 0 = off; a probe run longer than this is the only sample */
    bool rv32_builds;             /* libpvm also runs the guests' rv32 builds (bench_env.pvm_rv32) */
} bench_suite;

/* The suite named name ("quick", "full", "cache"), or NULL. */
const bench_suite *bench_suite_find(const char *name);
/* All suites; *count receives how many. */
const bench_suite *bench_suite_all(size_t *count);

/* A run longer than this needs only 2 samples, whatever the suite's minimum. */
#define BENCH_LONG_RUN_NS 5e9

/* How many samples to take when one run takes about estimate_ns: the budget divided by
 * the estimate, clamped to [min_runs, max_runs] (to 2 at least for runs over
 * BENCH_LONG_RUN_NS). */
unsigned bench_suite_runs(const bench_suite *suite, double estimate_ns);

#endif
