#include "calibration_value_unit.h"

#include <string.h>

#include "vm/util/text.h"

const char *pvmlab_calibration_value_unit(const char *key)
{
    if (util_ends_with(key, "unit.ps_per_gas")) return "ps per gas";
    if (util_ends_with(key, ".pmu_miss_rate")) return "misses per unit";
    if (strncmp(key, "core.", 5) == 0) return "ratio"; /* the core-sharing probe's floor */
    if (strncmp(key, "pipeline.", 9) == 0) return util_ends_with(key, ".objective") ? "ln(p95/p5)" : "model cycles";
    return "ps";
}

bool pvmlab_calibration_value_is_time(const char *key)
{
    const char *unit = pvmlab_calibration_value_unit(key);
    return strcmp(unit, "ps") == 0 || strcmp(unit, "ps per gas") == 0;
}
