/* Fidelity of an engine over a run's cells: the cells' median time and gas handed to the one
 * summary of results_fidelity.h, so bench runs and stored fidelity sets agree by definition. */
#include "engine_fidelity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "results/results_fidelity.h"

void pvmlab_fidelity_of_engine(const pvmlab_run_table *table, const char *engine, pvmlab_fidelity *out)
{
    memset(out, 0, sizeof *out);
    out->min_ns_per_gas = out->median_ns_per_gas = out->max_ns_per_gas = out->fidelity = NAN;
    out->p95_over_median = (pvmlab_interval){NAN, NAN, NAN};
    out->max_over_median = out->p95_over_median;
    pvmlab_fidelity_point *points = malloc((table->cell_count ? table->cell_count : 1) * sizeof *points);
    if (!points)
        return;
    size_t n = 0;
    for (size_t i = 0; i < table->cell_count; i++) {
        const pvmlab_cell *cell = &table->cells[i];
        if (strcmp(cell->engine, engine) != 0 || !cell->has_gas)
            continue;
        points[n++] = (pvmlab_fidelity_point){.program = cell->benchmark, .ns = cell->median_wall_ns,
                                              .gas = cell->median_gas};
    }
    pvmlab_fidelity_summary s;
    if (pvmlab_fidelity_summarise(points, n, &s) == 0 && s.programs > 0) {
        out->programs = s.programs;
        out->min_ns_per_gas = s.min_ns_per_gas;
        out->median_ns_per_gas = s.median_ns_per_gas;
        out->max_ns_per_gas = s.max_ns_per_gas;
        out->fidelity = s.max_over_median.value;
        out->max_over_median = s.max_over_median;
        out->p95_over_median = s.p95_over_median;
        /* the summary names the worst program; point at the table's own copy of that name */
        for (size_t i = 0; i < table->cell_count && !out->slowest_program; i++)
            if (strcmp(table->cells[i].engine, engine) == 0 && strcmp(table->cells[i].benchmark, s.worst_program) == 0)
                out->slowest_program = table->cells[i].benchmark;
    }
    free(points);
}

int pvmlab_engine_meters(const pvmlab_run_table *table, const char *engine)
{
    for (size_t i = 0; i < table->cell_count; i++)
        if (table->cells[i].has_gas && strcmp(table->cells[i].engine, engine) == 0)
            return 1;
    return 0;
}
