/* Instruction emitters: the x86-64 code of each guest instruction, chosen
 * by canonical op (one switch in cg_emit_instr). Guest registers live in host
 * registers (jit_guest_reg), rcx is the scratch register, r13 the guest
 * memory base; effective addresses are computed in 32 bits so they wrap. */
#include "codegen.h"
#include "gas_checks.h"

/* ecx = the guest address of a load or store: a 32-bit lea computes base + offset
 * modulo 2^32 (the access itself is [r13 + rcx], at most 7 bytes past the 4 GiB
 * window, inside its guard). */
static void emit_address(cg *g, const pvm_instr *ins)
{
    int base = jit_mem_base_reg(ins);
    if (base < 0) x64_mov_ri(&g->b, RCX, (uint32_t)ins->imm);
    else x64_lea(&g->b, false, RCX, x64_at(R(base), (int32_t)(uint32_t)ins->imm));
}

/* The access [r13 + rcx] of a load or store whose guest address is in ecx. */
static const x64_mem access_at_rcx = {RCX, MEM_BASE, 1, 0}; /* rcx as base: no displacement byte (r13 as base needs one) */

/* The access of a load or store at m. */
static void emit_access(cg *g, const pvm_instr *ins, x64_mem m)
{
    x64_buf *b = &g->b;
    pvm_mem_access acc = g->access[ins->op];
    pvm_kind k = pvm_op_table[ins->op].kind;
    if (!acc.is_store) { /* movzx / movsx / mov / movsxd by width */
        static const uint32_t zx[] = {[1] = 0x0FB6, [2] = 0x0FB7, [4] = 0x8B, [8] = 0x8B};
        static const uint32_t sx[] = {[1] = 0x0FBE, [2] = 0x0FBF, [4] = 0x63, [8] = 0x8B};
        bool w = acc.width == 8 || (acc.is_signed && !g->narrow);
        uint32_t opc = acc.is_signed && (w || acc.width < 4) ? sx[acc.width] : zx[acc.width];
        x64_op_rm(b, 0, w ? X64_W : 0, opc, R(ins->a), m);
        return;
    }
    int pfx = acc.width == 2 ? 0x66 : 0;
    unsigned w = acc.width == 8 ? X64_W : 0;
    if (k == PVM_KIND_IMM_IMM || k == PVM_KIND_REG_IMM_IMM) {
        uint64_t v = ins->imm2;
        if (acc.width == 8 && !x64_fits_s32(v)) {
            g->unsupported = true;
            return;
        }
        x64_op_rm(b, pfx, w, acc.width == 1 ? 0xC6 : 0xC7, 0, m);
        if (acc.width == 1) x64_u8(b, (uint8_t)v);
        else if (acc.width == 2) x64_u8(b, (uint8_t)v), x64_u8(b, (uint8_t)(v >> 8));
        else x64_u32(b, (uint32_t)v);
    } else {
        x64_op_rm(b, pfx, w | (acc.width == 1 ? X64_BYTE : 0), acc.width == 1 ? 0x88 : 0x89, R(ins->a), m);
    }
}

/* Per op, what emit_access writes for a load or a register store (opcode, REX.W,
 * 0x66, a byte register) and where its base register is (ENC_BASE_B: b, else
 * none), looked up once per compile (cg_mem_encodings): the opcode in bits 0-15
 * (two bytes with ENC_OP2); 0 for ops that are neither, or without gs_mem. */
enum { ENC_OP2 = 1u << 16, ENC_W = 1u << 17, ENC_66 = 1u << 18, ENC_BYTE = 1u << 19, ENC_BASE_B = 1u << 20 };

void cg_mem_encodings(cg *g)
{
    static const uint32_t zx[] = {[1] = 0x0FB6, [2] = 0x0FB7, [4] = 0x8B, [8] = 0x8B};
    static const uint32_t sx[] = {[1] = 0x0FBE, [2] = 0x0FBF, [4] = 0x63, [8] = 0x8B};
    for (int op = 0; op < PVM_OP_COUNT; op++) {
        pvm_mem_access acc = g->access[op];
        pvm_kind k = pvm_op_table[op].kind;
        uint32_t e = 0, opc = 0;
        if (acc.width && !acc.is_store) { /* as emit_access */
            bool w = acc.width == 8 || (acc.is_signed && !g->narrow);
            opc = acc.is_signed && (w || acc.width < 4) ? sx[acc.width] : zx[acc.width];
            e = w ? ENC_W : 0;
        } else if (acc.width && k != PVM_KIND_IMM_IMM && k != PVM_KIND_REG_IMM_IMM) {
            opc = acc.width == 1 ? 0x88 : 0x89;
            e = (acc.width == 8 ? ENC_W : 0) | (acc.width == 2 ? ENC_66 : 0) | (acc.width == 1 ? ENC_BYTE : 0);
        }
        if (k == PVM_KIND_REG_REG_IMM) e |= ENC_BASE_B; /* jit_mem_base_reg: else REG_IMM, an absolute address */
        g->mem_enc[op] = opc && g->gs_mem ? e | opc | (opc > 0xFF ? ENC_OP2 : 0) : 0;
    }
}

/* gs:[base32 + disp] (base < 0: gs:[disp32]) of a load or register store by its
 * mem_enc: the bytes of x64_gs_addr32 and emit_access's x64_op_rm, without
 * their general cases (the commonest instructions but for ALU ones). */
static void emit_gs_access(x64_buf *b, uint32_t e, int reg, int base, int32_t disp)
{
    uint8_t *q = b->p + b->len;
    *q++ = 0x65, *q++ = 0x67;
    if (e & ENC_66) *q++ = 0x66;
    unsigned rex = (e & ENC_W ? 8u : 0u) | ((unsigned)reg & 8) >> 1 | (base >= 0 ? ((unsigned)base & 8) >> 3 : 0);
    if (rex || ((e & ENC_BYTE) && reg >= 4 && reg < 8)) *q++ = (uint8_t)(0x40 | rex);
    if (e & ENC_OP2) *q++ = (uint8_t)(e >> 8);
    *q++ = (uint8_t)e;
    unsigned r = ((unsigned)reg & 7) << 3;
    if (base < 0) { /* SIB without base and index: disp32 */
        *q++ = (uint8_t)(r | 4), *q++ = 0x25;
        memcpy(q, &disp, 4);
        q += 4;
    } else {
        unsigned rm = (unsigned)base & 7, mod = disp == 0 && rm != 5 ? 0 : x64_fits_s8(disp) ? 0x40 : 0x80;
        *q++ = (uint8_t)(mod | r | rm);
        if (rm == 4) *q++ = 0x24; /* rsp / r12 as base: a SIB without index */
        if (mod == 0x40) *q++ = (uint8_t)disp;
        else if (mod == 0x80) memcpy(q, &disp, 4), q += 4;
    }
    b->len = (size_t)(q - b->p);
}

/* A load or store on its own. With the guest window in the GS base, one
 * instruction with a 32-bit address (gs_base.c). Else narrow programs keep registers zero-extended, so
 * [r13 + base + disp32] is the guest address unless base + offset wraps at 2^32
 * (then it lands in the guard around the window and the fault handler has the
 * interpreter redo it) and the lea is saved; an absolute address below 2 GiB is
 * [r13 + disp32]. signals.c recomputes the address of these from the instruction. Not inlined:
 * emit_memory_one, which ends in a call to it, then saves no registers for its common gs:[] case. */
static __attribute__((noinline)) void emit_memory(cg *g, const pvm_instr *ins)
{
    int base = jit_mem_base_reg(ins);
    if (g->gs_mem) { /* gs:[base32 + disp] or gs:[disp32]: the address wraps at 2^32 as the guest's does */
        uint32_t e = g->mem_enc[ins->op];
        if (e) {
            emit_gs_access(&g->b, e, R(ins->a), base >= 0 ? R(base) : -1, (int32_t)(uint32_t)ins->imm);
            return;
        }
        x64_gs_addr32(&g->b);
        emit_access(g, ins, base >= 0 ? x64_at(R(base), (int32_t)(uint32_t)ins->imm)
                                      : x64_idx(X64_NOBASE, RSP, 1, (int32_t)(uint32_t)ins->imm)); /* SIB: no index */
        return;
    }
    if (g->narrow) {
        if (base >= 0) {
            emit_access(g, ins, x64_idx(R(base), MEM_BASE, 1, (int32_t)(uint32_t)ins->imm));
            return;
        }
        if ((uint32_t)ins->imm <= INT32_MAX) {
            emit_access(g, ins, x64_at(MEM_BASE, (int32_t)ins->imm));
            return;
        }
    }
    emit_address(g, ins);
    emit_access(g, ins, access_at_rcx);
}

/* The load of a fused group at guest address a + b * scale + disp (modulo 2^32):
 * gs:[a32 + b32 * scale + disp] in one instruction, or the address into ecx
 * first. signals.c recomputes it from the group's registers. */
static void emit_indexed_access(cg *g, const pvm_instr *ld, int a, int b, int scale, int32_t disp)
{
    x64_mem m = x64_idx(a, b, scale, disp);
    if (g->gs_mem) {
        x64_gs_addr32(&g->b);
        emit_access(g, ld, m);
        return;
    }
    x64_lea(&g->b, false, RCX, m);
    emit_access(g, ld, access_at_rcx);
}

/* ecx = the guest address a dynamic jump goes to, base + imm modulo 2^32, or that minus 2
 * without table_abs (emit_dynamic_jump). With table_abs and no offset a plain 32-bit mov,
 * which the core eliminates: nothing between the guest register and the table load. */
static void emit_jump_address(cg *g, int base, uint32_t imm)
{
    uint32_t k = g->table_abs ? imm : imm - 2;
    if (k) x64_lea(&g->b, false, RCX, x64_at(base, (int32_t)k));
    else x64_mov_rr(&g->b, false, RCX, base);
}

/* Indirect jump to the guest address in ecx (emit_jump_address; PVM_ADDR_HALT returns to
 * the host). With the code below 2 GiB (table_abs) the table is indexed by the address
 * itself (emit_jump_table: 2 jt_len + 2 entries, the odd ones and 0 the bad-target exit):
 * one unsigned bound check sends the rest (beyond the table, the halt address) to the cold
 * stub, the jump's panic code goes to SPILL0 for the bad-target exit, and one memory-
 * indirect jmp follows: the address reaches the jmp's load with no arithmetic between.
 * Else ecx = a - 2 and the entry is ror(a - 2, 1): an even address a gives a/2 - 1, an odd
 * one (bit 0 rotated to bit 31), address 0 and the halt address give values of at least
 * 2^31 - 1, so one bound check (pvm_jit_compile refuses jt_len >= 2^30) rejects them all;
 * the entry is an offset from the table, added through rax. The cold stub tells the halt
 * address from the rest. */
static void emit_dynamic_jump(cg *g, uint32_t index)
{
    x64_buf *b = &g->b;
    if (g->table_abs) {
        x64_alu_ri(b, false, ALU_CMP, RCX, (int32_t)(g->d->jt_len * 2 + 1));
        cg_jcc_stub(g, CC_A, cg_new_jump_stub(g, index));
        x64_op_rm(b, 0, 0, 0xC7, 0, SLOT(JIT_FRAME_SPILL0));
        x64_u32(b, JIT_EXIT_CODE(PVM_EXIT_PANIC, index));
        x64_op_rm(b, 0, 0, 0xFF, 4, x64_idx(X64_NOBASE, RCX, 8, 0)); /* jmp [rcx*8 + table] */
        cg_add_fixup(g, b->len - 4, FIX_TABLE_ABS, 0);
        return;
    }
    x64_shift_ri(b, false, SH_ROR, RCX, 1);
    x64_alu_ri(b, false, ALU_CMP, RCX, (int32_t)g->d->jt_len);
    cg_jcc_stub(g, CC_AE, cg_new_jump_stub(g, index));
    uint32_t panic = cg_new_stub(g, JIT_EXIT_CODE(PVM_EXIT_PANIC, index), 0);
    x64_store(b, true, SLOT(JIT_FRAME_SPILL0), RAX);
    x64_lea(b, true, RAX, x64_at(X64_RIP, 0));
    cg_add_fixup(g, b->len - 4, FIX_TABLE, 0);
    x64_op_rm(b, 0, X64_W, 0x63, RCX, x64_idx(RAX, RCX, 4, 0)); /* movsxd rcx, [rax + rcx*4] */
    x64_test_rr(b, true, RCX, RCX);
    x64_lea(b, true, RCX, x64_idx(RAX, RCX, 1, 0));
    x64_load(b, true, RAX, SLOT(JIT_FRAME_SPILL0));
    cg_jcc_stub(g, CC_E, panic); /* entry 0: not a block start */
    x64_op_rr(b, 0, 0, 0xFF, 4, RCX); /* jmp rcx */
}

/* Call a C helper(ctx, index, &gas) with the guest state in the context. */
static void emit_helper_call(cg *g, uint32_t index, void *fn, bool can_exit)
{
    x64_buf *b = &g->b;
    x64_load(b, true, RCX, SLOT(JIT_FRAME_CTX));
    cg_store_regs(g, RCX);
    if (g->gas_reg >= 0) x64_store(b, true, SLOT(JIT_FRAME_GAS), g->gas_reg); /* the helper charges *gas */
    x64_mov_rr(b, true, RDI, RCX);
    x64_mov_ri(b, RSI, index);
    x64_mov_rr(b, true, RDX, RSP);
    x64_mov_ri(b, RAX, (uint64_t)(uintptr_t)fn);
    x64_op_rr(b, 0, 0, 0xFF, 2, RAX); /* call rax */
    x64_store(b, false, SLOT(JIT_FRAME_SPILL0), RAX);
    x64_load(b, true, RCX, SLOT(JIT_FRAME_CTX));
    if (g->gas_reg >= 0) x64_load(b, true, g->gas_reg, SLOT(JIT_FRAME_GAS)); /* before exit_keep_off stores it */
    if (can_exit) { /* the context holds the registers as the helper left them */
        x64_test_rr(b, false, RAX, RAX);
        x64_patch32(b->p, x64_jcc32(b, CC_NE), g->exit_keep_off);
    }
    cg_load_regs(g, RCX);
}

/* dst = dst OP src for the two-operand forms, with IMUL as a pseudo-ALU op. */
#define ALU_IMUL 100
static inline __attribute__((always_inline)) void op2(x64_buf *b, bool w, int alu, int dst, int src)
{
    if (alu == ALU_IMUL) x64_imul_rr(b, w, dst, src);
    else x64_alu_rr(b, w, alu, dst, src);
}

/* d = a OP b; 32-bit forms sign-extend the result. */
static __attribute__((noinline)) void emit_r3_any(cg *g, const pvm_instr *ins, bool w, int alu, bool commutative)
{
    x64_buf *b = &g->b;
    int D = R(ins->d), A = R(ins->a), B = R(ins->b);
    if (alu == ALU_SUB && D == B && D != A) { /* d = a - d: -d + a */
        x64_unary(b, w, U_NEG, D);
        x64_alu_rr(b, w, ALU_ADD, D, A);
    } else if (D == A) {
        op2(b, w, alu, D, B);
    } else if (D == B && commutative) {
        op2(b, w, alu, D, A);
    } else if (D == B) {
        x64_mov_rr(b, true, RCX, A);
        op2(b, w, alu, RCX, B);
        x64_mov_rr(b, true, D, RCX);
    } else {
        x64_mov_rr(b, w, D, A);
        op2(b, w, alu, D, B);
    }
    if (!w && !g->narrow) x64_movsxd(b, D, D);
}

/* d = a OP b (above); inline, the commonest case first: d is a and the result
 * needs no sign extension, one instruction (or d is b of a commutative op). */
static inline __attribute__((always_inline)) void emit_r3(cg *g, const pvm_instr *ins, bool w, int alu, bool commutative)
{
    int D = R(ins->d), A = R(ins->a), B = R(ins->b);
    if ((w || g->narrow) && (D == A || (D == B && commutative))) {
        op2(&g->b, w, alu, D, D == A ? B : A);
        return;
    }
    emit_r3_any(g, ins, w, alu, commutative);
}

/* d = a + b: into a third register one lea instead of mov + add (then movsxd
 * for a 32-bit add of a 64-bit program; a narrow program's 32-bit lea
 * zero-extends). emit_r3 stays the add whose carry flag the fused groups read. */
static __attribute__((noinline)) void emit_add3_lea(cg *g, const pvm_instr *ins, bool w)
{
    int D = R(ins->d), A = R(ins->a), B = R(ins->b);
    x64_lea(&g->b, w, D, x64_idx(A, B, 1, 0)); /* a narrow program's 32-bit lea zero-extends */
    if (!w && !g->narrow) x64_movsxd(&g->b, D, D);
}

static inline __attribute__((always_inline)) void emit_add3(cg *g, const pvm_instr *ins, bool w)
{
    if (ins->d == ins->a || ins->d == ins->b) emit_r3(g, ins, w, ALU_ADD, true);
    else emit_add3_lea(g, ins, w);
}

/* a = b OP imm. */
static void emit_rri(cg *g, const pvm_instr *ins, bool w, int alu)
{
    x64_buf *b = &g->b;
    int A = R(ins->a), B = R(ins->b);
    if (w && !x64_fits_s32(ins->imm)) {
        x64_mov_ri(b, RCX, ins->imm);
        if (A != B) x64_mov_rr(b, w, A, B);
        op2(b, w, alu, A, RCX);
    } else if (alu == ALU_IMUL) {
        x64_imul_rri(b, w, A, B, (int32_t)ins->imm);
    } else {
        if (A != B) x64_mov_rr(b, w, A, B);
        x64_alu_ri(b, w, alu, A, (int32_t)ins->imm);
    }
    if (!w && !g->narrow) x64_movsxd(b, A, A);
}

/* d = a SHIFT b (count from the register, masked by the hardware). */
static void emit_shift_r3(cg *g, const pvm_instr *ins, bool w, int sh)
{
    x64_buf *b = &g->b;
    int D = R(ins->d);
    if (g->bmi2 && sh != SH_ROL && sh != SH_ROR) { /* shlx/shrx/sarx: any registers, count masked alike */
        x64_shiftx(b, w, sh, D, R(ins->a), R(ins->b));
        if (!w && !g->narrow) x64_movsxd(b, D, D);
        return;
    }
    x64_mov_rr(b, false, RCX, R(ins->b));
    if (D != R(ins->a)) x64_mov_rr(b, w, D, R(ins->a));
    x64_shift_cl(b, w, sh, D);
    if (!w && !g->narrow) x64_movsxd(b, D, D);
}

/* a = b SHIFT imm, or with alt: a = imm SHIFT b. */
static __attribute__((noinline)) void emit_shift_rri_any(cg *g, const pvm_instr *ins, bool w, int sh, bool alt)
{
    x64_buf *b = &g->b;
    int A = R(ins->a), B = R(ins->b);
    if (alt && g->bmi2 && sh != SH_ROR) { /* the immediate in a register, shifted by b */
        int src = A == B ? RCX : A;
        x64_mov_ri(b, src, w ? ins->imm : (uint32_t)ins->imm);
        x64_shiftx(b, w, sh, A, src, B);
    } else if (alt) {
        x64_mov_rr(b, false, RCX, B);
        x64_mov_ri(b, A, w ? ins->imm : (uint32_t)ins->imm);
        x64_shift_cl(b, w, sh, A);
    } else if (sh == SH_ROR && A != B && g->bmi2) {
        x64_rorx(b, w, A, B, (uint8_t)(ins->imm & (w ? 63 : 31)));
    } else {
        if (A != B) x64_mov_rr(b, w, A, B);
        x64_shift_ri(b, w, sh, A, (uint8_t)(ins->imm & (w ? 63 : 31)));
        if (sh == SH_SHR && (ins->imm & 31)) return; /* bit 31 is clear: the zero extension is the sign extension */
    }
    if (!w && !g->narrow) x64_movsxd(b, A, A);
}

/* The same, inline, the commonest case first: a shift (or a rotation in place)
 * by an immediate, [mov,] shift, with no sign extension to follow. */
static inline __attribute__((always_inline)) void emit_shift_rri(cg *g, const pvm_instr *ins, bool w, int sh, bool alt)
{
    int A = R(ins->a), B = R(ins->b);
    if (!alt && (sh != SH_ROR || A == B) && (w || g->narrow)) {
        if (A != B) x64_mov_rr(&g->b, w, A, B);
        x64_shift_ri(&g->b, w, sh, A, (uint8_t)(ins->imm & (w ? 63 : 31)));
        return;
    }
    emit_shift_rri_any(g, ins, w, sh, alt);
}

/* a = b << imm of a 64-bit program: by 1-3 into another register one lea (b + b, or b
 * scaled with a zero displacement) instead of mov + shl; the flags are not the guest's
 * concern (no fused group reads a left shift's). */
static void emit_shift_left_64(cg *g, const pvm_instr *ins)
{
    unsigned k = (unsigned)ins->imm & 63;
    int A = R(ins->a), B = R(ins->b);
    if (A == B || k == 0 || k > 3) {
        emit_shift_rri(g, ins, true, SH_SHL, false);
        return;
    }
    x64_lea(&g->b, true, A, k == 1 ? x64_idx(B, B, 1, 0) : x64_idx(X64_NOBASE, B, 1 << k, 0));
}

/* Compare a register with a register or an immediate (sets flags). */
/* Narrow: a 32-bit compare of sign-extended values orders them as the 64-bit one does. */
static inline __attribute__((always_inline)) void emit_cmp(cg *g, int reg, bool with_imm, uint64_t imm, int reg2)
{
    bool w = !g->narrow;
    if (!with_imm) {
        x64_alu_rr(&g->b, w, ALU_CMP, reg, reg2);
    } else if (imm == 0) { /* same flags as cmp reg, 0 (CF = OF = 0), shorter */
        x64_test_rr(&g->b, w, reg, reg);
    } else if (x64_fits_s32(imm)) {
        x64_alu_ri(&g->b, w, ALU_CMP, reg, (int32_t)imm);
    } else {
        x64_mov_ri(&g->b, RCX, imm);
        x64_alu_rr(&g->b, true, ALU_CMP, reg, RCX);
    }
}

/* A compare's flags into d as 0/1 without a partial-register wait (x64_setcc_movzx), in two
 * halves around the compare: when the compare does not read d, xor d, d ahead of it and
 * setcc d8 alone after it; when it does, setcc d8 and movzx, whose merge waits only for d,
 * which the compare read already. */
static void set_before_compare(cg *g, int d, bool compare_reads_d)
{
    if (!compare_reads_d) x64_alu_rr(&g->b, false, ALU_XOR, d, d);
}

static void set_after_compare(cg *g, int cc, int d, bool compare_reads_d)
{
    if (compare_reads_d) x64_setcc_in_place(&g->b, cc, d);
    else x64_setcc_byte(&g->b, cc, d);
}

/* d = (reg <cc> imm or reg2) as 0/1. */
static void emit_cmp_set(cg *g, int cc, int d, int reg, bool with_imm, uint64_t imm, int reg2)
{
    bool reads_d = d == reg || (!with_imm && d == reg2);
    set_before_compare(g, d, reads_d);
    emit_cmp(g, reg, with_imm, imm, reg2);
    set_after_compare(g, cc, d, reads_d);
}

/* Operations that need rax:rdx (division, high multiply): rax and rdx are
 * spilled, the result is built in rcx, then they are restored and d written. */
static void spill_rax_rdx(x64_buf *b)
{
    x64_store(b, true, SLOT(JIT_FRAME_SPILL0), RAX);
    x64_store(b, true, SLOT(JIT_FRAME_SPILL1), RDX);
}

static void restore_rax_rdx_to(x64_buf *b, int D)
{
    x64_load(b, true, RAX, SLOT(JIT_FRAME_SPILL0));
    x64_load(b, true, RDX, SLOT(JIT_FRAME_SPILL1));
    x64_mov_rr(b, true, D, RCX);
}

/* rcx = src as a guest register value: 64-bit, or the low 32 bits sign-extended (wide) or zero-extended (narrow). */
static void sext_to_rcx(cg *g, bool w, int src)
{
    if (w) x64_mov_rr(&g->b, true, RCX, src);
    else if (g->narrow) x64_mov_rr(&g->b, false, RCX, src);
    else x64_movsxd(&g->b, RCX, src);
}

static void emit_divrem(cg *g, const pvm_instr *ins, bool w, bool is_signed, bool rem)
{
    x64_buf *b = &g->b;
    spill_rax_rdx(b);
    x64_mov_rr(b, true, RCX, R(ins->b));
    x64_mov_rr(b, true, RAX, R(ins->a));
    x64_test_rr(b, w, RCX, RCX);
    size_t to_zero = x64_jcc8(b, CC_E), to_neg1 = 0;
    if (is_signed) {
        x64_alu_ri(b, w, ALU_CMP, RCX, -1);
        to_neg1 = x64_jcc8(b, CC_E);
        if (w) x64_u8(b, 0x48); /* cqo / cdq */
        x64_u8(b, 0x99);
    } else {
        x64_alu_rr(b, false, ALU_XOR, RDX, RDX);
    }
    x64_unary(b, w, is_signed ? U_IDIV : U_DIV, RCX);
    int res = rem ? RDX : RAX;
    sext_to_rcx(g, w, res);
    size_t to_done = x64_jmp8(b), to_done2 = 0;
    x64_patch8_here(b, to_zero); /* x / 0 = all ones; x % 0 = x */
    if (rem) sext_to_rcx(g, w, RAX);
    else x64_mov_ri(b, RCX, g->narrow ? UINT32_MAX : UINT64_MAX);
    if (is_signed) {
        to_done2 = x64_jmp8(b);
        x64_patch8_here(b, to_neg1); /* x / -1 = -x (wrapping at INT_MIN); x % -1 = 0 */
        if (rem) {
            x64_alu_rr(b, false, ALU_XOR, RCX, RCX);
        } else {
            x64_unary(b, w, U_NEG, RAX);
            sext_to_rcx(g, w, RAX);
        }
        x64_patch8_here(b, to_done2);
    }
    x64_patch8_here(b, to_done);
    restore_rax_rdx_to(b, R(ins->d));
}

typedef enum { MULH_SS, MULH_UU, MULH_SU } mulh_kind;

/* 64-bit unsigned high multiply with mulx (its implicit source is rdx): no
 * spill; rdx is borrowed through rcx only when no operand already lives there. */
static void emit_mul_upper_mulx(cg *g, int D, int A, int B)
{
    x64_buf *b = &g->b;
    if (A == RDX || B == RDX) {
        x64_mulx(b, D, RCX, A == RDX ? B : A);
    } else if (D == RDX) {
        x64_mov_rr(b, true, RDX, A);
        x64_mulx(b, RDX, RCX, B);
    } else {
        x64_mov_rr(b, true, RCX, RDX);
        x64_mov_rr(b, true, RDX, A);
        x64_mulx(b, D, RDX, B);
        x64_mov_rr(b, true, RDX, RCX);
    }
}

/* 32-bit high multiply of a narrow program: the 64-bit product of the extended
 * operands fits in 64 bits, so imul builds it in d (written anyway); the high
 * half, shifted down, is already the zero-extended narrow value. Narrow
 * registers are zero-extended, so an unsigned operand is used as it is. */
static void emit_mul_upper_narrow(cg *g, int D, int A, int B, mulh_kind k)
{
    x64_buf *b = &g->b;
    if (k == MULH_UU && g->bmi2 && (A == RDX || B == RDX)) { /* edx * the other: high half in d, low in ecx */
        x64_mulx32(b, D, RCX, A == RDX ? B : A);
        return;
    }
    if (k == MULH_UU) {
        if (D == B) x64_imul_rr(b, true, D, A); /* commutative: d = b * a */
        else {
            if (D != A) x64_mov_rr(b, false, D, A);
            x64_imul_rr(b, true, D, B);
        }
    } else {
        int src = B;
        if (k == MULH_SS) x64_movsxd(b, RCX, B), src = RCX;
        else if (D == B) x64_mov_rr(b, false, RCX, B), src = RCX; /* b is read after d is written */
        x64_movsxd(b, D, A);
        x64_imul_rr(b, true, D, src);
    }
    x64_shift_ri(b, true, SH_SHR, D, 32);
}

static void emit_mul_upper(cg *g, const pvm_instr *ins, mulh_kind k)
{
    x64_buf *b = &g->b;
    int A = R(ins->a), B = R(ins->b);
    if (!g->d->is_64bit) {
        emit_mul_upper_narrow(g, R(ins->d), A, B, k);
        return;
    }
    if (k == MULH_UU && g->bmi2) {
        emit_mul_upper_mulx(g, R(ins->d), A, B);
        return;
    }
    spill_rax_rdx(b);
    {
        x64_mov_rr(b, true, RCX, B);
        x64_mov_rr(b, true, RAX, A);
        x64_unary(b, true, k == MULH_UU ? U_MUL : U_IMUL, RCX);
        if (k == MULH_SU) { /* signed x unsigned = signed x signed + (b < 0 ? a : 0) */
            x64_test_rr(b, true, RCX, RCX);
            size_t skip = x64_jcc8(b, CC_NS);
            if (A == RAX || A == RDX) /* a's value is in its spill slot now */
                x64_op_rm(b, 0, X64_W, 0x03, RDX, SLOT(A == RAX ? JIT_FRAME_SPILL0 : JIT_FRAME_SPILL1));
            else
                x64_alu_rr(b, true, ALU_ADD, RDX, A);
            x64_patch8_here(b, skip);
        }
        x64_mov_rr(b, true, RCX, RDX);
    }
    restore_rax_rdx_to(b, R(ins->d));
}

static void emit_bit_count(cg *g, const pvm_instr *ins, bool w, bool leading)
{
    x64_buf *b = &g->b;
    int D = R(ins->d);
    unsigned bits = w ? 64 : 32;
    /* bsr/bsf leave ZF set for a zero input; LZCNT may be missing on the host. */
    x64_op_rr(b, 0, w ? X64_W : 0, leading ? 0x0FBD : 0x0FBC, RCX, R(ins->a));
    size_t nonzero = x64_jcc8(b, CC_NE);
    x64_mov_ri(b, RCX, leading ? UINT32_MAX : bits); /* leading: bits-1 - (-1) = bits */
    x64_patch8_here(b, nonzero);
    if (leading) {
        x64_mov_ri(b, D, bits - 1);
        x64_alu_rr(b, false, ALU_SUB, D, RCX);
    } else {
        x64_mov_rr(b, false, D, RCX);
    }
}

static int branch_cc(pvm_op op)
{
    switch (op) {
    case PVM_OP_BRANCH_EQ_IMM: case PVM_OP_BRANCH_EQ: return CC_E;
    case PVM_OP_BRANCH_NE_IMM: case PVM_OP_BRANCH_NE: return CC_NE;
    case PVM_OP_BRANCH_LT_U_IMM: case PVM_OP_BRANCH_LT_U: return CC_B;
    case PVM_OP_BRANCH_LE_U_IMM: return CC_BE;
    case PVM_OP_BRANCH_GE_U_IMM: case PVM_OP_BRANCH_GE_U: return CC_AE;
    case PVM_OP_BRANCH_GT_U_IMM: return CC_A;
    case PVM_OP_BRANCH_LT_S_IMM: case PVM_OP_BRANCH_LT_S: return CC_L;
    case PVM_OP_BRANCH_LE_S_IMM: return CC_LE;
    case PVM_OP_BRANCH_GE_S_IMM: case PVM_OP_BRANCH_GE_S: return CC_GE;
    default: return CC_G;
    }
}

/* A load whose base register is t. */
static bool loads_from_base(const cg *g, const pvm_instr *ld, int t)
{
    return g->access[ld->op].width && !g->access[ld->op].is_store && pvm_op_table[ld->op].kind == PVM_KIND_REG_REG_IMM &&
           ld->b == t;
}

/* A load whose base register is t and which overwrites t: the address
 * computation before it (in t, dead afterwards) folds into its lea. */
static bool loads_into_own_base(const cg *g, const pvm_instr *ld, int t)
{
    return loads_from_base(g, ld, t) && ld->a == t;
}

/* Whether a pure op (decode.h: pvm_pure_read_set) reads r. */
static bool pure_reads(const pvm_instr *x, unsigned r)
{
    return pvm_pure_read_set(x) >> r & 1;
}

static bool overwritten_first(const cg *g, uint32_t k, unsigned r, int hops);
static uint32_t emit_one(cg *g, uint32_t index);
static void emit_plain(cg *g, uint32_t index, const pvm_instr *ins, pvm_op op);

/* Whether the entry of the block starting at instruction i cannot stop the
 * run: no gas metering, or a block whose entry charges without a check
 * (gas_checks.c). Else an out-of-gas exit there shows every register. */
static bool entry_cannot_stop(const cg *g, uint32_t i)
{
    return g->gas == PVM_GAS_NONE || (i < g->d->n_instrs && g->unchecked && g->unchecked[g->d->instrs[i].block] == JIT_GAS_UNCHECKED);
}

/* Whether the entry of the block starting at instruction i can stop the run only
 * by handing it to the interpreter (JIT_EXIT_GAS_CHECK), never out of gas: a
 * covered block (gas_checks.c), which every block of generated code enters with
 * at least its cost left. The interpreter then runs from i's entry: a register
 * that i's block overwrites with pure ops before reading it is as dead there as
 * in the generated code (no hops: at the next block's entry the interpreter may
 * stop). */
static bool entry_hands_over(const cg *g, uint32_t i)
{
    return g->unchecked && i < g->d->n_instrs && g->unchecked[g->d->instrs[i].block] == JIT_GAS_COVERED;
}

/* Whether r is dead entering the block that starts at instruction i: overwritten first (with hops left, through further
 * block ends) where its entry cannot stop the run, overwritten first inside it
 * where its entry can only hand the run to the interpreter. */
static bool dead_entering(const cg *g, uint32_t i, unsigned r, int hops)
{
    if (i >= g->d->n_instrs) return false;
    if (entry_cannot_stop(g, i)) return overwritten_first(g, i, r, hops);
    return entry_hands_over(g, i) && overwritten_first(g, i, r, 0);
}

/* Whether r is dead on every way out of the block ending in terminator k:
 * nothing observes the registers between blocks where no entry can stop the
 * run (entry_cannot_stop, or entry_hands_over), so r is dead if every successor
 * (jump, branch target, fall-through) overwrites it with pure ops first (or,
 * hops permitting, leaves in turn with r dead). Whether k itself reads r is the
 * caller's question. */
static bool dead_on_successors(const cg *g, uint32_t k, unsigned r, int hops)
{
    const pvm_instr *x = &g->d->instrs[k];
    pvm_op op = (pvm_op)x->op;
    if (op != PVM_OP_JUMP && !pvm_op_can_fall_through(op)) return false;
    if (op != PVM_OP_FALLTHROUGH && (x->target == PVM_NO_INDEX || !dead_entering(g, x->target, r, hops))) return false;
    return op == PVM_OP_JUMP || dead_entering(g, k + 1, r, hops);
}

/* Whether r is dead when the block ending in terminator k is left: k does not
 * read it and it is dead on every successor. */
static bool dead_leaving_block(const cg *g, uint32_t k, unsigned r, int hops)
{
    const pvm_instr *x = &g->d->instrs[k];
    pvm_op op = (pvm_op)x->op;
    if (pvm_op_is_branch(op) && (x->a == r || (pvm_op_table[op].kind == PVM_KIND_REG_REG_OFF && x->b == r))) return false;
    return dead_on_successors(g, k, r, hops);
}

/* Whether, from instruction k on, a pure op overwrites r before anything else
 * reads it, with only pure ops before it, within the block (or, with hops left,
 * the block ends with r dead: dead_leaving_block). Looks a few ahead. */
static bool overwritten_first(const cg *g, uint32_t k, unsigned r, int hops)
{
    const pvm_decoded *d = g->d;
    uint32_t i = k;
    if (i < d->n_instrs && d->instrs[i].op == PVM_OP_UNLIKELY) i++; /* a hint at a block's head: reads, writes and observes nothing */
    for (; i < d->n_instrs && i < k + 8; i++) {
        const pvm_instr *x = &d->instrs[i];
        if (x->block_start && i != k) return false;
        if (!pvm_op_is_pure((pvm_op)x->op)) return hops > 0 && dead_leaving_block(g, i, r, hops - 1);
        if (pure_reads(x, r)) return false;
        if (pvm_pure_dest(x) == r) return true;
    }
    return false;
}

/* Whether nothing can observe guest register r's value after instruction j: a
 * later pure op of the same block overwrites it, and only pure ops, none of
 * which reads r, come between (no fault, exit or helper can see the registers
 * in between; gas is charged at block entry only), or, with no gas metering,
 * the block ends so and each successor overwrites r first. */
static bool dead_after(const cg *g, uint32_t j, unsigned r)
{
    return j + 1 < g->d->n_instrs && !g->d->instrs[j + 1].block_start && overwritten_first(g, j + 1, r, 3);
}

/* Whether an instruction's code is a lea or a mov (emit_keeping_flags), which
 * leave the x86 flags as they are. */
static bool keeps_flags(const pvm_instr *x)
{
    switch (x->op) {
    case PVM_OP_ADD_IMM_32: case PVM_OP_LOAD_IMM: case PVM_OP_LOAD_IMM_64: case PVM_OP_MOVE_REG: return true;
    case PVM_OP_ADD_IMM_64: return x64_fits_s32(x->imm);
    default: return false;
    }
}

/* add_imm_32 in a 64-bit program: the lea, then the sign extension. A function of its
 * own: emit_keeping_flags's other cases end in the call they make (no registers saved). */
static __attribute__((noinline)) void emit_add_imm_32_wide(x64_buf *b, int A, int B, int32_t imm)
{
    x64_lea(b, false, A, x64_at(B, imm));
    x64_movsxd(b, A, A);
}

/* The code of an instruction for which keeps_flags holds. */
static void emit_keeping_flags(cg *g, const pvm_instr *ins)
{
    x64_buf *b = &g->b;
    int A = R(ins->a), B = R(ins->b);
    switch (ins->op) {
    case PVM_OP_ADD_IMM_32:
        if (g->narrow) x64_lea(b, false, A, x64_at(B, (int32_t)(uint32_t)ins->imm));
        else emit_add_imm_32_wide(b, A, B, (int32_t)(uint32_t)ins->imm);
        break;
    case PVM_OP_ADD_IMM_64: x64_lea(b, true, A, x64_at(B, (int32_t)ins->imm)); break;
    case PVM_OP_MOVE_REG: if (R(ins->d) != A) x64_mov_rr(b, true, R(ins->d), A); break;
    default: x64_mov_ri(b, A, g->narrow ? (uint32_t)ins->imm : ins->imm); break; /* load_imm(_64) */
    }
}

/* How a carry (an add and set_lt_u c of its sum, emitted as one add whose CF is
 * c) reaches its consumer s, add y, c, w (or w, c) of the add's width, with c
 * dead afterwards (or s overwriting it): y = w + CF with adc, c never
 * materialised. Up to three pure instructions may come between, none reading
 * or writing c. Those whose code keeps the flags (lea, mov: keeps_flags) are
 * emitted between the add and the adc, in order; the others are hoisted above
 * the add (bit k of hoist: the k-th between), which needs them independent of
 * the add and of the kept ones before them: they read nothing those write and
 * write nothing those read or write (all are pure: no fault or exit between,
 * and gas is charged at block entry only).
 * The high half of a 64-bit add done in halves (rv32's add lo; set_lt_u c; add
 * hi, hi, hi2; add hi, hi, c) adds twice into y: a hoisted add y, x, z between,
 * then s = add y, y, c (or c, y). That add is merged into the adc instead
 * (merged: its index; y = x + z + CF in one adc) when nothing after it up to s
 * reads y or writes x or z. Then c may stay live (keep_c): setb + movzx write it
 * right after the add (they keep the flags), and the adc still saves the add.
 * One load or store may be among those between (access), or between the add and
 * its compare (emit_fused_group): emitted before the whole group when
 * access_goes_first, so that the group stays one unit for the fault handler. */
typedef struct {
    uint32_t consumer; /* index of s */
    uint32_t hoist;
    uint32_t merged;   /* index of the add merged into the adc, or 0 */
    uint32_t access;   /* index of the group's one load or store, emitted first, or 0 */
    bool keep_c;       /* c stays live: materialised after the add */
    uint32_t byte_end; /* keep_c, and only faults up to this instruction can see c: c is setb's byte (byte_window) */
    bool zero_c;       /* keep_c, no byte_end, and c zeroed right before the add (carry_zero_ahead) */
} carry_plan;

/* The registers a load or store reads and writes, as bit sets. */
static void access_sets(const cg *g, const pvm_instr *x, uint32_t *reads, uint32_t *writes)
{
    int base = jit_mem_base_reg(x);
    pvm_kind k = pvm_op_table[x->op].kind;
    bool store = g->access[x->op].is_store;
    *reads = base >= 0 ? 1u << base : 0;
    *writes = 0;
    if (store && (k == PVM_KIND_REG_REG_IMM || k == PVM_KIND_REG_IMM)) *reads |= 1u << x->a; /* the value stored */
    if (!store) *writes = 1u << x->a;
}

/* Whether the load or store x can be emitted before every instruction of a group
 * that reads the registers in reads and writes those in writes before it: it
 * reads nothing they write and writes nothing they read or write. Emitted
 * first, its fault leaves every register as at the group's start, and the
 * fault handler has the interpreter redo the group (signals.c). */
static bool access_goes_first(const cg *g, const pvm_instr *x, uint32_t reads, uint32_t writes)
{
    if (!g->access[x->op].width) return false;
    uint32_t xr, xw;
    access_sets(g, x, &xr, &xw);
    return !(xr & writes) && !(xw & (reads | writes));
}

/* The add y, x, z between the carry and its consumer s = add y, y, c that can
 * be merged into the adc (see carry_plan), or 0. */
static uint32_t mergeable_high_add(const cg *g, uint32_t first, const pvm_instr *s, unsigned c, pvm_op add_op,
                                   uint32_t hoist)
{
    unsigned y = s->a == c ? s->b : s->a;
    if (s->d != y) return 0;
    uint32_t s_index = (uint32_t)(s - g->d->instrs);
    for (uint32_t k = s_index; k-- > first;) {
        const pvm_instr *m = &g->d->instrs[k];
        if (g->access[m->op].width) { /* the group's access, emitted first */
            uint32_t ar, aw;
            access_sets(g, m, &ar, &aw);
            if (aw >> y & 1) return 0;
            continue;
        }
        if (pvm_pure_dest(m) != y) {
            if (pure_reads(m, y)) return 0;
            continue;
        }
        if (m->op != add_op || !(hoist >> (k - first) & 1)) return 0;
        uint32_t operands = 1u << m->a | 1u << m->b;
        for (uint32_t j = k + 1; j < s_index; j++)
            if (!g->access[g->d->instrs[j].op].width && operands >> pvm_pure_dest(&g->d->instrs[j]) & 1) return 0;
        return k;
    }
    return 0;
}

/* Where c's value, live after instruction j, can be seen only by the faults of
 * loads and stores of the same block: up to the instruction that overwrites c
 * (a pure op, or a load into c) or the block's end when it leaves c dead
 * (dead_leaving_block), only pure ops and loads and stores come, none reading
 * c. Returns that last instruction, or 0. Then c may be held as a byte (setb
 * alone, its upper bits stale): the fault handler clears them at a fault of
 * the window (jit_module.byte_regs, marked by emit_carry_group). */
static uint32_t byte_window(const cg *g, uint32_t j, unsigned c)
{
    const pvm_decoded *d = g->d;
    for (uint32_t i = j + 1; i < d->n_instrs && i < j + 24; i++) {
        const pvm_instr *x = &d->instrs[i];
        if (x->block_start) return 0;
        if (g->access[x->op].width) {
            uint32_t reads, writes;
            access_sets(g, x, &reads, &writes);
            if (reads >> c & 1) return 0;
            if (writes >> c & 1) return i;
            continue;
        }
        if (!pvm_op_is_pure((pvm_op)x->op)) return dead_leaving_block(g, i, c, 3) ? i : 0;
        if (pure_reads(x, c)) return 0;
        if (pvm_pure_dest(x) == c) return i;
    }
    return 0;
}

static bool plan_carry_consumer(const cg *g, const pvm_instr *add, uint32_t first, unsigned c, pvm_op add_op,
                                bool zero_ahead, carry_plan *pl)
{
    uint32_t reads = pvm_pure_read_set(add), writes = 1u << pvm_pure_dest(add) | 1u << c;
    uint32_t all_reads = reads, all_writes = writes; /* of every instruction of the group so far */
    uint32_t s_index = first;
    pl->hoist = 0;
    for (; s_index < g->d->n_instrs && s_index < first + 3; s_index++) {
        const pvm_instr *x = &g->d->instrs[s_index];
        if (x->block_start) break;
        if (!pl->access && access_goes_first(g, x, all_reads, all_writes | 1u << c)) {
            pl->access = s_index; /* neither kept nor hoisted: before them all */
            continue;
        }
        if (!pvm_op_is_pure((pvm_op)x->op) || pure_reads(x, c) || pvm_pure_dest(x) == c) break;
        uint32_t xr = pvm_pure_read_set(x), xw = 1u << pvm_pure_dest(x);
        all_reads |= xr, all_writes |= xw;
        if (keeps_flags(x)) {
            reads |= xr, writes |= xw;
            continue;
        }
        if ((xr & writes) || (xw & (reads | writes))) break;
        pl->hoist |= 1u << (s_index - first);
    }
    const pvm_instr *s = &g->d->instrs[s_index];
    if (s_index >= g->d->n_instrs || s->block_start || s->op != add_op || (s->a == c) == (s->b == c)) return false;
    pl->merged = mergeable_high_add(g, first, s, c, add_op, pl->hoist);
    pl->keep_c = s->d != c && !dead_after(g, s_index, c);
    pl->byte_end = pl->keep_c ? byte_window(g, s_index, c) : 0;
    pl->zero_c = pl->keep_c && !pl->byte_end && zero_ahead;
    /* setb, movzx and an adc: no shorter than setb, movzx and an add. With c zeroed ahead, setb
     * alone and the adc: y no longer waits for c's setb */
    if (pl->keep_c && !pl->merged && !pl->byte_end && !pl->zero_c) return false;
    pl->consumer = s_index;
    return true;
}

/* The add of a carry group: add d, a, b (an add, never a lea: CF is the carry),
 * or add_imm d, a, k when imm. */
static void emit_carry_add(cg *g, const pvm_instr *p, bool w, bool imm)
{
    if (!imm) {
        emit_r3(g, p, w, ALU_ADD, true);
        return;
    }
    if (p->a != p->b) x64_mov_rr(&g->b, w, R(p->a), R(p->b));
    x64_alu_ri(&g->b, w, ALU_ADD, R(p->a), (int32_t)p->imm);
}

/* A count down among the ops a carry group keeps between its add and its consumer
 * (rv32's 64-bit sums in loops: `add lo; set_lt_u c; add hi, hi, hi2; add_imm n, n,
 * -1; add hi, hi, c; branch_ne_imm n, 0`): add_imm d, d, k in place (add_imm_32 in a
 * narrow program, add_imm_64 with a 32-bit k in a 64-bit one), the block ending right
 * after the consumer in branch_eq_imm/branch_ne_imm d, 0, and nothing of the group
 * after it (kept ops, the merged high add, the consumer) reading or writing d. Then it
 * goes after the `adc` as `add d, k`, whose ZF the branch takes without its `test`
 * (as emit_count_branch). Nothing in the group can fault after the count's place (an
 * access is emitted before the add), so moving it is not seen. Returns its index, or 0. */
static uint32_t carry_count_down(const cg *g, const carry_plan *pl, uint32_t first)
{
    const pvm_decoded *d = g->d;
    uint32_t j = pl->consumer + 1;
    if (j >= d->n_instrs || d->instrs[j].block_start) return 0;
    const pvm_instr *br = &d->instrs[j];
    if ((br->op != PVM_OP_BRANCH_EQ_IMM && br->op != PVM_OP_BRANCH_NE_IMM) ||
        (g->narrow ? (uint32_t)br->imm : br->imm) != 0)
        return 0;
    unsigned n = br->a;
    pvm_op want = g->narrow ? PVM_OP_ADD_IMM_32 : PVM_OP_ADD_IMM_64;
    uint32_t count = 0;
    for (uint32_t k = first; k <= pl->consumer; k++) {
        const pvm_instr *x = &d->instrs[k];
        bool kept = k < pl->consumer && !(pl->hoist >> (k - first) & 1) && k != pl->access;
        if (!count) {
            if (kept && x->op == want && x->a == n && x->b == n && x64_fits_s32(x->imm)) count = k;
            continue;
        }
        if (k == pl->access) continue; /* emitted before the add */
        if (pure_reads(x, n) || pvm_pure_dest(x) == n) return 0;
    }
    if (count && pl->merged) {
        const pvm_instr *m = &d->instrs[pl->merged];
        if (m->a == n || m->b == n || m->d == n) return 0;
    }
    return count;
}

/* Whether c can be zeroed (xor c32, c32) right before the add of its carry group, so that
 * setb c8 alone after the add gives the whole 0/1 (no mov ecx, 0 and movzx, and nothing to
 * wait for: see x64_setcc_movzx): the add neither reads nor writes c, and no store of the sum
 * comes between the add and the compare (in_order), whose fault must still see c's old value. */
static bool carry_zero_ahead(const pvm_instr *add, unsigned c, bool imm, bool in_order)
{
    if (in_order) return false;
    if (imm) return c != add->a && c != add->b; /* add_imm a, b, k */
    return c != add->d && c != add->a && c != add->b;
}

/* A carry group at index: the add, the compare giving carry c, and, when
 * plan_carry_consumer finds its consumer, the instructions up to it. Returns
 * how many instructions it covered. */
static uint32_t emit_carry_group(cg *g, uint32_t index, uint32_t first, uint32_t access, bool in_order, unsigned c,
                                 bool w, bool imm)
{
    const pvm_instr *p = &g->d->instrs[index];
    bool zero_ahead = carry_zero_ahead(p, c, imm, in_order);
    carry_plan pl = {.access = access}; /* an access already: plan_carry_consumer picks no other */
    bool planned = plan_carry_consumer(g, p, first, c, w ? PVM_OP_ADD_64 : PVM_OP_ADD_32, zero_ahead, &pl);
    /* an in-order store's fault must see nothing after it done: nothing hoisted above the add
     * (the merged high add is not: it becomes the adc) */
    if (planned && in_order && (pl.hoist & ~(pl.merged ? 1u << (pl.merged - first) : 0))) planned = false;
    if (!planned) {
        if (access && !in_order) emit_one(g, access); /* the load or store between the add and its compare goes first */
        if (zero_ahead) x64_alu_rr(&g->b, false, ALU_XOR, R(c), R(c));
        emit_carry_add(g, p, w, imm);
        if (in_order) emit_one(g, access); /* a store keeps the flags */
        if (zero_ahead) x64_setcc_byte(&g->b, CC_B, R(c));
        else x64_setcc_movzx(&g->b, CC_B, R(c));
        return first - index;
    }
    if (pl.access && !in_order) emit_one(g, pl.access); /* before anything is written: a fault redoes the group */
    for (uint32_t k = first; k < pl.consumer; k++)
        if (pl.hoist >> (k - first) & 1 && k != pl.merged) emit_one(g, k);
    if (pl.zero_c) x64_alu_rr(&g->b, false, ALU_XOR, R(c), R(c)); /* nothing between reads c */
    emit_carry_add(g, p, w, imm);
    if (in_order) emit_one(g, access); /* the store of the sum, in order: its fault is its own (signals.c) */
    if (pl.zero_c) {
        x64_setcc_byte(&g->b, CC_B, R(c)); /* the whole 0/1: c was zeroed before the add */
    } else if (pl.byte_end) { /* setb c8 alone (keeps the flags): c's upper bits stale, cleared at a fault of the window */
        x64_setcc_byte(&g->b, CC_B, R(c));
        cg_mark_byte_reg(g, pl.consumer + 1, pl.byte_end, c);
    } else if (pl.keep_c) {
        x64_setcc_movzx(&g->b, CC_B, R(c)); /* setb + movzx keep the flags */
    }
    uint32_t count = carry_count_down(g, &pl, first);
    for (uint32_t k = first; k < pl.consumer; k++)
        if (!(pl.hoist >> (k - first) & 1) && k != pl.access && k != count) emit_keeping_flags(g, &g->d->instrs[k]);
    const pvm_instr *s = &g->d->instrs[pl.consumer];
    unsigned other = s->a == c ? s->b : s->a;
    if (pl.merged) { /* y = x + z + CF */
        const pvm_instr *m = &g->d->instrs[pl.merged];
        int Y = R(m->d), X = R(m->a), Z = R(m->b);
        if (Y == Z) Z = X;
        else if (Y != X) x64_mov_rr(&g->b, w, Y, X); /* mov keeps the flags */
        x64_alu_rr(&g->b, w, ALU_ADC, Y, Z);
    } else {
        if (s->d != other) x64_mov_rr(&g->b, w, R(s->d), R(other)); /* mov keeps the flags */
        x64_alu_ri(&g->b, w, ALU_ADC, R(s->d), 0);
    }
    if (count) { /* the count last: its ZF is the branch's test (emit_count_branch) */
        const pvm_instr *k = &g->d->instrs[count];
        x64_alu_ri(&g->b, !g->narrow, ALU_ADD, R(k->a), (int32_t)(uint32_t)k->imm);
        cg_mark_no_entry(g, pl.consumer + 1);
        g->zf_branch = pl.consumer + 1;
    }
    return pl.consumer - index + 1;
}

/* shlo_l_imm x, a, n and shlo_r_imm t, b, W - n (either order, the second not
 * reading the first's result), then or y, x, t (either order), where x and t
 * are dead after the or unless y is one of them (or one of them stays live and is
 * computed as well, see below): y = a << n | b >> (W - n), one
 * shld (shrd when y is b; a rotate when a is b). W = 32 for a narrow program's
 * 32-bit shifts, 64 for 64-bit shifts. Returns how many it covered, or 0. */
static uint32_t emit_funnel_shift(cg *g, uint32_t index)
{
    const pvm_decoded *d = g->d;
    if (index + 2 >= d->n_instrs) return 0;
    const pvm_instr *p = &d->instrs[index], *q = p + 1, *o = p + 2;
    if (q->block_start || o->block_start || o->op != PVM_OP_OR) return 0;
    pvm_op shl = g->narrow ? PVM_OP_SHLO_L_IMM_32 : PVM_OP_SHLO_L_IMM_64;
    pvm_op shr = g->narrow ? PVM_OP_SHLO_R_IMM_32 : PVM_OP_SHLO_R_IMM_64;
    const pvm_instr *l = p->op == shl && q->op == shr ? p : p->op == shr && q->op == shl ? q : NULL;
    if (!l) return 0;
    const pvm_instr *r = l == p ? q : p;
    unsigned bits = g->narrow ? 32 : 64;
    unsigned nl = (unsigned)l->imm & (bits - 1), nr = (unsigned)r->imm & (bits - 1);
    if (nl == 0 || nl + nr != bits || q->b == p->a || q->a == p->a) return 0;
    if (!((o->a == l->a && o->b == r->a) || (o->a == r->a && o->b == l->a))) return 0;
    bool x_live = o->d != l->a && !dead_after(g, index + 2, l->a), t_live = o->d != r->a && !dead_after(g, index + 2, r->a);
    if (x_live && t_live) return 0;
    /* A half that stays live (read later, or seen by a fault before it is overwritten) is
     * computed too: before y when its register is neither source, else after y, which must
     * then leave that half's own source as it was (y is not it). */
    const pvm_instr *live = x_live ? l : t_live ? r : NULL;
    bool live_first = live && live->a != l->b && live->a != r->b;
    if (live && !live_first && o->d == live->b) return 0;
    x64_buf *b = &g->b;
    bool w = !g->narrow;
    int Y = R(o->d), A = R(l->b), B = R(r->b);
    if (live_first) emit_shift_rri(g, live, w, live == l ? SH_SHL : SH_SHR, false);
    if (A == B) { /* a rotate left by nl */
        if (g->bmi2) {
            x64_rorx(b, w, Y, A, (uint8_t)nr);
        } else {
            if (Y != A) x64_mov_rr(b, w, Y, A);
            x64_shift_ri(b, w, SH_ROL, Y, (uint8_t)nl);
        }
    } else if (Y == B) { /* shrd y, a, nr: y = b >> nr | a << nl */
        x64_shrd_ri(b, w, Y, A, (uint8_t)nr);
    } else {
        if (Y != A) x64_mov_rr(b, w, Y, A);
        x64_shld_ri(b, w, Y, B, (uint8_t)nl);
    }
    if (live && !live_first) emit_shift_rri(g, live, w, live == l ? SH_SHL : SH_SHR, false);
    return 3;
}

/* The element access of emit_element_load with one pure op m between the add and the
 * access (sieve's `a[(uint32_t)i] = v; i += step`: the step is computed first): the access
 * goes before m, from the registers as they were before m, which is the address t holds.
 * So m must not write t or the value a store stores, and, for a load, neither read nor write
 * the loaded register; m may write the index or the base (the access reads their old
 * values, as t has them). A fault of the access leaves every register as at the group's
 * start but x and t, recomputed from the index and base, and the interpreter redoes the
 * group from its first instruction (signals.c: fused_load_address). */
static bool element_access_past(const cg *g, const pvm_instr *m, const pvm_instr *s, unsigned t)
{
    unsigned md = pvm_pure_dest(m);
    if (md == t) return false;
    if (g->access[s->op].is_store) return md != s->a;
    return md != s->a && !pure_reads(m, s->a);
}

/* The address part of an element access, rv64's a[(uint32_t)y] from p on:
 * `shlo_l_imm_64 x, y, 32; shlo_r_imm_64 x, x, 32 - k; add_64 t, x, b` (k = 0..3, b != x), as
 * emit_element_load and emit_strided_loop take it. Whether p starts one (block starts are the
 * callers' to check). */
typedef struct {
    unsigned x, y, t, base, k;
} element_address;

static bool element_address_at(const pvm_instr *p, element_address *e)
{
    const pvm_instr *q = p + 1, *r = p + 2;
    if (p->op != PVM_OP_SHLO_L_IMM_64 || p->imm != 32) return false;
    unsigned x = p->a;
    if (q->op != PVM_OP_SHLO_R_IMM_64 || q->a != x || q->b != x || q->imm < 29 || q->imm > 32) return false;
    if (r->op != PVM_OP_ADD_64 || (r->a == x) == (r->b == x)) return false;
    *e = (element_address){x, p->b, r->d, r->a == x ? r->b : r->a, 32 - (unsigned)q->imm};
    return true;
}

/* A 64-bit program's load (or store) of a 32-bit-indexed element, what rv64 code does for a[(uint32_t)i]:
 *   shlo_l_imm_64 x, y, 32; shlo_r_imm_64 x, x, 32 - k; add_64 t, x, b (or b, x); load d, [t + imm]
 *   (k = 0..3, b != x)  ->  load d, gs:[b32 + y32 << k + imm]  (a store_ind likewise)
 * The guest address is (b + (zext(y) << k) + imm) mod 2^32, which is the 32-bit
 * sum of b, y << k and imm: the extension of y never reaches the address, and
 * the load does not wait for it. x and t are computed too (before the load)
 * where they stay live; those registers must then be neither y nor b, which
 * the load and the fault handler (signals.c: fused_load_address) still read.
 * Returns 4, or 0 when the instructions are not this group. */
static uint32_t emit_element_load(cg *g, uint32_t index)
{
    if (g->narrow || index + 3 >= g->d->n_instrs) return 0;
    const pvm_instr *p = &g->d->instrs[index], *s = p + 3, *m = NULL;
    element_address e;
    if (p[1].block_start || p[2].block_start || s->block_start || !element_address_at(p, &e)) return 0;
    unsigned x = e.x, y = e.y, t = e.t, base = e.base, k = e.k;
    if (!g->access[s->op].width && pvm_op_is_pure((pvm_op)s->op) && index + 4 < g->d->n_instrs && !s[1].block_start)
        m = s, s = s + 1; /* one pure op between the add and the access: emit_element_access_past */
    if (!g->access[s->op].width || pvm_op_table[s->op].kind != PVM_KIND_REG_REG_IMM || s->b != t) return 0;
    bool store = g->access[s->op].is_store; /* stores its a: x or t then has to be computed before it */
    unsigned loaded = store ? PVM_REG_COUNT : s->a;
    uint32_t last = index + (m ? 4 : 3);
    if (m && !element_access_past(g, m, s, t)) return 0;
    bool t_live = t != loaded && (!dead_after(g, last, t) || (store && s->a == t) || (m && pure_reads(m, t)));
    bool x_live = x != t && x != loaded && (!dead_after(g, last, x) || (store && s->a == x) || (m && pure_reads(m, x)));
    if ((t_live && (t == y || t == base)) || (x_live && (x == y || x == base))) return 0;
    x64_buf *b = &g->b;
    int X = R(x), Y = R(y), T = R(t), B = R(base);
    if (x_live) {
        x64_mov_rr(b, false, X, Y);
        if (k) x64_shift_ri(b, true, SH_SHL, X, (uint8_t)k);
        if (t_live) x64_lea(b, true, T, x64_idx(B, X, 1, 0));
    } else if (t_live) {
        x64_mov_rr(b, false, RCX, Y);
        x64_lea(b, true, T, x64_idx(B, RCX, 1 << k, 0));
    }
    emit_indexed_access(g, s, B, Y, 1 << k, (int32_t)(uint32_t)s->imm);
    if (m) emit_plain(g, index + 3, m, (pvm_op)m->op); /* after the access: element_access_past */
    return m ? 5 : 4;
}

/* A strided element loop, rv64's `for (i = ...; i < n; i += step) a[i] = v` (sieve): a block
 * that jumps to itself and is emit_element_load's group with the 32-bit add of the index as
 * its pure op, then a compare and branch on the index back to the block's start:
 *   shlo_l_imm_64 x, y, 32; shlo_r_imm_64 x, x, 32 - k; add_64 t, x, b; add_32 y, y, s
 *   (or add_imm_32 y, y, imm); store / load [t + imm]; branch_cc y (and z or imm), @self
 * As emit_element_load emits it, the index's sign extension after the add is on the chain
 * from one iteration's add to the next (`add ey, es; movsxd y, ey`: two cycles an
 * iteration). Here ecx carries the index's low half round the loop instead:
 *   mov ecx, ey; L: access gs:[b32 + ecx << k + imm]; add ecx, es; movsxd y, ecx; cmp; jcc L
 * so the chain is the add alone and y stays exact at every instruction (a fault, the exit,
 * the interpreter redoing the group see what they see with emit_element_load; signals.c
 * computes the access's address from y as there). No code in the loop computes x and t:
 * they are computed where the loop is left (from ecx less the step: the index before the
 * last add), unless dead there. With gas the branch back charges and checks what a jump into
 * the block does (its entry's sub and jl/js), and a failed check gives the charge back,
 * computes x and t and jumps to the block's entry, whose own check then fails as it would
 * have (its stub, the interpreter's last stretch with a gas bias): the loop is one copy
 * (cg_emit_range does not unroll it: self_loops.c). */
typedef struct {
    element_address e;
    int step;       /* the add's other register, or -1: add_imm_32 */
    uint32_t head;  /* the block's first instruction: the group's, or an unlikely right before it */
    bool with_imm;  /* the branch compares with an immediate */
} strided_loop;

static bool strided_loop_at(const cg *g, uint32_t index, strided_loop *L)
{
    const pvm_decoded *d = g->d;
    if (!g->strided_loops || g->narrow || !g->gs_mem || index + 5 >= d->n_instrs) return false;
    const pvm_instr *p = &d->instrs[index], *m = p + 3, *s = p + 4, *br = p + 5;
    const pvm_block *blk = &d->blocks[p->block];
    uint32_t head = blk->first;
    if (!(head == index || (head + 1 == index && d->instrs[head].op == PVM_OP_UNLIKELY)) || blk->first + blk->count != index + 6)
        return false;
    /* with gas: the branch back charges as the block's entry does, checked (a loop head is) */
    if (g->gas != PVM_GAS_NONE) {
        if (g->unchecked && g->unchecked[p->block] == JIT_GAS_UNCHECKED) return false;
        int64_t charge = cg_block_charge(g, p->block);
        if (charge < 0 || charge > INT32_MAX) return false; /* (cg_gas_alu would need rcx) */
    }
    element_address e; /* (one block: no block start inside) */
    if (!element_address_at(p, &e)) return false;
    unsigned x = e.x, y = e.y, t = e.t, base = e.base;
    int step = -1;
    if (m->op == PVM_OP_ADD_32 && m->d == y && (m->a == y) != (m->b == y)) step = (int)(m->a == y ? m->b : m->a);
    else if (!(m->op == PVM_OP_ADD_IMM_32 && pvm_pure_dest(m) == y && pvm_pure_read_set(m) == 1u << y)) return false;
    if (!g->access[s->op].width || pvm_op_table[s->op].kind != PVM_KIND_REG_REG_IMM || s->b != t) return false;
    if (!element_access_past(g, m, s, t)) return false; /* the access goes before the add (a stored index: no) */
    pvm_op bop = (pvm_op)br->op;
    bool with_imm = pvm_op_table[bop].kind == PVM_KIND_REG_IMM_OFF;
    if (!pvm_op_is_branch(bop) || br->target != head || (with_imm && !x64_fits_s32(br->imm))) return false;
    if (br->a != y && (with_imm || br->b != y)) return false; /* the compare reads the index */
    /* the registers the loop keeps: the index, the base, the step, what the branch reads */
    uint32_t kept = 1u << y | 1u << base | (step >= 0 ? 1u << step : 0) | 1u << br->a | (with_imm ? 0 : 1u << br->b);
    if (base == y || base == x || base == t || (step >= 0 && ((unsigned)step == x || (unsigned)step == t))) return false;
    if (kept >> x & 1 || kept >> t & 1) return false; /* not computed in the loop: neither may be read there */
    bool store = g->access[s->op].is_store;
    if (store ? (s->a == x || s->a == t) : (kept >> s->a & 1)) return false; /* a stored x or t; a load over a kept register */
    *L = (strided_loop){e, step, head, with_imm};
    return true;
}

/* Whether the self-loop whose block starts at instruction first is a strided loop (not unrolled:
 * cg_emit_range). */
static bool strided_loop_block(const cg *g, uint32_t first)
{
    strided_loop L;
    uint32_t at = g->d->instrs[first].op == PVM_OP_UNLIKELY ? first + 1 : first;
    return at < g->d->n_instrs && g->d->instrs[at].op == PVM_OP_SHLO_L_IMM_64 && strided_loop_at(g, at, &L);
}

/* x and t as the loop's last iteration left them, where it is left: from ecx, the index's low
 * half after its add (ecx then holds the one before). live: which of the two to compute. */
static void strided_loop_leave(cg *g, const strided_loop *L, const pvm_instr *m, bool x_live, bool t_live)
{
    x64_buf *b = &g->b;
    unsigned x = L->e.x, t = L->e.t, k = L->e.k;
    if (!x_live && !t_live) return;
    if (L->step >= 0) x64_alu_rr(b, false, ALU_SUB, RCX, R(L->step));
    else x64_alu_ri(b, false, ALU_SUB, RCX, (int32_t)(uint32_t)m->imm);
    if (x_live && x != t) {
        x64_mov_rr(b, false, R(x), RCX); /* zero-extended, then scaled: shlo_l_imm_64 32; shlo_r_imm_64 32 - k */
        if (k) x64_shift_ri(b, true, SH_SHL, R(x), (uint8_t)k);
    }
    if (t_live) x64_lea(b, true, R(t), x64_idx(R(L->e.base), RCX, 1 << k, 0));
}

/* Returns 6, or 0 (strided_loop_at). */
static uint32_t emit_strided_loop(cg *g, uint32_t index)
{
    strided_loop L;
    if (!strided_loop_at(g, index, &L)) return 0;
    const pvm_instr *p = &g->d->instrs[index], *m = p + 3, *s = p + 4, *br = p + 5;
    unsigned x = L.e.x, t = L.e.t;
    /* x and t to compute where the loop is left (a load over one writes it itself), by the
     * fall-through only unless dead there */
    bool store = g->access[s->op].is_store;
    bool x_own = x != t && (store || s->a != x), t_own = store || s->a != t;
    bool x_out = x_own && !dead_entering(g, index + 6, x, 2), t_out = t_own && !dead_entering(g, index + 6, t, 2);
    pvm_op bop = (pvm_op)br->op;
    x64_buf *b = &g->b;
    x64_mov_rr(b, false, RCX, R(L.e.y));
    size_t loop = b->len;
    emit_indexed_access(g, s, R(L.e.base), RCX, 1 << L.e.k, (int32_t)(uint32_t)s->imm);
    if (L.step >= 0) x64_alu_rr(b, false, ALU_ADD, RCX, R(L.step));
    else x64_alu_ri(b, false, ALU_ADD, RCX, (int32_t)(uint32_t)m->imm);
    x64_movsxd(b, R(L.e.y), RCX);
    emit_cmp(g, R(br->a), L.with_imm, br->imm, L.with_imm ? 0 : R(br->b));
    if (g->gas == PVM_GAS_NONE) {
        x64_patch32(b->p, x64_jcc32(b, branch_cc(bop)), loop);
    } else { /* the branch back as a jump into the block: its entry's charge and check (cg_gas_entry) */
        size_t out = x64_jcc32(b, branch_cc(bop) ^ 1);
        int64_t charge = cg_block_charge(g, p->block); /* (strided_loop_at: 0 to INT32_MAX) */
        bool sync = g->gas == PVM_GAS_SYNC;
        cg_gas_alu(g, ALU_SUB, (uint32_t)charge);
        x64_patch32(b->p, x64_jcc32(b, sync ? CC_GE : CC_NS), loop);
        cg_gas_alu(g, ALU_ADD, (uint32_t)charge); /* the entry charges it again, and fails */
        strided_loop_leave(g, &L, m, x_own, t_own);
        x64_patch32(b->p, x64_jmp32(b), g->entry_off[L.head]);
        x64_patch32(b->p, out, b->len);
    }
    strided_loop_leave(g, &L, m, x_out, t_out);
    g->n_strided++;
    return 6;
}

/* rv64's `a[(uint32_t)(i + k)]` as an element load (emit_element_load) with the add before it:
 * `add_imm_64 x, y, k; shlo_l_imm_64 x, x, 32; shlo_r_imm_64 x, x, 32 - s; add_64 t, x, b;
 * load x, [t + imm]` (sort_search's partition scan from the right, `a[j - 1]`), x overwritten by
 * the load → `load x, gs:[b32 + y32 << s + (k << s) + imm]`: the 32-bit address wraps at 2^32
 * as the guest's zero-extended index does, so the add folds into the displacement and x's
 * intermediate values are never written; t, where it stays live, from `lea ecx, [y + k]` (a
 * 32-bit lea: the zero-extended index) and `lea t, [b + rcx << s]`, before the load (t is then
 * neither y nor b). A fault of the load has the interpreter redo the five (signals.c recomputes
 * its address: nothing it is computed from is written before it). Returns 5, or 0. */
static uint32_t emit_element_load_after_add(cg *g, uint32_t index)
{
    if (g->narrow || index + 4 >= g->d->n_instrs) return 0;
    const pvm_instr *p = &g->d->instrs[index], *q = p + 1, *r = p + 2, *a = p + 3, *u = p + 4;
    if (q->block_start || r->block_start || a->block_start || u->block_start || !x64_fits_s32(p->imm)) return 0;
    unsigned x = p->a, y = p->b;
    if (q->op != PVM_OP_SHLO_L_IMM_64 || q->a != x || q->b != x || q->imm != 32) return 0;
    if (r->op != PVM_OP_SHLO_R_IMM_64 || r->a != x || r->b != x || r->imm < 29 || r->imm > 32) return 0;
    if (a->op != PVM_OP_ADD_64 || (a->a == x) == (a->b == x)) return 0;
    unsigned t = a->d, base = a->a == x ? a->b : a->a, k = 32 - (unsigned)r->imm;
    pvm_mem_access acc = g->access[u->op];
    if (!acc.width || acc.is_store || pvm_op_table[u->op].kind != PVM_KIND_REG_REG_IMM || u->b != t || u->a != x) return 0;
    bool t_live = t != x && !dead_after(g, index + 4, t);
    if (t_live && (t == y || t == base)) return 0;
    x64_buf *b = &g->b;
    if (t_live) {
        x64_lea(b, false, RCX, x64_at(R(y), (int32_t)(uint32_t)p->imm));
        x64_lea(b, true, R(t), x64_idx(R(base), RCX, 1 << k, 0));
    }
    emit_indexed_access(g, u, R(base), R(y), 1 << k, (int32_t)((uint32_t)u->imm + ((uint32_t)p->imm << k)));
    return 5;
}

/* Instructions of a block fused into one x86 sequence, where each one's result
 * is overwritten by the next (so only the last one's is seen):
 *   shlo_l_imm_64 x, y, 32; shlo_r_imm_64 x, x, 32  ->  mov x32, y32     (zero extension)
 *   shlo_l_imm_64 x, y, 32; shar_r_imm_64 x, x, 32  ->  movsxd x, y32    (sign extension)
 *   the same with a right shift by k < 32             ->  mov / movsxd; shl x, 32 - k  (an extended index, scaled)
 *   shlo_l_imm t, x, k;  add t, t, b (or b, t)     ->  lea t, [b + x << k]  (k = 1..3, b != t; the _64
 *                                                       ops, or the _32 ops of a narrow program)
 *   add_{64,32} t, a, b; load t, [t + imm]           ->  load t, gs:[a32 + b32 + imm] (or lea ecx first)
 *   shlo_l_imm t, x, k; add t, t, b; load t, [t + imm]  ->  load t, gs:[b32 + x32 << k + imm] (or lea ecx)
 * and groups where more than the last result stays:
 *   add d, a, b; set_lt_u c, d, a (or b)  ->  add; setb   (the carry; add_64, or add_32 of a
 *                                                          narrow program; not when a (or b) is d)
 *   the same, then add y, c, w with c dead  ->  add; [lea/mov of up to two between]; adc y
 *                                             (one load or store among them, or between the add and
 *                                             the compare, emitted first: emit_carry_group)
 *   narrow: shlo_l_imm_32 x, x, k; add_32 t, b, x; load x, [t + imm]  (t not b or x; k = 1..3)
 *           ->  lea t, [b + x << k]; load x, gs:[b32 + x32 << k + imm]  (the shifted x is never seen)
 * The ALU groups cannot fault; in a load group only the load can, before any
 * register it reads is written (t, written first in the last form, is not read:
 * the address is recomputed from b and x), and the fault handler then has the interpreter redo the
 * group from its first instruction (signals.c). The later instructions of a
 * group have no entry of their own (the runtime hands a run that starts there
 * to the interpreter). Called for the add and shift ops jit_may_start_group lets
 * through (the first instructions of the groups above). Returns how many
 * instructions it covered, or 0. */
static uint32_t emit_fused_group(cg *g, uint32_t index)
{
    const pvm_instr *p = &g->d->instrs[index], *q = p + 1, *r = p + 2;
    if (index + 1 >= g->d->n_instrs || q->block_start) return 0; /* p starts a group: cg_emit_instr */
    bool has_r = index + 2 < g->d->n_instrs && !r->block_start;
    bool carry_add = p->op == PVM_OP_ADD_64 || (p->op == PVM_OP_ADD_32 && g->narrow);
    /* add_imm d, a, k; set_lt_u_imm c, d, k: the carry of d = a + k (k as a register value) */
    bool carry_add_imm = (p->op == PVM_OP_ADD_IMM_64 && x64_fits_s32(p->imm)) || (p->op == PVM_OP_ADD_IMM_32 && g->narrow);
    if (carry_add || carry_add_imm) { /* the compare right after the add, or after one load or store that can go first */
        uint32_t access = 0;
        const pvm_instr *k = q;
        bool in_order = false; /* a store of the sum: right after the add (jit_carry_store_in_order) */
        if (has_r && (r->op == PVM_OP_SET_LT_U || r->op == PVM_OP_SET_LT_U_IMM) && g->access[q->op].width) {
            uint32_t c = r->op == PVM_OP_SET_LT_U ? r->d : r->a; /* compared below; written after the access */
            if (access_goes_first(g, q, pvm_pure_read_set(p), 1u << pvm_pure_dest(p) | 1u << c)) access = index + 1, k = r;
            else if (jit_carry_store_in_order(g->access, p)) access = index + 1, k = r, in_order = true;
        }
        uint32_t first = index + (access ? 3 : 2);
        if (carry_add && k->op == PVM_OP_SET_LT_U && k->a == p->d && (k->b == p->a || k->b == p->b) && k->b != p->d)
            return emit_carry_group(g, index, first, access, in_order, k->d, p->op == PVM_OP_ADD_64, false);
        if (carry_add_imm && k->op == PVM_OP_SET_LT_U_IMM && k->b == p->a && k->imm == p->imm)
            return emit_carry_group(g, index, first, access, in_order, k->a, p->op == PVM_OP_ADD_IMM_64, true);
    }
    /* The groups below start with a shift, but for one of add_64 and add_32: no more tests for the others. */
    if (p->op == PVM_OP_ADD_IMM_64 || p->op == PVM_OP_ADD_IMM_32) return 0;
    if (p->op == PVM_OP_ADD_64 || p->op == PVM_OP_ADD_32) {
        if (!loads_into_own_base(g, q, p->d)) return 0;
        emit_indexed_access(g, q, R(p->a), R(p->b), 1, (int32_t)(uint32_t)q->imm);
        return 2;
    }
    uint32_t funnel = emit_funnel_shift(g, index);
    if (funnel || p->op == PVM_OP_SHLO_R_IMM_64 || p->op == PVM_OP_SHLO_R_IMM_32) return funnel; /* the rest start with a left shift */
    if (g->narrow && has_r && p->op == PVM_OP_SHLO_L_IMM_32 && p->imm >= 1 && p->imm <= 3 && q->op == PVM_OP_ADD_32 &&
        q->d != p->a && q->d != p->b && (q->a == p->a) != (q->b == p->a) && r->a == p->a &&
        loads_from_base(g, r, q->d)) { /* a scaled element's address, kept; the shifted index is overwritten by the load */
        unsigned base = q->a == p->a ? q->b : q->a;
        const pvm_instr *s = p + 3;
        if (base != q->d && index + 3 < g->d->n_instrs && !s->block_start && s->op == r->op && loads_into_own_base(g, s, q->d)) {
            /* and the element's other word into the address register (rv32's 64-bit a[i]): both loads
             * from base + y << k, the second first (it overwrites t, which the first no longer needs),
             * no lea. A fault of either has the interpreter redo the four (signals.c tells them by RIP). */
            emit_indexed_access(g, s, R(base), R(p->b), 1 << p->imm, (int32_t)(uint32_t)s->imm);
            emit_indexed_access(g, r, R(base), R(p->b), 1 << p->imm, (int32_t)(uint32_t)r->imm);
            return 4;
        }
        if (base != q->d) {
            x64_lea(&g->b, false, R(q->d), x64_idx(R(base), R(p->b), 1 << p->imm, 0));
            emit_indexed_access(g, r, R(base), R(p->b), 1 << p->imm, (int32_t)(uint32_t)r->imm); /* not behind the lea */
            return 3;
        }
    }
    if (g->narrow && has_r && p->op == PVM_OP_SHLO_L_IMM_32 && p->imm >= 1 && p->imm <= 3 && q->op == PVM_OP_ADD_IMM_32 &&
        r->op == PVM_OP_ADD_32 && r->d == p->a && ((r->a == p->a && r->b == q->a) || (r->b == p->a && r->a == q->a)) &&
        q->a != p->a && q->a != p->b && q->a != q->b && q->b != p->a && index + 3 < g->d->n_instrs && !p[3].block_start &&
        loads_from_base(g, &p[3], p->a) && p[3].a == q->a) {
        /* shlo_l_imm_32 x, y, k; add_imm_32 z, b, imm; add_32 x, x, z; load z, [x + d] (rv32's
         * a[i] of an array at b + imm, the stack): the load from b + y << k + imm + d first (a
         * fault has the interpreter redo the four: no register written yet), then one lea for x. */
        const pvm_instr *ld = &p[3];
        int32_t imm = (int32_t)(uint32_t)q->imm;
        emit_indexed_access(g, ld, R(q->b), R(p->b), 1 << p->imm, (int32_t)((uint32_t)imm + (uint32_t)ld->imm));
        x64_lea(&g->b, false, R(p->a), x64_idx(R(q->b), R(p->b), 1 << p->imm, imm));
        return 4;
    }
    uint32_t element = emit_strided_loop(g, index);
    if (!element) element = emit_element_load(g, index);
    if (element) return element;
    int X = R(p->a), Y = R(p->b);
    pvm_op shl = g->narrow ? PVM_OP_SHLO_L_IMM_32 : PVM_OP_SHLO_L_IMM_64, add = g->narrow ? PVM_OP_ADD_32 : PVM_OP_ADD_64;
    if (p->op == shl && p->imm >= 1 && p->imm <= 3 && q->op == add && q->d == p->a && (q->a == p->a) != (q->b == p->a)) {
        int base = R(q->a == p->a ? q->b : q->a);
        if (has_r && loads_into_own_base(g, r, q->d)) {
            emit_indexed_access(g, r, base, Y, 1 << p->imm, (int32_t)(uint32_t)r->imm);
            return 3;
        }
        x64_lea(&g->b, !g->narrow, X, x64_idx(base, Y, 1 << p->imm, 0));
        return 2;
    }
    if (p->op != PVM_OP_SHLO_L_IMM_64) return 0;
    if (p->imm == 32 && (q->op == PVM_OP_SHLO_R_IMM_64 || q->op == PVM_OP_SHAR_R_IMM_64) && q->imm >= 1 &&
        q->imm <= 32 && q->a == p->a && q->b == p->a) { /* extension, then a scale by 2^(32 - k) when k < 32 */
        if (q->op == PVM_OP_SHLO_R_IMM_64) x64_mov_rr(&g->b, false, X, Y);
        else x64_movsxd(&g->b, X, Y);
        if (q->imm < 32) x64_shift_ri(&g->b, true, SH_SHL, X, (uint8_t)(32 - q->imm));
        return 2;
    }
    return 0;
}

/* Pairs of 64-bit programs and of narrow ones (the narrow-only groups are in emit_fused_group):
 *   set_lt_u c, a, b (or set_lt_u_imm c, a, k); neg_add_imm m, c, 0  ->  cmp; sbb m, m
 * the all-ones mask of an unsigned compare (neg_add_imm_32 or _64: -1 either way),
 * where c is m or dead after the pair: what rv32 and rv64 code does for a branchless
 * select (sort_search's binary search). A narrow program's sbb is a 32-bit one: -1 lives
 * zero-extended there. Neither can fault. Returns how many it covered, or 0. */
static uint32_t emit_compare_mask(cg *g, uint32_t index)
{
    if (index + 1 >= g->d->n_instrs) return 0; /* p is a set_lt_u(_imm): cg_emit_instr */
    const pvm_instr *p = &g->d->instrs[index], *q = p + 1;
    if (q->block_start || (q->op != PVM_OP_NEG_ADD_IMM_64 && q->op != PVM_OP_NEG_ADD_IMM_32) || q->imm != 0) return 0;
    bool reg = p->op == PVM_OP_SET_LT_U;
    unsigned c = reg ? p->d : p->a;
    if (q->b != c || (q->a != c && !dead_after(g, index + 1, c))) return 0;
    if (reg) emit_cmp(g, R(p->a), false, 0, R(p->b));
    else emit_cmp(g, R(p->b), true, p->imm, 0);
    x64_alu_rr(&g->b, !g->narrow, ALU_SBB, R(q->a), R(q->a));
    return 2;
}

/* A 64-bit program's run of 32-bit rotations, logical right shifts and xors of
 * their results, as SHA-2's sigma functions are (rot_r_32_imm, shlo_r_imm_32 by
 * 1..31, xor of two results of the run), from a rot_r_32_imm on: each is one
 * 32-bit x86 operation, and only the registers it leaves live are sign-extended,
 * once, at its end (a xor of sign-extensions is the sign-extension of the xor;
 * the rotations and shifts read the low 32 bits only). A register a rotation or
 * xor of the run wrote holds its zero extension until then: its last value is
 * extended unless dead (dead_after). Pure ALU operations: nothing can fault or
 * observe a register in between. Returns how many instructions it covered, or 0
 * when that would not save an instruction. */
static uint32_t emit_xor_of_rotations(cg *g, uint32_t index)
{
    const pvm_instr *ins = g->d->instrs;
    if (g->narrow || ins[index].op != PVM_OP_ROT_R_32_IMM) return 0;
    uint32_t written = 0, wide = 0; /* written by the run / may have bit 31 set (needs a movsxd) */
    uint32_t end = index, last_xor = 0, rotations = 0, rot_at_last_xor = 0;
    for (; end < g->d->n_instrs && end < index + 32 && (end == index || !ins[end].block_start); end++) {
        const pvm_instr *x = &ins[end];
        if (x->op == PVM_OP_ROT_R_32_IMM) {
            written |= 1u << x->a, wide |= 1u << x->a, rotations++;
        } else if (x->op == PVM_OP_SHLO_R_IMM_32 && (x->imm & 31)) {
            written |= 1u << x->a, wide &= ~(1u << x->a);
        } else if (x->op == PVM_OP_XOR && (written >> x->a & 1) && (written >> x->b & 1)) {
            bool w = (wide >> x->a | wide >> x->b) & 1;
            written |= 1u << x->d, wide = w ? wide | 1u << x->d : wide & ~(1u << x->d);
            last_xor = end, rot_at_last_xor = rotations;
        } else {
            break;
        }
    }
    if (!last_xor) return 0;
    /* Replay the run up to its last xor for what is written and wide there. */
    written = wide = 0;
    for (uint32_t i = index; i <= last_xor; i++) {
        const pvm_instr *x = &ins[i];
        unsigned r = x->op == PVM_OP_XOR ? x->d : x->a;
        bool w = x->op == PVM_OP_ROT_R_32_IMM || (x->op == PVM_OP_XOR && ((wide >> x->a | wide >> x->b) & 1));
        written |= 1u << r, wide = w ? wide | 1u << r : wide & ~(1u << r);
    }
    uint32_t extend = 0, n_extend = 0;
    for (unsigned r = 0; r < 32; r++)
        if ((wide >> r & 1) && !dead_after(g, last_xor, r)) extend |= 1u << r, n_extend++;
    if (n_extend >= rot_at_last_xor) return 0;
    x64_buf *b = &g->b;
    for (uint32_t i = index; i <= last_xor; i++) {
        const pvm_instr *x = &ins[i];
        if (x->op == PVM_OP_XOR) {
            int D = R(x->d), A = R(x->a), B = R(x->b);
            if (D == B) B = A;
            else if (D != A) x64_mov_rr(b, false, D, A);
            x64_alu_rr(b, false, ALU_XOR, D, B);
            continue;
        }
        int D = R(x->a), S = R(x->b);
        uint8_t n = (uint8_t)(x->imm & 31);
        if (x->op == PVM_OP_ROT_R_32_IMM && g->bmi2) {
            x64_rorx(b, false, D, S, n);
        } else {
            if (D != S) x64_mov_rr(b, false, D, S);
            x64_shift_ri(b, false, x->op == PVM_OP_ROT_R_32_IMM ? SH_ROR : SH_SHR, D, n);
        }
    }
    for (unsigned r = 0; r < 32; r++)
        if (extend >> r & 1) x64_movsxd(b, R(r), R(r));
    return last_xor - index + 1;
}

/* The ops a zero branch starts with (emit_zero_branch), as case labels: starts_zero_branch
 * and emit_grouped's switch share the list. */
#define ZERO_BRANCH_OPS                                                                        \
    case PVM_OP_AND:                                                                           \
    case PVM_OP_OR:                                                                            \
    case PVM_OP_XOR:                                                                           \
    case PVM_OP_AND_IMM:                                                                       \
    case PVM_OP_OR_IMM:                                                                        \
    case PVM_OP_XOR_IMM

/* The first instructions of emit_zero_branch's pairs. */
static bool starts_zero_branch(pvm_op op)
{
    switch (op) {
    ZERO_BRANCH_OPS: return true;
    default: return false;
    }
}

/* and/or/xor (or their _imm forms) d, ...; branch_eq_imm/branch_ne_imm d, 0 right after,
 * in the same block (a 64-bit test of the mask of a 32-bit program's 64-bit value, bit
 * tests): the ALU instruction that writes d is the last of its code (emit_r3, emit_rri) and
 * leaves ZF as the compare of d with 0 would (over 32 bits in a narrow program, whose
 * values are sign-extensions of their low halves; over 64 bits else), so the branch is a
 * jcc without the test. d is written as before; nothing can fault. Returns 2, or 0. */
static uint32_t emit_zero_branch(cg *g, uint32_t index)
{
    if (index + 1 >= g->d->n_instrs) return 0; /* p is an and/or/xor(_imm): starts_zero_branch */
    const pvm_instr *p = &g->d->instrs[index], *q = p + 1;
    if (q->block_start || (q->op != PVM_OP_BRANCH_EQ_IMM && q->op != PVM_OP_BRANCH_NE_IMM)) return 0;
    if ((g->narrow ? (uint32_t)q->imm : q->imm) != 0) return 0;
    bool W = !g->narrow;
    switch (p->op) {
    case PVM_OP_AND: case PVM_OP_OR: case PVM_OP_XOR:
        if (q->a != p->d) return 0;
        emit_r3(g, p, W, p->op == PVM_OP_AND ? ALU_AND : p->op == PVM_OP_OR ? ALU_OR : ALU_XOR, true);
        break;
    case PVM_OP_AND_IMM: case PVM_OP_OR_IMM: case PVM_OP_XOR_IMM:
        if (q->a != p->a) return 0;
        emit_rri(g, p, W, p->op == PVM_OP_AND_IMM ? ALU_AND : p->op == PVM_OP_OR_IMM ? ALU_OR : ALU_XOR);
        break;
    default: return 0;
    }
    cg_jump_to(g, branch_cc((pvm_op)q->op), q->target, index + 1);
    return 2;
}

/* Whether an op between emit_mul_halves_in_place's two halves may stay there: one that
 * emit_plain makes into 32-bit instructions without rcx (a narrow add_32 is an add or a
 * 32-bit lea; and/or/xor 32-bit ops), so that it reads only the low half of a register. */
static bool low_half_op(pvm_op op) { return op == PVM_OP_ADD_32 || op == PVM_OP_AND || op == PVM_OP_OR || op == PVM_OP_XOR; }

/* mul_upper_u_u h, a, b, up to six low_half_ops, then mul_32 h, a, b: both halves in one
 * register, the high one read (by 32-bit ops) before the low one overwrites it (rv32's
 * 64-bit products whose high half is added first: hash_table's splitmix64, field25519's
 * reductions). With h neither a nor b and nothing between writing a, b or h: `mov ecx, a;
 * imul rcx, b` (the 64-bit product of the zero-extended operands), `rorx h, rcx, 32`, the
 * ops between, `mov h32, ecx`: 4 x86 instructions instead of 5 (with an operand in edx, one
 * `mulx h, ecx` and the mov: 2 instead of 3). rorx leaves the low half in h's upper 32 bits,
 * which only the ops between could see, and they read 32 bits; the mov clears it. All pure:
 * nothing faults or exits inside; the covered instructions have no entry (inner). Narrow
 * programs with BMI2. Returns how many it covered, or 0. */
static uint32_t emit_mul_halves_in_place(cg *g, uint32_t index)
{
    const pvm_instr *p = &g->d->instrs[index];
    unsigned h = p->d, a = p->a, b = p->b;
    if (!g->bmi2 || h == a || h == b) return 0;
    for (uint32_t j = index + 1; j < g->d->n_instrs && j <= index + 7; j++) {
        const pvm_instr *x = &g->d->instrs[j];
        if (x->block_start) return 0;
        if (x->op == PVM_OP_MUL_32 && x->d == h && ((x->a == a && x->b == b) || (x->a == b && x->b == a))) {
            x64_buf *buf = &g->b;
            int H = R(h), A = R(a), B = R(b);
            if (A == RDX || B == RDX) {
                x64_mulx32(buf, H, RCX, A == RDX ? B : A);
            } else {
                x64_mov_rr(buf, false, RCX, A);
                x64_imul_rr(buf, true, RCX, B);
                x64_rorx(buf, true, H, RCX, 32);
            }
            for (uint32_t k = index + 1; k < j; k++) emit_plain(g, k, &g->d->instrs[k], (pvm_op)g->d->instrs[k].op);
            x64_mov_rr(buf, false, H, RCX);
            return j - index + 1;
        }
        if (!low_half_op((pvm_op)x->op)) return 0;
        unsigned w = pvm_pure_dest(x);
        if (w == a || w == b || w == h) return 0;
    }
    return 0;
}

/* A narrow program's mul_upper_u_u h, a, b and, up to six pure instructions later in the
 * block, mul_32 l, a, b (either operand order; rv32 code multiplying 64-bit values in
 * halves): the one 64-bit product of the zero-extended operands gives both, l written
 * here. Needs h, l, a, b distinct, nothing between writing a or b or reading or writing
 * l: then no one sees l early (pure ops only: nothing faults or exits). The mul_32 emits
 * nothing (cg.skip_index) and the instructions after the pair's first up to it have no
 * entry of their own (inner: a run the host starts there goes to the interpreter).
 * h = l: emit_mul_halves_in_place. Returns 1 (or that one's count), or 0 when there is no
 * such pair. */
static uint32_t emit_mul_halves(cg *g, uint32_t index)
{
    const pvm_instr *p = &g->d->instrs[index];
    unsigned h = p->d, a = p->a, b = p->b;
    if (!g->narrow || h == a || h == b) return 0;
    uint32_t reads = 0, writes = 0;
    for (uint32_t j = index + 1; j < g->d->n_instrs && j <= index + 7; j++) {
        const pvm_instr *x = &g->d->instrs[j];
        if (x->block_start || !pvm_op_is_pure((pvm_op)x->op)) return 0;
        if (x->op == PVM_OP_MUL_32 && ((x->a == a && x->b == b) || (x->a == b && x->b == a))) {
            unsigned l = x->d;
            if (l == h) return emit_mul_halves_in_place(g, index);
            if (a == b || l == a || l == b || ((reads | writes) >> l & 1) || (writes & (1u << a | 1u << b))) return 0;
            x64_buf *buf = &g->b;
            int H = R(h), L = R(l), A = R(a), B = R(b);
            if (g->bmi2 && (A == RDX || B == RDX)) { /* edx * the other: high half in h, low in l */
                x64_mulx32(buf, H, L, A == RDX ? B : A);
            } else {
                x64_mov_rr(buf, false, H, A);
                x64_imul_rr(buf, true, H, B); /* the 64-bit product of zero-extended operands */
                x64_mov_rr(buf, false, L, H);
                x64_shift_ri(buf, true, SH_SHR, H, 32);
            }
            for (uint32_t k = index + 1; k <= j; k++) cg_mark_inner(g, k);
            g->skip_index = j;
            return 1;
        }
        reads |= pvm_pure_read_set(x), writes |= 1u << pvm_pure_dest(x);
    }
    return 0;
}

/* Whether exactly one of x's register operands a and b is r: the other one, or -1. */
static int other_operand(const pvm_instr *x, unsigned r)
{
    if (x->a == r && x->b != r) return x->b;
    if (x->b == r && x->a != r) return x->a;
    return -1;
}

/* One step of rv32 code summing 32x32->64-bit products into a 64-bit value kept in halves
 * (field25519's columns), six pure instructions of one block:
 *   mul_upper_u_u h, a, b; add_32 t, h, c (t is h or c); add_32 u, hi, t;
 *   mul_32 l, a, b; add_32 s, l, lo; set_lt_u k, s, lo (or s, l)
 * i.e. u = hi + c + hi32(a b) (c: the last step's carry), s = lo + lo32(a b), k its carry;
 * or the first step of a sum, five, without a carry in (add_32 u, hi, h for the first two).
 * The registers of each role (c = PVM_REG_COUNT without one), and which of u and t are
 * left in their registers (no later one of the step writes over them). */
typedef struct {
    unsigned h, a, b, t, c, u, hi, l, s, lo, k, n;
    bool fin_u, fin_t;
} mul_step;

static bool mul_step_at(const cg *g, uint32_t index, mul_step *m)
{
    if (!g->narrow || !g->bmi2 || index + 4 >= g->d->n_instrs) return false;
    const pvm_instr *p = &g->d->instrs[index];
    if (p->op != PVM_OP_MUL_UPPER_U_U || p[1].op != PVM_OP_ADD_32) return false;
    unsigned n = p[2].op == PVM_OP_ADD_32 ? 6 : 5, e = n - 5; /* e: p[e + 2] is the mul_32 */
    if (index + n > g->d->n_instrs || p[e + 2].op != PVM_OP_MUL_32 || p[e + 3].op != PVM_OP_ADD_32 ||
        p[e + 4].op != PVM_OP_SET_LT_U)
        return false;
    for (unsigned i = 1; i < n; i++)
        if (p[i].block_start) return false;
    unsigned h = p->d, a = p->a, b = p->b, t = p[1].d, u = p[e + 1].d, l = p[e + 2].d, s = p[e + 3].d, k = p[e + 4].d;
    int ci = e ? other_operand(&p[1], h) : PVM_REG_COUNT, hii = other_operand(&p[e + 1], e ? t : h), loi = other_operand(&p[e + 3], l);
    if (ci < 0 || hii < 0 || loi < 0) return false;
    unsigned c = (unsigned)ci, hi = (unsigned)hii, lo = (unsigned)loi;
    if (!e) t = u; /* no t: u = hi + h */
    if ((t != h && t != c && e) || hi == h || hi == c) return false;
    const pvm_instr *ml = &p[e + 2];
    if (!((ml->a == a && ml->b == b) || (ml->a == b && ml->b == a))) return false;
    if (a == h || b == h || a == t || b == t || a == u || b == u) return false; /* a, b as mul_upper read them */
    if (lo == h || lo == t || lo == u) return false;                           /* lo as the add reads it (lo != l) */
    if (p[e + 4].a != s || (p[e + 4].b != lo && p[e + 4].b != l) || p[e + 4].b == s) return false; /* the sum's carry */
    bool fin_u = u != l && u != s && u != k, fin_t = e && t != u && t != l && t != s && t != k;
    if (fin_u && u == h) return false;                         /* mulx writes h before u is done */
    if (fin_t && (l == c || (fin_u && u == c))) return false; /* c is read again for t */
    if (!e && fin_u && l == hi) return false;                  /* u is done after the product, from hi */
    /* h == l: the high half goes to a scratch register: ecx, or edx (then edx's guest
     * register, restored after u, must be none the step reads after the product) */
    if (h == l && R(a) != RDX && R(b) != RDX && R(l) != RDX &&
        (R(u) == RDX || R(hi) == RDX || (e && R(c) == RDX) || R(lo) == RDX))
        return false;
    *m = (mul_step){h, a, b, t, c, u, hi, l, s, lo, k, n, fin_u, fin_t};
    return true;
}

/* Whether CF holds step m's c at instruction index: the step before, ending at from - 1,
 * left its carry k = m->c in CF, and only loads and stores lie between (plain movs: they keep
 * the flags), none writing c, all in this block. Then m needs c only in CF: not for t. */
static bool mul_step_cf(const cg *g, uint32_t from, uint32_t index, const mul_step *m)
{
    if (!from || from > index || m->n != 6 || g->cf_reg != m->c || m->fin_t || (m->fin_u && m->l == m->hi)) return false;
    for (uint32_t j = from; j <= index; j++) {
        const pvm_instr *x = &g->d->instrs[j];
        pvm_mem_access acc = g->access[x->op];
        if (x->block_start) return false;
        if (j < index && (!acc.width || (!acc.is_store && x->a == m->c))) return false;
    }
    return true;
}

/* Whether the carry k of the step ending at from - 1 may stay a setb byte (upper bits
 * stale): the next step (after loads and stores that do not touch k) takes it in CF and
 * writes over its register before reading it. The accesses between are marked in
 * jit_module.byte_regs (the fault handler clears the stale bits); returns the index after them, or 0. */
static uint32_t mul_step_byte_carry(cg *g, uint32_t from, unsigned k)
{
    uint32_t j = from;
    for (; j < g->d->n_instrs && !g->d->instrs[j].block_start && g->access[g->d->instrs[j].op].width; j++)
        if (g->d->instrs[j].a == k || g->d->instrs[j].b == k) return 0;
    mul_step nx;
    unsigned saved = g->cf_reg;
    g->cf_reg = k; /* as it will be */
    bool ok = mul_step_at(g, j, &nx) && nx.c == k && mul_step_cf(g, from, j, &nx);
    g->cf_reg = saved;
    if (!ok || k == nx.a || k == nx.b || k == nx.lo) return 0;
    return k == nx.l || (nx.fin_u && k == nx.u) || k == nx.s || k == nx.k ? j : 0;
}

/* Whether the carry k of the step ending at from - 1 goes at once into a sum's high half
 * (`add_32 x, x, k` at from, x not k: field25519's column ends) and is then written over
 * before anything reads it: between, loads and stores that do not touch k and pure ops that
 * neither read nor write it, all in this block; the writer a load into k or a pure op not
 * reading it. Then k may stay a setb byte (upper bits stale) up to the writer, marked in
 * jit_module.byte_regs (the fault handler clears the stale bits), and the add is `adc x, 0`
 * with CF still the carry. Returns the writer's index, or 0. */
static uint32_t mul_step_carry_added(const cg *g, uint32_t from, unsigned k)
{
    const pvm_decoded *d = g->d;
    if (from + 1 >= d->n_instrs) return 0;
    const pvm_instr *q = &d->instrs[from];
    if (q->block_start || q->op != PVM_OP_ADD_32 || q->d == k || !((q->a == q->d && q->b == k) || (q->b == q->d && q->a == k)))
        return 0;
    for (uint32_t j = from + 1; j < d->n_instrs; j++) {
        const pvm_instr *x = &d->instrs[j];
        if (x->block_start) return 0;
        pvm_mem_access acc = g->access[x->op];
        if (acc.width) {
            if (x->b == k || (x->a == k && acc.is_store)) return 0; /* an address or a stored value */
            if (x->a == k) return j;
            continue;
        }
        if (!pvm_op_is_pure((pvm_op)x->op) || (pvm_pure_read_set(x) >> k & 1)) return 0;
        if (pvm_pure_dest(x) == k) return j;
    }
    return 0;
}

/* The step at index (mul_step_at): one mulx (BMI2: it leaves the flags alone) gives both
 * halves of the product into h and l, then u by an add, s by an add, k by setb/movzx: 8 x86
 * instructions instead of 10 (7 instead of 9 for a first step). The carry in: through CF
 * (mul_step_cf), u is `adc u, h`; the instructions from the step before up to this one's
 * first have no entry (jit_module.inner 2: a run the host starts there goes to the
 * interpreter). The carry out: a setb byte alone where the next step takes it in CF and
 * writes over it (mul_step_byte_carry), or where an add into a sum's high half takes it at
 * once, as `adc x, 0`, and something writes over it before it is read (mul_step_carry_added:
 * the add is then part of the step). Every register ends as the step leaves it, so no
 * liveness is needed; nothing between can fault. Returns the instructions covered, or 0. */
static __attribute__((noinline)) uint32_t emit_mul_accumulate(cg *g, uint32_t index)
{
    mul_step m;
    if (!mul_step_at(g, index, &m)) return 0;
    uint32_t from = g->cf_next;
    bool cf = mul_step_cf(g, from, index, &m);
    g->cf_next = 0;
    x64_buf *buf = &g->b;
    int H = R(m.h), L = R(m.l), A = R(m.a), B = R(m.b), HI = R(m.hi), U = R(m.u), LO = R(m.lo);
    int C = m.n == 6 ? R(m.c) : -1;
    if (m.fin_u && m.n == 6 && !cf) { /* u = hi + c now (h added after the product): c may be l's register */
        if (U == HI) x64_alu_rr(buf, false, ALU_ADD, HI, C);
        else if (U == C) x64_alu_rr(buf, false, ALU_ADD, C, HI);
        else x64_lea(buf, false, U, x64_idx(HI, C, 1, 0));
    }
    /* hi32:lo32 of a * b into h (or a scratch register, when h is l) and l. With the carry
     * in CF: mulx, edx holding a, its guest register saved in ecx unless the product
     * overwrites it. Else, where that save would be needed, one 64-bit imul of the
     * zero-extended operands and a shift: as many instructions, fewer uops (a 32-bit
     * mulx is 3-4). */
    bool save = A != RDX && B != RDX && H != RDX && L != RDX, by_imul = save && !cf;
    save = save && cf;
    int HT = H != L ? H : save ? RDX : RCX;
    if (A == RDX || B == RDX) {
        x64_mulx32(buf, HT, L, A == RDX ? B : A);
    } else if (by_imul) {
        x64_mov_rr(buf, false, HT, A);
        x64_imul_rr(buf, true, HT, B);
        x64_mov_rr(buf, false, L, HT);
        x64_shift_ri(buf, true, SH_SHR, HT, 32);
    } else {
        if (save) x64_mov_rr(buf, false, RCX, RDX);
        x64_mov_rr(buf, false, RDX, A);
        x64_mulx32(buf, HT, L, B == A ? RDX : B);
        if (save && HT != RDX) x64_mov_rr(buf, false, RDX, RCX);
    }
    if (m.fin_u) {
        if (cf) {
            if (U != HI) x64_mov_rr(buf, false, U, HI); /* a mov keeps CF */
            x64_alu_rr(buf, false, ALU_ADC, U, HT);
        } else if (m.n == 6 || U == HI) {
            x64_alu_rr(buf, false, ALU_ADD, U, HT);
        } else {
            x64_lea(buf, false, U, x64_idx(HI, HT, 1, 0));
        }
    }
    if (m.fin_t) x64_alu_rr(buf, false, ALU_ADD, m.t == m.h ? H : C, m.t == m.h ? C : HT); /* t = h + c where it stays */
    if (save && HT == RDX) x64_mov_rr(buf, false, RDX, RCX); /* after u: a mov keeps CF */
    if (m.s == m.l) x64_alu_rr(buf, false, ALU_ADD, L, LO);
    else if (m.s == m.lo) x64_alu_rr(buf, false, ALU_ADD, LO, L);
    else x64_mov_rr(buf, false, R(m.s), L), x64_alu_rr(buf, false, ALU_ADD, R(m.s), LO);
    uint32_t next = mul_step_byte_carry(g, index + m.n, m.k), writer = next ? 0 : mul_step_carry_added(g, index + m.n, m.k);
    if (next || writer) { /* setb k alone: CF stays the carry */
        x64_setcc_byte(buf, CC_B, R(m.k));
        if (next > index + m.n) cg_mark_byte_reg(g, index + m.n, next - 1, m.k);
    } else {
        /* setb k8; movzx (CF stays the carry): in place, as the mov of x64_setcc_movzx
         * cost +2.3 % on rv32 field25519 under llvm-mca's znver4 model */
        x64_setcc_in_place(buf, CC_B, R(m.k));
    }
    if (cf)
        for (uint32_t j = from; j <= index; j++) cg_mark_no_entry(g, j);
    if (writer) { /* the carry into the high half: adc x, 0; the flags are the adc's then */
        x64_alu_ri(buf, false, ALU_ADC, R(g->d->instrs[index + m.n].d), 0);
        cg_mark_byte_reg(g, index + m.n + 1, writer, m.k);
        g->cf_next = 0;
        return m.n + 1;
    }
    g->cf_next = index + m.n, g->cf_reg = m.k;
    return m.n;
}

/* Whether q may be a consumer emit_into_consumer takes: a three-operand op that is one
 * two-operand x86 instruction when its destination is its first operand, and here is
 * neither operand (else it is one already). */
static inline bool retargets_into(const pvm_instr *q)
{
    if (q->d == q->a || q->d == q->b) return false; /* first: most three-operand ops write an operand */
    switch (q->op) {
    case PVM_OP_AND: case PVM_OP_OR: case PVM_OP_XOR: case PVM_OP_MUL_64: case PVM_OP_MUL_32:
    case PVM_OP_SUB_64: case PVM_OP_SUB_32: return true;
    default: return false;
    }
}

/* The first instructions of emit_equality's pairs. */
static bool starts_equality(pvm_op op)
{
    switch (op) {
    case PVM_OP_ADD_IMM_32: case PVM_OP_ADD_IMM_64: case PVM_OP_SUB_32: case PVM_OP_SUB_64:
    case PVM_OP_XOR: case PVM_OP_XOR_IMM: return true;
    default: return false;
    }
}

/* An equality test done as a difference and an unsigned compare with 1 (rv32 and
 * rv64 code's x == k, x == y: seqz after addi, sub or xor):
 *   add_imm t, x, k; set_lt_u_imm c, t, 1   ->  cmp x, -k; sete; movzx c   (c = x == -k)
 *   sub t, a, b (or xor t, a, b); set_lt_u_imm c, t, 1  ->  cmp a, b; sete; movzx c
 *   xor_imm t, x, k; set_lt_u_imm c, t, 1   ->  cmp x, k; sete; movzx c
 * and the inequality tests, set_gt_u_imm c, t, 0 (snez) after the same ops, with setne
 * (edit_distance's `a[i] != b[j]`: xor; test; seta became cmp; setne);
 * where c is t or t is dead after the pair (t never materialised). t is zero exactly
 * when the compared values are equal over the op's width: 32 bits for the _32 ops
 * (whose results are sign-extensions of the low half) and for every op of a narrow
 * program (whose registers live zero-extended), 64 bits else (an immediate that does
 * not fit a sign-extended imm32 is left alone). Pure ALU ops: nothing can fault in
 * between. Returns 2, or 0. */
static uint32_t emit_equality(cg *g, uint32_t index)
{
    if (index + 1 >= g->d->n_instrs) return 0; /* p may start a group: cg_emit_instr */
    const pvm_instr *p = &g->d->instrs[index], *q = p + 1;
    bool is_zero = q->op == PVM_OP_SET_LT_U_IMM && q->imm == 1;
    if (q->block_start || (!is_zero && (q->op != PVM_OP_SET_GT_U_IMM || q->imm != 0))) return 0;
    unsigned t = pvm_pure_dest(p), c = q->a;
    if (q->b != t || (c != t && !dead_after(g, index + 1, t))) return 0;
    bool w = !g->narrow && (p->op == PVM_OP_ADD_IMM_64 || p->op == PVM_OP_SUB_64 || p->op == PVM_OP_XOR ||
                            p->op == PVM_OP_XOR_IMM);
    x64_buf *b = &g->b;
    bool imm_form = p->op == PVM_OP_ADD_IMM_32 || p->op == PVM_OP_ADD_IMM_64 || p->op == PVM_OP_XOR_IMM;
    uint64_t k = p->op == PVM_OP_XOR_IMM ? p->imm : 0 - p->imm; /* add: x + k == 0 when x == -k */
    if (!w) k = (uint64_t)(int64_t)(int32_t)(uint32_t)k;        /* a 32-bit compare reads the low half */
    if (imm_form && !x64_fits_s32(k)) return 0;
    bool reads_c = c == p->b || (!imm_form && c == p->a);
    set_before_compare(g, R(c), reads_c);
    if (!imm_form) x64_alu_rr(b, w, ALU_CMP, R(p->a), R(p->b)); /* sub, xor */
    else if (k == 0) x64_test_rr(b, w, R(p->b), R(p->b));
    else x64_alu_ri(b, w, ALU_CMP, R(p->b), (int32_t)k);
    set_after_compare(g, is_zero ? CC_E : CC_NE, R(c), reads_c);
    return 2;
}

/* A narrow program's bit field: shlo_l_imm_32 x, y, a; shlo_r_imm_32 z, x, b with b >= a
 * (b >= 1), where z is x or x is dead after the pair: z = y >> (b - a) masked to its
 * low 32 - b bits (what rv32 code does for a bit test, keccak's x >> 5 & 1). One rorx
 * (BMI2; its wrapped bits are masked off, since 32 - (b - a) > 31 - b) or a mov, then
 * and z, mask: used only where shorter than the two shifts (with their movs). The mask
 * is below 2^31: the zero extension is the sign extension. Pure: no fault between.
 * Returns 2, or 0. */
static uint32_t emit_bit_field(cg *g, uint32_t index)
{
    if (!g->narrow || index + 1 >= g->d->n_instrs) return 0;
    const pvm_instr *p = &g->d->instrs[index], *q = p + 1;
    if (p->op != PVM_OP_SHLO_L_IMM_32 || q->block_start || q->op != PVM_OP_SHLO_R_IMM_32 || q->b != p->a) return 0;
    unsigned a = (unsigned)p->imm & 31, bits = (unsigned)q->imm & 31;
    if (bits < a || bits == 0) return 0;
    if (q->a != p->a && !dead_after(g, index + 1, p->a)) return 0;
    int X = R(p->a), Y = R(p->b), Z = R(q->a);
    unsigned s = bits - a;
    int before = (X != Y) + 1 + (Z != X) + 1;
    int after = s == 0 ? (Z != Y) + 1 : g->bmi2 && Z != Y ? 2 : (Z != Y) + 2;
    if (after >= before) return 0;
    x64_buf *b = &g->b;
    if (s && g->bmi2 && Z != Y) {
        x64_rorx(b, false, Z, Y, (uint8_t)s);
    } else {
        if (Z != Y) x64_mov_rr(b, false, Z, Y);
        if (s) x64_shift_ri(b, false, SH_SHR, Z, (uint8_t)s);
    }
    x64_alu_ri(b, false, ALU_AND, Z, (int32_t)(0xFFFFFFFFu >> bits));
    return 2;
}

/* A multiply by a constant done as a shift and a sub or add of the shifted register and
 * its source (what clang emits for x * 31, x * 7): shlo_l_imm t, x, k, then
 *   sub u, t, x  ->  imul u, x, 2^k - 1      sub u, x, t  ->  imul u, x, 1 - 2^k
 *   add u, t, x (or x, t)  ->  imul u, x, 2^k + 1  (lea u, [x + x << k] for k <= 3; emit_fused_group
 *                              has that lea already when u is t)
 * with t != x, and t = u or t dead after the pair. The _32 ops of a narrow program (a 32-bit
 * imul: the low 32 bits of the product, zero-extended) or the _64 ops (k <= 30: the factor
 * is a sign-extended imm32). Pure: no fault between. Returns 2, or 0. */
static uint32_t emit_mul_const(cg *g, uint32_t index)
{
    if (index + 1 >= g->d->n_instrs) return 0;
    const pvm_instr *p = &g->d->instrs[index], *q = p + 1;
    bool w = !g->narrow;
    if (q->block_start || p->op != (w ? PVM_OP_SHLO_L_IMM_64 : PVM_OP_SHLO_L_IMM_32)) return 0;
    unsigned t = p->a, x = p->b, k = (unsigned)p->imm & (w ? 63 : 31);
    if (t == x || k == 0 || k > (w ? 30u : 31u)) return 0;
    int64_t factor;
    if (q->op == (w ? PVM_OP_SUB_64 : PVM_OP_SUB_32) && q->a == t && q->b == x) factor = ((int64_t)1 << k) - 1;
    else if (q->op == (w ? PVM_OP_SUB_64 : PVM_OP_SUB_32) && q->a == x && q->b == t) factor = 1 - ((int64_t)1 << k);
    else if (q->op == (w ? PVM_OP_ADD_64 : PVM_OP_ADD_32) && ((q->a == t && q->b == x) || (q->a == x && q->b == t)))
        factor = ((int64_t)1 << k) + 1;
    else return 0;
    if (!x64_fits_s32((uint64_t)factor)) return 0; /* 2^31 + 1 in a narrow program */
    if (q->d != t && !dead_after(g, index + 1, t)) return 0;
    if (factor >= 3 && factor <= 9 && (factor & 1) && q->op != PVM_OP_SUB_32 && q->op != PVM_OP_SUB_64)
        x64_lea(&g->b, w, R(q->d), x64_idx(R(x), R(x), (int)factor - 1, 0)); /* x + x << k, k = 1..3 */
    else x64_imul_rri(&g->b, w, R(q->d), R(x), (int32_t)factor);
    return 2;
}

/* An add of a constant too wide for an immediate in the source ISA (lui + addi, then add:
 * what rv32 and rv64 code does for a table's address, K > 2047):
 *   load_imm t, K; add d, t, x (or x, t)                      ->  lea d, [x + K]
 *   shlo_l_imm x, y, k; load_imm t, K; add x, x, t (or t, x)  ->  [mov t, K]; lea x, [y << k + K]
 * the _32 add and shift of a narrow program (a 32-bit lea wraps and zero-extends) or the
 * _64 ones (K is load_imm's sign-extended imm32), with x != t, and where the first's result
 * is the add's or dead after the group: t in the pair, the shifted x in the triple (k =
 * 1..3, t != y; t is loaded unless it is dead too). Pure: no fault between. Return how
 * many instructions they covered, or 0. */
static uint32_t emit_constant_add(cg *g, uint32_t index)
{
    if (index + 1 >= g->d->n_instrs) return 0;
    const pvm_instr *p = &g->d->instrs[index], *q = p + 1;
    pvm_op add = g->narrow ? PVM_OP_ADD_32 : PVM_OP_ADD_64;
    int x = p->op == PVM_OP_LOAD_IMM && !q->block_start && q->op == add ? other_operand(q, p->a) : -1;
    if (x < 0) return 0;
    unsigned t = p->a;
    if (q->d != t && !dead_after(g, index + 1, t)) return 0;
    const pvm_instr *c = q + 1; /* an add whose carry is taken next: the carry group's (add; adc) */
    if (index + 2 < g->d->n_instrs && !c->block_start && (c->op == PVM_OP_SET_LT_U || c->op == PVM_OP_SET_LT_U_IMM)) return 0;
    x64_lea(&g->b, !g->narrow, R(q->d), x64_at(R(x), (int32_t)(uint32_t)p->imm));
    return 2;
}

/* A product by a constant, which RISC-V code loads first (it has no multiply by an
 * immediate): load_imm t, K; mul d, t, x (or x, t) -> imul d, x, K. The mul_64 of a 64-bit
 * program (K is load_imm's sign-extended imm32, as imul sign-extends its imm32) or the mul_32
 * of a narrow one (a 32-bit imul: the low half, zero-extended as registers live there), x not
 * t, and t the product's register or dead after the pair (dead_after). Pure: nothing can fault
 * between. large_program's steps (x * k + y), hashes by 32-bit constants. Returns 2, or 0. */
static uint32_t emit_constant_mul(cg *g, uint32_t index)
{
    if (index + 1 >= g->d->n_instrs) return 0;
    const pvm_instr *p = &g->d->instrs[index], *q = p + 1;
    pvm_op mul = g->narrow ? PVM_OP_MUL_32 : PVM_OP_MUL_64;
    int x = p->op == PVM_OP_LOAD_IMM && !q->block_start && q->op == mul ? other_operand(q, p->a) : -1;
    if (x < 0) return 0;
    unsigned t = p->a;
    if (q->d != t && !dead_after(g, index + 1, t)) return 0;
    x64_imul_rri(&g->b, !g->narrow, R(q->d), R(x), (int32_t)(uint32_t)p->imm);
    return 2;
}

static uint32_t emit_scaled_constant_add(cg *g, uint32_t index)
{
    if (index + 2 >= g->d->n_instrs) return 0;
    const pvm_instr *p = &g->d->instrs[index], *q = p + 1, *r = p + 2;
    pvm_op shl = g->narrow ? PVM_OP_SHLO_L_IMM_32 : PVM_OP_SHLO_L_IMM_64, add = g->narrow ? PVM_OP_ADD_32 : PVM_OP_ADD_64;
    if (p->op != shl || p->imm < 1 || p->imm > 3 || q->op != PVM_OP_LOAD_IMM || q->block_start || r->block_start) return 0;
    unsigned x = p->a, y = p->b, t = q->a;
    if (r->op != add || t == x || t == y || !((r->a == x && r->b == t) || (r->a == t && r->b == x))) return 0;
    if (r->d != x && !dead_after(g, index + 2, x)) return 0;
    int32_t k = (int32_t)(uint32_t)q->imm;
    if (r->d != t && !dead_after(g, index + 2, t)) x64_mov_ri(&g->b, R(t), g->narrow ? (uint32_t)q->imm : q->imm);
    x64_lea(&g->b, !g->narrow, R(r->d), x64_idx(X64_NOBASE, R(y), 1 << p->imm, k));
    return 3;
}

/* A pure op p writing t, then right after it in the block q = OP d, t, u (OP an and, or,
 * xor or mul, either operand order; a sub with t as the minuend), d neither t nor u, u
 * not t, and t dead after q (dead_after): p is emitted with d as its destination and q as
 * d OP= u, one x86 instruction instead of q's mov + op (xorshift's `t = x >> k; y = t ^ x`,
 * products of a loaded or shifted value). t keeps its old value, which nothing sees; p's
 * code is any emitter's for its op with destination d (every emitter allows any aliasing
 * of destination and sources). Neither can fault. Not when q and a branch on d against 0
 * would fuse (emit_zero_branch saves as much). Returns 2, or 0. */
static uint32_t emit_into_consumer(cg *g, uint32_t index)
{
    const pvm_instr *p = &g->d->instrs[index], *q = p + 1; /* q: same block (jit_may_start_group) */
    pvm_op op = (pvm_op)q->op;
    if (!pvm_op_is_pure((pvm_op)p->op) || g->skip_index == index + 1) return 0;
    unsigned t = pvm_pure_dest(p), u;
    bool ordered = op == PVM_OP_SUB_64 || op == PVM_OP_SUB_32;
    if (q->a == t && q->b != t) u = q->b;
    else if (q->b == t && q->a != t && !ordered) u = q->a;
    else return 0;
    unsigned d = q->d;
    /* dead within the block (no hops across its end: the scan is the rule's cost at compile time) */
    if (d == t || d == u || index + 2 >= g->d->n_instrs || q[1].block_start || !overwritten_first(g, index + 2, t, 0)) return 0;
    if (starts_zero_branch(op) && index + 2 < g->d->n_instrs && !q[1].block_start &&
        (q[1].op == PVM_OP_BRANCH_EQ_IMM || q[1].op == PVM_OP_BRANCH_NE_IMM) && q[1].a == d)
        return 0;
    pvm_instr p2 = *p, q2 = *q;
    pvm_kind k = pvm_op_table[p->op].kind;
    if (k == PVM_KIND_REG3 || k == PVM_KIND_REG_REG) p2.d = (uint8_t)d; /* as pvm_pure_dest reads it */
    else p2.a = (uint8_t)d;
    q2.a = (uint8_t)d, q2.b = (uint8_t)u;
    emit_plain(g, index, &p2, (pvm_op)p->op); /* a pure op: what emit_one would call */
    emit_plain(g, index + 1, &q2, op);
    return 2;
}

/* A 64-bit program's shlo_l_imm_64 t, x, k (k = 1..3), one pure instruction m, then
 * add_64 t, t, b (or b, t), b not t: m reads not t and writes neither t nor x, so it
 * goes first and the shift and add are one lea t, [b + x << k] (b may be m's result:
 * the address of a stack array's element, `t = i << 3; b = sp + 40; t += b`, or a
 * table's base loaded between). Nothing can fault. Returns 3, or 0. */
static uint32_t emit_scaled_add_past(cg *g, uint32_t index)
{
    const pvm_instr *p = &g->d->instrs[index], *m = p + 1, *q = p + 2; /* q: an add_64 of p's block (jit_may_start_group) */
    unsigned t = p->a, x = p->b, k = (unsigned)p->imm & 63;
    int b = other_operand(q, t);
    if (g->narrow || k == 0 || k > 3 || b < 0 || q->d != t) return 0;
    if (!pvm_op_is_pure((pvm_op)m->op) || pure_reads(m, t) || pvm_pure_dest(m) == t || pvm_pure_dest(m) == x) return 0;
    emit_plain(g, index + 1, m, (pvm_op)m->op);
    x64_lea(&g->b, true, R(t), x64_idx(R(b), R(x), 1 << k, 0));
    return 3;
}

/* add_imm t, s, k, then set_lt_u_imm c, t, 1 (t == 0) or set_gt_u_imm c, t, 0 (t != 0)
 * right after, with c = t or t dead after it (a test of s against a constant, as compilers
 * write `s == K` through a subtraction): cmp s, -k; sete/setne c, without t's lea. An
 * add_imm_32 compares the low 32 bits (its result is 0 exactly when they are -k), an
 * add_imm_64 all 64 (-k must fit an imm32). Neither can fault. Returns 2, or 0. */
static uint32_t emit_zero_test(cg *g, uint32_t index)
{
    const pvm_instr *p = &g->d->instrs[index], *q = p + 1; /* q: same block (jit_may_start_group) */
    bool w = p->op == PVM_OP_ADD_IMM_64;
    unsigned t = p->a, c = q->a;
    uint64_t one = g->narrow ? (uint32_t)q->imm : q->imm;
    bool is_zero = q->op == PVM_OP_SET_LT_U_IMM && one == 1, non_zero = q->op == PVM_OP_SET_GT_U_IMM && one == 0;
    if ((!is_zero && !non_zero) || q->b != t || (w && (int64_t)p->imm == INT32_MIN)) return 0;
    if (c != t && !dead_after(g, index + 1, t)) return 0;
    int S = R(p->b);
    set_before_compare(g, R(c), c == p->b);
    if (p->imm == 0) x64_test_rr(&g->b, w, S, S);
    else x64_alu_ri(&g->b, w, ALU_CMP, S, (int32_t)(0u - (uint32_t)p->imm));
    set_after_compare(g, is_zero ? CC_E : CC_NE, R(c), c == p->b);
    return 2;
}

/* A 64-bit program's mul_upper_u_u h, a, b with mulx while rdx holds another guest
 * register y (none of h, a, b lives there), then add_64 y, y, h (or y, h, y): the
 * accumulation of a product's high half into y, what multi-word products do. y is
 * parked in rcx around the mulx; its restore and the add are one lea rdx, [rcx + h].
 * Neither can fault. Returns 2, or 0. */
static uint32_t emit_mul_upper_add(cg *g, uint32_t index)
{
    const pvm_instr *p = &g->d->instrs[index], *q = p + 1; /* q: same block (jit_may_start_group) */
    int H = R(p->d), A = R(p->a), B = R(p->b);
    if (g->narrow || !g->bmi2 || H == RDX || A == RDX || B == RDX || R(q->d) != RDX) return 0;
    if (!((R(q->a) == RDX && q->b == p->d) || (q->a == p->d && R(q->b) == RDX))) return 0;
    x64_buf *b = &g->b;
    x64_mov_rr(b, true, RCX, RDX);
    x64_mov_rr(b, true, RDX, A);
    x64_mulx(b, H, RDX, B); /* the low half into rdx, overwritten next */
    x64_lea(b, true, RDX, x64_idx(RCX, H, 1, 0));
    return 2;
}

static bool is_min_max(pvm_op op)
{
    return op == PVM_OP_MIN || op == PVM_OP_MIN_U || op == PVM_OP_MAX || op == PVM_OP_MAX_U;
}

/* The x86 condition under which min/max's first operand loses to its second (after cmp a, b). */
static int min_max_cc(pvm_op op)
{
    return op == PVM_OP_MAX ? CC_L : op == PVM_OP_MAX_U ? CC_B : op == PVM_OP_MIN ? CC_G : CC_A;
}

/* How far back (within the last 16 instructions of its block before index) r was last
 * written: 1 = by the instruction before, 0 = not found; *sext whether that writer's
 * result is a sign-extension of its low 32 bits (a _32 op, a load narrower than 8 bytes
 * that sign-extends or is narrower than 4, a compare's 0/1, such a constant). An op whose
 * writes the scan does not follow (a host call) ends it: 0, not sign-extended. */
static unsigned last_write(const cg *g, uint32_t index, unsigned r, bool *sext)
{
    const pvm_instr *ins = g->d->instrs;
    *sext = false;
    for (unsigned back = 1; back <= 16 && back <= index && !ins[index - back + 1].block_start; back++) {
        const pvm_instr *x = &ins[index - back];
        pvm_op op = (pvm_op)x->op;
        pvm_mem_access m = g->access[op];
        if (pvm_op_is_pure(op)) {
            if (pvm_pure_dest(x) != r) continue;
            *sext = pvm_op_is_32bit(op) || pvm_op_group_of(op) == PVM_GROUP_COMPARE ||
                    ((op == PVM_OP_LOAD_IMM || op == PVM_OP_LOAD_IMM_64) && x->imm == (uint64_t)(int64_t)(int32_t)x->imm);
            return back;
        }
        if (m.width) {
            if (m.is_store || x->a != r) continue;
            *sext = m.width < 4 || (m.width == 4 && m.is_signed);
            return back;
        }
        if (op != PVM_OP_UNLIKELY) return 0;
    }
    return 0;
}

/* D = the min/max (op) of L and rcx: cmp, then cmov of rcx where L loses. */
static void min_max_into(cg *g, pvm_op op, int D, int L)
{
    if (D != L) x64_mov_rr(&g->b, true, D, L);
    x64_alu_rr(&g->b, !g->narrow, ALU_CMP, D, RCX);
    x64_cmov(&g->b, true, min_max_cc(op), D, RCX);
}

/* rcx = the min/max (op) of O and Z. */
static void min_max_to_rcx(cg *g, pvm_op op, int O, int Z)
{
    x64_mov_rr(&g->b, true, RCX, O);
    x64_alu_rr(&g->b, !g->narrow, ALU_CMP, RCX, Z);
    x64_cmov(&g->b, true, min_max_cc(op), RCX, Z);
}

/* t = the min/max (op) of X and Y, in place where t is one of them. */
static void min_max_three(cg *g, pvm_op op, int T, int X, int Y)
{
    if (T == Y) Y = X, X = T; /* commutative */
    if (T != X) x64_mov_rr(&g->b, true, T, X);
    x64_alu_rr(&g->b, !g->narrow, ALU_CMP, T, Y);
    x64_cmov(&g->b, true, min_max_cc(op), T, Y);
}

/* Two min/max of the same kind in a row, the second taking the first's result:
 * op t, x, y; op d, t, z (or d, z, t), z not t. Both are associative and commutative, so
 * d = op(L, op(O, z)) where L is whichever of x and y was written last in the block and O
 * the other: the value computed latest (in a loop, the carried one: edit_distance's
 * min(min(prev + 1, up + 1), diag)) then passes one cmp + cmov instead of two, the other
 * pair being computed beside it into rcx. When d is t, t is overwritten; when it is not
 * (rv32 edit_distance: min_u t, s, t; min_u s, t, z, t read by nothing after but seen by a
 * fault of the store that follows), t is computed as well, off that path, after rcx and
 * before d; not when t is L (d would read L after t's write: still right, min and max being
 * idempotent, but through t's compare, so nothing is gained). Left alone when z was
 * written last (the order is already that) or nothing of the three was written in the
 * block. Pure ops: nothing can fault or exit between. Returns 2, or 0. */
static uint32_t emit_min_max_chain(cg *g, uint32_t index)
{
    const pvm_instr *p = &g->d->instrs[index], *q = p + 1; /* q: same block (jit_may_start_group) */
    unsigned t = p->d;
    int z = q->op == p->op ? other_operand(q, t) : -1;
    if (z < 0) return 0;
    bool sx, sy, sz;
    unsigned wx = last_write(g, index, p->a, &sx), wy = last_write(g, index, p->b, &sy), wz = last_write(g, index, z, &sz);
    unsigned late = wx && (!wy || wx < wy) ? p->a : wy ? p->b : 0, w_late = late == p->a ? wx : wy; /* smaller: later */
    if (!w_late || (wz && wz <= w_late)) return 0;
    bool keep_t = q->d != t;
    if (keep_t && late == t) return 0;
    pvm_op op = (pvm_op)p->op;
    min_max_to_rcx(g, op, R(late == p->a ? p->b : p->a), R(z));
    if (keep_t) min_max_three(g, op, R(t), R(p->a), R(p->b));
    min_max_into(g, op, R(q->d), R(late));
    return 2;
}

/* A 64-bit program's add_imm_32 t, s, k whose result enters a chain of two min/max
 * (emit_min_max_chain's shape: op d, t, y (or y, t); op d, d, z (or z, d)), y not t, z
 * neither t nor d, both sign-extensions of their low 32 bits by what last wrote them
 * in the block (last_write): rcx = op(y, z) first, then lea t32, [s + k]; cmp t32, ecx;
 * movsxd t, t32; cmov d, rcx. Sign-extended values compare over 32 bits as over 64
 * (signed and unsigned alike), so the movsxd leaves the path from s to d: lea, cmp, cmov
 * (edit_distance's loop-carried value, 3 cycles an iteration from 6). The instructions
 * after those writers up to the add have no entry (cg_mark_no_entry: a run the host starts
 * or resumes there, with registers of its choice, goes to the interpreter). Pure ops:
 * nothing can fault between. Returns 3, or 0. */
static uint32_t emit_add_into_min_max(cg *g, uint32_t index)
{
    const pvm_instr *p = &g->d->instrs[index], *q = p + 1, *r = p + 2; /* q: same block (jit_may_start_group) */
    if (g->narrow || index + 2 >= g->d->n_instrs || r->block_start || r->op != q->op) return 0;
    unsigned t = p->a, d = q->d;
    int y = other_operand(q, t), z = r->d == d ? other_operand(r, d) : -1;
    if (y < 0 || z < 0 || (unsigned)z == t) return 0; /* y and z are read into rcx before t is written, d is written last */
    bool sy, sz;
    unsigned wy = last_write(g, index, y, &sy), wz = last_write(g, index, z, &sz);
    if (!sy || !sz) return 0;
    /* what wrote y and z is a fact only for runs that pass it: no entry after it up to here */
    for (uint32_t i = index + 1 - (wy > wz ? wy : wz); i <= index; i++) cg_mark_no_entry(g, i);
    pvm_op op = (pvm_op)q->op;
    int T = R(t), D = R(d);
    min_max_to_rcx(g, op, R(y), R(z));
    x64_lea(&g->b, false, T, x64_at(R(p->b), (int32_t)(uint32_t)p->imm));
    x64_alu_rr(&g->b, false, ALU_CMP, T, RCX);
    x64_movsxd(&g->b, T, T);
    if (D != T) x64_mov_rr(&g->b, true, D, T);
    x64_cmov(&g->b, true, min_max_cc(op), D, RCX);
    return 3;
}

/* An add_imm d, d, k in place, then up to four loads, stores and ops whose code keeps the
 * flags (keeps_flags), none writing d, then branch_eq_imm/branch_ne_imm d, 0 ending the
 * block (a loop counting down: state_machine's `if (--left == 0)` past the store of a
 * counter): add d, k sets ZF as the branch's test would (over 32 bits for an add_imm_32,
 * whose result is zero exactly when its low half is; the movsxd after it keeps the flags),
 * so the branch is a jcc alone (g->zf_branch; those between are emitted by themselves,
 * starting no fused group, whose code might set the flags). A fault between is that
 * instruction's own (the add is done, as in the interpreter); the instructions after the
 * add up to the branch have no entry (cg_mark_no_entry: the flags would not be there).
 * Returns 1 (the add), or 0. */
static uint32_t emit_count_branch(cg *g, uint32_t index)
{
    const pvm_instr *p = &g->d->instrs[index];
    unsigned d = p->a;
    bool w = p->op == PVM_OP_ADD_IMM_64;
    if (p->b != d || (w && !x64_fits_s32(p->imm))) return 0;
    const pvm_block *bl = &g->d->blocks[p->block]; /* its terminator, without a walk to it */
    uint32_t j = bl->first + bl->count - 1;
    if ((bl->term_op != PVM_OP_BRANCH_EQ_IMM && bl->term_op != PVM_OP_BRANCH_NE_IMM) || j > index + 5) return 0;
    if (g->d->instrs[j].a != d || (g->narrow ? (uint32_t)g->d->instrs[j].imm : g->d->instrs[j].imm) != 0) return 0;
    for (uint32_t i = index + 1; i < j; i++) {
        const pvm_instr *x = &g->d->instrs[i];
        pvm_mem_access acc = g->access[x->op];
        if (acc.width ? !acc.is_store && x->a == d : !keeps_flags(x) || pvm_pure_dest(x) == d) return 0;
    }
    x64_alu_ri(&g->b, w, ALU_ADD, R(d), (int32_t)(uint32_t)p->imm);
    if (!w && !g->narrow) x64_movsxd(&g->b, R(d), R(d));
    for (uint32_t i = index + 1; i <= j; i++) cg_mark_no_entry(g, i);
    g->zf_branch = j;
    return 1;
}

/* The condition of a two-register branch with its operands swapped (b op a). */
static int swapped_cc(int cc)
{
    switch (cc) {
    case CC_B: return CC_A;
    case CC_A: return CC_B;
    case CC_AE: return CC_BE;
    case CC_BE: return CC_AE;
    case CC_L: return CC_G;
    case CC_G: return CC_L;
    case CC_GE: return CC_LE;
    case CC_LE: return CC_GE;
    default: return cc; /* e, ne */
    }
}

/* load_imm t, K, then a two-register branch ending the block on t and another register x,
 * with t dead on both successors (their entries cannot stop the run, and each overwrites t
 * first, within a few blocks): cmp x, K and the jcc, t never written (RISC-V code has no
 * compare with an immediate but against 0, so `x < 10` is li + bltu: state_machine's
 * character classes). A branch to no block (a panic that shows t) is left alone. Neither
 * can fault. Returns 2, or 0. */
static uint32_t emit_const_branch(cg *g, uint32_t index)
{
    const pvm_instr *p = &g->d->instrs[index], *q = p + 1; /* q: a branch of p's block (jit_may_start_group) */
    unsigned t = p->a;
    int x = pvm_op_table[q->op].kind == PVM_KIND_REG_REG_OFF ? other_operand(q, t) : -1;
    if (x < 0) return 0;
    if (!dead_on_successors(g, index + 1, t, 2)) return 0; /* the branch reads t: this rule drops that read */
    uint64_t k = g->narrow ? (uint64_t)(int64_t)(int32_t)(uint32_t)p->imm : p->imm; /* a 32-bit compare reads the low half */
    if (!x64_fits_s32(k)) return 0;
    int cc = branch_cc((pvm_op)q->op);
    emit_cmp(g, R(x), true, k, 0);
    cg_jump_to(g, q->a == t ? swapped_cc(cc) : cc, q->target, index + 1);
    return 2;
}

/* The groups of the rules emit_more_grouped tries (a consumer taking a result, a scaled
 * add past one op, a test against a constant), for an op that may start one; 0 if none. */
static uint32_t emit_also(cg *g, uint32_t index, pvm_op op)
{
    if (index + 1 >= g->d->n_instrs || g->d->instrs[index + 1].block_start) return 0;
    const pvm_instr *q = &g->d->instrs[index + 1];
    if (retargets_into(q)) {
        uint32_t fused = emit_into_consumer(g, index);
        if (fused) return fused;
    }
    if (is_min_max(op)) return emit_min_max_chain(g, index);
    if (op == PVM_OP_ADD_IMM_32 && is_min_max((pvm_op)q->op)) return emit_add_into_min_max(g, index);
    if (op == PVM_OP_ADD_IMM_64 || op == PVM_OP_ADD_IMM_32) {
        uint32_t fused = emit_count_branch(g, index);
        return fused ? fused : emit_zero_test(g, index);
    }
    if (op == PVM_OP_MUL_UPPER_U_U && q->op == PVM_OP_ADD_64) return emit_mul_upper_add(g, index);
    if (op == PVM_OP_LOAD_IMM && pvm_op_is_branch((pvm_op)q->op)) return emit_const_branch(g, index);
    if (op == PVM_OP_SHLO_L_IMM_64 && index + 2 < g->d->n_instrs && !q[1].block_start && q[1].op == PVM_OP_ADD_64)
        return emit_scaled_add_past(g, index);
    return 0;
}

/* The groups start with different ops: only the one this op can start is tried
 * (each returns 0 for the others; the calls cost more than the tests). Not
 * inlined into cg_emit_instr: most instructions start no group (jit_may_start_group)
 * and then reach emit_one without this function's prologue (it saves six registers). */
static __attribute__((noinline)) uint32_t emit_grouped(cg *g, uint32_t index, pvm_op op)
{
    if (index < g->zf_branch) return emit_one(g, index); /* keeps the flags: emit_count_branch */
    uint32_t fused = 0;
    switch (op) { /* one jump for the first try (a chain of compares before) */
    case PVM_OP_ROT_R_32_IMM: fused = emit_xor_of_rotations(g, index); break;
    case PVM_OP_SET_LT_U: case PVM_OP_SET_LT_U_IMM: fused = emit_compare_mask(g, index); break;
    ZERO_BRANCH_OPS: fused = emit_zero_branch(g, index); break;
    case PVM_OP_MUL_UPPER_U_U: fused = (fused = emit_mul_accumulate(g, index)) ? fused : emit_mul_halves(g, index); break;
    case PVM_OP_LOAD_IMM: fused = (fused = emit_constant_add(g, index)) ? fused : emit_constant_mul(g, index); break;
    case PVM_OP_SUB_32: case PVM_OP_SUB_64: break; /* a sub: emit_equality */
    default: fused = emit_fused_group(g, index);
    }
    if (!fused && op == PVM_OP_ADD_IMM_64 && g->d->instrs[index + 1].op == PVM_OP_SHLO_L_IMM_64)
        fused = emit_element_load_after_add(g, index);
    if (!fused && starts_equality(op)) fused = emit_equality(g, index);
    if (!fused && op == PVM_OP_SHLO_L_IMM_32) fused = emit_bit_field(g, index);
    if (!fused && (op == PVM_OP_SHLO_L_IMM_32 || op == PVM_OP_SHLO_L_IMM_64)) fused = emit_mul_const(g, index);
    if (!fused && (op == PVM_OP_SHLO_L_IMM_32 || op == PVM_OP_SHLO_L_IMM_64)) fused = emit_scaled_constant_add(g, index);
    if (!fused && jit_also_after_grouped(op))
        fused = emit_also(g, index, op); /* the groups of emit_more_grouped these can start after one of these */
    return fused ? fused : emit_one(g, index);
}

/* The groups of 64-bit programs' rules that no group of emit_grouped starts with the same
 * two ops (jit_may_start_group says which): a consumer taking a result, a scaled add past one
 * op, a test against a constant by an add_imm. Not in emit_grouped, whose chain of tests
 * the instructions they start would otherwise run through. */
static __attribute__((noinline)) uint32_t emit_more_grouped(cg *g, uint32_t index, pvm_op op)
{
    if (index < g->zf_branch) return emit_one(g, index); /* keeps the flags: emit_count_branch */
    uint32_t fused = emit_also(g, index, op);
    return fused ? fused : emit_one(g, index);
}

static __attribute__((noinline)) void emit_memory_one(cg *g, const pvm_instr *ins);
static __attribute__((noinline)) void emit_branch_one(cg *g, uint32_t index, const pvm_instr *ins, pvm_op op);

/* The code of the guest instruction ins at index (of d), or of it and the next ones
 * of its block fused into one sequence; returns how many it covered. */
static inline __attribute__((always_inline)) uint32_t cg_emit_instr(cg *g, uint32_t index, const pvm_instr *ins,
                                                                  const pvm_decoded *d)
{
    pvm_op op = (pvm_op)ins->op;
    unsigned route = g->route[op]; /* one read decides emit_one's way too */
    if (route >= JIT_ROUTE_ALWAYS) {
        int group = jit_may_start_group(g->group_next, route, ins, index, d);
        if (__builtin_expect(group == 0, 1)) { /* tested first: the commonest */
            emit_plain(g, index, ins, op); /* a start op is no load, store or branch (group_starts.c) */
            return 1;
        }
        return group == 1 ? emit_grouped(g, index, op) : emit_more_grouped(g, index, op);
    }
    /* these three cover 1: said here, so that the caller's loop need not test what they return */
    if (route == JIT_ROUTE_MEMORY) emit_memory_one(g, ins);
    else if (route == JIT_ROUTE_BRANCH) emit_branch_one(g, index, ins, op);
    else if (index == g->skip_index && index) g->skip_index = 0; /* a mul_32 computed by emit_mul_halves: tested
                                                                 * only here, mul_32 starting no group (group_starts.c) */
    else emit_plain(g, index, ins, op);
    return 1;
}

/* The code of the instruction at index on its own (no fusion with the next ones): covers 1. */
static void emit_other(cg *g, uint32_t index, const pvm_instr *ins, pvm_op op);
static void emit_plain(cg *g, uint32_t index, const pvm_instr *ins, pvm_op op);

/* A load or store, or a compare and branch: the commonest instructions, in
 * functions of their own so that emit_one saves no registers on their way
 * (emit_other's prologue saves six). */
static __attribute__((noinline)) void emit_memory_one(cg *g, const pvm_instr *ins)
{
    uint32_t e = g->mem_enc[ins->op];
    if (e) /* as emit_memory's gs:[] case */
        emit_gs_access(&g->b, e, R(ins->a), e & ENC_BASE_B ? R(ins->b) : -1, (int32_t)(uint32_t)ins->imm);
    else
        emit_memory(g, ins);
}

/* The value the one op of a selected block (emit_select) writes, computed into rcx without
 * touching the flags' inputs or any guest register; returns the host register holding it
 * (rcx, or a move_reg's source), or -1 for an op this does not take. */
static int select_value(cg *g, const pvm_instr *q, unsigned *dest)
{
    x64_buf *b = &g->b;
    bool wide = !g->narrow;
    switch (q->op) {
    case PVM_OP_MOVE_REG: *dest = q->d; return R(q->a);
    case PVM_OP_LOAD_IMM:
        *dest = q->a;
        x64_mov_ri(b, RCX, g->narrow ? (uint32_t)q->imm : q->imm);
        return RCX;
    case PVM_OP_ADD_IMM_32: case PVM_OP_ADD_IMM_64: {
        bool w = q->op == PVM_OP_ADD_IMM_64;
        if (w && !x64_fits_s32(q->imm)) return -1;
        *dest = q->a;
        x64_lea(b, w, RCX, x64_at(R(q->b), (int32_t)(uint32_t)q->imm));
        if (!w && wide) x64_movsxd(b, RCX, RCX);
        return RCX;
    }
    case PVM_OP_AND_IMM: case PVM_OP_OR_IMM: case PVM_OP_XOR_IMM:
        if (wide && !x64_fits_s32(q->imm)) return -1;
        *dest = q->a;
        x64_mov_rr(b, wide, RCX, R(q->b));
        x64_alu_ri(b, wide, q->op == PVM_OP_AND_IMM ? ALU_AND : q->op == PVM_OP_OR_IMM ? ALU_OR : ALU_XOR, RCX,
                   (int32_t)(uint32_t)q->imm);
        return RCX;
    case PVM_OP_ADD_32: case PVM_OP_SUB_32: case PVM_OP_ADD_64: case PVM_OP_SUB_64: case PVM_OP_AND: case PVM_OP_OR:
    case PVM_OP_XOR: {
        bool w32 = q->op == PVM_OP_ADD_32 || q->op == PVM_OP_SUB_32, w = wide && !w32;
        int alu = q->op == PVM_OP_ADD_32 || q->op == PVM_OP_ADD_64 ? ALU_ADD
                : q->op == PVM_OP_SUB_32 || q->op == PVM_OP_SUB_64 ? ALU_SUB
                : q->op == PVM_OP_AND ? ALU_AND : q->op == PVM_OP_OR ? ALU_OR : ALU_XOR;
        *dest = q->d;
        x64_mov_rr(b, w, RCX, R(q->a));
        x64_alu_rr(b, w, alu, RCX, R(q->b));
        if (w32 && wide) x64_movsxd(b, RCX, RCX);
        return RCX;
    }
    default: return -1;
    }
}

/* If-conversion: a two-way branch whose fall-through block is one pure op and a jump (or a
 * fall-through) to the branch's own target, `if (!c) d = op(...)` (sort_search's binary
 * search: `branch_ge_u; sub_32; jump`, taken half the time) → the op's value in rcx (or a
 * move_reg's source), the compare, `cmov` into d on the branch's negated condition, and a
 * jump to the target: no branch left to mispredict. Nothing between can fault or exit. With
 * gas (the counter in a register), the op's block is charged the same way (`lea rcx, [gas -
 * cost]; cmov`, deferred charges too); if its entry has a check (gas_checks.c), a guard first (`cmp gas, cost; jl`,
 * all but never taken: the counter is never negative in generated code) goes, when the charge
 * could fail the check, to the branch as it was (`cmp; jcc`, then the op's block, which comes
 * next, with its check), so an out-of-gas exit there shows what it showed. The op's block
 * keeps its own code (other jumps may lead there). Returns 1, or 0 where the shape or the
 * conditions do not hold (nothing emitted). */
static __attribute__((noinline)) uint32_t emit_select(cg *g, uint32_t index, const pvm_instr *ins, pvm_op op)
{
    uint32_t t = ins->target;
    const pvm_instr *q = ins + 1;
    bool with_imm = pvm_op_table[op].kind == PVM_KIND_REG_IMM_OFF;
    if (with_imm && !x64_fits_s32(ins->imm)) return 0; /* emit_cmp would need rcx */
    uint32_t cost = 0;
    bool guard = false;
    if (g->gas != PVM_GAS_NONE) {
        cost = g->m->block_cost[q->block];
        if (g->gas_reg < 0 || cost > INT32_MAX) return 0;
        guard = !g->unchecked || g->unchecked[q->block] != JIT_GAS_UNCHECKED;
        /* Deferred charges (gas_checks.c): the fall-through into the op block pays pay[q], its
         * entry charges charge[q], and the way on to the target (a fall-through paying what the
         * op block owes beyond the target's due, or a jump owing exactly that) leaves the counter
         * as the branch's taken edge does, one block's cost less: both edges reach the target
         * owing its one owed_in, which the branch's block also owes. So the cmov charges the
         * cost either way. A checked op block's check would compare with pay + charge instead
         * of the cost: no guest has one that owes (checked blocks are loop heads and joins), so
         * that case keeps its branch. */
        if (guard && g->gas_charge && (g->gas_charge[q->block] != cost || g->gas_pay[q->block])) return 0;
    }
    size_t mark = g->b.len, slow = 0;
    if (guard) {
        x64_alu_ri(&g->b, true, ALU_CMP, g->gas_reg, (int32_t)cost);
        slow = x64_jcc8(&g->b, CC_L);
    }
    unsigned dest;
    int v = select_value(g, q, &dest);
    if (v < 0) {
        g->b.len = mark;
        return 0;
    }
    int cc = branch_cc(op), keep = cc ^ 1; /* the op's block runs where the branch is not taken */
    emit_cmp(g, R(ins->a), with_imm, ins->imm, R(ins->b));
    x64_cmov(&g->b, true, keep, R(dest), v);
    if (cost) {
        x64_lea(&g->b, true, RCX, x64_at(g->gas_reg, -(int32_t)cost));
        x64_cmov(&g->b, true, keep, g->gas_reg, RCX);
    }
    cg_jump_to(g, -1, t, index);
    if (guard) { /* the branch as emit_branch_one emits it; the op's block follows */
        x64_patch8_here(&g->b, slow);
        emit_cmp(g, R(ins->a), with_imm, ins->imm, R(ins->b));
        cg_jump_to(g, cc, t, index);
        if (index + 1 >= g->end) cg_jump_to(g, -1, index + 1, index); /* the op's block starts the next chunk */
    }
    return 1;
}

/* Whether the branch ins at index has emit_select's shape: the next block is one op and a jump to
 * the branch's target, or a fall-through into it (the jump or fall-through, a terminator that is
 * no block start, ends the op's block). Read for every branch: only the two instructions after it. */
static inline bool select_shape(const cg *g, uint32_t index, const pvm_instr *ins)
{
    uint32_t t = ins->target;
    if (t == PVM_NO_INDEX || index + 2 >= g->d->n_instrs || t == index + 1) return false;
    const pvm_instr *j = ins + 2;
    return !j->block_start && ((j->op == PVM_OP_JUMP && j->target == t) || (j->op == PVM_OP_FALLTHROUGH && t == index + 3));
}

static __attribute__((noinline)) void emit_branch_one(cg *g, uint32_t index, const pvm_instr *ins, pvm_op op)
{
    /* (not in an unrolled copy: its branch back must leave by cg_jump_to's exit) */
    if ((index != g->zf_branch || !index) && !g->copy_refund && !g->no_select && select_shape(g, index, ins) &&
        emit_select(g, index, ins, op))
        return;
    if (index != g->zf_branch || !index) emit_cmp(g, R(ins->a), pvm_op_table[op].kind == PVM_KIND_REG_IMM_OFF, ins->imm, R(ins->b));
    cg_jump_to(g, branch_cc(op), ins->target, index); /* the next block follows */
}

/* set_lt_u on its own: a function, so that emit_plain's cases are all calls it ends
 * with (no registers saved in its prologue). */
static __attribute__((noinline)) void emit_set_lt_u(cg *g, const pvm_instr *ins)
{
    emit_cmp_set(g, CC_B, R(ins->d), R(ins->a), false, 0, R(ins->b));
}

/* A product into a third register, d = a * b, where the last write of b (or a) in the block
 * before it is a load_imm of K (a constant kept in a register: field25519's reductions by 19
 * reuse one for several products) → `imul d, a, K` instead of `mov d, a; imul d, b`. The
 * constant is a fact only for runs that passed its load_imm: the instructions after it up to
 * the product have no entry (cg_mark_no_entry: a run the host starts or resumes there, with
 * registers of its choice, goes to the interpreter). Returns whether it emitted. */
static __attribute__((noinline)) bool emit_mul_by_known(cg *g, uint32_t index, const pvm_instr *ins, bool w)
{
    for (int side = 0; side < 2; side++) {
        unsigned k = side ? ins->a : ins->b, x = side ? ins->b : ins->a;
        bool sext;
        unsigned back = last_write(g, index, k, &sext);
        const pvm_instr *wr = back ? &g->d->instrs[index - back] : NULL;
        if (!wr || (wr->op != PVM_OP_LOAD_IMM && wr->op != PVM_OP_LOAD_IMM_64)) continue;
        uint64_t v = g->narrow ? (uint64_t)(int64_t)(int32_t)(uint32_t)wr->imm : wr->imm;
        if (w && !x64_fits_s32(v)) continue; /* a 32-bit product reads the low half only */
        for (uint32_t i = index + 1 - back; i <= index; i++) cg_mark_no_entry(g, i);
        x64_imul_rri(&g->b, w, R(ins->d), R(x), (int32_t)(uint32_t)v);
        if (!w && !g->narrow) x64_movsxd(&g->b, R(ins->d), R(ins->d));
        return true;
    }
    return false;
}

/* mul_64 (w) or mul_32 on its own: by a known constant (emit_mul_by_known), else imul. A
 * function, as emit_set_lt_u. */
static __attribute__((noinline)) void emit_mul_rr(cg *g, uint32_t index, const pvm_instr *ins, bool w)
{
    if (ins->d != ins->a && ins->d != ins->b && emit_mul_by_known(g, index, ins, w)) return;
    emit_r3(g, ins, w, ALU_IMUL, true);
}

/* The commonest of the other ops (those of the large guests, whose code is one
 * call that needs no operands computed here), without emit_other's prologue and
 * operands; each as emit_other's case for it. */
static __attribute__((noinline)) void emit_plain(cg *g, uint32_t index, const pvm_instr *ins, pvm_op op)
{
    switch (op) {
    case PVM_OP_ADD_IMM_32: case PVM_OP_LOAD_IMM: case PVM_OP_LOAD_IMM_64: case PVM_OP_MOVE_REG: /* keeps_flags */
        emit_keeping_flags(g, ins);
        return;
    case PVM_OP_ADD_32: emit_add3(g, ins, false); return;
    case PVM_OP_ADD_64: emit_add3(g, ins, true); return;
    case PVM_OP_SUB_64: emit_r3(g, ins, true, ALU_SUB, false); return;
    case PVM_OP_MUL_64: emit_mul_rr(g, index, ins, true); return;
    case PVM_OP_AND: emit_r3(g, ins, !g->narrow, ALU_AND, true); return;
    case PVM_OP_XOR: emit_r3(g, ins, !g->narrow, ALU_XOR, true); return;
    case PVM_OP_OR: emit_r3(g, ins, !g->narrow, ALU_OR, true); return;
    case PVM_OP_SHLO_L_IMM_64: emit_shift_left_64(g, ins); return;
    case PVM_OP_SHLO_R_IMM_64: emit_shift_rri(g, ins, true, SH_SHR, false); return;
    case PVM_OP_ROT_R_64_IMM: emit_shift_rri(g, ins, true, SH_ROR, false); return;
    case PVM_OP_ADD_IMM_64: /* a lea (keeps_flags); an immediate beyond 32 bits: emit_other */
        if (!x64_fits_s32(ins->imm)) {
            emit_other(g, index, ins, op);
            return;
        }
        emit_keeping_flags(g, ins);
        return;
    case PVM_OP_SHAR_R_IMM_64: emit_shift_rri(g, ins, true, SH_SAR, false); return;
    case PVM_OP_SUB_32: emit_r3(g, ins, false, ALU_SUB, false); return;
    case PVM_OP_MUL_32: emit_mul_rr(g, index, ins, false); return;
    case PVM_OP_SHLO_R_IMM_32: emit_shift_rri(g, ins, false, SH_SHR, false); return;
    case PVM_OP_SHAR_R_IMM_32: emit_shift_rri(g, ins, false, SH_SAR, false); return;
    case PVM_OP_AND_IMM: emit_rri(g, ins, !g->narrow, ALU_AND); return;
    case PVM_OP_XOR_IMM: emit_rri(g, ins, !g->narrow, ALU_XOR); return;
    case PVM_OP_OR_IMM: emit_rri(g, ins, !g->narrow, ALU_OR); return;
    case PVM_OP_SET_LT_U: emit_set_lt_u(g, ins); return;
    case PVM_OP_JUMP: cg_jump_to(g, -1, ins->target, index); return;
    case PVM_OP_FALLTHROUGH: case PVM_OP_UNLIKELY: return;
    default: emit_other(g, index, ins, op); return;
    }
}

static uint32_t emit_one(cg *g, uint32_t index)
{
    const pvm_instr *ins = &g->d->instrs[index];
    pvm_op op = (pvm_op)ins->op;
    if (g->access[op].width) emit_memory_one(g, ins);
    else if (pvm_op_is_branch(op)) emit_branch_one(g, index, ins, op);
    else emit_plain(g, index, ins, op);
    return 1;
}

/* The ops emit_plain leaves (the operands and widths computed here: the cases before need none of them). */
static __attribute__((noinline)) void emit_other(cg *g, uint32_t index, const pvm_instr *ins, pvm_op op)
{
    x64_buf *b = &g->b;
    bool is64 = g->d->is_64bit;
    bool W = !g->narrow; /* width of the ops both ISAs have: full registers, or 32 bits in a narrow program */
    uint64_t imm = g->narrow ? (uint32_t)ins->imm : ins->imm; /* an immediate as a register value */
    int A = R(ins->a), B = R(ins->b), D = R(ins->d);
    switch (op) { /* (the ops emit_plain handles do not come here) */
    case PVM_OP_TRAP: case PVM_OP_INVALID: cg_exit_now(g, PVM_EXIT_PANIC, index); break;
    case PVM_OP_MEMSET: emit_helper_call(g, index, (void *)pvm_jit_helper_memset, true); break;
    case PVM_OP_ECALLI: cg_exit_now(g, PVM_EXIT_ECALLI, index); break;
    case PVM_OP_LOAD_IMM_JUMP:
        x64_mov_ri(b, A, imm);
        cg_jump_to(g, -1, ins->target, index);
        break;
    case PVM_OP_JUMP_IND:
        emit_jump_address(g, A, (uint32_t)ins->imm);
        emit_dynamic_jump(g, index);
        break;
    case PVM_OP_LOAD_IMM_JUMP_IND: /* the target reads b before a is written */
        emit_jump_address(g, B, (uint32_t)ins->imm2);
        x64_mov_ri(b, A, imm);
        emit_dynamic_jump(g, index);
        break;
    case PVM_OP_SBRK: emit_helper_call(g, index, (void *)pvm_jit_helper_sbrk, g->narrow); break;
    case PVM_OP_COUNT_SET_BITS_64: x64_op_rr(b, 0xF3, X64_W, 0x0FB8, D, A); break;
    case PVM_OP_COUNT_SET_BITS_32: x64_op_rr(b, 0xF3, 0, 0x0FB8, D, A); break;
    case PVM_OP_LEADING_ZERO_BITS_64: emit_bit_count(g, ins, true, true); break;
    case PVM_OP_LEADING_ZERO_BITS_32: emit_bit_count(g, ins, false, true); break;
    case PVM_OP_TRAILING_ZERO_BITS_64: emit_bit_count(g, ins, true, false); break;
    case PVM_OP_TRAILING_ZERO_BITS_32: emit_bit_count(g, ins, false, false); break;
    case PVM_OP_SIGN_EXTEND_8: x64_op_rr(b, 0, (W ? X64_W : 0) | X64_BYTE, 0x0FBE, D, A); break;
    case PVM_OP_SIGN_EXTEND_16: x64_op_rr(b, 0, W ? X64_W : 0, 0x0FBF, D, A); break;
    case PVM_OP_ZERO_EXTEND_16: x64_op_rr(b, 0, 0, 0x0FB7, D, A); break;
    case PVM_OP_REVERSE_BYTES:
        if (D != A || !is64) x64_mov_rr(b, is64, D, A);
        x64_bswap(b, is64, D);
        if (!is64 && !g->narrow) x64_movsxd(b, D, D);
        break;
    case PVM_OP_ADD_IMM_64: /* a lea (keeps_flags), or an immediate beyond 32 bits */
        if (x64_fits_s32(ins->imm)) emit_keeping_flags(g, ins);
        else emit_rri(g, ins, true, ALU_ADD);
        break;
    case PVM_OP_MUL_IMM_32: emit_rri(g, ins, false, ALU_IMUL); break;
    case PVM_OP_MUL_IMM_64: emit_rri(g, ins, true, ALU_IMUL); break;
    case PVM_OP_SET_LT_U_IMM: emit_cmp_set(g, CC_B, A, B, true, ins->imm, 0); break;
    case PVM_OP_SET_LT_S_IMM: emit_cmp_set(g, CC_L, A, B, true, ins->imm, 0); break;
    case PVM_OP_SET_GT_U_IMM: emit_cmp_set(g, CC_A, A, B, true, ins->imm, 0); break;
    case PVM_OP_SET_GT_S_IMM: emit_cmp_set(g, CC_G, A, B, true, ins->imm, 0); break;
    case PVM_OP_SHLO_L_IMM_32:
        if (g->narrow && A != B && (ins->imm & 31) >= 1 && (ins->imm & 31) <= 3) /* a scaled index: one lea for mov + shl */
            x64_lea(b, false, A, (ins->imm & 31) == 1 ? x64_idx(B, B, 1, 0) : x64_idx(X64_NOBASE, B, 1 << (ins->imm & 31), 0));
        else emit_shift_rri(g, ins, false, SH_SHL, false);
        break;
    case PVM_OP_SHLO_L_IMM_ALT_32: emit_shift_rri(g, ins, false, SH_SHL, true); break;
    case PVM_OP_SHLO_R_IMM_ALT_32: emit_shift_rri(g, ins, false, SH_SHR, true); break;
    case PVM_OP_SHAR_R_IMM_ALT_32: emit_shift_rri(g, ins, false, SH_SAR, true); break;
    case PVM_OP_SHLO_L_IMM_ALT_64: emit_shift_rri(g, ins, true, SH_SHL, true); break;
    case PVM_OP_SHLO_R_IMM_ALT_64: emit_shift_rri(g, ins, true, SH_SHR, true); break;
    case PVM_OP_SHAR_R_IMM_ALT_64: emit_shift_rri(g, ins, true, SH_SAR, true); break;
    case PVM_OP_ROT_R_64_IMM: emit_shift_rri(g, ins, true, SH_ROR, false); break;
    case PVM_OP_ROT_R_64_IMM_ALT: emit_shift_rri(g, ins, true, SH_ROR, true); break;
    case PVM_OP_ROT_R_32_IMM: emit_shift_rri(g, ins, false, SH_ROR, false); break;
    case PVM_OP_ROT_R_32_IMM_ALT: emit_shift_rri(g, ins, false, SH_ROR, true); break;
    case PVM_OP_NEG_ADD_IMM_32: case PVM_OP_NEG_ADD_IMM_64: {
        bool w = op == PVM_OP_NEG_ADD_IMM_64;
        if (A == B && (w ? x64_fits_s32(ins->imm) : g->narrow)) { /* a = -a + imm (narrow: 32 bits, zero-extended) */
            x64_unary(b, w, U_NEG, A);
            if ((w ? ins->imm : (uint32_t)ins->imm) != 0) x64_alu_ri(b, w, ALU_ADD, A, (int32_t)ins->imm);
            break;
        }
        if ((w || g->narrow) && A != B) { /* a = imm - b */
            x64_mov_ri(b, A, w ? ins->imm : (uint32_t)ins->imm);
            x64_alu_rr(b, w, ALU_SUB, A, B);
            break;
        }
        x64_mov_ri(b, RCX, ins->imm);
        x64_alu_rr(b, w, ALU_SUB, RCX, B);
        if (w || g->narrow) x64_mov_rr(b, w, A, RCX);
        else x64_movsxd(b, A, RCX);
        break;
    }
    case PVM_OP_CMOV_IZ_IMM: case PVM_OP_CMOV_NZ_IMM:
        x64_mov_ri(b, RCX, imm);
        x64_test_rr(b, W, B, B);
        x64_cmov(b, true, op == PVM_OP_CMOV_IZ_IMM ? CC_E : CC_NE, A, RCX);
        break;
    case PVM_OP_DIV_U_32: emit_divrem(g, ins, false, false, false); break;
    case PVM_OP_DIV_S_32: emit_divrem(g, ins, false, true, false); break;
    case PVM_OP_REM_U_32: emit_divrem(g, ins, false, false, true); break;
    case PVM_OP_REM_S_32: emit_divrem(g, ins, false, true, true); break;
    case PVM_OP_DIV_U_64: emit_divrem(g, ins, true, false, false); break;
    case PVM_OP_DIV_S_64: emit_divrem(g, ins, true, true, false); break;
    case PVM_OP_REM_U_64: emit_divrem(g, ins, true, false, true); break;
    case PVM_OP_REM_S_64: emit_divrem(g, ins, true, true, true); break;
    case PVM_OP_SHLO_L_32: emit_shift_r3(g, ins, false, SH_SHL); break;
    case PVM_OP_SHLO_R_32: emit_shift_r3(g, ins, false, SH_SHR); break;
    case PVM_OP_SHAR_R_32: emit_shift_r3(g, ins, false, SH_SAR); break;
    case PVM_OP_SHLO_L_64: emit_shift_r3(g, ins, true, SH_SHL); break;
    case PVM_OP_SHLO_R_64: emit_shift_r3(g, ins, true, SH_SHR); break;
    case PVM_OP_SHAR_R_64: emit_shift_r3(g, ins, true, SH_SAR); break;
    case PVM_OP_ROT_L_64: emit_shift_r3(g, ins, true, SH_ROL); break;
    case PVM_OP_ROT_L_32: emit_shift_r3(g, ins, false, SH_ROL); break;
    case PVM_OP_ROT_R_64: emit_shift_r3(g, ins, true, SH_ROR); break;
    case PVM_OP_ROT_R_32: emit_shift_r3(g, ins, false, SH_ROR); break;
    case PVM_OP_MUL_UPPER_S_S: emit_mul_upper(g, ins, MULH_SS); break;
    case PVM_OP_MUL_UPPER_U_U: emit_mul_upper(g, ins, MULH_UU); break;
    case PVM_OP_MUL_UPPER_S_U: emit_mul_upper(g, ins, MULH_SU); break;
    case PVM_OP_SET_LT_S: emit_cmp_set(g, CC_L, D, A, false, 0, B); break;
    case PVM_OP_CMOV_IZ: case PVM_OP_CMOV_NZ:
        x64_test_rr(b, W, B, B);
        x64_cmov(b, true, op == PVM_OP_CMOV_IZ ? CC_E : CC_NE, D, A);
        break;
    case PVM_OP_AND_INV: case PVM_OP_OR_INV:
        if (op == PVM_OP_AND_INV && g->bmi1) { /* a & ~b */
            x64_andn(b, W, D, B, A);
            break;
        }
        x64_mov_rr(b, true, RCX, B);
        x64_unary(b, W, U_NOT, RCX);
        x64_alu_rr(b, true, op == PVM_OP_AND_INV ? ALU_AND : ALU_OR, RCX, A);
        x64_mov_rr(b, true, D, RCX);
        break;
    case PVM_OP_XNOR:
        x64_mov_rr(b, true, RCX, A);
        x64_alu_rr(b, true, ALU_XOR, RCX, B);
        x64_unary(b, W, U_NOT, RCX);
        x64_mov_rr(b, true, D, RCX);
        break;
    case PVM_OP_MAX: case PVM_OP_MAX_U: case PVM_OP_MIN: case PVM_OP_MIN_U: {
        /* d = a, replaced by b when b wins (cc of a against b); d = b keeps b unless it loses
         * (the negated cc: x86 condition codes pair up in their low bit) */
        int cc = min_max_cc(op);
        if (D == B && D != A) {
            x64_alu_rr(b, W, ALU_CMP, A, B);
            x64_cmov(b, true, cc ^ 1, D, A);
            break;
        }
        if (D != A) x64_mov_rr(b, true, D, A);
        x64_alu_rr(b, W, ALU_CMP, D, B);
        x64_cmov(b, true, cc, D, B);
        break;
    }
    default: g->unsupported = true; break;
    }
}

/* Instructions [first, end) of a copy (a self-loop's, a dispatch chain's) as cg_emit_range emits
 * them, their offsets into its copy_map record r (and its end); with checks, each block's entry
 * check before it (the first block's entered by a jump: no fall-through payment). */
static __attribute__((noinline)) void emit_copy_instrs(cg *g, uint32_t *r, uint32_t first, uint32_t end, bool checks)
{
    const pvm_decoded *d = g->d;
    for (uint32_t i = first; i < end && !g->oom && !g->unsupported;) {
        if (checks && d->instrs[i].block_start) cg_gas_entry(g, i, i != first, false);
        r[5 + i - first] = (uint32_t)g->b.len;
        uint32_t covered = cg_emit_instr(g, i, &d->instrs[i], d);
        for (uint32_t k = 1; k < covered && i + k < end; k++) r[5 + i + k - first] = (uint32_t)g->b.len;
        i += covered;
    }
    r[1] = (uint32_t)g->b.len;
}

/* A self-loop's entry, check and copies but the last (self_loops.c): each copy the block's
 * code from the same emitter state. */
static __attribute__((noinline)) void emit_self_loop(cg *g, uint32_t first, uint32_t stop, uint32_t copies)
{
    uint32_t single = cg_self_loop_check(g, first, copies);
    /* what an instruction leaves for a later one: the same at each copy's start */
    uint32_t skip = g->skip_index, zf = g->zf_branch, cf = g->cf_next;
    unsigned cf_reg = g->cf_reg;
    for (uint32_t k = 0; k + 1 < copies && !g->oom && !g->unsupported; k++) {
        uint32_t *r = cg_self_loop_copy(g, first, stop, copies, k);
        if (!r) break;
        g->skip_index = skip, g->zf_branch = zf, g->cf_next = cf, g->cf_reg = cf_reg;
        emit_copy_instrs(g, r, first, stop, false);
    }
    g->skip_index = skip, g->zf_branch = zf, g->cf_next = cf, g->cf_reg = cf_reg;
    cg_self_loop_done(g, single);
}

/* A jump's chain copied in its place (dispatch_copies.c, which chose end), from a fresh
 * emitter state, in a copy_map record with nothing charged ahead. */
static __attribute__((noinline)) void emit_dispatch_copy(cg *g, uint32_t jump, uint32_t end)
{
    uint32_t first = g->d->instrs[jump].target, count = end - first;
    uint32_t *r = cg_copy_record(g, count);
    if (!r) return;
    r[0] = r[1] = (uint32_t)g->b.len, r[2] = first, r[3] = count, r[4] = 0;
    uint32_t skip = g->skip_index, zf = g->zf_branch, cf = g->cf_next;
    unsigned cf_reg = g->cf_reg;
    g->skip_index = 0, g->zf_branch = 0, g->cf_next = 0;
    g->copied += count;
    emit_copy_instrs(g, r, first, end, true);
    g->skip_index = skip, g->zf_branch = zf, g->cf_next = cf, g->cf_reg = cf_reg;
}

void cg_emit_range(cg *g, uint32_t first, uint32_t end)
{
    /* in locals: the calls below write through g and could (for the compiler) change them */
    const pvm_decoded *d = g->d;
    const pvm_instr *instrs = d->instrs;
    uint32_t *instr_off = g->instr_off;
    uint32_t i = first;
    /* Per block (or the part of it in [first, end)): room for all of its instructions,
     * the gas check at its entry, then its instructions. A failure (oom, unsupported)
     * stops at the next block: the room is there, and the compile fails anyway. */
    while (i < end && !g->oom && !g->unsupported) {
        const pvm_block *blk = &d->blocks[instrs[i].block];
        uint32_t stop = blk->first + blk->count < end ? blk->first + blk->count : end;
        if (stop <= i) stop = i + 1;
        if (!x64_reserve(&g->b, (size_t)(stop - i) * MAX_INSTR_BYTES)) break;
        if (instrs[i].block_start) {
            g->entry_off[i] = (uint32_t)g->b.len;
            uint32_t copies; /* a block jumping to itself may be unrolled (the rest of the tests out of line) */
            if (__builtin_expect(g->unroll && blk->target_block == instrs[i].block, 0) && (copies = cg_self_loop_copies(g, i, stop)) > 1 &&
                !strided_loop_block(g, i)) /* (a strided loop checks gas at its branch back: emit_strided_loop) */
                emit_self_loop(g, i, stop, copies); /* the check, the copies but the last */
            else cg_gas_check(g, i); /* (moves entry_off past a fall-through's payment) */
        }
        do {
            instr_off[i] = (uint32_t)g->b.len;
            uint32_t covered, chain;
            if (__builtin_expect(instrs[i].op == PVM_OP_JUMP, 0) && g->dispatch_copies &&
                (chain = cg_dispatch_chain_end(g, i)) != 0)
                emit_dispatch_copy(g, i, chain), covered = 1; /* the chain in place of the jmp */
            else covered = cg_emit_instr(g, i, &instrs[i], d);
            for (uint32_t k = 1; k < covered; k++) { /* fused: the others have no code of their own */
                cg_mark_inner(g, i + k);
                instr_off[i + k] = (uint32_t)g->b.len;
            }
            i += covered;
        } while (i < stop);
    }
}
