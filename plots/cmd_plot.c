#include "cmd_plot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "open_results.h"
#include "plots.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: pvmlab plot [--db PATH] [--out DIR] [--run ID] [--mode MODE] [--metric NAME]\n"
            "                   [--format png|svg|both] [--gnuplot PROGRAM] [--timeout SECONDS] [FIGURE...]\n"
            "Draws figures from the results database (default %s) into DIR (default reports/out/plots).\n"
            "A figure without data is drawn as a placeholder that says what to run.\n"
            "figures:",
            PVMLAB_DB_DEFAULT_PATH);
    for (int i = 0; i < PVMLAB_FIGURE_COUNT; i++)
        fprintf(out, " %s", pvmlab_figure_name((pvmlab_figure)i));
    fprintf(out, "\nmetrics (history figure): %s\n", pvmlab_plot_metric_names());
}

static int parse_format(const char *text, unsigned *formats)
{
    if (strcmp(text, "png") == 0)
        *formats = PVMLAB_PLOT_PNG;
    else if (strcmp(text, "svg") == 0)
        *formats = PVMLAB_PLOT_SVG;
    else if (strcmp(text, "both") == 0)
        *formats = PVMLAB_PLOT_PNG | PVMLAB_PLOT_SVG;
    else
        return -1;
    return 0;
}

static void print_result(pvmlab_figure figure, const pvmlab_plot_result *result)
{
    const char *paths[] = {result->png_path, result->svg_path};
    for (size_t i = 0; i < 2; i++)
        if (*paths[i])
            printf("%-16s %s%s%s%s\n", pvmlab_figure_name(figure), paths[i], result->has_data ? "" : "  (",
                   result->has_data ? "" : result->note, result->has_data ? "" : ")");
}

int pvmlab_cmd_plot(int argc, char **argv)
{
    const char *db_path = PVMLAB_DB_DEFAULT_PATH;
    pvmlab_plot_options options = {.out_dir = "reports/out/plots"};
    unsigned mask = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            usage(stdout);
            return 0;
        }
        int takes_value = strncmp(arg, "--", 2) == 0;
        if (takes_value && !value) {
            fprintf(stderr, "pvmlab plot: %s needs a value (try pvmlab plot --help)\n", arg);
            return 2;
        }
        if (strcmp(arg, "--db") == 0)
            db_path = value;
        else if (strcmp(arg, "--out") == 0)
            options.out_dir = value;
        else if (strcmp(arg, "--run") == 0)
            options.run = atoll(value);
        else if (strcmp(arg, "--mode") == 0)
            options.mode = value;
        else if (strcmp(arg, "--metric") == 0)
            options.metric = value;
        else if (strcmp(arg, "--gnuplot") == 0)
            options.gnuplot = value;
        else if (strcmp(arg, "--timeout") == 0)
            options.timeout_ms = atoi(value) * 1000;
        else if (strcmp(arg, "--format") == 0 && parse_format(value, &options.formats) == 0)
            ;
        else if (!takes_value && pvmlab_figure_from_name(arg) >= 0) {
            mask |= 1u << pvmlab_figure_from_name(arg);
            continue;
        } else {
            fprintf(stderr, "pvmlab plot: unknown %s '%s' (try pvmlab plot --help)\n",
                    takes_value ? "option or value" : "figure", takes_value ? arg : arg);
            return 2;
        }
        i++;
    }
    char err[1024];
    pvmlab_db *db;
    if (pvmlab_open_results(db_path, &db, err, sizeof err) != 0) {
        fprintf(stderr, "pvmlab plot: %s\n", err);
        return 1;
    }
    pvmlab_plot_result results[PVMLAB_FIGURE_COUNT];
    mask = mask ? mask : (1u << PVMLAB_FIGURE_COUNT) - 1;
    int rc = pvmlab_plots_render(db, &options, mask, results, err, sizeof err);
    pvmlab_db_close(db);
    if (rc != 0) {
        fprintf(stderr, "pvmlab plot: %s\n", err);
        return 1;
    }
    for (int figure = 0; figure < PVMLAB_FIGURE_COUNT; figure++)
        if (mask & (1u << figure))
            print_result((pvmlab_figure)figure, &results[figure]);
    return 0;
}
