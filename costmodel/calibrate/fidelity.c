/* Fidelity: the calibration programs (one chain per opcode, chase sizes, the stride
 * rings, random branches and jumps) timed under a cost model, ns per gas each. */
#include "fidelity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "costmodel/fit/fit.h"
#include "measure.h"
#include "costmodel/microbench/microbench.h"
#include "vm/util/stats.h"
#include "vm/util/clock.h"

enum { REPETITIONS = 3 };

/* The fidelity programs: the longest chain of each series, every chase size, the strides
 * and the random control programs of the suite. Keeps only what is worth timing. */
static bool wanted(const mb_spec *s, uint32_t longest_chain)
{
    switch (s->family) {
    case MB_OP_CHAIN: return s->units == longest_chain;
    case MB_POINTER_CHASE: return s->units == 32;
    case MB_STRIDE: return s->units == 2;
    case MB_BRANCH: case MB_INDIRECT: return s->units == 16;
    default: return false;
    }
}

typedef struct program_result {
    double ns, gas;
} program_result;

static int time_under_model(pvm_engine *e, const mb_spec *s, const fidelity_config *c, program_result *out,
                            char *err, size_t err_len)
{
    mb_program p;
    if (mb_build(s, &p, err, err_len) != 0) return -1;
    pvm_module *m;
    pvm_instance *in;
    if (instantiate_program(e, &p, &m, &in, err, err_len) != 0) {
        mb_program_free(&p);
        return -1;
    }
    pvmlab_id benchmark = 0;
    bool store = c->db && pvmlab_db_insert_benchmark(c->db, "fidelity", s->name, (int64_t)s->units, &benchmark) == 0;
    double ns[REPETITIONS];
    const int64_t budget = INT64_C(1) << 50;
    int rc = 0;
    pvm_error perr = {{0}};
    uint64_t previous_a0 = 0;
    for (int r = 0; r < REPETITIONS && rc == 0; r++) {
        uint64_t args[2];
        size_t nargs = mb_call_args(s, previous_a0, args);
        pvm_result res;
        pvm_instance_set_gas(in, budget);
        if (pvm_instance_prepare_call(in, "main", 0, args, nargs, &perr) != PVM_OK) {
            snprintf(err, err_len, "%s: %s", s->name, perr.msg);
            rc = -1;
            break;
        }
        double t0 = (double)util_now_raw_ns();
        rc = run_to_exit(in, &res, err, err_len);
        ns[r] = (double)util_now_raw_ns() - t0;
        if (rc == 0 && res.kind != PVM_EXIT_HALT) {
            snprintf(err, err_len, "%s: exited with %s under the model", s->name, pvm_exit_name(res.kind));
            rc = -1;
        }
        out->gas = (double)(budget - pvm_instance_gas(in));
        previous_a0 = pvm_instance_reg(in, 7);
        if (rc == 0 && store) {
            pvmlab_sample sample = {.run = c->run, .engine = c->engine, .benchmark = benchmark, .mode = "fidelity",
                                    .repetition = r, .wall_ns = llround(ns[r]),
                                    .gas = {true, (int64_t)out->gas}};
            if (pvmlab_db_insert_sample(c->db, &sample, NULL, 0, NULL) != 0) {
                snprintf(err, err_len, "%s: storing a fidelity sample: %s", s->name, pvmlab_db_error(c->db));
                rc = -1;
            }
        }
    }
    out->ns = util_median(ns, REPETITIONS);
    pvm_instance_free(in);
    pvm_module_release(m);
    mb_program_free(&p);
    return rc;
}

/* The summary by the one definition (results_fidelity.h), plus the MAD and the strides. */
static void summarise(const mb_spec *specs, const program_result *r, const bool *ok, size_t n,
                      fidelity_summary *out, fidelity_measured *programs)
{
    pvmlab_fidelity_point *points = calloc(n ? n : 1, sizeof *points);
    double *ratio = calloc(n ? n : 1, sizeof *ratio);
    size_t k = 0;
    for (size_t i = 0; points && ratio && i < n; i++) {
        if (!ok[i] || r[i].gas <= 0) continue;
        points[k] = (pvmlab_fidelity_point){.program = specs[i].name, .ns = r[i].ns, .gas = r[i].gas};
        ratio[k++] = r[i].ns / r[i].gas;
        if (programs && programs->count < FIDELITY_PROGRAMS_MAX) {
            char *slot = programs->names[programs->count];
            snprintf(slot, FIDELITY_NAME_MAX, "%s", specs[i].name);
            programs->programs[programs->count++] =
                (pvmlab_fidelity_program){.program = slot, .wall_ns = r[i].ns, .gas = (int64_t)r[i].gas};
        }
        if (specs[i].family == MB_STRIDE) {
            int slot = specs[i].size == 1 ? 0 : specs[i].size == 2048 ? 1 : 2;
            double accesses = (double)specs[i].trips * specs[i].units * 64;
            out->stride_gas_per_access[slot] = r[i].gas / accesses;
            out->stride_ns_per_access[slot] = r[i].ns / accesses;
        }
    }
    pvmlab_fidelity_summary s;
    pvmlab_fidelity_summarise(points, k, &s);
    out->programs = s.programs;
    out->median_ns_per_gas = s.median_ns_per_gas;
    out->min_ns_per_gas = s.min_ns_per_gas;
    out->max_ns_per_gas = s.max_ns_per_gas;
    out->max_over_median = s.max_over_median.value;
    out->p95_over_median = s.p95_over_median.value;
    snprintf(out->worst_program, sizeof out->worst_program, "%s", s.worst_program);
    out->mad_ns_per_gas = util_mad(ratio, k);
    const double *g = out->stride_gas_per_access;
    out->stride_charged_differently = g[1] > g[0] && g[1] > g[2];
    free(points);
    free(ratio);
}

int fidelity_measure(const fidelity_config *c, fidelity_summary *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    mb_suite_config sc;
    if (c->smoke)
        mb_suite_config_smoke(&sc);
    else
        mb_suite_config_quick(&sc), sc.chain_instructions = 40000, sc.chase_max_bytes = 4u << 20;
    mb_spec *specs;
    size_t n;
    if (mb_suite_specs(&sc, &specs, &n) != 0) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    uint32_t longest = 0;
    for (size_t i = 0; i < 4; i++)
        if (sc.chain_units[i] > longest) longest = sc.chain_units[i];
    pvm_cost_model *model = NULL;
    pvm_engine *engine = NULL;
    pvm_error perr = {{0}};
    program_result *r = calloc(n, sizeof *r);
    bool *ok = calloc(n, sizeof *ok);
    int rc = -1;
    if (!r || !ok) {
        snprintf(err, err_len, "out of memory");
    } else if (pvm_cost_model_new(c->model, &model, &perr) != PVM_OK) {
        snprintf(err, err_len, "%s", perr.msg);
    } else {
        pvm_engine_config ec = {.backend = c->backend, .gas_mode = PVM_GAS_SYNC, .cost_model = model};
        if (pvm_engine_new(&ec, &engine, &perr) != PVM_OK) {
            snprintf(err, err_len, "%s", perr.msg);
        } else {
            rc = 0;
            for (size_t i = 0; i < n && rc == 0; i++)
                if (wanted(&specs[i], longest)) rc = time_under_model(engine, &specs[i], c, &r[i], err, err_len),
                                               ok[i] = rc == 0;
            if (rc == 0) summarise(specs, r, ok, n, out, c->programs);
        }
    }
    pvm_engine_free(engine);
    pvm_cost_model_free(model);
    free(specs);
    free(r);
    free(ok);
    return rc;
}
