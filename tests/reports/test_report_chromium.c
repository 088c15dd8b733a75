/* report.html in headless Chromium: it loads without script errors (the page's inline script
 * sets <body data-ok="1"> and counts its figures), and its screenshot is not blank. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "png_check.h"
#include "reports/report.h"
#include "report_files.h"
#include "synthetic_db.h"
#include "tests/results/test_support.h"

#ifndef CHROMIUM_BIN
#define CHROMIUM_BIN ""
#endif

enum { SKIPPED = 77, OUTPUT_MAX = 4 << 20 };

typedef struct browser_fixture {
    test_cli_folder paths;
    char url[PVMLAB_REPORT_PATH_MAX + 8];
    char *output;
} browser_fixture;

static int setup(void **state)
{
    browser_fixture *f = calloc(1, sizeof *f);
    if (!f || test_cli_folder_make(&f->paths) != 0 || !(f->output = malloc(OUTPUT_MAX)))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    browser_fixture *f = *state;
    test_cli_folder_remove(&f->paths);
    free(f->output);
    free(f);
    return 0;
}

static void write_report(browser_fixture *f, synthetic_kind kind)
{
    assert_int_equal(synthetic_db_create(f->paths.db, kind), 0);
    pvmlab_report_options options = {.db_path = f->paths.db, .out_dir = f->paths.out};
    pvmlab_report_result result;
    char err[1024];
    assert_int_equal(pvmlab_report_write(&options, &result, err, sizeof err), 0);
    snprintf(f->url, sizeof f->url, "file://%s", result.html_path);
}

/* Runs headless Chromium on the report with one extra action flag and a fresh profile. */
static int run_chromium(browser_fixture *f, const char *profile_name, const char *action, const char *size)
{
    char profile[200], user_data_dir[240];
    test_path(profile, sizeof profile, f->paths.dir, profile_name);
    snprintf(user_data_dir, sizeof user_data_dir, "--user-data-dir=%s", profile);
    char *argv[] = {CHROMIUM_BIN, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--enable-logging=stderr",
                    "--v=0", user_data_dir, (char *)action, (char *)size, f->url, NULL};
    return test_run_command(argv, f->output, OUTPUT_MAX);
}

static void assert_page_ran_its_script(browser_fixture *f, const char *figures)
{
    int rc = run_chromium(f, "profile-dom", "--dump-dom", "--window-size=1200,2000");
    if (rc != 0 || !strstr(f->output, "data-ok=\"1\""))
        print_error("chromium exit %d; output starts: %.2000s\n", rc, f->output);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(f->output, "data-ok=\"1\""));
    assert_non_null(strstr(f->output, figures));
    assert_null(strstr(f->output, "Uncaught"));
    assert_null(strstr(f->output, "CONSOLE"));
}

static void the_report_loads_and_its_screenshot_is_not_blank(void **state)
{
    browser_fixture *f = *state;
    write_report(f, SYNTHETIC_FULL);
    assert_page_ran_its_script(f, "data-figures=\"7\""); /* PVMLAB_FIGURE_COUNT */
    char shot[200], flag[240];
    test_path(shot, sizeof shot, f->paths.dir, "screenshot.png");
    snprintf(flag, sizeof flag, "--screenshot=%s", shot);
    int rc = run_chromium(f, "profile-shot", flag, "--window-size=1200,2000");
    if (rc != 0)
        print_error("chromium exit %d: %.2000s\n", rc, f->output);
    assert_int_equal(rc, 0);
    png_summary summary;
    char err[256];
    if (png_summarize(shot, &summary, err, sizeof err) != 0)
        print_error("%s\n", err);
    assert_int_equal(png_summarize(shot, &summary, err, sizeof err), 0);
    print_message("screenshot %ux%u, %zu colours, %.1f%% not white\n", summary.width, summary.height,
                  summary.distinct_colours, summary.non_white_fraction * 100.0);
    assert_int_equal(summary.width, 1200);
    assert_int_equal(summary.height, 2000);
    /* Text, tables and a figure: hundreds of colours (anti-aliasing) and a visible share of
     * non-white pixels. A blank or error page has a handful of colours. */
    assert_true(summary.distinct_colours > 100);
    assert_true(summary.non_white_fraction > 0.05);
}

static void the_empty_report_loads_too(void **state)
{
    browser_fixture *f = *state;
    write_report(f, SYNTHETIC_EMPTY);
    assert_page_ran_its_script(f, "data-figures=\"7\""); /* PVMLAB_FIGURE_COUNT */
}

int main(void)
{
    if (!*CHROMIUM_BIN) {
        printf("SKIPPED: no chromium binary (chromium-headless-shell, chromium) was found when configuring\n");
        return SKIPPED;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(the_report_loads_and_its_screenshot_is_not_blank, setup, teardown),
        cmocka_unit_test_setup_teardown(the_empty_report_loads_too, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
