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
#include "tests/results/test_support.h"

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

/* compare --fidelity, plot and report read the one results query: the same stored set gives
 * the same numbers in all three (synthetic_db.c: all programs, charged: max/median 2.40,
 * p95/median 2.22; memory-bound uncharged: 12000 ns over 2000 - 1000 lazy gas, alone, so 1.00). */
static void compare_plot_and_report_agree_on_fidelity(void **state)
{
    cli_fixture *f = *state;
    assert_int_equal(synthetic_db_create(f->paths.db_path, SYNTHETIC_FULL), 0);
    char *compare_argv[] = {PVMLAB_BIN, "compare", "--db", f->paths.db_path, "--fidelity", "--table",
                            SYNTHETIC_CALIBRATION_UUID, NULL};
    char compare[16384];
    assert_int_equal(test_run_command(compare_argv, compare, sizeof compare), 0);
    const char *all = strstr(compare, "guests-rv64 (held out), all programs, lazy pages charged: 4 programs");
    assert_non_null(all);
    const char *expected = "ns/gas median 2.5000, max/median 2.40 [";
    assert_non_null(strstr(all, expected));
    assert_non_null(strstr(all, "p95/median 2.22 ["));
    /* the intervals as compare prints them */
    char max_interval[64], p95_interval[64];
    assert_int_equal(sscanf(strstr(all, "max/median "), "max/median %63[^,],%*[^]]", max_interval), 1);
    const char *p95 = strstr(all, "p95/median ");
    assert_int_equal(sscanf(p95, "p95/median %63[^,],%*[^]]", p95_interval), 1);
    char max_text[96], p95_text[96];
    snprintf(max_text, sizeof max_text, "%s,", max_interval); /* "2.40 [low," */
    snprintf(p95_text, sizeof p95_text, "%s,", p95_interval);

    /* nothing stored for a table: exit 1, said in one line; --table alone is a usage error */
    char *none_argv[] = {PVMLAB_BIN, "compare", "--db", f->paths.db_path, "--fidelity", "--table", "ffffffff", NULL};
    char none[4096];
    assert_int_equal(test_run_command(none_argv, none, sizeof none), 1);
    assert_non_null(strstr(none, "no fidelity stored for ffffffff"));
    char *bad_argv[] = {PVMLAB_BIN, "compare", "--db", f->paths.db_path, "--table", "ffffffff", NULL};
    assert_int_equal(test_run_command(bad_argv, none, sizeof none), 2);

    assert_int_equal(run_verb(f, "report", NULL), 0);
    char md_path[600];
    snprintf(md_path, sizeof md_path, "%s/report.md", f->paths.out);
    char *md = report_file_text(md_path);
    assert_non_null(md);
    const char *row = strstr(md, "| guests-rv64 | all | charged | 4 | 2.5000 | ");
    assert_non_null(row);
    const char *row_end = strchr(row, '\n');
    assert_true(strstr(row, max_text) && strstr(row, max_text) < row_end);
    assert_true(strstr(row, p95_text) && strstr(row, p95_text) < row_end);
    assert_non_null(strstr(md, "| guests-rv64 | memory-bound | uncharged | 1 | 12.0000 | 1.00 [1.00, 1.00] |"));
    assert_non_null(strstr(md, "memory-bound: touches more than 512 KiB (synthetic)"));
    free(md);

    assert_int_equal(run_verb(f, "plot", "fidelity"), 0);
    char tsv_path[600];
    snprintf(tsv_path, sizeof tsv_path, "%s/data/fidelity.tsv", f->paths.out);
    char *tsv = report_file_text(tsv_path);
    assert_non_null(tsv);
    const char *line = strstr(tsv, "guests-rv64 all\t");
    assert_non_null(line);
    double v[6];
    assert_int_equal(sscanf(strchr(line, '\t'), "%lf %lf %lf %lf %lf %lf", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]), 6);
    char figure_max[96], figure_p95[96];
    snprintf(figure_max, sizeof figure_max, "%.2f [%.2f,", v[0], v[1]);
    snprintf(figure_p95, sizeof figure_p95, "%.2f [%.2f,", v[3], v[4]);
    assert_string_equal(figure_max, max_text);
    assert_string_equal(figure_p95, p95_text);
    free(tsv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(report_ends_with_the_absolute_html_path, setup, teardown),
        cmocka_unit_test_setup_teardown(an_empty_database_reports_no_data, setup, teardown),
        cmocka_unit_test_setup_teardown(failures_are_one_line, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_usage_exits_2, setup, teardown),
        cmocka_unit_test_setup_teardown(plot_draws_the_named_figure, setup, teardown),
        cmocka_unit_test_setup_teardown(compare_plot_and_report_agree_on_fidelity, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
