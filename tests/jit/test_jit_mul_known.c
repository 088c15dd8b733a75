/* Products by a register that holds a constant (vm/jit/emit_ops.c, emit_mul_by_known) against
 * the interpreter: `load_imm t, K; ...; mul d, a, t` with d a third register and t still live
 * is `imul d, a, K`. Both widths (and rv64's mul_32), the constant either operand, ops and a
 * load between (which may fault), constants 19, 0x7fffffff, INT32_MIN, -1 and 0, and a register
 * whose last write is no load_imm (not taken). From the start over boundary values (results
 * also checked in C) and from every instruction's pc with other register values: a run started
 * between the load_imm and the product must not use the constant (those have no entry). */
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
enum { MUL = -1, MUL32 = -2 }; /* the width's product; rv64's mul_32 (mul_32 in rv32 too) */

typedef struct {
    int op;
    unsigned r0, r1, r2; /* d, a, b of reg3 / d, a of reg_reg / a, b of reg_reg_imm / a of reg_imm */
    int64_t imm;
} line;

static const line code[] = {
    {PVM_OP_LOAD_IMM, T0, 0, 0, 19},          {PVM_OP_MOVE_REG, S0, A1, 0, 0},
    {MUL, S1, A0, T0, 0},                     /* s1 = x * 19 */
    {MUL, A2, T0, A1, 0},                     /* a2 = 19 * y: the constant first */
    {PVM_OP_LOAD_IMM, T1, 0, 0, 0x7fffffff},  {PVM_OP_LOAD_IND_U8, A5, SP, 0, -1}, /* a load between */
    {MUL, A3, A1, T1, 0},                     /* a3 = y * 0x7fffffff */
    {PVM_OP_LOAD_IMM, T2, 0, 0, INT32_MIN},   {MUL32, A4, A0, T2, 0}, /* a4 = (int32)(x * 2^31) */
    {PVM_OP_LOAD_IMM, T0, 0, 0, -1},          {MUL, A5, A1, T0, 0},   /* a5 = -y */
    {PVM_OP_ADD_IMM_32, T0, T0, 0, 4},        {MUL, S0, A0, T0, 0},   /* t0 = 3 by an add: not taken */
    {PVM_OP_LOAD_IMM, T2, 0, 0, 0},           {MUL32, T1, A1, T2, 0}, /* t1 = 0 */
};
enum { N_LINES = sizeof code / sizeof code[0] };

static uint32_t pcs[N_LINES + 1];

static pvm_module *compile_lines(pvm_engine *e, bool wide)
{
    pvm_builder *b = pvm_builder_new(wide ? PVM_ISA_LATEST64 : PVM_ISA_LATEST32);
    pvm_label entry = pvm_builder_label(b);
    pvm_builder_export(b, "run", entry);
    pvm_builder_bind(b, entry);
    pvm_builder_set_stack_size(b, 4096); /* the load reads below sp */
    for (size_t i = 0; i < N_LINES; i++) {
        int op = code[i].op == MUL ? (wide ? PVM_OP_MUL_64 : PVM_OP_MUL_32) : code[i].op == MUL32 ? PVM_OP_MUL_32 : code[i].op;
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

/* m's "run"(x, y) from gas 1000; with pc != 0 from there, the other registers preset (sign-extended
 * in the 32-bit program, as its registers always are; sp then points nowhere: the load faults). */
static outcome run(pvm_module *m, bool wide, uint64_t x, uint64_t y, uint32_t pc)
{
    pvm_instance *in;
    uint64_t args[2] = {x, y};
    assert_int_equal(pvm_instance_new(m, &in, NULL), PVM_OK);
    assert_int_equal(pvm_instance_prepare_call(in, "run", 0, args, 2, NULL), PVM_OK);
    if (pc) {
        for (unsigned r = 1; r < PVM_REG_COUNT; r++) {
            uint64_t v = x * r + y + 3;
            if (r != A0 && r != A1) assert_int_equal(pvm_instance_set_reg(in, r, wide ? v : sext32(v), NULL), PVM_OK);
        }
        assert_int_equal(pvm_instance_set_pc(in, pc, NULL), PVM_OK);
    }
    return run_prepared(in, 1000);
}

static void products_agree(bool wide)
{
    static const uint64_t values[] = {0,          1,          2,          3,          0x7fffffff,
                                      0x80000000, 0xffffffff, 0x100000002ull, 0x123456789abcdef0ull,
                                      0x7fffffffffffffffull,  0x8000000000000000ull, UINT64_MAX};
    enum { N = sizeof values / sizeof values[0] };
    pvm_engine *engines[2];
    pvm_module *modules[2];
    for (int k = 0; k < 2; k++) {
        engines[k] = pair_engine(k, PVM_GAS_SYNC);
        modules[k] = compile_lines(engines[k], wide);
    }
    uint64_t mask = wide ? UINT64_MAX : UINT32_MAX;
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < N; j++) {
            uint64_t x = wide ? values[i] : sext32(values[i]), y = wide ? values[j] : sext32(values[j]);
            outcome want = run(modules[0], wide, x, y, 0), got = run(modules[1], wide, x, y, 0);
            assert_same_outcome(&got, &want);
            assert_int_equal(want.kind, PVM_EXIT_HALT);
            assert_int_equal(want.regs[S1] & mask, (x * 19) & mask);
            assert_int_equal(want.regs[A2] & mask, (19 * y) & mask);
            assert_int_equal(want.regs[A3] & mask, (y * 0x7fffffff) & mask);
            assert_int_equal(want.regs[A4] & mask, sext32(x << 31) & mask);
            assert_int_equal(want.regs[A5] & mask, (0 - y) & mask);
            assert_int_equal(want.regs[S0] & mask, (x * 3) & mask);
            assert_int_equal(want.regs[T1], 0);
            for (uint32_t p = 1; p <= N_LINES; p++) {
                want = run(modules[0], wide, x, y, pcs[p]);
                got = run(modules[1], wide, x, y, pcs[p]);
                assert_same_outcome(&got, &want);
            }
        }
    for (int k = 0; k < 2; k++) pvm_engine_free(engines[k]);
}

static void products_by_known_constants_agree_64(void **state) { (void)state, products_agree(true); }
static void products_by_known_constants_agree_32(void **state) { (void)state, products_agree(false); }

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(products_by_known_constants_agree_64),
                                       cmocka_unit_test(products_by_known_constants_agree_32)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
