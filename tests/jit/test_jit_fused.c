/* The recompiler's fused pairs (emit_ops.c: emit_fused_pair) against the
 * interpreter: zero and sign extension by shifts of 32, scaled-index adds in
 * both operand orders and with the index as base, a pair that must not fuse,
 * and a run the host starts inside a pair (the recompiler hands it to the
 * interpreter). Registers, exit, pc and gas must agree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "vm/isa/isa.h"
#include "pvm/builder.h"
#include "pvm/pvm.h"
#include "vm/state/vm_state.h"
#include "fused_compare.h"

enum { SP = 1, A0 = 7, A1 = 8, A2 = 9, A3 = 10, A4 = 11, A5 = 12, S0 = 5, S1 = 6, T0 = 2, T1 = 3, T2 = 4 };

static uint32_t inner_pc; /* the pc of the second instruction of the first pair */

/* The program's data, rw or ro (one 4 KiB page): `words` 32-bit words, word i =
 * i * 0x01010101 + bias, so that every word, and every byte of it, differs. */
enum { MAX_DATA_WORDS = 64 };
static void set_word_data(pvm_builder *b, bool writable, uint32_t words, uint32_t bias)
{
    uint8_t bytes[MAX_DATA_WORDS * 4];
    assert_true(words <= MAX_DATA_WORDS);
    for (uint32_t i = 0; i < words; i++)
        for (int k = 0; k < 4; k++) bytes[i * 4 + k] = (uint8_t)((i * 0x01010101u + bias) >> (8 * k));
    (writable ? pvm_builder_set_rw_data : pvm_builder_set_ro_data)(b, bytes, words * 4, 4096);
}

static pvm_module *compile(pvm_engine *e)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST64);
    pvm_label entry = pvm_builder_label(b);
    pvm_builder_export(b, "run", entry);
    pvm_builder_bind(b, entry);
    pvm_emit_reg_reg_imm(b, PVM_OP_SHLO_L_IMM_64, A2, A0, 32); /* a2 = zext32(a0) */
    inner_pc = pvm_builder_pc(b);
    pvm_emit_reg_reg_imm(b, PVM_OP_SHLO_R_IMM_64, A2, A2, 32);
    pvm_emit_reg_reg_imm(b, PVM_OP_SHLO_L_IMM_64, A3, A0, 32); /* a3 = sext32(a0) */
    pvm_emit_reg_reg_imm(b, PVM_OP_SHAR_R_IMM_64, A3, A3, 32);
    pvm_emit_reg_reg_imm(b, PVM_OP_SHLO_L_IMM_64, A4, A0, 3); /* a4 = a1 + a0 * 8 */
    pvm_emit_reg3(b, PVM_OP_ADD_64, A4, A4, A1);
    pvm_emit_reg_reg_imm(b, PVM_OP_SHLO_L_IMM_64, A5, A0, 2); /* a5 = a1 + a0 * 4 (commuted) */
    pvm_emit_reg3(b, PVM_OP_ADD_64, A5, A1, A5);
    pvm_emit_reg_reg_imm(b, PVM_OP_SHLO_L_IMM_64, S0, A0, 1); /* s0 = a0 + a0 * 2 */
    pvm_emit_reg3(b, PVM_OP_ADD_64, S0, S0, A0);
    pvm_emit_reg_reg_imm(b, PVM_OP_SHLO_L_IMM_64, S1, A0, 3); /* s1 = 2 * (a0 * 8): not a pair */
    pvm_emit_reg3(b, PVM_OP_ADD_64, S1, S1, S1);
    pvm_emit_reg_reg_imm(b, PVM_OP_SHLO_L_IMM_64, T0, A0, 32); /* t0 = a0 << 32 >> 31: zext32(a0) * 2 */
    pvm_emit_reg_reg_imm(b, PVM_OP_SHLO_R_IMM_64, T0, T0, 31);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, PVM_REG_RA, 0);
    return finish(e, b);
}

/* Carries read off the add: a0 + a1 and a1 + (a0 + a1), each compared with an addend;
 * then two that must not fuse (the addend compared is the sum's own register). */
static pvm_module *compile_carries(pvm_engine *e)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST64);
    pvm_label entry = pvm_builder_label(b);
    pvm_builder_export(b, "run", entry);
    pvm_builder_bind(b, entry);
    pvm_emit_reg3(b, PVM_OP_ADD_64, A0, A0, A1); /* a0 += a1; t1 = carry */
    pvm_emit_reg3(b, PVM_OP_SET_LT_U, T1, A0, A1);
    pvm_emit_reg3(b, PVM_OP_ADD_64, T2, A1, A0); /* t2 = a1 + a0; s1 = carry, against a0 */
    pvm_emit_reg3(b, PVM_OP_SET_LT_U, S1, T2, A0);
    pvm_emit_reg3(b, PVM_OP_ADD_64, S0, A1, A1); /* s0 = a1 + a1; a2 = s0 < s0 */
    pvm_emit_reg3(b, PVM_OP_SET_LT_U, A2, S0, S0);
    pvm_emit_reg3(b, PVM_OP_ADD_64, A1, A1, A0); /* a1 += a0; a3 = a1 < a1 */
    pvm_emit_reg3(b, PVM_OP_SET_LT_U, A3, A1, A1);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, PVM_REG_RA, 0);
    return finish(e, b);
}

/* A 32-bit high multiply of a narrow (latest32) program, whose registers live
 * zero-extended: a2 = op(a0, a1) with d distinct, s0 with d = a, s1 with d = b,
 * t0 and t1 with d = a = b (of a0 and of a1); then with an operand in a2, first
 * (a3), second (a4) and also the destination (a2). */
static pvm_module *compile_mul_upper_narrow(pvm_engine *e, int op)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST32);
    pvm_label entry = pvm_builder_label(b);
    pvm_builder_export(b, "run", entry);
    pvm_builder_bind(b, entry);
    pvm_emit_reg3(b, op, A2, A0, A1);
    pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, S0, A0);
    pvm_emit_reg3(b, op, S0, S0, A1);
    pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, S1, A1);
    pvm_emit_reg3(b, op, S1, A0, S1);
    pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, T0, A0);
    pvm_emit_reg3(b, op, T0, T0, T0);
    pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, T1, A1);
    pvm_emit_reg3(b, op, T1, T1, T1);
    pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, A2, A0); /* an operand in a2 (rdx: mulx when unsigned) */
    pvm_emit_reg3(b, op, A3, A2, A1);
    pvm_emit_reg3(b, op, A4, A1, A2);
    pvm_emit_reg3(b, op, A2, A2, A1);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, PVM_REG_RA, 0);
    return finish(e, b);
}

/* Straight-line code given as a table, in the width of the ISA: ADD, SHL_IMM,
 * SHR_IMM and ADD_IMM stand for the 32-bit ops of latest32 and the 64-bit ops
 * of latest64; other ops are taken as they are. */
enum { ADD = -1, SHL_IMM = -2, SHR_IMM = -3, ADD_IMM = -4, NEG_ADD_IMM = -5, SUB = -6, MUL = -7 };
typedef struct {
    int op;
    unsigned r0, r1, r2; /* d, a, b of reg3 / d, a of reg_reg / a, b of reg_reg_imm / a of reg_imm */
    int64_t imm;
} line;

static pvm_module *compile_lines(pvm_engine *e, pvm_isa isa, const line *code, size_t n)
{
    bool w = isa == PVM_ISA_LATEST64;
    pvm_builder *b = pvm_builder_new(isa);
    pvm_label entry = pvm_builder_label(b);
    pvm_builder_export(b, "run", entry);
    pvm_builder_bind(b, entry);
    for (size_t i = 0; i < n; i++) {
        int op = code[i].op;
        if (op == ADD) op = w ? PVM_OP_ADD_64 : PVM_OP_ADD_32;
        if (op == SHL_IMM) op = w ? PVM_OP_SHLO_L_IMM_64 : PVM_OP_SHLO_L_IMM_32;
        if (op == SHR_IMM) op = w ? PVM_OP_SHLO_R_IMM_64 : PVM_OP_SHLO_R_IMM_32;
        if (op == ADD_IMM) op = w ? PVM_OP_ADD_IMM_64 : PVM_OP_ADD_IMM_32;
        if (op == NEG_ADD_IMM) op = w ? PVM_OP_NEG_ADD_IMM_64 : PVM_OP_NEG_ADD_IMM_32;
        if (op == SUB) op = w ? PVM_OP_SUB_64 : PVM_OP_SUB_32;
        if (op == MUL) op = w ? PVM_OP_MUL_64 : PVM_OP_MUL_32;
        switch (pvm_op_table[op].kind) {
        case PVM_KIND_REG3: pvm_emit_reg3(b, op, code[i].r0, code[i].r1, code[i].r2); break;
        case PVM_KIND_REG_REG: pvm_emit_reg_reg(b, op, code[i].r0, code[i].r1); break;
        case PVM_KIND_REG_REG_IMM: pvm_emit_reg_reg_imm(b, op, code[i].r0, code[i].r1, code[i].imm); break;
        default: pvm_emit_reg_imm(b, op, code[i].r0, code[i].imm); break;
        }
    }
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, PVM_REG_RA, 0);
    return finish(e, b);
}

/* Carries of 64-bit arithmetic done in halves (what rv32 compilers emit) and
 * of full-width adds: add + set_lt_u (or add_imm + set_lt_u_imm) + an add of the
 * carry, fused into add/adc when the carry register is dead afterwards. */
static const line carry_code[] = {
    {PVM_OP_MOVE_REG, S0, A1, 0, 0},
    {ADD, T0, A0, A1, 0}, /* t0 = a0 + a1; t1 = carry; s0 += t1; t1 killed: adc s0 */
    {PVM_OP_SET_LT_U, T1, T0, A0, 0},
    {ADD, S0, S0, T1, 0},
    {PVM_OP_LOAD_IMM, T1, 0, 0, 7},
    {ADD, T2, A1, A0, 0}, /* a3 = carry; s1 = a3 + a0 (carry first, into another register); a3 killed by xor */
    {PVM_OP_SET_LT_U, A3, T2, A1, 0},
    {ADD, S1, A3, A0, 0},
    {PVM_OP_XOR, A3, A0, A1, 0},
    {ADD, A5, A0, A1, 0}, /* a4 = carry, a4 = a1 + a4: the consumer overwrites the carry */
    {PVM_OP_SET_LT_U, A4, A5, A1, 0},
    {ADD, A4, A1, A4, 0},
    {ADD, SP, A0, A0, 0}, /* a2 = carry stays live to the end: no adc, a2 materialised */
    {PVM_OP_SET_LT_U, A2, SP, A0, 0},
    {ADD, T2, T2, A2, 0},
};
/* The same with immediates: k = 1 and k = -1 (all ones), the carry landing in the sum's register. */
static const line carry_imm_code[] = {
    {PVM_OP_MOVE_REG, S0, A1, 0, 0},
    {ADD_IMM, T0, A0, 0, 1}, /* t0 = a0 + 1, t1 = carry, s0 += t1, t1 killed */
    {PVM_OP_SET_LT_U_IMM, T1, T0, 0, 1},
    {ADD, S0, S0, T1, 0},
    {PVM_OP_LOAD_IMM, T1, 0, 0, 0},
    {ADD_IMM, T2, A1, 0, -1}, /* t2 = carry of a1 - 1 (in t2 itself), s1 = a0 + t2, t2 killed by a move */
    {PVM_OP_SET_LT_U_IMM, T2, T2, 0, -1},
    {ADD, S1, A0, T2, 0},
    {PVM_OP_MOVE_REG, T2, A0, 0, 0},
    {ADD_IMM, A2, A0, 0, 5}, /* a3 = carry of a0 + 5, but compared with 6: no fusion */
    {PVM_OP_SET_LT_U_IMM, A3, A2, 0, 6},
    {ADD_IMM, A4, A1, 0, 3}, /* a5 = carry of a1 + 3 and kept: add + setb */
    {PVM_OP_SET_LT_U_IMM, A5, A4, 0, 3},
};
/* Carries kept live after their consumer, which then runs as adc with the carry zeroed
 * ahead of the add and set by setb alone, when the add does not read the carry's register;
 * here it does: the carry lands in the add's source (a2) and in its second operand (a3). */
static const line carry_kept_code[] = {
    {PVM_OP_MOVE_REG, A2, A0, 0, 0},     {PVM_OP_MOVE_REG, A3, A1, 0, 0},
    {PVM_OP_MOVE_REG, S0, A1, 0, 0},     {PVM_OP_MOVE_REG, S1, A0, 0, 0},
    {ADD_IMM, T0, A2, 0, 1}, /* t0 = x + 1, a2 = its carry (a2 was the source), s0 = y + a2; a2 kept */
    {PVM_OP_SET_LT_U_IMM, A2, T0, 0, 1},
    {ADD, S0, S0, A2, 0},
    {ADD, T1, A0, A3, 0}, /* t1 = x + y, a3 = its carry (a3 was y), s1 = x + a3; a3 kept */
    {PVM_OP_SET_LT_U, A3, T1, A0, 0},
    {ADD, S1, S1, A3, 0},
    {ADD_IMM, T2, A1, 0, 1}, /* t2 = y + 1, a4 = its carry (a register the add does not read), a5 = x + a4 */
    {PVM_OP_SET_LT_U_IMM, A4, T2, 0, 1},
    {ADD, A5, A0, A4, 0},
};
/* A carry whose add comes after instructions that keep the flags (lea, mov):
 * fused across them; then two that must not fuse: one in between reads the
 * carry, one in between is an xor (it clobbers the flags). */
static const line carry_skip_code[] = {
    {PVM_OP_MOVE_REG, S0, A1, 0, 0},  {ADD, T0, A0, A1, 0},           {PVM_OP_SET_LT_U, T1, T0, A0, 0},
    {ADD_IMM, A2, A0, 0, 9},          {PVM_OP_LOAD_IMM, A3, 0, 0, 11}, {ADD, S0, S0, T1, 0},
    {PVM_OP_LOAD_IMM, T1, 0, 0, 0},   {ADD, T2, A0, A1, 0},           {PVM_OP_SET_LT_U, A4, T2, A1, 0},
    {PVM_OP_MOVE_REG, A5, A4, 0, 0},  {ADD, S1, A0, A4, 0},           {PVM_OP_LOAD_IMM, A4, 0, 0, 0},
    {ADD, SP, A0, A0, 0},             {PVM_OP_SET_LT_U, T1, SP, A0, 0}, {PVM_OP_XOR, A4, A0, A1, 0},
    {ADD, T0, T0, T1, 0},             {PVM_OP_LOAD_IMM, T1, 0, 0, 0},
};
/* Carries whose consumer comes after instructions that do not keep the flags:
 * hoisted above the add when independent of it (a high multiply, what rv32
 * multi-word products put there); kept apart when the one between reads the
 * sum, or writes an addend. */
static const line carry_hoist_code[] = {
    {PVM_OP_MOVE_REG, S0, A1, 0, 0},
    {ADD, T0, A0, A1, 0}, /* t0 = a0 + a1, t1 = carry; the mul_upper goes above the add */
    {PVM_OP_SET_LT_U, T1, T0, A0, 0},
    {PVM_OP_MUL_UPPER_U_U, A2, A0, A1, 0},
    {ADD, S0, S0, T1, 0},
    {PVM_OP_LOAD_IMM, T1, 0, 0, 5},
    {ADD, T2, A0, A1, 0}, /* a3 = carry; the xor reads the sum: not hoisted, no adc */
    {PVM_OP_SET_LT_U, A3, T2, A1, 0},
    {PVM_OP_XOR, A4, T2, A0, 0},
    {ADD, S1, A0, A3, 0},
    {PVM_OP_LOAD_IMM, A3, 0, 0, 0},
    {PVM_OP_MOVE_REG, SP, A0, 0, 0}, /* the and writes an addend: no adc */
    {ADD, A5, SP, A1, 0},
    {PVM_OP_SET_LT_U, T1, A5, SP, 0},
    {PVM_OP_AND, SP, A1, A0, 0},
    {ADD, T0, T0, T1, 0},
    {PVM_OP_LOAD_IMM, T1, 0, 0, 5},
};
/* Kept (lea, mov) and hoisted instructions mixed: an xor reading a kept lea's
 * result cannot go above the add; three between, two hoisted around a kept mov. */
static const line carry_mix_code[] = {
    {PVM_OP_MOVE_REG, S0, A1, 0, 0},
    {ADD, T0, A0, A1, 0},
    {PVM_OP_SET_LT_U, T1, T0, A0, 0},
    {ADD_IMM, A2, A0, 0, 7},
    {PVM_OP_XOR, A3, A2, A1, 0},
    {ADD, S0, S0, T1, 0},
    {PVM_OP_LOAD_IMM, T1, 0, 0, 1},
    {PVM_OP_MOVE_REG, S1, A1, 0, 0},
    {ADD, T2, A0, A1, 0},
    {PVM_OP_SET_LT_U, A4, T2, A1, 0},
    {PVM_OP_XOR, A5, A0, A1, 0},
    {PVM_OP_LOAD_IMM, SP, 0, 0, 9},
    {SHL_IMM, A2, A0, 0, 5},
    {ADD, S1, A4, S1, 0},
    {PVM_OP_LOAD_IMM, A4, 0, 0, 2},
};
/* 64-bit adds done in halves (rv32's add lo; set_lt_u c; add hi, hi, hi2; add hi, hi, c):
 * the high add merged into the adc (y = x + z + CF), with the carry live (t1, read
 * by nothing but kept to the end: setb + movzx stay) or dead; the high add in
 * place (s0 = s0 + a0), with y its second operand (s1 = a1 + s1) and into a third
 * register (a5 = a0 + a1: mov + adc). */
static const line carry_merge_code[] = {
    {PVM_OP_MOVE_REG, T0, A0, 0, 0}, {PVM_OP_MOVE_REG, S0, A1, 0, 0},
    {ADD, T0, T0, A1, 0},            {PVM_OP_SET_LT_U, T1, T0, A1, 0}, /* t0 = x + y, t1 = carry (live) */
    {ADD, S0, S0, A0, 0},            {ADD, S0, S0, T1, 0},             /* s0 = y + x + carry */
    {PVM_OP_MOVE_REG, S1, A0, 0, 0},
    {ADD, T2, A0, A0, 0},            {PVM_OP_SET_LT_U, A2, T2, A0, 0}, /* t2 = x + x, a2 = carry (dead) */
    {ADD, S1, A1, S1, 0},            {ADD, S1, A2, S1, 0},             /* s1 = y + x + carry */
    {PVM_OP_LOAD_IMM, A2, 0, 0, 3},
    {ADD, A3, A1, A1, 0},            {PVM_OP_SET_LT_U, A4, A3, A1, 0}, /* a3 = y + y, a4 = carry (dead) */
    {ADD, A5, A0, A1, 0},            {ADD, A5, A5, A4, 0},             /* a5 = x + y + carry */
    {PVM_OP_LOAD_IMM, A4, 0, 0, 4},
};
/* High adds that must not be merged: one after it reads its sum (s1), one after it
 * overwrites an operand of it (a4, a copy of x), and a carry that stays live with no
 * high add (not fused at all). */
static const line carry_merge_not_code[] = {
    {ADD, T0, A0, A1, 0},            {PVM_OP_SET_LT_U, T1, T0, A0, 0},
    {ADD, S0, A0, A1, 0},            {PVM_OP_XOR, S1, S0, A0, 0},      {ADD, S0, S0, T1, 0},
    {PVM_OP_LOAD_IMM, T1, 0, 0, 0},
    {PVM_OP_MOVE_REG, A4, A0, 0, 0},
    {ADD, T2, A0, A1, 0},            {PVM_OP_SET_LT_U, A2, T2, A1, 0},
    {ADD, A3, A4, A1, 0},            {PVM_OP_XOR, A4, A0, A1, 0},      {ADD, A3, A3, A2, 0},
    {PVM_OP_LOAD_IMM, A2, 0, 0, 1},
    {ADD, SP, A0, A0, 0},            {PVM_OP_SET_LT_U, A5, SP, A0, 0}, {ADD, S1, S1, A5, 0},
};
/* Funnel shifts y = a << n | b >> (W - n) of halves, N = W - n. */
#define FUNNEL_CODE(W)                                                                                          \
    {                                                                                                           \
        {SHL_IMM, T0, A0, 0, 13}, {SHR_IMM, T1, A1, 0, W - 13}, {PVM_OP_OR, T0, T0, T1, 0}, /* shld t0 */        \
        {PVM_OP_LOAD_IMM, T1, 0, 0, 0},                                                                          \
        {SHR_IMM, T2, A0, 0, 7}, {SHL_IMM, S0, A1, 0, W - 7}, {PVM_OP_OR, T2, S0, T2, 0}, /* shr first */        \
        {PVM_OP_XOR, S0, A0, A0, 0},                                                                            \
        {SHL_IMM, S1, A0, 0, 9}, {SHR_IMM, A2, A0, 0, W - 9}, {PVM_OP_OR, A2, A2, S1, 0}, /* a rotate */         \
        {PVM_OP_LOAD_IMM, S1, 0, 0, 1},                                                                          \
        {SHL_IMM, A3, A0, 0, 1}, {SHR_IMM, A4, A1, 0, W - 1}, {PVM_OP_OR, A5, A4, A3, 0}, /* dead later */      \
        {SHL_IMM, SP, A0, 0, 0}, {SHR_IMM, T1, A1, 0, W}, {PVM_OP_OR, SP, SP, T1, 0}, /* by 0 and by W */       \
        {PVM_OP_LOAD_IMM, T1, 0, 0, 2},                                                                          \
        {SHL_IMM, A3, A1, 0, 3}, {SHR_IMM, A4, A0, 0, W - 4}, {PVM_OP_OR, A3, A3, A4, 0}, /* n + N != W */       \
        {PVM_OP_LOAD_IMM, A4, 0, 0, 3},                                                                          \
        {SHL_IMM, A4, A0, 0, 4}, {SHR_IMM, S0, A4, 0, W - 4}, {PVM_OP_OR, A4, A4, S0, 0}, /* reads the first */ \
        {SHL_IMM, S0, A0, 0, W - 1}, {SHR_IMM, A1, A1, 0, 1}, {PVM_OP_OR, A1, S0, A1, 0}, /* y = b: shrd */   \
        {PVM_OP_LOAD_IMM, S0, 0, 0, 4},                                                                          \
        {SHL_IMM, T1, A0, 0, 1}, {SHR_IMM, S1, A0, 0, W - 1}, {PVM_OP_OR, S0, T1, S1, 0}, /* both live */      \
    }
/* Funnel shifts where one half stays live (read after the or): computed too,
 * before y when its register is neither source (x in s1), after y when it is
 * a source: in place (t in t2), or the other source (x in a5, the b of y);
 * not fused when y is that half's own source (x in a5, y in a2 = its a). */
#define FUNNEL_LIVE_CODE(W)                                                                                      \
    {                                                                                                            \
        {PVM_OP_MOVE_REG, T2, A1, 0, 0},                                                                         \
        {SHL_IMM, S1, A0, 0, 5}, {SHR_IMM, T0, T2, 0, W - 5}, {PVM_OP_OR, T1, S1, T0, 0}, /* x live, apart */    \
        {PVM_OP_XOR, S0, S1, A0, 0}, {PVM_OP_LOAD_IMM, T0, 0, 0, 1},                                             \
        {SHR_IMM, T2, T2, 0, W - 3}, {SHL_IMM, A2, A0, 0, 3}, {PVM_OP_OR, A3, A2, T2, 0}, /* t live, in place */ \
        {PVM_OP_LOAD_IMM, A2, 0, 0, 2}, {ADD, A4, T2, A3, 0},                                                    \
        {PVM_OP_MOVE_REG, A5, A1, 0, 0},                                                                         \
        {SHR_IMM, SP, A5, 0, W - 7}, {SHL_IMM, A5, A0, 0, 7}, {PVM_OP_OR, S1, A5, SP, 0}, /* x into b */         \
        {PVM_OP_LOAD_IMM, SP, 0, 0, 3}, {ADD, T2, A5, S1, 0},                                                    \
        {PVM_OP_MOVE_REG, A5, A1, 0, 0}, {PVM_OP_MOVE_REG, A2, A0, 0, 0},                                        \
        {SHR_IMM, SP, A5, 0, W - 9}, {SHL_IMM, A5, A2, 0, 9}, {PVM_OP_OR, A2, A5, SP, 0}, /* and y = a */       \
        {PVM_OP_LOAD_IMM, SP, 0, 0, 4}, {ADD, T0, A5, A2, 0},                                                    \
    }
static const line funnel_live32_code[] = FUNNEL_LIVE_CODE(32);
static const line funnel_live64_code[] = FUNNEL_LIVE_CODE(64);
static const line funnel32_code[] = FUNNEL_CODE(32);
static const line funnel64_code[] = FUNNEL_CODE(64);

/* 64-bit programs' extended and scaled indexes: x << 32 >> k for k = 29, 31, 1 (logical) and 30, 1
 * (arithmetic), and a pair whose second shift reads another register (not fused). */
static const line index_code[] = {
    {PVM_OP_SHLO_L_IMM_64, A2, A0, 0, 32}, {PVM_OP_SHLO_R_IMM_64, A2, A2, 0, 29},
    {PVM_OP_SHLO_L_IMM_64, A3, A0, 0, 32}, {PVM_OP_SHLO_R_IMM_64, A3, A3, 0, 31},
    {PVM_OP_SHLO_L_IMM_64, A4, A1, 0, 32}, {PVM_OP_SHLO_R_IMM_64, A4, A4, 0, 1},
    {PVM_OP_SHLO_L_IMM_64, A5, A0, 0, 32}, {PVM_OP_SHAR_R_IMM_64, A5, A5, 0, 30},
    {PVM_OP_SHLO_L_IMM_64, S0, A1, 0, 32}, {PVM_OP_SHAR_R_IMM_64, S0, S0, 0, 1},
    {PVM_OP_SHLO_L_IMM_64, S1, A0, 0, 32}, {PVM_OP_SHLO_R_IMM_64, T0, S1, 0, 29},
};

/* Single instructions with a shorter form: an add of three registers (lea in a
 * narrow program), shifts left by 1 and 3 into another register (lea), by 4 (not),
 * imm - x in place (neg, then add) and into another register. */
static const line select_code[] = {
    {ADD, A2, A0, A1, 0},          {SHL_IMM, A3, A0, 0, 1},        {SHL_IMM, A4, A1, 0, 3},
    {SHL_IMM, A5, A0, 0, 4},       {PVM_OP_MOVE_REG, S0, A0, 0, 0}, {NEG_ADD_IMM, S0, S0, 0, 0},
    {PVM_OP_MOVE_REG, S1, A1, 0, 0}, {NEG_ADD_IMM, S1, S1, 0, 5},  {NEG_ADD_IMM, T0, A0, 0, -3},
    {PVM_OP_MOVE_REG, T1, A0, 0, 0}, {NEG_ADD_IMM, T1, T1, 0, -1},
};
/* Masks of unsigned compares (emit_compare_mask), in both widths: cmp + sbb when the
 * compare's register is the mask's or dead; kept apart when it stays live or the
 * immediate is not 0; a high multiply by a mask (a narrow mask must live zero-extended). */
static const line mask_code[] = {
    {PVM_OP_SET_LT_U, T0, A0, A1, 0},       {NEG_ADD_IMM, T0, T0, 0, 0},           /* t0 = -(x < y) */
    {PVM_OP_SET_LT_U, T1, A1, A0, 0},       {PVM_OP_NEG_ADD_IMM_32, T2, T1, 0, 0}, /* t2 = -(y < x), t1 dead */
    {PVM_OP_LOAD_IMM, T1, 0, 0, 5},
    {PVM_OP_SET_LT_U_IMM, S0, A0, 0, -5},   {NEG_ADD_IMM, S0, S0, 0, 0},           /* s0 = -(x < -5) */
    {PVM_OP_SET_LT_U, S1, A0, A1, 0},       {NEG_ADD_IMM, A2, S1, 0, 0},           /* s1 stays live */
    {PVM_OP_SET_LT_U_IMM, A3, A0, 0, 7},    {NEG_ADD_IMM, A3, A3, 0, 3},           /* 3 - (x < 7) */
    {PVM_OP_MUL_UPPER_U_U, A4, A1, T0, 0}, /* reads the whole host register of a narrow mask */
};
/* Three-register adds (lea), d = a - d (neg; add), neg_add_imm_64 in place and not,
 * 32-bit logical right shifts by 1 and by 0 (the latter still sign-extends). */
static const line wide_alu_code[] = {
    {PVM_OP_ADD_64, T0, A0, A1, 0},         {PVM_OP_ADD_32, T1, A0, A1, 0},
    {PVM_OP_MOVE_REG, T2, A1, 0, 0},        {PVM_OP_SUB_64, T2, A0, T2, 0},
    {PVM_OP_MOVE_REG, S0, A1, 0, 0},        {PVM_OP_SUB_32, S0, A0, S0, 0},
    {PVM_OP_MOVE_REG, S1, A0, 0, 0},        {PVM_OP_NEG_ADD_IMM_64, S1, S1, 0, 1000},
    {PVM_OP_NEG_ADD_IMM_64, A2, A1, 0, -3}, {PVM_OP_MOVE_REG, A3, A0, 0, 0},
    {PVM_OP_NEG_ADD_IMM_64, A3, A3, 0, 0},  {PVM_OP_SHLO_R_IMM_32, A4, A0, 0, 1},
    {PVM_OP_SHLO_R_IMM_32, A5, A1, 0, 32},  {PVM_OP_SHLO_R_IMM_32, SP, A0, 0, 33},
};

/* Equality tests as a difference and set_lt_u_imm 1 (emit_equality), in both widths:
 * add_imm (-k, 1 of the carry's shape but another immediate, imm 0, INT32_MIN: 2^31 does
 * not fit a 64-bit compare's imm32), sub (and sub_32 in a 64-bit program: low halves),
 * the difference dead or the compare's own register; kept apart when it stays live. */
#define SLTUI PVM_OP_SET_LT_U_IMM
static const line equality_code[] = {
    {ADD_IMM, T0, A0, 0, -5},         {SLTUI, T0, T0, 0, 1},           /* t0 = x == 5 */
    {ADD_IMM, T1, A1, 0, -1},         {SLTUI, T2, T1, 0, 1},           /* t2 = y == 1 */
    {PVM_OP_LOAD_IMM, T1, 0, 0, 9},   {ADD_IMM, S0, A0, 0, 3},         /* t1 dead */
    {SLTUI, S1, S0, 0, 1},                                             /* s1 = x == -3, s0 live */
    {PVM_OP_MOVE_REG, A2, A0, 0, 0},  {ADD_IMM, A3, A2, 0, INT32_MIN}, /* a2 = x == 2^31 */
    {SLTUI, A2, A3, 0, 1},            {PVM_OP_LOAD_IMM, A3, 0, 0, 4},
    {SUB, A4, A0, A1, 0},             {SLTUI, A4, A4, 0, 1},           /* a4 = x == y */
    {PVM_OP_SUB_32, A5, A1, A0, 0},   {SLTUI, A5, A5, 0, 1},           /* a5 = low halves equal */
    {ADD_IMM, SP, A1, 0, 0},          {SLTUI, SP, SP, 0, 1},           /* sp = y == 0 (test) */
};
/* The same by xor and xor_imm (all ones, a small constant), a live xor (not fused), the
 * compare into an operand of the xor, add_imm_32 in a 64-bit program (low half), and a
 * set_lt_u_imm by 2 (not an equality). */
static const line equality_xor_code[] = {
    {PVM_OP_XOR, T0, A0, A1, 0},         {SLTUI, T0, T0, 0, 1},           /* t0 = x == y */
    {PVM_OP_XOR_IMM, T1, A0, 0, -1},     {SLTUI, T2, T1, 0, 1},           /* t2 = x == ~0 */
    {PVM_OP_LOAD_IMM, T1, 0, 0, 6},      {PVM_OP_XOR_IMM, S0, A1, 0, 0x12345},
    {SLTUI, S0, S0, 0, 1},                                                /* s0 = y == 0x12345 */
    {PVM_OP_XOR, S1, A0, A0, 0},         {SLTUI, A2, S1, 0, 1},           /* s1 = 0 live, a2 = 1 */
    {PVM_OP_ADD_IMM_32, A4, A0, 0, -7},  {SLTUI, A4, A4, 0, 1},           /* a4 = (uint32_t)x == 7 */
    {ADD_IMM, A5, A0, 0, -1},            {SLTUI, A5, A5, 0, 2},           /* a5 = x - 1 < 2 */
    {PVM_OP_XOR, A3, A1, A0, 0},         {SLTUI, A1, A3, 0, 1},           /* a1 = x == y */
    {PVM_OP_LOAD_IMM, A3, 0, 0, 2},
};
/* Inequality tests as a difference and set_gt_u_imm 0 (emit_equality with setne): xor into
 * the compare's register, xor dead after (overwritten), sub_32 (low halves), a live xor (not
 * fused), set_gt_u_imm by 1 (not an inequality). */
#define SGTUI PVM_OP_SET_GT_U_IMM
static const line inequality_code[] = {
    {PVM_OP_XOR, T0, A0, A1, 0},        {SGTUI, T0, T0, 0, 0},           /* t0 = x != y */
    {PVM_OP_XOR_IMM, T1, A0, 0, -1},    {SGTUI, T2, T1, 0, 0},           /* t2 = x != ~0 */
    {PVM_OP_LOAD_IMM, T1, 0, 0, 6},
    {PVM_OP_SUB_32, S0, A1, A0, 0},     {SGTUI, S0, S0, 0, 0},           /* s0 = low halves differ */
    {PVM_OP_XOR, S1, A0, A1, 0},        {SGTUI, A2, S1, 0, 0},           /* s1 live: apart */
    {PVM_OP_XOR, A3, A0, A1, 0},        {SGTUI, A3, A3, 0, 1},           /* a3 = (x ^ y) > 1 */
};
/* Two min/max of one kind in a row (emit_min_max_chain) and an add_imm_32 into such a pair
 * (emit_add_into_min_max, 64-bit programs): the value written last in first position or
 * second, in place or into another register (the add's result then stays), an operand that
 * is no sign-extension (64-bit xor: the add stays apart, the pair still reassociates), the
 * third operand written last (apart), two kinds (apart). */
static const line min_chain_code[] = {
    {PVM_OP_ADD_IMM_32, T0, A1, 0, 1},   {PVM_OP_ADD_32, T1, A0, A1, 0},
    {PVM_OP_ADD_IMM_32, S0, A0, 0, 1},   {PVM_OP_MIN_U, S0, S0, T0, 0}, {PVM_OP_MIN_U, S0, S0, T1, 0},
    {PVM_OP_ADD_IMM_32, S1, A1, 0, -1},  {PVM_OP_MAX, A2, T0, S1, 0},   {PVM_OP_MAX, A2, T1, A2, 0},
    {PVM_OP_XOR, A3, A0, A1, 0},         {PVM_OP_ADD_IMM_32, A4, A0, 0, 0x7fffffff},
    {PVM_OP_MIN, A4, A4, A3, 0},         {PVM_OP_MIN, A4, A4, T0, 0},
    {ADD, T2, A0, A1, 0},               {PVM_OP_MAX_U, A5, A0, A1, 0}, {PVM_OP_MAX_U, A5, T2, A5, 0},
    {PVM_OP_MIN, SP, T0, T1, 0},         {PVM_OP_MAX, SP, SP, A0, 0},
    {PVM_OP_ADD_IMM_32, A0, A0, 0, -1},  {PVM_OP_MAX_U, A1, A1, A0, 0}, {PVM_OP_MAX_U, A1, T1, A1, 0},
};
/* Two min/max of one kind where the second takes the first's result t into another
 * register d, t kept (emit_min_max_chain with keep_t): d the value written last (rv32
 * edit_distance's shape), d apart, t in place of the other operand, and t the value written
 * last (apart: not fused). */
static const line min_keep_code[] = {
    {PVM_OP_ADD_IMM_32, T0, A1, 0, 1},  {PVM_OP_ADD_IMM_32, S0, A0, 0, 1},
    {PVM_OP_MIN_U, T1, S0, T0, 0},      {PVM_OP_MIN_U, S0, T1, A1, 0},  /* s0 = min_u(x + 1, y + 1, y) */
    {PVM_OP_ADD_IMM_32, S1, A1, 0, -1}, {PVM_OP_MAX, A2, T0, S1, 0},    {PVM_OP_MAX, A3, A2, A0, 0},
    {PVM_OP_ADD_32, T2, A0, A1, 0},     {PVM_OP_ADD_IMM_32, A4, A0, 0, 3},
    {PVM_OP_MIN, T2, A4, T2, 0},        {PVM_OP_MIN, SP, T2, A1, 0},    /* t2 in place of the other */
    {PVM_OP_ADD_IMM_32, A0, A0, 0, -1}, {PVM_OP_MAX_U, A0, A0, A1, 0},  {PVM_OP_MAX_U, A1, A0, T1, 0},
};
/* Narrow bit fields (emit_bit_field): x << a >> b with b >= a: bit 5 (keccak's), a mask
 * (a = b), into another register with the shifted one dead, the shifted one live (not
 * fused), the result into the source, bit 0, b < a (not fused), and in place with a = b. */
static const line bit_field_code[] = {
    {SHL_IMM, T0, A0, 0, 26},         {SHR_IMM, T0, T0, 0, 31},  /* t0 = x >> 5 & 1 */
    {SHL_IMM, T1, A0, 0, 4},          {SHR_IMM, T1, T1, 0, 4},   /* t1 = x & 0x0fffffff */
    {SHL_IMM, T2, A1, 0, 3},          {SHR_IMM, S0, T2, 0, 20},  /* s0 = y >> 17 & 0xfff */
    {PVM_OP_LOAD_IMM, T2, 0, 0, 1},   {SHL_IMM, S1, A1, 0, 8},
    {SHR_IMM, A2, S1, 0, 9},                                     /* s1 = y << 8 live, a2 = y >> 1 & 0x7fffff */
    {PVM_OP_MOVE_REG, A3, A0, 0, 0},  {SHL_IMM, A4, A3, 0, 1},
    {SHR_IMM, A3, A4, 0, 31},         {PVM_OP_LOAD_IMM, A4, 0, 0, 0}, /* a3 = x >> 30 & 1 */
    {SHL_IMM, A5, A0, 0, 31},         {SHR_IMM, A5, A5, 0, 31},  /* a5 = x & 1 */
    {SHL_IMM, SP, A1, 0, 5},          {SHR_IMM, SP, SP, 0, 2},   /* sp = (y << 5) >> 2 */
    {SHL_IMM, A0, A0, 0, 16},         {SHR_IMM, A0, A0, 0, 16},  /* a0 = x & 0xffff */
};

/* min/max (signed and unsigned) with d = a, d = b (the negated condition), d apart, all one
 * register, and d = a - d (neg; add), in both widths. */
static const line minmax_code[] = {
    {PVM_OP_MOVE_REG, T0, A1, 0, 0}, {PVM_OP_MIN_U, T0, A0, T0, 0}, /* t0 = min_u(x, y) */
    {PVM_OP_MAX_U, T1, A0, A1, 0},                                  /* t1 = max_u(x, y) */
    {PVM_OP_MOVE_REG, T2, A0, 0, 0}, {PVM_OP_MIN, T2, T2, A1, 0},   /* t2 = min(x, y) */
    {PVM_OP_MAX, S0, A0, A0, 0},                                    /* s0 = x */
    {PVM_OP_MOVE_REG, S1, A1, 0, 0}, {PVM_OP_MAX, S1, A0, S1, 0},   /* s1 = max(x, y) */
    {PVM_OP_MOVE_REG, A2, A0, 0, 0}, {PVM_OP_MAX_U, A2, A2, A1, 0}, /* a2 = max_u(x, y) */
    {PVM_OP_MIN, A3, A1, A0, 0},                                    /* a3 = min(x, y) */
    {PVM_OP_MOVE_REG, A4, A0, 0, 0}, {PVM_OP_MIN_U, A4, A4, A4, 0}, /* a4 = x */
    {PVM_OP_MOVE_REG, A5, A0, 0, 0}, {SUB, A5, A1, A5, 0},          /* a5 = y - x */
    {PVM_OP_MOVE_REG, SP, A1, 0, 0}, {PVM_OP_MIN_U, SP, A1, SP, 0}, /* sp = y */
};

/* Multiplies by constants as a shift and a sub or add (emit_mul_const), in both widths:
 * x << k - x into t and into another register (t dead), x - (x << k), x + (x << k) by
 * imul and by lea (k <= 3), k = 30 and 31 (not fused in a 64-bit program), the shifted
 * register live (not fused), and the product into x itself. */
static const line mul_const_code[] = {
    {SHL_IMM, T0, A0, 0, 5},  {SUB, T0, T0, A0, 0},                                   /* t0 = 31x */
    {SHL_IMM, T1, A0, 0, 3},  {SUB, T2, T1, A0, 0},  {PVM_OP_LOAD_IMM, T1, 0, 0, 1},  /* t2 = 7x */
    {SHL_IMM, S0, A1, 0, 4},  {SUB, S0, A1, S0, 0},                                   /* s0 = -15y */
    {SHL_IMM, S1, A1, 0, 6},  {ADD, S1, A1, S1, 0},                                   /* s1 = 65y */
    {SHL_IMM, A2, A0, 0, 2},  {ADD, A3, A2, A0, 0},  {PVM_OP_LOAD_IMM, A2, 0, 0, 3},  /* a3 = 5x */
    {SHL_IMM, A4, A0, 0, 30}, {SUB, A4, A4, A0, 0},                                   /* a4 = (2^30 - 1)x */
    {SHL_IMM, A5, A0, 0, 31}, {SUB, A5, A5, A0, 0},                                   /* a5 = (2^31 - 1)x */
    {SHL_IMM, SP, A1, 0, 2},  {SUB, A1, SP, A1, 0},                                   /* sp = 4y, a1 = 3y */
    {SHL_IMM, T1, A0, 0, 9},  {ADD, A0, T1, A0, 0},  {PVM_OP_LOAD_IMM, T1, 0, 0, 1},  /* a0 = 513x */
};

/* Adds of wide constants (emit_constant_add, emit_scaled_constant_add), in both widths: into
 * the constant's register, into another one (the constant dead), the constant live (not
 * fused), x << k + K with K live and with K into the add's result (the shifted register
 * dead), INT32_MIN, and K loaded over the register the shifted one was copied from. */
static const line constant_add_code[] = {
    {PVM_OP_LOAD_IMM, T0, 0, 0, 0x12345},     {ADD, T0, T0, A0, 0},                                   /* t0 = x + 0x12345 */
    {PVM_OP_LOAD_IMM, T1, 0, 0, -0x70000000}, {ADD, T2, A1, T1, 0}, {PVM_OP_LOAD_IMM, T1, 0, 0, 1},  /* t2 = y - 0x70000000 */
    {PVM_OP_LOAD_IMM, S0, 0, 0, 0x7fffffff},  {ADD, S1, S0, A0, 0},                                   /* s0 live */
    {SHL_IMM, A2, A0, 0, 2},  {PVM_OP_LOAD_IMM, A3, 0, 0, 0x10000},   {ADD, A2, A2, A3, 0},           /* a2 = 4x + 0x10000 */
    {SHL_IMM, A4, A1, 0, 3},  {PVM_OP_LOAD_IMM, A5, 0, 0, INT32_MIN}, {ADD, A5, A5, A4, 0},           /* a5 = 8y + INT32_MIN */
    {PVM_OP_LOAD_IMM, A4, 0, 0, 7},
    {PVM_OP_MOVE_REG, SP, A0, 0, 0}, {SHL_IMM, SP, SP, 0, 1}, {PVM_OP_LOAD_IMM, A0, 0, 0, -5},
    {ADD, SP, A0, SP, 0},                                                                             /* sp = 2x - 5, a0 = -5 */
};

/* Products by a loaded constant (emit_constant_mul: imul d, x, K), in both widths: into the
 * constant's register, into another one (the constant dead), into the other operand's, and
 * the constant live (not fused); 0x7fffffff, INT32_MIN, -1, 0. */
static const line constant_mul_code[] = {
    {PVM_OP_LOAD_IMM, T0, 0, 0, 0x7fffffff}, {MUL, T0, A0, T0, 0},                                   /* t0 = x * 0x7fffffff */
    {PVM_OP_LOAD_IMM, T1, 0, 0, INT32_MIN},  {MUL, T2, T1, A1, 0}, {PVM_OP_LOAD_IMM, T1, 0, 0, 1},  /* t2 = y * INT32_MIN */
    {PVM_OP_LOAD_IMM, S0, 0, 0, -1},         {MUL, S1, A0, S0, 0}, {ADD, A2, S0, A1, 0},            /* s0 live: a2 = y - 1 */
    {PVM_OP_LOAD_IMM, A3, 0, 0, 0},          {MUL, A4, A3, A1, 0}, {PVM_OP_LOAD_IMM, A3, 0, 0, 5},  /* a4 = 0 */
    {PVM_OP_LOAD_IMM, A5, 0, 0, 1000003},    {MUL, A0, A0, A5, 0}, {PVM_OP_LOAD_IMM, A5, 0, 0, 6},  /* a0 = x * 1000003 */
};

/* Runs m's "run"(x, y) from `gas`; start_inside: at inner_pc with a2 preset instead of the
 * export's start. */
static outcome run_from(pvm_module *m, uint64_t x, uint64_t y, bool start_inside, int64_t gas)
{
    pvm_instance *in;
    uint64_t args[2] = {x, y};
    assert_int_equal(pvm_instance_new(m, &in, NULL), PVM_OK);
    assert_int_equal(pvm_instance_prepare_call(in, "run", 0, args, 2, NULL), PVM_OK);
    if (start_inside) {
        assert_int_equal(pvm_instance_set_reg(in, A2, 0xabcdef0123456789ull, NULL), PVM_OK);
        assert_int_equal(pvm_instance_set_pc(in, inner_pc, NULL), PVM_OK);
    }
    return run_prepared(in, gas);
}

static outcome run(pvm_module *m, uint64_t x, uint64_t y, bool start_inside)
{
    return run_from(m, x, y, start_inside, 1000);
}

static void pairs_agree_with_the_interpreter(void **state)
{
    (void)state;
    pvm_engine *engines[2];
    pvm_module *modules[2];
    for (int k = 0; k < 2; k++) {
        engines[k] = pair_engine(k, PVM_GAS_SYNC);
        modules[k] = compile(engines[k]);
    }
    static const uint64_t xs[] = {0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x123456789abcdef0ull,
                                  0xffffffff80000000ull, UINT64_MAX};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++)
        for (int inside = 0; inside < 2; inside++) {
            uint64_t y = 0x1000 + i * 0x10001;
            outcome want = run(modules[0], xs[i], y, inside), got = run(modules[1], xs[i], y, inside);
            assert_int_equal(got.kind, want.kind);
            assert_int_equal(got.pc, want.pc);
            assert_int_equal(got.gas, want.gas);
            for (unsigned r = 0; r < PVM_REG_COUNT; r++) assert_int_equal(got.regs[r], want.regs[r]);
            /* The interpreter's values, pinned. */
            assert_int_equal(want.kind, PVM_EXIT_HALT);
            uint64_t x = xs[i];
            assert_int_equal(want.regs[A2], inside ? 0xabcdef0123456789ull >> 32 : (uint32_t)x);
            assert_int_equal(want.regs[A3], (uint64_t)(int64_t)(int32_t)(uint32_t)x);
            assert_int_equal(want.regs[A4], y + x * 8);
            assert_int_equal(want.regs[A5], y + x * 4);
            assert_int_equal(want.regs[S0], x * 3);
            assert_int_equal(want.regs[S1], x * 16);

        }
    for (int k = 0; k < 2; k++) pvm_engine_free(engines[k]);
}

static void carries_agree_with_the_interpreter(void **state)
{
    (void)state;
    pvm_engine *engines[2];
    pvm_module *modules[2];
    for (int k = 0; k < 2; k++) {
        engines[k] = pair_engine(k, PVM_GAS_SYNC);
        modules[k] = compile_carries(engines[k]);
    }
    static const uint64_t vs[] = {0, 1, 0x7fffffffffffffffull, 0x8000000000000000ull, UINT64_MAX, 0xfffffffffffffffeull};
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++)
        for (size_t j = 0; j < sizeof vs / sizeof vs[0]; j++) {
            uint64_t x = vs[i], y = vs[j];
            outcome want = run(modules[0], x, y, false), got = run(modules[1], x, y, false);
            assert_int_equal(got.kind, want.kind);
            assert_int_equal(got.gas, want.gas);
            for (unsigned r = 0; r < PVM_REG_COUNT; r++) assert_int_equal(got.regs[r], want.regs[r]);
            uint64_t sum = x + y, sum2 = y + sum;
            assert_int_equal(want.regs[A0], sum);
            assert_int_equal(want.regs[T1], sum < y);
            assert_int_equal(want.regs[S1], sum2 < sum);
            assert_int_equal(want.regs[A2], 0);
            assert_int_equal(want.regs[A1], sum2);
            assert_int_equal(want.regs[A3], 0);
        }
    for (int k = 0; k < 2; k++) pvm_engine_free(engines[k]);
}

/* The high 32 bits of a 32x32 product (pvm_instance_reg gives a 32-bit program's registers as 32 bits). */
static uint64_t mulh32(int op, uint32_t x, uint32_t y)
{
    int64_t sx = (int32_t)x, sy = (int32_t)y;
    uint64_t p = op == PVM_OP_MUL_UPPER_U_U ? (uint64_t)x * y
                 : op == PVM_OP_MUL_UPPER_S_S ? (uint64_t)(sx * sy)
                                              : (uint64_t)(sx * (int64_t)y);
    return (uint32_t)(p >> 32);
}

static void mul_upper_narrow_agrees_with_the_interpreter(void **state)
{
    (void)state;
    static const int ops[3] = {PVM_OP_MUL_UPPER_U_U, PVM_OP_MUL_UPPER_S_S, PVM_OP_MUL_UPPER_S_U};
    static const uint32_t vs[] = {0, 1, 3, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff, 0x12345678};
    for (int o = 0; o < 3; o++) {
        pvm_engine *engines[2];
        pvm_module *modules[2];
        for (int k = 0; k < 2; k++) {
            engines[k] = pair_engine(k, PVM_GAS_SYNC);
            modules[k] = compile_mul_upper_narrow(engines[k], ops[o]);
        }
        for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++)
            for (size_t j = 0; j < sizeof vs / sizeof vs[0]; j++) {
                uint64_t x = (uint64_t)(int64_t)(int32_t)vs[i], y = (uint64_t)(int64_t)(int32_t)vs[j];
                outcome want = run(modules[0], x, y, false), got = run(modules[1], x, y, false);
                assert_int_equal(got.kind, want.kind);
                assert_int_equal(got.gas, want.gas);
                for (unsigned r = 0; r < PVM_REG_COUNT; r++) assert_int_equal(got.regs[r], want.regs[r]);
                assert_int_equal(want.regs[A2], mulh32(ops[o], vs[i], vs[j]));
                assert_int_equal(want.regs[S0], mulh32(ops[o], vs[i], vs[j]));
                assert_int_equal(want.regs[S1], mulh32(ops[o], vs[i], vs[j]));
                assert_int_equal(want.regs[T0], mulh32(ops[o], vs[i], vs[i]));
                assert_int_equal(want.regs[T1], mulh32(ops[o], vs[j], vs[j]));
                assert_int_equal(want.regs[A3], mulh32(ops[o], vs[i], vs[j]));
                assert_int_equal(want.regs[A4], mulh32(ops[o], vs[j], vs[i]));
            }
        for (int k = 0; k < 2; k++) pvm_engine_free(engines[k]);
    }
}

/* Every program of lines on both backends over boundary inputs: all registers,
 * exit and gas agree; returns nothing, the caller pins values through check. */
typedef void (*line_check)(bool w, uint64_t x, uint64_t y, const outcome *o);

static void lines_agree(pvm_isa isa, const line *code, size_t n, line_check check)
{
    pvm_engine *engines[2];
    pvm_module *modules[2];
    for (int k = 0; k < 2; k++) {
        engines[k] = pair_engine(k, PVM_GAS_SYNC);
        modules[k] = compile_lines(engines[k], isa, code, n);
    }
    bool w = isa == PVM_ISA_LATEST64;
    static const uint64_t vs[] = {0, 1, 2, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0x123456789abcdef0ull,
                                  0x7fffffffffffffffull, 0x8000000000000000ull, UINT64_MAX - 1, UINT64_MAX};
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++)
        for (size_t j = 0; j < sizeof vs / sizeof vs[0]; j++) {
            uint64_t x = w ? vs[i] : (uint64_t)(int64_t)(int32_t)vs[i], y = w ? vs[j] : (uint64_t)(int64_t)(int32_t)vs[j];
            outcome want = run(modules[0], x, y, false), got = run(modules[1], x, y, false);
            assert_int_equal(got.kind, want.kind);
            assert_int_equal(want.kind, PVM_EXIT_HALT);
            assert_int_equal(got.gas, want.gas);
            for (unsigned r = 0; r < PVM_REG_COUNT; r++) assert_int_equal(got.regs[r], want.regs[r]);
            check(w, w ? x : (uint32_t)x, w ? y : (uint32_t)y, &want);
        }
    for (int k = 0; k < 2; k++) pvm_engine_free(engines[k]);
}

/* A table of lines and its length, for lines_agree. */
#define LINES(code) code, sizeof code / sizeof code[0]

/* lines_agree in both widths: latest32, then latest64. */
static void lines_agree_both(const line *code, size_t n, line_check check)
{
    lines_agree(PVM_ISA_LATEST32, code, n, check);
    lines_agree(PVM_ISA_LATEST64, code, n, check);
}

static void check_carries(bool w, uint64_t x, uint64_t y, const outcome *o)
{
    uint64_t mask = w ? UINT64_MAX : UINT32_MAX, sum = (x + y) & mask, c = sum < x;
    assert_int_equal(o->regs[S0], (y + c) & mask);
    assert_int_equal(o->regs[T1], 7);
    assert_int_equal(o->regs[S1], (x + c) & mask);
    assert_int_equal(o->regs[A3], x ^ y);
    assert_int_equal(o->regs[A4], (y + c) & mask);
    uint64_t dbl = (x + x) & mask, c2 = dbl < x;
    assert_int_equal(o->regs[A2], c2);
    assert_int_equal(o->regs[T2], (sum + c2) & mask);
}

static void check_carries_imm(bool w, uint64_t x, uint64_t y, const outcome *o)
{
    uint64_t mask = w ? UINT64_MAX : UINT32_MAX;
    assert_int_equal(o->regs[S0], (y + (((x + 1) & mask) < 1)) & mask);
    assert_int_equal(o->regs[T1], 0);
    assert_int_equal(o->regs[S1], (x + (((y + mask) & mask) < mask)) & mask);
    assert_int_equal(o->regs[T2], x);
    assert_int_equal(o->regs[A3], ((x + 5) & mask) < 6);
    assert_int_equal(o->regs[A5], ((y + 3) & mask) < 3);
}

static void check_carries_kept(bool w, uint64_t x, uint64_t y, const outcome *o)
{
    uint64_t mask = w ? UINT64_MAX : UINT32_MAX, c1 = ((x + 1) & mask) < 1, c2 = ((x + y) & mask) < x;
    uint64_t c3 = ((y + 1) & mask) < 1;
    assert_int_equal(o->regs[T0], (x + 1) & mask);
    assert_int_equal(o->regs[A2], c1);
    assert_int_equal(o->regs[S0], (y + c1) & mask);
    assert_int_equal(o->regs[T1], (x + y) & mask);
    assert_int_equal(o->regs[A3], c2);
    assert_int_equal(o->regs[S1], (x + c2) & mask);
    assert_int_equal(o->regs[T2], (y + 1) & mask);
    assert_int_equal(o->regs[A4], c3);
    assert_int_equal(o->regs[A5], (x + c3) & mask);
}

static void check_carry_skips(bool w, uint64_t x, uint64_t y, const outcome *o)
{
    uint64_t mask = w ? UINT64_MAX : UINT32_MAX, sum = (x + y) & mask, c1 = sum < x, c2 = ((x + x) & mask) < x;
    assert_int_equal(o->regs[S0], (y + c1) & mask);
    assert_int_equal(o->regs[A2], (x + 9) & mask);
    assert_int_equal(o->regs[A3], 11);
    assert_int_equal(o->regs[T2], sum);
    assert_int_equal(o->regs[A5], c1);
    assert_int_equal(o->regs[S1], (x + c1) & mask);
    assert_int_equal(o->regs[SP], (x + x) & mask);
    assert_int_equal(o->regs[A4], x ^ y);
    assert_int_equal(o->regs[T0], (sum + c2) & mask);
    assert_int_equal(o->regs[T1], 0);
}

static void check_carry_hoists(bool w, uint64_t x, uint64_t y, const outcome *o)
{
    uint64_t mask = w ? UINT64_MAX : UINT32_MAX, sum = (x + y) & mask, c1 = sum < x, c2 = sum < y;
    uint64_t hi = w ? (uint64_t)(((unsigned __int128)x * y) >> 64) : (x * y) >> 32;
    assert_int_equal(o->regs[S0], (y + c1) & mask);
    assert_int_equal(o->regs[A2], hi);
    assert_int_equal(o->regs[T1], 5);
    assert_int_equal(o->regs[T2], sum);
    assert_int_equal(o->regs[A4], sum ^ x);
    assert_int_equal(o->regs[S1], (x + c2) & mask);
    assert_int_equal(o->regs[A3], 0);
    assert_int_equal(o->regs[SP], x & y);
    assert_int_equal(o->regs[A5], sum);
    assert_int_equal(o->regs[T0], (sum + c1) & mask);
}

static void check_carry_mix(bool w, uint64_t x, uint64_t y, const outcome *o)
{
    uint64_t mask = w ? UINT64_MAX : UINT32_MAX, sum = (x + y) & mask, c1 = sum < x, c2 = sum < y;
    assert_int_equal(o->regs[A3], ((x + 7) & mask) ^ y);
    assert_int_equal(o->regs[S0], (y + c1) & mask);
    assert_int_equal(o->regs[T1], 1);
    assert_int_equal(o->regs[S1], (y + c2) & mask);
    assert_int_equal(o->regs[A5], x ^ y);
    assert_int_equal(o->regs[SP], 9);
    assert_int_equal(o->regs[A2], (x << 5) & mask);
    assert_int_equal(o->regs[A4], 2);
    assert_int_equal(o->regs[T2], sum);
    assert_int_equal(o->regs[T0], sum);
}

static void check_carry_merges(bool w, uint64_t x, uint64_t y, const outcome *o)
{
    uint64_t mask = w ? UINT64_MAX : UINT32_MAX, sum = (x + y) & mask, c1 = sum < y;
    uint64_t c2 = ((x + x) & mask) < x, c3 = ((y + y) & mask) < y;
    assert_int_equal(o->regs[T0], sum);
    assert_int_equal(o->regs[T1], c1);
    assert_int_equal(o->regs[S0], (sum + c1) & mask);
    assert_int_equal(o->regs[T2], (x + x) & mask);
    assert_int_equal(o->regs[S1], (sum + c2) & mask);
    assert_int_equal(o->regs[A2], 3);
    assert_int_equal(o->regs[A3], (y + y) & mask);
    assert_int_equal(o->regs[A5], (sum + c3) & mask);
    assert_int_equal(o->regs[A4], 4);
}

static void check_carry_merges_not(bool w, uint64_t x, uint64_t y, const outcome *o)
{
    uint64_t mask = w ? UINT64_MAX : UINT32_MAX, sum = (x + y) & mask, c1 = sum < x, c2 = sum < y;
    uint64_t dbl = (x + x) & mask, c3 = dbl < x;
    assert_int_equal(o->regs[T0], sum);
    assert_int_equal(o->regs[S0], (sum + c1) & mask);
    assert_int_equal(o->regs[T1], 0);
    assert_int_equal(o->regs[T2], sum);
    assert_int_equal(o->regs[A3], (sum + c2) & mask);
    assert_int_equal(o->regs[A4], x ^ y);
    assert_int_equal(o->regs[A2], 1);
    assert_int_equal(o->regs[SP], dbl);
    assert_int_equal(o->regs[A5], c3);
    assert_int_equal(o->regs[S1], ((sum ^ x) + c3) & mask);
}

static void check_funnels(bool w, uint64_t x, uint64_t y, const outcome *o)
{
    unsigned n = w ? 64 : 32;
    uint64_t mask = w ? UINT64_MAX : UINT32_MAX;
    assert_int_equal(o->regs[T0], ((x << 13) | (y >> (n - 13))) & mask);
    assert_int_equal(o->regs[T2], ((y << (n - 7)) | (x >> 7)) & mask);
    assert_int_equal(o->regs[A2], ((x << 9) | (x >> (n - 9))) & mask);
    assert_int_equal(o->regs[A5], ((x << 1) | (y >> (n - 1))) & mask);
    assert_int_equal(o->regs[SP], x | y);
    assert_int_equal(o->regs[A3], ((y << 3) | (x >> (n - 4))) & mask);
    assert_int_equal(o->regs[A1], ((x << (n - 1)) | (y >> 1)) & mask);
    assert_int_equal(o->regs[T1], (x << 1) & mask);
    assert_int_equal(o->regs[S1], x >> (n - 1));
    assert_int_equal(o->regs[S0], ((x << 1) | (x >> (n - 1))) & mask);
}

static void check_funnels_live(bool w, uint64_t x, uint64_t y, const outcome *o)
{
    unsigned n = w ? 64 : 32;
    uint64_t mask = w ? UINT64_MAX : UINT32_MAX;
    uint64_t f3 = ((x << 3) | (y >> (n - 3))) & mask, f7 = ((x << 7) | (y >> (n - 7))) & mask;
    uint64_t f9 = ((x << 9) | (y >> (n - 9))) & mask;
    assert_int_equal(o->regs[T1], ((x << 5) | (y >> (n - 5))) & mask);
    assert_int_equal(o->regs[S0], ((x << 5) & mask) ^ x);
    assert_int_equal(o->regs[A3], f3);
    assert_int_equal(o->regs[A4], ((y >> (n - 3)) + f3) & mask);
    assert_int_equal(o->regs[S1], f7);
    assert_int_equal(o->regs[T2], (((x << 7) & mask) + f7) & mask);
    assert_int_equal(o->regs[A2], f9);
    assert_int_equal(o->regs[A5], (x << 9) & mask);
    assert_int_equal(o->regs[SP], 4);
    assert_int_equal(o->regs[T0], (((x << 9) & mask) + f9) & mask);
}

static void check_indexes(bool w, uint64_t x, uint64_t y, const outcome *o)
{
    (void)w;
    int64_t sx = (int32_t)(uint32_t)x, sy = (int32_t)(uint32_t)y;
    assert_int_equal(o->regs[A2], (uint64_t)(uint32_t)x << 3);
    assert_int_equal(o->regs[A3], (uint64_t)(uint32_t)x << 1);
    assert_int_equal(o->regs[A4], (uint64_t)(uint32_t)y << 31);
    assert_int_equal(o->regs[A5], (uint64_t)sx << 2);
    assert_int_equal(o->regs[S0], (uint64_t)sy << 31);
    assert_int_equal(o->regs[S1], x << 32);
    assert_int_equal(o->regs[T0], (uint64_t)(uint32_t)x << 3);
}

static void check_select(bool w, uint64_t x, uint64_t y, const outcome *o)
{
    uint64_t mask = w ? UINT64_MAX : UINT32_MAX;
    assert_int_equal(o->regs[A2], (x + y) & mask);
    assert_int_equal(o->regs[A3], (x << 1) & mask);
    assert_int_equal(o->regs[A4], (y << 3) & mask);
    assert_int_equal(o->regs[A5], (x << 4) & mask);
    assert_int_equal(o->regs[S0], (0 - x) & mask);
    assert_int_equal(o->regs[S1], (5 - y) & mask);
    assert_int_equal(o->regs[T0], (0 - 3 - x) & mask);
    assert_int_equal(o->regs[T1], (0 - 1 - x) & mask);
}

static void selected_forms_agree_with_the_interpreter(void **state)
{
    (void)state;
    lines_agree_both(LINES(select_code), check_select);
}

static void scaled_indexes_agree_with_the_interpreter(void **state)
{
    (void)state;
    lines_agree(PVM_ISA_LATEST64, LINES(index_code), check_indexes);
}

/* x and y as the width's unsigned values: a narrow program compares its sign-extended
 * registers, which order as their low halves do, and -5 is 2^32 - 5 there. */
static void check_masks(bool w, uint64_t x, uint64_t y, const outcome *o)
{
    uint64_t mask = w ? UINT64_MAX : UINT32_MAX;
    assert_int_equal(o->regs[T0], x < y ? mask : 0);
    assert_int_equal(o->regs[T2], y < x ? mask : 0);
    assert_int_equal(o->regs[T1], 5);
    assert_int_equal(o->regs[S0], x < mask - 4 ? mask : 0);
    assert_int_equal(o->regs[S1], x < y);
    assert_int_equal(o->regs[A2], x < y ? mask : 0);
    assert_int_equal(o->regs[A3], 3 - (uint64_t)(x < 7));
    assert_int_equal(o->regs[A4], x < y && y ? y - 1 : 0); /* high half of (2^W - 1) * y */
}

static void check_wide_alu(bool w, uint64_t x, uint64_t y, const outcome *o)
{
    (void)w;
    assert_int_equal(o->regs[T0], x + y);
    assert_int_equal(o->regs[T1], (uint64_t)(int64_t)(int32_t)(uint32_t)(x + y));
    assert_int_equal(o->regs[T2], x - y);
    assert_int_equal(o->regs[S0], (uint64_t)(int64_t)(int32_t)(uint32_t)(x - y));
    assert_int_equal(o->regs[S1], 1000 - x);
    assert_int_equal(o->regs[A2], (uint64_t)-3 - y);
    assert_int_equal(o->regs[A3], 0 - x);
    assert_int_equal(o->regs[A4], (uint32_t)x >> 1);
    assert_int_equal(o->regs[A5], (uint64_t)(int64_t)(int32_t)(uint32_t)y);
    assert_int_equal(o->regs[SP], (uint32_t)x >> 1);
}

/* x and y as the width's unsigned values (see check_masks). */
static void check_equality(bool w, uint64_t x, uint64_t y, const outcome *o)
{
    uint64_t mask = w ? UINT64_MAX : UINT32_MAX;
    assert_int_equal(o->regs[T0], x == 5);
    assert_int_equal(o->regs[T2], y == 1);
    assert_int_equal(o->regs[T1], 9);
    assert_int_equal(o->regs[S0] & mask, (x + 3) & mask);
    assert_int_equal(o->regs[S1], x == ((0 - 3ull) & mask));
    assert_int_equal(o->regs[A2], x == 0x80000000u);
    assert_int_equal(o->regs[A3], 4);
    assert_int_equal(o->regs[A4], x == y);
    assert_int_equal(o->regs[A5], (uint32_t)x == (uint32_t)y);
    assert_int_equal(o->regs[SP], y == 0);
}

static void check_equality_xor(bool w, uint64_t x, uint64_t y, const outcome *o)
{
    uint64_t mask = w ? UINT64_MAX : UINT32_MAX;
    assert_int_equal(o->regs[T0], x == y);
    assert_int_equal(o->regs[T2], x == mask);
    assert_int_equal(o->regs[T1], 6);
    assert_int_equal(o->regs[S0], y == 0x12345);
    assert_int_equal(o->regs[S1], 0);
    assert_int_equal(o->regs[A2], 1);
    assert_int_equal(o->regs[A4], (uint32_t)x == 7);
    assert_int_equal(o->regs[A5], ((x - 1) & mask) < 2);
    assert_int_equal(o->regs[A1], x == y);
    assert_int_equal(o->regs[A3], 2);
}

static void check_inequality(bool w, uint64_t x, uint64_t y, const outcome *o)
{
    uint64_t mask = w ? UINT64_MAX : UINT32_MAX;
    assert_int_equal(o->regs[T0], x != y);
    assert_int_equal(o->regs[T2], x != mask);
    assert_int_equal(o->regs[T1], 6);
    assert_int_equal(o->regs[S0], (uint32_t)x != (uint32_t)y);
    assert_int_equal(o->regs[S1], x ^ y);
    assert_int_equal(o->regs[A2], x != y);
    assert_int_equal(o->regs[A3], (x ^ y) > 1);
}

static uint64_t umin(uint64_t a, uint64_t b) { return a < b ? a : b; }
static uint64_t umax(uint64_t a, uint64_t b) { return a > b ? a : b; }
static uint64_t smin(bool w, uint64_t a, uint64_t b)
{
    return w ? ((int64_t)a < (int64_t)b ? a : b) : ((int32_t)(uint32_t)a < (int32_t)(uint32_t)b ? a : b);
}
static uint64_t smax(bool w, uint64_t a, uint64_t b) { return smin(w, a, b) == a ? b : a; }

/* x and y as the program sees them (32-bit values zero-extended in a narrow program);
 * a 32-bit result as its register holds it. */
static void check_min_chain(bool w, uint64_t x, uint64_t y, const outcome *o)
{
    uint64_t mask = w ? UINT64_MAX : UINT32_MAX;
#define R32(v) (w ? (uint64_t)(int64_t)(int32_t)(uint32_t)(v) : (uint64_t)(uint32_t)(v))
    uint64_t t0 = R32(y + 1), t1 = R32(x + y), s1 = R32(y - 1), a3 = x ^ y, a4 = R32(x + 0x7fffffff);
    assert_int_equal(o->regs[T0], t0);
    assert_int_equal(o->regs[T1], t1);
    assert_int_equal(o->regs[S0], umin(umin(R32(x + 1), t0), t1));
    assert_int_equal(o->regs[S1], s1);
    assert_int_equal(o->regs[A2], smax(w, smax(w, t0, s1), t1));
    assert_int_equal(o->regs[A3], a3);
    assert_int_equal(o->regs[A4], smin(w, smin(w, a4, a3), t0));
    assert_int_equal(o->regs[T2], (x + y) & mask);
    assert_int_equal(o->regs[A5], umax(umax(x, y), (x + y) & mask));
    assert_int_equal(o->regs[SP], smax(w, smin(w, t0, t1), x));
    assert_int_equal(o->regs[A0], R32(x - 1));
    assert_int_equal(o->regs[A1], umax(umax(y, R32(x - 1)), t1));
#undef R32
}

static void check_min_keep(bool w, uint64_t x, uint64_t y, const outcome *o)
{
#define R32(v) (w ? (uint64_t)(int64_t)(int32_t)(uint32_t)(v) : (uint64_t)(uint32_t)(v))
    uint64_t t0 = R32(y + 1), t1 = umin(R32(x + 1), t0), s1 = R32(y - 1), a2 = smax(w, t0, s1);
    uint64_t a4 = R32(x + 3), t2 = smin(w, a4, R32(x + y)), a0 = umax(R32(x - 1), y);
    assert_int_equal(o->regs[T0], t0);
    assert_int_equal(o->regs[T1], t1);
    assert_int_equal(o->regs[S0], umin(t1, y));
    assert_int_equal(o->regs[S1], s1);
    assert_int_equal(o->regs[A2], a2);
    assert_int_equal(o->regs[A3], smax(w, a2, x));
    assert_int_equal(o->regs[A4], a4);
    assert_int_equal(o->regs[T2], t2);
    assert_int_equal(o->regs[SP], smin(w, t2, y));
    assert_int_equal(o->regs[A0], a0);
    assert_int_equal(o->regs[A1], umax(a0, t1));
#undef R32
}

static void check_bit_fields(bool w, uint64_t x, uint64_t y, const outcome *o)
{
    (void)w; /* narrow only: x and y are 32-bit */
    assert_int_equal(o->regs[T0], x >> 5 & 1);
    assert_int_equal(o->regs[T1], x & 0x0fffffff);
    assert_int_equal(o->regs[S0], y >> 17 & 0xfff);
    assert_int_equal(o->regs[T2], 1);
    assert_int_equal(o->regs[S1], (uint32_t)(y << 8)); /* a narrow register reads as its 32 bits */
    assert_int_equal(o->regs[A2], y >> 1 & 0x7fffff);
    assert_int_equal(o->regs[A3], x >> 30 & 1);
    assert_int_equal(o->regs[A4], 0);
    assert_int_equal(o->regs[A5], x & 1);
    assert_int_equal(o->regs[SP], (uint32_t)(y << 5) >> 2);
    assert_int_equal(o->regs[A0], x & 0xffff);
}

static void check_minmax(bool w, uint64_t x, uint64_t y, const outcome *o)
{
    uint64_t mask = w ? UINT64_MAX : UINT32_MAX;
    int64_t sx = w ? (int64_t)x : (int32_t)(uint32_t)x, sy = w ? (int64_t)y : (int32_t)(uint32_t)y;
    assert_int_equal(o->regs[T0], x < y ? x : y);
    assert_int_equal(o->regs[T1], x > y ? x : y);
    assert_int_equal(o->regs[T2], (uint64_t)(sx < sy ? sx : sy) & mask);
    assert_int_equal(o->regs[S0], x);
    assert_int_equal(o->regs[S1], (uint64_t)(sx > sy ? sx : sy) & mask);
    assert_int_equal(o->regs[A2], x > y ? x : y);
    assert_int_equal(o->regs[A3], (uint64_t)(sx < sy ? sx : sy) & mask);
    assert_int_equal(o->regs[A4], x);
    assert_int_equal(o->regs[A5], (y - x) & mask);
    assert_int_equal(o->regs[SP], y);
}

static void check_mul_const(bool w, uint64_t x, uint64_t y, const outcome *o)
{
    uint64_t mask = w ? UINT64_MAX : UINT32_MAX;
    assert_int_equal(o->regs[T0], (31 * x) & mask);
    assert_int_equal(o->regs[T2], (7 * x) & mask);
    assert_int_equal(o->regs[T1], 1);
    assert_int_equal(o->regs[S0], (0 - 15 * y) & mask);
    assert_int_equal(o->regs[S1], (65 * y) & mask);
    assert_int_equal(o->regs[A3], (5 * x) & mask);
    assert_int_equal(o->regs[A2], 3);
    assert_int_equal(o->regs[A4], (((1ull << 30) - 1) * x) & mask);
    assert_int_equal(o->regs[A5], (((1ull << 31) - 1) * x) & mask);
    assert_int_equal(o->regs[SP], (4 * y) & mask);
    assert_int_equal(o->regs[A1], (3 * y) & mask);
    assert_int_equal(o->regs[A0], (513 * x) & mask);
}

static void check_constant_adds(bool w, uint64_t x, uint64_t y, const outcome *o)
{
    uint64_t mask = w ? UINT64_MAX : UINT32_MAX;
    assert_int_equal(o->regs[T0], (x + 0x12345) & mask);
    assert_int_equal(o->regs[T2], (y - 0x70000000) & mask);
    assert_int_equal(o->regs[T1], 1);
    assert_int_equal(o->regs[S0], 0x7fffffff);
    assert_int_equal(o->regs[S1], (x + 0x7fffffff) & mask);
    assert_int_equal(o->regs[A2], (4 * x + 0x10000) & mask);
    assert_int_equal(o->regs[A3], 0x10000);
    assert_int_equal(o->regs[A5], (8 * y + (uint64_t)(int64_t)INT32_MIN) & mask);
    assert_int_equal(o->regs[A4], 7);
    assert_int_equal(o->regs[SP], (2 * x - 5) & mask);
    assert_int_equal(o->regs[A0], (uint64_t)-5 & mask);
}

static void check_constant_muls(bool w, uint64_t x, uint64_t y, const outcome *o)
{
    uint64_t mask = w ? UINT64_MAX : UINT32_MAX;
    assert_int_equal(o->regs[T0], (x * 0x7fffffff) & mask);
    assert_int_equal(o->regs[T2], (y * (uint64_t)(int64_t)INT32_MIN) & mask);
    assert_int_equal(o->regs[T1], 1);
    assert_int_equal(o->regs[S0], UINT64_MAX & mask);
    assert_int_equal(o->regs[S1], (0 - x) & mask);
    assert_int_equal(o->regs[A2], (y - 1) & mask);
    assert_int_equal(o->regs[A4], 0);
    assert_int_equal(o->regs[A3], 5);
    assert_int_equal(o->regs[A0], (x * 1000003) & mask);
    assert_int_equal(o->regs[A5], 6);
}

static void minmax_and_constant_arithmetic_agree_with_the_interpreter(void **state)
{
    (void)state;
    lines_agree_both(LINES(minmax_code), check_minmax);
    lines_agree_both(LINES(mul_const_code), check_mul_const);
    lines_agree_both(LINES(constant_add_code), check_constant_adds);
    lines_agree_both(LINES(constant_mul_code), check_constant_muls);
}

static void equalities_and_bit_fields_agree_with_the_interpreter(void **state)
{
    (void)state;
    lines_agree_both(LINES(equality_code), check_equality);
    lines_agree_both(LINES(equality_xor_code), check_equality_xor);
    lines_agree_both(LINES(inequality_code), check_inequality);
    lines_agree_both(LINES(min_chain_code), check_min_chain);
    lines_agree_both(LINES(min_keep_code), check_min_keep);
    lines_agree(PVM_ISA_LATEST32, LINES(bit_field_code), check_bit_fields);
}

static void wide_ops_agree_with_the_interpreter(void **state)
{
    (void)state;
    lines_agree_both(LINES(mask_code), check_masks);
    lines_agree(PVM_ISA_LATEST64, LINES(wide_alu_code), check_wide_alu);
}

/* Branches on zero right after the and/or/xor that computed the register (emit_zero_branch:
 * no test, the ALU's flags decide), in both widths: each case's branch skips setting its bit
 * of s1. Register and immediate forms, d = b, and a wide immediate (-2^31: bit 31 and up of a
 * 64-bit value, bit 31 of a 32-bit one). */
typedef struct {
    int op, branch;
    unsigned d, a, b;
    int64_t imm;
    unsigned tested; /* the branch's register: d, but for the last case (not fused) */
} zero_case;

static const zero_case zero_cases[] = {
    {PVM_OP_AND, PVM_OP_BRANCH_EQ_IMM, T0, A0, A1, 0, T0},     {PVM_OP_OR, PVM_OP_BRANCH_NE_IMM, T1, A0, A1, 0, T1},
    {PVM_OP_XOR, PVM_OP_BRANCH_EQ_IMM, T2, A0, A1, 0, T2},     {PVM_OP_AND_IMM, PVM_OP_BRANCH_NE_IMM, S0, A0, 0, INT32_MIN, S0},
    {PVM_OP_XOR_IMM, PVM_OP_BRANCH_EQ_IMM, A2, A0, 0, -1, A2}, {PVM_OP_OR_IMM, PVM_OP_BRANCH_EQ_IMM, A3, A1, 0, 0, A3},
    {PVM_OP_AND, PVM_OP_BRANCH_NE_IMM, A5, A0, A5, 0, A5}, /* d = b (a5 = y first) */
    {PVM_OP_XOR, PVM_OP_BRANCH_NE_IMM, A4, A0, A0, 0, A1}, /* a4 = 0, but y is tested */
};

static pvm_module *compile_zero_branches(pvm_engine *e, pvm_isa isa)
{
    pvm_builder *b = pvm_builder_new(isa);
    pvm_label entry = pvm_builder_label(b);
    pvm_builder_export(b, "run", entry);
    pvm_builder_bind(b, entry);
    pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, A5, A1);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, S1, 0);
    for (unsigned i = 0; i < sizeof zero_cases / sizeof zero_cases[0]; i++) {
        const zero_case *z = &zero_cases[i];
        pvm_label skip = pvm_builder_label(b);
        if (pvm_op_table[z->op].kind == PVM_KIND_REG3) pvm_emit_reg3(b, z->op, z->d, z->a, z->b);
        else pvm_emit_reg_reg_imm(b, z->op, z->d, z->a, z->imm);
        pvm_emit_reg_imm_jump(b, z->branch, z->tested, 0, skip);
        pvm_emit_reg_reg_imm(b, PVM_OP_OR_IMM, S1, S1, 1 << i);
        pvm_emit_none(b, PVM_OP_FALLTHROUGH); /* the branch target starts a block */
        pvm_builder_bind(b, skip);
    }
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, PVM_REG_RA, 0);
    return finish(e, b);
}

/* Carry groups with one load or store (emit_carry_group: emitted before anything else of
 * the group; a fault there has the interpreter redo the group). a2 holds the base of
 * RW_WORDS words of rw data (word i = i * 0x01010101 + 3), or 0, where every access faults.
 * Each group is run first with base 0, so each one's access is the faulting one once. */
enum { RW_WORDS = 8 };
static const line carry_access_groups[][8] = {
    {/* the high word loaded between the carry and the high add (hash_table): load first, then add; adc */
     {PVM_OP_MOVE_REG, S1, A1, 0, 0},      {ADD, T0, A0, A1, 0},  {PVM_OP_SET_LT_U, T1, T0, A1, 0},
     {PVM_OP_LOAD_IND_I32, A3, A2, 4, 0},  {ADD, S1, S1, A3, 0},  {ADD, S1, S1, T1, 0},
     {PVM_OP_LOAD_IMM, T1, 0, 0, 5},       {PVM_OP_FALLTHROUGH, 0, 0, 0, 0}},
    {/* a byte load between the add and its compare (bytecode_vm), the carry kept live in s0 */
     {PVM_OP_MOVE_REG, A4, A1, 0, 0},      {ADD, T2, A0, A1, 0},  {PVM_OP_LOAD_IND_U8, A5, A2, 9, 0},
     {PVM_OP_SET_LT_U, S0, T2, A0, 0},     {ADD, A4, A4, A5, 0},  {ADD, A4, A4, S0, 0},
     {PVM_OP_FALLTHROUGH, 0, 0, 0, 0},     {PVM_OP_FALLTHROUGH, 0, 0, 0, 0}},
    {/* a store of an addend between an increment's carry and its consumer, read back */
     {ADD_IMM, SP, A0, 0, 1},              {PVM_OP_SET_LT_U_IMM, T1, SP, 0, 1}, {PVM_OP_STORE_IND_U32, A1, A2, 20, 0},
     {ADD, T1, T1, A0, 0},                 {PVM_OP_LOAD_IND_I32, A3, A2, 20, 0}, {PVM_OP_FALLTHROUGH, 0, 0, 0, 0},
     {PVM_OP_FALLTHROUGH, 0, 0, 0, 0},     {PVM_OP_FALLTHROUGH, 0, 0, 0, 0}},
    {/* not first: a store of the sum, a load over an addend, two loads (only one goes first) */
     {ADD, T0, A0, A1, 0},                 {PVM_OP_SET_LT_U, T1, T0, A0, 0}, {PVM_OP_STORE_IND_U32, T0, A2, 24, 0},
     {ADD, S0, A1, T1, 0},                 {PVM_OP_MOVE_REG, A3, A1, 0, 0},  {ADD, T2, A0, A3, 0},
     {PVM_OP_LOAD_IND_I32, A3, A2, 8, 0},  {PVM_OP_SET_LT_U, A4, T2, A0, 0}},
    {{ADD, SP, A0, A0, 0},                 {PVM_OP_SET_LT_U, A5, SP, A0, 0}, {PVM_OP_LOAD_IND_I32, S1, A2, 0, 0},
     {PVM_OP_LOAD_IND_I32, A4, A2, 12, 0}, {ADD, A5, A5, S1, 0},            {PVM_OP_LOAD_IMM, S1, 0, 0, 9},
     {PVM_OP_LOAD_IND_I32, T0, A2, 24, 0}, {PVM_OP_FALLTHROUGH, 0, 0, 0, 0}},
};
enum { N_ACCESS_GROUPS = sizeof carry_access_groups / sizeof carry_access_groups[0] };

/* The groups (n of `width` lines each) in order from `first` on (wrapping), with rw data:
 * FALLTHROUGH lines are padding (the groups stay in one block), END_BLOCK a fall-through
 * that ends the block. */
enum { END_BLOCK = -6 };
static pvm_module *compile_carry_access(pvm_engine *e, pvm_isa isa, const line *groups, unsigned n, unsigned width, unsigned first)
{
    bool w = isa == PVM_ISA_LATEST64;
    pvm_builder *b = pvm_builder_new(isa);
    set_word_data(b, true, RW_WORDS, 3);
    pvm_label entry = pvm_builder_label(b);
    pvm_builder_export(b, "run", entry);
    pvm_builder_bind(b, entry);
    for (unsigned gi = 0; gi < n; gi++)
        for (size_t i = 0; i < width; i++) {
            const line *l = &groups[(first + gi) % n * width + i];
            int op = l->op == ADD ? (w ? PVM_OP_ADD_64 : PVM_OP_ADD_32) : l->op == ADD_IMM ? (w ? PVM_OP_ADD_IMM_64 : PVM_OP_ADD_IMM_32)
                   : l->op == SHL_IMM ? (w ? PVM_OP_SHLO_L_IMM_64 : PVM_OP_SHLO_L_IMM_32) : l->op;
            if (op == PVM_OP_FALLTHROUGH) continue; /* padding */
            if (op == END_BLOCK) {
                pvm_emit_none(b, PVM_OP_FALLTHROUGH);
                continue;
            }
            switch (pvm_op_table[op].kind) {
            case PVM_KIND_REG3: pvm_emit_reg3(b, op, l->r0, l->r1, l->r2); break;
            case PVM_KIND_REG_REG: pvm_emit_reg_reg(b, op, l->r0, l->r1); break;
            case PVM_KIND_REG_REG_IMM: pvm_emit_reg_reg_imm(b, op, l->r0, l->r1, l->op == ADD_IMM || op == PVM_OP_SET_LT_U_IMM || l->op == SHL_IMM ? l->imm : l->r2); break;
            default: pvm_emit_reg_imm(b, op, l->r0, l->imm); break;
            }
        }
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, PVM_REG_RA, 0);
    return finish(e, b);
}

static outcome run_carry_access(pvm_module *m, uint64_t x, uint64_t y, bool fault, int64_t gas)
{
    pvm_instance *in;
    uint64_t args[3] = {x, y, fault ? 0 : m->layout.rw_addr};
    assert_int_equal(pvm_instance_new(m, &in, NULL), PVM_OK);
    assert_int_equal(pvm_instance_prepare_call(in, "run", 0, args, 3, NULL), PVM_OK);
    return run_prepared(in, gas);
}

/* What a carry-group test asserts of the interpreter's outcome of a whole run (gas enough),
 * beyond its agreement with the recompiler: the groups compiled with `first` first, inputs
 * x, y as the guest sees them (sign-extended in 32-bit code, w false), fault: base 0. */
typedef void (*carry_run_check)(unsigned first, bool w, uint64_t x, uint64_t y, int fault, const outcome *want);

/* The groups (n of `width` lines) compiled for both ISAs, every gas mode and each group
 * first, both backends: every pair of vs as the inputs, with and without a fault, at gas
 * budgets from 0 up, agree on exit, pc, gas and registers; a run with gas enough halts or
 * (fault) panics, then check tells the rest. */
static void carry_groups_agree(const line *groups, unsigned n, unsigned width, const uint64_t *vs, size_t nv,
                               carry_run_check check)
{
    for (int k = 0; k < 2; k++)
        for (int gm = 0; gm < 3; gm++) {
            pvm_isa isa = k ? PVM_ISA_LATEST64 : PVM_ISA_LATEST32;
            bool w = k;
            pvm_gas_mode mode = gm == 0 ? PVM_GAS_NONE : gm == 1 ? PVM_GAS_SYNC : PVM_GAS_ASYNC;
            for (unsigned first = 0; first < n; first++) {
                pvm_engine *engines[2];
                pvm_module *modules[2];
                for (int j = 0; j < 2; j++) {
                    engines[j] = pair_engine(j, mode);
                    modules[j] = compile_carry_access(engines[j], isa, groups, n, width, first);
                }
                for (size_t i = 0; i < nv; i++)
                    for (size_t j = 0; j < nv; j++)
                        for (int fault = 0; fault < 2; fault++)
                            for (int64_t gas = mode == PVM_GAS_NONE ? 1000 : 0; gas <= 1000; gas = gas ? gas * 10 : 1) {
                                uint64_t x = w ? vs[i] : (uint64_t)(int64_t)(int32_t)vs[i], y = w ? vs[j] : (uint64_t)(int64_t)(int32_t)vs[j];
                                outcome want = run_carry_access(modules[0], x, y, fault, gas), got = run_carry_access(modules[1], x, y, fault, gas);
                                assert_int_equal(got.kind, want.kind);
                                assert_int_equal(got.pc, want.pc);
                                assert_int_equal(got.gas, want.gas);
                                for (unsigned r = 0; r < PVM_REG_COUNT; r++) assert_int_equal(got.regs[r], want.regs[r]);
                                if (gas < 1000) continue;
                                assert_int_equal(want.kind, fault ? PVM_EXIT_PANIC : PVM_EXIT_HALT);
                                check(first, w, x, y, fault, &want);
                            }
                for (int j = 0; j < 2; j++) pvm_engine_free(engines[j]);
            }
        }
}

static void check_access_groups(unsigned first, bool w, uint64_t x, uint64_t y, int fault, const outcome *want)
{
    if (fault) { /* stopped at the first group's access, its add and compare done */
        assert_int_equal(want->regs[A2], 0);
        return;
    }
    if (first) return; /* the groups share registers: pinned in their own order */
    uint64_t mask = w ? UINT64_MAX : UINT32_MAX, X = x & mask, Y = y & mask, sum = (X + Y) & mask;
    uint64_t c2 = sum < X, c_dbl = ((X + X) & mask) < X;
    assert_int_equal(want->regs[T2], sum);
    assert_int_equal(want->regs[T1], c2);
    assert_int_equal(want->regs[S0], (Y + c2) & mask);
    assert_int_equal(want->regs[T0], (uint64_t)(int64_t)(int32_t)sum & mask); /* stored, loaded back */
    assert_int_equal(want->regs[A3], 0x02020205);
    assert_int_equal(want->regs[A4], 0x03030306);
    assert_int_equal(want->regs[A5], c_dbl + 3);
    assert_int_equal(want->regs[SP], (X + X) & mask);
    assert_int_equal(want->regs[S1], 9);
}

static void carry_groups_with_an_access_agree_with_the_interpreter(void **state)
{
    (void)state;
    static const uint64_t vs[] = {0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x8000000000000000ull, UINT64_MAX};
    carry_groups_agree(carry_access_groups[0], N_ACCESS_GROUPS, 8, vs, sizeof vs / sizeof vs[0], check_access_groups);
}

/* Carries that only a fault could see after their consumer (emit_ops.c: byte_window): the
 * carry register, holding a stale value with upper bits before (a move), is written by
 * setb alone and the consumer is an adc; the fault handler clears the stale bits at a fault
 * in the window. Each group is run first with base 0, so that its window's first access
 * faults (its first access comes after the consumer), and the interpreter must see the
 * carry exactly; the last two groups are not candidates (the carry is stored; a byte window
 * into a fused load sequence whose fault the interpreter redoes). */
enum { BYTE_WIDTH = 10 };
static const line carry_byte_groups[][BYTE_WIDTH] = {
    {/* the carry kept for a store and a load, then overwritten */
     {PVM_OP_MOVE_REG, T1, A0, 0, 0},     {ADD, T0, A0, A1, 0},                {PVM_OP_SET_LT_U, T1, T0, A1, 0},
     {ADD, S1, A1, T1, 0},                {PVM_OP_STORE_IND_U32, T0, A2, 4, 0}, {PVM_OP_LOAD_IND_I32, A3, A2, 8, 0},
     {PVM_OP_LOAD_IMM, T1, 0, 0, 7},      {PVM_OP_FALLTHROUGH, 0, 0, 0, 0},    {PVM_OP_FALLTHROUGH, 0, 0, 0, 0},
     {PVM_OP_FALLTHROUGH, 0, 0, 0, 0}},
    {/* an increment of a 64-bit counter in halves (state_machine): add_imm, set_lt_u_imm, two stores */
     {PVM_OP_MOVE_REG, A4, A1, 0, 0},     {ADD_IMM, A5, A0, 0, 1},             {PVM_OP_SET_LT_U_IMM, A4, A5, 0, 1},
     {ADD, S0, A1, A4, 0},                {PVM_OP_STORE_IND_U32, A5, A2, 12, 0}, {PVM_OP_STORE_IND_U32, S0, A2, 16, 0},
     {PVM_OP_LOAD_IMM, A4, 0, 0, 3},      {PVM_OP_FALLTHROUGH, 0, 0, 0, 0},    {PVM_OP_FALLTHROUGH, 0, 0, 0, 0},
     {PVM_OP_FALLTHROUGH, 0, 0, 0, 0}},
    {/* a 64-bit add in halves whose high add merges into the adc; a load over the carry ends the window */
     {PVM_OP_MOVE_REG, T2, A0, 0, 0},     {ADD, SP, A0, A1, 0},                {PVM_OP_SET_LT_U, T2, SP, A1, 0},
     {ADD, S1, S1, A0, 0},                {ADD, S1, S1, T2, 0},                {PVM_OP_LOAD_IND_I32, T2, A2, 20, 0},
     {PVM_OP_FALLTHROUGH, 0, 0, 0, 0},    {PVM_OP_FALLTHROUGH, 0, 0, 0, 0},    {PVM_OP_FALLTHROUGH, 0, 0, 0, 0},
     {PVM_OP_FALLTHROUGH, 0, 0, 0, 0}},
    {/* the window runs to the block's end; the next block overwrites the carry first */
     {PVM_OP_MOVE_REG, A5, A1, 0, 0},     {ADD, A4, A0, A0, 0},                {PVM_OP_SET_LT_U, A5, A4, A0, 0},
     {ADD, T0, A1, A5, 0},                {PVM_OP_LOAD_IND_I32, S0, A2, 24, 0}, {END_BLOCK, 0, 0, 0, 0},
     {PVM_OP_LOAD_IMM, A5, 0, 0, 1},      {PVM_OP_FALLTHROUGH, 0, 0, 0, 0},    {PVM_OP_FALLTHROUGH, 0, 0, 0, 0},
     {PVM_OP_FALLTHROUGH, 0, 0, 0, 0}},
    {/* a fused load sequence in the window (its fault has the interpreter redo it from its start) */
     {PVM_OP_MOVE_REG, T1, A1, 0, 0},     {ADD, T0, A1, A0, 0},                {PVM_OP_SET_LT_U, T1, T0, A0, 0},
     {ADD, S1, A0, T1, 0},                {PVM_OP_LOAD_IMM, A3, 0, 0, 5},      {SHL_IMM, A3, A3, 0, 2},
     {ADD, T2, A2, A3, 0},                {PVM_OP_LOAD_IND_I32, A3, T2, 0, 0}, {PVM_OP_LOAD_IMM, T1, 0, 0, 4},
     {PVM_OP_FALLTHROUGH, 0, 0, 0, 0}},
    {/* not a window: the carry is stored */
     {PVM_OP_MOVE_REG, T1, A0, 0, 0},     {ADD, T0, A0, A1, 0},                {PVM_OP_SET_LT_U, T1, T0, A1, 0},
     {ADD, S1, A1, T1, 0},                {PVM_OP_STORE_IND_U32, T1, A2, 28, 0}, {PVM_OP_LOAD_IMM, T1, 0, 0, 2},
     {PVM_OP_FALLTHROUGH, 0, 0, 0, 0},    {PVM_OP_FALLTHROUGH, 0, 0, 0, 0},    {PVM_OP_FALLTHROUGH, 0, 0, 0, 0},
     {PVM_OP_FALLTHROUGH, 0, 0, 0, 0}},
};
enum { N_BYTE_GROUPS = sizeof carry_byte_groups / sizeof carry_byte_groups[0] };

static void check_byte_groups(unsigned first, bool w, uint64_t x, uint64_t y, int fault, const outcome *want)
{
    uint64_t mask = w ? UINT64_MAX : UINT32_MAX, X = x & mask, Y = y & mask;
    if (fault && first == 0) { /* stopped at the store: the carry is a full register */
        assert_int_equal(want->regs[T1], ((X + Y) & mask) < Y);
        assert_int_equal(want->regs[S1] & mask, (Y + (((X + Y) & mask) < Y)) & mask);
    }
    if (fault && first == 1) assert_int_equal(want->regs[A4], ((X + 1) & mask) == 0);
    if (!fault && first == 0) assert_int_equal(want->regs[A3], 0x05050508); /* word 5, loaded last */
}

static void carries_seen_only_by_faults_agree_with_the_interpreter(void **state)
{
    (void)state;
    static const uint64_t vs[] = {0, 1, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0x8000000000000000ull, UINT64_MAX};
    carry_groups_agree(carry_byte_groups[0], N_BYTE_GROUPS, BYTE_WIDTH, vs, sizeof vs / sizeof vs[0], check_byte_groups);
}

/* Carry groups with a store of the sum between the add and its compare (field25519's
 * reductions: jit_carry_store_in_order): the store is emitted right after the add, and a
 * fault there is the store's own, with the add done (the interpreter agrees on every
 * register). An in-place add whose carry goes to an adc; a sum into a third register
 * with the carry kept live (no consumer fused: add, store, setb); an increment's
 * add_imm; a 64-bit add in halves whose high add merges into the adc. */
enum { ORDER_WIDTH = 7 };
static const line carry_store_groups[][ORDER_WIDTH] = {
    {{PVM_OP_MOVE_REG, T0, A0, 0, 0},        {PVM_OP_MOVE_REG, S0, A1, 0, 0},      {ADD, T0, T0, A1, 0},
     {PVM_OP_STORE_IND_U32, T0, A2, 4, 0},   {PVM_OP_SET_LT_U, T1, T0, A1, 0},     {ADD, S0, S0, T1, 0},
     {PVM_OP_LOAD_IMM, T1, 0, 0, 5}},
    {{ADD, A3, A0, A1, 0},                   {PVM_OP_STORE_IND_U32, A3, A2, 8, 0}, {PVM_OP_SET_LT_U, A4, A3, A0, 0},
     {PVM_OP_LOAD_IMM, A5, 0, 0, 3},         {ADD, A5, A5, A4, 0},                 {PVM_OP_FALLTHROUGH, 0, 0, 0, 0},
     {PVM_OP_FALLTHROUGH, 0, 0, 0, 0}},
    {{ADD_IMM, SP, A0, 0, 1},                {PVM_OP_STORE_IND_U32, SP, A2, 12, 0}, {PVM_OP_SET_LT_U_IMM, S1, SP, 0, 1},
     {ADD, T2, A1, S1, 0},                   {PVM_OP_LOAD_IMM, S1, 0, 0, 2},       {PVM_OP_FALLTHROUGH, 0, 0, 0, 0},
     {PVM_OP_FALLTHROUGH, 0, 0, 0, 0}},
    {{PVM_OP_MOVE_REG, T1, A0, 0, 0},        {ADD, T1, T1, A0, 0},                 {PVM_OP_STORE_IND_U32, T1, A2, 16, 0},
     {PVM_OP_SET_LT_U, A5, T1, A0, 0},       {ADD, S0, S0, A1, 0},                 {ADD, S0, S0, A5, 0},
     {PVM_OP_LOAD_IMM, A5, 0, 0, 1}},
};
enum { N_STORE_GROUPS = sizeof carry_store_groups / sizeof carry_store_groups[0] };

static void check_store_groups(unsigned first, bool w, uint64_t x, uint64_t y, int fault, const outcome *want)
{
    if (fault) { /* stopped at the first group's store, its add done */
        assert_int_equal(want->regs[A2], 0);
        return;
    }
    if (first) return; /* the groups share registers: pinned in their own order */
    uint64_t mask = w ? UINT64_MAX : UINT32_MAX, X = x & mask, Y = y & mask, sum = (X + Y) & mask;
    uint64_t c1 = sum < Y, c2 = sum < X, inc = (X + 1) & mask, c3 = inc < 1, dbl = (X + X) & mask, c4 = dbl < X;
    assert_int_equal(want->regs[T0], sum);
    assert_int_equal(want->regs[A3], sum);
    assert_int_equal(want->regs[A4], c2);
    assert_int_equal(want->regs[SP], inc);
    assert_int_equal(want->regs[T2], (Y + c3) & mask);
    assert_int_equal(want->regs[S1], 2);
    assert_int_equal(want->regs[T1], dbl);
    assert_int_equal(want->regs[S0], (Y + c1 + Y + c4) & mask);
    assert_int_equal(want->regs[A5], 1);
}

static void carry_stores_of_the_sum_agree_with_the_interpreter(void **state)
{
    (void)state;
    static const uint64_t vs[] = {0, 1, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0x8000000000000000ull, UINT64_MAX};
    carry_groups_agree(carry_store_groups[0], N_STORE_GROUPS, ORDER_WIDTH, vs, sizeof vs / sizeof vs[0], check_store_groups);
}

static void zero_branches_agree_with_the_interpreter(void **state)
{
    (void)state;
    static const uint64_t vs[] = {0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull, UINT64_MAX};
    for (int k = 0; k < 2; k++) {
        pvm_isa isa = k ? PVM_ISA_LATEST64 : PVM_ISA_LATEST32;
        bool w = isa == PVM_ISA_LATEST64;
        uint64_t mask = w ? UINT64_MAX : UINT32_MAX;
        pvm_engine *engines[2];
        pvm_module *modules[2];
        for (int j = 0; j < 2; j++) {
            engines[j] = pair_engine(j, PVM_GAS_SYNC);
            modules[j] = compile_zero_branches(engines[j], isa);
        }
        for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++)
            for (size_t j = 0; j < sizeof vs / sizeof vs[0]; j++) {
                uint64_t x = w ? vs[i] : (uint64_t)(int64_t)(int32_t)vs[i], y = w ? vs[j] : (uint64_t)(int64_t)(int32_t)vs[j];
                outcome want = run(modules[0], x, y, false), got = run(modules[1], x, y, false);
                assert_int_equal(got.kind, want.kind);
                assert_int_equal(want.kind, PVM_EXIT_HALT);
                assert_int_equal(got.gas, want.gas);
                for (unsigned r = 0; r < PVM_REG_COUNT; r++) assert_int_equal(got.regs[r], want.regs[r]);
                x &= mask, y &= mask;
                uint64_t d[] = {x & y, x | y, x ^ y, x & (uint64_t)(int64_t)INT32_MIN & mask, x ^ mask, y, x & y, y};
                uint64_t bits = 0;
                for (unsigned c = 0; c < sizeof d / sizeof d[0]; c++)
                    if ((zero_cases[c].branch == PVM_OP_BRANCH_EQ_IMM) != (d[c] == 0)) bits |= 1u << c;
                assert_int_equal(want.regs[S1], bits);
            }
        for (int j = 0; j < 2; j++) pvm_engine_free(engines[j]);
    }
}

static void fused_carries_agree_with_the_interpreter(void **state)
{
    (void)state;
    lines_agree_both(LINES(carry_code), check_carries);
    lines_agree_both(LINES(carry_imm_code), check_carries_imm);
    lines_agree_both(LINES(carry_kept_code), check_carries_kept);
    lines_agree_both(LINES(carry_skip_code), check_carry_skips);
    lines_agree_both(LINES(carry_hoist_code), check_carry_hoists);
    lines_agree_both(LINES(carry_mix_code), check_carry_mix);
    lines_agree_both(LINES(carry_merge_code), check_carry_merges);
    lines_agree_both(LINES(carry_merge_not_code), check_carry_merges_not);
}

static void funnel_shifts_agree_with_the_interpreter(void **state)
{
    (void)state;
    lines_agree(PVM_ISA_LATEST32, LINES(funnel32_code), check_funnels);
    lines_agree(PVM_ISA_LATEST64, LINES(funnel64_code), check_funnels);
    lines_agree(PVM_ISA_LATEST32, LINES(funnel_live32_code), check_funnels_live);
    lines_agree(PVM_ISA_LATEST64, LINES(funnel_live64_code), check_funnels_live);
}

/* A narrow program's scaled element loads (what rv32 compilers emit for a[i].x,
 * a[i].y): shlo_l_imm_32 x, x, k; add_32 t, base, x; load x, [t]; load y, [t + 4],
 * the shifted index never materialised (the first load overwrites it) and t
 * kept. Then two that must not fuse that way: the shifted index stays live (the
 * load writes another register), and t is the base register itself. The ro data
 * at 0x10000 holds word i = i * 0x01010101 + 7; a base of 0 faults inside the
 * first group, which the interpreter then redoes from its shift. */
enum { RO_BASE = 0x10000, RO_WORDS = 64 };
static pvm_module *compile_scaled_loads(pvm_engine *e, bool own_base_first)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST32);
    set_word_data(b, false, RO_WORDS, 7);
    pvm_label entry = pvm_builder_label(b);
    pvm_builder_export(b, "run", entry);
    pvm_builder_bind(b, entry);
    pvm_emit_reg_reg_imm(b, PVM_OP_SHLO_L_IMM_32, T2, A0, 2); /* lea t2, [a1 + a0 * 4] */
    pvm_emit_reg3(b, PVM_OP_ADD_32, T2, A1, T2);
    if (own_base_first) { /* a4 = [a1 + a0 * 8 + 4]: one load, the faulting one with a base of 0 */
        pvm_emit_reg_reg_imm(b, PVM_OP_SHLO_L_IMM_32, A4, A0, 3);
        pvm_emit_reg3(b, PVM_OP_ADD_32, A4, A4, A1);
        pvm_emit_reg_reg_imm(b, PVM_OP_LOAD_IND_I32, A4, A4, 4);
    }
    pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, S1, A0);
    pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, A5, A0);
    pvm_emit_reg_reg_imm(b, PVM_OP_SHLO_L_IMM_32, A0, A0, 3); /* fused: a0 = [a1 + a0 * 8], a2 = a1 + a0 * 8 */
    pvm_emit_reg3(b, PVM_OP_ADD_32, A2, A1, A0);
    pvm_emit_reg_reg_imm(b, PVM_OP_LOAD_IND_I32, A0, A2, 0);
    pvm_emit_reg_reg_imm(b, PVM_OP_LOAD_IND_I32, A3, A2, 4);
    pvm_emit_reg_reg_imm(b, PVM_OP_SHLO_L_IMM_32, S1, S1, 2); /* s1 = x * 4 stays: not that group */
    pvm_emit_reg3(b, PVM_OP_ADD_32, T0, S1, A1);
    pvm_emit_reg_reg_imm(b, PVM_OP_LOAD_IND_I32, T1, T0, 0);
    pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, S0, A1); /* t = base: not that group */
    pvm_emit_reg_reg_imm(b, PVM_OP_SHLO_L_IMM_32, A5, A5, 2);
    pvm_emit_reg3(b, PVM_OP_ADD_32, S0, S0, A5);
    pvm_emit_reg_reg_imm(b, PVM_OP_LOAD_IND_I32, A5, S0, 0);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, PVM_REG_RA, 0);
    return finish(e, b);
}

static void scaled_loads_agree_with_the_interpreter(void **state)
{
    (void)state;
    pvm_engine *engines[2];
    pvm_module *modules[4];
    for (int k = 0; k < 2; k++) {
        engines[k] = pair_engine(k, PVM_GAS_SYNC);
        modules[k] = compile_scaled_loads(engines[k], false);
        modules[k + 2] = compile_scaled_loads(engines[k], true);
    }
    static const uint32_t xs[] = {0, 1, 5, 30};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++)
        for (int fault = 0; fault < 4; fault++) {
            bool first = fault >= 2; /* the module that starts with the own-base group */
            uint32_t x = xs[i], base = fault & 1 ? 0 : RO_BASE;
            outcome want = run(modules[2 * first], x, base, false), got = run(modules[2 * first + 1], x, base, false);
            assert_int_equal(got.kind, want.kind);
            assert_int_equal(got.pc, want.pc);
            assert_int_equal(got.gas, want.gas);
            for (unsigned r = 0; r < PVM_REG_COUNT; r++) assert_int_equal(got.regs[r], want.regs[r]);
            assert_int_equal(want.regs[T2], base + 4 * x);
            if (fault & 1) { /* stopped at the first group's load with the shift and the add done (the
                              * recompiler's code did neither: the interpreter redid the group) */
                assert_int_not_equal(want.kind, PVM_EXIT_HALT);
                assert_int_equal(want.regs[first ? A4 : A0], 8 * x);
                if (!first) assert_int_equal(want.regs[A2], 8 * x);
                assert_int_equal(want.regs[S1], first ? 0 : x);
                continue;
            }
            if (first) assert_int_equal(want.regs[A4], (2 * x + 1) * 0x01010101u + 7);
            assert_int_equal(want.kind, PVM_EXIT_HALT);
            assert_int_equal(want.regs[A0], (2 * x) * 0x01010101u + 7);
            assert_int_equal(want.regs[A2], RO_BASE + 8 * x);
            assert_int_equal(want.regs[A3], (2 * x + 1) * 0x01010101u + 7);
            assert_int_equal(want.regs[S1], 4 * x);
            assert_int_equal(want.regs[T1], x * 0x01010101u + 7);
            assert_int_equal(want.regs[S0], RO_BASE + 4 * x);
            assert_int_equal(want.regs[A5], x * 0x01010101u + 7);
        }
    for (int k = 0; k < 2; k++) pvm_engine_free(engines[k]);
}

/* Both words of a narrow program's 64-bit element (emit_fused_group): shlo_l_imm_32 x, x, k;
 * add_32 t, base, x; load x, [t + lo]; load t, [t + hi] (same op) is two loads from
 * base + x << k, the second emitted first. Indexes that wrap at 2^32, and ones whose low word
 * is the last of the ro page and whose high word the first beyond it (only the second load
 * faults: the interpreter redoes the four and stops there), against the interpreter. The
 * pair with different ops is not fused so (the first load alone is). */
static pvm_module *compile_element_pair(pvm_engine *e, unsigned k, int32_t lo, int32_t hi, int lo_op, int hi_op)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST32);
    set_word_data(b, false, RO_WORDS, 7);
    pvm_label entry = pvm_builder_label(b);
    pvm_builder_export(b, "run", entry);
    pvm_builder_bind(b, entry);
    pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, S0, A0);
    pvm_emit_reg_reg_imm(b, PVM_OP_SHLO_L_IMM_32, A0, A0, k);
    pvm_emit_reg3(b, PVM_OP_ADD_32, A2, A1, A0);
    pvm_emit_reg_reg_imm(b, lo_op, A0, A2, lo);
    pvm_emit_reg_reg_imm(b, hi_op, A2, A2, hi);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, PVM_REG_RA, 0);
    return finish(e, b);
}

static void element_pairs_agree_with_the_interpreter(void **state)
{
    (void)state;
    static const struct {
        unsigned k;
        int32_t lo, hi;
        int lo_op, hi_op;
    } shapes[] = {
        {3, 0, 4, PVM_OP_LOAD_IND_I32, PVM_OP_LOAD_IND_I32},  {3, 4, 8, PVM_OP_LOAD_IND_I32, PVM_OP_LOAD_IND_I32},
        {2, 4, 0, PVM_OP_LOAD_IND_I32, PVM_OP_LOAD_IND_I32},  {1, 2, 4, PVM_OP_LOAD_IND_U16, PVM_OP_LOAD_IND_U16},
        {3, 0, 4, PVM_OP_LOAD_IND_U16, PVM_OP_LOAD_IND_I32},
    };
    static const uint32_t xs[] = {0, 1, 5, 511, 1023, 2047, 0x20000000, 0x40000000, 0x80000000, 0xffffffff};
    for (int gm = 0; gm < 2; gm++)
        for (size_t sh = 0; sh < sizeof shapes / sizeof shapes[0]; sh++) {
            pvm_engine *engines[2];
            pvm_module *modules[2];
            for (int j = 0; j < 2; j++) {
                engines[j] = pair_engine(j, gm ? PVM_GAS_SYNC : PVM_GAS_NONE);
                modules[j] = compile_element_pair(engines[j], shapes[sh].k, shapes[sh].lo, shapes[sh].hi, shapes[sh].lo_op, shapes[sh].hi_op);
            }
            unsigned straddles = 0;
            for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++)
                for (int zero_base = 0; zero_base < 2; zero_base++) {
                    uint32_t x = xs[i], base = zero_base ? 0 : RO_BASE;
                    uint64_t sx = (uint64_t)(int64_t)(int32_t)x;
                    outcome want = run(modules[0], sx, base, false), got = run(modules[1], sx, base, false);
                    assert_int_equal(got.kind, want.kind);
                    assert_int_equal(got.pc, want.pc);
                    assert_int_equal(got.gas, want.gas);
                    for (unsigned r = 0; r < PVM_REG_COUNT; r++) assert_int_equal(got.regs[r], want.regs[r]);
                    uint32_t t = base + (x << shapes[sh].k);
                    if (want.kind == PVM_EXIT_HALT) assert_int_equal((uint32_t)want.regs[S0], x);
                    if (want.kind != PVM_EXIT_HALT && want.regs[A2] == (uint64_t)(int64_t)(int32_t)t &&
                        (uint32_t)want.regs[A0] != (x << shapes[sh].k))
                        straddles++; /* the low word loaded, the high word faulted */
                    if (!zero_base && x == 1 && sh == 0) { /* words 2 and 3 */
                        assert_int_equal(want.kind, PVM_EXIT_HALT);
                        assert_int_equal(want.regs[A0], 2 * 0x01010101u + 7);
                        assert_int_equal(want.regs[A2], 3 * 0x01010101u + 7);
                    }
                }
            if (sh == 1) assert_true(straddles >= 1); /* x = 511 puts the high word past the page, the low word in it */
            for (int j = 0; j < 2; j++) pvm_engine_free(engines[j]);
        }
}

/* An element of an array at b + imm in a narrow program (emit_fused_group): shlo_l_imm_32 x,
 * y, k; add_imm_32 z, b, imm; add_32 x, x, z (either order); load z, [x + d] is the load from
 * b + y << k + imm + d, then one lea for x. With x = y, indexes that wrap at 2^32 and a base
 * of 0 (the load faults: the interpreter redoes the four), against the interpreter; and a
 * shape that must not fuse so (z is b). */
static pvm_module *compile_array_elements(pvm_engine *e, bool same_xy, bool z_first, bool z_is_b)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST32);
    set_word_data(b, false, RO_WORDS, 7);
    pvm_label entry = pvm_builder_label(b);
    pvm_builder_export(b, "run", entry);
    pvm_builder_bind(b, entry);
    unsigned x = same_xy ? A0 : A3, z = z_is_b ? A1 : A4;
    pvm_emit_reg_reg_imm(b, PVM_OP_SHLO_L_IMM_32, x, A0, 2);
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_32, z, A1, 24);
    pvm_emit_reg3(b, PVM_OP_ADD_32, x, z_first ? z : x, z_first ? x : z);
    pvm_emit_reg_reg_imm(b, PVM_OP_LOAD_IND_I32, z, x, -8);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, PVM_REG_RA, 0);
    return finish(e, b);
}

static void array_elements_agree_with_the_interpreter(void **state)
{
    (void)state;
    static const uint32_t ys[] = {0, 1, 7, 50, 0x40000000, 0x3fffffff, 0xfffffffe, 0xffffffff};
    for (int shape = 0; shape < 8; shape++) {
        pvm_engine *engines[2];
        pvm_module *modules[2];
        for (int j = 0; j < 2; j++) {
            engines[j] = pair_engine(j, PVM_GAS_SYNC);
            modules[j] = compile_array_elements(engines[j], shape & 1, shape & 2, shape & 4);
        }
        for (size_t i = 0; i < sizeof ys / sizeof ys[0]; i++)
            for (int zero_base = 0; zero_base < 2; zero_base++) {
                uint32_t y = ys[i], base = zero_base ? 0 : RO_BASE;
                outcome want = run(modules[0], (uint64_t)(int64_t)(int32_t)y, base, false);
                outcome got = run(modules[1], (uint64_t)(int64_t)(int32_t)y, base, false);
                assert_int_equal(got.kind, want.kind);
                assert_int_equal(got.pc, want.pc);
                assert_int_equal(got.gas, want.gas);
                for (unsigned r = 0; r < PVM_REG_COUNT; r++) assert_int_equal(got.regs[r], want.regs[r]);
                uint32_t addr = base + (y << 2) + 24 - 8, x = shape & 1 ? A0 : A3, z = shape & 4 ? A1 : A4;
                if (!zero_base && y < RO_WORDS - 4) { /* word y + 4 */
                    assert_int_equal(want.kind, PVM_EXIT_HALT);
                    assert_int_equal((uint32_t)want.regs[z], (y + 4) * 0x01010101u + 7);
                    assert_int_equal((uint32_t)want.regs[x], addr + 8);
                } else if (zero_base && y < 50) {
                    assert_int_not_equal(want.kind, PVM_EXIT_HALT); /* below 64 KiB: the load faults */
                    assert_int_equal((uint32_t)want.regs[x], addr + 8); /* the four done up to the load */
                }
            }
        for (int j = 0; j < 2; j++) pvm_engine_free(engines[j]);
    }
}

/* The two halves of a 32x32 product in a narrow program (emit_mul_halves): mul_upper_u_u h,
 * a, b and a later mul_32 l, a, b (or b, a) with pure ops between that leave a, b and l alone
 * are one 64-bit product; with an operand in a2 (rdx) one mulx. Not when an op between
 * writes an operand or reads l. A run the host starts between the two goes to the
 * interpreter (the mul_32 has no code of its own). Against the interpreter. */
static uint32_t mul_halves_inner_pc;
static pvm_module *compile_mul_halves(pvm_engine *e)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST32);
    pvm_label entry = pvm_builder_label(b);
    pvm_builder_export(b, "run", entry);
    pvm_builder_bind(b, entry);
    pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, A2, A1);
    pvm_emit_reg3(b, PVM_OP_MUL_UPPER_U_U, T0, A0, A1); /* fused: t1 = a0 * a1 (low), t0 high */
    mul_halves_inner_pc = pvm_builder_pc(b);
    pvm_emit_reg3(b, PVM_OP_ADD_32, S0, T0, A0);
    pvm_emit_reg3(b, PVM_OP_XOR, S1, S0, A1);
    pvm_emit_reg3(b, PVM_OP_MUL_32, T1, A1, A0);
    pvm_emit_reg3(b, PVM_OP_MUL_UPPER_U_U, A3, A2, A0); /* with a2 (rdx): one mulx */
    pvm_emit_reg_reg_imm(b, PVM_OP_SHLO_L_IMM_32, A4, A3, 3);
    pvm_emit_reg3(b, PVM_OP_MUL_32, A5, A2, A0);
    pvm_emit_reg3(b, PVM_OP_MUL_UPPER_U_U, T2, A0, A1); /* not fused: an operand written between */
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_32, A1, A1, 1);
    pvm_emit_reg3(b, PVM_OP_MUL_32, T2, A0, A1);
    pvm_emit_reg3(b, PVM_OP_MUL_UPPER_U_U, S1, T1, T1); /* reads t1 as 64 bits: it must be zero-extended */
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, PVM_REG_RA, 0);
    return finish(e, b);
}

static void mul_halves_agree_with_the_interpreter(void **state)
{
    (void)state;
    static const uint32_t vs[] = {0, 1, 3, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0x12345678};
    pvm_engine *engines[2];
    pvm_module *modules[2];
    for (int j = 0; j < 2; j++) {
        engines[j] = pair_engine(j, PVM_GAS_SYNC);
        modules[j] = compile_mul_halves(engines[j]);
    }
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++)
        for (size_t k = 0; k < sizeof vs / sizeof vs[0]; k++)
            for (int inside = 0; inside < 2; inside++) {
                uint64_t x = (uint64_t)(int64_t)(int32_t)vs[i], y = (uint64_t)(int64_t)(int32_t)vs[k];
                outcome o[2];
                for (int j = 0; j < 2; j++) {
                    pvm_instance *in;
                    uint64_t args[2] = {x, y};
                    assert_int_equal(pvm_instance_new(modules[j], &in, NULL), PVM_OK);
                    assert_int_equal(pvm_instance_prepare_call(in, "run", 0, args, 2, NULL), PVM_OK);
                    if (inside) { /* between the pair: t0 as the high half left it, the low half still to come */
                        assert_int_equal(pvm_instance_set_reg(in, T0, 0x5555, NULL), PVM_OK);
                        assert_int_equal(pvm_instance_set_reg(in, T1, 0x7777, NULL), PVM_OK);
                        assert_int_equal(pvm_instance_set_pc(in, mul_halves_inner_pc, NULL), PVM_OK);
                    }
                    o[j] = run_prepared(in, 1000);
                }
                assert_int_equal(o[1].kind, o[0].kind);
                assert_int_equal(o[1].pc, o[0].pc);
                assert_int_equal(o[1].gas, o[0].gas);
                for (unsigned r = 0; r < PVM_REG_COUNT; r++) assert_int_equal(o[1].regs[r], o[0].regs[r]);
                uint64_t p = (uint64_t)vs[i] * vs[k];
                assert_int_equal(o[0].kind, PVM_EXIT_HALT);
                assert_int_equal((uint32_t)o[0].regs[T1], (uint32_t)p); /* 32-bit registers: the low halves */
                assert_int_equal((uint32_t)o[0].regs[S1], (uint32_t)((uint64_t)(uint32_t)p * (uint32_t)p >> 32));
                assert_int_equal((uint32_t)o[0].regs[T0], inside ? 0x5555 : (uint32_t)(p >> 32));
                if (inside) continue; /* a2 was not copied: the run started after the move */
                assert_int_equal((uint32_t)o[0].regs[A3], (uint32_t)(p >> 32));
                assert_int_equal((uint32_t)o[0].regs[A5], (uint32_t)p);
            }
    for (int j = 0; j < 2; j++) pvm_engine_free(engines[j]);
}

/* Carries whose register dies only in the next blocks: with no gas metering
 * the adc form is taken when every successor overwrites the carry first (a
 * branch with both successors, a fall-through); not when a successor reads it,
 * and not with gas (an out-of-gas exit at a successor's entry shows it). Run
 * under every gas limit up to the end, both backends agree. */
static pvm_module *compile_carry_across_blocks(pvm_engine *e, pvm_isa isa)
{
    bool w = isa == PVM_ISA_LATEST64;
    int add = w ? PVM_OP_ADD_64 : PVM_OP_ADD_32;
    pvm_builder *b = pvm_builder_new(isa);
    pvm_label entry = pvm_builder_label(b), target = pvm_builder_label(b), join = pvm_builder_label(b),
              last = pvm_builder_label(b), hop = pvm_builder_label(b);
    pvm_builder_export(b, "run", entry);
    pvm_builder_bind(b, entry);
    pvm_emit_reg3(b, add, T0, A0, A1); /* s0 = a1 + carry(a0 + a1); t1 overwritten on both paths */
    pvm_emit_reg3(b, PVM_OP_SET_LT_U, T1, T0, A0);
    pvm_emit_reg3(b, add, S0, A1, T1);
    pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_NE_IMM, A0, 5, target);
    pvm_emit_jump(b, PVM_OP_JUMP, hop); /* a block that only jumps on */
    pvm_builder_bind(b, hop);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, T1, 7);
    pvm_emit_jump(b, PVM_OP_JUMP, join);
    pvm_builder_bind(b, target);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, T1, 9);
    pvm_emit_none(b, PVM_OP_FALLTHROUGH);
    pvm_builder_bind(b, join);
    pvm_emit_reg3(b, add, T2, A0, A0); /* a3 = a1 + carry(a0 + a0); the next block reads a2 first */
    pvm_emit_reg3(b, PVM_OP_SET_LT_U, A2, T2, A0);
    pvm_emit_reg3(b, add, A3, A1, A2);
    pvm_emit_none(b, PVM_OP_FALLTHROUGH);
    pvm_builder_bind(b, last);
    pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, A4, A2);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, A2, 0);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, PVM_REG_RA, 0);
    return finish(e, b);
}

static void carries_across_blocks_agree_with_the_interpreter(void **state)
{
    (void)state;
    static const uint64_t vs[] = {0, 1, 5, 0x7fffffff, 0x80000000, 0xffffffff, 0x8000000000000000ull, UINT64_MAX};
    for (int isa_k = 0; isa_k < 2; isa_k++)
        for (int gm = 0; gm < 3; gm++) {
            pvm_isa isa = isa_k ? PVM_ISA_LATEST64 : PVM_ISA_LATEST32;
            bool w = isa == PVM_ISA_LATEST64;
            pvm_gas_mode mode = gm == 0 ? PVM_GAS_NONE : gm == 1 ? PVM_GAS_SYNC : PVM_GAS_ASYNC;
            pvm_engine *engines[2];
            pvm_module *modules[2];
            for (int k = 0; k < 2; k++) {
                engines[k] = pair_engine(k, mode);
                modules[k] = compile_carry_across_blocks(engines[k], isa);
            }
            for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++)
                for (size_t j = 0; j < sizeof vs / sizeof vs[0]; j += 3)
                    for (int64_t gas = mode == PVM_GAS_NONE ? 100 : 0; gas <= 20 || gas == 100; gas = gas == 20 ? 100 : gas + 1) {
                        uint64_t x = w ? vs[i] : (uint64_t)(int64_t)(int32_t)vs[i];
                        uint64_t y = w ? vs[j] : (uint64_t)(int64_t)(int32_t)vs[j];
                        outcome want = run_from(modules[0], x, y, false, gas), got = run_from(modules[1], x, y, false, gas);
                        assert_int_equal(got.kind, want.kind);
                        assert_int_equal(got.pc, want.pc);
                        assert_int_equal(got.gas, want.gas);
                        for (unsigned r = 0; r < PVM_REG_COUNT; r++) assert_int_equal(got.regs[r], want.regs[r]);
                        if (gas != 100) continue;
                        uint64_t mask = w ? UINT64_MAX : UINT32_MAX, xm = x & mask, ym = y & mask;
                        uint64_t c1 = ((xm + ym) & mask) < xm, c2 = ((xm + xm) & mask) < xm;
                        assert_int_equal(want.kind, PVM_EXIT_HALT);
                        assert_int_equal(want.regs[S0], (ym + c1) & mask);
                        assert_int_equal(want.regs[T1], xm == 5 ? 7 : 9);
                        assert_int_equal(want.regs[A3], (ym + c2) & mask);
                        assert_int_equal(want.regs[A4], c2);
                        assert_int_equal(want.regs[A2], 0);
                    }
            for (int k = 0; k < 2; k++) pvm_engine_free(engines[k]);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(pairs_agree_with_the_interpreter),
                                       cmocka_unit_test(carries_agree_with_the_interpreter),
                                       cmocka_unit_test(mul_upper_narrow_agrees_with_the_interpreter),
                                       cmocka_unit_test(fused_carries_agree_with_the_interpreter),
                                       cmocka_unit_test(funnel_shifts_agree_with_the_interpreter),
                                       cmocka_unit_test(scaled_indexes_agree_with_the_interpreter),
                                       cmocka_unit_test(scaled_loads_agree_with_the_interpreter),
                                       cmocka_unit_test(selected_forms_agree_with_the_interpreter),
                                       cmocka_unit_test(carries_across_blocks_agree_with_the_interpreter),
                                       cmocka_unit_test(wide_ops_agree_with_the_interpreter),
                                       cmocka_unit_test(zero_branches_agree_with_the_interpreter),
                                       cmocka_unit_test(carry_groups_with_an_access_agree_with_the_interpreter),
                                       cmocka_unit_test(carries_seen_only_by_faults_agree_with_the_interpreter),
                                       cmocka_unit_test(element_pairs_agree_with_the_interpreter),
                                       cmocka_unit_test(mul_halves_agree_with_the_interpreter),
                                       cmocka_unit_test(array_elements_agree_with_the_interpreter),
                                       cmocka_unit_test(equalities_and_bit_fields_agree_with_the_interpreter),
                                       cmocka_unit_test(minmax_and_constant_arithmetic_agree_with_the_interpreter),
                                       cmocka_unit_test(carry_stores_of_the_sum_agree_with_the_interpreter)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
