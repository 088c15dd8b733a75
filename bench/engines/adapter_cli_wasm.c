/* Wasm engines that run as command-line programs and cannot report their own timing:
 * wabt's wasm-interp, and wasm3, iwasm, wasmtime and wasmer when found on PATH. A sample
 * is the process's wall time minus the median start-up of the same engine on the empty
 * module (empty_module.h), so it still includes loading and (for the JIT engines)
 * compiling the guest: those engines only offer oneshot. For the interpreters, whose
 * loading is small beside a run, the same number is also offered as execution. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "discover.h"
#include "empty_module.h"
#include "self_timed.h"
#include "size_wrapper.h"
#include "vm/util/process.h"

enum { CLI_ARGS_MAX = 6, STARTUP_PROBES = 5 };

/* How an engine prints the i64 that run() returned. Each was read off the real program
 * (the bytes are pinned by the fake engines of tests/bench/test_bench_peer_engines.c). */
typedef enum {
    /* wabt 1.0.32 (Debian 12) wasm-interp --run-all-exports, stdout: "bench_main() => i64:N\n", N unsigned decimal */
    RESULT_WASM_INTERP,
    /* wasm3 v0.5.0 --func run, stderr: "Result: N\n", N signed decimal (PRIi64) */
    RESULT_WASM3,
    /* WAMR iwasm 2.4.3 -f run, stdout: "0xHEX:i64\n" (PRIx64, no leading zeros) */
    RESULT_IWASM,
    /* wasmtime run --invoke (src/commands/run.rs, v48 and 0.2x alike) and wasmer run --invoke
     * (lib/cli/src/commands/run/mod.rs): stdout "N\n", signed decimal, warnings on stderr */
    RESULT_DECIMAL_LINE,
} result_format;

typedef struct cli_engine_spec {
    const char *name;                      /* configuration name */
    const char *program;                   /* looked up on PATH */
    const char *args[CLI_ARGS_MAX + 1];    /* "{wasm}" and "{size}" are substituted */
    bool needs_size_wrapper;               /* cannot pass arguments: run bench_main() instead */
    unsigned capabilities;
    result_format result;
    const char *install_hint;
} cli_engine_spec;

#define INTERPRETER (BENCH_CAN_EXECUTE | BENCH_CAN_ONESHOT)
static const cli_engine_spec SPECS[] = {
    {"wasm-interp", "wasm-interp", {"{wasm}", "--run-all-exports", NULL}, true, INTERPRETER, RESULT_WASM_INTERP,
     "apt: wabt"},
    /* checked against wasm3 v0.5.0 (its newest tag) built with scripts/build-peer-engines.sh */
    {"wasm3", "wasm3", {"--func", "run", "{wasm}", "{size}", NULL}, false, INTERPRETER, RESULT_WASM3,
     "not packaged for Debian 12; build it with scripts/build-peer-engines.sh and put it on PATH"},
    /* checked against WAMR-2.4.3 iwasm (product-mini/platforms/linux, fast interpreter):
     * it has no --invoke; -f names the function, its arguments follow the module */
    {"iwasm", "iwasm", {"-f", "run", "{wasm}", "{size}", NULL}, false, INTERPRETER, RESULT_IWASM,
     "WAMR is not packaged for Debian 12; build it with scripts/build-peer-engines.sh and put it on PATH"},
    /* the same WAMR-2.4.3 built with WAMR_BUILD_FAST_INTERP=0 (the classic interpreter),
     * installed under this name by scripts/build-peer-engines.sh */
    {"iwasm-classic", "iwasm-classic", {"-f", "run", "{wasm}", "{size}", NULL}, false, INTERPRETER, RESULT_IWASM,
     "build WAMR's classic interpreter with scripts/build-peer-engines.sh and put it on PATH"},
    /* not run here (no wasmtime/wasmer CLI on this machine): formats read from their sources */
    {"wasmtime-cli", "wasmtime", {"run", "--invoke", "run", "{wasm}", "{size}", NULL}, false, BENCH_CAN_ONESHOT,
     RESULT_DECIMAL_LINE, "not packaged for Debian 12; put wasmtime on PATH"},
    {"wasmer", "wasmer", {"run", "--invoke", "run", "{wasm}", "{size}", NULL}, false, BENCH_CAN_ONESHOT,
     RESULT_DECIMAL_LINE, "not packaged for Debian 12; put wasmer on PATH"},
};
#undef INTERPRETER

typedef struct cli_state {
    const cli_engine_spec *spec;
    char program[BENCH_PATH_MAX];
    char empty_wasm[BENCH_PATH_MAX];
    int64_t startup_ns; /* < 0 until measured */
} cli_state;

/* Parses a whole decimal number (an optional '-' only when is_signed) or, with base 16,
 * hex digits, from text up to end_chars (exclusive set); the value in two's complement. */
static bool parse_number(const char *text, int base, bool is_signed, const char *end_chars, uint64_t *out)
{
    bool negative = is_signed && *text == '-';
    const char *digits = text + negative;
    if (!((*digits >= '0' && *digits <= '9') || (base == 16 && strchr("abcdefABCDEF", *digits) && *digits)))
        return false;
    char *end;
    errno = 0;
    uint64_t magnitude = strtoull(digits, &end, base);
    if (errno == ERANGE || !strchr(end_chars, *end))
        return false;
    if (negative && magnitude > (uint64_t)INT64_MAX + 1)
        return false;
    *out = negative ? (uint64_t)0 - magnitude : magnitude;
    return true;
}

/* The line of text that starts with prefix (the last one when several), or NULL. */
static const char *line_starting_with(const char *text, const char *prefix)
{
    const char *found = NULL;
    size_t length = strlen(prefix);
    for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
        if (strncmp(line, prefix, length) == 0)
            found = line;
    return found;
}

/* The returned i64 in the engine's format; false when the output has none. */
static bool parse_result(result_format format, const char *out_text, const char *err_text, uint64_t *value)
{
    const char *line;
    switch (format) {
    case RESULT_WASM_INTERP:
        line = line_starting_with(out_text, "bench_main() => i64:");
        return line && parse_number(line + strlen("bench_main() => i64:"), 10, false, "\n", value);
    case RESULT_WASM3:
        line = line_starting_with(err_text, "Result: ");
        return line && parse_number(line + strlen("Result: "), 10, true, "\n", value);
    case RESULT_IWASM:
        line = line_starting_with(out_text, "0x");
        return line && parse_number(line + 2, 16, false, ":", value) && strncmp(strchr(line, ':'), ":i64", 4) == 0;
    case RESULT_DECIMAL_LINE:
        /* the only stdout line (the guest prints nothing) */
        return parse_number(out_text, 10, true, "\n", value) && strchr(out_text, '\n') &&
               strchr(out_text, '\n')[1] == '\0';
    }
    return false;
}

/* Runs the engine on wasm (with size) and returns its wall time and checksum. */
static int run_once(const cli_state *state, const char *wasm, uint32_t size, bench_timing *out, char *err,
                    size_t err_len)
{
    char size_text[24];
    bench_format_unsigned(size_text, sizeof size_text, size);
    char *argv[CLI_ARGS_MAX + 2];
    size_t n = 0;
    argv[n++] = (char *)state->program;
    for (const char *const *arg = state->spec->args; *arg; arg++)
        argv[n++] = strcmp(*arg, "{wasm}") == 0 ? (char *)wasm : strcmp(*arg, "{size}") == 0 ? size_text : (char *)*arg;
    argv[n] = NULL;
    util_process_result result;
    if (util_process_run(argv, &result, err, err_len) != 0)
        return -1;
    int status = 0;
    memset(out, 0, sizeof *out);
    out->wall_ns = result.wall_ns;
    if (result.exit_status != 0) {
        size_t length = strcspn(result.stderr_text, "\n");
        snprintf(err, err_len, "%s exited with %d: %.*s", state->program, result.exit_status,
                 (int)(length > 300 ? 300 : length), result.stderr_text);
        status = -1;
    } else if (parse_result(state->spec->result, result.stdout_text, result.stderr_text, &out->checksum)) {
        out->checksum_present = true;
        out->checksum_bits = 64;
    } else {
        size_t out_length = strcspn(result.stdout_text, "\n"), err_length = strcspn(result.stderr_text, "\n");
        snprintf(err, err_len, "%s printed no result in its format (stdout: '%.*s', stderr: '%.*s')", state->program,
                 (int)(out_length > 100 ? 100 : out_length), result.stdout_text,
                 (int)(err_length > 100 ? 100 : err_length), result.stderr_text);
        status = -1;
    }
    util_process_result_free(&result);
    return status;
}

static int compare_ns(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Median wall time of the engine on the empty module, measured once per engine. */
static int startup_ns(cli_state *state, char *err, size_t err_len)
{
    if (state->startup_ns >= 0)
        return 0;
    int64_t times[STARTUP_PROBES];
    for (int i = 0; i < STARTUP_PROBES; i++) {
        bench_timing probe;
        if (run_once(state, state->empty_wasm, 0, &probe, err, err_len) != 0)
            return -1;
        times[i] = probe.wall_ns;
    }
    qsort(times, STARTUP_PROBES, sizeof times[0], compare_ns);
    state->startup_ns = times[STARTUP_PROBES / 2];
    return 0;
}

static int cli_measure(bench_engine *engine, const bench_guest *guest, bench_mode mode, unsigned count,
                       unsigned inner, bench_timing *out, char *err, size_t err_len)
{
    cli_state *state = engine->state;
    char wasm[BENCH_PATH_MAX];
    if (!bench_engine_supports(engine, mode)) {
        snprintf(err, err_len, "%s cannot measure %s", engine->name, bench_mode_name(mode));
        return -1;
    }
    if (state->spec->needs_size_wrapper) {
        if (bench_size_wrapped_module(engine->env, guest, wasm, sizeof wasm, err, err_len) != 0)
            return -1;
    } else {
        snprintf(wasm, sizeof wasm, "%s/guests/wasm32/%s.wasm", engine->env->build_dir, guest->name);
    }
    if (startup_ns(state, err, err_len) != 0)
        return -1;
    for (unsigned i = 0; i < count; i++) {
        if (run_once(state, wasm, guest->size, &out[i], err, err_len) != 0)
            return -1;
        /* A run no longer than the start-up has no measurable time of its own: fail rather
         * than store an invented number (0, or a clamp). */
        if (out[i].wall_ns <= state->startup_ns) {
            snprintf(err, err_len,
                     "%s on %s: the run took %lld ns, not more than the %lld ns start-up it would be corrected by; "
                     "the guest is too short to time this way (use a larger size)",
                     engine->name, guest->name, (long long)out[i].wall_ns, (long long)state->startup_ns);
            return -1;
        }
        out[i].wall_ns -= state->startup_ns;
    }
    return 0;
}

static const bench_engine_ops CLI_OPS = {cli_measure, bench_engine_free_state};

static int discover_one(const bench_env *env, const cli_engine_spec *spec, bench_engine_list *list)
{
    cli_state *state = calloc(1, sizeof *state);
    if (!state)
        return -1;
    state->spec = spec;
    state->startup_ns = -1;
    char err[BENCH_TEXT_MAX];
    const char *reason = NULL;
    if (!util_find_program(env->path, spec->program, state->program, sizeof state->program))
        reason = "not found on PATH";
    else if (bench_empty_module_path(env, state->empty_wasm, sizeof state->empty_wasm, err, sizeof err) != 0)
        reason = err;
    if (reason) {
        free(state);
        return bench_engine_list_add_missing(list, spec->name, "%s %s (%s)", spec->program, reason,
                                             spec->install_hint);
    }
    bench_engine engine = {
        .capabilities = spec->capabilities,
        .timing = BENCH_TIMING_STARTUP_SUBTRACTED,
        .ops = &CLI_OPS,
        .state = state,
        .env = env,
    };
    snprintf(engine.name, sizeof engine.name, "%s", spec->name);
    bench_join_words(spec->args, engine.flags, sizeof engine.flags);
    if (spec->needs_size_wrapper) {
        size_t used = strlen(engine.flags);
        snprintf(engine.flags + used, sizeof engine.flags - used, " (on a copy whose bench_main() calls run(SIZE))");
    }
    char *argv[] = {state->program, "--version", NULL};
    util_tool_version(argv, engine.version, sizeof engine.version);
    return bench_engine_list_adopt(list, &engine);
}

int bench_discover_cli_wasm(const bench_env *env, bench_engine_list *list)
{
    for (size_t i = 0; i < sizeof SPECS / sizeof SPECS[0]; i++)
        if (discover_one(env, &SPECS[i], list) != 0)
            return -1;
    return 0;
}
