/* Plateau (step) detection on a monotone-ish curve such as load latency per working-set
 * size. A point joins the current plateau while it is within the relative tolerance of
 * the plateau's median so far; otherwise it starts a new one. Short runs between two
 * levels are transitions (a working set partly in one level, partly in the next) and are
 * dropped; two kept plateaus that end up next to each other at the same level (within
 * the tolerance) are one plateau interrupted by a disturbed point, and are merged. */
#include <math.h>

#include "fit.h"
#include "vm/util/stats.h"

#define MAX_POINTS 256

typedef struct run {
    size_t begin, end; /* point indices [begin, end) */
    size_t points;     /* points that count (a merge skips the dropped ones between) */
    double level;
} run;

static double level_of(const double *y, const run *r, const run *merged_with, double *scratch)
{
    size_t k = 0;
    if (merged_with)
        for (size_t i = merged_with->begin; i < merged_with->end; i++) scratch[k++] = y[i];
    for (size_t i = r->begin; i < r->end; i++) scratch[k++] = y[i];
    return util_median_inplace(scratch, k);
}

size_t fit_plateaus(const double *x, const double *y, size_t n, double tolerance, size_t min_points,
                    fit_plateau *out, size_t capacity)
{
    if (n == 0 || n > MAX_POINTS) return 0;
    run kept[MAX_POINTS];
    size_t count = 0, begin = 0;
    double scratch[MAX_POINTS];
    for (size_t i = 1; i <= n; i++) {
        if (i < n) {
            for (size_t j = begin; j < i; j++) scratch[j - begin] = y[j];
            double level = util_median_inplace(scratch, i - begin);
            if (fabs(y[i] - level) <= tolerance * fabs(level)) continue;
        }
        run r = {begin, i, i - begin, 0};
        begin = i;
        if (r.points < min_points && i < n) continue; /* a transition */
        r.level = level_of(y, &r, NULL, scratch);
        run *prev = count ? &kept[count - 1] : NULL;
        if (prev && fabs(r.level - prev->level) <= tolerance * fabs(prev->level)) {
            /* the same level again: one plateau (its median over both parts) */
            prev->level = level_of(y, &r, prev, scratch);
            prev->end = r.end;
            prev->points += r.points;
        } else {
            kept[count++] = r;
        }
    }
    size_t written = 0;
    for (size_t k = 0; k < count && written < capacity; k++)
        out[written++] = (fit_plateau){.level = kept[k].level, .first_x = x[kept[k].begin],
                                       .last_x = x[kept[k].end - 1], .points = kept[k].points};
    return written;
}
