/* Timing one program under a cost model for fidelity (held-out sets: the benchmark guests,
 * generated programs). One warm-up run without lazy pages gives the gas without lazy-page
 * charges; then, with lazy pages (mprotect) and a reset before each, REPETITIONS timed runs
 * give the median time, the gas with the charges, and the data pages the program touched.
 * Where lazy pages cannot work the timed runs are eager and the charges are unknown. */
#ifndef PVMLAB_CAL_FIDELITY_TIMING_H
#define PVMLAB_CAL_FIDELITY_TIMING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pvm/pvm.h"
#include "results/results_fidelity.h"

enum { FIDELITY_PROGRAMS_MAX = 512, FIDELITY_NAME_MAX = 96, FIDELITY_RULE_MAX = 200 };

/* Measured programs of one set; programs[i].program points into names[i]. */
typedef struct fidelity_measured {
    size_t count;
    char names[FIDELITY_PROGRAMS_MAX][FIDELITY_NAME_MAX];
    pvmlab_fidelity_program programs[FIDELITY_PROGRAMS_MAX];
    char memory_rule[FIDELITY_RULE_MAX]; /* how memory_bound was decided */
    uint64_t memory_threshold_bytes;     /* footprint above which a program is memory-bound */
    char lazy_note[160];                 /* why lazy pages were off ("" when they worked) */
} fidelity_measured;

/* Sets the rule: memory-bound = touches more data than the machine's L2 cache (sysfs); when
 * the machine hides its cache sizes, 1 MiB is assumed and the rule says so. */
void fidelity_memory_rule(fidelity_measured *m);

/* Times export(args) of the program in bytes under engine (sync gas) and appends it as name.
 * Returns 0, or -1 with err naming the program (a run that does not halt is an error). */
int fidelity_time_program(pvm_engine *engine, const char *name, const uint8_t *bytes, size_t len,
                          const char *export_name, const uint64_t *args, size_t nargs, fidelity_measured *m,
                          char *err, size_t err_len);

#endif
