/* Hardware events: libpfm4 names them, perf_event_open counts them in groups. */
#include "backend.h"
#include "perf_group.h"
#include "pfm_encode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each counter lists the libpfm4 names to try, generic perf names first, then PMU-specific
 * ones (Intel, AMD Zen). Counters in one group are read together; two groups keep each
 * small enough to fit the general-purpose counters of common PMUs. */
typedef struct pmu_counter_spec {
    const char *name;
    int group;
    const char *candidates[4];
} pmu_counter_spec;

static const pmu_counter_spec PMU_COUNTERS[] = {
    {"cycles", 0, {"cycles"}},
    {"instructions", 0, {"instructions"}},
    {"branch_misses", 0, {"BRANCH-MISSES"}},
    {"l1d_misses", 0, {"L1-DCACHE-LOAD-MISSES"}},
    {"l2_misses", 1, {"L2_RQSTS:MISS", "L2_CACHE_REQ_STAT:IC_DC_MISS_IN_L2"}},
    {"llc_misses", 1, {"LLC-LOAD-MISSES"}},
    {"stalled_cycles_frontend", 1, {"stalled-cycles-frontend", "IDQ_UOPS_NOT_DELIVERED:CORE"}},
    {"stalled_cycles_backend", 1, {"stalled-cycles-backend", "CYCLE_ACTIVITY:STALLS_TOTAL"}},
};
enum { PMU_COUNTER_COUNT = sizeof PMU_COUNTERS / sizeof PMU_COUNTERS[0], PMU_GROUP_COUNT = 2 };

typedef struct pmu_state {
    counter_slot slots[PMU_COUNTER_COUNT]; /* first member: see counter_backend.slot_count */
    perf_group groups[PMU_GROUP_COUNT];
    bool has_pmu;
    char notice[PVMLAB_COUNTER_TEXT_MAX];
} pmu_state;

/* Tries each candidate name; the first that libpfm4 encodes is used. */
static bool encode_first_candidate(const pmu_counter_spec *spec, counter_slot *slot,
                                   struct perf_event_attr *attr)
{
    char tried[PVMLAB_COUNTER_TEXT_MAX] = "", last_reason[PVMLAB_COUNTER_TEXT_MAX] = "";
    size_t used = 0;
    for (size_t i = 0; i < 4 && spec->candidates[i]; i++) {
        char canonical[PVMLAB_COUNTER_TEXT_MAX];
        if (pfm_encode_event(spec->candidates[i], attr, canonical, sizeof canonical, last_reason,
                             sizeof last_reason) == 0) {
            counter_slot_init(slot, spec->name, PVMLAB_SOURCE_PMU, "%s", canonical);
            return true;
        }
        int n = snprintf(tried + used, sizeof tried - used, "%s%s", i ? ", " : "", spec->candidates[i]);
        if (n > 0 && (size_t)n < sizeof tried - used)
            used += (size_t)n;
    }
    const char *why = strrchr(last_reason, ':'); /* "libpfm4: EVENT: why" -> "why" */
    counter_slot_unavailable(slot, "libpfm4 knows no such event for this machine's PMUs (tried %s: %s)", tried,
                             why ? why + 1 + (why[1] == ' ') : last_reason);
    return false;
}

static void *pmu_open(void)
{
    pmu_state *state = calloc(1, sizeof *state);
    if (!state)
        return NULL;
    for (size_t g = 0; g < PMU_GROUP_COUNT; g++)
        perf_group_init(&state->groups[g]);
    state->has_pmu = pvmlab_pmu_probe(state->notice, sizeof state->notice);
    for (size_t i = 0; i < PMU_COUNTER_COUNT; i++) {
        const pmu_counter_spec *spec = &PMU_COUNTERS[i];
        counter_slot *slot = &state->slots[i];
        counter_slot_init(slot, spec->name, PVMLAB_SOURCE_PMU, NULL);
        struct perf_event_attr attr;
        if (!encode_first_candidate(spec, slot, &attr))
            continue;
        if (!state->has_pmu) {
            /* The encoding is known, but no hardware counts it: say the one reason. */
            counter_slot_unavailable(slot, "%s", state->notice);
            continue;
        }
        perf_group_add(&state->groups[spec->group], slot, &attr);
    }
    for (size_t g = 0; g < PMU_GROUP_COUNT; g++)
        perf_group_open(&state->groups[g]);
    return state;
}

static void pmu_close(void *opaque)
{
    pmu_state *state = opaque;
    for (size_t g = 0; g < PMU_GROUP_COUNT; g++)
        perf_group_close(&state->groups[g]);
    free(state);
}


static int pmu_start(void *opaque)
{
    pmu_state *state = opaque;
    int status = 0;
    for (size_t g = 0; g < PMU_GROUP_COUNT; g++)
        status |= perf_group_start(&state->groups[g]);
    return status ? -1 : 0;
}

static int pmu_stop(void *opaque)
{
    pmu_state *state = opaque;
    int status = 0;
    /* Stop in reverse order so that group 0 (cycles, instructions) covers group 1's stop. */
    for (size_t g = PMU_GROUP_COUNT; g-- > 0;)
        status |= perf_group_stop(&state->groups[g]);
    return status ? -1 : 0;
}

const char *counter_backend_pmu_notice(void *opaque)
{
    pmu_state *state = opaque;
    return state->has_pmu ? NULL : state->notice;
}

const counter_backend counter_backend_pmu = {
    .name = "pmu",
    .slot_count = PMU_COUNTER_COUNT,
    .open = pmu_open,
    .close = pmu_close,
    .start = pmu_start,
    .stop = pmu_stop,
};
