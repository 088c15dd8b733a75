/* The interpreter's compile step: each instruction's dispatch code (xop): its
 * op, or a super-instruction when it and the next instruction of its basic
 * block form a pair of interp_fused.def, in the variant that takes the (second)
 * instructions' operands from where operand forwarding (interp_forward.c) has them;
 * then the interpreter's records (interp_code.c), threaded for the module's gas mode. */
#include "vm/state/vm_state.h"
#include "vm/util/error.h"
#include "interp.h"

_Static_assert(PVM_INTERP_FUSED_COUNT < 255, "pair[][] holds a super-instruction's index plus one in a byte");
_Static_assert(PVM_INTERP_XOP_COUNT <= 65536, "an xop is 16 bits (pvm_instr.xop)");

static const uint8_t fused_pairs[][2] = {
#define FUSED(a, b) {PVM_OP_##a, PVM_OP_##b},
#include "interp_fused.def"
#undef FUSED
};

pvm_status pvm_interp_prepare(pvm_module *m, pvm_error *err)
{
    pvm_decoded *d = &m->dec;
    /* pair[first][second]: the super-instruction's index plus one, 0 for none
     * (the first pair listed wins, as the list is in order of frequency). */
    static uint8_t pair[PVM_OP_COUNT][PVM_OP_COUNT];
    static int pair_ready;
    if (!__atomic_load_n(&pair_ready, __ATOMIC_ACQUIRE)) { /* constant data: a benign idempotent build */
        for (unsigned k = PVM_INTERP_FUSED_COUNT; k-- > 0;) pair[fused_pairs[k][0]][fused_pairs[k][1]] = (uint8_t)(k + 1);
        __atomic_store_n(&pair_ready, 1, __ATOMIC_RELEASE);
    }
    pvm_interp_forward_xops(d, (const uint8_t(*)[PVM_OP_COUNT])pair);
    /* (no gas: the records carry no cost, and the loops read left and cost as one word) */
    pvm_status st = pvm_interp_code_build(d, m->engine->cfg.gas_mode == PVM_GAS_NONE ? NULL : m->block_cost,
                                          &m->interp_code, err);
    if (st) return st;
    m->interp_jump_table = pvm_interp_jump_table_build(d);
    if (!m->interp_jump_table) {
        pvm_interp_code_free(m->interp_code, d->n_instrs);
        m->interp_code = NULL;
        return pvm_fail(err, PVM_ERR_NO_MEMORY, "out of memory for the interpreter's jump table");
    }
    pvm_interp_thread(d, m->interp_code, m->engine->cfg.gas_mode);
    return PVM_OK;
}
