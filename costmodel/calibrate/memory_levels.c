/* Plateaus of the chase sweep, labelled by the cache sizes. */
#include "memory_levels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "costmodel/fit/fit.h"
#include "vm/util/stats.h"

enum { MAX_SIZES = 256, LABELS = 4 };
static const char *const LABEL[LABELS] = {"l1", "l2", "l3", "dram"};

const char *memory_level_of(const cache_geometry *g, double first_bytes)
{
    for (size_t k = 0; k < g->levels && k < 3; k++)
        if (first_bytes <= (double)g->level[k].size) return LABEL[k];
    return LABEL[3];
}

typedef struct sweep_point {
    double bytes, ps;
} sweep_point;

static int by_bytes(const void *a, const void *b)
{
    double x = ((const sweep_point *)a)->bytes, y = ((const sweep_point *)b)->bytes;
    return (x > y) - (x < y);
}

/* The values whose key is PREFIX.BYTES, sorted by BYTES. */
static size_t gather(const cal_result *r, const char *prefix, sweep_point *out)
{
    size_t n = 0, len = strlen(prefix);
    for (size_t i = 0; i < r->count && n < MAX_SIZES; i++) {
        const char *key = r->values[i].key;
        char *end;
        if (strncmp(key, prefix, len) != 0 || key[len] != '.') continue;
        double bytes = strtod(key + len + 1, &end);
        if (*end || !(bytes > 0) || isnan(r->values[i].ps)) continue;
        out[n++] = (sweep_point){bytes, r->values[i].ps};
    }
    qsort(out, n, sizeof *out, by_bytes);
    return n;
}

/* Standard error of a plateau's level: the spread of its points over the root of their
 * number (NaN for a single point). */
static double plateau_se(const sweep_point *pts, size_t n, const fit_plateau *p)
{
    double sum = 0, sum2 = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (pts[i].bytes >= p->first_x && pts[i].bytes <= p->last_x) sum += pts[i].ps, sum2 += pts[i].ps * pts[i].ps, k++;
    if (k < 2) return NAN;
    double var = (sum2 - sum * sum / (double)k) / (double)(k - 1);
    return sqrt(fmax(var, 0) / (double)k);
}

static json_object *plateau_json(const fit_plateau *p, const char *label, bool used, const char *how)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "level_ps", json_object_new_double(p->level));
    json_object_object_add(o, "first_bytes", json_object_new_int64((int64_t)p->first_x));
    json_object_object_add(o, "last_bytes", json_object_new_int64((int64_t)p->last_x));
    json_object_object_add(o, "points", json_object_new_int64((int64_t)p->points));
    json_object_object_add(o, "label", json_object_new_string(label));
    /* A second plateau inside one level is a TLB or prefetch step: kept here only. */
    json_object_object_add(o, "used", json_object_new_boolean(used));
    if (how) json_object_object_add(o, "how", json_object_new_string(how));
    return o;
}

/* Fits one sweep level by level: the points inside each level's sizes (beyond the last
 * level: DRAM) are searched for plateaus on their own, so no plateau spans two levels; the
 * first plateau of two or more points is the level's latency. A level whose points (three
 * or more) form no such plateau gets their median. level_ps[label] is NaN when absent. */
typedef struct level_fit {
    double ps[LABELS], se[LABELS];
    size_t points[LABELS];
    double first[LABELS], last[LABELS]; /* the sizes of the plateau used, the level's own bounds */
    double low[LABELS], high[LABELS];
} level_fit;

static json_object *fit_sweep(const sweep_point *pts, size_t n, const cache_geometry *g, level_fit *out)
{
    double *level_ps = out->ps, *level_se = out->se;
    size_t *level_points = out->points;
    json_object *a = json_object_new_array();
    double low = 0;
    for (int k = 0; k < LABELS; k++) {
        level_ps[k] = level_se[k] = NAN, level_points[k] = 0;
        out->first[k] = out->last[k] = NAN;
        double high = k < (int)g->levels && k < 3 ? (double)g->level[k].size : INFINITY;
        if (k == LABELS - 1) high = INFINITY;
        if (k >= (int)g->levels && k < LABELS - 1) continue; /* a level the geometry lacks */
        sweep_point region[MAX_SIZES];
        double x[MAX_SIZES], y[MAX_SIZES];
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (pts[i].bytes > low && pts[i].bytes <= high) region[m] = pts[i], x[m] = pts[i].bytes, y[m++] = pts[i].ps;
        out->low[k] = low, out->high[k] = high;
        low = high;
        if (m == 0) continue;
        fit_plateau p[FIT_MAX_PLATEAUS];
        size_t np = fit_plateaus(x, y, m, 0.3, 2, p, FIT_MAX_PLATEAUS);
        for (size_t i = 0; i < np; i++) {
            bool use = isnan(level_ps[k]) && p[i].points >= 2;
            if (use) {
                level_ps[k] = p[i].level, level_se[k] = plateau_se(region, m, &p[i]), level_points[k] = p[i].points;
                out->first[k] = p[i].first_x, out->last[k] = p[i].last_x;
            }
            json_object_array_add(a, plateau_json(&p[i], LABEL[k], use, NULL));
        }
        if (isnan(level_ps[k]) && m >= 3) {
            fit_plateau all = {util_median(y, m), x[0], x[m - 1], m};
            level_ps[k] = all.level, level_se[k] = plateau_se(region, m, &all), level_points[k] = m;
            out->first[k] = x[0], out->last[k] = x[m - 1];
            json_object_array_add(a, plateau_json(&all, LABEL[k], true, "median of the level's sizes: no plateau"));
        }
    }
    return a;
}

static json_object *geometry_json(const cache_geometry *g)
{
    json_object *o = json_object_new_object(), *levels = json_object_new_array();
    json_object_object_add(o, "source", json_object_new_string(g->source));
    json_object_object_add(o, "notice", json_object_new_string(g->notice));
    for (size_t k = 0; k < g->levels; k++) {
        json_object *l = json_object_new_object();
        json_object_object_add(l, "bytes", json_object_new_int64((int64_t)g->level[k].size));
        json_object_object_add(l, "ways", json_object_new_int64(g->level[k].ways));
        json_object_object_add(l, "line", json_object_new_int64(g->level[k].line));
        json_object_object_add(l, "assumed", json_object_new_boolean(g->level[k].assumed));
        json_object_array_add(levels, l);
    }
    json_object_object_add(o, "levels", levels);
    return o;
}

/* The TLB share of a level: 4 KiB-page minus huge-page time of the same working sets, the
 * median over the sizes both sweeps measured inside the 4 KiB plateau the level's latency
 * came from (else anywhere in the level), with the spread of those differences over the
 * root of their number as its error; without a shared size, the two plateaus' difference.
 * A TLB miss cannot make a load cheaper: a negative share is noise (or the kernel gave no
 * huge pages), stored as 0 with the reason in fit_results.tlb. Returns the share, NaN none. */
static double tlb_share(const sweep_point *small, size_t n_small, const sweep_point *huge, size_t n_huge,
                        const level_fit *s, const level_fit *h, int k, double *se, size_t *pairs, json_object *notes)
{
    double diff[MAX_SIZES];
    size_t m = 0;
    for (int pass = 0; pass < 2 && m == 0; pass++) {
        double lo = pass ? s->low[k] : s->first[k], hi = pass ? s->high[k] : s->last[k];
        if (pass) lo = nextafter(lo, INFINITY); /* the level's bounds: (low, high] */
        for (size_t i = 0; i < n_small; i++) {
            if (!(small[i].bytes >= lo && small[i].bytes <= hi)) continue;
            for (size_t j = 0; j < n_huge; j++)
                if (huge[j].bytes == small[i].bytes) diff[m++] = small[i].ps - huge[j].ps;
        }
    }
    double share;
    const char *how;
    if (m) {
        share = util_median(diff, m);
        double sum = 0, sum2 = 0;
        for (size_t i = 0; i < m; i++) sum += diff[i], sum2 += diff[i] * diff[i];
        *se = m >= 2 ? sqrt(fmax((sum2 - sum * sum / (double)m) / (double)(m - 1), 0) / (double)m) : NAN;
        how = "median of the paired sizes' differences";
    } else if (!isnan(s->ps[k]) && !isnan(h->ps[k])) {
        share = s->ps[k] - h->ps[k];
        *se = hypot(s->se[k], h->se[k]);
        how = "difference of the plateaus: no size measured on both page sizes";
    } else {
        return NAN;
    }
    *pairs = m;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "level", json_object_new_string(LABEL[k]));
    json_object_object_add(o, "pairs", json_object_new_int64((int64_t)m));
    json_object_object_add(o, "measured_ps", json_object_new_double(share));
    json_object_object_add(o, "how", json_object_new_string(how));
    if (share < 0) {
        json_object_object_add(o, "clamped", json_object_new_string(
            "negative: huge pages measured slower than 4 KiB pages at these sizes, which a TLB cannot cause "
            "(noise, or no huge pages granted); stored as 0"));
        share = 0;
    }
    json_object_array_add(notes, o);
    return share;
}

int memory_levels_fit(cal_result *r, const cache_geometry *g)
{
    sweep_point small[MAX_SIZES], huge[MAX_SIZES];
    size_t n_small = gather(r, "chase", small), n_huge = gather(r, "chase_huge", huge);
    level_fit s, h;
    json_object_object_add(r->fit, "cache_geometry", geometry_json(g));
    json_object_object_add(r->fit, "plateaus", fit_sweep(small, n_small, g, &s));
    json_object_object_add(r->fit, "plateaus_huge", fit_sweep(huge, n_huge, g, &h));
    json_object *notes = json_object_new_array();
    json_object_object_add(r->fit, "tlb", notes);
    char key[64];
    for (int k = 0; k < LABELS; k++) {
        if (!isnan(s.ps[k])) {
            snprintf(key, sizeof key, "mem.%s", LABEL[k]);
            if (cal_result_add(r, key, s.ps[k], NAN, s.se[k], (int64_t)s.points[k]) != 0) return -1;
        }
        if (!isnan(h.ps[k])) {
            snprintf(key, sizeof key, "mem.huge.%s", LABEL[k]);
            if (cal_result_add(r, key, h.ps[k], NAN, h.se[k], (int64_t)h.points[k]) != 0) return -1;
        }
        if (isnan(s.ps[k]) || !n_huge) continue; /* no 4 KiB latency, or no huge-page sweep */
        double se = NAN;
        size_t pairs = 0;
        double share = tlb_share(small, n_small, huge, n_huge, &s, &h, k, &se, &pairs, notes);
        if (isnan(share)) continue;
        snprintf(key, sizeof key, "tlb.%s", LABEL[k]);
        if (cal_result_add(r, key, share, NAN, se, (int64_t)(pairs ? 2 * pairs : s.points[k] + h.points[k])) != 0)
            return -1;
    }
    return 0;
}

bool memory_thp_available(char *why, size_t len)
{
    const char *path = "/sys/kernel/mm/transparent_hugepage/enabled";
    FILE *f = fopen(path, "r");
    char mode[128] = "";
    if (!f || !fgets(mode, sizeof mode, f)) {
        if (f) fclose(f);
        snprintf(why, len, "transparent huge pages unavailable: %s cannot be read", path);
        return false;
    }
    fclose(f);
    mode[strcspn(mode, "\n")] = '\0';
    bool on = strstr(mode, "[always]") || strstr(mode, "[madvise]");
    snprintf(why, len, "transparent huge pages %s (%s: %s)", on ? "available" : "unavailable", path, mode);
    return on;
}
