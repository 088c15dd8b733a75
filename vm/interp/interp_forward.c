/* Operand forwarding (interp.h): which register the loop's acc holds after each
 * instruction, and which variant an instruction is dispatched as. The loop's
 * handlers keep to this: every handler of an instruction that writes one
 * register (and is not a host call) leaves the written value in acc; stores
 * leave acc alone; anything else forgets it. Register roles
 * come from the operand kind (vm/program/decode.h); they are read once per op
 * into a table, as the compile step asks for every instruction. */
#include <pthread.h>
#include "interp.h"
#include "vm/isa/isa.h"

enum { WRITES_NONE, WRITES_D, WRITES_A, WRITES_NOTHING_KEEP }; /* what acc holds after the op */

typedef struct {
    uint8_t writes, reads;
} op_roles;

static op_roles roles_of(pvm_op op)
{
    const pvm_op_info *t = &pvm_op_table[op];
    op_roles r = {WRITES_NONE, 0};
    bool store = t->group == PVM_GROUP_STORE;
    r.reads = (uint8_t)PVM_INTERP_READS_OF(t->kind, t->group); /* (interp.h) */
    if (store) r.writes = WRITES_NOTHING_KEEP;
    else if (t->group == PVM_GROUP_HOST || pvm_op_is_terminator(op)) r.writes = WRITES_NONE;
    else if (t->kind == PVM_KIND_REG3 || t->kind == PVM_KIND_REG_REG) r.writes = WRITES_D;
    else if (t->kind == PVM_KIND_REG_REG_IMM || t->kind == PVM_KIND_REG_IMM64) r.writes = WRITES_A;
    else if (t->kind == PVM_KIND_REG_IMM && (t->group == PVM_GROUP_LOAD_IMM || t->group == PVM_GROUP_LOAD))
        r.writes = WRITES_A; /* load_imm and the absolute loads */
    return r;
}

static op_roles role_table[PVM_OP_COUNT];
static pthread_once_t role_once = PTHREAD_ONCE_INIT;

static void build_roles(void)
{
    for (unsigned op = 0; op < PVM_OP_COUNT; op++) role_table[op] = roles_of((pvm_op)op);
}

/* (built once, from any thread: vm/isa/isa.c says why not as a racing "idempotent" build) */
static const op_roles *roles(void)
{
    pthread_once(&role_once, build_roles);
    return role_table;
}

static inline unsigned after(const op_roles *t, const pvm_instr *in, unsigned acc_reg)
{
    unsigned w;
    switch (t[in->op].writes) {
    case WRITES_NOTHING_KEEP: return acc_reg;
    case WRITES_D: w = in->d; break;
    case WRITES_A: w = in->a; break;
    default: return PVM_REG_COUNT;
    }
    return w < PVM_REG_COUNT ? w : PVM_REG_COUNT;
}

static inline pvm_interp_src src_for(const op_roles *t, const pvm_instr *in, unsigned acc_reg)
{
    unsigned reads = t[in->op].reads;
    if (acc_reg >= PVM_REG_COUNT) return PVM_INTERP_SRC_MEMORY;
    if ((reads & PVM_INTERP_READS_B) && in->b == acc_reg) return PVM_INTERP_SRC_B;
    if ((reads & PVM_INTERP_READS_A) && in->a == acc_reg) return PVM_INTERP_SRC_A;
    return PVM_INTERP_SRC_MEMORY;
}

unsigned pvm_interp_acc_after(const pvm_instr *in, unsigned acc_reg) { return after(roles(), in, acc_reg); }
pvm_interp_src pvm_interp_src_for(const pvm_instr *in, unsigned acc_reg) { return src_for(roles(), in, acc_reg); }

unsigned pvm_interp_acc_before(const pvm_decoded *d, uint32_t index)
{
    const op_roles *t = roles();
    unsigned acc_reg = PVM_REG_COUNT;
    for (uint32_t i = d->blocks[d->instrs[index].block].first; i < index; i++) acc_reg = after(t, &d->instrs[i], acc_reg);
    return acc_reg;
}

void pvm_interp_forward_xops(pvm_decoded *d, const uint8_t (*pair)[PVM_OP_COUNT], uint32_t first, uint32_t last)
{
    const op_roles *t = roles();
    const bool w32 = !d->is_64bit;
    unsigned acc_reg = PVM_REG_COUNT;
    pvm_instr *in = d->instrs + first, *stop = d->instrs + last, *end = d->instrs + d->n_instrs;
    for (; in < stop; in++) {
        if (in->block_start) acc_reg = PVM_REG_COUNT;
        unsigned src = src_for(t, in, acc_reg), acc_next = after(t, in, acc_reg);
        int w = w32 ? pvm_interp_width_index((pvm_op)in->op) : -1;
        /* (no pair into a jump whose target is not a block start: that one runs its
         * guarded loop's bad_ handler, interp_loop.inc; none with a width op in a 32-bit
         * module: the pairs' bodies are the 64-bit ones) */
        unsigned k = in + 1 < end && !in[1].block_start && !pvm_interp_bad_target(&in[1]) ? pair[in->op][in[1].op] : 0;
        if (k && w32 && (w >= 0 || pvm_interp_width_index((pvm_op)in[1].op) >= 0)) k = 0;
        if (__builtin_expect(k != 0, 0))
            in->xop = (uint16_t)(PVM_INTERP_XOP_FUSED +
                                 PVM_INTERP_FUSED_COUNT * (PVM_INTERP_SRC_COUNT * src + src_for(t, in + 1, acc_next)) + k - 1);
        else if (w >= 0)
            in->xop = (uint16_t)(PVM_INTERP_XOP_W32 + PVM_INTERP_SRC_COUNT * (unsigned)w + src);
        else
            in->xop = (uint16_t)(in->op + PVM_OP_COUNT * src);
        acc_reg = acc_next;
    }
}
