/* pvmlab_fit: the numerics of calibration (floating point; never used when metering).
 * Pure functions on caller-owned arrays; nothing prints, allocates beyond what is said,
 * or aborts. */
#ifndef PVMLAB_FIT_H
#define PVMLAB_FIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Median and median absolute deviation of n values (n >= 1; NaN for n == 0). The input
 * is not changed; scratch must hold n doubles. */

/* Least squares y = intercept + slope * x over n >= 2 points with at least two distinct
 * x. Returns 0, or -1 if the fit is undefined. residual (may be NULL, n entries)
 * receives y - fitted; r2 is 1 for a perfect fit (1 also when y is constant and fitted). */
typedef struct fit_line {
    double slope, intercept, r2;
    double max_abs_residual;
    double slope_se; /* standard error of the slope, sqrt(SSE / (n - 2) / Sxx); NaN for n == 2 */
} fit_line;
int fit_linear(const double *x, const double *y, size_t n, fit_line *out, double *residual);

/* Least squares that drops at most one outlier: with n >= 5 points, the fit leaving out
 * the point whose removal lowers the squared error most is used when that point lies
 * further from it than 10x the remaining points' RMS residual and more than 25% of its own
 * y (a repetition series disturbed as a whole). *outlier receives its index, or -1.
 * residual (may be NULL) is against the fit used, for every point. Returns as fit_linear. */
int fit_linear_robust(const double *x, const double *y, size_t n, fit_line *out, double *residual, int *outlier);

/* Non-negative least squares: minimise |A z - b| subject to z >= 0 (Lawson and Hanson,
 * 1974, the active-set algorithm). A is m x n, row major. z receives n values; residual
 * (may be NULL) receives m values of b - A z. Needs n <= FIT_NNLS_MAX_COLUMNS. Returns 0,
 * or -1 for bad sizes or when the iteration limit is hit (z then holds the last iterate). */
#define FIT_NNLS_MAX_COLUMNS 16
int fit_nnls(const double *A, const double *b, size_t m, size_t n, double *z, double *residual);

/* Standard errors of an NNLS solution by the residual bootstrap: `rounds` times, b* = A z +
 * residuals drawn with replacement (a fixed-seed generator: the same input gives the same
 * errors), solved again; se[j] is the standard deviation of z*_j. z and residual are
 * fit_nnls's output for (A, b). Returns 0, or -1 for bad sizes or no memory. */
int fit_nnls_bootstrap_se(const double *A, size_t m, size_t n, const double *z, const double *residual,
                          unsigned rounds, uint64_t seed, double *se);

/* Plateaus of a step curve y(x), x increasing (e.g. load latency against working-set
 * size): consecutive points whose y stays within `tolerance` (relative, e.g. 0.25) of the
 * plateau's running median form a plateau; a plateau of fewer than min_points points is a
 * transition and is dropped (the last plateau is kept even when shorter). */
#define FIT_MAX_PLATEAUS 8
typedef struct fit_plateau {
    double level;          /* median y over the plateau */
    double first_x, last_x;/* x range of the plateau */
    size_t points;
} fit_plateau;
size_t fit_plateaus(const double *x, const double *y, size_t n, double tolerance, size_t min_points,
                    fit_plateau *out, size_t capacity);

#endif
