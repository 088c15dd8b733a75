/* A counter reading as the results store keeps it: one counter's value for one
 * interval, or "unavailable" with the reason (stored as NULL, never 0). The
 * counters library (costmodel/counters) produces these; the store and every
 * reader of the database use the same type, so it lives here, upstream of both. */
#ifndef PVMLAB_RESULTS_COUNTER_READING_H
#define PVMLAB_RESULTS_COUNTER_READING_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pvmlab_counter_source {
    PVMLAB_SOURCE_PMU,
    PVMLAB_SOURCE_TSC,
    PVMLAB_SOURCE_CLOCK,
    PVMLAB_SOURCE_SOFTWARE,
    PVMLAB_SOURCE_SIMULATED,
} pvmlab_counter_source;

/* The lowercase name stored in SQLite ("pmu", "tsc", "clock", "software", "simulated").
 * Returns a static string; "unknown" for an out-of-range value. */
const char *pvmlab_counter_source_name(pvmlab_counter_source source);

enum {
    PVMLAB_COUNTER_NAME_MAX = 48,
    PVMLAB_COUNTER_TEXT_MAX = 192,
};

/* One counter's value for one interval: a value, or unavailable with a reason. */
typedef struct pvmlab_counter_reading {
    char name[PVMLAB_COUNTER_NAME_MAX];
    pvmlab_counter_source source;
    bool available;
    int64_t value;                                   /* meaningful only when available */
    char unavailable_reason[PVMLAB_COUNTER_TEXT_MAX]; /* empty when available */
} pvmlab_counter_reading;

#ifdef __cplusplus
}
#endif
#endif
