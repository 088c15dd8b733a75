/* Two instances hold the same guest memory: the page table, then the bytes of a
 * region (read through the API, so lazy pages read as the guest would see them). */
#ifndef PVMLAB_TESTS_LAZY_SAME_MEMORY_H
#define PVMLAB_TESTS_LAZY_SAME_MEMORY_H
#include <stdlib.h>
#include "vm/state/vm_state.h"

static void assert_same_page_table(pvm_instance *a, pvm_instance *b)
{
    assert_memory_equal(a->mem.perm, b->mem.perm, PVM_PAGES);
}

static void assert_same_bytes(pvm_instance *a, pvm_instance *b, uint32_t addr, uint32_t size)
{
    uint8_t *x = malloc(size ? size : 1), *y = malloc(size ? size : 1);
    assert_non_null(x);
    assert_non_null(y);
    assert_int_equal(pvm_instance_read(a, addr, x, size, NULL), PVM_OK);
    assert_int_equal(pvm_instance_read(b, addr, y, size, NULL), PVM_OK);
    assert_memory_equal(x, y, size);
    free(x);
    free(y);
}
#endif
