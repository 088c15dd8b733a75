/* Gas vs time: one block per metering engine (its label, then program, gas, time in ns) of
 * the bench run and of the newest fidelity run (calibration programs under a generated
 * table), then one block per stride-conflict program, which the template marks. */
#include "figure.h"

#include <math.h>
#include <string.h>

#include "engine_fidelity.h"

static void write_point(figure_output *output, const pvmlab_cell *cell)
{
    figure_write_field(output->data, cell->benchmark);
    figure_write_value(output, cell->median_gas);
    figure_write_value(output, cell->median_wall_ns);
    fputc('\n', output->data);
}

static int metered(const pvmlab_cell *cell)
{
    return cell->has_gas && cell->median_gas > 0;
}

typedef struct spread {
    size_t series;
    double k_min, k_max; /* ns per gas over every series */
} spread;

static void write_series(figure_output *output, const pvmlab_run_table *table, const char *suffix, spread *s)
{
    for (size_t e = 0; e < table->engine_count; e++) {
        const char *engine = table->engines[e];
        if (!pvmlab_engine_meters(table, engine))
            continue;
        figure_write_field(output->data, engine);
        fprintf(output->data, "%s\n", suffix);
        for (size_t i = 0; i < table->cell_count; i++)
            if (strcmp(table->cells[i].engine, engine) == 0 && metered(&table->cells[i]))
                write_point(output, &table->cells[i]);
        fputs("\n\n", output->data);
        pvmlab_fidelity fidelity;
        pvmlab_fidelity_of_engine(table, engine, &fidelity);
        s->k_min = isnan(s->k_min) || fidelity.min_ns_per_gas < s->k_min ? fidelity.min_ns_per_gas : s->k_min;
        s->k_max = isnan(s->k_max) || fidelity.max_ns_per_gas > s->k_max ? fidelity.max_ns_per_gas : s->k_max;
        s->series++;
    }
}

/* The stride-conflict programs again, one block per stride, for the template to mark.
 * Returns how many blocks. */
static size_t write_marked(figure_output *output, const pvmlab_run_table *const *tables, size_t table_count)
{
    size_t counted = output->points, blocks = 0;
    long strides[16];
    for (size_t t = 0; t < table_count; t++)
        for (size_t i = 0; i < tables[t]->cell_count; i++) {
            long stride;
            int known = 0;
            if (!metered(&tables[t]->cells[i]) || !pvmlab_benchmark_stride(tables[t]->cells[i].benchmark, &stride))
                continue;
            for (size_t k = 0; k < blocks; k++)
                known |= strides[k] == stride;
            if (known || blocks == sizeof strides / sizeof strides[0])
                continue;
            strides[blocks++] = stride;
        }
    for (size_t k = 0; k < blocks; k++) {
        fprintf(output->data, "stride %ld program\n", strides[k]);
        for (size_t t = 0; t < table_count; t++)
            for (size_t i = 0; i < tables[t]->cell_count; i++) {
                long stride;
                const pvmlab_cell *cell = &tables[t]->cells[i];
                if (metered(cell) && pvmlab_benchmark_stride(cell->benchmark, &stride) && stride == strides[k])
                    write_point(output, cell);
            }
        fputs("\n\n", output->data);
    }
    output->points = counted; /* the marked blocks repeat points already counted */
    return blocks;
}

int figure_gas_vs_time(const figure_input *input, figure_output *output, char *err, size_t err_len)
{
    spread s = {.series = 0, .k_min = NAN, .k_max = NAN};
    write_series(output, input->table, "", &s);
    write_series(output, input->fidelity, " (calibration programs)", &s);
    const pvmlab_run_table *tables[] = {input->table, input->fidelity};
    size_t marked = write_marked(output, tables, 2);
    figure_set_number(output, "series", (double)s.series);
    figure_set_number(output, "marked", (double)marked);
    figure_set_number(output, "k_min", s.k_min);
    figure_set_number(output, "k_max", s.k_max);
    if (output->points == 0)
        snprintf(output->note, sizeof output->note,
                 "no data: no metered samples (run pvmlab bench with a gas mode, or pvmlab tables)");
    (void)err, (void)err_len;
    return 0;
}
