/* The compare tests' one way to put a guest's median into a set (include after cmocka.h). */
#ifndef PVMLAB_TESTS_COMPARE_ENTRY_ADD_H
#define PVMLAB_TESTS_COMPARE_ENTRY_ADD_H
#include <stdio.h>
#include "bench/runner/compare_data.h"

/* engine's median on guest (size 1, execution mode, 3 samples) into set. */
static inline void add(compare_set *set, const char *engine, const char *guest, double median_wall_ns)
{
    compare_entry entry = {.size = 1, .median_wall_ns = median_wall_ns, .n = 3};
    snprintf(entry.engine, sizeof entry.engine, "%s", engine);
    snprintf(entry.benchmark, sizeof entry.benchmark, "%s", guest);
    snprintf(entry.mode, sizeof entry.mode, "execution");
    assert_int_equal(pvmlab_run_medians_add(set, &entry), 0);
}
#endif
