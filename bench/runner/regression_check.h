/* The regression check of `pvmlab compare --against`: in the manner of NEAR's
 * estimator-warehouse check, every (engine, guest, mode) present in both a reference and a
 * candidate set is compared by median, and a relative slow-down beyond the threshold is a
 * regression. */
#ifndef PVMLAB_BENCH_REGRESSION_CHECK_H
#define PVMLAB_BENCH_REGRESSION_CHECK_H

#include <stdio.h>

#include "compare_data.h"

typedef struct regression_summary {
    size_t compared, regressed, improved;
    size_t vanished; /* in the reference but not in the candidate: counted in regressed too */
} regression_summary;

/* Relative change of candidate against reference in percent ((c - r) / r * 100). */
double regression_change_percent(double reference_ns, double candidate_ns);

/* Prints one line per pair (REGRESSED / improved beyond the threshold, else unchanged)
 * and one per (engine, guest, mode) of the reference that the candidate lacks (VANISHED: a
 * configuration that stopped working is a regression, not a silence) to out (may be NULL)
 * and fills summary. Entries of mode only; mode NULL = every mode. */
void regression_check(const compare_set *reference, const compare_set *candidate, const char *mode,
                      double threshold_percent, FILE *out, regression_summary *summary);

#endif
