/* Small statistics over doubles: median and geometric mean. */
#ifndef PVMLAB_STATS_H
#define PVMLAB_STATS_H

#include <stddef.h>

/* Median of values[0..count) (sorts them in place); NAN when count is 0. */
double pvmlab_median(double *values, size_t count);

/* Running geometric mean: add positive finite values, read the mean (NAN when none). */
typedef struct pvmlab_geomean {
    double log_sum;
    size_t count;
} pvmlab_geomean;

void pvmlab_geomean_add(pvmlab_geomean *mean, double value);
double pvmlab_geomean_value(const pvmlab_geomean *mean);

#endif
