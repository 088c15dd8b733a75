/* The counters context: the chosen backends, measured together, read as one list. */
#include "counters.h"
#include "backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    unsigned bit;
    const counter_backend *backend;
} BACKENDS[] = {
    /* Order matters at start/stop: the cheap clocks sit innermost around the measured code. */
    {PVMLAB_BACKEND_PMU, &counter_backend_pmu},
    {PVMLAB_BACKEND_SOFTWARE, &counter_backend_software},
    {PVMLAB_BACKEND_CLOCK, &counter_backend_clock},
    {PVMLAB_BACKEND_TSC, &counter_backend_tsc},
    {PVMLAB_BACKEND_SIMULATED, &counter_backend_simulated},
};
enum { BACKEND_COUNT = sizeof BACKENDS / sizeof BACKENDS[0] };

typedef struct opened_backend {
    const counter_backend *backend;
    void *state;
} opened_backend;

struct pvmlab_counters {
    opened_backend opened[BACKEND_COUNT];
    size_t opened_count;
    void *simulated_state; /* borrowed from opened[], NULL when not opened */
    void *pmu_state;       /* borrowed from opened[], NULL when not opened */
};

int pvmlab_counters_open(unsigned backend_mask, pvmlab_counters **out, char *err, size_t err_len)
{
    *out = NULL;
    if (backend_mask == 0 || (backend_mask & ~(unsigned)PVMLAB_BACKEND_ALL)) {
        snprintf(err, err_len, "counters: backend mask 0x%x names no known backend", backend_mask);
        return -1;
    }
    pvmlab_counters *counters = calloc(1, sizeof *counters);
    if (!counters) {
        snprintf(err, err_len, "counters: out of memory");
        return -1;
    }
    for (size_t i = 0; i < BACKEND_COUNT; i++) {
        if (!(backend_mask & BACKENDS[i].bit))
            continue;
        void *state = BACKENDS[i].backend->open();
        if (!state) {
            snprintf(err, err_len, "counters: out of memory opening the %s backend", BACKENDS[i].backend->name);
            pvmlab_counters_close(counters);
            return -1;
        }
        counters->opened[counters->opened_count++] = (opened_backend){BACKENDS[i].backend, state};
        if (BACKENDS[i].backend == &counter_backend_simulated)
            counters->simulated_state = state;
        if (BACKENDS[i].backend == &counter_backend_pmu)
            counters->pmu_state = state;
    }
    *out = counters;
    return 0;
}

void pvmlab_counters_close(pvmlab_counters *counters)
{
    if (!counters)
        return;
    for (size_t i = 0; i < counters->opened_count; i++) {
        const counter_backend *backend = counters->opened[i].backend;
        if (backend->close)
            backend->close(counters->opened[i].state);
        else
            free(counters->opened[i].state);
    }
    free(counters);
}

/* Finds the slot for a flat index across all backends, or NULL. */
static const counter_slot *slot_at(const pvmlab_counters *counters, size_t index)
{
    for (size_t i = 0; i < counters->opened_count; i++) {
        size_t count = counters->opened[i].backend->slot_count;
        if (index < count)
            return &counter_backend_slots(counters->opened[i].state)[index];
        index -= count;
    }
    return NULL;
}

size_t pvmlab_counters_count(const pvmlab_counters *counters)
{
    size_t total = 0;
    for (size_t i = 0; i < counters->opened_count; i++)
        total += counters->opened[i].backend->slot_count;
    return total;
}

int pvmlab_counters_describe(const pvmlab_counters *counters, size_t index, pvmlab_counter_info *out)
{
    const counter_slot *slot = slot_at(counters, index);
    if (!slot)
        return -1;
    *out = slot->info;
    return 0;
}

const char *pvmlab_counters_pmu_notice(const pvmlab_counters *counters)
{
    return counters->pmu_state ? counter_backend_pmu_notice(counters->pmu_state) : NULL;
}

int pvmlab_counters_start(pvmlab_counters *counters)
{
    int status = 0;
    for (size_t i = 0; i < counters->opened_count; i++)
        if (counters->opened[i].backend->start)
            status |= counters->opened[i].backend->start(counters->opened[i].state);
    return status ? -1 : 0;
}

int pvmlab_counters_stop(pvmlab_counters *counters)
{
    int status = 0;
    for (size_t i = counters->opened_count; i-- > 0;)
        if (counters->opened[i].backend->stop)
            status |= counters->opened[i].backend->stop(counters->opened[i].state);
    return status ? -1 : 0;
}

void pvmlab_counters_report_simulated(pvmlab_counters *counters, uint64_t instructions, uint64_t blocks)
{
    if (counters->simulated_state)
        counter_backend_simulated_report(counters->simulated_state, instructions, blocks);
}

struct cache_sim *pvmlab_counters_cache_sim(pvmlab_counters *counters)
{
    return counters->simulated_state ? counter_backend_simulated_cache(counters->simulated_state) : NULL;
}

void pvmlab_counters_report_cache(pvmlab_counters *counters, const struct cache_sim_counts *delta)
{
    if (counters->simulated_state)
        counter_backend_simulated_report_cache(counters->simulated_state, delta);
}

int pvmlab_counters_read_one(const pvmlab_counters *counters, size_t index, pvmlab_counter_reading *out)
{
    const counter_slot *slot = slot_at(counters, index);
    if (!slot)
        return -1;
    counter_slot_to_reading(slot, out);
    return 0;
}

size_t pvmlab_counters_read(const pvmlab_counters *counters, pvmlab_counter_reading *out, size_t capacity)
{
    size_t total = pvmlab_counters_count(counters);
    for (size_t i = 0; i < total && i < capacity; i++)
        counter_slot_to_reading(slot_at(counters, i), &out[i]);
    return total;
}
