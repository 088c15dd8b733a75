/* Summary statistics of timing samples, in the manner of hyperfine: median, median
 * absolute deviation, min/max, outliers by modified Z-score, and the rules this runner adds
 * on top (rerun when the spread is too large). Pure functions; no allocation failures
 * reach the caller except where stated. */
#ifndef PVMLAB_BENCH_TIMING_SUMMARY_H
#define PVMLAB_BENCH_TIMING_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* hyperfine's rule: a sample whose modified Z-score |x - median| / MAD exceeds 1.4826 * 10
 * is an outlier (1.4826 * MAD estimates one standard deviation, so: beyond 10 sigma). */
#define BENCH_OUTLIER_ZSCORE 14.826
/* A set whose robust spread (1.4826 * MAD / median) exceeds this is measured again. */
#define BENCH_RERUN_SPREAD 0.15
/* hyperfine warns when the first run is this many times slower than the rest's median. */
#define BENCH_SLOW_FIRST_FACTOR 2.0

typedef struct bench_stats {
    size_t n;
    double median, mad, mean, min, max;
    double spread;        /* 1.4826 * MAD / median (a robust coefficient of variation); 0 when median is 0 */
    size_t outliers;      /* samples whose |x - median| / MAD exceeds BENCH_OUTLIER_ZSCORE */
    bool slow_first_run;  /* samples[0] > BENCH_SLOW_FIRST_FACTOR * median of the others */
} bench_stats;

/* Computes every field of out from samples[0..n) (order matters only for slow_first_run).
 * Returns 0, or -1 when n == 0 or out of memory. */
int bench_stats_compute(const double *samples, size_t n, bench_stats *out);

/* The rerun rule: more than one sample and spread above BENCH_RERUN_SPREAD. */
bool bench_stats_needs_rerun(const bench_stats *stats);

/* Geometric mean of positive values; NaN when n == 0 or any value is not positive. */
double bench_geometric_mean(const double *values, size_t n);

#endif
