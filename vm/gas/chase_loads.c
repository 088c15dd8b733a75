/* Loop-carried load chains of self-loop blocks (chase_loads.h). Two passes over the
 * block: the first finds the registers that leave an iteration holding a loaded value
 * (or one computed from it), the second starts from those as the previous iteration's
 * results and counts the loads in a row whose address comes from them. */
#include "chase_loads.h"
#include <string.h>
#include "gas.h"
#include "vm/isa/isa.h"

enum { NREG = PVM_REG_COUNT };

/* The register an op writes (-1: none) and the ones whose values it combines into it. */
typedef struct {
    int dst;
    int src[3];
    int base; /* a load's address register (-1: absolute address) */
} reg_roles;

static int reg_or_none(uint8_t r) { return r < NREG ? r : -1; }

static reg_roles roles_of(const pvm_instr *in, pvm_op op)
{
    reg_roles r = {-1, {-1, -1, -1}, -1};
    pvm_op_group g = pvm_op_group_of(op);
    pvm_kind k = pvm_op_table[op].kind;
    if (g == PVM_GROUP_LOAD) {
        r.dst = reg_or_none(in->a);
        if (k == PVM_KIND_REG_REG_IMM) r.base = reg_or_none(in->b);
        return r;
    }
    if (!pvm_op_is_pure(op) && g != PVM_GROUP_CMOV) {
        /* jumps that load an immediate: a fresh value; stores, branches: none (host calls,
         * sbrk among them, are handled by the caller: they clear every register) */
        if (op == PVM_OP_LOAD_IMM_JUMP || op == PVM_OP_LOAD_IMM_JUMP_IND) r.dst = reg_or_none(in->a);
        return r;
    }
    switch (k) {
    case PVM_KIND_REG3: r.dst = reg_or_none(in->d), r.src[0] = reg_or_none(in->a), r.src[1] = reg_or_none(in->b); break;
    case PVM_KIND_REG_REG: r.dst = reg_or_none(in->d), r.src[0] = reg_or_none(in->a); break;
    case PVM_KIND_REG_REG_IMM:
    case PVM_KIND_REG_REG_OFF:
    case PVM_KIND_REG_REG_IMM_IMM: r.dst = reg_or_none(in->a), r.src[0] = reg_or_none(in->b); break;
    case PVM_KIND_REG_IMM:
    case PVM_KIND_REG_IMM64:
    case PVM_KIND_REG_IMM_IMM:
    case PVM_KIND_REG_IMM_OFF: r.dst = reg_or_none(in->a); break;
    default: break;
    }
    if (g == PVM_GROUP_CMOV) r.src[2] = r.dst; /* keeps the old value when its condition fails */
    return r;
}

static bool is_self_loop(const pvm_decoded *d, const pvm_block *b)
{
    if (!b->count) return false;
    const pvm_instr *last = &d->instrs[b->first + b->count - 1];
    pvm_op op = pvm_gas_charged_op(d, last);
    return (pvm_op_is_branch(op) || op == PVM_OP_JUMP) && last->target_pc == d->instrs[b->first].pc;
}

/* One pass: depth[r] is the number of chained loads behind r's value (0: none); a load
 * through an address of depth k gives depth k + 1, or `fresh` when k is 0 (the first pass
 * marks every loaded value, the second only those of carried chains). Returns the
 * deepest address a load used. Host calls leave no register known. */
static uint32_t pass(const pvm_decoded *d, const pvm_block *b, uint32_t depth[NREG], uint32_t fresh)
{
    uint32_t deepest = 0;
    for (uint32_t i = 0; i < b->count; i++) {
        const pvm_instr *in = &d->instrs[b->first + i];
        pvm_op op = pvm_gas_charged_op(d, in);
        if (op >= PVM_OP_INVALID) continue;
        if (pvm_op_group_of(op) == PVM_GROUP_HOST) {
            memset(depth, 0, NREG * sizeof depth[0]);
            continue;
        }
        reg_roles r = roles_of(in, op);
        if (r.dst < 0) continue;
        uint32_t v = 0;
        if (pvm_op_group_of(op) == PVM_GROUP_LOAD) {
            uint32_t at = r.base >= 0 ? depth[r.base] : 0;
            if (at > deepest) deepest = at;
            v = at ? at + 1 : fresh;
        } else {
            for (int s = 0; s < 3; s++)
                if (r.src[s] >= 0 && depth[r.src[s]] > v) v = depth[r.src[s]];
        }
        depth[r.dst] = v;
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
