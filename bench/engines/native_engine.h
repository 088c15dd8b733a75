/* The native engines, x86-64 (`native`) and i386 (`native-i386`): a guest object built by
 * the guests' CMake into <build>/guests/<target>/<name>.o, linked by clang-19 with the SDK's
 * native driver (bench/sdk/native_driver.c) built for the same target, which times the runs
 * itself. adapter_native.c links and measures; each discoverer decides whether its target
 * can run here. */
#ifndef PVMLAB_BENCH_NATIVE_ENGINE_H
#define PVMLAB_BENCH_NATIVE_ENGINE_H

#include "engine.h"

typedef struct bench_native_target {
    const char *name;        /* the configuration: "native", "native-i386" */
    const char *subdir;      /* under <build>/guests/ (objects) and the cache (drivers) */
    const char *target_flag; /* the clang flag of the target ("-m32"), NULL for the host's */
    const char *flags;       /* what the configuration is, for the results */
} bench_native_target;

/* Appends target as an engine that links with clang (a path found on env's PATH). target
 * must outlive the engine (a static). -1 only when out of memory. */
int bench_native_engine_add(const bench_env *env, bench_engine_list *list, const bench_native_target *target,
                            const char *clang);

#endif
