/* Plateau (step) detection on a monotone-ish curve such as load latency per working-set
 * size. A point joins the current plateau while it is within the relative tolerance of
 * the plateau's median so far; otherwise it starts a new one. Short runs between two
 * levels are transitions (a working set partly in one level, partly in the next). */
#include <math.h>

#include "fit.h"

#define MAX_POINTS 256

static void close_plateau(const double *x, const double *y, size_t begin, size_t end, size_t min_points,
                          bool last, fit_plateau *out, size_t capacity, size_t *count)
{
    size_t len = end - begin;
    if (len == 0 || (len < min_points && !last) || *count >= capacity) return;
    double scratch[MAX_POINTS];
    fit_plateau p = {.level = fit_median(y + begin, len, scratch), .first_x = x[begin], .last_x = x[end - 1],
                     .points = len};
    out[(*count)++] = p;
}

size_t fit_plateaus(const double *x, const double *y, size_t n, double tolerance, size_t min_points,
                    fit_plateau *out, size_t capacity)
{
    if (n == 0 || n > MAX_POINTS) return 0;
    size_t count = 0, begin = 0;
    double scratch[MAX_POINTS];
    for (size_t i = 1; i < n; i++) {
        double level = fit_median(y + begin, i - begin, scratch);
        if (fabs(y[i] - level) <= tolerance * fabs(level)) continue;
        close_plateau(x, y, begin, i, min_points, false, out, capacity, &count);
        begin = i;
    }
    close_plateau(x, y, begin, n, min_points, true, out, capacity, &count);
    return count;
}
