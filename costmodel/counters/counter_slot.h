/* A counter slot: what one counter is on this machine plus its result for the last
 * interval. Every backend keeps an array of slots; the context reads them generically. */
#ifndef PVMLAB_COUNTER_SLOT_H
#define PVMLAB_COUNTER_SLOT_H

#include "counters.h"

typedef struct counter_slot {
    pvmlab_counter_info info;
    bool has_value;                                /* set by the last stop */
    int64_t value;
    char interval_reason[PVMLAB_COUNTER_TEXT_MAX]; /* why the last interval has no value */
} counter_slot;

/* Names the slot and marks it available with an optional printf-style detail. */
void counter_slot_init(counter_slot *slot, const char *name, pvmlab_counter_source source,
                       const char *detail_format, ...) __attribute__((format(printf, 4, 5)));

/* Marks the slot unavailable on this machine for the printf-style reason. */
void counter_slot_unavailable(counter_slot *slot, const char *reason_format, ...)
    __attribute__((format(printf, 2, 3)));

/* Clears the interval result before a new measurement. */
void counter_slot_reset_interval(counter_slot *slot);

/* Records the interval's value. */
void counter_slot_set_value(counter_slot *slot, int64_t value);

/* Records why this interval has no value although the counter exists. */
void counter_slot_fail_interval(counter_slot *slot, const char *reason_format, ...)
    __attribute__((format(printf, 2, 3)));

/* Fills a reading from the slot: the value, or unavailable with the machine-level or
 * interval-level reason. */
void counter_slot_to_reading(const counter_slot *slot, pvmlab_counter_reading *out);

#endif
