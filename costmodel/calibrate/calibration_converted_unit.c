/* The converted L2-hit table's own unit (see calibration_fit.h). */
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

/* A table's gas of a profiled call: each executed block's cost times its entries. A per-op
 * table's block costs the sum of its ops' prices (at least 1), as the metering pass adds them. */
static uint64_t profile_gas(const pvm_cost_table *t, const mb_block_profile *profile)
{
    if (t->kind == PVM_TABLE_KIND_PIPELINE) return pipeline_fit_gas(&t->pipeline, profile);
    const pvm_decoded *d = &profile->decoded;
    uint64_t gas = 0;
    for (uint32_t b = 0; b < d->n_blocks; b++) {
        if (!profile->entries[b]) continue;
        uint64_t cost = 0;
        for (uint32_t i = 0; i < d->blocks[b].count; i++)
            cost += t->op_cost[pvm_gas_charged_op(d, &d->instrs[d->blocks[b].first + i])];
        gas += profile->entries[b] * (cost ? cost : 1);
    }
    return gas;
}

/* The unit definition under table t: each profiled mixed program's time less call.overhead
 * over its gas, into unit[]; returns how many. */
static size_t units_under(const pvm_cost_table *t, const mb_spec *specs, const measurement *m, const bool *ok,
                          const mb_block_profile *profiles, size_t n, const cal_result *r, double *unit)
{
    const cal_value *call = cal_result_find(r, "call.overhead");
    double call_ps = call && call->ps > 0 ? call->ps : 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!ok[i] || specs[i].family != MB_MIXED || !profiles[i].entries) continue;
        uint64_t gas = profile_gas(t, &profiles[i]);
        if (gas && m[i].median_ns * 1000.0 > call_ps) unit[k++] = (m[i].median_ns * 1000.0 - call_ps) / (double)gas;
    }
    return k;
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
    int rc = c.values && t && unit ? 0 : -1;
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
        size_t k = units_under(t, specs, m, ok, profiles, n, r, unit);
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
        size_t k = units_under(t, specs, m, ok, profiles, n, r, unit);
        if (k >= 3) {
            rc = cal_result_add_median(r, "table.unit.ps_per_gas", unit, k);
            json_object_object_add(j, "table_ps_per_gas", json_object_new_double(util_median(unit, k)));
        }
    }
    free(unit);
    free(t);
    free(c.values);
    return rc;
}
