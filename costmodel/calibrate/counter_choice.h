/* --counters auto|pmu|tsc|sim: which counter backends to open and where time comes from. */
#ifndef PVMLAB_CAL_COUNTER_CHOICE_H
#define PVMLAB_CAL_COUNTER_CHOICE_H

#include <stddef.h>

#include "costmodel/counters/counters.h"
#include "measure.h"

/* Parses the name; returns 0, or -1 for an unknown one. */
int counter_choice_mask(const char *name, unsigned *mask);

/* Opens the counters for the choice and fills the time source. Returns 0, or -1 with one
 * line in err (e.g. --counters pmu on a machine without a PMU). */
int counter_choice_open(const char *name, pvmlab_counters **out, time_source *time, char *err, size_t err_len);

/* One line listing the counters that are unavailable and why (empty when all work). */
void counter_choice_unavailable(const pvmlab_counters *c, char *buf, size_t cap);

#endif
