#include "fidelity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/stats.h"

static double ns_per_gas(const pvmlab_cell *cell)
{
    return cell->has_gas && cell->median_gas > 0.0 ? cell->median_wall_ns / cell->median_gas : NAN;
}

void pvmlab_fidelity_of_engine(const pvmlab_run_table *table, const char *engine, pvmlab_fidelity *out)
{
    memset(out, 0, sizeof *out);
    out->min_ns_per_gas = out->median_ns_per_gas = out->max_ns_per_gas = out->fidelity = NAN;
    double *values = malloc((table->cell_count ? table->cell_count : 1) * sizeof *values);
    if (!values)
        return;
    for (size_t i = 0; i < table->cell_count; i++) {
        const pvmlab_cell *cell = &table->cells[i];
        double value = ns_per_gas(cell);
        if (strcmp(cell->engine, engine) != 0 || isnan(value))
            continue;
        if (out->programs == 0 || value < out->min_ns_per_gas)
            out->min_ns_per_gas = value;
        if (out->programs == 0 || value > out->max_ns_per_gas) {
            out->max_ns_per_gas = value;
            out->slowest_program = cell->benchmark;
        }
        values[out->programs++] = value;
    }
    out->median_ns_per_gas = util_median_inplace(values, out->programs);
    if (out->programs)
        out->fidelity = out->max_ns_per_gas / out->median_ns_per_gas;
    free(values);
}

int pvmlab_engine_meters(const pvmlab_run_table *table, const char *engine)
{
    for (size_t i = 0; i < table->cell_count; i++)
        if (table->cells[i].has_gas && strcmp(table->cells[i].engine, engine) == 0)
            return 1;
    return 0;
}
