/* The figure table and the render loop: data file, then gnuplot once per output format. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "figure.h"
#include "gnuplot_runner.h"
#include "results/run_select.h"
#include "text_util.h"

#ifndef PVMLAB_PLOTS_TEMPLATE_DIR
#define PVMLAB_PLOTS_TEMPLATE_DIR "plots/templates"
#endif

enum { DEFAULT_TIMEOUT_MS = 30000, CALIBRATIONS_READ = 64 };

static const struct {
    const char *name, *title;
    figure_writer write;
} FIGURES[PVMLAB_FIGURE_COUNT] = {
    [PVMLAB_FIGURE_ENGINE_RATIOS] = {"engine_ratios", "Engine time relative to native, per guest", figure_engine_ratios},
    [PVMLAB_FIGURE_GAS_VS_TIME] = {"gas_vs_time", "Gas vs time per engine and cost model", figure_gas_vs_time},
    [PVMLAB_FIGURE_OPCODE_COSTS] = {"opcode_costs", "Calibrated cost per opcode", figure_opcode_costs},
    [PVMLAB_FIGURE_LOAD_LATENCY] = {"load_latency", "Load latency vs working-set size", figure_load_latency},
    [PVMLAB_FIGURE_STRIDE_CONFLICT] = {"stride_conflict", "Stride-conflict programs (strides 1, 2048, 2053)",
                                       figure_stride_conflict},
    [PVMLAB_FIGURE_METRIC_HISTORY] = {"metric_history", "History across runs", figure_metric_history},
    [PVMLAB_FIGURE_FIDELITY] = {"fidelity", "Held-out fidelity with 95% intervals", figure_fidelity},
};

const char *pvmlab_figure_name(pvmlab_figure figure)
{
    return figure < PVMLAB_FIGURE_COUNT ? FIGURES[figure].name : "unknown";
}

const char *pvmlab_figure_title(pvmlab_figure figure)
{
    return figure < PVMLAB_FIGURE_COUNT ? FIGURES[figure].title : "unknown";
}

int pvmlab_figure_from_name(const char *name)
{
    for (int i = 0; i < PVMLAB_FIGURE_COUNT; i++)
        if (strcmp(FIGURES[i].name, name) == 0)
            return i;
    return -1;
}

/* Paths of one figure's files. */
typedef struct figure_paths {
    char data[PVMLAB_PLOT_PATH_MAX], log[PVMLAB_PLOT_PATH_MAX], script[PVMLAB_PLOT_PATH_MAX];
} figure_paths;

static int make_paths(const pvmlab_plot_options *options, const char *template_dir, pvmlab_figure figure,
                      int has_data, figure_paths *paths, pvmlab_plot_result *result, char *err, size_t err_len)
{
    char data_dir[PVMLAB_PLOT_PATH_MAX], name[128];
    unsigned formats = options->formats ? options->formats : PVMLAB_PLOT_PNG | PVMLAB_PLOT_SVG;
    int rc = pvmlab_join_path(data_dir, sizeof data_dir, options->out_dir, "data");
    snprintf(name, sizeof name, "%s.tsv", FIGURES[figure].name);
    rc |= pvmlab_join_path(paths->data, sizeof paths->data, data_dir, name);
    snprintf(name, sizeof name, "%s.gnuplot.log", FIGURES[figure].name);
    rc |= pvmlab_join_path(paths->log, sizeof paths->log, data_dir, name);
    snprintf(name, sizeof name, "%s.gp", has_data ? FIGURES[figure].name : "no_data");
    rc |= pvmlab_join_path(paths->script, sizeof paths->script, template_dir, name);
    result->png_path[0] = result->svg_path[0] = '\0';
    snprintf(name, sizeof name, "%s.png", FIGURES[figure].name);
    if (formats & PVMLAB_PLOT_PNG)
        rc |= pvmlab_join_path(result->png_path, sizeof result->png_path, options->out_dir, name);
    snprintf(name, sizeof name, "%s.svg", FIGURES[figure].name);
    if (formats & PVMLAB_PLOT_SVG)
        rc |= pvmlab_join_path(result->svg_path, sizeof result->svg_path, options->out_dir, name);
    if (rc != 0)
        snprintf(err, err_len, "output folder path too long: %s", options->out_dir);
    return rc ? -1 : 0;
}

static int run_gnuplot(const pvmlab_plot_options *options, const char *template_dir, pvmlab_figure figure,
                       const figure_output *output, const figure_paths *paths, const char *format,
                       const char *out_path, char *err, size_t err_len)
{
    figure_output settings = {.settings = ""};
    figure_set_string(&settings, "data", paths->data);
    figure_set_string(&settings, "out", out_path);
    figure_set_string(&settings, "format", format);
    figure_set_string(&settings, "template_dir", template_dir);
    figure_set_string(&settings, "figure_title", FIGURES[figure].title);
    figure_set_string(&settings, "message", output->note);
    char all[sizeof settings.settings + sizeof output->settings];
    snprintf(all, sizeof all, "%s%s", settings.settings, output->settings);
    return pvmlab_gnuplot_run(options->gnuplot ? options->gnuplot : "gnuplot", all, paths->script, paths->log,
                              options->timeout_ms > 0 ? options->timeout_ms : DEFAULT_TIMEOUT_MS, err, err_len);
}

static int render_one(const figure_input *input, const char *template_dir, pvmlab_figure figure,
                      pvmlab_plot_result *result, char *err, size_t err_len)
{
    const pvmlab_plot_options *options = input->options;
    figure_paths paths;
    figure_output output = {.settings = ""};
    memset(result, 0, sizeof *result);
    if (make_paths(options, template_dir, figure, 1, &paths, result, err, err_len) != 0)
        return -1;
    if (!(output.data = fopen(paths.data, "w"))) {
        snprintf(err, err_len, "cannot write %s: %s", paths.data, strerror(errno));
        return -1;
    }
    int rc = FIGURES[figure].write(input, &output, err, err_len);
    if (fclose(output.data) != 0 && rc == 0) {
        snprintf(err, err_len, "cannot write %s: %s", paths.data, strerror(errno));
        rc = -1;
    }
    if (rc != 0)
        return -1;
    result->points = output.points;
    result->has_data = output.points > 0;
    snprintf(result->note, sizeof result->note, "%s", result->has_data ? "" : output.note);
    if (!result->has_data)
        make_paths(options, template_dir, figure, 0, &paths, result, err, err_len);
    if (result->png_path[0] &&
        run_gnuplot(options, template_dir, figure, &output, &paths, "png", result->png_path, err, err_len) != 0)
        return -1;
    if (result->svg_path[0] &&
        run_gnuplot(options, template_dir, figure, &output, &paths, "svg", result->svg_path, err, err_len) != 0)
        return -1;
    remove(paths.log); /* kept only when gnuplot failed, for the details */
    result->drawn = true;
    return 0;
}

int pvmlab_plots_render(pvmlab_db *db, const pvmlab_plot_options *options, unsigned figure_mask,
                        pvmlab_plot_result *results, char *err, size_t err_len)
{
    /* The templates load template_dir.'common.gp', so the folder needs its trailing slash. */
    char template_dir[PVMLAB_PLOT_PATH_MAX];
    const char *chosen = options->template_dir ? options->template_dir : PVMLAB_PLOTS_TEMPLATE_DIR;
    if (pvmlab_join_path(template_dir, sizeof template_dir, chosen, "") != 0) {
        snprintf(err, err_len, "template folder path too long: %s", chosen);
        return -1;
    }
    char data_dir[PVMLAB_PLOT_PATH_MAX];
    if (pvmlab_join_path(data_dir, sizeof data_dir, options->out_dir, "data") != 0 ||
        pvmlab_make_dirs(data_dir) != 0) {
        snprintf(err, err_len, "cannot create %s: %s", options->out_dir, strerror(errno));
        return -1;
    }
    pvmlab_id run = options->run;
    if (run == 0 && pvmlab_latest_sample_run(db, &run, err, err_len) != 0)
        return -1;
    pvmlab_id fidelity_run;
    if (pvmlab_latest_fidelity_run(db, &fidelity_run, err, err_len) != 0)
        return -1;
    pvmlab_run_table table, fidelity;
    if (pvmlab_run_table_load(db, run, options->mode, &table, err, err_len) != 0)
        return -1;
    if (pvmlab_run_table_load(db, fidelity_run, "fidelity", &fidelity, err, err_len) != 0) {
        pvmlab_run_table_free(&table);
        return -1;
    }
    pvmlab_calibration_set calibrations;
    int rc = pvmlab_calibration_set_load(db, CALIBRATIONS_READ, &calibrations, err, err_len);
    figure_input input = {
        .db = db, .options = options, .table = &table, .fidelity = &fidelity, .calibrations = &calibrations};
    for (int figure = 0; rc == 0 && figure < PVMLAB_FIGURE_COUNT; figure++)
        if (figure_mask & (1u << figure))
            rc = render_one(&input, template_dir, (pvmlab_figure)figure, &results[figure], err, err_len);
    pvmlab_calibration_set_free(&calibrations);
    pvmlab_run_table_free(&table);
    pvmlab_run_table_free(&fidelity);
    return rc;
}
