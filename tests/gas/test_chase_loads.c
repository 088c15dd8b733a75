/* Loop-carried load chains (vm/gas/chase_loads.c) and their charge: which loops (a block
 * that branches to itself, or a cycle of up to four blocks) carry a chain and how many hops,
 * and which block counts them, on hand-built blocks; the block costs of both priced
 * models add hops x chase.hop on every path (one block, all blocks, the block-cost cache,
 * two threads), and a model with another chase.hop does not take cached costs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "test_block.h"
#include "vm/gas/block_costs_parallel.h"
#include "vm/gas/chase_loads.h"
#include "vm/gas/gas.h"

static uint32_t hops_of(const tb_instr *list, uint32_t n, uint32_t block)
{
    static test_block tb;
    tb_build(&tb, PVM_ISA_LATEST64, list, n);
    return pvm_gas_chase_hops(&tb.d, block);
}

#define HOPS(block, ...)                                                                      \
    ({                                                                                        \
        static const tb_instr list_[] = {__VA_ARGS__};                                        \
        hops_of(list_, (uint32_t)(sizeof list_ / sizeof list_[0]), block);                    \
    })

/* at = a[at] (the gas quiz's walk): the loaded index is the next address. */
#define RING_BODY                                                                             \
    IRR(SHLO_L_IMM_64, T0, A0), I3(ADD_64, T0, T0, S0), IRR(LOAD_IND_U64, A0, T0),            \
        I3(ADD_64, S1, S1, A0), IRR(ADD_IMM_64, A1, A1)

static void test_carried_chains(void **state)
{
    (void)state;
    assert_int_equal(HOPS(0, RING_BODY, IBR(BRANCH_LT_U, A1, A2, 0)), 1);
    /* p = p->next->next: two loads in a row per iteration */
    assert_int_equal(HOPS(0, IRR(LOAD_IND_U64, T0, A0), IRR(LOAD_IND_U64, A0, T0), IBR(BRANCH_NE, A0, A1, 0)), 2);
    /* p->val and p->next both wait for p: still one hop */
    assert_int_equal(HOPS(0, IRR(LOAD_IND_U64, T1, A0), I3(ADD_64, S1, S1, T1), IRR(LOAD_IND_U64, A0, A0),
                          IBR(BRANCH_NE, A0, A1, 0)),
                     1);
    /* through a move and a cmov that may keep the old value */
    assert_int_equal(HOPS(0, IRR(LOAD_IND_U64, T0, A0), I2(MOVE_REG, A0, T0), IBR(BRANCH_NE, A0, A1, 0)), 1);
    assert_int_equal(HOPS(0, IRR(LOAD_IND_U64, A0, A0), I3(CMOV_IZ, A0, T2, T1), IBR(BRANCH_NE, A0, A1, 0)), 1);
    /* an unconditional jump back is a loop too */
    assert_int_equal(HOPS(0, IRR(LOAD_IND_U64, A0, A0), {.op = PVM_OP_JUMP, .target = 0}), 1);
}

static void test_no_chain(void **state)
{
    (void)state;
    /* a[i]: the address steps on its own; the loaded value is only summed */
    assert_int_equal(HOPS(0, IRR(LOAD_IND_U64, T0, A0), I3(ADD_64, S1, S1, T0), IRR(ADD_IMM_64, A0, A0),
                          IBR(BRANCH_LT_U, A0, A2, 0)),
                     0);
    /* the ring's body in a block that branches elsewhere: no next iteration to carry into */
    assert_int_equal(HOPS(0, RING_BODY, IBR(BRANCH_LT_U, A1, A2, 7), I0(TRAP), I0(TRAP)), 0);
    /* a loaded address overwritten before the branch back */
    assert_int_equal(HOPS(0, IRR(LOAD_IND_U64, A0, A0), IR(LOAD_IMM, A0), IBR(BRANCH_NE, A1, A2, 0)), 0);
    /* a pointer reloaded from a fixed place, then used: not carried */
    assert_int_equal(HOPS(0, IR(LOAD_U64, T0), IRR(LOAD_IND_U64, T1, T0), I3(ADD_64, S1, S1, T1),
                          IBR(BRANCH_NE, S1, A2, 0)),
                     0);
    /* a host call may change every register */
    assert_int_equal(HOPS(0, IRR(LOAD_IND_U64, A0, A0), I0(ECALLI), IBR(BRANCH_NE, A0, A1, 0)), 0);
    /* the second block is the loop; the first (falls into it) is not */
    assert_int_equal(HOPS(0, IR(LOAD_IMM, A0), {.op = PVM_OP_JUMP, .target = 2}, RING_BODY,
                          IBR(BRANCH_LT_U, A1, A2, 2)),
                     0);
    assert_int_equal(HOPS(1, IR(LOAD_IMM, A0), {.op = PVM_OP_JUMP, .target = 2}, RING_BODY,
                          IBR(BRANCH_LT_U, A1, A2, 2)),
                     1);
}

/* A binary search as clang lays it out for rv32: the probe block loads a[low + half] and
 * branches back on the compare; the loop head folds the compare into low (no branch), and
 * an arm that jumps back. The next probe's address comes from the last probe's value, one
 * hop per iteration, counted once, at the head (block 0): not at the probe, not at the arm. */
#define SEARCH_LOOP                                                                           \
    I3(SET_LT_U, T1, A0, A2), I3(ADD_64, S0, S0, T1), IBR(BRANCH_EQ_IMM, A1, 0, 10),          \
        IRR(SHLO_L_IMM_64, T0, S0), I3(ADD_64, T0, T0, A3), IRR(LOAD_IND_U64, A0, T0),        \
        IBR(BRANCH_GE_U, A0, A2, 0), IRR(ADD_IMM_64, A1, A1), {.op = PVM_OP_JUMP, .target = 0}

static void test_loops_of_several_blocks(void **state)
{
    (void)state;
    assert_int_equal(HOPS(0, SEARCH_LOOP, I0(TRAP), I0(TRAP)), 1);
    assert_int_equal(HOPS(1, SEARCH_LOOP, I0(TRAP), I0(TRAP)), 0);
    assert_int_equal(HOPS(2, SEARCH_LOOP, I0(TRAP), I0(TRAP)), 0);
    /* the same blocks when the probe's index steps on its own (low += 1): a[i], no chain */
    assert_int_equal(HOPS(0, IRR(ADD_IMM_64, S0, S0), I3(ADD_64, S1, S1, A0), IBR(BRANCH_EQ_IMM, A1, 0, 10),
                          IRR(SHLO_L_IMM_64, T0, S0), I3(ADD_64, T0, T0, A3), IRR(LOAD_IND_U64, A0, T0),
                          IBR(BRANCH_GE_U, A0, A2, 0), IRR(ADD_IMM_64, A1, A1), {.op = PVM_OP_JUMP, .target = 0},
                          I0(TRAP), I0(TRAP)),
                     0);
    /* a ring walked by a loop of four blocks (fallthroughs, then a jump back): one hop */
    assert_int_equal(HOPS(0, IRR(LOAD_IND_U64, A0, A0), I0(FALLTHROUGH), I3(ADD_64, S1, S1, A0), I0(FALLTHROUGH),
                          IRR(ADD_IMM_64, A1, A1), I0(FALLTHROUGH), {.op = PVM_OP_JUMP, .target = 0}),
                     1);
    /* five blocks: longer than the loops looked at */
    assert_int_equal(HOPS(0, IRR(LOAD_IND_U64, A0, A0), I0(FALLTHROUGH), I3(ADD_64, S1, S1, A0), I0(FALLTHROUGH),
                          IRR(ADD_IMM_64, A1, A1), I0(FALLTHROUGH), I0(FALLTHROUGH), {.op = PVM_OP_JUMP, .target = 0}),
                     0);
    /* all blocks' costs at once (the pipeline path marks the loops' first blocks before it
     * searches) agree with each block's own */
    static const tb_instr search[] = {SEARCH_LOOP, I0(TRAP), I0(TRAP)};
    static test_block tb;
    tb_build(&tb, PVM_ISA_LATEST64, search, sizeof search / sizeof search[0]);
    static pvm_pipeline_params params;
    assert_int_equal(pvm_pipeline_reference(2, &params), 0);
    pvm_cost_model model = {.kind = PVM_COST_PIPELINE, .pipeline = &params, .host = pvm_host_costs_reference()};
    model.host.chase_hop = 50;
    uint32_t all[8], two[8];
    assert_true(tb.d.n_blocks <= 8);
    pvm_gas_compute_block_costs(&model, &tb.d, false, all);
    pvm_gas_compute_block_costs_parallel(&model, &tb.d, false, two);
    model.host.chase_hop = 0;
    for (uint32_t b = 0; b < tb.d.n_blocks; b++) {
        assert_int_equal(all[b], pvm_gas_block_cost(&model, &tb.d, b) + (b == 0 ? 50 : 0));
        assert_int_equal(two[b], all[b]);
    }
    /* a call is not a loop edge: the callee (block 1) jumps back to the caller's block */
    assert_int_equal(HOPS(0, IRR(LOAD_IND_U64, A0, A0), {.op = PVM_OP_LOAD_IMM_JUMP, .a = RA, .target = 2},
                          {.op = PVM_OP_JUMP, .target = 0}),
                     0);
}

/* A ring block, an array block and a block that leaves: costs with chase.hop = the same
 * model's costs without it + hops x chase.hop, through every path that computes them. */
static void test_block_costs_add_the_charge(void **state)
{
    (void)state;
    static const tb_instr list[] = {RING_BODY,
                                    IBR(BRANCH_LT_U, A1, A2, 0),
                                    IRR(LOAD_IND_U64, T0, A0),
                                    I3(ADD_64, S1, S1, T0),
                                    IRR(ADD_IMM_64, A0, A0),
                                    IBR(BRANCH_LT_U, A0, A2, 6),
                                    I0(TRAP)};
    static test_block tb;
    tb_build(&tb, PVM_ISA_LATEST64, list, sizeof list / sizeof list[0]);
    assert_int_equal(tb.d.n_blocks, 3);
    static pvm_pipeline_params params;
    assert_int_equal(pvm_pipeline_reference(2, &params), 0);
    for (int kind = 0; kind < 2; kind++) {
        static pvm_cost_model plain, charged, other;
        memset(&plain, 0, sizeof plain);
        if (kind == 0) {
            plain.kind = PVM_COST_TABLE;
            for (int op = 0; op < PVM_OP_COUNT; op++) plain.op_cost[op] = 2 + (uint32_t)op % 5;
        } else {
            plain.kind = PVM_COST_PIPELINE;
            plain.pipeline = &params;
        }
        plain.host = pvm_host_costs_reference();
        assert_int_equal(plain.host.chase_hop, 0); /* the reference models have no such charge */
        charged = plain, other = plain;
        charged.host.chase_hop = 91;
        other.host.chase_hop = 7;
        uint32_t base[3], with[3], cached[3], again[3], two[3], seventh[3];
        pvm_gas_compute_block_costs(&plain, &tb.d, false, base);
        pvm_gas_compute_block_costs(&charged, &tb.d, false, with);
        static const uint32_t hops[3] = {1, 0, 0};
        for (uint32_t b = 0; b < 3; b++) {
            assert_int_equal(with[b], base[b] + 91 * hops[b]);
            assert_int_equal(pvm_gas_block_cost(&charged, &tb.d, b), with[b]);
            assert_int_equal(pvm_gas_block_cost(&plain, &tb.d, b), base[b]);
        }
        /* the cache: a second look-up hits and keeps the charge; another chase.hop misses */
        pvm_gas_compute_block_costs(&charged, &tb.d, true, cached);
        pvm_gas_compute_block_costs(&charged, &tb.d, true, again);
        pvm_gas_compute_block_costs(&other, &tb.d, true, seventh);
        pvm_gas_compute_block_costs_parallel(&charged, &tb.d, false, two);
        assert_memory_equal(cached, with, sizeof with);
        assert_memory_equal(again, with, sizeof with);
        assert_memory_equal(two, with, sizeof with);
        assert_int_equal(seventh[0], base[0] + 7);
        assert_int_equal(seventh[1], base[1]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_carried_chains),
        cmocka_unit_test(test_no_chain),
        cmocka_unit_test(test_loops_of_several_blocks),
        cmocka_unit_test(test_block_costs_add_the_charge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
