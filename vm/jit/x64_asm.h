/* x86-64 machine-code encoder: a growable byte buffer and one function per
 * instruction form the recompiler needs. Callers reserve room once per guest
 * instruction (x64_reserve) so the emitters themselves never check bounds. */
#ifndef PVM_JIT_X64_ASM_H
#define PVM_JIT_X64_ASM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };
/* Condition codes (the low nibble of Jcc / SETcc / CMOVcc). */
enum { CC_O, CC_NO, CC_B, CC_AE, CC_E, CC_NE, CC_BE, CC_A, CC_S, CC_NS, CC_P, CC_NP, CC_L, CC_GE, CC_LE, CC_G };
/* Group-1 ALU operations (the /digit of 0x81 and opcode/8 of the r/m forms). */
enum { ALU_ADD = 0, ALU_OR = 1, ALU_ADC = 2, ALU_SBB = 3, ALU_AND = 4, ALU_SUB = 5, ALU_XOR = 6, ALU_CMP = 7 };
/* Group-2 shifts and rotates. */
enum { SH_ROL = 0, SH_ROR = 1, SH_SHL = 4, SH_SHR = 5, SH_SAR = 7 };
/* Group-3 unary operations (0xF7 /digit). */
enum { U_NOT = 2, U_NEG = 3, U_MUL = 4, U_IMUL = 5, U_DIV = 6, U_IDIV = 7 };

typedef struct {
    uint8_t *p;
    size_t len, cap;
    bool oom;
    bool fixed; /* p is caller-owned memory of cap bytes: never reallocated */
} x64_buf;

/* A memory operand [base + index*scale + disp]; index < 0 = none; base == X64_RIP = RIP-relative;
 * base == X64_NOBASE: [index*scale + disp32] (an absolute address below 2 GiB). */
typedef struct {
    int base, index, scale;
    int32_t disp;
} x64_mem;
#define X64_RIP (-2)
#define X64_NOBASE (-3)
static inline x64_mem x64_at(int base, int32_t disp) { return (x64_mem){base, -1, 1, disp}; }
static inline x64_mem x64_idx(int base, int index, int scale, int32_t disp) { return (x64_mem){base, index, scale, disp}; }

bool x64_reserve_slow(x64_buf *b, size_t n);
/* false (and b->oom) on allocation failure or a full fixed buffer; inline: it runs per emitted instruction */
static inline bool x64_reserve(x64_buf *b, size_t n)
{
    return (!b->oom && b->len + n <= b->cap) || x64_reserve_slow(b, n);
}
void x64_buf_free(x64_buf *b);           /* no-op for a fixed buffer */

static inline void x64_u8(x64_buf *b, uint8_t v) { b->p[b->len++] = v; }
static inline void x64_u32(x64_buf *b, uint32_t v) /* little-endian: the host is x86-64 */
{
    memcpy(b->p + b->len, &v, 4);
    b->len += 4;
}
static inline bool x64_fits_s32(uint64_t v) { return (int64_t)v == (int32_t)v; }
static inline bool x64_fits_s8(int64_t v) { return v == (int8_t)v; }

/* Operand width flags for the generic forms. */
enum { X64_W = 1, X64_BYTE = 2 /* 8-bit register operand: force REX for spl..dil */ };
/* Generic forms: op is 1-3 opcode bytes written big-endian (0x0FAF = 0F AF); pfx a
 * mandatory prefix (0x66, 0xF3) or 0. reg is the ModRM.reg field (register or /digit). */
void x64_op_rr(x64_buf *b, int pfx, unsigned flags, uint32_t op, int reg, int rm);
void x64_op_rm(x64_buf *b, int pfx, unsigned flags, uint32_t op, int reg, x64_mem m);

/* Common instructions; w = true for 64-bit operand size. */
/* The register forms code generation emits most, inline: a REX prefix when needed,
 * a one-byte opcode, a register-direct ModRM and an optional imm8, stored as one
 * 4-byte word (rather than byte by byte, each store reloading the length). The
 * word may reach one byte past the instruction: callers reserve room for a whole
 * guest instruction or stub first (x64_reserve), far more than one of these. */
static inline void x64_rr1(x64_buf *b, bool w, unsigned op, int reg, int rm, unsigned imm8, unsigned imm8_len)
{
    unsigned rex = (w ? 8u : 0u) | ((unsigned)reg & 8) >> 1 | ((unsigned)rm & 8) >> 3;
    uint32_t body = op | (0xC0u | ((unsigned)reg & 7) << 3 | ((unsigned)rm & 7)) << 8 | (imm8 & 0xFF) << 16;
    uint32_t word = rex ? (0x40 | rex) | body << 8 : body;
    memcpy(b->p + b->len, &word, 4);
    b->len += 2 + imm8_len + (rex != 0);
}
static inline void x64_mov_rr(x64_buf *b, bool w, int dst, int src) { x64_rr1(b, w, 0x89, src, dst, 0, 0); }
void x64_mov_ri_wide(x64_buf *b, int dst, uint64_t imm); /* x64_mov_ri above 32 bits */
/* mov dst, imm: the shortest form for the 64-bit value; inline for the commonest,
 * mov r32, imm32 (it zero-extends): [41] B8+r imm32, stored as two words. */
static inline void x64_mov_ri(x64_buf *b, int dst, uint64_t imm)
{
    if (imm > UINT32_MAX) {
        x64_mov_ri_wide(b, dst, imm);
        return;
    }
    uint8_t *q = b->p + b->len;
    unsigned ext = (unsigned)dst >> 3 & 1;
    uint16_t op = ext ? (uint16_t)(0x41 | (0xB8 + (dst & 7)) << 8) : (uint16_t)(0xB8 + (dst & 7));
    uint32_t v = (uint32_t)imm;
    memcpy(q, &op, 2);
    memcpy(q + 1 + ext, &v, 4);
    b->len += 5 + ext;
}
static inline void x64_alu_rr(x64_buf *b, bool w, int alu, int dst, int src) { x64_rr1(b, w, (unsigned)alu * 8 + 1, src, dst, 0, 0); }
/* Group-1 immediates: the sign-extended imm8 form (0x83) when the value fits, else imm32 (0x81). */
static inline void x64_alu_ri(x64_buf *b, bool w, int alu, int dst, int32_t imm)
{
    if (x64_fits_s8(imm)) {
        x64_rr1(b, w, 0x83, alu, dst, (uint8_t)imm, 1);
        return;
    }
    x64_rr1(b, w, 0x81, alu, dst, 0, 0);
    x64_u32(b, (uint32_t)imm);
}
void x64_alu_mi(x64_buf *b, bool w, int alu, x64_mem m, int32_t imm);
void x64_alu_mr(x64_buf *b, bool w, int alu, x64_mem m, int src);
static inline void x64_shift_ri(x64_buf *b, bool w, int sh, int dst, uint8_t n) { x64_rr1(b, w, 0xC1, sh, dst, n, 1); }
void x64_shift_cl(x64_buf *b, bool w, int sh, int dst);
static inline void x64_unary(x64_buf *b, bool w, int u, int rm) { x64_rr1(b, w, 0xF7, u, rm, 0, 0); }
static inline void x64_imul_rr(x64_buf *b, bool w, int dst, int src) /* 0F AF /r */
{
    unsigned rex = (w ? 8u : 0u) | ((unsigned)dst & 8) >> 1 | ((unsigned)src & 8) >> 3;
    uint32_t body = 0xAF0Fu | (0xC0u | ((unsigned)dst & 7) << 3 | ((unsigned)src & 7)) << 16;
    uint32_t word = rex ? (0x40 | rex) | body << 8 : body;
    memcpy(b->p + b->len, &word, 4);
    b->len += 3 + (rex != 0);
}
void x64_imul_rri(x64_buf *b, bool w, int dst, int src, int32_t imm);
static inline void x64_movsxd(x64_buf *b, int dst, int src) { x64_rr1(b, true, 0x63, dst, src, 0, 0); }
void x64_lea(x64_buf *b, bool w, int dst, x64_mem m);
void x64_load(x64_buf *b, bool w, int dst, x64_mem m);
void x64_store(x64_buf *b, bool w, x64_mem m, int src);
void x64_setcc_movzx(x64_buf *b, int cc, int dst); /* mov ecx, 0; setcc cl; movzx dst32, cl */
void x64_setcc_byte(x64_buf *b, int cc, int r);     /* setcc r8: after xor r32, r32 ahead of the flags */
/* setcc dst8; movzx dst32, dst8: where the flags' producer read dst (merging adds no wait) */
void x64_setcc_in_place(x64_buf *b, int cc, int dst);
void x64_cmov(x64_buf *b, bool w, int cc, int dst, int src);
static inline void x64_test_rr(x64_buf *b, bool w, int a, int c) { x64_rr1(b, w, 0x85, c, a, 0, 0); }
void x64_bswap(x64_buf *b, bool w, int r);
/* Double-precision shifts by an immediate: shld dst = dst << n | src >> (W - n); shrd the mirror. */
void x64_shld_ri(x64_buf *b, bool w, int dst, int src, uint8_t n);
void x64_shrd_ri(x64_buf *b, bool w, int dst, int src, uint8_t n);
/* The GS segment and 32-bit address size for the next instruction's memory operand: gs:[base32 + disp]. */
static inline void x64_gs_addr32(x64_buf *b)
{
    memcpy(b->p + b->len, &(const uint8_t[2]){0x65, 0x67}, 2);
    b->len += 2;
}
/* BMI1/BMI2 (VEX-encoded; the caller checks the host has them). */
void x64_andn(x64_buf *b, bool w, int dst, int inverted, int src);      /* dst = ~inverted & src */
void x64_mulx(x64_buf *b, int hi, int lo, int src);                     /* hi:lo = rdx * src, unsigned, 64-bit */
void x64_mulx32(x64_buf *b, int hi, int lo, int src);                   /* hi:lo = edx * src, unsigned, 32-bit halves */
void x64_shiftx(x64_buf *b, bool w, int sh, int dst, int src, int count); /* SH_SHL/SHR/SAR; flags untouched */
void x64_rorx(x64_buf *b, bool w, int dst, int src, uint8_t n);
void x64_push(x64_buf *b, int r);
void x64_pop(x64_buf *b, int r);
/* Jumps: rel32 forms return the offset of the displacement for later patching. */
/* The rel32 jumps in two stores (opcode bytes, then a zero displacement to patch later). */
static inline size_t x64_jcc32(x64_buf *b, int cc)
{
    uint8_t *q = b->p + b->len;
    uint16_t op = (uint16_t)(0x0F | (0x80 + cc) << 8);
    memcpy(q, &op, 2);
    memset(q + 2, 0, 4);
    b->len += 6;
    return b->len - 4;
}
static inline size_t x64_jmp32(x64_buf *b)
{
    uint8_t *q = b->p + b->len;
    q[0] = 0xE9;
    memset(q + 1, 0, 4);
    b->len += 5;
    return b->len - 4;
}
size_t x64_jcc8(x64_buf *b, int cc);
size_t x64_jmp8(x64_buf *b);
void x64_patch8_here(x64_buf *b, size_t at); /* point a rel8 at the current position */
static inline void x64_patch32(uint8_t *code, size_t at, size_t target)
{
    int32_t rel = (int32_t)((int64_t)target - (int64_t)(at + 4));
    for (int i = 0; i < 4; i++) code[at + i] = (uint8_t)((uint32_t)rel >> (8 * i));
}
#endif
