/* Loop-carried register chains of self-looping blocks (vm/gas/recurrence.c) and the floor
 * they put under a pipeline table's block cost (format 6, recurrence.milligas_per_cycle):
 * which chains count and how many cycles, on hand-built blocks with the reference
 * latencies; the floor's integer rounding; and the block costs on every path (one block,
 * all blocks, the block-cost cache, which must not hand one floor's costs to another). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "test_block.h"
#include "vm/gas/block_costs_parallel.h"
#include "vm/gas/gas.h"
#include "vm/gas/recurrence.h"

static pvm_pipeline_params reference;

static int setup(void **state)
{
    (void)state;
    return pvm_pipeline_reference(2, &reference);
}

static uint32_t cycles_of(pvm_isa isa, const tb_instr *list, uint32_t n, uint32_t block)
{
    static test_block tb;
    tb_build(&tb, isa, list, n);
    return pvm_gas_recurrence_cycles(&reference, &tb.d, block);
}

#define CYCLES(isa, block, ...)                                                               \
    ({                                                                                        \
        static const tb_instr list_[] = {__VA_ARGS__};                                        \
        cycles_of(isa, list_, (uint32_t)(sizeof list_ / sizeof list_[0]), block);             \
    })

/* edit_distance's row: r = min_u(min_u(r + 1, up), diag) carried from one column to the next;
 * the loads of up and diag start chains of their own. The reference latencies: add_imm_32 1
 * (+1 for the sign extension in a 64-bit program), min_u 3. */
#define ROW_BODY                                                                              \
    IRR(LOAD_IND_U32, T0, A0), IRR(LOAD_IND_U32, T1, A1), IRR(ADD_IMM_32, S0, S0),            \
        I3(MIN_U, S0, S0, T0), I3(MIN_U, S0, S0, T1), IRR(ADD_IMM_64, A0, A0), IRR(ADD_IMM_64, A1, A1)

static void test_carried_chains(void **state)
{
    (void)state;
    assert_int_equal(CYCLES(PVM_ISA_LATEST64, 0, ROW_BODY, IBR(BRANCH_LT_U, A0, A2, 0)), 2 + 3 + 3);
    assert_int_equal(CYCLES(PVM_ISA_LATEST32, 0, ROW_BODY, IBR(BRANCH_LT_U, A0, A2, 0)), 1 + 3 + 3);
    /* the longest of several: a counter (1 cycle) beside a three-op chain */
    assert_int_equal(CYCLES(PVM_ISA_LATEST64, 0, IRR(ADD_IMM_64, A0, A0), I3(XOR, S0, S0, A1), I3(MUL_64, S0, S0, A1),
                            I3(ADD_64, S0, S0, A0), IBR(BRANCH_NE, A0, A2, 0)),
                     1 + 3 + 1);
    /* through a move (renamed: no cycles of its own) and a cmov, which reads its destination */
    assert_int_equal(CYCLES(PVM_ISA_LATEST64, 0, I3(ADD_64, T0, S0, A1), I2(MOVE_REG, S0, T0),
                            IBR(BRANCH_NE, S0, A2, 0)),
                     1);
    assert_int_equal(CYCLES(PVM_ISA_LATEST64, 0, I3(ADD_64, T0, T0, A1), I3(CMOV_IZ, S0, T0, A2), I3(ADD_64, S0, S0, A1),
                            IBR(BRANCH_NE, S0, A2, 0)),
                     2 + 1);
    /* a jump back is a loop too */
    assert_int_equal(CYCLES(PVM_ISA_LATEST64, 0, I3(MIN_U, S0, S0, A1), {.op = PVM_OP_JUMP, .target = 0}), 3);
    /* the loop is the second block; the first falls into it and is no loop */
    assert_int_equal(CYCLES(PVM_ISA_LATEST64, 1, IR(LOAD_IMM, S0), I0(FALLTHROUGH), I3(MIN_U, S0, S0, A1),
                            IBR(BRANCH_NE, S0, A2, 2)),
                     3);
    assert_int_equal(CYCLES(PVM_ISA_LATEST64, 0, IR(LOAD_IMM, S0), I0(FALLTHROUGH), I3(MIN_U, S0, S0, A1),
                            IBR(BRANCH_NE, S0, A2, 2)),
                     0);
}

static void test_no_chain(void **state)
{
    (void)state;
    /* a loaded value ends a chain (a carried load chain is chase.hop's) */
    assert_int_equal(CYCLES(PVM_ISA_LATEST64, 0, I3(MIN_U, S0, S0, A1), IRR(LOAD_IND_U64, S0, S0),
                            IBR(BRANCH_NE, S0, A2, 0)),
                     0);
    /* overwritten by a constant before the branch back */
    assert_int_equal(CYCLES(PVM_ISA_LATEST64, 0, I3(MIN_U, S0, S0, A1), IR(LOAD_IMM, S0), IBR(BRANCH_NE, A1, A2, 0)), 0);
    /* a value from another register each time: no chain through the back edge */
    assert_int_equal(CYCLES(PVM_ISA_LATEST64, 0, I3(MIN_U, S0, A0, A1), I3(MIN_U, S1, S0, A1), IBR(BRANCH_NE, S1, A2, 0)),
                     0);
    /* a host call may change every register */
    assert_int_equal(CYCLES(PVM_ISA_LATEST64, 0, I3(MIN_U, S0, S0, A1), I0(ECALLI), IBR(BRANCH_NE, S0, A2, 0)), 0);
    /* a block that branches elsewhere: no next iteration */
    assert_int_equal(CYCLES(PVM_ISA_LATEST64, 0, I3(MIN_U, S0, S0, A1), IBR(BRANCH_NE, S0, A2, 3), I0(TRAP), I0(TRAP)), 0);
    /* out of range, and no parameters */
    assert_int_equal(CYCLES(PVM_ISA_LATEST64, 5, I3(MIN_U, S0, S0, A1), IBR(BRANCH_NE, S0, A2, 0)), 0);
    static test_block tb;
    static const tb_instr loop[] = {I3(MIN_U, S0, S0, A1), IBR(BRANCH_NE, S0, A2, 0)};
    tb_build(&tb, PVM_ISA_LATEST64, loop, 2);
    assert_int_equal(pvm_gas_recurrence_cycles(NULL, &tb.d, 0), 0);
}

static void test_floor_rounding(void **state)
{
    (void)state;
    assert_int_equal(pvm_gas_recurrence_floor(0, 7416), 0);
    assert_int_equal(pvm_gas_recurrence_floor(3, 7416), 23);  /* 22.248 up */
    assert_int_equal(pvm_gas_recurrence_floor(4, 250), 1);    /* exactly 1 */
    assert_int_equal(pvm_gas_recurrence_floor(5, 250), 2);    /* 1.25 up */
    assert_int_equal(pvm_gas_recurrence_floor(UINT32_MAX, UINT32_MAX), UINT32_MAX);
}

/* The row loop, an array loop without a carried chain, and a block that leaves: with a floor,
 * each self-loop costs max(the simulator's cost, floor) and the others what they cost
 * without one, on every path; a table without a floor (0, formats 1-5) changes nothing. */
static void test_block_costs_take_the_floor(void **state)
{
    (void)state;
    static const tb_instr list[] = {ROW_BODY,
                                    IBR(BRANCH_LT_U, A0, A2, 0),
                                    IRR(LOAD_IND_U64, T0, A3),
                                    I3(ADD_64, S1, S1, T0),
                                    IRR(ADD_IMM_64, A3, A3),
                                    IBR(BRANCH_LT_U, A3, A4, 8),
                                    I3(MIN_U, S0, S0, A1),
                                    IBR(BRANCH_LT_U, S0, A2, 12),
                                    I0(TRAP)};
    static test_block tb;
    tb_build(&tb, PVM_ISA_LATEST64, list, sizeof list / sizeof list[0]);
    assert_int_equal(tb.d.n_blocks, 4);
    pvm_cost_model plain = {.kind = PVM_COST_PIPELINE, .pipeline = &reference, .host = pvm_host_costs_reference()};
    assert_int_equal(plain.host.recurrence_milligas, 0); /* the reference models have none */
    pvm_cost_model floored = plain, other = plain;
    floored.host.recurrence_milligas = 5500; /* 8 cycles -> 44 gas, above the row's own cost */
    other.host.recurrence_milligas = 1000;   /* 8 gas: below it */
    uint32_t base[4], with[4], cached[4], again[4], two[4], low[4];
    pvm_gas_compute_block_costs(&plain, &tb.d, false, base);
    pvm_gas_compute_block_costs(&floored, &tb.d, false, with);
    assert_true(base[0] < 44);
    assert_int_equal(with[0], 44);
    assert_int_equal(with[1], base[1]); /* no carried register chain: the counter's 1 cycle x 5.5 */
    assert_true(base[1] >= 6);
    assert_int_equal(with[2], base[2] > 17 ? base[2] : 17); /* min_u: 3 cycles -> 16.5 -> 17 */
    assert_int_equal(with[3], base[3]);
    for (uint32_t b = 0; b < 4; b++) {
        assert_int_equal(pvm_gas_block_cost(&floored, &tb.d, b), with[b]);
        assert_int_equal(pvm_gas_block_cost(&plain, &tb.d, b), base[b]);
    }
    /* the cache: a hit keeps the floor; another floor misses */
    pvm_gas_compute_block_costs(&floored, &tb.d, true, cached);
    pvm_gas_compute_block_costs(&floored, &tb.d, true, again);
    pvm_gas_compute_block_costs(&other, &tb.d, true, low);
    pvm_gas_compute_block_costs_parallel(&floored, &tb.d, false, two);
    assert_memory_equal(cached, with, sizeof with);
    assert_memory_equal(again, with, sizeof with);
    assert_memory_equal(two, with, sizeof with);
    assert_int_equal(low[0], base[0] > 8 ? base[0] : 8);
    /* a per-op table ignores the key (its parser refuses a table of that kind with one) */
    pvm_cost_model table = {.kind = PVM_COST_TABLE, .host = pvm_host_costs_reference()};
    for (int op = 0; op < PVM_OP_COUNT; op++) table.op_cost[op] = 1;
    uint32_t t0 = pvm_gas_block_cost(&table, &tb.d, 0);
    table.host.recurrence_milligas = 100000;
    assert_int_equal(pvm_gas_block_cost(&table, &tb.d, 0), t0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_carried_chains),
        cmocka_unit_test(test_no_chain),
        cmocka_unit_test(test_floor_rounding),
        cmocka_unit_test(test_block_costs_take_the_floor),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
