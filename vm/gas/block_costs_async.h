/* Block costs computed on a second thread while the recompiler emits code.
 * The pipeline model's simulation of a large program costs about half of its
 * code generation; the two only meet at each block's gas check, and both walk
 * the blocks in order. So the simulation runs on another core, publishing how
 * many blocks are final, and the code generator waits (rarely) at a block
 * whose cost is not yet known. The costs are those pvm_gas_compute_block_costs
 * gives: the same function of the same inputs, only the thread differs. */
#ifndef PVM_GAS_BLOCK_COSTS_ASYNC_H
#define PVM_GAS_BLOCK_COSTS_ASYNC_H
#include <stdatomic.h>
#include <stdint.h>
#include "gas.h"

typedef struct pvm_block_costs_job pvm_block_costs_job;

/* Fill costs[0..d->n_blocks) for m: on a thread (returns the job; costs[b] is
 * final once pvm_block_costs_wait(job, b) returned), or, when a thread does not
 * pay (unit or table model, a small program, a block-cost cache hit, no thread
 * or memory, PVMLAB_SERIAL_BLOCK_COSTS=1), right here (returns NULL: all final).
 * d and costs must stay alive until pvm_block_costs_end. */
pvm_block_costs_job *pvm_block_costs_begin(const pvm_cost_model *m, const pvm_decoded *d, uint32_t *costs);

struct pvm_block_costs_job {
    _Atomic uint32_t done; /* costs[0..done) are final */
};
void pvm_block_costs_wait_slow(pvm_block_costs_job *job, uint32_t block);
/* Wait until costs[block] is final (job NULL: it is). */
static inline void pvm_block_costs_wait(pvm_block_costs_job *job, uint32_t block)
{
    if (job && atomic_load_explicit(&job->done, memory_order_acquire) <= block) pvm_block_costs_wait_slow(job, block);
}

/* When the thread ran (monotonic ns, util_now_ns) and its CPU time. */
typedef struct {
    uint64_t start_ns, end_ns, cpu_ns;
} pvm_block_costs_times;
/* Join the thread (all costs final), remember them in the block-cost cache, free
 * the job; returns the thread's elapsed time in ns and fills *t if not NULL
 * (job NULL: returns 0, *t untouched). */
uint64_t pvm_block_costs_end(pvm_block_costs_job *job, pvm_block_costs_times *t);
#endif
