/* A guest that touches pages, shared by the lazy-page and reset tests and by
 * the sandbox benchmarks. Exports (a0 = first address, a1 = page count,
 * a2 = stride in bytes):
 *   write_pages  stores the low byte of the remaining count at each address
 *   read_pages   loads one byte at each address; a0 = the sum of the bytes
 *   sbrk         a0 = sbrk(a0)
 * All halt with a jump to ra. */
#ifndef PVM_TOUCH_PROGRAM_H
#define PVM_TOUCH_PROGRAM_H
#include "vm/isa/isa.h"
#include "pvm/builder.h"

static inline void touch_program_loop(pvm_builder *b, const char *name, int op)
{
    pvm_label entry = pvm_builder_label(b), loop = pvm_builder_label(b), done = pvm_builder_label(b);
    pvm_builder_export(b, name, entry);
    pvm_builder_bind(b, entry);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, 11, 0);
    pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_EQ_IMM, 8, 0, done);
    pvm_builder_bind(b, loop);
    if (pvm_op_mem_access((pvm_op)op).is_store) {
        pvm_emit_reg_reg_imm(b, PVM_OP_STORE_IND_U8, 8, 7, 0);
    } else {
        pvm_emit_reg_reg_imm(b, PVM_OP_LOAD_IND_U8, 10, 7, 0);
        pvm_emit_reg3(b, PVM_OP_ADD_64, 11, 11, 10);
    }
    pvm_emit_reg3(b, PVM_OP_ADD_64, 7, 7, 9);
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, 8, 8, -1);
    pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_NE_IMM, 8, 0, loop);
    pvm_builder_bind(b, done);
    pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, 7, 11);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, 0, 0);
}

/* rw region of rw_size bytes (the first init_len from init), ro region of ro_size (from ro_init). */
static inline pvm_builder *touch_program(uint32_t rw_size, const uint8_t *init, uint32_t init_len, uint32_t ro_size,
                                         const uint8_t *ro_init, uint32_t ro_len)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST64);
    if (!b) return NULL;
    if (ro_size) pvm_builder_set_ro_data(b, ro_init, ro_len, ro_size);
    pvm_builder_set_rw_data(b, init, init_len, rw_size);
    pvm_builder_set_stack_size(b, 4096);
    touch_program_loop(b, "write_pages", PVM_OP_STORE_IND_U8);
    touch_program_loop(b, "read_pages", PVM_OP_LOAD_IND_U8);
    pvm_label grow = pvm_builder_label(b);
    pvm_builder_export(b, "sbrk", grow);
    pvm_builder_bind(b, grow);
    pvm_emit_reg_reg(b, PVM_OP_SBRK, 7, 7);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, 0, 0);
    return b;
}
#endif
