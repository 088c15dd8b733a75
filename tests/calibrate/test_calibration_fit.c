/* calibration_fit and calibration_fit_joint as a specification: synthetic series with known
 * answers, a disturbed program (outlier), preempted repetitions, and a planted cost table
 * run through a deterministic simulated backend (time per call = the planted costs of what
 * the interpreter profile says ran, plus seeded noise) recovered within its error bars. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "costmodel/calibrate/calibration_fit.h"
#include "vm/util/stats.h"
#include "costmodel/microbench/dynamic_mix.h"
#include "vm/util/stats.h"
#include "vm/util/splitmix.h"
#include "vm/isa/isa.h"
#include "costmodel/microbench/microbench.h"

/* The planted machine, in ps: per op by group, varied within a group so that the chain
 * weights matter; jumps and fallthrough cost only the block term. */
enum { PLANT_CALL = 900000, PLANT_BLOCK = 400 };

static double planted_op(int op)
{
    double spread = 1 + (op % 3) * 0.25;
    switch (pvm_op_group_of((pvm_op)op)) {
    case PVM_GROUP_ALU: case PVM_GROUP_BITS: case PVM_GROUP_SHIFT: case PVM_GROUP_COMPARE: case PVM_GROUP_CMOV:
        return 300 * spread;
    case PVM_GROUP_MOVE: case PVM_GROUP_LOAD_IMM: return 150;
    case PVM_GROUP_MUL: return 900 * spread;
    case PVM_GROUP_DIV: return 6000 * spread;
    case PVM_GROUP_LOAD: return 1200;
    case PVM_GROUP_STORE: return 700 * spread;
    case PVM_GROUP_BRANCH: return 500;
    case PVM_GROUP_JUMP_IND: return 2500;
    case PVM_GROUP_HOST: return 20000;
    default: return 0; /* jump, load_imm_jump, fallthrough, trap, unlikely */
    }
}

static uint64_t noise_state;
static double noise(double relative)
{
    uint64_t z = util_splitmix64(&noise_state);
    return 1 + relative * (2.0 * (double)(z >> 11) / 9007199254740992.0 - 1);
}

/* The simulated backend: ps per call of what ran. */
static double simulated_ps(const mb_dynamic_mix *mix)
{
    double ps = PLANT_CALL + PLANT_BLOCK * (double)mix->blocks;
    for (int op = 0; op < PVM_OP_COUNT; op++) ps += planted_op(op) * (double)mix->op_count[op];
    return ps;
}

typedef struct suite {
    mb_spec *specs;
    size_t n;
    measurement *m;
    mb_dynamic_mix *mix;
    bool *ok;
} suite;

static void simulate(const mb_suite_config *c, double relative_noise, suite *s)
{
    assert_int_equal(mb_suite_specs(c, &s->specs, &s->n), 0);
    s->m = calloc(s->n, sizeof *s->m);
    s->mix = calloc(s->n, sizeof *s->mix);
    s->ok = calloc(s->n, sizeof *s->ok);
    noise_state = 12345;
    for (size_t i = 0; i < s->n; i++) {
        const mb_spec *sp = &s->specs[i];
        if (sp->family != MB_OP_CHAIN && sp->family != MB_MIXED) continue;
        mb_program p;
        char err[256];
        if (mb_build(sp, &p, err, sizeof err) != 0) fail_msg("%s", err);
        uint64_t args[2];
        size_t nargs = mb_call_args(sp, 0, args);
        if (mb_dynamic_mix_measure(p.blob, p.blob_len, p.image, p.image_len, p.image_addr, "main", args, nargs,
                                   &s->mix[i], err, sizeof err) != 0)
            fail_msg("%s: %s", sp->name, err);
        mb_program_free(&p);
        double ps = simulated_ps(&s->mix[i]) * noise(relative_noise);
        s->m[i] = (measurement){.median_ns = ps / 1000.0, .mad_ns = ps / 1000.0 * relative_noise / 2, .n = 5,
                                .gas = (int64_t)s->mix[i].instructions};
        s->ok[i] = true;
    }
}

static void release(suite *s)
{
    free(s->specs);
    free(s->m);
    free(s->mix);
    free(s->ok);
}

static void small_config(mb_suite_config *c)
{
    mb_suite_config_smoke(c);
    c->chain_units[0] = 4, c->chain_units[1] = 8, c->chain_units[2] = 16, c->chain_units[3] = 32;
    c->chain_instructions = 3200;
    c->mixed_programs = 16;
    c->mixed_instructions = 4000;
}

static double value(const cal_result *r, const char *key)
{
    const cal_value *v = cal_result_find(r, key);
    if (!v) fail_msg("no value %s", key);
    return v->ps;
}

/* Noise-free series: every chain slope is the planted cost of its op exactly (terminators:
 * plus the block term, one block per unit), the remainder chains' xor taken off. */
static void chain_slopes_are_the_planted_costs(void **unused)
{
    (void)unused;
    mb_suite_config c;
    small_config(&c);
    suite s;
    simulate(&c, 0, &s);
    cal_result r;
    assert_int_equal(calibration_fit(s.specs, s.m, s.ok, s.n, &r), 0);
    int checked = 0;
    for (int op = 0; op < PVM_OP_INVALID; op++) {
        if (!mb_op_measurable(op)) continue;
        char key[96];
        snprintf(key, sizeof key, "op.%s.lat", pvm_op_table[op].name);
        double want = planted_op(op) + (pvm_op_is_terminator((pvm_op)op) ? PLANT_BLOCK : 0);
        /* Host calls resume mid-block, which the block profile cannot see (dynamic_mix.h):
         * the simulation cannot time them, and the joint fit leaves them out. */
        if (pvm_op_group_of((pvm_op)op) == PVM_GROUP_HOST) continue;
        double got = value(&r, key);
        if (fabs(got - want) > 1e-6 * want + 1e-6) fail_msg("%s: %.3f ps, planted %.3f", key, got, want);
        checked++;
    }
    assert_true(checked > 80);
    /* The empty loop: one call of it (prologue and call included) over its trips; each trip
     * is add_imm_64 + branch_ne_imm + one block. */
    assert_string_equal(s.specs[0].name, "loop.empty.L0");
    assert_float_equal(value(&r, "loop.overhead"), simulated_ps(&s.mix[0]) / (double)s.specs[0].trips, 1e-6);
    assert_int_equal(s.mix[0].op_count[PVM_OP_BRANCH_NE_IMM], s.specs[0].trips);
    cal_result_free(&r);
    release(&s);
}

/* One chain program disturbed as a whole (x3: a preempted median) is left out of its series;
 * repetitions left out as preempted change nothing. */
static void a_disturbed_program_is_left_out(void **unused)
{
    (void)unused;
    mb_suite_config c;
    small_config(&c);
    suite s;
    simulate(&c, 0, &s);
    size_t disturbed = s.n;
    for (size_t i = 0; i < s.n; i++) {
        s.m[i].preempted = (int)(i % 3); /* stored, not used: must not matter */
        if (strcmp(s.specs[i].name, "op.mul_64.lat.L16") == 0) disturbed = i;
    }
    assert_true(disturbed < s.n);
    s.m[disturbed].median_ns *= 3;
    cal_result r;
    assert_int_equal(calibration_fit(s.specs, s.m, s.ok, s.n, &r), 0);
    assert_float_equal(value(&r, "op.mul_64.lat"), planted_op(PVM_OP_MUL_64), 1e-6);
    assert_float_equal(value(&r, "op.add_64.lat"), planted_op(PVM_OP_ADD_64), 1e-6);
    json_object *series, *v;
    assert_true(json_object_object_get_ex(r.fit, "series", &series));
    bool noted = false;
    for (size_t k = 0; k < json_object_array_length(series); k++) {
        json_object *e = json_object_array_get_idx(series, k);
        if (json_object_object_get_ex(e, "key", &v) && strcmp(json_object_get_string(v), "op.mul_64.lat") == 0)
            noted = json_object_object_get_ex(e, "outlier_units", &v) && json_object_get_double(v) == 16;
    }
    assert_true(noted);
    cal_result_free(&r);
    release(&s);
}

/* The planted table through the simulated backend with 3% noise: the joint fit recovers
 * every op's cost, the block term and the call overhead within 3 standard errors, and the
 * errors are small enough to mean something. The declared unit is the mixed programs'
 * median time per gas. */
static void planted_costs_are_recovered_within_their_error_bars(void **unused)
{
    (void)unused;
    mb_suite_config c;
    small_config(&c);
    suite s;
    simulate(&c, 0.03, &s);
    cal_result r;
    assert_int_equal(calibration_fit(s.specs, s.m, s.ok, s.n, &r), 0);
    assert_int_equal(calibration_fit_joint(s.specs, s.m, s.ok, s.mix, s.n, 0, &r), 0);
    const cal_value *block = cal_result_find(&r, "block.entry"), *call = cal_result_find(&r, "call.overhead");
    assert_non_null(block);
    assert_non_null(call);
    printf("  block.entry %.1f +- %.1f ps (planted %d), call %.0f +- %.0f ps (planted %d)\n", block->ps, block->se_ps,
           PLANT_BLOCK, call->ps, call->se_ps, PLANT_CALL);
    assert_true(fabs(block->ps - PLANT_BLOCK) <= 3 * block->se_ps + 1);
    assert_true(block->se_ps < 0.2 * PLANT_BLOCK);
    assert_true(fabs(call->ps - PLANT_CALL) <= 3 * call->se_ps + 1);
    int checked = 0, outside = 0;
    for (int op = 0; op < PVM_OP_INVALID; op++) {
        char key[96];
        snprintf(key, sizeof key, "op.%s.fit", pvm_op_table[op].name);
        const cal_value *v = cal_result_find(&r, key);
        if (!v) continue;
        double want = planted_op(op) + (pvm_op_is_terminator((pvm_op)op) ? PLANT_BLOCK : 0);
        checked++;
        if (fabs(v->ps - want) > 3 * v->se_ps + 1) {
            outside++;
            printf("  %s: %.1f +- %.1f ps, planted %.1f\n", key, v->ps, v->se_ps, want);
        }
        if (want >= 300) assert_true(v->se_ps < 0.25 * want);
    }
    assert_true(checked > 80);
    assert_true(outside <= checked / 20); /* 3 sigma: nearly all inside */
    /* The unit: median ps per gas (gas = instructions here) of the mixed programs' code, each
     * call's time less the fitted call overhead. */
    double ratios[64];
    size_t k = 0;
    for (size_t i = 0; i < s.n && k < 64; i++)
        if (s.specs[i].family == MB_MIXED) ratios[k++] = (s.m[i].median_ns * 1000 - call->ps) / (double)s.m[i].gas;
    assert_float_equal(value(&r, "unit.ps_per_gas"), util_median(ratios, k), 1e-9);
    cal_result_free(&r);
    release(&s);
}

/* A machine whose independent ops overlap: ALU, shift, compare and multiply ops (but the
 * loop's add_imm_64 and the remainder chains' xor) cost half their latency in an independent
 * block; a mixed program costs each op its latency on the share of its instructions that
 * sits on its blocks' dependent chains and its throughput cost on the rest. */
static bool overlaps(int op)
{
    if (op == PVM_OP_ADD_IMM_64 || op == PVM_OP_XOR || !mb_op_has_throughput(op)) return false;
    pvm_op_group g = pvm_op_group_of((pvm_op)op);
    return g == PVM_GROUP_ALU || g == PVM_GROUP_SHIFT || g == PVM_GROUP_COMPARE || g == PVM_GROUP_MUL;
}

static double planted_tput(int op) { return overlaps(op) ? planted_op(op) / 2 : planted_op(op); }

static double share_of(const mb_dynamic_mix *mix) { return (double)mix->critical_path / (double)mix->instructions; }

static double overlapping_ps(const mb_spec *sp, const mb_dynamic_mix *mix)
{
    double ps = PLANT_CALL + PLANT_BLOCK * (double)mix->blocks, p = share_of(mix);
    for (int op = 0; op < PVM_OP_COUNT; op++) {
        double cost = planted_op(op);
        if (sp->family == MB_MIXED) cost = p * planted_op(op) + (1 - p) * planted_tput(op);
        else if (op == sp->op && sp->shape == MB_THROUGHPUT) cost = planted_tput(op);
        ps += cost * (double)mix->op_count[op];
    }
    return ps;
}

/* Chains and mixed programs disagree unless the fit tells latency from throughput: the
 * joint fit prices each op at its latency on the mixed programs' share of dependent
 * instructions and its throughput cost on the rest, and fits every row (the old fit, one
 * chain cost per op, missed the blended costs by up to 7% and left a 3.4% median residual
 * here; on this VM's quick calibration the chains' median residual went from 44% to 10%). */
static void latency_and_throughput_are_blended(void **unused)
{
    (void)unused;
    mb_suite_config c;
    small_config(&c);
    suite s;
    simulate(&c, 0, &s);
    double share = 0;
    int mixed = 0;
    for (size_t i = 0; i < s.n; i++) {
        if (!s.ok[i]) continue;
        double ps = overlapping_ps(&s.specs[i], &s.mix[i]) * noise(0.01);
        s.m[i].median_ns = ps / 1000.0;
        if (s.specs[i].family == MB_MIXED) share += share_of(&s.mix[i]), mixed++;
    }
    share /= mixed;
    assert_true(share > 0.2 && share < 0.8);
    cal_result r;
    assert_int_equal(calibration_fit(s.specs, s.m, s.ok, s.n, &r), 0);
    assert_float_equal(value(&r, "op.mul_64.tput"), planted_tput(PVM_OP_MUL_64), 0.05 * planted_op(PVM_OP_MUL_64));
    assert_int_equal(calibration_fit_joint(s.specs, s.m, s.ok, s.mix, s.n, 0, &r), 0);
    json_object *joint, *v;
    assert_true(json_object_object_get_ex(r.fit, "joint", &joint));
    assert_true(json_object_object_get_ex(joint, "median_abs_relative_residual", &v));
    printf("  dependent share %.2f, median |relative residual| %.3f\n", share, json_object_get_double(v));
    assert_true(json_object_get_double(v) < 0.02);
    int checked = 0;
    for (int op = 0; op < PVM_OP_INVALID; op++) {
        if (!overlaps(op)) continue;
        char key[96];
        snprintf(key, sizeof key, "op.%s.fit", pvm_op_table[op].name);
        const cal_value *f = cal_result_find(&r, key);
        if (!f) continue;
        double want = share * planted_op(op) + (1 - share) * planted_tput(op);
        if (fabs(f->ps - want) > 0.05 * want) fail_msg("%s: %.1f +- %.1f ps, want %.1f", key, f->ps, f->se_ps, want);
        checked++;
    }
    assert_true(checked > 30);
    cal_result_free(&r);
    release(&s);
}

/* The unit of the mixed programs' code does not depend on how long their calls are: the same
 * planted machine with mixed calls 4x longer declares the same unit within 2 %, while the
 * raw median time per gas (the call overhead in it) moves by more than 10 %. */
static double unit_of(unsigned mixed_instructions, double *raw)
{
    mb_suite_config c;
    small_config(&c);
    c.mixed_instructions = mixed_instructions;
    suite s;
    simulate(&c, 0, &s);
    cal_result r;
    assert_int_equal(calibration_fit(s.specs, s.m, s.ok, s.n, &r), 0);
    assert_int_equal(calibration_fit_joint(s.specs, s.m, s.ok, s.mix, s.n, 0, &r), 0);
    double ratios[64];
    size_t k = 0;
    for (size_t i = 0; i < s.n && k < 64; i++)
        if (s.specs[i].family == MB_MIXED) ratios[k++] = s.m[i].median_ns * 1000 / (double)s.m[i].gas;
    *raw = util_median(ratios, k);
    double unit = value(&r, "unit.ps_per_gas");
    cal_result_free(&r);
    release(&s);
    return unit;
}

static void the_unit_does_not_depend_on_the_call_length(void **unused)
{
    (void)unused;
    double raw_short, raw_long;
    double u_short = unit_of(4000, &raw_short), u_long = unit_of(16000, &raw_long);
    printf("  unit %.1f / %.1f ps per gas (raw %.1f / %.1f)\n", u_short, u_long, raw_short, raw_long);
    assert_true(fabs(u_short / u_long - 1) < 0.02);
    assert_true(raw_short / raw_long > 1.10);
}

/* A declared unit is taken as is. */
static void a_declared_unit_is_kept(void **unused)
{
    (void)unused;
    mb_suite_config c;
    small_config(&c);
    suite s;
    simulate(&c, 0.01, &s);
    cal_result r;
    assert_int_equal(calibration_fit(s.specs, s.m, s.ok, s.n, &r), 0);
    assert_int_equal(calibration_fit_joint(s.specs, s.m, s.ok, s.mix, s.n, 250, &r), 0);
    assert_float_equal(value(&r, "unit.ps_per_gas"), 250, 0);
    cal_result_free(&r);
    release(&s);
}

/* The first-touch programs with planted per-page costs (ns) per kind: each touch.KIND is
 * cold - warm per page; the VM charges one value per fault, so each charge is the kind that
 * takes exactly that fault (a zero page's first load, an image page's, the costlier first
 * store), and the store after a load is the costlier load+store less its load (not below 0).
 * Then the charges of every kind bound its time, and the one-fault kinds are priced exactly. */
static void fit_touch(const double planted_ns[MB_TOUCH_KINDS], cal_result *r)
{
    mb_suite_config c;
    small_config(&c);
    suite s;
    simulate(&c, 0, &s);
    for (size_t i = 0; i < s.n; i++) {
        const mb_spec *sp = &s.specs[i];
        if (sp->family != MB_FIRST_TOUCH) continue;
        double loop = 3.0 * (double)sp->trips; /* the warm call: the loop alone */
        double ns = loop + (sp->cold ? planted_ns[sp->touch] * (double)sp->size : 0);
        s.m[i] = (measurement){.median_ns = ns, .mad_ns = 0.01 * ns, .n = 9};
        s.ok[i] = true;
    }
    assert_int_equal(calibration_fit(s.specs, s.m, s.ok, s.n, r), 0);
    for (int k = 0; k < MB_TOUCH_KINDS; k++) {
        char key[64];
        snprintf(key, sizeof key, "touch.%s", mb_touch_kind_name((mb_touch_kind)k));
        assert_float_equal(value(r, key), planted_ns[k] * 1000, 1e-3);
        assert_true(cal_result_find(r, key)->se_ps > 0);
    }
    static const char *const charges[] = {"touch.lazy_read", "touch.lazy_read_image", "touch.lazy_write_first",
                                          "touch.lazy_write"};
    for (size_t k = 0; k < 4; k++) assert_true(cal_result_find(r, charges[k])->se_ps > 0);
    double read = value(r, "touch.lazy_read"), image = value(r, "touch.lazy_read_image");
    double first = value(r, "touch.lazy_write_first"), after = value(r, "touch.lazy_write");
    for (int k = 0; k < MB_TOUCH_KINDS; k++) {
        mb_touch_kind kind = (mb_touch_kind)k;
        double load = mb_touch_kind_data(kind) ? image : read;
        double charged = !mb_touch_kind_reads(kind) ? first : load + (mb_touch_kind_writes(kind) ? after : 0);
        if (charged < planted_ns[k] * 1000 - 1e-3) fail_msg("%s: charged %.0f ps < %.0f", mb_touch_kind_name(k), charged,
                                                            planted_ns[k] * 1000);
        if (mb_touch_kind_reads(kind) && !mb_touch_kind_writes(kind))
            assert_float_equal(charged, planted_ns[k] * 1000, 1e-3); /* the loads: exactly their time */
    }
    release(&s);
}

static void first_touch_charges_bound_every_kind(void **unused)
{
    (void)unused;
    /* this VM's shape: zero write, zero read, zero read+write, data write, data read, data read+write */
    const double measured[MB_TOUCH_KINDS] = {29000, 25000, 49000, 25000, 45000, 73000};
    cal_result r;
    fit_touch(measured, &r);
    assert_float_equal(value(&r, "touch.lazy_read"), 25000e3, 1e-3);        /* a zero page's first load */
    assert_float_equal(value(&r, "touch.lazy_read_image"), 45000e3, 1e-3);  /* a data page's */
    assert_float_equal(value(&r, "touch.lazy_write_first"), 29000e3, 1e-3); /* the zero page's first store */
    assert_float_equal(value(&r, "touch.lazy_write"), 28000e3, 1e-3);       /* data load+store less its load */
    cal_result_free(&r);
    /* A store after a load no dearer than the load alone: no write charge. */
    const double cheap_writes[MB_TOUCH_KINDS] = {10000, 30000, 20000, 10000, 40000, 35000};
    fit_touch(cheap_writes, &r);
    assert_float_equal(value(&r, "touch.lazy_read"), 30000e3, 1e-3);
    assert_float_equal(value(&r, "touch.lazy_write_first"), 10000e3, 1e-3);
    assert_float_equal(value(&r, "touch.lazy_write"), 0, 0);
    cal_result_free(&r);
}

/* Undisturbed repetitions give the median; when every repetition was descheduled (a call
 * longer than a loaded machine's time slices), their thread CPU times do, not the inflated
 * wall times; without CPU times, the wall times. */
static void descheduled_repetitions_fall_back_to_cpu_time(void **unused)
{
    (void)unused;
    const double clean[2] = {100, 110}, all[3] = {100, 400, 110}, cpu[3] = {99, 105, 108};
    measurement m;
    memset(&m, 0, sizeof m);
    measure_summarise(clean, 2, all, 3, cpu, 3, &m);
    assert_float_equal(m.median_ns, 105, 1e-9);
    assert_int_equal(m.n, 2);
    assert_int_equal(m.preempted, 1);
    assert_false(m.cpu_time);
    const double walls[3] = {900, 1300, 700}, cpus[3] = {300, 320, 310};
    measure_summarise(NULL, 0, walls, 3, cpus, 3, &m);
    assert_true(m.cpu_time);
    assert_float_equal(m.median_ns, 310, 1e-9);
    assert_int_equal(m.n, 3);
    assert_int_equal(m.preempted, 3);
    measure_summarise(NULL, 0, walls, 3, cpus, 2, &m); /* one repetition without a CPU time */
    assert_false(m.cpu_time);
    assert_float_equal(m.median_ns, 900, 1e-9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chain_slopes_are_the_planted_costs),
        cmocka_unit_test(a_disturbed_program_is_left_out),
        cmocka_unit_test(planted_costs_are_recovered_within_their_error_bars),
        cmocka_unit_test(a_declared_unit_is_kept),
        cmocka_unit_test(the_unit_does_not_depend_on_the_call_length),
        cmocka_unit_test(first_touch_charges_bound_every_kind),
        cmocka_unit_test(descheduled_repetitions_fall_back_to_cpu_time),
        cmocka_unit_test(latency_and_throughput_are_blended),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
