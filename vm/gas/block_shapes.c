/* Blocks grouped by shape (see block_shapes.h). The simulator's result is a
 * pure function of what it reads of a block (pipeline_sim.c): per instruction
 * the charged op, the registers a, b, d, and for a branch whether it is
 * predicted; the parameters and the program's width are the same for all
 * blocks of one program. Blocks with equal shapes (compilers emit the same
 * prologues, epilogues, loop bodies and dispatch stubs again and again; only
 * immediates and addresses differ) cost the same: the hash only finds a
 * candidate, a hit compares the shapes word for word. */
#include "block_shapes.h"
#include <stddef.h>
#include <string.h>
#include "gas.h"
#include "vm/util/large_alloc.h"

/* One instruction's shape: the charged op and the registers a, b, d as they
 * are (the simulator reads them clamped to 12: equal raw ones are equal there).
 * They are the instruction's first four bytes, read as one word (the op in its
 * low byte); a trap the decoder made of a branch is charged as the branch. */
_Static_assert(offsetof(pvm_instr, op) == 0 && offsetof(pvm_instr, a) == 1 && offsetof(pvm_instr, b) == 2 &&
                   offsetof(pvm_instr, d) == 3,
               "op, a, b, d lead pvm_instr");
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the op is a shape word's low byte (ends_predicted)");
static __attribute__((noinline, cold)) uint32_t trap_shape(const pvm_decoded *d, const pvm_instr *in)
{
    uint32_t w;
    pvm_instr charged = *in;
    charged.op = (uint8_t)pvm_gas_charged_op(d, in);
    memcpy(&w, &charged, sizeof w);
    return w;
}

static inline uint32_t shape_of(const pvm_decoded *d, const pvm_instr *in)
{
    uint32_t w;
    memcpy(&w, in, sizeof w);
    return __builtin_expect(in->op < PVM_OP_INVALID, 1) ? w : trap_shape(d, in);
}

/* Whether a block ends in a predicted branch: a branch ends its block, so
 * that is the only place a prediction can be read. last_op: the charged op of
 * its last instruction (the low byte of that one's shape word). */
static uint8_t ends_predicted(const pvm_pipeline_prepared *pp, const pvm_decoded *d, const pvm_instr *last,
                              pvm_op last_op)
{
    return pvm_op_pipeline_class(last_op) == PVM_CLASS_BRANCH && pvm_pipeline_predicted(pp, d, last);
}

/* The shape's hash, folded in as the shape words are made: an xor and a 64-bit
 * multiply by an immediate per pair of words (a call to XXH3 per block cost about
 * 5 Ir per instruction; a 32-bit mix per word about 2 more than a pair's). The
 * hash only picks the slot (a hit compares the words), so any mix gives the same
 * costs. The slot comes from the high half, which every word's bits reach through
 * the multiplies (no finalizer). */
static inline uint64_t shape_mix(uint64_t h, uint64_t w)
{
    return (h ^ w) * (uint64_t)INT64_C(-0x61C8864F); /* 0x9E3779B1 sign-extended: an imm32 of imul */
}

static inline uint32_t first_slot(uint64_t key, uint32_t cap) { return (uint32_t)(key >> 32) & (cap - 1); }

static uint32_t pow2_at_least(uint32_t n)
{
    uint32_t c = 16;
    while (c < n) c <<= 1;
    return c;
}

/* The hash slots: room for twice the blocks (at most half full), of which only the
 * first SLOTS_FIRST are used and cleared at first, then twice as many whenever half
 * full: large programs repeat few shapes (the large guest: 204 among 14,868 blocks
 * on rv64), and clearing two slots per block cost more than finding the shapes. */
#define SLOTS_FIRST 1024u

static uint32_t slots_room(const pvm_block_shapes *t) { return pow2_at_least((t->end_block - t->first_block) * 2u); }

/* The slots in use doubled (cap stays within slots_room: n_fresh <= blocks), cleared,
 * and the shapes so far placed again (each is distinct: no compare). */
static void grow_slots(pvm_block_shapes *t)
{
    t->cap *= 2;
    memset(t->slot, 0xFF, t->cap * sizeof *t->slot);
    for (uint32_t i = 0; i < t->n_fresh; i++) {
        uint32_t k = first_slot(t->fresh_hash[i], t->cap);
        while (t->slot[k] != UINT32_MAX) k = (k + 1) & (t->cap - 1);
        t->slot[k] = t->fresh[i];
        t->slot_hash[k] = t->fresh_hash[i];
    }
}

void pvm_block_shapes_free(pvm_block_shapes *t)
{
    uint32_t blocks = t->end_block - t->first_block, room = slots_room(t);
    util_free_large_lane(t->shape, (t->n_shape ? t->n_shape : 1) * sizeof *t->shape, t->lane);
    util_free_large_lane(t->slot, room * sizeof *t->slot, t->lane);
    util_free_large_lane(t->slot_hash, room * sizeof *t->slot_hash, t->lane);
    util_free_large_lane(t->rep, blocks * sizeof *t->rep, t->lane);
    util_free_large_lane(t->fresh, blocks * sizeof *t->fresh, t->lane);
    util_free_large_lane(t->fresh_hash, blocks * sizeof *t->fresh_hash, t->lane);
    memset(t, 0, sizeof *t);
}

static bool same_shape(const pvm_block_shapes *t, const pvm_decoded *d, uint32_t seen, const pvm_block_shapes *u,
                       uint32_t b)
{
    const pvm_block *x = &d->blocks[seen], *y = &d->blocks[b];
    return x->count == y->count &&
           memcmp(t->shape + (x->first - t->base), u->shape + (y->first - u->base), (size_t)x->count * sizeof(uint32_t)) == 0;
}

bool pvm_block_shapes_build(const pvm_pipeline_prepared *pp, const pvm_decoded *d, uint32_t first_block,
                            uint32_t end_block, unsigned lane, pvm_block_shapes *out)
{
    pvm_block_shapes t = {.first_block = first_block, .end_block = end_block, .base = d->blocks[first_block].first,
                          .lane = lane};
    uint32_t blocks = end_block - first_block;
    t.n_shape = d->blocks[end_block - 1].first + d->blocks[end_block - 1].count - t.base;
    uint32_t room = slots_room(&t);
    t.cap = room < SLOTS_FIRST ? room : SLOTS_FIRST;
    t.shape = util_alloc_large_lane((t.n_shape ? t.n_shape : 1) * sizeof *t.shape, lane);
    t.slot = util_alloc_large_lane(room * sizeof *t.slot, lane);
    t.slot_hash = util_alloc_large_lane(room * sizeof *t.slot_hash, lane);
    t.rep = util_alloc_large_lane(blocks * sizeof *t.rep, lane);
    t.fresh = util_alloc_large_lane(blocks * sizeof *t.fresh, lane);
    t.fresh_hash = util_alloc_large_lane(blocks * sizeof *t.fresh_hash, lane);
    if (!t.shape || !t.slot || !t.slot_hash || !t.rep || !t.fresh || !t.fresh_hash) {
        pvm_block_shapes_free(&t);
        return false;
    }
    memset(t.slot, 0xFF, t.cap * sizeof *t.slot);
    for (uint32_t b = first_block; b < end_block; b++) {
        const pvm_block *blk = &d->blocks[b];
        uint32_t *s = t.shape + (blk->first - t.base);
        const pvm_instr *in = &d->instrs[blk->first];
        uint32_t count = blk->count; /* in a local: the stores to s could alias the block's fields */
        uint64_t h = count;
        uint8_t predicted = 0;
        if (count) {
            /* Only a block's last instruction can be charged as another op than
             * its own: the decoder makes traps only of branches, which end their
             * blocks, and pvm_gas_charged_op keeps every other op ≥ INVALID
             * (gap fillers, invalid opcodes, the trap at the end) as it is. The
             * others two at a time: one 8-byte store and one mix per pair. */
            const pvm_instr *x = in, *last = in + count - 1, *pairs_end = in + ((count - 1) & ~1u);
            uint32_t *o = s;
            for (; x < pairs_end; x += 2, o += 2) {
                uint32_t w0, w1;
                memcpy(&w0, x, sizeof w0);
                memcpy(&w1, x + 1, sizeof w1);
                uint64_t pair = w0 | (uint64_t)w1 << 32;
                memcpy(o, &pair, sizeof pair);
                h = shape_mix(h, pair);
            }
            if (x < last) {
                uint32_t w;
                memcpy(&w, x, sizeof w);
                *o = w;
                h = shape_mix(h, w);
            }
            uint32_t w = shape_of(d, last);
            s[count - 1] = w;
            h = shape_mix(h, w);
            predicted = ends_predicted(pp, d, last, (pvm_op)(w & 0xFF));
        }
        /* the prediction in the key's low bit: compared with the hash, it is compared exactly */
        uint64_t key = (h & ~UINT64_C(1)) | predicted;
        uint32_t k = first_slot(key, t.cap);
        for (;; k = (k + 1) & (t.cap - 1)) {
            if (t.slot[k] == UINT32_MAX) { /* a new shape */
                if ((t.n_fresh + 1) * 2 > t.cap) { /* more than half full with it: twice the slots */
                    grow_slots(&t);
                    for (k = first_slot(key, t.cap); t.slot[k] != UINT32_MAX; k = (k + 1) & (t.cap - 1)) {}
                }
                t.slot[k] = b;
                t.slot_hash[k] = key;
                t.fresh[t.n_fresh] = b;
                t.fresh_hash[t.n_fresh++] = key;
                t.rep[b - first_block] = b;
                break;
            }
            if (t.slot_hash[k] == key && same_shape(&t, d, t.slot[k], &t, b)) {
                t.rep[b - first_block] = t.slot[k];
                break;
            }
        }
    }
    *out = t;
    return true;
}

uint32_t pvm_block_shapes_find(const pvm_block_shapes *t, const pvm_decoded *d, const pvm_block_shapes *u, uint32_t i)
{
    uint64_t h = u->fresh_hash[i];
    for (uint32_t k = first_slot(h, t->cap);; k = (k + 1) & (t->cap - 1)) {
        if (t->slot[k] == UINT32_MAX) return UINT32_MAX;
        if (t->slot_hash[k] == h && same_shape(t, d, t->slot[k], u, u->fresh[i])) return t->slot[k];
    }
}
