/* The decoder's operands against a plain reading of the rules (docs: ../shared/spec/
 * pvm-isa.md): every opcode of every ISA variant, every skip from 0 to 24, random operand
 * bytes, and random bytes after the instruction (the register bytes are read whatever the
 * skip, as PolkaVM reads them). The decoder's reading is tuned for speed (tables for the
 * register nibbles and the immediate's shifts, one write per record word); this one is
 * written for reading. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "vm/program/decode.h"

typedef struct {
    uint8_t a, b, d;
    uint64_t imm, imm2;
    uint32_t target_pc;
} fields;

static unsigned clamp_reg(unsigned r) { return r > 12 ? 12 : r; }
static unsigned clamp_len(int n) { return n < 0 ? 0 : n > 4 ? 4 : (unsigned)n; }

/* n bytes little-endian, sign-extended from the last (n = 8: all of them). */
static uint64_t signed_bytes(const uint8_t *x, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) v |= (uint64_t)x[i] << (8 * i);
    if (n > 0 && n < 8 && (x[n - 1] & 0x80)) v |= UINT64_MAX << (8 * n);
    return v;
}

static fields reference(pvm_isa isa, pvm_kind kind, const uint8_t *x, int skip)
{
    fields f = {0};
    unsigned lx, ly;
    switch (kind) {
    case PVM_KIND_NONE: break;
    case PVM_KIND_IMM: f.imm = signed_bytes(x + 1, clamp_len(skip)); break;
    case PVM_KIND_OFF: f.target_pc = (uint32_t)signed_bytes(x + 1, clamp_len(skip)); break;
    case PVM_KIND_REG_IMM64:
        f.a = (uint8_t)clamp_reg(x[1] & 15);
        f.imm = signed_bytes(x + 2, 8);
        break;
    case PVM_KIND_IMM_IMM:
        lx = clamp_len(x[1] & 7);
        ly = clamp_len(skip - (int)lx - 1);
        f.imm = signed_bytes(x + 2, lx);
        f.imm2 = signed_bytes(x + 2 + lx, ly);
        break;
    case PVM_KIND_REG_IMM:
        f.a = (uint8_t)clamp_reg(x[1] & 15);
        f.imm = signed_bytes(x + 2, clamp_len(skip - 1));
        break;
    case PVM_KIND_REG_IMM_IMM:
    case PVM_KIND_REG_IMM_OFF:
        f.a = (uint8_t)clamp_reg(x[1] & 15);
        lx = clamp_len((x[1] >> 4) & 7);
        ly = clamp_len(skip - (int)lx - 1);
        f.imm = signed_bytes(x + 2, lx);
        f.imm2 = signed_bytes(x + 2 + lx, ly);
        if (kind == PVM_KIND_REG_IMM_OFF) f.target_pc = (uint32_t)f.imm2;
        break;
    case PVM_KIND_REG_REG:
        f.d = (uint8_t)clamp_reg(x[1] & 15);
        f.a = (uint8_t)clamp_reg(x[1] >> 4);
        break;
    case PVM_KIND_REG_REG_IMM:
    case PVM_KIND_REG_REG_OFF:
        f.a = (uint8_t)clamp_reg(x[1] & 15);
        f.b = (uint8_t)clamp_reg(x[1] >> 4);
        f.imm = signed_bytes(x + 2, clamp_len(skip - 1));
        if (kind == PVM_KIND_REG_REG_OFF) f.target_pc = (uint32_t)f.imm;
        break;
    case PVM_KIND_REG_REG_IMM_IMM:
        f.a = (uint8_t)clamp_reg(x[1] & 15);
        f.b = (uint8_t)clamp_reg(x[1] >> 4);
        lx = clamp_len(x[2] & 7);
        ly = clamp_len(skip - (int)lx - 2);
        f.imm = signed_bytes(x + 3, lx);
        f.imm2 = signed_bytes(x + 3 + lx, ly);
        break;
    case PVM_KIND_REG3: /* GP 0.7 and JAM v1: rD = min(12, whole byte); the others: its low nibble */
        f.a = (uint8_t)clamp_reg(x[1] & 15);
        f.b = (uint8_t)clamp_reg(x[1] >> 4);
        f.d = (uint8_t)clamp_reg(isa == PVM_ISA_GP07 || isa == PVM_ISA_JAMV1 ? x[2] : x[2] & 15);
        break;
    default: fail_msg("kind %d has no reading here", (int)kind);
    }
    return f;
}

static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint8_t random_byte(void)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (uint8_t)rng;
}

/* The instruction at pc `at` (so that a target is pc-relative), skip bytes of operands,
 * then 16 random bytes starting the next instruction. */
static void check_one(pvm_isa isa, uint8_t opcode, pvm_op op, int skip, uint32_t at)
{
    uint8_t code[64], mask[8] = {0};
    uint32_t len = at + 1 + (uint32_t)skip + 16;
    for (uint32_t i = 0; i < len; i++) code[i] = random_byte();
    memset(code, 0, at); /* each byte before `at` a trap (opcode 0) */
    code[at] = opcode;
    for (uint32_t i = 0; i <= at; i++) mask[i / 8] |= (uint8_t)(1u << (i % 8));
    uint32_t next = at + 1 + (uint32_t)skip;
    mask[next / 8] |= (uint8_t)(1u << (next % 8));
    pvm_decoded d;
    pvm_error err;
    assert_int_equal(pvm_decode_program(isa, code, len, mask, NULL, 0, &d, &err), PVM_OK);
    uint32_t i = at; /* one instruction per byte before it */
    const pvm_instr *in = &d.instrs[i];
    assert_int_equal(in->pc, at);
    assert_int_equal(in->len, 1 + skip);
    fields want = reference(isa, pvm_op_table[op].kind, code + at, skip);
    if (pvm_kind_has_target(pvm_op_table[op].kind)) want.target_pc += at;
    /* GP 0.8 / PolkaVM: a branch whose target or fall-through is not a block start traps */
    bool op_ok = in->op == op || (pvm_op_is_branch(op) && isa != PVM_ISA_GP07 && in->op == PVM_OP_INVALID);
    if (!op_ok || in->a != want.a || in->b != want.b || in->d != want.d || in->imm != want.imm ||
        in->imm2 != want.imm2 || in->target_pc != want.target_pc)
        fail_msg("isa %d opcode %u (%s) skip %d: got op %u a %u b %u d %u imm %#llx imm2 %#llx target %u, want a %u "
                 "b %u d %u imm %#llx imm2 %#llx target %u",
                 (int)isa, opcode, pvm_op_table[op].name, skip, in->op, in->a, in->b, in->d,
                 (unsigned long long)in->imm, (unsigned long long)in->imm2, in->target_pc, want.a, want.b, want.d,
                 (unsigned long long)want.imm, (unsigned long long)want.imm2, want.target_pc);
    pvm_decoded_free(&d);
}

static void test_every_opcode_every_skip(void **state)
{
    (void)state;
    unsigned checked = 0;
    for (int isa = 0; isa < PVM_ISA_COUNT; isa++) {
        const uint8_t *table = pvm_isa_decode_table((pvm_isa)isa);
        for (unsigned byte = 0; byte < 256; byte++) {
            pvm_op op = (pvm_op)table[byte];
            if (op == PVM_OP_INVALID) continue;
            for (int skip = 0; skip <= 24; skip++)
                for (int round = 0; round < 6; round++) {
                    check_one((pvm_isa)isa, (uint8_t)byte, op, skip, (uint32_t)round % 3);
                    checked++;
                }
        }
    }
    assert_true(checked > 5 * 100 * 25 * 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_every_opcode_every_skip)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
