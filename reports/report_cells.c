/* Formatting numbers for report tables, and the shared figure block. */
#include <math.h>
#include <stdio.h>

#include "report_context.h"
#include "plots/text_util.h"

#define MISSING "\u2014"

const char *cell_ms(char *out, size_t len, double ns)
{
    if (isnan(ns))
        snprintf(out, len, MISSING);
    else
        snprintf(out, len, "%.3f", ns / 1e6);
    return out;
}

const char *cell_ratio(char *out, size_t len, double ratio)
{
    if (isnan(ratio))
        snprintf(out, len, MISSING);
    else
        snprintf(out, len, "%.2f\u00d7", ratio);
    return out;
}

const char *cell_number(char *out, size_t len, double value)
{
    if (isnan(value))
        snprintf(out, len, MISSING);
    else
        pvmlab_format_number(out, len, value);
    return out;
}

void report_add_figure(report_context *ctx, pvmlab_figure figure)
{
    if (!ctx->figures_drawn) {
        report_note(ctx->doc, "Figure \"%s\" not drawn: %s", pvmlab_figure_title(figure), ctx->figures_error);
        return;
    }
    const pvmlab_plot_result *result = &ctx->figures[figure];
    char svg[256], png[256];
    snprintf(svg, sizeof svg, "plots/%s.svg", pvmlab_figure_name(figure));
    snprintf(png, sizeof png, "plots/%s.png", pvmlab_figure_name(figure));
    report_figure(ctx->doc, pvmlab_figure_title(figure), svg, png, result->has_data ? "" : result->note);
}
