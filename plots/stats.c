#include "stats.h"

#include <math.h>
#include <stdlib.h>

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double pvmlab_median(double *values, size_t count)
{
    if (count == 0)
        return NAN;
    qsort(values, count, sizeof *values, compare_doubles);
    if (count % 2)
        return values[count / 2];
    return (values[count / 2 - 1] + values[count / 2]) / 2.0;
}

void pvmlab_geomean_add(pvmlab_geomean *mean, double value)
{
    /* Ratios and times are positive; a zero or missing value cannot enter a geomean. */
    if (!(value > 0.0) || !isfinite(value))
        return;
    mean->log_sum += log(value);
    mean->count++;
}

double pvmlab_geomean_value(const pvmlab_geomean *mean)
{
    return mean->count ? exp(mean->log_sum / (double)mean->count) : NAN;
}
