/* For engines that cannot pass an argument to an export (wabt's wasm-interp, which only
 * runs parameterless exports): a copy of a guest whose export bench_main() calls
 * run(SIZE), made with wasm2wat and wat2wasm. */
#ifndef PVMLAB_BENCH_SIZE_WRAPPER_H
#define PVMLAB_BENCH_SIZE_WRAPPER_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"

/* Rewrites the module text: the export of run is replaced by a function exported as
 * bench_main that calls run with size. Returns a malloc'ed text, or NULL when the text
 * exports no run function (or out of memory). */
char *bench_wrap_wat_with_size(const char *wat, uint32_t size);

/* Makes (once, cached) <cache>/wasm/<name>-<size>.wasm from the guest's .wasm and writes
 * its path to out. -1 with err when wabt's wasm2wat or wat2wasm fails or is missing. */
int bench_size_wrapped_module(const bench_env *env, const bench_guest *guest, char *out, size_t out_len,
                              char *err, size_t err_len);

#endif
