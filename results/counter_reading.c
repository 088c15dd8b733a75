/* Names of counter sources as stored in SQLite (see counter_reading.h). */
#include "counter_reading.h"

const char *pvmlab_counter_source_name(pvmlab_counter_source source)
{
    switch (source) {
    case PVMLAB_SOURCE_PMU: return "pmu";
    case PVMLAB_SOURCE_TSC: return "tsc";
    case PVMLAB_SOURCE_CLOCK: return "clock";
    case PVMLAB_SOURCE_SOFTWARE: return "software";
    case PVMLAB_SOURCE_SIMULATED: return "simulated";
    }
    return "unknown";
}
