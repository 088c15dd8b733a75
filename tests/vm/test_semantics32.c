/* Latest32 semantics: registers stay sign-extended 32-bit values; ops whose
 * 64-bit form differs (mul_upper, reverse_bytes) use the 32-bit meaning. */
#include <string.h>
#include "test_util.h"
#include "vm/state/vm_state.h"
#include "vm/interp/interp.h"

typedef struct {
    int op;
    uint32_t a, b, want;
} case32;

static void check_cases(pvm_backend be)
{
    const case32 cases[] = {
        {PVM_OP_ADD_32, 0x7fffffff, 1, 0x80000000},
        {PVM_OP_MUL_UPPER_S_S, 0xffffffff, 0xffffffff, 0},          /* -1 * -1 = 1: high word 0 */
        {PVM_OP_MUL_UPPER_U_U, 0xffffffff, 0xffffffff, 0xfffffffe},
        {PVM_OP_MUL_UPPER_S_U, 0xffffffff, 0xffffffff, 0xffffffff}, /* -1 * (2^32-1) */
        {PVM_OP_SET_LT_U, 0x80000000, 0x7fffffff, 0},
        {PVM_OP_SET_LT_S, 0x80000000, 0x7fffffff, 1},
        {PVM_OP_MAX_U, 0x80000000, 5, 0x80000000},
        {PVM_OP_MIN, 0x80000000, 5, 0x80000000},
        {PVM_OP_DIV_S_32, 0x80000000, 0xffffffff, 0x80000000},
        {PVM_OP_REM_U_32, 7, 0, 7},
        {PVM_OP_ROT_R_32, 1, 1, 0x80000000},
        {PVM_OP_XNOR, 0, 0, 0xffffffff},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST32);
        pvm_label l = pvm_builder_label(b);
        pvm_builder_export(b, "f", l);
        pvm_builder_bind(b, l);
        pvm_emit_reg3(b, cases[i].op, 7, 7, 8);
        pvm_emit_reg_reg(b, PVM_OP_REVERSE_BYTES, 9, 7);
        pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, 0, 0);
        test_vm t;
        test_vm_open(&t, b, be, PVM_GAS_NONE, NULL);
        uint64_t args[2] = {cases[i].a, cases[i].b};
        pvm_result r = test_vm_call(&t, "f", args, 2);
        assert_int_equal(r.kind, PVM_EXIT_HALT);
        if (pvm_instance_reg(t.inst, 7) != cases[i].want)
            fail_msg("%s(0x%x, 0x%x) = 0x%llx, want 0x%x", pvm_op_table[cases[i].op].name, cases[i].a, cases[i].b,
                     (unsigned long long)pvm_instance_reg(t.inst, 7), cases[i].want);
        assert_int_equal(pvm_instance_reg(t.inst, 9), __builtin_bswap32(cases[i].want));
        test_vm_close(&t);
    }
}

static void test_semantics32(void **s)
{
    check_cases(PVM_BACKEND_INTERP);
    if (pvm_backend_available(PVM_BACKEND_JIT)) check_cases(PVM_BACKEND_JIT);
}

static void test_64bit_only_ops_rejected_by_builder(void **s)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST32);
    pvm_emit_reg3(b, PVM_OP_ADD_64, 1, 2, 3);
    uint8_t *out;
    size_t len;
    pvm_error err;
    assert_int_equal(pvm_builder_finish_polkavm(b, &out, &len, &err), PVM_ERR_INVALID_ARGUMENT);
    assert_non_null(strstr(err.msg, "add_64"));
    pvm_builder_free(b);
}

/* The width ops (vm/interp/interp_width.def) in a 32-bit and a 64-bit module, with the
 * operand in acc as a, as b, or in neither (the instruction before writes r10, r7 or r8):
 * a 32-bit module dispatches them to their 32-bit handlers (the xop says so), a 64-bit
 * module to the op's own; both give what the recompiler gives, in every gas mode. */
static uint64_t width_run(pvm_isa isa, pvm_backend be, pvm_gas_mode gm, int op, unsigned fwd, uint64_t x, uint64_t y)
{
    pvm_builder *b = pvm_builder_new(isa);
    pvm_label l = pvm_builder_label(b);
    pvm_builder_export(b, "f", l);
    pvm_builder_bind(b, l);
    unsigned w = fwd == 1 ? 7 : fwd == 2 ? 8 : 10; /* register written just before the op */
    pvm_emit_reg_reg_imm(b, PVM_OP_XOR_IMM, w, w, 0x5a);
    if (op == PVM_OP_REVERSE_BYTES) pvm_emit_reg_reg(b, op, 9, 7);
    else pvm_emit_reg3(b, op, 9, 7, 8);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, 0, 0);
    test_vm t;
    test_vm_open(&t, b, be, gm, NULL);
    if (be == PVM_BACKEND_INTERP) {
        unsigned xop = t.module->dec.instrs[1].xop;
        assert_int_equal(pvm_interp_xop_w32(xop), isa == PVM_ISA_LATEST32);
        assert_int_equal(pvm_interp_xop_pair(xop), -1);
    }
    pvm_instance_set_gas(t.inst, 1000);
    uint64_t args[2] = {x, y};
    pvm_result r = test_vm_call(&t, "f", args, 2);
    assert_int_equal(r.kind, PVM_EXIT_HALT);
    uint64_t v = pvm_instance_reg(t.inst, 9);
    test_vm_close(&t);
    return v;
}

static void test_width_ops_dispatched_by_module_width(void **s)
{
    if (!pvm_backend_available(PVM_BACKEND_JIT)) skip();
    const int ops[] = {PVM_OP_MUL_UPPER_S_S, PVM_OP_MUL_UPPER_U_U, PVM_OP_MUL_UPPER_S_U, PVM_OP_REVERSE_BYTES};
    const uint64_t vals[] = {0xffffffffu, 0x80000000u, 0x7fffffffu, 0x12345678u, 3, 0};
    const pvm_isa isas[] = {PVM_ISA_LATEST32, PVM_ISA_LATEST64};
    const pvm_gas_mode gms[] = {PVM_GAS_NONE, PVM_GAS_SYNC, PVM_GAS_ASYNC};
    unsigned checked = 0;
    for (size_t i = 0; i < sizeof isas / sizeof *isas; i++)
        for (size_t k = 0; k < sizeof ops / sizeof *ops; k++)
            for (unsigned fwd = 0; fwd < 3; fwd++)
                for (size_t a = 0; a < sizeof vals / sizeof *vals; a++) {
                    /* 64-bit operands in a 64-bit module: the high half set too */
                    uint64_t x = isas[i] == PVM_ISA_LATEST64 ? vals[a] * 0x9e3779b97f4a7c15u : vals[a];
                    uint64_t y = isas[i] == PVM_ISA_LATEST64 ? vals[(a + 2) % 6] ^ (x << 7) : vals[(a + 2) % 6];
                    uint64_t gm_ = gms[(a + fwd) % 3];
                    uint64_t want = width_run(isas[i], PVM_BACKEND_JIT, (pvm_gas_mode)gm_, ops[k], fwd, x, y);
                    uint64_t got = width_run(isas[i], PVM_BACKEND_INTERP, (pvm_gas_mode)gm_, ops[k], fwd, x, y);
                    if (got != want)
                        fail_msg("%s %s(0x%llx, 0x%llx) variant %u: interp 0x%llx, jit 0x%llx", isas[i] == PVM_ISA_LATEST32 ? "32" : "64",
                                 pvm_op_table[ops[k]].name, (unsigned long long)x, (unsigned long long)y, fwd,
                                 (unsigned long long)got, (unsigned long long)want);
                    checked++;
                }
    assert_int_equal(checked, 2 * 4 * 3 * 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_semantics32),
        cmocka_unit_test(test_64bit_only_ops_rejected_by_builder),
        cmocka_unit_test(test_width_ops_dispatched_by_module_width),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
