/* Cost models by name (pvm_cost_model_new) and the block costs the
 * metering pass computes with them; a pipeline table file gives exactly
 * the built-in model's costs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "vm/gas/cost_table.h"
#include "vm/gas/gas.h"
#include "golden_blocks.h"

static pvm_cost_model *model(const char *name)
{
    pvm_cost_model *m = NULL;
    pvm_error err = {{0}};
    if (pvm_cost_model_new(name, &m, &err) != PVM_OK) fail_msg("%s: %s", name, err.msg);
    assert_string_equal(pvm_cost_model_name(m), name);
    return m;
}

static pvm_cost_model *table_model(const char *file)
{
    char name[512];
    snprintf(name, sizeof name, "%s:%s/%s", strstr(file, ".table") ? "table" : "pipeline", PVMLAB_TABLES_DIR, file);
    return model(name);
}

static void expect_rejected(const char *name, pvm_status want, const char *msg_part)
{
    pvm_cost_model *m = (pvm_cost_model *)1;
    pvm_error err = {{0}};
    assert_int_equal(pvm_cost_model_new(name, &m, &err), want);
    assert_null(m);
    if (!strstr(err.msg, msg_part)) fail_msg("'%s': message '%s' lacks '%s'", name, err.msg, msg_part);
    assert_null(strchr(err.msg, '\n'));
}

static void test_model_names(void **state)
{
    (void)state;
    static const char *const builtin[] = {"unit", "pipeline-l1hit", "pipeline-l2hit", "pipeline-l3hit"};
    for (size_t i = 0; i < 4; i++) pvm_cost_model_free(model(builtin[i]));
    pvm_cost_model_free(table_model("unit.table"));
    pvm_cost_model_free(table_model("pipeline-l1hit.pipeline"));
    expect_rejected("pipeline", PVM_ERR_INVALID_ARGUMENT, "unknown cost model 'pipeline'");
    expect_rejected("naive", PVM_ERR_INVALID_ARGUMENT, "unknown cost model 'naive'");
    expect_rejected("", PVM_ERR_INVALID_ARGUMENT, "unknown cost model ''");
    expect_rejected("table:", PVM_ERR_INVALID_ARGUMENT, "names no file");
    expect_rejected("pipeline:", PVM_ERR_INVALID_ARGUMENT, "names no file");
    expect_rejected("table:/nonexistent.table", PVM_ERR_IO, "/nonexistent.table");
    expect_rejected("table:" PVMLAB_TABLES_DIR "/pipeline-l2hit.pipeline", PVM_ERR_INVALID_ARGUMENT,
                    "is a 'pipeline' table, the model needs a 'table' table");
    expect_rejected("pipeline:" PVMLAB_TABLES_DIR "/unit.table", PVM_ERR_INVALID_ARGUMENT,
                    "is a 'table' table, the model needs a 'pipeline' table");
    pvm_error err;
    assert_int_equal(pvm_cost_model_new(NULL, &(pvm_cost_model *){NULL}, &err), PVM_ERR_INVALID_ARGUMENT);
    assert_int_equal(pvm_cost_model_new("unit", NULL, NULL), PVM_ERR_INVALID_ARGUMENT);
    pvm_cost_model_free(NULL);
    assert_string_equal(pvm_cost_model_name(NULL), "unit");
}

/* Program used by the table tests: 3 blocks of 3, 1 and 2 instructions. */
static const tb_instr three_blocks[] = {IRR(ADD_IMM_64, A0, A0), I3(MUL_64, A0, A0, A1), I0(FALLTHROUGH), I0(TRAP),
                                        IR(LOAD_IMM, A0), {.op = PVM_OP_INVALID}};

static void test_unit_and_table_costs(void **state)
{
    (void)state;
    test_block tb;
    tb_build(&tb, PVM_ISA_LATEST64, three_blocks, 6);
    assert_int_equal(tb.d.n_blocks, 3);
    uint32_t costs[3];
    pvm_cost_model *unit = model("unit"), *table = table_model("unit.table");
    pvm_gas_compute_block_costs(unit, &tb.d, true, costs);
    assert_int_equal(costs[0], 3), assert_int_equal(costs[1], 1), assert_int_equal(costs[2], 2);
    pvm_gas_compute_block_costs(table, &tb.d, true, costs);
    assert_int_equal(costs[0], 3), assert_int_equal(costs[1], 1), assert_int_equal(costs[2], 2);
    assert_int_equal(pvm_gas_block_cost(NULL, &tb.d, 0), 3);

    /* A table model sums per-op costs, invalid included, at least 1, saturating. */
    memset(table->op_cost, 0, sizeof table->op_cost);
    table->op_cost[PVM_OP_MUL_64] = 7;
    table->op_cost[PVM_OP_INVALID] = 5;
    pvm_gas_compute_block_costs(table, &tb.d, true, costs);
    assert_int_equal(costs[0], 7), assert_int_equal(costs[1], 1), assert_int_equal(costs[2], 5);
    table->op_cost[PVM_OP_ADD_IMM_64] = UINT32_MAX;
    assert_int_equal(pvm_gas_block_cost(table, &tb.d, 0), UINT32_MAX);
    pvm_cost_model_free(unit);
    pvm_cost_model_free(table);
}

/* Costs of every golden block and of pseudo-random blocks under two models. */
static void expect_same_costs(const pvm_cost_model *a, const pvm_cost_model *b)
{
    for (size_t i = 0; i < golden_block_count; i++) {
        test_block tb;
        tb_build(&tb, golden_blocks[i].isa, golden_blocks[i].list, golden_blocks[i].n);
        for (uint32_t k = 0; k < tb.d.n_blocks; k++)
            assert_int_equal(pvm_gas_block_cost(a, &tb.d, k), pvm_gas_block_cost(b, &tb.d, k));
    }
    uint32_t seed = 12345;
    tb_instr list[64];
    for (int round = 0; round < 200; round++) {
        for (uint32_t i = 0; i < 64; i++) {
            seed = seed * 1103515245u + 12345u;
            list[i] = (tb_instr){.op = (pvm_op)((seed >> 8) % PVM_OP_COUNT), .d = (seed >> 3) % 13,
                                 .a = (seed >> 12) % 13, .b = (seed >> 20) % 13, .target = (seed >> 26) % 70};
        }
        test_block tb;
        tb_build(&tb, round % 2 ? PVM_ISA_LATEST32 : PVM_ISA_JAMV1, list, 64);
        for (uint32_t k = 0; k < tb.d.n_blocks; k++)
            assert_int_equal(pvm_gas_block_cost(a, &tb.d, k), pvm_gas_block_cost(b, &tb.d, k));
    }
}

static void test_pipeline_files_equal_builtin_models(void **state)
{
    (void)state;
    static const char *const names[3] = {"pipeline-l1hit", "pipeline-l2hit", "pipeline-l3hit"};
    for (int i = 0; i < 3; i++) {
        char file[64];
        snprintf(file, sizeof file, "%s.pipeline", names[i]);
        pvm_cost_model *builtin = model(names[i]), *loaded = table_model(file);
        expect_same_costs(builtin, loaded);
        pvm_cost_model_free(builtin);
        pvm_cost_model_free(loaded);
    }
}

/* The cache model only changes loads: L1 < L2 < L3 on a load block. */
static void test_cache_models_order_load_costs(void **state)
{
    (void)state;
    static const tb_instr load[] = {IRR(LOAD_IND_U32, A0, SP), I0(TRAP)};
    test_block tb;
    tb_build(&tb, PVM_ISA_LATEST64, load, 2);
    pvm_cost_model *l1 = model("pipeline-l1hit"), *l2 = model("pipeline-l2hit"), *l3 = model("pipeline-l3hit");
    assert_int_equal(pvm_gas_block_cost(l1, &tb.d, 0), 4);
    assert_int_equal(pvm_gas_block_cost(l2, &tb.d, 0), 25);
    assert_int_equal(pvm_gas_block_cost(l3, &tb.d, 0), 37);
    pvm_cost_model_free(l1), pvm_cost_model_free(l2), pvm_cost_model_free(l3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_names),
        cmocka_unit_test(test_unit_and_table_costs),
        cmocka_unit_test(test_pipeline_files_equal_builtin_models),
        cmocka_unit_test(test_cache_models_order_load_costs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
