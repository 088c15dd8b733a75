/* Timing one program under a cost model for fidelity (held-out sets: the benchmark guests,
 * generated programs). One warm-up run without lazy pages gives the gas without lazy-page
 * charges; then, with lazy pages (MB_TOUCH_LAZY_BACKEND) and a reset before each, REPETITIONS (5) timed runs
 * give the median time (runs on a shared core left out: core_sharing.h), the gas with the charges, and the data pages the program touched;
 * then the call is replayed traced on the interpreter (every program of a set that asks for
 * it, else those touching more than L2): instructions, simulated L1d and L2 misses and a
 * predictor model's mispredictions (why the program sits where it does); the L2 misses of a
 * program touching more than L2 decide whether it is memory-bound.
 * Where lazy pages cannot work the timed runs are eager and the charges are unknown. */
#ifndef PVMLAB_CAL_FIDELITY_TIMING_H
#define PVMLAB_CAL_FIDELITY_TIMING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core_sharing.h"
#include "costmodel/counters/cache_geometry.h"
#include "pvm/pvm.h"
#include "results/results_fidelity.h"

enum { FIDELITY_PROGRAMS_MAX = 512, FIDELITY_NAME_MAX = 96, FIDELITY_RULE_MAX = 320, FIDELITY_ARGS_MAX = 6 };

/* Memory-bound: more simulated L2 misses than this per 1000 instructions. The guests fall
 * far apart on this VM's geometry: 19..37 (sieve, hash_table, linked_list, large_program)
 * against at most 1.3 (every other guest, matmul, lz77 and json_tokens included). */
#define FIDELITY_L2_MISSES_PER_KILO_INSTRUCTION 5.0

/* Measured programs of one set; programs[i].program points into names[i]. */
typedef struct fidelity_measured {
    size_t count;
    char names[FIDELITY_PROGRAMS_MAX][FIDELITY_NAME_MAX];
    pvmlab_fidelity_program programs[FIDELITY_PROGRAMS_MAX];
    char memory_rule[FIDELITY_RULE_MAX]; /* how memory_bound was decided */
    uint64_t memory_threshold_bytes;     /* footprint above which a program is memory-bound */
    char lazy_note[160];                 /* why lazy pages were off ("" when they worked) */
    cache_geometry geometry;             /* the caches the replay simulates (this machine's) */
    bool replay_all;                     /* replay every program, not only those beyond L2 (the
                                          * guests: the report explains each; a replay costs
                                          * about as much as the program's timed runs) */
    /* When set, the core is probed before and after every timed run; a run next to a probe
     * above CORE_SHARED_FACTOR x its floor is left out (up to REPETITIONS more runs are made
     * to get REPETITIONS undisturbed ones; with none, all count). */
    core_sharing *sharing;
    long runs_shared;                    /* timed runs left out for it, over the set */
    long programs_shared;                /* programs none of whose runs was undisturbed */
} fidelity_measured;

/* Sets the rule. Memory-bound = more than FIDELITY_L2_MISSES_PER_KILO_INSTRUCTION L2 misses
 * per 1000 instructions when the program's own memory trace (the interpreter's, one call) is
 * run through an LRU model of this machine's caches (cache_sim.h, cache_geometry_detect); a
 * program whose touched data fit in L2 is compute-bound without a replay. */
void fidelity_memory_rule(fidelity_measured *m);

/* Times export(args) of the program in bytes under engine (sync gas) and appends it as name.
 * Returns 0, or -1 with err naming the program (a run that does not halt is an error). */
int fidelity_time_program(pvm_engine *engine, const char *name, const uint8_t *bytes, size_t len,
                          const char *export_name, const uint64_t *args, size_t nargs, fidelity_measured *m,
                          char *err, size_t err_len);

/* The same in steps, so that a set's programs can take their timed runs in rounds (one run
 * of each program per round: a disturbance of the machine, a few hundred ms of another VM's
 * work, then slows one run of many programs, which the medians drop, not all runs of one):
 * open compiles the program and makes the warm-up run (at most FIDELITY_ARGS_MAX arguments;
 * bytes must stay valid until finish); time_once makes one more timed run while wants_more
 * says so; finish appends the program to m (median, lazy-page gas, footprint, replay) and
 * closes it; close drops it unfinished. Each returns 0, or -1 with err naming the program. */
typedef struct fidelity_program_run fidelity_program_run;
int fidelity_program_open(pvm_engine *engine, const char *name, const uint8_t *bytes, size_t len,
                          const char *export_name, const uint64_t *args, size_t nargs, fidelity_measured *m,
                          fidelity_program_run **out, char *err, size_t err_len);
bool fidelity_program_wants_more(const fidelity_measured *m, const fidelity_program_run *r);
int fidelity_program_time_once(fidelity_program_run *r, fidelity_measured *m, char *err, size_t err_len);
int fidelity_program_finish(fidelity_program_run *r, fidelity_measured *m, char *err, size_t err_len);
void fidelity_program_close(fidelity_program_run *r);

/* Times the code of a loop program the way the calibration times its own: one instance,
 * called again and again without a reset (no lazy pages, no first touches), CODE_REPETITIONS
 * undisturbed calls of args and of short_args (the same program with one trip), alternating;
 * the program's time and gas are the difference of the two medians, so the call's fixed
 * cost (entry, prologue, exit) is left out as the calibration's call.overhead leaves it out
 * of the unit. Appends it as name (no lazy-page charges, footprint unknown: compute-bound).
 * Returns 0, or -1 with err naming the program. */
int fidelity_time_code(pvm_engine *engine, const char *name, const uint8_t *bytes, size_t len,
                       const char *export_name, const uint64_t *args, const uint64_t *short_args, size_t nargs,
                       fidelity_measured *m, char *err, size_t err_len);

#endif
