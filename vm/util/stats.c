/* Summary statistics (see stats.h). */
#include "stats.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void util_sort_doubles(double *v, size_t n)
{
    if (n > 1) qsort(v, n, sizeof *v, compare_doubles);
}

double util_median_inplace(double *v, size_t n)
{
    if (n == 0) return NAN;
    util_sort_doubles(v, n);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double util_median(const double *v, size_t n)
{
    if (n == 0) return NAN;
    double *copy = malloc(n * sizeof *copy);
    if (!copy) return NAN;
    memcpy(copy, v, n * sizeof *copy);
    double m = util_median_inplace(copy, n);
    free(copy);
    return m;
}

double util_mad(const double *v, size_t n)
{
    if (n == 0) return NAN;
    double *dev = malloc(n * sizeof *dev);
    if (!dev) return NAN;
    double m = util_median(v, n);
    for (size_t i = 0; i < n; i++) dev[i] = fabs(v[i] - m);
    double mad = util_median_inplace(dev, n);
    free(dev);
    return mad;
}

double util_quantile_sorted(const double *sorted, size_t n, double q)
{
    if (n == 0 || !(q >= 0.0 && q <= 1.0)) return NAN;
    double pos = q * (double)(n - 1);
    size_t lo = (size_t)pos;
    if (lo + 1 >= n) return sorted[n - 1];
    return sorted[lo] + (pos - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}

bool util_geomean_add(util_geomean *g, double value)
{
    /* Ratios and times are positive; a zero or missing value cannot enter a geomean. */
    if (!(value > 0.0) || !isfinite(value)) return false;
    g->log_sum += log(value);
    g->count++;
    return true;
}

double util_geomean_value(const util_geomean *g)
{
    return g->count ? exp(g->log_sum / (double)g->count) : NAN;
}

void util_mean_stderr(const double *v, size_t n, double *mean, double *se)
{
    double m = NAN, s = NAN;
    if (n > 0) {
        double sum = 0;
        for (size_t i = 0; i < n; i++) sum += v[i];
        m = sum / (double)n;
        if (n > 1) {
            double ss = 0;
            for (size_t i = 0; i < n; i++) ss += (v[i] - m) * (v[i] - m);
            s = sqrt(ss / (double)(n - 1)) / sqrt((double)n);
        }
    }
    if (mean) *mean = m;
    if (se) *se = s;
}
