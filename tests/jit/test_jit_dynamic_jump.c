/* Dynamic jumps through the recompiler's native jump table, against the
 * interpreter: a valid entry, an entry that is not a block start (a gp07 jump
 * table may point anywhere: the jump panics), past the table, odd, zero and the
 * halt address; from jump_ind and load_imm_jump_ind. ctest runs it twice: as
 * the host allows (the absolute table below 2 GiB) and with PVMLAB_JIT_PLAIN=1
 * (the table of offsets). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "vm/isa/isa.h"
#include "pvm/builder.h"
#include "pvm/pvm.h"

enum { A0 = 7, A1 = 8, A2 = 9 };

/* pc 0: jump_ind a0 (or load_imm_jump_ind a2 = 9, to a0); then a block that sets
 * a1 = 77, a mid-block instruction (table entry 2) that sets a2 = 5, and a
 * return to the host through ra. */
static pvm_module *compile(pvm_engine *e, bool load_imm_form)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_GP07);
    pvm_label block = pvm_builder_label(b), mid = pvm_builder_label(b);
    if (load_imm_form) pvm_emit_reg_reg_imm_imm(b, PVM_OP_LOAD_IMM_JUMP_IND, A2, A0, 9, 0);
    else pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, A0, 0);
    pvm_builder_bind(b, block);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, A1, 77);
    pvm_builder_bind(b, mid);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, A2, 5);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, PVM_REG_RA, 0);
    assert_int_equal(pvm_builder_jump_table_add(b, block), 2);
    assert_int_equal(pvm_builder_jump_table_add(b, mid), 4);
    uint8_t *blob;
    size_t len;
    pvm_module *m = NULL;
    pvm_module_config mc = {.format = PVM_FORMAT_GP_BLOB, .isa = PVM_ISA_GP07, .page_size = 4096};
    assert_int_equal(pvm_builder_finish_gp(b, &blob, &len, NULL), PVM_OK);
    assert_int_equal(pvm_module_compile(e, blob, len, &mc, NULL, &m, NULL), PVM_OK);
    free(blob);
    pvm_builder_free(b);
    return m;
}

typedef struct {
    pvm_exit_kind kind;
    uint32_t pc;
    uint64_t a1, a2;
} outcome;

static outcome run(pvm_module *m, uint64_t target)
{
    pvm_instance *in;
    pvm_result res;
    assert_int_equal(pvm_instance_new(m, &in, NULL), PVM_OK);
    assert_int_equal(pvm_instance_prepare_call(in, NULL, 0, &target, 1, NULL), PVM_OK);
    pvm_instance_set_gas(in, 1000);
    assert_int_equal(pvm_instance_run(in, &res, NULL), PVM_OK);
    outcome o = {res.kind, res.pc, pvm_instance_reg(in, A1), pvm_instance_reg(in, A2)};
    pvm_instance_free(in);
    return o;
}

static void each_target(bool load_imm_form)
{
    pvm_engine *engines[2];
    pvm_module *modules[2];
    for (int k = 0; k < 2; k++) {
        pvm_engine_config cfg = {k ? PVM_BACKEND_JIT : PVM_BACKEND_INTERP, PVM_GAS_SYNC, NULL};
        assert_int_equal(pvm_engine_new(&cfg, &engines[k], NULL), PVM_OK);
        modules[k] = compile(engines[k], load_imm_form);
    }
    static const uint64_t targets[] = {2, 4, 6, 3, 0, PVM_ADDR_HALT, PVM_ADDR_HALT + 2, 0x100000002ull};
    for (size_t t = 0; t < sizeof targets / sizeof targets[0]; t++) {
        outcome want = run(modules[0], targets[t]), got = run(modules[1], targets[t]);
        assert_int_equal(got.kind, want.kind);
        assert_int_equal(got.pc, want.pc);
        assert_int_equal(got.a1, want.a1);
        assert_int_equal(got.a2, want.a2);
        /* What the interpreter says, pinned: entry 1 runs, the rest but halt panic at pc 0. */
        if (targets[t] == 2 || targets[t] == 0x100000002ull) assert_true(want.kind == PVM_EXIT_HALT && want.a1 == 77);
        else if (targets[t] == PVM_ADDR_HALT) assert_int_equal(want.kind, PVM_EXIT_HALT);
        else assert_true(want.kind == PVM_EXIT_PANIC && want.pc == 0);
    }
    for (int k = 0; k < 2; k++) pvm_engine_free(engines[k]);
}

static void jump_ind_targets(void **state)
{
    (void)state;
    each_target(false);
}

static void load_imm_jump_ind_targets(void **state)
{
    (void)state;
    each_target(true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(jump_ind_targets),
        cmocka_unit_test(load_imm_jump_ind_targets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
