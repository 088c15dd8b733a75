/* Live instances of one module share its copy-on-write snapshot (data and access
 * table, memory/image.h) and nothing else: a second instance made while the first is
 * dirty (guest stores, sbrk, host writes and mappings) starts as a fresh one and
 * leaves the first as it was; a fault or an sbrk in one is not seen by the other;
 * each instance adds a bounded number of host mappings (and none of the snapshot's
 * table, which instances share read-only until they write it), and closing the engine
 * unmaps its windows. A window cleared into the engine's pool serves the next instance
 * of the module, of another module, or of a copying engine, each as fresh as an
 * instance made from nothing. On both backends. */
#include <stdio.h>
#include <string.h>
#include "tests/vm/test_util.h"
#include <sys/stat.h>
#include "vm/state/vm_state.h"
#include "vm/api/snapshots.h"
#include "same_memory.h"
#include "bench/sandbox/touch_program.h"

#define RW_SIZE (256u << 10)
#define RO_SIZE (16u << 10)
#define HOST_RANGE 0x40000000u

static uint8_t rw_init[2 * 4096 + 5], ro_init[3000];

static pvm_builder *program(uint32_t rw_size)
{
    for (size_t i = 0; i < sizeof rw_init; i++) rw_init[i] = (uint8_t)(i * 11 + 3);
    for (size_t i = 0; i < sizeof ro_init; i++) ro_init[i] = (uint8_t)(i * 5 + 1);
    return touch_program(rw_size, rw_init, sizeof rw_init, RO_SIZE, ro_init, sizeof ro_init);
}

/* Host mappings (VMAs, lines of /proc/self/maps) overlapping [lo, lo + len). */
static int mappings_in(uintptr_t lo, size_t len)
{
    FILE *f = fopen("/proc/self/maps", "r");
    assert_non_null(f);
    unsigned long a, b;
    char line[512];
    int n = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "%lx-%lx", &a, &b) == 2 && a < lo + len && lo < b) n++;
    fclose(f);
    return n;
}

/* The host mappings an instance owns: its window with the guards around it, and its
 * access table. Counted per instance, not as the change in the whole process's count:
 * the allocator (ASan's above all) maps and merges its own regions between two reads
 * of /proc/self/maps, so a process-wide difference was not a property of instances. */
static int instance_mappings(const pvm_instance *in)
{
    return mappings_in((uintptr_t)in->mem.base - PVM_GUARD_BELOW, in->mem.reserved + PVM_GUARD_BELOW) +
           mappings_in((uintptr_t)in->mem.perm, PVM_ACCESS_TABLE_BYTES);
}

/* Whether some mapping of the process covers the host address p. */
static bool host_mapped(const void *p)
{
    FILE *f = fopen("/proc/self/maps", "r");
    assert_non_null(f);
    unsigned long lo, hi, a = (unsigned long)p;
    char line[512];
    bool found = false;
    while (!found && fgets(line, sizeof line, f))
        if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && lo <= a && a < hi) found = true;
    fclose(f);
    return found;
}

/* Mappings of snapshot files (memfd "pvm-image") in the process. */
static int snapshot_mappings(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    assert_non_null(f);
    char line[512];
    int n = 0;
    while (fgets(line, sizeof line, f)) n += strstr(line, "pvm-image") != NULL;
    fclose(f);
    return n;
}

static pvm_result call(pvm_instance *in, const char *name, uint64_t a0, uint64_t a1, uint64_t a2)
{
    pvm_error err = {{0}};
    uint64_t args[3] = {a0, a1, a2};
    pvm_result r;
    assert_int_equal(pvm_instance_prepare_call(in, name, 0, args, 3, &err), PVM_OK);
    assert_int_equal(pvm_instance_run(in, &r, &err), PVM_OK);
    return r;
}

static pvm_instance *new_instance(pvm_module *m)
{
    pvm_error err = {{0}};
    pvm_instance *in = NULL;
    if (pvm_instance_new(m, &in, &err)) fail_msg("instantiate: %s", err.msg);
    return in;
}

/* a is what a fresh instance of its module is: fresh, made by an engine that copies. */
static void assert_fresh(pvm_instance *a, pvm_instance *fresh, uint32_t rw_size)
{
    const pvm_layout *L = &a->module->layout;
    assert_same_page_table(a, fresh);
    assert_same_bytes(a, fresh, L->rw_addr, rw_size);
    assert_same_bytes(a, fresh, L->ro_addr, RO_SIZE);
    assert_same_bytes(a, fresh, L->stack_addr, L->stack_len);
}

/* Guest stores over the rw region, 3 heap pages by sbrk, a host write to a read-only
 * page and a host mapping beyond the layout. */
static void dirty(pvm_instance *in, uint32_t rw_size)
{
    const pvm_layout *L = &in->module->layout;
    assert_int_equal(call(in, "write_pages", L->rw_addr + 1, rw_size / 4096, 4096).kind, PVM_EXIT_HALT);
    assert_int_equal(call(in, "sbrk", 3 * 4096, 0, 0).kind, PVM_EXIT_HALT);
    static const uint8_t junk[] = "written by the host";
    assert_int_equal(pvm_instance_write(in, L->ro_addr + 7, junk, sizeof junk, NULL), PVM_OK);
    assert_int_equal(pvm_instance_map(in, HOST_RANGE, 2 * 4096, PVM_ACCESS_WRITE, NULL), PVM_OK);
    assert_int_equal(pvm_instance_write(in, HOST_RANGE, junk, sizeof junk, NULL), PVM_OK);
}

static void live_case(pvm_backend backend)
{
    if (!pvm_backend_available(backend)) skip();
    pvm_access_table_cache_drop();
    test_vm t, ref;
    test_vm_open(&t, program(RW_SIZE), backend, PVM_GAS_NONE, NULL);
    test_vm_open(&ref, program(RW_SIZE), backend, PVM_GAS_NONE, NULL);
    pvm_instance_free(ref.inst); /* the reference: an engine that copies the data */
    pvm_engine_set_copy_memory_image(ref.engine, true);
    ref.inst = new_instance(ref.module);
    pvm_instance *a = t.inst;
    const pvm_layout *L = &t.module->layout;
    assert_true(a->layout_from_image);
    assert_ptr_equal(a->mem.perm, t.module->snapshot->img.table); /* the snapshot's, shared */
    assert_fresh(a, ref.inst, RW_SIZE);

    dirty(a, RW_SIZE);
    uint8_t *a_rw = malloc(RW_SIZE), *again = malloc(RW_SIZE);
    assert_non_null(a_rw);
    assert_non_null(again);
    assert_int_equal(pvm_instance_read(a, L->rw_addr, a_rw, RW_SIZE, NULL), PVM_OK);
    assert_int_not_equal(a_rw[1], rw_init[1]); /* the guest did write */
    uint8_t a_table[PVM_PAGES / 256];
    memcpy(a_table, a->mem.perm + (L->rw_addr >> PVM_PAGE_SHIFT), sizeof a_table);

    /* A second live instance: nothing to take from the pool, a window of its own. */
    assert_int_equal(t.engine->n_pool, 0);
    int snapshot_before = snapshot_mappings();
    uint64_t calls = pvm_memory_call_count();
    pvm_instance *b = new_instance(t.module);
    /* Its data regions from the snapshot file (ro, rw), and no table mapped: it reads the shared one. */
    assert_int_equal(snapshot_mappings() - snapshot_before, 2);
    /* one call to reserve the window, one per layout range (ro, rw, stack) */
    assert_int_equal(b->layout_ranges, 3);
    assert_int_equal(pvm_memory_call_count() - calls, 1 + b->layout_ranges);
    assert_ptr_equal(b->mem.perm, t.module->snapshot->img.table);
    int per_instance = instance_mappings(b);
    /* The window split by its layout (guards, ro, rw, gap, stack) and the table. */
    assert_true(per_instance >= 2 && per_instance <= 8);
    pvm_instance *c = new_instance(t.module);
    assert_int_equal(instance_mappings(c), per_instance); /* the same for every instance */
    assert_ptr_not_equal(b->mem.base, a->mem.base);
    assert_ptr_not_equal(b->mem.perm, a->mem.perm);
    assert_fresh(b, ref.inst, RW_SIZE);
    assert_fresh(c, ref.inst, RW_SIZE);
    /* the first is as it was */
    assert_int_equal(pvm_instance_read(a, L->rw_addr, again, RW_SIZE, NULL), PVM_OK);
    assert_memory_equal(again, a_rw, RW_SIZE);
    assert_memory_equal(a->mem.perm + (L->rw_addr >> PVM_PAGE_SHIFT), a_table, sizeof a_table);
    assert_int_equal(pvm_instance_page_access(a, HOST_RANGE), PVM_ACCESS_WRITE);
    assert_int_equal(pvm_instance_page_access(b, HOST_RANGE), PVM_ACCESS_NONE);

    /* A fault in b (the page a mapped) is b's alone; a reads it. */
    pvm_result r = call(b, "read_pages", HOST_RANGE, 1, 4096);
    assert_int_equal(r.kind, PVM_EXIT_PAGE_FAULT);
    assert_int_equal(r.fault_address, HOST_RANGE);
    assert_int_equal(call(a, "read_pages", HOST_RANGE, 1, 4096).kind, PVM_EXIT_HALT);
    assert_int_equal(pvm_instance_reg(a, 7), (uint8_t)'w');
    /* sbrk in b writes b's table only (its copy of the snapshot's table page). */
    uint32_t b_heap = b->heap_top;
    uint8_t a_access = (uint8_t)pvm_instance_page_access(a, b_heap + 8 * 4096);
    assert_int_equal(call(b, "sbrk", 16 * 4096, 0, 0).kind, PVM_EXIT_HALT);
    assert_int_equal(pvm_instance_page_access(b, b_heap + 8 * 4096), PVM_ACCESS_WRITE);
    assert_int_equal(pvm_instance_page_access(a, b_heap + 8 * 4096), a_access);
    assert_int_equal(pvm_instance_page_access(c, b_heap + 8 * 4096), PVM_ACCESS_NONE);
    /* b stores everywhere; c and a see none of it */
    assert_int_equal(call(b, "write_pages", L->rw_addr, RW_SIZE / 4096, 4096).kind, PVM_EXIT_HALT);
    assert_fresh(c, ref.inst, RW_SIZE);
    assert_int_equal(pvm_instance_read(a, L->rw_addr, again, RW_SIZE, NULL), PVM_OK);
    assert_memory_equal(again, a_rw, RW_SIZE);

    /* The pool: b freed dirty (cleared: its table reads zero); the next instance is fresh. */
    uint8_t *b_window = b->mem.base;
    assert_ptr_not_equal(b->mem.perm, t.module->snapshot->img.table); /* its sbrk made it a copy */
    pvm_instance_free(b);
    assert_int_equal(t.engine->n_pool, 1);
    assert_ptr_equal(t.engine->pool[0].perm, pvm_access_table_zero_table()); /* cleared */
    /* but for its layout, kept mapped as a fresh instance sees it: ro, rw (rewound), stack (zero) */
    assert_int_equal(t.engine->pool[0].n_parked, 3);
    bool parked_stack = false, parked_rw = false;
    for (unsigned i = 0; i < 3; i++) {
        parked_stack |= t.engine->pool[0].parked[i].start == L->stack_addr && !t.engine->pool[0].parked[i].from_image;
        parked_rw |= t.engine->pool[0].parked[i].start == L->rw_addr && t.engine->pool[0].parked[i].from_image;
    }
    assert_true(parked_stack && parked_rw);
    snapshot_before = snapshot_mappings();
    calls = pvm_memory_call_count();
    pvm_instance *d = new_instance(t.module);
    /* from the pool: the window maps the layout already, no system call */
    assert_int_equal(pvm_memory_call_count() - calls, 0);
    assert_int_equal(snapshot_mappings() - snapshot_before, 0);
    assert_ptr_equal(d->mem.perm, t.module->snapshot->img.table);
    assert_ptr_equal(d->mem.base, b_window);
    assert_fresh(d, ref.inst, RW_SIZE);
    assert_int_equal(pvm_instance_page_access(d, b_heap + 8 * 4096), PVM_ACCESS_NONE);
    /* A host mapping over the layout (a reset cannot rewind it): cleared, and fresh again. */
    assert_int_equal(pvm_instance_map(d, L->rw_addr, 4096, PVM_ACCESS_READ, NULL), PVM_OK);
    assert_int_equal(pvm_instance_reset(d, NULL), PVM_OK);
    assert_fresh(d, ref.inst, RW_SIZE);
    assert_int_equal(pvm_instance_map(d, L->rw_addr, 4096, PVM_ACCESS_READ, NULL), PVM_OK);
    pvm_instance_free(d);
    assert_ptr_equal(t.engine->pool[0].perm, pvm_access_table_zero_table());
    d = new_instance(t.module);
    assert_fresh(d, ref.inst, RW_SIZE);

    /* Another module on a window this one used: its own snapshot and table. */
    dirty(d, RW_SIZE);
    pvm_instance_free(d);
    test_vm other, other_ref;
    test_vm_open(&other_ref, program(2 * RW_SIZE), backend, PVM_GAS_NONE, NULL);
    pvm_instance_free(other_ref.inst);
    pvm_engine_set_copy_memory_image(other_ref.engine, true);
    other_ref.inst = new_instance(other_ref.module);
    uint8_t *bytes;
    size_t len;
    pvm_error err;
    pvm_builder *builder = program(2 * RW_SIZE);
    assert_int_equal(pvm_builder_finish_polkavm(builder, &bytes, &len, &err), PVM_OK);
    pvm_builder_free(builder);
    assert_int_equal(pvm_module_compile(t.engine, bytes, len, NULL, NULL, &other.module, &err), PVM_OK);
    free(bytes);
    other.inst = new_instance(other.module);
    assert_ptr_equal(other.inst->mem.base, b_window);
    assert_fresh(other.inst, other_ref.inst, 2 * RW_SIZE);
    /* and the engine switched to copies, on a window the other module used */
    dirty(other.inst, 2 * RW_SIZE);
    pvm_instance_free(other.inst);
    pvm_engine_set_copy_memory_image(t.engine, true);
    d = new_instance(t.module);
    assert_false(d->layout_from_image);
    assert_fresh(d, ref.inst, RW_SIZE);

    /* Teardown unmaps every window. */
    uint8_t *windows[3] = {a->mem.base, c->mem.base, d->mem.base};
    uint32_t rw_addr = L->rw_addr; /* L is the module's, gone with it */
    pvm_instance_free(d);
    pvm_instance_free(c);
    pvm_module_release(other.module);
    test_vm_close(&t);
    for (int i = 0; i < 3; i++) {
        assert_false(host_mapped(windows[i]));
        assert_false(host_mapped(windows[i] + rw_addr));
    }
    pvm_instance_free(other_ref.inst);
    pvm_module_release(other_ref.module);
    pvm_engine_free(other_ref.engine);
    test_vm_close(&ref);
    free(a_rw);
    free(again);
    pvm_access_table_cache_drop();
}

/* Mappings in the process of the file with inode ino (a snapshot's memfd). */
static int inode_mappings(unsigned long ino)
{
    FILE *f = fopen("/proc/self/maps", "r");
    assert_non_null(f);
    char line[512];
    unsigned long lo, hi, off, inode;
    char perms[8], dev[16];
    int n = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "%lx-%lx %7s %lx %15s %lu", &lo, &hi, perms, &off, dev, &inode) == 6 && inode == ino) n++;
    fclose(f);
    return n;
}

static pvm_module *compile(pvm_engine *e, pvm_builder *builder, const char *id)
{
    uint8_t *bytes;
    size_t len;
    pvm_error err;
    pvm_module *m = NULL;
    assert_int_equal(pvm_builder_finish_polkavm(builder, &bytes, &len, &err), PVM_OK);
    pvm_builder_free(builder);
    pvm_module_config mc = {.format = PVM_FORMAT_AUTO};
    if (pvm_module_compile(e, bytes, len, &mc, id, &m, &err)) fail_msg("compile: %s", err.msg);
    free(bytes);
    return m;
}

/* A released module's snapshot stays idle for the next module with the same data, whose
 * instance from the pool maps nothing and reads the data fresh. When more than
 * PVM_SNAPSHOT_IDLE_MAX are idle the oldest is evicted, and the pooled windows let go of
 * its file at that release: nothing in the process maps it (the copy of its table that
 * an sbrk made, its parked ranges), so its memory is not freed later inside another
 * module's instantiation (which cost 0.7 ms for 12 MiB). */
static void release_case(pvm_backend backend)
{
    if (!pvm_backend_available(backend)) skip();
    pvm_access_table_cache_drop();
    int before = snapshot_mappings();
    test_vm t;
    test_vm_open(&t, program(RW_SIZE), backend, PVM_GAS_NONE, NULL);
    pvm_snapshot *s = t.module->snapshot;
    uint64_t id = s->img.id;
    struct stat st;
    assert_int_equal(fstat(s->img.fd, &st), 0);
    unsigned long ino = (unsigned long)st.st_ino;
    const uint32_t rw_addr = t.module->layout.rw_addr;
    dirty(t.inst, RW_SIZE);
    pvm_instance_free(t.inst);
    t.inst = NULL;
    assert_int_equal(t.engine->n_pool, 1);
    assert_int_equal(t.engine->pool[0].access_table.own_file, id); /* dirty()'s sbrk copied it */
    pvm_module_release(t.module);
    t.module = NULL;
    assert_int_equal(t.engine->n_snapshots, 1); /* idle, kept */
    assert_int_equal(s->refs, 0);
    assert_true(inode_mappings(ino) > 0);

    /* The same bytes again: the same snapshot, and its instance from the pool makes no call. */
    pvm_module *again = compile(t.engine, program(RW_SIZE), NULL);
    uint64_t calls = pvm_memory_call_count();
    pvm_instance *in = new_instance(again);
    assert_int_equal(pvm_memory_call_count() - calls, 0);
    assert_ptr_equal(again->snapshot, s);
    uint8_t got[sizeof rw_init];
    assert_int_equal(pvm_instance_read(in, rw_addr, got, sizeof got, NULL), PVM_OK);
    assert_memory_equal(got, rw_init, sizeof got); /* dirty() wrote there: rewound when parked */
    /* Data that differs in its last byte is not that snapshot. */
    rw_init[sizeof rw_init - 1] ^= 1;
    pvm_module *differs = compile(t.engine, touch_program(RW_SIZE, rw_init, sizeof rw_init, RO_SIZE, ro_init,
                                                          sizeof ro_init), "differs");
    pvm_instance *other = new_instance(differs);
    assert_ptr_not_equal(differs->snapshot, s);
    assert_int_equal(pvm_instance_read(other, rw_addr, got, sizeof got, NULL), PVM_OK);
    assert_memory_equal(got, rw_init, sizeof got);
    pvm_instance_free(other);
    pvm_module_release(differs);
    pvm_instance_free(in);
    pvm_module_release(again);
    /* s is now the newest idle one; PVM_SNAPSHOT_IDLE_MAX others released after it evict it. */
    for (int k = 0; k < PVM_SNAPSHOT_IDLE_MAX; k++) {
        pvm_module *m = compile(t.engine, program(RW_SIZE + (uint32_t)(k + 1) * 4096), NULL);
        pvm_instance *i = new_instance(m);
        pvm_instance_free(i);
        pvm_module_release(m);
    }
    assert_int_equal(t.engine->n_snapshots, PVM_SNAPSHOT_IDLE_MAX);
    for (size_t i = 0; i < t.engine->n_snapshots; i++) assert_int_not_equal(t.engine->snapshots[i]->img.id, id);
    assert_int_equal(inode_mappings(ino), 0); /* not even in the pooled windows */
    for (unsigned w = 0; w < t.engine->n_pool; w++) assert_int_not_equal(t.engine->pool[w].access_table.own_file, id);
    test_vm_close(&t);
    assert_int_equal(snapshot_mappings(), before); /* the engine freed the idle ones */
    pvm_access_table_cache_drop();
}

/* The protection of the host page at p ("rw-", "---", ...), from /proc/self/maps. */
static void host_prot(const void *p, char out[4])
{
    FILE *f = fopen("/proc/self/maps", "r");
    assert_non_null(f);
    unsigned long lo, hi, a = (unsigned long)p;
    char line[512], perms[8] = "";
    out[0] = '\0';
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3 && lo <= a && a < hi && strlen(perms) >= 3) {
            memcpy(out, perms, 3); /* "rwxp": the first three */
            out[3] = '\0';
        }
    fclose(f);
}

/* A parked window's ranges (pvm_memory_park) are reused only by a layout with exactly that
 * range (of the same snapshot); any other layout or mapping first makes them inaccessible again. */
static void test_parked_range_reused_or_closed(void **s)
{
    (void)s;
    static const uint8_t data[4096] = {7};
    const pvm_image_part part = {4096, data, sizeof data};
    const pvm_image_access access[1] = {{0x10000, 4096, PVM_ACCESS_READ}};
    pvm_memory_image img;
    assert_int_equal(pvm_memory_image_create(&img, &part, 1, access, 1, NULL), PVM_OK);
    pvm_memory m;
    pvm_error err;
    assert_int_equal(pvm_memory_init(&m, &err), PVM_OK);
    const pvm_memory_region a[2] = {{0x10000, 4096, PVM_ACCESS_READ, true, 0}, {0x20000, 2 * 4096, PVM_ACCESS_WRITE, false, 0}};
    const pvm_memory_region b[2] = {{0x10000, 4096, PVM_ACCESS_READ, true, 0}, {0x40000, 4096, PVM_ACCESS_WRITE, false, 0}};
    char prot[4];
    assert_int_equal(pvm_memory_map_snapshot(&m, a, 2, &img, &err), PVM_OK);
    m.base[0x20000 + 5] = 9; /* dirty the stack */
    assert_true(pvm_memory_park(&m, 2));
    assert_int_equal(m.n_ranges, 0);
    assert_int_equal(m.n_parked, 2);
    host_prot(m.base + 0x20000, prot);
    assert_string_equal(prot, "rw-"); /* kept */
    assert_int_equal(m.base[0x20000 + 5], 0); /* and zero */
    host_prot(m.base + 0x10000, prot);
    assert_string_equal(prot, "r--"); /* the snapshot's range is kept too */
    /* The same layout takes both as they are: no call. */
    uint64_t calls = pvm_memory_call_count();
    assert_int_equal(pvm_memory_map_snapshot(&m, a, 2, &img, &err), PVM_OK);
    assert_int_equal(pvm_memory_call_count(), calls);
    assert_int_equal(m.n_ranges, 2);
    assert_int_equal(m.n_parked, 0);
    assert_int_equal(m.base[0x10000], 7);
    assert_int_equal(m.base[0x20000 + 5], 0);
    assert_true(pvm_memory_park(&m, 2));
    /* The same region of another snapshot: replaced (one mmap), the stack reused. */
    static const uint8_t data2[4096] = {8};
    const pvm_image_part part2 = {4096, data2, sizeof data2};
    pvm_memory_image img2;
    assert_int_equal(pvm_memory_image_create(&img2, &part2, 1, access, 1, NULL), PVM_OK);
    calls = pvm_memory_call_count();
    assert_int_equal(pvm_memory_map_snapshot(&m, a, 2, &img2, &err), PVM_OK);
    assert_int_equal(pvm_memory_call_count() - calls, 2); /* img's range closed, img2's mapped */
    assert_int_equal(m.base[0x10000], 8);
    assert_true(pvm_memory_park(&m, 2));
    /* Forgetting img2 closes its parked range, not the stack. */
    pvm_memory_forget_snapshot(&m, img2.id);
    assert_int_equal(m.n_parked, 1);
    host_prot(m.base + 0x10000, prot);
    assert_string_equal(prot, "---");
    pvm_memory_image_free(&img2);
    /* Another layout: the parked range is closed, the new stack mapped. */
    assert_int_equal(pvm_memory_map_snapshot(&m, b, 2, &img, &err), PVM_OK);
    assert_int_equal(m.n_parked, 0);
    host_prot(m.base + 0x20000, prot);
    assert_string_equal(prot, "---");
    host_prot(m.base + 0x40000, prot);
    assert_string_equal(prot, "rw-");
    /* Parked again, then a mapping that is not a layout: closed first. */
    assert_true(pvm_memory_park(&m, 2));
    assert_int_equal(pvm_memory_map(&m, 0x50000, 4096, PVM_ACCESS_WRITE, &err), PVM_OK);
    assert_int_equal(m.n_parked, 0);
    host_prot(m.base + 0x40000, prot);
    assert_string_equal(prot, "---");
    /* and a clear closes a parked range too */
    pvm_memory_clear(&m);
    assert_int_equal(pvm_memory_map_snapshot(&m, b, 2, &img, &err), PVM_OK);
    assert_true(pvm_memory_park(&m, 2));
    pvm_memory_clear(&m);
    host_prot(m.base + 0x40000, prot);
    assert_string_equal(prot, "---");
    pvm_memory_destroy(&m);
    pvm_memory_image_free(&img);
}

static void test_live_interp(void **s) { live_case(PVM_BACKEND_INTERP); }
static void test_release_interp(void **s) { release_case(PVM_BACKEND_INTERP); }
static void test_release_jit(void **s) { release_case(PVM_BACKEND_JIT); }
static void test_live_jit(void **s) { live_case(PVM_BACKEND_JIT); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_live_interp),
        cmocka_unit_test(test_live_jit),
        cmocka_unit_test(test_release_interp),
        cmocka_unit_test(test_release_jit),
        cmocka_unit_test(test_parked_range_reused_or_closed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
