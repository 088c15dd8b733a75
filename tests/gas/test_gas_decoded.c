/* Metering of programs that went through the real decoder: hand-encoded
 * code bytes + bitmask -> pvm_decode_program -> block costs. Checks that
 * the operand roles the simulator assumes match decode.h as implemented,
 * and that branch costs read the variant's own trap/unlikely opcodes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "vm/gas/block_cost_cache.h"
#include "vm/gas/gas.h"

static uint32_t block0_cost(pvm_isa isa, const uint8_t *code, uint32_t len, uint8_t bitmask, uint32_t level)
{
    pvm_decoded d;
    pvm_error err;
    assert_int_equal(pvm_decode_program(isa, code, len, &bitmask, NULL, 0, &d, &err), PVM_OK);
    pvm_pipeline_params p;
    assert_int_equal(pvm_pipeline_reference(level, &p), 0);
    uint32_t cost = pvm_pipeline_block_cost(&p, &d, 0);
    pvm_decoded_free(&d);
    return cost;
}

/* a0 = a1 + a2; a1 = a1 + a2; trap (PolkaVM test_parallel_simple: 2). */
static void test_parallel_adds(void **state)
{
    (void)state;
    static const uint8_t code[] = {200, 0x98, 7, 200, 0x98, 8, 0};
    assert_int_equal(block0_cost(PVM_ISA_LATEST64, code, sizeof code, 0x49, 1), 2);
}

/* a0 = a1 + a2; a1 = a0 + a2; trap (PolkaVM test_sequential_simple: 3):
 * the second add's first source is the low nibble. */
static void test_dependent_adds(void **state)
{
    (void)state;
    static const uint8_t code[] = {200, 0x98, 7, 200, 0x97, 8, 0};
    assert_int_equal(block0_cost(PVM_ISA_LATEST64, code, sizeof code, 0x49, 1), 3);
}

/* a2 = u8 [a0 + 11]; branch a2 == 0 back to 0, last in the code
 * (PolkaVM test_load_and_jump: 5). The fall-through is no block start, so
 * the decoder makes the branch trap; it is still charged as the branch. */
static void test_load_then_branch_at_code_end(void **state)
{
    (void)state;
    static const uint8_t code[] = {124, 0x79, 11, 81, 0x09, 0xfd};
    assert_int_equal(block0_cost(PVM_ISA_LATEST64, code, sizeof code, 0x09, 1), 5);

    pvm_decoded d;
    pvm_error err;
    const uint8_t mask = 0x09;
    assert_int_equal(pvm_decode_program(PVM_ISA_LATEST64, code, sizeof code, &mask, NULL, 0, &d, &err), PVM_OK);
    assert_int_equal(pvm_gas_charged_op(&d, &d.instrs[1]), PVM_OP_BRANCH_EQ_IMM);
    pvm_cost_model table = {.kind = PVM_COST_TABLE};
    table.op_cost[PVM_OP_LOAD_IND_U8] = 3;
    table.op_cost[PVM_OP_BRANCH_EQ_IMM] = 7;
    table.op_cost[PVM_OP_INVALID] = 100;
    assert_int_equal(pvm_gas_block_cost(&table, &d, 0), 10);
    pvm_decoded_free(&d);
}

/* branch_ne_imm a0 -> pc 7; a0 += 1; trap; [pc 7] byte 2; trap. Byte 2 is
 * `unlikely` only in JamV1, so only there is the branch predicted. */
static void test_branch_cost_follows_the_variant(void **state)
{
    (void)state;
    static const uint8_t code[] = {82, 0x07, 7, 149, 0x77, 1, 0, 2, 0};
    const uint8_t mask = 0x49 | 0x80; /* pcs 0, 3, 6, 7 */
    pvm_decoded d;
    pvm_error err;
    uint8_t bitmask[2] = {mask, 0x01}; /* pc 8 */
    assert_int_equal(pvm_decode_program(PVM_ISA_JAMV1, code, sizeof code, bitmask, NULL, 0, &d, &err), PVM_OK);
    assert_int_equal(pvm_pipeline_block_cost(NULL, &d, 0), 1);
    pvm_decoded_free(&d);
    assert_int_equal(pvm_decode_program(PVM_ISA_GP07, code, sizeof code, bitmask, NULL, 0, &d, &err), PVM_OK);
    assert_int_equal(pvm_pipeline_block_cost(NULL, &d, 0), 20);
    pvm_decoded_free(&d);
}

/* a0 = a0 + a1 (add_32) twice; trap: 64-bit blobs pay the extra cycle. */
static void test_bitness_follows_the_blob(void **state)
{
    (void)state;
    static const uint8_t code[] = {190, 0x87, 7, 190, 0x87, 7, 0};
    assert_int_equal(block0_cost(PVM_ISA_LATEST64, code, sizeof code, 0x49, 2), 4);
    assert_int_equal(block0_cost(PVM_ISA_LATEST32, code, sizeof code, 0x49, 2), 2);
}

/* Block costs computed once per (program, model): a second computation is
 * served from the cache; another model or other code misses. */
static void test_block_cost_cache(void **state)
{
    (void)state;
    static const uint8_t code[] = {200, 0x98, 7, 200, 0x97, 8, 0}; /* dependent adds, trap */
    uint8_t changed[sizeof code];
    memcpy(changed, code, sizeof code);
    changed[1] = 0x99;
    const uint8_t mask = 0x49;
    pvm_decoded d, d2;
    pvm_error err;
    assert_int_equal(pvm_decode_program(PVM_ISA_LATEST64, code, sizeof code, &mask, NULL, 0, &d, &err), PVM_OK);
    assert_int_equal(pvm_decode_program(PVM_ISA_LATEST64, changed, sizeof code, &mask, NULL, 0, &d2, &err), PVM_OK);
    pvm_cost_model *l1, *l3;
    assert_int_equal(pvm_cost_model_new("pipeline-l1hit", &l1, &err), PVM_OK);
    assert_int_equal(pvm_cost_model_new("pipeline-l3hit", &l3, &err), PVM_OK);
    /* cost arrays hold one entry per block (this program has d.n_blocks of them) */
    assert_true(d.n_blocks >= 1 && d.n_blocks <= 16);
    uint32_t got[16] = {0};
    assert_false(pvm_block_cost_cache_get(l3, &d, got));
    /* A planted entry is what a later computation returns: proof that it is read. */
    uint32_t planted[16];
    for (int i = 0; i < 16; i++) planted[i] = 12345;
    pvm_block_cost_cache_put(l3, &d, planted);
    pvm_gas_compute_block_costs(l3, &d, got);
    assert_int_equal(got[0], 12345);
    /* Another model, other code, unit costs: misses. L1 hit = 3 (PolkaVM test_sequential_simple). */
    assert_false(pvm_block_cost_cache_get(l1, &d, got));
    assert_false(pvm_block_cost_cache_get(l3, &d2, got));
    pvm_gas_compute_block_costs(l1, &d, got);
    assert_int_equal(got[0], 3);
    got[0] = 0;
    assert_true(pvm_block_cost_cache_get(l1, &d, got)); /* a miss computed and remembered */
    assert_int_equal(got[0], 3);
    pvm_block_cost_cache_put(NULL, &d, planted);
    assert_false(pvm_block_cost_cache_get(NULL, &d, got));
    pvm_cost_model_free(l1);
    pvm_cost_model_free(l3);
    pvm_decoded_free(&d);
    pvm_decoded_free(&d2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parallel_adds),
        cmocka_unit_test(test_dependent_adds),
        cmocka_unit_test(test_load_then_branch_at_code_end),
        cmocka_unit_test(test_branch_cost_follows_the_variant),
        cmocka_unit_test(test_bitness_follows_the_blob),
        cmocka_unit_test(test_block_cost_cache),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
