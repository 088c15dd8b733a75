/* Summary statistics of timing samples (see stats.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

/* Scale factor that makes the MAD estimate the standard deviation of a normal sample. */
static const double MAD_TO_SIGMA = 1.4826;

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int bench_median(const double *values, size_t n, double *out)
{
    if (n == 0) {
        *out = 0;
        return 0;
    }
    double *sorted = malloc(n * sizeof *sorted);
    if (!sorted)
        return -1;
    memcpy(sorted, values, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, compare_doubles);
    *out = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    free(sorted);
    return 0;
}

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
    int status = bench_median(samples, n, &out->median);
    for (size_t i = 0; i < n; i++)
        deviations[i] = fabs(samples[i] - out->median);
    if (status == 0)
        status = bench_median(deviations, n, &out->mad);
    free(deviations);
    if (status != 0)
        return -1;
    out->spread = out->median > 0 ? MAD_TO_SIGMA * out->mad / out->median : 0;
    /* A MAD of 0 (most samples identical) makes every differing sample infinitely far. */
    for (size_t i = 0; i < n && out->mad > 0; i++)
        if (fabs(samples[i] - out->median) / out->mad > BENCH_OUTLIER_ZSCORE)
            out->outliers++;
    if (n >= 3) {
        double rest;
        if (bench_median(samples + 1, n - 1, &rest) != 0)
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
    if (n == 0)
        return NAN;
    double log_sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(values[i] > 0))
            return NAN;
        log_sum += log(values[i]);
    }
    return exp(log_sum / (double)n);
}
