/* The pipeline fit of a calibration (see calibration_fit_pipeline): which programs train
 * it, what each weighs, what is stored. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibration_fit.h"
#include "pipeline_fit.h"
#include "vm/gas/gas.h"
#include "vm/util/stats.h"

/* The training families, each one stratum of the bootstrap. Realistic code (the mixed
 * programs) weighs as much as the designed programs together, as in the joint fit; the
 * designed programs split their half three ways: compute (op chains), memory within L2
 * (pointer chases up to the L2 size and the stride rings: what an L2-hit model claims to
 * bound) and control (the predictable/unpredictable branch and indirect-jump pairs). */
enum { STRATUM_MIXED, STRATUM_COMPUTE, STRATUM_MEMORY, STRATUM_CONTROL, STRATA };
static const char *const STRATUM_NAME[STRATA] = {"mixed", "compute", "memory", "control"};
static const double STRATUM_WEIGHT[STRATA] = {1.0 / 2, 1.0 / 6, 1.0 / 6, 1.0 / 6};

#define PIPELINE_FIT_BOOTSTRAP_ROUNDS 100
#define PIPELINE_FIT_BOOTSTRAP_SEED 0x706970656c696e65ull

static bool profile_has_host_call(const mb_block_profile *p)
{
    const pvm_decoded *d = &p->decoded;
    for (uint32_t b = 0; b < d->n_blocks; b++) {
        if (!p->entries[b]) continue;
        for (uint32_t i = 0; i < d->blocks[b].count; i++)
            if (pvm_op_pipeline_class(pvm_gas_charged_op(d, &d->instrs[d->blocks[b].first + i])) == PVM_CLASS_HOST)
                return true;
    }
    return false;
}

/* The stratum of a program, or -1 (not a training program) with why. */
static int stratum_of(const mb_spec *s, const mb_block_profile *p, uint64_t l2_bytes, const char **why)
{
    *why = NULL;
    switch (s->family) {
    case MB_MIXED: return STRATUM_MIXED;
    case MB_OP_CHAIN:
        if (profile_has_host_call(p)) return *why = "host calls: gas beyond the pipeline", -1;
        return STRATUM_COMPUTE;
    case MB_POINTER_CHASE:
        if (s->huge_pages) return *why = "huge pages (the guests run on 4 KiB pages)", -1;
        if (s->size > l2_bytes) return *why = "working set beyond L2: not what an L2-hit model bounds", -1;
        return STRATUM_MEMORY;
    case MB_STRIDE: return STRATUM_MEMORY;
    case MB_BRANCH: case MB_INDIRECT: return STRATUM_CONTROL;
    default: return *why = "host charges (lazy pages)", -1;
    }
}


static int add_value(cal_result *r, const char *key, double v, double se, int64_t n)
{
    return cal_result_add(r, key, v, NAN, se, n);
}

int calibration_fit_pipeline(const mb_spec *specs, const measurement *m, const bool *ok,
                             const mb_block_profile *profiles, size_t n, uint64_t l2_bytes, cal_result *r)
{
    json_object *j = json_object_new_object();
    json_object_object_add(r->fit, "pipeline_fit", j);
    pipeline_fit_program *train = calloc(n ? n : 1, sizeof *train);
    int *stratum = calloc(n ? n : 1, sizeof *stratum);
    if (!train || !stratum) {
        free(train), free(stratum);
        return -1;
    }
    double call_ps = calibration_call_overhead_ps(r);
    pvm_pipeline_params reference;
    pvm_pipeline_reference(2, &reference);
    json_object *excluded = json_object_new_object();
    json_object_object_add(j, "left_out", excluded);
    /* The programs: selected, then weighted per stratum and series. */
    size_t k = 0, per_stratum[STRATA] = {0};
    for (size_t i = 0; i < n; i++) {
        stratum[i] = -1;
        if (!ok[i] || !profiles[i].blob) continue;
        const char *why;
        int st = stratum_of(&specs[i], &profiles[i], l2_bytes, &why);
        double ps = m[i].median_ns * 1000.0 - call_ps;
        if (st >= 0 && profiles[i].ecalli_exits) st = -1, why = "host calls: gas beyond the pipeline";
        if (st >= 0 && !(ps > 0)) st = -1, why = "no time left after the call overhead";
        if (st < 0) {
            json_object_object_add(excluded, specs[i].name, json_object_new_string(why ? why : "?"));
            continue;
        }
        stratum[i] = st;
        per_stratum[st]++;
        train[k++] = (pipeline_fit_program){.name = specs[i].name, .profile = &profiles[i], .ps = ps, .stratum = st};
    }
    int rc = 0;
    size_t series_in[STRATA] = {0};
    for (size_t i = 0; i < n; i++) /* series per stratum: count a series at its first program */
        if (stratum[i] >= 0) {
            bool first = true;
            for (size_t e = 0; e < i && first; e++)
                if (stratum[e] == stratum[i] && strcmp(specs[e].series, specs[i].series) == 0) first = false;
            series_in[stratum[i]] += first;
        }
    for (size_t i = 0, t = 0; i < n; i++) {
        if (stratum[i] < 0) continue;
        size_t in_series = 0;
        for (size_t e = 0; e < n; e++) in_series += stratum[e] == stratum[i] && strcmp(specs[e].series, specs[i].series) == 0;
        train[t++].weight = STRATUM_WEIGHT[stratum[i]] / (double)series_in[stratum[i]] / (double)in_series;
    }
    json_object *strata = json_object_new_object();
    for (int s = 0; s < STRATA; s++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "programs", json_object_new_int64((int64_t)per_stratum[s]));
        json_object_object_add(o, "series", json_object_new_int64((int64_t)series_in[s]));
        json_object_object_add(o, "weight", json_object_new_double(per_stratum[s] ? STRATUM_WEIGHT[s] : 0));
        json_object_object_add(strata, STRATUM_NAME[s], o);
    }
    json_object_object_add(j, "strata", strata);
    json_object_object_add(j, "l2_bytes", json_object_new_int64((int64_t)l2_bytes));
    if (k < 8 || !per_stratum[STRATUM_MIXED]) {
        json_object_object_add(j, "skipped", json_object_new_string("fewer than 8 training programs or no mixed ones"));
        goto done;
    }
    /* The weights of the strata that have programs sum to 1. */
    double total = 0;
    for (size_t t = 0; t < k; t++) total += train[t].weight;
    for (size_t t = 0; t < k; t++) train[t].weight /= total;
    pipeline_fit_config config = {.start = reference, .bootstrap_rounds = PIPELINE_FIT_BOOTSTRAP_ROUNDS,
                                  .bootstrap_seed = PIPELINE_FIT_BOOTSTRAP_SEED,
                                  .min = {1, 1, 1, 0}, .max = {255, 127, 255, 31}};
    pipeline_fit_result fit;
    char err[256];
    if (pipeline_fit(train, k, &config, &fit, err, sizeof err) != 0) {
        json_object_object_add(j, "skipped", json_object_new_string(err));
        goto done;
    }
    json_object_object_add(j, "model", json_object_new_string("pipeline-l2hit"));
    json_object_object_add(j, "objective", json_object_new_string("ln(p95 / p5) of the weighted ps per gas (pipeline_fit_objective)"));
    json_object_object_add(j, "objective_value", json_object_new_double(fit.objective));
    json_object_object_add(j, "objective_at_reference", json_object_new_double(fit.objective_start));
    json_object_object_add(j, "median_ps_per_gas", json_object_new_double(fit.median_ps_per_gas));
    json_object_object_add(j, "median_ps_per_gas_at_reference", json_object_new_double(fit.median_ps_per_gas_start));
    json_object_object_add(j, "passes", json_object_new_int64(fit.passes));
    json_object_object_add(j, "call_overhead_ps", json_object_new_double(call_ps));
    json_object *params = json_object_new_object();
    for (int p = 0; p < PIPELINE_FIT_PARAMS; p++) {
        const char *key = pipeline_fit_param_key((pipeline_fit_param)p, 2);
        json_object *o = json_object_new_object();
        json_object_object_add(o, "value", json_object_new_int64(fit.value[p]));
        json_object_object_add(o, "se", json_object_new_double(fit.se[p]));
        char range[32];
        snprintf(range, sizeof range, "%u..%u", config.min[p], config.max[p]);
        json_object_object_add(o, "range", json_object_new_string(range));
        json_object_object_add(o, "at_bound", json_object_new_boolean(fit.at_bound[p]));
        json_object_object_add(params, key, o);
        char name[96];
        snprintf(name, sizeof name, "pipeline.l2hit.%s", key);
        rc |= add_value(r, name, fit.value[p], fit.se[p], (int64_t)k);
    }
    json_object_object_add(j, "parameters", params);
    rc |= add_value(r, "pipeline.l2hit.objective", fit.objective, NAN, (int64_t)k);
    /* The fitted table's unit, as the calibration declares its own (calibration_joint.c): the
     * median ps per gas of the mixed programs' calls, now under the fitted parameters. */
    double *unit = malloc(k * sizeof *unit);
    size_t mixed = 0;
    if (!unit) rc = -1;
    for (size_t i = 0; unit && i < n; i++)
        if (stratum[i] == STRATUM_MIXED)
            unit[mixed++] = m[i].median_ns * 1000.0 / (double)pipeline_fit_gas(&fit.params, &profiles[i]);
    if (unit && mixed >= 3) {
        rc |= cal_result_add_median(r, "pipeline.l2hit.unit.ps_per_gas", unit, mixed);
        json_object_object_add(j, "unit_ps_per_gas", json_object_new_double(util_median(unit, mixed)));
    }
    free(unit);
    json_object *residuals = json_object_new_object();
    for (size_t t = 0; t < k; t++) {
        double gas = (double)pipeline_fit_gas(&fit.params, train[t].profile);
        json_object *pair = json_object_new_array();
        json_object_array_add(pair, json_object_new_double(train[t].ps));
        json_object_array_add(pair, json_object_new_double(gas));
        json_object_array_add(pair, json_object_new_double(train[t].weight));
        json_object_object_add(residuals, train[t].name, pair);
    }
    json_object_object_add(j, "ps_per_gas", residuals);
done:
    free(train);
    free(stratum);
    return rc ? -1 : 0;
}
