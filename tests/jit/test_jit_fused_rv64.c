/* 64-bit programs' code-generation rules of vm/jit/emit_ops.c against the interpreter:
 * a left shift by 1-3 into another register (emit_shift_left_64: one lea), a pure op
 * whose result the next and/or/xor/mul/sub consumes and nothing reads afterwards
 * (emit_into_consumer: the op writes the consumer's destination), a scaled index whose
 * add has one independent op between it and the shift (emit_scaled_add_past), an add_imm
 * whose result is tested against 0 (emit_zero_test: cmp + sete/setne), a product's high
 * half added to the register that lives in rdx (emit_mul_upper_add), an add_imm_32 into
 * two min/max (emit_add_into_min_max), loops counting down whose add sets the branch's
 * flags (emit_count_branch), branches against a constant loaded before them (emit_const_branch,
 * also in a 32-bit program), and a
 * carry fused across a block end into a block that starts with `unlikely` (the liveness
 * scan passes the hint). Each program runs on both backends over boundary values and,
 * for the straight-line ones, from every instruction's pc (a start inside a fused
 * sequence goes to the interpreter); exit, pc, gas and every register agree, and the
 * results are checked against C. None of these sequences can fault. */
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
    unsigned r0, r1, r2; /* d, a, b of reg3 / d, a of reg_reg / a, b of reg_reg_imm / a of reg_imm */
    int64_t imm;
} line;

static const uint64_t values[] = {0,          1,          2,          3,          0x7fffffff,
                                  0x80000000, 0xfffffffe, 0xffffffff, 0x100000002ull, 0x123456789abcdef0ull,
                                  0x7fffffffffffffffull,  0x8000000000000000ull, UINT64_MAX - 1, UINT64_MAX};
enum { N_VALUES = sizeof values / sizeof values[0] };

/* The lines, then a return (jump_ind ra); pcs[i] = the pc of line i. */
static pvm_module *compile_lines(pvm_engine *e, const line *code, size_t n, uint32_t *pcs)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST64);
    pvm_label entry = pvm_builder_label(b);
    pvm_builder_export(b, "run", entry);
    pvm_builder_bind(b, entry);
    for (size_t i = 0; i < n; i++) {
        pcs[i] = pvm_builder_pc(b);
        switch (pvm_op_table[code[i].op].kind) {
        case PVM_KIND_REG3: pvm_emit_reg3(b, code[i].op, code[i].r0, code[i].r1, code[i].r2); break;
        case PVM_KIND_REG_REG: pvm_emit_reg_reg(b, code[i].op, code[i].r0, code[i].r1); break;
        case PVM_KIND_REG_REG_IMM: pvm_emit_reg_reg_imm(b, code[i].op, code[i].r0, code[i].r1, code[i].imm); break;
        default: pvm_emit_reg_imm(b, code[i].op, code[i].r0, code[i].imm); break;
        }
    }
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, RA, 0);
    return finish(e, b);
}

/* Runs m's "run"(x, y) from gas; with pc != 0 from that pc instead, every other register preset. */
static outcome run(pvm_module *m, uint64_t x, uint64_t y, uint32_t pc, int64_t gas)
{
    pvm_instance *in;
    uint64_t args[2] = {x, y};
    assert_int_equal(pvm_instance_new(m, &in, NULL), PVM_OK);
    assert_int_equal(pvm_instance_prepare_call(in, "run", 0, args, 2, NULL), PVM_OK);
    if (pc) {
        for (unsigned r = 2; r < PVM_REG_COUNT; r++)
            if (r != A0 && r != A1) assert_int_equal(pvm_instance_set_reg(in, r, x * r + y, NULL), PVM_OK);
        assert_int_equal(pvm_instance_set_pc(in, pc, NULL), PVM_OK);
    }
    return run_prepared(in, gas);
}

typedef void (*line_check)(uint64_t x, uint64_t y, const outcome *o);

/* The lines on both backends (sync gas): from the start over every pair of values (then
 * check pins the results), and from each line's pc. */
static void lines_agree(const line *code, size_t n, line_check check)
{
    pvm_engine *engines[2];
    pvm_module *modules[2];
    uint32_t pcs[64];
    assert_true(n <= 64);
    for (int k = 0; k < 2; k++) {
        engines[k] = pair_engine(k, PVM_GAS_SYNC);
        modules[k] = compile_lines(engines[k], code, n, pcs);
    }
    for (size_t i = 0; i < N_VALUES; i++)
        for (size_t j = 0; j < N_VALUES; j++) {
            outcome want = run(modules[0], values[i], values[j], 0, 1000), got = run(modules[1], values[i], values[j], 0, 1000);
            assert_same_outcome(&got, &want);
            assert_int_equal(want.kind, PVM_EXIT_HALT);
            check(values[i], values[j], &want);
            for (size_t l = 1; l < n; l += 1 + (i + j) % 2) {
                want = run(modules[0], values[i], values[j], pcs[l], 1000);
                got = run(modules[1], values[i], values[j], pcs[l], 1000);
                assert_same_outcome(&got, &want);
            }
        }
    for (int k = 0; k < 2; k++) pvm_engine_free(engines[k]);
}

static uint64_t sext32(uint64_t v) { return (uint64_t)(int64_t)(int32_t)(uint32_t)v; }

/* Left shifts: by 1, 2 and 3 into another register (lea), by 0, 4 and 63 (not), in place. */
static const line shift_code[] = {
    {PVM_OP_SHLO_L_IMM_64, A2, A0, 0, 1}, {PVM_OP_SHLO_L_IMM_64, A3, A0, 0, 2}, {PVM_OP_SHLO_L_IMM_64, A4, A1, 0, 3},
    {PVM_OP_SHLO_L_IMM_64, A5, A0, 0, 0}, {PVM_OP_SHLO_L_IMM_64, S0, A1, 0, 4}, {PVM_OP_SHLO_L_IMM_64, S1, A0, 0, 63},
    {PVM_OP_MOVE_REG, T0, A1, 0, 0},      {PVM_OP_SHLO_L_IMM_64, T0, T0, 0, 3}, {PVM_OP_SHLO_L_IMM_64, T1, A1, 0, 65},
};

static void check_shifts(uint64_t x, uint64_t y, const outcome *o)
{
    assert_int_equal(o->regs[A2], x << 1);
    assert_int_equal(o->regs[A3], x << 2);
    assert_int_equal(o->regs[A4], y << 3);
    assert_int_equal(o->regs[A5], x);
    assert_int_equal(o->regs[S0], y << 4);
    assert_int_equal(o->regs[S1], x << 63);
    assert_int_equal(o->regs[T0], y << 3);
    assert_int_equal(o->regs[T1], y << 1); /* the amount is taken modulo 64 */
}

/* Consumers that take the op's result (the temporary is overwritten within the next few
 * pure ops), and pairs that must stay apart: the temporary as the subtrahend, read later,
 * or the consumer's other operand. */
static const line consumer_code[] = {
    {PVM_OP_SHLO_R_IMM_64, T0, A0, 0, 30}, {PVM_OP_XOR, S0, T0, A0, 0},      /* s0 = (x >> 30) ^ x */
    {PVM_OP_AND_IMM, T0, A1, 0, 0xff0},    {PVM_OP_OR, S1, A0, T0, 0},       /* s1 = x | (y & 0xff0), t second */
    {PVM_OP_ADD_IMM_64, T0, A0, 0, 7},     {PVM_OP_SUB_64, A2, T0, A1, 0},   /* a2 = x + 7 - y */
    {PVM_OP_ADD_IMM_64, T0, A1, 0, 3},     {PVM_OP_SUB_64, A3, A0, T0, 0},   /* a3 = x - (y + 3): apart */
    {PVM_OP_LOAD_IMM, T0, 0, 0, -5},       {PVM_OP_MUL_64, A4, T0, A0, 0},   /* a4 = -5x */
    {PVM_OP_LOAD_IMM, T0, 0, 0, 1},        {PVM_OP_MOVE_REG, A5, A1, 0, 0},
    {PVM_OP_SUB_64, T1, A0, A5, 0},        {PVM_OP_AND, A5, T1, A1, 0},      /* the op reads the consumer's d */
    {PVM_OP_ADD_32, T1, A0, A1, 0},        {PVM_OP_MUL_32, T2, T1, A0, 0},   /* 32-bit: sign-extended */
    {PVM_OP_SHLO_R_IMM_32, T1, A0, 0, 4},  {PVM_OP_SUB_32, SP, T1, A1, 0},
    {PVM_OP_SHLO_R_IMM_64, T1, A1, 0, 7},  {PVM_OP_XOR, T0, T1, A1, 0},      /* t read later: apart */
    {PVM_OP_ADD_64, T1, T1, T1, 0},
};

static void check_consumers(uint64_t x, uint64_t y, const outcome *o)
{
    assert_int_equal(o->regs[S0], (x >> 30) ^ x);
    assert_int_equal(o->regs[S1], x | (y & 0xff0));
    assert_int_equal(o->regs[A2], x + 7 - y);
    assert_int_equal(o->regs[A3], x - (y + 3));
    assert_int_equal(o->regs[A4], (uint64_t)-5 * x);
    assert_int_equal(o->regs[A5], (x - y) & y);
    assert_int_equal(o->regs[T2], sext32((uint32_t)(x + y) * (uint32_t)x));
    assert_int_equal(o->regs[SP], sext32(((uint32_t)x >> 4) - (uint32_t)y));
    assert_int_equal(o->regs[T0], (y >> 7) ^ y);
    assert_int_equal(o->regs[T1], 2 * (y >> 7));
}

/* A scaled index whose add comes one op after the shift: the op gives the base (stack
 * address, table base), the shift in place; and apart: the op reads the shifted register,
 * writes the index, or the shift is by 4. */
static const line scaled_code[] = {
    {PVM_OP_SHLO_L_IMM_64, T0, A0, 0, 3}, {PVM_OP_ADD_IMM_64, T1, A1, 0, 40},  {PVM_OP_ADD_64, T0, T0, T1, 0},
    {PVM_OP_MOVE_REG, T2, A0, 0, 0},      {PVM_OP_SHLO_L_IMM_64, T2, T2, 0, 2}, {PVM_OP_LOAD_IMM, S0, 0, 0, 65568},
    {PVM_OP_ADD_64, T2, S0, T2, 0},       /* b first */
    {PVM_OP_SHLO_L_IMM_64, S1, A1, 0, 1}, {PVM_OP_ADD_IMM_64, A2, S1, 0, 1},   {PVM_OP_ADD_64, S1, S1, A0, 0},
    {PVM_OP_MOVE_REG, A5, A0, 0, 0},      {PVM_OP_SHLO_L_IMM_64, A3, A5, 0, 2}, {PVM_OP_ADD_IMM_64, A5, A5, 0, 1},
    {PVM_OP_ADD_64, A3, A3, A1, 0},
    {PVM_OP_SHLO_L_IMM_64, A4, A1, 0, 4}, {PVM_OP_LOAD_IMM, SP, 0, 0, 9},       {PVM_OP_ADD_64, A4, A4, SP, 0},
};

static void check_scaled(uint64_t x, uint64_t y, const outcome *o)
{
    assert_int_equal(o->regs[T0], y + 40 + x * 8);
    assert_int_equal(o->regs[T1], y + 40);
    assert_int_equal(o->regs[T2], 65568 + x * 4);
    assert_int_equal(o->regs[S0], 65568);
    assert_int_equal(o->regs[S1], 2 * y + x);
    assert_int_equal(o->regs[A2], 2 * y + 1);
    assert_int_equal(o->regs[A3], 4 * x + y);
    assert_int_equal(o->regs[A5], x + 1);
    assert_int_equal(o->regs[A4], 16 * y + 9);
    assert_int_equal(o->regs[SP], 9);
}

/* Tests against constants through an add_imm: the compare's register is the add's, or the
 * add's is overwritten next (fused: cmp + sete/setne), or read later (apart); 32-bit adds
 * compare the low half; k = 0 (test) and k = -2^31 (-k does not fit an imm32: apart). */
static const line zero_test_code[] = {
    {PVM_OP_ADD_IMM_64, T0, A0, 0, -3},         {PVM_OP_SET_LT_U_IMM, T0, T0, 0, 1},  /* t0 = x == 3 */
    {PVM_OP_ADD_IMM_64, T1, A0, 0, 1},          {PVM_OP_SET_GT_U_IMM, S0, T1, 0, 0},  /* s0 = x != -1 */
    {PVM_OP_LOAD_IMM, T1, 0, 0, 4},
    {PVM_OP_ADD_IMM_32, T2, A1, 0, -2},         {PVM_OP_SET_LT_U_IMM, S1, T2, 0, 1},  /* s1 = (u32)y == 2 */
    {PVM_OP_LOAD_IMM, T2, 0, 0, 5},
    {PVM_OP_ADD_IMM_64, A2, A1, 0, -0x7fffffff}, {PVM_OP_SET_LT_U_IMM, A3, A2, 0, 1}, /* a2 stays: apart */
    {PVM_OP_ADD_IMM_64, A4, A0, 0, 0},          {PVM_OP_SET_GT_U_IMM, A4, A4, 0, 0},  /* a4 = x != 0 */
    {PVM_OP_ADD_IMM_64, A5, A0, 0, INT32_MIN},  {PVM_OP_SET_LT_U_IMM, A5, A5, 0, 1},  /* a5 = x == 2^31 */
    {PVM_OP_ADD_IMM_32, SP, A0, 0, 1},          {PVM_OP_SET_GT_U_IMM, SP, SP, 0, 0},  /* sp = (u32)x != 2^32 - 1 */
    {PVM_OP_ADD_IMM_64, T2, A1, 0, -1},         {PVM_OP_SET_LT_U_IMM, T2, T2, 0, 2},  /* t2 = y - 1 < 2: apart */
};

static void check_zero_tests(uint64_t x, uint64_t y, const outcome *o)
{
    assert_int_equal(o->regs[T0], x == 3);
    assert_int_equal(o->regs[S0], x != UINT64_MAX);
    assert_int_equal(o->regs[T1], 4);
    assert_int_equal(o->regs[S1], (uint32_t)y == 2);
    assert_int_equal(o->regs[A2], y - 0x7fffffff);
    assert_int_equal(o->regs[A3], y == 0x7fffffff);
    assert_int_equal(o->regs[A4], x != 0);
    assert_int_equal(o->regs[A5], x == 0x80000000u);
    assert_int_equal(o->regs[SP], (uint32_t)x != UINT32_MAX);
    assert_int_equal(o->regs[T2], y - 1 < 2);
}

static void zero_tests_agree_with_the_interpreter(void **state)
{
    (void)state;
    lines_agree(zero_test_code, sizeof zero_test_code / sizeof zero_test_code[0], check_zero_tests);
}

/* Products by a loaded constant (emit_constant_mul: imul d, x, K), from every pc: into the
 * constant's register (either operand order), into another register with the constant's
 * overwritten next (dead), into the other operand's register, and with the constant's
 * register read afterwards (live: not fused); constants 0x7fffffff, -2^31, -1, 0, -3. */
static const line const_mul_code[] = {
    {PVM_OP_LOAD_IMM, T0, 0, 0, 0x7fffffff}, {PVM_OP_MUL_64, T0, A0, T0, 0},
    {PVM_OP_LOAD_IMM, T1, 0, 0, INT32_MIN},  {PVM_OP_MUL_64, A2, T1, A1, 0}, {PVM_OP_LOAD_IMM, T1, 0, 0, 9},
    {PVM_OP_LOAD_IMM, S0, 0, 0, -1},         {PVM_OP_MUL_64, A3, A0, S0, 0}, {PVM_OP_ADD_64, A4, S0, A1, 0},
    {PVM_OP_LOAD_IMM, S1, 0, 0, 0},          {PVM_OP_MUL_64, A5, A1, S1, 0}, {PVM_OP_LOAD_IMM, S1, 0, 0, 3},
    {PVM_OP_LOAD_IMM, SP, 0, 0, 3},          {PVM_OP_MUL_64, SP, SP, A0, 0},
    {PVM_OP_LOAD_IMM, T2, 0, 0, -3},         {PVM_OP_MUL_64, A1, T2, A1, 0}, {PVM_OP_LOAD_IMM, T2, 0, 0, 11},
};

static void check_const_muls(uint64_t x, uint64_t y, const outcome *o)
{
    assert_int_equal(o->regs[T0], x * 0x7fffffffull);
    assert_int_equal(o->regs[A2], y * 0xffffffff80000000ull);
    assert_int_equal(o->regs[T1], 9);
    assert_int_equal(o->regs[A3], 0 - x);
    assert_int_equal(o->regs[A4], y - 1);
    assert_int_equal(o->regs[S0], UINT64_MAX);
    assert_int_equal(o->regs[A5], 0);
    assert_int_equal(o->regs[S1], 3);
    assert_int_equal(o->regs[SP], 3 * x);
    assert_int_equal(o->regs[A1], y * (0 - 3ull));
    assert_int_equal(o->regs[T2], 11);
}

static void const_muls_agree_with_the_interpreter(void **state)
{
    (void)state;
    lines_agree(const_mul_code, sizeof const_mul_code / sizeof const_mul_code[0], check_const_muls);
}

/* An add_imm_32 into two min/max of one kind (emit_add_into_min_max: the other operands are
 * sign-extensions, so the compare is over 32 bits and the movsxd leaves the path), started
 * from every pc: edit_distance's d = min(min(prev + 1, up + 1), diag) in place, a max into
 * another register (the add's result stays), a signed min. */
static const line add_min_code[] = {
    {PVM_OP_ADD_IMM_32, T0, A1, 0, 1},  {PVM_OP_ADD_32, T1, A0, A1, 0},
    {PVM_OP_ADD_IMM_32, S0, A0, 0, 1},  {PVM_OP_MIN_U, S0, S0, T0, 0}, {PVM_OP_MIN_U, S0, S0, T1, 0},
    {PVM_OP_ADD_IMM_32, S1, A1, 0, -1}, {PVM_OP_MAX_U, A2, T0, S1, 0}, {PVM_OP_MAX_U, A2, T1, A2, 0},
    {PVM_OP_ADD_IMM_32, A3, A0, 0, 0x7fffffff}, {PVM_OP_MIN, A3, T1, A3, 0}, {PVM_OP_MIN, A3, A3, T0, 0},
};

static uint64_t umin(uint64_t a, uint64_t b) { return a < b ? a : b; }
static uint64_t umax(uint64_t a, uint64_t b) { return a > b ? a : b; }
static uint64_t smin(uint64_t a, uint64_t b) { return (int64_t)a < (int64_t)b ? a : b; }

static void check_add_mins(uint64_t x, uint64_t y, const outcome *o)
{
    uint64_t t0 = sext32(y + 1), t1 = sext32(x + y), s1 = sext32(y - 1);
    assert_int_equal(o->regs[S0], umin(umin(sext32(x + 1), t0), t1));
    assert_int_equal(o->regs[S1], s1);
    assert_int_equal(o->regs[A2], umax(umax(t0, s1), t1));
    assert_int_equal(o->regs[A3], smin(smin(t1, sext32(x + 0x7fffffff)), t0));
}

static void add_mins_agree_with_the_interpreter(void **state)
{
    (void)state;
    lines_agree(add_min_code, sizeof add_min_code / sizeof add_min_code[0], check_add_mins);
}

/* High halves of products accumulated into a2, the register that lives in rdx (mulx's
 * source): in both operand orders; apart when an operand is a2 or the sum goes elsewhere. */
static const line mul_upper_add_code[] = {
    {PVM_OP_XOR, A2, A0, A1, 0},
    {PVM_OP_MUL_UPPER_U_U, T0, A0, A1, 0}, {PVM_OP_ADD_64, A2, A2, T0, 0}, /* a2 += hi(x * y) */
    {PVM_OP_MUL_UPPER_U_U, T1, A1, A1, 0}, {PVM_OP_ADD_64, A2, T1, A2, 0}, /* a2 += hi(y * y) */
    {PVM_OP_MUL_UPPER_U_U, T2, A2, A0, 0}, {PVM_OP_ADD_64, A2, A2, T2, 0}, /* an operand in rdx: apart */
    {PVM_OP_MUL_UPPER_U_U, S0, A0, A1, 0}, {PVM_OP_ADD_64, S1, A2, S0, 0}, /* into another register: apart */
};

static uint64_t mulhu(uint64_t a, uint64_t b) { return (uint64_t)((unsigned __int128)a * b >> 64); }

static void check_mul_upper_adds(uint64_t x, uint64_t y, const outcome *o)
{
    uint64_t a2 = (x ^ y) + mulhu(x, y);
    a2 += mulhu(y, y);
    assert_int_equal(o->regs[T0], mulhu(x, y));
    assert_int_equal(o->regs[T1], mulhu(y, y));
    assert_int_equal(o->regs[T2], mulhu(a2, x));
    a2 += mulhu(a2, x);
    assert_int_equal(o->regs[A2], a2);
    assert_int_equal(o->regs[S0], mulhu(x, y));
    assert_int_equal(o->regs[S1], a2 + mulhu(x, y));
}

static void mul_upper_adds_agree_with_the_interpreter(void **state)
{
    (void)state;
    lines_agree(mul_upper_add_code, sizeof mul_upper_add_code / sizeof mul_upper_add_code[0], check_mul_upper_adds);
}

/* Loops counting down to zero whose add leaves the branch its flags (emit_count_branch): a
 * 32-bit counter with a store (which may fault: the base is sp + y), a load and a move
 * between the add and the branch, a 64-bit counter with only a load_imm between, and an add
 * into another register (apart). Run from the start and from every pc, with faults inside
 * the window and out-of-gas in the loops that do not end (counters of 0 or 2^31). */
static uint32_t count_pcs[32], count_n, count_store_pc;
static pvm_module *compile_count_loops(pvm_engine *e)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST64);
    pvm_builder_set_stack_size(b, 8192);
    pvm_label entry = pvm_builder_label(b), loop = pvm_builder_label(b), loop2 = pvm_builder_label(b),
              out = pvm_builder_label(b), skip = pvm_builder_label(b);
    pvm_builder_export(b, "run", entry);
    pvm_builder_bind(b, entry);
    count_n = 0;
#define AT() (assert_true(count_n < 32), count_pcs[count_n++] = pvm_builder_pc(b))
    AT(), pvm_emit_reg3(b, PVM_OP_ADD_64, A1, A1, SP);
    AT(), pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, A3, -3);
    AT(), pvm_emit_none(b, PVM_OP_FALLTHROUGH); /* a branch target starts a block */
    pvm_builder_bind(b, loop);
    AT(), pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_32, A0, A0, -1);
    count_store_pc = AT(), pvm_emit_reg_reg_imm(b, PVM_OP_STORE_IND_U32, A0, A1, 0);
    AT(), pvm_emit_reg_reg_imm(b, PVM_OP_LOAD_IND_U32, A5, A1, 0);
    AT(), pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, A4, A0);
    AT(), pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_NE_IMM, A0, 0, loop);
    pvm_builder_bind(b, loop2);
    AT(), pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, A3, A3, 1);
    AT(), pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, T0, 9);
    AT(), pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_EQ_IMM, A3, 0, out);
    AT(), pvm_emit_jump(b, PVM_OP_JUMP, loop2);
    pvm_builder_bind(b, out);
    AT(), pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, S0, A5, -1);
    AT(), pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_EQ_IMM, S0, 0, skip);
    AT(), pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, S1, 1);
    AT(), pvm_emit_none(b, PVM_OP_FALLTHROUGH);
    pvm_builder_bind(b, skip);
    AT(), pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, RA, 0);
#undef AT
    return finish(e, b);
}

static void count_loops_agree_with_the_interpreter(void **state)
{
    (void)state;
    static const uint64_t xs[] = {1, 2, 5, 0x100000001ull, 0xffffffff00000003ull, 0, 0x80000000};
    static const int64_t ys[] = {-256, 0x40000000};
    pvm_engine *engines[2];
    pvm_module *modules[2];
    for (int k = 0; k < 2; k++) {
        engines[k] = pair_engine(k, PVM_GAS_SYNC);
        modules[k] = compile_count_loops(engines[k]);
    }
    unsigned halts = 0, faults = 0, out_of_gas = 0;
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++)
        for (size_t j = 0; j < sizeof ys / sizeof ys[0]; j++) {
            uint64_t x = xs[i], y = (uint64_t)ys[j];
            outcome want = run(modules[0], x, y, 0, 1000), got = run(modules[1], x, y, 0, 1000);
            assert_same_outcome(&got, &want);
            if (want.kind == PVM_EXIT_HALT) {
                halts++;
                assert_int_equal(want.regs[A0], 0);
                assert_int_equal(want.regs[A4], 0);
                assert_int_equal(want.regs[A5], 0);
                assert_int_equal(want.regs[A3], 0);
                assert_int_equal(want.regs[T0], 9);
                assert_int_equal(want.regs[S0], UINT64_MAX);
            } else if (want.kind == PVM_EXIT_PAGE_FAULT || want.kind == PVM_EXIT_PANIC) { /* the store, far outside */
                faults++;
                assert_int_equal(want.pc, count_store_pc);
                assert_int_equal(want.regs[A0], sext32(x - 1)); /* the add done, the store not */
            } else {
                out_of_gas++;
                assert_int_equal(want.kind, PVM_EXIT_OUT_OF_GAS);
            }
            for (uint32_t l = 1; l < count_n; l++) {
                want = run(modules[0], x, y, count_pcs[l], 1000);
                got = run(modules[1], x, y, count_pcs[l], 1000);
                assert_same_outcome(&got, &want);
            }
        }
    assert_true(halts >= 4 && faults >= 5 && out_of_gas >= 2);
    for (int k = 0; k < 2; k++) pvm_engine_free(engines[k]);
}

/* Branches on a register against a constant loaded right before it (emit_const_branch: cmp x,
 * K when the constant's register is dead on both successors): the constant second and first
 * (the condition swapped), unsigned and signed, 2^31 - 1 and 0 (test), and apart when the
 * register is read after the branch. Both widths (x and y sign-extended from 32 bits in the
 * 32-bit program), gas none (the successors' entries cannot stop: fused) and sync (checked
 * entries: apart). Each case sets its own register to 1 or 2 by the way it went. */
typedef struct {
    int op;
    int64_t k;
    bool k_first;
    unsigned x, out;
} const_case;
static const const_case const_cases[] = {
    {PVM_OP_BRANCH_LT_U, 10, false, A0, S0},         {PVM_OP_BRANCH_LT_S, -11, true, A1, S1},
    {PVM_OP_BRANCH_GE_U, 0x7fffffff, true, A0, A2},  {PVM_OP_BRANCH_EQ, 0, false, A1, A3},
    {PVM_OP_BRANCH_GE_S, -1, false, A0, A4},         {PVM_OP_BRANCH_NE, 0x7fffffff, true, A1, A5},
    {PVM_OP_BRANCH_LT_U, -2, true, A1, SP},
};
enum { N_CONST_CASES = sizeof const_cases / sizeof const_cases[0] };

static pvm_module *compile_const_branches(pvm_engine *e, pvm_isa isa, bool live)
{
    pvm_builder *b = pvm_builder_new(isa);
    pvm_label entry = pvm_builder_label(b);
    pvm_builder_export(b, "run", entry);
    pvm_builder_bind(b, entry);
    for (int i = 0; i < N_CONST_CASES; i++) {
        const const_case *c = &const_cases[i];
        pvm_label taken = pvm_builder_label(b), next = pvm_builder_label(b);
        pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, T0, c->k);
        if (c->k_first) pvm_emit_reg_reg_jump(b, c->op, T0, c->x, taken);
        else pvm_emit_reg_reg_jump(b, c->op, c->x, T0, taken);
        if (live) pvm_emit_reg3(b, PVM_OP_ADD_32, T1, T1, T0); /* t read on the fall-through: apart */
        pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, T0, 3);    /* both successors overwrite t first */
        pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, c->out, 1);
        pvm_emit_jump(b, PVM_OP_JUMP, next);
        pvm_builder_bind(b, taken);
        pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, T0, 4);
        pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, c->out, 2);
        pvm_emit_none(b, PVM_OP_FALLTHROUGH);
        pvm_builder_bind(b, next);
    }
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, RA, 0);
    return finish(e, b);
}

static bool const_taken(const const_case *c, bool w, uint64_t v)
{
    uint64_t k = (uint64_t)c->k, a = c->k_first ? k : v, bb = c->k_first ? v : k;
    if (!w) a = (uint64_t)(int64_t)(int32_t)a, bb = (uint64_t)(int64_t)(int32_t)bb; /* registers as the API shows them */
    switch (c->op) {
    case PVM_OP_BRANCH_LT_U: return a < bb;
    case PVM_OP_BRANCH_GE_U: return a >= bb;
    case PVM_OP_BRANCH_LT_S: return (int64_t)a < (int64_t)bb;
    case PVM_OP_BRANCH_GE_S: return (int64_t)a >= (int64_t)bb;
    case PVM_OP_BRANCH_EQ: return a == bb;
    default: return a != bb;
    }
}

static void const_branches_agree_with_the_interpreter(void **state)
{
    (void)state;
    static const pvm_isa isas[] = {PVM_ISA_LATEST64, PVM_ISA_LATEST32};
    for (int w = 0; w < 2; w++)
        for (int gm = 0; gm < 2; gm++)
            for (int live = 0; live < 2; live++) {
                pvm_engine *engines[2];
                pvm_module *modules[2];
                for (int k = 0; k < 2; k++) {
                    engines[k] = pair_engine(k, gm ? PVM_GAS_SYNC : PVM_GAS_NONE);
                    modules[k] = compile_const_branches(engines[k], isas[w], live);
                }
                for (size_t i = 0; i < N_VALUES; i++)
                    for (size_t j = 0; j < N_VALUES; j++) {
                        uint64_t x = w ? sext32(values[i]) : values[i], y = w ? sext32(values[j]) : values[j];
                        outcome want = run(modules[0], x, y, 0, 1000), got = run(modules[1], x, y, 0, 1000);
                        assert_same_outcome(&got, &want);
                        assert_int_equal(want.kind, PVM_EXIT_HALT);
                        for (int c = 0; c < N_CONST_CASES; c++) {
                            const const_case *cc = &const_cases[c];
                            assert_int_equal(want.regs[cc->out], const_taken(cc, !w, cc->x == A0 ? x : y) ? 2 : 1);
                        }
                    }
                for (int k = 0; k < 2; k++) pvm_engine_free(engines[k]);
            }
}

/* A 32-bit-indexed element stored or loaded with one op between the address's add and the
 * access (emit_element_load: the access goes first, from the index before the op): the op
 * steps the index (writes it), rebases (writes the base), or reads the address (t then
 * computed). The base is sp + y: inside the stack, or far outside it so that the access
 * faults inside the fused window (the interpreter redoes the group and stops at the access).
 * The stored word is read back through an address computed before the group. */
static uint32_t access_pc, pre_store_pc; /* of the group's access, of the store before the group (variant 1) */
static pvm_module *compile_element_past(pvm_engine *e, int variant)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST64);
    pvm_builder_set_stack_size(b, 8192);
    pvm_label entry = pvm_builder_label(b);
    pvm_builder_export(b, "run", entry);
    pvm_builder_bind(b, entry);
    pvm_emit_reg3(b, PVM_OP_ADD_64, A1, A1, SP); /* base = sp + y */
    pvm_emit_reg_reg_imm(b, PVM_OP_SHLO_L_IMM_64, S1, A0, 32); /* s1 = base + zext(x) * 4 (apart: no access next) */
    pvm_emit_reg_reg_imm(b, PVM_OP_SHLO_R_IMM_64, S1, S1, 30);
    pvm_emit_reg3(b, PVM_OP_ADD_64, S1, S1, A1);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, A3, 0x5a5a1234);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, A2, 7);
    pre_store_pc = pvm_builder_pc(b);
    if (variant == 1) pvm_emit_reg_reg_imm(b, PVM_OP_STORE_IND_U32, A3, S1, 4); /* the word the group loads */
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, T0, SP, -256); /* x before the group: an address in the stack */
    pvm_emit_reg_reg_imm(b, PVM_OP_SHLO_L_IMM_64, T0, A0, 32); /* the group */
    pvm_emit_reg_reg_imm(b, PVM_OP_SHLO_R_IMM_64, T0, T0, 30);
    pvm_emit_reg3(b, PVM_OP_ADD_64, T1, T0, A1);
    if (variant == 0) pvm_emit_reg3(b, PVM_OP_ADD_32, A0, A0, A2);        /* steps the index */
    else if (variant == 1) pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, A1, A1, 64); /* rebases */
    else pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, T2, T1, 8);         /* reads t: t computed */
    access_pc = pvm_builder_pc(b);
    if (variant == 1) pvm_emit_reg_reg_imm(b, PVM_OP_LOAD_IND_U32, S0, T1, 4); /* a load, past the rebase */
    else pvm_emit_reg_reg_imm(b, PVM_OP_STORE_IND_U32, A3, T1, 4);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, T0, 1); /* x and t dead */
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, T1, 2);
    if (variant != 1) pvm_emit_reg_reg_imm(b, PVM_OP_LOAD_IND_U32, S0, S1, 4); /* the stored word */
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, RA, 0);
    return finish(e, b);
}

static void element_accesses_past_an_op_agree_with_the_interpreter(void **state)
{
    (void)state;
    static const uint64_t xs[] = {0, 1, 5, 0xffffffff, 0x100000003ull};
    static const int64_t ys[] = {-256, -8192 + 64, 0x40000000, -0x10000000};
    for (int gm = 0; gm < 2; gm++)
        for (int variant = 0; variant < 3; variant++) {
            pvm_engine *engines[2];
            pvm_module *modules[2];
            for (int k = 0; k < 2; k++) {
                engines[k] = pair_engine(k, gm ? PVM_GAS_SYNC : PVM_GAS_NONE);
                modules[k] = compile_element_past(engines[k], variant);
            }
            unsigned faults = 0, halts = 0;
            for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++)
                for (size_t j = 0; j < sizeof ys / sizeof ys[0]; j++) {
                    uint64_t x = xs[i], y = (uint64_t)ys[j];
                    outcome want = run(modules[0], x, y, 0, 1000), got = run(modules[1], x, y, 0, 1000);
                    assert_same_outcome(&got, &want);
                    if (want.kind != PVM_EXIT_HALT) { /* at the group's access, the op before it done */
                        faults++;
                        assert_int_equal(want.pc, variant == 1 ? pre_store_pc : access_pc);
                        if (variant == 0) assert_int_equal(want.regs[A0], sext32((uint32_t)x + 7));
                        continue;
                    }
                    halts++;
                    assert_int_equal(want.regs[S0], 0x5a5a1234); /* stored (loaded) at the index before the op */
                    if (variant == 0) assert_int_equal(want.regs[A0], sext32((uint32_t)x + 7));
                    if (variant == 2) assert_int_equal(want.regs[T2], want.regs[S1] + 8); /* t, read by the op */
                }
            assert_true(faults > 0 && halts > 0);
            for (int k = 0; k < 2; k++) pvm_engine_free(engines[k]);
        }
}

/* A 32-bit-indexed element load whose index is an add_imm_64 (emit_element_load_after_add:
 * the add folds into the load's displacement, the 32-bit address wrapping as the guest's
 * zero-extended index does): the index from another register (t dead), in place, and with t
 * read afterwards (t computed); k = -2 (sort_search's a[j - 1]), 0x7fffffff and INT32_MIN, so
 * that x + k carries out of 32 bits, and -0x400 (the element a page below x's). The base is sp + y: inside the stack, or far outside it
 * so that the load faults inside the fused window (the interpreter redoes the five). With a
 * store of a marker word before, through the same address computed apart (the loaded value is
 * then pinned); without it the load faults or reads the stack. From the start (also with lazy
 * pages: the load then first touches the stack's page), and from each of the group's pcs and
 * the ones after it (other register values: sp anywhere). */
static uint32_t after_add_pcs[8], after_add_n;
static const int64_t after_add_k[] = {-2, 0x7fffffff, INT32_MIN, -0x400}; /* shape 3: as 0, another page */
static pvm_module *compile_element_after_add(pvm_engine *e, int shape, bool store)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST64);
    pvm_builder_set_stack_size(b, 8192);
    pvm_label entry = pvm_builder_label(b);
    pvm_builder_export(b, "run", entry);
    pvm_builder_bind(b, entry);
    int64_t k = after_add_k[shape];
    pvm_emit_reg3(b, PVM_OP_ADD_64, A1, A1, SP); /* base = sp + y */
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, A3, 0x5a5a1234);
    if (store) { /* the marker at base + zext(x + k) * 4 + 4, the address computed apart */
        pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, S1, A0, k);
        pvm_emit_reg_reg_imm(b, PVM_OP_SHLO_L_IMM_64, S1, S1, 32);
        pvm_emit_reg_reg_imm(b, PVM_OP_SHLO_R_IMM_64, S1, S1, 30);
        pvm_emit_reg3(b, PVM_OP_ADD_64, S1, S1, A1);
        pvm_emit_reg_reg_imm(b, PVM_OP_STORE_IND_U32, A3, S1, 4);
    }
    if (shape == 1) pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, T0, A0);
    after_add_n = 0;
    after_add_pcs[after_add_n++] = pvm_builder_pc(b);
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, T0, shape == 1 ? T0 : A0, k); /* the group */
    after_add_pcs[after_add_n++] = pvm_builder_pc(b);
    pvm_emit_reg_reg_imm(b, PVM_OP_SHLO_L_IMM_64, T0, T0, 32);
    after_add_pcs[after_add_n++] = pvm_builder_pc(b);
    pvm_emit_reg_reg_imm(b, PVM_OP_SHLO_R_IMM_64, T0, T0, 30);
    after_add_pcs[after_add_n++] = pvm_builder_pc(b);
    pvm_emit_reg3(b, PVM_OP_ADD_64, T1, A1, T0);
    after_add_pcs[after_add_n++] = pvm_builder_pc(b); /* the load: after_add_pcs[4] */
    pvm_emit_reg_reg_imm(b, PVM_OP_LOAD_IND_U32, T0, T1, 4);
    after_add_pcs[after_add_n++] = pvm_builder_pc(b);
    if (shape == 2) pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, T2, T1, 8); /* reads t: t computed */
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, T1, 2);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, RA, 0);
    return finish(e, b);
}

/* m's "run"(x, y) from gas 1000 with lazy pages (mprotect): the group's load may be the stack
 * page's first touch, which the fault handler fills at the address it recomputes, then retries. */
static outcome run_lazy(pvm_module *m, uint64_t x, uint64_t y)
{
    pvm_instance *in;
    uint64_t args[2] = {x, y};
    assert_int_equal(pvm_instance_new(m, &in, NULL), PVM_OK);
    assert_int_equal(pvm_instance_set_lazy_pages(in, "mprotect", NULL), PVM_OK);
    assert_int_equal(pvm_instance_prepare_call(in, "run", 0, args, 2, NULL), PVM_OK);
    return run_prepared(in, 1000);
}

static void element_loads_after_an_add_agree_with_the_interpreter(void **state)
{
    (void)state;
    static const uint64_t xs[] = {0, 1, 2, 5, 0x80000001, 0xffffffff, 0x100000003ull};
    static const int64_t ys[] = {-256, -8192 + 64, 0x40000000, -0x10000000};
    for (int gm = 0; gm < 2; gm++)
        for (int shape = 0; shape < 4; shape++)
            for (int store = 0; store < 2; store++) {
                pvm_engine *engines[2];
                pvm_module *modules[2];
                for (int k = 0; k < 2; k++) {
                    engines[k] = pair_engine(k, gm ? PVM_GAS_SYNC : PVM_GAS_NONE);
                    modules[k] = compile_element_after_add(engines[k], shape, store);
                }
                unsigned faults = 0, halts = 0;
                for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++)
                    for (size_t j = 0; j < sizeof ys / sizeof ys[0]; j++) {
                        uint64_t x = xs[i], y = (uint64_t)ys[j];
                        outcome want = run(modules[0], x, y, 0, 1000), got = run(modules[1], x, y, 0, 1000);
                        assert_same_outcome(&got, &want);
                        if (want.kind == PVM_EXIT_HALT) {
                            halts++;
                            if (store) assert_int_equal(want.regs[T0], 0x5a5a1234); /* the marker, by the same address */
                            if (shape == 2) /* t = base + zext(x + k) * 4 */
                                assert_int_equal(want.regs[T2], (uint64_t)want.regs[A1] +
                                                                    ((uint64_t)(uint32_t)(x + (uint64_t)after_add_k[shape]) << 2) + 8);
                        } else if (!store) { /* at the group's load */
                            faults++;
                            assert_int_equal(want.pc, after_add_pcs[4]);
                        }
                        want = run_lazy(modules[0], x, y), got = run_lazy(modules[1], x, y);
                        assert_same_outcome(&got, &want);
                        for (uint32_t p = 1; p < after_add_n; p++) {
                            want = run(modules[0], x, y, after_add_pcs[p], 1000);
                            got = run(modules[1], x, y, after_add_pcs[p], 1000);
                            assert_same_outcome(&got, &want);
                        }
                    }
                assert_true(halts > 0 && (store || faults > 0));
                for (int k = 0; k < 2; k++) pvm_engine_free(engines[k]);
            }
}

static void shifts_agree_with_the_interpreter(void **state)
{
    (void)state;
    lines_agree(shift_code, sizeof shift_code / sizeof shift_code[0], check_shifts);
}

static void scaled_adds_agree_with_the_interpreter(void **state)
{
    (void)state;
    lines_agree(scaled_code, sizeof scaled_code / sizeof scaled_code[0], check_scaled);
}

/* A carry (add, set_lt_u, add of it) at a block's end whose register the next block, which
 * starts with `unlikely`, overwrites first (fused into add + adc without gas metering), and
 * one whose next block reads it after the hint (kept). Under every gas limit up to the end
 * and each gas mode both backends agree: with gas, an out-of-gas exit at the entry shows it. */
static pvm_module *compile_unlikely_blocks(pvm_engine *e)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST64);
    pvm_label entry = pvm_builder_label(b), cold = pvm_builder_label(b), reads = pvm_builder_label(b);
    pvm_builder_export(b, "run", entry);
    pvm_builder_bind(b, entry);
    pvm_emit_reg3(b, PVM_OP_ADD_64, T0, A0, A1); /* s0 = a1 + carry(a0 + a1); t1 overwritten past the hint */
    pvm_emit_reg3(b, PVM_OP_SET_LT_U, T1, T0, A0);
    pvm_emit_reg3(b, PVM_OP_ADD_64, S0, A1, T1);
    pvm_emit_jump(b, PVM_OP_JUMP, cold);
    pvm_builder_bind(b, cold);
    pvm_emit_none(b, PVM_OP_UNLIKELY);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, T1, 7);
    pvm_emit_reg3(b, PVM_OP_ADD_64, T2, A0, A0); /* a3 = a1 + carry(a0 + a0); the next block reads a2 */
    pvm_emit_reg3(b, PVM_OP_SET_LT_U, A2, T2, A0);
    pvm_emit_reg3(b, PVM_OP_ADD_64, A3, A1, A2);
    pvm_emit_none(b, PVM_OP_FALLTHROUGH);
    pvm_builder_bind(b, reads);
    pvm_emit_none(b, PVM_OP_UNLIKELY);
    pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, A4, A2);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, A2, 0);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, RA, 0);
    return finish(e, b);
}

static void unlikely_blocks_agree_with_the_interpreter(void **state)
{
    (void)state;
    for (int gm = 0; gm < 3; gm++) {
        pvm_gas_mode mode = gm == 0 ? PVM_GAS_NONE : gm == 1 ? PVM_GAS_SYNC : PVM_GAS_ASYNC;
        pvm_engine *engines[2];
        pvm_module *modules[2];
        for (int k = 0; k < 2; k++) {
            engines[k] = pair_engine(k, mode);
            modules[k] = compile_unlikely_blocks(engines[k]);
        }
        for (size_t i = 0; i < N_VALUES; i++)
            for (size_t j = 0; j < N_VALUES; j += 2)
                for (int64_t gas = mode == PVM_GAS_NONE ? 100 : 0; gas <= 16 || gas == 100; gas = gas == 16 ? 100 : gas + 1) {
                    uint64_t x = values[i], y = values[j];
                    outcome want = run(modules[0], x, y, 0, gas), got = run(modules[1], x, y, 0, gas);
                    assert_same_outcome(&got, &want);
                    if (gas != 100) continue;
                    uint64_t c1 = x + y < x, c2 = x + x < x;
                    assert_int_equal(want.kind, PVM_EXIT_HALT);
                    assert_int_equal(want.regs[S0], y + c1);
                    assert_int_equal(want.regs[T1], 7);
                    assert_int_equal(want.regs[A3], y + c2);
                    assert_int_equal(want.regs[A4], c2);
                    assert_int_equal(want.regs[A2], 0);
                }
        for (int k = 0; k < 2; k++) pvm_engine_free(engines[k]);
    }
}

static void consumers_agree_with_the_interpreter(void **state)
{
    (void)state;
    lines_agree(consumer_code, sizeof consumer_code / sizeof consumer_code[0], check_consumers);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(shifts_agree_with_the_interpreter),
                                       cmocka_unit_test(consumers_agree_with_the_interpreter),
                                       cmocka_unit_test(scaled_adds_agree_with_the_interpreter),
                                       cmocka_unit_test(unlikely_blocks_agree_with_the_interpreter),
                                       cmocka_unit_test(zero_tests_agree_with_the_interpreter),
                                       cmocka_unit_test(const_muls_agree_with_the_interpreter),
                                       cmocka_unit_test(mul_upper_adds_agree_with_the_interpreter),
                                       cmocka_unit_test(add_mins_agree_with_the_interpreter),
                                       cmocka_unit_test(count_loops_agree_with_the_interpreter),
                                       cmocka_unit_test(const_branches_agree_with_the_interpreter),
                                       cmocka_unit_test(element_accesses_past_an_op_agree_with_the_interpreter),
                                       cmocka_unit_test(element_loads_after_an_add_agree_with_the_interpreter)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
