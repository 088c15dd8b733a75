/* Loop-carried load chains of short loops (chase_loads.h). A loop is a cycle of at most
 * MAX_LOOP_BLOCKS blocks along static edges, found from its lowest-numbered block, which
 * then carries its charge. Two passes over the loop's blocks in order: the first finds the
 * registers that leave an iteration holding a loaded value (or one computed from it), the
 * second starts from those as the previous iteration's results and counts the loads in a
 * row whose address comes from them. */
#include "chase_loads.h"
#include <string.h>
#include "gas.h"
#include "reg_flow.h"
#include "vm/isa/isa.h"

enum { NREG = PVM_REG_COUNT };

/* Blocks in the longest loop looked at: a binary search's body with its two arms (a
 * load, the compare's branch, an arm that jumps back) is three. The search is at most
 * 2 + 4 + 8 paths from a block, each abandoned unless it closes. */
enum { MAX_LOOP_BLOCKS = 4 };

/* The blocks control can go to from block b without a call or a computed jump: a branch's
 * target and the next block, a jump's target, a fallthrough's next block. Calls
 * (load_imm_jump), computed jumps, traps and host calls at the end: none. */
static unsigned loop_successors(const pvm_decoded *d, uint32_t b, uint32_t out[2])
{
    const pvm_block *blk = &d->blocks[b];
    if (!blk->count) return 0;
    const pvm_instr *last = &d->instrs[blk->first + blk->count - 1];
    pvm_op op = pvm_gas_charged_op(d, last);
    unsigned n = 0;
    if ((pvm_op_is_branch(op) || op == PVM_OP_JUMP) && blk->target_block != PVM_NO_INDEX)
        out[n++] = blk->target_block; /* decode.h; also what gas.c marks loop starts by */
    if (pvm_op_can_fall_through(op) && b + 1 < d->n_blocks) out[n++] = b + 1;
    return n;
}

/* One pass: depth[r] is the number of chained loads behind r's value (0: none); a load
 * through an address of depth k gives depth k + 1, or `fresh` when k is 0 (the first pass
 * marks every loaded value, the second only those of carried chains); a pure op or a cmov
 * (which may keep its old value) gives the deepest of what it reads (decode.h); a jump
 * that loads an immediate, 0; stores and branches write nothing. Returns the deepest
 * address a load used. Host calls leave no register known. */
static uint32_t pass(const pvm_decoded *d, const pvm_block *b, uint32_t depth[NREG], uint32_t fresh)
{
    uint32_t deepest = 0;
    for (uint32_t i = 0; i < b->count; i++) {
        pvm_reg_flow f = pvm_gas_reg_flow(d, &d->instrs[b->first + i]);
        uint32_t v = 0;
        switch (f.kind) {
        case PVM_FLOW_CLOBBER: memset(depth, 0, NREG * sizeof depth[0]); continue;
        case PVM_FLOW_LOAD: {
            uint32_t at = f.reads ? depth[__builtin_ctz(f.reads)] : 0;
            if (at > deepest) deepest = at;
            v = at ? at + 1 : fresh;
            break;
        }
        case PVM_FLOW_COMPUTE:
            for (unsigned r = 0; r < NREG; r++)
                if (f.reads >> r & 1 && depth[r] > v) v = depth[r];
            break;
        case PVM_FLOW_CONSTANT: break;
        case PVM_FLOW_NONE: continue;
        }
        if (f.dst < NREG) depth[f.dst] = v;
    }
    return deepest;
}

/* The hops the loop path[0..n) carries per iteration. */
static uint32_t loop_hops(const pvm_decoded *d, const uint32_t *path, unsigned n)
{
    uint32_t depth[NREG] = {0};
    for (unsigned i = 0; i < n; i++) pass(d, &d->blocks[path[i]], depth, 1);
    bool carried = false;
    for (int r = 0; r < NREG; r++) carried |= (depth[r] = depth[r] ? 1 : 0) != 0;
    uint32_t deepest = 0;
    for (unsigned i = 0; carried && i < n; i++) {
        uint32_t k = pass(d, &d->blocks[path[i]], depth, 0);
        if (k > deepest) deepest = k;
    }
    return deepest;
}

/* The most hops of any loop that starts with path[0..n), goes on through blocks numbered
 * above path[0] and closes back to it. */
static uint32_t loops_from(const pvm_decoded *d, uint32_t *path, unsigned n)
{
    uint32_t succ[2], most = 0;
    unsigned k = loop_successors(d, path[n - 1], succ);
    for (unsigned i = 0; i < k; i++) {
        uint32_t s = succ[i], h = 0;
        if (s == path[0]) {
            h = loop_hops(d, path, n);
        } else if (s > path[0] && n < MAX_LOOP_BLOCKS) {
            bool seen = false;
            for (unsigned j = 1; j < n; j++) seen |= path[j] == s;
            if (seen) continue;
            path[n] = s;
            h = loops_from(d, path, n + 1);
        }
        if (h > most) most = h;
    }
    return most;
}

uint32_t pvm_gas_chase_hops(const pvm_decoded *d, uint32_t block)
{
    uint32_t path[MAX_LOOP_BLOCKS] = {block};
    return loops_from(d, path, 1);
}
