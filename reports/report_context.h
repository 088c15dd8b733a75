/* Internal: what every report section reads, loaded once by report.c. */
#ifndef PVMLAB_REPORT_CONTEXT_H
#define PVMLAB_REPORT_CONTEXT_H

#include <stdbool.h>

#include "results/calibration_list.h"
#include "document.h"
#include "plots/plots.h"
#include "report.h"
#include "plots/run_table.h"

typedef struct report_context {
    pvmlab_db *db;
    report_doc *doc;
    const char *db_path;
    const char *out_dir;
    double threshold_pct;
    pvmlab_run_table latest;   /* the newest run with samples (empty when none) */
    pvmlab_run_table previous; /* the run before it on the same machine (empty when none) */
    pvmlab_run_table fidelity; /* the newest fidelity run (pvmlab tables; empty when none) */
    pvmlab_calibration_set calibrations;
    pvmlab_plot_result figures[PVMLAB_FIGURE_COUNT];
    bool figures_drawn;
    char figures_error[512];
} report_context;

/* One function per section, in report order; each appends to ctx->doc and returns 0, or -1
 * with one line in err on a database error. */
int section_summary(report_context *ctx, char *err, size_t err_len);
int section_ratios(report_context *ctx, char *err, size_t err_len);
int section_fidelity(report_context *ctx, char *err, size_t err_len);
/* Part of section_fidelity: the held-out guests program by program (section_fidelity_programs.c). */
int section_fidelity_programs(report_context *ctx, char *err, size_t err_len);
int section_calibration(report_context *ctx, char *err, size_t err_len);
int section_regressions(report_context *ctx, char *err, size_t err_len);
int section_provenance(report_context *ctx, char *err, size_t err_len);
int section_reproduce(report_context *ctx, char *err, size_t err_len);

/* Adds the figure's block (SVG path relative to the report folder, with its placeholder
 * note), or a note that figures were not drawn. */
void report_add_figure(report_context *ctx, pvmlab_figure figure);

/* Table-cell formatting into caller buffers (>= 32 bytes); "—" for a missing value. */
const char *cell_ms(char *out, size_t len, double ns);
const char *cell_ratio(char *out, size_t len, double ratio);
const char *cell_number(char *out, size_t len, double value);

#endif
