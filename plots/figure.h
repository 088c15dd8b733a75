/* Internal: what a figure's data writer receives and fills. One writer per figure_*.c. */
#ifndef PVMLAB_FIGURE_H
#define PVMLAB_FIGURE_H

#include <stdio.h>

#include "results/calibration_list.h"
#include "plots.h"
#include "run_table.h"

typedef struct figure_input {
    pvmlab_db *db;
    const pvmlab_plot_options *options;
    const pvmlab_run_table *table;              /* the chosen bench run (empty when none) */
    const pvmlab_run_table *fidelity;           /* the newest fidelity run (empty when none) */
    const pvmlab_calibration_set *calibrations; /* newest first */
} figure_input;

typedef struct figure_output {
    FILE *data;          /* the tab-separated data file the template reads */
    char settings[2048]; /* extra gnuplot assignments, "name=value; ..." */
    size_t points;       /* numeric values written; 0 draws the placeholder */
    char note[256];      /* with no points: what is missing and the command that fills it */
} figure_output;

/* Writes the data; returns 0, or -1 with one line in err (database error, out of memory). */
typedef int (*figure_writer)(const figure_input *input, figure_output *output, char *err, size_t err_len);

int figure_engine_ratios(const figure_input *input, figure_output *output, char *err, size_t err_len);
int figure_gas_vs_time(const figure_input *input, figure_output *output, char *err, size_t err_len);
int figure_opcode_costs(const figure_input *input, figure_output *output, char *err, size_t err_len);
int figure_load_latency(const figure_input *input, figure_output *output, char *err, size_t err_len);
int figure_stride_conflict(const figure_input *input, figure_output *output, char *err, size_t err_len);
int figure_metric_history(const figure_input *input, figure_output *output, char *err, size_t err_len);
int figure_fidelity(const figure_input *input, figure_output *output, char *err, size_t err_len);

/* Appends "name=<number>; " (NAN is written as gnuplot's NaN). */
void figure_set_number(figure_output *output, const char *name, double value);
/* Appends "name='text'; " with quotes doubled as gnuplot wants. */
void figure_set_string(figure_output *output, const char *name, const char *text);

/* Writes text as one data field: tabs, newlines and double quotes become spaces/quotes
 * that cannot split or confuse the columns. */
void figure_write_field(FILE *data, const char *text);

/* Writes a value field ("?" for NAN, the template's missing-data mark) preceded by a tab,
 * and counts numeric values in output->points. */
void figure_write_value(figure_output *output, double value);

/* Writes the header row: first, then one field per name. */
void figure_write_header(FILE *data, const char *first, char *const *names, size_t count);

#endif
