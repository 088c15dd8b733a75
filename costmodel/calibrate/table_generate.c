/* Calibrated picoseconds to integer gas. */
#include "table_generate.h"

#include "calibration_fit.h"
#include "costmodel/microbench/guest_mix_data.h"
#include "costmodel/microbench/microbench.h"
#include "vm/gas/cost_table_keys.h"
#include "vm/util/stats.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double max_ignoring_nan(double a, double b)
{
    if (isnan(a)) return b;
    if (isnan(b)) return a;
    return a > b ? a : b;
}

/* The key of one of op's stored series (op.MNEMONIC.SUFFIX: lat, tput, fit...), written into key. */
static const char *series_key(char key[96], pvm_op op, const char *suffix)
{
    snprintf(key, 96, "op.%s.%s", pvm_op_table[op].name, suffix);
    return key;
}

/* The calibration series each lazy-page host charge is measured by, in the table's host key
 * order (lazy_page_read, lazy_page_write, memset_byte: its own series, lazy_page_read_image,
 * lazy_page_write_first); calibration_fit.c fit_first_touch writes them. */
static const char *const LAZY_SERIES[PVM_HOST_KEY_COUNT] = {"touch.lazy_read", "touch.lazy_write", NULL,
                                                            "touch.lazy_read_image", "touch.lazy_write_first"};

static bool is_load(pvm_op op)
{
    pvm_mem_access m = pvm_op_mem_access(op);
    return m.width && !m.is_store;
}

/* Register-to-register computation: what the alu.* cost of a table prices. */
static bool is_alu(pvm_op op)
{
    switch (pvm_op_group_of(op)) {
    case PVM_GROUP_ALU: case PVM_GROUP_BITS: case PVM_GROUP_SHIFT: case PVM_GROUP_COMPARE:
    case PVM_GROUP_CMOV: case PVM_GROUP_MUL: case PVM_GROUP_DIV:
        return true;
    default:
        return false;
    }
}

/* Equalisation group of op, or -1: ops that cost the same on any x86 core, whose noisy
 * fits all take the worst of them: the bitwise logic of the three-register ALU class
 * (and/or/xor: the ISA's logic flag tells them from add_64 and sub_64 in that class, which
 * the tables price on their own), the conditional moves, the conditional branches, and the
 * stores of 2+ bytes of one operand form (same operand kind: store_, store_imm_,
 * store_ind_, store_imm_ind_). */
static int group_of(pvm_op op)
{
    if (pvm_op_is_bitwise_logic(op) && pvm_op_table[op].pipeline_class == PVM_CLASS_ALU3) return 0;
    if (pvm_op_group_of(op) == PVM_GROUP_CMOV) return 1;
    if (pvm_op_is_branch(op)) return 2;
    pvm_mem_access m = pvm_op_mem_access(op);
    if (m.is_store && m.width >= 2) return 100 + (int)pvm_op_table[op].kind;
    return -1;
}

/* Each op of an equalisation group takes the group's costliest value, with that value's
 * error and source. */
static void equalise_groups(double ps[], double se[], const char *source[])
{
    for (int op = 0; op < PVM_OP_INVALID; op++) {
        int g = group_of((pvm_op)op);
        if (g < 0) continue;
        int worst = op;
        for (int other = 0; other < PVM_OP_INVALID; other++)
            if (group_of((pvm_op)other) == g && !isnan(ps[other]) && (isnan(ps[worst]) || ps[other] > ps[worst]))
                worst = other;
        ps[op] = ps[worst], se[op] = se[worst], source[op] = source[worst];
    }
}

/* The costliest memory level (the plateaus mem.l1..mem.dram of the 4 KiB-page sweep: robust
 * medians); the raw chase points only for a calibration without levels, since one disturbed
 * point of a sweep that reaches 4x the LLC would price every load. */
static double worst_chase_ps(const stored_calibration *c)
{
    static const char *const levels[] = {"mem.l1", "mem.l2", "mem.l3", "mem.dram"};
    double worst = NAN;
    for (size_t k = 0; k < sizeof levels / sizeof levels[0]; k++) worst = max_ignoring_nan(worst, stored_ps(c, levels[k]));
    if (!isnan(worst)) return worst;
    for (size_t i = 0; i < c->count; i++)
        if (strncmp(c->values[i].key, "chase.", 6) == 0) worst = max_ignoring_nan(worst, c->values[i].ps);
    return worst;
}

/* The op's cost from the joint fit (op.MNEMONIC.fit) with its error and the measurement that
 * decides it, when the calibration has one; NaN otherwise. */
static double fitted_ps(const stored_calibration *c, int op, double *se, const char **source)
{
    char key[96];
    const stored_value *v = stored_find(c, series_key(key, (pvm_op)op, "fit"));
    if (!v || !isfinite(v->ps)) return NAN;
    *se = v->se;
    *source = calibration_joint_group_key(op);
    return v->ps;
}

/* The chain series behind an op's chain cost: the largest of its shapes; source points into c. */
static double chain_ps(const stored_calibration *c, int op, double *se, const char **source)
{
    static const char *const shapes[3] = {"lat", "tput", "lat.div0"};
    double best = NAN;
    for (int k = 0; k < 3; k++) {
        char key[96];
        const stored_value *v = stored_find(c, series_key(key, (pvm_op)op, shapes[k]));
        if (v && isfinite(v->ps) && (isnan(best) || v->ps > best)) {
            best = v->ps;
            *se = v->se;
            *source = v->key; /* lives as long as c */
        }
    }
    return best;
}

int table_op_errors(const stored_calibration *c, double ps[], double se[], const char *source[], char *err,
                    size_t err_len)
{
    double chase = worst_chase_ps(c);
    double mispredict = fmax(0, stored_ps(c, "branch.mispredict"));
    double indirect_mispredict = fmax(0, stored_ps(c, "indirect.mispredict"));
    for (int op = 0; op < PVM_OP_INVALID; op++) {
        se[op] = NAN;
        source[op] = NULL;
        /* Realistic code first (the joint fit: its branches already mispredict as often as
         * the mixed programs do); else the chain rules. */
        double v = fitted_ps(c, op, &se[op], &source[op]);
        bool fitted = !isnan(v);
        if (!fitted) v = chain_ps(c, op, &se[op], &source[op]);
        /* Loads: a fitted cost is what a load costs in realistic code, and it stays (an L2
         * plateau floor priced every load at a dependent L2 hit, ~25x its fitted cost on this
         * VM, so the gas of compute-bound programs counted their loads and little else: their
         * held-out max/median ns/gas 3.9-4.6 against 2.0-2.3 without it). The memory
         * hierarchy is the pipeline models' business. Chain costs (older calibrations
         * without a joint fit): at least the worst chase, as before. */
        if (!fitted && is_load((pvm_op)op) && !isnan(chase) && (isnan(v) || chase > v)) {
            v = chase;
            se[op] = NAN;
            source[op] = "the pointer-chase sweep";
        }
        if (!fitted && pvm_op_is_branch((pvm_op)op) && !isnan(v)) v += isnan(mispredict) ? 0 : mispredict;
        if (!fitted && pvm_op_group_of((pvm_op)op) == PVM_GROUP_JUMP_IND && !isnan(v))
            v += isnan(indirect_mispredict) ? 0 : indirect_mispredict;
        ps[op] = v;
    }
    ps[PVM_OP_TRAP] = ps[PVM_OP_FALLTHROUGH];
    se[PVM_OP_TRAP] = se[PVM_OP_FALLTHROUGH];
    source[PVM_OP_TRAP] = source[PVM_OP_FALLTHROUGH];
    ps[PVM_OP_INVALID] = ps[PVM_OP_FALLTHROUGH];
    se[PVM_OP_INVALID] = se[PVM_OP_FALLTHROUGH];
    source[PVM_OP_INVALID] = source[PVM_OP_FALLTHROUGH];
    equalise_groups(ps, se, source);
    for (int op = 0; op < PVM_OP_COUNT; op++)
        if (isnan(ps[op])) {
            snprintf(err, err_len, "calibration %lld has no measurement for %s", (long long)c->id,
                     op == PVM_OP_INVALID ? "invalid" : pvm_op_table[op].name);
            return -1;
        }
    return 0;
}

int table_op_ps(const stored_calibration *c, double ps[], char *err, size_t err_len)
{
    double se[PVM_OP_COUNT];
    const char *source[PVM_OP_COUNT];
    return table_op_errors(c, ps, se, source, err, err_len);
}

static double class_chain_ps(const stored_calibration *c, pvm_op_class cls, double *se, const char **source);
static bool class_latency_from_chain(pvm_op_class cls);
static double cycle_ps_of(const stored_calibration *c, double ps_per_gas);

size_t table_noisy_costs(const stored_calibration *c, const char *model, double ps_per_gas, double max_rel,
                         char *report, size_t report_len, char *worst, size_t worst_len)
{
    double ps[PVM_OP_COUNT], se[PVM_OP_COUNT];
    const char *source[PVM_OP_COUNT];
    char err[256];
    size_t noisy = 0, used = 0;
    double worst_rel = -1;
    if (report_len) report[0] = 0;
    if (worst_len) snprintf(worst, worst_len, "no error bars");
    if (table_op_errors(c, ps, se, source, err, sizeof err) != 0) return 0;
    bool pipeline = strncmp(model, "pipeline", 8) == 0;
    /* Both kinds take the lazy-page charges from the first-touch programs (older
     * calibrations: one eager touch.first_page). */
    static const char *const eager[] = {"touch.first_page"};
    bool lazy_series = stored_find(c, LAZY_SERIES[0]) != NULL;
    const char *const *touch_keys = lazy_series ? LAZY_SERIES : eager;
    for (size_t k = 0; k < (lazy_series ? PVM_HOST_KEY_COUNT : 1); k++) {
        if (!touch_keys[k]) continue;
        const stored_value *touch = stored_find(c, touch_keys[k]);
        if (!touch || !isfinite(touch->se) || !(touch->ps > 0)) continue;
        double rel = touch->se / touch->ps;
        if (rel > worst_rel) {
            worst_rel = rel;
            if (worst_len) snprintf(worst, worst_len, "max rel SE %.0f%% %s", 100 * rel, touch_keys[k]);
        }
        if (rel > max_rel && touch->se > 0.5 * ps_per_gas) {
            if (used < report_len)
                used += (size_t)snprintf(report + used, report_len - used, "%s%s %.0f ps +- %.0f ps (%.0f%%): repeat the "
                                         "touch.* programs", used ? "; " : "", touch_keys[k], touch->ps, touch->se,
                                         100 * rel);
            if (used >= report_len) used = report_len;
            noisy++;
        }
    }
    if (strcmp(model, "pipeline-fitted") == 0) { /* the fitted parameters (cycles = gas) and the unit */
        static const char *const keys[] = {"pipeline.l2hit.latency.l2", "pipeline.l2hit.latency.store",
                                           "pipeline.l2hit.branch.miss", "pipeline.l2hit.slack",
                                           "pipeline.l2hit.unit.ps_per_gas"};
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
            const stored_value *v = stored_find(c, keys[k]);
            if (!v || !isfinite(v->se) || !(v->ps > 0)) continue;
            double rel = v->se / v->ps;
            bool unit = k + 1 == sizeof keys / sizeof keys[0];
            if (rel > worst_rel) {
                worst_rel = rel;
                if (worst_len) snprintf(worst, worst_len, "max rel SE %.0f%% %s", 100 * rel, keys[k] + (unit ? 0 : 15));
            }
            if (rel > max_rel && (unit ? true : v->se > 0.5)) {
                if (used < report_len)
                    used += (size_t)snprintf(report + used, report_len - used, "%s%s %.1f +- %.1f%s (%.0f%%): repeat %s",
                                             noisy ? "; " : "", keys[k], v->ps, v->se, unit ? " ps" : " cycles",
                                             100 * rel, unit ? "the mixed programs" : "nothing: the training programs do not pin it (a flat "
                                             "objective, fit_results.pipeline_fit); or --pipeline-params converted");
                if (used >= report_len) used = report_len;
                noisy++;
            }
        }
        return noisy;
    }
    if (pipeline && strcmp(model, "pipeline-reference-core") != 0) { /* the class latencies' chains, in cycles */
        double cycle_ps = cycle_ps_of(c, ps_per_gas);
        for (int k = 0; k < PVM_CLASS_COUNT; k++) {
            double cse = NAN;
            const char *key = NULL;
            double v = class_latency_from_chain((pvm_op_class)k) ? class_chain_ps(c, (pvm_op_class)k, &cse, &key) : NAN;
            /* jump_ind is its chain plus the indirect penalty: the one with the larger error is named. */
            const stored_value *penalty = stored_find(c, "indirect.mispredict");
            if (k == PVM_CLASS_JUMP_IND && penalty && penalty->ps > 0 && isfinite(penalty->se) && penalty->se > cse)
                v = penalty->ps, cse = penalty->se, key = penalty->key;
            if (!(v > 0) || !isfinite(cse) || !key) continue;
            double rel = cse / v;
            if (rel > worst_rel && v >= cycle_ps) { /* as for the table's ops: of at least one cycle */
                worst_rel = rel;
                if (worst_len) snprintf(worst, worst_len, "max rel SE %.0f%% %s", 100 * rel, key);
            }
            if (rel > max_rel && cse > 0.5 * cycle_ps) {
                if (used < report_len)
                    used += (size_t)snprintf(report + used, report_len - used,
                                             "%sclass.%s.latency %.0f ps +- %.0f ps (%.0f%%): repeat %s", noisy ? "; " : "",
                                             pvm_pipeline_class_name((pvm_op_class)k), v, cse, 100 * rel, key);
                if (used >= report_len) used = report_len;
                noisy++;
            }
        }
    }
    if (pipeline) { /* the values a pipeline table takes besides the memory plateaus */
        static const char *const keys[] = {"op.add_64.lat", "op.branch_eq.lat", "branch.mispredict", "block.entry",
                                           "unit.ps_per_gas"};
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
            const stored_value *v = stored_find(c, keys[k]);
            if (!v || !isfinite(v->se) || !(v->ps > 0)) continue;
            double rel = v->se / v->ps;
            if (rel > worst_rel) {
                worst_rel = rel;
                if (worst_len) snprintf(worst, worst_len, "max rel SE %.0f%% %s", 100 * rel, keys[k]);
            }
            bool unit = k + 1 == sizeof keys / sizeof keys[0];
            if (rel > max_rel && (unit || v->se > 0.5 * ps_per_gas)) {
                if (used < report_len)
                    used += (size_t)snprintf(report + used, report_len - used, "%s%s %.0f ps +- %.0f ps (%.0f%%): repeat %s",
                                             noisy ? "; " : "", keys[k], v->ps, v->se, 100 * rel,
                                             unit || k == 3 ? "the mixed programs" : keys[k]);
                noisy++;
            }
        }
        return noisy;
    }
    for (int op = 0; op < PVM_OP_INVALID; op++) {
        if (!mb_op_measurable(op) || !isfinite(se[op])) continue;
        double rel = ps[op] > 0 ? se[op] / ps[op] : INFINITY;
        if (rel > worst_rel && ps[op] >= ps_per_gas) {
            worst_rel = rel;
            if (worst_len) snprintf(worst, worst_len, "max rel SE %.0f%% %s", 100 * rel, pvm_op_table[op].name);
        }
        /* Noisy: the error is above max_rel of the cost and above half a gas (a smaller
         * error cannot move the integer cost by more than one). */
        if (se[op] > max_rel * ps[op] && se[op] > 0.5 * ps_per_gas) {
            if (used < report_len)
                used += (size_t)snprintf(report + used, report_len - used,
                                         "%s%s %.0f ps +- %.0f ps (%.0f%%): repeat %s", noisy ? "; " : "",
                                         pvm_op_table[op].name, ps[op], se[op], 100 * rel,
                                         source[op] ? source[op] : "its chain");
            noisy++;
        }
    }
    return noisy;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double table_ps_per_gas(const stored_calibration *c, const double ps[], double requested)
{
    if (requested > 0) return requested;
    double declared = stored_ps(c, "unit.ps_per_gas");
    if (declared > 0) return declared;
    /* The cheapest ALU op, ignoring values below a quarter of the median ALU cost: a slope
     * that small is noise, and it would inflate every other cost. */
    double alu[PVM_OP_COUNT];
    size_t n = 0;
    for (int op = 0; op < PVM_OP_INVALID; op++)
        if (is_alu((pvm_op)op) && ps[op] > 0) alu[n++] = ps[op];
    if (n == 0) return -1;
    qsort(alu, n, sizeof *alu, compare_double);
    double floor_ps = 0.25 * alu[n / 2];
    for (size_t i = 0; i < n; i++)
        if (alu[i] >= floor_ps) return alu[i];
    return alu[n - 1];
}

static uint32_t to_gas(double ps, double ps_per_gas, uint32_t limit)
{
    double g = floor(ps / ps_per_gas + 0.5);
    if (!(g >= 1)) return 1;
    return g > limit ? limit : (uint32_t)g;
}

/* The add_64 latency chain as a cycle of this machine: only when the calibration resolves it,
 * above zero by more than twice its standard error (a value without one is taken as it is).
 * A short chain (the smoke suite's) can fit a few ps with an error of hundreds: taken as the
 * cycle it made every class latency tens of times too long (a 267-cycle chain of one add in
 * a smoke table fitted under load), and the recurrence floor's rate as wrong. */
static const stored_value *resolved_add_latency(const stored_calibration *c)
{
    const stored_value *add = stored_find(c, "op.add_64.lat");
    return add && add->ps > 0 && !(2 * add->se >= add->ps) ? add : NULL;
}

/* The pipeline model counts cycles: its class latencies are cycles of the reference core,
 * one cycle being the latency of a 1-cycle ALU op. Measured latencies become cycles of this
 * machine through the named reference op add_64 (one cycle on every x86 core), when the
 * calibration has its latency chain and resolves it (resolved_add_latency); else through the
 * gas unit. */
static double cycle_ps_of(const stored_calibration *c, double ps_per_gas)
{
    const stored_value *add = resolved_add_latency(c);
    return add ? add->ps : ps_per_gas;
}

/* What cycle_ps_of took as the cycle, for the mapping text. */
static const char *cycle_source(const stored_calibration *c)
{
    if (resolved_add_latency(c)) return "add_64 latency";
    return stored_find(c, "op.add_64.lat") ? "the gas unit: add_64 latency not resolved" : "the gas unit: no add_64 latency";
}

/* A standard error in ps as thousandths of a gas into key i of the table (format 3). */
static void set_error(pvm_cost_table *t, size_t key, double se_ps, double ps_per_gas)
{
    if (key >= PVM_COST_TABLE_MAX_KEYS || !isfinite(se_ps) || se_ps < 0) return;
    double mg = floor(se_ps / ps_per_gas * 1000 + 0.5);
    t->se_known[key] = true;
    t->se_milligas[key] = mg > 4e9 ? 4000000000u : (uint32_t)mg;
}

/* The standard error (ps) of a stored value; NAN when it has none. */
static double stored_se(const stored_calibration *c, const char *key)
{
    const stored_value *v = stored_find(c, key);
    return v && isfinite(v->se) ? v->se : NAN;
}

/* The index of pipeline key `name` in t's keys, PVM_COST_TABLE_MAX_KEYS when there is none. */
static size_t pipeline_key_index(pvm_cost_table *t, const char *name)
{
    char key[64];
    for (size_t i = 0; i < pvm_pipeline_key_count(); i++)
        if (pvm_pipeline_key(&t->pipeline, i, key, sizeof key) && strcmp(key, name) == 0) return i;
    return PVM_COST_TABLE_MAX_KEYS;
}

/* Pipeline key `name`'s error, se_ps in ps of one model cycle, into t (format 3). */
static void set_pipeline_error(pvm_cost_table *t, const char *name, double se_ps, double cycle_ps)
{
    set_error(t, pipeline_key_index(t, name), se_ps, cycle_ps);
}

/* Pipeline key `name`'s error replaced: se_ps as set_pipeline_error, none when it is NaN. */
static void replace_pipeline_error(pvm_cost_table *t, const char *name, double se_ps, double cycle_ps)
{
    size_t i = pipeline_key_index(t, name);
    if (i < PVM_COST_TABLE_MAX_KEYS) t->se_known[i] = false;
    set_error(t, i, se_ps, cycle_ps);
}

/* The fitted parameters of a calibration's L2-hit pipeline fit (pipeline.l2hit.KEY, model
 * cycles), in pipeline_fit_param order; false when the calibration has none. */
static const char *const FITTED_KEYS[4] = {"latency.l2", "latency.store", "branch.miss", "slack"};

static bool fitted_pipeline(const stored_calibration *c, double value[4], double se[4])
{
    for (int k = 0; k < 4; k++) {
        char key[64];
        snprintf(key, sizeof key, "pipeline.l2hit.%s", FITTED_KEYS[k]);
        const stored_value *v = stored_find(c, key);
        if (!v || !isfinite(v->ps) || v->ps < (k == 3 ? 0 : 1) || v->ps > PVM_PIPELINE_MAX_LATENCY) return false;
        value[k] = v->ps, se[k] = v->se;
    }
    return true;
}

static void convert_core(const stored_calibration *c, double cycle_ps, pvm_cost_table *t, char *note, size_t note_len);

/* The measured parameters of a pipeline table (cycles of this machine: ps / add_64 latency)
 * and their errors; with measured_core the class latencies and widths too (convert_core), else
 * those and the rest keep the reference model's values and carry none. */
static void fill_pipeline_converted(const stored_calibration *c, const double ps[], const double se[], double ps_per_gas,
                                    bool measured_core, pvm_cost_table *t, char *mapping, size_t mapping_len)
{
    pvm_pipeline_params *p = &t->pipeline;
    double declared = ps_per_gas;
    ps_per_gas = cycle_ps_of(c, declared); /* below: ps per model cycle */
    const uint32_t limit = 100000; /* PVM_PIPELINE_MAX_LATENCY */
    double l1 = max_ignoring_nan(stored_ps(c, "mem.l1"), NAN), l1_se = stored_se(c, "mem.l1");
    char key[96];
    if (isnan(l1)) {
        series_key(key, PVM_OP_LOAD_IND_U64, "lat");
        l1 = stored_ps(c, key), l1_se = stored_se(c, key);
    }
    double l2 = stored_ps(c, "mem.l2"), l3 = stored_ps(c, "mem.l3"), dram = stored_ps(c, "mem.dram");
    double l2_se = stored_se(c, "mem.l2"), l3_se = stored_se(c, "mem.l3");
    /* A level without its own plateau takes the next one out, and the mapping says so. */
    const char *stand_in = isnan(l2) && isnan(l3) ? " (no L2 or L3 plateau: both are the DRAM level)"
                           : isnan(l2)            ? " (no L2 plateau: latency.l2 is the L3 level)"
                           : isnan(l3)            ? " (no L3 plateau: latency.l3 is the DRAM level)"
                                                  : "";
    if (isnan(l3)) l3 = dram, l3_se = stored_se(c, "mem.dram");
    if (isnan(l2)) l2 = l3, l2_se = l3_se;
    uint32_t g1 = to_gas(l1, ps_per_gas, limit), g2 = to_gas(l2, ps_per_gas, limit), g3 = to_gas(l3, ps_per_gas, limit);
    if (g2 < g1) g2 = g1;
    if (g3 < g2) g3 = g2;
    p->cache_latency[0] = g1;
    p->cache_latency[1] = g2;
    p->cache_latency[2] = g3;
    double store = NAN, store_se = NAN;
    for (int op = 0; op < PVM_OP_INVALID; op++)
        if (pvm_op_mem_access((pvm_op)op).is_store && !(ps[op] <= store)) store = ps[op], store_se = se[op];
    p->store_latency = to_gas(store, ps_per_gas, limit);
    series_key(key, PVM_OP_BRANCH_EQ, "lat");
    double hit = stored_ps(c, key), hit_se = stored_se(c, key);
    double miss = stored_ps(c, "branch.mispredict"), miss_se = stored_se(c, "branch.mispredict");
    p->branch_hit = to_gas(hit, ps_per_gas, limit);
    p->branch_miss = p->branch_hit + (isnan(miss) ? 0 : to_gas(miss, ps_per_gas, limit));
    set_pipeline_error(t, "latency.l1", l1_se, ps_per_gas);
    set_pipeline_error(t, "latency.l2", l2_se, ps_per_gas);
    set_pipeline_error(t, "latency.l3", l3_se, ps_per_gas);
    set_pipeline_error(t, "latency.store", store_se, ps_per_gas);
    set_pipeline_error(t, "branch.hit", hit_se, ps_per_gas);
    set_pipeline_error(t, "branch.miss", isnan(miss) ? hit_se : hypot(hit_se, miss_se), ps_per_gas);
    /* The metered VM's per-block term (block entry and gas check) as gas: taken off the
     * cycles the reference model refunds per block (slack), as far as they go. */
    double block = stored_ps(c, "block.entry");
    uint32_t block_gas = isfinite(block) && block > 0 ? (uint32_t)floor(block / ps_per_gas + 0.5) : 0;
    uint32_t priced = block_gas < p->slack ? block_gas : p->slack;
    p->slack -= priced;
    if (priced) set_pipeline_error(t, "slack", stored_se(c, "block.entry"), ps_per_gas);
    /* Host calls (ecalli, sbrk, memset's own cost): the costliest measured, in cycles. */
    double host = NAN, host_se = NAN;
    for (int op = 0; op < PVM_OP_INVALID; op++)
        if (pvm_op_pipeline_class((pvm_op)op) == PVM_CLASS_HOST && !(ps[op] <= host)) host = ps[op], host_se = se[op];
    if (isfinite(host)) {
        p->cls[PVM_CLASS_HOST].latency = to_gas(host, ps_per_gas, limit);
        set_pipeline_error(t, "class.host.latency", host_se, ps_per_gas);
    }
    char core[768] = "";
    if (measured_core) convert_core(c, ps_per_gas, t, core, sizeof core);
    if (mapping)
        snprintf(mapping, mapping_len,
                 "1 gas = %.0f ps; 1 cycle = %.0f ps (%s); latency.l1/l2/l3 %u/%u/%u%s, latency.store %u, "
                 "branch.hit %u, branch.miss %u, block entry %u cycles (slack %u%s)%s%s",
                 declared, ps_per_gas, cycle_source(c), g1, g2, g3, stand_in, p->store_latency, p->branch_hit, p->branch_miss, block_gas, p->slack,
                 priced < block_gas ? ", the rest is beyond the slack" : "",
                 measured_core ? "; " : " (class latencies from the reference model)", core);
}

/* The costliest latency chain (op.MNEMONIC.lat, .lat.div0) of the measurable ops of a pipeline
 * class, in ps, with its error and key (pointing into c); NaN when none is measured. The worst
 * op, as the table model equalises its groups: one class, one latency. A remainder's chain has
 * its inflating xor already taken out (calibration_fit.c). */
static double class_chain_ps(const stored_calibration *c, pvm_op_class cls, double *se, const char **source)
{
    static const char *const shapes[2] = {"lat", "lat.div0"};
    double worst = NAN;
    for (int op = 0; op < PVM_OP_INVALID; op++) {
        if (pvm_op_pipeline_class((pvm_op)op) != cls || !mb_op_measurable(op)) continue;
        for (int k = 0; k < 2; k++) {
            char key[96];
            const stored_value *v = stored_find(c, series_key(key, (pvm_op)op, shapes[k]));
            if (v && isfinite(v->ps) && !(v->ps <= worst)) worst = v->ps, *se = v->se, *source = v->key;
        }
    }
    return worst;
}

/* Whether a converted core takes a class's latency from its ops' chains (convert_core): not
 * the classes priced by scalar parameters (loads, stores, branches), moves (no latency), host
 * calls (the caller's) or unlikely (no code: the branch mispredict penalty). */
static bool class_latency_from_chain(pvm_op_class cls)
{
    return cls != PVM_CLASS_LOAD && cls != PVM_CLASS_STORE && cls != PVM_CLASS_BRANCH && cls != PVM_CLASS_MOVE &&
           cls != PVM_CLASS_HOST && cls != PVM_CLASS_UNLIKELY;
}

/* The mean time per op of the benchmark guests' instruction mix, in ps: every op with a
 * throughput series (op.MNEMONIC.tput) whose class holds an ALU unit in p, weighted by its
 * share of the guests' executed instructions (guest_mix_data.h, the rv64 and rv32 builds'
 * shares averaged: one table prices both), with its error (the weighted errors in
 * quadrature) and the share of the guests' instructions it covers; NaN without a series. */
static double alu_mix_ps(const stored_calibration *c, const pvm_pipeline_params *p, double *se, double *covered)
{
    double sum = 0, weight = 0, var = 0;
    for (int op = 0; op < PVM_OP_INVALID; op++) {
        char key[96];
        const stored_value *s = stored_find(c, series_key(key, (pvm_op)op, "tput"));
        if (!s || !(s->ps > 0) || p->cls[pvm_op_pipeline_class((pvm_op)op)].alu == 0) continue;
        double w = 0;
        for (int t = 0; t < MB_GUEST_TARGETS; t++) w += MB_GUEST_MIX[t].op_ppm[op] / 1e6 / MB_GUEST_TARGETS;
        sum += w * s->ps, weight += w;
        if (isfinite(s->se)) var += w * w * s->se * s->se;
    }
    *covered = weight;
    *se = weight > 0 ? sqrt(var) / weight : NAN;
    return weight > 0 ? sum / weight : NAN;
}

/* Appends to a bounded string (snprintf semantics: never past cap, always terminated). */
static void append(char *s, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void append(char *s, size_t cap, const char *fmt, ...)
{
    size_t used = strlen(s);
    if (used + 1 >= cap) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s + used, cap - used, fmt, ap);
    va_end(ap);
}

/* Ops per cycle of a throughput, rounded, when it is positive: 0 otherwise. */
static uint32_t per_cycle(double tput_ps, double cycle_ps)
{
    if (!(tput_ps > 0) || !(cycle_ps > 0)) return 0;
    double w = floor(cycle_ps / tput_ps + 0.5);
    return w > PVM_PIPELINE_MAX_WIDTH ? PVM_PIPELINE_MAX_WIDTH : (uint32_t)w;
}

/* The core of a converted pipeline table measured too (derivation "converted"), at 1 cycle =
 * cycle_ps (the add_64 latency):
 * - each class's latency from the costliest latency chain of its ops (class_chain_ps); an op
 *   of the W32 flag is timed in a 32-bit program (mb_op_timed_narrow), so its class's
 *   latency_b64 (the 64-bit program's sign extension) stays the reference's;
 * - terminators (jump, end, jump_ind): each unit of their chain is a block, so the chain's
 *   slope holds one block entry, which the slack prices; it is taken off;
 * - jump_ind: the chain (the same target every time: predicted) plus the indirect mispredict
 *   penalty: the model has no rule that predicts an indirect jump, and prices a conditional
 *   branch its rule does not predict a miss (branch.miss = hit + penalty), as the reference
 *   does (jump_ind 22 = its branch_miss 20 + 2);
 * - unlikely: no code (its chain measures 0); in the model it stands for the misprediction of
 *   the branch into a cold block, which that branch's static rule priced a hit: the
 *   conditional mispredict penalty;
 * - widths from the throughput series, each from the series whose model throughput depends
 *   on that width alone: decode_width = move_reg per cycle (a move takes decode slots only),
 *   max_starts = load_imm per cycle (one slot, no unit); units.alu, the pool nearly every
 *   class holds (loads, stores and branches too), = the machine's rate on the guests'
 *   instruction mix (alu_mix_ps), not on its cheapest ops: the recompiler's add_64 or add_32
 *   into a third register is a lea, 2 per cycle on AMD Zen 5 against 6 for and/or/xor, and
 *   it is a third of the guests' ALU work (the median of the three-register class, 7 on that
 *   machine, let field25519's 390-instruction block through in a third of its cycles); a
 *   width below what a class needs keeps the reference's.
 * Loads, stores, branches and host calls are converted by the caller; decode slots, unit
 * needs, rob_size and the other unit pools stay the reference's. note receives what was
 * measured against the reference, and which classes kept the reference's latency. */
static void convert_core(const stored_calibration *c, double cycle_ps, pvm_cost_table *t, char *note, size_t note_len)
{
    pvm_pipeline_params *p = &t->pipeline, ref;
    pvm_pipeline_reference(p->cache_level, &ref);
    const uint32_t limit = PVM_PIPELINE_MAX_LATENCY;
    double block = fmax(0, stored_ps(c, "block.entry")), block_se = stored_se(c, "block.entry"); /* fmax: 0 for NaN */
    char changed[512] = "", kept[256] = "";
    for (int k = 0; k < PVM_CLASS_COUNT; k++) {
        pvm_op_class cls = (pvm_op_class)k;
        if (!class_latency_from_chain(cls) && cls != PVM_CLASS_UNLIKELY) continue;
        double ps = NAN, se = NAN;
        const char *source = NULL;
        if (cls == PVM_CLASS_UNLIKELY) {
            ps = stored_ps(c, "branch.mispredict"), se = stored_se(c, "branch.mispredict");
        } else {
            ps = class_chain_ps(c, cls, &se, &source);
            bool terminator = cls == PVM_CLASS_JUMP || cls == PVM_CLASS_JUMP_IND || cls == PVM_CLASS_END;
            if (terminator && isfinite(ps)) ps -= block, se = isfinite(block_se) ? hypot(se, block_se) : se;
            if (cls == PVM_CLASS_JUMP_IND && isfinite(ps)) {
                double miss = stored_ps(c, "indirect.mispredict"), miss_se = stored_se(c, "indirect.mispredict");
                if (isfinite(miss)) ps += fmax(0, miss), se = isfinite(miss_se) ? hypot(se, miss_se) : se;
                else ps = NAN; /* no penalty measured: the reference's */
            }
        }
        const char *name = pvm_pipeline_class_name(cls);
        if (isnan(ps)) {
            append(kept, sizeof kept, "%s%s", kept[0] ? " " : "", name);
            continue;
        }
        char key[64];
        snprintf(key, sizeof key, "class.%s.latency", name);
        p->cls[k].latency = to_gas(ps, cycle_ps, limit);
        replace_pipeline_error(t, key, se, cycle_ps);
        if (p->cls[k].latency != ref.cls[k].latency)
            append(changed, sizeof changed, "%s%s %u->%u", changed[0] ? " " : "", name, ref.cls[k].latency,
                   p->cls[k].latency);
    }
    /* Widths: at least what the reference classes need of them (pvm_pipeline_params_check). */
    uint32_t decode_need = 1, alu_need = 1;
    for (int k = 0; k < PVM_CLASS_COUNT; k++) {
        const pvm_class_cost *x = &p->cls[k];
        uint32_t d = x->decode + x->decode_b64 + x->decode_distinct;
        if (d > decode_need) decode_need = d;
        if (x->alu > alu_need) alu_need = x->alu;
    }
    double alu_se = NAN, covered = 0, alu_ps = alu_mix_ps(c, p, &alu_se, &covered);
    const struct {
        const char *key;
        double ps, se;
        uint32_t need, *field;
    } widths_from[3] = {
        {"decode_width", stored_ps(c, "op.move_reg.tput"), stored_se(c, "op.move_reg.tput"), decode_need, &p->decode_width},
        {"max_starts", stored_ps(c, "op.load_imm.tput"), stored_se(c, "op.load_imm.tput"), 1, &p->max_starts},
        {"units.alu", alu_ps, alu_se, alu_need, &p->units[PVM_UNIT_ALU]},
    };
    for (size_t w = 0; w < 3; w++) {
        uint32_t v = per_cycle(widths_from[w].ps, cycle_ps);
        if (v < widths_from[w].need) {
            append(kept, sizeof kept, "%s%s", kept[0] ? " " : "", widths_from[w].key);
            continue;
        }
        *widths_from[w].field = v;
        /* Its error in thousandths of an op per cycle: d(cycle / tput) = cycle x se / tput^2. */
        replace_pipeline_error(t, widths_from[w].key, cycle_ps * widths_from[w].se / (widths_from[w].ps * widths_from[w].ps), 1);
    }
    char widths[256] = "";
    snprintf(widths, sizeof widths, "decode_width %u, max_starts %u, units.alu %u", p->decode_width, p->max_starts,
             p->units[PVM_UNIT_ALU]);
    if (alu_ps > 0)
        append(widths, sizeof widths, " (the guests' mix: %.2f ops per cycle over %.0f%% of their instructions)",
               cycle_ps / alu_ps, 100 * covered);
    snprintf(note, note_len,
             "class latencies measured (the worst op's chain per class; jump_ind + the indirect mispredict, unlikely "
             "= the branch mispredict)%s%s, %s (throughput series); reference: %s%sdecode slots, unit needs, "
             "latency_b64, rob_size, units.load/store/mul/div",
             changed[0] ? ", from the reference's: " : "", changed, widths, kept, kept[0] ? " (not measured), " : "");
}

/* An L2-hit table from the calibration's pipeline fit: latency.l2, latency.store, branch.miss
 * and slack as fitted (model cycles, their bootstrap errors); latency.l1 and latency.l3 from
 * the chase plateaus at the fit's memory scale (mem.l2 ps per fitted latency.l2 cycle), kept
 * l1 <= l2 <= l3 (the L2-hit model never charges them); branch.hit and the host class as the
 * converted derivation gives them (not in the training programs). */
static void fill_pipeline_fitted(const stored_calibration *c, const double ps[], const double se[], double ps_per_gas,
                                 const double value[4], const double value_se[4], pvm_cost_table *t, char *mapping,
                                 size_t mapping_len)
{
    char converted[1024];
    fill_pipeline_converted(c, ps, se, ps_per_gas, false, t, converted, sizeof converted);
    pvm_pipeline_params *p = &t->pipeline;
    uint32_t l2 = (uint32_t)value[0];
    p->cache_latency[1] = l2;
    p->store_latency = (uint32_t)value[1];
    p->branch_miss = (uint32_t)value[2];
    p->slack = (uint32_t)value[3];
    double mem_l2 = stored_ps(c, "mem.l2"), scale = mem_l2 > 0 ? mem_l2 / l2 : NAN;
    double l1 = stored_ps(c, "mem.l1"), l3 = stored_ps(c, "mem.l3");
    if (isnan(l3)) l3 = stored_ps(c, "mem.dram");
    p->cache_latency[0] = scale > 0 && l1 > 0 ? to_gas(l1, scale, l2) : l2;
    p->cache_latency[2] = scale > 0 && l3 > 0 ? to_gas(l3, scale, PVM_PIPELINE_MAX_LATENCY) : l2;
    if (p->cache_latency[2] < l2) p->cache_latency[2] = l2;
    /* Errors: the fitted ones in cycles (1 gas = 1 cycle); l1 and l3 carry none of their own. */
    for (int k = 0; k < 4; k++) replace_pipeline_error(t, FITTED_KEYS[k], value_se[k], 1);
    replace_pipeline_error(t, "latency.l1", NAN, 1);
    replace_pipeline_error(t, "latency.l3", NAN, 1);
    const stored_value *objective = stored_find(c, "pipeline.l2hit.objective");
    if (mapping)
        snprintf(mapping, mapping_len,
                 "1 gas = %.0f ps; fitted on %lld training programs (ln p95/p5 of ps per gas %.3f): latency.l2 %u, "
                 "latency.store %u, branch.miss %u, slack %u cycles; latency.l1/l3 %u/%u at %.0f ps per memory cycle; "
                 "branch.hit %u and the host class at 1 cycle = %.0f ps (%s); class latencies from the "
                 "reference model",
                 ps_per_gas, objective ? (long long)objective->n : 0LL, objective ? objective->ps : NAN, l2,
                 p->store_latency, p->branch_miss, p->slack, p->cache_latency[0], p->cache_latency[2], scale,
                 p->branch_hit, cycle_ps_of(c, ps_per_gas), cycle_source(c));
}

/* Whether the caller asks for the fitted parameters (they are taken when the calibration has them). */
static bool fitted_requested(const char *model, const char *derivation)
{
    return strcmp(model, "pipeline-l2hit") == 0 && derivation && strcmp(derivation, "fitted") == 0;
}

/* Whether the caller asks for the conversion with the reference model's core (class latencies
 * and widths), the default before they were measured. */
static bool reference_core_requested(const char *derivation)
{
    return derivation && strcmp(derivation, "reference-core") == 0;
}

bool table_pipeline_fitted(const stored_calibration *c, const char *model, const char *derivation)
{
    double value[4], se[4];
    return fitted_requested(model, derivation) && fitted_pipeline(c, value, se);
}

int table_model_allowed(const stored_calibration *c, const char *model, char *err, size_t err_len)
{
    if (strcmp(model, "table") == 0 || strcmp(c->vm_backend, "interp") != 0) return 0;
    snprintf(err, err_len,
             "calibration %lld ran on the interpreter: pipeline tables come from recompiler calibrations only "
             "(interpreter dispatch is not a CPU pipeline); use --model table, or calibrate with --backend jit",
             (long long)c->id);
    return -1;
}

/* The charges that are not per instruction, in gas: a lazy page's first touch by kind from the
 * lazy first-touch programs (touch.lazy_read, touch.lazy_read_image, touch.lazy_write_first,
 * touch.lazy_write: one fault each, as the VM charges them); a calibration from before the
 * kinds were priced apart has only touch.lazy_read and touch.lazy_write and gets their joined
 * meaning (pvm_host_costs_derive_split); an older one's eager touch.first_page is split 2:1 as
 * the reference does; memset per byte from the op.memset.bytes series (each unit two load_imm
 * and MB_MEMSET_BYTES bytes), at least 1. */
static void fill_host(const stored_calibration *c, double ps_per_gas, pvm_host_costs *h)
{
    *h = pvm_host_costs_reference();
    double bytes = stored_ps(c, "op.memset.bytes"), load_imm = fmax(0, stored_ps(c, "op.load_imm.lat"));
    if (bytes > 0) h->memset_byte = to_gas((bytes - (isnan(load_imm) ? 0 : 2 * load_imm)) / MB_MEMSET_BYTES, ps_per_gas, 1u << 20);
    double read = stored_ps(c, LAZY_SERIES[0]), write = stored_ps(c, LAZY_SERIES[1]);
    if (read > 0 && write >= 0) {
        h->lazy_page_read = to_gas(read, ps_per_gas, 1u << 30);
        h->lazy_page_write = to_gas(write, ps_per_gas, 1u << 30);
        pvm_host_costs_derive_split(h);
        double image = stored_ps(c, LAZY_SERIES[3]), first = stored_ps(c, LAZY_SERIES[4]);
        if (image > 0) h->lazy_page_read_image = to_gas(image, ps_per_gas, 1u << 30);
        if (first > 0) h->lazy_page_write_first = to_gas(first, ps_per_gas, 1u << 30);
        return;
    }
    double touch = stored_ps(c, "touch.first_page");
    if (!(touch > 0)) return;
    uint32_t total = to_gas(touch, ps_per_gas, 1u << 30);
    h->lazy_page_read = (uint32_t)(((uint64_t)total * 2 + 1) / 3);
    h->lazy_page_write = total - h->lazy_page_read;
    pvm_host_costs_derive_split(h);
}


/* The host charges' errors: each lazy-page kind's (a calibration that priced them apart), an
 * eager first touch's (split as the charge, 2:1), memset's per byte. */
static void host_errors(const stored_calibration *c, double ps_per_gas, pvm_cost_table *t)
{
    size_t host = pvm_cost_table_kind_key_count(t->kind); /* file order: the host keys after the kind's own */
    const stored_value *touch = stored_find(c, "touch.first_page"), *bytes = stored_find(c, "op.memset.bytes");
    if (touch && touch->ps > 0) {
        set_error(t, host, touch->se * 2 / 3, ps_per_gas);
        set_error(t, host + 1, touch->se / 3, ps_per_gas);
    }
    if (stored_find(c, LAZY_SERIES[4]))
        for (size_t k = 0; k < PVM_HOST_KEY_COUNT; k++) {
            const stored_value *v = LAZY_SERIES[k] ? stored_find(c, LAZY_SERIES[k]) : NULL;
            if (v && v->ps >= 0) set_error(t, host + k, v->se, ps_per_gas);
        }
    if (bytes && bytes->ps > 0) set_error(t, host + 2, bytes->se / MB_MEMSET_BYTES, ps_per_gas);
}

/* A hop of a loop's carried load chain (chase.hop, vm/gas/chase_loads.h): one dependent
 * load at the memory sweep's L2 plateau (mem.l2: the chase program's time per access, its
 * loop included), less what the model already charges that load (the cheapest load op's
 * price; the pipeline's latency at its cache level, 1 gas = 1 cycle). The L2-hit premise
 * for the one pattern whose loads cannot overlap. Nothing without an L2 plateau. */
static void fill_chase(const stored_calibration *c, double ps_per_gas, pvm_cost_table *t, char *mapping,
                       size_t mapping_len)
{
    double l2 = stored_ps(c, "mem.l2");
    if (!(l2 > 0) || !isfinite(l2)) {
        if (mapping) append(mapping, mapping_len, "; no chase.hop (no L2 plateau)");
        return;
    }
    uint32_t own = UINT32_MAX;
    if (t->kind == PVM_TABLE_KIND_TABLE) {
        for (int op = 0; op < PVM_OP_INVALID; op++)
            if (is_load((pvm_op)op) && t->op_cost[op] < own) own = t->op_cost[op];
    } else {
        own = t->pipeline.cache_latency[t->pipeline.cache_level - 1];
    }
    uint32_t hop = to_gas(l2, ps_per_gas, 1u << 20);
    t->host.chase_hop = hop > own ? hop - own : 0;
    size_t key = pvm_cost_table_kind_key_count(t->kind) + PVM_HOST_KEY_COUNT_V4; /* after format 4's host keys */
    if (t->host.chase_hop) set_error(t, key, stored_se(c, "mem.l2"), ps_per_gas);
    if (mapping)
        append(mapping, mapping_len, "; chase.hop %u (mem.l2 %.0f ps = %u gas, less the load's %u)", t->host.chase_hop,
               l2, hop, own);
}

/* The recurrence floor of a converted pipeline table with a measured core (format 6,
 * vm/gas/recurrence.h): a self-loop's carried register chain takes its cycles (class
 * latencies, 1 cycle = the add_64 latency chain) at the machine's speed whatever the rest of
 * the block overlaps, so it costs at least cycles x (cycle / unit) gas: here in thousandths
 * of a gas per cycle, with its error from the add_64 chain's and the unit's. The unit is
 * measured without it (calibration_converted_unit.c), as for chase.hop. */
static void fill_recurrence(const stored_calibration *c, double ps_per_gas, pvm_cost_table *t, char *mapping,
                            size_t mapping_len)
{
    /* Only with the cycle measured: without the add_64 chain (or with one the calibration does
     * not resolve) the class latencies were converted at 1 cycle = the unit, and an older
     * calibration's table keeps its bytes. */
    const stored_value *add = resolved_add_latency(c);
    if (!add || !(ps_per_gas > 0)) {
        if (mapping) append(mapping, mapping_len, "; no recurrence floor (no resolved add_64 latency chain)");
        return;
    }
    double cycle = add->ps;
    double v = floor(cycle / ps_per_gas * 1000 + 0.5);
    t->host.recurrence_milligas = v < 1 ? 1 : v > 1e9 ? 1000000000u : (uint32_t)v;
    size_t key = pvm_cost_table_kind_key_count(t->kind) + PVM_HOST_KEY_COUNT_V5; /* after format 5's host keys */
    /* Its error in thousandths of the key's own unit (thousandths of a gas per cycle). */
    const stored_value *unit = stored_find(c, "pipeline.l2hit.converted.unit.ps_per_gas");
    if (!unit) unit = stored_find(c, "unit.ps_per_gas");
    double rel = isfinite(add->se) ? add->se / add->ps : NAN;
    if (unit && unit->ps > 0 && isfinite(unit->se)) rel = hypot(isfinite(rel) ? rel : 0, unit->se / unit->ps);
    if (isfinite(rel) && key < PVM_COST_TABLE_MAX_KEYS) {
        t->se_known[key] = true;
        t->se_milligas[key] = (uint32_t)fmin(floor(rel * t->host.recurrence_milligas * 1000 + 0.5), 4e9);
    }
    if (mapping)
        append(mapping, mapping_len, "; recurrence floor %.3f gas per cycle of a self-loop's register chain (add_64 %.0f ps / %.1f ps)",
               t->host.recurrence_milligas / 1000.0, cycle, ps_per_gas);
}

static void provenance(const stored_calibration *c, const char *tool, pvm_table_provenance *prov)
{
    snprintf(prov->calibration, sizeof prov->calibration, "%s", c->uuid); /* never the local row id */
    snprintf(prov->machine, sizeof prov->machine, "%s", c->machine[0] ? c->machine : "unknown");
    snprintf(prov->counters, sizeof prov->counters, "%s (--counters %s, %s)", c->backend, c->counters,
             c->vm_backend);
    snprintf(prov->tool, sizeof prov->tool, "%s", tool);
}

int table_generate(const stored_calibration *c, const char *model, double ps_per_gas, const char *tool,
                   pvm_cost_table *out, char *mapping, size_t mapping_len, char *err, size_t err_len)
{
    return table_generate_as(c, model, ps_per_gas, NULL, tool, out, mapping, mapping_len, err, err_len);
}

double table_code_scale(const stored_calibration *c)
{
    double own = stored_ps(c, "table.unit.ps_per_gas"), declared = stored_ps(c, "unit.ps_per_gas");
    return own > 0 && declared > 0 ? own / declared : 1;
}

int table_generate_as(const stored_calibration *c, const char *model, double ps_per_gas, const char *derivation,
                      const char *tool, pvm_cost_table *out, char *mapping, size_t mapping_len, char *err,
                      size_t err_len)
{
    double ps[PVM_OP_COUNT], se[PVM_OP_COUNT];
    const char *source[PVM_OP_COUNT];
    memset(out, 0, sizeof *out);
    if (table_op_errors(c, ps, se, source, err, err_len) != 0) return -1;
    provenance(c, tool, &out->prov);
    if (table_model_allowed(c, model, err, err_len) != 0) return -1;
    fill_host(c, ps_per_gas, &out->host);
    if (strcmp(model, "table") == 0) {
        out->kind = PVM_TABLE_KIND_TABLE;
        double scale = table_code_scale(c);
        /* Every op's standard error next to its cost (the key index is the op). */
        for (int op = 0; op < PVM_OP_COUNT; op++) {
            out->op_cost[op] = to_gas(ps[op] * scale, ps_per_gas, 1u << 30);
            set_error(out, (size_t)op, se[op] * scale, ps_per_gas);
        }
        host_errors(c, ps_per_gas, out);
        if (mapping && scale != 1)
            snprintf(mapping, mapping_len, "1 gas = %.0f ps; op prices x%.3f, the training programs' code over the fit",
                     ps_per_gas, scale);
        else if (mapping)
            snprintf(mapping, mapping_len, "1 gas = %.0f ps", ps_per_gas);
        fill_chase(c, ps_per_gas, out, mapping, mapping_len);
        return 0;
    }
    static const char *const levels[3] = {"pipeline-l1hit", "pipeline-l2hit", "pipeline-l3hit"};
    for (uint32_t level = 1; level <= 3; level++) {
        if (strcmp(model, levels[level - 1]) != 0) continue;
        out->kind = PVM_TABLE_KIND_PIPELINE;
        host_errors(c, ps_per_gas, out);
        pvm_pipeline_reference(level, &out->pipeline);
        double value[4], value_se[4];
        bool fitted = fitted_requested(model, derivation) && fitted_pipeline(c, value, value_se);
        bool measured_core = !fitted && !reference_core_requested(derivation);
        if (fitted)
            fill_pipeline_fitted(c, ps, se, ps_per_gas, value, value_se, out, mapping, mapping_len);
        else
            fill_pipeline_converted(c, ps, se, ps_per_gas, measured_core, out, mapping, mapping_len);
        char why[200];
        if (pvm_pipeline_params_check(&out->pipeline, why, sizeof why) != 0) {
            snprintf(err, err_len, "pipeline parameters rejected: %s", why);
            return -1;
        }
        fill_chase(c, ps_per_gas, out, mapping, mapping_len);
        /* The floor takes the measured class latencies (the reference's are another core's). */
        if (measured_core) fill_recurrence(c, ps_per_gas, out, mapping, mapping_len);
        return 0;
    }
    snprintf(err, err_len, "unknown model '%s'", model);
    return -1;
}
