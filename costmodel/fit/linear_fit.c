/* Ordinary least squares for one slope and an intercept. */
#include <math.h>

#include "fit.h"

int fit_linear(const double *x, const double *y, size_t n, fit_line *out, double *residual)
{
    if (n < 2) return -1;
    double mx = 0, my = 0;
    for (size_t i = 0; i < n; i++) {
        mx += x[i];
        my += y[i];
    }
    mx /= (double)n;
    my /= (double)n;
    double sxx = 0, sxy = 0, syy = 0;
    for (size_t i = 0; i < n; i++) {
        sxx += (x[i] - mx) * (x[i] - mx);
        sxy += (x[i] - mx) * (y[i] - my);
        syy += (y[i] - my) * (y[i] - my);
    }
    if (sxx <= 0) return -1;
    out->slope = sxy / sxx;
    out->intercept = my - out->slope * mx;
    double sse = 0, worst = 0;
    for (size_t i = 0; i < n; i++) {
        double r = y[i] - (out->intercept + out->slope * x[i]);
        if (residual) residual[i] = r;
        sse += r * r;
        if (fabs(r) > worst) worst = fabs(r);
    }
    out->r2 = syy > 0 ? 1.0 - sse / syy : 1.0;
    out->max_abs_residual = worst;
    out->slope_se = n > 2 ? sqrt(sse / (double)(n - 2) / sxx) : NAN;
    return 0;
}

enum { ROBUST_MAX_POINTS = 64 };

int fit_linear_robust(const double *x, const double *y, size_t n, fit_line *out, double *residual, int *outlier)
{
    *outlier = -1;
    if (fit_linear(x, y, n, out, residual) != 0) return -1;
    if (n < 5 || n > ROBUST_MAX_POINTS) return 0; /* the rest must still have 2 degrees of freedom */
    double xs[ROBUST_MAX_POINTS], ys[ROBUST_MAX_POINTS], best_sse = INFINITY;
    fit_line best = *out;
    int best_index = -1;
    for (size_t leave = 0; leave < n; leave++) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (i != leave) xs[k] = x[i], ys[k++] = y[i];
        fit_line l;
        if (fit_linear(xs, ys, k, &l, NULL) != 0) continue;
        double sse = 0;
        for (size_t i = 0; i < k; i++) sse += pow(ys[i] - (l.intercept + l.slope * xs[i]), 2);
        if (sse < best_sse) best_sse = sse, best = l, best_index = (int)leave;
    }
    if (best_index < 0) return 0;
    double rms = sqrt(best_sse / (double)(n - 1));
    double miss = fabs(y[best_index] - (best.intercept + best.slope * x[best_index]));
    if (miss <= 10 * rms || miss <= 0.25 * fabs(y[best_index])) return 0;
    *out = best;
    *outlier = best_index;
    double worst = 0;
    for (size_t i = 0; i < n; i++) {
        double r = y[i] - (best.intercept + best.slope * x[i]);
        if (residual) residual[i] = r;
        if ((int)i != best_index && fabs(r) > worst) worst = fabs(r);
    }
    out->max_abs_residual = worst;
    return 0;
}
