/* What the store holds, as typed rows: row counts, machines, runs with their machine and
 * build, the commands that made them, per-run counter availability, cost tables. The report's
 * summary, provenance, calibration and reproduce sections read these. Strings in a row are
 * valid during the callback only. Every foreach stops early when visit returns non-zero and
 * returns that value; 0 when all were visited; -1 on a database error (pvmlab_db_error). */
#ifndef PVMLAB_RESULTS_STORE_LISTING_H
#define PVMLAB_RESULTS_STORE_LISTING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "results.h"

/* --- store_counts.c --------------------------------------------------------------------- */

typedef struct pvmlab_store_counts {
    int64_t machines, runs, samples, engines, benchmarks, calibrations, cost_tables;
} pvmlab_store_counts;

int pvmlab_db_count_rows(pvmlab_db *db, pvmlab_store_counts *out);

/* --- machine_list.c --------------------------------------------------------------------- */

typedef struct pvmlab_machine_row {
    pvmlab_id id;
    pvmlab_machine_info info;
} pvmlab_machine_row;

/* Every machine in id order. */
int pvmlab_db_foreach_machine(pvmlab_db *db, int (*visit)(const pvmlab_machine_row *machine, void *context),
                              void *context);

/* --- run_list.c ------------------------------------------------------------------------- */

typedef struct pvmlab_run_row {
    pvmlab_id id;
    const char *uuid, *started_at;
    const char *ended_at;      /* NULL while the run has not ended */
    const char *status, *command_line;
    const char *hostname;      /* of the run's machine */
    pvmlab_build_info build;   /* of the pvmlab that ran it */
    const char *git_rev;       /* the source revision recorded at run time (run_provenance), NULL when not recorded */
    int64_t samples;
} pvmlab_run_row;

/* Every run in id order, or only run (when run > 0). */
int pvmlab_db_foreach_run(pvmlab_db *db, pvmlab_id run, int (*visit)(const pvmlab_run_row *row, void *context),
                          void *context);

/* The distinct non-empty command lines of the runs, the limit most recently used ones,
 * oldest first (by the newest run of each). */
int pvmlab_db_foreach_recent_command(pvmlab_db *db, size_t limit, int (*visit)(const char *command, void *context),
                                     void *context);

/* --- counter_status.c ------------------------------------------------------------------- */

typedef struct pvmlab_counter_status {
    const char *name, *source;
    int64_t with_value, without_value; /* samples of the run with and without a value */
    const char *unavailable_reason;    /* the stored reason of those without ("" when none) */
} pvmlab_counter_status;

/* Per counter of run (by name, source and reason): how many samples had a value. */
int pvmlab_db_foreach_counter_status(pvmlab_db *db, pvmlab_id run,
                                     int (*visit)(const pvmlab_counter_status *status, void *context), void *context);

/* The newest run with any counter reading; *run = 0 when none. */
int pvmlab_db_latest_counted_run(pvmlab_db *db, pvmlab_id *run);

/* --- cost_table_list.c ------------------------------------------------------------------ */

typedef struct pvmlab_cost_table_row {
    pvmlab_id id, calibration;
    const char *model_kind, *content_hash;
    int64_t bytes; /* length of the content */
} pvmlab_cost_table_row;

/* Every stored cost table, newest (highest id) first. */
int pvmlab_db_foreach_cost_table(pvmlab_db *db, int (*visit)(const pvmlab_cost_table_row *row, void *context),
                                 void *context);

#endif
