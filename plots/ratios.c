#include "ratios.h"

#include <math.h>

#include "vm/util/stats.h"

double pvmlab_ratio_to_native(const pvmlab_run_table *table, const char *engine, const char *benchmark)
{
    const pvmlab_cell *cell = pvmlab_run_table_find(table, engine, benchmark);
    double native = pvmlab_run_table_native_ns(table, benchmark);
    if (!cell || !(native > 0.0))
        return NAN;
    return cell->median_wall_ns / native;
}

double pvmlab_geomean_ratio(const pvmlab_run_table *table, const char *engine, size_t *count)
{
    util_geomean mean = {0};
    for (size_t i = 0; i < table->benchmark_count; i++)
        util_geomean_add(&mean, pvmlab_ratio_to_native(table, engine, table->benchmarks[i]));
    if (count)
        *count = mean.count;
    return util_geomean_value(&mean);
}

int pvmlab_run_table_has_native(const pvmlab_run_table *table)
{
    for (size_t i = 0; i < table->cell_count; i++)
        if (table->cells[i].is_native)
            return 1;
    return 0;
}
