/* RISC-V decoder: base 32-bit encodings and the C extension expanded to them. */
#include "riscv_decode.h"
#include <stdio.h>

static const char *const op_names[] = {
#define X(id, name) name,
    RV_OPS(X)
#undef X
};

const char *rv_reg_name(unsigned reg)
{
    static const char *const names[32] = {"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0",
                                          "a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5",
                                          "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};
    return names[reg & 31];
}

static int64_t sext(uint64_t v, unsigned bits) { return (int64_t)(v << (64 - bits)) >> (64 - bits); }
static uint32_t bits(uint32_t v, unsigned hi, unsigned lo) { return (v >> lo) & ((1u << (hi - lo + 1)) - 1); }

static rv_insn make(rv_op op, unsigned rd, unsigned rs1, unsigned rs2, int64_t imm)
{
    return (rv_insn){.op = op, .rd = (uint8_t)rd, .rs1 = (uint8_t)rs1, .rs2 = (uint8_t)rs2, .imm = imm};
}

static rv_insn decode_op(uint32_t w, unsigned rd, unsigned rs1, unsigned rs2, unsigned f3, int xlen)
{
    unsigned f7 = w >> 25;
    static const rv_op base[8] = {RV_ADD, RV_SLL, RV_SLT, RV_SLTU, RV_XOR, RV_SRL, RV_OR, RV_AND};
    static const rv_op mext[8] = {RV_MUL, RV_MULH, RV_MULHSU, RV_MULHU, RV_DIV, RV_DIVU, RV_REM, RV_REMU};
    rv_op op = RV_INVALID;
    if (f7 == 0) op = base[f3];
    else if (f7 == 1) op = mext[f3];
    else if (f7 == 0x20) op = f3 == 0 ? RV_SUB : f3 == 5 ? RV_SRA : f3 == 7 ? RV_ANDN : f3 == 6 ? RV_ORN : f3 == 4 ? RV_XNOR : RV_INVALID;
    else if (f7 == 5) op = f3 == 6 ? RV_MAX : f3 == 7 ? RV_MAXU : f3 == 4 ? RV_MIN : f3 == 5 ? RV_MINU : RV_INVALID;
    else if (f7 == 0x30) op = f3 == 1 ? RV_ROL : f3 == 5 ? RV_ROR : RV_INVALID;
    else if (f7 == 4 && f3 == 4 && rs2 == 0 && xlen == 32) op = RV_ZEXT_H;
    return make(op, rd, rs1, rs2, 0);
}

static rv_insn decode_op32(uint32_t w, unsigned rd, unsigned rs1, unsigned rs2, unsigned f3)
{
    unsigned f7 = w >> 25;
    rv_op op = RV_INVALID;
    if (f7 == 0) op = f3 == 0 ? RV_ADDW : f3 == 1 ? RV_SLLW : f3 == 5 ? RV_SRLW : RV_INVALID;
    else if (f7 == 0x20) op = f3 == 0 ? RV_SUBW : f3 == 5 ? RV_SRAW : RV_INVALID;
    else if (f7 == 1) {
        static const rv_op m[8] = {RV_MULW, RV_INVALID, RV_INVALID, RV_INVALID, RV_DIVW, RV_DIVUW, RV_REMW, RV_REMUW};
        op = m[f3];
    } else if (f7 == 0x30) op = f3 == 1 ? RV_ROLW : f3 == 5 ? RV_RORW : RV_INVALID;
    else if (f7 == 4 && f3 == 4 && rs2 == 0) op = RV_ZEXT_H;
    return make(op, rd, rs1, rs2, 0);
}

/* OP-IMM (0x13): shifts and the Zbb unary forms share funct3 1 and 5. */
static rv_insn decode_op_imm(uint32_t w, unsigned rd, unsigned rs1, unsigned f3, int xlen)
{
    int64_t imm = sext(w >> 20, 12);
    unsigned shamt = bits(w, xlen == 64 ? 25 : 24, 20), top = xlen == 64 ? w >> 26 : w >> 25;
    unsigned imm12 = w >> 20;
    switch (f3) {
    case 0: return make(RV_ADDI, rd, rs1, 0, imm);
    case 2: return make(RV_SLTI, rd, rs1, 0, imm);
    case 3: return make(RV_SLTIU, rd, rs1, 0, imm);
    case 4: return make(RV_XORI, rd, rs1, 0, imm);
    case 6: return make(RV_ORI, rd, rs1, 0, imm);
    case 7: return make(RV_ANDI, rd, rs1, 0, imm);
    case 1:
        if (top == 0) return make(RV_SLLI, rd, rs1, 0, shamt);
        if (imm12 == 0x600) return make(RV_CLZ, rd, rs1, 0, 0);
        if (imm12 == 0x601) return make(RV_CTZ, rd, rs1, 0, 0);
        if (imm12 == 0x602) return make(RV_CPOP, rd, rs1, 0, 0);
        if (imm12 == 0x604) return make(RV_SEXT_B, rd, rs1, 0, 0);
        if (imm12 == 0x605) return make(RV_SEXT_H, rd, rs1, 0, 0);
        break;
    default: /* 5 */
        if (top == 0) return make(RV_SRLI, rd, rs1, 0, shamt);
        if (top == (xlen == 64 ? 0x10u : 0x20u)) return make(RV_SRAI, rd, rs1, 0, shamt);
        if (top == (xlen == 64 ? 0x18u : 0x30u)) return make(RV_RORI, rd, rs1, 0, shamt);
        if (imm12 == 0x287) return make(RV_ORC_B, rd, rs1, 0, 0);
        if (imm12 == (xlen == 64 ? 0x6B8u : 0x698u)) return make(RV_REV8, rd, rs1, 0, 0);
        break;
    }
    return make(RV_INVALID, rd, rs1, 0, 0);
}

static rv_insn decode_op_imm32(uint32_t w, unsigned rd, unsigned rs1, unsigned f3)
{
    unsigned shamt = bits(w, 24, 20), f7 = w >> 25, imm12 = w >> 20;
    if (f3 == 0) return make(RV_ADDIW, rd, rs1, 0, sext(w >> 20, 12));
    if (f3 == 1 && f7 == 0) return make(RV_SLLIW, rd, rs1, 0, shamt);
    if (f3 == 1 && imm12 == 0x600) return make(RV_CLZW, rd, rs1, 0, 0);
    if (f3 == 1 && imm12 == 0x601) return make(RV_CTZW, rd, rs1, 0, 0);
    if (f3 == 1 && imm12 == 0x602) return make(RV_CPOPW, rd, rs1, 0, 0);
    if (f3 == 5 && f7 == 0) return make(RV_SRLIW, rd, rs1, 0, shamt);
    if (f3 == 5 && f7 == 0x20) return make(RV_SRAIW, rd, rs1, 0, shamt);
    if (f3 == 5 && f7 == 0x30) return make(RV_RORIW, rd, rs1, 0, shamt);
    return make(RV_INVALID, rd, rs1, 0, 0);
}

static rv_insn decode_amo(uint32_t w, unsigned rd, unsigned rs1, unsigned rs2, unsigned f3, int xlen)
{
    static const rv_op by_funct5[32] = {[0] = RV_AMOADD, [1] = RV_AMOSWAP, [2] = RV_LR, [3] = RV_SC,
                                        [4] = RV_AMOXOR, [8] = RV_AMOOR, [12] = RV_AMOAND, [16] = RV_AMOMIN,
                                        [20] = RV_AMOMAX, [24] = RV_AMOMINU, [28] = RV_AMOMAXU};
    rv_insn in = make(RV_INVALID, rd, rs1, rs2, 0);
    if (f3 != 2 && !(f3 == 3 && xlen == 64)) return in;
    rv_op op = by_funct5[w >> 27];
    if (op == RV_INVALID || (op == RV_AMOADD && (w >> 27) != 0) || (op == RV_LR && rs2 != 0)) return in;
    in.op = op;
    in.width = f3 == 2 ? 4 : 8;
    return in;
}

static rv_insn decode32(uint32_t w, int xlen)
{
    unsigned rd = bits(w, 11, 7), rs1 = bits(w, 19, 15), rs2 = bits(w, 24, 20), f3 = bits(w, 14, 12);
    int64_t imm_i = sext(w >> 20, 12);
    switch (w & 0x7F) {
    case 0x37: return make(RV_LUI, rd, 0, 0, sext(w & 0xFFFFF000u, 32));
    case 0x17: return make(RV_AUIPC, rd, 0, 0, sext(w & 0xFFFFF000u, 32));
    case 0x6F: {
        uint32_t off = bits(w, 31, 31) << 20 | bits(w, 19, 12) << 12 | bits(w, 20, 20) << 11 | bits(w, 30, 21) << 1;
        return make(RV_JAL, rd, 0, 0, sext(off, 21));
    }
    case 0x67: return make(f3 == 0 ? RV_JALR : RV_INVALID, rd, rs1, 0, imm_i);
    case 0x63: {
        static const rv_op b[8] = {RV_BEQ, RV_BNE, RV_INVALID, RV_INVALID, RV_BLT, RV_BGE, RV_BLTU, RV_BGEU};
        uint32_t off = bits(w, 31, 31) << 12 | bits(w, 7, 7) << 11 | bits(w, 30, 25) << 5 | bits(w, 11, 8) << 1;
        return make(b[f3], 0, rs1, rs2, sext(off, 13));
    }
    case 0x03: {
        static const rv_op l[8] = {RV_LB, RV_LH, RV_LW, RV_LD, RV_LBU, RV_LHU, RV_LWU, RV_INVALID};
        rv_op op = l[f3];
        if (xlen == 32 && (op == RV_LD || op == RV_LWU)) op = RV_INVALID;
        return make(op, rd, rs1, 0, imm_i);
    }
    case 0x23: {
        static const rv_op s[8] = {RV_SB, RV_SH, RV_SW, RV_SD, RV_INVALID, RV_INVALID, RV_INVALID, RV_INVALID};
        rv_op op = s[f3];
        if (xlen == 32 && op == RV_SD) op = RV_INVALID;
        return make(op, 0, rs1, rs2, sext(bits(w, 31, 25) << 5 | bits(w, 11, 7), 12));
    }
    case 0x13: return decode_op_imm(w, rd, rs1, f3, xlen);
    case 0x33: return decode_op(w, rd, rs1, rs2, f3, xlen);
    case 0x1B: return xlen == 64 ? decode_op_imm32(w, rd, rs1, f3) : make(RV_INVALID, 0, 0, 0, 0);
    case 0x3B: return xlen == 64 ? decode_op32(w, rd, rs1, rs2, f3) : make(RV_INVALID, 0, 0, 0, 0);
    case 0x2F: return decode_amo(w, rd, rs1, rs2, f3, xlen);
    case 0x0F: return make(f3 == 0 ? RV_FENCE : f3 == 1 ? RV_FENCE_I : RV_INVALID, 0, 0, 0, 0);
    case 0x0B: /* custom-0: XTheadCondMov, PolkaVM's guest instructions (funct7 0, rs2 zero) */
        if (f3 == 1 && (w >> 25) == 0x20) return make(RV_TH_MVEQZ, rd, rs1, rs2, 0);
        if (f3 == 1 && (w >> 25) == 0x21) return make(RV_TH_MVNEZ, rd, rs1, rs2, 0);
        if (w >> 25 || rs2) break;
        if (f3 == 1) return make(RV_PVM_SBRK, rd, rs1, 0, 0);
        if (f3 == 2 && !rd && !rs1) return make(RV_PVM_MEMSET, 0, 0, 0, 0);
        break;
    case 0x73:
        if (w == 0x00000073) return make(RV_ECALL, 0, 0, 0, 0);
        if (w == 0x00100073) return make(RV_EBREAK, 0, 0, 0, 0);
        if (w == 0xC0001073) return make(RV_UNIMP, 0, 0, 0, 0); /* csrrw zero, cycle, zero */
        if (f3 != 0 && f3 != 4) {
            rv_insn in = make(RV_CSR, rd, rs1, 0, w >> 20);
            in.funct3 = (uint8_t)f3;
            return in;
        }
        break;
    }
    return make(RV_INVALID, rd, rs1, rs2, 0);
}

/* Quadrant 0: stack-pointer-free loads and stores on x8..x15. */
static rv_insn decode_c0(uint16_t h, int xlen)
{
    unsigned f3 = h >> 13, rdp = 8 + bits(h, 4, 2), rs1p = 8 + bits(h, 9, 7);
    uint32_t uw = bits(h, 12, 10) << 3 | bits(h, 6, 6) << 2 | bits(h, 5, 5) << 6;
    uint32_t ud = bits(h, 12, 10) << 3 | bits(h, 6, 5) << 6;
    switch (f3) {
    case 0: {
        uint32_t imm = bits(h, 12, 11) << 4 | bits(h, 10, 7) << 6 | bits(h, 6, 6) << 2 | bits(h, 5, 5) << 3;
        return imm ? make(RV_ADDI, rdp, 2, 0, imm) : make(RV_UNIMP, 0, 0, 0, 0);
    }
    case 2: return make(RV_LW, rdp, rs1p, 0, uw);
    case 3: return xlen == 64 ? make(RV_LD, rdp, rs1p, 0, ud) : make(RV_INVALID, 0, 0, 0, 0);
    case 6: return make(RV_SW, 0, rs1p, rdp, uw);
    case 7: return xlen == 64 ? make(RV_SD, 0, rs1p, rdp, ud) : make(RV_INVALID, 0, 0, 0, 0);
    }
    return make(RV_INVALID, 0, 0, 0, 0);
}

static int64_t c_jump_offset(uint16_t h)
{
    uint32_t off = bits(h, 12, 12) << 11 | bits(h, 11, 11) << 4 | bits(h, 10, 9) << 8 | bits(h, 8, 8) << 10 |
                   bits(h, 7, 7) << 6 | bits(h, 6, 6) << 7 | bits(h, 5, 3) << 1 | bits(h, 2, 2) << 5;
    return sext(off, 12);
}

/* Quadrant 1: immediates, arithmetic on x8..x15, jumps and branches. */
static rv_insn decode_c1(uint16_t h, int xlen)
{
    unsigned f3 = h >> 13, rd = bits(h, 11, 7), rdp = 8 + bits(h, 9, 7), rs2p = 8 + bits(h, 4, 2);
    int64_t imm6 = sext(bits(h, 12, 12) << 5 | bits(h, 6, 2), 6);
    switch (f3) {
    case 0: return make(RV_ADDI, rd, rd, 0, imm6);
    case 1:
        if (xlen == 32) return make(RV_JAL, 1, 0, 0, c_jump_offset(h));
        return rd ? make(RV_ADDIW, rd, rd, 0, imm6) : make(RV_INVALID, 0, 0, 0, 0);
    case 2: return make(RV_ADDI, rd, 0, 0, imm6);
    case 3:
        if (rd == 2) {
            uint32_t imm = bits(h, 12, 12) << 9 | bits(h, 6, 6) << 4 | bits(h, 5, 5) << 6 | bits(h, 4, 3) << 7 |
                           bits(h, 2, 2) << 5;
            return imm ? make(RV_ADDI, 2, 2, 0, sext(imm, 10)) : make(RV_INVALID, 0, 0, 0, 0);
        }
        return imm6 ? make(RV_LUI, rd, 0, 0, imm6 * 4096) : make(RV_INVALID, 0, 0, 0, 0);
    case 4: {
        unsigned shamt = bits(h, 12, 12) << 5 | bits(h, 6, 2);
        if (xlen == 32 && shamt >= 32 && bits(h, 11, 10) < 2) return make(RV_INVALID, 0, 0, 0, 0);
        switch (bits(h, 11, 10)) {
        case 0: return make(RV_SRLI, rdp, rdp, 0, shamt);
        case 1: return make(RV_SRAI, rdp, rdp, 0, shamt);
        case 2: return make(RV_ANDI, rdp, rdp, 0, imm6);
        }
        static const rv_op lo[4] = {RV_SUB, RV_XOR, RV_OR, RV_AND};
        static const rv_op hi[4] = {RV_SUBW, RV_ADDW, RV_INVALID, RV_INVALID};
        rv_op op = bits(h, 12, 12) ? (xlen == 64 ? hi[bits(h, 6, 5)] : RV_INVALID) : lo[bits(h, 6, 5)];
        return make(op, rdp, rdp, rs2p, 0);
    }
    case 5: return make(RV_JAL, 0, 0, 0, c_jump_offset(h));
    default: {
        uint32_t off = bits(h, 12, 12) << 8 | bits(h, 11, 10) << 3 | bits(h, 6, 5) << 6 | bits(h, 4, 3) << 1 |
                       bits(h, 2, 2) << 5;
        return make(f3 == 6 ? RV_BEQ : RV_BNE, 0, rdp, 0, sext(off, 9));
    }
    }
}

/* Quadrant 2: stack-relative loads and stores, shifts, moves, jr/jalr. */
static rv_insn decode_c2(uint16_t h, int xlen)
{
    unsigned f3 = h >> 13, rd = bits(h, 11, 7), rs2 = bits(h, 6, 2), b12 = bits(h, 12, 12);
    switch (f3) {
    case 0: {
        unsigned shamt = b12 << 5 | rs2;
        return xlen == 32 && b12 ? make(RV_INVALID, 0, 0, 0, 0) : make(RV_SLLI, rd, rd, 0, shamt);
    }
    case 2:
        return rd ? make(RV_LW, rd, 2, 0, b12 << 5 | bits(h, 6, 4) << 2 | bits(h, 3, 2) << 6) : make(RV_INVALID, 0, 0, 0, 0);
    case 3:
        if (xlen == 32 || !rd) break;
        return make(RV_LD, rd, 2, 0, b12 << 5 | bits(h, 6, 5) << 3 | bits(h, 4, 2) << 6);
    case 4:
        if (!b12) {
            if (rs2 == 0) return rd ? make(RV_JALR, 0, rd, 0, 0) : make(RV_INVALID, 0, 0, 0, 0);
            return make(RV_ADD, rd, 0, rs2, 0);
        }
        if (rd == 0 && rs2 == 0) return make(RV_EBREAK, 0, 0, 0, 0);
        if (rs2 == 0) return make(RV_JALR, 1, rd, 0, 0);
        return make(RV_ADD, rd, rd, rs2, 0);
    case 6: return make(RV_SW, 0, 2, rs2, bits(h, 12, 9) << 2 | bits(h, 8, 7) << 6);
    case 7:
        if (xlen == 32) break;
        return make(RV_SD, 0, 2, rs2, bits(h, 12, 10) << 3 | bits(h, 9, 7) << 6);
    }
    return make(RV_INVALID, 0, 0, 0, 0);
}

rv_insn rv_decode(const uint8_t *p, size_t avail, int xlen)
{
    rv_insn in = {.op = RV_INVALID, .len = 2};
    if (avail < 2) return in;
    uint16_t h = (uint16_t)(p[0] | p[1] << 8);
    if ((h & 3) != 3) {
        if (h == 0) in = make(RV_UNIMP, 0, 0, 0, 0);
        else if ((h & 3) == 0) in = decode_c0(h, xlen);
        else if ((h & 3) == 1) in = decode_c1(h, xlen);
        else in = decode_c2(h, xlen);
        in.len = 2;
        in.raw = h;
        return in;
    }
    if (avail < 4 || (h & 0x1C) == 0x1C) { /* 48-bit and longer encodings */
        in.raw = h;
        return in;
    }
    uint32_t w = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    in = decode32(w, xlen);
    in.len = 4;
    in.raw = w;
    return in;
}

static const char *csr_name(unsigned csr, char *buf, size_t size)
{
    switch (csr) {
    case 0xC00: return "cycle";
    case 0xC01: return "time";
    case 0xC02: return "instret";
    case 0x001: return "fflags";
    case 0x002: return "frm";
    case 0x003: return "fcsr";
    }
    snprintf(buf, size, "0x%x", csr);
    return buf;
}

void rv_format(const rv_insn *in, char *buf, size_t size)
{
    const char *n = op_names[in->op];
    const char *rd = rv_reg_name(in->rd), *r1 = rv_reg_name(in->rs1), *r2 = rv_reg_name(in->rs2);
    long long imm = (long long)in->imm;
    char csr[16];
    switch (in->op) {
    case RV_INVALID:
        snprintf(buf, size, in->len == 2 ? ".2byte 0x%04x" : ".4byte 0x%08x", (unsigned)in->raw);
        return;
    case RV_CSR:
        if (in->funct3 == 2 && in->rs1 == 0)
            snprintf(buf, size, "csrr %s, %s", rd, csr_name((unsigned)in->imm, csr, sizeof csr));
        else
            snprintf(buf, size, "csr%s%s %s, %s, %s", (const char *[]){"", "rw", "rs", "rc", "", "rw", "rs", "rc"}[in->funct3],
                     in->funct3 >= 4 ? "i" : "", rd, csr_name((unsigned)in->imm, csr, sizeof csr), r1);
        return;
    case RV_FENCE: case RV_FENCE_I: case RV_ECALL: case RV_EBREAK: case RV_UNIMP: case RV_PVM_MEMSET:
        snprintf(buf, size, "%s", n);
        return;
    case RV_PVM_SBRK: snprintf(buf, size, "%s %s, %s", n, rd, r1); return;
    case RV_LUI: case RV_AUIPC:
        snprintf(buf, size, "%s %s, 0x%llx", n, rd, (unsigned long long)(imm >> 12) & 0xFFFFF);
        return;
    case RV_JAL: snprintf(buf, size, "jal %s, %+lld", rd, imm); return;
    case RV_JALR: snprintf(buf, size, "jalr %s, %lld(%s)", rd, imm, r1); return;
    case RV_BEQ: case RV_BNE: case RV_BLT: case RV_BGE: case RV_BLTU: case RV_BGEU:
        snprintf(buf, size, "%s %s, %s, %+lld", n, r1, r2, imm);
        return;
    case RV_LB: case RV_LH: case RV_LW: case RV_LD: case RV_LBU: case RV_LHU: case RV_LWU:
        snprintf(buf, size, "%s %s, %lld(%s)", n, rd, imm, r1);
        return;
    case RV_SB: case RV_SH: case RV_SW: case RV_SD:
        snprintf(buf, size, "%s %s, %lld(%s)", n, r2, imm, r1);
        return;
    case RV_LR: snprintf(buf, size, "lr.%c %s, (%s)", in->width == 8 ? 'd' : 'w', rd, r1); return;
    case RV_SC: case RV_AMOSWAP: case RV_AMOADD: case RV_AMOXOR: case RV_AMOAND: case RV_AMOOR:
    case RV_AMOMIN: case RV_AMOMAX: case RV_AMOMINU: case RV_AMOMAXU:
        snprintf(buf, size, "%s.%c %s, %s, (%s)", n, in->width == 8 ? 'd' : 'w', rd, r2, r1);
        return;
    case RV_CLZ: case RV_CTZ: case RV_CPOP: case RV_CLZW: case RV_CTZW: case RV_CPOPW: case RV_SEXT_B:
    case RV_SEXT_H: case RV_ZEXT_H: case RV_REV8: case RV_ORC_B:
        snprintf(buf, size, "%s %s, %s", n, rd, r1);
        return;
    case RV_ADDI: case RV_SLTI: case RV_SLTIU: case RV_XORI: case RV_ORI: case RV_ANDI: case RV_SLLI:
    case RV_SRLI: case RV_SRAI: case RV_ADDIW: case RV_SLLIW: case RV_SRLIW: case RV_SRAIW: case RV_RORI:
    case RV_RORIW:
        snprintf(buf, size, "%s %s, %s, %lld", n, rd, r1, imm);
        return;
    default:
        snprintf(buf, size, "%s %s, %s, %s", n, rd, r1, r2);
        return;
    }
}
