/* Every division and remainder chain keeps a live, full-width value: a chain whose value
 * collapses (rem by 1 leaves 0 after one step) would time the divider on tiny operands and
 * flatter the machine. Runs each latency chain on the interpreter and checks the value that
 * enters the next step. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "vm/isa/isa.h"
#include "costmodel/calibrate/measure.h"
#include "costmodel/microbench/microbench.h"

enum { R_ACC = 8 }; /* a1: the chain's accumulator (op_chain.c) */

/* The accumulator after running chain s to its halt on engine e. */
static uint64_t chain_value(pvm_engine *e, const mb_spec *s)
{
    mb_program p;
    char err[256];
    if (mb_build(s, &p, err, sizeof err) != 0) fail_msg("%s", err);
    pvm_module *m;
    pvm_instance *in;
    if (instantiate_program(e, &p, &m, &in, err, sizeof err) != 0) fail_msg("%s: %s", s->name, err);
    uint64_t args[2];
    size_t nargs = mb_call_args(s, 0, args);
    pvm_error perr = {{0}};
    assert_int_equal(pvm_instance_prepare_call(in, "main", 0, args, nargs, &perr), PVM_OK);
    pvm_result res;
    if (run_to_exit(in, &res, err, sizeof err) != 0) fail_msg("%s: %s", s->name, err);
    assert_int_equal(res.kind, PVM_EXIT_HALT);
    uint64_t acc = pvm_instance_reg(in, R_ACC);
    pvm_instance_free(in);
    pvm_module_release(m);
    mb_program_free(&p);
    return acc;
}

/* Wide: at least 2^20 in the op's width, as a magnitude for the signed ops. */
static bool value_is_wide(int op, uint64_t v)
{
    bool is32 = pvm_op_is_32bit((pvm_op)op);
    bool is_signed = pvm_op_is_signed((pvm_op)op);
    int64_t s = is32 ? (int64_t)(int32_t)(uint32_t)v : (int64_t)v;
    uint64_t u = is32 ? (uint32_t)v : v;
    uint64_t magnitude = is_signed ? (s < 0 ? (uint64_t)0 - (uint64_t)s : (uint64_t)s) : u;
    return magnitude >= (1u << 20);
}

static void the_checker_catches_a_collapse(void **unused)
{
    (void)unused;
    assert_false(value_is_wide(PVM_OP_REM_U_64, 0));
    assert_false(value_is_wide(PVM_OP_REM_S_32, 0xFFFFFFFFu)); /* -1 */
    assert_true(value_is_wide(PVM_OP_REM_S_64, MB_REM_INFLATE + 2));
    assert_true(value_is_wide(PVM_OP_REM_S_32, MB_REM_INFLATE + 2));
}

static void division_chains_stay_wide(void **unused)
{
    (void)unused;
    pvm_engine_config c = {.backend = PVM_BACKEND_INTERP, .gas_mode = PVM_GAS_NONE};
    pvm_engine *e = NULL;
    pvm_error perr = {{0}};
    assert_int_equal(pvm_engine_new(&c, &e, &perr), PVM_OK);
    int checked = 0;
    for (int op = 0; op < PVM_OP_INVALID; op++) {
        if (!mb_op_measurable(op) || !mb_op_is_division(op)) continue;
        for (uint32_t units = 1; units <= 8; units *= 8) {
            mb_spec s = {.family = MB_OP_CHAIN, .op = op, .shape = MB_LATENCY, .units = units, .trips = 3};
            snprintf(s.name, sizeof s.name, "op.%s.lat.L%u", pvm_op_table[op].name, units);
            uint64_t acc = chain_value(e, &s);
            if (!value_is_wide(op, acc))
                fail_msg("%s: the chain's value collapsed to %#llx after %u steps", s.name, (unsigned long long)acc,
                         3 * units);
            checked++;
        }
    }
    assert_true(checked >= 8); /* div/rem, signed/unsigned, 32/64 at least in Latest64 */
    pvm_engine_free(e);
}

/* The value each trailing-zero count step reads: never 0 (the recompiler would count it on a
 * predicted branch instead of waiting for it), after each of the first 8 steps (without the
 * re-widening xor the second step already counts 0: 0xF1E2D3C4B5A69788 -> 3 -> 0 -> 64 -> 6 ...). */
static void counting_chains_never_count_zero(void **unused)
{
    (void)unused;
    pvm_engine_config c = {.backend = PVM_BACKEND_INTERP, .gas_mode = PVM_GAS_NONE};
    pvm_engine *e = NULL;
    pvm_error perr = {{0}};
    assert_int_equal(pvm_engine_new(&c, &e, &perr), PVM_OK);
    int checked = 0;
    for (int op = 0; op < PVM_OP_INVALID; op++) {
        if (!mb_op_measurable(op) || pvm_op_table[op].pipeline_class != PVM_CLASS_BITS_2C) continue;
        for (uint32_t trips = 1; trips <= 8; trips++) {
            mb_spec s = {.family = MB_OP_CHAIN, .op = op, .shape = MB_LATENCY, .units = 1, .trips = trips};
            snprintf(s.name, sizeof s.name, "op.%s.lat.L1", pvm_op_table[op].name);
            assert_int_equal(mb_chain_extra_op(&s), PVM_OP_XOR);
            uint64_t acc = chain_value(e, &s);
            if (pvm_op_is_32bit((pvm_op)op) ? (uint32_t)acc == 0 : acc == 0)
                fail_msg("%s: the chain counts a zero after %u steps", s.name, trips);
            checked++;
        }
    }
    assert_int_equal(checked, 16); /* trailing_zero_bits_32 and _64, 1..8 steps */
    pvm_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_checker_catches_a_collapse),
        cmocka_unit_test(division_chains_stay_wide),
        cmocka_unit_test(counting_chains_never_count_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
