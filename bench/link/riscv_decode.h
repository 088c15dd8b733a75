/* RISC-V decoder for pvm-link: RV32/RV64 I, M, A, C and Zbb, plus the few system
 * encodings it must recognise to reject (CSRs, ecall), and PolkaVM's guest instructions
 * in the custom-0 space (`.insn r 0xb, F, 0, rd, rs1, zero`, as polkavm-derive writes
 * them): F = 1 sbrk rd, rs1; F = 2 memset (a0, a1, a2 implied). F = 0 with no registers
 * is the import marker, which code_scan.c reads before decoding. In the same space, the
 * XTheadCondMov pair PolkaVM's targets enable (F = 1, funct7 0x20 / 0x21): th.mveqz /
 * th.mvnez rd, rs1, rs2 (rd = rs1 if rs2 is zero / not zero). Compressed instructions are
 * expanded to the base instruction they stand for; `len` keeps their size. */
#ifndef PVM_LINK_RISCV_DECODE_H
#define PVM_LINK_RISCV_DECODE_H
#include <stddef.h>
#include <stdint.h>

#define RV_OPS(X) \
    X(INVALID, "?") X(LUI, "lui") X(AUIPC, "auipc") X(JAL, "jal") X(JALR, "jalr") \
    X(BEQ, "beq") X(BNE, "bne") X(BLT, "blt") X(BGE, "bge") X(BLTU, "bltu") X(BGEU, "bgeu") \
    X(LB, "lb") X(LH, "lh") X(LW, "lw") X(LD, "ld") X(LBU, "lbu") X(LHU, "lhu") X(LWU, "lwu") \
    X(SB, "sb") X(SH, "sh") X(SW, "sw") X(SD, "sd") \
    X(ADDI, "addi") X(SLTI, "slti") X(SLTIU, "sltiu") X(XORI, "xori") X(ORI, "ori") X(ANDI, "andi") \
    X(SLLI, "slli") X(SRLI, "srli") X(SRAI, "srai") \
    X(ADD, "add") X(SUB, "sub") X(SLL, "sll") X(SLT, "slt") X(SLTU, "sltu") X(XOR, "xor") \
    X(SRL, "srl") X(SRA, "sra") X(OR, "or") X(AND, "and") \
    X(ADDIW, "addiw") X(SLLIW, "slliw") X(SRLIW, "srliw") X(SRAIW, "sraiw") \
    X(ADDW, "addw") X(SUBW, "subw") X(SLLW, "sllw") X(SRLW, "srlw") X(SRAW, "sraw") \
    X(MUL, "mul") X(MULH, "mulh") X(MULHSU, "mulhsu") X(MULHU, "mulhu") \
    X(DIV, "div") X(DIVU, "divu") X(REM, "rem") X(REMU, "remu") \
    X(MULW, "mulw") X(DIVW, "divw") X(DIVUW, "divuw") X(REMW, "remw") X(REMUW, "remuw") \
    X(LR, "lr") X(SC, "sc") X(AMOSWAP, "amoswap") X(AMOADD, "amoadd") X(AMOXOR, "amoxor") \
    X(AMOAND, "amoand") X(AMOOR, "amoor") X(AMOMIN, "amomin") X(AMOMAX, "amomax") \
    X(AMOMINU, "amominu") X(AMOMAXU, "amomaxu") \
    X(ANDN, "andn") X(ORN, "orn") X(XNOR, "xnor") X(CLZ, "clz") X(CTZ, "ctz") X(CPOP, "cpop") \
    X(CLZW, "clzw") X(CTZW, "ctzw") X(CPOPW, "cpopw") X(MAX, "max") X(MAXU, "maxu") X(MIN, "min") \
    X(MINU, "minu") X(SEXT_B, "sext.b") X(SEXT_H, "sext.h") X(ZEXT_H, "zext.h") X(ROL, "rol") \
    X(ROR, "ror") X(ROLW, "rolw") X(RORW, "rorw") X(RORI, "rori") X(RORIW, "roriw") X(REV8, "rev8") \
    X(ORC_B, "orc.b") \
    X(FENCE, "fence") X(FENCE_I, "fence.i") X(ECALL, "ecall") X(EBREAK, "ebreak") X(UNIMP, "unimp") \
    X(CSR, "csr") \
    X(PVM_SBRK, "pvm.sbrk") X(PVM_MEMSET, "pvm.memset") X(TH_MVEQZ, "th.mveqz") X(TH_MVNEZ, "th.mvnez")

typedef enum {
#define X(id, name) RV_##id,
    RV_OPS(X)
#undef X
    RV_OP_COUNT
} rv_op;

typedef struct {
    rv_op op;
    uint8_t rd, rs1, rs2;
    uint8_t len;    /* 2 or 4 bytes */
    uint8_t width;  /* LR/SC/AMO: 4 or 8 bytes */
    uint8_t funct3; /* CSR: which csr* form */
    int64_t imm;    /* sign-extended immediate; branch/jal: byte offset; CSR: csr number */
    uint32_t raw;
} rv_insn;

/* Decodes the instruction at `bytes` (`avail` bytes readable) for xlen 32 or 64.
 * Returns RV_INVALID (len 2 or 4) for an encoding outside the supported set. */
rv_insn rv_decode(const uint8_t *bytes, size_t avail, int xlen);
/* "addi a0, a0, 1" style text (ABI register names) into buf. */
void rv_format(const rv_insn *in, char *buf, size_t size);
const char *rv_reg_name(unsigned reg);
#endif
