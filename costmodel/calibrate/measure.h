/* Running one microbenchmark repeatedly and timing it. */
#ifndef PVMLAB_CAL_MEASURE_H
#define PVMLAB_CAL_MEASURE_H

#include <stdbool.h>
#include <stdint.h>

#include "costmodel/counters/counters.h"
#include "costmodel/microbench/microbench.h"
#include "core_sharing.h"
#include "program_run.h"
#include "pvm/pvm.h"
#include "results/results.h"

/* Where times come from: the TSC when present (reference cycles converted with its
 * frequency), else clock_gettime. */
typedef struct time_source {
    bool use_tsc;
    double tsc_hz;          /* 0 when unknown */
    char description[160];  /* e.g. "tsc 2096.0 MHz (measured)" */
} time_source;

typedef struct measure_config {
    int min_repetitions, max_repetitions;
    double target_relative_mad; /* stop once MAD / median falls below this */
    double budget_ns;           /* or once min_repetitions took this long in total (0 = no limit) */
    pvmlab_counters *counters;
    time_source time;
    /* Where samples go; db NULL = not stored. */
    pvmlab_db *db;
    pvmlab_id run, engine;
    const char *mode; /* "interp" or "jit" */
    /* An interpreter engine for the cache replay (cache_replay.h), or NULL for none. */
    pvm_engine *replay_engine;
    bool metered;     /* the engine meters (sync gas): every call gets MEASURE_GAS_BUDGET gas */
    /* Probed before and after every repetition; a repetition next to a shared-core probe is
     * left out like a descheduled one (core_sharing.h). NULL: not probed. */
    core_sharing *sharing;
    int first_repetition; /* the stored repetition number of the first timed call (a retry's follow the first pass's) */
} measure_config;

/* Gas given to every metered call: far more than any calibration program uses. */
#define MEASURE_GAS_BUDGET ((int64_t)1 << 60)

/* One timed repetition as the median's rules judge it. */
typedef struct measure_repetition {
    double ns;        /* its time */
    double cpu_ns;    /* its thread CPU time, NaN unknown */
    double probe;     /* the core-sharing probe's ratio (the larger of before and after), NaN none */
    bool preempted;   /* descheduled while timed */
} measure_repetition;

enum { MEASURE_REPETITIONS_MAX = 256 };

typedef struct measurement {
    double median_ns, mad_ns; /* per call */
    int n;                    /* repetitions the median is taken over */
    int preempted;            /* further repetitions left out: descheduled while timed */
    int shared;               /* further repetitions left out: the core was shared (core_sharing.h) */
    uint64_t checksum;
    uint64_t instructions;    /* per call, as the VM counted them (0 = not counted) */
    double branch_misses;     /* per call, median of the PMU's branch_misses; NaN without one */
    struct cache_replay *replay; /* while measuring: the shadow run for simulated cache counts */
    int64_t gas;              /* per call under the engine's cost model (0 = not metered) */
    bool cpu_time;            /* no repetition ran undisturbed: the median is of thread CPU times */
    bool disturbed;           /* no repetition ran undisturbed (descheduled or on a shared core) */
    int reps;                 /* every timed repetition, for judging them again (measure_judge) */
    measure_repetition rep[MEASURE_REPETITIONS_MAX];
} measurement;

/* Compiles p on engine e, checks one run halts with the expected checksum (when known),
 * then times repetitions until stable. Returns 0, or -1 with a one-line reason in err
 * (compile/run failure, wrong exit, checksum mismatch, database error). */
int measure_program(pvm_engine *e, const mb_spec *s, const mb_program *p, const measure_config *c,
                    measurement *out, char *err, size_t err_len);

/* Whether a repetition was descheduled while timed: its wall time exceeds its thread CPU
 * time by more than 5% + 20 us (both from clock_gettime), so it measured other processes
 * too. False when either reading is missing. */
bool measure_was_preempted(const pvmlab_counter_reading *readings, size_t count);
/* A repetition's stored core-sharing probe ratio (CORE_SHARING_READING), NaN without it. */
double measure_sharing_probe(const pvmlab_counter_reading *readings, size_t count);

/* Fills *out with the probe reading of one repetition (ratio NaN: unavailable, with the
 * reason); returns 1, the readings it wrote. */
size_t measure_sharing_reading(double ratio, pvmlab_counter_reading *out);

/* Judges m's repetitions again against the core-sharing floor (NaN: none is shared): the
 * kept ones are neither descheduled nor above CORE_SHARED_FACTOR x floor; then the median
 * as measure_summarise, with preempted, shared and disturbed counted. The floor only falls
 * during a calibration (its opening probes may have met a busy sibling), so calibrate judges
 * every program once more against the final floor, and --fit-runs against the lowest probe
 * of the runs it loads. */
void measure_judge(measurement *m, double floor);

/* The rule itself, on a wall time and a thread CPU time of the same interval (ns). */
bool measure_is_descheduled(double wall_ns, double cpu_ns);

/* A repetition's thread CPU time (ns), NaN when it was not read. The kernel charges page
 * faults to the faulting thread, so a descheduled repetition's CPU time still holds the
 * program's work: when no repetition of a program ran undisturbed (calls longer than the
 * time slices of a loaded machine), the median of their CPU times is used instead of the
 * median of wall times that other processes inflated. */
double measure_thread_cpu_ns(const pvmlab_counter_reading *readings, size_t count);

/* A call's branch misses from the PMU, NaN when the counter was unavailable (never 0). */
double measure_branch_misses(const pvmlab_counter_reading *readings, size_t count);

/* The median (and MAD, n, preempted, cpu_time) of out from the repetitions of one program:
 * the kept (undisturbed) wall times when there are any; else the thread CPU times when every
 * repetition has one; else all wall times. */
void measure_summarise(const double *clean, size_t kept, const double *all, size_t attempts, const double *cpu,
                       size_t counted_cpu, measurement *out);

#endif
