/* pvmlab compare: ratio and geometric-mean arithmetic on a synthetic set, the geomean of the
 * fastest samples' ratios from a database, the regression
 * check's exit code on a synthetic database (two runs, and two databases), and bad flags
 * of both verbs answered with one line and exit code 2. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bench/runner/cmd_compare.h"
#include "bench/runner/compare_data.h"
#include "bench/runner/ratio_table.h"
#include "bench/runner/regression_check.h"
#include "results/results.h"
#include "tests/results/results_fixture.h"
#include "tests/results/test_support.h"
#include "compare_entry_add.h"


static void ratios_and_geometric_mean(void **state)
{
    (void)state;
    compare_set set = {0};
    add(&set, "native", "a", 10);
    add(&set, "native", "b", 20);
    add(&set, "slow", "a", 20);  /* 2x */
    add(&set, "slow", "b", 160); /* 8x -> geomean 4 */
    add(&set, "partial", "b", 10); /* 0.5x, no "a" */
    ratio_table table;
    char err[128];
    assert_int_equal(ratio_table_build(&set, "native", "execution", &table, err, sizeof err), 0);
    assert_int_equal(table.guest_count, 2);
    assert_int_equal(table.engine_count, 2);
    size_t slow = strcmp(table.engines[0], "slow") == 0 ? 0 : 1, partial = 1 - slow;
    assert_true(fabs(table.ratios[0 * 2 + slow] - 2.0) < 1e-12);
    assert_true(fabs(table.ratios[1 * 2 + slow] - 8.0) < 1e-12);
    assert_true(fabs(table.geomeans[slow] - 4.0) < 1e-12);
    assert_true(isnan(table.ratios[0 * 2 + partial]));
    assert_true(fabs(table.geomeans[partial] - 0.5) < 1e-12);
    ratio_table_free(&table);
    assert_int_equal(ratio_table_build(&set, "absent", "execution", &table, err, sizeof err), -1);
    assert_non_null(strstr(err, "absent"));
    pvmlab_run_medians_free(&set);
}

static void regression_beyond_threshold(void **state)
{
    (void)state;
    compare_set reference = {0}, candidate = {0};
    add(&reference, "pvm", "a", 100);
    add(&reference, "pvm", "b", 100);
    add(&reference, "pvm", "c", 100);
    add(&candidate, "pvm", "a", 109); /* +9%: within 10% */
    add(&candidate, "pvm", "b", 111); /* +11%: regressed */
    add(&candidate, "pvm", "c", 80);  /* -20%: improved */
    add(&candidate, "pvm", "d", 500); /* no reference: not compared */
    regression_summary summary;
    regression_check(&reference, &candidate, "execution", 10.0, NULL, &summary);
    assert_int_equal(summary.compared, 3);
    assert_int_equal(summary.regressed, 1);
    assert_int_equal(summary.improved, 1);
    assert_true(fabs(regression_change_percent(100, 111) - 11.0) < 1e-9);
    pvmlab_run_medians_free(&reference);
    pvmlab_run_medians_free(&candidate);
}

/* A database with one run per entry of medians_ns: engine "pvm" and "native" on guest g. */
static void make_database(const char *path, const double *pvm_ns, size_t runs)
{
    results_ids ids;
    pvmlab_db *db = results_open_with_run(path, "test", "test", &ids);
    pvmlab_id pvm, native, guest;
    assert_int_equal(pvmlab_db_insert_engine(db, "pvm", "1", "", &pvm), 0);
    assert_int_equal(pvmlab_db_insert_engine(db, "native", "1", "", &native), 0);
    assert_int_equal(pvmlab_db_insert_benchmark(db, "quick", "g", 10, &guest), 0);
    for (size_t r = 0; r < runs; r++) {
        pvmlab_id run = ids.run;
        if (r > 0)
            assert_int_equal(pvmlab_db_run_begin(db, ids.machine, ids.build, "test", &run, NULL), 0);
        for (int rep = 0; rep < 3; rep++) {
            pvmlab_sample sample = {.run = run, .engine = pvm, .benchmark = guest, .mode = "execution",
                                    .repetition = rep, .wall_ns = (int64_t)pvm_ns[r] + rep - 1};
            assert_int_equal(pvmlab_db_insert_sample(db, &sample, NULL, 0, NULL), 0);
            sample.engine = native;
            sample.wall_ns = 1000000;
            assert_int_equal(pvmlab_db_insert_sample(db, &sample, NULL, 0, NULL), 0);
        }
        assert_int_equal(pvmlab_db_run_end(db, run, "ok"), 0);
    }
    pvmlab_db_close(db);
}

/* The geomean of minima: each cell's fastest sample from the database, the ratios of those
 * to the baseline's fastest, and a row of its own under the medians' geomean. A slow stretch
 * of the host that fell on two of pvm's samples moves the median ratio, not the minimum's. */
static void minima_geomean_from_the_fastest_samples(void **state)
{
    (void)state;
    char dir[64], path[160];
    assert_int_equal(test_make_temp_dir(dir, sizeof dir), 0);
    test_path(path, sizeof path, dir, "minima.db");
    results_ids ids;
    pvmlab_db *db = results_open_with_run(path, "test", "test", &ids);
    pvmlab_id pvm, native, guest[2];
    assert_int_equal(pvmlab_db_insert_engine(db, "pvm", "1", "", &pvm), 0);
    assert_int_equal(pvmlab_db_insert_engine(db, "native", "1", "", &native), 0);
    assert_int_equal(pvmlab_db_insert_benchmark(db, "quick", "g", 10, &guest[0]), 0);
    assert_int_equal(pvmlab_db_insert_benchmark(db, "quick", "h", 10, &guest[1]), 0);
    static const int64_t wall[2][2][3] = {
        {{1000, 1100, 1050}, {3000, 2600, 2000}}, /* g: native min 1000; pvm median 2600, min 2000 */
        {{500, 400, 450}, {3200, 800, 3100}},     /* h: native min 400;  pvm median 3100, min 800 */
    };
    for (int g = 0; g < 2; g++)
        for (int rep = 0; rep < 3; rep++)
            for (int e = 0; e < 2; e++) {
                pvmlab_sample sample = {.run = ids.run, .engine = e ? pvm : native, .benchmark = guest[g],
                                        .mode = "execution", .repetition = rep, .wall_ns = wall[g][e][rep]};
                assert_int_equal(pvmlab_db_insert_sample(db, &sample, NULL, 0, NULL), 0);
            }
    compare_set set = {0};
    char err[256];
    assert_int_equal(pvmlab_db_run_medians(db, &ids.run, 1, &set, err, sizeof err), 0);
    pvmlab_db_close(db);
    const compare_entry *cell = pvmlab_run_medians_find(&set, "pvm", "h", 10, "execution");
    assert_non_null(cell);
    assert_true(cell->min_wall_ns == 800 && cell->median_wall_ns == 3100);
    ratio_table table;
    assert_int_equal(ratio_table_build(&set, "native", "execution", &table, err, sizeof err), 0);
    assert_true(fabs(table.geomeans[0] - sqrt(2600.0 / 1050 * 3100.0 / 450)) < 1e-12);
    assert_true(fabs(table.geomeans_min[0] - 2.0) < 1e-12); /* sqrt(2 x 2) */
    char printed[2048] = "";
    FILE *out = fmemopen(printed, sizeof printed - 1, "w");
    assert_non_null(out);
    ratio_table_print(&table, "native", out);
    fclose(out);
    const char *row = strstr(printed, "\ngeomean of minima ");
    assert_non_null(row);
    assert_non_null(strstr(row, " 2.00\n"));
    assert_true(strstr(printed, "\ngeomean ") < row);
    ratio_table_free(&table);
    /* A cell without a minimum (built by hand) leaves the row at "-", not at a partial mean. */
    compare_set hand = {0};
    add(&hand, "native", "g", 10);
    add(&hand, "pvm", "g", 20);
    assert_int_equal(ratio_table_build(&hand, "native", "execution", &table, err, sizeof err), 0);
    assert_true(isnan(table.geomeans_min[0]));
    ratio_table_free(&table);
    pvmlab_run_medians_free(&hand);
    pvmlab_run_medians_free(&set);
    test_remove_tree(dir);
}

static int compare(const char *const *args)
{
    char *argv[16];
    int argc = 0;
    for (; args[argc]; argc++)
        argv[argc] = (char *)args[argc];
    argv[argc] = NULL;
    return pvmlab_cmd_compare(argc, argv);
}

static void regression_exit_code_between_runs_and_databases(void **state)
{
    (void)state;
    char dir[64], one[160], other[160];
    assert_int_equal(test_make_temp_dir(dir, sizeof dir), 0);
    test_path(one, sizeof one, dir, "one.db");
    test_path(other, sizeof other, dir, "other.db");
    double runs[] = {2000000, 2100000, 3000000}; /* run 2: +5%, run 3: +50% against run 1 */
    make_database(one, runs, 3);
    double faster[] = {1500000};
    make_database(other, faster, 1);

    assert_int_equal(compare((const char *[]){"compare", "--db", one, NULL}), 0);
    assert_int_equal(compare((const char *[]){"compare", "--db", one, "--run", "2", "--against", "1", NULL}), 0);
    assert_int_equal(compare((const char *[]){"compare", "--db", one, "--run", "2", "--against", "1",
                                              "--threshold", "4", NULL}), 1);
    assert_int_equal(compare((const char *[]){"compare", "--db", one, "--against", "1", NULL}), 1);
    /* the newest run of one (3.0 ms) against the only run of other (1.5 ms) */
    assert_int_equal(compare((const char *[]){"compare", "--db", one, "--against-db", other, NULL}), 1);
    assert_int_equal(compare((const char *[]){"compare", "--db", other, "--against-db", one, NULL}), 0);
    assert_int_equal(compare((const char *[]){"compare", "--db", one, "--baseline", "nope", NULL}), 1);
    test_remove_tree(dir);
}

/* Runs the pvmlab binary; returns its exit code and the number of lines it printed. */
static int run_pvmlab(const char *const *args, int *lines)
{
    char *argv[16];
    int argc = 0;
    argv[argc++] = PVMLAB_BIN;
    for (; args[argc - 1]; argc++)
        argv[argc] = (char *)args[argc - 1];
    argv[argc] = NULL;
    char output[4096];
    int status = test_run_command(argv, output, sizeof output);
    *lines = 0;
    for (const char *p = output; *p; p++)
        *lines += *p == '\n';
    return status;
}

static void bad_flags_give_one_line_and_exit_2(void **state)
{
    (void)state;
    const char *const *cases[] = {
        (const char *[]){"bench", "--bogus", NULL},
        (const char *[]){"bench", "--suite", "nope", NULL},
        (const char *[]){"bench", "--runs", "0", NULL},
        (const char *[]){"bench", "--modes", "sideways", NULL},
        (const char *[]){"bench", "--db", NULL},
        (const char *[]){"compare", "--threshold", "abc", NULL},
        (const char *[]){"compare", "--run", "x", NULL},
        (const char *[]){"compare", "--mode", "fast", NULL},
        (const char *[]){"compare", "extra", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int lines;
        assert_int_equal(run_pvmlab(cases[i], &lines), 2);
        assert_int_equal(lines, 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ratios_and_geometric_mean),
        cmocka_unit_test(regression_beyond_threshold),
        cmocka_unit_test(minima_geomean_from_the_fastest_samples),
        cmocka_unit_test(regression_exit_code_between_runs_and_databases),
        cmocka_unit_test(bad_flags_give_one_line_and_exit_2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
