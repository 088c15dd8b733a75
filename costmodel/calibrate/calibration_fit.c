/* Calibration fitting: series regressions, NNLS on mixed blocks, plateaus of the sweep. */
#include "calibration_fit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "costmodel/fit/fit.h"
#include "vm/isa/isa.h"
#include "mispredict.h"
#include "vm/util/grow.h"
#include "vm/util/stats.h"

enum { MAX_POINTS = 64 };

typedef struct series_points {
    double units[MAX_POINTS], ns_per_trip[MAX_POINTS];
    size_t index[MAX_POINTS]; /* spec index of each point */
    size_t count;
    int64_t repetitions;
} series_points;

static int add_value(cal_result *r, const char *key, double ps, double mad_ps, int64_t n)
{
    return cal_result_add(r, key, ps, mad_ps, NAN, n);
}

int cal_result_add(cal_result *r, const char *key, double ps, double mad_ps, double se_ps, int64_t n)
{
    if (UTIL_GROW(r->values, r->capacity, r->count + 1, 256) != 0) return -1;
    cal_value *v = &r->values[r->count++];
    snprintf(v->key, sizeof v->key, "%s", key);
    v->ps = ps;
    v->mad_ps = mad_ps;
    v->se_ps = se_ps;
    v->n = n;
    return 0;
}

int cal_result_add_median(cal_result *r, const char *key, const double *v, size_t n)
{
    double med = util_median(v, n), mad = util_mad(v, n);
    return cal_result_add(r, key, med, mad, 1.2533 * 1.4826 * mad / sqrt((double)n), (int64_t)n);
}

const cal_value *cal_result_find(const cal_result *r, const char *key)
{
    for (size_t i = 0; i < r->count; i++)
        if (strcmp(r->values[i].key, key) == 0) return &r->values[i];
    return NULL;
}

void cal_result_free(cal_result *r)
{
    free(r->values);
    if (r->fit) json_object_put(r->fit);
    memset(r, 0, sizeof *r);
}

static void gather(const mb_spec *specs, const measurement *m, const bool *ok, size_t n, const char *series,
                   series_points *out)
{
    out->count = 0;
    out->repetitions = 0;
    for (size_t i = 0; i < n && out->count < MAX_POINTS; i++) {
        if (!ok[i] || strcmp(specs[i].series, series) != 0) continue;
        out->units[out->count] = specs[i].units;
        out->ns_per_trip[out->count] = m[i].median_ns / (double)specs[i].trips;
        out->index[out->count++] = i;
        out->repetitions += m[i].n;
    }
}

static json_object *json_points(const series_points *p, const double *residual)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; i < p->count; i++) {
        json_object *pt = json_object_new_object();
        json_object_object_add(pt, "units", json_object_new_double(p->units[i]));
        json_object_object_add(pt, "ns_per_trip", json_object_new_double(p->ns_per_trip[i]));
        if (residual) json_object_object_add(pt, "residual_ns", json_object_new_double(residual[i]));
        json_object_array_add(a, pt);
    }
    return a;
}

/* Spread of the slope, estimated from the longest program's MAD spread over its units. */
static double slope_mad_ps(const series_points *p, const mb_spec *specs, const measurement *m, double per)
{
    size_t longest = 0;
    for (size_t i = 1; i < p->count; i++)
        if (p->units[i] > p->units[longest]) longest = i;
    size_t k = p->index[longest];
    double units = specs[k].units ? specs[k].units : 1;
    return m[k].mad_ns / (double)specs[k].trips / units / per * 1000.0;
}

/* Fits one series by least squares; stores key = slope / per (ps). */
static int fit_series(cal_result *r, json_object *series_json, const char *key, const series_points *p,
                      const mb_spec *specs, const measurement *m, double per, double *slope_ps)
{
    double residual[MAX_POINTS];
    fit_line line;
    int outlier;
    if (fit_linear_robust(p->units, p->ns_per_trip, p->count, &line, residual, &outlier) != 0) return 0;
    double ps = line.slope / per * 1000.0;
    if (slope_ps) *slope_ps = ps;
    json_object *s = json_object_new_object();
    json_object_object_add(s, "key", json_object_new_string(key));
    json_object_object_add(s, "slope_ps", json_object_new_double(ps));
    json_object_object_add(s, "intercept_ns_per_trip", json_object_new_double(line.intercept));
    json_object_object_add(s, "r2", json_object_new_double(line.r2));
    json_object_object_add(s, "points", json_points(p, residual));
    if (outlier >= 0) /* left out of the fit: its residual stays in "points" */
        json_object_object_add(s, "outlier_units", json_object_new_double(p->units[outlier]));
    json_object_array_add(series_json, s);
    /* Standard error: the regression's, and the repetition noise of the longest program's
     * median (1.4826 MAD / sqrt(n), spread over its units), in quadrature. */
    double mad_ps = slope_mad_ps(p, specs, m, per);
    size_t longest = 0;
    for (size_t i = 1; i < p->count; i++)
        if (p->units[i] > p->units[longest]) longest = i;
    int reps = m[p->index[longest]].n > 0 ? m[p->index[longest]].n : 1;
    double noise = 1.4826 * mad_ps / sqrt((double)reps);
    double reg = isfinite(line.slope_se) ? line.slope_se / per * 1000.0 : 0;
    double se = isfinite(noise) ? hypot(reg, noise) : (isfinite(line.slope_se) ? reg : NAN);
    json_object_object_add(s, "slope_se_ps", json_object_new_double(se));
    return cal_result_add(r, key, ps, mad_ps, se, p->repetitions);
}

static bool seen(const mb_spec *specs, size_t upto, const char *series)
{
    for (size_t j = 0; j < upto; j++)
        if (strcmp(specs[j].series, series) == 0) return true;
    return false;
}

static int fit_all_series(const mb_spec *specs, const measurement *m, const bool *ok, size_t n, cal_result *r,
                          json_object *series_json, double *chase_x, double *chase_ps, size_t *chase_n)
{
    series_points empty, p;
    gather(specs, m, ok, n, "loop.empty", &empty);
    if (empty.count)
        if (add_value(r, "loop.overhead", empty.ns_per_trip[0] * 1000.0,
                      m[empty.index[0]].mad_ns / (double)specs[empty.index[0]].trips * 1000.0,
                      empty.repetitions) != 0)
            return -1;
    *chase_n = 0;
    for (size_t i = 0; i < n; i++) {
        const mb_spec *s = &specs[i];
        if (!ok[i] || seen(specs, i, s->series)) continue;
        gather(specs, m, ok, n, s->series, &p);
        double per = 1, ps = NAN;
        if (s->family == MB_OP_CHAIN) {
            if (s->units == 0) continue;
            if (empty.count && p.count < MAX_POINTS) { /* the empty loop is every chain's 0 point */
                p.units[p.count] = 0;
                p.ns_per_trip[p.count] = empty.ns_per_trip[0];
                p.index[p.count++] = empty.index[0];
            }
        } else if (s->family == MB_STRIDE) {
            per = 64; /* accesses per ring */
        } else if (s->family != MB_POINTER_CHASE && s->family != MB_BRANCH && s->family != MB_INDIRECT) {
            continue;
        }
        if (fit_series(r, series_json, s->series, &p, specs, m, per, &ps) != 0) return -1;
        if (s->family == MB_POINTER_CHASE && *chase_n < MAX_POINTS && p.count >= 2) {
            chase_x[*chase_n] = (double)s->size;
            chase_ps[(*chase_n)++] = ps;
        }
    }
    return 0;
}

/* Mixed blocks: trip time = overhead + units * unit cost + mispredicted * penalty, with
 * mispredicted = units * rate in the random programs and 0 in the fixed ones. NNLS keeps
 * every term non-negative. */
static int fit_mixed(const mb_spec *specs, const measurement *m, const bool *ok, size_t n, mb_family family,
                     const char *name, double rate, cal_result *r, json_object *nnls_json)
{
    double A[MAX_POINTS * 3], b[MAX_POINTS], z[3], residual[MAX_POINTS];
    size_t rows = 0;
    int64_t reps = 0;
    json_object *programs = json_object_new_array();
    for (size_t i = 0; i < n && rows < MAX_POINTS; i++) {
        if (!ok[i] || specs[i].family != family) continue;
        A[rows * 3 + 0] = 1;
        A[rows * 3 + 1] = specs[i].units;
        A[rows * 3 + 2] = specs[i].random ? specs[i].units * rate : 0;
        b[rows++] = m[i].median_ns / (double)specs[i].trips;
        reps += m[i].n;
        json_object_array_add(programs, json_object_new_string(specs[i].name));
    }
    if (rows < 3 || fit_nnls(A, b, rows, 3, z, residual) != 0) {
        json_object_put(programs);
        return 0;
    }
    json_object *j = json_object_new_object();
    json_object_object_add(j, "programs", programs);
    json_object_object_add(j, "columns", json_object_new_string("trip_overhead, unit, mispredicted"));
    json_object *zj = json_object_new_array(), *rj = json_object_new_array();
    for (int k = 0; k < 3; k++) json_object_array_add(zj, json_object_new_double(z[k]));
    for (size_t k = 0; k < rows; k++) json_object_array_add(rj, json_object_new_double(residual[k]));
    json_object_object_add(j, "solution_ns", zj);
    json_object_object_add(j, "residuals_ns", rj);
    json_object_object_add(j, "mispredict_rate", json_object_new_double(rate));
    json_object_object_add(nnls_json, name, j);
    double se[3] = {NAN, NAN, NAN};
    if (fit_nnls_bootstrap_se(A, rows, 3, z, residual, 200, 0x6d69786564ull, se) == 0) {
        json_object *sj = json_object_new_array();
        for (int k = 0; k < 3; k++) json_object_array_add(sj, json_object_new_double(se[k]));
        json_object_object_add(j, "bootstrap_se_ns", sj);
    }
    char key[96];
    snprintf(key, sizeof key, "%s.unit", name);
    if (cal_result_add(r, key, z[1] * 1000.0, NAN, se[1] * 1000.0, reps) != 0) return -1;
    snprintf(key, sizeof key, "%s.mispredict", name);
    return cal_result_add(r, key, z[2] * 1000.0, NAN, se[2] * 1000.0, reps);
}

/* First touch of a lazy page, per kind (mb_touch_kind): cold - warm per page, touch.KIND,
 * with the error of a difference of two medians (each 1.2533 x 1.4826 MAD / sqrt(n)). The
 * VM charges one value per fault (pvm_lazy_charges), so each charge is the time of the kind
 * that takes exactly that fault: touch.lazy_read a zero page's first load, touch.lazy_read_image
 * a data page's, touch.lazy_write_first the costlier first store (zero or data page: both one
 * fault), touch.lazy_write the costlier store after a load (load+store less load, not below
 * 0). Each carries its error. */
static int fit_first_touch(const mb_spec *specs, const measurement *m, const bool *ok, size_t n, cal_result *r)
{
    const measurement *cold[MB_TOUCH_KINDS] = {NULL}, *warm[MB_TOUCH_KINDS] = {NULL};
    uint64_t pages[MB_TOUCH_KINDS] = {0};
    for (size_t i = 0; i < n; i++) {
        if (!ok[i] || specs[i].family != MB_FIRST_TOUCH || (unsigned)specs[i].touch >= MB_TOUCH_KINDS) continue;
        if (specs[i].cold) cold[specs[i].touch] = &m[i];
        else warm[specs[i].touch] = &m[i];
        pages[specs[i].touch] = specs[i].size;
    }
    double ps[MB_TOUCH_KINDS], se[MB_TOUCH_KINDS];
    bool have[MB_TOUCH_KINDS] = {false};
    int64_t reps = 0;
    for (int k = 0; k < MB_TOUCH_KINDS; k++) {
        const measurement *c = cold[k], *w = warm[k];
        if (!c || !w || !pages[k]) continue;
        double per = 1000.0 / (double)pages[k];
        ps[k] = (c->median_ns - w->median_ns) * per;
        se[k] = 1.2533 * 1.4826 * hypot(c->mad_ns / sqrt(fmax(1, c->n)), w->mad_ns / sqrt(fmax(1, w->n))) * per;
        char key[64];
        snprintf(key, sizeof key, "touch.%s", mb_touch_kind_name((mb_touch_kind)k));
        if (cal_result_add(r, key, ps[k], hypot(c->mad_ns, w->mad_ns) * per, se[k], c->n + w->n) != 0) return -1;
        reps += c->n + w->n;
        have[k] = true;
    }
    for (int k = 0; k < MB_TOUCH_KINDS; k++)
        if (!have[k]) return 0; /* every charge needs its kinds */
    enum { ZR = MB_TOUCH_ZERO_READ, ZW = MB_TOUCH_ZERO_WRITE, ZRW = MB_TOUCH_ZERO_READ_WRITE };
    enum { DR = MB_TOUCH_DATA_READ, DW = MB_TOUCH_DATA_WRITE, DRW = MB_TOUCH_DATA_READ_WRITE };
    int first = ps[ZW] >= ps[DW] ? ZW : DW;
    double after_zero = ps[ZRW] - ps[ZR], after_data = ps[DRW] - ps[DR];
    bool zero_after = after_zero >= after_data;
    double after = fmax(0, zero_after ? after_zero : after_data);
    double after_se = zero_after ? hypot(se[ZRW], se[ZR]) : hypot(se[DRW], se[DR]);
    if (cal_result_add(r, "touch.lazy_read", fmax(0, ps[ZR]), NAN, se[ZR], reps) != 0 ||
        cal_result_add(r, "touch.lazy_read_image", fmax(0, ps[DR]), NAN, se[DR], reps) != 0 ||
        cal_result_add(r, "touch.lazy_write_first", fmax(0, ps[first]), NAN, se[first], reps) != 0)
        return -1;
    return cal_result_add(r, "touch.lazy_write", after, NAN, after_se, reps);
}

/* The PMU's measured misprediction rate when it counted them (mispredict.h), else the design's. */
static double design_or_pmu_rate(const mb_spec *specs, const measurement *m, const bool *ok, size_t n,
                                 mb_family family, double design)
{
    double measured = mispredict_pmu_rate(specs, m, ok, n, family);
    return isnan(measured) || measured <= 0 ? design : measured;
}

/* Chains whose units run one more op (a remainder chain's re-widening xor): the series'
 * slope less that op's latency, not below 0. */
static void subtract_extra_ops(const mb_spec *specs, const bool *ok, size_t n, cal_result *r)
{
    for (size_t i = 0; i < n; i++) {
        int extra = mb_chain_extra_op(&specs[i]);
        if (!ok[i] || extra < 0 || specs[i].units == 0 || seen(specs, i, specs[i].series)) continue;
        char key[96];
        snprintf(key, sizeof key, "op.%s.lat", pvm_op_table[extra].name);
        const cal_value *x = cal_result_find(r, key);
        cal_value *v = (cal_value *)cal_result_find(r, specs[i].series);
        if (v && x && isfinite(x->ps)) v->ps = fmax(0, v->ps - x->ps);
    }
}

int calibration_fit(const mb_spec *specs, const measurement *m, const bool *ok, size_t n, cal_result *out)
{
    memset(out, 0, sizeof *out);
    out->fit = json_object_new_object();
    json_object *series = json_object_new_array(), *nnls = json_object_new_object();
    json_object_object_add(out->fit, "series", series);
    json_object_object_add(out->fit, "nnls", nnls);
    double chase_x[MAX_POINTS], chase_ps[MAX_POINTS];
    size_t chase_n = 0;
    if (fit_all_series(specs, m, ok, n, out, series, chase_x, chase_ps, &chase_n) != 0 ||
        fit_mixed(specs, m, ok, n, MB_BRANCH, "branch", design_or_pmu_rate(specs, m, ok, n, MB_BRANCH, 0.5), out,
                  nnls) != 0 ||
        fit_mixed(specs, m, ok, n, MB_INDIRECT, "indirect", design_or_pmu_rate(specs, m, ok, n, MB_INDIRECT, 7.0 / 8.0),
                  out, nnls) != 0 ||
        add_value(out, "branch.pmu_miss_rate", mispredict_pmu_rate(specs, m, ok, n, MB_BRANCH), NAN, 0) != 0 ||
        add_value(out, "indirect.pmu_miss_rate", mispredict_pmu_rate(specs, m, ok, n, MB_INDIRECT), NAN, 0) != 0 ||
        fit_first_touch(specs, m, ok, n, out) != 0) {
        cal_result_free(out);
        return -1;
    }
    subtract_extra_ops(specs, ok, n, out);
    return 0;
}
