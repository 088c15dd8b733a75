/* Loop-carried load chains of self-loop blocks (chase_loads.h). Two passes over the
 * block: the first finds the registers that leave an iteration holding a loaded value
 * (or one computed from it), the second starts from those as the previous iteration's
 * results and counts the loads in a row whose address comes from them. */
#include "chase_loads.h"
#include <string.h>
#include "gas.h"
#include "vm/isa/isa.h"

enum { NREG = PVM_REG_COUNT };

static bool is_self_loop(const pvm_decoded *d, const pvm_block *b)
{
    if (!b->count) return false;
    const pvm_instr *last = &d->instrs[b->first + b->count - 1];
    pvm_op op = pvm_gas_charged_op(d, last);
    return (pvm_op_is_branch(op) || op == PVM_OP_JUMP) && last->target_pc == d->instrs[b->first].pc;
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
        const pvm_instr *in = &d->instrs[b->first + i];
        pvm_op op = pvm_gas_charged_op(d, in);
        if (op >= PVM_OP_INVALID) continue;
        pvm_op_group g = pvm_op_group_of(op);
        if (g == PVM_GROUP_HOST) {
            memset(depth, 0, NREG * sizeof depth[0]);
            continue;
        }
        unsigned dst;
        uint32_t v = 0;
        if (g == PVM_GROUP_LOAD) {
            dst = in->a;
            uint32_t at = pvm_op_table[op].kind == PVM_KIND_REG_REG_IMM && in->b < NREG ? depth[in->b] : 0;
            if (at > deepest) deepest = at;
            v = at ? at + 1 : fresh;
        } else if (pvm_op_is_pure(op) || g == PVM_GROUP_CMOV) {
            dst = pvm_pure_dest(in);
            uint32_t reads = pvm_pure_read_set(in) | (g == PVM_GROUP_CMOV && dst < NREG ? 1u << dst : 0);
            for (unsigned r = 0; r < NREG; r++)
                if (reads >> r & 1 && depth[r] > v) v = depth[r];
        } else if (op == PVM_OP_LOAD_IMM_JUMP || op == PVM_OP_LOAD_IMM_JUMP_IND) {
            dst = in->a;
        } else {
            continue;
        }
        if (dst < NREG) depth[dst] = v;
    }
    return deepest;
}

uint32_t pvm_gas_chase_hops(const pvm_decoded *d, uint32_t block)
{
    const pvm_block *b = &d->blocks[block];
    if (!is_self_loop(d, b)) return 0;
    uint32_t depth[NREG] = {0};
    pass(d, b, depth, 1);
    for (int r = 0; r < NREG; r++) depth[r] = depth[r] ? 1 : 0;
    return pass(d, b, depth, 0);
}
