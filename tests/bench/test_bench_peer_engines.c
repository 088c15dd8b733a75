/* The command-line peer engines through fake engines that print exactly what the real
 * programs print (bytes captured from the real binaries, or read from their sources where
 * they cannot run here), so that CI checks the adapters' parsing without the engines:
 *   wasm3 v0.5.0   `wasm3 --func run crc32.wasm 4096` -> stderr "Result: -7225386779689378285\n"
 *   iwasm 2.4.3    `iwasm -f run crc32.wasm 4096`    -> stdout "0x9bba45016fcf9e13:i64\n"
 *                  (`iwasm --invoke ...` prints its usage and exits 1)
 *   wasmtime v48   src/commands/run.rs: println!("{i}") per result, warnings on stderr
 *   wasmer         lib/cli/src/commands/run/mod.rs: results joined by " " on one stdout line
 * 0x9bba45016fcf9e13 is crc32's checksum at its quick size (bench/guests/guests.def). Also:
 * a run no longer than the engine's start-up fails instead of storing 0, and in a session
 * an engine whose runs fail is reported and skipped while the others are stored. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bench/runner/bench_session.h"
#include "bench_test_env.h"
#include "bench/engines/discover.h"
#include "results/results.h"
#include "bench/runner/suites.h"
#include "tests/results/results_fixture.h"
#include "tests/results/test_support.h"

#define CRC32_CHECKSUM UINT64_C(0x9bba45016fcf9e13)

/* Engine start-up (the empty module, size 0) is instant; a guest run sleeps a little, so
 * that the time left after subtracting start-up is positive. */
static const char WASM3[] =
    "case \"$1\" in --version) printf 'Wasm3 v0.5.0 on x86_64\\nBuild: Dec  4 2026 20:32:44, GCC 12.2.0\\n'; exit 0;; esac\n"
    "[ \"$1 $2\" = '--func run' ] || { printf 'Error: unknown option\\n' >&2; exit 1; }\n"
    "case \"$4\" in 0) printf 'Result: 0\\n' >&2;; *) sleep 0.05; printf 'Result: -7225386779689378285\\n' >&2;; esac";
static const char IWASM[] =
    "case \"$1\" in --version) printf 'iwasm 2.4.3\\n\\nAbout Wasm Proposals:\\n'; exit 0;; esac\n"
    "[ \"$1 $2\" = '-f run' ] || { printf 'Usage: iwasm [-options] wasm_file [args...]\\n'; exit 1; }\n"
    "case \"$4\" in 0) printf '0x0:i64\\n';; *) sleep 0.05; printf '0x9bba45016fcf9e13:i64\\n';; esac";
static const char WASMTIME[] =
    "case \"$1\" in --version) printf 'wasmtime 48.0.0 (e6b33de51 2026-08-21)\\n'; exit 0;; esac\n"
    "[ \"$1 $2 $3\" = 'run --invoke run' ] || exit 2\n"
    "printf 'warning: using `--invoke` with a function that takes arguments is experimental and may break in the future\\n' >&2\n"
    "printf 'warning: using `--invoke` with a function that returns values is experimental and may break in the future\\n' >&2\n"
    "case \"$5\" in 0) printf '0\\n';; *) sleep 0.05; printf -- '-7225386779689378285\\n';; esac";
static const char WASMER[] =
    "case \"$1\" in --version) printf 'wasmer 6.1.0\\n'; exit 0;; esac\n"
    "[ \"$1 $2 $3\" = 'run --invoke run' ] || exit 2\n"
    "case \"$5\" in 0) printf '0\\n';; *) sleep 0.05; printf -- '-7225386779689378285\\n';; esac";

/* Discovers the fake as `program` and measures crc32 twice in mode; returns measure's result. */
static int measure_fake(bench_test_env *f, const char *program, const char *script, const char *configuration,
                        bench_mode mode, bench_timing *samples, char *err, size_t err_len, char *version)
{
    assert_int_equal(bench_test_write_script(f->dir, program, script), 0);
    bench_engine_list list = {0};
    assert_int_equal(bench_discover_cli_wasm(&f->env, &list), 0);
    bench_engine *engine = bench_test_find_engine(&list, configuration);
    assert_non_null(engine);
    if (version)
        strcpy(version, engine->version);
    bench_guest guest = {"crc32", 4096, CRC32_CHECKSUM};
    int rc = engine->ops->measure(engine, &guest, mode, 2, 1, samples, err, err_len);
    bench_engine_list_free(&list);
    return rc;
}

static void check_samples(const bench_timing *samples)
{
    for (int i = 0; i < 2; i++) {
        assert_true(samples[i].checksum_present);
        assert_int_equal(samples[i].checksum_bits, 64);
        assert_true(samples[i].checksum == CRC32_CHECKSUM);
        assert_true(samples[i].wall_ns > 0);
    }
}

static void wasm3_signed_result_on_stderr(void **state)
{
    bench_timing samples[2];
    char err[512] = "", version[BENCH_NAME_MAX];
    if (measure_fake(*state, "wasm3", WASM3, "wasm3", BENCH_MODE_EXECUTION, samples, err, sizeof err, version) != 0)
        fail_msg("%s", err);
    check_samples(samples);
    assert_string_equal(version, "Wasm3 v0.5.0 on x86_64");
}

static void iwasm_hex_result_on_stdout(void **state)
{
    bench_timing samples[2];
    char err[512] = "", version[BENCH_NAME_MAX];
    if (measure_fake(*state, "iwasm", IWASM, "iwasm", BENCH_MODE_EXECUTION, samples, err, sizeof err, version) != 0)
        fail_msg("%s", err);
    check_samples(samples);
    assert_string_equal(version, "iwasm 2.4.3");
    /* the classic interpreter build prints the same */
    if (measure_fake(*state, "iwasm-classic", IWASM, "iwasm-classic", BENCH_MODE_EXECUTION, samples, err, sizeof err,
                     NULL) != 0)
        fail_msg("iwasm-classic: %s", err);
    check_samples(samples);
}

static void wasmtime_and_wasmer_decimal_line(void **state)
{
    bench_timing samples[2];
    char err[512] = "";
    if (measure_fake(*state, "wasmtime", WASMTIME, "wasmtime-cli", BENCH_MODE_ONESHOT, samples, err, sizeof err,
                     NULL) != 0)
        fail_msg("wasmtime: %s", err);
    check_samples(samples);
    if (measure_fake(*state, "wasmer", WASMER, "wasmer", BENCH_MODE_ONESHOT, samples, err, sizeof err, NULL) != 0)
        fail_msg("wasmer: %s", err);
    check_samples(samples);
}

/* What the adapters did before: wasm3's result looked for on stdout, iwasm run with
 * --invoke. Both now fail loudly, naming the program, instead of passing. */
static void wrong_formats_are_errors(void **state)
{
    bench_timing samples[2];
    char err[512] = "";
    const char *stdout_wasm3 = "case \"$1\" in --version) echo 'Wasm3 v0.5.0'; exit 0;; esac\n"
                               "case \"$4\" in 0) echo 'Result: 0';; *) sleep 0.05; echo 'Result: 5';; esac";
    assert_int_equal(measure_fake(*state, "wasm3", stdout_wasm3, "wasm3", BENCH_MODE_EXECUTION, samples, err,
                                  sizeof err, NULL), -1);
    assert_non_null(strstr(err, "printed no result in its format"));
    const char *truncated_iwasm = "case \"$1\" in --version) echo 'iwasm 2.4.3'; exit 0;; esac\n"
                                  "case \"$4\" in 0) printf '0x0:i64\\n';; *) printf '0x9bba45016fcf9e13\\n';; esac";
    assert_int_equal(measure_fake(*state, "iwasm", truncated_iwasm, "iwasm", BENCH_MODE_EXECUTION, samples, err,
                                  sizeof err, NULL), -1);
    assert_non_null(strstr(err, "printed no result"));
}

/* A guest run that is not slower than the empty module: no time is left after subtracting
 * start-up, and the adapter says so instead of storing 0. */
static void run_within_startup_is_not_stored_as_zero(void **state)
{
    const char *slow_start = "case \"$1\" in --version) echo 'Wasm3 v0.5.0'; exit 0;; esac\n"
                             "case \"$4\" in 0) sleep 0.3; printf 'Result: 0\\n' >&2;; "
                             "*) printf 'Result: -7225386779689378285\\n' >&2;; esac";
    bench_timing samples[2];
    char err[512] = "";
    assert_int_equal(measure_fake(*state, "wasm3", slow_start, "wasm3", BENCH_MODE_EXECUTION, samples, err, sizeof err,
                                  NULL), -1);
    assert_non_null(strstr(err, "not more than the"));
    assert_non_null(strstr(err, "start-up"));
}

/* In a session, an engine whose every run fails is reported and skipped; the others are
 * measured and stored, and the session's status says something failed. */
static void failing_engine_is_skipped_and_reported(void **state)
{
    bench_test_env *f = *state;
    assert_int_equal(bench_test_write_script(f->dir, "wasm3", WASM3), 0);
    assert_int_equal(bench_test_write_script(f->dir, "iwasm", "case \"$1\" in --version) echo 'iwasm 2.4.3';; "
                                                        "*) echo 'Usage: iwasm' ; exit 1;; esac"), 0);
    bench_engine_list list = {0};
    assert_int_equal(bench_discover_cli_wasm(&f->env, &list), 0);
    char path[256];
    test_path(path, sizeof path, f->dir, "session.db");
    results_ids ids;
    pvmlab_db *db = results_open_with_run(path, "test", "test", &ids);
    static const char *const guests[] = {"crc32", NULL};
    bench_suite suite = *bench_suite_find("quick");
    suite.guests = guests;
    FILE *out = tmpfile();
    bench_session_options options = {.suite = &suite, .fixed_runs = 2, .out = out};
    bench_session_result result;
    assert_int_equal(bench_session_run(db, ids.run, &list, &options, &result), 1);
    assert_int_equal(result.measure_failures, 1); /* iwasm on crc32 */
    assert_int_equal(result.checksum_failures, 0);
    assert_int_equal(result.engines_measured, 1); /* wasm3 */
    assert_true(result.samples_stored >= 2);
    fclose(out);
    pvmlab_db_close(db);
    bench_engine_list_free(&list);
}

#define WITH_ENV(test) cmocka_unit_test_setup_teardown(test, bench_test_env_setup, bench_test_env_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        WITH_ENV(wasm3_signed_result_on_stderr),
        WITH_ENV(iwasm_hex_result_on_stdout),
        WITH_ENV(wasmtime_and_wasmer_decimal_line),
        WITH_ENV(wrong_formats_are_errors),
        WITH_ENV(run_within_startup_is_not_stored_as_zero),
        WITH_ENV(failing_engine_is_skipped_and_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
