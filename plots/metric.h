/* The per-engine metrics the history figure follows across runs. */
#ifndef PVMLAB_METRIC_H
#define PVMLAB_METRIC_H

#include "run_table.h"

typedef enum pvmlab_metric {
    PVMLAB_METRIC_RATIO,      /* geomean over guests of engine time / native time */
    PVMLAB_METRIC_WALL,       /* geomean over guests of the median wall time, ms */
    PVMLAB_METRIC_GAS,        /* geomean over guests of the median gas */
    PVMLAB_METRIC_NS_PER_GAS, /* median over guests of ns per gas */
    PVMLAB_METRIC_COUNT
} pvmlab_metric;

/* -1 when name is not a metric. */
int pvmlab_metric_from_name(const char *name);
const char *pvmlab_metric_name(pvmlab_metric metric);
/* The axis label, e.g. "geomean of engine time / native time". */
const char *pvmlab_metric_label(pvmlab_metric metric);

/* The metric of engine in table; NAN when the table has nothing to compute it from. */
double pvmlab_engine_metric(const pvmlab_run_table *table, const char *engine, pvmlab_metric metric);

#endif
