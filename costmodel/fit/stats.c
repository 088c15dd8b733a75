/* Median and median absolute deviation. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fit.h"

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double fit_median(const double *x, size_t n, double *scratch)
{
    if (n == 0) return NAN;
    memcpy(scratch, x, n * sizeof *x);
    qsort(scratch, n, sizeof *scratch, compare_double);
    return n % 2 ? scratch[n / 2] : 0.5 * (scratch[n / 2 - 1] + scratch[n / 2]);
}

double fit_mad(const double *x, size_t n, double *scratch)
{
    if (n == 0) return NAN;
    double m = fit_median(x, n, scratch);
    for (size_t i = 0; i < n; i++) scratch[i] = fabs(x[i] - m);
    qsort(scratch, n, sizeof *scratch, compare_double);
    return n % 2 ? scratch[n / 2] : 0.5 * (scratch[n / 2 - 1] + scratch[n / 2]);
}
