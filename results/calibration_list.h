/* The stored calibrations with their values, newest first, as figures and reports read them
 * (calibration_read.h reads one calibration for the table generator). */
#ifndef PVMLAB_RESULTS_CALIBRATION_LIST_H
#define PVMLAB_RESULTS_CALIBRATION_LIST_H

#include <stddef.h>
#include <stdint.h>

#include "results/calibration_read.h"
#include "results/results.h"

typedef struct pvmlab_calibration_record {
    pvmlab_id id, run;
    char *uuid, *backend, *model_kind, *parameters, *fit_results, *created_at;
    /* "interpreter" or "recompiler" when the parameters name the engine (interp / jit /
     * recompiler), else "": the schema has no engine column for a calibration. */
    const char *side;
    stored_value *entries; /* in the order they were stored (calibration_read.h's value rows) */
    size_t entry_count;
} pvmlab_calibration_record;

typedef struct pvmlab_calibration_set {
    pvmlab_calibration_record *records; /* newest (highest id) first */
    size_t count;
} pvmlab_calibration_set;

/* Loads up to limit calibrations, newest first. 0, or -1 with one line in err. Free with
 * pvmlab_calibration_set_free (also after a failure). */
int pvmlab_calibration_set_load(pvmlab_db *db, size_t limit, pvmlab_calibration_set *out, char *err,
                                size_t err_len);

void pvmlab_calibration_set_free(pvmlab_calibration_set *set);

#endif
