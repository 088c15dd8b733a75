/* The op a block's instruction is charged as: its own, or, for a conditional branch
 * that the decoder turned into a trap (its target is not a block start), the branch
 * that the code bytes hold. Its own file: the table model (gas.c) and the pipeline
 * simulator (pipeline_sim.c) both price instructions through it. */
#include "gas.h"
#include "vm/isa/isa.h"

pvm_op pvm_gas_charged_op(const pvm_decoded *d, const pvm_instr *in)
{
    if (in->op < PVM_OP_INVALID) return (pvm_op)in->op;
    uint32_t pc = in->pc;
    bool has_bit = !d->bitmask || (pc < d->code_len && ((d->bitmask[pc >> 3] >> (pc & 7)) & 1));
    if (!d->code || pc >= d->code_len || !has_bit) return PVM_OP_INVALID;
    pvm_op raw = pvm_isa_decode_opcode(d->isa, d->code[pc]);
    return pvm_op_is_branch(raw) ? raw : PVM_OP_INVALID;
}
