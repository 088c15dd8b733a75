/* Which runs compare, plot and report look at. Bench runs are runs with samples in a bench
 * mode (execution, oneshot, compilation: what pvmlab bench measures) of a benchmark outside
 * the suites "calibrate" and "fidelity" (pvmlab calibrate's microbenchmarks, modes
 * interp/jit; the calibration programs pvmlab tables times under a generated cost table,
 * mode "fidelity"). Fidelity runs are runs with samples of mode "fidelity". Every function
 * returns 0, or -1 with one line in err (a database error). */
#ifndef PVMLAB_RESULTS_RUN_SELECT_H
#define PVMLAB_RESULTS_RUN_SELECT_H

#include <stddef.h>

#include "results/results.h"

/* The newest bench run (highest id); *run = 0 when there is none. */
int pvmlab_latest_sample_run(pvmlab_db *db, pvmlab_id *run, char *err, size_t err_len);

/* The newest fidelity run; *run = 0 when there is none. */
int pvmlab_latest_fidelity_run(pvmlab_db *db, pvmlab_id *run, char *err, size_t err_len);

/* The newest bench run before run, on the same machine; *previous = 0 if none. */
int pvmlab_previous_sample_run(pvmlab_db *db, pvmlab_id run, pvmlab_id *previous, char *err, size_t err_len);

/* Up to capacity bench runs, oldest first, ending with the newest; *count receives
 * how many were written. */
int pvmlab_sample_runs(pvmlab_db *db, pvmlab_id *runs, size_t capacity, size_t *count, char *err, size_t err_len);

#endif
