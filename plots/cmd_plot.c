#include "cmd_plot.h"

#include <stdint.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm/util/cli_options.h"
#include "results/open_results.h"
#include "plots.h"

/* A gnuplot run longer than an hour is a hung gnuplot, not a figure. */
enum { PLOT_TIMEOUT_MAX_S = 3600 };

static void usage(char *out, size_t out_len)
{
    int used = snprintf(out, out_len,
                        "usage: pvmlab plot [--db PATH] [--out DIR] [--run ID] [--mode MODE] [--metric NAME]\n"
                        "                   [--format png|svg|both] [--gnuplot PROGRAM] [--timeout SECONDS] [FIGURE...]\n"
                        "Draws figures from the results database (default %s, only read) into DIR (default\n"
                        "reports/out/plots). A figure without data is drawn as a placeholder that says what to run.\n"
                        "--timeout: per gnuplot run, 1..%d seconds (default 30).\n"
                        "figures:",
                        PVMLAB_DB_DEFAULT_PATH, PLOT_TIMEOUT_MAX_S);
    for (int i = 0; i < PVMLAB_FIGURE_COUNT && used > 0 && (size_t)used < out_len; i++)
        used += snprintf(out + used, out_len - (size_t)used, " %s", pvmlab_figure_name((pvmlab_figure)i));
    if (used > 0 && (size_t)used < out_len)
        snprintf(out + used, out_len - (size_t)used, "\nmetrics (history figure): %s\n", pvmlab_plot_metric_names());
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
    const char *run = NULL, *timeout = NULL, *format = NULL;
    const cli_option table[] = {
        CLI_VALUE("db", &db_path),      CLI_VALUE("out", &options.out_dir),       CLI_VALUE("run", &run),         CLI_VALUE("mode", &options.mode),
        CLI_VALUE("metric", &options.metric), CLI_VALUE("gnuplot", &options.gnuplot), CLI_VALUE("timeout", &timeout), CLI_VALUE("format", &format),
    };
    const char *figures[PVMLAB_FIGURE_COUNT * 2];
    cli_positionals positionals = {figures, PVMLAB_FIGURE_COUNT * 2, 0};
    char help[2048];
    usage(help, sizeof help);
    int parsed = cli_parse("plot", argc, argv, table, sizeof table / sizeof table[0], help, &positionals);
    if (parsed != CLI_PARSED)
        return parsed == CLI_HELP ? 0 : 2;
    long long number = 0;
    if (run && !cli_parse_integer(run, 1, INT64_MAX, &number))
        return cli_usage_error("plot", "--run wants a run id, not '%s'", run);
    options.run = run ? number : 0;
    if (timeout && !cli_parse_integer(timeout, 1, PLOT_TIMEOUT_MAX_S, &number))
        return cli_usage_error("plot", "--timeout wants whole seconds from 1 to %d, not '%s'", PLOT_TIMEOUT_MAX_S,
                                 timeout);
    options.timeout_ms = timeout ? (int)number * 1000 : 0;
    if (format && parse_format(format, &options.formats) != 0)
        return cli_usage_error("plot", "--format wants png, svg or both, not '%s'", format);
    unsigned mask = 0;
    for (int i = 0; i < positionals.count; i++) {
        if (pvmlab_figure_from_name(figures[i]) < 0)
            return cli_usage_error("plot", "unknown figure '%s'", figures[i]);
        mask |= 1u << pvmlab_figure_from_name(figures[i]);
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
