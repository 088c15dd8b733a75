/* A count down inside a carry group (emit_ops.c: carry_count_down): rv32 code summing
 * into a 64-bit value in a loop keeps `add lo; set_lt_u c; add hi, hi, hi2; add_imm n,
 * n, -1; add hi, hi, c; branch_ne_imm n, 0` in one block; the recompiler emits the
 * count after the `adc` and the branch takes its ZF without a `test`. Against the
 * interpreter, both widths: the plain loop; with the high word loaded between the add
 * and its compare (the access goes first; a data base of 0 faults there, inside the
 * group); with the count read by the consumer's neighbour (no move: still exact); with
 * a branch_eq_imm leaving the loop. Operands at the carry edges (0xffffffff,
 * 0x80000000, 0x7fffffff, ...), gas modes none, sync and async, and every budget from 0
 * to what the run needs in sync and async (out of gas at each block entry), from the
 * export and (metered, so that a wrong branch ends) from each instruction's pc (a run the host starts inside the group, or at
 * the branch, goes to the interpreter). Exit, pc, gas and every register must agree;
 * the sums are checked against a C model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "pvm/builder.h"
#include "pvm/pvm.h"
#include "vm/state/vm_state.h"
#include "fused_compare.h"

enum { SP = 1, T0 = 2, T1 = 3, T2 = 4, S0 = 5, S1 = 6, A0 = 7, A1 = 8, A2 = 9, A3 = 10, A4 = 11, A5 = 12 };
enum { ITER = 5, MAX_PCS = 64 };
enum { PLAIN, LOADED, READ_BETWEEN, EQ_EXIT, SHAPES };

/* lo = a0, step = a1, hi = s0, n = a3, c = t1, the data base a2 (LOADED: hi2 = [a2], else a1). */
static pvm_module *loop(pvm_engine *e, pvm_isa isa, int shape, uint32_t *pcs, uint32_t *n_pcs)
{
    bool w = isa == PVM_ISA_LATEST64;
    int add = w ? PVM_OP_ADD_64 : PVM_OP_ADD_32, add_imm = w ? PVM_OP_ADD_IMM_64 : PVM_OP_ADD_IMM_32;
    pvm_builder *b = pvm_builder_new(isa);
    pvm_label entry = pvm_builder_label(b), head = pvm_builder_label(b), out = pvm_builder_label(b);
    uint8_t data[8] = {0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff};
    pvm_builder_set_ro_data(b, data, sizeof data, 4096);
    pvm_builder_export(b, "run", entry);
    pvm_builder_bind(b, entry);
    pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, S0, A1);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, A3, ITER);
    pvm_emit_none(b, PVM_OP_FALLTHROUGH);
    pvm_builder_bind(b, head);
    *n_pcs = 0;
    pcs[(*n_pcs)++] = pvm_builder_pc(b);
    pvm_emit_reg3(b, add, A0, A0, A1);
    if (shape == LOADED) pcs[(*n_pcs)++] = pvm_builder_pc(b), pvm_emit_reg_reg_imm(b, w ? PVM_OP_LOAD_IND_U32 : PVM_OP_LOAD_IND_I32, A5, A2, 0);
    pcs[(*n_pcs)++] = pvm_builder_pc(b);
    pvm_emit_reg3(b, PVM_OP_SET_LT_U, T1, A0, A1);
    pcs[(*n_pcs)++] = pvm_builder_pc(b);
    pvm_emit_reg3(b, add, S0, S0, shape == LOADED ? A5 : A1);
    pcs[(*n_pcs)++] = pvm_builder_pc(b);
    pvm_emit_reg_reg_imm(b, add_imm, A3, A3, -1);
    if (shape == READ_BETWEEN) pcs[(*n_pcs)++] = pvm_builder_pc(b), pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, T2, A3);
    pcs[(*n_pcs)++] = pvm_builder_pc(b);
    pvm_emit_reg3(b, add, S0, S0, T1);
    pcs[(*n_pcs)++] = pvm_builder_pc(b);
    if (shape == EQ_EXIT) {
        pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_EQ_IMM, A3, 0, out);
        pvm_emit_jump(b, PVM_OP_JUMP, head);
    } else {
        pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_NE_IMM, A3, 0, head);
        pvm_emit_none(b, PVM_OP_FALLTHROUGH);
    }
    pvm_builder_bind(b, out);
    pcs[(*n_pcs)++] = pvm_builder_pc(b);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, T1, 0); /* the carry dead after the loop */
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, PVM_REG_RA, 0);
    assert_true(*n_pcs <= MAX_PCS);
    return finish(e, b);
}

/* One run: from the export, or (pc != UINT32_MAX) from pc with the registers as the
 * export's, the count n (0 at the branch: a ZF not the count's would loop on). */
static outcome run_from(pvm_module *m, uint64_t x, uint64_t y, bool fault, uint32_t pc, uint64_t n, int64_t gas)
{
    pvm_instance *in;
    uint64_t args[3] = {x, y, fault ? 0 : m->layout.ro_addr};
    assert_int_equal(pvm_instance_new(m, &in, NULL), PVM_OK);
    assert_int_equal(pvm_instance_prepare_call(in, "run", 0, args, 3, NULL), PVM_OK);
    if (pc != UINT32_MAX) {
        assert_int_equal(pvm_instance_set_reg(in, S0, y, NULL), PVM_OK);
        assert_int_equal(pvm_instance_set_reg(in, A3, n, NULL), PVM_OK);
        assert_int_equal(pvm_instance_set_reg(in, T1, 1, NULL), PVM_OK);
        assert_int_equal(pvm_instance_set_pc(in, pc, NULL), PVM_OK);
    }
    return run_prepared(in, gas);
}

/* The interpreter's run from the export, modelled in C (the sums of ITER steps). */
static void check_model(bool w, int shape, uint64_t x, uint64_t y, const outcome *o)
{
    uint64_t mask = w ? UINT64_MAX : UINT32_MAX, lo = x & mask, hi = y & mask, step = y & mask;
    uint64_t hi2 = shape == LOADED ? 0xffffffffu : step; /* the first word (its low 32 bits in a 32-bit program) */
    for (int k = 0; k < ITER; k++) {
        lo = (lo + step) & mask;
        uint64_t c = lo < step;
        hi = (hi + hi2 + c) & mask;
    }
    assert_int_equal(o->kind, PVM_EXIT_HALT);
    assert_int_equal(w ? o->regs[A0] : (uint32_t)o->regs[A0], lo);
    assert_int_equal(w ? o->regs[S0] : (uint32_t)o->regs[S0], hi);
    assert_int_equal(o->regs[A3], 0);
    assert_int_equal(o->regs[T1], 0);
}

static void shapes_agree(pvm_isa isa)
{
    static const pvm_gas_mode modes[3] = {PVM_GAS_NONE, PVM_GAS_SYNC, PVM_GAS_ASYNC};
    static const uint64_t vs[] = {0, 1, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0x123456789abcdef0ull,
                                  0x8000000000000000ull, UINT64_MAX};
    bool w = isa == PVM_ISA_LATEST64;
    for (int g = 0; g < 3; g++) {
        pvm_engine *ei = pair_engine(0, modes[g]), *ej = pair_engine(1, modes[g]);
        for (int shape = 0; shape < SHAPES; shape++) {
            uint32_t pcs[MAX_PCS], n_pcs;
            pvm_module *mi = loop(ei, isa, shape, pcs, &n_pcs), *mj = loop(ej, isa, shape, pcs, &n_pcs);
            for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++)
                for (size_t j = 0; j < sizeof vs / sizeof vs[0]; j++) {
                    uint64_t x = w ? vs[i] : (uint64_t)(int64_t)(int32_t)vs[i], y = w ? vs[j] : (uint64_t)(int64_t)(int32_t)vs[j];
                    for (int fault = 0; fault <= (shape == LOADED); fault++) {
                        outcome want = run_from(mi, x, y, fault, UINT32_MAX, 0, 1000000), got = run_from(mj, x, y, fault, UINT32_MAX, 0, 1000000);
                        assert_same_outcome(&got, &want);
                        if (!fault) check_model(w, shape, x, y, &want);
                        else assert_int_not_equal(want.kind, PVM_EXIT_HALT);
                        if (modes[g] != PVM_GAS_NONE && i == j % 3) { /* every budget, for a third of the pairs */
                            int64_t need = 1000000 - want.gas;
                            for (int64_t gas = 0; gas <= need; gas++) {
                                outcome a = run_from(mi, x, y, fault, UINT32_MAX, 0, gas), b = run_from(mj, x, y, fault, UINT32_MAX, 0, gas);
                                assert_same_outcome(&b, &a);
                            }
                        }
                        for (uint32_t p = 0; p < n_pcs && modes[g] != PVM_GAS_NONE; p++) { /* gas ends a wrong loop */
                            uint64_t n = p == n_pcs - 2 ? 0 : 3; /* pcs[n_pcs - 2]: the branch */
                            outcome a = run_from(mi, x, y, fault, pcs[p], n, 1000000), b = run_from(mj, x, y, fault, pcs[p], n, 1000000);
                            assert_same_outcome(&b, &a);
                        }
                    }
                }
            pvm_module_release(mi);
            pvm_module_release(mj);
        }
        pvm_engine_free(ei);
        pvm_engine_free(ej);
    }
}

static void counts_in_carry_groups_agree_rv32(void **s)
{
    (void)s;
    shapes_agree(PVM_ISA_LATEST32);
}

static void counts_in_carry_groups_agree_rv64(void **s)
{
    (void)s;
    shapes_agree(PVM_ISA_LATEST64);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(counts_in_carry_groups_agree_rv32),
                                       cmocka_unit_test(counts_in_carry_groups_agree_rv64)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
