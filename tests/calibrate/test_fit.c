/* Fitting on synthetic data with known answers. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "costmodel/fit/fit.h"
#include "vm/util/stats.h"

/* Deterministic noise in [-amplitude, amplitude]. */
static double noise(uint64_t *state, double amplitude)
{
    *state = *state * 6364136223846793005ull + 1442695040888963407ull;
    return ((double)(*state >> 11) / 9007199254740992.0 * 2 - 1) * amplitude;
}

static void median_and_mad(void **unused)
{
    (void)unused;
    double x[] = {5, 1, 4, 2, 3, 100};
    assert_float_equal(util_median(x, 5), 3, 1e-12);
    assert_float_equal(util_median(x, 6), 3.5, 1e-12);
    assert_float_equal(util_mad(x, 5), 1, 1e-12); /* |5-3|,|1-3|,|4-3|,|2-3|,0 -> 1 */
    assert_true(isnan(util_median(x, 0)));
    assert_float_equal(x[0], 5, 0); /* not reordered */
    double sorted[] = {1, 2, 3, 4, 10};
    assert_float_equal(util_quantile_sorted(sorted, 5, 0.5), 3, 1e-12);
    assert_float_equal(util_quantile_sorted(sorted, 5, 0.95), 8.8, 1e-12); /* 4 + 0.8 * (10 - 4) */
    assert_float_equal(util_quantile_sorted(sorted, 5, 1.0), 10, 1e-12);
    assert_true(isnan(util_quantile_sorted(sorted, 0, 0.5)));
    double mean, se;
    util_mean_stderr(sorted, 5, &mean, &se); /* s = sqrt(50/4), se = s / sqrt 5 */
    assert_float_equal(mean, 4, 1e-12);
    assert_float_equal(se, sqrt(12.5) / sqrt(5.0), 1e-12);
    util_mean_stderr(sorted, 1, &mean, &se);
    assert_true(isnan(se));
    util_geomean g = {0};
    assert_true(util_geomean_add(&g, 2));
    assert_true(util_geomean_add(&g, 8));
    assert_false(util_geomean_add(&g, 0));
    assert_false(util_geomean_add(&g, NAN));
    assert_float_equal(util_geomean_value(&g), 4, 1e-12);
    assert_float_equal(x[0], 5, 0); /* input untouched */
}

static void line_exact_and_noisy(void **unused)
{
    (void)unused;
    double x[] = {0, 8, 16, 32, 64}, y[5], residual[5];
    for (int i = 0; i < 5; i++) y[i] = 2.5 + 0.75 * x[i];
    fit_line l;
    assert_int_equal(fit_linear(x, y, 5, &l, residual), 0);
    assert_float_equal(l.slope, 0.75, 1e-12);
    assert_float_equal(l.intercept, 2.5, 1e-12);
    assert_float_equal(l.r2, 1, 1e-12);
    for (int i = 0; i < 5; i++) assert_float_equal(residual[i], 0, 1e-9);

    uint64_t s = 1;
    for (int i = 0; i < 5; i++) y[i] = 2.5 + 0.75 * x[i] + noise(&s, 0.05);
    assert_int_equal(fit_linear(x, y, 5, &l, NULL), 0);
    assert_float_equal(l.slope, 0.75, 0.01);
    assert_float_equal(l.intercept, 2.5, 0.1);
    assert_true(l.max_abs_residual <= 0.1);

    double same[] = {3, 3, 3};
    assert_int_equal(fit_linear(same, y, 3, &l, NULL), -1); /* no spread in x */
    assert_int_equal(fit_linear(x, y, 1, &l, NULL), -1);
}

static void nnls_recovers_non_negative_solution(void **unused)
{
    (void)unused;
    /* b = A z with z = (1, 0.5, 2): the unconstrained solution is already feasible. */
    double A[6 * 3], b[6], z[3], r[6];
    const double want[3] = {1, 0.5, 2};
    for (int i = 0; i < 6; i++) {
        A[i * 3 + 0] = 1;
        A[i * 3 + 1] = 4 * (i % 3 + 1);
        A[i * 3 + 2] = i >= 3 ? 2 * (i % 3 + 1) : 0;
        b[i] = A[i * 3] * want[0] + A[i * 3 + 1] * want[1] + A[i * 3 + 2] * want[2];
    }
    assert_int_equal(fit_nnls(A, b, 6, 3, z, r), 0);
    for (int j = 0; j < 3; j++) assert_float_equal(z[j], want[j], 1e-9);
    for (int i = 0; i < 6; i++) assert_float_equal(r[i], 0, 1e-9);
}

static void nnls_clamps_negative_component(void **unused)
{
    (void)unused;
    /* Data generated with a negative third term: least squares would return -1 for it;
     * NNLS must return 0 there and refit the others (here exactly: x1 + x2 columns). */
    double A[4 * 3] = {1, 1, 0, 1, 2, 0, 1, 3, 1, 1, 4, 2};
    double b[4];
    for (int i = 0; i < 4; i++) b[i] = 2 * A[i * 3] + 1 * A[i * 3 + 1] - 1 * A[i * 3 + 2];
    double z[3];
    assert_int_equal(fit_nnls(A, b, 4, 3, z, NULL), 0);
    for (int j = 0; j < 3; j++) assert_true(z[j] >= 0);
    assert_float_equal(z[2], 0, 1e-12);
    /* Optimality (KKT): gradient A^T (b - Az) is 0 on positive entries and <= 0 on zeros. */
    for (int j = 0; j < 3; j++) {
        double g = 0;
        for (int i = 0; i < 4; i++) {
            double ri = b[i];
            for (int k = 0; k < 3; k++) ri -= A[i * 3 + k] * z[k];
            g += A[i * 3 + j] * ri;
        }
        if (z[j] > 0) assert_float_equal(g, 0, 1e-9);
        else assert_true(g <= 1e-9);
    }
    assert_int_equal(fit_nnls(A, b, 4, FIT_NNLS_MAX_COLUMNS + 1, z, NULL), -1);
}

static void plateaus_of_noisy_step_curve(void **unused)
{
    (void)unused;
    /* Sizes 4 KiB .. 64 MiB; levels 1.0 (<= 32 KiB), 4.0 (<= 1 MiB), 12 (<= 16 MiB), 80 beyond,
     * with +-5% noise and one transition point between L2 and L3. */
    double x[15], y[15];
    uint64_t s = 7;
    for (int i = 0; i < 15; i++) {
        x[i] = 4096.0 * (1 << i);
        double level = x[i] <= 32768 ? 1 : x[i] <= 1048576 ? 4 : x[i] <= 2097152 ? 7 : x[i] <= 16777216 ? 12 : 80;
        y[i] = level * (1 + noise(&s, 0.05));
    }
    fit_plateau p[FIT_MAX_PLATEAUS];
    size_t n = fit_plateaus(x, y, 15, 0.3, 2, p, FIT_MAX_PLATEAUS);
    assert_int_equal(n, 4);
    const double levels[4] = {1, 4, 12, 80}, first[4] = {4096, 65536, 4194304, 33554432};
    for (size_t i = 0; i < n; i++) {
        assert_float_equal(p[i].level, levels[i], levels[i] * 0.06);
        assert_float_equal(p[i].first_x, first[i], 0);
    }
    assert_int_equal(fit_plateaus(x, y, 0, 0.3, 2, p, FIT_MAX_PLATEAUS), 0);

    /* One disturbed point inside the DRAM plateau: dropped, and the two halves merge. */
    double x2[8], y2[8];
    const double l2[8] = {1, 1, 1, 50, 50, 90, 50, 50};
    for (int i = 0; i < 8; i++) x2[i] = 1 << i, y2[i] = l2[i];
    n = fit_plateaus(x2, y2, 8, 0.3, 2, p, FIT_MAX_PLATEAUS);
    assert_int_equal(n, 2);
    assert_float_equal(p[1].level, 50, 1e-12);
    assert_float_equal(p[1].first_x, 8, 0);
    assert_float_equal(p[1].last_x, 128, 0);
    assert_int_equal(p[1].points, 4);
}

static void robust_line_leaves_out_one_disturbed_point(void **unused)
{
    (void)unused;
    double x[] = {0, 8, 16, 32, 64}, y[5], residual[5];
    uint64_t s = 3;
    for (int i = 0; i < 5; i++) y[i] = 3 + 0.9 * x[i] + noise(&s, 0.05);
    y[4] = 2049; /* the whole series of one program disturbed */
    fit_line l;
    int outlier;
    assert_int_equal(fit_linear_robust(x, y, 5, &l, residual, &outlier), 0);
    assert_int_equal(outlier, 4);
    assert_float_equal(l.slope, 0.9, 0.01);
    assert_true(residual[4] > 1900);
    assert_int_equal(fit_linear_robust(x, y, 4, &l, NULL, &outlier), 0);
    assert_int_equal(outlier, -1); /* 4 points: too few to call one an outlier */
    y[4] = 3 + 0.9 * 64; /* clean data: nothing left out, same as least squares */
    assert_int_equal(fit_linear_robust(x, y, 5, &l, NULL, &outlier), 0);
    assert_int_equal(outlier, -1);
    assert_float_equal(l.slope, 0.9, 0.01);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(median_and_mad),
        cmocka_unit_test(line_exact_and_noisy),
        cmocka_unit_test(robust_line_leaves_out_one_disturbed_point),
        cmocka_unit_test(nnls_recovers_non_negative_solution),
        cmocka_unit_test(nnls_clamps_negative_component),
        cmocka_unit_test(plateaus_of_noisy_step_curve),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
