/* What a calibration value (calibration_values.value_ps) is measured in. Most keys are
 * picoseconds; costmodel/calibrate/README.md lists the few that are not. */
#ifndef PVMLAB_CALIBRATION_VALUE_UNIT_H
#define PVMLAB_CALIBRATION_VALUE_UNIT_H

#include <stdbool.h>

/* "ps"; "ps per gas" for the gas units (unit.ps_per_gas, pipeline.*.unit.ps_per_gas);
 * "misses per unit" for the PMU's misprediction rates (*.pmu_miss_rate); "ln(p95/p5)" for
 * the pipeline fit's objective; "model cycles" for the fitted pipeline parameters. */
const char *pvmlab_calibration_value_unit(const char *key);

/* Whether the value is a time (ps or ps per gas): only those have a cycles equivalent. */
bool pvmlab_calibration_value_is_time(const char *key);

#endif
