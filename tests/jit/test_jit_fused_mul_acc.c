/* The recompiler's product-accumulate steps of 32-bit programs (emit_ops.c:
 * emit_mul_accumulate: mul_upper_u_u; add_32 carry-in; add_32; mul_32; add_32; set_lt_u,
 * the carry in through CF from the step before) against the interpreter: a chain of six
 * steps in one block, in the register shapes rv32 code has (the carry in the sum's
 * register, the high half into another register, the sum into a third, the product's
 * high half kept with the carry, the carry compared with the product's low half, an
 * operand, the high or the low half in edx, a square) and two that must not fuse, with
 * loads and stores between steps (the CF window). Operands at the carry edges
 * (0xffffffff, 0x80000000, ...); every run also from each instruction's pc (the host
 * starting inside a step or a window goes to the interpreter), with the data base 0 (the
 * window's first access faults) and at every gas budget from 0 up, in each gas mode.
 * Exit, pc, gas and all registers must agree; a whole run's 64-bit sum is checked
 * against a C model. */
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

enum { SP = 1, T0 = 2, T1 = 3, T2 = 4, S0 = 5, S1 = 6, A0 = 7, A1 = 8, A2 = 9, A3 = 10, A4 = 11, A5 = 12 };
enum { WORDS = 8, BIAS = 0xfffffff0u }; /* word i = i * 0x01010101 + BIAS (mod 2^32): large words */
enum { MAX_PCS = 192 };

typedef struct {
    int op;
    unsigned r0, r1, r2; /* d, a, b of reg3 / a, b of reg_reg_imm (imm) / d, a of reg_reg */
    int64_t imm;
} line;

#define STEP(h, a, b, t, c, u, hi, l, s, lo, k, x)                                                                 \
    {PVM_OP_MUL_UPPER_U_U, h, a, b, 0}, {PVM_OP_ADD_32, t, t == h ? h : c, t == h ? c : h, 0},                      \
        {PVM_OP_ADD_32, u, hi, t, 0}, {PVM_OP_MUL_32, l, a, b, 0}, {PVM_OP_ADD_32, s, l, lo, 0},                   \
        {PVM_OP_SET_LT_U, k, s, x, 0}

/* The first step of a sum: no carry in (mul_upper_u_u; add_32 u, hi, h; mul_32; add_32; set_lt_u). */
#define STEP5(h, a, b, u, hi, l, s, lo, k, x)                                                                       \
    {PVM_OP_MUL_UPPER_U_U, h, a, b, 0}, {PVM_OP_ADD_32, u, hi, h, 0}, {PVM_OP_MUL_32, l, a, b, 0},                  \
        {PVM_OP_ADD_32, s, l, lo, 0}, {PVM_OP_SET_LT_U, k, s, x, 0}

/* The chain: hi:lo starts as (x + (y < x)):y and takes x*y, w1*y, x*base, w3*w3, y*t0, y*w0
 * (t0: step 4's h + c), the high half moving s0 -> a5, the low half s1 -> t2 -> s1 -> a0 ->
 * t1 -> a2; the data base in sp. The window between the first two steps is a load then a
 * store (store_first: the other way round). Then two fused steps whose carry a load
 * overwrites between them (no CF), and one that must not fuse. */
static unsigned program(line *p, bool store_first)
{
    unsigned n = 0;
#define PUT(...)                                                                                                   \
    do {                                                                                                           \
        const line put_[] = {__VA_ARGS__};                                                                         \
        for (unsigned i_ = 0; i_ < sizeof put_ / sizeof put_[0]; i_++) p[n++] = put_[i_];                          \
    } while (0)
    PUT({PVM_OP_MOVE_REG, SP, A2, 0, 0}, {PVM_OP_MOVE_REG, S0, A0, 0, 0}, {PVM_OP_MOVE_REG, S1, A1, 0, 0},
        {PVM_OP_SET_LT_U, T2, A1, A0, 0});
    /* 1: the carry in the sum's register (rv32's commonest shape), carried in from a register */
    PUT(STEP(T0, A0, A1, /*t*/ T2, /*c*/ T2, /*u*/ S0, /*hi*/ S0, /*l*/ T2, /*s*/ T2, /*lo*/ S1, /*k*/ S1, S1));
    line ld = {PVM_OP_LOAD_IND_I32, A3, SP, 0, 4}, st = {PVM_OP_STORE_IND_U32, T2, SP, 0, 8};
    p[n++] = store_first ? st : ld;
    p[n++] = store_first ? ld : st;
    /* 2: the same shape, through CF */
    PUT(STEP(T0, A3, A1, S1, S1, S0, S0, S1, S1, T2, T2, T2));
    /* 3: right after it; an operand in edx (a2), the high half into a new register, mul_32's
     * operands the other way round */
    PUT(STEP(A4, A0, A2, T2, T2, A5, S0, T2, T2, S1, S1, S1));
    p[n - 3].r1 = A2, p[n - 3].r2 = A0;
    PUT({PVM_OP_LOAD_IND_I32, A3, SP, 0, 12});
    /* 4: a square; h keeps h + c (t = h), the sum into a third register, the carry into a
     * fourth compared with l, every add's addends the other way round */
    PUT(STEP(T0, A3, A3, T0, S1, A5, A5, A4, A0, T2, T1, A4));
    p[n - 5].r1 = S1, p[n - 5].r2 = T0;
    p[n - 4].r1 = T0, p[n - 4].r2 = A5;
    p[n - 2].r1 = T2, p[n - 2].r2 = A4;
    /* 5: the high half into edx (a2: no save), right after the step before */
    PUT(STEP(A2, A1, T0, T1, T1, A5, A5, T1, T1, A0, A0, A0));
    /* 6: after a window of one load; the low half and the sum into edx */
    PUT({PVM_OP_LOAD_IND_I32, A3, SP, 0, 0});
    PUT(STEP(T0, A1, A3, A0, A0, A5, A5, A2, A2, T1, A0, T1));
    PUT({PVM_OP_ADD_32, A5, A5, A0, 0}); /* the last carry into the high half */
    /* the sum into lo's register (compared with l); a load over its carry; a step after it */
    PUT(STEP(S0, A1, T2, A4, A4, T1, T1, A4, S1, S1, T2, A4));
    PUT({PVM_OP_LOAD_IND_I32, T2, SP, 0, 16});
    PUT(STEP(S0, A1, A3, T2, T2, T1, T1, T2, T2, S1, A3, S1));
    /* through CF, but its carry-in register keeps the carry (t = h, the sum over h): it stays whole */
    PUT(STEP(T0, A1, A0, T0, A3, T1, T1, A4, T0, T2, S0, T2));
    /* first steps and h == l (the high half in a scratch register): a first step into h's
     * register (edx the scratch, restored), one through CF with an operand in edx (ecx the
     * scratch), one through CF with edx the scratch, a first step with the high half into a
     * new register */
    PUT(STEP5(T0, A1, A3, T1, T1, T0, T0, A4, A4, A4));
    PUT(STEP(S0, A0, A2, S0, A4, T1, T1, S0, S0, T0, T0, T0));
    PUT(STEP(A4, A1, A3, A4, T0, T1, T1, A4, A4, S0, T0, S0));
    PUT(STEP5(S0, A1, A0, A4, T1, T0, T2, S1, S1, T0));
    /* a first step with h == l and the high half into a new register (edx the scratch); one
     * that must not fuse: mul_32 into hi's register, read for u after the product */
    PUT(STEP5(A4, A1, A3, T0, T1, A4, A4, S0, S0, S0));
    PUT(STEP5(S0, A1, A3, A0, T1, T1, T1, A4, A4, A4));
    /* not fused: mul_32's operand written between (b == t) */
    PUT(STEP(S0, A1, T2, T2, A4, T1, T1, S1, S1, A4, A4, A4));
    /* sums' ends: the carry k at once into the high half (adc), k a setb byte (its upper bits
     * stale: k held a large value) until a load writes over it, a store between (store_first)
     * or not, so that the first access, faulting, shows k; then the add the other way round,
     * pure ops between, an add writing over k; then one whose k is read before it is written */
    PUT({PVM_OP_LOAD_IMM, A4, 0, 0, (int64_t)(int32_t)0x5a5a5a5au});
    PUT(STEP(T0, A1, A3, T2, T2, T1, T1, T2, T2, S1, A4, S1));
    PUT({PVM_OP_ADD_32, T1, T1, A4, 0});
    if (store_first) PUT({PVM_OP_STORE_IND_U32, T1, SP, 0, 20});
    PUT({PVM_OP_LOAD_IND_I32, A4, SP, 0, 24});
    PUT({PVM_OP_LOAD_IMM, S0, 0, 0, (int64_t)(int32_t)0xa5a5a5a5u});
    PUT(STEP(T0, A3, A1, T2, T2, T1, T1, T2, T2, S1, S0, S1));
    PUT({PVM_OP_ADD_32, T1, S0, T1, 0}, {PVM_OP_SHLO_R_IMM_32, T0, T1, 0, 7}, {PVM_OP_XOR, T2, T2, T0, 0},
        {PVM_OP_STORE_IND_U32, T2, SP, 0, 28}, {PVM_OP_ADD_32, S0, T2, T0, 0});
    PUT({PVM_OP_LOAD_IMM, S0, 0, 0, (int64_t)(int32_t)0xc3c3c3c3u});
    PUT(STEP(T0, A1, A4, T2, T2, T1, T1, T2, T2, S1, S0, S1));
    PUT({PVM_OP_ADD_32, T1, T1, S0, 0}, {PVM_OP_XOR, T0, S0, T1, 0}, {PVM_OP_LOAD_IND_I32, S0, SP, 0, 4});
#undef PUT
    return n;
}

static uint32_t pcs[MAX_PCS];
static unsigned n_pcs;

static pvm_module *compile(pvm_engine *e, bool store_first)
{
    line code[MAX_PCS];
    unsigned n = program(code, store_first);
    assert_true(n < MAX_PCS);
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST32);
    uint8_t bytes[WORDS * 4];
    for (uint32_t i = 0; i < WORDS; i++)
        for (int k = 0; k < 4; k++) bytes[i * 4 + k] = (uint8_t)((i * 0x01010101u + BIAS) >> (8 * k));
    pvm_builder_set_rw_data(b, bytes, sizeof bytes, 4096);
    pvm_label entry = pvm_builder_label(b);
    pvm_builder_export(b, "run", entry);
    pvm_builder_bind(b, entry);
    n_pcs = 0;
    for (unsigned i = 0; i < n; i++) {
        const line *l = &code[i];
        pcs[n_pcs++] = pvm_builder_pc(b);
        switch (pvm_op_table[l->op].kind) {
        case PVM_KIND_REG3: pvm_emit_reg3(b, l->op, l->r0, l->r1, l->r2); break;
        case PVM_KIND_REG_REG: pvm_emit_reg_reg(b, l->op, l->r0, l->r1); break;
        case PVM_KIND_REG_IMM: pvm_emit_reg_imm(b, l->op, l->r0, l->imm); break;
        default: pvm_emit_reg_reg_imm(b, l->op, l->r0, l->r1, l->imm); break;
        }
    }
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, PVM_REG_RA, 0);
    return finish(e, b);
}

/* A run from the export (pc_index < 0) or from the pc of instruction pc_index. */
static outcome run(pvm_module *m, uint64_t x, uint64_t y, bool fault, int pc_index, int64_t gas)
{
    pvm_instance *in;
    uint64_t args[3] = {x, y, fault ? 0 : m->layout.rw_addr};
    assert_int_equal(pvm_instance_new(m, &in, NULL), PVM_OK);
    assert_int_equal(pvm_instance_prepare_call(in, "run", 0, args, 3, NULL), PVM_OK);
    if (pc_index >= 0) {
        assert_int_equal(pvm_instance_set_reg(in, SP, fault ? 0 : m->layout.rw_addr, NULL), PVM_OK);
        assert_int_equal(pvm_instance_set_reg(in, A3, y ^ 0x5555, NULL), PVM_OK);
        assert_int_equal(pvm_instance_set_reg(in, T0, (uint64_t)(int64_t)(int32_t)(uint32_t)(x + 7), NULL), PVM_OK);
        assert_int_equal(pvm_instance_set_pc(in, pcs[pc_index], NULL), PVM_OK);
    }
    return run_prepared(in, gas);
}

static uint64_t sext32(uint64_t v) { return (uint64_t)(int64_t)(int32_t)(uint32_t)v; }

/* The chain's 64-bit sum (steps 1-6), as program() describes it. */
static uint64_t model_sum(uint32_t x, uint32_t y, uint32_t base)
{
    const uint64_t M = UINT32_MAX;
    uint32_t w0 = BIAS, w1 = 0x01010101u + BIAS, w3 = 3 * 0x01010101u + BIAS;
    uint64_t sum = ((uint64_t)(uint32_t)(x + (y < x)) << 32) | y, c3, p;
    sum += (uint64_t)x * y;
    sum += (uint64_t)w1 * y;
    p = (uint64_t)x * base;
    c3 = ((sum & M) + (p & M)) >> 32;
    sum += p;
    p = (uint64_t)w3 * w3;
    uint32_t t0 = (uint32_t)((p >> 32) + c3);
    sum += p;
    sum += (uint64_t)y * t0;
    sum += (uint64_t)y * w0;
    return sum;
}

static void steps_agree_with_the_interpreter(void **state)
{
    (void)state;
    static const uint32_t vs[] = {0, 1, 2, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0x9e3779b9};
    enum { NV = sizeof vs / sizeof vs[0] };
    for (int order = 0; order < 2; order++)
        for (int gm = 0; gm < 3; gm++) {
            pvm_gas_mode mode = gm == 0 ? PVM_GAS_NONE : gm == 1 ? PVM_GAS_SYNC : PVM_GAS_ASYNC;
            pvm_engine *engines[2];
            pvm_module *modules[2];
            for (int j = 0; j < 2; j++) {
                engines[j] = pair_engine(j, mode);
                modules[j] = compile(engines[j], order);
            }
            for (unsigned i = 0; i < NV; i++)
                for (unsigned j = 0; j < NV; j++)
                    for (int fault = 0; fault < 2; fault++)
                        for (int from = -1; from < (int)n_pcs; from++)
                            for (int64_t gas = mode == PVM_GAS_NONE ? 1000 : 0; gas <= 1000; gas = gas ? gas * 10 : 1) {
                                uint64_t x = sext32(vs[i]), y = sext32(vs[j]);
                                outcome want = run(modules[0], x, y, fault, from, gas);
                                outcome got = run(modules[1], x, y, fault, from, gas);
                                assert_same_outcome(&got, &want);
                                if (from >= 0 || gas < 1000) continue;
                                assert_int_equal(want.kind, fault ? PVM_EXIT_PANIC : PVM_EXIT_HALT);
                                if (fault) continue;
                                uint64_t sum = model_sum(vs[i], vs[j], (uint32_t)modules[0]->layout.rw_addr);
                                assert_int_equal(want.regs[A5] & UINT32_MAX, (uint32_t)(sum >> 32));
                                assert_int_equal(want.regs[A2] & UINT32_MAX, (uint32_t)sum);
                            }
            for (int j = 0; j < 2; j++) pvm_engine_free(engines[j]);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(steps_agree_with_the_interpreter)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
