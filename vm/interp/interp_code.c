/* The interpreter's instruction records (interp.h: pvm_interp_op), built once per
 * module from the decoder's records and the block costs. Which field `aux` holds
 * comes from the operand kind: a static target for the kinds with an offset, else
 * the second immediate. */
#include "interp.h"
#include "vm/isa/isa.h"
#include "vm/util/large_alloc.h"

pvm_interp_op *pvm_interp_code_build(const pvm_decoded *d, const uint32_t *cost)
{
    pvm_interp_op *code = util_alloc_large((size_t)d->n_instrs * sizeof *code);
    if (!code) return NULL;
    for (uint32_t k = 0; k < d->n_blocks; k++) {
        const pvm_block *b = &d->blocks[k];
        for (uint32_t i = b->first; i < b->first + b->count; i++) {
            const pvm_instr *in = &d->instrs[i];
            code[i] = (pvm_interp_op){
                .handler = NULL,
                .imm = in->imm,
                .aux = pvm_kind_has_target(pvm_op_table[in->op].kind) ? in->target : (uint32_t)in->imm2,
                .cost = i == b->first ? cost[k] : 0,
                .left = b->first + b->count - i,
                .a = in->a,
                .b = in->b,
                .d = in->d,
            };
        }
    }
    return code;
}

void pvm_interp_code_free(pvm_interp_op *code, uint32_t n)
{
    util_free_large(code, (size_t)n * sizeof *code);
}
