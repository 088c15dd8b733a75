/* The converted tables' own units (see calibration_fit.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibration_fit.h"
#include "costmodel/microbench/dynamic_mix.h"
#include "pipeline_fit.h"
#include "results/calibration_read.h"
#include "table_generate.h"
#include "vm/gas/gas.h"
#include "vm/util/stats.h"

/* Each profiled program's gas under table t: its executed blocks' costs (the metering
 * pass's own pvm_gas_block_cost for a per-op table) times their entries; 0 without a profile. */
static void profile_gas(const pvm_cost_table *t, const mb_block_profile *profiles, size_t n, uint64_t *gas)
{
    pvm_cost_model per_op = {.kind = PVM_COST_TABLE};
    memcpy(per_op.op_cost, t->op_cost, sizeof per_op.op_cost);
    for (size_t i = 0; i < n; i++) {
        const mb_block_profile *p = &profiles[i];
        gas[i] = 0;
        if (!p->entries) continue;
        if (t->kind == PVM_TABLE_KIND_PIPELINE) {
            gas[i] = pipeline_fit_gas(&t->pipeline, p);
            continue;
        }
        for (uint32_t b = 0; b < p->decoded.n_blocks; b++)
            if (p->entries[b]) gas[i] += p->entries[b] * pvm_gas_block_cost(&per_op, &p->decoded, b);
    }
}

int calibration_converted_unit(const mb_spec *specs, const measurement *m, const bool *ok,
                               const struct mb_block_profile *profiles, size_t n, bool pipeline, cal_result *r)
{
    const cal_value *declared = cal_result_find(r, "unit.ps_per_gas");
    if (!declared || !(declared->ps > 0)) return 0;
    /* The calibration as tables will read it back, to convert it as tables will. */
    stored_calibration c = {.count = r->count};
    snprintf(c.vm_backend, sizeof c.vm_backend, "%s", pipeline ? "jit" : "interp");
    c.values = calloc(r->count ? r->count : 1, sizeof *c.values);
    pvm_cost_table *t = calloc(1, sizeof *t);
    double *unit = calloc(n ? n : 1, sizeof *unit);
    uint64_t *gas = calloc(n ? n : 1, sizeof *gas);
    int rc = c.values && t && unit && gas ? 0 : -1;
    double call_ps = calibration_call_overhead_ps(r);
    for (size_t i = 0; rc == 0 && i < r->count; i++) {
        const cal_value *v = &r->values[i];
        c.values[i] = (stored_value){.ps = v->ps, .cycles = NAN, .mad = v->mad_ps, .se = v->se_ps, .n = v->n};
        snprintf(c.values[i].key, sizeof c.values[i].key, "%s", v->key);
    }
    char mapping[1536], err[256];
    json_object *j = json_object_new_object();
    json_object_object_add(r->fit, "converted_unit", j);
    if (!pipeline) {
        json_object_object_add(j, "skipped", json_object_new_string("pipeline tables: recompiler calibrations only"));
    } else if (rc == 0 && table_generate_as(&c, "pipeline-l2hit", declared->ps, "converted", "calibrate", t, mapping,
                                            sizeof mapping, err, sizeof err) != 0) {
        json_object_object_add(j, "skipped", json_object_new_string(err));
    } else if (rc == 0) {
        profile_gas(t, profiles, n, gas);
        size_t k = calibration_unit_samples(specs, m, ok, n, call_ps, gas, unit);
        if (k >= 3) {
            rc = cal_result_add_median(r, "pipeline.l2hit.converted.unit.ps_per_gas", unit, k);
            json_object_object_add(j, "ps_per_gas", json_object_new_double(util_median(unit, k)));
            json_object_object_add(j, "programs", json_object_new_int64((int64_t)k));
        } else {
            json_object_object_add(j, "skipped", json_object_new_string("fewer than 3 profiled mixed programs"));
        }
    }
    /* The per-op table's, the same way: its gas is the declared unit's by construction (each
     * op's fitted ps over it), so this says how far realistic code sits from it. */
    if (rc == 0 && table_generate_as(&c, "table", declared->ps, NULL, "calibrate", t, mapping, sizeof mapping, err,
                                     sizeof err) == 0) {
        profile_gas(t, profiles, n, gas);
        size_t k = calibration_unit_samples(specs, m, ok, n, call_ps, gas, unit);
        if (k >= 3) {
            rc = cal_result_add_median(r, "table.unit.ps_per_gas", unit, k);
            json_object_object_add(j, "table_ps_per_gas", json_object_new_double(util_median(unit, k)));
        }
    }
    free(gas);
    free(unit);
    free(t);
    free(c.values);
    return rc;
}
