/* The report: open the database, load what the sections share, draw the figures, build the
 * document, write report.md and report.html. */
#include "report.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results/open_results.h"
#include "render.h"
#include "report_context.h"
#include "results/run_select.h"
#include "plots/text_util.h"

enum { CALIBRATIONS_READ = 32 };

typedef int (*section_writer)(report_context *ctx, char *err, size_t err_len);

static const section_writer SECTIONS[] = {
    section_summary,     section_ratios,     section_fidelity,  section_calibration,
    section_regressions, section_provenance, section_reproduce,
};

static int load_context(report_context *ctx, char *err, size_t err_len)
{
    pvmlab_id latest, previous = 0, fidelity;
    if (pvmlab_latest_sample_run(ctx->db, &latest, err, err_len) != 0 ||
        pvmlab_latest_fidelity_run(ctx->db, &fidelity, err, err_len) != 0 ||
        (latest && pvmlab_previous_sample_run(ctx->db, latest, &previous, err, err_len) != 0))
        return -1;
    if (pvmlab_run_table_load(ctx->db, latest, NULL, &ctx->latest, err, err_len) != 0 ||
        pvmlab_run_table_load(ctx->db, previous, ctx->latest.mode, &ctx->previous, err, err_len) != 0 ||
        pvmlab_run_table_load(ctx->db, fidelity, "fidelity", &ctx->fidelity, err, err_len) != 0)
        return -1;
    return pvmlab_calibration_set_load(ctx->db, CALIBRATIONS_READ, &ctx->calibrations, err, err_len);
}

static void draw_figures(report_context *ctx, const pvmlab_report_options *options)
{
    char plots_dir[PVMLAB_REPORT_PATH_MAX];
    pvmlab_plot_options plot_options = {
        .out_dir = plots_dir, .gnuplot = options->gnuplot, .template_dir = options->template_dir,
        .timeout_ms = options->timeout_ms, .run = ctx->latest.run, .mode = ctx->latest.mode,
        .formats = PVMLAB_PLOT_PNG | PVMLAB_PLOT_SVG,
    };
    if (pvmlab_join_path(plots_dir, sizeof plots_dir, ctx->out_dir, "plots") != 0) {
        snprintf(ctx->figures_error, sizeof ctx->figures_error, "output folder path too long");
        return;
    }
    ctx->figures_drawn = pvmlab_plots_render(ctx->db, &plot_options, (1u << PVMLAB_FIGURE_COUNT) - 1, ctx->figures,
                                             ctx->figures_error, sizeof ctx->figures_error) == 0;
}

static int write_rendering(const report_doc *doc, const char *dir, const char *name, int html, char *path,
                           char *err, size_t err_len)
{
    char joined[PVMLAB_REPORT_PATH_MAX];
    if (pvmlab_join_path(joined, sizeof joined, dir, name) != 0) {
        snprintf(err, err_len, "output folder path too long: %s", dir);
        return -1;
    }
    FILE *out = fopen(joined, "w");
    if (!out) {
        snprintf(err, err_len, "cannot write %s: %s", joined, strerror(errno));
        return -1;
    }
    int rc = html ? report_render_html(doc, dir, out) : report_render_markdown(doc, out);
    if (fclose(out) != 0 || rc != 0) {
        snprintf(err, err_len, "cannot write %s: %s", joined, strerror(errno));
        return -1;
    }
    if (!realpath(joined, path))
        snprintf(path, PVMLAB_REPORT_PATH_MAX, "%s", joined);
    return 0;
}

static int build_and_write(report_context *ctx, const pvmlab_report_options *options, pvmlab_report_result *result,
                           char *err, size_t err_len)
{
    if (load_context(ctx, err, err_len) != 0)
        return -1;
    result->has_data = ctx->latest.cell_count > 0 || ctx->fidelity.cell_count > 0 || ctx->calibrations.count > 0;
    draw_figures(ctx, options);
    if (!ctx->figures_drawn)
        snprintf(result->warning, sizeof result->warning, "figures not drawn: %s", ctx->figures_error);
    if (!(ctx->doc = report_doc_new("pvmlab report"))) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    report_heading(ctx->doc, 1, "pvmlab report");
    for (size_t i = 0; i < sizeof SECTIONS / sizeof SECTIONS[0]; i++)
        if (SECTIONS[i](ctx, err, err_len) != 0)
            return -1;
    if (report_doc_failed(ctx->doc)) {
        snprintf(err, err_len, "out of memory building the report");
        return -1;
    }
    if (write_rendering(ctx->doc, ctx->out_dir, "report.md", 0, result->markdown_path, err, err_len) != 0)
        return -1;
    return write_rendering(ctx->doc, ctx->out_dir, "report.html", 1, result->html_path, err, err_len);
}

int pvmlab_report_write(const pvmlab_report_options *options, pvmlab_report_result *result, char *err,
                        size_t err_len)
{
    memset(result, 0, sizeof *result);
    report_context ctx = {
        .db_path = options->db_path ? options->db_path : PVMLAB_DB_DEFAULT_PATH,
        .out_dir = options->out_dir ? options->out_dir : PVMLAB_REPORT_DEFAULT_OUT,
        .threshold_pct = options->threshold_pct > 0 ? options->threshold_pct : PVMLAB_REPORT_DEFAULT_THRESHOLD_PCT,
    };
    if (pvmlab_open_results(ctx.db_path, &ctx.db, err, err_len) != 0)
        return -1;
    int rc = -1;
    if (pvmlab_make_dirs(ctx.out_dir) != 0)
        snprintf(err, err_len, "cannot create %s: %s", ctx.out_dir, strerror(errno));
    else
        rc = build_and_write(&ctx, options, result, err, err_len);
    report_doc_free(ctx.doc);
    pvmlab_run_table_free(&ctx.latest);
    pvmlab_run_table_free(&ctx.previous);
    pvmlab_run_table_free(&ctx.fidelity);
    pvmlab_calibration_set_free(&ctx.calibrations);
    pvmlab_db_close(ctx.db);
    return rc;
}
