/* Engine discovery and the adapters' helpers: a command-line engine missing from PATH is
 * skipped with the reason, present ones are found (and measured through a fake engine
 * script), the --engines filter, the self-timing protocol, the size wrapper for
 * wasm-interp and the checksum comparison in fewer than 64 bits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bench/runner/checksum.h"
#include "bench/engines/discover.h"
#include "bench/runner/engine_filter.h"
#include "bench/engines/reported_samples.h"
#include "bench/engines/size_wrapper.h"
#include "bench_test_env.h"
#include "tests/results/test_support.h"
#include "vm/util/process.h"

static void missing_engine_is_skipped_with_its_reason(void **state)
{
    bench_test_env *f = *state;
    bench_engine_list list = {0};
    assert_int_equal(bench_discover_cli_wasm(&f->env, &list), 0);
    assert_int_equal(list.count, 0);
    const bench_missing_engine *wasm3 = bench_test_find_missing(&list, "wasm3");
    assert_non_null(wasm3);
    assert_non_null(strstr(wasm3->reason, "wasm3 not found on PATH"));
    assert_non_null(bench_test_find_missing(&list, "wasm-interp"));
    assert_non_null(bench_test_find_missing(&list, "wasmer"));
    bench_engine_list_free(&list);
}

static void engine_on_path_is_found_and_measured(void **state)
{
    bench_test_env *f = *state;
    /* A fake wasm3: prints a result like the real one (on stderr); 0 for the empty module,
     * and a run that takes longer than the start-up so that the corrected time is positive. */
    assert_int_equal(bench_test_write_script(f->dir, "wasm3", "case \"$1\" in --version) echo 'Wasm3 fake';; esac\n"
                                  "case \"$4\" in 0) echo 'Result: 0' >&2;; *) sleep 0.1; echo 'Result: 12345' >&2;; esac"), 0);
    bench_engine_list list = {0};
    assert_int_equal(bench_discover_cli_wasm(&f->env, &list), 0);
    bench_engine *wasm3 = bench_test_find_engine(&list, "wasm3");
    assert_non_null(wasm3);
    assert_null(bench_test_find_missing(&list, "wasm3"));
    assert_string_equal(wasm3->version, "Wasm3 fake");
    assert_int_equal(wasm3->timing, BENCH_TIMING_STARTUP_SUBTRACTED);
    assert_true(bench_engine_supports(wasm3, BENCH_MODE_EXECUTION));
    assert_false(bench_engine_supports(wasm3, BENCH_MODE_COMPILATION));

    bench_guest guest = {"fake", 7, 12345};
    bench_timing samples[2];
    char err[256] = "";
    assert_int_equal(wasm3->ops->measure(wasm3, &guest, BENCH_MODE_EXECUTION, 2, 1, samples, err, sizeof err), 0);
    assert_true(samples[0].checksum_present);
    assert_int_equal(samples[0].checksum, 12345);
    assert_true(samples[1].wall_ns > 0);
    bench_engine_list_free(&list);
}

static void find_program_searches_each_path_entry(void **state)
{
    bench_test_env *f = *state;
    assert_int_equal(bench_test_write_script(f->dir, "tool-a", "exit 0"), 0);
    char search[256], found[256];
    snprintf(search, sizeof search, "/nonexistent-dir:%s", f->dir);
    assert_true(util_find_program(search, "tool-a", found, sizeof found));
    assert_non_null(strstr(found, "tool-a"));
    assert_false(util_find_program(search, "tool-b", found, sizeof found));
    assert_false(util_find_program("/nonexistent-dir", "tool-a", found, sizeof found));
}

static void pvm_configurations_without_linker_are_missing(void **state)
{
    bench_test_env *f = *state;
    bench_engine_list list = {0};
    f->env.models = "pipeline-l2hit";
    assert_int_equal(bench_discover_pvm(&f->env, &list), 0);
    assert_int_equal(list.count, 0);
    const bench_missing_engine *jit_sync = bench_test_find_missing(&list, "pvm-jit-gas-sync");
    assert_non_null(jit_sync);
    assert_non_null(strstr(jit_sync->reason, "pvm-link"));
    assert_non_null(bench_test_find_missing(&list, "pvm-interp-gas-none"));
    assert_non_null(bench_test_find_missing(&list, "pvm-interp-gas-async-pipeline-l2hit"));
    /* gas none meters nothing, so it has no per-model configurations */
    assert_null(bench_test_find_missing(&list, "pvm-interp-gas-none-pipeline-l2hit"));
    bench_engine_list_free(&list);
}

static void engines_filter_by_name_and_prefix(void **state)
{
    (void)state;
    assert_true(bench_engine_selected(NULL, "native"));
    assert_true(bench_engine_selected("native,v8-*", "v8-liftoff"));
    assert_false(bench_engine_selected("native,v8-*", "wasm2c"));
    bench_engine_list list = {0};
    bench_engine native = {.name = "native"}, v8 = {.name = "v8-turbofan"};
    assert_int_equal(bench_engine_list_add(&list, &native), 0);
    assert_int_equal(bench_engine_list_add(&list, &v8), 0);
    assert_int_equal(bench_engine_list_add_missing(&list, "wasm3", "not found"), 0);
    char unknown[64];
    assert_int_equal(bench_filter_engines(&list, "native,nope", unknown, sizeof unknown), -1);
    assert_string_equal(unknown, "nope");
    assert_int_equal(bench_filter_engines(&list, "v8-*,wasm3", unknown, sizeof unknown), 0);
    assert_int_equal(list.count, 1);
    assert_string_equal(list.engines[0].name, "v8-turbofan");
    assert_int_equal(list.missing_count, 1);
    bench_engine_list_free(&list);
}

static void reported_samples_are_parsed(void **state)
{
    (void)state;
    bench_timing samples[2];
    char version[64] = "", err[128] = "";
    const char *text = "version V8 fake\nbits 53\nsample 1500 00000000000000ff\nsample 2500 -\n";
    assert_int_equal(bench_parse_reported_samples(text, 2, samples, version, sizeof version, err, sizeof err), 0);
    assert_string_equal(version, "V8 fake");
    assert_int_equal(samples[0].wall_ns, 1500);
    assert_true(samples[0].checksum_present);
    assert_int_equal(samples[0].checksum, 0xff);
    assert_int_equal(samples[0].checksum_bits, 53);
    assert_false(samples[1].checksum_present);
    assert_int_equal(bench_parse_reported_samples(text, 3, samples, NULL, 0, err, sizeof err), -1);
    assert_non_null(strstr(err, "2 of 3"));
    assert_int_equal(bench_parse_reported_samples("sample x 00\n", 1, samples, NULL, 0, err, sizeof err), -1);
}

static void size_wrapper_replaces_the_run_export(void **state)
{
    (void)state;
    const char *wat = "(module\n  (func $run (type 0) (param i32) (result i64) i64.const 1)\n"
                      "  (export \"memory\" (memory 0))\n  (export \"run\" (func $run)))\n";
    char *wrapped = bench_wrap_wat_with_size(wat, 4096);
    assert_non_null(wrapped);
    assert_null(strstr(wrapped, "(export \"run\""));
    assert_non_null(strstr(wrapped, "(export \"bench_main\") (result i64) i32.const 4096 call $run)"));
    assert_non_null(strstr(wrapped, "(export \"memory\""));
    free(wrapped);
    assert_null(bench_wrap_wat_with_size("(module)", 1));
}

static void checksums_compare_in_the_engines_bits(void **state)
{
    (void)state;
    uint64_t value = 0xb68c0bae47d5cf52u;
    assert_true(bench_checksum_matches(value, value, 64));
    assert_false(bench_checksum_matches(value, value ^ 1, 64));
    /* what the npm wasmtime binding returns for it: the i64 through a double */
    assert_true(bench_checksum_matches(value, 0xb68c0bae47d5d000u, 53));
    assert_false(bench_checksum_matches(value, 0xb68c0bae47d5e000u, 53));
    assert_true(bench_checksum_matches(0x7fffffffffffffffu, 0x8000000000000000u, 53));
}

/* A test that gets a fresh temporary tree. */
#define WITH_ENV(test) cmocka_unit_test_setup_teardown(test, bench_test_env_setup, bench_test_env_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        WITH_ENV(missing_engine_is_skipped_with_its_reason),
        WITH_ENV(engine_on_path_is_found_and_measured),
        WITH_ENV(find_program_searches_each_path_entry),
        WITH_ENV(pvm_configurations_without_linker_are_missing),
        cmocka_unit_test(engines_filter_by_name_and_prefix),
        cmocka_unit_test(reported_samples_are_parsed),
        cmocka_unit_test(size_wrapper_replaces_the_run_export),
        cmocka_unit_test(checksums_compare_in_the_engines_bits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
