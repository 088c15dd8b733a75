/* Hand-built decoded programs for the gas tests: instructions are listed
 * with their operands, and the builder lays them out at consecutive pcs,
 * writes their opcode bytes (so branch-cost look-ups see real code) and
 * splits them into basic blocks at terminators. */
#ifndef PVM_TEST_GAS_BLOCK_H
#define PVM_TEST_GAS_BLOCK_H
#include "vm/program/decode.h"

enum { RA, SP, T0, T1, T2, S0, S1, A0, A1, A2, A3, A4, A5 };

#define TB_NO_TARGET UINT32_MAX
#define TB_MAX_INSTRS 128

/* One instruction: op and registers by decode.h roles; for branches and
 * jumps `target` is an instruction index of the same program, or
 * TB_NO_TARGET for a target past the end of the code. */
typedef struct {
    pvm_op op;
    uint8_t d, a, b;
    uint32_t target;
} tb_instr;

#define I3(o, d_, a_, b_) {.op = PVM_OP_##o, .d = d_, .a = a_, .b = b_}       /* reg3: d = a op b */
#define I2(o, d_, s_) {.op = PVM_OP_##o, .d = d_, .a = s_}                    /* reg_reg: d = op s */
#define IRR(o, a_, b_) {.op = PVM_OP_##o, .a = a_, .b = b_}                   /* reg_reg_imm: a = b op imm */
#define IR(o, a_) {.op = PVM_OP_##o, .a = a_}                                 /* reg_imm / reg_imm64 */
#define I0(o) {.op = PVM_OP_##o}                                           /* no registers */
#define IBR(o, a_, b_, t) {.op = PVM_OP_##o, .a = a_, .b = b_, .target = t}  /* branch a ? b -> t */

typedef struct {
    pvm_decoded d;
    pvm_instr instrs[TB_MAX_INSTRS];
    pvm_block blocks[TB_MAX_INSTRS];
    uint8_t code[TB_MAX_INSTRS * 4];
} test_block;

/* Build tb from n instructions for the given ISA variant. */
void tb_build(test_block *tb, pvm_isa isa, const tb_instr *list, uint32_t n);
#endif
