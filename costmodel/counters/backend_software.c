/* Software perf events: counted by the kernel, so they work without a hardware PMU as long
 * as perf_event_open is allowed (kernel.perf_event_paranoid <= 2 for user-space events). */
#include "backend.h"
#include "perf_group.h"

#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    uint64_t config;
    const char *detail;
} SOFTWARE_EVENTS[] = {
    {"task_clock_ns", PERF_COUNT_SW_TASK_CLOCK, "perf software event task-clock (ns on CPU)"},
    {"page_faults", PERF_COUNT_SW_PAGE_FAULTS, "perf software event page-faults"},
    {"context_switches", PERF_COUNT_SW_CONTEXT_SWITCHES, "perf software event context-switches"},
};
enum { SOFTWARE_EVENT_COUNT = sizeof SOFTWARE_EVENTS / sizeof SOFTWARE_EVENTS[0] };

typedef struct software_state {
    counter_slot slots[SOFTWARE_EVENT_COUNT]; /* first member: see counter_backend.slot_count */
    perf_group group;
} software_state;

static void *software_open(void)
{
    software_state *state = calloc(1, sizeof *state);
    if (!state)
        return NULL;
    perf_group_init(&state->group);
    int paranoid = perf_event_paranoid_level();
    for (size_t i = 0; i < SOFTWARE_EVENT_COUNT; i++) {
        counter_slot_init(&state->slots[i], SOFTWARE_EVENTS[i].name, PVMLAB_SOURCE_SOFTWARE,
                          "%s; kernel.perf_event_paranoid=%d", SOFTWARE_EVENTS[i].detail, paranoid);
        struct perf_event_attr attr;
        memset(&attr, 0, sizeof attr);
        attr.type = PERF_TYPE_SOFTWARE;
        attr.config = SOFTWARE_EVENTS[i].config;
        perf_group_add(&state->group, &state->slots[i], &attr);
    }
    perf_group_open(&state->group);
    return state;
}

static void software_close(void *opaque)
{
    software_state *state = opaque;
    perf_group_close(&state->group);
    free(state);
}


static int software_start(void *opaque)
{
    return perf_group_start(&((software_state *)opaque)->group);
}

static int software_stop(void *opaque)
{
    return perf_group_stop(&((software_state *)opaque)->group);
}

const counter_backend counter_backend_software = {
    .name = "software",
    .slot_count = SOFTWARE_EVENT_COUNT,
    .open = software_open,
    .close = software_close,
    .start = software_start,
    .stop = software_stop,
};
