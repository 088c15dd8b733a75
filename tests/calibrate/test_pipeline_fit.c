/* The pipeline fit (costmodel/calibrate/pipeline_fit.h): the objective and the weighted
 * quantile on known inputs; a program's gas from its block profile equals what the metered
 * VM charges; a planted parameter set, whose gas made the programs' times, is recovered; the
 * same inputs give the same fit; bad input is refused. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "costmodel/calibrate/measure.h"
#include "costmodel/calibrate/pipeline_fit.h"
#include "costmodel/microbench/dynamic_mix.h"
#include "costmodel/microbench/microbench.h"
#include "vm/gas/gas.h"
#include "vm/gas/pipeline_sim.h"

static void weighted_quantile_known_answers(void **unused)
{
    (void)unused;
    const double v[4] = {4, 1, 3, 2}, w[4] = {1, 1, 1, 1};
    /* Equal weights: the midpoints sit at 1/8, 3/8, 5/8, 7/8 (the Hazen rule). */
    assert_float_equal(pipeline_fit_weighted_quantile(v, w, 4, 0.5), 2.5, 1e-12);
    assert_float_equal(pipeline_fit_weighted_quantile(v, w, 4, 0.25), 1.5, 1e-12);
    assert_float_equal(pipeline_fit_weighted_quantile(v, w, 4, 0.95), 4, 1e-12); /* beyond the last midpoint */
    assert_float_equal(pipeline_fit_weighted_quantile(v, w, 4, 0.05), 1, 1e-12);
    /* Weights 3:1: the midpoints at 3/8 (value 1) and 7/8 (value 2). */
    const double v2[2] = {1, 2}, w2[2] = {3, 1};
    assert_float_equal(pipeline_fit_weighted_quantile(v2, w2, 2, 0.5), 1.25, 1e-12);
    assert_true(isnan(pipeline_fit_weighted_quantile(v2, w2, 0, 0.5)));
}

static void objective_known_answers(void **unused)
{
    (void)unused;
    double ps[20], gas[20], w[20], median;
    for (int i = 0; i < 20; i++) ps[i] = 50.0 * (i + 1), gas[i] = i + 1, w[i] = 1;
    /* Every program at 50 ps per gas: no spread. */
    assert_float_equal(pipeline_fit_objective(ps, gas, w, 20, &median), 0, 1e-12);
    assert_float_equal(median, 50, 1e-9);
    /* Scale-free: ten times the gas everywhere, the same spread, a tenth of the median. */
    for (int i = 0; i < 20; i++) gas[i] *= 10;
    assert_float_equal(pipeline_fit_objective(ps, gas, w, 20, &median), 0, 1e-12);
    assert_float_equal(median, 5, 1e-9);
    /* One of 20 equal programs charged a quarter of its gas (4x the ps per gas): the 95th
     * percentile lies half way between the last two midpoints (0.925 and 0.975), so at half
     * of ln 4 above the median; the 5th at the median. */
    for (int i = 0; i < 20; i++) gas[i] = i + 1;
    gas[19] /= 4;
    double f = pipeline_fit_objective(ps, gas, w, 20, &median);
    assert_float_equal(median, 50, 1e-9);
    assert_float_equal(f, 0.5 * log(4), 1e-12);
    /* Two-sided: one charged 4x too much (a quarter of the ps per gas) spreads as much. */
    gas[19] *= 16;
    assert_float_equal(pipeline_fit_objective(ps, gas, w, 20, &median), 0.5 * log(4), 1e-12);
    /* Both: ln 4 in all. */
    gas[0] /= 4;
    assert_float_equal(pipeline_fit_objective(ps, gas, w, 20, &median), log(4), 1e-12);
    gas[0] *= 4;
    /* Weights: the mispriced program counts for nothing when its weight is 0 (left out). */
    w[19] = 0;
    assert_float_equal(pipeline_fit_objective(ps, gas, w, 20, &median), 0, 1e-12);
    /* No answer for no programs or a program without gas. */
    assert_true(isnan(pipeline_fit_objective(ps, gas, w, 0, NULL)));
    w[19] = 1;
    gas[3] = 0;
    assert_true(isnan(pipeline_fit_objective(ps, gas, w, 20, NULL)));
}

/* The calibration's own training families from the smoke suite, profiled. */
typedef struct training {
    mb_spec *specs;
    mb_block_profile *profiles;
    size_t n;
} training;

static bool trains(const mb_spec *s)
{
    switch (s->family) {
    case MB_MIXED: case MB_STRIDE: case MB_BRANCH: case MB_INDIRECT: return true;
    case MB_POINTER_CHASE: return !s->huge_pages;
    case MB_OP_CHAIN: return pvm_op_pipeline_class((pvm_op)s->op) != PVM_CLASS_HOST;
    default: return false;
    }
}

static void training_load(training *t)
{
    mb_suite_config sc;
    mb_suite_config_smoke(&sc);
    mb_spec *all;
    size_t count;
    assert_int_equal(mb_suite_specs(&sc, &all, &count), 0);
    t->specs = calloc(count, sizeof *t->specs);
    t->profiles = calloc(count, sizeof *t->profiles);
    t->n = 0;
    for (size_t i = 0; i < count; i++) {
        if (!trains(&all[i])) continue;
        mb_program p;
        char err[256];
        uint64_t args[2];
        size_t nargs = mb_call_args(&all[i], 0, args);
        assert_int_equal(mb_build(&all[i], &p, err, sizeof err), 0);
        if (mb_block_profile_measure(p.blob, p.blob_len, p.image, p.image_len, p.image_addr, "main", args, nargs,
                                     &t->profiles[t->n], err, sizeof err) != 0)
            fail_msg("%s: %s", all[i].name, err);
        mb_program_free(&p);
        t->specs[t->n++] = all[i];
    }
    free(all);
    assert_true(t->n > 20);
}

static void training_free(training *t)
{
    for (size_t i = 0; i < t->n; i++) mb_block_profile_free(&t->profiles[i]);
    free(t->profiles);
    free(t->specs);
}

/* The gas the metered interpreter charges one call under the reference L2-hit model. */
static int64_t metered_gas(const mb_spec *s)
{
    pvm_cost_model *cm = NULL;
    pvm_engine *e = NULL;
    pvm_error perr = {{0}};
    assert_int_equal(pvm_cost_model_new("pipeline-l2hit", &cm, &perr), PVM_OK);
    pvm_engine_config c = {.backend = PVM_BACKEND_INTERP, .gas_mode = PVM_GAS_SYNC, .cost_model = cm};
    assert_int_equal(pvm_engine_new(&c, &e, &perr), PVM_OK);
    mb_program p;
    char err[256];
    assert_int_equal(mb_build(s, &p, err, sizeof err), 0);
    pvm_module *m;
    pvm_instance *in;
    if (instantiate_program(e, &p, &m, &in, err, sizeof err) != 0) fail_msg("%s: %s", s->name, err);
    const int64_t budget = INT64_C(1) << 50;
    pvm_instance_set_gas(in, budget);
    uint64_t args[2];
    size_t nargs = mb_call_args(s, 0, args);
    assert_int_equal(pvm_instance_prepare_call(in, "main", 0, args, nargs, &perr), PVM_OK);
    pvm_result res;
    if (run_to_exit(in, &res, err, sizeof err) != 0) fail_msg("%s: %s", s->name, err);
    assert_int_equal(res.kind, PVM_EXIT_HALT);
    int64_t used = budget - pvm_instance_gas(in);
    pvm_instance_free(in);
    pvm_module_release(m);
    pvm_engine_free(e);
    mb_program_free(&p);
    pvm_cost_model_free(cm);
    return used;
}

/* The training programs, profiled once for the tests that need them (slow under ASan). */
static training shared;

static int load_shared(void **state)
{
    (void)state;
    training_load(&shared);
    return 0;
}

static int free_shared(void **state)
{
    (void)state;
    training_free(&shared);
    return 0;
}

static void profile_gas_is_the_metered_gas(void **unused)
{
    (void)unused;
    const training t = shared;
    pvm_pipeline_params reference;
    pvm_pipeline_reference(2, &reference);
    size_t checked = 0;
    for (size_t i = 0; i < t.n; i++) {
        if (t.specs[i].family != MB_MIXED && t.specs[i].family != MB_POINTER_CHASE && i % 7) continue; /* a sample */
        int64_t metered = metered_gas(&t.specs[i]);
        uint64_t profiled = pipeline_fit_gas(&reference, &t.profiles[i]);
        if ((int64_t)profiled != metered) fail_msg("%s: profile %llu gas, metered %lld", t.specs[i].name,
                                                   (unsigned long long)profiled, (long long)metered);
        checked++;
    }
    assert_true(checked >= 8);
}

/* A planted table: every training program's time is exactly 40 ps per gas of it (times made by
 * the planted parameters, as a simulated backend would); the fit, started from the reference,
 * must find those parameters again, with the spread gone. */
static const uint32_t PLANTED[PIPELINE_FIT_PARAMS] = {37, 6, 13, 5};

static void fit_on(const training *t, const uint32_t planted[PIPELINE_FIT_PARAMS], pipeline_fit_result *fit,
                   unsigned rounds)
{
    pvm_pipeline_params truth;
    pvm_pipeline_reference(2, &truth);
    for (int k = 0; k < PIPELINE_FIT_PARAMS; k++) *pipeline_fit_param_field(&truth, (pipeline_fit_param)k) = planted[k];
    pipeline_fit_program *programs = calloc(t->n, sizeof *programs);
    for (size_t i = 0; i < t->n; i++)
        programs[i] = (pipeline_fit_program){.name = t->specs[i].name, .profile = &t->profiles[i],
                                             .ps = 40.0 * (double)pipeline_fit_gas(&truth, &t->profiles[i]),
                                             .weight = 1, .stratum = (int)t->specs[i].family};
    pipeline_fit_config c = {.max = {127, 63, 127, 31}, .min = {1, 1, 1, 0}, .bootstrap_rounds = rounds,
                             .bootstrap_seed = 7};
    pvm_pipeline_reference(2, &c.start);
    char err[256];
    if (pipeline_fit(programs, t->n, &c, fit, err, sizeof err) != 0) fail_msg("%s", err);
    free(programs);
}

static void planted_parameters_are_recovered(void **unused)
{
    (void)unused;
    const training t = shared;
    pipeline_fit_result fit, again;
    fit_on(&t, PLANTED, &fit, 5);
    for (int k = 0; k < PIPELINE_FIT_PARAMS; k++)
        if (fit.value[k] != PLANTED[k])
            fail_msg("%s: fitted %u, planted %u", pipeline_fit_param_key((pipeline_fit_param)k, 2), fit.value[k],
                     PLANTED[k]);
    assert_true(fit.objective_start > 0.05); /* the reference parameters spread the programs */
    assert_float_equal(fit.objective, 0, 1e-9);
    assert_float_equal(fit.median_ps_per_gas, 40, 1e-6);
    /* Noise-free times: every bootstrap resample finds the planted values (error 0). */
    for (int k = 0; k < PIPELINE_FIT_PARAMS; k++) assert_float_equal(fit.se[k], 0, 1e-9);
    /* Deterministic: the same inputs, the same fit. */
    fit_on(&t, PLANTED, &again, 5);
    assert_memory_equal(&fit.params, &again.params, sizeof fit.params);
    assert_memory_equal(fit.se, again.se, sizeof fit.se);
    /* Another table far from the reference on the other side: cheap loads, dear branches. */
    static const uint32_t other[PIPELINE_FIT_PARAMS] = {9, 2, 41, 1};
    fit_on(&t, other, &again, 0);
    for (int k = 0; k < PIPELINE_FIT_PARAMS; k++) assert_int_equal(again.value[k], other[k]);
    assert_true(isnan(again.se[0])); /* no bootstrap rounds: no errors */
}

static void bad_input_is_refused(void **unused)
{
    (void)unused;
    pipeline_fit_config c = {.max = {10, 10, 10, 10}, .min = {1, 1, 1, 0}};
    pvm_pipeline_reference(2, &c.start);
    pipeline_fit_result fit;
    char err[256];
    assert_int_equal(pipeline_fit(NULL, 0, &c, &fit, err, sizeof err), -1);
    assert_string_equal(err, "no training programs");
    mb_block_profile empty = {0};
    pvm_pipeline_params reference;
    pvm_pipeline_reference(2, &reference);
    pipeline_fit_program p = {.name = "p", .profile = &empty, .ps = 0, .weight = 1};
    assert_int_equal(pipeline_fit(&p, 1, &c, &fit, err, sizeof err), -1);
    assert_non_null(strstr(err, "p: needs a positive time"));
    p.ps = 1;
    c.min[PIPELINE_FIT_LOAD] = 0; /* a latency of 0 stalls nothing but is no latency */
    assert_int_equal(pipeline_fit(&p, 1, &c, &fit, err, sizeof err), -1);
    assert_non_null(strstr(err, "latency.l2: bad search range"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(weighted_quantile_known_answers),
        cmocka_unit_test(objective_known_answers),
        cmocka_unit_test(profile_gas_is_the_metered_gas),
        cmocka_unit_test(planted_parameters_are_recovered),
        cmocka_unit_test(bad_input_is_refused),
    };
    return cmocka_run_group_tests(tests, load_shared, free_shared);
}
