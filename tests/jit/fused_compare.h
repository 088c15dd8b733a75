/* The recompiler against the interpreter on small built programs (test_jit_fused*.c): the
 * two engines of a comparison, a built program compiled on one, and how a run ended.
 * Include after cmocka.h. */
#ifndef PVMLAB_TESTS_JIT_FUSED_COMPARE_H
#define PVMLAB_TESTS_JIT_FUSED_COMPARE_H

#include <stdlib.h>

#include "pvm/builder.h"
#include "pvm/pvm.h"

typedef struct {
    pvm_exit_kind kind;
    uint32_t pc;
    int64_t gas;
    uint64_t regs[PVM_REG_COUNT];
} outcome;

/* The engines of a comparison: the interpreter's (which 0) and the recompiler's (1), in gas mode mode. */
static inline pvm_engine *pair_engine(int which, pvm_gas_mode mode)
{
    pvm_engine_config cfg = {which ? PVM_BACKEND_JIT : PVM_BACKEND_INTERP, mode, NULL};
    pvm_engine *e = NULL;
    assert_int_equal(pvm_engine_new(&cfg, &e, NULL), PVM_OK);
    return e;
}

/* b's program as a .polkavm blob compiled on e (b is freed). */
static inline pvm_module *finish(pvm_engine *e, pvm_builder *b)
{
    uint8_t *blob;
    size_t len;
    pvm_module *m = NULL;
    pvm_module_config mc = {.format = PVM_FORMAT_POLKAVM};
    assert_int_equal(pvm_builder_finish_polkavm(b, &blob, &len, NULL), PVM_OK);
    assert_int_equal(pvm_module_compile(e, blob, len, &mc, NULL, &m, NULL), PVM_OK);
    free(blob);
    pvm_builder_free(b);
    return m;
}

/* Runs a prepared instance from `gas` and frees it: how it stopped, its gas and registers. */
static inline outcome run_prepared(pvm_instance *in, int64_t gas)
{
    pvm_result res;
    outcome o;
    pvm_instance_set_gas(in, gas);
    assert_int_equal(pvm_instance_run(in, &res, NULL), PVM_OK);
    o.kind = res.kind;
    o.pc = res.pc;
    o.gas = pvm_instance_gas(in);
    for (unsigned r = 0; r < PVM_REG_COUNT; r++) o.regs[r] = pvm_instance_reg(in, r);
    pvm_instance_free(in);
    return o;
}

/* The two runs ended alike: exit, pc, gas and every register. */
static inline void assert_same_outcome(const outcome *got, const outcome *want)
{
    assert_int_equal(got->kind, want->kind);
    assert_int_equal(got->pc, want->pc);
    assert_int_equal(got->gas, want->gas);
    for (unsigned r = 0; r < PVM_REG_COUNT; r++) assert_int_equal(got->regs[r], want->regs[r]);
}

#endif
