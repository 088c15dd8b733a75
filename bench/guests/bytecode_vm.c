/* A tiny register-machine interpreter (switch dispatch) running a fixed bytecode program:
 * an outer loop of `size` iterations, each running a Collatz walk and an xorshift step.
 * Measures indirect-branch-heavy dispatch. Checksum: the accumulator registers. */
#include "guest_common.h"

enum opcode { OP_LOADI, OP_ADD, OP_ADDI, OP_SUB, OP_MULI, OP_SHR, OP_SHL, OP_XOR, OP_AND_I,
              OP_MOV, OP_JZ, OP_JNZ, OP_JMP, OP_HALT };

/* One instruction: opcode, destination, source register, immediate (or jump target). */
typedef struct {
    uint8_t op, dst, src;
    int32_t imm;
} insn_t;

enum { R_COUNT, R_N, R_TMP, R_STEPS, R_ACC, R_X, R_COND, NUM_REGS };

/* for count in size..1: n = (count & 1023) + 27; walk Collatz from n counting steps into
 * acc; x ^= x << 13; x ^= x >> 7; x ^= x << 17; acc += x. */
static const insn_t program[] = {
    /* 0 */ {OP_JZ, 0, R_COUNT, 25},
    /* 1 */ {OP_MOV, R_N, R_COUNT, 0},
    /* 2 */ {OP_AND_I, R_N, R_N, 1023},
    /* 3 */ {OP_ADDI, R_N, R_N, 27},
    /* 4 */ {OP_LOADI, R_STEPS, 0, 0},
    /* 5: Collatz loop head: while n != 1 */
    /* 5 */ {OP_ADDI, R_COND, R_N, -1},
    /* 6 */ {OP_JZ, 0, R_COND, 15},
    /* 7 */ {OP_AND_I, R_TMP, R_N, 1},
    /* 8 */ {OP_JNZ, 0, R_TMP, 11},
    /* 9 */ {OP_SHR, R_N, R_N, 1},
    /* 10 */ {OP_JMP, 0, 0, 13},
    /* 11 */ {OP_MULI, R_N, R_N, 3},
    /* 12 */ {OP_ADDI, R_N, R_N, 1},
    /* 13 */ {OP_ADDI, R_STEPS, R_STEPS, 1},
    /* 14 */ {OP_JMP, 0, 0, 5},
    /* 15 */ {OP_ADD, R_ACC, R_STEPS, 0},
    /* 16 */ {OP_SHL, R_TMP, R_X, 13},
    /* 17 */ {OP_XOR, R_X, R_TMP, 0},
    /* 18 */ {OP_SHR, R_TMP, R_X, 7},
    /* 19 */ {OP_XOR, R_X, R_TMP, 0},
    /* 20 */ {OP_SHL, R_TMP, R_X, 17},
    /* 21 */ {OP_XOR, R_X, R_TMP, 0},
    /* 22 */ {OP_ADD, R_ACC, R_X, 0},
    /* 23 */ {OP_ADDI, R_COUNT, R_COUNT, -1},
    /* 24 */ {OP_JMP, 0, 0, 0},
    /* 25 */ {OP_HALT, 0, 0, 0},
};

/* ADD and XOR read the destination as their first operand: dst = dst OP src. */
static void interpret(const insn_t *code, uint64_t *reg)
{
    for (uint32_t pc = 0;;) {
        const insn_t *in = &code[pc++];
        switch (in->op) {
        case OP_LOADI: reg[in->dst] = (uint64_t)(int64_t)in->imm; break;
        case OP_ADD: reg[in->dst] += reg[in->src]; break;
        case OP_ADDI: reg[in->dst] = reg[in->src] + (uint64_t)(int64_t)in->imm; break;
        case OP_SUB: reg[in->dst] -= reg[in->src]; break;
        case OP_MULI: reg[in->dst] = reg[in->src] * (uint64_t)(int64_t)in->imm; break;
        case OP_SHR: reg[in->dst] = reg[in->src] >> in->imm; break;
        case OP_SHL: reg[in->dst] = reg[in->src] << in->imm; break;
        case OP_XOR: reg[in->dst] ^= reg[in->src]; break;
        case OP_AND_I: reg[in->dst] = reg[in->src] & (uint64_t)(int64_t)in->imm; break;
        case OP_MOV: reg[in->dst] = reg[in->src]; break;
        case OP_JZ: if (reg[in->src] == 0) pc = (uint32_t)in->imm; break;
        case OP_JNZ: if (reg[in->src] != 0) pc = (uint32_t)in->imm; break;
        case OP_JMP: pc = (uint32_t)in->imm; break;
        default: return; /* OP_HALT */
        }
    }
}

GUEST_ENTRY;
uint64_t run(uint32_t size)
{
    uint64_t reg[NUM_REGS] = {0};
    reg[R_COUNT] = size;
    reg[R_X] = 0x2545f4914f6cdd1du;
    interpret(program, reg);
    return checksum_mix(reg[R_ACC], reg[R_X]);
}
