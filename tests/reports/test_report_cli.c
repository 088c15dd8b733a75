/* The plot and report verbs through the pvmlab binary: exit codes, the closing
 * "report: /abs/path/report.html" line, and one line for every failure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report_files.h"
#include "synthetic_db.h"
#include "test_support.h"

#ifndef PVMLAB_BIN
#error "PVMLAB_BIN must name the pvmlab binary"
#endif

typedef struct cli_fixture {
    report_test_dir paths;
    char output[16384];
} cli_fixture;

static int setup(void **state)
{
    cli_fixture *f = calloc(1, sizeof *f);
    if (!f || report_test_dir_make(&f->paths) != 0)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    cli_fixture *f = *state;
    report_test_dir_remove(&f->paths);
    free(f);
    return 0;
}

static int run_verb(cli_fixture *f, const char *verb, const char *extra)
{
    char *argv[] = {PVMLAB_BIN, (char *)verb, "--db", f->paths.db_path, "--out", f->paths.out, (char *)extra, NULL};
    return test_run_command(argv, f->output, sizeof f->output);
}

static void report_ends_with_the_absolute_html_path(void **state)
{
    cli_fixture *f = *state;
    assert_int_equal(synthetic_db_create(f->paths.db_path, SYNTHETIC_FULL), 0);
    assert_int_equal(run_verb(f, "report", NULL), 0);
    const char *last = strstr(f->output, "report: ");
    assert_non_null(last);
    char path[512];
    assert_int_equal(sscanf(last, "report: %511s", path), 1);
    assert_int_equal(path[0], '/');
    assert_non_null(strstr(path, "/out/report.html"));
    assert_int_equal(access(path, R_OK), 0);
    assert_string_equal(last + strlen("report: ") + strlen(path), "\n"); /* the last line */
}

static void an_empty_database_reports_no_data(void **state)
{
    cli_fixture *f = *state;
    assert_int_equal(synthetic_db_create(f->paths.db_path, SYNTHETIC_EMPTY), 0);
    assert_int_equal(run_verb(f, "report", NULL), 0);
    assert_non_null(strstr(f->output, "no data in the database yet"));
    assert_non_null(strstr(f->output, "report: /"));
}

static void failures_are_one_line(void **state)
{
    cli_fixture *f = *state;
    assert_int_equal(run_verb(f, "report", NULL), 1);
    assert_int_equal(count_occurrences(f->output, "\n"), 1);
    assert_non_null(strstr(f->output, "pvmlab report: "));
    assert_int_equal(run_verb(f, "plot", NULL), 1);
    assert_int_equal(count_occurrences(f->output, "\n"), 1);
    FILE *file = fopen(f->paths.db_path, "w");
    assert_non_null(file);
    fputs("this is not a database, it is a text file that is long enough to have a header......", file);
    fclose(file);
    assert_int_equal(run_verb(f, "report", NULL), 1);
    assert_int_equal(count_occurrences(f->output, "\n"), 1);
    assert_non_null(strstr(f->output, f->paths.db_path));
}

static void bad_usage_exits_2(void **state)
{
    cli_fixture *f = *state;
    assert_int_equal(run_verb(f, "report", "--colour"), 2);
    assert_int_equal(run_verb(f, "plot", "no_such_figure"), 2);
}

static void plot_draws_the_named_figure(void **state)
{
    cli_fixture *f = *state;
    assert_int_equal(synthetic_db_create(f->paths.db_path, SYNTHETIC_FULL), 0);
    assert_int_equal(run_verb(f, "plot", "stride_conflict"), 0);
    assert_int_equal(count_occurrences(f->output, "\n"), 2); /* PNG and SVG */
    assert_non_null(strstr(f->output, "/out/stride_conflict.svg"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(report_ends_with_the_absolute_html_path, setup, teardown),
        cmocka_unit_test_setup_teardown(an_empty_database_reports_no_data, setup, teardown),
        cmocka_unit_test_setup_teardown(failures_are_one_line, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_usage_exits_2, setup, teardown),
        cmocka_unit_test_setup_teardown(plot_draws_the_named_figure, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
