/* Strided element loops (emit_strided_loop in vm/jit/emit_ops.c) against the interpreter:
 * rv64's `for (i = ...; i < n; i += step) a[(uint32_t)i] = v` as a block that jumps to
 * itself, whose index's low half the recompiler carries in ecx round the loop (its sign
 * extension off the loop's chain) and whose x and t it computes only where the loop is left.
 * The runs must end as the interpreter's do (exit, pc, gas, registers, memory, fault
 * address): to the end; with a page fault at the access in a later iteration and in the
 * first (the recompiler's index is the one before the add there, the interpreter redoes the
 * group and reports what it reports); with the index crossing 2^31, where its sign extension
 * decides the unsigned compare; with add_imm_32 and a compare with an immediate; with a load
 * instead of the store; not with a store of the index itself (the add comes first); with x
 * and t in two registers and live after the loop (computed on the way out); with sync and
 * async gas running out at every instruction of every iteration (the branch back's check:
 * x and t computed before the block's entry stops the run). The loop is taken (one per
 * module) with and without gas, and not with PVMLAB_JIT_NO_STRIDED_LOOPS=1 (still agreeing). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fused_compare.h"
#include "vm/jit/jit.h"
#include "vm/state/vm_state.h"

enum { X = 10, Y = 9, BASE = 6, STEP = 8, BOUND = 5, VALUE = 7, LOADED = 11, T_APART = 12, PAGE = 4096 };

typedef enum { STORE_STEP_REG, IMM_STEP_LOAD, STORE_INDEX, STORE_T_APART } shape;

/* The loop, then x (and t) overwritten (dead on the way out) and a return to the host; with
 * x_live_after the return comes straight after the loop (the host sees x and t). STORE_T_APART:
 * `add_64 t, x, b` with t in its own register, x the index scaled by 4. */
static pvm_module *loop_program_with(pvm_engine *e, shape sh, bool x_live_after)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST64);
    unsigned t = sh == STORE_T_APART ? T_APART : X;
    pvm_label loop = pvm_builder_label(b);
    pvm_builder_bind(b, loop);
    pvm_emit_reg_reg_imm(b, PVM_OP_SHLO_L_IMM_64, X, Y, 32);
    pvm_emit_reg_reg_imm(b, PVM_OP_SHLO_R_IMM_64, X, X, sh == STORE_T_APART ? 30 : 32);
    pvm_emit_reg3(b, PVM_OP_ADD_64, t, X, BASE);
    if (sh != IMM_STEP_LOAD) { /* STORE_INDEX: a[i] = i + step, the index after the add */
        pvm_emit_reg3(b, PVM_OP_ADD_32, Y, Y, STEP);
        pvm_emit_reg_reg_imm(b, PVM_OP_STORE_IND_U8, sh == STORE_INDEX ? Y : VALUE, t, 1);
        pvm_emit_reg_reg_jump(b, PVM_OP_BRANCH_LT_U, Y, BOUND, loop);
    } else {
        pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_32, Y, Y, 3);
        pvm_emit_reg_reg_imm(b, PVM_OP_LOAD_IND_U8, LOADED, X, 0);
        pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_NE_IMM, Y, 300, loop);
    }
    if (!x_live_after) {
        pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, X, 0);
        if (t != X) pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, t, 0);
    }
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, PVM_REG_RA, 0);
    return finish(e, b);
}

static pvm_module *loop_program(pvm_engine *e, shape sh) { return loop_program_with(e, sh, false); }

static uint32_t strided_of(const pvm_module *m) { return m->jit ? ((const jit_module *)m->jit)->n_strided : 0; }

/* A run with the index from y0, step and bound, the array at base with `mapped` bytes
 * mapped from map_at (page aligned); the outcome, the fault address and a checksum of the
 * mapped bytes. */
typedef struct {
    outcome o;
    uint32_t fault;
    uint64_t memory;
} result;

static result run_loop_gas(pvm_module *m, uint64_t y0, uint64_t step, uint64_t bound, uint32_t base, uint32_t map_at,
                           uint32_t mapped, int64_t gas)
{
    pvm_instance *in = NULL;
    assert_int_equal(pvm_instance_new(m, &in, NULL), PVM_OK);
    assert_int_equal(pvm_instance_map(in, map_at, mapped, PVM_ACCESS_WRITE, NULL), PVM_OK);
    uint8_t *fill = malloc(mapped);
    for (uint32_t i = 0; i < mapped; i++) fill[i] = (uint8_t)(i * 13 + 5);
    assert_int_equal(pvm_instance_write(in, map_at, fill, mapped, NULL), PVM_OK);
    assert_int_equal(pvm_instance_set_pc(in, 0, NULL), PVM_OK);
    /* x starts at a mapped address: the loop never writes it in the recompiler's code, and a
     * fault handler that took the access's address from it would find the page mapped */
    const uint64_t regs[][2] = {{Y, y0},     {STEP, step},      {BOUND, bound},             {BASE, base}, {VALUE, 0xAB},
                                {X, map_at}, {T_APART, map_at}, {PVM_REG_RA, PVM_ADDR_HALT}};
    for (size_t k = 0; k < sizeof regs / sizeof regs[0]; k++)
        assert_int_equal(pvm_instance_set_reg(in, (unsigned)regs[k][0], regs[k][1], NULL), PVM_OK);
    pvm_result res;
    pvm_instance_set_gas(in, gas);
    assert_int_equal(pvm_instance_run(in, &res, NULL), PVM_OK);
    result r = {{res.kind, res.pc, pvm_instance_gas(in), {0}}, res.kind == PVM_EXIT_PAGE_FAULT ? res.fault_address : 0, 0};
    for (unsigned k = 0; k < PVM_REG_COUNT; k++) r.o.regs[k] = pvm_instance_reg(in, k);
    assert_int_equal(pvm_instance_read(in, map_at, fill, mapped, NULL), PVM_OK);
    for (uint32_t i = 0; i < mapped; i++) r.memory = r.memory * 1099511628211u + fill[i];
    free(fill);
    pvm_instance_free(in);
    return r;
}

static result run_loop(pvm_module *m, uint64_t y0, uint64_t step, uint64_t bound, uint32_t base, uint32_t map_at,
                       uint32_t mapped)
{
    return run_loop_gas(m, y0, step, bound, base, map_at, mapped, 1 << 30);
}

/* Both engines in gas mode `mode` on one shape; the recompiler's module took the loop
 * (`taken` of them). */
static void compare(pvm_gas_mode mode, shape sh, uint32_t taken, uint64_t y0, uint64_t step, uint64_t bound,
                    uint32_t base, uint32_t map_at, uint32_t mapped, pvm_exit_kind want_kind)
{
    pvm_engine *ei = pair_engine(0, mode), *ej = pair_engine(1, mode);
    pvm_module *mi = loop_program(ei, sh), *mj = loop_program(ej, sh);
    /* the loop needs the GS window (gs_base.c); where the host has none it is never taken */
    bool gs = ((const jit_module *)mj->jit)->gs_mem;
    if (!gs && taken) print_message("no GS window here: the strided loop is not taken; the runs are still compared\n");
    assert_int_equal(strided_of(mj), gs ? taken : 0);
    result want = run_loop(mi, y0, step, bound, base, map_at, mapped);
    result got = run_loop(mj, y0, step, bound, base, map_at, mapped);
    assert_int_equal(want.o.kind, want_kind);
    assert_same_outcome(&got.o, &want.o);
    assert_int_equal(got.fault, want.fault);
    assert_int_equal(got.memory, want.memory);
    pvm_module_release(mi);
    pvm_module_release(mj);
    pvm_engine_free(ei);
    pvm_engine_free(ej);
}

enum { ARRAY = 0x20000 };

static void runs_to_the_end(void **state)
{
    (void)state;
    compare(PVM_GAS_NONE, STORE_STEP_REG, 1, 0, 3, 4000, ARRAY, ARRAY, 2 * PAGE, PVM_EXIT_HALT);
    compare(PVM_GAS_NONE, IMM_STEP_LOAD, 1, 0, 0, 0, ARRAY, ARRAY, PAGE, PVM_EXIT_HALT);
    /* the stored value is the index the add wrote: the access cannot go before the add */
    compare(PVM_GAS_NONE, STORE_INDEX, 0, 0, 3, 4000, ARRAY, ARRAY, 2 * PAGE, PVM_EXIT_HALT);
}

/* The store runs off the mapped page in a later iteration; then, with only the page after it
 * mapped, faults in the first. */
static void faults_in_a_later_iteration(void **state)
{
    (void)state;
    compare(PVM_GAS_NONE, STORE_STEP_REG, 1, 5, 7, 3 * PAGE, ARRAY, ARRAY, PAGE, PVM_EXIT_PAGE_FAULT);
    compare(PVM_GAS_NONE, STORE_STEP_REG, 1, 5, 7, 3 * PAGE, ARRAY, ARRAY + PAGE, PAGE, PVM_EXIT_PAGE_FAULT);
}

/* The index from 2^31 - 16 in steps of 8: after two iterations it is 0xffffffff80000000 (the
 * 32-bit add's sign extension), below the bound 0xffffffff80000020 (unsigned) for four more,
 * then not. Base 0: the element address is the index's low half itself, on pages mapped
 * round 2^31. With a zero extension in place of the sign extension the index would stay below
 * the bound and the loop run on off the mapped pages. */
static void index_crosses_two_to_the_31(void **state)
{
    (void)state;
    compare(PVM_GAS_NONE, STORE_STEP_REG, 1, 0x7ffffff0u, 8, 0xffffffff80000020u, 0, 0x7ffff000u, 2 * PAGE,
            PVM_EXIT_HALT);
}

/* With gas: taken, agreeing (to the end, and a fault in a later iteration); not taken with
 * the switch. */
static void taken_with_gas_not_with_the_switch(void **state)
{
    (void)state;
    compare(PVM_GAS_SYNC, STORE_STEP_REG, 1, 0, 3, 4000, ARRAY, ARRAY, 2 * PAGE, PVM_EXIT_HALT);
    compare(PVM_GAS_ASYNC, IMM_STEP_LOAD, 1, 0, 0, 0, ARRAY, ARRAY, PAGE, PVM_EXIT_HALT);
    compare(PVM_GAS_SYNC, STORE_STEP_REG, 1, 5, 7, 3 * PAGE, ARRAY, ARRAY, PAGE, PVM_EXIT_PAGE_FAULT);
    setenv("PVMLAB_JIT_NO_STRIDED_LOOPS", "1", 1);
    compare(PVM_GAS_NONE, STORE_STEP_REG, 0, 5, 7, 3 * PAGE, ARRAY, ARRAY, PAGE, PVM_EXIT_PAGE_FAULT);
    compare(PVM_GAS_SYNC, STORE_STEP_REG, 0, 0, 3, 4000, ARRAY, ARRAY, 2 * PAGE, PVM_EXIT_HALT);
    unsetenv("PVMLAB_JIT_NO_STRIDED_LOOPS");
}

/* x and t in two registers (t = base + x, x the index scaled by 4), dead after the loop or
 * live (the host sees them): the recompiler computes them where the loop is left, from the
 * index before its last add. */
static void x_and_t_on_the_way_out(void **state)
{
    (void)state;
    for (int live = 0; live < 2; live++)
        for (pvm_gas_mode mode = PVM_GAS_NONE; mode <= PVM_GAS_ASYNC; mode++) {
            pvm_engine *ei = pair_engine(0, mode), *ej = pair_engine(1, mode);
            pvm_module *mi = loop_program_with(ei, STORE_T_APART, live), *mj = loop_program_with(ej, STORE_T_APART, live);
            assert_int_equal(strided_of(mj), ((const jit_module *)mj->jit)->gs_mem ? 1 : 0);
            result want = run_loop(mi, 0, 3, 700, ARRAY, ARRAY, PAGE);
            result got = run_loop(mj, 0, 3, 700, ARRAY, ARRAY, PAGE);
            assert_int_equal(want.o.kind, PVM_EXIT_HALT);
            assert_int_equal(want.o.regs[T_APART], live ? ARRAY + 4 * 699u : 0);
            assert_same_outcome(&got.o, &want.o);
            assert_int_equal(got.memory, want.memory);
            pvm_module_release(mi), pvm_module_release(mj);
            pvm_engine_free(ei), pvm_engine_free(ej);
        }
}

/* Sync and async gas from 0 to past the loop's end, one unit at a time: the run stops out of
 * gas at the block's entry in every iteration (the branch back's check fails), with x and t as
 * the iteration before left them, or ends; the interpreter's run and the recompiler's agree.
 * The loop's head is a covered block (gas_checks.c: a failed check hands the run to the
 * interpreter, which recomputes x and t); with PVMLAB_JIT_ALL_GAS_CHECKS (no gas bias) the
 * recompiler's check stops the run itself and the x and t it computed are what the host sees. */
static void out_of_gas_in_every_iteration(void **state)
{
    (void)state;
    for (int all_checks = 0; all_checks < 2; all_checks++) {
        if (all_checks) setenv("PVMLAB_JIT_ALL_GAS_CHECKS", "1", 1);
        for (pvm_gas_mode mode = PVM_GAS_SYNC; mode <= PVM_GAS_ASYNC; mode++)
            for (shape sh = STORE_STEP_REG; sh <= STORE_T_APART; sh += STORE_T_APART - STORE_STEP_REG) {
                pvm_engine *ei = pair_engine(0, mode), *ej = pair_engine(1, mode);
                pvm_module *mi = loop_program_with(ei, sh, true), *mj = loop_program_with(ej, sh, true);
                assert_int_equal(strided_of(mj), ((const jit_module *)mj->jit)->gs_mem ? 1 : 0);
                if (all_checks) assert_int_equal(((const jit_module *)mj->jit)->gas_bias, 0);
                unsigned out_of_gas = 0;
                for (int64_t gas = 0; gas < 80; gas++) { /* 10 iterations of 6 instructions, then 1 */
                    result want = run_loop_gas(mi, 0, 3, 30, ARRAY, ARRAY, PAGE, gas);
                    result got = run_loop_gas(mj, 0, 3, 30, ARRAY, ARRAY, PAGE, gas);
                    out_of_gas += want.o.kind == PVM_EXIT_OUT_OF_GAS;
                    assert_same_outcome(&got.o, &want.o);
                    assert_int_equal(got.memory, want.memory);
                }
                assert_true(out_of_gas >= 60); /* (the test's own check: it did stop inside the loop) */
                pvm_module_release(mi), pvm_module_release(mj);
                pvm_engine_free(ei), pvm_engine_free(ej);
            }
    }
    unsetenv("PVMLAB_JIT_ALL_GAS_CHECKS");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(runs_to_the_end),
        cmocka_unit_test(faults_in_a_later_iteration),
        cmocka_unit_test(index_crosses_two_to_the_31),
        cmocka_unit_test(taken_with_gas_not_with_the_switch),
        cmocka_unit_test(x_and_t_on_the_way_out),
        cmocka_unit_test(out_of_gas_in_every_iteration),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
