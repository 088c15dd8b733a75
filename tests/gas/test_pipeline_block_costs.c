/* The pipeline model's costs of a whole program, each distinct block shape
 * simulated once (gas/pipeline_block_costs.c), equal the simulator's cost of
 * every block computed on its own, under every reference level, on programs
 * built so that many blocks repeat a shape (same ops and registers, other
 * immediates), some differ only in a register or in whether their branch is
 * predicted. The same costs come from two threads, each simulating half of the
 * blocks (gas/block_costs_parallel.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "vm/gas/gas.h"
#include "vm/gas/block_costs_parallel.h"
#include "vm/gas/block_shapes.h"
#include "vm/gas/chase_loads.h"
#include "vm/gas/pipeline_sim.h"
#include "vm/program/program.h"
#include "pvm/builder.h"
#include "pvm/pvm.h"

static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint32_t next(uint32_t n)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

/* The ops of the blocks, from the ISA table: for each pipeline class, its first op of isa that
 * takes registers only (reg3, reg_reg) or registers and one immediate (reg_reg_imm) and stays
 * in the block's straight line (no terminator, no host call). */
static uint32_t block_ops(pvm_isa isa, int ops[PVM_CLASS_COUNT])
{
    bool seen[PVM_CLASS_COUNT] = {false};
    uint32_t n = 0;
    for (int op = 0; op < PVM_OP_INVALID; op++) {
        pvm_kind kind = pvm_op_table[op].kind;
        unsigned cls = pvm_op_table[op].pipeline_class;
        if ((kind != PVM_KIND_REG3 && kind != PVM_KIND_REG_REG && kind != PVM_KIND_REG_REG_IMM) || seen[cls] ||
            pvm_op_is_terminator((pvm_op)op) || pvm_op_group_of((pvm_op)op) == PVM_GROUP_HOST ||
            pvm_isa_encode_opcode(isa, (pvm_op)op) < 0)
            continue;
        seen[cls] = true;
        ops[n++] = op;
    }
    return n;
}

/* Blocks of 1..6 instructions from one op per pipeline class on registers 0..2 (so shapes
 * repeat), each ended by a branch whose successor is sometimes a trap (predicted). */
static uint8_t *build(pvm_isa isa, uint32_t blocks, size_t *len)
{
    int ops[PVM_CLASS_COUNT];
    uint32_t n_ops = block_ops(isa, ops);
    assert_true(n_ops >= 10); /* alu, shifts, mul, div, loads, stores, moves, ... */
    pvm_builder *b = pvm_builder_new(isa);
    assert_non_null(b);
    pvm_label far = pvm_builder_label(b);
    for (uint32_t k = 0; k < blocks; k++) {
        pvm_label start = pvm_builder_label(b);
        pvm_builder_bind(b, start);
        uint32_t n = 1 + next(6);
        for (uint32_t i = 0; i < n; i++) {
            int op = ops[next(n_ops)];
            unsigned r0 = next(3), r1 = next(3), r2 = next(3);
            int64_t imm = (int64_t)next(1000);
            switch (pvm_op_table[op].kind) {
            case PVM_KIND_REG3: pvm_emit_reg3(b, op, r0, r1, r2); break;
            case PVM_KIND_REG_REG: pvm_emit_reg_reg(b, op, r0, r1); break;
            default: pvm_emit_reg_reg_imm(b, op, r0, r1, imm); break;
            }
        }
        pvm_label after = pvm_builder_label(b);
        /* to the next block, or (rarely) to the far end: a target that is a trap, or back to
         * its own start (a self-loop: some carry a load chain, chase_loads.c) */
        uint32_t to = next(8);
        pvm_emit_reg_reg_jump(b, PVM_OP_BRANCH_LT_U, next(3), next(3), to == 0 ? far : to == 1 ? start : after);
        if (next(4) == 0) pvm_emit_none(b, PVM_OP_TRAP); /* a predicted fall-through */
        pvm_builder_bind(b, after);
        if (next(16) == 0) pvm_emit_none(b, PVM_OP_FALLTHROUGH);
    }
    pvm_builder_bind(b, far);
    pvm_emit_none(b, PVM_OP_TRAP);
    uint8_t *blob;
    pvm_error err;
    assert_int_equal(pvm_builder_finish_gp(b, &blob, len, &err), PVM_OK);
    pvm_builder_free(b);
    return blob;
}

/* A built program of about that many blocks, parsed and decoded. */
static uint8_t *build_decoded(pvm_isa isa, uint32_t blocks, pvm_program *prog, pvm_decoded *d)
{
    size_t len;
    uint8_t *blob = build(isa, blocks, &len);
    pvm_error err;
    assert_int_equal(pvm_program_parse(blob, len, PVM_FORMAT_GP_BLOB, isa, prog, &err), PVM_OK);
    assert_int_equal(pvm_decode_program(prog->isa, prog->code, prog->code_len, prog->bitmask, prog->jump_table,
                                        prog->jt_len, d, &err), PVM_OK);
    return blob;
}

static void check(pvm_isa isa)
{
    pvm_program prog;
    pvm_decoded d;
    uint8_t *blob = build_decoded(isa, 3000, &prog, &d);
    assert_true(d.n_blocks > 3000);
    /* the shapes read a block's ops as they are but for its last instruction (block_shapes.c) */
    for (uint32_t k = 0; k < d.n_blocks; k++)
        for (uint32_t i = d.blocks[k].first; i + 1 < d.blocks[k].first + d.blocks[k].count; i++)
            assert_int_equal(pvm_gas_charged_op(&d, &d.instrs[i]), d.instrs[i].op);
    uint32_t *costs = malloc(d.n_blocks * sizeof *costs);
    assert_non_null(costs);
    for (uint32_t level = 1; level <= 3; level++) {
        pvm_pipeline_params p;
        assert_int_equal(pvm_pipeline_reference(level, &p), 0);
        assert_true(pvm_pipeline_block_costs(&p, &d, costs));
        /* more shapes than the first hash slots hold at half load: the costs above came from a grown table */
        pvm_pipeline_prepared pp;
        pvm_pipeline_prepare(&p, &d, &pp);
        pvm_block_shapes t;
        assert_true(pvm_block_shapes_build(&pp, &d, 0, d.n_blocks, 0, &t));
        assert_true(t.n_fresh > 512 && t.cap > 1024);
        /* each shape once, and found where it is after the table grew */
        for (uint32_t i = 0; i < t.n_fresh; i++) assert_int_equal(pvm_block_shapes_find(&t, &d, &t, i), t.fresh[i]);
        pvm_block_shapes_free(&t);
        uint32_t distinct_costs = 0;
        for (uint32_t k = 0; k < d.n_blocks; k++) {
            assert_int_equal(costs[k], pvm_pipeline_block_cost(&p, &d, k));
            distinct_costs += k > 0 && costs[k] != costs[k - 1];
        }
        assert_true(distinct_costs > 100); /* the program really has blocks of different costs */
    }
    free(costs);
    pvm_decoded_free(&d);
    pvm_program_free(&prog);
    free(blob);
}

static void test_memoised_costs_equal_simulated_gp07(void **state)
{
    (void)state;
    check(PVM_ISA_GP07);
}

static void test_memoised_costs_equal_simulated_latest32(void **state)
{
    (void)state;
    check(PVM_ISA_LATEST32); /* 32-bit decode and latency costs */
}

/* The memo keys a block's branch prediction off its last instruction: that holds
 * because every op of the branch class ends its block (as does the trap a
 * decoder makes of a branch to a non-block-start, charged as the branch). */
static void test_branch_class_ops_are_terminators(void **state)
{
    (void)state;
    uint32_t branches = 0;
    for (int op = 0; op < PVM_OP_COUNT; op++)
        if (pvm_op_pipeline_class((pvm_op)op) == PVM_CLASS_BRANCH) {
            assert_true(pvm_op_is_terminator((pvm_op)op));
            branches++;
        }
    assert_true(pvm_op_is_terminator(PVM_OP_INVALID));
    assert_true(branches >= 12); /* eq, ne, lt/ge signed and unsigned, with register and immediate */
}

/* The costs computed in two halves on two threads are the simulator's, block by
 * block; a range leaves the blocks outside it alone; a third computation finds
 * them in the block-cost cache (no thread): the second remembered them. */
static void test_parallel_costs_equal_simulated(void **state)
{
    (void)state;
    pvm_program prog;
    pvm_decoded d;
    uint8_t *blob = build_decoded(PVM_ISA_GP07, 6000, &prog, &d);
    pvm_error err;
    assert_true(d.n_instrs >= 16384); /* large enough for a thread */
    uint32_t *costs = malloc(d.n_blocks * sizeof *costs), *again = malloc(d.n_blocks * sizeof *again);
    assert_non_null(costs);
    assert_non_null(again);
    const char *models[] = {"pipeline-l1hit", "pipeline-l2hit", "pipeline-l3hit"};
    for (int k = 0; k < 3; k++) {
        pvm_cost_model *m;
        assert_int_equal(pvm_cost_model_new(models[k], &m, &err), PVM_OK);
        memset(again, 0xAB, d.n_blocks * sizeof *again);
        uint32_t lo = d.n_blocks / 3, hi = 2 * d.n_blocks / 3;
        assert_true(pvm_pipeline_block_costs_range(m->pipeline, &d, again, lo, hi));
        for (uint32_t b = 0; b < d.n_blocks; b++)
            if (b < lo || b >= hi) assert_int_equal(again[b], 0xABABABABu);
            else assert_int_equal(again[b], pvm_pipeline_block_cost(m->pipeline, &d, b));
        assert_true(pvm_gas_compute_block_costs_parallel(m, &d, true, costs).cpu_ns > 0); /* a second thread ran */
        for (uint32_t b = 0; b < d.n_blocks; b++) assert_int_equal(costs[b], pvm_pipeline_block_cost(m->pipeline, &d, b));
        /* a large program is remembered at its second computation (the first only noted its key) */
        assert_true(d.code_len >= 64u << 10);
        memset(again, 0, d.n_blocks * sizeof *again);
        assert_true(pvm_gas_compute_block_costs_parallel(m, &d, true, again).cpu_ns > 0); /* computed again */
        assert_memory_equal(again, costs, d.n_blocks * sizeof *costs);
        memset(again, 0, d.n_blocks * sizeof *again);
        assert_int_equal(pvm_gas_compute_block_costs_parallel(m, &d, true, again).cpu_ns, 0); /* a cache hit: no thread */
        assert_memory_equal(again, costs, d.n_blocks * sizeof *costs);
        /* not cached (fresh_block_costs): simulated again despite the entry, the same costs */
        memset(again, 0, d.n_blocks * sizeof *again);
        assert_true(pvm_gas_compute_block_costs_parallel(m, &d, false, again).cpu_ns > 0);
        assert_memory_equal(again, costs, d.n_blocks * sizeof *costs);
        /* with a chase.hop charge: the two threads' costs carry it as one block's cost does */
        m->host.chase_hop = 13;
        uint32_t chained = 0;
        assert_true(pvm_gas_compute_block_costs_parallel(m, &d, false, again).cpu_ns > 0);
        for (uint32_t b = 0; b < d.n_blocks; b++) {
            assert_int_equal(again[b], pvm_gas_block_cost(m, &d, b));
            assert_int_equal(again[b], costs[b] + 13 * pvm_gas_chase_hops(&d, b));
            chained += pvm_gas_chase_hops(&d, b) > 0;
        }
        assert_true(chained > 10); /* the program has self-loops that carry a load chain */
        pvm_cost_model_free(m);
    }
    free(costs);
    free(again);
    pvm_decoded_free(&d);
    pvm_program_free(&prog);
    free(blob);
}

/* End to end: a large program's block costs on the recompiler (its code generated on two
 * threads) equal the interpreter's (simulated before it), every block, every model. */
static void test_recompiler_costs_equal_interpreter(void **state)
{
    (void)state;
    if (!pvm_backend_available(PVM_BACKEND_JIT)) {
        print_message("skipped: the recompiler is not built for this host\n");
        return;
    }
    size_t len;
    uint8_t *blob = build(PVM_ISA_LATEST32, 6000, &len);
    const char *models[] = {"unit", "pipeline-l1hit", "pipeline-l2hit", "pipeline-l3hit"};
    pvm_error err;
    for (int k = 0; k < 4; k++) {
        pvm_module *mod[2];
        pvm_engine *e[2];
        pvm_cost_model *cm[2];
        for (int be = 1; be >= 0; be--) { /* the recompiler first: the interpreter's compile may then hit the cache */
            assert_int_equal(pvm_cost_model_new(models[k], &cm[be], &err), PVM_OK);
            pvm_engine_config cfg = {be ? PVM_BACKEND_JIT : PVM_BACKEND_INTERP, PVM_GAS_SYNC, cm[be]};
            assert_int_equal(pvm_engine_new(&cfg, &e[be], &err), PVM_OK);
            pvm_module_config mc = {.format = PVM_FORMAT_GP_BLOB, .isa = PVM_ISA_LATEST32};
            assert_int_equal(pvm_module_compile(e[be], blob, len, &mc, NULL, &mod[be], &err), PVM_OK);
        }
        assert_true(pvm_module_instruction_count(mod[1]) >= 16384);
        pvm_module_timings t = pvm_module_compile_timings(mod[1]);
        assert_true(t.parse_ns + t.decode_ns + t.gas_ns + t.backend_ns <= t.total_ns);
        /* per stage and thread: code on two threads, block costs too under the pipeline
         * model; every thread's part within the compile's CPU time */
        assert_true(t.backend_cpu_ns[0] > 0 && t.backend_cpu_ns[1] > 0);
        assert_true(k == 0 ? t.gas_cpu_ns[1] == 0 : t.gas_cpu_ns[1] > 0);
        assert_true(t.decode_cpu_ns[0] > 0);
        assert_true(t.decode_cpu_ns[0] + t.decode_cpu_ns[1] + t.gas_cpu_ns[0] + t.gas_cpu_ns[1] + t.backend_cpu_ns[0] +
                        t.backend_cpu_ns[1] <= t.cpu_ns);
        uint32_t instrs = 0;
        for (uint32_t pc = 0; pc <= pvm_module_code_size(mod[0]); pc++) {
            int64_t c0, c1;
            pvm_status s0 = pvm_module_block_cost(mod[0], pc, &c0, &err), s1 = pvm_module_block_cost(mod[1], pc, &c1, &err);
            assert_int_equal(s0, s1);
            if (s0 == PVM_OK) assert_int_equal(c0, c1), instrs++;
        }
        assert_int_equal(instrs, pvm_module_instruction_count(mod[0]));
        for (int be = 0; be < 2; be++) {
            pvm_module_release(mod[be]);
            pvm_engine_free(e[be]);
            pvm_cost_model_free(cm[be]);
        }
    }
    free(blob);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memoised_costs_equal_simulated_gp07),
        cmocka_unit_test(test_memoised_costs_equal_simulated_latest32),
        cmocka_unit_test(test_branch_class_ops_are_terminators),
        cmocka_unit_test(test_parallel_costs_equal_simulated),
        cmocka_unit_test(test_recompiler_costs_equal_interpreter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
