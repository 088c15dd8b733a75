/* pvm example: write small built-in programs made with the program builder
 * (a first speed figure without any toolchain). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "vm/isa/isa.h"
#include "pvm/builder.h"

/* sum = Σ (i * 3 ^ i) over i < n, a mix of ALU work, a load/store and a branch per iteration. */
static pvm_builder *loop_program(void)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST64);
    if (!b) return NULL;
    pvm_label entry = pvm_builder_label(b), loop = pvm_builder_label(b), done = pvm_builder_label(b);
    pvm_builder_set_rw_data(b, NULL, 0, 4096);
    pvm_builder_set_stack_size(b, 4096);
    pvm_builder_export(b, "main", entry);
    pvm_builder_bind(b, entry);
    /* a0 = n (argument, defaults below), a1 = i, a2 = sum, a3 = scratch, s0 = rw address */
    pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, 10, 7);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, 8, 0);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, 9, 0);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, 5, 0x20000);
    pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_EQ_IMM, 10, 0, done);
    pvm_builder_bind(b, loop);
    pvm_emit_reg_reg_imm(b, PVM_OP_MUL_IMM_64, 11, 8, 3);
    pvm_emit_reg3(b, PVM_OP_XOR, 11, 11, 8);
    pvm_emit_reg3(b, PVM_OP_ADD_64, 9, 9, 11);
    pvm_emit_reg_reg_imm(b, PVM_OP_STORE_IND_U64, 9, 5, 0);
    pvm_emit_reg_reg_imm(b, PVM_OP_LOAD_IND_U64, 12, 5, 0);
    pvm_emit_reg3(b, PVM_OP_ADD_64, 9, 9, 12);
    pvm_emit_reg_reg_imm(b, PVM_OP_SHLO_R_IMM_64, 9, 9, 1);
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, 8, 8, 1);
    pvm_emit_reg_reg_jump(b, PVM_OP_BRANCH_LT_U, 8, 10, loop);
    pvm_builder_bind(b, done);
    pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, 7, 9);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, 0, 0); /* ret: ra = 0xFFFF0000 halts */
    return b;
}

int cmd_example(int argc, char **argv)
{
    if (argc != 3 || strcmp(argv[1], "loop") != 0) {
        fprintf(stderr, "usage: pvm example loop OUT.polkavm   (then: pvm run OUT.polkavm --export main --arg N --stats)\n");
        return CLI_EXIT_USAGE;
    }
    pvm_builder *b = loop_program();
    if (!b) return 1;
    uint8_t *out;
    size_t len;
    pvm_error err = {{0}};
    if (pvm_builder_finish_polkavm(b, &out, &len, &err) != PVM_OK) {
        fprintf(stderr, "pvm example: %s\n", err.msg);
        pvm_builder_free(b);
        return 1;
    }
    pvm_builder_free(b);
    FILE *f = fopen(argv[2], "wb");
    bool ok = f && fwrite(out, 1, len, f) == len;
    if (f && fclose(f) != 0) ok = false;
    free(out);
    if (!ok) {
        fprintf(stderr, "pvm example: %s: cannot write\n", argv[2]);
        remove(argv[2]);
        return 1;
    }
    printf("wrote %s (%zu bytes)\n", argv[2], len);
    return 0;
}
