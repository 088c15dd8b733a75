/* The interpreter's super-instructions (vm/interp/interp_fused.def): for every pair,
 * a program holding it inside one block is compiled, the decoder's pre-decoded form
 * is checked to dispatch the first instruction as the pair, and the run (registers,
 * the stack slots it stored to, gas, instruction count) equals the recompiler's run
 * of the same program, for random register values, under sync gas. Memory operands
 * address the stack through r1 (the stack pointer), so every access is allowed.
 * The fault tests put a memory instruction (either of a pair, or any load or store
 * alone inside a block) at an inaccessible address: the guarded loop's fault handler
 * finds the instruction from the host's rbx (vm/interp/interp_guard.h), so the run
 * must stop at exactly that instruction, as the recompiler's does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "vm/state/vm_state.h"
#include "vm/interp/interp.h"
#include "vm/isa/isa.h"
#include "pvm/builder.h"
#include "tests/fuzz/fuzz_rng.h"
#include "test_util.h"

static const uint8_t pairs[][2] = {
#define FUSED(a, b) {PVM_OP_##a, PVM_OP_##b},
#include "vm/interp/interp_fused.def"
#undef FUSED
};

static fz_rng rng = {.state = 0x2545f4914f6cdd1du}; /* the fuzzers' generator, seeded */
static uint64_t next(void) { return fz_next(&rng); }
static unsigned reg(void) { return 2 + (unsigned)(next() % 5); } /* r2..r6: never the stack pointer */

/* the base register of memory operands: r1 (the stack) or BAD_BASE (an inaccessible address) */
static unsigned mem_base = 1;
#define BAD_BASE 0
#define BAD_ADDRESS 0x1000 /* below the first 64 KiB: never accessible */

static void emit(pvm_builder *b, pvm_op op)
{
    pvm_mem_access m = pvm_op_mem_access(op);
    pvm_label next_block;
    switch (pvm_op_table[op].kind) {
    case PVM_KIND_REG3: pvm_emit_reg3(b, op, reg(), reg(), reg()); break;
    case PVM_KIND_REG_REG: pvm_emit_reg_reg(b, op, reg(), reg()); break;
    case PVM_KIND_REG_REG_IMM:
        if (m.width) pvm_emit_reg_reg_imm(b, op, reg(), mem_base, -8 * (int64_t)(1 + next() % 6));
        else pvm_emit_reg_reg_imm(b, op, reg(), reg(), (int32_t)next() % 100);
        break;
    case PVM_KIND_REG_REG_OFF: /* a branch: both ways lead to the checking tail */
        next_block = pvm_builder_label(b);
        pvm_emit_reg_reg_jump(b, op, reg(), reg(), next_block);
        pvm_builder_bind(b, next_block);
        break;
    case PVM_KIND_REG_IMM_OFF:
        next_block = pvm_builder_label(b);
        pvm_emit_reg_imm_jump(b, op, reg(), (int64_t)(next() % 4), next_block);
        pvm_builder_bind(b, next_block);
        break;
    case PVM_KIND_REG_IMM: /* load_imm (no load or store of this kind is in a pair) */
        if (m.width) fail_msg("pair op %s: an absolute access this test does not emit", pvm_op_table[op].name);
        pvm_emit_reg_imm(b, op, reg(), (int64_t)(int32_t)next());
        break;
    case PVM_KIND_NONE: /* a fallthrough: into the checking tail, a block of its own */
        pvm_emit_none(b, op);
        break;
    default: fail_msg("pair op %s has an operand kind this test does not emit", pvm_op_table[op].name);
    }
}

/* load_imm_64 r2..r6 random; the pair; the six stack slots into r7..r12; trap. A pair whose
 * second is a dynamic jump jumps through r12, loaded first with the jump table address of the
 * next block (less the jump's offset, now and then not 0). */
static uint8_t *build(unsigned k, size_t *len)
{
    pvm_builder *b = test_gp_builder();
    for (unsigned r = 2; r <= 6; r++) pvm_emit_reg_imm64(b, PVM_OP_LOAD_IMM_64, r, next());
    pvm_label tail = pvm_builder_label(b);
    bool djump = pairs[k][1] == PVM_OP_JUMP_IND;
    int64_t off = djump && next() % 2 ? 8 * (int64_t)(1 + next() % 4) : 0;
    if (djump) pvm_emit_reg_imm64(b, PVM_OP_LOAD_IMM_64, 12, pvm_builder_jump_table_add(b, tail) - off);
    emit(b, (pvm_op)pairs[k][0]);
    if (djump) pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, 12, off);
    else emit(b, (pvm_op)pairs[k][1]);
    pvm_builder_bind(b, tail);
    for (unsigned s = 0; s < 6; s++) pvm_emit_reg_reg_imm(b, PVM_OP_LOAD_IND_U64, 7 + s, 1, -8 * (int64_t)(1 + s));
    pvm_emit_none(b, PVM_OP_TRAP);
    return test_gp_finish(b, len);
}

typedef struct {
    pvm_exit_kind kind;
    uint32_t pc;
    uint64_t regs[PVM_REG_COUNT];
    int64_t gas;
} outcome;

/* A pair whose first (which = 0) or second (1) instruction accesses BAD_BASE's address:
 * load_imm_64 r0 and r2..r6; the pair; trap (not reached). NULL if that one is no access. */
static uint8_t *build_fault(unsigned k, unsigned which, size_t *len)
{
    if (!pvm_op_mem_access((pvm_op)pairs[k][which]).width) return NULL;
    pvm_builder *b = test_gp_builder();
    pvm_emit_reg_imm64(b, PVM_OP_LOAD_IMM_64, BAD_BASE, BAD_ADDRESS + 64);
    for (unsigned r = 2; r <= 6; r++) pvm_emit_reg_imm64(b, PVM_OP_LOAD_IMM_64, r, next());
    for (unsigned i = 0; i < 2; i++) {
        mem_base = i == which ? BAD_BASE : 1;
        emit(b, (pvm_op)pairs[k][i]);
    }
    mem_base = 1;
    pvm_emit_none(b, PVM_OP_TRAP);
    return test_gp_finish(b, len);
}

/* Every load and store alone, inside a block (after an add_imm_64), at BAD_ADDRESS:
 * absolute ones by their immediate, indirect ones through BAD_BASE. */
static uint8_t *build_single_fault(pvm_op op, size_t *len)
{
    pvm_builder *b = test_gp_builder();
    pvm_emit_reg_imm64(b, PVM_OP_LOAD_IMM_64, BAD_BASE, BAD_ADDRESS);
    pvm_emit_reg_imm64(b, PVM_OP_LOAD_IMM_64, 2, next());
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, 3, 2, 5);
    switch (pvm_op_table[op].kind) {
    case PVM_KIND_REG_IMM: pvm_emit_reg_imm(b, op, 2, BAD_ADDRESS); break;                  /* load_u8 ... store_u64 */
    case PVM_KIND_IMM_IMM: pvm_emit_imm_imm(b, op, BAD_ADDRESS, 7); break;                  /* store_imm_u8 ... */
    case PVM_KIND_REG_IMM_IMM: pvm_emit_reg_imm_imm(b, op, BAD_BASE, 8, 7); break;          /* store_imm_ind_u8 ... */
    case PVM_KIND_REG_REG_IMM: pvm_emit_reg_reg_imm(b, op, 2, BAD_BASE, 16); break;         /* load_ind / store_ind */
    default: fail_msg("memory op %s has an operand kind this test does not emit", pvm_op_table[op].name);
    }
    pvm_emit_none(b, PVM_OP_TRAP);
    return test_gp_finish(b, len);
}

/* fused_at: the index of an instruction the interpreter must dispatch as pair k (-1: none checked);
 * fault_at: the index of the instruction the run must stop at (-1: not checked). */
static outcome run_checked(pvm_backend backend, const uint8_t *blob, size_t len, unsigned k, int fused_at, int fault_at)
{
    pvm_error err;
    pvm_engine *e;
    pvm_module *m;
    pvm_instance *in;
    pvm_engine_config cfg = {backend, PVM_GAS_SYNC, NULL};
    assert_int_equal(pvm_engine_new(&cfg, &e, &err), PVM_OK);
    pvm_module_config mc = {.format = PVM_FORMAT_GP_STANDARD, .isa = PVM_ISA_GP07, .page_size = 4096};
    assert_int_equal(pvm_module_compile(e, blob, len, &mc, NULL, &m, &err), PVM_OK);
    if (backend == PVM_BACKEND_INTERP && fused_at >= 0) { /* the first of the pair is dispatched as the pair */
        const pvm_instr *first = &m->dec.instrs[fused_at];
        assert_int_equal(first->op, pairs[k][0]);
        assert_int_equal(pvm_interp_xop_pair(first->xop), (int)k);
        assert_int_equal(m->dec.interp_threaded, 1 + PVM_GAS_SYNC);
    }
    uint32_t fault_pc = fault_at >= 0 ? m->dec.instrs[fault_at].pc : 0;
    assert_int_equal(pvm_instance_new(m, &in, &err), PVM_OK);
    pvm_instance_set_gas(in, 1000);
    pvm_result res;
    assert_int_equal(pvm_instance_run(in, &res, &err), PVM_OK);
    outcome o = {.kind = res.kind, .pc = res.pc, .gas = pvm_instance_gas(in)};
    if (fault_at >= 0) {
        assert_int_equal(res.kind, PVM_EXIT_PANIC);
        assert_int_equal(res.pc, fault_pc);
    }
    for (unsigned r = 0; r < PVM_REG_COUNT; r++) o.regs[r] = pvm_instance_reg(in, r);
    pvm_instance_free(in);
    pvm_module_release(m);
    pvm_engine_free(e);
    return o;
}

/* (after the five load_imm_64, and r12's for a dynamic jump) */
static outcome run(pvm_backend backend, const uint8_t *blob, size_t len, unsigned k)
{
    return run_checked(backend, blob, len, k, 5 + (pairs[k][1] == PVM_OP_JUMP_IND), -1);
}

static void expect_same(outcome got, outcome want)
{
    assert_int_equal(got.kind, want.kind);
    assert_int_equal(got.pc, want.pc);
    assert_int_equal(got.gas, want.gas);
    for (unsigned r = 0; r < PVM_REG_COUNT; r++) assert_int_equal(got.regs[r], want.regs[r]);
}

static void test_a_fault_in_either_of_a_pair_stops_at_that_instruction(void **state)
{
    (void)state;
    unsigned tested = 0;
    for (unsigned k = 0; k < sizeof pairs / sizeof pairs[0]; k++) {
        for (unsigned which = 0; which < 2; which++) {
            for (int trial = 0; trial < 4; trial++) {
                size_t len;
                uint8_t *blob = build_fault(k, which, &len);
                if (!blob) break;
                /* the pair after six load_imm_64; the access at 6 + which */
                outcome want = run_checked(PVM_BACKEND_JIT, blob, len, k, -1, 6 + (int)which);
                outcome got = run_checked(PVM_BACKEND_INTERP, blob, len, k, 6, 6 + (int)which);
                expect_same(got, want);
                free(blob);
                tested++;
            }
        }
    }
    assert_true(tested >= 4 * 20); /* the list holds over twenty pairs with an access */
}

static void test_a_fault_in_any_load_or_store_stops_at_it(void **state)
{
    (void)state;
    unsigned tested = 0;
    for (unsigned op = 0; op < PVM_OP_COUNT; op++) {
        pvm_mem_access m = pvm_op_mem_access((pvm_op)op);
        if (!m.width || op == PVM_OP_MEMSET || !pvm_op_table[op].name) continue;
        if (pvm_op_table[op].group != PVM_GROUP_LOAD && pvm_op_table[op].group != PVM_GROUP_STORE) continue;
        size_t len;
        uint8_t *blob = build_single_fault((pvm_op)op, &len);
        outcome want = run_checked(PVM_BACKEND_JIT, blob, len, 0, -1, 3);
        outcome got = run_checked(PVM_BACKEND_INTERP, blob, len, 0, -1, 3);
        expect_same(got, want);
        free(blob);
        tested++;
    }
    assert_int_equal(tested, 7 + 4 + 4 + 4 + 7 + 4); /* load_*, store_*, store_imm_*, store_imm_ind_*, load_ind_*, store_ind_* */
}

static void test_every_pair_is_fused_and_runs_as_its_two_instructions(void **state)
{
    (void)state;
    for (unsigned k = 0; k < sizeof pairs / sizeof pairs[0]; k++) {
        for (int trial = 0; trial < 8; trial++) {
            size_t len;
            uint8_t *blob = build(k, &len);
            outcome want = run(PVM_BACKEND_JIT, blob, len, k), got = run(PVM_BACKEND_INTERP, blob, len, k);
            assert_int_equal(got.kind, PVM_EXIT_PANIC);
            assert_int_equal(got.kind, want.kind);
            assert_int_equal(got.pc, want.pc); /* the trap at the end (a dynamic jump reached the tail) */
            assert_int_equal(got.gas, want.gas);
            for (unsigned r = 0; r < PVM_REG_COUNT; r++) assert_int_equal(got.regs[r], want.regs[r]);
            free(blob);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_pair_is_fused_and_runs_as_its_two_instructions),
        cmocka_unit_test(test_a_fault_in_either_of_a_pair_stops_at_that_instruction),
        cmocka_unit_test(test_a_fault_in_any_load_or_store_stops_at_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
