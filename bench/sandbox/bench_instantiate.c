/* Instantiate and reset of a real program (e.g. bench/guests/large_program.c: 12 MiB of
 * data), each backend, with the copy-on-write data snapshot (the default) and with
 * copying (pvm_engine_set_copy_memory_image), which is how every instance was made
 * before the snapshot. Prints medians in microseconds.
 *   bench_instantiate FILE.polkavm [runs] [run-size]
 * Phases:
 *   instantiate, fresh window   pvm_instance_new with the engine's pool of windows empty (a new
 *                               window reservation; its access table from the process's cache)
 *   instantiate, cold           the same with the cache of access tables emptied first: a fresh
 *                               table, whose first writes fault pages in (vm/memory/access_table.h)
 *   instantiate, pooled window  pvm_instance_new right after a pvm_instance_free
 *   reset, untouched            pvm_instance_reset of an instance nothing touched since
 *   reset after run(size)       pvm_instance_reset after the export run(run-size) */
#include <stdio.h>
#include <string.h>
#include "bench_time.h"
#include "vm/util/clock.h"
#include "vm/util/file_read.h"
#include "vm/memory/access_table.h"

enum { P_FRESH, P_COLD, P_POOLED, P_RESET_UNTOUCHED, P_RESET_AFTER_RUN, P_COUNT };
static const char *const phase_names[P_COUNT] = {"instantiate, fresh window", "instantiate, cold",
                                                 "instantiate, pooled window", "reset, untouched",
                                                 "reset after run(size)"};
enum { HELD = 8 }; /* instances held at once: more than the engine's pool */

static int fail(const char *what, const pvm_error *err)
{
    fprintf(stderr, "bench_instantiate: %s: %s\n", what, err->msg);
    return 1;
}

static int measure(const uint8_t *bytes, size_t len, pvm_backend backend, bool copy, int runs, uint32_t size)
{
    pvm_error err;
    pvm_engine *e;
    pvm_module *m;
    pvm_engine_config cfg = {backend, PVM_GAS_NONE, NULL};
    if (pvm_engine_new(&cfg, &e, &err)) return fail("engine", &err);
    pvm_engine_set_copy_memory_image(e, copy);
    pvm_module_config mc = {.format = PVM_FORMAT_AUTO};
    if (pvm_module_compile(e, bytes, len, &mc, NULL, &m, &err)) return fail("compile", &err);
    uint64_t *t[P_COUNT];
    for (int k = 0; k < P_COUNT; k++) t[k] = calloc((size_t)runs, sizeof(uint64_t));
    pvm_instance *held[HELD];
    for (int i = 0; i < runs; i++) {
        /* Fresh: hold HELD instances; the last one certainly found the pool empty. */
        for (int h = 0; h < HELD; h++) {
            uint64_t t0 = util_now_ns();
            if (pvm_instance_new(m, &held[h], &err)) return fail("instantiate", &err);
            t[P_FRESH][i] = util_now_ns() - t0;
        }
        pvm_access_table_cache_drop();
        pvm_instance *cold;
        uint64_t t0 = util_now_ns();
        if (pvm_instance_new(m, &cold, &err)) return fail("instantiate", &err);
        t[P_COLD][i] = util_now_ns() - t0;
        pvm_instance_free(cold);
        for (int h = 0; h < HELD; h++) pvm_instance_free(held[h]);
        pvm_instance *in;
        t0 = util_now_ns();
        if (pvm_instance_new(m, &in, &err)) return fail("instantiate", &err);
        t[P_POOLED][i] = util_now_ns() - t0;
        pvm_instance_reset(in, NULL);
        t0 = util_now_ns();
        pvm_instance_reset(in, NULL);
        t[P_RESET_UNTOUCHED][i] = util_now_ns() - t0;
        uint64_t arg = size;
        pvm_result r;
        if (pvm_instance_prepare_call(in, "run", 0, &arg, 1, &err) || pvm_instance_run(in, &r, &err))
            return fail("run", &err);
        if (r.kind != PVM_EXIT_HALT) {
            fprintf(stderr, "bench_instantiate: run ended with %s\n", pvm_exit_name(r.kind));
            return 1;
        }
        t0 = util_now_ns();
        pvm_instance_reset(in, NULL);
        t[P_RESET_AFTER_RUN][i] = util_now_ns() - t0;
        pvm_instance_free(in);
    }
    for (int k = 0; k < P_COUNT; k++) {
        printf("%-7s %-9s %-28s %12.1f us\n", backend == PVM_BACKEND_JIT ? "jit" : "interp", copy ? "copy" : "snapshot",
               phase_names[k], bench_median(t[k], (size_t)runs) / 1e3);
        free(t[k]);
    }
    pvm_module_release(m);
    pvm_engine_free(e);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_instantiate FILE.polkavm [runs] [run-size]\n");
        return 2;
    }
    int runs = argc > 2 ? atoi(argv[2]) : 11;
    uint32_t size = argc > 3 ? (uint32_t)atoi(argv[3]) : 1000;
    size_t len = 0;
    uint8_t *bytes = runs < 1 ? NULL : (uint8_t *)util_read_file(argv[1], &len);
    if (!bytes || len == 0) {
        fprintf(stderr, "bench_instantiate: cannot read %s\n", argv[1]);
        free(bytes);
        return 2;
    }
    printf("# %s: %zu bytes; medians of %d runs; run(%u) before the last reset\n", argv[1], len, runs, size);
    int rc = 0;
    for (int b = 0; b < 2 && !rc; b++) {
        pvm_backend backend = b ? PVM_BACKEND_JIT : PVM_BACKEND_INTERP;
        if (!pvm_backend_available(backend)) continue;
        rc = measure(bytes, (size_t)len, backend, false, runs, size) || measure(bytes, (size_t)len, backend, true, runs, size);
    }
    free(bytes);
    return rc;
}
