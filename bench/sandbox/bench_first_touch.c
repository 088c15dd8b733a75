/* Cost of the first touch of a lazy page, per backend, in ns per page
 * (median over runs of PAGES pages each; the reset between runs is not timed):
 *   plain           no lazy pages: the kernel's own first-touch fault
 *   hook            pvm_memory_lazy_fault called directly (the interpreter's slow path)
 *   signal          a host store faults (SIGSEGV for mprotect, SIGBUS for
 *                   userfaultfd), the handler calls the hook, the store retries
 *                   (the recompiler's path)
 *   guest           the interpreter or the recompiler runs a guest that touches one byte per page
 *                   (the recompiler's faults go through its handler, which calls the hook)
 *   bench_first_touch [runs] */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "vm/state/vm_state.h"
#include "bench_time.h"
#include "vm/memory/lazy.h"
#include "touch_program.h"
#include "vm/util/clock.h"

#define PAGES 4096u

static pvm_memory *fault_mem;
static volatile bool fault_write;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
    int64_t gas = 0;
    uint32_t addr = (uint32_t)((uint8_t *)si->si_addr - fault_mem->base);
    if (pvm_memory_lazy_fault(fault_mem, addr, 1, fault_write, PVM_GAS_NONE, &gas) != PVM_LAZY_FILLED)
        signal(sig, SIG_DFL);
}

typedef enum { WAY_HOOK, WAY_SIGNAL, WAY_GUEST } touch_way;

static uint64_t touch_once(pvm_instance *in, touch_way way, bool write)
{
    pvm_memory *m = &in->mem;
    uint32_t rw = in->module->layout.rw_addr;
    uint64_t t0 = util_now_ns();
    if (way == WAY_HOOK) {
        int64_t gas = 0;
        for (uint32_t i = 0; i < PAGES; i++) pvm_memory_lazy_fault(m, rw + i * 4096, 1, write, PVM_GAS_NONE, &gas);
    } else if (way == WAY_SIGNAL) {
        volatile uint8_t *host = m->base + rw;
        fault_mem = m;
        fault_write = write;
        uint8_t sum = 0;
        for (uint32_t i = 0; i < PAGES; i++) {
            if (write) host[i * 4096] = 1;
            else sum += host[i * 4096];
        }
        (void)sum;
    } else {
        uint64_t args[3] = {rw, PAGES, 4096};
        pvm_result r;
        pvm_instance_prepare_call(in, write ? "write_pages" : "read_pages", 0, args, 3, NULL);
        pvm_instance_run(in, &r, NULL);
        if (r.kind != PVM_EXIT_HALT) fprintf(stderr, "guest: exit %s\n", pvm_exit_name(r.kind));
    }
    return util_now_ns() - t0;
}

static void measure(pvm_module *mod, const char *label, int lazy_backend, touch_way way, bool write, int runs)
{
    pvm_instance *in;
    pvm_error err;
    if (pvm_instance_new(mod, &in, &err)) {
        fprintf(stderr, "instantiate: %s\n", err.msg);
        return;
    }
    if (lazy_backend >= 0) {
        if (pvm_lazy_enable(&in->mem, (pvm_lazy_backend)lazy_backend, &err)) {
            printf("%-34s unavailable: %s\n", label, err.msg);
            pvm_instance_free(in);
            return;
        }
        pvm_instance_reset(in, NULL);
    }
    uint64_t *t = calloc((size_t)runs, sizeof *t);
    for (int i = 0; i < runs; i++) {
        t[i] = touch_once(in, way, write);
        pvm_instance_reset(in, NULL);
    }
    printf("%-34s %-5s %10.0f ns/page\n", label, write ? "write" : "read", bench_median(t, (size_t)runs) / PAGES);
    free(t);
    pvm_instance_free(in);
}

int main(int argc, char **argv)
{
    int runs = argc > 1 ? atoi(argv[1]) : 11;
    if (runs < 1) return 2;
    /* Ours first: the recompiler installs its handler on top and passes faults outside its code on to us. */
    struct sigaction sa = {0};
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    pvm_engine *e, *je = NULL;
    pvm_module *m, *jm = NULL;
    if (bench_module(touch_program(PAGES * 4096, NULL, 0, 0, NULL, 0), PVM_BACKEND_INTERP, &e, &m)) return 1;
    if (pvm_backend_available(PVM_BACKEND_JIT) &&
        bench_module(touch_program(PAGES * 4096, NULL, 0, 0, NULL, 0), PVM_BACKEND_JIT, &je, &jm))
        return 1;
    const char *why = NULL;
    if (!pvm_lazy_userfaultfd_available(&why)) printf("# userfaultfd unavailable: %s\n", why);
    printf("# %u pages per run, medians of %d runs\n", PAGES, runs);
    for (int w = 0; w < 2; w++) {
        measure(m, "plain (kernel fault, host store)", -1, WAY_SIGNAL, w, runs);
        measure(m, "plain guest (interpreter)", -1, WAY_GUEST, w, runs);
        if (jm) measure(jm, "plain guest (recompiler)", -1, WAY_GUEST, w, runs);
        measure(m, "mprotect: hook", PVM_LAZY_MPROTECT, WAY_HOOK, w, runs);
        measure(m, "mprotect: SIGSEGV + hook", PVM_LAZY_MPROTECT, WAY_SIGNAL, w, runs);
        measure(m, "mprotect: guest (interpreter)", PVM_LAZY_MPROTECT, WAY_GUEST, w, runs);
        if (jm) measure(jm, "mprotect: guest (recompiler)", PVM_LAZY_MPROTECT, WAY_GUEST, w, runs);
        measure(m, "userfaultfd: hook", PVM_LAZY_USERFAULTFD, WAY_HOOK, w, runs);
        measure(m, "userfaultfd: SIGBUS + hook", PVM_LAZY_USERFAULTFD, WAY_SIGNAL, w, runs);
        measure(m, "userfaultfd: guest (interpreter)", PVM_LAZY_USERFAULTFD, WAY_GUEST, w, runs);
        if (jm) measure(jm, "userfaultfd: guest (recompiler)", PVM_LAZY_USERFAULTFD, WAY_GUEST, w, runs);
    }
    pvm_module_release(m);
    pvm_engine_free(e);
    if (jm) {
        pvm_module_release(jm);
        pvm_engine_free(je);
    }
    return 0;
}
