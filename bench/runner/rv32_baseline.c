/* The 32-bit block of `pvmlab compare` (see rv32_baseline.h): the ratio table against
 * native-i386 (ratio_table_build), shown for native and the rv32 configurations only. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ratio_table.h"
#include "rv32_baseline.h"
#include "timing_summary.h"

#define I386 "native-i386"

bool rv32_baseline_is_rv32(const char *engine)
{
    return strstr(engine, "-rv32-") != NULL;
}

/* The ratio of the table's engine e on guest g; native's column is turned round into
 * native-i386 / native, what the 32-bit ISA costs natively. */
static double ratio_at(const ratio_table *t, size_t g, size_t e, size_t native)
{
    double r = t->ratios[g * t->engine_count + e];
    return e != native ? r : r > 0 ? 1 / r : NAN;
}

/* The geomean of column e over the rows whose held-out flag is `held` (all rows when
 * selection is false). */
static double column_geomean(const ratio_table *t, size_t e, size_t native, const bool *held_rows, bool selection,
                             bool held, double *scratch)
{
    size_t n = 0;
    for (size_t g = 0; g < t->guest_count; g++) {
        double v = ratio_at(t, g, e, native);
        if (!isnan(v) && (!selection || held_rows[g] == held))
            scratch[n++] = v;
    }
    return bench_geometric_mean(scratch, n);
}

/* Whether set holds, in mode, an rv32 configuration (*rv32) and native-i386 (*i386). */
static void find_engines(const compare_set *set, const char *mode, bool *rv32, bool *i386)
{
    *rv32 = *i386 = false;
    for (size_t i = 0; i < set->count; i++)
        if (strcmp(set->cells[i].mode, mode) == 0) {
            *rv32 = *rv32 || rv32_baseline_is_rv32(set->cells[i].engine);
            *i386 = *i386 || strcmp(set->cells[i].engine, I386) == 0;
        }
}

bool rv32_baseline_wanted(const compare_set *set, const char *mode)
{
    bool rv32, i386;
    find_engines(set, mode, &rv32, &i386);
    return rv32 || i386;
}

void rv32_baseline_print(const compare_set *set, const char *mode, const bench_held_out *held, FILE *out)
{
    bool rv32, i386;
    find_engines(set, mode, &rv32, &i386);
    if (!rv32 && !i386)
        return;
    if (!i386) {
        fprintf(out, "\nrv32 builds against " I386 ": " I386 " has no %s samples in this run (pvmlab bench "
                     "lists it as missing, with the reason, when it cannot run)\n", mode);
        return;
    }
    ratio_table t;
    char err[256];
    if (ratio_table_build(set, I386, mode, &t, err, sizeof err) != 0) {
        fprintf(out, "rv32 builds against " I386 ": %s\n", err);
        return;
    }
    /* Columns: native (turned round; NAN throughout when the run has no native), then each
     * rv32 configuration in the table's order. */
    size_t *columns = malloc((t.engine_count + 1) * sizeof *columns), native = t.engine_count, shown = 1;
    bool *held_rows = calloc(t.guest_count, sizeof *held_rows);
    double *scratch = malloc(t.guest_count * sizeof *scratch);
    if (!columns || !held_rows || !scratch) {
        fprintf(out, "rv32 builds against " I386 ": out of memory\n");
        goto done;
    }
    for (size_t e = 0; e < t.engine_count; e++)
        if (strcmp(t.engines[e], "native") == 0)
            native = e;
        else if (rv32_baseline_is_rv32(t.engines[e]) && shown < 256)
            columns[shown++] = e;
    columns[0] = native;
    for (size_t g = 0; g < t.guest_count; g++)
        held_rows[g] = held && bench_held_out_contains(held, t.guests[g]->benchmark);

    fprintf(out, "\nrv32 builds against " I386 " (the same C, clang-19 -m32 -O2): median / " I386
                 " median; the first column is " I386 " / native, what the 32-bit ISA costs natively\n");
    int widths[256];
    fprintf(out, "%-22s", "guest");
    for (size_t c = 0; c < shown; c++)
        widths[c] = ratio_table_print_title(out, c == 0 ? I386 "/native" : t.engines[columns[c]]);
    fputc('\n', out);
    for (size_t g = 0; g < t.guest_count; g++) {
        fprintf(out, "%-22s", t.guests[g]->benchmark);
        for (size_t c = 0; c < shown; c++)
            ratio_table_print_cell(out, columns[c] < t.engine_count ? ratio_at(&t, g, columns[c], native) : NAN,
                                   widths[c]);
        fputc('\n', out);
    }
    size_t held_count = 0;
    for (size_t g = 0; g < t.guest_count; g++)
        held_count += held_rows[g];
    const struct {
        bool selection, held;
        size_t count;
        const char *label;
    } lines[] = {
        {held != NULL, false, t.guest_count - held_count, held ? "geomean tuned" : "geomean all"},
        {true, true, held_count, "geomean held-out"},
    };
    for (size_t l = 0; l < (held ? 2u : 1u); l++) {
        char label[64];
        snprintf(label, sizeof label, "%s (%zu)", lines[l].label, lines[l].count);
        fprintf(out, "%-22s", label);
        for (size_t c = 0; c < shown; c++)
            ratio_table_print_cell(out,
                                   columns[c] < t.engine_count
                                       ? column_geomean(&t, columns[c], native, held_rows, lines[l].selection,
                                                        lines[l].held, scratch)
                                       : NAN,
                                   widths[c]);
        fputc('\n', out);
    }
done:
    free(columns);
    free(held_rows);
    free(scratch);
    ratio_table_free(&t);
}
