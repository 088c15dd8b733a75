/* Helpers for VM tests: build a program, compile, run. */
#ifndef PVM_TEST_UTIL_H
#define PVM_TEST_UTIL_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "vm/isa/isa.h"
#include "pvm/builder.h"
#include "pvm/pvm.h"

typedef struct {
    pvm_engine *engine;
    pvm_module *module;
    pvm_instance *inst;
} test_vm;

/* Finish b as .polkavm (or GP blob for gp07) and instantiate on an engine with the given config. */
static inline void test_vm_open(test_vm *t, pvm_builder *b, pvm_backend be, pvm_gas_mode gm, const pvm_cost_model *cm)
{
    uint8_t *bytes;
    size_t len;
    pvm_error err = {{0}};
    pvm_engine_config cfg = {be, gm, cm};
    assert_int_equal(pvm_engine_new(&cfg, &t->engine, &err), PVM_OK);
    pvm_status st = pvm_builder_finish_polkavm(b, &bytes, &len, &err);
    if (st) fail_msg("builder: %s", err.msg);
    st = pvm_module_compile(t->engine, bytes, len, NULL, NULL, &t->module, &err);
    if (st) fail_msg("compile: %s", err.msg);
    free(bytes);
    assert_int_equal(pvm_instance_new(t->module, &t->inst, &err), PVM_OK);
    pvm_builder_free(b);
}

static inline void test_vm_close(test_vm *t)
{
    pvm_instance_free(t->inst);
    pvm_module_release(t->module);
    pvm_engine_free(t->engine);
}

static inline pvm_result test_vm_call(test_vm *t, const char *export_name, const uint64_t *args, size_t n)
{
    pvm_error err = {{0}};
    pvm_result r;
    assert_int_equal(pvm_instance_prepare_call(t->inst, export_name, 0, args, n, &err), PVM_OK);
    if (pvm_instance_run(t->inst, &r, &err)) fail_msg("run: %s", err.msg);
    return r;
}

/* A builder of a GP standard program (gp07) with a 4 KiB stack, and its blob when finished
 * (the builder freed; the caller frees the blob). */
static inline pvm_builder *test_gp_builder(void)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_GP07);
    assert_non_null(b);
    pvm_builder_set_stack_size(b, 4096);
    return b;
}

/* Finishes b with one of the builder's finish functions (failing the test if it refuses), frees
 * it and returns the blob. */
static inline uint8_t *test_builder_finish(pvm_builder *b, size_t *len,
                                           pvm_status (*finish)(pvm_builder *, uint8_t **, size_t *, pvm_error *))
{
    uint8_t *blob;
    pvm_error err = {{0}};
    if (finish(b, &blob, len, &err) != PVM_OK) fail_msg("builder: %s", err.msg);
    pvm_builder_free(b);
    return blob;
}

static inline uint8_t *test_gp_finish(pvm_builder *b, size_t *len)
{
    return test_builder_finish(b, len, pvm_builder_finish_gp_standard);
}

/* A builder of a .polkavm program for isa with a 4 KiB stack whose export "main" starts at
 * the first instruction emitted next, and its blob when finished (the builder freed; the
 * caller frees the blob). */
static inline pvm_builder *test_polkavm_builder(pvm_isa isa)
{
    pvm_builder *b = pvm_builder_new(isa);
    assert_non_null(b);
    pvm_builder_set_stack_size(b, 4096);
    pvm_label entry = pvm_builder_label(b);
    pvm_builder_export(b, "main", entry);
    pvm_builder_bind(b, entry);
    return b;
}

static inline uint8_t *test_polkavm_finish(pvm_builder *b, size_t *len)
{
    return test_builder_finish(b, len, pvm_builder_finish_polkavm);
}

/* Runs fn in a forked child (cmocka's own SIGSEGV handler must not sit in front of the
 * VM's fault handler) and asserts that it exited with 0. */
static inline void test_assert_child_passes(int (*fn)(void))
{
    fflush(stdout);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int rc = fn();
        fflush(stdout);
        _exit(rc);
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
}
#endif
