/* 64-bit rotates by a variable amount of a value kept in 32-bit halves (vm/jit/emit_ops.c,
 * emit_var_rotate_halves) against the interpreter, in 32-bit programs: per half
 * `shlo_l_32 a, x, n; shlo_r_imm_32 b, y, 1; [xor_imm k, n, -1;] shlo_r_32 b, b, k; or d, a, b`
 * is `shld d, y, cl`. Shapes: keccak's registers (the second half writing over n and x), its
 * intermediates dead after the group, a first half alone into x, a second half whose a is x and
 * whose b is neither source, a 32-bit rotate (x = y), and halves that are not taken: a second
 * half reading the first's intermediate, a half into its own y, a second half into k whose b
 * needs k. Halves 0, 1, 0x7fffffff, 0x80000000, 0xffffffff and others,
 * counts 0, 1, 5, 31, 32, 33, 63, 0x80000000, 0xffffffff; the results checked in C too. The
 * stores after each group fault when the fourth argument moves their base out of the memory
 * (the intermediates left live must be the interpreter's then), gas none, sync and async, and
 * every instruction's pc as a start with other register values (the inner ones have no entry). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "vm/isa/isa.h"
#include "pvm/builder.h"
#include "pvm/pvm.h"
#include "fused_compare.h"

enum { RA = 0, SP = 1, T0 = 2, T1 = 3, T2 = 4, S0 = 5, S1 = 6, A0 = 7, A1 = 8, A2 = 9, A3 = 10, A4 = 11, A5 = 12 };

typedef struct {
    int op;
    unsigned r0, r1, r2; /* d, a, b of reg3 / a, b of reg_reg_imm / a of reg_imm */
    int64_t imm;
} line;

#define SHL(d, x, n) {PVM_OP_SHLO_L_32, d, x, n, 0}
#define SHR1(b, y) {PVM_OP_SHLO_R_IMM_32, b, y, 0, 1}
#define NOT(k, n) {PVM_OP_XOR_IMM, k, n, 0, -1}
#define SHRK(b, k) {PVM_OP_SHLO_R_32, b, b, k, 0}
#define OR(d, a, b) {PVM_OP_OR, d, a, b, 0}
#define STORE(r, off) {PVM_OP_STORE_IND_U32, r, S0, 0, off}

#define LOAD(r, off) {PVM_OP_LOAD_IND_I32, r, S0, 0, off}

/* run(lo, hi, n, base offset): t0 = s1 = lo, a1 = a2 = hi, a0 = t1 = n, s0 = sp + a3 - 256 */
static const line code[] = {
    {PVM_OP_MOVE_REG, T0, A0, 0, 0}, {PVM_OP_MOVE_REG, A0, A2, 0, 0}, {PVM_OP_ADD_32, S0, SP, A3, 0},
    {PVM_OP_ADD_IMM_32, S0, S0, 0, -256}, {PVM_OP_MOVE_REG, S1, T0, 0, 0}, {PVM_OP_MOVE_REG, A2, A1, 0, 0},
    {PVM_OP_MOVE_REG, T1, A0, 0, 0},
    /* 1 (pc index 7): keccak's registers: a5 = shld(a1, t0, n), then a0 = shld(t0, a1, n) over n,
     * a1 = a1 >> 1 >> ~n; t2 and a4 stay live (the stores may fault) */
    SHL(T2, A1, A0), SHR1(A5, T0), NOT(A4, A0), SHRK(A5, A4), OR(A5, T2, A5),
    SHL(A0, T0, A0), SHR1(A1, A1), SHRK(A1, A4), OR(A0, A0, A1),
    STORE(A0, 0), STORE(A5, 4),
    /* 2: the same on the saved inputs (x = a3 = hi, y = s1 = lo), the or's operands swapped,
     * t2 and a4 overwritten right after (dead: not computed) */
    {PVM_OP_MOVE_REG, A3, A2, 0, 0}, {PVM_OP_MOVE_REG, A0, T1, 0, 0},
    SHL(T2, A3, A0), SHR1(A5, S1), NOT(A4, A0), SHRK(A5, A4), OR(A5, A5, T2),
    SHL(A0, S1, A0), SHR1(A3, A3), SHRK(A3, A4), OR(A0, A3, A0),
    {PVM_OP_LOAD_IMM, T2, 0, 0, 7}, {PVM_OP_LOAD_IMM, A4, 0, 0, 9},
    STORE(A0, 8), STORE(A5, 12), {PVM_OP_MOVE_REG, A0, T1, 0, 0},
    /* 3: a first half alone, into its x (a3 = shld(hi, lo, n)); its a and b live */
    {PVM_OP_MOVE_REG, A3, A2, 0, 0},
    SHL(T2, A3, A0), SHR1(A5, S1), NOT(A4, A0), SHRK(A5, A4), OR(A3, T2, A5),
    STORE(A3, 16),
    /* 4: first d = a (t2 = shld(hi, lo, n)); second: its a is x (s1 in place), its b (a3)
     * neither source, a1 = shld(lo, hi, n) */
    SHL(T2, A2, A0), SHR1(A5, S1), NOT(A4, A0), SHRK(A5, A4), OR(T2, T2, A5),
    SHL(S1, S1, A0), SHR1(A3, A2), SHRK(A3, A4), OR(A1, S1, A3),
    STORE(T2, 20), STORE(A1, 24),
    /* 5: a 32-bit rotate (x = y = a2) into a third register, then a second half reading the
     * first's intermediate t2, dead after it (not a rotate: not taken) */
    SHL(T2, A2, A0), SHR1(A5, A2), NOT(A4, A0), SHRK(A5, A4), OR(A3, A5, T2),
    SHL(S1, T2, A0), SHR1(A1, A2), SHRK(A1, A4), OR(S1, S1, A1), {PVM_OP_LOAD_IMM, T2, 0, 0, 5},
    STORE(A3, 28), STORE(S1, 32),
    /* 6: a first half into its y (not taken: shld would need y as it was) */
    SHL(T2, A2, A0), SHR1(A5, S1), NOT(A4, A0), SHRK(A5, A4), OR(S1, T2, A5),
    /* 7: a first half, then a second half into its y, b in place (the first alone taken) */
    SHL(T2, A2, A0), SHR1(A5, S1), NOT(A4, A0), SHRK(A5, A4), OR(A3, T2, A5),
    SHL(T0, S1, A0), SHR1(A1, A1), SHRK(A1, A4), OR(A1, T0, A1),
    /* 8: a second half into k, its b in place (y): b needs k, so not taken (the first is) */
    SHL(T2, A2, A0), SHR1(A5, S1), NOT(A4, A0), SHRK(A5, A4), OR(T2, T2, A5),
    SHL(A5, S1, A0), SHR1(T0, T0), SHRK(T0, A4), OR(A4, A5, T0),
    /* the stored results of 2, 4 and 5's rotate back */
    LOAD(T0, 8), LOAD(A4, 12), LOAD(A5, 20), LOAD(T2, 24), LOAD(A0, 28),
};
enum { N_LINES = sizeof code / sizeof code[0] };

static uint32_t pcs[N_LINES + 1];

static pvm_module *compile_lines(pvm_engine *e)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST32);
    pvm_label entry = pvm_builder_label(b);
    pvm_builder_export(b, "run", entry);
    pvm_builder_bind(b, entry);
    pvm_builder_set_stack_size(b, 4096); /* the stores go below sp */
    for (size_t i = 0; i < N_LINES; i++) {
        int op = code[i].op;
        pcs[i] = pvm_builder_pc(b);
        switch (pvm_op_table[op].kind) {
        case PVM_KIND_REG3: pvm_emit_reg3(b, op, code[i].r0, code[i].r1, code[i].r2); break;
        case PVM_KIND_REG_REG: pvm_emit_reg_reg(b, op, code[i].r0, code[i].r1); break;
        case PVM_KIND_REG_REG_IMM: pvm_emit_reg_reg_imm(b, op, code[i].r0, code[i].r1, code[i].imm); break;
        default: pvm_emit_reg_imm(b, op, code[i].r0, code[i].imm); break;
        }
    }
    pcs[N_LINES] = pvm_builder_pc(b);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, RA, 0);
    return finish(e, b);
}

static uint64_t sext32(uint64_t v) { return (uint64_t)(int64_t)(int32_t)(uint32_t)v; }

/* shld(x, y, n mod 32) */
static uint32_t shld32(uint32_t x, uint32_t y, uint32_t n)
{
    n &= 31;
    return n ? x << n | y >> (32 - n) : x;
}

/* m's "run"(lo, hi, n, off) from gas 100000; with pc != 0 from there, the other registers
 * preset (sign-extended, as a 32-bit program's registers always are; s0 then points nowhere:
 * the stores fault). */
static outcome run(pvm_module *m, uint32_t lo, uint32_t hi, uint32_t n, uint32_t off, uint32_t pc)
{
    pvm_instance *in;
    uint64_t args[4] = {sext32(lo), sext32(hi), sext32(n), sext32(off)};
    assert_int_equal(pvm_instance_new(m, &in, NULL), PVM_OK);
    assert_int_equal(pvm_instance_prepare_call(in, "run", 0, args, 4, NULL), PVM_OK);
    if (pc) {
        for (unsigned r = 2; r < PVM_REG_COUNT; r++)
            assert_int_equal(pvm_instance_set_reg(in, r, sext32(lo * r + hi + n * 7 + 3), NULL), PVM_OK);
        assert_int_equal(pvm_instance_set_pc(in, pc, NULL), PVM_OK);
    }
    return run_prepared(in, 100000);
}

static void rotates_agree(pvm_gas_mode mode)
{
    static const uint32_t halves[] = {0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x12345678, 0xfedcba98};
    static const uint32_t counts[] = {0, 1, 5, 31, 32, 33, 63, 0x80000000, 0xffffffff};
    static const uint32_t offs[] = {0, 0x20000000}; /* the stores below sp, or out of the memory */
    enum { NH = sizeof halves / sizeof halves[0], NC = sizeof counts / sizeof counts[0] };
    pvm_engine *engines[2];
    pvm_module *modules[2];
    for (int k = 0; k < 2; k++) {
        engines[k] = pair_engine(k, mode);
        modules[k] = compile_lines(engines[k]);
    }
    for (size_t i = 0; i < NH; i++)
        for (size_t j = 0; j < NH; j++)
            for (size_t c = 0; c < NC; c++)
                for (size_t f = 0; f < 2; f++) {
                    uint32_t lo = halves[i], hi = halves[j], n = counts[c];
                    outcome want = run(modules[0], lo, hi, n, offs[f], 0), got = run(modules[1], lo, hi, n, offs[f], 0);
                    assert_same_outcome(&got, &want);
                    if (f == 0) {
                        assert_int_equal(want.kind, PVM_EXIT_HALT);
                        uint32_t s = n & 31, r = hi;
                        assert_int_equal((uint32_t)want.regs[T0], (uint32_t)(shld32(lo, hi, n))); /* 2 */
                        assert_int_equal((uint32_t)want.regs[A4], (uint32_t)(shld32(hi, lo, n)));
                        assert_int_equal((uint32_t)want.regs[A5], (uint32_t)(shld32(hi, lo, n))); /* 4 */
                        assert_int_equal((uint32_t)want.regs[T2], (uint32_t)(shld32(lo, hi, n)));
                        assert_int_equal((uint32_t)want.regs[A0], (uint32_t)(s ? r << s | r >> (32 - s) : r)); /* 5 */
                        /* 6 from 5's s1 = (hi << n) funnel hi, 7 from 6's */
                        uint32_t s5 = shld32(r << s, r, s), s6 = shld32(hi, s5, n), a5 = shld32(0, r, s);
                        assert_int_equal((uint32_t)want.regs[S1], s6);
                        assert_int_equal((uint32_t)want.regs[A3], shld32(hi, s6, n));
                        assert_int_equal((uint32_t)want.regs[A1], shld32(s6, a5, n));
                        assert_int_equal((uint32_t)want.regs[T1], (uint32_t)(n));
                    } else {
                        /* the first store faults: keccak's group done, its intermediates as the guest left them */
                        assert_int_equal(want.kind, PVM_EXIT_PAGE_FAULT);
                        assert_int_equal(want.pc, pcs[16]);
                        assert_int_equal((uint32_t)want.regs[A5], (uint32_t)(shld32(hi, lo, n)));
                        assert_int_equal((uint32_t)want.regs[A0], (uint32_t)(shld32(lo, hi, n)));
                        assert_int_equal((uint32_t)want.regs[T2], (uint32_t)(hi << (n & 31)));
                        assert_int_equal((uint32_t)want.regs[A4], (uint32_t)(~n));
                        assert_int_equal((uint32_t)want.regs[A1], (uint32_t)((hi >> 1) >> (~n & 31)));
                    }
                    if (c % 3 || f) continue; /* every pc: a third of the counts */
                    for (uint32_t p = 1; p <= N_LINES; p++) {
                        want = run(modules[0], lo, hi, n, offs[f], pcs[p]);
                        got = run(modules[1], lo, hi, n, offs[f], pcs[p]);
                        assert_same_outcome(&got, &want);
                    }
                }
    for (int k = 0; k < 2; k++) pvm_engine_free(engines[k]);
}

static void rotates_in_halves_agree_none(void **state) { (void)state, rotates_agree(PVM_GAS_NONE); }
static void rotates_in_halves_agree_sync(void **state) { (void)state, rotates_agree(PVM_GAS_SYNC); }
static void rotates_in_halves_agree_async(void **state) { (void)state, rotates_agree(PVM_GAS_ASYNC); }

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(rotates_in_halves_agree_none),
                                       cmocka_unit_test(rotates_in_halves_agree_sync),
                                       cmocka_unit_test(rotates_in_halves_agree_async)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
