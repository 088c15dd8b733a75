/* The interpreter's compile step: each instruction's dispatch code (xop): its
 * op, or a super-instruction when it and the next instruction of its basic
 * block form a pair of interp_fused.def, in the variant that takes the (second)
 * instructions' operands from where operand forwarding (interp_forward.c) has them. */
#include "vm/state/vm_state.h"
#include "interp.h"

static const uint8_t fused_pairs[][2] = {
#define FUSED(a, b) {PVM_OP_##a, PVM_OP_##b},
#include "interp_fused.def"
#undef FUSED
};

void pvm_interp_prepare(pvm_decoded *d, pvm_gas_mode mode)
{
    /* pair[first][second]: the super-instruction's index plus one, 0 for none
     * (the first pair listed wins, as the list is in order of frequency). */
    static uint8_t pair[PVM_OP_COUNT][PVM_OP_COUNT];
    static int pair_ready;
    if (!__atomic_load_n(&pair_ready, __ATOMIC_ACQUIRE)) { /* constant data: a benign idempotent build */
        for (unsigned k = PVM_INTERP_FUSED_COUNT; k-- > 0;) pair[fused_pairs[k][0]][fused_pairs[k][1]] = (uint8_t)(k + 1);
        __atomic_store_n(&pair_ready, 1, __ATOMIC_RELEASE);
    }
    unsigned acc_reg = PVM_REG_COUNT;
    for (uint32_t i = 0; i < d->n_instrs; i++) {
        pvm_instr *in = &d->instrs[i];
        if (in->block_start) acc_reg = PVM_REG_COUNT;
        unsigned k = i + 1 < d->n_instrs && !d->instrs[i + 1].block_start ? pair[in->op][d->instrs[i + 1].op] : 0;
        unsigned after = pvm_interp_acc_after(in, acc_reg);
        if (k)
            in->xop = (uint16_t)(PVM_INTERP_XOP_FUSED +
                                 PVM_INTERP_FUSED_COUNT * (PVM_INTERP_SRC_COUNT * pvm_interp_src_for(in, acc_reg) +
                                                           pvm_interp_src_for(in + 1, after)) +
                                 k - 1);
        else
            in->xop = (uint16_t)(in->op + PVM_OP_COUNT * pvm_interp_src_for(in, acc_reg));
        acc_reg = after;
    }
    pvm_interp_thread(d, mode);
}
