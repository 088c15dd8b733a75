#include "metric.h"

#include <math.h>
#include <string.h>

#include "engine_fidelity.h"
#include "plots.h"
#include "ratios.h"
#include "vm/util/stats.h"

static const struct {
    const char *name, *label;
} METRICS[PVMLAB_METRIC_COUNT] = {
    [PVMLAB_METRIC_RATIO] = {"ratio", "geomean of engine time / native time"},
    [PVMLAB_METRIC_WALL] = {"wall", "geomean of median wall time (ms)"},
    [PVMLAB_METRIC_GAS] = {"gas", "geomean of median gas"},
    [PVMLAB_METRIC_NS_PER_GAS] = {"ns_per_gas", "median ns per gas"},
};

const char *pvmlab_plot_metric_names(void)
{
    return "ratio wall gas ns_per_gas";
}

int pvmlab_metric_from_name(const char *name)
{
    for (int i = 0; i < PVMLAB_METRIC_COUNT; i++)
        if (strcmp(METRICS[i].name, name) == 0)
            return i;
    return -1;
}

const char *pvmlab_metric_name(pvmlab_metric metric)
{
    return METRICS[metric].name;
}

const char *pvmlab_metric_label(pvmlab_metric metric)
{
    return METRICS[metric].label;
}

double pvmlab_engine_metric(const pvmlab_run_table *table, const char *engine, pvmlab_metric metric)
{
    if (metric == PVMLAB_METRIC_RATIO)
        return pvmlab_geomean_ratio(table, engine, NULL);
    if (metric == PVMLAB_METRIC_NS_PER_GAS) {
        pvmlab_fidelity fidelity;
        pvmlab_fidelity_of_engine(table, engine, &fidelity);
        return fidelity.median_ns_per_gas;
    }
    util_geomean mean = {0};
    for (size_t i = 0; i < table->cell_count; i++) {
        const pvmlab_cell *cell = &table->cells[i];
        if (strcmp(cell->engine, engine) != 0)
            continue;
        if (metric == PVMLAB_METRIC_WALL)
            util_geomean_add(&mean, cell->median_wall_ns / 1e6);
        else if (cell->has_gas)
            util_geomean_add(&mean, cell->median_gas);
    }
    return util_geomean_value(&mean);
}
