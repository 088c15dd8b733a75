/* Latest32 semantics: registers stay sign-extended 32-bit values; ops whose
 * 64-bit form differs (mul_upper, reverse_bytes) use the 32-bit meaning. */
#include <string.h>
#include "test_util.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_semantics32),
        cmocka_unit_test(test_64bit_only_ops_rejected_by_builder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
