/* The pvm adapter on libpvm itself, with a program made by the builder instead of a guest
 * linked by pvm-link: every configuration is found when a linker is present, each mode
 * returns the checksum in a0, the metered modes report gas, and compilation is timed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "bench/engines/discover.h"
#include "bench/runner/suites.h"
#include "vm/isa/isa.h"
#include "pvm/builder.h"
#include "pvm/pvm.h"
#include "bench_test_env.h"
#include "bench/sandbox/guest_programs.h"
#include "tests/results/test_support.h"

/* run(n): a0 = n + (n - 1) + ... + 1 (guest_sum_loop of bench/sandbox/guest_programs.h); as a
 * 32-bit program (isa latest32) it also sets a1 = 3, the high word of a 64-bit result under ILP32. */
static void write_sum_program(const char *path, pvm_isa isa)
{
    pvm_builder *b = pvm_builder_new(isa);
    assert_non_null(b);
    bool is32 = isa == PVM_ISA_LATEST32;
    guest_export(b, "run");
    guest_sum_loop(b, is32);
    if (is32)
        pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, 8, 3);
    guest_halt(b);
    uint8_t *bytes;
    size_t length;
    pvm_error error;
    assert_int_equal(pvm_builder_finish_polkavm(b, &bytes, &length, &error), PVM_OK);
    pvm_builder_free(b);
    assert_int_equal(test_write_file(path, bytes, length), 0);
    free(bytes);
}

/* The shared temporary tree plus guests/rv64/sum.polkavm, guests/rv32/sum.polkavm and a
 * bin/pvm-link that fails. */
static int setup(void **state)
{
    if (bench_test_env_setup(state) != 0)
        return -1;
    bench_test_env *t = *state;
    char path[256];
    mkdir(test_path(path, sizeof path, t->dir, "bin"), 0755);
    mkdir(test_path(path, sizeof path, t->dir, "guests"), 0755);
    mkdir(test_path(path, sizeof path, t->dir, "guests/rv64"), 0755);
    /* The adapter needs a linker only for guests without a prebuilt .polkavm. */
    if (bench_test_write_script(t->dir, "bin/pvm-link", "exit 1") != 0)
        return -1;
    write_sum_program(test_path(path, sizeof path, t->dir, "guests/rv64/sum.polkavm"), PVM_ISA_LATEST64);
    mkdir(test_path(path, sizeof path, t->dir, "guests/rv32"), 0755);
    write_sum_program(test_path(path, sizeof path, t->dir, "guests/rv32/sum.polkavm"), PVM_ISA_LATEST32);
    return 0;
}

static void every_configuration_measures_the_program(void **state)
{
    bench_test_env *f = *state;
    bench_engine_list list = {0};
    assert_int_equal(bench_discover_pvm(&f->env, &list), 0);
    size_t expected = pvm_backend_available(PVM_BACKEND_JIT) ? 6 : 3;
    assert_int_equal(list.count, expected);
    bench_guest guest = {"sum", 1000, 500500};
    for (size_t i = 0; i < list.count; i++) {
        bench_engine *engine = &list.engines[i];
        bool metered = strstr(engine->name, "gas-none") == NULL;
        for (int mode = 0; mode < BENCH_MODE_COUNT; mode++) {
            bench_timing samples[2];
            char err[256] = "";
            int status = engine->ops->measure(engine, &guest, (bench_mode)mode, 2, 3, samples, err, sizeof err);
            if (status != 0)
                fail_msg("%s %s: %s", engine->name, bench_mode_name((bench_mode)mode), err);
            for (int s = 0; s < 2; s++) {
                assert_true(samples[s].wall_ns >= 0);
                if (mode == BENCH_MODE_COMPILATION) {
                    assert_false(samples[s].checksum_present);
                    continue;
                }
                assert_true(samples[s].checksum_present);
                assert_int_equal(samples[s].checksum, 500500);
                assert_int_equal(samples[s].gas_present, metered);
                if (metered)
                    assert_true(samples[s].gas > 1000);
            }
        }
    }
    bench_engine_list_free(&list);
}

/* One run of the rv32 build of sum(1000): its 64-bit result from a0 (low word) and a1. */
static void expect_rv32_sum(bench_engine *engine)
{
    bench_guest guest = {"sum", 1000, (3ull << 32) | 500500};
    bench_timing sample;
    char err[256] = "";
    if (engine->ops->measure(engine, &guest, BENCH_MODE_EXECUTION, 1, 1, &sample, err, sizeof err) != 0)
        fail_msg("%s: %s", engine->name, err);
    assert_true(sample.checksum_present);
    assert_int_equal(sample.checksum, (3ull << 32) | 500500);
}

/* With pvm_rv32 every backend and gas mode runs the rv32 build too, under its own name, and
 * the checksum joins a0 (low word) and a1 (high word). */
static void rv32_builds_are_configurations_of_their_own(void **state)
{
    bench_test_env *f = *state;
    f->env.pvm_rv32 = true;
    bench_engine_list list = {0};
    assert_int_equal(bench_discover_pvm(&f->env, &list), 0);
    size_t backends = pvm_backend_available(PVM_BACKEND_JIT) ? 2 : 1;
    assert_int_equal(list.count, 6 * backends);
    size_t rv32 = 0;
    for (size_t i = 0; i < list.count; i++) {
        bench_engine *engine = &list.engines[i];
        if (!strstr(engine->name, "-rv32-")) {
            assert_null(strstr(engine->flags, "rv32"));
            continue;
        }
        rv32++;
        assert_non_null(strstr(engine->flags, "guest=rv32"));
        expect_rv32_sum(engine);
    }
    assert_int_equal(rv32, 3 * backends);
    assert_non_null(strstr(list.engines[list.count - 1].name, "-rv32-gas-"));
    bench_engine_list_free(&list);
}

/* An extra model meters the rv32 builds as it does the rv64 ones (the large suite compiles
 * both with pipeline-l2hit), and runs them: the same checksum under the model's gas. */
static void rv32_builds_take_the_extra_models(void **state)
{
    bench_test_env *f = *state;
    f->env.pvm_rv32 = true;
    f->env.models = "pipeline-l2hit";
    bench_engine_list list = {0};
    assert_int_equal(bench_discover_pvm(&f->env, &list), 0);
    size_t backends = pvm_backend_available(PVM_BACKEND_JIT) ? 2 : 1;
    assert_int_equal(list.count, 2 * 5 * backends); /* none, and sync and async under unit and the model */
    size_t modelled = 0;
    for (size_t i = 0; i < list.count; i++) {
        bench_engine *engine = &list.engines[i];
        if (!strstr(engine->name, "-rv32-") || !strstr(engine->name, "-pipeline-l2hit"))
            continue;
        modelled++;
        assert_non_null(strstr(engine->flags, "model=pipeline-l2hit guest=rv32"));
        expect_rv32_sum(engine);
    }
    assert_int_equal(modelled, 2 * backends);
    assert_true(bench_suite_find("large")->rv32_builds); /* the large program's rv32 build is in its suite */
    bench_engine_list_free(&list);
}

static void a_guest_that_cannot_be_linked_is_an_error(void **state)
{
    bench_test_env *f = *state;
    char path[256];
    /* An ELF without a prebuilt .polkavm: the fake linker fails, and says so. */
    FILE *elf = fopen(test_path(path, sizeof path, f->dir, "guests/rv64/other.elf"), "w");
    assert_non_null(elf);
    fclose(elf);
    bench_engine_list list = {0};
    assert_int_equal(bench_discover_pvm(&f->env, &list), 0);
    assert_true(list.count > 0);
    bench_guest guest = {"other", 1, 1};
    bench_timing sample;
    char err[256] = "";
    assert_int_equal(list.engines[0].ops->measure(&list.engines[0], &guest, BENCH_MODE_EXECUTION, 1, 1, &sample,
                                                  err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "pvm-link"));
    guest.name = "absent";
    assert_int_equal(list.engines[0].ops->measure(&list.engines[0], &guest, BENCH_MODE_EXECUTION, 1, 1, &sample,
                                                  err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "absent.elf is missing"));
    bench_engine_list_free(&list);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(every_configuration_measures_the_program, setup, bench_test_env_teardown),
        cmocka_unit_test_setup_teardown(rv32_builds_are_configurations_of_their_own, setup, bench_test_env_teardown),
        cmocka_unit_test_setup_teardown(rv32_builds_take_the_extra_models, setup, bench_test_env_teardown),
        cmocka_unit_test_setup_teardown(a_guest_that_cannot_be_linked_is_an_error, setup, bench_test_env_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
