/* The stored samples of one benchmark across runs, as typed rows with their counter
 * readings: what `pvmlab calibrate --fit-runs` refits from (the shards of a calibration,
 * merged from several machines). */
#ifndef PVMLAB_RESULTS_BENCHMARK_SAMPLES_H
#define PVMLAB_RESULTS_BENCHMARK_SAMPLES_H

#include <stddef.h>
#include <stdint.h>

#include "results.h"

enum { PVMLAB_SAMPLE_READINGS_MAX = 32 };

typedef struct pvmlab_stored_sample {
    pvmlab_id id;
    int64_t wall_ns;
    uint64_t checksum;
    uint64_t instructions; /* 0 when not counted (NULL) */
    int64_t gas;           /* 0 when not metered (NULL) */
    pvmlab_counter_reading readings[PVMLAB_SAMPLE_READINGS_MAX];
    size_t reading_count;  /* the first PVMLAB_SAMPLE_READINGS_MAX readings */
} pvmlab_stored_sample;

/* Calls visit for every sample of benchmark (suite, name, size) in any of runs[0..run_count),
 * in run and repetition order; visit returning non-zero stops early. Returns 0, or -1 with
 * one line in err (a database error, or too many runs for one query). */
int pvmlab_db_foreach_benchmark_sample(pvmlab_db *db, const pvmlab_id *runs, size_t run_count, const char *suite,
                                       const char *name, int64_t size,
                                       int (*visit)(const pvmlab_stored_sample *sample, void *context),
                                       void *context, char *err, size_t err_len);
#endif
