/* The stride-conflict programs (gas_quiz_stride1/2048/2053): same instructions and gas,
 * different strides; rows are strides, columns engines, values median time in ms. */
#include "figure.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int compare_longs(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* The cell of engine whose benchmark has this stride, or NULL. */
static const pvmlab_cell *stride_cell(const pvmlab_run_table *table, const char *engine, long stride)
{
    for (size_t i = 0; i < table->cell_count; i++) {
        long cell_stride;
        const pvmlab_cell *cell = &table->cells[i];
        if (strcmp(cell->engine, engine) == 0 && pvmlab_benchmark_stride(cell->benchmark, &cell_stride) &&
            cell_stride == stride)
            return cell;
    }
    return NULL;
}

int figure_stride_conflict(const figure_input *input, figure_output *output, char *err, size_t err_len)
{
    const pvmlab_run_table *table = input->table;
    long *strides = malloc((table->benchmark_count + 1) * sizeof *strides);
    char **engines = malloc((table->engine_count + 1) * sizeof *engines);
    if (!strides || !engines) {
        free(strides);
        free(engines);
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    size_t stride_count = 0, engine_count = 0;
    for (size_t b = 0; b < table->benchmark_count; b++)
        if (pvmlab_benchmark_stride(table->benchmarks[b], &strides[stride_count]))
            stride_count++;
    qsort(strides, stride_count, sizeof *strides, compare_longs);
    for (size_t e = 0; e < table->engine_count; e++)
        for (size_t s = 0; s < stride_count; s++)
            if (stride_cell(table, table->engines[e], strides[s])) {
                engines[engine_count++] = table->engines[e];
                break;
            }
    figure_write_header(output->data, "stride", engines, engine_count);
    for (size_t s = 0; s < stride_count; s++) {
        fprintf(output->data, "stride %ld", strides[s]);
        for (size_t e = 0; e < engine_count; e++) {
            const pvmlab_cell *cell = stride_cell(table, engines[e], strides[s]);
            figure_write_value(output, cell ? cell->median_wall_ns / 1e6 : NAN);
        }
        fputc('\n', output->data);
    }
    figure_set_number(output, "series", (double)engine_count);
    free(strides);
    free(engines);
    if (output->points == 0)
        snprintf(output->note, sizeof output->note,
                 "no data: no stride-conflict samples (gas_quiz_stride*): run pvmlab bench");
    return 0;
}
