/* Metering pass: block costs from the chosen cost model. */
#include "gas.h"
#include <stdlib.h>
#include "block_cost_cache.h"
#include "chase_loads.h"
#include "pipeline_sim.h"
#include "recurrence.h"

static uint32_t sat_add(uint32_t a, uint32_t b)
{
    uint32_t s = a + b;
    return s < a ? UINT32_MAX : s;
}

/* The charge for a loop's carried load chain (counted at the loop's first block): its
 * hops times the table's chase.hop. */
static uint32_t chase_charge(const pvm_cost_model *m, const pvm_decoded *d, uint32_t block)
{
    if (!m || m->kind == PVM_COST_UNIT || !m->host.chase_hop) return 0;
    uint64_t c = (uint64_t)m->host.chase_hop * pvm_gas_chase_hops(d, block);
    return c > UINT32_MAX ? UINT32_MAX : (uint32_t)c;
}

void pvm_gas_add_chase_charges(const pvm_cost_model *m, const pvm_decoded *d, uint32_t *costs)
{
    if (!m || m->kind == PVM_COST_UNIT || !m->host.chase_hop) return;
    /* A loop closes with an edge back to its lowest block (a jump's or branch's target at or
     * before the block it ends): only such targets can start one, so the search runs from
     * them alone. Without the marks (no memory), from all. */
    uint8_t *starts = calloc(d->n_blocks ? d->n_blocks : 1, 1);
    for (uint32_t i = 0; starts && i < d->n_blocks; i++)
        if (d->blocks[i].target_block <= i) starts[d->blocks[i].target_block] = 1;
    for (uint32_t i = 0; i < d->n_blocks; i++)
        if (!starts || starts[i]) costs[i] = sat_add(costs[i], chase_charge(m, d, i));
    free(starts);
}

/* Whether the model puts a recurrence floor under self-loops (format 6 pipeline tables). */
static bool has_recurrence_floor(const pvm_cost_model *m)
{
    return m && m->kind == PVM_COST_PIPELINE && m->pipeline && m->host.recurrence_milligas;
}

/* A pipeline cost raised to the block's recurrence floor, when the model has one. */
static uint32_t floored(const pvm_cost_model *m, const pvm_decoded *d, uint32_t block, uint32_t cost)
{
    uint32_t cycles = pvm_gas_recurrence_cycles(m->pipeline, d, block);
    uint32_t floor = cycles ? pvm_gas_recurrence_floor(cycles, m->host.recurrence_milligas) : 0;
    return floor > cost ? floor : cost;
}

void pvm_gas_apply_recurrence_floors(const pvm_cost_model *m, const pvm_decoded *d, uint32_t *costs)
{
    if (!has_recurrence_floor(m)) return;
    for (uint32_t i = 0; i < d->n_blocks; i++)
        if (d->blocks[i].target_block == i) costs[i] = floored(m, d, i, costs[i]);
}

/* The block's cost before the chase charge (a self-loop's recurrence floor included). */
static uint32_t own_cost(const pvm_cost_model *m, const pvm_decoded *d, uint32_t block)
{
    const pvm_block *b = &d->blocks[block];
    if (!m || m->kind == PVM_COST_UNIT) return b->count ? b->count : 1;
    if (m->kind == PVM_COST_TABLE) {
        uint32_t c = 0;
        for (uint32_t i = 0; i < b->count; i++) {
            c = sat_add(c, m->op_cost[pvm_gas_charged_op(d, &d->instrs[b->first + i])]);
        }
        return c ? c : 1;
    }
    uint32_t c = pvm_pipeline_block_cost(m->pipeline, d, block);
    return has_recurrence_floor(m) ? floored(m, d, block, c) : c;
}

uint32_t pvm_gas_block_cost(const pvm_cost_model *m, const pvm_decoded *d, uint32_t block)
{
    return sat_add(own_cost(m, d, block), chase_charge(m, d, block));
}

void pvm_gas_compute_block_costs(const pvm_cost_model *m, const pvm_decoded *d, bool cached, uint32_t *costs)
{
    uint64_t key = cached ? pvm_block_cost_cache_key(m, d) : 0;
    if (cached && pvm_block_cost_cache_get_keyed(m, d, key, costs)) return;
    /* Own costs first (the batched simulator's, then the self-loops' floors), then the chase
     * charges of all blocks in one pass (which searches for loops only from the blocks that
     * can start one), for every model. */
    if (m && m->kind == PVM_COST_PIPELINE && pvm_pipeline_block_costs(m->pipeline, d, costs))
        pvm_gas_apply_recurrence_floors(m, d, costs);
    else
        for (uint32_t i = 0; i < d->n_blocks; i++) costs[i] = own_cost(m, d, i);
    pvm_gas_add_chase_charges(m, d, costs);
    if (cached) pvm_block_cost_cache_put_keyed(m, d, key, costs);
}
