/* Helpers for the sandbox benchmarks: monotonic ns, medians, module setup. */
#ifndef PVM_BENCH_TIME_H
#define PVM_BENCH_TIME_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "pvm/builder.h"
#include "pvm/pvm.h"
#include "vm/util/clock.h"

static int bench_cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Median of n samples (sorts them in place). */
static inline double bench_median(uint64_t *v, size_t n)
{
    qsort(v, n, sizeof *v, bench_cmp_u64);
    return n % 2 ? (double)v[n / 2] : ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2;
}

/* An engine for backend (no gas) and the module built by b (freed here). 0 on success. */
static inline int bench_module(pvm_builder *b, pvm_backend backend, pvm_engine **e, pvm_module **m)
{
    pvm_error err;
    pvm_engine_config cfg = {backend, PVM_GAS_NONE, NULL};
    uint8_t *bytes = NULL;
    size_t len;
    pvm_status st = pvm_engine_new(&cfg, e, &err);
    if (st == PVM_OK) st = pvm_builder_finish_polkavm(b, &bytes, &len, &err);
    if (st == PVM_OK) st = pvm_module_compile(*e, bytes, len, NULL, NULL, m, &err);
    pvm_builder_free(b);
    free(bytes);
    if (st) fprintf(stderr, "setup: %s\n", err.msg);
    return st != PVM_OK;
}
#endif
