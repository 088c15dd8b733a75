/* The interpreter's operand forwarding (vm/interp/interp_forward.c, interp.h): for
 * every op that reads a register, a program in which that register is the one the
 * previous instruction wrote, and one in which it is not, is compiled; the
 * instruction is checked to be dispatched in the variant that takes the operand
 * from acc (or from the register file), and the run (exit, pc, registers, gas, the
 * stack below r1) equals the recompiler's run of the same program. The same for
 * every super-instruction of interp_fused.def in each of its nine variants (first
 * and second instruction each from the register file, acc as a, acc as b). Memory
 * operands address the stack through r1, or through the forwarded register, which
 * then holds a stack address; a forwarded base that is not one (a pair's result)
 * faults, and the fault must match too. Sync gas, random register values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "vm/state/vm_state.h"
#include "vm/interp/interp.h"
#include "vm/isa/isa.h"
#include "pvm/builder.h"
#include "tests/fuzz/fuzz_rng.h"
#include "test_util.h"

static const uint8_t pairs[][2] = {
#define FUSED(a, b) {PVM_OP_##a, PVM_OP_##b},
#include "vm/interp/interp_fused.def"
#undef FUSED
};

static fz_rng rng = {.state = 0x9e3779b97f4a7c15u}; /* the fuzzers' generator, seeded */
static uint64_t next(void) { return fz_next(&rng); }
/* Value registers r2..r6; r1 is the stack pointer and is never written. */
static unsigned value_reg(void) { return 2 + (unsigned)(next() % 5); }
static unsigned value_reg_except(unsigned x, unsigned y)
{
    unsigned r;
    do r = value_reg(); while (r == x || r == y);
    return r;
}

static bool is_memory(pvm_op op) { return pvm_op_mem_access(op).width != 0; }
static bool is_store(pvm_op op) { return pvm_op_table[op].group == PVM_GROUP_STORE; }
/* The register roles this test expects forwarding to use (decode.h's operand roles). */
static bool reads_a(pvm_op op)
{
    pvm_kind k = pvm_op_table[op].kind;
    return k == PVM_KIND_REG3 || k == PVM_KIND_REG_REG || k == PVM_KIND_REG_REG_OFF || k == PVM_KIND_REG_IMM_OFF ||
           (k == PVM_KIND_REG_REG_IMM && is_store(op));
}
static bool reads_b(pvm_op op)
{
    pvm_kind k = pvm_op_table[op].kind;
    return k == PVM_KIND_REG3 || k == PVM_KIND_REG_REG_IMM || k == PVM_KIND_REG_REG_OFF;
}
static bool writes_reg(pvm_op op)
{
    pvm_kind k = pvm_op_table[op].kind;
    return k == PVM_KIND_REG3 || k == PVM_KIND_REG_REG || (k == PVM_KIND_REG_REG_IMM && !is_store(op)) ||
           op == PVM_OP_LOAD_IMM; /* (as a pair's first) */
}
/* Ops of the shapes this test emits, present in GP 0.7 (64-bit), not host calls. */
static bool testable(pvm_op op)
{
    pvm_kind k = pvm_op_table[op].kind;
    if (pvm_isa_encode_opcode(PVM_ISA_GP07, op) < 0 || pvm_op_table[op].group == PVM_GROUP_HOST) return false;
    return k == PVM_KIND_REG3 || k == PVM_KIND_REG_REG || k == PVM_KIND_REG_REG_IMM || k == PVM_KIND_REG_REG_OFF ||
           (k == PVM_KIND_REG_IMM_OFF && pvm_op_is_branch(op));
}

/* Emit op with destination dst and sources sa (role a) and sb (role b); a branch
 * leads both ways to the next instruction. */
static void emit_op(pvm_builder *b, pvm_op op, unsigned dst, unsigned sa, unsigned sb)
{
    pvm_label next_block;
    switch (pvm_op_table[op].kind) {
    case PVM_KIND_REG3: pvm_emit_reg3(b, op, dst, sa, sb); break;
    case PVM_KIND_REG_REG: pvm_emit_reg_reg(b, op, dst, sa); break;
    case PVM_KIND_REG_REG_IMM:
        if (is_store(op)) pvm_emit_reg_reg_imm(b, op, sa, sb, -8 * (int64_t)(1 + next() % 6));
        else if (is_memory(op)) pvm_emit_reg_reg_imm(b, op, dst, sb, -8 * (int64_t)(1 + next() % 6));
        else pvm_emit_reg_reg_imm(b, op, dst, sb, (int32_t)next() % 100);
        break;
    case PVM_KIND_REG_REG_OFF:
        next_block = pvm_builder_label(b);
        pvm_emit_reg_reg_jump(b, op, sa, sb, next_block);
        pvm_builder_bind(b, next_block);
        break;
    case PVM_KIND_REG_IMM_OFF:
        next_block = pvm_builder_label(b);
        pvm_emit_reg_imm_jump(b, op, sa, (int64_t)(next() % 4), next_block);
        pvm_builder_bind(b, next_block);
        break;
    case PVM_KIND_REG_IMM: /* load_imm as a pair's first (testable() leaves the absolute accesses out) */
        pvm_emit_reg_imm(b, op, dst, (int64_t)(int32_t)next());
        break;
    case PVM_KIND_NONE: /* a fallthrough as a pair's second: into the trap's block */
        pvm_emit_none(b, op);
        break;
    default: fail_msg("op %s has an operand kind this test does not emit", pvm_op_table[op].name);
    }
}

/* Operands of op for variant v with acc holding register x: the forwarded role is
 * x, the others are other value registers (or r1 as a memory base). */
typedef struct {
    unsigned dst, sa, sb;
} operands;
static operands pick(pvm_op op, pvm_interp_src v, unsigned x)
{
    operands o = {value_reg(), value_reg_except(x, 0), is_memory(op) ? 1 : value_reg_except(x, 0)};
    if (v == PVM_INTERP_SRC_A) o.sa = x;
    if (v == PVM_INTERP_SRC_B) o.sb = x;
    return o;
}

/* Five random value registers; a producer that writes x (a stack address when
 * base_in_x, so that a forwarded memory base is valid; or_imm fuses with nothing);
 * then the ops under test (first at instruction index 6); trap. */
static uint8_t *build(pvm_op first, pvm_interp_src v1, pvm_op second, pvm_interp_src v2, bool pair, size_t *len)
{
    pvm_builder *b = test_gp_builder();
    for (unsigned r = 2; r <= 6; r++) pvm_emit_reg_imm64(b, PVM_OP_LOAD_IMM_64, r, next());
    unsigned x = value_reg();
    if (is_memory(first) && v1 == PVM_INTERP_SRC_B) pvm_emit_reg_reg_imm(b, PVM_OP_OR_IMM, x, 1, 0);
    else pvm_emit_reg_reg_imm(b, PVM_OP_XOR_IMM, x, x, (int32_t)next());
    operands f = pick(first, v1, x);
    emit_op(b, first, f.dst, f.sa, f.sb);
    if (pair) {
        unsigned y = writes_reg(first) ? f.dst : x; /* what acc holds after the first */
        operands s = {value_reg(), value_reg_except(y, 0), is_memory(second) ? 1 : value_reg_except(y, 0)};
        if (v2 == PVM_INTERP_SRC_A) s.sa = y;
        if (v2 == PVM_INTERP_SRC_B) s.sb = y;
        emit_op(b, second, s.dst, s.sa, s.sb);
    }
    pvm_emit_none(b, PVM_OP_TRAP);
    return test_gp_finish(b, len);
}

typedef struct {
    pvm_exit_kind kind;
    uint32_t pc;
    uint64_t regs[PVM_REG_COUNT];
    int64_t gas;
    uint8_t stack[64];
} outcome;

/* Runs blob; with check_xop, first checks how instruction 6 is dispatched. */
static outcome run(pvm_backend backend, const uint8_t *blob, size_t len, bool check_xop, int pair,
                   pvm_interp_src v1, pvm_interp_src v2)
{
    pvm_error err;
    pvm_engine *e;
    pvm_module *m;
    pvm_instance *in;
    pvm_engine_config cfg = {backend, PVM_GAS_SYNC, NULL};
    assert_int_equal(pvm_engine_new(&cfg, &e, &err), PVM_OK);
    pvm_module_config mc = {.format = PVM_FORMAT_GP_STANDARD, .isa = PVM_ISA_GP07, .page_size = 4096};
    assert_int_equal(pvm_module_compile(e, blob, len, &mc, NULL, &m, &err), PVM_OK);
    if (check_xop) {
        unsigned xop = m->dec.instrs[6].xop;
        assert_int_equal(pvm_interp_xop_pair(xop), pair);
        assert_int_equal(pvm_interp_xop_src(xop), v1);
        if (pair >= 0) assert_int_equal(pvm_interp_xop_src2(xop), v2);
    }
    assert_int_equal(pvm_instance_new(m, &in, &err), PVM_OK);
    pvm_instance_set_gas(in, 1000);
    pvm_result res;
    assert_int_equal(pvm_instance_run(in, &res, &err), PVM_OK);
    outcome o = {.kind = res.kind, .pc = res.pc, .gas = pvm_instance_gas(in)};
    for (unsigned r = 0; r < PVM_REG_COUNT; r++) o.regs[r] = pvm_instance_reg(in, r);
    assert_int_equal(pvm_instance_read(in, (uint32_t)o.regs[1] - 64, o.stack, sizeof o.stack, &err), PVM_OK);
    pvm_instance_free(in);
    pvm_module_release(m);
    pvm_engine_free(e);
    return o;
}

static void check_same(const uint8_t *blob, size_t len, int pair, pvm_interp_src v1, pvm_interp_src v2)
{
    outcome want = run(PVM_BACKEND_JIT, blob, len, false, pair, v1, v2);
    outcome got = run(PVM_BACKEND_INTERP, blob, len, true, pair, v1, v2);
    assert_int_equal(got.kind, want.kind);
    assert_int_equal(got.pc, want.pc);
    assert_int_equal(got.gas, want.gas);
    for (unsigned r = 0; r < PVM_REG_COUNT; r++) assert_int_equal(got.regs[r], want.regs[r]);
    assert_memory_equal(got.stack, want.stack, sizeof got.stack);
}

static bool variant_applies(pvm_op op, pvm_interp_src v)
{
    return v == PVM_INTERP_SRC_MEMORY || (v == PVM_INTERP_SRC_A && reads_a(op)) || (v == PVM_INTERP_SRC_B && reads_b(op));
}

static void test_every_op_reads_a_forwarded_operand_as_the_register_file_has_it(void **state)
{
    (void)state;
    unsigned tested = 0;
    for (unsigned op = 0; op < PVM_OP_COUNT; op++) {
        /* a pair's first followed by trap is not a pair, so every op runs single */
        if (!testable((pvm_op)op)) continue;
        for (unsigned v = 0; v < PVM_INTERP_SRC_COUNT; v++) {
            if (!variant_applies((pvm_op)op, (pvm_interp_src)v)) continue;
            for (int trial = 0; trial < 4; trial++) {
                size_t len;
                uint8_t *blob = build((pvm_op)op, (pvm_interp_src)v, PVM_OP_TRAP, PVM_INTERP_SRC_MEMORY, false, &len);
                check_same(blob, len, -1, (pvm_interp_src)v, PVM_INTERP_SRC_MEMORY);
                free(blob);
            }
            tested++;
        }
    }
    assert_true(tested > 150); /* every register-reading op in each of its variants */
}

static void test_every_pair_in_every_variant_runs_as_its_two_instructions(void **state)
{
    (void)state;
    for (unsigned k = 0; k < sizeof pairs / sizeof pairs[0]; k++) {
        pvm_op first = (pvm_op)pairs[k][0], second = (pvm_op)pairs[k][1];
        for (unsigned v1 = 0; v1 < PVM_INTERP_SRC_COUNT; v1++) {
            if (!variant_applies(first, (pvm_interp_src)v1)) continue;
            for (unsigned v2 = 0; v2 < PVM_INTERP_SRC_COUNT; v2++) {
                if (!variant_applies(second, (pvm_interp_src)v2)) continue;
                for (int trial = 0; trial < 4; trial++) {
                    size_t len;
                    uint8_t *blob = build(first, (pvm_interp_src)v1, second, (pvm_interp_src)v2, true, &len);
                    check_same(blob, len, (int)k, (pvm_interp_src)v1, (pvm_interp_src)v2);
                    free(blob);
                }
            }
        }
    }
}

/* A run that starts inside a block (the host set pc there) takes the forwarded
 * operand from the register file as the host left it, in every gas mode. */
static void test_a_run_started_inside_a_block_forwards_the_register_file(void **state)
{
    (void)state;
    pvm_builder *b = test_gp_builder();
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, 2, 2, 1000); /* index 0: writes r2 (acc) */
    pvm_emit_reg3(b, PVM_OP_ADD_64, 4, 2, 3);               /* index 1: reads r2 from acc */
    pvm_emit_reg3(b, PVM_OP_MUL_64, 5, 4, 3);               /* index 2: reads r4 from acc */
    pvm_emit_none(b, PVM_OP_TRAP);
    size_t len;
    uint8_t *blob = test_gp_finish(b, &len);
    pvm_error err;
    for (unsigned mode = 0; mode < 3; mode++) {
        pvm_engine *e;
        pvm_module *m;
        pvm_instance *in;
        pvm_engine_config cfg = {PVM_BACKEND_INTERP, (pvm_gas_mode)mode, NULL};
        assert_int_equal(pvm_engine_new(&cfg, &e, &err), PVM_OK);
        pvm_module_config mc = {.format = PVM_FORMAT_GP_STANDARD, .isa = PVM_ISA_GP07, .page_size = 4096};
        assert_int_equal(pvm_module_compile(e, blob, len, &mc, NULL, &m, &err), PVM_OK);
        assert_int_equal(pvm_interp_xop_src(m->dec.instrs[1].xop), PVM_INTERP_SRC_A);
        for (uint32_t start = 1; start <= 2; start++) {
            assert_int_equal(pvm_instance_new(m, &in, &err), PVM_OK);
            assert_int_equal(pvm_instance_set_reg(in, 2, 5, &err), PVM_OK);
            assert_int_equal(pvm_instance_set_reg(in, 3, 7, &err), PVM_OK);
            assert_int_equal(pvm_instance_set_reg(in, 4, 11, &err), PVM_OK);
            assert_int_equal(pvm_instance_set_pc(in, m->dec.instrs[start].pc, &err), PVM_OK);
            pvm_instance_set_gas(in, 1000);
            pvm_result res;
            assert_int_equal(pvm_instance_run(in, &res, &err), PVM_OK);
            assert_int_equal(res.kind, PVM_EXIT_PANIC);
            if (start == 1) {
                assert_int_equal(pvm_instance_reg(in, 4), 12);
                assert_int_equal(pvm_instance_reg(in, 5), 84);
            } else {
                assert_int_equal(pvm_instance_reg(in, 4), 11);
                assert_int_equal(pvm_instance_reg(in, 5), 77);
            }
            pvm_instance_free(in);
        }
        pvm_module_release(m);
        pvm_engine_free(e);
    }
    free(blob);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_op_reads_a_forwarded_operand_as_the_register_file_has_it),
        cmocka_unit_test(test_every_pair_in_every_variant_runs_as_its_two_instructions),
        cmocka_unit_test(test_a_run_started_inside_a_block_forwards_the_register_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
