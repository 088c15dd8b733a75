/* Which runs the figures and reports look at: runs that have samples. */
#ifndef PVMLAB_RUN_SELECT_H
#define PVMLAB_RUN_SELECT_H

#include <stddef.h>

#include "results.h"

/* The newest run (highest id) with at least one sample; *run = 0 when there is none. */
int pvmlab_latest_sample_run(pvmlab_db *db, pvmlab_id *run, char *err, size_t err_len);

/* The newest run before run, on the same machine, with samples; *previous = 0 if none. */
int pvmlab_previous_sample_run(pvmlab_db *db, pvmlab_id run, pvmlab_id *previous, char *err, size_t err_len);

/* Up to capacity runs with samples, oldest first, ending with the newest; *count receives
 * how many were written. */
int pvmlab_sample_runs(pvmlab_db *db, pvmlab_id *runs, size_t capacity, size_t *count, char *err, size_t err_len);

#endif
