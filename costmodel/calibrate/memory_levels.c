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
static json_object *fit_sweep(const sweep_point *pts, size_t n, const cache_geometry *g, double level_ps[LABELS],
                              double level_se[LABELS], size_t level_points[LABELS])
{
    json_object *a = json_object_new_array();
    double low = 0;
    for (int k = 0; k < LABELS; k++) {
        level_ps[k] = level_se[k] = NAN, level_points[k] = 0;
        double high = k < (int)g->levels && k < 3 ? (double)g->level[k].size : INFINITY;
        if (k == LABELS - 1) high = INFINITY;
        if (k >= (int)g->levels && k < LABELS - 1) continue; /* a level the geometry lacks */
        sweep_point region[MAX_SIZES];
        double x[MAX_SIZES], y[MAX_SIZES];
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (pts[i].bytes > low && pts[i].bytes <= high) region[m] = pts[i], x[m] = pts[i].bytes, y[m++] = pts[i].ps;
        low = high;
        if (m == 0) continue;
        fit_plateau p[FIT_MAX_PLATEAUS];
        size_t np = fit_plateaus(x, y, m, 0.3, 2, p, FIT_MAX_PLATEAUS);
        for (size_t i = 0; i < np; i++) {
            bool use = isnan(level_ps[k]) && p[i].points >= 2;
            if (use) level_ps[k] = p[i].level, level_se[k] = plateau_se(region, m, &p[i]), level_points[k] = p[i].points;
            json_object_array_add(a, plateau_json(&p[i], LABEL[k], use, NULL));
        }
        if (isnan(level_ps[k]) && m >= 3) {
            fit_plateau all = {util_median(y, m), x[0], x[m - 1], m};
            level_ps[k] = all.level, level_se[k] = plateau_se(region, m, &all), level_points[k] = m;
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

int memory_levels_fit(cal_result *r, const cache_geometry *g)
{
    sweep_point small[MAX_SIZES], huge[MAX_SIZES];
    size_t n_small = gather(r, "chase", small), n_huge = gather(r, "chase_huge", huge);
    double ps_small[LABELS], ps_huge[LABELS], se_small[LABELS], se_huge[LABELS];
    size_t pts_small[LABELS], pts_huge[LABELS];
    json_object_object_add(r->fit, "cache_geometry", geometry_json(g));
    json_object_object_add(r->fit, "plateaus", fit_sweep(small, n_small, g, ps_small, se_small, pts_small));
    json_object_object_add(r->fit, "plateaus_huge", fit_sweep(huge, n_huge, g, ps_huge, se_huge, pts_huge));
    char key[64];
    for (int k = 0; k < LABELS; k++) {
        if (!isnan(ps_small[k])) {
            snprintf(key, sizeof key, "mem.%s", LABEL[k]);
            if (cal_result_add(r, key, ps_small[k], NAN, se_small[k], (int64_t)pts_small[k]) != 0) return -1;
        }
        if (!isnan(ps_huge[k])) {
            snprintf(key, sizeof key, "mem.huge.%s", LABEL[k]);
            if (cal_result_add(r, key, ps_huge[k], NAN, se_huge[k], (int64_t)pts_huge[k]) != 0) return -1;
        }
        if (!isnan(ps_small[k]) && !isnan(ps_huge[k])) {
            snprintf(key, sizeof key, "tlb.%s", LABEL[k]);
            if (cal_result_add(r, key, ps_small[k] - ps_huge[k], NAN, hypot(se_small[k], se_huge[k]),
                               (int64_t)(pts_small[k] + pts_huge[k])) != 0)
                return -1;
        }
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
