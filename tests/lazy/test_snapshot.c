/* Instances mapped copy-on-write from the module's data snapshot (memory/image.h):
 * after the guest writes rw pages, the host writes a read-only page, sbrk maps heap
 * pages and the host remaps part of a region, a reset gives exactly the memory and the
 * page table of a fresh instance, on both backends, and equal to an engine that copies
 * the data; a freed instance's window comes back from the engine's pool cleared. */
#include <string.h>
#include "tests/vm/test_util.h"
#include "vm/state/vm_state.h"
#include "same_memory.h"
#include "bench/sandbox/touch_program.h"

#define RW_SIZE (1u << 20)
#define RO_SIZE (64u << 10)

static uint8_t rw_init[3 * 4096 + 17], ro_init[5000];

static pvm_builder *program(void)
{
    for (size_t i = 0; i < sizeof rw_init; i++) rw_init[i] = (uint8_t)(i * 7 + 1);
    for (size_t i = 0; i < sizeof ro_init; i++) ro_init[i] = (uint8_t)(i * 13 + 5);
    return touch_program(RW_SIZE, rw_init, sizeof rw_init, RO_SIZE, ro_init, sizeof ro_init);
}

/* Memory and page table of a against b: every page either has mapped (rw, ro, stack). */
static void assert_same_memory(pvm_instance *a, pvm_instance *b)
{
    const pvm_layout *L = &a->module->layout;
    assert_same_page_table(a, b);
    assert_same_bytes(a, b, L->rw_addr, RW_SIZE);
    assert_same_bytes(a, b, L->ro_addr, RO_SIZE);
    assert_same_bytes(a, b, L->stack_addr, L->stack_len);
}

static void dirty_everything(test_vm *t)
{
    const pvm_layout *L = &t->module->layout;
    uint64_t args[3] = {L->rw_addr, RW_SIZE / 4096, 4096};
    assert_int_equal(test_vm_call(t, "write_pages", args, 3).kind, PVM_EXIT_HALT);
    uint64_t grow[1] = {5 * 4096};
    assert_int_equal(test_vm_call(t, "sbrk", grow, 1).kind, PVM_EXIT_HALT);
    assert_int_equal(pvm_instance_page_access(t->inst, L->rw_addr + RW_SIZE + 4096), PVM_ACCESS_WRITE);
    static const uint8_t junk[] = "host wrote here";
    assert_int_equal(pvm_instance_write(t->inst, L->ro_addr + 100, junk, sizeof junk, NULL), PVM_OK);
    assert_int_equal(pvm_instance_write(t->inst, L->stack_addr, junk, sizeof junk, NULL), PVM_OK);
}

static void reset_case(pvm_backend backend)
{
    if (!pvm_backend_available(backend)) skip();
    test_vm t, copy;
    pvm_error err;
    test_vm_open(&t, program(), backend, PVM_GAS_NONE, NULL);
    test_vm_open(&copy, program(), backend, PVM_GAS_NONE, NULL);
    /* the copying engine: its instance is made again after the switch */
    pvm_instance_free(copy.inst);
    pvm_engine_set_copy_memory_image(copy.engine, true);
    assert_int_equal(pvm_instance_new(copy.module, &copy.inst, &err), PVM_OK);
    assert_true(t.inst->layout_from_image);
    assert_false(copy.inst->layout_from_image);
    assert_same_memory(t.inst, copy.inst);

    for (int round = 0; round < 2; round++) { /* the fast path: dirty pages and heap pages */
        dirty_everything(&t);
        assert_int_equal(pvm_instance_reset(t.inst, &err), PVM_OK);
        assert_true(t.inst->layout_from_image);
        assert_same_memory(t.inst, copy.inst);
    }
    /* A host mapping over the layout (rw pages made read-only): the reset maps again. */
    const pvm_layout *L = &t.module->layout;
    assert_int_equal(pvm_instance_map(t.inst, L->rw_addr, 8192, PVM_ACCESS_READ, &err), PVM_OK);
    assert_int_equal(pvm_instance_reset(t.inst, &err), PVM_OK);
    assert_int_equal(pvm_instance_page_access(t.inst, L->rw_addr), PVM_ACCESS_WRITE);
    assert_same_memory(t.inst, copy.inst);

    /* The pool: a freed, dirtied instance's window serves the next instance, clean. */
    dirty_everything(&t);
    uint8_t *window = t.inst->mem.base;
    pvm_instance_free(t.inst);
    assert_int_equal(pvm_instance_new(t.module, &t.inst, &err), PVM_OK);
    assert_ptr_equal(t.inst->mem.base, window);
    assert_same_memory(t.inst, copy.inst);
    /* and it runs like a fresh one */
    uint64_t args[3] = {L->rw_addr, 4, 1};
    pvm_result r = test_vm_call(&t, "read_pages", args, 3);
    assert_int_equal(r.kind, PVM_EXIT_HALT);
    assert_int_equal(pvm_instance_reg(t.inst, 7), rw_init[0] + rw_init[1] + rw_init[2] + rw_init[3]);
    test_vm_close(&copy);
    test_vm_close(&t);
}

static void test_snapshot_interp(void **s) { reset_case(PVM_BACKEND_INTERP); }
static void test_snapshot_jit(void **s) { reset_case(PVM_BACKEND_JIT); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_snapshot_interp),
        cmocka_unit_test(test_snapshot_jit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
