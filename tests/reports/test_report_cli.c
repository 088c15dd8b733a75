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

#include "ratio_outputs.h"
#include "report_files.h"
#include "results/results.h"
#include "synthetic_db.h"
#include "tests/results/results_fixture.h"
#include "tests/results/test_support.h"

#ifndef PVMLAB_BIN
#error "PVMLAB_BIN must name the pvmlab binary"
#endif

typedef test_cli_folder cli_fixture;

/* pvmlab VERB --db DB --out OUT [EXTRA]; returns the exit code. */
static int run_verb(cli_fixture *f, const char *verb, const char *extra)
{
    return test_cli_run(f, PVMLAB_BIN, verb, "--db", f->db, "--out", f->out, extra, NULL);
}

static void report_ends_with_the_absolute_html_path(void **state)
{
    cli_fixture *f = *state;
    assert_int_equal(synthetic_db_create(f->db, SYNTHETIC_FULL), 0);
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
    assert_int_equal(synthetic_db_create(f->db, SYNTHETIC_EMPTY), 0);
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
    FILE *file = fopen(f->db, "w");
    assert_non_null(file);
    fputs("this is not a database, it is a text file that is long enough to have a header......", file);
    fclose(file);
    assert_int_equal(run_verb(f, "report", NULL), 1);
    assert_int_equal(count_occurrences(f->output, "\n"), 1);
    assert_non_null(strstr(f->output, f->db));
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
    assert_int_equal(synthetic_db_create(f->db, SYNTHETIC_FULL), 0);
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
    assert_int_equal(synthetic_db_create(f->db, SYNTHETIC_FULL), 0);
    char *compare_argv[] = {PVMLAB_BIN, "compare", "--db", f->db, "--fidelity", "--table",
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
    char *none_argv[] = {PVMLAB_BIN, "compare", "--db", f->db, "--fidelity", "--table", "ffffffff", NULL};
    char none[4096];
    assert_int_equal(test_run_command(none_argv, none, sizeof none), 1);
    assert_non_null(strstr(none, "no fidelity stored for ffffffff"));
    char *bad_argv[] = {PVMLAB_BIN, "compare", "--db", f->db, "--table", "ffffffff", NULL};
    assert_int_equal(test_run_command(bad_argv, none, sizeof none), 2);
    char *bad_programs_argv[] = {PVMLAB_BIN, "compare", "--db", f->db, "--programs", NULL};
    assert_int_equal(test_run_command(bad_programs_argv, none, sizeof none), 2);
    assert_non_null(strstr(none, "--programs goes with --fidelity"));

    /* --programs: the held-out guests under their all-programs line, slowest per gas first, with
     * the replay's counts per 1000 instructions and what they point to, as the report has them */
    char *programs_argv[] = {PVMLAB_BIN, "compare", "--db", f->db, "--fidelity", "--programs", NULL};
    char programs[16384];
    assert_int_equal(test_run_command(programs_argv, programs, sizeof programs), 0);
    const char *first = strstr(programs, "    linked_list               6.0000     2.40       0.0    50.0    30.0          0.5  "
                                         "L2 misses + L1d misses (memory-bound)\n");
    assert_non_null(first);
    const char *second = strstr(programs, "    crc32                     3.0000     1.20       0.0     0.0     0.0         10.0  "
                                          "mispredicts\n");
    assert_non_null(second);
    assert_true(first < second);
    assert_non_null(strstr(programs, "    keccak                    2.0000     0.80       n/a     n/a     n/a          n/a  "
                                     "not replayed\n"));

    assert_int_equal(run_verb(f, "report", NULL), 0);
    char *md = report_out_text(f->out, "report.md");
    assert_non_null(md);
    /* the median against the table's gas unit: 2500 ps/gas against 2000 */
    const char *row = strstr(md, "| guests-rv64 | all | charged | 4 | 2.5000 | +25% of 2000.0 ps | ");
    assert_non_null(row);
    const char *row_end = strchr(row, '\n');
    assert_true(strstr(row, max_text) && strstr(row, max_text) < row_end);
    assert_true(strstr(row, p95_text) && strstr(row, p95_text) < row_end);
    assert_non_null(strstr(md, "| guests-rv64 | memory-bound | uncharged | 1 | 12.0000 | +500% of 2000.0 ps | 1.00 [1.00, 1.00] |"));
    assert_non_null(strstr(md, "memory-bound: touches more than 512 KiB (synthetic)"));
    free(md);

    assert_int_equal(run_verb(f, "plot", "fidelity"), 0);
    char *tsv = report_out_text(f->out, "data/fidelity.tsv");
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

/* What compare, plot and report print as engine ratios for the database at f->db
 * (its newest bench run, execution mode), read back from each output. */
typedef struct printed_ratios {
    char *compare, *figure, *report;
} printed_ratios;

static void read_printed_ratios(cli_fixture *f, printed_ratios *out)
{
    char *compare_argv[] = {PVMLAB_BIN, "compare", "--db", f->db, NULL};
    char compare[16384];
    assert_int_equal(test_run_command(compare_argv, compare, sizeof compare), 0);
    out->compare = ratios_from_compare(compare);
    assert_non_null(out->compare);

    assert_int_equal(run_verb(f, "plot", "engine_ratios"), 0);
    char *tsv = report_out_text(f->out, "data/engine_ratios.tsv");
    out->figure = ratios_from_figure_data(tsv);
    free(tsv);
    assert_non_null(out->figure);

    assert_int_equal(run_verb(f, "report", NULL), 0);
    char *md = report_out_text(f->out, "report.md");
    out->report = ratios_from_report(md);
    free(md);
    assert_non_null(out->report);
}

/* Every ratio the figure has, compare and the report have too, and the same; compare's and
 * the report's geometric means are the same. */
static void assert_same_ratios(const printed_ratios *printed)
{
    char *compare_guests = ratios_without_geomean(printed->compare);
    char *report_guests = ratios_without_geomean(printed->report);
    assert_string_equal(compare_guests, printed->figure);
    assert_string_equal(report_guests, printed->figure);
    assert_string_equal(printed->compare, printed->report);
    free(compare_guests);
    free(report_guests);
}

static void printed_ratios_free(printed_ratios *printed)
{
    free(printed->compare);
    free(printed->figure);
    free(printed->report);
}

/* compare, plot and report read a run through the one results query (run medians keyed by
 * engine, benchmark, size and mode): the same run gives the same ratios in all three. The
 * synthetic database's newest run: pvm-interp-gas-sync is 9x native, 11.25x on keccak (its
 * 25% regression); compilation samples of the same run must not mix in. */
static void compare_plot_and_report_agree_on_ratios(void **state)
{
    cli_fixture *f = *state;
    assert_int_equal(synthetic_db_create(f->db, SYNTHETIC_FULL), 0);
    printed_ratios printed;
    read_printed_ratios(f, &printed);
    assert_non_null(strstr(printed.figure, "pvm-interp-gas-sync\tsieve\t9.00\n"));
    assert_non_null(strstr(printed.figure, "pvm-interp-gas-sync\tkeccak\t11.25\n"));
    assert_non_null(strstr(printed.figure, "wasmtime\tmatmul\t1.40\n"));
    assert_int_equal(count_occurrences(printed.figure, "\n"), 4 * 7); /* 4 engines, 7 guests */
    assert_non_null(strstr(printed.compare, "pvm-jit-gas-sync\tgeomean\t1.80\n"));
    assert_same_ratios(&printed);
    printed_ratios_free(&printed);
}

/* A run with one engine name under two configs (a cost model each): the one key keeps them
 * apart in all three ("name [config]"), where compare once took both configs' samples into one
 * median. */
static void make_two_config_database(const char *path)
{
    results_ids ids;
    pvmlab_db *db = results_open_with_run(path, "two-configs", "pvmlab bench --suite quick", &ids);
    const pvmlab_id run = ids.run;
    pvmlab_id native, unit, table, guests[2];
    assert_int_equal(pvmlab_db_insert_engine(db, "native", "1", "", &native), 0);
    assert_int_equal(pvmlab_db_insert_engine(db, "pvm-interp", "1", "gas=sync model=unit", &unit), 0);
    assert_int_equal(pvmlab_db_insert_engine(db, "pvm-interp", "1", "gas=sync model=table", &table), 0);
    assert_int_equal(pvmlab_db_insert_benchmark(db, "quick", "sieve", 10, &guests[0]), 0);
    assert_int_equal(pvmlab_db_insert_benchmark(db, "quick", "sha256", 20, &guests[1]), 0);
    const struct {
        pvmlab_id engine;
        double times_native;
    } engines[] = {{native, 1}, {unit, 4}, {table, 6}};
    for (size_t e = 0; e < 3; e++)
        for (size_t g = 0; g < 2; g++)
            for (int rep = 0; rep < 3; rep++) {
                pvmlab_sample sample = {.run = run, .engine = engines[e].engine, .benchmark = guests[g],
                                        .mode = "execution", .repetition = rep,
                                        .wall_ns = (int64_t)(engines[e].times_native * 1e6 * (double)(g + 1)) + rep};
                assert_int_equal(pvmlab_db_insert_sample(db, &sample, NULL, 0, NULL), 0);
            }
    assert_int_equal(pvmlab_db_run_end(db, run, "ok"), 0);
    pvmlab_db_close(db);
}

static void one_engine_under_two_configs_stays_two_in_all_three(void **state)
{
    cli_fixture *f = *state;
    make_two_config_database(f->db);
    printed_ratios printed;
    read_printed_ratios(f, &printed);
    assert_non_null(strstr(printed.figure, "pvm-interp [gas=sync model=unit]\tsieve\t4.00\n"));
    assert_non_null(strstr(printed.figure, "pvm-interp [gas=sync model=table]\tsha256\t6.00\n"));
    assert_int_equal(count_occurrences(printed.figure, "\n"), 2 * 2);
    assert_non_null(strstr(printed.compare, "pvm-interp [gas=sync model=table]\tgeomean\t6.00\n"));
    assert_same_ratios(&printed);
    printed_ratios_free(&printed);
}

int main(void)
{
#define CLI_TEST(t) cmocka_unit_test_setup_teardown(t, test_cli_folder_setup, test_cli_folder_teardown)
    const struct CMUnitTest tests[] = {
        CLI_TEST(report_ends_with_the_absolute_html_path),
        CLI_TEST(an_empty_database_reports_no_data),
        CLI_TEST(failures_are_one_line),
        CLI_TEST(bad_usage_exits_2),
        CLI_TEST(plot_draws_the_named_figure),
        CLI_TEST(compare_plot_and_report_agree_on_fidelity),
        CLI_TEST(compare_plot_and_report_agree_on_ratios),
        CLI_TEST(one_engine_under_two_configs_stays_two_in_all_three),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
