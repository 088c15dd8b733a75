/* The encoder's generic register and memory forms (x64_op_rr, x64_op_rm), which
 * write through a cursor, against a byte-at-a-time reference of the same rules
 * (how they were written before): every prefix, width flag, opcode length,
 * register, base, index, scale and displacement class gives the same bytes.
 * The individual encodings themselves are checked against llvm-mc in
 * test_x64_encoding.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "vm/jit/x64_asm.h"

typedef struct {
    uint8_t p[32];
    size_t len;
} ref_buf;

static void ref_u8(ref_buf *r, unsigned v) { r->p[r->len++] = (uint8_t)v; }
static void ref_u32(ref_buf *r, uint32_t v)
{
    for (int i = 0; i < 4; i++) ref_u8(r, (uint8_t)(v >> (8 * i)));
}

static void ref_prefix_rex(ref_buf *r, int pfx, unsigned flags, int reg, int index, int base, bool rm_is_reg)
{
    if (pfx) ref_u8(r, (unsigned)pfx);
    unsigned rex = 0x40 | ((flags & X64_W) ? 8 : 0) | ((reg & 8) ? 4 : 0) | ((index & 8) ? 2 : 0) | ((base & 8) ? 1 : 0);
    bool byte_regs = (flags & X64_BYTE) && ((reg >= 4 && reg < 8) || (rm_is_reg && base >= 4 && base < 8));
    if (rex != 0x40 || byte_regs) ref_u8(r, rex);
}

static void ref_opcode(ref_buf *r, uint32_t op)
{
    if (op > 0xFFFF) ref_u8(r, (op >> 16) & 0xFF);
    if (op > 0xFF) ref_u8(r, (op >> 8) & 0xFF);
    ref_u8(r, op & 0xFF);
}

static unsigned ref_scale(int s) { return s == 8 ? 3 : s == 4 ? 2 : s == 2 ? 1 : 0; }

static void ref_op_rr(ref_buf *r, int pfx, unsigned flags, uint32_t op, int reg, int rm)
{
    ref_prefix_rex(r, pfx, flags, reg, 0, rm, true);
    ref_opcode(r, op);
    ref_u8(r, 0xC0 | ((reg & 7) << 3) | (rm & 7));
}

static void ref_op_rm(ref_buf *r, int pfx, unsigned flags, uint32_t op, int reg, x64_mem m)
{
    if (m.base == X64_RIP) {
        ref_prefix_rex(r, pfx, flags, reg, 0, 0, false);
        ref_opcode(r, op);
        ref_u8(r, ((reg & 7) << 3) | 5);
        ref_u32(r, (uint32_t)m.disp);
        return;
    }
    if (m.base == X64_NOBASE) {
        ref_prefix_rex(r, pfx, flags, reg, m.index, 0, false);
        ref_opcode(r, op);
        ref_u8(r, ((reg & 7) << 3) | 4);
        ref_u8(r, (ref_scale(m.scale) << 6) | ((m.index & 7) << 3) | 5);
        ref_u32(r, (uint32_t)m.disp);
        return;
    }
    ref_prefix_rex(r, pfx, flags, reg, m.index >= 0 ? m.index : 0, m.base, false);
    ref_opcode(r, op);
    unsigned mod = (m.disp == 0 && (m.base & 7) != 5) ? 0 : (m.disp == (int8_t)m.disp) ? 1 : 2;
    if (m.index < 0 && (m.base & 7) != 4) {
        ref_u8(r, (mod << 6) | ((reg & 7) << 3) | (m.base & 7));
    } else {
        ref_u8(r, (mod << 6) | ((reg & 7) << 3) | 4);
        int idx = m.index >= 0 ? (m.index & 7) : 4;
        ref_u8(r, (ref_scale(m.scale) << 6) | (idx << 3) | (m.base & 7));
    }
    if (mod == 1) ref_u8(r, (uint8_t)m.disp);
    else if (mod == 2) ref_u32(r, (uint32_t)m.disp);
}

static const int prefixes[] = {0, 0x66, 0xF3};
static const unsigned flag_sets[] = {0, X64_W, X64_BYTE, X64_W | X64_BYTE};
static const uint32_t opcodes[] = {0x89, 0x0FAF, 0x0F3A0F};

/* Emit after a few bytes already in the buffer, so that an offset error shows. */
static void check_same(const ref_buf *want, const x64_buf *got, const char *what)
{
    if (got->len != 3 + want->len || memcmp(got->p + 3, want->p, want->len) != 0) fail_msg("%s: bytes differ", what);
}

static void register_forms(void **state)
{
    (void)state;
    uint8_t bytes[64];
    unsigned n = 0;
    for (unsigned a = 0; a < 3; a++)
        for (unsigned f = 0; f < 4; f++)
            for (unsigned o = 0; o < 3; o++)
                for (int reg = 0; reg < 16; reg++)
                    for (int rm = 0; rm < 16; rm++) {
                        ref_buf want = {{0}, 0};
                        ref_op_rr(&want, prefixes[a], flag_sets[f], opcodes[o], reg, rm);
                        x64_buf b = {.p = bytes, .len = 3, .cap = sizeof bytes, .fixed = true};
                        x64_op_rr(&b, prefixes[a], flag_sets[f], opcodes[o], reg, rm);
                        check_same(&want, &b, "op_rr");
                        n++;
                    }
    assert_int_equal(n, 3 * 4 * 3 * 16 * 16);
}

static void memory_forms(void **state)
{
    (void)state;
    static const int32_t disps[] = {0, 1, -1, 127, -128, 128, -129, 0x12345678, INT32_MIN, INT32_MAX};
    static const int scales[] = {1, 2, 4, 8};
    uint8_t bytes[64];
    unsigned n = 0;
    for (unsigned a = 0; a < 3; a++)
        for (unsigned f = 0; f < 4; f++)
            for (unsigned o = 0; o < 3; o++)
                for (int reg = 0; reg < 16; reg += 3) /* 0, 3, 6 (a byte register), 9, 12, 15 */
                    for (int base = X64_NOBASE; base < 16; base++) {
                        if (base == -1) continue;
                        for (int index = -1; index < 16; index++)
                            for (unsigned s = 0; s < 4; s++)
                                for (unsigned k = 0; k < sizeof disps / sizeof *disps; k++) {
                                    if (base == X64_NOBASE && index < 0) continue; /* no such form */
                                    x64_mem m = x64_idx(base, index, scales[s], disps[k]);
                                    ref_buf want = {{0}, 0};
                                    ref_op_rm(&want, prefixes[a], flag_sets[f], opcodes[o], reg, m);
                                    x64_buf b = {.p = bytes, .len = 3, .cap = sizeof bytes, .fixed = true};
                                    x64_op_rm(&b, prefixes[a], flag_sets[f], opcodes[o], reg, m);
                                    check_same(&want, &b, "op_rm");
                                    n++;
                                }
                    }
    assert_true(n > 1000000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(register_forms),
        cmocka_unit_test(memory_forms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
