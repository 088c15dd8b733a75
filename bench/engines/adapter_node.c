/* Engines reached through node and node_runner.mjs, which times compile, instantiate and
 * run inside the node process: V8 Liftoff only, V8 TurboFan only, and wasmtime through the
 * npm `wasmtime` binding (installed by install-npm-engines.sh into bench/engines). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "discover.h"
#include "empty_module.h"
#include "self_timed.h"
#include "vm/util/process.h"

enum { NODE_FLAGS_MAX = 4 };

typedef struct node_configuration {
    const char *name;
    const char *runner_engine; /* node_runner.mjs ENGINE */
    const char *flags[NODE_FLAGS_MAX + 1];
} node_configuration;

/* V8 compiles wasm functions lazily, on first call, by default: --no-wasm-lazy-compilation
 * makes the compile step compile every function in the configured tier, so compilation and
 * oneshot measure the tier's compiler rather than decoding alone. */
static const node_configuration CONFIGURATIONS[] = {
    {"v8-liftoff", "v8",
     {"--liftoff", "--no-wasm-tier-up", "--no-wasm-dynamic-tiering", "--no-wasm-lazy-compilation", NULL}},
    {"v8-turbofan", "v8", {"--no-liftoff", "--no-wasm-lazy-compilation", NULL}},
    {"wasmtime-npm", "wasmtime", {NULL}},
};

typedef struct node_state {
    char node[BENCH_PATH_MAX];
    char runner[BENCH_PATH_MAX];
    const node_configuration *configuration;
} node_state;

/* Runs node_runner.mjs on wasm; version (may be NULL) receives the engine's version line. */
static int run_node_runner(const node_state *state, const char *wasm, bench_mode mode, uint32_t size,
                           unsigned count, unsigned inner, bench_timing *out, char *version,
                           size_t version_len, char *err, size_t err_len)
{
    char size_text[24], count_text[24], inner_text[24];
    bench_format_unsigned(size_text, sizeof size_text, size);
    bench_format_unsigned(count_text, sizeof count_text, count);
    bench_format_unsigned(inner_text, sizeof inner_text, inner);
    char *argv[NODE_FLAGS_MAX + 10];
    size_t n = 0;
    argv[n++] = (char *)state->node;
    for (const char *const *flag = state->configuration->flags; *flag; flag++)
        argv[n++] = (char *)*flag;
    argv[n++] = (char *)state->runner;
    argv[n++] = (char *)state->configuration->runner_engine;
    argv[n++] = (char *)bench_mode_name(mode);
    argv[n++] = (char *)wasm;
    argv[n++] = size_text;
    argv[n++] = count_text;
    argv[n++] = inner_text;
    argv[n] = NULL;
    return bench_run_self_timed(argv, count, out, version, version_len, err, err_len);
}

static int node_measure(bench_engine *engine, const bench_guest *guest, bench_mode mode, unsigned count,
                        unsigned inner, bench_timing *out, char *err, size_t err_len)
{
    char wasm[BENCH_PATH_MAX];
    snprintf(wasm, sizeof wasm, "%s/guests/wasm32/%s.wasm", engine->env->build_dir, guest->name);
    if (!util_file_exists(wasm)) {
        snprintf(err, err_len, "%s is missing (build the `guests` target)", wasm);
        return -1;
    }
    return run_node_runner(engine->state, wasm, mode, guest->size, count, inner, out, NULL, 0, err, err_len);
}

static const bench_engine_ops NODE_OPS = {node_measure, bench_engine_free_state};

/* Probes one configuration by compiling the empty module; adds it or its reason. */
static int discover_configuration(const bench_env *env, const char *node, const char *runner,
                                  const char *empty_wasm, const node_configuration *configuration,
                                  bench_engine_list *list)
{
    node_state *state = calloc(1, sizeof *state);
    if (!state)
        return -1;
    snprintf(state->node, sizeof state->node, "%s", node);
    snprintf(state->runner, sizeof state->runner, "%s", runner);
    state->configuration = configuration;
    bench_engine engine = {
        .capabilities = BENCH_CAN_COMPILE | BENCH_CAN_INSTANTIATE | BENCH_CAN_EXECUTE | BENCH_CAN_ONESHOT,
        .timing = BENCH_TIMING_REPORTED,
        .ops = &NODE_OPS,
        .state = state,
        .env = env,
    };
    snprintf(engine.name, sizeof engine.name, "%s", configuration->name);
    bench_join_words(configuration->flags, engine.flags, sizeof engine.flags);
    if (!engine.flags[0])
        snprintf(engine.flags, sizeof engine.flags, "default");
    bench_timing probe;
    char err[BENCH_TEXT_MAX];
    if (run_node_runner(state, empty_wasm, BENCH_MODE_COMPILATION, 0, 1, 1, &probe, engine.version,
                        sizeof engine.version, err, sizeof err) != 0) {
        free(state);
        return bench_engine_list_add_missing(list, configuration->name, "probe failed: %s", err);
    }
    return bench_engine_list_adopt(list, &engine);
}

int bench_discover_node(const bench_env *env, bench_engine_list *list)
{
    size_t n = sizeof CONFIGURATIONS / sizeof CONFIGURATIONS[0];
    char node[BENCH_PATH_MAX], runner[BENCH_PATH_MAX], empty_wasm[BENCH_PATH_MAX], err[BENCH_TEXT_MAX];
    const char *reason = NULL;
    snprintf(runner, sizeof runner, "%s/bench/engines/node_runner.mjs", env->source_dir);
    if (!util_find_program(env->path, "node", node, sizeof node) &&
        !util_find_program(env->path, "nodejs", node, sizeof node))
        reason = "node not found on PATH (apt: nodejs)";
    else if (!util_file_exists(runner))
        reason = "bench/engines/node_runner.mjs not found under the source directory";
    else if (bench_empty_module_path(env, empty_wasm, sizeof empty_wasm, err, sizeof err) != 0)
        reason = err;
    for (size_t i = 0; i < n; i++) {
        char package[BENCH_PATH_MAX];
        snprintf(package, sizeof package, "%s/bench/engines/node_modules/wasmtime/package.json", env->source_dir);
        int status;
        if (reason)
            status = bench_engine_list_add_missing(list, CONFIGURATIONS[i].name, "%s", reason);
        else if (strcmp(CONFIGURATIONS[i].runner_engine, "wasmtime") == 0 && !util_file_exists(package))
            status = bench_engine_list_add_missing(list, CONFIGURATIONS[i].name,
                                                   "npm package wasmtime not installed "
                                                   "(run bench/engines/install-npm-engines.sh)");
        else
            status = discover_configuration(env, node, runner, empty_wasm, &CONFIGURATIONS[i], list);
        if (status != 0)
            return -1;
    }
    return 0;
}
