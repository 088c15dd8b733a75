/* Summary statistics of timing samples (see timing_summary.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "timing_summary.h"
#include "vm/util/stats.h"

/* Scale factor that makes the MAD estimate the standard deviation of a normal sample. */
static const double MAD_TO_SIGMA = 1.4826;

int bench_stats_compute(const double *samples, size_t n, bench_stats *out)
{
    memset(out, 0, sizeof *out);
    if (n == 0)
        return -1;
    double *deviations = malloc(n * sizeof *deviations);
    if (!deviations)
        return -1;
    out->n = n;
    out->min = out->max = samples[0];
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        sum += samples[i];
        out->min = samples[i] < out->min ? samples[i] : out->min;
        out->max = samples[i] > out->max ? samples[i] : out->max;
    }
    out->mean = sum / (double)n;
    out->median = util_median(samples, n);
    for (size_t i = 0; i < n; i++)
        deviations[i] = fabs(samples[i] - out->median);
    out->mad = util_median_inplace(deviations, n);
    free(deviations);
    if (isnan(out->median))
        return -1;
    out->spread = out->median > 0 ? MAD_TO_SIGMA * out->mad / out->median : 0;
    /* A MAD of 0 (most samples identical) makes every differing sample infinitely far. */
    for (size_t i = 0; i < n && out->mad > 0; i++)
        if (fabs(samples[i] - out->median) / out->mad > BENCH_OUTLIER_ZSCORE)
            out->outliers++;
    if (n >= 3) {
        double rest = util_median(samples + 1, n - 1);
        if (isnan(rest))
            return -1;
        out->slow_first_run = samples[0] > BENCH_SLOW_FIRST_FACTOR * rest;
    }
    return 0;
}

bool bench_stats_needs_rerun(const bench_stats *stats)
{
    return stats->n > 1 && stats->spread > BENCH_RERUN_SPREAD;
}

double bench_geometric_mean(const double *values, size_t n)
{
    util_geomean g = {0};
    for (size_t i = 0; i < n; i++)
        if (!util_geomean_add(&g, values[i]))
            return NAN; /* a ratio that is not positive has no place in a geomean */
    return util_geomean_value(&g);
}
