/* libpvm in process: the interpreter and the recompiler, each with gas none, async and
 * sync, metered by the unit cost model and by every model named in env->models. The guest
 * is the .polkavm that pvm-link makes from its rv64 ELF (see pvm_blob.c); with
 * env->pvm_rv32 also from its rv32 ELF, with the same models (pvm-<backend>-rv32-gas-<mode>[-<model>];
 * run()'s 64-bit result comes back in a0 and a1 there). Only libpvm's calls are timed:
 * pvm_instance_run (execution), pvm_module_compile (compilation), and compile +
 * instantiate + prepare + run (oneshot). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "discover.h"
#include "pvm/pvm.h"
#include "pvm_blob.h"
#include "vm/util/process.h"
#include "vm/util/clock.h"

static const int64_t GAS_LIMIT = INT64_MAX / 4;

typedef struct pvm_adapter_state {
    pvm_cost_model *cost_model;
    pvm_engine *engine;
    pvm_gas_mode gas_mode;
    const char *target; /* "rv64" or "rv32": which build of the guest */
    char linker[BENCH_PATH_MAX];
    unsigned long compile_counter; /* makes cache ids unique for timed compiles */
} pvm_adapter_state;

/* Compiles blob under a fresh cache id so that the engine's module cache cannot answer;
 * cold: libpvm's block-cost cache cannot either (it keeps the block costs of a program it
 * has seen, so a node recompiling a program pays no simulation; a timed cold compile
 * must pay it every time, not only the first). The module borrows the blob's bytes (as
 * an embedder holding the blob does): every caller releases it before the blob is freed. */
static pvm_status compile_fresh(pvm_adapter_state *state, const char *guest, const pvm_blob *blob, bool cold,
                                pvm_module **module, pvm_error *error)
{
    char cache_id[BENCH_NAME_MAX + 32];
    snprintf(cache_id, sizeof cache_id, "%s#%lu", guest, ++state->compile_counter);
    pvm_module_config config = {.format = PVM_FORMAT_POLKAVM, .borrow_bytes = true, .fresh_block_costs = cold};
    return pvm_module_compile(state->engine, blob->bytes, blob->length, &config, cache_id, module, error);
}

/* One call of run(size) on instance; only pvm_instance_run is inside *elapsed_ns. Like the
 * native driver and the wasm runners, repeated calls reuse the instance as the previous
 * call left it (no reset: its memory stays mapped and warm); the guests are re-entrant. */
static int call_run(const pvm_adapter_state *state, pvm_instance *instance, const bench_guest *guest,
                    int64_t *elapsed_ns, bench_timing *sample, char *err, size_t err_len)
{
    pvm_error error = {{0}};
    uint64_t size = guest->size;
    if (pvm_instance_prepare_call(instance, "run", 0, &size, 1, &error) != PVM_OK) {
        snprintf(err, err_len, "%s: prepare run(%u): %s", guest->name, (unsigned)guest->size, error.msg);
        return -1;
    }
    pvm_instance_set_gas(instance, GAS_LIMIT);
    pvm_result result;
    int64_t start = (int64_t)util_now_ns();
    pvm_status status = pvm_instance_run(instance, &result, &error);
    *elapsed_ns += (int64_t)util_now_ns() - start;
    if (status != PVM_OK) {
        snprintf(err, err_len, "%s: run: %s", guest->name, error.msg);
        return -1;
    }
    if (result.kind != PVM_EXIT_HALT) {
        snprintf(err, err_len, "%s: the guest ended with %s at pc %u", guest->name, pvm_exit_name(result.kind),
                 result.pc);
        return -1;
    }
    sample->checksum_present = true;
    sample->checksum = pvm_instance_reg(instance, PVM_REG_A0);
    if (strcmp(state->target, "rv32") == 0) /* ILP32: the low word in a0, the high word in a1 */
        sample->checksum = (uint32_t)sample->checksum | (uint64_t)(uint32_t)pvm_instance_reg(instance, PVM_REG_A1) << 32;
    sample->checksum_bits = 64;
    if (state->gas_mode != PVM_GAS_NONE) {
        sample->gas_present = true;
        sample->gas = GAS_LIMIT - pvm_instance_gas(instance);
    }
    return 0;
}

static int measure_execution(pvm_adapter_state *state, const bench_guest *guest, const pvm_blob *blob,
                             unsigned count, unsigned inner, bench_timing *out, char *err, size_t err_len)
{
    pvm_error error = {{0}};
    pvm_module *module = NULL;
    pvm_instance *instance = NULL;
    int status = -1;
    if (compile_fresh(state, guest->name, blob, false, &module, &error) != PVM_OK ||
        pvm_instance_new(module, &instance, &error) != PVM_OK) {
        snprintf(err, err_len, "%s: %s", guest->name, error.msg);
        goto done;
    }
    for (unsigned i = 0; i < count; i++) {
        int64_t elapsed = 0;
        memset(&out[i], 0, sizeof out[i]);
        for (unsigned j = 0; j < inner; j++)
            if (call_run(state, instance, guest, &elapsed, &out[i], err, err_len) != 0)
                goto done;
        out[i].wall_ns = elapsed / (int64_t)inner;
    }
    status = 0;
done:
    pvm_instance_free(instance);
    pvm_module_release(module);
    return status;
}

static void add_stage(bench_timing *t, const char *name, int64_t ns)
{
    if (t->stage_count < BENCH_STAGES_MAX)
        t->stages[t->stage_count++] = (bench_stage){name, ns};
}

/* The stages of pvm_module_compile, as libpvm timed them. */
static void add_compile_stages(bench_timing *t, const pvm_module *module)
{
    pvm_module_timings times = pvm_module_compile_timings(module);
    add_stage(t, "parse_ns", (int64_t)times.parse_ns);
    add_stage(t, "decode_ns", (int64_t)times.decode_ns);
    add_stage(t, "block_cost_ns", (int64_t)times.gas_ns);
    add_stage(t, "codegen_ns", (int64_t)times.backend_ns);
    add_stage(t, "compile_cpu_ns", (int64_t)times.cpu_ns);
    /* per stage, the calling thread's CPU time and the stage's second thread's */
    add_stage(t, "decode_cpu_t1_ns", (int64_t)times.decode_cpu_ns[0]);
    add_stage(t, "decode_cpu_t2_ns", (int64_t)times.decode_cpu_ns[1]);
    add_stage(t, "block_cost_cpu_t1_ns", (int64_t)times.gas_cpu_ns[0]);
    add_stage(t, "block_cost_cpu_t2_ns", (int64_t)times.gas_cpu_ns[1]);
    add_stage(t, "codegen_cpu_t1_ns", (int64_t)times.backend_cpu_ns[0]);
    add_stage(t, "codegen_cpu_t2_ns", (int64_t)times.backend_cpu_ns[1]);
    add_stage(t, BENCH_PREEMPTIONS_STAGE, (int64_t)times.preemptions);
    add_stage(t, BENCH_INSTRUCTIONS_STAGE, (int64_t)pvm_module_instruction_count(module));
}

/* Resets of the instance after the oneshot run, timed apart from the sample: the first
 * drops what the run dirtied, the second finds nothing touched. */
static int time_resets(pvm_instance *instance, bench_timing *t, const char *guest, char *err, size_t err_len)
{
    static const char *const NAMES[2] = {"reset_after_run_ns", "reset_untouched_ns"};
    for (int k = 0; k < 2; k++) {
        pvm_error error = {{0}};
        int64_t start = (int64_t)util_now_ns();
        pvm_status status = pvm_instance_reset(instance, &error);
        add_stage(t, NAMES[k], (int64_t)util_now_ns() - start);
        if (status != PVM_OK) {
            snprintf(err, err_len, "%s: reset: %s", guest, error.msg);
            return -1;
        }
    }
    return 0;
}

/* Oneshot (compile + instantiate + run) or compilation alone, from a fresh module each
 * time. Each sample also carries the compile stages; oneshot adds instantiation (the
 * first instance of a module also makes its copy-on-write data snapshot), a second
 * instantiation (what every later instance costs) and the resets after the run. */
static int measure_cold(pvm_adapter_state *state, const bench_guest *guest, const pvm_blob *blob, bool run,
                        unsigned count, bench_timing *out, char *err, size_t err_len)
{
    for (unsigned i = 0; i < count; i++) {
        pvm_error error = {{0}};
        pvm_module *module = NULL;
        pvm_instance *instance = NULL, *second = NULL;
        int64_t elapsed = 0;
        memset(&out[i], 0, sizeof out[i]);
        int64_t start = (int64_t)util_now_ns();
        pvm_status compiled = compile_fresh(state, guest->name, blob, true, &module, &error);
        int64_t compiled_at = (int64_t)util_now_ns();
        if (compiled == PVM_OK && run)
            compiled = pvm_instance_new(module, &instance, &error);
        int64_t setup_end = (int64_t)util_now_ns();
        int64_t setup = setup_end - start;
        int status = compiled == PVM_OK ? 0 : -1;
        if (status != 0)
            snprintf(err, err_len, "%s: %s", guest->name, error.msg);
        else if (run)
            status = call_run(state, instance, guest, &elapsed, &out[i], err, err_len);
        out[i].wall_ns = setup + elapsed;
        if (status == 0) {
            add_compile_stages(&out[i], module);
            if (run) {
                add_stage(&out[i], "instantiate_ns", setup_end - compiled_at);
                int64_t again = (int64_t)util_now_ns();
                if (pvm_instance_new(module, &second, &error) != PVM_OK) {
                    snprintf(err, err_len, "%s: second instance: %s", guest->name, error.msg);
                    status = -1;
                } else {
                    add_stage(&out[i], "instantiate_again_ns", (int64_t)util_now_ns() - again);
                    status = time_resets(instance, &out[i], guest->name, err, err_len);
                }
            }
        }
        pvm_instance_free(second);
        pvm_instance_free(instance);
        pvm_module_release(module);
        if (status != 0)
            return -1;
    }
    return 0;
}

static int pvm_measure(bench_engine *engine, const bench_guest *guest, bench_mode mode, unsigned count,
                       unsigned inner, bench_timing *out, char *err, size_t err_len)
{
    pvm_adapter_state *state = engine->state;
    pvm_blob blob;
    if (pvm_blob_load(engine->env, state->linker, state->target, guest->name, &blob, err, err_len) != 0)
        return -1;
    int status;
    if (mode == BENCH_MODE_EXECUTION)
        status = measure_execution(state, guest, &blob, count, inner ? inner : 1, out, err, err_len);
    else
        status = measure_cold(state, guest, &blob, mode == BENCH_MODE_ONESHOT, count, out, err, err_len);
    pvm_blob_free(&blob);
    return status;
}

static void destroy(bench_engine *engine)
{
    pvm_adapter_state *state = engine->state;
    if (!state)
        return;
    pvm_engine_free(state->engine);
    pvm_cost_model_free(state->cost_model);
    free(state);
    engine->state = NULL;
}

static const bench_engine_ops PVM_OPS = {pvm_measure, destroy};

static const char *const GAS_NAMES[] = {[PVM_GAS_NONE] = "none", [PVM_GAS_SYNC] = "sync", [PVM_GAS_ASYNC] = "async"};

/* Adds one configuration, or the reason it cannot run. */
static int discover_configuration(const bench_env *env, const char *linker, pvm_backend backend,
                                  pvm_gas_mode gas_mode, const char *model, const char *target,
                                  bench_engine_list *list)
{
    const char *backend_name = backend == PVM_BACKEND_JIT ? "jit" : "interp";
    bench_engine engine = {
        .capabilities = BENCH_CAN_COMPILE | BENCH_CAN_INSTANTIATE | BENCH_CAN_EXECUTE | BENCH_CAN_ONESHOT,
        .timing = BENCH_TIMING_IN_PROCESS,
        .ops = &PVM_OPS,
        .env = env,
    };
    /* The unit model is the default and stays out of the name; gas none meters nothing. */
    /* The rv64 build is the default and stays out of the name too. */
    bool named_model = gas_mode != PVM_GAS_NONE && strcmp(model, "unit") != 0;
    bool rv32 = strcmp(target, "rv32") == 0;
    snprintf(engine.name, sizeof engine.name, "pvm-%s%s-gas-%s%s%s", backend_name, rv32 ? "-rv32" : "",
             GAS_NAMES[gas_mode], named_model ? "-" : "", named_model ? model : "");
    snprintf(engine.flags, sizeof engine.flags, "backend=%s gas=%s model=%s%s", backend_name, GAS_NAMES[gas_mode],
             gas_mode == PVM_GAS_NONE ? "none" : model, rv32 ? " guest=rv32" : "");
    snprintf(engine.version, sizeof engine.version, "libpvm %s", PVMLAB_BENCH_VERSION);
    if (!linker)
        return bench_engine_list_add_missing(list, engine.name,
                                             "pvm-link not found (neither <build>/bin/pvm-link nor on PATH): "
                                             "the guests cannot be turned into .polkavm");
    if (!pvm_backend_available(backend))
        return bench_engine_list_add_missing(list, engine.name, "libpvm was built without the %s backend",
                                             backend_name);
    pvm_adapter_state *state = calloc(1, sizeof *state);
    if (!state)
        return -1;
    snprintf(state->linker, sizeof state->linker, "%s", linker);
    state->gas_mode = gas_mode;
    state->target = rv32 ? "rv32" : "rv64";
    pvm_error error = {{0}};
    if (pvm_cost_model_new(model, &state->cost_model, &error) != PVM_OK) {
        free(state);
        return bench_engine_list_add_missing(list, engine.name, "cost model '%s': %s", model, error.msg);
    }
    pvm_engine_config config = {.backend = backend, .gas_mode = gas_mode, .cost_model = state->cost_model};
    if (pvm_engine_new(&config, &state->engine, &error) != PVM_OK) {
        pvm_cost_model_free(state->cost_model);
        free(state);
        return bench_engine_list_add_missing(list, engine.name, "engine: %s", error.msg);
    }
    engine.state = state;
    return bench_engine_list_adopt(list, &engine);
}

/* One ISA's configurations: each backend and gas mode under the unit model, and with gas
 * under each extra model (env->models, comma separated). */
static int discover_isa(const bench_env *env, const char *linker, const char *isa, bench_engine_list *list)
{
    static const pvm_backend BACKENDS[] = {PVM_BACKEND_INTERP, PVM_BACKEND_JIT};
    static const pvm_gas_mode GAS_MODES[] = {PVM_GAS_NONE, PVM_GAS_ASYNC, PVM_GAS_SYNC};
    for (size_t b = 0; b < 2; b++)
        for (size_t g = 0; g < 3; g++) {
            if (discover_configuration(env, linker, BACKENDS[b], GAS_MODES[g], "unit", isa, list) != 0)
                return -1;
            if (GAS_MODES[g] == PVM_GAS_NONE || !env->models)
                continue;
            const char *model = env->models;
            while (*model) {
                size_t length = strcspn(model, ",");
                char name[BENCH_NAME_MAX];
                snprintf(name, sizeof name, "%.*s", (int)length, model);
                if (length && strcmp(name, "unit") != 0 &&
                    discover_configuration(env, linker, BACKENDS[b], GAS_MODES[g], name, isa, list) != 0)
                    return -1;
                model += length + (model[length] == ',');
            }
        }
    return 0;
}

int bench_discover_pvm(const bench_env *env, bench_engine_list *list)
{
    char linker[BENCH_PATH_MAX];
    const char *have = pvm_blob_find_linker(env, linker, sizeof linker) ? linker : NULL;
    if (discover_isa(env, have, "rv64", list) != 0)
        return -1;
    return env->pvm_rv32 ? discover_isa(env, have, "rv32", list) : 0; /* the guests' 32-bit builds */
}
