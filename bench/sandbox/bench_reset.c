/* Instantiate + reset of an instance whose guest wrote every page of a
 * 64 MiB rw region: the plain 4 KiB path (madvise(MADV_DONTNEED) + mprotect)
 * against the same window backed by transparent huge pages. Prints medians
 * in microseconds.
 *   bench_reset [runs] [MiB] */
#include <stdio.h>
#include <string.h>
#include "vm/state/vm_state.h"
#include "bench_time.h"
#include "vm/memory/lazy.h"
#include "touch_program.h"
#include "vm/util/clock.h"

enum { T_NEW, T_FIRST_RUN, T_RESET, T_RUN_AFTER_RESET, T_COUNT };
static const char *const phase_names[T_COUNT] = {"instantiate", "first run (touch all)", "reset", "run after reset"};

static int run_touch(pvm_instance *in, uint32_t addr, uint32_t pages)
{
    uint64_t args[3] = {addr, pages, 4096};
    pvm_result r;
    pvm_error err;
    if (pvm_instance_prepare_call(in, "write_pages", 0, args, 3, &err) || pvm_instance_run(in, &r, &err)) {
        fprintf(stderr, "run: %s\n", err.msg);
        return -1;
    }
    return r.kind == PVM_EXIT_HALT ? 0 : -1;
}

static int measure(pvm_module *m, bool huge, int runs, uint32_t size)
{
    uint64_t *t[T_COUNT];
    for (int k = 0; k < T_COUNT; k++) t[k] = calloc((size_t)runs, sizeof(uint64_t));
    uint32_t addr = m->layout.rw_addr, pages = size / 4096;
    pvm_error err;
    for (int i = 0; i < runs; i++) {
        pvm_instance *in;
        uint64_t t0 = util_now_ns();
        if (pvm_instance_new(m, &in, &err)) {
            fprintf(stderr, "instantiate: %s\n", err.msg);
            return 1;
        }
        if (huge && pvm_memory_set_huge_pages(&in->mem, true, &err)) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        uint64_t t1 = util_now_ns();
        if (run_touch(in, addr, pages)) return 1;
        uint64_t t2 = util_now_ns();
        pvm_instance_reset(in, NULL);
        uint64_t t3 = util_now_ns();
        if (run_touch(in, addr, pages)) return 1;
        uint64_t t4 = util_now_ns();
        pvm_instance_free(in);
        t[T_NEW][i] = t1 - t0;
        t[T_FIRST_RUN][i] = t2 - t1;
        t[T_RESET][i] = t3 - t2;
        t[T_RUN_AFTER_RESET][i] = t4 - t3;
    }
    for (int k = 0; k < T_COUNT; k++) {
        printf("%-12s %-24s %12.1f us\n", huge ? "huge-pages" : "4k-madvise", phase_names[k], bench_median(t[k], (size_t)runs) / 1e3);
        free(t[k]);
    }
    return 0;
}

int main(int argc, char **argv)
{
    int runs = argc > 1 ? atoi(argv[1]) : 11;
    uint32_t mib = argc > 2 ? (uint32_t)atoi(argv[2]) : 64;
    if (runs < 1 || mib < 1 || mib > 1024) {
        fprintf(stderr, "usage: bench_reset [runs] [MiB]\n");
        return 2;
    }
    pvm_engine *e;
    pvm_module *m;
    if (bench_module(touch_program(mib << 20, NULL, 0, 0, NULL, 0), PVM_BACKEND_INTERP, &e, &m)) return 1;
    char thp[128] = "unknown";
    FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    if (f) {
        if (!fgets(thp, sizeof thp, f)) strcpy(thp, "unreadable");
        thp[strcspn(thp, "\n")] = 0;
        fclose(f);
    }
    printf("# transparent_hugepage/enabled: %s\n", thp);
    printf("# %u MiB rw region written page by page by the guest (interpreter); medians of %d runs\n", mib, runs);
    int rc = measure(m, false, runs, mib << 20) || measure(m, true, runs, mib << 20);
    pvm_module_release(m);
    pvm_engine_free(e);
    return rc;
}
