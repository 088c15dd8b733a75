/* A run's samples reduced to one cell per (engine, benchmark): the medians that every figure
 * and report table starts from. Nothing here invents a value: a cell without gas says so. */
#ifndef PVMLAB_RUN_TABLE_H
#define PVMLAB_RUN_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "results/results.h"

typedef struct pvmlab_cell {
    char *engine;     /* engine label: the name, plus " [config]" when the run has the same
                       * name with another config */
    char *engine_name;
    char *config;
    char *model;      /* the engine config's "model=" value, else the config, else "" */
    char *benchmark;  /* benchmark name */
    bool is_native;   /* engine name or mode is "native": the reference for ratios */
    size_t n;         /* samples (repetitions) */
    double median_wall_ns;
    bool has_gas;     /* every sample had gas */
    double median_gas;
    bool has_instructions;
    double median_instructions;
} pvmlab_cell;

typedef struct pvmlab_run_table {
    pvmlab_id run;
    char *mode;        /* the measurement mode of every cell ("execution", ...); "" when empty */
    pvmlab_cell *cells;
    size_t cell_count;
    char **engines;    /* distinct engine labels, first-seen order (samples in id order) */
    size_t engine_count;
    char **benchmarks; /* distinct benchmark names, first-seen order */
    size_t benchmark_count;
} pvmlab_run_table;

/* Loads the samples of run in one measurement mode into *out (caller frees with
 * pvmlab_run_table_free). mode NULL chooses "execution" when the run has it, else the mode
 * of its first sample. Returns 0; -1 with one line in err on a database error or out of
 * memory. A run without samples gives an empty table. */
int pvmlab_run_table_load(pvmlab_db *db, pvmlab_id run, const char *mode, pvmlab_run_table *out, char *err,
                          size_t err_len);

void pvmlab_run_table_free(pvmlab_run_table *table);

/* The cell of (engine label, benchmark), or NULL. */
const pvmlab_cell *pvmlab_run_table_find(const pvmlab_run_table *table, const char *engine, const char *benchmark);

/* The median wall time of the native engine on benchmark (the first native engine when
 * there are several), or NAN when the run has no native sample for it. */
double pvmlab_run_table_native_ns(const pvmlab_run_table *table, const char *benchmark);

/* Whether engine label names a native engine in this table. */
bool pvmlab_run_table_engine_is_native(const pvmlab_run_table *table, const char *engine);

/* Whether a benchmark is one of the stride-conflict programs (the gas_quiz_stride* guests,
 * the calibration's stride.N.* programs); *stride receives the stride from its name. */
bool pvmlab_benchmark_stride(const char *benchmark, long *stride);

#endif
