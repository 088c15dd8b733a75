/* Engine time relative to native time, per benchmark and as a geometric mean. */
#ifndef PVMLAB_RATIOS_H
#define PVMLAB_RATIOS_H

#include <stddef.h>

#include "run_table.h"

/* median time of engine on benchmark / median native time on it; NAN when either is missing. */
double pvmlab_ratio_to_native(const pvmlab_run_table *table, const char *engine, const char *benchmark);

/* Geometric mean of the ratios of engine over the benchmarks that have one; *count (may be
 * NULL) receives how many entered it. NAN when none. */
double pvmlab_geomean_ratio(const pvmlab_run_table *table, const char *engine, size_t *count);

/* Whether the table has any native cell (ratios are possible). */
int pvmlab_run_table_has_native(const pvmlab_run_table *table);

#endif
