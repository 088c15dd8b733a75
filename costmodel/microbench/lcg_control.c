/* Control flow on pseudo-random data: each unit steps a 64-bit LCG held in registers and
 * then either branches on one bit of it (MB_BRANCH) or jumps through the jump table to
 * one of 8 targets chosen by three bits (MB_INDIRECT). The fixed variants mask the bits
 * to 0, keeping exactly the same instructions, so the difference between the two is the
 * cost of mispredicting. Each branch targets the next instruction, so taken and not
 * taken execute the same instructions too. */
#include <stdio.h>

#include "frame.h"
#include "vm/isa/isa.h"

enum { R_STATE = R_T1, R_MUL = R_A5, R_BITS = R_A2, R_ACC = R_A1 };

/* The guest's sequence, replayed on the host for the expected checksum. */
static uint64_t expected_sum(const mb_spec *s, uint64_t mask)
{
    uint64_t state = MB_LCG_SEED, sum = 0;
    for (uint64_t k = 0; k < s->trips * s->units; k++) {
        state = state * MB_LCG_MUL + MB_LCG_ADD;
        sum += (state >> MB_LCG_SHIFT) & mask;
    }
    return sum;
}

static void emit_lcg_step(pvm_builder *b, uint64_t mask)
{
    pvm_emit_reg3(b, PVM_OP_MUL_64, R_STATE, R_STATE, R_MUL);
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, R_STATE, R_STATE, (int64_t)MB_LCG_ADD);
    pvm_emit_reg_reg_imm(b, PVM_OP_SHLO_R_IMM_64, R_BITS, R_STATE, MB_LCG_SHIFT);
    pvm_emit_reg_reg_imm(b, PVM_OP_AND_IMM, R_BITS, R_BITS, (int64_t)mask);
}

static void emit_branch_unit(pvm_builder *b, uint64_t mask)
{
    emit_lcg_step(b, mask);
    pvm_label next = pvm_builder_label(b);
    pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_EQ_IMM, R_BITS, 0, next);
    pvm_builder_bind(b, next);
    pvm_emit_reg3(b, PVM_OP_ADD_64, R_ACC, R_ACC, R_BITS);
}

static void emit_indirect_unit(pvm_builder *b, uint64_t mask)
{
    emit_lcg_step(b, mask);
    pvm_label target[8], join = pvm_builder_label(b);
    uint32_t first = 0;
    for (int j = 0; j < 8; j++) {
        target[j] = pvm_builder_label(b);
        uint32_t address = pvm_builder_jump_table_add(b, target[j]);
        if (j == 0) first = address; /* entries are consecutive: target j is first + 2j */
    }
    pvm_emit_reg_reg_imm(b, PVM_OP_SHLO_L_IMM_64, R_BITS, R_BITS, 1);
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, R_BITS, R_BITS, first);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, R_BITS, 0);
    for (int j = 0; j < 8; j++) {
        pvm_builder_bind(b, target[j]);
        pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, R_ACC, R_ACC, j);
        pvm_emit_jump(b, PVM_OP_JUMP, join);
    }
    pvm_builder_bind(b, join);
}

int mb_build_lcg_control(const mb_spec *s, mb_program *out, char *err, size_t err_len)
{
    bool indirect = s->family == MB_INDIRECT;
    uint64_t mask = !s->random ? 0 : indirect ? 7 : 1;
    mb_frame f;
    if (mb_frame_begin(&f, 4096) != 0) {
        snprintf(err, err_len, "%s: out of memory", s->name);
        return -1;
    }
    pvm_emit_reg_imm64(f.b, PVM_OP_LOAD_IMM_64, R_STATE, MB_LCG_SEED);
    pvm_emit_reg_imm64(f.b, PVM_OP_LOAD_IMM_64, R_MUL, MB_LCG_MUL);
    pvm_emit_reg_imm(f.b, PVM_OP_LOAD_IMM, R_ACC, 0);
    mb_frame_loop_top(&f);
    for (uint32_t u = 0; u < s->units; u++) {
        if (indirect)
            emit_indirect_unit(f.b, mask);
        else
            emit_branch_unit(f.b, mask);
    }
    mb_frame_loop_end(&f);
    out->has_expected = true;
    out->expected = expected_sum(s, mask);
    return mb_frame_finish(&f, R_ACC, out, err, err_len);
}
