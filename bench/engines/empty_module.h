/* A wasm module whose exports do nothing: run(i32) -> i64 and bench_main() -> i64, both
 * returning 0. Used to probe engines and to measure the start-up that the adapters of
 * engines which cannot time themselves subtract. */
#ifndef PVMLAB_BENCH_EMPTY_MODULE_H
#define PVMLAB_BENCH_EMPTY_MODULE_H

#include <stddef.h>

#include "engine.h"

/* Writes the module to <cache>/wasm/empty.wasm (once) and its path to out. -1 with err. */
int bench_empty_module_path(const bench_env *env, char *out, size_t out_len, char *err, size_t err_len);

#endif
