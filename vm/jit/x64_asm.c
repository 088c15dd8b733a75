/* x86-64 encoder (see x64_asm.h). */
#include "x64_asm.h"
#include <stdlib.h>

bool x64_reserve_slow(x64_buf *b, size_t n)
{
    if (b->oom) return false;
    if (b->len + n <= b->cap) return true;
    if (b->fixed) {
        b->oom = true;
        return false;
    }
    size_t nc = b->cap ? b->cap : 4096;
    while (nc < b->len + n) nc *= 2;
    uint8_t *p = realloc(b->p, nc);
    if (!p) {
        b->oom = true;
        return false;
    }
    b->p = p;
    b->cap = nc;
    return true;
}

void x64_buf_free(x64_buf *b)
{
    if (!b->fixed) free(b->p);
    *b = (x64_buf){0};
}

/* The forms below write through a local cursor q and store the length once: a
 * byte store through b->p may alias b->len, so emitting byte by byte with x64_u8
 * reloads and stores the length after every byte (the recompiler's hottest path). */

/* rm_is_reg: the r/m operand is a register (so it may be a byte register too). */
static inline uint8_t *prefix_rex(uint8_t *q, int pfx, unsigned flags, int reg, int index, int base, bool rm_is_reg)
{
    if (pfx) *q++ = (uint8_t)pfx;
    uint8_t rex = (uint8_t)(0x40 | ((flags & X64_W) ? 8 : 0) | ((reg & 8) ? 4 : 0) | ((index & 8) ? 2 : 0) |
                            ((base & 8) ? 1 : 0));
    bool byte_regs = (flags & X64_BYTE) && ((reg >= 4 && reg < 8) || (rm_is_reg && base >= 4 && base < 8));
    if (rex != 0x40 || byte_regs) *q++ = rex;
    return q;
}

static inline uint8_t *opcode(uint8_t *q, uint32_t op)
{
    if (op > 0xFFFF) *q++ = (uint8_t)(op >> 16);
    if (op > 0xFF) *q++ = (uint8_t)(op >> 8);
    *q++ = (uint8_t)op;
    return q;
}

static inline uint8_t *put32(uint8_t *q, uint32_t v)
{
    memcpy(q, &v, 4);
    return q + 4;
}

void x64_op_rr(x64_buf *b, int pfx, unsigned flags, uint32_t op, int reg, int rm)
{
    uint8_t *q = b->p + b->len;
    q = prefix_rex(q, pfx, flags, reg, 0, rm, true);
    q = opcode(q, op);
    *q++ = (uint8_t)(0xC0 | ((reg & 7) << 3) | (rm & 7));
    b->len = (size_t)(q - b->p);
}

static uint8_t scale_bits(int s) { return s == 8 ? 3 : s == 4 ? 2 : s == 2 ? 1 : 0; }

void x64_op_rm(x64_buf *b, int pfx, unsigned flags, uint32_t op, int reg, x64_mem m)
{
    uint8_t *q = b->p + b->len;
    if (m.base == X64_RIP) {
        q = prefix_rex(q, pfx, flags, reg, 0, 0, false);
        q = opcode(q, op);
        *q++ = (uint8_t)(((reg & 7) << 3) | 5);
        q = put32(q, (uint32_t)m.disp);
    } else if (m.base == X64_NOBASE) { /* SIB with base 101 and mod 00: disp32, no base */
        q = prefix_rex(q, pfx, flags, reg, m.index, 0, false);
        q = opcode(q, op);
        *q++ = (uint8_t)(((reg & 7) << 3) | 4);
        *q++ = (uint8_t)((scale_bits(m.scale) << 6) | ((m.index & 7) << 3) | 5);
        q = put32(q, (uint32_t)m.disp);
    } else {
        q = prefix_rex(q, pfx, flags, reg, m.index >= 0 ? m.index : 0, m.base, false);
        q = opcode(q, op);
        uint8_t mod = (m.disp == 0 && (m.base & 7) != 5) ? 0 : x64_fits_s8(m.disp) ? 1 : 2;
        if (m.index < 0 && (m.base & 7) != 4) {
            *q++ = (uint8_t)((mod << 6) | ((reg & 7) << 3) | (m.base & 7));
        } else {
            *q++ = (uint8_t)((mod << 6) | ((reg & 7) << 3) | 4);
            int idx = m.index >= 0 ? (m.index & 7) : 4;
            *q++ = (uint8_t)((scale_bits(m.scale) << 6) | (idx << 3) | (m.base & 7));
        }
        if (mod == 1) *q++ = (uint8_t)m.disp;
        else if (mod == 2) q = put32(q, (uint32_t)m.disp);
    }
    b->len = (size_t)(q - b->p);
}

static inline unsigned wflag(bool w) { return w ? X64_W : 0; }

void x64_mov_ri_wide(x64_buf *b, int dst, uint64_t imm)
{
    uint8_t *q = b->p + b->len;
    if (x64_fits_s32(imm)) {
        *q++ = (uint8_t)(0x48 | ((dst & 8) ? 1 : 0));
        *q++ = 0xC7;
        *q++ = (uint8_t)(0xC0 | (dst & 7));
        q = put32(q, (uint32_t)imm);
    } else {
        *q++ = (uint8_t)(0x48 | ((dst & 8) ? 1 : 0));
        *q++ = (uint8_t)(0xB8 + (dst & 7));
        q = put32(q, (uint32_t)imm);
        q = put32(q, (uint32_t)(imm >> 32));
    }
    b->len = (size_t)(q - b->p);
}

/* Group-1 immediates: the sign-extended imm8 form (0x83) when the value fits, else imm32 (0x81). */
static uint32_t group1_opcode(int32_t imm) { return x64_fits_s8(imm) ? 0x83 : 0x81; }
static void group1_imm(x64_buf *b, int32_t imm)
{
    if (x64_fits_s8(imm)) x64_u8(b, (uint8_t)imm);
    else x64_u32(b, (uint32_t)imm);
}

void x64_alu_mi(x64_buf *b, bool w, int alu, x64_mem m, int32_t imm)
{
    x64_op_rm(b, 0, wflag(w), group1_opcode(imm), alu, m);
    group1_imm(b, imm);
}

void x64_alu_mr(x64_buf *b, bool w, int alu, x64_mem m, int src) { x64_op_rm(b, 0, wflag(w), (uint32_t)(alu * 8 + 1), src, m); }

void x64_shift_cl(x64_buf *b, bool w, int sh, int dst) { x64_op_rr(b, 0, wflag(w), 0xD3, sh, dst); }

void x64_imul_rri(x64_buf *b, bool w, int dst, int src, int32_t imm)
{
    x64_op_rr(b, 0, wflag(w), 0x69, dst, src);
    x64_u32(b, (uint32_t)imm);
}

void x64_lea(x64_buf *b, bool w, int dst, x64_mem m) { x64_op_rm(b, 0, wflag(w), 0x8D, dst, m); }
void x64_load(x64_buf *b, bool w, int dst, x64_mem m) { x64_op_rm(b, 0, wflag(w), 0x8B, dst, m); }
void x64_store(x64_buf *b, bool w, x64_mem m, int src) { x64_op_rm(b, 0, wflag(w), 0x89, src, m); }

/* The mov first: setcc writes only cl, and x86 merges that byte into rcx's old value
 * (Zen 5 does not rename 8-bit registers), so without it the result waited for whatever
 * last wrote the scratch register, often a value a loop carries (edit_distance's inner
 * loop ran at 8 cycles instead of 5). mov r32, 0 keeps the flags and reads nothing. */
void x64_setcc_movzx(x64_buf *b, int cc, int dst)
{
    x64_mov_ri(b, RCX, 0);
    x64_setcc_byte(b, cc, RCX);
    x64_op_rr(b, 0, 0, 0x0FB6, dst, RCX);
}

void x64_setcc_byte(x64_buf *b, int cc, int r) { x64_op_rr(b, 0, X64_BYTE, (uint32_t)(0x0F90 + cc), 0, r); }

void x64_setcc_in_place(x64_buf *b, int cc, int dst)
{
    x64_setcc_byte(b, cc, dst);
    x64_op_rr(b, 0, X64_BYTE, 0x0FB6, dst, dst);
}

void x64_cmov(x64_buf *b, bool w, int cc, int dst, int src) { x64_op_rr(b, 0, wflag(w), (uint32_t)(0x0F40 + cc), dst, src); }

void x64_bswap(x64_buf *b, bool w, int r)
{
    uint8_t rex = (uint8_t)(0x40 | (w ? 8 : 0) | ((r & 8) ? 1 : 0));
    if (rex != 0x40) x64_u8(b, rex);
    x64_u8(b, 0x0F);
    x64_u8(b, (uint8_t)(0xC8 + (r & 7)));
}

/* Three-byte VEX, register operands only: map 2 = 0F38, 3 = 0F3A; pp 0 = none,
 * 1 = 66, 2 = F3, 3 = F2; vvvv is the extra (non-destructive) source. */
static void vex_rr(x64_buf *b, int map, int pp, bool w, uint8_t op, int reg, int vvvv, int rm)
{
    x64_u8(b, 0xC4);
    x64_u8(b, (uint8_t)(((reg & 8) ? 0 : 0x80) | 0x40 | ((rm & 8) ? 0 : 0x20) | map));
    x64_u8(b, (uint8_t)((w ? 0x80 : 0) | ((~vvvv & 15) << 3) | pp));
    x64_u8(b, op);
    x64_u8(b, (uint8_t)(0xC0 | ((reg & 7) << 3) | (rm & 7)));
}

void x64_andn(x64_buf *b, bool w, int dst, int inverted, int src) { vex_rr(b, 2, 0, w, 0xF2, dst, inverted, src); }
void x64_mulx(x64_buf *b, int hi, int lo, int src) { vex_rr(b, 2, 3, true, 0xF6, hi, lo, src); }
void x64_mulx32(x64_buf *b, int hi, int lo, int src) { vex_rr(b, 2, 3, false, 0xF6, hi, lo, src); }

void x64_shiftx(x64_buf *b, bool w, int sh, int dst, int src, int count)
{
    int pp = sh == SH_SHL ? 1 : sh == SH_SAR ? 2 : 3;
    vex_rr(b, 2, pp, w, 0xF7, dst, count, src);
}

void x64_rorx(x64_buf *b, bool w, int dst, int src, uint8_t n)
{
    vex_rr(b, 3, 3, w, 0xF0, dst, 0, src);
    x64_u8(b, n);
}

void x64_push(x64_buf *b, int r)
{
    if (r & 8) x64_u8(b, 0x41);
    x64_u8(b, (uint8_t)(0x50 + (r & 7)));
}

void x64_pop(x64_buf *b, int r)
{
    if (r & 8) x64_u8(b, 0x41);
    x64_u8(b, (uint8_t)(0x58 + (r & 7)));
}

/* A zero displacement of n bytes to patch later; returns its offset. */
static size_t displacement(x64_buf *b, int n)
{
    for (int i = 0; i < n; i++) x64_u8(b, 0);
    return b->len - (size_t)n;
}

size_t x64_jcc8(x64_buf *b, int cc) { return x64_u8(b, (uint8_t)(0x70 + cc)), displacement(b, 1); }
size_t x64_jmp8(x64_buf *b) { return x64_u8(b, 0xEB), displacement(b, 1); }

void x64_patch8_here(x64_buf *b, size_t at) { b->p[at] = (uint8_t)(int8_t)(b->len - (at + 1)); }

void x64_shld_ri(x64_buf *b, bool w, int dst, int src, uint8_t n)
{
    x64_op_rr(b, 0, wflag(w), 0x0FA4, src, dst);
    x64_u8(b, n);
}

void x64_shrd_ri(x64_buf *b, bool w, int dst, int src, uint8_t n)
{
    x64_op_rr(b, 0, wflag(w), 0x0FAC, src, dst);
    x64_u8(b, n);
}

