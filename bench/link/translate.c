/* Translator: one RISC-V instruction (or an auipc+jalr call pair) at a time into PVM
 * instructions through the program builder. Registers map 1:1 (x1->r0, x2->r1,
 * x5..x7->r2..r4, x8..x9->r5..r6, x10..x15->r7..r12); x0 never reaches the PVM: each
 * instruction that reads it uses an immediate form instead. Code addresses held in
 * registers are jump-table addresses, so `ret` is `jump_ind ra, 0`. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "link_internal.h"

#define OP(name) PVM_OP_##name
#define XLEN_OP(l, op64, op32) ((l)->is64 ? PVM_OP_##op64 : PVM_OP_##op32)

enum { R_CALL = 18, R_CALL_PLT = 19, R_GOT_HI20 = 20, R_PCREL_HI20 = 23, R_PCREL_LO12_I = 24, R_HI20 = 26 };
enum { PVM_RA = 0, PVM_SP = 1 };

static bool cannot(linker *l, const code_insn *ci, const char *why)
{
    char text[64];
    rv_format(&ci->in, text, sizeof text);
    return link_fail(l, ci->addr, "cannot translate '%s'%s%s", text, why ? ": " : "", why ? why : "");
}

/* Registers that may serve as scratch (spilled below sp around their use): any but sp
 * and those in `avoid` (a bit mask of PVM registers). */
static unsigned scratch_reg(unsigned avoid)
{
    static const unsigned order[] = {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0};
    for (unsigned i = 0; i < sizeof order / sizeof *order; i++)
        if (!(avoid >> order[i] & 1)) return order[i];
    return 2;
}
static void spill(linker *l, unsigned r, int slot)
{
    emit_reg_reg_imm(l, XLEN_OP(l, STORE_IND_U64, STORE_IND_U32), r, PVM_SP, -(slot + 1) * (l->is64 ? 8 : 4));
}
static void reload(linker *l, unsigned r, int slot)
{
    emit_reg_reg_imm(l, XLEN_OP(l, LOAD_IND_U64, LOAD_IND_I32), r, PVM_SP, -(slot + 1) * (l->is64 ? 8 : 4));
}
static unsigned bit(int r) { return r >= 0 ? 1u << r : 0; }

/* ---- register-register ALU ------------------------------------------------------------ */

/* PVM forms of a RISC-V register-register op: the plain form, the form with rs2 as an
 * immediate (A = B op imm) and the one with rs1 as an immediate (A = imm op B); -1 if
 * none. W ops use the _32 forms on both widths. */
typedef struct {
    rv_op rv;
    int op64, op32, imm64, imm32, alt64, alt32;
} alu_form;

static const alu_form alu_forms[] = {
#define F(rv, a, b, c, d, e, f) {RV_##rv, a, b, c, d, e, f}
    F(ADD, OP(ADD_64), OP(ADD_32), OP(ADD_IMM_64), OP(ADD_IMM_32), OP(ADD_IMM_64), OP(ADD_IMM_32)),
    F(SUB, OP(SUB_64), OP(SUB_32), OP(ADD_IMM_64), OP(ADD_IMM_32), OP(NEG_ADD_IMM_64), OP(NEG_ADD_IMM_32)),
    F(SLL, OP(SHLO_L_64), OP(SHLO_L_32), OP(SHLO_L_IMM_64), OP(SHLO_L_IMM_32), OP(SHLO_L_IMM_ALT_64), OP(SHLO_L_IMM_ALT_32)),
    F(SRL, OP(SHLO_R_64), OP(SHLO_R_32), OP(SHLO_R_IMM_64), OP(SHLO_R_IMM_32), OP(SHLO_R_IMM_ALT_64), OP(SHLO_R_IMM_ALT_32)),
    F(SRA, OP(SHAR_R_64), OP(SHAR_R_32), OP(SHAR_R_IMM_64), OP(SHAR_R_IMM_32), OP(SHAR_R_IMM_ALT_64), OP(SHAR_R_IMM_ALT_32)),
    F(SLT, OP(SET_LT_S), OP(SET_LT_S), OP(SET_LT_S_IMM), OP(SET_LT_S_IMM), OP(SET_GT_S_IMM), OP(SET_GT_S_IMM)),
    F(SLTU, OP(SET_LT_U), OP(SET_LT_U), OP(SET_LT_U_IMM), OP(SET_LT_U_IMM), OP(SET_GT_U_IMM), OP(SET_GT_U_IMM)),
    F(XOR, OP(XOR), OP(XOR), OP(XOR_IMM), OP(XOR_IMM), OP(XOR_IMM), OP(XOR_IMM)),
    F(OR, OP(OR), OP(OR), OP(OR_IMM), OP(OR_IMM), OP(OR_IMM), OP(OR_IMM)),
    F(AND, OP(AND), OP(AND), OP(AND_IMM), OP(AND_IMM), OP(AND_IMM), OP(AND_IMM)),
    F(MUL, OP(MUL_64), OP(MUL_32), OP(MUL_IMM_64), OP(MUL_IMM_32), OP(MUL_IMM_64), OP(MUL_IMM_32)),
    F(MULH, OP(MUL_UPPER_S_S), OP(MUL_UPPER_S_S), -1, -1, -1, -1),
    F(MULHU, OP(MUL_UPPER_U_U), OP(MUL_UPPER_U_U), -1, -1, -1, -1),
    F(MULHSU, OP(MUL_UPPER_S_U), OP(MUL_UPPER_S_U), -1, -1, -1, -1),
    F(DIV, OP(DIV_S_64), OP(DIV_S_32), -1, -1, -1, -1),
    F(DIVU, OP(DIV_U_64), OP(DIV_U_32), -1, -1, -1, -1),
    F(REM, OP(REM_S_64), OP(REM_S_32), -1, -1, -1, -1),
    F(REMU, OP(REM_U_64), OP(REM_U_32), -1, -1, -1, -1),
    F(ADDW, OP(ADD_32), OP(ADD_32), OP(ADD_IMM_32), OP(ADD_IMM_32), OP(ADD_IMM_32), OP(ADD_IMM_32)),
    F(SUBW, OP(SUB_32), OP(SUB_32), OP(ADD_IMM_32), OP(ADD_IMM_32), OP(NEG_ADD_IMM_32), OP(NEG_ADD_IMM_32)),
    F(SLLW, OP(SHLO_L_32), OP(SHLO_L_32), OP(SHLO_L_IMM_32), OP(SHLO_L_IMM_32), OP(SHLO_L_IMM_ALT_32), OP(SHLO_L_IMM_ALT_32)),
    F(SRLW, OP(SHLO_R_32), OP(SHLO_R_32), OP(SHLO_R_IMM_32), OP(SHLO_R_IMM_32), OP(SHLO_R_IMM_ALT_32), OP(SHLO_R_IMM_ALT_32)),
    F(SRAW, OP(SHAR_R_32), OP(SHAR_R_32), OP(SHAR_R_IMM_32), OP(SHAR_R_IMM_32), OP(SHAR_R_IMM_ALT_32), OP(SHAR_R_IMM_ALT_32)),
    F(MULW, OP(MUL_32), OP(MUL_32), OP(MUL_IMM_32), OP(MUL_IMM_32), OP(MUL_IMM_32), OP(MUL_IMM_32)),
    F(DIVW, OP(DIV_S_32), OP(DIV_S_32), -1, -1, -1, -1),
    F(DIVUW, OP(DIV_U_32), OP(DIV_U_32), -1, -1, -1, -1),
    F(REMW, OP(REM_S_32), OP(REM_S_32), -1, -1, -1, -1),
    F(REMUW, OP(REM_U_32), OP(REM_U_32), -1, -1, -1, -1),
    F(ANDN, OP(AND_INV), OP(AND_INV), -1, -1, -1, -1),
    F(ORN, OP(OR_INV), OP(OR_INV), -1, -1, -1, -1),
    F(XNOR, OP(XNOR), OP(XNOR), -1, -1, -1, -1),
    F(MAX, OP(MAX), OP(MAX), -1, -1, -1, -1),
    F(MAXU, OP(MAX_U), OP(MAX_U), -1, -1, -1, -1),
    F(MIN, OP(MIN), OP(MIN), -1, -1, -1, -1),
    F(MINU, OP(MIN_U), OP(MIN_U), -1, -1, -1, -1),
    F(ROL, OP(ROT_L_64), OP(ROT_L_32), -1, -1, -1, -1),
    F(ROLW, OP(ROT_L_32), OP(ROT_L_32), -1, -1, -1, -1),
    F(ROR, OP(ROT_R_64), OP(ROT_R_32), OP(ROT_R_64_IMM), OP(ROT_R_32_IMM), OP(ROT_R_64_IMM_ALT), OP(ROT_R_32_IMM_ALT)),
    F(RORW, OP(ROT_R_32), OP(ROT_R_32), OP(ROT_R_32_IMM), OP(ROT_R_32_IMM), OP(ROT_R_32_IMM_ALT), OP(ROT_R_32_IMM_ALT)),
#undef F
};

static const alu_form *alu_form_of(rv_op op)
{
    for (size_t i = 0; i < sizeof alu_forms / sizeof *alu_forms; i++)
        if (alu_forms[i].rv == op) return &alu_forms[i];
    return NULL;
}

static void alu_reg3(linker *l, const code_insn *ci, const alu_form *f)
{
    const rv_insn *in = &ci->in;
    int d = pvm_reg(l, ci, in->rd), a = pvm_reg(l, ci, in->rs1), b = pvm_reg(l, ci, in->rs2);
    if (l->failed || d < 0) return; /* rd = x0: no effect */
    int op = l->is64 ? f->op64 : f->op32, imm = l->is64 ? f->imm64 : f->imm32, alt = l->is64 ? f->alt64 : f->alt32;
    if (a >= 0 && b >= 0) return emit_reg3(l, op, (unsigned)d, (unsigned)a, (unsigned)b);
    bool identity = in->op == RV_ADD || in->op == RV_OR || in->op == RV_XOR; /* x op 0 = 0 op x = x */
    if (identity && (a >= 0 || b >= 0)) return emit_move(l, (unsigned)d, (unsigned)(a >= 0 ? a : b));
    if (a >= 0 && imm >= 0) return emit_reg_reg_imm(l, imm, (unsigned)d, (unsigned)a, 0);
    if (b >= 0 && alt >= 0) return emit_reg_reg_imm(l, alt, (unsigned)d, (unsigned)b, 0);
    /* No immediate form: put a zero in a register. rd itself when it is not the other source. */
    if (d != a && d != b) {
        emit_load_constant(l, (unsigned)d, 0);
        return emit_reg3(l, op, (unsigned)d, (unsigned)(a >= 0 ? a : d), (unsigned)(b >= 0 ? b : d));
    }
    unsigned z = scratch_reg(bit(d) | bit(a) | bit(b) | bit(PVM_SP));
    spill(l, z, 0);
    emit_load_constant(l, z, 0);
    emit_reg3(l, op, (unsigned)d, (unsigned)(a >= 0 ? a : (int)z), (unsigned)(b >= 0 ? b : (int)z));
    reload(l, z, 0);
}

/* th.mveqz / th.mvnez rd, rs1, rs2 (XTheadCondMov): rd = rs1 when rs2 is zero / not zero,
 * PVM's cmov_iz / cmov_nz D, A, B. With rs2 = x0 the condition is known (a move, or
 * nothing); with rs1 = x0 the value is, cmov_*_imm rd, rs2, 0. */
static void conditional_move(linker *l, const code_insn *ci)
{
    const rv_insn *in = &ci->in;
    bool if_zero = in->op == RV_TH_MVEQZ;
    int d = pvm_reg(l, ci, in->rd), a = pvm_reg(l, ci, in->rs1), c = pvm_reg(l, ci, in->rs2);
    if (l->failed || d < 0) return; /* rd = x0: no effect */
    if (c < 0) { /* zero is zero: mveqz always moves, mvnez never */
        if (!if_zero) return;
        if (a < 0) return emit_load_constant(l, (unsigned)d, 0);
        return emit_move(l, (unsigned)d, (unsigned)a);
    }
    if (a < 0) return emit_reg_reg_imm(l, if_zero ? OP(CMOV_IZ_IMM) : OP(CMOV_NZ_IMM), (unsigned)d, (unsigned)c, 0);
    emit_reg3(l, if_zero ? OP(CMOV_IZ) : OP(CMOV_NZ), (unsigned)d, (unsigned)a, (unsigned)c);
}

/* ---- register-immediate ALU and unary ops --------------------------------------------- */

typedef struct {
    rv_op rv;
    int op64, op32;
} simple_form;

static const simple_form imm_forms[] = {
    {RV_ADDI, OP(ADD_IMM_64), OP(ADD_IMM_32)},       {RV_SLTI, OP(SET_LT_S_IMM), OP(SET_LT_S_IMM)},
    {RV_SLTIU, OP(SET_LT_U_IMM), OP(SET_LT_U_IMM)},  {RV_XORI, OP(XOR_IMM), OP(XOR_IMM)},
    {RV_ORI, OP(OR_IMM), OP(OR_IMM)},                {RV_ANDI, OP(AND_IMM), OP(AND_IMM)},
    {RV_SLLI, OP(SHLO_L_IMM_64), OP(SHLO_L_IMM_32)}, {RV_SRLI, OP(SHLO_R_IMM_64), OP(SHLO_R_IMM_32)},
    {RV_SRAI, OP(SHAR_R_IMM_64), OP(SHAR_R_IMM_32)}, {RV_RORI, OP(ROT_R_64_IMM), OP(ROT_R_32_IMM)},
    {RV_ADDIW, OP(ADD_IMM_32), OP(ADD_IMM_32)},      {RV_SLLIW, OP(SHLO_L_IMM_32), OP(SHLO_L_IMM_32)},
    {RV_SRLIW, OP(SHLO_R_IMM_32), OP(SHLO_R_IMM_32)}, {RV_SRAIW, OP(SHAR_R_IMM_32), OP(SHAR_R_IMM_32)},
    {RV_RORIW, OP(ROT_R_32_IMM), OP(ROT_R_32_IMM)},
};

static const simple_form unary_forms[] = {
    {RV_CLZ, OP(LEADING_ZERO_BITS_64), OP(LEADING_ZERO_BITS_32)},
    {RV_CTZ, OP(TRAILING_ZERO_BITS_64), OP(TRAILING_ZERO_BITS_32)},
    {RV_CPOP, OP(COUNT_SET_BITS_64), OP(COUNT_SET_BITS_32)},
    {RV_CLZW, OP(LEADING_ZERO_BITS_32), OP(LEADING_ZERO_BITS_32)},
    {RV_CTZW, OP(TRAILING_ZERO_BITS_32), OP(TRAILING_ZERO_BITS_32)},
    {RV_CPOPW, OP(COUNT_SET_BITS_32), OP(COUNT_SET_BITS_32)},
    {RV_SEXT_B, OP(SIGN_EXTEND_8), OP(SIGN_EXTEND_8)},
    {RV_SEXT_H, OP(SIGN_EXTEND_16), OP(SIGN_EXTEND_16)},
    {RV_ZEXT_H, OP(ZERO_EXTEND_16), OP(ZERO_EXTEND_16)},
    {RV_REV8, OP(REVERSE_BYTES), OP(REVERSE_BYTES)},
};

static const simple_form *simple_form_of(const simple_form *t, size_t n, rv_op op)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].rv == op) return &t[i];
    return NULL;
}

/* The value `op` gives when its register source is x0 (= 0). */
static int64_t fold_on_zero(const linker *l, rv_op op, int64_t imm)
{
    int xlen = l->is64 ? 64 : 32;
    switch (op) {
    case RV_ADDI: case RV_XORI: case RV_ORI: return imm;
    case RV_ADDIW: return (int32_t)imm;
    case RV_SLTI: return 0 < imm;
    case RV_SLTIU: return imm != 0;
    case RV_CLZ: case RV_CTZ: return xlen;
    case RV_CLZW: case RV_CTZW: return 32;
    default: return 0; /* andi, shifts, rotates, cpop, sign/zero extension, rev8 of zero */
    }
}

static void alu_imm(linker *l, const code_insn *ci, const simple_form *f, bool unary)
{
    const rv_insn *in = &ci->in;
    int d = pvm_reg(l, ci, in->rd), a = pvm_reg(l, ci, in->rs1);
    if (l->failed || d < 0) return;
    if (a < 0) return emit_load_constant(l, (unsigned)d, fold_on_zero(l, in->op, in->imm));
    int op = l->is64 ? f->op64 : f->op32;
    if (unary) return emit_reg_reg(l, op, (unsigned)d, (unsigned)a);
    if (in->op == RV_ADDI && in->imm == 0) return emit_move(l, (unsigned)d, (unsigned)a);
    emit_reg_reg_imm(l, op, (unsigned)d, (unsigned)a, in->imm);
}

/* ---- loads, stores, atomics ---------------------------------------------------------- */

static int load_op(const linker *l, rv_op op, bool absolute)
{
    switch (op) {
    case RV_LB: return absolute ? OP(LOAD_I8) : OP(LOAD_IND_I8);
    case RV_LH: return absolute ? OP(LOAD_I16) : OP(LOAD_IND_I16);
    case RV_LW: return absolute ? OP(LOAD_I32) : OP(LOAD_IND_I32);
    case RV_LD: return absolute ? OP(LOAD_U64) : OP(LOAD_IND_U64);
    case RV_LBU: return absolute ? OP(LOAD_U8) : OP(LOAD_IND_U8);
    case RV_LHU: return absolute ? OP(LOAD_U16) : OP(LOAD_IND_U16);
    default: return absolute ? OP(LOAD_U32) : OP(LOAD_IND_U32); /* lwu */
    }
}

static void load(linker *l, const code_insn *ci)
{
    const rv_insn *in = &ci->in;
    int d = pvm_reg(l, ci, in->rd), base = pvm_reg(l, ci, in->rs1);
    if (l->failed || d < 0) return;
    if (base < 0) return emit_reg_imm(l, load_op(l, in->op, true), (unsigned)d, in->imm);
    emit_reg_reg_imm(l, load_op(l, in->op, false), (unsigned)d, (unsigned)base, in->imm);
}

static int store_width_index(rv_op op) { return op == RV_SB ? 0 : op == RV_SH ? 1 : op == RV_SW ? 2 : 3; }

static void store(linker *l, const code_insn *ci)
{
    static const int ind[4] = {OP(STORE_IND_U8), OP(STORE_IND_U16), OP(STORE_IND_U32), OP(STORE_IND_U64)};
    static const int imm_ind[4] = {OP(STORE_IMM_IND_U8), OP(STORE_IMM_IND_U16), OP(STORE_IMM_IND_U32), OP(STORE_IMM_IND_U64)};
    static const int abs[4] = {OP(STORE_U8), OP(STORE_U16), OP(STORE_U32), OP(STORE_U64)};
    static const int imm_abs[4] = {OP(STORE_IMM_U8), OP(STORE_IMM_U16), OP(STORE_IMM_U32), OP(STORE_IMM_U64)};
    const rv_insn *in = &ci->in;
    int src = pvm_reg(l, ci, in->rs2), base = pvm_reg(l, ci, in->rs1), w = store_width_index(in->op);
    if (l->failed) return;
    if (base >= 0 && src >= 0) return emit_reg_reg_imm(l, ind[w], (unsigned)src, (unsigned)base, in->imm);
    if (base >= 0) {
        pvm_emit_reg_imm_imm(l->b, imm_ind[w], (unsigned)base, in->imm, 0);
        return emitted(l, imm_ind[w]);
    }
    if (src >= 0) return emit_reg_imm(l, abs[w], (unsigned)src, in->imm);
    pvm_emit_imm_imm(l->b, imm_abs[w], in->imm, 0);
    emitted(l, imm_abs[w]);
}

static int amo_op(const linker *l, rv_op op)
{
    switch (op) {
    case RV_AMOADD: return XLEN_OP(l, ADD_64, ADD_32);
    case RV_AMOXOR: return OP(XOR);
    case RV_AMOAND: return OP(AND);
    case RV_AMOOR: return OP(OR);
    case RV_AMOMIN: return OP(MIN);
    case RV_AMOMAX: return OP(MAX);
    case RV_AMOMINU: return OP(MIN_U);
    default: return OP(MAX_U);
    }
}

/* Atomics for a single hart: LR is a load, SC a store that always succeeds, and an AMO is
 * load / op / store through two scratch registers spilled below sp. */
static void atomic(linker *l, const code_insn *ci)
{
    const rv_insn *in = &ci->in;
    int d = pvm_reg(l, ci, in->rd), base = pvm_reg(l, ci, in->rs1), src = pvm_reg(l, ci, in->rs2);
    if (l->failed) return;
    if (base < 0) return (void)cannot(l, ci, "atomic access through x0");
    bool wide = in->width == 8;
    int ld = wide ? OP(LOAD_IND_U64) : OP(LOAD_IND_I32), st = wide ? OP(STORE_IND_U64) : OP(STORE_IND_U32);
    if (in->op == RV_LR) {
        if (d >= 0) emit_reg_reg_imm(l, ld, (unsigned)d, (unsigned)base, 0);
        return;
    }
    if (in->op == RV_SC) {
        if (src >= 0) emit_reg_reg_imm(l, st, (unsigned)src, (unsigned)base, 0);
        else {
            pvm_emit_reg_imm_imm(l->b, wide ? OP(STORE_IMM_IND_U64) : OP(STORE_IMM_IND_U32), (unsigned)base, 0, 0);
            emitted(l, wide ? OP(STORE_IMM_IND_U64) : OP(STORE_IMM_IND_U32));
        }
        if (d >= 0) emit_load_constant(l, (unsigned)d, 0);
        return;
    }
    unsigned avoid = bit(d) | bit(base) | bit(src) | bit(PVM_SP);
    unsigned old = scratch_reg(avoid), val = scratch_reg(avoid | bit((int)old));
    spill(l, old, 0);
    spill(l, val, 1);
    emit_reg_reg_imm(l, ld, old, (unsigned)base, 0);
    if (src < 0) emit_load_constant(l, val, 0);
    else if (in->op == RV_AMOSWAP) emit_reg_reg(l, OP(MOVE_REG), val, (unsigned)src);
    else if (!wide && l->is64) emit_reg_reg_imm(l, OP(ADD_IMM_32), val, (unsigned)src, 0); /* rs2[31:0], sign-extended */
    else emit_reg_reg(l, OP(MOVE_REG), val, (unsigned)src);
    if (in->op != RV_AMOSWAP) emit_reg3(l, amo_op(l, in->op), val, old, val);
    emit_reg_reg_imm(l, st, val, (unsigned)base, 0);
    if (d >= 0) emit_reg_reg(l, OP(MOVE_REG), (unsigned)d, old);
    reload(l, val, 1);
    reload(l, old, 0);
}

/* orc.b: 0xFF in every byte that is non-zero. No PVM op does it, so, with C = 0x7F in
 * every byte: y = ((x & C) + C) | x | C has bit 7 set exactly in the non-zero bytes;
 * ((y >> 7) & 0x01..01) * 0xFF spreads it. x is copied first (rd may be x), and the two
 * registers holding x and the constants are spilled around the sequence. */
static void or_combine_bytes(linker *l, const code_insn *ci)
{
    int d = pvm_reg(l, ci, ci->in.rd), a = pvm_reg(l, ci, ci->in.rs1);
    if (l->failed || d < 0) return;
    if (a < 0) return emit_load_constant(l, (unsigned)d, 0);
    unsigned x = scratch_reg(bit(d) | bit(a) | bit(PVM_SP)), c = scratch_reg(bit(d) | bit(a) | bit(PVM_SP) | bit((int)x));
    int64_t low7 = l->is64 ? 0x7F7F7F7F7F7F7F7F : 0x7F7F7F7F, ones = l->is64 ? 0x0101010101010101 : 0x01010101;
    spill(l, x, 0);
    spill(l, c, 1);
    emit_reg_reg(l, OP(MOVE_REG), x, (unsigned)a);
    emit_load_constant(l, c, low7);
    emit_reg3(l, OP(AND), (unsigned)d, x, c);
    emit_reg3(l, XLEN_OP(l, ADD_64, ADD_32), (unsigned)d, (unsigned)d, c);
    emit_reg3(l, OP(OR), (unsigned)d, (unsigned)d, x);
    emit_reg3(l, OP(OR), (unsigned)d, (unsigned)d, c);
    emit_reg_reg_imm(l, XLEN_OP(l, SHLO_R_IMM_64, SHLO_R_IMM_32), (unsigned)d, (unsigned)d, 7);
    emit_load_constant(l, c, ones);
    emit_reg3(l, OP(AND), (unsigned)d, (unsigned)d, c);
    emit_reg_reg_imm(l, XLEN_OP(l, MUL_IMM_64, MUL_IMM_32), (unsigned)d, (unsigned)d, 0xFF);
    reload(l, c, 1);
    reload(l, x, 0);
}

/* ---- control flow --------------------------------------------------------------------- */

static void branch(linker *l, const code_insn *ci)
{
    const rv_insn *in = &ci->in;
    int a = pvm_reg(l, ci, in->rs1), b = pvm_reg(l, ci, in->rs2);
    pvm_label target;
    if (l->failed || !label_for(l, ci->addr + (uint64_t)in->imm, &target)) return;
    /* reg-reg form, form with rs2 = 0, form with rs1 = 0 (swapped compare) */
    static const struct { rv_op rv; int rr, r0, zr; } forms[] = {
        {RV_BEQ, OP(BRANCH_EQ), OP(BRANCH_EQ_IMM), OP(BRANCH_EQ_IMM)},
        {RV_BNE, OP(BRANCH_NE), OP(BRANCH_NE_IMM), OP(BRANCH_NE_IMM)},
        {RV_BLT, OP(BRANCH_LT_S), OP(BRANCH_LT_S_IMM), OP(BRANCH_GT_S_IMM)},
        {RV_BGE, OP(BRANCH_GE_S), OP(BRANCH_GE_S_IMM), OP(BRANCH_LE_S_IMM)},
        {RV_BLTU, OP(BRANCH_LT_U), -1 /* never */, OP(BRANCH_NE_IMM)},
        {RV_BGEU, OP(BRANCH_GE_U), -2 /* always */, OP(BRANCH_EQ_IMM)},
    };
    size_t k = 0;
    while (forms[k].rv != in->op) k++;
    if (a >= 0 && b >= 0) return emit_branch(l, forms[k].rr, (unsigned)a, (unsigned)b, target);
    if (a < 0 && b < 0) { /* compare x0 with x0: equal */
        bool taken = in->op == RV_BEQ || in->op == RV_BGE || in->op == RV_BGEU;
        if (taken) emit_jump(l, target);
        return;
    }
    int op = a >= 0 ? forms[k].r0 : forms[k].zr;
    if (op == -1) return; /* x <u 0 never holds */
    if (op == -2) return emit_jump(l, target);
    emit_branch_imm(l, op, (unsigned)(a >= 0 ? a : b), 0, target);
}

/* A call or jump to a known address; rd = x0 is a plain jump. */
static void direct_jump(linker *l, const code_insn *ci, unsigned riscv_rd, uint64_t target, uint64_t return_addr)
{
    int d = pvm_reg(l, ci, riscv_rd);
    pvm_label label;
    uint32_t ret;
    if (l->failed || !label_for(l, target, &label)) return;
    if (d < 0) return emit_jump(l, label);
    if (!jump_address_for(l, return_addr, &ret)) return;
    pvm_emit_reg_imm_jump(l->b, OP(LOAD_IMM_JUMP), (unsigned)d, ret, label);
    emitted(l, OP(LOAD_IMM_JUMP));
}

static void indirect_jump(linker *l, const code_insn *ci)
{
    const rv_insn *in = &ci->in;
    int d = pvm_reg(l, ci, in->rd), base = pvm_reg(l, ci, in->rs1);
    uint32_t ret;
    if (l->failed) return;
    if (base < 0) return (void)cannot(l, ci, "jump to an absolute address");
    if (d < 0) return emit_reg_imm(l, OP(JUMP_IND), (unsigned)base, in->imm);
    if (!jump_address_for(l, ci->addr + in->len, &ret)) return;
    pvm_emit_reg_reg_imm_imm(l->b, OP(LOAD_IMM_JUMP_IND), (unsigned)d, (unsigned)base, ret, in->imm);
    emitted(l, OP(LOAD_IMM_JUMP_IND));
}

/* lui/auipc with a HI20-type relocation: rd = P(target) - lo, so that the paired low-part
 * instruction (addi, load, store, jalr with the linker's lo12) lands on P(target). */
static void address_high_part(linker *l, const code_insn *ci, const elf_reloc *r, bool pc_relative)
{
    int d = pvm_reg(l, ci, ci->in.rd);
    uint64_t target = reloc_target(l, ci->reloc_set, r);
    uint32_t value;
    if (l->failed || d < 0 || !pvm_address_of(l, target, &value)) return;
    uint64_t v = pc_relative ? target - ci->addr : target;
    int64_t lo = (int64_t)(v << 52) >> 52;
    emit_load_constant(l, (unsigned)d, (int64_t)(int32_t)(value - (uint32_t)lo));
}

/* auipc rX, got_hi whose load comes later (clang schedules other instructions, even a
 * block boundary, in between): rX = P(slot) - lo, so that the load, translated on its own,
 * reads the GOT slot in PVM memory (which relocate.c filled with the PVM address). The
 * load is the instruction whose PCREL_LO12_I names this auipc. */
static void got_high_part(linker *l, size_t i)
{
    static const uint32_t lo12[] = {R_PCREL_LO12_I};
    const code_insn *ci = &l->insns[i];
    for (size_t k = i + 1; k < l->n_insns && l->insns[k].kind == INSN_RISCV; k++) {
        const code_insn *lo = &l->insns[k];
        const elf_reloc *r = code_reloc(lo, lo12, 1);
        if (!r || reloc_target(l, lo->reloc_set, r) != ci->addr) continue;
        int d = pvm_reg(l, ci, ci->in.rd);
        uint32_t value;
        uint64_t slot = ci->addr + (uint64_t)ci->in.imm + (uint64_t)lo->in.imm;
        if (!l->failed && d >= 0 && pvm_address_of(l, slot, &value))
            emit_load_constant(l, (unsigned)d, (int64_t)(int32_t)(value - (uint32_t)lo->in.imm));
        return;
    }
    cannot(l, ci, "GOT access without its load (no PCREL_LO12_I names it in this section)");
}

/* auipc: the start of an address or call pair, known only through its relocation. */
static size_t upper_pc(linker *l, size_t i)
{
    code_insn *ci = &l->insns[i];
    static const uint32_t call[] = {R_CALL, R_CALL_PLT}, pcrel[] = {R_PCREL_HI20}, got[] = {R_GOT_HI20};
    const elf_reloc *r;
    code_insn *next = i + 1 < l->n_insns ? &l->insns[i + 1] : NULL;
    if ((r = code_reloc(ci, call, 2))) {
        /* auipc rX, hi; jalr rd, lo(rX) -> a direct call (or tail jump) */
        if (next && next->kind == INSN_RISCV && next->in.op == RV_JALR && next->in.rs1 == ci->in.rd && !next->block_start) {
            direct_jump(l, ci, next->in.rd, reloc_target(l, ci->reloc_set, r), next->addr + next->in.len);
            return 2;
        }
        address_high_part(l, ci, r, true);
        return 1;
    }
    if ((r = code_reloc(ci, pcrel, 1))) {
        address_high_part(l, ci, r, true);
        return 1;
    }
    if ((r = code_reloc(ci, got, 1))) {
        /* auipc rX, got_hi; l[dw] rd, lo(rX): the GOT slot holds the address, load it directly */
        bool pair = next && next->kind == INSN_RISCV && (next->in.op == RV_LD || next->in.op == RV_LW) &&
                    next->in.rs1 == ci->in.rd && !next->block_start;
        uint32_t value;
        if (!pair) return got_high_part(l, i), 1;
        int d = pvm_reg(l, next, next->in.rd);
        if (!l->failed && d >= 0 && pvm_address_of(l, reloc_target(l, ci->reloc_set, r), &value))
            emit_load_constant(l, (unsigned)d, (int32_t)value);
        return 2;
    }
    if (ci->in.rd == 0) return 1; /* auipc zero: a hint (PolkaVM's Rust import marker) */
    uint64_t target;
    if (!ci->reloc && auipc_pair_target(l, i, &target)) {
        if (next->in.op == RV_JALR && !next->block_start) {
            direct_jump(l, ci, next->in.rd, target, next->addr + next->in.len);
            return 2;
        }
        int d = pvm_reg(l, ci, ci->in.rd);
        uint32_t value;
        if (!l->failed && d >= 0 && pvm_address_of(l, target, &value))
            emit_load_constant(l, (unsigned)d, (int32_t)(value - (uint32_t)next->in.imm));
        return 1;
    }
    cannot(l, ci, "auipc without a relocation (link with --emit-relocs)");
    return 1;
}

static void upper_immediate(linker *l, const code_insn *ci)
{
    static const uint32_t hi20[] = {R_HI20};
    const elf_reloc *r = code_reloc(ci, hi20, 1);
    if (r) return address_high_part(l, ci, r, false);
    int d = pvm_reg(l, ci, ci->in.rd);
    if (!l->failed && d >= 0) emit_load_constant(l, (unsigned)d, ci->in.imm);
}

/* Start a block at label: a fallthrough first when the previous block can fall into it. */
static void bind_block(linker *l, pvm_label label)
{
    if (l->last_op >= 0 && !pvm_op_is_terminator((pvm_op)l->last_op)) emit_none(l, OP(FALLTHROUGH));
    pvm_builder_bind(l->b, label);
}

/* ---- PolkaVM's guest instructions (custom-0) ---------------------------------------- */

/* Whether the output can hold op: memset and sbrk are Latest32/64 only (a GP standard
 * program is written in GP 0.7's opcodes whatever the ISA). */
static bool output_has(const linker *l, int op)
{
    return !l->opt->gp_standard && pvm_isa_encode_opcode(l->opt->isa, (pvm_op)op) >= 0;
}

/* As output_has, else a clear refusal. */
static bool isa_has(linker *l, const code_insn *ci, int op)
{
    if (output_has(l, op)) return true;
    char why[96];
    snprintf(why, sizeof why, "%s has no %s (link for latest32 or latest64)",
             l->opt->gp_standard ? "a GP standard program" : pvm_isa_name(l->opt->isa), pvm_op_table[op].name);
    return cannot(l, ci, why);
}

/* memset: fill [a0, a0 + a2) with a1's low byte, a0 and a2 moving on. Where the ISA has no
 * such instruction (GP 0.7, JamV1) the same fill as a byte loop, priced per instruction:
 *   head: branch_eq_imm a2, 0, done; store_ind_u8 a1, a0, 0; a0 += 1; a2 -= 1; jump head
 *   done: */
static void fill_memory(linker *l)
{
    if (output_has(l, OP(MEMSET))) return emit_none(l, OP(MEMSET));
    pvm_label head = pvm_builder_label(l->b), done = pvm_builder_label(l->b);
    bind_block(l, head);
    emit_branch_imm(l, OP(BRANCH_EQ_IMM), PVM_REG_A2, 0, done);
    emit_reg_reg_imm(l, OP(STORE_IND_U8), PVM_REG_A1, PVM_REG_A0, 0);
    emit_reg_reg_imm(l, XLEN_OP(l, ADD_IMM_64, ADD_IMM_32), PVM_REG_A0, PVM_REG_A0, 1);
    emit_reg_reg_imm(l, XLEN_OP(l, ADD_IMM_64, ADD_IMM_32), PVM_REG_A2, PVM_REG_A2, -1);
    emit_jump(l, head);
    pvm_builder_bind(l->b, done); /* (after the jump: a block start) */
}

/* sbrk rd, rs1: the new heap top in rd; rs1 = zero asks for it without growing. */
static void heap_grow(linker *l, const code_insn *ci)
{
    if (!isa_has(l, ci, OP(SBRK))) return;
    int d = pvm_reg(l, ci, ci->in.rd), a = pvm_reg(l, ci, ci->in.rs1);
    if (l->failed) return;
    if (d < 0) return (void)cannot(l, ci, "its result must go to a register");
    if (a < 0) {
        emit_load_constant(l, (unsigned)d, 0);
        a = d;
    }
    emit_reg_reg(l, OP(SBRK), (unsigned)d, (unsigned)a);
}

/* ---- one instruction ------------------------------------------------------------------ */

static size_t translate_one(linker *l, size_t i)
{
    const code_insn *ci = &l->insns[i];
    const rv_insn *in = &ci->in;
    if (ci->kind == INSN_IMPORT) {
        pvm_emit_imm(l->b, OP(ECALLI), ci->import_index);
        emitted(l, OP(ECALLI));
        return 1;
    }
    if (ci->kind == INSN_SECTION_END) {
        if (l->last_op < 0 || !pvm_op_is_terminator((pvm_op)l->last_op)) emit_none(l, OP(TRAP));
        return 1;
    }
    const alu_form *af = alu_form_of(in->op);
    const simple_form *sf;
    if (af) {
        alu_reg3(l, ci, af);
        return 1;
    }
    if ((sf = simple_form_of(imm_forms, sizeof imm_forms / sizeof *imm_forms, in->op))) {
        alu_imm(l, ci, sf, false);
        return 1;
    }
    if ((sf = simple_form_of(unary_forms, sizeof unary_forms / sizeof *unary_forms, in->op))) {
        alu_imm(l, ci, sf, true);
        return 1;
    }
    switch (in->op) {
    case RV_LUI: upper_immediate(l, ci); return 1;
    case RV_AUIPC: return upper_pc(l, i);
    case RV_JAL: direct_jump(l, ci, in->rd, ci->addr + (uint64_t)in->imm, ci->addr + in->len); return 1;
    case RV_JALR: indirect_jump(l, ci); return 1;
    case RV_BEQ: case RV_BNE: case RV_BLT: case RV_BGE: case RV_BLTU: case RV_BGEU: branch(l, ci); return 1;
    case RV_LB: case RV_LH: case RV_LW: case RV_LD: case RV_LBU: case RV_LHU: case RV_LWU: load(l, ci); return 1;
    case RV_SB: case RV_SH: case RV_SW: case RV_SD: store(l, ci); return 1;
    case RV_LR: case RV_SC: case RV_AMOSWAP: case RV_AMOADD: case RV_AMOXOR: case RV_AMOAND: case RV_AMOOR:
    case RV_AMOMIN: case RV_AMOMAX: case RV_AMOMINU: case RV_AMOMAXU:
        atomic(l, ci);
        return 1;
    case RV_FENCE: case RV_FENCE_I: return 1; /* one hart, no caches to sync */
    case RV_EBREAK: case RV_UNIMP: emit_none(l, OP(TRAP)); return 1;
    case RV_ECALL: cannot(l, ci, "bare ecall (use an import)"); return 1;
    case RV_ORC_B: or_combine_bytes(l, ci); return 1;
    case RV_PVM_MEMSET: fill_memory(l); return 1;
    case RV_PVM_SBRK: heap_grow(l, ci); return 1;
    case RV_TH_MVEQZ: case RV_TH_MVNEZ: conditional_move(l, ci); return 1;
    default: cannot(l, ci, NULL); return 1;
    }
}

/* A jump may land here: close the previous block (bind_block), at the insn's label. */
static void begin_block(linker *l, code_insn *ci)
{
    if (ci->label == NO_LABEL) ci->label = pvm_builder_label(l->b);
    bind_block(l, ci->label);
}

bool translate_code(linker *l)
{
    if (l->hints && l->hints->record) { /* pass 1 of the unlikely hints: where each insn starts */
        free(l->hints->pvm_index);
        l->hints->pvm_index = malloc((l->n_insns ? l->n_insns : 1) * sizeof *l->hints->pvm_index);
        if (!l->hints->pvm_index) return link_fail(l, UINT64_MAX, "out of memory");
        memset(l->hints->pvm_index, 0xFF, l->n_insns * sizeof *l->hints->pvm_index);
        l->hints->n_insns = l->n_insns;
    } else if (l->hints && l->hints->n_insns != l->n_insns) {
        return link_fail(l, UINT64_MAX, "internal error: the unlikely hints' plan is for another translation");
    }
    for (size_t i = 0; i < l->n_insns && !l->failed;) {
        code_insn *ci = &l->insns[i];
        if (ci->block_start) begin_block(l, ci);
        if (l->hints && i < l->hints->n_insns) {
            if (l->hints->record) l->hints->pvm_index[i] = (uint32_t)l->stats->pvm_instructions;
            if (l->hints->unlikely_before && l->hints->unlikely_before[i]) emit_none(l, OP(UNLIKELY));
        }
        size_t used = ci->kind == INSN_RISCV ? try_fusions(l, i) : 0;
        if (!used) used = translate_one(l, i);
        i += used;
    }
    return !l->failed;
}
