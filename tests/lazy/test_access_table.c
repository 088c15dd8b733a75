/* The access table's storage (vm/memory/access_table.c): a new table is the shared
 * zero table and gets a writable copy only at its first write; entries set across
 * table pages are recorded as written, a freed table comes back all zero from the
 * cache, and a window destroyed with entries still set (lazy pages materialised, not
 * rewound) hands the next window a zero table. A snapshot's table is shared read-only
 * until the first write, which copies it; a rewind shares it again and keeps the copy
 * for the next write; zeroing and forgetting the snapshot drop the copy. */
#include <string.h>
#include "tests/vm/test_util.h"
#include "vm/state/vm_state.h"
#include "vm/memory/access_table.h"
#include "vm/memory/lazy.h"
#include "bench/sandbox/touch_program.h"

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i]) return false;
    return true;
}

static bool written(const pvm_access_table *t, uint32_t page) { return t->written[page / 64] >> (page % 64) & 1; }

static void test_set_marks_pages_and_free_clears(void **s)
{
    (void)s;
    pvm_access_table_cache_drop();
    pvm_access_table t;
    assert_true(pvm_access_table_new(&t));
    assert_ptr_equal(t.perm, pvm_access_table_zero_table()); /* nothing of its own yet */
    assert_null(t.own);
    assert_true(all_zero(t.perm, PVM_ACCESS_TABLE_BYTES));
    for (uint32_t p = 0; p < PVM_ACCESS_TABLE_PAGES; p++) assert_false(written(&t, p));
    /* A run crossing from table page 2 into page 3, one entry in the last page. */
    pvm_access_table_set(&t, 3 * 4096 - 10, 20, PVM_ACCESS_WRITE);
    pvm_access_table_set(&t, PVM_ACCESS_TABLE_BYTES - 1, 1, PVM_ACCESS_READ);
    pvm_access_table_set(&t, 100, 0, PVM_ACCESS_READ); /* nothing */
    assert_non_null(t.own);
    assert_ptr_equal(t.perm, t.own);
    for (uint32_t p = 0; p < PVM_ACCESS_TABLE_PAGES; p++)
        assert_int_equal(written(&t, p), p == 2 || p == 3 || p == PVM_ACCESS_TABLE_PAGES - 1);
    assert_int_equal(t.perm[3 * 4096 - 11], 0);
    assert_int_equal(t.perm[3 * 4096 - 10], PVM_ACCESS_WRITE);
    assert_int_equal(t.perm[3 * 4096 + 9], PVM_ACCESS_WRITE);
    assert_int_equal(t.perm[3 * 4096 + 10], 0);
    assert_int_equal(t.perm[PVM_ACCESS_TABLE_BYTES - 1], PVM_ACCESS_READ);
    uint8_t *was = t.perm;
    pvm_access_table_free(&t);
    assert_null(t.perm);
    pvm_access_table again;
    assert_true(pvm_access_table_new(&again));
    assert_ptr_equal(again.perm, pvm_access_table_zero_table());
    assert_true(pvm_access_table_own(&again));
    assert_ptr_equal(again.perm, was); /* from the cache */
    assert_true(all_zero(again.perm, PVM_ACCESS_TABLE_BYTES));
    assert_true(written(&again, 2)); /* its populated pages stay known */
    pvm_access_table_free(&again);
    pvm_access_table_cache_drop();
}

/* A lazy window writes entries one page at a time on first touch; it is destroyed
 * (not pooled) with them set. The next instance's table must read zero outside its layout. */
static void test_destroyed_lazy_window_hands_on_zero_table(void **s)
{
    (void)s;
    enum { RW = 1u << 20 };
    pvm_access_table_cache_drop();
    test_vm t;
    test_vm_open(&t, touch_program(RW, NULL, 0, 0, NULL, 0), PVM_BACKEND_INTERP, PVM_GAS_NONE, NULL);
    pvm_error err;
    assert_int_equal(pvm_instance_set_lazy_pages(t.inst, "mprotect", &err), PVM_OK);
    uint32_t rw = t.module->layout.rw_addr;
    uint64_t args[3] = {rw, RW / 4096, 4096};
    assert_int_equal(test_vm_call(&t, "write_pages", args, 3).kind, PVM_EXIT_HALT);
    assert_int_equal(pvm_instance_page_access(t.inst, rw + RW - 4096), PVM_ACCESS_WRITE);
    /* An extra range mapped by the host, beyond the layout. */
    assert_int_equal(pvm_instance_map(t.inst, 0x40000000u, 8 * 4096, PVM_ACCESS_READ, &err), PVM_OK);
    uint8_t *table = t.inst->mem.perm;
    /* Instances that copy their data write their own tables (a snapshot's would be shared). */
    pvm_engine_set_copy_memory_image(t.engine, true);
    pvm_instance *reference;
    assert_int_equal(pvm_instance_new(t.module, &reference, &err), PVM_OK);
    pvm_instance_free(t.inst); /* lazy: destroyed, its table cached */
    t.inst = NULL;
    pvm_instance *next;
    assert_int_equal(pvm_instance_new(t.module, &next, &err), PVM_OK);
    assert_ptr_equal(next->mem.perm, table);
    assert_memory_equal(next->mem.perm, reference->mem.perm, PVM_PAGES);
    assert_int_equal(pvm_instance_page_access(next, 0x40000000u), PVM_ACCESS_NONE);
    pvm_instance_free(next);
    pvm_instance_free(reference);
    test_vm_close(&t);
    pvm_access_table_cache_drop();
}

/* A snapshot's table: shared, copied at the first write, shared again after a rewind
 * (the copy kept, clean), dropped by zero and by forget. */
static void test_snapshot_table_shared_until_written(void **s)
{
    (void)s;
    pvm_access_table_cache_drop();
    static const uint8_t data[4096] = {1};
    const pvm_image_part part = {4096, data, sizeof data};
    const pvm_image_access access[2] = {{0x10000, 2 * 4096, PVM_ACCESS_READ}, {0xfffe0000u, 4096, PVM_ACCESS_WRITE}};
    pvm_memory_image img;
    assert_int_equal(pvm_memory_image_create(&img, &part, 1, access, 2, NULL), PVM_OK);
    assert_non_null(img.table);
    assert_int_equal(img.table[0x10], PVM_ACCESS_READ);
    assert_int_equal(img.table[0xfffe0], PVM_ACCESS_WRITE);

    pvm_access_table t;
    assert_true(pvm_access_table_new(&t));
    pvm_access_table_share(&t, &img);
    assert_ptr_equal(t.perm, img.table); /* no copy: nothing written */
    assert_null(t.own);
    /* The first write copies the snapshot's table (entries kept) and writes the copy. */
    assert_true(pvm_access_table_set(&t, 0x20, 3, PVM_ACCESS_WRITE));
    uint8_t *copy = t.own;
    assert_non_null(copy);
    assert_ptr_equal(t.perm, copy);
    assert_int_equal(t.own_file, img.id);
    assert_int_equal(t.perm[0x10], PVM_ACCESS_READ);
    assert_int_equal(t.perm[0xfffe0], PVM_ACCESS_WRITE);
    assert_int_equal(t.perm[0x22], PVM_ACCESS_WRITE);
    assert_int_equal(img.table[0x22], 0); /* the snapshot's own table is untouched */
    /* The caller zeroes what it added and rewinds: the snapshot's table again, the copy
     * clean for the next write (the same mapping, the snapshot's entries). */
    memset(t.perm + 0x20, 0, 3);
    pvm_access_table_rewound(&t);
    assert_ptr_equal(t.perm, img.table);
    assert_true(t.own_clean);
    assert_true(pvm_access_table_own(&t));
    assert_ptr_equal(t.perm, copy);
    assert_memory_equal(t.perm, img.table, PVM_ACCESS_TABLE_BYTES);
    /* Written again, then zeroed (a clear): reads zero; shared again, the dirty copy is
     * not reused as it is: the next write copies the snapshot afresh. */
    assert_true(pvm_access_table_set(&t, 0x40, 1, PVM_ACCESS_READ));
    pvm_access_table_zero(&t);
    assert_ptr_equal(t.perm, pvm_access_table_zero_table());
    assert_false(t.own_clean);
    pvm_access_table_share(&t, &img);
    assert_true(pvm_access_table_own(&t));
    assert_int_equal(t.perm[0x40], 0);
    assert_memory_equal(t.perm, img.table, PVM_ACCESS_TABLE_BYTES);
    /* Zeroed and the snapshot forgotten: the copy becomes fresh zero pages, no longer the file's. */
    pvm_access_table_zero(&t);
    pvm_access_table_forget(&t, img.id);
    assert_int_equal(t.own_file, 0);
    assert_non_null(t.own);
    assert_true(all_zero(t.own, PVM_ACCESS_TABLE_BYTES));
    /* The next write uses that zero table. */
    assert_true(pvm_access_table_set(&t, 0x30, 1, PVM_ACCESS_WRITE));
    assert_ptr_equal(t.perm, t.own);
    assert_int_equal(t.perm[0x10], 0);
    assert_int_equal(t.perm[0x30], PVM_ACCESS_WRITE);
    pvm_access_table_free(&t);
    pvm_memory_image_free(&img);
    pvm_access_table_cache_drop();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_set_marks_pages_and_free_clears),
        cmocka_unit_test(test_destroyed_lazy_window_hands_on_zero_table),
        cmocka_unit_test(test_snapshot_table_shared_until_written),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
