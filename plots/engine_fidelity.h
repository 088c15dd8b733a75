/* How well gas bounds time for one engine and cost model: the spread of ns per gas over the
 * programs of a run, by the one definition of results_fidelity.h. fidelity = max(ns/gas) /
 * median(ns/gas); 1 is perfect, and a large value names a program that gas underprices. */
#ifndef PVMLAB_ENGINE_FIDELITY_H
#define PVMLAB_ENGINE_FIDELITY_H

#include <stddef.h>

#include "results/results_fidelity.h"
#include "run_table.h"

typedef struct pvmlab_fidelity {
    size_t programs;                 /* programs with gas > 0 */
    double min_ns_per_gas, median_ns_per_gas, max_ns_per_gas;
    double fidelity;                 /* max / median; NAN with no programs */
    pvmlab_interval max_over_median, p95_over_median; /* with their bootstrap intervals */
    const char *slowest_program;     /* the program at max ns/gas (owned by the table) */
} pvmlab_fidelity;

/* Computes the figures for engine (label) over the cells of table that have gas. */
void pvmlab_fidelity_of_engine(const pvmlab_run_table *table, const char *engine, pvmlab_fidelity *out);

/* Whether engine has gas on at least one benchmark of the table (it meters). */
int pvmlab_engine_meters(const pvmlab_run_table *table, const char *engine);

#endif
