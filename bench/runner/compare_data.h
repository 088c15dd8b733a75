/* The medians that `pvmlab compare` works on: one per (engine, benchmark, size, mode) of a
 * run, from the samples in a results database. */
#ifndef PVMLAB_BENCH_COMPARE_DATA_H
#define PVMLAB_BENCH_COMPARE_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "results/results.h"

enum { COMPARE_NAME_MAX = 64 };

typedef struct compare_entry {
    char engine[COMPARE_NAME_MAX];
    char benchmark[COMPARE_NAME_MAX];
    int64_t size;
    char mode[16];
    double median_ns;
    size_t samples;
    char machine[COMPARE_NAME_MAX]; /* hostname of the run's machine; "(several)" when runs of
                                       different machines hold samples of this entry */
} compare_entry;

typedef struct compare_set {
    compare_entry *entries; /* sorted by engine, benchmark, size, mode */
    size_t count, capacity;
} compare_set;

/* Appends one entry (tests build sets by hand). -1 when out of memory. */
int compare_set_add(compare_set *set, const compare_entry *entry);
void compare_set_free(compare_set *set);
/* The entry for the key, or NULL. */
const compare_entry *compare_set_find(const compare_set *set, const char *engine, const char *benchmark,
                                      int64_t size, const char *mode);

/* The newest benchmark run of db: the newest run with samples of a `pvmlab bench` suite
 * (calibration and fidelity runs are skipped); -1 with one line in err when there is none. */
int compare_latest_run(pvmlab_db *db, pvmlab_id *out, char *err, size_t err_len);

/* Loads the medians of run into out (emptied first). -1 with one line in err. */
int compare_load_run(pvmlab_db *db, pvmlab_id run, compare_set *out, char *err, size_t err_len);

/* Loads the medians over the samples of several runs together (the shards of one suite,
 * measured on one machine or several and merged with pvmlab db merge). -1 with err. */
int compare_load_runs(pvmlab_db *db, const pvmlab_id *runs, size_t run_count, compare_set *out, char *err,
                      size_t err_len);

/* Whether the entries of set come from more than one machine. */
bool compare_set_spans_machines(const compare_set *set);

#endif
