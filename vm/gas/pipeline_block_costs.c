/* Pipeline-model costs of every block of a program, each distinct block shape
 * simulated once. The simulator's result is a pure function of what it reads
 * of a block (pipeline_sim.c): per instruction the charged op, the registers
 * a, b, d, and for a branch whether it is predicted; the parameters and the
 * program's width are the same for all blocks of one call. Blocks with equal
 * shapes (compilers emit the same prologues, epilogues, loop bodies and
 * dispatch stubs again and again; only immediates and addresses differ) get
 * the cost of the first one, which is the cost they would get simulated: the
 * hash only finds a candidate, a hit compares the shapes word for word. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "gas.h"
#include "pipeline_sim.h"
#include "vm/util/large_alloc.h"

/* One block through the simulator. */
uint32_t pvm_pipeline_block_cost(const pvm_pipeline_params *p, const pvm_decoded *d, uint32_t block)
{
    return pvm_pipeline_cost_from_cycles(p, pvm_pipeline_run(p, d, block, NULL, NULL));
}

/* One instruction's shape: the charged op and the registers a, b, d as they
 * are (the simulator reads them clamped to 12: equal raw ones are equal there).
 * They are the instruction's first four bytes, read as one word (the shape is
 * only compared, so the byte order does not matter); a trap the decoder made
 * of a branch is charged as the branch. */
_Static_assert(offsetof(pvm_instr, op) == 0 && offsetof(pvm_instr, a) == 1 && offsetof(pvm_instr, b) == 2 &&
                   offsetof(pvm_instr, d) == 3,
               "op, a, b, d lead pvm_instr");
static inline uint32_t shape_of(const pvm_decoded *d, const pvm_instr *in)
{
    uint32_t w;
    memcpy(&w, in, sizeof w);
    if (in->op < PVM_OP_INVALID) return w;
    pvm_instr charged = *in;
    charged.op = (uint8_t)pvm_gas_charged_op(d, in);
    memcpy(&w, &charged, sizeof w);
    return w;
}

/* Whether a block ends in a predicted branch: a branch ends its block, so
 * that is the only place a prediction can be read. */
static uint8_t ends_predicted(const pvm_decoded *d, const pvm_block *blk)
{
    if (!blk->count) return 0;
    const pvm_instr *last = &d->instrs[blk->first + blk->count - 1];
    return pvm_op_pipeline_class(pvm_gas_charged_op(d, last)) == PVM_CLASS_BRANCH &&
           pvm_pipeline_branch_predicted(d, last);
}

/* The shape's hash, folded in as the shape words are made: an xor and a 32-bit
 * multiply by an immediate per word (a call to XXH3 per block cost about 5 Ir
 * per instruction). The hash only picks the slot (a hit compares the words), so
 * any mix gives the same costs; the finalizer brings the high bits, which all
 * words reach, down to the low ones that pick the slot. */
static inline uint32_t shape_mix(uint32_t h, uint32_t w) { return (h ^ w) * 0x9E3779B1u; }

static inline uint64_t shape_final(uint32_t h32) /* murmur3's 64-bit finalizer */
{
    uint64_t h = h32;
    h ^= h >> 33;
    h *= UINT64_C(0xFF51AFD7ED558CCD);
    h ^= h >> 33;
    h *= UINT64_C(0xC4CEB9FE1A85EC53);
    return h ^ h >> 33;
}

static uint32_t pow2_at_least(uint32_t n)
{
    uint32_t c = 16;
    while (c < n) c <<= 1;
    return c;
}

static void release(uint32_t n, uint32_t cap, uint32_t *shape, uint32_t *slot, uint64_t *slot_hash)
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
    uint32_t *shape = util_alloc_large((n ? n : 1) * sizeof *shape);
    uint32_t cap = pow2_at_least((end_block - first_block) * 2u);
    uint32_t *slot = util_alloc_large(cap * sizeof *slot); /* a block index, or UINT32_MAX */
    uint64_t *slot_hash = util_alloc_large(cap * sizeof *slot_hash); /* bit 0: ends_predicted */
    if (!shape || !slot || !slot_hash) {
        release(n, cap, shape, slot, slot_hash);
        return false;
    }
    memset(slot, 0xFF, cap * sizeof *slot);
    for (uint32_t b = first_block; b < end_block; b++) {
        const pvm_block *blk = &d->blocks[b];
        uint32_t *s = shape + (blk->first - base);
        const pvm_instr *in = &d->instrs[blk->first];
        uint32_t count = blk->count; /* in a local: the stores to s could alias the block's fields */
        uint32_t h32 = count;
        for (uint32_t i = 0; i < count; i++) {
            uint32_t w = shape_of(d, in + i);
            s[i] = w;
            h32 = shape_mix(h32, w);
        }
        size_t bytes = (size_t)count * sizeof *s;
        /* the prediction in the key's low bit: compared with the hash, it is compared exactly */
        uint64_t h = (shape_final(h32) & ~UINT64_C(1)) | ends_predicted(d, blk);
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
