/* Pipeline-model costs of every block of a program, each distinct block shape
 * (block_shapes.c) simulated once: blocks with equal shapes get the cost of
 * the first one, which is the cost they would get simulated. */
#include <stddef.h>
#include "gas.h"
#include "block_shapes.h"
#include "pipeline_sim.h"

/* One block through the simulator. */
uint32_t pvm_pipeline_block_cost(const pvm_pipeline_params *p, const pvm_decoded *d, uint32_t block)
{
    return pvm_pipeline_cost_from_cycles(p, pvm_pipeline_run(p, d, block, NULL, NULL));
}

uint32_t pvm_pipeline_fresh_cost(const pvm_pipeline_prepared *pp, const pvm_decoded *d, uint32_t block)
{
    return pvm_pipeline_cost_from_cycles(pp->p, pvm_pipeline_run_prepared(pp, d, block, NULL, NULL));
}

bool pvm_pipeline_block_costs(const pvm_pipeline_params *p, const pvm_decoded *d, uint32_t *costs)
{
    return pvm_pipeline_block_costs_range(p, d, costs, 0, d->n_blocks);
}

bool pvm_pipeline_block_costs_range(const pvm_pipeline_params *p, const pvm_decoded *d, uint32_t *costs,
                                    uint32_t first_block, uint32_t end_block)
{
    if (first_block >= end_block) return true;
    pvm_pipeline_prepared pp;
    pvm_pipeline_prepare(p, d, &pp);
    pvm_block_shapes t;
    if (!pvm_block_shapes_build(&pp, d, first_block, end_block, 0, &t)) return false;
    for (uint32_t i = 0; i < t.n_fresh; i++) costs[t.fresh[i]] = pvm_pipeline_fresh_cost(&pp, d, t.fresh[i]);
    for (uint32_t b = first_block; b < end_block; b++) costs[b] = costs[t.rep[b - first_block]];
    pvm_block_shapes_free(&t);
    return true;
}
