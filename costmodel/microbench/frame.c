/* The loop skeleton: prologue, loop head, trip counter, epilogue, container output. */
#include "frame.h"

#include <stdio.h>
#include <stdlib.h>

#include "vm/isa/isa.h"

int mb_frame_begin(mb_frame *f, uint32_t rw_size)
{
    return mb_frame_begin_width(f, rw_size, false);
}

int mb_frame_begin_width(mb_frame *f, uint32_t rw_size, bool narrow)
{
    f->narrow = narrow;
    f->b = pvm_builder_new(narrow ? PVM_ISA_LATEST32 : PVM_ISA_LATEST64);
    if (!f->b) return -1;
    pvm_label entry = pvm_builder_label(f->b);
    f->loop = pvm_builder_label(f->b);
    pvm_builder_set_rw_data(f->b, NULL, 0, rw_size);
    pvm_builder_set_stack_size(f->b, 4096);
    pvm_builder_export(f->b, "main", entry);
    pvm_builder_bind(f->b, entry);
    pvm_emit_reg_reg(f->b, PVM_OP_MOVE_REG, R_COUNTER, R_A0);
    return 0;
}

void mb_frame_loop_top(mb_frame *f)
{
    /* The loop head must start a block: end the prologue's block explicitly. */
    pvm_emit_none(f->b, PVM_OP_FALLTHROUGH);
    pvm_builder_bind(f->b, f->loop);
}

void mb_frame_loop_end(mb_frame *f)
{
    pvm_emit_reg_reg_imm(f->b, f->narrow ? PVM_OP_ADD_IMM_32 : PVM_OP_ADD_IMM_64, R_COUNTER, R_COUNTER, -1);
    pvm_emit_reg_imm_jump(f->b, PVM_OP_BRANCH_NE_IMM, R_COUNTER, 0, f->loop);
}

pvm_label mb_label_here(pvm_builder *b)
{
    pvm_label l = pvm_builder_label(b);
    pvm_builder_bind(b, l);
    return l;
}

int mb_frame_finish(mb_frame *f, unsigned checksum_reg, mb_program *out, char *err, size_t err_len)
{
    mb_label_here(f->b);
    if (checksum_reg != R_A0) pvm_emit_reg_reg(f->b, PVM_OP_MOVE_REG, R_A0, checksum_reg);
    pvm_emit_reg_imm(f->b, PVM_OP_JUMP_IND, R_RA, 0); /* ra = PVM_ADDR_HALT */
    pvm_error perr = {{0}};
    pvm_status st = pvm_builder_finish_polkavm(f->b, &out->blob, &out->blob_len, &perr);
    pvm_builder_free(f->b);
    f->b = NULL;
    if (st != PVM_OK) {
        snprintf(err, err_len, "builder: %s", perr.msg);
        return -1;
    }
    return 0;
}

void mb_frame_abandon(mb_frame *f)
{
    pvm_builder_free(f->b);
    f->b = NULL;
}
