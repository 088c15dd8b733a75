/* clock_gettime: wall time (CLOCK_MONOTONIC_RAW, not slewed by NTP) and thread CPU time. */
#include "backend.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct {
    const char *name;
    clockid_t clock;
    const char *detail;
} CLOCKS[] = {
    {"wall_ns", CLOCK_MONOTONIC_RAW, "clock_gettime(CLOCK_MONOTONIC_RAW)"},
    {"thread_cpu_ns", CLOCK_THREAD_CPUTIME_ID, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)"},
};
enum { CLOCK_COUNT = sizeof CLOCKS / sizeof CLOCKS[0] };

typedef struct clock_state {
    counter_slot slots[CLOCK_COUNT]; /* first member: see counter_backend.slot_count */
    int64_t start_ns[CLOCK_COUNT];
} clock_state;

static int read_clock_ns(clockid_t clock, int64_t *out)
{
    struct timespec now;
    if (clock_gettime(clock, &now) != 0)
        return -1;
    *out = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
    return 0;
}

static void *clock_open(void)
{
    clock_state *state = calloc(1, sizeof *state);
    if (!state)
        return NULL;
    for (size_t i = 0; i < CLOCK_COUNT; i++) {
        struct timespec resolution;
        counter_slot_init(&state->slots[i], CLOCKS[i].name, PVMLAB_SOURCE_CLOCK, "%s", CLOCKS[i].detail);
        if (clock_getres(CLOCKS[i].clock, &resolution) != 0)
            counter_slot_unavailable(&state->slots[i], "%s -> %s", CLOCKS[i].detail, strerror(errno));
    }
    return state;
}



static int clock_start(void *opaque)
{
    clock_state *state = opaque;
    for (size_t i = 0; i < CLOCK_COUNT; i++) {
        counter_slot_reset_interval(&state->slots[i]);
        if (read_clock_ns(CLOCKS[i].clock, &state->start_ns[i]) != 0)
            counter_slot_fail_interval(&state->slots[i], "%s -> %s", CLOCKS[i].detail, strerror(errno));
    }
    return 0;
}

static int clock_stop(void *opaque)
{
    clock_state *state = opaque;
    /* Read in reverse order so the wall clock brackets the CPU clock. */
    for (size_t i = CLOCK_COUNT; i-- > 0;) {
        int64_t end;
        if (!state->slots[i].info.available)
            continue;
        if (read_clock_ns(CLOCKS[i].clock, &end) != 0)
            counter_slot_fail_interval(&state->slots[i], "%s -> %s", CLOCKS[i].detail, strerror(errno));
        else
            counter_slot_set_value(&state->slots[i], end - state->start_ns[i]);
    }
    return 0;
}

const counter_backend counter_backend_clock = {
    .name = "clock",
    .slot_count = CLOCK_COUNT,
    .open = clock_open,
    .start = clock_start,
    .stop = clock_stop,
};
