/* Block costs on two threads (see block_costs_parallel.h). */
#include "block_costs_parallel.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "block_cost_cache.h"
#include "block_shapes.h"
#include "pipeline_sim.h"
#include "vm/util/env_switch.h"

/* Below this many instructions a thread's start (tens of microseconds) costs
 * more than the half of the simulation it takes over. */
#define PARALLEL_MIN_INSTRS 16384

/* What the two threads share. Each groups its half of the blocks by shape
 * (block_shapes.c); then the second looks its half's shapes up in the first's
 * table, and both simulate the shapes of the union (the first half's, then
 * the second's that the first lacks), taking them one at a time: a shape both
 * halves have is simulated once. Each stage ends at the barrier. */
typedef struct {
    const pvm_decoded *d;
    uint32_t *costs;
    uint32_t lo;        /* the second half's first block */
    pvm_pipeline_prepared pp;
    pvm_block_shapes t[2];
    bool ok[2];         /* t[k] was built */
    bool merged;        /* alias and added are filled */
    uint32_t *alias;    /* per representative of t[1]: the one of t[0] with its shape, or UINT32_MAX */
    uint32_t *added;    /* the representatives of t[1] that t[0] lacks */
    uint32_t n_added;
    atomic_uint next;   /* the next shape of the union to simulate */
    pthread_barrier_t meet;
    util_thread_usage used; /* by the second thread */
} shared;

static void simulate_union(shared *s)
{
    uint32_t n0 = s->t[0].n_fresh, n = n0 + s->n_added;
    for (uint32_t i; (i = atomic_fetch_add_explicit(&s->next, 1, memory_order_relaxed)) < n;) {
        uint32_t b = i < n0 ? s->t[0].fresh[i] : s->added[i - n0];
        s->costs[b] = pvm_pipeline_fresh_cost(&s->pp, s->d, b);
    }
}

static void merge(shared *s)
{
    const pvm_block_shapes *t0 = &s->t[0], *t1 = &s->t[1];
    s->alias = malloc((t1->n_fresh ? t1->n_fresh : 1) * sizeof *s->alias);
    s->added = malloc((t1->n_fresh ? t1->n_fresh : 1) * sizeof *s->added);
    if (!s->alias || !s->added) return;
    for (uint32_t i = 0; i < t1->n_fresh; i++) {
        s->alias[i] = pvm_block_shapes_find(t0, s->d, t1, i);
        if (s->alias[i] == UINT32_MAX) s->added[s->n_added++] = t1->fresh[i];
    }
    s->merged = true;
}

static void *run_second(void *arg)
{
    shared *s = arg;
    util_thread_usage u0 = util_thread_usage_now();
    s->ok[1] = pvm_block_shapes_build(&s->pp, s->d, s->lo, s->d->n_blocks, 1, &s->t[1]); /* lane 1: large_alloc.h */
    pthread_barrier_wait(&s->meet);
    if (s->ok[0] && s->ok[1]) merge(s);
    pthread_barrier_wait(&s->meet);
    if (s->merged) simulate_union(s);
    s->used = util_thread_usage_since(&u0);
    return NULL;
}

/* Every block's cost from its representative's; false if a stage ran out of memory. */
static bool finish(shared *s)
{
    if (!s->merged) return false;
    const pvm_block_shapes *t1 = &s->t[1];
    for (uint32_t i = 0; i < t1->n_fresh; i++)
        if (s->alias[i] != UINT32_MAX) s->costs[t1->fresh[i]] = s->costs[s->alias[i]];
    for (int k = 0; k < 2; k++)
        for (uint32_t b = s->t[k].first_block; b < s->t[k].end_block; b++)
            s->costs[b] = s->costs[s->t[k].rep[b - s->t[k].first_block]];
    return true;
}

/* On two threads; false (the costs to be computed otherwise) when no thread
 * could be started or memory ran out. *used: what the second thread used. */
static bool costs_on_two_threads(const pvm_cost_model *m, const pvm_decoded *d, uint32_t *costs,
                                 util_thread_usage *used)
{
    shared *s = calloc(1, sizeof *s);
    if (!s) return false;
    s->d = d;
    s->costs = costs;
    s->lo = pvm_decoded_middle_block(d);
    pvm_pipeline_prepare(m->pipeline, d, &s->pp);
    atomic_init(&s->next, 0);
    bool done = false;
    pthread_t thread;
    if (pthread_barrier_init(&s->meet, NULL, 2) == 0) {
        if (pthread_create(&thread, NULL, run_second, s) == 0) {
            s->ok[0] = pvm_block_shapes_build(&s->pp, d, 0, s->lo, 0, &s->t[0]);
            pthread_barrier_wait(&s->meet);
            pthread_barrier_wait(&s->meet);
            if (s->merged) simulate_union(s);
            pthread_join(thread, NULL);
            done = finish(s);
            *used = s->used;
        }
        pthread_barrier_destroy(&s->meet);
    }
    for (int k = 0; k < 2; k++)
        if (s->ok[k]) pvm_block_shapes_free(&s->t[k]);
    free(s->alias);
    free(s->added);
    free(s);
    return done;
}

/* PVMLAB_SERIAL_BLOCK_COSTS: an A/B switch, and the tests' reference */
static bool serial_requested(void) { return util_env_switch("PVMLAB_SERIAL_BLOCK_COSTS"); }

util_thread_usage pvm_gas_compute_block_costs_parallel(const pvm_cost_model *m, const pvm_decoded *d, bool cached,
                                                       uint32_t *costs)
{
    bool worth = m && m->kind == PVM_COST_PIPELINE && m->pipeline && d->n_instrs >= PARALLEL_MIN_INSTRS &&
                 d->n_blocks >= 2 && !serial_requested();
    if (!worth) {
        pvm_gas_compute_block_costs(m, d, cached, costs);
        return (util_thread_usage){0};
    }
    uint64_t key = cached ? pvm_block_cost_cache_key(m, d) : 0;
    if (cached && pvm_block_cost_cache_get_keyed(m, d, key, costs)) return (util_thread_usage){0};
    util_thread_usage used = {0};
    if (!costs_on_two_threads(m, d, costs, &used)) pvm_gas_compute_block_costs(m, d, false, costs);
    else {
        pvm_gas_apply_recurrence_floors(m, d, costs);
        pvm_gas_add_chase_charges(m, d, costs);
    }
    if (cached) pvm_block_cost_cache_put_keyed(m, d, key, costs);
    return used;
}
