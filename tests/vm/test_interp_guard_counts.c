/* What a guest memory fault leaves in the guarded interpreter loops: they keep gas and the
 * instruction and block counts in registers (vm/interp/interp.c, LOOP_COUNTS_IN_REGS), and
 * the fault handler reads them from the signal context (interp_guard.c). A loop of 37
 * iterations with a load and a store in each, then a load from an inaccessible address:
 * in every gas mode the guarded run (the default) ends as the checked run (the engine's
 * bounds checks on) does: the same exit, pc, gas, registers, instructions and blocks, and
 * those are the program's (39 blocks, 152 instructions up to the faulting load). The
 * loops with gas also keep the gas spent in the instruction count's upper half
 * (interp_loop.inc, ICOUNT_HAS_GAS): a memset (gas per byte) before the loop, and a run
 * that goes out of gas at a block entry inside the loop, end as the checked run does too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "vm/isa/isa.h"
#include "pvm/builder.h"
#include "pvm/pvm.h"
#include "test_util.h"

#define BAD_ADDRESS 0x1000 /* below the first 64 KiB: never accessible */
#define ROUNDS 37

/* r0 = BAD_ADDRESS, r2 = 0, fallthrough; loop: r2 += 1, [sp-8] = r2, r3 = [sp-8], until r2 == ROUNDS;
 * then r4 = [r0 + 8] (faults), trap. With the first access out of the loop the faults
 * would not follow block entries the loop counted. */
static void emit_body(pvm_builder *b)
{
    pvm_emit_reg_imm64(b, PVM_OP_LOAD_IMM_64, 0, BAD_ADDRESS);
    pvm_emit_reg_imm64(b, PVM_OP_LOAD_IMM_64, 2, 0);
    pvm_emit_none(b, PVM_OP_FALLTHROUGH); /* (a branch target starts a block: after a terminator) */
    pvm_label loop = pvm_builder_label(b);
    pvm_builder_bind(b, loop);
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, 2, 2, 1);
    pvm_emit_reg_reg_imm(b, PVM_OP_STORE_IND_U64, 2, 1, -8);
    pvm_emit_reg_reg_imm(b, PVM_OP_LOAD_IND_U64, 3, 1, -8);
    pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_NE_IMM, 2, ROUNDS, loop);
    pvm_emit_reg_reg_imm(b, PVM_OP_LOAD_IND_U64, 4, 0, 8);
    pvm_emit_none(b, PVM_OP_TRAP);
}

static uint8_t *build(size_t *len)
{
    pvm_builder *b = test_gp_builder();
    emit_body(b);
    return test_gp_finish(b, len);
}

#define MEMSET_BYTES 100
/* As build, after memset of MEMSET_BYTES bytes below the stack pointer (three load_imm
 * and the memset: a .polkavm program, as gp07 has no memset). */
static uint8_t *build_memset(size_t *len)
{
    pvm_builder *b = test_polkavm_builder(PVM_ISA_LATEST64);
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, 7, 1, -512);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, 8, 0x5a);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, 9, MEMSET_BYTES);
    pvm_emit_none(b, PVM_OP_MEMSET);
    emit_body(b);
    return test_polkavm_finish(b, len);
}

typedef struct {
    pvm_exit_kind kind;
    uint32_t pc;
    int64_t gas;
    uint64_t regs[PVM_REG_COUNT];
    pvm_stats stats;
} outcome;

static outcome run_with(const uint8_t *blob, size_t len, pvm_gas_mode mode, bool checked, bool polkavm, int64_t gas)
{
    pvm_error err;
    pvm_engine *e;
    pvm_module *m;
    pvm_instance *in;
    pvm_engine_config cfg = {PVM_BACKEND_INTERP, mode, NULL};
    assert_int_equal(pvm_engine_new(&cfg, &e, &err), PVM_OK);
    pvm_engine_set_interp_bounds_checks(e, checked);
    pvm_module_config mc = {.format = PVM_FORMAT_GP_STANDARD, .isa = PVM_ISA_GP07, .page_size = 4096};
    assert_int_equal(pvm_module_compile(e, blob, len, polkavm ? NULL : &mc, NULL, &m, &err), PVM_OK);
    assert_int_equal(pvm_instance_new(m, &in, &err), PVM_OK);
    if (polkavm) assert_int_equal(pvm_instance_prepare_call(in, "main", 0, NULL, 0, &err), PVM_OK);
    pvm_instance_set_gas(in, gas);
    pvm_result res;
    assert_int_equal(pvm_instance_run(in, &res, &err), PVM_OK);
    outcome o = {.kind = res.kind, .pc = res.pc, .gas = pvm_instance_gas(in), .stats = pvm_instance_stats(in)};
    for (unsigned r = 0; r < PVM_REG_COUNT; r++) o.regs[r] = pvm_instance_reg(in, r);
    pvm_instance_free(in);
    pvm_module_release(m);
    pvm_engine_free(e);
    return o;
}

static outcome run(const uint8_t *blob, size_t len, pvm_gas_mode mode, bool checked)
{
    return run_with(blob, len, mode, checked, false, 100000);
}

static void expect_same(outcome got, outcome want)
{
    assert_int_equal(got.kind, want.kind);
    assert_int_equal(got.pc, want.pc);
    assert_int_equal(got.gas, want.gas);
    assert_int_equal(got.stats.instructions, want.stats.instructions);
    assert_int_equal(got.stats.blocks, want.stats.blocks);
    for (unsigned r = 0; r < PVM_REG_COUNT; r++) assert_int_equal(got.regs[r], want.regs[r]);
}

static void test_a_fault_leaves_the_counts_and_gas_of_the_checked_loop(void **state)
{
    (void)state;
    size_t len;
    uint8_t *blob = build(&len);
    for (int mode = 0; mode < 3; mode++) {
        outcome want = run(blob, len, (pvm_gas_mode)mode, true);
        outcome got = run(blob, len, (pvm_gas_mode)mode, false);
        assert_int_equal(want.kind, PVM_EXIT_PANIC);
        assert_true(want.stats.counted);
        /* two load_imm_64 and the fallthrough; 37 rounds of four; the faulting load (counted,
         * as the loops count an exit's instruction) */
        assert_int_equal(want.stats.instructions, 3 + 4 * ROUNDS + 1);
        assert_int_equal(want.stats.blocks, 1 + ROUNDS + 1);
        assert_int_equal(got.kind, want.kind);
        assert_int_equal(got.pc, want.pc);
        assert_int_equal(got.gas, want.gas);
        if (mode != PVM_GAS_NONE) assert_true(got.gas < 100000);
        assert_int_equal(got.stats.instructions, want.stats.instructions);
        assert_int_equal(got.stats.blocks, want.stats.blocks);
        for (unsigned r = 0; r < PVM_REG_COUNT; r++) assert_int_equal(got.regs[r], want.regs[r]);
        assert_int_equal(got.regs[2], ROUNDS);
    }
    free(blob);
}

static void test_a_memset_before_the_fault_counts_as_in_the_checked_loop(void **state)
{
    (void)state;
    size_t len;
    uint8_t *blob = build_memset(&len);
    for (int mode = 0; mode < 3; mode++) {
        outcome want = run_with(blob, len, (pvm_gas_mode)mode, true, true, 100000);
        outcome got = run_with(blob, len, (pvm_gas_mode)mode, false, true, 100000);
        assert_int_equal(want.kind, PVM_EXIT_PANIC);
        assert_int_equal(want.stats.instructions, 4 + 3 + 4 * ROUNDS + 1);
        if (mode != PVM_GAS_NONE) assert_true(100000 - want.gas > MEMSET_BYTES); /* (memset's gas included) */
        expect_same(got, want);
    }
    free(blob);
}

/* Out of gas at a block entry inside the loop, with and without the memset first. */
static void test_out_of_gas_in_the_loop_counts_as_in_the_checked_loop(void **state)
{
    (void)state;
    for (int with_memset = 0; with_memset < 2; with_memset++) {
        size_t len;
        uint8_t *blob = with_memset ? build_memset(&len) : build(&len);
        for (int mode = PVM_GAS_SYNC; mode <= PVM_GAS_ASYNC; mode++) {
            outcome full = run_with(blob, len, (pvm_gas_mode)mode, true, with_memset, 100000);
            int64_t half = 100000 - full.gas - 60; /* 60 short: stops about halfway through the loop */
            outcome want = run_with(blob, len, (pvm_gas_mode)mode, true, with_memset, half);
            outcome got = run_with(blob, len, (pvm_gas_mode)mode, false, with_memset, half);
            assert_int_equal(want.kind, PVM_EXIT_OUT_OF_GAS);
            assert_true(want.regs[2] > 5 && want.regs[2] < ROUNDS);
            expect_same(got, want);
        }
        free(blob);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_fault_leaves_the_counts_and_gas_of_the_checked_loop),
        cmocka_unit_test(test_a_memset_before_the_fault_counts_as_in_the_checked_loop),
        cmocka_unit_test(test_out_of_gas_in_the_loop_counts_as_in_the_checked_loop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
