/* Loop-carried register chains of self-looping blocks (recurrence.h). */
#include "recurrence.h"
#include "gas.h"
#include "reg_flow.h"
#include "vm/isa/isa.h"

enum { NREG = PVM_REG_COUNT };

/* Whether the block ends in a branch or jump back to its own start. */
static bool loops_on_itself(const pvm_decoded *d, uint32_t block)
{
    const pvm_block *b = &d->blocks[block];
    if (!b->count || b->target_block != block) return false;
    pvm_op op = pvm_gas_charged_op(d, &d->instrs[b->first + b->count - 1]);
    return pvm_op_is_branch(op) || op == PVM_OP_JUMP;
}

/* The cycles from register `from`'s value at the block's entry to each register's value at
 * its end (-1: not derived from it). */
static int64_t chain_from(const pvm_pipeline_params *p, const pvm_decoded *d, const pvm_block *b, unsigned from)
{
    int64_t at[NREG];
    for (unsigned r = 0; r < NREG; r++) at[r] = -1;
    at[from] = 0;
    for (uint32_t i = 0; i < b->count; i++) {
        pvm_reg_flow f = pvm_gas_reg_flow(d, &d->instrs[b->first + i]);
        int64_t v = -1;
        switch (f.kind) {
        case PVM_FLOW_CLOBBER: return -1;
        case PVM_FLOW_COMPUTE:
            for (unsigned r = 0; r < NREG; r++)
                if (f.reads >> r & 1 && at[r] > v) v = at[r];
            if (v >= 0) {
                const pvm_class_cost *k = &p->cls[pvm_op_pipeline_class(f.op)];
                v += k->latency + (d->is_64bit ? k->latency_b64 : 0);
            }
            break;
        case PVM_FLOW_LOAD: break;     /* a load's value is a new chain (chase.hop's) */
        case PVM_FLOW_CONSTANT: break; /* an immediate: none */
        case PVM_FLOW_NONE: continue;  /* stores, branches, jumps: no register written */
        }
        if (f.dst < NREG) at[f.dst] = v;
    }
    return at[from];
}

uint32_t pvm_gas_recurrence_cycles(const pvm_pipeline_params *p, const pvm_decoded *d, uint32_t block)
{
    if (!p || block >= d->n_blocks || !loops_on_itself(d, block)) return 0;
    int64_t most = 0;
    for (unsigned r = 0; r < NREG; r++) {
        int64_t c = chain_from(p, d, &d->blocks[block], r);
        if (c > most) most = c;
    }
    return most > UINT32_MAX ? UINT32_MAX : (uint32_t)most;
}

uint32_t pvm_gas_recurrence_floor(uint32_t cycles, uint32_t milligas_per_cycle)
{
    uint64_t g = ((uint64_t)cycles * milligas_per_cycle + 999) / 1000;
    return g > UINT32_MAX ? UINT32_MAX : (uint32_t)g;
}
