/* pvmlab_report against synthetic databases: every section, numbers that match the data,
 * NULL counters shown with their reason, an empty database, and missing or corrupt files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots/plots.h"
#include "reports/report.h"
#include "report_files.h"
#include "synthetic_db.h"
#include "tests/results/test_support.h"

static const char *const SECTIONS[] = {
    "## Summary",
    "## Engine ratios",
    "## Gas fidelity per cost model",
    "## Calibration",
    "## Regressions against the previous run",
    "## Machine and counter provenance",
    "## How to reproduce",
};
enum { SECTION_COUNT = sizeof SECTIONS / sizeof SECTIONS[0] };

typedef struct report_fixture {
    test_cli_folder paths;
    pvmlab_report_result result;
    char err[1024];
} report_fixture;

static int setup(void **state)
{
    report_fixture *f = calloc(1, sizeof *f);
    if (!f || test_cli_folder_make(&f->paths) != 0)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    report_fixture *f = *state;
    test_cli_folder_remove(&f->paths);
    free(f);
    return 0;
}

static int write_report(report_fixture *f, const char *gnuplot)
{
    pvmlab_report_options options = {.db_path = f->paths.db, .out_dir = f->paths.out, .gnuplot = gnuplot};
    int rc = pvmlab_report_write(&options, &f->result, f->err, sizeof f->err);
    if (rc != 0)
        print_error("%s\n", f->err);
    return rc;
}

static void the_markdown_has_every_section_and_the_data(void **state)
{
    report_fixture *f = *state;
    assert_int_equal(synthetic_db_create(f->paths.db, SYNTHETIC_FULL), 0);
    assert_int_equal(write_report(f, NULL), 0);
    assert_true(f->result.has_data);
    assert_string_equal(f->result.warning, "");
    char *md = report_file_text(f->result.markdown_path);
    for (size_t i = 0; i < SECTION_COUNT; i++) {
        if (!strstr(md, SECTIONS[i]))
            print_error("missing section %s\n", SECTIONS[i]);
        assert_non_null(strstr(md, SECTIONS[i]));
    }
    /* The newest bench run, not the calibration run after it (which has samples too). */
    assert_non_null(strstr(md, "Run 2, execution mode."));
    /* The synthetic ratios: interpreter 9x native (11.25x on the regressed guest), jit 1.8x. */
    assert_non_null(strstr(md, "| sieve | 1.00\u00d7 | 9.00\u00d7 | 1.80\u00d7 | 1.70\u00d7 | 1.40\u00d7 |"));
    assert_non_null(strstr(md, "| keccak | 1.00\u00d7 | 11.25\u00d7 |"));
    /* The regression table names the guest, the change and the threshold. */
    assert_non_null(strstr(md, "| " SYNTHETIC_REGRESSED_BENCHMARK " | 90.900 | 113.625 | +25.0% | REGRESSION |"));
    assert_non_null(strstr(md, "\u00b110.0%"));
    /* Fidelity: the stride-2048 program is the one gas underprices, among the guests and
     * among the calibration programs of the fidelity run (0.9 / 0.315 ns per gas). */
    assert_non_null(strstr(md, "| gas_quiz_stride2048 |"));
    /* the held-out guests program by program, slowest per gas first, with what the replay saw:
     * linked_list 12000 ns / 2000 gas = 6 ns/gas = 2.40 x the median 2.5 */
    assert_non_null(strstr(md, "### Held-out guests, program by program"));
    /* The generated training set is the held-out sets' control in their table; the calibration
     * programs' set is not a row there. */
    assert_non_null(strstr(md, "generated seed=0x7261696e696e6731 (training: control)"));
    const char *held_out = strstr(md, "### Held-out fidelity"), *next = held_out ? strstr(held_out + 4, "\n### ") : NULL;
    assert_non_null(next);
    for (const char *c = strstr(held_out, "| calibration |"); c; c = NULL)
        assert_true(c > next);
    assert_non_null(strstr(md, "| linked_list | 6.0000 | 2.40 | memory-bound | 0.0 | 50.0 | 30.0 | 0.5 | L2 misses + L1d misses |"));
    assert_non_null(strstr(md, "| crc32 | 3.0000 | 1.20 | compute-bound | 0.0 | 0.0 | 0.0 | 10.0 | mispredicts |"));
    assert_non_null(strstr(md, "| keccak | 2.0000 | 0.80 | compute-bound | n/a | n/a | n/a | n/a | not replayed |"));
    assert_true(strstr(md, "| linked_list | 6.0000") < strstr(md, "| crc32 | 3.0000"));
    assert_non_null(strstr(md, "| calibration programs (run 4) | 6 | 0.3 | 0.315 | 0.9 | 2.86 | stride.2048.L64 |"));
    /* Calibrate stores picoseconds only: cycles are NULL, shown as not measured. */
    assert_non_null(strstr(md, "| op.store_u64.tput | opcode | 340 | ps | not measured | 4 | 31 |"));
    /* A value that is not picoseconds says what it is. */
    assert_non_null(strstr(md, "| pipeline.l2hit.latency.l2 | other | 250 | model cycles | not measured | 4 | 31 |"));
    /* A NULL counter is shown as unavailable with its reason, never as a number. */
    assert_non_null(strstr(md, "| cycles | pmu | 0 | 105 | unavailable (" SYNTHETIC_PMU_REASON ") |"));
    /* A NULL MAD is shown as a dash. */
    assert_non_null(strstr(md, "| l1_hit | cache level | 1000 | ps | 4 | \u2014 | 15 |"));
    assert_int_equal(count_occurrences(md, "](plots/"), PVMLAB_FIGURE_COUNT);
    assert_non_null(strstr(md, "pvmlab report --db"));
    free(md);
}

static void the_html_is_self_contained(void **state)
{
    report_fixture *f = *state;
    assert_int_equal(synthetic_db_create(f->paths.db, SYNTHETIC_FULL), 0);
    assert_int_equal(write_report(f, NULL), 0);
    char *html = report_file_text(f->result.html_path);
    assert_int_equal(count_occurrences(html, "<figure>"), PVMLAB_FIGURE_COUNT);
    assert_int_equal(count_occurrences(html, "<svg"), PVMLAB_FIGURE_COUNT);
    assert_int_equal(count_occurrences(html, "<?xml"), 0);
    assert_int_equal(count_occurrences(html, "<h2 "), SECTION_COUNT);
    /* Nothing to fetch: no external scripts, styles, images or links. */
    assert_null(strstr(html, "src="));
    assert_null(strstr(html, "<link"));
    assert_null(strstr(html, "href=\"http"));
    assert_null(strstr(html, "url("));
    assert_non_null(strstr(html, "<style>"));
    assert_non_null(strstr(html, "data-ok"));
    free(html);
}

static void an_empty_database_says_there_is_no_data(void **state)
{
    report_fixture *f = *state;
    assert_int_equal(synthetic_db_create(f->paths.db, SYNTHETIC_EMPTY), 0);
    assert_int_equal(write_report(f, NULL), 0);
    assert_false(f->result.has_data);
    char *md = report_file_text(f->result.markdown_path);
    assert_non_null(strstr(md, "No data: the database has no samples and no calibrations"));
    for (size_t i = 0; i < SECTION_COUNT; i++)
        assert_non_null(strstr(md, SECTIONS[i]));
    assert_int_equal(count_occurrences(md, ": no data: "), PVMLAB_FIGURE_COUNT); /* every figure a placeholder */
    free(md);
    char *html = report_file_text(f->result.html_path);
    assert_int_equal(count_occurrences(html, "<svg"), PVMLAB_FIGURE_COUNT);
    free(html);
}

static void a_missing_database_is_one_clear_line(void **state)
{
    report_fixture *f = *state;
    assert_int_equal(write_report(f, NULL), -1);
    assert_non_null(strstr(f->err, f->paths.db));
    assert_non_null(strstr(f->err, "No such file"));
    assert_null(strchr(f->err, '\n'));
}

static void a_corrupt_database_is_one_clear_line(void **state)
{
    report_fixture *f = *state;
    FILE *file = fopen(f->paths.db, "w");
    assert_non_null(file);
    for (int i = 0; i < 4096; i++)
        fputc("garbage!"[i % 8], file);
    fclose(file);
    assert_int_equal(write_report(f, NULL), -1);
    assert_non_null(strstr(f->err, f->paths.db));
    assert_null(strchr(f->err, '\n'));
}

static void a_damaged_page_is_one_clear_line(void **state)
{
    report_fixture *f = *state;
    assert_int_equal(synthetic_db_create(f->paths.db, SYNTHETIC_FULL), 0);
    /* Keep the header (first page) so the file still opens; damage the pages after it. */
    assert_int_equal(test_write_garbage(f->paths.db, 4096, 16384), 0);
    assert_int_equal(write_report(f, NULL), -1);
    assert_non_null(strstr(f->err, f->paths.db));
    assert_null(strchr(f->err, '\n'));
}

static void without_gnuplot_the_report_is_still_written(void **state)
{
    report_fixture *f = *state;
    assert_int_equal(synthetic_db_create(f->paths.db, SYNTHETIC_FULL), 0);
    assert_int_equal(write_report(f, "/nonexistent/gnuplot"), 0);
    assert_non_null(strstr(f->result.warning, "figures not drawn: /nonexistent/gnuplot not found"));
    char *md = report_file_text(f->result.markdown_path);
    assert_int_equal(count_occurrences(md, "not drawn: /nonexistent/gnuplot not found"), PVMLAB_FIGURE_COUNT);
    free(md);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(the_markdown_has_every_section_and_the_data, setup, teardown),
        cmocka_unit_test_setup_teardown(the_html_is_self_contained, setup, teardown),
        cmocka_unit_test_setup_teardown(an_empty_database_says_there_is_no_data, setup, teardown),
        cmocka_unit_test_setup_teardown(a_missing_database_is_one_clear_line, setup, teardown),
        cmocka_unit_test_setup_teardown(a_corrupt_database_is_one_clear_line, setup, teardown),
        cmocka_unit_test_setup_teardown(a_damaged_page_is_one_clear_line, setup, teardown),
        cmocka_unit_test_setup_teardown(without_gnuplot_the_report_is_still_written, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
