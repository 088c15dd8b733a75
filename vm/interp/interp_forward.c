/* Operand forwarding (interp.h): which register the loop's acc holds after each
 * instruction, and which variant an instruction is dispatched as. The loop's
 * handlers keep to this: every handler of an instruction that writes one
 * register (and is not a host call) leaves the written value in acc; stores
 * and `unlikely` leave acc alone; anything else forgets it. Register roles
 * come from the operand kind (vm/program/decode.h). */
#include "interp.h"
#include "vm/isa/isa.h"

unsigned pvm_interp_acc_after(const pvm_instr *in, unsigned acc_reg)
{
    const pvm_op_info *t = &pvm_op_table[in->op];
    unsigned none = PVM_REG_COUNT, w;
    if (in->op == PVM_OP_UNLIKELY || t->group == PVM_GROUP_STORE) return acc_reg;
    if (t->group == PVM_GROUP_HOST || pvm_op_is_terminator((pvm_op)in->op)) return none;
    switch (t->kind) {
    case PVM_KIND_REG3:
    case PVM_KIND_REG_REG: w = in->d; break;
    case PVM_KIND_REG_REG_IMM:
    case PVM_KIND_REG_IMM64: w = in->a; break;
    case PVM_KIND_REG_IMM: /* load_imm and the absolute loads */
        if (t->group != PVM_GROUP_LOAD_IMM && t->group != PVM_GROUP_LOAD) return none;
        w = in->a;
        break;
    default: return none;
    }
    return w < PVM_REG_COUNT ? w : none;
}

pvm_interp_src pvm_interp_src_for(const pvm_instr *in, unsigned acc_reg)
{
    if (acc_reg >= PVM_REG_COUNT) return PVM_INTERP_SRC_MEMORY;
    const pvm_op_info *t = &pvm_op_table[in->op];
    bool store = t->group == PVM_GROUP_STORE;
    bool reads_b = t->kind == PVM_KIND_REG3 || t->kind == PVM_KIND_REG_REG_IMM || t->kind == PVM_KIND_REG_REG_OFF;
    bool reads_a = t->kind == PVM_KIND_REG3 || t->kind == PVM_KIND_REG_REG || t->kind == PVM_KIND_REG_REG_OFF ||
                   t->kind == PVM_KIND_REG_IMM_OFF || (store && t->kind != PVM_KIND_IMM_IMM);
    if (reads_b && in->b == acc_reg) return PVM_INTERP_SRC_B;
    if (reads_a && in->a == acc_reg) return PVM_INTERP_SRC_A;
    return PVM_INTERP_SRC_MEMORY;
}

unsigned pvm_interp_acc_before(const pvm_decoded *d, uint32_t index)
{
    unsigned acc_reg = PVM_REG_COUNT;
    for (uint32_t i = d->blocks[d->instrs[index].block].first; i < index; i++)
        acc_reg = pvm_interp_acc_after(&d->instrs[i], acc_reg);
    return acc_reg;
}
