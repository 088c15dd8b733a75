/* PMU branch misses of the designed predictable/unpredictable pairs. */
#include "mispredict.h"

#include <math.h>

#include "costmodel/fit/fit.h"
#include "vm/util/stats.h"

enum { MAX_PAIRS = 16 };

double mispredict_pmu_rate(const mb_spec *specs, const measurement *m, const bool *ok, size_t n, mb_family family)
{
    double rates[MAX_PAIRS];
    size_t pairs = 0;
    for (size_t i = 0; i < n && pairs < MAX_PAIRS; i++) {
        if (!ok[i] || specs[i].family != family || !specs[i].random || isnan(m[i].branch_misses)) continue;
        for (size_t j = 0; j < n; j++) {
            if (!ok[j] || specs[j].family != family || specs[j].random || specs[j].units != specs[i].units ||
                specs[j].trips != specs[i].trips || isnan(m[j].branch_misses))
                continue;
            double units = (double)specs[i].trips * specs[i].units;
            rates[pairs++] = (m[i].branch_misses - m[j].branch_misses) / units;
            break;
        }
    }
    return pairs ? util_median(rates, pairs) : NAN;
}
