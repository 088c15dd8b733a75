/* The interpreter's compile step: each instruction's dispatch code (xop), which
 * is its op, or a super-instruction when it and the next instruction of its
 * basic block form a pair of interp_fused.def. */
#include "vm/api/internal.h"
#include "interp.h"

static const uint8_t fused_pairs[][2] = {
#define FUSED(a, b) {PVM_OP_##a, PVM_OP_##b},
#include "interp_fused.def"
#undef FUSED
};

void pvm_interp_prepare(pvm_decoded *d)
{
    for (uint32_t i = 0; i < d->n_instrs; i++) {
        pvm_instr *in = &d->instrs[i];
        in->xop = in->op;
        if (i + 1 >= d->n_instrs || d->instrs[i + 1].block_start) continue;
        for (unsigned k = 0; k < PVM_INTERP_FUSED_COUNT; k++)
            if (fused_pairs[k][0] == in->op && fused_pairs[k][1] == d->instrs[i + 1].op) {
                in->xop = (uint16_t)(PVM_OP_COUNT + k);
                break;
            }
    }
}
