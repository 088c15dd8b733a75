/* How one instruction moves register values, for the metering's dataflow over a block
 * (carried load chains, chase_loads.c; carried register chains, recurrence.c): both walk a
 * block the same way and differ only in what they carry along a register. */
#ifndef PVM_GAS_REG_FLOW_H
#define PVM_GAS_REG_FLOW_H
#include <stdint.h>
#include "gas.h"
#include "vm/isa/isa.h"
#include "vm/program/decode.h"

typedef enum {
    PVM_FLOW_NONE,      /* writes no register: stores, branches, jumps, invalid */
    PVM_FLOW_CLOBBER,   /* a host call: every register may change */
    PVM_FLOW_LOAD,      /* dst = memory at an address read from `reads` (none: a fixed address) */
    PVM_FLOW_COMPUTE,   /* dst = f(reads): a pure op, or a cmov (which reads its dst: it may keep it) */
    PVM_FLOW_CONSTANT,  /* dst = an immediate (the return address of a call) */
} pvm_flow_kind;

typedef struct {
    pvm_flow_kind kind;
    pvm_op op;      /* the op the cost models charge (pvm_gas_charged_op) */
    unsigned dst;   /* may be >= PVM_REG_COUNT: no register */
    uint32_t reads; /* registers read, as a bit set */
} pvm_reg_flow;

static inline pvm_reg_flow pvm_gas_reg_flow(const pvm_decoded *d, const pvm_instr *in)
{
    pvm_reg_flow f = {PVM_FLOW_NONE, pvm_gas_charged_op(d, in), PVM_REG_COUNT, 0};
    if (f.op >= PVM_OP_INVALID) return f;
    pvm_op_group g = pvm_op_group_of(f.op);
    if (g == PVM_GROUP_HOST) {
        f.kind = PVM_FLOW_CLOBBER;
    } else if (g == PVM_GROUP_LOAD) {
        f.kind = PVM_FLOW_LOAD, f.dst = in->a;
        if (pvm_op_table[f.op].kind == PVM_KIND_REG_REG_IMM && in->b < PVM_REG_COUNT) f.reads = 1u << in->b;
    } else if (pvm_op_is_pure(f.op) || g == PVM_GROUP_CMOV) {
        f.kind = PVM_FLOW_COMPUTE, f.dst = pvm_pure_dest(in);
        f.reads = pvm_pure_read_set(in) | (g == PVM_GROUP_CMOV && f.dst < PVM_REG_COUNT ? 1u << f.dst : 0);
    } else if (f.op == PVM_OP_LOAD_IMM_JUMP || f.op == PVM_OP_LOAD_IMM_JUMP_IND) {
        f.kind = PVM_FLOW_CONSTANT, f.dst = in->a;
    }
    return f;
}
#endif
