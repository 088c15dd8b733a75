/* Deterministic counts reported by the caller (the VM's own instruction and block counts),
 * so tests and cost-model fits get the same numbers on every machine. */
#include "backend.h"

#include <stdlib.h>

enum { SIM_INSTRUCTIONS, SIM_BLOCKS, SIM_COUNT };

typedef struct simulated_state {
    counter_slot slots[SIM_COUNT]; /* first member: see counter_backend.slot_count */
} simulated_state;

static void *simulated_open(void)
{
    simulated_state *state = calloc(1, sizeof *state);
    if (!state)
        return NULL;
    counter_slot_init(&state->slots[SIM_INSTRUCTIONS], "sim_instructions", PVMLAB_SOURCE_SIMULATED,
                      "instructions executed, as reported by the VM");
    counter_slot_init(&state->slots[SIM_BLOCKS], "sim_blocks", PVMLAB_SOURCE_SIMULATED,
                      "basic blocks entered, as reported by the VM");
    return state;
}



static int simulated_start(void *opaque)
{
    simulated_state *state = opaque;
    for (size_t i = 0; i < SIM_COUNT; i++)
        counter_slot_fail_interval(&state->slots[i], "simulated: the caller reported no counts for this interval");
    return 0;
}


void counter_backend_simulated_report(void *opaque, uint64_t instructions, uint64_t blocks)
{
    simulated_state *state = opaque;
    counter_slot_set_value(&state->slots[SIM_INSTRUCTIONS], (int64_t)instructions);
    counter_slot_set_value(&state->slots[SIM_BLOCKS], (int64_t)blocks);
}

const counter_backend counter_backend_simulated = {
    .name = "simulated",
    .slot_count = SIM_COUNT,
    .open = simulated_open,
    .start = simulated_start,
};
