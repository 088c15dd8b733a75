/* The interpreter's instruction records (interp.h: pvm_interp_op), built once per
 * module from the decoder's records and the block costs. Which field `aux` holds
 * comes from the operand kind: a static target for the kinds with an offset, else
 * the second immediate. A target is the record a jump enters its block at
 * (pvm_interp_entry: past a leading unlikely), as a byte offset, so that a taken
 * branch adds it to the records' base with no multiply. */
#include <stdlib.h>
#include "interp.h"
#include "vm/isa/isa.h"
#include "vm/util/large_alloc.h"

pvm_interp_op *pvm_interp_code_build(const pvm_decoded *d, const uint32_t *cost)
{
    if (d->n_instrs > PVM_INTERP_MAX_INSTRS) return NULL;
    pvm_interp_op *code = util_alloc_large((size_t)d->n_instrs * sizeof *code);
    if (!code) return NULL;
    for (uint32_t k = 0; k < d->n_blocks; k++) {
        const pvm_block *b = &d->blocks[k];
        for (uint32_t i = b->first; i < b->first + b->count; i++) {
            const pvm_instr *in = &d->instrs[i];
            uint32_t aux = (uint32_t)in->imm2;
            if (pvm_kind_has_target(pvm_op_table[in->op].kind))
                aux = in->target == PVM_NO_INDEX ? PVM_NO_INDEX
                                                 : pvm_interp_entry(d, in->target) * (uint32_t)sizeof *code;
            code[i] = (pvm_interp_op){
                .handler = NULL,
                .imm = in->imm,
                .aux = aux,
                .cost = i == b->first && cost ? cost[k] : 0,
                .left = b->first + b->count - i,
                .a = in->a,
                .b = in->b,
                .d = in->d,
            };
            if (pvm_interp_has_next((pvm_op)in->op)) code[i].next = pvm_interp_next_step(d, i);
        }
        /* The block's entry record past an unlikely pays the block and counts the unlikely. */
        uint32_t entry = pvm_interp_entry(d, b->first);
        if (entry != b->first) {
            code[entry].cost = cost ? cost[k] : 0;
            code[entry].left++;
            code[entry].skip = 1;
        }
    }
    return code;
}

uint32_t *pvm_interp_jump_table_build(const pvm_decoded *d)
{
    uint32_t *jt = malloc((d->jt_len ? d->jt_len : 1) * sizeof *jt);
    if (!jt) return NULL;
    for (uint32_t k = 0; k < d->jt_len; k++) {
        uint32_t t = d->jump_table_index[k];
        jt[k] = t == PVM_NO_INDEX ? PVM_NO_INDEX : pvm_interp_entry(d, t) * (uint32_t)sizeof(pvm_interp_op);
    }
    return jt;
}

void pvm_interp_code_free(pvm_interp_op *code, uint32_t n)
{
    util_free_large(code, (size_t)n * sizeof *code);
}
