/* pvmlab compare's 32-bit block (bench/runner/rv32_baseline.c) on numbers checkable by hand:
 * guests a, b tuned and h held out; native 100 ns each; native-i386 200, 50, 100 (ratios
 * 2, 0.5, 1: tuned geomean 1.00, held-out 1.00); pvm-jit-rv32-gas-none 400, 200, 300 (to
 * native-i386: 2, 4, 3, tuned geomean sqrt(8) = 2.83, held-out 3.00; to native, in the main
 * table: 4, 2, 3). An rv64 configuration is not in the block. Through the pvmlab binary also
 * scripts/bench_held_out.sh, which must read the main table only. Also the held-out list reader,
 * the block's absence without rv32 configurations, and its note when native-i386 is absent. */
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
#include "bench/runner/rv32_baseline.h"
#include "results/results.h"
#include "tests/results/results_fixture.h"
#include "tests/results/test_support.h"
#include "compare_entry_add.h"


typedef struct fixture_row {
    const char *engine, *guest;
    double ns;
} fixture_row;

static const fixture_row ROWS[] = {
    {"native", "a", 100},        {"native", "b", 100},        {"native", "h", 100},
    {"native-i386", "a", 200},   {"native-i386", "b", 50},    {"native-i386", "h", 100},
    {"pvm-jit-rv32-gas-none", "a", 400}, {"pvm-jit-rv32-gas-none", "b", 200}, {"pvm-jit-rv32-gas-none", "h", 300},
    {"pvm-jit-gas-none", "a", 150},
};

/* The block printed for set, in a malloc'ed string. */
static char *print_block(const compare_set *set, const bench_held_out *held)
{
    return block_text(rv32_baseline_print, set, held);
}

static void block_values_by_hand(void **state)
{
    (void)state;
    compare_set set = {0};
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++)
        add(&set, ROWS[i].engine, ROWS[i].guest, ROWS[i].ns);
    bench_held_out held = {.count = 1};
    snprintf(held.names[0], sizeof held.names[0], "h");
    char *text = print_block(&set, &held);
    printf("%s", text);
    assert_non_null(strstr(text, "rv32 builds against native-i386"));
    assert_non_null(strstr(text, "native-i386/native pvm-jit-rv32-gas-none\n"));
    assert_null(strstr(text, "pvm-jit-gas-none")); /* the rv64 configuration is not in the block */
    assert_non_null(strstr(text, "\na                                    2.00                  2.00\n"));
    assert_non_null(strstr(text, "\nb                                    0.50                  4.00\n"));
    assert_non_null(strstr(text, "\nh                                    1.00                  3.00\n"));
    assert_non_null(strstr(text, "\ngeomean tuned (2)                    1.00                  2.83\n"));
    assert_non_null(strstr(text, "\ngeomean held-out (1)                 1.00                  3.00\n"));
    free(text);

    text = print_block(&set, NULL); /* no list: one geomean over all three */
    assert_non_null(strstr(text, "\ngeomean all (3)                      1.00                  2.88\n"));
    assert_null(strstr(text, "held-out"));
    free(text);
    pvmlab_run_medians_free(&set);
}

static void block_absent_or_noted(void **state)
{
    (void)state;
    compare_set set = {0};
    add(&set, "native", "a", 100);
    add(&set, "pvm-jit-gas-none", "a", 150);
    char *text = print_block(&set, NULL);
    assert_string_equal(text, ""); /* no rv32 configuration, no native-i386: nothing */
    free(text);
    add(&set, "pvm-jit-rv32-gas-none", "a", 400);
    text = print_block(&set, NULL);
    assert_non_null(strstr(text, "native-i386 has no execution samples in this run"));
    size_t length = strlen(text); /* one line after a blank one */
    assert_true(length > 2 && text[0] == '\n' && strchr(text + 1, '\n') == text + length - 1);
    free(text);
    pvmlab_run_medians_free(&set);
}

static void held_out_list_reader(void **state)
{
    (void)state;
    char dir[64], path[160], err[256];
    assert_int_equal(test_make_temp_dir(dir, sizeof dir), 0);
    test_path(path, sizeof path, dir, "held.txt");
    FILE *file = fopen(path, "w");
    assert_non_null(file);
    fputs("# comment\n\nbase64\n  dijkstra  # trailing comment\n", file);
    fclose(file);
    bench_held_out held;
    assert_int_equal(bench_held_out_load(path, &held, err, sizeof err), 0);
    assert_int_equal(held.count, 2);
    assert_true(bench_held_out_contains(&held, "base64"));
    assert_true(bench_held_out_contains(&held, "dijkstra"));
    assert_false(bench_held_out_contains(&held, "comment"));
    test_path(path, sizeof path, dir, "absent.txt");
    assert_int_equal(bench_held_out_load(path, &held, err, sizeof err), -1);
    assert_non_null(strstr(err, "absent.txt: the held-out list is not readable"));
    test_remove_tree(dir);
}

/* A second rv32 configuration for the database test (to native-i386: 4, 8, 6; tuned geomean
 * sqrt(32) = 5.66): with two rv32 columns the block's rows look like the main table's to a
 * reader that does not stop after it (scripts/bench_held_out.sh). */
static const fixture_row EXTRA_ROWS[] = {
    {"pvm-interp-rv32-gas-none", "a", 800}, {"pvm-interp-rv32-gas-none", "b", 400}, {"pvm-interp-rv32-gas-none", "h", 600},
};

/* The same numbers through a database and the pvmlab binary: the main table keeps native as
 * the baseline of every column, the block follows it; scripts/bench_held_out.sh reads the
 * main table only. */
static void compare_prints_both(void **state)
{
    (void)state;
    char dir[64], db_path[160], held_path[160];
    assert_int_equal(test_make_temp_dir(dir, sizeof dir), 0);
    test_path(db_path, sizeof db_path, dir, "r.db");
    test_path(held_path, sizeof held_path, dir, "held.txt");
    FILE *file = fopen(held_path, "w");
    assert_non_null(file);
    fputs("h\n", file);
    fclose(file);
    results_ids ids;
    pvmlab_db *db = results_open_with_run(db_path, "test", "test", &ids);
    const size_t rows = sizeof ROWS / sizeof ROWS[0], extra = sizeof EXTRA_ROWS / sizeof EXTRA_ROWS[0];
    for (size_t i = 0; i < rows + extra; i++) {
        const fixture_row *row = i < rows ? &ROWS[i] : &EXTRA_ROWS[i - rows];
        pvmlab_id engine, guest;
        assert_int_equal(pvmlab_db_insert_engine(db, row->engine, "1", "", &engine), 0);
        assert_int_equal(pvmlab_db_insert_benchmark(db, "quick", row->guest, 10, &guest), 0);
        for (int rep = 0; rep < 3; rep++) {
            pvmlab_sample sample = {.run = ids.run, .engine = engine, .benchmark = guest, .mode = "execution",
                                    .repetition = rep, .wall_ns = (int64_t)(row->ns * 1000) + rep - 1};
            assert_int_equal(pvmlab_db_insert_sample(db, &sample, NULL, 0, NULL), 0);
        }
    }
    assert_int_equal(pvmlab_db_run_end(db, ids.run, "ok"), 0);
    pvmlab_db_close(db);

    char *argv[] = {PVMLAB_BIN, "compare", "--db", db_path, "--held-out", held_path, NULL};
    char output[8192];
    assert_int_equal(test_run_command(argv, output, sizeof output), 0);
    printf("%s", output);
    const char *block = strstr(output, "rv32 builds against native-i386");
    assert_non_null(block);
    const char *main_geomean = strstr(output, "\ngeomean ");
    assert_true(main_geomean && main_geomean < block);
    /* main table: against native (a: i386 2.00, jit 1.50, rv32 4.00) */
    assert_non_null(strstr(output, "ratio to native"));
    assert_non_null(strstr(block, "\ngeomean tuned (2)                    1.00"));
    assert_non_null(strstr(block, " 5.66                  2.83\n")); /* columns in name order */
    assert_non_null(strstr(block, "\ngeomean held-out (1)                 1.00"));
    assert_non_null(strstr(block, " 6.00                  3.00\n"));
    /* the held-out script over the main table only: its geomeans against native, each over
     * 2 + 1 guests (the block's rows read as the table's would double the counts and add an
     * engine "native-i386/native") */
    char script[512], env_pvmlab[600], env_list[600];
    snprintf(script, sizeof script, "%s/scripts/bench_held_out.sh", PVMLAB_SOURCE_DIR);
    snprintf(env_pvmlab, sizeof env_pvmlab, "PVMLAB=%s", PVMLAB_BIN);
    snprintf(env_list, sizeof env_list, "HELD_OUT_FILE=%s", held_path);
    char *argv_script[] = {"/usr/bin/env", env_pvmlab, env_list, "bash", script, "--db", db_path, NULL};
    assert_int_equal(test_run_command(argv_script, output, sizeof output), 0);
    printf("%s", output);
    assert_null(strstr(output, "native-i386/native"));
    assert_non_null(strstr(output, "\nnative-i386                       1.000 ( 2)        1.000 ( 1)\n"));
    assert_non_null(strstr(output, "\npvm-jit-rv32-gas-none             2.828 ( 2)        3.000 ( 1)\n"));
    assert_non_null(strstr(output, "\npvm-interp-rv32-gas-none          5.657 ( 2)        6.000 ( 1)\n"));
    /* a guest without a median ("-") is left out, not taken as 0 */
    assert_non_null(strstr(output, "\npvm-jit-gas-none                  1.500 ( 1)            - ( 0)\n"));
    /* an unreadable --held-out is bad input: one line, exit 2, no table printed before it */
    char missing[160];
    test_path(missing, sizeof missing, dir, "none.txt");
    char *argv2[] = {PVMLAB_BIN, "compare", "--db", db_path, "--held-out", missing, NULL};
    assert_int_equal(test_run_command(argv2, output, sizeof output), 2);
    assert_non_null(strstr(output, "none.txt: the held-out list is not readable"));
    assert_null(strstr(output, "ratio to native"));
    assert_int_equal(count_occurrences(output, "\n"), 1);
    test_remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(block_values_by_hand),
        cmocka_unit_test(block_absent_or_noted),
        cmocka_unit_test(held_out_list_reader),
        cmocka_unit_test(compare_prints_both),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
