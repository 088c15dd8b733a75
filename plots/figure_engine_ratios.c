/* Engine time / native time per guest: rows are guests, columns non-native engines. */
#include "figure.h"

#include <math.h>
#include <stdlib.h>

#include "ratios.h"

int figure_engine_ratios(const figure_input *input, figure_output *output, char *err, size_t err_len)
{
    const pvmlab_run_table *table = input->table;
    if (table->cell_count == 0) {
        snprintf(output->note, sizeof output->note, "no data: run pvmlab bench");
        return 0;
    }
    if (!pvmlab_run_table_has_native(table)) {
        snprintf(output->note, sizeof output->note,
                 "no data: run %lld has no native samples to compare with (run pvmlab bench with the native engine)",
                 (long long)table->run);
        return 0;
    }
    char **engines = malloc((table->engine_count + 1) * sizeof *engines);
    if (!engines) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    size_t engine_count = 0;
    for (size_t e = 0; e < table->engine_count; e++)
        if (!pvmlab_run_table_engine_is_native(table, table->engines[e]))
            engines[engine_count++] = table->engines[e];
    figure_write_header(output->data, "guest", engines, engine_count);
    for (size_t b = 0; b < table->benchmark_count; b++) {
        const char *benchmark = table->benchmarks[b];
        if (isnan(pvmlab_run_table_native_ns(table, benchmark)))
            continue;
        figure_write_field(output->data, benchmark);
        for (size_t e = 0; e < engine_count; e++)
            figure_write_value(output, pvmlab_ratio_to_native(table, engines[e], benchmark));
        fputc('\n', output->data);
    }
    figure_set_number(output, "series", (double)engine_count);
    free(engines);
    if (output->points == 0)
        snprintf(output->note, sizeof output->note, "no data: no engine ran a guest that native code ran in run %lld",
                 (long long)table->run);
    return 0;
}
