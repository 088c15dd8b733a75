/* Reset after a guest wrote every page: memory is zero again and the page
 * table is exactly that of a fresh instance, with 4 KiB pages and with huge
 * pages (the fast reset), with and without lazy pages. */
#include <string.h>
#include "tests/vm/test_util.h"
#include "vm/state/vm_state.h"
#include "vm/memory/lazy.h"
#include "bench/sandbox/touch_program.h"
#include "same_memory.h"

#define RW_SIZE (6u << 20)

static void check_like_fresh(pvm_instance *in, pvm_instance *fresh)
{
    assert_same_page_table(in, fresh);
    assert_same_bytes(in, fresh, in->module->layout.rw_addr, RW_SIZE);
}

static void reset_case(bool huge, bool lazy)
{
    static const uint8_t init[] = "initial rw bytes";
    test_vm t;
    test_vm_open(&t, touch_program(RW_SIZE, init, sizeof init, 0, NULL, 0), PVM_BACKEND_INTERP, PVM_GAS_NONE, NULL);
    pvm_instance *fresh;
    pvm_error err;
    assert_int_equal(pvm_instance_new(t.module, &fresh, &err), PVM_OK);
    if (huge) assert_int_equal(pvm_memory_set_huge_pages(&t.inst->mem, true, &err), PVM_OK);
    if (lazy) {
        assert_int_equal(pvm_lazy_enable(&t.inst->mem, PVM_LAZY_MPROTECT, &err), PVM_OK);
        assert_int_equal(pvm_lazy_enable(&fresh->mem, PVM_LAZY_MPROTECT, &err), PVM_OK);
        assert_int_equal(pvm_instance_reset(fresh, &err), PVM_OK);
        assert_int_equal(pvm_instance_reset(t.inst, &err), PVM_OK);
    }
    for (int round = 0; round < 2; round++) {
        uint64_t args[3] = {t.module->layout.rw_addr, RW_SIZE / 4096, 4096};
        pvm_result r = test_vm_call(&t, "write_pages", args, 3);
        assert_int_equal(r.kind, PVM_EXIT_HALT);
        uint8_t byte;
        assert_int_equal(pvm_instance_read(t.inst, t.module->layout.rw_addr + RW_SIZE - 4096, &byte, 1, NULL), PVM_OK);
        assert_int_equal(byte, 1);
        assert_int_equal(pvm_instance_reset(t.inst, &err), PVM_OK);
        if (lazy) { /* nothing was materialised by the comparison yet: compare the tables first */
            assert_memory_equal(t.inst->mem.perm, fresh->mem.perm, PVM_PAGES);
            assert_int_equal(pvm_lazy_get_stats(&t.inst->mem).write_fills, 0);
        }
        check_like_fresh(t.inst, fresh);
        assert_int_equal(pvm_instance_reset(t.inst, &err), PVM_OK);
        if (lazy) assert_int_equal(pvm_instance_reset(fresh, &err), PVM_OK);
    }
    pvm_instance_free(fresh);
    test_vm_close(&t);
}

static void test_reset_4k(void **s) { reset_case(false, false); }
static void test_reset_huge(void **s) { reset_case(true, false); }
static void test_reset_huge_lazy(void **s) { reset_case(true, true); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reset_4k),
        cmocka_unit_test(test_reset_huge),
        cmocka_unit_test(test_reset_huge_lazy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
