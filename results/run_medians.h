/* The medians of one or more runs: the samples reduced to one cell per (engine, benchmark,
 * size, mode). This is the one key that `pvmlab compare`, `plot` and `report` read a run
 * with, so that they agree by construction. The engine part of the key is the engine's name,
 * or "name [config]" when the runs hold that name with more than one config (so two configs
 * never share a median); the engine version is not part of it (shards of one suite measured
 * by several builds are one engine). Nothing here invents a value: a cell without gas says so. */
#ifndef PVMLAB_RESULTS_RUN_MEDIANS_H
#define PVMLAB_RESULTS_RUN_MEDIANS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "results.h"

enum {
    PVMLAB_MEDIAN_NAME_MAX = 96,    /* engine names */
    PVMLAB_MEDIAN_TEXT_MAX = 256,   /* engine configs, benchmark names, hostnames */
    PVMLAB_MEDIAN_LABEL_MAX = 384,  /* "name [config]" */
    PVMLAB_MEDIAN_MODE_MAX = 24,
};

typedef struct pvmlab_median_cell {
    /* the key */
    char engine[PVMLAB_MEDIAN_LABEL_MAX]; /* the engine label (above) */
    char benchmark[PVMLAB_MEDIAN_TEXT_MAX];
    int64_t size;
    char mode[PVMLAB_MEDIAN_MODE_MAX];   /* "execution", "oneshot", "compilation", "fidelity", ... */
    /* what the key stands for */
    char engine_name[PVMLAB_MEDIAN_NAME_MAX];
    char config[PVMLAB_MEDIAN_TEXT_MAX];
    char model[PVMLAB_MEDIAN_TEXT_MAX];  /* the config's "model=" value, else the config, else "" */
    bool is_native;                      /* engine name "native": the reference for ratios */
    char machine[PVMLAB_MEDIAN_TEXT_MAX];/* hostname of the run's machine; "(several)" when runs of
                                            different machines hold samples of this cell */
    /* the medians */
    size_t n;                            /* samples (repetitions) */
    double median_wall_ns;
    double min_wall_ns;                  /* the fastest sample: a shared host's slow stretches only
                                            ever add time, so the minimum is the steadier figure of
                                            a noisy machine (0 in cells built by hand without it) */
    bool has_gas;                        /* every sample had gas */
    double median_gas;                   /* NAN without gas */
    bool has_instructions;               /* every sample had an instruction count */
    double median_instructions;          /* NAN without */
} pvmlab_median_cell;

typedef struct pvmlab_run_medians {
    pvmlab_median_cell *cells; /* first-seen order: the runs as given, their samples in id order */
    size_t count, capacity;
} pvmlab_run_medians;

/* Loads the medians over the samples of runs[0..run_count) taken together (one run, or the
 * shards of one suite merged with pvmlab db merge) into *out (emptied first). A run without
 * samples adds nothing. 0, or -1 with one line in err (a database error, out of memory). */
int pvmlab_db_run_medians(pvmlab_db *db, const pvmlab_id *runs, size_t run_count, pvmlab_run_medians *out,
                          char *err, size_t err_len);

/* Appends a copy of cell (tests build sets by hand). -1 when out of memory. */
int pvmlab_run_medians_add(pvmlab_run_medians *set, const pvmlab_median_cell *cell);

/* The cell of the key, or NULL. */
const pvmlab_median_cell *pvmlab_run_medians_find(const pvmlab_run_medians *set, const char *engine,
                                                  const char *benchmark, int64_t size, const char *mode);

void pvmlab_run_medians_free(pvmlab_run_medians *set);

#endif
