/* The medians that `pvmlab compare` works on: the results' run medians (run_medians.h: one
 * cell per (engine, benchmark, size, mode), the key plot and report read too), in compare's
 * order. */
#ifndef PVMLAB_BENCH_COMPARE_DATA_H
#define PVMLAB_BENCH_COMPARE_DATA_H

#include <stdbool.h>
#include <stddef.h>

#include "results/run_medians.h"

typedef pvmlab_median_cell compare_entry;
typedef pvmlab_run_medians compare_set; /* cells sorted by engine, benchmark, size, mode */

/* The newest benchmark run of db (results' pvmlab_latest_sample_run: calibration and
 * fidelity runs are skipped); -1 with one line in err when there is none. */
int compare_latest_run(pvmlab_db *db, pvmlab_id *out, char *err, size_t err_len);

/* Loads the medians over the samples of several runs together (the shards of one suite,
 * measured on one machine or several and merged with pvmlab db merge), sorted by key. -1
 * with one line in err, also when a run has no samples. */
int compare_load_runs(pvmlab_db *db, const pvmlab_id *runs, size_t run_count, compare_set *out, char *err,
                      size_t err_len);

/* Whether the entries of set come from more than one machine. */
bool compare_set_spans_machines(const compare_set *set);

#endif
