/* The time-stamp counter as a counter: cycles of the constant-rate reference clock. */
#include "backend.h"
#include "tsc_clock.h"

#include <stdlib.h>

typedef struct tsc_state {
    counter_slot slot; /* first member: see counter_backend.slot_count */
    tsc_properties properties;
    uint64_t start;
} tsc_state;

static void *tsc_open(void)
{
    tsc_state *state = calloc(1, sizeof *state);
    if (!state)
        return NULL;
    tsc_detect(&state->properties);
    const tsc_properties *p = &state->properties;
    counter_slot_init(&state->slot, "tsc_cycles", PVMLAB_SOURCE_TSC, "%s; %.1f MHz, %s%s",
                      p->has_rdtscp ? "rdtscp;lfence" : "lfence;rdtsc;lfence", (double)p->hz / 1e6,
                      p->hz_source, p->invariant ? "; invariant" : "; NOT invariant (rate may change)");
    if (!p->present)
        counter_slot_unavailable(&state->slot, "no time-stamp counter (not x86-64, or CPUID lacks TSC)");
    return state;
}



static int tsc_start(void *opaque)
{
    tsc_state *state = opaque;
    counter_slot_reset_interval(&state->slot);
    state->start = tsc_read_ordered(state->properties.has_rdtscp);
    return 0;
}

static int tsc_stop(void *opaque)
{
    tsc_state *state = opaque;
    uint64_t end = tsc_read_ordered(state->properties.has_rdtscp);
    if (!state->properties.present)
        return 0;
    if (end < state->start) {
        counter_slot_fail_interval(&state->slot, "TSC went backwards (thread migrated to an unsynchronised CPU?)");
        return -1;
    }
    counter_slot_set_value(&state->slot, (int64_t)(end - state->start));
    return 0;
}

const counter_backend counter_backend_tsc = {
    .name = "tsc",
    .slot_count = 1,
    .open = tsc_open,
    .start = tsc_start,
    .stop = tsc_stop,
};
