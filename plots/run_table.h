/* One measurement mode of a run's medians (results' pvmlab_db_run_medians), with the
 * engines and benchmarks in first-seen order: what every figure and report table starts from. */
#ifndef PVMLAB_RUN_TABLE_H
#define PVMLAB_RUN_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "results/run_medians.h"

/* One (engine, benchmark) of the table: a cell of the results' run medians (run_medians.h:
 * the key and the medians that compare reads too). */
typedef pvmlab_median_cell pvmlab_cell;

typedef struct pvmlab_run_table {
    pvmlab_id run;
    char *mode;        /* the measurement mode of every cell ("execution", ...); "" when empty */
    pvmlab_cell *cells;
    size_t cell_count;
    char **engines;    /* distinct engine labels (borrowed from cells), first-seen order (samples in id order) */
    size_t engine_count;
    char **benchmarks; /* distinct benchmark names (borrowed from cells), first-seen order */
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
