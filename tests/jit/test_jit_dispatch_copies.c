/* Dispatch copies (vm/jit/dispatch_copies.c) against the interpreter: a switch-dispatched
 * bytecode loop whose four handlers each end in `jump` to the dispatch chain (load the
 * opcode, a bounds branch, scale it, jump_ind). The recompiler copies the chain into each
 * handler: the module has four copies, none with PVMLAB_JIT_NO_DISPATCH_COPIES=1. The runs
 * must end as the interpreter's do (exit, pc, gas, registers, fault address): to the end of
 * the bytecode; out of gas at every gas value from 0 up, in sync and async gas (so at the
 * copies' entry checks too); and a page fault at the opcode load inside a copy (the
 * bytecode runs off its page). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "fused_compare.h"
#include "vm/jit/jit.h"
#include "vm/state/vm_state.h"

enum { PC_REG = 8, OP_REG = 9, ACC = 11, CODE_PAGE = 0x20000, PAGE = 4096 };

/* The loop; the opcode bytes are the host's (bytecode below). */
static pvm_module *dispatch_program(pvm_engine *e)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST64);
    pvm_label dispatch = pvm_builder_label(b), done = pvm_builder_label(b), handler[4];
    for (int k = 0; k < 4; k++) handler[k] = pvm_builder_label(b);
    pvm_builder_bind(b, dispatch);
    pvm_emit_reg_reg_imm(b, PVM_OP_LOAD_IND_U8, OP_REG, PC_REG, 0);
    pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_GE_U_IMM, OP_REG, 4, done);
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, OP_REG, OP_REG, 1); /* the jump table's address 2 (k + 1) */
    pvm_emit_reg3(b, PVM_OP_ADD_64, OP_REG, OP_REG, OP_REG);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, OP_REG, 0);
    for (int k = 0; k < 4; k++) {
        pvm_builder_bind(b, handler[k]);
        if (k == 0) pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, ACC, ACC, 3);
        if (k == 1) pvm_emit_reg3(b, PVM_OP_XOR, ACC, ACC, PC_REG);
        if (k == 2) pvm_emit_reg_reg_imm(b, PVM_OP_SHLO_L_IMM_64, ACC, ACC, 1);
        pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, PC_REG, PC_REG, 1);
        pvm_emit_jump(b, PVM_OP_JUMP, dispatch);
        assert_int_equal(pvm_builder_jump_table_add(b, handler[k]), 2 * (k + 1));
    }
    pvm_builder_bind(b, done);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, PVM_REG_RA, 0);
    return finish(e, b);
}

/* A run from pc 0 with `gas` and n opcode bytes at the end of the bytecode page (n > 60: the
 * last ones past it, where the opcode load faults), the last one 4 (done) when n <= 60. */
static outcome run_bytecode(pvm_module *m, int64_t gas, unsigned n, uint32_t *fault_address)
{
    pvm_instance *in = NULL;
    assert_int_equal(pvm_instance_new(m, &in, NULL), PVM_OK);
    assert_int_equal(pvm_instance_map(in, CODE_PAGE, PAGE, PVM_ACCESS_WRITE, NULL), PVM_OK);
    uint8_t code[64];
    for (unsigned i = 0; i < sizeof code; i++) code[i] = (uint8_t)((i * 7 + i / 3) % 4);
    if (n <= 60) code[n - 1] = 4;
    unsigned on_page = n < sizeof code ? n : sizeof code, start = CODE_PAGE + PAGE - (n <= 60 ? n : 60);
    assert_int_equal(pvm_instance_write(in, start, code, n <= 60 ? on_page : 60, NULL), PVM_OK);
    assert_int_equal(pvm_instance_set_pc(in, 0, NULL), PVM_OK);
    assert_int_equal(pvm_instance_set_reg(in, PC_REG, start, NULL), PVM_OK);
    assert_int_equal(pvm_instance_set_reg(in, ACC, 5, NULL), PVM_OK);
    assert_int_equal(pvm_instance_set_reg(in, PVM_REG_RA, PVM_ADDR_HALT, NULL), PVM_OK);
    pvm_result res;
    pvm_instance_set_gas(in, gas);
    assert_int_equal(pvm_instance_run(in, &res, NULL), PVM_OK);
    outcome o = {res.kind, res.pc, pvm_instance_gas(in), {0}};
    for (unsigned r = 0; r < PVM_REG_COUNT; r++) o.regs[r] = pvm_instance_reg(in, r);
    *fault_address = res.kind == PVM_EXIT_PAGE_FAULT ? res.fault_address : 0;
    pvm_instance_free(in);
    return o;
}

static uint32_t copies_of(const pvm_module *m) { return ((const jit_module *)m->jit)->n_copies; }

static void compare(int64_t gas, unsigned n, pvm_module *mi, pvm_module *mj)
{
    uint32_t fi, fj;
    outcome want = run_bytecode(mi, gas, n, &fi), got = run_bytecode(mj, gas, n, &fj);
    assert_same_outcome(&got, &want);
    assert_int_equal(fj, fi);
}

static void test_copies_made_and_runs_alike(void **state)
{
    (void)state;
    for (int mode = PVM_GAS_NONE; mode <= PVM_GAS_ASYNC; mode++) {
        pvm_engine *ei = pair_engine(0, (pvm_gas_mode)mode), *ej = pair_engine(1, (pvm_gas_mode)mode);
        pvm_module *mi = dispatch_program(ei), *mj = dispatch_program(ej);
        /* the four jumps to the dispatch chain; without gas no self-loop is unrolled */
        if (mode == PVM_GAS_NONE) assert_int_equal(copies_of(mj), 4);
        else assert_true(copies_of(mj) >= 4);
        uint32_t f;
        outcome end = run_bytecode(mj, 1000000, 40, &f);
        assert_int_equal(end.kind, PVM_EXIT_HALT);
        outcome off = run_bytecode(mj, 1000000, 64, &f);
        assert_int_equal(off.kind, PVM_EXIT_PAGE_FAULT);
        assert_int_equal(f, CODE_PAGE + PAGE);
        compare(1000000, 40, mi, mj); /* to the end of the bytecode */
        compare(1000000, 64, mi, mj); /* off the page: a fault in a copy */
        if (mode != PVM_GAS_NONE)
            for (int64_t gas = 0; gas < 400; gas++) compare(gas, 40, mi, mj); /* out of gas anywhere */
        pvm_module_release(mi);
        pvm_module_release(mj);
        pvm_engine_free(ei);
        pvm_engine_free(ej);
    }
}

static void test_switch_off(void **state)
{
    (void)state;
    setenv("PVMLAB_JIT_NO_DISPATCH_COPIES", "1", 1);
    pvm_engine *ei = pair_engine(0, PVM_GAS_NONE), *ej = pair_engine(1, PVM_GAS_NONE);
    pvm_module *mi = dispatch_program(ei), *mj = dispatch_program(ej);
    assert_int_equal(copies_of(mj), 0);
    compare(1000000, 40, mi, mj);
    pvm_module_release(mi);
    pvm_module_release(mj);
    pvm_engine_free(ei);
    pvm_engine_free(ej);
    unsetenv("PVMLAB_JIT_NO_DISPATCH_COPIES");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_copies_made_and_runs_alike),
        cmocka_unit_test(test_switch_off),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
