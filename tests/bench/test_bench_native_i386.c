/* The native-i386 engine (bench/engines/adapter_native_i386.c): discovered only for suites
 * that run the rv32 builds; listed as missing, with the reason, when clang-19 is not on
 * PATH, when the build could not link -m32 (its MISSING file), or when the build's i386
 * probe cannot be started (a kernel without IA32 emulation); otherwise it links each guest
 * object with the native driver passing -m32 (a fake clang checks the command line). On
 * the real build tree it runs sieve at the quick size with the expected checksum when this
 * machine can, and otherwise names why not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "bench/engines/discover.h"
#include "bench/runner/guest_catalog.h"
#include "bench_test_env.h"
#include "tests/results/test_support.h"

/* Writes text to dir/relative (the folders below dir must exist). */
static void write_file(const char *dir, const char *relative, const char *text)
{
    char path[256];
    test_path(path, sizeof path, dir, relative);
    assert_int_equal(test_write_file(path, text, strlen(text)), 0);
}

static void make_guest_dirs(const char *dir)
{
    char path[256];
    test_path(path, sizeof path, dir, "guests");
    mkdir(path, 0755);
    test_path(path, sizeof path, dir, "guests/native-i386");
    assert_int_equal(mkdir(path, 0755), 0);
}

/* A clang-19 that answers --version, records its arguments in clang-args, and "links" a
 * driver that prints one sample with checksum 0xabcd. */
static void write_fake_clang(const char *dir)
{
    char body[512];
    snprintf(body, sizeof body,
             "case \"$1\" in --version) echo 'clang version fake'; exit 0;; esac\n"
             "echo \"$@\" > %s/clang-args\n"
             "out=; prev=; for a in \"$@\"; do [ \"$prev\" = -o ] && out=$a; prev=$a; done\n"
             "printf '#!/bin/sh\\necho \"sample 1000 000000000000abcd\"\\n' > \"$out\"; chmod +x \"$out\"",
             dir);
    assert_int_equal(bench_test_write_script(dir, "clang-19", body), 0);
}

static void only_for_suites_with_rv32_builds(void **state)
{
    bench_test_env *f = *state;
    write_fake_clang(f->dir);
    bench_engine_list list = {0};
    f->env.pvm_rv32 = false;
    assert_int_equal(bench_discover_native_i386(&f->env, &list), 0);
    assert_int_equal(list.count, 0);
    assert_int_equal(list.missing_count, 0);
    bench_engine_list_free(&list);
}

static void missing_without_clang_on_path(void **state)
{
    bench_test_env *f = *state; /* PATH is the empty temporary folder */
    f->env.pvm_rv32 = true;
    bench_engine_list list = {0};
    assert_int_equal(bench_discover_native_i386(&f->env, &list), 0);
    assert_int_equal(list.count, 0);
    const bench_missing_engine *m = bench_test_find_missing(&list, "native-i386");
    assert_non_null(m);
    assert_non_null(strstr(m->reason, "clang-19 not found on PATH"));
    bench_engine_list_free(&list);
}

static void missing_with_the_builds_reason(void **state)
{
    bench_test_env *f = *state;
    f->env.pvm_rv32 = true;
    write_fake_clang(f->dir);
    make_guest_dirs(f->dir);
    write_file(f->dir, "guests/native-i386/MISSING",
               "clang-19 -m32 cannot link (ld: cannot find crt1.o): apt: libc6-dev-i386 lib32gcc-12-dev\n");
    bench_engine_list list = {0};
    assert_int_equal(bench_discover_native_i386(&f->env, &list), 0);
    assert_int_equal(list.count, 0);
    const bench_missing_engine *m = bench_test_find_missing(&list, "native-i386");
    assert_non_null(m);
    assert_string_equal(m->reason,
                        "clang-19 -m32 cannot link (ld: cannot find crt1.o): apt: libc6-dev-i386 lib32gcc-12-dev");
    bench_engine_list_free(&list);
}

static void missing_when_the_kernel_refuses_i386(void **state)
{
    bench_test_env *f = *state;
    f->env.pvm_rv32 = true;
    write_fake_clang(f->dir);
    make_guest_dirs(f->dir);
    /* executable, but no format the kernel knows: exec fails with ENOEXEC, as an i386 ELF
     * does without IA32 emulation */
    assert_int_equal(bench_test_write_script(f->dir, "guests/native-i386/exec_probe", "exit 0"), 0);
    write_file(f->dir, "guests/native-i386/exec_probe", "\x01\x02 not a program\n");
    bench_engine_list list = {0};
    assert_int_equal(bench_discover_native_i386(&f->env, &list), 0);
    assert_int_equal(list.count, 0);
    const bench_missing_engine *m = bench_test_find_missing(&list, "native-i386");
    assert_non_null(m);
    assert_non_null(strstr(m->reason, "this kernel does not run 32-bit x86 programs"));
    assert_non_null(strstr(m->reason, "qemu-i386"));
    bench_engine_list_free(&list);
}

static void links_with_m32_and_measures(void **state)
{
    bench_test_env *f = *state;
    f->env.pvm_rv32 = true;
    write_fake_clang(f->dir);
    make_guest_dirs(f->dir);
    assert_int_equal(bench_test_write_script(f->dir, "guests/native-i386/exec_probe", "exit 0"), 0);
    bench_engine_list list = {0};
    assert_int_equal(bench_discover_native_i386(&f->env, &list), 0);
    bench_engine *engine = bench_test_find_engine(&list, "native-i386");
    assert_non_null(engine);
    if (!engine) /* not reached; tells the compiler so */
        return;
    assert_string_equal(engine->version, "clang version fake");
    assert_non_null(strstr(engine->flags, "-m32"));
    bench_guest guest = {"g", 7, 0xabcd};
    bench_timing sample;
    char err[512] = "";
    /* no object yet: one line naming it */
    assert_int_equal(engine->ops->measure(engine, &guest, BENCH_MODE_EXECUTION, 1, 1, &sample, err, sizeof err), -1);
    assert_non_null(strstr(err, "guests/native-i386/g.o is missing"));
    write_file(f->dir, "guests/native-i386/g.o", "object");
    assert_int_equal(engine->ops->measure(engine, &guest, BENCH_MODE_EXECUTION, 1, 1, &sample, err, sizeof err), 0);
    assert_true(sample.checksum_present);
    assert_int_equal(sample.checksum, 0xabcd);
    char args_path[256], args[1024] = "";
    test_path(args_path, sizeof args_path, f->dir, "clang-args");
    FILE *file = fopen(args_path, "r");
    assert_non_null(file);
    assert_non_null(fgets(args, sizeof args, file));
    fclose(file);
    assert_non_null(strstr(args, "-m32 -O2 "));
    assert_non_null(strstr(args, "guests/native-i386/g.o"));
    assert_non_null(strstr(args, "cache/native-i386/g")); /* its own cache folder, not native's */
    bench_engine_list_free(&list);
}

/* The real build: sieve at its quick size with the manifest's checksum, or the reason. */
static void real_build_runs_sieve_or_says_why_not(void **state)
{
    (void)state;
    char dir[64], cache[128];
    assert_int_equal(test_make_temp_dir(dir, sizeof dir), 0);
    test_path(cache, sizeof cache, dir, "cache");
    bench_env env = {.build_dir = PVMLAB_BUILD_DIR, .source_dir = PVMLAB_SOURCE_DIR, .cache_dir = cache,
                     .path = NULL, .models = "", .pvm_rv32 = true};
    bench_engine_list list = {0};
    assert_int_equal(bench_discover_native_i386(&env, &list), 0);
    bench_engine *engine = bench_test_find_engine(&list, "native-i386");
    if (!engine) {
        const bench_missing_engine *m = bench_test_find_missing(&list, "native-i386");
        assert_non_null(m);
        print_message("native-i386 is missing here: %s\n", m->reason);
        assert_true(strstr(m->reason, "does not run 32-bit x86") || strstr(m->reason, "cannot link") ||
                    strstr(m->reason, "not found"));
    } else {
        const bench_guest_entry *sieve = bench_guest_find("sieve");
        assert_non_null(sieve);
        bench_guest guest = {"sieve", sieve->quick_size, sieve->quick_checksum};
        bench_timing sample;
        char err[512] = "";
        int rc = engine->ops->measure(engine, &guest, BENCH_MODE_EXECUTION, 1, 1, &sample, err, sizeof err);
        if (rc != 0)
            print_message("%s\n", err);
        assert_int_equal(rc, 0);
        assert_true(sample.checksum_present);
        assert_int_equal(sample.checksum, sieve->quick_checksum);
    }
    bench_engine_list_free(&list);
    test_remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(only_for_suites_with_rv32_builds, bench_test_env_setup, bench_test_env_teardown),
        cmocka_unit_test_setup_teardown(missing_without_clang_on_path, bench_test_env_setup, bench_test_env_teardown),
        cmocka_unit_test_setup_teardown(missing_with_the_builds_reason, bench_test_env_setup, bench_test_env_teardown),
        cmocka_unit_test_setup_teardown(missing_when_the_kernel_refuses_i386, bench_test_env_setup,
                                        bench_test_env_teardown),
        cmocka_unit_test_setup_teardown(links_with_m32_and_measures, bench_test_env_setup, bench_test_env_teardown),
        cmocka_unit_test(real_build_runs_sieve_or_says_why_not),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
