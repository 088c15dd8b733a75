/* Fidelity of a cost table: how well gas bounds time. The calibration programs run under
 * the table's model; per program, time per gas; the summary is the spread of those
 * ratios, above all max(ns/gas) / median(ns/gas) (1 = gas is exactly proportional to
 * time; 10 = some program runs 10x longer per gas than the typical one). These are the
 * programs the fit was made on: a training-set check, stored apart from held-out sets. */
#ifndef PVMLAB_CAL_FIDELITY_H
#define PVMLAB_CAL_FIDELITY_H

#include <stdbool.h>
#include <stddef.h>

#include "pvm/pvm.h"
#include "fidelity_timing.h"
#include "results/results.h"

typedef struct fidelity_summary {
    size_t programs;
    double median_ns_per_gas, mad_ns_per_gas, min_ns_per_gas, max_ns_per_gas;
    double max_over_median, p95_over_median; /* by the definition of results_fidelity.h */
    char worst_program[96];
    double stride_gas_per_access[3]; /* strides 1, 2048, 2053 */
    double stride_ns_per_access[3];
    bool stride_charged_differently; /* 2048 charged more than 1 and 2053 */
} fidelity_summary;

typedef struct fidelity_config {
    const char *model;       /* "table:FILE" or "pipeline:FILE" */
    pvm_backend backend;
    bool smoke;              /* tiny programs (tests) */
    pvmlab_db *db;           /* samples stored here when non-NULL */
    pvmlab_id run, engine;
    fidelity_measured *programs; /* when non-NULL, receives every program's ns and gas */
} fidelity_config;

/* Runs the programs under the model with sync gas. Returns 0, or -1 with err. */
int fidelity_measure(const fidelity_config *c, fidelity_summary *out, char *err, size_t err_len);

#endif
