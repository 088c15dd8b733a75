/* The hardware's own count of mispredictions in the designed branch pairs: the PMU's
 * branch_misses of a random program minus those of its fixed twin (same instructions,
 * same units), per unit. Where there is no PMU the rate is unknown (NaN, stored NULL) and
 * the fit uses the design's rate (1/2 for a random bit, 7/8 for 1 of 8 targets). */
#ifndef PVMLAB_CAL_MISPREDICT_H
#define PVMLAB_CAL_MISPREDICT_H

#include <stdbool.h>
#include <stddef.h>

#include "measure.h"

/* Mispredictions per unit measured for family (MB_BRANCH or MB_INDIRECT): the median over
 * the (random, fixed) pairs of equal units; NaN when no pair has PMU counts. */
double mispredict_pmu_rate(const mb_spec *specs, const measurement *m, const bool *ok, size_t n, mb_family family);

#endif
