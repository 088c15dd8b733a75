/* The pipeline fit (see pipeline_fit.h). */
#include "pipeline_fit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm/gas/gas.h"
#include "vm/gas/pipeline_sim.h"
#include "vm/util/splitmix.h"

const char *pipeline_fit_param_key(pipeline_fit_param k, uint32_t cache_level)
{
    static const char *const load[3] = {"latency.l1", "latency.l2", "latency.l3"};
    switch (k) {
    case PIPELINE_FIT_LOAD: return cache_level >= 1 && cache_level <= 3 ? load[cache_level - 1] : "latency.l2";
    case PIPELINE_FIT_STORE: return "latency.store";
    case PIPELINE_FIT_MISS: return "branch.miss";
    case PIPELINE_FIT_SLACK: return "slack";
    default: return "?";
    }
}

uint32_t *pipeline_fit_param_field(pvm_pipeline_params *p, pipeline_fit_param k)
{
    switch (k) {
    case PIPELINE_FIT_LOAD: return &p->cache_latency[p->cache_level >= 1 && p->cache_level <= 3 ? p->cache_level - 1 : 1];
    case PIPELINE_FIT_STORE: return &p->store_latency;
    case PIPELINE_FIT_MISS: return &p->branch_miss;
    default: return &p->slack;
    }
}

typedef struct ranked {
    double v, w;
} ranked;

/* By value, then weight: a total order on distinct pairs, so the quantiles do not depend on
 * the input order (equal pairs are interchangeable). */
static int compare_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->v != y->v) return (x->v > y->v) - (x->v < y->v);
    return (x->w > y->w) - (x->w < y->w);
}

/* Quantile q of sorted r[0..n) with total weight total: each value sits at the midpoint of its
 * weight, linear between them, the end values beyond the outer midpoints. */
static double quantile_sorted(const ranked *r, size_t n, double total, double q)
{
    double target = q * total, below = 0;
    double prev_pos = 0, prev_v = r[0].v;
    for (size_t i = 0; i < n; i++) {
        double pos = below + r[i].w / 2;
        if (target <= pos) {
            if (i == 0) return r[0].v;
            double t = (target - prev_pos) / (pos - prev_pos);
            return prev_v + t * (r[i].v - prev_v);
        }
        below += r[i].w;
        prev_pos = pos, prev_v = r[i].v;
    }
    return r[n - 1].v;
}

double pipeline_fit_weighted_quantile(const double *v, const double *w, size_t n, double q)
{
    if (n == 0) return NAN;
    ranked *r = malloc(n * sizeof *r);
    if (!r) return NAN;
    double total = 0;
    for (size_t i = 0; i < n; i++) r[i] = (ranked){v[i], w[i]}, total += w[i];
    qsort(r, n, sizeof *r, compare_ranked);
    double x = quantile_sorted(r, n, total, q);
    free(r);
    return x;
}

/* The objective over the programs with weight > 0 (scratch: n entries). */
static double objective_with(const double *ps, const double *gas, const double *w, size_t n, ranked *scratch,
                             double *median)
{
    size_t k = 0;
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(w[i] > 0)) continue;
        if (!(gas[i] > 0) || !(ps[i] > 0)) return NAN;
        scratch[k++] = (ranked){log(ps[i] / gas[i]), w[i]};
        total += w[i];
    }
    if (k == 0) return NAN;
    qsort(scratch, k, sizeof *scratch, compare_ranked);
    double mid = quantile_sorted(scratch, k, total, 0.5);
    if (median) *median = exp(mid);
    return quantile_sorted(scratch, k, total, 0.95) - quantile_sorted(scratch, k, total, 0.05);
}

double pipeline_fit_objective(const double *ps, const double *gas, const double *w, size_t n, double *median)
{
    if (median) *median = NAN;
    if (n == 0) return NAN;
    ranked *scratch = malloc(n * sizeof *scratch);
    if (!scratch) return NAN;
    double x = objective_with(ps, gas, w, n, scratch, median);
    free(scratch);
    return x;
}

/* Which fitted parameters a block's cycles depend on (slack never: it is taken off after). */
static unsigned block_depends(const pvm_decoded *d, uint32_t block)
{
    const pvm_block *b = &d->blocks[block];
    unsigned mask = 0;
    for (uint32_t i = 0; i < b->count; i++) {
        const pvm_instr *in = &d->instrs[b->first + i];
        pvm_op op = pvm_gas_charged_op(d, in);
        switch (pvm_op_pipeline_class(op)) {
        case PVM_CLASS_LOAD: mask |= 1u << PIPELINE_FIT_LOAD; break;
        case PVM_CLASS_STORE: mask |= 1u << PIPELINE_FIT_STORE; break;
        case PVM_CLASS_BRANCH:
            if (!pvm_pipeline_branch_predicted(d, in)) mask |= 1u << PIPELINE_FIT_MISS;
            break;
        default: break;
        }
    }
    return mask;
}

uint64_t pipeline_fit_gas(const pvm_pipeline_params *p, const mb_block_profile *profile)
{
    uint64_t gas = 0;
    for (uint32_t b = 0; b < profile->decoded.n_blocks; b++)
        if (profile->entries[b])
            gas += profile->entries[b] * pvm_pipeline_block_cost(p, &profile->decoded, b);
    return gas;
}

/* One executed block of one program. */
typedef struct fit_item {
    size_t program;
    uint32_t block;
    unsigned depends;
    double entries;
    uint64_t cycles; /* under the current parameters */
} fit_item;

typedef struct fit_state {
    const pipeline_fit_program *programs;
    size_t n;
    fit_item *items;
    size_t n_items;
    double *ps, *w, *gas;
    ranked *scratch;
} fit_state;

static double block_gas(const pvm_pipeline_params *p, uint64_t cycles, double entries)
{
    return entries * (double)pvm_pipeline_cost_from_cycles(p, cycles);
}

static void simulate_all(fit_state *s, const pvm_pipeline_params *p)
{
    for (size_t k = 0; k < s->n_items; k++) {
        fit_item *it = &s->items[k];
        it->cycles = pvm_pipeline_run(p, &s->programs[it->program].profile->decoded, it->block, NULL, NULL);
    }
}

/* Every program's gas for each of the nv values of parameter k (the others as in p, whose
 * item cycles are current): out[v * n + i]. */
static void axis_gas(fit_state *s, const pvm_pipeline_params *p, pipeline_fit_param k, const uint32_t *values,
                     size_t nv, double *out)
{
    size_t n = s->n;
    double *base = s->gas; /* the items that do not depend on k */
    memset(base, 0, n * sizeof *base);
    for (size_t j = 0; j < s->n_items; j++) {
        const fit_item *it = &s->items[j];
        if (k != PIPELINE_FIT_SLACK && !(it->depends & (1u << k))) base[it->program] += block_gas(p, it->cycles, it->entries);
    }
    for (size_t v = 0; v < nv; v++) {
        pvm_pipeline_params q = *p;
        *pipeline_fit_param_field(&q, k) = values[v];
        double *g = &out[v * n];
        memcpy(g, base, n * sizeof *g);
        for (size_t j = 0; j < s->n_items; j++) {
            const fit_item *it = &s->items[j];
            if (k == PIPELINE_FIT_SLACK) {
                g[it->program] += block_gas(&q, it->cycles, it->entries);
            } else if (it->depends & (1u << k)) {
                uint64_t cycles = pvm_pipeline_run(&q, &s->programs[it->program].profile->decoded, it->block, NULL, NULL);
                g[it->program] += block_gas(&q, cycles, it->entries);
            }
        }
    }
}

/* The value of the axis with the lowest objective under weights w; ties: the current value,
 * then the smallest. NaN objectives never win. */
static size_t best_on_axis(fit_state *s, const double *matrix, const uint32_t *values, size_t nv, uint32_t current,
                           const double *w, double *best_objective)
{
    size_t best = nv;
    double best_f = INFINITY;
    for (size_t v = 0; v < nv; v++) {
        double f = objective_with(s->ps, &matrix[v * s->n], w, s->n, s->scratch, NULL);
        if (isnan(f)) continue;
        bool better = f < best_f || (f == best_f && values[v] == current);
        if (better) best = v, best_f = f;
    }
    if (best_objective) *best_objective = best_f;
    return best;
}

/* The values lo..hi of an axis, every step-th and hi itself. */
static size_t axis_values(uint32_t lo, uint32_t hi, uint32_t step, uint32_t *values, size_t cap)
{
    size_t nv = 0;
    for (uint64_t v = lo; v <= hi && nv < cap; v += step) values[nv++] = (uint32_t)v;
    if (nv && values[nv - 1] != hi && nv < cap) values[nv++] = hi;
    return nv;
}

/* A window of +-radius around x inside the axis's range. */
static size_t axis_window(const pipeline_fit_config *c, pipeline_fit_param k, uint32_t x, uint32_t radius,
                          uint32_t *values, size_t cap)
{
    uint32_t lo = x > c->min[k] + radius ? x - radius : c->min[k];
    uint32_t hi = x + radius < c->max[k] ? x + radius : c->max[k];
    return axis_values(lo, hi, 1, values, cap);
}

/* Coarse-to-fine search along an axis: every COARSE_STEP-th value, then every value within
 * COARSE_STEP of the best; the bootstrap scans BOOTSTRAP_RADIUS either side of the fit. */
enum { MAX_AXIS = 1024, COARSE_STEP = 4, BOOTSTRAP_RADIUS = 24 };

/* Standard errors: the bootstrap of each parameter's conditional argmin (see pipeline_fit). */
static int bootstrap(fit_state *s, const pipeline_fit_config *c, pipeline_fit_result *out)
{
    size_t n = s->n;
    double *w = malloc(n * sizeof *w), *matrix[PIPELINE_FIT_PARAMS] = {0};
    uint32_t *values[PIPELINE_FIT_PARAMS] = {0};
    size_t nv[PIPELINE_FIT_PARAMS] = {0};
    size_t *members = malloc(n * sizeof *members);
    int rc = -1;
    if (!w || !members) goto done;
    for (int k = 0; k < PIPELINE_FIT_PARAMS; k++) {
        out->se[k] = NAN;
        if (c->fixed[k]) continue;
        values[k] = malloc(MAX_AXIS * sizeof *values[k]);
        if (!values[k]) goto done;
        nv[k] = axis_window(c, (pipeline_fit_param)k, out->value[k], BOOTSTRAP_RADIUS, values[k], MAX_AXIS);
        matrix[k] = malloc(nv[k] * n * sizeof *matrix[k]);
        if (!matrix[k]) goto done;
        axis_gas(s, &out->params, (pipeline_fit_param)k, values[k], nv[k], matrix[k]);
    }
    double sum[PIPELINE_FIT_PARAMS] = {0}, sum2[PIPELINE_FIT_PARAMS] = {0};
    unsigned used[PIPELINE_FIT_PARAMS] = {0};
    uint64_t seed = c->bootstrap_seed;
    int max_stratum = 0;
    for (size_t i = 0; i < n; i++)
        if (s->programs[i].stratum > max_stratum) max_stratum = s->programs[i].stratum;
    for (unsigned r = 0; r < c->bootstrap_rounds; r++) {
        memset(w, 0, n * sizeof *w);
        for (int stratum = 0; stratum <= max_stratum; stratum++) {
            size_t m = 0;
            for (size_t i = 0; i < n; i++)
                if (s->programs[i].stratum == stratum) members[m++] = i;
            for (size_t j = 0; j < m; j++) {
                size_t i = members[util_splitmix64(&seed) % m];
                w[i] += s->programs[i].weight;
            }
        }
        for (int k = 0; k < PIPELINE_FIT_PARAMS; k++) {
            if (!matrix[k]) continue;
            size_t best = best_on_axis(s, matrix[k], values[k], nv[k], out->value[k], w, NULL);
            if (best == nv[k]) continue;
            double x = values[k][best];
            sum[k] += x, sum2[k] += x * x, used[k]++;
        }
    }
    for (int k = 0; k < PIPELINE_FIT_PARAMS; k++)
        if (used[k] >= 2) {
            double mean = sum[k] / used[k], var = (sum2[k] - used[k] * mean * mean) / (used[k] - 1);
            out->se[k] = sqrt(var > 0 ? var : 0);
        }
    rc = 0;
done:
    for (int k = 0; k < PIPELINE_FIT_PARAMS; k++) free(matrix[k]), free(values[k]);
    free(w);
    free(members);
    return rc;
}

static void current_objective(fit_state *s, const pvm_pipeline_params *p, double *objective, double *median)
{
    memset(s->gas, 0, s->n * sizeof *s->gas);
    for (size_t j = 0; j < s->n_items; j++)
        s->gas[s->items[j].program] += block_gas(p, s->items[j].cycles, s->items[j].entries);
    *objective = objective_with(s->ps, s->gas, s->w, s->n, s->scratch, median);
}

/* The objective under q, whose fitted parameters differ from p's (whose item cycles are
 * current) where `changed` has a bit: only the blocks that depend on a changed parameter
 * are simulated again. */
static double objective_at(fit_state *s, const pvm_pipeline_params *q, unsigned changed)
{
    memset(s->gas, 0, s->n * sizeof *s->gas);
    for (size_t j = 0; j < s->n_items; j++) {
        const fit_item *it = &s->items[j];
        uint64_t cycles = it->depends & changed
                              ? pvm_pipeline_run(q, &s->programs[it->program].profile->decoded, it->block, NULL, NULL)
                              : it->cycles;
        s->gas[it->program] += block_gas(q, cycles, it->entries);
    }
    return objective_with(s->ps, s->gas, s->w, s->n, s->scratch, NULL);
}

/* Moves along a ridge that single-parameter steps cannot follow (a higher unpredicted-branch
 * latency with more slack, say): every neighbour of p one step away in any subset of the free
 * parameters (3^k - 1 of them, in a fixed order); the best strict improvement is taken, until
 * there is none. Returns whether p moved. */
static bool polish(fit_state *s, const pipeline_fit_config *c, pvm_pipeline_params *p, double *objective)
{
    int free_k[PIPELINE_FIT_PARAMS], nk = 0;
    for (int k = 0; k < PIPELINE_FIT_PARAMS; k++)
        if (!c->fixed[k]) free_k[nk++] = k;
    unsigned combos = 1;
    for (int i = 0; i < nk; i++) combos *= 3;
    bool moved = false;
    for (;;) {
        pvm_pipeline_params best = *p;
        double best_f = *objective;
        for (unsigned code = 0; code < combos; code++) {
            pvm_pipeline_params q = *p;
            unsigned changed = 0, rest = code;
            bool ok = true;
            for (int i = 0; i < nk; i++, rest /= 3) {
                int step = (int)(rest % 3) - 1;
                if (!step) continue;
                uint32_t *field = pipeline_fit_param_field(&q, (pipeline_fit_param)free_k[i]);
                int64_t v = (int64_t)*field + step;
                if (v < c->min[free_k[i]] || v > c->max[free_k[i]]) ok = false;
                *field = (uint32_t)v;
                changed |= 1u << free_k[i];
            }
            if (!ok || !changed) continue;
            double f = objective_at(s, &q, changed);
            if (f < best_f) best = q, best_f = f;
        }
        if (!(best_f < *objective)) return moved;
        *p = best;
        *objective = best_f;
        simulate_all(s, p);
        moved = true;
    }
}

int pipeline_fit(const pipeline_fit_program *programs, size_t n, const pipeline_fit_config *config,
                 pipeline_fit_result *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    char why[200];
    if (n == 0) {
        snprintf(err, err_len, "no training programs");
        return -1;
    }
    if (pvm_pipeline_params_check(&config->start, why, sizeof why) != 0) {
        snprintf(err, err_len, "start parameters: %s", why);
        return -1;
    }
    for (int k = 0; k < PIPELINE_FIT_PARAMS; k++) {
        uint32_t lowest = k == PIPELINE_FIT_SLACK ? 0 : 1;
        if (!config->fixed[k] && (config->min[k] < lowest || config->max[k] < config->min[k] ||
                                  config->max[k] - config->min[k] >= MAX_AXIS || config->max[k] > PVM_PIPELINE_MAX_LATENCY)) {
            snprintf(err, err_len, "%s: bad search range %u..%u", pipeline_fit_param_key((pipeline_fit_param)k, 2),
                     config->min[k], config->max[k]);
            return -1;
        }
    }
    fit_state s = {.programs = programs, .n = n};
    size_t n_items = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(programs[i].ps > 0) || !(programs[i].weight > 0) || programs[i].stratum < 0) {
            snprintf(err, err_len, "%s: needs a positive time and weight", programs[i].name);
            return -1;
        }
        for (uint32_t b = 0; b < programs[i].profile->decoded.n_blocks; b++) n_items += programs[i].profile->entries[b] > 0;
    }
    s.items = malloc((n_items ? n_items : 1) * sizeof *s.items);
    s.ps = malloc(n * sizeof *s.ps), s.w = malloc(n * sizeof *s.w), s.gas = malloc(n * sizeof *s.gas);
    s.scratch = malloc(n * sizeof *s.scratch);
    uint32_t *values = malloc(MAX_AXIS * sizeof *values);
    double *matrix = NULL;
    int rc = -1;
    if (!s.items || !s.ps || !s.w || !s.gas || !s.scratch || !values) goto oom;
    for (size_t i = 0; i < n; i++) {
        s.ps[i] = programs[i].ps, s.w[i] = programs[i].weight;
        const mb_block_profile *p = programs[i].profile;
        for (uint32_t b = 0; b < p->decoded.n_blocks; b++)
            if (p->entries[b])
                s.items[s.n_items++] = (fit_item){.program = i, .block = b, .depends = block_depends(&p->decoded, b),
                                                  .entries = (double)p->entries[b]};
    }
    matrix = malloc(MAX_AXIS * n * sizeof *matrix);
    if (!matrix) goto oom;
    out->params = config->start;
    out->programs = n;
    simulate_all(&s, &out->params);
    current_objective(&s, &out->params, &out->objective_start, &out->median_ps_per_gas_start);
    unsigned max_passes = config->max_passes ? config->max_passes : 8;
    for (out->passes = 0; out->passes < max_passes;) {
        out->passes++;
        bool changed = false;
        for (int k = 0; k < PIPELINE_FIT_PARAMS; k++) {
            if (config->fixed[k]) continue;
            uint32_t *field = pipeline_fit_param_field(&out->params, (pipeline_fit_param)k);
            /* Coarse (the current value among them, so that staying put is always an option),
             * then fine around the best. */
            size_t nv = axis_values(config->min[k], config->max[k], COARSE_STEP, values, MAX_AXIS - 1);
            if (*field >= config->min[k] && *field <= config->max[k]) values[nv++] = *field;
            axis_gas(&s, &out->params, (pipeline_fit_param)k, values, nv, matrix);
            size_t best = best_on_axis(&s, matrix, values, nv, *field, s.w, NULL);
            if (best == nv) continue;
            nv = axis_window(config, (pipeline_fit_param)k, values[best], COARSE_STEP - 1, values, MAX_AXIS);
            axis_gas(&s, &out->params, (pipeline_fit_param)k, values, nv, matrix);
            double best_f, now_f, median;
            best = best_on_axis(&s, matrix, values, nv, *field, s.w, &best_f);
            current_objective(&s, &out->params, &now_f, &median);
            /* Move only for a strict improvement: the descent cannot cycle. */
            if (best == nv || values[best] == *field || !(best_f < now_f)) continue;
            *field = values[best];
            changed = true;
            if (k != PIPELINE_FIT_SLACK) simulate_all(&s, &out->params);
        }
        if (!changed) { /* converged along the axes: then along the diagonals */
            double f, median;
            current_objective(&s, &out->params, &f, &median);
            if (!polish(&s, config, &out->params, &f)) break;
        }
    }
    if (pvm_pipeline_params_check(&out->params, why, sizeof why) != 0) {
        snprintf(err, err_len, "fitted parameters rejected: %s", why);
        goto fail;
    }
    current_objective(&s, &out->params, &out->objective, &out->median_ps_per_gas);
    for (int k = 0; k < PIPELINE_FIT_PARAMS; k++) {
        out->value[k] = *pipeline_fit_param_field(&out->params, (pipeline_fit_param)k);
        out->at_bound[k] = !config->fixed[k] && (out->value[k] == config->min[k] || out->value[k] == config->max[k]);
        out->se[k] = NAN;
    }
    if (config->bootstrap_rounds >= 2 && bootstrap(&s, config, out) != 0) goto oom;
    rc = 0;
    goto fail;
oom:
    snprintf(err, err_len, "out of memory");
fail:
    free(matrix);
    free(values);
    free(s.items), free(s.ps), free(s.w), free(s.gas), free(s.scratch);
    return rc;
}
