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
#include <stdlib.h>
#include "pvm/builder.h"
#include "vm/gas/block_cost_cache.h"
#include "vm/gas/gas.h"
#include "vm/program/program.h"

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
    assert_int_equal(d.instrs[1].op, PVM_OP_INVALID);
    assert_int_equal(d.blocks[0].count, 2); /* the trap ends its block (block_shapes.c relies on it) */
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
    pvm_gas_compute_block_costs(l3, &d, true, got);
    assert_int_equal(got[0], 12345);
    /* not cached (a module compiled with fresh_block_costs, the benchmark's cold compiles):
     * the simulation's cost, the planted entry neither read nor replaced */
    pvm_gas_compute_block_costs(l3, &d, false, got);
    assert_int_equal(got[0], block0_cost(PVM_ISA_LATEST64, code, sizeof code, mask, 3));
    pvm_gas_compute_block_costs(l3, &d, true, got);
    assert_int_equal(got[0], 12345);
    /* Another model, other code, unit costs: misses. L1 hit = 3 (PolkaVM test_sequential_simple). */
    assert_false(pvm_block_cost_cache_get(l1, &d, got));
    assert_false(pvm_block_cost_cache_get(l3, &d2, got));
    pvm_gas_compute_block_costs(l1, &d, true, got);
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

/* The cache key reads only parts of a long code: two programs that differ in a
 * byte it does not read share the key, and the byte-for-byte comparison still
 * tells them apart (a planted entry for one is not the other's). */
static void test_block_cost_cache_key_collision(void **state)
{
    (void)state;
    enum { N = 6000, LEN = 3 * N + 1 }; /* N dependent adds (3 bytes each), trap */
    uint8_t *code = malloc(LEN), *changed = malloc(LEN), *mask = calloc((LEN + 7) / 8, 1);
    assert_true(code && changed && mask);
    for (uint32_t i = 0; i < N; i++) {
        code[3 * i] = 200, code[3 * i + 1] = 0x98, code[3 * i + 2] = 7;
        mask[3 * i / 8] |= (uint8_t)(1u << (3 * i % 8));
    }
    code[LEN - 1] = 0;
    mask[(LEN - 1) / 8] |= (uint8_t)(1u << ((LEN - 1) % 8));
    memcpy(changed, code, LEN);
    changed[3 * 1000 + 1] = 0x99; /* instruction 1000 (byte 3001): outside the key's windows */
    pvm_decoded d, d2;
    pvm_error err;
    assert_int_equal(pvm_decode_program(PVM_ISA_LATEST64, code, LEN, mask, NULL, 0, &d, &err), PVM_OK);
    assert_int_equal(pvm_decode_program(PVM_ISA_LATEST64, changed, LEN, mask, NULL, 0, &d2, &err), PVM_OK);
    pvm_cost_model *l2;
    assert_int_equal(pvm_cost_model_new("pipeline-l2hit", &l2, &err), PVM_OK);
    assert_int_equal(d.n_blocks, d2.n_blocks);
    assert_true(pvm_block_cost_cache_key(l2, &d) == pvm_block_cost_cache_key(l2, &d2)); /* the collision */
    uint32_t *planted = malloc(d.n_blocks * sizeof *planted), *got = calloc(d.n_blocks, sizeof *got);
    assert_true(planted && got);
    for (uint32_t k = 0; k < d.n_blocks; k++) planted[k] = 4242424;
    pvm_block_cost_cache_put(l2, &d, planted);
    assert_false(pvm_block_cost_cache_get(l2, &d2, got));
    pvm_gas_compute_block_costs(l2, &d2, true, got);
    assert_int_not_equal(got[0], 4242424);
    assert_true(pvm_block_cost_cache_get(l2, &d, got)); /* the planted entry is still there for its own code */
    assert_int_equal(got[0], 4242424);
    pvm_cost_model_free(l2);
    free(planted);
    free(got);
    pvm_decoded_free(&d);
    pvm_decoded_free(&d2);
    free(code);
    free(changed);
    free(mask);
}

/* Block cost of the block at pc 0 of blob, compiled by a fresh engine under a fresh model object named model. */
static int64_t compiled_cost(const uint8_t *blob, size_t len, const char *model, pvm_backend backend)
{
    pvm_error err;
    pvm_cost_model *cm;
    pvm_engine *e;
    pvm_module *m;
    assert_int_equal(pvm_cost_model_new(model, &cm, &err), PVM_OK);
    pvm_engine_config cfg = {backend, PVM_GAS_SYNC, cm};
    assert_int_equal(pvm_engine_new(&cfg, &e, &err), PVM_OK);
    pvm_module_config mc = {.format = PVM_FORMAT_GP_BLOB, .isa = PVM_ISA_GP07, .page_size = 4096};
    assert_int_equal(pvm_module_compile(e, blob, len, &mc, NULL, &m, &err), PVM_OK);
    int64_t cost = 0;
    assert_int_equal(pvm_module_block_cost(m, 0, &cost, &err), PVM_OK);
    pvm_engine_free(e);
    pvm_cost_model_free(cm);
    return cost;
}

/* Recompiling a program with the same model (another engine, another model
 * object with the same parameters) takes its block costs from the cache, on
 * both backends: a planted entry is what the module gets. */
static void test_recompile_uses_block_cost_cache(void **state)
{
    (void)state;
    pvm_builder *b = pvm_builder_new(PVM_ISA_GP07);
    assert_non_null(b);
    for (unsigned i = 0; i < 40; i++) pvm_emit_reg3(b, PVM_OP_ADD_64, 1 + i % 5, 2 + i % 7, 3 + i % 3);
    pvm_emit_none(b, PVM_OP_TRAP);
    uint8_t *blob;
    size_t len;
    pvm_error err;
    assert_int_equal(pvm_builder_finish_gp(b, &blob, &len, &err), PVM_OK);
    pvm_builder_free(b);
    int64_t computed = compiled_cost(blob, len, "pipeline-l2hit", PVM_BACKEND_INTERP);
    assert_true(computed > 1);
    /* The module's decoded program, as the engine makes it, with planted costs. */
    pvm_program prog;
    pvm_decoded d;
    assert_int_equal(pvm_program_parse(blob, len, PVM_FORMAT_GP_BLOB, PVM_ISA_GP07, &prog, &err), PVM_OK);
    assert_int_equal(pvm_decode_program(prog.isa, prog.code, prog.code_len, prog.bitmask, prog.jump_table, prog.jt_len,
                                        &d, &err),
                     PVM_OK);
    uint32_t *planted = calloc(d.n_blocks, sizeof *planted);
    assert_non_null(planted);
    for (uint32_t k = 0; k < d.n_blocks; k++) planted[k] = 777777 + k;
    pvm_cost_model *l2;
    assert_int_equal(pvm_cost_model_new("pipeline-l2hit", &l2, &err), PVM_OK);
    pvm_block_cost_cache_put(l2, &d, planted);
    assert_int_equal(compiled_cost(blob, len, "pipeline-l2hit", PVM_BACKEND_INTERP), 777777);
    if (pvm_backend_available(PVM_BACKEND_JIT))
        assert_int_equal(compiled_cost(blob, len, "pipeline-l2hit", PVM_BACKEND_JIT), 777777);
    /* Another model is computed, not taken from the planted entry. */
    assert_int_not_equal(compiled_cost(blob, len, "pipeline-l1hit", PVM_BACKEND_INTERP), 777777);
    pvm_cost_model_free(l2);
    free(planted);
    pvm_decoded_free(&d);
    pvm_program_free(&prog);
    free(blob);
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
        cmocka_unit_test(test_block_cost_cache_key_collision),
        cmocka_unit_test(test_recompile_uses_block_cost_cache),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
