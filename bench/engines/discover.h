/* Discovery of every engine adapter family. Each bench_discover_* appends the
 * configurations it can run to list and the others, with the reason, to list's missing
 * entries; it returns -1 only when out of memory. */
#ifndef PVMLAB_BENCH_DISCOVER_H
#define PVMLAB_BENCH_DISCOVER_H

#include "engine.h"

int bench_discover_pvm(const bench_env *env, bench_engine_list *list);
int bench_discover_native(const bench_env *env, bench_engine_list *list);
/* Only when env->pvm_rv32: the native 32-bit baseline of the rv32 builds. */
int bench_discover_native_i386(const bench_env *env, bench_engine_list *list);
int bench_discover_node(const bench_env *env, bench_engine_list *list);
int bench_discover_wasm2c(const bench_env *env, bench_engine_list *list);
int bench_discover_cli_wasm(const bench_env *env, bench_engine_list *list);

/* All of the above, in the order results are printed (native first: the baseline). */
int bench_discover_all(const bench_env *env, bench_engine_list *list);

#endif
