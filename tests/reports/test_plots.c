/* pvmlab_plots against synthetic databases: every figure as PNG and SVG, placeholders for
 * an empty database, and one clear line when gnuplot is missing or a template fails. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "plots/calibration_keys.h"
#include "plots/plots.h"
#include "plots/run_table.h"
#include "report_files.h"
#include "synthetic_db.h"
#include "tests/results/test_support.h"

typedef struct plots_fixture {
    test_cli_folder paths;
    pvmlab_db *db;
} plots_fixture;

static int setup_kind(void **state, synthetic_kind kind)
{
    plots_fixture *f = calloc(1, sizeof *f);
    char err[PVMLAB_DB_ERROR_MAX];
    if (!f || test_cli_folder_make(&f->paths) != 0)
        return -1;
    if (synthetic_db_create(f->paths.db, kind) != 0 || pvmlab_db_open(f->paths.db, NULL, &f->db, err, sizeof err) != 0)
        return -1;
    *state = f;
    return 0;
}

static int setup_full(void **state)
{
    return setup_kind(state, SYNTHETIC_FULL);
}

static int setup_empty(void **state)
{
    return setup_kind(state, SYNTHETIC_EMPTY);
}

static int teardown(void **state)
{
    plots_fixture *f = *state;
    pvmlab_db_close(f->db);
    test_cli_folder_remove(&f->paths);
    free(f);
    return 0;
}

static long file_size(const char *path)
{
    struct stat info;
    return stat(path, &info) == 0 ? (long)info.st_size : -1;
}

static void assert_file_starts_with(const char *path, const char *magic, size_t length)
{
    char head[16] = {0};
    FILE *file = fopen(path, "rb");
    assert_non_null(file);
    assert_int_equal(fread(head, 1, length, file), length);
    fclose(file);
    assert_memory_equal(head, magic, length);
}

static void render_all(plots_fixture *f, pvmlab_plot_result *results)
{
    pvmlab_plot_options options = {.out_dir = f->paths.out};
    char err[1024] = "";
    int rc = pvmlab_plots_render(f->db, &options, (1u << PVMLAB_FIGURE_COUNT) - 1, results, err, sizeof err);
    if (rc != 0)
        print_error("%s\n", err);
    assert_int_equal(rc, 0);
    for (int figure = 0; figure < PVMLAB_FIGURE_COUNT; figure++) {
        assert_true(results[figure].drawn);
        assert_true(file_size(results[figure].png_path) > 1000);
        assert_true(file_size(results[figure].svg_path) > 1000);
        assert_file_starts_with(results[figure].png_path, "\x89PNG\r\n\x1a\n", 8);
        assert_file_starts_with(results[figure].svg_path, "<?xml", 5);
    }
}

static void every_figure_has_data_as_png_and_svg(void **state)
{
    pvmlab_plot_result results[PVMLAB_FIGURE_COUNT];
    render_all(*state, results);
    for (int figure = 0; figure < PVMLAB_FIGURE_COUNT; figure++) {
        if (!results[figure].has_data)
            print_error("%s: %s\n", pvmlab_figure_name((pvmlab_figure)figure), results[figure].note);
        assert_true(results[figure].has_data);
        assert_true(results[figure].points > 0);
    }
    /* 4 non-native engines x 7 guests; 3 metering engines x 7 programs (gas and time) */
    assert_int_equal(results[PVMLAB_FIGURE_ENGINE_RATIOS].points, 28);
    /* ... plus the fidelity run: 6 calibration programs */
    assert_int_equal(results[PVMLAB_FIGURE_GAS_VS_TIME].points, 2 * (21 + 6));
    assert_int_equal(results[PVMLAB_FIGURE_STRIDE_CONFLICT].points, 15);
    assert_int_equal(results[PVMLAB_FIGURE_LOAD_LATENCY].points, 9);
}

static void an_empty_database_gives_placeholders(void **state)
{
    pvmlab_plot_result results[PVMLAB_FIGURE_COUNT];
    render_all(*state, results);
    for (int figure = 0; figure < PVMLAB_FIGURE_COUNT; figure++) {
        assert_false(results[figure].has_data);
        assert_non_null(strstr(results[figure].note, "no data"));
        assert_non_null(strstr(results[figure].note, "pvmlab "));
    }
}

static void a_missing_gnuplot_is_one_clear_line(void **state)
{
    plots_fixture *f = *state;
    pvmlab_plot_options options = {.out_dir = f->paths.out, .gnuplot = "/nonexistent/gnuplot"};
    pvmlab_plot_result results[PVMLAB_FIGURE_COUNT];
    char err[1024] = "";
    assert_int_equal(pvmlab_plots_render(f->db, &options, 1u << PVMLAB_FIGURE_ENGINE_RATIOS, results, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/gnuplot not found"));
    assert_null(strchr(err, '\n'));
}

static void a_failing_template_is_one_clear_line(void **state)
{
    plots_fixture *f = *state;
    char templates[160], broken[200];
    test_path(templates, sizeof templates, f->paths.dir, "templates");
    assert_int_equal(mkdir(templates, 0755), 0);
    test_path(broken, sizeof broken, templates, "engine_ratios.gp");
    FILE *file = fopen(broken, "w");
    assert_non_null(file);
    fputs("plot this_is_not_a_function(x)\n", file);
    fclose(file);
    pvmlab_plot_options options = {.out_dir = f->paths.out, .template_dir = templates};
    pvmlab_plot_result results[PVMLAB_FIGURE_COUNT];
    char err[1024] = "";
    assert_int_equal(pvmlab_plots_render(f->db, &options, 1u << PVMLAB_FIGURE_ENGINE_RATIOS, results, err, sizeof err), -1);
    assert_non_null(strstr(err, "engine_ratios.gp failed"));
    assert_null(strchr(err, '\n'));
}

static void a_hanging_gnuplot_is_killed_after_the_timeout(void **state)
{
    plots_fixture *f = *state;
    char fake[200];
    test_path(fake, sizeof fake, f->paths.dir, "slow-gnuplot");
    FILE *file = fopen(fake, "w");
    assert_non_null(file);
    fputs("#!/bin/sh\nexec sleep 30\n", file);
    fclose(file);
    assert_int_equal(chmod(fake, 0755), 0);
    pvmlab_plot_options options = {.out_dir = f->paths.out, .gnuplot = fake, .timeout_ms = 300};
    pvmlab_plot_result results[PVMLAB_FIGURE_COUNT];
    char err[1024] = "";
    assert_int_equal(pvmlab_plots_render(f->db, &options, 1u << PVMLAB_FIGURE_ENGINE_RATIOS, results, err, sizeof err), -1);
    assert_non_null(strstr(err, "killed after 300 ms (timeout)"));
    assert_null(strchr(err, '\n'));
}

static void an_unknown_metric_is_refused(void **state)
{
    plots_fixture *f = *state;
    pvmlab_plot_options options = {.out_dir = f->paths.out, .metric = "speed"};
    pvmlab_plot_result results[PVMLAB_FIGURE_COUNT];
    char err[1024] = "";
    assert_int_equal(pvmlab_plots_render(f->db, &options, 1u << PVMLAB_FIGURE_METRIC_HISTORY, results, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "unknown metric 'speed'"));
}

static void every_metric_draws(void **state)
{
    plots_fixture *f = *state;
    for (const char *metric = pvmlab_plot_metric_names(); *metric;) {
        char name[32];
        size_t length = strcspn(metric, " ");
        snprintf(name, sizeof name, "%.*s", (int)length, metric);
        metric += length + (metric[length] == ' ');
        pvmlab_plot_options options = {.out_dir = f->paths.out, .metric = name, .formats = PVMLAB_PLOT_SVG};
        pvmlab_plot_result results[PVMLAB_FIGURE_COUNT];
        char err[1024] = "";
        assert_int_equal(
            pvmlab_plots_render(f->db, &options, 1u << PVMLAB_FIGURE_METRIC_HISTORY, results, err, sizeof err), 0);
        assert_true(results[PVMLAB_FIGURE_METRIC_HISTORY].has_data);
        assert_string_equal(results[PVMLAB_FIGURE_METRIC_HISTORY].png_path, "");
    }
}

static void calibration_keys_are_classified(void **state)
{
    (void)state;
    static const struct {
        const char *key;
        pvmlab_key_kind kind;
        double number;
    } cases[] = {
        {"op.add_64.lat", PVMLAB_KEY_OPCODE, 0},      {"op.div_u_64.tput.div0", PVMLAB_KEY_OPCODE, 0},
        {"add_64", PVMLAB_KEY_OPCODE, 0},             {"chase.32768", PVMLAB_KEY_WORKING_SET, 32768},
        {"ws:32K", PVMLAB_KEY_WORKING_SET, 32768},    {"working_set:1M", PVMLAB_KEY_WORKING_SET, 1048576},
        {"mem.l2", PVMLAB_KEY_CACHE_LEVEL, 2},        {"mem.dram", PVMLAB_KEY_CACHE_LEVEL, 4},
        {"l1_hit", PVMLAB_KEY_CACHE_LEVEL, 1},        {"stride.2048", PVMLAB_KEY_STRIDE, 2048},
        {"stride:2053", PVMLAB_KEY_STRIDE, 2053},     {"loop.overhead", PVMLAB_KEY_OTHER, 0},
        {"branch.mispredict", PVMLAB_KEY_OTHER, 0},   {"touch.first_page", PVMLAB_KEY_OTHER, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double number = -1;
        if (pvmlab_classify_key(cases[i].key, &number) != cases[i].kind || number != cases[i].number)
            print_error("%s: kind %d, number %g\n", cases[i].key, (int)pvmlab_classify_key(cases[i].key, &number),
                        number);
        assert_int_equal(pvmlab_classify_key(cases[i].key, &number), cases[i].kind);
        assert_true(number == cases[i].number);
    }
    long stride;
    assert_true(pvmlab_benchmark_stride("gas_quiz_stride2048", &stride) && stride == 2048);
    assert_true(pvmlab_benchmark_stride("stride.2053.L64", &stride) && stride == 2053);
    assert_false(pvmlab_benchmark_stride("sieve", &stride));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(every_figure_has_data_as_png_and_svg, setup_full, teardown),
        cmocka_unit_test_setup_teardown(an_empty_database_gives_placeholders, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(a_missing_gnuplot_is_one_clear_line, setup_full, teardown),
        cmocka_unit_test_setup_teardown(a_failing_template_is_one_clear_line, setup_full, teardown),
        cmocka_unit_test_setup_teardown(a_hanging_gnuplot_is_killed_after_the_timeout, setup_full, teardown),
        cmocka_unit_test_setup_teardown(an_unknown_metric_is_refused, setup_full, teardown),
        cmocka_unit_test_setup_teardown(every_metric_draws, setup_full, teardown),
        cmocka_unit_test(calibration_keys_are_classified),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
