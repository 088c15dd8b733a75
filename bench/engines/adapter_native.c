/* The native engine: each guest's clang-19 -O2 object (built by the guests' CMake into
 * <build>/guests/native/<name>.o) linked with the SDK's native driver (bench/sdk/native_driver.c),
 * which times the runs itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "discover.h"
#include "self_timed.h"
#include "vm/util/process.h"

typedef struct native_state {
    char clang[BENCH_PATH_MAX];
} native_state;

/* Links <cache>/native/<name> from the guest object and the driver unless it is fresh. */
static int native_driver_path(bench_engine *engine, const bench_guest *guest, char *driver, size_t length,
                              char *err, size_t err_len)
{
    const native_state *state = engine->state;
    const bench_env *env = engine->env;
    char object[BENCH_PATH_MAX], timing[BENCH_PATH_MAX];
    snprintf(object, sizeof object, "%s/guests/native/%s.o", env->build_dir, guest->name);
    snprintf(timing, sizeof timing, "%s/bench/sdk/native_driver.c", env->source_dir);
    if (!util_file_exists(object)) {
        snprintf(err, err_len, "%s is missing (build the `guests` target)", object);
        return -1;
    }
    if (bench_cache_path(env, "native", guest->name, driver, length, err, err_len) != 0)
        return -1;
    const char *inputs[] = {object, timing};
    if (bench_output_is_fresh(driver, inputs, 2))
        return 0;
    char *argv[] = {(char *)state->clang, "-O2", timing, object, "-o", driver, NULL};
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

int bench_discover_native(const bench_env *env, bench_engine_list *list)
{
    native_state *state = calloc(1, sizeof *state);
    if (!state)
        return -1;
    if (!util_find_program(env->path, "clang-19", state->clang, sizeof state->clang)) {
        free(state);
        return bench_engine_list_add_missing(list, "native", "clang-19 not found on PATH (apt: clang-19)");
    }
    bench_engine engine = {
        .name = "native",
        .flags = "clang-19 -O2 (guest object from the guests build)",
        .capabilities = BENCH_CAN_EXECUTE | BENCH_CAN_ONESHOT,
        .timing = BENCH_TIMING_REPORTED,
        .ops = &NATIVE_OPS,
        .state = state,
        .env = env,
    };
    char *argv[] = {state->clang, "--version", NULL};
    util_tool_version(argv, engine.version, sizeof engine.version);
    return bench_engine_list_adopt(list, &engine);
}
