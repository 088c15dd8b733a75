/* pvmlab compare's block of the rv32 builds against their rv64 builds
 * (bench/runner/rv32_against_rv64.c) on numbers checkable by hand. Guests a, b tuned, h held
 * out. pvm-jit-gas-sync (unit model) 100, 200, 100 ns with gas 1000, 1000, 500; its rv32
 * build 200, 200, 300 ns with gas 2000, 4000, 500: instructions 2, 4, 1 (tuned geomean
 * sqrt(8) = 2.83, held-out 1), time 2, 1, 3 (1.41, 3.00), per instruction 1, 0.25, 3 (0.50,
 * 3.00). pvm-jit-gas-none 100, 100 (no h), rv32 150, 400, 50: time 1.5, 4, - (2.45, -), per
 * instruction 0.75, 1 (0.87). An rv32 configuration without an rv64 counterpart is not a
 * column; a configuration under another model gives no instruction count; without unit-model
 * gas the instruction column and the per-instruction lines are "-". Also the counterpart's
 * name and the block's absence without an rv32 configuration. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "block_text.h"

#include "bench/runner/held_out_list.h"
#include "bench/runner/rv32_against_rv64.h"

/* engine's median (and its gas under model when gas > 0) on guest into set. */
static void add_cell(compare_set *set, const char *engine, const char *model, const char *guest, double ns, double gas)
{
    compare_entry entry = {.size = 1, .median_wall_ns = ns, .min_wall_ns = ns, .n = 3, .has_gas = gas > 0,
                           .median_gas = gas > 0 ? gas : NAN, .median_instructions = NAN};
    snprintf(entry.engine, sizeof entry.engine, "%s", engine);
    snprintf(entry.model, sizeof entry.model, "%s", model);
    snprintf(entry.benchmark, sizeof entry.benchmark, "%s", guest);
    snprintf(entry.mode, sizeof entry.mode, "execution");
    assert_int_equal(pvmlab_run_medians_add(set, &entry), 0);
}

static char *print_block(const compare_set *set, const bench_held_out *held)
{
    return block_text(rv32_against_rv64_print, set, held);
}

/* A row as the block prints it: the label, then the instructions and the two columns. */
static void expect_row(const char *text, const char *label, const char *instr, const char *none, const char *sync)
{
    char line[256];
    snprintf(line, sizeof line, "\n%-28s %12s %21s %21s\n", label, instr, none, sync);
    if (!strstr(text, line))
        fail_msg("no line \"%s\" in:\n%s", line + 1, text);
}

static void counterpart_names(void **state)
{
    (void)state;
    char out[64];
    assert_true(rv32_against_rv64_counterpart("pvm-jit-rv32-gas-none", out, sizeof out));
    assert_string_equal(out, "pvm-jit-gas-none");
    assert_true(rv32_against_rv64_counterpart("pvm-interp-rv32-gas-sync-pipeline-l2hit", out, sizeof out));
    assert_string_equal(out, "pvm-interp-gas-sync-pipeline-l2hit");
    assert_false(rv32_against_rv64_counterpart("pvm-jit-gas-none", out, sizeof out));
    assert_false(rv32_against_rv64_counterpart("pvm-jit-rv32-gas-none", out, 8)); /* does not fit */
}

static void values_by_hand(void **state)
{
    (void)state;
    compare_set set = {0};
    add_cell(&set, "native", "", "a", 50, 0);
    add_cell(&set, "pvm-jit-gas-none", "none", "a", 100, 0);
    add_cell(&set, "pvm-jit-gas-none", "none", "b", 100, 0);
    add_cell(&set, "pvm-jit-gas-sync", "unit", "a", 100, 1000);
    add_cell(&set, "pvm-jit-gas-sync", "unit", "b", 200, 1000);
    add_cell(&set, "pvm-jit-gas-sync", "unit", "h", 100, 500);
    add_cell(&set, "pvm-jit-rv32-gas-none", "none", "a", 150, 0);
    add_cell(&set, "pvm-jit-rv32-gas-none", "none", "b", 400, 0);
    add_cell(&set, "pvm-jit-rv32-gas-none", "none", "h", 50, 0);
    add_cell(&set, "pvm-jit-rv32-gas-sync", "unit", "a", 200, 2000);
    add_cell(&set, "pvm-jit-rv32-gas-sync", "unit", "b", 200, 4000);
    add_cell(&set, "pvm-jit-rv32-gas-sync", "unit", "h", 300, 500);
    add_cell(&set, "pvm-interp-rv32-gas-none", "none", "a", 900, 0); /* no rv64 counterpart */
    bench_held_out held = {.count = 1};
    snprintf(held.names[0], sizeof held.names[0], "h");
    char *text = print_block(&set, &held);
    printf("%s", text);
    assert_non_null(strstr(text, "rv32 builds against their rv64 builds"));
    assert_null(strstr(text, "pvm-interp-rv32-gas-none"));
    expect_row(text, "guest", "instructions", "pvm-jit-rv32-gas-none", "pvm-jit-rv32-gas-sync");
    expect_row(text, "a", "2.00", "1.50", "2.00");
    expect_row(text, "b", "4.00", "4.00", "1.00");
    expect_row(text, "h", "1.00", "-", "3.00");
    expect_row(text, "geomean tuned (2)", "2.83", "2.45", "1.41");
    expect_row(text, "geomean held-out (1)", "1.00", "-", "3.00");
    expect_row(text, "per instruction tuned (2)", "-", "0.87", "0.50");
    expect_row(text, "per instruction held-out (1)", "-", "-", "3.00");
    free(text);

    text = print_block(&set, NULL); /* no list: one geomean over all three */
    expect_row(text, "geomean all (3)", "2.00", "2.45", "1.82");
    expect_row(text, "per instruction all (3)", "-", "0.87", "0.91");
    assert_null(strstr(text, "held-out"));
    free(text);
    pvmlab_run_medians_free(&set);
}

static void instructions_from_the_unit_model_only(void **state)
{
    (void)state;
    compare_set set = {0};
    /* gas under another model counts cost, not instructions */
    add_cell(&set, "pvm-jit-gas-none", "none", "a", 100, 0);
    add_cell(&set, "pvm-jit-gas-sync", "pipeline-l2hit", "a", 100, 3000);
    add_cell(&set, "pvm-jit-rv32-gas-none", "none", "a", 200, 0);
    add_cell(&set, "pvm-jit-rv32-gas-sync", "pipeline-l2hit", "a", 100, 9000);
    char *text = print_block(&set, NULL);
    expect_row(text, "a", "-", "2.00", "1.00");
    expect_row(text, "per instruction all (1)", "-", "-", "-");
    free(text);
    pvmlab_run_medians_free(&set);
}

static void absent_without_rv32(void **state)
{
    (void)state;
    compare_set set = {0};
    add_cell(&set, "native", "", "a", 100, 0);
    add_cell(&set, "pvm-jit-gas-none", "none", "a", 150, 0);
    add_cell(&set, "pvm-jit-rv32-gas-sync", "unit", "b", 150, 10); /* its rv64 build has no such guest */
    char *text = print_block(&set, NULL);
    assert_string_equal(text, "");
    free(text);
    pvmlab_run_medians_free(&set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counterpart_names),
        cmocka_unit_test(values_by_hand),
        cmocka_unit_test(instructions_from_the_unit_model_only),
        cmocka_unit_test(absent_without_rv32),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
