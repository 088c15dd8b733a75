/* pvm_engine_set_fault_handler_once, on both backends: by default a fresh run puts the VM's
 * SIGSEGV handler back in front of one the host installed after the engine's first run (and
 * a guest fault still ends as the guest's page fault); with the option set, a fresh run leaves
 * the host's handler where it is (no sigaction calls per run), while a run before the host's
 * installation handles guest faults as before. */
#define _GNU_SOURCE
#include <signal.h>
#include "test_util.h"

static void host_handler(int sig, siginfo_t *si, void *uctx) { (void)sig, (void)si, (void)uctx; abort(); }

static bool host_in_front(void)
{
    struct sigaction cur;
    assert_int_equal(sigaction(SIGSEGV, NULL, &cur), 0);
    return (cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == host_handler;
}

/* export "run": a0 = a0 + 1; export "fault": a load from address 0x40000000 (never mapped). */
static pvm_builder *program(void)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST64);
    pvm_label run = pvm_builder_label(b), fault = pvm_builder_label(b);
    pvm_builder_export(b, "run", run);
    pvm_builder_export(b, "fault", fault);
    pvm_builder_bind(b, run);
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, 7, 7, 1);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, PVM_REG_RA, 0);
    pvm_builder_bind(b, fault);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_U64, 8, 0x40000000);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, PVM_REG_RA, 0);
    return b;
}

static pvm_exit_kind call(test_vm *t, const char *export_name, uint64_t arg)
{
    return test_vm_call(t, export_name, &arg, 1).kind;
}

static void check(pvm_backend backend, bool once)
{
    test_vm t;
    test_vm_open(&t, program(), backend, PVM_GAS_NONE, NULL);
    pvm_engine_set_fault_handler_once(t.engine, once); /* before the engine's first run */

    assert_int_equal(call(&t, "run", 41), PVM_EXIT_HALT); /* the engine's first run: ours in front */
    assert_int_equal(pvm_instance_reg(t.inst, 7), 42);
    assert_false(host_in_front());
    assert_int_equal(call(&t, "fault", 0), PVM_EXIT_PAGE_FAULT); /* a guest fault, handled */

    struct sigaction host = {0}, saved;
    host.sa_sigaction = host_handler;
    host.sa_flags = SA_SIGINFO;
    assert_int_equal(sigaction(SIGSEGV, &host, &saved), 0); /* the host comes after */

    assert_int_equal(call(&t, "run", 1), PVM_EXIT_HALT); /* a fresh run */
    assert_int_equal(pvm_instance_reg(t.inst, 7), 2);
    if (once) {
        assert_true(host_in_front()); /* left where it is */
    } else {
        assert_false(host_in_front()); /* ours in front again, chaining to the host's */
        assert_int_equal(call(&t, "fault", 0), PVM_EXIT_PAGE_FAULT);
    }
    assert_int_equal(sigaction(SIGSEGV, &saved, NULL), 0);

    test_vm_close(&t);
}

static void interp_every_run(void **state) { (void)state, check(PVM_BACKEND_INTERP, false); }
static void interp_once(void **state) { (void)state, check(PVM_BACKEND_INTERP, true); }
static void jit_every_run(void **state)
{
    (void)state;
    if (!pvm_backend_available(PVM_BACKEND_JIT)) skip();
    check(PVM_BACKEND_JIT, false);
}
static void jit_once(void **state)
{
    (void)state;
    if (!pvm_backend_available(PVM_BACKEND_JIT)) skip();
    check(PVM_BACKEND_JIT, true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(interp_every_run),
        cmocka_unit_test(interp_once),
        cmocka_unit_test(jit_every_run),
        cmocka_unit_test(jit_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
