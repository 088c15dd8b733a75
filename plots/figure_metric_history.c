/* A metric per engine across the newest runs with samples: rows are runs (oldest first),
 * columns engines. */
#include "figure.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metric.h"
#include "results/run_select.h"

enum { HISTORY_RUNS = 40 };

typedef struct history {
    pvmlab_run_table tables[HISTORY_RUNS];
    size_t run_count;
    char **engines; /* borrowed from the tables */
    size_t engine_count;
} history;

static int add_engine(history *h, char *engine)
{
    for (size_t i = 0; i < h->engine_count; i++)
        if (strcmp(h->engines[i], engine) == 0)
            return 0;
    char **grown = realloc(h->engines, (h->engine_count + 1) * sizeof *grown);
    if (!grown)
        return -1;
    h->engines = grown;
    h->engines[h->engine_count++] = engine;
    return 0;
}

static int load_history(const figure_input *input, history *h, pvmlab_metric metric, char *err, size_t err_len)
{
    pvmlab_id runs[HISTORY_RUNS];
    if (pvmlab_sample_runs(input->db, runs, HISTORY_RUNS, &h->run_count, err, err_len) != 0)
        return -1;
    for (size_t r = 0; r < h->run_count; r++) {
        if (pvmlab_run_table_load(input->db, runs[r], input->table->mode, &h->tables[r], err, err_len) != 0) {
            h->run_count = r;
            return -1;
        }
        const pvmlab_run_table *table = &h->tables[r];
        for (size_t e = 0; e < table->engine_count; e++) {
            /* Native time over native time is 1 by definition: not worth a line. */
            if (metric == PVMLAB_METRIC_RATIO && pvmlab_run_table_engine_is_native(table, table->engines[e]))
                continue;
            if (add_engine(h, table->engines[e]) != 0) {
                snprintf(err, err_len, "out of memory");
                return -1;
            }
        }
    }
    return 0;
}

int figure_metric_history(const figure_input *input, figure_output *output, char *err, size_t err_len)
{
    const char *name = input->options->metric ? input->options->metric : "ratio";
    int metric = pvmlab_metric_from_name(name);
    if (metric < 0) {
        snprintf(err, err_len, "unknown metric '%s' (known: %s)", name, pvmlab_plot_metric_names());
        return -1;
    }
    history h = {.run_count = 0};
    int rc = load_history(input, &h, (pvmlab_metric)metric, err, err_len);
    if (rc == 0) {
        figure_write_header(output->data, "run", h.engines, h.engine_count);
        for (size_t r = 0; r < h.run_count; r++) {
            fprintf(output->data, "run %lld", (long long)h.tables[r].run);
            for (size_t e = 0; e < h.engine_count; e++)
                figure_write_value(output, pvmlab_engine_metric(&h.tables[r], h.engines[e], (pvmlab_metric)metric));
            fputc('\n', output->data);
        }
        figure_set_number(output, "series", (double)h.engine_count);
        figure_set_string(output, "ylabel", pvmlab_metric_label((pvmlab_metric)metric));
        if (output->points == 0)
            snprintf(output->note, sizeof output->note, "no data: no runs with samples for metric '%s' (run pvmlab bench)",
                     name);
    }
    free(h.engines);
    for (size_t r = 0; r < h.run_count; r++)
        pvmlab_run_table_free(&h.tables[r]);
    return rc;
}
