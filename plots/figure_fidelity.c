/* Held-out fidelity with its intervals: one row per stored summary (newest per cost table,
 * backend and program set; lazy pages charged, or eager where there were none), bars for
 * max/median and p95/median with their 95 % bootstrap intervals as error bars. Read through
 * the one results query that compare --fidelity and the report use. */
#include "figure.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "results/results_fidelity.h"

static int write_row(const pvmlab_fidelity_row *row, void *context)
{
    figure_output *output = context;
    if (!row->held_out || strcmp(row->charges, "uncharged") == 0)
        return 0;
    char label[256];
    snprintf(label, sizeof label, "%s %.8s %s %s %s", row->model,
             row->calibration_uuid[0] ? row->calibration_uuid : "builtin", row->backend, row->program_set,
             strcmp(row->scope, "all") == 0 ? "all" : strcmp(row->scope, "memory") == 0 ? "memory-bound" : "compute-bound");
    figure_write_field(output->data, label);
    const pvmlab_interval *spreads[2] = {&row->summary.max_over_median, &row->summary.p95_over_median};
    for (int i = 0; i < 2; i++) {
        figure_write_value(output, spreads[i]->value);
        figure_write_value(output, spreads[i]->low);
        figure_write_value(output, spreads[i]->high);
    }
    fputc('\n', output->data);
    return 0;
}

int figure_fidelity(const figure_input *input, figure_output *output, char *err, size_t err_len)
{
    fputs("program set\tmax/median\tlow\thigh\tp95/median\tlow\thigh\n", output->data);
    if (pvmlab_db_foreach_fidelity(input->db, NULL, write_row, output) != 0) {
        snprintf(err, err_len, "%s", pvmlab_db_error(input->db));
        return -1;
    }
    if (output->points == 0)
        snprintf(output->note, sizeof output->note,
                 "no data: no held-out fidelity stored: run pvmlab tables --fidelity quick");
    return 0;
}
