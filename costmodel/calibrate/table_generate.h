/* A stored calibration to integer cost tables, deterministically: the same rows and
 * arguments give the same table, bit for bit (integers only leave this file). */
#ifndef PVMLAB_CAL_TABLE_GENERATE_H
#define PVMLAB_CAL_TABLE_GENERATE_H

#include <stdbool.h>
#include <stddef.h>

#include "results/calibration_read.h"
#include "vm/gas/cost_table.h"

/* Cost of every op in picoseconds, as the table charges it (PolkaVM gastool's rules):
 *   base       the largest of the op's series (latency, throughput, divisor 0)
 *   loads      at least the worst-case pointer chase (largest working set)
 *   branches   predicted cost + the fitted mispredict penalty; all branches equalised
 *   jump_ind, load_imm_jump_ind  + the fitted indirect mispredict penalty
 *   groups     and/or/xor, the four cmovs, u16/u32/u64 of each store form: equalised (max)
 *   trap, invalid  = fallthrough (a block end; a trap runs once per program)
 * Returns 0, or -1 naming the first op without a measurement in err. */
int table_op_ps(const stored_calibration *c, double ps[], char *err, size_t err_len);
/* As table_op_ps, preferring op.MNEMONIC.fit (the joint fit on realistic code, loads included:
 * no floor; no added mispredict penalty: the fit saw the mixed programs' branches)
 * when the calibration has it, and also giving each op's standard error (NaN: none) and the
 * key of the measurement that decides it (static strings or keys of c). */
int table_op_errors(const stored_calibration *c, double ps[], double se[], const char *source[], char *err,
                    size_t err_len);
/* The costs a table of `model` takes (table: every op's; pipeline: the add_64 cycle, the
 * predicted branch, the mispredict penalty, the block term and the unit, and each class's
 * latency chain (an error above max_rel and half a cycle) but with "pipeline-reference-core"
 * (the reference model's class latencies); "pipeline-fitted":
 * the fitted pipeline parameters, an error of more than max_rel and half a cycle, and the unit) whose standard
 * error is above max_rel of the cost and above half a gas: their count, and "op P ps +- E ps (R%): repeat KEY; ..." in report.
 * worst receives "max rel SE R% op" over the costs of at least one gas (for provenance). */
size_t table_noisy_costs(const stored_calibration *c, const char *model, double ps_per_gas, double max_rel,
                         char *report, size_t report_len, char *worst, size_t worst_len);

/* Picoseconds per gas: requested > 0 is used as is; else the unit the calibration declared
 * (unit.ps_per_gas); for older calibrations without one, the cheapest ALU op's cost (so it
 * costs 1), ignoring ALU costs below a quarter of their median as noise. Returns the
 * value, or a value <= 0 when it cannot be derived. */
double table_ps_per_gas(const stored_calibration *c, const double ps[], double requested);

/* 0 when a table of model may come from calibration c; else -1 and why in err (pipeline
 * models need a recompiler calibration: interpreter dispatch is not a CPU pipeline). */
int table_model_allowed(const stored_calibration *c, const char *model, char *err, size_t err_len);

/* Builds the table for model "table" or "pipeline-l1hit|l2hit|l3hit" (pipeline models only
 * from recompiler calibrations). Pipeline models take the reference parameters of that cache
 * level and replace the latencies measured here, converted to cycles of the named reference
 * op add_64 (its latency chain; ps_per_gas without one), the block entry taken off the slack: latency.l1/l2/l3 from the chase plateaus (mem.l1, mem.l2,
 * mem.l3, else DRAM for a missing L3), latency.store from the costliest store, branch.hit
 * from the predicted branch, branch.miss = hit + mispredict penalty, the host class from
 * the costliest host call, and every class latency from the costliest latency chain of its
 * ops (jump_ind plus the indirect mispredict penalty, unlikely = the conditional one), the
 * decode width, starts per cycle and ALU pool from the throughput series (move_reg, load_imm,
 * the three-register ALU ops); decode slots, unit needs, latency_b64, rob_size and the other
 * unit pools stay the reference's, and so does any class or width without a measurement.
 * mapping (may be NULL) receives a one-line summary naming both. Returns 0, or -1 with err. */
int table_generate(const stored_calibration *c, const char *model, double ps_per_gas, const char *tool,
                   pvm_cost_table *out, char *mapping, size_t mapping_len, char *err, size_t err_len);
/* table_generate with the pipeline parameters' derivation chosen: NULL or "converted" (the
 * default, and what every calibration without a fit and the l1hit/l3hit models get) converts
 * the measured latencies at the add_64 cycle as described above; "reference-core" the same
 * with the reference model's class latencies and widths (the earlier default); "fitted" takes a
 * pipeline-l2hit table's latency.l2, latency.store, branch.miss and slack from the
 * calibration's pipeline fit (pipeline.l2hit.*, calibration_fit_pipeline) when it has one,
 * latency.l1/l3 from the chase plateaus at the fit's memory scale (mem.l2 per fitted
 * latency.l2 cycle). table_generate is table_generate_as with NULL. */
int table_generate_as(const stored_calibration *c, const char *model, double ps_per_gas, const char *derivation,
                      const char *tool, pvm_cost_table *out, char *mapping, size_t mapping_len, char *err,
                      size_t err_len);
/* What a table-kind table multiplies each op's price by: table.unit.ps_per_gas (the
 * training mixed programs' median ps per gas of that table unscaled, calibration_converted_unit)
 * over the declared unit.ps_per_gas, so that realistic code runs at the declared unit under
 * it; the joint fit explains the mixed programs' time only partly (a uniform share, about
 * 15 %, is left in their residuals). 1 for a calibration without it. */
double table_code_scale(const stored_calibration *c);
/* Whether table_generate_as(c, model, .., derivation, ..) takes the fitted parameters. */
bool table_pipeline_fitted(const stored_calibration *c, const char *model, const char *derivation);

#endif
