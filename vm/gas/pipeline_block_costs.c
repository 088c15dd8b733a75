/* Pipeline-model costs of every block of a program, each distinct block shape
 * simulated once. The simulator's result is a pure function of what it reads
 * of a block (pipeline_sim.c): per instruction the charged op, the registers
 * a, b, d, and for a branch whether it is predicted; the parameters and the
 * program's width are the same for all blocks of one call. Blocks with equal
 * shapes (compilers emit the same prologues, epilogues, loop bodies and
 * dispatch stubs again and again; only immediates and addresses differ) get
 * the cost of the first one, which is the cost they would get simulated: the
 * hash only finds a candidate, a hit compares the shapes word for word. */
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>
#include "gas.h"
#include "pipeline_sim.h"
#include "vm/util/large_alloc.h"

/* One block through the simulator. */
uint32_t pvm_pipeline_block_cost(const pvm_pipeline_params *p, const pvm_decoded *d, uint32_t block)
{
    return pvm_pipeline_cost_from_cycles(p, pvm_pipeline_run(p, d, block, NULL, NULL));
}

/* One instruction's shape: op, a, b, d, predicted (branches only). */
static uint64_t shape_of(const pvm_decoded *d, const pvm_instr *in)
{
    pvm_op op = pvm_gas_charged_op(d, in);
    uint64_t predicted = pvm_op_pipeline_class(op) == PVM_CLASS_BRANCH && pvm_pipeline_branch_predicted(d, in);
    return (uint64_t)op | (uint64_t)in->a << 16 | (uint64_t)in->b << 24 | (uint64_t)in->d << 32 | predicted << 40;
}

static uint32_t pow2_at_least(uint32_t n)
{
    uint32_t c = 16;
    while (c < n) c <<= 1;
    return c;
}

static void release(uint32_t n, uint32_t cap, uint64_t *shape, uint32_t *slot, uint64_t *slot_hash)
{
    util_free_large(shape, (n ? n : 1) * sizeof *shape);
    util_free_large(slot, cap * sizeof *slot);
    util_free_large(slot_hash, cap * sizeof *slot_hash);
}

bool pvm_pipeline_block_costs(const pvm_pipeline_params *p, const pvm_decoded *d, uint32_t *costs)
{
    return pvm_pipeline_block_costs_range(p, d, costs, 0, d->n_blocks);
}

bool pvm_pipeline_block_costs_range(const pvm_pipeline_params *p, const pvm_decoded *d, uint32_t *costs,
                                    uint32_t first_block, uint32_t end_block)
{
    if (first_block >= end_block) return true;
    uint32_t base = d->blocks[first_block].first; /* shape[i - base] for the range's instructions */
    uint32_t n = d->blocks[end_block - 1].first + d->blocks[end_block - 1].count - base;
    uint64_t *shape = util_alloc_large((n ? n : 1) * sizeof *shape);
    uint32_t cap = pow2_at_least((end_block - first_block) * 2u);
    uint32_t *slot = util_alloc_large(cap * sizeof *slot); /* a block index, or UINT32_MAX */
    uint64_t *slot_hash = util_alloc_large(cap * sizeof *slot_hash);
    if (!shape || !slot || !slot_hash) {
        release(n, cap, shape, slot, slot_hash);
        return false;
    }
    memset(slot, 0xFF, cap * sizeof *slot);
    for (uint32_t b = first_block; b < end_block; b++) {
        const pvm_block *blk = &d->blocks[b];
        for (uint32_t i = blk->first; i < blk->first + blk->count; i++) shape[i - base] = shape_of(d, &d->instrs[i]);
        const uint64_t *s = shape + (blk->first - base);
        size_t bytes = (size_t)blk->count * sizeof *s;
        uint64_t h = XXH3_64bits(s, bytes);
        uint32_t k = (uint32_t)h & (cap - 1);
        for (;; k = (k + 1) & (cap - 1)) {
            if (slot[k] == UINT32_MAX) { /* a new shape */
                slot[k] = b;
                slot_hash[k] = h;
                costs[b] = pvm_pipeline_block_cost(p, d, b);
                break;
            }
            const pvm_block *seen = &d->blocks[slot[k]];
            if (slot_hash[k] == h && seen->count == blk->count && memcmp(shape + (seen->first - base), s, bytes) == 0) {
                costs[b] = costs[slot[k]];
                break;
            }
        }
    }
    release(n, cap, shape, slot, slot_hash);
    return true;
}
