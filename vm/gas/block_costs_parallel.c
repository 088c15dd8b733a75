/* Block costs on two threads (see block_costs_parallel.h). */
#include "block_costs_parallel.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "block_cost_cache.h"
#include "pipeline_sim.h"
#include "vm/util/clock.h"
#include "vm/util/env_switch.h"

/* Below this many instructions a thread's start (tens of microseconds) costs
 * more than the half of the simulation it takes over. */
#define PARALLEL_MIN_INSTRS 16384

typedef struct {
    const pvm_cost_model *m;
    const pvm_decoded *d;
    uint32_t *costs;
    uint32_t first, end; /* blocks */
    uint64_t cpu_ns;
} half;

/* Blocks [first, end): memoised, or block by block when out of memory for the memo. */
static void costs_of_range(const pvm_cost_model *m, const pvm_decoded *d, uint32_t *costs, uint32_t first,
                           uint32_t end)
{
    if (pvm_pipeline_block_costs_range(m->pipeline, d, costs, first, end)) return;
    for (uint32_t b = first; b < end; b++) costs[b] = pvm_gas_block_cost(m, d, b);
}

static void *run_half(void *arg)
{
    half *h = arg;
    uint64_t c0 = util_thread_cpu_ns();
    costs_of_range(h->m, h->d, h->costs, h->first, h->end);
    h->cpu_ns = util_thread_cpu_ns() - c0;
    return NULL;
}

/* PVMLAB_SERIAL_BLOCK_COSTS: an A/B switch, and the tests' reference */
static bool serial_requested(void) { return util_env_switch("PVMLAB_SERIAL_BLOCK_COSTS"); }

uint64_t pvm_gas_compute_block_costs_parallel(const pvm_cost_model *m, const pvm_decoded *d, uint32_t *costs)
{
    bool worth = m && m->kind == PVM_COST_PIPELINE && m->pipeline && d->n_instrs >= PARALLEL_MIN_INSTRS &&
                 d->n_blocks >= 2 && !serial_requested();
    if (!worth) {
        pvm_gas_compute_block_costs(m, d, costs);
        return 0;
    }
    uint64_t key = pvm_block_cost_cache_key(m, d);
    if (pvm_block_cost_cache_get_keyed(m, d, key, costs)) return 0;
    uint32_t lo = pvm_decoded_middle_block(d);
    half second = {.m = m, .d = d, .costs = costs, .first = lo, .end = d->n_blocks};
    pthread_t thread;
    bool threaded = pthread_create(&thread, NULL, run_half, &second) == 0;
    costs_of_range(m, d, costs, 0, threaded ? lo : d->n_blocks);
    if (threaded) pthread_join(thread, NULL);
    pvm_block_cost_cache_put_keyed(m, d, key, costs);
    return threaded ? second.cpu_ns : 0;
}
