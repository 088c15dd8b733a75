/* From timed microbenchmarks to calibrated quantities (picoseconds per unit). */
#ifndef PVMLAB_CAL_FIT_H
#define PVMLAB_CAL_FIT_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "measure.h"

typedef struct cal_value {
    char key[96];
    double ps;     /* picoseconds per unit */
    double mad_ps; /* spread, NaN if unknown */
    double se_ps;  /* standard error (regression or bootstrap), NaN if unknown */
    int64_t n;     /* repetitions behind it */
} cal_value;

typedef struct cal_result {
    cal_value *values;
    size_t count, capacity;
    json_object *fit; /* series, residuals, NNLS blocks, plateaus */
} cal_result;

/* Fits every series of the suite:
 *   op.MNEMONIC.lat|tput[.div0]  slope over chain lengths (loop.empty is the 0 point)
 *   loop.overhead                one empty loop trip
 *   chase.BYTES                  slope over chase lengths: one dependent load
 *   stride.1|2048|2053           one access of the stride ring
 *   branch.unit branch.mispredict indirect.unit indirect.mispredict  NNLS over the
 *                                fixed and random programs (mixed blocks)
 *   branch.pmu_miss_rate indirect.pmu_miss_rate  PMU mispredictions per unit (NaN: no PMU);
 *                                when measured they replace the design's rate in the NNLS
 *   touch.KIND                   first touch of one lazy page of that kind (cold - warm; kinds:
 *                                zero_write, zero_read, zero_read_write, data_write, ...)
 *   touch.lazy_read touch.lazy_write  what the lazy-page charges take: the costliest kind
 *                                that only loads; the costliest that stores, less lazy_read
 * The memory levels (mem.*, tlb.*) come from memory_levels_fit, which needs the cache sizes.
 * ok[i] false skips a failed program. Returns 0, or -1 on out of memory. */
int calibration_fit(const mb_spec *specs, const measurement *m, const bool *ok, size_t n, cal_result *out);

/* The joint fit (calibration_joint.c), after calibration_fit: time per call of every op
 * chain and mixed program against what ran in it (mix[i], from the interpreter profile;
 * programs with host calls are left out), by NNLS with relative residuals, the mixed
 * programs weighted as much as all chains together. Terms: one call, one block entry (the
 * metered VM's block entry and gas check: the explicit per-block term), and per op group
 * (alu, move/immediate, mul, div, load, store, conditional branch, indirect jump) one
 * factor on the ops' chain costs, which keep the ratios within a group: a chain's own op at
 * its shape's cost, other ops blended (latency on the share of dependent instructions,
 * throughput cost on the rest). Adds
 *   call.overhead, block.entry     ps per call, per block entered
 *   group.NAME                     ps per chain-weighted op of the group
 *   op.MNEMONIC.fit                the op's cost in realistic code; terminators carry
 *                                  block.entry (one per block)
 *   unit.ps_per_gas                the declared gas unit: median time per gas of the mixed
 *                                  programs under the metering model (declared_ps > 0
 *                                  overrides it), with its standard error
 * every one with a bootstrap standard error (200 rounds, fixed seed). Leaves r unchanged
 * when fewer rows than terms are available. Returns 0, or -1 on out of memory. */
struct mb_dynamic_mix;
int calibration_fit_joint(const mb_spec *specs, const measurement *m, const bool *ok,
                          const struct mb_dynamic_mix *mix, size_t n, double declared_ps, cal_result *r);
/* The pipeline fit (calibration_pipeline.c, pipeline_fit.h), after the joint fit: the
 * L2-hit pipeline model's load latency, store latency, unpredicted-branch latency and slack
 * (model cycles) chosen on the training programs (mixed programs; op chains without host
 * calls; pointer chases on 4 KiB pages whose working set is at most l2_bytes, and the stride
 * rings; the branch and indirect-jump pairs) so that their ps per gas spread least, each
 * program's time less call.overhead against its gas from its block profile (profiles[i];
 * blob NULL: none). Adds, in model cycles (not ps), with bootstrap standard errors:
 *   pipeline.l2hit.latency.l2 pipeline.l2hit.latency.store pipeline.l2hit.branch.miss
 *   pipeline.l2hit.slack      and pipeline.l2hit.objective (ln p95/p5 of ps per gas), and in ps
 *   pipeline.l2hit.unit.ps_per_gas  the fitted table's unit: the mixed programs' median ps per
 *                             gas (unit.ps_per_gas's definition) under the fitted parameters
 * and fit_results.pipeline_fit. Fewer than 8 programs or no mixed ones: nothing added.
 * Returns 0, or -1 on out of memory. */
struct mb_block_profile;
int calibration_fit_pipeline(const mb_spec *specs, const measurement *m, const bool *ok,
                             const struct mb_block_profile *profiles, size_t n, uint64_t l2_bytes, cal_result *r);
/* The joint fit's call.overhead in r (ps), 0 when there is none: what each program's median
 * call less is its code's time. */
double calibration_call_overhead_ps(const cal_result *r);
/* The gas unit's samples, its one definition: for each usable mixed program (ok, gas > 0,
 * its median call longer than call_ps), its code's ps (median call less call_ps) per gas,
 * into out; gas[i] is program i's gas under the table being priced, or NULL for the gas
 * its metered calls were charged (m[i].gas). Returns how many. */
size_t calibration_unit_samples(const mb_spec *specs, const measurement *m, const bool *ok, size_t n, double call_ps,
                                const uint64_t *gas, double *out);
/* The converted L2-hit table's own unit, as the fitted table has its own: the declared unit's
 * definition (the mixed programs' median ps per gas of code, each call less call.overhead)
 * with the gas of the pipeline-l2hit table `pvmlab tables` converts from r by default
 * (table_generate_as, "converted"), from each mixed program's block profile. The declared
 * unit is the metering model's (the reference L2-hit); the converted table charges the same
 * code other gas, so a table priced in the metering model's unit put realistic code off its
 * own unit. Adds pipeline.l2hit.converted.unit.ps_per_gas (with the median's error) and
 * fit_results.converted_unit (pipeline: the recompiler's calibrations only), and the per-op
 * table's own unit the same way, table.unit.ps_per_gas (table_code_scale); nothing without a
 * declared unit or 3 profiled mixed programs.
 * Returns 0, or -1 out of memory. */
int calibration_converted_unit(const mb_spec *specs, const measurement *m, const bool *ok,
                               const struct mb_block_profile *profiles, size_t n, bool pipeline, cal_result *r);
/* The joint-fit key whose error an op's op.MNEMONIC.fit carries: "group.NAME", "block.entry"
 * for jumps and fallthrough, NULL for host calls (not in the joint fit). */
const char *calibration_joint_group_key(int op);
/* Appends a value (key copied). Returns 0, or -1 on out of memory. */
int cal_result_add(cal_result *r, const char *key, double ps, double mad_ps, double se_ps, int64_t n);
/* The median of v[0..n) under key, with its MAD and the median's standard error
 * (1.2533 x 1.4826 MAD / sqrt(n)); n as the count. Returns 0, or -1 out of memory. */
int cal_result_add_median(cal_result *r, const char *key, const double *v, size_t n);
void cal_result_free(cal_result *r);
/* The value of key, or NULL. */
const cal_value *cal_result_find(const cal_result *r, const char *key);

#endif
