/* Peepholes over the RISC-V stream, each behind a link_options flag:
 *   fuse_address: lui/auipc rX + addi/load/store through rX -> one load_imm, absolute
 *                 load or absolute store, when rX is overwritten by the pair or dead after
 *                 it (the pair's second half must not be a jump target);
 *   fuse_compare: slt(i)(u) rT, a, b + beqz/bnez rT -> one compare-and-branch, and
 *                 li rT, imm + b<cc> with rT -> the branch's immediate form, when rT is
 *                 overwritten before it is read on both paths out of the branch. */
#include "link_internal.h"

#define OP(name) PVM_OP_##name
enum { R_PCREL_HI20 = 23, R_HI20 = 26 };

static bool is_load(rv_op op)
{
    return op == RV_LB || op == RV_LH || op == RV_LW || op == RV_LD || op == RV_LBU || op == RV_LHU || op == RV_LWU;
}

static int absolute_load_op(rv_op op)
{
    switch (op) {
    case RV_LB: return OP(LOAD_I8);
    case RV_LH: return OP(LOAD_I16);
    case RV_LW: return OP(LOAD_I32);
    case RV_LD: return OP(LOAD_U64);
    case RV_LBU: return OP(LOAD_U8);
    case RV_LHU: return OP(LOAD_U16);
    default: return OP(LOAD_U32);
    }
}

/* ---- which registers are dead --------------------------------------------------------- */

static bool writes_rd(rv_op op)
{
    switch (op) {
    case RV_BEQ: case RV_BNE: case RV_BLT: case RV_BGE: case RV_BLTU: case RV_BGEU: case RV_SB: case RV_SH:
    case RV_SW: case RV_SD: case RV_FENCE: case RV_FENCE_I: case RV_ECALL: case RV_EBREAK: case RV_UNIMP:
    case RV_INVALID:
        return false;
    default:
        return true;
    }
}

static bool reads(const rv_insn *in, unsigned reg)
{
    switch (in->op) {
    case RV_LUI: case RV_AUIPC: case RV_JAL: case RV_FENCE: case RV_FENCE_I: case RV_EBREAK: case RV_UNIMP:
        return false;
    case RV_INVALID: case RV_ECALL: case RV_CSR:
        return true;
    default:
        break;
    }
    if (in->rs1 == reg) return true;
    bool has_rs2 = in->op != RV_JALR && in->op != RV_LR && !is_load(in->op) && in->rs2 == reg;
    switch (in->op) { /* the ops whose rs2 field is an immediate or unused */
    case RV_ADDI: case RV_SLTI: case RV_SLTIU: case RV_XORI: case RV_ORI: case RV_ANDI: case RV_SLLI: case RV_SRLI:
    case RV_SRAI: case RV_ADDIW: case RV_SLLIW: case RV_SRLIW: case RV_SRAIW: case RV_RORI: case RV_RORIW:
    case RV_CLZ: case RV_CTZ: case RV_CPOP: case RV_CLZW: case RV_CTZW: case RV_CPOPW: case RV_SEXT_B:
    case RV_SEXT_H: case RV_ZEXT_H: case RV_REV8: case RV_ORC_B:
        return false;
    default:
        return has_rs2;
    }
}

/* Is `reg` written before it is read on the straight-line path from addr? (Conservative:
 * any jump, host call or section end on the way counts as a read.) */
static bool dead_at(const linker *l, uint64_t addr, unsigned reg)
{
    long i = find_insn(l, addr);
    for (int steps = 0; i >= 0 && (size_t)i < l->n_insns && steps < 16; i++, steps++) {
        const code_insn *ci = &l->insns[i];
        if (ci->kind != INSN_RISCV) return false;
        const rv_insn *in = &ci->in;
        if (reads(in, reg)) return false;
        switch (in->op) {
        case RV_JAL: case RV_JALR: case RV_BEQ: case RV_BNE: case RV_BLT: case RV_BGE: case RV_BLTU: case RV_BGEU:
            return false;
        default:
            break;
        }
        if (writes_rd(in->op) && in->rd == reg) return true;
    }
    return false;
}

/* ---- address pairs -------------------------------------------------------------------- */

/* The full value the pair builds: a PVM address for relocated pairs, else lui + lo. */
static bool pair_value(linker *l, const code_insn *hi, const code_insn *lo, int64_t *value)
{
    static const uint32_t pcrel[] = {R_PCREL_HI20}, abs[] = {R_HI20};
    const elf_reloc *r = code_reloc(hi, hi->in.op == RV_AUIPC ? pcrel : abs, 1);
    if (r) {
        uint32_t v;
        if (!pvm_address_of(l, reloc_target(l, hi->reloc_set, r), &v)) return false;
        *value = (int32_t)v;
        return true;
    }
    if (hi->in.op == RV_AUIPC) return false;
    *value = lo->in.op == RV_ADDIW ? (int32_t)(hi->in.imm + lo->in.imm) : hi->in.imm + lo->in.imm;
    return l->is64 || *value == (int32_t)*value;
}

static int absolute_store_op(rv_op op)
{
    return op == RV_SB ? OP(STORE_U8) : op == RV_SH ? OP(STORE_U16) : op == RV_SW ? OP(STORE_U32) : OP(STORE_U64);
}

/* The pair collapses when its second half overwrites the high part's register, or when
 * that register is dead afterwards. */
static size_t fuse_address(linker *l, size_t i)
{
    const code_insn *hi = &l->insns[i], *lo = &l->insns[i + 1];
    if ((hi->in.op != RV_LUI && hi->in.op != RV_AUIPC) || hi->in.rd == 0 || lo->in.rs1 != hi->in.rd) return 0;
    bool add = lo->in.op == RV_ADDI || (lo->in.op == RV_ADDIW && hi->in.op == RV_LUI);
    bool store = lo->in.op == RV_SB || lo->in.op == RV_SH || lo->in.op == RV_SW || lo->in.op == RV_SD;
    if (!add && !store && !is_load(lo->in.op)) return 0;
    bool overwritten = !store && lo->in.rd == hi->in.rd;
    if (!overwritten && (store && lo->in.rs2 == hi->in.rd)) return 0;
    if (!overwritten && !dead_at(l, lo->addr + lo->in.len, hi->in.rd)) return 0;
    int64_t value;
    if (!pair_value(l, hi, lo, &value)) return 0;
    bool fits = value == (int32_t)value || hi->in.op == RV_AUIPC;
    if (store) {
        int src = pvm_reg(l, lo, lo->in.rs2);
        if (src < 0 || !fits) return 0; /* x0 stores keep their store_imm_ind form */
        emit_reg_imm(l, absolute_store_op(lo->in.op), (unsigned)src, (int32_t)value);
    } else {
        int d = pvm_reg(l, lo, lo->in.rd);
        if (d < 0 || (!add && !fits)) return 0;
        if (add) emit_load_constant(l, (unsigned)d, value);
        else emit_reg_imm(l, absolute_load_op(lo->in.op), (unsigned)d, (int32_t)value);
    }
    l->stats->fused_address++;
    return 2;
}

static size_t fuse_compare(linker *l, size_t i)
{
    const code_insn *cmp = &l->insns[i], *br = &l->insns[i + 1];
    const rv_insn *c = &cmp->in, *b = &br->in;
    bool imm = c->op == RV_SLTI || c->op == RV_SLTIU, is_unsigned = c->op == RV_SLTU || c->op == RV_SLTIU;
    if (c->op != RV_SLT && c->op != RV_SLTU && !imm) return 0;
    if ((b->op != RV_BEQ && b->op != RV_BNE) || c->rd == 0) return 0;
    if (!((b->rs1 == c->rd && b->rs2 == 0) || (b->rs2 == c->rd && b->rs1 == 0))) return 0;
    if (!dead_at(l, br->addr + b->len, c->rd) || !dead_at(l, br->addr + (uint64_t)b->imm, c->rd)) return 0;
    bool taken_if_less = b->op == RV_BNE;
    int a = pvm_reg(l, cmp, c->rs1), r2 = imm ? -1 : pvm_reg(l, cmp, c->rs2);
    if (l->failed || a < 0 || (!imm && c->rs2 == 0 && is_unsigned)) return 0; /* x0 on the left: leave it */
    pvm_label target;
    if (!label_for(l, br->addr + (uint64_t)b->imm, &target)) return 0;
    if (imm || r2 < 0) { /* compare with an immediate (0 for x0) */
        int64_t x = imm ? c->imm : 0;
        int op = is_unsigned ? (taken_if_less ? OP(BRANCH_LT_U_IMM) : OP(BRANCH_GE_U_IMM))
                             : (taken_if_less ? OP(BRANCH_LT_S_IMM) : OP(BRANCH_GE_S_IMM));
        emit_branch_imm(l, op, (unsigned)a, x, target);
    } else {
        int op = is_unsigned ? (taken_if_less ? OP(BRANCH_LT_U) : OP(BRANCH_GE_U))
                             : (taken_if_less ? OP(BRANCH_LT_S) : OP(BRANCH_GE_S));
        emit_branch(l, op, (unsigned)a, (unsigned)r2, target);
    }
    l->stats->fused_compare++;
    return 2;
}

/* li rT, imm + branch comparing rT with a register -> the branch's immediate form. */
static size_t fuse_constant_branch(linker *l, size_t i)
{
    const code_insn *li = &l->insns[i], *br = &l->insns[i + 1];
    const rv_insn *c = &li->in, *b = &br->in;
    static const struct { rv_op rv; int right, left; } forms[] = { /* rT as rs2 / rT as rs1 */
        {RV_BEQ, OP(BRANCH_EQ_IMM), OP(BRANCH_EQ_IMM)},       {RV_BNE, OP(BRANCH_NE_IMM), OP(BRANCH_NE_IMM)},
        {RV_BLT, OP(BRANCH_LT_S_IMM), OP(BRANCH_GT_S_IMM)},   {RV_BGE, OP(BRANCH_GE_S_IMM), OP(BRANCH_LE_S_IMM)},
        {RV_BLTU, OP(BRANCH_LT_U_IMM), OP(BRANCH_GT_U_IMM)}, {RV_BGEU, OP(BRANCH_GE_U_IMM), OP(BRANCH_LE_U_IMM)},
    };
    if (c->op != RV_ADDI || c->rs1 != 0 || c->rd == 0) return 0;
    size_t k = 0;
    while (k < sizeof forms / sizeof *forms && forms[k].rv != b->op) k++;
    if (k == sizeof forms / sizeof *forms || (b->rs1 == c->rd) == (b->rs2 == c->rd)) return 0;
    unsigned other = b->rs1 == c->rd ? b->rs2 : b->rs1;
    int a = pvm_reg(l, br, other);
    if (l->failed || a < 0) return 0;
    if (!dead_at(l, br->addr + b->len, c->rd) || !dead_at(l, br->addr + (uint64_t)b->imm, c->rd)) return 0;
    pvm_label target;
    if (!label_for(l, br->addr + (uint64_t)b->imm, &target)) return 0;
    emit_branch_imm(l, b->rs2 == c->rd ? forms[k].right : forms[k].left, (unsigned)a, c->imm, target);
    l->stats->fused_compare++;
    return 2;
}

size_t try_fusions(linker *l, size_t i)
{
    if (i + 1 >= l->n_insns || l->insns[i + 1].kind != INSN_RISCV || l->insns[i + 1].block_start) return 0;
    size_t used = 0;
    if (l->opt->fuse_address) used = fuse_address(l, i);
    if (!used && l->opt->fuse_compare) used = fuse_compare(l, i);
    if (!used && l->opt->fuse_compare) used = fuse_constant_branch(l, i);
    return used;
}
