/* Table generation from calibration values with known answers: gas unit, worst-case
 * loads, branch penalties, equalised groups, pipeline latencies, deterministic bytes. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "costmodel/calibrate/table_generate.h"
#include "costmodel/microbench/guest_mix_data.h"
#include "vm/gas/cost_table_keys.h"

static stored_value *add(stored_calibration *c, const char *key, double ps)
{
    stored_value *v = &c->values[c->count++];
    memset(v, 0, sizeof *v);
    snprintf(v->key, sizeof v->key, "%s", key);
    v->ps = ps;
    v->cycles = v->mad = NAN;
    v->se = 0.01 * ps;
    v->n = 5;
    return v;
}

/* Every op 1000 ps, add_64 500 ps (the cheapest ALU op), store_u16 4000 ps. */
static stored_calibration *synthetic(bool drop_xor)
{
    stored_calibration *c = calloc(1, sizeof *c);
    c->values = calloc(512, sizeof *c->values);
    c->id = 42;
    snprintf(c->uuid, sizeof c->uuid, "00000000-0000-4000-8000-000000000042");
    snprintf(c->backend, sizeof c->backend, "tsc");
    snprintf(c->counters, sizeof c->counters, "auto");
    snprintf(c->vm_backend, sizeof c->vm_backend, "interp");
    snprintf(c->machine, sizeof c->machine, "Test CPU");
    char key[96];
    for (int op = 0; op < PVM_OP_INVALID; op++) {
        if (op == PVM_OP_TRAP || (drop_xor && op == PVM_OP_XOR)) continue;
        snprintf(key, sizeof key, "op.%s.lat", pvm_op_table[op].name);
        add(c, key, op == PVM_OP_ADD_64 ? 500 : op == PVM_OP_STORE_U16 ? 4000 : 1000);
    }
    add(c, "chase.4096", 1500);
    add(c, "mem.l1", 1500);
    add(c, "mem.l2", 5000);
    add(c, "mem.dram", 50000);
    add(c, "branch.mispredict", 8000);
    add(c, "indirect.mispredict", 3000);
    return c;
}

static void release(stored_calibration *c)
{
    stored_calibration_free(c);
    free(c);
}

static void table_costs_follow_the_rules(void **unused)
{
    (void)unused;
    stored_calibration *c = synthetic(false);
    double ps[PVM_OP_COUNT];
    char err[256];
    assert_int_equal(table_op_ps(c, ps, err, sizeof err), 0);
    double unit = table_ps_per_gas(c, ps, 0);
    assert_float_equal(unit, 500, 1e-9);
    assert_float_equal(table_ps_per_gas(c, ps, 250), 250, 1e-9);
    pvm_cost_table *t = calloc(1, sizeof *t);
    assert_int_equal(table_generate(c, "table", unit, "test 1", t, NULL, 0, err, sizeof err), 0);
    assert_int_equal(t->kind, PVM_TABLE_KIND_TABLE);
    assert_int_equal(t->op_cost[PVM_OP_ADD_64], 1);
    assert_int_equal(t->op_cost[PVM_OP_SUB_64], 2);
    assert_int_equal(t->op_cost[PVM_OP_LOAD_IND_U64], 100); /* worst-case chase, 50000 ps */
    assert_int_equal(t->op_cost[PVM_OP_LOAD_U8], 100);
    assert_int_equal(t->op_cost[PVM_OP_BRANCH_EQ], 18);      /* 1000 + 8000 mispredict */
    assert_int_equal(t->op_cost[PVM_OP_BRANCH_GT_S_IMM], 18);
    assert_int_equal(t->op_cost[PVM_OP_JUMP_IND], 8);        /* 1000 + 3000 */
    assert_int_equal(t->op_cost[PVM_OP_TRAP], t->op_cost[PVM_OP_FALLTHROUGH]);
    assert_int_equal(t->op_cost[PVM_OP_INVALID], t->op_cost[PVM_OP_FALLTHROUGH]);
    assert_int_equal(t->op_cost[PVM_OP_STORE_U32], 8);       /* u16/u32/u64 equalised */
    assert_int_equal(t->op_cost[PVM_OP_STORE_U64], 8);
    assert_int_equal(t->op_cost[PVM_OP_STORE_U8], 2);        /* u8 is not in the group */
    assert_int_equal(t->op_cost[PVM_OP_STORE_IND_U32], 2);   /* another form */
    assert_string_equal(t->prov.calibration, "00000000-0000-4000-8000-000000000042"); /* the uuid, not the row id */
    assert_string_equal(t->prov.machine, "Test CPU");

    /* Same input, same bytes; the bytes parse back to the same numbers. */
    pvm_cost_table *again = calloc(1, sizeof *again);
    assert_int_equal(table_generate(c, "table", unit, "test 1", again, NULL, 0, err, sizeof err), 0);
    size_t len1, len2;
    char *a = pvm_cost_table_format(t, &len1), *b = pvm_cost_table_format(again, &len2);
    assert_non_null(a);
    assert_int_equal(len1, len2);
    assert_memory_equal(a, b, len1);
    pvm_error perr = {{0}};
    assert_int_equal(pvm_cost_table_parse("synthetic", a, len1, again, &perr), PVM_OK);
    assert_memory_equal(again->op_cost, t->op_cost, sizeof t->op_cost);
    free(a);
    free(b);
    free(again);
    free(t);
    release(c);
}

static void pipeline_latencies_replace_the_reference(void **unused)
{
    (void)unused;
    stored_calibration *c = synthetic(false);
    double ps[PVM_OP_COUNT];
    char err[256], mapping[256];
    assert_int_equal(table_op_ps(c, ps, err, sizeof err), 0);
    pvm_cost_table *t = calloc(1, sizeof *t);
    /* An interpreter calibration gives no pipeline table, and says why. */
    assert_int_equal(table_generate(c, "pipeline-l2hit", 500, "test 1", t, mapping, sizeof mapping, err, sizeof err), -1);
    assert_non_null(strstr(err, "recompiler calibrations only"));
    snprintf(c->vm_backend, sizeof c->vm_backend, "jit");
    assert_int_equal(table_generate_as(c, "pipeline-l2hit", 500, "reference-core", "test 1", t, mapping, sizeof mapping,
                                       err, sizeof err), 0);
    assert_int_equal(t->kind, PVM_TABLE_KIND_PIPELINE);
    assert_int_equal(t->pipeline.cache_level, 2);
    assert_int_equal(t->pipeline.cache_latency[0], 3);   /* 1500 ps */
    assert_int_equal(t->pipeline.cache_latency[1], 10);  /* 5000 ps */
    assert_int_equal(t->pipeline.cache_latency[2], 100); /* no L3 plateau: DRAM */
    assert_int_equal(t->pipeline.branch_hit, 2);
    assert_int_equal(t->pipeline.branch_miss, 18);
    assert_int_equal(t->pipeline.store_latency, 8);
    /* Each measured parameter carries its error in thousandths of a cycle (500 ps): 1% of
     * the value here; branch.miss that of hit + mispredict; the reference's values none. */
    const struct {
        const char *key;
        uint32_t milli;
    } errors[] = {{"latency.l1", 30}, {"latency.l2", 100}, {"latency.l3", 1000}, {"latency.store", 80},
                  {"branch.hit", 20}, {"branch.miss", 161} /* hypot(10, 80) ps */, {"class.host.latency", 20}, {"rob_size", 0}};
    for (size_t e = 0; e < sizeof errors / sizeof errors[0]; e++) {
        char name[64];
        size_t i = 0;
        while (pvm_pipeline_key(&t->pipeline, i, name, sizeof name) && strcmp(name, errors[e].key) != 0) i++;
        assert_true(i < pvm_pipeline_key_count());
        assert_int_equal(t->se_known[i], errors[e].milli > 0);
        if (errors[e].milli && t->se_milligas[i] != errors[e].milli)
            fail_msg("se %s: %u, want %u", name, t->se_milligas[i], errors[e].milli);
    }
    pvm_pipeline_params ref;
    pvm_pipeline_reference(2, &ref);
    /* reference-core: class latencies kept, but host calls: the costliest measured one (1000 ps = 2 cycles). */
    assert_int_equal(t->pipeline.cls[PVM_CLASS_HOST].latency, 2);
    t->pipeline.cls[PVM_CLASS_HOST] = ref.cls[PVM_CLASS_HOST];
    assert_memory_equal(&t->pipeline.cls, &ref.cls, sizeof ref.cls);
    /* No first-touch measurement here: the reference host charges. */
    assert_int_equal(t->host.lazy_page_read, 100);
    assert_int_equal(t->host.memset_byte, 1);
    assert_non_null(strstr(mapping, "1 gas = 500 ps"));
    assert_non_null(strstr(mapping, "latency.l1/l2/l3 3/10/100 (no L3 plateau: latency.l3 is the DRAM level)"));
    assert_non_null(strstr(mapping, "(class latencies from the reference model)"));
    assert_int_equal(t->pipeline.decode_width, ref.decode_width);
    assert_int_equal(t->pipeline.units[PVM_UNIT_ALU], ref.units[PVM_UNIT_ALU]);
    assert_int_equal(table_generate(c, "pipeline-l4hit", 500, "t", t, NULL, 0, err, sizeof err), -1);
    free(t);
    release(c);
}

/* A calibration with a pipeline fit (pipeline.l2hit.*, model cycles): the L2-hit table takes
 * the fitted latency.l2, latency.store, branch.miss and slack with their errors, places l1/l3
 * at the fit's memory scale, and --pipeline-params converted gives the old table; the other
 * levels never take the fit; an implausible fitted value is not taken. */
static void fitted_pipeline_parameters_are_taken(void **unused)
{
    (void)unused;
    stored_calibration *c = synthetic(false);
    snprintf(c->vm_backend, sizeof c->vm_backend, "jit");
    char err[256], mapping[768];
    pvm_cost_table *converted = calloc(1, sizeof *converted), *t = calloc(1, sizeof *t), *again = calloc(1, sizeof *again);
    assert_int_equal(table_generate(c, "pipeline-l2hit", 500, "t", converted, NULL, 0, err, sizeof err), 0);
    pvm_cost_table *before = calloc(1, sizeof *before);
    *before = *converted;
    add(c, "pipeline.l2hit.latency.l2", 40)->se = 3;
    add(c, "pipeline.l2hit.latency.store", 7)->se = 0.5;
    add(c, "pipeline.l2hit.branch.miss", 12)->se = 2;
    add(c, "pipeline.l2hit.slack", 4)->se = 1;
    add(c, "pipeline.l2hit.objective", 0.75)->n = 123;
    assert_false(table_pipeline_fitted(c, "pipeline-l2hit", NULL)); /* the default: converted */
    assert_true(table_pipeline_fitted(c, "pipeline-l2hit", "fitted"));
    assert_false(table_pipeline_fitted(c, "pipeline-l2hit", "converted"));
    assert_false(table_pipeline_fitted(c, "pipeline-l1hit", "fitted"));
    assert_int_equal(table_generate_as(c, "pipeline-l2hit", 500, "fitted", "t", t, mapping, sizeof mapping, err,
                                       sizeof err), 0);
    assert_int_equal(t->pipeline.cache_latency[1], 40);
    assert_int_equal(t->pipeline.store_latency, 7);
    assert_int_equal(t->pipeline.branch_miss, 12);
    assert_int_equal(t->pipeline.slack, 4);
    /* mem.l2 5000 ps over 40 cycles: 125 ps per memory cycle; mem.l1 1500 -> 12, DRAM 50000 -> 400. */
    assert_int_equal(t->pipeline.cache_latency[0], 12);
    assert_int_equal(t->pipeline.cache_latency[2], 400);
    assert_int_equal(t->pipeline.branch_hit, converted->pipeline.branch_hit); /* not fitted */
    assert_non_null(strstr(mapping, "fitted on 123 training programs"));
    const struct {
        const char *key;
        bool known;
        uint32_t milli;
    } errors[] = {{"latency.l2", true, 3000}, {"latency.store", true, 500}, {"branch.miss", true, 2000},
                  {"slack", true, 1000}, {"latency.l1", false, 0}, {"latency.l3", false, 0}};
    for (size_t e = 0; e < sizeof errors / sizeof errors[0]; e++) {
        char name[64];
        size_t i = 0;
        while (pvm_pipeline_key(&t->pipeline, i, name, sizeof name) && strcmp(name, errors[e].key) != 0) i++;
        assert_true(i < pvm_pipeline_key_count());
        assert_int_equal(t->se_known[i], errors[e].known);
        if (errors[e].known) assert_int_equal(t->se_milligas[i], errors[e].milli);
    }
    /* The same calibration, the same bytes. */
    assert_int_equal(table_generate_as(c, "pipeline-l2hit", 500, "fitted", "t", again, NULL, 0, err, sizeof err), 0);
    size_t la, lb;
    char *a = pvm_cost_table_format(t, &la), *b = pvm_cost_table_format(again, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    free(a), free(b);
    /* converted and the default: the table of the calibration without its fit, byte for byte. */
    for (int k = 0; k < 2; k++) {
        assert_int_equal(table_generate_as(c, "pipeline-l2hit", 500, k ? NULL : "converted", "t", again, NULL, 0, err,
                                           sizeof err), 0);
        a = pvm_cost_table_format(before, &la), b = pvm_cost_table_format(again, &lb);
        assert_int_equal(la, lb);
        assert_memory_equal(a, b, la);
        free(a), free(b);
    }
    /* The other cache levels keep the conversion. */
    assert_int_equal(table_generate_as(c, "pipeline-l1hit", 500, "fitted", "t", again, NULL, 0, err, sizeof err), 0);
    assert_int_equal(again->pipeline.cache_latency[1], converted->pipeline.cache_latency[1]);
    /* The fitted errors gate the table like any cost: slack 4 +- 1 is 25%, above 0.2. */
    char noisy[512], worst[96];
    assert_int_equal(table_noisy_costs(c, "pipeline-fitted", 500, 0.2, noisy, sizeof noisy, worst, sizeof worst), 1);
    assert_non_null(strstr(noisy, "pipeline.l2hit.slack 4.0 +- 1.0 cycles"));
    /* A fitted value out of range is not a fit. */
    c->values[c->count - 2].ps = 0; /* slack may be 0 */
    assert_true(table_pipeline_fitted(c, "pipeline-l2hit", "fitted"));
    c->values[c->count - 5].ps = 0; /* a load latency may not */
    assert_false(table_pipeline_fitted(c, "pipeline-l2hit", "fitted"));
    free(converted), free(t), free(again), free(before);
    release(c);
}

static stored_value *find(stored_calibration *c, const char *key)
{
    for (size_t i = 0; i < c->count; i++)
        if (strcmp(c->values[i].key, key) == 0) return &c->values[i];
    return NULL;
}

/* Key's value changed, with the 1% error add() gives. */
static void set_value(stored_calibration *c, const char *key, double ps)
{
    stored_value *v = find(c, key);
    assert_non_null(v);
    v->ps = ps;
    v->se = 0.01 * ps;
}

/* The default conversion measures the core: each class's latency is its costliest latency
 * chain at 1 cycle = add_64 (500 ps), terminators less the block entry, jump_ind plus the
 * indirect penalty, unlikely the branch penalty; the widths come from the throughput series; a
 * class without a chain keeps the reference's and the mapping names it. The expected table is
 * the reference-core table with exactly those numbers and their errors changed, byte for byte. */
static void measured_class_latencies_replace_the_reference(void **unused)
{
    (void)unused;
    stored_calibration *c = synthetic(false);
    snprintf(c->vm_backend, sizeof c->vm_backend, "jit");
    add(c, "block.entry", 500);                          /* 1 cycle, off the slack and the terminators */
    set_value(c, "op.div_u_64.lat", 9000);
    add(c, "op.rem_s_64.lat.div0", 9400);                /* the costliest div chain: 18.8 -> 19 cycles */
    set_value(c, "op.mul_upper_s_u.lat", 2600);          /* 5.2 -> 5 */
    set_value(c, "op.load_imm_jump_ind.lat", 1200);      /* (1200 - 500 + 3000) / 500 = 7.4 -> 7 */
    set_value(c, "op.cmov_iz_imm.lat", NAN);             /* cmov_imm: no chain measured */
    set_value(c, "op.cmov_nz_imm.lat", NAN);
    add(c, "op.move_reg.tput", 100);                     /* decode_width 5 */
    add(c, "op.load_imm.tput", 125);                     /* max_starts 4 */
    const char *const alu3[] = {"op.and.tput", "op.or.tput", "op.xor.tput", "op.sub_64.tput", "op.add_64.tput"};
    const double alu3_ps[] = {95, 100, 105, 100, 300};
    for (size_t i = 0; i < 5; i++) add(c, alu3[i], alu3_ps[i]);
    /* units.alu: the rate on the guests' mix (guest_mix_data.h, the two targets' shares
     * averaged) of the ops with a throughput series whose class holds an ALU unit, here the
     * five three-register ones (move_reg and load_imm hold none). add_64, at 300 ps, is 54% of
     * that mix: 209 ps per op, 2.39 per cycle of 500 ps, 2 units; the error is the weighted
     * errors (1% each) in quadrature, 500 x se / mean^2 ops per cycle. */
    const pvm_op alu3_op[] = {PVM_OP_AND, PVM_OP_OR, PVM_OP_XOR, PVM_OP_SUB_64, PVM_OP_ADD_64};
    double w_sum = 0, ps_sum = 0, var = 0;
    for (size_t i = 0; i < 5; i++) {
        double w = (MB_GUEST_MIX[0].op_ppm[alu3_op[i]] + MB_GUEST_MIX[1].op_ppm[alu3_op[i]]) / 2e6;
        w_sum += w, ps_sum += w * alu3_ps[i], var += w * w * 0.01 * alu3_ps[i] * 0.01 * alu3_ps[i];
    }
    double mix_ps = ps_sum / w_sum, mix_se = sqrt(var) / w_sum;
    assert_true(mix_ps > 205 && mix_ps < 213);
    const uint32_t alu_milli = (uint32_t)floor(500 * mix_se / (mix_ps * mix_ps) * 1000 + 0.5);
    char err[256], mapping[1536];
    pvm_cost_table *t = calloc(1, sizeof *t), *expected = calloc(1, sizeof *expected), *again = calloc(1, sizeof *again);
    assert_int_equal(table_generate_as(c, "pipeline-l2hit", 500, "reference-core", "t", expected, NULL, 0, err,
                                       sizeof err), 0);
    assert_int_equal(table_generate(c, "pipeline-l2hit", 500, "t", t, mapping, sizeof mapping, err, sizeof err), 0);
    pvm_pipeline_params *e = &expected->pipeline;
    const struct {
        pvm_op_class cls;
        uint32_t latency, milli; /* the chain's 1% error (with the block entry's for terminators) over 500 ps */
    } classes[] = {
        {PVM_CLASS_ALU3, 2, 20},        {PVM_CLASS_ALU3_32, 2, 20},    {PVM_CLASS_ALU2, 2, 20},
        {PVM_CLASS_ALU2_32, 2, 20},     {PVM_CLASS_BITS_1C, 2, 20},    {PVM_CLASS_BITS_2C, 2, 20},
        {PVM_CLASS_SHIFT, 2, 20},       {PVM_CLASS_SHIFT_32, 2, 20},   {PVM_CLASS_SHIFT_ALT, 2, 20},
        {PVM_CLASS_SHIFT_ALT_32, 2, 20}, {PVM_CLASS_COMPARE, 2, 20},   {PVM_CLASS_COMPARE_IMM, 2, 20},
        {PVM_CLASS_CMOV, 2, 20},        {PVM_CLASS_MIN_MAX, 2, 20},    {PVM_CLASS_LOGIC_INV, 2, 20},
        {PVM_CLASS_XNOR, 2, 20},        {PVM_CLASS_NEG_ADD, 2, 20},    {PVM_CLASS_NEG_ADD_32, 2, 20},
        {PVM_CLASS_MUL, 2, 20},         {PVM_CLASS_MUL_IMM, 2, 20},    {PVM_CLASS_MUL_32, 2, 20},
        {PVM_CLASS_MUL_IMM_32, 2, 20},  {PVM_CLASS_MUL_UPPER, 2, 20},  {PVM_CLASS_MUL_UPPER_SU, 5, 52},
        {PVM_CLASS_DIV, 19, 188},       {PVM_CLASS_LOAD_IMM, 2, 20},   {PVM_CLASS_LOAD_IMM_64, 2, 20},
        {PVM_CLASS_UNLIKELY, 16, 160},  {PVM_CLASS_END, 1, 22},        {PVM_CLASS_JUMP, 1, 22},
        {PVM_CLASS_JUMP_IND, 7, 65} /* hypot(12, 5, 30) = 32.7 ps */,
    };
    for (size_t k = 0; k < sizeof classes / sizeof classes[0]; k++) {
        char key[64], name[64];
        snprintf(key, sizeof key, "class.%s.latency", pvm_pipeline_class_name(classes[k].cls));
        size_t i = 0;
        while (pvm_pipeline_key(e, i, name, sizeof name) && strcmp(name, key) != 0) i++;
        assert_true(i < pvm_pipeline_key_count());
        if (t->pipeline.cls[classes[k].cls].latency != classes[k].latency)
            fail_msg("%s: %u, want %u", key, t->pipeline.cls[classes[k].cls].latency, classes[k].latency);
        if (!t->se_known[i] || t->se_milligas[i] != classes[k].milli)
            fail_msg("se %s: %u, want %u", key, t->se_known[i] ? t->se_milligas[i] : 0, classes[k].milli);
        e->cls[classes[k].cls].latency = classes[k].latency;
        expected->se_known[i] = true;
        expected->se_milligas[i] = classes[k].milli;
    }
    e->decode_width = 5, e->max_starts = 4, e->units[PVM_UNIT_ALU] = 2;
    /* The widths' errors in thousandths of an op per cycle, 500 x se / tput^2: move_reg 1 ps of
     * 100, load_imm 1.25 of 125, the mix's above. */
    const struct {
        const char *key;
        uint32_t milli;
    } width_errors[] = {{"decode_width", 50}, {"max_starts", 40}, {"units.alu", alu_milli}};
    for (size_t w = 0; w < 3; w++) {
        char name[64];
        size_t i = 0;
        while (pvm_pipeline_key(e, i, name, sizeof name) && strcmp(name, width_errors[w].key) != 0) i++;
        assert_true(t->se_known[i]);
        if (t->se_milligas[i] != width_errors[w].milli)
            fail_msg("se %s: %u, want %u", name, t->se_milligas[i], width_errors[w].milli);
        expected->se_known[i] = true;
        expected->se_milligas[i] = width_errors[w].milli;
    }
    /* The recurrence floor (format 6): one cycle of 500 ps at 500 ps per gas, 1000 thousandths;
     * the reference core takes none (its latencies are another core's). */
    assert_int_equal(t->host.recurrence_milligas, 1000);
    assert_int_equal(expected->host.recurrence_milligas, 0);
    size_t floor_key = pvm_cost_table_kind_key_count(PVM_TABLE_KIND_PIPELINE) + PVM_HOST_KEY_COUNT_V5;
    assert_true(t->se_known[floor_key]);
    expected->host.recurrence_milligas = 1000;
    expected->se_known[floor_key] = true, expected->se_milligas[floor_key] = t->se_milligas[floor_key];
    /* Byte for byte: nothing else moved (cmov_imm, decode slots, units, latency_b64 stay). */
    size_t la, lb;
    char *a = pvm_cost_table_format(expected, &la), *b = pvm_cost_table_format(t, &lb);
    assert_non_null(a);
    assert_non_null(b);
    if (la != lb || memcmp(a, b, la) != 0) fail_msg("converted table differs from the expected:\n%s\n---\n%s", b, a);
    free(a), free(b);
    /* The same calibration, the same bytes. */
    assert_int_equal(table_generate_as(c, "pipeline-l2hit", 500, "converted", "t", again, NULL, 0, err, sizeof err), 0);
    a = pvm_cost_table_format(t, &la), b = pvm_cost_table_format(again, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    free(a), free(b);
    /* The mapping names what was measured and what stayed the reference's. */
    assert_non_null(strstr(mapping, "class latencies measured (the worst op's chain per class"));
    assert_non_null(strstr(mapping, "div 60->19"));
    assert_non_null(strstr(mapping, "jump 15->1 jump_ind 22->7"));
    assert_non_null(strstr(mapping, "decode_width 5, max_starts 4, units.alu 2 (the guests' mix: 2.39 ops per cycle over "));
    assert_non_null(strstr(mapping, "recurrence floor 1.000 gas per cycle of a self-loop's register chain"));
    assert_non_null(strstr(mapping, "reference: cmov_imm (not measured), decode slots, unit needs"));
    assert_null(strstr(mapping, "(class latencies from the reference model)"));
    /* A width below what a class needs (4 decode slots) is no measurement of it: the reference's, named. */
    set_value(c, "op.move_reg.tput", 250); /* 2 per cycle */
    assert_int_equal(table_generate(c, "pipeline-l2hit", 500, "t", t, mapping, sizeof mapping, err, sizeof err), 0);
    assert_int_equal(t->pipeline.decode_width, 4);
    assert_non_null(strstr(mapping, "reference: cmov_imm decode_width (not measured)"));
    /* The other levels convert their core too; the fit never does (it was fitted on the reference core). */
    assert_int_equal(table_generate(c, "pipeline-l1hit", 500, "t", t, NULL, 0, err, sizeof err), 0);
    assert_int_equal(t->pipeline.cls[PVM_CLASS_DIV].latency, 19);
    /* A class chain's error gates the table (above 25% and half a cycle), naming the chain; the
     * reference core does not take it. */
    char report[1024], worst[96];
    assert_int_equal(table_noisy_costs(c, "pipeline-l2hit", 500, 0.25, report, sizeof report, worst, sizeof worst), 0);
    find(c, "op.rem_s_64.lat.div0")->se = 4000;
    assert_int_equal(table_noisy_costs(c, "pipeline-l2hit", 500, 0.25, report, sizeof report, worst, sizeof worst), 1);
    assert_non_null(strstr(report, "class.div.latency 9400 ps +- 4000 ps (43%): repeat op.rem_s_64.lat.div0"));
    assert_int_equal(table_noisy_costs(c, "pipeline-reference-core", 500, 0.25, report, sizeof report, worst,
                                       sizeof worst), 0);
    find(c, "op.rem_s_64.lat.div0")->se = 94;
    find(c, "indirect.mispredict")->se = 2000; /* jump_ind's penalty */
    assert_int_equal(table_noisy_costs(c, "pipeline-l2hit", 500, 0.25, report, sizeof report, worst, sizeof worst), 1);
    assert_non_null(strstr(report, "class.jump_ind.latency 3000 ps +- 2000 ps (67%): repeat indirect.mispredict"));
    free(t), free(expected), free(again);
    release(c);
}

static void missing_measurement_is_named(void **unused)
{
    (void)unused;
    stored_calibration *c = synthetic(true);
    double ps[PVM_OP_COUNT];
    char err[256];
    assert_int_equal(table_op_ps(c, ps, err, sizeof err), 0); /* xor takes its group's (and/or) cost */
    release(c);
    c = synthetic(false);
    for (size_t i = 0; i < c->count; i++)
        if (strcmp(c->values[i].key, "op.mul_64.lat") == 0) c->values[i].ps = NAN;
    assert_int_equal(table_op_ps(c, ps, err, sizeof err), -1);
    assert_non_null(strstr(err, "mul_64"));
    release(c);
}

/* A cost whose standard error is above the threshold (and above half a gas) is named with the
 * measurement to repeat; a looser threshold accepts it. */
static void noisy_costs_are_named(void **unused)
{
    (void)unused;
    stored_calibration *c = synthetic(false);
    char report[1024], worst[96];
    assert_int_equal(table_noisy_costs(c, "table", 500, 0.25, report, sizeof report, worst, sizeof worst), 0);
    for (size_t i = 0; i < c->count; i++)
        if (strcmp(c->values[i].key, "op.div_u_64.lat") == 0) c->values[i].se = 900; /* 90% of 1000 ps */
        else if (strcmp(c->values[i].key, "op.mul_64.lat") == 0) c->values[i].se = 200; /* 20%: under 25% */
    assert_int_equal(table_noisy_costs(c, "table", 500, 0.25, report, sizeof report, worst, sizeof worst), 1);
    assert_non_null(strstr(report, "div_u_64 1000 ps +- 900 ps (90%): repeat op.div_u_64.lat"));
    assert_non_null(strstr(worst, "90% div_u_64"));
    assert_int_equal(table_noisy_costs(c, "table", 500, 1.0, report, sizeof report, worst, sizeof worst), 0);
    /* Below half a gas, an error cannot move the integer cost: not refused. */
    assert_int_equal(table_noisy_costs(c, "table", 2000, 0.25, report, sizeof report, worst, sizeof worst), 0);
    /* A pipeline table does not take div_u_64, but takes the mispredict penalty. */
    snprintf(c->vm_backend, sizeof c->vm_backend, "jit");
    assert_int_equal(table_noisy_costs(c, "pipeline-l2hit", 500, 0.25, report, sizeof report, worst, sizeof worst), 0);
    for (size_t i = 0; i < c->count; i++)
        if (strcmp(c->values[i].key, "branch.mispredict") == 0) c->values[i].se = 4000; /* 50% of 8000 ps */
    assert_int_equal(table_noisy_costs(c, "pipeline-l2hit", 500, 0.25, report, sizeof report, worst, sizeof worst), 1);
    assert_non_null(strstr(report, "branch.mispredict 8000 ps +- 4000 ps (50%): repeat branch.mispredict"));
    release(c);
}

/* Joint-fit costs (op.MNEMONIC.fit) win over the chain rules: no worst-case-chase or L2
 * floor below them (loads included), no added mispredict penalty; the declared unit wins
 * over the cheapest ALU op. */
static void joint_fit_costs_and_declared_unit(void **unused)
{
    (void)unused;
    stored_calibration *c = synthetic(false);
    add(c, "op.add_64.fit", 2000);
    char key[96];
    for (int op = 0; op < PVM_OP_INVALID; op++) /* branches are equalised: fit them all */
        if (pvm_op_is_branch((pvm_op)op)) {
            snprintf(key, sizeof key, "op.%s.fit", pvm_op_table[op].name);
            add(c, key, 1500);
        }
    add(c, "op.load_ind_u64.fit", 700);
    add(c, "unit.ps_per_gas", 250);
    add(c, "touch.first_page", 30000); /* 120 gas at 250 ps: 80 for the first load, 40 for the write */
    add(c, "op.memset.bytes", 256 * 750 + 2 * 1000); /* 750 ps per byte after two load_imm: 3 gas */
    double ps[PVM_OP_COUNT], se[PVM_OP_COUNT];
    const char *source[PVM_OP_COUNT];
    char err[256];
    assert_int_equal(table_op_errors(c, ps, se, source, err, sizeof err), 0);
    assert_float_equal(ps[PVM_OP_ADD_64], 2000, 0);
    assert_float_equal(ps[PVM_OP_BRANCH_EQ], 1500, 0);   /* no mispredict added to a fitted branch */
    assert_float_equal(ps[PVM_OP_LOAD_IND_U64], 700, 0);  /* a fitted load keeps its cost: no L2 floor */
    assert_float_equal(ps[PVM_OP_LOAD_U8], 50000, 0);      /* a chain-priced load: the worst chase */
    assert_float_equal(table_ps_per_gas(c, ps, 0), 250, 0);
    assert_float_equal(table_ps_per_gas(c, ps, 100), 100, 0);
    pvm_cost_table *t = calloc(1, sizeof *t);
    assert_int_equal(table_generate(c, "table", 250, "t", t, NULL, 0, err, sizeof err), 0);
    assert_int_equal(t->host.lazy_page_read, 80);
    assert_int_equal(t->host.lazy_page_write, 40);
    assert_int_equal(t->host.memset_byte, 3);
    /* Every op's standard error is in the table (1% of each value here), in thousandths of a
     * gas: add_64 2000 +- 20 ps = 80 milligas; the first touch's 300 ps as 2:1. */
    assert_true(t->se_known[PVM_OP_ADD_64]);
    assert_int_equal(t->se_milligas[PVM_OP_ADD_64], 80);
    assert_int_equal(t->se_milligas[PVM_OP_LOAD_IND_U64], 28);
    assert_true(t->se_known[PVM_OP_COUNT] && t->se_known[PVM_OP_COUNT + 1]);
    assert_int_equal(t->se_milligas[PVM_OP_COUNT], 800);
    assert_int_equal(t->se_milligas[PVM_OP_COUNT + 1], 400);
    free(t);
    release(c);
}

/* A calibration that measured its table's own unit on the training programs
 * (table.unit.ps_per_gas) scales every op's price by it over the declared unit: the declared
 * unit then holds on those programs. The host charges, priced in time, stay. */
static void table_prices_scaled_to_the_training_code(void **unused)
{
    (void)unused;
    stored_calibration *c = synthetic(false);
    add(c, "op.add_64.fit", 2000);
    add(c, "unit.ps_per_gas", 250);
    add(c, "touch.first_page", 30000);
    pvm_cost_table *plain = calloc(1, sizeof *plain), *scaled = calloc(1, sizeof *scaled);
    char err[256], mapping[256];
    assert_int_equal(table_generate(c, "table", 250, "t", plain, NULL, 0, err, sizeof err), 0);
    assert_float_equal(table_code_scale(c), 1, 0);
    add(c, "table.unit.ps_per_gas", 300);
    assert_float_equal(table_code_scale(c), 1.2, 1e-12);
    assert_int_equal(table_generate(c, "table", 250, "t", scaled, mapping, sizeof mapping, err, sizeof err), 0);
    assert_non_null(strstr(mapping, "x1.200"));
    assert_int_equal(plain->op_cost[PVM_OP_ADD_64], 8);
    assert_int_equal(scaled->op_cost[PVM_OP_ADD_64], 10); /* 2000 x 1.2 / 250 */
    assert_int_equal(scaled->se_milligas[PVM_OP_ADD_64], 96);
    assert_int_equal(scaled->host.lazy_page_read, plain->host.lazy_page_read);
    for (int op = 0; op < PVM_OP_COUNT; op++) assert_true(scaled->op_cost[op] >= plain->op_cost[op]);
    free(plain);
    free(scaled);
    release(c);
}

/* The lazy-page charges come from the lazy first-touch series (touch.lazy_read and
 * touch.lazy_write, each rounded to gas; a 0 write is 1 gas), ahead of an older
 * calibration's eager touch.first_page; a noisy one is named with what to repeat. Without
 * the per-kind values (an older calibration) the kinds take the joined meaning; with them,
 * each kind its own, with its error. */
static void lazy_page_charges_from_the_touch_series(void **unused)
{
    (void)unused;
    stored_calibration *c = synthetic(false);
    add(c, "unit.ps_per_gas", 250);
    add(c, "touch.first_page", 30000);
    stored_value *read = add(c, "touch.lazy_read", 45000000); /* 180000 gas */
    add(c, "touch.lazy_write", 28000000);                      /* 112000 gas */
    pvm_cost_table *t = calloc(1, sizeof *t);
    char err[256], report[512], worst[96];
    assert_int_equal(table_generate(c, "table", 250, "t", t, NULL, 0, err, sizeof err), 0);
    assert_int_equal(t->host.lazy_page_read, 180000);
    assert_int_equal(t->host.lazy_page_write, 112000);
    assert_int_equal(table_noisy_costs(c, "table", 250, 0.25, report, sizeof report, worst, sizeof worst), 0);
    read->se = 0.5 * read->ps;
    assert_int_equal(table_noisy_costs(c, "table", 250, 0.25, report, sizeof report, worst, sizeof worst), 1);
    assert_non_null(strstr(report, "touch.lazy_read 45000000 ps +- 22500000 ps (50%): repeat the touch.* programs"));
    for (size_t i = 0; i < c->count; i++)
        if (strcmp(c->values[i].key, "touch.lazy_write") == 0) c->values[i].ps = 0;
    assert_int_equal(table_generate(c, "table", 250, "t", t, NULL, 0, err, sizeof err), 0);
    assert_int_equal(t->host.lazy_page_write, 1);
    assert_int_equal(t->host.lazy_page_read_image, 180000);
    assert_int_equal(t->host.lazy_page_write_first, 180001);
    assert_false(t->se_known[PVM_OP_COUNT + 4]);
    add(c, "touch.lazy_read_image", 50000000);  /* 200000 gas */
    add(c, "touch.lazy_write_first", 26000000); /* 104000 gas */
    assert_int_equal(table_generate(c, "table", 250, "t", t, NULL, 0, err, sizeof err), 0);
    assert_int_equal(t->host.lazy_page_read, 180000);
    assert_int_equal(t->host.lazy_page_read_image, 200000);
    assert_int_equal(t->host.lazy_page_write_first, 104000);
    for (int k = 0; k < 5; k++)
        if (k != 2) assert_true(t->se_known[PVM_OP_COUNT + k]); /* 2: memset, no series here */
    assert_int_equal(t->se_milligas[PVM_OP_COUNT + 3], 2000000); /* 1% of 200000 gas */
    free(t);
    release(c);
}

/* chase.hop: one dependent load at the L2 plateau (mem.l2) in the table's unit, less what the
 * model already charges the load (the cheapest load op; the pipeline's latency.l2), with
 * mem.l2's error; none without an L2 plateau, and the mapping says so. The table file then
 * carries it (format 5) and reads back the same. */
static void chase_hop_from_the_l2_plateau(void **unused)
{
    (void)unused;
    stored_calibration *c = synthetic(false);
    pvm_cost_table *t = calloc(1, sizeof *t), back;
    char err[256], mapping[512], key[96];
    /* without a joint fit every load is priced at the worst plateau (DRAM): nothing to add */
    assert_int_equal(table_generate(c, "table", 500, "t", t, mapping, sizeof mapping, err, sizeof err), 0);
    assert_int_equal(t->op_cost[PVM_OP_LOAD_IND_U64], 100); /* mem.dram 50000 ps */
    assert_int_equal(t->host.chase_hop, 0);
    assert_non_null(strstr(mapping, "chase.hop 0 (mem.l2 5000 ps = 10 gas, less the load's 100)"));
    /* loads in realistic code (the joint fit) at 1000 ps, the cheapest 600 */
    for (int op = 0; op < PVM_OP_INVALID; op++)
        if (pvm_op_mem_access((pvm_op)op).width && !pvm_op_mem_access((pvm_op)op).is_store) {
            snprintf(key, sizeof key, "op.%s.fit", pvm_op_table[op].name);
            add(c, key, op == PVM_OP_LOAD_U8 ? 600 : 1000);
        }
    assert_int_equal(table_generate(c, "table", 500, "t", t, mapping, sizeof mapping, err, sizeof err), 0);
    assert_int_equal(t->op_cost[PVM_OP_LOAD_IND_U64], 2); /* 1000 ps */
    assert_int_equal(t->op_cost[PVM_OP_LOAD_U8], 1);
    assert_int_equal(t->host.chase_hop, 9);               /* 5000 ps = 10 gas, less the cheapest load's 1 */
    assert_true(t->se_known[PVM_OP_COUNT + 5]);
    assert_int_equal(t->se_milligas[PVM_OP_COUNT + 5], 100); /* 1% of 5000 ps at 500 ps per gas */
    assert_non_null(strstr(mapping, "chase.hop 9 (mem.l2 5000 ps = 10 gas, less the load's 1)"));
    size_t len;
    char *text = pvm_cost_table_format(t, &len);
    assert_non_null(text);
    assert_true(strncmp(text, "pvmlab-cost-table 5\n", 20) == 0);
    pvm_error perr = {{0}};
    assert_int_equal(pvm_cost_table_parse("chase.table", text, len, &back, &perr), PVM_OK);
    assert_int_equal(back.host.chase_hop, 9);
    free(text);
    /* the pipeline (recompiler calibration, 1 cycle = add_64's 500 ps): latency.l2 10 cycles;
     * at 250 ps per gas the plateau is 20 gas */
    snprintf(c->vm_backend, sizeof c->vm_backend, "jit");
    assert_int_equal(table_generate_as(c, "pipeline-l2hit", 250, "reference-core", "t", t, mapping, sizeof mapping,
                                       err, sizeof err), 0);
    assert_int_equal(t->pipeline.cache_latency[1], 10);
    assert_int_equal(t->host.chase_hop, 10);
    /* no L2 plateau: no charge (the key stays out of the file) */
    for (size_t i = 0; i < c->count; i++)
        if (strcmp(c->values[i].key, "mem.l2") == 0) c->values[i].ps = NAN;
    assert_int_equal(table_generate(c, "table", 500, "t", t, mapping, sizeof mapping, err, sizeof err), 0);
    assert_int_equal(t->host.chase_hop, 0);
    assert_false(t->se_known[PVM_OP_COUNT + 5]);
    assert_non_null(strstr(mapping, "no chase.hop (no L2 plateau)"));
    free(t);
    release(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_costs_follow_the_rules),
        cmocka_unit_test(pipeline_latencies_replace_the_reference),
        cmocka_unit_test(measured_class_latencies_replace_the_reference),
        cmocka_unit_test(fitted_pipeline_parameters_are_taken),
        cmocka_unit_test(missing_measurement_is_named),
        cmocka_unit_test(noisy_costs_are_named),
        cmocka_unit_test(joint_fit_costs_and_declared_unit),
        cmocka_unit_test(table_prices_scaled_to_the_training_code),
        cmocka_unit_test(lazy_page_charges_from_the_touch_series),
        cmocka_unit_test(chase_hop_from_the_l2_plateau),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
