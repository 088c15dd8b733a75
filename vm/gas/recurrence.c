/* Loop-carried register chains of self-looping blocks (recurrence.h). */
#include "recurrence.h"
#include "gas.h"
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
        const pvm_instr *in = &d->instrs[b->first + i];
        pvm_op op = pvm_gas_charged_op(d, in);
        if (op >= PVM_OP_INVALID) continue;
        pvm_op_group g = pvm_op_group_of(op);
        if (g == PVM_GROUP_HOST) return -1;
        unsigned dst;
        int64_t v = -1;
        if (pvm_op_is_pure(op) || g == PVM_GROUP_CMOV) {
            dst = pvm_pure_dest(in);
            /* A cmov may keep its old value: it reads its destination too. */
            uint32_t reads = pvm_pure_read_set(in) | (g == PVM_GROUP_CMOV && dst < NREG ? 1u << dst : 0);
            for (unsigned r = 0; r < NREG; r++)
                if (reads >> r & 1 && at[r] > v) v = at[r];
            if (v >= 0) {
                const pvm_class_cost *k = &p->cls[pvm_op_pipeline_class(op)];
                v += k->latency + (d->is_64bit ? k->latency_b64 : 0);
            }
        } else if (g == PVM_GROUP_LOAD || op == PVM_OP_LOAD_IMM_JUMP || op == PVM_OP_LOAD_IMM_JUMP_IND) {
            dst = in->a; /* a load's value is a new chain (chase.hop's), an immediate none */
        } else {
            continue; /* stores, branches, jumps: no register written */
        }
        if (dst < NREG) at[dst] = v;
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
