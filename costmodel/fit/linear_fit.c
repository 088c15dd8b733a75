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
    return 0;
}
