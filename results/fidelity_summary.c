/* The fidelity summary (definitions in results_fidelity.h): ns/gas per program, median,
 * max/median and p95/median with seeded percentile-bootstrap intervals. */
#include "results_fidelity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm/util/stats.h" /* util_quantile_sorted: the type-7 quantile */
#include "vm/util/splitmix.h"

/* max/median and p95/median of sorted ratios. */
static void spread(const double *sorted, size_t n, double *max_over_median, double *p95_over_median)
{
    double median = util_quantile_sorted(sorted, n, 0.5);
    *max_over_median = sorted[n - 1] / median;
    *p95_over_median = util_quantile_sorted(sorted, n, 0.95) / median;
}

/* Percentile-bootstrap intervals of both spreads over the ratios. */
static int bootstrap(const double *ratios, size_t n, pvmlab_fidelity_summary *out)
{
    enum { B = PVMLAB_FIDELITY_RESAMPLES };
    double *resample = malloc(n * sizeof *resample);
    double *maxes = malloc(B * sizeof *maxes), *p95s = malloc(B * sizeof *p95s);
    if (!resample || !maxes || !p95s) {
        free(resample), free(maxes), free(p95s);
        return -1;
    }
    uint64_t state = PVMLAB_FIDELITY_SEED;
    for (size_t b = 0; b < B; b++) {
        for (size_t i = 0; i < n; i++)
            resample[i] = ratios[util_splitmix64(&state) % n]; /* modulo bias < n / 2^64: immaterial */
        util_sort_doubles(resample, n);
        spread(resample, n, &maxes[b], &p95s[b]);
    }
    util_sort_doubles(maxes, B);
    util_sort_doubles(p95s, B);
    const double tail = (1.0 - PVMLAB_FIDELITY_CONFIDENCE) / 2.0;
    out->max_over_median.low = util_quantile_sorted(maxes, B, tail);
    out->max_over_median.high = util_quantile_sorted(maxes, B, 1.0 - tail);
    out->p95_over_median.low = util_quantile_sorted(p95s, B, tail);
    out->p95_over_median.high = util_quantile_sorted(p95s, B, 1.0 - tail);
    free(resample), free(maxes), free(p95s);
    return 0;
}

int pvmlab_fidelity_summarise(const pvmlab_fidelity_point *points, size_t count, pvmlab_fidelity_summary *out)
{
    memset(out, 0, sizeof *out);
    out->min_ns_per_gas = out->median_ns_per_gas = out->max_ns_per_gas = NAN;
    out->max_over_median = out->p95_over_median = (pvmlab_interval){NAN, NAN, NAN};
    double *ratios = malloc((count ? count : 1) * sizeof *ratios);
    double *sorted = malloc((count ? count : 1) * sizeof *sorted);
    if (!ratios || !sorted) {
        free(ratios), free(sorted);
        return -1;
    }
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        const pvmlab_fidelity_point *p = &points[i];
        if (!(p->gas > 0) || !isfinite(p->ns) || !isfinite(p->gas))
            continue;
        double ratio = p->ns / p->gas;
        if (n == 0 || ratio > out->max_ns_per_gas) {
            out->max_ns_per_gas = ratio;
            snprintf(out->worst_program, sizeof out->worst_program, "%s", p->program ? p->program : "");
        }
        ratios[n++] = ratio;
    }
    out->programs = n;
    int rc = 0;
    if (n > 0) {
        memcpy(sorted, ratios, n * sizeof *sorted);
        util_sort_doubles(sorted, n);
        out->min_ns_per_gas = sorted[0];
        out->median_ns_per_gas = util_quantile_sorted(sorted, n, 0.5);
        spread(sorted, n, &out->max_over_median.value, &out->p95_over_median.value);
        rc = bootstrap(ratios, n, out);
    }
    free(ratios);
    free(sorted);
    return rc;
}

const char *pvmlab_interval_format(const pvmlab_interval *v, char *out, size_t len)
{
    if (isnan(v->value))
        snprintf(out, len, "n/a");
    else if (isnan(v->low) || isnan(v->high))
        snprintf(out, len, "%.2f", v->value);
    else
        snprintf(out, len, "%.2f [%.2f, %.2f]", v->value, v->low, v->high);
    return out;
}

const char *pvmlab_fidelity_row_format(const pvmlab_fidelity_row *row, char *out, size_t len)
{
    char max[64], p95[64];
    const pvmlab_fidelity_summary *s = &row->summary;
    snprintf(out, len, "%s %s %s%s, %s, %s: %zu programs, ns/gas median %.4f, max/median %s, p95/median %s, worst %s",
             row->model, row->backend, row->program_set, row->held_out ? " (held out)" : " (training)",
             strcmp(row->scope, "all") == 0 ? "all programs" : strcmp(row->scope, "memory") == 0 ? "memory-bound"
                                                                                                  : "compute-bound",
             strcmp(row->charges, "charged") == 0     ? "lazy pages charged"
             : strcmp(row->charges, "uncharged") == 0 ? "lazy pages uncharged"
                                                      : "no lazy pages",
             s->programs, s->median_ns_per_gas, pvmlab_interval_format(&s->max_over_median, max, sizeof max),
             pvmlab_interval_format(&s->p95_over_median, p95, sizeof p95), s->worst_program);
    size_t used = strlen(out);
    double vs_unit = pvmlab_fidelity_median_vs_unit(row);
    if (!isnan(vs_unit) && used < len)
        snprintf(out + used, len - used, "; median %.1f ps/gas against the unit's %.1f (%+.0f%%)",
                 1000 * s->median_ns_per_gas, row->ps_per_gas, vs_unit);
    return out;
}

double pvmlab_fidelity_median_vs_unit(const pvmlab_fidelity_row *row)
{
    if (!(row->ps_per_gas > 0)) return NAN;
    return 100 * (1000 * row->summary.median_ns_per_gas / row->ps_per_gas - 1);
}
