/* The ratio table of `pvmlab compare` (see ratio_table.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "duration_format.h"
#include "ratio_table.h"
#include "timing_summary.h"

static bool contains(const char **names, size_t count, const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(names[i], name) == 0)
            return true;
    return false;
}

int ratio_table_build(const compare_set *set, const char *baseline, const char *mode, ratio_table *out, char *err,
                      size_t err_len)
{
    memset(out, 0, sizeof *out);
    out->guests = calloc(set->count ? set->count : 1, sizeof *out->guests);
    out->engines = calloc(set->count ? set->count : 1, sizeof *out->engines);
    if (!out->guests || !out->engines)
        goto out_of_memory;
    for (size_t i = 0; i < set->count; i++) {
        const compare_entry *e = &set->cells[i];
        if (strcmp(e->mode, mode) != 0)
            continue;
        if (strcmp(e->engine, baseline) == 0)
            out->guests[out->guest_count++] = e;
        else if (!contains(out->engines, out->engine_count, e->engine))
            out->engines[out->engine_count++] = e->engine;
    }
    if (out->guest_count == 0) {
        snprintf(err, err_len, "the baseline engine '%s' has no %s samples in this run", baseline, mode);
        ratio_table_free(out);
        return -1;
    }
    out->ratios = malloc(out->guest_count * (out->engine_count ? out->engine_count : 1) * sizeof *out->ratios);
    out->geomeans = malloc((out->engine_count ? out->engine_count : 1) * sizeof *out->geomeans);
    out->geomeans_min = malloc((out->engine_count ? out->engine_count : 1) * sizeof *out->geomeans_min);
    out->row_entries = calloc(out->guest_count * (out->engine_count ? out->engine_count : 1), sizeof *out->row_entries);
    out->spans_machines = compare_set_spans_machines(set);
    double *column = malloc(out->guest_count * sizeof *column);
    double *column_min = malloc(out->guest_count * sizeof *column_min);
    if (!out->ratios || !out->geomeans || !out->geomeans_min || !out->row_entries || !column || !column_min) {
        free(column);
        free(column_min);
        goto out_of_memory;
    }
    for (size_t e = 0; e < out->engine_count; e++) {
        size_t present = 0, present_min = 0;
        for (size_t g = 0; g < out->guest_count; g++) {
            const compare_entry *base = out->guests[g];
            const compare_entry *other = pvmlab_run_medians_find(set, out->engines[e], base->benchmark, base->size, mode);
            double ratio = other && base->median_wall_ns > 0 ? other->median_wall_ns / base->median_wall_ns : NAN;
            out->row_entries[g * out->engine_count + e] = other;
            out->ratios[g * out->engine_count + e] = ratio;
            if (isnan(ratio))
                continue;
            column[present++] = ratio;
            if (base->min_wall_ns > 0 && other->min_wall_ns > 0)
                column_min[present_min++] = other->min_wall_ns / base->min_wall_ns;
        }
        out->geomeans[e] = bench_geometric_mean(column, present);
        /* Over the same guests as the median's geomean, or not at all. */
        out->geomeans_min[e] = present_min == present ? bench_geometric_mean(column_min, present_min) : NAN;
    }
    free(column);
    free(column_min);
    return 0;
out_of_memory:
    snprintf(err, err_len, "out of memory");
    ratio_table_free(out);
    return -1;
}

void ratio_table_print_cell(FILE *out, double ratio, int width)
{
    if (isnan(ratio))
        fprintf(out, " %*s", width, "-");
    else
        fprintf(out, " %*.2f", width, ratio);
}

int ratio_table_print_title(FILE *out, const char *title)
{
    int width = (int)strlen(title) < 8 ? 8 : (int)strlen(title);
    fprintf(out, " %*s", width, title);
    return width;
}

/* The machine of a guest row; when an engine's entry of the row was measured elsewhere,
 * the ratio mixes machines and the row says so. */
static void print_machine(FILE *out, const ratio_table *table, size_t guest)
{
    const compare_entry *base = table->guests[guest];
    bool mixed = strcmp(base->machine, "(several)") == 0;
    for (size_t e = 0; e < table->engine_count && !mixed; e++) {
        const compare_entry *other = table->row_entries[guest * table->engine_count + e];
        mixed = other && strcmp(other->machine, base->machine) != 0;
    }
    fprintf(out, "  %s%s", base->machine, mixed ? " (ratios across machines!)" : "");
}

void ratio_table_print(const ratio_table *table, const char *baseline, FILE *out)
{
    bool machines = table->spans_machines;
    int widths[256];
    size_t shown = table->engine_count < 256 ? table->engine_count : 256;
    fprintf(out, "ratio to %s (median time / %s median; > 1 is slower)\n", baseline, baseline);
    int base_width = (int)strlen(baseline) > 12 ? (int)strlen(baseline) : 12;
    fprintf(out, "%-20s %*s", "guest", base_width, baseline);
    for (size_t e = 0; e < shown; e++)
        widths[e] = ratio_table_print_title(out, table->engines[e]);
    if (machines)
        fprintf(out, "  machine");
    fputc('\n', out);
    for (size_t g = 0; g < table->guest_count; g++) {
        char base[32];
        bench_format_duration(table->guests[g]->median_wall_ns, base, sizeof base);
        fprintf(out, "%-20s %*s", table->guests[g]->benchmark, base_width, base);
        for (size_t e = 0; e < shown; e++)
            ratio_table_print_cell(out, table->ratios[g * table->engine_count + e], widths[e]);
        if (machines)
            print_machine(out, table, g);
        fputc('\n', out);
    }
    fprintf(out, "%-20s %*s", "geomean", base_width, "1.00");
    for (size_t e = 0; e < shown; e++)
        ratio_table_print_cell(out, table->geomeans[e], widths[e]);
    fputc('\n', out);
    /* The fastest samples' ratios: a shared host's slow stretches add time to whichever
     * engine they fall on, and the minimum is what they touch least. */
    fprintf(out, "%-20s %*s", "geomean of minima", base_width, "1.00");
    for (size_t e = 0; e < shown; e++)
        ratio_table_print_cell(out, table->geomeans_min[e], widths[e]);
    fputc('\n', out);
}

void ratio_table_free(ratio_table *table)
{
    free(table->guests);
    free(table->engines);
    free(table->ratios);
    free(table->geomeans);
    free(table->geomeans_min);
    free(table->row_entries);
    memset(table, 0, sizeof *table);
}
