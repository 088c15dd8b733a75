/* The 32-bit block of `pvmlab compare` (see rv32_baseline.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rv32_baseline.h"
#include "timing_summary.h"

#define I386 "native-i386"

bool rv32_baseline_is_rv32(const char *engine)
{
    return strstr(engine, "-rv32-") != NULL;
}

static double ratio_of(const compare_set *set, const char *engine, const compare_entry *base, const char *mode)
{
    const compare_entry *e = pvmlab_run_medians_find(set, engine, base->benchmark, base->size, mode);
    return e && base->median_wall_ns > 0 ? e->median_wall_ns / base->median_wall_ns : NAN;
}

static void print_ratio(FILE *out, double ratio, int width)
{
    if (isnan(ratio))
        fprintf(out, " %*s", width, "-");
    else
        fprintf(out, " %*.2f", width, ratio);
}

/* The geomean row of column c over the rows whose held-out flag is `held` (all rows when
 * selection is false). */
static double column_geomean(const double *ratios, const bool *held_rows, size_t rows, size_t columns, size_t c,
                             bool selection, bool held, double *scratch)
{
    size_t n = 0;
    for (size_t r = 0; r < rows; r++) {
        double v = ratios[r * columns + c];
        if (!isnan(v) && (!selection || held_rows[r] == held))
            scratch[n++] = v;
    }
    return bench_geometric_mean(scratch, n);
}

void rv32_baseline_print(const compare_set *set, const char *mode, const bench_held_out *held, FILE *out)
{
    /* Columns: native-i386 (its ratio to native), then each rv32 configuration. */
    const char **columns = calloc(set->count + 1, sizeof *columns);
    const compare_entry **rows = calloc(set->count + 1, sizeof *rows);
    if (!columns || !rows) {
        free(columns);
        free(rows);
        fprintf(out, "rv32 builds against native-i386: out of memory\n");
        return;
    }
    size_t column_count = 1, row_count = 0;
    columns[0] = I386;
    for (size_t i = 0; i < set->count; i++) {
        const compare_entry *e = &set->cells[i];
        if (strcmp(e->mode, mode) != 0)
            continue;
        if (strcmp(e->engine, I386) == 0)
            rows[row_count++] = e;
        else if (rv32_baseline_is_rv32(e->engine)) {
            bool seen = false;
            for (size_t c = 1; c < column_count && !seen; c++)
                seen = strcmp(columns[c], e->engine) == 0;
            if (!seen)
                columns[column_count++] = e->engine;
        }
    }
    if (row_count == 0) {
        if (column_count > 1)
            fprintf(out, "\nrv32 builds against " I386 ": " I386 " has no %s samples in this run (pvmlab bench "
                         "lists it as missing, with the reason, when it cannot run)\n", mode);
        free(columns);
        free(rows);
        return;
    }
    double *ratios = malloc(row_count * column_count * sizeof *ratios);
    bool *held_rows = calloc(row_count, sizeof *held_rows);
    double *scratch = malloc(row_count * sizeof *scratch);
    if (!ratios || !held_rows || !scratch) {
        fprintf(out, "rv32 builds against native-i386: out of memory\n");
        goto done;
    }
    for (size_t r = 0; r < row_count; r++) {
        const compare_entry *native = pvmlab_run_medians_find(set, "native", rows[r]->benchmark, rows[r]->size, mode);
        ratios[r * column_count] =
            native && native->median_wall_ns > 0 ? rows[r]->median_wall_ns / native->median_wall_ns : NAN;
        for (size_t c = 1; c < column_count; c++)
            ratios[r * column_count + c] = ratio_of(set, columns[c], rows[r], mode);
        held_rows[r] = held && bench_held_out_contains(held, rows[r]->benchmark);
    }

    fprintf(out, "\nrv32 builds against " I386 " (the same C, clang-19 -m32 -O2): median / " I386
                 " median; the first column is " I386 " / native, what the 32-bit ISA costs natively\n");
    int widths[256];
    size_t shown = column_count < 256 ? column_count : 256;
    fprintf(out, "%-22s", "guest");
    for (size_t c = 0; c < shown; c++) {
        const char *title = c == 0 ? I386 "/native" : columns[c];
        widths[c] = (int)strlen(title) < 8 ? 8 : (int)strlen(title);
        fprintf(out, " %*s", widths[c], title);
    }
    fputc('\n', out);
    for (size_t r = 0; r < row_count; r++) {
        fprintf(out, "%-22s", rows[r]->benchmark);
        for (size_t c = 0; c < shown; c++)
            print_ratio(out, ratios[r * column_count + c], widths[c]);
        fputc('\n', out);
    }
    size_t held_count = 0;
    for (size_t r = 0; r < row_count; r++)
        held_count += held_rows[r];
    const struct {
        bool selection, held;
        size_t count;
        const char *label;
    } lines[] = {
        {held != NULL, false, row_count - held_count, held ? "geomean tuned" : "geomean all"},
        {true, true, held_count, "geomean held-out"},
    };
    for (size_t l = 0; l < (held ? 2u : 1u); l++) {
        char label[64];
        snprintf(label, sizeof label, "%s (%zu)", lines[l].label, lines[l].count);
        fprintf(out, "%-22s", label);
        for (size_t c = 0; c < shown; c++)
            print_ratio(out,
                        column_geomean(ratios, held_rows, row_count, column_count, c, lines[l].selection,
                                       lines[l].held, scratch),
                        widths[c]);
        fputc('\n', out);
    }
done:
    free(ratios);
    free(held_rows);
    free(scratch);
    free(columns);
    free(rows);
}
