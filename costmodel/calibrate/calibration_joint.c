/* The joint fit of op chains and mixed programs (see calibration_fit_joint). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibration_fit.h"
#include "vm/util/stats.h"
#include "costmodel/microbench/dynamic_mix.h"
#include "costmodel/fit/fit.h"
#include "vm/isa/isa.h"

enum { COL_CALL, COL_BLOCK, COL_ALU, COL_MOVE_IMM, COL_MUL, COL_DIV, COL_LOAD, COL_STORE, COL_BRANCH, COL_JUMP_IND,
       COLS };
static const char *const COL_NAME[COLS] = {"call", "block", "alu", "move_imm", "mul", "div",
                                           "load", "store", "branch", "jump_ind"};
enum { BOOTSTRAP_ROUNDS = 200 };
#define BOOTSTRAP_SEED 0x6a6f696e74736575ull

/* The column an op's count goes to; -1: priced by the block term alone (jumps,
 * fallthrough, trap, unlikely); -2: a host call (its programs are left out). */
static int column_of(int op)
{
    switch (pvm_op_group_of((pvm_op)op)) {
    case PVM_GROUP_ALU: case PVM_GROUP_BITS: case PVM_GROUP_SHIFT: case PVM_GROUP_COMPARE: case PVM_GROUP_CMOV:
        return COL_ALU;
    case PVM_GROUP_MOVE: case PVM_GROUP_LOAD_IMM: return COL_MOVE_IMM;
    case PVM_GROUP_MUL: return COL_MUL;
    case PVM_GROUP_DIV: return COL_DIV;
    case PVM_GROUP_LOAD: return COL_LOAD;
    case PVM_GROUP_STORE: return COL_STORE;
    case PVM_GROUP_BRANCH: return COL_BRANCH;
    case PVM_GROUP_JUMP_IND: return COL_JUMP_IND;
    case PVM_GROUP_HOST: return -2;
    default: return -1;
    }
}

const char *calibration_joint_group_key(int op)
{
    static const char *const keys[COLS] = {NULL, NULL, "group.alu", "group.move_imm", "group.mul", "group.div",
                                           "group.load", "group.store", "group.branch", "group.jump_ind"};
    int col = op >= 0 && op < PVM_OP_COUNT ? column_of(op) : -2;
    return col >= 0 ? keys[col] : col == -1 ? "block.entry" : NULL;
}

static double series_value(const cal_result *r, int op, const char *shape, double *rel_se)
{
    char key[96];
    snprintf(key, sizeof key, "op.%s.%s", pvm_op_table[op].name, shape);
    const cal_value *v = cal_result_find(r, key);
    if (!v || !isfinite(v->ps) || !(v->ps > 0)) return NAN;
    if (rel_se) *rel_se = isfinite(v->se_ps) ? v->se_ps / v->ps : 0;
    return v->ps;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* An op's chain costs: its dependent chain (latency) and its independent block (throughput;
 * the latency when there is no such series), and division by zero. */
typedef struct op_chain_costs {
    double lat, tput, div0, rel_se;
} op_chain_costs;

static void chain_costs(const cal_result *r, op_chain_costs c[PVM_OP_COUNT])
{
    for (int op = 0; op < PVM_OP_COUNT; op++) {
        double se_lat = 0, se_tput = 0;
        c[op].lat = op < PVM_OP_INVALID ? series_value(r, op, "lat", &se_lat) : NAN;
        c[op].tput = op < PVM_OP_INVALID ? series_value(r, op, "tput", &se_tput) : NAN;
        c[op].div0 = op < PVM_OP_INVALID ? series_value(r, op, "lat.div0", NULL) : NAN;
        if (!isfinite(c[op].tput)) c[op].tput = c[op].lat, se_tput = se_lat;
        if (!isfinite(c[op].lat)) c[op].lat = c[op].tput, se_lat = se_tput;
        c[op].rel_se = fmax(se_lat, se_tput);
    }
}

/* The op's cost in code whose dependent chains cover `share` of the instructions: that share
 * of its latency, the rest of its throughput cost (independent work overlaps). */
static double blended(const op_chain_costs *c, double share)
{
    return share * c->lat + (1 - share) * c->tput;
}

/* median[col]: the median blended cost of the column's ops, the unit of its coefficient (so
 * that a column's coefficient is the cost of a typical op). */
static void column_medians(const op_chain_costs c[PVM_OP_COUNT], double share, double median[COLS])
{
    for (int col = 0; col < COLS; col++) {
        double v[PVM_OP_COUNT];
        size_t k = 0;
        for (int op = 0; op < PVM_OP_COUNT; op++)
            if (column_of(op) == col && isfinite(c[op].lat)) v[k++] = blended(&c[op], share);
        qsort(v, k, sizeof *v, compare_double);
        median[col] = k ? v[k / 2] : NAN;
    }
}

/* What one op of a row weighs in its column: a chain row's own op at the cost of the
 * row's shape (dependent chain, independent block or division by zero), every other op
 * (the loop around a chain, all ops of a mixed program) blended by the row's share of
 * dependent instructions (a chain's loop: 0, it overlaps the chain). */
static double op_weight(const op_chain_costs *c, const double median[COLS], int op, const mb_spec *s, double share)
{
    int col = column_of(op);
    if (col < 0) return 1;
    double cost;
    if (s->family == MB_OP_CHAIN && op == s->op)
        cost = s->divisor_zero ? c->div0 : s->shape == MB_LATENCY ? c->lat : c->tput;
    else
        cost = blended(c, share);
    return isfinite(cost) && median[col] > 0 ? cost / median[col] : 1;
}

/* The share of a program's instructions on its blocks' longest dependent chains. */
static double dependent_share(const mb_dynamic_mix *mix)
{
    return mix->instructions ? (double)mix->critical_path / (double)mix->instructions : 0;
}

static bool usable_row(const mb_spec *s, const bool ok, const mb_dynamic_mix *mix)
{
    if (!ok || !mix->instructions || (s->family != MB_OP_CHAIN && s->family != MB_MIXED)) return false;
    for (int op = 0; op < PVM_OP_COUNT; op++)
        if (mix->op_count[op] && column_of(op) == -2) return false;
    return true;
}

static double median_of(double *v, size_t n)
{
    return util_median(v, n);
}

double calibration_call_overhead_ps(const cal_result *r)
{
    const cal_value *call = cal_result_find(r, "call.overhead");
    return call && isfinite(call->ps) && call->ps > 0 ? call->ps : 0;
}

size_t calibration_unit_samples(const mb_spec *specs, const measurement *m, const bool *ok, size_t n, double call_ps,
                                const uint64_t *gas, double *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t g = gas ? gas[i] : m[i].gas > 0 ? (uint64_t)m[i].gas : 0;
        if (ok[i] && specs[i].family == MB_MIXED && g > 0 && m[i].median_ns * 1000.0 > call_ps)
            out[k++] = (m[i].median_ns * 1000.0 - call_ps) / (double)g;
    }
    return k;
}

/* The declared unit: median ps per gas of the mixed programs' code under the metering model
 * (each call's time less the joint fit's call overhead, call_ps, 0 without a fit: the unit
 * prices code, and a quick suite's calls are 5x shorter than a full one's, so the overhead,
 * ~5 us, was 5 % of a quick mixed call's time and 1 % of a full one's), with the median's
 * standard error (1.2533 x 1.4826 MAD / sqrt(n)). */
static int declare_unit(const mb_spec *specs, const measurement *m, const bool *ok, size_t n, double declared_ps,
                        double call_ps, cal_result *r, json_object *j)
{
    double *v = malloc((n ? n : 1) * sizeof *v);
    if (!v) return -1;
    size_t k = calibration_unit_samples(specs, m, ok, n, call_ps, NULL, v);
    int rc = 0;
    if (declared_ps > 0) {
        json_object_object_add(j, "unit", json_object_new_string("declared on the command line"));
        rc = cal_result_add(r, "unit.ps_per_gas", declared_ps, NAN, 0, 0);
    } else if (k >= 3) {
        json_object_object_add(j, "unit", json_object_new_string(call_ps > 0 ? "median ps per gas of the mixed "
                                                                  "programs under the metering model, each call's "
                                                                  "time less call.overhead"
                                                                  : "median ps per gas of the mixed programs under "
                                                                  "the metering model"));
        rc = cal_result_add_median(r, "unit.ps_per_gas", v, k);
    }
    free(v);
    return rc;
}

int calibration_fit_joint(const mb_spec *specs, const measurement *m, const bool *ok, const mb_dynamic_mix *mix,
                          size_t n, double declared_ps, cal_result *r)
{
    op_chain_costs costs[PVM_OP_COUNT];
    chain_costs(r, costs);
    size_t rows = 0, mixed_rows = 0;
    double share = 0; /* the mixed programs' mean share of dependent instructions */
    for (size_t i = 0; i < n; i++)
        if (usable_row(&specs[i], ok[i], &mix[i])) {
            rows++;
            if (specs[i].family == MB_MIXED) mixed_rows++, share += dependent_share(&mix[i]);
        }
    share = mixed_rows ? share / (double)mixed_rows : 1; /* without mixed programs: latency */
    double median[COLS];
    column_medians(costs, share, median);
    json_object *j = json_object_new_object();
    json_object_object_add(r->fit, "joint", j);
    if (rows < 2 * COLS) {
        json_object_object_add(j, "skipped", json_object_new_string("fewer rows than twice the terms"));
        return declare_unit(specs, m, ok, n, declared_ps, 0, r, j);
    }
    double *A = calloc(rows * COLS, sizeof *A), *b = calloc(rows, sizeof *b), *res = calloc(rows, sizeof *res);
    double *rel = calloc(rows, sizeof *rel);
    if (!A || !b || !res || !rel) {
        free(A), free(b), free(res), free(rel);
        return -1;
    }
    /* Relative residuals: each row divided by its own time. The mixed rows together weigh
     * as much as all chain rows together. */
    double mixed_boost = mixed_rows ? sqrt((double)(rows - mixed_rows) / (double)mixed_rows) : 1;
    if (mixed_boost < 1) mixed_boost = 1;
    json_object *names = json_object_new_array();
    size_t row = 0;
    for (size_t i = 0; i < n; i++) {
        if (!usable_row(&specs[i], ok[i], &mix[i])) continue;
        double y = m[i].median_ns * 1000.0; /* ps per call */
        double scale = (specs[i].family == MB_MIXED ? mixed_boost : 1) / fmax(y, 1);
        double *a = &A[row * COLS];
        a[COL_CALL] = 1;
        a[COL_BLOCK] = (double)mix[i].blocks;
        double row_share = specs[i].family == MB_MIXED ? dependent_share(&mix[i]) : 0;
        for (int op = 0; op < PVM_OP_COUNT; op++) {
            int col = column_of(op);
            if (col >= 0 && mix[i].op_count[op])
                a[col] += (double)mix[i].op_count[op] * op_weight(&costs[op], median, op, &specs[i], row_share);
        }
        for (int c = 0; c < COLS; c++) a[c] *= scale;
        b[row] = y * scale;
        json_object_array_add(names, json_object_new_string(specs[i].name));
        row++;
    }
    /* Columns scaled to unit length for the solver's conditioning, scaled back after. */
    double norm[COLS], z[COLS], se[COLS];
    for (int c = 0; c < COLS; c++) {
        double acc = 0;
        for (size_t k = 0; k < rows; k++) acc += A[k * COLS + c] * A[k * COLS + c];
        norm[c] = acc > 0 ? sqrt(acc) : 1;
        for (size_t k = 0; k < rows; k++) A[k * COLS + c] /= norm[c];
    }
    int rc = 0;
    int solved = fit_nnls(A, b, rows, COLS, z, res) == 0 &&
                 fit_nnls_bootstrap_se(A, rows, COLS, z, res, BOOTSTRAP_ROUNDS, BOOTSTRAP_SEED, se) == 0;
    for (int c = 0; c < COLS; c++) z[c] /= norm[c], se[c] /= norm[c];
    if (!solved) {
        json_object_object_add(j, "skipped", json_object_new_string("NNLS did not converge"));
        json_object_put(names);
        rc = declare_unit(specs, m, ok, n, declared_ps, 0, r, j);
        goto done;
    }
    rc = declare_unit(specs, m, ok, n, declared_ps, z[COL_CALL], r, j);
    json_object *zj = json_object_new_object(), *sej = json_object_new_object(), *rj = json_object_new_array();
    for (int c = 0; c < COLS; c++) {
        json_object_object_add(zj, COL_NAME[c], json_object_new_double(z[c]));
        json_object_object_add(sej, COL_NAME[c], json_object_new_double(se[c]));
    }
    for (size_t k = 0; k < rows; k++) {
        rel[k] = fabs(res[k]); /* already relative: residual over the row's own time */
        json_object_array_add(rj, json_object_new_double(res[k]));
    }
    json_object_object_add(j, "programs", names);
    json_object_object_add(j, "solution_ps", zj);
    json_object_object_add(j, "bootstrap_se_ps", sej);
    json_object_object_add(j, "relative_residuals", rj);
    json_object_object_add(j, "median_abs_relative_residual", json_object_new_double(median_of(rel, rows)));
    json_object_object_add(j, "mixed_row_weight", json_object_new_double(mixed_boost));
    json_object_object_add(j, "dependent_share", json_object_new_double(share));
    int64_t reps = 0;
    for (size_t i = 0; i < n; i++)
        if (usable_row(&specs[i], ok[i], &mix[i])) reps += m[i].n;
    rc |= cal_result_add(r, "call.overhead", z[COL_CALL], NAN, se[COL_CALL], reps);
    rc |= cal_result_add(r, "block.entry", z[COL_BLOCK], NAN, se[COL_BLOCK], reps);
    for (int c = COL_ALU; c < COLS; c++) {
        char key[96];
        snprintf(key, sizeof key, "group.%s", COL_NAME[c]);
        rc |= cal_result_add(r, key, z[c], NAN, se[c], reps);
    }
    for (int op = 0; op < PVM_OP_INVALID && rc == 0; op++) {
        int col = column_of(op);
        if (col == -2 || !mb_op_measurable(op)) continue; /* host calls keep their chain cost */
        double ps = 0, var = 0;
        if (col >= 0) {
            double weight = isfinite(costs[op].lat) && median[col] > 0 ? blended(&costs[op], share) / median[col] : 1;
            ps = z[col] * weight;
            double s = se[col] * weight, w = ps * costs[op].rel_se;
            var = s * s + w * w;
        }
        if (pvm_op_is_terminator((pvm_op)op)) { /* one per block: it carries the block term */
            ps += z[COL_BLOCK];
            var += se[COL_BLOCK] * se[COL_BLOCK];
        }
        char key[96];
        snprintf(key, sizeof key, "op.%s.fit", pvm_op_table[op].name);
        rc |= cal_result_add(r, key, ps, NAN, sqrt(var), reps);
    }
done:
    free(A), free(b), free(res), free(rel);
    return rc ? -1 : 0;
}
