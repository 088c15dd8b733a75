/* Lazy pages: exact per-page charges, read-then-write upgrade, image
 * contents, faults, out-of-gas, reset, host access, and the recompiler's
 * path (a hardware fault whose signal handler calls pvm_memory_lazy_fault).
 * Each test runs on the mprotect and the userfaultfd backend. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include "tests/vm/test_util.h"
#include "vm/state/vm_state.h"
#include "vm/memory/lazy.h"
#include "vm/memory/lazy_cost.h"
#include "bench/sandbox/touch_program.h"

#define RW_SIZE (64u * 4096)
#define GAS 1000000

static const pvm_lazy_backend backends[] = {PVM_LAZY_MPROTECT, PVM_LAZY_USERFAULTFD};

static bool backend_usable(pvm_lazy_backend be)
{
    const char *why = NULL;
    if (be != PVM_LAZY_USERFAULTFD || pvm_lazy_userfaultfd_available(&why)) return true;
    static bool said;
    if (!said) printf("# userfaultfd backend skipped: %s\n", why);
    said = true;
    return false;
}

static uint8_t image[3 * 4096 + 100];

/* Two instances of one module: t (lazy on backend be) and plain (not lazy). */
typedef struct {
    test_vm t;
    pvm_instance *plain;
    uint32_t rw, ro;
} lazy_vm;

static void lazy_open(lazy_vm *v, pvm_lazy_backend be, pvm_gas_mode gm)
{
    for (size_t i = 0; i < sizeof image; i++) image[i] = (uint8_t)(i * 7 + 1);
    test_vm_open(&v->t, touch_program(RW_SIZE, image, sizeof image, 8192, image, 5000), PVM_BACKEND_INTERP, gm, NULL);
    pvm_error err;
    assert_int_equal(pvm_instance_new(v->t.module, &v->plain, &err), PVM_OK);
    if (pvm_lazy_enable(&v->t.inst->mem, be, &err)) fail_msg("lazy: %s", err.msg);
    assert_int_equal(pvm_instance_reset(v->t.inst, &err), PVM_OK);
    v->rw = v->t.module->layout.rw_addr;
    v->ro = v->t.module->layout.ro_addr;
}

static void lazy_close(lazy_vm *v)
{
    pvm_instance_free(v->plain);
    test_vm_close(&v->t);
}

/* Runs check on a fresh lazy_vm under each usable lazy backend. */
static void on_each_backend(pvm_gas_mode gm, void (*check)(lazy_vm *v))
{
    for (size_t b = 0; b < sizeof backends / sizeof backends[0]; b++) {
        if (!backend_usable(backends[b])) continue;
        lazy_vm v;
        lazy_open(&v, backends[b], gm);
        check(&v);
        lazy_close(&v);
    }
}

/* Run export on inst with args; returns the gas used. */
static int64_t gas_used(pvm_instance *in, const char *export_name, uint64_t a0, uint64_t n, pvm_result *r)
{
    uint64_t args[3] = {a0, n, 4096};
    pvm_error err;
    assert_int_equal(pvm_instance_prepare_call(in, export_name, 0, args, 3, &err), PVM_OK);
    pvm_instance_set_gas(in, GAS);
    assert_int_equal(pvm_instance_run(in, r, &err), PVM_OK);
    return GAS - pvm_instance_gas(in);
}

/* Extra gas the lazy instance paid over the plain one for the same call. */
static int64_t lazy_charge(lazy_vm *v, const char *export_name, uint64_t a0, uint64_t n)
{
    pvm_result r1, r2;
    int64_t lazy = gas_used(v->t.inst, export_name, a0, n, &r1), plain = gas_used(v->plain, export_name, a0, n, &r2);
    assert_int_equal(r1.kind, PVM_EXIT_HALT);
    assert_int_equal(r2.kind, PVM_EXIT_HALT);
    assert_int_equal(pvm_instance_reg(v->t.inst, 7), pvm_instance_reg(v->plain, 7));
    return lazy - plain;
}

static void n_pages_n_charges(lazy_vm *v)
{
    for (uint64_t n = 1; n <= 9; n += 4) {
        assert_int_equal(pvm_instance_reset(v->t.inst, NULL), PVM_OK);
        assert_int_equal(lazy_charge(v, "write_pages", v->rw, n), n * (PVM_LAZY_GAS_READ + PVM_LAZY_GAS_WRITE));
        pvm_lazy_stats st = pvm_lazy_get_stats(&v->t.inst->mem);
        assert_int_equal(st.read_fills, n);
        assert_int_equal(st.write_fills, n);
        /* Touching the same pages again is free. */
        assert_int_equal(lazy_charge(v, "write_pages", v->rw, n), 0);
        /* Reads of n fresh pages (past the written ones) pay n read charges. */
        assert_int_equal(lazy_charge(v, "read_pages", v->rw + 4096 * 20, n), n * PVM_LAZY_GAS_READ);
    }
}
static void test_n_pages_n_charges(void **s) { on_each_backend(PVM_GAS_SYNC, n_pages_n_charges); }

static void read_then_write(lazy_vm *v)
{
    uint32_t page = v->rw + 4096 * 30;
    assert_int_equal(lazy_charge(v, "read_pages", page, 1), PVM_LAZY_GAS_READ);
    assert_int_equal(pvm_instance_page_access(v->t.inst, page), PVM_ACCESS_READ);
    assert_int_equal(lazy_charge(v, "read_pages", page, 1), 0);
    assert_int_equal(lazy_charge(v, "write_pages", page, 1), PVM_LAZY_GAS_WRITE);
    assert_int_equal(pvm_instance_page_access(v->t.inst, page), PVM_ACCESS_WRITE);
    assert_int_equal(lazy_charge(v, "write_pages", page, 1), 0);
    /* The same total as writing first. */
    assert_int_equal(lazy_charge(v, "write_pages", page + 4096, 1), PVM_LAZY_GAS_READ + PVM_LAZY_GAS_WRITE);
}
static void test_read_then_write(void **s) { on_each_backend(PVM_GAS_ASYNC, read_then_write); }

static void heap_pages(lazy_vm *v)
{
    uint32_t heap = v->t.module->layout.heap_base;
    assert_int_equal(heap % 4096, 0);
    for (int round = 0; round < 2; round++) {
        assert_int_equal(lazy_charge(v, "sbrk", 3 * 4096, 0), 0);
        assert_int_equal(pvm_lazy_final_access(&v->t.inst->mem, heap + 2 * 4096), PVM_ACCESS_WRITE);
        assert_int_equal(pvm_instance_page_access(v->t.inst, heap), PVM_ACCESS_NONE);
        assert_int_equal(lazy_charge(v, "write_pages", heap, 3), 3 * (PVM_LAZY_GAS_READ + PVM_LAZY_GAS_WRITE));
        /* After reset the heap is gone again (and comes back lazy with the next sbrk). */
        assert_int_equal(pvm_instance_reset(v->t.inst, NULL), PVM_OK);
        assert_int_equal(pvm_instance_reset(v->plain, NULL), PVM_OK);
        assert_int_equal(pvm_lazy_final_access(&v->t.inst->mem, heap), PVM_ACCESS_NONE);
    }
}
static void test_heap_pages(void **s) { on_each_backend(PVM_GAS_SYNC, heap_pages); }

static void image_and_reset(lazy_vm *v)
{
    /* Image bytes arrive on first read, for full and partial pages, rw and ro. */
    assert_int_equal(lazy_charge(v, "read_pages", v->rw + 1, 4), 0);
    assert_int_equal(lazy_charge(v, "read_pages", v->rw + 3 * 4096 + 99, 1), 0);
    assert_int_equal(lazy_charge(v, "read_pages", v->ro + 4095, 2), 0);
    uint8_t got[sizeof image];
    assert_int_equal(pvm_instance_read(v->t.inst, v->rw, got, sizeof got, NULL), PVM_OK);
    assert_memory_equal(got, image, sizeof image);
    /* Dirty pages, then reset: every page is lazy again, memory is the image again. */
    assert_int_equal(lazy_charge(v, "write_pages", v->rw, 10), 0);
    assert_int_equal(pvm_instance_reset(v->t.inst, NULL), PVM_OK);
    for (uint32_t a = v->rw; a < v->rw + RW_SIZE; a += 4096) {
        assert_int_equal(pvm_instance_page_access(v->t.inst, a), PVM_ACCESS_NONE);
        assert_int_equal(pvm_lazy_final_access(&v->t.inst->mem, a), PVM_ACCESS_WRITE);
    }
    assert_int_equal(pvm_lazy_final_access(&v->t.inst->mem, v->ro), PVM_ACCESS_READ);
    assert_int_equal(pvm_lazy_get_stats(&v->t.inst->mem).read_fills, 0);
    pvm_result r;
    gas_used(v->t.inst, "read_pages", v->rw, 3, &r);
    assert_int_equal(r.kind, PVM_EXIT_HALT);
    assert_int_equal(pvm_instance_reg(v->t.inst, 7), image[0] + image[4096] + image[8192]);
    /* A zero page past the image reads zero after reset. */
    gas_used(v->t.inst, "read_pages", v->rw + 10 * 4096, 1, &r);
    assert_int_equal(pvm_instance_reg(v->t.inst, 7), 0);
}
static void test_image_and_reset(void **s) { on_each_backend(PVM_GAS_NONE, image_and_reset); }

static void faults_and_out_of_gas(lazy_vm *v)
{
    pvm_result r;
    /* A write to a lazy read-only page faults there and is not charged. */
    uint64_t args[3] = {v->ro + 4096, 1, 4096};
    assert_int_equal(pvm_instance_prepare_call(v->t.inst, "write_pages", 0, args, 3, NULL), PVM_OK);
    pvm_instance_set_gas(v->t.inst, GAS);
    assert_int_equal(pvm_instance_run(v->t.inst, &r, NULL), PVM_OK);
    assert_int_equal(r.kind, PVM_EXIT_PAGE_FAULT);
    assert_int_equal(r.fault_address, v->ro + 4096);
    assert_int_equal(pvm_lazy_get_stats(&v->t.inst->mem).read_fills, 0);
    /* Sync out-of-gas: enough for the blocks, not for the page: stops at the store, gas unchanged, page still lazy. */
    args[0] = v->rw + 4096 * 40;
    assert_int_equal(pvm_instance_prepare_call(v->t.inst, "write_pages", 0, args, 3, NULL), PVM_OK);
    pvm_instance_set_gas(v->t.inst, 10);
    assert_int_equal(pvm_instance_run(v->t.inst, &r, NULL), PVM_OK);
    assert_int_equal(r.kind, PVM_EXIT_OUT_OF_GAS);
    int64_t left = pvm_instance_gas(v->t.inst);
    assert_true(left >= 0 && left < PVM_LAZY_GAS_READ + PVM_LAZY_GAS_WRITE);
    assert_int_equal(pvm_instance_page_access(v->t.inst, (uint32_t)args[0]), PVM_ACCESS_NONE);
    /* Host reads of a lazy page are free and make it accessible. */
    uint8_t byte = 1;
    assert_int_equal(pvm_instance_read(v->t.inst, v->rw + 4096 * 50, &byte, 1, NULL), PVM_OK);
    assert_int_equal(byte, 0);
    assert_int_equal(pvm_lazy_get_stats(&v->t.inst->mem).read_fills, 0);
}
static void test_faults_and_out_of_gas(void **s) { on_each_backend(PVM_GAS_SYNC, faults_and_out_of_gas); }

/* The recompiler's path: a hardware access faults (SIGSEGV for mprotect, SIGBUS
 * for userfaultfd), the handler calls the hook and returns to retry. */
static pvm_memory *fault_mem;
static volatile bool fault_write;
static volatile int64_t fault_gas;
static volatile int fault_count;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
    uint32_t addr = (uint32_t)((uint8_t *)si->si_addr - fault_mem->base);
    fault_count++;
    int64_t gas = fault_gas;
    if (pvm_memory_lazy_fault(fault_mem, addr, 1, fault_write, PVM_GAS_ASYNC, &gas) != PVM_LAZY_FILLED)
        signal(sig, SIG_DFL); /* not ours: crash on the retry */
    fault_gas = gas;
}

static void hardware_fault_path(lazy_vm *v)
{
    struct sigaction sa = {0}, old_segv, old_bus;
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, &old_segv);
    sigaction(SIGBUS, &sa, &old_bus);
    fault_mem = &v->t.inst->mem;
    fault_gas = GAS;
    fault_count = 0;
    volatile uint8_t *host = fault_mem->base + v->rw;
    fault_write = false;
    uint8_t x = host[5 * 4096 + 3];       /* read fill: one fault */
    uint8_t y = host[1];                  /* image byte */
    fault_write = true;
    host[5 * 4096 + 3] = (uint8_t)(x + 1); /* write upgrade: one fault */
    host[7 * 4096] = 9;                    /* write first: one fault */
    sigaction(SIGSEGV, &old_segv, NULL);
    sigaction(SIGBUS, &old_bus, NULL);
    assert_int_equal(x, 0);
    assert_int_equal(y, image[1]);
    assert_int_equal(fault_count, 4);
    assert_int_equal(GAS - fault_gas, 3 * PVM_LAZY_GAS_READ + 2 * PVM_LAZY_GAS_WRITE);
    uint8_t back;
    assert_int_equal(pvm_instance_read(v->t.inst, v->rw + 5 * 4096 + 3, &back, 1, NULL), PVM_OK);
    assert_int_equal(back, 1);
}
static void test_hardware_fault_path(void **s) { on_each_backend(PVM_GAS_NONE, hardware_fault_path); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_n_pages_n_charges), cmocka_unit_test(test_read_then_write),
        cmocka_unit_test(test_heap_pages),        cmocka_unit_test(test_image_and_reset),   cmocka_unit_test(test_faults_and_out_of_gas),
        cmocka_unit_test(test_hardware_fault_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
