/* The native engine: each guest's clang-19 -O2 object (built by the guests' CMake into
 * <build>/guests/native/<name>.o) linked with the SDK's native driver (bench/sdk/native_driver.c),
 * which times the runs itself. The linking and measuring serve native-i386 as well
 * (adapter_native_i386.c): native_engine.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "discover.h"
#include "native_engine.h"
#include "self_timed.h"
#include "vm/util/process.h"

typedef struct native_state {
    char clang[BENCH_PATH_MAX];
    const bench_native_target *target;
} native_state;

/* Links <cache>/<subdir>/<name> from the guest object and the driver unless it is fresh. */
static int native_driver_path(bench_engine *engine, const bench_guest *guest, char *driver, size_t length,
                              char *err, size_t err_len)
{
    const native_state *state = engine->state;
    const bench_env *env = engine->env;
    const char *subdir = state->target->subdir;
    char object[BENCH_PATH_MAX], timing[BENCH_PATH_MAX];
    snprintf(object, sizeof object, "%s/guests/%s/%s.o", env->build_dir, subdir, guest->name);
    snprintf(timing, sizeof timing, "%s/bench/sdk/native_driver.c", env->source_dir);
    if (!util_file_exists(object)) {
        snprintf(err, err_len, "%s is missing (build the `guests` target)", object);
        return -1;
    }
    if (bench_cache_path(env, subdir, guest->name, driver, length, err, err_len) != 0)
        return -1;
    const char *inputs[] = {object, timing};
    if (bench_output_is_fresh(driver, inputs, 2))
        return 0;
    char *argv[8];
    size_t n = 0;
    argv[n++] = (char *)state->clang;
    if (state->target->target_flag)
        argv[n++] = (char *)state->target->target_flag;
    argv[n++] = "-O2";
    argv[n++] = timing;
    argv[n++] = object;
    argv[n++] = "-o";
    argv[n++] = driver;
    argv[n] = NULL;
    return bench_run_step(argv, err, err_len);
}

static int native_measure(bench_engine *engine, const bench_guest *guest, bench_mode mode, unsigned count,
                          unsigned inner, bench_timing *out, char *err, size_t err_len)
{
    char driver[BENCH_PATH_MAX];
    if (native_driver_path(engine, guest, driver, sizeof driver, err, err_len) != 0)
        return -1;
    return bench_measure_with_driver(driver, guest, mode, count, inner, out, err, err_len);
}

static const bench_engine_ops NATIVE_OPS = {native_measure, bench_engine_free_state};

int bench_native_engine_add(const bench_env *env, bench_engine_list *list, const bench_native_target *target,
                            const char *clang)
{
    native_state *state = calloc(1, sizeof *state);
    if (!state)
        return -1;
    snprintf(state->clang, sizeof state->clang, "%s", clang);
    state->target = target;
    bench_engine engine = {
        .capabilities = BENCH_CAN_EXECUTE | BENCH_CAN_ONESHOT,
        .timing = BENCH_TIMING_REPORTED,
        .ops = &NATIVE_OPS,
        .state = state,
        .env = env,
    };
    snprintf(engine.name, sizeof engine.name, "%s", target->name);
    snprintf(engine.flags, sizeof engine.flags, "%s", target->flags);
    char *argv[] = {state->clang, "--version", NULL};
    util_tool_version(argv, engine.version, sizeof engine.version);
    return bench_engine_list_adopt(list, &engine);
}

int bench_discover_native(const bench_env *env, bench_engine_list *list)
{
    static const bench_native_target NATIVE = {"native", "native", NULL,
                                               "clang-19 -O2 (guest object from the guests build)"};
    char clang[BENCH_PATH_MAX];
    if (!util_find_program(env->path, "clang-19", clang, sizeof clang))
        return bench_engine_list_add_missing(list, "native", "clang-19 not found on PATH (apt: clang-19)");
    return bench_native_engine_add(env, list, &NATIVE, clang);
}
