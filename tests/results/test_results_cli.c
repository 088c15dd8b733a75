/* Smoke tests of the pvmlab command: dispatcher and the db verb. */
#include "test_support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef PVMLAB_BIN
#error "PVMLAB_BIN must name the pvmlab executable"
#endif

typedef test_cli_folder cli_folder;
/* pvmlab with the NULL-terminated arguments after f; returns the exit code. */
#define run_pvmlab(f, ...) test_cli_run(f, PVMLAB_BIN, __VA_ARGS__)

static void test_version_and_help(void **state)
{
    cli_folder *f = *state;
    assert_int_equal(run_pvmlab(f, "--version", NULL), 0);
    assert_int_equal(strncmp(f->output, "pvmlab ", 7), 0);
    assert_int_equal(run_pvmlab(f, "help", NULL), 0);
    assert_non_null(strstr(f->output, "counters"));
    assert_non_null(strstr(f->output, "db"));
}

static void test_unknown_verb_and_bad_flag_exit_2_with_one_line(void **state)
{
    cli_folder *f = *state;
    assert_int_equal(run_pvmlab(f, "frobnicate", NULL), 2);
    assert_non_null(strstr(f->output, "unknown verb 'frobnicate'"));
    assert_ptr_equal(strchr(f->output, '\n'), f->output + strlen(f->output) - 1);
    assert_int_equal(run_pvmlab(f, "--frob", NULL), 2);
    assert_int_equal(run_pvmlab(f, "db", "check", "--frob", NULL), 2);
    assert_non_null(strstr(f->output, "unknown option '--frob'"));
    assert_int_equal(run_pvmlab(f, "db", "explode", NULL), 2);
    assert_int_equal(run_pvmlab(f, NULL), 2);
}

static void test_db_init_then_check_good_file(void **state)
{
    cli_folder *f = *state;
    assert_int_equal(run_pvmlab(f, "db", "init", "--db", f->db, NULL), 0);
    assert_int_equal(run_pvmlab(f, "db", "check", f->db, NULL), 0);
    assert_non_null(strstr(f->output, ": ok ("));
    assert_int_equal(run_pvmlab(f, "db", "check", "--db", f->db, NULL), 0);
}

static void test_db_check_corrupt_files(void **state)
{
    cli_folder *f = *state;
    /* Garbage from the first byte: not a database at all. */
    char corrupt[200];
    test_path(corrupt, sizeof corrupt, f->dir, "corrupt.db");
    assert_int_equal(test_write_garbage(corrupt, 0, 16384), 0);
    assert_int_equal(run_pvmlab(f, "db", "check", corrupt, NULL), 1);
    assert_non_null(strstr(f->output, "not an SQLite database"));
    assert_ptr_equal(strchr(f->output, '\n'), f->output + strlen(f->output) - 1);

    /* A real store with garbage over its later pages: integrity_check must notice. */
    assert_int_equal(run_pvmlab(f, "db", "init", "--db", f->db, NULL), 0);
    struct stat info;
    assert_int_equal(stat(f->db, &info), 0);
    assert_true(info.st_size > 8192);
    assert_int_equal(test_write_garbage(f->db, 4096, (size_t)info.st_size - 4096), 0);
    assert_int_equal(run_pvmlab(f, "db", "check", f->db, NULL), 1);
    assert_true(strstr(f->output, "corrupt") != NULL || strstr(f->output, "malformed") != NULL);
}

static void test_db_merge_via_cli(void **state)
{
    cli_folder *f = *state;
    assert_int_equal(run_pvmlab(f, "db", "init", "--db", f->db, NULL), 0);
    assert_int_equal(run_pvmlab(f, "db", "init", "--db", f->other, NULL), 0);
    assert_int_equal(run_pvmlab(f, "db", "merge", f->db, f->other, NULL), 0);
    assert_non_null(strstr(f->output, "merged"));
    assert_int_equal(run_pvmlab(f, "db", "merge", "--db", f->db, f->other, NULL), 0);
    char missing[200];
    test_path(missing, sizeof missing, f->dir, "missing.db");
    assert_int_equal(run_pvmlab(f, "db", "merge", f->db, missing, NULL), 1);
    assert_non_null(strstr(f->output, "cannot open: No such file or directory"));
    assert_int_equal(run_pvmlab(f, "db", "merge", NULL), 2);
}

int main(void)
{
#define CLI_TEST(t) cmocka_unit_test_setup_teardown(t, test_cli_folder_setup, test_cli_folder_teardown)
    const struct CMUnitTest tests[] = {
        CLI_TEST(test_version_and_help),
        CLI_TEST(test_unknown_verb_and_bad_flag_exit_2_with_one_line),
        CLI_TEST(test_db_init_then_check_good_file),
        CLI_TEST(test_db_check_corrupt_files),
        CLI_TEST(test_db_merge_via_cli),
    };
    return cmocka_run_group_tests_name("results_cli", tests, NULL, NULL);
}
