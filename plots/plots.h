/* pvmlab_plots: gnuplot figures fed from the results database.
 *
 * Each figure is one template in plots/templates/NAME.gp, parameterised by the data file
 * and output path; C code queries SQLite, writes the data as a tab-separated file and runs
 * gnuplot as a child process with a timeout. A figure with no data is still drawn, as a
 * placeholder that says which command gives it data, so a report always has every figure.
 * Nothing here prints, exits or aborts: every failure is one line in err. */
#ifndef PVMLAB_PLOTS_H
#define PVMLAB_PLOTS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "results/results.h"

typedef enum pvmlab_figure {
    PVMLAB_FIGURE_ENGINE_RATIOS,  /* engine time / native time per guest, grouped, log y */
    PVMLAB_FIGURE_GAS_VS_TIME,    /* one point per program and engine+cost model, log-log */
    PVMLAB_FIGURE_OPCODE_COSTS,   /* calibrated cost per opcode, interpreter and recompiler */
    PVMLAB_FIGURE_LOAD_LATENCY,   /* load latency vs working-set size, log x */
    PVMLAB_FIGURE_STRIDE_CONFLICT,/* stride 1 / 2048 / 2053 programs per engine */
    PVMLAB_FIGURE_METRIC_HISTORY, /* a metric per engine across runs */
    PVMLAB_FIGURE_FIDELITY,       /* held-out max/median and p95/median with intervals */
    PVMLAB_FIGURE_COUNT
} pvmlab_figure;

enum {
    PVMLAB_PLOT_PNG = 1u << 0,
    PVMLAB_PLOT_SVG = 1u << 1,
    PVMLAB_PLOT_PATH_MAX = 1024,
};

typedef struct pvmlab_plot_options {
    const char *out_dir;      /* created if missing; figures NAME.png/.svg, data in data/ */
    const char *gnuplot;      /* program (PATH lookup) or path; NULL: "gnuplot" */
    const char *template_dir; /* NULL: the plots/templates folder of this source tree */
    int timeout_ms;           /* per gnuplot run; <= 0: 30000 */
    pvmlab_id run;            /* run for per-run figures; 0: the newest run with samples */
    const char *mode;         /* measurement mode of the samples; NULL: "execution" if present */
    const char *metric;       /* history metric (pvmlab_plot_metric_names); NULL: "ratio" */
    unsigned formats;         /* PVMLAB_PLOT_PNG | PVMLAB_PLOT_SVG; 0 means both */
} pvmlab_plot_options;

typedef struct pvmlab_plot_result {
    bool drawn;       /* gnuplot ran for this figure */
    bool has_data;    /* false: the figure is the "no data" placeholder */
    size_t points;    /* data rows plotted */
    char png_path[PVMLAB_PLOT_PATH_MAX]; /* "" when not requested */
    char svg_path[PVMLAB_PLOT_PATH_MAX];
    char note[256];   /* for a placeholder: what is missing and which command fills it */
} pvmlab_plot_result;

/* The file stem ("engine_ratios") and the caption of a figure; static strings. */
const char *pvmlab_figure_name(pvmlab_figure figure);
const char *pvmlab_figure_title(pvmlab_figure figure);

/* Finds a figure by its file stem; -1 when there is none. */
int pvmlab_figure_from_name(const char *name);

/* The metrics the history figure knows, space-separated (static). */
const char *pvmlab_plot_metric_names(void);

/* Draws the figures whose bit (1u << figure) is set in figure_mask into options->out_dir.
 * results has PVMLAB_FIGURE_COUNT entries; results[f] is filled for each drawn f. Returns 0;
 * -1 with one line in err at the first figure that could not be drawn (gnuplot missing or
 * failing, a database error, an unwritable folder, an unknown metric). */
int pvmlab_plots_render(pvmlab_db *db, const pvmlab_plot_options *options, unsigned figure_mask,
                        pvmlab_plot_result *results, char *err, size_t err_len);

#endif
