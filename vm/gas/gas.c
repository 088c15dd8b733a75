/* Metering pass: block costs from the chosen cost model. */
#include "gas.h"
#include "block_cost_cache.h"
#include "pipeline_sim.h"

static uint32_t sat_add(uint32_t a, uint32_t b)
{
    uint32_t s = a + b;
    return s < a ? UINT32_MAX : s;
}

pvm_op pvm_gas_charged_op(const pvm_decoded *d, const pvm_instr *in)
{
    if (in->op < PVM_OP_INVALID) return (pvm_op)in->op;
    uint32_t pc = in->pc;
    bool has_bit = !d->bitmask || (pc < d->code_len && ((d->bitmask[pc >> 3] >> (pc & 7)) & 1));
    if (!d->code || pc >= d->code_len || !has_bit) return PVM_OP_INVALID;
    pvm_op raw = pvm_isa_decode_opcode(d->isa, d->code[pc]);
    return pvm_op_is_branch(raw) ? raw : PVM_OP_INVALID;
}

uint32_t pvm_pipeline_block_cost(const pvm_pipeline_params *p, const pvm_decoded *d, uint32_t block)
{
    return pvm_pipeline_cost_from_cycles(p, pvm_pipeline_run(p, d, block, NULL, NULL));
}

uint32_t pvm_gas_block_cost(const pvm_cost_model *m, const pvm_decoded *d, uint32_t block)
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
    return pvm_pipeline_block_cost(m->pipeline, d, block);
}

void pvm_gas_compute_block_costs(const pvm_cost_model *m, const pvm_decoded *d, uint32_t *costs)
{
    if (pvm_block_cost_cache_get(m, d, costs)) return;
    for (uint32_t i = 0; i < d->n_blocks; i++) costs[i] = pvm_gas_block_cost(m, d, i);
    pvm_block_cost_cache_put(m, d, costs);
}
