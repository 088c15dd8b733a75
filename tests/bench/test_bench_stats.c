/* Statistics of `pvmlab bench` on synthetic samples: median, MAD, min/max, outliers by
 * modified Z-score, the slow-first-run warning, the rerun rule and the geometric mean. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "bench/runner/timing_summary.h"
#include "bench/runner/suites.h"
#include "vm/util/stats.h"

static void median_of_odd_and_even_counts(void **state)
{
    (void)state;
    double odd[] = {5, 1, 3}, even[] = {4, 1, 3, 2};
    assert_true(util_median(odd, 3) == 3);
    assert_true(util_median(even, 4) == 2.5);
    assert_true(odd[0] == 5); /* the input is not reordered */
}

static void median_absolute_deviation_min_max_and_mean(void **state)
{
    (void)state;
    /* median 10; deviations 0,1,1,2,2 -> MAD 1 */
    double samples[] = {10, 9, 11, 8, 12};
    bench_stats stats;
    assert_int_equal(bench_stats_compute(samples, 5, &stats), 0);
    assert_int_equal(stats.n, 5);
    assert_true(stats.median == 10);
    assert_true(stats.mad == 1);
    assert_true(stats.min == 8 && stats.max == 12);
    assert_true(stats.mean == 10);
    assert_true(fabs(stats.spread - 0.14826) < 1e-9);
    assert_int_equal(stats.outliers, 0);
    assert_false(stats.slow_first_run);
}

static void outliers_by_modified_z_score(void **state)
{
    (void)state;
    /* median 100, MAD 1: modified Z-scores |x - 100| / 1 of 200 and 116 exceed 14.826 (ten
     * standard deviations), 113 does not. */
    double samples[] = {100, 99, 101, 100, 98, 102, 200, 116, 100, 113, 100};
    bench_stats stats;
    assert_int_equal(bench_stats_compute(samples, 11, &stats), 0);
    assert_true(stats.median == 100);
    assert_true(stats.mad == 1);
    assert_int_equal(stats.outliers, 2);
}

static void identical_samples_have_no_outliers_and_no_spread(void **state)
{
    (void)state;
    double samples[] = {7, 7, 7, 7, 8};
    bench_stats stats;
    assert_int_equal(bench_stats_compute(samples, 5, &stats), 0);
    assert_true(stats.mad == 0);
    assert_int_equal(stats.outliers, 0);
    assert_true(stats.spread == 0);
    assert_false(bench_stats_needs_rerun(&stats));
}

static void slow_first_run_is_flagged(void **state)
{
    (void)state;
    double samples[] = {50, 10, 11, 10, 9};
    bench_stats stats;
    assert_int_equal(bench_stats_compute(samples, 5, &stats), 0);
    assert_true(stats.slow_first_run);
}

static void rerun_when_spread_exceeds_fifteen_percent(void **state)
{
    (void)state;
    /* MAD 1 around 10 -> spread 14.8%: no rerun; MAD 2 around 10 -> 29.7%: rerun. */
    double tight[] = {10, 9, 11, 8, 12}, loose[] = {10, 8, 12, 6, 14};
    bench_stats stats;
    assert_int_equal(bench_stats_compute(tight, 5, &stats), 0);
    assert_false(bench_stats_needs_rerun(&stats));
    assert_int_equal(bench_stats_compute(loose, 5, &stats), 0);
    assert_true(stats.spread > BENCH_RERUN_SPREAD);
    assert_true(bench_stats_needs_rerun(&stats));
    /* A single sample has no spread to judge. */
    assert_int_equal(bench_stats_compute(loose, 1, &stats), 0);
    assert_false(bench_stats_needs_rerun(&stats));
}

static void empty_input_is_an_error(void **state)
{
    (void)state;
    bench_stats stats;
    assert_int_equal(bench_stats_compute(NULL, 0, &stats), -1);
}

static void geometric_mean(void **state)
{
    (void)state;
    double values[] = {1, 4, 16}, with_zero[] = {1, 0};
    assert_true(fabs(bench_geometric_mean(values, 3) - 4) < 1e-12);
    assert_true(isnan(bench_geometric_mean(values, 0)));
    assert_true(isnan(bench_geometric_mean(with_zero, 2)));
}

static void run_count_follows_the_suite_budget(void **state)
{
    (void)state;
    const bench_suite *full = bench_suite_find("full");
    assert_non_null(full);
    /* 3 s budget: 100 ms runs -> 30 (the maximum); 1 s -> 3, raised to the minimum 5;
     * 20 s -> 2, as any run longer than 5 s. */
    assert_int_equal(bench_suite_runs(full, 100e6), 30);
    assert_int_equal(bench_suite_runs(full, 1e9), 5);
    assert_int_equal(bench_suite_runs(full, 20e9), 2);
    assert_int_equal(bench_suite_runs(full, 1e3), full->max_runs);
    assert_null(bench_suite_find("nope"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(median_of_odd_and_even_counts),
        cmocka_unit_test(median_absolute_deviation_min_max_and_mean),
        cmocka_unit_test(outliers_by_modified_z_score),
        cmocka_unit_test(identical_samples_have_no_outliers_and_no_spread),
        cmocka_unit_test(slow_first_run_is_flagged),
        cmocka_unit_test(rerun_when_spread_exceeds_fifteen_percent),
        cmocka_unit_test(empty_input_is_an_error),
        cmocka_unit_test(geometric_mean),
        cmocka_unit_test(run_count_follows_the_suite_budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
