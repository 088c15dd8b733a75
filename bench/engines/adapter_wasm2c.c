/* wasm2c (wabt) ahead of time: each guest's .wasm is translated to C and compiled with
 * clang-19 -O2 together with wabt's own runtime (wasm-rt-impl.c as shipped by Debian's
 * wabt package) and the SDK's native driver (bench/sdk/native_driver.c), which times the runs itself. Compilation mode times
 * the translation plus the C compile (the wall time of the two processes). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "discover.h"
#include "self_timed.h"
#include "vm/util/process.h"
#include "vm/util/clock.h"

typedef struct wasm2c_state {
    char wasm2c[BENCH_PATH_MAX];
    char clang[BENCH_PATH_MAX];
    char runtime_dir[BENCH_PATH_MAX]; /* holds wasm-rt-impl.c (and wasm-rt-impl.h) */
} wasm2c_state;

static const char *const RUNTIME_DIRS[] = {"/usr/share/wabt/wasm2c", "/usr/src/wasm2c"};

/* Translates and compiles guest into directory/driver (the driver path is written to
 * driver). Every path lives in directory, so a compilation sample can use a scratch one. */
static int translate_and_compile(bench_engine *engine, const bench_guest *guest, const char *directory,
                                 char *driver, size_t driver_len, bool reuse_fresh, char *err, size_t err_len)
{
    const wasm2c_state *state = engine->state;
    const bench_env *env = engine->env;
    char wasm[BENCH_PATH_MAX], c_file[BENCH_PATH_MAX], timing[BENCH_PATH_MAX], glue[BENCH_PATH_MAX];
    char runtime[BENCH_PATH_MAX], include_generated[BENCH_PATH_MAX], include_runtime[BENCH_PATH_MAX];
    snprintf(wasm, sizeof wasm, "%s/guests/wasm32/%s.wasm", env->build_dir, guest->name);
    snprintf(c_file, sizeof c_file, "%s/guest.c", directory);
    snprintf(driver, driver_len, "%s/driver", directory);
    snprintf(timing, sizeof timing, "%s/bench/sdk/native_driver.c", env->source_dir);
    snprintf(glue, sizeof glue, "%s/bench/engines/wasm2c_glue.c", env->source_dir);
    snprintf(runtime, sizeof runtime, "%s/wasm-rt-impl.c", state->runtime_dir);
    snprintf(include_generated, sizeof include_generated, "-I%s", directory);
    snprintf(include_runtime, sizeof include_runtime, "-I%s", state->runtime_dir);
    if (!util_file_exists(wasm)) {
        snprintf(err, err_len, "%s is missing (build the `guests` target)", wasm);
        return -1;
    }
    const char *inputs[] = {wasm, timing, glue};
    if (reuse_fresh && bench_output_is_fresh(driver, inputs, 3))
        return 0;
    char *translate[] = {(char *)state->wasm2c, wasm, "-n", "guest", "-o", c_file, NULL};
    if (bench_run_step(translate, err, err_len) != 0)
        return -1;
    char *compile[] = {(char *)state->clang, "-O2", "-w", include_generated, include_runtime, timing, glue,
                       c_file, runtime, "-o", driver, "-lm", NULL};
    return bench_run_step(compile, err, err_len);
}

static int wasm2c_measure(bench_engine *engine, const bench_guest *guest, bench_mode mode, unsigned count,
                          unsigned inner, bench_timing *out, char *err, size_t err_len)
{
    char directory[BENCH_PATH_MAX], driver[BENCH_PATH_MAX];
    bool scratch = mode == BENCH_MODE_COMPILATION;
    char subdir[BENCH_NAME_MAX + 16];
    snprintf(subdir, sizeof subdir, "wasm2c-%s%s", guest->name, scratch ? "-compile" : "");
    if (bench_cache_path(engine->env, subdir, "", directory, sizeof directory, err, err_len) != 0)
        return -1;
    if (!scratch) {
        if (translate_and_compile(engine, guest, directory, driver, sizeof driver, true, err, err_len) != 0)
            return -1;
        return bench_measure_with_driver(driver, guest, mode, count, inner, out, err, err_len);
    }
    for (unsigned i = 0; i < count; i++) {
        int64_t start = (int64_t)util_now_ns();
        if (translate_and_compile(engine, guest, directory, driver, sizeof driver, false, err, err_len) != 0)
            return -1;
        out[i] = (bench_timing){.wall_ns = (int64_t)util_now_ns() - start};
    }
    return 0;
}

static const bench_engine_ops WASM2C_OPS = {wasm2c_measure, bench_engine_free_state};

int bench_discover_wasm2c(const bench_env *env, bench_engine_list *list)
{
    const char *name = "wasm2c";
    wasm2c_state *state = calloc(1, sizeof *state);
    if (!state)
        return -1;
    const char *reason = NULL;
    if (!util_find_program(env->path, "wasm2c", state->wasm2c, sizeof state->wasm2c))
        reason = "wasm2c not found on PATH (apt: wabt)";
    else if (!util_find_program(env->path, "clang-19", state->clang, sizeof state->clang))
        reason = "clang-19 not found on PATH (apt: clang-19)";
    for (size_t i = 0; !reason && i < sizeof RUNTIME_DIRS / sizeof RUNTIME_DIRS[0]; i++) {
        char runtime[BENCH_PATH_MAX];
        snprintf(runtime, sizeof runtime, "%s/wasm-rt-impl.c", RUNTIME_DIRS[i]);
        if (util_file_exists(runtime)) {
            snprintf(state->runtime_dir, sizeof state->runtime_dir, "%s", RUNTIME_DIRS[i]);
            break;
        }
    }
    if (!reason && !state->runtime_dir[0])
        reason = "wabt's wasm-rt-impl.c not found in /usr/share/wabt/wasm2c or /usr/src/wasm2c";
    if (reason) {
        free(state);
        return bench_engine_list_add_missing(list, name, "%s", reason);
    }
    bench_engine engine = {
        .flags = "wasm2c -> clang-19 -O2, wabt wasm-rt-impl.c",
        .capabilities = BENCH_CAN_COMPILE | BENCH_CAN_EXECUTE,
        .timing = BENCH_TIMING_REPORTED,
        .ops = &WASM2C_OPS,
        .state = state,
        .env = env,
    };
    snprintf(engine.name, sizeof engine.name, "%s", name);
    char *argv[] = {state->wasm2c, "--version", NULL};
    char version[BENCH_NAME_MAX];
    util_tool_version(argv, version, sizeof version);
    snprintf(engine.version, sizeof engine.version, "wabt %s", version);
    return bench_engine_list_adopt(list, &engine);
}
