/* If-conversion of a branch over one pure op (vm/jit/emit_ops.c, emit_select) against the
 * interpreter: `branch c, L; op d, ...; jump L` (or a fall-through into L) is a cmov of the op's
 * value into d, its block's gas charged by a cmov as well. Each case below is one such diamond:
 * every condition kind, with a register or an immediate, ops of each kind the rule takes (and a
 * load it must leave alone), d one of the compare's operands or the op's own source. Both widths,
 * gas none, sync and async; from the start over pairs of boundary values (the results also
 * checked against C), from every instruction's pc, and from every initial gas up to the
 * program's cost, so that out-of-gas stops at the op's block (checked or not) and after it
 * come where the interpreter's do. Nothing in a diamond can fault; the load's can (an
 * address far outside), and stops as in the interpreter. */
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

/* One diamond: branch (reg-reg on x, y, or reg-imm on x) over op d, a, b / imm. */
typedef struct {
    int br;
    unsigned x, y;
    int64_t k; /* the branch's immediate */
    int op;
    unsigned d, a, b;
    int64_t imm;
    bool fall; /* the op's block falls through into the target instead of jumping */
} diamond;

static const diamond diamonds[] = {
    {PVM_OP_BRANCH_GE_U, A0, A1, 0, PVM_OP_SUB_32, S0, A0, A1, 0, false}, /* sort_search's */
    {PVM_OP_BRANCH_LT_U, A0, A1, 0, PVM_OP_MOVE_REG, S1, A1, 0, 0, true},
    {PVM_OP_BRANCH_LT_S, A1, A0, 0, PVM_OP_ADD_64, A2, A0, A1, 0, false},
    {PVM_OP_BRANCH_GE_S, A0, A1, 0, PVM_OP_SUB_64, A3, A1, A0, 0, true},
    {PVM_OP_BRANCH_EQ_IMM, A0, 0, 0, PVM_OP_LOAD_IMM, A4, 0, 0, -7, false},
    {PVM_OP_BRANCH_NE_IMM, A1, 0, 0x7fffffff, PVM_OP_ADD_IMM_32, A5, A0, 0, 0x7fffffff, true},
    {PVM_OP_BRANCH_GT_S_IMM, A0, 0, -1, PVM_OP_ADD_IMM_64, T1, A1, 0, -2, false},
    {PVM_OP_BRANCH_LE_U_IMM, A1, 0, -0x80000000ll, PVM_OP_AND_IMM, T2, A0, 0, 0xff0, false},
    {PVM_OP_BRANCH_GT_U_IMM, A0, 0, 2, PVM_OP_XOR, SP, A0, A1, 0, true},
    {PVM_OP_BRANCH_EQ, A0, A1, 0, PVM_OP_OR_IMM, S0, S0, 0, -0x10, false},
    {PVM_OP_BRANCH_NE, S1, A1, 0, PVM_OP_ADD_32, S1, S1, A1, 0, false},  /* d is the compare's x */
    {PVM_OP_BRANCH_LE_S_IMM, A2, 0, 5, PVM_OP_XOR_IMM, A2, A2, 0, -1, true}, /* and the op's source */
    {PVM_OP_BRANCH_GE_U_IMM, A3, 0, 0x10000, PVM_OP_LOAD_IND_I32, T0, A3, 0, 16, false}, /* can fault: a branch */
    {PVM_OP_BRANCH_LT_U, A1, A0, 0, PVM_OP_AND, A1, A0, A1, 0, true},    /* d is the compare's x */
    {PVM_OP_BRANCH_LT_S_IMM, A0, 0, 0, PVM_OP_OR, A0, A0, A4, 0, false}, /* d is x, last */
};
enum { N_DIAMONDS = sizeof diamonds / sizeof diamonds[0] };

static const uint64_t values[] = {0,           1,          2,          0x7fffffff, 0x80000000, 0xffffffff,
                                  0x100000002ull, 0x7fffffffffffffffull, 0x8000000000000000ull, UINT64_MAX - 1,
                                  UINT64_MAX};
enum { N_VALUES = sizeof values / sizeof values[0] };

/* The 32-bit program's ops for the 64-bit ones (rv32 has no _64 forms). */
static int narrow_op(int op)
{
    return op == PVM_OP_ADD_64 ? PVM_OP_ADD_32 : op == PVM_OP_SUB_64 ? PVM_OP_SUB_32 : op == PVM_OP_ADD_IMM_64 ? PVM_OP_ADD_IMM_32 : op;
}

static uint32_t pcs[4 * N_DIAMONDS + 2], n_pcs;

static pvm_module *compile_diamonds(pvm_engine *e, bool wide)
{
    pvm_builder *b = pvm_builder_new(wide ? PVM_ISA_LATEST64 : PVM_ISA_LATEST32);
    pvm_label entry = pvm_builder_label(b);
    pvm_builder_export(b, "run", entry);
    pvm_builder_bind(b, entry);
    n_pcs = 0;
    for (int i = 0; i < N_DIAMONDS; i++) {
        const diamond *c = &diamonds[i];
        int op = wide ? c->op : narrow_op(c->op);
        pvm_label l = pvm_builder_label(b);
        pcs[n_pcs++] = pvm_builder_pc(b);
        if (pvm_op_table[c->br].kind == PVM_KIND_REG_IMM_OFF) pvm_emit_reg_imm_jump(b, c->br, c->x, c->k, l);
        else pvm_emit_reg_reg_jump(b, c->br, c->x, c->y, l);
        pcs[n_pcs++] = pvm_builder_pc(b);
        switch (pvm_op_table[op].kind) {
        case PVM_KIND_REG3: pvm_emit_reg3(b, op, c->d, c->a, c->b); break;
        case PVM_KIND_REG_REG: pvm_emit_reg_reg(b, op, c->d, c->a); break;
        case PVM_KIND_REG_REG_IMM: pvm_emit_reg_reg_imm(b, op, c->d, c->a, c->imm); break;
        default: pvm_emit_reg_imm(b, op, c->d, c->imm); break;
        }
        pcs[n_pcs++] = pvm_builder_pc(b);
        if (c->fall) pvm_emit_none(b, PVM_OP_FALLTHROUGH);
        else pvm_emit_jump(b, PVM_OP_JUMP, l);
        pvm_builder_bind(b, l);
        if (i % 2 == 0) { /* a block of its own: the next branch's block is then its only successor, unchecked,
                             so that the next op's block has a gas check (gas_checks.c) */
            pcs[n_pcs++] = pvm_builder_pc(b);
            pvm_emit_none(b, PVM_OP_FALLTHROUGH);
        }
    }
    pcs[n_pcs++] = pvm_builder_pc(b);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, RA, 0);
    return finish(e, b);
}

static uint64_t sext32(uint64_t v) { return (uint64_t)(int64_t)(int32_t)(uint32_t)v; }

/* Runs m's "run"(x, y) from gas; with pc != 0 from that pc instead, every other register preset
 * (sign-extended from 32 bits in the 32-bit program, as its registers always are). */
static outcome run(pvm_module *m, bool wide, uint64_t x, uint64_t y, uint32_t pc, int64_t gas)
{
    pvm_instance *in;
    uint64_t args[2] = {x, y};
    assert_int_equal(pvm_instance_new(m, &in, NULL), PVM_OK);
    assert_int_equal(pvm_instance_prepare_call(in, "run", 0, args, 2, NULL), PVM_OK);
    if (pc) {
        for (unsigned r = 1; r < PVM_REG_COUNT; r++) {
            uint64_t v = x * r + y;
            if (r != A0 && r != A1) assert_int_equal(pvm_instance_set_reg(in, r, wide ? v : sext32(v), NULL), PVM_OK);
        }
        assert_int_equal(pvm_instance_set_pc(in, pc, NULL), PVM_OK);
    }
    return run_prepared(in, gas);
}

/* The registers a call of "run"(x, y) starts with. */
static void initial_regs(pvm_module *m, uint64_t x, uint64_t y, uint64_t *reg)
{
    pvm_instance *in;
    uint64_t args[2] = {x, y};
    assert_int_equal(pvm_instance_new(m, &in, NULL), PVM_OK);
    assert_int_equal(pvm_instance_prepare_call(in, "run", 0, args, 2, NULL), PVM_OK);
    for (unsigned r = 0; r < PVM_REG_COUNT; r++) reg[r] = pvm_instance_reg(in, r);
    pvm_instance_free(in);
}

/* The branch's condition on the registers as they are when it runs. */
static bool taken(const diamond *c, bool wide, const uint64_t *reg)
{
    uint64_t a = reg[c->x], b = pvm_op_table[c->br].kind == PVM_KIND_REG_IMM_OFF ? (uint64_t)c->k : reg[c->y];
    if (!wide) a = sext32(a), b = sext32(b);
    switch (c->br) {
    case PVM_OP_BRANCH_EQ: case PVM_OP_BRANCH_EQ_IMM: return a == b;
    case PVM_OP_BRANCH_NE: case PVM_OP_BRANCH_NE_IMM: return a != b;
    case PVM_OP_BRANCH_LT_U: return a < b;
    case PVM_OP_BRANCH_GE_U: case PVM_OP_BRANCH_GE_U_IMM: return a >= b;
    case PVM_OP_BRANCH_LE_U_IMM: return a <= b;
    case PVM_OP_BRANCH_GT_U_IMM: return a > b;
    case PVM_OP_BRANCH_LT_S: case PVM_OP_BRANCH_LT_S_IMM: return (int64_t)a < (int64_t)b;
    case PVM_OP_BRANCH_GE_S: return (int64_t)a >= (int64_t)b;
    case PVM_OP_BRANCH_LE_S_IMM: return (int64_t)a <= (int64_t)b;
    default: return (int64_t)a > (int64_t)b; /* gt_s_imm */
    }
}

/* The op's value in C (the load is not computed: its runs with a value pair that reaches it
 * are only compared with the interpreter). */
static uint64_t op_value(const diamond *c, bool wide, const uint64_t *reg)
{
    uint64_t a = reg[c->a], b = reg[c->b], k = (uint64_t)c->imm, v;
    switch (wide ? c->op : narrow_op(c->op)) {
    case PVM_OP_SUB_32: return sext32(a - b);
    case PVM_OP_ADD_32: return sext32(a + b);
    case PVM_OP_MOVE_REG: return a;
    case PVM_OP_ADD_64: return a + b;
    case PVM_OP_SUB_64: return a - b;
    case PVM_OP_LOAD_IMM: v = k; break;
    case PVM_OP_ADD_IMM_32: return sext32(a + k);
    case PVM_OP_ADD_IMM_64: return a + k;
    case PVM_OP_AND_IMM: v = a & k; break;
    case PVM_OP_OR_IMM: v = a | k; break;
    case PVM_OP_XOR_IMM: v = a ^ k; break;
    case PVM_OP_XOR: v = a ^ b; break;
    case PVM_OP_AND: v = a & b; break;
    default: v = a | b; break; /* or */
    }
    return wide ? v : sext32(v);
}

static void diamonds_agree(bool wide, pvm_gas_mode mode)
{
    pvm_engine *engines[2];
    pvm_module *modules[2];
    for (int k = 0; k < 2; k++) {
        engines[k] = pair_engine(k, mode);
        modules[k] = compile_diamonds(engines[k], wide);
    }
    int64_t full = 1000;
    for (size_t i = 0; i < N_VALUES; i++)
        for (size_t j = 0; j < N_VALUES; j++) {
            uint64_t x = wide ? values[i] : sext32(values[i]), y = wide ? values[j] : sext32(values[j]);
            outcome want = run(modules[0], wide, x, y, 0, full), got = run(modules[1], wide, x, y, 0, full);
            assert_same_outcome(&got, &want);
            /* the registers through the diamonds in C, up to the load's (whose address may fault) */
            uint64_t reg[PVM_REG_COUNT];
            initial_regs(modules[0], x, y, reg);
            bool reached_load = false;
            for (int c = 0; c < N_DIAMONDS && !reached_load; c++) {
                const diamond *dm = &diamonds[c];
                if (taken(dm, wide, reg)) continue;
                if (dm->op == PVM_OP_LOAD_IND_I32) reached_load = true;
                else reg[dm->d] = op_value(dm, wide, reg);
            }
            if (!reached_load) {
                assert_int_equal(want.kind, PVM_EXIT_HALT);
                for (unsigned r = SP; r < PVM_REG_COUNT; r++) /* the 32-bit program's: its low halves */
                    assert_int_equal(wide ? want.regs[r] : (uint32_t)want.regs[r], wide ? reg[r] : (uint32_t)reg[r]);
            }
            for (uint32_t p = 1; p < n_pcs; p++) {
                want = run(modules[0], wide, x, y, pcs[p], full);
                got = run(modules[1], wide, x, y, pcs[p], full);
                assert_same_outcome(&got, &want);
            }
            if (mode != PVM_GAS_NONE && (i + j) % 3 == 0) /* every stop for lack of gas */
                for (int64_t g = 0; g < 120; g++) {
                    want = run(modules[0], wide, x, y, 0, g);
                    got = run(modules[1], wide, x, y, 0, g);
                    assert_same_outcome(&got, &want);
                }
        }
    for (int k = 0; k < 2; k++) pvm_engine_free(engines[k]);
}

static void diamonds_agree_64_none(void **state) { (void)state, diamonds_agree(true, PVM_GAS_NONE); }
static void diamonds_agree_64_sync(void **state) { (void)state, diamonds_agree(true, PVM_GAS_SYNC); }
static void diamonds_agree_64_async(void **state) { (void)state, diamonds_agree(true, PVM_GAS_ASYNC); }
static void diamonds_agree_32_none(void **state) { (void)state, diamonds_agree(false, PVM_GAS_NONE); }
static void diamonds_agree_32_sync(void **state) { (void)state, diamonds_agree(false, PVM_GAS_SYNC); }
static void diamonds_agree_32_async(void **state) { (void)state, diamonds_agree(false, PVM_GAS_ASYNC); }

/* Diamonds inside a loop whose body blocks the gas plan leaves unchecked and lets owe
 * (gas_checks.c, deferred charges): the branch's block is entered owing, so the fall-through
 * into the op's block pays first, the op block charges 0, and a fall-through on into the
 * target pays back what the op block owes beyond the target's due (the recompiler's log of
 * this shape: pay 1-3, charge 0, cost 2). The cmov must charge the op block's cost, not pay +
 * charge; from every initial gas up to the loop's end and from every pc, as the interpreter. */
static pvm_module *compile_loop(pvm_engine *e, uint32_t *loop_pcs, uint32_t *n)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST64);
    pvm_label entry = pvm_builder_label(b), head = pvm_builder_label(b), done = pvm_builder_label(b);
    pvm_builder_export(b, "run", entry);
    pvm_builder_bind(b, entry);
    *n = 0;
    loop_pcs[(*n)++] = pvm_builder_pc(b);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, T0, 0);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, S0, 0);
    pvm_emit_jump(b, PVM_OP_JUMP, head);
    pvm_builder_bind(b, head);
    loop_pcs[(*n)++] = pvm_builder_pc(b);
    pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_GE_U_IMM, T0, 12, done);
    pvm_label ops[3] = {pvm_builder_label(b), pvm_builder_label(b), pvm_builder_label(b)};
    loop_pcs[(*n)++] = pvm_builder_pc(b);
    pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_EQ_IMM, T0, 7, ops[1]); /* a jump into an op block: its own due */
    for (int k = 0; k < 3; k++) { /* three diamonds in a row: each branch's block owes what came before */
        pvm_label join = pvm_builder_label(b);
        loop_pcs[(*n)++] = pvm_builder_pc(b);
        pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, T1, T0, 5 + k);
        pvm_emit_reg3(b, PVM_OP_XOR, T2, T1, A0);
        pvm_emit_reg_reg_jump(b, k == 1 ? PVM_OP_BRANCH_GE_U : PVM_OP_BRANCH_LT_U, T2, A1, join);
        pvm_builder_bind(b, ops[k]);
        loop_pcs[(*n)++] = pvm_builder_pc(b);
        pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, S0 + (k & 1), T2);
        loop_pcs[(*n)++] = pvm_builder_pc(b);
        pvm_emit_none(b, PVM_OP_FALLTHROUGH);
        pvm_builder_bind(b, join);
    }
    loop_pcs[(*n)++] = pvm_builder_pc(b);
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, T0, T0, 1);
    pvm_emit_jump(b, PVM_OP_JUMP, head);
    pvm_builder_bind(b, done);
    loop_pcs[(*n)++] = pvm_builder_pc(b);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, RA, 0);
    return finish(e, b);
}

static void loop_diamonds_agree(pvm_gas_mode mode)
{
    pvm_engine *engines[2];
    pvm_module *modules[2];
    uint32_t loop_pcs[20], n = 0;
    for (int k = 0; k < 2; k++) {
        engines[k] = pair_engine(k, mode);
        modules[k] = compile_loop(engines[k], loop_pcs, &n);
    }
    static const uint64_t xs[] = {0, 3, 9, 0x10, UINT64_MAX};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++)
        for (uint64_t y = 0; y < 24; y += 5) {
            outcome want = run(modules[0], true, xs[i], y, 0, 100000), got = run(modules[1], true, xs[i], y, 0, 100000);
            assert_int_equal(want.kind, PVM_EXIT_HALT);
            assert_same_outcome(&got, &want);
            int64_t spent = 100000 - want.gas;
            for (int64_t g = 0; g <= spent; g++) {
                want = run(modules[0], true, xs[i], y, 0, g);
                got = run(modules[1], true, xs[i], y, 0, g);
                assert_same_outcome(&got, &want);
            }
            for (uint32_t p = 1; p < n; p++) {
                want = run(modules[0], true, xs[i], y, loop_pcs[p], 100000);
                got = run(modules[1], true, xs[i], y, loop_pcs[p], 100000);
                assert_same_outcome(&got, &want);
            }
        }
    for (int k = 0; k < 2; k++) pvm_engine_free(engines[k]);
}
static void loop_diamonds_agree_sync(void **state) { (void)state, loop_diamonds_agree(PVM_GAS_SYNC); }
static void loop_diamonds_agree_async(void **state) { (void)state, loop_diamonds_agree(PVM_GAS_ASYNC); }

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(diamonds_agree_64_none),  cmocka_unit_test(diamonds_agree_64_sync),
                                       cmocka_unit_test(diamonds_agree_64_async), cmocka_unit_test(diamonds_agree_32_none),
                                       cmocka_unit_test(diamonds_agree_32_sync),  cmocka_unit_test(diamonds_agree_32_async),
                                       cmocka_unit_test(loop_diamonds_agree_sync), cmocka_unit_test(loop_diamonds_agree_async)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
