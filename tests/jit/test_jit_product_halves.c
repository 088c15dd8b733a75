/* Both halves of a 32x32->64-bit product in one register (vm/jit/emit_ops.c,
 * emit_mul_halves_in_place) against the interpreter, in 32-bit programs: `mul_upper_u_u h, a,
 * b`, 32-bit adds and logic ops reading h, then `mul_32 h, a, b` is one 64-bit product in rcx,
 * `rorx h, rcx, 32` (h's upper bits hold the low half until the mov) and `mov h, ecx`. Shapes:
 * hash_table's (the high half added, the sum added on, the low half over it), an operand in
 * edx (mulx), the operands swapped, a square, and three not taken: a move_reg of h between
 * (its 64-bit mov would carry the low half along: a product of the copy shows it, as one
 * of the group's result shows stale upper bits), an op
 * between writing an operand, a load between. Operands 0, 1, 0x7fffffff, 0x80000000,
 * 0xffffffff and others; the results checked in C too; gas none, sync and async; every
 * instruction's pc as a start with other register values (the load then faults). */
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
    unsigned r0, r1, r2; /* d, a, b of reg3 / d, a of reg_reg / a, b of reg_reg_imm */
    int64_t imm;
} line;

#define HI(h, a, b) {PVM_OP_MUL_UPPER_U_U, h, a, b, 0}
#define LO(l, a, b) {PVM_OP_MUL_32, l, a, b, 0}
#define OP3(op, d, a, b) {PVM_OP_##op, d, a, b, 0}

/* run(x, y, z, w): t0 = x, t1 = y (a2 = z lives in edx); a1 gathers the results of 1 and 2 */
static const line code[] = {
    {PVM_OP_MOVE_REG, T0, A0, 0, 0}, {PVM_OP_MOVE_REG, T1, A1, 0, 0},
    /* 1 (index 2): a3 = w + hi(x y), a1 = z + a3, s0 = lo(x y); then a1 += s0 + hi(y s0) (a
     * 64-bit imul reading s0: its upper bits must be clear after the group) */
    HI(S0, T0, T1), OP3(ADD_32, A3, A3, S0), OP3(ADD_32, A1, A2, A3), LO(S0, T0, T1), OP3(ADD_32, A1, A1, S0),
    HI(A4, T1, S0), OP3(ADD_32, A1, A1, A4),
    /* 2: the operand in edx, the low half's operands swapped: t2 = hi(z x) ^ x, a4 = hi & y,
     * a5 = a4 | hi, s1 = lo(x z); then into a1 */
    HI(S1, A2, T0), OP3(XOR, T2, S1, T0), OP3(AND, A4, S1, T1), OP3(OR, A5, A4, S1), LO(S1, T0, A2),
    OP3(XOR, A1, A1, T2), OP3(ADD_32, A1, A1, A5), OP3(XOR, A1, A1, S1),
    /* 3: a square: a0 = x + hi(y y) (a lea), a4 = lo(y y) */
    HI(A4, T1, T1), OP3(ADD_32, A0, A4, T0), LO(A4, T1, T1),
    /* 4: not taken: a copy of h between; t2 = hi(hi(x y) * y) from the copy */
    HI(A5, T0, T1), {PVM_OP_MOVE_REG, A3, A5, 0, 0}, LO(A5, T0, T1), HI(T2, T1, A3),
    /* 5: not taken: an operand written between */
    HI(S0, T0, T1), OP3(ADD_32, T0, T0, S0), LO(S0, T0, T1),
    /* 6: not taken: a load between (it faults where sp points nowhere) */
    HI(S1, T0, T1), {PVM_OP_LOAD_IND_U8, A2, SP, 0, -1}, LO(S1, T0, T1),
};
enum { N_LINES = sizeof code / sizeof code[0] };

static uint32_t pcs[N_LINES + 1];

static pvm_module *compile_lines(pvm_engine *e)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST32);
    pvm_label entry = pvm_builder_label(b);
    pvm_builder_export(b, "run", entry);
    pvm_builder_bind(b, entry);
    pvm_builder_set_stack_size(b, 4096); /* the load reads below sp */
    for (size_t i = 0; i < N_LINES; i++) {
        int op = code[i].op;
        pcs[i] = pvm_builder_pc(b);
        switch (pvm_op_table[op].kind) {
        case PVM_KIND_REG3: pvm_emit_reg3(b, op, code[i].r0, code[i].r1, code[i].r2); break;
        case PVM_KIND_REG_REG: pvm_emit_reg_reg(b, op, code[i].r0, code[i].r1); break;
        default: pvm_emit_reg_reg_imm(b, op, code[i].r0, code[i].r1, code[i].imm); break;
        }
    }
    pcs[N_LINES] = pvm_builder_pc(b);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, RA, 0);
    return finish(e, b);
}

static uint64_t sext32(uint64_t v) { return (uint64_t)(int64_t)(int32_t)(uint32_t)v; }
static uint32_t hi32(uint32_t a, uint32_t b) { return (uint32_t)(((uint64_t)a * b) >> 32); }

/* m's "run"(x, y, z, w) from gas 10000; with pc != 0 from there, the other registers preset
 * (sign-extended, as a 32-bit program's registers always are; sp then points nowhere). */
static outcome run(pvm_module *m, uint32_t x, uint32_t y, uint32_t z, uint32_t w, uint32_t pc)
{
    pvm_instance *in;
    uint64_t args[4] = {sext32(x), sext32(y), sext32(z), sext32(w)};
    assert_int_equal(pvm_instance_new(m, &in, NULL), PVM_OK);
    assert_int_equal(pvm_instance_prepare_call(in, "run", 0, args, 4, NULL), PVM_OK);
    if (pc) {
        for (unsigned r = 1; r < PVM_REG_COUNT; r++)
            assert_int_equal(pvm_instance_set_reg(in, r, sext32(x * r + y * 5 + z + 3), NULL), PVM_OK);
        assert_int_equal(pvm_instance_set_pc(in, pc, NULL), PVM_OK);
    }
    return run_prepared(in, 10000);
}

static void products_agree(pvm_gas_mode mode)
{
    static const uint32_t values[] = {0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x12345678, 0xfedcba98};
    enum { N = sizeof values / sizeof values[0] };
    pvm_engine *engines[2];
    pvm_module *modules[2];
    for (int k = 0; k < 2; k++) {
        engines[k] = pair_engine(k, mode);
        modules[k] = compile_lines(engines[k]);
    }
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < N; j++) {
            uint32_t x = values[i], y = values[j], z = x ^ y ^ 0x80000000u, w = y + 3;
            outcome want = run(modules[0], x, y, z, w, 0), got = run(modules[1], x, y, z, w, 0);
            assert_same_outcome(&got, &want);
            assert_int_equal(want.kind, PVM_EXIT_HALT);
            uint32_t hz = hi32(z, x), a1 = z + (w + hi32(x, y)) + x * y + hi32(y, x * y); /* 1 */
            a1 = ((a1 ^ (hz ^ x)) + ((hz & y) | hz)) ^ (x * z);                /* 2 */
            assert_int_equal((uint32_t)want.regs[A1], a1);
            assert_int_equal((uint32_t)want.regs[A4], y * y); /* 3 */
            assert_int_equal((uint32_t)want.regs[A0], x + hi32(y, y));
            assert_int_equal((uint32_t)want.regs[A5], x * y); /* 4 */
            assert_int_equal((uint32_t)want.regs[A3], hi32(x, y));
            assert_int_equal((uint32_t)want.regs[T2], hi32(hi32(x, y), y));
            uint32_t x5 = x + hi32(x, y); /* 5 */
            assert_int_equal((uint32_t)want.regs[T0], x5);
            assert_int_equal((uint32_t)want.regs[S0], x5 * y);
            assert_int_equal((uint32_t)want.regs[S1], x5 * y); /* 6 */
            for (uint32_t p = 1; p <= N_LINES; p++) {
                want = run(modules[0], x, y, z, w, pcs[p]);
                got = run(modules[1], x, y, z, w, pcs[p]);
                assert_same_outcome(&got, &want);
            }
        }
    for (int k = 0; k < 2; k++) pvm_engine_free(engines[k]);
}

static void product_halves_agree_none(void **state) { (void)state, products_agree(PVM_GAS_NONE); }
static void product_halves_agree_sync(void **state) { (void)state, products_agree(PVM_GAS_SYNC); }
static void product_halves_agree_async(void **state) { (void)state, products_agree(PVM_GAS_ASYNC); }

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(product_halves_agree_none),
                                       cmocka_unit_test(product_halves_agree_sync),
                                       cmocka_unit_test(product_halves_agree_async)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
