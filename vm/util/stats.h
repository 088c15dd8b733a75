/* Summary statistics over doubles, the one implementation every part uses:
 * median, MAD, quantiles, geometric mean, mean and its standard error.
 * Pure functions of their inputs; NaN marks "no answer" (no values, or out of
 * memory for the copying variants), never 0. */
#ifndef PVM_UTIL_STATS_H
#define PVM_UTIL_STATS_H
#include <stdbool.h>
#include <stddef.h>

/* Sorts v[0..n) ascending in place. */
void util_sort_doubles(double *v, size_t n);

/* Median of v[0..n) without changing v (copies); NaN for n == 0 or no memory. */
double util_median(const double *v, size_t n);
/* Median of v[0..n), sorting v in place; NaN for n == 0. */
double util_median_inplace(double *v, size_t n);
/* Median absolute deviation from the median (unscaled); NaN for n == 0. */
double util_mad(const double *v, size_t n);
/* Quantile q in [0, 1] of ascending sorted[0..n), linear between the two
 * nearest ranks (the "type 7" rule of R and numpy); NaN for n == 0. */
double util_quantile_sorted(const double *sorted, size_t n, double q);

/* Running geometric mean of positive finite values. add returns false (and
 * ignores the value) for zero, negative, NaN or infinite values. */
typedef struct util_geomean {
    double log_sum;
    size_t count;
} util_geomean;
bool util_geomean_add(util_geomean *g, double value);
double util_geomean_value(const util_geomean *g); /* NaN when empty */

/* Mean of v[0..n) and its standard error s / sqrt(n) (sample standard
 * deviation s, n - 1 in the denominator). se is NaN for n < 2; both NaN for 0. */
void util_mean_stderr(const double *v, size_t n, double *mean, double *se);
#endif
