/* Golden tests of the pipeline simulator: block costs (matching PolkaVM's
 * own timeline tests where the block is the same), rendered timelines,
 * and fast-forward == single-step. `test_pipeline_golden --dump` prints
 * every golden block's timeline instead. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "vm/gas/gas.h"
#include "vm/gas/pipeline_sim.h"
#include "vm/util/hash.h"
#include "golden_blocks.h"

static char buf[1 << 20], buf_ff[1 << 20];

static void params_for(uint32_t level, pvm_pipeline_params *p) { assert_int_equal(pvm_pipeline_reference(level, p), 0); }

/* Golden block i laid out in tb, with its cache model's parameters in p. */
static const golden_block *load_golden(size_t i, test_block *tb, pvm_pipeline_params *p)
{
    const golden_block *g = &golden_blocks[i];
    tb_build(tb, g->isa, g->list, g->n);
    params_for(g->cache_level, p);
    return g;
}

static void test_reference_params_are_valid(void **state)
{
    (void)state;
    char why[192];
    for (uint32_t level = 1; level <= 3; level++) {
        pvm_pipeline_params p;
        params_for(level, &p);
        assert_int_equal(pvm_pipeline_params_check(&p, why, sizeof why), 0);
    }
    pvm_pipeline_params p;
    assert_int_equal(pvm_pipeline_reference(0, &p), -1);
    assert_int_equal(pvm_pipeline_reference(4, &p), -1);
}

static void test_every_op_has_a_class(void **state)
{
    (void)state;
    for (int op = 0; op < PVM_OP_COUNT; op++) {
        if (pvm_op_pipeline_class((pvm_op)op) == PVM_CLASS_COUNT) fail_msg("op %s has no pipeline class", pvm_op_table[op].name);
    }
    assert_int_equal(pvm_op_pipeline_class(PVM_OP_COUNT), PVM_CLASS_COUNT);
}

static void test_golden_costs(void **state)
{
    (void)state;
    for (size_t i = 0; i < golden_block_count; i++) {
        test_block tb;
        pvm_pipeline_params p;
        const golden_block *g = load_golden(i, &tb, &p);
        uint32_t cost = pvm_pipeline_block_cost(&p, &tb.d, 0);
        if (cost != g->cost) fail_msg("%s: cost %u, expected %u", g->name, cost, g->cost);
    }
}

static void test_golden_timelines(void **state)
{
    (void)state;
    for (size_t i = 0; i < golden_block_count; i++) {
        test_block tb;
        pvm_pipeline_params p;
        const golden_block *g = load_golden(i, &tb, &p);
        if (!g->timeline) continue;
        pvm_pipeline_timeline(&p, &tb.d, 0, buf, sizeof buf);
        if (strcmp(buf, g->timeline) != 0) fail_msg("%s: timeline\n%s\nexpected\n%s", g->name, buf, g->timeline);
    }
}

/* Same timeline (after filling skipped cells) and same cost both ways. */
static void check_fast_forward(const pvm_pipeline_params *p, const pvm_decoded *d, uint32_t block, const char *what)
{
    size_t n = pvm_pipeline_timeline_mode(p, d, block, false, buf, sizeof buf);
    size_t n_ff = pvm_pipeline_timeline_mode(p, d, block, true, buf_ff, sizeof buf_ff);
    assert_true(n > 0 && n < sizeof buf);
    if (n != n_ff || strcmp(buf, buf_ff) != 0) fail_msg("%s: single-step\n%s\nfast-forward\n%s", what, buf, buf_ff);
    pvm_pipeline_run_opts step = {.fast_forward = false}, ff = {.fast_forward = true};
    assert_int_equal(pvm_pipeline_run(p, d, block, &step, NULL), pvm_pipeline_run(p, d, block, &ff, NULL));
}

static void test_fast_forward_matches_single_step_golden(void **state)
{
    (void)state;
    for (size_t i = 0; i < golden_block_count; i++) {
        test_block tb;
        pvm_pipeline_params p;
        const golden_block *g = load_golden(i, &tb, &p);
        for (uint32_t level = 1; level <= 3; level++) {
            params_for(level, &p);
            for (uint32_t b = 0; b < tb.d.n_blocks; b++) check_fast_forward(&p, &tb.d, b, g->name);
        }
    }
}

/* Deterministic pseudo-random blocks over every op (xorshift32). */
static uint32_t next_random(uint32_t *s)
{
    *s ^= *s << 13, *s ^= *s >> 17, *s ^= *s << 5;
    return *s;
}

/* 1 to 60 random instructions of any op, only the last a terminator; returns how many. */
static uint32_t random_block(uint32_t *seed, tb_instr *list)
{
    uint32_t n = 1 + next_random(seed) % 60;
    for (uint32_t i = 0; i < n; i++) {
        pvm_op op;
        do op = (pvm_op)(next_random(seed) % PVM_OP_INVALID);
        while (pvm_op_is_terminator(op) && i + 1 < n);
        uint32_t r = next_random(seed);
        list[i] = (tb_instr){.op = op, .d = r % 13, .a = (r >> 8) % 13, .b = (r >> 16) % 13,
                             .target = (r >> 24) % (n + 1)};
    }
    return n;
}

static void test_fast_forward_matches_single_step_random(void **state)
{
    (void)state;
    uint32_t seed = 0x2545f491u;
    tb_instr list[TB_MAX_INSTRS];
    for (int round = 0; round < 300; round++) {
        uint32_t n = random_block(&seed, list);
        test_block tb;
        tb_build(&tb, round % 2 ? PVM_ISA_LATEST64 : PVM_ISA_LATEST32, list, n);
        pvm_pipeline_params p;
        params_for(1 + (uint32_t)round % 3, &p);
        char what[32];
        snprintf(what, sizeof what, "random round %d", round);
        for (uint32_t b = 0; b < tb.d.n_blocks; b++) check_fast_forward(&p, &tb.d, b, what);
    }
}

/* Random blocks under parameter sets other than the reference ones (a ROB of 5
 * and of 64 entries, one start per cycle, two ALUs, one load unit, a long L2):
 * the timelines of all of them and the cycles of each block, digested (FNV-1a)
 * and pinned to what the simulator gave before its ROB became slot masks in a
 * 64-entry ring (the ring is not the ROB's size: the entry order must not show). */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    return pvm_hash64(p, n, h ^ 0xcbf29ce484222325ull); /* FNV-1a continued from h */
}

static void test_edited_params_pinned(void **state)
{
    (void)state;
    static const struct {
        const char *what;
        uint64_t digest;
    } sets[] = {{"rob_size 5", 0x10e669eece2b175dull},   {"rob_size 64", 0x5dd1884185a53135ull},
                {"max_starts 1", 0x381c88aa756a7124ull}, {"units.alu 2", 0xfa6ceaa222a80af7ull},
                {"units.load 1", 0xe270afd88f72e276ull}, {"latency.l2 60", 0x1af5ac1e9953d922ull}};
    int failed = 0;
    for (size_t k = 0; k < sizeof sets / sizeof sets[0]; k++) {
        pvm_pipeline_params p;
        params_for(2, &p);
        switch (k) {
        case 0: p.rob_size = 5; break;
        case 1: p.rob_size = 64; break;
        case 2: p.max_starts = 1; break;
        case 3: p.units[PVM_UNIT_ALU] = 2; break;
        case 4: p.units[PVM_UNIT_LOAD] = 1; break;
        default: p.cache_latency[1] = 60; break;
        }
        char why[192];
        assert_int_equal(pvm_pipeline_params_check(&p, why, sizeof why), 0);
        uint32_t seed = 0x9e3779b9u;
        uint64_t h = 0xcbf29ce484222325ull;
        tb_instr list[TB_MAX_INSTRS];
        for (int round = 0; round < 200; round++) {
            uint32_t n = random_block(&seed, list);
            test_block tb;
            tb_build(&tb, round % 2 ? PVM_ISA_LATEST64 : PVM_ISA_LATEST32, list, n);
            for (uint32_t b = 0; b < tb.d.n_blocks; b++) {
                uint64_t cycles = pvm_pipeline_run(&p, &tb.d, b, NULL, NULL);
                size_t len = pvm_pipeline_timeline_mode(&p, &tb.d, b, false, buf, sizeof buf);
                assert_true(len < sizeof buf);
                h = fnv(h, &cycles, sizeof cycles);
                h = fnv(h, buf, len);
            }
        }
        if (h != sets[k].digest) {
            print_message("%s: digest 0x%016llx, pinned 0x%016llx\n", sets[k].what, (unsigned long long)h,
                          (unsigned long long)sets[k].digest);
            failed++;
        }
    }
    assert_int_equal(failed, 0);
}

static void test_timeline_truncates_like_snprintf(void **state)
{
    (void)state;
    test_block tb;
    tb_build(&tb, golden_blocks[0].isa, golden_blocks[0].list, golden_blocks[0].n);
    size_t full = pvm_pipeline_timeline(NULL, &tb.d, 0, buf, sizeof buf);
    char small[8];
    assert_int_equal(pvm_pipeline_timeline(NULL, &tb.d, 0, small, sizeof small), full);
    assert_int_equal(strlen(small), sizeof small - 1);
    assert_memory_equal(small, buf, sizeof small - 1);
    assert_int_equal(pvm_pipeline_timeline(NULL, &tb.d, 0, NULL, 0), full);
}

/* Parameters that fail the check (a division with no divider) must still
 * end: the simulator gives up at its cycle limit instead of hanging. */
static void test_unchecked_params_terminate(void **state)
{
    (void)state;
    static const tb_instr div_block[] = {I3(DIV_U_64, A0, A1, A2), I0(TRAP)};
    test_block tb;
    tb_build(&tb, PVM_ISA_LATEST64, div_block, 2);
    pvm_pipeline_params p;
    params_for(2, &p);
    p.units[PVM_UNIT_DIV] = 0;
    char why[192];
    assert_int_equal(pvm_pipeline_params_check(&p, why, sizeof why), -1);
    assert_non_null(strstr(why, "class.div.div"));
    assert_true(pvm_pipeline_block_cost(&p, &tb.d, 0) > 1000);
}

static int dump(void)
{
    for (size_t i = 0; i < golden_block_count; i++) {
        test_block tb;
        pvm_pipeline_params p;
        const golden_block *g = load_golden(i, &tb, &p);
        pvm_pipeline_timeline(&p, &tb.d, 0, buf, sizeof buf);
        printf("== %s (L%u)\n%s", g->name, g->cache_level, buf);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--dump") == 0) return dump();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_params_are_valid),
        cmocka_unit_test(test_every_op_has_a_class),
        cmocka_unit_test(test_golden_costs),
        cmocka_unit_test(test_golden_timelines),
        cmocka_unit_test(test_fast_forward_matches_single_step_golden),
        cmocka_unit_test(test_fast_forward_matches_single_step_random),
        cmocka_unit_test(test_edited_params_pinned),
        cmocka_unit_test(test_timeline_truncates_like_snprintf),
        cmocka_unit_test(test_unchecked_params_terminate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
