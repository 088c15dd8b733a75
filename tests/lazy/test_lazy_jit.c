/* Lazy pages give the same outcome on the recompiler as on the interpreter:
 * gas left, exit, a0 and the number of read and write fills, for both lazy
 * backends, sync and async gas, with and without running out of gas on a
 * page charge.
 *
 * The comparison runs in a forked child: cmocka installs its own SIGSEGV
 * handler around each test, and the recompiler's handler (installed on its
 * first run in a process) must sit on top of it to see guest faults. */
#include <stdio.h>
#include "tests/vm/test_util.h"
#include "vm/state/vm_state.h"
#include "vm/memory/lazy.h"
#include "bench/sandbox/touch_program.h"

typedef struct {
    int64_t gas;
    pvm_exit_kind kind;
    uint64_t a0;
    pvm_lazy_stats fills;
} outcome;

static uint8_t image[9000];

static bool run(pvm_backend be, pvm_gas_mode gm, pvm_lazy_backend lazy, const char *export_name, int64_t gas,
                outcome *o)
{
    pvm_engine_config cfg = {be, gm, NULL};
    pvm_engine *e;
    pvm_module *m;
    pvm_instance *in;
    pvm_error err;
    uint8_t *bytes;
    size_t len;
    pvm_builder *b = touch_program(64 * 4096, image, sizeof image, 0, NULL, 0);
    bool ok = pvm_engine_new(&cfg, &e, &err) == PVM_OK && pvm_builder_finish_polkavm(b, &bytes, &len, &err) == PVM_OK &&
              pvm_module_compile(e, bytes, len, NULL, NULL, &m, &err) == PVM_OK &&
              pvm_instance_new(m, &in, &err) == PVM_OK && pvm_lazy_enable(&in->mem, lazy, &err) == PVM_OK &&
              pvm_instance_reset(in, &err) == PVM_OK;
    pvm_builder_free(b);
    if (!ok) {
        printf("setup: %s\n", err.msg);
        return false;
    }
    free(bytes);
    uint64_t args[3] = {m->layout.rw_addr + 1, 9, 4096};
    pvm_result r;
    ok = pvm_instance_prepare_call(in, export_name, 0, args, 3, &err) == PVM_OK;
    pvm_instance_set_gas(in, gas);
    ok = ok && pvm_instance_run(in, &r, &err) == PVM_OK;
    *o = (outcome){pvm_instance_gas(in), r.kind, pvm_instance_reg(in, 7), pvm_lazy_get_stats(&in->mem)};
    pvm_instance_free(in);
    pvm_module_release(m);
    pvm_engine_free(e);
    return ok;
}

/* Child: 0 if every case agrees. */
static int compare_all(void)
{
    for (size_t i = 0; i < sizeof image; i++) image[i] = (uint8_t)(i * 7 + 1);
    static const char *const exports[2] = {"write_pages", "read_pages"};
    static const pvm_gas_mode modes[2] = {PVM_GAS_SYNC, PVM_GAS_ASYNC};
    static const int64_t gas[3] = {200, 1000, 100000}; /* out of gas at the first, a later, and no page */
    int bad = 0;
    for (int lz = 0; lz < 2; lz++) {
        const char *why;
        if (lz == PVM_LAZY_USERFAULTFD && !pvm_lazy_userfaultfd_available(&why)) {
            printf("# userfaultfd backend skipped: %s\n", why);
            continue;
        }
        for (int x = 0; x < 2; x++)
            for (int g = 0; g < 2; g++)
                for (int k = 0; k < 3; k++) {
                    outcome a, b;
                    if (!run(PVM_BACKEND_INTERP, modes[g], (pvm_lazy_backend)lz, exports[x], gas[k], &a) ||
                        !run(PVM_BACKEND_JIT, modes[g], (pvm_lazy_backend)lz, exports[x], gas[k], &b))
                        return 1;
                    if (a.gas != b.gas || a.kind != b.kind || a.a0 != b.a0 || a.fills.read_fills != b.fills.read_fills ||
                        a.fills.write_fills != b.fills.write_fills) {
                        printf("DIFF lazy=%d %s mode=%d gas=%lld: interp %lld %s %llu | jit %lld %s %llu\n", lz, exports[x],
                               (int)modes[g], (long long)gas[k], (long long)a.gas, pvm_exit_name(a.kind),
                               (unsigned long long)a.a0, (long long)b.gas, pvm_exit_name(b.kind), (unsigned long long)b.a0);
                        bad = 1;
                    }
                }
    }
    return bad;
}

static void test_jit_agrees_with_interpreter(void **s)
{
    if (!pvm_backend_available(PVM_BACKEND_JIT)) {
        printf("# recompiler not built: nothing to compare\n");
        return;
    }
    test_assert_child_passes(compare_all);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_jit_agrees_with_interpreter)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
