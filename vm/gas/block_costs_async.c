/* Block costs on a second thread (see block_costs_async.h). */
#include "block_costs_async.h"
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include "block_cost_cache.h"
#include "pipeline_sim.h"
#include "vm/util/clock.h"

/* Below this many instructions a thread's start (tens of microseconds) costs
 * more than the simulation it would hide. */
#define ASYNC_MIN_INSTRS 16384

typedef struct {
    pvm_block_costs_job pub;
    const pvm_cost_model *m;
    const pvm_decoded *d;
    uint32_t *costs;
    pthread_t thread;
    uint64_t start_ns, end_ns, cpu_ns;
} job;

static void *run(void *arg)
{
    job *j = arg;
    j->start_ns = util_now_ns();
    uint64_t c0 = util_thread_cpu_ns();
    if (!pvm_pipeline_block_costs_published(j->m->pipeline, j->d, j->costs, &j->pub.done))
        for (uint32_t b = 0; b < j->d->n_blocks; b++) { /* out of memory for the memo: block by block */
            j->costs[b] = pvm_gas_block_cost(j->m, j->d, b);
            atomic_store_explicit(&j->pub.done, b + 1, memory_order_release);
        }
    j->cpu_ns = util_thread_cpu_ns() - c0;
    j->end_ns = util_now_ns();
    return NULL;
}

static bool serial_requested(void)
{
    const char *s = getenv("PVMLAB_SERIAL_BLOCK_COSTS"); /* an A/B switch, and the tests' reference */
    return s && *s && strcmp(s, "0") != 0;
}

pvm_block_costs_job *pvm_block_costs_begin(const pvm_cost_model *m, const pvm_decoded *d, uint32_t *costs)
{
    bool worth = m && m->kind == PVM_COST_PIPELINE && m->pipeline && d->n_instrs >= ASYNC_MIN_INSTRS &&
                 !serial_requested();
    if (!worth) {
        pvm_gas_compute_block_costs(m, d, costs);
        return NULL;
    }
    if (pvm_block_cost_cache_get(m, d, costs)) return NULL;
    job *j = calloc(1, sizeof *j);
    if (j) {
        *j = (job){.m = m, .d = d, .costs = costs};
        atomic_init(&j->pub.done, 0);
        if (pthread_create(&j->thread, NULL, run, j) == 0) return &j->pub;
        free(j);
    }
    pvm_gas_compute_block_costs(m, d, costs);
    return NULL;
}

void pvm_block_costs_wait_slow(pvm_block_costs_job *pub, uint32_t block)
{
    /* Spin briefly (the simulation is usually just ahead), then give the core
     * away: on a loaded machine the simulating thread may need this one. */
    for (unsigned spins = 0; atomic_load_explicit(&pub->done, memory_order_acquire) <= block; spins++) {
        if (spins >= 256) sched_yield();
#if defined(__x86_64__) || defined(__i386__)
        else __builtin_ia32_pause();
#endif
    }
}

uint64_t pvm_block_costs_end(pvm_block_costs_job *pub, pvm_block_costs_times *t)
{
    if (!pub) return 0;
    job *j = (job *)pub;
    pthread_join(j->thread, NULL);
    pvm_block_cost_cache_put(j->m, j->d, j->costs);
    if (t) *t = (pvm_block_costs_times){j->start_ns, j->end_ns, j->cpu_ns};
    uint64_t ns = j->end_ns - j->start_ns;
    free(j);
    return ns;
}
