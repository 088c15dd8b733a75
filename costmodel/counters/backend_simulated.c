/* Deterministic counts, so tests and cost-model fits get the same numbers on every
 * machine: the VM's own instruction and block counts as reported by the caller, and
 * cache misses of the VM's memory trace through a simulated cache hierarchy (cache_sim)
 * with this machine's geometry, or the one PVMLAB_SIM_CACHE names ("32K/8,1M/8,32M/16"). */
#include "backend.h"

#include <stdio.h>
#include <stdlib.h>

#include "cache_sim.h"

enum { SIM_INSTRUCTIONS, SIM_BLOCKS, SIM_ACCESSES, SIM_L1_MISSES, SIM_L2_MISSES, SIM_LL_MISSES, SIM_COUNT };

typedef struct simulated_state {
    counter_slot slots[SIM_COUNT]; /* first member: see counter_backend.slot_count */
    cache_sim *cache;              /* NULL when the geometry could not be set up */
} simulated_state;

static void open_cache(simulated_state *state)
{
    cache_geometry g;
    char err[PVMLAB_COUNTER_TEXT_MAX] = "";
    const char *configured = getenv("PVMLAB_SIM_CACHE");
    if (configured && *configured) {
        if (cache_geometry_parse(configured, &g, err, sizeof err) != 0) g.levels = 0;
    } else {
        cache_geometry_detect(&g, NULL);
    }
    state->cache = g.levels ? cache_sim_new(&g) : NULL;
    if (!state->cache && !err[0]) snprintf(err, sizeof err, "out of memory for the simulated caches");
    char shape[200];
    if (state->cache) cache_geometry_describe(&g, shape, sizeof shape);
    static const char *const what[] = {"line accesses", "L1d misses", "L2 misses", "last-level misses"};
    for (int i = SIM_ACCESSES; i < SIM_COUNT; i++) {
        counter_slot *slot = &state->slots[i];
        static const char *const names[] = {"sim_mem_accesses", "sim_l1_misses", "sim_l2_misses", "sim_ll_misses"};
        counter_slot_init(slot, names[i - SIM_ACCESSES], PVMLAB_SOURCE_SIMULATED,
                          "%s of the VM's memory trace, simulated LRU: %s%s", what[i - SIM_ACCESSES],
                          state->cache ? shape : "", configured && *configured ? " (PVMLAB_SIM_CACHE)" : "");
        if (!state->cache) counter_slot_unavailable(slot, "simulated cache: %s", err);
    }
    if (state->cache && g.levels < 2)
        counter_slot_unavailable(&state->slots[SIM_L2_MISSES], "the simulated geometry has one level");
}

static void *simulated_open(void)
{
    simulated_state *state = calloc(1, sizeof *state);
    if (!state)
        return NULL;
    counter_slot_init(&state->slots[SIM_INSTRUCTIONS], "sim_instructions", PVMLAB_SOURCE_SIMULATED,
                      "instructions executed, as reported by the VM");
    counter_slot_init(&state->slots[SIM_BLOCKS], "sim_blocks", PVMLAB_SOURCE_SIMULATED,
                      "basic blocks entered, as reported by the VM");
    open_cache(state);
    return state;
}

static void simulated_close(void *opaque)
{
    simulated_state *state = opaque;
    cache_sim_free(state->cache);
    free(state);
}

static int simulated_start(void *opaque)
{
    simulated_state *state = opaque;
    for (size_t i = 0; i < SIM_ACCESSES; i++)
        counter_slot_fail_interval(&state->slots[i], "simulated: the caller reported no counts for this interval");
    for (size_t i = SIM_ACCESSES; i < SIM_COUNT; i++)
        counter_slot_fail_interval(&state->slots[i], "simulated: no memory trace was reported for this interval "
                                                     "(the caller traces only interpreter runs it replays)");
    return 0;
}

void counter_backend_simulated_report(void *opaque, uint64_t instructions, uint64_t blocks)
{
    simulated_state *state = opaque;
    counter_slot_set_value(&state->slots[SIM_INSTRUCTIONS], (int64_t)instructions);
    counter_slot_set_value(&state->slots[SIM_BLOCKS], (int64_t)blocks);
}

cache_sim *counter_backend_simulated_cache(void *opaque)
{
    return ((simulated_state *)opaque)->cache;
}

void counter_backend_simulated_report_cache(void *opaque, const cache_sim_counts *delta)
{
    simulated_state *state = opaque;
    if (!state->cache) return;
    size_t last = cache_sim_geometry(state->cache)->levels - 1;
    counter_slot_set_value(&state->slots[SIM_ACCESSES], (int64_t)delta->accesses);
    counter_slot_set_value(&state->slots[SIM_L1_MISSES], (int64_t)delta->misses[0]);
    if (last >= 1) counter_slot_set_value(&state->slots[SIM_L2_MISSES], (int64_t)delta->misses[1]);
    counter_slot_set_value(&state->slots[SIM_LL_MISSES], (int64_t)delta->misses[last]);
}

const counter_backend counter_backend_simulated = {
    .name = "simulated",
    .slot_count = SIM_COUNT,
    .open = simulated_open,
    .close = simulated_close,
    .start = simulated_start,
};
