/* Gas vs time: one block per metering engine (its label, then program, gas, time in ns),
 * then one block per stride-conflict program, which the template marks. */
#include "figure.h"

#include <math.h>
#include <string.h>

#include "fidelity.h"

static void write_point(figure_output *output, const pvmlab_cell *cell)
{
    figure_write_field(output->data, cell->benchmark);
    figure_write_value(output, cell->median_gas);
    figure_write_value(output, cell->median_wall_ns);
    fputc('\n', output->data);
}

int figure_gas_vs_time(const figure_input *input, figure_output *output, char *err, size_t err_len)
{
    const pvmlab_run_table *table = input->table;
    size_t series = 0, marked = 0;
    double k_min = NAN, k_max = NAN;
    for (size_t e = 0; e < table->engine_count; e++) {
        const char *engine = table->engines[e];
        if (!pvmlab_engine_meters(table, engine))
            continue;
        figure_write_field(output->data, engine);
        fputs("\n", output->data);
        for (size_t i = 0; i < table->cell_count; i++) {
            const pvmlab_cell *cell = &table->cells[i];
            if (strcmp(cell->engine, engine) == 0 && cell->has_gas && cell->median_gas > 0)
                write_point(output, cell);
        }
        fputs("\n\n", output->data);
        pvmlab_fidelity fidelity;
        pvmlab_fidelity_of_engine(table, engine, &fidelity);
        k_min = isnan(k_min) || fidelity.min_ns_per_gas < k_min ? fidelity.min_ns_per_gas : k_min;
        k_max = isnan(k_max) || fidelity.max_ns_per_gas > k_max ? fidelity.max_ns_per_gas : k_max;
        series++;
    }
    /* The stride-conflict programs again, one block per stride, for the template to mark. */
    size_t points = output->points;
    for (size_t b = 0; b < table->benchmark_count; b++) {
        long stride;
        if (!pvmlab_benchmark_stride(table->benchmarks[b], &stride))
            continue;
        fprintf(output->data, "stride %ld program\n", stride);
        for (size_t i = 0; i < table->cell_count; i++) {
            const pvmlab_cell *cell = &table->cells[i];
            if (cell->has_gas && cell->median_gas > 0 && strcmp(cell->benchmark, table->benchmarks[b]) == 0)
                write_point(output, cell);
        }
        fputs("\n\n", output->data);
        marked++;
    }
    output->points = points; /* the marked blocks repeat points already counted */
    figure_set_number(output, "series", (double)series);
    figure_set_number(output, "marked", (double)marked);
    figure_set_number(output, "k_min", k_min);
    figure_set_number(output, "k_max", k_max);
    if (output->points == 0)
        snprintf(output->note, sizeof output->note, "no data: no metered samples (run pvmlab bench with a gas mode)");
    return 0;
}
