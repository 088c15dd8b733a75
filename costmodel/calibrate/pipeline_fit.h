/* Fitting the pipeline model's free parameters on the calibration's own programs.
 *
 * The pipeline model keeps the reference core (class latencies, decode widths, units) and
 * prices a few things per machine: what a load costs at the model's cache level, a store, a
 * branch the static rule does not predict, and the cycles refunded per block (slack). Those
 * are chosen here so that gas follows time on the training programs: block execution counts
 * do not depend on the cost table, so each program's (block, entries) profile is taken once
 * (mb_block_profile) and its gas under candidate parameters is sum entries x block cost;
 * a deterministic coordinate descent over integer grids minimises the spread of the
 * programs' log ps per gas (pipeline_fit_objective: ln p95/p5). Fitting is in doubles; what leaves is
 * integers, and the same inputs give the same integers (ties go to the current value, then
 * to the smallest). */
#ifndef PVMLAB_CAL_PIPELINE_FIT_H
#define PVMLAB_CAL_PIPELINE_FIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "costmodel/microbench/dynamic_mix.h"
#include "vm/gas/pipeline_params.h"

/* The fitted parameters, in model cycles (gas). */
typedef enum pipeline_fit_param {
    PIPELINE_FIT_LOAD,  /* latency of a load at the model's cache level: cache_latency[cache_level - 1] */
    PIPELINE_FIT_STORE, /* store_latency */
    PIPELINE_FIT_MISS,  /* branch_miss: a conditional branch the static rule does not predict */
    PIPELINE_FIT_SLACK, /* slack: cycles refunded per block */
    PIPELINE_FIT_PARAMS
} pipeline_fit_param;

/* "latency.l2" (for the level), "latency.store", "branch.miss", "slack": the table key. */
const char *pipeline_fit_param_key(pipeline_fit_param k, uint32_t cache_level);
/* The parameter's field in p. */
uint32_t *pipeline_fit_param_field(pvm_pipeline_params *p, pipeline_fit_param k);

/* One training program: its profiled call and its measured time. */
typedef struct pipeline_fit_program {
    const char *name;                  /* borrowed */
    const mb_block_profile *profile;   /* borrowed */
    double ps;                         /* measured time of one call's blocks (call overhead removed), > 0 */
    double weight;                     /* its share of the objective, > 0 */
    int stratum;                       /* programs are resampled within their stratum (the bootstrap) */
} pipeline_fit_program;

/* The objective on n programs with time ps[i], gas[i] and weight w[i]: with r_i =
 * ln(ps_i / gas_i), Q(0.95) - Q(0.05) of the weighted distribution (Q: the weighted quantile,
 * linear between the midpoints of the sorted weights; with equal weights the Hazen rule), i.e.
 * ln(p95 / p5) of ps per gas = ln(p95 / median) + ln(median / p5): the held-out fidelity's
 * p95/median (programs charged too little gas for their time) and its mirror (charged too
 * much). Two-sided so that it is zero only when the central 90% of the weight run at one ps
 * per gas: a one-sided ln(p95 / median) is zero for any parameters that over-charge the
 * lower half, and does not recover a planted table. Scale-free: the gas unit does not
 * enter. NaN for n == 0, a gas or time of 0, or no memory. median (may be NULL) receives
 * exp(Q(0.5)), the weighted median ps per gas. */
double pipeline_fit_objective(const double *ps, const double *gas, const double *w, size_t n, double *median);
/* The weighted quantile q of values v (not changed) with weights w > 0, as the objective
 * takes it; NaN for n == 0 or no memory. */
double pipeline_fit_weighted_quantile(const double *v, const double *w, size_t n, double q);

/* Gas of one profiled call under p: sum over its executed blocks of entries x cost. */
uint64_t pipeline_fit_gas(const pvm_pipeline_params *p, const mb_block_profile *profile);

/* The search: each parameter in [min, max] (integers), from start. */
typedef struct pipeline_fit_config {
    pvm_pipeline_params start;             /* every other parameter stays as here */
    uint32_t min[PIPELINE_FIT_PARAMS], max[PIPELINE_FIT_PARAMS];
    bool fixed[PIPELINE_FIT_PARAMS];       /* not searched (stays at start) */
    unsigned max_passes;                   /* coordinate-descent passes (0: 8) */
    unsigned bootstrap_rounds;             /* 0: no standard errors */
    uint64_t bootstrap_seed;
} pipeline_fit_config;

typedef struct pipeline_fit_result {
    pvm_pipeline_params params;            /* start with the fitted values */
    uint32_t value[PIPELINE_FIT_PARAMS];
    double se[PIPELINE_FIT_PARAMS];        /* bootstrap SD of the parameter's conditional argmin; NaN: none */
    bool at_bound[PIPELINE_FIT_PARAMS];    /* the minimum lies on the grid's edge */
    double objective, objective_start;     /* at the fit, at start */
    double median_ps_per_gas, median_ps_per_gas_start;
    unsigned passes;
    size_t programs;
} pipeline_fit_result;

/* Fits config's free parameters on the n programs. Standard errors: `bootstrap_rounds`
 * resamples of the programs (with replacement, within each stratum; fixed seed), each
 * parameter's argmin along its own axis with the others at the fit; se is the standard
 * deviation of those argmins (a conditional error: it leaves the parameters' covariance
 * out). Returns 0, or -1 with a one-line reason in err (no programs, bad parameters, no
 * memory). */
int pipeline_fit(const pipeline_fit_program *programs, size_t n, const pipeline_fit_config *config,
                 pipeline_fit_result *out, char *err, size_t err_len);

#endif
